/* bench-csv-input.c — how fast a CSV file loads through a csv_input → table_output pipeline
 *
 *   builddir/tests/bench/bench-csv-input [ROWS]     (default 1000000)
 *
 * Writes ROWS rows of a six-column meter-reading CSV under /tmp, runs the pipeline twice (the
 * first run creates the target, the second replaces its rows) and prints rows per second with
 * each step's share. Uses $AQUEDUCT_DATABASE_URL when set (migrating it if needed), else a
 * throwaway cluster like the tests', which it drops again when it made it.
 */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static char *
write_csv (const char *dir,
           guint       rows)
{
  g_autofree char *path = g_build_filename (dir, "readings.csv", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20180401);
  g_autoptr(GString) buffer = g_string_sized_new (1 << 20);
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  g_string_append (buffer, "acct_no,meter_no,period,reading,amount,read_at\n");
  for (guint i = 0; i < rows; i++)
    {
      guint day = g_rand_int_range (rand, 1, 29);

      g_string_append_printf (buffer,
                              "%010u,M%08u,%u,%u.%02u,%u.%02u,2024-%02u-%02u %02u:%02u:00\n",
                              g_rand_int_range (rand, 1, 1000000), i, 202301 + i % 12,
                              g_rand_int_range (rand, 0, 500), g_rand_int_range (rand, 0, 100),
                              g_rand_int_range (rand, 0, 2000), g_rand_int_range (rand, 0, 100),
                              1 + i % 12, day, g_rand_int_range (rand, 0, 24),
                              g_rand_int_range (rand, 0, 60));
      if (buffer->len > (1 << 20) - 256)
        {
          fwrite (buffer->str, 1, buffer->len, file);
          g_string_truncate (buffer, 0);
        }
    }
  fwrite (buffer->str, 1, buffer->len, file);
  fclose (file);
  return g_steal_pointer (&path);
}

static void
print_steps (AqDb   *db,
             gint64  run_id)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *params[] = { id };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = aq_db_query (db,
                                         "SELECT step_id, rows_out, round(duration_ms)"
                                         " FROM meta.pipeline_step_run WHERE run_id = $1"
                                         " ORDER BY step_id", 1, params, &error);

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    g_print ("    %-6s %10s rows %8s ms\n", PQgetvalue (res, i, 0), PQgetvalue (res, i, 1),
             PQgetvalue (res, i, 2));
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  guint rows = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  const char *state_dir = g_getenv ("AQ_TEST_STATE_DIR");
  g_autofree char *state = g_build_filename (state_dir ? state_dir : g_get_tmp_dir (),
                                             "aq-test-cluster", NULL);
  gboolean made_cluster = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  double rates[3];

  setlocale (LC_ALL, "");
  aq_core_init ();
  if (url && *url)
    {
      db = aq_db_connect (url, &error);
      g_assert_no_error (error);
      aq_warehouse_prepare (db, NULL, &error);
      g_assert_no_error (error);
    }
  else
    {
      made_cluster = !g_file_test (state, G_FILE_TEST_EXISTS);
      db = aq_test_db_new ("bench_csv_input", TRUE);
    }

  dir = g_dir_make_tmp ("aq-bench-XXXXXX", &error);
  g_assert_no_error (error);
  g_print ("Writing %u rows…\n", rows);
  csv = write_csv (dir, rows);
  json = g_strdup_printf (
    "{\"name\": \"bench_csv_input\", \"steps\": ["
    " {\"id\": \"csv\", \"type\": \"csv_input\", \"path\": \"%s\", \"columns\": ["
    "  {\"name\": \"acct_no\", \"type\": \"text\"}, {\"name\": \"meter_no\", \"type\": \"text\"},"
    "  {\"name\": \"period\", \"type\": \"integer\"},"
    "  {\"name\": \"reading\", \"type\": \"numeric\"},"
    "  {\"name\": \"amount\", \"type\": \"numeric\"},"
    "  {\"name\": \"read_at\", \"type\": \"timestamp\"}]},"
    " {\"id\": \"out\", \"type\": \"table_output\", \"table\": \"ods.bench_readings\","
    "  \"mode\": \"replace\", \"create\": true}],"
    " \"edges\": [{\"from\": \"csv\", \"to\": \"out\"}]}", csv);
  pipeline = aq_pipeline_new_from_data (json, -1, NULL, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < G_N_ELEMENTS (rates); round++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 run_id = 0;
      double seconds;

      aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, &run_id, &error);
      g_assert_no_error (error);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      rates[round] = rows / seconds;
      g_print ("run %u: %u rows in %.2f s: %.0f rows/s\n", round + 1, rows, seconds,
               rates[round]);
      print_steps (db, run_id);
    }
  qsort (rates, G_N_ELEMENTS (rates), sizeof rates[0], compare_doubles);
  g_print ("CSV input to ods, %u rows of 6 columns: median %.0f rows/s (aim ≥ 300,000)\n", rows,
           rates[G_N_ELEMENTS (rates) / 2]);

  g_unlink (csv);
  g_rmdir (dir);
  g_clear_object (&db);
  if (made_cluster)
    aq_test_cluster_drop ();
  return 0;
}

/* bench-pipeline-store.c — Kettle import, the pipeline store, diff and backfill, timed
 *
 *   builddir/tests/bench/bench-pipeline-store [STEPS] [MONTHS]     (default 200 and 12)
 *
 * Generates a Kettle transformation of STEPS steps in a chain (table input, then calculators,
 * filters and selects in turn, then a table output), imports it (median of 5), saves the result
 * in the store 20 times and loads it back (median save and load), lists the store, diffs two
 * versions whose calculators differ in every thirtieth step, and backfills a one-step pipeline
 * over MONTHS months (the cost of a backfill step over its run). Uses $AQUEDUCT_DATABASE_URL
 * when set (migrating it if needed), else a throwaway cluster like the tests', which it drops
 * again when it made it.
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdlib.h>

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof values[0], compare_doubles);
  return values[n / 2];
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static char *
kettle_step (const char *name,
             const char *type,
             const char *body,
             guint       i)
{
  return g_strdup_printf ("<step><name>%s</name><type>%s</type>%s"
                          "<GUI><xloc>%u</xloc><yloc>%u</yloc><draw>Y</draw></GUI></step>\n",
                          name, type, body, 64 + (i % 20) * 120, 64 + (i / 20) * 100);
}

/* A chain of @steps Kettle steps; @variant changes the constant of the calculators at steps
 * 1, 31, 61… */
static char *
kettle_chain (guint steps,
              guint variant)
{
  g_autoptr(GString) s = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                       "<transformation><info><name>Bench chain</name></info>\n");
  g_autoptr(GString) hops = g_string_new ("<order>\n");

  for (guint i = 0; i < steps; i++)
    {
      g_autofree char *name = g_strdup_printf ("Step %u", i);
      g_autofree char *step = NULL;

      if (i == 0)
        step = kettle_step (name, "TableInput", "<connection/><sql>SELECT 1 AS a, 2 AS b"
                            "</sql>", i);
      else if (i == steps - 1)
        step = kettle_step (name, "TableOutput", "<connection/><schema>staging</schema>"
                            "<table>bench_chain</table><truncate>Y</truncate>", i);
      else if (i % 3 == 1)
        {
          g_autofree char *body = g_strdup_printf (
            "<calculation><field_name>c%u</field_name><calc_type>CONSTANT</calc_type>"
            "<field_a>%u</field_a><value_type>Integer</value_type></calculation>",
            i, i % 10 == 1 ? i + variant : i);

          step = kettle_step (name, "Calculator", body, i);
        }
      else if (i % 3 == 2)
        step = kettle_step (name, "FilterRows", "<compare><condition><negated>N</negated>"
                            "<leftvalue>a</leftvalue><function>&gt;</function><rightvalue/>"
                            "<value><type>Integer</type><text>0</text><isnull>N</isnull>"
                            "</value></condition></compare>", i);
      else
        step = kettle_step (name, "SelectValues", "<fields><field><name>a</name></field>"
                            "<field><name>b</name></field></fields>", i);
      g_string_append (s, step);
      if (i > 0)
        g_string_append_printf (hops, "<hop><from>Step %u</from><to>Step %u</to>"
                                "<enabled>Y</enabled></hop>\n", i - 1, i);
    }
  g_string_append (hops, "</order>\n");
  g_string_append (s, hops->str);
  g_string_append (s, "</transformation>\n");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

int
main (int   argc,
      char *argv[])
{
  guint steps = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 200;
  guint months = argc > 2 ? (guint) strtoul (argv[2], NULL, 10) : 12;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  const char *state_dir = g_getenv ("AQ_TEST_STATE_DIR");
  g_autofree char *state = g_build_filename (state_dir ? state_dir : g_get_tmp_dir (),
                                             "aq-test-cluster", NULL);
  gboolean made_cluster = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *ktr = NULL;
  g_autofree char *ktr2 = NULL;
  g_autofree char *json2 = NULL;
  g_autoptr(AqKtrImport) import = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *to_month = NULL;
  double times[20], loads[20];
  gint64 start;
  double backfill_ms, one_run_ms;

  setlocale (LC_ALL, "");
  aq_core_init ();
  if (steps < 3 || months < 1 || months > 600)
    g_error ("STEPS ≥ 3, 1 ≤ MONTHS ≤ 600");
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
      db = aq_test_db_new ("bench_pipeline_store", TRUE);
    }

  /* Kettle import */
  ktr = kettle_chain (steps, 0);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(AqKtrImport) round = NULL;

      start = g_get_monotonic_time ();
      round = aq_ktr_import_data (ktr, strlen (ktr), NULL, &error);
      times[i] = ms_since (start);
      g_assert_no_error (error);
      g_assert_cmpuint (round->unmapped->len, ==, 0);
    }
  g_print ("import-ktr, %u steps (%zu bytes of XML): median %.2f ms\n", steps, strlen (ktr),
           median (times, 5));
  import = aq_ktr_import_data (ktr, strlen (ktr), NULL, &error);
  g_assert_no_error (error);

  /* the store */
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autofree char *text = NULL;

      start = g_get_monotonic_time ();
      aq_pipeline_store_save (db, import->name, import->json, "bench", NULL, &error);
      times[i] = ms_since (start);
      g_assert_no_error (error);
      start = g_get_monotonic_time ();
      text = aq_pipeline_store_load (db, import->name, 0, &error);
      loads[i] = ms_since (start);
      g_assert_no_error (error);
      g_assert_cmpstr (text, ==, import->json);
    }
  g_print ("store, a %u-step pipeline (%zu bytes of JSON): save median %.2f ms, "
           "load median %.2f ms\n", import->n_steps, strlen (import->json),
           median (times, G_N_ELEMENTS (times)), median (loads, G_N_ELEMENTS (loads)));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GPtrArray) list = NULL;

      start = g_get_monotonic_time ();
      list = aq_pipeline_store_list (db, &error);
      times[i] = ms_since (start);
      g_assert_no_error (error);
      if (i == 0)
        g_print ("store list of %u pipelines: ", list->len);
    }
  g_print ("median %.2f ms\n", median (times, 5));

  /* diff */
  ktr2 = kettle_chain (steps, 1000);
  {
    g_autoptr(AqKtrImport) other = aq_ktr_import_data (ktr2, strlen (ktr2), NULL, &error);

    g_assert_no_error (error);
    json2 = g_strdup (other->json);
  }
  for (guint i = 0; i < 5; i++)
    {
      g_clear_pointer (&changes, g_ptr_array_unref);
      start = g_get_monotonic_time ();
      changes = aq_pipeline_diff (import->json, json2, &error);
      times[i] = ms_since (start);
      g_assert_no_error (error);
    }
  g_print ("diff of two %u-step versions, %u changes: median %.2f ms\n", steps, changes->len,
           median (times, 5));

  /* backfill */
  aq_pipeline_store_save (db, "bench_backfill",
                          "{\"name\": \"bench_backfill\", \"steps\": ["
                          " {\"id\": \"sql\", \"type\": \"sql\", \"sql\": \"SELECT 1\"}],"
                          " \"edges\": []}", NULL, NULL, &error);
  g_assert_no_error (error);
  {
    g_autoptr(AqPipeline) pipeline = aq_pipeline_store_open (db, "bench_backfill", 0, &error);

    for (guint i = 0; i < 5; i++)
      {
        start = g_get_monotonic_time ();
        aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL, &error);
        times[i] = ms_since (start);
        g_assert_no_error (error);
      }
    one_run_ms = median (times, 5);
  }
  to_month = g_strdup_printf ("%04u-%02u", 2020 + (months - 1) / 12, (months - 1) % 12 + 1);
  start = g_get_monotonic_time ();
  aq_backfill_run (db, "bench_backfill", "2020-01", to_month, AQ_BACKFILL_NONE, NULL, NULL, NULL,
                   NULL, &error);
  backfill_ms = ms_since (start);
  g_assert_no_error (error);
  g_print ("backfill of a one-step pipeline over %u months: %.1f ms (%.2f ms a month; "
           "one run alone %.2f ms)\n", months, backfill_ms, backfill_ms / months, one_run_ms);

  g_clear_object (&db);
  if (made_cluster)
    aq_test_cluster_drop ();
  return 0;
}

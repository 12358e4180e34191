/* bench-report.c — how long reports take: pivots over the dm cubes, the zero-consumption list,
 * paging and streaming a big list
 *
 *   builddir/tests/bench/bench-report [CONNINFO | WAREHOUSE_DIR] [RUNS]   (default 5 runs)
 *
 * Without an argument it uses $AQUEDUCT_DATABASE_URL. A directory is taken as an embedded
 * warehouse (it must be running: `AQUEDUCT_WAREHOUSE_DIR=DIR aqueductctl warehouse start`, then
 * `migrate` so the catalog and its index exist; without them the shipped catalog is used). Each case runs once to warm the cache, then RUNS times
 * through aq_report_run() exactly as the designer does (compile, read-only transaction, result
 * with formatted cells); it prints the median and the fastest run in milliseconds and the
 * result's size. Nothing is written.
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static const struct
{
  const char *name;
  const char *json;
  const char *aim;
} cases[] = {
  { "district × month: billed volume, amount, collection rate",
    "{\"rows\": [\"district\"], \"columns\": [\"month\"],"
    " \"values\": [\"billed_qty\", \"bill_amount\", \"collection_rate\"]}", "300 ms" },
  { "DMA-2 × customer type: billed volume, read rate, volume per account",
    "{\"rows\": [\"dma2\", \"customer_type\"],"
    " \"values\": [\"billed_qty\", \"read_rate\", \"avg_qty_per_account\"]}", "300 ms" },
  { "community × customer type: accounts billed, amount, on-time rate",
    "{\"rows\": [\"community\", \"customer_type\"],"
    " \"values\": [\"billed_accounts\", \"bill_amount\", \"on_time_rate\"]}", "300 ms" },
  { "DMA-3 × month: input, billed, NRW rate",
    "{\"rows\": [\"dma3\", \"month\"], \"values\": [\"nrw_siv\", \"nrw_billed\", \"nrw_rate\"]}",
    "300 ms" },
  { "channel × month: payments, amount, per payment",
    "{\"rows\": [\"channel\"], \"columns\": [\"month\"],"
    " \"values\": [\"payments\", \"payment_amount\", \"avg_payment\"]}", "300 ms" },
  { "category × district: work orders, on time, closed",
    "{\"rows\": [\"wo_category\", \"district\"],"
    " \"values\": [\"wo_created\", \"wo_timely_rate\", \"wo_close_rate\"]}", "300 ms" },
  { "month × customer type: billed volume, its MoM and YoY",
    "{\"rows\": [\"month\", \"customer_type\"], \"values\": [\"billed_qty\","
    " {\"id\": \"billed_qty\", \"calc\": \"mom\"}, {\"id\": \"billed_qty\", \"calc\": \"yoy\"}]}",
    "300 ms" },
  { "连续 6 月 0 吨 over all months (list)",
    "{\"kind\": \"list\", \"rows\": [\"account\", \"customer_name\", \"address\", \"district\","
    " \"community\", \"run_first\", \"run_last\"], \"values\": [\"zero_run_months\"],"
    " \"filters\": [{\"condition\": \"zero_run_within\", \"values\": [\"$p.from\", \"$p.to\", \"6\"]},"
    "  {\"dimension\": \"account_status\", \"values\": [\"normal\"]}],"
    " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\", \"default\": \"@all\"}],"
    " \"sort\": [{\"value\": 0, \"descending\": true}]}", "3 s" },
};

static const char *list_json =
  "{\"kind\": \"list\", \"title\": \"all accounts\", \"rows\": [\"account\", \"customer_name\","
  " \"address\", \"district\", \"community\", \"customer_type\"],"
  " \"values\": [\"arrears_amount\", \"avg_qty_12m\"]}";

static double
median_of (GArray *ms)
{
  g_array_sort (ms, compare_double);
  return g_array_index (ms, double, ms->len / 2);
}

static gboolean
count_row (AqReportResult     *header,
           guint64             index,
           const char * const *cells,
           gpointer            user_data,
           GError            **error)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCatalog) catalog = NULL;
  g_autofree char *url = NULL;
  const char *arg = argc > 1 ? argv[1] : g_getenv ("AQUEDUCT_DATABASE_URL");
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 5;

  setlocale (LC_ALL, "");
  if (arg == NULL || *arg == '\0' || runs == 0)
    {
      fprintf (stderr, "Usage: %s [CONNINFO | WAREHOUSE_DIR] [RUNS]\n", argv[0]);
      return 2;
    }
  aq_core_init ();
  if (g_file_test (arg, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *escaped = g_uri_escape_string (arg, NULL, FALSE);
      url = g_strdup_printf ("postgresql://aqueduct@%s/aqueduct", escaped);
    }
  else
    url = g_strdup (arg);
  db = aq_db_connect (url, &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }
  catalog = aq_catalog_load (db, NULL, &error);
  if (catalog == NULL)
    {
      /* A warehouse without migration 005 still has the cubes: use the shipped catalog
       * (the zero-consumption list then lacks its index on the run length). */
      fprintf (stderr, "No catalog in the warehouse (%s); using the shipped one\n",
               error->message);
      g_clear_error (&error);
      catalog = aq_catalog_new_builtin (&error);
      g_assert_no_error (error);
    }
  {
    g_autofree char *accounts = aq_db_query_string (db, "SELECT count(*) FROM dm.customer_profile",
                                                    0, NULL, NULL);
    g_autofree char *months = aq_db_query_string (db, "SELECT count(DISTINCT period) FROM"
                                                      " dm.cube_billing_monthly", 0, NULL, NULL);
    printf ("warehouse: %s accounts × %s months; %u runs each (after one warm-up)\n",
            accounts, months, runs);
  }

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(AqReportSpec) spec = aq_report_spec_new_from_data (cases[c].json, -1, &error);
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      guint rows = 0, cols = 0;

      g_assert_no_error (error);
      for (guint r = 0; r <= runs; r++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(AqReportResult) result = aq_report_run (db, catalog, spec, NULL, NULL, &error);
          double elapsed = (g_get_monotonic_time () - start) / 1000.0;

          if (result == NULL)
            {
              fprintf (stderr, "%s: %s\n", cases[c].name, error->message);
              return 1;
            }
          rows = aq_report_result_get_n_rows (result);
          cols = aq_report_result_get_n_columns (result);
          if (r > 0)
            g_array_append_val (ms, elapsed);
        }
      {
        double median = median_of (ms);   /* sorts: the fastest is first afterwards */
        printf ("%-66s median %8.1f ms  min %8.1f ms  (%u rows × %u values; aim ≤ %s)\n",
                cases[c].name, median, g_array_index (ms, double, 0), rows, cols,
                cases[c].aim);
      }
    }

  /* A list of every account: opening it for paging, one page, and streaming it through. */
  {
    g_autoptr(AqReportSpec) spec = aq_report_spec_new_from_data (list_json, -1, &error);
    g_autoptr(GArray) open_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) stream_ms = g_array_new (FALSE, FALSE, sizeof (double));
    guint64 n = 0;

    for (guint r = 0; r < MAX (runs / 2, 1u); r++)
      {
        gint64 start = g_get_monotonic_time ();
        g_autoptr(AqReportList) list = aq_report_list_open (url, catalog, spec, NULL, NULL, &error);
        double t = (g_get_monotonic_time () - start) / 1000.0;

        if (list == NULL)
          {
            fprintf (stderr, "list: %s\n", error->message);
            return 1;
          }
        g_array_append_val (open_ms, t);
        n = aq_report_list_get_n_rows (list);
        for (guint p = 0; p < 5; p++)
          {
            g_autoptr(AqReportResult) page = NULL;
            start = g_get_monotonic_time ();
            page = aq_report_list_fetch (list, g_random_int_range (0, MAX (n - 200, 1)), 200,
                                         NULL, &error);
            t = (g_get_monotonic_time () - start) / 1000.0;
            g_assert_nonnull (page);
            g_array_append_val (page_ms, t);
          }
        {
          guint64 streamed = 0;
          start = g_get_monotonic_time ();
          if (!aq_report_run_stream (db, catalog, spec, NULL, count_row, &streamed, NULL, NULL,
                                     &error))
            {
              fprintf (stderr, "stream: %s\n", error->message);
              return 1;
            }
          t = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (stream_ms, t);
          g_assert_cmpuint (streamed, ==, n);
        }
      }
    printf ("list of all %" G_GUINT64_FORMAT " accounts: open for paging median %.0f ms, "
            "a 200-row page median %.1f ms, streamed through median %.0f ms\n",
            n, median_of (open_ms), median_of (page_ms), median_of (stream_ms));
  }
  return 0;
}

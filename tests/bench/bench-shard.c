/* bench-shard.c — one node vs two shards, side by side: the 360 and the report layouts
 *
 *   builddir/tests/bench/bench-shard CONNINFO SHARD1 SHARD2 [LOOKUPS [RUNS]]
 *
 * CONNINFO is a demo warehouse on one node (a superuser connection); SHARD1 and SHARD2 are
 * empty databases on two other PostgreSQL servers. It measures the 360 (aq_customer_360_load()
 * for LOOKUPS random accounts, default 300: p50 / p95) and the 7 pivots plus 连续6月0吨 of
 * bench-report and two shipped pivots over dm.customer_profile (median of RUNS, default 5,
 * after a warm-up), then moves the warehouse's big
 * account-grain tables onto the shards with aq_warehouse_shard() and measures the same again
 * on a new session. DESTRUCTIVE for the warehouse (it stays sharded): use a throwaway one.
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static const struct
{
  const char *name;
  const char *json;
} cases[] = {
  { "district × month: billed, amount, collection",
    "{\"rows\": [\"district\"], \"columns\": [\"month\"],"
    " \"values\": [\"billed_qty\", \"bill_amount\", \"collection_rate\"]}" },
  { "DMA-2 × customer type",
    "{\"rows\": [\"dma2\", \"customer_type\"],"
    " \"values\": [\"billed_qty\", \"read_rate\", \"avg_qty_per_account\"]}" },
  { "community × customer type",
    "{\"rows\": [\"community\", \"customer_type\"],"
    " \"values\": [\"billed_accounts\", \"bill_amount\", \"on_time_rate\"]}" },
  { "DMA-3 × month: NRW",
    "{\"rows\": [\"dma3\", \"month\"], \"values\": [\"nrw_siv\", \"nrw_billed\", \"nrw_rate\"]}" },
  { "channel × month: payments",
    "{\"rows\": [\"channel\"], \"columns\": [\"month\"],"
    " \"values\": [\"payments\", \"payment_amount\", \"avg_payment\"]}" },
  { "category × district: work orders",
    "{\"rows\": [\"wo_category\", \"district\"],"
    " \"values\": [\"wo_created\", \"wo_timely_rate\", \"wo_close_rate\"]}" },
  { "month × customer type: MoM, YoY",
    "{\"rows\": [\"month\", \"customer_type\"], \"values\": [\"billed_qty\","
    " {\"id\": \"billed_qty\", \"calc\": \"mom\"}, {\"id\": \"billed_qty\", \"calc\": \"yoy\"}]}" },
  { "连续6月0吨 (list)",
    "{\"kind\": \"list\", \"rows\": [\"account\", \"customer_name\", \"address\", \"district\","
    " \"community\", \"run_first\", \"run_last\"], \"values\": [\"zero_run_months\"],"
    " \"filters\": [{\"condition\": \"zero_run_within\", \"values\": [\"$p.from\", \"$p.to\", \"6\"]},"
    "  {\"dimension\": \"account_status\", \"values\": [\"normal\"]}],"
    " \"parameters\": [{\"name\": \"p\", \"type\": \"month_range\", \"label\": \"P\","
    " \"default\": \"@all\"}], \"sort\": [{\"value\": 0, \"descending\": true}]}" },
  /* two shipped pivots over a sharded table (dm.customer_profile) */
  { "customer structure (data/reports)", "customer_structure.json" },
  { "arrears by district (data/reports)", "arrears_by_district.json" },
};

static AqReportSpec *
case_spec (guint c)
{
  g_autoptr(GError) error = NULL;
  AqReportSpec *spec;

  if (cases[c].json[0] == '{')
    spec = aq_report_spec_new_from_data (cases[c].json, -1, &error);
  else
    {
      g_autofree char *path = g_build_filename (BENCH_SRCDIR, "..", "..", "data", "reports",
                                                cases[c].json, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      spec = aq_report_spec_new_from_file (file, &error);
    }
  g_assert_no_error (error);
  return spec;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
at (GArray *ms,
    double  q)
{
  g_array_sort (ms, compare_double);
  return g_array_index (ms, double, MIN ((guint) (q * ms->len), ms->len - 1));
}

/* fills @out: [0] 360 p50, [1] 360 p95, [2..] each case's median */
static void
measure (AqDb   *db,
         GStrv   accounts,
         guint   runs,
         double *out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCatalog) catalog = aq_catalog_load (db, NULL, &error);
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));

  g_assert_no_error (error);
  for (guint i = 0; accounts[i]; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AqCustomer360) view = aq_customer_360_load (db, accounts[i], AQ_ROLE_AGENT,
                                                            NULL, &error);
      double t = (g_get_monotonic_time () - start) / 1000.0;

      g_assert_no_error (error);
      g_array_append_val (ms, t);
    }
  out[0] = at (ms, 0.5);
  out[1] = at (ms, 0.95);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(AqReportSpec) spec = case_spec (c);

      g_array_set_size (ms, 0);
      for (guint r = 0; r <= runs; r++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(AqReportResult) result = aq_report_run (db, catalog, spec, NULL, NULL,
                                                            &error);
          double t = (g_get_monotonic_time () - start) / 1000.0;

          g_assert_no_error (error);
          if (r > 0)
            g_array_append_val (ms, t);
        }
      out[2 + c] = at (ms, 0.5);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqDb) sharded = NULL;
  g_auto(GStrv) accounts = NULL;
  guint lookups = argc > 4 ? (guint) atoi (argv[4]) : 300;
  guint runs = argc > 5 ? (guint) atoi (argv[5]) : 5;
  double one[2 + G_N_ELEMENTS (cases)], two[2 + G_N_ELEMENTS (cases)];
  const char *shards[3];
  gint64 moved = 0;
  gint64 start;

  setlocale (LC_ALL, "");
  if (argc < 4 || lookups == 0 || runs == 0)
    {
      fprintf (stderr, "Usage: %s CONNINFO SHARD1 SHARD2 [LOOKUPS [RUNS]]\n", argv[0]);
      return 2;
    }
  aq_core_init ();
  db = aq_db_connect (argv[1], &error);
  g_assert_no_error (error);
  {
    g_autofree char *n = g_strdup_printf ("%u", lookups);
    const char *params[] = { n };
    g_autofree char *list = aq_db_query_string (db,
      "SELECT string_agg(account_id, ',') FROM (SELECT account_id FROM dw.dim_account "
      "ORDER BY hashtext(account_id) LIMIT $1::int) a", 1, params, &error);

    g_assert_no_error (error);
    accounts = g_strsplit (list, ",", -1);
  }
  {
    g_autofree char *size = aq_db_query_string (db,
      "SELECT (SELECT count(*) FROM dw.dim_account) || ' accounts × ' || "
      "(SELECT count(DISTINCT period) FROM dw.fact_bill) || ' months'", 0, NULL, &error);

    printf ("warehouse: %s; %u 360s, %u runs per layout after a warm-up\n", size, lookups, runs);
  }

  measure (db, accounts, runs, one);
  shards[0] = argv[2];
  shards[1] = argv[3];
  shards[2] = NULL;
  start = g_get_monotonic_time ();
  if (!aq_warehouse_shard (db, shards, NULL, &moved, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  printf ("sharded: %" G_GINT64_FORMAT " rows moved in %.1f s\n", moved,
          (g_get_monotonic_time () - start) / 1e6);
  sharded = aq_db_connect (argv[1], &error);
  g_assert_no_error (error);
  measure (sharded, accounts, runs, two);

  printf ("%-44s %12s %12s\n", "", "one node", "two shards");
  printf ("%-44s %9.2f ms %9.2f ms\n", "360 p50", one[0], two[0]);
  printf ("%-44s %9.2f ms %9.2f ms\n", "360 p95", one[1], two[1]);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    printf ("%-44s %9.1f ms %9.1f ms\n", cases[c].name, one[2 + c], two[2 + c]);
  return 0;
}

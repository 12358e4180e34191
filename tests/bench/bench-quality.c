/* bench-quality.c — how fast the standard quality rules run: batched (one scan a table) and
 * one query a rule, and the dashboard's first paint from stored results
 *
 *   builddir/tests/bench/bench-quality [CONNINFO] [RUNS] [MODES]   (default 3 runs, all modes)
 *
 * MODES is a comma-separated list of: one (one scan per table on one connection), default
 * (the same on the default number of pooled connections), per-rule (one query per rule),
 * paint (the dashboard's first paint), truth, nowarm (no warm-up run before the timed ones),
 * detail (list the 40 slowest rules after a batched mode, not 6);
 * "all" (the default) is one,default,per-rule,paint.
 *
 * With "truth" nothing is timed: the standard set runs once and each rule that checks planted
 * dirt prints its failing count next to the simulator's truth (src_truth, or the sources' own
 * duplicates), "=" or "DIFFERS"; the exit status is 1 when one differs. This is the
 * exact-truth check at a scale too large for a test (the default demo: 100,000 accounts × 36
 * months). Each figure is printed with the load average at its end (/proc/loadavg).
 *
 * Without an argument it uses $AQUEDUCT_DATABASE_URL; the warehouse must hold the demo (src_*,
 * ods, dw, dm). Each timed mode runs once to warm the cache (unless nowarm), then RUNS times
 * through aq_quality_run_rules() exactly as the CLI and the scheduler do (read-only
 * transaction, statement timeout, samples of failing rows) but without storing; it prints the
 * median and fastest wall time, the statements sent, rules per second and checked rows per
 * second, and the slowest statements.
 *
 * "paint" stores one run of the standard set (as the CLI does), times the dashboard's load
 * from it, then again with a year of nightly history (364 copies of that run's results, one a
 * day before it), and deletes every run it wrote with their results, samples, alerts and
 * incidents, so a shared warehouse is left as it was. Figures go in docs/PERFORMANCE.md. */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static int
compare_duration (gconstpointer a,
                  gconstpointer b)
{
  double x = (*(AqQualityResult * const *) a)->duration_ms;
  double y = (*(AqQualityResult * const *) b)->duration_ms;

  return (x < y) - (x > y);
}

/* "1.23 4.56 7.89": the 1, 5 and 15 minute load averages */
static char *
load_average (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  parts = g_strsplit (text, " ", 4);
  return g_strv_length (parts) >= 3 ? g_strjoin (" ", parts[0], parts[1], parts[2], NULL)
                                    : g_strdup ("?");
}

static int slowest_listed = 6;  /* "detail": 40 */

static void
measure (AqDb       *db,
         GPtrArray  *rules,
         gboolean    per_rule,
         int         parallel,
         int         runs,
         gboolean    warm)
{
  g_autoptr(AqQualityRun) last = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  AqQualityOptions options;
  gint64 checked = 0;
  int scans = 0;

  aq_quality_options_init (&options);
  options.store = FALSE;
  options.one_query_per_rule = per_rule;
  options.parallel = parallel;
  for (int i = warm ? 0 : 1; i <= runs; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AqQualityRun) run = aq_quality_run_rules (db, rules, "bench", &options, NULL,
                                                          &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (run == NULL)
        g_error ("%s", error->message);
      if (i == 0)
        continue;  /* warm-up */
      g_array_append_val (times, ms);
      scans = run->scans;
      checked = 0;
      for (guint k = 0; k < run->results->len; k++)
        checked += ((AqQualityResult *) g_ptr_array_index (run->results, k))->checked;
      g_clear_pointer (&last, aq_quality_run_free);
      last = g_steal_pointer (&run);
    }
  g_array_sort (times, compare_double);
  {
    double median = g_array_index (times, double, times->len / 2);
    g_autofree char *load = load_average ();

    printf ("%-22s %d conn  %4u rules  %4d statements  median %8.0f ms  fastest %8.0f ms  "
            "%6.1f rules/s  %12.0f rows/s  load %s\n",
            per_rule ? "one query per rule" : "one scan per table", parallel, rules->len, scans,
            median, g_array_index (times, double, 0), rules->len / (median / 1000),
            checked / (median / 1000), load);
  }
  /* the slowest statements of the last run (a table's column rules share theirs) */
  if (last != NULL && !per_rule)
    {
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

      for (guint k = 0; k < last->results->len; k++)
        g_ptr_array_add (sorted, g_ptr_array_index (last->results, k));
      g_ptr_array_sort (sorted, compare_duration);
      for (guint k = 0; k < MIN (sorted->len, (guint) slowest_listed); k++)
        {
          AqQualityResult *r = g_ptr_array_index (sorted, k);

          printf ("    %8.0f ms  %s\n", r->duration_ms, r->rule_name);
        }
    }
}

/* The rules that check planted dirt and, for each, the planted count by independent SQL. */
static const struct
{
  const char *rule;
  const char *truth;
} planted[] = {
  { "ods.billing_bill.bill_unique", NULL },  /* the extract's repeated rows: summed per month */
  { "ods.billing_customer.customer_unique",
    "SELECT count(*) - count(DISTINCT cust_no) FROM src_billing.customer" },
  { "ods.billing_customer.mobile_empty_string",
    "SELECT count(*) FROM src_billing.customer WHERE mobile = ''" },
  { "ods.billing_bill.bill_batch_late", "SELECT count(*) FROM src_truth.late_load" },
  { "dw.dim_account.demolished_active",
    "SELECT count(*) FROM src_truth.anomaly WHERE kind = 'demolished_active'" },
  { "dw.dim_account.large_no_reads",
    "SELECT count(*) FROM src_truth.anomaly WHERE kind = 'large_no_reads'" },
  { "dw.dim_meter.missing_meter_paying",
    "SELECT count(*) FROM src_truth.anomaly WHERE kind = 'missing_meter_paying'" },
  { "dw.fact_bill.bill_reads_forward",
    "SELECT count(*) FROM src_truth.anomaly WHERE kind = 'read_backwards'" },
  /* the extracts' small dirt (src_truth.dirt, from 10,000 accounts up) */
  { "ods.billing_customer.mobile_mixed_format",
    "SELECT rows FROM src_truth.dirt WHERE kind = 'mixed_format_mobile'" },
  { "ods.billing_customer.mobile_is_mobile",
    "SELECT rows FROM src_truth.dirt WHERE kind = 'landline_in_mobile'" },
  { "dw.dim_customer.customer_created_past",
    "SELECT rows FROM src_truth.dirt WHERE kind = 'future_create_date'" },
  { "dw.dim_account.account_tariff",
    "SELECT rows FROM src_truth.dirt WHERE kind = 'tariff_outside_dictionary'" },
  { "dw.dim_account.account_meter_known",
    "SELECT rows FROM src_truth.dirt WHERE kind = 'orphan_meter_no'" },
  { "dw.fact_bill.bill_read_not_negative",
    "SELECT coalesce((SELECT rows FROM src_truth.dirt WHERE kind = 'negative_reading'), 0)" },
  { "dm.cube_nrw_monthly.nrw_zone_billed_drop",
    "SELECT CASE WHEN to_regclass('src_truth.volume_drop') IS NULL THEN 0 "
    "ELSE (SELECT count(*) FROM src_truth.volume_drop) END" },
};

/* Every standard rule that checks planted dirt: found against planted. */
static int
check_truth (AqDb      *db,
             GPtrArray *rules)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRun) run = NULL;
  g_autoptr(GString) dup = g_string_new ("SELECT coalesce(sum(n), 0) FROM (");
  g_autoptr(PGresult) months = NULL;
  AqQualityOptions options;
  gint64 start = g_get_monotonic_time ();
  int differ = 0;

  /* the bill extract's duplicates, month by month as the sources hold them, over the months
   * ods still holds (its landing window, migration 050) */
  months = aq_db_query (db, "SELECT format('%I.%I', table_schema, table_name) FROM "
                            "information_schema.tables WHERE table_schema = 'src_billing' "
                            "AND table_name ~ '^bill_[0-9]{6}$' AND right(table_name, 6) IN "
                            "(SELECT DISTINCT period::text FROM ods.billing_bill) ORDER BY 1",
                        0, NULL, &error);
  if (months == NULL)
    g_error ("%s", error->message);
  for (int i = 0; i < PQntuples (months); i++)
    g_string_append_printf (dup, "%sSELECT count(*) - count(DISTINCT bill_no) AS n FROM %s",
                            i ? " UNION ALL " : "", PQgetvalue (months, i, 0));
  g_string_append (dup, ") d");

  aq_quality_options_init (&options);
  options.store = FALSE;
  run = aq_quality_run_rules (db, rules, "truth", &options, NULL, &error);
  if (run == NULL)
    g_error ("%s", error->message);
  printf ("standard set: %u rules in %.1f s\n", run->results->len,
          (g_get_monotonic_time () - start) / 1e6);
  printf ("%-44s %10s %10s\n", "rule", "planted", "found");
  for (guint i = 0; i < G_N_ELEMENTS (planted); i++)
    {
      const char *sql = planted[i].truth ? planted[i].truth : dup->str;

      if (strstr (sql, "src_truth.dirt") != NULL
          && !aq_test_query_int64 (db, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                       "'src_truth' AND tablename = 'dirt'"))
        {
          printf ("%-44s %10s (no src_truth.dirt: a demo from before it)\n", planted[i].rule,
                  "?");
          continue;
        }
      g_autofree char *truth = aq_db_query_string (db, sql, 0, NULL, &error);
      const AqQualityResult *found = NULL;

      if (truth == NULL)
        g_error ("%s: %s", planted[i].rule, error->message);
      for (guint k = 0; k < run->results->len; k++)
        if (g_str_equal (((AqQualityResult *) g_ptr_array_index (run->results, k))->rule_name,
                         planted[i].rule))
          found = g_ptr_array_index (run->results, k);
      if (found == NULL)
        g_error ("no standard rule %s", planted[i].rule);
      printf ("%-44s %10s %10" G_GINT64_FORMAT "  %s\n", planted[i].rule, truth, found->failing,
              g_ascii_strtoll (truth, NULL, 10) == found->failing ? "=" : "DIFFERS");
      differ += g_ascii_strtoll (truth, NULL, 10) != found->failing;
      for (guint k = 0; k < MIN (found->samples->len, 3); k++)
        {
          AqQualitySample *sample = g_ptr_array_index (found->samples, k);

          printf ("    %s  %s\n", sample->row_key, sample->value ? sample->value : "");
        }
    }
  {
    g_autofree char *load = load_average ();

    printf ("%d of %u differ; load %s\n", differ, (guint) G_N_ELEMENTS (planted), load);
  }
  return differ ? 1 : 0;
}

static double
paint_median (AqDb *db,
              int   runs)
{
  g_autoptr(GArray) paint = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i <= MAX (runs, 3); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AqQualityDashboard) dash = aq_quality_dashboard_load (db, 30, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (dash == NULL)
        g_error ("%s", error->message);
      if (i > 0)
        g_array_append_val (paint, ms);
    }
  g_array_sort (paint, compare_double);
  return g_array_index (paint, double, paint->len / 2);
}

static void
exec_or_die (AqDb       *db,
             const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!aq_db_exec (db, sql, &error))
    g_error ("%s", error->message);
}

/* The dashboard's first paint from stored results: after one stored run, then with a year of
 * nightly history; every run written here is deleted again (results, samples and alerts
 * cascade; incidents are put back as they were). */
static void
measure_paint (AqDb      *db,
               GPtrArray *rules,
               int        runs)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRun) run = NULL;
  g_autofree char *first = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *load = NULL;
  double one, year;

  first = aq_db_query_string (db, "SELECT coalesce(max(run_id), 0) + 1 FROM meta.quality_run",
                              0, NULL, &error);
  if (first == NULL)
    g_error ("%s", error->message);
  exec_or_die (db, "CREATE TEMP TABLE bench_incident AS SELECT * FROM meta.quality_incident");
  run = aq_quality_run_rules (db, rules, "bench", NULL, NULL, &error);
  if (run == NULL)
    g_error ("%s", error->message);
  one = paint_median (db, runs);
  /* 364 earlier nights: the same results, one day apart */
  sql = g_strdup_printf ("WITH n AS (INSERT INTO meta.quality_run (scope, trigger, started_at, "
                         "finished_at, status, rules, scans, duration_ms) SELECT 'bench-history', "
                         "'schedule', r.started_at - g * interval '1 day', r.finished_at - g * "
                         "interval '1 day', r.status, r.rules, r.scans, r.duration_ms FROM "
                         "meta.quality_run r, generate_series(364, 1, -1) g WHERE r.run_id = "
                         "%" G_GINT64_FORMAT " RETURNING run_id), s AS (INSERT INTO "
                         "meta.quality_result SELECT n.run_id, q.rule_name, q.rule_version, "
                         "q.layer, q.table_name, q.dimension, q.severity, q.checked_rows, "
                         "q.failing_rows, q.measured, q.status, q.message, q.duration_ms FROM n, "
                         "meta.quality_result q WHERE q.run_id = %" G_GINT64_FORMAT
                         " RETURNING run_id, rule_name) INSERT INTO meta.quality_sample SELECT "
                         "s.run_id, q.rule_name, q.ord, q.row_key, q.value FROM s JOIN "
                         "meta.quality_sample q USING (rule_name) WHERE q.run_id = %"
                         G_GINT64_FORMAT, run->run_id, run->run_id, run->run_id);
  exec_or_die (db, sql);
  /* (the copies have the larger run ids, so the dashboard's latest results are a copy's:
   * the same rows, the same work) */
  exec_or_die (db, "ANALYZE meta.quality_result");
  stored = aq_db_query_string (db, "SELECT count(*) FROM meta.quality_result", 0, NULL, NULL);
  year = paint_median (db, runs);
  sql = g_strdup_printf ("BEGIN; "
                         "DELETE FROM meta.quality_incident WHERE opened_run >= %s; "
                         "INSERT INTO meta.quality_incident SELECT * FROM bench_incident "
                         "  ON CONFLICT DO NOTHING; "
                         "DELETE FROM meta.quality_run WHERE run_id >= %s; "
                         "COMMIT; DROP TABLE bench_incident", first, first);
  exec_or_die (db, sql);
  load = load_average ();
  printf ("dashboard from stored results: one run %.1f ms, a year of nightly runs (%s results "
          "stored) %.1f ms (median of %d; aim ≤ 200 ms)  load %s\n", one, stored, year,
          MAX (runs, 3), load);
}

static gboolean
has_mode (GStrv       modes,
          const char *mode)
{
  return g_strv_contains ((const char * const *) modes, mode)
         || (g_strv_contains ((const char * const *) modes, "all")
             && !g_str_equal (mode, "truth") && !g_str_equal (mode, "nowarm"));
}

int
main (int   argc,
      char *argv[])
{
  const char *conninfo = argc > 1 ? argv[1] : g_getenv ("AQUEDUCT_DATABASE_URL");
  int runs = argc > 2 ? atoi (argv[2]) : 3;
  g_auto(GStrv) modes = g_strsplit (argc > 3 ? argv[3] : "all", ",", -1);
  gboolean warm = !g_strv_contains ((const char * const *) modes, "nowarm");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autofree char *accounts = NULL;
  g_autofree char *bills = NULL;
  g_autofree char *months = NULL;

  setlocale (LC_ALL, "");
  aq_core_init ();
  db = aq_db_connect (conninfo, &error);
  if (db == NULL)
    g_error ("%s", error->message);
  rules = aq_quality_list_rules (db, &error);
  if (rules == NULL)
    g_error ("%s", error->message);
  accounts = aq_db_query_string (db, "SELECT count(*) FROM dw.dim_account", 0, NULL, NULL);
  bills = aq_db_query_string (db, "SELECT count(*) FROM dw.fact_bill", 0, NULL, NULL);
  months = aq_db_query_string (db, "SELECT count(DISTINCT period) FROM dw.fact_bill", 0, NULL,
                               NULL);
  printf ("warehouse: %s accounts, %s months, %s bills; %d runs%s\n", accounts, months, bills,
          runs, warm ? " after a warm-up" : ", no warm-up");
  if (g_strv_contains ((const char * const *) modes, "detail"))
    slowest_listed = 40;
  if (has_mode (modes, "truth"))
    return check_truth (db, rules);
  if (has_mode (modes, "one"))
    measure (db, rules, FALSE, 1, runs, warm);
  if (has_mode (modes, "default"))
    measure (db, rules, FALSE, AQ_QUALITY_DEFAULT_PARALLEL, runs, warm);
  if (has_mode (modes, "per-rule"))
    measure (db, rules, TRUE, AQ_QUALITY_DEFAULT_PARALLEL, runs, warm);
  if (has_mode (modes, "paint"))
    measure_paint (db, rules, runs);
  return 0;
}

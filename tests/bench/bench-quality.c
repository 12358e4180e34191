/* bench-quality.c — how fast the standard quality rules run: batched (one scan a table) and
 * one query a rule, and the dashboard's first paint from stored results
 *
 *   builddir/tests/bench/bench-quality [CONNINFO] [RUNS] [default|truth]   (default 3 runs)
 *
 * With "default" only the default mode runs (one scan per table on the default number of
 * connections), for before/after pairs at large scales. With "truth" nothing is timed: the
 * standard set runs once and each rule that checks planted dirt prints its failing count next
 * to the simulator's truth (src_truth, or the sources' own duplicates), "=" or "DIFFERS";
 * the exit status is 1 when one differs. This is the exact-truth check at a scale too large for
 * a test (the default demo: 100,000 accounts × 36 months). Each figure is printed with the load
 * average at its end (/proc/loadavg), since the machine may be shared.
 *
 * Without an argument it uses $AQUEDUCT_DATABASE_URL; the warehouse must hold the demo (src_*,
 * ods, dw, dm). Each mode runs once to warm the cache, then RUNS times through
 * aq_quality_run_rules() exactly as the CLI and the scheduler do (read-only transaction,
 * statement timeout, samples of failing rows) but without storing; it prints the median and
 * fastest wall time, the statements sent, rules per second and checked rows per second, and
 * the slowest statements; one scan per table on one connection and on the default number of
 * pooled connections sharing one snapshot (AQ_QUALITY_DEFAULT_PARALLEL).
 * Figures go in docs/PERFORMANCE.md.
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

static void
measure (AqDb       *db,
         GPtrArray  *rules,
         gboolean    per_rule,
         int         parallel,
         int         runs)
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
  for (int i = 0; i <= runs; i++)
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
      for (guint k = 0; k < MIN (sorted->len, 6); k++)
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

  /* the bill extract's duplicates, month by month as the sources hold them */
  months = aq_db_query (db, "SELECT format('%I.%I', table_schema, table_name) FROM "
                            "information_schema.tables WHERE table_schema = 'src_billing' "
                            "AND table_name ~ '^bill_[0-9]{6}$' ORDER BY 1", 0, NULL, &error);
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

int
main (int   argc,
      char *argv[])
{
  const char *conninfo = argc > 1 ? argv[1] : g_getenv ("AQUEDUCT_DATABASE_URL");
  int runs = argc > 2 ? atoi (argv[2]) : 3;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GArray) paint = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *accounts = NULL;
  g_autofree char *bills = NULL;

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
  printf ("warehouse: %s accounts, %s bills; %d runs after a warm-up\n", accounts, bills, runs);
  if (argc > 3 && g_str_equal (argv[3], "truth"))
    return check_truth (db, rules);
  if (argc > 3 && g_str_equal (argv[3], "default"))
    {
      measure (db, rules, FALSE, AQ_QUALITY_DEFAULT_PARALLEL, runs);
      return 0;
    }
  measure (db, rules, FALSE, 1, runs);
  measure (db, rules, FALSE, AQ_QUALITY_DEFAULT_PARALLEL, runs);
  measure (db, rules, TRUE, AQ_QUALITY_DEFAULT_PARALLEL, runs);

  /* the dashboard's first paint: what the panel loads from stored results */
  {
    g_autoptr(AqQualityRun) run = aq_quality_run_rules (db, rules, "bench", NULL, NULL, &error);

    if (run == NULL)
      g_error ("%s", error->message);
  }
  for (int i = 0; i <= runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(AqQualityDashboard) dash = aq_quality_dashboard_load (db, 30, &error);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      if (dash == NULL)
        g_error ("%s", error->message);
      if (i > 0)
        g_array_append_val (paint, ms);
    }
  g_array_sort (paint, compare_double);
  printf ("dashboard from stored results: median %.1f ms (aim ≤ 200 ms)\n",
          g_array_index (paint, double, paint->len / 2));
  return 0;
}

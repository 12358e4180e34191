/* bench-quality.c — how fast the standard quality rules run: batched (one scan a table) and
 * one query a rule, and the dashboard's first paint from stored results
 *
 *   builddir/tests/bench/bench-quality [CONNINFO] [RUNS] [default]   (default 3 runs)
 *
 * With "default" only the default mode runs (one scan per table on the default number of
 * connections), for before/after pairs at large scales. Each figure is printed with the load
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

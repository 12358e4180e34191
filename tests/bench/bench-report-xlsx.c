/* bench-report-xlsx.c — a list of a million rows and more to Excel: wall time and peak memory
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-report-xlsx [SPEC.json] [K=V …]
 *       runs the LIST report SPEC (default tests/bench/bill-detail-list.json: the bill detail
 *       rows of ten months, ≥ 1 M rows on the default 100 k-account demo warehouse) and
 *       streams it into an .xlsx, as `aqueductctl report run … --xlsx` does;
 *   builddir/tests/bench/bench-report-xlsx --synthetic [ROWS]
 *       the writer alone, fed ROWS (default 1,000,000) rows of the same shape, no warehouse.
 *
 * Every run is a child process, so its peak resident memory (wait4's ru_maxrss) is its own;
 * BENCH_RUNS runs (default 3), medians printed: wall time, CPU time of the process (user +
 * system: on a shared machine the wall time includes waiting for a core) and peak RSS. The file
 * goes to /tmp and is deleted (kept with BENCH_KEEP=1).
 */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "aq-report-private.h"

static gboolean synthetic;
static guint64 synthetic_rows = 1000000;
static const char *spec_path = BENCH_SRCDIR "/bill-detail-list.json";
static GHashTable *params;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

static AqReportResult *
synthetic_header (void)
{
  const char *lines[] = { "账期: 2024-01..2024-10", NULL };
  AqReportResult *r = _aq_report_result_new (AQ_REPORT_KIND_LIST, "账单明细", lines, "", NULL);
  const char *qty[] = { "水量" }, *fee[] = { "水费" }, *amount[] = { "应收金额" };

  _aq_report_result_add_row_dim (r, "account", "户号");
  _aq_report_result_add_row_dim (r, "period", "账期");
  _aq_report_result_add_row_dim (r, "customer_name", "户名");
  _aq_report_result_add_row_dim (r, "community", "小区");
  _aq_report_result_add_row_dim (r, "read_status", "抄表状态");
  _aq_report_result_set_n_header_levels (r, 1);
  _aq_report_result_add_column (r, AQ_REPORT_COLUMN_DETAIL, 0, "billed_qty",
                                AQ_REPORT_CALC_NONE, "#,##0", qty, NULL);
  _aq_report_result_add_column (r, AQ_REPORT_COLUMN_DETAIL, 1, "water_fee",
                                AQ_REPORT_CALC_NONE, "#,##0.00", fee, NULL);
  _aq_report_result_add_column (r, AQ_REPORT_COLUMN_DETAIL, 2, "amount",
                                AQ_REPORT_CALC_NONE, "#,##0.00", amount, NULL);
  return r;
}

static gboolean
run_synthetic (const char  *path,
               guint64     *rows,
               GError     **error)
{
  static const char *const names[] = { "王建国", "李秀英", "张伟", "刘洋", "陈静" };
  static const char *const places[] = { "幸福里小区", "滨江花园", "东湖新村", "光明苑" };
  g_autoptr(AqReportResult) header = synthetic_header ();
  g_autoptr(AqReportXlsxStream) stream = aq_report_xlsx_stream_new (path, error);

  if (stream == NULL)
    return FALSE;
  for (guint64 i = 0; i < synthetic_rows; i++)
    {
      char account[16], period[16], qty[16], fee[24], amount[24];
      const char *cells[8] = { account, period, names[i % 5], places[i % 4],
                               i % 13 ? "正常" : "估抄", qty, fee, amount };

      g_snprintf (account, sizeof account, "A%07" G_GUINT64_FORMAT, i / 10);
      g_snprintf (period, sizeof period, "2024-%02u-01", (guint) (i % 10) + 1);
      g_snprintf (qty, sizeof qty, "%u", (guint) (i % 37));
      g_snprintf (fee, sizeof fee, "%u.%02u", (guint) (i % 37) * 3, (guint) (i % 100));
      g_snprintf (amount, sizeof amount, "%u.%02u", (guint) (i % 37) * 5, (guint) (i % 100));
      if (!aq_report_xlsx_stream_add_row (header, i, cells, stream, error))
        return FALSE;
    }
  *rows = aq_report_xlsx_stream_get_n_rows (stream);
  return aq_report_xlsx_stream_finish (stream, header, error);
}

static gboolean
run_report (const char  *path,
            guint64     *rows,
            GError     **error)
{
  g_autoptr(AqDb) db = aq_db_connect (g_getenv ("AQUEDUCT_DATABASE_URL"), error);
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (spec_path);
  g_autoptr(AqReportSpec) spec = NULL;

  if (db == NULL || (catalog = aq_catalog_load (db, NULL, error)) == NULL
      || (spec = aq_report_spec_new_from_file (file, error)) == NULL)
    return FALSE;
  return aq_report_export_list (db, catalog, spec, params, path, NULL, rows, NULL, error);
}

/* The child: one export; writes "rows bytes seconds" to @fd. */
static int
child (int fd)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/tmp/bench-report-xlsx-%d.xlsx", (int) getpid ());
  g_autofree char *line = NULL;
  gint64 start = g_get_monotonic_time ();
  guint64 rows = 0;
  GStatBuf st = { 0 };
  gboolean ok;

  ok = synthetic ? run_synthetic (path, &rows, &error) : run_report (path, &rows, &error);
  if (!ok)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  g_stat (path, &st);
  line = g_strdup_printf ("%" G_GUINT64_FORMAT " %lld %.3f\n", rows, (long long) st.st_size,
                          (g_get_monotonic_time () - start) / 1e6);
  if (!g_getenv ("BENCH_KEEP")) g_unlink (path);
  return write (fd, line, strlen (line)) == (ssize_t) strlen (line) ? 0 : 1;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) megabytes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  const char *runs_env = g_getenv ("BENCH_RUNS");
  guint runs = runs_env ? (guint) atoi (runs_env) : 3;
  guint64 rows = 0;
  long long bytes = 0;

  setlocale (LC_ALL, "");
  aq_core_init ();
  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (int i = 1; i < argc; i++)
    {
      const char *eq = strchr (argv[i], '=');

      if (strcmp (argv[i], "--synthetic") == 0)
        {
          synthetic = TRUE;
          if (i + 1 < argc && g_ascii_isdigit (argv[i + 1][0]))
            synthetic_rows = g_ascii_strtoull (argv[++i], NULL, 10);
        }
      else if (eq)
        g_hash_table_insert (params, g_strndup (argv[i], eq - argv[i]), g_strdup (eq + 1));
      else
        spec_path = argv[i];
    }
  if (!synthetic && (g_getenv ("AQUEDUCT_DATABASE_URL") == NULL
                     || *g_getenv ("AQUEDUCT_DATABASE_URL") == '\0'))
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [SPEC.json] [K=V …]\n"
                       "       %s --synthetic [ROWS]\n", argv[0], argv[0]);
      return 2;
    }

  for (guint run = 0; run < MAX (runs, 1); run++)
    {
      int fds[2];
      struct rusage usage;
      int status;
      pid_t pid;
      char buffer[128] = { 0 };
      double secs;

      g_assert_cmpint (pipe (fds), ==, 0);
      fflush (NULL);
      pid = fork ();
      if (pid == 0)
        {
          close (fds[0]);
          _exit (child (fds[1]));
        }
      close (fds[1]);
      if (read (fds[0], buffer, sizeof buffer - 1) <= 0)
        buffer[0] = '\0';
      close (fds[0]);
      if (wait4 (pid, &status, 0, &usage) != pid || !WIFEXITED (status)
          || WEXITSTATUS (status) != 0
          || sscanf (buffer, "%" G_GUINT64_FORMAT " %lld %lf", &rows, &bytes, &secs) != 3)
        {
          fprintf (stderr, "run %u failed\n", run + 1);
          return 1;
        }
      g_array_append_val (seconds, secs);
      {
        double mb = usage.ru_maxrss / 1024.0;
        double cpu_secs = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                          + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;

        g_array_append_val (megabytes, mb);
        g_array_append_val (cpu, cpu_secs);
        printf ("  run %u: %" G_GUINT64_FORMAT " rows, %.1f MB file, %.2f s (CPU %.2f s), "
                "peak RSS %.1f MB\n", run + 1, rows, bytes / 1048576.0, secs, cpu_secs, mb);
      }
    }
  printf ("%s list → xlsx, %" G_GUINT64_FORMAT " rows: median %.2f s (aim ≤ 15 s), "
          "CPU %.2f s, peak RSS %.1f MB (aim ≤ 150 MB)\n", synthetic ? "synthetic" : "report",
          rows, median (seconds), median (cpu), median (megabytes));
  return 0;
}

/* bench-report-grid.c — how a big list report scrolls in the designer's grid
 *
 *   xvfb-run -a -s "-screen 0 1280x1024x24" builddir/tests/bench/bench-report-grid \
 *       [CONNINFO] [JUMPS]                                   (default 20 jumps)
 *
 * Without a conninfo it uses $AQUEDUCT_DATABASE_URL (a running warehouse with the catalog
 * migrated). The list is every bill (account × month: 3.6 M rows at the default demo scale,
 * 60 M at 1 M × 60); $BENCH_LIST_JSON replaces it. The real pieces: AqReportList holds the rows
 * in the warehouse, AqReportRowModel pages them from worker threads, AqReportGrid's
 * GtkColumnView shows them in a real window. It prints the time to open the list, the time to
 * the first screen of rows, and for random jumps of the scrollbar (the worst case: nothing
 * cached) and for page-by-page scrolling the median and worst time until the screen shows real
 * rows again, plus the longest frame the main loop took meanwhile (what "smooth" feels like).
 */
#include <adwaita.h>
#include <stdio.h>

#include "aq-test-util.h"

#include "aq-report-grid.h"
#include "aq-report-grid-row.h"
#include "aq-report-row-model.h"
#include "aq-report-table.h"
#include "aq-ui.h"

static const char *default_json =
  "{\"kind\": \"list\", \"title\": \"every bill\", \"rows\": [\"account\", \"customer_name\","
  " \"address\", \"district\", \"month\"], \"values\": [\"bill_qty\", \"bill_amount_detail\"]}";

static double max_frame_ms;
static gint64 last_frame;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median_of (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len ? g_array_index (values, double, values->len / 2) : 0;
}

static double
max_of (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len ? g_array_index (values, double, values->len - 1) : 0;
}

static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_frame != 0)
    max_frame_ms = MAX (max_frame_ms, (now - last_frame) / 1000.0);
  last_frame = now;
  return G_SOURCE_CONTINUE;
}

/* The rows the view shows around @first are real (not placeholders). */
static gboolean
screen_ready (GListModel *rows,
              guint       first,
              guint       n)
{
  for (guint i = first; i < MIN (first + n, g_list_model_get_n_items (rows)); i++)
    {
      g_autoptr(AqReportGridRow) row = g_list_model_get_item (rows, i);

      if (aq_report_grid_row_get_kind (row) == AQ_REPORT_GRID_ROW_LOADING)
        return FALSE;
    }
  return TRUE;
}

/* Moves the scrollbar to @row and waits until that screen shows real rows: milliseconds. */
static double
scroll_to (GtkAdjustment *vadj,
           GListModel    *rows,
           guint          row,
           guint          screen_rows)
{
  double per_row = gtk_adjustment_get_upper (vadj) / g_list_model_get_n_items (rows);
  gint64 start = g_get_monotonic_time ();

  gtk_adjustment_set_value (vadj, row * per_row);
  /* let the view ask for the rows it now shows */
  for (int i = 0; i < 3; i++)
    g_main_context_iteration (NULL, FALSE);
  while (!screen_ready (rows, row, screen_rows))
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  const char *url = argc > 1 ? argv[1] : g_getenv ("AQUEDUCT_DATABASE_URL");
  guint jumps = argc > 2 ? (guint) atoi (argv[2]) : 20;
  const char *json = g_getenv ("BENCH_LIST_JSON") ? g_getenv ("BENCH_LIST_JSON") : default_json;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(AqReportList) list = NULL;
  g_autoptr(AqReportRowModel) model = NULL;
  g_autoptr(GArray) jump_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) page_ms = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWidget *window;
  GtkWidget *grid;
  GtkAdjustment *vadj;
  guint64 n;
  gint64 start;
  double open_ms;
  double first_ms;
  double jump_frame;
  guint screen_rows = 30;

  if (url == NULL)
    {
      fprintf (stderr,
               "usage: bench-report-grid CONNINFO [JUMPS] (or set AQUEDUCT_DATABASE_URL)\n");
      return 2;
    }
  gtk_init ();
  adw_init ();
  aq_ui_init ();

  db = aq_db_connect (url, &error);
  if (db != NULL)
    catalog = aq_catalog_load (db, NULL, &error);
  if (catalog != NULL)
    spec = aq_report_spec_new_from_data (json, -1, &error);
  if (spec == NULL)
    {
      fprintf (stderr, "bench-report-grid: %s\n", error->message);
      return 1;
    }

  start = g_get_monotonic_time ();
  list = aq_report_list_open (url, catalog, spec, NULL, NULL, &error);
  if (list == NULL)
    {
      fprintf (stderr, "bench-report-grid: %s\n", error->message);
      return 1;
    }
  open_ms = (g_get_monotonic_time () - start) / 1000.0;
  n = aq_report_list_get_n_rows (list);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  grid = g_object_new (AQ_TYPE_REPORT_GRID, NULL);
  gtk_window_set_child (GTK_WINDOW (window), grid);
  gtk_widget_add_tick_callback (window, tick_cb, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));

  start = g_get_monotonic_time ();
  model = aq_report_row_model_new_paged ((guint) MIN (n, G_MAXUINT), 200,
                                         aq_report_table_fetch_list, g_object_ref (list),
                                         g_object_unref);
  aq_report_grid_set_table (AQ_REPORT_GRID (grid),
                            aq_report_table_columns (aq_report_list_get_header (list)), NULL,
                            G_LIST_MODEL (model));
  while (!screen_ready (G_LIST_MODEL (model), 0, screen_rows)
         || !gtk_widget_get_mapped (grid))
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (window);
  first_ms = (g_get_monotonic_time () - start) / 1000.0;

  vadj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (aq_report_grid_get_column_view (
                                           AQ_REPORT_GRID (grid))));
  max_frame_ms = 0;
  last_frame = 0;
  for (guint j = 0; j < jumps; j++)
    {
      double t = scroll_to (vadj, G_LIST_MODEL (model),
                            g_random_int_range (0, (gint32) MIN (n - screen_rows, G_MAXINT32)),
                            screen_rows);
      g_array_append_val (jump_ms, t);
    }
  jump_frame = max_frame_ms;

  /* page by page, as a user holding Page Down */
  max_frame_ms = 0;
  last_frame = 0;
  for (guint p = 0; p < jumps * 5; p++)
    {
      double t = scroll_to (vadj, G_LIST_MODEL (model), 1000 + p * screen_rows, screen_rows);
      g_array_append_val (page_ms, t);
    }

  printf ("machine: %u cores\n", g_get_num_processors ());
  printf ("list of %" G_GUINT64_FORMAT " rows: open %.0f ms, first screen %.0f ms\n", n,
          open_ms, first_ms);
  printf ("random jumps (%u): median %.0f ms, worst %.0f ms until real rows; longest frame "
          "%.0f ms\n", jumps, median_of (jump_ms), max_of (jump_ms), jump_frame);
  printf ("page by page (%u): median %.1f ms, worst %.0f ms until real rows; longest frame "
          "%.0f ms; pages fetched %u\n", jumps * 5, median_of (page_ms), max_of (page_ms),
          max_frame_ms, aq_report_row_model_get_n_fetched_pages (model));
  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}

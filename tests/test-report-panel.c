/* test-report-panel.c — the real report designer on a small real demo warehouse
 *
 * Builds a 2000-account, 24-month demo warehouse and the real window against it, drops catalog
 * fields into the zones through the zones' real GtkDropTargets (the "drop" signal with the
 * field as its GValue, as a drag from the catalog delivers it) and checks the grid — every
 * header level and the cells — against independent SQL over the warehouse's fact tables. Then:
 * a dimension the indicator cannot be cut by is refused with the field named, undo and redo
 * walk the layout back and forth, the keyboard adds and removes fields, chips reorder by a drop
 * within their zone, and the chart view draws the same result.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-chart.h"
#include "aq-panel.h"
#include "aq-report-field-item.h"
#include "aq-report-grid-row.h"
#include "aq-report-open-dialog.h"
#include "aq-report-drill-window.h"
#include "aq-report-panel.h"
#include "aq-report-row-model.h"
#include "aq-report-table.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_report_panel"

static AqDb *db;
static AqWindow *window;
static AqReportPanel *panel;

/* ---- helpers ---- */

static gboolean
panel_ready (gpointer data)
{
  return !aq_panel_get_loading (AQ_PANEL (panel))
         && aq_report_panel_get_catalog (panel) != NULL;
}

static void
wait_run (const char *what)
{
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (panel_ready, NULL, 90, what);
}

static void
drop_field (AqReportZone  zone,
            const char   *id,
            double        x)
{
  AqReportCatalogView *catalog = aq_report_panel_get_catalog_view (panel);
  AqReportFieldItem *field = aq_report_catalog_view_find (catalog, id);
  GtkDropTarget *target = aq_drop_zone_get_drop_target (aq_report_panel_get_zone (panel, zone));
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  g_assert_nonnull (field);
  g_value_init (&value, AQ_TYPE_REPORT_FIELD_ITEM);
  g_value_set_object (&value, field);
  g_signal_emit_by_name (target, "drop", &value, x, 4.0, &accepted);
  g_assert_true (accepted);
}

static const char *
zone_id (AqReportZone zone,
         guint        i)
{
  return aq_report_field_item_get_id (aq_drop_zone_get_field (aq_report_panel_get_zone (panel,
                                                                                         zone),
                                                              i));
}

/* "1,234.50" → 1234.5 */
static double
parse_cell (const char *text)
{
  g_autoptr(GString) plain = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != ',')
      g_string_append_c (plain, *p);
  return g_ascii_strtod (plain->str, NULL);
}

static AqReportGridRow *
grid_row (guint i)
{
  GListModel *rows = aq_report_grid_get_rows (aq_report_panel_get_grid (panel));
  AqReportGridRow *row = g_list_model_get_item (rows, i);

  g_object_unref (row);   /* the static model keeps it */
  return row;
}

/* ---- tests ---- */

/* Rows: district; Columns: year; Values: billed volume and amount billed. */
static void
test_pivot (void)
{
  AqReportGrid *grid = aq_report_panel_get_grid (panel);
  GPtrArray *levels;
  GPtrArray *spans;
  g_autoptr(GHashTable) expected_qty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              g_free);
  g_autoptr(GHashTable) expected_amount = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                 g_free);
  g_autoptr(GError) error = NULL;
  PGresult *sql;
  guint n_years;
  guint n_rows;
  guint checked = 0;
  guint total_rows = 0;

  drop_field (AQ_REPORT_ZONE_ROWS, "district", 0);
  drop_field (AQ_REPORT_ZONE_COLUMNS, "year", 0);
  drop_field (AQ_REPORT_ZONE_VALUES, "billed_qty", 0);
  /* far right: after the first chip */
  drop_field (AQ_REPORT_ZONE_VALUES, "bill_amount", 10000);
  wait_run ("the pivot");
  g_assert_null (aq_report_panel_get_error (panel));
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_VALUES, 0), ==, "billed_qty");
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_VALUES, 1), ==, "bill_amount");

  n_years = aq_test_query_int64 (db, "SELECT count(DISTINCT date_trunc('year', period))"
                                     " FROM dw.fact_bill");
  g_assert_cmpuint (n_years, >=, 2);

  /* the header: the years over the values' names */
  levels = aq_report_grid_get_levels (grid);
  g_assert_nonnull (levels);
  g_assert_cmpuint (levels->len, ==, 1);
  spans = g_ptr_array_index (levels, 0);
  g_assert_cmpstr (aq_report_grid_get_column_title (grid, 0), ==, "District");
  for (guint y = 0; y < n_years; y++)
    {
      AqHeaderSpan *span = g_ptr_array_index (spans, 1 + y);
      g_autofree char *sql_year = NULL;
      g_autofree char *query = g_strdup_printf ("SELECT DISTINCT extract(year FROM period)::text"
                                                " FROM dw.fact_bill ORDER BY 1 OFFSET %u LIMIT 1",
                                                y);

      sql_year = aq_test_query_string (db, query);
      g_assert_cmpstr (span->label, ==, sql_year);
      g_assert_cmpuint (span->first, ==, 1 + 2 * y);
      g_assert_cmpuint (span->n, ==, 2);
      g_assert_cmpstr (aq_report_grid_get_column_title (grid, span->first), ==, "Billed volume");
      g_assert_cmpstr (aq_report_grid_get_column_title (grid, span->first + 1), ==,
                       "Amount billed");
    }

  /* the cells, against the bills themselves */
  sql = aq_db_query (db,
                     "SELECT dd.name || '/' || extract(year FROM b.period)::text,"
                     "       sum(b.qty)::text, sum(b.amount)::text"
                     "  FROM dw.fact_bill b JOIN dw.dim_account a USING (account_id)"
                     "  JOIN dw.dim_district dd ON dd.district_code = a.district_code"
                     " GROUP BY dd.name, extract(year FROM b.period)", 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (sql); i++)
    {
      g_hash_table_insert (expected_qty, g_strdup (PQgetvalue (sql, i, 0)),
                           g_strdup (PQgetvalue (sql, i, 1)));
      g_hash_table_insert (expected_amount, g_strdup (PQgetvalue (sql, i, 0)),
                           g_strdup (PQgetvalue (sql, i, 2)));
    }
  PQclear (sql);

  n_rows = g_list_model_get_n_items (aq_report_grid_get_rows (grid));
  g_assert_cmpuint (n_rows, >, 1);
  for (guint r = 0; r < n_rows; r++)
    {
      AqReportGridRow *row = grid_row (r);

      if (aq_report_grid_row_get_kind (row) == AQ_REPORT_GRID_ROW_TOTAL)
        {
          total_rows++;
          continue;
        }
      g_assert_cmpint (aq_report_grid_row_get_kind (row), ==, AQ_REPORT_GRID_ROW_DATA);
      for (guint y = 0; y < n_years; y++)
        {
          AqHeaderSpan *span = g_ptr_array_index (spans, 1 + y);
          g_autofree char *key = g_strdup_printf ("%s/%s", aq_report_grid_row_get_cell (row, 0),
                                                  span->label);
          const char *qty = g_hash_table_lookup (expected_qty, key);
          const char *amount = g_hash_table_lookup (expected_amount, key);
          const char *qty_cell = aq_report_grid_row_get_cell (row, span->first);
          const char *amount_cell = aq_report_grid_row_get_cell (row, span->first + 1);

          if (qty == NULL)
            {
              g_assert_cmpstr (qty_cell, ==, "");
              continue;
            }
          g_assert_cmpfloat_with_epsilon (parse_cell (qty_cell), g_ascii_strtod (qty, NULL), 0.5);
          g_assert_cmpfloat_with_epsilon (parse_cell (amount_cell), g_ascii_strtod (amount, NULL),
                                          0.51);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, g_hash_table_size (expected_qty));
  g_assert_cmpuint (total_rows, ==, 1);
  /* the grand total, also against the bills */
  {
    AqReportGridRow *total = grid_row (n_rows - 1);
    AqHeaderSpan *span = g_ptr_array_index (spans, 1);
    g_autofree char *query = g_strdup_printf ("SELECT sum(b.qty) FROM dw.fact_bill b"
                                              " JOIN dw.dim_account a USING (account_id)"
                                              " WHERE a.district_code IS NOT NULL"
                                              "   AND extract(year FROM b.period) = %s",
                                              span->label);

    g_assert_cmpint (aq_report_grid_row_get_kind (total), ==, AQ_REPORT_GRID_ROW_TOTAL);
    g_assert_cmpfloat_with_epsilon (parse_cell (aq_report_grid_row_get_cell (total, span->first)),
                                    aq_test_query_int64 (db, query), 0.5);
  }
}

static gboolean
panel_running (gpointer data)
{
  return aq_report_panel_get_running (panel);
}

/* A newer layout cancels the query of the older one still in the warehouse. */
/* The grand total, last of 200+ rows and the widest number, fits its column (not "316,082…"). */
static void
test_total_width (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_spec_new_from_data (
    "{\"rows\": [\"district\", \"month\", \"customer_type\"], \"values\": [\"billed_qty\"]}",
    -1, &error);
  g_autoptr(AqReportResult) r = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  guint last;

  g_assert_no_error (error);
  r = aq_report_run (db, aq_report_panel_get_catalog (panel), spec, NULL, NULL, &error);
  g_assert_no_error (error);
  last = aq_report_result_get_n_rows (r) - 1;
  g_assert_cmpuint (last, >, 200);
  g_assert_cmpint (aq_report_result_get_row_kind (r, last), ==, AQ_REPORT_ROW_TOTAL);
  /* the case that was cut: the total wider than every value in the first 200 rows */
  for (guint row = 0; row < 200; row++)
    g_assert_cmpuint (aq_grid_display_width (aq_report_result_get_cell_text (r, row, 0)), <,
                      aq_grid_display_width (aq_report_result_get_cell_text (r, last, 0)));
  columns = aq_report_table_columns (r);
  g_assert_cmpuint (columns->len, ==, 4);
  g_assert_cmpuint (((AqGridColumn *) columns->pdata[3])->width_chars, >=,
                    aq_grid_display_width (aq_report_result_get_cell_text (r, last, 0)));
}

static void
test_cancel (void)
{
  guint cancelled = aq_report_panel_get_cancelled_runs (panel);
  AqDropZone *values = aq_report_panel_get_zone (panel, AQ_REPORT_ZONE_VALUES);

  drop_field (AQ_REPORT_ZONE_VALUES, "water_fee", 10000);
  aq_test_wait_for (panel_running, NULL, 30, "the query to start");
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.undo", NULL);
  g_assert_cmpuint (aq_report_panel_get_cancelled_runs (panel), ==, cancelled + 1);
  g_assert_cmpuint (aq_drop_zone_get_n_fields (values), ==, 2);
  wait_run ("the layout before");
  g_assert_null (aq_report_panel_get_error (panel));
  /* what shows is the newer layout: two values a year, not three */
  g_assert_cmpstr (aq_report_grid_get_column_title (aq_report_panel_get_grid (panel), 3), ==,
                   "Billed volume");
}

/* A dimension the indicator cannot be cut by: refused, naming both; undo, then redo. */
static void
test_error_and_undo (void)
{
  AqDropZone *rows = aq_report_panel_get_zone (panel, AQ_REPORT_ZONE_ROWS);
  AqReportResult *before = aq_report_panel_get_result (panel);
  const char *error;

  g_assert_nonnull (before);
  g_assert_true (aq_report_panel_can_undo (panel));
  drop_field (AQ_REPORT_ZONE_ROWS, "channel", 10000);
  wait_run ("the refusal");
  error = aq_report_panel_get_error (panel);
  g_assert_nonnull (error);
  g_test_message ("error shown: %s", error);
  /* the fields by the names the user sees, not the catalog's ids */
  g_assert_nonnull (strstr (error, "rows[1]"));
  g_assert_nonnull (strstr (error, "“Payment channel”"));
  g_assert_nonnull (strstr (error, "“Billed volume”"));
  g_assert_cmpuint (aq_drop_zone_get_n_fields (rows), ==, 2);

  gtk_widget_activate_action (GTK_WIDGET (panel), "report.undo", NULL);
  g_assert_cmpuint (aq_drop_zone_get_n_fields (rows), ==, 1);
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_ROWS, 0), ==, "district");
  wait_run ("the previous layout");
  g_assert_null (aq_report_panel_get_error (panel));
  g_assert_nonnull (aq_report_panel_get_result (panel));
  g_assert_true (aq_report_panel_can_redo (panel));

  gtk_widget_activate_action (GTK_WIDGET (panel), "report.redo", NULL);
  g_assert_cmpuint (aq_drop_zone_get_n_fields (rows), ==, 2);
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_ROWS, 1), ==, "channel");
  wait_run ("the redone layout");
  g_assert_nonnull (aq_report_panel_get_error (panel));

  gtk_widget_activate_action (GTK_WIDGET (panel), "report.undo", NULL);
  wait_run ("the previous layout again");
  g_assert_null (aq_report_panel_get_error (panel));
}

/* The keyboard way in, Delete out; a chip dropped on its own zone moves. */
static void
test_keyboard_and_reorder (void)
{
  AqReportCatalogView *catalog = aq_report_panel_get_catalog_view (panel);
  AqDropZone *values = aq_report_panel_get_zone (panel, AQ_REPORT_ZONE_VALUES);
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean accepted = FALSE;

  /* search narrows the tree and expands what matches */
  gtk_editable_set_text (GTK_EDITABLE (aq_report_catalog_view_get_search_entry (catalog)),
                         "billed_accounts");
  g_signal_emit_by_name (aq_report_catalog_view_get_search_entry (catalog), "search-changed");
  g_assert_cmpuint (aq_report_catalog_view_get_n_visible (catalog), ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (aq_report_catalog_view_get_search_entry (catalog)), "");
  g_signal_emit_by_name (aq_report_catalog_view_get_search_entry (catalog), "search-changed");

  g_assert_true (aq_report_catalog_view_select (catalog, "billed_accounts"));
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.add-field", "s", "values");
  g_assert_cmpuint (aq_drop_zone_get_n_fields (values), ==, 3);
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_VALUES, 2), ==, "billed_accounts");
  wait_run ("three values");
  g_assert_null (aq_report_panel_get_error (panel));

  /* the last chip dropped before the first */
  g_value_init (&value, AQ_TYPE_REPORT_FIELD_ITEM);
  g_value_set_object (&value, aq_drop_zone_get_field (values, 2));
  g_signal_emit_by_name (aq_drop_zone_get_drop_target (values), "drop", &value, 0.0, 4.0,
                         &accepted);
  g_assert_true (accepted);
  g_assert_cmpuint (aq_drop_zone_get_n_fields (values), ==, 3);
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_VALUES, 0), ==, "billed_accounts");
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_VALUES, 1), ==, "billed_qty");
  wait_run ("the reordered values");
  g_assert_cmpstr (aq_report_grid_get_column_title (aq_report_panel_get_grid (panel), 1), ==,
                   "Accounts billed");

  aq_drop_zone_remove (values, 0);
  g_assert_cmpuint (aq_drop_zone_get_n_fields (values), ==, 2);
  wait_run ("two values again");

  /* Alt+Up on the Rows chip: to Columns, one step to undo */
  g_signal_emit_by_name (aq_report_panel_get_zone (panel, AQ_REPORT_ZONE_ROWS), "move-requested",
                         0u, -1);
  g_assert_cmpuint (aq_drop_zone_get_n_fields (aq_report_panel_get_zone (panel,
                                                                         AQ_REPORT_ZONE_ROWS)),
                    ==, 0);
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_COLUMNS, 1), ==, "district");
  wait_run ("district moved to the columns");
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.undo", NULL);
  g_assert_cmpstr (zone_id (AQ_REPORT_ZONE_ROWS, 0), ==, "district");
  g_assert_cmpuint (aq_drop_zone_get_n_fields (aq_report_panel_get_zone (panel,
                                                                         AQ_REPORT_ZONE_COLUMNS)),
                    ==, 1);
  wait_run ("district back in the rows");

  /* an indicator is not a row */
  g_assert_true (aq_report_catalog_view_select (catalog, "billed_accounts"));
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.add-field", "s", "rows");
  g_assert_cmpuint (aq_drop_zone_get_n_fields (aq_report_panel_get_zone (panel,
                                                                         AQ_REPORT_ZONE_ROWS)),
                    ==, 1);
  g_assert_nonnull (strstr (aq_report_panel_get_error (panel), "Accounts billed"));
}

/* Clicking a value column's header sorts by it, in the warehouse: the grid comes back ordered. */
static void
test_sort (void)
{
  AqReportGrid *grid = aq_report_panel_get_grid (panel);
  GtkColumnView *view = aq_report_grid_get_column_view (grid);
  g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (gtk_column_view_get_columns (view),
                                                                 1);
  GPtrArray *sorts;
  AqReportSort *sort;
  GListModel *rows;
  double previous = G_MAXDOUBLE;
  guint n_data = 0;

  /* what a click on the header does (twice: descending) */
  gtk_column_view_sort_by_column (view, column, GTK_SORT_DESCENDING);
  wait_run ("the sorted pivot");
  sorts = aq_report_spec_get_sorts (aq_report_panel_get_spec (panel));
  g_assert_cmpuint (sorts->len, ==, 1);
  sort = g_ptr_array_index (sorts, 0);
  g_assert_cmpint (sort->by, ==, AQ_REPORT_SORT_VALUE);
  g_assert_cmpuint (sort->value_index, ==, 0);
  g_assert_true (sort->descending);

  rows = aq_report_grid_get_rows (grid);
  for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
    {
      AqReportGridRow *row = grid_row (r);
      double value;

      if (aq_report_grid_row_get_kind (row) != AQ_REPORT_GRID_ROW_DATA)
        continue;
      value = parse_cell (aq_report_grid_row_get_cell (row, 1));
      g_assert_cmpfloat (value, <=, previous);
      previous = value;
      n_data++;
    }
  g_assert_cmpuint (n_data, >, 1);
  /* undo takes the sort back off */
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.undo", NULL);
  g_assert_cmpuint (aq_report_spec_get_sorts (aq_report_panel_get_spec (panel))->len, ==, 0);
  wait_run ("the unsorted pivot");
}

static gboolean
match_add (GtkWidget     *widget,
           gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)),
                                               "_Add") == 0;
}

/* A conditional format from the options dialog colours the cells it matches, totals too. */
static void
test_formatting (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWidget *dialog = NULL;
  GtkWidget *spin;
  GPtrArray *rules;
  const char *color;
  GListModel *rows;
  guint colored = 0;

  gtk_widget_activate_action (GTK_WIDGET (panel), "report.options", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (w), "AqReportOptionsDialog"))
        dialog = GTK_WIDGET (w);
    }
  g_assert_nonnull (dialog);
  /* Billed volume > 0 → the default colour */
  spin = aq_test_find_widget (dialog, aq_test_match_type, GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON));
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 0);
  g_signal_emit_by_name (aq_test_find_widget (dialog, match_add, NULL), "clicked");
  wait_run ("the formatted pivot");
  rules = aq_report_spec_get_format_rules (aq_report_panel_get_spec (panel));
  g_assert_cmpuint (rules->len, ==, 1);
  color = ((AqReportFormatRule *) g_ptr_array_index (rules, 0))->color;

  rows = aq_report_grid_get_rows (aq_report_panel_get_grid (panel));
  for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
    {
      AqReportGridRow *row = grid_row (r);

      /* column 1: the first year's billed volume; column 2 (amount) has no rule */
      g_assert_null (aq_report_grid_row_get_color (row, 2));
      if (parse_cell (aq_report_grid_row_get_cell (row, 1)) > 0)
        {
          g_assert_cmpstr (aq_report_grid_row_get_color (row, 1), ==, color);
          colored++;
        }
    }
  g_assert_cmpuint (colored, ==, g_list_model_get_n_items (rows));
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.undo", NULL);
  wait_run ("the unformatted pivot");
  g_assert_cmpuint (aq_report_spec_get_format_rules (aq_report_panel_get_spec (panel))->len, ==,
                    0);
}

/* The chart view draws the result on screen, and the render function draws it alone. */
static void
test_chart (void)
{
  AqReportChartView *chart = aq_report_panel_get_chart (panel);
  g_autoptr(AqChartData) data = aq_chart_data_new ("t");
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 400, 300);
  cairo_t *cr = cairo_create (surface);
  const double ink[3] = { 0, 0, 0 };
  const double values[] = { 3, 5, 2 };

  aq_report_panel_set_view (panel, "chart");
  gtk_widget_queue_draw (GTK_WIDGET (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (chart)));
  /* one bar per district and year, the first two value series */
  g_assert_cmpuint (aq_report_chart_view_get_marks (chart), >, 2);

  /* the second value instead of the first */
  {
    GtkWidget *dropdown = aq_test_find_widget (GTK_WIDGET (chart), aq_test_match_type,
                                               GSIZE_TO_POINTER (GTK_TYPE_DROP_DOWN));

    g_assert_nonnull (dropdown);
    g_assert_true (gtk_widget_get_visible (dropdown));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 1);
    g_assert_cmpuint (aq_report_chart_view_get_value_index (chart), ==, 1);
    gtk_widget_queue_draw (GTK_WIDGET (window));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
    g_assert_cmpuint (aq_report_chart_view_get_marks (chart), >, 2);
  }
  aq_report_chart_view_set_kind (chart, AQ_CHART_PIE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpuint (aq_report_chart_view_get_marks (chart), >, 1);
  aq_report_panel_set_view (panel, "grid");

  aq_chart_data_add_category (data, "a");
  aq_chart_data_add_category (data, "b");
  aq_chart_data_add_category (data, "c");
  aq_chart_data_add_series (data, "s", values);
  g_assert_cmpuint (aq_chart_render (cr, AQ_CHART_BAR, data, 400, 300, ink), ==, 3);
  g_assert_cmpuint (aq_chart_render (cr, AQ_CHART_LINE, data, 400, 300, ink), ==, 3);
  g_assert_cmpuint (aq_chart_render (cr, AQ_CHART_PIE, data, 400, 300, ink), ==, 3);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static gboolean
drill_loaded (gpointer data)
{
  return !aq_report_drill_window_get_loading (AQ_REPORT_DRILL_WINDOW (data));
}

static AqReportDrillWindow *
find_drill_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (AQ_IS_REPORT_DRILL_WINDOW (w))
        return AQ_REPORT_DRILL_WINDOW (w);
    }
  return NULL;
}

/* Double-clicking a cell lists the bills behind it: as many as the warehouse holds. */
static void
test_drill (void)
{
  AqReportGrid *grid = aq_report_panel_get_grid (panel);
  GPtrArray *spans = g_ptr_array_index (aq_report_grid_get_levels (grid), 0);
  AqHeaderSpan *span = g_ptr_array_index (spans, 1);
  AqReportGridRow *row = grid_row (0);
  AqReportDrillWindow *drill;
  const char *params[2];
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_assert_null (find_drill_window ());
  g_signal_emit_by_name (grid, "cell-activated", 0, span->first);
  drill = find_drill_window ();
  if (drill == NULL)
    g_error ("no drill window: %s", aq_report_panel_get_error (panel));
  aq_test_wait_for (drill_loaded, drill, 60, "the detail rows");
  g_assert_null (aq_report_drill_window_get_error (drill));

  params[0] = aq_report_grid_row_get_cell (row, 0);
  params[1] = span->label;
  expected = aq_db_query_string (db, "SELECT count(*)::text FROM dw.fact_bill b"
                                     "  JOIN dw.dim_account a USING (account_id)"
                                     "  JOIN dw.dim_district dd"
                                     "    ON dd.district_code = a.district_code"
                                     " WHERE dd.name = $1"
                                     "   AND extract(year FROM b.period)::text = $2",
                                 2, params, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (aq_report_drill_window_get_rows (drill)), ==,
                    g_ascii_strtoull (expected, NULL, 10));
  gtk_window_destroy (GTK_WINDOW (drill));
}

static gboolean
match_apply (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Apply") == 0;
}

/* A district dropped into Filters, one member ticked in its chip's popover: only it is left. */
static void
test_filter (void)
{
  AqDropZone *filters = aq_report_panel_get_zone (panel, AQ_REPORT_ZONE_FILTERS);
  g_autofree char *key = aq_test_query_string (db, "SELECT district_code FROM dw.dim_district"
                                                   " ORDER BY 1 LIMIT 1");
  g_autofree char *query = g_strdup_printf ("SELECT name FROM dw.dim_district"
                                            " WHERE district_code = '%s'", key);
  g_autofree char *name = aq_test_query_string (db, query);
  GListModel *rows;
  GtkWidget *chip;
  GtkWidget *button;
  GtkPopover *popover;
  GtkWidget *check;
  guint n_data = 0;

  drop_field (AQ_REPORT_ZONE_FILTERS, "district", 0);
  wait_run ("the unfiltered filter");
  chip = aq_test_find_widget (GTK_WIDGET (filters), aq_test_match_name, "district");
  g_assert_nonnull (chip);
  button = aq_test_find_widget (chip, aq_test_match_type, GSIZE_TO_POINTER (GTK_TYPE_MENU_BUTTON));
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  check = aq_test_find_widget (GTK_WIDGET (popover), aq_test_match_name, key);
  g_assert_nonnull (check);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_signal_emit_by_name (aq_test_find_widget (GTK_WIDGET (popover), match_apply, NULL), "clicked");
  wait_run ("the filtered pivot");
  g_assert_null (aq_report_panel_get_error (panel));

  rows = aq_report_grid_get_rows (aq_report_panel_get_grid (panel));
  for (guint r = 0; r < g_list_model_get_n_items (rows); r++)
    if (aq_report_grid_row_get_kind (grid_row (r)) == AQ_REPORT_GRID_ROW_DATA)
      {
        g_assert_cmpstr (aq_report_grid_row_get_cell (grid_row (r), 0), ==, name);
        n_data++;
      }
  g_assert_cmpuint (n_data, ==, 1);
}

static gboolean
dialog_loaded (gpointer data)
{
  return !aq_report_open_dialog_get_loading (AQ_REPORT_OPEN_DIALOG (data));
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
panel_idle (gpointer data)
{
  return !aq_panel_get_loading (AQ_PANEL (panel));
}

/* The pivot on screen to Excel and to CSV, off the main thread. */
static void
test_export (void)
{
  g_autofree char *dir = g_dir_make_tmp ("aq-report-panel-XXXXXX", NULL);
  g_autofree char *xlsx = g_build_filename (dir, "pivot.xlsx", NULL);
  g_autofree char *csv = g_build_filename (dir, "pivot.csv", NULL);
  g_autofree char *xlsx_data = NULL;
  g_autofree char *csv_data = NULL;
  gsize xlsx_len = 0;
  g_autoptr(GError) error = NULL;

  aq_report_panel_export (panel, xlsx, FALSE);
  g_assert_true (aq_panel_get_loading (AQ_PANEL (panel)));
  aq_test_wait_for (panel_idle, NULL, 60, "the Excel export");
  aq_report_panel_export (panel, csv, TRUE);
  aq_test_wait_for (panel_idle, NULL, 60, "the CSV export");
  g_assert_null (aq_report_panel_get_error (panel));

  g_file_get_contents (xlsx, &xlsx_data, &xlsx_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (xlsx_len, >, 1000);
  g_assert_true (memcmp (xlsx_data, "PK\003\004", 4) == 0);
  g_file_get_contents (csv, &csv_data, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csv_data, "Billed volume"));
  g_assert_nonnull (strstr (csv_data, aq_report_grid_row_get_cell (grid_row (0), 0)));
  g_unlink (xlsx);
  g_unlink (csv);
  g_rmdir (dir);
}

/* Save (twice: the version counts), list among the standard reports, delete. */
static void
test_store (void)
{
  AqReportSpec *spec = aq_report_panel_get_spec (panel);
  g_autofree char *conninfo = aq_test_conninfo (DB_NAME);
  g_autofree char *expected = g_strdup_printf ("%s:1", g_get_user_name ());
  g_autofree char *stored = NULL;
  AqReportOpenDialog *dialog;
  AdwMessageDialog *confirm;
  AqDropZone *values;
  GPtrArray *reports;
  gboolean standard_seen = FALSE;
  gboolean saved_seen = FALSE;

  aq_report_spec_set_name (spec, "t_panel_saved");
  aq_report_spec_set_title (spec, "Saved by the panel test");
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.save", NULL);
  wait_run ("the save");
  g_assert_null (aq_report_panel_get_error (panel));
  stored = aq_test_query_string (db, "SELECT author || ':' || version FROM meta.report"
                                     " WHERE name = 't_panel_saved' AND NOT standard");
  g_assert_cmpstr (stored, ==, expected);
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.save", NULL);
  wait_run ("the second save");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT version FROM meta.report"
                                            " WHERE name = 't_panel_saved'"), ==, 2);
  g_assert_cmpint (aq_report_spec_get_version (spec), ==, 2);
  /* what was saved is the layout on screen */
  values = aq_report_panel_get_zone (panel, AQ_REPORT_ZONE_VALUES);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT jsonb_array_length (definition -> 'values')"
                                            " FROM meta.report WHERE name = 't_panel_saved'"),
                   ==, aq_drop_zone_get_n_fields (values));

  dialog = aq_report_open_dialog_new (GTK_WINDOW (window), conninfo);
  aq_test_wait_for (dialog_loaded, dialog, 30, "the list of reports");
  reports = aq_report_open_dialog_get_reports (dialog);
  g_assert_nonnull (reports);
  for (guint i = 0; i < reports->len; i++)
    {
      AqReportInfo *info = g_ptr_array_index (reports, i);

      standard_seen |= info->standard && g_str_equal (info->name, "nrw_by_dma");
      saved_seen |= !info->standard && g_str_equal (info->name, "t_panel_saved");
    }
  g_assert_true (standard_seen);
  g_assert_true (saved_seen);
  gtk_window_destroy (GTK_WINDOW (dialog));

  g_assert_null (find_message_dialog ());
  gtk_widget_activate_action (GTK_WIDGET (panel), "report.delete", NULL);
  confirm = find_message_dialog ();
  g_assert_nonnull (confirm);
  adw_message_dialog_response (confirm, "delete");
  wait_run ("the deletion");
  gtk_window_destroy (GTK_WINDOW (confirm));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.report"
                                            " WHERE name = 't_panel_saved'"), ==, 0);
}

static gboolean
first_row_fetched (gpointer data)
{
  g_autoptr(AqReportGridRow) row = g_list_model_get_item (G_LIST_MODEL (data), 0);

  return aq_report_grid_row_get_kind (row) != AQ_REPORT_GRID_ROW_LOADING;
}

/* A standard list opens paged: rows come a page at a time; its N is a spin button. */
static void
test_list (void)
{
  AqReportParamsBar *params = aq_report_panel_get_params_bar (panel);
  GListModel *rows;
  guint n6;
  guint n3;
  g_autoptr(AqReportGridRow) first = NULL;
  g_autofree char *query = NULL;

  aq_report_panel_open_report (panel, "zero_consumption");
  wait_run ("the zero-consumption list");
  g_assert_null (aq_report_panel_get_error (panel));
  g_assert_cmpint (aq_report_spec_get_kind (aq_report_panel_get_spec (panel)), ==,
                   AQ_REPORT_KIND_LIST);
  rows = aq_report_grid_get_rows (aq_report_panel_get_grid (panel));
  g_assert_true (AQ_IS_REPORT_ROW_MODEL (rows));
  n6 = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n6, >, 0);
  aq_test_wait_for (first_row_fetched, rows, 30, "the first page");
  g_assert_cmpuint (aq_report_row_model_get_n_fetched_pages (AQ_REPORT_ROW_MODEL (rows)), >=, 1);
  first = g_list_model_get_item (rows, 0);
  query = g_strdup_printf ("SELECT count(*) FROM dw.dim_account WHERE account_id = '%s'",
                           aq_report_grid_row_get_cell (first, 0));
  g_assert_cmpint (aq_test_query_int64 (db, query), ==, 1);

  g_assert_true (aq_report_params_bar_set_value (params, "n", "3"));
  wait_run ("the list for N = 3");
  n3 = g_list_model_get_n_items (aq_report_grid_get_rows (aq_report_panel_get_grid (panel)));
  g_test_message ("zero-consumption accounts: N=6 %u, N=3 %u", n6, n3);
  g_assert_cmpuint (n3, >, n6);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(AqConnectionMonitor) monitor = NULL;
  int ret;

  /* Before any thread: the panel's workers read it when they connect. */
  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  /* the catalog's names in English, whatever the machine's locale */
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 2000, 24);

  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "report");
  panel = AQ_REPORT_PANEL (aq_window_get_panel (window, "report"));
  aq_test_wait_for (panel_ready, NULL, 60, "the catalog");

  g_test_add_func ("/report-panel/pivot", test_pivot);
  g_test_add_func ("/report-panel/cancel", test_cancel);
  g_test_add_func ("/report-panel/error-and-undo", test_error_and_undo);
  g_test_add_func ("/report-panel/keyboard-and-reorder", test_keyboard_and_reorder);
  g_test_add_func ("/report-panel/sort", test_sort);
  g_test_add_func ("/report-panel/formatting", test_formatting);
  g_test_add_func ("/report-panel/chart", test_chart);
  g_test_add_func ("/report-panel/drill", test_drill);
  g_test_add_func ("/report-panel/filter", test_filter);
  g_test_add_func ("/report-panel/export", test_export);
  g_test_add_func ("/report-panel/store", test_store);
  g_test_add_func ("/report-panel/list", test_list);
  g_test_add_func ("/report-panel/total-width", test_total_width);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  return ret;
}

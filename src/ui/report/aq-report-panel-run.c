/* aq-report-panel-run.c — the report designer runs the report and shows its result
 *
 * Every layout change starts a run after a short pause (RUN_DELAY_MS), a newer layout
 * cancelling the older run (run_is_current: a generation counter, so a late answer is
 * dropped). Pivots come back whole and go to the grid and the chart; lists are opened as an
 * AqReportList held in the warehouse and paged into the grid. Also the catalog's loading
 * (the connection string is resolved on a worker thread: the embedded warehouse is found on
 * disk) and the opening of stored reports.
 */
#define G_LOG_DOMAIN "aq-report-panel"

#include "config.h"

#include "aq-report-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "aq-chart.h"
#include "aq-connection.h"
#include "aq-panel.h"
#include "aq-report.h"
#include "aq-report-drill-window.h"
#include "aq-report-field-item.h"
#include "aq-report-grid-row.h"
#include "aq-report-open-dialog.h"
#include "aq-report-options-dialog.h"
#include "aq-report-row-model.h"
#include "aq-report-table.h"
#include "aq-report-export.h"
#include "aq-report-period.h"

/* ---- results into the grid and the chart ---- */

static void
show_status (AqReportPanel *self,
             guint64        n_rows,
             double         elapsed_ms)
{
  g_autofree char *text = NULL;
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_rows);

  /* Translators: %s is a number of rows, %.0f milliseconds */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row · %.0f ms", "%s rows · %.0f ms",
                                       n_rows),
                          count, elapsed_ms);
  gtk_label_set_label (self->status_label, text);
}

/* The header arrow of the spec's first sort rule, after the columns were built again. */
static void
show_sort (AqReportPanel  *self,
           AqReportResult *header)
{
  GPtrArray *sorts = aq_report_spec_get_sorts (self->spec);
  AqReportSort *sort;
  guint n_dims = aq_report_result_get_n_row_dims (header);

  if (sorts->len == 0)
    return;
  sort = g_ptr_array_index (sorts, 0);
  if (sort->by == AQ_REPORT_SORT_DIMENSION)
    {
      for (guint d = 0; d < n_dims; d++)
        if (g_strcmp0 (aq_report_result_get_row_dim_id (header, d), sort->dimension) == 0)
          aq_report_grid_set_sort (self->grid, d, sort->descending);
      return;
    }
  for (guint c = 0; c < aq_report_result_get_n_columns (header); c++)
    if (aq_report_result_get_column_value_index (header, c) == sort->value_index)
      {
        aq_report_grid_set_sort (self->grid, n_dims + c, sort->descending);
        return;
      }
}

/* The chart of one value (the one picked above the chart) by the rows and column members. */
static void
show_chart (AqReportPanel *self,
            gboolean       new_values)
{
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  guint index;

  if (self->result == NULL)
    return;
  /* the drop-down's own change lands here: its model must not be replaced under it */
  for (guint i = 0; new_values && i < aq_drop_zone_get_n_fields (self->values_zone); i++)
    {
      AqReportFieldItem *item = aq_drop_zone_get_field (self->values_zone, i);
      const char *calc = aq_report_field_item_get_calculation (item);

      if (calc == NULL)
        g_strv_builder_add (names, aq_report_field_item_get_label (item));
      else
        {
          g_autofree char *name = NULL;
          AqReportCalc c = AQ_REPORT_CALC_NONE;

          aq_report_calc_from_string (calc, &c);
          const char *shown = c == AQ_REPORT_CALC_SHARE_OF_TOTAL
                              ? C_("report designer", "share")
                              : c == AQ_REPORT_CALC_MOM ? C_("report designer", "MoM")
                              : c == AQ_REPORT_CALC_YOY ? C_("report designer", "YoY")
                              : C_("report designer", "rank");

          name = g_strdup_printf ("%s (%s)", aq_report_field_item_get_label (item), shown);
          g_strv_builder_add (names, name);
        }
    }
  strv = g_strv_builder_end (names);
  if (new_values)
    aq_report_chart_view_set_value_names (self->chart, (const char * const *) strv);
  index = aq_report_chart_view_get_value_index (self->chart);
  aq_report_chart_view_set_data (self->chart, aq_report_table_chart (self->result, index));
}

void
_aq_report_panel_chart_value_changed_cb (AqReportPanel *self)
{
  show_chart (self, FALSE);
}

/* A period the warehouse has no data for: said on a page of its own (which months it has),
 * not shown as an empty grid (aq-report-period.c). */
static void
show_no_data (AqReportPanel *self,
              const char    *note)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->view_stack, "no-data");

  if (page == NULL)
    {
      page = adw_status_page_new ();
      adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "x-office-calendar-symbolic");
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No Data for This Period"));
      gtk_widget_set_name (page, "report-no-data");
      gtk_stack_add_named (self->view_stack, page, "no-data");
    }
  adw_status_page_set_description (ADW_STATUS_PAGE (page), note);
  gtk_stack_set_visible_child (self->view_stack, page);
}

static void
show_result (AqReportPanel *self)
{
  AqReportResult *result = self->result;
  guint n_rows = aq_report_result_get_n_rows (result);
  g_autoptr(AqReportRowModel) model = NULL;
  GPtrArray *columns = aq_report_table_columns (result);
  GPtrArray *levels = aq_report_table_levels (result);

  model = aq_report_row_model_new_static (aq_report_table_rows (result, 0, 0, n_rows));
  aq_report_grid_set_table (self->grid, columns, levels, G_LIST_MODEL (model));
  show_sort (self, result);
  show_chart (self, TRUE);
  show_status (self, n_rows, aq_report_result_get_elapsed_ms (result));
  if (aq_report_result_get_period_note (result) != NULL)
    show_no_data (self, aq_report_result_get_period_note (result));
  else
    gtk_stack_set_visible_child_name (self->view_stack, self->view);
}

/* ---- lists, paged ---- */

static void
show_list (AqReportPanel *self)
{
  AqReportResult *header = aq_report_list_get_header (self->list);
  guint64 n_rows = aq_report_list_get_n_rows (self->list);
  g_autoptr(AqReportRowModel) model = NULL;
  GPtrArray *columns = aq_report_table_columns (header);

  /* a list's widths come from its headers; the first page widens nothing after the fact */
  for (guint i = 0; i < columns->len; i++)
    {
      AqGridColumn *column = g_ptr_array_index (columns, i);

      column->width_chars = MAX (column->width_chars, 12);
    }
  model = aq_report_row_model_new_paged ((guint) MIN (n_rows, G_MAXUINT), LIST_PAGE_ROWS,
                                         aq_report_table_fetch_list, g_object_ref (self->list),
                                         g_object_unref);
  aq_report_grid_set_table (self->grid, columns, NULL, G_LIST_MODEL (model));
  show_sort (self, header);
  aq_report_chart_view_set_data (self->chart, NULL);
  show_status (self, n_rows, aq_report_result_get_elapsed_ms (header));
  gtk_stack_set_visible_child_name (self->view_stack, self->view);
}

/* ---- running ---- */

typedef struct
{
  AqReportPanel *self;
  guint          generation;
} RunData;

static void
run_data_free (RunData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

static gboolean
run_is_current (RunData *data,
                GError  *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  return data->generation == data->self->generation
         && gtk_widget_get_root (GTK_WIDGET (data->self)) != NULL;
}

static void
run_failed (AqReportPanel *self,
            GError        *error)
{
  g_clear_object (&self->run_cancellable);
  _aq_report_panel_show_error (self, error->message);
  _aq_report_panel_set_loading (self, FALSE);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportResult) report = aq_report_run_finish (result, &error);
  AqReportPanel *self = data->self;

  if (!run_is_current (data, error))
    return;
  if (report == NULL)
    {
      run_failed (self, error);
      return;
    }
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->list);
  g_set_object (&self->result, report);
  _aq_report_panel_show_error (self, NULL);
  aq_report_params_bar_show_resolved (self->params_bar,
                                      aq_report_result_get_parameter_lines (report));
  show_result (self);
  _aq_report_panel_update_actions (self);
  _aq_report_panel_set_loading (self, FALSE);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportList) list = aq_report_list_open_finish (result, &error);
  AqReportPanel *self = data->self;

  if (!run_is_current (data, error))
    return;
  if (list == NULL)
    {
      run_failed (self, error);
      return;
    }
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->result);
  g_set_object (&self->list, list);
  _aq_report_panel_show_error (self, NULL);
  aq_report_params_bar_show_resolved (self->params_bar, aq_report_result_get_parameter_lines (
                                        aq_report_list_get_header (list)));
  show_list (self);
  _aq_report_panel_update_actions (self);
  _aq_report_panel_set_loading (self, FALSE);
}

static gboolean
spec_is_empty (AqReportSpec *spec)
{
  return aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_VALUES) == 0
         && aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_ROWS) == 0;
}

static void
start_run (AqReportPanel *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) resolved = NULL;
  RunData *data;

  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  self->generation++;

  if (self->spec == NULL || self->catalog == NULL || _aq_report_panel_conninfo (self) == NULL)
    {
      _aq_report_panel_set_loading (self, self->catalog_loading);
      return;
    }
  if (spec_is_empty (self->spec))
    {
      g_clear_object (&self->result);
      g_clear_object (&self->list);
      _aq_report_panel_show_error (self, NULL);
      aq_report_grid_clear (self->grid);
      aq_report_chart_view_set_data (self->chart, NULL);
      gtk_label_set_label (self->status_label, "");
      gtk_stack_set_visible_child_name (self->view_stack, "empty");
      _aq_report_panel_update_actions (self);
      _aq_report_panel_set_loading (self, FALSE);
      return;
    }

  /* what can be said without the warehouse is said at once */
  params = aq_report_params_bar_get_values (self->params_bar);
  if (!aq_report_spec_validate (self->spec, self->catalog, &error)
      || (resolved = aq_report_spec_resolve_params (self->spec, params, &error)) == NULL)
    {
      _aq_report_panel_show_error (self, error->message);
      _aq_report_panel_set_loading (self, FALSE);
      return;
    }

  self->run_cancellable = g_cancellable_new ();
  data = g_new0 (RunData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  _aq_report_panel_set_loading (self, TRUE);
  gtk_label_set_label (self->status_label, _("Running…"));
  if (aq_report_spec_get_kind (self->spec) == AQ_REPORT_KIND_LIST)
    aq_report_list_open_async (_aq_report_panel_conninfo (self), self->catalog, self->spec, params,
                               self->run_cancellable, list_cb, data);
  else
    aq_report_run_async (_aq_report_panel_conninfo (self), self->catalog, self->spec, params,
                         self->run_cancellable, run_cb, data);
}

static gboolean
run_timeout_cb (gpointer user_data)
{
  AqReportPanel *self = user_data;

  self->run_source = 0;
  start_run (self);
  return G_SOURCE_REMOVE;
}

/* Runs after a short pause, so that a drag that lands and a chip that moves at once make one
 * query; the spinner turns from now on, and the older run is cancelled now. */
void
_aq_report_panel_start_run_soon (AqReportPanel *self)
{
  if (self->run_cancellable != NULL)
    self->cancelled_runs++;
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  self->generation++;
  g_clear_handle_id (&self->run_source, g_source_remove);
  _aq_report_panel_set_loading (self, TRUE);
  self->run_source = g_timeout_add (RUN_DELAY_MS, run_timeout_cb, self);
}

/* ---- the catalog ---- */

static void
catalog_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCatalog) catalog = aq_catalog_load_finish (result, &error);
  AqReportPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_REPORT_PANEL (user_data);
  self->catalog_loading = FALSE;
  if (catalog == NULL)
    {
      _aq_report_panel_show_error (self, error->message);
      _aq_report_panel_set_loading (self, FALSE);
      return;
    }
  g_set_object (&self->catalog, catalog);
  _aq_report_panel_build_categories (self);
  _aq_report_panel_apply_spec (self);
  if (self->pending_open != NULL)
    {
      g_autofree char *name = g_steal_pointer (&self->pending_open);

      aq_report_panel_open_report (self, name);
      return;
    }
  start_run (self);
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  char *resolved = aq_connection_resolve (task_data, &error);

  if (resolved == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, resolved, g_free);
}

static void
resolve_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = g_task_propagate_pointer (G_TASK (result), &error);
  AqReportPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_REPORT_PANEL (user_data);
  if (resolved == NULL)
    {
      self->catalog_loading = FALSE;
      _aq_report_panel_show_error (self, error->message);
      _aq_report_panel_set_loading (self, FALSE);
      return;
    }
  g_free (self->conninfo);
  self->conninfo = g_steal_pointer (&resolved);
  aq_catalog_load_async (self->conninfo, self->cancellable, catalog_cb, self);
}

void
_aq_report_panel_load_catalog (AqReportPanel *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->monitor == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->catalog_loading = TRUE;
  _aq_report_panel_set_loading (self, TRUE);
  task = g_task_new (NULL, self->cancellable, resolve_cb, self);
  g_task_set_source_tag (task, _aq_report_panel_load_catalog);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (aq_connection_monitor_get_conninfo (self->monitor)),
                        g_free);
  g_task_run_in_thread (task, resolve_thread);
}

void
_aq_report_panel_profile_changed_cb (AqReportPanel *self)
{
  _aq_report_panel_load_catalog (self);
}

/* ---- opening reports ---- */

void
_aq_report_panel_open_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = aq_report_store_open_finish (result, &error);
  AqReportPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_REPORT_PANEL (user_data);
  if (spec == NULL)
    {
      _aq_report_panel_show_error (self, error->message);
      _aq_report_panel_set_loading (self, FALSE);
      return;
    }
  aq_report_panel_set_spec (self, spec);

  /* --screenshot: the catalog open where the report's first value lives */
  if (self->screenshot_opened && aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_VALUES) > 0)
    aq_report_catalog_view_select (self->catalog_view,
                                   aq_report_spec_get_field (spec, AQ_REPORT_ZONE_VALUES, 0)->id);

  /* --screenshot: parameters for the picture, "name=value;name=value" */
  if (self->screenshot_opened && g_getenv ("AQUEDUCT_SCREENSHOT_REPORT_PARAMS") != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (g_getenv ("AQUEDUCT_SCREENSHOT_REPORT_PARAMS"), ";", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          g_auto(GStrv) kv = g_strsplit (pairs[i], "=", 2);

          if (g_strv_length (kv) == 2)
            aq_report_params_bar_set_value (self->params_bar, kv[0], kv[1]);
        }
    }
}


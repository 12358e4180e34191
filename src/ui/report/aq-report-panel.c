/* aq-report-panel.c — the report designer
 *
 * The catalog on the left; Filters, Columns, Rows and Values zones on top; the result below as
 * a grid or a chart. The drop zones are what the user edits: every change is written into the
 * AqReportSpec (which also holds what the zones do not show: parameters, sorting, formats),
 * its JSON pushed on the undo stack, and the report run again on a worker thread, a newer
 * layout cancelling the older run (PQcancel in core). The spec is validated against the
 * catalog before it runs, so a bad combination is reported at once, naming the field, and the
 * chip it names is marked.
 *
 * Pivots come back whole (AqReportResult) and are shown from memory; lists are opened as an
 * AqReportList held in the warehouse and paged into the grid from worker threads, so a
 * million-row list costs one screen of rows.
 */
#define G_LOG_DOMAIN "aq-report-panel"

#include "config.h"

#include "aq-report-panel.h"

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

#define RUN_DELAY_MS 150
#define LIST_PAGE_ROWS 200

struct _AqReportPanel
{
  GtkWidget            parent_instance;

  AqReportCatalogView *catalog_view;
  AqDropZone          *filters_zone;
  AqDropZone          *columns_zone;
  AqDropZone          *rows_zone;
  AqDropZone          *values_zone;
  AqReportParamsBar   *params_bar;
  GtkLabel            *title_label;
  GtkLabel            *status_label;
  GtkSpinner          *spinner;
  GtkRevealer         *error_revealer;
  GtkLabel            *error_label;
  GtkStack            *view_stack;
  AqReportGrid        *grid;
  AqReportChartView   *chart;
  AdwStatusPage       *empty_page;
  GMenuModel          *calc_menu;

  AqConnectionMonitor *monitor;
  AqCatalog           *catalog;
  GListStore          *categories;
  AqReportSpec        *spec;
  AqReportResult      *result;
  AqReportList        *list;
  GCancellable        *run_cancellable;
  GCancellable        *cancellable;
  GPtrArray           *undo;
  guint                undo_index;
  guint                run_source;
  guint                generation;
  gboolean             loading;
  gboolean             applying;
  gboolean             catalog_loading;
  char                *view;
  char                *error;
  char                *pending_open;
  char                *conninfo;
  gboolean             screenshot_opened;
  guint                storing;
  char                *export_path;
  guint                cancelled_runs;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqReportPanel, aq_report_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The catalog's top categories are the utility's own taxonomy, stored in Chinese; the tree
 * shows them in the user's language. */
static const struct
{
  const char *key;
  const char *label;
} category_labels[] = {
  { "水表", NC_("catalog category", "Meters") },
  { "用户档案", NC_("catalog category", "Customer Records") },
  { "抄表", NC_("catalog category", "Meter Reading") },
  { "计费", NC_("catalog category", "Billing") },
  { "工单", NC_("catalog category", "Work Orders") },
  { "报装", NC_("catalog category", "New Connections") },
  { "话务", NC_("catalog category", "Calls") },
  { "收费", NC_("catalog category", "Payments") },
  { "产销差", NC_("catalog category", "Non-Revenue Water") },
};

static void start_run_soon (AqReportPanel *self);
static void apply_spec     (AqReportPanel *self);

/* ---- auxiliary methods ---- */

/* The warehouse's conninfo, resolved on a worker thread when the profile changes (the embedded
 * warehouse's is found by asking whether it runs). */
static const char *
conninfo (AqReportPanel *self)
{
  return self->conninfo;
}

static void
set_loading (AqReportPanel *self,
             gboolean       loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static AqDropZone *
zone_widget (AqReportPanel *self,
             AqReportZone   zone)
{
  switch (zone)
    {
    case AQ_REPORT_ZONE_ROWS:
      return self->rows_zone;
    case AQ_REPORT_ZONE_COLUMNS:
      return self->columns_zone;
    case AQ_REPORT_ZONE_VALUES:
      return self->values_zone;
    case AQ_REPORT_ZONE_FILTERS:
    default:
      return self->filters_zone;
    }
}

static void
update_actions (AqReportPanel *self)
{
  gboolean standard = self->spec && aq_report_spec_get_standard (self->spec);
  gboolean named = self->spec && aq_report_spec_get_name (self->spec) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.undo", self->undo_index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.redo",
                                 self->undo_index + 1 < self->undo->len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.delete", named && !standard);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.duplicate", named);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export",
                                 self->result != NULL || self->list != NULL);
}

static void
update_title (AqReportPanel *self)
{
  const char *title = self->spec ? aq_report_spec_get_title (self->spec) : NULL;
  g_autofree char *text = NULL;

  if (title == NULL || *title == '\0')
    title = _("Untitled Report");
  if (self->spec && aq_report_spec_get_standard (self->spec))
    /* Translators: %s is a report's title; a standard report ships with Aqueduct */
    text = g_strdup_printf (_("%s (standard)"), title);
  else
    text = g_strdup (title);
  gtk_label_set_label (self->title_label, text);
}

/* The chip a validation error starts with ("rows[1]: …"): marked until the next run. */
static void
mark_error_chip (AqReportPanel *self,
                 const char    *message)
{
  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    {
      AqDropZone *zone = zone_widget (self, z);
      const char *name = aq_report_zone_to_string (z);
      gsize len = strlen (name);
      GtkWidget *flow = gtk_widget_get_last_child (gtk_widget_get_first_child (GTK_WIDGET (zone)));
      guint index = G_MAXUINT;

      if (message != NULL && strncmp (message, name, len) == 0 && message[len] == '[')
        index = (guint) g_ascii_strtoull (message + len + 1, NULL, 10);
      for (GtkWidget *child = gtk_widget_get_first_child (flow); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (!GTK_IS_FLOW_BOX_CHILD (child))
            continue;
          if ((guint) gtk_flow_box_child_get_index (GTK_FLOW_BOX_CHILD (child)) == index)
            gtk_widget_add_css_class (child, "error");
          else
            gtk_widget_remove_css_class (child, "error");
        }
    }
}

static const char *field_label (AqReportPanel *self,
                                const char    *id);

/* Core names fields by their ids (“billed_qty”); the user knows them by name (“售水量”). */
static char *
error_with_names (AqReportPanel *self,
                  const char    *message)
{
  g_autoptr(GString) text = g_string_new (NULL);
  const char *p = message;
  const char *open;

  while ((open = strstr (p, "“")) != NULL)
    {
      const char *start = open + strlen ("“");
      const char *close = strstr (start, "”");
      g_autofree char *id = NULL;

      if (close == NULL)
        break;
      id = g_strndup (start, close - start);
      g_string_append_len (text, p, start - p);
      g_string_append (text, field_label (self, id));
      p = close;
    }
  g_string_append (text, p);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_error (AqReportPanel *self,
            const char    *message)
{
  g_free (self->error);
  self->error = message ? error_with_names (self, message) : NULL;
  gtk_label_set_label (self->error_label, self->error ? self->error : "");
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  mark_error_chip (self, message);
}

/* ---- the catalog as a tree ---- */

static const char *
category_label (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (category_labels); i++)
    if (g_str_equal (category_labels[i].key, key))
      return g_dpgettext2 (GETTEXT_PACKAGE, "catalog category", category_labels[i].label);
  return key;
}

static AqReportFieldItem *
category_for (GListStore *categories,
              GHashTable *by_key,
              const char *key,
              const char *label)
{
  AqReportFieldItem *category = g_hash_table_lookup (by_key, key);

  if (category == NULL)
    {
      category = aq_report_field_item_new (AQ_REPORT_FIELD_ITEM_CATEGORY, key, label);
      g_hash_table_insert (by_key, g_strdup (key), category);
      g_list_store_append (categories, category);
    }
  return category;
}

static void
build_categories (AqReportPanel *self)
{
  GListModel *indicators = aq_catalog_get_indicators (self->catalog);
  GListModel *dimensions = aq_catalog_get_dimensions (self->catalog);
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         g_object_unref);

  g_list_store_remove_all (self->categories);
  /* the known categories first, in the catalog's order, even before any field names them */
  for (guint i = 0; i < G_N_ELEMENTS (category_labels); i++)
    category_for (self->categories, by_key, category_labels[i].key,
                  category_label (category_labels[i].key));

  for (guint i = 0; i < g_list_model_get_n_items (indicators); i++)
    {
      g_autoptr(AqIndicator) indicator = g_list_model_get_item (indicators, i);
      const char *path = aq_indicator_get_category (indicator);
      g_autofree char *top = g_strndup (path ? path : "", strcspn (path ? path : "", "/"));
      AqReportFieldItem *category = category_for (self->categories, by_key, top,
                                                  category_label (top));
      g_autoptr(AqReportFieldItem) item =
        aq_report_field_item_new (AQ_REPORT_FIELD_ITEM_INDICATOR,
                                  aq_indicator_get_id (indicator),
                                  aq_indicator_get_name (indicator));

      aq_report_field_item_set_description (item, aq_indicator_get_description (indicator));
      g_list_store_append (aq_report_field_item_get_children (category), item);
    }

  /* dimensions by kind: time, places, attributes */
  for (guint i = 0; i < g_list_model_get_n_items (dimensions); i++)
    {
      g_autoptr(AqDimension) dimension = g_list_model_get_item (dimensions, i);
      AqDimensionKind kind = aq_dimension_get_kind (dimension);
      const char *key = kind == AQ_DIMENSION_TIME ? "dim:time"
                        : kind == AQ_DIMENSION_GEO ? "dim:geo" : "dim:attribute";
      const char *label = kind == AQ_DIMENSION_TIME ? _("Dimensions: Time")
                          : kind == AQ_DIMENSION_GEO ? _("Dimensions: Places")
                          : _("Dimensions: Attributes");
      AqReportFieldItem *category = category_for (self->categories, by_key, key, label);
      g_autoptr(AqReportFieldItem) item =
        aq_report_field_item_new (AQ_REPORT_FIELD_ITEM_DIMENSION,
                                  aq_dimension_get_id (dimension),
                                  aq_dimension_get_name (dimension));

      aq_report_field_item_set_description (item, aq_dimension_get_description (dimension));
      g_list_store_append (aq_report_field_item_get_children (category), item);
    }

  /* categories nothing is filed under are noise in the tree */
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->categories)); i > 0; i--)
    {
      g_autoptr(AqReportFieldItem) category =
        g_list_model_get_item (G_LIST_MODEL (self->categories), i - 1);

      if (g_list_model_get_n_items (G_LIST_MODEL (aq_report_field_item_get_children (category)))
          == 0)
        g_list_store_remove (self->categories, i - 1);
    }
  aq_report_catalog_view_set_categories (self->catalog_view, G_LIST_MODEL (self->categories));
}

static const char *
field_label (AqReportPanel *self,
             const char    *id)
{
  AqIndicator *indicator;
  AqDimension *dimension;

  if (self->catalog == NULL)
    return id;
  if ((indicator = aq_catalog_lookup_indicator (self->catalog, id)) != NULL)
    return aq_indicator_get_name (indicator);
  if ((dimension = aq_catalog_lookup_dimension (self->catalog, id)) != NULL)
    return aq_dimension_get_name (dimension);
  return id;
}

/* ---- zones ↔ spec ---- */

/* Writes the zones into the spec; sort and format rules pointing past the values are dropped
 * (they pointed at a value that is gone). */
static void
sync_spec (AqReportPanel *self)
{
  guint n_values;
  GPtrArray *sorts;
  GPtrArray *rules;
  g_autoptr(GPtrArray) keep_sorts = NULL;
  g_autoptr(GPtrArray) keep_rules = NULL;

  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    {
      AqDropZone *zone = zone_widget (self, z);

      while (aq_report_spec_get_n_fields (self->spec, z) > 0)
        aq_report_spec_remove_field (self->spec, z,
                                     aq_report_spec_get_n_fields (self->spec, z) - 1);
      for (guint i = 0; i < aq_drop_zone_get_n_fields (zone); i++)
        {
          AqReportFieldItem *item = aq_drop_zone_get_field (zone, i);
          g_autoptr(AqReportField) field = aq_report_field_new (aq_report_field_item_get_id (item));
          AqReportCalc calc = AQ_REPORT_CALC_NONE;

          if (aq_report_field_item_get_calculation (item) != NULL)
            aq_report_calc_from_string (aq_report_field_item_get_calculation (item), &calc);
          field->calc = calc;
          if (z == AQ_REPORT_ZONE_FILTERS)
            {
              field->op = aq_report_field_item_get_filter_op (item);
              g_strfreev (field->values);
              field->values = g_strdupv ((char **) aq_report_field_item_get_filter_values (item));
            }
          aq_report_spec_add_field (self->spec, z, field, -1);
        }
    }

  n_values = aq_report_spec_get_n_fields (self->spec, AQ_REPORT_ZONE_VALUES);
  sorts = aq_report_spec_get_sorts (self->spec);
  keep_sorts = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_sort_free);
  for (guint i = 0; i < sorts->len; i++)
    {
      AqReportSort *sort = g_ptr_array_index (sorts, i);

      if (sort->by != AQ_REPORT_SORT_VALUE || sort->value_index < n_values)
        g_ptr_array_add (keep_sorts, aq_report_sort_copy (sort));
    }
  if (keep_sorts->len != sorts->len)
    {
      aq_report_spec_clear_sorts (self->spec);
      for (guint i = 0; i < keep_sorts->len; i++)
        aq_report_spec_add_sort (self->spec, g_ptr_array_index (keep_sorts, i));
    }
  rules = aq_report_spec_get_format_rules (self->spec);
  keep_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_format_rule_free);
  for (guint i = 0; i < rules->len; i++)
    {
      AqReportFormatRule *rule = g_ptr_array_index (rules, i);

      if (rule->value_index < n_values)
        g_ptr_array_add (keep_rules, aq_report_format_rule_copy (rule));
    }
  if (keep_rules->len != rules->len)
    {
      aq_report_spec_clear_format_rules (self->spec);
      for (guint i = 0; i < keep_rules->len; i++)
        aq_report_spec_add_format_rule (self->spec, g_ptr_array_index (keep_rules, i));
    }
}

/* Reads the zones from the spec (opening a report, undo). */
static void
apply_spec (AqReportPanel *self)
{
  self->applying = TRUE;
  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    {
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < aq_report_spec_get_n_fields (self->spec, z); i++)
        {
          const AqReportField *field = aq_report_spec_get_field (self->spec, z, i);
          AqReportFieldItem *item =
            aq_report_field_item_new (z == AQ_REPORT_ZONE_VALUES
                                      ? AQ_REPORT_FIELD_ITEM_INDICATOR
                                      : AQ_REPORT_FIELD_ITEM_DIMENSION,
                                      field->id,
                                      field->label ? field->label : field_label (self, field->id));

          if (field->calc != AQ_REPORT_CALC_NONE)
            aq_report_field_item_set_calculation (item, aq_report_calc_to_string (field->calc));
          aq_report_field_item_set_filter (item, field->op,
                                           (const char * const *) field->values);
          g_ptr_array_add (items, item);
        }
      aq_drop_zone_set_fields (zone_widget (self, z), items);
    }
  aq_report_params_bar_set_params (self->params_bar, self->spec, self->catalog);
  update_title (self);
  self->applying = FALSE;
}

static void
push_undo (AqReportPanel *self)
{
  g_autofree char *json = aq_report_spec_to_data (self->spec, NULL);

  if (self->undo->len > 0
      && g_strcmp0 (g_ptr_array_index (self->undo, self->undo_index), json) == 0)
    return;
  /* a change after undos drops the redo branch */
  if (self->undo->len > 0)
    g_ptr_array_set_size (self->undo, self->undo_index + 1);
  g_ptr_array_add (self->undo, g_steal_pointer (&json));
  self->undo_index = self->undo->len - 1;
  update_actions (self);
}

static void
reset_undo (AqReportPanel *self)
{
  g_ptr_array_set_size (self->undo, 0);
  self->undo_index = 0;
  push_undo (self);
}

static void
restore_undo (AqReportPanel *self,
              guint          index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = NULL;

  spec = aq_report_spec_new_from_data (g_ptr_array_index (self->undo, index), -1, &error);
  if (spec == NULL)
    {
      g_warning ("An undo snapshot does not parse: %s", error->message);
      return;
    }
  self->undo_index = index;
  g_set_object (&self->spec, spec);
  apply_spec (self);
  update_actions (self);
  start_run_soon (self);
}

static void
layout_changed (AqReportPanel *self)
{
  if (self->applying || self->spec == NULL)
    return;
  sync_spec (self);
  push_undo (self);
  start_run_soon (self);
}

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

static void
chart_value_changed_cb (AqReportPanel *self)
{
  show_chart (self, FALSE);
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
  show_error (self, error->message);
  set_loading (self, FALSE);
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
  show_error (self, NULL);
  aq_report_params_bar_show_resolved (self->params_bar,
                                      aq_report_result_get_parameter_lines (report));
  show_result (self);
  update_actions (self);
  set_loading (self, FALSE);
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
  show_error (self, NULL);
  aq_report_params_bar_show_resolved (self->params_bar, aq_report_result_get_parameter_lines (
                                        aq_report_list_get_header (list)));
  show_list (self);
  update_actions (self);
  set_loading (self, FALSE);
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

  if (self->spec == NULL || self->catalog == NULL || conninfo (self) == NULL)
    {
      set_loading (self, self->catalog_loading);
      return;
    }
  if (spec_is_empty (self->spec))
    {
      g_clear_object (&self->result);
      g_clear_object (&self->list);
      show_error (self, NULL);
      aq_report_grid_clear (self->grid);
      aq_report_chart_view_set_data (self->chart, NULL);
      gtk_label_set_label (self->status_label, "");
      gtk_stack_set_visible_child_name (self->view_stack, "empty");
      update_actions (self);
      set_loading (self, FALSE);
      return;
    }

  /* what can be said without the warehouse is said at once */
  params = aq_report_params_bar_get_values (self->params_bar);
  if (!aq_report_spec_validate (self->spec, self->catalog, &error)
      || (resolved = aq_report_spec_resolve_params (self->spec, params, &error)) == NULL)
    {
      show_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }

  self->run_cancellable = g_cancellable_new ();
  data = g_new0 (RunData, 1);
  data->self = g_object_ref (self);
  data->generation = self->generation;
  set_loading (self, TRUE);
  gtk_label_set_label (self->status_label, _("Running…"));
  if (aq_report_spec_get_kind (self->spec) == AQ_REPORT_KIND_LIST)
    aq_report_list_open_async (conninfo (self), self->catalog, self->spec, params,
                               self->run_cancellable, list_cb, data);
  else
    aq_report_run_async (conninfo (self), self->catalog, self->spec, params,
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
static void
start_run_soon (AqReportPanel *self)
{
  if (self->run_cancellable != NULL)
    self->cancelled_runs++;
  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  self->generation++;
  g_clear_handle_id (&self->run_source, g_source_remove);
  set_loading (self, TRUE);
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
      show_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  g_set_object (&self->catalog, catalog);
  build_categories (self);
  apply_spec (self);
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
      show_error (self, error->message);
      set_loading (self, FALSE);
      return;
    }
  g_free (self->conninfo);
  self->conninfo = g_steal_pointer (&resolved);
  aq_catalog_load_async (self->conninfo, self->cancellable, catalog_cb, self);
}

static void
load_catalog (AqReportPanel *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->monitor == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->catalog_loading = TRUE;
  set_loading (self, TRUE);
  task = g_task_new (NULL, self->cancellable, resolve_cb, self);
  g_task_set_source_tag (task, load_catalog);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_strdup (aq_connection_monitor_get_conninfo (self->monitor)),
                        g_free);
  g_task_run_in_thread (task, resolve_thread);
}

static void
profile_changed_cb (AqReportPanel *self)
{
  load_catalog (self);
}

/* ---- opening reports ---- */

static void
open_cb (GObject      *object,
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
      show_error (self, error->message);
      set_loading (self, FALSE);
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

/* ---- actions ---- */

static void
add_field_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  g_autoptr(AqReportFieldItem) field = aq_report_catalog_view_get_selected (self->catalog_view);
  AqReportZone zone;
  AqDropZone *target;

  if (field == NULL || !aq_report_zone_from_string (g_variant_get_string (parameter, NULL), &zone))
    return;
  target = zone_widget (self, zone);
  if (!aq_drop_zone_accepts (target, field))
    {
      g_autofree char *message = NULL;

      /* Translators: the first %s is a field's name, the second a zone (Rows, Values …) */
      message = g_strdup_printf (_("“%s” cannot go into %s: indicators go into Values, "
                                   "dimensions into Rows, Columns or Filters."),
                                 aq_report_field_item_get_label (field),
                                 gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (
                                   gtk_widget_get_first_child (GTK_WIDGET (target))))));
      show_error (self, message);
      return;
    }
  aq_drop_zone_insert (target, field, -1);
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);

  if (self->undo_index > 0)
    restore_undo (self, self->undo_index - 1);
}

static void
redo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);

  if (self->undo_index + 1 < self->undo->len)
    restore_undo (self, self->undo_index + 1);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  g_autoptr(AqReportSpec) spec = aq_report_spec_new (AQ_REPORT_KIND_PIVOT);

  aq_report_panel_set_spec (self, spec);
}

static void
open_dialog_cb (AqReportOpenDialog *dialog,
                const char         *name,
                AqReportPanel      *self)
{
  aq_report_panel_open_report (self, name);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  AqReportOpenDialog *dialog;

  if (conninfo (self) == NULL)
    return;
  dialog = aq_report_open_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), conninfo (self));
  g_signal_connect_object (dialog, "open", G_CALLBACK (open_dialog_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  GTask *task = G_TASK (result);
  gboolean ok;
  int version = 0;
  gpointer tag = g_task_get_source_tag (task);

  if (tag == aq_report_store_save_async)
    ok = aq_report_store_save_finish (result, &version, &error);
  else if (tag == aq_report_store_duplicate_async)
    ok = aq_report_store_duplicate_finish (result, &error);
  else
    ok = aq_report_store_delete_finish (result, &error);

  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
    }
  else if (tag == aq_report_store_save_async)
    aq_report_spec_set_version (self->spec, version);
  else if (tag == aq_report_store_delete_async)
    {
      aq_report_spec_set_name (self->spec, NULL);
      aq_report_spec_set_version (self->spec, 0);
    }
  update_actions (self);
  update_title (self);
  self->storing--;
  g_object_unref (self);
}

/* Asks for a name (saving a new or a standard report, duplicating) in a small dialog. */
typedef void (*NameFunc) (AqReportPanel *self,
                          const char    *name);

static void
name_response_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  AqReportPanel    *self)
{
  NameFunc func = g_object_get_data (G_OBJECT (dialog), "func");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  if (g_str_equal (response, "ok") && *name != '\0')
    func (self, name);
}

static void
ask_name (AqReportPanel *self,
          const char    *heading,
          const char    *suggestion,
          NameFunc       func)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                              heading, NULL);
  GtkWidget *entry = gtk_entry_new ();

  gtk_editable_set_text (GTK_EDITABLE (entry), suggestion ? suggestion : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", C_("report designer", "_Cancel"),
                                    "ok", C_("report designer", "_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "ok",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "ok");
  g_object_set_data (G_OBJECT (dialog), "func", func);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
save_as (AqReportPanel *self,
         const char    *name)
{
  if (aq_report_spec_get_standard (self->spec)
      || g_strcmp0 (aq_report_spec_get_name (self->spec), name) != 0)
    {
      /* a new definition: a copy of what is on screen under the new name */
      g_autoptr(AqReportSpec) copy = aq_report_spec_copy (self->spec);
      g_autofree char *json = NULL;
      g_autoptr(JsonNode) node = NULL;
      JsonObject *object;

      /* "standard" is not settable: go through JSON without it */
      node = aq_report_spec_to_json (copy);
      object = json_node_get_object (node);
      json_object_remove_member (object, "standard");
      json_object_set_string_member (object, "name", name);
      json_object_set_int_member (object, "version", 0);
      if (aq_report_spec_get_title (copy) == NULL || aq_report_spec_get_standard (copy))
        json_object_set_string_member (object, "title", name);
      g_clear_object (&copy);
      copy = aq_report_spec_new_from_json (node, NULL);
      if (copy == NULL)
        return;
      g_set_object (&self->spec, copy);
      update_title (self);
    }
  self->storing++;
  aq_report_store_save_async (conninfo (self), self->spec, g_get_user_name (), NULL,
                              stored_cb, g_object_ref (self));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  const char *name = aq_report_spec_get_name (self->spec);

  if (conninfo (self) == NULL)
    return;
  if (name == NULL || aq_report_spec_get_standard (self->spec))
    ask_name (self, _("Save Report As"), NULL, save_as);
  else
    save_as (self, name);
}

static void
duplicate (AqReportPanel *self,
           const char    *new_name)
{
  /* the copy is what is on screen: saved under the new name, the stored original untouched */
  save_as (self, new_name);
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  g_autofree char *suggestion = NULL;

  if (aq_report_spec_get_name (self->spec) == NULL || conninfo (self) == NULL)
    return;
  /* Translators: the suggested name of a copy; %s is the original's name */
  suggestion = g_strdup_printf (_("%s copy"), aq_report_spec_get_name (self->spec));
  ask_name (self, _("Duplicate Report"), suggestion, duplicate);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    AqReportPanel    *self)
{
  if (!g_str_equal (response, "delete") || aq_report_spec_get_name (self->spec) == NULL)
    return;
  self->storing++;
  aq_report_store_delete_async (conninfo (self), aq_report_spec_get_name (self->spec), NULL,
                                stored_cb, g_object_ref (self));
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (aq_report_spec_get_name (self->spec) == NULL || conninfo (self) == NULL)
    return;
  /* Translators: %s is a report's name */
  body = g_strdup_printf (_("“%s” will be deleted for everyone. The layout stays on screen."),
                          aq_report_spec_get_name (self->spec));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)),
                                   _("Delete the Report?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", C_("report designer", "_Cancel"),
                                    "delete", C_("report designer", "_Delete"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- export ---- */

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  g_autoptr(GError) error = NULL;
  guint64 n_rows = 0;

  if (!aq_report_export_finish (result, &n_rows, &error))
    show_error (self, error->message);
  else
    {
      g_autofree char *basename = g_path_get_basename (self->export_path);
      g_autofree char *text = NULL;

      /* Translators: %s is a file name */
      text = g_strdup_printf (_("Exported to %s"), basename);
      gtk_label_set_label (self->status_label, text);
    }
  self->storing--;
  g_object_unref (self);
}

static void
export_response_cb (GtkNativeDialog *chooser,
                    int              response,
                    AqReportPanel   *self)
{
  g_autoptr(GFile) file = NULL;
  gboolean csv = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "csv"));

  if (response != GTK_RESPONSE_ACCEPT)
    goto out;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file == NULL || g_file_peek_path (file) == NULL)
    goto out;

  aq_report_panel_export (self, g_file_peek_path (file), csv);

out:
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  gboolean csv = g_str_equal (g_variant_get_string (parameter, NULL), "csv");
  GtkFileChooserNative *chooser;
  const char *title = self->spec ? aq_report_spec_get_title (self->spec) : NULL;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->result == NULL && self->list == NULL)
    return;
  chooser = gtk_file_chooser_native_new (csv ? _("Export to CSV") : _("Export to Excel"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         C_("report designer", "_Export"), NULL);
  name = g_strdup_printf ("%s.%s", title && *title ? title : C_("report designer", "report"),
                          csv ? "csv" : "xlsx");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, csv ? C_("report designer", "CSV files")
                                        : C_("report designer", "Excel workbooks"));
  gtk_file_filter_add_suffix (filter, csv ? "csv" : "xlsx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data (G_OBJECT (chooser), "csv", GINT_TO_POINTER (csv));
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- sorting, formats, drill-down ---- */

static void
sort_requested_cb (AqReportPanel *self,
                   guint          column,
                   gboolean       descending)
{
  AqReportResult *header = self->result ? self->result
                           : self->list ? aq_report_list_get_header (self->list) : NULL;
  AqReportSort sort = { 0 };
  guint n_dims;
  gboolean within_groups = FALSE;
  GPtrArray *sorts;

  if (header == NULL)
    return;
  n_dims = aq_report_result_get_n_row_dims (header);
  sorts = aq_report_spec_get_sorts (self->spec);
  for (guint i = 0; i < sorts->len; i++)
    within_groups |= ((AqReportSort *) g_ptr_array_index (sorts, i))->within_groups;

  sort.descending = descending;
  if (column < n_dims)
    {
      sort.by = AQ_REPORT_SORT_DIMENSION;
      sort.dimension = (char *) aq_report_result_get_row_dim_id (header, column);
    }
  else
    {
      sort.by = AQ_REPORT_SORT_VALUE;
      sort.value_index = aq_report_result_get_column_value_index (header, column - n_dims);
      /* with several row levels a value sort keeps the groups unless told otherwise */
      sort.within_groups = within_groups || n_dims > 1;
    }
  aq_report_spec_clear_sorts (self->spec);
  aq_report_spec_add_sort (self->spec, &sort);
  push_undo (self);
  start_run_soon (self);
}

static void
options_changed_cb (AqReportPanel *self)
{
  push_undo (self);
  start_run_soon (self);
}

static void
options_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  GtkWidget *dialog;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dim_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) dim_names = g_ptr_array_new_with_free_func (g_free);
  AqDropZone *dims[] = { self->rows_zone, self->columns_zone };

  for (guint i = 0; i < aq_drop_zone_get_n_fields (self->values_zone); i++)
    g_ptr_array_add (values, g_strdup (aq_report_field_item_get_label (
                                         aq_drop_zone_get_field (self->values_zone, i))));
  for (guint z = 0; z < G_N_ELEMENTS (dims); z++)
    for (guint i = 0; i < aq_drop_zone_get_n_fields (dims[z]); i++)
      {
        AqReportFieldItem *item = aq_drop_zone_get_field (dims[z], i);

        g_ptr_array_add (dim_ids, g_strdup (aq_report_field_item_get_id (item)));
        g_ptr_array_add (dim_names, g_strdup (aq_report_field_item_get_label (item)));
      }
  dialog = aq_report_options_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), self->spec,
                                         values, dim_ids, dim_names);
  g_signal_connect_object (dialog, "changed", G_CALLBACK (options_changed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cell_activated_cb (AqReportPanel *self,
                   guint          row,
                   guint          column)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) drill = NULL;
  g_autoptr(GHashTable) params = NULL;
  guint n_dims;
  GtkWidget *window;

  if (self->result == NULL)
    return;
  n_dims = aq_report_result_get_n_row_dims (self->result);
  if (column < n_dims)
    column = n_dims;
  if (column - n_dims >= aq_report_result_get_n_columns (self->result))
    return;
  drill = aq_report_drill_spec (self->catalog, self->spec, self->result, row, column - n_dims,
                                &error);
  if (drill == NULL)
    {
      show_error (self, error->message);
      return;
    }
  params = aq_report_params_bar_get_values (self->params_bar);
  window = aq_report_drill_window_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                       conninfo (self), self->catalog, drill, params);
  gtk_window_present (GTK_WINDOW (window));
}

/* ---- filter chips ---- */

static void
filter_apply_cb (GtkButton *button,
                 gpointer   user_data)
{
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  GtkWidget *box = gtk_widget_get_parent (GTK_WIDGET (button));
  AqReportFieldItem *item = g_object_get_data (G_OBJECT (box), "field");
  GtkWidget *editor = g_object_get_data (G_OBJECT (box), "editor");
  GtkPopover *popover = g_object_get_data (G_OBJECT (box), "popover");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) values = NULL;

  if (GTK_IS_EDITABLE (editor))
    {
      g_auto(GStrv) parts = g_strsplit_set (gtk_editable_get_text (GTK_EDITABLE (editor)),
                                            ",，", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        if (*g_strstrip (parts[i]) != '\0')
          g_strv_builder_add (builder, parts[i]);
    }
  else
    for (GtkWidget *check = gtk_widget_get_first_child (editor); check != NULL;
         check = gtk_widget_get_next_sibling (check))
      if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
        g_strv_builder_add (builder, gtk_widget_get_name (check));
  values = g_strv_builder_end (builder);
  aq_report_field_item_set_filter (item, AQ_REPORT_FILTER_IN,
                                   values[0] != NULL ? (const char * const *) values : NULL);
  gtk_popover_popdown (popover);
  aq_drop_zone_field_changed (self->filters_zone);
}

/* What a filter chip's ▾ shows: the members to keep (checks for a small dimension, an entry
 * for a big one); a filter set by a parameter or a condition says so and is left alone. */
static GtkWidget *
filter_popover_cb (AqReportChip *chip,
                   GtkPopover   *popover,
                   gpointer      user_data)
{
  AqReportPanel *self = AQ_REPORT_PANEL (user_data);
  AqReportFieldItem *item = aq_report_chip_get_field (chip);
  const char * const *values = aq_report_field_item_get_filter_values (item);
  int op = aq_report_field_item_get_filter_op (item);
  AqDimension *dimension = self->catalog ? aq_catalog_lookup_dimension (self->catalog,
                                               aq_report_field_item_get_id (item)) : NULL;
  GPtrArray *members = dimension ? aq_dimension_get_members (dimension) : NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *title = gtk_label_new (aq_report_field_item_get_label (item));
  GtkWidget *editor;
  GtkWidget *apply;
  gboolean by_param = FALSE;

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    by_param |= values[i][0] == '$' && values[i][1] != '$';
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);
  g_object_set_data (G_OBJECT (box), "field", item);
  g_object_set_data (G_OBJECT (box), "popover", popover);

  if (by_param || (op != AQ_REPORT_FILTER_IN && op != AQ_REPORT_FILTER_NOT_IN))
    {
      GtkWidget *note = gtk_label_new (_("Set by the report's parameters above."));

      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (box), note);
      return box;
    }

  if (members != NULL)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      editor = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      for (guint i = 0; i < members->len; i++)
        {
          AqDimensionMember *member = g_ptr_array_index (members, i);
          GtkWidget *check = gtk_check_button_new_with_label (member->label ? member->label
                                                                             : member->key);

          gtk_widget_set_name (check, member->key);
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                       values != NULL
                                       && g_strv_contains (values, member->key));
          gtk_box_append (GTK_BOX (editor), check);
        }
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), editor);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
      gtk_box_append (GTK_BOX (box), scroller);
    }
  else
    {
      g_autofree char *text = values ? g_strjoinv (", ", (char **) values) : NULL;

      editor = gtk_entry_new ();
      gtk_entry_set_placeholder_text (GTK_ENTRY (editor), _("Values, separated by commas"));
      gtk_editable_set_text (GTK_EDITABLE (editor), text ? text : "");
      gtk_box_append (GTK_BOX (box), editor);
    }
  g_object_set_data (G_OBJECT (box), "editor", editor);
  apply = gtk_button_new_with_mnemonic (C_("report designer", "_Apply"));
  gtk_widget_add_css_class (apply, "suggested-action");
  g_signal_connect (apply, "clicked", G_CALLBACK (filter_apply_cb), self);
  gtk_box_append (GTK_BOX (box), apply);
  return box;
}

/* Alt+Up / Alt+Down on a dimension's chip: to the zone above or below (Filters, Columns,
 * Rows), as one change to undo. */
static void
zone_move_requested_cb (AqDropZone    *zone,
                        guint          position,
                        int            direction,
                        AqReportPanel *self)
{
  static const AqReportZone order[] = {
    AQ_REPORT_ZONE_FILTERS, AQ_REPORT_ZONE_COLUMNS, AQ_REPORT_ZONE_ROWS,
  };
  AqReportZone from;

  if (!aq_report_zone_from_string (aq_drop_zone_get_zone (zone), &from))
    return;
  for (int i = 0; i < (int) G_N_ELEMENTS (order); i++)
    {
      int to = i + direction;

      if (order[i] != from)
        continue;
      if (to < 0 || to >= (int) G_N_ELEMENTS (order)
          || position >= aq_report_spec_get_n_fields (self->spec, from))
        return;
      aq_report_spec_move_field (self->spec, from, position, order[to], -1);
      apply_spec (self);
      push_undo (self);
      start_run_soon (self);
      return;
    }
}

static void
zone_changed_cb (AqReportPanel *self)
{
  layout_changed (self);
}

static void
params_changed_cb (AqReportPanel *self)
{
  start_run_soon (self);
}

static void
kind_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  gboolean list = aq_report_spec_get_kind (self->spec) == AQ_REPORT_KIND_LIST;

  aq_report_spec_set_kind (self->spec, list ? AQ_REPORT_KIND_PIVOT : AQ_REPORT_KIND_LIST);
  if (!list)
    {
      /* a list has no columns: what was in Columns becomes rows */
      while (aq_report_spec_get_n_fields (self->spec, AQ_REPORT_ZONE_COLUMNS) > 0)
        aq_report_spec_move_field (self->spec, AQ_REPORT_ZONE_COLUMNS, 0,
                                   AQ_REPORT_ZONE_ROWS, -1);
      apply_spec (self);
    }
  push_undo (self);
  start_run_soon (self);
}

/* ---- AqPanel ---- */

/* Also while a definition is being saved or deleted: tests and screenshots wait for it. */
static gboolean
get_loading (AqPanel *panel)
{
  return AQ_REPORT_PANEL (panel)->loading || AQ_REPORT_PANEL (panel)->storing > 0;
}

static void
reload (AqPanel *panel)
{
  AqReportPanel *self = AQ_REPORT_PANEL (panel);

  if (self->catalog == NULL)
    load_catalog (self);
  else
    start_run_soon (self);
}

/* The window's monitor: its conninfo is where the catalog and the reports come from. */
static void
set_monitor (AqPanel             *panel,
             AqConnectionMonitor *monitor)
{
  AqReportPanel *self = AQ_REPORT_PANEL (panel);

  if (self->monitor == monitor)
    return;
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    g_signal_connect_object (monitor, "notify::conninfo", G_CALLBACK (profile_changed_cb),
                             self, G_CONNECT_SWAPPED);
  load_catalog (self);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = get_loading;
  iface->reload = reload;
  iface->set_monitor = set_monitor;
}

/* ---- GtkWidget overrides ---- */

/* --screenshot report=FILE: a meaningful report, not an empty designer. The window is marked
 * as a screenshot's after it is built, so this is decided when the panel is first shown. */
static void
aq_report_panel_map (GtkWidget *widget)
{
  AqReportPanel *self = AQ_REPORT_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  GTK_WIDGET_CLASS (aq_report_panel_parent_class)->map (widget);

  if (!self->screenshot_opened && GTK_IS_WIDGET (root)
      && gtk_widget_has_css_class (GTK_WIDGET (root), "screenshot"))
    {
      const char *name = g_getenv ("AQUEDUCT_SCREENSHOT_REPORT");
      const char *view = g_getenv ("AQUEDUCT_SCREENSHOT_REPORT_VIEW");

      self->screenshot_opened = TRUE;
      aq_report_panel_open_report (self, name && *name ? name : "nrw_by_dma");
      if (view != NULL)
        aq_report_panel_set_view (self, view);
    }
}

/* ---- GObject overrides ---- */

static void
aq_report_panel_dispose (GObject *object)
{
  AqReportPanel *self = AQ_REPORT_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->run_source, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_REPORT_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->catalog);
  g_clear_object (&self->categories);
  g_clear_object (&self->spec);
  g_clear_object (&self->result);
  g_clear_object (&self->list);

  G_OBJECT_CLASS (aq_report_panel_parent_class)->dispose (object);
}

static void
aq_report_panel_finalize (GObject *object)
{
  AqReportPanel *self = AQ_REPORT_PANEL (object);

  g_ptr_array_unref (self->undo);
  g_free (self->view);
  g_free (self->error);
  g_free (self->pending_open);
  g_free (self->conninfo);
  g_free (self->export_path);

  G_OBJECT_CLASS (aq_report_panel_parent_class)->finalize (object);
}

static void
aq_report_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AqReportPanel *self = AQ_REPORT_PANEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_VIEW:
      g_value_set_string (value, self->view);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_report_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AqReportPanel *self = AQ_REPORT_PANEL (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      aq_report_panel_set_view (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_report_panel_class_init (AqReportPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct
  {
    guint       key;
    const char *zone;
  } zone_keys[] = {
    { GDK_KEY_r, "rows" }, { GDK_KEY_c, "columns" }, { GDK_KEY_v, "values" },
    { GDK_KEY_f, "filters" },
  };

  object_class->dispose = aq_report_panel_dispose;
  object_class->finalize = aq_report_panel_finalize;
  object_class->get_property = aq_report_panel_get_property;
  object_class->set_property = aq_report_panel_set_property;
  widget_class->map = aq_report_panel_map;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, "grid",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (AQ_TYPE_DROP_ZONE);
  g_type_ensure (AQ_TYPE_REPORT_CATALOG_VIEW);
  g_type_ensure (AQ_TYPE_REPORT_CHART_VIEW);
  g_type_ensure (AQ_TYPE_REPORT_GRID);
  g_type_ensure (AQ_TYPE_REPORT_PARAMS_BAR);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-report-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, catalog_view);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, filters_zone);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, columns_zone);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, rows_zone);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, values_zone);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, params_bar);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, grid);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, chart);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AqReportPanel, calc_menu);
  gtk_widget_class_bind_template_callback (widget_class, zone_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_move_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, params_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, sort_requested_cb);
  gtk_widget_class_bind_template_callback (widget_class, cell_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, chart_value_changed_cb);

  gtk_widget_class_install_action (widget_class, "report.add-field", "s", add_field_action);
  gtk_widget_class_install_action (widget_class, "report.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "report.redo", NULL, redo_action);
  gtk_widget_class_install_action (widget_class, "report.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "report.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "report.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "report.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "report.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "report.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "report.options", NULL, options_action);
  gtk_widget_class_install_action (widget_class, "report.toggle-list", NULL, kind_action);
  gtk_widget_class_install_property_action (widget_class, "report.view", "view");

  for (guint i = 0; i < G_N_ELEMENTS (zone_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zone_keys[i].key, GDK_ALT_MASK,
                                         "report.add-field", "s", zone_keys[i].zone);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK,
                                       "report.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "report.redo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "report.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "report.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "report.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "report.export", "s", "xlsx");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_report_panel_init (AqReportPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->categories = g_list_store_new (AQ_TYPE_REPORT_FIELD_ITEM);
  self->spec = aq_report_spec_new (AQ_REPORT_KIND_PIVOT);
  self->undo = g_ptr_array_new_with_free_func (g_free);
  self->view = g_strdup ("grid");
  aq_drop_zone_set_chip_menu (self->values_zone, self->calc_menu);
  aq_drop_zone_set_chip_popover (self->filters_zone, filter_popover_cb, self);
  gtk_stack_set_visible_child_name (self->view_stack, "empty");
  reset_undo (self);
  update_title (self);
  update_actions (self);
}

/* ---- public API ---- */

/* Returns: (transfer none) (nullable): the catalog, once loaded */
AqCatalog *
aq_report_panel_get_catalog (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->catalog;
}

AqReportSpec *
aq_report_panel_get_spec (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->spec;
}

/* Shows @spec (copied) as a new starting point: the undo history starts again. */
void
aq_report_panel_set_spec (AqReportPanel *self,
                          AqReportSpec  *spec)
{
  g_autoptr(AqReportSpec) copy = NULL;

  g_return_if_fail (AQ_IS_REPORT_PANEL (self));
  g_return_if_fail (AQ_IS_REPORT_SPEC (spec));

  copy = aq_report_spec_copy (spec);
  g_set_object (&self->spec, copy);
  apply_spec (self);
  reset_undo (self);
  update_actions (self);
  start_run_soon (self);
}

/* Opens a stored report by name (standard or saved); waits for the catalog if need be. */
void
aq_report_panel_open_report (AqReportPanel *self,
                             const char    *name)
{
  g_return_if_fail (AQ_IS_REPORT_PANEL (self));
  g_return_if_fail (name != NULL);

  if (self->catalog == NULL || conninfo (self) == NULL)
    {
      g_free (self->pending_open);
      self->pending_open = g_strdup (name);
      set_loading (self, TRUE);
      return;
    }
  set_loading (self, TRUE);
  aq_report_store_open_async (conninfo (self), name, self->cancellable, open_cb, self);
}

/* Returns: (transfer none) (nullable): the pivot on screen */
AqReportResult *
aq_report_panel_get_result (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->result;
}

/* Returns: (nullable): the error shown under the zones */
const char *
aq_report_panel_get_error (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->error;
}

AqDropZone *
aq_report_panel_get_zone (AqReportPanel *self,
                          AqReportZone   zone)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return zone_widget (self, zone);
}

AqReportCatalogView *
aq_report_panel_get_catalog_view (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->catalog_view;
}

AqReportGrid *
aq_report_panel_get_grid (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->grid;
}

AqReportChartView *
aq_report_panel_get_chart (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->chart;
}

AqReportParamsBar *
aq_report_panel_get_params_bar (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->params_bar;
}

const char *
aq_report_panel_get_view (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), NULL);
  return self->view;
}

/* "grid" or "chart" */
void
aq_report_panel_set_view (AqReportPanel *self,
                          const char    *view)
{
  g_return_if_fail (AQ_IS_REPORT_PANEL (self));

  if (view == NULL || (!g_str_equal (view, "grid") && !g_str_equal (view, "chart"))
      || g_strcmp0 (self->view, view) == 0)
    return;
  g_free (self->view);
  self->view = g_strdup (view);
  if (!g_str_equal (gtk_stack_get_visible_child_name (self->view_stack), "empty"))
    gtk_stack_set_visible_child_name (self->view_stack, view);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

/* Writes what is on screen to @path, Excel or CSV, off the main thread (the panel counts as
 * loading until it is written). */
void
aq_report_panel_export (AqReportPanel *self,
                        const char    *path,
                        gboolean       csv)
{
  g_autoptr(GHashTable) params = NULL;

  g_return_if_fail (AQ_IS_REPORT_PANEL (self));
  g_return_if_fail (path != NULL);

  if (self->catalog == NULL || (self->result == NULL && self->list == NULL))
    return;
  /* the pivot on screen is written as it is; a list is run again and streamed to the file */
  g_free (self->export_path);
  self->export_path = g_strdup (path);
  params = aq_report_params_bar_get_values (self->params_bar);
  self->storing++;
  aq_report_export_async (conninfo (self), self->catalog, self->spec, params, self->result,
                          csv ? NULL : self->export_path, csv ? self->export_path : NULL,
                          self->cancellable, export_cb, g_object_ref (self));
}

/* A query is in the warehouse now (not waiting for the layout to settle). */
gboolean
aq_report_panel_get_running (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), FALSE);
  return self->run_cancellable != NULL;
}

/* How many runs a newer layout cancelled while they were in the warehouse. */
guint
aq_report_panel_get_cancelled_runs (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), 0);
  return self->cancelled_runs;
}

gboolean
aq_report_panel_can_undo (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), FALSE);
  return self->undo_index > 0;
}

gboolean
aq_report_panel_can_redo (AqReportPanel *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PANEL (self), FALSE);
  return self->undo_index + 1 < self->undo->len;
}

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
 *
 * The panel is three files sharing aq-report-panel-private.h: this one holds the type, the
 * catalog tree and the zones ↔ spec round trip; aq-report-panel-run.c runs the report and shows
 * its result; aq-report-panel-actions.c holds the actions (new, open, save, export, undo…),
 * sorting, formats, drill-down and the filter chips.
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
  { "停水通知", NC_("catalog category", "Outages and Notices") },
  { "数据质量", NC_("catalog category", "Data Quality") },
};


/* ---- auxiliary methods ---- */

/* The warehouse's conninfo, resolved on a worker thread when the profile changes (the embedded
 * warehouse's is found by asking whether it runs). */
const char *
_aq_report_panel_conninfo (AqReportPanel *self)
{
  return self->conninfo;
}

void
_aq_report_panel_set_loading (AqReportPanel *self,
                              gboolean       loading)
{
  gtk_spinner_set_spinning (self->spinner, loading);
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

AqDropZone *
_aq_report_panel_zone_widget (AqReportPanel *self,
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

void
_aq_report_panel_update_actions (AqReportPanel *self)
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

void
_aq_report_panel_update_title (AqReportPanel *self)
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
      AqDropZone *zone = _aq_report_panel_zone_widget (self, z);
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

void
_aq_report_panel_show_error (AqReportPanel *self,
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

void
_aq_report_panel_build_categories (AqReportPanel *self)
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
      AqDropZone *zone = _aq_report_panel_zone_widget (self, z);

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
void
_aq_report_panel_apply_spec (AqReportPanel *self)
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
      aq_drop_zone_set_fields (_aq_report_panel_zone_widget (self, z), items);
    }
  aq_report_params_bar_set_params (self->params_bar, self->spec, self->catalog);
  _aq_report_panel_update_title (self);
  self->applying = FALSE;
}

void
_aq_report_panel_push_undo (AqReportPanel *self)
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
  _aq_report_panel_update_actions (self);
}

static void
reset_undo (AqReportPanel *self)
{
  g_ptr_array_set_size (self->undo, 0);
  self->undo_index = 0;
  _aq_report_panel_push_undo (self);
}

void
_aq_report_panel_restore_undo (AqReportPanel *self,
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
  _aq_report_panel_apply_spec (self);
  _aq_report_panel_update_actions (self);
  _aq_report_panel_start_run_soon (self);
}

void
_aq_report_panel_layout_changed (AqReportPanel *self)
{
  if (self->applying || self->spec == NULL)
    return;
  sync_spec (self);
  _aq_report_panel_push_undo (self);
  _aq_report_panel_start_run_soon (self);
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
    _aq_report_panel_load_catalog (self);
  else
    _aq_report_panel_start_run_soon (self);
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
    g_signal_connect_object (monitor, "notify::conninfo",
                             G_CALLBACK (_aq_report_panel_profile_changed_cb),
                             self, G_CONNECT_SWAPPED);
  _aq_report_panel_load_catalog (self);
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
  gtk_widget_class_bind_template_callback_full (widget_class, "zone_changed_cb",
                                                G_CALLBACK (_aq_report_panel_zone_changed_cb));
  gtk_widget_class_bind_template_callback_full (
    widget_class, "zone_move_requested_cb", G_CALLBACK (_aq_report_panel_zone_move_requested_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "params_changed_cb",
                                                G_CALLBACK (_aq_report_panel_params_changed_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "sort_requested_cb",
                                                G_CALLBACK (_aq_report_panel_sort_requested_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "cell_activated_cb",
                                                G_CALLBACK (_aq_report_panel_cell_activated_cb));
  gtk_widget_class_bind_template_callback_full (
    widget_class, "chart_value_changed_cb", G_CALLBACK (_aq_report_panel_chart_value_changed_cb));

  gtk_widget_class_install_action (widget_class, "report.add-field", "s",
                                   _aq_report_panel_add_field_action);
  gtk_widget_class_install_action (widget_class, "report.undo", NULL, _aq_report_panel_undo_action);
  gtk_widget_class_install_action (widget_class, "report.redo", NULL, _aq_report_panel_redo_action);
  gtk_widget_class_install_action (widget_class, "report.new", NULL, _aq_report_panel_new_action);
  gtk_widget_class_install_action (widget_class, "report.open", NULL, _aq_report_panel_open_action);
  gtk_widget_class_install_action (widget_class, "report.save", NULL, _aq_report_panel_save_action);
  gtk_widget_class_install_action (widget_class, "report.duplicate", NULL,
                                   _aq_report_panel_duplicate_action);
  gtk_widget_class_install_action (widget_class, "report.delete", NULL,
                                   _aq_report_panel_delete_action);
  gtk_widget_class_install_action (widget_class, "report.export", "s",
                                   _aq_report_panel_export_action);
  gtk_widget_class_install_action (widget_class, "report.options", NULL,
                                   _aq_report_panel_options_action);
  gtk_widget_class_install_action (widget_class, "report.toggle-list", NULL,
                                   _aq_report_panel_kind_action);
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
  aq_drop_zone_set_chip_popover (self->filters_zone, _aq_report_panel_filter_popover_cb, self);
  gtk_stack_set_visible_child_name (self->view_stack, "empty");
  reset_undo (self);
  _aq_report_panel_update_title (self);
  _aq_report_panel_update_actions (self);
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
  _aq_report_panel_apply_spec (self);
  reset_undo (self);
  _aq_report_panel_update_actions (self);
  _aq_report_panel_start_run_soon (self);
}

/* Opens a stored report by name (standard or saved); waits for the catalog if need be. */
void
aq_report_panel_open_report (AqReportPanel *self,
                             const char    *name)
{
  g_return_if_fail (AQ_IS_REPORT_PANEL (self));
  g_return_if_fail (name != NULL);

  if (self->catalog == NULL || _aq_report_panel_conninfo (self) == NULL)
    {
      g_free (self->pending_open);
      self->pending_open = g_strdup (name);
      _aq_report_panel_set_loading (self, TRUE);
      return;
    }
  _aq_report_panel_set_loading (self, TRUE);
  aq_report_store_open_async (_aq_report_panel_conninfo (self), name, self->cancellable,
                              _aq_report_panel_open_cb, self);
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
  return _aq_report_panel_zone_widget (self, zone);
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
  aq_report_export_async (_aq_report_panel_conninfo (self), self->catalog, self->spec, params,
                          self->result,
                          csv ? NULL : self->export_path, csv ? self->export_path : NULL,
                          self->cancellable, _aq_report_panel_export_cb, g_object_ref (self));
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


/* aq-report-params-bar.c — a report's parameters, each with its own widget
 *
 * A month is a year spin button and a month drop-down ("2024-03"); a month range two of them;
 * a date range two calendar buttons; a district or another member a drop-down of the catalog's
 * members (keys behind labels); N a spin button within the declared bounds; anything else an
 * entry. Values keep the text form aq_report_spec_resolve_params() checks, and "changed" fires
 * once per edit so the designer reruns. A default the warehouse computes when the report runs
 * ("@latest", "@last12") is left out of the values until the user changes the widget.
 */
#define G_LOG_DOMAIN "aq-report-params-bar"

#include "config.h"

#include "aq-report-params-bar.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "aq-clock.h"

struct _AqReportParamsBar
{
  GtkWidget   parent_instance;

  GtkBox     *box;

  GPtrArray  *params;    /* AqReportParam* copies */
  GPtrArray  *editors;   /* GtkWidget*: the editor of each parameter */
  GPtrArray  *initial;   /* char*: what each editor showed when built */
  gboolean    building;
};

G_DEFINE_FINAL_TYPE (AqReportParamsBar, aq_report_params_bar, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static void
emit_changed (AqReportParamsBar *self)
{
  if (!self->building)
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
editor_changed_cb (GtkWidget         *widget,
                   GParamSpec        *pspec,
                   AqReportParamsBar *self)
{
  emit_changed (self);
}

static void
value_changed_cb (GtkWidget         *widget,
                  AqReportParamsBar *self)
{
  emit_changed (self);
}

/* A month: year spin button + month drop-down, in a box named "month". */
static GtkWidget *
month_editor_new (AqReportParamsBar *self)
{
  static const char * const months[] = {
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", NULL
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *year = gtk_spin_button_new_with_range (2000, 2100, 1);
  GtkWidget *month = gtk_drop_down_new_from_strings (months);
  g_autoptr(GDateTime) now = aq_clock_now_local ();

  gtk_widget_add_css_class (box, "linked");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (year), g_date_time_get_year (now));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (month), g_date_time_get_month (now) - 1);
  gtk_widget_set_tooltip_text (year, C_("report designer", "Year"));
  gtk_widget_set_tooltip_text (month, C_("report designer", "Month"));
  gtk_box_append (GTK_BOX (box), year);
  gtk_box_append (GTK_BOX (box), month);
  g_signal_connect (year, "value-changed", G_CALLBACK (value_changed_cb), self);
  g_signal_connect (month, "notify::selected", G_CALLBACK (editor_changed_cb), self);
  return box;
}

static char *
month_editor_get (GtkWidget *box)
{
  GtkWidget *year = gtk_widget_get_first_child (box);
  GtkWidget *month = gtk_widget_get_next_sibling (year);

  return g_strdup_printf ("%04d-%02u",
                          gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (year)),
                          gtk_drop_down_get_selected (GTK_DROP_DOWN (month)) + 1);
}

static gboolean
month_editor_set (GtkWidget  *box,
                  const char *value)
{
  GtkWidget *year = gtk_widget_get_first_child (box);
  GtkWidget *month = gtk_widget_get_next_sibling (year);
  int y;
  int m;

  if (value == NULL || sscanf (value, "%d-%d", &y, &m) != 2 || m < 1 || m > 12)
    return FALSE;
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (year), y);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (month), m - 1);
  return TRUE;
}

static void
day_selected_cb (GtkCalendar *calendar,
                 GtkMenuButton *button)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (date, "%Y-%m-%d");

  gtk_menu_button_set_label (button, text);
  gtk_menu_button_popdown (button);
}

static GtkWidget *
date_editor_new (AqReportParamsBar *self)
{
  GtkWidget *button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *calendar = gtk_calendar_new ();
  g_autoptr(GDateTime) now = aq_clock_now_local ();
  g_autofree char *text = g_date_time_format (now, "%Y-%m-%d");

  gtk_popover_set_child (GTK_POPOVER (popover), calendar);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), text);
  g_signal_connect (calendar, "day-selected", G_CALLBACK (day_selected_cb), button);
  g_signal_connect (button, "notify::label", G_CALLBACK (editor_changed_cb), self);
  return button;
}

static GtkWidget *
range_editor_new (AqReportParamsBar *self,
                  GtkWidget         *from,
                  GtkWidget         *to)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_box_append (GTK_BOX (box), from);
  gtk_box_append (GTK_BOX (box), gtk_label_new ("–"));
  gtk_box_append (GTK_BOX (box), to);
  return box;
}

/* The members of @dimension_id (or of the first dimension whose values are districts). */
static AqDimension *
member_dimension (AqCatalog  *catalog,
                  const char *dimension_id,
                  const char *value_type)
{
  GListModel *dimensions;

  if (catalog == NULL)
    return NULL;
  if (dimension_id != NULL)
    return aq_catalog_lookup_dimension (catalog, dimension_id);
  dimensions = aq_catalog_get_dimensions (catalog);
  for (guint i = 0; i < g_list_model_get_n_items (dimensions); i++)
    {
      g_autoptr(AqDimension) dimension = g_list_model_get_item (dimensions, i);

      if (g_strcmp0 (aq_dimension_get_value_type (dimension), value_type) == 0
          && aq_dimension_get_members (dimension) != NULL)
        return dimension;
    }
  return NULL;
}

static GtkWidget *
member_editor_new (AqReportParamsBar *self,
                   AqDimension       *dimension)
{
  GPtrArray *members = dimension ? aq_dimension_get_members (dimension) : NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *dropdown;

  /* "" is every member: the filter on it falls away */
  gtk_string_list_append (labels, C_("report designer", "All"));
  g_ptr_array_add (keys, g_strdup (""));
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      AqDimensionMember *member = g_ptr_array_index (members, i);

      gtk_string_list_append (labels, member->label ? member->label : member->key);
      g_ptr_array_add (keys, g_strdup (member->key));
    }
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&labels)), NULL);
  gtk_drop_down_set_enable_search (GTK_DROP_DOWN (dropdown), keys->len > 12);
  g_object_set_data_full (G_OBJECT (dropdown), "keys", keys, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (editor_changed_cb), self);
  return dropdown;
}

static GtkWidget *
editor_new (AqReportParamsBar   *self,
            const AqReportParam *param,
            AqCatalog           *catalog)
{
  GtkWidget *editor;

  switch (param->type)
    {
    case AQ_REPORT_PARAM_MONTH:
      return month_editor_new (self);
    case AQ_REPORT_PARAM_MONTH_RANGE:
      return range_editor_new (self, month_editor_new (self), month_editor_new (self));
    case AQ_REPORT_PARAM_DATE_RANGE:
      return range_editor_new (self, date_editor_new (self), date_editor_new (self));
    case AQ_REPORT_PARAM_DISTRICT:
      return member_editor_new (self, member_dimension (catalog, param->dimension, "district"));
    case AQ_REPORT_PARAM_MEMBER:
      return member_editor_new (self, member_dimension (catalog, param->dimension, NULL));
    case AQ_REPORT_PARAM_INTEGER:
      editor = gtk_spin_button_new_with_range (param->min < param->max ? param->min : 0,
                                               param->min < param->max ? param->max : 1000000,
                                               1);
      g_signal_connect (editor, "value-changed", G_CALLBACK (value_changed_cb), self);
      return editor;
    case AQ_REPORT_PARAM_TEXT:
    default:
      editor = gtk_entry_new ();
      g_signal_connect (editor, "activate", G_CALLBACK (value_changed_cb), self);
      return editor;
    }
}

static char *
editor_get (const AqReportParam *param,
            GtkWidget           *editor)
{
  GPtrArray *keys;
  guint selected;

  switch (param->type)
    {
    case AQ_REPORT_PARAM_MONTH:
      return month_editor_get (editor);
    case AQ_REPORT_PARAM_MONTH_RANGE:
    case AQ_REPORT_PARAM_DATE_RANGE:
      {
        GtkWidget *from = gtk_widget_get_first_child (editor);
        GtkWidget *to = gtk_widget_get_last_child (editor);
        g_autofree char *a = NULL;
        g_autofree char *b = NULL;

        if (param->type == AQ_REPORT_PARAM_MONTH_RANGE)
          {
            a = month_editor_get (from);
            b = month_editor_get (to);
          }
        else
          {
            a = g_strdup (gtk_menu_button_get_label (GTK_MENU_BUTTON (from)));
            b = g_strdup (gtk_menu_button_get_label (GTK_MENU_BUTTON (to)));
          }
        return g_strdup_printf ("%s..%s", a, b);
      }
    case AQ_REPORT_PARAM_DISTRICT:
    case AQ_REPORT_PARAM_MEMBER:
      keys = g_object_get_data (G_OBJECT (editor), "keys");
      selected = gtk_drop_down_get_selected (GTK_DROP_DOWN (editor));
      return keys != NULL && selected < keys->len ? g_strdup (g_ptr_array_index (keys, selected))
                                                  : NULL;
    case AQ_REPORT_PARAM_INTEGER:
      return g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (editor)));
    case AQ_REPORT_PARAM_TEXT:
    default:
      return g_strdup (gtk_editable_get_text (GTK_EDITABLE (editor)));
    }
}

static gboolean
editor_set (const AqReportParam *param,
            GtkWidget           *editor,
            const char          *value)
{
  if (value == NULL)
    return FALSE;
  switch (param->type)
    {
    case AQ_REPORT_PARAM_MONTH:
      return month_editor_set (editor, value);
    case AQ_REPORT_PARAM_MONTH_RANGE:
    case AQ_REPORT_PARAM_DATE_RANGE:
      {
        g_auto(GStrv) parts = g_strsplit (value, "..", 2);
        GtkWidget *from = gtk_widget_get_first_child (editor);
        GtkWidget *to = gtk_widget_get_last_child (editor);

        if (g_strv_length (parts) != 2)
          return FALSE;
        if (param->type == AQ_REPORT_PARAM_DATE_RANGE)
          {
            gtk_menu_button_set_label (GTK_MENU_BUTTON (from), parts[0]);
            gtk_menu_button_set_label (GTK_MENU_BUTTON (to), parts[1]);
            return TRUE;
          }
        return month_editor_set (from, parts[0]) && month_editor_set (to, parts[1]);
      }
    case AQ_REPORT_PARAM_DISTRICT:
    case AQ_REPORT_PARAM_MEMBER:
      {
        GPtrArray *keys = g_object_get_data (G_OBJECT (editor), "keys");

        for (guint i = 0; keys != NULL && i < keys->len; i++)
          if (g_str_equal (g_ptr_array_index (keys, i), value))
            {
              gtk_drop_down_set_selected (GTK_DROP_DOWN (editor), i);
              return TRUE;
            }
        return FALSE;
      }
    case AQ_REPORT_PARAM_INTEGER:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor), g_ascii_strtoll (value, NULL, 10));
      return TRUE;
    case AQ_REPORT_PARAM_TEXT:
    default:
      gtk_editable_set_text (GTK_EDITABLE (editor), value);
      return TRUE;
    }
}

/* ---- GObject overrides ---- */

static void
aq_report_params_bar_dispose (GObject *object)
{
  AqReportParamsBar *self = AQ_REPORT_PARAMS_BAR (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_REPORT_PARAMS_BAR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_pointer (&self->params, g_ptr_array_unref);
  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->initial, g_ptr_array_unref);

  G_OBJECT_CLASS (aq_report_params_bar_parent_class)->dispose (object);
}

static void
aq_report_params_bar_class_init (AqReportParamsBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_params_bar_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-report-params-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportParamsBar, box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_report_params_bar_init (AqReportParamsBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->params = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_param_free);
  self->editors = g_ptr_array_new ();
  self->initial = g_ptr_array_new_with_free_func (g_free);
}

/* ---- public API ---- */

void
aq_report_params_bar_set_params (AqReportParamsBar *self,
                                 AqReportSpec      *spec,
                                 AqCatalog         *catalog)
{
  GPtrArray *params;
  GtkWidget *child;

  g_return_if_fail (AQ_IS_REPORT_PARAMS_BAR (self));

  self->building = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  g_ptr_array_set_size (self->params, 0);
  g_ptr_array_set_size (self->editors, 0);
  g_ptr_array_set_size (self->initial, 0);

  params = spec ? aq_report_spec_get_params (spec) : NULL;
  for (guint i = 0; params != NULL && i < params->len; i++)
    {
      const AqReportParam *param = g_ptr_array_index (params, i);
      GtkWidget *label = gtk_label_new (param->label ? param->label : param->name);
      GtkWidget *editor = editor_new (self, param, catalog);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_name (editor, param->name);
      gtk_widget_set_tooltip_text (editor, param->label);
      if (param->default_value != NULL && param->default_value[0] == '@')
        /* Translators: a parameter whose default is computed when the report runs */
        gtk_widget_set_tooltip_text (editor, _("Until changed: the latest data in the warehouse"));
      else if (param->default_value != NULL)
        editor_set (param, editor, param->default_value);
      gtk_box_append (self->box, label);
      gtk_box_append (self->box, editor);
      g_ptr_array_add (self->params, aq_report_param_copy (param));
      g_ptr_array_add (self->editors, editor);
      g_ptr_array_add (self->initial, editor_get (param, editor));
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->params->len > 0);
  self->building = FALSE;
}

GHashTable *
aq_report_params_bar_get_values (AqReportParamsBar *self)
{
  GHashTable *values;

  g_return_val_if_fail (AQ_IS_REPORT_PARAMS_BAR (self), NULL);

  values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < self->params->len; i++)
    {
      const AqReportParam *param = g_ptr_array_index (self->params, i);
      char *value = editor_get (param, g_ptr_array_index (self->editors, i));

      /* a default the warehouse computes ("@latest") stands until the user changes it */
      if (param->default_value != NULL && param->default_value[0] == '@'
          && g_strcmp0 (value, g_ptr_array_index (self->initial, i)) == 0)
        g_clear_pointer (&value, g_free);
      if (value != NULL)
        g_hash_table_insert (values, g_strdup (param->name), value);
    }
  return values;
}

/* Returns: FALSE for an unknown parameter or a value its widget cannot show */
gboolean
aq_report_params_bar_set_value (AqReportParamsBar *self,
                                const char        *name,
                                const char        *value)
{
  g_return_val_if_fail (AQ_IS_REPORT_PARAMS_BAR (self), FALSE);

  for (guint i = 0; i < self->params->len; i++)
    {
      const AqReportParam *param = g_ptr_array_index (self->params, i);

      if (g_str_equal (param->name, name))
        return editor_set (param, g_ptr_array_index (self->editors, i), value);
    }
  return FALSE;
}

/* After a run: the months a default computed by the warehouse ("@latest") stood for, read
 * from the result's parameter lines ("label: 2024-03", "label: 2024-01 to 2024-06" in any
 * language), are shown in the untouched widgets — and still count as untouched. */
void
aq_report_params_bar_show_resolved (AqReportParamsBar  *self,
                                    const char * const *lines)
{
  g_autoptr(GRegex) date = g_regex_new ("[0-9]{4}-[0-9]{2}(-[0-9]{2})?", 0, 0, NULL);

  g_return_if_fail (AQ_IS_REPORT_PARAMS_BAR (self));

  self->building = TRUE;
  for (guint i = 0; lines != NULL && i < self->params->len; i++)
    {
      const AqReportParam *param = g_ptr_array_index (self->params, i);
      GtkWidget *editor = g_ptr_array_index (self->editors, i);
      g_autofree char *now = NULL;
      g_autofree char *prefix = NULL;

      if (param->default_value == NULL || param->default_value[0] != '@')
        continue;
      now = editor_get (param, editor);
      if (g_strcmp0 (now, g_ptr_array_index (self->initial, i)) != 0)
        continue;
      prefix = g_strdup_printf ("%s: ", param->label ? param->label : param->name);
      for (guint l = 0; lines[l] != NULL; l++)
        {
          g_autoptr(GMatchInfo) match = NULL;
          g_autofree char *first = NULL;
          g_autofree char *last = NULL;
          g_autofree char *value = NULL;

          if (!g_str_has_prefix (lines[l], prefix))
            continue;
          g_regex_match (date, lines[l] + strlen (prefix), 0, &match);
          while (g_match_info_matches (match))
            {
              g_free (last);
              last = g_match_info_fetch (match, 0);
              if (first == NULL)
                first = g_strdup (last);
              g_match_info_next (match, NULL);
            }
          if (first == NULL)
            break;
          value = param->type == AQ_REPORT_PARAM_MONTH_RANGE
                  || param->type == AQ_REPORT_PARAM_DATE_RANGE
                  ? g_strdup_printf ("%s..%s", first, last) : g_strdup (first);
          if (editor_set (param, editor, value))
            {
              g_free (g_ptr_array_index (self->initial, i));
              g_ptr_array_index (self->initial, i) = editor_get (param, editor);
            }
          break;
        }
    }
  self->building = FALSE;
}

guint
aq_report_params_bar_get_n_params (AqReportParamsBar *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_PARAMS_BAR (self), 0);
  return self->params->len;
}

/* aq-report-options-dialog.c — a report's sorting and conditional formatting
 *
 * Sorting: by a dimension (its key, or a custom order of member keys first) or by a value
 * column, ascending or descending, and for values optionally within the row groups. Formatting:
 * rules "value op threshold → colour", first match wins (core applies them to subtotals too).
 * Thresholds are compared with the cell as stored, so 5 % is 0.05: the dialog says so.
 */
#define G_LOG_DOMAIN "aq-report-options-dialog"

#include "config.h"

#include "aq-report-options-dialog.h"

#include <glib/gi18n.h>

struct _AqReportOptionsDialog
{
  AdwWindow       parent_instance;

  GtkDropDown    *sort_by;
  GtkSwitch      *descending;
  GtkSwitch      *within_groups;
  GtkEntry       *custom_order;
  GtkListBox     *rules_list;
  GtkDropDown    *rule_value;
  GtkDropDown    *rule_op;
  GtkSpinButton  *rule_threshold;
  GtkColorButton *rule_color;

  AqReportSpec   *spec;
  GPtrArray      *value_names;
  GPtrArray      *dimension_ids;
};

G_DEFINE_FINAL_TYPE (AqReportOptionsDialog, aq_report_options_dialog, ADW_TYPE_WINDOW)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const ops[] = { ">", ">=", "<", "<=", "=", "!=", NULL };

/* ---- auxiliary methods ---- */

static void
rebuild_rules (AqReportOptionsDialog *self);

static void
remove_rule_cb (GtkButton             *button,
                AqReportOptionsDialog *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  GPtrArray *rules = aq_report_spec_get_format_rules (self->spec);
  g_autoptr(GPtrArray) keep = NULL;

  keep = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_format_rule_free);

  for (guint i = 0; i < rules->len; i++)
    if (i != index)
      g_ptr_array_add (keep, aq_report_format_rule_copy (g_ptr_array_index (rules, i)));
  aq_report_spec_clear_format_rules (self->spec);
  for (guint i = 0; i < keep->len; i++)
    aq_report_spec_add_format_rule (self->spec, g_ptr_array_index (keep, i));
  rebuild_rules (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
rebuild_rules (AqReportOptionsDialog *self)
{
  GPtrArray *rules = aq_report_spec_get_format_rules (self->spec);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rules_list))) != NULL)
    gtk_list_box_remove (self->rules_list, child);
  for (guint i = 0; i < rules->len; i++)
    {
      AqReportFormatRule *rule = g_ptr_array_index (rules, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *swatch = gtk_label_new ("■");
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      g_autofree char *title = NULL;
      g_autofree char *markup = NULL;
      const char *name = rule->value_index < self->value_names->len
                         ? g_ptr_array_index (self->value_names, rule->value_index) : "?";

      title = g_strdup_printf ("%s %s %g", name, rule->op, rule->threshold);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      markup = g_markup_printf_escaped ("<span foreground=\"%s\" size=\"x-large\">■</span>",
                                        rule->color);
      gtk_label_set_markup (GTK_LABEL (swatch), markup);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), swatch);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove the Rule"));
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_rule_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->rules_list, row);
    }
}

/* ---- callbacks ---- */

static void
add_rule_cb (AqReportOptionsDialog *self)
{
  AqReportFormatRule rule = { 0 };
  GdkRGBA rgba;
  g_autofree char *color = NULL;

  if (self->value_names->len == 0)
    return;
  gtk_color_chooser_get_rgba (GTK_COLOR_CHOOSER (self->rule_color), &rgba);
  color = g_strdup_printf ("#%02x%02x%02x", (int) (rgba.red * 255 + 0.5),
                           (int) (rgba.green * 255 + 0.5), (int) (rgba.blue * 255 + 0.5));
  rule.value_index = gtk_drop_down_get_selected (self->rule_value);
  rule.op = (char *) ops[gtk_drop_down_get_selected (self->rule_op)];
  rule.threshold = gtk_spin_button_get_value (self->rule_threshold);
  rule.color = color;
  aq_report_spec_add_format_rule (self->spec, &rule);
  rebuild_rules (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
apply_sort_cb (AqReportOptionsDialog *self)
{
  guint selected = gtk_drop_down_get_selected (self->sort_by);
  guint n_dims = self->dimension_ids->len;
  AqReportSort sort = { 0 };
  g_auto(GStrv) order = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->custom_order));

  aq_report_spec_clear_sorts (self->spec);
  if (selected > 0)
    {
      sort.descending = gtk_switch_get_active (self->descending);
      if (selected - 1 < n_dims)
        {
          sort.by = AQ_REPORT_SORT_DIMENSION;
          sort.dimension = g_ptr_array_index (self->dimension_ids, selected - 1);
          if (*text != '\0')
            {
              order = g_strsplit_set (text, ",，", -1);
              for (guint i = 0; order[i]; i++)
                g_strstrip (order[i]);
              sort.custom_order = order;
            }
        }
      else
        {
          sort.by = AQ_REPORT_SORT_VALUE;
          sort.value_index = selected - 1 - n_dims;
          sort.within_groups = gtk_switch_get_active (self->within_groups);
        }
      aq_report_spec_add_sort (self->spec, &sort);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

/* ---- GObject overrides ---- */

static void
aq_report_options_dialog_dispose (GObject *object)
{
  AqReportOptionsDialog *self = AQ_REPORT_OPTIONS_DIALOG (object);

  g_clear_object (&self->spec);
  g_clear_pointer (&self->value_names, g_ptr_array_unref);
  g_clear_pointer (&self->dimension_ids, g_ptr_array_unref);

  G_OBJECT_CLASS (aq_report_options_dialog_parent_class)->dispose (object);
}

static void
aq_report_options_dialog_class_init (AqReportOptionsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_report_options_dialog_dispose;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/aqueduct/Aqueduct/ui/aq-report-options-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, sort_by);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, descending);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, within_groups);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, custom_order);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, rules_list);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, rule_value);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, rule_op);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, rule_threshold);
  gtk_widget_class_bind_template_child (widget_class, AqReportOptionsDialog, rule_color);
  gtk_widget_class_bind_template_callback (widget_class, add_rule_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_sort_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
aq_report_options_dialog_init (AqReportOptionsDialog *self)
{
  GdkRGBA red = { 0.88, 0.27, 0.25, 1 };

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_color_chooser_set_rgba (GTK_COLOR_CHOOSER (self->rule_color), &red);
}

/* ---- public API ---- */

GtkWidget *
aq_report_options_dialog_new (GtkWindow    *parent,
                              AqReportSpec *spec,
                              GPtrArray    *value_names,
                              GPtrArray    *dimension_ids,
                              GPtrArray    *dimension_names)
{
  AqReportOptionsDialog *self;
  g_autoptr(GtkStringList) values = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) sorts = gtk_string_list_new (NULL);
  GPtrArray *current;

  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), NULL);

  self = g_object_new (AQ_TYPE_REPORT_OPTIONS_DIALOG, "transient-for", parent, NULL);
  self->spec = g_object_ref (spec);
  self->value_names = g_ptr_array_ref (value_names);
  self->dimension_ids = g_ptr_array_ref (dimension_ids);

  gtk_string_list_append (sorts, _("As the warehouse returns it"));
  for (guint i = 0; i < dimension_names->len; i++)
    gtk_string_list_append (sorts, g_ptr_array_index (dimension_names, i));
  for (guint i = 0; i < value_names->len; i++)
    {
      gtk_string_list_append (values, g_ptr_array_index (value_names, i));
      gtk_string_list_append (sorts, g_ptr_array_index (value_names, i));
    }
  gtk_drop_down_set_model (self->sort_by, G_LIST_MODEL (sorts));
  gtk_drop_down_set_model (self->rule_value, G_LIST_MODEL (values));
  gtk_drop_down_set_model (self->rule_op, G_LIST_MODEL (gtk_string_list_new (ops)));

  current = aq_report_spec_get_sorts (spec);
  if (current->len > 0)
    {
      AqReportSort *sort = g_ptr_array_index (current, 0);

      gtk_switch_set_active (self->descending, sort->descending);
      gtk_switch_set_active (self->within_groups, sort->within_groups);
      if (sort->by == AQ_REPORT_SORT_VALUE && sort->value_index < value_names->len)
        gtk_drop_down_set_selected (self->sort_by, 1 + dimension_ids->len + sort->value_index);
      for (guint i = 0; sort->by == AQ_REPORT_SORT_DIMENSION && i < dimension_ids->len; i++)
        if (g_strcmp0 (g_ptr_array_index (dimension_ids, i), sort->dimension) == 0)
          gtk_drop_down_set_selected (self->sort_by, 1 + i);
      if (sort->custom_order != NULL)
        {
          g_autofree char *text = g_strjoinv (", ", sort->custom_order);

          gtk_editable_set_text (GTK_EDITABLE (self->custom_order), text);
        }
    }
  rebuild_rules (self);
  return GTK_WIDGET (self);
}

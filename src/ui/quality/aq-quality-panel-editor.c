/* aq-quality-panel-editor.c — the Data Quality panel's rule editor
 *
 * A form per rule type (the rows that do not apply to the chosen type are hidden), turned into
 * a rule through core's JSON rule reader; "Test now" runs it on the live warehouse without
 * keeping the result, Save keeps the rule and its first result. Split out of
 * aq-quality-panel.c; the struct lives in aq-quality-panel-private.h.
 */
#define G_LOG_DOMAIN "aq-quality-panel"

#include "config.h"

#include "aq-quality-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

static const char * const rule_types[] = {
  "not_null", "unique", "range", "pattern", "accepted_values", "referential", "custom", NULL
};
static const char * const formats[] = {
  "mobile", "landline", "id_card", "meter_no", "account_no", "regex", NULL
};
static const char * const dimensions[] = {
  "completeness", "validity", "uniqueness", "consistency", "timeliness", "accuracy", "volume",
  NULL
};
static const char * const severities[] = { "warn", "fail", NULL };

static GtkWidget *
labelled (const char *title,
          GtkWidget  *field)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_size_request (label, 160, -1);
  gtk_widget_set_hexpand (field, TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), field);
  return box;
}

static GtkEntry *
entry (const char *name,
       const char *placeholder)
{
  GtkWidget *e = gtk_entry_new ();

  gtk_widget_set_name (e, name);
  if (placeholder)
    gtk_entry_set_placeholder_text (GTK_ENTRY (e), placeholder);
  return GTK_ENTRY (e);
}

static GtkDropDown *
dropdown (const char         *name,
          const char * const *items)
{
  GtkWidget *d = gtk_drop_down_new_from_strings (items);

  gtk_widget_set_name (d, name);
  return GTK_DROP_DOWN (d);
}

static const char *
dropdown_value (GtkDropDown        *d,
                const char * const *items)
{
  return items[gtk_drop_down_get_selected (d)];
}

/* ---- editor ---- */

static void
type_changed_cb (AqQualityPanel *self)
{
  const char *t = dropdown_value (self->e_type, rule_types);

  gtk_widget_set_visible (self->row_column, !g_str_equal (t, "custom"));
  gtk_widget_set_visible (self->row_range, g_str_equal (t, "range"));
  gtk_widget_set_visible (self->row_pattern, g_str_equal (t, "pattern"));
  gtk_widget_set_visible (self->row_values, g_str_equal (t, "accepted_values"));
  gtk_widget_set_visible (self->row_ref, g_str_equal (t, "referential"));
  gtk_widget_set_visible (self->row_sql, g_str_equal (t, "custom"));
}

static void
set_number_or_text (JsonObject *o,
                    const char *member,
                    const char *text)
{
  char *end = NULL;
  double v;

  if (text == NULL || *text == '\0')
    return;
  v = g_ascii_strtod (text, &end);
  if (end && *end == '\0')
    json_object_set_double_member (o, member, v);
  else
    json_object_set_string_member (o, member, text);
}

static const char *
text_of (GtkEntry *e)
{
  return gtk_editable_get_text (GTK_EDITABLE (e));
}

/* The rule the form describes, or NULL with the reason in the result label. */
static AqQualityRule *
rule_from_form (AqQualityPanel *self)
{
  g_autoptr(JsonObject) o = json_object_new ();
  JsonObject *args = json_object_new ();
  const char *t = dropdown_value (self->e_type, rule_types);
  const char *column = text_of (self->e_column);
  g_autoptr(GError) error = NULL;
  AqQualityRule *rule;

  json_object_set_string_member (o, "name", text_of (self->e_name));
  json_object_set_string_member (o, "layer", text_of (self->e_layer));
  json_object_set_string_member (o, "table", text_of (self->e_table));
  json_object_set_string_member (o, "type", t);
  json_object_set_string_member (o, "dimension", dropdown_value (self->e_dimension, dimensions));
  json_object_set_string_member (o, "severity", dropdown_value (self->e_severity, severities));
  if (*text_of (self->e_owner))
    json_object_set_string_member (o, "owner", text_of (self->e_owner));
  if (*text_of (self->e_description))
    json_object_set_string_member (o, "description", text_of (self->e_description));
  if (g_str_equal (t, "unique") || g_str_equal (t, "referential"))
    {
      g_auto(GStrv) cols = g_strsplit (column, ",", -1);
      JsonArray *a = json_array_new ();

      for (guint i = 0; cols[i]; i++)
        json_array_add_string_element (a, g_strstrip (cols[i]));
      json_object_set_array_member (args, "columns", a);
    }
  else if (!g_str_equal (t, "custom"))
    json_object_set_string_member (args, "column", column);
  if (g_str_equal (t, "range"))
    {
      set_number_or_text (args, "min", text_of (self->e_min));
      set_number_or_text (args, "max", text_of (self->e_max));
    }
  if (g_str_equal (t, "pattern"))
    {
      const char *f = dropdown_value (self->e_format, formats);

      if (g_str_equal (f, "regex"))
        json_object_set_string_member (args, "regex", text_of (self->e_regex));
      else
        json_object_set_string_member (args, "format", f);
    }
  if (g_str_equal (t, "accepted_values"))
    {
      g_auto(GStrv) values = g_strsplit (text_of (self->e_values), ",", -1);
      JsonArray *a = json_array_new ();

      for (guint i = 0; values[i]; i++)
        json_array_add_string_element (a, g_strstrip (values[i]));
      json_object_set_array_member (args, "values", a);
    }
  if (g_str_equal (t, "referential"))
    {
      JsonObject *ref = json_object_new ();
      g_auto(GStrv) cols = g_strsplit (text_of (self->e_ref_column), ",", -1);
      JsonArray *a = json_array_new ();

      for (guint i = 0; cols[i]; i++)
        json_array_add_string_element (a, g_strstrip (cols[i]));
      json_object_set_string_member (ref, "layer", text_of (self->e_ref_layer));
      json_object_set_string_member (ref, "table", text_of (self->e_ref_table));
      json_object_set_array_member (ref, "columns", a);
      json_object_set_object_member (args, "ref", ref);
    }
  if (g_str_equal (t, "custom"))
    json_object_set_string_member (args, "sql", text_of (self->e_sql));
  json_object_set_object_member (o, "args", args);
  rule = aq_quality_rule_new_from_json (o, "custom", &error);
  if (rule == NULL)
    gtk_label_set_label (self->e_result, error->message);
  return rule;
}

static void
test_clicked_cb (AqQualityPanel *self)
{
  g_autoptr(AqQualityRule) rule = rule_from_form (self);

  if (rule)
    aq_qp_start_run (self, rule, FALSE);
}

static void
save_clicked_cb (AqQualityPanel *self)
{
  g_autoptr(AqQualityRule) rule = rule_from_form (self);

  if (rule)
    aq_qp_start_run (self, rule, TRUE);
}

void
aq_qp_new_rule_cb (AqQualityPanel *self)
{
  gtk_label_set_label (self->e_result, "");
  gtk_stack_set_visible_child_name (self->stack, "editor");
}

void
aq_qp_build_editor (AqQualityPanel *self)
{
  GtkBox *box = self->editor_box;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *range = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *pattern = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *ref = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (box, aq_qp_heading (_("New Quality Rule")));
  self->e_name = entry ("editor-name", _("e.g. dw.dim_customer.mobile_present"));
  self->e_layer = entry ("editor-layer", "dw");
  self->e_table = entry ("editor-table", "dim_customer");
  self->e_column = entry ("editor-column", _("a column, or several separated by commas"));
  self->e_type = dropdown ("editor-type", rule_types);
  self->e_dimension = dropdown ("editor-dimension", dimensions);
  self->e_severity = dropdown ("editor-severity", severities);
  self->e_owner = entry ("editor-owner", _("who answers for it"));
  self->e_description = entry ("editor-description", _("what it checks, in business words"));
  gtk_box_append (box, labelled (_("Name"), GTK_WIDGET (self->e_name)));
  gtk_box_append (box, labelled (_("Layer"), GTK_WIDGET (self->e_layer)));
  gtk_box_append (box, labelled (_("Table"), GTK_WIDGET (self->e_table)));
  gtk_box_append (box, labelled (_("Rule type"), GTK_WIDGET (self->e_type)));
  self->row_column = labelled (_("Column"), GTK_WIDGET (self->e_column));
  gtk_box_append (box, self->row_column);

  self->e_min = entry ("editor-min", _("lowest allowed"));
  self->e_max = entry ("editor-max", _("highest allowed"));
  gtk_box_append (GTK_BOX (range), labelled (_("Minimum"), GTK_WIDGET (self->e_min)));
  gtk_box_append (GTK_BOX (range), labelled (_("Maximum"), GTK_WIDGET (self->e_max)));
  self->row_range = range;
  gtk_box_append (box, range);

  self->e_format = dropdown ("editor-format", formats);
  self->e_regex = entry ("editor-regex", _("a regular expression, when the format is regex"));
  gtk_box_append (GTK_BOX (pattern), labelled (_("Format"), GTK_WIDGET (self->e_format)));
  gtk_box_append (GTK_BOX (pattern), labelled (_("Regex"), GTK_WIDGET (self->e_regex)));
  self->row_pattern = pattern;
  gtk_box_append (box, pattern);

  self->e_values = entry ("editor-values", _("allowed values separated by commas"));
  self->row_values = labelled (_("Accepted values"), GTK_WIDGET (self->e_values));
  gtk_box_append (box, self->row_values);

  self->e_ref_layer = entry ("editor-ref-layer", "dw");
  self->e_ref_table = entry ("editor-ref-table", "dim_account");
  self->e_ref_column = entry ("editor-ref-column", "account_id");
  gtk_box_append (GTK_BOX (ref), labelled (_("Referenced layer"), GTK_WIDGET (self->e_ref_layer)));
  gtk_box_append (GTK_BOX (ref), labelled (_("Referenced table"), GTK_WIDGET (self->e_ref_table)));
  gtk_box_append (GTK_BOX (ref), labelled (_("Referenced columns"),
                                           GTK_WIDGET (self->e_ref_column)));
  self->row_ref = ref;
  gtk_box_append (box, ref);

  self->e_sql = entry ("editor-sql", _("A query that returns the failing rows"));
  self->row_sql = labelled (_("SQL"), GTK_WIDGET (self->e_sql));
  gtk_box_append (box, self->row_sql);

  gtk_box_append (box, labelled (_("Dimension"), GTK_WIDGET (self->e_dimension)));
  gtk_box_append (box, labelled (_("Severity"), GTK_WIDGET (self->e_severity)));
  gtk_box_append (box, labelled (_("Owner"), GTK_WIDGET (self->e_owner)));
  gtk_box_append (box, labelled (_("Description"), GTK_WIDGET (self->e_description)));

  gtk_box_append (GTK_BOX (buttons), aq_qp_button (_("_Back"), "editor-back",
                                                   G_CALLBACK (aq_qp_back_cb), self));
  gtk_box_append (GTK_BOX (buttons), aq_qp_button (_("_Test Now"), "editor-test",
                                                   G_CALLBACK (test_clicked_cb), self));
  gtk_box_append (GTK_BOX (buttons), aq_qp_button (_("_Save"), "editor-save",
                                                   G_CALLBACK (save_clicked_cb), self));
  gtk_box_append (box, buttons);
  self->e_result = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->e_result), "editor-result");
  gtk_label_set_xalign (self->e_result, 0);
  gtk_label_set_wrap (self->e_result, TRUE);
  gtk_box_append (box, GTK_WIDGET (self->e_result));
  g_signal_connect_swapped (self->e_type, "notify::selected", G_CALLBACK (type_changed_cb), self);
  type_changed_cb (self);
}

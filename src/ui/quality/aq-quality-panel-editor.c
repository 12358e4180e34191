/* aq-quality-panel-editor.c — the Data Quality panel's rule editor
 *
 * A form per rule type (the rows that do not apply to the chosen type are hidden), turned into
 * a rule through core's JSON rule reader; "Test now" runs it on the live warehouse without
 * keeping the result, Save keeps the rule and its first result. "Profile Table" reads the
 * table's profile on a worker (aq_quality_profile_async: nulls, distinct, min/max, top values,
 * shapes) and lists it per column with the rules it suggests; one click on a suggestion fills
 * the form. Split out of aq-quality-panel.c; the struct lives in aq-quality-panel-private.h.
 */
#define G_LOG_DOMAIN "aq-quality-panel"

#include "config.h"

#include "aq-quality-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "aq-format.h"
#include "aq-panel.h"

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

/* What the drop-downs show for the codes above, in the same order. */
static const char * const rule_type_titles[] = {
  N_("Not null"), N_("Unique"), N_("Range"), N_("Pattern"), N_("Accepted values"),
  N_("Key exists in another table"), N_("Custom SQL"), NULL
};
static const char * const format_titles[] = {
  N_("Mainland mobile number"), N_("Landline with area code"), N_("18-digit resident ID"),
  N_("Meter number"), N_("Account number"), N_("Regular expression"), NULL
};
static const char * const severity_titles[] = {
  N_("Warning"), N_("Failure (stops gates)"), NULL
};

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

/* A drop-down over @codes showing @titles (gettext msgids) or, without them, what
 * @title_of says for each code; the selected position indexes @codes. */
static GtkDropDown *
dropdown (const char         *name,
          const char * const *codes,
          const char * const *titles,
          const char *      (*title_of) (const char *code))
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  GtkWidget *d;

  for (guint i = 0; codes[i]; i++)
    gtk_string_list_append (list, titles ? _(titles[i]) : title_of (codes[i]));
  d = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&list)), NULL);
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

/* "date" or "timestamp" when a bound is written as one (YYYY-MM-DD[ HH:MM…]), else NULL:
 * the range compares numbers. */
static const char *
range_kind (const char *min,
            const char *max)
{
  const char *bounds[] = { min, max };

  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      const char *b = bounds[i];

      if (b && strlen (b) >= 10 && g_ascii_isdigit (b[0]) && g_ascii_isdigit (b[3])
          && b[4] == '-' && b[7] == '-' && g_ascii_isdigit (b[9]))
        return strlen (b) > 10 ? "timestamp" : "date";
    }
  return NULL;
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
      const char *as = range_kind (text_of (self->e_min), text_of (self->e_max));

      set_number_or_text (args, "min", text_of (self->e_min));
      set_number_or_text (args, "max", text_of (self->e_max));
      if (as)
        json_object_set_string_member (args, "as", as);
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

/* ---- profiling ---- */

static guint
index_of (const char * const *items,
          const char         *value)
{
  for (guint i = 0; items[i]; i++)
    if (g_strcmp0 (items[i], value) == 0)
      return i;
  return 0;
}

static void
set_entry (GtkEntry   *e,
           const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (e), text ? text : "");
}

/* A JSON member as the form writes it: strings as they are, numbers without a trailing .0 */
static char *
member_text (JsonObject *o,
             const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return g_strdup ("");
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  return g_strdup_printf ("%g", json_node_get_double (n));
}

/* The strings of an array member joined by ", ". */
static char *
member_list (JsonObject *o,
             const char *member)
{
  JsonArray *a = json_object_has_member (o, member)
                 ? json_object_get_array_member (o, member) : NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) v = NULL;

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    g_strv_builder_add (b, json_array_get_string_element (a, i));
  v = g_strv_builder_end (b);
  return g_strjoinv (", ", v);
}

void
aq_qp_editor_adopt (AqQualityPanel      *self,
                    const AqQualityRule *rule)
{
  JsonObject *a = rule->args;
  g_autofree char *column = NULL;
  g_autofree char *min = member_text (a, "min");
  g_autofree char *max = member_text (a, "max");
  g_autofree char *values = member_list (a, "values");
  const char *format = json_object_get_string_member_with_default (a, "format", NULL);
  const char *regex = json_object_get_string_member_with_default (a, "regex", NULL);

  column = json_object_has_member (a, "columns") ? member_list (a, "columns")
                                                 : member_text (a, "column");
  set_entry (self->e_name, rule->name);
  set_entry (self->e_layer, rule->layer);
  set_entry (self->e_table, rule->table);
  gtk_drop_down_set_selected (self->e_type, index_of (rule_types, rule->type));
  set_entry (self->e_column, column);
  set_entry (self->e_min, min);
  set_entry (self->e_max, max);
  gtk_drop_down_set_selected (self->e_format, index_of (formats, format ? format : "regex"));
  set_entry (self->e_regex, regex);
  set_entry (self->e_values, values);
  gtk_drop_down_set_selected (self->e_dimension, index_of (dimensions, rule->dimension));
  gtk_drop_down_set_selected (self->e_severity, index_of (severities, rule->severity));
  gtk_label_set_label (self->e_result,
                       _("The suggestion is in the form: test it, tighten it, then save it."));
}

static void
suggestion_clicked_cb (GtkButton      *button,
                       AqQualityPanel *self)
{
  const AqQualityRule *rule = g_object_get_data (G_OBJECT (button), "aq-rule");

  aq_qp_editor_adopt (self, rule);
}

static const char *
suggestion_label (const char *type)
{
  if (g_str_equal (type, "not_null"))
    return _("Not Null");
  if (g_str_equal (type, "unique"))
    return _("Unique");
  if (g_str_equal (type, "range"))
    return _("Range");
  if (g_str_equal (type, "accepted_values"))
    return _("Allowed Values");
  return _("Pattern");
}

/* A named format's words (the profile names the format it detected by its code). */
static const char *
format_title (const char *format)
{
  for (guint i = 0; formats[i]; i++)
    if (g_str_equal (formats[i], format))
      return _(format_titles[i]);
  return format;
}

/* "A (12), B (3)" from [{value, count}], values cut at 24 characters. */
static char *
top_text (JsonArray *a,
          guint      max)
{
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint i = 0; i < MIN (max, json_array_get_length (a)); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);
      const char *v = json_object_get_string_member (o, "value");
      g_autofree char *cut = g_utf8_strlen (v, -1) > 24 ? g_utf8_substring (v, 0, 23) : NULL;
      g_autofree char *n = aq_format_count (json_object_get_int_member (o, "count"));

      g_string_append_printf (s, "%s%s%s (%s)", s->len ? ", " : "", cut ? cut : v,
                              cut ? "…" : "", n);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GtkWidget *
small_label (const char *text)
{
  GtkWidget *l = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_wrap (GTK_LABEL (l), TRUE);
  gtk_label_set_selectable (GTK_LABEL (l), TRUE);
  gtk_widget_add_css_class (l, "dim-label");
  return l;
}

static GtkWidget *
profile_row (AqQualityPanel *self,
             JsonObject     *c,
             gint64          rows)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  const char *name = json_object_get_string_member (c, "column");
  const char *min = json_object_get_string_member_with_default (c, "min", NULL);
  const char *max = json_object_get_string_member_with_default (c, "max", NULL);
  const char *format = json_object_get_string_member_with_default (c, "format", NULL);
  g_autofree char *title = g_markup_printf_escaped ("<b>%s</b>  <small>%s</small>", name,
                                                    json_object_get_string_member (c, "type"));
  g_autofree char *nulls = aq_format_count (json_object_get_int_member (c, "nulls"));
  g_autofree char *distinct = json_object_has_member (c, "note")
                              ? NULL : aq_format_count (json_object_get_int_member (c, "distinct"));
  g_autofree char *figures = NULL;
  g_autofree char *top = top_text (json_object_get_array_member (c, "top_values"), 5);
  g_autofree char *shapes = top_text (json_object_get_array_member (c, "patterns"), 3);
  GtkWidget *t = gtk_label_new (NULL);
  guint n_buttons = 0;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_label_set_markup (GTK_LABEL (t), title);
  gtk_label_set_xalign (GTK_LABEL (t), 0);
  gtk_box_append (GTK_BOX (box), t);
  if (json_object_has_member (c, "note"))
    /* TRANSLATORS: a column's profile: nulls (share), then why nothing more is profiled */
    figures = g_strdup_printf (_("Nulls %s (%.1f %%) · %s"), nulls,
                               100 * json_object_get_double_member (c, "null_share"),
                               json_object_get_string_member (c, "note"));
  else
    /* TRANSLATORS: a column's profile: nulls (share), distinct values, lowest … highest */
    figures = g_strdup_printf (_("Nulls %s (%.1f %%) · distinct %s · %s … %s%s%s"), nulls,
                               100 * json_object_get_double_member (c, "null_share"), distinct,
                               min ? min : "–", max ? max : "–", format ? _(" · format ") : "",
                               format ? format_title (format) : "");
  gtk_box_append (GTK_BOX (box), small_label (figures));
  if (*top)
    {
      g_autofree char *line = g_strdup_printf (_("Top values: %s"), top);

      gtk_box_append (GTK_BOX (box), small_label (line));
    }
  if (*shapes)
    {
      g_autofree char *line = g_strdup_printf (_("Patterns: %s"), shapes);

      gtk_box_append (GTK_BOX (box), small_label (line));
    }
  for (guint i = 0; self->profile && i < self->profile->suggestions->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (self->profile->suggestions, i);
      JsonObject *a = r->args;
      const char *col = json_object_get_string_member_with_default (a, "column", NULL);
      g_autofree char *button_name = NULL;
      g_autofree char *explain = NULL;
      g_autofree char *tooltip = NULL;
      GtkWidget *button;

      if (col == NULL && json_object_has_member (a, "columns"))
        col = json_array_get_string_element (json_object_get_array_member (a, "columns"), 0);
      if (g_strcmp0 (col, name) != 0)
        continue;
      button = gtk_button_new_with_label (suggestion_label (r->type));
      button_name = g_strdup_printf ("suggest-%s-%s", name, r->type);
      gtk_widget_set_name (button, button_name);
      explain = aq_quality_rule_explain (r);
      tooltip = g_strdup_printf ("%s\n%s", _("Fill the form with this rule"), explain);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_widget_add_css_class (button, "suggested-action");
      g_object_set_data_full (G_OBJECT (button), "aq-rule", aq_quality_rule_copy (r),
                              (GDestroyNotify) aq_quality_rule_free);
      g_signal_connect (button, "clicked", G_CALLBACK (suggestion_clicked_cb), self);
      gtk_box_append (GTK_BOX (buttons), button);
      n_buttons++;
    }
  if (n_buttons > 0)
    gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

static void
profile_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityProfile) profile = aq_quality_profile_finish (result, &error);
  GtkWidget *child;

  g_clear_object (&self->profile_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->e_profile), TRUE);
  if (profile == NULL)
    {
      g_autofree char *reason = aq_format_one_line (error->message);
      g_autofree char *text = g_strdup_printf (_("No profile: %s"), reason);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->profile_status, text);
      g_object_unref (self);
      return;
    }
  g_clear_pointer (&self->profile, aq_quality_profile_free);
  self->profile = g_steal_pointer (&profile);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->profile_list))) != NULL)
    gtk_list_box_remove (self->profile_list, child);
  {
    JsonObject *o = json_node_get_object (self->profile->profile);
    JsonArray *columns = json_object_get_array_member (o, "columns");
    gint64 rows = json_object_get_int_member (o, "rows");
    g_autofree char *count = aq_format_count (rows);
    g_autofree char *text = NULL;

    text = g_strdup_printf (ngettext ("%s: %s row. Click a suggestion to fill the form.",
                                      "%s: %s rows. Click a suggestion to fill the form.",
                                      rows), json_object_get_string_member (o, "table"), count);
    gtk_label_set_label (self->profile_status, text);
    for (guint i = 0; i < json_array_get_length (columns); i++)
      gtk_list_box_append (self->profile_list,
                           profile_row (self, json_array_get_object_element (columns, i), rows));
    gtk_widget_set_visible (GTK_WIDGET (self->profile_list), TRUE);
  }
  g_object_unref (self);
}

static void
profile_clicked_cb (AqQualityPanel *self)
{
  g_autofree char *table = g_strdup_printf ("%s.%s", text_of (self->e_layer),
                                            text_of (self->e_table));

  if (self->profile_cancellable)
    return;
  self->profile_cancellable = g_cancellable_new ();
  gtk_widget_set_sensitive (GTK_WIDGET (self->e_profile), FALSE);
  gtk_label_set_label (self->profile_status, _("Reading the table's profile…"));
  aq_quality_profile_async (aq_panel_get_conninfo (AQ_PANEL (self)), table,
                            self->profile_cancellable, profile_cb, g_object_ref (self));
}

void
aq_qp_editor_dispose (AqQualityPanel *self)
{
  g_cancellable_cancel (self->profile_cancellable);
  g_clear_pointer (&self->profile, aq_quality_profile_free);
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
  GtkWidget *columns = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 24);
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  GtkBox *side = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *range = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *pattern = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *ref = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (box, aq_qp_heading (_("New Quality Rule")));
  self->e_name = entry ("editor-name", _("e.g. dw.dim_customer.mobile_present"));
  self->e_layer = entry ("editor-layer", "dw");
  self->e_table = entry ("editor-table", "dim_customer");
  self->e_column = entry ("editor-column", _("a column, or several separated by commas"));
  self->e_type = dropdown ("editor-type", rule_types, rule_type_titles, NULL);
  self->e_dimension = dropdown ("editor-dimension", dimensions, NULL, aq_qp_dimension_title);
  self->e_severity = dropdown ("editor-severity", severities, severity_titles, NULL);
  self->e_owner = entry ("editor-owner", _("who answers for it"));
  self->e_description = entry ("editor-description", _("what it checks, in business words"));
  /* not the customer's name (姓名): the rule's */
  gtk_box_append (box, labelled (C_("quality rule", "Name"), GTK_WIDGET (self->e_name)));
  gtk_box_append (box, labelled (_("Layer"), GTK_WIDGET (self->e_layer)));
  {
    GtkWidget *row = labelled (_("Table"), GTK_WIDGET (self->e_table));

    self->e_profile = GTK_BUTTON (aq_qp_button (_("_Profile Table"), "editor-profile",
                                                G_CALLBACK (profile_clicked_cb), self));
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->e_profile),
                                 _("Read the table's nulls, distinct values, ranges, top values "
                                   "and patterns, and suggest rules from them"));
    gtk_box_append (GTK_BOX (row), GTK_WIDGET (self->e_profile));
    gtk_box_append (box, row);
  }
  gtk_box_append (box, labelled (_("Rule type"), GTK_WIDGET (self->e_type)));
  self->row_column = labelled (_("Column"), GTK_WIDGET (self->e_column));
  gtk_box_append (box, self->row_column);

  self->e_min = entry ("editor-min", _("lowest allowed"));
  self->e_max = entry ("editor-max", _("highest allowed"));
  gtk_box_append (GTK_BOX (range), labelled (_("Minimum"), GTK_WIDGET (self->e_min)));
  gtk_box_append (GTK_BOX (range), labelled (_("Maximum"), GTK_WIDGET (self->e_max)));
  self->row_range = range;
  gtk_box_append (box, range);

  self->e_format = dropdown ("editor-format", formats, format_titles, NULL);
  self->e_regex = entry ("editor-regex", _("when the format is a regular expression"));
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

  /* the profile beside the form, so a suggestion and the fields it fills are seen together */
  gtk_widget_set_hexpand (GTK_WIDGET (box), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (side), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (side), 360, -1);
  gtk_box_append (GTK_BOX (columns), GTK_WIDGET (box));
  gtk_box_append (GTK_BOX (columns), GTK_WIDGET (side));
  gtk_box_append (self->editor_box, columns);
  box = side;
  gtk_box_append (box, aq_qp_heading (_("Table Profile")));
  self->profile_status = GTK_LABEL (gtk_label_new (_("Profile the table to see what it holds "
                                                     "and the rules it suggests.")));
  gtk_widget_set_name (GTK_WIDGET (self->profile_status), "editor-profile-status");
  gtk_label_set_xalign (self->profile_status, 0);
  gtk_label_set_wrap (self->profile_status, TRUE);
  gtk_box_append (box, GTK_WIDGET (self->profile_status));
  self->profile_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->profile_list), "editor-profile-list");
  gtk_list_box_set_selection_mode (self->profile_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->profile_list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->profile_list), FALSE);
  gtk_box_append (box, GTK_WIDGET (self->profile_list));
  g_signal_connect_swapped (self->e_type, "notify::selected", G_CALLBACK (type_changed_cb), self);
  type_changed_cb (self);
}

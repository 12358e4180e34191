/* aq-quality-panel.c — the Data Quality panel
 *
 * Three pages over the stored results: the dashboard (the overall score with its formula,
 * scores by dimension, layer and table, the overall trend over the last runs, every rule's
 * latest result with the failing and newly failing first), a rule's page (what it checks in
 * words, its history as a chart, the current failing samples with copy as CSV, the SQL it
 * runs) and the rule editor (a form per rule type, "Test now" on the live warehouse, Save).
 * Everything is read and run by core on worker threads (aq-quality-dashboard.h); a run from
 * the panel shows progress and can be cancelled. The panel holds no SQL.
 */
#define G_LOG_DOMAIN "aq-quality-panel"

#include "config.h"

#include "aq-quality-panel.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "aq-chart.h"
#include "aq-format.h"
#include "aq-panel.h"

struct _AqQualityPanel
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  AdwStatusPage       *error_page;
  GtkBox              *dashboard_box;
  GtkBox              *rule_box;
  GtkBox              *editor_box;

  /* dashboard */
  GtkLabel            *score_label;
  GtkLabel            *status_label;
  GtkButton           *run_button;
  GtkButton           *cancel_button;
  GtkProgressBar      *progress;
  GtkFlowBox          *dimension_box;
  GtkFlowBox          *layer_box;
  GtkFlowBox          *table_box;
  GtkDrawingArea      *trend_area;
  GtkListBox          *rules_list;
  guint                pulse_id;

  /* rule page */
  GtkLabel            *rule_title;
  GtkLabel            *rule_explain;
  GtkDrawingArea      *history_area;
  GtkListBox          *samples_list;
  GtkLabel            *sql_label;

  /* editor */
  GtkEntry            *e_name, *e_layer, *e_table, *e_column, *e_min, *e_max, *e_regex,
                      *e_values, *e_ref_layer, *e_ref_table, *e_ref_column, *e_sql, *e_owner,
                      *e_description;
  GtkDropDown         *e_type, *e_format, *e_dimension, *e_severity;
  GtkWidget           *row_column, *row_range, *row_pattern, *row_values, *row_ref, *row_sql;
  GtkLabel            *e_result;

  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;      /* the dashboard or page load */
  GCancellable        *run_cancellable;  /* a run or a test */
  AqQualityDashboard  *dashboard;
  AqQualityRulePage   *page;
  AqQualityRun        *last_run;
  gboolean             loading;
};

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqQualityPanel, aq_quality_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

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

static void reload (AqQualityPanel *self);
static void connected_cb (AqQualityPanel *self);
static void state_cb (AqQualityPanel *self);

/* ---- auxiliary methods ---- */

static const char *
conninfo (AqQualityPanel *self)
{
  return self->monitor ? aq_connection_monitor_get_conninfo (self->monitor) : NULL;
}

static void
set_loading (AqQualityPanel *self,
             gboolean        loading)
{
  self->loading = loading;
}

static void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  if (GTK_IS_FLOW_BOX (box))
    while ((child = gtk_widget_get_first_child (box)) != NULL)
      gtk_flow_box_remove (GTK_FLOW_BOX (box), child);
  else if (GTK_IS_LIST_BOX (box))
    while ((child = gtk_widget_get_first_child (box)) != NULL)
      gtk_list_box_remove (GTK_LIST_BOX (box), child);
}

static GtkWidget *
heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* A quality dimension's name in the user's language. */
static const char *
dimension_title (const char *dimension)
{
  static const struct { const char *name; const char *title; } titles[] = {
    { "completeness", N_("Completeness") }, { "validity", N_("Validity") },
    { "uniqueness", N_("Uniqueness") }, { "consistency", N_("Consistency") },
    { "timeliness", N_("Timeliness") }, { "accuracy", N_("Accuracy") },
    { "volume", N_("Volume") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (dimension, titles[i].name) == 0)
      return _(titles[i].title);
  return dimension;
}

static char *
format_score (double score)
{
  return g_strdup_printf ("%.2f", score);
}

static GtkWidget *
score_card (const AqQualityScore *s)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  g_autofree char *value = format_score (s->score);
  g_autofree char *passing = aq_format_count (s->passing);
  g_autofree char *checked = aq_format_count (s->checked);
  g_autofree char *rows = g_strdup_printf (_("%s of %s rows pass"), passing, checked);
  GtkWidget *v = gtk_label_new (value);
  GtkWidget *n = gtk_label_new (g_str_equal (s->kind, "dimension") ? dimension_title (s->name)
                                                                     : s->name);
  GtkWidget *r = gtk_label_new (rows);

  gtk_widget_add_css_class (v, "title-2");
  gtk_widget_add_css_class (r, "dim-label");
  gtk_widget_add_css_class (r, "caption");
  gtk_box_append (GTK_BOX (box), n);
  gtk_box_append (GTK_BOX (box), v);
  gtk_box_append (GTK_BOX (box), r);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_size_request (box, 170, -1);
  gtk_widget_set_margin_top (v, 4);
  gtk_widget_set_tooltip_text (box, s->name);
  return box;
}

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

/* ---- drawing ---- */

static void
draw_chart (GtkDrawingArea    *area,
            cairo_t           *cr,
            int                width,
            int                height,
            const AqChartData *data)
{
  GdkRGBA color;
  double ink[3];

  if (data == NULL)
    return;
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  ink[0] = color.red;
  ink[1] = color.green;
  ink[2] = color.blue;
  aq_chart_render (cr, AQ_CHART_LINE, data, width, height, ink);
}

static void
trend_draw_cb (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  AqQualityPanel *self = user_data;
  g_autoptr(AqChartData) data = NULL;

  if (self->dashboard == NULL || self->dashboard->trend_runs->len == 0)
    return;
  data = aq_chart_data_new (_("Overall score by run"));
  for (guint i = 0; i < self->dashboard->trend_runs->len; i++)
    {
      g_autofree char *c = g_strdup_printf ("#%" G_GINT64_FORMAT,
                                            g_array_index (self->dashboard->trend_runs, gint64,
                                                           i));

      aq_chart_data_add_category (data, c);
    }
  aq_chart_data_add_series (data, _("Score"), (double *) self->dashboard->trend_scores->data);
  draw_chart (area, cr, width, height, data);
}

static void
history_draw_cb (GtkDrawingArea *area,
                 cairo_t        *cr,
                 int             width,
                 int             height,
                 gpointer        user_data)
{
  AqQualityPanel *self = user_data;
  g_autoptr(AqChartData) data = NULL;
  g_autofree double *values = NULL;
  guint n;

  if (self->page == NULL || self->page->history->len == 0)
    return;
  n = self->page->history->len;
  values = g_new (double, n);
  data = aq_chart_data_new (_("Failing rows by run"));
  for (guint i = 0; i < n; i++)
    {
      AqQualityResult *r = g_ptr_array_index (self->page->history, n - 1 - i);
      g_autofree char *c = g_strdup_printf ("#%" G_GINT64_FORMAT, r->run_id);

      aq_chart_data_add_category (data, c);
      values[i] = r->failing;
    }
  aq_chart_data_add_series (data, _("Failing rows"), values);
  draw_chart (area, cr, width, height, data);
}

/* ---- populating ---- */

static const char *
status_text (const char *status)
{
  if (g_strcmp0 (status, "fail") == 0)
    return _("Fails");
  if (g_strcmp0 (status, "warn") == 0)
    return _("Warns");
  if (g_strcmp0 (status, "error") == 0)
    return _("Error");
  return _("Passes");
}

static void
populate_dashboard (AqQualityPanel *self)
{
  const AqQualityDashboard *d = self->dashboard;
  g_autofree char *score = format_score (d->overall->score);

  gtk_label_set_label (self->score_label, score);
  clear_box (GTK_WIDGET (self->dimension_box));
  clear_box (GTK_WIDGET (self->layer_box));
  clear_box (GTK_WIDGET (self->table_box));
  clear_box (GTK_WIDGET (self->rules_list));
  for (guint i = 0; i < d->scores->len; i++)
    {
      AqQualityScore *s = g_ptr_array_index (d->scores, i);
      GtkFlowBox *box = g_str_equal (s->kind, "dimension") ? self->dimension_box
                        : g_str_equal (s->kind, "layer") ? self->layer_box : self->table_box;

      gtk_flow_box_append (box, score_card (s));
    }
  for (guint i = 0; i < d->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (d->results, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *subtitle = NULL;
      g_autofree char *failing = aq_format_count (r->failing);
      g_autofree char *checked = aq_format_count (r->checked);
      gboolean is_new = g_hash_table_contains (d->newly_failing, r->rule_name);

      subtitle = g_strdup_printf (_("%s%s · %s of %s rows failing · %s.%s · %s"),
                                  is_new ? _("Newly failing · ") : "",
                                  status_text (r->status), failing, checked, r->layer, r->table,
                                  dimension_title (r->dimension));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), r->rule_name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, r->rule_name);
      if (!g_str_equal (r->status, "pass"))
        gtk_widget_add_css_class (row, g_str_equal (r->status, "fail") ? "error" : "warning");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_append (self->rules_list, row);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->trend_area));
}

static void
populate_rule_page (AqQualityPanel *self)
{
  const AqQualityRulePage *p = self->page;

  gtk_label_set_label (self->rule_title, p->rule->name);
  gtk_label_set_label (self->rule_explain, p->explain);
  gtk_label_set_label (self->sql_label, p->sql);
  clear_box (GTK_WIDGET (self->samples_list));
  if (p->latest && p->latest->samples->len > 0)
    for (guint i = 0; i < p->latest->samples->len; i++)
      {
        AqQualitySample *s = g_ptr_array_index (p->latest->samples, i);
        GtkWidget *row = adw_action_row_new ();

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), s->row_key ? s->row_key : "");
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), s->value ? s->value : "");
        /* a failing row keyed by an account opens that account's Customer 360 */
        if (s->row_key && g_regex_match_simple ("^35[0-9]{8}$", s->row_key, 0, 0))
          {
            GtkWidget *open = gtk_button_new_from_icon_name ("avatar-default-symbolic");

            gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
            gtk_widget_add_css_class (open, "flat");
            gtk_widget_set_tooltip_text (open, _("Open the account's Customer 360"));
            gtk_widget_set_name (open, "open-360");
            gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "app.lookup");
            gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", s->row_key);
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
          }
        gtk_list_box_append (self->samples_list, row);
      }
  else
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     p->latest ? _("No failing rows in the latest run")
                                               : _("Not run yet"));
      gtk_list_box_append (self->samples_list, row);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->history_area));
}

/* ---- loading ---- */

static void
show_error (AqQualityPanel *self,
            const GError   *error)
{
  g_autofree char *reason = aq_format_one_line (error->message);

  adw_status_page_set_description (self->error_page, reason);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

static void
dashboard_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityDashboard) dash = aq_quality_dashboard_load_finish (result, &error);
  AqQualityPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_QUALITY_PANEL (user_data);
  g_clear_object (&self->cancellable);
  if (dash == NULL)
    show_error (self, error);
  else
    {
      g_clear_pointer (&self->dashboard, aq_quality_dashboard_free);
      self->dashboard = g_steal_pointer (&dash);
      populate_dashboard (self);
      if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "loading") == 0
          || g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "error") == 0)
        gtk_stack_set_visible_child_name (self->stack, "dashboard");
    }
  set_loading (self, FALSE);
}

static void
reload (AqQualityPanel *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->monitor == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  if (self->dashboard == NULL)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  aq_quality_dashboard_load_async (conninfo (self), self->cancellable, dashboard_cb, self);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRulePage) page = aq_quality_rule_page_load_finish (result, &error);
  AqQualityPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_QUALITY_PANEL (user_data);
  g_clear_object (&self->cancellable);
  set_loading (self, FALSE);
  if (page == NULL)
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->page, aq_quality_rule_page_free);
  self->page = g_steal_pointer (&page);
  populate_rule_page (self);
  gtk_stack_set_visible_child_name (self->stack, "rule");
}

/* ---- running ---- */

static gboolean
pulse_cb (gpointer user_data)
{
  gtk_progress_bar_pulse (GTK_PROGRESS_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

static void
set_running (AqQualityPanel *self,
             gboolean        running)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), running);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (running)
    self->pulse_id = g_timeout_add (100, pulse_cb, self->progress);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRun) run = aq_quality_run_finish (result, &error);
  AqQualityPanel *self = AQ_QUALITY_PANEL (user_data);
  g_autofree char *text = NULL;

  g_clear_object (&self->run_cancellable);
  set_running (self, FALSE);
  if (run == NULL)
    {
      g_autofree char *reason = aq_format_one_line (error->message);

      text = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
             ? g_strdup (_("The run was cancelled; nothing was kept."))
             : g_strdup_printf (_("The run failed: %s"), reason);
      gtk_label_set_label (self->status_label, text);
      gtk_label_set_label (self->e_result, text);
    }
  else
    {
      AqQualityResult *r = run->results->len ? g_ptr_array_index (run->results, 0) : NULL;

      text = g_strdup_printf (ngettext ("%u rule run in %.1f s", "%u rules run in %.1f s",
                                        run->results->len), run->results->len,
                              run->duration_ms / 1000);
      gtk_label_set_label (self->status_label, text);
      if (r)
        {
          g_autofree char *failing = aq_format_count (r->failing);
          g_autofree char *checked = aq_format_count (r->checked);
          g_autofree char *line = g_strdup_printf (_("%s: %s of %s rows failing"),
                                                   status_text (r->status), failing, checked);

          gtk_label_set_label (self->e_result, line);
        }
      g_clear_pointer (&self->last_run, aq_quality_run_free);
      self->last_run = g_steal_pointer (&run);
      if (self->last_run->run_id > 0)
        reload (self);
    }
  g_object_unref (self);
}

static void
start_run (AqQualityPanel      *self,
           const AqQualityRule *rule,
           gboolean             save)
{
  if (self->run_cancellable)
    return;
  self->run_cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_label_set_label (self->status_label, _("Running…"));
  gtk_label_set_label (self->e_result, _("Running…"));
  aq_quality_run_async (conninfo (self), NULL, rule, save, self->run_cancellable, run_cb,
                        g_object_ref (self));
}

static void
run_clicked_cb (AqQualityPanel *self)
{
  start_run (self, NULL, FALSE);
}

static void
cancel_clicked_cb (AqQualityPanel *self)
{
  g_cancellable_cancel (self->run_cancellable);
}

/* ---- rule page ---- */

static void
rule_activated_cb (GtkListBox     *box,
                   GtkListBoxRow  *row,
                   AqQualityPanel *self)
{
  aq_quality_panel_open_rule (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
back_clicked_cb (AqQualityPanel *self)
{
  gtk_stack_set_visible_child_name (self->stack, "dashboard");
}

static void
copy_clicked_cb (AqQualityPanel *self)
{
  g_autofree char *csv = NULL;

  if (self->page == NULL)
    return;
  csv = aq_quality_samples_csv (self->page->latest);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), csv);
}

static void
export_response_cb (GtkNativeDialog *dialog,
                    int              response,
                    AqQualityPanel  *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->page)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *csv = aq_quality_samples_csv (self->page->latest);
      g_autoptr(GError) error = NULL;

      if (!g_file_replace_contents (file, csv, strlen (csv), NULL, FALSE, G_FILE_CREATE_NONE,
                                    NULL, NULL, &error))
        gtk_label_set_label (self->status_label, error->message);
    }
  g_object_unref (dialog);
}

static void
export_clicked_cb (AqQualityPanel *self)
{
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;

  if (self->page == NULL)
    return;
  dialog = gtk_file_chooser_native_new (_("Export Failing Rows"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  name = g_strdup_printf ("%s.csv", self->page->rule->name);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
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
    start_run (self, rule, FALSE);
}

static void
save_clicked_cb (AqQualityPanel *self)
{
  g_autoptr(AqQualityRule) rule = rule_from_form (self);

  if (rule)
    start_run (self, rule, TRUE);
}

static void
new_rule_clicked_cb (AqQualityPanel *self)
{
  gtk_label_set_label (self->e_result, "");
  gtk_stack_set_visible_child_name (self->stack, "editor");
}

/* ---- building ---- */

static GtkWidget *
button (const char *label,
        const char *name,
        GCallback   callback,
        gpointer    self)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_name (b, name);
  g_signal_connect_swapped (b, "clicked", callback, self);
  return b;
}

static GtkWidget *
flow_box (void)
{
  GtkWidget *f = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (f), GTK_SELECTION_NONE);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (f), 8);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (f), 8);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (f), 8);
  return f;
}

static void
build_dashboard (AqQualityPanel *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *score_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (_("Overall Quality Score"));
  GtkWidget *formula = gtk_label_new (_("score = 100 × Σ (checked rows − failing rows) ÷ "
                                        "Σ checked rows, over each rule’s latest result"));
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *list;

  self->score_label = GTK_LABEL (gtk_label_new ("–"));
  gtk_widget_set_name (GTK_WIDGET (self->score_label), "quality-score");
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "title-1");
  gtk_label_set_xalign (self->score_label, 0);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (formula), 0);
  gtk_label_set_wrap (GTK_LABEL (formula), TRUE);
  gtk_widget_add_css_class (formula, "dim-label");
  gtk_box_append (GTK_BOX (score_box), title);
  gtk_box_append (GTK_BOX (score_box), GTK_WIDGET (self->score_label));
  gtk_box_append (GTK_BOX (score_box), formula);
  gtk_widget_set_hexpand (score_box, TRUE);

  self->run_button = GTK_BUTTON (button (_("_Run All Rules"), "quality-run",
                                         G_CALLBACK (run_clicked_cb), self));
  gtk_widget_add_css_class (GTK_WIDGET (self->run_button), "suggested-action");
  self->cancel_button = GTK_BUTTON (button (_("_Cancel"), "quality-cancel",
                                            G_CALLBACK (cancel_clicked_cb), self));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_box_append (GTK_BOX (buttons), button (_("_New Rule"), "quality-new-rule",
                                             G_CALLBACK (new_rule_clicked_cb), self));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->cancel_button));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (self->run_button));
  gtk_widget_set_valign (buttons, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (top), score_box);
  gtk_box_append (GTK_BOX (top), buttons);
  gtk_box_append (self->dashboard_box, top);

  self->progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->progress));
  self->status_label = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->status_label));

  self->trend_area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->trend_area), -1, 180);
  gtk_drawing_area_set_draw_func (self->trend_area, trend_draw_cb, self, NULL);
  gtk_box_append (self->dashboard_box, heading (_("Score Trend")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->trend_area));

  self->dimension_box = GTK_FLOW_BOX (flow_box ());
  self->layer_box = GTK_FLOW_BOX (flow_box ());
  self->table_box = GTK_FLOW_BOX (flow_box ());
  gtk_box_append (self->dashboard_box, heading (_("By Dimension")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->dimension_box));
  gtk_box_append (self->dashboard_box, heading (_("By Layer")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->layer_box));

  list = gtk_list_box_new ();
  self->rules_list = GTK_LIST_BOX (list);
  gtk_widget_set_name (list, "quality-rules");
  gtk_list_box_set_selection_mode (self->rules_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  g_signal_connect (list, "row-activated", G_CALLBACK (rule_activated_cb), self);
  gtk_box_append (self->dashboard_box, heading (_("Rules, Failing First")));
  gtk_box_append (self->dashboard_box, list);
  gtk_box_append (self->dashboard_box, heading (_("By Table")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->table_box));
}

static void
build_rule_page (AqQualityPanel *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *list = gtk_list_box_new ();

  gtk_box_append (GTK_BOX (top), button (_("_Back"), "rule-back", G_CALLBACK (back_clicked_cb),
                                         self));
  self->rule_title = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->rule_title), "title-2");
  gtk_widget_set_hexpand (GTK_WIDGET (self->rule_title), TRUE);
  gtk_label_set_xalign (self->rule_title, 0);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->rule_title));
  gtk_box_append (GTK_BOX (top), button (_("_Copy as CSV"), "rule-copy",
                                         G_CALLBACK (copy_clicked_cb), self));
  gtk_box_append (GTK_BOX (top), button (_("_Export CSV…"), "rule-export",
                                         G_CALLBACK (export_clicked_cb), self));
  gtk_box_append (self->rule_box, top);
  self->rule_explain = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->rule_explain, TRUE);
  gtk_label_set_xalign (self->rule_explain, 0);
  gtk_box_append (self->rule_box, GTK_WIDGET (self->rule_explain));
  self->history_area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->history_area), -1, 180);
  gtk_drawing_area_set_draw_func (self->history_area, history_draw_cb, self, NULL);
  gtk_box_append (self->rule_box, heading (_("History")));
  gtk_box_append (self->rule_box, GTK_WIDGET (self->history_area));
  self->samples_list = GTK_LIST_BOX (list);
  gtk_widget_set_name (list, "rule-samples");
  gtk_list_box_set_selection_mode (self->samples_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (self->rule_box, heading (_("Failing Rows (Latest Run, Masked)")));
  gtk_box_append (self->rule_box, list);
  self->sql_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->sql_label), "rule-sql");
  gtk_label_set_selectable (self->sql_label, TRUE);
  gtk_label_set_wrap (self->sql_label, TRUE);
  gtk_label_set_xalign (self->sql_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->sql_label), "monospace");
  gtk_box_append (self->rule_box, heading (_("The SQL It Runs")));
  gtk_box_append (self->rule_box, GTK_WIDGET (self->sql_label));
}

static void
build_editor (AqQualityPanel *self)
{
  GtkBox *box = self->editor_box;
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *range = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *pattern = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *ref = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_box_append (box, heading (_("New Quality Rule")));
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

  gtk_box_append (GTK_BOX (buttons), button (_("_Back"), "editor-back",
                                             G_CALLBACK (back_clicked_cb), self));
  gtk_box_append (GTK_BOX (buttons), button (_("_Test Now"), "editor-test",
                                             G_CALLBACK (test_clicked_cb), self));
  gtk_box_append (GTK_BOX (buttons), button (_("_Save"), "editor-save",
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

/* ---- AqPanel ---- */

static gboolean
get_loading (AqPanel *panel)
{
  return AQ_QUALITY_PANEL (panel)->loading;
}

static void
panel_reload (AqPanel *panel)
{
  reload (AQ_QUALITY_PANEL (panel));
}

/* The window's monitor, handed to every panel through AqPanel. */
static void
panel_set_monitor (AqPanel             *panel,
                   AqConnectionMonitor *monitor)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (panel);

  if (monitor == self->monitor)
    return;
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor == NULL)
    return;
  g_signal_connect_swapped (monitor, "connected", G_CALLBACK (connected_cb), self);
  g_signal_connect_swapped (monitor, "notify::state", G_CALLBACK (state_cb), self);
  state_cb (self);
}

static void
aq_panel_iface_init (AqPanelInterface *iface)
{
  iface->get_loading = get_loading;
  iface->reload = panel_reload;
  iface->set_monitor = panel_set_monitor;
}

/* ---- GtkWidget overrides ---- */

static void
connected_cb (AqQualityPanel *self)
{
  reload (self);
}

/* Unreachable with nothing on screen: say why, and stop pretending to load. */
static void
state_cb (AqQualityPanel *self)
{
  const char *reason;

  if (aq_connection_monitor_get_state (self->monitor) != AQ_CONNECTION_STATE_UNREACHABLE
      || self->dashboard != NULL || self->cancellable != NULL)
    return;
  reason = aq_connection_monitor_get_error (self->monitor);
  adw_status_page_set_description (self->error_page, reason ? reason : "");
  gtk_stack_set_visible_child_name (self->stack, "error");
  set_loading (self, FALSE);
}

static void
aq_quality_panel_map (GtkWidget *widget)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (widget);

  GTK_WIDGET_CLASS (aq_quality_panel_parent_class)->map (widget);
  if (self->monitor && self->dashboard == NULL && self->cancellable == NULL
      && aq_connection_monitor_get_state (self->monitor) == AQ_CONNECTION_STATE_HEALTHY)
    reload (self);
}

/* ---- GObject overrides ---- */

static void
aq_quality_panel_dispose (GObject *object)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->run_cancellable);
  g_clear_handle_id (&self->pulse_id, g_source_remove);
  if (self->monitor)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_pointer (&self->dashboard, aq_quality_dashboard_free);
  g_clear_pointer (&self->page, aq_quality_rule_page_free);
  g_clear_pointer (&self->last_run, aq_quality_run_free);

  gtk_widget_dispose_template (GTK_WIDGET (object), AQ_TYPE_QUALITY_PANEL);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_quality_panel_parent_class)->dispose (object);
}

static void
aq_quality_panel_class_init (AqQualityPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_quality_panel_dispose;
  widget_class->map = aq_quality_panel_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-quality-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AqQualityPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AqQualityPanel, error_page);
  gtk_widget_class_bind_template_child (widget_class, AqQualityPanel, dashboard_box);
  gtk_widget_class_bind_template_child (widget_class, AqQualityPanel, rule_box);
  gtk_widget_class_bind_template_child (widget_class, AqQualityPanel, editor_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
aq_quality_panel_init (AqQualityPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = TRUE;
  build_dashboard (self);
  build_rule_page (self);
  build_editor (self);
}

/* ---- public API ---- */

const AqQualityDashboard *
aq_quality_panel_get_dashboard (AqQualityPanel *self)
{
  g_return_val_if_fail (AQ_IS_QUALITY_PANEL (self), NULL);
  return self->dashboard;
}

const AqQualityRulePage *
aq_quality_panel_get_rule_page (AqQualityPanel *self)
{
  g_return_val_if_fail (AQ_IS_QUALITY_PANEL (self), NULL);
  return self->page;
}

const AqQualityRun *
aq_quality_panel_get_last_run (AqQualityPanel *self)
{
  g_return_val_if_fail (AQ_IS_QUALITY_PANEL (self), NULL);
  return self->last_run;
}

const char *
aq_quality_panel_get_page (AqQualityPanel *self)
{
  g_return_val_if_fail (AQ_IS_QUALITY_PANEL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
aq_quality_panel_get_busy (AqQualityPanel *self)
{
  g_return_val_if_fail (AQ_IS_QUALITY_PANEL (self), FALSE);
  return self->loading || self->run_cancellable != NULL;
}

void
aq_quality_panel_open_rule (AqQualityPanel *self,
                            const char     *rule_name)
{
  g_return_if_fail (AQ_IS_QUALITY_PANEL (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  aq_quality_rule_page_load_async (conninfo (self), rule_name, self->cancellable, page_cb,
                                   self);
}

/* aq-quality-panel.c — the Data Quality panel
 *
 * Three pages over the stored results: the dashboard (the overall score with its formula,
 * scores by dimension, layer and table, the overall trend over the last runs, every rule's
 * latest result with the failing and newly failing first), a rule's page (what it checks in
 * words, its history as a chart, the current failing samples with copy as CSV, the SQL it
 * runs) and the rule editor (a form per rule type, "Test now" on the live warehouse, Save).
 * Everything is read and run by core on worker threads (aq-quality-dashboard.h); a run from
 * the panel shows progress and can be cancelled. The panel holds no SQL.
 * The commands are also "quality.*" actions with shortcuts (run all, run the open rule,
 * refresh, new rule, find a rule). The rule editor lives in aq-quality-panel-editor.c.
 */
#define G_LOG_DOMAIN "aq-quality-panel"

#include "config.h"

#include "aq-quality-panel.h"
#include "aq-quality-panel-private.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "aq-chart.h"
#include "aq-format.h"
#include "aq-panel.h"

static void aq_panel_iface_init (AqPanelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AqQualityPanel, aq_quality_panel, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (AQ_TYPE_PANEL, aq_panel_iface_init))

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

GtkWidget *
aq_qp_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  return label;
}

/* A quality dimension's name in the user's language. */
const char *
aq_qp_dimension_title (const char *dimension)
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
  GtkWidget *n = gtk_label_new (g_str_equal (s->kind, "dimension")
                                ? aq_qp_dimension_title (s->name) : s->name);
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
                                  aq_qp_dimension_title (r->dimension));
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

/* Runs the stored rules (all of them, or only those in names), or tests rule. */
static void
start_run_names (AqQualityPanel      *self,
                 const char * const  *names,
                 const AqQualityRule *rule,
                 gboolean             save)
{
  if (self->run_cancellable)
    return;
  self->run_cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  gtk_label_set_label (self->status_label, _("Running…"));
  gtk_label_set_label (self->e_result, _("Running…"));
  aq_quality_run_async (conninfo (self), names, rule, save, self->run_cancellable, run_cb,
                        g_object_ref (self));
}

void
aq_qp_start_run (AqQualityPanel      *self,
                 const AqQualityRule *rule,
                 gboolean             save)
{
  start_run_names (self, NULL, rule, save);
}

static void
run_clicked_cb (AqQualityPanel *self)
{
  aq_qp_start_run (self, NULL, FALSE);
}

static void
cancel_clicked_cb (AqQualityPanel *self)
{
  g_cancellable_cancel (self->run_cancellable);
}

/* Rows whose rule name or subtitle (which holds layer.table) contains the search text. */
static gboolean
rule_filter (GtkListBoxRow *row,
             gpointer       user_data)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (user_data);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search));
  g_autofree char *needle = NULL;
  g_autofree char *name = NULL;
  g_autofree char *subtitle = NULL;

  if (text == NULL || *text == '\0')
    return TRUE;
  needle = g_utf8_casefold (text, -1);
  name = g_utf8_casefold (gtk_widget_get_name (GTK_WIDGET (row)), -1);
  subtitle = g_utf8_casefold (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) ?: "", -1);
  return strstr (name, needle) != NULL || strstr (subtitle, needle) != NULL;
}

/* ---- actions ---- */

static void
run_all_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  start_run_names (AQ_QUALITY_PANEL (widget), NULL, NULL, FALSE);
}

/* Runs the rule whose page is open, keeping its result. */
static void
run_selected_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (widget);
  const char *names[2] = { NULL, NULL };

  if (self->page == NULL)
    return;
  names[0] = self->page->rule->name;
  start_run_names (self, names, NULL, TRUE);
}

/* Reloads what is on screen: the rule's page when one is open, else the dashboard. */
static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (widget);

  if (self->page && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "rule") == 0)
    {
      g_autofree char *name = g_strdup (self->page->rule->name);

      aq_quality_panel_open_rule (self, name);
    }
  else
    reload (self);
}

static void
new_rule_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  aq_qp_new_rule_cb (AQ_QUALITY_PANEL (widget));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AqQualityPanel *self = AQ_QUALITY_PANEL (widget);

  if (self->dashboard)
    gtk_stack_set_visible_child_name (self->stack, "dashboard");
  gtk_widget_grab_focus (GTK_WIDGET (self->search));
}

/* ---- rule page ---- */

static void
rule_activated_cb (GtkListBox     *box,
                   GtkListBoxRow  *row,
                   AqQualityPanel *self)
{
  aq_quality_panel_open_rule (self, gtk_widget_get_name (GTK_WIDGET (row)));
}

void
aq_qp_back_cb (AqQualityPanel *self)
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

/* ---- building ---- */

GtkWidget *
aq_qp_button (const char *label,
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

  self->run_button = GTK_BUTTON (aq_qp_button (_("_Run All Rules"), "quality-run",
                                               G_CALLBACK (run_clicked_cb), self));
  gtk_widget_add_css_class (GTK_WIDGET (self->run_button), "suggested-action");
  self->cancel_button = GTK_BUTTON (aq_qp_button (_("_Cancel"), "quality-cancel",
                                                  G_CALLBACK (cancel_clicked_cb), self));
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), FALSE);
  gtk_box_append (GTK_BOX (buttons), aq_qp_button (_("_New Rule"), "quality-new-rule",
                                                   G_CALLBACK (aq_qp_new_rule_cb), self));
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
  gtk_box_append (self->dashboard_box, aq_qp_heading (_("Score Trend")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->trend_area));

  self->dimension_box = GTK_FLOW_BOX (flow_box ());
  self->layer_box = GTK_FLOW_BOX (flow_box ());
  self->table_box = GTK_FLOW_BOX (flow_box ());
  gtk_box_append (self->dashboard_box, aq_qp_heading (_("By Dimension")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->dimension_box));
  gtk_box_append (self->dashboard_box, aq_qp_heading (_("By Layer")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->layer_box));

  list = gtk_list_box_new ();
  self->rules_list = GTK_LIST_BOX (list);
  gtk_widget_set_name (list, "quality-rules");
  gtk_list_box_set_selection_mode (self->rules_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  g_signal_connect (list, "row-activated", G_CALLBACK (rule_activated_cb), self);
  gtk_list_box_set_filter_func (self->rules_list, rule_filter, self, NULL);
  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->search), "quality-search");
  g_object_set (self->search, "placeholder-text", _("Find a rule by name or table"), NULL);
  g_signal_connect_swapped (self->search, "search-changed",
                            G_CALLBACK (gtk_list_box_invalidate_filter), self->rules_list);
  gtk_box_append (self->dashboard_box, aq_qp_heading (_("Rules, Failing First")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->search));
  gtk_box_append (self->dashboard_box, list);
  gtk_box_append (self->dashboard_box, aq_qp_heading (_("By Table")));
  gtk_box_append (self->dashboard_box, GTK_WIDGET (self->table_box));
}

static void
build_rule_page (AqQualityPanel *self)
{
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *list = gtk_list_box_new ();

  gtk_box_append (GTK_BOX (top), aq_qp_button (_("_Back"), "rule-back",
                                               G_CALLBACK (aq_qp_back_cb), self));
  self->rule_title = GTK_LABEL (gtk_label_new (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->rule_title), "title-2");
  gtk_widget_set_hexpand (GTK_WIDGET (self->rule_title), TRUE);
  gtk_label_set_xalign (self->rule_title, 0);
  gtk_box_append (GTK_BOX (top), GTK_WIDGET (self->rule_title));
  gtk_box_append (GTK_BOX (top), aq_qp_button (_("_Copy as CSV"), "rule-copy",
                                               G_CALLBACK (copy_clicked_cb), self));
  gtk_box_append (GTK_BOX (top), aq_qp_button (_("_Export CSV…"), "rule-export",
                                               G_CALLBACK (export_clicked_cb), self));
  gtk_box_append (self->rule_box, top);
  self->rule_explain = GTK_LABEL (gtk_label_new (""));
  gtk_label_set_wrap (self->rule_explain, TRUE);
  gtk_label_set_xalign (self->rule_explain, 0);
  gtk_box_append (self->rule_box, GTK_WIDGET (self->rule_explain));
  self->history_area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->history_area), -1, 180);
  gtk_drawing_area_set_draw_func (self->history_area, history_draw_cb, self, NULL);
  gtk_box_append (self->rule_box, aq_qp_heading (_("History")));
  gtk_box_append (self->rule_box, GTK_WIDGET (self->history_area));
  self->samples_list = GTK_LIST_BOX (list);
  gtk_widget_set_name (list, "rule-samples");
  gtk_list_box_set_selection_mode (self->samples_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_box_append (self->rule_box, aq_qp_heading (_("Failing Rows (Latest Run, Masked)")));
  gtk_box_append (self->rule_box, list);
  self->sql_label = GTK_LABEL (gtk_label_new (""));
  gtk_widget_set_name (GTK_WIDGET (self->sql_label), "rule-sql");
  gtk_label_set_selectable (self->sql_label, TRUE);
  gtk_label_set_wrap (self->sql_label, TRUE);
  gtk_label_set_xalign (self->sql_label, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->sql_label), "monospace");
  gtk_box_append (self->rule_box, aq_qp_heading (_("The SQL It Runs")));
  gtk_box_append (self->rule_box, GTK_WIDGET (self->sql_label));
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
  aq_qp_editor_dispose (self);
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

  /* The shortcuts are listed in ui/help-overlay.ui; keep the two in step. */
  gtk_widget_class_install_action (widget_class, "quality.run-all", NULL, run_all_action);
  gtk_widget_class_install_action (widget_class, "quality.run-selected", NULL,
                                   run_selected_action);
  gtk_widget_class_install_action (widget_class, "quality.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "quality.new-rule", NULL, new_rule_action);
  gtk_widget_class_install_action (widget_class, "quality.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "quality.run-all",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "quality.run-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_SHIFT_MASK,
                                       "quality.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "quality.new-rule", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "quality.find", NULL);
}

static void
aq_quality_panel_init (AqQualityPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->loading = TRUE;
  build_dashboard (self);
  build_rule_page (self);
  aq_qp_build_editor (self);
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
  return self->loading || self->run_cancellable != NULL || self->profile_cancellable != NULL;
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

/* test-quality-panel.c — the Data Quality panel under Xvfb: its scores against SQL over the
 * stored results, a rule's page showing the planted failing rows, and a rule made through the
 * form, tested on the live warehouse and saved; the panel's commands as actions */
#include "config.h"

#include "aq-test-util.h"
#include "aq-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "aq-quality-panel.h"
#include "aq-screenshot.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_quality_panel"

static AqDb *db;
static AqWindow *window;
static AqQualityPanel *panel;

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static GtkWidget *
find (const char *name)
{
  GtkWidget *w = aq_test_find_widget (GTK_WIDGET (panel), match_name, name);

  g_assert_nonnull (w);
  return w;
}

static gboolean
dashboard_ready (gpointer data)
{
  return aq_quality_panel_get_dashboard (panel) != NULL && !aq_quality_panel_get_busy (panel);
}

static gboolean
idle (gpointer data)
{
  return !aq_quality_panel_get_busy (panel);
}

static gboolean
on_page (gpointer data)
{
  return !aq_quality_panel_get_busy (panel)
         && g_strcmp0 (aq_quality_panel_get_page (panel), data) == 0;
}

static void
set_true_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* With AQ_SCREENSHOT_DIR set (by hand, for docs/screenshots), the window as the test leaves
 * it; the file name ends in -zh_CN under LANGUAGE=zh_CN. */
static void
shoot (const char *name)
{
  const char *dir = g_getenv ("AQ_SCREENSHOT_DIR");
  const char *language = g_getenv ("LANGUAGE");
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  file = g_strdup_printf ("%s%s.png", name,
                          language && g_str_has_prefix (language, "zh") ? "-zh_CN" : "");
  path = g_build_filename (dir, file, NULL);
  /* let the window's page transition (a crossfade) finish: run alone, a test can reach here
   * before its first frames have ticked (a screenshot only, never an assertion) */
  {
    gboolean waited = FALSE;

    g_timeout_add_once (1000, set_true_cb, &waited);
    while (!waited)
      g_main_context_iteration (NULL, TRUE);
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  aq_screenshot_save_png (GTK_WIDGET (window), path, &error);
  g_assert_no_error (error);
}

static double
sql_double (const char *sql)
{
  g_autofree char *v = aq_test_query_string (db, sql);

  return g_ascii_strtod (v, NULL);
}

#define LATEST \
  "WITH latest AS (SELECT DISTINCT ON (rule_name) * FROM meta.quality_result " \
  "  WHERE status <> 'error' ORDER BY rule_name, run_id DESC) "

static void
test_scores (void)
{
  const AqQualityDashboard *d = aq_quality_panel_get_dashboard (panel);
  double overall = sql_double (LATEST "SELECT 100.0 * sum(checked_rows - failing_rows) / "
                               "sum(checked_rows) FROM latest");
  double validity = sql_double (LATEST "SELECT 100.0 * sum(checked_rows - failing_rows) / "
                                "sum(checked_rows) FROM latest WHERE dimension = 'validity'");
  g_autofree char *shown = g_strdup_printf ("%.2f", overall);
  gboolean found = FALSE;

  g_assert_cmpfloat_with_epsilon (d->overall->score, overall, 1e-9);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find ("quality-score"))), ==, shown);
  for (guint i = 0; i < d->scores->len; i++)
    {
      AqQualityScore *s = g_ptr_array_index (d->scores, i);

      if (g_str_equal (s->kind, "dimension") && g_str_equal (s->name, "validity"))
        {
          g_assert_cmpfloat_with_epsilon (s->score, validity, 1e-9);
          found = TRUE;
        }
    }
  g_assert_true (found);
  /* two runs stored: two points on the trend; failing rules listed before passing ones */
  g_assert_cmpuint (d->trend_runs->len, ==, 2);
  g_assert_cmpstr (((AqQualityResult *) g_ptr_array_index (d->results, 0))->status, !=, "pass");
  g_assert_cmpuint (d->results->len, ==,
                    aq_test_query_int64 (db, "SELECT count(DISTINCT rule_name) "
                                             "FROM meta.quality_result"));
}

static void
test_drill_into_rule (void)
{
  GtkWidget *list = find ("quality-rules");
  GtkWidget *row = aq_test_find_widget (list, match_name, "dw.dim_account.demolished_active");
  const AqQualityRulePage *page;
  gint64 truth = aq_test_query_int64 (db, "SELECT count(*) FROM src_truth.anomaly "
                                          "WHERE kind = 'demolished_active'");
  GtkWidget *samples;
  guint rows = 0;

  g_assert_nonnull (row);
  g_signal_emit_by_name (list, "row-activated", row);
  aq_test_wait_for (on_page, (gpointer) "rule", 30, "the rule's page");
  page = aq_quality_panel_get_rule_page (panel);
  g_assert_cmpstr (page->rule->name, ==, "dw.dim_account.demolished_active");
  g_assert_nonnull (page->latest);
  g_assert_cmpint (page->latest->failing, ==, truth);
  g_assert_cmpuint (page->history->len, ==, 2);
  samples = find ("rule-samples");
  for (GtkWidget *c = gtk_widget_get_first_child (samples); c; c = gtk_widget_get_next_sibling (c))
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM src_truth.anomaly WHERE "
                                              "kind = 'demolished_active' AND rtrim(acct_no) = "
                                              "'%s'", adw_preferences_row_get_title (
                                                        ADW_PREFERENCES_ROW (c)));

      g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);
      /* the account's Customer 360 opens through the application's lookup */
      {
        GtkWidget *open = aq_test_find_widget (c, match_name, "open-360");
        GVariant *target;

        g_assert_nonnull (open);
        g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (open)), ==,
                         "app.lookup");
        target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (open));
        g_assert_cmpstr (g_variant_get_string (target, NULL), ==,
                         adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)));
      }
      rows++;
    }
  g_assert_cmpuint (rows, ==, MIN (truth, AQ_QUALITY_DEFAULT_SAMPLES));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find ("rule-sql"))),
                            "demolished"));
  g_signal_emit_by_name (find ("rule-back"), "clicked");
  g_assert_cmpstr (aq_quality_panel_get_page (panel), ==, "dashboard");
}

static void
set_text (const char *name,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (find (name)), text);
}

static void
test_create_rule (void)
{
  const AqQualityRun *run;
  AqQualityResult *r;
  gint64 expected = aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill "
                                             "WHERE qty < 0 OR qty > 30");

  g_signal_emit_by_name (find ("quality-new-rule"), "clicked");
  g_assert_cmpstr (aq_quality_panel_get_page (panel), ==, "editor");
  /* the drop-downs show words, never the codes they stand for */
  {
    static const struct { const char *name; guint n; const char *item; guint at; } lists[] = {
      { "editor-type", 7, "Accepted values", 4 },
      { "editor-format", 6, "Landline with area code", 1 },
      { "editor-dimension", 7, "Consistency", 3 },
      { "editor-severity", 2, "Failure (stops gates)", 1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
      {
        GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (find (lists[i].name)));

        g_assert_cmpuint (g_list_model_get_n_items (model), ==, lists[i].n);
        for (guint k = 0; k < lists[i].n; k++)
          {
            const char *item = gtk_string_list_get_string (GTK_STRING_LIST (model), k);

            if (g_regex_match_simple ("^[a-z_]+$", item, 0, 0))
              g_error ("%s shows the code “%s”", lists[i].name, item);
          }
        g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), lists[i].at), ==,
                         _(lists[i].item));
      }
  }
  set_text ("editor-name", "ui.bill_qty_small");
  set_text ("editor-layer", "dw");
  set_text ("editor-table", "fact_bill");
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find ("editor-type")), 2); /* range */
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (find ("editor-min"))));
  set_text ("editor-column", "qty");
  set_text ("editor-min", "0");
  set_text ("editor-max", "30");

  /* test now: counted on the live warehouse, nothing stored */
  g_signal_emit_by_name (find ("editor-test"), "clicked");
  aq_test_wait_for (idle, NULL, 60, "the test run");
  run = aq_quality_panel_get_last_run (panel);
  g_assert_nonnull (run);
  r = g_ptr_array_index (run->results, 0);
  g_assert_cmpint (r->failing, ==, expected);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_rule "
                                            "WHERE rule_name = 'ui.bill_qty_small'"), ==, 0);
  shoot ("quality-editor");

  /* save: the rule is stored, run and its result kept */
  g_signal_emit_by_name (find ("editor-save"), "clicked");
  aq_test_wait_for (idle, NULL, 60, "the save");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_rule "
                                            "WHERE rule_name = 'ui.bill_qty_small' "
                                            "AND version = 1"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT failing_rows FROM meta.quality_result "
                                            "WHERE rule_name = 'ui.bill_qty_small'"), ==,
                   expected);
  /* a bad form says what is wrong and saves nothing */
  set_text ("editor-column", "no such column!");
  g_signal_emit_by_name (find ("editor-save"), "clicked");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find ("editor-result"))),
                            "column"));
}

/* The table's profile read on a worker, a suggestion adopted in one click, tested on the
 * live warehouse: the suggestion came from the data, so nothing fails. */
static void
test_profile_adopt (void)
{
  const AqQualityRun *run;
  AqQualityResult *r;
  g_autofree char *values = aq_test_query_string (db, "SELECT string_agg(status, ', ' ORDER BY "
                                                      "n DESC, status) FROM (SELECT status, "
                                                      "count(*) AS n FROM dw.dim_meter "
                                                      "GROUP BY 1) s");
  g_autofree char *min = aq_test_query_string (db, "SELECT min(installed_on)::text "
                                                   "FROM dw.dim_meter");
  g_autofree char *max = aq_test_query_string (db, "SELECT max(installed_on)::text "
                                                   "FROM dw.dim_meter");
  g_autofree char *rows = aq_test_query_string (db, "SELECT count(*) FROM dw.dim_meter");
  gint64 n_rows = g_ascii_strtoll (rows, NULL, 10);
  const char *status;

  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.new-rule", NULL);
  g_assert_cmpstr (aq_quality_panel_get_page (panel), ==, "editor");
  set_text ("editor-layer", "dw");
  set_text ("editor-table", "dim_meter");
  g_signal_emit_by_name (find ("editor-profile"), "clicked");
  g_assert_true (aq_quality_panel_get_busy (panel));   /* read on a worker */
  aq_test_wait_for (idle, NULL, 60, "the profile");
  status = gtk_label_get_label (GTK_LABEL (find ("editor-profile-status")));
  g_assert_nonnull (strstr (status, "dw.dim_meter"));
  g_assert_true (gtk_widget_get_visible (find ("editor-profile-list")));

  /* allowed values: every status the table holds, most frequent first */
  g_signal_emit_by_name (find ("suggest-status-accepted_values"), "clicked");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find ("editor-type"))), ==, 4);
  g_assert_true (gtk_widget_get_visible (find ("editor-values")));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find ("editor-values"))), ==, values);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find ("editor-column"))), ==, "status");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find ("editor-name"))), ==,
                   "dw.dim_meter.status_accepted_values");
  g_signal_emit_by_name (find ("editor-test"), "clicked");
  aq_test_wait_for (idle, NULL, 60, "the test of the adopted rule");
  run = aq_quality_panel_get_last_run (panel);
  r = g_ptr_array_index (run->results, 0);
  g_assert_cmpstr (r->rule_name, ==, "dw.dim_meter.status_accepted_values");
  g_assert_cmpint (r->checked, ==, n_rows);
  g_assert_cmpint (r->failing, ==, 0);

  /* a date range: the seen lowest and highest, compared as dates */
  g_signal_emit_by_name (find ("suggest-installed_on-range"), "clicked");
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (find ("editor-type"))), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find ("editor-min"))), ==, min);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find ("editor-max"))), ==, max);
  g_signal_emit_by_name (find ("editor-test"), "clicked");
  aq_test_wait_for (idle, NULL, 60, "the test of the adopted range");
  run = aq_quality_panel_get_last_run (panel);
  r = g_ptr_array_index (run->results, 0);
  g_assert_cmpstr (r->rule_name, ==, "dw.dim_meter.installed_on_range");
  g_assert_cmpstr (r->status, ==, "pass");
  g_assert_cmpint (r->checked, ==, n_rows);
  g_assert_cmpint (r->failing, ==, 0);
  shoot ("quality-editor-profile");
  /* nothing stored by adopting and testing */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_rule "
                                            "WHERE rule_name LIKE 'dw.dim_meter.%\\_%' "
                                            "AND rule_set = 'custom'"), ==, 0);
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.find", NULL);
}

static guint
visible_rules (void)
{
  GtkWidget *list = find ("quality-rules");
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (gtk_widget_get_child_visible (c))
      n++;
  return n;
}

/* Each command activated as its action, with what it did checked against the warehouse. */
static void
test_actions (void)
{
  const char *rule = "dw.dim_account.demolished_active";
  const AqQualityDashboard *d = aq_quality_panel_get_dashboard (panel);
  const AqQualityRun *run;
  GtkWidget *search = find ("quality-search");
  GtkWidget *focus;
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  guint all = d->results->len, matching = 0, history;
  gint64 kept;

  /* find: the dashboard, the focus in the search, the list filtered to the text */
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.new-rule", NULL);
  g_assert_cmpstr (aq_quality_panel_get_page (panel), ==, "editor");
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.find", NULL);
  g_assert_cmpstr (aq_quality_panel_get_page (panel), ==, "dashboard");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_nonnull (focus);
  g_assert_true (focus == search || gtk_widget_is_ancestor (focus, search));
  g_assert_cmpuint (visible_rules (), ==, all);
  for (guint i = 0; i < all; i++)
    {
      AqQualityResult *r = g_ptr_array_index (d->results, i);

      if (strstr (r->rule_name, "demolished") || strstr (r->table, "demolished"))
        matching++;
    }
  g_assert_cmpuint (matching, >=, 1);
  g_assert_cmpuint (matching, <, all);
  gtk_editable_set_text (GTK_EDITABLE (search), "DEMOLISHED");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (visible_rules (), ==, matching);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_signal_emit_by_name (search, "search-changed");
  g_assert_cmpuint (visible_rules (), ==, all);

  /* run selected: only the open rule, its result kept */
  aq_quality_panel_open_rule (panel, rule);
  aq_test_wait_for (on_page, (gpointer) "rule", 30, "the rule's page");
  history = aq_quality_panel_get_rule_page (panel)->history->len;
  kept = aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_result "
                                  "WHERE rule_name = 'dw.dim_account.demolished_active'");
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.run-selected", NULL);
  aq_test_wait_for (idle, NULL, 60, "the run of the open rule");
  run = aq_quality_panel_get_last_run (panel);
  g_assert_nonnull (run);
  g_assert_cmpuint (run->results->len, ==, 1);
  g_assert_cmpstr (((AqQualityResult *) g_ptr_array_index (run->results, 0))->rule_name, ==,
                   rule);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_result "
                                            "WHERE rule_name = "
                                            "'dw.dim_account.demolished_active'"), ==, kept + 1);

  /* refresh on the rule's page: the page again, now with the new run in its history */
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.refresh", NULL);
  g_assert_true (aq_quality_panel_get_busy (panel));
  aq_test_wait_for (on_page, (gpointer) "rule", 30, "the refreshed rule's page");
  g_assert_cmpuint (aq_quality_panel_get_rule_page (panel)->history->len, ==, history + 1);

  /* run all: every rule */
  rules = aq_quality_list_rules (db, &error);
  g_assert_no_error (error);
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.run-all", NULL);
  g_assert_true (aq_quality_panel_get_busy (panel));
  aq_test_wait_for (idle, NULL, 120, "the run of all rules");
  run = aq_quality_panel_get_last_run (panel);
  g_assert_cmpuint (run->results->len, ==, rules->len);
  gtk_widget_activate_action (GTK_WIDGET (panel), "quality.find", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(AqConnectionMonitor) monitor = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-20T12:00:00+08:00", NULL);
  g_autoptr(GPtrArray) rules = NULL;
  g_autoptr(GError) error = NULL;
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  if (g_getenv ("AQ_SCREENSHOT_DIR") == NULL)
    g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  else
    {
      /* screenshots in the language of the environment, from the build's translations */
      g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po",
                                                     NULL);

      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();
  aq_clock_pin (now);

  db = aq_test_demo_db_new (DB_NAME, 2000, 24);
  /* two stored runs of the standard set: a trend of two points */
  rules = aq_quality_list_rules (db, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(AqQualityRun) run = aq_quality_run_rules (db, rules, "all", NULL, NULL, &error);

      g_assert_no_error (error);
    }

  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "quality");
  panel = AQ_QUALITY_PANEL (aq_window_get_panel (window, "quality"));
  aq_test_wait_for (dashboard_ready, NULL, 60, "the dashboard");

  g_test_add_func ("/quality-panel/scores", test_scores);
  g_test_add_func ("/quality-panel/drill", test_drill_into_rule);
  g_test_add_func ("/quality-panel/create-rule", test_create_rule);
  g_test_add_func ("/quality-panel/profile-adopt", test_profile_adopt);
  g_test_add_func ("/quality-panel/actions", test_actions);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  return ret;
}

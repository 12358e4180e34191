/* test-ui-shell.c — the real main window on a real warehouse: panels, overview, connection
 *
 * Builds AqWindow against a throwaway database, drives it through its actions and checks what
 * it shows; then takes the database away and brings it back and checks that the window says
 * so and recovers by itself. The last tests run the real `aqueduct --screenshot`.
 */
#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-connection-banner.h"
#include "aq-connection-button.h"
#include "aq-customer-panel.h"
#include "aq-format.h"
#include "aq-layer-card.h"
#include "aq-overview-panel.h"
#include "aq-sidebar.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_ui_shell"
#define SHOT_DB_NAME "t_ui_shot"
#define READINGS 4321

/* ---- helpers ---- */

static gboolean
match_layer_card (GtkWidget     *widget,
                  gconstpointer  data)
{
  return AQ_IS_LAYER_CARD (widget)
         && g_strcmp0 (aq_layer_card_get_schema (AQ_LAYER_CARD (widget)), data) == 0;
}

static gboolean
match_row_title (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), data) == 0;
}

static gboolean
match_visible_label_with (GtkWidget     *widget,
                          gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget)
         && strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

static GtkWidget *
find_by_type (GtkWidget *root,
              GType      type)
{
  GtkWidget *widget = aq_test_find_widget (root, aq_test_match_type, GSIZE_TO_POINTER (type));

  g_assert_nonnull (widget);
  return widget;
}

static char *
digits_of (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static void
fill_database (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("CREATE SCHEMA src_billing;"
                         "CREATE TABLE src_billing.bill_202401 AS"
                         "  SELECT generate_series(1, 600) AS id;"
                         "CREATE TABLE src_billing.bill_202402 AS"
                         "  SELECT generate_series(1, 900) AS id;"
                         "CREATE TABLE ods.meter_reading (id int, reading numeric);"
                         "INSERT INTO ods.meter_reading SELECT g, g * 1.5"
                         "  FROM generate_series(1, %d) g;"
                         "ANALYZE src_billing.bill_202401, src_billing.bill_202402,"
                         "        ods.meter_reading;"
                         "INSERT INTO meta.pipeline_run (pipeline, started_at, finished_at,"
                         "                               status, rows_written)"
                         "  VALUES ('ods_meter_reading', now() - interval '5 minutes', now(),"
                         "          'succeeded', %d);",
                         READINGS, READINGS);
  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gboolean
banner_revealed (gpointer data)
{
  return aq_connection_banner_get_revealed (AQ_CONNECTION_BANNER (data));
}

static gboolean
banner_hidden (gpointer data)
{
  return !aq_connection_banner_get_revealed (AQ_CONNECTION_BANNER (data));
}

static gboolean
monitor_healthy (gpointer data)
{
  return aq_connection_monitor_get_state (data) == AQ_CONNECTION_STATE_HEALTHY;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
ods_emptied (gpointer data)
{
  AqOverviewPanel *panel = data;
  const AqOverview *overview = aq_overview_panel_get_overview (panel);
  AqOverviewLayer *ods;

  if (overview == NULL || aq_panel_get_loading (AQ_PANEL (panel)))
    return FALSE;
  ods = aq_overview_find_layer ((AqOverview *) overview, "ods");
  return ods != NULL && ods->n_tables == 0;
}

/* ---- tests ---- */

static void
test_window_panels_overview_and_connection (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (DB_NAME, TRUE);
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autofree char *admin_info = aq_test_conninfo ("postgres");
  g_autoptr(AqDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *names = aq_window_get_panel_names ();
  const char * const expected_titles[] = {
    "Overview", "Customer 360", "Reports", "Outage Map", "Data Quality", "Pipelines",
    "Data Catalog", "Cockpits", "Data APIs", NULL
  };
  AqWindow *window;
  AqSidebar *sidebar;
  GtkListBox *list_box;
  AqOverviewPanel *overview_panel;
  AqConnectionButton *button;
  AqConnectionBanner *banner;
  const AqOverview *overview;
  AqOverviewLayer *layer;
  AqOverviewRun *run;
  GtkWidget *card;
  g_autofree char *expected_rows = NULL;
  g_autofree char *shown_digits = NULL;
  gpointer weak_window;
  gpointer weak_monitor;

  fill_database (db);
  g_clear_object (&db);

  /* checks fast, so that losing the warehouse shows within the test's patience */
  aq_connection_monitor_set_interval (monitor, 200);
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_present (GTK_WINDOW (window));

  /* the sidebar lists the nine panels, in order, with their titles */
  sidebar = AQ_SIDEBAR (find_by_type (GTK_WIDGET (window), AQ_TYPE_SIDEBAR));
  list_box = aq_sidebar_get_list_box (sidebar);
  g_assert_cmpuint (g_strv_length ((char **) names), ==, 9);
  for (guint i = 0; names[i]; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (list_box, (int) i);
      GtkWidget *label;

      g_assert_nonnull (row);
      g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (row)), ==, names[i]);
      label = find_by_type (GTK_WIDGET (row), GTK_TYPE_LABEL);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expected_titles[i]);
    }
  g_assert_null (gtk_list_box_get_row_at_index (list_box, 9));

  /* win.show-panel switches the visible panel, and the sidebar follows */
  for (guint i = 0; names[i]; i++)
    {
      GtkListBoxRow *selected;
      GtkStack *stack;

      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-panel", "s",
                                                 names[i]));
      g_assert_cmpstr (aq_window_get_visible_panel (window), ==, names[i]);
      stack = GTK_STACK (gtk_widget_get_parent (GTK_WIDGET (aq_window_get_panel (window,
                                                                               names[i]))));
      g_assert_true (gtk_stack_get_visible_child (stack)
                     == GTK_WIDGET (aq_window_get_panel (window, names[i])));
      selected = gtk_list_box_get_selected_row (list_box);
      g_assert_cmpstr (gtk_widget_get_name (GTK_WIDGET (selected)), ==, names[i]);
      /* the placeholders do not pretend to load anything (the outage map, the report
       * designer, data quality, the pipeline editor and the data catalog are real: their own
       * tests cover them) */
      if (i > 1 && !g_str_equal (names[i], "outage") && !g_str_equal (names[i], "report")
          && !g_str_equal (names[i], "quality") && !g_str_equal (names[i], "datasets")
          && !g_str_equal (names[i], "cockpit") && !g_str_equal (names[i], "pipeline")
          && !g_str_equal (names[i], "api"))
        {
          GtkWidget *status = find_by_type (GTK_WIDGET (aq_window_get_panel (window, names[i])),
                                            ADW_TYPE_STATUS_PAGE);
          g_assert_false (aq_panel_get_loading (aq_window_get_panel (window, names[i])));
          g_assert_nonnull (strstr (adw_status_page_get_title (ADW_STATUS_PAGE (status)),
                                    "Coming"));
        }
    }
  /* nothing looked up yet: the customer panel waits for a search, not for data */
  g_assert_false (aq_panel_get_loading (aq_window_get_panel (window, "customer")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-panel", "s",
                                             "overview"));
  g_assert_cmpstr (aq_window_get_visible_panel (window), ==, "overview");

  /* the overview shows the warehouse's real numbers */
  overview_panel = AQ_OVERVIEW_PANEL (aq_window_get_panel (window, "overview"));
  aq_test_wait_for (aq_test_panel_loaded, overview_panel, 30, "the overview to load");
  overview = aq_overview_panel_get_overview (overview_panel);
  g_assert_nonnull (overview);
  g_assert_true (g_str_has_prefix (overview->health->description, DB_NAME "@"));
  layer = aq_overview_find_layer ((AqOverview *) overview, "ods");
  g_assert_nonnull (layer);
  g_assert_cmpuint (layer->n_tables, ==, 1);
  g_assert_cmpint (layer->approx_rows, ==, READINGS);
  layer = aq_overview_find_layer ((AqOverview *) overview, "src_billing");
  g_assert_nonnull (layer);
  g_assert_cmpuint (layer->n_tables, ==, 2);
  g_assert_cmpint (layer->approx_rows, ==, 1500);
  g_assert_cmpuint (overview->runs->len, ==, 1);
  run = g_ptr_array_index (overview->runs, 0);
  g_assert_cmpstr (run->pipeline, ==, "ods_meter_reading");
  g_assert_cmpint (run->rows_written, ==, READINGS);

  /* …and on screen, not only in the model */
  card = aq_test_find_widget (GTK_WIDGET (overview_panel), match_layer_card, "ods");
  g_assert_nonnull (card);
  expected_rows = aq_format_count (READINGS);
  g_assert_cmpstr (aq_layer_card_get_rows_text (AQ_LAYER_CARD (card)), ==, expected_rows);
  shown_digits = digits_of (aq_layer_card_get_rows_text (AQ_LAYER_CARD (card)));
  g_assert_cmpstr (shown_digits, ==, "4321");
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (overview_panel), match_layer_card, "dw"));
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (overview_panel), match_row_title,
                                 "ods_meter_reading"));

  /* the header says which warehouse, and that it is healthy */
  button = AQ_CONNECTION_BUTTON (find_by_type (GTK_WIDGET (window),
                                               AQ_TYPE_CONNECTION_BUTTON));
  banner = AQ_CONNECTION_BANNER (find_by_type (GTK_WIDGET (window),
                                               AQ_TYPE_CONNECTION_BANNER));
  g_assert_cmpint (aq_connection_monitor_get_state (monitor), ==,
                   AQ_CONNECTION_STATE_HEALTHY);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "healthy"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (button), "unreachable"));
  /* its name, not a socket path */
  g_assert_cmpstr (aq_connection_button_get_text (button), ==, DB_NAME);
  g_assert_false (aq_connection_banner_get_revealed (banner));

  /* the warehouse goes away: the banner comes, the indicator turns red */
  admin = aq_db_connect (admin_info, &error);
  g_assert_no_error (error);
  aq_db_exec (admin, "DROP DATABASE " DB_NAME " WITH (FORCE)", &error);
  g_assert_no_error (error);
  aq_test_wait_for (banner_revealed, banner, 20, "the banner to appear");
  g_assert_cmpint (aq_connection_monitor_get_state (monitor), ==,
                   AQ_CONNECTION_STATE_UNREACHABLE);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "unreachable"));
  g_assert_nonnull (aq_connection_monitor_get_error (monitor));
  /* the numbers from before stay on screen under the banner */
  g_assert_true (aq_overview_panel_get_overview (overview_panel) == overview);

  /* it comes back (empty this time): the window reconnects and reloads by itself */
  db = aq_test_db_new (DB_NAME, TRUE);
  aq_test_wait_for (banner_hidden, banner, 20, "the banner to hide");
  aq_test_wait_for (monitor_healthy, monitor, 20, "the monitor to be healthy");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (button), "healthy"));
  aq_test_wait_for (ods_emptied, overview_panel, 30, "the overview to reload");

  /* the window goes away completely, the monitor too once its last check is done */
  weak_window = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak_window);
  gtk_window_destroy (GTK_WINDOW (window));
  aq_test_wait_for (pointer_cleared, &weak_window, 10, "the window to be finalized");
  weak_monitor = monitor;
  g_object_add_weak_pointer (G_OBJECT (monitor), &weak_monitor);
  g_clear_object (&monitor);
  aq_test_wait_for (pointer_cleared, &weak_monitor, 20, "the monitor to be finalized");
}

static void
test_window_lookup (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  AqWindow *window = aq_window_new (NULL, monitor);
  AqPanel *panel;
  GtkWidget *label;

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (aq_window_get_visible_panel (window), ==, "overview");

  aq_window_lookup (window, "13800138000");
  g_assert_cmpstr (aq_window_get_visible_panel (window), ==, "customer");
  panel = aq_window_get_panel (window, "customer");
  g_assert_cmpstr (aq_customer_panel_get_lookup (AQ_CUSTOMER_PANEL (panel)), ==,
                   "13800138000");
  g_assert_true (aq_panel_get_loading (panel));
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the lookup to answer");
  /* a warehouse without customers: it says who was not found, the number masked for the
   * agent like every phone the core returns */
  g_assert_cmpstr (aq_customer_panel_get_page (AQ_CUSTOMER_PANEL (panel)), ==, "none");
  label = aq_test_find_widget (GTK_WIDGET (panel), match_visible_label_with, "138****8000");
  g_assert_nonnull (label);

  gtk_window_destroy (GTK_WINDOW (window));
}

static GdkTexture *
load_png (const char *path)
{
  g_autoptr(GError) error = NULL;
  GdkTexture *texture = gdk_texture_new_from_filename (path, &error);

  g_assert_no_error (error);
  return texture;
}

static void
test_screenshot (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (SHOT_DB_NAME, TRUE);
  g_autofree char *conninfo = aq_test_conninfo (SHOT_DB_NAME);
  g_autofree char *dir = g_dir_make_tmp ("aq-shot-XXXXXX", NULL);
  g_autofree char *overview_png = g_build_filename (dir, "overview.png", NULL);
  g_autofree char *report_png = g_build_filename (dir, "report.png", NULL);
  g_autofree char *overview_arg = g_strconcat ("overview=", overview_png, NULL);
  g_autofree char *report_arg = g_strconcat ("report=", report_png, NULL);
  const char *argv[] = {
    g_getenv ("AQUEDUCT"), "--screenshot", overview_arg, "--screenshot", report_arg, NULL
  };
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };
  g_autoptr(GdkTexture) overview = NULL;
  g_autoptr(GdkTexture) report = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_assert_nonnull (argv[0]);
  fill_database (db);

  out = aq_test_run_command (argv, env, &status, &err);
  if (status != 0)
    g_printerr ("%s", err);
  g_assert_cmpint (status, ==, 0);
  /* it did not give up waiting for the data */
  g_assert_null (strstr (err, "still loading"));

  overview = load_png (overview_png);
  g_assert_cmpint (gdk_texture_get_width (overview), ==, 1280);
  g_assert_cmpint (gdk_texture_get_height (overview), ==, 800);
  report = load_png (report_png);
  g_assert_cmpint (gdk_texture_get_width (report), ==, 1280);
  g_assert_cmpint (gdk_texture_get_height (report), ==, 800);

  g_unlink (overview_png);
  g_unlink (report_png);
  g_rmdir (dir);
}

static void
test_screenshot_unknown_panel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("aq-shot-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "x.png", NULL);
  g_autofree char *arg = g_strconcat ("nosuchpanel=", png, NULL);
  const char *argv[] = { g_getenv ("AQUEDUCT"), "--screenshot", arg, NULL };
  const char *bad_argv[] = { g_getenv ("AQUEDUCT"), "--screenshot", "overview", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  out = aq_test_run_command (argv, NULL, &status, &err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "nosuchpanel"));
  g_assert_nonnull (strstr (err, "overview"));
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* no file: just as clear */
  out = aq_test_run_command (bad_argv, NULL, &status, &err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "PANEL=FILE"));

  g_rmdir (dir);
}

/* Run from the build tree, the binary finds the build's translations. */
static void
test_translated (void)
{
  const char *argv[] = { g_getenv ("AQUEDUCT"), "--help", NULL };
  const char *env[] = { "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8", "LANGUAGE", "zh_CN", NULL };
  const char *bad_argv[] = { g_getenv ("AQUEDUCT"), "--screenshot", "nosuchpanel=x.png", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = aq_test_run_command (argv, env, &status, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "按电话号码打开客户360"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = aq_test_run_command (bad_argv, env, &status, &err);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "没有名为“nosuchpanel”的面板"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;

  /* Before any thread: the window's workers read it when they connect. */
  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  g_test_add_func ("/ui-shell/window/panels-overview-and-connection",
                   test_window_panels_overview_and_connection);
  g_test_add_func ("/ui-shell/window/lookup", test_window_lookup);
  g_test_add_func ("/ui-shell/screenshot/overview", test_screenshot);
  g_test_add_func ("/ui-shell/screenshot/unknown-panel", test_screenshot_unknown_panel);
  g_test_add_func ("/ui-shell/translated", test_translated);
  return g_test_run ();
}

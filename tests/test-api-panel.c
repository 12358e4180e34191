/* test-api-panel.c — the Data API panel under Xvfb: the market lists what meta.api holds, an
 * API's documentation and console, a call answered as a caller gets it (rows against SQL),
 * a bad parameter answered with its code, the monitor showing the logged calls */
#include "aq-test-util.h"
#include "aq-test-ui.h"

#include <adwaita.h>
#include <string.h>

#include "aq-api-panel.h"
#include "aq-screenshot.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_api_panel"

static AqDb *db;
static AqWindow *window;
static AqApiPanel *panel;

static gboolean
idle (gpointer data)
{
  return !aq_api_panel_get_busy (panel);
}

static gboolean
api_open (gpointer data)
{
  const AqApi *api = aq_api_panel_get_api (panel);

  return !aq_api_panel_get_busy (panel) && api && g_str_equal (api->name, data);
}

static gboolean
answered (gpointer data)
{
  return !aq_api_panel_get_busy (panel) && aq_api_panel_get_response (panel) != NULL;
}

/* With AQ_SCREENSHOT_DIR set, the window as the test leaves it, for docs/screenshots. */
static void
shoot (const char *name)
{
  const char *dir = g_getenv ("AQ_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  path = g_build_filename (dir, name, NULL);
  aq_screenshot_save_png (GTK_WIDGET (window), path, &error);
  g_assert_no_error (error);
}

static void
test_market (void)
{
  g_assert_cmpuint (aq_api_panel_get_n_apis (panel), ==,
                    aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"));
  g_assert_cmpuint (aq_api_panel_get_n_apis (panel), ==, 17);
}

static void
test_console (void)
{
  g_autofree char *account = aq_test_query_string (db,
    "SELECT account_id FROM dw.fact_bill GROUP BY account_id HAVING count(*) >= 12"
    " ORDER BY account_id LIMIT 1");
  gint64 bills = aq_test_count1 (db, "SELECT count(*) FROM dw.fact_bill WHERE account_id = $1",
                                 account);

  aq_api_panel_select (panel, "bill_details");
  aq_test_wait_for (api_open, (gpointer) "bill_details", 30, "bill_details's page");
  g_assert_cmpuint (aq_api_panel_get_api (panel)->params->len, ==, 3);

  aq_api_panel_show_page (panel, "console");
  aq_api_panel_set_param (panel, "account", account);
  aq_api_panel_call (panel);
  aq_test_wait_for (answered, NULL, 30, "the console's answer");
  g_assert_nonnull (strstr (aq_api_panel_get_response (panel), "\"code\":0,"));
  g_assert_cmpuint (aq_api_panel_get_response_rows (panel), ==, MIN (bills, 20));
  shoot ("api-console.png");

  /* a bad month: the caller's error answer, not a crash or an empty page */
  aq_api_panel_set_param (panel, "from", "2026-13");
  aq_api_panel_call (panel);
  aq_test_wait_for (idle, NULL, 30, "the console's answer");
  if (strstr (aq_api_panel_get_response (panel), "\"code\":40001,") == NULL)
    g_printerr ("answer: %s\n", aq_api_panel_get_response (panel));
  g_assert_nonnull (strstr (aq_api_panel_get_response (panel), "\"code\":40001,"));
  g_assert_cmpuint (aq_api_panel_get_response_rows (panel), ==, 0);
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static void
test_monitor (void)
{
  GtkWidget *grid = aq_test_find_widget (GTK_WIDGET (panel), aq_test_match_name, "api-monitor");

  aq_api_panel_show_page (panel, "monitor");
  g_assert_nonnull (grid);
  /* the logged calls: 40 of the WeChat app on payments, 4 of them errors */
  g_assert_nonnull (aq_test_find_widget (grid, match_label, "wechat"));
  g_assert_nonnull (aq_test_find_widget (grid, match_label, "40"));
  g_assert_nonnull (aq_test_find_widget (grid, match_label, "10.00 %"));
  shoot ("api-monitor.png");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(AqConnectionMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiApp) app = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) aq_api_call_record_free);
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 200, 13);
  app = aq_api_app_add (db, "wechat", "", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 40; i++)
    {
      AqApiCallRecord *r = g_new0 (AqApiCallRecord, 1);

      r->at = aq_clock_now_unix_usec () - i * G_USEC_PER_SEC;
      r->app_key = g_strdup (app->app_key);
      r->api = g_strdup ("payments");
      r->http = i < 4 ? 429 : 200;
      r->code = i < 4 ? AQ_API_RATE_LIMITED : 0;
      r->latency_us = 1000 + i * 100;
      g_ptr_array_add (batch, r);
    }
  aq_api_log_write (db, batch, &error);
  g_assert_no_error (error);

  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "api");
  panel = AQ_API_PANEL (aq_window_get_panel (window, "api"));
  aq_test_wait_for (idle, NULL, 60, "the market");

  g_test_add_func ("/api-panel/market", test_market);
  g_test_add_func ("/api-panel/console", test_console);
  g_test_add_func ("/api-panel/monitor", test_monitor);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  return ret;
}

/* test-dashboard-panel.c — the Cockpits panel in the real window: a shipped cockpit opens with
 * every tile filled (each fetched on its own), the designer adds, moves and resizes tiles and
 * saves a standard cockpit under a new name as version 1 then 2, and a click on a KPI opens
 * its figures in the report designer. */
#include "config.h"

#include <adwaita.h>

#include "aq-test-util.h"
#include "aq-test-ui.h"
#include "aqueduct-core.h"
#include "aq-cockpit-panel.h"
#include "aq-dashboard-store.h"
#include "aq-panel.h"
#include "aq-report-panel.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_dashboard_panel"

static AqDb *db;
static AqWindow *window;
static AqCockpitPanel *panel;

static gboolean
showing (gpointer name)
{
  AqDashboardView *view = aq_cockpit_panel_get_view (panel);
  AqDashboard *d = aq_dashboard_view_get_dashboard (view);

  return d && g_strcmp0 (d->name, name) == 0 && !aq_panel_get_loading (AQ_PANEL (panel));
}

static void
test_open_filled (void)
{
  AqDashboardView *view = aq_cockpit_panel_get_view (panel);
  AqDashboard *d;

  aq_cockpit_panel_show_dashboard (panel, "service_cockpit");
  aq_test_wait_for (showing, (gpointer) "service_cockpit", 120, "客服驾驶舱");
  d = aq_dashboard_view_get_dashboard (view);
  g_assert_cmpstr (d->title, ==, "客服驾驶舱");
  g_assert_cmpuint (aq_dashboard_view_get_n_filled (view), ==, d->tiles->len);
  g_assert_cmpuint (aq_dashboard_view_get_n_stale (view), ==, 0);
  /* the calls KPI has figures for its month (values: test-dashboard) */
  {
    AqTileData *calls = aq_tile_view_get_data (aq_dashboard_view_get_tile_view (view, "calls"));

    g_assert_true (calls->has_value);
    g_assert_cmpfloat (calls->value, >, 0);
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

static void
test_designer_save (void)
{
  AqDashboardView *view = aq_cockpit_panel_get_view (panel);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDashboard) v1 = NULL;
  g_autoptr(AqDashboard) v2 = NULL;
  AqDashboard *d;
  AqDashboardTile *added;
  guint n;

  aq_cockpit_panel_show_dashboard (panel, "marketing_cockpit");
  aq_test_wait_for (showing, (gpointer) "marketing_cockpit", 120, "营销驾驶舱");
  d = aq_dashboard_view_get_dashboard (view);
  n = d->tiles->len;
  aq_cockpit_panel_set_editing (panel, TRUE);

  /* the grid is full: no place for another tile until one goes */
  g_assert_false (aq_cockpit_panel_add_indicator (panel, "read_rate"));
  aq_dashboard_view_remove_tile (view, "applications");
  g_assert_cmpuint (d->tiles->len, ==, n - 1);
  g_assert_true (aq_cockpit_panel_add_indicator (panel, "read_rate"));
  added = aq_dashboard_lookup_tile (d, "read_rate");
  g_assert_nonnull (added);
  g_assert_cmpint (added->x, ==, 10);
  g_assert_cmpint (added->y, ==, 0);
  /* onto its neighbour: refused; a smaller size in its own place: done */
  g_assert_false (aq_dashboard_view_place_tile (view, "read_rate", 8, 0, 2, 2));
  g_assert_true (aq_dashboard_view_place_tile (view, "read_rate", 10, 0, 2, 1));
  g_assert_cmpint (aq_dashboard_lookup_tile (d, "read_rate")->h, ==, 1);

  /* save: a standard cockpit goes under a new name, version 1; again: version 2 */
  {
    g_autoptr(AqDashboard) copy = aq_dashboard_copy (d);

    g_free (copy->name);
    copy->name = g_strdup ("marketing_cockpit_my");
    copy->standard = FALSE;
    g_assert_true (aq_dashboard_store_save (db, copy, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (copy->version, ==, 1);
    g_assert_true (aq_dashboard_store_save (db, copy, NULL, &error));
    g_assert_cmpint (copy->version, ==, 2);
  }
  v1 = aq_dashboard_store_open (db, "marketing_cockpit_my", 1, NULL, &error);
  g_assert_no_error (error);
  v2 = aq_dashboard_store_open (db, "marketing_cockpit_my", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v2->version, ==, 2);
  g_assert_nonnull (aq_dashboard_lookup_tile (v1, "read_rate"));
  g_assert_null (aq_dashboard_lookup_tile (v1, "applications"));
  /* the shipped one is as shipped */
  {
    g_autoptr(AqDashboard) std = aq_dashboard_store_open (db, "marketing_cockpit", 0, NULL,
                                                          &error);

    g_assert_nonnull (aq_dashboard_lookup_tile (std, "applications"));
    g_assert_cmpint (std->version, ==, 1);
  }
  aq_cockpit_panel_set_editing (panel, FALSE);
}

static void
open_report_cb (AqCockpitPanel *p,
                AqReportSpec   *spec,
                gpointer        user_data)
{
  AqReportSpec **out = user_data;

  g_set_object (out, spec);
}

static gboolean
report_spec_arrived (gpointer data)
{
  return *(AqReportSpec **) data != NULL;
}

static void
test_drill_through (void)
{
  AqDashboardView *view = aq_cockpit_panel_get_view (panel);
  g_autoptr(AqReportSpec) spec = NULL;
  gulong handler;

  aq_cockpit_panel_show_dashboard (panel, "marketing_cockpit");
  aq_test_wait_for (showing, (gpointer) "marketing_cockpit", 120, "营销驾驶舱");
  handler = g_signal_connect (panel, "open-report", G_CALLBACK (open_report_cb), &spec);
  g_signal_emit_by_name (view, "tile-activated", "nrw_rate");
  aq_test_wait_for (report_spec_arrived, &spec, 30, "the drill-through");
  g_assert_cmpstr (aq_report_spec_get_field (spec, AQ_REPORT_ZONE_VALUES, 0)->id, ==,
                   "nrw_rate");
  /* the window shows it in the report designer */
  g_assert_cmpstr (aq_window_get_visible_panel (window), ==, "report");
  g_signal_handler_disconnect (panel, handler);

  /* a chart tile opens its saved report */
  g_clear_object (&spec);
  handler = g_signal_connect (panel, "open-report", G_CALLBACK (open_report_cb), &spec);
  g_signal_emit_by_name (view, "tile-activated", "channel_mix");
  aq_test_wait_for (report_spec_arrived, &spec, 30, "the chart's report");
  g_assert_cmpstr (aq_report_spec_get_name (spec), ==, "revenue_by_channel");
  g_signal_handler_disconnect (panel, handler);
  aq_window_show_panel (window, "cockpit");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AqConnectionMonitor) monitor = NULL;
  g_autofree char *conninfo = NULL;
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 800, 14);
  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "cockpit");
  panel = AQ_COCKPIT_PANEL (aq_window_get_panel (window, "cockpit"));

  g_test_add_func ("/dashboard-panel/open-filled", test_open_filled);
  g_test_add_func ("/dashboard-panel/designer-save", test_designer_save);
  g_test_add_func ("/dashboard-panel/drill-through", test_drill_through);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  return ret;
}

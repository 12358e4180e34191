/* test-valves-tool.c — the outage map's Valves tool on a small real demo warehouse
 *
 * Builds a 2000-account demo warehouse and the real window; on the outage panel, turns the
 * Valves tool on, clicks a pipe (at its widget coordinates), and checks the marked valves and
 * the side pane's count against core's isolation of the pipe under the click; clicks the first
 * marked valve ("won't close") and checks the recomputed answer against core with that valve
 * inoperable; saves a picture of the map; creates the outage and checks that its accounts are
 * exactly the isolated ones.
 */
#include <adwaita.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-outage-panel.h"
#include "aq-panel.h"
#include "aq-ui.h"
#include "aq-valves-tool.h"
#include "aq-window.h"

#define DB_NAME "t_valves_tool"

static AqDb *db;

static gboolean
panel_loaded (gpointer data)
{
  return !aq_panel_get_loading (AQ_PANEL (data));
}

static gboolean
map_sized (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 100;
}

static gboolean
tool_done (gpointer data)
{
  return !aq_valves_tool_get_busy (AQ_VALVES_TOOL (data));
}

static gboolean
outage_created (gpointer data)
{
  return aq_valves_tool_get_outage_id (AQ_VALVES_TOOL (data)) > 0;
}

static char *
ids_text (GArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (a, gint64, i));
  return g_string_free (s, FALSE);
}

static void
widget_coords (AqOutagePanel *panel,
               double         lon,
               double         lat,
               double        *x,
               double        *y)
{
  ShumateMap *map = aq_outage_panel_get_map (panel);

  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (map), GTK_WIDGET (map),
                                              lat, lon, x, y);
  g_assert_cmpfloat (*x, >, 0);
  g_assert_cmpfloat (*y, >, 0);
  g_assert_cmpfloat (*x, <, gtk_widget_get_width (GTK_WIDGET (map)));
  g_assert_cmpfloat (*y, <, gtk_widget_get_height (GTK_WIDGET (map)));
}

static void
save_png (GtkWidget  *window,
          const char *path)
{
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_click_stuck_create (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (db, &error);
  g_autoptr(AqIsolation) expected = NULL, expected_stuck = NULL;
  g_autoptr(PGresult) candidates = NULL;
  g_autofree char *png = NULL;
  const AqIsolation *shown;
  AqOutagePanel *panel;
  AqValvesTool *tool;
  AqWindow *window;
  double lon = 0, lat = 0, x, y;
  gint64 pipe = 0, stuck_valve;

  g_assert_no_error (error);
  /* a pipe with customers on it whose isolation closes at least two valves */
  candidates = aq_db_query (db, "SELECT p.pipe_id, ST_X(ST_LineInterpolatePoint(p.geom, 0.5)),"
                                " ST_Y(ST_LineInterpolatePoint(p.geom, 0.5))"
                                " FROM dw.network_pipe p WHERE p.dn >= 300 AND EXISTS ("
                                "  SELECT 1 FROM dm.network_account a WHERE a.pipe_id = p.pipe_id)"
                                " ORDER BY p.pipe_id LIMIT 200", 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (candidates) && pipe == 0; i++)
    {
      double plon = g_ascii_strtod (PQgetvalue (candidates, i, 1), NULL);
      double plat = g_ascii_strtod (PQgetvalue (candidates, i, 2), NULL);
      gint64 picked = aq_network_pipe_at (db, plon, plat, 60, &error);
      g_autoptr(AqIsolation) iso = NULL;

      g_assert_no_error (error);
      iso = aq_network_isolate (net, db, picked, NULL, 0, TRUE, NULL, &error);
      g_assert_no_error (error);
      if (iso->close_valves->len >= 2 && iso->area->accounts > 0)
        {
          pipe = picked;
          lon = plon;
          lat = plat;
          expected = g_steal_pointer (&iso);
        }
    }
  g_assert_cmpint (pipe, >, 0);

  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "outage");
  panel = AQ_OUTAGE_PANEL (aq_window_get_panel (window, "outage"));
  aq_test_wait_for (map_sized, aq_outage_panel_get_map (panel), 20, "the map to be allocated");
  aq_test_wait_for (panel_loaded, panel, 60, "the map to open on the city");
  {
    ShumateViewport *viewport = shumate_map_get_viewport (aq_outage_panel_get_map (panel));

    shumate_viewport_set_zoom_level (viewport, 16);
    shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
  }
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* the tool's toggle in the toolbar turns it on */
  tool = aq_outage_panel_get_valves_tool (panel);
  {
    GtkWidget *toggle = aq_test_find_widget (GTK_WIDGET (panel), aq_test_match_type,
                                             (gconstpointer) GTK_TYPE_TOGGLE_BUTTON);

    g_assert_nonnull (toggle);
  }
  aq_valves_tool_set_active (tool, TRUE);
  g_assert_true (aq_valves_tool_get_active (tool));

  /* click the pipe: the valves core says, and the side pane counts its accounts */
  widget_coords (panel, lon, lat, &x, &y);
  aq_valves_tool_click (tool, x, y);
  aq_test_wait_for (tool_done, tool, 60, "the isolation");
  shown = aq_valves_tool_get_isolation (tool);
  g_assert_nonnull (shown);
  g_assert_cmpint (shown->pipe_id, ==, pipe);
  {
    g_autofree char *a = ids_text (shown->close_valves), *b = ids_text (expected->close_valves);

    g_assert_cmpstr (a, ==, b);
  }
  g_assert_cmpuint (shown->close_points->len, ==, expected->close_valves->len);
  g_assert_cmpint (shown->area->accounts, ==, expected->area->accounts);
  g_assert_cmpstr (aq_outage_panel_get_page (panel), ==, "result");

  /* the first marked valve won't close: clicked, the answer is core's with it inoperable */
  stuck_valve = g_array_index (shown->close_points, AqNetworkPoint, 0).valve_id;
  widget_coords (panel, g_array_index (shown->close_points, AqNetworkPoint, 0).lon,
                 g_array_index (shown->close_points, AqNetworkPoint, 0).lat, &x, &y);
  aq_valves_tool_click (tool, x, y);
  aq_test_wait_for (tool_done, tool, 60, "the isolation with a stuck valve");
  shown = aq_valves_tool_get_isolation (tool);
  expected_stuck = aq_network_isolate (net, db, pipe, &stuck_valve, 1, TRUE, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *a = ids_text (shown->close_valves);
    g_autofree char *b = ids_text (expected_stuck->close_valves);
    g_autofree char *c = ids_text (shown->stuck_valves);
    g_autofree char *v = g_strdup_printf ("%" G_GINT64_FORMAT, stuck_valve);

    g_assert_cmpstr (a, ==, b);
    g_assert_nonnull (strstr (c, v));
  }
  g_assert_cmpint (shown->area->accounts, ==, expected_stuck->area->accounts);
  g_assert_cmpuint (shown->isolated_segments->len, >, expected->isolated_segments->len);

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "valves-tool.png", NULL);
  save_png (GTK_WIDGET (window), png);

  /* the outage takes exactly the accounts the isolation cut off */
  aq_valves_tool_create_outage (tool);
  aq_test_wait_for (outage_created, tool, 60, "the outage");
  {
    g_autoptr(GPtrArray) ids = aq_isolation_account_ids (expected_stuck, db, &error);
    g_autofree char *expected_ids = NULL, *actual = NULL;
    g_autofree char *sql = g_strdup_printf (
      "SELECT coalesce(string_agg(account_id, ',' ORDER BY account_id), '')"
      " FROM notify.outage_account WHERE outage_id = %" G_GINT64_FORMAT,
      aq_valves_tool_get_outage_id (tool));

    g_assert_no_error (error);
    g_ptr_array_add (ids, NULL);
    expected_ids = g_strjoinv (",", (char **) ids->pdata);
    actual = aq_test_query_string (db, sql);
    g_assert_cmpstr (actual, ==, expected_ids);
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 2000, 13);
  g_test_add_func ("/valves-tool/click-stuck-create", test_click_stuck_create);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

/* test-network-layers.c — the outage map's network layers on a small real demo warehouse
 *
 * Builds a 2000-account demo warehouse and the real window; on the outage panel, centres the
 * map on a water source at street zoom and switches the three network layers on through their
 * switches in the layer list; checks that the layer fetched exactly the pipes, valves and
 * sources SQL finds in the box it covers (which holds the visible box), and saves a picture;
 * then switches the valves off, moves the map elsewhere and checks that the new box brings
 * the pipes SQL counts there and no valves.
 */
#include <adwaita.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-network-layer.h"
#include "aq-outage-panel.h"
#include "aq-panel.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_network_layers"

static AqDb *db;

static gboolean
map_sized (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 100;
}

static gboolean
layer_loaded (gpointer data)
{
  double box[4];

  return !aq_network_layer_get_loading (AQ_NETWORK_LAYER (data))
         && aq_network_layer_get_fetched_box (AQ_NETWORK_LAYER (data), box, NULL);
}

static gint64
count_in_box (const char *table,
              const double box[4],
              int          min_dn)
{
  char v[5][G_ASCII_DTOSTR_BUF_SIZE];
  const char *params[] = { v[0], v[1], v[2], v[3], v[4] };
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM dw.%s WHERE geom && ST_MakeEnvelope($1::float8, $2::float8,"
    " $3::float8, $4::float8, 4326) AND %s", table,
    g_str_equal (table, "network_pipe") ? "dn >= $5::int" : "$5::int >= 0");
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;

  for (int i = 0; i < 4; i++)
    g_ascii_dtostr (v[i], sizeof v[i], box[i]);
  g_snprintf (v[4], sizeof v[4], "%d", min_dn);
  res = aq_db_query (db, sql, 5, params, &error);
  g_assert_no_error (error);
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

static void
set_switch (AqOutagePanel *panel,
            const char    *name,
            gboolean       active)
{
  GtkWidget *toggle = aq_test_find_widget (GTK_WIDGET (panel), aq_test_match_name, name);

  g_assert_nonnull (toggle);
  g_assert_true (GTK_IS_SWITCH (toggle));
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
}

static void
centre (AqOutagePanel *panel,
        double         lat,
        double         lon)
{
  ShumateViewport *viewport = shumate_map_get_viewport (aq_outage_panel_get_map (panel));

  shumate_viewport_set_zoom_level (viewport, 16);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), lat, lon);
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
test_layers (void)
{
  g_autoptr(AqConnectionMonitor) monitor = aq_connection_monitor_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) places = NULL;
  g_autofree char *png = NULL;
  AqOutagePanel *panel;
  AqNetworkLayer *layer;
  AqWindow *window;
  double box[4];
  int min_dn = -1;
  gint64 pipes, valves, sources;

  /* a source, and the pipe farthest from it */
  places = aq_db_query (db, "(SELECT ST_Y(geom), ST_X(geom) FROM dw.network_source"
                            "  ORDER BY source_id LIMIT 1)"
                            " UNION ALL (SELECT ST_Y(ST_PointN(p.geom, 1)), ST_X(ST_PointN(p.geom, 1))"
                            "  FROM dw.network_pipe p, dw.network_source s WHERE s.source_id ="
                            "   (SELECT min(source_id) FROM dw.network_source)"
                            "  ORDER BY ST_Distance(p.geom, s.geom) DESC LIMIT 1)",
                        0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (places), ==, 2);

  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 900);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "outage");
  panel = AQ_OUTAGE_PANEL (aq_window_get_panel (window, "outage"));
  layer = aq_outage_panel_get_network_layer (panel);
  aq_test_wait_for (map_sized, aq_outage_panel_get_map (panel), 20, "the map to be allocated");
  aq_test_wait_for (aq_test_panel_loaded, panel, 60, "the map to open on the city");
  /* off until switched on */
  g_assert_false (aq_network_layer_get_kind_visible (layer, AQ_NETWORK_FEATURE_PIPE));
  centre (panel, g_ascii_strtod (PQgetvalue (places, 0, 0), NULL),
          g_ascii_strtod (PQgetvalue (places, 0, 1), NULL));
  set_switch (panel, "Network pipes (by diameter)", TRUE);
  set_switch (panel, "Network valves (open, closed, broken)", TRUE);
  set_switch (panel, "Water sources (plants, tanks)", TRUE);
  g_assert_true (aq_network_layer_get_kind_visible (layer, AQ_NETWORK_FEATURE_VALVE));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  aq_test_wait_for (layer_loaded, layer, 60, "the network layers");

  g_assert_true (aq_network_layer_get_fetched_box (layer, box, &min_dn));
  g_assert_cmpint (min_dn, ==, 0);
  pipes = count_in_box ("network_pipe", box, 0);
  valves = count_in_box ("network_valve", box, 0);
  sources = count_in_box ("network_source", box, 0);
  g_test_message ("box %g,%g %g,%g: %" G_GINT64_FORMAT " pipes, %" G_GINT64_FORMAT " valves, %"
                  G_GINT64_FORMAT " sources", box[0], box[1], box[2], box[3], pipes, valves,
                  sources);
  g_assert_cmpint (pipes, >, 0);
  g_assert_cmpint (valves, >, 0);
  g_assert_cmpint (sources, >=, 1);
  g_assert_cmpuint (aq_network_layer_get_n_features (layer, AQ_NETWORK_FEATURE_PIPE), ==, pipes);
  g_assert_cmpuint (aq_network_layer_get_n_features (layer, AQ_NETWORK_FEATURE_VALVE), ==,
                    valves);
  g_assert_cmpuint (aq_network_layer_get_n_features (layer, AQ_NETWORK_FEATURE_SOURCE), ==,
                    sources);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "network-layers.png", NULL);
  save_png (GTK_WIDGET (window), png);

  /* valves off, map elsewhere: the new box's pipes, no valves */
  set_switch (panel, "Network valves (open, closed, broken)", FALSE);
  g_assert_false (aq_network_layer_get_kind_visible (layer, AQ_NETWORK_FEATURE_VALVE));
  centre (panel, g_ascii_strtod (PQgetvalue (places, 1, 0), NULL),
          g_ascii_strtod (PQgetvalue (places, 1, 1), NULL));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  aq_test_wait_for (layer_loaded, layer, 60, "the network layers elsewhere");
  {
    double box2[4];

    g_assert_true (aq_network_layer_get_fetched_box (layer, box2, &min_dn));
    g_assert_true (box2[0] != box[0] || box2[1] != box[1]);
    pipes = count_in_box ("network_pipe", box2, min_dn);
    g_assert_cmpint (pipes, >, 0);
    g_assert_cmpuint (aq_network_layer_get_n_features (layer, AQ_NETWORK_FEATURE_PIPE), ==,
                      pipes);
    g_assert_cmpuint (aq_network_layer_get_n_features (layer, AQ_NETWORK_FEATURE_VALVE), ==, 0);
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
  g_test_add_func ("/network-layers/counts-toggle", test_layers);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

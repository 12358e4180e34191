/* test-network-layers.c — the outage map's network layers on a small real demo warehouse
 *
 * Builds a 2000-account demo warehouse and the real window; on the outage panel, centres the
 * map on a water source at street zoom and switches the three network layers on through their
 * switches in the layer list; checks that the layer fetched exactly the pipes, valves and
 * sources SQL finds in the box it covers (which holds the visible box), and saves a picture;
 * then switches the valves off, moves the map elsewhere and checks that the new box brings
 * the pipes SQL counts there and no valves.
 *
 * Between the two, the card: a click on a drawn valve opens its card (id, DN, status) and
 * "Won't Close" hands over to the Valves tool, which isolates a burst on the valve's pipe
 * with it stuck, as core does; a click on a pipe opens its card (DN, material, year) and
 * "Isolate This Pipe" gives core's isolation of that pipe; the card closes while the tool is
 * on. Pictures of both cards are saved.
 */
#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "aq-test-ui.h"
#include "aq-test-util.h"

#include "aq-network-layer.h"
#include "aq-outage-panel.h"
#include "aq-valves-tool.h"
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

static gboolean
tool_done (gpointer data)
{
  return !aq_valves_tool_get_busy (AQ_VALVES_TOOL (data))
         && aq_valves_tool_get_isolation (AQ_VALVES_TOOL (data)) != NULL;
}

static char *
id_list (GArray *a)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (a, gint64, i));
  return g_string_free (s, FALSE);
}

/* The window with the layer's card painted where it points (a popover is a surface of its
 * own, which a snapshot of the window leaves out). */
static void
save_png_with_card (GtkWidget      *window,
                    AqNetworkLayer *layer,
                    double          x,
                    double          y,
                    const char     *path)
{
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  GtkWidget *card = aq_network_layer_get_card (layer);
  int cw = gtk_widget_get_width (card), ch = gtk_widget_get_height (card);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  g_autoptr(GdkPaintable) card_paint = gtk_widget_paintable_new (card);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  graphene_point_t p;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (layer), window,
                                           &GRAPHENE_POINT_INIT (x, y), &p));
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  gtk_snapshot_save (snapshot);
  /* below the point, its arrow's tip on it (the popover's shadow margin lies above the tip) */
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (p.x - cw / 2.0, p.y - 25));
  gdk_paintable_snapshot (card_paint, snapshot, cw, ch);
  gtk_snapshot_restore (snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static const char *
card_details (AqNetworkLayer *layer)
{
  GtkWidget *label = aq_test_find_widget (aq_network_layer_get_card (layer), aq_test_match_name,
                                          "network-card-details");

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static void
press_card_button (AqNetworkLayer *layer,
                   const char     *name)
{
  GtkWidget *button = aq_test_find_widget (aq_network_layer_get_card (layer),
                                           aq_test_match_name, name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* Clicks the first fetched feature of @kind whose mark on screen the layer picks as itself;
 * returns it and where it was clicked. */
static const AqNetworkFeature *
click_feature (AqNetworkLayer       *layer,
               AqNetworkFeatureKind  kind,
               double               *x,
               double               *y)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (layer));
  int w = gtk_widget_get_width (GTK_WIDGET (layer)), h = gtk_widget_get_height (GTK_WIDGET (layer));

  for (guint i = 0;; i++)
    {
      const AqNetworkFeature *f = aq_network_layer_get_feature (layer, kind, i);
      double lon, lat;

      g_assert_nonnull (f);
      /* not the trunk main's valves: they sit under the source's mark */
      if (f->coords->len < (kind == AQ_NETWORK_FEATURE_PIPE ? 4u : 2u)
          || (kind == AQ_NETWORK_FEATURE_VALVE && f->dn >= 800))
        continue;
      lon = g_array_index (f->coords, double, 0);
      lat = g_array_index (f->coords, double, 1);
      if (kind == AQ_NETWORK_FEATURE_PIPE)
        {
          lon = (lon + g_array_index (f->coords, double, 2)) / 2;
          lat = (lat + g_array_index (f->coords, double, 3)) / 2;
        }
      shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), lat, lon, x, y);
      if (*x < w * 0.3 || *x > w * 0.7 || *y < h * 0.2 || *y > h * 0.6)
        continue;
      if (aq_network_layer_click (layer, *x, *y)
          && aq_network_layer_get_picked (layer)->kind == kind
          && aq_network_layer_get_picked (layer)->id == f->id)
        return f;
    }
}

static void
test_card (AqWindow       *window,
           AqOutagePanel  *panel,
           AqNetworkLayer *layer)
{
  AqValvesTool *tool = aq_outage_panel_get_valves_tool (panel);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqNetwork) net = aq_network_load (db, &error);
  g_autofree char *png = NULL;
  const AqNetworkFeature *f;
  const AqIsolation *shown;
  gint64 valve, valve_pipe, pipe;
  double x, y;

  g_assert_no_error (error);
  g_assert_false (aq_valves_tool_get_active (tool));

  /* a valve: its card, "Won't Close": a burst on its pipe with it stuck, as core has it */
  f = click_feature (layer, AQ_NETWORK_FEATURE_VALVE, &x, &y);
  valve = f->id;
  valve_pipe = f->pipe_id;
  g_assert_cmpint (valve_pipe, >, 0);
  g_assert_true (gtk_widget_get_visible (aq_network_layer_get_card (layer)));
  {
    g_autofree char *dn = g_strdup_printf ("%d", f->dn);
    g_autofree char *on = g_strdup_printf ("%" G_GINT64_FORMAT, valve_pipe);

    g_assert_nonnull (strstr (card_details (layer), dn));
    g_assert_nonnull (strstr (card_details (layer), on));
  }
  gtk_test_widget_wait_for_draw (aq_network_layer_get_card (layer));
  png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "network-valve-card.png", NULL);
  save_png_with_card (GTK_WIDGET (window), layer, x, y, png);
  g_clear_pointer (&png, g_free);
  press_card_button (layer, "network-wont-close");
  g_assert_true (aq_valves_tool_get_active (tool));
  aq_test_wait_for (tool_done, tool, 60, "the isolation with the valve stuck");
  shown = aq_valves_tool_get_isolation (tool);
  g_assert_cmpint (shown->pipe_id, ==, valve_pipe);
  {
    g_autoptr(AqIsolation) expected = aq_network_isolate (net, db, valve_pipe, &valve, 1, FALSE,
                                                          NULL, &error);
    g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *v = NULL;

    g_assert_no_error (error);
    a = id_list (shown->close_valves);
    b = id_list (expected->close_valves);
    c = id_list (shown->stuck_valves);
    d = id_list (expected->stuck_valves);
    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (c, ==, d);
    v = g_strdup_printf ("%" G_GINT64_FORMAT, valve);
    g_assert_nonnull (strstr (c, v));
    g_assert_cmpint (shown->area->accounts, ==, expected->area->accounts);
  }
  /* while the tool takes the clicks, a click opens no card */
  g_assert_false (aq_network_layer_click (layer, x, y));
  g_assert_false (gtk_widget_get_visible (aq_network_layer_get_card (layer)));

  /* a pipe: its card, "Isolate This Pipe": core's isolation of it, every valve trusted */
  aq_valves_tool_set_active (tool, FALSE);
  f = click_feature (layer, AQ_NETWORK_FEATURE_PIPE, &x, &y);
  pipe = f->id;
  {
    g_autofree char *dn = g_strdup_printf ("%d", f->dn);

    g_assert_nonnull (strstr (card_details (layer), dn));
    if (f->year > 0)
      {
        g_autofree char *year = g_strdup_printf ("%d", f->year);

        g_assert_nonnull (strstr (card_details (layer), year));
      }
  }
  gtk_test_widget_wait_for_draw (aq_network_layer_get_card (layer));
  png = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "network-pipe-card.png", NULL);
  save_png_with_card (GTK_WIDGET (window), layer, x, y, png);
  press_card_button (layer, "network-isolate-pipe");
  g_assert_true (aq_valves_tool_get_active (tool));
  aq_test_wait_for (tool_done, tool, 60, "the isolation of the pipe");
  shown = aq_valves_tool_get_isolation (tool);
  g_assert_cmpint (shown->pipe_id, ==, pipe);
  g_assert_cmpuint (shown->stuck_valves->len, ==, 0);
  {
    g_autoptr(AqIsolation) expected = aq_network_isolate (net, db, pipe, NULL, 0, FALSE, NULL,
                                                          &error);
    g_autofree char *a = NULL, *b = NULL;

    g_assert_no_error (error);
    a = id_list (shown->close_valves);
    b = id_list (expected->close_valves);
    g_assert_cmpstr (a, ==, b);
  }
  aq_valves_tool_set_active (tool, FALSE);
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

  test_card (window, panel, layer);

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
  /* pictures in another language: LANGUAGE=zh_CN AQ_TEST_LOCALEDIR=builddir/po */
  if (g_getenv ("AQ_TEST_LOCALEDIR") != NULL)
    {
      setlocale (LC_ALL, "");
      bindtextdomain ("aqueduct", g_getenv ("AQ_TEST_LOCALEDIR"));
      bind_textdomain_codeset ("aqueduct", "UTF-8");
      textdomain ("aqueduct");
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();
  db = aq_test_demo_db_new (DB_NAME, 2000, 13);
  g_test_add_func ("/network-layers/counts-toggle", test_layers);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

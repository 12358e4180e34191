/* bench-cockpit.c — from opening a dashboard to all its tiles filled, in the real view
 *
 *   AQUEDUCT_DATABASE_URL=… xvfb-run -a -s "-screen 0 3840x2160x24" \
 *     builddir/tests/bench/bench-cockpit [NAME] [RUNS] [IDLE_SECONDS] [--no-tiles] [--no-4k]
 *     [--kiosk-refresh SECONDS]
 *   (default marketing_cockpit, 5 runs, 60 s idle)
 *
 * 1. Opens the stored dashboard NAME in an AqDashboardView (1280 × 800 cockpit, or the
 *    1920 × 1080 kiosk canvas for a screen) in a fresh process: the clock starts when the
 *    dashboard is set (the tiles start their aq_db_jobs, at most four at a time) and stops when
 *    every tile has its figures AND the frame clock has painted the next frame. Run 1 is the
 *    first open (the catalog loaded, the pooled connections opened); the later runs a refresh.
 * 2. (unless --no-tiles) Each tile's figures fetched one after the other on one connection,
 *    with the time each took (where a slow fill comes from), and the whole dashboard drawn
 *    headless at 4K (3840 × 2160, the 1920 × 1080 canvas at scale 2) with
 *    aq_dashboard_paint(): the cairo and pango cost of redrawing every tile, without GTK.
 * 3. (unless --no-4k) A 3840 × 2160 window of the kiosk canvas: the mean frame, asked to
 *    painted, when the whole view is redrawn and when one tile is (what a refresh of a tile or
 *    a ticker step damages); then the frame split: the app's own snapshot (the view's snapshot
 *    with every tile re-snapshotted, their textures kept) and GSK's rendering of that node to a
 *    texture with the window's renderer and with the cairo renderer.
 * 4. (IDLE_SECONDS > 0) The kiosk left alone for IDLE_SECONDS: the process's CPU time, and the
 *    whole machine's busy time from /proc/stat (the warehouse's queries included), as a share
 *    of one core. --kiosk-refresh SECONDS sets every tile's refresh interval (the dashboards'
 *    60 s, or shorter to see more refreshes in a short run, the cost then scaled per 60 s).
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "aq-dashboard-delivery.h"
#include "aq-dashboard-store.h"
#include "aq-dashboard-view.h"
#include "aq-ui.h"
#include "aqueduct-core.h"

static gboolean done;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  AqDashboardView *view = user_data;

  if (!aq_dashboard_view_get_loading (view))
    done = TRUE;
}

/* busy jiffies of the whole machine (every core), from /proc/stat */
static double
machine_busy_seconds (void)
{
  unsigned long long v[8] = { 0 };
  FILE *f = fopen ("/proc/stat", "r");

  if (f == NULL)
    return 0;
  if (fscanf (f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
              &v[4], &v[5], &v[6], &v[7]) != 8)
    v[0] = 0;
  fclose (f);
  /* user nice system (idle) (iowait) irq softirq steal */
  return (double) (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / sysconf (_SC_CLK_TCK);
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
wait_painted (AqDashboardView *view,
              GtkWidget       *queue)
{
  done = FALSE;
  if (queue)
    gtk_widget_queue_draw (queue);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* the view's own snapshot, every tile re-snapshotted (their textures kept), as a frame does */
static GskRenderNode *
app_snapshot (AqDashboardView *view,
              double          *ms)
{
  GtkSnapshot *snapshot;
  double start;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view)); child;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_queue_draw (child);
  start = now_ms ();
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (view)->snapshot (GTK_WIDGET (view), snapshot);
  *ms = now_ms () - start;
  return gtk_snapshot_free_to_node (snapshot);
}

static double
render_ms (GskRenderer   *renderer,
           GskRenderNode *node,
           int            frames)
{
  double start = now_ms ();

  for (int i = 0; i < frames; i++)
    {
      GdkTexture *texture = gsk_renderer_render_texture (renderer, node, NULL);

      g_object_unref (texture);
    }
  return (now_ms () - start) / frames;
}

int
main (int   argc,
      char *argv[])
{
  const char *name = "marketing_cockpit";
  int runs = 5, idle = 60, kiosk_refresh = 0, positional = 0;
  gboolean tiles = TRUE, frames4k = TRUE;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqDashboard) dashboard = NULL;
  GtkWindow *window;
  AqDashboardView *view;
  GdkFrameClock *clock;
  gulong handler;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--no-tiles") == 0)
      tiles = FALSE;
    else if (strcmp (argv[i], "--no-4k") == 0)
      frames4k = FALSE;
    else if (strcmp (argv[i], "--kiosk-refresh") == 0 && i + 1 < argc)
      kiosk_refresh = atoi (argv[++i]);
    else if (positional == 0 && ++positional)
      name = argv[i];
    else if (positional == 1 && ++positional)
      runs = atoi (argv[i]);
    else if (positional == 2 && ++positional)
      idle = atoi (argv[i]);

  gtk_init ();
  adw_init ();
  aq_ui_init ();
  {
    g_autofree char *conninfo = aq_connection_resolve (NULL, &error);

    db = conninfo ? aq_db_connect (conninfo, &error) : NULL;
  }
  if (db == NULL)
    g_error ("%s", error->message);
  dashboard = aq_dashboard_store_open (db, name, 0, NULL, &error);
  if (dashboard == NULL)
    g_error ("%s", error->message);
  if (kiosk_refresh > 0)
    for (guint i = 0; i < dashboard->tiles->len; i++)
      ((AqDashboardTile *) dashboard->tiles->pdata[i])->refresh = kiosk_refresh;

  /* 1. the view: first open, then refreshes */
  window = GTK_WINDOW (gtk_window_new ());
  view = aq_dashboard_view_new (dashboard->kind == AQ_DASHBOARD_SCREEN ? AQ_TILE_STYLE_SCREEN
                                                                       : AQ_TILE_STYLE_COCKPIT);
  if (dashboard->kind == AQ_DASHBOARD_SCREEN)
    aq_dashboard_view_set_canvas (view, AQ_KIOSK_CANVAS_WIDTH, AQ_KIOSK_CANVAS_HEIGHT);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_set_default_size (window, dashboard->kind == AQ_DASHBOARD_SCREEN ? 1920 : 1280,
                               dashboard->kind == AQ_DASHBOARD_SCREEN ? 1080 : 800);
  gtk_window_present (window);
  aq_dashboard_view_set_conninfo (view, NULL);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  while (clock == NULL)
    {
      g_main_context_iteration (NULL, TRUE);
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
    }
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), view);

  g_print ("%s: %u tiles\n", name, dashboard->tiles->len);
  for (int r = 0; r < runs; r++)
    {
      double start = now_ms ();

      done = FALSE;
      aq_dashboard_view_set_dashboard (view, dashboard);
      while (!done)
        {
          gtk_widget_queue_draw (GTK_WIDGET (view));
          g_main_context_iteration (NULL, TRUE);
        }
      g_print ("%s %d: all %u tiles filled and painted in %.0f ms (%u filled)\n",
               r == 0 ? "first open" : "refresh", r + 1, dashboard->tiles->len,
               now_ms () - start, aq_dashboard_view_get_n_filled (view));
    }
  g_signal_handler_disconnect (clock, handler);

  /* 2. each tile on its own, one after the other; then every tile drawn headless at 4K */
  if (tiles)
    {
      g_autoptr(AqCatalog) catalog = NULL;
      g_autoptr(GPtrArray) data = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_tile_data_free);
      cairo_surface_t *surface;
      double total = 0, start;
      int frames = 5;

      start = now_ms ();
      {
        g_autofree char *conninfo = aq_connection_resolve (NULL, &error);
        g_autoptr(AqDb) other = conninfo ? aq_db_connect (conninfo, &error) : NULL;

        if (other == NULL)
          g_error ("%s", error->message);
      }
      g_print ("a new warehouse connection: %.1f ms\n", now_ms () - start);
      start = now_ms ();
      catalog = aq_catalog_load (db, NULL, &error);
      if (catalog == NULL)
        g_error ("%s", error->message);
      g_print ("the catalog loaded: %.1f ms\n", now_ms () - start);
      for (guint i = 0; i < dashboard->tiles->len; i++)
        {
          AqDashboardTile *tile = dashboard->tiles->pdata[i];
          g_autoptr(GError) tile_error = NULL;
          AqTileData *d;

          start = now_ms ();
          d = aq_tile_data_fetch (db, catalog, dashboard, tile, NULL, &tile_error);
          g_print ("tile %-20s %7.1f ms%s%s\n", tile->id, now_ms () - start,
                   tile_error ? "  " : "", tile_error ? tile_error->message : "");
          total += now_ms () - start;
          g_ptr_array_add (data, d);
        }
      g_print ("all %u tiles one after the other: %.0f ms\n", dashboard->tiles->len, total);
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 3840, 2160);
      start = now_ms ();
      for (int f = 0; f < frames; f++)
        {
          cairo_t *cr = cairo_create (surface);

          cairo_scale (cr, 2, 2);
          aq_dashboard_paint (cr, dashboard, data, NULL, AQ_KIOSK_CANVAS_WIDTH,
                              AQ_KIOSK_CANVAS_HEIGHT);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
        }
      g_print ("4K headless (cairo + pango, every tile redrawn): %.1f ms per frame\n",
               (now_ms () - start) / frames);
      cairo_surface_destroy (surface);
    }

  /* 3. 4K frames of the kiosk canvas: a new 3840 × 2160 window, each frame asked for and
   * painted (layout, snapshot of every tile, render), then the split */
  if (frames4k)
    {
      int frames = 30;
      double whole = 0, one = 0, snap = 0, start;
      GtkWidget *first_tile;
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GskRenderer) cairo_renderer = NULL;

      gtk_window_destroy (window);
      window = GTK_WINDOW (gtk_window_new ());
      view = aq_dashboard_view_new (AQ_TILE_STYLE_SCREEN);
      aq_dashboard_view_set_canvas (view, AQ_KIOSK_CANVAS_WIDTH, AQ_KIOSK_CANVAS_HEIGHT);
      gtk_window_set_child (window, GTK_WIDGET (view));
      gtk_window_set_default_size (window, 3840, 2160);
      gtk_window_present (window);
      aq_dashboard_view_set_conninfo (view, NULL);
      aq_dashboard_view_set_dashboard (view, dashboard);
      while (aq_dashboard_view_get_loading (view)
             || gtk_widget_get_frame_clock (GTK_WIDGET (window)) == NULL)
        g_main_context_iteration (NULL, TRUE);
      clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
      handler = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), view);
      wait_painted (view, GTK_WIDGET (view));        /* the tiles' textures drawn once */
      first_tile = gtk_widget_get_first_child (GTK_WIDGET (view));
      for (int i = 0; i < frames; i++)
        {
          start = now_ms ();
          wait_painted (view, GTK_WIDGET (view));
          whole += now_ms () - start;
          start = now_ms ();
          wait_painted (view, first_tile);
          one += now_ms () - start;
        }
      g_signal_handler_disconnect (clock, handler);
      g_print ("4K frame (%d × %d, canvas scale %.2f, renderer %s): %.1f ms per frame, whole "
               "view redrawn; %.1f ms one tile redrawn (asked to painted)\n",
               gtk_widget_get_width (GTK_WIDGET (view)),
               gtk_widget_get_height (GTK_WIDGET (view)), aq_dashboard_view_get_scale (view),
               G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
               whole / frames, one / frames);
      for (int i = 0; i < frames; i++)
        {
          double ms;

          g_clear_pointer (&node, gsk_render_node_unref);
          node = app_snapshot (view, &ms);
          snap += ms;
        }
      g_print ("4K split: the app's snapshot %.2f ms; GSK render to a texture: %s %.1f ms",
               snap / frames, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
               render_ms (gtk_native_get_renderer (GTK_NATIVE (window)), node, 10));
      cairo_renderer = gsk_cairo_renderer_new ();
      if (gsk_renderer_realize (cairo_renderer, gtk_native_get_surface (GTK_NATIVE (window)),
                                NULL))
        {
          g_print (", GskCairoRenderer %.1f ms", render_ms (cairo_renderer, node, 10));
          gsk_renderer_unrealize (cairo_renderer);
        }
      g_print ("\n");
    }

  /* 4. an idle kiosk between refreshes */
  if (idle > 0)
    {
      double cpu0 = cpu_seconds (), busy0 = machine_busy_seconds ();
      gint64 end = g_get_monotonic_time () + (gint64) idle * G_USEC_PER_SEC;
      int interval = aq_dashboard_tile_get_refresh (dashboard->tiles->pdata[0], dashboard);

      while (g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      g_print ("idle kiosk over %d s (tiles refresh every %d s): the process %.2f %% of one core, "
               "the whole machine %.2f %% of one core\n", idle, interval,
               (cpu_seconds () - cpu0) / idle * 100,
               (machine_busy_seconds () - busy0) / idle * 100);
    }
  gtk_window_destroy (window);
  return 0;
}

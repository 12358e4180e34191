/* bench-cockpit.c — from opening a dashboard to all its tiles filled, in the real view
 *
 *   AQUEDUCT_DATABASE_URL=… xvfb-run -a -s "-screen 0 1920x1080x24" \
 *     builddir/tests/bench/bench-cockpit [NAME] [RUNS] [IDLE_SECONDS]
 *   (default marketing_cockpit, 5 runs, 60 s idle)
 *
 * First each tile's figures are fetched one after the other on one connection, with the time
 * each took (where a slow fill comes from), and the whole dashboard is drawn headless at 4K
 * (3840 × 2160, the 1920 × 1080 canvas at scale 2) with aq_dashboard_paint(): the cairo and
 * pango cost of redrawing every tile, without GTK.
 *
 * Opens the stored dashboard NAME in an AqDashboardView (1280 × 800 cockpit, or the 1920 × 1080
 * kiosk canvas for a screen), starts the clock when the dashboard is set (each tile starts its
 * own aq_db_job at once) and stops it when every tile has its figures AND the frame clock has
 * painted the next frame. The first run includes loading the catalog and opening pooled
 * connections; the later ones show a refresh. Then it draws one 4K frame of the kiosk canvas
 * (3840 × 2160) repeatedly and prints the mean time per frame, and it measures the process's
 * CPU time over 60 s of an idle kiosk between refreshes (the one-second staleness tick).
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
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

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  const char *name = argc > 1 ? argv[1] : "marketing_cockpit";
  int runs = argc > 2 ? atoi (argv[2]) : 5;
  int idle = argc > 3 ? atoi (argv[3]) : 60;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqDashboard) dashboard = NULL;
  GtkWindow *window;
  AqDashboardView *view;
  GdkFrameClock *clock;
  gulong handler;

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

  /* each tile on its own, one after the other; then every tile drawn headless at 4K */
  {
    g_autoptr(AqCatalog) catalog = NULL;
    g_autoptr(GPtrArray) data = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_tile_data_free);
    cairo_surface_t *surface;
    gint64 total = 0, start;
    int frames = 5;

    start = g_get_monotonic_time ();
    {
      g_autofree char *conninfo = aq_connection_resolve (NULL, &error);
      g_autoptr(AqDb) other = conninfo ? aq_db_connect (conninfo, &error) : NULL;

      if (other == NULL)
        g_error ("%s", error->message);
    }
    g_print ("a new warehouse connection: %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
    start = g_get_monotonic_time ();
    catalog = aq_catalog_load (db, NULL, &error);
    if (catalog == NULL)
      g_error ("%s", error->message);
    g_print ("the catalog loaded: %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
    for (guint i = 0; i < dashboard->tiles->len; i++)
      {
        AqDashboardTile *tile = dashboard->tiles->pdata[i];
        g_autoptr(GError) tile_error = NULL;
        AqTileData *d;

        start = g_get_monotonic_time ();
        d = aq_tile_data_fetch (db, catalog, dashboard, tile, NULL, &tile_error);
        g_print ("tile %-20s %7.1f ms%s%s\n", tile->id, (g_get_monotonic_time () - start) / 1000.0,
                 tile_error ? "  " : "", tile_error ? tile_error->message : "");
        total += g_get_monotonic_time () - start;
        g_ptr_array_add (data, d);
      }
    g_print ("all %u tiles one after the other: %.0f ms\n", dashboard->tiles->len,
             total / 1000.0);
    surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 3840, 2160);
    start = g_get_monotonic_time ();
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
             (g_get_monotonic_time () - start) / 1000.0 / frames);
    cairo_surface_destroy (surface);
  }

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
      gint64 start = g_get_monotonic_time ();

      done = FALSE;
      aq_dashboard_view_set_dashboard (view, dashboard);
      while (!done)
        {
          gtk_widget_queue_draw (GTK_WIDGET (view));
          g_main_context_iteration (NULL, TRUE);
        }
      g_print ("run %d: all %u tiles filled and painted in %.0f ms (%u filled)\n", r + 1,
               dashboard->tiles->len, (g_get_monotonic_time () - start) / 1000.0,
               aq_dashboard_view_get_n_filled (view));
    }
  g_signal_handler_disconnect (clock, handler);

  /* 4K frames of the kiosk canvas: a new 3840 × 2160 window, each frame asked for and
   * painted (layout, snapshot of every tile, render) */
  {
    int frames = 30;
    gint64 total = 0;

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
    for (int i = 0; i < frames; i++)
      {
        gint64 start = g_get_monotonic_time ();

        done = FALSE;
        gtk_widget_queue_draw (GTK_WIDGET (view));
        while (!done)
          g_main_context_iteration (NULL, TRUE);
        total += g_get_monotonic_time () - start;
      }
    g_signal_handler_disconnect (clock, handler);
    g_print ("4K frame (%d × %d, canvas scale %.2f): %.1f ms per frame, asked to painted\n",
             gtk_widget_get_width (GTK_WIDGET (view)), gtk_widget_get_height (GTK_WIDGET (view)),
             aq_dashboard_view_get_scale (view), total / 1000.0 / frames);
  }

  /* an idle kiosk between refreshes */
  {
    double cpu0 = cpu_seconds ();
    gint64 end = g_get_monotonic_time () + (gint64) idle * G_USEC_PER_SEC;

    while (idle > 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, TRUE);
    if (idle > 0)
      g_print ("idle between refreshes: %.2f %% of one core over %d s\n",
               (cpu_seconds () - cpu0) / idle * 100, idle);
  }
  gtk_window_destroy (window);
  return 0;
}

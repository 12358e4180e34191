/* test-kiosk.c — the big-screen window: the 1920×1080 canvas at 1920×1080 and at 3840×2160,
 * rotation round after round, and the staleness badge when the warehouse goes away and
 * comes back; a shipped screen's tiles all filled with real figures. */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <string.h>

#include "aq-test-util.h"
#include "aq-test-ui.h"
#include "aqueduct-core.h"
#include "aq-dashboard-store.h"
#include "aq-chart.h"
#include "aq-kiosk-window.h"
#include "aq-map-features.h"
#include "aq-tile-draw.h"
#include "aq-tile-view.h"
#include "aq-ui.h"

#define DB_NAME "t_kiosk"

static char *conninfo;
static AqDb *demo_db;

static gboolean
kiosk_loaded (gpointer data)
{
  return !aq_kiosk_window_get_loading (data);
}

static AqKioskWindow *
open_kiosk (const char * const *names,
            guint               rotate,
            int                 width,
            int                 height)
{
  AqKioskWindow *kiosk = aq_kiosk_window_new (NULL, conninfo, names, rotate);

  gtk_window_set_default_size (GTK_WINDOW (kiosk), width, height);
  gtk_window_present (GTK_WINDOW (kiosk));
  aq_test_wait_for (kiosk_loaded, kiosk, 120, "the big screens");
  g_assert_null (aq_kiosk_window_get_error (kiosk));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (kiosk));
  return kiosk;
}

static void
test_canvas_scales (void)
{
  const char * const names[] = { "operations_screen", NULL };
  AqKioskWindow *hd = open_kiosk (names, 0, 1920, 1080);
  AqKioskWindow *uhd = open_kiosk (names, 0, 3840, 2160);
  AqDashboardView *a = aq_kiosk_window_get_view (hd, 0);
  AqDashboardView *b = aq_kiosk_window_get_view (uhd, 0);
  AqDashboard *d = aq_dashboard_view_get_dashboard (a);

  g_assert_nonnull (d);
  g_assert_cmpstr (d->title, ==, "运营总览");
  /* the window gets the size asked for when the Xvfb screen is that large (run this test
   * under -screen 0 3840x2160x24 for the 4K case); either way the canvas is scaled by the
   * smaller of the two ratios and the tiles land in the same logical places */
  for (guint k = 0; k < 2; k++)
    {
      AqDashboardView *v = k == 0 ? a : b;
      double sw = gtk_widget_get_width (GTK_WIDGET (v)) / (double) AQ_KIOSK_CANVAS_WIDTH;
      double sh = gtk_widget_get_height (GTK_WIDGET (v)) / (double) AQ_KIOSK_CANVAS_HEIGHT;

      g_assert_cmpfloat_with_epsilon (aq_dashboard_view_get_scale (v), MIN (sw, sh), 1e-9);
    }
  if (gtk_widget_get_width (GTK_WIDGET (b)) == 3840)
    g_assert_cmpfloat_with_epsilon (aq_dashboard_view_get_scale (b), 2.0, 1e-9);
  /* every tile filled with figures, none stale */
  g_assert_cmpuint (aq_dashboard_view_get_n_filled (a), ==, d->tiles->len);
  g_assert_cmpuint (aq_dashboard_view_get_n_filled (b), ==, d->tiles->len);
  g_assert_cmpuint (aq_dashboard_view_get_n_stale (a), ==, 0);
  /* the same place on the canvas at both sizes, inside the canvas, no reflow */
  for (guint i = 0; i < d->tiles->len; i++)
    {
      AqDashboardTile *t = d->tiles->pdata[i];
      graphene_rect_t ra, rb;

      g_assert_true (aq_dashboard_view_get_tile_rect (a, t->id, &ra));
      g_assert_true (aq_dashboard_view_get_tile_rect (b, t->id, &rb));
      g_assert_cmpfloat (fabs (ra.origin.x - rb.origin.x), <=, 1);
      g_assert_cmpfloat (fabs (ra.origin.y - rb.origin.y), <=, 1);
      g_assert_cmpfloat (fabs (ra.size.width - rb.size.width), <=, 1);
      g_assert_cmpfloat (fabs (ra.size.height - rb.size.height), <=, 1);
      g_assert_cmpfloat (ra.origin.x, >=, 0);
      g_assert_cmpfloat (ra.origin.y, >=, 0);
      g_assert_cmpfloat (ra.origin.x + ra.size.width, <=, AQ_KIOSK_CANVAS_WIDTH + 1);
      g_assert_cmpfloat (ra.origin.y + ra.size.height, <=, AQ_KIOSK_CANVAS_HEIGHT + 1);
      /* a 3-column tile is three cells and two gaps of the 12-column canvas */
      g_assert_cmpfloat (fabs (ra.size.width - (t->w * (1920 - 13 * 12.0) / 12
                                                + (t->w - 1) * 12.0)), <=, 1.5);
    }
  gtk_window_destroy (GTK_WINDOW (hd));
  gtk_window_destroy (GTK_WINDOW (uhd));
}

typedef struct
{
  AqKioskWindow *kiosk;
  guint          seen[2];
  guint          changes;
  guint          last;
} Rotation;

static gboolean
rotated_enough (gpointer data)
{
  Rotation *r = data;
  guint current = aq_kiosk_window_get_current (r->kiosk);

  if (current != r->last)
    {
      r->changes++;
      r->last = current;
      r->seen[current]++;
    }
  return r->changes >= 4;
}

static void
test_rotation (void)
{
  const char * const names[] = { "operations_screen", "service_screen", NULL };
  AqKioskWindow *kiosk = open_kiosk (names, 0, 1280, 720);
  Rotation r = { kiosk, { 0, 0 }, 0, 0 };
  guint start;

  g_assert_cmpuint (aq_kiosk_window_get_n_views (kiosk), ==, 2);
  /* by hand: 0 → 1 → 0 → 1 (from whichever opened first), round after round, the window
   * unchanged */
  start = aq_kiosk_window_get_current (kiosk);
  for (guint i = 1; i <= 5; i++)
    {
      aq_kiosk_window_rotate (kiosk);
      g_assert_cmpuint (aq_kiosk_window_get_current (kiosk), ==, (start + i) % 2);
      g_assert_false (gtk_window_get_decorated (GTK_WINDOW (kiosk)));
      g_assert_true (gtk_widget_get_visible (GTK_WIDGET (kiosk)));
    }
  gtk_window_destroy (GTK_WINDOW (kiosk));

  /* by the timer (1 s): four turns, both dashboards twice */
  kiosk = open_kiosk (names, 1, 1280, 720);
  r.kiosk = kiosk;
  r.last = aq_kiosk_window_get_current (kiosk);
  aq_test_wait_for (rotated_enough, &r, 30, "four turns of the rotation");
  g_assert_cmpuint (r.seen[0], >=, 2);
  g_assert_cmpuint (r.seen[1], >=, 2);
  g_assert_cmpstr (aq_dashboard_view_get_dashboard (aq_kiosk_window_get_view (kiosk, 1))->title,
                   ==, "客服实时");
  gtk_window_destroy (GTK_WINDOW (kiosk));
}

typedef struct
{
  AqDashboardView *view;
  guint            n;
} StaleWait;

static gboolean
all_stale (gpointer data)
{
  StaleWait *w = data;

  return aq_dashboard_view_get_n_stale (w->view) == w->n;
}

static gboolean
none_stale_and_fresh (gpointer data)
{
  StaleWait *w = data;

  return aq_dashboard_view_get_n_stale (w->view) == 0
         && !aq_dashboard_view_get_loading (w->view);
}

static void
test_staleness (void)
{
  const char * const names[] = { "service_screen", NULL };
  AqKioskWindow *kiosk = open_kiosk (names, 0, 1920, 1080);
  AqDashboardView *view = aq_kiosk_window_get_view (kiosk, 0);
  AqDashboard *d = aq_dashboard_view_get_dashboard (view);
  StaleWait w = { view, d->tiles->len };
  AqTileView *calls = aq_dashboard_view_get_tile_view (view, "calls");
  double before;

  g_assert_nonnull (calls);
  g_assert_nonnull (aq_tile_view_get_data (calls));
  before = aq_tile_view_get_data (calls)->value;
  g_assert_cmpuint (aq_dashboard_view_get_n_stale (view), ==, 0);

  /* the warehouse becomes unreachable: every tile keeps its figures, with the badge */
  aq_kiosk_window_set_conninfo (kiosk, "host=127.0.0.1 port=1 dbname=nothing connect_timeout=2");
  aq_test_wait_for (all_stale, &w, 60, "every tile stale");
  g_assert_cmpuint (aq_dashboard_view_get_n_filled (view), ==, d->tiles->len);
  g_assert_cmpfloat (aq_tile_view_get_data (calls)->value, ==, before);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (kiosk));

  /* it comes back: the badges go by themselves */
  aq_kiosk_window_set_conninfo (kiosk, conninfo);
  aq_test_wait_for (none_stale_and_fresh, &w, 60, "no tile stale");
  g_assert_cmpfloat (aq_tile_view_get_data (calls)->value, ==, before);

  /* figures older than twice their interval are stale too, and fresh again after a fetch */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 2 * d->refresh + 5);

    aq_clock_pin (later);
    aq_dashboard_view_check_stale (view);
    g_assert_cmpuint (aq_dashboard_view_get_n_stale (view), ==, d->tiles->len);
    aq_clock_pin (NULL);
    aq_dashboard_view_check_stale (view);
    g_assert_cmpuint (aq_dashboard_view_get_n_stale (view), ==, 0);
  }
  gtk_window_destroy (GTK_WINDOW (kiosk));
}

/* The map tile and the alarm ticker drawn on the big screen: the zones and outages the map
 * module has, the lines the outage and quality reports give; with more lines than fit the
 * ticker moves on by itself, and the map shows the active outages in red. */
static void
test_map_and_ticker (void)
{
  const char * const names[] = { "operations_screen", NULL };
  AqDb *db = demo_db;
  g_autoptr(GError) error = NULL;
  AqKioskWindow *kiosk;
  AqDashboardView *view;
  AqTileView *map, *ticker;
  AqTileData *data;
  guint active = 0, planned = 0, red = 0;

  /* two outages now, one planned, in the first zones; twelve failing rules */
  g_assert_true (aq_db_exec (db,
    "INSERT INTO notify.outage (kind, reason, start_time, expected_end, status, geom)"
    " SELECT k, '管网抢修 ' || n, '2026-03-01 08:00+08', '2026-03-01 18:00+08', s,"
    "  ST_Multi((SELECT ST_Buffer(ST_Centroid(z.geom), 0.004) FROM dw.dim_dma_zone z"
    "            WHERE z.level = 3 ORDER BY z.zone_code OFFSET n LIMIT 1))"
    " FROM (VALUES (0, 'emergency', 'active'), (1, 'planned', 'active'),"
    "              (2, 'planned', 'planned')) v (n, k, s);"
    "INSERT INTO meta.quality_rule (rule_name, rule_set)"
    " SELECT 'kiosk_rule_' || i, 'kiosk' FROM generate_series(1, 12) i;"
    "INSERT INTO meta.quality_rule_version (rule_name, version, definition)"
    " SELECT rule_name, 1, '{}' FROM meta.quality_rule WHERE rule_set = 'kiosk';"
    "INSERT INTO meta.quality_run (run_id, scope, started_at, status)"
    " VALUES (9901, 'kiosk', '2026-03-01', 'failed');"
    "INSERT INTO meta.quality_result (run_id, rule_name, rule_version, layer, table_name,"
    "  dimension, severity, checked_rows, failing_rows, status, duration_ms)"
    " SELECT 9901, rule_name, 1, 'dw', 'fact_bill', 'validity', 'fail', 100, 7, 'fail', 1"
    " FROM meta.quality_rule WHERE rule_set = 'kiosk'", &error));
  g_assert_no_error (error);

  kiosk = open_kiosk (names, 0, 1920, 1080);
  view = aq_kiosk_window_get_view (kiosk, 0);
  map = aq_dashboard_view_get_tile_view (view, "city_map");
  ticker = aq_dashboard_view_get_tile_view (view, "alarms");
  g_assert_nonnull (map);
  g_assert_nonnull (ticker);

  data = aq_tile_view_get_data (map);
  g_assert_nonnull (data);
  g_assert_cmpint (data->zones->len, ==,
                   aq_test_count1 (db, "SELECT count(*) FROM dw.dim_dma_zone WHERE level = 3",
                                   NULL));
  for (guint i = 0; i < data->outages->len; i++)
    {
      active += ((AqMapFeature *) data->outages->pdata[i])->layer == AQ_MAP_LAYER_OUTAGES_ACTIVE;
      planned += ((AqMapFeature *) data->outages->pdata[i])->layer
                 == AQ_MAP_LAYER_OUTAGES_PLANNED;
    }
  g_assert_cmpuint (active, ==, 2);
  g_assert_cmpuint (planned, ==, 1);

  data = aq_tile_view_get_data (ticker);
  g_assert_nonnull (data);
  g_assert_cmpuint (data->alarms->len, >=,
                    aq_test_count1 (db, "SELECT count(*) FROM notify.outage"
                                        " WHERE status IN ('active', 'planned')", NULL)
                    + aq_test_count1 (db, "SELECT count(*) FROM meta.quality_result"
                                          " WHERE run_id = 9901 AND status = 'fail'", NULL));
  g_assert_nonnull (strstr (((AqTileAlarm *) data->alarms->pdata[0])->text, "管网抢修 0"));
  /* fifteen lines do not fit one strip: the ticker moves on by itself */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (kiosk));
  g_assert_true (aq_tile_view_get_ticker_moving (ticker));

  /* the map drawn: the active outages' red outline is there */
  {
    graphene_rect_t r;
    cairo_surface_t *surface;
    cairo_t *cr;
    AqTileDrawState state = { aq_tile_view_get_tile (map), aq_tile_view_get_data (map) };
    const guchar *px;
    int stride;

    g_assert_true (aq_dashboard_view_get_tile_rect (view, "city_map", &r));
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, r.size.width, r.size.height);
    cr = cairo_create (surface);
    aq_tile_draw (cr, AQ_TILE_STYLE_SCREEN, &state, r.size.width, r.size.height);
    cairo_destroy (cr);
    cairo_surface_flush (surface);
    px = cairo_image_surface_get_data (surface);
    stride = cairo_image_surface_get_stride (surface);
    for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
      for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
        {
          const guchar *p = px + y * stride + 4 * x;   /* B G R x */

          red += p[2] >= 180 && p[1] < 100 && p[0] < 100;
        }
    cairo_surface_destroy (surface);
    g_assert_cmpuint (red, >, 50);
  }

  gtk_window_destroy (GTK_WINDOW (kiosk));
  g_assert_true (aq_db_exec (db, "DELETE FROM notify.outage; DELETE FROM meta.quality_run"
                                 " WHERE run_id = 9901; DELETE FROM meta.quality_rule"
                                 " WHERE rule_set = 'kiosk'", &error));
  g_assert_no_error (error);
}

/* Stacked bars: each category one column, the second series on top of the first (plain bars
 * put them side by side). */
static void
test_stacked_chart (void)
{
  static const double ink[3] = { 0, 0, 0 };
  static const double a[2] = { 2, 2 }, b[2] = { 2, 2 };
  g_autoptr(AqChartData) chart = aq_chart_data_new (NULL);

  aq_chart_data_add_category (chart, "x");
  aq_chart_data_add_category (chart, "y");
  aq_chart_data_add_series (chart, "a", a);
  aq_chart_data_add_series (chart, "b", b);
  for (int stacked = 0; stacked < 2; stacked++)
    {
      cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 400, 300);
      cairo_t *cr = cairo_create (surface);
      const guchar *px;
      int stride, first_a = -1, first_b = -1;
      guint marks;
      /* the first category's middle: left margin + axis labels, then half a band */
      int x = (int) (12 + 56 + (400 - 12 - 12 - 56) / 4.0);

      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
      marks = aq_chart_render (cr, stacked ? AQ_CHART_STACKED : AQ_CHART_BAR, chart, 400, 300,
                               ink);
      cairo_destroy (cr);
      cairo_surface_flush (surface);
      g_assert_cmpuint (marks, ==, 4);
      px = cairo_image_surface_get_data (surface);
      stride = cairo_image_surface_get_stride (surface);
      for (int y = 0; y < 300; y++)
        {
          const guchar *p = px + y * stride + 4 * x;   /* B G R x: blue (a) or orange (b) */

          if (first_a < 0 && p[0] > 150 && p[2] < 60)
            first_a = y;
          if (first_b < 0 && p[2] > 200 && p[1] > 100 && p[1] < 150 && p[0] < 40)
            first_b = y;
        }
      cairo_surface_destroy (surface);
      if (stacked)
        {
          g_assert_cmpint (first_a, >, 0);
          g_assert_cmpint (first_b, >, 0);
          g_assert_cmpint (first_b, <, first_a);  /* b on top of a */
        }
      else
        g_assert_true (first_a < 0 || first_b < 0); /* side by side: one of them here */
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AqDb) db = NULL;
  int ret;

  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 800, 14);
  conninfo = aq_test_conninfo (DB_NAME);
  demo_db = db;

  g_test_add_func ("/kiosk/canvas-scales", test_canvas_scales);
  g_test_add_func ("/kiosk/rotation", test_rotation);
  g_test_add_func ("/kiosk/staleness", test_staleness);
  g_test_add_func ("/kiosk/map-and-ticker", test_map_and_ticker);
  g_test_add_func ("/kiosk/stacked-chart", test_stacked_chart);
  ret = g_test_run ();

  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  g_free (conninfo);
  return ret;
}

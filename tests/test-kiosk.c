/* test-kiosk.c — the big-screen window: the 1920×1080 canvas at 1920×1080 and at 3840×2160,
 * rotation round after round, and the staleness badge when the warehouse goes away and
 * comes back; a shipped screen's tiles all filled with real figures. */
#include "config.h"

#include <adwaita.h>
#include <math.h>

#include "aq-test-util.h"
#include "aq-test-ui.h"
#include "aqueduct-core.h"
#include "aq-dashboard-store.h"
#include "aq-kiosk-window.h"
#include "aq-ui.h"

#define DB_NAME "t_kiosk"

static char *conninfo;

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

  g_test_add_func ("/kiosk/canvas-scales", test_canvas_scales);
  g_test_add_func ("/kiosk/rotation", test_rotation);
  g_test_add_func ("/kiosk/staleness", test_staleness);
  ret = g_test_run ();

  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  g_free (conninfo);
  return ret;
}

/* aq-api-panel-monitor.c — the API panel's monitor: charts and top callers
 *
 * Over the last hour, day or week, for the open API or all of them: calls per minute as bars
 * (the errors' part red), p50, p95 and p99 latency as lines (exact: aq_api_monitor()), the totals and error share, the apps
 * calling most and (for all APIs) the APIs called most. The figures are aq_api_monitor()'s,
 * read from the per-minute rollup of the call log on a worker; "now" is aq_clock's, so a
 * pinned clock gives the same picture every time. Drawn with cairo in two GtkDrawingAreas.
 */
#define G_LOG_DOMAIN "aq-api-panel"

#include "config.h"

#include "aq-api-panel-private.h"

#include <glib/gi18n.h>

#include "aq-panel.h"

static const guint window_minutes[] = { 60, 24 * 60, 7 * 24 * 60 };
static const guint window_steps[] = { 1, 15, 120 };

typedef struct
{
  char   *api;
  gint64  since, until;
  guint   step;
  guint   serial;
} WatchRequest;

typedef struct
{
  JsonObject *watch;
  guint       serial;
} WatchAnswer;

static void
watch_request_free (WatchRequest *r)
{
  g_free (r->api);
  g_free (r);
}

static void
watch_answer_free (WatchAnswer *a)
{
  g_clear_pointer (&a->watch, json_object_unref);
  g_free (a);
}

/* ---- drawing ---- */

static void
draw_text (cairo_t    *cr,
           GtkWidget  *widget,
           double      x,
           double      y,
           const char *text,
           gboolean    right)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, right ? x - w : x, y);
  pango_cairo_show_layout (cr, layout);
  g_object_unref (layout);
}

static char *
time_label (gint64 unix_s,
            guint  window)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_s);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, aq_clock_zone ());

  return g_date_time_format (local, window >= 2 ? "%m-%d %H:%M" : "%H:%M");
}

typedef struct
{
  double left, right, top, bottom;
} Plot;

static gboolean
plot_frame (AqApiPanel *self,
            GtkWidget  *area,
            cairo_t    *cr,
            int         width,
            int         height,
            double      max,
            const char *max_text,
            Plot       *plot)
{
  GdkRGBA fg;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  guint window = gtk_drop_down_get_selected (self->monitor_window);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (area), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  plot->left = 56;
  plot->right = width - 8;
  plot->top = 6;
  plot->bottom = height - 20;
  if (plot->right <= plot->left || plot->bottom <= plot->top)
    return FALSE;
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.15);
  cairo_set_line_width (cr, 1);
  for (int i = 0; i <= 2; i++)
    {
      double y = plot->top + (plot->bottom - plot->top) * i / 2.0;

      cairo_move_to (cr, plot->left, (int) y + 0.5);
      cairo_line_to (cr, plot->right, (int) y + 0.5);
    }
  cairo_stroke (cr);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.6);
  draw_text (cr, area, plot->left - 6, plot->top - 2, max_text, TRUE);
  draw_text (cr, area, plot->left - 6, plot->bottom - 12, "0", TRUE);
  if (self->watch)
    {
      from = time_label (json_object_get_int_member (self->watch, "since"), window);
      to = time_label (json_object_get_int_member (self->watch, "until"), window);
      draw_text (cr, area, plot->left, plot->bottom + 3, from, FALSE);
      draw_text (cr, area, plot->right, plot->bottom + 3, to, TRUE);
    }
  return max > 0;
}

static double
x_of (AqApiPanel *self,
      Plot       *plot,
      gint64      at)
{
  gint64 since = json_object_get_int_member (self->watch, "since");
  gint64 until = json_object_get_int_member (self->watch, "until");

  return plot->left + (plot->right - plot->left) * (double) (at - since)
                      / MAX (until - since, 1);
}

static void
draw_calls (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  AqApiPanel *self = user_data;
  JsonArray *series = self->watch ? json_object_get_array_member (self->watch, "series") : NULL;
  double step = self->watch ? json_object_get_int_member (self->watch, "step_minutes") : 1;
  double max = 0;
  g_autofree char *max_text = NULL;
  Plot plot;
  double bar;

  for (guint i = 0; series && i < json_array_get_length (series); i++)
    max = MAX (max, json_object_get_int_member (json_array_get_object_element (series, i),
                                                "calls") / step);
  max_text = g_strdup_printf ("%.*f", max < 10 ? 1 : 0, max);
  if (!plot_frame (self, GTK_WIDGET (area), cr, width, height, max, max_text, &plot))
    return;
  bar = MAX (1.0, x_of (self, &plot, json_object_get_int_member (self->watch, "since")
                                     + (gint64) step * 60)
                  - plot.left - 1);
  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonObject *o = json_array_get_object_element (series, i);
      double x = x_of (self, &plot, json_object_get_int_member (o, "at"));
      double calls = json_object_get_int_member (o, "calls") / step;
      double errors = json_object_get_int_member (o, "errors") / step;
      double h = (plot.bottom - plot.top) * calls / max;
      double he = (plot.bottom - plot.top) * errors / max;

      cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
      cairo_rectangle (cr, x, plot.bottom - h, bar, h - he);
      cairo_fill (cr);
      if (he > 0)
        {
          cairo_set_source_rgb (cr, 0.88, 0.11, 0.14);
          cairo_rectangle (cr, x, plot.bottom - he, bar, he);
          cairo_fill (cr);
        }
    }
}

static void
draw_line (AqApiPanel *self,
           cairo_t    *cr,
           Plot       *plot,
           JsonArray  *series,
           const char *member,
           double      max)
{
  double step_px = x_of (self, plot, json_object_get_int_member (self->watch, "since")
                                     + json_object_get_int_member (self->watch, "step_minutes")
                                       * 60) - plot->left;

  for (guint i = 0; i < json_array_get_length (series); i++)
    {
      JsonObject *o = json_array_get_object_element (series, i);
      double x = x_of (self, plot, json_object_get_int_member (o, "at")) + step_px / 2;
      double y = plot->bottom - (plot->bottom - plot->top)
                                * json_object_get_double_member (o, member) / max;

      if (i == 0)
        cairo_move_to (cr, x, y);
      else
        cairo_line_to (cr, x, y);
      if (json_array_get_length (series) == 1)
        cairo_rectangle (cr, x - 2, y - 2, 4, 4);
    }
  cairo_stroke (cr);
}

static void
draw_latency (GtkDrawingArea *area,
              cairo_t        *cr,
              int             width,
              int             height,
              gpointer        user_data)
{
  AqApiPanel *self = user_data;
  JsonArray *series = self->watch ? json_object_get_array_member (self->watch, "series") : NULL;
  double max = 0;
  g_autofree char *max_text = NULL;
  const double dash[] = { 5, 3 };
  const double dots[] = { 1.5, 3 };
  Plot plot;

  for (guint i = 0; series && i < json_array_get_length (series); i++)
    max = MAX (max, json_object_get_double_member (json_array_get_object_element (series, i),
                                                   "p99_ms"));
  max_text = g_strdup_printf ("%.*f", max < 10 ? 1 : 0, max);
  if (!plot_frame (self, GTK_WIDGET (area), cr, width, height, max, max_text, &plot))
    return;
  cairo_set_line_width (cr, 2);
  cairo_set_source_rgb (cr, 0.21, 0.52, 0.89);
  draw_line (self, cr, &plot, series, "p50_ms", max);
  cairo_set_source_rgb (cr, 0.90, 0.38, 0.0);
  cairo_set_dash (cr, dash, 2, 0);
  draw_line (self, cr, &plot, series, "p95_ms", max);
  cairo_set_source_rgb (cr, 0.75, 0.11, 0.16);
  cairo_set_dash (cr, dots, 2, 0);
  draw_line (self, cr, &plot, series, "p99_ms", max);
}

/* ---- the figures ---- */

static void
show_top (GtkGrid    *grid,
          JsonArray  *array,
          const char *heading,
          const char *name_member)
{
  g_autofree char *empty = NULL;

  aq_api_panel_clear (GTK_WIDGET (grid));
  aq_api_panel_grid_cell (grid, 0, 0, heading, FALSE, "heading");
  aq_api_panel_grid_cell (grid, 1, 0, C_("api calls", "Calls"), TRUE, "heading");
  aq_api_panel_grid_cell (grid, 2, 0, _("Errors"), TRUE, "heading");
  if (array == NULL || json_array_get_length (array) == 0)
    {
      aq_api_panel_grid_cell (grid, 0, 1, _("No calls"), FALSE, "dim-label");
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      const char *name = json_object_get_string_member (o, name_member);
      g_autofree char *calls = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                json_object_get_int_member (o, "calls"));
      g_autofree char *errors = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 json_object_get_int_member (o, "errors"));

      if (*name == '\0')
        name = json_object_get_string_member_with_default (o, "app_key", "");
      aq_api_panel_grid_cell (grid, 0, i + 1, *name ? name : _("(unknown)"), FALSE, NULL);
      aq_api_panel_grid_cell (grid, 1, i + 1, calls, TRUE, NULL);
      aq_api_panel_grid_cell (grid, 2, i + 1, errors, TRUE,
                              json_object_get_int_member (o, "errors") ? "error" : NULL);
    }
}

static void
show_watch (AqApiPanel *self)
{
  JsonObject *w = self->watch;
  gint64 calls = json_object_get_int_member (w, "calls");
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, calls);
  g_autofree char *calls_text = g_strdup_printf (
    ngettext ("%s call", "%s calls", (gulong) MAX (calls, 0)), number);
  g_autofree char *summary = g_strdup_printf (
    _("%s · %.2f %% errors · p50 %.1f ms · p95 %.1f ms · p99 %.1f ms"), calls_text,
    100 * json_object_get_double_member (w, "error_share"),
    json_object_get_double_member (w, "p50_ms"), json_object_get_double_member (w, "p95_ms"),
    json_object_get_double_member (w, "p99_ms"));

  gtk_label_set_label (self->monitor_summary, summary);
  show_top (self->callers_grid, json_object_get_array_member (w, "top_callers"),
            _("Top callers"), "app");
  gtk_widget_set_visible (GTK_WIDGET (self->top_apis_grid),
                          json_object_has_member (w, "top_apis"));
  if (json_object_has_member (w, "top_apis"))
    show_top (self->top_apis_grid, json_object_get_array_member (w, "top_apis"),
              _("Most called APIs"), "api");
  gtk_widget_queue_draw (GTK_WIDGET (self->calls_chart));
  gtk_widget_queue_draw (GTK_WIDGET (self->latency_chart));
}

static gpointer
watch_job (AqDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  WatchRequest *r = data;
  JsonObject *watch = aq_api_monitor (db, r->api, r->since, r->until, r->step, error);
  WatchAnswer *a;

  if (watch == NULL)
    return NULL;
  a = g_new0 (WatchAnswer, 1);
  a->watch = watch;
  a->serial = r->serial;
  return a;
}

static void
watch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  WatchAnswer *a = aq_db_job_run_finish (result, watch_job, &error);
  AqApiPanel *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&a, watch_answer_free);
      return;
    }
  self = AQ_API_PANEL (user_data);
  aq_api_panel_set_busy_internal (self, FALSE);
  if (a == NULL)
    {
      gtk_label_set_label (self->monitor_summary, error->message);
      return;
    }
  if (a->serial != self->watch_serial)
    {
      /* a later choice is on its way */
      watch_answer_free (a);
      return;
    }
  g_clear_pointer (&self->watch, json_object_unref);
  self->watch = g_steal_pointer (&a->watch);
  watch_answer_free (a);
  show_watch (self);
}

void
aq_api_panel_watch_load (AqApiPanel *self)
{
  WatchRequest *r;
  guint window = MIN (gtk_drop_down_get_selected (self->monitor_window), 2);
  gboolean this_api = gtk_drop_down_get_selected (self->monitor_scope) == 1;
  gint64 now = aq_clock_now_unix_usec ();
  gint64 minute = 60 * G_USEC_PER_SEC;

  if (this_api && self->api == NULL)
    return;
  r = g_new0 (WatchRequest, 1);
  r->api = this_api ? g_strdup (self->api->name) : NULL;
  /* whole minutes: the current one included */
  r->until = (now / minute + 1) * minute;
  r->since = r->until - (gint64) window_minutes[window] * minute;
  r->step = window_steps[window];
  r->serial = ++self->watch_serial;
  aq_api_panel_set_busy_internal (self, TRUE);
  aq_db_job_run_async (aq_panel_get_conninfo (AQ_PANEL (self)), watch_job, watch_job, r,
                       (GDestroyNotify) watch_request_free,
                       (GDestroyNotify) watch_answer_free, self->cancellable, watch_cb, self);
}

static void
choice_changed_cb (AqApiPanel *self)
{
  if (self->market)
    aq_api_panel_watch_load (self);
}

void
aq_api_panel_watch_init (AqApiPanel *self)
{
  const char *scopes[] = { _("All APIs"), _("This API"), NULL };
  const char *windows[] = { _("Last hour"), _("Last 24 hours"), _("Last 7 days"), NULL };
  g_autoptr(GtkStringList) scope_list = gtk_string_list_new (scopes);
  g_autoptr(GtkStringList) window_list = gtk_string_list_new (windows);

  gtk_drop_down_set_model (self->monitor_scope, G_LIST_MODEL (scope_list));
  gtk_drop_down_set_model (self->monitor_window, G_LIST_MODEL (window_list));
  gtk_drop_down_set_selected (self->monitor_window, 1);
  gtk_drawing_area_set_draw_func (self->calls_chart, draw_calls, self, NULL);
  gtk_drawing_area_set_draw_func (self->latency_chart, draw_latency, self, NULL);
  g_signal_connect_object (self->monitor_scope, "notify::selected",
                           G_CALLBACK (choice_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor_window, "notify::selected",
                           G_CALLBACK (choice_changed_cb), self, G_CONNECT_SWAPPED);
}

void
aq_api_panel_watch_finalize (AqApiPanel *self)
{
  g_clear_pointer (&self->watch, json_object_unref);
}

/* ---- public API ---- */

void
aq_api_panel_set_watch (AqApiPanel *self,
                        gboolean    this_api,
                        guint       window)
{
  g_return_if_fail (AQ_IS_API_PANEL (self));
  g_signal_handlers_block_by_func (self->monitor_scope, choice_changed_cb, self);
  g_signal_handlers_block_by_func (self->monitor_window, choice_changed_cb, self);
  gtk_drop_down_set_selected (self->monitor_scope, this_api ? 1 : 0);
  gtk_drop_down_set_selected (self->monitor_window, MIN (window, 2));
  g_signal_handlers_unblock_by_func (self->monitor_scope, choice_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->monitor_window, choice_changed_cb, self);
  aq_api_panel_watch_load (self);
}

JsonObject *
aq_api_panel_get_watch (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), NULL);
  return self->watch;
}

const char *
aq_api_panel_get_watch_summary (AqApiPanel *self)
{
  g_return_val_if_fail (AQ_IS_API_PANEL (self), NULL);
  return gtk_label_get_label (self->monitor_summary);
}

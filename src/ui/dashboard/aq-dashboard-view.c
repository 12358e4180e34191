/* aq-dashboard-view.c — a dashboard's tiles on their grid, each fetching and refreshing alone
 *
 * Every tile runs its own aq_db_job (aq_tile_data_fetch_async) as soon as the catalog is
 * there, so the tiles fill in parallel, each with its spinner; a slow one holds up nobody.
 * A tile refreshes on its own interval; new figures replace the old in one frame, and when a
 * fetch fails the last good figures stay with a staleness badge, as they do when they are
 * older than twice the interval. A one-second timer only compares times: between refreshes
 * the view costs nothing but that.
 *
 * The kiosk sets a fixed logical canvas (1920×1080): tiles are placed on it and the whole
 * canvas is scaled to the monitor, letterboxed, without reflow; each tile draws at its real
 * size with the scale inside cairo, so 4K stays sharp.
 */
#define G_LOG_DOMAIN "aq-dashboard-view"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "aq-catalog.h"
#include "aq-clock.h"
#include "aq-dashboard-view.h"
#include "aq-tile-draw.h"

#define GAP 12.0
/* A drag that starts this close to a tile's lower-right corner resizes it. */
#define RESIZE_HANDLE 24.0
/* Tiles fetching at once (aq-db-job.c keeps four idle connections per warehouse). */
#define MAX_IN_FLIGHT 4
/* A failed tile, or an unreachable warehouse, is tried again this soon. */
#define RETRY_US (5 * G_USEC_PER_SEC)

typedef struct
{
  AqTileView *view;
  gboolean    in_flight;
  gboolean    failed;
  gboolean    done_once;
  gint64      due_us;     /* monotonic time of the next refresh */
} Slot;

struct _AqDashboardView
{
  GtkWidget     parent_instance;

  AqTileStyle   style;
  char         *conninfo;
  gboolean      has_conninfo;   /* set, even to NULL (the default warehouse) */
  AqDashboard  *dashboard;
  AqCatalog    *catalog;
  gboolean      catalog_loading;
  gint64        retry_us;
  char         *catalog_error;
  GCancellable *cancellable;
  GArray       *slots;      /* Slot */
  guint         tick_id;
  int           canvas_w, canvas_h;
  double        scale, ox, oy, cell_w, cell_h;

  gboolean      editing;
  char         *selected;
  /* the drag in progress */
  char         *drag_id;
  gboolean      drag_resize;
  int           drag_x, drag_y, drag_w, drag_h;
};

G_DEFINE_FINAL_TYPE (AqDashboardView, aq_dashboard_view, GTK_TYPE_WIDGET)

enum { TILE_ACTIVATED, TILE_SELECTED, CHANGED, LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void fetch_tile (AqDashboardView *self, guint index);

/* ---- auxiliary methods ---- */

static Slot *
slot_at (AqDashboardView *self,
         guint            i)
{
  return &g_array_index (self->slots, Slot, i);
}

static int
find_slot (AqDashboardView *self,
           const char      *id)
{
  for (guint i = 0; i < self->slots->len; i++)
    if (g_strcmp0 (aq_tile_view_get_tile (slot_at (self, i)->view)->id, id) == 0)
      return i;
  return -1;
}

static void
clear_slots (AqDashboardView *self)
{
  for (guint i = 0; i < self->slots->len; i++)
    gtk_widget_unparent (GTK_WIDGET (slot_at (self, i)->view));
  g_array_set_size (self->slots, 0);
}

static void
add_slot (AqDashboardView       *self,
          const AqDashboardTile *tile)
{
  Slot slot = { 0 };

  slot.view = aq_tile_view_new (tile, self->style);
  gtk_widget_set_parent (GTK_WIDGET (slot.view), GTK_WIDGET (self));
  aq_tile_view_set_selected (slot.view, g_strcmp0 (tile->id, self->selected) == 0);
  g_array_append_val (self->slots, slot);
}

static void
restart (AqDashboardView *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->catalog_loading = FALSE;
  for (guint i = 0; i < self->slots->len; i++)
    slot_at (self, i)->in_flight = FALSE;
}

static void
fetch_due (AqDashboardView *self)
{
  gint64 now = g_get_monotonic_time ();
  guint in_flight = 0;

  if (self->catalog == NULL || self->dashboard == NULL)
    return;
  for (guint i = 0; i < self->slots->len; i++)
    in_flight += slot_at (self, i)->in_flight;
  /* at most as many at once as the connection pool keeps: more would open (and close) a
   * connection each, every refresh */
  for (guint i = 0; i < self->slots->len && in_flight < MAX_IN_FLIGHT; i++)
    if (!slot_at (self, i)->in_flight && slot_at (self, i)->due_us <= now)
      {
        fetch_tile (self, i);
        in_flight++;
      }
}

static gboolean
is_loading (AqDashboardView *self)
{
  if (self->dashboard == NULL || !self->has_conninfo)
    return FALSE;
  if (self->catalog_error)
    return FALSE;
  if (self->catalog == NULL)
    return TRUE;
  for (guint i = 0; i < self->slots->len; i++)
    if (!slot_at (self, i)->done_once)
      return TRUE;
  return FALSE;
}

/* ---- callbacks ---- */

typedef struct
{
  AqDashboardView *self;
  char            *id;
  GCancellable    *cancellable;
} FetchCtx;

static void
tile_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FetchCtx *ctx = user_data;
  g_autoptr(GError) error = NULL;
  AqTileData *data = aq_tile_data_fetch_finish (result, &error);
  AqDashboardView *self = ctx->self;
  gboolean was_loading;
  Slot *slot;
  int i = -1;

  if (!g_cancellable_is_cancelled (ctx->cancellable))
    i = find_slot (self, ctx->id);
  if (i < 0)
    {
      g_clear_pointer (&data, aq_tile_data_free);
      goto out;
    }
  was_loading = is_loading (self);
  slot = slot_at (self, i);
  slot->in_flight = FALSE;
  slot->done_once = TRUE;
  slot->due_us = g_get_monotonic_time ()
                 + (gint64) aq_dashboard_tile_get_refresh (aq_tile_view_get_tile (slot->view),
                                                           self->dashboard) * G_USEC_PER_SEC;
  aq_tile_view_set_loading (slot->view, FALSE);
  if (data)
    {
      slot->failed = FALSE;
      aq_tile_view_set_data (slot->view, data);
    }
  else
    {
      slot->failed = TRUE;
      /* the last good figures stay; try again sooner than the interval */
      slot->due_us = MIN (slot->due_us, g_get_monotonic_time () + RETRY_US);
      aq_tile_view_set_error (slot->view, error->message);
    }
  aq_dashboard_view_check_stale (self);
  if (was_loading && !is_loading (self))
    g_signal_emit (self, signals[LOADED], 0);
  fetch_due (self);

out:
  g_object_unref (ctx->self);
  g_object_unref (ctx->cancellable);
  g_free (ctx->id);
  g_free (ctx);
}

static void
fetch_tile (AqDashboardView *self,
            guint            index)
{
  Slot *slot = slot_at (self, index);
  const AqDashboardTile *tile = aq_tile_view_get_tile (slot->view);
  FetchCtx *ctx = g_new0 (FetchCtx, 1);

  ctx->self = g_object_ref (self);
  ctx->id = g_strdup (tile->id);
  ctx->cancellable = g_object_ref (self->cancellable);
  slot->in_flight = TRUE;
  aq_tile_view_set_loading (slot->view, TRUE);
  aq_tile_data_fetch_async (self->conninfo, self->catalog, self->dashboard, tile,
                            self->cancellable, tile_fetched_cb, ctx);
}

static void
catalog_loaded_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AqDashboardView *self = AQ_DASHBOARD_VIEW (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCatalog) catalog = aq_catalog_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  self->catalog_loading = FALSE;
  if (catalog == NULL)
    {
      /* the warehouse cannot be reached: every tile keeps what it had, marked stale */
      g_free (self->catalog_error);
      self->catalog_error = g_strdup (error->message);
      self->retry_us = g_get_monotonic_time () + RETRY_US;
      for (guint i = 0; i < self->slots->len; i++)
        {
          slot_at (self, i)->failed = TRUE;
          aq_tile_view_set_loading (slot_at (self, i)->view, FALSE);
          if (aq_tile_view_get_data (slot_at (self, i)->view) == NULL)
            aq_tile_view_set_error (slot_at (self, i)->view, error->message);
        }
      aq_dashboard_view_check_stale (self);
      g_signal_emit (self, signals[LOADED], 0);
      g_object_unref (self);
      return;
    }
  g_clear_pointer (&self->catalog_error, g_free);
  g_set_object (&self->catalog, catalog);
  fetch_due (self);
  g_object_unref (self);
}

static void
load_catalog (AqDashboardView *self)
{
  if (self->catalog_loading || !self->has_conninfo)
    return;
  self->catalog_loading = TRUE;
  for (guint i = 0; i < self->slots->len; i++)
    aq_tile_view_set_loading (slot_at (self, i)->view, TRUE);
  aq_catalog_load_async (self->conninfo, self->cancellable, catalog_loaded_cb,
                         g_object_ref (self));
}

static gboolean
tick_cb (gpointer user_data)
{
  AqDashboardView *self = user_data;

  aq_dashboard_view_check_stale (self);
  if (self->catalog == NULL && !self->catalog_loading && self->catalog_error)
    {
      /* retry the unreachable warehouse */
      if (g_get_monotonic_time () >= self->retry_us)
        load_catalog (self);
    }
  fetch_due (self);
  return G_SOURCE_CONTINUE;
}

static int
slot_at_point (AqDashboardView *self,
               double           x,
               double           y)
{
  for (guint i = 0; i < self->slots->len; i++)
    {
      GtkWidget *w = GTK_WIDGET (slot_at (self, i)->view);
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (w, GTK_WIDGET (self), &bounds)
          && graphene_rect_contains_point (&bounds, &GRAPHENE_POINT_INIT (x, y)))
        return i;
    }
  return -1;
}

static void
drag_begin_cb (GtkGestureDrag  *gesture,
               double           x,
               double           y,
               AqDashboardView *self)
{
  int i = self->editing ? slot_at_point (self, x, y) : -1;
  const AqDashboardTile *tile;
  graphene_rect_t bounds;

  if (i < 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  tile = aq_tile_view_get_tile (slot_at (self, i)->view);
  if (!gtk_widget_compute_bounds (GTK_WIDGET (slot_at (self, i)->view), GTK_WIDGET (self),
                                  &bounds))
    return;
  g_free (self->drag_id);
  self->drag_id = g_strdup (tile->id);
  self->drag_resize = x > bounds.origin.x + bounds.size.width - RESIZE_HANDLE
                      && y > bounds.origin.y + bounds.size.height - RESIZE_HANDLE;
  self->drag_x = tile->x;
  self->drag_y = tile->y;
  self->drag_w = tile->w;
  self->drag_h = tile->h;
  aq_dashboard_view_select (self, tile->id);
}

static void
drag_end_cb (GtkGestureDrag  *gesture,
             double           dx,
             double           dy,
             AqDashboardView *self)
{
  g_autofree char *id = g_steal_pointer (&self->drag_id);
  int cols, rows;

  if (id == NULL)
    return;
  cols = (int) lround (dx / self->scale / (self->cell_w + GAP));
  rows = (int) lround (dy / self->scale / (self->cell_h + GAP));
  if (cols == 0 && rows == 0)
    return;
  if (self->drag_resize)
    aq_dashboard_view_place_tile (self, id, self->drag_x, self->drag_y, self->drag_w + cols,
                                  self->drag_h + rows);
  else
    aq_dashboard_view_place_tile (self, id, self->drag_x + cols, self->drag_y + rows,
                                  self->drag_w, self->drag_h);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   AqDashboardView *self)
{
  int i = slot_at_point (self, x, y);
  const char *id;

  if (i < 0)
    return;
  id = aq_tile_view_get_tile (slot_at (self, i)->view)->id;
  if (self->editing)
    aq_dashboard_view_select (self, id);
  else
    g_signal_emit (self, signals[TILE_ACTIVATED], 0, id);
}

/* ---- GtkWidget overrides ---- */

static void
aq_dashboard_view_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  AqDashboardView *self = AQ_DASHBOARD_VIEW (widget);
  double lw = self->canvas_w > 0 ? self->canvas_w : width;
  double lh = self->canvas_h > 0 ? self->canvas_h : height;
  int cols = self->dashboard ? self->dashboard->columns : 12;
  int rows = self->dashboard ? self->dashboard->rows : 8;

  self->scale = self->canvas_w > 0 ? MIN (width / lw, height / lh) : 1;
  if (self->scale <= 0)
    self->scale = 1;
  self->ox = (width - lw * self->scale) / 2;
  self->oy = (height - lh * self->scale) / 2;
  self->cell_w = MAX (1, (lw - GAP * (cols + 1)) / cols);
  self->cell_h = MAX (1, (lh - GAP * (rows + 1)) / rows);
  for (guint i = 0; i < self->slots->len; i++)
    {
      AqTileView *view = slot_at (self, i)->view;
      const AqDashboardTile *t = aq_tile_view_get_tile (view);
      double x = GAP + t->x * (self->cell_w + GAP);
      double y = GAP + t->y * (self->cell_h + GAP);
      double w = t->w * self->cell_w + (t->w - 1) * GAP;
      double h = t->h * self->cell_h + (t->h - 1) * GAP;
      int rx = (int) floor (self->ox + x * self->scale);
      int ry = (int) floor (self->oy + y * self->scale);

      aq_tile_view_set_scale (view, self->scale);
      gtk_widget_allocate (GTK_WIDGET (view),
                           (int) ceil (self->ox + (x + w) * self->scale) - rx,
                           (int) ceil (self->oy + (y + h) * self->scale) - ry, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (rx, ry)));
    }
}

static void
aq_dashboard_view_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  AqDashboardView *self = AQ_DASHBOARD_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width > 0 && height > 0)
    {
      double rgb[3];

      /* a colour node, not a cairo surface as large as the window (33 MB a frame at 4K) */
      aq_tile_draw_background_rgb (self->style, rgb);
      gtk_snapshot_append_color (snapshot, &(GdkRGBA) { rgb[0], rgb[1], rgb[2], 1 },
                                 &GRAPHENE_RECT_INIT (0, 0, width, height));
    }
  if (width > 0 && height > 0 && self->editing && self->dashboard)
    {
      /* the grid's cells, so a drag knows where it lands */
      cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
      cairo_set_source_rgba (cr, 0.5, 0.5, 0.5, 0.25);
      cairo_set_line_width (cr, 1);
      for (int c = 0; c < self->dashboard->columns; c++)
        for (int r = 0; r < self->dashboard->rows; r++)
          cairo_rectangle (cr, self->ox + (GAP + c * (self->cell_w + GAP)) * self->scale,
                           self->oy + (GAP + r * (self->cell_h + GAP)) * self->scale,
                           self->cell_w * self->scale, self->cell_h * self->scale);
      cairo_stroke (cr);
      cairo_destroy (cr);
    }
  for (guint i = 0; i < self->slots->len; i++)
    gtk_widget_snapshot_child (widget, GTK_WIDGET (slot_at (self, i)->view), snapshot);
}

static void
aq_dashboard_view_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = 0;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 960 : 600;
}

/* ---- GObject overrides ---- */

static void
aq_dashboard_view_dispose (GObject *object)
{
  AqDashboardView *self = AQ_DASHBOARD_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->slots)
    clear_slots (self);
  G_OBJECT_CLASS (aq_dashboard_view_parent_class)->dispose (object);
}

static void
aq_dashboard_view_finalize (GObject *object)
{
  AqDashboardView *self = AQ_DASHBOARD_VIEW (object);

  g_clear_pointer (&self->slots, g_array_unref);
  g_clear_pointer (&self->dashboard, aq_dashboard_free);
  g_clear_object (&self->catalog);
  g_free (self->catalog_error);
  g_free (self->conninfo);
  g_free (self->selected);
  g_free (self->drag_id);
  G_OBJECT_CLASS (aq_dashboard_view_parent_class)->finalize (object);
}

static void
aq_dashboard_view_class_init (AqDashboardViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_dashboard_view_dispose;
  object_class->finalize = aq_dashboard_view_finalize;
  widget_class->size_allocate = aq_dashboard_view_size_allocate;
  widget_class->snapshot = aq_dashboard_view_snapshot;
  widget_class->measure = aq_dashboard_view_measure;

  /* A tile was clicked outside the designer: open its figures as the full report. */
  signals[TILE_ACTIVATED] = g_signal_new ("tile-activated", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The designer's selection changed (NULL: none). */
  signals[TILE_SELECTED] = g_signal_new ("tile-selected", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The designer changed the dashboard (a tile moved, was added, removed or edited). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Every tile has its first figures (or its error). */
  signals[LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_css_name (widget_class, "aq-dashboard");
}

static void
aq_dashboard_view_init (AqDashboardView *self)
{
  GtkGesture *drag = gtk_gesture_drag_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->slots = g_array_new (FALSE, TRUE, sizeof (Slot));
  self->cancellable = g_cancellable_new ();
  self->scale = 1;
  self->tick_id = g_timeout_add_seconds (1, tick_cb, self);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (click, "released", G_CALLBACK (click_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
}

/* ---- public API ---- */

AqDashboardView *
aq_dashboard_view_new (AqTileStyle style)
{
  AqDashboardView *self = g_object_new (AQ_TYPE_DASHBOARD_VIEW, NULL);

  self->style = style;
  return self;
}

void
aq_dashboard_view_set_conninfo (AqDashboardView *self,
                                const char      *conninfo)
{
  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));

  g_free (self->conninfo);
  self->conninfo = g_strdup (conninfo);
  self->has_conninfo = TRUE;
  restart (self);
  g_clear_object (&self->catalog);
  self->catalog_loading = FALSE;
  for (guint i = 0; i < self->slots->len; i++)
    slot_at (self, i)->due_us = 0;
  if (self->dashboard)
    load_catalog (self);
}

void
aq_dashboard_view_set_dashboard (AqDashboardView   *self,
                                 const AqDashboard *dashboard)
{
  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));

  restart (self);
  clear_slots (self);
  g_clear_pointer (&self->dashboard, aq_dashboard_free);
  g_clear_pointer (&self->selected, g_free);
  if (dashboard == NULL)
    {
      gtk_widget_queue_allocate (GTK_WIDGET (self));
      return;
    }
  self->dashboard = aq_dashboard_copy (dashboard);
  for (guint i = 0; i < self->dashboard->tiles->len; i++)
    add_slot (self, self->dashboard->tiles->pdata[i]);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  if (self->catalog)
    fetch_due (self);
  else
    load_catalog (self);
}

AqDashboard *
aq_dashboard_view_get_dashboard (AqDashboardView *self)
{
  g_return_val_if_fail (AQ_IS_DASHBOARD_VIEW (self), NULL);
  return self->dashboard;
}

void
aq_dashboard_view_set_canvas (AqDashboardView *self,
                              int              width,
                              int              height)
{
  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));
  self->canvas_w = width;
  self->canvas_h = height;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

double
aq_dashboard_view_get_scale (AqDashboardView *self)
{
  g_return_val_if_fail (AQ_IS_DASHBOARD_VIEW (self), 1);
  return self->scale;
}

gboolean
aq_dashboard_view_get_tile_rect (AqDashboardView *self,
                                 const char      *id,
                                 graphene_rect_t *out_rect)
{
  int i = find_slot (self, id);
  graphene_rect_t b;

  if (i < 0 || !gtk_widget_compute_bounds (GTK_WIDGET (slot_at (self, i)->view),
                                           GTK_WIDGET (self), &b))
    return FALSE;
  graphene_rect_init (out_rect, (b.origin.x - self->ox) / self->scale,
                      (b.origin.y - self->oy) / self->scale, b.size.width / self->scale,
                      b.size.height / self->scale);
  return TRUE;
}

void
aq_dashboard_view_refresh (AqDashboardView *self)
{
  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));
  for (guint i = 0; i < self->slots->len; i++)
    slot_at (self, i)->due_us = 0;
  if (self->catalog == NULL)
    load_catalog (self);
  else
    fetch_due (self);
}

gboolean
aq_dashboard_view_get_loading (AqDashboardView *self)
{
  g_return_val_if_fail (AQ_IS_DASHBOARD_VIEW (self), FALSE);
  return is_loading (self);
}

guint
aq_dashboard_view_get_n_filled (AqDashboardView *self)
{
  guint n = 0;

  for (guint i = 0; i < self->slots->len; i++)
    n += aq_tile_view_get_data (slot_at (self, i)->view) != NULL;
  return n;
}

guint
aq_dashboard_view_get_n_stale (AqDashboardView *self)
{
  guint n = 0;

  for (guint i = 0; i < self->slots->len; i++)
    n += aq_tile_view_get_stale (slot_at (self, i)->view);
  return n;
}

void
aq_dashboard_view_check_stale (AqDashboardView *self)
{
  g_autoptr(GDateTime) now = aq_clock_now ();

  for (guint i = 0; i < self->slots->len; i++)
    {
      Slot *slot = slot_at (self, i);
      AqTileData *data = aq_tile_view_get_data (slot->view);
      gboolean stale = FALSE;

      if (data && data->as_of)
        {
          int interval = aq_dashboard_tile_get_refresh (aq_tile_view_get_tile (slot->view),
                                                        self->dashboard);

          stale = slot->failed
                  || g_date_time_difference (now, data->as_of) > 2 * (gint64) interval * G_USEC_PER_SEC;
        }
      aq_tile_view_set_stale (slot->view, stale);
    }
}

AqTileView *
aq_dashboard_view_get_tile_view (AqDashboardView *self,
                                 const char      *id)
{
  int i = find_slot (self, id);

  return i < 0 ? NULL : slot_at (self, i)->view;
}

void
aq_dashboard_view_set_editing (AqDashboardView *self,
                               gboolean         editing)
{
  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));
  self->editing = editing;
  if (!editing)
    aq_dashboard_view_select (self, NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
aq_dashboard_view_get_selected (AqDashboardView *self)
{
  g_return_val_if_fail (AQ_IS_DASHBOARD_VIEW (self), NULL);
  return self->selected;
}

void
aq_dashboard_view_select (AqDashboardView *self,
                          const char      *id)
{
  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));
  g_free (self->selected);
  self->selected = g_strdup (id);
  for (guint i = 0; i < self->slots->len; i++)
    aq_tile_view_set_selected (slot_at (self, i)->view,
                               g_strcmp0 (aq_tile_view_get_tile (slot_at (self, i)->view)->id,
                                          id) == 0);
  g_signal_emit (self, signals[TILE_SELECTED], 0, id);
}

gboolean
aq_dashboard_view_place_tile (AqDashboardView *self,
                              const char      *id,
                              int              x,
                              int              y,
                              int              w,
                              int              h)
{
  int i;

  g_return_val_if_fail (AQ_IS_DASHBOARD_VIEW (self), FALSE);
  i = find_slot (self, id);
  if (self->dashboard == NULL || i < 0
      || !aq_dashboard_place_tile (self->dashboard, id, x, y, w, h))
    return FALSE;
  aq_tile_view_set_tile (slot_at (self, i)->view, aq_dashboard_lookup_tile (self->dashboard, id));
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
aq_dashboard_view_add_tile (AqDashboardView       *self,
                            const AqDashboardTile *tile)
{
  g_autoptr(AqDashboardTile) copy = NULL;
  int x, y, n = 1;

  g_return_val_if_fail (AQ_IS_DASHBOARD_VIEW (self), FALSE);
  if (self->dashboard == NULL
      || !aq_dashboard_find_free (self->dashboard, tile->w, tile->h, &x, &y))
    return FALSE;
  copy = aq_dashboard_tile_copy (tile);
  copy->x = x;
  copy->y = y;
  while (aq_dashboard_lookup_tile (self->dashboard, copy->id))
    {
      g_free (copy->id);
      copy->id = g_strdup_printf ("%s_%d", tile->id, ++n);
    }
  add_slot (self, copy);
  g_ptr_array_add (self->dashboard->tiles, g_steal_pointer (&copy));
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
  fetch_due (self);
  return TRUE;
}

void
aq_dashboard_view_update_tile (AqDashboardView       *self,
                               const AqDashboardTile *tile)
{
  int i = find_slot (self, tile->id);

  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));
  if (i < 0)
    return;
  for (guint t = 0; t < self->dashboard->tiles->len; t++)
    if (g_strcmp0 (((AqDashboardTile *) self->dashboard->tiles->pdata[t])->id, tile->id) == 0)
      {
        aq_dashboard_tile_free (self->dashboard->tiles->pdata[t]);
        self->dashboard->tiles->pdata[t] = aq_dashboard_tile_copy (tile);
      }
  aq_tile_view_set_tile (slot_at (self, i)->view, tile);
  slot_at (self, i)->due_us = 0;
  g_signal_emit (self, signals[CHANGED], 0);
  fetch_due (self);
}

void
aq_dashboard_view_remove_tile (AqDashboardView *self,
                               const char      *id)
{
  int i = find_slot (self, id);

  g_return_if_fail (AQ_IS_DASHBOARD_VIEW (self));
  if (i < 0)
    return;
  gtk_widget_unparent (GTK_WIDGET (slot_at (self, i)->view));
  g_array_remove_index (self->slots, i);
  for (guint t = 0; t < self->dashboard->tiles->len; t++)
    if (g_strcmp0 (((AqDashboardTile *) self->dashboard->tiles->pdata[t])->id, id) == 0)
      {
        g_ptr_array_remove_index (self->dashboard->tiles, t);
        break;
      }
  if (g_strcmp0 (self->selected, id) == 0)
    aq_dashboard_view_select (self, NULL);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  g_signal_emit (self, signals[CHANGED], 0);
}

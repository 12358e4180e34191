/* aq-tile-view.c — one tile of a dashboard on screen, with its own spinner
 *
 * The tile is drawn by aq_tile_draw() into a cairo node at the widget's real size, scaled
 * inside cairo (not by a render transform), so the kiosk's 1920×1080 canvas stays sharp on
 * a 4K wall. New figures replace the old ones in one frame: the tile never goes blank while
 * it refreshes, its spinner turns in the corner. The drawing is kept as a texture until
 * something it shows changes (figures, error, staleness, selection, the ticker's line, size
 * or scale): a frame in which the tile did not change — the kiosk's spinner turning, another
 * tile refreshing, the window redrawn — reuses it, so the renderer need not upload a new
 * image of the tile (at 4K, megabytes per tile and frame with software GL).
 */
#define G_LOG_DOMAIN "aq-tile-view"

#include "config.h"

#include "aq-tile-view.h"

struct _AqTileView
{
  GtkWidget        parent_instance;

  AqDashboardTile *tile;
  AqTileData      *data;
  char            *error;
  AqTileStyle      style;
  gboolean         stale;
  gboolean         selected;
  double           scale;
  GtkWidget       *spinner;
  /* the alarm ticker: the first line shown, and the timer that moves it on while more lines
   * exist than fit (no timer otherwise: an idle ticker costs nothing) */
  guint            ticker_first;
  guint            ticker_id;
  /* the last drawing, for as long as nothing it shows changes */
  GdkTexture      *texture;
  int              texture_width, texture_height, texture_factor;
  guint            texture_drawn;   /* the alarm lines it shows */
};

/* Something the tile shows changed: draw it again. */
static void
invalidate (AqTileView *self)
{
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Seconds each alarm stays first on the ticker. */
#define TICKER_STEP_SECONDS 4

static gboolean
ticker_step_cb (gpointer user_data)
{
  AqTileView *self = user_data;

  self->ticker_first++;
  invalidate (self);
  return G_SOURCE_CONTINUE;
}

G_DEFINE_FINAL_TYPE (AqTileView, aq_tile_view, GTK_TYPE_WIDGET)

/* ---- GtkWidget overrides ---- */

/* The tile drawn by aq_tile_draw() into an image of the widget's device pixels. */
static GdkTexture *
draw_texture (AqTileView *self,
              int         width,
              int         height,
              guint      *drawn)
{
  AqTileDrawState state = { self->tile, self->data, self->error, self->stale, self->selected,
                            self->ticker_first };
  int factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * factor,
                                                         height * factor);
  g_autoptr(GBytes) bytes = NULL;
  cairo_t *cr = cairo_create (surface);

  cairo_scale (cr, factor * self->scale, factor * self->scale);
  *drawn = aq_tile_draw (cr, self->style, &state, width / self->scale, height / self->scale);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  /* cairo's ARGB32 is premultiplied native-endian: GDK_MEMORY_DEFAULT */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) cairo_image_surface_get_stride (surface)
                                      * height * factor,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (width * factor, height * factor, GDK_MEMORY_DEFAULT, bytes,
                                 cairo_image_surface_get_stride (surface));
}

static void
aq_tile_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  AqTileView *self = AQ_TILE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint n_alarms = self->data && self->data->alarms ? self->data->alarms->len : 0;
  guint drawn;

  if (width <= 0 || height <= 0 || self->tile == NULL)
    return;
  if (self->texture == NULL || self->texture_width != width || self->texture_height != height
      || self->texture_factor != gtk_widget_get_scale_factor (widget))
    {
      g_clear_object (&self->texture);
      self->texture = draw_texture (self, width, height, &self->texture_drawn);
      self->texture_width = width;
      self->texture_height = height;
      self->texture_factor = gtk_widget_get_scale_factor (widget);
    }
  drawn = self->texture_drawn;
  gtk_snapshot_append_texture (snapshot, self->texture, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (drawn < n_alarms && self->ticker_id == 0)
    self->ticker_id = g_timeout_add_seconds (TICKER_STEP_SECONDS, ticker_step_cb, self);
  else if (drawn >= n_alarms && self->ticker_id != 0)
    {
      g_clear_handle_id (&self->ticker_id, g_source_remove);
      self->ticker_first = 0;
    }
  gtk_widget_snapshot_child (widget, self->spinner, snapshot);
}

static void
aq_tile_view_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  AqTileView *self = AQ_TILE_VIEW (widget);
  int size = MAX (16, (int) (24 * self->scale));
  int pad = (int) (10 * self->scale);

  gtk_widget_allocate (self->spinner, size, size, -1,
                       gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (
                         MAX (0, width - size - pad), MAX (0, height - size - pad))));
}

static void
aq_tile_view_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  *minimum = *natural = 0;
}

/* ---- GObject overrides ---- */

static void
aq_tile_view_dispose (GObject *object)
{
  AqTileView *self = AQ_TILE_VIEW (object);

  g_clear_handle_id (&self->ticker_id, g_source_remove);
  g_clear_pointer (&self->spinner, gtk_widget_unparent);
  G_OBJECT_CLASS (aq_tile_view_parent_class)->dispose (object);
}

static void
aq_tile_view_finalize (GObject *object)
{
  AqTileView *self = AQ_TILE_VIEW (object);

  g_clear_pointer (&self->tile, aq_dashboard_tile_free);
  g_clear_pointer (&self->data, aq_tile_data_free);
  g_free (self->error);
  g_clear_object (&self->texture);
  G_OBJECT_CLASS (aq_tile_view_parent_class)->finalize (object);
}

static void
aq_tile_view_class_init (AqTileViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_tile_view_dispose;
  object_class->finalize = aq_tile_view_finalize;
  widget_class->snapshot = aq_tile_view_snapshot;
  widget_class->size_allocate = aq_tile_view_size_allocate;
  widget_class->measure = aq_tile_view_measure;
  gtk_widget_class_set_css_name (widget_class, "aq-tile");
}

static void
aq_tile_view_init (AqTileView *self)
{
  self->scale = 1;
  self->spinner = gtk_spinner_new ();
  gtk_widget_set_parent (self->spinner, GTK_WIDGET (self));
  gtk_widget_set_visible (self->spinner, FALSE);
}

/* ---- public API ---- */

AqTileView *
aq_tile_view_new (const AqDashboardTile *tile,
                  AqTileStyle            style)
{
  AqTileView *self = g_object_new (AQ_TYPE_TILE_VIEW, NULL);

  self->style = style;
  aq_tile_view_set_tile (self, tile);
  return self;
}

const AqDashboardTile *
aq_tile_view_get_tile (AqTileView *self)
{
  g_return_val_if_fail (AQ_IS_TILE_VIEW (self), NULL);
  return self->tile;
}

void
aq_tile_view_set_tile (AqTileView            *self,
                       const AqDashboardTile *tile)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  g_clear_pointer (&self->tile, aq_dashboard_tile_free);
  self->tile = aq_dashboard_tile_copy (tile);
  invalidate (self);
}

AqTileData *
aq_tile_view_get_data (AqTileView *self)
{
  g_return_val_if_fail (AQ_IS_TILE_VIEW (self), NULL);
  return self->data;
}

void
aq_tile_view_set_data (AqTileView *self,
                       AqTileData *data)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  g_clear_pointer (&self->data, aq_tile_data_free);
  self->data = data;
  g_clear_pointer (&self->error, g_free);
  invalidate (self);
}

const char *
aq_tile_view_get_error (AqTileView *self)
{
  g_return_val_if_fail (AQ_IS_TILE_VIEW (self), NULL);
  return self->error;
}

void
aq_tile_view_set_error (AqTileView *self,
                        const char *error)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  g_free (self->error);
  self->error = g_strdup (error);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), error);
  invalidate (self);
}

gboolean
aq_tile_view_get_loading (AqTileView *self)
{
  g_return_val_if_fail (AQ_IS_TILE_VIEW (self), FALSE);
  return gtk_widget_get_visible (self->spinner);
}

void
aq_tile_view_set_loading (AqTileView *self,
                          gboolean    loading)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  gtk_widget_set_visible (self->spinner, loading);
  gtk_spinner_set_spinning (GTK_SPINNER (self->spinner), loading);
}

gboolean
aq_tile_view_get_stale (AqTileView *self)
{
  g_return_val_if_fail (AQ_IS_TILE_VIEW (self), FALSE);
  return self->stale;
}

void
aq_tile_view_set_stale (AqTileView *self,
                        gboolean    stale)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  if (self->stale == stale)
    return;
  self->stale = stale;
  invalidate (self);
}

void
aq_tile_view_set_selected (AqTileView *self,
                           gboolean    selected)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  self->selected = selected;
  invalidate (self);
}

gboolean
aq_tile_view_get_ticker_moving (AqTileView *self)
{
  g_return_val_if_fail (AQ_IS_TILE_VIEW (self), FALSE);
  return self->ticker_id != 0;
}

void
aq_tile_view_set_scale (AqTileView *self,
                        double      scale)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  if (scale <= 0 || self->scale == scale)
    return;
  self->scale = scale;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  invalidate (self);
}

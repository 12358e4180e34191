/* aq-tile-view.c — one tile of a dashboard on screen, with its own spinner
 *
 * The tile is drawn by aq_tile_draw() into a cairo node at the widget's real size, scaled
 * inside cairo (not by a render transform), so the kiosk's 1920×1080 canvas stays sharp on
 * a 4K wall. New figures replace the old ones in one frame: the tile never goes blank while
 * it refreshes, its spinner turns in the corner.
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
};

/* Seconds each alarm stays first on the ticker. */
#define TICKER_STEP_SECONDS 4

static gboolean
ticker_step_cb (gpointer user_data)
{
  AqTileView *self = user_data;

  self->ticker_first++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_CONTINUE;
}

G_DEFINE_FINAL_TYPE (AqTileView, aq_tile_view, GTK_TYPE_WIDGET)

/* ---- GtkWidget overrides ---- */

static void
aq_tile_view_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  AqTileView *self = AQ_TILE_VIEW (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  AqTileDrawState state = { self->tile, self->data, self->error, self->stale, self->selected,
                            self->ticker_first };
  guint n_alarms = self->data && self->data->alarms ? self->data->alarms->len : 0;
  guint drawn;
  cairo_t *cr;

  if (width <= 0 || height <= 0 || self->tile == NULL)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, self->scale, self->scale);
  drawn = aq_tile_draw (cr, self->style, &state, width / self->scale, height / self->scale);
  cairo_destroy (cr);
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
aq_tile_view_set_selected (AqTileView *self,
                           gboolean    selected)
{
  g_return_if_fail (AQ_IS_TILE_VIEW (self));
  self->selected = selected;
  gtk_widget_queue_draw (GTK_WIDGET (self));
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
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

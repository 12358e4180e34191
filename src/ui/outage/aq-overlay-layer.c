/* aq-overlay-layer.c — zones, network and outages drawn over the basemap
 *
 * Hundreds of read-only polygons and thousands of points: one layer that draws them all in
 * snapshot (one ShumatePathLayer per polygon does not scale). Features come from
 * aq_map_features_load() (one indexed query per kind shown, on a worker thread with its own
 * connection) for the viewport plus a margin, once the viewport has settled for a moment; a
 * newer fetch cancels the older, and a move within the fetched box fetches nothing.
 */
#define G_LOG_DOMAIN "aq-overlay-layer"

#include "config.h"

#include "aq-overlay-layer.h"

#include "aq-db-job.h"

#include <string.h>

#define SETTLE_MS 250

struct _AqOverlayLayer
{
  ShumateLayer  parent_instance;

  char         *conninfo;
  guint         visible;       /* bits of AqOverlayKind */
  guint         fetched_kinds;
  double        fetched[4];    /* the box the features cover */
  GPtrArray    *features;      /* (element-type GPtrArray<AqMapFeature>): one per kind */
  GCancellable *cancellable;
  guint         settle_id;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (AqOverlayLayer, aq_overlay_layer, SHUMATE_TYPE_LAYER)

/* ---- auxiliary methods ---- */

static void
visible_box (AqOverlayLayer *self,
             double          box[4])
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  GtkWidget *widget = GTK_WIDGET (self);
  double w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  double lat0, lon0, lat1, lon1;

  shumate_viewport_widget_coords_to_location (viewport, widget, 0, h, &lat0, &lon0);
  shumate_viewport_widget_coords_to_location (viewport, widget, w, 0, &lat1, &lon1);
  box[0] = MIN (lon0, lon1);
  box[1] = MIN (lat0, lat1);
  box[2] = MAX (lon0, lon1);
  box[3] = MAX (lat0, lat1);
}

static guint
wanted_kinds (AqOverlayLayer *self)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  guint kinds = self->visible;

  /* thousands of valves are a grey smear below street zoom */
  if (shumate_viewport_get_zoom_level (viewport) < 15)
    kinds &= ~(1u << AQ_OVERLAY_VALVE);
  return kinds;
}

typedef struct
{
  double  box[4];
  guint   kinds;
  double  tolerance;
} FetchData;

/* Runs on a worker thread with a pooled connection (aq-db-job.c). */
static gpointer
fetch_job (AqDb          *db,
           gpointer       task_data,
           GCancellable  *cancellable,
           GError       **error)
{
  FetchData *data = task_data;
  g_autoptr(GPtrArray) by_kind = NULL;

  by_kind = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  for (guint kind = 0; kind < AQ_OVERLAY_N_KINDS; kind++)
    {
      AqMapQuery query = { 0 };
      AqMapLayer layer;
      GPtrArray *features;

      query.tolerance = data->tolerance;
      switch (kind)
        {
        case AQ_OVERLAY_COMMUNITY: layer = AQ_MAP_LAYER_COMMUNITIES; break;
        case AQ_OVERLAY_DMA_1:
        case AQ_OVERLAY_DMA_2:
        case AQ_OVERLAY_DMA_3:
          layer = AQ_MAP_LAYER_DMA_ZONES;
          query.dma_level = kind - AQ_OVERLAY_DMA_1 + 1;
          break;
        case AQ_OVERLAY_MAIN:
          layer = AQ_MAP_LAYER_MAINS;
          query.min_dn = 300;
          break;
        case AQ_OVERLAY_VALVE: layer = AQ_MAP_LAYER_VALVES; break;
        case AQ_OVERLAY_KEY_CUSTOMER: layer = AQ_MAP_LAYER_KEY_CUSTOMERS; break;
        case AQ_OVERLAY_OUTAGE_ACTIVE: layer = AQ_MAP_LAYER_OUTAGES_ACTIVE; break;
        default: layer = AQ_MAP_LAYER_OUTAGES_PLANNED; break;
        }
      if ((data->kinds & (1u << kind)) == 0)
        features = g_ptr_array_new ();
      else
        features = aq_map_features_load (db, layer, data->box[0], data->box[1], data->box[2],
                                         data->box[3], &query, cancellable, error);
      if (features == NULL)
        {
          if (g_cancellable_is_cancelled (cancellable))
            {
              g_clear_error (error);
              g_cancellable_set_error_if_cancelled (cancellable, error);
            }
          return NULL;
        }
      g_ptr_array_add (by_kind, features);
    }
  return g_steal_pointer (&by_kind);
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *features = aq_db_job_run_finish (result, fetch_job, &error);
  AqOverlayLayer *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_OVERLAY_LAYER (user_data);
  g_clear_object (&self->cancellable);
  self->loading = FALSE;
  if (features == NULL)
    {
      /* the window's banner tells the user about the connection; the overlay stays as it was */
      g_message ("Could not fetch the map's overlay: %s", error->message);
      return;
    }
  g_clear_pointer (&self->features, g_ptr_array_unref);
  self->features = features;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fetch (AqOverlayLayer *self,
       gboolean        force)
{
  double box[4], margin_x, margin_y;
  guint kinds = wanted_kinds (self);

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;
  visible_box (self, box);
  if (!force && self->features != NULL && kinds == self->fetched_kinds
      && box[0] >= self->fetched[0] && box[1] >= self->fetched[1]
      && box[2] <= self->fetched[2] && box[3] <= self->fetched[3]
      && (box[2] - box[0]) * 4 > self->fetched[2] - self->fetched[0])
    return;

  margin_x = (box[2] - box[0]) / 2;
  margin_y = (box[3] - box[1]) / 2;
  self->fetched[0] = box[0] - margin_x;
  self->fetched[1] = box[1] - margin_y;
  self->fetched[2] = box[2] + margin_x;
  self->fetched[3] = box[3] + margin_y;
  self->fetched_kinds = kinds;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  {
    FetchData *data = g_new0 (FetchData, 1);

    memcpy (data->box, self->fetched, sizeof data->box);
    data->kinds = kinds;
    /* about a pixel of the screen */
    data->tolerance = (box[2] - box[0]) / MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);
    aq_db_job_run_async (self->conninfo, fetch_job, fetch_job, data, g_free,
                         (GDestroyNotify) g_ptr_array_unref, self->cancellable, fetch_cb, self);
  }
}

static gboolean
settled_cb (gpointer user_data)
{
  AqOverlayLayer *self = user_data;

  self->settle_id = 0;
  fetch (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
viewport_changed_cb (AqOverlayLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_clear_handle_id (&self->settle_id, g_source_remove);
  self->settle_id = g_timeout_add (SETTLE_MS, settled_cb, self);
}

/* ---- drawing ---- */

static void
feature_path (AqOverlayLayer *self,
              cairo_t        *cr,
              AqMapFeature   *feature,
              gboolean        close)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  GtkWidget *widget = GTK_WIDGET (self);

  for (guint p = 0; p < feature->parts->len; p++)
    {
      GArray *part = g_ptr_array_index (feature->parts, p);

      for (guint i = 0; i < part->len / 2; i++)
        {
          double x, y;

          shumate_viewport_location_to_widget_coords (viewport, widget,
                                                      g_array_index (part, double, 2 * i + 1),
                                                      g_array_index (part, double, 2 * i),
                                                      &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          else
            cairo_line_to (cr, x, y);
        }
      if (close)
        cairo_close_path (cr);
    }
}

static gboolean
point_xy (AqOverlayLayer *self,
          AqMapFeature   *feature,
          double         *x,
          double         *y)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  GArray *part;

  if (feature->parts->len == 0)
    return FALSE;
  part = g_ptr_array_index (feature->parts, 0);
  if (part->len < 2)
    return FALSE;
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (self),
                                              g_array_index (part, double, 1),
                                              g_array_index (part, double, 0), x, y);
  return TRUE;
}

static void
draw_feature (AqOverlayLayer *self,
              cairo_t        *cr,
              AqOverlayKind   kind,
              AqMapFeature   *feature,
              double          zoom)
{
  double x, y;

  cairo_new_path (cr);
  switch (kind)
    {
    case AQ_OVERLAY_COMMUNITY:
      feature_path (self, cr, feature, TRUE);
      cairo_set_source_rgba (cr, 0.55, 0.38, 0.18, 0.10);
      cairo_fill_preserve (cr);
      cairo_set_source_rgba (cr, 0.55, 0.38, 0.18, 0.7);
      cairo_set_line_width (cr, 1.0);
      cairo_stroke (cr);
      if (zoom >= 16 && feature->name != NULL)
        {
          double x0, y0, x1, y1;
          int width, height;
          /* Pango, not cairo's toy text: the names are Chinese and need the font fallback */
          g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                          feature->name);

          feature_path (self, cr, feature, TRUE);
          cairo_path_extents (cr, &x0, &y0, &x1, &y1);
          cairo_new_path (cr);
          pango_layout_get_pixel_size (layout, &width, &height);
          /* a name wider than its community would cover its neighbours' */
          if (width <= (x1 - x0) * 1.5)
            {
              cairo_move_to (cr, (x0 + x1 - width) / 2, (y0 + y1 - height) / 2);
              cairo_set_source_rgba (cr, 0.35, 0.24, 0.12, 0.9);
              pango_cairo_show_layout (cr, layout);
            }
        }
      break;

    case AQ_OVERLAY_DMA_1:
    case AQ_OVERLAY_DMA_2:
    case AQ_OVERLAY_DMA_3:
      {
        static const double dash[] = { 8, 4 };
        double width = kind == AQ_OVERLAY_DMA_1 ? 3.0 : kind == AQ_OVERLAY_DMA_2 ? 2.0 : 1.2;

        feature_path (self, cr, feature, TRUE);
        if (kind == AQ_OVERLAY_DMA_3)
          cairo_set_dash (cr, dash, 2, 0);
        cairo_set_line_width (cr, width);
        cairo_set_source_rgba (cr, 0.45, 0.20, 0.62, kind == AQ_OVERLAY_DMA_1 ? 0.8 : 0.6);
        cairo_stroke (cr);
        cairo_set_dash (cr, NULL, 0, 0);
      }
      break;

    case AQ_OVERLAY_MAIN:
      feature_path (self, cr, feature, FALSE);
      cairo_set_line_width (cr, feature->level >= 800 ? 4.0 : feature->level >= 500 ? 3.0 : 2.0);
      cairo_set_source_rgba (cr, 0.0, 0.45, 0.85, 0.9);
      cairo_stroke (cr);
      break;

    case AQ_OVERLAY_VALVE:
      if (!point_xy (self, feature, &x, &y))
        break;
      cairo_rectangle (cr, x - 3, y - 3, 6, 6);
      if (g_strcmp0 (feature->kind, "closed") == 0)
        cairo_set_source_rgb (cr, 0.85, 0.2, 0.2);
      else
        cairo_set_source_rgb (cr, 0.1, 0.55, 0.3);
      cairo_fill (cr);
      break;

    case AQ_OVERLAY_KEY_CUSTOMER:
      if (!point_xy (self, feature, &x, &y))
        break;
      cairo_arc (cr, x, y, zoom >= 15 ? 5.5 : 3.5, 0, 2 * G_PI);
      if (g_strcmp0 (feature->kind, "hospital") == 0)
        cairo_set_source_rgb (cr, 0.86, 0.10, 0.20);
      else if (g_strcmp0 (feature->kind, "school") == 0
               || g_strcmp0 (feature->kind, "kindergarten") == 0)
        cairo_set_source_rgb (cr, 0.95, 0.60, 0.05);
      else
        cairo_set_source_rgb (cr, 0.30, 0.30, 0.70);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, zoom >= 15 ? 1.5 : 1.0);
      cairo_stroke (cr);
      break;

    case AQ_OVERLAY_OUTAGE_ACTIVE:
    case AQ_OVERLAY_OUTAGE_PLANNED:
      {
        gboolean active = kind == AQ_OVERLAY_OUTAGE_ACTIVE;

        feature_path (self, cr, feature, TRUE);
        cairo_set_source_rgba (cr, active ? 0.85 : 0.95, active ? 0.1 : 0.55, 0.1, 0.22);
        cairo_fill_preserve (cr);
        cairo_set_line_width (cr, 2.0);
        cairo_set_source_rgba (cr, active ? 0.75 : 0.85, active ? 0.05 : 0.45, 0.05, 0.9);
        cairo_stroke (cr);
      }
      break;

    default:
      break;
    }
}

static void
aq_overlay_layer_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  AqOverlayLayer *self = AQ_OVERLAY_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  cairo_t *cr;

  if (self->features == NULL || self->features->len == 0 || w <= 0 || h <= 0)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_EVEN_ODD);
  /* zones under lines under points, whatever order the warehouse answered in */
  for (int kind = 0; kind < AQ_OVERLAY_N_KINDS; kind++)
    {
      static const AqOverlayKind order[] = {
        AQ_OVERLAY_COMMUNITY, AQ_OVERLAY_DMA_3, AQ_OVERLAY_DMA_2, AQ_OVERLAY_DMA_1,
        AQ_OVERLAY_OUTAGE_PLANNED, AQ_OVERLAY_OUTAGE_ACTIVE, AQ_OVERLAY_MAIN,
        AQ_OVERLAY_VALVE, AQ_OVERLAY_KEY_CUSTOMER,
      };

      GPtrArray *features;

      if ((self->visible & (1u << order[kind])) == 0 || order[kind] >= self->features->len)
        continue;
      features = g_ptr_array_index (self->features, order[kind]);
      for (guint i = 0; i < features->len; i++)
        draw_feature (self, cr, order[kind], g_ptr_array_index (features, i), zoom);
    }
  cairo_destroy (cr);
}

/* ---- GObject overrides ---- */

static void
aq_overlay_layer_constructed (GObject *object)
{
  AqOverlayLayer *self = AQ_OVERLAY_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (aq_overlay_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (viewport_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
aq_overlay_layer_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  GTK_WIDGET_CLASS (aq_overlay_layer_parent_class)->size_allocate (widget, width, height,
                                                                   baseline);
  viewport_changed_cb (AQ_OVERLAY_LAYER (widget));
}

static void
aq_overlay_layer_dispose (GObject *object)
{
  AqOverlayLayer *self = AQ_OVERLAY_LAYER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_pointer (&self->features, g_ptr_array_unref);

  G_OBJECT_CLASS (aq_overlay_layer_parent_class)->dispose (object);
}

static void
aq_overlay_layer_finalize (GObject *object)
{
  g_free (AQ_OVERLAY_LAYER (object)->conninfo);
  G_OBJECT_CLASS (aq_overlay_layer_parent_class)->finalize (object);
}

static void
aq_overlay_layer_class_init (AqOverlayLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aq_overlay_layer_constructed;
  object_class->dispose = aq_overlay_layer_dispose;
  object_class->finalize = aq_overlay_layer_finalize;
  widget_class->snapshot = aq_overlay_layer_snapshot;
  widget_class->size_allocate = aq_overlay_layer_size_allocate;
}

static void
aq_overlay_layer_init (AqOverlayLayer *self)
{
  self->visible = (1u << AQ_OVERLAY_COMMUNITY) | (1u << AQ_OVERLAY_DMA_1)
                  | (1u << AQ_OVERLAY_KEY_CUSTOMER) | (1u << AQ_OVERLAY_OUTAGE_ACTIVE)
                  | (1u << AQ_OVERLAY_OUTAGE_PLANNED);
  /* a drawing layer: clicks go to the map and its gestures */
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

/* ---- public API ---- */

AqOverlayLayer *
aq_overlay_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);
  return g_object_new (AQ_TYPE_OVERLAY_LAYER, "viewport", viewport, NULL);
}

void
aq_overlay_layer_set_conninfo (AqOverlayLayer *self,
                               const char     *conninfo)
{
  g_return_if_fail (AQ_IS_OVERLAY_LAYER (self));

  if (g_strcmp0 (self->conninfo, conninfo) == 0)
    return;
  g_free (self->conninfo);
  self->conninfo = g_strdup (conninfo);
  aq_overlay_layer_reload (self);
}

void
aq_overlay_layer_set_kind_visible (AqOverlayLayer *self,
                                   AqOverlayKind   kind,
                                   gboolean        visible)
{
  g_return_if_fail (AQ_IS_OVERLAY_LAYER (self));
  g_return_if_fail (kind < AQ_OVERLAY_N_KINDS);

  if (visible)
    self->visible |= 1u << kind;
  else
    self->visible &= ~(1u << kind);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (visible && (self->fetched_kinds & (1u << kind)) == 0)
    fetch (self, TRUE);
}

gboolean
aq_overlay_layer_get_kind_visible (AqOverlayLayer *self,
                                   AqOverlayKind   kind)
{
  g_return_val_if_fail (AQ_IS_OVERLAY_LAYER (self), FALSE);
  return (self->visible & (1u << kind)) != 0;
}

/* Fetches the features again (an outage was created, the warehouse changed). */
void
aq_overlay_layer_reload (AqOverlayLayer *self)
{
  g_return_if_fail (AQ_IS_OVERLAY_LAYER (self));
  fetch (self, TRUE);
}

/* Returns: how many features of @kind were fetched for the viewport */
guint
aq_overlay_layer_get_n_features (AqOverlayLayer *self,
                                 AqOverlayKind   kind)
{
  g_return_val_if_fail (AQ_IS_OVERLAY_LAYER (self), 0);

  if (self->features == NULL || kind >= self->features->len)
    return 0;
  return ((GPtrArray *) g_ptr_array_index (self->features, kind))->len;
}

gboolean
aq_overlay_layer_get_loading (AqOverlayLayer *self)
{
  g_return_val_if_fail (AQ_IS_OVERLAY_LAYER (self), FALSE);
  return self->loading;
}

/* aq-overlay-layer.c — zones, network and outages drawn over the basemap
 *
 * Hundreds of read-only polygons and thousands of points: one layer that draws them all in
 * snapshot (one ShumatePathLayer per polygon does not scale). Features come from
 * aq_map_features_load() (one indexed query per kind shown), fetched for the viewport by the
 * base class, AqMapDataLayer (aq-map-data-layer.c): on a worker thread with its own
 * connection, for the viewport plus a margin, once the viewport has settled for a moment; a
 * newer fetch cancels the older, and a move within the fetched box fetches nothing.
 */
#define G_LOG_DOMAIN "aq-overlay-layer"

#include "config.h"

#include "aq-overlay-layer.h"

#include <string.h>

struct _AqOverlayLayer
{
  AqMapDataLayer  parent_instance;

};

G_DEFINE_FINAL_TYPE (AqOverlayLayer, aq_overlay_layer, AQ_TYPE_MAP_DATA_LAYER)

/* ---- auxiliary methods ---- */

/* The kinds shown; 0 (nothing to fetch) when none is. */
static guint64
wanted_kinds (AqMapDataLayer *layer)
{
  guint kinds = aq_map_data_layer_get_visible_kinds (layer);

  /* thousands of valves are a grey smear below street zoom */
  if (aq_map_data_layer_get_zoom (layer) < 15)
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

static gpointer
request_new (AqMapDataLayer *layer,
             const double    box[4],
             double          tolerance,
             guint64         wanted)
{
  FetchData *data = g_new0 (FetchData, 1);

  memcpy (data->box, box, sizeof data->box);
  data->kinds = (guint) wanted;
  data->tolerance = tolerance;
  return data;
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
  GPtrArray *by_kind = aq_map_data_layer_get_features (AQ_MAP_DATA_LAYER (self));
  guint visible = aq_map_data_layer_get_visible_kinds (AQ_MAP_DATA_LAYER (self));
  cairo_t *cr;

  if (by_kind == NULL || by_kind->len == 0 || w <= 0 || h <= 0)
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

      if ((visible & (1u << order[kind])) == 0 || order[kind] >= by_kind->len)
        continue;
      features = g_ptr_array_index (by_kind, order[kind]);
      for (guint i = 0; i < features->len; i++)
        draw_feature (self, cr, order[kind], g_ptr_array_index (features, i), zoom);
    }
  cairo_destroy (cr);
}

/* ---- GObject overrides ---- */

static void
aq_overlay_layer_class_init (AqOverlayLayerClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AqMapDataLayerClass *data_class = AQ_MAP_DATA_LAYER_CLASS (klass);

  widget_class->snapshot = aq_overlay_layer_snapshot;
  data_class->wanted = wanted_kinds;
  data_class->request_new = request_new;
  data_class->fetch_job = fetch_job;
  data_class->refetch_zoomed_in = TRUE;
  data_class->what = "the map's overlay";
}

static void
aq_overlay_layer_init (AqOverlayLayer *self)
{
  aq_map_data_layer_set_visible_kinds (AQ_MAP_DATA_LAYER (self),
                                       (1u << AQ_OVERLAY_COMMUNITY) | (1u << AQ_OVERLAY_DMA_1)
                                       | (1u << AQ_OVERLAY_KEY_CUSTOMER)
                                       | (1u << AQ_OVERLAY_OUTAGE_ACTIVE)
                                       | (1u << AQ_OVERLAY_OUTAGE_PLANNED));
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
  aq_map_data_layer_set_conninfo (AQ_MAP_DATA_LAYER (self), conninfo);
}

void
aq_overlay_layer_set_kind_visible (AqOverlayLayer *self,
                                   AqOverlayKind   kind,
                                   gboolean        visible)
{
  AqMapDataLayer *layer = (AqMapDataLayer *) self;
  guint kinds;

  g_return_if_fail (AQ_IS_OVERLAY_LAYER (self));
  g_return_if_fail (kind < AQ_OVERLAY_N_KINDS);
  kinds = aq_map_data_layer_get_visible_kinds (layer);
  aq_map_data_layer_set_visible_kinds (layer, visible ? kinds | 1u << kind : kinds & ~(1u << kind));
}

gboolean
aq_overlay_layer_get_kind_visible (AqOverlayLayer *self,
                                   AqOverlayKind   kind)
{
  g_return_val_if_fail (AQ_IS_OVERLAY_LAYER (self), FALSE);
  return (aq_map_data_layer_get_visible_kinds (AQ_MAP_DATA_LAYER (self)) & (1u << kind)) != 0;
}

/* Fetches the features again (an outage was created, the warehouse changed). */
void
aq_overlay_layer_reload (AqOverlayLayer *self)
{
  g_return_if_fail (AQ_IS_OVERLAY_LAYER (self));
  aq_map_data_layer_reload (AQ_MAP_DATA_LAYER (self));
}

/* Returns: how many features of @kind were fetched for the viewport */
guint
aq_overlay_layer_get_n_features (AqOverlayLayer *self,
                                 AqOverlayKind   kind)
{
  GPtrArray *features;

  g_return_val_if_fail (AQ_IS_OVERLAY_LAYER (self), 0);
  features = aq_map_data_layer_get_kind (AQ_MAP_DATA_LAYER (self), kind);
  return features ? features->len : 0;
}

gboolean
aq_overlay_layer_get_loading (AqOverlayLayer *self)
{
  g_return_val_if_fail (AQ_IS_OVERLAY_LAYER (self), FALSE);
  return aq_map_data_layer_is_fetching (AQ_MAP_DATA_LAYER (self));
}

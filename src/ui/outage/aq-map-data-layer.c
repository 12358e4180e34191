/* aq-map-data-layer.c — a map layer drawn from warehouse features fetched for the viewport
 *
 * What the outage map's overlay (zones, mains, outages) and its network layers (pipes,
 * valves, sources) share: features come from a job on a worker thread with its own pooled
 * connection, for the viewport plus half of it again on each side, once the viewport has
 * settled for a moment; a newer fetch cancels the older, and a move within the fetched box
 * fetches nothing unless what is wanted changed (the subclass's key: its kinds, a diameter
 * floor by zoom). The subclasses draw (snapshot) and say what to fetch (the class's vfuncs).
 */
#define G_LOG_DOMAIN "aq-map-data-layer"

#include "config.h"

#include "aq-map-data-layer.h"

#include <string.h>

#define SETTLE_MS 250

typedef struct
{
  char         *conninfo;
  guint64       fetched_key;
  double        fetched[4];    /* the box the features cover */
  GPtrArray    *features;      /* (element-type GPtrArray): one per kind */
  GCancellable *cancellable;
  guint         settle_id;
  gboolean      loading;
  guint         visible;       /* bits of the subclass's kinds */
} AqMapDataLayerPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (AqMapDataLayer, aq_map_data_layer, SHUMATE_TYPE_LAYER)

/* ---- auxiliary methods ---- */

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  AqMapDataLayer *self;
  AqMapDataLayerPrivate *priv;
  g_autoptr(GError) error = NULL;
  GPtrArray *features;

  features = aq_db_job_run_finish (result, AQ_MAP_DATA_LAYER_GET_CLASS (user_data)->fetch_job,
                                   &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = AQ_MAP_DATA_LAYER (user_data);
  priv = aq_map_data_layer_get_instance_private (self);
  g_clear_object (&priv->cancellable);
  priv->loading = FALSE;
  if (features == NULL)
    {
      /* the window's banner tells the user about the connection; the layer stays as it was */
      g_message ("Could not fetch %s: %s", AQ_MAP_DATA_LAYER_GET_CLASS (self)->what,
                 error->message);
      return;
    }
  g_clear_pointer (&priv->features, g_ptr_array_unref);
  priv->features = features;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fetch (AqMapDataLayer *self,
       gboolean        force)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);
  AqMapDataLayerClass *klass = AQ_MAP_DATA_LAYER_GET_CLASS (self);
  double box[4], margin_x, margin_y, tolerance;
  guint64 wanted;
  gpointer data;

  if (gtk_widget_get_width (GTK_WIDGET (self)) <= 0)
    return;
  wanted = klass->wanted (self);
  if (wanted == 0)
    {
      /* nothing to show: no query, and what was fetched is stale */
      g_cancellable_cancel (priv->cancellable);
      g_clear_object (&priv->cancellable);
      g_clear_pointer (&priv->features, g_ptr_array_unref);
      priv->fetched_key = 0;
      priv->loading = FALSE;
      return;
    }
  aq_map_data_layer_visible_box (self, box);
  if (!force && priv->features != NULL && wanted == priv->fetched_key
      && box[0] >= priv->fetched[0] && box[1] >= priv->fetched[1]
      && box[2] <= priv->fetched[2] && box[3] <= priv->fetched[3]
      && (!klass->refetch_zoomed_in
          || (box[2] - box[0]) * 4 > priv->fetched[2] - priv->fetched[0]))
    return;

  margin_x = (box[2] - box[0]) / 2;
  margin_y = (box[3] - box[1]) / 2;
  priv->fetched[0] = box[0] - margin_x;
  priv->fetched[1] = box[1] - margin_y;
  priv->fetched[2] = box[2] + margin_x;
  priv->fetched[3] = box[3] + margin_y;
  priv->fetched_key = wanted;

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  priv->loading = TRUE;
  /* about a pixel of the screen */
  tolerance = (box[2] - box[0]) / MAX (gtk_widget_get_width (GTK_WIDGET (self)), 1);
  data = klass->request_new (self, priv->fetched, tolerance, wanted);
  aq_db_job_run_async (priv->conninfo, klass->fetch_job, klass->fetch_job, data, g_free,
                       (GDestroyNotify) g_ptr_array_unref, priv->cancellable, fetch_cb, self);
}

static gboolean
settled_cb (gpointer user_data)
{
  AqMapDataLayer *self = user_data;
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  priv->settle_id = 0;
  fetch (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
viewport_changed_cb (AqMapDataLayer *self)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_clear_handle_id (&priv->settle_id, g_source_remove);
  priv->settle_id = g_timeout_add (SETTLE_MS, settled_cb, self);
}

/* ---- GObject overrides ---- */

static void
aq_map_data_layer_constructed (GObject *object)
{
  AqMapDataLayer *self = AQ_MAP_DATA_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (aq_map_data_layer_parent_class)->constructed (object);
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
aq_map_data_layer_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  GTK_WIDGET_CLASS (aq_map_data_layer_parent_class)->size_allocate (widget, width, height,
                                                                    baseline);
  viewport_changed_cb (AQ_MAP_DATA_LAYER (widget));
}

static void
aq_map_data_layer_dispose (GObject *object)
{
  AqMapDataLayerPrivate *priv =
    aq_map_data_layer_get_instance_private (AQ_MAP_DATA_LAYER (object));

  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  g_clear_handle_id (&priv->settle_id, g_source_remove);
  g_clear_pointer (&priv->features, g_ptr_array_unref);
  G_OBJECT_CLASS (aq_map_data_layer_parent_class)->dispose (object);
}

static void
aq_map_data_layer_finalize (GObject *object)
{
  AqMapDataLayerPrivate *priv =
    aq_map_data_layer_get_instance_private (AQ_MAP_DATA_LAYER (object));

  g_free (priv->conninfo);
  G_OBJECT_CLASS (aq_map_data_layer_parent_class)->finalize (object);
}

static void
aq_map_data_layer_class_init (AqMapDataLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aq_map_data_layer_constructed;
  object_class->dispose = aq_map_data_layer_dispose;
  object_class->finalize = aq_map_data_layer_finalize;
  widget_class->size_allocate = aq_map_data_layer_size_allocate;
  klass->what = "the map's layer";
}

static void
aq_map_data_layer_init (AqMapDataLayer *self)
{
}

/* ---- public API ---- */

void
aq_map_data_layer_set_conninfo (AqMapDataLayer *self,
                                const char     *conninfo)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  g_return_if_fail (AQ_IS_MAP_DATA_LAYER (self));
  if (g_strcmp0 (priv->conninfo, conninfo) == 0)
    return;
  g_free (priv->conninfo);
  priv->conninfo = g_strdup (conninfo);
  fetch (self, TRUE);
}

void
aq_map_data_layer_reload (AqMapDataLayer *self)
{
  g_return_if_fail (AQ_IS_MAP_DATA_LAYER (self));
  fetch (self, TRUE);
}

GPtrArray *
aq_map_data_layer_get_features (AqMapDataLayer *self)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  return priv->features;
}

GPtrArray *
aq_map_data_layer_get_kind (AqMapDataLayer *self,
                            guint           kind)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  if (priv->features == NULL || kind >= priv->features->len)
    return NULL;
  return g_ptr_array_index (priv->features, kind);
}

guint64
aq_map_data_layer_get_fetched (AqMapDataLayer *self)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  return priv->fetched_key;
}

gboolean
aq_map_data_layer_get_fetched_box (AqMapDataLayer *self,
                                   double          box[4])
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  if (priv->features == NULL)
    return FALSE;
  memcpy (box, priv->fetched, 4 * sizeof (double));
  return TRUE;
}

void
aq_map_data_layer_set_visible_kinds (AqMapDataLayer *self,
                                     guint           kinds)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);
  guint shown = kinds & ~priv->visible;

  priv->visible = kinds;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if ((shown & ~priv->fetched_key) != 0)
    aq_map_data_layer_reload (self);
}

guint
aq_map_data_layer_get_visible_kinds (AqMapDataLayer *self)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  return priv->visible;
}

gboolean
aq_map_data_layer_is_fetching (AqMapDataLayer *self)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  return priv->loading;
}

gboolean
aq_map_data_layer_is_settling (AqMapDataLayer *self)
{
  AqMapDataLayerPrivate *priv = aq_map_data_layer_get_instance_private (self);

  return priv->settle_id != 0;
}

void
aq_map_data_layer_visible_box (AqMapDataLayer *self,
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

double
aq_map_data_layer_get_zoom (AqMapDataLayer *self)
{
  return shumate_viewport_get_zoom_level (shumate_layer_get_viewport (SHUMATE_LAYER (self)));
}

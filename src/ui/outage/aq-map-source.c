/* aq-map-source.c — the offline basemap as a libshumate data source
 *
 * libshumate 1.0.3 cannot read file:// tiles nor draw vector tiles here, so the basemap is a
 * ShumateDataSource whose tiles are PNG bytes from AqTileRenderer (drawn on a worker thread
 * from the warehouse, cached on disk) handed to shumate_raster_renderer_new_full(). A site
 * with an online XYZ tile server sets its URL in the preferences instead.
 */
#define G_LOG_DOMAIN "aq-map-source"

#include "config.h"

#include "aq-map-source.h"

#include <glib/gi18n.h>

struct _AqMapSource
{
  ShumateDataSource  parent_instance;

  AqTileRenderer    *renderer;
  guint              pending;   /* tiles asked for and not answered yet */
  gint64             answered;  /* when the last one was answered (monotonic µs) */
  guint              scale;     /* 2 on a HiDPI screen: 512-pixel tiles, drawn at 256 */
};

G_DEFINE_FINAL_TYPE (AqMapSource, aq_map_source, SHUMATE_TYPE_DATA_SOURCE)

typedef struct
{
  int x, y, zoom;
} TileKey;

/* ---- callbacks ---- */

static void
render_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AqMapSource *self = g_task_get_source_object (task);
  GError *error = NULL;
  GBytes *png;

  self->pending--;
  self->answered = g_get_monotonic_time ();

  png = aq_tile_renderer_render_finish (AQ_TILE_RENDERER (object), result, &error);
  if (png == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* libshumate 1.0's raster renderer makes the tile's texture in its "received-data"
   * handler, not from what _finish returns: without the signal the map stays blank */
  {
    TileKey *key = g_task_get_task_data (task);

    g_signal_emit_by_name (self, "received-data", key->x, key->y, key->zoom, png);
  }
  g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

/* ---- ShumateDataSource overrides ---- */

static void
aq_map_source_get_tile_data_async (ShumateDataSource   *source,
                                   int                  x,
                                   int                  y,
                                   int                  zoom_level,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  AqMapSource *self = AQ_MAP_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TileKey *key = g_new0 (TileKey, 1);

  key->x = x;
  key->y = y;
  key->zoom = zoom_level;
  g_task_set_source_tag (task, aq_map_source_get_tile_data_async);
  g_task_set_task_data (task, key, g_free);
  self->pending++;
  aq_tile_renderer_render_async (self->renderer, zoom_level, x, y, self->scale, cancellable,
                                 render_cb, task);
}

static GBytes *
aq_map_source_get_tile_data_finish (ShumateDataSource  *source,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject overrides ---- */

static void
aq_map_source_dispose (GObject *object)
{
  g_clear_object (&AQ_MAP_SOURCE (object)->renderer);
  G_OBJECT_CLASS (aq_map_source_parent_class)->dispose (object);
}

static void
aq_map_source_class_init (AqMapSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->dispose = aq_map_source_dispose;
  source_class->get_tile_data_async = aq_map_source_get_tile_data_async;
  source_class->get_tile_data_finish = aq_map_source_get_tile_data_finish;
}

static void
aq_map_source_init (AqMapSource *self)
{
  self->scale = 1;
}

/* ---- public API ---- */

AqMapSource *
aq_map_source_new (AqTileRenderer *renderer)
{
  AqMapSource *self;

  g_return_val_if_fail (AQ_IS_TILE_RENDERER (renderer), NULL);

  self = g_object_new (AQ_TYPE_MAP_SOURCE, NULL);
  self->renderer = g_object_ref (renderer);
  return self;
}

/* @scale: the screen's scale factor; tiles asked for from now on are drawn for it */
void
aq_map_source_set_scale (AqMapSource *self,
                         guint        scale)
{
  g_return_if_fail (AQ_IS_MAP_SOURCE (self));
  self->scale = scale >= 2 ? 2 : 1;
}

/* Returns: TRUE when no tile is being drawn and the last one has faded in (the map layer
 * fades new tiles in for a moment): what a screenshot waits for */
gboolean
aq_map_source_get_idle (AqMapSource *self)
{
  g_return_val_if_fail (AQ_IS_MAP_SOURCE (self), TRUE);
  return self->pending == 0 && g_get_monotonic_time () - self->answered > G_USEC_PER_SEC / 2;
}

/**
 * aq_map_source_new_basemap:
 * @conninfo: (nullable): the warehouse whose GIS layers are drawn
 * @online_url: (nullable): an XYZ URL template ({x}, {y}, {z}); empty or NULL: offline
 * @out_source: (out) (optional) (transfer full): the offline data source, NULL when online
 *
 * Returns: (transfer full): the map source the outage map shows
 */
ShumateMapSource *
aq_map_source_new_basemap (const char   *conninfo,
                           const char   *online_url,
                           AqMapSource **out_source)
{
  g_autoptr(AqTileRenderer) renderer = NULL;
  g_autoptr(AqMapSource) source = NULL;
  g_autofree char *cache_dir = NULL;

  if (out_source != NULL)
    *out_source = NULL;
  if (online_url != NULL && *online_url != '\0')
    return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_from_url (online_url));

  cache_dir = aq_tile_renderer_default_cache_dir ();
  renderer = aq_tile_renderer_new (conninfo, cache_dir);
  source = aq_map_source_new (renderer);
  if (out_source != NULL)
    *out_source = g_object_ref (source);
  return SHUMATE_MAP_SOURCE (
    shumate_raster_renderer_new_full ("aqueduct-warehouse", _("Warehouse GIS"),
                                      _("Drawn from the warehouse’s GIS layers"), NULL,
                                      AQ_TILE_MIN_ZOOM, AQ_TILE_MAX_ZOOM, AQ_TILE_SIZE,
                                      SHUMATE_MAP_PROJECTION_MERCATOR,
                                      SHUMATE_DATA_SOURCE (source)));
}

/* aq-tile-renderer.c — the offline basemap: raster tiles drawn with cairo from PostGIS
 *
 * The machines that run Aqueduct have no internet, so the basemap comes from the warehouse's
 * own GIS layers. One statement per tile fetches every feature whose box meets the tile's
 * (plus a margin for line widths and valve symbols), simplified to half a pixel in SQL so a
 * low zoom does not ship every vertex of the city; aq-tile-draw.c projects and draws it.
 * Which layers appear depends on the zoom, as on any street map.
 *
 * Tiles are kept as PNG files in the user's cache, under a key made of the warehouse's
 * connection and the last successful dw_geo run: when the GIS layers are reloaded the key
 * changes and old tiles are simply never read again.
 *
 * Connections are a small pool: libpq connections are not shared between threads, and two
 * cores gain nothing from more than two renders at a time. Asynchronous renders run on a
 * thread pool of the same size rather than GTask's shared one, so the dozens of tiles a map
 * asks for at once do not keep the panels' own queries waiting for a thread.
 */
#define G_LOG_DOMAIN "aq-tile-renderer"

#include "config.h"

#include "aq-tile-renderer.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "aq-connection.h"
#include "aq-db.h"
#include "aq-error.h"
#include "aq-tile-draw-private.h"

#define MAX_CONNECTIONS 2

struct _AqTileRenderer
{
  GObject      parent_instance;

  char        *conninfo;
  char        *cache_dir;

  GMutex       mutex;
  GCond        cond;
  GQueue       idle;          /* AqDb */
  guint        n_connections;
  char        *cache_key;     /* (nullable): set by the first connection */
  GThreadPool *pool;          /* (nullable): the async renders, made on first use */
};

G_DEFINE_FINAL_TYPE (AqTileRenderer, aq_tile_renderer, G_TYPE_OBJECT)

/* $1…$4 the box with its margin, $5 the simplification tolerance in degrees, $6 the zoom.
 * Large polygons are clipped to the box first: at street zoom a tile needs a few of the
 * river's vertices, not all of them. */
static const char tile_sql[] =
  "SELECT 0, 0, ST_AsBinary(ST_SimplifyPreserveTopology("
  "         ST_ClipByBox2D(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)), $5))"
  "  FROM dw.gis_river WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
  " UNION ALL "
  "SELECT 1, 0, ST_AsBinary(ST_SimplifyPreserveTopology("
  "         ST_ClipByBox2D(geom, ST_MakeEnvelope($1, $2, $3, $4, 4326)), $5))"
  "  FROM dw.dim_district WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
  " UNION ALL "
  "SELECT 2, 0, ST_AsBinary(ST_SimplifyPreserveTopology(geom, $5))"
  "  FROM dw.dim_community WHERE $6::int >= 14"
  "   AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
  " UNION ALL "
  "SELECT 3, road_class, ST_AsBinary(ST_SimplifyPreserveTopology(geom, $5))"
  "  FROM dw.gis_road WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
  "   AND ($6::int >= 14 OR road_class <= 2)"
  " UNION ALL "
  "SELECT 4, dn, ST_AsBinary(ST_SimplifyPreserveTopology(geom, $5))"
  "  FROM dw.gis_pipe WHERE $6::int >= 13"
  "   AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)"
  "   AND dn >= CASE WHEN $6::int >= 16 THEN 0 WHEN $6::int >= 15 THEN 150"
  "                  WHEN $6::int >= 14 THEN 300 ELSE 600 END"
  " UNION ALL "
  "SELECT 5, CASE status WHEN 'open' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END, ST_AsBinary(geom)"
  "  FROM dw.gis_valve WHERE $6::int >= 16"
  "   AND geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)";

static const char version_sql[] =
  "SELECT coalesce(max(run_id)::text, 'none') || '-' || coalesce(max(finished_at)::text, '')"
  "  FROM meta.pipeline_run WHERE pipeline = 'dw_geo' AND status = 'succeeded'";

/* ---- projection ---- */

void
aq_tile_lon_lat_to_tile (double  lon,
                         double  lat,
                         guint   zoom,
                         double *tile_x,
                         double *tile_y)
{
  double n = ldexp (1.0, (int) zoom);
  double phi = lat * G_PI / 180.0;

  *tile_x = (lon + 180.0) / 360.0 * n;
  *tile_y = (1.0 - asinh (tan (phi)) / G_PI) / 2.0 * n;
}

void
aq_tile_to_lon_lat (double  tile_x,
                    double  tile_y,
                    guint   zoom,
                    double *lon,
                    double *lat)
{
  double n = ldexp (1.0, (int) zoom);

  *lon = tile_x / n * 360.0 - 180.0;
  *lat = atan (sinh (G_PI * (1.0 - 2.0 * tile_y / n))) * 180.0 / G_PI;
}

/* ---- connections ---- */

static AqDb *
take_db (AqTileRenderer  *self,
         GCancellable    *cancellable,
         GError         **error)
{
  AqDb *db = NULL;
  gboolean create = FALSE;

  g_mutex_lock (&self->mutex);
  while ((db = g_queue_pop_head (&self->idle)) == NULL)
    {
      if (self->n_connections < MAX_CONNECTIONS)
        {
          self->n_connections++;
          create = TRUE;
          break;
        }
      g_cond_wait_until (&self->cond, &self->mutex,
                         g_get_monotonic_time () + G_TIME_SPAN_SECOND / 10);
      if (g_cancellable_is_cancelled (cancellable))
        break;
    }
  g_mutex_unlock (&self->mutex);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (db != NULL)
        {
          g_mutex_lock (&self->mutex);
          g_queue_push_tail (&self->idle, db);
          g_cond_signal (&self->cond);
          g_mutex_unlock (&self->mutex);
        }
      if (create)
        {
          g_mutex_lock (&self->mutex);
          self->n_connections--;
          g_mutex_unlock (&self->mutex);
        }
      return NULL;
    }

  if (create)
    {
      g_autofree char *version = NULL;

      db = aq_connection_open (self->conninfo, error);
      if (db != NULL)
        {
          version = aq_db_query_string (db, version_sql, 0, NULL, error);
          if (version == NULL)
            g_clear_object (&db);
        }
      g_mutex_lock (&self->mutex);
      if (db == NULL)
        self->n_connections--;
      else if (self->cache_key == NULL)
        {
          g_autofree char *seed = g_strdup_printf ("%s|%s", aq_db_get_conninfo (db), version);
          g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, seed, -1);

          self->cache_key = g_strndup (sum, 16);
        }
      g_mutex_unlock (&self->mutex);
    }
  return db;
}

static void
give_db (AqTileRenderer *self,
         AqDb           *db)
{
  g_mutex_lock (&self->mutex);
  if (aq_db_is_ok (db))
    g_queue_push_tail (&self->idle, db);
  else
    {
      g_object_unref (db);
      self->n_connections--;
    }
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

static char *
cache_path (AqTileRenderer *self,
            guint           zoom,
            guint           x,
            guint           y,
            guint           scale)
{
  g_autofree char *name = NULL;
  g_autofree char *key = NULL;

  g_mutex_lock (&self->mutex);
  key = g_strdup (self->cache_key);
  g_mutex_unlock (&self->mutex);
  if (self->cache_dir == NULL || key == NULL)
    return NULL;
  name = scale > 1 ? g_strdup_printf ("%u@%ux.png", y, scale) : g_strdup_printf ("%u.png", y);
  return g_strdup_printf ("%s/%s/%u/%u/%s", self->cache_dir, key, zoom, x, name);
}

/* ---- GObject overrides ---- */

static void
aq_tile_renderer_finalize (GObject *object)
{
  AqTileRenderer *self = AQ_TILE_RENDERER (object);

  /* No render is pending: each holds a reference to the renderer. The last reference can be
   * dropped on a pool thread itself, so the pool is not waited for. */
  if (self->pool != NULL)
    g_thread_pool_free (self->pool, TRUE, FALSE);
  g_queue_clear_full (&self->idle, g_object_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self->conninfo);
  g_free (self->cache_dir);
  g_free (self->cache_key);

  G_OBJECT_CLASS (aq_tile_renderer_parent_class)->finalize (object);
}

static void
aq_tile_renderer_class_init (AqTileRendererClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_tile_renderer_finalize;
}

static void
aq_tile_renderer_init (AqTileRenderer *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  g_queue_init (&self->idle);
}

/* ---- public API ---- */

/**
 * aq_tile_renderer_new:
 * @conninfo: (nullable): the warehouse, resolved as aq_connection_open() does
 * @cache_dir: (nullable): where tiles are kept; NULL renders every tile afresh
 */
AqTileRenderer *
aq_tile_renderer_new (const char *conninfo,
                      const char *cache_dir)
{
  AqTileRenderer *self = g_object_new (AQ_TYPE_TILE_RENDERER, NULL);

  self->conninfo = g_strdup (conninfo);
  self->cache_dir = g_strdup (cache_dir);
  return self;
}

/* Returns: the basemap's place in the user's cache directory */
char *
aq_tile_renderer_default_cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "aqueduct", "tiles", NULL);
}

/**
 * aq_tile_renderer_get_cache_path:
 *
 * Returns: (nullable): where the tile is or would be cached; NULL without a cache directory
 */
char *
aq_tile_renderer_get_cache_path (AqTileRenderer  *self,
                                 guint            zoom,
                                 guint            x,
                                 guint            y,
                                 guint            scale,
                                 GError         **error)
{
  AqDb *db;

  g_return_val_if_fail (AQ_IS_TILE_RENDERER (self), NULL);

  if (self->cache_dir == NULL)
    return NULL;
  /* the key needs the warehouse's GIS version: one connection tells it */
  db = take_db (self, NULL, error);
  if (db == NULL)
    return NULL;
  give_db (self, db);
  return cache_path (self, zoom, x, y, scale);
}

/**
 * aq_tile_renderer_render:
 * @scale: 1, or 2 for a 512-pixel tile of the same area
 *
 * Blocking: call it on a worker thread (aq_tile_renderer_render_async() does).
 *
 * Returns: (transfer full): the tile as PNG bytes
 */
GBytes *
aq_tile_renderer_render (AqTileRenderer  *self,
                         guint            zoom,
                         guint            x,
                         guint            y,
                         guint            scale,
                         GCancellable    *cancellable,
                         GError         **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(PGresult) res = NULL;
  GBytes *png;
  AqDb *db;
  double lon0, lat0, lon1, lat1, tolerance;
  char p[6][G_ASCII_DTOSTR_BUF_SIZE];
  const char *params[6];
  gsize length;
  gulong handler;

  g_return_val_if_fail (AQ_IS_TILE_RENDERER (self), NULL);
  g_return_val_if_fail (scale == 1 || scale == 2, NULL);

  if (zoom > 30 || x >= (1u << zoom) || y >= (1u << zoom))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("There is no tile %u/%u/%u: x and y must be below 2^zoom."), zoom, x, y);
      return NULL;
    }

  db = take_db (self, cancellable, error);
  if (db == NULL)
    return NULL;

  path = cache_path (self, zoom, x, y, scale);
  if (path != NULL && g_file_get_contents (path, &contents, &length, NULL))
    {
      give_db (self, db);
      return g_bytes_new_take (g_steal_pointer (&contents), length);
    }

  /* a margin of 8 pixels: a wide road or a valve just outside the tile still shows its edge */
  aq_tile_to_lon_lat (x - 8.0 / AQ_TILE_SIZE, y + 1 + 8.0 / AQ_TILE_SIZE, zoom, &lon0, &lat0);
  aq_tile_to_lon_lat (x + 1 + 8.0 / AQ_TILE_SIZE, y - 8.0 / AQ_TILE_SIZE, zoom, &lon1, &lat1);
  tolerance = zoom >= 17 ? 0 : 0.5 * 360.0 / (AQ_TILE_SIZE * scale * ldexp (1.0, (int) zoom));
  g_ascii_dtostr (p[0], sizeof p[0], lon0);
  g_ascii_dtostr (p[1], sizeof p[1], lat0);
  g_ascii_dtostr (p[2], sizeof p[2], lon1);
  g_ascii_dtostr (p[3], sizeof p[3], lat1);
  g_ascii_dtostr (p[4], sizeof p[4], tolerance);
  g_snprintf (p[5], sizeof p[5], "%u", zoom);
  for (guint i = 0; i < 6; i++)
    params[i] = p[i];

  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query_prepared (db, tile_sql, 6, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  give_db (self, db);
  if (res == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }

  png = _aq_tile_draw (res, zoom, x, y, scale);

  if (path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(GError) local_error = NULL;

      /* a cache that cannot be written costs speed, not the tile */
      if (g_mkdir_with_parents (dir, 0700) != 0
          || !g_file_set_contents (path, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                   &local_error))
        g_debug ("Could not cache tile %s: %s", path,
                 local_error ? local_error->message : g_strerror (errno));
    }
  return png;
}

typedef struct
{
  guint zoom, x, y, scale;
} RenderData;

static void
render_worker (gpointer item,
               gpointer user_data)
{
  g_autoptr(GTask) task = item;
  RenderData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  GBytes *png = NULL;

  /* a tile the map no longer shows is not drawn */
  if (!g_cancellable_set_error_if_cancelled (cancellable, &error))
    png = aq_tile_renderer_render (g_task_get_source_object (task), data->zoom, data->x,
                                   data->y, data->scale, cancellable, &error);
  if (png == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, png, (GDestroyNotify) g_bytes_unref);
}

void
aq_tile_renderer_render_async (AqTileRenderer      *self,
                               guint                zoom,
                               guint                x,
                               guint                y,
                               guint                scale,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;

  g_return_if_fail (AQ_IS_TILE_RENDERER (self));

  data = g_new0 (RenderData, 1);
  data->zoom = zoom;
  data->x = x;
  data->y = y;
  data->scale = scale;
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, aq_tile_renderer_render_async);
  g_task_set_task_data (task, data, g_free);
  if (self->pool == NULL)
    self->pool = g_thread_pool_new (render_worker, NULL, MAX_CONNECTIONS, FALSE, NULL);
  /* the pool holds a reference to the task (and so to the renderer) until it is done */
  g_thread_pool_push (self->pool, g_steal_pointer (&task), NULL);
}

/* Returns: (transfer full): the tile as PNG bytes */
GBytes *
aq_tile_renderer_render_finish (AqTileRenderer  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * aq_tile_renderer_query_extent:
 * @box: (out): min lon, min lat, max lon, max lat of the districts
 *
 * Where the map opens: the warehouse's city, whatever part of the world it is in.
 *
 * Returns: FALSE with AQ_ERROR_NOT_FOUND when the warehouse has no districts
 */
gboolean
aq_tile_renderer_query_extent (AqDb     *db,
                               double    box[4],
                               GError  **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  res = aq_db_query (db, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)"
                         " FROM (SELECT ST_Extent(geom) AS e FROM dw.dim_district) s",
                     0, NULL, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1 || PQgetisnull (res, 0, 0))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("The warehouse has no districts yet: run the GIS pipeline (dw_geo)."));
      return FALSE;
    }
  for (int i = 0; i < 4; i++)
    box[i] = g_ascii_strtod (PQgetvalue (res, 0, i), NULL);
  return TRUE;
}

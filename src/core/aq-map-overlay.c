/* aq-map-overlay.c — the map's read-only overlay features, fetched by bounding box
 *
 * What the outage map draws over its basemap: communities, DMA zones by level, mains, valves,
 * key customers and the active and planned outages. The map asks for its viewport (with a
 * margin) once it settles, not per tile; polygons are simplified to about a thousandth of the
 * box, which is less than a pixel on any screen. One statement, every kind switched on or off
 * by a bit of $5, each part reading the layer's GiST index.
 */
#define G_LOG_DOMAIN "aq-map-overlay"

#include "config.h"

#include "aq-map-overlay.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "aq-connection.h"
#include "aq-error.h"

#define BOX "ST_MakeEnvelope($1, $2, $3, $4, 4326)"

static const char overlay_sql[] =
  "SELECT 0, 0, community_code, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $6), 7)"
  "  FROM dw.dim_community WHERE ($5::int & 1) <> 0 AND geom && " BOX
  " UNION ALL "
  "SELECT level, 0, zone_code, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $6), 7)"
  "  FROM dw.dim_dma_zone WHERE ($5::int & (1 << level)) <> 0 AND level BETWEEN 1 AND 3"
  "   AND geom && " BOX
  " UNION ALL "
  "SELECT 4, dn, pipe_id::text, material, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $6), 7)"
  "  FROM dw.gis_pipe WHERE ($5::int & 16) <> 0 AND dn >= 300 AND geom && " BOX
  " UNION ALL "
  "SELECT 5, CASE status WHEN 'open' THEN 0 WHEN 'closed' THEN 1 ELSE 2 END, valve_id::text,"
  "       NULL, ST_AsGeoJSON(geom, 7)"
  "  FROM dw.gis_valve WHERE ($5::int & 32) <> 0 AND geom && " BOX
  " UNION ALL "
  "SELECT 6, 0, kind, name, ST_AsGeoJSON(geom, 7)"
  "  FROM dw.dim_key_customer WHERE ($5::int & 64) <> 0 AND geom && " BOX
  " UNION ALL "
  "SELECT CASE status WHEN 'active' THEN 7 ELSE 8 END, 0, outage_id::text, reason,"
  "       ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, $6), 7)"
  "  FROM notify.outage WHERE status IN ('active', 'planned')"
  "   AND ($5::int & CASE status WHEN 'active' THEN 128 ELSE 256 END) <> 0"
  "   AND geom && " BOX;

/* ---- auxiliary methods ---- */

void
aq_overlay_feature_free (AqOverlayFeature *feature)
{
  if (feature == NULL)
    return;
  g_free (feature->code);
  g_free (feature->name);
  g_array_unref (feature->coords);
  g_array_unref (feature->parts);
  g_free (feature);
}

/* Appends the positions of a GeoJSON coordinates array of any depth, one part per innermost
 * list of positions. */
static void
read_coordinates (JsonArray        *array,
                  AqOverlayFeature *feature)
{
  guint n = json_array_get_length (array);
  JsonNode *first;

  if (n == 0)
    return;
  first = json_array_get_element (array, 0);
  if (JSON_NODE_HOLDS_VALUE (first))
    {
      /* a single position: a point is a part of one vertex */
      double pair[2] = { json_array_get_double_element (array, 0),
                         n > 1 ? json_array_get_double_element (array, 1) : 0 };
      guint start = feature->coords->len / 2;

      g_array_append_val (feature->parts, start);
      g_array_append_vals (feature->coords, pair, 2);
      return;
    }
  first = json_array_get_length (json_array_get_array_element (array, 0)) > 0
          ? json_array_get_element (json_array_get_array_element (array, 0), 0) : NULL;
  if (first != NULL && JSON_NODE_HOLDS_VALUE (first))
    {
      /* a list of positions: one ring or line */
      guint start = feature->coords->len / 2;

      g_array_append_val (feature->parts, start);
      for (guint i = 0; i < n; i++)
        {
          JsonArray *pos = json_array_get_array_element (array, i);
          double pair[2] = { json_array_get_double_element (pos, 0),
                             json_array_get_double_element (pos, 1) };

          g_array_append_vals (feature->coords, pair, 2);
        }
      return;
    }
  for (guint i = 0; i < n; i++)
    read_coordinates (json_array_get_array_element (array, i), feature);
}

static AqOverlayFeature *
feature_new (PGresult *res,
             int       row)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  AqOverlayFeature *feature;
  JsonObject *geometry;

  if (PQgetisnull (res, row, 4)
      || !json_parser_load_from_data (parser, PQgetvalue (res, row, 4), -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  geometry = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (geometry, "coordinates"))
    return NULL;

  feature = g_new0 (AqOverlayFeature, 1);
  feature->kind = atoi (PQgetvalue (res, row, 0));
  feature->attr = atoi (PQgetvalue (res, row, 1));
  feature->code = g_strdup (PQgetvalue (res, row, 2));
  feature->name = PQgetisnull (res, row, 3) ? NULL : g_strdup (PQgetvalue (res, row, 3));
  feature->coords = g_array_new (FALSE, FALSE, sizeof (double));
  feature->parts = g_array_new (FALSE, FALSE, sizeof (guint));
  read_coordinates (json_object_get_array_member (geometry, "coordinates"), feature);
  return feature;
}

/* ---- public API ---- */

/**
 * aq_map_overlay_fetch:
 * @kinds: a bit (1 << AqOverlayKind) for each kind wanted
 *
 * Returns: (transfer container) (element-type AqOverlayFeature): the features whose box meets
 *   the given one, in the order they are drawn (zones under points)
 */
GPtrArray *
aq_map_overlay_fetch (AqDb          *db,
                      double         min_lon,
                      double         min_lat,
                      double         max_lon,
                      double         max_lat,
                      guint          kinds,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) features = NULL;
  char p[6][G_ASCII_DTOSTR_BUF_SIZE];
  const char *params[6];
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  g_ascii_dtostr (p[0], sizeof p[0], min_lon);
  g_ascii_dtostr (p[1], sizeof p[1], min_lat);
  g_ascii_dtostr (p[2], sizeof p[2], max_lon);
  g_ascii_dtostr (p[3], sizeof p[3], max_lat);
  g_snprintf (p[4], sizeof p[4], "%u", kinds);
  g_ascii_dtostr (p[5], sizeof p[5], (max_lon - min_lon) / 2000.0);
  for (guint i = 0; i < 6; i++)
    params[i] = p[i];

  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query_prepared (db, overlay_sql, 6, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (res == NULL)
    return NULL;

  features = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_overlay_feature_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqOverlayFeature *feature = feature_new (res, i);

      if (feature != NULL)
        g_ptr_array_add (features, feature);
    }
  return g_steal_pointer (&features);
}

typedef struct
{
  char   *profile_url;
  double  box[4];
  guint   kinds;
} FetchData;

static void
fetch_data_free (FetchData *data)
{
  g_free (data->profile_url);
  g_free (data);
}

static void
fetch_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  FetchData *data = task_data;
  g_autoptr(AqDb) db = NULL;
  GError *error = NULL;
  GPtrArray *features = NULL;

  db = aq_connection_open (data->profile_url, &error);
  if (db != NULL)
    features = aq_map_overlay_fetch (db, data->box[0], data->box[1], data->box[2], data->box[3],
                                     data->kinds, cancellable, &error);
  if (features == NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (&error);
          g_cancellable_set_error_if_cancelled (cancellable, &error);
        }
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, features, (GDestroyNotify) g_ptr_array_unref);
}

/**
 * aq_map_overlay_fetch_async:
 * @profile_url: (nullable): the warehouse, as aq_connection_open() takes it
 *
 * aq_map_overlay_fetch() on a worker thread with a connection of its own.
 */
void
aq_map_overlay_fetch_async (const char          *profile_url,
                            double               min_lon,
                            double               min_lat,
                            double               max_lon,
                            double               max_lat,
                            guint                kinds,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  FetchData *data = g_new0 (FetchData, 1);

  data->profile_url = g_strdup (profile_url);
  data->box[0] = min_lon;
  data->box[1] = min_lat;
  data->box[2] = max_lon;
  data->box[3] = max_lat;
  data->kinds = kinds;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, aq_map_overlay_fetch_async);
  g_task_set_task_data (task, data, (GDestroyNotify) fetch_data_free);
  g_task_run_in_thread (task, fetch_thread);
}

/* Returns: (transfer container) (element-type AqOverlayFeature): the features */
GPtrArray *
aq_map_overlay_fetch_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

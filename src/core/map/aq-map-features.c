/* aq-map-features.c — the map's overlay layers, read by bounding box
 *
 * Each layer is one indexed query (the && operator on the layer's GiST index) that returns
 * the geometry as GeoJSON, simplified on the server when the caller says how much detail a
 * pixel holds, so a zoomed-out view does not ship every vertex of every community.
 */
#define G_LOG_DOMAIN "aq-map-features"

#include "config.h"

#include "aq-map-features.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "aq-error.h"

/* $1..$4: the box, $5: tolerance, $6: limit, $7: DMA level or min DN.
 * Columns: id, name, kind, level, geojson. */
#define GEOM(col) \
  "ST_AsGeoJSON(CASE WHEN $5::float8 > 0 THEN ST_SimplifyPreserveTopology(" col ", $5::float8)" \
  " ELSE " col " END, 7)"
#define BOX "ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)"

static const char *const layer_sql[] = {
  [AQ_MAP_LAYER_COMMUNITIES] =
    "SELECT community_code, name, property_company, $7::int * 0, " GEOM ("geom")
    " FROM dw.dim_community WHERE geom && " BOX " ORDER BY community_code LIMIT $6::int",
  [AQ_MAP_LAYER_DMA_ZONES] =
    "SELECT zone_code, name, parent_code, level, " GEOM ("geom")
    " FROM dw.dim_dma_zone WHERE geom && " BOX " AND level = $7::int"
    " ORDER BY zone_code LIMIT $6::int",
  [AQ_MAP_LAYER_MAINS] =
    "SELECT pipe_id::text, NULL, material, dn, " GEOM ("geom")
    " FROM dw.gis_pipe WHERE geom && " BOX " AND dn >= $7::int"
    " ORDER BY dn DESC, pipe_id LIMIT $6::int",
  [AQ_MAP_LAYER_VALVES] =
    "SELECT valve_id::text, NULL, status, dn, " GEOM ("geom")
    " FROM dw.gis_valve WHERE geom && " BOX " AND dn >= $7::int"
    " ORDER BY dn DESC, valve_id LIMIT $6::int",
  [AQ_MAP_LAYER_KEY_CUSTOMERS] =
    "SELECT kc_id::text, name, kind, $7::int * 0, " GEOM ("geom")
    " FROM dw.dim_key_customer WHERE geom && " BOX " ORDER BY kc_id LIMIT $6::int",
  [AQ_MAP_LAYER_OUTAGES_ACTIVE] =
    "SELECT outage_id::text, reason, kind, $7::int * 0, " GEOM ("geom")
    " FROM notify.outage WHERE geom && " BOX " AND status = 'active'"
    " ORDER BY outage_id LIMIT $6::int",
  [AQ_MAP_LAYER_OUTAGES_PLANNED] =
    "SELECT outage_id::text, reason, kind, $7::int * 0, " GEOM ("geom")
    " FROM notify.outage WHERE geom && " BOX " AND status = 'planned'"
    " ORDER BY outage_id LIMIT $6::int",
};

/* ---- auxiliary methods ---- */

static GArray *
read_positions (JsonArray *positions)
{
  GArray *part = g_array_sized_new (FALSE, FALSE, sizeof (double),
                                    2 * json_array_get_length (positions));

  for (guint i = 0; i < json_array_get_length (positions); i++)
    {
      JsonArray *pos = json_array_get_array_element (positions, i);
      double lon = json_array_get_double_element (pos, 0);
      double lat = json_array_get_double_element (pos, 1);

      g_array_append_val (part, lon);
      g_array_append_val (part, lat);
    }
  return part;
}

/* GeoJSON from PostGIS into parts; FALSE for a type this layer cannot hold */
static gboolean
read_geometry (AqMapFeature *feature,
               JsonObject   *geometry)
{
  const char *type = json_object_get_string_member (geometry, "type");
  JsonArray *coords = json_object_get_array_member (geometry, "coordinates");

  if (g_str_equal (type, "Point"))
    {
      GArray *part = g_array_sized_new (FALSE, FALSE, sizeof (double), 2);
      double lon = json_array_get_double_element (coords, 0);
      double lat = json_array_get_double_element (coords, 1);

      g_array_append_val (part, lon);
      g_array_append_val (part, lat);
      g_ptr_array_add (feature->parts, part);
      feature->shape = AQ_MAP_SHAPE_POINT;
    }
  else if (g_str_equal (type, "LineString"))
    {
      g_ptr_array_add (feature->parts, read_positions (coords));
      feature->shape = AQ_MAP_SHAPE_LINE;
    }
  else if (g_str_equal (type, "MultiLineString") || g_str_equal (type, "Polygon"))
    {
      for (guint i = 0; i < json_array_get_length (coords); i++)
        g_ptr_array_add (feature->parts, read_positions (json_array_get_array_element (coords, i)));
      feature->shape = g_str_equal (type, "Polygon") ? AQ_MAP_SHAPE_POLYGON : AQ_MAP_SHAPE_LINE;
    }
  else if (g_str_equal (type, "MultiPolygon"))
    {
      for (guint p = 0; p < json_array_get_length (coords); p++)
        {
          JsonArray *rings = json_array_get_array_element (coords, p);

          for (guint i = 0; i < json_array_get_length (rings); i++)
            g_ptr_array_add (feature->parts,
                             read_positions (json_array_get_array_element (rings, i)));
        }
      feature->shape = AQ_MAP_SHAPE_POLYGON;
    }
  else
    return FALSE;
  return TRUE;
}

/* ---- public methods ---- */

void
aq_map_feature_free (AqMapFeature *feature)
{
  if (feature == NULL)
    return;
  g_free (feature->id);
  g_free (feature->name);
  g_free (feature->kind);
  g_clear_pointer (&feature->parts, g_ptr_array_unref);
  g_free (feature);
}

GPtrArray *
aq_map_features_load (AqDb              *db,
                      AqMapLayer         layer,
                      double             min_lon,
                      double             min_lat,
                      double             max_lon,
                      double             max_lat,
                      const AqMapQuery  *query,
                      GCancellable      *cancellable,
                      GError           **error)
{
  AqMapQuery defaults = { .dma_level = 3, .min_dn = 0, .tolerance = 0, .limit = 50000 };
  char box[4][G_ASCII_DTOSTR_BUF_SIZE], tolerance[G_ASCII_DTOSTR_BUF_SIZE];
  char limit[16], extra[16];
  const char *params[] = { box[0], box[1], box[2], box[3], tolerance, limit, extra };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) features = NULL;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (layer <= AQ_MAP_LAYER_OUTAGES_PLANNED, NULL);
  if (query == NULL)
    query = &defaults;

  g_ascii_dtostr (box[0], sizeof box[0], min_lon);
  g_ascii_dtostr (box[1], sizeof box[1], min_lat);
  g_ascii_dtostr (box[2], sizeof box[2], max_lon);
  g_ascii_dtostr (box[3], sizeof box[3], max_lat);
  g_ascii_dtostr (tolerance, sizeof tolerance, MAX (query->tolerance, 0));
  g_snprintf (limit, sizeof limit, "%u", query->limit ? query->limit : 50000);
  g_snprintf (extra, sizeof extra, "%d",
              layer == AQ_MAP_LAYER_DMA_ZONES ? query->dma_level
              : (layer == AQ_MAP_LAYER_MAINS || layer == AQ_MAP_LAYER_VALVES) ? query->min_dn
              : 0);

  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query_prepared (db, layer_sql[layer], G_N_ELEMENTS (params), params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (g_cancellable_is_cancelled (cancellable))
    {
      /* the cancel may have cut the query (its error already set): say cancelled, once */
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (cancellable, error);
      return NULL;
    }
  if (res == NULL)
    return NULL;

  features = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_map_feature_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(AqMapFeature) feature = NULL;

      if (PQgetisnull (res, i, 4))
        continue;
      node = json_from_string (PQgetvalue (res, i, 4), NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      feature = g_new0 (AqMapFeature, 1);
      feature->layer = layer;
      feature->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
      feature->id = g_strdup (PQgetvalue (res, i, 0));
      feature->name = PQgetisnull (res, i, 1) ? NULL : g_strdup (PQgetvalue (res, i, 1));
      feature->kind = PQgetisnull (res, i, 2) ? NULL : g_strdup (PQgetvalue (res, i, 2));
      feature->level = PQgetisnull (res, i, 3) ? 0 : atoi (PQgetvalue (res, i, 3));
      if (read_geometry (feature, json_node_get_object (node)))
        g_ptr_array_add (features, g_steal_pointer (&feature));
    }
  return g_steal_pointer (&features);
}

JsonNode *
aq_map_features_to_json (GPtrArray *features)
{
  JsonObject *collection = json_object_new ();
  JsonArray *list = json_array_new ();
  static const char *const types[] = { "Point", "LineString", "Polygon" };

  for (guint i = 0; i < features->len; i++)
    {
      AqMapFeature *f = g_ptr_array_index (features, i);
      JsonObject *feature = json_object_new ();
      JsonObject *props = json_object_new ();
      JsonObject *geometry = json_object_new ();
      JsonArray *coords = json_array_new ();

      json_object_set_string_member (props, "id", f->id);
      json_object_set_string_member (props, "name", f->name);
      json_object_set_string_member (props, "kind", f->kind);
      json_object_set_int_member (props, "level", f->level);

      /* every ring of a multipolygon goes into one Polygon: drawn with the even-odd rule,
       * as the parts are, that is the same picture */
      for (guint p = 0; p < f->parts->len; p++)
        {
          GArray *part = g_ptr_array_index (f->parts, p);
          JsonArray *positions = json_array_new ();

          for (guint k = 0; k < part->len / 2; k++)
            {
              JsonArray *pos = json_array_new ();

              json_array_add_double_element (pos, g_array_index (part, double, 2 * k));
              json_array_add_double_element (pos, g_array_index (part, double, 2 * k + 1));
              json_array_add_array_element (positions, pos);
            }
          json_array_add_array_element (coords, positions);
        }
      if (f->shape == AQ_MAP_SHAPE_POINT)
        {
          JsonArray *only = json_array_get_array_element (coords, 0);

          json_object_set_array_member (geometry, "coordinates",
                                        json_array_ref (json_array_get_array_element (only, 0)));
          json_array_unref (coords);
          json_object_set_string_member (geometry, "type", "Point");
        }
      else if (f->shape == AQ_MAP_SHAPE_LINE)
        {
          json_object_set_string_member (geometry, "type", "MultiLineString");
          json_object_set_array_member (geometry, "coordinates", coords);
        }
      else
        {
          json_object_set_string_member (geometry, "type", types[f->shape]);
          json_object_set_array_member (geometry, "coordinates", coords);
        }
      json_object_set_string_member (feature, "type", "Feature");
      json_object_set_object_member (feature, "properties", props);
      json_object_set_object_member (feature, "geometry", geometry);
      json_array_add_object_element (list, feature);
    }
  json_object_set_string_member (collection, "type", "FeatureCollection");
  json_object_set_array_member (collection, "features", list);
  {
    JsonNode *root = json_node_new (JSON_NODE_OBJECT);

    json_node_take_object (root, collection);
    return root;
  }
}

/* aq-geojson.c — a shutoff area as GeoJSON: parsed, checked, repaired, written back
 *
 * Whatever comes in (a drawn ring, a Polygon, a MultiPolygon, a Feature or FeatureCollection
 * of them) becomes one MultiPolygon. The checks that need no warehouse run here, so a typing
 * slip is named precisely (which ring, which position); what needs real geometry (a ring
 * crossing itself or another) is asked of PostGIS, which also does the repair. An area that
 * failed any check is never analysed, so no count ever comes from a broken polygon.
 *
 * The text comes from files and windows anyone can fill: it is read by aq_json_read()
 * (size and depth limits before json-glib sees it), every member's type is checked before it
 * is used, and an area has at most AQ_GEOJSON_MAX_VERTICES positions, counted before they are
 * read — the distinct-vertex check sorts, so a ring costs n log n, not n².
 */
#define G_LOG_DOMAIN "aq-geojson"

#include "config.h"

#include "aq-geojson.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-json-reader.h"

G_DEFINE_QUARK (aq-geojson-error-quark, aq_geojson_error)

typedef struct
{
  GPtrArray *polygons;   /* GPtrArray (rings) of GArray (lon,lat) */
  guint      positions;  /* read so far, over every ring */
} Reader;

/* ---- auxiliary methods ---- */

/* A member that is a string; NULL when absent or of another type. */
static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const double *x = a, *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  if (x[1] != y[1])
    return x[1] < y[1] ? -1 : 1;
  return 0;
}

/* How many different (lon, lat) pairs @ring holds. */
static guint
count_distinct (GArray *ring)
{
  guint n = ring->len / 2, distinct = 0;
  g_autofree double *sorted = g_memdup2 (ring->data, sizeof (double) * 2 * n);

  qsort (sorted, n, 2 * sizeof (double), compare_pairs);
  for (guint i = 0; i < n; i++)
    if (i == 0 || compare_pairs (sorted + 2 * i, sorted + 2 * (i - 1)) != 0)
      distinct++;
  return distinct;
}

static gboolean
read_position (JsonNode  *node,
               double    *lon,
               double    *lat,
               GError   **error)
{
  JsonArray *pos;

  if (!JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (pos = json_node_get_array (node)) < 2)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                   _("A position is not a [longitude, latitude] pair"));
      return FALSE;
    }
  for (guint i = 0; i < 2; i++)
    {
      JsonNode *v = json_array_get_element (pos, i);

      if (!JSON_NODE_HOLDS_VALUE (v)
          || (json_node_get_value_type (v) != G_TYPE_DOUBLE
              && json_node_get_value_type (v) != G_TYPE_INT64))
        {
          g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                       _("A coordinate is not a number"));
          return FALSE;
        }
    }
  *lon = json_array_get_double_element (pos, 0);
  *lat = json_array_get_double_element (pos, 1);
  if (!isfinite (*lon) || !isfinite (*lat) || *lon < -180 || *lon > 180 || *lat < -90 || *lat > 90)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_RANGE,
                   _("Coordinate %g,%g is out of range (longitude -180 to 180, latitude -90 to 90)"),
                   *lon, *lat);
      return FALSE;
    }
  return TRUE;
}

/* A ring into out (lon,lat pairs, closed), after the static checks. */
static gboolean
read_ring (Reader    *reader,
           JsonNode  *node,
           guint      polygon_no,
           guint      ring_no,
           GArray    *out,
           GError   **error)
{
  JsonArray *ring;
  guint n, distinct;
  double first_lon = 0, first_lat = 0, last_lon = 0, last_lat = 0;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                   _("Polygon %u, ring %u is not an array of positions"), polygon_no, ring_no);
      return FALSE;
    }
  ring = json_node_get_array (node);
  n = json_array_get_length (ring);
  if (n > AQ_GEOJSON_MAX_VERTICES - reader->positions)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_TOO_MANY,
                   _("The area has more than %u positions: simplify it before importing"),
                   (guint) AQ_GEOJSON_MAX_VERTICES);
      return FALSE;
    }
  reader->positions += n;
  g_array_set_size (out, 0);
  for (guint i = 0; i < n; i++)
    {
      double lon, lat;

      if (!read_position (json_array_get_element (ring, i), &lon, &lat, error))
        {
          g_prefix_error (error, _("Polygon %u, ring %u, position %u: "),
                          polygon_no, ring_no, i + 1);
          return FALSE;
        }
      if (i == 0)
        first_lon = lon, first_lat = lat;
      g_array_append_val (out, lon);
      g_array_append_val (out, lat);
      last_lon = lon, last_lat = lat;
    }
  if (n < 2 || first_lon != last_lon || first_lat != last_lat)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_RING_OPEN,
                   _("Polygon %u, ring %u is not closed: its last position must repeat its first"),
                   polygon_no, ring_no);
      return FALSE;
    }
  /* vertices equal to one already seen do not make a ring any bigger */
  distinct = count_distinct (out);
  if (distinct < 3)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_TOO_FEW,
                   _("Polygon %u, ring %u has %u distinct vertices; an area needs at least 3"),
                   polygon_no, ring_no, distinct);
      return FALSE;
    }
  return TRUE;
}

/* polygons: GPtrArray of GPtrArray (rings) of GArray (lon,lat) */
static gboolean
read_polygon (Reader     *reader,
              JsonNode   *coordinates,
              GError    **error)
{
  GPtrArray *polygons = reader->polygons;
  JsonArray *rings;
  GPtrArray *polygon;
  guint polygon_no = polygons->len + 1;

  if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates)
      || json_array_get_length (rings = json_node_get_array (coordinates)) == 0)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                   _("Polygon %u has no rings"), polygon_no);
      return FALSE;
    }
  polygon = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  g_ptr_array_add (polygons, polygon);
  for (guint i = 0; i < json_array_get_length (rings); i++)
    {
      GArray *ring = g_array_new (FALSE, FALSE, sizeof (double));

      g_ptr_array_add (polygon, ring);
      if (!read_ring (reader, json_array_get_element (rings, i), polygon_no, i + 1, ring,
                      error))
        return FALSE;
    }
  return TRUE;
}

static gboolean read_object (Reader *reader, JsonNode *node, GError **error);

static gboolean
read_geometry (Reader      *reader,
               JsonObject  *object,
               GError     **error)
{
  const char *type = string_member (object, "type");
  JsonNode *coordinates = json_object_get_member (object, "coordinates");

  if (type == NULL)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                   json_object_has_member (object, "type")
                   ? _("Not GeoJSON: \"type\" must be a string")
                   : _("Not GeoJSON: the object has no \"type\""));
      return FALSE;
    }
  if (g_strcmp0 (type, "Polygon") == 0)
    return read_polygon (reader, coordinates, error);
  if (g_strcmp0 (type, "MultiPolygon") == 0)
    {
      JsonArray *list;

      if (coordinates == NULL || !JSON_NODE_HOLDS_ARRAY (coordinates))
        {
          g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                       _("MultiPolygon without coordinates"));
          return FALSE;
        }
      list = json_node_get_array (coordinates);
      for (guint i = 0; i < json_array_get_length (list); i++)
        if (!read_polygon (reader, json_array_get_element (list, i), error))
          return FALSE;
      return TRUE;
    }
  if (g_strcmp0 (type, "Feature") == 0)
    {
      JsonNode *geometry = json_object_get_member (object, "geometry");

      if (geometry == NULL || JSON_NODE_HOLDS_NULL (geometry))
        {
          g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_EMPTY,
                       _("A Feature has no geometry"));
          return FALSE;
        }
      return read_object (reader, geometry, error);
    }
  if (g_strcmp0 (type, "FeatureCollection") == 0)
    {
      JsonNode *features = json_object_get_member (object, "features");
      JsonArray *list;

      if (features == NULL || !JSON_NODE_HOLDS_ARRAY (features))
        {
          g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                       _("FeatureCollection without \"features\""));
          return FALSE;
        }
      list = json_node_get_array (features);
      for (guint i = 0; i < json_array_get_length (list); i++)
        if (!read_object (reader, json_array_get_element (list, i), error))
          return FALSE;
      return TRUE;
    }
  if (*type == '\0')
    g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                 _("Not GeoJSON: the object has no \"type\""));
  else
    g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_TYPE,
                 _("GeoJSON type \"%s\" is not an area: use Polygon or MultiPolygon"), type);
  return FALSE;
}

static gboolean
read_object (Reader     *reader,
             JsonNode   *node,
             GError    **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                   _("Not GeoJSON: expected an object"));
      return FALSE;
    }
  return read_geometry (reader, json_node_get_object (node), error);
}

static AqGeometry *
geometry_from_polygons (GPtrArray  *polygons,
                        GError    **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  AqGeometry *geometry;

  if (polygons->len == 0)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_EMPTY, _("The area has no polygon"));
      return NULL;
    }
  geometry = g_new0 (AqGeometry, 1);
  geometry->min_lon = geometry->min_lat = G_MAXDOUBLE;
  geometry->max_lon = geometry->max_lat = -G_MAXDOUBLE;
  geometry->n_polygons = polygons->len;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "MultiPolygon");
  json_builder_set_member_name (builder, "coordinates");
  json_builder_begin_array (builder);
  for (guint p = 0; p < polygons->len; p++)
    {
      GPtrArray *rings = g_ptr_array_index (polygons, p);

      json_builder_begin_array (builder);
      for (guint r = 0; r < rings->len; r++)
        {
          GArray *ring = g_ptr_array_index (rings, r);
          guint n = ring->len / 2;

          json_builder_begin_array (builder);
          for (guint i = 0; i < n; i++)
            {
              double lon = g_array_index (ring, double, 2 * i);
              double lat = g_array_index (ring, double, 2 * i + 1);

              json_builder_begin_array (builder);
              json_builder_add_double_value (builder, lon);
              json_builder_add_double_value (builder, lat);
              json_builder_end_array (builder);
              geometry->min_lon = MIN (geometry->min_lon, lon);
              geometry->max_lon = MAX (geometry->max_lon, lon);
              geometry->min_lat = MIN (geometry->min_lat, lat);
              geometry->max_lat = MAX (geometry->max_lat, lat);
            }
          geometry->n_vertices += n - 1;
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  geometry->geojson = json_generator_to_data (generator, NULL);
  return geometry;
}

/* ---- public methods ---- */

void
aq_geometry_free (AqGeometry *geometry)
{
  if (geometry == NULL)
    return;
  g_free (geometry->geojson);
  g_free (geometry);
}

AqGeometry *
aq_geometry_copy (const AqGeometry *geometry)
{
  AqGeometry *copy;

  g_return_val_if_fail (geometry != NULL, NULL);
  copy = g_memdup2 (geometry, sizeof *geometry);
  copy->geojson = g_strdup (geometry->geojson);
  return copy;
}

AqGeometry *
aq_geometry_new_from_json (JsonNode  *node,
                           GError   **error)
{
  g_autoptr(GPtrArray) polygons =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  Reader reader = { polygons, 0 };

  if (!read_object (&reader, node, error))
    return NULL;
  return geometry_from_polygons (polygons, error);
}

AqGeometry *
aq_geometry_new_from_geojson (const char  *text,
                              GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  /* a file this large is far over the vertex limit, and parsing it alone takes seconds */
  if (strlen (text) > AQ_JSON_LIMIT_GEOJSON)
    {
      g_autofree char *size = g_format_size (strlen (text));
      g_autofree char *limit = g_format_size (AQ_JSON_LIMIT_GEOJSON);

      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_TOO_MANY,
                   _("The area file is %s; at most %s is read: simplify it before importing"),
                   size, limit);
      return NULL;
    }
  root = aq_json_read (text, -1, AQ_JSON_LIMIT_GEOJSON, &local_error);
  if (root == NULL)
    {
      g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_PARSE,
                   _("Not GeoJSON: %s"), local_error->message);
      return NULL;
    }
  return aq_geometry_new_from_json (root, error);
}

AqGeometry *
aq_geometry_new_from_ring (const double  *lonlat,
                           gsize          n_points,
                           GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  gboolean closed;

  g_return_val_if_fail (lonlat != NULL || n_points == 0, NULL);
  closed = n_points > 1 && lonlat[0] == lonlat[2 * (n_points - 1)]
           && lonlat[1] == lonlat[2 * (n_points - 1) + 1];

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Polygon");
  json_builder_set_member_name (builder, "coordinates");
  json_builder_begin_array (builder);
  json_builder_begin_array (builder);
  for (gsize i = 0; i < n_points + (closed || n_points == 0 ? 0 : 1); i++)
    {
      gsize k = i % n_points;

      json_builder_begin_array (builder);
      json_builder_add_double_value (builder, lonlat[2 * k]);
      json_builder_add_double_value (builder, lonlat[2 * k + 1]);
      json_builder_end_array (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return aq_geometry_new_from_json (root, error);
}

JsonNode *
aq_geometry_to_json (const AqGeometry *geometry)
{
  g_return_val_if_fail (geometry != NULL, NULL);
  return json_from_string (geometry->geojson, NULL);
}

char *
aq_geometry_to_geojson (const AqGeometry *geometry,
                        gboolean          as_feature,
                        JsonObject       *properties)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *feature;

  g_return_val_if_fail (geometry != NULL, NULL);
  if (!as_feature)
    return g_strdup (geometry->geojson);

  feature = json_object_new ();
  json_object_set_string_member (feature, "type", "Feature");
  if (properties)
    json_object_set_object_member (feature, "properties", json_object_ref (properties));
  else
    json_object_set_null_member (feature, "properties");
  json_object_set_member (feature, "geometry", aq_geometry_to_json (geometry));
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (root, feature);
  return json_to_string (root, TRUE);
}

AqGeometry *
aq_geometry_new_from_postgis (const char  *st_asgeojson,
                              GError     **error)
{
  return aq_geometry_new_from_geojson (st_asgeojson, error);
}

gboolean
aq_geometry_check (AqDb              *db,
                   const AqGeometry  *geometry,
                   GError           **error)
{
  const char *params[] = { geometry->geojson };
  g_autoptr(PGresult) res = NULL;
  const char *reason;
  double lon, lat;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  res = aq_db_query (db,
                     "SELECT (d).valid, (d).reason, ST_X((d).location), ST_Y((d).location)"
                     " FROM (SELECT ST_IsValidDetail(ST_GeomFromGeoJSON($1)) AS d) s",
                     1, params, error);
  if (res == NULL)
    return FALSE;
  if (g_strcmp0 (PQgetvalue (res, 0, 0), "t") == 0)
    return TRUE;

  reason = PQgetvalue (res, 0, 1);
  lon = g_ascii_strtod (PQgetvalue (res, 0, 2), NULL);
  lat = g_ascii_strtod (PQgetvalue (res, 0, 3), NULL);
  if (g_str_has_prefix (reason, "Self-intersection") || g_str_has_prefix (reason, "Ring Self-intersection"))
    g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_INVALID,
                 _("The area crosses itself: self-intersection at %.6f,%.6f"), lon, lat);
  else if (PQgetisnull (res, 0, 2))
    g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_INVALID,
                 _("The area is not a valid polygon (%s)"), reason);
  else
    g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_INVALID,
                 _("The area is not a valid polygon (%s) at %.6f,%.6f"), reason, lon, lat);
  return FALSE;
}

AqGeometry *
aq_geometry_repair (AqDb              *db,
                    const AqGeometry  *geometry,
                    GError           **error)
{
  const char *params[] = { geometry->geojson };
  g_autofree char *text = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  /* MakeValid may leave lines and points where a ring folded onto itself: only the
   * polygonal part (type 3) is an area */
  text = aq_db_query_string (db,
                             "SELECT ST_AsGeoJSON(g, 9) FROM ("
                             " SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid("
                             "   ST_GeomFromGeoJSON($1)), 3)) AS g) s"
                             " WHERE NOT ST_IsEmpty(g)",
                             1, params, error);
  if (text == NULL)
    {
      if (error && *error == NULL)
        g_set_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_EMPTY,
                     _("Nothing of the area is left after the repair: draw it again"));
      return NULL;
    }
  return aq_geometry_new_from_geojson (text, error);
}

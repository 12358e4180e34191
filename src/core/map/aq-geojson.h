/* aq-geojson.h — a shutoff area as GeoJSON: parsed, checked, repaired, written back */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

#define AQ_GEOJSON_ERROR (aq_geojson_error_quark ())

/* Every code is bad input: a UI shows the message; on AQ_GEOJSON_ERROR_INVALID it may offer
 * aq_geometry_repair(). Nothing is ever counted from a geometry that failed a check. */
typedef enum
{
  AQ_GEOJSON_ERROR_PARSE,          /* not JSON, or not GeoJSON */
  AQ_GEOJSON_ERROR_TYPE,           /* not a (Multi)Polygon, nor a Feature(Collection) of them */
  AQ_GEOJSON_ERROR_RING_OPEN,      /* a ring's last position is not its first */
  AQ_GEOJSON_ERROR_TOO_FEW,        /* a ring with fewer than 3 distinct vertices */
  AQ_GEOJSON_ERROR_RANGE,          /* a longitude outside ±180 or a latitude outside ±90 */
  AQ_GEOJSON_ERROR_EMPTY,          /* no polygon at all */
  AQ_GEOJSON_ERROR_INVALID,        /* the warehouse says invalid (self-intersection…):
                                    * the message names the place as lon,lat; repairable */
  AQ_GEOJSON_ERROR_TOO_MANY,       /* more than AQ_GEOJSON_MAX_VERTICES positions */
} AqGeojsonError;

/* A district's outline has a few thousand vertices; 300,000 took 32 s to check and analyse.
 * Over all rings of an area, closing positions included. */
#define AQ_GEOJSON_MAX_VERTICES 50000

/* An area: always a MultiPolygon in WGS 84 (EPSG:4326), kept as its GeoJSON geometry text
 * and handed to PostGIS as a parameter (ST_GeomFromGeoJSON). */
typedef struct
{
  char   *geojson;      /* {"type":"MultiPolygon","coordinates":…} */
  guint   n_polygons;
  guint   n_vertices;   /* over all rings, closing positions not counted */
  double  min_lon, min_lat, max_lon, max_lat;
} AqGeometry;

GQuark      aq_geojson_error_quark        (void);

void        aq_geometry_free              (AqGeometry   *geometry);
AqGeometry *aq_geometry_copy              (const AqGeometry *geometry);

/* Static checks only (closed rings, ≥ 3 distinct vertices, ranges): no warehouse needed. */
AqGeometry *aq_geometry_new_from_geojson  (const char   *text,
                                           GError      **error);
AqGeometry *aq_geometry_new_from_json     (JsonNode     *node,
                                           GError      **error);
/* One ring as drawn on the map: @lonlat holds n_points (lon, lat) pairs; the ring is closed
 * here when the last point is not the first. */
AqGeometry *aq_geometry_new_from_ring     (const double *lonlat,
                                           gsize         n_points,
                                           GError      **error);

/* The geometry alone, or wrapped as a Feature with @properties (nullable, not consumed). */
char       *aq_geometry_to_geojson        (const AqGeometry *geometry,
                                           gboolean      as_feature,
                                           JsonObject   *properties);
JsonNode   *aq_geometry_to_json           (const AqGeometry *geometry);

/* The warehouse's checks (ST_IsValid, ST_IsValidDetail): FALSE and AQ_GEOJSON_ERROR_INVALID
 * "Self-intersection at 119.301234,26.081234" when invalid. */
gboolean    aq_geometry_check             (AqDb         *db,
                                           const AqGeometry *geometry,
                                           GError      **error);
/* ST_MakeValid, keeping the polygonal part; fails with AQ_GEOJSON_ERROR_EMPTY when nothing
 * polygonal is left (a degenerate ring). */
AqGeometry *aq_geometry_repair            (AqDb         *db,
                                           const AqGeometry *geometry,
                                           GError      **error);
/* A geometry from a PostGIS value already in the warehouse (ST_AsGeoJSON output). */
AqGeometry *aq_geometry_new_from_postgis  (const char   *st_asgeojson,
                                           GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqGeometry, aq_geometry_free)

G_END_DECLS

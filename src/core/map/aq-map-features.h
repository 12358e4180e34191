/* aq-map-features.h — the map's overlay layers, read by bounding box */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_MAP_LAYER_COMMUNITIES,
  AQ_MAP_LAYER_DMA_ZONES,        /* of one level: see aq_map_features_load() */
  AQ_MAP_LAYER_MAINS,            /* dw.gis_pipe, DN ≥ min_dn */
  AQ_MAP_LAYER_VALVES,
  AQ_MAP_LAYER_KEY_CUSTOMERS,
  AQ_MAP_LAYER_OUTAGES_ACTIVE,   /* notify.outage status active */
  AQ_MAP_LAYER_OUTAGES_PLANNED,  /* notify.outage status planned */
} AqMapLayer;

typedef enum
{
  AQ_MAP_SHAPE_POINT,
  AQ_MAP_SHAPE_LINE,
  AQ_MAP_SHAPE_POLYGON,
} AqMapShape;

/* One feature as plain coordinates. parts holds GArray<double> of interleaved lon,lat:
 * one point; one part per line; one part per ring of a polygon (outer and holes: fill with
 * the even-odd rule). */
typedef struct
{
  AqMapLayer  layer;
  AqMapShape  shape;
  char       *id;        /* community/zone code, pipe/valve/kc/outage id as text */
  char       *name;      /* (nullable) */
  char       *kind;      /* (nullable): valve status, key customer kind, outage kind,
                          * pipe material */
  int         level;     /* DMA level; pipe DN; 0 otherwise */
  GPtrArray  *parts;     /* GArray<double>* */
} AqMapFeature;

typedef struct
{
  int    dma_level;      /* AQ_MAP_LAYER_DMA_ZONES: 1, 2 or 3 */
  int    min_dn;         /* AQ_MAP_LAYER_MAINS: smallest DN drawn (0: all) */
  double tolerance;      /* simplification in degrees (0: none); e.g. half a pixel */
  guint  limit;          /* at most this many features (0: 50,000) */
} AqMapQuery;

void       aq_map_feature_free   (AqMapFeature     *feature);
/* AqMapFeature* of one layer intersecting the box; @query nullable (defaults). */
GPtrArray *aq_map_features_load  (AqDb             *db,
                                  AqMapLayer        layer,
                                  double            min_lon,
                                  double            min_lat,
                                  double            max_lon,
                                  double            max_lat,
                                  const AqMapQuery *query,
                                  GCancellable     *cancellable,
                                  GError          **error);
/* The same as a GeoJSON FeatureCollection (properties id, name, kind, level). */
JsonNode  *aq_map_features_to_json (GPtrArray     *features);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqMapFeature, aq_map_feature_free)

G_END_DECLS

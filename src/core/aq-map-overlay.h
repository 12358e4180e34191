/* aq-map-overlay.h — the map's read-only overlay features, fetched by bounding box */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_OVERLAY_COMMUNITY,
  AQ_OVERLAY_DMA_1,
  AQ_OVERLAY_DMA_2,
  AQ_OVERLAY_DMA_3,
  AQ_OVERLAY_MAIN,
  AQ_OVERLAY_VALVE,
  AQ_OVERLAY_KEY_CUSTOMER,
  AQ_OVERLAY_OUTAGE_ACTIVE,
  AQ_OVERLAY_OUTAGE_PLANNED,
  AQ_OVERLAY_N_KINDS
} AqOverlayKind;

typedef struct
{
  AqOverlayKind  kind;
  int            attr;      /* a main's DN; a valve's status (0 open, 1 closed, 2 other) */
  char          *code;      /* a community's or zone's code, a key customer's kind, an outage id */
  char          *name;      /* (nullable) */
  GArray        *coords;    /* double pairs lon, lat of every part, one after the other */
  GArray        *parts;     /* guint: the first vertex of each ring or line */
} AqOverlayFeature;

void       aq_overlay_feature_free  (AqOverlayFeature    *feature);
GPtrArray *aq_map_overlay_fetch     (AqDb                *db,
                                     double               min_lon,
                                     double               min_lat,
                                     double               max_lon,
                                     double               max_lat,
                                     guint                kinds,
                                     GCancellable        *cancellable,
                                     GError             **error);
void       aq_map_overlay_fetch_async  (const char          *profile_url,
                                        double               min_lon,
                                        double               min_lat,
                                        double               max_lon,
                                        double               max_lat,
                                        guint                kinds,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GPtrArray *aq_map_overlay_fetch_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS

/* aq-tile-renderer.h — the offline basemap: raster tiles drawn with cairo from PostGIS */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

#define AQ_TILE_SIZE     256
#define AQ_TILE_MIN_ZOOM 10
#define AQ_TILE_MAX_ZOOM 19

#define AQ_TYPE_TILE_RENDERER (aq_tile_renderer_get_type ())
G_DECLARE_FINAL_TYPE (AqTileRenderer, aq_tile_renderer, AQ, TILE_RENDERER, GObject)

AqTileRenderer *aq_tile_renderer_new               (const char           *conninfo,
                                                    const char           *cache_dir);
char           *aq_tile_renderer_default_cache_dir (void);
char           *aq_tile_renderer_get_cache_path    (AqTileRenderer       *self,
                                                    guint                 zoom,
                                                    guint                 x,
                                                    guint                 y,
                                                    guint                 scale,
                                                    GError              **error);
GBytes         *aq_tile_renderer_render            (AqTileRenderer       *self,
                                                    guint                 zoom,
                                                    guint                 x,
                                                    guint                 y,
                                                    guint                 scale,
                                                    GCancellable         *cancellable,
                                                    GError              **error);
void            aq_tile_renderer_render_async      (AqTileRenderer       *self,
                                                    guint                 zoom,
                                                    guint                 x,
                                                    guint                 y,
                                                    guint                 scale,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GBytes         *aq_tile_renderer_render_finish     (AqTileRenderer       *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

gboolean        aq_tile_renderer_query_extent      (AqDb                 *db,
                                                    double                box[4],
                                                    GError              **error);

/* Web Mercator, the projection of every XYZ tile scheme. */
void            aq_tile_lon_lat_to_tile            (double                lon,
                                                    double                lat,
                                                    guint                 zoom,
                                                    double               *tile_x,
                                                    double               *tile_y);
void            aq_tile_to_lon_lat                 (double                tile_x,
                                                    double                tile_y,
                                                    guint                 zoom,
                                                    double               *lon,
                                                    double               *lat);

G_END_DECLS

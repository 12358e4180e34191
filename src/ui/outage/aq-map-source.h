/* aq-map-source.h — the offline basemap as a libshumate data source */
#pragma once

#include <shumate/shumate.h>

#include "aq-tile-renderer.h"

G_BEGIN_DECLS

#define AQ_TYPE_MAP_SOURCE (aq_map_source_get_type ())
G_DECLARE_FINAL_TYPE (AqMapSource, aq_map_source, AQ, MAP_SOURCE, ShumateDataSource)

AqMapSource      *aq_map_source_new          (AqTileRenderer *renderer);
void              aq_map_source_set_scale    (AqMapSource    *self,
                                              guint           scale);
gboolean          aq_map_source_get_idle     (AqMapSource    *self);
ShumateMapSource *aq_map_source_new_basemap  (const char     *conninfo,
                                              const char     *online_url,
                                              AqMapSource   **out_source);

G_END_DECLS

/* aq-dashboard-data-private.h — shared between a tile's fetchers (aq-dashboard-data.c, the
 * map and alarm tiles' aq-dashboard-layers.c) */
#pragma once

#include "aq-dashboard-data.h"

G_BEGIN_DECLS

gboolean _aq_tile_fetch_kpi    (AqDb                  *db,
                                AqCatalog             *catalog,
                                const AqDashboard     *dashboard,
                                const AqDashboardTile *tile,
                                AqTileData            *data,
                                GCancellable          *cancellable,
                                GError               **error);
gboolean _aq_tile_fetch_map    (AqDb                  *db,
                                AqCatalog             *catalog,
                                const AqDashboard     *dashboard,
                                const AqDashboardTile *tile,
                                AqTileData            *data,
                                GCancellable          *cancellable,
                                GError               **error);
gboolean _aq_tile_fetch_alarms (AqDb                  *db,
                                AqCatalog             *catalog,
                                const AqDashboard     *dashboard,
                                const AqDashboardTile *tile,
                                AqTileData            *data,
                                GCancellable          *cancellable,
                                GError               **error);

G_END_DECLS

/* aq-tile-view.h — one tile of a dashboard on screen, with its own spinner */
#pragma once

#include <gtk/gtk.h>

#include "aq-dashboard-data.h"
#include "aq-tile-draw.h"

G_BEGIN_DECLS

#define AQ_TYPE_TILE_VIEW (aq_tile_view_get_type ())
G_DECLARE_FINAL_TYPE (AqTileView, aq_tile_view, AQ, TILE_VIEW, GtkWidget)

AqTileView            *aq_tile_view_new          (const AqDashboardTile *tile,
                                                  AqTileStyle            style);
const AqDashboardTile *aq_tile_view_get_tile     (AqTileView            *self);
void                   aq_tile_view_set_tile     (AqTileView            *self,
                                                  const AqDashboardTile *tile);
/* (nullable) (transfer none): the last good figures */
AqTileData            *aq_tile_view_get_data     (AqTileView            *self);
/* Takes @data (the last good figures are replaced: no blank frame in between). */
void                   aq_tile_view_set_data     (AqTileView            *self,
                                                  AqTileData            *data);
const char            *aq_tile_view_get_error    (AqTileView            *self);
void                   aq_tile_view_set_error    (AqTileView            *self,
                                                  const char            *error);
gboolean               aq_tile_view_get_loading  (AqTileView            *self);
void                   aq_tile_view_set_loading  (AqTileView            *self,
                                                  gboolean               loading);
gboolean               aq_tile_view_get_stale    (AqTileView            *self);
void                   aq_tile_view_set_stale    (AqTileView            *self,
                                                  gboolean               stale);
void                   aq_tile_view_set_selected (AqTileView            *self,
                                                  gboolean               selected);
/* Whether the alarm ticker moves on by itself (it has more lines than fit). */
gboolean               aq_tile_view_get_ticker_moving (AqTileView      *self);
/* Logical pixels per device pixel the tile is drawn at (the kiosk's canvas scale). */
void                   aq_tile_view_set_scale    (AqTileView            *self,
                                                  double                 scale);

G_END_DECLS

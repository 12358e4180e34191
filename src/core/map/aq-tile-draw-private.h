/* aq-tile-draw-private.h — one basemap tile drawn from the rows of the tile statement */
#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

/* The tile statement's first column: which layer a row belongs to. */
typedef enum
{
  AQ_TILE_LAYER_RIVER,
  AQ_TILE_LAYER_DISTRICT,
  AQ_TILE_LAYER_COMMUNITY,
  AQ_TILE_LAYER_ROAD,
  AQ_TILE_LAYER_PIPE,
  AQ_TILE_LAYER_VALVE,
} AqTileLayer;

/* @res: rows of (layer, attribute, WKB as bytea text); NULL draws an empty tile */
GBytes *_aq_tile_draw (PGresult *res,
                       guint     zoom,
                       guint     x,
                       guint     y,
                       guint     scale);

G_END_DECLS

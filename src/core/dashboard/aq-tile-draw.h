/* aq-tile-draw.h — one dashboard tile drawn with cairo: the window, the kiosk and PNG/PDF */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "aq-dashboard-data.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_TILE_STYLE_COCKPIT,   /* light cards in the window */
  AQ_TILE_STYLE_SCREEN,    /* the calm control room: grey, large numerals */
} AqTileStyle;

/* How a table tile's columns were laid out (in the tile's logical pixels). */
typedef struct
{
  double px;          /* the text size */
  double row_h;
  double label_w;     /* the row labels' column */
  double col_w[3];    /* each figure column, its gap before the figure included */
  double gap;
  guint  n_cols;
  guint  n_rows;      /* rows shown */
  /* each figure column's header as drawn: a pivot's column dimension members joined before
   * the value's name ("紧急·工单数"), and its text size */
  char   header[3][160];
  double header_px[3];
} AqTileTableLayout;

typedef struct
{
  const AqDashboardTile *tile;
  const AqTileData      *data;       /* (nullable): not fetched yet */
  const char            *error;      /* (nullable): the last fetch failed */
  gboolean               stale;      /* older than twice the interval, or unreachable */
  gboolean               selected;   /* in the designer */
  guint                  ticker_first; /* the alarm ticker's first line shown */
  AqTileTableLayout     *table_layout; /* (nullable) (out): a table tile's columns (tests) */
} AqTileDrawState;

/* Draws the tile into (0, 0, width, height) in logical pixels. Returns the alarm lines drawn
 * (an alarm tile; 0 otherwise): fewer than the data has means the ticker has more to show. */
guint aq_tile_draw            (cairo_t               *cr,
                               AqTileStyle            style,
                               const AqTileDrawState *state,
                               double                 width,
                               double                 height);
/* The background of a whole dashboard in @style. */
void  aq_tile_draw_background (cairo_t               *cr,
                               AqTileStyle            style,
                               double                 width,
                               double                 height);
/* Its colour, for a window that fills it without cairo (a 4K surface per frame costs). */
void  aq_tile_draw_background_rgb (AqTileStyle       style,
                                   double            rgb[3]);

G_END_DECLS

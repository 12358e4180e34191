/* aq-tile-paint.h — the parts of a dashboard tile drawn with cairo and pango only
 *
 * No GTK here: the window, the kiosk and a headless PNG/PDF delivery (the daemon) draw the
 * same map and alarm ticker.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "aq-dashboard-data.h"

G_BEGIN_DECLS

typedef struct
{
  double ink[3];      /* text */
  double muted[3];    /* secondary text */
  double line[3];     /* borders, neutral fills */
  double card[3];     /* the tile's background */
  double small_px;    /* the style's small text size */
} AqTilePaintColors;

extern const double aq_tile_paint_warning_rgb[3];
extern const double aq_tile_paint_alarm_rgb[3];
extern const double aq_tile_paint_ok_rgb[3];

/* Draws @str at (x, y) (its top-left), at most @max_width wide, ellipsized, in the current
 * source colour; returns its height. @align 0 left, 1 right. */
double aq_tile_paint_text       (cairo_t                 *cr,
                                 const char              *str,
                                 double                   px,
                                 gboolean                 bold,
                                 double                   x,
                                 double                   y,
                                 double                   max_width,
                                 int                      align);
double aq_tile_paint_text_width (cairo_t                 *cr,
                                 const char              *str,
                                 double                   px,
                                 gboolean                 bold);

/* The zones coloured by the tile's indicator (by its thresholds when it has them: colour
 * only for a zone past them), the outages on top, a one-line legend at the bottom. */
void   aq_tile_paint_map        (cairo_t                 *cr,
                                 const AqDashboardTile   *tile,
                                 const AqTileData        *data,
                                 const AqTilePaintColors *colors,
                                 double                   x,
                                 double                   y,
                                 double                   w,
                                 double                   h);
/* The alarm lines from @first on (wrapping), as many as fit: one strip when the tile is one
 * line high, a list otherwise. Returns how many were drawn (all of them: nothing to scroll). */
guint  aq_tile_paint_ticker     (cairo_t                 *cr,
                                 const AqTileData        *data,
                                 const AqTilePaintColors *colors,
                                 guint                    first,
                                 double                   x,
                                 double                   y,
                                 double                   w,
                                 double                   h);

G_END_DECLS

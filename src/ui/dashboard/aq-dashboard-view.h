/* aq-dashboard-view.h — a dashboard's tiles on their grid, each fetching and refreshing alone */
#pragma once

#include <gtk/gtk.h>

#include "aq-dashboard.h"
#include "aq-tile-view.h"

G_BEGIN_DECLS

/* The big screens' logical canvas. */
#define AQ_KIOSK_CANVAS_WIDTH  1920
#define AQ_KIOSK_CANVAS_HEIGHT 1080

#define AQ_TYPE_DASHBOARD_VIEW (aq_dashboard_view_get_type ())
G_DECLARE_FINAL_TYPE (AqDashboardView, aq_dashboard_view, AQ, DASHBOARD_VIEW, GtkWidget)

AqDashboardView *aq_dashboard_view_new            (AqTileStyle        style);
void             aq_dashboard_view_set_conninfo   (AqDashboardView   *self,
                                                   const char        *conninfo);
/* @dashboard is copied; its tiles are fetched at once, in parallel. */
void             aq_dashboard_view_set_dashboard  (AqDashboardView   *self,
                                                   const AqDashboard *dashboard);
/* (transfer none) (nullable): what is shown, with the designer's changes */
AqDashboard     *aq_dashboard_view_get_dashboard  (AqDashboardView   *self);
/* A fixed logical canvas (the kiosk's 1920×1080) scaled to the widget; 0 × 0 fills it. */
void             aq_dashboard_view_set_canvas     (AqDashboardView   *self,
                                                   int                width,
                                                   int                height);
/* The canvas scale in use and where tile @id is, in logical canvas pixels. */
double           aq_dashboard_view_get_scale      (AqDashboardView   *self);
gboolean         aq_dashboard_view_get_tile_rect  (AqDashboardView   *self,
                                                   const char        *id,
                                                   graphene_rect_t   *out_rect);
void             aq_dashboard_view_refresh        (AqDashboardView   *self);
/* TRUE until every tile has figures or an error (the first round). */
gboolean         aq_dashboard_view_get_loading    (AqDashboardView   *self);
guint            aq_dashboard_view_get_n_filled   (AqDashboardView   *self);
guint            aq_dashboard_view_get_n_stale    (AqDashboardView   *self);
/* Re-evaluates staleness now (also done every second). */
void             aq_dashboard_view_check_stale    (AqDashboardView   *self);
AqTileView      *aq_dashboard_view_get_tile_view  (AqDashboardView   *self,
                                                   const char        *id);
/* The designer: drag a tile to move it, its lower-right corner to resize it. */
void             aq_dashboard_view_set_editing    (AqDashboardView   *self,
                                                   gboolean           editing);
const char      *aq_dashboard_view_get_selected   (AqDashboardView   *self);
void             aq_dashboard_view_select         (AqDashboardView   *self,
                                                   const char        *id);
/* Moves / resizes tile @id as the designer's drag does (FALSE when it would overlap). */
gboolean         aq_dashboard_view_place_tile     (AqDashboardView   *self,
                                                   const char        *id,
                                                   int                x,
                                                   int                y,
                                                   int                w,
                                                   int                h);
/* Adds @tile (copied) at the first free place; FALSE when the grid is full. */
gboolean         aq_dashboard_view_add_tile       (AqDashboardView   *self,
                                                   const AqDashboardTile *tile);
/* Replaces tile @tile->id's settings (period, thresholds, refresh…) and fetches it again. */
void             aq_dashboard_view_update_tile    (AqDashboardView   *self,
                                                   const AqDashboardTile *tile);
void             aq_dashboard_view_remove_tile    (AqDashboardView   *self,
                                                   const char        *id);

G_END_DECLS

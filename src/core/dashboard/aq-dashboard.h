/* aq-dashboard.h — a dashboard (cockpit or big screen): a grid of tiles, its JSON form
 *
 * The JSON form (data/dashboards/NAME.json, meta.dashboard.definition) is described in
 * docs/DASHBOARDS.md. A tile names what it shows only by catalog indicator ids and saved
 * report names: its figures come from the report engine (aq-dashboard-data.c), never from a
 * query of its own.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_DASHBOARD_COCKPIT,   /* a manager's page in the window */
  AQ_DASHBOARD_SCREEN,    /* a big screen: the 1920×1080 kiosk canvas */
} AqDashboardKind;

typedef enum
{
  AQ_TILE_KPI,      /* one indicator: value, target, changes, sparkline, status */
  AQ_TILE_CHART,    /* a saved report drawn as bar / line / pie / stacked */
  AQ_TILE_TABLE,    /* a saved report's first rows (top-N, or scrolling on a big screen) */
  AQ_TILE_MAP,      /* outages and zones (drawn by the panel's map) */
  AQ_TILE_ALARMS,   /* the alarm ticker */
} AqTileKind;

typedef enum
{
  AQ_TILE_STATUS_NONE,      /* no thresholds, or no value */
  AQ_TILE_STATUS_OK,
  AQ_TILE_STATUS_WARNING,
  AQ_TILE_STATUS_ALARM,
} AqTileStatus;

/* Largest grid a dashboard may have, and the default one. */
#define AQ_DASHBOARD_MAX_COLUMNS 48
#define AQ_DASHBOARD_MAX_ROWS    48
#define AQ_DASHBOARD_DEFAULT_COLUMNS 12
#define AQ_DASHBOARD_DEFAULT_ROWS    8
/* Refresh intervals are clamped to [10 s, 1 day]; 300 s when not given. */
#define AQ_DASHBOARD_DEFAULT_REFRESH 300

typedef struct
{
  char        *id;           /* unique in the dashboard */
  AqTileKind   kind;
  char        *title;        /* (nullable): the indicator's or report's name then */
  int          x, y, w, h;   /* grid cells */
  char        *indicator;    /* KPI: a catalog indicator id */
  char        *report;       /* chart, table: a saved report's name */
  char        *chart;        /* chart: "bar", "line", "pie", "stacked" (default "bar") */
  char        *period;       /* (nullable): "@latest", "YYYY-MM"; the dashboard's otherwise */
  guint        limit;        /* table: rows shown (0: 10) */
  int          refresh;      /* seconds; 0: the dashboard's */
  gboolean     has_target;
  double       target;
  /* Thresholds on the value as stored (0.05 for 5 %). When alarm > warning, higher is worse;
   * when alarm < warning, lower is worse. */
  gboolean     has_thresholds;
  double       warning;
  double       alarm;
} AqDashboardTile;

typedef struct
{
  char            *name;       /* unique key */
  char            *title;
  char            *description;
  AqDashboardKind  kind;
  int              columns, rows;
  int              refresh;    /* seconds */
  char            *period;     /* default "@latest" */
  int              version;    /* the stored version (0: never saved) */
  gboolean         standard;   /* shipped: saved under a new name when changed */
  GPtrArray       *tiles;      /* (element-type AqDashboardTile) */
} AqDashboard;

AqDashboardTile *aq_dashboard_tile_new     (const char            *id,
                                            AqTileKind             kind);
AqDashboardTile *aq_dashboard_tile_copy    (const AqDashboardTile *tile);
void             aq_dashboard_tile_free    (AqDashboardTile       *tile);
/* The tile's refresh interval in seconds (its own, else the dashboard's, clamped). */
int              aq_dashboard_tile_get_refresh (const AqDashboardTile *tile,
                                            const AqDashboard     *dashboard);
const char      *aq_dashboard_tile_get_period  (const AqDashboardTile *tile,
                                            const AqDashboard     *dashboard);
/* The status colour a value gets from the tile's thresholds. */
AqTileStatus     aq_dashboard_tile_status  (const AqDashboardTile *tile,
                                            double                 value);

AqDashboard     *aq_dashboard_new          (const char            *name,
                                            AqDashboardKind        kind);
AqDashboard     *aq_dashboard_copy         (const AqDashboard     *dashboard);
void             aq_dashboard_free         (AqDashboard           *dashboard);
/* (transfer none) (nullable) */
AqDashboardTile *aq_dashboard_lookup_tile  (AqDashboard           *dashboard,
                                            const char            *id);
/* Moves / resizes a tile, clamped to the grid. FALSE (nothing changed) when the new place
 * would overlap another tile. */
gboolean         aq_dashboard_place_tile   (AqDashboard           *dashboard,
                                            const char            *id,
                                            int                    x,
                                            int                    y,
                                            int                    w,
                                            int                    h);
/* The first free place of @w × @h cells, row by row; FALSE when the grid is full. */
gboolean         aq_dashboard_find_free    (AqDashboard           *dashboard,
                                            int                    w,
                                            int                    h,
                                            int                   *out_x,
                                            int                   *out_y);

/* Structure checks (names, kinds, grid bounds, overlaps, unique ids): AQ_ERROR_INVALID with
 * the field's path ("tiles[2].w: …"). */
gboolean         aq_dashboard_validate     (AqDashboard           *dashboard,
                                            GError               **error);
AqDashboard     *aq_dashboard_new_from_json (JsonNode             *node,
                                            GError               **error);
/* Parses through aq_json_read (size and depth limits), then validates. */
AqDashboard     *aq_dashboard_new_from_data (const char           *data,
                                            gssize                 length,
                                            GError               **error);
JsonNode        *aq_dashboard_to_json      (const AqDashboard     *dashboard);
char            *aq_dashboard_to_data      (const AqDashboard     *dashboard,
                                            gsize                 *length);

const char      *aq_tile_kind_to_string    (AqTileKind             kind);
gboolean         aq_tile_kind_from_string  (const char            *text,
                                            AqTileKind            *kind);
const char      *aq_tile_status_to_string  (AqTileStatus           status);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqDashboardTile, aq_dashboard_tile_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqDashboard, aq_dashboard_free)

G_END_DECLS

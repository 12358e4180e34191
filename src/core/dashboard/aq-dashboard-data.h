/* aq-dashboard-data.h — a tile's figures, fetched through the report engine */
#pragma once

#include <gio/gio.h>

#include "aq-catalog.h"
#include "aq-dashboard.h"
#include "aq-db.h"
#include "aq-report.h"

G_BEGIN_DECLS

/* Months of a KPI's sparkline (the period and the 11 before it). */
#define AQ_TILE_SPARK_MONTHS 12

/* One line of the alarm ticker. */
typedef struct
{
  AqTileStatus  severity;   /* AQ_TILE_STATUS_ALARM or _WARNING */
  char         *kind;       /* "outage", "quality", "work_order" */
  char         *text;       /* what the ticker shows, in the user's language */
} AqTileAlarm;

void        aq_tile_alarm_free        (AqTileAlarm *alarm);

typedef struct
{
  AqTileKind      kind;
  char           *tile_id;
  char           *title;       /* the tile's, else the indicator's or the report's */
  GDateTime      *as_of;       /* when the figures were fetched (aq_clock_now) */

  /* KPI */
  char           *unit;
  char           *format;      /* the indicator's Excel-style number format */
  gboolean        percent;     /* a ratio shown as %: changes are in percentage points */
  char           *period;      /* "YYYY-MM" the value is for (NULL: not cut by month) */
  gboolean        has_value;
  double          value;
  gboolean        has_previous;      /* the month before */
  double          previous;
  gboolean        has_last_year;     /* the same month a year before */
  double          last_year;
  GArray         *spark;       /* (element-type double): oldest first, NAN where empty */
  GPtrArray      *spark_labels;/* (element-type utf8): "YYYY-MM" of each spark point */
  AqTileStatus    status;

  /* chart, table */
  AqReportResult *result;

  /* map: the level-3 DMA zones, each coloured by the tile's indicator (through the report
   * engine, by dma3), and the active and planned outages */
  GPtrArray      *zones;       /* (element-type AqMapFeature) */
  GHashTable     *zone_values; /* zone code → double* (NULL without an indicator) */
  GPtrArray      *outages;     /* (element-type AqMapFeature): layer active or planned */
  double          bounds[4];   /* min lon, min lat, max lon, max lat of the zones */

  /* alarms: newest and worst first */
  GPtrArray      *alarms;      /* (element-type AqTileAlarm) */
} AqTileData;

void        aq_tile_data_free         (AqTileData  *data);
/* The change of the value against @base: a ratio ((v - b) / |b|), or for a percent
 * indicator the difference in points. FALSE when either side is missing or @base is 0. */
gboolean    aq_tile_data_change       (AqTileData  *data,
                                       gboolean     against_last_year,
                                       double      *out_change);
/* The value as the user reads it ("1,234,567", "96.2%"), "—" when there is none. */
char       *aq_tile_data_format_value (AqTileData  *data);

/* The report a KPI tile runs (a pivot of the indicator by month), for drill-through: the
 * report panel opens exactly this. (transfer full) */
AqReportSpec *aq_tile_kpi_spec        (AqCatalog             *catalog,
                                       const AqDashboardTile *tile,
                                       GError               **error);
/* The named parameters a tile runs its report with (period → value), or NULL. */
GHashTable *aq_tile_report_params     (const AqDashboardTile *tile,
                                       AqReportSpec          *spec);

/* Blocking: the tile's figures, on @db (read-only). A map tile's zones and outages come from
 * the map module's layers, its zone figures from the report engine; an alarm tile's lines
 * from reports over the outage and quality sources and the overdue work orders' KPI. */
AqTileData *aq_tile_data_fetch        (AqDb                  *db,
                                       AqCatalog             *catalog,
                                       const AqDashboard     *dashboard,
                                       const AqDashboardTile *tile,
                                       GCancellable          *cancellable,
                                       GError               **error);
/* On a pooled connection of @conninfo (aq_db_job); @dashboard and @tile are copied. */
void        aq_tile_data_fetch_async  (const char            *conninfo,
                                       AqCatalog             *catalog,
                                       const AqDashboard     *dashboard,
                                       const AqDashboardTile *tile,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data);
AqTileData *aq_tile_data_fetch_finish (GAsyncResult          *result,
                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqTileData, aq_tile_data_free)

G_END_DECLS

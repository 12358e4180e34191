/* aq-dashboard-layers.c — the figures of a map tile and of the alarm ticker
 *
 * A map tile shows the level-3 DMA zones coloured by its indicator and the outages active and
 * planned. The shapes come from the map module's layers (src/core/map, the outage map's own
 * queries); the zones' figures come from the report engine, a pivot of the indicator by dma3,
 * so a zone's colour is the figure the report panel shows for it.
 *
 * The alarm ticker's lines come from reports too: the outages active and planned (source
 * "outage", newest first), the quality rules failing or warning at their latest result
 * (source "quality") and the work orders past their time limit in the latest month (the
 * wo_sla_missed KPI). Alarms come before warnings.
 */
#define G_LOG_DOMAIN "aq-dashboard-layers"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aq-dashboard-data-private.h"
#include "aq-error.h"
#include "aq-map-features.h"

/* The whole city: the layers' queries take a box; zones are simplified to about 20 m. */
#define WORLD_MIN_LON -180.0
#define WORLD_MIN_LAT -90.0
#define WORLD_MAX_LON 180.0
#define WORLD_MAX_LAT 90.0
#define ZONE_TOLERANCE 0.0002

/* ---- auxiliary methods ---- */

static gboolean
by_month (AqIndicator *indicator)
{
  return aq_indicator_allows_dimension (indicator, "month");
}

/* A pivot of @values by @rows (JSON arrays' insides), filtered by @filters (a JSON array's
 * insides, may be empty), run on @db. */
static AqReportResult *
run_pivot (AqDb         *db,
           AqCatalog    *catalog,
           const char   *name,
           const char   *rows,
           const char   *values,
           const char   *filters,
           const char   *period,
           GCancellable *cancellable,
           GError      **error)
{
  g_autofree char *json = NULL;
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(GHashTable) params = NULL;

  json = g_strdup_printf ("{\"name\": \"%s\", \"kind\": \"pivot\", \"rows\": [%s],"
                          " \"values\": [%s], \"filters\": [%s%s%s],"
                          " \"subtotals\": false, \"totals\": false%s}",
                          name, rows, values, filters,
                          period && *filters ? ", " : "",
                          period ? "{\"dimension\": \"month\", \"op\": \"between\","
                                   " \"values\": [\"$period\"]}" : "",
                          period ? ", \"parameters\": [{\"name\": \"period\", \"type\":"
                                   " \"month_range\", \"label\": \"period\","
                                   " \"default\": \"@latest\"}]" : "");
  spec = aq_report_spec_new_from_data (json, -1, error);
  if (spec == NULL || !aq_report_spec_validate (spec, catalog, error))
    return NULL;
  if (period)
    {
      params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (params, (gpointer) "period",
                           period[0] == '@' || strstr (period, "..")
                           ? g_strdup (period) : g_strdup_printf ("%s..%s", period, period));
    }
  return aq_report_run (db, catalog, spec, params, cancellable, error);
}

static void
extend_bounds (AqTileData         *data,
               const AqMapFeature *feature)
{
  for (guint p = 0; p < feature->parts->len; p++)
    {
      GArray *part = feature->parts->pdata[p];

      for (guint i = 0; i + 1 < part->len; i += 2)
        {
          double lon = g_array_index (part, double, i);
          double lat = g_array_index (part, double, i + 1);

          data->bounds[0] = MIN (data->bounds[0], lon);
          data->bounds[1] = MIN (data->bounds[1], lat);
          data->bounds[2] = MAX (data->bounds[2], lon);
          data->bounds[3] = MAX (data->bounds[3], lat);
        }
    }
}

static void
add_alarm (GPtrArray    *alarms,
           AqTileStatus  severity,
           const char   *kind,
           char         *text)
{
  AqTileAlarm *alarm = g_new0 (AqTileAlarm, 1);

  alarm->severity = severity;
  alarm->kind = g_strdup (kind);
  alarm->text = text;
  g_ptr_array_add (alarms, alarm);
}

typedef struct
{
  gint64      id;
  const char *kind;
  const char *status;
  const char *reason;
  double      accounts;
} OutageRow;

static int
outage_row_compare (gconstpointer a,
                    gconstpointer b)
{
  const OutageRow *x = a, *y = b;

  return x->id < y->id ? 1 : x->id > y->id ? -1 : 0;
}

static char *
outage_text (const OutageRow *o)
{
  g_autofree char *n = g_strdup_printf ("%.0f", o->accounts);

  if (g_strcmp0 (o->status, "planned") == 0)
    /* Translators: an alarm ticker line: a planned outage's reason and customers affected */
    return g_strdup_printf (_("Planned outage: %s · %s customers"), o->reason, n);
  if (g_strcmp0 (o->kind, "emergency") == 0)
    /* Translators: an alarm ticker line: an emergency outage now */
    return g_strdup_printf (_("Emergency outage now: %s · %s customers without water"),
                            o->reason, n);
  /* Translators: an alarm ticker line: a planned outage that has started */
  return g_strdup_printf (_("Planned outage now: %s · %s customers without water"),
                          o->reason, n);
}

/* ---- map ---- */

gboolean
_aq_tile_fetch_map (AqDb                  *db,
                    AqCatalog             *catalog,
                    const AqDashboard     *dashboard,
                    const AqDashboardTile *tile,
                    AqTileData            *data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  AqMapQuery zones_query = { .dma_level = 3, .tolerance = ZONE_TOLERANCE };
  static const AqMapLayer outage_layers[] = {
    AQ_MAP_LAYER_OUTAGES_PLANNED, AQ_MAP_LAYER_OUTAGES_ACTIVE
  };

  data->bounds[0] = data->bounds[1] = INFINITY;
  data->bounds[2] = data->bounds[3] = -INFINITY;
  data->zones = aq_map_features_load (db, AQ_MAP_LAYER_DMA_ZONES, WORLD_MIN_LON, WORLD_MIN_LAT,
                                      WORLD_MAX_LON, WORLD_MAX_LAT, &zones_query, cancellable,
                                      error);
  if (data->zones == NULL)
    return FALSE;
  for (guint i = 0; i < data->zones->len; i++)
    extend_bounds (data, data->zones->pdata[i]);

  data->outages = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_map_feature_free);
  for (guint l = 0; l < G_N_ELEMENTS (outage_layers); l++)
    {
      g_autoptr(GPtrArray) found = aq_map_features_load (db, outage_layers[l], WORLD_MIN_LON,
                                                         WORLD_MIN_LAT, WORLD_MAX_LON,
                                                         WORLD_MAX_LAT, NULL, cancellable,
                                                         error);
      if (found == NULL)
        return FALSE;
      for (guint i = 0; i < found->len; i++)
        g_ptr_array_add (data->outages, g_steal_pointer (&found->pdata[i]));
      g_ptr_array_set_free_func (found, NULL);
    }

  if (tile->indicator && *tile->indicator)
    {
      AqIndicator *indicator = aq_catalog_lookup_indicator (catalog, tile->indicator);
      g_autofree char *values = NULL;
      g_autoptr(AqReportResult) result = NULL;
      g_autoptr(GHashTable) zone_ids = NULL;

      if (indicator == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                       _("The catalog has no indicator “%s”"), tile->indicator);
          return FALSE;
        }
      if (!aq_indicator_allows_dimension (indicator, "dma3"))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("A map colours the DMA zones: indicator “%s” is not cut by zone"),
                       tile->indicator);
          return FALSE;
        }
      data->unit = g_strdup (aq_indicator_get_unit (indicator));
      data->format = g_strdup (aq_indicator_get_number_format (indicator));
      data->percent = aq_indicator_is_percent (indicator);
      if (!data->title)
        data->title = g_strdup (aq_indicator_get_name (indicator));
      values = g_strdup_printf ("\"%s\"", tile->indicator);
      result = run_pivot (db, catalog, tile->id, "\"dma3\"", values, "",
                          by_month (indicator) ? aq_dashboard_tile_get_period (tile, dashboard)
                                               : NULL,
                          cancellable, error);
      if (result == NULL)
        return FALSE;
      data->zone_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      /* only the zones drawn: a source may have rows keyed by other levels (the NRW source's
       * between-levels rows carry their level-1/2 zone's code) */
      zone_ids = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < data->zones->len; i++)
        g_hash_table_add (zone_ids, ((AqMapFeature *) data->zones->pdata[i])->id);
      for (guint r = 0; r < aq_report_result_get_n_rows (result); r++)
        {
          const char *key = aq_report_result_get_row_key (result, r, 0);
          double v;

          if (aq_report_result_get_row_kind (result, r) != AQ_REPORT_ROW_DETAIL || key == NULL
              || !g_hash_table_contains (zone_ids, key)
              || !aq_report_result_get_cell (result, r, 0, &v))
            continue;
          g_hash_table_insert (data->zone_values, g_strdup (key), g_memdup2 (&v, sizeof v));
        }
    }
  else if (!data->title)
    data->title = g_strdup (_("Outages and zones"));
  return TRUE;
}

/* ---- alarms ---- */

gboolean
_aq_tile_fetch_alarms (AqDb                  *db,
                       AqCatalog             *catalog,
                       const AqDashboard     *dashboard,
                       const AqDashboardTile *tile,
                       AqTileData            *data,
                       GCancellable          *cancellable,
                       GError               **error)
{
  g_autoptr(AqReportResult) outages = NULL;
  g_autoptr(AqReportResult) quality = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (OutageRow));
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_tile_alarm_free);

  if (!data->title)
    data->title = g_strdup (_("Alarms"));
  data->alarms = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_tile_alarm_free);

  /* outages, newest first */
  outages = run_pivot (db, catalog, tile->id,
                       "\"outage_id\", \"outage_kind\", \"outage_status\", \"outage_reason\"",
                       "\"outage_accounts\"",
                       "{\"dimension\": \"outage_status\", \"op\": \"in\","
                       " \"values\": [\"active\", \"planned\"]}", NULL, cancellable, error);
  if (outages == NULL)
    return FALSE;
  for (guint r = 0; r < aq_report_result_get_n_rows (outages); r++)
    {
      OutageRow o = { 0 };

      if (aq_report_result_get_row_kind (outages, r) != AQ_REPORT_ROW_DETAIL)
        continue;
      o.id = g_ascii_strtoll (aq_report_result_get_row_key (outages, r, 0), NULL, 10);
      o.kind = aq_report_result_get_row_key (outages, r, 1);
      o.status = aq_report_result_get_row_key (outages, r, 2);
      o.reason = aq_report_result_get_row_key (outages, r, 3);
      if (!aq_report_result_get_cell (outages, r, 0, &o.accounts))
        o.accounts = 0;
      g_array_append_val (rows, o);
    }
  g_array_sort (rows, outage_row_compare);
  for (guint i = 0; i < rows->len; i++)
    {
      const OutageRow *o = &g_array_index (rows, OutageRow, i);

      add_alarm (all, g_strcmp0 (o->status, "active") == 0 && g_strcmp0 (o->kind, "emergency")
                      == 0 ? AQ_TILE_STATUS_ALARM : AQ_TILE_STATUS_WARNING,
                 "outage", outage_text (o));
    }

  /* quality rules failing, then warning, at their latest result */
  quality = run_pivot (db, catalog, tile->id,
                       "\"quality_status\", \"quality_rule\", \"quality_table\"",
                       "\"quality_failing_rows\"",
                       "{\"dimension\": \"quality_status\", \"op\": \"in\","
                       " \"values\": [\"fail\", \"warn\"]}", NULL, cancellable, error);
  if (quality == NULL)
    return FALSE;
  for (guint r = 0; r < aq_report_result_get_n_rows (quality); r++)
    {
      const char *status = aq_report_result_get_row_key (quality, r, 0);
      double failing = 0;
      g_autofree char *n = NULL;

      if (aq_report_result_get_row_kind (quality, r) != AQ_REPORT_ROW_DETAIL)
        continue;
      aq_report_result_get_cell (quality, r, 0, &failing);
      n = g_strdup_printf ("%.0f", failing);
      add_alarm (all, g_strcmp0 (status, "fail") == 0 ? AQ_TILE_STATUS_ALARM
                                                      : AQ_TILE_STATUS_WARNING,
                 "quality",
                 /* Translators: an alarm ticker line: a data quality rule, its table and the
                  * rows that fail it */
                 g_strdup_printf (_("Data quality: %s on %s · %s rows failing"),
                                  aq_report_result_get_row_key (quality, r, 1),
                                  aq_report_result_get_row_key (quality, r, 2), n));
    }

  /* work orders past their time limit in the latest month */
  {
    g_autoptr(AqDashboardTile) kpi = aq_dashboard_tile_new (tile->id, AQ_TILE_KPI);
    g_autoptr(AqTileData) wo = g_new0 (AqTileData, 1);

    kpi->indicator = g_strdup ("wo_sla_missed");
    kpi->period = g_strdup (aq_dashboard_tile_get_period (tile, dashboard));
    wo->spark = g_array_new (FALSE, FALSE, sizeof (double));
    wo->spark_labels = g_ptr_array_new_with_free_func (g_free);
    if (!_aq_tile_fetch_kpi (db, catalog, dashboard, kpi, wo, cancellable, error))
      return FALSE;
    if (wo->has_value && wo->value > 0)
      add_alarm (all, AQ_TILE_STATUS_WARNING, "work_order",
                 /* Translators: an alarm ticker line: work orders past their time limit in a
                  * month (YYYY-MM) */
                 g_strdup_printf (ngettext ("%.0f work order past its time limit in %s",
                                            "%.0f work orders past their time limit in %s",
                                            wo->value == 1 ? 1 : 2),
                                  wo->value, wo->period));
  }

  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < all->len; i++)
      {
        AqTileAlarm *a = all->pdata[i];

        if (a != NULL && (a->severity == AQ_TILE_STATUS_ALARM) == (pass == 0))
          {
            g_ptr_array_add (data->alarms, a);
            all->pdata[i] = NULL;
          }
      }
  return TRUE;
}

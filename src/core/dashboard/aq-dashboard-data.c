/* aq-dashboard-data.c — a tile's figures, fetched through the report engine
 *
 * No tile has a query of its own: a KPI runs a pivot of its indicator by month (the same spec
 * the drill-through opens in the report panel), a chart or table runs its saved report.
 * From the KPI's months come the value, the month before, the same month a year before and
 * the sparkline, so one statement answers the whole tile. It reads thirteen months, never the
 * whole history: @latest is first resolved to the warehouse's last month. An indicator that
 * cannot be cut by month (a profile count such as accounts in arrears) gets its current value
 * only.
 */
#define G_LOG_DOMAIN "aq-dashboard-data"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-dashboard-data-private.h"
#include "aq-db-job.h"
#include "aq-map-features.h"
#include "aq-error.h"

void
aq_tile_alarm_free (AqTileAlarm *alarm)
{
  if (alarm == NULL)
    return;
  g_free (alarm->kind);
  g_free (alarm->text);
  g_free (alarm);
}

void
aq_tile_data_free (AqTileData *data)
{
  if (data == NULL)
    return;
  g_free (data->tile_id);
  g_free (data->title);
  g_clear_pointer (&data->as_of, g_date_time_unref);
  g_free (data->unit);
  g_free (data->format);
  g_free (data->period);
  g_clear_pointer (&data->spark, g_array_unref);
  g_clear_pointer (&data->spark_labels, g_ptr_array_unref);
  g_clear_object (&data->result);
  g_clear_pointer (&data->zones, g_ptr_array_unref);
  g_clear_pointer (&data->zone_values, g_hash_table_unref);
  g_clear_pointer (&data->outages, g_ptr_array_unref);
  g_clear_pointer (&data->alarms, g_ptr_array_unref);
  g_free (data);
}

gboolean
aq_tile_data_change (AqTileData *data,
                     gboolean    against_last_year,
                     double     *out_change)
{
  gboolean has_base = against_last_year ? data->has_last_year : data->has_previous;
  double base = against_last_year ? data->last_year : data->previous;

  *out_change = 0;
  if (!data->has_value || !has_base)
    return FALSE;
  if (data->percent)
    {
      *out_change = data->value - base;
      return TRUE;
    }
  if (base == 0)
    return FALSE;
  *out_change = (data->value - base) / fabs (base);
  return TRUE;
}

char *
aq_tile_data_format_value (AqTileData *data)
{
  if (!data->has_value)
    return g_strdup ("—");
  return aq_report_format_number (data->value, data->format ? data->format : "#,##0");
}

/* "YYYY-MM" plus @n months. */
static char *
add_months (const char *month,
            int         n)
{
  int y, m;

  if (month == NULL || sscanf (month, "%d-%d", &y, &m) != 2)
    return NULL;
  m = y * 12 + (m - 1) + n;
  return g_strdup_printf ("%04d-%02d", m / 12, m % 12 + 1);
}

static gboolean
by_month (AqIndicator *indicator)
{
  return aq_indicator_allows_dimension (indicator, "month");
}

AqReportSpec *
aq_tile_kpi_spec (AqCatalog             *catalog,
                  const AqDashboardTile *tile,
                  GError               **error)
{
  g_autoptr(AqReportSpec) spec = aq_report_spec_new (AQ_REPORT_KIND_PIVOT);
  AqIndicator *indicator;

  g_return_val_if_fail (AQ_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (tile != NULL, NULL);

  indicator = tile->indicator ? aq_catalog_lookup_indicator (catalog, tile->indicator) : NULL;
  if (indicator == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("The catalog has no indicator “%s”"), tile->indicator ? tile->indicator
                                                                          : "");
      return NULL;
    }
  aq_report_spec_set_name (spec, tile->id);
  aq_report_spec_set_title (spec, tile->title ? tile->title : aq_indicator_get_name (indicator));
  aq_report_spec_set_subtotals (spec, FALSE);
  aq_report_spec_add (spec, AQ_REPORT_ZONE_VALUES, tile->indicator, -1);
  if (by_month (indicator))
    {
      AqReportParam param = { 0 };
      g_autoptr(AqReportField) filter = aq_report_field_new ("month");
      AqReportSort sort = { 0 };

      aq_report_spec_set_totals (spec, FALSE);
      aq_report_spec_add (spec, AQ_REPORT_ZONE_ROWS, "month", -1);
      filter->op = AQ_REPORT_FILTER_BETWEEN;
      filter->values = g_strsplit ("$period", " ", -1);
      aq_report_spec_add_field (spec, AQ_REPORT_ZONE_FILTERS, filter, -1);
      param.name = (char *) "period";
      param.type = AQ_REPORT_PARAM_MONTH_RANGE;
      param.label = (char *) _("Period");
      param.default_value = (char *) "@all";
      aq_report_spec_add_param (spec, &param);
      sort.by = AQ_REPORT_SORT_DIMENSION;
      sort.dimension = (char *) "month";
      aq_report_spec_add_sort (spec, &sort);
    }
  if (!aq_report_spec_validate (spec, catalog, error))
    return NULL;
  return g_steal_pointer (&spec);
}

GHashTable *
aq_tile_report_params (const AqDashboardTile *tile,
                       AqReportSpec          *spec)
{
  const AqReportParam *param = aq_report_spec_lookup_param (spec, "period");
  GHashTable *params;

  if (param == NULL || tile->period == NULL || *tile->period == '\0')
    return NULL;
  params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (param->type == AQ_REPORT_PARAM_MONTH_RANGE && strchr (tile->period, '.') == NULL
      && tile->period[0] != '@')
    g_hash_table_insert (params, g_strdup ("period"),
                         g_strdup_printf ("%s..%s", tile->period, tile->period));
  else
    g_hash_table_insert (params, g_strdup ("period"), g_strdup (tile->period));
  return params;
}

/* The warehouse's last billing month, "YYYY-MM" ("" when it has none): the month "@latest"
 * stands for, resolved the way the report engine resolves it (aq-report.c). */
static char *
latest_month (AqDb    *db,
              GError **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                             " FROM dm.cube_billing_monthly", 0, NULL, error);

  if (res == NULL)
    return NULL;
  return g_strdup (PQgetisnull (res, 0, 0) ? "" : PQgetvalue (res, 0, 0));
}

static gboolean
has_month (AqReportResult *result,
           const char     *month)
{
  guint n_rows = aq_report_result_get_n_rows (result);

  for (guint r = n_rows; r > 0; r--)
    if (aq_report_result_get_row_kind (result, r - 1) == AQ_REPORT_ROW_DETAIL)
      return g_strcmp0 (aq_report_result_get_row_label (result, r - 1, 0), month) == 0;
  return FALSE;
}

gboolean
_aq_tile_fetch_kpi (AqDb                  *db,
                    AqCatalog             *catalog,
                    const AqDashboard     *dashboard,
                    const AqDashboardTile *tile,
                    AqTileData            *data,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autoptr(AqReportSpec) spec = aq_tile_kpi_spec (catalog, tile, error);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(AqReportResult) result = NULL;
  g_autoptr(GHashTable) by_label = NULL;
  g_autofree char *prev = NULL;
  g_autofree char *year_ago = NULL;
  g_autofree char *latest = NULL;
  const char *period = aq_dashboard_tile_get_period (tile, dashboard);
  const char *window = NULL;
  AqIndicator *indicator;
  guint n_rows;
  gpointer found;

  if (spec == NULL)
    return FALSE;
  indicator = aq_catalog_lookup_indicator (catalog, tile->indicator);
  data->unit = g_strdup (aq_indicator_get_unit (indicator));
  data->format = g_strdup (aq_indicator_get_number_format (indicator));
  data->percent = aq_indicator_is_percent (indicator);
  if (!data->title)
    data->title = g_strdup (aq_indicator_get_name (indicator));

  if (by_month (indicator) && period[0] == '@')
    {
      /* @latest: only the warehouse's last month and the twelve before it (the month before,
       * the year before, the sparkline) instead of every month of history */
      latest = latest_month (db, error);
      if (latest == NULL)
        return FALSE;
      if (*latest != '\0')
        window = latest;
    }
  else if (by_month (indicator))
    window = period;
  if (window != NULL)
    {
      g_autofree char *from = add_months (window, -AQ_TILE_SPARK_MONTHS);

      if (from == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("period: “%s” is not a month (YYYY-MM) or @latest"), period);
          return FALSE;
        }
      params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_hash_table_insert (params, (gpointer) "period",
                           g_strdup_printf ("%s..%s", from, window));
    }
  result = aq_report_run (db, catalog, spec, params, cancellable, error);
  if (result == NULL)
    return FALSE;
  n_rows = aq_report_result_get_n_rows (result);
  /* an indicator whose figures stop before the warehouse's last month: its own last month's
   * comparisons may lie before the window, so the whole history as before */
  if (latest != NULL && *latest != '\0' && !has_month (result, latest))
    {
      g_clear_object (&result);
      result = aq_report_run (db, catalog, spec, NULL, cancellable, error);
      if (result == NULL)
        return FALSE;
      n_rows = aq_report_result_get_n_rows (result);
    }

  if (!by_month (indicator))
    {
      for (guint r = 0; r < n_rows; r++)
        if (aq_report_result_get_cell (result, r, 0, &data->value))
          {
            data->has_value = TRUE;
            break;
          }
      data->status = aq_dashboard_tile_status (tile, data->has_value ? data->value : NAN);
      return TRUE;
    }

  by_label = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint r = 0; r < n_rows; r++)
    if (aq_report_result_get_row_kind (result, r) == AQ_REPORT_ROW_DETAIL)
      g_hash_table_insert (by_label, (gpointer) aq_report_result_get_row_label (result, r, 0),
                           GUINT_TO_POINTER (r + 1));
  if (period[0] == '@')
    {
      /* @latest: the last month the report has */
      for (guint r = n_rows; r > 0; r--)
        if (aq_report_result_get_row_kind (result, r - 1) == AQ_REPORT_ROW_DETAIL)
          {
            data->period = g_strdup (aq_report_result_get_row_label (result, r - 1, 0));
            break;
          }
    }
  else
    data->period = g_strdup (period);
  if (data->period == NULL)
    return TRUE;   /* no months at all: an empty tile, not an error */

  found = g_hash_table_lookup (by_label, data->period);
  if (found)
    data->has_value = aq_report_result_get_cell (result, GPOINTER_TO_UINT (found) - 1, 0,
                                                 &data->value);
  prev = add_months (data->period, -1);
  found = g_hash_table_lookup (by_label, prev);
  if (found)
    data->has_previous = aq_report_result_get_cell (result, GPOINTER_TO_UINT (found) - 1, 0,
                                                    &data->previous);
  year_ago = add_months (data->period, -12);
  found = g_hash_table_lookup (by_label, year_ago);
  if (found)
    data->has_last_year = aq_report_result_get_cell (result, GPOINTER_TO_UINT (found) - 1, 0,
                                                     &data->last_year);
  for (int i = AQ_TILE_SPARK_MONTHS - 1; i >= 0; i--)
    {
      g_autofree char *month = add_months (data->period, -i);
      double v = NAN;

      found = g_hash_table_lookup (by_label, month);
      if (found && !aq_report_result_get_cell (result, GPOINTER_TO_UINT (found) - 1, 0, &v))
        v = NAN;
      g_array_append_val (data->spark, v);
      g_ptr_array_add (data->spark_labels, g_steal_pointer (&month));
    }
  data->status = aq_dashboard_tile_status (tile, data->has_value ? data->value : NAN);
  return TRUE;
}

static gboolean
fetch_report (AqDb                  *db,
              AqCatalog             *catalog,
              const AqDashboardTile *tile,
              AqTileData            *data,
              GCancellable          *cancellable,
              GError               **error)
{
  g_autoptr(AqReportSpec) spec = aq_report_store_open (db, tile->report, cancellable, error);
  g_autoptr(GHashTable) params = NULL;

  if (spec == NULL)
    return FALSE;
  if (!data->title)
    data->title = g_strdup (aq_report_spec_get_title (spec));
  if (aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST)
    aq_report_spec_set_limit (spec, tile->limit ? tile->limit : 10);
  params = aq_tile_report_params (tile, spec);
  data->result = aq_report_run (db, catalog, spec, params, cancellable, error);
  return data->result != NULL;
}

AqTileData *
aq_tile_data_fetch (AqDb                  *db,
                    AqCatalog             *catalog,
                    const AqDashboard     *dashboard,
                    const AqDashboardTile *tile,
                    GCancellable          *cancellable,
                    GError               **error)
{
  g_autoptr(AqTileData) data = g_new0 (AqTileData, 1);
  gboolean ok = TRUE;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (AQ_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (tile != NULL, NULL);

  data->kind = tile->kind;
  data->tile_id = g_strdup (tile->id);
  data->title = g_strdup (tile->title);
  data->spark = g_array_new (FALSE, FALSE, sizeof (double));
  data->spark_labels = g_ptr_array_new_with_free_func (g_free);
  data->status = AQ_TILE_STATUS_NONE;
  switch (tile->kind)
    {
    case AQ_TILE_KPI:
      ok = _aq_tile_fetch_kpi (db, catalog, dashboard, tile, data, cancellable, error);
      break;
    case AQ_TILE_CHART:
    case AQ_TILE_TABLE:
      ok = fetch_report (db, catalog, tile, data, cancellable, error);
      break;
    case AQ_TILE_MAP:
      ok = _aq_tile_fetch_map (db, catalog, dashboard, tile, data, cancellable, error);
      break;
    case AQ_TILE_ALARMS:
      ok = _aq_tile_fetch_alarms (db, catalog, dashboard, tile, data, cancellable, error);
      break;
    default:
      break;
    }
  if (!ok)
    return NULL;
  data->as_of = aq_clock_now ();
  return g_steal_pointer (&data);
}

/* ---- async ----------------------------------------------------------------------------- */

typedef struct
{
  AqCatalog       *catalog;
  AqDashboard     *dashboard;
  AqDashboardTile *tile;
} FetchJob;

static void
fetch_job_free (FetchJob *job)
{
  g_clear_object (&job->catalog);
  aq_dashboard_free (job->dashboard);
  aq_dashboard_tile_free (job->tile);
  g_free (job);
}

static gpointer
fetch_job (AqDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  FetchJob *job = data;

  return aq_tile_data_fetch (db, job->catalog, job->dashboard, job->tile, cancellable, error);
}

void
aq_tile_data_fetch_async (const char            *conninfo,
                          AqCatalog             *catalog,
                          const AqDashboard     *dashboard,
                          const AqDashboardTile *tile,
                          GCancellable          *cancellable,
                          GAsyncReadyCallback    callback,
                          gpointer               user_data)
{
  FetchJob *job = g_new0 (FetchJob, 1);

  job->catalog = g_object_ref (catalog);
  job->dashboard = dashboard ? aq_dashboard_copy (dashboard) : NULL;
  job->tile = aq_dashboard_tile_copy (tile);
  aq_db_job_run_async (conninfo, aq_tile_data_fetch_async, fetch_job, job,
                       (GDestroyNotify) fetch_job_free, (GDestroyNotify) aq_tile_data_free,
                       cancellable, callback, user_data);
}

AqTileData *
aq_tile_data_fetch_finish (GAsyncResult  *result,
                           GError       **error)
{
  return aq_db_job_run_finish (result, aq_tile_data_fetch_async, error);
}

/* aq-overview.c — the numbers of the Overview dashboard
 *
 * Row counts come from estimates (the statistics' live tuples, else pg_class.reltuples), never
 * from count(*): the dashboard opens in milliseconds on a warehouse of billions of rows, and
 * "about 36 million bills" is what the people looking at it want to know.
 */
#define G_LOG_DOMAIN "aq-overview"

#include "aq-overview.h"

#include "aq-connection.h"
#include "aq-db-job.h"
#include "aq-error.h"

/* Partitions count as rows of their parent, not as tables of their own. */
static const char layers_sql[] =
  "SELECT n.nspname,"
  "       count(c.oid) FILTER (WHERE NOT c.relispartition),"
  "       coalesce(sum(CASE"
  "                      WHEN c.relkind <> 'r' THEN 0"
  "                      WHEN s.n_live_tup > 0 OR c.reltuples < 0"
  "                        THEN coalesce(s.n_live_tup, 0)"
  "                      ELSE c.reltuples::bigint"
  "                    END), 0)::bigint"
  "  FROM pg_namespace n"
  "  LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p')"
  "  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
  " WHERE n.nspname IN ('ods', 'dw', 'dm') OR n.nspname LIKE 'src\\_%'"
  " GROUP BY n.nspname"
  " ORDER BY CASE WHEN n.nspname LIKE 'src\\_%' THEN 0"
  "               WHEN n.nspname = 'ods' THEN 1"
  "               WHEN n.nspname = 'dw' THEN 2"
  "               ELSE 3 END,"
  "          n.nspname";

static const char runs_sql[] =
  "SELECT run_id, pipeline, status,"
  "       extract(epoch FROM started_at)::float8,"
  "       extract(epoch FROM finished_at)::float8,"
  "       rows_written, error"
  "  FROM meta.pipeline_run"
  " ORDER BY started_at DESC, run_id DESC"
  " LIMIT $1";

/* ---- auxiliary methods ---- */

static void
layer_free (AqOverviewLayer *layer)
{
  g_free (layer->schema);
  g_free (layer);
}

static void
run_free (AqOverviewRun *run)
{
  g_free (run->pipeline);
  g_free (run->status);
  g_clear_pointer (&run->started_at, g_date_time_unref);
  g_clear_pointer (&run->finished_at, g_date_time_unref);
  g_free (run->error);
  g_free (run);
}

static GDateTime *
epoch_value (PGresult *res,
             int       row,
             int       col)
{
  g_autoptr(GDateTime) utc = NULL;

  if (PQgetisnull (res, row, col))
    return NULL;
  utc = g_date_time_new_from_unix_utc (0);
  return g_date_time_add_seconds (utc, g_ascii_strtod (PQgetvalue (res, row, col), NULL));
}

static gboolean
load_layers (AqDb        *db,
             AqOverview  *overview,
             GError     **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, layers_sql, 0, NULL, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqOverviewLayer *layer = g_new0 (AqOverviewLayer, 1);

      layer->schema = g_strdup (PQgetvalue (res, i, 0));
      layer->n_tables = (guint) g_ascii_strtoull (PQgetvalue (res, i, 1), NULL, 10);
      layer->approx_rows = g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10);
      g_ptr_array_add (overview->layers, layer);
    }
  return TRUE;
}

static gboolean
load_runs (AqDb        *db,
           AqOverview  *overview,
           GError     **error)
{
  g_autofree char *limit = g_strdup_printf ("%d", AQ_OVERVIEW_MAX_RUNS);
  const char *params[] = { limit };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *exists = NULL;
  g_autoptr(PGresult) res = NULL;

  /* A warehouse the migrations never touched has no run log: that is not an error. */
  exists = aq_db_query_string (db, "SELECT to_regclass('meta.pipeline_run')::text", 0, NULL,
                               &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (exists == NULL)
    return TRUE;
  overview->has_run_log = TRUE;

  res = aq_db_query (db, runs_sql, 1, params, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqOverviewRun *run = g_new0 (AqOverviewRun, 1);

      run->run_id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      run->pipeline = g_strdup (PQgetvalue (res, i, 1));
      run->status = g_strdup (PQgetvalue (res, i, 2));
      run->started_at = epoch_value (res, i, 3);
      run->finished_at = epoch_value (res, i, 4);
      run->rows_written = PQgetisnull (res, i, 5)
                          ? -1 : g_ascii_strtoll (PQgetvalue (res, i, 5), NULL, 10);
      run->error = PQgetisnull (res, i, 6) ? NULL : g_strdup (PQgetvalue (res, i, 6));
      g_ptr_array_add (overview->runs, run);
    }
  return TRUE;
}

/* The scheduler's jobs with their next and last runs (aq-job.c reads them). */
static gboolean
load_jobs (AqDb        *db,
           AqOverview  *overview,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *exists = NULL;
  g_autoptr(GPtrArray) jobs = NULL;

  exists = aq_db_query_string (db, "SELECT to_regclass('meta.job')::text", 0, NULL,
                               &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (exists == NULL)
    return TRUE;
  jobs = aq_job_list (db, error);
  if (jobs == NULL)
    return FALSE;
  g_clear_pointer (&overview->jobs, g_ptr_array_unref);
  overview->jobs = g_steal_pointer (&jobs);
  return TRUE;
}

static gpointer
load_job (AqDb          *db,
          gpointer       task_data,
          GCancellable  *cancellable,
          GError       **error)
{
  return aq_overview_load (db, cancellable, error);
}

/* ---- public API ---- */

void
aq_overview_free (AqOverview *overview)
{
  if (overview == NULL)
    return;
  g_clear_pointer (&overview->health, aq_health_report_free);
  g_clear_pointer (&overview->layers, g_ptr_array_unref);
  g_clear_pointer (&overview->runs, g_ptr_array_unref);
  g_clear_pointer (&overview->jobs, g_ptr_array_unref);
  g_free (overview);
}

AqOverviewLayer *
aq_overview_find_layer (AqOverview *overview,
                        const char *schema)
{
  g_return_val_if_fail (overview != NULL, NULL);
  g_return_val_if_fail (schema != NULL, NULL);

  for (guint i = 0; i < overview->layers->len; i++)
    {
      AqOverviewLayer *layer = g_ptr_array_index (overview->layers, i);
      if (g_str_equal (layer->schema, schema))
        return layer;
    }
  return NULL;
}

/**
 * aq_overview_load:
 * @db: an open connection
 *
 * Reads everything the dashboard shows in one read-only transaction, so the numbers belong
 * to one moment of the warehouse.
 */
AqOverview *
aq_overview_load (AqDb          *db,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(AqOverview) overview = NULL;
  gulong handler;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (!aq_db_exec (db, "BEGIN READ ONLY", error))
    return NULL;

  overview = g_new0 (AqOverview, 1);
  overview->layers = g_ptr_array_new_with_free_func ((GDestroyNotify) layer_free);
  overview->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) run_free);
  overview->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_job_free);

  handler = aq_db_watch_cancellable (db, cancellable);
  ok = (overview->health = aq_health_check (db, cancellable, error)) != NULL
       && load_layers (db, overview, error)
       && load_runs (db, overview, error)
       && load_jobs (db, overview, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  aq_db_rollback (db);

  return ok ? g_steal_pointer (&overview) : NULL;
}

/**
 * aq_overview_load_async:
 * @conninfo: (nullable): the warehouse, resolved as aq_connection_resolve() does
 *
 * Loads on a worker thread with a pooled connection (aq-db-job.c).
 */
void
aq_overview_load_async (const char          *conninfo,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  aq_db_job_run_async (conninfo, aq_overview_load_async, load_job, NULL, NULL,
                       (GDestroyNotify) aq_overview_free, cancellable, callback, user_data);
}

AqOverview *
aq_overview_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  return aq_db_job_run_finish (result, aq_overview_load_async, error);
}

/* aq-health.c — is the warehouse there, and what is it
 *
 * Every check opens a connection of its own and closes it again: a fresh connection proves
 * what the panels need (they connect the same way), a server that went away and came back is
 * noticed without tracking a broken session, and no backend stays busy between checks.
 */
#define G_LOG_DOMAIN "aq-health"

#include "aq-health.h"

#include "aq-connection.h"
#include "aq-error.h"

typedef struct
{
  char               *conninfo;
  AqHealthCheckFlags  flags;
} CheckData;

G_DEFINE_BOXED_TYPE (AqHealthReport, aq_health_report,
                     aq_health_report_copy, aq_health_report_free)

/* ---- auxiliary methods ---- */

static void
check_data_free (CheckData *data)
{
  g_free (data->conninfo);
  g_free (data);
}

static char *
resolve (const char          *conninfo,
         AqHealthCheckFlags   flags,
         GError             **error)
{
  if (flags & AQ_HEALTH_CHECK_EXACT)
    {
      if (conninfo && *conninfo)
        return g_strdup (conninfo);
      return aq_connection_resolve_embedded (error);
    }
  return aq_connection_resolve (conninfo, error);
}

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *resolved = NULL;
  AqHealthReport *report;

  resolved = resolve (data->conninfo, data->flags, &error);
  if (resolved == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  db = aq_db_connect (resolved, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  report = aq_health_check (db, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) aq_health_report_free);
}

/* ---- public API ---- */

AqHealthReport *
aq_health_report_copy (const AqHealthReport *report)
{
  AqHealthReport *copy;

  g_return_val_if_fail (report != NULL, NULL);

  copy = g_memdup2 (report, sizeof *report);
  copy->description = g_strdup (report->description);
  copy->server_version = g_strdup (report->server_version);
  copy->name = g_strdup (report->name);
  return copy;
}

void
aq_health_report_free (AqHealthReport *report)
{
  if (report == NULL)
    return;
  g_free (report->description);
  g_free (report->server_version);
  g_free (report->name);
  g_free (report);
}

/**
 * aq_health_check:
 * @db: an open connection
 *
 * Asks the warehouse what it is. Bounded by a short statement timeout, so a server that
 * accepts connections but does not answer counts as unhealthy instead of hanging the caller.
 */
AqHealthReport *
aq_health_check (AqDb          *db,
                 GCancellable  *cancellable,
                 GError       **error)
{
  static const char sql[] =
    "SELECT split_part(current_setting('server_version'), ' ', 1),"
    "       pg_database_size(current_database()),"
    "       EXISTS (SELECT 1 FROM pg_namespace WHERE nspname LIKE 'src\\_%'),"
    "       EXISTS (SELECT 1 FROM pg_class c"
    "               JOIN pg_namespace n ON n.oid = c.relnamespace"
    "               WHERE n.nspname = 'dw' AND c.relkind = 'r'"
    "                 AND pg_relation_size(c.oid) > 0)";
  g_autoptr(AqHealthReport) report = NULL;
  g_autoptr(PGresult) res = NULL;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (!aq_db_exec (db, "SET statement_timeout = '5s'", error))
    return NULL;

  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query (db, sql, 0, NULL, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (res == NULL)
    return NULL;

  report = g_new0 (AqHealthReport, 1);
  report->description = aq_db_describe (db);
  report->name = g_strdup (PQdb (aq_db_get_conn (db)));
  report->server_version = g_strdup (PQgetvalue (res, 0, 0));
  report->database_size = g_ascii_strtoll (PQgetvalue (res, 0, 1), NULL, 10);
  report->has_demo_data = g_str_equal (PQgetvalue (res, 0, 2), "t");
  report->has_dw = g_str_equal (PQgetvalue (res, 0, 3), "t");
  return g_steal_pointer (&report);
}

/**
 * aq_health_check_async:
 * @conninfo: (nullable): the profile's conninfo or URL, password included when it has one
 * @flags: whether $AQUEDUCT_DATABASE_URL and the embedded fallback apply
 *
 * Resolves the warehouse, connects and checks it on a worker thread.
 */
void
aq_health_check_async (const char          *conninfo,
                       AqHealthCheckFlags   flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (CheckData, 1);
  data->conninfo = g_strdup (conninfo);
  data->flags = flags;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, aq_health_check_async);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

AqHealthReport *
aq_health_check_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aq_health_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* aq-db-pipeline.c — several prepared statements in one round trip
 *
 * A screen that reads a dozen small indexed queries spends more time waiting for the network
 * and the server's wake-ups than executing them. libpq's pipeline mode sends all of them (and
 * the PREPAREs of those this connection has not seen yet) before reading any result, so the
 * whole batch costs one round trip. The statements still run one after the other on the server
 * and, outside an explicit transaction, in one implicit transaction.
 */
#define G_LOG_DOMAIN "aq-db"

#include "config.h"

#include "aq-db-pipeline.h"

#include <string.h>

#include "aq-error.h"

/* SQL text → statement name, per connection; names of their own so they never clash with
 * aq_db_query_prepared()'s */
static GQuark
prepared_quark (void)
{
  return g_quark_from_static_string ("aq-db-pipeline-prepared");
}

static GHashTable *
get_prepared (AqDb *db)
{
  GHashTable *prepared = g_object_get_qdata (G_OBJECT (db), prepared_quark ());

  if (prepared == NULL)
    {
      prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_object_set_qdata_full (G_OBJECT (db), prepared_quark (), prepared,
                               (GDestroyNotify) g_hash_table_unref);
    }
  return prepared;
}

static void
set_error (GError   **error,
           PGconn    *conn,
           PGresult  *res)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorMessage (res) : NULL;
  g_autofree char *trimmed = NULL;
  int code = AQ_ERROR_QUERY;

  if (msg == NULL || *msg == '\0')
    msg = PQerrorMessage (conn);
  trimmed = g_strstrip (g_strdup (msg ? msg : "unknown error"));
  if (state && strcmp (state, "57014") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, trimmed);
      return;
    }
  if (PQstatus (conn) != CONNECTION_OK || (state && g_str_has_prefix (state, "08")))
    code = AQ_ERROR_CONNECTION;
  /* insufficient_privilege: the login's roles do not allow it (010_roles.sql) */
  else if (state && strcmp (state, "42501") == 0)
    code = AQ_ERROR_PERMISSION;
  g_set_error (error, AQ_ERROR, code, "%s%s%s%s", trimmed,
               state ? " [" : "", state ? state : "", state ? "]" : "");
}

static int next_name;

/* One command's result; the NULL that ends it is read too. */
static PGresult *
next_result (PGconn *conn)
{
  PGresult *res = PQgetResult (conn);
  PGresult *extra;

  while (res && (extra = PQgetResult (conn)) != NULL)
    PQclear (extra);
  return res;
}

/**
 * aq_db_query_pipeline:
 * @statements: (array length=n_statements): what to run, in order
 * @results: (out caller-allocates) (array length=n_statements): one result per statement
 *
 * Like aq_db_query_prepared() for each statement, in one round trip. On the first failure the
 * rest are not run: the error is set, every element of @results is %NULL and the connection is
 * back in its ordinary mode.
 *
 * Returns: whether every statement succeeded
 */
gboolean
aq_db_query_pipeline (AqDb                *db,
                      const AqDbStatement *statements,
                      guint                n_statements,
                      PGresult           **results,
                      GError             **error)
{
  PGconn *conn;
  GHashTable *prepared;
  g_autofree char **names = NULL;
  g_autofree gboolean *preparing = NULL;
  GError *first_error = NULL;
  gboolean sent = TRUE;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  conn = aq_db_get_conn (db);
  prepared = get_prepared (db);
  names = g_new0 (char *, n_statements);
  preparing = g_new0 (gboolean, n_statements);
  memset (results, 0, sizeof (PGresult *) * n_statements);

  if (!PQenterPipelineMode (conn))
    {
      set_error (error, conn, NULL);
      return FALSE;
    }

  for (guint i = 0; sent && i < n_statements; i++)
    {
      names[i] = g_strdup (g_hash_table_lookup (prepared, statements[i].sql));
      if (names[i] == NULL)
        {
          names[i] = g_strdup_printf ("aqp_%d", g_atomic_int_add (&next_name, 1));
          preparing[i] = TRUE;
          sent = PQsendPrepare (conn, names[i], statements[i].sql, statements[i].n_params,
                                NULL);
        }
      sent = sent && PQsendQueryPrepared (conn, names[i], statements[i].n_params,
                                          statements[i].params, NULL, NULL, 0);
    }
  sent = sent && PQpipelineSync (conn);
  if (!sent)
    set_error (&first_error, conn, NULL);

  /* every result up to the sync is read, whatever failed, so the connection stays usable */
  for (guint i = 0; sent && i < n_statements; i++)
    {
      if (preparing[i])
        {
          g_autoptr(PGresult) prep = next_result (conn);

          if (PQresultStatus (prep) == PGRES_COMMAND_OK)
            g_hash_table_insert (prepared, g_strdup (statements[i].sql), g_strdup (names[i]));
          else if (first_error == NULL)
            set_error (&first_error, conn, prep);
        }
      results[i] = next_result (conn);
      if (PQresultStatus (results[i]) != PGRES_TUPLES_OK
          && PQresultStatus (results[i]) != PGRES_COMMAND_OK && first_error == NULL)
        set_error (&first_error, conn, results[i]);
    }
  if (sent)
    {
      PGresult *res;

      while ((res = PQgetResult (conn)) != NULL)
        {
          ExecStatusType st = PQresultStatus (res);

          PQclear (res);
          if (st == PGRES_PIPELINE_SYNC)
            break;
        }
    }
  if (!PQexitPipelineMode (conn) && first_error == NULL)
    set_error (&first_error, conn, NULL);

  for (guint i = 0; i < n_statements; i++)
    g_free (names[i]);
  if (first_error)
    {
      for (guint i = 0; i < n_statements; i++)
        g_clear_pointer (&results[i], PQclear);
      g_propagate_error (error, first_error);
      return FALSE;
    }
  return TRUE;
}

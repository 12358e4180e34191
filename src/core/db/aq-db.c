/* aq-db.c — one connection to the warehouse
 *
 * A thin GObject over a PGconn: every failure becomes a GError that carries the server's
 * message and SQLSTATE, values travel only as parameters, and a GCancellable can interrupt a
 * running statement through PQcancel.
 */
#define G_LOG_DOMAIN "aq-db"

#include "aq-db.h"
#include <glib/gi18n.h>

#include <string.h>

#include "aq-error.h"

struct _AqDb
{
  GObject    parent_instance;
  PGconn    *conn;
  PGcancel  *cancel;
  char      *conninfo;
  GMutex     cancel_lock;
  GHashTable *prepared;  /* SQL text → the name of its prepared statement on this session */
};

G_DEFINE_FINAL_TYPE (AqDb, aq_db, G_TYPE_OBJECT)

/* ---- auxiliary methods ---- */

static void
set_error_from_result (GError   **error,
                       AqDb      *self,
                       PGresult  *res,
                       const char *what)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = res ? PQresultErrorMessage (res) : NULL;
  g_autofree char *trimmed = NULL;
  int code = AQ_ERROR_QUERY;

  if (msg == NULL || *msg == '\0')
    msg = PQerrorMessage (self->conn);
  trimmed = g_strstrip (g_strdup (msg ? msg : "unknown error"));

  if (state && strcmp (state, "57014") == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, trimmed);
      return;
    }
  if (PQstatus (self->conn) != CONNECTION_OK || (state && g_str_has_prefix (state, "08")))
    code = AQ_ERROR_CONNECTION;
  /* insufficient_privilege: the login's roles do not allow it (010_roles.sql) */
  else if (state && strcmp (state, "42501") == 0)
    code = AQ_ERROR_PERMISSION;

  if (what)
    g_set_error (error, AQ_ERROR, code, "%s: %s%s%s%s", what, trimmed,
                 state ? " [" : "", state ? state : "", state ? "]" : "");
  else
    g_set_error (error, AQ_ERROR, code, "%s%s%s%s", trimmed,
                 state ? " [" : "", state ? state : "", state ? "]" : "");
}

static gboolean
result_ok (PGresult *res)
{
  ExecStatusType st = PQresultStatus (res);
  return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN
         || st == PGRES_COPY_OUT || st == PGRES_EMPTY_QUERY;
}

static void
notice_processor (void       *arg,
                  const char *message)
{
  g_debug ("%s", message);
}

/* ---- GObject overrides ---- */

static void
aq_db_finalize (GObject *object)
{
  AqDb *self = AQ_DB (object);

  g_clear_pointer (&self->cancel, PQfreeCancel);
  g_clear_pointer (&self->conn, PQfinish);
  g_clear_pointer (&self->conninfo, g_free);
  g_clear_pointer (&self->prepared, g_hash_table_unref);
  g_mutex_clear (&self->cancel_lock);

  G_OBJECT_CLASS (aq_db_parent_class)->finalize (object);
}

static void
aq_db_class_init (AqDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_db_finalize;
}

static void
aq_db_init (AqDb *self)
{
  g_mutex_init (&self->cancel_lock);
  self->prepared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- public API ---- */

/**
 * aq_db_connect:
 * @conninfo: a libpq keyword/value string or a postgresql:// URL
 *
 * Connects and sets the session up the way every part of Aqueduct expects: UTF-8, no JIT
 * (it slows interactive aggregates down), application_name for the server's views.
 */
AqDb *
aq_db_connect (const char  *conninfo,
               GError     **error)
{
  g_autoptr(AqDb) self = g_object_new (AQ_TYPE_DB, NULL);
  /* connect_timeout comes before dbname so that a conninfo which sets its own wins; without
   * one, an unreachable host would hold a worker (and a health check) for minutes. */
  const char *keys[] = { "connect_timeout", "dbname", "application_name", "client_encoding",
                         NULL };
  const char *values[] = { "10", conninfo, g_get_prgname () ? g_get_prgname () : "aqueduct",
                           "UTF8", NULL };

  g_return_val_if_fail (conninfo != NULL, NULL);

  self->conninfo = g_strdup (conninfo);
  self->conn = PQconnectdbParams (keys, values, TRUE);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = g_strstrip (g_strdup (PQerrorMessage (self->conn)));
      g_set_error (error, AQ_ERROR, AQ_ERROR_CONNECTION,
                   _("Cannot connect to the warehouse: %s"), msg);
      return NULL;
    }
  PQsetNoticeProcessor (self->conn, notice_processor, NULL);
  self->cancel = PQgetCancel (self->conn);

  if (!aq_db_exec (self, "SET jit = off", error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
aq_db_get_conninfo (AqDb *self)
{
  g_return_val_if_fail (AQ_IS_DB (self), NULL);
  return self->conninfo;
}

PGconn *
aq_db_get_conn (AqDb *self)
{
  g_return_val_if_fail (AQ_IS_DB (self), NULL);
  return self->conn;
}

gboolean
aq_db_is_ok (AqDb *self)
{
  g_return_val_if_fail (AQ_IS_DB (self), FALSE);
  return PQstatus (self->conn) == CONNECTION_OK;
}

/* "aqueduct on /path/to/socket" or "db on host:port": what a header shows. */
char *
aq_db_describe (AqDb *self)
{
  const char *host;

  g_return_val_if_fail (AQ_IS_DB (self), NULL);

  host = PQhost (self->conn);
  if (host && host[0] == '/')
    return g_strdup_printf ("%s@%s", PQdb (self->conn), host);
  return g_strdup_printf ("%s@%s:%s", PQdb (self->conn), host ? host : "localhost",
                          PQport (self->conn));
}

/* Runs one or more statements without parameters (DDL, SET, migration files). */
gboolean
aq_db_exec (AqDb        *self,
            const char  *sql,
            GError     **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (self), FALSE);

  res = PQexec (self->conn, sql);
  if (!result_ok (res))
    {
      set_error_from_result (error, self, res, NULL);
      return FALSE;
    }
  return TRUE;
}

PGresult *
aq_db_query (AqDb               *self,
             const char         *sql,
             int                 n_params,
             const char * const *params,
             GError            **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (self), NULL);

  res = PQexecParams (self->conn, sql, n_params, NULL, params, NULL, NULL, 0);
  if (!result_ok (res))
    {
      set_error_from_result (error, self, res, NULL);
      return NULL;
    }
  return g_steal_pointer (&res);
}

/**
 * aq_db_query_prepared:
 * @sql: a constant statement; it names its prepared statement on this connection
 *
 * Like aq_db_query(), for the statements an interactive screen runs again and again with new
 * parameters: prepared once per connection, so after the server's first few custom plans it
 * reuses a generic plan and a lookup stops paying for planning. Not for statements whose
 * best plan depends on the values (a LIKE prefix, a skewed column): use aq_db_query().
 */
PGresult *
aq_db_query_prepared (AqDb               *self,
                      const char         *sql,
                      int                 n_params,
                      const char * const *params,
                      GError            **error)
{
  g_autoptr(PGresult) res = NULL;
  const char *name;

  g_return_val_if_fail (AQ_IS_DB (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  name = g_hash_table_lookup (self->prepared, sql);
  if (name == NULL)
    {
      g_autofree char *new_name = g_strdup_printf ("aq_%u", g_hash_table_size (self->prepared));
      g_autoptr(PGresult) prep = PQprepare (self->conn, new_name, sql, n_params, NULL);

      if (!result_ok (prep))
        {
          set_error_from_result (error, self, prep, NULL);
          return NULL;
        }
      name = new_name;
      g_hash_table_insert (self->prepared, g_strdup (sql), g_steal_pointer (&new_name));
    }

  res = PQexecPrepared (self->conn, name, n_params, params, NULL, NULL, 0);
  if (!result_ok (res))
    {
      set_error_from_result (error, self, res, NULL);
      return NULL;
    }
  return g_steal_pointer (&res);
}

/* The first column of the first row, or NULL with no error when there is no row or it is NULL. */
char *
aq_db_query_string (AqDb               *self,
                    const char         *sql,
                    int                 n_params,
                    const char * const *params,
                    GError            **error)
{
  g_autoptr(PGresult) res = aq_db_query (self, sql, n_params, params, error);

  if (res == NULL || PQntuples (res) < 1 || PQgetisnull (res, 0, 0))
    return NULL;
  return g_strdup (PQgetvalue (res, 0, 0));
}

gboolean
aq_db_query_int64 (AqDb               *self,
                   const char         *sql,
                   int                 n_params,
                   const char * const *params,
                   gint64             *out_value,
                   GError            **error)
{
  g_autoptr(PGresult) res = aq_db_query (self, sql, n_params, params, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) < 1 || PQgetisnull (res, 0, 0))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_QUERY, _("Query returned no value: %s"), sql);
      return FALSE;
    }
  *out_value = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  return TRUE;
}

gboolean
aq_db_begin (AqDb    *self,
             GError **error)
{
  return aq_db_exec (self, "BEGIN", error);
}

gboolean
aq_db_commit (AqDb    *self,
              GError **error)
{
  return aq_db_exec (self, "COMMIT", error);
}

/* Rolls back whatever is open; safe to call when no transaction is. */
void
aq_db_rollback (AqDb *self)
{
  g_autoptr(PGresult) res = NULL;

  g_return_if_fail (AQ_IS_DB (self));

  if (PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    res = PQexec (self->conn, "ROLLBACK");
}

gboolean
aq_db_copy_begin (AqDb        *self,
                  const char  *copy_sql,
                  GError     **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (self), FALSE);

  res = PQexec (self->conn, copy_sql);
  if (PQresultStatus (res) != PGRES_COPY_IN)
    {
      set_error_from_result (error, self, res, "COPY");
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_db_copy_put (AqDb        *self,
                const char  *data,
                gsize        len,
                GError     **error)
{
  if (len == 0)
    return TRUE;
  if (PQputCopyData (self->conn, data, (int) len) != 1)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_CONNECTION, _("COPY failed: %s"),
                   PQerrorMessage (self->conn));
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_db_copy_end (AqDb    *self,
                GError **error)
{
  g_autoptr(PGresult) res = NULL;

  if (PQputCopyEnd (self->conn, NULL) != 1)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_CONNECTION, _("COPY failed: %s"),
                   PQerrorMessage (self->conn));
      return FALSE;
    }
  res = PQgetResult (self->conn);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      set_error_from_result (error, self, res, "COPY");
      /* drain so the connection is usable again */
      while ((res = PQgetResult (self->conn)) != NULL)
        PQclear (g_steal_pointer (&res));
      return FALSE;
    }
  while (TRUE)
    {
      PGresult *extra = PQgetResult (self->conn);
      if (extra == NULL)
        break;
      PQclear (extra);
    }
  return TRUE;
}

/* Asks the server to stop the running statement. Blocks for a round trip (libpq 15 has no
 * non-blocking cancel), so UI code calls it from a worker thread. */
void
aq_db_cancel (AqDb *self)
{
  char errbuf[256];

  g_return_if_fail (AQ_IS_DB (self));

  g_mutex_lock (&self->cancel_lock);
  if (self->cancel)
    PQcancel (self->cancel, errbuf, sizeof errbuf);
  g_mutex_unlock (&self->cancel_lock);
}

static void
cancelled_cb (GCancellable *cancellable,
              AqDb         *self)
{
  aq_db_cancel (self);
}

/* While watched, cancelling @cancellable cancels the statement running on this connection. */
gulong
aq_db_watch_cancellable (AqDb         *self,
                         GCancellable *cancellable)
{
  if (cancellable == NULL)
    return 0;
  return g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
}

void
aq_db_unwatch_cancellable (AqDb         *self,
                           GCancellable *cancellable,
                           gulong        handler_id)
{
  if (cancellable != NULL && handler_id != 0)
    g_cancellable_disconnect (cancellable, handler_id);
}

char *
aq_db_quote_ident (const char *ident)
{
  GString *s = g_string_new ("\"");

  for (const char *p = ident; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

/* Appends @value escaped for COPY's text format (NULL as \N); the caller puts the tabs
 * between fields and the newline after a row. */
void
aq_copy_append_value (GString    *row,
                      const char *value)
{
  if (value == NULL)
    {
      g_string_append (row, "\\N");
      return;
    }
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (row, "\\\\"); break;
        case '\t': g_string_append (row, "\\t"); break;
        case '\n': g_string_append (row, "\\n"); break;
        case '\r': g_string_append (row, "\\r"); break;
        default: g_string_append_c (row, *p); break;
        }
    }
}

/* aq-api-state.c — aqueductd's quotas and nonces in the warehouse (026_api_state.sql)
 *
 * The daemon decides every call from memory; this keeps that memory across a restart without
 * a write per call. Its flush (once a second, beside the call log) hands over what changed
 * since the last one: calls per grant and day as increments (so two daemons sharing a
 * warehouse add up rather than overwrite) and the nonces accepted. Each goes in with one COPY
 * into a temporary table and one INSERT … ON CONFLICT, and the expired nonces are deleted in
 * the same transaction. A starting daemon reads the day's counts and the live nonces back
 * before it answers anything.
 */
#define G_LOG_DOMAIN "aq-api"

#include "config.h"

#include "aq-api-state.h"

#include <string.h>

#include "aq-error.h"

/* ---- auxiliary methods ---- */

/* Appends the parts of a "\n"-joined key as tab-separated COPY values. */
static void
append_key (GString    *rows,
            const char *key,
            guint       n_parts)
{
  g_auto(GStrv) parts = g_strsplit (key, "\n", n_parts);

  for (guint i = 0; i < n_parts; i++)
    {
      if (i)
        g_string_append_c (rows, '\t');
      aq_copy_append_value (rows, parts[i] ? parts[i] : "");
    }
}

static gboolean
copy_rows (AqDb        *db,
           const char  *copy_sql,
           GString     *rows,
           GError     **error)
{
  return aq_db_copy_begin (db, copy_sql, error)
         && aq_db_copy_put (db, rows->str, rows->len, error)
         && aq_db_copy_end (db, error);
}

/* ---- public API ---- */

gboolean
aq_api_state_write (AqDb        *db,
                    GHashTable  *quota_calls,
                    GHashTable  *nonces,
                    gint64       now_unix,
                    GError     **error)
{
  g_autoptr(GString) quota_rows = g_string_new (NULL);
  g_autoptr(GString) nonce_rows = g_string_new (NULL);
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now_unix);
  const char *params[] = { now_text };
  g_autoptr(PGresult) pruned = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (quota_calls)
    {
      g_hash_table_iter_init (&iter, quota_calls);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          append_key (quota_rows, key, 3);
          g_string_append_printf (quota_rows, "\t%u\n", GPOINTER_TO_UINT (value));
        }
    }
  if (nonces)
    {
      g_hash_table_iter_init (&iter, nonces);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          append_key (nonce_rows, key, 2);
          g_string_append_printf (nonce_rows, "\t%" G_GINT64_FORMAT "\n",
                                  (gint64) (gintptr) value);
        }
    }

  if (!aq_db_begin (db, error))
    return FALSE;
  if (quota_rows->len > 0
      && (!aq_db_exec (db, "CREATE TEMPORARY TABLE IF NOT EXISTS api_quota_batch"
                       " (LIKE meta.api_quota_day) ON COMMIT DELETE ROWS", error)
          || !copy_rows (db, "COPY pg_temp.api_quota_batch (app_key, api, day, calls)"
                         " FROM STDIN", quota_rows, error)
          || !aq_db_exec (db, "INSERT INTO meta.api_quota_day AS q"
                          " SELECT app_key, api, day, sum(calls) FROM pg_temp.api_quota_batch"
                          " GROUP BY app_key, api, day"
                          " ON CONFLICT (app_key, api, day)"
                          " DO UPDATE SET calls = q.calls + EXCLUDED.calls", error)))
    goto failed;
  if (nonce_rows->len > 0
      && (!aq_db_exec (db, "CREATE TEMPORARY TABLE IF NOT EXISTS api_nonce_batch"
                       " (LIKE meta.api_nonce) ON COMMIT DELETE ROWS", error)
          || !copy_rows (db, "COPY pg_temp.api_nonce_batch (app_key, nonce, expires_at)"
                         " FROM STDIN", nonce_rows, error)
          || !aq_db_exec (db, "INSERT INTO meta.api_nonce SELECT * FROM pg_temp.api_nonce_batch"
                          " ON CONFLICT (app_key, nonce) DO NOTHING", error)))
    goto failed;
  pruned = aq_db_query (db, "DELETE FROM meta.api_nonce WHERE expires_at < $1::bigint", 1,
                        params, error);
  if (pruned == NULL || !aq_db_commit (db, error))
    goto failed;
  return TRUE;

failed:
  aq_db_rollback (db);
  return FALSE;
}

gboolean
aq_api_state_read (AqDb        *db,
                   const char  *day,
                   gint64       now_unix,
                   GHashTable  *quota_calls,
                   GHashTable  *nonces,
                   GError     **error)
{
  g_autofree char *now_text = g_strdup_printf ("%" G_GINT64_FORMAT, now_unix);
  const char *day_params[] = { day };
  const char *now_params[] = { now_text };
  g_autoptr(PGresult) calls = NULL;
  g_autoptr(PGresult) live = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (!aq_db_exec (db, "BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;
  calls = aq_db_query (db, "SELECT app_key, api, calls FROM meta.api_quota_day"
                       " WHERE day = $1::date", 1, day_params, error);
  if (calls)
    live = aq_db_query (db, "SELECT app_key, nonce, expires_at FROM meta.api_nonce"
                        " WHERE expires_at >= $1::bigint", 1, now_params, error);
  if (live == NULL || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return FALSE;
    }
  for (int i = 0; i < PQntuples (calls); i++)
    g_hash_table_insert (quota_calls,
                         g_strconcat (PQgetvalue (calls, i, 0), "\n", PQgetvalue (calls, i, 1),
                                      NULL),
                         GUINT_TO_POINTER ((guint) g_ascii_strtoull (PQgetvalue (calls, i, 2),
                                                                     NULL, 10)));
  for (int i = 0; i < PQntuples (live); i++)
    g_hash_table_insert (nonces,
                         g_strconcat (PQgetvalue (live, i, 0), "\n", PQgetvalue (live, i, 1),
                                      NULL),
                         (gpointer) (gintptr) g_ascii_strtoll (PQgetvalue (live, i, 2), NULL,
                                                               10));
  return TRUE;
}

/* aq-audit.c — who read or changed what: meta.audit_log
 *
 * Reading a customer's personal data is itself a fact to keep: every lookup and every reveal
 * writes one row, and only supervisors may read the rows back.
 */
#define G_LOG_DOMAIN "aq-audit"

#include "config.h"

#include "aq-audit.h"

#include <glib/gi18n-lib.h>

#include "aq-error.h"

void
aq_audit_entry_free (AqAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->object);
  g_clear_pointer (&entry->detail, json_object_unref);
  g_free (entry);
}

/**
 * aq_audit_statement:
 * @params: (array fixed-size=4): filled in; must live as long as @statement is used
 * @statement: (out caller-allocates): the INSERT that aq_audit_write() runs
 *
 * For a caller that sends the audit row in one pipeline with the reads it records
 * (aq_db_query_pipeline()): they then succeed or fail together, in one round trip.
 *
 * Returns: (transfer full) (nullable): the detail's text, which @params points to: free it
 *   after the statement ran
 */
char *
aq_audit_statement (const char     *actor,
                    const char     *action,
                    const char     *object,
                    JsonObject     *detail,
                    const char    **params,
                    AqDbStatement  *statement)
{
  char *detail_text = NULL;

  g_return_val_if_fail (action != NULL, NULL);

  if (detail)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), detail);
      detail_text = json_to_string (node, FALSE);
    }
  params[0] = actor;
  params[1] = action;
  params[2] = object;
  params[3] = detail_text;
  statement->sql = "INSERT INTO meta.audit_log (actor, action, object, detail)"
                   " VALUES (coalesce($1, current_user), $2, $3, $4::jsonb)";
  statement->n_params = 4;
  statement->params = params;
  return detail_text;
}

/**
 * aq_audit_write:
 * @actor: (nullable): who; %NULL means the database user of @db
 * @detail: (nullable): what else a later reader needs, stored as jsonb
 */
gboolean
aq_audit_write (AqDb        *db,
                const char  *actor,
                const char  *action,
                const char  *object,
                JsonObject  *detail,
                GError     **error)
{
  const char *params[4];
  AqDbStatement statement;
  g_autofree char *detail_text = NULL;
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  detail_text = aq_audit_statement (actor, action, object, detail, params, &statement);
  res = aq_db_query_prepared (db, statement.sql, statement.n_params, statement.params, error);
  return res != NULL;
}

/**
 * aq_audit_list:
 * @role: who asks: only a supervisor may read the log
 * @action: (nullable): only rows of this action
 * @limit: at most this many rows, newest first; 0 means 100
 *
 * Returns: (transfer container) (element-type AqAuditEntry): the rows, newest first
 */
GPtrArray *
aq_audit_list (AqDb        *db,
               AqRole       role,
               const char  *action,
               guint        limit,
               GError     **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit ? limit : 100);
  const char *params[] = { action, limit_text };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (role != AQ_ROLE_SUPERVISOR)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("Only a supervisor may read the audit log"));
      return NULL;
    }

  res = aq_db_query (db,
                     "SELECT id, to_char(at, 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF'), actor, action,"
                     "       object, detail::text"
                     " FROM meta.audit_log WHERE $1::text IS NULL OR action = $1"
                     " ORDER BY at DESC, id DESC LIMIT $2::int",
                     2, params, error);
  if (res == NULL)
    return NULL;

  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_audit_entry_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqAuditEntry *entry = g_new0 (AqAuditEntry, 1);

      entry->id = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);
      entry->at = g_strdup (PQgetvalue (res, i, 1));
      entry->actor = g_strdup (PQgetvalue (res, i, 2));
      entry->action = g_strdup (PQgetvalue (res, i, 3));
      entry->object = PQgetisnull (res, i, 4) ? NULL : g_strdup (PQgetvalue (res, i, 4));
      if (!PQgetisnull (res, i, 5))
        {
          g_autoptr(JsonNode) node = json_from_string (PQgetvalue (res, i, 5), NULL);

          if (node && JSON_NODE_HOLDS_OBJECT (node))
            entry->detail = json_object_ref (json_node_get_object (node));
        }
      g_ptr_array_add (entries, entry);
    }
  return g_steal_pointer (&entries);
}

JsonNode *
aq_audit_entry_to_json (const AqAuditEntry *entry)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (entry != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, entry->id);
  json_builder_set_member_name (b, "at");
  json_builder_add_string_value (b, entry->at);
  json_builder_set_member_name (b, "actor");
  json_builder_add_string_value (b, entry->actor);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, entry->action);
  json_builder_set_member_name (b, "object");
  if (entry->object)
    json_builder_add_string_value (b, entry->object);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "detail");
  if (entry->detail)
    {
      JsonNode *node = json_node_init_object (json_node_alloc (), entry->detail);
      json_builder_add_value (b, node);
    }
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* aq-receipts.c — delivery receipts pushed by providers
 *
 * Providers push a receipt more than once (their own retries, our slow answer) and expect a
 * quick 200 each time. The receipt's key (provider, receipt_id) is the delivery table's
 * primary key, so the insert that finds it there does nothing, and the message's status is
 * only moved by the insert that did happen — and only from sending/sent, so a late "failed"
 * never undoes a "delivered".
 *
 * The body is one JSON object; the member names of the common vendors are all understood:
 * the message by our key (idempotency_key, out_id, client_msg_id) or by the provider's id
 * (id, provider_msg_id, biz_id, msgid, MsgID); the status (status, report_status, Status);
 * an optional receipt_id and detail (detail, err_msg, err_code).
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-receipts.h"

#include <json-glib/json-glib.h>

static const char store_sql[] =
  "WITH target AS ("
  "  (SELECT message_id FROM notify.message WHERE idempotency_key = $3"
  "   UNION ALL"
  "   SELECT message_id FROM notify.message"
  "    WHERE $3::text IS NULL AND provider = $1 AND provider_msg_id = $2)"
  "  LIMIT 1),"
  " ins AS ("
  "  INSERT INTO notify.delivery (provider, receipt_id, message_id, status, detail)"
  "  SELECT $1, $4, t.message_id, $5, $6 FROM target t"
  "  ON CONFLICT DO NOTHING"
  "  RETURNING message_id),"
  " upd AS ("
  "  UPDATE notify.message AS m"
  "     SET status = $5,"
  "         delivered_at = CASE WHEN $5 = 'delivered' THEN now() ELSE m.delivered_at END,"
  "         last_error = CASE WHEN $5 = 'failed'"
  "                           THEN coalesce($6, 'the provider reported the delivery failed')"
  "                           ELSE m.last_error END"
  "    FROM ins WHERE m.message_id = ins.message_id AND m.status IN ('sending', 'sent')"
  "  RETURNING 1)"
  " SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM ins),"
  "        (SELECT count(*) FROM upd)";

/* ---- auxiliary methods ---- */

static char *
first_member (JsonObject         *object,
              const char * const *names)
{
  for (guint i = 0; names[i]; i++)
    {
      JsonNode *node = json_object_get_member (object, names[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node))
        return g_strdup (json_node_get_string (node));
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }
  return NULL;
}

static const char *
normalise_status (const char *status)
{
  g_autofree char *s = g_ascii_strdown (status, -1);
  const char *delivered[] = { "delivered", "delivrd", "success", "succeeded", "ok", NULL };
  const char *failed[] = { "failed", "fail", "undeliv", "undelivered", "rejectd", "rejected",
                           "expired", NULL };

  if (g_strv_contains (delivered, s))
    return "delivered";
  /* WeChat says "failed:user block", "failed: system failed" */
  if (g_strv_contains (failed, s) || g_str_has_prefix (s, "failed"))
    return "failed";
  return NULL;
}

/* ---- public API ---- */

void
aq_receipt_clear (AqReceipt *r)
{
  g_clear_pointer (&r->receipt_id, g_free);
  g_clear_pointer (&r->provider_msg_id, g_free);
  g_clear_pointer (&r->idempotency_key, g_free);
  g_clear_pointer (&r->status, g_free);
  g_clear_pointer (&r->detail, g_free);
}

/* Fills @r from a receipt's body; a precise AQ_ERROR_INVALID when it is not one. */
gboolean
aq_receipt_parse (const char  *data,
                  gsize        len,
                  AqReceipt   *r,
                  GError     **error)
{
  static const char *key_names[] = { "idempotency_key", "out_id", "client_msg_id", NULL };
  static const char *id_names[] = { "provider_msg_id", "id", "biz_id", "msgid", "MsgID", NULL };
  static const char *status_names[] = { "status", "report_status", "Status", NULL };
  static const char *detail_names[] = { "detail", "err_msg", "err_code", NULL };
  static const char *receipt_names[] = { "receipt_id", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  JsonNode *root;
  const char *normal;

  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "the body is not JSON: %s",
                   local_error->message);
      return FALSE;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "the body must be one JSON object");
      return FALSE;
    }
  object = json_node_get_object (root);
  r->idempotency_key = first_member (object, key_names);
  r->provider_msg_id = first_member (object, id_names);
  if (r->idempotency_key == NULL && r->provider_msg_id == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "no message: give idempotency_key (or out_id, client_msg_id) "
                   "or the provider's id (provider_msg_id, id, biz_id, msgid)");
      return FALSE;
    }
  status = first_member (object, status_names);
  if (status == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "no status: give status");
      return FALSE;
    }
  normal = normalise_status (status);
  if (normal == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "status “%s” is neither delivered nor failed", status);
      return FALSE;
    }
  r->status = g_strdup (normal);
  r->detail = first_member (object, detail_names);
  r->receipt_id = first_member (object, receipt_names);
  if (r->receipt_id == NULL)
    r->receipt_id = g_strdup_printf ("%s:%s", r->idempotency_key ? r->idempotency_key
                                                                : r->provider_msg_id,
                                     r->status);
  return TRUE;
}

/* Records @r once; blocking. */
gboolean
aq_receipt_store (AqDb             *db,
                  const char       *provider,
                  const AqReceipt  *r,
                  AqReceiptResult  *result,
                  GError          **error)
{
  const char *params[] = { provider, r->provider_msg_id, r->idempotency_key, r->receipt_id,
                           r->status, r->detail };
  g_autoptr(PGresult) res = aq_db_query_prepared (db, store_sql, 6, params, error);

  if (res == NULL)
    return FALSE;
  if (g_str_equal (PQgetvalue (res, 0, 0), "0"))
    *result = AQ_RECEIPT_UNKNOWN;
  else if (g_str_equal (PQgetvalue (res, 0, 1), "0"))
    *result = AQ_RECEIPT_DUPLICATE;
  else
    *result = AQ_RECEIPT_APPLIED;
  return TRUE;
}

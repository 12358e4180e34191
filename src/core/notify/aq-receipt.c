/* aq-receipt.c — a delivery receipt as a provider pushes it, read with limits
 *
 * The body is one JSON object; the member names of the common vendors are all understood:
 * the message by our key (idempotency_key, out_id, client_msg_id) or by the provider's id
 * (id, provider_msg_id, biz_id, msgid, MsgID); the status (status, report_status, Status);
 * an optional receipt_id and detail (detail, err_msg, err_code).
 *
 * Anyone who can reach the daemon can post one, so the body is read by aq_json_read()
 * (AQ_RECEIPT_MAX_BODY, nesting depth) and every value is bounded before it goes near the
 * warehouse: ids over AQ_RECEIPT_MAX_ID bytes are refused (a 2.7 KB receipt_id used to come
 * back as a raw index error and a 503 providers retry forever), a long detail is cut at a
 * character boundary. Every failure is AQ_ERROR_INVALID: the caller answers 400.
 */
#define G_LOG_DOMAIN "aq-receipt"

#include "config.h"

#include "aq-receipt.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-json-reader.h"

/* ---- auxiliary methods ---- */

/* The first of @names that is a non-empty string or an integer; NULL when none is. */
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

static gboolean
check_id (const char  *what,
          const char  *value,
          GError     **error)
{
  if (value == NULL || strlen (value) <= AQ_RECEIPT_MAX_ID)
    return TRUE;
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s is longer than %u bytes"), what,
               (guint) AQ_RECEIPT_MAX_ID);
  return FALSE;
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
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *status = NULL;
  JsonObject *object;
  const char *normal;

  g_return_val_if_fail (r != NULL, FALSE);

  root = aq_json_read (data, len, AQ_RECEIPT_MAX_BODY, &local_error);
  if (root == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("the body: %s"), local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("the body must be one JSON object"));
      return FALSE;
    }
  object = json_node_get_object (root);
  r->idempotency_key = first_member (object, key_names);
  r->provider_msg_id = first_member (object, id_names);
  if (r->idempotency_key == NULL && r->provider_msg_id == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("no message: give idempotency_key (or out_id, client_msg_id) "
                     "or the provider's id (provider_msg_id, id, biz_id, msgid)"));
      return FALSE;
    }
  status = first_member (object, status_names);
  if (status == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("no status: give status"));
      return FALSE;
    }
  if (!check_id ("status", status, error))
    return FALSE;
  normal = normalise_status (status);
  if (normal == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("status “%s” is neither delivered nor failed"), status);
      return FALSE;
    }
  r->status = g_strdup (normal);
  r->receipt_id = first_member (object, receipt_names);
  if (!check_id ("idempotency_key", r->idempotency_key, error)
      || !check_id ("the provider's id", r->provider_msg_id, error)
      || !check_id ("receipt_id", r->receipt_id, error))
    return FALSE;
  r->detail = first_member (object, detail_names);
  if (r->detail && g_utf8_strlen (r->detail, -1) > AQ_RECEIPT_MAX_DETAIL)
    {
      char *cut = g_utf8_substring (r->detail, 0, AQ_RECEIPT_MAX_DETAIL);

      g_free (r->detail);
      r->detail = cut;
    }
  if (r->receipt_id == NULL)
    r->receipt_id = g_strdup_printf ("%s:%s", r->idempotency_key ? r->idempotency_key
                                                                : r->provider_msg_id,
                                     r->status);
  return TRUE;
}

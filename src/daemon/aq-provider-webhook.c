/* aq-provider-webhook.c — a generic JSON webhook
 *
 * POST {id, idempotency_key, channel, to, body, campaign}; any 2xx accepts the message, and an
 * "id" (or "message_id") in a JSON answer becomes provider_msg_id for the receipts.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-provider-kind.h"

/* ---- auxiliary methods shared by the kinds ---- */

JsonObject *
aq_provider_parse_object (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  /* a provider's answer is outside input too: limits before json-glib */
  if (data == NULL || len == 0
      || (root = aq_json_read (data, len, AQ_JSON_LIMIT_ANSWER, NULL)) == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

/* A string or integer member as a string; NULL if absent or of another type. */
char *
aq_provider_member_string (JsonObject *object,
                           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

GBytes *
aq_provider_json_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  gsize len = 0;
  char *text = json_to_string (root, FALSE);

  len = strlen (text);
  return g_bytes_new_take (text, len);
}

/* ---- the webhook ---- */

static GBytes *
webhook_encode (const AqProviderConfig *p,
                const AqOutMessage     *m,
                const char            **content_type)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, m->message_id);
  json_builder_set_member_name (b, "idempotency_key");
  json_builder_add_string_value (b, m->idempotency_key);
  json_builder_set_member_name (b, "channel");
  json_builder_add_string_value (b, m->channel);
  json_builder_set_member_name (b, "to");
  json_builder_add_string_value (b, m->recipient);
  json_builder_set_member_name (b, "body");
  json_builder_add_string_value (b, m->body);
  json_builder_set_member_name (b, "campaign");
  json_builder_add_int_value (b, m->campaign_id);
  json_builder_end_object (b);
  *content_type = "application/json";
  return aq_provider_json_bytes (b);
}

static AqSendOutcome
webhook_decode (const AqProviderConfig *p,
                GBytes                 *body,
                char                  **provider_msg_id,
                char                  **error)
{
  g_autoptr(JsonObject) answer = aq_provider_parse_object (body);

  *provider_msg_id = aq_provider_member_string (answer, "id");
  if (*provider_msg_id == NULL)
    *provider_msg_id = aq_provider_member_string (answer, "message_id");
  return AQ_SEND_OK;
}

const AqProviderKind aq_provider_kind_webhook = { webhook_encode, webhook_decode };

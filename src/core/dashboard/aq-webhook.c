/* aq-webhook.c — one JSON document posted to a webhook or a WeChat Work group robot
 *
 * Shared by the daemon's quality-alert sender (src/daemon/aq-quality-alerts.c: claim, post,
 * record, retry later) and the scheduler's dashboard deliveries (aq-dashboard-delivery.c:
 * the KPI figures and the drawn PNG posted once per run). It lives in core so a delivery
 * runs wherever the scheduler runs, the CLI's `job run` included; libsoup only, no GTK.
 * A 5xx, 408, 429, a timeout or a refused connection is worth another attempt later; any
 * other 4xx is not. A WeChat Work robot answers 200 with {"errcode": 0, "errmsg": "ok"}; its
 * -1 ("busy") and 45009 ("too many calls") are worth another attempt, other codes are not.
 */
#define G_LOG_DOMAIN "aq-webhook"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "aq-json-reader.h"
#include "aq-webhook.h"

gboolean
aq_webhook_channel_parse (const char       *name,
                          AqWebhookChannel *channel)
{
  if (name == NULL || g_str_equal (name, "webhook"))
    *channel = AQ_WEBHOOK_PLAIN;
  else if (g_str_equal (name, "wecom"))
    *channel = AQ_WEBHOOK_WECOM;
  else
    return FALSE;
  return TRUE;
}

gboolean
aq_webhook_url_valid (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0;
}

SoupSession *
aq_webhook_session_new (double      timeout,
                        const char *agent)
{
  return soup_session_new_with_options ("timeout", (guint) MAX (timeout, 1),
                                        "user-agent", agent ? agent : "aqueduct/" AQ_VERSION " ",
                                        NULL);
}

GBytes *
aq_webhook_wecom_text (const char *content)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "msgtype");
  json_builder_add_string_value (b, "text");
  json_builder_set_member_name (b, "text");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "content");
  json_builder_add_string_value (b, content ? content : "");
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static AqWebhookOutcome
decode_wecom (GBytes  *body,
              char   **failure)
{
  g_autoptr(JsonNode) node = aq_json_read (g_bytes_get_data (body, NULL),
                                           g_bytes_get_size (body), 64 * 1024, NULL);
  JsonObject *o;
  gint64 code;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      *failure = g_strdup (_("the WeChat Work answer is not a JSON object"));
      return AQ_WEBHOOK_RETRY;
    }
  o = json_node_get_object (node);
  code = json_object_get_int_member_with_default (o, "errcode", 0);
  if (code == 0)
    return AQ_WEBHOOK_SENT;
  {
    g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, code);

    /* Translators: the robot's error code and its message */
    *failure = g_strdup_printf (_("WeChat Work refused: errcode %s %s"), number,
                                json_object_get_string_member_with_default (o, "errmsg", ""));
  }
  return code == -1 || code == 45009 ? AQ_WEBHOOK_RETRY : AQ_WEBHOOK_FAILED;
}

AqWebhookOutcome
aq_webhook_post (SoupSession        *session,
                 const char         *url,
                 AqWebhookChannel    channel,
                 const char * const *headers,
                 const char         *idempotency_key,
                 GBytes             *body,
                 GCancellable       *cancellable,
                 char              **failure)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;
  guint status;

  g_return_val_if_fail (SOUP_IS_SESSION (session), AQ_WEBHOOK_FAILED);
  g_return_val_if_fail (body != NULL, AQ_WEBHOOK_FAILED);
  g_return_val_if_fail (failure != NULL && *failure == NULL, AQ_WEBHOOK_FAILED);

  msg = aq_webhook_url_valid (url) ? soup_message_new ("POST", url) : NULL;
  if (msg == NULL)
    {
      *failure = g_strdup_printf (_("“%s” is not an http:// or https:// URL"), url ? url : "");
      return AQ_WEBHOOK_FAILED;
    }
  request_headers = soup_message_get_request_headers (msg);
  if (idempotency_key)
    soup_message_headers_replace (request_headers, "Idempotency-Key", idempotency_key);
  for (const char * const *h = headers; h && *h; h++)
    {
      g_auto(GStrv) pair = g_strsplit (*h, ":", 2);

      if (pair[0] && pair[1])
        soup_message_headers_replace (request_headers, g_strstrip (pair[0]),
                                      g_strstrip (pair[1]));
    }
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, cancellable, &error);
  if (answer == NULL)
    {
      *failure = g_strdup (error->message);
      return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? AQ_WEBHOOK_FAILED
                                                                       : AQ_WEBHOOK_RETRY;
    }
  status = soup_message_get_status (msg);
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return channel == AQ_WEBHOOK_WECOM ? decode_wecom (answer, failure) : AQ_WEBHOOK_SENT;
  *failure = g_strdup_printf ("HTTP %u %s", status,
                              soup_message_get_reason_phrase (msg)
                              ? soup_message_get_reason_phrase (msg) : "");
  if (status >= 500 || status == 408 || status == 429)
    return AQ_WEBHOOK_RETRY;
  return AQ_WEBHOOK_FAILED;
}

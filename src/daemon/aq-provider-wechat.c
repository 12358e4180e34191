/* aq-provider-wechat.c — WeChat official-account template messages
 *
 * POST {touser: openid, template_id, data: {KEY: {value: text}}, client_msg_id}; the URL
 * carries the access token (…/cgi-bin/message/template/send?access_token=…), which the site
 * keeps fresh. The answer is {errcode, errmsg, msgid}: errcode 0 accepts; -1 (busy), 45009
 * (call quota) and 40001/42001 (token being refreshed) are worth a later attempt.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-provider-kind.h"

static GBytes *
wechat_encode (const AqProviderConfig *p,
               const AqOutMessage     *m,
               const char            **content_type)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "touser");
  json_builder_add_string_value (b, m->recipient);
  json_builder_set_member_name (b, "template_id");
  json_builder_add_string_value (b, p->template_id);
  json_builder_set_member_name (b, "data");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, p->data_key);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "value");
  json_builder_add_string_value (b, m->body);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "client_msg_id");
  json_builder_add_string_value (b, m->idempotency_key);
  json_builder_end_object (b);
  *content_type = "application/json";
  return aq_provider_json_bytes (b);
}

static AqSendOutcome
wechat_decode (const AqProviderConfig *p,
               GBytes                 *body,
               char                  **provider_msg_id,
               char                  **error)
{
  g_autoptr(JsonObject) answer = aq_provider_parse_object (body);
  g_autofree char *errmsg = aq_provider_member_string (answer, "errmsg");
  gint64 errcode;

  if (answer == NULL)
    {
      *error = g_strdup ("the WeChat answer is not JSON");
      return AQ_SEND_RETRY;
    }
  errcode = json_object_get_int_member_with_default (answer, "errcode", 0);
  if (errcode == 0)
    {
      *provider_msg_id = aq_provider_member_string (answer, "msgid");
      return AQ_SEND_OK;
    }
  *error = g_strdup_printf ("WeChat refused: errcode %" G_GINT64_FORMAT " %s", errcode,
                            errmsg ? errmsg : "");
  if (errcode == -1 || errcode == 45009 || errcode == 40001 || errcode == 42001)
    return AQ_SEND_RETRY;
  return AQ_SEND_FAIL;
}

const AqProviderKind aq_provider_kind_wechat = { wechat_encode, wechat_decode };

/* aq-provider-sms.c — an SMS vendor's HTTP API, in the form most domestic vendors share
 *
 * A form POST of phone, sign, template, content and out_id (our idempotency key, which the
 * vendor echoes in its receipts); the answer is JSON {"code": "OK", "biz_id": …, "message": …}.
 * A code other than OK refuses the message, except the vendor's flow-control codes, which are
 * worth a later attempt.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-provider-kind.h"

static void
append_field (GString    *form,
              const char *name,
              const char *value)
{
  if (value == NULL)
    return;
  if (form->len)
    g_string_append_c (form, '&');
  g_string_append (form, name);
  g_string_append_c (form, '=');
  g_string_append_uri_escaped (form, value, NULL, FALSE);
}

static GBytes *
sms_encode (const AqProviderConfig *p,
            const AqOutMessage     *m,
            const char            **content_type)
{
  GString *form = g_string_new (NULL);

  append_field (form, "phone", m->recipient);
  append_field (form, "sign", p->sign);
  append_field (form, "template", p->template_code);
  append_field (form, "content", m->body);
  append_field (form, "out_id", m->idempotency_key);
  *content_type = "application/x-www-form-urlencoded";
  return g_string_free_to_bytes (form);
}

static AqSendOutcome
sms_decode (const AqProviderConfig *p,
            GBytes                 *body,
            char                  **provider_msg_id,
            char                  **error)
{
  g_autoptr(JsonObject) answer = aq_provider_parse_object (body);
  g_autofree char *code = aq_provider_member_string (answer, "code");
  g_autofree char *message = aq_provider_member_string (answer, "message");
  g_autofree char *upper = NULL;

  if (answer == NULL)
    {
      *error = g_strdup ("the SMS vendor's answer is not JSON");
      return AQ_SEND_RETRY;
    }
  if (g_strcmp0 (code, "OK") == 0 || g_strcmp0 (code, "0") == 0)
    {
      *provider_msg_id = aq_provider_member_string (answer, "biz_id");
      return AQ_SEND_OK;
    }
  *error = g_strdup_printf ("SMS vendor refused: %s %s", code ? code : "(no code)",
                            message ? message : "");
  upper = g_ascii_strup (code ? code : "", -1);
  if (strstr (upper, "LIMIT") || strstr (upper, "BUSY") || strstr (upper, "THROTTL"))
    return AQ_SEND_RETRY;
  return AQ_SEND_FAIL;
}

const AqProviderKind aq_provider_kind_sms = { sms_encode, sms_decode };

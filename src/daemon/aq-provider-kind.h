/* aq-provider-kind.h — what differs between providers: the request and the answer */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-json-reader.h"
#include "aq-out-message.h"
#include "aq-relay-config.h"

G_BEGIN_DECLS

typedef struct
{
  /* The request body for @m; sets *content_type. */
  GBytes        *(*encode) (const AqProviderConfig *p,
                            const AqOutMessage     *m,
                            const char            **content_type);
  /* A 2xx answer: accepted (*provider_msg_id, may stay NULL), or refused (*error). */
  AqSendOutcome  (*decode) (const AqProviderConfig *p,
                            GBytes                 *body,
                            char                  **provider_msg_id,
                            char                  **error);
} AqProviderKind;

extern const AqProviderKind aq_provider_kind_webhook;
extern const AqProviderKind aq_provider_kind_sms;
extern const AqProviderKind aq_provider_kind_wechat;

/* shared by the kinds */
JsonObject *aq_provider_parse_object (GBytes     *body);
char       *aq_provider_member_string (JsonObject *object,
                                       const char *member);
GBytes     *aq_provider_json_bytes    (JsonBuilder *builder);

G_END_DECLS

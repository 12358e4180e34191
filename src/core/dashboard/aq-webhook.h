/* aq-webhook.h — one JSON document posted to a webhook or a WeChat Work group robot */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_WEBHOOK_PLAIN,   /* any receiver: 2xx is delivered */
  AQ_WEBHOOK_WECOM,   /* a WeChat Work (企业微信) robot: 200 with {"errcode": 0} */
} AqWebhookChannel;

typedef enum
{
  AQ_WEBHOOK_SENT,
  AQ_WEBHOOK_RETRY,    /* 5xx, 408, 429, a timeout, a refused connection, a busy robot */
  AQ_WEBHOOK_FAILED,   /* any other 4xx, not a URL, a robot's refusal: trying again is useless */
} AqWebhookOutcome;

/* "webhook" (or NULL) and "wecom". */
gboolean          aq_webhook_channel_parse (const char        *name,
                                            AqWebhookChannel  *channel);
/* An http:// or https:// URL with a host. */
gboolean          aq_webhook_url_valid     (const char        *url);
/* A session for posting (its own timeout in seconds, the user agent naming @agent). */
SoupSession      *aq_webhook_session_new   (double             timeout,
                                            const char        *agent);
/* {"msgtype": "text", "text": {"content": @content}}: what a WeChat Work robot shows. */
GBytes           *aq_webhook_wecom_text    (const char        *content);
/* Posts @body (JSON) to @url with @idempotency_key as the Idempotency-Key header (when
 * given) and each "Name: value" of @headers; blocks (use it off the main thread). On
 * anything but AQ_WEBHOOK_SENT, @failure says why. */
AqWebhookOutcome  aq_webhook_post          (SoupSession        *session,
                                            const char         *url,
                                            AqWebhookChannel    channel,
                                            const char * const *headers,
                                            const char         *idempotency_key,
                                            GBytes             *body,
                                            GCancellable       *cancellable,
                                            char              **failure);

G_END_DECLS

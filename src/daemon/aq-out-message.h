/* aq-out-message.h — one claimed outbox row on its way to a provider */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64  message_id;
  gint64  campaign_id;
  char   *channel;
  char   *recipient;
  char   *body;
  char   *idempotency_key;
  int     attempts;        /* including this one */
  gint64  sent_today;      /* to this recipient, when it was claimed */
  double  due_age;         /* seconds it had been due when it was claimed */
  gint64  claimed_us;      /* monotonic */
} AqOutMessage;

typedef enum
{
  AQ_SEND_OK,
  AQ_SEND_RETRY,   /* worth another attempt later: 5xx, 429, timeouts, connection errors */
  AQ_SEND_FAIL,    /* the provider refused it for good: 4xx, a bad number */
} AqSendOutcome;

static inline void
aq_out_message_free (AqOutMessage *m)
{
  g_free (m->channel);
  g_free (m->recipient);
  g_free (m->body);
  g_free (m->idempotency_key);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqOutMessage, aq_out_message_free)

G_END_DECLS

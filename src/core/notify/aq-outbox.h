/* aq-outbox.h — the relay's statements on notify.message and notify.delivery
 * (blocking: run them on a worker thread with the relay's own connection) */
#pragma once

#include "aq-db.h"
#include "aq-receipt.h"

G_BEGIN_DECLS

/* One claimed outbox row on its way to a provider. */
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
  AQ_OUTCOME_SENT,     /* the provider accepted it */
  AQ_OUTCOME_RETRY,    /* back to queued, due after delay_ms */
  AQ_OUTCOME_FAILED,   /* given up */
  AQ_OUTCOME_RELEASE,  /* never posted: back to queued, the attempt not counted */
} AqOutcomeKind;

typedef struct
{
  gint64         message_id;
  AqOutcomeKind  kind;
  char          *provider;
  char          *provider_msg_id;
  char          *error;
  guint          delay_ms;
} AqOutcome;

void       aq_out_message_free        (AqOutMessage       *message);
void       aq_outcome_free            (AqOutcome          *outcome);

GPtrArray *aq_outbox_claim            (AqDb               *db,
                                       const char         *owner,
                                       guint               lease_seconds,
                                       guint               limit,
                                       const char * const *channels,
                                       GError            **error);
gboolean   aq_outbox_record           (AqDb               *db,
                                       const char         *owner,
                                       GPtrArray          *outcomes,
                                       GError            **error);
gboolean   aq_outbox_queue_depth      (AqDb               *db,
                                       gint64             *out_depth,
                                       GError            **error);
gboolean   aq_outbox_apply_receipt    (AqDb               *db,
                                       const char         *provider,
                                       const char * const *channels,
                                       const AqReceipt    *receipt,
                                       AqReceiptResult    *result,
                                       GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqOutMessage, aq_out_message_free)

G_END_DECLS

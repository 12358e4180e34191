/* aq-relay-store.h — the relay's statements on notify.message (blocking: run on a worker) */
#pragma once

#include "aqueduct-core.h"

#include "aq-out-message.h"

G_BEGIN_DECLS

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

void       aq_outcome_free             (AqOutcome          *outcome);

GPtrArray *aq_relay_store_claim        (AqDb               *db,
                                        const char         *owner,
                                        guint               lease_seconds,
                                        guint               limit,
                                        const char * const *channels,
                                        GError            **error);
gboolean   aq_relay_store_record       (AqDb               *db,
                                        const char         *owner,
                                        GPtrArray          *outcomes,
                                        GError            **error);
gboolean   aq_relay_store_queue_depth  (AqDb               *db,
                                        gint64             *out_depth,
                                        GError            **error);

G_END_DECLS

/* aq-out-message.h — one claimed outbox row on its way to a provider (AqOutMessage lives with
 * the outbox's statements in core, src/core/notify/aq-outbox.h), and what the provider said */
#pragma once

#include <glib.h>

#include "aq-outbox.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_SEND_OK,
  AQ_SEND_RETRY,   /* worth another attempt later: 5xx, 429, timeouts, connection errors */
  AQ_SEND_FAIL,    /* the provider refused it for good: 4xx, a bad number */
} AqSendOutcome;

G_END_DECLS

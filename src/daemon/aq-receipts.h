/* aq-receipts.h — delivery receipts pushed by providers */
#pragma once

#include "aqueduct-core.h"

G_BEGIN_DECLS

typedef struct
{
  char *receipt_id;       /* the provider's, or one made of the message and the status */
  char *provider_msg_id;
  char *idempotency_key;
  char *status;           /* delivered or failed */
  char *detail;
} AqReceipt;

typedef enum
{
  AQ_RECEIPT_APPLIED,     /* recorded; the message's status follows unless already final */
  AQ_RECEIPT_DUPLICATE,   /* this receipt was recorded before: nothing changed */
  AQ_RECEIPT_UNKNOWN,     /* no such message (yet): nothing recorded */
} AqReceiptResult;

void     aq_receipt_clear (AqReceipt        *receipt);
gboolean aq_receipt_parse (const char       *data,
                           gsize             len,
                           AqReceipt        *receipt,
                           GError          **error);
gboolean aq_receipt_store (AqDb             *db,
                           const char       *provider,
                           const AqReceipt  *receipt,
                           AqReceiptResult  *result,
                           GError          **error);

G_END_DECLS

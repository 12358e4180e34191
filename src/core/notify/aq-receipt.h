/* aq-receipt.h — a delivery receipt as a provider pushes it, read with limits */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A whole receipt body; larger ones are refused before they are read. */
#define AQ_RECEIPT_MAX_BODY   (256 * 1024)
/* A key, an id, a receipt id: vendors' are under 64 bytes; an index row holds ~2.7 KB. */
#define AQ_RECEIPT_MAX_ID     256
/* The detail kept in last_error, in characters; longer ones are cut. */
#define AQ_RECEIPT_MAX_DETAIL 500

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
  AQ_RECEIPT_PENDING,     /* the message is not sent yet: kept, applied once it is */
  AQ_RECEIPT_FOREIGN,     /* the message belongs to another provider: nothing recorded */
} AqReceiptResult;

void     aq_receipt_clear (AqReceipt   *receipt);
gboolean aq_receipt_parse (const char  *data,
                           gsize        len,
                           AqReceipt   *receipt,
                           GError     **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AqReceipt, aq_receipt_clear)

G_END_DECLS

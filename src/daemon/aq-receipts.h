/* aq-receipts.h — POST /receipts/NAME: the providers' delivery receipts */
#pragma once

#include <libsoup/soup.h>

#include "aq-relay-config.h"

G_BEGIN_DECLS

typedef struct _AqReceiptEndpoint AqReceiptEndpoint;

AqReceiptEndpoint *aq_receipt_endpoint_new            (SoupServer          *server,
                                                       const char          *conninfo,
                                                       const AqRelayConfig *config);
void               aq_receipt_endpoint_free           (AqReceiptEndpoint   *self);
void               aq_receipt_endpoint_append_metrics (AqReceiptEndpoint   *self,
                                                       GString             *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReceiptEndpoint, aq_receipt_endpoint_free)

G_END_DECLS

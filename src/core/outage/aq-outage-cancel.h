/* aq-outage-cancel.h — what cancelling an outage would withdraw, asked before it is done */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    outage_id;
  char     *status;        /* the outage's: planned, active, restored, cancelled */
  gboolean  allowed;       /* the login may cancel it (the warehouse's grant) and it is
                            * planned or active */
  gint64    to_withdraw;   /* its notices' messages not yet sent (queued): would not go out */
  gint64    sent;          /* its notices' messages already gone (sending, sent, delivered);
                            * both 0 for a login that may not read the messages */
} AqOutageCancelPreview;

void                   aq_outage_cancel_preview_free (AqOutageCancelPreview *preview);
AqOutageCancelPreview *aq_outage_cancel_preview      (AqDb                  *db,
                                                      gint64                 outage_id,
                                                      GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqOutageCancelPreview, aq_outage_cancel_preview_free)

G_END_DECLS

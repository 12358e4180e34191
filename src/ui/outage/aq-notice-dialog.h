/* aq-notice-dialog.h — write, review and send an outage's notice, then watch it go out */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_NOTICE_DIALOG (aq_notice_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqNoticeDialog, aq_notice_dialog, AQ, NOTICE_DIALOG, AdwWindow)

/* @conninfo: the warehouse as aq_connection_open() takes it (nullable: the default);
 * @actor: who writes the notice (nullable: the user name). Every query runs in a thread on
 * its own connection; the dialog is modal and transient for @parent. */
AqNoticeDialog *aq_notice_dialog_new        (GtkWindow   *parent,
                                             const char  *conninfo,
                                             gint64       outage_id,
                                             const char  *actor);
gint64          aq_notice_dialog_get_outage_id   (AqNoticeDialog *self);
/* The campaign being watched, 0 before Send. */
gint64          aq_notice_dialog_get_campaign_id (AqNoticeDialog *self);

G_END_DECLS

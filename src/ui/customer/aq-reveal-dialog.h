/* aq-reveal-dialog.h — a supervisor says why a customer's personal data must be shown */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_REVEAL_DIALOG (aq_reveal_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqRevealDialog, aq_reveal_dialog, AQ, REVEAL_DIALOG, AdwMessageDialog)

AqRevealDialog *aq_reveal_dialog_new        (GtkWindow      *parent);
char           *aq_reveal_dialog_dup_reason (AqRevealDialog *self);
void            aq_reveal_dialog_set_reason (AqRevealDialog *self,
                                             const char     *reason);

G_END_DECLS

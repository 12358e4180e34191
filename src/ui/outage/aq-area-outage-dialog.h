/* aq-area-outage-dialog.h — kind, times and reason of the outage for a drawn area */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_AREA_OUTAGE_DIALOG (aq_area_outage_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqAreaOutageDialog, aq_area_outage_dialog, AQ, AREA_OUTAGE_DIALOG,
                      AdwMessageDialog)

AqAreaOutageDialog *aq_area_outage_dialog_new        (GtkWindow           *parent,
                                                      const char          *accounts);
const char         *aq_area_outage_dialog_get_kind   (AqAreaOutageDialog  *self);
const char         *aq_area_outage_dialog_get_reason (AqAreaOutageDialog  *self);
GDateTime          *aq_area_outage_dialog_get_start  (AqAreaOutageDialog  *self,
                                                      GError             **error);
GDateTime          *aq_area_outage_dialog_get_end    (AqAreaOutageDialog  *self,
                                                      GError             **error);

G_END_DECLS

/* aq-connection-button.h — which warehouse, and whether it answers, in the header bar */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"

G_BEGIN_DECLS

#define AQ_TYPE_CONNECTION_BUTTON (aq_connection_button_get_type ())
G_DECLARE_FINAL_TYPE (AqConnectionButton, aq_connection_button, AQ, CONNECTION_BUTTON,
                      GtkWidget)

AqConnectionMonitor *aq_connection_button_get_monitor (AqConnectionButton  *self);
void                 aq_connection_button_set_monitor (AqConnectionButton  *self,
                                                       AqConnectionMonitor *monitor);
const char          *aq_connection_button_get_text    (AqConnectionButton  *self);

G_END_DECLS

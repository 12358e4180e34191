/* aq-connection-banner.h — "the warehouse cannot be reached", under the header bar */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"

G_BEGIN_DECLS

#define AQ_TYPE_CONNECTION_BANNER (aq_connection_banner_get_type ())
G_DECLARE_FINAL_TYPE (AqConnectionBanner, aq_connection_banner, AQ, CONNECTION_BANNER,
                      GtkWidget)

AqConnectionMonitor *aq_connection_banner_get_monitor  (AqConnectionBanner  *self);
void                 aq_connection_banner_set_monitor  (AqConnectionBanner  *self,
                                                        AqConnectionMonitor *monitor);
gboolean             aq_connection_banner_get_revealed (AqConnectionBanner  *self);

G_END_DECLS

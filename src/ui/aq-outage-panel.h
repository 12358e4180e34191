/* aq-outage-panel.h — the outage map (not available yet) */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AQ_TYPE_OUTAGE_PANEL (aq_outage_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqOutagePanel, aq_outage_panel, AQ, OUTAGE_PANEL, GtkWidget)

G_END_DECLS

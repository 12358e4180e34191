/* aq-overview-panel.h — the dashboard: which warehouse, how big, what ran last */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"

G_BEGIN_DECLS

#define AQ_TYPE_OVERVIEW_PANEL (aq_overview_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqOverviewPanel, aq_overview_panel, AQ, OVERVIEW_PANEL, GtkWidget)

const AqOverview *aq_overview_panel_get_overview (AqOverviewPanel *self);

G_END_DECLS

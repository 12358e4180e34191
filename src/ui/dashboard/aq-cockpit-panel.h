/* aq-cockpit-panel.h — the Cockpits panel: open, design and save dashboards */
#pragma once

#include <gtk/gtk.h>

#include "aq-dashboard-view.h"

G_BEGIN_DECLS

#define AQ_TYPE_COCKPIT_PANEL (aq_cockpit_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqCockpitPanel, aq_cockpit_panel, AQ, COCKPIT_PANEL, GtkWidget)

AqDashboardView *aq_cockpit_panel_get_view        (AqCockpitPanel *self);
/* Opens the stored dashboard @name (when the list has it; else once it is loaded). */
void             aq_cockpit_panel_show_dashboard  (AqCockpitPanel *self,
                                                   const char     *name);
const char      *aq_cockpit_panel_get_dashboard_name (AqCockpitPanel *self);
void             aq_cockpit_panel_set_editing     (AqCockpitPanel *self,
                                                   gboolean        editing);
/* Adds a KPI tile of indicator @id, or a chart of saved report @name (designer). */
gboolean         aq_cockpit_panel_add_indicator   (AqCockpitPanel *self,
                                                   const char     *id);
gboolean         aq_cockpit_panel_add_report      (AqCockpitPanel *self,
                                                   const char     *name);

G_END_DECLS

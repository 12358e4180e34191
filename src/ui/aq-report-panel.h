/* aq-report-panel.h — the report designer (not available yet) */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_PANEL (aq_report_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqReportPanel, aq_report_panel, AQ, REPORT_PANEL, GtkWidget)

G_END_DECLS

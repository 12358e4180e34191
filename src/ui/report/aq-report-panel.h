/* aq-report-panel.h — the report designer: catalog, layout zones, result grid and chart */
#pragma once

#include <gtk/gtk.h>

#include "aq-catalog.h"
#include "aq-connection-monitor.h"
#include "aq-drop-zone.h"
#include "aq-report-catalog-view.h"
#include "aq-report-chart-view.h"
#include "aq-report-grid.h"
#include "aq-report-params-bar.h"
#include "aq-report-result.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_PANEL (aq_report_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqReportPanel, aq_report_panel, AQ, REPORT_PANEL, GtkWidget)

AqCatalog           *aq_report_panel_get_catalog      (AqReportPanel       *self);
AqReportSpec        *aq_report_panel_get_spec         (AqReportPanel       *self);
void                 aq_report_panel_set_spec         (AqReportPanel       *self,
                                                       AqReportSpec        *spec);
void                 aq_report_panel_open_report      (AqReportPanel       *self,
                                                       const char          *name);
AqReportResult      *aq_report_panel_get_result       (AqReportPanel       *self);
const char          *aq_report_panel_get_error        (AqReportPanel       *self);
AqDropZone          *aq_report_panel_get_zone         (AqReportPanel       *self,
                                                       AqReportZone         zone);
AqReportCatalogView *aq_report_panel_get_catalog_view (AqReportPanel       *self);
AqReportGrid        *aq_report_panel_get_grid         (AqReportPanel       *self);
AqReportChartView   *aq_report_panel_get_chart        (AqReportPanel       *self);
AqReportParamsBar   *aq_report_panel_get_params_bar   (AqReportPanel       *self);
const char          *aq_report_panel_get_view         (AqReportPanel       *self);
void                 aq_report_panel_set_view         (AqReportPanel       *self,
                                                       const char          *view);
void                 aq_report_panel_export           (AqReportPanel       *self,
                                                       const char          *path,
                                                       gboolean             csv);
gboolean             aq_report_panel_get_running      (AqReportPanel       *self);
guint                aq_report_panel_get_cancelled_runs (AqReportPanel     *self);
gboolean             aq_report_panel_can_undo         (AqReportPanel       *self);
gboolean             aq_report_panel_can_redo         (AqReportPanel       *self);

G_END_DECLS

/* aq-report-chart-view.h — the report's result as a bar, line or pie chart */
#pragma once

#include <gtk/gtk.h>

#include "aq-chart.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_CHART_VIEW (aq_report_chart_view_get_type ())
G_DECLARE_FINAL_TYPE (AqReportChartView, aq_report_chart_view, AQ, REPORT_CHART_VIEW, GtkWidget)

void        aq_report_chart_view_set_data  (AqReportChartView *self,
                                            AqChartData       *data);
void        aq_report_chart_view_set_value_names (AqReportChartView  *self,
                                                  const char * const *names);
guint       aq_report_chart_view_get_value_index (AqReportChartView  *self);
AqChartKind aq_report_chart_view_get_kind  (AqReportChartView *self);
void        aq_report_chart_view_set_kind  (AqReportChartView *self,
                                            AqChartKind        kind);
guint       aq_report_chart_view_get_marks (AqReportChartView *self);

G_END_DECLS

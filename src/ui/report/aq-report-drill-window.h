/* aq-report-drill-window.h — the detail rows behind one cell of a report */
#pragma once

#include <adwaita.h>

#include "aq-catalog.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_DRILL_WINDOW (aq_report_drill_window_get_type ())
G_DECLARE_FINAL_TYPE (AqReportDrillWindow, aq_report_drill_window, AQ, REPORT_DRILL_WINDOW,
                      AdwWindow)

GtkWidget  *aq_report_drill_window_new       (GtkWindow    *parent,
                                              const char   *conninfo,
                                              AqCatalog    *catalog,
                                              AqReportSpec *spec,
                                              GHashTable   *params);
gboolean    aq_report_drill_window_get_loading (AqReportDrillWindow *self);
GListModel *aq_report_drill_window_get_rows  (AqReportDrillWindow *self);
const char *aq_report_drill_window_get_error (AqReportDrillWindow *self);

G_END_DECLS

/* aq-report-open-dialog.h — pick a stored report: the standard ones and the saved ones */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_OPEN_DIALOG (aq_report_open_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqReportOpenDialog, aq_report_open_dialog, AQ, REPORT_OPEN_DIALOG,
                      AdwWindow)

AqReportOpenDialog *aq_report_open_dialog_new         (GtkWindow          *parent,
                                                       const char         *conninfo);
gboolean            aq_report_open_dialog_get_loading (AqReportOpenDialog *self);
GPtrArray          *aq_report_open_dialog_get_reports (AqReportOpenDialog *self);

G_END_DECLS

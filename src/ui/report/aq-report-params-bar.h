/* aq-report-params-bar.h — a report's parameters, each with the widget its type calls for */
#pragma once

#include <gtk/gtk.h>

#include "aq-catalog.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_PARAMS_BAR (aq_report_params_bar_get_type ())
G_DECLARE_FINAL_TYPE (AqReportParamsBar, aq_report_params_bar, AQ, REPORT_PARAMS_BAR, GtkWidget)

void        aq_report_params_bar_set_params (AqReportParamsBar *self,
                                             AqReportSpec      *spec,
                                             AqCatalog         *catalog);
/* (transfer full): parameter name → value as text, for aq_report_run_async() */
GHashTable *aq_report_params_bar_get_values (AqReportParamsBar *self);
gboolean    aq_report_params_bar_set_value  (AqReportParamsBar *self,
                                             const char        *name,
                                             const char        *value);
void        aq_report_params_bar_show_resolved (AqReportParamsBar  *self,
                                                const char * const *lines);
guint       aq_report_params_bar_get_n_params (AqReportParamsBar *self);

G_END_DECLS

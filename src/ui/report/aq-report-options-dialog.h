/* aq-report-options-dialog.h — a report's sorting and conditional formatting */
#pragma once

#include <adwaita.h>

#include "aq-report-spec.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_OPTIONS_DIALOG (aq_report_options_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqReportOptionsDialog, aq_report_options_dialog, AQ,
                      REPORT_OPTIONS_DIALOG, AdwWindow)

/* @value_names: the values zone's names; @dimension_ids / @dimension_names: the row and column
 * dimensions a sort can be by. The dialog edits @spec and emits "changed" after each edit. */
GtkWidget *aq_report_options_dialog_new (GtkWindow    *parent,
                                         AqReportSpec *spec,
                                         GPtrArray    *value_names,
                                         GPtrArray    *dimension_ids,
                                         GPtrArray    *dimension_names);

G_END_DECLS

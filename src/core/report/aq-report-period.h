/* aq-report-period.h — a report asked for months the warehouse has no data for, in words */
#pragma once

#include "aq-db.h"
#include "aq-report-result.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

/* (nullable): what aq_report_run() found about the report's months (see the .c) */
const char *aq_report_result_get_period_note (AqReportResult *result);
char       *aq_report_period_note            (AqDb           *db,
                                              AqReportSpec   *spec,
                                              GHashTable     *params,
                                              GError        **error);

G_END_DECLS

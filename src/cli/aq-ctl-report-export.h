/* aq-ctl-report-export.h — `report run … --xlsx OUT --csv OUT`, for aq-ctl-report.c */
#pragma once

#include "aq-ctl.h"

G_BEGIN_DECLS

/* Runs @spec into the files asked for (one of them may be NULL), prints what was written
 * (as JSON with @json) and returns the exit code. */
int aq_ctl_report_export (AqDb         *db,
                          AqCatalog    *catalog,
                          AqReportSpec *spec,
                          GHashTable   *params,
                          const char   *xlsx_path,
                          const char   *csv_path,
                          gboolean      json);

G_END_DECLS

/* aq-report-table.h — a report result as the grid and the chart take it */
#pragma once

#include <gio/gio.h>

#include "aq-chart.h"
#include "aq-report-result.h"

G_BEGIN_DECLS

/* (transfer full) AqReportGridRow*s for rows [offset, offset + n) of @result, numbered from
 * @first (the report row that is @result's row 0) */
GPtrArray   *aq_report_table_rows       (AqReportResult *result,
                                         guint           first,
                                         guint           offset,
                                         guint           n);
/* (transfer full) AqGridColumn*s: the row dimension columns, then the value columns */
GPtrArray   *aq_report_table_columns    (AqReportResult *result);
/* (transfer full) (nullable) the header levels above the columns' titles */
GPtrArray   *aq_report_table_levels     (AqReportResult *result);
/* (transfer full) detail rows × the detail columns of the value @value_index */
AqChartData *aq_report_table_chart      (AqReportResult *result,
                                         guint           value_index);
/* An AqReportRowFetch over an AqReportList (the source) */
GPtrArray   *aq_report_table_fetch_list (gpointer        source,
                                         guint           offset,
                                         guint           limit,
                                         GCancellable   *cancellable,
                                         GError        **error);

G_END_DECLS

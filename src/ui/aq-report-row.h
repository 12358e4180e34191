/* aq-report-row.h — one row of a report grid: its cells as text, its kind and its colours */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_REPORT_ROW_DATA,
  AQ_REPORT_ROW_SUBTOTAL,
  AQ_REPORT_ROW_TOTAL,
  AQ_REPORT_ROW_LOADING,
} AqReportRowKind;

#define AQ_TYPE_REPORT_ROW (aq_report_row_get_type ())
G_DECLARE_FINAL_TYPE (AqReportRow, aq_report_row, AQ, REPORT_ROW, GObject)

/* @cells and @colors: (transfer full) (nullable); colours as "#rrggbb" or NULL per cell */
AqReportRow     *aq_report_row_new        (guint            index,
                                           AqReportRowKind  kind,
                                           guint            level,
                                           GStrv            cells,
                                           char           **colors,
                                           guint            n_cells);
guint            aq_report_row_get_index  (AqReportRow     *self);
AqReportRowKind  aq_report_row_get_kind   (AqReportRow     *self);
guint            aq_report_row_get_level  (AqReportRow     *self);
const char      *aq_report_row_get_cell   (AqReportRow     *self,
                                           guint            column);
const char      *aq_report_row_get_color  (AqReportRow     *self,
                                           guint            column);

G_END_DECLS

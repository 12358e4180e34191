/* aq-report-grid-row.h — one row of a report grid: its cells as text, its kind and its colours */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_REPORT_GRID_ROW_DATA,
  AQ_REPORT_GRID_ROW_SUBTOTAL,
  AQ_REPORT_GRID_ROW_TOTAL,
  AQ_REPORT_GRID_ROW_LOADING,
} AqReportGridRowKind;

#define AQ_TYPE_REPORT_GRID_ROW (aq_report_grid_row_get_type ())
G_DECLARE_FINAL_TYPE (AqReportGridRow, aq_report_grid_row, AQ, REPORT_GRID_ROW, GObject)

/* @cells and @colors: (transfer full) (nullable); colours as "#rrggbb" or NULL per cell */
AqReportGridRow     *aq_report_grid_row_new       (guint                index,
                                                  AqReportGridRowKind  kind,
                                                  guint                level,
                                                  GStrv                cells,
                                                  char               **colors,
                                                  guint                n_cells);
guint                aq_report_grid_row_get_index (AqReportGridRow     *self);
AqReportGridRowKind  aq_report_grid_row_get_kind  (AqReportGridRow     *self);
guint                aq_report_grid_row_get_level (AqReportGridRow     *self);
const char          *aq_report_grid_row_get_cell  (AqReportGridRow     *self,
                                                  guint                column);
const char          *aq_report_grid_row_get_color (AqReportGridRow     *self,
                                                  guint                column);

G_END_DECLS

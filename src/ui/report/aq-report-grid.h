/* aq-report-grid.h — the report's result as a virtualized table with multi-level headers */
#pragma once

#include <gtk/gtk.h>

#include "aq-report-header-strip.h"

G_BEGIN_DECLS

typedef struct
{
  char     *title;        /* the lowest header level */
  gboolean  numeric;      /* right-aligned, tabular figures */
  guint     width_chars;  /* display width (a CJK character counts two) */
} AqGridColumn;

AqGridColumn *aq_grid_column_new  (const char   *title,
                                   gboolean      numeric,
                                   guint         width_chars);
void          aq_grid_column_free (AqGridColumn *column);
guint         aq_grid_display_width (const char *text);

#define AQ_TYPE_REPORT_GRID (aq_report_grid_get_type ())
G_DECLARE_FINAL_TYPE (AqReportGrid, aq_report_grid, AQ, REPORT_GRID, GtkWidget)

/* @columns: (transfer full) AqGridColumn*; @levels: (transfer full) (nullable) the header levels
 * above the columns' titles, see AqReportHeaderStrip; @rows: AqReportGridRow items */
void        aq_report_grid_set_table        (AqReportGrid *self,
                                             GPtrArray    *columns,
                                             GPtrArray    *levels,
                                             GListModel   *rows);
void        aq_report_grid_clear            (AqReportGrid *self);
guint       aq_report_grid_get_n_columns    (AqReportGrid *self);
const char *aq_report_grid_get_column_title (AqReportGrid *self,
                                             guint         column);
GPtrArray  *aq_report_grid_get_levels       (AqReportGrid *self);
GListModel *aq_report_grid_get_rows         (AqReportGrid *self);
GtkColumnView *aq_report_grid_get_column_view (AqReportGrid *self);
void        aq_report_grid_set_sort         (AqReportGrid *self,
                                             int           column,
                                             gboolean      descending);

G_END_DECLS

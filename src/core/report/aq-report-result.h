/* aq-report-result.h — what a report run returns, ready to draw or export
 *
 * A result is a grid: n_row_dims label columns on the left, then n_columns value columns.
 * Column headers have one level per column dimension plus one for the value (and its
 * calculation). Everything an export needs (number formats, subtotal styling, colours, the
 * title and parameter block) is here, so the grid, the chart, Excel and CSV agree.
 * A result is immutable once returned and may be read from any thread.
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "aq-report-spec.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_REPORT_ROW_DETAIL,
  AQ_REPORT_ROW_SUBTOTAL,   /* rolled up over the row dimensions after `level` */
  AQ_REPORT_ROW_TOTAL,      /* the grand total */
} AqReportRowKind;

typedef enum
{
  AQ_REPORT_COLUMN_DETAIL,
  AQ_REPORT_COLUMN_SUBTOTAL,  /* rolled up over the column dimensions after its level */
  AQ_REPORT_COLUMN_TOTAL,     /* over all column dimensions */
} AqReportColumnKind;

#define AQ_TYPE_REPORT_RESULT (aq_report_result_get_type ())
G_DECLARE_FINAL_TYPE (AqReportResult, aq_report_result, AQ, REPORT_RESULT, GObject)

AqReportKind        aq_report_result_get_kind             (AqReportResult *self);
const char         *aq_report_result_get_title            (AqReportResult *self);
/* "label: value" lines, one per parameter, NULL-terminated: the block under the title. */
const char * const *aq_report_result_get_parameter_lines  (AqReportResult *self);
/* The SQL that ran (values as $n placeholders) and its values, for "show SQL" and tests. */
const char         *aq_report_result_get_sql              (AqReportResult *self);
const char * const *aq_report_result_get_sql_params       (AqReportResult *self);
/* Milliseconds the warehouse took. */
double              aq_report_result_get_elapsed_ms       (AqReportResult *self);

/* Row dimension columns (the left block). In a list report these are all non-value columns. */
guint               aq_report_result_get_n_row_dims       (AqReportResult *self);
const char         *aq_report_result_get_row_dim_id       (AqReportResult *self,
                                                           guint           dim);
const char         *aq_report_result_get_row_dim_label    (AqReportResult *self,
                                                           guint           dim);

/* Value columns. Header levels: 0 … n_header_levels-2 are the column dimensions, the last
 * is the value's name (with its calculation, e.g. "售水量 同比"). A header label is NULL
 * below a subtotal/total column's first rolled-up level, meaning "merged with the label
 * above" (that label is "小计"/"Subtotal" or "合计"/"Total", translated). */
guint               aq_report_result_get_n_header_levels  (AqReportResult *self);
guint               aq_report_result_get_n_columns        (AqReportResult *self);
const char         *aq_report_result_get_column_header    (AqReportResult *self,
                                                           guint           col,
                                                           guint           level);
/* The member key of the column dimension at @level (NULL where rolled up): drill-down. */
const char         *aq_report_result_get_column_key       (AqReportResult *self,
                                                           guint           col,
                                                           guint           level);
AqReportColumnKind  aq_report_result_get_column_kind      (AqReportResult *self,
                                                           guint           col);
/* Index into the spec's values zone, the indicator and the calculation behind the column. */
guint               aq_report_result_get_column_value_index (AqReportResult *self,
                                                           guint           col);
const char         *aq_report_result_get_column_indicator (AqReportResult *self,
                                                           guint           col);
AqReportCalc        aq_report_result_get_column_calc      (AqReportResult *self,
                                                           guint           col);
/* Excel number format ("#,##0.0", "0.0%"; "0" for a rank, "0.0%" for share/MoM/YoY). */
const char         *aq_report_result_get_column_format    (AqReportResult *self,
                                                           guint           col);

/* Rows, in display order (subtotal rows after their group, the total last). */
guint               aq_report_result_get_n_rows           (AqReportResult *self);
AqReportRowKind     aq_report_result_get_row_kind         (AqReportResult *self,
                                                           guint           row);
/* Detail rows: n_row_dims; a subtotal over the first k row dims: k; the total: 0. */
guint               aq_report_result_get_row_level        (AqReportResult *self,
                                                           guint           row);
/* The member label / key of row dimension @dim; NULL where rolled up. */
const char         *aq_report_result_get_row_label        (AqReportResult *self,
                                                           guint           row,
                                                           guint           dim);
const char         *aq_report_result_get_row_key          (AqReportResult *self,
                                                           guint           row,
                                                           guint           dim);

/* Cells. FALSE (and *value 0) when the cell is empty (no data, or a ratio over 0). */
gboolean            aq_report_result_get_cell             (AqReportResult *self,
                                                           guint           row,
                                                           guint           col,
                                                           double         *value);
/* The cell as the user reads it (locale-independent digits, grouping as the format says). */
const char         *aq_report_result_get_cell_text        (AqReportResult *self,
                                                           guint           row,
                                                           guint           col);
/* "#rrggbb" from the first matching conditional format rule, or NULL. */
const char         *aq_report_result_get_cell_color       (AqReportResult *self,
                                                           guint           row,
                                                           guint           col);

/* (transfer full): the result as JSON, for the CLI and tests. */
JsonNode           *aq_report_result_to_json              (AqReportResult *self);
/* (transfer full): an aligned plain-text table for a terminal. */
char               *aq_report_result_to_text              (AqReportResult *self);

/* Formats @value with an Excel-style number format (the subset the catalog uses). */
char               *aq_report_format_number               (double          value,
                                                           const char     *format);

G_END_DECLS

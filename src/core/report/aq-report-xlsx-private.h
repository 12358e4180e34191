/* aq-report-xlsx-private.h — what the pivot writer and the list stream share */
#pragma once

#include <xlsxwriter.h>

#include "aq-report-xlsx.h"

G_BEGIN_DECLS

#define COLOR_HEADER    0xDDE4EE
#define COLOR_SUBTOTAL  0xF2F2F2
#define COLOR_TOTAL     0xE0E0E0
#define COLOR_PARAM     0x595959
#define NO_FILL         0xFFFFFFFFu

#define MIN_WIDTH       6
#define MAX_WIDTH       60
/* Enough rows to size a list's columns without measuring a million cells. */
#define WIDTH_SAMPLE    5000
/* Excel's limit for one cell's text. */
#define MAX_CELL_CHARS  32767

typedef enum
{
  STYLE_CELL,
  STYLE_SUBTOTAL,
  STYLE_TOTAL,
  STYLE_HEADER,
  STYLE_TITLE,
  STYLE_PARAM,
} StyleKind;

gboolean       _aq_xlsx_fail              (lxw_error            code,
                                           const char          *what,
                                           GError             **error);
/* One lxw_format per combination in use (@cache: key → format, owned by the workbook). */
lxw_format    *_aq_xlsx_style             (lxw_workbook        *workbook,
                                           GHashTable          *cache,
                                           StyleKind            kind,
                                           const char          *num_format,
                                           guint32              fill,
                                           guint                indent);
lxw_error      _aq_xlsx_write_string      (lxw_worksheet       *sheet,
                                           lxw_row_t            row,
                                           lxw_col_t            col,
                                           const char          *text,
                                           lxw_format          *format);
char          *_aq_xlsx_sheet_name        (const char          *title,
                                           guint                number);
void           _aq_xlsx_grow              (GArray              *widths,
                                           guint                col,
                                           guint                width);
guint          _aq_xlsx_header_width      (const char          *label);
void           _aq_xlsx_apply_widths      (lxw_worksheet       *sheet,
                                           GArray              *widths);
void           _aq_xlsx_sheet_options     (lxw_worksheet       *sheet,
                                           lxw_row_t            header_first,
                                           lxw_row_t            header_last);
lxw_row_t      _aq_xlsx_title_block       (lxw_workbook        *workbook,
                                           lxw_worksheet       *sheet,
                                           GHashTable          *styles,
                                           const char          *title,
                                           const char * const  *lines,
                                           const char          *note);
lxw_workbook  *_aq_xlsx_workbook_open     (const char          *temp_path,
                                           const char          *title,
                                           gboolean             constant_memory,
                                           GError             **error);
/* A list result held in memory, through the stream. */
gboolean       _aq_xlsx_write_list_result (AqReportResult      *result,
                                           const char          *path,
                                           GError             **error);

G_END_DECLS

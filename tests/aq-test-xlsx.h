/* aq-test-xlsx.h — reads back what the exporters wrote: an .xlsx (a zip of XML) and a CSV
 *
 * Test-side only. Cell references are A1-style ("B7"); a sheet is named by its title.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AqTestXlsx AqTestXlsx;

typedef struct
{
  char    *ref;          /* "B7" */
  char    *type;         /* the t attribute: NULL (number), "s", "inlineStr", "str", "b" */
  char    *text;         /* the value as text: the string itself for strings */
  guint    style;        /* index into cellXfs */
} AqTestXlsxCell;

AqTestXlsx  *aq_test_xlsx_open              (const char  *path,
                                             GError     **error);
void         aq_test_xlsx_free              (AqTestXlsx  *xlsx);

/* The workbook */
guint        aq_test_xlsx_n_sheets          (AqTestXlsx  *xlsx);
const char  *aq_test_xlsx_sheet_name        (AqTestXlsx  *xlsx,
                                             guint        index);
guint        aq_test_xlsx_n_shared_strings  (AqTestXlsx  *xlsx);
const char  *aq_test_xlsx_shared_string     (AqTestXlsx  *xlsx,
                                             guint        index);

/* One sheet (parsed on first use). Returned strings belong to the reader. */
char       **aq_test_xlsx_merged_ranges     (AqTestXlsx  *xlsx,
                                             const char  *sheet);
const char  *aq_test_xlsx_frozen_pane       (AqTestXlsx  *xlsx,
                                             const char  *sheet);
const char  *aq_test_xlsx_autofilter        (AqTestXlsx  *xlsx,
                                             const char  *sheet);
double       aq_test_xlsx_column_width      (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             guint        column);
guint        aq_test_xlsx_n_rows            (AqTestXlsx  *xlsx,
                                             const char  *sheet);
const AqTestXlsxCell *aq_test_xlsx_cell     (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);
const char  *aq_test_xlsx_cell_text         (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);
/* The cell's comment (a note), or NULL. */
const char  *aq_test_xlsx_comment           (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);
double       aq_test_xlsx_cell_number       (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);

/* The cell's style, resolved through styles.xml: cellXfs → numFmts, fonts, fills. */
const char  *aq_test_xlsx_cell_format       (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);
gboolean     aq_test_xlsx_cell_bold         (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);
const char  *aq_test_xlsx_cell_fill         (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);
guint        aq_test_xlsx_cell_indent       (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             const char  *ref);

/* Big sheets: streams the sheet and counts rows and cells without keeping them. */
gboolean     aq_test_xlsx_count             (AqTestXlsx  *xlsx,
                                             const char  *sheet,
                                             guint64     *rows,
                                             guint64     *cells,
                                             GError     **error);

char        *aq_test_xlsx_ref               (guint        row,
                                             guint        column);

/* A CSV file (RFC 4180) as rows of fields; *had_bom says whether it began with a UTF-8 BOM. */
GPtrArray   *aq_test_csv_read               (const char  *path,
                                             gboolean    *had_bom,
                                             GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqTestXlsx, aq_test_xlsx_free)

G_END_DECLS

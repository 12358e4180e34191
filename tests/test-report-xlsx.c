/* test-report-xlsx.c — the Excel and CSV exports, read back from the written files
 *
 * First on results built by hand (every layout rule with exact expectations: merged ranges,
 * panes, filter, formats, subtotal styling, colours, the overflow sheet, atomic writes), then
 * on real standard reports run on a small demo warehouse, compared with the result and with
 * independent SQL. Needs the test cluster (`cluster-up`).
 */
#include "config.h"

#include "aq-test-util.h"
#include "aq-test-xlsx.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "aq-report-private.h"

static char *tmpdir;
static AqDb *db;
static AqCatalog *catalog;

/* ---- helpers ---- */

static char *
out_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static AqTestXlsx *
open_xlsx (const char *path)
{
  g_autoptr(GError) error = NULL;
  AqTestXlsx *xlsx = aq_test_xlsx_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (xlsx);
  return xlsx;
}

static gboolean
strv_has (char       **strv,
          const char  *item)
{
  return g_strv_contains ((const char * const *) strv, item);
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (d && g_dir_read_name (d))
    n++;
  return n;
}

static const char *
cell_text_at (AqTestXlsx *xlsx,
              const char *sheet,
              guint       row,
              guint       col)
{
  g_autofree char *ref = aq_test_xlsx_ref (row, col);
  return aq_test_xlsx_cell_text (xlsx, sheet, ref);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A pivot as the compiler makes one: rows 区 × 用户类型 with subtotals, columns 季度 × 月份
 * with a quarter subtotal and a total column, two values (a volume and a rate). */
static AqReportResult *
hand_pivot (void)
{
  const char *lines[] = { "统计月份: 2024-01..2024-02", "区域: 全部", NULL };
  AqReportResult *r = _aq_report_result_new (AQ_REPORT_KIND_PIVOT, "售水量与收费率",
                                             lines, "SELECT 1", NULL);
  static const struct { const char *q, *m; AqReportColumnKind kind; } cols[] = {
    { "2024Q1", "2024-01", AQ_REPORT_COLUMN_DETAIL },
    { "2024Q1", "2024-02", AQ_REPORT_COLUMN_DETAIL },
    { "2024Q1", "小计", AQ_REPORT_COLUMN_SUBTOTAL },
    { "合计", NULL, AQ_REPORT_COLUMN_TOTAL },
  };
  static const struct { AqReportRowKind kind; guint level; const char *d, *t; } rows[] = {
    { AQ_REPORT_ROW_DETAIL, 2, "北区", "居民" },
    { AQ_REPORT_ROW_DETAIL, 2, "北区", "非居民" },
    { AQ_REPORT_ROW_SUBTOTAL, 1, "北区", NULL },
    { AQ_REPORT_ROW_DETAIL, 2, "南区", "居民" },
    { AQ_REPORT_ROW_SUBTOTAL, 1, "南区", NULL },
    { AQ_REPORT_ROW_TOTAL, 0, NULL, NULL },
  };

  _aq_report_result_add_row_dim (r, "district", "区");
  _aq_report_result_add_row_dim (r, "customer_type", "用户类型");
  _aq_report_result_set_n_header_levels (r, 3);
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    for (guint v = 0; v < 2; v++)
      {
        const char *headers[] = { cols[c].q, cols[c].m, v == 0 ? "售水量" : "收费率" };
        const char *keys[] = { cols[c].kind == AQ_REPORT_COLUMN_TOTAL ? NULL : cols[c].q,
                               cols[c].kind == AQ_REPORT_COLUMN_DETAIL ? cols[c].m : NULL };

        _aq_report_result_add_column (r, cols[c].kind, v, v == 0 ? "billed_qty" : "paid_rate",
                                      AQ_REPORT_CALC_NONE, v == 0 ? "#,##0" : "0.0%",
                                      headers, keys);
      }
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      const char *labels[] = { rows[i].d, rows[i].t };
      guint row = _aq_report_result_add_row (r, rows[i].kind, rows[i].level, labels, labels);

      for (guint col = 0; col < G_N_ELEMENTS (cols) * 2; col++)
        {
          gboolean rate = col % 2 == 1;
          double value = rate ? 0.5 + 0.01 * row + 0.001 * col : 1000.0 * (row + 1) + col;
          /* one empty cell (a rate over nothing) and two coloured ones, one on a subtotal */
          gboolean present = !(row == 1 && col == 1);
          const char *color = (row == 0 && col == 0) ? "#ffc7ce"
                              : (row == 2 && col == 3) ? "#c6efce" : NULL;

          _aq_report_result_set_cell (r, row, col, present, value, NULL, color);
        }
    }
  return r;
}

/* ---- results built by hand ---- */

static void
test_pivot_layout (void)
{
  g_autoptr(AqReportResult) result = hand_pivot ();
  g_autofree char *path = out_path ("pivot.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqTestXlsx) xlsx = NULL;
  const char *sheet;
  char **merged;

  g_assert_true (aq_report_write_xlsx (result, path, &error));
  g_assert_no_error (error);
  xlsx = open_xlsx (path);
  g_assert_cmpuint (aq_test_xlsx_n_sheets (xlsx), ==, 1);
  sheet = aq_test_xlsx_sheet_name (xlsx, 0);
  g_assert_cmpstr (sheet, ==, "售水量与收费率");

  /* title block: title, two parameter lines, a blank row; the header on rows 5–7 */
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A1"), ==, "售水量与收费率");
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "A1"));
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A2"), ==, "统计月份: 2024-01..2024-02");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A3"), ==, "区域: 全部");
  g_assert_null (aq_test_xlsx_cell (xlsx, sheet, "A4"));

  /* Row dimensions merged down the header; "2024Q1" across its 6 columns; "合计" across
   * its 2 columns and down over the rolled-up month level; each month and "小计" across
   * its two values; the value names single cells. Nothing else. */
  merged = aq_test_xlsx_merged_ranges (xlsx, sheet);
  g_assert_cmpuint (g_strv_length (merged), ==, 7);
  g_assert_true (strv_has (merged, "A5:A7"));
  g_assert_true (strv_has (merged, "B5:B7"));
  g_assert_true (strv_has (merged, "C5:H5"));
  g_assert_true (strv_has (merged, "I5:J6"));
  g_assert_true (strv_has (merged, "C6:D6"));
  g_assert_true (strv_has (merged, "E6:F6"));
  g_assert_true (strv_has (merged, "G6:H6"));
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A5"), ==, "区");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "B5"), ==, "用户类型");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "C5"), ==, "2024Q1");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "I5"), ==, "合计");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "E6"), ==, "2024-02");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "G6"), ==, "小计");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "C7"), ==, "售水量");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "J7"), ==, "收费率");
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "C5"));
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "C7"), ==, "DDE4EE");

  /* panes below the header, right of the row dimensions; the filter on the value row */
  g_assert_cmpstr (aq_test_xlsx_frozen_pane (xlsx, sheet), ==, "C8");
  g_assert_cmpstr (aq_test_xlsx_autofilter (xlsx, sheet), ==, "A7:J13");

  /* every value with the column's number format, the empty cell left blank */
  for (guint row = 0; row < aq_report_result_get_n_rows (result); row++)
    for (guint col = 0; col < aq_report_result_get_n_columns (result); col++)
      {
        g_autofree char *ref = aq_test_xlsx_ref (7 + row, 2 + col);
        double value;

        if (!aq_report_result_get_cell (result, row, col, &value))
          {
            const AqTestXlsxCell *cell = aq_test_xlsx_cell (xlsx, sheet, ref);
            g_assert_true (cell == NULL || *cell->text == '\0');
            continue;
          }
        g_assert_cmpfloat_with_epsilon (aq_test_xlsx_cell_number (xlsx, sheet, ref), value,
                                        1e-9);
        g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, ref), ==,
                         col % 2 ? "0.0%" : "#,##0");
      }

  /* row labels, subtotal and total rows labelled, bold, shaded, indented by level */
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A8"), ==, "北区");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "B9"), ==, "非居民");
  g_assert_false (aq_test_xlsx_cell_bold (xlsx, sheet, "A8"));
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A10"), ==, "北区");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "B10"), ==, C_("export", "Subtotal"));
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "B10"));
  g_assert_cmpuint (aq_test_xlsx_cell_indent (xlsx, sheet, "B10"), ==, 1);
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "B10"), ==, "F2F2F2");
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "C10"));
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "C10"), ==, "F2F2F2");
  g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, "C10"), ==, "#,##0");
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A13"), ==, C_("export", "Total"));
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "A13"));
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "J13"));
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "J13"), ==, "E0E0E0");
  g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, "J13"), ==, "0.0%");

  /* subtotal columns shaded on detail rows; total columns bold */
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "G8"), ==, "F2F2F2");
  g_assert_false (aq_test_xlsx_cell_bold (xlsx, sheet, "G8"));
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "I8"));
  g_assert_null (aq_test_xlsx_cell_fill (xlsx, sheet, "E8"));

  /* conditional colours as fills, on a subtotal row too (still bold there) */
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "C8"), ==, "FFC7CE");
  g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, "F10"), ==, "C6EFCE");
  g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, "F10"));

  /* widths from the text: "用户类型" is 4 CJK characters (8 columns) */
  g_assert_cmpfloat (aq_test_xlsx_column_width (xlsx, sheet, 1), >=, 8);
  g_assert_cmpfloat (aq_test_xlsx_column_width (xlsx, sheet, 1), <=, 16);
  g_assert_cmpfloat (aq_test_xlsx_column_width (xlsx, sheet, 2), >=, 6);
}

/* A list's header, built as the list reader does, and rows fed as the warehouse sends them. */
static AqReportResult *
hand_list (void)
{
  const char *lines[] = { "期间: 2024-01..2024-03", NULL };
  AqReportResult *r = _aq_report_result_new (AQ_REPORT_KIND_LIST, "账单明细", lines, "", NULL);
  const char *h1[] = { "水量" }, *h2[] = { "金额" };

  _aq_report_result_add_row_dim (r, "account", "户号");
  _aq_report_result_add_row_dim (r, "period", "账期");
  _aq_report_result_add_row_dim (r, "address", "地址");
  _aq_report_result_set_n_header_levels (r, 1);
  _aq_report_result_add_column (r, AQ_REPORT_COLUMN_DETAIL, 0, "billed_qty",
                                AQ_REPORT_CALC_NONE, "#,##0", h1, NULL);
  _aq_report_result_add_column (r, AQ_REPORT_COLUMN_DETAIL, 1, "amount",
                                AQ_REPORT_CALC_NONE, "#,##0.00", h2, NULL);
  return r;
}

static void
list_row (guint64  i,
          char   **cells)
{
  cells[0] = g_strdup_printf ("A%06" G_GUINT64_FORMAT, i);
  cells[1] = g_strdup_printf ("2024-%02u-01", (guint) (i % 3) + 1);
  /* a comma, a quote and a formula-looking text for the CSV */
  cells[2] = i % 7 == 3 ? g_strdup ("=SUM(A1)") : i % 5 == 0 ? NULL
             : g_strdup_printf ("幸福路%" G_GUINT64_FORMAT "号, \"东\"门", i);
  cells[3] = g_strdup_printf ("%" G_GUINT64_FORMAT, i * 3);
  cells[4] = i % 4 == 0 ? NULL : g_strdup_printf ("%" G_GUINT64_FORMAT ".25", i);
}

static void
test_list_overflow (void)
{
  g_autoptr(AqReportResult) header = hand_list ();
  g_autofree char *path = out_path ("list.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportXlsxStream) stream = aq_report_xlsx_stream_new (path, &error);
  g_autoptr(AqTestXlsx) xlsx = NULL;
  const guint64 n = 100;
  guint64 seen = 0;

  g_assert_no_error (error);
  /* 40 rows a sheet: title, parameter line, blank, header, then 36 data rows */
  aq_report_xlsx_stream_set_max_sheet_rows (stream, 40);
  for (guint64 i = 0; i < n; i++)
    {
      char *cells[5];

      list_row (i, cells);
      g_assert_true (aq_report_xlsx_stream_add_row (header, i, (const char * const *) cells,
                                                    stream, &error));
      g_assert_no_error (error);
      for (guint c = 0; c < 5; c++)
        g_free (cells[c]);
    }
  /* nothing at the target until the workbook is complete */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_true (aq_report_xlsx_stream_finish (stream, header, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (aq_report_xlsx_stream_get_n_rows (stream), ==, n);

  xlsx = open_xlsx (path);
  g_assert_cmpuint (aq_test_xlsx_n_sheets (xlsx), ==, 3);
  g_assert_cmpstr (aq_test_xlsx_sheet_name (xlsx, 0), ==, "账单明细");
  g_assert_cmpstr (aq_test_xlsx_sheet_name (xlsx, 1), ==, "账单明细 (2)");
  for (guint s = 0; s < 3; s++)
    {
      const char *sheet = aq_test_xlsx_sheet_name (xlsx, s);
      guint header_row = s == 0 ? 3 : 4;   /* later sheets carry a note line */
      guint64 first;
      guint rows_here;

      g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A1"), ==, "账单明细");
      g_assert_cmpstr (cell_text_at (xlsx, sheet, header_row, 0), ==, "户号");
      g_assert_cmpstr (cell_text_at (xlsx, sheet, header_row, 4), ==, "金额");
      {
        g_autofree char *pane = aq_test_xlsx_ref (header_row + 1, 0);
        g_assert_cmpstr (aq_test_xlsx_frozen_pane (xlsx, sheet), ==, pane);
      }
      rows_here = aq_test_xlsx_n_rows (xlsx, sheet) - header_row - 1;
      {
        g_autofree char *last = aq_test_xlsx_ref (header_row + rows_here, 4);
        g_autofree char *filter = g_strdup_printf ("A%u:%s", header_row + 1, last);
        g_assert_cmpstr (aq_test_xlsx_autofilter (xlsx, sheet), ==, filter);
      }
      if (s < 2)
        {
          /* a full sheet's last row says where the list goes on */
          g_autofree char *last = aq_test_xlsx_ref (39, 0);
          const char *comment = aq_test_xlsx_comment (xlsx, sheet, last);

          g_assert_nonnull (comment);
          g_assert_nonnull (strstr (comment, aq_test_xlsx_sheet_name (xlsx, s + 1)));
        }
      if (s > 0)
        {
          g_autofree char *from = g_strdup_printf ("%" G_GUINT64_FORMAT, seen + 1);
          const char *note = aq_test_xlsx_cell_text (xlsx, sheet, "A3");

          g_assert_nonnull (note);
          g_assert_nonnull (strstr (note, "账单明细"));
          g_assert_nonnull (strstr (note, from));
        }
      first = seen;
      for (guint i = 0; i < rows_here; i++)
        {
          guint64 k = first + i;
          char *cells[5];
          g_autofree char *date = aq_test_xlsx_ref (header_row + 1 + i, 1);
          g_autofree char *qty = aq_test_xlsx_ref (header_row + 1 + i, 3);
          g_autofree char *amount = aq_test_xlsx_ref (header_row + 1 + i, 4);

          list_row (k, cells);
          g_assert_cmpstr (cell_text_at (xlsx, sheet, header_row + 1 + i, 0), ==, cells[0]);
          g_assert_cmpstr (cell_text_at (xlsx, sheet, header_row + 1 + i, 2), ==, cells[2]);
          /* dates as Excel dates (serial 45292 = 2024-01-01) */
          g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, date), ==, "yyyy-mm-dd");
          g_assert_cmpfloat (aq_test_xlsx_cell_number (xlsx, sheet, date), ==,
                             45292 + (k % 3 == 0 ? 0 : k % 3 == 1 ? 31 : 60));
          g_assert_cmpfloat (aq_test_xlsx_cell_number (xlsx, sheet, qty), ==, k * 3);
          g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, qty), ==, "#,##0");
          if (cells[4])
            {
              g_assert_cmpfloat (aq_test_xlsx_cell_number (xlsx, sheet, amount), ==,
                                 k + 0.25);
              g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, amount), ==,
                               "#,##0.00");
            }
          else
            g_assert_null (aq_test_xlsx_cell (xlsx, sheet, amount));
          for (guint c = 0; c < 5; c++)
            g_free (cells[c]);
        }
      seen += rows_here;
    }
  g_assert_cmpuint (seen, ==, n);
}

/* A text longer than a cell holds is cut at Excel's 32,767 characters, not a failed export. */
static void
test_long_text (void)
{
  g_autoptr(AqReportResult) header = hand_list ();
  g_autofree char *path = out_path ("long.xlsx");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportXlsxStream) stream = aq_report_xlsx_stream_new (path, &error);
  g_autoptr(GString) history = g_string_new (NULL);
  g_autoptr(AqTestXlsx) xlsx = NULL;
  const char *cells[5] = { "A1", "2024-01-01", NULL, "1", "2.5" };
  const char *text;

  g_assert_no_error (error);
  for (guint i = 0; i < 40000; i++)
    g_string_append (history, "修");
  cells[2] = history->str;
  g_assert_true (aq_report_xlsx_stream_add_row (header, 0, cells, stream, &error));
  g_assert_no_error (error);
  g_assert_true (aq_report_xlsx_stream_finish (stream, header, &error));
  g_assert_no_error (error);
  xlsx = open_xlsx (path);
  text = aq_test_xlsx_cell_text (xlsx, aq_test_xlsx_sheet_name (xlsx, 0), "C5");
  g_assert_nonnull (text);
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, 32767);
}

static void
test_csv (void)
{
  g_autoptr(AqReportResult) pivot = hand_pivot ();
  g_autoptr(AqReportResult) header = hand_list ();
  g_autofree char *pivot_path = out_path ("pivot.csv");
  g_autofree char *list_path = out_path ("list.csv");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(AqReportCsvStream) stream = NULL;
  gboolean bom = FALSE;
  GPtrArray *row;

  g_assert_true (aq_report_write_csv (pivot, pivot_path, &error));
  g_assert_no_error (error);
  rows = aq_test_csv_read (pivot_path, &bom, &error);
  g_assert_no_error (error);
  g_assert_true (bom);
  /* 3 header rows + 6 rows, 2 + 8 fields each */
  g_assert_cmpuint (rows->len, ==, 9);
  for (guint i = 0; i < rows->len; i++)
    g_assert_cmpuint (((GPtrArray *) rows->pdata[i])->len, ==, 10);
  row = rows->pdata[0];
  g_assert_cmpstr (row->pdata[0], ==, "");
  g_assert_cmpstr (row->pdata[2], ==, "2024Q1");
  g_assert_cmpstr (row->pdata[7], ==, "2024Q1");
  g_assert_cmpstr (row->pdata[8], ==, "合计");
  row = rows->pdata[1];
  g_assert_cmpstr (row->pdata[6], ==, "小计");
  g_assert_cmpstr (row->pdata[8], ==, "");
  row = rows->pdata[2];
  g_assert_cmpstr (row->pdata[0], ==, "区");
  g_assert_cmpstr (row->pdata[1], ==, "用户类型");
  g_assert_cmpstr (row->pdata[3], ==, "收费率");
  /* values as the format shows them, plain: "#,##0" → 1000, "0.0%" → 3 decimals */
  row = rows->pdata[3];
  g_assert_cmpstr (row->pdata[0], ==, "北区");
  g_assert_cmpstr (row->pdata[2], ==, "1000");
  g_assert_cmpstr (row->pdata[3], ==, "0.501");
  row = rows->pdata[4];
  g_assert_cmpstr (row->pdata[3], ==, "");
  row = rows->pdata[5];
  g_assert_cmpstr (row->pdata[1], ==, C_("export", "Subtotal"));
  row = rows->pdata[8];
  g_assert_cmpstr (row->pdata[0], ==, C_("export", "Total"));
  g_assert_cmpstr (row->pdata[1], ==, "");
  g_assert_cmpstr (row->pdata[9], ==, "0.557");
  g_clear_pointer (&rows, g_ptr_array_unref);

  stream = aq_report_csv_stream_new (list_path, &error);
  g_assert_no_error (error);
  for (guint64 i = 0; i < 20; i++)
    {
      char *cells[5];

      list_row (i, cells);
      g_assert_true (aq_report_csv_stream_add_row (header, i, (const char * const *) cells,
                                                   stream, &error));
      for (guint c = 0; c < 5; c++)
        g_free (cells[c]);
    }
  g_assert_true (aq_report_csv_stream_finish (stream, header, &error));
  g_assert_no_error (error);
  rows = aq_test_csv_read (list_path, &bom, &error);
  g_assert_no_error (error);
  g_assert_true (bom);
  g_assert_cmpuint (rows->len, ==, 21);
  row = rows->pdata[0];
  g_assert_cmpstr (row->pdata[0], ==, "户号");
  g_assert_cmpstr (row->pdata[4], ==, "金额");
  for (guint64 i = 0; i < 20; i++)
    {
      char *cells[5];

      row = rows->pdata[i + 1];
      list_row (i, cells);
      g_assert_cmpuint (row->len, ==, 5);
      for (guint c = 0; c < 5; c++)
        {
          /* a formula-looking text is defused with an apostrophe, numbers kept as sent */
          g_autofree char *expected = cells[c] == NULL ? g_strdup ("")
                                      : cells[c][0] == '=' ? g_strconcat ("'", cells[c], NULL)
                                      : g_strdup (cells[c]);
          g_assert_cmpstr (row->pdata[c], ==, expected);
          g_free (cells[c]);
        }
    }
}

static void
test_atomic (void)
{
  g_autoptr(AqReportResult) pivot = hand_pivot ();
  g_autoptr(AqReportResult) header = hand_list ();
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-dir", "x.xlsx", NULL);
  g_autofree char *dir = g_build_filename (tmpdir, "atomic", NULL);
  g_autofree char *path = g_build_filename (dir, "keep.xlsx", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  AqReportXlsxStream *stream;
  AqReportCsvStream *csv;

  /* a folder that does not exist: an error naming the file, nothing written */
  g_assert_false (aq_report_write_xlsx (pivot, missing, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "x.xlsx"));
  g_clear_error (&error);
  g_assert_false (aq_report_write_csv (pivot, missing, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);

  /* an export that stops half-way leaves the previous file as it was and no temp behind */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "previous", -1, NULL));
  stream = aq_report_xlsx_stream_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, 2);
  for (guint64 i = 0; i < 50; i++)
    {
      char *cells[5];

      list_row (i, cells);
      g_assert_true (aq_report_xlsx_stream_add_row (header, i, (const char * const *) cells,
                                                    stream, &error));
      for (guint c = 0; c < 5; c++)
        g_free (cells[c]);
    }
  aq_report_xlsx_stream_free (stream);
  csv = aq_report_csv_stream_new (path, &error);
  g_assert_no_error (error);
  aq_report_csv_stream_free (csv);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));
  g_assert_cmpstr (before, ==, "previous");

  /* a complete one replaces it, readable by its owner only: exports can name customers */
  g_assert_true (aq_report_write_xlsx (pivot, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (dir), ==, 1);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_true (g_str_has_prefix (after, "PK"));
  {
    GStatBuf st;
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }
}

/* ---- standard reports on a demo warehouse ---- */

typedef struct
{
  guint r1, c1, r2, c2;
} Range;

static void
parse_cell (const char *ref,
            guint      *row,
            guint      *col)
{
  guint c = 0;

  while (g_ascii_isalpha (*ref))
    c = c * 26 + (g_ascii_toupper (*ref++) - 'A' + 1);
  *col = c - 1;
  *row = (guint) g_ascii_strtoull (ref, NULL, 10) - 1;
}

static GArray *
merged_rects (AqTestXlsx *xlsx,
              const char *sheet)
{
  GArray *rects = g_array_new (FALSE, FALSE, sizeof (Range));

  for (char **m = aq_test_xlsx_merged_ranges (xlsx, sheet); *m; m++)
    {
      g_auto(GStrv) ends = g_strsplit (*m, ":", 2);
      Range r;

      parse_cell (ends[0], &r.r1, &r.c1);
      parse_cell (ends[1], &r.r2, &r.c2);
      g_array_append_val (rects, r);
    }
  return rects;
}

/* The text a reader sees at (row, col): the cell's own, or its merged range's top-left. */
static const char *
shown_text (AqTestXlsx *xlsx,
            const char *sheet,
            GArray     *rects,
            guint       row,
            guint       col,
            gboolean   *merged)
{
  *merged = FALSE;
  for (guint i = 0; i < rects->len; i++)
    {
      Range *r = &g_array_index (rects, Range, i);

      if (row >= r->r1 && row <= r->r2 && col >= r->c1 && col <= r->c2)
        {
          *merged = TRUE;
          return cell_text_at (xlsx, sheet, r->r1, r->c1);
        }
    }
  return cell_text_at (xlsx, sheet, row, col);
}

/* Built by the first test that needs it, so the hand-built ones run without a warehouse. */
static void
ensure_db (void)
{
  g_autoptr(GError) error = NULL;

  if (db)
    return;
  /* a small warehouse: 14 months so the latest three are complete */
  db = aq_test_demo_db_new ("t_report_xlsx", 1500, 14);
  catalog = aq_catalog_load (db, NULL, &error);
  g_assert_no_error (error);
}

static char *
latest_months (guint n)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT to_char(max(period) - interval '%u months', 'YYYY-MM') || '..' ||"
    " to_char(max(period), 'YYYY-MM') FROM dm.cube_nrw_monthly", n - 1);

  ensure_db ();
  return aq_test_query_string (db, sql);
}

static double
sql_number (const char *sql,
            const char *param1,
            const char *param2)
{
  const char *params[] = { param1, param2 };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = aq_db_query_string (db, sql, param2 ? 2 : 1, params, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return g_ascii_strtod (value, NULL);
}

static AqReportResult *
run_standard (const char  *name,
              const char  *param,
              const char  *value,
              AqReportSpec **spec_out)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  AqReportResult *result;

  ensure_db ();
  spec = aq_report_store_open (db, name, NULL, &error);
  g_assert_no_error (error);
  if (param)
    g_hash_table_insert (params, (gpointer) param, (gpointer) value);
  result = aq_report_run (db, catalog, spec, params, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  if (spec_out)
    *spec_out = g_steal_pointer (&spec);
  return result;
}

/* 产销差 by DMA level 1/2/3 and month: three row levels with subtotals, months across with a
 * total column, a ratio recomputed at every level, conditional colours. */
static void
test_standard_pivot (void)
{
  g_autofree char *period = latest_months (3);
  g_autofree char *path = out_path ("nrw.xlsx");
  g_autofree char *csv_path = out_path ("nrw.csv");
  g_auto(GStrv) bounds = g_strsplit (period, "..", 2);
  g_autofree char *first_month = g_strconcat (bounds[0], "-01", NULL);
  g_autofree char *last_month = g_strconcat (bounds[1], "-01", NULL);
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(AqReportResult) result = run_standard ("nrw_by_dma", "period", period, &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqTestXlsx) xlsx = NULL;
  g_autoptr(GArray) rects = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  guint levels = aq_report_result_get_n_header_levels (result);
  guint n_rows = aq_report_result_get_n_rows (result);
  guint top, first, total_row = G_MAXUINT, subtotals = 0, coloured = 0, plain = 0;
  g_autofree char *pane = NULL;
  g_autofree char *filter = NULL;
  g_autofree char *last = NULL;
  const char *sheet;
  gboolean merged, bom;

  g_assert_cmpuint (n_dims, ==, 3);
  g_assert_cmpuint (levels, ==, 2);
  g_assert_cmpuint (n_rows, >, 5);
  g_assert_true (aq_report_write_xlsx (result, path, &error));
  g_assert_no_error (error);
  g_assert_true (aq_report_write_csv (result, csv_path, &error));
  g_assert_no_error (error);
  xlsx = open_xlsx (path);
  sheet = aq_test_xlsx_sheet_name (xlsx, 0);
  rects = merged_rects (xlsx, sheet);

  /* title and one line per parameter, then a blank row */
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A1"), ==,
                   aq_report_result_get_title (result));
  top = 2 + g_strv_length ((char **) aq_report_result_get_parameter_lines (result));
  g_assert_cmpstr (cell_text_at (xlsx, sheet, 1, 0), ==,
                   aq_report_result_get_parameter_lines (result)[0]);
  first = top + levels;

  /* Every header position shows the result's label (NULL: the one above, merged down); each
   * row dimension is merged down the header; each month spans its three values. */
  for (guint dim = 0; dim < n_dims; dim++)
    {
      g_assert_cmpstr (shown_text (xlsx, sheet, rects, top + 1, dim, &merged), ==,
                       aq_report_result_get_row_dim_label (result, dim));
      g_assert_true (merged);
    }
  for (guint col = 0; col < n_cols; col++)
    for (guint level = 0; level < levels; level++)
      {
        const char *label = NULL;

        for (int l = (int) level; l >= 0 && label == NULL; l--)
          label = aq_report_result_get_column_header (result, col, l);
        g_assert_cmpstr (shown_text (xlsx, sheet, rects, top + level, n_dims + col, &merged),
                         ==, label);
        g_assert_true (merged == (level == 0));
      }
  for (guint i = 0; i < rects->len; i++)
    {
      Range *r = &g_array_index (rects, Range, i);

      if (r->r1 == top && r->c1 >= n_dims)
        g_assert_cmpuint (r->c2 - r->c1 + 1, ==, 5);   /* the five values of nrw_by_dma */
    }

  /* panes, filter */
  pane = aq_test_xlsx_ref (first, n_dims);
  g_assert_cmpstr (aq_test_xlsx_frozen_pane (xlsx, sheet), ==, pane);
  last = aq_test_xlsx_ref (first + n_rows - 1, n_dims + n_cols - 1);
  filter = g_strdup_printf ("A%u:%s", first, last);
  g_assert_cmpstr (aq_test_xlsx_autofilter (xlsx, sheet), ==, filter);

  /* Cells: the result's values with the catalog's number format, the colours it says;
   * subtotal rows labelled, bold and indented by level. */
  for (guint row = 0; row < n_rows; row++)
    {
      AqReportRowKind kind = aq_report_result_get_row_kind (result, row);
      guint level = aq_report_result_get_row_level (result, row);

      if (kind == AQ_REPORT_ROW_SUBTOTAL)
        {
          g_autofree char *ref = aq_test_xlsx_ref (first + row, level);

          subtotals++;
          g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, ref), ==,
                           C_("export", "Subtotal"));
          g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, ref));
          g_assert_cmpuint (aq_test_xlsx_cell_indent (xlsx, sheet, ref), ==, level);
        }
      else if (kind == AQ_REPORT_ROW_TOTAL)
        {
          total_row = row;
          g_assert_cmpstr (cell_text_at (xlsx, sheet, first + row, 0), ==,
                           C_("export", "Total"));
        }
      else
        for (guint dim = 0; dim < n_dims; dim++)
          g_assert_cmpstr (cell_text_at (xlsx, sheet, first + row, dim), ==,
                           aq_report_result_get_row_label (result, row, dim));
      for (guint col = 0; col < n_cols; col++)
        {
          g_autofree char *ref = aq_test_xlsx_ref (first + row, n_dims + col);
          AqIndicator *indicator =
            aq_catalog_lookup_indicator (catalog,
                                         aq_report_result_get_column_indicator (result, col));
          const char *color = aq_report_result_get_cell_color (result, row, col);
          double value;

          if (!aq_report_result_get_cell (result, row, col, &value))
            continue;
          g_assert_cmpfloat_with_epsilon (aq_test_xlsx_cell_number (xlsx, sheet, ref), value,
                                          1e-6 * MAX (1, fabs (value)));
          g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, ref), ==,
                           aq_indicator_get_number_format (indicator));
          g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, ref)
                         == (kind != AQ_REPORT_ROW_DETAIL
                             || aq_report_result_get_column_kind (result, col)
                                == AQ_REPORT_COLUMN_TOTAL));
          if (color)
            {
              g_autofree char *rgb = g_ascii_strup (color + 1, -1);

              g_assert_cmpstr (aq_test_xlsx_cell_fill (xlsx, sheet, ref), ==, rgb);
              coloured++;
            }
          else if (kind == AQ_REPORT_ROW_DETAIL
                   && aq_report_result_get_column_kind (result, col) == AQ_REPORT_COLUMN_DETAIL)
            {
              g_assert_null (aq_test_xlsx_cell_fill (xlsx, sheet, ref));
              plain++;
            }
        }
    }
  g_assert_cmpuint (subtotals, >, 0);
  g_assert_cmpuint (total_row, ==, n_rows - 1);
  g_assert_cmpuint (coloured, >, 0);
  g_assert_cmpuint (plain, >, 0);

  /* The grand total (total row × total column) against independent SQL over the cube. */
  for (guint col = 0; col < n_cols; col++)
    {
      g_autofree char *ref = aq_test_xlsx_ref (first + total_row, n_dims + col);
      const char *id = aq_report_result_get_column_indicator (result, col);
      double expected;

      if (aq_report_result_get_column_kind (result, col) != AQ_REPORT_COLUMN_TOTAL)
        continue;
      /* supply is measured at every level: the total is the level-1 zones' own meters */
      if (strcmp (id, "nrw_siv") == 0)
        expected = sql_number ("SELECT sum(siv) FROM dm.cube_nrw_monthly WHERE level = 1"
                               " AND period BETWEEN $1::date AND $2::date",
                               first_month, last_month);
      else if (strcmp (id, "nrw_children_siv") == 0)
        expected = sql_number ("SELECT sum(siv) FROM dm.cube_nrw_monthly WHERE level = 3"
                               " AND period BETWEEN $1::date AND $2::date",
                               first_month, last_month);
      else if (strcmp (id, "nrw_between_loss") == 0)
        expected = sql_number ("SELECT sum(siv) FILTER (WHERE level = 1)"
                               " - sum(siv) FILTER (WHERE level = 3)"
                               " FROM dm.cube_nrw_monthly"
                               " WHERE period BETWEEN $1::date AND $2::date",
                               first_month, last_month);
      else if (strcmp (id, "nrw_billed") == 0)
        expected = sql_number ("SELECT sum(billed) FROM dm.cube_nrw_monthly WHERE level = 3"
                               " AND period BETWEEN $1::date AND $2::date",
                               first_month, last_month);
      else
        expected = sql_number ("SELECT (sum(siv) - sum(billed)) / sum(siv)"
                               " FROM dm.cube_nrw_monthly WHERE level = 1"
                               " AND period BETWEEN $1::date AND $2::date",
                               first_month, last_month);
      g_assert_cmpfloat_with_epsilon (aq_test_xlsx_cell_number (xlsx, sheet, ref), expected,
                                      1e-6 * MAX (1, fabs (expected)));
    }

  /* The CSV: one row per header level, then the rows, values as formatted. */
  csv = aq_test_csv_read (csv_path, &bom, &error);
  g_assert_no_error (error);
  g_assert_true (bom);
  g_assert_cmpuint (csv->len, ==, levels + n_rows);
  for (guint row = 0; row < n_rows; row++)
    {
      GPtrArray *fields = csv->pdata[levels + row];

      g_assert_cmpuint (fields->len, ==, n_dims + n_cols);
      for (guint col = 0; col < n_cols; col++)
        {
          double value;
          const char *field = fields->pdata[n_dims + col];

          /* whole-number formats round small figures (a between-levels loss) to units */
          gboolean whole = g_strcmp0 (aq_report_result_get_column_format (result, col),
                                      "#,##0") == 0;

          if (aq_report_result_get_cell (result, row, col, &value))
            g_assert_cmpfloat_with_epsilon (g_ascii_strtod (field, NULL), value,
                                            whole ? 0.5 + 1e-9
                                                  : 0.5 * MAX (1e-3 * fabs (value), 1e-3));
          else
            g_assert_cmpstr (field, ==, "");
        }
    }
  g_assert_cmpstr (((GPtrArray *) csv->pdata[levels + total_row])->pdata[0], ==,
                   C_("export", "Total"));
}

/* 欠费用户清单 streamed into both files by one run, against the in-memory run and SQL. */
static void
test_standard_list (void)
{
  g_autofree char *path = out_path ("arrears.xlsx");
  g_autofree char *csv_path = out_path ("arrears.csv");
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(AqReportResult) result = run_standard ("arrears_list", NULL, NULL, &spec);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqTestXlsx) xlsx = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  g_autoptr(GHashTable) by_account = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  guint n = aq_report_result_get_n_rows (result);
  gint64 expected = aq_test_query_int64 (db, "SELECT count(*) FROM dm.customer_profile"
                                             " WHERE arrears_amount > 0");
  guint64 written = 0;
  const char *sheet;
  gboolean bom;

  g_assert_cmpint (expected, >, 10);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpstr (aq_report_result_get_row_dim_id (result, 0), ==, "account");
  g_assert_true (aq_report_export_list (db, catalog, spec, NULL, path, csv_path, &written,
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, n);
  for (guint row = 0; row < n; row++)
    g_hash_table_insert (by_account,
                         (gpointer) aq_report_result_get_row_label (result, row, 0),
                         GUINT_TO_POINTER (row));

  xlsx = open_xlsx (path);
  g_assert_cmpuint (aq_test_xlsx_n_sheets (xlsx), ==, 1);
  sheet = aq_test_xlsx_sheet_name (xlsx, 0);
  /* title, parameter lines, blank, the header row; data after */
  {
    guint header = 2 + g_strv_length ((char **) aq_report_result_get_parameter_lines (result));
    g_autofree char *pane = aq_test_xlsx_ref (header + 1, 0);

    g_assert_cmpstr (aq_test_xlsx_frozen_pane (xlsx, sheet), ==, pane);
    g_assert_cmpuint (aq_test_xlsx_n_rows (xlsx, sheet), ==, header + 1 + n);
    for (guint col = 0; col < n_dims; col++)
      g_assert_cmpstr (cell_text_at (xlsx, sheet, header, col), ==,
                       aq_report_result_get_row_dim_label (result, col));
    for (guint i = 0; i < n; i++)
      {
        const char *account = cell_text_at (xlsx, sheet, header + 1 + i, 0);
        gpointer found;
        guint row;

        g_assert_true (g_hash_table_lookup_extended (by_account, account, NULL, &found));
        row = GPOINTER_TO_UINT (found);
        for (guint dim = 1; dim < n_dims; dim++)
          g_assert_cmpstr (cell_text_at (xlsx, sheet, header + 1 + i, dim), ==,
                           aq_report_result_get_row_label (result, row, dim));
        for (guint col = 0; col < n_cols; col++)
          {
            g_autofree char *ref = aq_test_xlsx_ref (header + 1 + i, n_dims + col);
            double value;

            if (!aq_report_result_get_cell (result, row, col, &value))
              continue;
            g_assert_cmpfloat_with_epsilon (aq_test_xlsx_cell_number (xlsx, sheet, ref), value,
                                            1e-9 * MAX (1, fabs (value)));
            g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, ref), ==,
                             aq_report_result_get_column_format (result, col));
          }
      }
  }

  /* the CSV from the same run: the header row and the same rows */
  csv = aq_test_csv_read (csv_path, &bom, &error);
  g_assert_no_error (error);
  g_assert_true (bom);
  g_assert_cmpuint (csv->len, ==, 1 + n);
  for (guint i = 1; i <= n; i++)
    {
      GPtrArray *fields = csv->pdata[i];
      gpointer found;
      double value;
      guint row;

      g_assert_cmpuint (fields->len, ==, n_dims + n_cols);
      g_assert_true (g_hash_table_lookup_extended (by_account, fields->pdata[0], NULL, &found));
      row = GPOINTER_TO_UINT (found);
      g_assert_cmpstr (fields->pdata[2], ==, aq_report_result_get_row_label (result, row, 2));
      g_assert_true (aq_report_result_get_cell (result, row, 0, &value));
      g_assert_cmpfloat_with_epsilon (g_ascii_strtod (fields->pdata[n_dims], NULL), value,
                                      1e-9 * MAX (1, fabs (value)));
    }
}

/* A failing run (a parameter of the wrong type) writes nothing and says which parameter. */
static void
test_failed_run (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "failed", NULL);
  g_autofree char *path = g_build_filename (dir, "x.xlsx", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "x.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

  ensure_db ();
  spec = aq_report_store_open (db, "zero_consumption", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_hash_table_insert (params, "n", "six");
  g_assert_false (aq_report_export_list (db, catalog, spec, params, path, csv_path, NULL, NULL,
                                         &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "n"));
  g_assert_cmpuint (count_files (dir), ==, 0);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static gboolean
export_wait (GAsyncResult **res,
             guint64       *n_rows,
             GError       **error)
{
  gboolean ok;

  while (*res == NULL)
    g_main_context_iteration (NULL, TRUE);
  ok = aq_report_export_finish (*res, n_rows, error);
  g_clear_object (res);
  return ok;
}

/* The designer's way: on a worker thread, from a result or by streaming a list; cancelled,
 * nothing is written. */
static void
test_async (void)
{
  g_autofree char *dir = g_build_filename (tmpdir, "async", NULL);
  g_autofree char *xlsx_path = g_build_filename (dir, "a.xlsx", NULL);
  g_autofree char *csv_path = g_build_filename (dir, "a.csv", NULL);
  g_autoptr(AqReportResult) result = run_standard ("billing_by_district", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqReportSpec) list = aq_report_store_open (db, "arrears_list", NULL, &error);
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(AqTestXlsx) xlsx = NULL;
  gint64 arrears = aq_test_query_int64 (db, "SELECT count(*) FROM dm.customer_profile"
                                            " WHERE arrears_amount > 0");
  GAsyncResult *res = NULL;
  guint64 n_rows = 0;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  aq_report_export_async (NULL, NULL, NULL, NULL, result, xlsx_path, csv_path, NULL,
                          export_done_cb, &res);
  g_assert_true (export_wait (&res, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_rows, ==, aq_report_result_get_n_rows (result));
  g_assert_cmpuint (count_files (dir), ==, 2);

  aq_report_export_async (aq_db_get_conninfo (db), catalog, list, NULL, NULL, xlsx_path, NULL,
                          NULL, export_done_cb, &res);
  g_assert_true (export_wait (&res, &n_rows, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n_rows, ==, arrears);
  xlsx = open_xlsx (xlsx_path);
  g_assert_cmpstr (aq_test_xlsx_sheet_name (xlsx, 0), ==, "欠费用户清单");

  g_unlink (xlsx_path);
  g_unlink (csv_path);
  g_cancellable_cancel (cancelled);
  aq_report_export_async (aq_db_get_conninfo (db), catalog, list, NULL, NULL, xlsx_path,
                          csv_path, cancelled, export_done_cb, &res);
  g_assert_false (export_wait (&res, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  tmpdir = g_dir_make_tmp ("aq-report-xlsx-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/report-xlsx/pivot-layout", test_pivot_layout);
  g_test_add_func ("/report-xlsx/list-overflow", test_list_overflow);
  g_test_add_func ("/report-xlsx/long-text", test_long_text);
  g_test_add_func ("/report-xlsx/csv", test_csv);
  g_test_add_func ("/report-xlsx/atomic", test_atomic);
  g_test_add_func ("/report-xlsx/standard-pivot", test_standard_pivot);
  g_test_add_func ("/report-xlsx/standard-list", test_standard_list);
  g_test_add_func ("/report-xlsx/failed-run", test_failed_run);
  g_test_add_func ("/report-xlsx/async", test_async);


  status = g_test_run ();
  /* AQ_TEST_KEEP_EXPORTS=1 keeps the files, to open them in a spreadsheet */
  if (status == 0 && g_getenv ("AQ_TEST_KEEP_EXPORTS") == NULL)
    remove_tree (tmpdir);
  else
    g_test_message ("exports kept in %s", tmpdir);
  g_clear_object (&catalog);
  if (db)
    {
      g_clear_object (&db);
      aq_test_drop_database ("t_report_xlsx");
    }
  g_free (tmpdir);
  return status;
}

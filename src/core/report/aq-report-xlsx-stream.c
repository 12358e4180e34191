/* aq-report-xlsx-stream.c — a list streamed into an Excel workbook in constant memory
 *
 * libxlsxwriter's constant-memory mode writes each row to a temporary file as soon as the next
 * one starts, so rows must come strictly in order; widths, filter and panes, which it keeps
 * aside until the workbook closes, are set last. Past the sheet's last row the list goes on on
 * a new sheet with the same title block and header, and a note saying where it continues from.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-export-file.h"
#include "aq-report-xlsx-private.h"

/* ---- lists, streamed ---- */

typedef enum
{
  KIND_UNKNOWN,
  KIND_TEXT,
  KIND_DATE,
  KIND_TIMESTAMP,
  KIND_NUMBER,
} ColumnKind;

struct _AqReportXlsxStream
{
  AqExportFile   *file;
  lxw_workbook   *workbook;
  lxw_worksheet  *sheet;
  GPtrArray      *sheets;
  GHashTable     *styles;
  GArray         *widths;
  char           *title;
  char           *first_sheet;
  guint           sheet_number;
  guint32         max_rows;       /* rows per sheet, Excel's limit unless a test says less */
  lxw_row_t       row;            /* the next row on this sheet */
  lxw_row_t       first_row;      /* this sheet's first data row */
  guint64         n_rows;
  guint64         sheet_rows;     /* data rows on this sheet */
  guint           n_dims;
  guint           n_cols;
  ColumnKind     *kinds;
  lxw_format    **formats;
  lxw_format     *date_format;
  lxw_format     *timestamp_format;
  gboolean        begun;
};

static gboolean
parse_digits (const char *text,
              guint       n,
              int        *value)
{
  *value = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *value = *value * 10 + (text[i] - '0');
    }
  return TRUE;
}

/* "2024-03-15" or "2024-03-15 08:30:00" (as PostgreSQL prints a date and a timestamp). */
static gboolean
parse_datetime (const char   *text,
                lxw_datetime *out,
                ColumnKind   *kind)
{
  size_t len = strlen (text);
  int year, month, day, hour = 0, min = 0, sec = 0;

  if (len != 10 && len != 19)
    return FALSE;
  if (!parse_digits (text, 4, &year) || text[4] != '-' || !parse_digits (text + 5, 2, &month)
      || text[7] != '-' || !parse_digits (text + 8, 2, &day) || month < 1 || month > 12
      || day < 1 || day > 31 || year < 1900)
    return FALSE;
  if (len == 19
      && ((text[10] != ' ' && text[10] != 'T') || !parse_digits (text + 11, 2, &hour)
          || text[13] != ':' || !parse_digits (text + 14, 2, &min) || text[16] != ':'
          || !parse_digits (text + 17, 2, &sec)))
    return FALSE;
  *out = (lxw_datetime) { year, month, day, hour, min, sec };
  *kind = len == 10 ? KIND_DATE : KIND_TIMESTAMP;
  return TRUE;
}

static const char *
list_header (AqReportResult *header,
             guint           n_dims,
             guint           col)
{
  guint levels = aq_report_result_get_n_header_levels (header);

  if (col < n_dims)
    return aq_report_result_get_row_dim_label (header, col);
  /* A list has one header level; should it have more, the value's name is the last. */
  for (int level = (int) MAX (levels, 1) - 1; level >= 0; level--)
    {
      const char *label = aq_report_result_get_column_header (header, col - n_dims, level);
      if (label)
        return label;
    }
  return "";
}

static gboolean
stream_sheet_close (AqReportXlsxStream *self)
{
  guint n = self->n_dims + self->n_cols;

  if (self->sheet == NULL || n == 0)
    return TRUE;
  worksheet_freeze_panes (self->sheet, self->first_row, 0);
  _aq_xlsx_sheet_options (self->sheet, self->first_row - 1, self->first_row - 1);
  worksheet_autofilter (self->sheet, self->first_row - 1, 0,
                        self->first_row - 1 + (lxw_row_t) self->sheet_rows, n - 1);
  _aq_xlsx_apply_widths (self->sheet, self->widths);
  return TRUE;
}

static gboolean
stream_sheet_open (AqReportXlsxStream  *self,
                   AqReportResult      *header,
                   GError             **error)
{
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;
  lxw_format *format;
  lxw_row_t row;

  self->sheet_number++;
  name = _aq_xlsx_sheet_name (self->title, self->sheet_number);
  self->sheet = workbook_add_worksheet (self->workbook, name);
  if (self->sheet == NULL)
    self->sheet = workbook_add_worksheet (self->workbook, NULL);
  if (self->sheet == NULL)
    return _aq_xlsx_fail (LXW_ERROR_MEMORY_MALLOC_FAILED, "sheet", error);
  g_ptr_array_add (self->sheets, self->sheet);
  if (self->sheet_number == 1)
    self->first_sheet = g_strdup (name);
  else
    {
      g_autofree char *from = g_strdup_printf ("%" G_GUINT64_FORMAT, self->n_rows + 1);

      /* Translators: a list longer than an Excel sheet continues on more sheets; the first
       * %s is the first sheet's name, the second a row number of the list */
      note = g_strdup_printf (C_("export", "Continued from sheet “%s”: rows from %s on. "
                                 "Excel holds at most 1,048,576 rows per sheet."),
                              self->first_sheet, from);
    }
  g_array_set_size (self->widths, 0);
  row = _aq_xlsx_title_block (self->workbook, self->sheet, self->styles, self->title,
                              aq_report_result_get_parameter_lines (header), note);
  format = _aq_xlsx_style (self->workbook, self->styles, STYLE_HEADER, NULL, NO_FILL, 0);
  for (guint col = 0; col < self->n_dims + self->n_cols; col++)
    {
      const char *label = list_header (header, self->n_dims, col);
      lxw_error code = _aq_xlsx_write_string (self->sheet, row, col, label ? label : "", format);

      if (code != LXW_NO_ERROR)
        return _aq_xlsx_fail (code, "header", error);
      _aq_xlsx_grow (self->widths, col, _aq_xlsx_header_width (label));
    }
  self->first_row = row + 1;
  self->row = self->first_row;
  self->sheet_rows = 0;
  return TRUE;
}

static gboolean
stream_begin (AqReportXlsxStream  *self,
              AqReportResult      *header,
              GError             **error)
{
  self->begun = TRUE;
  self->title = g_strdup (aq_report_result_get_title (header));
  self->n_dims = aq_report_result_get_n_row_dims (header);
  self->n_cols = aq_report_result_get_n_columns (header);
  if (self->n_dims + self->n_cols > LXW_COL_MAX)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The report has %u columns, more than an Excel sheet holds"),
                   self->n_dims + self->n_cols);
      return FALSE;
    }
  self->workbook = _aq_xlsx_workbook_open (aq_export_file_get_temp_path (self->file),
                                           self->title, TRUE, error);
  if (self->workbook == NULL)
    return FALSE;
  self->kinds = g_new0 (ColumnKind, self->n_dims + self->n_cols);
  self->formats = g_new0 (lxw_format *, self->n_dims + self->n_cols);
  for (guint col = 0; col < self->n_cols; col++)
    {
      self->kinds[self->n_dims + col] = KIND_NUMBER;
      self->formats[self->n_dims + col] =
        _aq_xlsx_style (self->workbook, self->styles, STYLE_CELL,
                        aq_report_result_get_column_format (header, col), NO_FILL, 0);
    }
  self->date_format = _aq_xlsx_style (self->workbook, self->styles, STYLE_CELL, "yyyy-mm-dd",
                                      NO_FILL, 0);
  self->timestamp_format = _aq_xlsx_style (self->workbook, self->styles, STYLE_CELL,
                                           "yyyy-mm-dd hh:mm:ss", NO_FILL, 0);
  return stream_sheet_open (self, header, error);
}

static lxw_error
write_text_cell (AqReportXlsxStream *self,
                 guint               col,
                 const char         *text)
{
  lxw_datetime when;
  ColumnKind kind;

  /* A column whose first value is a date is a date column: Excel can then filter and sort
   * it as dates. */
  if (self->kinds[col] == KIND_UNKNOWN)
    self->kinds[col] = parse_datetime (text, &when, &kind) ? kind : KIND_TEXT;
  if (self->kinds[col] != KIND_TEXT && parse_datetime (text, &when, &kind))
    return worksheet_write_datetime (self->sheet, self->row, col, &when,
                                     kind == KIND_DATE ? self->date_format
                                                       : self->timestamp_format);
  return _aq_xlsx_write_string (self->sheet, self->row, col, text, NULL);
}

AqReportXlsxStream *
aq_report_xlsx_stream_new (const char  *path,
                           GError     **error)
{
  g_autoptr(AqExportFile) file = aq_export_file_new (path, error);
  AqReportXlsxStream *self;

  if (file == NULL)
    return NULL;
  self = g_new0 (AqReportXlsxStream, 1);
  self->file = g_steal_pointer (&file);
  self->styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->widths = g_array_new (FALSE, TRUE, sizeof (guint));
  self->sheets = g_ptr_array_new ();
  self->max_rows = LXW_ROW_MAX;
  return self;
}

void
aq_report_xlsx_stream_set_max_sheet_rows (AqReportXlsxStream *self,
                                          guint32             rows)
{
  g_return_if_fail (self != NULL && !self->begun);
  self->max_rows = CLAMP (rows, 16, LXW_ROW_MAX);
}

gboolean
aq_report_xlsx_stream_add_row (AqReportResult      *header,
                               guint64              row_index,
                               const char * const  *cells,
                               gpointer             stream,
                               GError             **error)
{
  AqReportXlsxStream *self = stream;
  guint n;

  g_return_val_if_fail (self != NULL && self->file != NULL, FALSE);

  if (!self->begun && !stream_begin (self, header, error))
    return FALSE;
  if (self->row >= self->max_rows)
    {
      /* The last row of the full sheet is still open: leave the reader a note there. */
      g_autofree char *next = _aq_xlsx_sheet_name (self->title, self->sheet_number + 1);
      g_autofree char *note = g_strdup_printf (C_("export", "Continued on sheet “%s”"), next);
      lxw_comment_options options = { .visible = LXW_COMMENT_DISPLAY_VISIBLE };

      worksheet_write_comment_opt (self->sheet, self->row - 1, 0, note, &options);
      stream_sheet_close (self);
      if (!stream_sheet_open (self, header, error))
        return FALSE;
    }
  n = self->n_dims + self->n_cols;
  for (guint col = 0; col < n; col++)
    {
      const char *text = cells[col];
      lxw_error code;

      if (text == NULL)
        continue;
      if (self->kinds[col] == KIND_NUMBER)
        {
          char *end;
          double value = g_ascii_strtod (text, &end);

          code = end != text && *end == '\0'
                 ? worksheet_write_number (self->sheet, self->row, col, value,
                                           self->formats[col])
                 : _aq_xlsx_write_string (self->sheet, self->row, col, text, NULL);
        }
      else
        code = write_text_cell (self, col, text);
      if (code != LXW_NO_ERROR)
        return _aq_xlsx_fail (code, "row", error);
      if (self->sheet_rows < WIDTH_SAMPLE)
        _aq_xlsx_grow (self->widths, col, self->kinds[col] == KIND_DATE ? 10
                       : self->kinds[col] == KIND_TIMESTAMP ? 19
                       : aq_export_display_width (text) + 1);
    }
  self->row++;
  self->sheet_rows++;
  self->n_rows++;
  return TRUE;
}

gboolean
aq_report_xlsx_stream_finish (AqReportXlsxStream  *self,
                              AqReportResult      *header,
                              GError             **error)
{
  lxw_error code;

  g_return_val_if_fail (self != NULL && self->file != NULL, FALSE);

  if (!self->begun && !stream_begin (self, header, error))
    return FALSE;
  stream_sheet_close (self);
  code = workbook_close (g_steal_pointer (&self->workbook));
  if (!_aq_xlsx_fail (code, "close", error))
    return FALSE;
  return aq_export_file_commit (self->file, error);
}

guint64
aq_report_xlsx_stream_get_n_rows (AqReportXlsxStream *self)
{
  return self->n_rows;
}

void
aq_report_xlsx_stream_free (AqReportXlsxStream *self)
{
  if (self == NULL)
    return;
  /* An unfinished workbook is dropped, not closed: closing would compress everything written
   * so far only to delete it. Each sheet's rows wait in an unlinked temporary file, which
   * the library does not close when freeing. */
  if (self->workbook)
    {
      for (guint i = 0; i < self->sheets->len; i++)
        {
          lxw_worksheet *sheet = self->sheets->pdata[i];

          if (sheet->optimize_tmpfile)
            fclose (sheet->optimize_tmpfile);
          sheet->optimize_tmpfile = NULL;
          sheet->file = NULL;
        }
      lxw_workbook_free (self->workbook);
    }
  g_ptr_array_unref (self->sheets);
  aq_export_file_free (self->file);
  g_hash_table_unref (self->styles);
  g_array_unref (self->widths);
  g_free (self->title);
  g_free (self->first_sheet);
  g_free (self->kinds);
  g_free (self->formats);
  g_free (self);
}

/* ---- lists held in memory, and run from a spec ---- */

/* A list result held in memory goes through the streaming writer, cell by cell as text. */
gboolean
_aq_xlsx_write_list_result (AqReportResult  *result,
                            const char      *path,
                            GError         **error)
{
  g_autoptr(AqReportXlsxStream) stream = aq_report_xlsx_stream_new (path, error);
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_full (n_dims + n_cols, g_free);

  if (stream == NULL)
    return FALSE;
  for (guint row = 0; row < aq_report_result_get_n_rows (result); row++)
    {
      g_ptr_array_set_size (cells, 0);
      for (guint dim = 0; dim < n_dims; dim++)
        g_ptr_array_add (cells, g_strdup (aq_report_result_get_row_label (result, row, dim)));
      for (guint col = 0; col < n_cols; col++)
        {
          double value;
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          g_ptr_array_add (cells, aq_report_result_get_cell (result, row, col, &value)
                                  ? g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value))
                                  : NULL);
        }
      if (!aq_report_xlsx_stream_add_row (result, row, (const char * const *) cells->pdata,
                                          stream, error))
        return FALSE;
    }
  return aq_report_xlsx_stream_finish (stream, result, error);
}

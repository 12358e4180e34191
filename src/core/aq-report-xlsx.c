/* aq-report-xlsx.c — a report as an Excel workbook that looks like the screen
 *
 * Layout of a sheet, top to bottom: the title, one line per parameter, a blank row, the
 * header block (one row per column-dimension level plus the value row; equal neighbouring
 * labels merged across, a subtotal column's label merged down over its rolled-up levels,
 * the row-dimension labels merged down over the whole block), then the rows. Panes freeze
 * below the header and right of the row dimensions; the autofilter sits on the last header
 * row. Pivots are small and written in libxlsxwriter's normal mode (shared strings); lists
 * are streamed in constant-memory mode, where rows must come strictly in order — so widths,
 * filter and panes, which libxlsxwriter keeps aside until it closes the file, are set last.
 */
#include "config.h"

#include "aq-report-xlsx.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "aq-error.h"
#include "aq-export-file.h"
#include "aq-report-export.h"

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

/* ---- auxiliary methods ---- */

static gboolean
lxw_fail (lxw_error    code,
          const char  *what,
          GError     **error)
{
  if (code == LXW_NO_ERROR)
    return TRUE;
  g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write the Excel file (%s): %s"),
               what, lxw_strerror (code));
  return FALSE;
}

/* One lxw_format per combination in use: libxlsxwriter keeps every format it is given. */
static lxw_format *
style_get (lxw_workbook *workbook,
           GHashTable   *cache,
           StyleKind     kind,
           const char   *num_format,
           guint32       fill,
           guint         indent)
{
  g_autofree char *key = g_strdup_printf ("%d|%s|%x|%u", kind, num_format ? num_format : "",
                                          fill, indent);
  lxw_format *format = g_hash_table_lookup (cache, key);

  if (format)
    return format;
  format = workbook_add_format (workbook);
  switch (kind)
    {
    case STYLE_TITLE:
      format_set_bold (format);
      format_set_font_size (format, 14);
      break;
    case STYLE_PARAM:
      format_set_font_color (format, COLOR_PARAM);
      break;
    case STYLE_HEADER:
      format_set_bold (format);
      format_set_align (format, LXW_ALIGN_CENTER);
      format_set_align (format, LXW_ALIGN_VERTICAL_CENTER);
      format_set_text_wrap (format);
      format_set_border (format, LXW_BORDER_THIN);
      format_set_border_color (format, 0xA6A6A6);
      if (fill == NO_FILL)
        fill = COLOR_HEADER;
      break;
    case STYLE_SUBTOTAL:
      format_set_bold (format);
      if (fill == NO_FILL)
        fill = COLOR_SUBTOTAL;
      break;
    case STYLE_TOTAL:
      format_set_bold (format);
      format_set_top (format, LXW_BORDER_THIN);
      if (fill == NO_FILL)
        fill = COLOR_TOTAL;
      break;
    case STYLE_CELL:
      break;
    }
  if (num_format && *num_format)
    format_set_num_format (format, num_format);
  if (fill != NO_FILL)
    {
      format_set_pattern (format, LXW_PATTERN_SOLID);
      format_set_bg_color (format, fill);
    }
  if (indent > 0)
    format_set_indent (format, (uint8_t) MIN (indent, 15));
  g_hash_table_insert (cache, g_steal_pointer (&key), format);
  return format;
}

/* A cell holds at most 32,767 characters; a longer text (a work order's whole history) is cut
 * there rather than failing the export. */
static lxw_error
write_string (lxw_worksheet *sheet,
              lxw_row_t      row,
              lxw_col_t      col,
              const char    *text,
              lxw_format    *format)
{
  if (G_UNLIKELY (strlen (text) > MAX_CELL_CHARS) && g_utf8_strlen (text, -1) > MAX_CELL_CHARS)
    {
      g_autofree char *cut = g_strndup (text, g_utf8_offset_to_pointer (text, MAX_CELL_CHARS)
                                              - text);
      return worksheet_write_string (sheet, row, col, cut, format);
    }
  return worksheet_write_string (sheet, row, col, text, format);
}

static guint32
parse_color (const char *text)
{
  guint64 rgb;
  char *end = NULL;

  if (text == NULL || text[0] != '#' || strlen (text) != 7)
    return NO_FILL;
  rgb = g_ascii_strtoull (text + 1, &end, 16);
  return end && *end == '\0' ? (guint32) rgb : NO_FILL;
}

/* Excel refuses some characters in sheet names and more than 31 characters. */
static char *
sheet_name (const char *title,
            guint       number)
{
  g_autofree char *suffix = number > 1 ? g_strdup_printf (" (%u)", number) : g_strdup ("");
  GString *name = g_string_new (NULL);
  glong room = 31 - (glong) strlen (suffix);
  glong n = 0;

  for (const char *p = title ? title : ""; *p && n < room; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (strchr ("[]:*?/\\", (int) c) && c < 0x80)
        c = '_';
      g_string_append_unichar (name, c);
    }
  while (name->len > 0 && (name->str[0] == '\'' || name->str[0] == ' '))
    g_string_erase (name, 0, 1);
  while (name->len > 0 && (name->str[name->len - 1] == '\'' || name->str[name->len - 1] == ' '))
    g_string_truncate (name, name->len - 1);
  if (name->len == 0)
    g_string_append (name, C_("export", "Report"));
  g_string_append (name, suffix);
  return g_string_free (name, FALSE);
}

static void
grow (GArray *widths,
      guint   col,
      guint   width)
{
  if (col >= widths->len)
    g_array_set_size (widths, col + 1);
  if (g_array_index (widths, guint, col) < width)
    g_array_index (widths, guint, col) = width;
}

static void
apply_widths (lxw_worksheet *sheet,
              GArray        *widths)
{
  for (guint col = 0; col < widths->len; col++)
    {
      guint width = g_array_index (widths, guint, col) + 2;

      worksheet_set_column (sheet, col, col, CLAMP (width, MIN_WIDTH, MAX_WIDTH), NULL);
    }
}

/* Printed: landscape A4, as wide as one page, the header repeated on every page. Account
 * and meter numbers are text on purpose (leading zeros, no rounding): no green "number stored
 * as text" triangle on each of them. */
static void
set_sheet_options (lxw_worksheet *sheet,
                   lxw_row_t      header_first,
                   lxw_row_t      header_last)
{
  worksheet_ignore_errors (sheet, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
  worksheet_set_landscape (sheet);
  worksheet_set_paper (sheet, 9);
  worksheet_fit_to_pages (sheet, 1, 0);
  worksheet_repeat_rows (sheet, header_first, header_last);
}

/* The title and the parameter lines; returns the row after the blank line under them. */
static lxw_row_t
write_title_block (lxw_workbook        *workbook,
                   lxw_worksheet       *sheet,
                   GHashTable          *styles,
                   const char          *title,
                   const char * const  *lines,
                   const char          *note)
{
  lxw_row_t row = 0;

  write_string (sheet, row++, 0, title && *title ? title : C_("export", "Report"),
                style_get (workbook, styles, STYLE_TITLE, NULL, NO_FILL, 0));
  for (guint i = 0; lines && lines[i]; i++)
    write_string (sheet, row++, 0, lines[i],
                  style_get (workbook, styles, STYLE_PARAM, NULL, NO_FILL, 0));
  if (note)
    write_string (sheet, row++, 0, note,
                  style_get (workbook, styles, STYLE_PARAM, NULL, NO_FILL, 0));
  return row + 1;
}

static lxw_workbook *
workbook_open (const char  *temp_path,
               const char  *title,
               gboolean     constant_memory,
               GError     **error)
{
  lxw_workbook_options options = { .constant_memory = constant_memory, .tmpdir = NULL,
                                   .use_zip64 = constant_memory };
  lxw_doc_properties properties = { .title = (char *) title, .author = (char *) "Aqueduct",
                                    .comments = (char *) "Aqueduct report export" };
  lxw_workbook *workbook = workbook_new_opt (temp_path, &options);

  if (workbook == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot create the Excel file “%s”"),
                   temp_path);
      return NULL;
    }
  workbook_set_properties (workbook, &properties);
  return workbook;
}

/* ---- pivots (and lists held in memory) ---- */

typedef struct
{
  AqReportResult *result;
  lxw_workbook   *workbook;
  lxw_worksheet  *sheet;
  GHashTable     *styles;
  GArray         *widths;
  guint           n_dims;
  guint           n_cols;
  guint           n_levels;
} Pivot;

/* How far a header label reaches down: over the levels below it that are NULL. */
static guint
header_depth (Pivot *p,
              guint  col,
              guint  level)
{
  guint depth = 1;

  while (level + depth < p->n_levels
         && aq_report_result_get_column_header (p->result, col, level + depth) == NULL)
    depth++;
  return depth;
}

static gboolean
same_header (Pivot *p,
             guint  a,
             guint  b,
             guint  level)
{
  for (guint l = 0; l <= level; l++)
    if (g_strcmp0 (aq_report_result_get_column_header (p->result, a, l),
                   aq_report_result_get_column_header (p->result, b, l)) != 0)
      return FALSE;
  return header_depth (p, a, level) == header_depth (p, b, level);
}

static gboolean
write_header (Pivot      *p,
              lxw_row_t   top,
              GError    **error)
{
  lxw_format *format = style_get (p->workbook, p->styles, STYLE_HEADER, NULL, NO_FILL, 0);
  lxw_row_t bottom = top + p->n_levels - 1;
  lxw_error code = LXW_NO_ERROR;

  for (guint dim = 0; dim < p->n_dims && code == LXW_NO_ERROR; dim++)
    {
      const char *label = aq_report_result_get_row_dim_label (p->result, dim);

      grow (p->widths, dim, aq_export_display_width (label) + 1);
      if (bottom > top)
        code = worksheet_merge_range (p->sheet, top, dim, bottom, dim, label ? label : "",
                                      format);
      else
        code = write_string (p->sheet, top, dim, label ? label : "", format);
    }
  for (guint level = 0; level < p->n_levels && code == LXW_NO_ERROR; level++)
    {
      guint col = 0;

      while (col < p->n_cols && code == LXW_NO_ERROR)
        {
          const char *label = aq_report_result_get_column_header (p->result, col, level);
          guint span = 1, depth;
          lxw_col_t first = p->n_dims + col;

          if (label == NULL)
            {
              /* covered by the label above it */
              col++;
              continue;
            }
          depth = header_depth (p, col, level);
          while (col + span < p->n_cols && same_header (p, col, col + span, level))
            span++;
          if (span > 1 || depth > 1)
            code = worksheet_merge_range (p->sheet, top + level, first, top + level + depth - 1,
                                          first + span - 1, label, format);
          else
            code = write_string (p->sheet, top + level, first, label, format);
          for (guint i = 0; i < span; i++)
            grow (p->widths, first + i, (aq_export_display_width (label) + 1 + span - 1) / span);
          col += span;
        }
    }
  return lxw_fail (code, "header", error);
}

static gboolean
write_pivot_row (Pivot      *p,
                 guint       row,
                 lxw_row_t   at,
                 GError    **error)
{
  AqReportRowKind kind = aq_report_result_get_row_kind (p->result, row);
  guint level = aq_report_result_get_row_level (p->result, row);
  StyleKind row_style = kind == AQ_REPORT_ROW_TOTAL ? STYLE_TOTAL
                        : kind == AQ_REPORT_ROW_SUBTOTAL ? STYLE_SUBTOTAL : STYLE_CELL;
  lxw_error code = LXW_NO_ERROR;

  for (guint dim = 0; dim < p->n_dims && code == LXW_NO_ERROR; dim++)
    {
      const char *label = aq_report_result_get_row_label (p->result, row, dim);
      guint indent = 0;

      /* The first rolled-up dimension names the row: "Subtotal" under it, "Total" in the
       * first column; the label is indented by its level. */
      if (label == NULL && kind == AQ_REPORT_ROW_TOTAL && dim == 0)
        label = C_("export", "Total");
      else if (label == NULL && kind == AQ_REPORT_ROW_SUBTOTAL && dim == level)
        {
          label = C_("export", "Subtotal");
          indent = level;
        }
      if (label)
        {
          code = write_string (p->sheet, at, dim, label,
                               style_get (p->workbook, p->styles, row_style, NULL, NO_FILL,
                                          indent));
          grow (p->widths, dim, aq_export_display_width (label) + indent * 2
                + (row_style != STYLE_CELL));
        }
      else if (row_style != STYLE_CELL)
        code = worksheet_write_blank (p->sheet, at, dim,
                                      style_get (p->workbook, p->styles, row_style, NULL,
                                                 NO_FILL, 0));
    }
  for (guint col = 0; col < p->n_cols && code == LXW_NO_ERROR; col++)
    {
      const char *num_format = aq_report_result_get_column_format (p->result, col);
      guint32 fill = parse_color (aq_report_result_get_cell_color (p->result, row, col));
      AqReportColumnKind column_kind = aq_report_result_get_column_kind (p->result, col);
      StyleKind style = row_style;
      lxw_format *format;
      double value;

      /* Subtotal and total columns are shaded as subtotal rows are, bold only for totals. */
      if (style == STYLE_CELL && column_kind == AQ_REPORT_COLUMN_TOTAL)
        style = STYLE_SUBTOTAL;
      else if (style == STYLE_CELL && column_kind == AQ_REPORT_COLUMN_SUBTOTAL
               && fill == NO_FILL)
        fill = COLOR_SUBTOTAL;
      format = style_get (p->workbook, p->styles, style, num_format, fill, 0);
      if (aq_report_result_get_cell (p->result, row, col, &value))
        {
          const char *text = aq_report_result_get_cell_text (p->result, row, col);

          code = worksheet_write_number (p->sheet, at, p->n_dims + col, value, format);
          grow (p->widths, p->n_dims + col, aq_export_display_width (text) + 1);
        }
      else if (format != NULL && (style != STYLE_CELL || fill != NO_FILL))
        code = worksheet_write_blank (p->sheet, at, p->n_dims + col, format);
    }
  return lxw_fail (code, "row", error);
}

static gboolean
write_pivot (AqReportResult  *result,
             lxw_workbook    *workbook,
             GError         **error)
{
  g_autoptr(GHashTable) styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autofree char *name = sheet_name (aq_report_result_get_title (result), 1);
  Pivot p = {
    result, workbook, NULL, styles, widths,
    aq_report_result_get_n_row_dims (result),
    aq_report_result_get_n_columns (result),
    MAX (aq_report_result_get_n_header_levels (result), 1),
  };
  guint n_rows = aq_report_result_get_n_rows (result);
  lxw_row_t top, first;

  p.sheet = workbook_add_worksheet (workbook, name);
  if (p.sheet == NULL)
    p.sheet = workbook_add_worksheet (workbook, NULL);
  top = write_title_block (workbook, p.sheet, styles, aq_report_result_get_title (result),
                           aq_report_result_get_parameter_lines (result), NULL);
  first = top + p.n_levels;
  if (p.n_dims + p.n_cols > LXW_COL_MAX || (guint64) first + n_rows > LXW_ROW_MAX)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The report has %u rows and %u columns, more than an Excel sheet holds"),
                   n_rows, p.n_dims + p.n_cols);
      return FALSE;
    }
  if (!write_header (&p, top, error))
    return FALSE;
  for (guint row = 0; row < n_rows; row++)
    if (!write_pivot_row (&p, row, first + row, error))
      return FALSE;
  if (p.n_dims + p.n_cols > 0)
    {
      worksheet_freeze_panes (p.sheet, first, p.n_dims);
      set_sheet_options (p.sheet, top, first - 1);
      worksheet_autofilter (p.sheet, first - 1, 0, first - 1 + n_rows, p.n_dims + p.n_cols - 1);
    }
  apply_widths (p.sheet, widths);
  return TRUE;
}

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
  set_sheet_options (self->sheet, self->first_row - 1, self->first_row - 1);
  worksheet_autofilter (self->sheet, self->first_row - 1, 0,
                        self->first_row - 1 + (lxw_row_t) self->sheet_rows, n - 1);
  apply_widths (self->sheet, self->widths);
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
  name = sheet_name (self->title, self->sheet_number);
  self->sheet = workbook_add_worksheet (self->workbook, name);
  if (self->sheet == NULL)
    self->sheet = workbook_add_worksheet (self->workbook, NULL);
  if (self->sheet == NULL)
    return lxw_fail (LXW_ERROR_MEMORY_MALLOC_FAILED, "sheet", error);
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
  row = write_title_block (self->workbook, self->sheet, self->styles, self->title,
                           aq_report_result_get_parameter_lines (header), note);
  format = style_get (self->workbook, self->styles, STYLE_HEADER, NULL, NO_FILL, 0);
  for (guint col = 0; col < self->n_dims + self->n_cols; col++)
    {
      const char *label = list_header (header, self->n_dims, col);
      lxw_error code = write_string (self->sheet, row, col, label ? label : "", format);

      if (code != LXW_NO_ERROR)
        return lxw_fail (code, "header", error);
      grow (self->widths, col, aq_export_display_width (label) + 2);
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
  self->workbook = workbook_open (aq_export_file_get_temp_path (self->file), self->title, TRUE,
                                  error);
  if (self->workbook == NULL)
    return FALSE;
  self->kinds = g_new0 (ColumnKind, self->n_dims + self->n_cols);
  self->formats = g_new0 (lxw_format *, self->n_dims + self->n_cols);
  for (guint col = 0; col < self->n_cols; col++)
    {
      self->kinds[self->n_dims + col] = KIND_NUMBER;
      self->formats[self->n_dims + col] =
        style_get (self->workbook, self->styles, STYLE_CELL,
                   aq_report_result_get_column_format (header, col), NO_FILL, 0);
    }
  self->date_format = style_get (self->workbook, self->styles, STYLE_CELL, "yyyy-mm-dd",
                                 NO_FILL, 0);
  self->timestamp_format = style_get (self->workbook, self->styles, STYLE_CELL,
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
  return write_string (self->sheet, self->row, col, text, NULL);
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
      g_autofree char *next = sheet_name (self->title, self->sheet_number + 1);
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
                 : write_string (self->sheet, self->row, col, text, NULL);
        }
      else
        code = write_text_cell (self, col, text);
      if (code != LXW_NO_ERROR)
        return lxw_fail (code, "row", error);
      if (self->sheet_rows < WIDTH_SAMPLE)
        grow (self->widths, col, self->kinds[col] == KIND_DATE ? 10
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
  if (!lxw_fail (code, "close", error))
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

/* ---- public ---- */

/* A list result held in memory goes through the streaming writer, cell by cell as text. */
static gboolean
write_list_result (AqReportResult  *result,
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

gboolean
aq_report_write_xlsx (AqReportResult  *result,
                      const char      *path,
                      GError         **error)
{
  g_autoptr(AqExportFile) file = NULL;
  lxw_workbook *workbook;
  lxw_error code;

  g_return_val_if_fail (AQ_IS_REPORT_RESULT (result), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (aq_report_result_get_kind (result) == AQ_REPORT_KIND_LIST)
    return write_list_result (result, path, error);
  file = aq_export_file_new (path, error);
  if (file == NULL)
    return FALSE;
  workbook = workbook_open (aq_export_file_get_temp_path (file),
                            aq_report_result_get_title (result), FALSE, error);
  if (workbook == NULL)
    return FALSE;
  if (!write_pivot (result, workbook, error))
    {
      workbook_close (workbook);
      return FALSE;
    }
  code = workbook_close (workbook);
  if (!lxw_fail (code, "close", error))
    return FALSE;
  return aq_export_file_commit (file, error);
}

gboolean
aq_report_write_xlsx_list (AqDb          *db,
                           AqCatalog     *catalog,
                           AqReportSpec  *spec,
                           GHashTable    *params,
                           const char    *path,
                           guint64       *n_rows,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  return aq_report_export_list (db, catalog, spec, params, path, NULL, n_rows, cancellable,
                                error);
}

/* aq-report-xlsx.c — a report as an Excel workbook that looks like the screen
 *
 * Layout of a sheet, top to bottom: the title, one line per parameter, a blank row, the
 * header block (one row per column-dimension level plus the value row; equal neighbouring
 * labels merged across, a subtotal column's label merged down over its rolled-up levels,
 * the row-dimension labels merged down over the whole block), then the rows. Panes freeze
 * below the header and right of the row dimensions; the autofilter sits on the last header
 * row. Pivots are small and written in libxlsxwriter's normal mode (shared strings); lists
 * are streamed in constant-memory mode (aq-report-xlsx-stream.c). The helpers here serve both.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-xlsx-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-export-file.h"

/* ---- auxiliary methods ---- */

gboolean
_aq_xlsx_fail (lxw_error    code,
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
lxw_format *
_aq_xlsx_style (lxw_workbook *workbook,
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
lxw_error
_aq_xlsx_write_string (lxw_worksheet *sheet,
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
char *
_aq_xlsx_sheet_name (const char *title,
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

void
_aq_xlsx_grow (GArray *widths,
               guint   col,
               guint   width)
{
  if (col >= widths->len)
    g_array_set_size (widths, col + 1);
  if (g_array_index (widths, guint, col) < width)
    g_array_index (widths, guint, col) = width;
}

/* Header text is bold, and bold glyphs are about a fifth wider. */
guint
_aq_xlsx_header_width (const char *label)
{
  return aq_export_display_width (label) * 6 / 5 + 1;
}

void
_aq_xlsx_apply_widths (lxw_worksheet *sheet,
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
void
_aq_xlsx_sheet_options (lxw_worksheet *sheet,
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
lxw_row_t
_aq_xlsx_title_block (lxw_workbook        *workbook,
                      lxw_worksheet       *sheet,
                      GHashTable          *styles,
                      const char          *title,
                      const char * const  *lines,
                      const char          *note)
{
  lxw_row_t row = 0;

  _aq_xlsx_write_string (sheet, row++, 0, title && *title ? title : C_("export", "Report"),
                         _aq_xlsx_style (workbook, styles, STYLE_TITLE, NULL, NO_FILL, 0));
  for (guint i = 0; lines && lines[i]; i++)
    _aq_xlsx_write_string (sheet, row++, 0, lines[i],
                           _aq_xlsx_style (workbook, styles, STYLE_PARAM, NULL, NO_FILL, 0));
  if (note)
    _aq_xlsx_write_string (sheet, row++, 0, note,
                           _aq_xlsx_style (workbook, styles, STYLE_PARAM, NULL, NO_FILL, 0));
  return row + 1;
}

lxw_workbook *
_aq_xlsx_workbook_open (const char  *temp_path,
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
  lxw_format *format = _aq_xlsx_style (p->workbook, p->styles, STYLE_HEADER, NULL, NO_FILL, 0);
  lxw_row_t bottom = top + p->n_levels - 1;
  lxw_error code = LXW_NO_ERROR;

  for (guint dim = 0; dim < p->n_dims && code == LXW_NO_ERROR; dim++)
    {
      const char *label = aq_report_result_get_row_dim_label (p->result, dim);

      _aq_xlsx_grow (p->widths, dim, _aq_xlsx_header_width (label));
      if (bottom > top)
        code = worksheet_merge_range (p->sheet, top, dim, bottom, dim, label ? label : "",
                                      format);
      else
        code = _aq_xlsx_write_string (p->sheet, top, dim, label ? label : "", format);
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
            code = _aq_xlsx_write_string (p->sheet, top + level, first, label, format);
          for (guint i = 0; i < span; i++)
            _aq_xlsx_grow (p->widths, first + i,
                           (_aq_xlsx_header_width (label) + span - 1) / span);
          col += span;
        }
    }
  return _aq_xlsx_fail (code, "header", error);
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
          lxw_format *format = _aq_xlsx_style (p->workbook, p->styles, row_style, NULL,
                                               NO_FILL, indent);

          code = _aq_xlsx_write_string (p->sheet, at, dim, label, format);
          _aq_xlsx_grow (p->widths, dim, aq_export_display_width (label) + indent * 2
                         + (row_style != STYLE_CELL));
        }
      else if (row_style != STYLE_CELL)
        code = worksheet_write_blank (p->sheet, at, dim,
                                      _aq_xlsx_style (p->workbook, p->styles, row_style, NULL,
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
      format = _aq_xlsx_style (p->workbook, p->styles, style, num_format, fill, 0);
      if (aq_report_result_get_cell (p->result, row, col, &value))
        {
          const char *text = aq_report_result_get_cell_text (p->result, row, col);

          code = worksheet_write_number (p->sheet, at, p->n_dims + col, value, format);
          _aq_xlsx_grow (p->widths, p->n_dims + col, aq_export_display_width (text) + 1);
        }
      else if (format != NULL && (style != STYLE_CELL || fill != NO_FILL))
        code = worksheet_write_blank (p->sheet, at, p->n_dims + col, format);
    }
  return _aq_xlsx_fail (code, "row", error);
}

static gboolean
write_pivot (AqReportResult  *result,
             lxw_workbook    *workbook,
             GError         **error)
{
  g_autoptr(GHashTable) styles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) widths = g_array_new (FALSE, TRUE, sizeof (guint));
  g_autofree char *name = _aq_xlsx_sheet_name (aq_report_result_get_title (result), 1);
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
  top = _aq_xlsx_title_block (workbook, p.sheet, styles, aq_report_result_get_title (result),
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
      _aq_xlsx_sheet_options (p.sheet, top, first - 1);
      worksheet_autofilter (p.sheet, first - 1, 0, first - 1 + n_rows, p.n_dims + p.n_cols - 1);
    }
  _aq_xlsx_apply_widths (p.sheet, widths);
  return TRUE;
}

/* ---- public ---- */

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
    return _aq_xlsx_write_list_result (result, path, error);
  file = aq_export_file_new (path, error);
  if (file == NULL)
    return FALSE;
  workbook = _aq_xlsx_workbook_open (aq_export_file_get_temp_path (file),
                                     aq_report_result_get_title (result), FALSE, error);
  if (workbook == NULL)
    return FALSE;
  if (!write_pivot (result, workbook, error))
    {
      workbook_close (workbook);
      return FALSE;
    }
  code = workbook_close (workbook);
  if (!_aq_xlsx_fail (code, "close", error))
    return FALSE;
  return aq_export_file_commit (file, error);
}

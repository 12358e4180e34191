/* aq-report-csv.c — a report as CSV (RFC 4180, UTF-8 with BOM, CRLF)
 *
 * Excel guesses a CSV's encoding from a byte-order mark and reads anything else in the
 * system's ANSI code page, which turns Chinese into mojibake; the BOM costs three bytes.
 * A text field starting with "=" or "@" would run as a formula when the file is opened in a
 * spreadsheet, so such a field gets a leading apostrophe (the usual defence against CSV
 * injection); numbers are never touched.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-csv.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "aq-error.h"
#include "aq-export-file.h"

struct _AqReportCsvStream
{
  AqExportFile *file;
  FILE         *out;
  guint64       n_rows;
  gboolean      begun;
};

/* ---- auxiliary methods ---- */

static void
put_field (FILE       *out,
           const char *text,
           gboolean    is_text,
           gboolean    first)
{
  gboolean guard = is_text && (text[0] == '=' || text[0] == '@');

  if (!first)
    putc (',', out);
  if (strpbrk (text, ",\"\r\n") == NULL && text[0] != ' '
      && (text[0] == '\0' || text[strlen (text) - 1] != ' '))
    {
      if (guard)
        putc ('\'', out);
      fputs (text, out);
      return;
    }
  putc ('"', out);
  if (guard)
    putc ('\'', out);
  for (const char *p = text; *p; p++)
    {
      if (*p == '"')
        putc ('"', out);
      putc (*p, out);
    }
  putc ('"', out);
}

static void
end_row (FILE *out)
{
  fputs ("\r\n", out);
}

/* The digits after the point a format shows ("#,##0.00" → 2), two more for a percentage. */
static int
format_decimals (const char *format)
{
  const char *point = format ? strchr (format, '.') : NULL;
  int decimals = 0;

  if (point)
    for (const char *p = point + 1; *p == '0' || *p == '#'; p++)
      decimals++;
  if (format && strchr (format, '%'))
    decimals += 2;
  return decimals;
}

static char *
format_value (double      value,
              const char *format)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  char conversion[16];
  int decimals = MIN (format_decimals (format), 10);

  /* no "-0.00" for a small negative that rounds to zero */
  if (fabs (value) * pow (10, decimals) < 0.5)
    value = 0;
  g_snprintf (conversion, sizeof conversion, "%%.%df", decimals);
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, conversion, value));
}

static FILE *
open_out (AqExportFile  *file,
          GError       **error)
{
  FILE *out = fopen (aq_export_file_get_temp_path (file), "wb");

  if (out == NULL)
    {
      int saved = errno;

      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write the export “%s”: %s"),
                   aq_export_file_get_path (file), g_strerror (saved));
      return NULL;
    }
  setvbuf (out, NULL, _IOFBF, 1 << 20);
  fputs ("\xEF\xBB\xBF", out);
  return out;
}

static gboolean
close_out (FILE          *out,
           AqExportFile  *file,
           GError       **error)
{
  gboolean failed = ferror (out) != 0;
  int saved = errno;

  if (fclose (out) != 0)
    {
      failed = TRUE;
      saved = errno;
    }
  if (failed)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write the export “%s”: %s"),
                   aq_export_file_get_path (file), g_strerror (saved));
      return FALSE;
    }
  return aq_export_file_commit (file, error);
}

/* One row per header level; the row dimensions' names on the last (the value names') row. */
static void
put_header (FILE           *out,
            AqReportResult *result,
            gboolean        list)
{
  guint n_dims = aq_report_result_get_n_row_dims (result);
  guint n_cols = aq_report_result_get_n_columns (result);
  guint levels = MAX (aq_report_result_get_n_header_levels (result), 1);
  guint first_level = list ? levels - 1 : 0;

  for (guint level = first_level; level < levels; level++)
    {
      for (guint dim = 0; dim < n_dims; dim++)
        {
          const char *label = level == levels - 1
                              ? aq_report_result_get_row_dim_label (result, dim) : NULL;
          put_field (out, label ? label : "", TRUE, dim == 0);
        }
      for (guint col = 0; col < n_cols; col++)
        {
          const char *label = aq_report_result_get_column_header (result, col, level);
          put_field (out, label ? label : "", TRUE, n_dims + col == 0);
        }
      end_row (out);
    }
}

/* ---- streams (lists) ---- */

AqReportCsvStream *
aq_report_csv_stream_new (const char  *path,
                          GError     **error)
{
  g_autoptr(AqExportFile) file = aq_export_file_new (path, error);
  AqReportCsvStream *self;
  FILE *out;

  if (file == NULL || (out = open_out (file, error)) == NULL)
    return NULL;
  self = g_new0 (AqReportCsvStream, 1);
  self->file = g_steal_pointer (&file);
  self->out = out;
  return self;
}

gboolean
aq_report_csv_stream_add_row (AqReportResult      *header,
                              guint64              row_index,
                              const char * const  *cells,
                              gpointer             stream,
                              GError             **error)
{
  AqReportCsvStream *self = stream;
  guint n_dims = aq_report_result_get_n_row_dims (header);
  guint n = n_dims + aq_report_result_get_n_columns (header);

  g_return_val_if_fail (self != NULL && self->out != NULL, FALSE);

  if (!self->begun)
    {
      put_header (self->out, header, TRUE);
      self->begun = TRUE;
    }
  for (guint col = 0; col < n; col++)
    put_field (self->out, cells[col] ? cells[col] : "", col < n_dims, col == 0);
  end_row (self->out);
  self->n_rows++;
  if (G_UNLIKELY (ferror (self->out)))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write the export “%s”: %s"),
                   aq_export_file_get_path (self->file), g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_report_csv_stream_finish (AqReportCsvStream  *self,
                             AqReportResult     *header,
                             GError            **error)
{
  FILE *out;

  g_return_val_if_fail (self != NULL && self->out != NULL, FALSE);

  if (!self->begun)
    put_header (self->out, header, TRUE);
  self->begun = TRUE;
  out = g_steal_pointer (&self->out);
  return close_out (out, self->file, error);
}

guint64
aq_report_csv_stream_get_n_rows (AqReportCsvStream *self)
{
  return self->n_rows;
}

void
aq_report_csv_stream_free (AqReportCsvStream *self)
{
  if (self == NULL)
    return;
  if (self->out)
    fclose (self->out);
  aq_export_file_free (self->file);
  g_free (self);
}

/* ---- results held in memory ---- */

gboolean
aq_report_write_csv (AqReportResult  *result,
                     const char      *path,
                     GError         **error)
{
  g_autoptr(AqExportFile) file = NULL;
  gboolean list;
  guint n_dims, n_cols;
  FILE *out;

  g_return_val_if_fail (AQ_IS_REPORT_RESULT (result), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  file = aq_export_file_new (path, error);
  if (file == NULL || (out = open_out (file, error)) == NULL)
    return FALSE;
  list = aq_report_result_get_kind (result) == AQ_REPORT_KIND_LIST;
  n_dims = aq_report_result_get_n_row_dims (result);
  n_cols = aq_report_result_get_n_columns (result);
  put_header (out, result, list);
  for (guint row = 0; row < aq_report_result_get_n_rows (result); row++)
    {
      AqReportRowKind kind = aq_report_result_get_row_kind (result, row);
      guint level = aq_report_result_get_row_level (result, row);

      for (guint dim = 0; dim < n_dims; dim++)
        {
          const char *label = aq_report_result_get_row_label (result, row, dim);

          /* labelled as the Excel export labels them */
          if (label == NULL && kind == AQ_REPORT_ROW_TOTAL && dim == 0)
            label = C_("export", "Total");
          else if (label == NULL && kind == AQ_REPORT_ROW_SUBTOTAL && dim == level)
            label = C_("export", "Subtotal");
          put_field (out, label ? label : "", TRUE, dim == 0);
        }
      for (guint col = 0; col < n_cols; col++)
        {
          double value;
          g_autofree char *text = NULL;

          char buffer[G_ASCII_DTOSTR_BUF_SIZE];

          /* a list's numbers are data, kept exact; a pivot's are shown as formatted */
          if (aq_report_result_get_cell (result, row, col, &value))
            text = list ? g_strdup (g_ascii_dtostr (buffer, sizeof buffer, value))
                        : format_value (value, aq_report_result_get_column_format (result,
                                                                                   col));
          put_field (out, text ? text : "", FALSE, n_dims + col == 0);
        }
      end_row (out);
    }
  return close_out (out, file, error);
}

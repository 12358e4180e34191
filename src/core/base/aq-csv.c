/* aq-csv.c — a table of text as CSV (for files) or as tab-separated text (for the clipboard)
 *
 * The CSV is RFC 4180 (a value a spreadsheet would run as a formula gets a leading ') (CRLF, fields quoted when they hold a comma, a quote or a line break)
 * and starts with a UTF-8 byte order mark: without it Excel, which is what the utility's staff
 * open exports in, reads Chinese text as the ANSI code page. Tab-separated text is what a
 * spreadsheet takes from the clipboard; it has no quoting, so tabs and line breaks inside a
 * value become spaces rather than new cells.
 */
#define G_LOG_DOMAIN "aq-csv"

#include "config.h"

#include "aq-csv.h"

#include <string.h>

/* ---- auxiliary methods ---- */

static void
append_csv_line (GString            *out,
                 const char * const *fields)
{
  for (guint i = 0; fields[i] != NULL; i++)
    aq_csv_append (out, fields[i], fields[i + 1] == NULL);
}

static void
append_tsv_line (GString            *out,
                 const char * const *fields)
{
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, '\t');
      for (const char *p = fields[i]; *p; p++)
        g_string_append_c (out, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
    }
  g_string_append_c (out, '\n');
}

/* ---- public API ---- */

/* Appends @value (nullable: empty) quoted when needed, then "," or, when @last, "\r\n". */
void
aq_csv_append (GString    *row,
               const char *value,
               gboolean    last)
{
  gboolean formula;

  if (value == NULL)
    value = "";
  /* a cell starting like a formula would be evaluated by Excel on opening the export */
  formula = value[0] != '\0' && strchr ("=+-@", value[0]) != NULL;
  if (strpbrk (value, ",\"\r\n") != NULL)
    {
      g_string_append_c (row, '"');
      if (formula)
        g_string_append_c (row, '\'');
      for (const char *p = value; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (row, '"');
          g_string_append_c (row, *p);
        }
      g_string_append_c (row, '"');
    }
  else
    {
      if (formula)
        g_string_append_c (row, '\'');
      g_string_append (row, value);
    }
  g_string_append (row, last ? "\r\n" : ",");
}

/**
 * aq_csv_format:
 * @header: the column titles, %NULL-terminated
 * @rows: (element-type GStrv): the rows, each %NULL-terminated like @header
 *
 * Returns: (transfer full): the CSV file's bytes, byte order mark included
 */
GBytes *
aq_csv_format (const char * const *header,
               GPtrArray          *rows)
{
  GString *out;

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (rows != NULL, NULL);

  out = g_string_new ("\xEF\xBB\xBF");
  append_csv_line (out, header);
  for (guint i = 0; i < rows->len; i++)
    append_csv_line (out, g_ptr_array_index (rows, i));
  return g_string_free_to_bytes (out);
}

/**
 * aq_tsv_format:
 * @header: the column titles, %NULL-terminated
 * @rows: (element-type GStrv): the rows
 *
 * Returns: (transfer full): one line per row after the header line, fields separated by tabs
 */
char *
aq_tsv_format (const char * const *header,
               GPtrArray          *rows)
{
  GString *out;

  g_return_val_if_fail (header != NULL, NULL);
  g_return_val_if_fail (rows != NULL, NULL);

  out = g_string_new (NULL);
  append_tsv_line (out, header);
  for (guint i = 0; i < rows->len; i++)
    append_tsv_line (out, g_ptr_array_index (rows, i));
  return g_string_free (out, FALSE);
}

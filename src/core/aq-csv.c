/* aq-csv.c — writing CSV fields as RFC 4180 and spreadsheets expect them */
#include "config.h"

#include "aq-csv.h"

#include <string.h>

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

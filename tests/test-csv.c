/* test-csv.c — CSV and tab-separated text: quoting, the byte order mark, what a cell may hold */
#include <glib.h>
#include <string.h>

#include "aq-csv.h"

static GPtrArray *
rows_new (void)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  const char *a[] = { "2026-10-01", "张*明", "12.50", NULL };
  const char *b[] = { "a,b", "say \"hi\"", "two\nlines", NULL };
  const char *c[] = { "", "tab\there", "x\r\ny", NULL };

  g_ptr_array_add (rows, g_strdupv ((char **) a));
  g_ptr_array_add (rows, g_strdupv ((char **) b));
  g_ptr_array_add (rows, g_strdupv ((char **) c));
  return rows;
}

static void
test_csv (void)
{
  const char *header[] = { "Period", "Name", "Amount", NULL };
  g_autoptr(GPtrArray) rows = rows_new ();
  g_autoptr(GPtrArray) empty = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = aq_csv_format (header, rows);
  g_autoptr(GBytes) only_header = aq_csv_format (header, empty);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autofree char *text = g_strndup (data, len);

  g_assert_cmpstr (text, ==,
                   "\xEF\xBB\xBF" "Period,Name,Amount\r\n"
                   "2026-10-01,张*明,12.50\r\n"
                   "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
                   ",tab\there,\"x\r\ny\"\r\n");
  g_assert_true (g_utf8_validate (data, len, NULL));
  g_assert_cmpuint (g_bytes_get_size (only_header), ==, 3 + strlen ("Period,Name,Amount\r\n"));
}

static void
test_tsv (void)
{
  const char *header[] = { "Period", "Name", "Amount", NULL };
  g_autoptr(GPtrArray) rows = rows_new ();
  g_autofree char *text = aq_tsv_format (header, rows);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  g_assert_cmpstr (text, ==,
                   "Period\tName\tAmount\n"
                   "2026-10-01\t张*明\t12.50\n"
                   "a,b\tsay \"hi\"\ttwo lines\n"
                   "\ttab here\tx  y\n");
  /* a header line, three rows, and the empty string after the last newline */
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      g_auto(GStrv) cells = g_strsplit (lines[i], "\t", -1);
      g_assert_cmpuint (g_strv_length (cells), ==, 3);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/csv/csv", test_csv);
  g_test_add_func ("/csv/tsv", test_tsv);
  return g_test_run ();
}

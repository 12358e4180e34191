/* test-cli-report-export.c — `aqueductctl report run … --xlsx OUT --csv OUT`, end to end: the
 * real binary against a small demo warehouse, the files read back; bad input fails with a
 * message naming what is wrong, a non-zero exit and no file written */
#include "config.h"

#include "aq-test-util.h"
#include "aq-test-xlsx.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static AqDb *db;
static char *conninfo;
static char *tmpdir;

static char *
out_path (const char *name)
{
  return g_build_filename (tmpdir, name, NULL);
}

static guint
count_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static void
clear_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
}

static AqTestXlsx *
open_xlsx_checked (const char *path)
{
  g_autoptr(GError) error = NULL;
  AqTestXlsx *xlsx = aq_test_xlsx_open (path, &error);

  g_assert_no_error (error);
  return xlsx;
}

/* ---- tests ---- */

/* A pivot into both files; the numbers in them agree with each other and with SQL. */
static void
test_pivot (void)
{
  g_autofree char *xlsx_path = out_path ("billing.xlsx");
  g_autofree char *csv_path = out_path ("billing.csv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *month = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                                     " FROM dm.cube_billing_monthly");
  g_autofree char *param = g_strdup_printf ("month=%s", month);
  g_autofree char *sql = g_strdup_printf ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly"
                                          " WHERE period = '%s-01'", month);
  g_autoptr(AqTestXlsx) xlsx = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  g_autoptr(GError) error = NULL;
  gint64 billed = aq_test_query_int64 (db, sql);
  GPtrArray *header, *total;
  const char *sheet;
  gboolean bom;
  int status;
  guint qty_col = G_MAXUINT, rows;

  clear_dir ();
  out = aq_test_ctl (&status, &err, "report", "run", "billing_by_district", "--param", param,
                     "--xlsx", xlsx_path, "--csv", csv_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, xlsx_path));
  g_assert_nonnull (strstr (out, csv_path));
  g_assert_cmpuint (count_files (), ==, 2);

  csv = aq_test_csv_read (csv_path, &bom, &error);
  g_assert_no_error (error);
  g_assert_true (bom);
  header = csv->pdata[0];
  for (guint i = 0; i < header->len; i++)
    if (strcmp (header->pdata[i], "Billed volume") == 0
        || strcmp (header->pdata[i], "售水量") == 0)
      qty_col = i;
  g_assert_cmpuint (qty_col, <, header->len);
  total = csv->pdata[csv->len - 1];
  g_assert_cmpstr (total->pdata[0], ==, "Total");
  g_assert_cmpint (g_ascii_strtoll (total->pdata[qty_col], NULL, 10), ==, billed);

  /* the workbook: the same table under the title block, the same total */
  xlsx = open_xlsx_checked (xlsx_path);
  sheet = aq_test_xlsx_sheet_name (xlsx, 0);
  g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, "A1"), ==, "售水量及收费月报");
  g_assert_nonnull (strstr (aq_test_xlsx_cell_text (xlsx, sheet, "A2"), month));
  rows = aq_test_xlsx_n_rows (xlsx, sheet);
  {
    g_autofree char *label = aq_test_xlsx_ref (rows - 1, 0);
    g_autofree char *qty = aq_test_xlsx_ref (rows - 1, qty_col);
    g_autofree char *head = aq_test_xlsx_ref (rows - csv->len, qty_col);

    g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, label), ==, "Total");
    g_assert_cmpfloat (aq_test_xlsx_cell_number (xlsx, sheet, qty), ==, (double) billed);
    g_assert_cmpstr (aq_test_xlsx_cell_format (xlsx, sheet, qty), ==, "#,##0");
    g_assert_cmpstr (aq_test_xlsx_cell_text (xlsx, sheet, head), ==, header->pdata[qty_col]);
    g_assert_true (aq_test_xlsx_cell_bold (xlsx, sheet, label));
  }
}

/* A list streamed into both files by one run; --json says what was written. */
static void
test_list_json (void)
{
  g_autofree char *xlsx_path = out_path ("arrears.xlsx");
  g_autofree char *csv_path = out_path ("arrears.csv");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(AqTestXlsx) xlsx = NULL;
  g_autoptr(GPtrArray) csv = NULL;
  g_autoptr(GError) error = NULL;
  gint64 expected = aq_test_query_int64 (db, "SELECT count(*) FROM dm.customer_profile"
                                             " WHERE arrears_amount > 0");
  guint64 rows = 0, cells = 0;
  gboolean bom;
  int status;

  clear_dir ();
  out = aq_test_ctl (&status, &err, "report", "run", "arrears_list", "--xlsx", xlsx_path,
                     "--csv", csv_path, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  answer = aq_test_parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "kind"), ==, "list");
  g_assert_cmpint (json_object_get_int_member (answer, "rows"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (answer, "xlsx"), ==, xlsx_path);
  g_assert_cmpstr (json_object_get_string_member (answer, "csv"), ==, csv_path);

  csv = aq_test_csv_read (csv_path, &bom, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (csv->len, ==, 1 + expected);
  xlsx = open_xlsx_checked (xlsx_path);
  g_assert_true (aq_test_xlsx_count (xlsx, aq_test_xlsx_sheet_name (xlsx, 0), &rows, &cells,
                                     &error));
  g_assert_no_error (error);
  /* title, the parameter lines, the header row, the rows */
  g_assert_cmpuint (rows, >=, 1 + 1 + (guint64) expected);
  g_assert_cmpuint (rows, <=, 1 + 3 + 1 + (guint64) expected);
}

/* Bad input: exit 2, a message naming the field, nothing written, an old file kept. */
static void
test_bad_input (void)
{
  g_autofree char *xlsx_path = out_path ("bad.xlsx");
  g_autofree char *csv_path = out_path ("bad.csv");
  g_autofree char *missing = g_build_filename (tmpdir, "no-such-dir", "x.xlsx", NULL);
  g_autofree char *spec_path = out_path ("broken.json");
  g_autofree char *kept = NULL;
  int status;

  clear_dir ();
  g_assert_true (g_file_set_contents (xlsx_path, "older export", -1, NULL));

  /* a parameter of the wrong type */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = aq_test_ctl (&status, &err, "report", "run", "zero_consumption",
                                        "--param",
                                        "n=six", "--xlsx", xlsx_path, "--csv", csv_path, NULL);

    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "“n”"));
  }
  /* an indicator cut by a dimension it does not allow, in a definition file */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = NULL;

    g_assert_true (g_file_set_contents (spec_path,
                                        "{\"name\": \"broken\", \"title\": \"x\", \"kind\": "
                                        "\"pivot\", \"rows\": [\"call_category\"], "
                                        "\"values\": [\"billed_qty\"]}", -1, NULL));
    out = aq_test_ctl (&status, &err, "report", "run", spec_path, "--csv", csv_path, NULL);
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "billed_qty"));
    g_assert_nonnull (strstr (err, "call_category"));
    g_unlink (spec_path);
  }
  /* a folder that does not exist */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = aq_test_ctl (&status, &err, "report", "run", "billing_by_district",
                                        "--xlsx", missing, NULL);

    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "x.xlsx"));
  }
  /* the same file twice */
  {
    g_autofree char *err = NULL;
    g_autofree char *out = aq_test_ctl (&status, &err, "report", "run", "billing_by_district",
                                        "--xlsx", csv_path, "--csv", csv_path, NULL);

    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "same file"));
  }
  /* nothing new, and the old export untouched */
  g_assert_cmpuint (count_files (), ==, 1);
  g_assert_true (g_file_get_contents (xlsx_path, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "older export");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  tmpdir = g_dir_make_tmp ("aq-cli-report-export-XXXXXX", &error);
  g_assert_no_error (error);
  db = aq_test_demo_db_new ("t_cli_report_export", 1000, 13);
  conninfo = g_strdup (aq_db_get_conninfo (db));
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

    aq_test_ctl_set_env (env);
  }

  g_test_add_func ("/cli-report-export/pivot", test_pivot);
  g_test_add_func ("/cli-report-export/list-json", test_list_json);
  g_test_add_func ("/cli-report-export/bad-input", test_bad_input);

  status = g_test_run ();
  clear_dir ();
  g_rmdir (tmpdir);
  g_free (tmpdir);
  g_free (conninfo);
  g_clear_object (&db);
  aq_test_drop_database ("t_cli_report_export");
  return status;
}

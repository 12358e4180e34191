/* test-cli-report.c — aqueductctl report list|show|run|catalog, end to end: the real binary
 * against a small demo warehouse, its answers against SQL and its exit codes on bad input */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static AqDb *db;
static char *conninfo;
static char *tmpdir;

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_list_and_show (void)
{
  int status = -1;
  g_autofree char *out = aq_test_ctl (&status, NULL, "report", "list", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *reports;
  guint standard = 0;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) shown = NULL;

  g_assert_cmpint (status, ==, 0);
  root = parse (out);
  reports = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (reports); i++)
    standard += json_object_get_boolean_member (json_array_get_object_element (reports, i),
                                                "standard");
  g_assert_cmpuint (standard, >=, 12);

  text = aq_test_ctl (&status, NULL, "report", "list", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "zero_consumption"));
  g_assert_nonnull (strstr (text, "连续N月0吨用户清单"));

  g_free (out);
  out = aq_test_ctl (&status, NULL, "report", "show", "zero_consumption", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  shown = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "kind"), ==,
                   "list");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (shown), "parameters")), ==, 3);
  g_free (out);
  out = aq_test_ctl (&status, NULL, "report", "show", "zero_consumption", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--param n="));
}

static void
test_run_json (void)
{
  int status = -1;
  g_autofree char *month = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                                     " FROM dm.cube_billing_monthly");
  g_autofree char *param = g_strdup_printf ("month=%s", month);
  g_autofree char *out = aq_test_ctl (&status, NULL, "report", "run", "billing_by_district",
                                      "--param", param, "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonArray *rows;
  JsonObject *total;
  g_autofree char *sql = g_strdup_printf ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly"
                                          " WHERE period = '%s-01'", month);

  g_assert_cmpint (status, ==, 0);
  root = parse (out);
  rows = json_object_get_array_member (json_node_get_object (root), "rows");
  total = json_array_get_object_element (rows, json_array_get_length (rows) - 1);
  g_assert_cmpstr (json_object_get_string_member (total, "kind"), ==, "total");
  g_assert_cmpint ((gint64) json_array_get_double_element (json_object_get_array_member (total, "values"), 1),
                   ==, aq_test_query_int64 (db, sql));
  g_assert_nonnull (strstr (json_array_get_string_element (json_object_get_array_member (
                                json_node_get_object (root), "parameters"), 0), month));
}

static void
test_run_text_and_file (void)
{
  int status = -1;
  g_autofree char *path = write_file ("calls.json",
    "{\"name\": \"calls\", \"title\": \"来电\", \"rows\": [\"call_category\"],"
    " \"values\": [\"calls\", \"answer_rate\"]}");
  g_autofree char *out = aq_test_ctl (&status, NULL, "report", "run", path, NULL);
  gint64 calls = aq_test_query_int64 (db, "SELECT sum(calls) FROM dm.cube_call_monthly");
  g_autofree char *grouped = NULL;

  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "来电\n"));
  /* the grand total with its thousands separator, as the catalog's format says */
  grouped = g_strdup_printf ("%" G_GINT64_FORMAT, calls);
  if (calls >= 1000)
    {
      g_autofree char *tail = g_strdup (grouped + strlen (grouped) - 3);
      grouped[strlen (grouped) - 3] = '\0';
      g_free (grouped);
      grouped = g_strdup_printf ("%" G_GINT64_FORMAT ",%s", calls / 1000, tail);
    }
  g_assert_nonnull (strstr (out, grouped));
}

static void
test_bad_input (void)
{
  int status = -1;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *cut = write_file ("cut.json", "{\"rows\": [\"channel\"], \"values\": [\"nrw_rate\"]}");
  g_autofree char *broken = write_file ("broken.json", "{\"rows\": [\"district\"], \"values\": [");
  g_autofree char *calc = write_file ("calc.json", "{\"rows\": [\"district\"],"
                                      " \"values\": [{\"id\": \"billed_qty\", \"calc\": \"avg\"}]}");
  gint64 reports = aq_test_query_int64 (db, "SELECT count(*) FROM meta.report");

  out = aq_test_ctl (&status, &err, "report", "run", "no_such_report", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no_such_report"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "run", "zero_consumption", "--param", "n=six", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "“n”"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "run", "zero_consumption", "--param",
                     "period=2024-1", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "“period”"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "run", "zero_consumption", "--param", "x=1", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "“x”"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "run", "zero_consumption", "--param", "n", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "NAME=VALUE"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "run", cut, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "rows[0]"));
  g_assert_nonnull (strstr (err, "nrw_rate"));
  g_assert_nonnull (strstr (err, "channel"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "run", broken, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "JSON"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  /* 100,000 nested brackets killed the reader (SIGSEGV); now they are refused unread */
  {
    g_autofree char *open = g_strnfill (100000, '[');
    g_autofree char *close = g_strnfill (100000, ']');
    g_autofree char *text = g_strconcat ("{\"rows\": ", open, close, "}", NULL);
    g_autofree char *deep = write_file ("deep.json", text);

    out = aq_test_ctl (&status, &err, "report", "run", deep, NULL);
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "deep.json: The JSON nests deeper than 128 levels"));
    g_assert_cmpstr (out, ==, "");
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }
  /* members of the wrong type: a message about the file, never a crash or a server error */
  {
    g_autofree char *type1 = write_file ("type1.json", "{\"type\":1}");

    out = aq_test_ctl (&status, &err, "report", "run", type1, NULL);
    g_test_message ("%s", err);
    g_assert_cmpint (status, ==, 2);
    g_assert_true (g_str_has_prefix (err, "aqueductctl: "));
    g_assert_null (strstr (err, "ERROR:"));
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&out, g_free);
  }

  out = aq_test_ctl (&status, &err, "report", "run", calc, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "values[0].calc"));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, &err, "report", "frobnicate", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.report"), ==, reports);
}

static void
test_catalog (void)
{
  int status = -1;
  g_autofree char *out = aq_test_ctl (&status, NULL, "report", "catalog", "--json", NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *found = NULL;

  g_assert_cmpint (status, ==, 0);
  root = parse (out);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (root),
                                                                         "indicators")), >=, 40);
  found = aq_test_ctl (&status, NULL, "report", "catalog", "--search", "产销差", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (found, "nrw_rate"));
  g_assert_null (strstr (found, "billed_qty "));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  db = aq_test_demo_db_new ("t_cli_report", 2000, 14);
  conninfo = g_strdup (aq_db_get_conninfo (db));
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, "LC_ALL", "C.UTF-8", NULL };

    aq_test_ctl_set_env (env);
  }
  tmpdir = g_dir_make_tmp ("aq-cli-report-XXXXXX", NULL);

  g_test_add_func ("/cli-report/list-show", test_list_and_show);
  g_test_add_func ("/cli-report/run-json", test_run_json);
  g_test_add_func ("/cli-report/run-text-file", test_run_text_and_file);
  g_test_add_func ("/cli-report/bad-input", test_bad_input);
  g_test_add_func ("/cli-report/catalog", test_catalog);
  ret = g_test_run ();
  {
    g_autoptr(GFile) dir = g_file_new_for_path (tmpdir);
    g_autoptr(GFileEnumerator) e = g_file_enumerate_children (dir, "standard::name", 0, NULL, NULL);
    GFileInfo *info;
    while (e && (info = g_file_enumerator_next_file (e, NULL, NULL)))
      {
        g_autofree char *p = g_build_filename (tmpdir, g_file_info_get_name (info), NULL);
        g_unlink (p);
        g_object_unref (info);
      }
    g_rmdir (tmpdir);
  }
  g_clear_object (&db);
  aq_test_drop_database ("t_cli_report");
  g_free (conninfo);
  g_free (tmpdir);
  return ret;
}

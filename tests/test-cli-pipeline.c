/* test-cli-pipeline.c — aqueductctl pipeline validate|run|list, end to end: the real binary
 * against the test warehouse */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static char *conninfo;
static char *data_dir;

static char *
write_file (const char *name,
            const char *contents)
{
  char *path = g_build_filename (data_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_validate_bad (void)
{
  g_autofree char *bad = write_file ("bad.json",
                                     "{\"name\": \"bad\", \"steps\": ["
                                     " {\"id\": \"in\", \"type\": \"table_input\","
                                     "  \"sql\": \"SELECT 1 AS a\"},"
                                     " {\"id\": \"f\", \"type\": \"filter\"}],"
                                     " \"edges\": [{\"from\": \"in\", \"to\": \"f\"}]}");
  g_autofree char *broken = write_file ("broken.json", "{\"name\": \"broken\", \"steps\": [");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;
  int status = -1;

  out = aq_test_ctl (&status, &err, "pipeline", "validate", bad, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "step “f”: filter needs “condition”"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "pipeline", "validate", bad, "--json", NULL);
  g_assert_cmpint (status, ==, 2);
  answer = aq_test_parse_object (out);
  g_assert_false (json_object_get_boolean_member (answer, "valid"));
  g_assert_cmpstr (json_object_get_string_member (answer, "error"), ==,
                   "step “f”: filter needs “condition”");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "pipeline", "validate", broken, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "broken.json: not valid JSON"));

  /* 100,000 nested brackets killed the reader (SIGSEGV); now they are refused unread */
  {
    g_autofree char *open = g_strnfill (100000, '[');
    g_autofree char *close = g_strnfill (100000, ']');
    g_autofree char *text = g_strconcat ("{\"name\": \"deep\", \"steps\": ", open, close, "}",
                                         NULL);
    g_autofree char *deep = write_file ("deep.json", text);

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    out = aq_test_ctl (&status, &err, "pipeline", "validate", deep, NULL);
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "deep.json: The JSON nests deeper than 128 levels"));
  }
  {
    g_autofree char *type1 = write_file ("type1.json", "{\"type\":1}");

    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    out = aq_test_ctl (&status, &err, "pipeline", "validate", type1, NULL);
    g_assert_cmpint (status, ==, 2);
    g_assert_nonnull (strstr (err, "the pipeline needs a “name”"));
  }

  /* running an invalid pipeline is refused the same way */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "pipeline", "run", bad, NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "step “f”: filter needs “condition”"));
}

static void
test_run_good (void)
{
  g_autofree char *csv = write_file ("meters.csv",
                                     "meter_no,reading\nM1,10\nM2,-3\nM3,7\nM4,0\n");
  g_autofree char *good = write_file ("good.json",
                                      "{\"name\": \"cli_meters\", \"steps\": ["
                                      " {\"id\": \"csv\", \"type\": \"csv_input\","
                                      "  \"path\": \"meters.csv\", \"columns\": ["
                                      "   {\"name\": \"meter_no\", \"type\": \"text\"},"
                                      "   {\"name\": \"reading\", \"type\": \"integer\"}]},"
                                      " {\"id\": \"valid\", \"type\": \"filter\","
                                      "  \"condition\": \"reading >= 0\"},"
                                      " {\"id\": \"out\", \"type\": \"table_output\","
                                      "  \"table\": \"ods.cli_meters\", \"create\": true}],"
                                      " \"edges\": [{\"from\": \"csv\", \"to\": \"valid\"},"
                                      "  {\"from\": \"valid\", \"to\": \"out\"}]}");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *steps;
  int status = -1;

  out = aq_test_ctl (&status, &err, "pipeline", "validate", good, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "is valid (checked against the warehouse)"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "pipeline", "run", good, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  answer = aq_test_parse_object (out);
  g_assert_cmpint (json_object_get_int_member (answer, "run_id"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (answer, "pipeline"), ==, "cli_meters");
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "succeeded");
  g_assert_cmpint (json_object_get_int_member (answer, "rows_written"), ==, 3);
  steps = json_object_get_array_member (answer, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, 3);
  {
    JsonObject *csv_step = json_array_get_object_element (steps, 0);
    JsonObject *valid = json_array_get_object_element (steps, 1);
    JsonObject *out_step = json_array_get_object_element (steps, 2);

    g_assert_cmpstr (json_object_get_string_member (csv_step, "id"), ==, "csv");
    g_assert_cmpint (json_object_get_int_member (csv_step, "rows_out"), ==, 4);
    g_assert_cmpstr (json_object_get_string_member (valid, "type"), ==, "filter");
    g_assert_cmpint (json_object_get_int_member (valid, "rows_in"), ==, 4);
    g_assert_cmpint (json_object_get_int_member (valid, "rows_out"), ==, 3);
    g_assert_cmpint (json_object_get_int_member (out_step, "rows_out"), ==, 3);
  }

  /* the table has them, and a second run fails cleanly on a bad file: exit 1, nothing added */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_free (write_file ("meters.csv", "meter_no,reading\nM5,1\nM6,x\n"));
  out = aq_test_ctl (&status, &err, "pipeline", "run", good, "--json", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "step “csv”: line 3 of meters.csv, column “reading”"));
  g_clear_pointer (&answer, json_object_unref);
  answer = aq_test_parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (answer, "status"), ==, "failed");
  g_assert_cmpint (json_object_get_int_member (answer, "rows_written"), ==, 0);
  {
    g_autoptr(AqDb) db = NULL;
    g_autoptr(GError) error = NULL;
    gint64 count = 0;

    db = aq_db_connect (conninfo, &error);
    g_assert_no_error (error);
    aq_db_query_int64 (db, "SELECT count(*) FROM ods.cli_meters", 0, NULL, &count, &error);
    g_assert_no_error (error);
    g_assert_cmpint (count, ==, 3);
  }
}

static void
test_list (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  int status = -1;

  out = aq_test_ctl (&status, &err, "pipeline", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, g_strv_length (names));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_db_new ("t_cli_pipeline", TRUE);
  conninfo = aq_test_conninfo ("t_cli_pipeline");
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

    aq_test_ctl_set_env (env);
  }
  data_dir = g_dir_make_tmp ("aq-cli-pipeline-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/cli/pipeline/validate-bad", test_validate_bad);
  g_test_add_func ("/cli/pipeline/run-good", test_run_good);
  g_test_add_func ("/cli/pipeline/list", test_list);
  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)))
      {
        g_autofree char *path = g_build_filename (data_dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (data_dir);
  }
  g_free (data_dir);
  g_free (conninfo);
  return status;
}

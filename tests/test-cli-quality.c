/* test-cli-quality.c — aqueductctl quality list|run|results|history|profile end to end: the
 * real binary against the test warehouse, its exit codes (1 when a fail rule fails, 2 bad
 * input, 3 unreachable) and --json */
#include "aq-test-util.h"

#include <stdarg.h>
#include <string.h>

static char *conninfo;
static AqDb *db;

static char *
ctl_env (const char  *url,
         int         *status,
         const char  *first,
         ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", url, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, NULL, first, args);
  va_end (args);
  return out;
}

#define ctl(status, ...) ctl_env (conninfo, status, __VA_ARGS__)

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
save (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  rule = aq_quality_rule_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                        "cli", &error);
  g_assert_no_error (error);
  g_assert_true (aq_quality_save_rule (db, rule, &error));
  g_assert_no_error (error);
}

static void
test_quality_commands (void)
{
  int status = -1;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o, *r;
  JsonArray *results;

  g_assert_true (aq_db_exec (db, "CREATE TABLE public.q (id int PRIMARY KEY, v int);"
                                 "INSERT INTO public.q VALUES (1, 5), (2, -1), (3, 7)", NULL));
  save ("{\"name\":\"c.ok\",\"layer\":\"public\",\"table\":\"q\",\"type\":\"not_null\","
        "\"dimension\":\"completeness\",\"severity\":\"fail\",\"args\":{\"column\":\"v\"}}");
  save ("{\"name\":\"c.bad\",\"layer\":\"public\",\"table\":\"q\",\"type\":\"range\","
        "\"dimension\":\"validity\",\"severity\":\"fail\",\"args\":{\"column\":\"v\",\"min\":0}}");
  save ("{\"name\":\"c.soft\",\"layer\":\"public\",\"table\":\"q\",\"type\":\"range\","
        "\"dimension\":\"validity\",\"severity\":\"warn\",\"args\":{\"column\":\"v\",\"max\":6}}");

  /* a passing rule: 0 */
  out = ctl (&status, "quality", "run", "c.ok", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "pass"));
  g_clear_pointer (&out, g_free);
  /* a failing warn rule: still 0 */
  out = ctl (&status, "quality", "run", "c.soft", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "warn"));
  g_clear_pointer (&out, g_free);

  /* a failing fail rule: 1, with the failing row as a sample */
  out = ctl (&status, "quality", "run", "c.ok", "c.bad", "--json", NULL);
  g_assert_cmpint (status, ==, 1);
  node = parse (out);
  o = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
  results = json_object_get_array_member (o, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 2);
  r = json_array_get_object_element (results, 0);
  g_assert_cmpstr (json_object_get_string_member (r, "rule"), ==, "c.bad");
  g_assert_cmpint (json_object_get_int_member (r, "failing"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (r, "checked"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (r, "samples"),
                                                    0), "key"), ==, "2");
  /* one scan answered both column rules */
  g_assert_cmpint (json_object_get_int_member (o, "scans"), ==, 2); /* scan + samples */
  g_clear_pointer (&out, g_free);

  /* the stored run reads back the same, and exits the same */
  {
    gint64 run_id = json_object_get_int_member (o, "run_id");
    g_autofree char *arg = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
    g_autoptr(JsonNode) back = NULL;

    out = ctl (&status, "quality", "results", "--json", NULL);
    g_assert_cmpint (status, ==, 1);
    back = parse (out);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (back), "run_id"), ==,
                     run_id);
    g_clear_pointer (&out, g_free);
    out = ctl (&status, "quality", "results", "--run", "1", NULL);
    g_assert_cmpint (status, ==, 0);
    g_clear_pointer (&out, g_free);
    (void) arg;
  }

  out = ctl (&status, "quality", "history", "c.bad", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&out, g_free);

  out = ctl (&status, "quality", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), >=, 63);
  g_clear_pointer (&out, g_free);

  out = ctl (&status, "quality", "profile", "public.q", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&node, json_node_unref);
  node = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "rows"), ==, 3);
  g_clear_pointer (&out, g_free);

  /* the words: a line per column, then the suggestions by name */
  out = ctl (&status, "quality", "profile", "public.q", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "public.q.id_unique (unique)"));
  g_assert_nonnull (strstr (out, "public.q.v_range (range)"));
  g_clear_pointer (&out, g_free);
}

static void
test_quality_exit_codes (void)
{
  int status = -1;
  g_autofree char *out = NULL;

  out = ctl (&status, "quality", "run", "no.such.rule", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, "quality", "profile", "public.nothing", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, "quality", "frobnicate", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, "quality", "history", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  out = ctl_env ("host=/nonexistent-aqueduct-test dbname=none connect_timeout=2", &status,
                 "quality", "list", NULL);
  g_assert_cmpint (status, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new ("t_cli_quality", TRUE);
  conninfo = aq_test_conninfo ("t_cli_quality");
  g_test_add_func ("/cli/quality/commands", test_quality_commands);
  g_test_add_func ("/cli/quality/exit-codes", test_quality_exit_codes);
  ret = g_test_run ();
  g_clear_object (&db);
  g_free (conninfo);
  return ret;
}

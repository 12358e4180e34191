/* test-cli-job.c — aqueductctl job add|list|run|history|enable|disable|remove, end to end: the
 * real binary against the test warehouse, with its exit codes and --json */
#include "aq-test-util.h"

#include <stdarg.h>
#include <string.h>

static char *conninfo;
static AqDb *db;

static char *
ctl (int         *status,
     char       **err,
     const char  *first,
     ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, err, first, args);
  va_end (args);
  return out;
}

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
test_job_commands (void)
{
  int status = -1;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) run = NULL;
  g_autoptr(JsonNode) history = NULL;
  JsonObject *o;

  aq_db_exec (db, "CREATE TABLE public.marks (n int)", NULL);

  out = ctl (&status, NULL, "job", "add", "mark", "--kind", "sql", "--target",
             "INSERT INTO public.marks VALUES (7)", "--schedule", "0 3 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, NULL, "job", "add", "after-mark", "--kind", "sql", "--target",
             "INSERT INTO public.marks VALUES (8)", "--after", "mark", "--retries", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);

  /* bad input: 2, with a message naming what is wrong */
  out = ctl (&status, &err, "job", "add", "bad", "--kind", "sql", "--target", "SELECT 1",
             "--schedule", "61 * * * *", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "minute"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl (&status, &err, "job", "run", "nobody", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl (&status, &err, "job", "frobnicate", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* run by hand: the work is done, the run recorded */
  out = ctl (&status, NULL, "job", "run", "mark", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  run = parse (out);
  o = json_node_get_object (run);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "succeeded");
  g_assert_cmpstr (json_object_get_string_member (o, "trigger"), ==, "hand");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM public.marks WHERE n = 7"), ==,
                   1);
  g_clear_pointer (&out, g_free);

  out = ctl (&status, NULL, "job", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  list = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 2);
  o = json_array_get_object_element (json_node_get_array (list), 1);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "mark");
  g_assert_cmpstr (json_object_get_string_member (o, "time_zone"), ==, "Asia/Shanghai");
  g_assert_nonnull (json_object_get_string_member (o, "next_run"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (o, "last_run"),
                                                  "status"), ==, "succeeded");
  o = json_array_get_object_element (json_node_get_array (list), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "after"), ==, "mark");
  g_assert_cmpint (json_object_get_int_member (o, "queued"), ==, 1);   /* chained, for the daemon */
  g_clear_pointer (&out, g_free);

  /* a failing job: exit 1, recorded failed with the warehouse's message */
  aq_db_exec (db, "UPDATE meta.job SET target = 'SELECT nope FROM public.marks'"
                  " WHERE name = 'mark'", NULL);
  out = ctl (&status, &err, "job", "run", "mark", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "nope"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = ctl (&status, NULL, "job", "history", "mark", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  history = parse (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (history)), ==, 2);
  o = json_array_get_object_element (json_node_get_array (history), 0);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "failed");
  g_clear_pointer (&out, g_free);

  /* disable cancels the queued chain run; a parent with a chain is not removed */
  out = ctl (&status, NULL, "job", "disable", "after-mark", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job_run"
                                            " WHERE status = 'cancelled'"), ==, 1);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "after-mark", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "disabled"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl (&status, &err, "job", "remove", "mark", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = ctl (&status, NULL, "job", "remove", "after-mark", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, NULL, "job", "remove", "mark", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.job"), ==, 0);
}

static char *
ctl_unreachable (int         *status,
                 char       **err,
                 const char  *first,
                 ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL",
                        "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, err, first, args);
  va_end (args);
  return out;
}

/* No warehouse: 3, for every verb that needs one. */
static void
test_job_unavailable (void)
{
  int status = -1;
  g_autofree char *err = NULL;
  g_autofree char *out = ctl_unreachable (&status, &err, "job", "list", NULL);

  g_assert_cmpint (status, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new ("t_cli_job", TRUE);
  conninfo = aq_test_conninfo ("t_cli_job");
  g_test_add_func ("/cli-job/commands", test_job_commands);
  g_test_add_func ("/cli-job/unavailable", test_job_unavailable);
  status = g_test_run ();
  g_clear_object (&db);
  g_free (conninfo);
  return status;
}

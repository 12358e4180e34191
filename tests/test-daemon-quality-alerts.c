/* test-daemon-quality-alerts.c — aqueductd sending quality alerts to the data team's channel
 *
 * Real quality runs open and close incidents (meta.quality_alert gets one "failing" and one
 * "resolved" row per incident); a real aqueductd configured with [quality-alerts] posts them
 * to a receiver this test runs on loopback (aq_test_http_server_new, which records every
 * request). The receiver answers 503 to the first request on /flaky, 400 on /reject, a WeChat
 * Work robot's {"errcode": 0} on /wecom, 200 otherwise.
 */
#include "aq-test-util.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <string.h>

static AqDb *db;

/* ---- the receiver ---- */

static void
answer_cb (AqTestRequest *r,
           gpointer       user_data)
{
  if (g_str_equal (r->path, "/flaky") && r->nth == 1)
    r->status = 503;
  else if (g_str_equal (r->path, "/reject"))
    r->status = 400;
  else if (g_str_equal (r->path, "/wecom"))
    {
      g_free (r->answer);
      r->answer = g_strdup ("{\"errcode\":0,\"errmsg\":\"ok\"}");
    }
}

/* Accepted requests (2xx) carrying @key. */
static guint
accepted (AqTestHttpServer *rc,
          const char       *key)
{
  g_autoptr(GPtrArray) requests = aq_test_http_server_requests (rc);
  guint n = 0;

  for (guint i = 0; i < requests->len; i++)
    {
      AqTestRequest *r = g_ptr_array_index (requests, i);

      n += r->status == 200 && g_strcmp0 (r->idempotency_key, key) == 0;
    }
  return n;
}

/* ---- the daemon ---- */

static void
daemon_start (AqTestDaemon *d,
              const char   *config_text)
{
  g_autofree char *config = g_build_filename (g_get_tmp_dir (), "aq-quality-alerts.conf", NULL);
  g_autofree char *url = aq_test_conninfo ("t_qalerts");
  g_autoptr(GError) error = NULL;

  g_file_set_contents (config, config_text, -1, &error);
  g_assert_no_error (error);
  aq_test_daemon_start (d, url, config, NULL, FALSE);
}

/* Waits until no alert is left to send (sent or given up); fails the test after 60 s. */
static void
wait_delivered (void)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert "
                                  "WHERE sent_at IS NULL AND failed_at IS NULL") > 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("quality alerts still unsent after 60 s");
      g_usleep (50 * 1000);
    }
}

/* ---- quality runs ---- */

static AqQualityRule *
rule_new (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AqQualityRule *rule;

  json_parser_load_from_data (parser, "{\"name\":\"t.alert\",\"layer\":\"qt\","
                              "\"table\":\"monthly\",\"type\":\"range\","
                              "\"dimension\":\"validity\",\"severity\":\"fail\","
                              "\"args\":{\"column\":\"v\",\"max\":100}}", -1, &error);
  g_assert_no_error (error);
  rule = aq_quality_rule_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                        "test", &error);
  g_assert_no_error (error);
  return rule;
}

/* Runs the rule after @sql; asserts its status. */
static void
run_rule (AqQualityRule *rule,
          const char    *sql,
          const char    *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(AqQualityRun) run = NULL;

  if (sql)
    {
      aq_db_exec (db, sql, &error);
      g_assert_no_error (error);
    }
  g_ptr_array_add (rules, rule);
  run = aq_quality_run_rules (db, rules, "t.alert", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((AqQualityResult *) g_ptr_array_index (run->results, 0))->status, ==, status);
}

static char *
config_for (AqTestHttpServer *rc,
            const char       *type,
            const char       *path)
{
  return g_strdup_printf ("[quality-alerts]\n"
                          "type=%s\n"
                          "url=http://127.0.0.1:%u%s\n"
                          "headers=Authorization: Bearer data-team\n"
                          "timeout=5\n"
                          "poll-interval-ms=50\n"
                          "max-attempts=4\n"
                          "backoff-base-ms=50\n"
                          "backoff-cap-ms=200\n", type, aq_test_http_server_get_port (rc), path);
}

/* ---- tests ---- */

/* An incident opens (one "failing" alert), goes on failing (nothing), closes ("resolved"),
 * opens again: each alert reaches the webhook exactly once, after a 503 is retried. */
static void
test_webhook_once_per_incident (void)
{
  g_autoptr(AqQualityRule) rule = rule_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autoptr(PGresult) res = NULL;
  AqTestHttpServer *rc = aq_test_http_server_new (answer_cb, NULL);
  g_autoptr(GPtrArray) requests = NULL;
  AqTestDaemon d = { 0 };

  g_assert_true (aq_quality_save_rule (db, rule, &error));
  run_rule (rule, NULL, "pass");
  run_rule (rule, "INSERT INTO qt.monthly VALUES (9, 500)", "fail");
  run_rule (rule, NULL, "fail");
  run_rule (rule, "DELETE FROM qt.monthly WHERE m = 9", "pass");
  run_rule (rule, NULL, "pass");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert"), ==, 2);

  config = config_for (rc, "webhook", "/flaky");
  daemon_start (&d, config);
  wait_delivered ();

  res = aq_db_query (db, "SELECT idempotency_key, kind, attempts, sent_at IS NOT NULL "
                         "FROM meta.quality_alert ORDER BY alert_id", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), ==, 2);
  g_assert_cmpstr (PQgetvalue (res, 0, 1), ==, "failing");
  g_assert_cmpstr (PQgetvalue (res, 1, 1), ==, "resolved");
  /* the first alert met the 503 and went again */
  g_assert_cmpstr (PQgetvalue (res, 0, 2), ==, "2");
  g_assert_cmpstr (PQgetvalue (res, 1, 2), ==, "1");
  for (int i = 0; i < 2; i++)
    {
      g_assert_cmpstr (PQgetvalue (res, i, 3), ==, "t");
      g_assert_cmpuint (accepted (rc, PQgetvalue (res, i, 0)), ==, 1);
    }
  requests = aq_test_http_server_requests (rc);
  g_assert_cmpuint (requests->len, ==, 3);
  for (guint i = 0; i < requests->len; i++)
    {
      AqTestRequest *r = g_ptr_array_index (requests, i);
      g_autoptr(JsonObject) o = aq_test_parse_object (r->text);

      g_assert_cmpstr (r->authorization, ==, "Bearer data-team");
      g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "t.alert");
      g_assert_cmpstr (json_object_get_string_member (o, "idempotency_key"), ==,
                       r->idempotency_key);
      g_assert_nonnull (strstr (json_object_get_string_member (o, "text"), "t.alert"));
    }
  /* in order: the failing alert (503, then accepted), only then its resolution */
  {
    AqTestRequest *second = g_ptr_array_index (requests, 1);
    AqTestRequest *third = g_ptr_array_index (requests, 2);
    g_autoptr(JsonObject) first = aq_test_parse_object (second->text);
    g_autoptr(JsonObject) last = aq_test_parse_object (third->text);

    g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "failing");
    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "resolved");
  }

  /* a new incident while the daemon runs: one more alert, sent once */
  run_rule (rule, "INSERT INTO qt.monthly VALUES (10, 700)", "fail");
  run_rule (rule, NULL, "fail");
  wait_delivered ();
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert"), ==, 3);
  {
    g_autofree char *key = aq_test_query_string (db, "SELECT idempotency_key FROM "
                                                     "meta.quality_alert ORDER BY alert_id DESC "
                                                     "LIMIT 1");

    g_assert_cmpuint (accepted (rc, key), ==, 1);
  }
  aq_test_daemon_end (&d, SIGTERM);
  aq_test_http_server_free (rc);
}

/* A WeChat Work group robot gets the text message; a 400 gives up at once and keeps why. */
static void
test_wecom_and_reject (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = aq_quality_get_rule (db, "t.alert", 0, &error);
  g_autofree char *config = NULL;
  AqTestHttpServer *rc = aq_test_http_server_new (answer_cb, NULL);
  g_autoptr(GPtrArray) requests = NULL;
  AqTestDaemon d = { 0 };

  /* the incident of the test before closes: a "resolved" alert */
  g_assert_no_error (error);
  run_rule (rule, "DELETE FROM qt.monthly WHERE m = 10", "pass");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert "
                                        "WHERE sent_at IS NULL"), ==, 1);
  config = config_for (rc, "wecom", "/wecom");
  daemon_start (&d, config);
  wait_delivered ();
  aq_test_daemon_end (&d, SIGTERM);
  requests = aq_test_http_server_requests (rc);
  g_assert_cmpuint (requests->len, ==, 1);
  {
    AqTestRequest *r = g_ptr_array_index (requests, 0);
    g_autoptr(JsonObject) o = aq_test_parse_object (r->text);

    g_assert_cmpstr (json_object_get_string_member (o, "msgtype"), ==, "text");
    g_assert_nonnull (strstr (json_object_get_string_member (
                                json_object_get_object_member (o, "text"), "content"),
                              "t.alert"));
  }

  run_rule (rule, "INSERT INTO qt.monthly VALUES (11, 900)", "fail");
  g_clear_pointer (&config, g_free);
  config = config_for (rc, "webhook", "/reject");
  daemon_start (&d, config);
  wait_delivered ();
  aq_test_daemon_end (&d, SIGTERM);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert "
                                        "WHERE failed_at IS NOT NULL AND attempts = 1 "
                                        "AND last_error LIKE 'HTTP 400%'"), ==, 1);
  aq_test_http_server_free (rc);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_db_new ("t_qalerts", TRUE);
  aq_db_exec (db, "CREATE SCHEMA qt; CREATE TABLE qt.monthly (m int PRIMARY KEY, v int); "
                  "INSERT INTO qt.monthly SELECT g, g FROM generate_series(1, 8) g", &error);
  g_assert_no_error (error);

  g_test_add_func ("/daemon/quality-alerts/webhook-once-per-incident",
                   test_webhook_once_per_incident);
  g_test_add_func ("/daemon/quality-alerts/wecom-and-reject", test_wecom_and_reject);

  result = g_test_run ();
  g_clear_object (&db);
  return result;
}

/* test-daemon-quality-alerts.c — aqueductd sending quality alerts to the data team's channel
 *
 * Real quality runs open and close incidents (meta.quality_alert gets one "failing" and one
 * "resolved" row per incident); a real aqueductd configured with [quality-alerts] posts them
 * to a receiver this test runs on loopback (a libsoup server on its own thread). The receiver
 * answers 503 to the first request on /flaky, 400 on /reject, a WeChat Work robot's
 * {"errcode": 0} on /wecom, 200 otherwise, and records every request.
 */
#include "aq-test-util.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static AqDb *db;

/* ---- the receiver ---- */

typedef struct
{
  char *path;
  char *key;     /* Idempotency-Key header */
  char *auth;
  char *body;
  guint status;  /* what it answered */
} Request;

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  guint         port;
  GMutex        lock;
  GPtrArray    *requests;   /* Request */
  guint         flaky_seen;
} Receiver;

static void
request_free (Request *r)
{
  g_free (r->path);
  g_free (r->key);
  g_free (r->auth);
  g_free (r->body);
  g_free (r);
}

static void
receiver_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Receiver *rc = user_data;
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Request *r = g_new0 (Request, 1);
  const char *answer = "{}";

  r->path = g_strdup (path);
  r->key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  r->auth = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  r->body = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  r->status = 200;
  g_mutex_lock (&rc->lock);
  if (g_str_equal (path, "/flaky") && rc->flaky_seen++ == 0)
    r->status = 503;
  else if (g_str_equal (path, "/reject"))
    r->status = 400;
  else if (g_str_equal (path, "/wecom"))
    answer = "{\"errcode\":0,\"errmsg\":\"ok\"}";
  soup_server_message_set_status (msg, r->status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, answer,
                                    strlen (answer));
  g_ptr_array_add (rc->requests, r);
  g_mutex_unlock (&rc->lock);
}

static gpointer
receiver_thread (gpointer user_data)
{
  Receiver *rc = user_data;

  g_main_context_push_thread_default (rc->context);
  g_main_loop_run (rc->loop);
  g_main_context_pop_thread_default (rc->context);
  return NULL;
}

static Receiver *
receiver_start (void)
{
  Receiver *rc = g_new0 (Receiver, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_mutex_init (&rc->lock);
  rc->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  rc->context = g_main_context_new ();
  rc->loop = g_main_loop_new (rc->context, FALSE);
  g_main_context_push_thread_default (rc->context);
  rc->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (rc->server, NULL, receiver_cb, rc, NULL);
  soup_server_listen_local (rc->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (rc->context);
  uris = soup_server_get_uris (rc->server);
  rc->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  rc->thread = g_thread_new ("receiver", receiver_thread, rc);
  return rc;
}

static void
receiver_stop (Receiver *rc)
{
  g_main_loop_quit (rc->loop);
  g_thread_join (rc->thread);
  soup_server_disconnect (rc->server);
  g_object_unref (rc->server);
  g_main_loop_unref (rc->loop);
  g_main_context_unref (rc->context);
  g_ptr_array_unref (rc->requests);
  g_mutex_clear (&rc->lock);
  g_free (rc);
}

/* Accepted requests (2xx) carrying @key. */
static guint
accepted (Receiver   *rc,
          const char *key)
{
  guint n = 0;

  g_mutex_lock (&rc->lock);
  for (guint i = 0; i < rc->requests->len; i++)
    {
      Request *r = g_ptr_array_index (rc->requests, i);

      n += r->status == 200 && g_strcmp0 (r->key, key) == 0;
    }
  g_mutex_unlock (&rc->lock);
  return n;
}

/* ---- the daemon ---- */

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GPid
daemon_start (const char *config_text,
              int        *out_fd)
{
  g_autofree char *config = g_build_filename (g_get_tmp_dir (), "aq-quality-alerts.conf", NULL);
  g_autofree char *url = aq_test_conninfo ("t_qalerts");
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--config", config, "--port", "0", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL", url, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  GPid pid;

  g_file_set_contents (config, config_text, -1, &error);
  g_assert_no_error (error);
  g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                            NULL, &pid, NULL, out_fd, NULL, &error);
  g_assert_no_error (error);
  line = aq_test_read_line (*out_fd, -1, 60, "aqueductd's “listening on” line");
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  return pid;
}

static void
daemon_end (GPid pid,
            int  fd)
{
  int status = 0;

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (pid);
  close (fd);
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
config_for (Receiver   *rc,
            const char *type,
            const char *path)
{
  return g_strdup_printf ("[quality-alerts]\n"
                          "type=%s\n"
                          "url=http://127.0.0.1:%u%s\n"
                          "headers=Authorization: Bearer data-team\n"
                          "timeout=5\n"
                          "poll-interval-ms=50\n"
                          "max-attempts=4\n"
                          "backoff-base-ms=50\n"
                          "backoff-cap-ms=200\n", type, rc->port, path);
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
  Receiver *rc = receiver_start ();
  GPid pid;
  int fd;

  g_assert_true (aq_quality_save_rule (db, rule, &error));
  run_rule (rule, NULL, "pass");
  run_rule (rule, "INSERT INTO qt.monthly VALUES (9, 500)", "fail");
  run_rule (rule, NULL, "fail");
  run_rule (rule, "DELETE FROM qt.monthly WHERE m = 9", "pass");
  run_rule (rule, NULL, "pass");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert"), ==, 2);

  config = config_for (rc, "webhook", "/flaky");
  pid = daemon_start (config, &fd);
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
  g_mutex_lock (&rc->lock);
  g_assert_cmpuint (rc->requests->len, ==, 3);
  for (guint i = 0; i < rc->requests->len; i++)
    {
      Request *r = g_ptr_array_index (rc->requests, i);
      g_autoptr(JsonObject) o = aq_test_parse_object (r->body);

      g_assert_cmpstr (r->auth, ==, "Bearer data-team");
      g_assert_cmpstr (json_object_get_string_member (o, "rule"), ==, "t.alert");
      g_assert_cmpstr (json_object_get_string_member (o, "idempotency_key"), ==, r->key);
      g_assert_nonnull (strstr (json_object_get_string_member (o, "text"), "t.alert"));
    }
  /* in order: the failing alert (503, then accepted), only then its resolution */
  {
    g_autoptr(JsonObject) first = aq_test_parse_object (((Request *) rc->requests->pdata[1])->body);
    g_autoptr(JsonObject) last = aq_test_parse_object (((Request *) rc->requests->pdata[2])->body);

    g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "failing");
    g_assert_cmpstr (json_object_get_string_member (last, "kind"), ==, "resolved");
  }
  g_mutex_unlock (&rc->lock);

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
  daemon_end (pid, fd);
  receiver_stop (rc);
}

/* A WeChat Work group robot gets the text message; a 400 gives up at once and keeps why. */
static void
test_wecom_and_reject (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = aq_quality_get_rule (db, "t.alert", 0, &error);
  g_autofree char *config = NULL;
  Receiver *rc = receiver_start ();
  GPid pid;
  int fd;

  /* the incident of the test before closes: a "resolved" alert */
  g_assert_no_error (error);
  run_rule (rule, "DELETE FROM qt.monthly WHERE m = 10", "pass");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert "
                                        "WHERE sent_at IS NULL"), ==, 1);
  config = config_for (rc, "wecom", "/wecom");
  pid = daemon_start (config, &fd);
  wait_delivered ();
  daemon_end (pid, fd);
  g_mutex_lock (&rc->lock);
  g_assert_cmpuint (rc->requests->len, ==, 1);
  {
    Request *r = g_ptr_array_index (rc->requests, 0);
    g_autoptr(JsonObject) o = aq_test_parse_object (r->body);

    g_assert_cmpstr (json_object_get_string_member (o, "msgtype"), ==, "text");
    g_assert_nonnull (strstr (json_object_get_string_member (
                                json_object_get_object_member (o, "text"), "content"),
                              "t.alert"));
  }
  g_mutex_unlock (&rc->lock);

  run_rule (rule, "INSERT INTO qt.monthly VALUES (11, 900)", "fail");
  g_clear_pointer (&config, g_free);
  config = config_for (rc, "webhook", "/reject");
  pid = daemon_start (config, &fd);
  wait_delivered ();
  daemon_end (pid, fd);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_alert "
                                        "WHERE failed_at IS NOT NULL AND attempts = 1 "
                                        "AND last_error LIKE 'HTTP 400%'"), ==, 1);
  receiver_stop (rc);
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

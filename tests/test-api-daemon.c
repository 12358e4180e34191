/* test-api-daemon.c — aqueductd's /api/v1 as a real process: signed calls answered from the
 * warehouse; unsigned, wrongly signed, replayed, stale, unknown, ungranted, expired, over-quota
 * and oversized calls refused with their codes before the warehouse is touched (its query
 * counter does not move); SQL meta-characters bound; the call log written in batches; a new
 * API served without a restart; a forwarded API through a local backend, with its timeout and
 * circuit breaker; the day's quota and the nonces kept across a daemon killed and started again.
 * The daemon and the signer share a pinned clock (AQUEDUCT_NOW), so no check meets midnight.
 */
#include "aq-test-util.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  GPid   pid;
  int    out_fd;
  char  *base;
  char  *config;
} Daemon;

static AqDb *db;
static Daemon daemon_;
static char *app_key;
static char *secret;
static char *account;
static SoupSession *session;
static char *conninfo;

/* The instant the daemon and the test sign at: the day's quota is counted in one day. */
#define PINNED_NOW "2026-11-20T10:00:00+08:00"

/* ---- the backend a forwarded API calls: its own thread and main context ---- */

static GMainContext *backend_context;
static guint backend_port;
static gint backend_hits;
static gint backend_posts;

static gboolean
slow_answer_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
backend_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  g_atomic_int_inc (&backend_hits);
  if (g_str_equal (soup_server_message_get_method (msg), "POST"))
    g_atomic_int_inc (&backend_posts);
  if (g_str_equal (path, "/ok"))
    {
      const char *acc = query ? g_hash_table_lookup (query, "account") : NULL;
      g_autofree char *body = g_strdup_printf ("{\"account\":\"%s\",\"balance\":12.5,"
                                               "\"leaked\":%s}", acc ? acc : "",
                                               query && g_hash_table_contains (query, "secret")
                                               ? "true" : "false");

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                        strlen (body));
    }
  else if (g_str_equal (path, "/xml") || g_str_equal (path, "/xml-dtd"))
    {
      const char *acc = query ? g_hash_table_lookup (query, "account") : NULL;
      g_autofree char *escaped = g_markup_escape_text (acc ? acc : "", -1);
      g_autofree char *body = g_strdup_printf (
        "<?xml version=\"1.0\"?>%s<s:Envelope xmlns:s=\"urn:s\"><s:Body><Bills>"
        "<Bill no=\"B1\"><Account>%s</Account><Amount>45.60</Amount></Bill>"
        "<Bill no=\"B2\"><Account>%s</Account><Amount>7</Amount></Bill>"
        "</Bills></s:Body></s:Envelope>",
        g_str_equal (path, "/xml-dtd") ? "<!DOCTYPE x [<!ENTITY e \"e\">]>" : "", escaped,
        escaped);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/xml", SOUP_MEMORY_COPY, body,
                                        strlen (body));
    }
  else if (g_str_equal (path, "/slow"))
    {
      GSource *source = g_timeout_source_new (3000);

      soup_server_message_pause (msg);
      g_source_set_callback (source, slow_answer_cb, g_object_ref (msg), NULL);
      g_source_attach (source, backend_context);
      g_source_unref (source);
    }
  else
    soup_server_message_set_status (msg, 500, NULL);
}

static gpointer
backend_thread (gpointer data)
{
  GAsyncQueue *ready = data;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (backend_context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, backend_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  backend_port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_async_queue_push (ready, GINT_TO_POINTER (1));
  loop = g_main_loop_new (backend_context, FALSE);
  g_main_loop_run (loop);
  return NULL;
}

/* ---- the daemon ---- */

static void
daemon_start (Daemon     *d,
              const char *database_url)
{
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--port", "0", "--config", NULL, NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL",
                                         database_url, TRUE);
  g_auto(GStrv) pinned_envp = g_environ_setenv (g_strdupv (envp), "AQUEDUCT_NOW", PINNED_NOW,
                                                TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  d->config = g_build_filename (g_get_tmp_dir (), "aqueductd-api-test.conf", NULL);
  g_file_set_contents (d->config,
                       "[api]\nreload_ms=100\npool_size=2\nmax_body=1024\nmax_query=512\n"
                       "breaker_failures=3\nbreaker_open_ms=60000\n", -1, &error);
  g_assert_no_error (error);
  argv[4] = d->config;
  g_spawn_async_with_pipes (NULL, (char **) argv, pinned_envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &d->pid, NULL, &d->out_fd, NULL, &error);
  g_assert_no_error (error);
  line = aq_test_read_line (d->out_fd, -1, 60, "aqueductd's “listening on” line");
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  d->base = g_strndup (line + strlen ("listening on "),
                       strlen (line) - strlen ("listening on ") - 1);
}

static void
daemon_stop (Daemon *d)
{
  int status = 0;

  kill (d->pid, SIGTERM);
  waitpid (d->pid, &status, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (d->pid);
  close (d->out_fd);
  g_unlink (d->config);
  g_free (d->config);
  g_free (d->base);
}

/* A crash: SIGKILL, nothing flushed at exit. */
static void
daemon_kill (Daemon *d)
{
  int status = 0;

  kill (d->pid, SIGKILL);
  waitpid (d->pid, &status, 0);
  g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (d->pid);
  close (d->out_fd);
  g_unlink (d->config);
  g_free (d->config);
  g_free (d->base);
}

static char *
http (const char  *method,
      const char  *path_and_query,
      GHashTable  *headers,
      const char  *body,
      gsize        body_len,
      guint       *out_status)
{
  g_autofree char *uri = g_strconcat (daemon_.base, path_and_query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;

  g_assert_nonnull (msg);
  if (headers)
    {
      GHashTableIter iter;
      gpointer k, v;

      g_hash_table_iter_init (&iter, headers);
      while (g_hash_table_iter_next (&iter, &k, &v))
        soup_message_headers_replace (soup_message_get_request_headers (msg), k, v);
    }
  if (body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, body_len);

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* A call signed as @key with @sec; @skew seconds off the clock; @nonce NULL: a new one. */
static char *
signed_call_full (const char *key,
                  const char *sec,
                  const char *method,
                  const char *path,
                  const char *query,
                  const char *body,
                  gint64      skew,
                  const char *nonce,
                  guint      *out_status)
{
  g_autoptr(GHashTable) headers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT,
                                         aq_clock_now_unix_usec () / G_USEC_PER_SEC + skew);
  g_autofree char *fresh = aq_api_random_token (12);
  const char *n = nonce ? nonce : fresh;
  g_autofree char *sig = aq_api_sign (sec, method, path, query, body, body ? strlen (body) : 0,
                                      ts, n);
  g_autofree char *full = query ? g_strconcat (path, "?", query, NULL) : g_strdup (path);

  g_hash_table_insert (headers, (gpointer) "X-Aq-Key", g_strdup (key));
  g_hash_table_insert (headers, (gpointer) "X-Aq-Timestamp", g_strdup (ts));
  g_hash_table_insert (headers, (gpointer) "X-Aq-Nonce", g_strdup (n));
  g_hash_table_insert (headers, (gpointer) "X-Aq-Signature", g_strdup (sig));
  return http (method, full, headers, body, body ? strlen (body) : 0, out_status);
}

static char *
signed_get (const char *path,
            const char *query,
            guint      *out_status)
{
  return signed_call_full (app_key, secret, "GET", path, query, NULL, 0, NULL, out_status);
}

static gint64
answer_code (const char *body)
{
  g_autoptr(JsonObject) o = aq_test_parse_object (body);

  return json_object_get_int_member (o, "code");
}

static gint64
metric (const char *name)
{
  guint status = 0;
  g_autofree char *text = http ("GET", "/metrics", NULL, NULL, 0, &status);
  g_autofree char *needle = g_strconcat ("\n", name, " ", NULL);
  const char *at = strstr (text, needle);

  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

/* Waits (at most a minute) until the daemon serves the warehouse's current generation. */
static void
wait_for_catalog (void)
{
  gint64 want = aq_test_query_int64 (db, "SELECT generation FROM meta.api_state");

  for (guint i = 0; i < 600 && metric ("aqueduct_api_catalog_generation") != want; i++)
    g_usleep (100000);
  g_assert_cmpint (metric ("aqueduct_api_catalog_generation"), ==, want);
}

/* ---- tests ---- */

static void
test_answered (void)
{
  g_autofree char *query = g_strdup_printf ("account=%s&page_size=5", account);
  g_autofree char *post_body = g_strdup_printf ("{\"account\": \"%s\", \"count\": true}",
                                                account);
  guint status = 0;
  g_autofree char *body = signed_get ("/api/v1/bill_details", query, &status);
  g_autoptr(JsonObject) answer = aq_test_parse_object (body);
  g_autofree char *posted = NULL;
  g_autoptr(JsonObject) post_answer = NULL;

  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (answer, "code"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (answer, "message"), ==, "ok");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "data")), ==, 5);
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (answer, "page"),
                                                   "next"));

  /* parameters in a JSON body, signed with its hash */
  posted = signed_call_full (app_key, secret, "POST", "/api/v1/bill_details", NULL, post_body,
                             0, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  post_answer = aq_test_parse_object (posted);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (post_answer, "page"),
                                               "total"), ==,
                   aq_test_count1 (db, "SELECT count(*) FROM dw.fact_bill WHERE account_id = $1",
                                   account));
}

static void
test_refused_before_warehouse (void)
{
  g_autofree char *query = g_strdup_printf ("account=%s", account);
  g_autofree char *big_query = NULL;
  g_autofree char *big_body = g_strnfill (4096, ' ');
  gint64 queries = metric ("aqueduct_api_warehouse_queries_total");
  g_autofree char *nonce = aq_api_random_token (12);
  guint status = 0;
  char *body;
  g_autoptr(GString) q = g_string_new ("account=");

  /* unsigned */
  body = http ("GET", "/api/v1/bill_details?account=x", NULL, NULL, 0, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (answer_code (body), ==, AQ_API_UNSIGNED);
  g_free (body);
  /* wrongly signed: another secret; a changed query */
  body = signed_call_full (app_key, "0123456789abcdef0123456789abcdef", "GET",
                           "/api/v1/bill_details", query, NULL, 0, NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (answer_code (body), ==, AQ_API_BAD_SIGNATURE);
  g_free (body);
  /* stale, and from the future */
  body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_details", query, NULL, -3600,
                           NULL, &status);
  g_assert_cmpint (answer_code (body), ==, AQ_API_STALE);
  g_free (body);
  body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_details", query, NULL, 3600,
                           NULL, &status);
  g_assert_cmpint (answer_code (body), ==, AQ_API_STALE);
  g_free (body);
  /* unknown app */
  body = signed_call_full ("aknobody000", secret, "GET", "/api/v1/bill_details", query, NULL, 0,
                           NULL, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (answer_code (body), ==, AQ_API_UNKNOWN_APP);
  g_free (body);
  /* unknown API, API not granted, grant expired */
  body = signed_get ("/api/v1/no_such_api", NULL, &status);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpint (answer_code (body), ==, AQ_API_UNKNOWN);
  g_free (body);
  body = signed_get ("/api/v1/customer_totals", NULL, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpint (answer_code (body), ==, AQ_API_NOT_GRANTED);
  g_free (body);
  body = signed_get ("/api/v1/meter_info", query, &status);
  g_assert_cmpuint (status, ==, 403);
  g_assert_cmpint (answer_code (body), ==, AQ_API_GRANT_EXPIRED);
  g_free (body);
  /* bad parameters */
  body = signed_get ("/api/v1/bill_details", "account=x&from=2026-13", &status);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpint (answer_code (body), ==, AQ_API_BAD_PARAM);
  g_free (body);
  body = signed_get ("/api/v1/bill_details", "account=x&page_size=100000", &status);
  g_assert_cmpint (answer_code (body), ==, AQ_API_BAD_PAGE);
  g_free (body);
  /* oversized query string and body */
  while (q->len < 600)
    g_string_append (q, "x");
  big_query = g_string_free (g_steal_pointer (&q), FALSE);
  body = signed_get ("/api/v1/bill_details", big_query, &status);
  g_assert_cmpuint (status, ==, 414);
  g_free (body);
  body = signed_call_full (app_key, secret, "POST", "/api/v1/bill_details", NULL, big_body, 0,
                           NULL, &status);
  g_assert_cmpuint (status, ==, 413);
  g_free (body);

  g_assert_cmpint (metric ("aqueduct_api_warehouse_queries_total"), ==, queries);

  /* replayed: the first call is answered, the same nonce again is not */
  body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_details", query, NULL, 0, nonce,
                           &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_details", query, NULL, 0, nonce,
                           &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (answer_code (body), ==, AQ_API_REPLAYED);
  g_free (body);
  g_assert_cmpint (metric ("aqueduct_api_warehouse_queries_total"), ==, queries + 1);
}

static void
test_quotas (void)
{
  g_autofree char *query = g_strdup_printf ("account=%s", account);
  gboolean limited = FALSE;
  guint status = 0;
  char *body;

  /* withholding: 3 calls a day */
  for (guint i = 0; i < 3; i++)
    {
      body = signed_get ("/api/v1/withholding", query, &status);
      g_assert_cmpuint (status, ==, 200);
      g_free (body);
    }
  body = signed_get ("/api/v1/withholding", query, &status);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpint (answer_code (body), ==, AQ_API_DAILY_QUOTA);
  g_free (body);

  /* payments: 1 a second; calls in a row soon meet the limit */
  for (guint i = 0; i < 20 && !limited; i++)
    {
      body = signed_get ("/api/v1/payments", query, &status);
      if (status == 429)
        {
          g_assert_cmpint (answer_code (body), ==, AQ_API_RATE_LIMITED);
          limited = TRUE;
        }
      else
        g_assert_cmpuint (status, ==, 200);
      g_free (body);
    }
  g_assert_true (limited);
}

static void
test_meta_characters_over_http (void)
{
  static const char *evil[] = {
    "%27%3B%20DROP%20TABLE%20meta.api%3B%20--", "%5C", "1%20OR%201%3D1", "%22%5B%5B", "%25",
  };
  gint64 apis = aq_test_query_int64 (db, "SELECT count(*) FROM meta.api");

  for (guint i = 0; i < G_N_ELEMENTS (evil); i++)
    {
      g_autofree char *query = g_strdup_printf ("account=%s", evil[i]);
      g_autofree char *in_from = g_strdup_printf ("account=x&from=%s", evil[i]);
      guint status = 0;
      g_autofree char *body = signed_get ("/api/v1/bill_details", query, &status);
      g_autofree char *typed = NULL;
      g_autoptr(JsonObject) answer = aq_test_parse_object (body);

      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "data")),
                        ==, 0);
      typed = signed_get ("/api/v1/bill_details", in_from, &status);
      g_assert_cmpuint (status, ==, 400);
      g_assert_cmpint (answer_code (typed), ==, AQ_API_BAD_PARAM);
    }
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"), ==, apis);
}

/* Calls land in meta.api_call (in batches) and the minutes; /metrics counts them. */
static void
test_call_log (void)
{
  const char *params[] = { app_key };
  gint64 logged = 0;

  for (guint i = 0; i < 300 && logged < 10; i++)
    {
      g_autoptr(GError) error = NULL;

      aq_db_query_int64 (db, "SELECT count(*) FROM meta.api_call WHERE app_key = $1", 1, params,
                         &logged, &error);
      g_assert_no_error (error);
      if (logged < 10)
        g_usleep (100000);
    }
  g_assert_cmpint (logged, >=, 10);
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM meta.api_call WHERE app_key = $1"
                                   " AND code = 40104", app_key), ==, 1);
  g_assert_cmpint (aq_test_count1 (db, "SELECT coalesce(sum(calls), 0) FROM meta.api_call_minute"
                                   " WHERE app_key = $1", app_key), ==,
                   aq_test_count1 (db, "SELECT count(*) FROM meta.api_call WHERE app_key = $1",
                                   app_key));
  {
    guint status = 0;
    g_autofree char *text = http ("GET", "/metrics", NULL, NULL, 0, &status);
    g_autofree char *needle = g_strdup_printf ("aqueduct_api_calls_total{api=\"withholding\","
                                               "app=\"%s\",code=\"42902\"} 1\n", app_key);

    g_assert_nonnull (strstr (text, needle));
    g_assert_nonnull (strstr (text, "aqueduct_api_latency_seconds_bucket{api=\"bill_details\""));
  }
}

/* A new API and its grant are served without a restart. */
static void
test_reload (void)
{
  g_autoptr(JsonObject) definition = aq_test_parse_object (
    "{\"sql\": \"SELECT zone_code, name FROM dw.dim_dma_zone WHERE level = :level\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true}],"
    " \"page_key\": \"zone_code\"}");
  g_autoptr(GError) error = NULL;
  guint status = 0;
  g_autofree char *before = signed_get ("/api/v1/zones", "level=1", &status);
  g_autofree char *after = NULL;
  g_autoptr(JsonObject) answer = NULL;

  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpint (aq_api_publish (db, "zones", "network", "Zones", "", "sql", definition, NULL,
                                   &error), ==, 1);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, "zones", "approved", 100, 1000, 0, NULL, &error);
  g_assert_no_error (error);
  wait_for_catalog ();
  after = signed_get ("/api/v1/zones", "level=1", &status);
  g_assert_cmpuint (status, ==, 200);
  answer = aq_test_parse_object (after);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (answer, "data")), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_dma_zone WHERE level = 1"));

  /* revoked: refused again */
  aq_api_grant_decide (db, app_key, "zones", "revoked", 0, 0, 0, NULL, &error);
  g_assert_no_error (error);
  wait_for_catalog ();
  g_free (signed_get ("/api/v1/zones", "level=1", &status));
  g_assert_cmpuint (status, ==, 403);
}

static void
publish_forward (const char *name,
                 const char *path)
{
  g_autofree char *json = g_strdup_printf (
    "{\"forward\": {\"url\": \"http://127.0.0.1:%u%s\", \"method\": \"GET\","
    " \"timeout_ms\": 300},"
    " \"params\": [{\"name\": \"account\", \"type\": \"text\", \"required\": true}]}",
    backend_port, path);
  g_autoptr(JsonObject) definition = aq_test_parse_object (json);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (aq_api_publish (db, name, "billing", name, "", "forward", definition, NULL,
                                   &error), >, 0);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, name, "approved", 1000, 100000, 0, NULL, &error);
  g_assert_no_error (error);
}

static void
publish_forward_xml (const char *name,
                     const char *path)
{
  g_autofree char *json = g_strdup_printf (
    "{\"forward\": {\"url\": \"http://127.0.0.1:%u%s\", \"timeout_ms\": 2000,"
    "  \"xml\": {\"records\": \"Envelope/Body/Bills/Bill\", \"fields\": ["
    "   {\"name\": \"bill_no\", \"path\": \"@no\"},"
    "   {\"name\": \"account\", \"path\": \"Account\"},"
    "   {\"name\": \"amount\", \"path\": \"Amount\", \"type\": \"number\"}]}},"
    " \"params\": [{\"name\": \"account\", \"type\": \"text\", \"required\": true}]}",
    backend_port, path);
  g_autoptr(JsonObject) definition = aq_test_parse_object (json);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (aq_api_publish (db, name, "billing", name, "", "forward", definition, NULL,
                                   &error), >, 0);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, name, "approved", 1000, 100000, 0, NULL, &error);
  g_assert_no_error (error);
}

/* A backend answering XML, mapped to JSON by the API's declaration; a DTD is refused. */
static void
test_forward_xml (void)
{
  guint status = 0;
  g_autofree char *body = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonArray *data;
  JsonObject *second;

  publish_forward_xml ("fw_xml", "/xml");
  publish_forward_xml ("fw_xml_dtd", "/xml-dtd");
  wait_for_catalog ();

  body = signed_get ("/api/v1/fw_xml", "account=A%3C1", &status);
  g_assert_cmpuint (status, ==, 200);
  answer = aq_test_parse_object (body);
  g_assert_cmpint (json_object_get_int_member (answer, "code"), ==, 0);
  data = json_object_get_array_member (answer, "data");
  g_assert_cmpuint (json_array_get_length (data), ==, 2);
  second = json_array_get_object_element (data, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "bill_no"), ==, "B2");
  g_assert_cmpstr (json_object_get_string_member (second, "account"), ==, "A<1");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (second, "amount"), 7, 1e-9);

  refused = signed_get ("/api/v1/fw_xml_dtd", "account=A1", &status);
  g_assert_cmpuint (status, ==, 502);
  g_assert_cmpint (answer_code (refused), ==, AQ_API_BACKEND);
  {
    g_autoptr(JsonObject) o = aq_test_parse_object (refused);

    g_assert_nonnull (strstr (json_object_get_string_member (o, "message"), "DTD"));
  }
}

/* Forwarded APIs registered with `aqueductctl api forward` (the definition the panel's wizard
 * writes too, aq_api_forward_definition()): the real daemon calls the test backend with the
 * declared method and fields only, and maps the XML one by the mapping given as a file. */
static void
test_forward_registered (void)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };
  g_autofree char *url_ok = g_strdup_printf ("http://127.0.0.1:%u/ok", backend_port);
  g_autofree char *url_xml = g_strdup_printf ("http://127.0.0.1:%u/xml", backend_port);
  g_autofree char *dir = g_dir_make_tmp ("aq-api-forward-XXXXXX", NULL);
  g_autofree char *map_file = g_build_filename (dir, "map.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) answer = NULL;
  g_autoptr(AqApi) api = NULL;
  JsonArray *data;
  guint status = 0;
  int exit_status = -1;
  gint posts;

  g_assert_true (g_file_set_contents (map_file,
    "{\"records\": \"Envelope/Body/Bills/Bill\", \"fields\": ["
    " {\"name\": \"bill_no\", \"path\": \"@no\"},"
    " {\"name\": \"amount\", \"path\": \"Amount\", \"type\": \"number\"}]}", -1, &error));
  aq_test_ctl_set_env (env);
  out = aq_test_ctl (&exit_status, NULL, "api", "forward", "fw_cli", "--url", url_ok,
                     "--method", "POST", "--timeout-ms", "800", "--param", "account:text:required",
                     "--param", "month:month", "--category", "billing", NULL);
  g_assert_cmpint (exit_status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = aq_test_ctl (&exit_status, NULL, "api", "forward", "fw_cli_xml", "--url", url_xml,
                     "--param", "account", "--xml-map", map_file, NULL);
  g_assert_cmpint (exit_status, ==, 0);
  g_clear_pointer (&out, g_free);
  /* refused at once: a bad type, a mapping that is not one */
  out = aq_test_ctl (&exit_status, NULL, "api", "forward", "fw_bad", "--url", url_ok,
                     "--param", "account:texty", NULL);
  g_assert_cmpint (exit_status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_set_contents (map_file, "{\"fields\": 3}", -1, &error));
  out = aq_test_ctl (&exit_status, NULL, "api", "forward", "fw_bad", "--url", url_xml,
                     "--xml-map", map_file, NULL);
  g_assert_cmpint (exit_status, !=, 0);
  g_clear_pointer (&out, g_free);
  aq_test_ctl_set_env (NULL);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"
                                        " WHERE name = 'fw_bad'"), ==, 0);
  g_unlink (map_file);
  g_rmdir (dir);

  /* stored as the wizard would store it */
  api = aq_api_load (db, "fw_cli", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (api->kind, ==, "forward");
  g_assert_cmpstr (api->forward_method, ==, "POST");
  g_assert_cmpuint (api->timeout_ms, ==, 800);
  g_assert_cmpuint (api->params->len, ==, 2);
  g_assert_true (((AqApiParam *) g_ptr_array_index (api->params, 0))->required);
  g_assert_cmpint (((AqApiParam *) g_ptr_array_index (api->params, 1))->type, ==,
                   AQ_API_PARAM_MONTH);

  aq_api_grant_decide (db, app_key, "fw_cli", "approved", 1000, 100000, 0, NULL, &error);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, "fw_cli_xml", "approved", 1000, 100000, 0, NULL, &error);
  g_assert_no_error (error);
  wait_for_catalog ();

  posts = g_atomic_int_get (&backend_posts);
  body = signed_get ("/api/v1/fw_cli", "account=A7&secret=s", &status);
  g_assert_cmpuint (status, ==, 200);
  answer = aq_test_parse_object (body);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (answer, "data"),
                                                  "account"), ==, "A7");
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (answer, "data"),
                                                  "leaked"));
  g_assert_cmpint (g_atomic_int_get (&backend_posts), ==, posts + 1);
  g_clear_pointer (&body, g_free);
  g_clear_pointer (&answer, json_object_unref);

  body = signed_get ("/api/v1/fw_cli_xml", "account=A8", &status);
  g_assert_cmpuint (status, ==, 200);
  answer = aq_test_parse_object (body);
  data = json_object_get_array_member (answer, "data");
  g_assert_cmpuint (json_array_get_length (data), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (data, 0),
                                                  "bill_no"), ==, "B1");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
    json_array_get_object_element (data, 0), "amount"), 45.6, 1e-9);
  g_assert_cmpint (g_atomic_int_get (&backend_posts), ==, posts + 1);
}

static void
test_forward (void)
{
  guint status = 0;
  gint hits;
  g_autofree char *ok = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *data;

  publish_forward ("fw_ok", "/ok");
  publish_forward ("fw_slow", "/slow");
  publish_forward ("fw_fail", "/fail");
  wait_for_catalog ();

  /* only the declared fields go to the backend */
  ok = signed_get ("/api/v1/fw_ok", "account=A1&secret=s", &status);
  g_assert_cmpuint (status, ==, 200);
  answer = aq_test_parse_object (ok);
  data = json_object_get_object_member (answer, "data");
  g_assert_cmpstr (json_object_get_string_member (data, "account"), ==, "A1");
  g_assert_false (json_object_get_boolean_member (data, "leaked"));

  /* a slow backend: timed out, and the daemon answers others meanwhile */
  g_free (signed_get ("/api/v1/fw_slow", "account=A1", &status));
  g_assert_cmpuint (status, ==, 504);
  g_free (signed_get ("/api/v1/fw_ok", "account=A1", &status));
  g_assert_cmpuint (status, ==, 200);

  /* a failing backend: three failures open the breaker; then it is not called at all */
  for (guint i = 0; i < 3; i++)
    {
      g_free (signed_get ("/api/v1/fw_fail", "account=A1", &status));
      g_assert_cmpuint (status, ==, 502);
    }
  hits = g_atomic_int_get (&backend_hits);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *body = signed_get ("/api/v1/fw_fail", "account=A1", &status);

      g_assert_cmpuint (status, ==, 503);
      g_assert_cmpint (answer_code (body), ==, AQ_API_BACKEND_OPEN);
    }
  g_assert_cmpint (g_atomic_int_get (&backend_hits), ==, hits);
  /* the other forwarded APIs are not affected */
  g_free (signed_get ("/api/v1/fw_ok", "account=A1", &status));
  g_assert_cmpuint (status, ==, 200);
  /* the wait for the backend is measured apart from the daemon's time: each call that went
   * to the system once, none of those the open breaker refused */
  g_assert_cmpint (metric ("aqueduct_api_backend_seconds_count{api=\"fw_ok\"}"), ==, 3);
  g_assert_cmpint (metric ("aqueduct_api_backend_seconds_count{api=\"fw_fail\"}"), ==, 3);
  /* what forwarding adds is kept per call that reached the backend, never above its latency */
  g_assert_cmpint (metric ("aqueduct_api_forward_overhead_seconds_count{api=\"fw_ok\"}"), ==, 3);
  g_assert_cmpint (metric ("aqueduct_api_forward_overhead_seconds_count{api=\"fw_fail\"}"), ==,
                   3);
}

static gint64
count_where (const char *sql,
             const char *param)
{
  const char *params[] = { app_key, param };
  gint64 value = -1;
  g_autoptr(GError) error = NULL;

  aq_db_query_int64 (db, sql, 2, params, &value, &error);
  g_assert_no_error (error);
  return value;
}

/* Waits (at most a minute) until @sql (params: the app, @param) answers @want. */
static void
wait_for_count (const char *sql,
                const char *param,
                gint64      want)
{
  for (guint i = 0; i < 600 && count_where (sql, param) != want; i++)
    g_usleep (100000);
  g_assert_cmpint (count_where (sql, param), ==, want);
}

/* A daemon killed (no clean stop) and started again still refuses a nonce of the first run
 * and keeps counting the day's quota: what it knew was in the warehouse within a flush. */
static void
test_restart_keeps_quotas_and_nonces (void)
{
  g_autofree char *query = g_strdup_printf ("account=%s", account);
  g_autofree char *nonce = aq_api_random_token (12);
  gint64 queries;
  guint status = 0;
  char *body;

  /* bill_receivables: 4 calls a day; two now, the first with a nonce to replay later */
  body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_receivables", query, NULL, 0,
                           nonce, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  body = signed_get ("/api/v1/bill_receivables", query, &status);
  g_assert_cmpuint (status, ==, 200);
  g_free (body);
  /* the flush wrote them (batched: no write on the request path) */
  wait_for_count ("SELECT coalesce(sum(calls), 0) FROM meta.api_quota_day"
                  " WHERE app_key = $1 AND api = $2", "bill_receivables", 2);
  wait_for_count ("SELECT count(*) FROM meta.api_nonce WHERE app_key = $1 AND nonce = $2",
                  nonce, 1);

  daemon_kill (&daemon_);
  daemon_start (&daemon_, conninfo);
  wait_for_catalog ();
  queries = metric ("aqueduct_api_warehouse_queries_total");

  /* the same call again, same nonce and timestamp: refused without a query */
  body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_receivables", query, NULL, 0,
                           nonce, &status);
  g_assert_cmpuint (status, ==, 401);
  g_assert_cmpint (answer_code (body), ==, AQ_API_REPLAYED);
  g_free (body);
  g_assert_cmpint (metric ("aqueduct_api_warehouse_queries_total"), ==, queries);

  /* the quota continues: two more calls, then the day is used up */
  for (guint i = 0; i < 2; i++)
    {
      body = signed_get ("/api/v1/bill_receivables", query, &status);
      g_assert_cmpuint (status, ==, 200);
      g_free (body);
    }
  body = signed_get ("/api/v1/bill_receivables", query, &status);
  g_assert_cmpuint (status, ==, 429);
  g_assert_cmpint (answer_code (body), ==, AQ_API_DAILY_QUOTA);
  g_free (body);
  wait_for_count ("SELECT coalesce(sum(calls), 0) FROM meta.api_quota_day"
                  " WHERE app_key = $1 AND api = $2 AND day = '2026-11-20'", "bill_receivables",
                  4);

  /* a clean stop writes what the next flush would have: a nonce used just before it is
   * refused by the next run (without the stop's flush this fails unless a flush ran between) */
  {
    g_autofree char *last = aq_api_random_token (12);

    body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_details", query, NULL, 0,
                             last, &status);
    g_assert_cmpuint (status, ==, 200);
    g_free (body);
    daemon_stop (&daemon_);
    g_assert_cmpint (count_where ("SELECT count(*) FROM meta.api_nonce"
                                  " WHERE app_key = $1 AND nonce = $2", last), ==, 1);
    daemon_start (&daemon_, conninfo);
    wait_for_catalog ();
    body = signed_call_full (app_key, secret, "GET", "/api/v1/bill_details", query, NULL, 0,
                             last, &status);
    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpint (answer_code (body), ==, AQ_API_REPLAYED);
    g_free (body);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) pinned = g_date_time_new_from_iso8601 (PINNED_NOW, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiApp) app = NULL;
  g_autoptr(GAsyncQueue) ready = g_async_queue_new ();
  g_autoptr(GDateTime) past = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_clock_pin (pinned);
  backend_context = g_main_context_new ();
  g_thread_unref (g_thread_new ("backend", backend_thread, ready));
  g_async_queue_pop (ready);

  db = aq_test_demo_db_new ("t_api_daemon", 200, 13);
  conninfo = aq_test_conninfo ("t_api_daemon");
  account = aq_test_text1 (db, "SELECT account_id FROM dw.fact_bill GROUP BY account_id"
                           " HAVING count(*) >= 12 ORDER BY account_id LIMIT 1", NULL);
  app = aq_api_app_add (db, "hotline", "test caller", &error);
  g_assert_no_error (error);
  app_key = g_strdup (app->app_key);
  secret = g_strdup (app->secret);
  past = g_date_time_new_utc (2020, 1, 1, 0, 0, 0);
  aq_api_grant_decide (db, app_key, "bill_details", "approved", 1000, 1000000, 0, NULL, &error);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, "payments", "approved", 1, 1000000, 0, NULL, &error);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, "withholding", "approved", 1000, 3, 0, NULL, &error);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, "bill_receivables", "approved", 1000, 4, 0, NULL, &error);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app_key, "meter_info", "approved", 1000, 1000, 
                       g_date_time_to_unix (past) * G_USEC_PER_SEC, NULL, &error);
  g_assert_no_error (error);

  session = soup_session_new ();
  daemon_start (&daemon_, conninfo);
  wait_for_catalog ();

  g_test_add_func ("/api-daemon/answered", test_answered);
  g_test_add_func ("/api-daemon/refused-before-warehouse", test_refused_before_warehouse);
  g_test_add_func ("/api-daemon/quotas", test_quotas);
  g_test_add_func ("/api-daemon/meta-characters", test_meta_characters_over_http);
  g_test_add_func ("/api-daemon/call-log", test_call_log);
  g_test_add_func ("/api-daemon/reload", test_reload);
  g_test_add_func ("/api-daemon/forward", test_forward);
  g_test_add_func ("/api-daemon/forward-xml", test_forward_xml);
  g_test_add_func ("/api-daemon/forward-registered", test_forward_registered);
  g_test_add_func ("/api-daemon/restart-keeps-quotas-and-nonces",
                   test_restart_keeps_quotas_and_nonces);
  status = g_test_run ();

  daemon_stop (&daemon_);
  g_clear_object (&session);
  g_clear_object (&db);
  g_free (conninfo);
  aq_test_drop_database ("t_api_daemon");
  return status;
}

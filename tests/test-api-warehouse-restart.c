/* test-api-warehouse-restart.c — aqueductd's /api/v1 while its warehouse restarts under load
 *
 * A warehouse of the test's own (its own cluster, since the shared one serves the other tests
 * running at once) and the real daemon; a client thread calls an API in a loop while the test
 * stops the cluster (pg_ctl stop -m fast), keeps it down until the loop has seen refusals,
 * and starts it again. Every answer must be 200 or a 503 {code, message} (no transport error,
 * none slower than the client's timeout), calls must succeed again with the same daemon, and
 * the daemon must hold no more warehouse connections than its pool and threads afterwards.
 */
#include "aq-test-util.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENT_TIMEOUT_S 20
#define POOL_SIZE        2

typedef struct
{
  GMutex  lock;
  guint   ok;
  guint   unavailable;
  guint   ok_after;        /* answered after the warehouse came back */
  guint   other;           /* anything else: fails the test */
  char   *first_other;
  gint64  slowest_us;
  gboolean restarted;
  gboolean stop;
} Tally;

static char *base;
static char *app_key;
static char *secret;
static Tally tally;

static char *
signed_get (SoupSession *session,
            const char  *path,
            const char  *query,
            guint       *out_status,
            GError     **error)
{
  g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);
  g_autofree char *nonce = aq_api_random_token (12);
  g_autofree char *sig = aq_api_sign (secret, "GET", path, query, NULL, 0, ts, nonce);
  g_autofree char *uri = g_strconcat (base, path, "?", query, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) answer = NULL;

  soup_message_headers_replace (headers, "X-Aq-Key", app_key);
  soup_message_headers_replace (headers, "X-Aq-Timestamp", ts);
  soup_message_headers_replace (headers, "X-Aq-Nonce", nonce);
  soup_message_headers_replace (headers, "X-Aq-Signature", sig);
  answer = soup_session_send_and_read (session, msg, NULL, error);
  if (answer == NULL)
    return NULL;
  *out_status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* The load: one call after another until told to stop, each answer tallied. */
static gpointer
client_thread (gpointer data)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", CLIENT_TIMEOUT_S,
                                                                  NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *body = NULL;
      guint status = 0;
      gint64 t0 = g_get_monotonic_time ();
      gint64 code = -1;
      gboolean stop;

      body = signed_get (session, "/api/v1/bill_details", "account=A0001", &status, &error);
      if (body)
        node = json_from_string (body, NULL);
      if (node && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *o = json_node_get_object (node);
          const char *message = json_object_get_string_member_with_default (o, "message", "");

          code = json_object_get_int_member_with_default (o, "code", -1);
          if (*message == '\0')
            code = -1;
        }
      g_mutex_lock (&tally.lock);
      tally.slowest_us = MAX (tally.slowest_us, g_get_monotonic_time () - t0);
      if (status == 200 && code == 0)
        {
          tally.ok++;
          if (tally.restarted)
            tally.ok_after++;
        }
      else if (status == 503 && code == 50301)
        tally.unavailable++;
      else
        {
          tally.other++;
          if (tally.first_other == NULL)
            tally.first_other = g_strdup_printf ("HTTP %u: %s", status,
                                                 body ? body : error->message);
        }
      stop = tally.stop;
      g_mutex_unlock (&tally.lock);
      if (stop)
        return NULL;
      g_usleep (5000);
    }
}

/* Waits (at most @seconds) until @field of the tally reaches @want. */
static void
wait_tally (const guint *field,
            guint        want,
            guint        seconds,
            const char  *what)
{
  for (guint i = 0; i < seconds * 20; i++)
    {
      guint value;

      g_mutex_lock (&tally.lock);
      value = *field;
      g_mutex_unlock (&tally.lock);
      if (value >= want)
        return;
      g_usleep (50000);
    }
  g_error ("waited %u s for %s", seconds, what);
}

static gint64
metric (SoupSession *session,
        const char  *name)
{
  g_autofree char *uri = g_strconcat (base, "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strconcat ("\n", name, " ", NULL);
  const char *at;

  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  at = strstr (text, needle);
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (needle), NULL, 10);
}

static void
test_restart_under_load (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("aqr-XXXXXX", &error);
  g_autoptr(AqLocalWarehouse) wh = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *config = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqApiApp) app = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *line = NULL;
  g_auto(GStrv) envp = NULL;
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--port", "0", "--config", NULL, NULL };
  GThread *client;
  GPid pid;
  int out_fd, status = 0;
  gint64 backends = 0;

  g_assert_no_error (error);
  wh = aq_local_warehouse_new (dir);
  aq_local_warehouse_set_throwaway (wh, TRUE);
  aq_local_warehouse_create (wh, &error);
  g_assert_no_error (error);
  aq_local_warehouse_start (wh, &error);
  g_assert_no_error (error);
  aq_local_warehouse_ensure_database (wh, "t_api_restart", &error);
  g_assert_no_error (error);
  conninfo = aq_local_warehouse_get_conninfo (wh, "t_api_restart");
  db = aq_db_connect (conninfo, &error);
  g_assert_no_error (error);
  aq_warehouse_prepare (db, NULL, &error);
  g_assert_no_error (error);
  app = aq_api_app_add (db, "loadtest", "calls through the restart", &error);
  g_assert_no_error (error);
  app_key = g_strdup (app->app_key);
  secret = g_strdup (app->secret);
  aq_api_grant_decide (db, app_key, "bill_details", "approved", 100000, 10000000, 0, NULL,
                       &error);
  g_assert_no_error (error);
  g_clear_object (&db);

  /* the daemon */
  config = g_build_filename (dir, "aqueductd.conf", NULL);
  g_file_set_contents (config, "[api]\nreload_ms=100\npool_size=2\nstatement_timeout_ms=3000\n",
                       -1, &error);
  g_assert_no_error (error);
  argv[4] = config;
  envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  line = aq_test_read_line (out_fd, -1, 60, "aqueductd's “listening on” line");
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  base = g_strndup (line + strlen ("listening on "), strlen (line) - strlen ("listening on ") - 1);

  /* load, then the warehouse goes away */
  client = g_thread_new ("client", client_thread, NULL);
  wait_tally (&tally.ok, 10, 120, "answers before the restart");
  aq_local_warehouse_stop (wh, &error);
  g_assert_no_error (error);
  wait_tally (&tally.unavailable, 5, 120, "503 answers while the warehouse is down");
  aq_local_warehouse_start (wh, &error);
  g_assert_no_error (error);
  g_mutex_lock (&tally.lock);
  tally.restarted = TRUE;
  g_mutex_unlock (&tally.lock);
  /* the same daemon answers again, without a restart of its own */
  wait_tally (&tally.ok_after, 10, 120, "answers after the restart");
  g_mutex_lock (&tally.lock);
  tally.stop = TRUE;
  g_mutex_unlock (&tally.lock);
  g_thread_join (client);

  g_test_message ("%u answered, %u refused with 503 while down, slowest %.0f ms", tally.ok,
                  tally.unavailable, tally.slowest_us / 1000.0);
  g_assert_cmpstr (tally.first_other, ==, NULL);
  g_assert_cmpuint (tally.other, ==, 0);
  g_assert_cmpint (tally.slowest_us, <, CLIENT_TIMEOUT_S * G_USEC_PER_SEC);

  /* no leaked connections: the pool, the catalog's and the log's, nothing more */
  g_assert_cmpint (metric (session, "aqueduct_api_pool_connections"), <=, POOL_SIZE);
  db = aq_db_connect (conninfo, &error);
  g_assert_no_error (error);
  aq_db_query_int64 (db, "SELECT count(*) FROM pg_stat_activity"
                     " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                     " AND backend_type = 'client backend'", 0, NULL, &backends, &error);
  g_assert_no_error (error);
  g_assert_cmpint (backends, <=, POOL_SIZE + 2);
  g_clear_object (&db);

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_spawn_close_pid (pid);
  close (out_fd);

  aq_local_warehouse_destroy (wh, &error);
  g_assert_no_error (error);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  g_mutex_init (&tally.lock);
  g_test_add_func ("/api-warehouse-restart/under-load", test_restart_under_load);
  return g_test_run ();
}

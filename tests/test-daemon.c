/* test-daemon.c — aqueductd as a real process: /healthz follows the warehouse, /metrics counts,
 * a stop waits for the work its threads still do */
#include "aq-test-util.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

typedef AqTestDaemon Daemon;

static void
daemon_start (Daemon     *d,
              const char *database_url)
{
  aq_test_daemon_start (d, database_url, NULL, NULL, FALSE);
}

static void
daemon_stop (Daemon *d)
{
  aq_test_daemon_end (d, SIGTERM);
}

static char *
get (Daemon     *d,
     const char *path,
     guint      *out_status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (d->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  *out_status = soup_message_get_status (msg);
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
test_health_follows_warehouse (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_daemon", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_daemon");
  g_autofree char *admin_info = aq_test_conninfo ("postgres");
  g_autoptr(AqDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  Daemon d = { 0 };
  guint status = 0;
  char *body;

  daemon_start (&d, conninfo);

  body = get (&d, "/healthz", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (body, "\"status\":\"ok\""));
  g_assert_nonnull (strstr (body, "t_daemon@"));
  /* no [provider.…]: nothing is relayed, and it says so */
  g_assert_nonnull (strstr (body, "\"relay\":{\"state\":\"disabled\""));
  g_free (body);

  body = get (&d, "/metrics", &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (body, "\naqueduct_warehouse_up 1\n"));
  g_assert_nonnull (strstr (body, "\naqueduct_health_checks_total 1\n"));
  g_free (body);

  /* the warehouse goes away: unhealthy, counted */
  g_clear_object (&db);
  admin = aq_db_connect (admin_info, &error);
  g_assert_no_error (error);
  aq_db_exec (admin, "DROP DATABASE t_daemon WITH (FORCE)", &error);
  g_assert_no_error (error);

  body = get (&d, "/healthz", &status);
  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (strstr (body, "\"status\":\"unavailable\""));
  g_free (body);
  body = get (&d, "/metrics", &status);
  g_assert_nonnull (strstr (body, "\naqueduct_warehouse_up 0\n"));
  g_assert_nonnull (strstr (body, "\naqueduct_health_check_failures_total 1\n"));
  g_free (body);

  body = get (&d, "/nothing", &status);
  g_assert_cmpuint (status, ==, 404);
  g_free (body);

  daemon_stop (&d);
}

static void
test_bad_config (void)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "aqueductd-bad.conf", NULL);
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--config", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  g_file_set_contents (path, "[daemon]\nport=99999\n", -1, &error);
  g_assert_no_error (error);
  g_free (aq_test_run_command (argv, NULL, &status, &err));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "out of range"));
  g_unlink (path);
}

/* Everything the daemon writes to stderr from now until it exits. */
static char *
read_to_end (int fd)
{
  GString *out = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) != 0)
    {
      if (n < 0 && errno == EINTR)
        continue;
      g_assert_cmpint (n, >, 0);
      g_string_append_len (out, buf, n);
    }
  return g_string_free (out, FALSE);
}

/* A stop while the data API's catalog reload waits on the warehouse (here for a lock the test
 * holds on meta.api_state) waits for that reload to end before the daemon frees what the
 * reload's thread uses: the daemon takes the catalog (and says so) during its stop, then
 * exits cleanly. Before, it freed the API service under the running thread — at random, a
 * heap corruption at exit ("free(): invalid pointer" in a CI run). */
static void
test_stop_waits_for_api_reload (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_daemon_stop", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_daemon_stop");
  g_autoptr(AqDb) locker = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  Daemon d = { 0 };

  locker = aq_db_connect (conninfo, &error);
  g_assert_no_error (error);
  aq_db_exec (locker, "BEGIN", &error);
  g_assert_no_error (error);
  aq_db_exec (locker, "LOCK TABLE meta.api_state IN ACCESS EXCLUSIVE MODE", &error);
  g_assert_no_error (error);

  aq_test_daemon_start (&d, conninfo, NULL, NULL, TRUE);
  /* the first catalog read waits for the lock */
  while (aq_test_query_int64 (db, "SELECT count(*) FROM pg_stat_activity"
                                  " WHERE wait_event_type = 'Lock'"
                                  " AND query LIKE 'SELECT generation FROM meta.api_state%'") == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the daemon's catalog reload never waited for the lock");
      g_usleep (20 * 1000);
    }
  kill (d.pid, SIGTERM);
  for (;;)
    {
      g_autofree char *line = aq_test_read_line (d.err_fd, -1, 60, "aqueductd's “stopping”");

      if (strstr (line, "stopping"))
        break;
    }
  /* the daemon is in its stop: now the reload may go on */
  aq_db_exec (locker, "ROLLBACK", &error);
  g_assert_no_error (error);
  rest = read_to_end (d.err_fd);
  if (strstr (rest, "api: catalog generation") == NULL)
    g_error ("the daemon stopped without waiting for its catalog reload; it said:\n%s", rest);
  daemon_stop (&d);
  g_clear_object (&locker);
  g_clear_object (&db);
  aq_test_drop_database ("t_daemon_stop");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/daemon/health-follows-warehouse", test_health_follows_warehouse);
  g_test_add_func ("/daemon/bad-config", test_bad_config);
  g_test_add_func ("/daemon/stop-waits-for-api-reload", test_stop_waits_for_api_reload);
  return g_test_run ();
}

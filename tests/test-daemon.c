/* test-daemon.c — aqueductd as a real process: /healthz follows the warehouse, /metrics counts */
#include "aq-test-util.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>

typedef struct
{
  GPid   pid;
  int    out_fd;
  char  *base;
} Daemon;

static void
daemon_start (Daemon     *d,
              const char *database_url)
{
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--port", "0", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL",
                                         database_url, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &d->pid, NULL, &d->out_fd, NULL, &error);
  g_assert_no_error (error);
  /* under load the daemon may take seconds to listen */
  line = aq_test_read_line (d->out_fd, -1, 60, "aqueductd's “listening on” line");
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/"));
  d->base = g_strndup (line + strlen ("listening on "), strlen (line) - strlen ("listening on ") - 1);
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
  g_free (d->base);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/daemon/health-follows-warehouse", test_health_follows_warehouse);
  g_test_add_func ("/daemon/bad-config", test_bad_config);
  return g_test_run ();
}

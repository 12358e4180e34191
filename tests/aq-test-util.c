/* aq-test-util.c — the throwaway warehouse every test of a run shares
 *
 * The first test that needs a warehouse creates one cluster in a fresh directory under /tmp
 * (short, so the socket path fits, and open to the server user when we run as root) and
 * writes its path into the build directory; the others find it there. A file lock keeps
 * parallel tests from creating two. The suite's last test drops it.
 */
#include "aq-test-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static char *
state_path (void)
{
  const char *dir = g_getenv ("AQ_TEST_STATE_DIR");
  return g_build_filename (dir ? dir : g_get_tmp_dir (), "aq-test-cluster", NULL);
}

static int
lock_state (void)
{
  g_autofree char *path = state_path ();
  g_autofree char *lock_path = g_strconcat (path, ".lock", NULL);
  int fd = g_open (lock_path, O_CREAT | O_RDWR, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (flock (fd, LOCK_EX), ==, 0);
  return fd;
}

/* Returns the cluster's directory, creating and starting the cluster if needed. */
char *
aq_test_cluster_ensure (void)
{
  g_autofree char *path = state_path ();
  g_autofree char *dir = NULL;
  g_autoptr(AqLocalWarehouse) wh = NULL;
  g_autoptr(GError) error = NULL;
  int fd = lock_state ();

  aq_core_init ();
  if (g_file_get_contents (path, &dir, NULL, NULL))
    g_strstrip (dir);
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_free (dir);
      dir = g_dir_make_tmp ("aqt-XXXXXX", &error);
      g_assert_no_error (error);
      g_file_set_contents (path, dir, -1, &error);
      g_assert_no_error (error);
    }
  wh = aq_local_warehouse_new (dir);
  aq_local_warehouse_set_throwaway (wh, TRUE);
  aq_local_warehouse_create (wh, &error);
  g_assert_no_error (error);
  aq_local_warehouse_start (wh, &error);
  g_assert_no_error (error);

  flock (fd, LOCK_UN);
  close (fd);
  return g_steal_pointer (&dir);
}

void
aq_test_cluster_drop (void)
{
  g_autofree char *path = state_path ();
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;
  int fd = lock_state ();

  if (g_file_get_contents (path, &dir, NULL, NULL))
    {
      g_autoptr(AqLocalWarehouse) wh = aq_local_warehouse_new (g_strstrip (dir));
      aq_local_warehouse_destroy (wh, &error);
      g_assert_no_error (error);
      g_unlink (path);
    }
  flock (fd, LOCK_UN);
  close (fd);
}

char *
aq_test_conninfo (const char *dbname)
{
  g_autofree char *dir = aq_test_cluster_ensure ();
  g_autoptr(AqLocalWarehouse) wh = aq_local_warehouse_new (dir);
  return aq_local_warehouse_get_conninfo (wh, dbname);
}

/* A fresh, empty database of the test's own (dropped first if a previous run left it),
 * with the migrations applied when @migrate. */
AqDb *
aq_test_db_new (const char *dbname,
                gboolean    migrate)
{
  g_autofree char *admin_info = aq_test_conninfo ("postgres");
  g_autofree char *info = aq_test_conninfo (dbname);
  g_autoptr(AqDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = aq_db_quote_ident (dbname);
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", quoted);
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", quoted);
  AqDb *db;

  admin = aq_db_connect (admin_info, &error);
  g_assert_no_error (error);
  aq_db_exec (admin, drop, &error);
  g_assert_no_error (error);
  aq_db_exec (admin, create, &error);
  g_assert_no_error (error);

  db = aq_db_connect (info, &error);
  g_assert_no_error (error);
  if (migrate)
    {
      aq_warehouse_prepare (db, NULL, &error);
      g_assert_no_error (error);
    }
  return db;
}

/* One value a query must answer; the test fails if it cannot. */
gint64
aq_test_query_int64 (AqDb       *db,
                     const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  aq_db_query_int64 (db, sql, 0, NULL, &value, &error);
  g_assert_no_error (error);
  return value;
}

char *
aq_test_query_string (AqDb       *db,
                      const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = aq_db_query_string (db, sql, 0, NULL, &error);

  g_assert_no_error (error);
  return value;
}

/* A small demo warehouse built the product's way: the simulator, then the standard
 * pipelines. */
AqDb *
aq_test_demo_db_new (const char *dbname,
                     guint       accounts,
                     guint       months)
{
  g_autoptr(GError) error = NULL;
  AqSimulatorOptions options;
  AqDb *db = aq_test_db_new (dbname, TRUE);

  aq_simulator_options_init (&options);
  options.accounts = accounts;
  options.months = months;
  aq_simulator_run (db, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  aq_demo_run_pipelines (db, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  return db;
}

/* Runs a real process (the CLI) and returns its stdout. */
char *
aq_test_run_command (const char *const *argv,
                     const char *const *env,
                     int               *exit_status,
                     char             **err_out)
{
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  for (guint i = 0; env && env[i] && env[i + 1]; i += 2)
    envp = g_environ_setenv (envp, env[i], env[i + 1], TRUE);
  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (WIFEXITED (status))
    *exit_status = WEXITSTATUS (status);
  else
    *exit_status = -1;
  if (err_out)
    *err_out = g_steal_pointer (&err);
  return g_steal_pointer (&out);
}

/* Runs the real aqueductctl with FIRST and the arguments after it (NULL-terminated) and @env
 * (name, value pairs) on top of the test's environment; returns stdout. */
char *
aq_test_ctl_valist (const char *const *env,
                    int               *exit_status,
                    char             **err_out,
                    const char        *first,
                    va_list            args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  const char *binary = g_getenv ("AQUEDUCTCTL");

  g_assert_nonnull (binary);
  g_ptr_array_add (argv, (gpointer) binary);
  for (const char *arg = first; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return aq_test_run_command ((const char * const *) argv->pdata, env, exit_status, err_out);
}

/* What a child has written to @fd so far (-1: nothing), without waiting: for messages. */
static char *
drain (int fd)
{
  GString *out = g_string_new (NULL);
  char buf[512];

  while (fd >= 0 && out->len < 4096)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      ssize_t n;

      if (poll (&pfd, 1, 0) <= 0)
        break;
      n = read (fd, buf, sizeof buf);
      if (n <= 0)
        break;
      g_string_append_len (out, buf, n);
    }
  return g_strchomp (g_string_free (out, FALSE));
}

/* One line (without its newline) from a child's pipe @fd, waiting until it arrives: under
 * load a child may take seconds to print it. When the pipe closes first or after @seconds,
 * fails the test with a message saying what was awaited, what came instead and what the
 * child wrote to @err_fd (-1: not captured). Reads byte by byte, so nothing after the line
 * is taken from the pipe. */
char *
aq_test_read_line (int         fd,
                   int         err_fd,
                   guint       seconds,
                   const char *what)
{
  g_autoptr(GString) line = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  for (;;)
    {
      struct pollfd pfd = { fd, POLLIN, 0 };
      gint64 left = deadline - g_get_monotonic_time ();
      g_autofree char *said = NULL;
      char c;
      ssize_t n;
      int ready;

      if (left <= 0)
        {
          said = drain (err_fd);
          g_error ("%s: no line after %u s (got so far: “%s”; its stderr: “%s”)", what,
                   seconds, line->str, said);
        }
      ready = poll (&pfd, 1, (int) MIN (left / 1000 + 1, G_MAXINT));
      if (ready < 0 && errno == EINTR)
        continue;
      if (ready < 0)
        g_error ("%s: poll: %s", what, g_strerror (errno));
      if (ready == 0)
        continue;
      n = read (fd, &c, 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN))
        continue;
      if (n < 0)
        g_error ("%s: read: %s", what, g_strerror (errno));
      if (n == 0)
        {
          said = drain (err_fd);
          g_error ("%s: the process closed its output before the line (got: “%s”; its "
                   "stderr: “%s”)", what, line->str, said);
        }
      if (c == '\n')
        return g_string_free (g_steal_pointer (&line), FALSE);
      g_string_append_c (line, c);
    }
}

static GStrv ctl_env;

/* The environment (name, value pairs) every aq_test_ctl() of this test process adds. */
void
aq_test_ctl_set_env (const char *const *env)
{
  g_strfreev (ctl_env);
  ctl_env = g_strdupv ((char **) env);
}

/* Runs the real aqueductctl with FIRST and the arguments after it (NULL-terminated) in the
 * environment of aq_test_ctl_set_env(); returns stdout. */
char *
aq_test_ctl (int         *exit_status,
             char       **err_out,
             const char  *first,
             ...)
{
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist ((const char * const *) ctl_env, exit_status, err_out, first, args);
  va_end (args);
  return out;
}

/* (transfer full): @text parsed as one JSON object; the test fails if it is not one. */
JsonObject *
aq_test_parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The one value @sql answers, with @param as $1 when given. */
char *
aq_test_text1 (AqDb       *db,
               const char *sql,
               const char *param)
{
  const char *params[] = { param };
  g_autoptr(GError) error = NULL;
  char *value = aq_db_query_string (db, sql, param ? 1 : 0, param ? params : NULL, &error);

  g_assert_no_error (error);
  return value;
}

gint64
aq_test_count1 (AqDb       *db,
                const char *sql,
                const char *param)
{
  g_autofree char *value = aq_test_text1 (db, sql, param);

  return g_ascii_strtoll (value, NULL, 10);
}

/* A test's own database dropped when done: fewer dirty pages for the cluster's shutdown. */
void
aq_test_drop_database (const char *name)
{
  g_autofree char *info = aq_test_conninfo ("postgres");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) admin = aq_db_connect (info, &error);
  g_autofree char *sql = g_strdup_printf ("DROP DATABASE IF EXISTS %s WITH (FORCE)", name);

  g_assert_no_error (error);
  aq_db_exec (admin, sql, &error);
  g_assert_no_error (error);
}

/* A login of the test cluster holding @roles ("agent,supervisor"), which this test's OS user
 * may log in as (a line of the peer map, as `aqueductctl user add --os-user` writes): its
 * conninfo to @dbname, a migrated database. Logins are the cluster's, shared by every test:
 * each test file uses names of its own. */
char *
aq_test_login_conninfo (const char *dbname,
                        const char *login,
                        const char *roles)
{
  g_autofree char *dir = aq_test_cluster_ensure ();
  g_autoptr(AqLocalWarehouse) wh = aq_local_warehouse_new (dir);
  g_autofree char *owner_info = aq_local_warehouse_get_conninfo (wh, dbname);
  g_autofree char *info = aq_local_warehouse_get_login_conninfo (wh, login, dbname);
  g_autoptr(AqDb) owner = NULL;
  g_autoptr(GError) error = NULL;
  struct passwd *pw = getpwuid (geteuid ());
  AqJobRole jobs = AQ_JOB_ROLE_NONE;
  int fd;

  owner = aq_db_connect (owner_info, &error);
  g_assert_no_error (error);
  g_assert_true (aq_job_roles_from_string (roles, &jobs, &error));
  /* the cluster's roles and its peer map are shared by the tests running at once */
  fd = lock_state ();
  aq_users_add (owner, login, jobs, FALSE, &error);
  if (error == NULL)
    aq_local_warehouse_map_os_user (wh, pw->pw_name, login, TRUE, &error);
  flock (fd, LOCK_UN);
  close (fd);
  g_assert_no_error (error);

  /* the server reads the new map on the reload's signal: wait for it */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(AqDb) db = aq_db_connect (info, NULL);

      if (db)
        return g_steal_pointer (&info);
      g_usleep (50 * 1000);
    }
  g_error ("cannot log in as %s", login);
  return NULL;
}

/* ---- aqueductd as a real process ---- */

/* A failed assertion must not leave a daemon behind holding the test's pipes open. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* Waits for its "listening on http://127.0.0.1:PORT/" line: under load the daemon may take
 * seconds to listen. */
void
aq_test_daemon_start (AqTestDaemon      *d,
                      const char        *database_url,
                      const char        *config,
                      const char *const *env,
                      gboolean           capture_stderr)
{
  const char *argv[] = { g_getenv ("AQUEDUCTD"), "--port", "0", NULL, NULL, NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL",
                                         database_url, TRUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  g_assert_nonnull (argv[0]);
  if (config)
    {
      argv[3] = "--config";
      argv[4] = config;
    }
  for (guint i = 0; env && env[i]; i += 2)
    envp = env[i + 1] ? g_environ_setenv (envp, env[i], env[i + 1], TRUE)
                      : g_environ_unsetenv (envp, env[i]);
  d->err_fd = -1;
  g_spawn_async_with_pipes (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                            NULL, &d->pid, NULL, &d->out_fd,
                            capture_stderr ? &d->err_fd : NULL, &error);
  g_assert_no_error (error);
  line = aq_test_read_line (d->out_fd, d->err_fd, 60, "aqueductd's “listening on” line");
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (line, "/"));
  d->base = g_strndup (line + strlen ("listening on "),
                       strlen (line) - strlen ("listening on ") - 1);
}

/* Sends @sig and reaps the daemon: after SIGTERM it must have stopped cleanly (exit 0),
 * after any other signal it must have died of it. */
void
aq_test_daemon_end (AqTestDaemon *d,
                    int           sig)
{
  int status = 0;

  kill (d->pid, sig);
  g_assert_cmpint (waitpid (d->pid, &status, 0), ==, d->pid);
  if (sig == SIGTERM)
    {
      if (!WIFEXITED (status))
        g_error ("aqueductd did not stop cleanly: %s %d",
                 WIFSIGNALED (status) ? "killed by signal" : "status", WIFSIGNALED (status)
                                                                        ? WTERMSIG (status)
                                                                        : status);
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  else
    g_assert_true (WIFSIGNALED (status));
  g_spawn_close_pid (d->pid);
  close (d->out_fd);
  if (d->err_fd >= 0)
    close (d->err_fd);
  d->err_fd = -1;
  g_clear_pointer (&d->base, g_free);
}

/* ---- an HTTP server on loopback ---- */

struct _AqTestHttpServer
{
  GMainContext    *context;
  GMainLoop       *loop;
  GThread         *thread;
  SoupServer      *server;
  guint            port;
  AqTestAnswerFunc answer;
  gpointer         user_data;

  GMutex           lock;
  GPtrArray       *requests;   /* AqTestRequest, in arrival order */
  GHashTable      *per_path;   /* path → requests so far */
};

static void
request_free (AqTestRequest *r)
{
  g_free (r->method);
  g_free (r->path);
  g_free (r->idempotency_key);
  g_free (r->authorization);
  g_bytes_unref (r->body);
  g_free (r->text);
  g_free (r->answer);
  g_free (r);
}

typedef struct
{
  SoupServerMessage *msg;
  guint              status;
  char              *answer;
} Reply;

static void
reply_free (Reply *reply)
{
  soup_server_message_set_status (reply->msg, reply->status, NULL);
  if (reply->answer)
    {
      gsize length = strlen (reply->answer);

      soup_server_message_set_response (reply->msg, "application/json", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&reply->answer), length);
    }
  g_object_unref (reply->msg);
  g_free (reply);
}

/* A late answer: sent when its delay is over. */
static gboolean
reply_late_cb (gpointer user_data)
{
  Reply *reply = user_data;
  SoupServerMessage *msg = g_object_ref (reply->msg);

  reply_free (reply);
  soup_server_message_unpause (msg);
  g_object_unref (msg);
  return G_SOURCE_REMOVE;
}

static void
http_request_cb (SoupServer        *soup_server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  AqTestHttpServer *server = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  AqTestRequest *r = g_new0 (AqTestRequest, 1);
  Reply *reply = g_new0 (Reply, 1);
  guint nth;

  r->method = g_strdup (soup_server_message_get_method (msg));
  r->path = g_strdup (path);
  r->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  r->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  r->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  r->text = g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  r->status = 200;
  r->answer = g_strdup ("{}");
  g_mutex_lock (&server->lock);
  nth = GPOINTER_TO_UINT (g_hash_table_lookup (server->per_path, path)) + 1;
  g_hash_table_insert (server->per_path, g_strdup (path), GUINT_TO_POINTER (nth));
  g_mutex_unlock (&server->lock);
  r->nth = nth;
  if (server->answer)
    server->answer (r, server->user_data);

  reply->msg = g_object_ref (msg);
  reply->status = r->status;
  reply->answer = g_strdup (r->answer);
  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->requests, r);
  g_mutex_unlock (&server->lock);
  if (r->delay_ms == 0)
    {
      reply_free (reply);
      return;
    }
  soup_server_message_pause (msg);
  {
    g_autoptr(GSource) source = g_timeout_source_new (r->delay_ms);

    g_source_set_callback (source, reply_late_cb, reply, NULL);
    g_source_attach (source, server->context);
  }
}

static gpointer
http_server_thread (gpointer user_data)
{
  AqTestHttpServer *server = user_data;

  g_main_context_push_thread_default (server->context);
  g_main_loop_run (server->loop);
  g_main_context_pop_thread_default (server->context);
  return NULL;
}

/* Listens on 127.0.0.1, a free port; @answer (nullable: 200 "{}" to everything) decides
 * each answer on the server's thread. */
AqTestHttpServer *
aq_test_http_server_new (AqTestAnswerFunc answer,
                         gpointer         user_data)
{
  AqTestHttpServer *server = g_new0 (AqTestHttpServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_mutex_init (&server->lock);
  server->answer = answer;
  server->user_data = user_data;
  server->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  server->per_path = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  g_main_context_push_thread_default (server->context);
  server->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server->server, NULL, http_request_cb, server, NULL);
  soup_server_listen_local (server->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (server->context);
  uris = soup_server_get_uris (server->server);
  server->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  server->thread = g_thread_new ("aq-test-http", http_server_thread, server);
  return server;
}

guint
aq_test_http_server_get_port (AqTestHttpServer *server)
{
  return server->port;
}

/* How many requests came so far. */
guint
aq_test_http_server_count (AqTestHttpServer *server)
{
  guint n;

  g_mutex_lock (&server->lock);
  n = server->requests->len;
  g_mutex_unlock (&server->lock);
  return n;
}

/* The requests so far, in arrival order: a new array of the server's own (valid until the
 * server is freed; a recorded request does not change). */
GPtrArray *
aq_test_http_server_requests (AqTestHttpServer *server)
{
  GPtrArray *copy = g_ptr_array_new ();

  g_mutex_lock (&server->lock);
  for (guint i = 0; i < server->requests->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (server->requests, i));
  g_mutex_unlock (&server->lock);
  return copy;
}

/* Waits until @n requests came; fails the test, saying @what, after @seconds. */
void
aq_test_http_server_wait (AqTestHttpServer *server,
                          guint             n,
                          guint             seconds,
                          const char       *what)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (aq_test_http_server_count (server) < n)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("%s: the server had %u of %u requests after %u s", what,
                 aq_test_http_server_count (server), n, seconds);
      g_usleep (5 * 1000);
    }
}

/* Stops the server; answers still waiting for their delay go away with its context. */
void
aq_test_http_server_free (AqTestHttpServer *server)
{
  if (server == NULL)
    return;
  g_main_loop_quit (server->loop);
  g_thread_join (server->thread);
  soup_server_disconnect (server->server);
  g_object_unref (server->server);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);
  g_ptr_array_unref (server->requests);
  g_hash_table_unref (server->per_path);
  g_mutex_clear (&server->lock);
  g_free (server);
}

/* aq-local-warehouse.c — the embedded PostgreSQL + PostGIS cluster
 *
 * A private cluster under the user's data dir: initdb creates it, pg_ctl starts and stops it,
 * it listens only on a unix socket inside its own directory. PostgreSQL refuses to run as
 * root, so when we are root the server runs as the unprivileged "postgres" system user that
 * Debian's packages create, and the directory is handed to that user.
 *
 * Who connects is known, not trusted: local connections use peer authentication, so a login
 * is the OS user who opens the socket. The pg_ident map "aqueduct" lets every OS user log in
 * as the login of their own name, lets the OS user who ran init (and the server's user) log
 * in as the owner "aqueduct" (a superuser, for migrations and administration), and holds one
 * line per extra mapping `aqueductctl user add NAME --os-user USER` made.
 */
#define G_LOG_DOMAIN "aq-warehouse"

#include "aq-local-warehouse.h"
#include <glib/gi18n.h>

#include <errno.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "aq-db.h"
#include "aq-error.h"

#define SERVER_USER "postgres"
#define SUPERUSER "aqueduct"
#define IDENT_MAP "aqueduct"
#define HBA_MARK "# aqueduct: peer authentication"

struct _AqLocalWarehouse
{
  GObject   parent_instance;
  char     *dir;        /* holds data/, the socket and server.log */
  char     *bindir;
  gboolean  throwaway;  /* tests: durability off, speed on */
};

G_DEFINE_FINAL_TYPE (AqLocalWarehouse, aq_local_warehouse, G_TYPE_OBJECT)

/* ---- auxiliary methods ---- */

static char *
find_bindir (void)
{
  const char *env = g_getenv ("AQUEDUCT_PG_BINDIR");
  const char *versions[] = { "17", "16", "15", "14", "13", "12", NULL };
  g_autofree char *initdb = NULL;

  if (env && *env)
    return g_strdup (env);
  for (guint i = 0; versions[i]; i++)
    {
      g_autofree char *dir = g_strdup_printf ("/usr/lib/postgresql/%s/bin", versions[i]);
      g_autofree char *path = g_build_filename (dir, "initdb", NULL);
      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&dir);
    }
  initdb = g_find_program_in_path ("initdb");
  if (initdb)
    return g_path_get_dirname (initdb);
  return NULL;
}

static gboolean
running_as_root (void)
{
  return geteuid () == 0;
}

static char *
data_dir (AqLocalWarehouse *self)
{
  return g_build_filename (self->dir, "data", NULL);
}

/* Runs a PostgreSQL tool as the server's user; its output goes to the error on failure. */
static gboolean
run_tool (AqLocalWarehouse  *self,
          const char        *tool,
          const char *const *args,
          GError           **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (self->bindir == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_WAREHOUSE,
                   _("PostgreSQL server programs not found: install postgresql-15 and "
                   "postgresql-15-postgis-3, or set AQUEDUCT_PG_BINDIR"));
      return FALSE;
    }
  if (running_as_root ())
    {
      g_ptr_array_add (argv, g_strdup ("runuser"));
      g_ptr_array_add (argv, g_strdup ("-u"));
      g_ptr_array_add (argv, g_strdup (SERVER_USER));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_build_filename (self->bindir, tool, NULL));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  /* pg_ctl start keeps the server's stdout open: send output to files so we do not wait for
   * the server to exit. */
  if (!g_spawn_sync ("/", (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     NULL, &err, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_WAREHOUSE, _("%s failed: %s"), tool,
                   err && *err ? g_strstrip (err) : _("no output"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
hand_to_server_user (const char  *path,
                     GError     **error)
{
  struct passwd *pw;

  if (!running_as_root ())
    return TRUE;
  pw = getpwnam (SERVER_USER);
  if (pw == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_WAREHOUSE,
                   _("Running as root, the warehouse needs the system user “%s” "
                   "(created by Debian's postgresql package) to run the server"),
                   SERVER_USER);
      return FALSE;
    }
  if (chown (path, pw->pw_uid, pw->pw_gid) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot hand %s to %s: %s"), path, SERVER_USER, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

/* As root, a directory can be ours and still out of the server user's reach (under /root,
 * say): say so plainly instead of letting initdb fail obscurely. */
static gboolean
check_server_user_access (AqLocalWarehouse  *self,
                          GError           **error)
{
  const char *argv[] = { "runuser", "-u", SERVER_USER, "--", "test", "-w", self->dir, NULL };
  int status = 0;

  if (!running_as_root ())
    return TRUE;
  if (!g_spawn_sync ("/", (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, NULL))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_WAREHOUSE,
                   _("The server runs as the system user “%s”, which cannot reach %s (a parent "
                   "directory is closed to it). Choose a directory it can reach, e.g. "
                   "AQUEDUCT_WAREHOUSE_DIR=/var/lib/aqueduct/warehouse"), SERVER_USER, self->dir);
      return FALSE;
    }
  return TRUE;
}

static const char *
config_text (gboolean throwaway)
{
  if (throwaway)
    return "\n# aqueduct: throwaway cluster for tests\n"
           "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n";
  return "\n# aqueduct: embedded warehouse\nsynchronous_commit = off\n";
}

static char *
os_user_name (void)
{
  struct passwd *pw = getpwuid (geteuid ());

  return g_strdup (pw ? pw->pw_name : g_get_user_name ());
}

static char *
config_path (AqLocalWarehouse *self,
             const char       *name)
{
  g_autofree char *ddir = data_dir (self);
  return g_build_filename (ddir, name, NULL);
}

static gboolean
write_config (AqLocalWarehouse  *self,
              const char        *name,
              const char        *text,
              GError           **error)
{
  g_autofree char *path = config_path (self, name);

  if (!g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  return hand_to_server_user (path, error);
}

/* pg_hba.conf and pg_ident.conf: peer for every local connection, through our map. Kept
 * lines of the map (extra mappings) survive a rewrite. */
static gboolean
write_auth (AqLocalWarehouse  *self,
            GError           **error)
{
  g_autofree char *me = os_user_name ();
  g_autoptr(GString) ident = g_string_new (NULL);
  g_autofree char *ident_path = config_path (self, "pg_ident.conf");
  g_autofree char *old = NULL;
  const char *hba =
    HBA_MARK "\n"
    "# Every local connection is peer-authenticated through the map \"" IDENT_MAP "\" of\n"
    "# pg_ident.conf. No TCP listener (listen_addresses = '').\n"
    "local   all   all   peer map=" IDENT_MAP "\n";

  g_string_append (ident,
                   "# aqueduct: who may log in as whom (system user, login)\n"
                   "# the owner, for migrations and administration\n");
  g_string_append_printf (ident, IDENT_MAP "  %s  " SUPERUSER "\n", me);
  if (g_strcmp0 (me, SERVER_USER) != 0)
    g_string_append_printf (ident, IDENT_MAP "  " SERVER_USER "  " SUPERUSER "\n");
  g_string_append (ident, "# every OS user as the login of the same name\n"
                          IDENT_MAP "  /^(.*)$  \\1\n"
                          "# added by aqueductctl user add --os-user\n");
  if (g_file_get_contents (ident_path, &old, NULL, NULL))
    {
      g_auto(GStrv) lines = g_strsplit (old, "\n", -1);
      gboolean in_added = FALSE;

      for (guint i = 0; lines[i]; i++)
        {
          if (g_str_has_prefix (lines[i], "# added by aqueductctl"))
            in_added = TRUE;
          else if (in_added && *lines[i] && lines[i][0] != '#')
            g_string_append_printf (ident, "%s\n", lines[i]);
        }
    }
  return write_config (self, "pg_hba.conf", hba, error)
         && write_config (self, "pg_ident.conf", ident->str, error);
}

/* A warehouse made before logins existed trusted every local connection: move it to peer. */
static gboolean
upgrade_auth (AqLocalWarehouse  *self,
              GError           **error)
{
  g_autofree char *path = config_path (self, "pg_hba.conf");
  g_autofree char *hba = NULL;

  if (g_file_get_contents (path, &hba, NULL, NULL) && g_str_has_prefix (hba, HBA_MARK))
    return TRUE;
  return write_auth (self, error);
}

static gboolean
reload (AqLocalWarehouse  *self,
        GError           **error)
{
  g_autofree char *ddir = data_dir (self);
  const char *args[] = { "reload", "-D", ddir, "-s", NULL };

  if (!aq_local_warehouse_is_running (self, NULL))
    return TRUE;
  return run_tool (self, "pg_ctl", args, error);
}

/* ---- GObject overrides ---- */

static void
aq_local_warehouse_finalize (GObject *object)
{
  AqLocalWarehouse *self = AQ_LOCAL_WAREHOUSE (object);

  g_free (self->dir);
  g_free (self->bindir);

  G_OBJECT_CLASS (aq_local_warehouse_parent_class)->finalize (object);
}

static void
aq_local_warehouse_class_init (AqLocalWarehouseClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_local_warehouse_finalize;
}

static void
aq_local_warehouse_init (AqLocalWarehouse *self)
{
  self->bindir = find_bindir ();
}

/* ---- public API ---- */

AqLocalWarehouse *
aq_local_warehouse_new (const char *dir)
{
  AqLocalWarehouse *self;

  g_return_val_if_fail (dir != NULL, NULL);

  self = g_object_new (AQ_TYPE_LOCAL_WAREHOUSE, NULL);
  self->dir = g_canonicalize_filename (dir, NULL);
  return self;
}

/**
 * aq_local_warehouse_default_dir:
 *
 * $AQUEDUCT_WAREHOUSE_DIR if set; otherwise the user's data dir. Root's home is closed to
 * the unprivileged server user, so as root the default is /var/lib/aqueduct/warehouse.
 */
char *
aq_local_warehouse_default_dir (void)
{
  const char *env = g_getenv ("AQUEDUCT_WAREHOUSE_DIR");

  if (env && *env)
    return g_strdup (env);
  if (running_as_root ())
    return g_strdup ("/var/lib/aqueduct/warehouse");
  return g_build_filename (g_get_user_data_dir (), "aqueduct", "warehouse", NULL);
}

AqLocalWarehouse *
aq_local_warehouse_new_default (void)
{
  g_autofree char *dir = aq_local_warehouse_default_dir ();
  return aq_local_warehouse_new (dir);
}

const char *
aq_local_warehouse_get_dir (AqLocalWarehouse *self)
{
  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), NULL);
  return self->dir;
}

void
aq_local_warehouse_set_throwaway (AqLocalWarehouse *self,
                                  gboolean          throwaway)
{
  g_return_if_fail (AQ_IS_LOCAL_WAREHOUSE (self));
  self->throwaway = throwaway;
}

gboolean
aq_local_warehouse_is_initialized (AqLocalWarehouse *self)
{
  g_autofree char *ddir = data_dir (self);
  g_autofree char *version = g_build_filename (ddir, "PG_VERSION", NULL);

  return g_file_test (version, G_FILE_TEST_EXISTS);
}

gboolean
aq_local_warehouse_is_running (AqLocalWarehouse *self,
                               GPid             *out_pid)
{
  g_autofree char *ddir = data_dir (self);
  g_autofree char *pidfile = g_build_filename (ddir, "postmaster.pid", NULL);
  g_autofree char *contents = NULL;
  gint64 pid;

  if (!g_file_get_contents (pidfile, &contents, NULL, NULL))
    return FALSE;
  pid = g_ascii_strtoll (contents, NULL, 10);
  if (pid <= 0 || (kill ((pid_t) pid, 0) != 0 && errno != EPERM))
    return FALSE;
  if (out_pid)
    *out_pid = (GPid) pid;
  return TRUE;
}

gboolean
aq_local_warehouse_create (AqLocalWarehouse  *self,
                           GError           **error)
{
  g_autofree char *ddir = data_dir (self);
  g_autofree char *conf = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *parent = NULL;
  g_autoptr(GString) settings = NULL;

  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), FALSE);

  if (aq_local_warehouse_is_initialized (self))
    return TRUE;

  /* parents stay open (the server user must get through them to the directory), the
   * directory itself can be passed through, not read */
  parent = g_path_get_dirname (self->dir);
  if (g_mkdir_with_parents (parent, 0755) != 0
      || (g_mkdir (self->dir, 0711) != 0 && errno != EEXIST))
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create %s: %s"), self->dir, g_strerror (saved));
      return FALSE;
    }
  /* others may reach the socket inside (peer authentication says who they are), not list it */
  g_chmod (self->dir, 0711);
  if (!hand_to_server_user (self->dir, error) || !check_server_user_access (self, error))
    return FALSE;

  {
    const char *args[] = { "-D", ddir, "-U", SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8",
                           "--auth-local=peer", "--auth-host=scram-sha-256", "-N", NULL };
    if (!run_tool (self, "initdb", args, error))
      return FALSE;
  }

  settings = g_string_new (NULL);
  g_string_append_printf (settings,
                          "\nlisten_addresses = ''\n"
                          "unix_socket_directories = '%s'\n"
                          /* anyone may knock: peer authentication says who they are */
                          "unix_socket_permissions = 0777\n"
                          "shared_buffers = 512MB\n"
                          "work_mem = 64MB\n"
                          "maintenance_work_mem = 512MB\n"
                          "max_wal_size = 2GB\n"
                          "checkpoint_timeout = 30min\n"
                          "jit = off\n"
                          "max_parallel_workers_per_gather = 2\n"
                          /* no replicas: pipelines' replace loads then skip WAL */
                          "wal_level = minimal\n"
                          "max_wal_senders = 0\n"
                          "logging_collector = off\n",
                          self->dir);
  g_string_append (settings, config_text (self->throwaway));
  conf = g_build_filename (ddir, "postgresql.auto.conf", NULL);
  {
    g_autofree char *old = NULL;
    g_file_get_contents (conf, &old, NULL, NULL);
    extra = g_strconcat (old ? old : "", settings->str, NULL);
  }
  if (!g_file_set_contents (conf, extra, -1, error))
    return FALSE;
  if (!hand_to_server_user (conf, error))
    return FALSE;

  return write_auth (self, error);
}

gboolean
aq_local_warehouse_start (AqLocalWarehouse  *self,
                          GError           **error)
{
  g_autofree char *ddir = data_dir (self);
  g_autofree char *log = g_build_filename (self->dir, "server.log", NULL);
  const char *args[] = { "start", "-D", ddir, "-l", log, "-w", "-t", "60", "-s", NULL };

  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), FALSE);

  if (!aq_local_warehouse_is_initialized (self))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_WAREHOUSE,
                   _("No warehouse in %s: run “aqueductctl warehouse init” first"), self->dir);
      return FALSE;
    }
  if (aq_local_warehouse_is_running (self, NULL))
    return TRUE;
  if (!upgrade_auth (self, error))
    return FALSE;
  if (!run_tool (self, "pg_ctl", args, error))
    {
      g_autofree char *tail = NULL;
      if (g_file_get_contents (log, &tail, NULL, NULL) && error && *error)
        {
          gsize len = strlen (tail);
          const char *last = len > 600 ? tail + len - 600 : tail;
          g_prefix_error (error, "%s\n", g_strstrip ((char *) last));
        }
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_local_warehouse_stop (AqLocalWarehouse  *self,
                         GError           **error)
{
  g_autofree char *ddir = data_dir (self);
  const char *args[] = { "stop", "-D", ddir, "-m", "fast", "-w", "-s", NULL };

  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), FALSE);

  if (!aq_local_warehouse_is_running (self, NULL))
    return TRUE;
  return run_tool (self, "pg_ctl", args, error);
}

static gboolean
remove_tree (GFile         *file,
             GError       **error)
{
  g_autoptr(GFileEnumerator) en = NULL;
  g_autoptr(GError) local_error = NULL;

  en = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (en != NULL)
    {
      while (TRUE)
        {
          GFile *child = NULL;
          if (!g_file_enumerator_iterate (en, NULL, &child, NULL, error))
            return FALSE;
          if (child == NULL)
            break;
          if (!remove_tree (child, error))
            return FALSE;
        }
    }
  else if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return g_file_delete (file, NULL, error);
}

/* Stops the server and deletes the whole directory: for throwaway clusters. */
gboolean
aq_local_warehouse_destroy (AqLocalWarehouse  *self,
                            GError           **error)
{
  g_autoptr(GFile) dir = NULL;

  if (!aq_local_warehouse_stop (self, error))
    return FALSE;
  dir = g_file_new_for_path (self->dir);
  if (!g_file_query_exists (dir, NULL))
    return TRUE;
  return remove_tree (dir, error);
}

/* Creates @dbname if it does not exist yet (connecting to the maintenance database). */
gboolean
aq_local_warehouse_ensure_database (AqLocalWarehouse  *self,
                                    const char        *dbname,
                                    GError           **error)
{
  g_autofree char *conninfo = aq_local_warehouse_get_conninfo (self, "postgres");
  g_autoptr(AqDb) db = aq_db_connect (conninfo, error);
  g_autofree char *exists = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *params[] = { dbname };

  if (db == NULL)
    return FALSE;
  exists = aq_db_query_string (db, "SELECT 1 FROM pg_database WHERE datname = $1", 1, params,
                               &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (exists)
    return TRUE;
  quoted = aq_db_quote_ident (dbname);
  sql = g_strdup_printf ("CREATE DATABASE %s", quoted);
  return aq_db_exec (db, sql, error);
}

static char *
conninfo_for (AqLocalWarehouse *self,
              const char       *user,
              const char       *dbname)
{
  g_autoptr(GString) s = g_string_new ("host='");

  for (const char *p = self->dir; *p; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
  if (user)
    g_string_append_printf (s, " user=%s", user);
  g_string_append_printf (s, " dbname=%s", dbname ? dbname : "aqueduct");
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * aq_local_warehouse_get_conninfo:
 *
 * The owner's connection (a superuser): for init, migrations, administration and tests. The
 * OS user who ran init, and the server's user, may use it.
 */
char *
aq_local_warehouse_get_conninfo (AqLocalWarehouse *self,
                                 const char       *dbname)
{
  return conninfo_for (self, SUPERUSER, dbname);
}

/**
 * aq_local_warehouse_get_login_conninfo:
 * @login: (nullable): the login; %NULL means the one of the OS user's own name
 *
 * A person's connection: peer authentication decides whether this OS user may be @login.
 */
char *
aq_local_warehouse_get_login_conninfo (AqLocalWarehouse *self,
                                       const char       *login,
                                       const char       *dbname)
{
  g_autofree char *me = NULL;

  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), NULL);

  if (login == NULL)
    login = me = os_user_name ();
  return conninfo_for (self, login, dbname);
}

/**
 * aq_local_warehouse_get_init_login:
 *
 * The login of the OS user running this, who administers the warehouse; %NULL when that
 * name is taken by the owner or the server's user.
 */
char *
aq_local_warehouse_get_init_login (AqLocalWarehouse *self)
{
  g_autofree char *me = os_user_name ();

  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), NULL);

  if (g_str_equal (me, SUPERUSER) || g_str_equal (me, SERVER_USER))
    return NULL;
  return g_steal_pointer (&me);
}

/**
 * aq_local_warehouse_map_os_user:
 * @os_user: (nullable): a local OS user; unused when removing
 * @login: a login role
 * @add: %TRUE adds the mapping @os_user → @login, %FALSE removes every extra mapping to @login
 *
 * Extra lines of the peer map (pg_ident.conf) beyond "each OS user as their own name", then a
 * reload. A connection opened right after may still meet the old map for a moment.
 */
gboolean
aq_local_warehouse_map_os_user (AqLocalWarehouse  *self,
                                const char        *os_user,
                                const char        *login,
                                gboolean           add,
                                GError           **error)
{
  g_autofree char *path = NULL;
  g_autofree char *old = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gboolean in_added = FALSE;
  gboolean present = FALSE;

  g_return_val_if_fail (AQ_IS_LOCAL_WAREHOUSE (self), FALSE);
  g_return_val_if_fail (login != NULL, FALSE);

  for (const char *p = login; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Not a login name: %s"), login);
        return FALSE;
      }
  for (const char *p = os_user ? os_user : ""; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Not an OS user name: %s"), os_user);
        return FALSE;
      }
  path = config_path (self, "pg_ident.conf");
  if (!g_file_get_contents (path, &old, NULL, error))
    return FALSE;
  lines = g_strsplit (old, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (g_str_has_prefix (lines[i], "# added by aqueductctl"))
        in_added = TRUE;
      if (in_added && *lines[i] && lines[i][0] != '#')
        {
          fields = g_strsplit_set (lines[i], " \t", -1);
          {
            g_autoptr(GPtrArray) words = g_ptr_array_new ();

            for (guint j = 0; fields[j]; j++)
              if (*fields[j])
                g_ptr_array_add (words, fields[j]);
            if (words->len == 3 && g_str_equal (words->pdata[2], login))
              {
                if (!add)
                  continue;
                if (g_strcmp0 (words->pdata[1], os_user) == 0)
                  present = TRUE;
              }
          }
        }
      if (lines[i + 1] != NULL || *lines[i])
        g_string_append_printf (out, "%s\n", lines[i]);
    }
  if (add && !present)
    g_string_append_printf (out, IDENT_MAP "  %s  %s\n", os_user, login);
  return write_config (self, "pg_ident.conf", out->str, error) && reload (self, error);
}

char *
aq_local_warehouse_get_url (AqLocalWarehouse *self,
                            const char       *dbname)
{
  g_autofree char *host = g_uri_escape_string (self->dir, NULL, FALSE);
  return g_strdup_printf ("postgresql://%s@%s/%s", SUPERUSER, host,
                          dbname ? dbname : "aqueduct");
}

static gint64
tree_size (GFile *file)
{
  g_autoptr(GFileEnumerator) en = NULL;
  gint64 total = 0;

  en = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                  G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                  G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (en == NULL)
    return 0;
  while (TRUE)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;
      if (!g_file_enumerator_iterate (en, &info, &child, NULL, NULL) || info == NULL)
        break;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        total += tree_size (child);
      else
        total += g_file_info_get_size (info);
    }
  return total;
}

gint64
aq_local_warehouse_get_disk_size (AqLocalWarehouse *self)
{
  g_autoptr(GFile) dir = g_file_new_for_path (self->dir);
  return tree_size (dir);
}

/* test-screen-pop.c — a softphone's screen-pop over D-Bus activation, end to end
 *
 * A session bus of the test's own whose only service is Aqueduct, described by the service
 * file the build installs (its Exec pointed at the build tree's binary). The test calls
 * org.freedesktop.Application.ActivateAction("lookup", ["<phone>"]) as a softphone would,
 * with Aqueduct not running: the bus starts the real `aqueduct`, which looks the caller up in
 * the test warehouse. The effect is checked where it lands: the lookup's audit row.
 */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define DB_NAME "t_screen_pop"
#define APP_ID "org.aqueduct.Aqueduct"
#define APP_PATH "/org/aqueduct/Aqueduct"

static AqDb *db;

typedef struct
{
  char            *dir;
  GPid             daemon_pid;
  GDBusConnection *bus;
} Bus;

/* The installed service file's Exec, with the build tree's aqueduct in place of the
 * installed one, so that what is tested is the file the build ships. */
static char *
service_file_for_tests (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "data",
                                            APP_ID ".service", NULL);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *args = NULL;

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  name = g_key_file_get_string (file, "D-BUS Service", "Name", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, APP_ID);
  exec = g_key_file_get_string (file, "D-BUS Service", "Exec", &error);
  g_assert_no_error (error);
  g_shell_parse_argv (exec, NULL, &argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (argv[0], "/aqueduct"));
  args = g_strjoinv (" ", argv + 1);
  return g_strdup_printf ("[D-BUS Service]\nName=%s\nExec=%s %s\n", name,
                          g_getenv ("AQUEDUCT"), args);
}

/* A failed assertion must not leave the bus behind; with the bus, the app goes too (GIO exits
 * a process whose session bus closed). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* dbus-daemon with a configuration of its own; what it starts inherits the test's
 * environment, with AQUEDUCT_DATABASE_URL naming the test warehouse. */
static void
bus_start (Bus *bus)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *services = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *service = service_file_for_tests ();
  g_autofree char *service_path = NULL;
  g_autofree char *conninfo = aq_test_conninfo (DB_NAME);
  g_auto(GStrv) envp = g_get_environ ();
  g_autofree char *address = NULL;
  int out_fd = -1;
  const char *argv[] = { "dbus-daemon", "--nofork", "--print-address=1", NULL, NULL };

  bus->dir = g_dir_make_tmp ("aq-screen-pop-XXXXXX", &error);
  g_assert_no_error (error);
  services = g_build_filename (bus->dir, "services", NULL);
  g_assert_cmpint (g_mkdir (services, 0700), ==, 0);
  service_path = g_build_filename (services, APP_ID ".service", NULL);
  g_file_set_contents (service_path, service, -1, &error);
  g_assert_no_error (error);

  config = g_strdup_printf (
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>session</type>\n"
    "  <listen>unix:dir=%s</listen>\n"
    "  <servicedir>%s</servicedir>\n"
    "  <policy context=\"default\">\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n", bus->dir, services);
  config_path = g_build_filename (bus->dir, "session.conf", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  envp = g_environ_setenv (envp, "AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  /* the app must not find a running Aqueduct, nor a keyring, on some other bus */
  envp = g_environ_unsetenv (envp, "DBUS_SESSION_BUS_ADDRESS");
  argv[3] = g_strdup_printf ("--config-file=%s", config_path);
  /* DO_NOT_REAP_CHILD: without it GLib spawns through an intermediate child that exits at
   * once, and PR_SET_PDEATHSIG (which follows the parent) then killed dbus-daemon before it
   * printed its address whenever the intermediate exited after the prctl — the load-dependent
   * failure of this test. bus_stop() reaps it. */
  g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent,
                            NULL, &bus->daemon_pid, NULL, &out_fd, NULL, &error);
  g_free ((char *) argv[3]);
  g_assert_no_error (error);

  /* dbus-daemon prints its address once it listens, which under load takes a while */
  /* (its stderr stays the test's: the app it starts writes there too) */
  address = aq_test_read_line (out_fd, -1, 60, "dbus-daemon --print-address");
  close (out_fd);
  g_strstrip (address);
  g_assert_true (g_str_has_prefix (address, "unix:"));

  bus->bus = g_dbus_connection_new_for_address_sync (
    address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
             | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static gboolean
name_has_owner (Bus *bus)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has = FALSE;

  reply = g_dbus_connection_call_sync (bus->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply)
    g_variant_get (reply, "(b)", &has);
  return has;
}

static void
bus_stop (Bus *bus)
{
  /* the app first, through its own quit action, so that it leaves no window behind */
  if (name_has_owner (bus))
    {
      g_autoptr(GVariant) reply = NULL;
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      reply = g_dbus_connection_call_sync (bus->bus, APP_ID, APP_PATH,
                                           "org.freedesktop.Application", "ActivateAction",
                                           g_variant_new ("(sav@a{sv})", "quit", NULL,
                                                          g_variant_new_array (
                                                            G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                           NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, 10000, NULL,
                                           NULL);
      while (name_has_owner (bus))
        {
          if (g_get_monotonic_time () > deadline)
            g_error ("the app still owns %s on the test bus 30 s after its quit action", APP_ID);
          g_usleep (100 * 1000);
        }
    }
  g_clear_object (&bus->bus);
  kill (bus->daemon_pid, SIGTERM);
  waitpid (bus->daemon_pid, NULL, 0);
  g_spawn_close_pid (bus->daemon_pid);
  remove_tree (bus->dir);
  g_free (bus->dir);
}

static gint64
audit_rows_for (const char *object)
{
  const char *params[] = { object };
  g_autoptr(GError) error = NULL;
  g_autofree char *value = aq_db_query_string (db, "SELECT count(*) FROM meta.audit_log"
                                                   " WHERE action = 'customer.lookup'"
                                                   "   AND object = $1", 1, params, &error);

  g_assert_no_error (error);
  return g_ascii_strtoll (value, NULL, 10);
}

static void
test_activate_lookup (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *typed = NULL;
  Bus bus = { 0, };
  gint64 deadline;
  gint64 rows = 0;

  phone = aq_db_query_string (db, "SELECT value FROM dw.contact WHERE kind = 'mobile'"
                                  " ORDER BY value LIMIT 1", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (phone);
  /* as a softphone may pass it: with the country code */
  typed = g_strdup_printf ("+86%s", phone);
  g_assert_cmpint (audit_rows_for (phone), ==, 0);

  bus_start (&bus);
  g_assert_false (name_has_owner (&bus));
  reply = g_dbus_connection_call_sync (bus.bus, APP_ID, APP_PATH,
                                       "org.freedesktop.Application", "ActivateAction",
                                       g_variant_new ("(s@av@a{sv})", "lookup",
                                                      g_variant_new_array (
                                                        G_VARIANT_TYPE_VARIANT,
                                                        (GVariant *[]) {
                                                          g_variant_new_variant (
                                                            g_variant_new_string (typed)) }, 1),
                                                      g_variant_new_array (
                                                        G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, 60000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (name_has_owner (&bus));

  /* the lookup runs on a worker of the started app: its audit row is the proof */
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while ((rows = audit_rows_for (phone)) == 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the started app wrote no customer.lookup audit row for %s within 60 s", phone);
      g_usleep (200 * 1000);
    }
  g_assert_cmpint (rows, ==, 1);

  bus_stop (&bus);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *daemon = g_find_program_in_path ("dbus-daemon");
  int ret;

  g_test_init (&argc, &argv, NULL);
  if (daemon == NULL)
    {
      g_test_skip ("dbus-daemon is not installed");
      return g_test_run ();
    }
  db = aq_test_demo_db_new (DB_NAME, 2000, 13);

  g_test_add_func ("/screen-pop/activate-lookup", test_activate_lookup);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

/* main.c — aqueductd, the headless service */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "aq-d-build-tree.h"
#include "aq-daemon.h"
#include "aq-delivery.h"
#include "aqueduct-core.h"

static AqDaemon  *the_daemon;

/* Run from the build directory, the translations are the build's own (as the app does). */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  return exe != NULL && g_str_equal (exe, AQ_D_BUILD_EXECUTABLE);
}
static gboolean   stopping;

static void
shutdown_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!aq_daemon_shutdown_finish (AQ_DAEMON (object), result, &error))
    g_warning ("stopping: %s", error->message);
  g_main_loop_quit (user_data);
}

/* The first signal stops gracefully (requests in flight finish, leases go back); a second
 * one quits at once — the leases then simply run out. */
static gboolean
quit_cb (gpointer user_data)
{
  if (stopping)
    {
      g_message ("stopping now");
      g_main_loop_quit (user_data);
      return G_SOURCE_CONTINUE;   /* removed by main() */
    }
  stopping = TRUE;
  g_message ("stopping");
  aq_daemon_shutdown_async (the_daemon, shutdown_cb, user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *config = NULL;
  g_autofree char *address = NULL;
  int port = -1;
  guint term_id, int_id;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config,
      N_("Key file with [daemon], [warehouse], [relay], [limits], [provider.NAME]"), "FILE" },
    { "address", 0, 0, G_OPTION_ARG_STRING, &address, N_("Address to listen on (127.0.0.1)"),
      "IP" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port to listen on (8089; 0 picks a free one)"),
      "PORT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (N_("— Aqueduct's service"));
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDaemon) daemon = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, running_from_build_tree () ? AQ_D_BUILD_LOCALE_DIR
                                                              : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("aqueductd");
  aq_core_init ();
  aq_delivery_register ();
  aq_api_lineage_register ();
  aq_network_register ();

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("aqueductd: %s\n", error->message);
      return 2;
    }

  daemon = aq_daemon_new (NULL);
  if (config && !aq_daemon_load_config (daemon, config, &error))
    {
      g_printerr ("aqueductd: %s\n", error->message);
      return 2;
    }
  if (!aq_daemon_listen (daemon, address, port < 0 ? G_MAXUINT : (guint) port, &error))
    {
      g_printerr (_("aqueductd: cannot listen: %s\n"), error->message);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  the_daemon = daemon;
  /* before the line below: whoever reads it may stop us at once, and must get a graceful stop */
  term_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  int_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  aq_daemon_start (daemon);
  /* one line a supervisor (or a test) can read to find us */
  g_print ("listening on http://%s:%u/\n", aq_daemon_get_address (daemon),
           aq_daemon_get_port (daemon));
  g_main_loop_run (loop);
  /* the handlers hold the loop, which goes first; the daemon is freed after it (g_autoptr) */
  g_source_remove (term_id);
  g_source_remove (int_id);
  return 0;
}

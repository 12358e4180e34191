/* main.c — aqueduct, the workstation */
#define G_LOG_DOMAIN "aqueduct"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "aq-application.h"
#include "aq-build-tree.h"
#include "aq-ui.h"

/* Run from the build directory (builddir/src/ui/aqueduct), the schema and the translations
 * are the build's own, not whatever an installed copy left in the system. */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  return exe != NULL && g_str_equal (exe, AQ_BUILD_EXECUTABLE);
}

static void
prepend_schema_dir (const char *dir)
{
  const char *current = g_getenv ("GSETTINGS_SCHEMA_DIR");
  g_autofree char *value = NULL;

  if (current && *current)
    value = g_strjoin (G_SEARCHPATH_SEPARATOR_S, dir, current, NULL);
  else
    value = g_strdup (dir);
  g_setenv ("GSETTINGS_SCHEMA_DIR", value, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AqApplication) app = NULL;
  const char *localedir = LOCALEDIR;
  int status;

  if (running_from_build_tree ())
    {
      prepend_schema_dir (AQ_BUILD_SCHEMA_DIR);
      localedir = AQ_BUILD_LOCALE_DIR;
    }

  /* Before GTK starts: --help and the command line's errors are translated too. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  aq_ui_init ();

  app = aq_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : aq_application_get_exit_status (app);
}

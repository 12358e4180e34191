/* aq-ctl-common.c — output, errors and progress for aqueductctl */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include "aq-ctl.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

/* Prints the error and maps its domain and code to an exit code scripts can act on. */
int
aq_ctl_fail (GError *error)
{
  aq_ctl_progress_done ();
  g_printerr ("aqueductctl: %s\n", error->message);
  if (g_error_matches (error, AQ_ERROR, AQ_ERROR_CONNECTION))
    return AQ_CTL_UNAVAILABLE;
  if (g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID)
      || g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND)
      || error->domain == G_OPTION_ERROR
      || error->domain == JSON_PARSER_ERROR)
    return AQ_CTL_USAGE;
  return AQ_CTL_FAILED;
}

int
aq_ctl_usage (const char *usage,
              const char *message)
{
  if (message)
    g_printerr ("aqueductctl: %s\n", message);
  g_printerr (_("Usage: aqueductctl %s\n"), _(usage));
  return AQ_CTL_USAGE;
}

gboolean
aq_ctl_parse (GOptionContext   *context,
              int              *argc,
              char           ***argv,
              int              *exit_code)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("aqueductctl: %s\n", error->message);
      *exit_code = AQ_CTL_USAGE;
      return FALSE;
    }
  return TRUE;
}

void
aq_ctl_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (gen, TRUE);
  json_generator_set_root (gen, node);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static gboolean progress_shown;

/* A single progress line, redrawn in place, only when stderr is a terminal. */
void
aq_ctl_progress (double      fraction,
                 const char *message,
                 gpointer    user_data)
{
  if (!isatty (STDERR_FILENO))
    return;
  if (fraction >= 0)
    g_printerr ("\r\033[K[%3.0f%%] %s", fraction * 100.0, message ? message : "");
  else
    g_printerr ("\r\033[K[....] %s", message ? message : "");
  progress_shown = TRUE;
}

void
aq_ctl_progress_done (void)
{
  if (progress_shown)
    g_printerr ("\r\033[K");
  progress_shown = FALSE;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_CONTINUE;
}

static gpointer
signal_thread (gpointer user_data)
{
  g_autoptr(GMainContext) ctx = g_main_context_new ();
  g_autoptr(GSource) sint = g_unix_signal_source_new (SIGINT);
  g_autoptr(GSource) sterm = g_unix_signal_source_new (SIGTERM);

  g_source_set_callback (sint, interrupted_cb, user_data, NULL);
  g_source_set_callback (sterm, interrupted_cb, user_data, NULL);
  g_source_attach (sint, ctx);
  g_source_attach (sterm, ctx);
  while (TRUE)
    g_main_context_iteration (ctx, TRUE);
  return NULL;
}

/* A cancellable that Ctrl+C (or SIGTERM) cancels, so long work stops cleanly and rolls back. */
GCancellable *
aq_ctl_cancellable (void)
{
  static GCancellable *cancellable;

  if (cancellable == NULL)
    {
      cancellable = g_cancellable_new ();
      g_thread_unref (g_thread_new ("signals", signal_thread, cancellable));
    }
  return cancellable;
}

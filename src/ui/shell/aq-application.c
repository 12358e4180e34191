/* aq-application.c — the Aqueduct application: windows, actions, command line
 *
 * One connection monitor for the whole application, fed from the profile in GSettings and the
 * keyring. "--screenshot PANEL=FILE" runs a non-unique instance that draws each panel with
 * live data into a PNG and quits; "--lookup PHONE" (and app.lookup) opens Customer 360.
 */
#define G_LOG_DOMAIN "aq-application"

#include "config.h"

#include "aq-application.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "aq-cockpit-panel.h"
#include "aq-connection-monitor.h"
#include "aq-kiosk-window.h"
#include "aq-preferences-window.h"
#include "aq-screenshot.h"
#include "aq-ui.h"
#include "aq-window.h"

#define SCREENSHOT_WIDTH 1280
#define SCREENSHOT_HEIGHT 800
#define SCREENSHOT_TIMEOUT_US (10 * G_USEC_PER_SEC)

struct _AqApplication
{
  AdwApplication       parent_instance;

  GSettings           *settings;
  AqConnectionMonitor *monitor;
  GCancellable        *cancellable;

  /* --kiosk */
  AqKioskWindow       *kiosk;

  /* --screenshot */
  GStrv                shots;         /* "PANEL=FILE" */
  guint                shot_index;
  AqWindow            *shot_window;
  gint64               shot_deadline;
  guint                shot_frames;
  int                  exit_status;
};

G_DEFINE_FINAL_TYPE (AqApplication, aq_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "screenshot", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Draw PANEL with live data into the PNG FILE and quit (repeatable). Panels: overview, "
       "customer, report, outage, quality, pipeline"),
    N_("PANEL=FILE") },
  { "kiosk", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Show the dashboards NAME,… full screen as big screens"), N_("NAME[,NAME…]") },
  { "monitor", 0, 0, G_OPTION_ARG_INT, NULL, N_("The monitor for --kiosk (0, 1, …)"),
    N_("N") },
  { "rotate", 0, 0, G_OPTION_ARG_INT, NULL,
    N_("Show the next --kiosk dashboard every SECONDS"), N_("SECONDS") },
  { "lookup", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open Customer 360 for a phone number"), N_("PHONE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
  { NULL }
};

static void screenshot_next (AqApplication *self);

/* ---- auxiliary methods ---- */

/* Splits "PANEL=FILE"; the error says what is wrong in words the user can act on. */
static gboolean
parse_shot (const char  *shot,
            char       **out_panel,
            char       **out_file,
            GError     **error)
{
  const char *eq = strchr (shot, '=');
  g_autofree char *panel = NULL;
  g_autofree char *names = NULL;

  if (eq == NULL || eq == shot || eq[1] == '\0')
    {
      /* Translators: %s is what was given to --screenshot */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not PANEL=FILE.png"), shot);
      return FALSE;
    }
  panel = g_strndup (shot, eq - shot);
  /* "cockpit:NAME" is the cockpit panel showing dashboard NAME; "kiosk" the --kiosk window */
  if (!aq_window_is_panel_name (panel) && !g_str_equal (panel, "kiosk")
      && !(g_str_has_prefix (panel, "cockpit:") && panel[8] != '\0'))
    {
      names = g_strjoinv (", ", (char **) aq_window_get_panel_names ());
      /* Translators: the first %s is a panel name, the second the list of valid names */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("There is no panel “%s”: use one of %s"), panel, names);
      return FALSE;
    }
  if (out_panel)
    *out_panel = g_steal_pointer (&panel);
  if (out_file)
    *out_file = g_strdup (eq + 1);
  return TRUE;
}

static AqWindow *
get_window (AqApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (AQ_IS_WINDOW (window))
    return AQ_WINDOW (window);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (AQ_IS_WINDOW (l->data))
      return AQ_WINDOW (l->data);

  window = GTK_WINDOW (aq_window_new (GTK_APPLICATION (self), self->monitor));
  g_settings_bind (self->settings, "window-width", window, "default-width",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", window, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", window, "maximized",
                   G_SETTINGS_BIND_DEFAULT);
  return AQ_WINDOW (window);
}

static void
lookup (AqApplication *self,
        const char    *phone)
{
  AqWindow *window = get_window (self);

  aq_window_lookup (window, phone);
  gtk_window_present (GTK_WINDOW (window));
}

static void
use_profile (AqApplication *self,
             const char    *url,
             const char    *password)
{
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;

  if (url != NULL)
    {
      conninfo = aq_profile_conninfo (url, password, &error);
      /* A broken URL still goes to the monitor: its failure is what the user gets to see. */
      if (conninfo == NULL)
        conninfo = g_strdup (url);
    }
  aq_connection_monitor_set_conninfo (self->monitor, conninfo);
  aq_connection_monitor_check_now (self->monitor);
}

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  AqApplication *self = user_data;
  g_autofree char *password = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  password = aq_keyring_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* No keyring (a bare session): connect without a password, libpq may still find one in
   * ~/.pgpass; if not, the connection's error says so. */
  if (error != NULL)
    g_message ("The keyring could not be read: %s", error->message);

  url = g_settings_get_string (self->settings, "connection-url");
  use_profile (self, url, password);
}

/* Reads the profile from GSettings (and the keyring) and points the monitor at it. */
static void
load_profile (AqApplication *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "connection-mode");
  g_autofree char *url = g_settings_get_string (self->settings, "connection-url");

  /* The environment wins anyway: do not ask the keyring (and maybe the user) for nothing. */
  if (g_getenv ("AQUEDUCT_DATABASE_URL") != NULL || !g_str_equal (mode, "url") || *url == '\0')
    {
      use_profile (self, NULL, NULL);
      return;
    }
  aq_keyring_lookup_async (url, self->cancellable, lookup_password_cb, self);
}

/* ---- screenshots ---- */

static gboolean
screenshot_ready (AqApplication *self,
                  const char    *panel)
{
  AqPanel *page;

  if (self->kiosk)
    return !aq_kiosk_window_get_loading (self->kiosk);
  if (g_str_has_prefix (panel, "cockpit:"))
    {
      AqCockpitPanel *cockpit = AQ_COCKPIT_PANEL (aq_window_get_panel (self->shot_window,
                                                                       "cockpit"));

      return g_strcmp0 (aq_cockpit_panel_get_dashboard_name (cockpit), panel + 8) == 0
             && aq_dashboard_view_get_dashboard (aq_cockpit_panel_get_view (cockpit))
             && !aq_panel_get_loading (AQ_PANEL (cockpit));
    }
  page = aq_window_get_panel (self->shot_window, panel);

  if (aq_connection_monitor_get_state (self->monitor) == AQ_CONNECTION_STATE_CONNECTING)
    return FALSE;
  return page == NULL || !aq_panel_get_loading (page);
}

/* Returns FALSE, saying nothing, when the capture failed and may be tried again on a later
 * frame (a window that has not produced a frame yet, as on a loaded machine). */
static gboolean
screenshot_take (AqApplication *self,
                 const char    *file,
                 gboolean       last_try)
{
  g_autoptr(GError) error = NULL;

  if (!aq_screenshot_save_png (self->kiosk ? GTK_WIDGET (self->kiosk)
                                            : GTK_WIDGET (self->shot_window), file, &error))
    {
      if (!last_try)
        return FALSE;
      g_printerr ("aqueduct: %s\n", error->message);
      self->exit_status = 1;
    }
  return TRUE;
}

/* Waits, frame by frame, until the panel has its data (or the time is up), then lets two more
 * frames pass so that what was loaded is laid out and drawn before it is captured. */
static gboolean
screenshot_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *frame_clock,
                    gpointer       user_data)
{
  AqApplication *self = user_data;
  g_autofree char *panel = NULL;
  g_autofree char *file = NULL;
  gboolean timed_out;

  parse_shot (self->shots[self->shot_index], &panel, &file, NULL);
  timed_out = g_get_monotonic_time () > self->shot_deadline;

  if (!timed_out && !screenshot_ready (self, panel))
    {
      self->shot_frames = 0;
      return G_SOURCE_CONTINUE;
    }
  if (self->shot_frames++ < 2)
    {
      gtk_widget_queue_draw (widget);
      return G_SOURCE_CONTINUE;
    }

  if (!screenshot_take (self, file, timed_out))
    {
      self->shot_frames = 0;
      gtk_widget_queue_draw (widget);
      return G_SOURCE_CONTINUE;
    }
  if (timed_out && !screenshot_ready (self, panel))
    g_printerr (_("aqueduct: the %s panel was still loading after 10 s; the screenshot shows "
                  "it that way\n"), panel);

  self->shot_index++;
  screenshot_next (self);
  return G_SOURCE_REMOVE;
}

static void
screenshot_next (AqApplication *self)
{
  g_autofree char *panel = NULL;

  GtkWidget *window = self->kiosk ? GTK_WIDGET (self->kiosk) : GTK_WIDGET (self->shot_window);

  if (self->shots[self->shot_index] == NULL)
    {
      gtk_window_destroy (GTK_WINDOW (window));
      self->shot_window = NULL;
      self->kiosk = NULL;
      g_application_release (G_APPLICATION (self));
      return;
    }

  parse_shot (self->shots[self->shot_index], &panel, NULL, NULL);
  if (g_str_has_prefix (panel, "cockpit:"))
    {
      aq_window_show_panel (self->shot_window, "cockpit");
      aq_cockpit_panel_show_dashboard (AQ_COCKPIT_PANEL (aq_window_get_panel (self->shot_window,
                                                                              "cockpit")),
                                       panel + 8);
    }
  else if (self->shot_window)
    aq_window_show_panel (self->shot_window, panel);
  self->shot_deadline = g_get_monotonic_time () + SCREENSHOT_TIMEOUT_US
                        * (self->kiosk || g_str_has_prefix (panel, "cockpit:") ? 3 : 1);
  self->shot_frames = 0;
  gtk_widget_add_tick_callback (window, screenshot_tick_cb, self, NULL);
  gtk_widget_queue_draw (window);
}

static void
screenshot_start (AqApplication *self,
                  GStrv          shots,
                  const char    *phone)
{
  g_strfreev (self->shots);
  self->shots = g_strdupv (shots);
  self->shot_index = 0;

  /* Pictures for documents: no half-finished transitions, no spinner mid-turn, and the
   * size the documentation is laid out for, whatever the user last chose. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  if (self->kiosk)
    {
      /* the big screen as the wall shows it: the logical canvas at its own size, or as a
       * monitor of AQUEDUCT_SCREENSHOT_SIZE (3840x2160: a 4K wall) shows it */
      const char *size = g_getenv ("AQUEDUCT_SCREENSHOT_SIZE");
      int width = AQ_KIOSK_CANVAS_WIDTH, height = AQ_KIOSK_CANVAS_HEIGHT;

      if (size == NULL || sscanf (size, "%dx%d", &width, &height) != 2 || width < 320
          || height < 200)
        {
          width = AQ_KIOSK_CANVAS_WIDTH;
          height = AQ_KIOSK_CANVAS_HEIGHT;
        }
      gtk_window_set_default_size (GTK_WINDOW (self->kiosk), width, height);
      g_application_hold (G_APPLICATION (self));
      gtk_window_present (GTK_WINDOW (self->kiosk));
      screenshot_next (self);
      return;
    }
  self->shot_window = aq_window_new (GTK_APPLICATION (self), self->monitor);
  {
    /* AQUEDUCT_SCREENSHOT_SIZE=1920x1080: how a wide screen lays a panel out */
    const char *size = g_getenv ("AQUEDUCT_SCREENSHOT_SIZE");
    int width = SCREENSHOT_WIDTH, height = SCREENSHOT_HEIGHT;

    if (size != NULL && (sscanf (size, "%dx%d", &width, &height) != 2 || width < 320
                         || height < 240))
      width = SCREENSHOT_WIDTH, height = SCREENSHOT_HEIGHT;
    gtk_window_set_default_size (GTK_WINDOW (self->shot_window), width, height);
  }
  /* Without a compositor (Xvfb) the window's frame keeps resize margins inside the window's
   * size, which the screen's width clamps: style.css drops the frame of this one. */
  gtk_widget_add_css_class (GTK_WIDGET (self->shot_window), "screenshot");

  g_application_hold (G_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (self->shot_window));
  /* --lookup with --screenshot: the customer panel is "loading" until the lookup answered. */
  if (phone != NULL)
    aq_window_lookup (self->shot_window, phone);
  screenshot_next (self);
}

/* ---- actions ---- */

static void
profile_applied_cb (AqApplication *self,
                    const char    *url,
                    const char    *password)
{
  use_profile (self, url, password);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AqApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AqPreferencesWindow *prefs = aq_preferences_window_new (parent, self->settings);

  g_signal_connect_object (prefs, "profile-applied", G_CALLBACK (profile_applied_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AqApplication *self = user_data;
  static const char *developers[] = { "The Aqueduct developers", NULL };

  adw_show_about_window (gtk_application_get_active_window (GTK_APPLICATION (self)),
                         "application-name", _("Aqueduct"),
                         "application-icon", AQ_APP_ID,
                         "developer-name", _("The Aqueduct developers"),
                         "version", AQ_VERSION,
                         "comments", _("The workstation of a water utility’s data center: "
                                       "customer 360, reports, outage map, data quality and "
                                       "pipelines on one warehouse."),
                         "developers", developers,
                         /* Translators: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         NULL);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
lookup_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  lookup (AQ_APPLICATION (user_data), g_variant_get_string (parameter, NULL));
}

static const GActionEntry app_actions[] = {
  { "preferences", preferences_action },
  { "about", about_action },
  { "quit", quit_action },
  { "lookup", lookup_action, "s" },
};

/* ---- GApplication overrides ---- */

static int
aq_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  g_auto(GStrv) shots = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("aqueduct %s\n", AQ_VERSION);
      return 0;
    }

  /* Checked here, before anything starts, so that a typo fails at once and clearly. */
  if (g_variant_dict_lookup (options, "screenshot", "^as", &shots))
    {
      for (guint i = 0; shots[i]; i++)
        {
          g_autoptr(GError) error = NULL;

          if (!parse_shot (shots[i], NULL, NULL, &error))
            {
              g_printerr ("aqueduct: %s\n", error->message);
              return 2;
            }
        }
      /* A screenshot is a job of its own, not a message to a running Aqueduct. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  /* so is a big screen: its own process, whatever else runs on the machine */
  if (g_variant_dict_contains (options, "kiosk"))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return -1;
}

static int
aq_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  AqApplication *self = AQ_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_auto(GStrv) shots = NULL;
  const char *phone = NULL;
  const char *kiosk = NULL;

  g_variant_dict_lookup (options, "lookup", "&s", &phone);
  if (g_variant_dict_lookup (options, "kiosk", "&s", &kiosk))
    {
      g_auto(GStrv) names = g_strsplit (kiosk, ",", -1);
      int monitor = -1, rotate = 0;

      g_variant_dict_lookup (options, "monitor", "i", &monitor);
      g_variant_dict_lookup (options, "rotate", "i", &rotate);
      self->kiosk = aq_kiosk_window_new (GTK_APPLICATION (self),
                                         aq_connection_monitor_get_conninfo (self->monitor),
                                         (const char * const *) names, MAX (rotate, 0));
      if (g_variant_dict_lookup (options, "screenshot", "^as", &shots))
        {
          screenshot_start (self, shots, NULL);
          return 0;
        }
      gtk_window_present (GTK_WINDOW (self->kiosk));
      aq_kiosk_window_go_fullscreen (self->kiosk, monitor);
      return 0;
    }
  if (g_variant_dict_lookup (options, "screenshot", "^as", &shots))
    {
      screenshot_start (self, shots, phone);
      return 0;
    }
  if (phone != NULL)
    {
      lookup (self, phone);
      return 0;
    }
  g_application_activate (app);
  return 0;
}

static void
aq_application_activate (GApplication *app)
{
  gtk_window_present (GTK_WINDOW (get_window (AQ_APPLICATION (app))));
}

static void
aq_application_startup (GApplication *app)
{
  AqApplication *self = AQ_APPLICATION (app);
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.preferences", { "<Control>comma", NULL } },
    { "win.show-sidebar", { "F9", NULL } },
    { "win.reload", { "<Control>r", "F5", NULL } },
    { "win.show-panel('overview')", { "<Control>1", NULL } },
    { "win.show-panel('customer')", { "<Control>2", NULL } },
    { "win.show-panel('report')", { "<Control>3", NULL } },
    { "win.show-panel('outage')", { "<Control>4", NULL } },
    { "win.show-panel('quality')", { "<Control>5", NULL } },
    { "win.show-panel('pipeline')", { "<Control>6", NULL } },
    { "win.show-panel('datasets')", { "<Control>7", NULL } },
    { "win.show-panel('cockpit')", { "<Control>8", NULL } },
    { "win.show-panel('api')", { "<Control>9", NULL } },
  };

  G_APPLICATION_CLASS (aq_application_parent_class)->startup (app);

  aq_ui_init ();
  gtk_window_set_default_icon_name (AQ_APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (AQ_APP_ID);
  self->monitor = aq_connection_monitor_new ();
  self->cancellable = g_cancellable_new ();
  load_profile (self);
}

static void
aq_application_shutdown (GApplication *app)
{
  AqApplication *self = AQ_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (aq_application_parent_class)->shutdown (app);
}

/* ---- GObject overrides ---- */

static void
aq_application_finalize (GObject *object)
{
  AqApplication *self = AQ_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->shots, g_strfreev);

  G_OBJECT_CLASS (aq_application_parent_class)->finalize (object);
}

static void
aq_application_class_init (AqApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = aq_application_finalize;

  app_class->handle_local_options = aq_application_handle_local_options;
  app_class->command_line = aq_application_command_line;
  app_class->activate = aq_application_activate;
  app_class->startup = aq_application_startup;
  app_class->shutdown = aq_application_shutdown;
}

static void
aq_application_init (AqApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The workstation of a water utility’s data "
                                              "center."));
}

/* ---- public API ---- */

AqApplication *
aq_application_new (void)
{
  return g_object_new (AQ_TYPE_APPLICATION,
                       "application-id", AQ_APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/aqueduct/Aqueduct",
                       NULL);
}

/* What main() returns when the main loop itself succeeded: nonzero when a screenshot could
 * not be written. */
int
aq_application_get_exit_status (AqApplication *self)
{
  g_return_val_if_fail (AQ_IS_APPLICATION (self), 1);
  return self->exit_status;
}

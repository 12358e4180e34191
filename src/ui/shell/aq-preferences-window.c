/* aq-preferences-window.c — the connection profile: embedded warehouse or a server
 *
 * The URL (without password) goes to GSettings, the password to the keyring, keyed by that
 * URL. "Apply" stores both and emits "profile-applied" with what to connect to; the
 * application hands that to the connection monitor, which reconnects. "Test" connects with
 * what is typed, exactly, on a worker thread, without storing anything.
 */
#define G_LOG_DOMAIN "aq-preferences-window"

#include "config.h"

#include "aq-preferences-window.h"

#include <glib/gi18n.h>

#include "aqueduct-core.h"

struct _AqPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  AdwActionRow         *environment_row;
  GtkCheckButton       *embedded_check;
  GtkCheckButton       *server_check;
  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *host_row;
  AdwEntryRow          *port_row;
  AdwEntryRow          *database_row;
  AdwEntryRow          *user_row;
  AdwPasswordEntryRow  *password_row;
  AdwComboRow          *sslmode_row;
  AdwActionRow         *test_row;
  GtkSpinner           *test_spinner;
  AdwEntryRow          *map_url_row;

  GSettings            *settings;
  GCancellable         *cancellable;
  GCancellable         *test_cancellable;
  char                 *pending_url;        /* being applied: waits for the keyring */
  char                 *pending_password;
  gboolean              password_edited;    /* the keyring's answer must not overwrite it */
  gboolean              loading_fields;
};

G_DEFINE_FINAL_TYPE (AqPreferencesWindow, aq_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

enum {
  PROFILE_APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char * const sslmodes[] = {
  "disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL
};
#define DEFAULT_SSLMODE 2

/* ---- auxiliary methods ---- */

static gboolean
is_server_mode (AqPreferencesWindow *self)
{
  return gtk_check_button_get_active (self->server_check);
}

static void
set_test_result (AqPreferencesWindow *self,
                 const char          *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  adw_action_row_set_subtitle (self->test_row, escaped);
}

/* The profile of the fields, or NULL with @error when the port is not a number. */
static AqProfile *
profile_from_fields (AqPreferencesWindow  *self,
                     GError              **error)
{
  g_autoptr(AqProfile) profile = aq_profile_new ();
  const char *port = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  guint selected = adw_combo_row_get_selected (self->sslmode_row);
  guint64 port_value = 0;

  if (*port != '\0' && !g_ascii_string_to_unsigned (port, 10, 1, 65535, &port_value, NULL))
    {
      /* Translators: %s is what the user typed as port */
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("“%s” is not a port number: use a number from 1 to 65535."), port);
      return NULL;
    }

  profile->host = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row)));
  profile->port = (guint) port_value;
  profile->dbname = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->database_row)));
  profile->user = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->user_row)));
  if (selected < G_N_ELEMENTS (sslmodes) - 1 && selected != DEFAULT_SSLMODE)
    profile->sslmode = g_strdup (sslmodes[selected]);
  return g_steal_pointer (&profile);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autofree char *password = NULL;
  g_autoptr(GError) error = NULL;
  AqPreferencesWindow *self;

  password = aq_keyring_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_PREFERENCES_WINDOW (user_data);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the keyring could not be read */
      message = g_strdup_printf (_("The keyring could not be read: %s"), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (message));
      return;
    }
  if (password != NULL && !self->password_edited)
    {
      self->loading_fields = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
      self->loading_fields = FALSE;
    }
}

static void
load_fields (AqPreferencesWindow *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "connection-mode");
  g_autofree char *url = g_settings_get_string (self->settings, "connection-url");
  g_autoptr(AqProfile) profile = NULL;
  guint sslmode = DEFAULT_SSLMODE;

  self->loading_fields = TRUE;

  if (g_str_equal (mode, "url"))
    gtk_check_button_set_active (self->server_check, TRUE);
  else
    gtk_check_button_set_active (self->embedded_check, TRUE);

  if (*url != '\0')
    profile = aq_profile_new_from_url (url, NULL);
  if (profile != NULL)
    {
      g_autofree char *port = profile->port ? g_strdup_printf ("%u", profile->port) : NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->host_row), profile->host ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->port_row), port ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->database_row), profile->dbname ?: "");
      gtk_editable_set_text (GTK_EDITABLE (self->user_row), profile->user ?: "");
      for (guint i = 0; profile->sslmode && sslmodes[i]; i++)
        if (g_str_equal (profile->sslmode, sslmodes[i]))
          sslmode = i;
      aq_keyring_lookup_async (url, self->cancellable, lookup_cb, self);
    }
  adw_combo_row_set_selected (self->sslmode_row, sslmode);

  self->loading_fields = FALSE;
}

static void
finish_apply (AqPreferencesWindow *self)
{
  g_autofree char *url = g_steal_pointer (&self->pending_url);
  g_autofree char *password = g_steal_pointer (&self->pending_password);

  g_signal_emit (self, signals[PROFILE_APPLIED], 0, url, password);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Profile applied: reconnecting…")));
}

/* ---- callbacks ---- */

static void
mode_changed_cb (AqPreferencesWindow *self)
{
  /* The template's own "active" can notify before the children are bound. */
  if (self->server_check == NULL)
    return;
  gtk_widget_set_sensitive (GTK_WIDGET (self->server_group), is_server_mode (self));
}

static void
field_changed_cb (AqPreferencesWindow *self,
                  GtkEditable         *row)
{
  if (self->loading_fields)
    return;
  if (row == GTK_EDITABLE (self->password_row))
    self->password_edited = TRUE;
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(AqHealthReport) report = NULL;
  g_autoptr(GError) error = NULL;
  AqPreferencesWindow *self;

  report = aq_health_check_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_PREFERENCES_WINDOW (user_data);
  g_clear_object (&self->test_cancellable);
  gtk_spinner_stop (self->test_spinner);

  if (report != NULL)
    {
      g_autofree char *size = g_format_size ((guint64) MAX (report->database_size, 0));
      g_autofree char *text = NULL;

      /* Translators: "Connected to aqueduct@/var/lib/aqueduct/warehouse: PostgreSQL 15.2,
       * 1.2 GB" — the warehouse, the server's version, the database's size */
      text = g_strdup_printf (_("Connected to %s: PostgreSQL %s, %s"),
                              report->description, report->server_version, size);
      set_test_result (self, text);
    }
  else
    set_test_result (self, error->message);
}

static void
test_connection_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (widget);
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);

  if (is_server_mode (self))
    {
      g_autoptr(AqProfile) profile = profile_from_fields (self, &error);
      g_autofree char *url = NULL;

      if (profile == NULL)
        {
          set_test_result (self, error->message);
          return;
        }
      url = aq_profile_to_url (profile);
      conninfo = aq_profile_conninfo (url,
                                      gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                      &error);
      if (conninfo == NULL)
        {
          set_test_result (self, error->message);
          return;
        }
    }

  self->test_cancellable = g_cancellable_new ();
  gtk_spinner_start (self->test_spinner);
  set_test_result (self, _("Connecting…"));
  aq_health_check_async (conninfo, AQ_HEALTH_CHECK_EXACT, self->test_cancellable, test_cb,
                         self);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AqPreferencesWindow *self;

  aq_keyring_store_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = AQ_PREFERENCES_WINDOW (user_data);
  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why the keyring refused the password */
      message = g_strdup_printf (_("The password could not be saved in the keyring (%s): it is "
                                   "used until Aqueduct quits."), error->message);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
    }
  finish_apply (self);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Nothing stored is the usual case, and nothing to tell the user. */
  if (!aq_keyring_clear_finish (result, &error) && error != NULL)
    g_debug ("Could not clear a password from the keyring: %s", error->message);
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (widget);
  g_autoptr(AqProfile) profile = NULL;
  g_autoptr(GError) error = NULL;
  const char *password;

  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_password, g_free);

  if (!is_server_mode (self))
    {
      g_settings_set_string (self->settings, "connection-mode", "embedded");
      finish_apply (self);
      return;
    }

  profile = profile_from_fields (self, &error);
  if (profile == NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }

  self->pending_url = aq_profile_to_url (profile);
  g_settings_set_string (self->settings, "connection-url", self->pending_url);
  g_settings_set_string (self->settings, "connection-mode", "url");

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (*password != '\0')
    {
      self->pending_password = g_strdup (password);
      aq_keyring_store_async (self->pending_url, password, self->cancellable, store_cb, self);
    }
  else
    {
      aq_keyring_clear_async (self->pending_url, NULL, clear_cb, NULL);
      finish_apply (self);
    }
}

/* ---- GObject overrides ---- */

static void
aq_preferences_window_constructed (GObject *object)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (object);

  G_OBJECT_CLASS (aq_preferences_window_parent_class)->constructed (object);

  gtk_widget_set_visible (GTK_WIDGET (self->environment_row),
                          g_getenv ("AQUEDUCT_DATABASE_URL") != NULL);
  load_fields (self);
  mode_changed_cb (self);
  /* the outage map follows the key as it changes */
  g_settings_bind (self->settings, "map-tile-url", self->map_url_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
}

static void
aq_preferences_window_dispose (GObject *object)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (aq_preferences_window_parent_class)->dispose (object);
}

static void
aq_preferences_window_finalize (GObject *object)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->pending_url, g_free);
  g_clear_pointer (&self->pending_password, g_free);

  G_OBJECT_CLASS (aq_preferences_window_parent_class)->finalize (object);
}

static void
aq_preferences_window_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_preferences_window_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AqPreferencesWindow *self = AQ_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_preferences_window_class_init (AqPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = aq_preferences_window_constructed;
  object_class->dispose = aq_preferences_window_dispose;
  object_class->finalize = aq_preferences_window_finalize;
  object_class->get_property = aq_preferences_window_get_property;
  object_class->set_property = aq_preferences_window_set_property;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AqPreferencesWindow::profile-applied:
   * @url: (nullable): the server's URL, NULL for the embedded warehouse
   * @password: (nullable): its password
   *
   * The profile was stored; whoever owns the connection reconnects with it.
   */
  signals[PROFILE_APPLIED] =
    g_signal_new ("profile-applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/"
                                               "aq-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, environment_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, embedded_check);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, server_check);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, host_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, port_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, database_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, sslmode_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, AqPreferencesWindow, map_url_row);
  gtk_widget_class_bind_template_callback (widget_class, mode_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);

  gtk_widget_class_install_action (widget_class, "preferences.test-connection", NULL,
                                   test_connection_action);
  gtk_widget_class_install_action (widget_class, "preferences.apply", NULL, apply_action);
}

static void
aq_preferences_window_init (AqPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

AqPreferencesWindow *
aq_preferences_window_new (GtkWindow *transient_for,
                           GSettings *settings)
{
  g_return_val_if_fail (!transient_for || GTK_IS_WINDOW (transient_for), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (AQ_TYPE_PREFERENCES_WINDOW,
                       "transient-for", transient_for,
                       "modal", TRUE,
                       "settings", settings,
                       NULL);
}

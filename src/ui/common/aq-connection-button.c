/* aq-connection-button.c — which warehouse, and whether it answers, in the header bar
 *
 * A dot (green: healthy, red: unreachable, grey: connecting) and the warehouse's name; the
 * popover has the details (where it is: host or socket) and the way to the connection preferences. The state is also a CSS
 * class on the widget ("healthy", "unreachable", "connecting") for the style sheet and tests.
 */
#define G_LOG_DOMAIN "aq-connection-button"

#include "config.h"

#include "aq-connection-button.h"

#include <glib/gi18n.h>

struct _AqConnectionButton
{
  GtkWidget            parent_instance;

  GtkMenuButton       *menu_button;
  GtkLabel            *label;
  GtkLabel            *state_label;
  GtkLabel            *description_label;
  GtkLabel            *server_label;
  GtkLabel            *checked_label;
  GtkLabel            *error_label;

  AqConnectionMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (AqConnectionButton, aq_connection_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const state_classes[] = { "connecting", "healthy", "unreachable" };

/* ---- auxiliary methods ---- */

static void
update (AqConnectionButton *self)
{
  AqConnectionState state = AQ_CONNECTION_STATE_CONNECTING;
  const AqHealthReport *report = NULL;
  const char *error = NULL;
  GDateTime *checked_at = NULL;
  g_autofree char *server = NULL;
  g_autofree char *checked = NULL;
  const char *state_text;
  const char *name;

  if (self->monitor != NULL)
    {
      state = aq_connection_monitor_get_state (self->monitor);
      report = aq_connection_monitor_get_report (self->monitor);
      error = aq_connection_monitor_get_error (self->monitor);
      checked_at = aq_connection_monitor_get_checked_at (self->monitor);
    }

  for (guint i = 0; i < G_N_ELEMENTS (state_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), state_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), state_classes[state]);

  switch (state)
    {
    case AQ_CONNECTION_STATE_HEALTHY:
      state_text = _("Connected");
      break;

    case AQ_CONNECTION_STATE_UNREACHABLE:
      state_text = _("Warehouse unreachable");
      break;

    case AQ_CONNECTION_STATE_CONNECTING:
    default:
      state_text = _("Connecting…");
      break;
    }

  /* The warehouse's name (its database's, not a socket path; the popover has where it is).
   * While unreachable the name from the last good check still says which one is meant; before
   * any good check there is only the state. */
  name = report ? report->name : state_text;
  gtk_label_set_label (self->label, name);
  gtk_label_set_label (self->state_label, state_text);
  gtk_label_set_label (self->description_label, report ? report->description : "—");

  if (report != NULL)
    /* Translators: the database server and its version, e.g. "PostgreSQL 15.2" */
    server = g_strdup_printf (_("PostgreSQL %s"), report->server_version);
  gtk_label_set_label (self->server_label, server ? server : "—");

  if (checked_at != NULL)
    checked = g_date_time_format (checked_at, "%X");
  gtk_label_set_label (self->checked_label, checked ? checked : "—");

  gtk_label_set_label (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), error != NULL);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), state_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, state_text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, name,
                                  -1);
}

/* ---- GObject overrides ---- */

static void
aq_connection_button_dispose (GObject *object)
{
  AqConnectionButton *self = AQ_CONNECTION_BUTTON (object);
  GtkWidget *child;

  aq_connection_button_set_monitor (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_CONNECTION_BUTTON);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_connection_button_parent_class)->dispose (object);
}

static void
aq_connection_button_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AqConnectionButton *self = AQ_CONNECTION_BUTTON (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_connection_button_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AqConnectionButton *self = AQ_CONNECTION_BUTTON (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      aq_connection_button_set_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_connection_button_class_init (AqConnectionButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_connection_button_dispose;
  object_class->get_property = aq_connection_button_get_property;
  object_class->set_property = aq_connection_button_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         AQ_TYPE_CONNECTION_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-connection-button.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, label);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, state_label);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, description_label);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, server_label);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, checked_label);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionButton, error_label);
}

static void
aq_connection_button_init (AqConnectionButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

/* ---- public API ---- */

AqConnectionMonitor *
aq_connection_button_get_monitor (AqConnectionButton *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_BUTTON (self), NULL);
  return self->monitor;
}

void
aq_connection_button_set_monitor (AqConnectionButton  *self,
                                  AqConnectionMonitor *monitor)
{
  g_return_if_fail (AQ_IS_CONNECTION_BUTTON (self));
  g_return_if_fail (!monitor || AQ_IS_CONNECTION_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (self->monitor != NULL)
    {
      g_signal_connect_swapped (self->monitor, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (self->monitor, "notify::report", G_CALLBACK (update), self);
      g_signal_connect_swapped (self->monitor, "notify::error", G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

/* What the button says: the warehouse's name, or the state while there is none. */
const char *
aq_connection_button_get_text (AqConnectionButton *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_BUTTON (self), NULL);
  return gtk_label_get_label (self->label);
}

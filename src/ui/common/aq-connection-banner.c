/* aq-connection-banner.c — "the warehouse cannot be reached", under the header bar
 *
 * libadwaita 1.2 has no AdwBanner: a revealer with a styled box stands in. It shows while the
 * monitor finds the warehouse unreachable and hides by itself when the monitor reconnects;
 * "Retry" only checks sooner.
 */
#define G_LOG_DOMAIN "aq-connection-banner"

#include "config.h"

#include "aq-connection-banner.h"

struct _AqConnectionBanner
{
  GtkWidget            parent_instance;

  GtkRevealer         *revealer;
  GtkLabel            *detail_label;

  AqConnectionMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (AqConnectionBanner, aq_connection_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONITOR,
  PROP_REVEALED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- auxiliary methods ---- */

static void
update (AqConnectionBanner *self)
{
  gboolean unreachable = FALSE;
  const char *error = NULL;

  if (self->monitor != NULL)
    {
      unreachable = aq_connection_monitor_get_state (self->monitor)
                    == AQ_CONNECTION_STATE_UNREACHABLE;
      error = aq_connection_monitor_get_error (self->monitor);
    }

  /* Keep the last reason while the banner slides away. */
  if (error != NULL)
    {
      gtk_label_set_label (self->detail_label, error);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->detail_label), error);
    }

  if (gtk_revealer_get_reveal_child (self->revealer) != unreachable)
    {
      gtk_revealer_set_reveal_child (self->revealer, unreachable);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
    }
}

/* ---- GObject overrides ---- */

static void
aq_connection_banner_dispose (GObject *object)
{
  AqConnectionBanner *self = AQ_CONNECTION_BANNER (object);
  GtkWidget *child;

  aq_connection_banner_set_monitor (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), AQ_TYPE_CONNECTION_BANNER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (aq_connection_banner_parent_class)->dispose (object);
}

static void
aq_connection_banner_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  AqConnectionBanner *self = AQ_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;

    case PROP_REVEALED:
      g_value_set_boolean (value, aq_connection_banner_get_revealed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_connection_banner_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  AqConnectionBanner *self = AQ_CONNECTION_BANNER (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      aq_connection_banner_set_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_connection_banner_class_init (AqConnectionBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = aq_connection_banner_dispose;
  object_class->get_property = aq_connection_banner_get_property;
  object_class->set_property = aq_connection_banner_set_property;

  properties[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         AQ_TYPE_CONNECTION_MONITOR,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REVEALED] =
    g_param_spec_boolean ("revealed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/aqueduct/Aqueduct/ui/aq-connection-banner.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, AqConnectionBanner, detail_label);
}

static void
aq_connection_banner_init (AqConnectionBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

AqConnectionMonitor *
aq_connection_banner_get_monitor (AqConnectionBanner *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_BANNER (self), NULL);
  return self->monitor;
}

void
aq_connection_banner_set_monitor (AqConnectionBanner  *self,
                                  AqConnectionMonitor *monitor)
{
  g_return_if_fail (AQ_IS_CONNECTION_BANNER (self));
  g_return_if_fail (!monitor || AQ_IS_CONNECTION_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (self->monitor != NULL)
    {
      g_signal_connect_swapped (self->monitor, "notify::state", G_CALLBACK (update), self);
      g_signal_connect_swapped (self->monitor, "notify::error", G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVEALED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MONITOR]);
}

/* Whether the banner is shown (or sliding in). */
gboolean
aq_connection_banner_get_revealed (AqConnectionBanner *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

/* aq-panel.c — what the window asks of every panel
 *
 * Both methods are optional: a panel without data of its own (the placeholders) is never
 * loading and has nothing to reload.
 */
#define G_LOG_DOMAIN "aq-panel"

#include "config.h"

#include "aq-panel.h"

G_DEFINE_INTERFACE (AqPanel, aq_panel, GTK_TYPE_WIDGET)

static void
aq_panel_default_init (AqPanelInterface *iface)
{
}

gboolean
aq_panel_get_loading (AqPanel *self)
{
  AqPanelInterface *iface;

  g_return_val_if_fail (AQ_IS_PANEL (self), FALSE);

  iface = AQ_PANEL_GET_IFACE (self);
  return iface->get_loading ? iface->get_loading (self) : FALSE;
}

void
aq_panel_reload (AqPanel *self)
{
  AqPanelInterface *iface;

  g_return_if_fail (AQ_IS_PANEL (self));

  iface = AQ_PANEL_GET_IFACE (self);
  if (iface->reload)
    iface->reload (self);
}

/* The connection monitor of the window @widget is in (the root's "monitor" property), or NULL
 * while it has none. Panels (ui feature floors) find it here without knowing the shell's
 * window type, which sits a floor above them. */
AqConnectionMonitor *
aq_panel_find_monitor (GtkWidget *widget)
{
  GtkRoot *root;
  GParamSpec *pspec;
  g_autoptr(GObject) monitor = NULL;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);

  root = gtk_widget_get_root (widget);
  if (root == NULL)
    return NULL;
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (root), "monitor");
  if (pspec == NULL || !g_type_is_a (pspec->value_type, AQ_TYPE_CONNECTION_MONITOR))
    return NULL;
  g_object_get (root, "monitor", &monitor, NULL);
  /* the window keeps its monitor for its whole life: a borrowed pointer is safe */
  return AQ_CONNECTION_MONITOR (monitor);
}

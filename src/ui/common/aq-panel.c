/* aq-panel.c — what the window asks of every panel
 *
 * Every method is optional: a panel without data of its own (the placeholders) is never
 * loading and has nothing to reload. The connection monitor reaches every panel one way: the
 * window hands it to each of its panels with aq_panel_set_monitor(), which keeps it on the
 * panel (aq_panel_get_monitor(), aq_panel_get_conninfo()) and tells the panel, if it wants to
 * know, through set_monitor. No panel looks for the window to find it.
 */
#define G_LOG_DOMAIN "aq-panel"

#include "config.h"

#include "aq-panel.h"

G_DEFINE_INTERFACE (AqPanel, aq_panel, GTK_TYPE_WIDGET)

static GQuark monitor_quark;

static void
aq_panel_default_init (AqPanelInterface *iface)
{
  monitor_quark = g_quark_from_static_string ("aq-panel-monitor");
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

/**
 * aq_panel_set_monitor:
 * @monitor: (nullable): the window's connection monitor
 *
 * What the window calls for each of its panels once it has its monitor.
 */
void
aq_panel_set_monitor (AqPanel             *self,
                      AqConnectionMonitor *monitor)
{
  AqPanelInterface *iface;

  g_return_if_fail (AQ_IS_PANEL (self));
  g_return_if_fail (!monitor || AQ_IS_CONNECTION_MONITOR (monitor));

  if (aq_panel_get_monitor (self) == monitor)
    return;
  g_object_set_qdata_full (G_OBJECT (self), monitor_quark,
                           monitor ? g_object_ref (monitor) : NULL, g_object_unref);
  iface = AQ_PANEL_GET_IFACE (self);
  if (iface->set_monitor)
    iface->set_monitor (self, monitor);
}

/* Returns: (transfer none) (nullable): the monitor the window gave the panel */
AqConnectionMonitor *
aq_panel_get_monitor (AqPanel *self)
{
  g_return_val_if_fail (AQ_IS_PANEL (self), NULL);
  return g_object_get_qdata (G_OBJECT (self), monitor_quark);
}

/* Returns: (nullable): the warehouse the panel's core calls go to (NULL: the default one) */
const char *
aq_panel_get_conninfo (AqPanel *self)
{
  AqConnectionMonitor *monitor = aq_panel_get_monitor (self);

  return monitor ? aq_connection_monitor_get_conninfo (monitor) : NULL;
}

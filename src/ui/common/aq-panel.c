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

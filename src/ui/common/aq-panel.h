/* aq-panel.h — what the window asks of every panel */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"

G_BEGIN_DECLS

#define AQ_TYPE_PANEL (aq_panel_get_type ())
G_DECLARE_INTERFACE (AqPanel, aq_panel, AQ, PANEL, GtkWidget)

struct _AqPanelInterface
{
  GTypeInterface parent_iface;

  /* TRUE while the panel has nothing to show yet: screenshots and tests wait for it. */
  gboolean (*get_loading) (AqPanel *self);
  /* Reads what the panel shows again ("win.reload"). */
  void     (*reload)      (AqPanel *self);
};

gboolean aq_panel_get_loading (AqPanel *self);
void     aq_panel_reload      (AqPanel *self);

AqConnectionMonitor *aq_panel_find_monitor (GtkWidget *widget);

G_END_DECLS

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
  gboolean (*get_loading) (AqPanel             *self);
  /* Reads what the panel shows again ("win.reload"). */
  void     (*reload)      (AqPanel             *self);
  /* The window's connection monitor was given (or taken back, NULL): its conninfo is the
   * warehouse, its "connected" signal says when what the panel shows may be stale. */
  void     (*set_monitor) (AqPanel             *self,
                           AqConnectionMonitor *monitor);
};

gboolean             aq_panel_get_loading  (AqPanel             *self);
void                 aq_panel_reload       (AqPanel             *self);
void                 aq_panel_set_monitor  (AqPanel             *self,
                                            AqConnectionMonitor *monitor);
AqConnectionMonitor *aq_panel_get_monitor  (AqPanel             *self);
const char          *aq_panel_get_conninfo (AqPanel             *self);

G_END_DECLS

/* aq-window.h — the main window: sidebar of panels, header with the warehouse's state */
#pragma once

#include <adwaita.h>

#include "aq-connection-monitor.h"
#include "aq-panel.h"

G_BEGIN_DECLS

#define AQ_TYPE_WINDOW (aq_window_get_type ())
G_DECLARE_FINAL_TYPE (AqWindow, aq_window, AQ, WINDOW, AdwApplicationWindow)

AqWindow            *aq_window_new                (GtkApplication      *application,
                                                   AqConnectionMonitor *monitor);
const char * const  *aq_window_get_panel_names    (void);
gboolean             aq_window_is_panel_name      (const char          *name);
AqConnectionMonitor *aq_window_get_monitor        (AqWindow            *self);
gboolean             aq_window_show_panel         (AqWindow            *self,
                                                   const char          *name);
const char          *aq_window_get_visible_panel  (AqWindow            *self);
AqPanel             *aq_window_get_panel          (AqWindow            *self,
                                                   const char          *name);
void                 aq_window_lookup             (AqWindow            *self,
                                                   const char          *phone);

G_END_DECLS

/* aq-kiosk-window.h — big screens: dashboards full screen on a monitor, in rotation */
#pragma once

#include <gtk/gtk.h>

#include "aq-dashboard-view.h"

G_BEGIN_DECLS

#define AQ_TYPE_KIOSK_WINDOW (aq_kiosk_window_get_type ())
G_DECLARE_FINAL_TYPE (AqKioskWindow, aq_kiosk_window, AQ, KIOSK_WINDOW, GtkWindow)

/* @names: the stored dashboards shown in turn; @rotate_seconds 0: no rotation. */
AqKioskWindow   *aq_kiosk_window_new           (GtkApplication     *application,
                                                const char         *conninfo,
                                                const char * const *names,
                                                guint               rotate_seconds);
/* Full screen without chrome on monitor @monitor (its index in the display's list; -1 the
 * window's current one). */
void             aq_kiosk_window_go_fullscreen (AqKioskWindow      *self,
                                                int                 monitor);
void             aq_kiosk_window_set_conninfo  (AqKioskWindow      *self,
                                                const char         *conninfo);
guint            aq_kiosk_window_get_n_views   (AqKioskWindow      *self);
/* (transfer none) (nullable) */
AqDashboardView *aq_kiosk_window_get_view      (AqKioskWindow      *self,
                                                guint               index);
guint            aq_kiosk_window_get_current   (AqKioskWindow      *self);
/* Shows the next dashboard now (what the rotation timer does). */
void             aq_kiosk_window_rotate        (AqKioskWindow      *self);
/* TRUE until every dashboard is opened and its tiles have their first figures. */
gboolean         aq_kiosk_window_get_loading   (AqKioskWindow      *self);
/* (nullable): why no dashboard could be opened */
const char      *aq_kiosk_window_get_error     (AqKioskWindow      *self);

G_END_DECLS

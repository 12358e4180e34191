/* aq-sidebar.h — the list of panels, with their icons */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AQ_TYPE_SIDEBAR (aq_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (AqSidebar, aq_sidebar, AQ, SIDEBAR, GtkWidget)

GtkStack   *aq_sidebar_get_stack    (AqSidebar *self);
void        aq_sidebar_set_stack    (AqSidebar *self,
                                     GtkStack  *stack);
GtkListBox *aq_sidebar_get_list_box (AqSidebar *self);

G_END_DECLS

/* aq-timeline-view.h — a customer's events newest first, filtered by kind */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AQ_TYPE_TIMELINE_VIEW (aq_timeline_view_get_type ())
G_DECLARE_FINAL_TYPE (AqTimelineView, aq_timeline_view, AQ, TIMELINE_VIEW, GtkWidget)

GtkWidget       *aq_timeline_view_new           (void);
void             aq_timeline_view_set_customer  (AqTimelineView *self,
                                                 JsonObject     *customer);
guint            aq_timeline_view_get_kinds     (AqTimelineView *self);
void             aq_timeline_view_set_kinds     (AqTimelineView *self,
                                                 guint           kinds);
GtkToggleButton *aq_timeline_view_get_toggle    (AqTimelineView *self,
                                                 const char     *kind);
guint            aq_timeline_view_get_n_visible (AqTimelineView *self);
GStrv            aq_timeline_view_dup_header    (AqTimelineView *self);
GPtrArray       *aq_timeline_view_dup_rows      (AqTimelineView *self);

G_END_DECLS

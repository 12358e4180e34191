/* aq-test-ui.h — what the UI tests share: waiting on the main loop, finding widgets */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*AqTestCondition) (gpointer data);
typedef gboolean (*AqTestMatch)     (GtkWidget *widget, gconstpointer data);

void       aq_test_wait_for    (AqTestCondition  condition,
                                gpointer         data,
                                guint            seconds,
                                const char      *what);
GtkWidget *aq_test_find_widget (GtkWidget       *root,
                                AqTestMatch      match,
                                gconstpointer    data);
gboolean   aq_test_match_type  (GtkWidget       *widget,
                                gconstpointer    gtype);
gboolean   aq_test_match_name  (GtkWidget       *widget,
                                gconstpointer    name);
/* An AqTestCondition: the AqPanel @panel has finished loading. */
gboolean   aq_test_panel_loaded (gpointer        panel);

G_END_DECLS

/* aq-test-ui.c — what the UI tests share: waiting on the main loop, finding widgets */
#include "aq-test-ui.h"

#include "aq-panel.h"

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds; fails the test after @seconds. */
void
aq_test_wait_for (AqTestCondition  condition,
                  gpointer         data,
                  guint            seconds,
                  const char      *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  guint wake = g_timeout_add (20, wake_cb, NULL);

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out after %u s waiting for %s", seconds, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
}

/* The first widget under @root (itself included, depth first) that @match accepts. */
GtkWidget *
aq_test_find_widget (GtkWidget     *root,
                     AqTestMatch    match,
                     gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = aq_test_find_widget (child, match, data);
      if (found)
        return found;
    }
  return NULL;
}

/* A match for widgets of a type: pass GSIZE_TO_POINTER (THE_TYPE) as the data. */
gboolean
aq_test_match_type (GtkWidget     *widget,
                    gconstpointer  gtype)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (gtype));
}

/* An AqTestMatch: the widget's name (as the template's `name` sets it) is @name. */
gboolean
aq_test_match_name (GtkWidget     *widget,
                    gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

gboolean
aq_test_panel_loaded (gpointer panel)
{
  return !aq_panel_get_loading (AQ_PANEL (panel));
}

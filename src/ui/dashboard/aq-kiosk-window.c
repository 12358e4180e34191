/* aq-kiosk-window.c — big screens: dashboards full screen on a monitor, in rotation
 *
 * `aqueduct --kiosk NAME[,NAME…] [--monitor N] [--rotate SECONDS]`. One window, undecorated
 * and full screen, holds one AqDashboardView per dashboard in a stack; the rotation only
 * changes the stack's visible child, so the window never leaves full screen (and asks for it
 * again should something else have taken it away). Each view lays its tiles on the fixed
 * 1920×1080 canvas, scaled to the monitor; all views keep refreshing in the background, so a
 * dashboard shows current figures the moment it rotates in.
 */
#define G_LOG_DOMAIN "aq-kiosk-window"

#include "config.h"

#include <glib/gi18n.h>

#include "aq-dashboard-store.h"
#include "aq-kiosk-window.h"

struct _AqKioskWindow
{
  GtkWindow     parent_instance;

  char         *conninfo;
  GStrv         names;
  guint         rotate_seconds;
  guint         rotate_id;
  guint         n_pending;
  gboolean      want_fullscreen;
  int           monitor;
  char         *error;
  GCancellable *cancellable;
  GtkStack     *stack;
  GtkLabel     *message;
  GPtrArray    *views;        /* AqDashboardView, in the order of @names */
};

G_DEFINE_FINAL_TYPE (AqKioskWindow, aq_kiosk_window, GTK_TYPE_WINDOW)

/* ---- callbacks ---- */

static gboolean
rotate_cb (gpointer user_data)
{
  aq_kiosk_window_rotate (AQ_KIOSK_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  AqKioskWindow *self;
  guint          index;
} OpenCtx;

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenCtx *ctx = user_data;
  AqKioskWindow *self = ctx->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDashboard) dashboard = aq_dashboard_store_open_finish (result, &error);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->n_pending--;
      if (dashboard)
        {
          AqDashboardView *view = self->views->pdata[ctx->index];

          aq_dashboard_view_set_conninfo (view, self->conninfo);
          aq_dashboard_view_set_dashboard (view, dashboard);
          if (gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->message))
            gtk_stack_set_visible_child (self->stack, GTK_WIDGET (view));
        }
      else
        {
          g_free (self->error);
          self->error = g_strdup (error->message);
          if (gtk_stack_get_visible_child (self->stack) == GTK_WIDGET (self->message))
            gtk_label_set_text (self->message, error->message);
        }
    }
  g_object_unref (self);
  g_free (ctx);
}

static void
open_all (AqKioskWindow *self)
{
  for (guint i = 0; i < self->views->len; i++)
    {
      OpenCtx *ctx = g_new0 (OpenCtx, 1);

      ctx->self = g_object_ref (self);
      ctx->index = i;
      self->n_pending++;
      aq_dashboard_store_open_async (self->conninfo, self->names[i], self->cancellable,
                                     opened_cb, ctx);
    }
}

/* ---- GObject overrides ---- */

static void
aq_kiosk_window_dispose (GObject *object)
{
  AqKioskWindow *self = AQ_KIOSK_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->rotate_id, g_source_remove);
  G_OBJECT_CLASS (aq_kiosk_window_parent_class)->dispose (object);
}

static void
aq_kiosk_window_finalize (GObject *object)
{
  AqKioskWindow *self = AQ_KIOSK_WINDOW (object);

  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_strfreev (self->names);
  g_free (self->conninfo);
  g_free (self->error);
  G_OBJECT_CLASS (aq_kiosk_window_parent_class)->finalize (object);
}

static void
aq_kiosk_window_class_init (AqKioskWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aq_kiosk_window_dispose;
  object_class->finalize = aq_kiosk_window_finalize;
}

static void
aq_kiosk_window_init (AqKioskWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->views = g_ptr_array_new ();
  self->monitor = -1;
  gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
  gtk_window_set_title (GTK_WINDOW (self), _("Aqueduct Big Screen"));
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
  self->stack = GTK_STACK (gtk_stack_new ());
  /* a cut, not a slide: a wall display should not move more than its figures do */
  gtk_stack_set_transition_type (self->stack, GTK_STACK_TRANSITION_TYPE_NONE);
  self->message = GTK_LABEL (gtk_label_new (_("Opening the big screens…")));
  gtk_stack_add_child (self->stack, GTK_WIDGET (self->message));
  gtk_window_set_child (GTK_WINDOW (self), GTK_WIDGET (self->stack));
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "none");
}

/* ---- public API ---- */

AqKioskWindow *
aq_kiosk_window_new (GtkApplication     *application,
                     const char         *conninfo,
                     const char * const *names,
                     guint               rotate_seconds)
{
  AqKioskWindow *self = g_object_new (AQ_TYPE_KIOSK_WINDOW, "application", application, NULL);

  self->conninfo = g_strdup (conninfo);
  self->names = g_strdupv ((char **) names);
  self->rotate_seconds = rotate_seconds;
  for (guint i = 0; names && names[i]; i++)
    {
      AqDashboardView *view = aq_dashboard_view_new (AQ_TILE_STYLE_SCREEN);

      aq_dashboard_view_set_canvas (view, AQ_KIOSK_CANVAS_WIDTH, AQ_KIOSK_CANVAS_HEIGHT);
      gtk_stack_add_child (self->stack, GTK_WIDGET (view));
      g_ptr_array_add (self->views, view);
    }
  if (rotate_seconds > 0 && self->views->len > 1)
    self->rotate_id = g_timeout_add_seconds (rotate_seconds, rotate_cb, self);
  open_all (self);
  return self;
}

void
aq_kiosk_window_go_fullscreen (AqKioskWindow *self,
                               int            monitor)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GdkMonitor) m = NULL;

  g_return_if_fail (AQ_IS_KIOSK_WINDOW (self));
  self->want_fullscreen = TRUE;
  self->monitor = monitor;
  if (monitor >= 0 && (guint) monitor < g_list_model_get_n_items (monitors))
    m = g_list_model_get_item (monitors, monitor);
  if (m)
    gtk_window_fullscreen_on_monitor (GTK_WINDOW (self), m);
  else
    gtk_window_fullscreen (GTK_WINDOW (self));
}

void
aq_kiosk_window_set_conninfo (AqKioskWindow *self,
                              const char    *conninfo)
{
  g_return_if_fail (AQ_IS_KIOSK_WINDOW (self));
  g_free (self->conninfo);
  self->conninfo = g_strdup (conninfo);
  for (guint i = 0; i < self->views->len; i++)
    aq_dashboard_view_set_conninfo (self->views->pdata[i], conninfo);
}

guint
aq_kiosk_window_get_n_views (AqKioskWindow *self)
{
  g_return_val_if_fail (AQ_IS_KIOSK_WINDOW (self), 0);
  return self->views->len;
}

AqDashboardView *
aq_kiosk_window_get_view (AqKioskWindow *self,
                          guint          index)
{
  g_return_val_if_fail (AQ_IS_KIOSK_WINDOW (self), NULL);
  return index < self->views->len ? self->views->pdata[index] : NULL;
}

guint
aq_kiosk_window_get_current (AqKioskWindow *self)
{
  GtkWidget *child;
  guint index = 0;

  g_return_val_if_fail (AQ_IS_KIOSK_WINDOW (self), 0);
  child = gtk_stack_get_visible_child (self->stack);
  g_ptr_array_find (self->views, child, &index);
  return index;
}

void
aq_kiosk_window_rotate (AqKioskWindow *self)
{
  guint next;

  g_return_if_fail (AQ_IS_KIOSK_WINDOW (self));
  if (self->views->len == 0)
    return;
  next = (aq_kiosk_window_get_current (self) + 1) % self->views->len;
  /* only dashboards that opened take their turn */
  for (guint i = 0; i < self->views->len; i++)
    {
      AqDashboardView *view = self->views->pdata[(next + i) % self->views->len];

      if (aq_dashboard_view_get_dashboard (view))
        {
          gtk_stack_set_visible_child (self->stack, GTK_WIDGET (view));
          break;
        }
    }
  if (self->want_fullscreen && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    aq_kiosk_window_go_fullscreen (self, self->monitor);
}

gboolean
aq_kiosk_window_get_loading (AqKioskWindow *self)
{
  g_return_val_if_fail (AQ_IS_KIOSK_WINDOW (self), FALSE);
  if (self->n_pending > 0)
    return TRUE;
  for (guint i = 0; i < self->views->len; i++)
    if (aq_dashboard_view_get_loading (self->views->pdata[i]))
      return TRUE;
  return FALSE;
}

const char *
aq_kiosk_window_get_error (AqKioskWindow *self)
{
  g_return_val_if_fail (AQ_IS_KIOSK_WINDOW (self), NULL);
  return self->error;
}

/* aq-screenshot.c — a widget, as drawn, into a PNG
 *
 * The widget's own snapshot rendered by its window's renderer: what is on screen, without a
 * window manager or compositor, so it works the same on Xvfb.
 */
#define G_LOG_DOMAIN "aq-screenshot"

#include "config.h"

#include "aq-screenshot.h"

#include <glib/gi18n.h>

gboolean
aq_screenshot_save_png (GtkWidget   *widget,
                        const char  *filename,
                        GError     **error)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width;
  int height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);
  g_return_val_if_fail (filename != NULL, FALSE);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The window is not on screen: there is nothing to capture."));
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The window drew nothing: there is nothing to capture."));
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, filename))
    {
      /* Translators: %s is a file name */
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Could not write “%s”."), filename);
      return FALSE;
    }
  return TRUE;
}

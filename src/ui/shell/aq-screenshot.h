/* aq-screenshot.h — a widget, as drawn, into a PNG */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean aq_screenshot_save_png (GtkWidget   *widget,
                                 const char  *filename,
                                 GError     **error);

G_END_DECLS

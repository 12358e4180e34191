/* aq-ui.h — set-up of the UI library (resources, core) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void aq_ui_init (void);

G_END_DECLS

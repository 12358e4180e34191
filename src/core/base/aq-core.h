/* aq-core.h — library set-up */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void aq_core_init (void);

G_END_DECLS

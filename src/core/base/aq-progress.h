/* aq-progress.h — how long work reports how far it got */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @fraction in [0,1], or a negative value when unknown; @message says what is being done. */
typedef void (*AqProgressFunc) (double      fraction,
                                const char *message,
                                gpointer    user_data);

G_END_DECLS

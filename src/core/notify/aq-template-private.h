/* aq-template-private.h — rendering split at {community}, for the outbox's INSERT … SELECT */
#pragma once

#include <glib.h>

#include "aq-template.h"

G_BEGIN_DECLS

/* With @pieces, each {community} ends a piece (appended to @pieces, the last one too) and
 * NULL is returned; without, the rendered text. */
char *aq_template_render_pieces (const char             *template_text,
                                 const AqTemplateValues *values,
                                 GPtrArray              *pieces);

G_END_DECLS

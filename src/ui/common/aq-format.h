/* aq-format.h — numbers and times the way the user's locale writes them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *aq_format_count     (gint64     count);
char *aq_format_date_time (GDateTime *date_time);
char *aq_format_one_line  (const char *text);

G_END_DECLS

/* aq-csv.h — a table of text as CSV (for files) or as tab-separated text (for the clipboard) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *aq_csv_format (const char * const *header,
                       GPtrArray          *rows);
char   *aq_tsv_format (const char * const *header,
                       GPtrArray          *rows);

G_END_DECLS

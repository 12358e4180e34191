/* aq-csv.h — CSV fields and tables (for files) and tab-separated text (for the clipboard) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @value (nullable: empty) quoted when needed, then "," or, when @last, "\r\n".
 * A value that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading '. */
void    aq_csv_append (GString            *row,
                       const char         *value,
                       gboolean            last);
GBytes *aq_csv_format (const char * const *header,
                       GPtrArray          *rows);
char   *aq_tsv_format (const char * const *header,
                       GPtrArray          *rows);

G_END_DECLS

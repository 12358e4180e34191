/* aq-csv.h — writing CSV fields as RFC 4180 and spreadsheets expect them */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Appends @value (nullable: empty) quoted when needed, then "," or, when @last, "\r\n".
 * A value that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading '. */
void aq_csv_append (GString    *row,
                    const char *value,
                    gboolean    last);

G_END_DECLS

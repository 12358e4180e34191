/* aq-record-table.h — rows of one 360 section under titled columns */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AQ_TYPE_RECORD_TABLE (aq_record_table_get_type ())
G_DECLARE_FINAL_TYPE (AqRecordTable, aq_record_table, AQ, RECORD_TABLE, GtkWidget)

GtkWidget *aq_record_table_new        (void);
void       aq_record_table_set_rows   (AqRecordTable *self,
                                       const char    *section,
                                       JsonArray     *rows);
guint      aq_record_table_get_n_rows (AqRecordTable *self);
GStrv      aq_record_table_dup_header (AqRecordTable *self);
GPtrArray *aq_record_table_dup_rows   (AqRecordTable *self);

G_END_DECLS

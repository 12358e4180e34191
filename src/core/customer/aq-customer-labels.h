/* aq-customer-labels.h — the warehouse's codes ("on_time", "wechat") in the user's words */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

const char *aq_label_section  (const char *section);
const char *aq_label_kind     (const char *kind);
const char *aq_label_column   (const char *column);
const char *aq_label_tag      (const char *tag);
const char *aq_label_value    (const char *section,
                               const char *column,
                               const char *value);
char       *aq_label_cell     (const char *section,
                               JsonObject *row,
                               const char *column);
gboolean    aq_label_is_number (JsonObject *row,
                                const char *column);

G_END_DECLS

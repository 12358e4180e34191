/* aq-api-diff.h — what changed between two versions of an API */
#pragma once

#include "aq-api.h"

G_BEGIN_DECLS

/* The difference of two definitions (meta.api_version.definition) and, when given, of the
 * columns each answers:
 *   {"sql": [{"op": " "|"-"|"+", "line": "…"}…],        a line diff, shortest edit
 *    "sql_changed": bool,
 *    "params": {"added": [param…], "removed": [param…],
 *               "changed": [{"name", "from": param, "to": param}…]},
 *    "fields": {"added": […], "removed": […]}  (only when both field lists are given),
 *    "paging": {"from": {…}, "to": {…}}         (only when page_key, its type, order or
 *                                                max_page_size changed),
 *    "forward": {"from", "to"}                  (only when a forwarded API's target changed)}
 * A parameter is compared member by member (type, required, default, values, …). */
JsonObject *aq_api_diff_definitions (JsonObject          *from,
                                     JsonObject          *to,
                                     const char * const  *from_fields,
                                     const char * const  *to_fields);

/* Versions @v1 and @v2 of the API @name, read from the warehouse, with their response fields
 * (aq_api_response_fields(); a version that no longer runs gets no fields and a
 * "fields_error" member instead). Adds "api", "from_version", "to_version". */
JsonObject *aq_api_diff             (AqDb        *db,
                                     const char  *name,
                                     int          v1,
                                     int          v2,
                                     GError     **error);

G_END_DECLS

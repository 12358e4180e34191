/* aq-json-reader.h — every JSON that comes from outside, read with limits first */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* json-glib parses recursively: 100,000 nested “[” overflow the stack. No JSON Aqueduct
 * reads (reports, pipelines, GeoJSON, receipts, data rows) nests anywhere near this deep. */
#define AQ_JSON_MAX_DEPTH 128

/* Byte limits of the kinds of input; a caller may pass its own. */
#define AQ_JSON_LIMIT_DEFINITION  (16 * 1024 * 1024)    /* a report or pipeline file */
/* an area file: AQ_GEOJSON_MAX_VERTICES positions at full precision are ~1.3 MB, and json-glib
 * takes seconds per 5 MB of coordinates, so what is larger is refused before it is parsed */
#define AQ_JSON_LIMIT_GEOJSON     (4 * 1024 * 1024)
#define AQ_JSON_LIMIT_ANSWER      (1024 * 1024)         /* a provider's answer */
#define AQ_JSON_LIMIT_NONE        G_MAXSIZE             /* data files: depth checked only */

gboolean  aq_json_check_limits (const char  *data,
                                gsize        length,
                                gsize        max_bytes,
                                guint        max_depth,
                                GError     **error);
JsonNode *aq_json_read         (const char  *data,
                                gssize       length,
                                gsize        max_bytes,
                                GError     **error);
JsonNode *aq_json_read_full    (const char  *data,
                                gssize       length,
                                gsize        max_bytes,
                                guint        max_depth,
                                GError     **error);

G_END_DECLS

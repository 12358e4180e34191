/* aq-api-xml.h — a forwarded API's XML answer mapped to JSON by a declared mapping (issue 13) */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The largest XML answer read; a bigger one is refused before parsing. */
#define AQ_API_XML_MAX_BYTES (4 * 1024 * 1024)

typedef struct _AqApiXmlMap AqApiXmlMap;

/* Reads a mapping (the forward definition's "xml" member):
 *   { "records": "Envelope/Body/Result/Bill",   -- element path of the records (optional)
 *     "fields": [ { "name": "account", "path": "AccountNo", "type": "text" },
 *                 { "name": "amount", "path": "Amount", "type": "number" },
 *                 { "name": "paid", "path": "@paid", "type": "boolean" },
 *                 { "name": "phones", "path": "Phones/Phone", "type": "text",
 *                   "array": true } ] }
 * Paths are element names joined by "/" from the document's root element (records) or from
 * each record (fields), compared without namespace prefixes; a last step "@name" is an
 * attribute. Types: text, integer, number, boolean. With "records" the answer is an array
 * of objects (one per element the path reaches), without it one object read from the root.
 * Errors name the member at fault (AQ_ERROR_INVALID). */
AqApiXmlMap *aq_api_xml_map_new  (JsonObject   *object,
                                  GError      **error);
void         aq_api_xml_map_free (AqApiXmlMap  *map);

/* Maps @data (an XML document of @size bytes) to JSON text with @map; @out_rows gets the
 * number of records. Refuses (AQ_API_ERROR, AQ_API_BACKEND, a message a caller can act on)
 * more than AQ_API_XML_MAX_BYTES, a DTD (so no entity is ever expanded), XML that is not
 * well formed, and values that do not fit their field's type. Thread-safe. */
GString     *aq_api_xml_to_json  (const AqApiXmlMap *map,
                                  const char        *data,
                                  gsize              size,
                                  guint             *out_rows,
                                  GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiXmlMap, aq_api_xml_map_free)

G_END_DECLS

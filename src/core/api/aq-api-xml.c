/* aq-api-xml.c — XML answers of forwarded APIs mapped to JSON
 *
 * Many business systems of a water utility answer SOAP or plain XML. A forwarded API declares
 * which elements become which JSON fields (with their types, arrays and the repeated record
 * element), so callers get the market's one shape, {code, message, data, page}, whatever the
 * backend speaks. The answer comes from outside: its size is checked before parsing, libxml2
 * reads it without network access and without substituting entities, and a document that
 * declares a DTD is refused outright (the ktr importer's setup), so neither entity expansion
 * nor external fetches can happen. Paths are plain element steps, not XPath: a mapping is
 * data an owner writes in the panel, and every step is checked when the API is published.
 */
#define G_LOG_DOMAIN "aq-api"

#include "config.h"

#include "aq-api-xml.h"

#include <math.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "aq-api.h"
#include "aq-error.h"

typedef enum
{
  FIELD_TEXT,
  FIELD_INTEGER,
  FIELD_NUMBER,
  FIELD_BOOLEAN,
} FieldType;

typedef struct
{
  char      *name;
  GStrv      steps;      /* element names; the last may be "@attribute" */
  FieldType  type;
  gboolean   array;
} Field;

struct _AqApiXmlMap
{
  GStrv      records;    /* NULL: one object from the root */
  GPtrArray *fields;     /* Field */
};

#define MAX_FIELDS 200
#define MAX_STEPS  32

/* ---- auxiliary methods ---- */

static void
field_free (gpointer data)
{
  Field *field = data;

  g_free (field->name);
  g_strfreev (field->steps);
  g_free (field);
}

static gboolean
name_ok (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 128)
    return FALSE;
  for (const char *p = name; *p; p++)
    if (g_ascii_isspace (*p) || strchr ("/@\"'<>&[]()=", *p))
      return FALSE;
  return TRUE;
}

/* "A/B/@c" → {"A", "B", "@c"}; NULL when a step is empty or an attribute is not last. */
static GStrv
parse_path (const char *path,
            gboolean    attribute_allowed)
{
  g_auto(GStrv) steps = NULL;
  guint n;

  if (path == NULL || *path == '\0')
    return NULL;
  steps = g_strsplit (path, "/", -1);
  n = g_strv_length (steps);
  if (n > MAX_STEPS)
    return NULL;
  for (guint i = 0; i < n; i++)
    {
      const char *step = steps[i];

      if (step[0] == '@')
        {
          if (!attribute_allowed || i != n - 1 || !name_ok (step + 1))
            return NULL;
        }
      else if (!name_ok (step))
        return NULL;
    }
  return g_steal_pointer (&steps);
}

static gboolean
type_from_string (const char *text,
                  FieldType  *out)
{
  static const char *names[] = { "text", "integer", "number", "boolean" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node)
                                                             : NULL;
}

static gboolean
is_element (xmlNode    *node,
            const char *name)
{
  return node->type == XML_ELEMENT_NODE && g_strcmp0 ((const char *) node->name, name) == 0;
}

/* Adds to @out every node @steps (from @depth on) reach from the element @from: elements, or
 * attributes (xmlAttr) for a last "@name" step. */
static void
collect (xmlNode   *from,
         GStrv      steps,
         guint      depth,
         GPtrArray *out)
{
  const char *step = steps[depth];

  if (step == NULL)
    {
      g_ptr_array_add (out, from);
      return;
    }
  if (step[0] == '@')
    {
      for (xmlAttr *attr = from->properties; attr; attr = attr->next)
        if (g_strcmp0 ((const char *) attr->name, step + 1) == 0)
          g_ptr_array_add (out, attr);
      return;
    }
  for (xmlNode *child = from->children; child; child = child->next)
    if (is_element (child, step))
      collect (child, steps, depth + 1, out);
}

static char *
node_text (gpointer node)
{
  xmlChar *content = xmlNodeGetContent (node);
  char *text = g_strdup (content ? (const char *) content : "");

  xmlFree (content);
  return text;
}

static gboolean
append_value (JsonBuilder  *builder,
              const Field  *field,
              gpointer      node,
              GError      **error)
{
  g_autofree char *raw = node_text (node);
  const char *text = g_strstrip (raw);

  switch (field->type)
    {
    case FIELD_TEXT:
      json_builder_add_string_value (builder, text);
      return TRUE;
    case FIELD_INTEGER:
      {
        gint64 value;

        if (g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
          {
            json_builder_add_int_value (builder, value);
            return TRUE;
          }
        break;
      }
    case FIELD_NUMBER:
      {
        char *end = NULL;
        double value = *text ? g_ascii_strtod (text, &end) : 0;

        if (*text && end && *end == '\0' && isfinite (value))
          {
            json_builder_add_double_value (builder, value);
            return TRUE;
          }
        break;
      }
    case FIELD_BOOLEAN:
      if (g_str_equal (text, "true") || g_str_equal (text, "1"))
        {
          json_builder_add_boolean_value (builder, TRUE);
          return TRUE;
        }
      if (g_str_equal (text, "false") || g_str_equal (text, "0"))
        {
          json_builder_add_boolean_value (builder, FALSE);
          return TRUE;
        }
      break;
    default:
      g_assert_not_reached ();
    }
  {
    /* shown cut to 40 characters (not bytes: the message stays UTF-8); g_utf8_substring
     * reads past the end when asked for more characters than there are (found by fuzzing) */
    g_autofree char *shown = !g_utf8_validate (text, -1, NULL) ? g_strdup ("?")
                             : g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 40));

    g_set_error (error, AQ_API_ERROR, AQ_API_BACKEND,
                 "The business system's answer does not fit the API's mapping: field “%s” "
                 "expects %s, got “%s”", field->name,
                 field->type == FIELD_INTEGER ? "an integer"
                 : field->type == FIELD_NUMBER ? "a number" : "true/false/1/0", shown);
  }
  return FALSE;
}

static gboolean
append_record (JsonBuilder        *builder,
               const AqApiXmlMap  *map,
               xmlNode            *record,
               GError            **error)
{
  json_builder_begin_object (builder);
  for (guint i = 0; i < map->fields->len; i++)
    {
      const Field *field = g_ptr_array_index (map->fields, i);
      g_autoptr(GPtrArray) found = g_ptr_array_new ();

      collect (record, field->steps, 0, found);
      json_builder_set_member_name (builder, field->name);
      if (field->array)
        {
          json_builder_begin_array (builder);
          for (guint j = 0; j < found->len; j++)
            if (!append_value (builder, field, found->pdata[j], error))
              return FALSE;
          json_builder_end_array (builder);
        }
      else if (found->len == 0)
        json_builder_add_null_value (builder);
      else if (!append_value (builder, field, found->pdata[0], error))
        return FALSE;
    }
  json_builder_end_object (builder);
  return TRUE;
}

/* ---- public API ---- */

AqApiXmlMap *
aq_api_xml_map_new (JsonObject  *object,
                    GError     **error)
{
  g_autoptr(AqApiXmlMap) map = g_new0 (AqApiXmlMap, 1);
  JsonNode *fields = json_object_get_member (object, "fields");
  JsonArray *array;

  g_return_val_if_fail (object != NULL, NULL);

  map->fields = g_ptr_array_new_with_free_func (field_free);
  if (json_object_has_member (object, "records"))
    {
      map->records = parse_path (string_member (object, "records"), FALSE);
      if (map->records == NULL)
        {
          g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                               "xml.records: an element path like “Body/Result/Bill”");
          return NULL;
        }
    }
  if (fields == NULL || !JSON_NODE_HOLDS_ARRAY (fields)
      || json_array_get_length (json_node_get_array (fields)) == 0
      || json_array_get_length (json_node_get_array (fields)) > MAX_FIELDS)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "xml.fields: a list of 1 to %d fields {name, path, type, array}", MAX_FIELDS);
      return NULL;
    }
  array = json_node_get_array (fields);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *name = o ? string_member (o, "name") : NULL;
      const char *type = o ? string_member (o, "type") : NULL;
      Field *field;

      if (name == NULL || *name == '\0')
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "xml.fields[%u].name is missing", i);
          return NULL;
        }
      for (guint j = 0; j < map->fields->len; j++)
        if (g_str_equal (((Field *) map->fields->pdata[j])->name, name))
          {
            g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                         "xml.fields[%u]: field “%s” is declared twice", i, name);
            return NULL;
          }
      field = g_new0 (Field, 1);
      field->name = g_strdup (name);
      g_ptr_array_add (map->fields, field);
      field->steps = parse_path (string_member (o, "path"), TRUE);
      if (field->steps == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       "xml.fields[%u].path: element names joined by “/”, an “@attribute” "
                       "last", i);
          return NULL;
        }
      if (!type_from_string (type ? type : "text", &field->type))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       "xml.fields[%u].type: text, integer, number or boolean", i);
          return NULL;
        }
      field->array = json_object_get_boolean_member_with_default (o, "array", FALSE);
    }
  return g_steal_pointer (&map);
}

void
aq_api_xml_map_free (AqApiXmlMap *map)
{
  if (map == NULL)
    return;
  g_strfreev (map->records);
  g_clear_pointer (&map->fields, g_ptr_array_unref);
  g_free (map);
}

GString *
aq_api_xml_to_json (const AqApiXmlMap  *map,
                    const char         *data,
                    gsize               size,
                    guint              *out_rows,
                    GError            **error)
{
  static gsize parser_ready = 0;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  xmlDoc *doc;
  xmlNode *top;
  guint rows = 0;
  gboolean ok = TRUE;
  GString *text;
  gsize length = 0;
  char *json;

  g_return_val_if_fail (map != NULL, NULL);
  g_return_val_if_fail (data != NULL || size == 0, NULL);

  if (size > AQ_API_XML_MAX_BYTES)
    {
      g_set_error (error, AQ_API_ERROR, AQ_API_BACKEND,
                   "The business system's answer is over %d bytes", AQ_API_XML_MAX_BYTES);
      return NULL;
    }
  if (g_once_init_enter (&parser_ready))
    {
      xmlInitParser ();   /* once, before any thread parses */
      g_once_init_leave (&parser_ready, 1);
    }
  /* no XML_PARSE_NOENT (entities stay unexpanded), no DTD loading, no network */
  doc = size > 0 ? xmlReadMemory (data, (int) size, "answer.xml", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING
                                  | XML_PARSE_NOCDATA)
                 : NULL;
  if (doc == NULL)
    {
      g_set_error_literal (error, AQ_API_ERROR, AQ_API_BACKEND,
                           "The business system's answer is not well-formed XML");
      return NULL;
    }
  if (doc->intSubset != NULL || doc->extSubset != NULL)
    {
      xmlFreeDoc (doc);
      g_set_error_literal (error, AQ_API_ERROR, AQ_API_BACKEND,
                           "The business system's answer declares a DTD; it is not read");
      return NULL;
    }
  top = xmlDocGetRootElement (doc);
  builder = json_builder_new ();
  if (map->records)
    {
      g_autoptr(GPtrArray) records = g_ptr_array_new ();

      /* the path starts at the root element itself */
      if (top && is_element (top, map->records[0]))
        collect (top, map->records, 1, records);
      json_builder_begin_array (builder);
      for (guint i = 0; ok && i < records->len; i++)
        ok = append_record (builder, map, records->pdata[i], error);
      if (ok)   /* a failed record leaves the builder inside it: it is dropped whole */
        json_builder_end_array (builder);
      rows = records->len;
    }
  else
    {
      if (top == NULL)
        {
          ok = FALSE;
          g_set_error_literal (error, AQ_API_ERROR, AQ_API_BACKEND,
                               "The business system's answer has no root element");
        }
      else
        ok = append_record (builder, map, top, error);
      rows = 1;
    }
  xmlFreeDoc (doc);
  if (!ok)
    return NULL;
  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &length);
  text = g_string_new_len (json, length);
  g_free (json);
  if (out_rows)
    *out_rows = rows;
  return text;
}

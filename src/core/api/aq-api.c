/* aq-api.c — a data API's definition, its SQL template, and one call bound and run
 *
 * A definition (meta.api_version.definition) is JSON: the SQL template, the typed named
 * parameters, the keyset paging column and the page-size limit. In the template a parameter
 * is written :name and an optional clause [[ … ]]: the clause is kept only when every
 * parameter in it was given. Binding turns each parameter into $n with a cast of its type
 * and passes the validated value separately — a value is never part of the SQL text, so
 * quotes, semicolons or comments in it are only data. Each combination of optional clauses
 * (and cursor or not) is one statement text, which the connection prepares once
 * (aq_db_query_prepared): the daemon's pool answers from prepared statements.
 *
 * Paging is by key, not offset: the template is wrapped as
 *   SELECT row_to_json(q)::text, q.key::text FROM (template) q WHERE q.key > $c
 *   ORDER BY q.key LIMIT page_size + 1
 * so page 1,000 costs what page 1 does; the extra row says whether there is a next page.
 * PostgreSQL writes the rows' JSON (types kept), the daemon only joins them.
 */
#define G_LOG_DOMAIN "aq-api"

#include "config.h"

#include "aq-api.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/random.h>

#include "aq-clock.h"
#include "aq-error.h"

G_DEFINE_QUARK (aq-api-error-quark, aq_api_error)

#define MAX_TEXT_LENGTH   200
#define MAX_LIST_ITEMS    100

typedef enum
{
  PART_TEXT,
  PART_PARAM,
} PartKind;

typedef struct
{
  PartKind  kind;
  char     *text;    /* PART_TEXT */
  guint     param;   /* PART_PARAM: index in api->params */
  guint     group;   /* 0: always; n: the n-th [[ … ]] */
} Part;

struct _AqApiTemplate
{
  GArray *parts;      /* Part */
  guint   n_groups;
};

static const char *type_names[] = {
  "text", "integer", "numeric", "date", "month", "timestamp", "enumeration", "list",
};

/* the cast each type is bound with */
static const char *type_casts[] = {
  "text", "bigint", "numeric", "date", "date", "timestamptz", "text", "text[]",
};

guint
aq_api_code_status (AqApiCode code)
{
  return code == AQ_API_OK ? 200 : (guint) code / 100;
}

const char *
aq_api_param_type_to_string (AqApiParamType type)
{
  g_return_val_if_fail (type <= AQ_API_PARAM_LIST, "text");
  return type_names[type];
}

static gboolean
param_type_from_string (const char     *text,
                        AqApiParamType *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_strcmp0 (text, type_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- the template ---- */

static void
part_clear (gpointer data)
{
  Part *part = data;

  g_free (part->text);
}

static void
template_free (AqApiTemplate *template)
{
  if (template == NULL)
    return;
  g_array_unref (template->parts);
  g_free (template);
}

static gboolean
is_ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

static void
flush_text (AqApiTemplate *template,
            GString       *text,
            guint          group)
{
  Part part = { PART_TEXT, NULL, 0, group };

  if (text->len == 0)
    return;
  part.text = g_strndup (text->str, text->len);
  g_array_append_val (template->parts, part);
  g_string_truncate (text, 0);
}

/* Splits @sql into text and :parameters, knowing string literals, quoted identifiers,
 * comments and casts (::type), and the optional clauses [[ … ]] (not nested). */
static AqApiTemplate *
template_parse (AqApi       *api,
                const char  *sql,
                GError     **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  AqApiTemplate *template = g_new0 (AqApiTemplate, 1);
  guint group = 0;
  const char *p = sql;

  template->parts = g_array_new (FALSE, TRUE, sizeof (Part));
  g_array_set_clear_func (template->parts, part_clear);

  while (*p)
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;
          const char *end = p + 1;

          while (*end && !(*end == quote && end[1] != quote))
            end += (*end == quote) ? 2 : 1;
          if (*end == '\0')
            goto unterminated;
          g_string_append_len (text, p, end + 1 - p);
          p = end + 1;
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          const char *end = strchr (p, '\n');

          p = end ? end : p + strlen (p);
        }
      else if (p[0] == '$' && (p[1] == '$' || g_ascii_isdigit (p[1])))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("API “%s”: write parameters as :name, not $n or $$"), api->name);
          goto fail;
        }
      else if (p[0] == ';')
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("API “%s”: the template is one statement, without “;”"), api->name);
          goto fail;
        }
      else if (p[0] == ':' && p[1] == ':')
        {
          g_string_append (text, "::");
          p += 2;
        }
      else if (p[0] == ':' && is_ident_start (p[1]))
        {
          const char *end = p + 1;
          g_autofree char *name = NULL;
          Part part = { PART_PARAM, NULL, 0, group };
          guint i;

          while (is_ident_char (*end))
            end++;
          name = g_strndup (p + 1, end - p - 1);
          for (i = 0; i < api->params->len; i++)
            if (g_str_equal (((AqApiParam *) g_ptr_array_index (api->params, i))->name, name))
              break;
          if (i == api->params->len)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("API “%s”: the template uses :%s, which is not a declared parameter"),
                           api->name, name);
              goto fail;
            }
          flush_text (template, text, group);
          part.param = i;
          g_array_append_val (template->parts, part);
          p = end;
        }
      else if (p[0] == '[' && p[1] == '[')
        {
          if (group != 0)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("API “%s”: optional clauses [[ … ]] do not nest"), api->name);
              goto fail;
            }
          flush_text (template, text, group);
          group = ++template->n_groups;
          g_string_append_c (text, ' ');
          p += 2;
        }
      else if (p[0] == ']' && p[1] == ']' && group != 0)
        {
          g_string_append_c (text, ' ');
          flush_text (template, text, group);
          group = 0;
          p += 2;
        }
      else
        g_string_append_c (text, *p++);
    }
  if (group != 0)
    goto unterminated;
  flush_text (template, text, 0);

  /* a required parameter in an optional clause, or an optional one outside any, is a mistake
   * the author should hear of now */
  for (guint i = 0; i < template->parts->len; i++)
    {
      Part *part = &g_array_index (template->parts, Part, i);
      AqApiParam *param;

      if (part->kind != PART_PARAM)
        continue;
      param = g_ptr_array_index (api->params, part->param);
      if (part->group == 0 && !param->required && param->default_value == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("API “%s”: the optional parameter :%s must sit in a [[ … ]] clause (or "
                       "be required, or have a default)"), api->name, param->name);
          goto fail;
        }
    }
  return template;

unterminated:
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
               _("API “%s”: the template has an unterminated quote or [[ clause"), api->name);
fail:
  template_free (template);
  return NULL;
}

/* ---- the definition ---- */

static void
param_free (gpointer data)
{
  AqApiParam *param = data;

  g_free (param->name);
  g_free (param->description);
  g_strfreev (param->values);
  g_clear_pointer (&param->pattern, g_regex_unref);
  g_clear_pointer (&param->default_value, json_node_unref);
  g_free (param);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return fallback;
  return json_node_get_int (node);
}

static AqApiParam *
param_from_json (AqApi       *api,
                 JsonNode    *node,
                 GError     **error)
{
  JsonObject *object;
  AqApiParam *param;
  const char *name;
  const char *type;
  const char *pattern;
  JsonNode *values;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    goto bad;
  object = json_node_get_object (node);
  name = member_string (object, "name");
  type = member_string (object, "type");
  if (name == NULL || !g_regex_match_simple ("^[a-z_][a-z0-9_]{0,62}$", name, 0, 0)
      || g_str_equal (name, "page_size") || g_str_equal (name, "cursor")
      || g_str_equal (name, "count"))
    goto bad;
  param = g_new0 (AqApiParam, 1);
  param->name = g_strdup (name);
  if (!param_type_from_string (type, &param->type))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("API “%s”: parameter “%s” has no known type (text, integer, numeric, date, "
                   "month, timestamp, enumeration, list)"), api->name, name);
      param_free (param);
      return NULL;
    }
  param->required = json_object_has_member (object, "required")
                    && json_object_get_boolean_member (object, "required");
  /* shipped parameters are described in Chinese with the English kept (migration 029) */
  param->description = g_strdup (member_string (object, "description"));
  if (member_string (object, "description_en") != NULL && g_get_language_names ()[0]
      && !g_str_has_prefix (g_get_language_names ()[0], "zh"))
    {
      g_free (param->description);
      param->description = g_strdup (member_string (object, "description_en"));
    }
  param->max_length = CLAMP (member_int (object, "max_length", MAX_TEXT_LENGTH), 1, 4096);
  param->max_items = CLAMP (member_int (object, "max_items", MAX_LIST_ITEMS), 1, 1000);
  if (json_object_has_member (object, "min"))
    {
      param->has_min = TRUE;
      param->min = member_int (object, "min", 0);
    }
  if (json_object_has_member (object, "max"))
    {
      param->has_max = TRUE;
      param->max = member_int (object, "max", 0);
    }
  values = json_object_get_member (object, "values");
  if (values && JSON_NODE_HOLDS_ARRAY (values))
    {
      JsonArray *array = json_node_get_array (values);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_strv_builder_add (builder, json_array_get_string_element (array, i));
      param->values = g_strv_builder_end (builder);
    }
  if (param->type == AQ_API_PARAM_ENUMERATION && param->values == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("API “%s”: the enumeration “%s” lists no values"), api->name, name);
      param_free (param);
      return NULL;
    }
  pattern = member_string (object, "pattern");
  if (pattern)
    {
      param->pattern = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, error);
      if (param->pattern == NULL)
        {
          g_prefix_error (error, _("API “%s”: parameter “%s”: "), api->name, name);
          param_free (param);
          return NULL;
        }
    }
  if (json_object_has_member (object, "default"))
    param->default_value = json_node_copy (json_object_get_member (object, "default"));
  return param;

bad:
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
               _("API “%s”: a parameter needs a name (lowercase letters, digits and _; not "
               "page_size, cursor or count) and a type"), api->name);
  return NULL;
}

/**
 * aq_api_new:
 * @definition: the version's JSON: sql (or forward), params, page_key, page_key_type,
 *   page_order, max_page_size
 *
 * Reads and checks a definition; the template is parsed once here.
 */
AqApi *
aq_api_new (const char  *name,
            const char  *category,
            const char  *title,
            const char  *description,
            const char  *kind,
            const char  *audience,
            int          version,
            JsonObject  *definition,
            GError     **error)
{
  g_autoptr(AqApi) api = g_new0 (AqApi, 1);
  JsonNode *params;
  const char *sql;
  const char *key_type;
  JsonObject *forward;

  g_return_val_if_fail (name != NULL && definition != NULL, NULL);

  g_atomic_ref_count_init (&api->ref_count);
  api->name = g_strdup (name);
  api->category = g_strdup (category ? category : "");
  api->title = g_strdup (title ? title : name);
  api->description = g_strdup (description ? description : "");
  api->kind = g_strdup (kind ? kind : "sql");
  api->audience = g_strdup (audience ? audience : "external");
  api->version = version;
  api->definition = json_object_ref (definition);
  api->params = g_ptr_array_new_with_free_func (param_free);

  params = json_object_get_member (definition, "params");
  if (params && JSON_NODE_HOLDS_ARRAY (params))
    {
      JsonArray *array = json_node_get_array (params);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          AqApiParam *param = param_from_json (api, json_array_get_element (array, i), error);

          if (param == NULL)
            return NULL;
          if (aq_api_find_param (api, param->name))
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("API “%s”: parameter “%s” is declared twice"), name, param->name);
              param_free (param);
              return NULL;
            }
          g_ptr_array_add (api->params, param);
        }
    }

  if (g_str_equal (api->kind, "forward"))
    {
      forward = json_object_has_member (definition, "forward")
                ? json_object_get_object_member (definition, "forward") : NULL;
      if (forward == NULL || member_string (forward, "url") == NULL
          || !g_str_has_prefix (member_string (forward, "url"), "http"))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("API “%s”: a forwarded API needs forward.url (http or https)"), name);
          return NULL;
        }
      api->forward_url = g_strdup (member_string (forward, "url"));
      api->forward_method = g_strdup (member_string (forward, "method")
                                      ? member_string (forward, "method") : "GET");
      api->timeout_ms = CLAMP (member_int (forward, "timeout_ms", 3000), 10, 60000);
      if (json_object_has_member (forward, "xml"))
        {
          JsonNode *xml = json_object_get_member (forward, "xml");

          if (!JSON_NODE_HOLDS_OBJECT (xml))
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("API “%s”: forward.xml is the mapping object {records, fields}"),
                           name);
              return NULL;
            }
          api->xml_map = aq_api_xml_map_new (json_node_get_object (xml), error);
          if (api->xml_map == NULL)
            {
              g_prefix_error (error, _("API “%s”: forward."), name);
              return NULL;
            }
        }
      return g_steal_pointer (&api);
    }

  sql = member_string (definition, "sql");
  if (sql == NULL || *sql == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("API “%s”: the definition has no sql"),
                   name);
      return NULL;
    }
  api->page_key = g_strdup (member_string (definition, "page_key"));
  if (api->page_key == NULL || !g_regex_match_simple ("^[a-z_][a-z0-9_]*$", api->page_key, 0, 0))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("API “%s”: page_key must name a unique column of the answer"), name);
      return NULL;
    }
  key_type = member_string (definition, "page_key_type");
  if (!param_type_from_string (key_type ? key_type : "text", &api->page_key_type)
      || api->page_key_type == AQ_API_PARAM_LIST || api->page_key_type == AQ_API_PARAM_MONTH
      || api->page_key_type == AQ_API_PARAM_ENUMERATION)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("API “%s”: page_key_type is text, integer, numeric, date or timestamp"), name);
      return NULL;
    }
  api->page_desc = g_strcmp0 (member_string (definition, "page_order"), "desc") == 0;
  api->max_page_size = CLAMP (member_int (definition, "max_page_size", 100), 1,
                              AQ_API_MAX_PAGE_SIZE);
  api->template = template_parse (api, sql, error);
  if (api->template == NULL)
    return NULL;
  return g_steal_pointer (&api);
}

AqApi *
aq_api_ref (AqApi *api)
{
  g_return_val_if_fail (api != NULL, NULL);
  g_atomic_ref_count_inc (&api->ref_count);
  return api;
}

void
aq_api_unref (AqApi *api)
{
  if (api == NULL || !g_atomic_ref_count_dec (&api->ref_count))
    return;
  g_free (api->name);
  g_free (api->category);
  g_free (api->title);
  g_free (api->description);
  g_free (api->kind);
  g_free (api->audience);
  g_clear_pointer (&api->definition, json_object_unref);
  g_clear_pointer (&api->params, g_ptr_array_unref);
  g_free (api->page_key);
  template_free (api->template);
  g_free (api->forward_url);
  g_free (api->forward_method);
  g_clear_pointer (&api->xml_map, aq_api_xml_map_free);
  g_free (api);
}

const AqApiParam *
aq_api_find_param (const AqApi *api,
                   const char  *name)
{
  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *param = g_ptr_array_index (api->params, i);

      if (g_str_equal (param->name, name))
        return param;
    }
  return NULL;
}

/* ---- validating values ---- */

static gboolean
bad_param (GError           **error,
           const AqApiParam  *param,
           const char        *what)
{
  g_set_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM, "parameter “%s”: %s", param->name, what);
  return FALSE;
}

static gboolean
text_ok (const char *value,
         guint       max_length)
{
  return g_utf8_validate (value, -1, NULL) && g_utf8_strlen (value, -1) <= max_length;
}

/* A PostgreSQL array literal of text: every element double-quoted, " and \ escaped. */
static void
append_array_element (GString    *literal,
                      const char *value)
{
  if (literal->len > 1)
    g_string_append_c (literal, ',');
  g_string_append_c (literal, '"');
  for (const char *c = value; *c; c++)
    {
      if (*c == '"' || *c == '\\')
        g_string_append_c (literal, '\\');
      g_string_append_c (literal, *c);
    }
  g_string_append_c (literal, '"');
}

static gboolean
in_values (const AqApiParam *param,
           const char       *value)
{
  return param->values == NULL || g_strv_contains ((const char * const *) param->values, value);
}

/* The value of a scalar node as text (a string, or a JSON number for numbers). */
static char *
scalar_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buffer[G_ASCII_DTOSTR_BUF_SIZE];

        return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

/* Checks @node against @param; the value to bind, or NULL with @error. */
static char *
validate (const AqApiParam  *param,
          JsonNode          *node,
          GError           **error)
{
  g_autofree char *text = NULL;

  if (param->type == AQ_API_PARAM_LIST)
    {
      g_autoptr(GString) literal = g_string_new ("{");
      g_auto(GStrv) items = NULL;
      guint n;

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);

          n = json_array_get_length (array);
          if (n > param->max_items)
            return bad_param (error, param, "too many items"), NULL;
          items = g_new0 (char *, n + 1);
          for (guint i = 0; i < n; i++)
            if ((items[i] = scalar_text (json_array_get_element (array, i))) == NULL)
              return bad_param (error, param, "a list of strings is expected"), NULL;
        }
      else if ((text = scalar_text (node)) != NULL)
        items = g_strsplit (text, ",", param->max_items + 1);
      else
        return bad_param (error, param, "a list of strings is expected"), NULL;
      n = g_strv_length (items);
      if (n == 0 || n > param->max_items)
        return bad_param (error, param, "between 1 and max_items items are expected"), NULL;
      for (guint i = 0; i < n; i++)
        {
          if (!text_ok (items[i], param->max_length) || *items[i] == '\0')
            return bad_param (error, param, "an item is empty, too long or not UTF-8"), NULL;
          if (!in_values (param, items[i]))
            return bad_param (error, param, "an item is not one of the allowed values"), NULL;
          append_array_element (literal, items[i]);
        }
      g_string_append_c (literal, '}');
      return g_string_free (g_steal_pointer (&literal), FALSE);
    }

  text = scalar_text (node);
  if (text == NULL)
    return bad_param (error, param, "a single value is expected"), NULL;
  switch (param->type)
    {
    case AQ_API_PARAM_TEXT:
      if (!text_ok (text, param->max_length))
        return bad_param (error, param, "too long, or not UTF-8"), NULL;
      if (param->pattern && !g_regex_match (param->pattern, text, 0, NULL))
        return bad_param (error, param, "not in the expected form"), NULL;
      break;
    case AQ_API_PARAM_ENUMERATION:
      if (!in_values (param, text))
        return bad_param (error, param, "not one of the allowed values"), NULL;
      break;
    case AQ_API_PARAM_INTEGER:
      {
        gint64 value;

        if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, NULL))
          return bad_param (error, param, "an integer is expected"), NULL;
        if ((param->has_min && value < param->min) || (param->has_max && value > param->max))
          return bad_param (error, param, "out of range"), NULL;
        g_free (text);
        text = g_strdup_printf ("%" G_GINT64_FORMAT, value);
      }
      break;
    case AQ_API_PARAM_NUMERIC:
      if (!g_regex_match_simple ("^-?[0-9]{1,15}(\\.[0-9]{1,6})?$", text, 0, 0))
        return bad_param (error, param, "a decimal number is expected (e.g. 12.5)"), NULL;
      break;
    case AQ_API_PARAM_DATE:
    case AQ_API_PARAM_MONTH:
      {
        gboolean month = param->type == AQ_API_PARAM_MONTH;
        guint y = 0, m = 0, d = 1;
        char tail = 0;
        int n = month ? sscanf (text, "%4u-%2u%c", &y, &m, &tail)
                      : sscanf (text, "%4u-%2u-%2u%c", &y, &m, &d, &tail);

        if (n != (month ? 2 : 3) || strlen (text) != (month ? 7u : 10u)
            || !g_date_valid_dmy (d, m, y))
          return bad_param (error, param, month ? "a month YYYY-MM is expected"
                                                : "a date YYYY-MM-DD is expected"), NULL;
        g_free (text);
        text = g_strdup_printf ("%04u-%02u-%02u", y, m, d);
      }
      break;
    case AQ_API_PARAM_TIMESTAMP:
      {
        g_autoptr(GTimeZone) zone = aq_clock_zone ();
        g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, zone);

        if (dt == NULL)
          return bad_param (error, param,
                            "an ISO 8601 time is expected (e.g. 2026-10-01T08:00:00+08:00)"), NULL;
        g_free (text);
        text = g_date_time_format_iso8601 (dt);
      }
      break;
    case AQ_API_PARAM_LIST:
    default:
      g_assert_not_reached ();
    }
  return g_steal_pointer (&text);
}

/* ---- binding ---- */

void
aq_api_bound_free (AqApiBound *bound)
{
  if (bound == NULL)
    return;
  g_free (bound->sql);
  g_free (bound->count_sql);
  g_clear_pointer (&bound->values, g_ptr_array_unref);
  g_free (bound);
}

static const char *
key_cast (AqApiParamType type)
{
  return type_casts[type];
}

/* Writes the statement: the kept parts, each parameter as ($n::type) at its first use, the
 * keyset wrapper. @values and @group_on say what was given. */
static void
emit (const AqApi  *api,
      AqApiBound   *bound,
      char        **values,
      gboolean     *group_on,
      char         *cursor,
      gint64        page_size,
      gboolean      want_count)
{
  g_autoptr(GString) inner = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree guint *positions = g_new0 (guint, api->params->len);
  g_autofree char *key = NULL;

  for (guint i = 0; i < api->template->parts->len; i++)
    {
      Part *part = &g_array_index (api->template->parts, Part, i);
      AqApiParam *param;

      if (!group_on[part->group])
        continue;
      if (part->kind == PART_TEXT)
        {
          g_string_append (inner, part->text);
          continue;
        }
      param = g_ptr_array_index (api->params, part->param);
      if (positions[part->param] == 0)
        {
          g_ptr_array_add (bound->values, g_strdup (values[part->param]));
          positions[part->param] = bound->values->len;
        }
      g_string_append_printf (inner, "($%u::%s)", positions[part->param],
                              type_casts[param->type]);
    }

  bound->n_inner_values = bound->values->len;
  key = aq_db_quote_ident (api->page_key);
  g_string_append_printf (sql, "SELECT row_to_json(q)::text, (q.%s)::text FROM (%s) q", key,
                          inner->str);
  if (cursor)
    {
      g_ptr_array_add (bound->values, cursor);
      g_string_append_printf (sql, " WHERE q.%s %s $%u::%s", key, api->page_desc ? "<" : ">",
                              bound->values->len, key_cast (api->page_key_type));
    }
  g_ptr_array_add (bound->values, g_strdup_printf ("%" G_GINT64_FORMAT, page_size + 1));
  g_string_append_printf (sql, " ORDER BY q.%s%s LIMIT $%u::integer", key,
                          api->page_desc ? " DESC" : "", bound->values->len);
  bound->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  bound->page_size = page_size;
  if (want_count)
    bound->count_sql = g_strdup_printf ("SELECT count(*) FROM (%s) q", inner->str);

}

AqApiBound *
aq_api_bind (const AqApi *api,
             JsonObject  *input,
             GError     **error)
{
  g_autoptr(AqApiBound) bound = g_new0 (AqApiBound, 1);
  g_autofree char **values = NULL;   /* per parameter: the value, NULL when not given */
  g_autofree gboolean *group_on = NULL;
  g_autofree char *cursor = NULL;
  gboolean want_count = FALSE;
  gint64 page_size = MIN (AQ_API_DEFAULT_PAGE_SIZE, api->max_page_size);
  GList *members = NULL;

  g_return_val_if_fail (api->template != NULL, NULL);

  bound->values = g_ptr_array_new_with_free_func (g_free);
  values = g_new0 (char *, api->params->len + 1);
  group_on = g_new0 (gboolean, api->template->n_groups + 1);

  /* unknown names are refused: a misspelt optional filter must not silently widen an answer */
  members = input ? json_object_get_members (input) : NULL;
  for (GList *l = members; l; l = l->next)
    {
      const char *name = l->data;

      if (g_str_equal (name, "page_size") || g_str_equal (name, "cursor")
          || g_str_equal (name, "count") || aq_api_find_param (api, name))
        continue;
      g_set_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM,
                   "unknown parameter “%.64s”: see the API's documentation", name);
      g_list_free (members);
      goto fail;
    }
  g_list_free (members);

  if (input && json_object_has_member (input, "page_size"))
    {
      g_autofree char *text = scalar_text (json_object_get_member (input, "page_size"));

      if (text == NULL || !g_ascii_string_to_signed (text, 10, 1, api->max_page_size,
                                                     &page_size, NULL))
        {
          g_set_error (error, AQ_API_ERROR, AQ_API_BAD_PAGE,
                       "page_size is a number from 1 to %u", api->max_page_size);
          goto fail;
        }
    }
  if (input && json_object_has_member (input, "cursor"))
    {
      AqApiParam key_param = { .name = (char *) "cursor", .type = api->page_key_type,
                               .max_length = 200 };

      if (key_param.type == AQ_API_PARAM_TIMESTAMP)
        key_param.type = AQ_API_PARAM_TEXT;   /* as the warehouse wrote it */
      cursor = validate (&key_param, json_object_get_member (input, "cursor"), error);
      if (cursor == NULL)
        {
          g_clear_error (error);
          g_set_error (error, AQ_API_ERROR, AQ_API_BAD_PAGE,
                       "cursor: pass the page's “next” back as it came");
          goto fail;
        }
    }
  if (input && json_object_has_member (input, "count"))
    {
      g_autofree char *text = scalar_text (json_object_get_member (input, "count"));

      want_count = g_strcmp0 (text, "true") == 0 || g_strcmp0 (text, "1") == 0;
    }

  for (guint i = 0; i < api->params->len; i++)
    {
      AqApiParam *param = g_ptr_array_index (api->params, i);
      JsonNode *node = input ? json_object_get_member (input, param->name) : NULL;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        node = param->default_value;
      if (node == NULL)
        {
          if (param->required)
            {
              g_set_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM,
                           "parameter “%s” is required", param->name);
              goto fail;
            }
          continue;
        }
      values[i] = validate (param, node, error);
      if (values[i] == NULL)
        goto fail;
    }

  /* a clause is on when every parameter in it has a value */
  for (guint g = 1; g <= api->template->n_groups; g++)
    group_on[g] = TRUE;
  for (guint i = 0; i < api->template->parts->len; i++)
    {
      Part *part = &g_array_index (api->template->parts, Part, i);

      if (part->kind == PART_PARAM && values[part->param] == NULL)
        group_on[part->group] = FALSE;
    }
  group_on[0] = TRUE;

  emit (api, bound, values, group_on, g_steal_pointer (&cursor), page_size, want_count);

  for (guint i = 0; i < api->params->len; i++)
    g_free (values[i]);
  return g_steal_pointer (&bound);

fail:
  for (guint i = 0; i < api->params->len; i++)
    g_free (values[i]);
  return NULL;
}

/* Every clause on, every value NULL, no rows: runs the statement's every part (the
 * warehouse checks names, types and the caller's privileges) without reading anything. */
PGresult *
aq_api_check_run (AqDb        *db,
                  const AqApi *api,
                  GError     **error)
{
  g_autoptr(AqApiBound) bound = g_new0 (AqApiBound, 1);
  g_autofree char **values = g_new0 (char *, api->params->len + 1);
  g_autofree gboolean *group_on = g_new0 (gboolean, api->template->n_groups + 1);

  bound->values = g_ptr_array_new_with_free_func (g_free);
  for (guint g = 0; g <= api->template->n_groups; g++)
    group_on[g] = TRUE;
  emit (api, bound, values, group_on, NULL, -1, FALSE);
  return aq_db_query (db, bound->sql, bound->values->len,
                      (const char * const *) bound->values->pdata, error);
}

char *
aq_api_probe_sql (const AqApi *api)
{
  GString *sql;

  g_return_val_if_fail (api != NULL, NULL);

  if (api->template == NULL)
    return NULL;
  sql = g_string_new (NULL);
  for (guint i = 0; i < api->template->parts->len; i++)
    {
      Part *part = &g_array_index (api->template->parts, Part, i);
      AqApiParam *param;

      if (part->kind == PART_TEXT)
        {
          g_string_append (sql, part->text);
          continue;
        }
      param = g_ptr_array_index (api->params, part->param);
      g_string_append_printf (sql, "(NULL::%s)", type_casts[param->type]);
    }
  return g_string_free (sql, FALSE);
}

/* ---- running ---- */

void
aq_api_page_free (AqApiPage *page)
{
  if (page == NULL)
    return;
  g_string_free (page->data, TRUE);
  g_free (page->next);
  g_free (page);
}

gboolean
aq_api_session_prepare (AqDb    *db,
                        guint    timeout_ms,
                        GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SET ROLE aq_api; "
                                          "SET default_transaction_read_only = on; "
                                          "SET statement_timeout = %u; SET jit = off",
                                          timeout_ms);

  return aq_db_exec (db, sql, error);
}

AqApiPage *
aq_api_run (AqDb        *db,
            AqApiBound  *bound,
            GError     **error)
{
  g_autoptr(AqApiPage) page = g_new0 (AqApiPage, 1);
  g_autoptr(PGresult) res = NULL;
  guint n;
  guint n_values = bound->values->len;

  page->data = g_string_new ("[");
  page->total = -1;
  res = aq_db_query_prepared (db, bound->sql, n_values,
                              (const char * const *) bound->values->pdata, error);
  if (res == NULL)
    return NULL;
  n = PQntuples (res);
  page->rows = MIN (n, bound->page_size);
  for (guint i = 0; i < page->rows; i++)
    {
      if (i > 0)
        g_string_append_c (page->data, ',');
      g_string_append_len (page->data, PQgetvalue (res, i, 0), PQgetlength (res, i, 0));
    }
  g_string_append_c (page->data, ']');
  if (n > bound->page_size && page->rows > 0)
    page->next = g_strdup (PQgetvalue (res, page->rows - 1, 1));

  if (bound->count_sql)
    {
      /* the count has neither cursor nor limit: the template's own parameters only */
      if (!aq_db_query_int64 (db, bound->count_sql, bound->n_inner_values,
                              (const char * const *) bound->values->pdata, &page->total, error))
        return NULL;
    }
  return g_steal_pointer (&page);
}

char *
aq_api_try (AqDb        *db,
            const AqApi *api,
            JsonObject  *input,
            guint       *out_rows,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AqApiBound) bound = NULL;
  g_autoptr(AqApiPage) page = NULL;
  AqApiCode code;

  if (out_rows)
    *out_rows = 0;
  if (api->template == NULL)
    return aq_api_answer (AQ_API_BAD_PARAM, "A forwarded API is tried through the daemon",
                          NULL, NULL);
  bound = aq_api_bind (api, input, &local_error);
  if (bound == NULL)
    return aq_api_answer ((AqApiCode) local_error->code, local_error->message, NULL, NULL);
  if (!aq_db_exec (db, "BEGIN READ ONLY; SET LOCAL ROLE aq_api;"
                   " SET LOCAL statement_timeout = 10000", error))
    {
      aq_db_rollback (db);
      return NULL;
    }
  page = aq_api_run (db, bound, &local_error);
  aq_db_rollback (db);
  if (page == NULL)
    {
      if (g_error_matches (local_error, AQ_ERROR, AQ_ERROR_CONNECTION))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      code = AQ_API_WAREHOUSE;
      return aq_api_answer (code, local_error->message, NULL, NULL);
    }
  if (out_rows)
    *out_rows = page->rows;
  return aq_api_answer (AQ_API_OK, NULL, page, NULL);
}

char *
aq_api_answer (AqApiCode   code,
               const char *message,
               AqApiPage  *page,
               gsize      *out_len)
{
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(JsonNode) text = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (text, message ? message : (code == AQ_API_OK ? "ok" : "error"));
  quoted = json_to_string (text, FALSE);
  g_string_append_printf (body, "{\"code\":%d,\"message\":%s,\"data\":", (int) code, quoted);
  if (page)
    {
      g_string_append_len (body, page->data->str, page->data->len);
      g_string_append_printf (body, ",\"page\":{\"rows\":%u,\"next\":", page->rows);
      if (page->next)
        {
          g_autoptr(JsonNode) next = json_node_new (JSON_NODE_VALUE);
          g_autofree char *next_text = NULL;

          json_node_set_string (next, page->next);
          next_text = json_to_string (next, FALSE);
          g_string_append (body, next_text);
        }
      else
        g_string_append (body, "null");
      if (page->total >= 0)
        g_string_append_printf (body, ",\"total\":%" G_GINT64_FORMAT, page->total);
      g_string_append (body, "}}");
    }
  else
    g_string_append (body, "null,\"page\":null}");
  if (out_len)
    *out_len = body->len;
  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* ---- signatures ---- */

char *
aq_api_sign (const char *secret,
             const char *method,
             const char *path,
             const char *query,
             const void *body,
             gsize       body_len,
             const char *timestamp,
             const char *nonce)
{
  g_autofree char *body_hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                                            body ? body : (const void *) "",
                                                            body ? body_len : 0);
  g_autofree char *text = g_strjoin ("\n", method, path, query ? query : "", body_hash,
                                     timestamp, nonce, NULL);

  return g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret),
                                    text, -1);
}

gboolean
aq_api_signature_equal (const char *a,
                        const char *b)
{
  gsize la, lb;
  guchar diff = 0;

  if (a == NULL || b == NULL)
    return FALSE;
  la = strlen (a);
  lb = strlen (b);
  if (la != lb)
    return FALSE;
  for (gsize i = 0; i < la; i++)
    diff |= (guchar) (g_ascii_tolower (a[i]) ^ g_ascii_tolower (b[i]));
  return diff == 0;
}

char *
aq_api_random_token (guint bytes)
{
  g_autofree guchar *buffer = g_malloc (bytes);
  GString *hex = g_string_sized_new (bytes * 2);
  gsize got = 0;

  while (got < bytes)
    {
      ssize_t n = getrandom (buffer + got, bytes - got, 0);

      if (n <= 0)
        g_error ("getrandom failed");
      got += n;
    }
  for (guint i = 0; i < bytes; i++)
    g_string_append_printf (hex, "%02x", buffer[i]);
  return g_string_free (hex, FALSE);
}

/* aq-api-draft.c — an API being defined in the panel's wizard
 *
 * The wizard shows the parameters the author's SQL names as they type it: the scan here
 * reads a template the way the template parser in aq-api.c does (quoted text and comments
 * are not looked into, a :: cast is not a parameter, [[ … ]] marks the optional clauses), so
 * what the wizard lists is what aq_api_new() will ask to be declared. The author's choices
 * then become the definition JSON publishing stores. Nothing here writes: testing a draft is
 * aq_api_try() and publishing is aq_api_publish(), both of which the warehouse checks as
 * aq_api, so the refusal an author sees is the one a caller would hit.
 */
#define G_LOG_DOMAIN "aq-api-draft"

#include "config.h"

#include "aq-api-draft.h"

#include <string.h>

#include "aq-users.h"

void
aq_api_sql_param_free (AqApiSqlParam *param)
{
  if (param == NULL)
    return;
  g_free (param->name);
  g_free (param);
}

static gboolean
ident_start (char c)
{
  return g_ascii_isalpha (c) || c == '_';
}

static gboolean
ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

GPtrArray *
aq_api_sql_params (const char *sql)
{
  GPtrArray *params = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_sql_param_free);
  gboolean in_group = FALSE;
  const char *p = sql ? sql : "";

  while (*p)
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;
          const char *end = p + 1;

          while (*end && !(*end == quote && end[1] != quote))
            end += (*end == quote) ? 2 : 1;
          if (*end == '\0')
            break;
          p = end + 1;
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          const char *end = strchr (p, '\n');

          p = end ? end : p + strlen (p);
        }
      else if (p[0] == ':' && p[1] == ':')
        p += 2;
      else if (p[0] == ':' && ident_start (p[1]))
        {
          const char *end = p + 1;
          g_autofree char *name = NULL;
          AqApiSqlParam *found = NULL;

          while (ident_char (*end))
            end++;
          name = g_ascii_strdown (p + 1, end - p - 1);
          p = end;
          if (g_str_equal (name, "page_size") || g_str_equal (name, "cursor")
              || g_str_equal (name, "count"))
            continue;
          for (guint i = 0; i < params->len && !found; i++)
            if (g_str_equal (((AqApiSqlParam *) g_ptr_array_index (params, i))->name, name))
              found = g_ptr_array_index (params, i);
          if (found)
            found->optional = found->optional && in_group;
          else
            {
              found = g_new0 (AqApiSqlParam, 1);
              found->name = g_steal_pointer (&name);
              found->optional = in_group;
              g_ptr_array_add (params, found);
            }
        }
      else if (p[0] == '[' && p[1] == '[')
        {
          in_group = TRUE;
          p += 2;
        }
      else if (p[0] == ']' && p[1] == ']' && in_group)
        {
          in_group = FALSE;
          p += 2;
        }
      else
        p++;
    }
  return params;
}

/* The default as JSON: an integer's a number (so it binds as the caller's would), the rest
 * strings; a list's default an array. */
static JsonNode *
default_node (const AqApiDraftParam *param)
{
  g_autofree char *text = g_strstrip (g_strdup (param->default_text));
  JsonNode *node;
  char *end = NULL;
  gint64 value;

  if (param->type == AQ_API_PARAM_INTEGER)
    {
      value = g_ascii_strtoll (text, &end, 10);
      if (end && *end == '\0')
        return json_node_init_int (json_node_alloc (), value);
    }
  if (param->type == AQ_API_PARAM_LIST)
    {
      g_auto(GStrv) items = g_strsplit (text, ",", -1);
      JsonArray *array = json_array_new ();

      for (guint i = 0; items[i]; i++)
        if (*g_strstrip (items[i]))
          json_array_add_string_element (array, items[i]);
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }
  return json_node_init_string (json_node_alloc (), text);
}

static JsonArray *
params_array (const AqApiDraftParam *params,
              guint                  n_params)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < n_params; i++)
    {
      const AqApiDraftParam *param = &params[i];
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "name", param->name);
      json_object_set_string_member (o, "type", aq_api_param_type_to_string (param->type));
      json_object_set_boolean_member (o, "required", param->required);
      if (param->description && *param->description)
        json_object_set_string_member (o, "description", param->description);
      if ((param->type == AQ_API_PARAM_ENUMERATION || param->type == AQ_API_PARAM_LIST)
          && param->values_text && *param->values_text)
        {
          g_auto(GStrv) values = g_strsplit (param->values_text, ",", -1);
          JsonArray *v = json_array_new ();

          for (guint k = 0; values[k]; k++)
            if (*g_strstrip (values[k]))
              json_array_add_string_element (v, values[k]);
          json_object_set_array_member (o, "values", v);
        }
      if (!param->required && param->default_text && *param->default_text)
        json_object_set_member (o, "default", default_node (param));
      json_array_add_object_element (array, o);
    }
  return array;
}

JsonObject *
aq_api_draft_definition (const char            *sql,
                         const AqApiDraftParam *params,
                         guint                  n_params,
                         const char            *page_key,
                         const char            *page_key_type,
                         guint                  max_page_size)
{
  JsonObject *definition = json_object_new ();

  json_object_set_string_member (definition, "sql", sql ? sql : "");
  json_object_set_array_member (definition, "params", params_array (params, n_params));
  json_object_set_string_member (definition, "page_key", page_key ? page_key : "");
  json_object_set_string_member (definition, "page_key_type",
                                 page_key_type ? page_key_type : "text");
  json_object_set_int_member (definition, "max_page_size",
                              CLAMP (max_page_size ? max_page_size : 100, 1,
                                     AQ_API_MAX_PAGE_SIZE));
  return definition;
}

JsonObject *
aq_api_forward_definition (const char            *url,
                           const char            *method,
                           guint                  timeout_ms,
                           const AqApiDraftParam *params,
                           guint                  n_params,
                           JsonObject            *xml_map)
{
  JsonObject *definition = json_object_new ();
  JsonObject *forward = json_object_new ();

  json_object_set_string_member (forward, "url", url ? url : "");
  json_object_set_string_member (forward, "method",
                                 method && *method ? method : "GET");
  json_object_set_int_member (forward, "timeout_ms", timeout_ms ? timeout_ms : 3000);
  if (xml_map)
    json_object_set_object_member (forward, "xml", json_object_ref (xml_map));
  json_object_set_object_member (definition, "forward", forward);
  json_object_set_array_member (definition, "params", params_array (params, n_params));
  return definition;
}

gboolean
aq_api_may_publish (AqDb    *db,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  AqJobRole jobs = aq_users_current_job_roles (db, NULL, &local_error);

  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return (jobs & (AQ_JOB_ROLE_SUPERVISOR | AQ_JOB_ROLE_DATA_ENGINEER)) != 0;
}

GStrv
aq_api_response_fields (AqDb         *db,
                        const AqApi  *api,
                        GError      **error)
{
  g_autofree char *probe = aq_api_probe_sql (api);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (probe == NULL)
    return g_strv_builder_end (builder);
  sql = g_strdup_printf ("SELECT * FROM (%s) q LIMIT 0", probe);
  if (!aq_db_exec (db, "BEGIN READ ONLY; SET LOCAL ROLE aq_api;"
                   " SET LOCAL statement_timeout = 10000", error))
    {
      aq_db_rollback (db);
      return NULL;
    }
  res = aq_db_query (db, sql, 0, NULL, error);
  aq_db_rollback (db);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQnfields (res); i++)
    g_strv_builder_add (builder, PQfname (res, i));
  return g_strv_builder_end (builder);
}

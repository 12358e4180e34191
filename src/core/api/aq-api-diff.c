/* aq-api-diff.c — what changed between two versions of an API
 *
 * Publishing writes a new version and a rollback points back at an old one; before either,
 * an owner wants to see what differs. Three things matter to a caller and are compared
 * separately: the SQL (a line diff, longest common subsequence — templates are tens of
 * lines, so the quadratic table is small), the parameters (by name: added, removed, or
 * changed in any member) and the response fields (the columns each version answers, asked of
 * the warehouse by aq_api_response_fields(), since the SQL text alone cannot say what `*`
 * or a view yields). Paging and a forwarded API's target are reported when they change.
 */
#define G_LOG_DOMAIN "aq-api-diff"

#include "config.h"

#include "aq-api-diff.h"

#include "aq-api-draft.h"
#include "aq-api-store.h"

static void
add_line (JsonArray  *out,
          const char *op,
          const char *line)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "op", op);
  json_object_set_string_member (o, "line", line);
  json_array_add_object_element (out, o);
}

static JsonArray *
diff_lines (const char *from,
            const char *to)
{
  g_auto(GStrv) a = g_strsplit (from ? from : "", "\n", -1);
  g_auto(GStrv) b = g_strsplit (to ? to : "", "\n", -1);
  guint n = g_strv_length (a), m = g_strv_length (b);
  g_autofree guint *lcs = g_new0 (guint, (gsize) (n + 1) * (m + 1));
  JsonArray *out = json_array_new ();
  guint i = 0, j = 0;

#define L(x, y) lcs[(gsize) (x) * (m + 1) + (y)]
  for (int x = n - 1; x >= 0; x--)
    for (int y = m - 1; y >= 0; y--)
      L (x, y) = g_str_equal (a[x], b[y]) ? L (x + 1, y + 1) + 1
                                          : MAX (L (x + 1, y), L (x, y + 1));
  while (i < n && j < m)
    {
      if (g_str_equal (a[i], b[j]))
        {
          add_line (out, " ", a[i]);
          i++, j++;
        }
      else if (L (i + 1, j) >= L (i, j + 1))
        add_line (out, "-", a[i++]);
      else
        add_line (out, "+", b[j++]);
    }
#undef L
  for (; i < n; i++)
    add_line (out, "-", a[i]);
  for (; j < m; j++)
    add_line (out, "+", b[j]);
  return out;
}

static const char *
string_member (JsonObject *o,
               const char *name)
{
  JsonNode *node = o ? json_object_get_member (o, name) : NULL;

  return node && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static JsonObject *
find_param (JsonObject *definition,
            const char *name)
{
  JsonNode *params = json_object_get_member (definition, "params");

  if (params == NULL || !JSON_NODE_HOLDS_ARRAY (params))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (params)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (params), i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && g_strcmp0 (string_member (json_node_get_object (node), "name"), name) == 0)
        return json_node_get_object (node);
    }
  return NULL;
}

static gboolean
member_equal (JsonObject *a,
              JsonObject *b,
              const char *name)
{
  JsonNode *x = a ? json_object_get_member (a, name) : NULL;
  JsonNode *y = b ? json_object_get_member (b, name) : NULL;

  if (x == NULL || y == NULL)
    return x == y;
  return json_node_equal (x, y);
}

static gboolean
object_equal (JsonObject *a,
              JsonObject *b)
{
  g_autoptr(GList) names = json_object_get_members (a);

  if (json_object_get_size (a) != json_object_get_size (b))
    return FALSE;
  for (GList *l = names; l; l = l->next)
    if (!member_equal (a, b, l->data))
      return FALSE;
  return TRUE;
}

/* the params of @from missing from @to, as a JSON array */
static JsonArray *
params_missing (JsonObject *from,
                JsonObject *to)
{
  JsonNode *params = json_object_get_member (from, "params");
  JsonArray *out = json_array_new ();

  if (params == NULL || !JSON_NODE_HOLDS_ARRAY (params))
    return out;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (params)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (params), i);
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      name = string_member (json_node_get_object (node), "name");
      if (find_param (to, name) == NULL)
        json_array_add_element (out, json_node_copy (node));
    }
  return out;
}

static JsonArray *
strv_missing (const char * const *from,
              const char * const *to)
{
  JsonArray *out = json_array_new ();

  for (guint i = 0; from[i]; i++)
    if (!g_strv_contains (to, from[i]))
      json_array_add_string_element (out, from[i]);
  return out;
}

JsonObject *
aq_api_diff_definitions (JsonObject         *from,
                         JsonObject         *to,
                         const char * const *from_fields,
                         const char * const *to_fields)
{
  JsonObject *diff = json_object_new ();
  JsonObject *params = json_object_new ();
  JsonArray *changed = json_array_new ();
  JsonNode *to_params = json_object_get_member (to, "params");
  const char *paging[] = { "page_key", "page_key_type", "page_order", "max_page_size" };
  gboolean paging_changed = FALSE;

  json_object_set_array_member (diff, "sql", diff_lines (string_member (from, "sql"),
                                                         string_member (to, "sql")));
  json_object_set_boolean_member (diff, "sql_changed",
                                  g_strcmp0 (string_member (from, "sql"),
                                             string_member (to, "sql")) != 0);

  json_object_set_array_member (params, "added", params_missing (to, from));
  json_object_set_array_member (params, "removed", params_missing (from, to));
  if (to_params && JSON_NODE_HOLDS_ARRAY (to_params))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (to_params)); i++)
      {
        JsonNode *node = json_array_get_element (json_node_get_array (to_params), i);
        JsonObject *after, *before;
        JsonObject *change;

        if (!JSON_NODE_HOLDS_OBJECT (node))
          continue;
        after = json_node_get_object (node);
        before = find_param (from, string_member (after, "name"));
        if (before == NULL || object_equal (before, after))
          continue;
        change = json_object_new ();
        json_object_set_string_member (change, "name", string_member (after, "name"));
        json_object_set_object_member (change, "from", json_object_ref (before));
        json_object_set_object_member (change, "to", json_object_ref (after));
        json_array_add_object_element (changed, change);
      }
  json_object_set_array_member (params, "changed", changed);
  json_object_set_object_member (diff, "params", params);

  if (from_fields && to_fields)
    {
      JsonObject *fields = json_object_new ();

      json_object_set_array_member (fields, "added", strv_missing (to_fields, from_fields));
      json_object_set_array_member (fields, "removed", strv_missing (from_fields, to_fields));
      json_object_set_object_member (diff, "fields", fields);
    }

  for (guint i = 0; i < G_N_ELEMENTS (paging); i++)
    paging_changed |= !member_equal (from, to, paging[i]);
  if (paging_changed)
    {
      JsonObject *p = json_object_new ();
      JsonObject *a = json_object_new (), *b = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (paging); i++)
        {
          if (json_object_has_member (from, paging[i]))
            json_object_set_member (a, paging[i],
                                    json_node_copy (json_object_get_member (from, paging[i])));
          if (json_object_has_member (to, paging[i]))
            json_object_set_member (b, paging[i],
                                    json_node_copy (json_object_get_member (to, paging[i])));
        }
      json_object_set_object_member (p, "from", a);
      json_object_set_object_member (p, "to", b);
      json_object_set_object_member (diff, "paging", p);
    }
  if (!member_equal (from, to, "forward"))
    {
      JsonObject *f = json_object_new ();

      json_object_set_member (f, "from", json_object_has_member (from, "forward")
                              ? json_node_copy (json_object_get_member (from, "forward"))
                              : json_node_new (JSON_NODE_NULL));
      json_object_set_member (f, "to", json_object_has_member (to, "forward")
                              ? json_node_copy (json_object_get_member (to, "forward"))
                              : json_node_new (JSON_NODE_NULL));
      json_object_set_object_member (diff, "forward", f);
    }
  return diff;
}

JsonObject *
aq_api_diff (AqDb        *db,
             const char  *name,
             int          v1,
             int          v2,
             GError     **error)
{
  g_autoptr(AqApi) a = NULL;
  g_autoptr(AqApi) b = NULL;
  g_autoptr(GError) fields_error = NULL;
  g_auto(GStrv) fa = NULL;
  g_auto(GStrv) fb = NULL;
  JsonObject *diff;

  g_return_val_if_fail (v1 > 0 && v2 > 0, NULL);

  a = aq_api_load (db, name, v1, error);
  if (a == NULL)
    return NULL;
  b = aq_api_load (db, name, v2, error);
  if (b == NULL)
    return NULL;
  fa = aq_api_response_fields (db, a, &fields_error);
  if (fa)
    fb = aq_api_response_fields (db, b, &fields_error);
  if (fa && fb)
    diff = aq_api_diff_definitions (a->definition, b->definition,
                                    (const char * const *) fa, (const char * const *) fb);
  else
    {
      diff = aq_api_diff_definitions (a->definition, b->definition, NULL, NULL);
      json_object_set_string_member (diff, "fields_error", fields_error->message);
    }
  json_object_set_string_member (diff, "api", name);
  json_object_set_int_member (diff, "from_version", v1);
  json_object_set_int_member (diff, "to_version", v2);
  return diff;
}

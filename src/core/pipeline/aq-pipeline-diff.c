/* aq-pipeline-diff.c — what changed between two versions of a pipeline, step by step
 *
 * Steps are matched by id (the editor keeps a step's id when it is moved or edited), so a
 * renamed step is one removed and one added, as it is for the runner's records. Inside a step
 * that is in both, every member is compared as a JSON value (json_node_equal: an object's member
 * order does not count, an array's does), and each difference is one change with the two values
 * as compact JSON — a moved card is a changed “position”, an edited query a changed “sql”.
 * Edges are compared as (from, to) pairs. The two texts are read with the definition limits.
 *
 * The order is what a reader wants: the pipeline's own members, then the steps in the newer
 * version's order (added ones where they now are), the removed ones, then the edges.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "config.h"

#include "aq-pipeline-diff.h"

#include <glib/gi18n-lib.h>

#include "aq-error.h"
#include "aq-json-reader.h"

/* ---- auxiliary methods ---- */

void
aq_pipeline_change_free (AqPipelineChange *change)
{
  if (change == NULL)
    return;
  g_free (change->step_id);
  g_free (change->step_type);
  g_free (change->member);
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

static char *
node_text (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}

static void
add_change (GPtrArray            *changes,
            AqPipelineChangeKind  kind,
            const char           *step_id,
            const char           *step_type,
            const char           *member,
            JsonNode             *old_node,
            JsonNode             *new_node)
{
  AqPipelineChange *c = g_new0 (AqPipelineChange, 1);

  c->kind = kind;
  c->step_id = g_strdup (step_id);
  c->step_type = g_strdup (step_type);
  c->member = g_strdup (member);
  c->old_value = node_text (old_node);
  c->new_value = node_text (new_node);
  g_ptr_array_add (changes, c);
}

static JsonObject *
read_definition (const char  *text,
                 const char  *which,
                 GError     **error)
{
  g_autoptr(JsonNode) root = aq_json_read (text, -1, AQ_JSON_LIMIT_DEFINITION, error);

  if (root == NULL)
    {
      g_prefix_error (error, _("The %s version is not JSON: "), which);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The %s version is not a JSON object"), which);
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static const char *
string_of (JsonObject *object,
           const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* The steps by id, in their order; steps without an id are matched by their index. */
static GPtrArray *
steps_of (JsonObject  *pipeline,
          GHashTable **out_by_id)
{
  JsonNode *node = json_object_get_member (pipeline, "steps");
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  GHashTable *by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *steps = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (steps); i++)
        {
          JsonNode *step = json_array_get_element (steps, i);
          const char *id;
          char *key;

          if (!JSON_NODE_HOLDS_OBJECT (step))
            continue;
          id = string_of (json_node_get_object (step), "id");
          key = id ? g_strdup (id) : g_strdup_printf ("#%u", i);
          if (g_hash_table_contains (by_id, key))
            {
              g_free (key);
              continue;   /* a duplicate id: validation says so; the first one counts here */
            }
          g_ptr_array_add (ids, g_strdup (key));
          g_hash_table_insert (by_id, key, json_node_get_object (step));
        }
    }
  *out_by_id = by_id;
  return ids;
}

/* The edges as "from\nto" keys, in their order. */
static GPtrArray *
edges_of (JsonObject *pipeline)
{
  JsonNode *node = json_object_get_member (pipeline, "edges");
  GPtrArray *edges = g_ptr_array_new_with_free_func (g_free);

  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *edge = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (edge) ? json_node_get_object (edge) : NULL;
          const char *from = string_of (object, "from");
          const char *to = string_of (object, "to");

          if (from && to)
            g_ptr_array_add (edges, g_strconcat (from, "\n", to, NULL));
        }
    }
  return edges;
}

static gboolean
has_string (GPtrArray  *strings,
            const char *s)
{
  for (guint i = 0; i < strings->len; i++)
    if (g_str_equal (g_ptr_array_index (strings, i), s))
      return TRUE;
  return FALSE;
}

/* The members of @a and @b that differ: @a's order, then the ones only @b has. */
static void
diff_members (GPtrArray            *changes,
              AqPipelineChangeKind  kind,
              const char           *step_id,
              const char           *step_type,
              JsonObject           *a,
              JsonObject           *b,
              const char * const   *skip)
{
  g_autoptr(GList) a_members = json_object_get_members (a);
  g_autoptr(GList) b_members = json_object_get_members (b);

  for (GList *l = a_members; l; l = l->next)
    {
      JsonNode *old_node = json_object_get_member (a, l->data);
      JsonNode *new_node = json_object_get_member (b, l->data);

      if (skip && g_strv_contains (skip, l->data))
        continue;
      if (new_node == NULL || !json_node_equal (old_node, new_node))
        add_change (changes, kind, step_id, step_type, l->data, old_node, new_node);
    }
  for (GList *l = b_members; l; l = l->next)
    {
      if (skip && g_strv_contains (skip, l->data))
        continue;
      if (!json_object_has_member (a, l->data))
        add_change (changes, kind, step_id, step_type, l->data, NULL,
                    json_object_get_member (b, l->data));
    }
}

/* ---- public API ---- */

const char *
aq_pipeline_change_kind_to_name (AqPipelineChangeKind kind)
{
  switch (kind)
    {
    case AQ_PIPELINE_CHANGE_MEMBER:
      return "member";
    case AQ_PIPELINE_CHANGE_STEP_ADDED:
      return "step_added";
    case AQ_PIPELINE_CHANGE_STEP_REMOVED:
      return "step_removed";
    case AQ_PIPELINE_CHANGE_STEP_MEMBER:
      return "step_member";
    case AQ_PIPELINE_CHANGE_EDGE_ADDED:
      return "edge_added";
    case AQ_PIPELINE_CHANGE_EDGE_REMOVED:
      return "edge_removed";
    default:
      return "unknown";
    }
}

/**
 * aq_pipeline_diff:
 *
 * Returns: (transfer full) (element-type AqPipelineChange): the changes from @old_json to
 * @new_json, empty when the two are the same pipeline; NULL when either is not a JSON object
 */
GPtrArray *
aq_pipeline_diff (const char  *old_json,
                  const char  *new_json,
                  GError     **error)
{
  static const char * const pipeline_skip[] = { "steps", "edges", NULL };
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(GHashTable) a_steps = NULL;
  g_autoptr(GHashTable) b_steps = NULL;
  g_autoptr(GPtrArray) a_ids = NULL;
  g_autoptr(GPtrArray) b_ids = NULL;
  g_autoptr(GPtrArray) a_edges = NULL;
  g_autoptr(GPtrArray) b_edges = NULL;
  GPtrArray *changes;

  g_return_val_if_fail (old_json != NULL && new_json != NULL, NULL);

  a = read_definition (old_json, _("older"), error);
  if (a == NULL)
    return NULL;
  b = read_definition (new_json, _("newer"), error);
  if (b == NULL)
    return NULL;

  changes = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_change_free);
  diff_members (changes, AQ_PIPELINE_CHANGE_MEMBER, NULL, NULL, a, b, pipeline_skip);

  a_ids = steps_of (a, &a_steps);
  b_ids = steps_of (b, &b_steps);
  for (guint i = 0; i < b_ids->len; i++)
    {
      const char *id = g_ptr_array_index (b_ids, i);
      JsonObject *new_step = g_hash_table_lookup (b_steps, id);
      JsonObject *old_step = g_hash_table_lookup (a_steps, id);
      const char *type = string_of (new_step, "type");

      if (old_step == NULL)
        add_change (changes, AQ_PIPELINE_CHANGE_STEP_ADDED, id, type, NULL, NULL, NULL);
      else
        diff_members (changes, AQ_PIPELINE_CHANGE_STEP_MEMBER, id, type, old_step, new_step,
                      NULL);
    }
  for (guint i = 0; i < a_ids->len; i++)
    {
      const char *id = g_ptr_array_index (a_ids, i);

      if (!g_hash_table_contains (b_steps, id))
        add_change (changes, AQ_PIPELINE_CHANGE_STEP_REMOVED, id,
                    string_of (g_hash_table_lookup (a_steps, id), "type"), NULL, NULL, NULL);
    }

  a_edges = edges_of (a);
  b_edges = edges_of (b);
  for (guint i = 0; i < b_edges->len; i++)
    if (!has_string (a_edges, g_ptr_array_index (b_edges, i)))
      {
        g_auto(GStrv) ends = g_strsplit (g_ptr_array_index (b_edges, i), "\n", 2);

        add_change (changes, AQ_PIPELINE_CHANGE_EDGE_ADDED, ends[0], NULL, ends[1], NULL, NULL);
      }
  for (guint i = 0; i < a_edges->len; i++)
    if (!has_string (b_edges, g_ptr_array_index (a_edges, i)))
      {
        g_auto(GStrv) ends = g_strsplit (g_ptr_array_index (a_edges, i), "\n", 2);

        add_change (changes, AQ_PIPELINE_CHANGE_EDGE_REMOVED, ends[0], NULL, ends[1], NULL,
                    NULL);
      }
  return changes;
}

/* One line a person reads, e.g. `step “keep” (filter): “condition” "a > 0" → "a > 1"`. */
char *
aq_pipeline_change_describe (const AqPipelineChange *c)
{
  const char *type = c->step_type ? c->step_type : "?";

  switch (c->kind)
    {
    case AQ_PIPELINE_CHANGE_MEMBER:
    case AQ_PIPELINE_CHANGE_STEP_MEMBER:
      {
        g_autofree char *where = c->kind == AQ_PIPELINE_CHANGE_MEMBER
                                 ? g_strdup (_("pipeline"))
                                 : g_strdup_printf (_("step “%s” (%s)"), c->step_id, type);

        if (c->old_value == NULL)
          return g_strdup_printf (_("%s: “%s” added: %s"), where, c->member, c->new_value);
        if (c->new_value == NULL)
          return g_strdup_printf (_("%s: “%s” removed (was %s)"), where, c->member,
                                  c->old_value);
        return g_strdup_printf (_("%s: “%s” %s → %s"), where, c->member, c->old_value,
                                c->new_value);
      }
    case AQ_PIPELINE_CHANGE_STEP_ADDED:
      return g_strdup_printf (_("step “%s” (%s) added"), c->step_id, type);
    case AQ_PIPELINE_CHANGE_STEP_REMOVED:
      return g_strdup_printf (_("step “%s” (%s) removed"), c->step_id, type);
    case AQ_PIPELINE_CHANGE_EDGE_ADDED:
      return g_strdup_printf (_("edge %s → %s added"), c->step_id, c->member);
    case AQ_PIPELINE_CHANGE_EDGE_REMOVED:
      return g_strdup_printf (_("edge %s → %s removed"), c->step_id, c->member);
    default:
      return g_strdup ("?");
    }
}

/* The changes as `aqueductctl pipeline diff --json` prints them: an array of objects with
 * "change", "step", "type", "member" (edges: "from", "to"), "old", "new" (JSON values). */
JsonNode *
aq_pipeline_diff_to_json (GPtrArray *changes)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_array (b);
  for (guint i = 0; i < changes->len; i++)
    {
      AqPipelineChange *c = g_ptr_array_index (changes, i);
      gboolean edge = c->kind == AQ_PIPELINE_CHANGE_EDGE_ADDED
                      || c->kind == AQ_PIPELINE_CHANGE_EDGE_REMOVED;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "change");
      json_builder_add_string_value (b, aq_pipeline_change_kind_to_name (c->kind));
      json_builder_set_member_name (b, edge ? "from" : "step");
      json_builder_add_string_value (b, c->step_id);
      if (!edge)
        {
          json_builder_set_member_name (b, "type");
          json_builder_add_string_value (b, c->step_type);
        }
      json_builder_set_member_name (b, edge ? "to" : "member");
      json_builder_add_string_value (b, c->member);
      if (!edge)
        {
          json_builder_set_member_name (b, "old");
          json_builder_add_value (b, c->old_value ? json_from_string (c->old_value, NULL)
                                                  : json_node_new (JSON_NODE_NULL));
          json_builder_set_member_name (b, "new");
          json_builder_add_value (b, c->new_value ? json_from_string (c->new_value, NULL)
                                                  : json_node_new (JSON_NODE_NULL));
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* aq-pipeline-graph.c — a pipeline being edited: steps, edges, positions, undo and redo
 *
 * The editor's model, without widgets: the canvas is a view of it and the tests drive it
 * directly. It holds the pipeline's JSON as written (members it does not know survive a
 * round trip) and edits that JSON in place: a step's canvas position is one more member of
 * the step ("position": {"x": …, "y": …}), which the engine ignores.
 *
 * Undo keeps the whole definition as text before each edit. A pipeline is a few kilobytes
 * (200 steps ≈ 60 kB), so a snapshot is cheaper and far harder to get wrong than an inverse
 * per kind of edit; the stacks are bounded by MAX_UNDO.
 */
#define G_LOG_DOMAIN "aq-pipeline-graph"

#include "aq-pipeline-graph.h"

#include <math.h>
#include <string.h>

#include "aq-error.h"
#include "aq-json-reader.h"

/* Enough for an afternoon of edits; each entry is one definition as text. */
#define MAX_UNDO 200
/* Where a duplicate lands, relative to its original. */
#define DUPLICATE_OFFSET 40.0

struct _AqPipelineGraph
{
  GObject     parent_instance;
  JsonObject *root;   /* the pipeline: "name", "steps", "edges" and whatever else it had */
  GPtrArray  *undo;   /* (element-type utf8) definitions before each edit, newest last */
  GPtrArray  *redo;   /* (element-type utf8) definitions undone, newest last */
  char       *typing; /* "step\nmember" of the last edit if it set that member, else NULL */
  GHashTable *index;  /* id → index + 1, built on demand; NULL after steps come or go */
};

G_DEFINE_FINAL_TYPE (AqPipelineGraph, aq_pipeline_graph, G_TYPE_OBJECT)

enum { PROP_0, PROP_CAN_UNDO, PROP_CAN_REDO, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- auxiliary methods ---- */

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      json_object_set_array_member (object, member, json_array_new ());
      node = json_object_get_member (object, member);
    }
  return json_node_get_array (node);
}

static JsonArray *
steps_of (AqPipelineGraph *self)
{
  return member_array (self->root, "steps");
}

static JsonArray *
edges_of (AqPipelineGraph *self)
{
  return member_array (self->root, "edges");
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

static JsonObject *
object_at (JsonArray *array,
           guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Steps came, went or were renamed: the index of ids is built again when next needed. */
static void
invalidate (AqPipelineGraph *self)
{
  g_clear_pointer (&self->index, g_hash_table_unref);
}

static void
emit_changed (AqPipelineGraph *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
notify_stacks (AqPipelineGraph *self,
               gboolean         could_undo,
               gboolean         could_redo)
{
  if (could_undo != aq_pipeline_graph_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != aq_pipeline_graph_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static char *
serialize (AqPipelineGraph *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, self->root);
  return json_to_string (node, FALSE);
}

/* Every edit starts here: the definition as it was goes on the undo stack. */
static void
begin_edit (AqPipelineGraph *self)
{
  gboolean could_undo = aq_pipeline_graph_can_undo (self);
  gboolean could_redo = aq_pipeline_graph_can_redo (self);

  g_clear_pointer (&self->typing, g_free);

  g_ptr_array_add (self->undo, serialize (self));
  if (self->undo->len > MAX_UNDO)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  notify_stacks (self, could_undo, could_redo);
}

static gboolean
load_root (AqPipelineGraph  *self,
           const char       *json,
           gssize            len,
           GError          **error)
{
  g_autoptr(JsonNode) root = aq_json_read (json, len, AQ_JSON_LIMIT_DEFINITION, error);

  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           "a pipeline is a JSON object with “name”, “steps” and “edges”");
      return FALSE;
    }
  invalidate (self);
  g_clear_pointer (&self->root, json_object_unref);
  self->root = json_object_ref (json_node_get_object (root));
  steps_of (self);
  edges_of (self);
  return TRUE;
}

/* A fresh id for a step of @type: “filter”, then “filter_2”, “filter_3”… */
static char *
unique_id (AqPipelineGraph *self,
           const char      *base)
{
  char *id = g_strdup (base);

  for (guint n = 2; aq_pipeline_graph_find_step (self, id) >= 0; n++)
    {
      g_free (id);
      id = g_strdup_printf ("%s_%u", base, n);
    }
  return id;
}

static void
set_position (JsonObject *step,
              double      x,
              double      y)
{
  JsonObject *position = json_object_new ();

  json_object_set_double_member (position, "x", round (x));
  json_object_set_double_member (position, "y", round (y));
  json_object_set_object_member (step, AQ_PIPELINE_GRAPH_POSITION, position);
}

static gboolean
number_of (JsonObject *object,
           const char *member,
           double     *out)
{
  JsonNode *node = json_object_get_member (object, member);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (node);
  return TRUE;
}

/* Whether @to can reach @from along the edges (then from → to would close a cycle). */
static gboolean
reaches (AqPipelineGraph *self,
         const char      *start,
         const char      *goal)
{
  JsonArray *edges = edges_of (self);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) todo = g_ptr_array_new ();

  g_ptr_array_add (todo, (gpointer) start);
  while (todo->len > 0)
    {
      const char *id = g_ptr_array_steal_index (todo, todo->len - 1);

      if (g_strcmp0 (id, goal) == 0)
        return TRUE;
      if (!g_hash_table_add (seen, (gpointer) id))
        continue;
      for (guint i = 0; i < json_array_get_length (edges); i++)
        {
          JsonObject *edge = object_at (edges, i);

          if (g_strcmp0 (string_of (edge, "from"), id) == 0 && string_of (edge, "to"))
            g_ptr_array_add (todo, (gpointer) string_of (edge, "to"));
        }
    }
  return FALSE;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_graph_finalize (GObject *object)
{
  AqPipelineGraph *self = AQ_PIPELINE_GRAPH (object);

  g_clear_pointer (&self->root, json_object_unref);
  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->typing, g_free);
  invalidate (self);

  G_OBJECT_CLASS (aq_pipeline_graph_parent_class)->finalize (object);
}

static void
aq_pipeline_graph_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AqPipelineGraph *self = AQ_PIPELINE_GRAPH (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, aq_pipeline_graph_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, aq_pipeline_graph_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_pipeline_graph_class_init (AqPipelineGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = aq_pipeline_graph_finalize;
  object_class->get_property = aq_pipeline_graph_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* after every edit, undo and redo: views redraw, validation runs again */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
aq_pipeline_graph_init (AqPipelineGraph *self)
{
  self->undo = g_ptr_array_new_with_free_func (g_free);
  self->redo = g_ptr_array_new_with_free_func (g_free);
}

/* ---- public API: loading and reading ---- */

AqPipelineGraph *
aq_pipeline_graph_new (const char *name)
{
  AqPipelineGraph *self = g_object_new (AQ_TYPE_PIPELINE_GRAPH, NULL);

  self->root = json_object_new ();
  json_object_set_string_member (self->root, "name", name ? name : "pipeline");
  steps_of (self);
  edges_of (self);
  return self;
}

/**
 * aq_pipeline_graph_new_from_data:
 *
 * Needs only a JSON object: steps without ids, unknown types or dangling edges load, so the
 * editor can show what is wrong (aq_pipeline_validate_graph() lists it).
 */
AqPipelineGraph *
aq_pipeline_graph_new_from_data (const char  *json,
                                 gssize       len,
                                 GError     **error)
{
  g_autoptr(AqPipelineGraph) self = g_object_new (AQ_TYPE_PIPELINE_GRAPH, NULL);

  g_return_val_if_fail (json != NULL, NULL);

  if (!load_root (self, json, len, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * aq_pipeline_graph_dup_root:
 *
 * Returns: (transfer full): a deep copy of the definition, for the engine
 */
JsonNode *
aq_pipeline_graph_dup_root (AqPipelineGraph *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), NULL);

  node = json_node_init_object (json_node_alloc (), self->root);
  return json_node_copy (node);
}

/* One of the standard pipelines (data/pipelines/, compiled in), as it ships. */
AqPipelineGraph *
aq_pipeline_graph_new_standard (const char  *name,
                                GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  path = g_strconcat ("/org/aqueduct/Aqueduct/pipelines/", name, ".json", NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, "There is no standard pipeline “%s”",
                   name);
      return NULL;
    }
  return aq_pipeline_graph_new_from_data (g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), error);
}

/* The definition as pretty JSON, positions included: what Save stores. */
char *
aq_pipeline_graph_to_data (AqPipelineGraph *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), NULL);

  json_node_set_object (node, self->root);
  return json_to_string (node, TRUE);
}

const char *
aq_pipeline_graph_get_name (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), NULL);
  return string_of (self->root, "name");
}

guint
aq_pipeline_graph_get_n_steps (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), 0);
  return json_array_get_length (steps_of (self));
}

/* The id of the step at @index of "steps", or NULL if it has none. */
const char *
aq_pipeline_graph_get_step_id (AqPipelineGraph *self,
                               guint            index)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), NULL);
  g_return_val_if_fail (index < aq_pipeline_graph_get_n_steps (self), NULL);
  return string_of (object_at (steps_of (self), index), "id");
}

int
aq_pipeline_graph_find_step (AqPipelineGraph *self,
                             const char      *id)
{
  JsonArray *steps;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), -1);

  if (id == NULL)
    return -1;
  /* a canvas asks for every card and edge on every frame: look ids up in a table */
  if (self->index == NULL)
    {
      steps = steps_of (self);
      self->index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < json_array_get_length (steps); i++)
        {
          const char *step_id = string_of (object_at (steps, i), "id");

          /* the first of two steps with one id wins, as a linear search would */
          if (step_id && !g_hash_table_contains (self->index, step_id))
            g_hash_table_insert (self->index, (gpointer) step_id, GUINT_TO_POINTER (i + 1));
        }
    }
  return (int) GPOINTER_TO_UINT (g_hash_table_lookup (self->index, id)) - 1;
}

/* Returns: (transfer none) (nullable): the step's definition; change it with set_member. */
JsonObject *
aq_pipeline_graph_get_step (AqPipelineGraph *self,
                            const char      *id)
{
  int index = aq_pipeline_graph_find_step (self, id);

  return index < 0 ? NULL : object_at (steps_of (self), index);
}

const char *
aq_pipeline_graph_get_step_type (AqPipelineGraph *self,
                                 const char      *id)
{
  return string_of (aq_pipeline_graph_get_step (self, id), "type");
}

/* FALSE, and 0, 0, when the step has no position (yet). */
gboolean
aq_pipeline_graph_get_position (AqPipelineGraph *self,
                                const char      *id,
                                double          *x,
                                double          *y)
{
  JsonObject *step = aq_pipeline_graph_get_step (self, id);
  JsonNode *node = step ? json_object_get_member (step, AQ_PIPELINE_GRAPH_POSITION) : NULL;
  double px = 0, py = 0;
  gboolean ok = FALSE;

  if (node && JSON_NODE_HOLDS_OBJECT (node))
    ok = number_of (json_node_get_object (node), "x", &px)
         && number_of (json_node_get_object (node), "y", &py);
  if (x)
    *x = ok ? px : 0;
  if (y)
    *y = ok ? py : 0;
  return ok;
}

/* Whether every step has a position (else the editor lays the pipeline out). */
gboolean
aq_pipeline_graph_has_positions (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);

  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (self); i++)
    if (!aq_pipeline_graph_get_position (self, aq_pipeline_graph_get_step_id (self, i),
                                         NULL, NULL))
      return FALSE;
  return TRUE;
}

guint
aq_pipeline_graph_get_n_edges (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), 0);
  return json_array_get_length (edges_of (self));
}

/* @from and @to are NULL when the edge does not name them as strings. */
void
aq_pipeline_graph_get_edge (AqPipelineGraph  *self,
                            guint             index,
                            const char      **from,
                            const char      **to)
{
  JsonObject *edge;

  g_return_if_fail (AQ_IS_PIPELINE_GRAPH (self));
  g_return_if_fail (index < aq_pipeline_graph_get_n_edges (self));

  edge = object_at (edges_of (self), index);
  if (from)
    *from = string_of (edge, "from");
  if (to)
    *to = string_of (edge, "to");
}

gboolean
aq_pipeline_graph_has_edge (AqPipelineGraph *self,
                            const char      *from,
                            const char      *to)
{
  for (guint i = 0; i < aq_pipeline_graph_get_n_edges (self); i++)
    {
      const char *f, *t;

      aq_pipeline_graph_get_edge (self, i, &f, &t);
      if (g_strcmp0 (f, from) == 0 && g_strcmp0 (t, to) == 0)
        return TRUE;
    }
  return FALSE;
}

/**
 * aq_pipeline_graph_get_run_order:
 *
 * The step ids in the order a run takes them (sources first; among ready steps, the order of
 * "steps"), which Tab walks. Steps on a cycle come last, in the order of "steps".
 *
 * Returns: (transfer full): the ids
 */
char **
aq_pipeline_graph_get_run_order (AqPipelineGraph *self)
{
  guint n = aq_pipeline_graph_get_n_steps (self);
  g_autofree guint *preds = g_new0 (guint, n);
  g_autofree gboolean *done = g_new0 (gboolean, n);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint placed = 0;

  for (guint i = 0; i < aq_pipeline_graph_get_n_edges (self); i++)
    {
      const char *from, *to;
      int f, t;

      aq_pipeline_graph_get_edge (self, i, &from, &to);
      f = aq_pipeline_graph_find_step (self, from);
      t = aq_pipeline_graph_find_step (self, to);
      if (f >= 0 && t >= 0)
        preds[t]++;
    }
  while (placed < n)
    {
      int next = -1;

      for (guint i = 0; i < n && next < 0; i++)
        if (!done[i] && preds[i] == 0)
          next = i;
      if (next < 0)   /* a cycle: take the first left */
        for (guint i = 0; i < n && next < 0; i++)
          if (!done[i])
            next = i;
      done[next] = TRUE;
      placed++;
      if (aq_pipeline_graph_get_step_id (self, next))
        g_strv_builder_add (builder, aq_pipeline_graph_get_step_id (self, next));
      for (guint i = 0; i < aq_pipeline_graph_get_n_edges (self); i++)
        {
          const char *from, *to;
          int t;

          aq_pipeline_graph_get_edge (self, i, &from, &to);
          t = aq_pipeline_graph_find_step (self, to);
          if (from && g_strcmp0 (from, aq_pipeline_graph_get_step_id (self, next)) == 0
              && t >= 0 && preds[t] > 0)
            preds[t]--;
        }
    }
  return g_strv_builder_end (builder);
}

/**
 * aq_pipeline_graph_find:
 *
 * Ctrl+F: the ids of the steps whose id, type or string members contain @text (ignoring
 * case), in run order.
 */
char **
aq_pipeline_graph_find (AqPipelineGraph *self,
                        const char      *text)
{
  g_auto(GStrv) order = aq_pipeline_graph_get_run_order (self);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *needle = g_utf8_casefold (text ? text : "", -1);

  for (guint i = 0; order[i]; i++)
    {
      JsonObject *step = aq_pipeline_graph_get_step (self, order[i]);
      g_autoptr(GList) members = json_object_get_members (step);
      gboolean hit = FALSE;

      for (GList *l = members; l && !hit; l = l->next)
        {
          const char *value = string_of (step, l->data);
          g_autofree char *folded = value ? g_utf8_casefold (value, -1) : NULL;

          hit = folded && strstr (folded, needle) != NULL;
        }
      if (hit)
        g_strv_builder_add (builder, order[i]);
    }
  return g_strv_builder_end (builder);
}

/* ---- public API: edits ---- */

/**
 * aq_pipeline_graph_add_step:
 *
 * Adds an empty step of @type at (@x, @y) with a fresh id (the type, numbered if taken).
 *
 * Returns: (transfer full): the new step's id
 */
char *
aq_pipeline_graph_add_step (AqPipelineGraph *self,
                            const char      *type,
                            double           x,
                            double           y)
{
  JsonObject *step;
  char *id;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  begin_edit (self);
  id = unique_id (self, type);
  step = json_object_new ();
  json_object_set_string_member (step, "id", id);
  json_object_set_string_member (step, "type", type);
  set_position (step, x, y);
  json_array_add_object_element (steps_of (self), step);
  invalidate (self);
  emit_changed (self);
  return id;
}

/* Removes the steps and every edge that touches them. Returns how many steps went. */
guint
aq_pipeline_graph_remove_steps (AqPipelineGraph    *self,
                                const char * const *ids)
{
  JsonArray *steps, *edges;
  guint removed = 0;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), 0);

  if (ids == NULL || ids[0] == NULL)
    return 0;
  for (guint i = 0; ids[i]; i++)
    if (aq_pipeline_graph_find_step (self, ids[i]) >= 0)
      removed++;
  if (removed == 0)
    return 0;
  begin_edit (self);
  steps = steps_of (self);
  for (guint i = json_array_get_length (steps); i-- > 0;)
    if (g_strv_contains (ids, string_of (object_at (steps, i), "id") ?: ""))
      json_array_remove_element (steps, i);
  invalidate (self);
  edges = edges_of (self);
  for (guint i = json_array_get_length (edges); i-- > 0;)
    {
      JsonObject *edge = object_at (edges, i);

      if (g_strv_contains (ids, string_of (edge, "from") ?: "")
          || g_strv_contains (ids, string_of (edge, "to") ?: ""))
        json_array_remove_element (edges, i);
    }
  emit_changed (self);
  return removed;
}

/**
 * aq_pipeline_graph_connect:
 *
 * Adds the edge @from → @to. Refuses an unknown step, an edge to itself, one that exists and
 * one that would close a cycle. Whether @to takes that many inputs is validation's business:
 * a canvas may hold a half-built pipeline.
 */
gboolean
aq_pipeline_graph_connect (AqPipelineGraph  *self,
                           const char       *from,
                           const char       *to,
                           GError          **error)
{
  JsonObject *edge;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);

  if (aq_pipeline_graph_find_step (self, from) < 0 || aq_pipeline_graph_find_step (self, to) < 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, "There is no step “%s”",
                   aq_pipeline_graph_find_step (self, from) < 0 ? from : to);
      return FALSE;
    }
  if (g_strcmp0 (from, to) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "A step cannot read its own rows");
      return FALSE;
    }
  if (aq_pipeline_graph_has_edge (self, from, to))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "“%s” already feeds “%s”", from, to);
      return FALSE;
    }
  if (reaches (self, to, from))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "“%s” → “%s” would close a cycle: “%s” already runs after “%s”",
                   from, to, from, to);
      return FALSE;
    }
  begin_edit (self);
  edge = json_object_new ();
  json_object_set_string_member (edge, "from", from);
  json_object_set_string_member (edge, "to", to);
  json_array_add_object_element (edges_of (self), edge);
  emit_changed (self);
  return TRUE;
}

gboolean
aq_pipeline_graph_disconnect (AqPipelineGraph *self,
                              const char      *from,
                              const char      *to)
{
  JsonArray *edges;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);

  if (!aq_pipeline_graph_has_edge (self, from, to))
    return FALSE;
  begin_edit (self);
  edges = edges_of (self);
  for (guint i = json_array_get_length (edges); i-- > 0;)
    if (g_strcmp0 (string_of (object_at (edges, i), "from"), from) == 0
        && g_strcmp0 (string_of (object_at (edges, i), "to"), to) == 0)
      json_array_remove_element (edges, i);
  emit_changed (self);
  return TRUE;
}

/* One edit for the whole drag or nudge; steps without a position get one from (0, 0). */
void
aq_pipeline_graph_move_steps (AqPipelineGraph    *self,
                              const char * const *ids,
                              double              dx,
                              double              dy)
{
  gboolean any = FALSE;

  g_return_if_fail (AQ_IS_PIPELINE_GRAPH (self));

  for (guint i = 0; ids && ids[i]; i++)
    any |= aq_pipeline_graph_find_step (self, ids[i]) >= 0;
  if (!any || (dx == 0 && dy == 0))
    return;
  begin_edit (self);
  for (guint i = 0; ids[i]; i++)
    {
      JsonObject *step = aq_pipeline_graph_get_step (self, ids[i]);
      double x, y;

      if (step == NULL)
        continue;
      aq_pipeline_graph_get_position (self, ids[i], &x, &y);
      set_position (step, x + dx, y + dy);
    }
  emit_changed (self);
}

/**
 * aq_pipeline_graph_duplicate_steps:
 *
 * Copies the steps (every member, a fresh id, shifted down and right) and the edges between
 * them; edges from outside the selection are not copied.
 *
 * Returns: (transfer full): the new ids, in the order of @ids
 */
char **
aq_pipeline_graph_duplicate_steps (AqPipelineGraph    *self,
                                   const char * const *ids)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  guint n_edges;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), NULL);

  for (guint i = 0; ids && ids[i]; i++)
    if (aq_pipeline_graph_find_step (self, ids[i]) >= 0)
      break;
    else if (ids[i + 1] == NULL)
      return g_strv_builder_end (builder);
  if (ids == NULL || ids[0] == NULL)
    return g_strv_builder_end (builder);

  begin_edit (self);
  for (guint i = 0; ids[i]; i++)
    {
      JsonObject *step = aq_pipeline_graph_get_step (self, ids[i]);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(JsonNode) copy = NULL;
      g_autofree char *id = NULL;
      double x, y;

      if (step == NULL || g_hash_table_contains (renamed, ids[i]))
        continue;
      node = json_node_init_object (json_node_alloc (), step);
      copy = json_node_copy (node);
      id = unique_id (self, ids[i]);
      aq_pipeline_graph_get_position (self, ids[i], &x, &y);
      json_object_set_string_member (json_node_get_object (copy), "id", id);
      set_position (json_node_get_object (copy), x + DUPLICATE_OFFSET, y + DUPLICATE_OFFSET);
      json_array_add_element (steps_of (self), g_steal_pointer (&copy));
      invalidate (self);
      g_hash_table_insert (renamed, g_strdup (ids[i]), g_strdup (id));
      g_strv_builder_add (builder, id);
    }
  n_edges = aq_pipeline_graph_get_n_edges (self);
  for (guint i = 0; i < n_edges; i++)
    {
      const char *from, *to, *new_from, *new_to;

      aq_pipeline_graph_get_edge (self, i, &from, &to);
      new_from = from ? g_hash_table_lookup (renamed, from) : NULL;
      new_to = to ? g_hash_table_lookup (renamed, to) : NULL;
      if (new_from && new_to)
        {
          JsonObject *edge = json_object_new ();

          json_object_set_string_member (edge, "from", new_from);
          json_object_set_string_member (edge, "to", new_to);
          json_array_add_object_element (edges_of (self), edge);
        }
    }
  emit_changed (self);
  return g_strv_builder_end (builder);
}

/**
 * aq_pipeline_graph_set_member:
 * @value: (nullable) (transfer none): the new value, or %NULL to remove the member
 *
 * Sets a member of a step, as the form does. Setting "id" renames the step and its edges
 * (refused when the id is taken or empty). An unchanged value is no edit, and setting the
 * member the last edit set is part of that edit (typing in a form is one undo step).
 */
gboolean
aq_pipeline_graph_set_member (AqPipelineGraph *self,
                              const char      *id,
                              const char      *member,
                              JsonNode        *value)
{
  g_autofree char *key = NULL;
  JsonObject *step;
  JsonNode *old;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);
  g_return_val_if_fail (member != NULL, FALSE);

  step = aq_pipeline_graph_get_step (self, id);
  if (step == NULL)
    return FALSE;
  old = json_object_get_member (step, member);
  if ((old == NULL && value == NULL) || (old && value && json_node_equal (old, value)))
    return TRUE;
  if (strcmp (member, "id") == 0)
    {
      const char *new_id = value && JSON_NODE_HOLDS_VALUE (value)
                           && json_node_get_value_type (value) == G_TYPE_STRING
                           ? json_node_get_string (value) : NULL;
      g_autofree char *old_id = g_strdup (id);
      JsonArray *edges;

      if (new_id == NULL || *new_id == '\0' || aq_pipeline_graph_find_step (self, new_id) >= 0)
        return FALSE;
      begin_edit (self);
      json_object_set_string_member (step, "id", new_id);
      invalidate (self);
      edges = edges_of (self);
      for (guint i = 0; i < json_array_get_length (edges); i++)
        {
          JsonObject *edge = object_at (edges, i);

          if (g_strcmp0 (string_of (edge, "from"), old_id) == 0)
            json_object_set_string_member (edge, "from", new_id);
          if (g_strcmp0 (string_of (edge, "to"), old_id) == 0)
            json_object_set_string_member (edge, "to", new_id);
        }
      emit_changed (self);
      return TRUE;
    }
  /* typing into one member, key after key, is one edit to undo */
  key = g_strdup_printf ("%s\n%s", id, member);
  if (g_strcmp0 (key, self->typing) != 0)
    begin_edit (self);
  g_free (self->typing);
  self->typing = g_steal_pointer (&key);
  if (value == NULL)
    json_object_remove_member (step, member);
  else
    json_object_set_member (step, member, json_node_copy (value));
  emit_changed (self);
  return TRUE;
}

/* A string member; %NULL or "" removes it. */
gboolean
aq_pipeline_graph_set_member_string (AqPipelineGraph *self,
                                     const char      *id,
                                     const char      *member,
                                     const char      *value)
{
  g_autoptr(JsonNode) node = NULL;

  if (value && *value)
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, value);
    }
  return aq_pipeline_graph_set_member (self, id, member, node);
}

/**
 * aq_pipeline_graph_auto_layout:
 *
 * Places every step on a grid: the column is the length of the longest path that reaches it
 * (sources on the left, the outputs to the right of what feeds them), the row its place in
 * the column, ordered by the mean row of its inputs so that edges cross little. One edit.
 */
void
aq_pipeline_graph_auto_layout (AqPipelineGraph *self)
{
  guint n = aq_pipeline_graph_get_n_steps (self);
  g_auto(GStrv) order = NULL;
  g_autofree int *column = g_new0 (int, n);
  g_autofree double *row = g_new0 (double, n);
  g_autofree double *key = g_new0 (double, n);
  int n_columns = 0;

  g_return_if_fail (AQ_IS_PIPELINE_GRAPH (self));

  if (n == 0)
    return;
  order = aq_pipeline_graph_get_run_order (self);
  for (guint k = 0; order[k]; k++)
    {
      int t = aq_pipeline_graph_find_step (self, order[k]);

      for (guint e = 0; e < aq_pipeline_graph_get_n_edges (self); e++)
        {
          const char *from, *to;
          int f;

          aq_pipeline_graph_get_edge (self, e, &from, &to);
          f = aq_pipeline_graph_find_step (self, from);
          if (f >= 0 && g_strcmp0 (to, order[k]) == 0 && column[f] + 1 > column[t])
            column[t] = column[f] + 1;
        }
      n_columns = MAX (n_columns, column[t] + 1);
    }

  begin_edit (self);
  for (int c = 0; c < n_columns; c++)
    {
      g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));

      for (guint i = 0; i < n; i++)
        {
          double sum = 0;
          guint count = 0;

          if (column[i] != c)
            continue;
          for (guint e = 0; e < aq_pipeline_graph_get_n_edges (self); e++)
            {
              const char *from, *to;
              int f;

              aq_pipeline_graph_get_edge (self, e, &from, &to);
              f = aq_pipeline_graph_find_step (self, from);
              if (f >= 0 && column[f] < c
                  && g_strcmp0 (to, aq_pipeline_graph_get_step_id (self, i)) == 0)
                {
                  sum += row[f];
                  count++;
                }
            }
          /* without inputs: keep the order of "steps" (the index breaks ties) */
          key[i] = count ? sum / count : (double) i;
          g_array_append_val (members, i);
        }
      /* a stable insertion sort by key: columns are short */
      for (guint a = 1; a < members->len; a++)
        for (guint b = a; b > 0; b--)
          {
            guint *m = (guint *) members->data;

            if (key[m[b - 1]] <= key[m[b]])
              break;
            guint tmp = m[b - 1];
            m[b - 1] = m[b];
            m[b] = tmp;
          }
      for (guint r = 0; r < members->len; r++)
        {
          guint i = g_array_index (members, guint, r);

          row[i] = r;
          set_position (object_at (steps_of (self), i), c * AQ_PIPELINE_GRAPH_COLUMN_WIDTH,
                        r * AQ_PIPELINE_GRAPH_ROW_HEIGHT);
        }
    }
  emit_changed (self);
}

/* ---- public API: undo and redo ---- */

gboolean
aq_pipeline_graph_can_undo (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);
  return self->undo->len > 0;
}

gboolean
aq_pipeline_graph_can_redo (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);
  return self->redo->len > 0;
}

static gboolean
swap_stacks (AqPipelineGraph *self,
             GPtrArray       *from,
             GPtrArray       *to)
{
  gboolean could_undo = aq_pipeline_graph_can_undo (self);
  gboolean could_redo = aq_pipeline_graph_can_redo (self);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (from->len == 0)
    return FALSE;
  g_clear_pointer (&self->typing, g_free);
  text = g_ptr_array_steal_index (from, from->len - 1);
  g_ptr_array_add (to, serialize (self));
  /* our own serialization: it parses */
  if (!load_root (self, text, -1, &error))
    g_critical ("Cannot restore a pipeline from its undo stack: %s", error->message);
  notify_stacks (self, could_undo, could_redo);
  emit_changed (self);
  return TRUE;
}

/* After opening a pipeline (and laying it out): nothing before it to undo. */
void
aq_pipeline_graph_clear_history (AqPipelineGraph *self)
{
  gboolean could_undo, could_redo;

  g_return_if_fail (AQ_IS_PIPELINE_GRAPH (self));

  could_undo = aq_pipeline_graph_can_undo (self);
  could_redo = aq_pipeline_graph_can_redo (self);
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  notify_stacks (self, could_undo, could_redo);
}

gboolean
aq_pipeline_graph_undo (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);
  return swap_stacks (self, self->undo, self->redo);
}

gboolean
aq_pipeline_graph_redo (AqPipelineGraph *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (self), FALSE);
  return swap_stacks (self, self->redo, self->undo);
}

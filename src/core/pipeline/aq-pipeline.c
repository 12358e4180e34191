/* aq-pipeline.c — a pipeline: a graph of steps that loads the warehouse
 *
 * Loading only needs well-formed JSON: a pipeline with an unknown step type or a dangling edge
 * still loads, so a canvas can open it and show what is wrong. The model checks the graph (ids,
 * edges, cycles, how many inputs each step takes) and each step's members when asked for the
 * order; the compiler checks the columns that flow along the edges, the runner checks them
 * against the warehouse and runs. The entry points are the runner's
 * (aq_pipeline_runner_validate(), aq_pipeline_runner_run_pipeline()): the model knows neither.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline.h"

#include <string.h>

#include "aq-error.h"
#include "aq-json-reader.h"
#include "aq-pipeline-private.h"

#define STANDARD_RESOURCE_DIR "/org/aqueduct/Aqueduct/pipelines/"

typedef struct
{
  char *from;
  char *to;
} Edge;

struct _AqPipeline
{
  GObject     parent_instance;
  char       *name;
  char       *description;
  char       *base_dir;
  char       *source;      /* the JSON text it was read from; NULL when built from a node */
  GPtrArray  *steps;       /* (element-type AqPipelineStep) in the order of “steps” */
  GArray     *edges;       /* (element-type Edge) in the order of “edges” */
  GPtrArray  *order;       /* (element-type AqPipelineStep) unowned; once the graph is valid */
  GPtrArray  *consumers;   /* (element-type GPtrArray) per step index: who reads its rows */
};

G_DEFINE_FINAL_TYPE (AqPipeline, aq_pipeline, G_TYPE_OBJECT)

/* ---- auxiliary methods ---- */

static void
edge_clear (gpointer data)
{
  Edge *edge = data;

  g_clear_pointer (&edge->from, g_free);
  g_clear_pointer (&edge->to, g_free);
}

static char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  return NULL;
}

static gboolean
parse_root (AqPipeline  *self,
            JsonNode    *root,
            GError     **error)
{
  JsonObject *object;
  JsonNode *steps;
  JsonNode *edges;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           "a pipeline is a JSON object with “name”, “steps” and “edges”");
      return FALSE;
    }
  object = json_node_get_object (root);
  self->name = string_member (object, "name");
  self->description = string_member (object, "description");

  steps = json_object_get_member (object, "steps");
  if (steps && !JSON_NODE_HOLDS_NULL (steps))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (steps))
        {
          g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                               "“steps” must be a list of step objects");
          return FALSE;
        }
      array = json_node_get_array (steps);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_OBJECT (item))
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           "step %u of “steps” is not an object", i + 1);
              return FALSE;
            }
          g_ptr_array_add (self->steps, aq_pipeline_step_new (json_node_get_object (item), i));
        }
    }

  edges = json_object_get_member (object, "edges");
  if (edges && !JSON_NODE_HOLDS_NULL (edges))
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (edges))
        {
          g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                               "“edges” must be a list of {\"from\": …, \"to\": …} objects");
          return FALSE;
        }
      array = json_node_get_array (edges);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          Edge edge = { NULL, NULL };

          if (JSON_NODE_HOLDS_OBJECT (item))
            {
              edge.from = string_member (json_node_get_object (item), "from");
              edge.to = string_member (json_node_get_object (item), "to");
            }
          g_array_append_val (self->edges, edge);
        }
    }
  return TRUE;
}

static gboolean
check_steps (AqPipeline  *self,
             GHashTable  *by_id,
             GError     **error)
{
  if (self->name == NULL || *self->name == '\0')
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, "the pipeline needs a “name”");
      return FALSE;
    }
  if (self->steps->len == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "pipeline “%s” has no steps", self->name);
      return FALSE;
    }
  for (guint i = 0; i < self->steps->len; i++)
    {
      AqPipelineStep *step = g_ptr_array_index (self->steps, i);
      const char *id = aq_pipeline_step_get_id (step);

      if (id == NULL || *id == '\0')
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "step %u has no “id”", i + 1);
          return FALSE;
        }
      if (g_hash_table_contains (by_id, id))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "two steps have the id “%s”", id);
          return FALSE;
        }
      g_hash_table_insert (by_id, (gpointer) id, step);
      if (!aq_pipeline_step_check_fields (step, error))
        return FALSE;
    }
  return TRUE;
}

/* Resolves the edges into each step's inputs and everyone's predecessors (@preds, per index). */
static gboolean
check_edges (AqPipeline  *self,
             GHashTable  *by_id,
             GPtrArray   *preds,
             GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->edges->len; i++)
    {
      Edge *edge = &g_array_index (self->edges, Edge, i);
      AqPipelineStep *from;
      AqPipelineStep *to;
      g_autofree char *key = NULL;

      if (edge->from == NULL || edge->to == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       "edge %u needs “from” and “to” (step ids)", i + 1);
          return FALSE;
        }
      from = g_hash_table_lookup (by_id, edge->from);
      to = g_hash_table_lookup (by_id, edge->to);
      if (from == NULL || to == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "edge %u (“%s” → “%s”): no step “%s”",
                       i + 1, edge->from, edge->to, from == NULL ? edge->from : edge->to);
          return FALSE;
        }
      key = g_strdup_printf ("%s\n%s", edge->from, edge->to);
      if (!g_hash_table_add (seen, g_steal_pointer (&key)))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "the edge “%s” → “%s” is given twice",
                       edge->from, edge->to);
          return FALSE;
        }
      g_ptr_array_add (g_ptr_array_index (preds, aq_pipeline_step_get_index (to)), from);

      /* an edge that touches a sql step only orders it */
      if (aq_pipeline_step_get_kind (from) == AQ_PIPELINE_STEP_SQL
          || aq_pipeline_step_get_kind (to) == AQ_PIPELINE_STEP_SQL
          || aq_pipeline_step_get_kind (from) == AQ_PIPELINE_STEP_QUALITY_GATE
          || aq_pipeline_step_get_kind (to) == AQ_PIPELINE_STEP_QUALITY_GATE)
        continue;
      if (!aq_pipeline_step_passes_rows (from))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       "step “%s”: a %s passes no rows on, so it cannot lead into “%s”",
                       edge->from, aq_pipeline_step_get_kind_name (from), edge->to);
          return FALSE;
        }
      _aq_pipeline_step_add_input (to, from);
      g_ptr_array_add (g_ptr_array_index (self->consumers, aq_pipeline_step_get_index (from)),
                       to);
    }
  return TRUE;
}

/* Names the steps of one cycle among @left (those Kahn's algorithm could not order): each of
 * them has a predecessor among them, so walking predecessors must come back to a step. */
static char *
describe_cycle (AqPipeline *self,
                GPtrArray  *preds,
                gboolean   *left)
{
  g_autofree int *visited_at = g_new (int, self->steps->len);
  g_autoptr(GPtrArray) walk = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  AqPipelineStep *step = NULL;
  guint start;

  for (guint i = 0; i < self->steps->len; i++)
    {
      visited_at[i] = -1;
      if (left[i] && step == NULL)
        step = g_ptr_array_index (self->steps, i);
    }
  while (visited_at[aq_pipeline_step_get_index (step)] < 0)
    {
      GPtrArray *p = g_ptr_array_index (preds, aq_pipeline_step_get_index (step));

      visited_at[aq_pipeline_step_get_index (step)] = walk->len;
      g_ptr_array_add (walk, step);
      for (guint j = 0; j < p->len; j++)
        if (left[aq_pipeline_step_get_index (g_ptr_array_index (p, j))])
          {
            step = g_ptr_array_index (p, j);
            break;
          }
    }
  /* the walk went against the edges: tell it forwards, from where it closed */
  start = visited_at[aq_pipeline_step_get_index (step)];
  g_string_append_printf (text, "“%s”", aq_pipeline_step_get_id (step));
  for (guint i = walk->len - 1; i > start; i--)
    g_string_append_printf (text, " → “%s”",
                            aq_pipeline_step_get_id (g_ptr_array_index (walk, i)));
  g_string_append_printf (text, " → “%s”", aq_pipeline_step_get_id (step));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* Kahn's algorithm, taking the earliest declared ready step each time, so that steps nothing
 * orders run in the order they were written. */
static gboolean
sort_steps (AqPipeline  *self,
            GPtrArray   *preds,
            GError     **error)
{
  guint n = self->steps->len;
  g_autofree guint *waiting = g_new0 (guint, n);
  g_autofree gboolean *left = g_new (gboolean, n);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    {
      waiting[i] = ((GPtrArray *) g_ptr_array_index (preds, i))->len;
      left[i] = TRUE;
    }
  while (order->len < n)
    {
      guint next = n;

      for (guint i = 0; i < n && next == n; i++)
        if (left[i] && waiting[i] == 0)
          next = i;
      if (next == n)
        {
          g_autofree char *cycle = describe_cycle (self, preds, left);
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "the steps %s form a cycle", cycle);
          return FALSE;
        }
      left[next] = FALSE;
      g_ptr_array_add (order, g_ptr_array_index (self->steps, next));
      for (guint i = 0; i < n; i++)
        {
          GPtrArray *p = g_ptr_array_index (preds, i);

          for (guint j = 0; j < p->len; j++)
            if (aq_pipeline_step_get_index (g_ptr_array_index (p, j)) == next)
              waiting[i]--;
        }
    }
  self->order = g_steal_pointer (&order);
  return TRUE;
}

static char *
join_input_ids (GPtrArray *inputs)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < inputs->len; i++)
    {
      if (i > 0)
        g_string_append (text, i + 1 == inputs->len ? " and " : ", ");
      g_string_append_printf (text, "“%s”",
                              aq_pipeline_step_get_id (g_ptr_array_index (inputs, i)));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
check_input_counts (AqPipeline  *self,
                    GError     **error)
{
  for (guint i = 0; i < self->steps->len; i++)
    {
      AqPipelineStep *step = g_ptr_array_index (self->steps, i);
      GPtrArray *inputs = aq_pipeline_step_get_inputs (step);
      const char *id = aq_pipeline_step_get_id (step);
      const char *kind = aq_pipeline_step_get_kind_name (step);
      g_autofree char *ids = join_input_ids (inputs);

      if (aq_pipeline_step_is_input (step) && inputs->len > 0)
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     "step “%s”: a %s reads no other step, but %s %s into it",
                     id, kind, ids, inputs->len > 1 ? "lead" : "leads");
      else if (aq_pipeline_step_get_min_inputs (step) == 1 && inputs->len == 0)
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     "step “%s”: %s needs an input, but no edge leads into it", id, kind);
      else if (aq_pipeline_step_get_max_inputs (step) == 1 && inputs->len > 1)
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     "step “%s”: %s takes one input, but %s lead into it", id, kind, ids);
      else if (inputs->len < aq_pipeline_step_get_min_inputs (step))
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     "step “%s”: %s needs at least %u inputs, but %s", id, kind,
                     aq_pipeline_step_get_min_inputs (step),
                     inputs->len == 0 ? "no edge leads into it" : "only one leads into it");
      else
        continue;
      return FALSE;
    }
  return TRUE;
}

/* The checks that need neither data nor a warehouse: the steps, the edges, the order. */
static gboolean
check_graph (AqPipeline  *self,
             GError     **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) preds = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);

  if (self->order)
    return TRUE;

  g_ptr_array_set_size (self->consumers, 0);
  for (guint i = 0; i < self->steps->len; i++)
    {
      _aq_pipeline_step_clear_inputs (g_ptr_array_index (self->steps, i));
      g_ptr_array_add (preds, g_ptr_array_new ());
      g_ptr_array_add (self->consumers, g_ptr_array_new ());
    }
  return check_steps (self, by_id, error)
         && check_edges (self, by_id, preds, error)
         && sort_steps (self, preds, error)
         && check_input_counts (self, error);
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_finalize (GObject *object)
{
  AqPipeline *self = AQ_PIPELINE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_pointer (&self->base_dir, g_free);
  g_clear_pointer (&self->source, g_free);
  g_clear_pointer (&self->order, g_ptr_array_unref);
  g_clear_pointer (&self->consumers, g_ptr_array_unref);
  g_clear_pointer (&self->steps, g_ptr_array_unref);
  g_clear_pointer (&self->edges, g_array_unref);

  G_OBJECT_CLASS (aq_pipeline_parent_class)->finalize (object);
}

static void
aq_pipeline_class_init (AqPipelineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_pipeline_finalize;
}

static void
aq_pipeline_init (AqPipeline *self)
{
  self->steps = g_ptr_array_new_with_free_func (g_object_unref);
  self->edges = g_array_new (FALSE, TRUE, sizeof (Edge));
  g_array_set_clear_func (self->edges, edge_clear);
  self->consumers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
}

/* ---- public API ---- */

/**
 * aq_pipeline_new_from_data:
 * @json: the pipeline's JSON text
 * @len: its length, or -1 when it ends with a NUL
 * @base_dir: (nullable): where relative file paths of csv and json inputs start; the
 *   current directory when %NULL
 *
 * Fails only when @json is not JSON of a pipeline's shape; everything else is for
 * aq_pipeline_runner_validate() to say.
 */
AqPipeline *
aq_pipeline_new_from_data (const char  *json,
                           gssize       len,
                           const char  *base_dir,
                           GError     **error)
{
  g_autoptr(AqPipeline) self = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  root = aq_json_read (json, len, AQ_JSON_LIMIT_DEFINITION, error);
  if (root == NULL)
    return NULL;
  self = g_object_new (AQ_TYPE_PIPELINE, NULL);
  self->base_dir = g_strdup (base_dir);
  self->source = len < 0 ? g_strdup (json) : g_strndup (json, len);
  if (!parse_root (self, root, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* Reads a pipeline file; its csv and json inputs' relative paths start from its folder. */
/**
 * aq_pipeline_new_from_node:
 * @root: (transfer none): a parsed pipeline; the steps refer to its objects (and join their
 *   SQL lines in place), so pass a copy of what must not change
 *
 * As aq_pipeline_new_from_data(), for a definition already in memory (the editor validates
 * its graph on every edit without writing and parsing it again).
 */
AqPipeline *
aq_pipeline_new_from_node (JsonNode    *root,
                           const char  *base_dir,
                           GError     **error)
{
  g_autoptr(AqPipeline) self = NULL;

  g_return_val_if_fail (root != NULL, NULL);

  self = g_object_new (AQ_TYPE_PIPELINE, NULL);
  self->base_dir = g_strdup (base_dir);
  if (!parse_root (self, root, error))
    return NULL;
  return g_steal_pointer (&self);
}

AqPipeline *
aq_pipeline_new_from_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;
  AqPipeline *self;
  gsize len = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &len, &local_error))
    {
      g_set_error (error, AQ_ERROR,
                   g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT)
                   ? AQ_ERROR_NOT_FOUND : AQ_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }
  absolute = g_canonicalize_filename (path, NULL);
  dir = g_path_get_dirname (absolute);
  self = aq_pipeline_new_from_data (contents, len, dir, error);
  if (self == NULL)
    g_prefix_error (error, "%s: ", path);
  return self;
}

/**
 * aq_pipeline_new_standard:
 * @name: a name aq_pipeline_list_standard() returns
 *
 * One of the pipelines that come with Aqueduct (data/pipelines/NAME.json, a resource).
 */
AqPipeline *
aq_pipeline_new_standard (const char  *name,
                          GError     **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  AqPipeline *self;

  g_return_val_if_fail (name != NULL, NULL);

  if (*name == '\0' || strchr (name, '/'))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, "There is no standard pipeline “%s”",
                   name);
      return NULL;
    }
  path = g_strconcat (STANDARD_RESOURCE_DIR, name, ".json", NULL);
  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (bytes == NULL)
    {
      g_auto(GStrv) names = aq_pipeline_list_standard ();
      g_autofree char *known = g_strjoinv (", ", names);

      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   "There is no standard pipeline “%s” (there are: %s)", name,
                   *known ? known : "none");
      return NULL;
    }
  self = aq_pipeline_new_from_data (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    NULL, error);
  if (self == NULL)
    g_prefix_error (error, "standard pipeline %s: ", name);
  return self;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The names of the standard pipelines, sorted; empty when there are none. */
char **
aq_pipeline_list_standard (void)
{
  g_auto(GStrv) files = g_resources_enumerate_children (STANDARD_RESOURCE_DIR,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; files && files[i]; i++)
    if (g_str_has_suffix (files[i], ".json"))
      g_ptr_array_add (names, g_strndup (files[i], strlen (files[i]) - strlen (".json")));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* The “name”, or NULL when it has none (then it is not valid). */
const char *
aq_pipeline_get_name (AqPipeline *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  return self->name;
}

const char *
aq_pipeline_get_description (AqPipeline *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  return self->description;
}

/* Returns: (nullable): the JSON text the pipeline was read from, as it was (runs record it:
 * meta.pipeline_run.definition, migration 042); %NULL for aq_pipeline_new_from_node(). */
const char *
aq_pipeline_get_source (AqPipeline *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  return self->source;
}

const char *
aq_pipeline_get_base_dir (AqPipeline *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  return self->base_dir;
}

guint
aq_pipeline_get_n_steps (AqPipeline *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), 0);
  return self->steps->len;
}

/* Returns: (transfer none): the step at @index of “steps” */
AqPipelineStep *
aq_pipeline_get_step (AqPipeline *self,
                      guint       index)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (index < self->steps->len, NULL);
  return g_ptr_array_index (self->steps, index);
}

/* Returns: (transfer none) (nullable): the (first) step with that id */
AqPipelineStep *
aq_pipeline_find_step (AqPipeline *self,
                       const char *id)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);

  for (guint i = 0; i < self->steps->len; i++)
    if (g_strcmp0 (aq_pipeline_step_get_id (g_ptr_array_index (self->steps, i)), id) == 0)
      return g_ptr_array_index (self->steps, i);
  return NULL;
}

/**
 * aq_pipeline_get_order:
 *
 * Returns: (transfer none) (element-type AqPipelineStep): the steps in the order they run,
 * or %NULL with @error set when the graph is not valid
 */
GPtrArray *
aq_pipeline_get_order (AqPipeline  *self,
                       GError     **error)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);

  if (!check_graph (self, error))
    {
      g_clear_pointer (&self->order, g_ptr_array_unref);
      return NULL;
    }
  return self->order;
}

/**
 * aq_pipeline_get_consumers:
 *
 * Returns: (transfer none) (element-type AqPipelineStep): the steps that read @step's rows;
 * empty until the graph has been checked
 */
GPtrArray *
aq_pipeline_get_consumers (AqPipeline     *self,
                           AqPipelineStep *step)
{
  static GPtrArray *none;

  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (step), NULL);

  if (aq_pipeline_step_get_index (step) < self->consumers->len)
    return g_ptr_array_index (self->consumers, aq_pipeline_step_get_index (step));
  if (g_once_init_enter (&none))
    g_once_init_leave (&none, g_ptr_array_new ());
  return none;
}

/* An input file's path as the pipeline means it: relative ones start at its folder. */
char *
aq_pipeline_resolve_path (AqPipeline *self,
                          const char *path)
{
  g_return_val_if_fail (AQ_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_canonicalize_filename (path, self->base_dir);
}

/* aq-pipeline-deps.c — all pipelines as one dependency graph, with last and next runs
 *
 * A pipeline depends on another when it reads a table the other writes. What a pipeline writes
 * is exact (its table outputs' “table”); what it reads is found in the text of its table inputs'
 * and sql steps' SQL, its lookups' “table” and its lineage's “from”, as a whole qualified name
 * (`dw.fact_bill`, not `dw.fact_bill_x`). That is what the standard pipelines need (ods → dw →
 * dm, and dw_payment after dw_billing, whose dw.fact_bill it joins) without a second, hand-kept
 * list of dependencies that would drift from the SQL. A pipeline that reads what it writes does
 * not depend on itself.
 *
 * The nodes are in one order that runs upstream first (Kahn's algorithm; among the ready ones
 * ods before dw before dm, then by name), the order a cascading backfill follows. Should the
 * SQL make a circle, the pipelines in it follow in that same layer-and-name order.
 *
 * The pipelines are the store's (latest versions) and the standard files the store does not
 * hold; the last run comes from meta.pipeline_run, the next from the scheduler's "pipeline"
 * jobs.
 */
#define G_LOG_DOMAIN "aq-pipeline-deps"

#include "config.h"

#include "aq-pipeline-deps.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-error.h"
#include "aq-job.h"
#include "aq-json-reader.h"
#include "aq-pipeline-history.h"
#include "aq-pipeline-store.h"
#include "aq-pipeline.h"

/* ---- auxiliary methods ---- */

static void
node_free (AqPipelineDep *node)
{
  g_free (node->name);
  g_free (node->description);
  g_free (node->layer);
  g_clear_pointer (&node->writes, g_ptr_array_unref);
  g_clear_pointer (&node->upstream, g_ptr_array_unref);
  g_clear_pointer (&node->downstream, g_ptr_array_unref);
  g_free (node->last_status);
  g_free (node->last_started_at);
  g_free (node->next_job);
  g_clear_pointer (&node->next_run_at, g_date_time_unref);
  g_free (node->next_after);
  g_free (node);
}

void
aq_pipeline_deps_free (AqPipelineDeps *graph)
{
  if (graph == NULL)
    return;
  g_clear_pointer (&graph->by_name, g_hash_table_unref);
  g_clear_pointer (&graph->nodes, g_ptr_array_unref);
  g_free (graph);
}

static int
layer_rank (const char *layer)
{
  if (g_str_equal (layer, "ods"))
    return 0;
  if (g_str_equal (layer, "dw"))
    return 1;
  if (g_str_equal (layer, "dm"))
    return 2;
  return 3;
}

static int
compare_nodes (gconstpointer a,
               gconstpointer b)
{
  const AqPipelineDep *x = *(AqPipelineDep * const *) a;
  const AqPipelineDep *y = *(AqPipelineDep * const *) b;
  int rank = layer_rank (x->layer) - layer_rank (y->layer);

  return rank != 0 ? rank : strcmp (x->name, y->name);
}

/* A string member, or an array of lines joined, as aq-pipeline.c reads “sql”. */
static void
append_text (GString    *out,
             JsonObject *object,
             const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    g_string_append_printf (out, "\n%s", json_node_get_string (node));
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *lines = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (lines); i++)
        {
          JsonNode *line = json_array_get_element (lines, i);

          if (JSON_NODE_HOLDS_VALUE (line) && json_node_get_value_type (line) == G_TYPE_STRING)
            g_string_append_printf (out, "\n%s", json_node_get_string (line));
        }
    }
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '"' || c == '$';
}

/* Whether @text (lower case) names @table as a whole word. */
static gboolean
mentions (const char *text,
          const char *table)
{
  gsize len = strlen (table);

  for (const char *p = strstr (text, table); p; p = strstr (p + 1, table))
    if ((p == text || !is_name_char (p[-1])) && !is_name_char (p[len]))
      return TRUE;
  return FALSE;
}

static AqPipelineDep *
node_new (const char  *name,
          const char  *text,
          char       **out_reads,
          GError     **error)
{
  g_autoptr(JsonNode) root = aq_json_read (text, -1, AQ_JSON_LIMIT_DEFINITION, error);
  g_autoptr(GString) reads = g_string_new (NULL);
  AqPipelineDep *node;
  JsonObject *pipeline;
  JsonNode *steps;
  const char *underscore = strchr (name, '_');

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_clear_error (error);
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Pipeline %s is not a JSON object: it cannot be placed in the graph"), name);
      return NULL;
    }
  pipeline = json_node_get_object (root);

  node = g_new0 (AqPipelineDep, 1);
  node->name = g_strdup (name);
  if (json_object_has_member (pipeline, "description")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (pipeline, "description")))
    node->description = g_strdup (json_object_get_string_member (pipeline, "description"));
  node->layer = underscore ? g_strndup (name, underscore - name) : g_strdup ("");
  if (layer_rank (node->layer) == 3)
    {
      g_free (node->layer);
      node->layer = g_strdup ("");
    }
  node->writes = g_ptr_array_new_with_free_func (g_free);
  node->upstream = g_ptr_array_new_with_free_func (g_free);
  node->downstream = g_ptr_array_new_with_free_func (g_free);

  steps = json_object_get_member (pipeline, "steps");
  for (guint i = 0; steps && JSON_NODE_HOLDS_ARRAY (steps)
                    && i < json_array_get_length (json_node_get_array (steps)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (steps), i);
      JsonObject *step = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *lineage = step ? json_object_get_member (step, "lineage") : NULL;
      const char *type = step && json_object_has_member (step, "type")
                         && JSON_NODE_HOLDS_VALUE (json_object_get_member (step, "type"))
                         ? json_object_get_string_member (step, "type") : NULL;

      if (type == NULL)
        continue;
      if (g_str_equal (type, "table_output"))
        {
          g_autoptr(GString) table = g_string_new (NULL);

          append_text (table, step, "table");
          if (table->len > 1)
            g_ptr_array_add (node->writes, g_ascii_strdown (table->str + 1, -1));
        }
      else
        {
          append_text (reads, step, "sql");
          append_text (reads, step, "table");
        }
      if (lineage && JSON_NODE_HOLDS_OBJECT (lineage))
        append_text (reads, json_node_get_object (lineage), "from");
    }
  *out_reads = g_ascii_strdown (reads->str, -1);
  return node;
}

/* Kahn's algorithm; the ready ones in layer-and-name order. */
static GPtrArray *
sorted_nodes (GPtrArray *nodes)
{
  g_autoptr(GHashTable) pending = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *order = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  g_autoptr(GPtrArray) left = g_ptr_array_copy (nodes, NULL, NULL);

  g_ptr_array_sort (left, compare_nodes);
  for (guint i = 0; i < left->len; i++)
    {
      AqPipelineDep *node = g_ptr_array_index (left, i);

      g_hash_table_insert (pending, node->name, GUINT_TO_POINTER (node->upstream->len));
    }
  while (left->len > 0)
    {
      AqPipelineDep *next = NULL;

      for (guint i = 0; i < left->len && next == NULL; i++)
        {
          AqPipelineDep *node = g_ptr_array_index (left, i);

          if (GPOINTER_TO_UINT (g_hash_table_lookup (pending, node->name)) == 0)
            next = node;
        }
      if (next == NULL)
        next = g_ptr_array_index (left, 0);   /* a circle: layer and name decide */
      g_ptr_array_remove (left, next);
      g_ptr_array_add (order, next);
      for (guint d = 0; d < next->downstream->len; d++)
        {
          const char *name = g_ptr_array_index (next->downstream, d);
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (pending, name));

          if (n > 0)
            g_hash_table_insert (pending, (gpointer) name, GUINT_TO_POINTER (n - 1));
        }
    }
  return order;
}

/* ---- public API ---- */

/**
 * aq_pipeline_deps_new_from_definitions:
 * @definitions: (element-type utf8 utf8): pipeline name → its JSON text
 *
 * The graph of those pipelines, without run states.
 */
AqPipelineDeps *
aq_pipeline_deps_new_from_definitions (GHashTable  *definitions,
                                        GError     **error)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GPtrArray) reads = g_ptr_array_new_with_free_func (g_free);
  AqPipelineDeps *graph;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, definitions);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      char *text = NULL;
      AqPipelineDep *node = node_new (key, value, &text, error);

      if (node == NULL)
        {
          for (guint i = 0; i < nodes->len; i++)
            node_free (g_ptr_array_index (nodes, i));
          return NULL;
        }
      g_ptr_array_add (nodes, node);
      g_ptr_array_add (reads, text);
    }

  for (guint a = 0; a < nodes->len; a++)
    for (guint b = 0; b < nodes->len; b++)
      {
        AqPipelineDep *writer = g_ptr_array_index (nodes, a);
        AqPipelineDep *reader = g_ptr_array_index (nodes, b);

        if (a == b)
          continue;
        for (guint w = 0; w < writer->writes->len; w++)
          if (mentions (g_ptr_array_index (reads, b), g_ptr_array_index (writer->writes, w)))
            {
              g_ptr_array_add (writer->downstream, g_strdup (reader->name));
              g_ptr_array_add (reader->upstream, g_strdup (writer->name));
              break;
            }
      }

  graph = g_new0 (AqPipelineDeps, 1);
  graph->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  graph->nodes = sorted_nodes (nodes);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      AqPipelineDep *node = g_ptr_array_index (graph->nodes, i);

      g_ptr_array_sort (node->upstream, (GCompareFunc) g_ascii_strcasecmp);
      g_ptr_array_sort (node->downstream, (GCompareFunc) g_ascii_strcasecmp);
      g_hash_table_insert (graph->by_name, node->name, node);
    }
  return graph;
}

AqPipelineDep *
aq_pipeline_deps_find (AqPipelineDeps *graph,
                        const char      *name)
{
  g_return_val_if_fail (graph != NULL, NULL);
  return g_hash_table_lookup (graph->by_name, name);
}

/**
 * aq_pipeline_deps_downstream:
 *
 * Returns: (transfer container) (element-type AqPipelineDep): every pipeline that depends on
 * @name directly or through others, in the graph's order (each after all it depends on);
 * empty when none; NULL when @name is not in the graph
 */
GPtrArray *
aq_pipeline_deps_downstream (AqPipelineDeps *graph,
                              const char      *name)
{
  g_autoptr(GHashTable) reached = g_hash_table_new (g_str_hash, g_str_equal);
  AqPipelineDep *start;
  GPtrArray *result;

  g_return_val_if_fail (graph != NULL, NULL);

  start = aq_pipeline_deps_find (graph, name);
  if (start == NULL)
    return NULL;
  g_hash_table_add (reached, start->name);
  result = g_ptr_array_new ();
  /* in graph order, a node's upstream nodes are all before it: one pass finds them all */
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      AqPipelineDep *node = g_ptr_array_index (graph->nodes, i);

      if (node == start)
        continue;
      for (guint u = 0; u < node->upstream->len; u++)
        if (g_hash_table_contains (reached, g_ptr_array_index (node->upstream, u)))
          {
            g_hash_table_add (reached, node->name);
            g_ptr_array_add (result, node);
            break;
          }
    }
  return result;
}

/**
 * aq_pipeline_deps_load:
 *
 * Returns: (transfer full): the graph of the store's pipelines and the standard ones, each with
 * its last run and its next scheduled run
 */
AqPipelineDeps *
aq_pipeline_deps_load (AqDb    *db,
                        GError **error)
{
  g_autoptr(GHashTable) definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             g_free);
  g_auto(GStrv) standard = aq_pipeline_list_standard ();
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  AqPipelineDeps *graph;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  for (guint i = 0; standard[i]; i++)
    g_hash_table_insert (definitions, g_strdup (standard[i]),
                         aq_pipeline_store_dup_standard (standard[i], NULL));
  stored = aq_pipeline_store_list (db, error);
  if (stored == NULL)
    return NULL;
  for (guint i = 0; i < stored->len; i++)
    {
      AqPipelineVersion *v = g_ptr_array_index (stored, i);
      char *text = aq_pipeline_store_load (db, v->name, v->version, error);

      if (text == NULL)
        return NULL;
      g_hash_table_replace (definitions, g_strdup (v->name), text);
    }
  last = aq_pipeline_history_last_runs (db, error);
  if (last == NULL)
    return NULL;
  jobs = aq_job_list (db, error);
  if (jobs == NULL)
    return NULL;

  graph = aq_pipeline_deps_new_from_definitions (definitions, error);
  if (graph == NULL)
    return NULL;
  for (guint i = 0; i < stored->len; i++)
    {
      AqPipelineVersion *v = g_ptr_array_index (stored, i);
      AqPipelineDep *node = aq_pipeline_deps_find (graph, v->name);

      node->version = v->version;
    }
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      AqPipelineDep *node = g_ptr_array_index (graph->nodes, i);
      JsonObject *run = json_object_has_member (last, node->name)
                        ? json_object_get_object_member (last, node->name) : NULL;

      if (run)
        {
          node->last_run_id = json_object_get_int_member (run, "run_id");
          node->last_status = g_strdup (json_object_get_string_member (run, "status"));
          node->last_started_at = g_strdup (json_object_get_string_member (run, "started_at"));
        }
    }
  /* the soonest enabled "pipeline" job of each; a chain only when there is no schedule */
  for (guint j = 0; j < jobs->len; j++)
    {
      AqJob *job = g_ptr_array_index (jobs, j);
      /* “NAME@N” pins a stored version of NAME */
      g_autofree char *name = job->target ? g_strndup (job->target,
                                                       strcspn (job->target, "@")) : NULL;
      AqPipelineDep *node = name ? aq_pipeline_deps_find (graph, name) : NULL;

      if (node == NULL || !job->enabled || g_strcmp0 (job->kind, "pipeline") != 0)
        continue;
      if (job->next_due_at
          && (node->next_run_at == NULL
              || g_date_time_compare (job->next_due_at, node->next_run_at) < 0))
        {
          g_clear_pointer (&node->next_run_at, g_date_time_unref);
          g_clear_pointer (&node->next_after, g_free);
          g_free (node->next_job);
          node->next_job = g_strdup (job->name);
          node->next_run_at = g_date_time_ref (job->next_due_at);
        }
      else if (job->next_due_at == NULL && job->after_job && node->next_job == NULL)
        {
          node->next_job = g_strdup (job->name);
          node->next_after = g_strdup (job->after_job);
        }
    }
  return graph;
}

static void
add_strings (JsonBuilder *b,
             const char  *member,
             GPtrArray   *strings)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

/* `aqueductctl pipeline graph --json`: the nodes in run order, each with its edges, last run
 * and next run ("next_run_at" ISO 8601 in the utility's zone). */
JsonNode *
aq_pipeline_deps_to_json (AqPipelineDeps *graph)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GTimeZone) zone = aq_clock_zone ();

  json_builder_begin_array (b);
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      AqPipelineDep *node = g_ptr_array_index (graph->nodes, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, node->name);
      json_builder_set_member_name (b, "layer");
      json_builder_add_string_value (b, node->layer);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, node->description);
      json_builder_set_member_name (b, "version");
      if (node->version > 0)
        json_builder_add_int_value (b, node->version);
      else
        json_builder_add_null_value (b);
      add_strings (b, "writes", node->writes);
      add_strings (b, "upstream", node->upstream);
      add_strings (b, "downstream", node->downstream);
      json_builder_set_member_name (b, "last_run");
      if (node->last_run_id > 0)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "run_id");
          json_builder_add_int_value (b, node->last_run_id);
          json_builder_set_member_name (b, "status");
          json_builder_add_string_value (b, node->last_status);
          json_builder_set_member_name (b, "started_at");
          json_builder_add_string_value (b, node->last_started_at);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "next_run");
      if (node->next_job)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "job");
          json_builder_add_string_value (b, node->next_job);
          json_builder_set_member_name (b, "at");
          if (node->next_run_at)
            {
              g_autoptr(GDateTime) local = g_date_time_to_timezone (node->next_run_at, zone);
              g_autofree char *at = g_date_time_format_iso8601 (local);

              json_builder_add_string_value (b, at);
            }
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "after");
          json_builder_add_string_value (b, node->next_after);
          json_builder_end_object (b);
        }
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}

/* aq-lineage.c — column-level lineage as a graph, built from definitions, never from guesses
 *
 * Aqueduct owns the definitions of everything that moves data: the pipelines (every step's
 * columns in and out follow from its members, and a table input states in its "lineage" member
 * which source columns each output column comes from, since its SQL is the data engineer's),
 * the indicator catalog (every formula names its columns as alias.column over the source's
 * FROM) and the reports (which indicators they show). So the lineage is exact: what a
 * definition does not say is reported as a problem, not filled in by parsing SQL.
 *
 * The graph is plain data (nodes by id, edges both ways) so tests build and walk it without a
 * warehouse; aq-datasets.c stores it in meta.dataset_lineage and loads it back.
 */
#define G_LOG_DOMAIN "aq-lineage"

#include "config.h"

#include <string.h>

#include "aq-lineage.h"

struct _AqLineage
{
  GObject     parent_instance;

  GHashTable *nodes;      /* id → AqLineageNode */
  GPtrArray  *edges;      /* AqLineageEdge */
  GHashTable *edge_keys;  /* "from\nto\nkind\nname\nstep" */
  GHashTable *out;        /* AqLineageNode* → GPtrArray of AqLineageEdge* */
  GHashTable *in;
};

G_DEFINE_FINAL_TYPE (AqLineage, aq_lineage, G_TYPE_OBJECT)

static GPtrArray *providers;
G_LOCK_DEFINE_STATIC (providers);

/* ---- auxiliary methods ---- */

static void
node_free (AqLineageNode *node)
{
  g_free (node->id);
  g_free (node->layer);
  g_free (node->table);
  g_free (node->column);
  g_free (node);
}

static void
edge_free (AqLineageEdge *edge)
{
  g_free (edge->via_kind);
  g_free (edge->via_name);
  g_free (edge->via_step);
  g_free (edge);
}

void
aq_layer_violation_free (AqLayerViolation *violation)
{
  if (violation == NULL)
    return;
  g_free (violation->rule);
  g_free (violation->from);
  g_free (violation->to);
  g_free (violation->via);
  g_free (violation->message);
  g_free (violation);
}

char *
aq_lineage_layer_of (const char *id)
{
  g_autofree char *schema = NULL;
  const char *dot;

  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_has_prefix (id, "indicator:"))
    return g_strdup ("indicator");
  if (g_str_has_prefix (id, "report:"))
    return g_strdup ("report");
  if (g_str_has_prefix (id, "api:"))
    return g_strdup ("api");
  if (g_str_has_prefix (id, "file:"))
    return g_strdup ("file");
  dot = strchr (id, '.');
  schema = dot ? g_strndup (id, dot - id) : g_strdup (id);
  if (g_str_has_prefix (schema, "src_") || g_str_equal (schema, "src"))
    return g_strdup ("src");
  return g_steal_pointer (&schema);
}

static gboolean
is_consumer_layer (const char *layer)
{
  return g_str_equal (layer, "indicator") || g_str_equal (layer, "report")
         || g_str_equal (layer, "api");
}

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GPtrArray  *problems,
             const char *format,
             ...)
{
  va_list args;

  if (problems == NULL)
    return;
  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

/* ---- public: nodes and edges ---- */

AqLineage *
aq_lineage_new (void)
{
  return g_object_new (AQ_TYPE_LINEAGE, NULL);
}

AqLineageNode *
aq_lineage_lookup (AqLineage  *self,
                   const char *id)
{
  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->nodes, id);
}

AqLineageNode *
aq_lineage_ensure_node (AqLineage  *self,
                        const char *id)
{
  AqLineageNode *node;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);
  g_return_val_if_fail (id != NULL && *id != '\0', NULL);

  node = g_hash_table_lookup (self->nodes, id);
  if (node != NULL)
    return node;

  node = g_new0 (AqLineageNode, 1);
  node->id = g_strdup (id);
  node->layer = aq_lineage_layer_of (id);
  if (g_str_has_prefix (id, "indicator:"))
    node->kind = AQ_LINEAGE_NODE_INDICATOR;
  else if (g_str_has_prefix (id, "report:"))
    node->kind = AQ_LINEAGE_NODE_REPORT;
  else if (g_str_has_prefix (id, "api:"))
    node->kind = AQ_LINEAGE_NODE_API;
  else if (g_str_has_prefix (id, "file:"))
    node->kind = AQ_LINEAGE_NODE_FILE;
  else
    {
      const char *first = strchr (id, '.');
      const char *second = first ? strchr (first + 1, '.') : NULL;

      if (second != NULL)
        {
          node->kind = AQ_LINEAGE_NODE_COLUMN;
          node->table = g_strndup (id, second - id);
          node->column = g_strdup (second + 1);
        }
      else
        {
          node->kind = AQ_LINEAGE_NODE_TABLE;
          node->table = g_strdup (id);
        }
    }
  g_hash_table_insert (self->nodes, node->id, node);
  return node;
}

static void
index_edge (GHashTable    *index,
            AqLineageNode *node,
            AqLineageEdge *edge)
{
  GPtrArray *list = g_hash_table_lookup (index, node);

  if (list == NULL)
    {
      list = g_ptr_array_new ();
      g_hash_table_insert (index, node, list);
    }
  g_ptr_array_add (list, edge);
}

gboolean
aq_lineage_add_edge (AqLineage  *self,
                     const char *from,
                     const char *to,
                     const char *via_kind,
                     const char *via_name,
                     const char *via_step)
{
  AqLineageEdge *edge;
  char *key;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), FALSE);
  g_return_val_if_fail (from != NULL && to != NULL && via_kind != NULL, FALSE);

  if (g_str_equal (from, to))
    return FALSE;
  key = g_strjoin ("\n", from, to, via_kind, via_name ? via_name : "",
                   via_step ? via_step : "", NULL);
  if (!g_hash_table_add (self->edge_keys, key))
    return FALSE;

  edge = g_new0 (AqLineageEdge, 1);
  edge->from = aq_lineage_ensure_node (self, from);
  edge->to = aq_lineage_ensure_node (self, to);
  edge->via_kind = g_strdup (via_kind);
  edge->via_name = g_strdup (via_name ? via_name : "");
  edge->via_step = g_strdup (via_step ? via_step : "");
  g_ptr_array_add (self->edges, edge);
  index_edge (self->out, edge->from, edge);
  index_edge (self->in, edge->to, edge);
  return TRUE;
}

GPtrArray *
aq_lineage_get_edges (AqLineage *self)
{
  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);

  return self->edges;
}

guint
aq_lineage_get_n_nodes (AqLineage *self)
{
  g_return_val_if_fail (AQ_IS_LINEAGE (self), 0);

  return g_hash_table_size (self->nodes);
}

/* ---- pipelines ---- */

/* The columns flowing out of one step: names in order, each with the node ids it comes from,
 * and the tables its rows come from (what a count(*) depends on). */
typedef struct
{
  GPtrArray  *names;    /* char* */
  GHashTable *sources;  /* name → GPtrArray of char* (node ids) */
  GPtrArray  *rows;     /* char* table or file ids */
  gboolean    known;    /* FALSE when the step's columns cannot be known */
} Flow;

static Flow *
flow_new (void)
{
  Flow *flow = g_new0 (Flow, 1);

  flow->names = g_ptr_array_new_with_free_func (g_free);
  flow->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  flow->rows = g_ptr_array_new_with_free_func (g_free);
  flow->known = TRUE;
  return flow;
}

static void
flow_free (Flow *flow)
{
  g_ptr_array_unref (flow->names);
  g_hash_table_unref (flow->sources);
  g_ptr_array_unref (flow->rows);
  g_free (flow);
}

static gboolean
strv_ptr_contains (GPtrArray  *array,
                   const char *text)
{
  for (guint i = 0; i < array->len; i++)
    if (g_str_equal (g_ptr_array_index (array, i), text))
      return TRUE;
  return FALSE;
}

static void
add_unique (GPtrArray  *array,
            const char *text)
{
  if (!strv_ptr_contains (array, text))
    g_ptr_array_add (array, g_strdup (text));
}

/* The sources of @name, created empty when new (a column with no upstream still exists). */
static GPtrArray *
flow_column (Flow       *flow,
             const char *name)
{
  GPtrArray *sources = g_hash_table_lookup (flow->sources, name);

  if (sources == NULL)
    {
      sources = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (flow->sources, g_strdup (name), sources);
      g_ptr_array_add (flow->names, g_strdup (name));
    }
  return sources;
}

static void
flow_copy_column (Flow       *to,
                  const char *to_name,
                  Flow       *from,
                  const char *from_name)
{
  GPtrArray *target = flow_column (to, to_name);
  GPtrArray *sources = g_hash_table_lookup (from->sources, from_name);

  for (guint i = 0; sources && i < sources->len; i++)
    add_unique (target, g_ptr_array_index (sources, i));
}

static Flow *
flow_pass (Flow *input)
{
  Flow *flow = flow_new ();

  flow->known = input->known;
  for (guint i = 0; i < input->names->len; i++)
    {
      const char *name = g_ptr_array_index (input->names, i);

      flow_copy_column (flow, name, input, name);
    }
  for (guint i = 0; i < input->rows->len; i++)
    add_unique (flow->rows, g_ptr_array_index (input->rows, i));
  return flow;
}

/* "col" (of @from), "schema.table" (its rows) or "schema.table.col". */
static char *
resolve_reference (const char *reference,
                   const char *from)
{
  const char *dot = strchr (reference, '.');

  if (dot == NULL)
    return from ? g_strconcat (from, ".", reference, NULL) : NULL;
  return g_strdup (reference);
}

static char *
table_of_reference (const char *id)
{
  const char *first = strchr (id, '.');
  const char *second = first ? strchr (first + 1, '.') : NULL;

  return second ? g_strndup (id, second - id) : g_strdup (id);
}

typedef struct
{
  AqLineage            *self;
  const char           *pipeline;
  AqLineageColumnsFunc  columns;
  gpointer              user_data;
  GPtrArray            *problems;
} PipelineWalk;

/* A table input's or sql step's "lineage" member. */
static Flow *
flow_from_declaration (PipelineWalk   *walk,
                       AqPipelineStep *step,
                       JsonObject     *lineage)
{
  Flow *flow = flow_new ();
  const char *id = aq_pipeline_step_get_id (step);

  if (json_object_has_member (lineage, "copy"))
    {
      const char *copy = json_object_get_string_member_with_default (lineage, "copy", "");
      JsonObject *tables = aq_pipeline_step_get_object (step, "tables");
      const char *dot = strchr (copy, '.');
      g_autofree char *schema = dot ? g_strndup (copy, dot - copy) : NULL;
      g_auto(GStrv) names = NULL;

      if (schema == NULL || strchr (dot + 1, '.'))
        add_problem (walk->problems, "pipeline %s, step “%s”: lineage “copy” must name a table "
                     "as schema.table", walk->pipeline, id);
      else if (walk->columns == NULL)
        add_problem (walk->problems, "pipeline %s, step “%s”: the columns of %s cannot be "
                     "known without the warehouse", walk->pipeline, id, copy);
      else
        {
          const char *pattern = tables ? json_object_get_string_member_with_default (tables,
                                                                                     "pattern",
                                                                                     NULL)
                                       : NULL;

          names = walk->columns (schema, dot + 1, pattern, walk->user_data);
          if (names == NULL)
            add_problem (walk->problems, "pipeline %s, step “%s”: lineage copies %s, which "
                         "does not exist", walk->pipeline, id, copy);
        }
      for (guint i = 0; names && names[i]; i++)
        {
          g_autofree char *source = g_strconcat (copy, ".", names[i], NULL);

          add_unique (flow_column (flow, names[i]), source);
        }
      add_unique (flow->rows, copy);
      if (names == NULL)
        flow->known = FALSE;
    }
  else if (json_object_has_member (lineage, "columns")
           && JSON_NODE_HOLDS_OBJECT (json_object_get_member (lineage, "columns")))
    {
      const char *from = json_object_get_string_member_with_default (lineage, "from", NULL);
      JsonObject *columns = json_object_get_object_member (lineage, "columns");
      g_autoptr(GList) members = json_object_get_members (columns);

      if (from != NULL)
        add_unique (flow->rows, from);
      for (GList *l = members; l; l = l->next)
        {
          JsonNode *value = json_object_get_member (columns, l->data);
          GPtrArray *target = flow_column (flow, l->data);
          g_autoptr(GPtrArray) refs = g_ptr_array_new ();

          if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
            g_ptr_array_add (refs, (gpointer) json_node_get_string (value));
          else if (JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *array = json_node_get_array (value);

              for (guint i = 0; i < json_array_get_length (array); i++)
                {
                  JsonNode *element = json_array_get_element (array, i);

                  if (JSON_NODE_HOLDS_VALUE (element)
                      && json_node_get_value_type (element) == G_TYPE_STRING)
                    g_ptr_array_add (refs, (gpointer) json_node_get_string (element));
                }
            }
          for (guint i = 0; i < refs->len; i++)
            {
              g_autofree char *source = resolve_reference (g_ptr_array_index (refs, i), from);

              if (source == NULL)
                {
                  add_problem (walk->problems, "pipeline %s, step “%s”: lineage of “%s” names "
                               "“%s” but the declaration has no “from” table", walk->pipeline,
                               id, (char *) l->data, (char *) g_ptr_array_index (refs, i));
                  continue;
                }
              add_unique (target, source);
              {
                g_autofree char *table = table_of_reference (source);
                add_unique (flow->rows, table);
              }
            }
        }
    }
  else
    {
      add_problem (walk->problems, "pipeline %s, step “%s”: its “lineage” needs “copy” or "
                   "“columns”", walk->pipeline, id);
      flow->known = FALSE;
    }

  if (json_object_has_member (lineage, "computed")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (lineage, "computed")))
    {
      JsonArray *computed = json_object_get_array_member (lineage, "computed");

      for (guint i = 0; i < json_array_get_length (computed); i++)
        {
          const char *name = json_array_get_string_element (computed, i);

          if (name != NULL)
            flow_column (flow, name);
        }
    }
  return flow;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* The input columns a calculator expression names: identifiers outside string literals and
 * quoted names that are columns of its input (the expression sees exactly those by name). */
static void
expression_columns (const char *expression,
                    Flow       *input,
                    GPtrArray  *out)
{
  const char *p = expression;

  while (p && *p)
    {
      if (*p == '\'')
        {
          for (p++; *p && !(*p == '\'' && p[1] != '\''); p += (*p == '\'' ? 2 : 1))
            ;
          if (*p)
            p++;
        }
      else if (*p == '"')
        {
          const char *end = strchr (p + 1, '"');
          g_autofree char *name = end ? g_strndup (p + 1, end - p - 1) : NULL;

          if (name && g_hash_table_contains (input->sources, name))
            add_unique (out, name);
          p = end ? end + 1 : p + strlen (p);
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *start = p;
          g_autofree char *word = NULL;
          g_autofree char *lower = NULL;

          while (is_ident_char (*p))
            p++;
          if (start > expression && start[-1] == '.')
            continue;
          word = g_strndup (start, p - start);
          lower = g_ascii_strdown (word, -1);
          if (*p != '(' && g_hash_table_contains (input->sources, lower))
            add_unique (out, lower);
        }
      else
        p++;
    }
}

static Flow *
flow_of_step (PipelineWalk   *walk,
              AqPipelineStep *step,
              GHashTable     *flows)
{
  GPtrArray *inputs = aq_pipeline_step_get_inputs (step);
  Flow *input = inputs && inputs->len ? g_hash_table_lookup (flows, g_ptr_array_index (inputs, 0))
                                      : NULL;
  JsonObject *lineage = aq_pipeline_step_get_object (step, "lineage");
  const char *id = aq_pipeline_step_get_id (step);
  Flow *flow;

  switch (aq_pipeline_step_get_kind (step))
    {
    case AQ_PIPELINE_STEP_TABLE_INPUT:
      if (lineage != NULL)
        return flow_from_declaration (walk, step, lineage);
      add_problem (walk->problems, "pipeline %s, step “%s”: a table input without a “lineage” "
                   "member: its columns cannot be known without running its SQL",
                   walk->pipeline, id);
      flow = flow_new ();
      flow->known = FALSE;
      return flow;

    case AQ_PIPELINE_STEP_CSV_INPUT:
    case AQ_PIPELINE_STEP_JSON_INPUT:
      {
        JsonArray *columns = aq_pipeline_step_get_array (step, "columns");
        g_autofree char *file = g_strconcat ("file:", aq_pipeline_step_get_string (step, "path")
                                             ? aq_pipeline_step_get_string (step, "path") : id,
                                             NULL);

        flow = flow_new ();
        add_unique (flow->rows, file);
        for (guint i = 0; columns && i < json_array_get_length (columns); i++)
          {
            JsonObject *c = json_array_get_object_element (columns, i);
            const char *name = c ? json_object_get_string_member_with_default (c, "name", NULL)
                                 : NULL;

            if (name)
              add_unique (flow_column (flow, name), file);
          }
        return flow;
      }

    case AQ_PIPELINE_STEP_FILTER:
    case AQ_PIPELINE_STEP_DEDUPLICATE:
      return input ? flow_pass (input) : flow_new ();

    case AQ_PIPELINE_STEP_SELECT:
      {
        JsonArray *columns = aq_pipeline_step_get_array (step, "columns");

        flow = flow_new ();
        if (input == NULL)
          return flow;
        flow->known = input->known;
        for (guint i = 0; i < input->rows->len; i++)
          add_unique (flow->rows, g_ptr_array_index (input->rows, i));
        for (guint i = 0; columns && i < json_array_get_length (columns); i++)
          {
            JsonObject *c = json_array_get_object_element (columns, i);
            const char *name = json_object_get_string_member_with_default (c, "name", NULL);
            const char *from = json_object_get_string_member_with_default (c, "from", name);

            if (name)
              flow_copy_column (flow, name, input, from);
          }
        return flow;
      }

    case AQ_PIPELINE_STEP_CALCULATOR:
      {
        JsonArray *columns = aq_pipeline_step_get_array (step, "columns");

        flow = input ? flow_pass (input) : flow_new ();
        for (guint i = 0; columns && i < json_array_get_length (columns); i++)
          {
            JsonObject *c = json_array_get_object_element (columns, i);
            const char *name = json_object_get_string_member_with_default (c, "name", NULL);
            const char *expression = json_object_get_string_member_with_default (c, "expression",
                                                                                 "");
            g_autoptr(GPtrArray) used = g_ptr_array_new_with_free_func (g_free);
            g_autoptr(GPtrArray) sources = g_ptr_array_new_with_free_func (g_free);
            GPtrArray *target;

            if (name == NULL)
              continue;
            /* earlier columns of the same step are visible too: read them from @flow */
            expression_columns (expression, flow, used);
            for (guint j = 0; j < used->len; j++)
              {
                GPtrArray *s = g_hash_table_lookup (flow->sources, g_ptr_array_index (used, j));

                for (guint k = 0; s && k < s->len; k++)
                  add_unique (sources, g_ptr_array_index (s, k));
              }
            target = flow_column (flow, name);
            g_ptr_array_set_size (target, 0);
            for (guint j = 0; j < sources->len; j++)
              add_unique (target, g_ptr_array_index (sources, j));
          }
        return flow;
      }

    case AQ_PIPELINE_STEP_VALUE_MAPPING:
      {
        const char *column = aq_pipeline_step_get_string (step, "column");
        const char *target = aq_pipeline_step_get_string (step, "target");

        flow = input ? flow_pass (input) : flow_new ();
        if (input && column && target && !g_str_equal (column, target))
          {
            g_ptr_array_set_size (flow_column (flow, target), 0);
            flow_copy_column (flow, target, input, column);
          }
        return flow;
      }

    case AQ_PIPELINE_STEP_LOOKUP:
      {
        const char *table = aq_pipeline_step_get_string (step, "table");
        JsonArray *columns = aq_pipeline_step_get_array (step, "columns");

        flow = input ? flow_pass (input) : flow_new ();
        for (guint i = 0; table && columns && i < json_array_get_length (columns); i++)
          {
            JsonObject *c = json_array_get_object_element (columns, i);
            const char *name = json_object_get_string_member_with_default (c, "name", NULL);
            const char *from = json_object_get_string_member_with_default (c, "from", name);
            g_autofree char *source = from ? g_strconcat (table, ".", from, NULL) : NULL;

            if (name && source)
              add_unique (flow_column (flow, name), source);
          }
        return flow;
      }

    case AQ_PIPELINE_STEP_AGGREGATE:
      {
        g_auto(GStrv) group_by = aq_pipeline_step_dup_strv (step, "group_by");
        JsonArray *aggregates = aq_pipeline_step_get_array (step, "aggregates");

        flow = flow_new ();
        if (input == NULL)
          return flow;
        flow->known = input->known;
        for (guint i = 0; i < input->rows->len; i++)
          add_unique (flow->rows, g_ptr_array_index (input->rows, i));
        for (guint i = 0; group_by && group_by[i]; i++)
          flow_copy_column (flow, group_by[i], input, group_by[i]);
        for (guint i = 0; aggregates && i < json_array_get_length (aggregates); i++)
          {
            JsonObject *a = json_array_get_object_element (aggregates, i);
            const char *name = json_object_get_string_member_with_default (a, "name", NULL);
            const char *column = json_object_get_string_member_with_default (a, "column", NULL);

            if (name == NULL)
              continue;
            if (column)
              flow_copy_column (flow, name, input, column);
            else
              for (guint j = 0; j < input->rows->len; j++)
                add_unique (flow_column (flow, name), g_ptr_array_index (input->rows, j));
          }
        return flow;
      }

    case AQ_PIPELINE_STEP_UNION:
      flow = input ? flow_pass (input) : flow_new ();
      for (guint i = 1; inputs && i < inputs->len; i++)
        {
          Flow *other = g_hash_table_lookup (flows, g_ptr_array_index (inputs, i));

          if (other == NULL)
            continue;
          flow->known = flow->known && other->known;
          for (guint j = 0; j < flow->names->len; j++)
            {
              const char *name = g_ptr_array_index (flow->names, j);

              flow_copy_column (flow, name, other, name);
            }
          for (guint j = 0; j < other->rows->len; j++)
            add_unique (flow->rows, g_ptr_array_index (other->rows, j));
        }
      return flow;

    case AQ_PIPELINE_STEP_SQL:
    case AQ_PIPELINE_STEP_TABLE_OUTPUT:
    case AQ_PIPELINE_STEP_UNKNOWN:
    default:
      return input ? flow_pass (input) : flow_new ();
    }
}

static void
write_flow (PipelineWalk *walk,
            Flow         *flow,
            const char   *table,
            const char   *step_id)
{
  for (guint i = 0; i < flow->names->len; i++)
    {
      const char *name = g_ptr_array_index (flow->names, i);
      GPtrArray *sources = g_hash_table_lookup (flow->sources, name);
      g_autofree char *target = g_strconcat (table, ".", name, NULL);

      aq_lineage_ensure_node (walk->self, target);
      for (guint j = 0; sources && j < sources->len; j++)
        aq_lineage_add_edge (walk->self, g_ptr_array_index (sources, j), target, "pipeline",
                             walk->pipeline, step_id);
    }
}

void
aq_lineage_add_pipeline (AqLineage            *self,
                         AqPipeline           *pipeline,
                         AqLineageColumnsFunc  columns,
                         gpointer              user_data,
                         GPtrArray            *problems)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *order;   /* (transfer none) */
  g_autoptr(GHashTable) flows = NULL;
  PipelineWalk walk = { self, NULL, columns, user_data, problems };

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (AQ_IS_PIPELINE (pipeline));

  walk.pipeline = aq_pipeline_get_name (pipeline);
  order = aq_pipeline_get_order (pipeline, &error);
  if (order == NULL)
    {
      add_problem (problems, "pipeline %s: %s", walk.pipeline, error->message);
      return;
    }
  flows = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) flow_free);
  for (guint i = 0; i < order->len; i++)
    {
      AqPipelineStep *step = g_ptr_array_index (order, i);
      AqPipelineStepKind kind = aq_pipeline_step_get_kind (step);
      Flow *flow;

      if (kind == AQ_PIPELINE_STEP_SQL)
        {
          JsonObject *lineage = aq_pipeline_step_get_object (step, "lineage");
          const char *writes = lineage ? json_object_get_string_member_with_default (lineage,
                                                                                     "writes",
                                                                                     NULL)
                                       : NULL;

          if (writes == NULL)
            {
              if (lineage == NULL
                  || !json_object_get_boolean_member_with_default (lineage, "none", FALSE))
                add_problem (problems, "pipeline %s, step “%s”: a sql step without a “lineage” "
                             "member stating what it writes (or \"none\": true)", walk.pipeline,
                             aq_pipeline_step_get_id (step));
              g_hash_table_insert (flows, step, flow_new ());
              continue;
            }
          flow = flow_from_declaration (&walk, step, lineage);
          write_flow (&walk, flow, writes, aq_pipeline_step_get_id (step));
          g_hash_table_insert (flows, step, flow);
          continue;
        }

      flow = flow_of_step (&walk, step, flows);
      if (kind == AQ_PIPELINE_STEP_TABLE_OUTPUT)
        {
          const char *table = aq_pipeline_step_get_string (step, "table");

          if (table != NULL && flow->known)
            write_flow (&walk, flow, table, aq_pipeline_step_get_id (step));
          else if (table != NULL)
            add_problem (problems, "pipeline %s, step “%s”: the lineage of %s is unknown",
                         walk.pipeline, aq_pipeline_step_get_id (step), table);
        }
      g_hash_table_insert (flows, step, flow);
    }
}

/* ---- the indicator catalog and reports ---- */

static GHashTable *
aliases_of_from (const char *from_sql)
{
  static GRegex *regex;
  static const char * const keywords[] = { "join", "on", "left", "right", "inner", "full",
                                           "outer", "cross", "where", "and", "using", NULL };
  GHashTable *aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GMatchInfo) match = NULL;

  static gsize regex_once;

  if (g_once_init_enter (&regex_once))
    {
      regex = g_regex_new ("\\b([a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*)"
                           "\\s+(?:as\\s+)?([a-z_][a-z0-9_]*)\\b",
                           G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&regex_once, 1);
    }
  g_regex_match (regex, from_sql, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *table = g_match_info_fetch (match, 1);
      g_autofree char *alias = g_match_info_fetch (match, 2);
      g_autofree char *lower = g_ascii_strdown (alias, -1);

      if (!g_strv_contains (keywords, lower))
        g_hash_table_insert (aliases, g_steal_pointer (&lower), g_steal_pointer (&table));
      g_match_info_next (match, NULL);
    }
  return aliases;
}

void
aq_lineage_add_catalog (AqLineage *self,
                        AqCatalog *catalog,
                        GPtrArray *problems)
{
  static GRegex *ref_regex;
  GListModel *indicators;

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (AQ_IS_CATALOG (catalog));

  static gsize ref_once;

  if (g_once_init_enter (&ref_once))
    {
      ref_regex = g_regex_new ("\\b([a-z_][a-z0-9_]*)\\.([a-z_][a-z0-9_]*)\\b",
                               G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&ref_once, 1);
    }
  indicators = aq_catalog_get_indicators (catalog);
  for (guint i = 0; i < g_list_model_get_n_items (indicators); i++)
    {
      g_autoptr(AqIndicator) indicator = g_list_model_get_item (indicators, i);
      const char *formula = aq_indicator_get_formula (indicator);
      const char *from = formula ? g_strrstr (formula, " FROM ") : NULL;
      g_autofree char *node = g_strconcat ("indicator:", aq_indicator_get_id (indicator), NULL);
      g_autofree char *expression = NULL;
      g_autoptr(GHashTable) aliases = NULL;
      g_autoptr(GMatchInfo) match = NULL;
      GHashTableIter iter;
      gpointer table;
      gboolean any = FALSE;

      aq_lineage_ensure_node (self, node);
      if (from == NULL)
        {
          add_problem (problems, "indicator %s: its formula names no source",
                       aq_indicator_get_id (indicator));
          continue;
        }
      aliases = aliases_of_from (from + strlen (" FROM "));
      expression = g_strndup (formula, from - formula);
      /* string literals name no columns */
      for (char *p = expression; *p; p++)
        if (*p == '\'')
          for (p++; *p && *p != '\''; p++)
            *p = ' ';
      g_regex_match (ref_regex, expression, 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *alias = g_match_info_fetch (match, 1);
          g_autofree char *column = g_match_info_fetch (match, 2);
          const char *aliased = g_hash_table_lookup (aliases, alias);

          if (aliased != NULL)
            {
              g_autofree char *source = g_strconcat (aliased, ".", column, NULL);

              aq_lineage_add_edge (self, source, node, "indicator",
                                   aq_indicator_get_id (indicator), "");
              any = TRUE;
            }
          g_match_info_next (match, NULL);
        }
      if (!any)
        {
          /* a count of rows: it reads the source's tables as a whole */
          g_hash_table_iter_init (&iter, aliases);
          while (g_hash_table_iter_next (&iter, NULL, &table))
            aq_lineage_add_edge (self, table, node, "indicator", aq_indicator_get_id (indicator),
                                 "");
        }
    }
}

void
aq_lineage_add_report (AqLineage  *self,
                       const char *name,
                       JsonObject *definition)
{
  g_autofree char *report = NULL;
  JsonArray *values;

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (definition != NULL);

  report = g_strconcat ("report:", name, NULL);
  aq_lineage_ensure_node (self, report);
  if (!json_object_has_member (definition, "values")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (definition, "values")))
    return;
  values = json_object_get_array_member (definition, "values");
  for (guint i = 0; i < json_array_get_length (values); i++)
    {
      JsonNode *element = json_array_get_element (values, i);
      const char *id = NULL;
      g_autofree char *node = NULL;

      if (JSON_NODE_HOLDS_VALUE (element))
        id = json_node_get_string (element);
      else if (JSON_NODE_HOLDS_OBJECT (element))
        id = json_object_get_string_member_with_default (json_node_get_object (element), "id",
                                                         NULL);
      if (id == NULL)
        continue;
      node = g_strconcat ("indicator:", id, NULL);
      aq_lineage_add_edge (self, node, report, "report", name, "");
    }
}

void
aq_lineage_add_consumer (AqLineage          *self,
                         const char         *kind,
                         const char         *name,
                         const char * const *reads)
{
  g_autofree char *node = NULL;

  g_return_if_fail (AQ_IS_LINEAGE (self));
  g_return_if_fail (kind != NULL && name != NULL);

  node = g_strconcat (kind, ":", name, NULL);
  aq_lineage_ensure_node (self, node);
  for (guint i = 0; reads && reads[i]; i++)
    aq_lineage_add_edge (self, reads[i], node, kind, name, "");
}

void
aq_lineage_register_provider (AqLineageProvider provider)
{
  g_return_if_fail (provider != NULL);

  G_LOCK (providers);
  if (providers == NULL)
    providers = g_ptr_array_new ();
  if (!g_ptr_array_find (providers, provider, NULL))
    g_ptr_array_add (providers, provider);
  G_UNLOCK (providers);
}

void
aq_lineage_run_providers (AqLineage *self,
                          gpointer   db,
                          GPtrArray *problems)
{
  g_autoptr(GPtrArray) copy = g_ptr_array_new ();

  g_return_if_fail (AQ_IS_LINEAGE (self));

  G_LOCK (providers);
  for (guint i = 0; providers && i < providers->len; i++)
    g_ptr_array_add (copy, g_ptr_array_index (providers, i));
  G_UNLOCK (providers);
  for (guint i = 0; i < copy->len; i++)
    ((AqLineageProvider) g_ptr_array_index (copy, i)) (self, db, problems);
}

/* ---- walks and rules ---- */

GPtrArray *
aq_lineage_walk (AqLineage          *self,
                 const char         *id,
                 AqLineageDirection  direction,
                 guint               depth)
{
  GHashTable *index;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GQueue) queue = NULL;
  GPtrArray *hits;
  AqLineageNode *start;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  hits = g_ptr_array_new_with_free_func (g_free);
  index = direction == AQ_LINEAGE_UPSTREAM ? self->in : self->out;
  seen = g_hash_table_new (NULL, NULL);
  queue = g_queue_new ();
  start = g_hash_table_lookup (self->nodes, id);
  if (start == NULL)
    return hits;

  g_hash_table_add (seen, start);
  g_queue_push_tail (queue, start);
  if (start->kind == AQ_LINEAGE_NODE_TABLE)
    {
      /* a table: its rows and every column of it */
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, self->nodes);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        {
          AqLineageNode *node = value;

          if (node->kind == AQ_LINEAGE_NODE_COLUMN && g_str_equal (node->table, start->table))
            {
              g_hash_table_add (seen, node);
              g_queue_push_tail (queue, node);
            }
        }
    }

  {
    g_autoptr(GHashTable) depths = g_hash_table_new (NULL, NULL);

    while (!g_queue_is_empty (queue))
      {
        AqLineageNode *node = g_queue_pop_head (queue);
        guint d = GPOINTER_TO_UINT (g_hash_table_lookup (depths, node));
        GPtrArray *edges = g_hash_table_lookup (index, node);

        if (depth > 0 && d >= depth)
          continue;
        for (guint i = 0; edges && i < edges->len; i++)
          {
            AqLineageEdge *edge = g_ptr_array_index (edges, i);
            AqLineageNode *next = direction == AQ_LINEAGE_UPSTREAM ? edge->from : edge->to;
            AqLineageHit *hit;

            if (!g_hash_table_add (seen, next))
              continue;
            hit = g_new0 (AqLineageHit, 1);
            hit->node = next;
            hit->depth = d + 1;
            hit->edge = edge;
            g_ptr_array_add (hits, hit);
            g_hash_table_insert (depths, next, GUINT_TO_POINTER (d + 1));
            g_queue_push_tail (queue, next);
          }
      }
  }
  return hits;
}

static void
add_violation (GPtrArray  *out,
               const char *rule,
               const char *from,
               const char *to,
               const char *via,
               char       *message)
{
  AqLayerViolation *v = g_new0 (AqLayerViolation, 1);

  v->rule = g_strdup (rule);
  v->from = g_strdup (from);
  v->to = g_strdup (to);
  v->via = g_strdup (via);
  v->message = message;
  g_ptr_array_add (out, v);
}

GPtrArray *
aq_lineage_check_layers (AqLineage *self)
{
  GPtrArray *out;
  g_autoptr(GHashTable) reported = NULL;

  g_return_val_if_fail (AQ_IS_LINEAGE (self), NULL);

  out = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_layer_violation_free);
  reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < self->edges->len; i++)
    {
      AqLineageEdge *edge = g_ptr_array_index (self->edges, i);
      const char *from = edge->from->layer;
      const char *to = edge->to->layer;
      const char *from_table = edge->from->table ? edge->from->table : edge->from->id;
      const char *to_table = edge->to->table ? edge->to->table : edge->to->id;
      const char *rule = NULL;
      g_autofree char *key = NULL;
      g_autofree char *via = NULL;

      if (is_consumer_layer (to) && (g_str_equal (from, "src") || g_str_equal (from, "ods")))
        rule = "consumer-reads-raw";
      else if (g_str_equal (to, "dm") && !g_str_equal (from, "dw") && !g_str_equal (from, "dm"))
        rule = "dm-reads-dw-only";
      else if (g_str_equal (to, "dw") && (g_str_equal (from, "src") || g_str_equal (from, "file")))
        rule = "dw-reads-ods";
      else if (g_str_equal (to, "ods") && !g_str_equal (from, "src")
               && !g_str_equal (from, "file") && !g_str_equal (from, "ods"))
        rule = "ods-reads-src";
      if (rule == NULL)
        continue;

      key = g_strjoin ("\n", rule, from_table, to_table, edge->via_name, NULL);
      if (!g_hash_table_add (reported, g_strdup (key)))
        continue;
      via = g_strdup_printf ("%s %s", edge->via_kind, edge->via_name);
      add_violation (out, rule, from_table, to_table, via,
                     g_strdup_printf ("%s (%s) reads %s (%s) through %s: %s", to_table, to,
                                      from_table, from, via,
                                      g_str_equal (rule, "consumer-reads-raw")
                                      ? "indicators, reports and APIs read only dw and dm"
                                      : g_str_equal (rule, "dm-reads-dw-only")
                                      ? "dm reads only dw (and dm)"
                                      : g_str_equal (rule, "dw-reads-ods")
                                      ? "dw reads ods, never the sources directly"
                                      : "ods reads only the sources"));

      /* a report showing an indicator that reads raw layers reads them too */
      if (g_str_equal (rule, "consumer-reads-raw") && edge->to->kind == AQ_LINEAGE_NODE_INDICATOR)
        {
          GPtrArray *reports = g_hash_table_lookup (self->out, edge->to);

          for (guint j = 0; reports && j < reports->len; j++)
            {
              AqLineageEdge *r = g_ptr_array_index (reports, j);
              g_autofree char *rkey = NULL;
              g_autofree char *rvia = NULL;

              if (r->to->kind != AQ_LINEAGE_NODE_REPORT)
                continue;
              rkey = g_strjoin ("\n", rule, from_table, r->to->id, NULL);
              if (!g_hash_table_add (reported, g_strdup (rkey)))
                continue;
              rvia = g_strdup_printf ("report %s → %s", r->via_name, edge->to->id);
              add_violation (out, rule, from_table, r->to->id, rvia,
                             g_strdup_printf ("%s reads %s (%s) through %s: reports read only "
                                              "dw and dm", r->to->id, from_table, from,
                                              edge->to->id));
            }
        }
    }
  return out;
}

/* ---- GObject overrides ---- */

static void
aq_lineage_finalize (GObject *object)
{
  AqLineage *self = AQ_LINEAGE (object);

  g_clear_pointer (&self->out, g_hash_table_unref);
  g_clear_pointer (&self->in, g_hash_table_unref);
  g_clear_pointer (&self->edges, g_ptr_array_unref);
  g_clear_pointer (&self->edge_keys, g_hash_table_unref);
  g_clear_pointer (&self->nodes, g_hash_table_unref);

  G_OBJECT_CLASS (aq_lineage_parent_class)->finalize (object);
}

static void
aq_lineage_class_init (AqLineageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_lineage_finalize;
}

static void
aq_lineage_init (AqLineage *self)
{
  self->nodes = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) node_free);
  self->edges = g_ptr_array_new_with_free_func ((GDestroyNotify) edge_free);
  self->edge_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->out = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->in = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
}

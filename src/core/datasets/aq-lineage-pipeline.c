/* aq-lineage-pipeline.c — a pipeline's column-level lineage, from its step definitions
 *
 * Each step's columns out follow from its members (select renames, calculator expressions name
 * their input columns, lookup adds the looked-up table's columns, aggregate keeps its group and
 * its aggregated columns…). A table input's SQL is the data engineer's, so it states its lineage
 * in a "lineage" member; a sql step states what it writes. What a definition leaves unknown is
 * a problem for the caller to show, never a guess. The graph itself is aq-lineage.c.
 */
#define G_LOG_DOMAIN "aq-lineage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-lineage.h"

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
        add_problem (walk->problems, _("pipeline %s, step “%s”: lineage “copy” must name a table "
                     "as schema.table"), walk->pipeline, id);
      else if (walk->columns == NULL)
        add_problem (walk->problems, _("pipeline %s, step “%s”: the columns of %s cannot be "
                     "known without the warehouse"), walk->pipeline, id, copy);
      else
        {
          const char *pattern = tables ? json_object_get_string_member_with_default (tables,
                                                                                     "pattern",
                                                                                     NULL)
                                       : NULL;

          names = walk->columns (schema, dot + 1, pattern, walk->user_data);
          if (names == NULL)
            add_problem (walk->problems, _("pipeline %s, step “%s”: lineage copies %s, which "
                         "does not exist"), walk->pipeline, id, copy);
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
                  add_problem (walk->problems, _("pipeline %s, step “%s”: lineage of “%s” names "
                               "“%s” but the declaration has no “from” table"), walk->pipeline,
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
      add_problem (walk->problems, _("pipeline %s, step “%s”: its “lineage” needs “copy” or "
                   "“columns”"), walk->pipeline, id);
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
      add_problem (walk->problems, _("pipeline %s, step “%s”: a table input without a “lineage” "
                   "member: its columns cannot be known without running its SQL"),
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
      add_problem (problems, _("pipeline %s: %s"), walk.pipeline, error->message);
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
          JsonNode *declared = json_object_get_member (aq_pipeline_step_get_definition (step),
                                                       "lineage");
          JsonObject *lineage = aq_pipeline_step_get_object (step, "lineage");

          /* a step that writes several tables (a function building them) states each */
          if (declared != NULL && JSON_NODE_HOLDS_ARRAY (declared))
            {
              JsonArray *list = json_node_get_array (declared);

              for (guint j = 0; j < json_array_get_length (list); j++)
                {
                  JsonNode *element = json_array_get_element (list, j);
                  JsonObject *one = JSON_NODE_HOLDS_OBJECT (element)
                                    ? json_node_get_object (element) : NULL;
                  const char *table = one ? json_object_get_string_member_with_default (one,
                                                                                        "writes",
                                                                                        NULL)
                                          : NULL;

                  if (table == NULL)
                    {
                      add_problem (problems, _("pipeline %s, step “%s”: each of its “lineage” "
                                   "declarations must say what it “writes”"), walk.pipeline,
                                   aq_pipeline_step_get_id (step));
                      continue;
                    }
                  flow = flow_from_declaration (&walk, step, one);
                  write_flow (&walk, flow, table, aq_pipeline_step_get_id (step));
                  flow_free (flow);
                }
              g_hash_table_insert (flows, step, flow_new ());
              continue;
            }
          const char *writes = lineage ? json_object_get_string_member_with_default (lineage,
                                                                                     "writes",
                                                                                     NULL)
                                       : NULL;

          if (writes == NULL)
            {
              if (lineage == NULL
                  || !json_object_get_boolean_member_with_default (lineage, "none", FALSE))
                add_problem (problems, _("pipeline %s, step “%s”: a sql step without a “lineage” "
                             "member stating what it writes (or \"none\": true)"), walk.pipeline,
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
            add_problem (problems, _("pipeline %s, step “%s”: the lineage of %s is unknown"),
                         walk.pipeline, aq_pipeline_step_get_id (step), table);
        }
      g_hash_table_insert (flows, step, flow);
    }
}

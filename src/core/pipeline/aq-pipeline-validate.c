/* aq-pipeline-validate.c — every problem of a pipeline at once, each pinned to step and member
 *
 * The engine's checks stop at the first problem, which is right for a run and wrong for an
 * editor: the canvas must mark every card that is wrong, and the form every member. This file
 * walks everything and collects: each step's members against the step schema
 * (aq-pipeline-schema.c), the edges, the cycles and the number of inputs of each step. A step
 * the schema finds nothing wrong with also goes through the engine's own member checks, and
 * when the graph as a whole is sound the compiler follows the columns along the edges, step by
 * step, reporting a step whose inputs were sound — so what validation passes, a run's static
 * checks pass too. Nothing here needs the warehouse: it runs on every edit (≈ 1 ms for 200
 * steps, tests/bench/bench-pipeline-editor.c).
 */
#define G_LOG_DOMAIN "aq-pipeline-validate"

#include "config.h"

#include "aq-pipeline-validate.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-pipeline-compiler.h"
#include "aq-pipeline-schema.h"
#include "aq-pipeline-step.h"

typedef struct
{
  GPtrArray  *problems;
  const char *step_id;
  const char *member;    /* the top-level member being checked */
} Context;

/* ---- auxiliary methods ---- */

void
aq_pipeline_problem_free (AqPipelineProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->step_id);
  g_free (problem->member);
  g_free (problem->message);
  g_free (problem);
}

static void add_problem (GPtrArray  *problems,
                         const char *step_id,
                         const char *member,
                         const char *format,
                         ...) G_GNUC_PRINTF (4, 5);

static void
add_problem (GPtrArray  *problems,
             const char *step_id,
             const char *member,
             const char *format,
             ...)
{
  AqPipelineProblem *problem = g_new0 (AqPipelineProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->step_id = g_strdup (step_id);
  problem->member = g_strdup (member);
  g_ptr_array_add (problems, problem);
}

static gboolean
holds (JsonNode *node,
       GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
is_blank (const char *s)
{
  for (; s && *s; s++)
    if (!g_ascii_isspace (*s))
      return FALSE;
  return TRUE;
}

static gboolean
is_scalar (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node) || holds (node, G_TYPE_STRING) || holds (node, G_TYPE_INT64)
         || holds (node, G_TYPE_DOUBLE) || holds (node, G_TYPE_BOOLEAN);
}

static gboolean
is_table_name (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, ".", -1);
  guint n = g_strv_length (parts);

  if (n < 1 || n > 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (is_blank (parts[i]))
      return FALSE;
  return TRUE;
}

/* A SQL member may be written as a list of lines. */
static gboolean
is_sql_lines (JsonNode *node)
{
  JsonArray *lines;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  lines = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    if (!holds (json_array_get_element (lines, i), G_TYPE_STRING))
      return FALSE;
  return json_array_get_length (lines) > 0;
}

static void check_members (Context                *ctx,
                           JsonObject             *object,
                           const AqPipelineMember *members,
                           const char             *owner);

static void
check_names (Context    *ctx,
             JsonNode   *node,
             const char *where,
             gboolean    allow_empty)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be a list of names"),
                   where);
      return;
    }
  array = json_node_get_array (node);
  if (!allow_empty && json_array_get_length (array) == 0)
    add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s is empty"), where);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!holds (item, G_TYPE_STRING) || is_blank (json_node_get_string (item)))
        {
          add_problem (ctx->problems, ctx->step_id, ctx->member,
                       _("item %u of %s must be a name"), i + 1, where);
        }
    }
}

/* One member's value against its schema; @where names it in messages. */
static void
check_value (Context                *ctx,
             const AqPipelineMember *m,
             JsonNode               *node,
             const char             *where)
{
  const char *text = holds (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;

  switch (m->kind)
    {
    case AQ_PIPELINE_MEMBER_SQL:
      if (m->kind == AQ_PIPELINE_MEMBER_SQL && is_sql_lines (node))
        break;
      G_GNUC_FALLTHROUGH;
    case AQ_PIPELINE_MEMBER_TEXT:
    case AQ_PIPELINE_MEMBER_TABLE:
    case AQ_PIPELINE_MEMBER_CHOICE:
    case AQ_PIPELINE_MEMBER_COLUMN:
    case AQ_PIPELINE_MEMBER_TYPE:
      if (text == NULL)
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be text"), where);
      else if (is_blank (text))
        {
          if (m->required)
            add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s is empty"), where);
        }
      else if (m->kind == AQ_PIPELINE_MEMBER_TABLE && !is_table_name (text))
        add_problem (ctx->problems, ctx->step_id, ctx->member,
                     _("%s: “%s” is not a table name (write schema.table)"), where, text);
      else if (m->kind == AQ_PIPELINE_MEMBER_TYPE && !aq_pipeline_schema_is_type_name (text))
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s: “%s” is not a type name"),
                     where, text);
      else if (m->kind == AQ_PIPELINE_MEMBER_CHOICE && !g_strv_contains (m->choices, text))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) m->choices);

          add_problem (ctx->problems, ctx->step_id, ctx->member,
                       _("%s: “%s” is not one of %s"), where, text, choices);
        }
      break;
    case AQ_PIPELINE_MEMBER_BOOLEAN:
      if (!holds (node, G_TYPE_BOOLEAN))
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be true or false"),
                     where);
      break;
    case AQ_PIPELINE_MEMBER_COLUMNS:
    case AQ_PIPELINE_MEMBER_STRINGS:
      check_names (ctx, node, where, m->allow_empty);
      break;
    case AQ_PIPELINE_MEMBER_LIST:
      if (!JSON_NODE_HOLDS_ARRAY (node))
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be a list"), where);
      else if (!m->allow_empty && json_array_get_length (json_node_get_array (node)) == 0)
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s is empty"), where);
      else
        {
          JsonArray *array = json_node_get_array (node);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *item = json_array_get_element (array, i);
              /* TRANSLATORS: “item 2 of “columns”” */
              g_autofree char *owner = g_strdup_printf (_("item %u of %s"), i + 1, where);

              if (!JSON_NODE_HOLDS_OBJECT (item))
                add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be an object"),
                             owner);
              else
                check_members (ctx, json_node_get_object (item), m->items, owner);
            }
        }
      break;
    case AQ_PIPELINE_MEMBER_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be an object"), where);
      else
        check_members (ctx, json_node_get_object (node), m->items, where);
      break;
    case AQ_PIPELINE_MEMBER_MAPPING:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        add_problem (ctx->problems, ctx->step_id, ctx->member,
                     _("%s must be an object of value: replacement"), where);
      else
        {
          JsonObject *mapping = json_node_get_object (node);
          g_autoptr(GList) names = json_object_get_members (mapping);

          for (GList *l = names; l; l = l->next)
            if (!is_scalar (json_object_get_member (mapping, l->data)))
              add_problem (ctx->problems, ctx->step_id, ctx->member,
                           _("%s: the replacement of “%s” must be a value"), where,
                           (const char *) l->data);
        }
      break;
    case AQ_PIPELINE_MEMBER_SCALAR:
      if (!is_scalar (node))
        add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s must be a value"), where);
      break;
    case AQ_PIPELINE_MEMBER_JSON:
    default:
      break;
    }
}

/* @owner: NULL for the step's own members, else what holds them (“item 2 of “columns””). */
static void
check_members (Context                *ctx,
               JsonObject             *object,
               const AqPipelineMember *members,
               const char             *owner)
{
  for (const AqPipelineMember *m = members; m && m->name; m++)
    {
      JsonNode *node = json_object_get_member (object, m->name);
      g_autofree char *where = owner ? g_strdup_printf (_("“%s” of %s"), m->name, owner)
                                     : g_strdup_printf ("“%s”", m->name);

      if (owner == NULL)
        ctx->member = m->name;
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (m->required)
            add_problem (ctx->problems, ctx->step_id, ctx->member, _("%s is required"), where);
          continue;
        }
      check_value (ctx, m, node, where);
    }
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  return holds (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
}

/* What one member's schema cannot say: members that depend on each other. */
static void
check_rules (Context    *ctx,
             const char *type,
             JsonObject *step)
{
  if (strcmp (type, "table_output") == 0)
    {
      if (g_strcmp0 (string_member (step, "mode"), "upsert") == 0
          && !json_object_has_member (step, "keys"))
        add_problem (ctx->problems, ctx->step_id, "keys",
                     _("“keys” is required when the mode is upsert"));
    }
  else if (strcmp (type, "aggregate") == 0)
    {
      JsonNode *node = json_object_get_member (step, "aggregates");
      JsonArray *items = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

      for (guint i = 0; items && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          const char *function = string_member (object, "function");

          if (function && strcmp (function, "count") != 0
              && !json_object_has_member (object, "column"))
            add_problem (ctx->problems, ctx->step_id, "aggregates",
                         _("item %u of “aggregates”: %s needs “column”"), i + 1, function);
        }
    }
  else if (strcmp (type, "table_input") == 0)
    {
      const char *connection = string_member (step, "connection");
      JsonNode *tables = json_object_get_member (step, "tables");
      const char *sql = string_member (step, "sql");

      if (tables && JSON_NODE_HOLDS_OBJECT (tables))
        {
          if (sql && strstr (sql, "{table}") == NULL)
            add_problem (ctx->problems, ctx->step_id, "sql",
                         _("with a table family, the query must name {table}"));
          if (connection && strcmp (connection, "warehouse") != 0)
            add_problem (ctx->problems, ctx->step_id, "connection",
                         _("a table family is read only from the warehouse connection"));
        }
    }
  else if (strcmp (type, "csv_input") == 0)
    {
      const char *delimiter = string_member (step, "delimiter");

      if (delimiter && (strlen (delimiter) != 1 || strchr ("\"\r\n\\", *delimiter)))
        add_problem (ctx->problems, ctx->step_id, "delimiter",
                     _("the delimiter must be one character other than a quote, a backslash "
                       "or a line break"));
    }
}

/* Whether @node holds the string @word anywhere (a column name in a list, an object…). */
static gboolean
holds_string (JsonNode   *node,
              const char *word)
{
  if (holds (node, G_TYPE_STRING))
    return strcmp (json_node_get_string (node), word) == 0;
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (holds_string (json_array_get_element (array, i), word))
          return TRUE;
    }
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l; l = l->next)
        if (holds_string (json_object_get_member (object, l->data), word))
          return TRUE;
    }
  return FALSE;
}

/* The engine's messages quote what they are about: a member (“sql”), or a value such as a
 * column name, which one of the step's members holds. Pin the problem to that member. */
static const char *
member_in_message (JsonObject *step,
                   const char *message)
{
  g_autoptr(GList) names = json_object_get_members (step);

  for (guint pass = 0; pass < 2; pass++)
    {
      const char *p = message;

      while ((p = strstr (p, "“")) != NULL)
        {
          const char *start = p + strlen ("“");
          const char *end = strstr (start, "”");
          g_autofree char *word = NULL;

          if (end == NULL)
            break;
          word = g_strndup (start, end - start);
          for (GList *l = names; l; l = l->next)
            {
              const char *name = l->data;   /* owned by @step */

              if (strcmp (name, "id") == 0 || strcmp (name, "type") == 0)
                continue;
              if (pass == 0 ? strcmp (name, word) == 0
                            : holds_string (json_object_get_member (step, name), word))
                return name;
            }
          p = end;
        }
    }
  return NULL;
}

/* The engine's own member checks, for a step the schema found sound. */
static void
check_with_engine (Context    *ctx,
                   JsonObject *step)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), step);
  g_autoptr(JsonNode) copy = json_node_copy (node);   /* the engine joins SQL lines in place */
  g_autoptr(AqPipelineStep) engine_step = aq_pipeline_step_new (json_node_get_object (copy), 0);
  g_autoptr(GError) error = NULL;

  if (!aq_pipeline_step_check_fields (engine_step, &error))
    add_problem (ctx->problems, ctx->step_id, member_in_message (step, error->message), "%s",
                 error->message);
}

/* ---- the graph ---- */

static gboolean
passes_rows (AqPipelineGraph *graph,
             const char      *id)
{
  const AqPipelineStepSchema *schema =
    aq_pipeline_schema_lookup (aq_pipeline_graph_get_step_type (graph, id));

  return schema && schema->passes_rows;
}

static gboolean
only_orders (AqPipelineGraph *graph,
             const char      *id)
{
  const char *type = aq_pipeline_graph_get_step_type (graph, id);

  return g_strcmp0 (type, "sql") == 0 || g_strcmp0 (type, "quality_gate") == 0;
}

/* Edges; then each step's inputs against what its type takes. Returns whether all is sound. */
static gboolean
check_edges (AqPipelineGraph *graph,
             GPtrArray       *problems)
{
  guint n = aq_pipeline_graph_get_n_steps (graph);
  g_autofree guint *inputs = g_new0 (guint, n);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint before = problems->len;

  for (guint i = 0; i < aq_pipeline_graph_get_n_edges (graph); i++)
    {
      const char *from, *to;
      int f, t;

      aq_pipeline_graph_get_edge (graph, i, &from, &to);
      f = aq_pipeline_graph_find_step (graph, from);
      t = aq_pipeline_graph_find_step (graph, to);
      if (from == NULL || to == NULL)
        {
          add_problem (problems, NULL, NULL, _("edge %u needs “from” and “to” (step ids)"), i + 1);
          continue;
        }
      if (f < 0 || t < 0)
        {
          add_problem (problems, f >= 0 ? from : t >= 0 ? to : NULL, NULL,
                       _("edge %u (“%s” → “%s”): there is no step “%s”"), i + 1, from, to,
                       f < 0 ? from : to);
          continue;
        }
      if (!g_hash_table_add (seen, g_strdup_printf ("%s\n%s", from, to)))
        {
          add_problem (problems, to, NULL, _("the edge “%s” → “%s” is given twice"), from, to);
          continue;
        }
      if (only_orders (graph, from) || only_orders (graph, to))
        continue;
      if (!passes_rows (graph, from) && aq_pipeline_schema_lookup (
            aq_pipeline_graph_get_step_type (graph, from)) != NULL)
        add_problem (problems, to, NULL, _("reads from “%s”, which passes no rows on"), from);
      else
        inputs[t]++;
    }

  for (guint i = 0; i < n; i++)
    {
      const char *id = aq_pipeline_graph_get_step_id (graph, i);
      const AqPipelineStepSchema *schema =
        aq_pipeline_schema_lookup (aq_pipeline_graph_get_step_type (graph, id));

      if (id == NULL || schema == NULL || only_orders (graph, id))
        continue;
      if (schema->max_inputs == 0 && inputs[i] > 0)
        add_problem (problems, id, NULL, _("an input step reads no other step, but %u lead into it"),
                     inputs[i]);
      else if (inputs[i] < schema->min_inputs)
        add_problem (problems, id, NULL,
                     ngettext ("needs %u input, but %u lead into it",
                               "needs %u inputs, but %u lead into it", schema->min_inputs),
                     schema->min_inputs, inputs[i]);
      else if (inputs[i] > schema->max_inputs)
        add_problem (problems, id, NULL,
                     ngettext ("takes %u input, but %u lead into it",
                               "takes %u inputs, but %u lead into it", schema->max_inputs),
                     schema->max_inputs, inputs[i]);
    }
  return problems->len == before;
}

/* Steps on a cycle: those Kahn's walk cannot order. */
static gboolean
check_cycles (AqPipelineGraph *graph,
              GPtrArray       *problems)
{
  guint n = aq_pipeline_graph_get_n_steps (graph);
  g_autofree guint *preds = g_new0 (guint, n);
  g_autofree gboolean *done = g_new0 (gboolean, n);
  gboolean progress = TRUE;
  gboolean sound = TRUE;

  for (guint e = 0; e < aq_pipeline_graph_get_n_edges (graph); e++)
    {
      const char *from, *to;
      int t;

      aq_pipeline_graph_get_edge (graph, e, &from, &to);
      t = aq_pipeline_graph_find_step (graph, to);
      if (aq_pipeline_graph_find_step (graph, from) >= 0 && t >= 0)
        preds[t]++;
    }
  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < n; i++)
        {
          if (done[i] || preds[i] > 0)
            continue;
          done[i] = progress = TRUE;
          for (guint e = 0; e < aq_pipeline_graph_get_n_edges (graph); e++)
            {
              const char *from, *to;
              int t;

              aq_pipeline_graph_get_edge (graph, e, &from, &to);
              t = aq_pipeline_graph_find_step (graph, to);
              if (t >= 0 && g_strcmp0 (from, aq_pipeline_graph_get_step_id (graph, i)) == 0)
                preds[t]--;
            }
        }
    }
  for (guint i = 0; i < n; i++)
    if (!done[i])
      {
        add_problem (problems, aq_pipeline_graph_get_step_id (graph, i), NULL,
                     _("is on a cycle: it would run after itself"));
        sound = FALSE;
      }
  return sound;
}

/* The columns along the edges, step by step, for a graph the engine can order. */
static void
check_columns (AqPipelineGraph *graph,
               GPtrArray       *problems)
{
  g_autoptr(JsonNode) root = aq_pipeline_graph_dup_root (graph);
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_from_node (root, NULL, NULL);
  g_autoptr(AqPipelineCompiler) compiler = NULL;
  g_autoptr(GHashTable) failed = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *order;

  if (pipeline == NULL)
    return;
  order = aq_pipeline_get_order (pipeline, &error);
  if (order == NULL)
    {
      /* the checks above should have caught what the engine refuses: say it anyway */
      add_problem (problems, NULL, NULL, "%s", error->message);
      return;
    }
  compiler = aq_pipeline_compiler_new (pipeline);
  for (guint i = 0; i < order->len; i++)
    {
      AqPipelineStep *step = g_ptr_array_index (order, i);
      GPtrArray *inputs = aq_pipeline_step_get_inputs (step);
      gboolean inputs_sound = TRUE;

      for (guint k = 0; k < inputs->len; k++)
        inputs_sound &= !g_hash_table_contains (failed, g_ptr_array_index (inputs, k));
      g_clear_error (&error);
      if (!inputs_sound || !aq_pipeline_compiler_check_step (compiler, step, &error))
        {
          g_hash_table_add (failed, step);
          if (error)
            add_problem (problems, aq_pipeline_step_get_id (step),
                         member_in_message (aq_pipeline_step_get_definition (step),
                                            error->message),
                         "%s", error->message);
        }
    }
}

/* ---- public API ---- */

/**
 * aq_pipeline_validate_graph:
 *
 * Returns: (transfer full) (element-type AqPipelineProblem): every problem, in the order of
 * the steps; empty when the pipeline passes every check that needs no warehouse
 */
GPtrArray *
aq_pipeline_validate_graph (AqPipelineGraph *graph)
{
  GPtrArray *problems = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_problem_free);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean steps_sound = TRUE;
  gboolean edges_sound;
  gboolean acyclic;

  g_return_val_if_fail (AQ_IS_PIPELINE_GRAPH (graph), NULL);

  for (guint i = 0; i < aq_pipeline_graph_get_n_steps (graph); i++)
    {
      const char *id = aq_pipeline_graph_get_step_id (graph, i);
      const char *type = id ? aq_pipeline_graph_get_step_type (graph, id) : NULL;
      const AqPipelineStepSchema *schema = aq_pipeline_schema_lookup (type);
      JsonObject *step = id ? aq_pipeline_graph_get_step (graph, id) : NULL;
      Context ctx = { problems, id, NULL };
      guint before = problems->len;

      if (id == NULL || *id == '\0')
        {
          add_problem (problems, NULL, "id", _("step %u needs an “id”"), i + 1);
          steps_sound = FALSE;
          continue;
        }
      if (!g_hash_table_add (ids, (gpointer) id))
        {
          add_problem (problems, id, "id", _("another step has the id “%s”"), id);
          steps_sound = FALSE;
          continue;
        }
      if (type == NULL)
        add_problem (problems, id, "type", _("needs a “type”"));
      else if (schema == NULL)
        add_problem (problems, id, "type", _("unknown step type “%s”"), type);
      else
        {
          check_members (&ctx, step, schema->members, NULL);
          check_rules (&ctx, type, step);
          if (problems->len == before)
            check_with_engine (&ctx, step);
        }
      steps_sound &= problems->len == before;
    }
  edges_sound = check_edges (graph, problems);
  acyclic = check_cycles (graph, problems);
  if (steps_sound && edges_sound && acyclic)
    check_columns (graph, problems);
  return problems;
}

/* How many of @problems are about @step_id (and @member, unless it is NULL). */
guint
aq_pipeline_problems_count_for (GPtrArray  *problems,
                                const char *step_id,
                                const char *member)
{
  guint n = 0;

  for (guint i = 0; problems && i < problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->step_id, step_id) == 0
          && (member == NULL || g_strcmp0 (problem->member, member) == 0))
        n++;
    }
  return n;
}

const char *
aq_pipeline_problems_first_for (GPtrArray  *problems,
                                const char *step_id,
                                const char *member)
{
  for (guint i = 0; problems && i < problems->len; i++)
    {
      AqPipelineProblem *problem = g_ptr_array_index (problems, i);

      if (g_strcmp0 (problem->step_id, step_id) == 0
          && (member == NULL || g_strcmp0 (problem->member, member) == 0))
        return problem->message;
    }
  return NULL;
}

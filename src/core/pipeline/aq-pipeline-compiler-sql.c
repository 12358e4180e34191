/* aq-pipeline-compiler-sql.c — the statements a pipeline step compiles to
 *
 * One SELECT per transform over its inputs' temp tables, and the statements around the
 * outputs and external inputs (staging, COPY, CREATE TABLE, indexes, TRUNCATE, INSERT …
 * ON CONFLICT). Identifiers from the JSON are quoted, values are parameters, expressions go
 * in as the data engineer wrote them (see aq-pipeline-compiler.c).
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-compiler-private.h"

#include <stdarg.h>
#include <string.h>

#include "aq-error.h"

/* The temp table that holds @step's rows while the run lasts. */
char *
aq_pipeline_compiler_get_relation (AqPipelineCompiler *self,
                                   AqPipelineStep     *step)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);
  return g_strdup_printf ("\"_aq_step_%u\"", aq_pipeline_step_get_index (step));
}

static char *
input_relation (AqPipelineCompiler *self,
                AqPipelineStep     *step,
                guint               i)
{
  return aq_pipeline_compiler_get_relation (self,
                                            g_ptr_array_index (aq_pipeline_step_get_inputs (step),
                                                               i));
}

static char *
table_input_query (AqPipelineCompiler *self,
                   AqPipelineStep     *step,
                   GPtrArray          *params)
{
  const char *family = g_ptr_array_index (self->sources, aq_pipeline_step_get_index (step));
  g_autofree char *sql = family ? g_strdup (family)
                                : strip_statement (aq_pipeline_step_get_string (step, "sql"));
  JsonObject *watermark = aq_pipeline_step_get_object (step, "watermark");
  const char *value = g_ptr_array_index (self->watermarks, aq_pipeline_step_get_index (step));
  GString *query = g_string_new (NULL);

  /* new lines around it, in case it ends with a -- comment */
  g_string_append_printf (query, "SELECT * FROM (\n%s\n) q", sql);
  if (watermark && value)
    {
      g_autofree char *placeholder = add_param (params, value);

      g_string_append (query, " WHERE ");
      append_ident (query, "q", member_string (watermark, "column"));
      g_string_append_printf (query, " > %s", placeholder);
    }
  return g_string_free (query, FALSE);
}

static char *
calculator_query (AqPipelineCompiler *self,
                  AqPipelineStep     *step)
{
  JsonArray *array = aq_pipeline_step_get_array (step, "columns");
  GPtrArray *input = aq_pipeline_compiler_get_input_columns (self, step);
  g_autoptr(GPtrArray) current = aq_pipeline_columns_copy (input);
  g_autofree char *query = input_relation (self, step, 0);

  /* one level per calculated column, so that a column can use the ones calculated before it;
   * the planner flattens the levels */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      const char *name = member_string (item, "name");
      const char *type = member_string (item, "type");
      g_autoptr(GString) level = g_string_new ("SELECT ");
      g_autoptr(GString) value = g_string_new (NULL);
      gboolean placed = FALSE;

      if (type)
        g_string_append_printf (value, "CAST((%s) AS %s)",
                                member_string (item, "expression"), type);
      else
        g_string_append_printf (value, "(%s)", member_string (item, "expression"));
      g_string_append (value, " AS ");
      append_ident (value, NULL, name);

      for (guint j = 0; j < current->len; j++)
        {
          AqPipelineColumn *column = g_ptr_array_index (current, j);

          if (j > 0)
            g_string_append (level, ", ");
          if (strcmp (column->name, name) == 0)
            {
              g_string_append (level, value->str);
              placed = TRUE;
            }
          else
            append_ident (level, NULL, column->name);
        }
      if (!placed)
        {
          g_string_append_printf (level, "%s%s", current->len ? ", " : "", value->str);
          g_ptr_array_add (current, aq_pipeline_column_new (name, type));
        }
      if (i == 0)
        g_string_append_printf (level, " FROM %s c", query);
      else
        g_string_append_printf (level, " FROM (%s) c", query);
      g_free (query);
      query = g_string_free (g_steal_pointer (&level), FALSE);
    }
  return g_steal_pointer (&query);
}

static char *
value_mapping_query (AqPipelineCompiler *self,
                     AqPipelineStep     *step,
                     GPtrArray          *params)
{
  const char *column = aq_pipeline_step_get_string (step, "column");
  const char *target = aq_pipeline_step_get_string (step, "target");
  JsonObject *mapping = aq_pipeline_step_get_object (step, "mapping");
  JsonNode *fallback = json_object_get_member (aq_pipeline_step_get_definition (step), "default");
  GPtrArray *input = aq_pipeline_compiler_get_input_columns (self, step);
  g_autoptr(GList) members = json_object_get_members (mapping);
  g_autofree char *relation = input_relation (self, step, 0);
  g_autoptr(GString) value = g_string_new (NULL);
  g_autoptr(GString) source = g_string_new ("CAST(");
  GString *query = g_string_new ("SELECT ");
  gboolean placed = FALSE;

  if (target == NULL)
    target = column;
  append_ident (source, "i", column);
  g_string_append (source, " AS text)");

  g_string_append (value, members ? "CASE " : "");
  if (members)
    g_string_append (value, source->str);
  for (GList *l = members; l; l = l->next)
    {
      JsonNode *target = json_object_get_member (mapping, l->data);
      g_autofree char *replacement = aq_pipeline_json_value_text (target);
      g_autofree char *when = add_param (params, l->data);
      g_autofree char *then = add_param (params, replacement);

      g_string_append_printf (value, " WHEN CAST(%s AS text) THEN CAST(%s AS text)", when, then);
    }
  g_string_append (value, members ? " ELSE " : "");
  if (fallback)
    {
      g_autofree char *text = aq_pipeline_json_value_text (fallback);
      g_autofree char *placeholder = add_param (params, text);

      g_string_append_printf (value, "CAST(%s AS text)", placeholder);
    }
  else if (strcmp (target, column) == 0)
    /* mapping a column in place keeps the values the mapping does not know */
    g_string_append (value, source->str);
  else
    g_string_append (value, "CAST(NULL AS text)");
  g_string_append (value, members ? " END AS " : " AS ");
  append_ident (value, NULL, target);

  for (guint i = 0; i < input->len; i++)
    {
      AqPipelineColumn *c = g_ptr_array_index (input, i);

      if (i > 0)
        g_string_append (query, ", ");
      if (strcmp (c->name, target) == 0)
        {
          g_string_append (query, value->str);
          placed = TRUE;
        }
      else
        append_ident (query, "i", c->name);
    }
  if (!placed)
    g_string_append_printf (query, ", %s", value->str);
  g_string_append_printf (query, " FROM %s i", relation);
  return g_string_free (query, FALSE);
}

static char *
lookup_query (AqPipelineCompiler *self,
              AqPipelineStep     *step)
{
  JsonArray *keys = aq_pipeline_step_get_array (step, "keys");
  JsonArray *columns = aq_pipeline_step_get_array (step, "columns");
  const char *join = aq_pipeline_step_get_string (step, "join");
  g_autofree char *relation = input_relation (self, step, 0);
  g_autofree char *table = aq_pipeline_quote_table (aq_pipeline_step_get_string (step, "table"));
  GString *query = g_string_new ("SELECT i.*");

  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *item = json_array_get_object_element (columns, i);
      const char *name = member_string (item, "name");
      const char *from = member_string (item, "from");

      g_string_append (query, ", ");
      append_ident (query, "l", from ? from : name);
      g_string_append (query, " AS ");
      append_ident (query, NULL, name);
    }
  g_string_append_printf (query, " FROM %s i %s JOIN %s l ON ", relation,
                          g_strcmp0 (join, "inner") == 0 ? "INNER" : "LEFT", table);
  for (guint i = 0; i < json_array_get_length (keys); i++)
    {
      JsonObject *item = json_array_get_object_element (keys, i);

      if (i > 0)
        g_string_append (query, " AND ");
      append_ident (query, "i", member_string (item, "input"));
      g_string_append (query, " = ");
      append_ident (query, "l", member_string (item, "table"));
    }
  return g_string_free (query, FALSE);
}

static char *
deduplicate_query (AqPipelineCompiler *self,
                   AqPipelineStep     *step)
{
  g_auto(GStrv) keys = aq_pipeline_step_dup_strv (step, "keys");
  const char *order_by = aq_pipeline_step_get_string (step, "order_by");
  g_autofree char *relation = input_relation (self, step, 0);
  GString *query = g_string_new (NULL);

  if (keys[0] == NULL)
    {
      g_string_append_printf (query, "SELECT DISTINCT * FROM %s i", relation);
      return g_string_free (query, FALSE);
    }
  /* DISTINCT ON keeps the first row of each key in the ORDER BY */
  g_string_append (query, "SELECT DISTINCT ON (");
  append_ident_list (query, "i", (const char * const *) keys);
  g_string_append_printf (query, ") i.* FROM %s i ORDER BY ", relation);
  append_ident_list (query, "i", (const char * const *) keys);
  if (order_by)
    g_string_append_printf (query, ", %s", order_by);
  return g_string_free (query, FALSE);
}

static char *
aggregate_query (AqPipelineCompiler *self,
                 AqPipelineStep     *step)
{
  g_auto(GStrv) group_by = aq_pipeline_step_dup_strv (step, "group_by");
  JsonArray *array = aq_pipeline_step_get_array (step, "aggregates");
  g_autofree char *relation = input_relation (self, step, 0);
  GString *query = g_string_new ("SELECT ");

  append_ident_list (query, "i", (const char * const *) group_by);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      const char *function = member_string (item, "function");
      const char *column = member_string (item, "column");
      g_autofree char *argument = NULL;

      if (i > 0 || group_by[0])
        g_string_append (query, ", ");
      if (column)
        {
          g_autofree char *quoted = aq_db_quote_ident (column);
          argument = g_strdup_printf ("i.%s", quoted);
        }
      if (strcmp (function, "count_distinct") == 0)
        g_string_append_printf (query, "count(DISTINCT %s)", argument);
      else if (strcmp (function, "count") == 0 && column == NULL)
        g_string_append (query, "count(*)");
      else
        g_string_append_printf (query, "%s(%s)", function, argument);
      g_string_append (query, " AS ");
      append_ident (query, NULL, member_string (item, "name"));
    }
  g_string_append_printf (query, " FROM %s i", relation);
  if (group_by[0])
    {
      g_string_append (query, " GROUP BY ");
      append_ident_list (query, "i", (const char * const *) group_by);
    }
  return g_string_free (query, FALSE);
}

static char *
union_query (AqPipelineCompiler *self,
             AqPipelineStep     *step)
{
  GPtrArray *inputs = aq_pipeline_step_get_inputs (step);
  g_auto(GStrv) names = column_names (aq_pipeline_compiler_get_columns (self, step));
  gboolean all = aq_pipeline_step_get_boolean (step, "all", TRUE);
  GString *query = g_string_new (NULL);

  /* by name: each input's columns in the first one's order */
  for (guint i = 0; i < inputs->len; i++)
    {
      g_autofree char *relation = input_relation (self, step, i);

      if (i > 0)
        g_string_append (query, all ? " UNION ALL " : " UNION ");
      g_string_append (query, "SELECT ");
      append_ident_list (query, NULL, (const char * const *) names);
      g_string_append_printf (query, " FROM %s", relation);
    }
  return g_string_free (query, FALSE);
}

/**
 * aq_pipeline_compiler_get_query:
 * @params: (element-type utf8): receives the values of the $n placeholders
 *
 * The SELECT whose rows @step passes on: for a table input on the warehouse and for every
 * step between inputs and outputs. Needs the columns of @step's inputs.
 */
char *
aq_pipeline_compiler_get_query (AqPipelineCompiler *self,
                                AqPipelineStep     *step,
                                GPtrArray          *params)
{
  g_autofree char *relation = NULL;

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);

  switch (aq_pipeline_step_get_kind (step))
    {
    case AQ_PIPELINE_STEP_TABLE_INPUT:
      return table_input_query (self, step, params);
    case AQ_PIPELINE_STEP_SELECT:
      {
        JsonArray *array = aq_pipeline_step_get_array (step, "columns");
        GString *query = g_string_new ("SELECT ");

        relation = input_relation (self, step, 0);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonObject *item = json_array_get_object_element (array, i);
            const char *name = member_string (item, "name");
            const char *from = member_string (item, "from");

            if (i > 0)
              g_string_append (query, ", ");
            append_ident (query, "i", from ? from : name);
            g_string_append (query, " AS ");
            append_ident (query, NULL, name);
          }
        g_string_append_printf (query, " FROM %s i", relation);
        return g_string_free (query, FALSE);
      }
    case AQ_PIPELINE_STEP_FILTER:
      relation = input_relation (self, step, 0);
      return g_strdup_printf ("SELECT * FROM %s i WHERE (\n%s\n)", relation,
                              aq_pipeline_step_get_string (step, "condition"));
    case AQ_PIPELINE_STEP_CALCULATOR:
      return calculator_query (self, step);
    case AQ_PIPELINE_STEP_VALUE_MAPPING:
      return value_mapping_query (self, step, params);
    case AQ_PIPELINE_STEP_LOOKUP:
      return lookup_query (self, step);
    case AQ_PIPELINE_STEP_DEDUPLICATE:
      return deduplicate_query (self, step);
    case AQ_PIPELINE_STEP_AGGREGATE:
      return aggregate_query (self, step);
    case AQ_PIPELINE_STEP_UNION:
      return union_query (self, step);
    case AQ_PIPELINE_STEP_CSV_INPUT:
    case AQ_PIPELINE_STEP_JSON_INPUT:
    case AQ_PIPELINE_STEP_TABLE_OUTPUT:
    case AQ_PIPELINE_STEP_SQL:
    case AQ_PIPELINE_STEP_QUALITY_GATE:
    case AQ_PIPELINE_STEP_UNKNOWN:
    default:
      g_return_val_if_reached (NULL);
    }
}

/* What a table input on another connection asks its source to describe. */
char *
aq_pipeline_compiler_get_source_describe (AqPipelineCompiler *self,
                                          AqPipelineStep     *step)
{
  g_autofree char *sql = strip_statement (aq_pipeline_step_get_string (step, "sql"));

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);
  return g_strdup_printf ("SELECT * FROM (\n%s\n) q", sql);
}

/* The COPY … TO STDOUT a table input on another connection runs there. COPY takes no
 * parameters, so the watermark travels in the session setting aqueduct.watermark (set with a
 * parameter) and is cast to the column's type there. */
char *
aq_pipeline_compiler_get_source_copy (AqPipelineCompiler *self,
                                      AqPipelineStep     *step)
{
  g_autofree char *query = aq_pipeline_compiler_get_source_describe (self, step);
  JsonObject *watermark = aq_pipeline_step_get_object (step, "watermark");
  const char *value = g_ptr_array_index (self->watermarks, aq_pipeline_step_get_index (step));
  GString *copy = g_string_new ("COPY (");

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);

  g_string_append (copy, query);
  if (watermark && value)
    {
      const char *name = member_string (watermark, "column");
      AqPipelineColumn *column = aq_pipeline_columns_find (
        aq_pipeline_compiler_get_columns (self, step), name);

      g_string_append (copy, " WHERE ");
      append_ident (copy, "q", name);
      g_string_append_printf (copy, " > CAST(current_setting('aqueduct.watermark') AS %s)",
                              column && column->type ? column->type : "text");
    }
  g_string_append (copy, ") TO STDOUT");
  return g_string_free (copy, FALSE);
}

/* The temp table an input streams its rows into, with the step's columns. */
char *
aq_pipeline_compiler_get_staging (AqPipelineCompiler *self,
                                  AqPipelineStep     *step)
{
  GPtrArray *columns = aq_pipeline_compiler_get_columns (self, step);
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self, step);
  GString *sql = g_string_new (NULL);

  g_return_val_if_fail (columns != NULL, NULL);

  g_string_append_printf (sql, "CREATE TEMP TABLE %s (", relation);
  for (guint i = 0; i < columns->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (columns, i);

      if (i > 0)
        g_string_append (sql, ", ");
      append_ident (sql, NULL, column->name);
      g_string_append_printf (sql, " %s", column->type ? column->type : "text");
    }
  g_string_append (sql, ") ON COMMIT DROP");
  return g_string_free (sql, FALSE);
}

/* COPY … FROM STDIN into the staging table: CSV as the step says, else text format. */
char *
aq_pipeline_compiler_get_copy_in (AqPipelineCompiler *self,
                                  AqPipelineStep     *step)
{
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self, step);
  GString *sql = g_string_new (NULL);

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);

  g_string_append_printf (sql, "COPY %s FROM STDIN", relation);
  if (aq_pipeline_step_get_kind (step) == AQ_PIPELINE_STEP_CSV_INPUT)
    {
      const char *delimiter = aq_pipeline_step_get_string (step, "delimiter");
      const char *null = aq_pipeline_step_get_string (step, "null");
      const char *encoding = aq_pipeline_step_get_string (step, "encoding");
      g_autofree char *delimiter_literal = sql_literal (delimiter ? delimiter : ",");

      g_string_append_printf (sql, " (FORMAT csv, HEADER %s, DELIMITER %s",
                              aq_pipeline_step_get_boolean (step, "header", TRUE)
                              ? "true" : "false",
                              delimiter_literal);
      if (null)
        {
          g_autofree char *literal = sql_literal (null);
          g_string_append_printf (sql, ", NULL %s", literal);
        }
      if (encoding)
        {
          g_autofree char *literal = sql_literal (encoding);
          g_string_append_printf (sql, ", ENCODING %s", literal);
        }
      g_string_append_c (sql, ')');
    }
  return g_string_free (sql, FALSE);
}

/* CREATE TABLE for an output's target, shaped like its input, keyed on “keys”. */
char *
aq_pipeline_compiler_get_create_table (AqPipelineCompiler *self,
                                       AqPipelineStep     *step)
{
  GPtrArray *input = aq_pipeline_compiler_get_input_columns (self, step);
  g_auto(GStrv) keys = aq_pipeline_step_dup_strv (step, "keys");
  g_autofree char *table = aq_pipeline_quote_table (aq_pipeline_step_get_string (step, "table"));
  GString *sql = g_string_new (NULL);

  g_return_val_if_fail (input != NULL, NULL);

  g_string_append_printf (sql, "CREATE TABLE %s (", table);
  for (guint i = 0; i < input->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (input, i);

      if (i > 0)
        g_string_append (sql, ", ");
      append_ident (sql, NULL, column->name);
      g_string_append_printf (sql, " %s", column->type ? column->type : "text");
    }
  if (keys[0])
    {
      g_string_append (sql, ", PRIMARY KEY (");
      append_ident_list (sql, NULL, (const char * const *) keys);
      g_string_append_c (sql, ')');
    }
  g_string_append_c (sql, ')');
  return g_string_free (sql, FALSE);
}

/* Returns: (transfer full) (element-type utf8): a CREATE INDEX per entry of “indexes” */
GPtrArray *
aq_pipeline_compiler_get_create_indexes (AqPipelineCompiler *self,
                                         AqPipelineStep     *step)
{
  JsonArray *indexes = aq_pipeline_step_get_array (step, "indexes");
  g_autofree char *table = aq_pipeline_quote_table (aq_pipeline_step_get_string (step, "table"));
  GPtrArray *statements = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);

  for (guint i = 0; indexes && i < json_array_get_length (indexes); i++)
    {
      JsonArray *index = json_array_get_array_element (indexes, i);
      GString *sql = g_string_new (NULL);

      g_string_append_printf (sql, "CREATE INDEX ON %s (", table);
      for (guint j = 0; j < json_array_get_length (index); j++)
        {
          if (j > 0)
            g_string_append (sql, ", ");
          append_ident (sql, NULL, json_array_get_string_element (index, j));
        }
      g_string_append_c (sql, ')');
      g_ptr_array_add (statements, g_string_free (sql, FALSE));
    }
  return statements;
}

char *
aq_pipeline_compiler_get_truncate (AqPipelineCompiler *self,
                                   AqPipelineStep     *step)
{
  g_autofree char *table = aq_pipeline_quote_table (aq_pipeline_step_get_string (step, "table"));

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);
  return g_strdup_printf ("TRUNCATE TABLE %s", table);
}

/* The INSERT of an output: its input's columns by name; upsert updates the other columns of
 * rows whose keys exist (INSERT … ON CONFLICT, which PostgreSQL 9.5+ and Greenplum 7 have). */
char *
aq_pipeline_compiler_get_insert (AqPipelineCompiler *self,
                                 AqPipelineStep     *step)
{
  GPtrArray *input = aq_pipeline_compiler_get_input_columns (self, step);
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) keys = aq_pipeline_step_dup_strv (step, "keys");
  g_autofree char *table = aq_pipeline_quote_table (aq_pipeline_step_get_string (step, "table"));
  g_autofree char *relation = input_relation (self, step, 0);
  const char *mode = aq_pipeline_step_get_string (step, "mode");
  GString *sql = g_string_new (NULL);
  gboolean updates = FALSE;

  g_return_val_if_fail (input != NULL, NULL);

  names = column_names (input);
  g_string_append_printf (sql, "INSERT INTO %s (", table);
  append_ident_list (sql, NULL, (const char * const *) names);
  g_string_append (sql, ") SELECT ");
  append_ident_list (sql, NULL, (const char * const *) names);
  g_string_append_printf (sql, " FROM %s", relation);
  if (g_strcmp0 (mode, "upsert") != 0)
    return g_string_free (sql, FALSE);

  g_string_append (sql, " ON CONFLICT (");
  append_ident_list (sql, NULL, (const char * const *) keys);
  g_string_append (sql, ") DO UPDATE SET ");
  for (guint i = 0; names[i]; i++)
    {
      if (g_strv_contains ((const char * const *) keys, names[i]))
        continue;
      if (updates)
        g_string_append (sql, ", ");
      append_ident (sql, NULL, names[i]);
      g_string_append (sql, " = ");
      append_ident (sql, "EXCLUDED", names[i]);
      updates = TRUE;
    }
  if (!updates)
    {
      /* every column is a key: there is nothing to update */
      g_string_truncate (sql, sql->len - strlen (" DO UPDATE SET "));
      g_string_append (sql, " DO NOTHING");
    }
  return g_string_free (sql, FALSE);
}

/* aq-pipeline-compiler.c — pipeline steps as SQL, and the columns that flow between them
 *
 * Every step becomes one statement the warehouse runs: the work happens where the data is.
 * Each step reads its inputs' materialized relations (temp tables named after the step's
 * index), and the compiler tracks the columns each step passes on, so that a reference to a
 * column that is not there is caught with the step's name before any SQL runs. Without the
 * warehouse a table input's columns are unknown and checks downstream of it wait for the
 * runner, which describes each relation and hands the real columns back.
 *
 * Column names, keys and table names from the JSON are identifiers: always quoted here.
 * Expressions (filter conditions, calculator expressions, order_by, a table input's SQL) are
 * SQL written by the data engineer and go in as they are. Values go as parameters.
 *
 * This file holds the columns, types and checks; the statements are in
 * aq-pipeline-compiler-sql.c, sharing aq-pipeline-compiler-private.h.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-compiler.h"
#include "aq-pipeline-compiler-private.h"

#include <stdarg.h>
#include <string.h>

#include "aq-error.h"

G_DEFINE_FINAL_TYPE (AqPipelineCompiler, aq_pipeline_compiler, G_TYPE_OBJECT)

/* Spellings PostgreSQL accepts for the types format_type() writes out in full. */
static const struct
{
  const char *alias;
  const char *name;
} type_aliases[] = {
  { "int", "integer" }, { "int4", "integer" }, { "int8", "bigint" }, { "int2", "smallint" },
  { "float", "double precision" }, { "float8", "double precision" }, { "float4", "real" },
  { "decimal", "numeric" }, { "varchar", "character varying" }, { "char", "character" },
  { "bpchar", "character" }, { "bool", "boolean" },
  { "timestamptz", "timestamp with time zone" }, { "timestamp", "timestamp without time zone" },
  { "timetz", "time with time zone" }, { "time", "time without time zone" },
};

/* Types that mix in a union the way PostgreSQL's type categories let them. */
static const char * const string_types[] = {
  "text", "character varying", "character", "name", "citext", NULL
};
static const char * const number_types[] = {
  "smallint", "integer", "bigint", "numeric", "real", "double precision", NULL
};
static const char * const datetime_types[] = {
  "date", "timestamp without time zone", "timestamp with time zone", NULL
};

/* ---- columns ---- */

AqPipelineColumn *
aq_pipeline_column_new (const char *name,
                        const char *type)
{
  AqPipelineColumn *column = g_new0 (AqPipelineColumn, 1);

  column->name = g_strdup (name);
  column->type = g_strdup (type);
  return column;
}

void
aq_pipeline_column_free (AqPipelineColumn *column)
{
  if (column == NULL)
    return;
  g_free (column->name);
  g_free (column->type);
  g_free (column);
}

static GPtrArray *
columns_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) aq_pipeline_column_free);
}

/* Returns: (transfer full) (nullable): a deep copy; %NULL stays %NULL (unknown) */
GPtrArray *
aq_pipeline_columns_copy (GPtrArray *columns)
{
  GPtrArray *copy;

  if (columns == NULL)
    return NULL;
  copy = columns_new ();
  for (guint i = 0; i < columns->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (columns, i);
      g_ptr_array_add (copy, aq_pipeline_column_new (column->name, column->type));
    }
  return copy;
}

AqPipelineColumn *
aq_pipeline_columns_find (GPtrArray  *columns,
                          const char *name)
{
  for (guint i = 0; columns && i < columns->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (columns, i);

      if (strcmp (column->name, name) == 0)
        return column;
    }
  return NULL;
}

/* “a, b, c”: what error messages list. */
char *
aq_pipeline_columns_to_string (GPtrArray *columns)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; columns && i < columns->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (columns, i);

      if (i > 0)
        g_string_append (text, ", ");
      g_string_append (text, column->name);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* ---- types and names ---- */

/* Lower case, no modifier, the long spelling: “VARCHAR(20)” → “character varying”. */
static char *
normalize_type (const char *type)
{
  g_autofree char *lower = g_ascii_strdown (type, -1);
  char *paren = strchr (lower, '(');

  if (paren)
    {
      char *close = strchr (paren, ')');

      /* keep an array suffix after the modifier */
      memmove (paren, close ? close + 1 : paren + strlen (paren),
               strlen (close ? close + 1 : paren + strlen (paren)) + 1);
    }
  g_strstrip (lower);
  for (guint i = 0; i < G_N_ELEMENTS (type_aliases); i++)
    if (strcmp (lower, type_aliases[i].alias) == 0)
      return g_strdup (type_aliases[i].name);
  return g_steal_pointer (&lower);
}

static int
type_family (const char *normalized)
{
  if (g_strv_contains (string_types, normalized))
    return 1;
  if (g_strv_contains (number_types, normalized))
    return 2;
  if (g_strv_contains (datetime_types, normalized))
    return 3;
  return 0;
}

/* Whether a union can put the two types in one column; unknown types fit anything. */
gboolean
aq_pipeline_types_compatible (const char *a,
                              const char *b)
{
  g_autofree char *na = NULL;
  g_autofree char *nb = NULL;
  int family;

  if (a == NULL || b == NULL)
    return TRUE;
  na = normalize_type (a);
  nb = normalize_type (b);
  if (strcmp (na, nb) == 0)
    return TRUE;
  family = type_family (na);
  return family != 0 && family == type_family (nb);
}

/* “schema.table” → "schema"."table": each part one identifier. */
char *
aq_pipeline_quote_table (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, ".", 2);
  g_autoptr(GString) quoted = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *part = aq_db_quote_ident (parts[i]);

      if (i > 0)
        g_string_append_c (quoted, '.');
      g_string_append (quoted, part);
    }
  return g_string_free (g_steal_pointer (&quoted), FALSE);
}

/* A string literal for the few places SQL takes no parameter (COPY options). The callers
 * allow only short, checked values; standard_conforming_strings is on since PostgreSQL 9.1. */
char *
sql_literal (const char *value)
{
  g_autoptr(GString) literal = g_string_new ("'");

  for (const char *p = value; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (literal, '\'');
      g_string_append_c (literal, *p);
    }
  g_string_append_c (literal, '\'');
  return g_string_free (g_steal_pointer (&literal), FALSE);
}

/* A table input's SQL without the trailing semicolon it may have been written with. */
char *
strip_statement (const char *sql)
{
  char *copy = g_strstrip (g_strdup (sql));
  gsize len = strlen (copy);

  while (len > 0 && (copy[len - 1] == ';' || g_ascii_isspace (copy[len - 1])))
    copy[--len] = '\0';
  return copy;
}

void
append_ident (GString    *sql,
              const char *prefix,
              const char *name)
{
  g_autofree char *quoted = aq_db_quote_ident (name);

  if (prefix)
    g_string_append_printf (sql, "%s.", prefix);
  g_string_append (sql, quoted);
}

void
append_ident_list (GString            *sql,
                   const char         *prefix,
                   const char * const *names)
{
  for (guint i = 0; names[i]; i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      append_ident (sql, prefix, names[i]);
    }
}

char **
column_names (GPtrArray *columns)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < columns->len; i++)
    g_strv_builder_add (builder, ((AqPipelineColumn *) g_ptr_array_index (columns, i))->name);
  return g_strv_builder_end (builder);
}

const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* Adds a parameter and returns its placeholder. */
char *
add_param (GPtrArray  *params,
           const char *value)
{
  g_ptr_array_add (params, g_strdup (value));
  return g_strdup_printf ("$%u", params->len);
}

/* ---- auxiliary methods ---- */

static gboolean
need_column (AqPipelineStep  *step,
             GPtrArray       *input,
             const char      *name,
             GError         **error)
{
  g_autofree char *names = NULL;

  if (input == NULL || aq_pipeline_columns_find (input, name))
    return TRUE;
  names = aq_pipeline_columns_to_string (input);
  return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                "no column “%s” in its input (columns: %s)", name, names);
}

static gboolean
need_columns (AqPipelineStep      *step,
              GPtrArray           *input,
              const char * const  *names,
              GError             **error)
{
  for (guint i = 0; names && names[i]; i++)
    if (!need_column (step, input, names[i], error))
      return FALSE;
  return TRUE;
}

static gboolean
check_unique_names (AqPipelineStep  *step,
                    GPtrArray       *columns,
                    GError         **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; columns && i < columns->len; i++)
    {
      AqPipelineColumn *column = g_ptr_array_index (columns, i);

      if (!g_hash_table_add (seen, column->name))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "two of its columns are named “%s”", column->name);
    }
  return TRUE;
}

/* Puts @column in place of the one of its name, or at the end; takes it. */
static void
replace_or_append (GPtrArray        *columns,
                   AqPipelineColumn *column)
{
  for (guint i = 0; i < columns->len; i++)
    if (strcmp (((AqPipelineColumn *) g_ptr_array_index (columns, i))->name, column->name) == 0)
      {
        aq_pipeline_column_free (g_ptr_array_index (columns, i));
        g_ptr_array_index (columns, i) = column;
        return;
      }
  g_ptr_array_add (columns, column);
}

static char *
aggregate_type (const char *function,
                const char *input_type)
{
  g_autofree char *type = input_type ? normalize_type (input_type) : NULL;

  if (g_str_has_prefix (function, "count"))
    return g_strdup ("bigint");
  if (type == NULL)
    return NULL;
  if (strcmp (function, "min") == 0 || strcmp (function, "max") == 0)
    return g_strdup (input_type);
  if (strcmp (type, "real") == 0 || strcmp (type, "double precision") == 0)
    return g_strdup (strcmp (function, "sum") == 0 ? type : "double precision");
  if (strcmp (function, "sum") == 0
      && (strcmp (type, "smallint") == 0 || strcmp (type, "integer") == 0))
    return g_strdup ("bigint");
  if (type_family (type) == 2)
    return g_strdup ("numeric");
  return NULL;
}

static GPtrArray *
declared_columns (AqPipelineStep *step)
{
  JsonArray *array = aq_pipeline_step_get_array (step, "columns");
  GPtrArray *columns = columns_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      g_ptr_array_add (columns, aq_pipeline_column_new (member_string (item, "name"),
                                                        member_string (item, "type")));
    }
  return columns;
}

static gboolean
check_select (AqPipelineStep  *step,
              GPtrArray       *input,
              GPtrArray      **out,
              GError         **error)
{
  JsonArray *array = aq_pipeline_step_get_array (step, "columns");
  g_autoptr(GPtrArray) columns = columns_new ();

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      const char *name = member_string (item, "name");
      const char *from = member_string (item, "from") ? member_string (item, "from") : name;
      AqPipelineColumn *source = aq_pipeline_columns_find (input, from);

      if (!need_column (step, input, from, error))
        return FALSE;
      g_ptr_array_add (columns, aq_pipeline_column_new (name, source ? source->type : NULL));
    }
  *out = g_steal_pointer (&columns);
  return TRUE;
}

static gboolean
check_calculator (AqPipelineStep  *step,
                  GPtrArray       *input,
                  GPtrArray      **out,
                  GError         **error)
{
  JsonArray *array = aq_pipeline_step_get_array (step, "columns");
  g_autoptr(GPtrArray) columns = aq_pipeline_columns_copy (input);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      const char *name = member_string (item, "name");

      if (!g_hash_table_add (seen, (gpointer) name))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error, "it calculates “%s” twice",
                                      name);
      if (columns)
        replace_or_append (columns, aq_pipeline_column_new (name, member_string (item, "type")));
    }
  *out = g_steal_pointer (&columns);
  return TRUE;
}

static gboolean
check_value_mapping (AqPipelineStep  *step,
                     GPtrArray       *input,
                     GPtrArray      **out,
                     GError         **error)
{
  const char *column = aq_pipeline_step_get_string (step, "column");
  const char *target = aq_pipeline_step_get_string (step, "target");
  g_autoptr(GPtrArray) columns = aq_pipeline_columns_copy (input);

  if (!need_column (step, input, column, error))
    return FALSE;
  if (columns)
    replace_or_append (columns, aq_pipeline_column_new (target ? target : column, "text"));
  *out = g_steal_pointer (&columns);
  return TRUE;
}

static gboolean
check_lookup (AqPipelineStep  *step,
              GPtrArray       *input,
              GPtrArray      **out,
              GError         **error)
{
  JsonArray *keys = aq_pipeline_step_get_array (step, "keys");
  JsonArray *array = aq_pipeline_step_get_array (step, "columns");
  g_autoptr(GPtrArray) columns = aq_pipeline_columns_copy (input);

  for (guint i = 0; i < json_array_get_length (keys); i++)
    if (!need_column (step, input,
                      member_string (json_array_get_object_element (keys, i), "input"), error))
      return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *name = member_string (json_array_get_object_element (array, i), "name");

      if (aq_pipeline_columns_find (columns, name))
        return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "its input has a column “%s” already: name the looked-up "
                                      "column otherwise", name);
      if (columns)
        g_ptr_array_add (columns, aq_pipeline_column_new (name, NULL));
    }
  *out = g_steal_pointer (&columns);
  return TRUE;
}

static gboolean
check_aggregate (AqPipelineStep  *step,
                 GPtrArray       *input,
                 GPtrArray      **out,
                 GError         **error)
{
  g_auto(GStrv) group_by = aq_pipeline_step_dup_strv (step, "group_by");
  JsonArray *array = aq_pipeline_step_get_array (step, "aggregates");
  g_autoptr(GPtrArray) columns = columns_new ();

  if (!need_columns (step, input, (const char * const *) group_by, error))
    return FALSE;
  for (guint i = 0; group_by[i]; i++)
    {
      AqPipelineColumn *source = aq_pipeline_columns_find (input, group_by[i]);
      g_ptr_array_add (columns, aq_pipeline_column_new (group_by[i], source ? source->type : NULL));
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      const char *column = member_string (item, "column");
      const char *function = member_string (item, "function");
      AqPipelineColumn *source = column ? aq_pipeline_columns_find (input, column) : NULL;
      g_autofree char *type = NULL;

      if (column && !need_column (step, input, column, error))
        return FALSE;
      type = aggregate_type (function, source ? source->type : NULL);
      g_ptr_array_add (columns, aq_pipeline_column_new (member_string (item, "name"), type));
    }
  *out = g_steal_pointer (&columns);
  return TRUE;
}

static gboolean
check_union (AqPipelineCompiler  *self,
             AqPipelineStep      *step,
             GPtrArray          **out,
             GError             **error)
{
  GPtrArray *inputs = aq_pipeline_step_get_inputs (step);
  AqPipelineStep *first = NULL;
  GPtrArray *first_columns = NULL;

  for (guint i = 0; i < inputs->len; i++)
    {
      AqPipelineStep *input = g_ptr_array_index (inputs, i);
      GPtrArray *columns = aq_pipeline_compiler_get_columns (self, input);

      if (columns == NULL)
        continue;
      if (first == NULL)
        {
          first = input;
          first_columns = columns;
          continue;
        }
      for (guint j = 0; j < first_columns->len; j++)
        {
          AqPipelineColumn *a = g_ptr_array_index (first_columns, j);
          AqPipelineColumn *b = aq_pipeline_columns_find (columns, a->name);

          if (b == NULL)
            return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                          "input “%s” has no column “%s”, which “%s” has",
                                          aq_pipeline_step_get_id (input), a->name,
                                          aq_pipeline_step_get_id (first));
          if (!aq_pipeline_types_compatible (a->type, b->type))
            return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                          "column “%s” is %s in “%s” but %s in “%s”", a->name,
                                          a->type, aq_pipeline_step_get_id (first), b->type,
                                          aq_pipeline_step_get_id (input));
        }
      for (guint j = 0; j < columns->len; j++)
        {
          AqPipelineColumn *b = g_ptr_array_index (columns, j);

          if (aq_pipeline_columns_find (first_columns, b->name) == NULL)
            return aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                          "input “%s” has a column “%s”, which “%s” has not",
                                          aq_pipeline_step_get_id (input), b->name,
                                          aq_pipeline_step_get_id (first));
        }
    }
  *out = aq_pipeline_columns_copy (first_columns);
  return TRUE;
}

static gboolean
check_output (AqPipelineStep  *step,
              GPtrArray       *input,
              GError         **error)
{
  g_auto(GStrv) keys = aq_pipeline_step_dup_strv (step, "keys");
  JsonArray *indexes = aq_pipeline_step_get_array (step, "indexes");

  if (!need_columns (step, input, (const char * const *) keys, error))
    return FALSE;
  for (guint i = 0; indexes && i < json_array_get_length (indexes); i++)
    {
      JsonArray *index = json_array_get_array_element (indexes, i);

      for (guint j = 0; j < json_array_get_length (index); j++)
        if (!need_column (step, input, json_array_get_string_element (index, j), error))
          return FALSE;
    }
  return TRUE;
}

/* A step's entry is NULL while its columns are unknown. */
static void
columns_unref (gpointer columns)
{
  if (columns)
    g_ptr_array_unref (columns);
}

static void
set_columns_at (AqPipelineCompiler *self,
                guint               index,
                GPtrArray          *columns)
{
  columns_unref (g_ptr_array_index (self->columns, index));
  g_ptr_array_index (self->columns, index) = columns;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_compiler_finalize (GObject *object)
{
  AqPipelineCompiler *self = AQ_PIPELINE_COMPILER (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->watermarks, g_ptr_array_unref);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  g_clear_object (&self->pipeline);

  G_OBJECT_CLASS (aq_pipeline_compiler_parent_class)->finalize (object);
}

static void
aq_pipeline_compiler_class_init (AqPipelineCompilerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_pipeline_compiler_finalize;
}

static void
aq_pipeline_compiler_init (AqPipelineCompiler *self)
{
  self->columns = g_ptr_array_new_with_free_func (columns_unref);
  self->watermarks = g_ptr_array_new_with_free_func (g_free);
  self->sources = g_ptr_array_new_with_free_func (g_free);
}

/* ---- public API ---- */

AqPipelineCompiler *
aq_pipeline_compiler_new (AqPipeline *pipeline)
{
  AqPipelineCompiler *self;

  g_return_val_if_fail (AQ_IS_PIPELINE (pipeline), NULL);

  self = g_object_new (AQ_TYPE_PIPELINE_COMPILER, NULL);
  self->pipeline = g_object_ref (pipeline);
  g_ptr_array_set_size (self->columns, aq_pipeline_get_n_steps (pipeline));
  g_ptr_array_set_size (self->watermarks, aq_pipeline_get_n_steps (pipeline));
  g_ptr_array_set_size (self->sources, aq_pipeline_get_n_steps (pipeline));
  return self;
}

/**
 * aq_pipeline_compiler_get_columns:
 *
 * Returns: (transfer none) (nullable) (element-type AqPipelineColumn): what @step passes on,
 * or %NULL while that is unknown (a table input not yet described, or a step after one)
 */
GPtrArray *
aq_pipeline_compiler_get_columns (AqPipelineCompiler *self,
                                  AqPipelineStep     *step)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);
  return g_ptr_array_index (self->columns, aq_pipeline_step_get_index (step));
}

/* Returns: (transfer none) (nullable): the columns of a single-input step's input */
GPtrArray *
aq_pipeline_compiler_get_input_columns (AqPipelineCompiler *self,
                                        AqPipelineStep     *step)
{
  GPtrArray *inputs = aq_pipeline_step_get_inputs (step);

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);

  if (inputs->len == 0)
    return NULL;
  return aq_pipeline_compiler_get_columns (self, g_ptr_array_index (inputs, 0));
}

/* Replaces what is known of @step's columns with what the warehouse says; takes @columns. */
void
aq_pipeline_compiler_set_columns (AqPipelineCompiler *self,
                                  AqPipelineStep     *step,
                                  GPtrArray          *columns)
{
  g_return_if_fail (AQ_IS_PIPELINE_COMPILER (self));
  set_columns_at (self, aq_pipeline_step_get_index (step), columns);
}

/* The value of the watermark column the previous run loaded up to; %NULL loads everything. */
void
aq_pipeline_compiler_set_watermark (AqPipelineCompiler *self,
                                    AqPipelineStep     *step,
                                    const char         *value)
{
  guint index = aq_pipeline_step_get_index (step);

  g_return_if_fail (AQ_IS_PIPELINE_COMPILER (self));
  g_free (g_ptr_array_index (self->watermarks, index));
  g_ptr_array_index (self->watermarks, index) = g_strdup (value);
}

/**
 * aq_pipeline_compiler_set_table_family:
 * @tables: (array zero-terminated=1): the quoted schema.table names the family has now
 *
 * A table input over a family of tables (one per month, say) reads its SQL once per table,
 * {table} replaced by the table's name, all of them appended with UNION ALL.
 */
void
aq_pipeline_compiler_set_table_family (AqPipelineCompiler *self,
                                       AqPipelineStep     *step,
                                       const char * const *tables)
{
  g_autofree char *template = strip_statement (aq_pipeline_step_get_string (step, "sql"));
  g_autoptr(GString) sql = g_string_new (NULL);
  guint index = aq_pipeline_step_get_index (step);

  g_return_if_fail (AQ_IS_PIPELINE_COMPILER (self));

  for (guint i = 0; tables[i]; i++)
    {
      g_autoptr(GString) one = g_string_new (template);

      g_string_replace (one, "{table}", tables[i], 0);
      g_string_append_printf (sql, "%s(%s)", i ? "\nUNION ALL\n" : "", one->str);
    }
  g_free (g_ptr_array_index (self->sources, index));
  g_ptr_array_index (self->sources, index) = g_string_free (g_steal_pointer (&sql), FALSE);
}

const char *
aq_pipeline_compiler_get_watermark (AqPipelineCompiler *self,
                                    AqPipelineStep     *step)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), NULL);
  return g_ptr_array_index (self->watermarks, aq_pipeline_step_get_index (step));
}

/**
 * aq_pipeline_compiler_check:
 *
 * The checks that need no warehouse: the graph, then each step's columns in the pipeline's
 * order, as far as they can be known (declared by csv and json inputs, and what follows from
 * them). Errors are %AQ_ERROR_INVALID and name the step and the member or column.
 */
gboolean
aq_pipeline_compiler_check (AqPipelineCompiler  *self,
                            GError             **error)
{
  GPtrArray *order;

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), FALSE);

  order = aq_pipeline_get_order (self->pipeline, error);
  if (order == NULL)
    return FALSE;
  for (guint i = 0; i < order->len; i++)
    if (!aq_pipeline_compiler_check_step (self, g_ptr_array_index (order, i), error))
      return FALSE;
  return TRUE;
}

/**
 * aq_pipeline_compiler_check_step:
 *
 * Checks that every column @step names is in what flows into it (when that is known) and
 * works out the columns it passes on. Steps are checked in the pipeline's order.
 */
gboolean
aq_pipeline_compiler_check_step (AqPipelineCompiler  *self,
                                 AqPipelineStep      *step,
                                 GError             **error)
{
  GPtrArray *input;
  g_autoptr(GPtrArray) out = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (AQ_IS_PIPELINE_COMPILER (self), FALSE);

  input = aq_pipeline_compiler_get_input_columns (self, step);
  switch (aq_pipeline_step_get_kind (step))
    {
    case AQ_PIPELINE_STEP_TABLE_INPUT:
      {
        JsonObject *watermark = aq_pipeline_step_get_object (step, "watermark");
        GPtrArray *described = aq_pipeline_compiler_get_columns (self, step);
        g_autofree char *names = aq_pipeline_columns_to_string (described);

        out = aq_pipeline_columns_copy (described);
        if (watermark && described
            && !aq_pipeline_columns_find (described, member_string (watermark, "column")))
          ok = aq_pipeline_step_fail (step, AQ_ERROR_INVALID, error,
                                      "no column “%s” in what its SQL returns (columns: %s)",
                                      member_string (watermark, "column"), names);
      }
      break;
    case AQ_PIPELINE_STEP_CSV_INPUT:
    case AQ_PIPELINE_STEP_JSON_INPUT:
      out = declared_columns (step);
      break;
    case AQ_PIPELINE_STEP_SELECT:
      ok = check_select (step, input, &out, error);
      break;
    case AQ_PIPELINE_STEP_FILTER:
      out = aq_pipeline_columns_copy (input);
      break;
    case AQ_PIPELINE_STEP_CALCULATOR:
      ok = check_calculator (step, input, &out, error);
      break;
    case AQ_PIPELINE_STEP_VALUE_MAPPING:
      ok = check_value_mapping (step, input, &out, error);
      break;
    case AQ_PIPELINE_STEP_LOOKUP:
      ok = check_lookup (step, input, &out, error);
      break;
    case AQ_PIPELINE_STEP_DEDUPLICATE:
      {
        g_auto(GStrv) keys = aq_pipeline_step_dup_strv (step, "keys");

        ok = need_columns (step, input, (const char * const *) keys, error);
        out = aq_pipeline_columns_copy (input);
      }
      break;
    case AQ_PIPELINE_STEP_AGGREGATE:
      ok = check_aggregate (step, input, &out, error);
      break;
    case AQ_PIPELINE_STEP_UNION:
      ok = check_union (self, step, &out, error);
      break;
    case AQ_PIPELINE_STEP_TABLE_OUTPUT:
      ok = check_output (step, input, error);
      break;
    case AQ_PIPELINE_STEP_SQL:
    case AQ_PIPELINE_STEP_QUALITY_GATE:
      break;
    case AQ_PIPELINE_STEP_UNKNOWN:
    default:
      g_return_val_if_reached (FALSE);
    }
  if (!ok || !check_unique_names (step, out, error))
    return FALSE;
  set_columns_at (self, aq_pipeline_step_get_index (step), g_steal_pointer (&out));
  return TRUE;
}

/* aq-pipeline-step.c — one step of a pipeline graph
 *
 * A step keeps its JSON definition as it was written (a canvas adds members of its own, such
 * as positions, which the engine ignores) and checks that the members its type needs are there
 * and have the right JSON shape. What the members mean against data — columns, tables — is the
 * compiler's business.
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "aq-pipeline-step.h"

#include <stdarg.h>
#include <string.h>

#include "aq-error.h"
#include "aq-pipeline-private.h"

struct _AqPipelineStep
{
  GObject             parent_instance;
  JsonObject         *definition;
  char               *id;
  char               *kind_name;
  AqPipelineStepKind  kind;
  guint               index;
  GPtrArray          *inputs;   /* (element-type AqPipelineStep) unowned, in edge order */
};

G_DEFINE_FINAL_TYPE (AqPipelineStep, aq_pipeline_step, G_TYPE_OBJECT)

static const struct
{
  AqPipelineStepKind  kind;
  const char         *name;
  guint               min_inputs;
  guint               max_inputs;
} kinds[] = {
  { AQ_PIPELINE_STEP_TABLE_INPUT, "table_input", 0, 0 },
  { AQ_PIPELINE_STEP_CSV_INPUT, "csv_input", 0, 0 },
  { AQ_PIPELINE_STEP_JSON_INPUT, "json_input", 0, 0 },
  { AQ_PIPELINE_STEP_SELECT, "select", 1, 1 },
  { AQ_PIPELINE_STEP_FILTER, "filter", 1, 1 },
  { AQ_PIPELINE_STEP_CALCULATOR, "calculator", 1, 1 },
  { AQ_PIPELINE_STEP_VALUE_MAPPING, "value_mapping", 1, 1 },
  { AQ_PIPELINE_STEP_LOOKUP, "lookup", 1, 1 },
  { AQ_PIPELINE_STEP_DEDUPLICATE, "deduplicate", 1, 1 },
  { AQ_PIPELINE_STEP_AGGREGATE, "aggregate", 1, 1 },
  { AQ_PIPELINE_STEP_UNION, "union", 2, G_MAXUINT },
  { AQ_PIPELINE_STEP_TABLE_OUTPUT, "table_output", 1, 1 },
  /* edges into and out of a sql step only order it */
  { AQ_PIPELINE_STEP_SQL, "sql", 0, 0 },
  /* like sql: edges only order it (put it after the outputs it checks) */
  { AQ_PIPELINE_STEP_QUALITY_GATE, "quality_gate", 0, 0 },
};

static const char * const aggregate_functions[] = {
  "count", "count_distinct", "sum", "min", "max", "avg", NULL
};

static const char * const output_modes[] = { "append", "replace", "upsert", NULL };

/* Type names that have a space in them; anything else must be one word. */
static const char * const spaced_types[] = {
  "double precision", "character varying", "bit varying",
  "timestamp with time zone", "timestamp without time zone",
  "time with time zone", "time without time zone", NULL
};

/* ---- auxiliary methods ---- */

static gboolean
node_is_type (JsonNode *node,
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

/* A name the engine may write into DDL as a type: words, an optional modifier of numbers, an
 * optional array suffix — nothing that could carry an expression or a clause. */
static gboolean
is_type_name (const char *type)
{
  g_autofree char *words = NULL;
  const char *p = type;
  const char *end;

  if (type == NULL || !g_ascii_isalpha (*type))
    return FALSE;
  while (*p && *p != '(' && *p != '[')
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != ' ' && *p != '.')
        return FALSE;
      p++;
    }
  words = g_ascii_strdown (type, p - type);
  g_strchomp (words);
  if (strchr (words, ' ') && !g_strv_contains (spaced_types, words))
    return FALSE;
  if (*p == '(')
    {
      end = strchr (p, ')');
      if (end == NULL || end == p + 1)
        return FALSE;
      for (const char *q = p + 1; q < end; q++)
        if (!g_ascii_isdigit (*q) && *q != ',' && *q != ' ')
          return FALSE;
      p = end + 1;
    }
  if (*p == '[')
    return strcmp (p, "[]") == 0;
  return *p == '\0';
}

/* “schema.table” or “table”: each part becomes one quoted identifier. */
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

/* A quality gate names its rules: "rules": ["dw.fact_bill.bill_account", …]. */
static gboolean
check_gate_rules (AqPipelineStep  *self,
                  GError         **error)
{
  JsonNode *node = json_object_get_member (self->definition, "rules");
  JsonArray *rules;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node)
      || json_array_get_length (rules = json_node_get_array (node)) == 0)
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "quality_gate needs “rules”, a list of rule names");
  for (guint i = 0; i < json_array_get_length (rules); i++)
    if (!node_is_type (json_array_get_element (rules, i), G_TYPE_STRING))
      return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                    "“rules”[%u] must be a rule name", i);
  return TRUE;
}

/* @owner names what holds @member in messages, or NULL for the step itself. */
static gboolean
check_string (AqPipelineStep  *self,
              JsonObject      *object,
              const char      *owner,
              const char      *member,
              gboolean         required,
              GError         **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (!required)
        return TRUE;
      return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "%s needs “%s”",
                                    owner ? owner : self->kind_name, member);
    }
  if (!node_is_type (node, G_TYPE_STRING))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s”%s%s must be a string",
                                  member, owner ? " of " : "", owner ? owner : "");
  if (required && is_blank (json_node_get_string (node)))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s”%s%s is empty", member,
                                  owner ? " of " : "", owner ? owner : "");
  return TRUE;
}

static gboolean
check_boolean (AqPipelineStep  *self,
               const char      *member,
               GError         **error)
{
  JsonNode *node = json_object_get_member (self->definition, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || node_is_type (node, G_TYPE_BOOLEAN))
    return TRUE;
  return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s” must be true or false", member);
}

/* A list of column names: @node is the member's value, @what says where it is. */
static gboolean
check_names (AqPipelineStep  *self,
             JsonNode        *node,
             const char      *what,
             gboolean         allow_empty,
             GError         **error)
{
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "%s must be a list of column names", what);
  array = json_node_get_array (node);
  if (!allow_empty && json_array_get_length (array) == 0)
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "%s is empty", what);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (!node_is_type (item, G_TYPE_STRING) || is_blank (json_node_get_string (item)))
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                      "%s must be a list of column names", what);
    }
  return TRUE;
}

static gboolean
check_optional_names (AqPipelineStep  *self,
                      const char      *member,
                      gboolean         required,
                      GError         **error)
{
  JsonNode *node = json_object_get_member (self->definition, member);
  g_autofree char *what = g_strdup_printf ("“%s”", member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "%s needs “%s”",
                                      self->kind_name, member);
      return TRUE;
    }
  return check_names (self, node, what, FALSE, error);
}

typedef gboolean (*CheckItemFunc) (AqPipelineStep  *self,
                                   JsonObject      *item,
                                   const char      *owner,
                                   GError         **error);

/* A required, non-empty list of objects, each checked by @check_item. */
static gboolean
check_objects (AqPipelineStep  *self,
               const char      *member,
               const char      *item_word,
               gboolean         allow_empty,
               CheckItemFunc    check_item,
               GError         **error)
{
  JsonNode *node = json_object_get_member (self->definition, member);
  JsonArray *array;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "%s needs “%s”", self->kind_name,
                                  member);
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s” must be a list", member);
  array = json_node_get_array (node);
  if (!allow_empty && json_array_get_length (array) == 0)
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s” is empty", member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *owner = g_strdup_printf ("%s %u of “%s”", item_word, i + 1, member);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "%s must be an object", owner);
      if (!check_item (self, json_node_get_object (item), owner, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_declared_column (AqPipelineStep  *self,
                       JsonObject      *item,
                       const char      *owner,
                       GError         **error)
{
  if (!check_string (self, item, owner, "name", TRUE, error)
      || !check_string (self, item, owner, "type", TRUE, error))
    return FALSE;
  if (!is_type_name (json_object_get_string_member (item, "type")))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s” is not a type name (%s)",
                                  json_object_get_string_member (item, "type"), owner);
  if (self->kind == AQ_PIPELINE_STEP_JSON_INPUT)
    return check_string (self, item, owner, "path", FALSE, error);
  return TRUE;
}

static gboolean
check_selected_column (AqPipelineStep  *self,
                       JsonObject      *item,
                       const char      *owner,
                       GError         **error)
{
  return check_string (self, item, owner, "name", TRUE, error)
         && check_string (self, item, owner, "from", FALSE, error);
}

static gboolean
check_calculated_column (AqPipelineStep  *self,
                         JsonObject      *item,
                         const char      *owner,
                         GError         **error)
{
  const char *type;

  if (!check_string (self, item, owner, "name", TRUE, error)
      || !check_string (self, item, owner, "expression", TRUE, error)
      || !check_string (self, item, owner, "type", FALSE, error))
    return FALSE;
  type = json_object_get_member (item, "type") ? json_object_get_string_member (item, "type")
                                               : NULL;
  if (type && !is_type_name (type))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s” is not a type name (%s)",
                                  type, owner);
  return TRUE;
}

static gboolean
check_lookup_key (AqPipelineStep  *self,
                  JsonObject      *item,
                  const char      *owner,
                  GError         **error)
{
  return check_string (self, item, owner, "input", TRUE, error)
         && check_string (self, item, owner, "table", TRUE, error);
}

static gboolean
check_aggregate (AqPipelineStep  *self,
                 JsonObject      *item,
                 const char      *owner,
                 GError         **error)
{
  const char *function;

  if (!check_string (self, item, owner, "name", TRUE, error)
      || !check_string (self, item, owner, "function", TRUE, error)
      || !check_string (self, item, owner, "column", FALSE, error))
    return FALSE;
  function = json_object_get_string_member (item, "function");
  if (!g_strv_contains (aggregate_functions, function))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "unknown function “%s” in %s (count, count_distinct, sum, min, max, avg)",
                                  function, owner);
  if (strcmp (function, "count") != 0 && json_object_get_member (item, "column") == NULL)
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "%s needs “column” for %s", owner,
                                  function);
  return TRUE;
}

static gboolean
check_scalar (JsonNode *node)
{
  return JSON_NODE_HOLDS_NULL (node)
         || node_is_type (node, G_TYPE_STRING) || node_is_type (node, G_TYPE_INT64)
         || node_is_type (node, G_TYPE_DOUBLE) || node_is_type (node, G_TYPE_BOOLEAN);
}

static gboolean
check_table_input (AqPipelineStep  *self,
                   GError         **error)
{
  JsonNode *watermark = json_object_get_member (self->definition, "watermark");
  JsonNode *tables = json_object_get_member (self->definition, "tables");

  if (!check_string (self, self->definition, NULL, "sql", TRUE, error)
      || !check_string (self, self->definition, NULL, "connection", FALSE, error))
    return FALSE;
  if (tables && !JSON_NODE_HOLDS_NULL (tables))
    {
      const char *connection = aq_pipeline_step_get_string (self, "connection");

      if (!JSON_NODE_HOLDS_OBJECT (tables))
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                      "“tables” must be an object like "
                                      "{\"schema\": \"src_billing\", \"pattern\": \"^bill_[0-9]{6}$\"}");
      if (!check_string (self, json_node_get_object (tables), "“tables”", "schema", TRUE, error)
          || !check_string (self, json_node_get_object (tables), "“tables”", "pattern", TRUE,
                            error))
        return FALSE;
      if (strstr (aq_pipeline_step_get_string (self, "sql"), "{table}") == NULL)
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                      "with “tables”, “sql” must name {table}");
      if (connection && strcmp (connection, "warehouse") != 0)
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                      "“tables” reads only from the warehouse connection");
    }
  if (watermark == NULL || JSON_NODE_HOLDS_NULL (watermark))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (watermark))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "“watermark” must be an object like {\"column\": \"updated_at\"}");
  return check_string (self, json_node_get_object (watermark), "“watermark”", "column", TRUE,
                       error);
}

static gboolean
check_csv_input (AqPipelineStep  *self,
                 GError         **error)
{
  const char *delimiter = aq_pipeline_step_get_string (self, "delimiter");
  const char *encoding = aq_pipeline_step_get_string (self, "encoding");

  if (!check_string (self, self->definition, NULL, "path", TRUE, error)
      || !check_boolean (self, "header", error)
      || !check_string (self, self->definition, NULL, "delimiter", FALSE, error)
      || !check_string (self, self->definition, NULL, "null", FALSE, error)
      || !check_string (self, self->definition, NULL, "encoding", FALSE, error)
      || !check_objects (self, "columns", "column", FALSE, check_declared_column, error))
    return FALSE;
  /* COPY takes these as literals, not parameters: keep them to what they can mean */
  if (delimiter && (strlen (delimiter) != 1 || strchr ("\"\r\n\\", *delimiter)))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "“delimiter” must be one character other than a quote, "
                                  "a backslash or a line break");
  if (encoding)
    for (const char *p = encoding; *p; p++)
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“%s” is not an encoding name",
                                      encoding);
  return TRUE;
}

static gboolean
check_value_mapping (AqPipelineStep  *self,
                     GError         **error)
{
  JsonNode *mapping = json_object_get_member (self->definition, "mapping");
  JsonNode *fallback = json_object_get_member (self->definition, "default");
  g_autoptr(GList) members = NULL;

  if (!check_string (self, self->definition, NULL, "column", TRUE, error)
      || !check_string (self, self->definition, NULL, "target", FALSE, error))
    return FALSE;
  if (mapping == NULL || JSON_NODE_HOLDS_NULL (mapping))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "value_mapping needs “mapping”");
  if (!JSON_NODE_HOLDS_OBJECT (mapping))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "“mapping” must be an object of value: replacement");
  members = json_object_get_members (json_node_get_object (mapping));
  for (GList *l = members; l; l = l->next)
    if (!check_scalar (json_object_get_member (json_node_get_object (mapping), l->data)))
      return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                    "the replacement of “%s” in “mapping” must be a string",
                                    (const char *) l->data);
  if (fallback && !check_scalar (fallback))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "“default” must be a string");
  return TRUE;
}

static gboolean
check_lookup (AqPipelineStep  *self,
              GError         **error)
{
  const char *join = aq_pipeline_step_get_string (self, "join");

  if (!check_string (self, self->definition, NULL, "table", TRUE, error)
      || !check_string (self, self->definition, NULL, "join", FALSE, error)
      || !check_objects (self, "keys", "key", FALSE, check_lookup_key, error)
      || !check_objects (self, "columns", "column", TRUE, check_selected_column, error))
    return FALSE;
  if (!is_table_name (aq_pipeline_step_get_string (self, "table")))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "“%s” is not a table name (write schema.table)",
                                  aq_pipeline_step_get_string (self, "table"));
  if (join && strcmp (join, "left") != 0 && strcmp (join, "inner") != 0)
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "unknown join “%s” (left or inner)", join);
  return TRUE;
}

static gboolean
check_table_output (AqPipelineStep  *self,
                    GError         **error)
{
  const char *mode = aq_pipeline_step_get_string (self, "mode");
  JsonNode *indexes = json_object_get_member (self->definition, "indexes");

  if (!check_string (self, self->definition, NULL, "table", TRUE, error)
      || !check_string (self, self->definition, NULL, "mode", FALSE, error)
      || !check_boolean (self, "create", error)
      || !check_optional_names (self, "keys", mode && strcmp (mode, "upsert") == 0, error))
    return FALSE;
  if (!is_table_name (aq_pipeline_step_get_string (self, "table")))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "“%s” is not a table name (write schema.table)",
                                  aq_pipeline_step_get_string (self, "table"));
  if (mode && !g_strv_contains (output_modes, mode))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "unknown mode “%s” (append, replace or upsert)", mode);
  if (indexes == NULL || JSON_NODE_HOLDS_NULL (indexes))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (indexes))
    return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                  "“indexes” must be a list of lists of column names");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (indexes)); i++)
    {
      g_autofree char *what = g_strdup_printf ("index %u of “indexes”", i + 1);

      if (!check_names (self, json_array_get_element (json_node_get_array (indexes), i), what,
                        FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- GObject overrides ---- */

static void
aq_pipeline_step_finalize (GObject *object)
{
  AqPipelineStep *self = AQ_PIPELINE_STEP (object);

  g_clear_pointer (&self->definition, json_object_unref);
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->kind_name, g_free);
  g_clear_pointer (&self->inputs, g_ptr_array_unref);

  G_OBJECT_CLASS (aq_pipeline_step_parent_class)->finalize (object);
}

static void
aq_pipeline_step_class_init (AqPipelineStepClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_pipeline_step_finalize;
}

static void
aq_pipeline_step_init (AqPipelineStep *self)
{
  self->inputs = g_ptr_array_new ();
}

/* ---- private API ---- */

void
_aq_pipeline_step_clear_inputs (AqPipelineStep *self)
{
  g_ptr_array_set_size (self->inputs, 0);
}

void
_aq_pipeline_step_add_input (AqPipelineStep *self,
                             AqPipelineStep *input)
{
  g_ptr_array_add (self->inputs, input);
}

/* ---- public API ---- */

AqPipelineStepKind
aq_pipeline_step_kind_from_name (const char *name)
{
  for (guint i = 0; name && i < G_N_ELEMENTS (kinds); i++)
    if (strcmp (kinds[i].name, name) == 0)
      return kinds[i].kind;
  return AQ_PIPELINE_STEP_UNKNOWN;
}

const char *
aq_pipeline_step_kind_to_name (AqPipelineStepKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == kind)
      return kinds[i].name;
  return NULL;
}

/* A statement may be written as an array of lines, so that a pipeline file reads like SQL;
 * the rest of the engine sees one string. Arrays holding anything but strings are left for
 * the checks to refuse. */
static void
join_sql_lines (JsonObject *definition)
{
  JsonNode *node = json_object_get_member (definition, "sql");
  g_autoptr(GString) joined = NULL;
  JsonArray *lines;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  lines = json_node_get_array (node);
  joined = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *line = json_array_get_element (lines, i);

      if (!node_is_type (line, G_TYPE_STRING))
        return;
      if (i > 0)
        g_string_append_c (joined, '\n');
      g_string_append (joined, json_node_get_string (line));
    }
  json_object_set_string_member (definition, "sql", joined->str);
}

/**
 * aq_pipeline_step_new:
 * @definition: the step's object from the pipeline JSON
 * @index: its place in the pipeline's “steps”
 *
 * Never fails: a step without an id or with an unknown type still exists, so that a canvas
 * can show it, and aq_pipeline_step_check_fields() says what is wrong with it.
 */
AqPipelineStep *
aq_pipeline_step_new (JsonObject *definition,
                      guint       index)
{
  AqPipelineStep *self;
  JsonNode *id;
  JsonNode *type;

  g_return_val_if_fail (definition != NULL, NULL);

  self = g_object_new (AQ_TYPE_PIPELINE_STEP, NULL);
  self->definition = json_object_ref (definition);
  self->index = index;
  join_sql_lines (definition);
  id = json_object_get_member (definition, "id");
  type = json_object_get_member (definition, "type");
  if (node_is_type (id, G_TYPE_STRING))
    self->id = g_strdup (json_node_get_string (id));
  if (node_is_type (type, G_TYPE_STRING))
    self->kind_name = g_strdup (json_node_get_string (type));
  self->kind = aq_pipeline_step_kind_from_name (self->kind_name);
  return self;
}

/* The id as written, or NULL when the step has none (aq_pipeline_runner_validate() says so). */
const char *
aq_pipeline_step_get_id (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);
  return self->id;
}

AqPipelineStepKind
aq_pipeline_step_get_kind (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), AQ_PIPELINE_STEP_UNKNOWN);
  return self->kind;
}

/* The “type” as written, also when the engine does not know it. */
const char *
aq_pipeline_step_get_kind_name (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);
  return self->kind_name;
}

guint
aq_pipeline_step_get_index (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), 0);
  return self->index;
}

JsonObject *
aq_pipeline_step_get_definition (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);
  return self->definition;
}

gboolean
aq_pipeline_step_is_input (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), FALSE);
  return self->kind == AQ_PIPELINE_STEP_TABLE_INPUT || self->kind == AQ_PIPELINE_STEP_CSV_INPUT
         || self->kind == AQ_PIPELINE_STEP_JSON_INPUT;
}

gboolean
aq_pipeline_step_is_output (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), FALSE);
  return self->kind == AQ_PIPELINE_STEP_TABLE_OUTPUT;
}

/* Whether the step produces rows another step can read. */
gboolean
aq_pipeline_step_passes_rows (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), FALSE);
  return self->kind != AQ_PIPELINE_STEP_UNKNOWN && self->kind != AQ_PIPELINE_STEP_TABLE_OUTPUT
         && self->kind != AQ_PIPELINE_STEP_SQL && self->kind != AQ_PIPELINE_STEP_QUALITY_GATE;
}

guint
aq_pipeline_step_get_min_inputs (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == self->kind)
      return kinds[i].min_inputs;
  return 0;
}

guint
aq_pipeline_step_get_max_inputs (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), 0);
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].kind == self->kind)
      return kinds[i].max_inputs;
  return G_MAXUINT;
}

/**
 * aq_pipeline_step_get_inputs:
 *
 * Returns: (transfer none) (element-type AqPipelineStep): the steps whose rows this one reads,
 * in the order of the edges; ordering edges of sql steps are not among them.
 */
GPtrArray *
aq_pipeline_step_get_inputs (AqPipelineStep *self)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);
  return self->inputs;
}

/* A string member, or NULL when it is missing or not a string. */
const char *
aq_pipeline_step_get_string (AqPipelineStep *self,
                             const char     *member)
{
  JsonNode *node;

  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);

  node = json_object_get_member (self->definition, member);
  return node_is_type (node, G_TYPE_STRING) ? json_node_get_string (node) : NULL;
}

gboolean
aq_pipeline_step_get_boolean (AqPipelineStep *self,
                              const char     *member,
                              gboolean        default_value)
{
  JsonNode *node;

  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), default_value);

  node = json_object_get_member (self->definition, member);
  return node_is_type (node, G_TYPE_BOOLEAN) ? json_node_get_boolean (node) : default_value;
}

JsonArray *
aq_pipeline_step_get_array (AqPipelineStep *self,
                            const char     *member)
{
  JsonNode *node;

  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);

  node = json_object_get_member (self->definition, member);
  return node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

JsonObject *
aq_pipeline_step_get_object (AqPipelineStep *self,
                             const char     *member)
{
  JsonNode *node;

  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);

  node = json_object_get_member (self->definition, member);
  return node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The strings of an array member; an empty vector when it is missing. */
char **
aq_pipeline_step_dup_strv (AqPipelineStep *self,
                           const char     *member)
{
  JsonArray *array;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), NULL);

  array = aq_pipeline_step_get_array (self, member);
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);

      if (node_is_type (item, G_TYPE_STRING))
        g_strv_builder_add (builder, json_node_get_string (item));
    }
  return g_strv_builder_end (builder);
}

/**
 * aq_pipeline_step_check_fields:
 *
 * Checks that the step has an id, a known type and the members that type needs, each of the
 * right JSON shape. The messages name the step and the member.
 */
gboolean
aq_pipeline_step_check_fields (AqPipelineStep  *self,
                               GError         **error)
{
  g_return_val_if_fail (AQ_IS_PIPELINE_STEP (self), FALSE);

  if (self->kind == AQ_PIPELINE_STEP_UNKNOWN)
    {
      if (self->kind_name == NULL)
        return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error, "needs a “type”");
      return aq_pipeline_step_fail (self, AQ_ERROR_INVALID, error,
                                    "unknown type “%s” (table_input, csv_input, json_input, "
                                    "select, filter, calculator, value_mapping, lookup, deduplicate, "
                                    "aggregate, union, table_output or sql)", self->kind_name);
    }

  switch (self->kind)
    {
    case AQ_PIPELINE_STEP_TABLE_INPUT:
      return check_table_input (self, error);
    case AQ_PIPELINE_STEP_CSV_INPUT:
      return check_csv_input (self, error);
    case AQ_PIPELINE_STEP_JSON_INPUT:
      return check_string (self, self->definition, NULL, "path", TRUE, error)
             && check_objects (self, "columns", "column", FALSE, check_declared_column, error);
    case AQ_PIPELINE_STEP_SELECT:
      return check_objects (self, "columns", "column", FALSE, check_selected_column, error);
    case AQ_PIPELINE_STEP_FILTER:
      return check_string (self, self->definition, NULL, "condition", TRUE, error);
    case AQ_PIPELINE_STEP_CALCULATOR:
      return check_objects (self, "columns", "column", FALSE, check_calculated_column, error);
    case AQ_PIPELINE_STEP_VALUE_MAPPING:
      return check_value_mapping (self, error);
    case AQ_PIPELINE_STEP_LOOKUP:
      return check_lookup (self, error);
    case AQ_PIPELINE_STEP_DEDUPLICATE:
      return check_optional_names (self, "keys", FALSE, error)
             && check_string (self, self->definition, NULL, "order_by", FALSE, error);
    case AQ_PIPELINE_STEP_AGGREGATE:
      return check_optional_names (self, "group_by", FALSE, error)
             && check_objects (self, "aggregates", "aggregate", FALSE, check_aggregate, error);
    case AQ_PIPELINE_STEP_UNION:
      return check_boolean (self, "all", error);
    case AQ_PIPELINE_STEP_TABLE_OUTPUT:
      return check_table_output (self, error);
    case AQ_PIPELINE_STEP_SQL:
      return check_string (self, self->definition, NULL, "sql", TRUE, error)
             && check_string (self, self->definition, NULL, "native", FALSE, error);
    case AQ_PIPELINE_STEP_QUALITY_GATE:
      return check_gate_rules (self, error);
    case AQ_PIPELINE_STEP_UNKNOWN:
    default:
      g_assert_not_reached ();
    }
}

/* A JSON value as the text a parameter or COPY carries: objects and arrays as JSON (for
 * json/jsonb columns), null and missing members as NULL. */
char *
aq_pipeline_json_value_text (JsonNode *node)
{
  GType type;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    return json_to_string (node, FALSE);
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_DOUBLE)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
    }
  return NULL;
}

/* Sets an error naming the step: “step “id”: message”. Returns FALSE, for `return …;`. */
gboolean
aq_pipeline_step_fail (AqPipelineStep  *step, int              code, GError         **error,
                       const char      *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, AQ_ERROR, code, "step “%s”: %s", step->id, message);
  return FALSE;
}

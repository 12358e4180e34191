/* aq-pipeline-schema.c — what each step type has: members, their kinds, which are required
 *
 * One table per step type, read by three parties: the editor builds a step's form from it
 * (SQL members get a source view, column members a picker fed with the columns flowing in),
 * the canvas takes each type's icon and key setting from it, and aq-pipeline-validate.c
 * checks a step's members against it. The engine's own checks (aq-pipeline-step.c) stay
 * the last word: validation runs them too, so the table cannot let through what a run would
 * refuse.
 */
#define G_LOG_DOMAIN "aq-pipeline-schema"

#include "config.h"

#include "aq-pipeline-schema.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define END { NULL, 0, FALSE, FALSE, NULL, NULL, NULL }

static const char * const joins[] = { "left", "inner", NULL };
static const char * const modes[] = { "append", "replace", "upsert", NULL };
static const char * const functions[] = {
  "count", "count_distinct", "sum", "min", "max", "avg", NULL
};

static const AqPipelineMember table_family[] = {
  { "schema", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Schema"), NULL, NULL },
  { "pattern", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Table name pattern"), NULL, NULL },
  END
};

static const AqPipelineMember watermark[] = {
  { "column", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Column"), NULL, NULL },
  END
};

static const AqPipelineMember table_input[] = {
  { "connection", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Connection"), NULL, NULL },
  { "sql", AQ_PIPELINE_MEMBER_SQL, TRUE, FALSE, N_("Query"), NULL, NULL },
  { "tables", AQ_PIPELINE_MEMBER_OBJECT, FALSE, FALSE, N_("Table family"), NULL, table_family },
  { "watermark", AQ_PIPELINE_MEMBER_OBJECT, FALSE, FALSE, N_("Watermark"), NULL, watermark },
  END
};

static const AqPipelineMember declared_column[] = {
  { "name", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Name"), NULL, NULL },
  { "type", AQ_PIPELINE_MEMBER_TYPE, TRUE, FALSE, N_("Type"), NULL, NULL },
  END
};

static const AqPipelineMember csv_input[] = {
  { "path", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("File"), NULL, NULL },
  { "header", AQ_PIPELINE_MEMBER_BOOLEAN, FALSE, FALSE, N_("First line is a header"), NULL, NULL },
  { "delimiter", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Delimiter"), NULL, NULL },
  { "null", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Text for NULL"), NULL, NULL },
  { "encoding", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Encoding"), NULL, NULL },
  { "columns", AQ_PIPELINE_MEMBER_LIST, TRUE, FALSE, N_("Columns"), NULL, declared_column },
  END
};

static const AqPipelineMember json_column[] = {
  { "name", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Name"), NULL, NULL },
  { "type", AQ_PIPELINE_MEMBER_TYPE, TRUE, FALSE, N_("Type"), NULL, NULL },
  { "path", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Path in the object"), NULL, NULL },
  END
};

static const AqPipelineMember json_input[] = {
  { "path", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("File"), NULL, NULL },
  { "columns", AQ_PIPELINE_MEMBER_LIST, TRUE, FALSE, N_("Columns"), NULL, json_column },
  END
};

static const AqPipelineMember selected_column[] = {
  { "name", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Name"), NULL, NULL },
  { "from", AQ_PIPELINE_MEMBER_COLUMN, FALSE, FALSE, N_("From column"), NULL, NULL },
  END
};

static const AqPipelineMember select_step[] = {
  { "columns", AQ_PIPELINE_MEMBER_LIST, TRUE, FALSE, N_("Columns"), NULL, selected_column },
  END
};

static const AqPipelineMember filter[] = {
  { "condition", AQ_PIPELINE_MEMBER_SQL, TRUE, FALSE, N_("Condition"), NULL, NULL },
  END
};

static const AqPipelineMember calculated_column[] = {
  { "name", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Name"), NULL, NULL },
  { "expression", AQ_PIPELINE_MEMBER_SQL, TRUE, FALSE, N_("Expression"), NULL, NULL },
  { "type", AQ_PIPELINE_MEMBER_TYPE, FALSE, FALSE, N_("Type"), NULL, NULL },
  END
};

static const AqPipelineMember calculator[] = {
  { "columns", AQ_PIPELINE_MEMBER_LIST, TRUE, FALSE, N_("Columns"), NULL, calculated_column },
  END
};

static const AqPipelineMember value_mapping[] = {
  { "column", AQ_PIPELINE_MEMBER_COLUMN, TRUE, FALSE, N_("Column"), NULL, NULL },
  { "target", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Write into"), NULL, NULL },
  { "mapping", AQ_PIPELINE_MEMBER_MAPPING, TRUE, FALSE, N_("Mapping"), NULL, NULL },
  { "default", AQ_PIPELINE_MEMBER_SCALAR, FALSE, FALSE, N_("Otherwise"), NULL, NULL },
  END
};

static const AqPipelineMember lookup_key[] = {
  { "input", AQ_PIPELINE_MEMBER_COLUMN, TRUE, FALSE, N_("Input column"), NULL, NULL },
  { "table", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Table column"), NULL, NULL },
  END
};

static const AqPipelineMember lookup_column[] = {
  { "name", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Name"), NULL, NULL },
  { "from", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Table column"), NULL, NULL },
  END
};

static const AqPipelineMember lookup[] = {
  { "table", AQ_PIPELINE_MEMBER_TABLE, TRUE, FALSE, N_("Table"), NULL, NULL },
  { "join", AQ_PIPELINE_MEMBER_CHOICE, FALSE, FALSE, N_("Join"), joins, NULL },
  { "keys", AQ_PIPELINE_MEMBER_LIST, TRUE, FALSE, N_("Keys"), NULL, lookup_key },
  { "columns", AQ_PIPELINE_MEMBER_LIST, TRUE, TRUE, N_("Columns"), NULL, lookup_column },
  END
};

static const AqPipelineMember deduplicate[] = {
  { "keys", AQ_PIPELINE_MEMBER_COLUMNS, FALSE, FALSE, N_("Keys"), NULL, NULL },
  { "order_by", AQ_PIPELINE_MEMBER_SQL, FALSE, FALSE, N_("Keep the first by"), NULL, NULL },
  END
};

static const AqPipelineMember aggregate_item[] = {
  { "name", AQ_PIPELINE_MEMBER_TEXT, TRUE, FALSE, N_("Name"), NULL, NULL },
  { "function", AQ_PIPELINE_MEMBER_CHOICE, TRUE, FALSE, N_("Function"), functions, NULL },
  { "column", AQ_PIPELINE_MEMBER_COLUMN, FALSE, FALSE, N_("Column"), NULL, NULL },
  END
};

static const AqPipelineMember aggregate[] = {
  { "group_by", AQ_PIPELINE_MEMBER_COLUMNS, FALSE, FALSE, N_("Group by"), NULL, NULL },
  { "aggregates", AQ_PIPELINE_MEMBER_LIST, TRUE, FALSE, N_("Aggregates"), NULL, aggregate_item },
  END
};

static const AqPipelineMember union_step[] = {
  { "all", AQ_PIPELINE_MEMBER_BOOLEAN, FALSE, FALSE, N_("Keep duplicates"), NULL, NULL },
  END
};

static const AqPipelineMember table_output[] = {
  { "table", AQ_PIPELINE_MEMBER_TABLE, TRUE, FALSE, N_("Table"), NULL, NULL },
  { "mode", AQ_PIPELINE_MEMBER_CHOICE, FALSE, FALSE, N_("Mode"), modes, NULL },
  { "create", AQ_PIPELINE_MEMBER_BOOLEAN, FALSE, FALSE, N_("Create the table"), NULL, NULL },
  { "keys", AQ_PIPELINE_MEMBER_COLUMNS, FALSE, FALSE, N_("Keys"), NULL, NULL },
  { "indexes", AQ_PIPELINE_MEMBER_JSON, FALSE, FALSE, N_("Indexes"), NULL, NULL },
  END
};

static const AqPipelineMember sql_step[] = {
  { "sql", AQ_PIPELINE_MEMBER_SQL, TRUE, FALSE, N_("Statements"), NULL, NULL },
  { "native", AQ_PIPELINE_MEMBER_TEXT, FALSE, FALSE, N_("Native function"), NULL, NULL },
  END
};

static const AqPipelineMember quality_gate[] = {
  { "rules", AQ_PIPELINE_MEMBER_STRINGS, TRUE, FALSE, N_("Rules"), NULL, NULL },
  END
};

static const AqPipelineStepSchema schemas[] = {
  { "table_input", N_("Table input"), "drive-harddisk-symbolic", "sql", 0, 0, TRUE,
    table_input },
  { "csv_input", N_("CSV input"), "x-office-spreadsheet-symbolic", "path", 0, 0, TRUE,
    csv_input },
  { "json_input", N_("JSON input"), "text-x-generic-symbolic", "path", 0, 0, TRUE, json_input },
  { "select", N_("Select columns"), "view-list-symbolic", "columns", 1, 1, TRUE, select_step },
  { "filter", N_("Filter rows"), "edit-find-symbolic", "condition", 1, 1, TRUE, filter },
  { "calculator", N_("Calculator"), "accessories-calculator-symbolic", "columns", 1, 1, TRUE,
    calculator },
  { "value_mapping", N_("Value mapping"), "edit-find-replace-symbolic", "column", 1, 1, TRUE,
    value_mapping },
  { "lookup", N_("Lookup"), "system-search-symbolic", "table", 1, 1, TRUE, lookup },
  { "deduplicate", N_("Deduplicate"), "edit-copy-symbolic", "keys", 1, 1, TRUE, deduplicate },
  { "aggregate", N_("Aggregate"), "view-sort-ascending-symbolic", "group_by", 1, 1, TRUE,
    aggregate },
  { "union", N_("Union"), "list-add-symbolic", "all", 2, G_MAXUINT, TRUE, union_step },
  { "table_output", N_("Table output"), "document-save-symbolic", "table", 1, 1, FALSE,
    table_output },
  /* edges into and out of these only order them */
  { "sql", N_("SQL statements"), "utilities-terminal-symbolic", "sql", 0, 0, FALSE, sql_step },
  { "quality_gate", N_("Quality gate"), "checkbox-checked-symbolic", "rules", 0, 0, FALSE,
    quality_gate },
};

/* Type names that have a space in them; anything else must be one word (as the engine). */
static const char * const spaced_types[] = {
  "double precision", "character varying", "bit varying",
  "timestamp with time zone", "timestamp without time zone",
  "time with time zone", "time without time zone", NULL
};

const AqPipelineStepSchema *
aq_pipeline_schema_lookup (const char *type)
{
  for (guint i = 0; type && i < G_N_ELEMENTS (schemas); i++)
    if (strcmp (schemas[i].type, type) == 0)
      return &schemas[i];
  return NULL;
}

/* Every step type, in the palette's order. */
const AqPipelineStepSchema *
aq_pipeline_schema_get_all (guint *n_types)
{
  if (n_types)
    *n_types = G_N_ELEMENTS (schemas);
  return schemas;
}

const AqPipelineMember *
aq_pipeline_schema_get_member (const AqPipelineStepSchema *schema,
                               const char                 *name)
{
  g_return_val_if_fail (schema != NULL, NULL);

  for (const AqPipelineMember *m = schema->members; name && m->name; m++)
    if (strcmp (m->name, name) == 0)
      return m;
  return NULL;
}

/* What the engine accepts as a type in DDL: words, a modifier of numbers, an array suffix. */
gboolean
aq_pipeline_schema_is_type_name (const char *type)
{
  g_autofree char *words = NULL;
  const char *p = type;

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
      const char *end = strchr (p, ')');

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

/* aq-ktr-import-steps.c — each Kettle step type onto our step types
 *
 * One function per Kettle type the issue lists (docs/PIPELINES.md "Kettle import" has the
 * table). Each returns NULL when the step became ours, or why it could not — then the step is
 * listed, not guessed at: a filter with an operator we do not have, a calculation we do not
 * know, a select that removes fields (our select names what it keeps), a stream lookup whose
 * lookup stream is more than a plain read of one warehouse table.
 *
 * A few Kettle steps become two of ours: a table output that names its fields (a select that
 * renames stream fields to table columns, then the output), an insert/update (the same, with
 * an upsert on the key columns), and a filter whose false rows go somewhere (a second filter
 * with the negated condition, on the same input). SQL is written here from Kettle's field
 * names and values: identifiers always double-quoted, values always single-quoted literals.
 */
#define G_LOG_DOMAIN "aq-ktr-import"

#include "config.h"

#include "aq-ktr-import-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

/* ---- SQL text ---- */

static char *
quote_ident (const char *name)
{
  GString *s = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static char *
quote_literal (const char *text)
{
  GString *s = g_string_new ("'");

  for (const char *p = text; *p; p++)
    {
      if (*p == '\'')
        g_string_append_c (s, '\'');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '\'');
  return g_string_free (s, FALSE);
}

/* Kettle's value types as PostgreSQL's; NULL for what has none (Binary, Serializable…). */
static const char *
pg_type (const char *kettle)
{
  static const struct { const char *kettle, *pg; } types[] = {
    { "String", "text" }, { "Integer", "bigint" }, { "Number", "double precision" },
    { "BigNumber", "numeric" }, { "Date", "timestamp" }, { "Timestamp", "timestamp" },
    { "Boolean", "boolean" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (g_ascii_strcasecmp (kettle, types[i].kettle) == 0)
      return types[i].pg;
  return NULL;
}

static gboolean
is_number (const char *text)
{
  char *end = NULL;

  if (*text == '\0')
    return FALSE;
  g_ascii_strtod (text, &end);
  return end && *end == '\0' && strpbrk (text, "xXnN") == NULL;
}

/* A Kettle constant as a SQL literal of its type. */
static char *
typed_literal (const char *text,
               const char *kettle_type)
{
  if (g_ascii_strcasecmp (kettle_type, "Integer") == 0
      || g_ascii_strcasecmp (kettle_type, "Number") == 0
      || g_ascii_strcasecmp (kettle_type, "BigNumber") == 0)
    {
      if (is_number (text))
        return g_strdup (text);
    }
  else if (g_ascii_strcasecmp (kettle_type, "Boolean") == 0)
    {
      if (g_ascii_strcasecmp (text, "Y") == 0 || g_ascii_strcasecmp (text, "true") == 0)
        return g_strdup ("true");
      if (g_ascii_strcasecmp (text, "N") == 0 || g_ascii_strcasecmp (text, "false") == 0)
        return g_strdup ("false");
    }
  else if (g_ascii_strcasecmp (kettle_type, "Date") == 0
           || g_ascii_strcasecmp (kettle_type, "Timestamp") == 0)
    {
      /* Kettle writes dates as yyyy/MM/dd HH:mm:ss.SSS */
      g_autofree char *iso = g_strdup (text);
      g_autofree char *quoted = NULL;

      g_strdelimit (iso, "/", '-');
      quoted = quote_literal (iso);
      return g_strconcat (quoted, "::timestamp", NULL);
    }
  return quote_literal (text);
}

static JsonArray *
sql_lines (const char *sql)
{
  g_auto(GStrv) lines = g_strsplit (sql, "\n", -1);
  JsonArray *array = json_array_new ();

  for (guint i = 0; lines[i]; i++)
    {
      gsize len = strlen (lines[i]);

      if (len > 0 && lines[i][len - 1] == '\r')
        lines[i][len - 1] = '\0';
      g_strchomp (lines[i]);
      json_array_add_string_element (array, lines[i]);
    }
  return array;
}

/* The <field> children of @node's child @list. */
#define FOR_FIELDS(field, node, list) \
  for (xmlNode *field = _aq_ktr_child (_aq_ktr_child ((node), (list)), "field"); \
       field; field = next_named (field, "field"))

static xmlNode *
next_named (xmlNode    *node,
            const char *name)
{
  for (xmlNode *c = node->next; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && strcmp ((const char *) c->name, name) == 0)
      return c;
  return NULL;
}

static xmlNode *
first_named (xmlNode    *parent,
             const char *name)
{
  return _aq_ktr_child (parent, name);
}

static guint
count_hops_from (KtrContext *ctx,
                 const char *name)
{
  xmlNode *order = _aq_ktr_child (ctx->root, "order");
  guint n = 0;

  for (xmlNode *h = order ? first_named (order, "hop") : NULL; h; h = next_named (h, "hop"))
    {
      g_autofree char *from = _aq_ktr_text (h, "from");

      if (g_str_equal (from, name))
        n++;
    }
  return n;
}

/* ---- filter conditions ---- */

static char *condition_sql (xmlNode *node, char **why);

static char *
leaf_sql (xmlNode  *node,
          char    **why)
{
  g_autofree char *left = _aq_ktr_text (node, "leftvalue");
  g_autofree char *function = _aq_ktr_text (node, "function");
  g_autofree char *right = _aq_ktr_text (node, "rightvalue");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  xmlNode *value = _aq_ktr_child (node, "value");

  if (g_ascii_strcasecmp (function, "TRUE") == 0 && *left == '\0')
    return g_strdup ("true");
  if (*left == '\0')
    {
      *why = g_strdup (_("a condition without a field"));
      return NULL;
    }
  a = quote_ident (left);
  if (*right)
    b = quote_ident (right);
  else if (value && _aq_ktr_flag (value, "isnull"))
    b = g_strdup ("NULL");
  else if (value)
    {
      g_autofree char *text = _aq_ktr_text (value, "text");
      g_autofree char *type = _aq_ktr_text (value, "type");

      if (g_ascii_strcasecmp (function, "IN LIST") == 0)
        {
          g_auto(GStrv) items = g_strsplit (text, ";", -1);
          g_autoptr(GString) list = g_string_new (NULL);

          for (guint i = 0; items[i]; i++)
            {
              g_autofree char *item = typed_literal (items[i], type);

              g_string_append_printf (list, "%s%s", i ? ", " : "", item);
            }
          return g_strdup_printf ("%s IN (%s)", a, list->str);
        }
      b = typed_literal (text, type);
    }

  if (g_ascii_strcasecmp (function, "IS NULL") == 0)
    return g_strdup_printf ("%s IS NULL", a);
  if (g_ascii_strcasecmp (function, "IS NOT NULL") == 0)
    return g_strdup_printf ("%s IS NOT NULL", a);
  if (b == NULL)
    {
      *why = g_strdup_printf (_("the condition on “%s” compares with nothing"), left);
      return NULL;
    }
  if (g_str_equal (function, "=") || g_str_equal (function, "<>")
      || g_str_equal (function, "<") || g_str_equal (function, "<=")
      || g_str_equal (function, ">") || g_str_equal (function, ">="))
    return g_strdup_printf ("%s %s %s", a, function, b);
  if (g_ascii_strcasecmp (function, "LIKE") == 0)
    return g_strdup_printf ("%s::text LIKE %s", a, b);
  if (g_ascii_strcasecmp (function, "CONTAINS") == 0)
    return g_strdup_printf ("strpos(%s::text, %s) > 0", a, b);
  if (g_ascii_strcasecmp (function, "STARTS WITH") == 0)
    return g_strdup_printf ("starts_with(%s::text, %s)", a, b);
  if (g_ascii_strcasecmp (function, "ENDS WITH") == 0)
    return g_strdup_printf ("right(%s::text, length(%s)) = %s", a, b, b);
  if (g_ascii_strcasecmp (function, "REGEXP") == 0)
    return g_strdup_printf ("%s::text ~ ('^(?:' || %s || ')$')", a, b);
  *why = g_strdup_printf (_("the condition operator “%s” has no equivalent"), function);
  return NULL;
}

static char *
condition_sql (xmlNode  *node,
               char    **why)
{
  xmlNode *list = _aq_ktr_child (node, "conditions");
  gboolean negated = _aq_ktr_flag (node, "negated");
  g_autofree char *expr = NULL;

  if (list && first_named (list, "condition"))
    {
      GString *s = g_string_new (NULL);

      for (xmlNode *c = first_named (list, "condition"); c; c = next_named (c, "condition"))
        {
          g_autofree char *op = _aq_ktr_text (c, "operator");
          g_autofree char *part = condition_sql (c, why);
          const char *join;

          if (part == NULL)
            {
              g_string_free (s, TRUE);
              return NULL;
            }
          if (s->len == 0 || *op == '\0' || g_str_equal (op, "-"))
            join = s->len ? " AND " : "";
          else if (g_ascii_strcasecmp (op, "AND") == 0)
            join = " AND ";
          else if (g_ascii_strcasecmp (op, "OR") == 0)
            join = " OR ";
          else if (g_ascii_strcasecmp (op, "AND NOT") == 0)
            join = " AND NOT ";
          else if (g_ascii_strcasecmp (op, "OR NOT") == 0)
            join = " OR NOT ";
          else
            {
              *why = g_strdup_printf (_("the condition operator “%s” has no equivalent"), op);
              g_string_free (s, TRUE);
              return NULL;
            }
          g_string_append_printf (s, "%s(%s)", join, part);
        }
      expr = g_string_free (s, FALSE);
    }
  else
    {
      expr = leaf_sql (node, why);
      if (expr == NULL)
        return NULL;
    }
  return negated ? g_strdup_printf ("NOT (%s)", expr) : g_steal_pointer (&expr);
}

/* ---- one function per type ---- */

static char *
map_table_input (KtrContext *ctx,
                 KtrStep    *ks)
{
  g_autofree char *sql = _aq_ktr_text (ks->node, "sql");
  g_autofree char *connection = _aq_ktr_text (ks->node, "connection");
  g_autofree char *lookup = _aq_ktr_text (ks->node, "lookup");
  g_autofree char *limit = _aq_ktr_text (ks->node, "limit");
  const char *ours;
  JsonObject *step;

  if (*sql == '\0')
    return g_strdup (_("it has no SQL"));
  if (*lookup)
    return g_strdup_printf (_("its query takes parameters from step “%s”"), lookup);
  ours = _aq_ktr_connection (ctx, connection);
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "table_input", 0);
  if (!g_str_equal (ours, "warehouse"))
    json_object_set_string_member (step, "connection", ours);
  json_object_set_array_member (step, "sql", sql_lines (sql));
  if (strstr (sql, "${"))
    _aq_ktr_note (ctx, _("step “%s”: its SQL uses Kettle variables: replace them"), ks->name);
  if (*limit && !g_str_equal (limit, "0"))
    _aq_ktr_note (ctx, _("step “%s”: its row limit %s is not kept"), ks->name, limit);
  return NULL;
}

static char *
map_file_input (KtrContext *ctx,
                KtrStep    *ks,
                gboolean    text_file)
{
  g_autofree char *path = text_file ? _aq_ktr_text (_aq_ktr_child (ks->node, "file"), "name")
                                    : _aq_ktr_text (ks->node, "filename");
  g_autofree char *separator = _aq_ktr_text (ks->node, "separator");
  g_autofree char *enclosure = _aq_ktr_text (ks->node, "enclosure");
  g_autofree char *encoding = _aq_ktr_text (ks->node, "encoding");
  g_autofree char *file_type = _aq_ktr_text (ks->node, "file_type");
  JsonArray *columns;
  JsonObject *step;

  if (text_file && *file_type && g_ascii_strcasecmp (file_type, "CSV") != 0)
    return g_strdup_printf (_("its file type “%s” is not CSV"), file_type);
  if (*path == '\0')
    return g_strdup (_("it names no file"));
  if (strlen (separator) != 1)
    return g_strdup_printf (_("its separator “%s” is not one character"), separator);

  columns = json_array_new ();
  FOR_FIELDS (field, ks->node, "fields")
    {
      g_autofree char *name = _aq_ktr_text (field, "name");
      g_autofree char *type = _aq_ktr_text (field, "type");
      const char *pg = pg_type (type);
      JsonObject *column;

      if (pg == NULL)
        {
          json_array_unref (columns);
          return g_strdup_printf (_("field “%s” has the type “%s”"), name, type);
        }
      column = json_object_new ();
      json_object_set_string_member (column, "name", name);
      json_object_set_string_member (column, "type", pg);
      json_array_add_object_element (columns, column);
    }
  if (json_array_get_length (columns) == 0)
    {
      json_array_unref (columns);
      return g_strdup (_("it declares no fields"));
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "csv_input", 0);
  json_object_set_string_member (step, "path", path);
  json_object_set_array_member (step, "columns", columns);
  json_object_set_boolean_member (step, "header", _aq_ktr_flag (ks->node, "header"));
  if (!g_str_equal (separator, ","))
    json_object_set_string_member (step, "delimiter", separator);
  if (*encoding)
    json_object_set_string_member (step, "encoding", encoding);
  if (*enclosure && !g_str_equal (enclosure, "\""))
    _aq_ktr_note (ctx, _("step “%s”: fields are quoted with \" here, not %s"), ks->name,
                  enclosure);
  if (strstr (path, "${"))
    _aq_ktr_note (ctx, _("step “%s”: its file name uses Kettle variables: replace them"),
                  ks->name);
  return NULL;
}

static char *
map_select (KtrContext *ctx,
            KtrStep    *ks)
{
  xmlNode *fields = _aq_ktr_child (ks->node, "fields");
  JsonArray *columns;
  JsonObject *step;

  if (_aq_ktr_child (fields, "remove") || _aq_ktr_child (fields, "meta"))
    return g_strdup (_("it removes fields or changes their types (our select lists the fields "
                       "it keeps)"));
  if (_aq_ktr_flag (fields, "select_unspecified"))
    return g_strdup (_("it keeps the fields it does not name"));
  columns = json_array_new ();
  FOR_FIELDS (field, ks->node, "fields")
    {
      g_autofree char *name = _aq_ktr_text (field, "name");
      g_autofree char *rename = _aq_ktr_text (field, "rename");
      JsonObject *column = json_object_new ();

      json_object_set_string_member (column, "name", *rename ? rename : name);
      if (*rename && !g_str_equal (rename, name))
        json_object_set_string_member (column, "from", name);
      json_array_add_object_element (columns, column);
    }
  if (json_array_get_length (columns) == 0)
    {
      json_array_unref (columns);
      return g_strdup (_("it selects no fields"));
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "select", 0);
  json_object_set_array_member (step, "columns", columns);
  return NULL;
}

static char *
map_filter (KtrContext *ctx,
            KtrStep    *ks)
{
  xmlNode *compare = _aq_ktr_child (ks->node, "compare");
  xmlNode *condition = _aq_ktr_child (compare, "condition");
  g_autofree char *sql = NULL;
  char *why = NULL;
  JsonObject *step;

  if (condition == NULL)
    return g_strdup (_("it has no condition"));
  sql = condition_sql (condition, &why);
  if (sql == NULL)
    return why;
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "filter", 0);
  json_object_set_string_member (step, "condition", sql);
  if (ks->false_to)
    {
      g_autofree char *base = g_strconcat (ks->entry, "_false", NULL);
      g_autofree char *negated = g_strdup_printf ("NOT (%s)", sql);

      ks->false_id = _aq_ktr_unique_id (ctx, base);
      step = _aq_ktr_add_step (ctx, ks, ks->false_id, "filter", 0);
      json_object_set_string_member (step, "condition", negated);
      if (json_object_has_member (step, "position"))
        json_object_set_int_member (json_object_get_object_member (step, "position"), "y",
                                    ks->y + 80);
      _aq_ktr_note (ctx, _("step “%s”: the rows it sends to “%s” come from a second filter, "
                           "“%s”, with the negated condition (NULLs go neither way)"),
                    ks->name, ks->false_to, ks->false_id);
    }
  return NULL;
}

/* Kettle's calculations as SQL over A, B and C (quoted fields or a constant). */
static char *
calculation_sql (const char *code,
                 const char *a,
                 const char *b,
                 const char *c)
{
  static const struct { const char *code, *format; int n; } calcs[] = {
    { "COPY_OF_FIELD", "%s", 1 }, { "COPY_FIELD", "%s", 1 },
    { "ADD", "%s + %s", 2 }, { "SUBTRACT", "%s - %s", 2 }, { "MULTIPLY", "%s * %s", 2 },
    { "DIVIDE", "%s::numeric / %s", 2 }, { "SQUARE_ROOT", "sqrt(%s)", 1 },
    { "PERCENT_1", "100 * %s::numeric / %s", 2 }, { "ROUND_1", "round(%s)", 1 },
    { "ROUND_2", "round(%s::numeric, (%s)::integer)", 2 }, { "NVL", "coalesce(%s, %s)", 2 },
    { "ADD_DAYS", "%s + (%s) * interval '1 day'", 2 },
    { "YEAR_OF_DATE", "extract(year FROM %s)::integer", 1 },
    { "MONTH_OF_DATE", "extract(month FROM %s)::integer", 1 },
    { "DAY_OF_YEAR", "extract(doy FROM %s)::integer", 1 },
    { "DAY_OF_MONTH", "extract(day FROM %s)::integer", 1 },
    { "DAY_OF_WEEK", "extract(dow FROM %s)::integer + 1", 1 },
    { "ABS", "abs(%s)", 1 }, { "UPPER_CASE", "upper(%s)", 1 },
    { "LOWER_CASE", "lower(%s)", 1 }, { "STRING_LEN", "length(%s)", 1 },
    { "ADD3", "%s + %s + %s", 3 }, { "COMBINATION_1", "%s + %s * %s", 3 },
  };

  if (g_str_equal (code, "SQUARE"))
    return g_strdup_printf ("%s * %s", a, a);
  if (g_str_equal (code, "PERCENT_2"))
    return g_strdup_printf ("%s - (%s * %s::numeric / 100)", a, a, b);
  if (g_str_equal (code, "PERCENT_3"))
    return g_strdup_printf ("%s + (%s * %s::numeric / 100)", a, a, b);
  if (g_str_equal (code, "COMBINATION_2"))
    return g_strdup_printf ("sqrt(%s * %s + %s * %s)", a, a, b, b);
  for (guint i = 0; i < G_N_ELEMENTS (calcs); i++)
    if (g_str_equal (code, calcs[i].code))
      {
        if ((calcs[i].n >= 2 && b == NULL) || (calcs[i].n >= 3 && c == NULL) || a == NULL)
          return NULL;
        return g_strdup_printf (calcs[i].format, a, b, c);
      }
  return NULL;
}

static char *
map_calculator (KtrContext *ctx,
                KtrStep    *ks)
{
  JsonArray *columns = json_array_new ();
  JsonObject *step;

  for (xmlNode *calc = first_named (ks->node, "calculation"); calc;
       calc = next_named (calc, "calculation"))
    {
      g_autofree char *name = _aq_ktr_text (calc, "field_name");
      g_autofree char *code = _aq_ktr_text (calc, "calc_type");
      g_autofree char *fa = _aq_ktr_text (calc, "field_a");
      g_autofree char *fb = _aq_ktr_text (calc, "field_b");
      g_autofree char *fc = _aq_ktr_text (calc, "field_c");
      g_autofree char *type = _aq_ktr_text (calc, "value_type");
      g_autofree char *a = *fa ? quote_ident (fa) : NULL;
      g_autofree char *b = *fb ? quote_ident (fb) : NULL;
      g_autofree char *c = *fc ? quote_ident (fc) : NULL;
      g_autofree char *expression = NULL;
      JsonObject *column;

      if (g_str_equal (code, "CONSTANT"))
        expression = typed_literal (fa, type);
      else
        expression = calculation_sql (code, a, b, c);
      if (expression == NULL)
        {
          json_array_unref (columns);
          return g_strdup_printf (_("calculation “%s” (%s) has no equivalent or lacks a field"),
                                  name, code);
        }
      column = json_object_new ();
      json_object_set_string_member (column, "name", name);
      json_object_set_string_member (column, "expression", expression);
      if (pg_type (type))
        json_object_set_string_member (column, "type", pg_type (type));
      json_array_add_object_element (columns, column);
      if (_aq_ktr_flag (calc, "remove"))
        _aq_ktr_note (ctx, _("step “%s”: the temporary field “%s” is kept in the output"),
                      ks->name, name);
    }
  if (json_array_get_length (columns) == 0)
    {
      json_array_unref (columns);
      return g_strdup (_("it calculates nothing"));
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "calculator", 0);
  json_object_set_array_member (step, "columns", columns);
  return NULL;
}

static char *
map_value_mapper (KtrContext *ctx,
                  KtrStep    *ks)
{
  g_autofree char *field = _aq_ktr_text (ks->node, "field_to_use");
  g_autofree char *target = _aq_ktr_text (ks->node, "target_field");
  g_autofree char *fallback = _aq_ktr_text (ks->node, "non_match_default");
  JsonObject *mapping = json_object_new ();
  JsonObject *step;

  if (*field == '\0')
    {
      json_object_unref (mapping);
      return g_strdup (_("it names no field"));
    }
  FOR_FIELDS (f, ks->node, "fields")
    {
      g_autofree char *from = _aq_ktr_text (f, "source_value");
      g_autofree char *to = _aq_ktr_text (f, "target_value");

      json_object_set_string_member (mapping, from, to);
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "value_mapping", 0);
  json_object_set_string_member (step, "column", field);
  json_object_set_object_member (step, "mapping", mapping);
  if (*target)
    json_object_set_string_member (step, "target", target);
  if (*fallback)
    json_object_set_string_member (step, "default", fallback);
  return NULL;
}

/* keys: <key><name>stream field</name><field>table column</field><condition>=</condition> */
static char *
lookup_keys (xmlNode    *lookup,
             JsonArray  *keys)
{
  for (xmlNode *k = first_named (lookup, "key"); k; k = next_named (k, "key"))
    {
      g_autofree char *input = _aq_ktr_text (k, "name");
      g_autofree char *column = _aq_ktr_text (k, "field");
      g_autofree char *condition = _aq_ktr_text (k, "condition");
      JsonObject *key;

      if (*condition && !g_str_equal (condition, "="))
        return g_strdup_printf (_("its key “%s” compares with “%s”, not “=”"), input,
                                condition);
      key = json_object_new ();
      json_object_set_string_member (key, "input", input);
      json_object_set_string_member (key, "table", column);
      json_array_add_object_element (keys, key);
    }
  if (json_array_get_length (keys) == 0)
    return g_strdup (_("it has no key"));
  return NULL;
}

static char *
lookup_step (KtrContext *ctx,
             KtrStep    *ks,
             xmlNode    *lookup,
             const char *table)
{
  JsonArray *keys = json_array_new ();
  JsonArray *columns = json_array_new ();
  char *why = lookup_keys (lookup, keys);
  JsonObject *step;

  for (xmlNode *v = first_named (lookup, "value"); v && why == NULL; v = next_named (v, "value"))
    {
      g_autofree char *name = _aq_ktr_text (v, "name");
      g_autofree char *rename = _aq_ktr_text (v, "rename");
      g_autofree char *fallback = _aq_ktr_text (v, "default");
      JsonObject *column = json_object_new ();

      json_object_set_string_member (column, "name", *rename ? rename : name);
      json_object_set_string_member (column, "from", name);
      json_array_add_object_element (columns, column);
      if (*fallback)
        _aq_ktr_note (ctx, _("step “%s”: the default “%s” of “%s” is not kept (NULL when "
                             "nothing matches)"), ks->name, fallback, name);
    }
  if (why == NULL && json_array_get_length (columns) == 0)
    why = g_strdup (_("it looks nothing up"));
  if (why)
    {
      json_array_unref (keys);
      json_array_unref (columns);
      return why;
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "lookup", 0);
  json_object_set_string_member (step, "table", table);
  json_object_set_array_member (step, "keys", keys);
  json_object_set_array_member (step, "columns", columns);
  return NULL;
}

static char *
qualified (const char *schema,
           const char *table)
{
  return *schema ? g_strdup_printf ("%s.%s", schema, table) : g_strdup (table);
}

static char *
map_db_lookup (KtrContext *ctx,
               KtrStep    *ks)
{
  xmlNode *lookup = _aq_ktr_child (ks->node, "lookup");
  g_autofree char *connection = _aq_ktr_text (ks->node, "connection");
  g_autofree char *schema = _aq_ktr_text (lookup, "schema");
  g_autofree char *table = _aq_ktr_text (lookup, "table");
  g_autofree char *name = qualified (schema, table);
  const char *ours = _aq_ktr_connection (ctx, connection);

  if (*table == '\0')
    return g_strdup (_("it names no table"));
  if (!g_str_equal (ours, "warehouse"))
    _aq_ktr_note (ctx, _("step “%s”: it looks up %s in the warehouse, not on connection “%s”"),
                  ks->name, name, ours);
  return lookup_step (ctx, ks, lookup, name);
}

/* A table input that reads one table as it is: `SELECT cols FROM schema.table`. */
static char *
plain_table (const char *sql)
{
  g_autoptr(GRegex) re = g_regex_new ("^\\s*SELECT\\s+[\\w\\s,\"*]+\\s+FROM\\s+"
                                      "([A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?)"
                                      "\\s*;?\\s*$", G_REGEX_CASELESS | G_REGEX_DOTALL, 0,
                                      NULL);
  g_autoptr(GMatchInfo) match = NULL;

  if (!g_regex_match (re, sql, 0, &match))
    return NULL;
  return g_match_info_fetch (match, 1);
}

static char *
map_stream_lookup (KtrContext *ctx,
                   KtrStep    *ks)
{
  KtrStep *source = ks->lookup_from ? g_hash_table_lookup (ctx->by_name, ks->lookup_from) : NULL;
  g_autofree char *sql = NULL;
  g_autofree char *table = NULL;
  g_autofree char *connection = NULL;

  if (source == NULL || !source->absorbed)
    return g_strdup (_("its lookup stream is not a plain read of one warehouse table (our "
                       "lookup joins a table)"));
  sql = _aq_ktr_text (source->node, "sql");
  connection = _aq_ktr_text (source->node, "connection");
  table = plain_table (sql);
  _aq_ktr_note (ctx, _("step “%s” became the lookup table %s of step “%s”"), source->name,
                table, ks->name);
  return lookup_step (ctx, ks, _aq_ktr_child (ks->node, "lookup"), table);
}

static char *
map_unique (KtrContext *ctx,
            KtrStep    *ks)
{
  JsonArray *keys = json_array_new ();
  JsonObject *step;

  FOR_FIELDS (field, ks->node, "fields")
    {
      g_autofree char *name = _aq_ktr_text (field, "name");

      if (_aq_ktr_flag (field, "case_insensitive"))
        {
          json_array_unref (keys);
          return g_strdup_printf (_("it compares “%s” ignoring case"), name);
        }
      json_array_add_string_element (keys, name);
    }
  if (_aq_ktr_flag (ks->node, "count_rows"))
    {
      json_array_unref (keys);
      return g_strdup (_("it counts the duplicates"));
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "deduplicate", 0);
  if (json_array_get_length (keys) > 0)
    json_object_set_array_member (step, "keys", keys);
  else
    json_array_unref (keys);
  return NULL;
}

static char *
map_group_by (KtrContext *ctx,
              KtrStep    *ks)
{
  static const struct { const char *kettle, *ours; gboolean column; } functions[] = {
    { "SUM", "sum", TRUE }, { "AVERAGE", "avg", TRUE }, { "MIN", "min", TRUE },
    { "MAX", "max", TRUE }, { "COUNT_ALL", "count", TRUE }, { "COUNT_ANY", "count", FALSE },
    { "COUNT_DISTINCT", "count_distinct", TRUE },
  };
  JsonArray *group = json_array_new ();
  JsonArray *aggregates = json_array_new ();
  JsonObject *step;

  if (_aq_ktr_flag (ks->node, "all_rows"))
    {
      json_array_unref (group);
      json_array_unref (aggregates);
      return g_strdup (_("it passes all rows on with the aggregates"));
    }
  FOR_FIELDS (field, ks->node, "group")
    {
      g_autofree char *name = _aq_ktr_text (field, "name");

      json_array_add_string_element (group, name);
    }
  FOR_FIELDS (field, ks->node, "fields")
    {
      g_autofree char *name = _aq_ktr_text (field, "aggregate");
      g_autofree char *subject = _aq_ktr_text (field, "subject");
      g_autofree char *type = _aq_ktr_text (field, "type");
      JsonObject *aggregate = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (functions) && aggregate == NULL; i++)
        if (g_ascii_strcasecmp (type, functions[i].kettle) == 0)
          {
            aggregate = json_object_new ();
            json_object_set_string_member (aggregate, "name", name);
            json_object_set_string_member (aggregate, "function", functions[i].ours);
            if (functions[i].column)
              json_object_set_string_member (aggregate, "column", subject);
          }
      if (aggregate == NULL)
        {
          json_array_unref (group);
          json_array_unref (aggregates);
          return g_strdup_printf (_("the aggregate “%s” (%s) has no equivalent"), name, type);
        }
      json_array_add_object_element (aggregates, aggregate);
    }
  step = _aq_ktr_add_step (ctx, ks, ks->entry, "aggregate", 0);
  json_object_set_array_member (step, "aggregates", aggregates);
  if (json_array_get_length (group) > 0)
    json_object_set_array_member (step, "group_by", group);
  else
    json_array_unref (group);
  return NULL;
}

static char *
map_append (KtrContext *ctx,
            KtrStep    *ks)
{
  JsonObject *step = _aq_ktr_add_step (ctx, ks, ks->entry, "union", 0);

  json_object_set_boolean_member (step, "all", TRUE);
  return NULL;
}

/* A select that renames stream fields to table columns, in front of an output. */
static void
add_rename (KtrContext *ctx,
            KtrStep    *ks,
            JsonArray  *columns)
{
  g_autofree char *base = g_strconcat (ks->entry, "_fields", NULL);
  char *id = _aq_ktr_unique_id (ctx, base);
  JsonObject *select = _aq_ktr_add_step (ctx, ks, id, "select", -120);

  json_object_set_array_member (select, "columns", columns);
  _aq_ktr_add_edge (ctx, id, ks->exit);
  g_free (ks->entry);
  ks->entry = id;
}

static JsonObject *
rename_column (const char *column,
               const char *stream)
{
  JsonObject *c = json_object_new ();

  json_object_set_string_member (c, "name", column);
  if (*stream && !g_str_equal (stream, column))
    json_object_set_string_member (c, "from", stream);
  return c;
}

static char *
map_table_output (KtrContext *ctx,
                  KtrStep    *ks)
{
  g_autofree char *connection = _aq_ktr_text (ks->node, "connection");
  g_autofree char *schema = _aq_ktr_text (ks->node, "schema");
  g_autofree char *table = _aq_ktr_text (ks->node, "table");
  g_autofree char *name = qualified (schema, table);
  const char *ours = _aq_ktr_connection (ctx, connection);
  JsonObject *step;

  if (*table == '\0')
    return g_strdup (_("it names no table"));
  step = _aq_ktr_add_step (ctx, ks, ks->exit, "table_output", 0);
  json_object_set_string_member (step, "table", name);
  json_object_set_string_member (step, "mode", _aq_ktr_flag (ks->node, "truncate") ? "replace"
                                                                                 : "append");
  if (!g_str_equal (ours, "warehouse"))
    _aq_ktr_note (ctx, _("step “%s”: it writes %s in the warehouse, not on connection “%s”"),
                  ks->name, name, ours);
  if (_aq_ktr_flag (ks->node, "specify_fields"))
    {
      JsonArray *columns = json_array_new ();

      FOR_FIELDS (field, ks->node, "fields")
        {
          g_autofree char *column = _aq_ktr_text (field, "column_name");
          g_autofree char *stream = _aq_ktr_text (field, "stream_name");

          json_array_add_object_element (columns, rename_column (column, stream));
        }
      if (json_array_get_length (columns) > 0)
        add_rename (ctx, ks, columns);
      else
        json_array_unref (columns);
    }
  return NULL;
}

static char *
map_insert_update (KtrContext *ctx,
                   KtrStep    *ks)
{
  xmlNode *lookup = _aq_ktr_child (ks->node, "lookup");
  g_autofree char *connection = _aq_ktr_text (ks->node, "connection");
  g_autofree char *schema = _aq_ktr_text (lookup, "schema");
  g_autofree char *table = _aq_ktr_text (lookup, "table");
  g_autofree char *name = qualified (schema, table);
  const char *ours = _aq_ktr_connection (ctx, connection);
  JsonArray *columns, *keys;
  JsonObject *step;
  gboolean partial_update = FALSE;

  if (*table == '\0')
    return g_strdup (_("it names no table"));
  columns = json_array_new ();
  keys = json_array_new ();
  for (xmlNode *k = first_named (lookup, "key"); k; k = next_named (k, "key"))
    {
      g_autofree char *stream = _aq_ktr_text (k, "name");
      g_autofree char *column = _aq_ktr_text (k, "field");
      g_autofree char *condition = _aq_ktr_text (k, "condition");

      if (*condition && !g_str_equal (condition, "="))
        {
          json_array_unref (columns);
          json_array_unref (keys);
          return g_strdup_printf (_("its key “%s” compares with “%s”, not “=”"), column,
                                  condition);
        }
      json_array_add_object_element (columns, rename_column (column, stream));
      json_array_add_string_element (keys, column);
    }
  if (json_array_get_length (keys) == 0)
    {
      json_array_unref (columns);
      json_array_unref (keys);
      return g_strdup (_("it has no key"));
    }
  for (xmlNode *v = first_named (lookup, "value"); v; v = next_named (v, "value"))
    {
      g_autofree char *column = _aq_ktr_text (v, "name");
      g_autofree char *stream = _aq_ktr_text (v, "rename");
      gboolean is_key = FALSE;

      for (guint i = 0; i < json_array_get_length (keys); i++)
        is_key |= g_str_equal (json_array_get_string_element (keys, i), column);
      if (!is_key)
        json_array_add_object_element (columns, rename_column (column, stream));
      if (!is_key && !_aq_ktr_flag (v, "update"))
        partial_update = TRUE;
    }
  step = _aq_ktr_add_step (ctx, ks, ks->exit, "table_output", 0);
  json_object_set_string_member (step, "table", name);
  json_object_set_string_member (step, "mode", "upsert");
  json_object_set_array_member (step, "keys", keys);
  add_rename (ctx, ks, columns);
  if (partial_update)
    _aq_ktr_note (ctx, _("step “%s”: an upsert updates every field, also those Kettle only "
                         "inserts"), ks->name);
  if (!g_str_equal (ours, "warehouse"))
    _aq_ktr_note (ctx, _("step “%s”: it writes %s in the warehouse, not on connection “%s”"),
                  ks->name, name, ours);
  return NULL;
}

/* ---- private API ---- */

/* What a step means for others, before any is mapped. */
void
_aq_ktr_prepare_step (KtrContext *ctx,
                      KtrStep    *ks)
{
  if (g_str_equal (ks->type, "FilterRows"))
    {
      g_autofree char *false_to = _aq_ktr_text (ks->node, "send_false_to");
      g_autofree char *true_to = _aq_ktr_text (ks->node, "send_true_to");

      if (*false_to && !g_str_equal (false_to, true_to)
          && g_hash_table_contains (ctx->by_name, false_to))
        ks->false_to = g_steal_pointer (&false_to);
    }
  else if (g_str_equal (ks->type, "StreamLookup"))
    {
      g_autofree char *from = _aq_ktr_text (ks->node, "from");
      KtrStep *source = g_hash_table_lookup (ctx->by_name, from);

      ks->lookup_from = g_steal_pointer (&from);
      if (source && g_str_equal (source->type, "TableInput") && !source->absorbed
          && count_hops_from (ctx, source->name) == 1)
        {
          g_autofree char *sql = _aq_ktr_text (source->node, "sql");
          g_autofree char *connection = _aq_ktr_text (source->node, "connection");
          g_autofree char *table = plain_table (sql);

          if (table && g_str_equal (_aq_ktr_connection (ctx, connection), "warehouse"))
            source->absorbed = TRUE;
        }
    }
  else if (g_str_equal (ks->type, "Append"))
    {
      g_autofree char *tail = _aq_ktr_text (ks->node, "tail_name");
      KtrStep *source = g_hash_table_lookup (ctx->by_name, tail);

      ks->append_tail = source ? source->name : NULL;
    }
}

/* Maps @ks onto our steps; NULL when it did, else why it could not (transfer full). */
char *
_aq_ktr_map_step (KtrContext *ctx,
                  KtrStep    *ks)
{
  const char *t = ks->type;

  if (g_str_equal (t, "TableInput"))
    return map_table_input (ctx, ks);
  if (g_str_equal (t, "CsvInput"))
    return map_file_input (ctx, ks, FALSE);
  if (g_str_equal (t, "TextFileInput") || g_str_equal (t, "TextFileInput2"))
    return map_file_input (ctx, ks, TRUE);
  if (g_str_equal (t, "SelectValues"))
    return map_select (ctx, ks);
  if (g_str_equal (t, "FilterRows"))
    return map_filter (ctx, ks);
  if (g_str_equal (t, "Calculator"))
    return map_calculator (ctx, ks);
  if (g_str_equal (t, "ValueMapper"))
    return map_value_mapper (ctx, ks);
  if (g_str_equal (t, "StreamLookup"))
    return map_stream_lookup (ctx, ks);
  if (g_str_equal (t, "DBLookup"))
    return map_db_lookup (ctx, ks);
  if (g_str_equal (t, "Unique") || g_str_equal (t, "UniqueRowsByHashSet"))
    return map_unique (ctx, ks);
  if (g_str_equal (t, "GroupBy") || g_str_equal (t, "MemoryGroupBy"))
    return map_group_by (ctx, ks);
  if (g_str_equal (t, "Append"))
    return map_append (ctx, ks);
  if (g_str_equal (t, "TableOutput"))
    return map_table_output (ctx, ks);
  if (g_str_equal (t, "InsertUpdate"))
    return map_insert_update (ctx, ks);
  return g_strdup (_("no step of ours does what this Kettle step type does"));
}

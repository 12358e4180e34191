/* aq-quality-compile.c — rules into SQL
 *
 * A column rule (not null, range, pattern, accepted values, referential) is a condition on one
 * row, so all column rules of one table become one statement: for each rule
 *   count(*) FILTER (WHERE <its filter>)                 -- checked
 *   count(*) FILTER (WHERE <its filter> AND <failing>)   -- failing
 * over one scan of the table. Lookups into a code dictionary are uncorrelated IN (SELECT …)
 * subqueries, which PostgreSQL answers with a hash built once, so they ride the same scan; a
 * referenced key that is unique in its table (a primary key) is a LEFT JOIN of that scan,
 * which PostgreSQL answers with a hash join that spills to disk in batches when it outgrows
 * work_mem, and a row's key missing there is a failing row. Values (bounds, lists, regexes,
 * "now") are parameters; table and column names were checked by the validator and are quoted
 * here. A rule's own filter is SQL
 * written by a data engineer, run read-only with a statement timeout.
 */
#define G_LOG_DOMAIN "aq-quality-compile"

#include "config.h"

#include <string.h>

#include "aq-clock.h"
#include "aq-quality-private.h"

/* 18-digit resident ID (GB 11643): weights of the first 17 digits, and the check character
 * for each remainder mod 11. */
static const int id_weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
#define ID_CHECK_CHARS "10X98765432"

/* Named formats as they are stored in dw (normalised phones, the legacy systems' numbers). */
static const struct
{
  const char *name;
  const char *regex;
} named_formats[] = {
  { "mobile", "^1[3-9][0-9]{9}$" },            /* mainland mobile, 11 digits */
  { "landline", "^0[1-9][0-9]{1,2}[2-9][0-9]{6,7}$" }, /* area code + 7–8 digit number */
  { "id_card", "^[1-9][0-9]{16}[0-9X]$" },      /* check digit tested separately */
  { "meter_no", "^[A-Z]{2}[0-9]{10}$" },         /* brand, install year, serial */
  { "account_no", "^35[0-9]{8}$" },             /* the billing system's 10-digit number */
};

/* ---- parameters ---- */

void
_aq_quality_params_init (AqQualityParams *params)
{
  g_autoptr(GDateTime) now = aq_clock_now_local ();

  params->values = g_ptr_array_new_with_free_func (g_free);
  params->now_local = g_date_time_format (now, "%Y-%m-%d %H:%M:%S");
}

void
_aq_quality_params_clear (AqQualityParams *params)
{
  g_clear_pointer (&params->values, g_ptr_array_unref);
  g_clear_pointer (&params->now_local, g_free);
}

char *
_aq_quality_param (AqQualityParams *params,
                   const char      *value)
{
  g_ptr_array_add (params->values, g_strdup (value));
  return g_strdup_printf ("$%u", params->values->len);
}

char *
_aq_quality_number_param (AqQualityParams *params,
                          JsonObject      *args,
                          const char      *name,
                          double           fallback)
{
  g_autofree char *value = g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                       (args, name, fallback));

  return _aq_quality_param (params, value);
}

/* ---- auxiliary methods ---- */

char *
_aq_quality_target (const char *layer,
                    const char *table)
{
  g_autofree char *l = aq_db_quote_ident (layer);
  g_autofree char *t = aq_db_quote_ident (table);

  return g_strdup_printf ("%s.%s", l, t);
}

static char *
node_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node))
    switch (json_node_get_value_type (node))
      {
      case G_TYPE_STRING:
        return g_strdup (json_node_get_string (node));
      case G_TYPE_INT64:
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      case G_TYPE_DOUBLE:
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          return g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
      case G_TYPE_BOOLEAN:
        return g_strdup (json_node_get_boolean (node) ? "true" : "false");
      default:
        break;
      }
  return NULL;
}

/* A Postgres array literal of the JSON array's elements, for `= ANY ($n::text[])`. */
static char *
array_literal (JsonArray *array)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *v = node_text (json_array_get_element (array, i));

      if (i)
        g_string_append_c (s, ',');
      g_string_append_c (s, '"');
      for (const char *p = v ? v : ""; *p; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

/* "a", or ROW("a", "b") for several columns, each cast to text. */
static char *
columns_expr (JsonNode *node,
              gboolean  as_text,
              gboolean  all_not_null,
              char    **not_null_out)
{
  g_autoptr(GString) expr = g_string_new (NULL);
  g_autoptr(GString) not_null = g_string_new (NULL);
  g_autoptr(GPtrArray) cols = g_ptr_array_new_with_free_func (g_free);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (cols, aq_db_quote_ident (json_array_get_string_element (array, i)));
    }
  else
    g_ptr_array_add (cols, aq_db_quote_ident (json_node_get_string (node)));

  if (cols->len > 1)
    g_string_append_c (expr, '(');
  for (guint i = 0; i < cols->len; i++)
    {
      const char *c = g_ptr_array_index (cols, i);

      g_string_append_printf (expr, "%s%s%s", i ? ", " : "", c, as_text ? "::text" : "");
      g_string_append_printf (not_null, "%s%s IS NOT NULL", i ? " AND " : "", c);
    }
  if (cols->len > 1)
    g_string_append_c (expr, ')');
  (void) all_not_null;
  if (not_null_out)
    *not_null_out = g_string_free (g_steal_pointer (&not_null), FALSE);
  return g_string_free (g_steal_pointer (&expr), FALSE);
}

static char *
id_card_check (const char *col)
{
  g_autoptr(GString) sum = g_string_new (NULL);

  for (int i = 0; i < 17; i++)
    g_string_append_printf (sum, "%ssubstr(%s, %d, 1)::int * %d", i ? " + " : "", col, i + 1,
                            id_weights[i]);
  return g_strdup_printf ("CASE WHEN %s ~ '^[1-9][0-9]{16}[0-9Xx]$' THEN substr('"
                          ID_CHECK_CHARS "', (%s) %% 11 + 1, 1) <> upper(substr(%s, 18, 1)) "
                          "ELSE true END", col, sum->str, col);
}

/* ---- column rules ---- */

char *
_aq_quality_value_expr (const AqQualityRule *rule)
{
  JsonObject *a = rule->args;

  if (json_object_has_member (a, "value"))
    return g_strdup_printf ("(%s)::text", json_object_get_string_member (a, "value"));
  if (json_object_has_member (a, "column"))
    {
      g_autofree char *c = aq_db_quote_ident (json_object_get_string_member (a, "column"));

      return g_strdup_printf ("%s::text", c);
    }
  if (json_object_has_member (a, "columns"))
    {
      g_autofree char *cols = columns_expr (json_object_get_member (a, "columns"), TRUE, FALSE,
                                            NULL);

      if (cols[0] == '(')
        {
          cols[strlen (cols) - 1] = '\0';
          return g_strdup_printf ("concat_ws('|', %s)", cols + 1);
        }
      return g_strdup (cols);
    }
  return g_strdup ("NULL::text");
}

char *
_aq_quality_fail_condition (const AqQualityRule *rule,
                            AqQualityParams     *params)
{
  JsonObject *a = rule->args;
  const char *t = rule->type;
  g_autofree char *col = json_object_has_member (a, "column")
                         ? aq_db_quote_ident (json_object_get_string_member (a, "column"))
                         : NULL;

  if (g_str_equal (t, "custom"))
    return g_strdup_printf ("(%s)", json_object_get_string_member (a, "condition"));
  if (g_str_equal (t, "not_null"))
    {
      if (json_object_get_boolean_member_with_default (a, "blank_is_null", FALSE))
        return g_strdup_printf ("(%s IS NULL OR btrim(%s::text) = '')", col, col);
      return g_strdup_printf ("%s IS NULL", col);
    }
  if (g_str_equal (t, "range"))
    {
      g_autoptr(GString) s = g_string_new (NULL);
      const char *cast = json_object_get_string_member_with_default (a, "as", "numeric");

      if (!g_str_equal (cast, "numeric") && !g_str_equal (cast, "date")
          && !g_str_equal (cast, "timestamp"))
        cast = "numeric";
      g_string_append_printf (s, "%s IS NOT NULL AND (false", col);
      if (json_object_has_member (a, "min"))
        {
          g_autofree char *v = node_text (json_object_get_member (a, "min"));
          g_autofree char *p = _aq_quality_param (params, v);

          g_string_append_printf (s, " OR %s < %s::%s", col, p, cast);
        }
      if (json_object_has_member (a, "max"))
        {
          g_autofree char *v = node_text (json_object_get_member (a, "max"));
          g_autofree char *p = _aq_quality_param (params, v);

          g_string_append_printf (s, " OR %s > %s::%s", col, p, cast);
        }
      if (json_object_get_boolean_member_with_default (a, "not_future", FALSE))
        {
          g_autofree char *p = _aq_quality_param (params, params->now_local);

          g_string_append_printf (s, " OR %s > %s::timestamp", col, p);
        }
      g_string_append_c (s, ')');
      return g_string_free (g_steal_pointer (&s), FALSE);
    }
  if (g_str_equal (t, "pattern"))
    {
      const char *format = json_object_get_string_member_with_default (a, "format", NULL);
      const char *regex = json_object_get_string_member_with_default (a, "regex", NULL);
      g_autofree char *p = NULL;

      for (guint i = 0; format && i < G_N_ELEMENTS (named_formats); i++)
        if (g_str_equal (format, named_formats[i].name))
          regex = named_formats[i].regex;
      p = _aq_quality_param (params, regex);
      if (g_strcmp0 (format, "id_card") == 0)
        {
          g_autofree char *check = id_card_check (col);

          return g_strdup_printf ("%s IS NOT NULL AND (%s::text !~ %s OR %s)", col, col, p,
                                  check);
        }
      return g_strdup_printf ("%s IS NOT NULL AND %s::text !~ %s", col, col, p);
    }
  if (g_str_equal (t, "accepted_values"))
    {
      if (json_object_has_member (a, "values"))
        {
          g_autofree char *lit = array_literal (json_object_get_array_member (a, "values"));
          g_autofree char *p = _aq_quality_param (params, lit);

          return g_strdup_printf ("%s IS NOT NULL AND NOT (%s::text = ANY (%s::text[]))", col,
                                  col, p);
        }
      else
        {
          JsonObject *d = json_object_get_object_member (a, "dictionary");
          g_autofree char *target = _aq_quality_target (json_object_get_string_member (d, "layer"),
                                                        json_object_get_string_member (d, "table"));
          g_autofree char *dcol = aq_db_quote_ident (json_object_get_string_member (d, "column"));
          g_autofree char *where = NULL;

          if (json_object_has_member (d, "type_column"))
            {
              g_autofree char *tc =
                aq_db_quote_ident (json_object_get_string_member (d, "type_column"));
              g_autofree char *p = _aq_quality_param (params,
                                                      json_object_get_string_member (d, "type"));

              where = g_strdup_printf (" AND %s = %s", tc, p);
            }
          return g_strdup_printf ("%s IS NOT NULL AND NOT (btrim(%s::text) IN (SELECT "
                                  "btrim(%s::text) FROM %s WHERE %s IS NOT NULL%s))", col, col,
                                  dcol, target, dcol, where ? where : "");
        }
    }
  if (g_str_equal (t, "referential"))
    {
      JsonObject *r = json_object_get_object_member (a, "ref");
      g_autofree char *not_null = NULL;
      g_autofree char *ref_not_null = NULL;
      g_autofree char *cols = columns_expr (json_object_get_member (a, "columns"), FALSE, TRUE,
                                            &not_null);
      g_autofree char *rcols = columns_expr (json_object_get_member (r, "columns"), FALSE, TRUE,
                                             &ref_not_null);
      g_autofree char *target = _aq_quality_target (json_object_get_string_member (r, "layer"),
                                                    json_object_get_string_member (r, "table"));
      const char *rf = json_object_get_string_member_with_default (r, "filter", NULL);

      /* a row value (a, b) IN (SELECT x, y …) wants the subquery's columns unparenthesised */
      if (rcols[0] == '(')
        {
          rcols[strlen (rcols) - 1] = '\0';
          memmove (rcols, rcols + 1, strlen (rcols));
        }
      return g_strdup_printf ("%s AND NOT (%s IN (SELECT %s FROM %s WHERE %s%s%s%s))", not_null,
                              cols, rcols, target, ref_not_null, rf ? " AND (" : "",
                              rf ? rf : "", rf ? ")" : "");
    }
  g_return_val_if_reached (g_strdup ("false"));
}

/* ---- referential rules as joins ---- */

static GPtrArray *
column_names (JsonNode *node)
{
  GPtrArray *cols = g_ptr_array_new_with_free_func (g_free);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (cols, aq_db_quote_ident (json_array_get_string_element (array, i)));
    }
  else
    g_ptr_array_add (cols, aq_db_quote_ident (json_node_get_string (node)));
  return cols;
}

gboolean
_aq_quality_rule_joins (const AqQualityRule *rule)
{
  return g_str_equal (rule->type, "referential");
}

/* The failing condition of a referential rule as an anti-join: the target read as "__t", each
 * row's key looked for in the referenced table ("__r"). PostgreSQL answers NOT EXISTS with a
 * hash anti join that spills to disk in batches when the keys outgrow work_mem — where
 * `NOT ((a, b) IN (SELECT …))` falls back to searching the whole subquery for every row once
 * its hash no longer fits (the cause of the slow cross-table rules at 100,000 accounts). */
char *
_aq_quality_ref_missing (const AqQualityRule *rule)
{
  JsonObject *a = rule->args;
  JsonObject *r = json_object_get_object_member (a, "ref");
  g_autoptr(GPtrArray) cols = column_names (json_object_get_member (a, "columns"));
  g_autoptr(GPtrArray) rcols = column_names (json_object_get_member (r, "columns"));
  g_autofree char *target = _aq_quality_target (json_object_get_string_member (r, "layer"),
                                                json_object_get_string_member (r, "table"));
  const char *rf = json_object_get_string_member_with_default (r, "filter", NULL);
  g_autoptr(GString) not_null = g_string_new (NULL);
  g_autoptr(GString) on = g_string_new (NULL);

  for (guint i = 0; i < rcols->len && i < cols->len; i++)
    {
      g_string_append_printf (not_null, "%s__t.%s IS NOT NULL", i ? " AND " : "",
                              (char *) g_ptr_array_index (cols, i));
      g_string_append_printf (on, "%s__r.%s = __t.%s", i ? " AND " : "",
                              (char *) g_ptr_array_index (rcols, i),
                              (char *) g_ptr_array_index (cols, i));
    }
  return g_strdup_printf ("%s AND NOT EXISTS (SELECT FROM %s AS __r WHERE %s%s%s%s)",
                          not_null->str, target, on->str, rf ? " AND (" : "", rf ? rf : "",
                          rf ? ")" : "");
}

/* A referential rule counted in its table's scan: the referenced keys as a LEFT JOIN
 * "__j<n>" (at most one match per row: the caller checked that the referenced columns are
 * unique there) and the condition true when a row's key is not among them. */
static void
ref_join (const AqQualityRule  *rule,
          guint                 n,
          GString              *joins,
          char                **missing)
{
  JsonObject *a = rule->args;
  JsonObject *r = json_object_get_object_member (a, "ref");
  g_autoptr(GPtrArray) cols = column_names (json_object_get_member (a, "columns"));
  g_autoptr(GPtrArray) rcols = column_names (json_object_get_member (r, "columns"));
  g_autofree char *target = _aq_quality_target (json_object_get_string_member (r, "layer"),
                                                json_object_get_string_member (r, "table"));
  const char *rf = json_object_get_string_member_with_default (r, "filter", NULL);
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) on = g_string_new (NULL);
  g_autoptr(GString) miss = g_string_new (NULL);

  for (guint i = 0; i < rcols->len && i < cols->len; i++)
    {
      g_string_append_printf (select, "__r.%s AS __k%u, ", (char *) g_ptr_array_index (rcols, i),
                              i);
      g_string_append_printf (on, "%s__j%u.__k%u = __t.%s", i ? " AND " : "", n, i,
                              (char *) g_ptr_array_index (cols, i));
      g_string_append_printf (miss, "__t.%s IS NOT NULL AND ",
                              (char *) g_ptr_array_index (cols, i));
    }
  g_string_append_printf (joins, "\n  LEFT JOIN (SELECT %strue AS __hit FROM %s AS __r "
                          "WHERE (%s)) AS __j%u ON %s", select->str, target, rf ? rf : "true", n,
                          on->str);
  g_string_append_printf (miss, "__j%u.__hit IS NULL", n);
  *missing = g_string_free (g_steal_pointer (&miss), FALSE);
}

void
_aq_quality_scan_columns (GPtrArray       *rules,
                          const gboolean  *joined,
                          AqQualityParams *params,
                          GString         *select,
                          GString         *joins)
{
  for (guint i = 0; i < rules->len; i++)
    {
      const AqQualityRule *rule = g_ptr_array_index (rules, i);
      const char *filter = rule->filter ? rule->filter : "true";
      const char *sep = select->len ? ",\n  " : "";

      /* a referential rule: counted here through a join on unique keys, or by its own
       * anti-join (the caller's) */
      if (_aq_quality_rule_joins (rule))
        {
          g_autofree char *missing = NULL;

          if (joined == NULL || !joined[i])
            {
              g_string_append_printf (select, "%scount(*) FILTER (WHERE (%s)) AS __c%u,\n  "
                                              "0::bigint AS __f%u", sep, filter, i, i);
              continue;
            }
          ref_join (rule, i, joins, &missing);
          g_string_append_printf (select, "%scount(*) FILTER (WHERE (%s)) AS __c%u,\n  "
                                          "count(*) FILTER (WHERE (%s) AND %s) AS __f%u",
                                  sep, filter, i, filter, missing, i);
          continue;
        }
      {
        g_autofree char *fail = _aq_quality_fail_condition (rule, params);

        g_string_append_printf (select, "%scount(*) FILTER (WHERE (%s)) AS __c%u,\n  "
                                        "count(*) FILTER (WHERE (%s) AND (%s)) AS __f%u",
                                sep, filter, i, filter, fail, i);
      }
    }
}

char *
_aq_quality_scan_sql (GPtrArray       *rules,
                      const gboolean  *joined,
                      AqQualityParams *params)
{
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) joins = g_string_new (NULL);
  const AqQualityRule *first = g_ptr_array_index (rules, 0);
  g_autofree char *target = _aq_quality_target (first->layer, first->table);

  _aq_quality_scan_columns (rules, joined, params, select, joins);
  return g_strdup_printf ("SELECT %s\nFROM %s AS __t%s", select->str, target, joins->str);
}

/* ---- for reading ---- */

/* @sql with its $n placeholders replaced by quoted literals (for showing, never for running) */
static char *
inline_params (const char *sql,
               GPtrArray  *values)
{
  GString *out = g_string_new (NULL);

  for (const char *p = sql; *p; p++)
    {
      if (*p == '$' && g_ascii_isdigit (p[1]))
        {
          char *end;
          guint64 n = g_ascii_strtoull (p + 1, &end, 10);

          if (n >= 1 && n <= values->len)
            {
              const char *v = g_ptr_array_index (values, n - 1);

              g_string_append_c (out, '\'');
              for (const char *c = v; c && *c; c++)
                {
                  if (*c == '\'')
                    g_string_append_c (out, '\'');
                  g_string_append_c (out, *c);
                }
              g_string_append_c (out, '\'');
              p = end - 1;
              continue;
            }
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
aq_quality_rule_sql (const AqQualityRule *rule)
{
  AqQualityParams params;
  g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
  g_autofree char *sql = NULL;
  char *shown;

  if (g_str_equal (rule->type, "custom") && !aq_quality_rule_is_column_rule (rule))
    return g_strdup (json_object_get_string_member (rule->args, "sql"));
  if (!aq_quality_rule_is_column_rule (rule))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *args = NULL;

      json_node_set_object (node, rule->args);
      args = json_to_string (node, TRUE);
      return g_strdup_printf ("-- %s on %s%s%s, computed from:\n%s", rule->type, target,
                              rule->filter ? " WHERE " : "", rule->filter ? rule->filter : "",
                              args);
    }
  _aq_quality_params_init (&params);
  {
    g_autofree char *fail = _aq_quality_rule_joins (rule)
                            ? _aq_quality_ref_missing (rule)
                            : _aq_quality_fail_condition (rule, &params);
    g_autofree char *value = _aq_quality_value_expr (rule);

    sql = g_strdup_printf ("SELECT %s\nFROM %s AS __t\nWHERE (%s)\n  AND %s", value, target,
                           rule->filter ? rule->filter : "true", fail);
  }
  shown = inline_params (sql, params.values);
  _aq_quality_params_clear (&params);
  return shown;
}

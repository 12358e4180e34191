/* aq-quality-profile.c — profiling a table and suggesting rules from what it holds
 *
 * One statement over the table answers, per column, the null share, the distinct count, the
 * minimum and maximum and, for text, the share of values in each named format; a second one,
 * in the same read-only snapshot, the most frequent values of every column whose values
 * repeat and the most frequent shapes of text values (digits as 9, letters as A).
 * Suggestions follow plainly from those figures (no nulls → not null; all distinct → unique;
 * a named format or one shape that ≥ 95 % of values follow → pattern; numbers and dates →
 * their seen range; a few repeating codes → allowed values), so a data engineer can adopt
 * them with one click in the rule editor and tighten them later. aq_quality_profile_async()
 * runs it on a pooled connection off the main thread (aq_db_job_run_async), cancellable.
 *
 * Columns whose values cannot be compared (json, xml, the geometric types, PostGIS geometries,
 * binary data: no equality, or none worth a hash of every value) are profiled for nulls only:
 * count(DISTINCT …), min/max and top values would fail or cost a sort of blobs. Their profile
 * says so in a "note" instead of giving an error.
 */
#define G_LOG_DOMAIN "aq-quality-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-quality-private.h"

static const struct
{
  const char *name;
  const char *regex;
} profile_formats[] = {
  { "mobile", "^1[3-9][0-9]{9}$" },
  { "landline", "^0[1-9][0-9]{1,2}[2-9][0-9]{6,7}$" },
  { "id_card", "^[1-9][0-9]{16}[0-9X]$" },
  { "meter_no", "^[A-Z]{2}[0-9]{10}$" },
  { "account_no", "^35[0-9]{8}$" },
};

#define FORMAT_SHARE 0.95
#define TOP_VALUES 10           /* most frequent values and shapes kept per column */
#define ALLOWED_VALUES_MAX 10   /* at most this many distinct codes → an allowed-values rule */
#define SHAPE_MAX_LENGTH 40     /* longer text has no shape: free text, not a code */

static const char shape_from[] =
  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
static const char shape_to[] =
  "9999999999AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

static gboolean
is_text (const char *type)
{
  return g_str_equal (type, "text") || g_str_has_prefix (type, "character");
}

/* A regular expression every value of @shape matches: runs of 9 are digits, runs of A
 * letters, anything else itself. */
static char *
shape_regex (const char *shape)
{
  GString *re = g_string_new ("^");

  for (const char *c = shape; *c;)
    {
      if (*c == '9' || *c == 'A')
        {
          char k = *c;
          guint n = 0;

          while (*c == k)
            c++, n++;
          g_string_append (re, k == '9' ? "[0-9]" : "[A-Za-z]");
          if (n > 1)
            g_string_append_printf (re, "{%u}", n);
        }
      else
        {
          const char *next = g_utf8_next_char (c);

          if (!g_ascii_isalnum (*c) && (guchar) *c < 0x80)
            g_string_append_c (re, '\\');
          g_string_append_len (re, c, next - c);
          c = next;
        }
    }
  g_string_append_c (re, '$');
  return g_string_free (re, FALSE);
}

/* Types without equality or ordering, or binary: nulls only (arrays of them too). */
static const char * const uncomparable_types[] = {
  "json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle", "bytea",
  "geometry", "geography", "box2d", "box3d", "raster", "tsvector", "tsquery", "txid_snapshot",
  "pg_snapshot", NULL
};

/* Whether column @i of the columns query (name, data_type, udt_name, typtype) can be counted
 * distinct, ranged and listed by value. */
static gboolean
is_comparable (PGresult *cols,
               int       i)
{
  const char *udt = PQgetvalue (cols, i, 2);

  if (*udt == '_')
    udt++;
  if (g_strv_contains (uncomparable_types, udt))
    return FALSE;
  /* other user-defined types: enums compare; anything else an extension brings may not */
  return !g_str_equal (PQgetvalue (cols, i, 1), "USER-DEFINED")
         || g_str_equal (PQgetvalue (cols, i, 3), "e");
}

static gboolean
is_orderable (const char *type)
{
  return g_str_equal (type, "integer") || g_str_equal (type, "bigint")
         || g_str_equal (type, "smallint") || g_str_equal (type, "numeric")
         || g_str_equal (type, "double precision") || g_str_equal (type, "date")
         || g_str_has_prefix (type, "timestamp");
}

static AqQualityRule *
suggestion (const char *layer,
            const char *table,
            const char *column,
            const char *type,
            const char *dimension)
{
  AqQualityRule *r = g_new0 (AqQualityRule, 1);

  r->name = g_strdup_printf ("%s.%s.%s_%s", layer, table, column, type);
  r->rule_set = g_strdup ("custom");
  r->layer = g_strdup (layer);
  r->table = g_strdup (table);
  r->type = g_strdup (type);
  r->args = json_object_new ();
  json_object_set_string_member (r->args, "column", column);
  r->dimension = g_strdup (dimension);
  r->severity = g_strdup ("warn");
  r->warn_at = 1;
  r->fail_at = 1;
  return r;
}

/* One statement: per column (k = 2 × its index) its most frequent values, and for text
 * (k = 2 × index + 1) its most frequent shapes, TOP_VALUES of each, most frequent first. */
static char *
top_values_sql (const char *target,
                PGresult   *cols,
                PGresult   *stats)
{
  g_autoptr(GString) values = g_string_new (NULL);
  int f = 1;

  for (int i = 0; i < PQntuples (cols); i++)
    {
      g_autofree char *c = aq_db_quote_ident (PQgetvalue (cols, i, 0));
      const char *type = PQgetvalue (cols, i, 1);
      gint64 non_null = g_ascii_strtoll (PQgetvalue (stats, 0, f), NULL, 10);
      gint64 distinct = g_ascii_strtoll (PQgetvalue (stats, 0, f + 1), NULL, 10);

      f += 4 + G_N_ELEMENTS (profile_formats);
      if (non_null == 0 || !is_comparable (cols, i)
          || (!g_str_equal (type, "boolean") && !is_text (type) && !is_orderable (type)))
        continue;
      if (distinct < non_null)
        g_string_append_printf (values, "%s(%d, %s::text)", values->len ? ", " : "", 2 * i, c);
      if (is_text (type))
        g_string_append_printf (values, "%s(%d, CASE WHEN length(%s) <= %d THEN "
                                "translate(%s, '%s', '%s') END)", values->len ? ", " : "",
                                2 * i + 1, c, SHAPE_MAX_LENGTH, c, shape_from, shape_to);
    }
  if (values->len == 0)
    return NULL;
  return g_strdup_printf ("SELECT k, v, n FROM (SELECT k, v, n, row_number() OVER "
                          "(PARTITION BY k ORDER BY n DESC, v) AS r FROM (SELECT x.k, x.v, "
                          "count(*) AS n FROM %s AS t CROSS JOIN LATERAL (VALUES %s) AS x(k, v) "
                          "WHERE x.v IS NOT NULL GROUP BY 1, 2) AS g) AS ranked WHERE r <= %d "
                          "ORDER BY k, r", target, values->str, TOP_VALUES);
}

/* [{value, count}] of key @k in the top-values result, most frequent first. */
static JsonArray *
top_array (PGresult *top,
           int       k,
           gint64   *out_total)
{
  JsonArray *a = json_array_new ();

  *out_total = 0;
  for (int r = 0; top && r < PQntuples (top); r++)
    if (atoi (PQgetvalue (top, r, 0)) == k)
      {
        JsonObject *o = json_object_new ();
        gint64 n = g_ascii_strtoll (PQgetvalue (top, r, 2), NULL, 10);

        json_object_set_string_member (o, "value", PQgetvalue (top, r, 1));
        json_object_set_int_member (o, "count", n);
        json_array_add_object_element (a, o);
        *out_total += n;
      }
  return a;
}

JsonNode *
aq_quality_profile (AqDb          *db,
                    const char    *qualified_table,
                    GPtrArray    **out_suggestions,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (qualified_table ? qualified_table : "", ".", 2);
  g_autoptr(PGresult) cols = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) top = NULL;
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  g_autoptr(GPtrArray) suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                     aq_quality_rule_free);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *target = NULL;
  g_autofree char *top_sql = NULL;
  const char *p[2];
  gint64 rows;
  gulong handler;
  int f = 1;

  if (g_strv_length (parts) != 2)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Name a table as layer.table, e.g. "
                                                        "dw.dim_customer"));
      return NULL;
    }
  p[0] = parts[0];
  p[1] = parts[1];
  cols = aq_db_query (db, "SELECT c.column_name, c.data_type, c.udt_name, t.typtype "
                          "FROM information_schema.columns c "
                          "JOIN pg_namespace n ON n.nspname = c.udt_schema "
                          "JOIN pg_type t ON t.typnamespace = n.oid AND t.typname = c.udt_name "
                          "WHERE c.table_schema = $1 AND c.table_name = $2 "
                          "ORDER BY c.ordinal_position", 2, p, error);
  if (cols == NULL)
    return NULL;
  if (PQntuples (cols) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No table %s in the warehouse"),
                   qualified_table);
      return NULL;
    }
  target = _aq_quality_target (parts[0], parts[1]);
  for (int i = 0; i < PQntuples (cols); i++)
    {
      g_autofree char *c = aq_db_quote_ident (PQgetvalue (cols, i, 0));
      const char *type = PQgetvalue (cols, i, 1);

      if (!is_comparable (cols, i))
        {
          g_string_append_printf (sql, ", count(%s), NULL, NULL, NULL", c);
          for (guint k = 0; k < G_N_ELEMENTS (profile_formats); k++)
            g_string_append (sql, ", 0");
          continue;
        }
      g_string_append_printf (sql, ", count(%s), count(DISTINCT %s)", c, c);
      if (is_orderable (type) || g_str_equal (type, "text"))
        g_string_append_printf (sql, ", min(%s)::text, max(%s)::text", c, c);
      else
        g_string_append (sql, ", NULL, NULL");
      for (guint k = 0; k < G_N_ELEMENTS (profile_formats); k++)
        if (is_text (type))
          g_string_append_printf (sql, ", count(*) FILTER (WHERE %s ~ '%s')", c,
                                  profile_formats[k].regex);
        else
          g_string_append (sql, ", 0");
    }
  g_string_append_printf (sql, " FROM %s", target);
  handler = aq_db_watch_cancellable (db, cancellable);
  if (aq_db_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    {
      res = aq_db_query (db, sql->str, 0, NULL, error);
      if (res)
        {
          top_sql = top_values_sql (target, cols, res);
          if (top_sql)
            {
              top = aq_db_query (db, top_sql, 0, NULL, error);
              if (top == NULL)
                g_clear_pointer (&res, PQclear);
            }
        }
      aq_db_rollback (db);
    }
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (res == NULL)
    return NULL;

  rows = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "table");
  json_builder_add_string_value (b, qualified_table);
  json_builder_set_member_name (b, "rows");
  json_builder_add_int_value (b, rows);
  json_builder_set_member_name (b, "columns");
  json_builder_begin_array (b);
  for (int i = 0; i < PQntuples (cols); i++)
    {
      const char *name = PQgetvalue (cols, i, 0);
      const char *type = PQgetvalue (cols, i, 1);
      gboolean comparable = is_comparable (cols, i);
      gint64 non_null = g_ascii_strtoll (PQgetvalue (res, 0, f), NULL, 10);
      gint64 distinct = g_ascii_strtoll (PQgetvalue (res, 0, f + 1), NULL, 10);
      const char *min = PQgetisnull (res, 0, f + 2) ? NULL : PQgetvalue (res, 0, f + 2);
      const char *max = PQgetisnull (res, 0, f + 3) ? NULL : PQgetvalue (res, 0, f + 3);
      const char *format = NULL;
      gint64 top_total, shape_total;
      JsonArray *values = top_array (top, 2 * i, &top_total);
      JsonArray *shapes = top_array (top, 2 * i + 1, &shape_total);
      const char *shape = NULL;
      gint64 shape_count = 0;
      JsonNode *node;

      for (guint k = 0; k < G_N_ELEMENTS (profile_formats); k++)
        {
          gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, f + 4 + k), NULL, 10);

          if (non_null > 0 && n >= FORMAT_SHARE * non_null && format == NULL)
            format = profile_formats[k].name;
        }
      f += 4 + G_N_ELEMENTS (profile_formats);
      if (json_array_get_length (shapes) > 0)
        {
          JsonObject *first = json_array_get_object_element (shapes, 0);

          shape = json_object_get_string_member (first, "value");
          shape_count = json_object_get_int_member (first, "count");
        }

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "column");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, g_str_equal (type, "USER-DEFINED")
                                        ? PQgetvalue (cols, i, 2) : type);
      json_builder_set_member_name (b, "null_share");
      json_builder_add_double_value (b, rows > 0 ? (double) (rows - non_null) / rows : 0);
      json_builder_set_member_name (b, "nulls");
      json_builder_add_int_value (b, rows - non_null);
      json_builder_set_member_name (b, "distinct");
      if (comparable)
        json_builder_add_int_value (b, distinct);
      else
        {
          g_autofree char *note = g_strdup_printf (_("%s values cannot be compared: only their "
                                                     "nulls are profiled"),
                                                   PQgetvalue (cols, i, 2));

          json_builder_add_null_value (b);
          json_builder_set_member_name (b, "note");
          json_builder_add_string_value (b, note);
        }
      json_builder_set_member_name (b, "min");
      json_builder_add_string_value (b, min);
      json_builder_set_member_name (b, "max");
      json_builder_add_string_value (b, max);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format);
      json_builder_set_member_name (b, "top_values");
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (node, values);
      json_builder_add_value (b, node);
      json_builder_set_member_name (b, "patterns");
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (node, shapes);
      json_builder_add_value (b, node);
      json_builder_end_object (b);

      if (rows > 0 && non_null == rows)
        g_ptr_array_add (suggestions, suggestion (parts[0], parts[1], name, "not_null",
                                                  "completeness"));
      if (comparable && rows > 0 && distinct == rows)
        {
          AqQualityRule *r = suggestion (parts[0], parts[1], name, "unique", "uniqueness");
          JsonArray *a = json_array_new ();

          json_object_remove_member (r->args, "column");
          json_array_add_string_element (a, name);
          json_object_set_array_member (r->args, "columns", a);
          g_ptr_array_add (suggestions, r);
        }
      if (format)
        {
          AqQualityRule *r = suggestion (parts[0], parts[1], name, "pattern", "validity");

          json_object_set_string_member (r->args, "format", format);
          g_ptr_array_add (suggestions, r);
        }
      else if (shape && shape_count >= FORMAT_SHARE * non_null)
        {
          AqQualityRule *r = suggestion (parts[0], parts[1], name, "pattern", "validity");
          g_autofree char *regex = shape_regex (shape);

          json_object_set_string_member (r->args, "regex", regex);
          g_ptr_array_add (suggestions, r);
        }
      else if (is_orderable (type) && min && max)
        {
          AqQualityRule *r = suggestion (parts[0], parts[1], name, "range", "validity");
          gboolean is_date = g_str_equal (type, "date") || g_str_has_prefix (type, "timestamp");

          json_object_set_string_member (r->args, "min", min);
          json_object_set_string_member (r->args, "max", max);
          json_object_set_string_member (r->args, "as", is_date ? (g_str_equal (type, "date")
                                                                   ? "date" : "timestamp")
                                                                : "numeric");
          g_ptr_array_add (suggestions, r);
        }
      /* a few codes that repeat, every one of them among the top values */
      if (is_text (type) && distinct > 0 && distinct < non_null
          && distinct <= ALLOWED_VALUES_MAX && top_total == non_null)
        {
          AqQualityRule *r = suggestion (parts[0], parts[1], name, "accepted_values",
                                         "validity");
          JsonArray *a = json_array_new ();

          for (guint v = 0; v < json_array_get_length (values); v++)
            json_array_add_string_element (a, json_object_get_string_member
                                                (json_array_get_object_element (values, v),
                                                 "value"));
          json_object_set_array_member (r->args, "values", a);
          g_ptr_array_add (suggestions, r);
        }
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "suggestions");
  json_builder_begin_array (b);
  for (guint i = 0; i < suggestions->len; i++)
    {
      JsonNode *n = json_node_new (JSON_NODE_OBJECT);

      json_node_take_object (n, aq_quality_rule_to_json (g_ptr_array_index (suggestions, i)));
      json_builder_add_value (b, n);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (out_suggestions)
    *out_suggestions = g_steal_pointer (&suggestions);
  return json_builder_get_root (b);
}

/* ---- asynchronous ---- */

void
aq_quality_profile_free (AqQualityProfile *profile)
{
  if (profile == NULL)
    return;
  g_clear_pointer (&profile->profile, json_node_unref);
  g_clear_pointer (&profile->suggestions, g_ptr_array_unref);
  g_free (profile);
}

static gpointer
profile_job (AqDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(AqQualityProfile) profile = g_new0 (AqQualityProfile, 1);

  profile->profile = aq_quality_profile (db, data, &profile->suggestions, cancellable, error);
  if (profile->profile == NULL)
    return NULL;
  return g_steal_pointer (&profile);
}

void
aq_quality_profile_async (const char          *conninfo,
                          const char          *qualified_table,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_quality_profile_async, profile_job,
                       g_strdup (qualified_table), g_free,
                       (GDestroyNotify) aq_quality_profile_free, cancellable, callback,
                       user_data);
}

AqQualityProfile *
aq_quality_profile_finish (GAsyncResult  *result,
                           GError       **error)
{
  return aq_db_job_run_finish (result, aq_quality_profile_async, error);
}

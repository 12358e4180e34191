/* aq-quality-profile.c — profiling a table and suggesting rules from what it holds
 *
 * One statement over the table answers, per column, the null share, the distinct count, the
 * minimum and maximum and, for text, the share of values in each named format. Suggestions
 * follow plainly from those figures (no nulls → not null; all distinct → unique; a format
 * that ≥ 95 % of values follow → pattern; numbers and dates → their seen range), so a data
 * engineer can adopt them with one click and tighten them later.
 */
#define G_LOG_DOMAIN "aq-quality-profile"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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
  g_autoptr(GString) sql = g_string_new ("SELECT count(*)");
  g_autoptr(GPtrArray) suggestions = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                     aq_quality_rule_free);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *target = NULL;
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
  cols = aq_db_query (db, "SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = $1 AND table_name = $2 "
                          "AND data_type <> 'USER-DEFINED' ORDER BY ordinal_position", 2, p,
                      error);
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

      g_string_append_printf (sql, ", count(%s), count(DISTINCT %s)", c, c);
      if (is_orderable (type) || g_str_equal (type, "text"))
        g_string_append_printf (sql, ", min(%s)::text, max(%s)::text", c, c);
      else
        g_string_append (sql, ", NULL, NULL");
      for (guint k = 0; k < G_N_ELEMENTS (profile_formats); k++)
        if (g_str_equal (type, "text") || g_str_has_prefix (type, "character"))
          g_string_append_printf (sql, ", count(*) FILTER (WHERE %s ~ '%s')", c,
                                  profile_formats[k].regex);
        else
          g_string_append (sql, ", 0");
    }
  g_string_append_printf (sql, " FROM %s", target);
  handler = aq_db_watch_cancellable (db, cancellable);
  if (aq_db_exec (db, "BEGIN READ ONLY", error))
    {
      res = aq_db_query (db, sql->str, 0, NULL, error);
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
      gint64 non_null = g_ascii_strtoll (PQgetvalue (res, 0, f), NULL, 10);
      gint64 distinct = g_ascii_strtoll (PQgetvalue (res, 0, f + 1), NULL, 10);
      const char *min = PQgetisnull (res, 0, f + 2) ? NULL : PQgetvalue (res, 0, f + 2);
      const char *max = PQgetisnull (res, 0, f + 3) ? NULL : PQgetvalue (res, 0, f + 3);
      const char *format = NULL;

      for (guint k = 0; k < G_N_ELEMENTS (profile_formats); k++)
        {
          gint64 n = g_ascii_strtoll (PQgetvalue (res, 0, f + 4 + k), NULL, 10);

          if (non_null > 0 && n >= FORMAT_SHARE * non_null && format == NULL)
            format = profile_formats[k].name;
        }
      f += 4 + G_N_ELEMENTS (profile_formats);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "column");
      json_builder_add_string_value (b, name);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, type);
      json_builder_set_member_name (b, "null_share");
      json_builder_add_double_value (b, rows > 0 ? (double) (rows - non_null) / rows : 0);
      json_builder_set_member_name (b, "distinct");
      json_builder_add_int_value (b, distinct);
      json_builder_set_member_name (b, "min");
      json_builder_add_string_value (b, min);
      json_builder_set_member_name (b, "max");
      json_builder_add_string_value (b, max);
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, format);
      json_builder_end_object (b);

      if (rows > 0 && non_null == rows)
        g_ptr_array_add (suggestions, suggestion (parts[0], parts[1], name, "not_null",
                                                  "completeness"));
      if (rows > 0 && distinct == rows)
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

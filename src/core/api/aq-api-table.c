/* aq-api-table.c — the wizard's pick-a-table path: what aq_api may read, and the template
 *
 * An author who does not write SQL picks a table or view, ticks columns and adds filters
 * (a column and an operator). The choice of tables is the warehouse's, not ours: only the
 * relations of dw, dm and masked that has_table_privilege() lets aq_api read are listed, and
 * only the columns has_column_privilege() lets it read — so a table the masked role may not
 * see (dw.dim_customer) is never offered, and what the wizard writes runs as a caller's call
 * would. The picks become an ordinary SQL template: identifiers quoted with
 * aq_db_quote_ident(), every value a :parameter the binder casts, optional filters inside
 * [[ … ]]. From there the wizard goes on exactly as for a template typed by hand (test as
 * aq_api rolled back, publish through aq_api_publish()), so nothing here bypasses the checks
 * a hand-written template gets.
 */
#define G_LOG_DOMAIN "aq-api-table"

#include "config.h"

#include "aq-api-table.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-error.h"

void
aq_api_table_free (AqApiTable *table)
{
  if (table == NULL)
    return;
  g_free (table->schema);
  g_free (table->name);
  g_free (table->comment);
  g_free (table);
}

void
aq_api_column_free (AqApiColumn *column)
{
  if (column == NULL)
    return;
  g_free (column->name);
  g_free (column->sql_type);
  g_free (column);
}

void
aq_api_table_param_free (AqApiTableParam *param)
{
  if (param == NULL)
    return;
  g_free (param->name);
  g_free (param);
}

/* ---- what aq_api may read ---- */

GPtrArray *
aq_api_readable_tables (AqDb    *db,
                        GError **error)
{
  g_autoptr(PGresult) res = NULL;
  GPtrArray *tables;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  /* has_any_column_privilege: true where has_table_privilege is, and also for a table
   * granted column by column (whose other columns aq_api_table_columns() leaves out) */
  res = aq_db_query (db,
    "SELECT n.nspname, c.relname, c.relkind IN ('v', 'm'),"
    "  coalesce(obj_description(c.oid, 'pg_class'), '')"
    " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname IN ('dw', 'dm', 'masked') AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
    "  AND NOT c.relispartition"
    "  AND has_schema_privilege('aq_api', n.oid, 'USAGE')"
    "  AND has_any_column_privilege('aq_api', c.oid, 'SELECT')"
    " ORDER BY n.nspname, c.relname", 0, NULL, error);
  if (res == NULL)
    return NULL;
  tables = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_table_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqApiTable *table = g_new0 (AqApiTable, 1);

      table->schema = g_strdup (PQgetvalue (res, i, 0));
      table->name = g_strdup (PQgetvalue (res, i, 1));
      table->view = *PQgetvalue (res, i, 2) == 't';
      table->comment = g_strdup (PQgetvalue (res, i, 3));
      g_ptr_array_add (tables, table);
    }
  return tables;
}

/* the binder's type for a column of pg_type @typname; native when the comparison needs no
 * cast on the column's side */
static AqApiParamType
param_type_for (const char *typname,
                gboolean   *native)
{
  static const struct { const char *typname; AqApiParamType type; } map[] = {
    { "int2", AQ_API_PARAM_INTEGER }, { "int4", AQ_API_PARAM_INTEGER },
    { "int8", AQ_API_PARAM_INTEGER }, { "numeric", AQ_API_PARAM_NUMERIC },
    { "float4", AQ_API_PARAM_NUMERIC }, { "float8", AQ_API_PARAM_NUMERIC },
    { "date", AQ_API_PARAM_DATE }, { "timestamp", AQ_API_PARAM_TIMESTAMP },
    { "timestamptz", AQ_API_PARAM_TIMESTAMP }, { "text", AQ_API_PARAM_TEXT },
    { "varchar", AQ_API_PARAM_TEXT }, { "bpchar", AQ_API_PARAM_TEXT },
    { "name", AQ_API_PARAM_TEXT },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_str_equal (typname, map[i].typname))
      {
        *native = TRUE;
        return map[i].type;
      }
  /* booleans, geometry, json…: compared as their text */
  *native = FALSE;
  return AQ_API_PARAM_TEXT;
}

GPtrArray *
aq_api_table_columns (AqDb        *db,
                      const char  *schema,
                      const char  *table,
                      GError     **error)
{
  const char *params[] = { schema, table };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *columns;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (schema != NULL && table != NULL, NULL);

  res = aq_db_query (db,
    "SELECT a.attname, format_type(a.atttypid, NULL), t.typname,"
    "  EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid"
    "          AND i.indisprimary AND i.indnatts = 1 AND i.indkey[0] = a.attnum)"
    " FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0"
    "  AND NOT a.attisdropped"
    " JOIN pg_catalog.pg_type t ON t.oid = a.atttypid"
    " WHERE n.nspname = $1 AND c.relname = $2 AND n.nspname IN ('dw', 'dm', 'masked')"
    "  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
    "  AND has_schema_privilege('aq_api', n.oid, 'USAGE')"
    "  AND has_column_privilege('aq_api', c.oid, a.attnum, 'SELECT')"
    " ORDER BY a.attnum", 2, params, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("The API role may read no table %s.%s: pick one from the list"), schema,
                   table);
      return NULL;
    }
  columns = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_column_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqApiColumn *column = g_new0 (AqApiColumn, 1);

      column->name = g_strdup (PQgetvalue (res, i, 0));
      column->sql_type = g_strdup (PQgetvalue (res, i, 1));
      column->param_type = param_type_for (PQgetvalue (res, i, 2), &column->native);
      column->key = *PQgetvalue (res, i, 3) == 't';
      g_ptr_array_add (columns, column);
    }
  return columns;
}

/* ---- the template ---- */

static const char *op_symbols[] = { "=", "<>", "<", "<=", ">", ">=", "starts with", "in" };
/* the parameter's name: the column's, then this */
static const char *op_suffixes[] = { "", "_not", "_below", "_to", "_above", "_from", "_prefix",
                                     "_in" };

const char *
aq_api_filter_op_symbol (AqApiFilterOp op)
{
  g_return_val_if_fail (op < AQ_API_N_OPS, "=");
  return op_symbols[op];
}

static const AqApiColumn *
find_column (GPtrArray  *columns,
             const char *name)
{
  for (guint i = 0; i < columns->len; i++)
    {
      const AqApiColumn *column = g_ptr_array_index (columns, i);

      if (g_strcmp0 (column->name, name) == 0)
        return column;
    }
  return NULL;
}

static gboolean
name_taken (GPtrArray  *params,
            const char *name)
{
  if (g_str_equal (name, "page_size") || g_str_equal (name, "cursor")
      || g_str_equal (name, "count"))
    return TRUE;
  for (guint i = 0; i < params->len; i++)
    if (g_str_equal (((AqApiTableParam *) g_ptr_array_index (params, i))->name, name))
      return TRUE;
  return FALSE;
}

/* a parameter name the template parser reads back as it is: the column's name when it is
 * one (lowercase ASCII), “p” otherwise; a number added when taken */
static char *
param_name (GPtrArray     *params,
            const char    *column,
            AqApiFilterOp  op)
{
  g_autofree char *base = g_strconcat (column, op_suffixes[op], NULL);

  if (strlen (base) > 56 || !g_regex_match_simple ("^[a-z_][a-z0-9_]*$", base, 0, 0))
    {
      g_free (base);
      base = g_strconcat ("p", op_suffixes[op], NULL);
    }
  if (!name_taken (params, base))
    return g_steal_pointer (&base);
  for (guint n = 2;; n++)
    {
      g_autofree char *name = g_strdup_printf ("%s_%u", base, n);

      if (!name_taken (params, name))
        return g_steal_pointer (&name);
    }
}

static gboolean
append_clause (GString                *sql,
               GPtrArray              *params,
               const AqApiColumn      *column,
               const AqApiTableFilter *filter,
               GError                **error)
{
  g_autofree char *quoted = aq_db_quote_ident (column->name);
  g_autofree char *lhs = column->native ? g_strdup (quoted)
                                        : g_strdup_printf ("%s::text", quoted);
  AqApiTableParam *param = g_new0 (AqApiTableParam, 1);

  param->name = param_name (params, column->name, filter->op);
  param->type = column->param_type;
  param->required = filter->required;
  switch (filter->op)
    {
    case AQ_API_OP_STARTS_WITH:
      if (param->type != AQ_API_PARAM_TEXT)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("Filter on “%s”: “starts with” compares text, and the column is %s"),
                       column->name, column->sql_type);
          aq_api_table_param_free (param);
          return FALSE;
        }
      g_string_append_printf (sql, "starts_with(%s, :%s)", lhs, param->name);
      break;
    case AQ_API_OP_IN:
      param->type = AQ_API_PARAM_LIST;
      /* a list binds as text[]: cast it to the column's type when that is not text */
      if (column->native && column->param_type != AQ_API_PARAM_TEXT)
        g_string_append_printf (sql, "%s = ANY (:%s::%s[])", lhs, param->name,
                                column->sql_type);
      else
        g_string_append_printf (sql, "%s = ANY (:%s)", lhs, param->name);
      break;
    default:
      g_string_append_printf (sql, "%s %s :%s", lhs, op_symbols[filter->op], param->name);
      break;
    }
  g_ptr_array_add (params, param);
  return TRUE;
}

char *
aq_api_table_template (const char              *schema,
                       const char              *table,
                       GPtrArray               *columns,
                       const char * const      *selected,
                       const AqApiTableFilter  *filters,
                       guint                    n_filters,
                       GPtrArray              **out_params,
                       GError                 **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(GPtrArray) params = NULL;
  g_autofree char *quoted_schema = NULL;
  g_autofree char *quoted_table = NULL;
  guint n_selected = 0;
  gboolean where = FALSE;

  g_return_val_if_fail (schema != NULL && table != NULL && columns != NULL, NULL);

  for (guint i = 0; selected && selected[i]; i++)
    if (find_column (columns, selected[i]) == NULL)
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("“%s” is not a column of %s.%s the API role may read"), selected[i],
                     schema, table);
        return NULL;
      }
  for (guint i = 0; i < n_filters; i++)
    if (filters[i].op >= AQ_API_N_OPS || find_column (columns, filters[i].column) == NULL)
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("Filter %u: “%s” is not a column of %s.%s the API role may read"), i + 1,
                     filters[i].column ? filters[i].column : "", schema, table);
        return NULL;
      }
  /* the columns in the table's order, whatever order they were ticked in */
  for (guint i = 0; i < columns->len; i++)
    {
      const AqApiColumn *column = g_ptr_array_index (columns, i);
      g_autofree char *quoted = NULL;

      if (selected == NULL || !g_strv_contains (selected, column->name))
        continue;
      quoted = aq_db_quote_ident (column->name);
      g_string_append_printf (sql, "%s%s", n_selected++ ? ", " : "", quoted);
    }
  if (n_selected == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Tick at least one column for the API to answer"));
      return NULL;
    }
  quoted_schema = aq_db_quote_ident (schema);
  quoted_table = aq_db_quote_ident (table);
  g_string_append_printf (sql, "\nFROM %s.%s", quoted_schema, quoted_table);

  /* the required filters first, each on its line; then the optional ones in [[ … ]] */
  params = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_table_param_free);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < n_filters; i++)
      {
        const AqApiTableFilter *filter = &filters[i];
        gboolean optional = pass == 1;

        if (filter->required == optional)
          continue;
        if (optional)
          g_string_append (sql, where ? "\n[[ AND " : "\nWHERE true\n[[ AND ");
        else
          g_string_append (sql, where ? "\n  AND " : "\nWHERE ");
        where = TRUE;
        if (!append_clause (sql, params, find_column (columns, filter->column), filter, error))
          return NULL;
        if (optional)
          g_string_append (sql, " ]]");
      }
  if (out_params)
    *out_params = g_steal_pointer (&params);
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

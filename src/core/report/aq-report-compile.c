/* aq-report-compile.c — a report definition → one SQL statement: the shared part and lists
 *
 * Identifiers and expressions come only from the catalog; every value of a spec or a
 * parameter is bound as $n. Filters, labels and orders are built here for both kinds; a list
 * is a plain SELECT of its columns, a pivot is aq-report-pivot.c's.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report.h"
#include "aq-report-compile-private.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-db.h"
#include "aq-error.h"


static gboolean
invalid (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, message);
  return FALSE;
}

void
_aq_report_plan_free (AqReportPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->title);
  g_strfreev (plan->parameter_lines);
  g_free (plan->sql);
  g_clear_pointer (&plan->params, g_ptr_array_unref);
  g_clear_pointer (&plan->row_dims, g_ptr_array_unref);
  g_clear_pointer (&plan->row_labels, g_ptr_array_unref);
  g_clear_pointer (&plan->col_dims, g_ptr_array_unref);
  if (plan->values)
    {
      for (guint i = 0; i < plan->values->len; i++)
        {
          AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);
          g_free (v->label);
          g_free (v->format);
        }
      g_array_unref (plan->values);
    }
  g_clear_pointer (&plan->format_rules, g_ptr_array_unref);
  g_free (plan);
}

/* ---- binding values --------------------------------------------------------------------- */

/* "$n::type" for a new parameter holding @value. */
char *
_aq_report_bind (AqReportCompiler *c,
                 const char       *value,
                 const char       *type)
{
  g_ptr_array_add (c->plan->params, g_strdup (value));
  if (type == NULL || strcmp (type, "text") == 0)
    return g_strdup_printf ("$%u::text", c->plan->params->len);
  return g_strdup_printf ("$%u::%s", c->plan->params->len, type);
}

/* A filter value as the dimension's key type wants it: a month "YYYY-MM" is its first day. */
static gboolean
normalise_value (const char *path,
                 const char *key_type,
                 const char *value,
                 char      **out,
                 gboolean   *is_month,
                 GError    **error)
{
  if (is_month)
    *is_month = FALSE;
  if (strcmp (key_type, "date") == 0)
    {
      if (_aq_report_parse_month (value, out))
        {
          if (is_month)
            *is_month = TRUE;
          return TRUE;
        }
      {
        int y, m, d;
        char tail;
        if (strlen (value) == 10 && sscanf (value, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
            && g_date_valid_dmy (d, m, y))
          {
            *out = g_strdup (value);
            return TRUE;
          }
      }
      return invalid (error, _("%s: “%s” is not a month (YYYY-MM) or a date (YYYY-MM-DD)"),
                      path, value);
    }
  if (strcmp (key_type, "integer") == 0)
    {
      gint64 n;
      if (!g_ascii_string_to_signed (value, 10, G_MININT32, G_MAXINT32, &n, NULL))
        return invalid (error, _("%s: “%s” is not an integer"), path, value);
    }
  *out = g_strdup (value);
  return TRUE;
}

/* Expands one filter value: a literal, "$$literal", "$param", "$param.from", "$param.to".
 * Appends zero (an empty optional parameter), one or — for a range parameter as a whole —
 * two values. */
static gboolean
expand_value (AqReportCompiler *c,
              const char       *path,
              const char       *value,
              GPtrArray        *out,
              GError          **error)
{
  g_autofree char *name = NULL;
  const char *dot, *v;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (value[0] != '$')
    {
      g_ptr_array_add (out, g_strdup (value));
      return TRUE;
    }
  if (value[1] == '$')
    {
      g_ptr_array_add (out, g_strdup (value + 1));
      return TRUE;
    }
  dot = strchr (value, '.');
  name = dot ? g_strndup (value + 1, dot - value - 1) : g_strdup (value + 1);
  v = g_hash_table_lookup (c->params, name);
  if (v == NULL)
    return invalid (error, _("%s: parameter “%s” has no value"), path, name);
  if (*v == '\0')
    return TRUE;
  if (_aq_report_split_range (v, &from, &to))
    {
      if (dot == NULL || strcmp (dot, ".from") == 0)
        g_ptr_array_add (out, g_strdup (from));
      if (dot == NULL || strcmp (dot, ".to") == 0)
        g_ptr_array_add (out, g_strdup (to));
      return TRUE;
    }
  if (dot)
    return invalid (error, _("%s: parameter “%s” is not a range"), path, name);
  g_ptr_array_add (out, g_strdup (v));
  return TRUE;
}

/* ---- filters ---------------------------------------------------------------------------- */

/* The key expression of @dim in @source for a part shifted by @shift months. */
char *
_aq_report_dim_expr (AqCatalogSource *source,
                     const char      *dim,
                     guint            shift)
{
  const char *e = _aq_catalog_source_dim_expr (source, dim);

  if (e == NULL)
    return NULL;
  if (shift && strcmp (dim, "month") == 0)
    return g_strdup_printf ("(%s + interval '%u months')::date", e, shift);
  return g_strdup_printf ("(%s)", e);
}

static const char *
sql_type (const char *key_type)
{
  if (strcmp (key_type, "date") == 0)
    return "date";
  if (strcmp (key_type, "integer") == 0)
    return "integer";
  if (strcmp (key_type, "numeric") == 0)
    return "numeric";
  return "text";
}

gboolean
_aq_report_append_filters (AqReportCompiler *c,
                           AqCatalogSource  *source,
                           guint             shift,
                           GString          *where,
                           GError          **error)
{
  AqReportSpec *spec = c->spec;

  for (guint i = 0; i < aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_FILTERS); i++)
    {
      const AqReportField *f = aq_report_spec_get_field (spec, AQ_REPORT_ZONE_FILTERS, i);
      g_autofree char *path = g_strdup_printf ("filters[%u]", i);
      g_autoptr(GPtrArray) vals = g_ptr_array_new_with_free_func (g_free);

      for (guint k = 0; f->values && f->values[k]; k++)
        {
          g_autofree char *vpath = g_strdup_printf ("%s.values[%u]", path, k);
          if (!expand_value (c, vpath, f->values[k], vals, error))
            return FALSE;
        }

      if (f->op == AQ_REPORT_FILTER_CONDITION)
        {
          AqCatalogCondition *cond = _aq_catalog_lookup_condition (c->catalog, f->id);
          g_autoptr(GString) sql = NULL;

          if (strcmp (cond->source, source->id) != 0)
            continue;
          if (vals->len != g_strv_length (cond->arg_names))
            return invalid (error, _("%s: condition “%s” needs %u values"), path, f->id,
                            g_strv_length (cond->arg_names));
          sql = g_string_new (cond->sql);
          for (guint a = 0; cond->arg_names[a]; a++)
            {
              const char *type = cond->arg_types[a];
              g_autofree char *norm = NULL;
              g_autofree char *placeholder = g_strdup_printf ("{%u}", a + 1);
              g_autofree char *ref = NULL;
              g_autofree char *apath = g_strdup_printf ("%s.values[%u]", path, a);

              if (strcmp (type, "month") == 0)
                {
                  if (!_aq_report_parse_month (vals->pdata[a], &norm))
                    return invalid (error, _("%s: “%s” is not a month (YYYY-MM)"), apath,
                                    (char *) vals->pdata[a]);
                  type = "date";
                }
              else if (!normalise_value (apath, type, vals->pdata[a], &norm, NULL, error))
                return FALSE;
              if (strcmp (type, "numeric") == 0)
                {
                  char *end = NULL;
                  g_ascii_strtod (norm, &end);
                  if (end == norm || *end != '\0')
                    return invalid (error, _("%s: “%s” is not a number"), apath, norm);
                }
              ref = _aq_report_bind (c, norm, sql_type (type));
              g_string_replace (sql, placeholder, ref, 0);
            }
          g_string_append_printf (where, " AND (%s)", sql->str);
          continue;
        }

      {
        AqDimension *dim = aq_catalog_lookup_dimension (c->catalog, f->id);
        const char *key_type = _aq_dimension_get_key_type (dim);
        const char *type = sql_type (key_type);
        g_autofree char *e = _aq_report_dim_expr (source, f->id, shift);
        g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
        gboolean months = FALSE;

        if (e == NULL)
          return invalid (error, _("%s: source “%s” cannot be cut by dimension “%s”"), path,
                          source->id, f->id);
        if (vals->len == 0)
          continue;   /* an optional parameter left empty: no filter */
        for (guint k = 0; k < vals->len; k++)
          {
            g_autofree char *norm = NULL;
            g_autofree char *vpath = g_strdup_printf ("%s.values[%u]", path, k);
            gboolean is_month;

            if (!normalise_value (vpath, key_type, vals->pdata[k], &norm, &is_month, error))
              return FALSE;
            months |= is_month;
            g_ptr_array_add (refs, _aq_report_bind (c, norm, type));
          }
        switch (f->op)
          {
          case AQ_REPORT_FILTER_IN:
          case AQ_REPORT_FILTER_NOT_IN:
            g_string_append_printf (where, " AND %s %s (", e,
                                    f->op == AQ_REPORT_FILTER_IN ? "IN" : "NOT IN");
            for (guint k = 0; k < refs->len; k++)
              g_string_append_printf (where, "%s%s", k ? ", " : "", (char *) refs->pdata[k]);
            g_string_append (where, ")");
            break;
          case AQ_REPORT_FILTER_BETWEEN:
            if (refs->len != 2)
              return invalid (error, _("%s.values: between needs two values"), path);
            /* A month bound on a day-grained key covers the whole month. */
            if (months && strcmp (f->id, "month") != 0)
              g_string_append_printf (where, " AND %s >= %s AND %s < (%s + interval '1 month')",
                                      e, (char *) refs->pdata[0], e, (char *) refs->pdata[1]);
            else
              g_string_append_printf (where, " AND %s BETWEEN %s AND %s", e,
                                      (char *) refs->pdata[0], (char *) refs->pdata[1]);
            break;
          case AQ_REPORT_FILTER_GE:
            g_string_append_printf (where, " AND %s >= %s", e, (char *) refs->pdata[0]);
            break;
          case AQ_REPORT_FILTER_LE:
            if (months && strcmp (f->id, "month") != 0)
              g_string_append_printf (where, " AND %s < (%s + interval '1 month')", e,
                                      (char *) refs->pdata[0]);
            else
              g_string_append_printf (where, " AND %s <= %s", e, (char *) refs->pdata[0]);
            break;
          case AQ_REPORT_FILTER_CONDITION:
          default:
            g_assert_not_reached ();
          }
      }
    }
  return TRUE;
}

/* ---- labels ----------------------------------------------------------------------------- */

static char *
quote_qualified (const char *name)
{
  g_auto(GStrv) parts = g_strsplit (name, ".", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *q = aq_db_quote_ident (parts[i]);
      g_string_append_printf (out, "%s%s", i ? "." : "", q);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Appends ", <key>::text, <label>" for @key (an expression) and a LEFT JOIN to @joins when
 * the dimension labels through a table. */
void
_aq_report_append_key_label (AqDimension *dim,
                             const char  *key,
                             const char  *alias,
                             GString     *select,
                             GString     *joins)
{
  const char *table = _aq_dimension_get_label_table (dim);
  const char *expr = _aq_dimension_get_label_expr (dim);

  g_string_append_printf (select, ", (%s)::text", key);
  if (table)
    {
      g_autofree char *t = quote_qualified (table);
      g_autofree char *k = aq_db_quote_ident (_aq_dimension_get_label_key (dim));
      g_autofree char *l = aq_db_quote_ident (_aq_dimension_get_label_column (dim));

      g_string_append_printf (joins, " LEFT JOIN %s %s ON %s.%s = %s", t, alias, alias, k, key);
      g_string_append_printf (select, ", %s.%s::text", alias, l);
    }
  else if (expr)
    {
      g_autoptr(GString) e = g_string_new (expr);
      g_autofree char *wrapped = g_strdup_printf ("(%s)", key);
      g_string_replace (e, "{k}", wrapped, 0);
      g_string_append_printf (select, ", (%s)::text", e->str);
    }
  else
    g_string_append (select, ", NULL::text");
}

/* ---- the plan's header ------------------------------------------------------------------ */

static char *
value_label (AqReportPlanValue *v,
             const char        *label)
{
  const char *name = label ? label : aq_indicator_get_name (v->indicator);

  switch (v->calc)
    {
    case AQ_REPORT_CALC_SHARE_OF_TOTAL:
      return g_strdup_printf (_("%s share"), name);
    case AQ_REPORT_CALC_MOM:
      return g_strdup_printf (_("%s MoM"), name);
    case AQ_REPORT_CALC_YOY:
      return g_strdup_printf (_("%s YoY"), name);
    case AQ_REPORT_CALC_RANK:
      return g_strdup_printf (_("%s rank"), name);
    case AQ_REPORT_CALC_NONE:
    default:
      return g_strdup (name);
    }
}

static char *
param_display (AqReportCompiler    *c,
               const AqReportParam *p,
               const char          *value)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (value == NULL || *value == '\0')
    return g_strdup (_("All"));
  if (_aq_report_split_range (value, &from, &to))
    return strcmp (from, to) == 0 ? g_strdup (from)
                                  : g_strdup_printf (_("%s to %s"), from, to);
  if (p->type == AQ_REPORT_PARAM_DISTRICT || p->type == AQ_REPORT_PARAM_MEMBER)
    {
      AqDimension *dim = aq_catalog_lookup_dimension (c->catalog, p->type == AQ_REPORT_PARAM_DISTRICT
                                                                  ? "district" : p->dimension);
      const char *label = dim ? aq_dimension_get_member_label (dim, value) : NULL;
      if (label)
        return g_strdup (label);
    }
  return g_strdup (value);
}

static gboolean
check_members (AqReportCompiler *c,
               GError          **error)
{
  GPtrArray *params = aq_report_spec_get_params (c->spec);

  for (guint i = 0; i < params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (params, i);
      const char *value = g_hash_table_lookup (c->params, p->name);
      AqDimension *dim;

      if (value == NULL || *value == '\0')
        continue;
      if (p->type != AQ_REPORT_PARAM_DISTRICT && p->type != AQ_REPORT_PARAM_MEMBER)
        continue;
      dim = aq_catalog_lookup_dimension (c->catalog, p->type == AQ_REPORT_PARAM_DISTRICT
                                                     ? "district" : p->dimension);
      /* Only a dimension whose members are known can say no. */
      if (dim && aq_dimension_get_members (dim)
          && aq_dimension_get_member_label (dim, value) == NULL)
        return invalid (error, _("parameter “%s”: “%s” is not a known %s"), p->name, value,
                        aq_dimension_get_name (dim));
    }
  return TRUE;
}

static gboolean
plan_header (AqReportCompiler *c,
             GError          **error)
{
  AqReportPlan *plan = c->plan;
  AqReportSpec *spec = c->spec;
  GPtrArray *params = aq_report_spec_get_params (spec);
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();

  plan->kind = aq_report_spec_get_kind (spec);
  plan->title = g_strdup (*aq_report_spec_get_title (spec) ? aq_report_spec_get_title (spec)
                                                           : aq_report_spec_get_name (spec));
  plan->subtotals = aq_report_spec_get_subtotals (spec);
  plan->totals = aq_report_spec_get_totals (spec);
  for (guint i = 0; i < params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (params, i);
      g_autofree char *shown = param_display (c, p, g_hash_table_lookup (c->params, p->name));
      g_autofree char *line = g_strdup_printf ("%s: %s", p->label, shown);
      g_strv_builder_add (lines, line);
    }
  plan->parameter_lines = g_strv_builder_end (lines);

  for (guint i = 0; i < aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_ROWS); i++)
    {
      const AqReportField *f = aq_report_spec_get_field (spec, AQ_REPORT_ZONE_ROWS, i);
      AqDimension *dim = aq_catalog_lookup_dimension (c->catalog, f->id);
      g_ptr_array_add (plan->row_dims, dim);
      g_ptr_array_add (plan->row_labels, g_strdup (f->label ? f->label
                                                            : aq_dimension_get_name (dim)));
    }
  for (guint i = 0; i < aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_COLUMNS); i++)
    {
      const AqReportField *f = aq_report_spec_get_field (spec, AQ_REPORT_ZONE_COLUMNS, i);
      g_ptr_array_add (plan->col_dims, aq_catalog_lookup_dimension (c->catalog, f->id));
    }
  for (guint i = 0; i < aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_VALUES); i++)
    {
      const AqReportField *f = aq_report_spec_get_field (spec, AQ_REPORT_ZONE_VALUES, i);
      AqReportPlanValue v = { 0 };
      AqCatalogSource *source;

      v.indicator = aq_catalog_lookup_indicator (c->catalog, f->id);
      v.calc = f->calc;
      v.label = value_label (&v, f->label);
      v.format = g_strdup (v.calc == AQ_REPORT_CALC_RANK ? "0"
                           : v.calc == AQ_REPORT_CALC_NONE
                           ? aq_indicator_get_number_format (v.indicator) : "0.0%");
      g_array_append_val (plan->values, v);
      source = _aq_catalog_lookup_source (c->catalog, aq_indicator_get_source (v.indicator));
      if (source == NULL)
        return invalid (error, _("values[%u]: the source of “%s” is missing from the catalog"),
                        i, f->id);
      if (!g_ptr_array_find (c->sources, source, NULL))
        g_ptr_array_add (c->sources, source);
    }
  for (guint i = 0; i < aq_report_spec_get_format_rules (spec)->len; i++)
    g_ptr_array_add (plan->format_rules,
                     aq_report_format_rule_copy (aq_report_spec_get_format_rules (spec)->pdata[i]));
  return check_members (c, error);
}

/* ---- lists ------------------------------------------------------------------------------ */

static char *
measure_expr (AqIndicator *ind)
{
  switch (aq_indicator_get_aggregation (ind))
    {
    case AQ_AGGREGATION_RATIO:
    case AQ_AGGREGATION_AVG:
      return g_strdup_printf ("(%s)::numeric / nullif((%s)::numeric, 0)",
                              _aq_indicator_get_numerator (ind),
                              _aq_indicator_get_denominator (ind));
    case AQ_AGGREGATION_SUM:
    case AQ_AGGREGATION_COUNT:
    default:
      return g_strdup_printf ("(%s)::numeric", _aq_indicator_get_expr (ind));
    }
}

char *
_aq_report_custom_order (AqReportCompiler   *c,
                         const char         *key,
                         const AqReportSort *sort,
                         AqDimension        *dim)
{
  g_autoptr(GString) e = g_string_new ("CASE");
  g_autoptr(GPtrArray) order = g_ptr_array_new ();

  if (sort && sort->custom_order && sort->custom_order[0])
    for (guint k = 0; sort->custom_order[k]; k++)
      g_ptr_array_add (order, sort->custom_order[k]);
  else if (_aq_dimension_get_members_sql (dim) == NULL && aq_dimension_get_members (dim))
    {
      /* A fixed code list is shown in the catalog's order (居民 before 非居民 …), not by code. */
      GPtrArray *members = aq_dimension_get_members (dim);
      for (guint k = 0; k < members->len; k++)
        g_ptr_array_add (order, ((AqDimensionMember *) members->pdata[k])->key);
    }
  if (order->len == 0)
    return NULL;
  for (guint k = 0; k < order->len; k++)
    {
      g_autofree char *ref = _aq_report_bind (c, order->pdata[k], "text");
      g_string_append_printf (e, " WHEN (%s)::text = %s THEN %u", key, ref, k);
    }
  g_string_append_printf (e, " ELSE %u END", order->len);
  return g_string_free (g_steal_pointer (&e), FALSE);
}

const AqReportSort *
_aq_report_dimension_sort (AqReportSpec *spec,
                           const char   *dim)
{
  GPtrArray *sorts = aq_report_spec_get_sorts (spec);

  for (guint i = 0; i < sorts->len; i++)
    {
      AqReportSort *s = g_ptr_array_index (sorts, i);
      if (s->by == AQ_REPORT_SORT_DIMENSION && g_strcmp0 (s->dimension, dim) == 0)
        return s;
    }
  return NULL;
}

const AqReportSort *
_aq_report_value_sort (AqReportSpec *spec)
{
  GPtrArray *sorts = aq_report_spec_get_sorts (spec);

  for (guint i = 0; i < sorts->len; i++)
    {
      AqReportSort *s = g_ptr_array_index (sorts, i);
      if (s->by == AQ_REPORT_SORT_VALUE)
        return s;
    }
  return NULL;
}

static gboolean
compile_list (AqReportCompiler *c,
              GError          **error)
{
  AqReportPlan *plan = c->plan;
  AqCatalogSource *source = c->sources->pdata[0];
  guint n = plan->row_dims->len;
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) joins = g_string_new (NULL);
  g_autoptr(GString) where = g_string_new (" WHERE true");
  g_autoptr(GString) order = g_string_new (NULL);
  g_autoptr(GString) sql = g_string_new (NULL);
  const AqReportSort *vs = _aq_report_value_sort (c->spec);
  guint64 limit = aq_report_spec_get_limit (c->spec);

  for (guint d = 0; d < n; d++)
    {
      AqDimension *dim = plan->row_dims->pdata[d];
      g_autofree char *e = _aq_report_dim_expr (source, aq_dimension_get_id (dim), 0);
      g_autofree char *alias = g_strdup_printf ("l%u", d);

      if (e == NULL)
        return invalid (error, _("rows[%u]: source “%s” has no dimension “%s”"), d, source->id,
                        aq_dimension_get_id (dim));
      _aq_report_append_key_label (dim, e, alias, select, joins);
    }
  for (guint i = 0; i < plan->values->len; i++)
    {
      g_autofree char *me = measure_expr (g_array_index (plan->values, AqReportPlanValue, i).indicator);
      g_string_append_printf (select, ", (%s)::float8", me);
    }
  if (!_aq_report_append_filters (c, source, 0, where, error))
    return FALSE;

  /* Output positions: key of row dimension d at 2d + 1, value i at 2n + 1 + i. */
  if (vs)
    g_string_append_printf (order, "%u %s NULLS LAST", 2 * n + 1 + vs->value_index,
                            vs->descending ? "DESC" : "ASC");
  for (guint d = 0; d < n; d++)
    {
      AqDimension *dim = plan->row_dims->pdata[d];
      const AqReportSort *s = _aq_report_dimension_sort (c->spec, aq_dimension_get_id (dim));
      g_autofree char *e = NULL;
      g_autofree char *custom = NULL;

      /* The first column orders a list (usually a key: ties are rare and a 1 M-row sort on
       * every column costs seconds); further columns only when a sort rule names them. */
      if (d > 0 && s == NULL)
        continue;
      e = _aq_report_dim_expr (source, aq_dimension_get_id (dim), 0);
      custom = _aq_report_custom_order (c, e, s, dim);
      if (custom)
        g_string_append_printf (order, "%s%s", order->len ? ", " : "", custom);
      /* The key expression itself, not its text, so numbers and dates sort as such. */
      g_string_append_printf (order, "%s%s%s", order->len ? ", " : "", e,
                              s && s->descending ? " DESC" : "");
    }
  g_string_append_printf (sql, "SELECT %s FROM %s%s%s", select->str + 2, source->from_sql,
                          joins->str, where->str);
  if (order->len)
    g_string_append_printf (sql, " ORDER BY %s", order->str);
  if (limit)
    g_string_append_printf (sql, " LIMIT %" G_GUINT64_FORMAT, limit);
  plan->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  return TRUE;
}

/* ---- entry points ----------------------------------------------------------------------- */

AqReportPlan *
_aq_report_plan_new (AqCatalog    *catalog,
                     AqReportSpec *spec,
                     GHashTable   *resolved_params,
                     GError      **error)
{
  AqReportCompiler c = { catalog, spec, resolved_params, NULL, NULL };
  g_autoptr(AqReportPlan) plan = g_new0 (AqReportPlan, 1);
  g_autoptr(GPtrArray) sources = g_ptr_array_new ();

  plan->params = g_ptr_array_new_with_free_func (g_free);
  plan->row_dims = g_ptr_array_new ();
  plan->row_labels = g_ptr_array_new_with_free_func (g_free);
  plan->col_dims = g_ptr_array_new ();
  plan->values = g_array_new (FALSE, TRUE, sizeof (AqReportPlanValue));
  plan->format_rules = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_format_rule_free);
  c.plan = plan;
  c.sources = sources;

  if (!aq_report_spec_validate (spec, catalog, error) || !plan_header (&c, error))
    return NULL;
  if (plan->kind == AQ_REPORT_KIND_LIST ? !compile_list (&c, error)
                                        : !_aq_report_compile_pivot (&c, error))
    return NULL;
  return g_steal_pointer (&plan);
}

void
aq_report_query_free (AqReportQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->sql);
  g_clear_pointer (&query->params, g_ptr_array_unref);
  g_free (query);
}

AqReportQuery *
aq_report_compile (AqCatalog    *catalog,
                   AqReportSpec *spec,
                   GHashTable   *params,
                   GError      **error)
{
  g_autoptr(GHashTable) resolved = NULL;
  g_autoptr(AqReportPlan) plan = NULL;
  AqReportQuery *query;

  g_return_val_if_fail (AQ_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), NULL);

  if (!aq_report_spec_validate (spec, catalog, error))
    return NULL;
  resolved = aq_report_spec_resolve_params (spec, params, error);
  if (resolved == NULL)
    return NULL;
  {
    GHashTableIter iter;
    gpointer key, value;
    g_hash_table_iter_init (&iter, resolved);
    while (g_hash_table_iter_next (&iter, &key, &value))
      if (((char *) value)[0] == '@')
        {
          invalid (error, _("parameter “%s”: “%s” needs the warehouse; give a value"),
                   (char *) key, (char *) value);
          return NULL;
        }
  }
  plan = _aq_report_plan_new (catalog, spec, resolved, error);
  if (plan == NULL)
    return NULL;
  query = g_new0 (AqReportQuery, 1);
  query->sql = g_steal_pointer (&plan->sql);
  query->params = g_steal_pointer (&plan->params);
  return query;
}

const char *
_aq_report_plan_color (AqReportPlan *plan,
                       guint         value_index,
                       double        value)
{
  for (guint i = 0; i < plan->format_rules->len; i++)
    {
      AqReportFormatRule *r = g_ptr_array_index (plan->format_rules, i);
      gboolean hit;

      if (r->value_index != value_index)
        continue;
      if (strcmp (r->op, "<") == 0)
        hit = value < r->threshold;
      else if (strcmp (r->op, "<=") == 0)
        hit = value <= r->threshold;
      else if (strcmp (r->op, ">") == 0)
        hit = value > r->threshold;
      else if (strcmp (r->op, ">=") == 0)
        hit = value >= r->threshold;
      else if (strcmp (r->op, "=") == 0)
        hit = value == r->threshold;
      else
        hit = value != r->threshold;
      if (hit)
        return g_intern_string (r->color);
    }
  return NULL;
}

/* aq-report-validate.c — checking a report definition against the catalog, and its parameters
 *
 * Every message starts with the path of the field at fault ("values[2]", "parameters[0].type",
 * "parameter “n”") so the designer can point at it and the CLI can print it as is.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- parameter values ------------------------------------------------------------------- */

gboolean
_aq_report_parse_month (const char  *text,
                        char       **out_date)
{
  int y, m;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d%c", &y, &m, &tail) != 2
      || strlen (text) != 7 || y < 1900 || y > 2999 || m < 1 || m > 12)
    return FALSE;
  if (out_date)
    *out_date = g_strdup_printf ("%04d-%02d-01", y, m);
  return TRUE;
}

static gboolean
parse_date (const char *text)
{
  int y, m, d;
  char tail;

  return text && strlen (text) == 10 && sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3
         && g_date_valid_dmy (d, m, y);
}

gboolean
_aq_report_split_range (const char  *text,
                        char       **from,
                        char       **to)
{
  const char *dots = text ? strstr (text, "..") : NULL;

  if (dots == NULL)
    return FALSE;
  *from = g_strndup (text, dots - text);
  *to = g_strdup (dots + 2);
  return TRUE;
}

/* Checks one value; the value is returned normalised (a single month becomes a range). */
static char *
check_value (const AqReportParam *p,
             const char          *value,
             GError             **error)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (value[0] == '@')
    {
      static const char *dynamic[] = { "@latest", "@last12", "@all", NULL };
      if (!g_strv_contains (dynamic, value)
          || (p->type != AQ_REPORT_PARAM_MONTH && p->type != AQ_REPORT_PARAM_MONTH_RANGE)
          || (p->type == AQ_REPORT_PARAM_MONTH && strcmp (value, "@latest") != 0))
        {
          invalid (error, _("parameter “%s”: “%s” is not a value it can take"), p->name, value);
          return NULL;
        }
      return g_strdup (value);
    }
  switch (p->type)
    {
    case AQ_REPORT_PARAM_MONTH:
      if (!_aq_report_parse_month (value, NULL))
        {
          invalid (error, _("parameter “%s”: “%s” is not a month (YYYY-MM)"), p->name, value);
          return NULL;
        }
      return g_strdup (value);

    case AQ_REPORT_PARAM_MONTH_RANGE:
      if (_aq_report_parse_month (value, NULL))
        return g_strdup_printf ("%s..%s", value, value);
      if (!_aq_report_split_range (value, &from, &to) || !_aq_report_parse_month (from, NULL)
          || !_aq_report_parse_month (to, NULL))
        {
          invalid (error, _("parameter “%s”: “%s” is not a month range (YYYY-MM..YYYY-MM)"),
                   p->name, value);
          return NULL;
        }
      if (strcmp (from, to) > 0)
        {
          invalid (error, _("parameter “%s”: the range “%s” ends before it starts"), p->name,
                   value);
          return NULL;
        }
      return g_strdup (value);

    case AQ_REPORT_PARAM_DATE_RANGE:
      if (parse_date (value))
        return g_strdup_printf ("%s..%s", value, value);
      if (!_aq_report_split_range (value, &from, &to) || !parse_date (from) || !parse_date (to))
        {
          invalid (error, _("parameter “%s”: “%s” is not a date range (YYYY-MM-DD..YYYY-MM-DD)"),
                   p->name, value);
          return NULL;
        }
      if (strcmp (from, to) > 0)
        {
          invalid (error, _("parameter “%s”: the range “%s” ends before it starts"), p->name,
                   value);
          return NULL;
        }
      return g_strdup (value);

    case AQ_REPORT_PARAM_INTEGER:
      {
        gint64 n;
        if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &n, NULL))
          {
            invalid (error, _("parameter “%s”: “%s” is not an integer"), p->name, value);
            return NULL;
          }
        if ((p->min || p->max) && (n < p->min || n > p->max))
          {
            g_autofree char *range = g_strdup_printf ("%" G_GINT64_FORMAT "–%" G_GINT64_FORMAT,
                                                      p->min, p->max);
            invalid (error, _("parameter “%s”: %s is outside %s"), p->name, value, range);
            return NULL;
          }
        return g_strdup_printf ("%" G_GINT64_FORMAT, n);
      }

    case AQ_REPORT_PARAM_DISTRICT:
    case AQ_REPORT_PARAM_TEXT:
    case AQ_REPORT_PARAM_MEMBER:
    default:
      return g_strdup (value);
    }
}

GHashTable *
aq_report_spec_resolve_params (AqReportSpec  *self,
                               GHashTable    *values,
                               GError       **error)
{
  g_autoptr(GHashTable) out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *params = aq_report_spec_get_params (self);

  if (values)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, values);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        if (aq_report_spec_lookup_param (self, key) == NULL)
          {
            invalid (error, _("parameter “%s”: the report has no such parameter"),
                     (const char *) key);
            return NULL;
          }
    }
  for (guint i = 0; i < params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (params, i);
      const char *value = values ? g_hash_table_lookup (values, p->name) : NULL;
      char *checked;

      if (value == NULL)
        value = p->default_value;
      if (value == NULL)
        {
          invalid (error, _("parameter “%s”: a value is required"), p->name);
          return NULL;
        }
      if (*value == '\0')
        {
          /* Empty means "all" for the kinds that filter by members; the others need one. */
          if (p->type != AQ_REPORT_PARAM_DISTRICT && p->type != AQ_REPORT_PARAM_MEMBER
              && p->type != AQ_REPORT_PARAM_TEXT)
            {
              invalid (error, _("parameter “%s”: a value is required"), p->name);
              return NULL;
            }
          g_hash_table_insert (out, g_strdup (p->name), g_strdup (""));
          continue;
        }
      checked = check_value (p, value, error);
      if (checked == NULL)
        return NULL;
      g_hash_table_insert (out, g_strdup (p->name), checked);
    }
  return g_steal_pointer (&out);
}

/* ---- the spec against the catalog ------------------------------------------------------- */

static gboolean
check_param_ref (AqReportSpec *self,
                 const char   *path,
                 const char   *value,
                 GError      **error)
{
  g_autofree char *name = NULL;
  const char *dot;

  if (value[0] != '$' || value[1] == '$')
    return TRUE;
  dot = strchr (value, '.');
  name = dot ? g_strndup (value + 1, dot - value - 1) : g_strdup (value + 1);
  if (aq_report_spec_lookup_param (self, name) == NULL)
    return invalid (error, _("%s: parameter “%s” is not declared"), path, name);
  if (dot && strcmp (dot, ".from") != 0 && strcmp (dot, ".to") != 0)
    return invalid (error, _("%s: “%s” — only .from and .to can follow a parameter"), path,
                    value);
  return TRUE;
}

gboolean
aq_report_spec_validate (AqReportSpec  *self,
                         AqCatalog     *catalog,
                         GError       **error)
{
  AqReportKind kind = aq_report_spec_get_kind (self);
  guint n_values = aq_report_spec_get_n_fields (self, AQ_REPORT_ZONE_VALUES);
  g_autoptr(GPtrArray) inds = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean has_month = FALSE, has_time_calc = FALSE, has_year = FALSE;
  const char *sources[2] = { NULL, NULL };

  g_return_val_if_fail (AQ_IS_REPORT_SPEC (self), FALSE);
  g_return_val_if_fail (AQ_IS_CATALOG (catalog), FALSE);

  if (n_values == 0 && kind == AQ_REPORT_KIND_PIVOT)
    return invalid (error, _("values: a report needs at least one value"));
  if (kind == AQ_REPORT_KIND_LIST && aq_report_spec_get_n_fields (self, AQ_REPORT_ZONE_COLUMNS))
    return invalid (error, _("columns: a list has no column dimensions; move them to rows"));
  if (kind == AQ_REPORT_KIND_LIST
      && n_values + aq_report_spec_get_n_fields (self, AQ_REPORT_ZONE_ROWS) == 0)
    return invalid (error, _("rows: a list needs at least one column"));

  for (guint i = 0; i < n_values; i++)
    {
      const AqReportField *f = aq_report_spec_get_field (self, AQ_REPORT_ZONE_VALUES, i);
      AqIndicator *ind = aq_catalog_lookup_indicator (catalog, f->id);

      if (ind == NULL)
        {
          if (aq_catalog_lookup_dimension (catalog, f->id))
            return invalid (error, _("values[%u]: “%s” is a dimension; values are indicators"),
                            i, f->id);
          return invalid (error, _("values[%u]: unknown indicator “%s”"), i, f->id);
        }
      if (kind == AQ_REPORT_KIND_LIST && f->calc != AQ_REPORT_CALC_NONE)
        return invalid (error, _("values[%u].calc: a list has no calculations across cells"), i);
      if (f->calc == AQ_REPORT_CALC_SHARE_OF_TOTAL
          && (aq_indicator_get_aggregation (ind) == AQ_AGGREGATION_RATIO
              || aq_indicator_get_aggregation (ind) == AQ_AGGREGATION_AVG))
        return invalid (error, _("values[%u].calc: a share of the total needs a summable "
                                 "indicator, and “%s” is a %s"),
                        i, f->id, aq_aggregation_to_string (aq_indicator_get_aggregation (ind)));
      if (f->calc == AQ_REPORT_CALC_MOM || f->calc == AQ_REPORT_CALC_YOY)
        has_time_calc = TRUE;
      g_ptr_array_add (inds, ind);
      if (sources[0] == NULL || strcmp (sources[0], aq_indicator_get_source (ind)) == 0)
        sources[0] = aq_indicator_get_source (ind);
      else if (kind == AQ_REPORT_KIND_LIST)
        return invalid (error, _("values[%u]: “%s” comes from “%s” but the list reads “%s”; "
                                 "a list reads one source"),
                        i, f->id, aq_indicator_get_source (ind), sources[0]);
    }

  for (guint z = AQ_REPORT_ZONE_ROWS; z <= AQ_REPORT_ZONE_COLUMNS; z++)
    for (guint i = 0; i < aq_report_spec_get_n_fields (self, z); i++)
      {
        const AqReportField *f = aq_report_spec_get_field (self, z, i);
        AqDimension *dim = aq_catalog_lookup_dimension (catalog, f->id);

        if (dim == NULL)
          {
            if (aq_catalog_lookup_indicator (catalog, f->id))
              return invalid (error, _("%s[%u]: “%s” is an indicator; put it in values"),
                              aq_report_zone_to_string (z), i, f->id);
            return invalid (error, _("%s[%u]: unknown dimension “%s”"),
                            aq_report_zone_to_string (z), i, f->id);
          }
        if (g_hash_table_contains (seen, f->id))
          return invalid (error, _("%s[%u]: dimension “%s” is already in the layout"),
                          aq_report_zone_to_string (z), i, f->id);
        g_hash_table_add (seen, f->id);
        has_month |= strcmp (f->id, "month") == 0;
        has_year |= aq_dimension_get_kind (dim) == AQ_DIMENSION_TIME
                    && strcmp (f->id, "month") != 0;
        for (guint v = 0; v < inds->len; v++)
          if (!aq_indicator_allows_dimension (inds->pdata[v], f->id))
            return invalid (error, _("%s[%u]: indicator “%s” cannot be cut by dimension “%s”"),
                            aq_report_zone_to_string (z), i,
                            aq_indicator_get_id (inds->pdata[v]), f->id);
      }

  for (guint i = 0; i < aq_report_spec_get_n_fields (self, AQ_REPORT_ZONE_FILTERS); i++)
    {
      const AqReportField *f = aq_report_spec_get_field (self, AQ_REPORT_ZONE_FILTERS, i);
      g_autofree char *path = g_strdup_printf ("filters[%u]", i);
      guint n = f->values ? g_strv_length (f->values) : 0;

      if (f->op == AQ_REPORT_FILTER_CONDITION)
        {
          AqCatalogCondition *c = _aq_catalog_lookup_condition (catalog, f->id);
          if (c == NULL)
            return invalid (error, _("%s: unknown condition “%s”"), path, f->id);
          if (n != g_strv_length (c->arg_names))
            return invalid (error, _("%s: condition “%s” takes %u values, not %u"), path, f->id,
                            g_strv_length (c->arg_names), n);
          for (guint v = 0; v < inds->len; v++)
            if (strcmp (aq_indicator_get_source (inds->pdata[v]), c->source) != 0)
              return invalid (error, _("%s: condition “%s” applies to source “%s”, but "
                                       "indicator “%s” reads “%s”"),
                              path, f->id, c->source, aq_indicator_get_id (inds->pdata[v]),
                              aq_indicator_get_source (inds->pdata[v]));
        }
      else
        {
          AqDimension *dim = aq_catalog_lookup_dimension (catalog, f->id);
          if (dim == NULL)
            return invalid (error, _("%s: unknown dimension “%s”"), path, f->id);
          if (strcmp (f->id, "year") == 0)
            has_year = TRUE;
          for (guint v = 0; v < inds->len; v++)
            if (!aq_indicator_allows_dimension (inds->pdata[v], f->id))
              return invalid (error, _("%s: indicator “%s” cannot be cut by dimension “%s”"),
                              path, aq_indicator_get_id (inds->pdata[v]), f->id);
          if (n == 0)
            return invalid (error, _("%s.values: a filter needs at least one value"), path);
          if ((f->op == AQ_REPORT_FILTER_GE || f->op == AQ_REPORT_FILTER_LE) && n != 1)
            return invalid (error, _("%s.values: ge and le take one value"), path);
          if (f->op == AQ_REPORT_FILTER_BETWEEN && n != 2
              && !(n == 1 && f->values[0][0] == '$'))
            return invalid (error, _("%s.values: between takes two values or one range "
                                     "parameter"), path);
        }
      for (guint k = 0; k < n; k++)
        {
          g_autofree char *vpath = g_strdup_printf ("%s.values[%u]", path, k);
          if (!check_param_ref (self, vpath, f->values[k], error))
            return FALSE;
        }
    }

  if (has_time_calc && !has_month)
    return invalid (error, _("values: month-on-month and year-on-year need the month "
                             "dimension in rows or columns"));
  if (has_time_calc && has_year)
    return invalid (error, _("values: month-on-month and year-on-year cannot be combined with "
                             "another time dimension; use month only"));

  for (guint i = 0; i < aq_report_spec_get_sorts (self)->len; i++)
    {
      AqReportSort *s = g_ptr_array_index (aq_report_spec_get_sorts (self), i);
      if (s->by == AQ_REPORT_SORT_VALUE && s->value_index >= n_values)
        return invalid (error, _("sort[%u].value: there is no value %u"), i, s->value_index);
      if (s->by == AQ_REPORT_SORT_DIMENSION && !g_hash_table_contains (seen, s->dimension))
        return invalid (error, _("sort[%u].dimension: “%s” is not in rows or columns"), i,
                        s->dimension);
    }
  for (guint i = 0; i < aq_report_spec_get_format_rules (self)->len; i++)
    {
      AqReportFormatRule *r = g_ptr_array_index (aq_report_spec_get_format_rules (self), i);
      if (r->value_index >= n_values)
        return invalid (error, _("formats[%u].value: there is no value %u"), i, r->value_index);
    }
  for (guint i = 0; i < aq_report_spec_get_params (self)->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (aq_report_spec_get_params (self), i);
      if (p->type == AQ_REPORT_PARAM_MEMBER
          && (p->dimension == NULL || aq_catalog_lookup_dimension (catalog, p->dimension) == NULL))
        return invalid (error, _("parameters[%u].dimension: a member parameter needs a known "
                                 "dimension"), i);
      if (p->default_value && *p->default_value)
        {
          g_autoptr(GError) local = NULL;
          g_autofree char *v = check_value (p, p->default_value, &local);
          if (v == NULL)
            return invalid (error, _("parameters[%u].default: %s"), i, local->message);
        }
    }
  if (kind == AQ_REPORT_KIND_LIST)
    {
      /* Every list column must come from one source. */
      if (inds->len == 0)
        return invalid (error, _("values: a list needs at least one value (it decides the "
                                 "source)"));
    }
  return TRUE;
}

/* aq-report-pivot.c — a pivot definition → its GROUPING SETS statement
 *
 * Identifiers and expressions come only from the catalog; every value of a spec or a
 * parameter is bound as $n. Pivots aggregate in the warehouse with GROUPING SETS: every
 * prefix of the row dimensions × every prefix of the column dimensions, so each subtotal and
 * total is the warehouse's own aggregate (never a sum made in C), and a ratio is
 * Σnumerator / Σdenominator at whatever level it is shown. Values from several sources are
 * aggregated per source and merged with UNION ALL + GROUP BY (a FULL JOIN could not match the
 * NULLs of rolled-up keys). Month-on-month and year-on-year read the same source a second
 * time with its month shifted forward, so the previous period's value lands on the row and
 * column it is compared with, subtotals included; share of total and rank are window
 * functions over the aggregated rows.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-compile-private.h"

#include <glib/gi18n-lib.h>
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

/* ---- pivots ----------------------------------------------------------------------------- */

typedef enum { M_PLAIN, M_NUM, M_DEN } MeasureRole;

typedef struct
{
  guint        value;   /* index into plan->values */
  MeasureRole  role;
  guint        shift;   /* 0, 1 (previous month) or 12 (same month last year) */
} Measure;

static guint
calc_shift (AqReportCalc calc)
{
  return calc == AQ_REPORT_CALC_MOM ? 1 : calc == AQ_REPORT_CALC_YOY ? 12 : 0;
}

/* The measure columns: for each value its sum (or numerator and denominator), and for a
 * month-on-month or year-on-year value the same again for the shifted part. */
static GArray *
plan_measures (AqReportPlan *plan)
{
  GArray *ms = g_array_new (FALSE, TRUE, sizeof (Measure));

  for (guint i = 0; i < plan->values->len; i++)
    {
      AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);
      AqAggregation agg = aq_indicator_get_aggregation (v->indicator);
      guint shifts[2] = { 0, calc_shift (v->calc) };

      for (guint s = 0; s < (shifts[1] ? 2 : 1); s++)
        {
          if (agg == AQ_AGGREGATION_RATIO || agg == AQ_AGGREGATION_AVG)
            {
              Measure n = { i, M_NUM, shifts[s] }, d = { i, M_DEN, shifts[s] };
              g_array_append_val (ms, n);
              g_array_append_val (ms, d);
            }
          else
            {
              Measure m = { i, M_PLAIN, shifts[s] };
              g_array_append_val (ms, m);
            }
        }
    }
  return ms;
}

static guint
find_measure (GArray     *ms,
              guint       value,
              MeasureRole role,
              guint       shift)
{
  for (guint i = 0; i < ms->len; i++)
    {
      Measure *m = &g_array_index (ms, Measure, i);
      if (m->value == value && m->role == role && m->shift == shift)
        return i;
    }
  g_assert_not_reached ();
  return 0;
}

/* One aggregated part: @source's measures (shift 0) or its shifted ones. */
static gboolean
append_part (AqReportCompiler *c,
             GArray           *ms,
             AqCatalogSource  *source,
             guint             shift,
             GString          *out,
             GError          **error)
{
  AqReportPlan *plan = c->plan;
  guint n = plan->row_dims->len, m = plan->col_dims->len;
  g_autoptr(GString) inner = g_string_new ("SELECT 1 AS one");
  g_autoptr(GString) where = g_string_new (" WHERE true");
  g_autoptr(GString) sets = g_string_new (NULL);
  int month_row = -1, month_col = -1;

  for (guint d = 0; d < n + m; d++)
    {
      AqDimension *dim = d < n ? plan->row_dims->pdata[d] : plan->col_dims->pdata[d - n];
      g_autofree char *e = _aq_report_dim_expr (source, aq_dimension_get_id (dim), shift);

      if (e == NULL)
        return invalid (error, _("%s[%u]: source “%s” cannot be cut by dimension “%s”"),
                        d < n ? "rows" : "columns", d < n ? d : d - n, source->id,
                        aq_dimension_get_id (dim));
      g_string_append_printf (inner, ", %s AS k%u", e, d);
      if (strcmp (aq_dimension_get_id (dim), "month") == 0)
        {
          if (d < n)
            month_row = d;
          else
            month_col = d - n;
        }
    }
  for (guint i = 0; i < ms->len; i++)
    {
      Measure *me = &g_array_index (ms, Measure, i);
      AqIndicator *ind = g_array_index (plan->values, AqReportPlanValue, me->value).indicator;
      const char *e;

      if (me->shift != shift
          || strcmp (aq_indicator_get_source (ind), source->id) != 0)
        continue;
      e = me->role == M_PLAIN ? _aq_indicator_get_expr (ind)
          : me->role == M_NUM ? _aq_indicator_get_numerator (ind)
                              : _aq_indicator_get_denominator (ind);
      g_string_append_printf (inner, ", (%s)::numeric AS x%u", e, i);
    }
  if (!_aq_report_append_filters (c, source, shift, where, error))
    return FALSE;

  /* Every prefix of the rows × every prefix of the columns; a shifted part only where the
   * month is shown (elsewhere there is no previous period to compare with). */
  for (int i = n; i >= 0; i--)
    for (int j = m; j >= 0; j--)
      {
        if (shift && !((month_row >= 0 && i > month_row) || (month_col >= 0 && j > month_col)))
          continue;
        g_string_append_printf (sets, "%s(", sets->len ? ", " : "");
        for (int d = 0; d < i; d++)
          g_string_append_printf (sets, "%sb.k%d", d ? ", " : "", d);
        for (int d = 0; d < j; d++)
          g_string_append_printf (sets, "%sb.k%u", (i || d) ? ", " : "", n + d);
        g_string_append (sets, ")");
      }

  g_string_append (out, "SELECT ");
  /* Row and column levels: how many leading dimensions the row / column keeps. */
  if (n)
    {
      g_string_append_printf (out, "%u", n);
      for (guint d = 0; d < n; d++)
        g_string_append_printf (out, " - GROUPING(b.k%u)", d);
    }
  else
    g_string_append (out, "0");
  g_string_append (out, " AS rl, ");
  if (m)
    {
      g_string_append_printf (out, "%u", m);
      for (guint d = 0; d < m; d++)
        g_string_append_printf (out, " - GROUPING(b.k%u)", n + d);
    }
  else
    g_string_append (out, "0");
  g_string_append (out, " AS cl");
  for (guint d = 0; d < n + m; d++)
    g_string_append_printf (out, ", b.k%u", d);
  for (guint i = 0; i < ms->len; i++)
    {
      Measure *me = &g_array_index (ms, Measure, i);
      AqIndicator *ind = g_array_index (plan->values, AqReportPlanValue, me->value).indicator;

      if (me->shift == shift && strcmp (aq_indicator_get_source (ind), source->id) == 0)
        g_string_append_printf (out, ", sum(b.x%u) AS x%u", i, i);
      else
        g_string_append_printf (out, ", NULL::numeric AS x%u", i);
    }
  g_string_append_printf (out, ", %d AS cur", shift ? 0 : 1);
  g_string_append_printf (out, " FROM (%s FROM %s%s) b GROUP BY GROUPING SETS (%s)",
                          inner->str, source->from_sql, where->str, sets->str);
  return TRUE;
}

static char *
value_sql (GArray      *ms,
           guint        value,
           AqIndicator *ind,
           guint        shift)
{
  AqAggregation agg = aq_indicator_get_aggregation (ind);

  if (agg == AQ_AGGREGATION_RATIO || agg == AQ_AGGREGATION_AVG)
    return g_strdup_printf ("g.x%u / nullif(g.x%u, 0)", find_measure (ms, value, M_NUM, shift),
                            find_measure (ms, value, M_DEN, shift));
  return g_strdup_printf ("g.x%u", find_measure (ms, value, M_PLAIN, shift));
}

gboolean
_aq_report_compile_pivot (AqReportCompiler *c,
                          GError          **error)
{
  AqReportPlan *plan = c->plan;
  guint n = plan->row_dims->len, m = plan->col_dims->len;
  g_autoptr(GArray) ms = plan_measures (plan);
  g_autoptr(GString) sql = g_string_new ("WITH ");
  g_autoptr(GString) parts = g_string_new (NULL);
  g_autoptr(GString) keys = g_string_new (NULL);
  g_autoptr(GString) ckeys = g_string_new (NULL);
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) joins = g_string_new (NULL);
  g_autoptr(GString) col_order = g_string_new (NULL);
  g_autoptr(GString) row_order = g_string_new (NULL);
  g_autoptr(GString) sort_values = g_string_new (NULL);
  const AqReportSort *vs = _aq_report_value_sort (c->spec);
  guint n_parts = 0;

  for (guint d = 0; d < n + m; d++)
    g_string_append_printf (keys, ", k%u", d);
  for (guint d = n; d < n + m; d++)
    g_string_append_printf (ckeys, ", v.k%u", d);

  for (guint s = 0; s < c->sources->len; s++)
    {
      guint shifts[] = { 0, 1, 12 };
      for (guint k = 0; k < G_N_ELEMENTS (shifts); k++)
        {
          gboolean needed = shifts[k] == 0;
          for (guint i = 0; i < ms->len && !needed; i++)
            {
              Measure *me = &g_array_index (ms, Measure, i);
              AqIndicator *ind = g_array_index (plan->values, AqReportPlanValue, me->value).indicator;
              needed = me->shift == shifts[k]
                       && strcmp (aq_indicator_get_source (ind),
                                  ((AqCatalogSource *) c->sources->pdata[s])->id) == 0;
            }
          if (!needed)
            continue;
          g_string_append (parts, n_parts ? " UNION ALL " : "");
          if (!append_part (c, ms, c->sources->pdata[s], shifts[k], parts, error))
            return FALSE;
          n_parts++;
        }
    }

  if (n_parts == 1)
    g_string_append_printf (sql, "g AS (%s)", parts->str);
  else
    {
      g_string_append_printf (sql, "g AS (SELECT rl, cl%s", keys->str);
      for (guint i = 0; i < ms->len; i++)
        g_string_append_printf (sql, ", sum(x%u) AS x%u", i, i);
      g_string_append_printf (sql, " FROM (%s) u GROUP BY rl, cl%s HAVING max(cur) = 1)",
                              parts->str, keys->str);
    }

  /* v: the values as shown (with the calculations). */
  g_string_append_printf (sql, ", v AS (SELECT g.rl, g.cl");
  for (guint d = 0; d < n + m; d++)
    g_string_append_printf (sql, ", g.k%u", d);
  for (guint i = 0; i < plan->values->len; i++)
    {
      AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);
      g_autofree char *cur = value_sql (ms, i, v->indicator, 0);

      if (v->calc == AQ_REPORT_CALC_MOM || v->calc == AQ_REPORT_CALC_YOY)
        {
          g_autofree char *prev = value_sql (ms, i, v->indicator, calc_shift (v->calc));
          g_string_append_printf (sql, ", (%s) / nullif(%s, 0) - 1 AS o%u", cur, prev, i);
        }
      else
        g_string_append_printf (sql, ", %s AS o%u", cur, i);
    }
  g_string_append (sql, " FROM g)");

  /* w: the calculations across cells. */
  g_string_append (sql, ", w AS (SELECT v.rl, v.cl");
  for (guint d = 0; d < n + m; d++)
    g_string_append_printf (sql, ", v.k%u", d);
  for (guint i = 0; i < plan->values->len; i++)
    {
      AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);

      switch (v->calc)
        {
        case AQ_REPORT_CALC_SHARE_OF_TOTAL:
          g_string_append_printf (sql, ", v.o%u / nullif(sum(v.o%u) OVER (PARTITION BY v.rl, "
                                  "v.cl%s), 0) AS o%u", i, i, ckeys->str, i);
          break;
        case AQ_REPORT_CALC_RANK:
          /* only detail rows are ranked (among their siblings); a subtotal has no rank */
          g_string_append_printf (sql, ", CASE WHEN v.o%u IS NULL OR v.rl < %u THEN NULL "
                                  "ELSE rank() OVER (PARTITION BY v.rl, v.cl%s", i, n,
                                  ckeys->str);
          for (guint d = 0; d + 1 < n; d++)
            g_string_append_printf (sql, ", CASE WHEN v.rl > %u THEN v.k%u END", d + 1, d);
          g_string_append_printf (sql, " ORDER BY v.o%u DESC NULLS LAST) END AS o%u", i, i);
          break;
        default:
          g_string_append_printf (sql, ", v.o%u", i);
          break;
        }
    }
  g_string_append (sql, " FROM v)");

  /* s: the sort value of each row's ancestors (the row's own value in the total column). */
  if (vs && n)
    {
      g_string_append (sql, ", s0 AS (SELECT w.*");
      for (guint d = vs->within_groups ? n - 1 : 0; d < n; d++)
        {
          g_string_append_printf (sql, ", max(CASE WHEN w.rl = %u AND w.cl = 0 THEN w.o%u END) "
                                  "OVER (PARTITION BY w.k0", d + 1, vs->value_index);
          for (guint e = 1; e <= d; e++)
            g_string_append_printf (sql, ", w.k%u", e);
          g_string_append_printf (sql, ") AS sv%u", d);
          g_string_append_printf (sort_values, ",sv%u", d);
        }
      g_string_append (sql, " FROM w)");
    }
  else
    g_string_append (sql, ", s0 AS (SELECT w.* FROM w)");

  /* s: without a subtotal row whose level has one member only (it would repeat that member's
   * row); nc<d> counts a level-d row's children by their total-column rows. */
  g_string_append (sql, ", s AS (SELECT * FROM (SELECT s0.*");
  for (guint d = 1; d < n; d++)
    {
      g_string_append_printf (sql, ", count(*) FILTER (WHERE s0.rl = %u AND s0.cl = 0) OVER "
                              "(PARTITION BY s0.k0", d + 1);
      for (guint e = 1; e < d; e++)
        g_string_append_printf (sql, ", s0.k%u", e);
      g_string_append_printf (sql, ") AS nc%u", d);
    }
  g_string_append (sql, " FROM s0) t WHERE true");
  for (guint d = 1; d < n; d++)
    g_string_append_printf (sql, " AND NOT (t.rl = %u AND t.nc%u = 1)", d, d);
  g_string_append (sql, ")");

  /* Orders: a rolled-up level after its members, then the dimension's own order. */
  for (guint d = 0; d < m; d++)
    {
      AqDimension *dim = plan->col_dims->pdata[d];
      const AqReportSort *srt = _aq_report_dimension_sort (c->spec, aq_dimension_get_id (dim));
      g_autofree char *key = g_strdup_printf ("s.k%u", n + d);
      g_autofree char *custom = _aq_report_custom_order (c, key, srt, dim);

      g_string_append_printf (col_order, "%s(s.cl <= %u)", d ? ", " : "", d);
      if (custom)
        g_string_append_printf (col_order, ", %s", custom);
      g_string_append_printf (col_order, ", s.k%u%s", n + d, srt && srt->descending ? " DESC" : "");
    }
  for (guint d = 0; d < n; d++)
    {
      AqDimension *dim = plan->row_dims->pdata[d];
      const AqReportSort *srt = _aq_report_dimension_sort (c->spec, aq_dimension_get_id (dim));
      g_autofree char *key = g_strdup_printf ("s.k%u", d);
      g_autofree char *custom = _aq_report_custom_order (c, key, srt, dim);
      g_autofree char *sv = g_strdup_printf (",sv%u", d);

      g_string_append_printf (row_order, "%s(s.rl <= %u)", d ? ", " : "", d);
      if (vs && strstr (sort_values->str, sv))
        g_string_append_printf (row_order, ", s.sv%u %s NULLS LAST", d,
                                vs->descending ? "DESC" : "ASC");
      if (custom)
        g_string_append_printf (row_order, ", %s", custom);
      g_string_append_printf (row_order, ", s.k%u%s", d, srt && srt->descending ? " DESC" : "");
    }

  g_string_append (select, "SELECT s.rl, s.cl, ");
  if (m)
    g_string_append_printf (select, "dense_rank() OVER (ORDER BY %s)", col_order->str);
  else
    g_string_append (select, "1");
  for (guint d = 0; d < n + m; d++)
    {
      AqDimension *dim = d < n ? plan->row_dims->pdata[d] : plan->col_dims->pdata[d - n];
      g_autofree char *key = g_strdup_printf ("s.k%u", d);
      g_autofree char *alias = g_strdup_printf ("l%u", d);
      _aq_report_append_key_label (dim, key, alias, select, joins);
    }
  for (guint i = 0; i < plan->values->len; i++)
    g_string_append_printf (select, ", s.o%u::float8", i);

  g_string_append_printf (sql, " %s FROM s%s ORDER BY %s%s%s", select->str, joins->str,
                          row_order->len ? row_order->str : "",
                          row_order->len ? ", " : "", "3");
  plan->sql = g_string_free (g_steal_pointer (&sql), FALSE);
  return TRUE;
}


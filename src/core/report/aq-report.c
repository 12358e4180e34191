/* aq-report.c — running reports: a spec and its parameters → a result, a stream or a list
 *
 * Interactive runs are read-only transactions with a statement timeout, on the caller's
 * connection (or, for the _async variant, on one the worker opens, so cancelling an older run
 * from the designer only sends PQcancel to that run). Streams fetch a cursor in chunks so an
 * export of a million rows holds one chunk at a time.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-report-private.h"
#include "aq-report-period.h"

#define LIST_RUN_MAX_ROWS 100000
#define STREAM_CHUNK 5000

/* ---- transactions and parameters -------------------------------------------------------- */

gboolean
_aq_report_begin_read_only (AqDb    *db,
                            GError **error)
{
  return aq_db_exec (db, "BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = "
                         G_STRINGIFY (AQ_REPORT_STATEMENT_TIMEOUT_MS), error);
}

static gboolean
needs_warehouse (GHashTable *params)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((char *) value)[0] == '@')
      return TRUE;
  return FALSE;
}

static char *
add_months (const char *month,
            int         n)
{
  int y, m;

  if (sscanf (month, "%4d-%2d", &y, &m) != 2)
    return g_strdup (month);
  m = y * 12 + (m - 1) + n;
  return g_strdup_printf ("%04d-%02d", m / 12, m % 12 + 1);
}

/* "@latest", "@last12" and "@all" become months of the warehouse's billing history. */
GHashTable *
_aq_report_resolve_dynamic (AqDb          *db,
                            AqReportSpec  *spec,
                            GHashTable    *values,
                            GError       **error)
{
  g_autoptr(GHashTable) params = aq_report_spec_resolve_params (spec, values, error);
  g_autoptr(PGresult) res = NULL;
  const char *first, *last;
  GHashTableIter iter;
  gpointer key, value;

  if (params == NULL || !needs_warehouse (params))
    return g_steal_pointer (&params);
  res = aq_db_query (db, "SELECT to_char(min(period), 'YYYY-MM'), to_char(max(period), 'YYYY-MM')"
                         " FROM dm.cube_billing_monthly", 0, NULL, error);
  if (res == NULL)
    return NULL;
  if (PQgetisnull (res, 0, 1))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("The warehouse has no billing months yet; give the period explicitly"));
      return NULL;
    }
  first = PQgetvalue (res, 0, 0);
  last = PQgetvalue (res, 0, 1);
  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const AqReportParam *p = aq_report_spec_lookup_param (spec, key);
      gboolean range = p->type == AQ_REPORT_PARAM_MONTH_RANGE;
      char *resolved = NULL;

      if (strcmp (value, "@latest") == 0)
        resolved = range ? g_strdup_printf ("%s..%s", last, last) : g_strdup (last);
      else if (strcmp (value, "@last12") == 0)
        {
          g_autofree char *from = add_months (last, -11);
          resolved = g_strdup_printf ("%s..%s", strcmp (from, first) < 0 ? first : from, last);
        }
      else if (strcmp (value, "@all") == 0)
        resolved = g_strdup_printf ("%s..%s", first, last);
      if (resolved)
        g_hash_table_iter_replace (&iter, resolved);
    }
  return g_steal_pointer (&params);
}

AqReportPlan *
_aq_report_plan_for_run (AqDb          *db,
              AqCatalog     *catalog,
              AqReportSpec  *spec,
              GHashTable    *params,
              GError       **error)
{
  g_autoptr(GHashTable) resolved = NULL;

  if (!aq_report_spec_validate (spec, catalog, error))
    return NULL;
  resolved = _aq_report_resolve_dynamic (db, spec, params, error);
  if (resolved == NULL)
    return NULL;
  return _aq_report_plan_new (catalog, spec, resolved, error);
}

const char * const *
_aq_report_plan_param_values (AqReportPlan *plan)
{
  g_ptr_array_add (plan->params, NULL);
  g_ptr_array_set_size (plan->params, plan->params->len - 1);
  return (const char * const *) plan->params->pdata;
}

/* ---- building results ------------------------------------------------------------------- */

static const char *
label_of (AqDimension *dim,
          PGresult    *res,
          int          row,
          int          key_col)
{
  const char *key = PQgetvalue (res, row, key_col);
  const char *label;

  if (!PQgetisnull (res, row, key_col + 1))
    return PQgetvalue (res, row, key_col + 1);
  if (PQgetisnull (res, row, key_col))
    return _("(none)");
  label = aq_dimension_get_member_label (dim, key);
  if (label)
    return label;
  return *key ? key : _("(none)");
}

AqReportResult *
_aq_report_plan_new_result (AqReportPlan *plan)
{
  AqReportResult *result = _aq_report_result_new (plan->kind, plan->title,
                                                  (const char * const *) plan->parameter_lines,
                                                  plan->sql, _aq_report_plan_param_values (plan));

  for (guint d = 0; d < plan->row_dims->len; d++)
    _aq_report_result_add_row_dim (result, aq_dimension_get_id (plan->row_dims->pdata[d]),
                                   plan->row_labels->pdata[d]);
  if (plan->kind == AQ_REPORT_KIND_LIST)
    for (guint i = 0; i < plan->values->len; i++)
      {
        AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);
        const char *headers[] = { v->label };
        _aq_report_result_add_column (result, AQ_REPORT_COLUMN_DETAIL, i,
                                      aq_indicator_get_id (v->indicator), v->calc, v->format,
                                      headers, NULL);
      }
  return result;
}

static void
set_value_cell (AqReportResult *result,
                AqReportPlan   *plan,
                guint           row,
                guint           col,
                guint           value_index,
                PGresult       *res,
                int             r,
                int             c)
{
  double value;

  if (PQgetisnull (res, r, c))
    {
      _aq_report_result_set_cell (result, row, col, FALSE, 0, NULL, NULL);
      return;
    }
  value = g_ascii_strtod (PQgetvalue (res, r, c), NULL);
  _aq_report_result_set_cell (result, row, col, TRUE, value, NULL,
                              _aq_report_plan_color (plan, value_index, value));
}

/* Appends list rows [@first, @first + @n) of @res to @result. */
void
_aq_report_append_list_rows (AqReportResult *result,
                  AqReportPlan   *plan,
                  PGresult       *res,
                  int             first,
                  int             n)
{
  guint nd = plan->row_dims->len;
  g_autofree const char **labels = g_new0 (const char *, nd + 1);
  g_autofree const char **keys = g_new0 (const char *, nd + 1);

  for (int r = first; r < first + n; r++)
    {
      guint row;

      for (guint d = 0; d < nd; d++)
        {
          keys[d] = PQgetisnull (res, r, 2 * d) ? NULL : PQgetvalue (res, r, 2 * d);
          labels[d] = label_of (plan->row_dims->pdata[d], res, r, 2 * d);
        }
      row = _aq_report_result_add_row (result, AQ_REPORT_ROW_DETAIL, nd, labels, keys);
      for (guint i = 0; i < plan->values->len; i++)
        set_value_cell (result, plan, row, i, i, res, r, 2 * nd + i);
    }
}

static const char *
rolled_label (gboolean total)
{
  return total ? _("Total") : _("Subtotal");
}

static AqReportResult *
pivot_result (AqReportPlan *plan,
              PGresult     *res)
{
  AqReportResult *result = _aq_report_plan_new_result (plan);
  guint n = plan->row_dims->len, m = plan->col_dims->len, nv = plan->values->len;
  int ntup = PQntuples (res);
  int key0 = 3, vcol0 = 3 + 2 * (n + m);
  guint n_combos = 0;
  g_autofree int *combo_base = NULL;   /* col_ord - 1 → first result column, or -1 */
  g_autofree const char **labels = g_new0 (const char *, n + 1);
  g_autofree const char **keys = g_new0 (const char *, n + 1);
  g_autofree const char **headers = g_new0 (const char *, m + 2);
  g_autofree const char **ckeys = g_new0 (const char *, m + 1);
  int prev = -1;
  guint row = 0;
  gboolean have_row = FALSE;

  _aq_report_result_set_n_header_levels (result, m + 1);
  /* Without column dimensions the columns are the values, data or not: an empty result
   * still has its headers. */
  if (m == 0 && ntup == 0)
    for (guint i = 0; i < nv; i++)
      {
        AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);
        headers[0] = v->label;
        _aq_report_result_add_column (result, AQ_REPORT_COLUMN_DETAIL, i,
                                      aq_indicator_get_id (v->indicator), v->calc, v->format,
                                      headers, NULL);
      }
  for (int r = 0; r < ntup; r++)
    n_combos = MAX (n_combos, (guint) atoi (PQgetvalue (res, r, 2)));
  combo_base = g_new (int, MAX (n_combos, 1));
  for (guint k = 0; k < n_combos; k++)
    combo_base[k] = -2;   /* not seen yet */

  /* Columns: each combination of column members in its order, each value inside it. */
  {
    g_autofree int *first_tuple = g_new (int, MAX (n_combos, 1));
    for (guint k = 0; k < n_combos; k++)
      first_tuple[k] = -1;
    for (int r = 0; r < ntup; r++)
      {
        guint k = atoi (PQgetvalue (res, r, 2)) - 1;
        if (first_tuple[k] < 0)
          first_tuple[k] = r;
      }
    for (guint k = 0; k < n_combos; k++)
      {
        int r = first_tuple[k];
        guint cl = atoi (PQgetvalue (res, r, 1));
        AqReportColumnKind kind = m == 0 || cl == m ? AQ_REPORT_COLUMN_DETAIL
                                  : cl == 0 ? AQ_REPORT_COLUMN_TOTAL : AQ_REPORT_COLUMN_SUBTOTAL;

        if ((kind == AQ_REPORT_COLUMN_SUBTOTAL && !plan->subtotals)
            || (kind == AQ_REPORT_COLUMN_TOTAL && !plan->totals))
          {
            combo_base[k] = -1;
            continue;
          }
        for (guint d = 0; d < m; d++)
          {
            int kc = key0 + 2 * (n + d);
            if (d < cl)
              {
                headers[d] = label_of (plan->col_dims->pdata[d], res, r, kc);
                ckeys[d] = PQgetisnull (res, r, kc) ? NULL : PQgetvalue (res, r, kc);
              }
            else
              {
                headers[d] = d == cl ? rolled_label (cl == 0) : NULL;
                ckeys[d] = NULL;
              }
          }
        combo_base[k] = aq_report_result_get_n_columns (result);
        for (guint i = 0; i < nv; i++)
          {
            AqReportPlanValue *v = &g_array_index (plan->values, AqReportPlanValue, i);
            headers[m] = v->label;
            _aq_report_result_add_column (result, kind, i, aq_indicator_get_id (v->indicator),
                                          v->calc, v->format, headers, ckeys);
          }
      }
  }

  /* Rows: consecutive tuples with the same row level and keys are one row. */
  for (int r = 0; r < ntup; r++)
    {
      guint rl = atoi (PQgetvalue (res, r, 0));
      guint k = atoi (PQgetvalue (res, r, 2)) - 1;
      gboolean same = prev >= 0 && (guint) atoi (PQgetvalue (res, prev, 0)) == rl;

      for (guint d = 0; same && d < rl; d++)
        {
          int kc = key0 + 2 * d;
          same = PQgetisnull (res, r, kc) == PQgetisnull (res, prev, kc)
                 && strcmp (PQgetvalue (res, r, kc), PQgetvalue (res, prev, kc)) == 0;
        }
      if (!same)
        {
          AqReportRowKind kind = n == 0 || rl == n ? AQ_REPORT_ROW_DETAIL
                                 : rl == 0 ? AQ_REPORT_ROW_TOTAL : AQ_REPORT_ROW_SUBTOTAL;

          prev = r;
          have_row = !((kind == AQ_REPORT_ROW_SUBTOTAL && !plan->subtotals)
                       || (kind == AQ_REPORT_ROW_TOTAL && !plan->totals));
          if (!have_row)
            continue;
          for (guint d = 0; d < n; d++)
            {
              int kc = key0 + 2 * d;
              labels[d] = d < rl ? label_of (plan->row_dims->pdata[d], res, r, kc) : NULL;
              keys[d] = d < rl && !PQgetisnull (res, r, kc) ? PQgetvalue (res, r, kc) : NULL;
            }
          row = _aq_report_result_add_row (result, kind, rl, labels, keys);
          for (guint c = 0; c < aq_report_result_get_n_columns (result); c++)
            _aq_report_result_set_cell (result, row, c, FALSE, 0, NULL, NULL);
        }
      if (!have_row || combo_base[k] < 0)
        continue;
      for (guint i = 0; i < nv; i++)
        set_value_cell (result, plan, row, combo_base[k] + i, i, res, r, vcol0 + i);
    }
  return result;
}

/* ---- running ---------------------------------------------------------------------------- */

AqReportResult *
aq_report_run (AqDb          *db,
               AqCatalog     *catalog,
               AqReportSpec  *spec,
               GHashTable    *params,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(AqReportPlan) plan = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *note = NULL;
  AqReportResult *result;
  gint64 start;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (AQ_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  if (!_aq_report_begin_read_only (db, error))
    return NULL;
  plan = _aq_report_plan_for_run (db, catalog, spec, params, error);
  if (plan == NULL)
    {
      aq_db_rollback (db);
      return NULL;
    }
  sql = plan->kind == AQ_REPORT_KIND_LIST && aq_report_spec_get_limit (spec) == 0
        ? g_strdup_printf ("SELECT * FROM (%s) q LIMIT %d", plan->sql, LIST_RUN_MAX_ROWS)
        : g_strdup (plan->sql);
  start = g_get_monotonic_time ();
  handler = aq_db_watch_cancellable (db, cancellable);
  res = aq_db_query (db, sql, plan->params->len, _aq_report_plan_param_values (plan), error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (res == NULL)
    {
      aq_db_rollback (db);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }
  /* months asked for that the warehouse has no data for are said, not shown as an empty
   * grid (aq-report-period.c); a failure to ask only loses the note */
  {
    g_autoptr(GError) local = NULL;

    note = aq_report_period_note (db, spec, params, &local);
    if (local != NULL)
      g_debug ("no period note: %s", local->message);
  }
  if (!aq_db_commit (db, error))
    return NULL;

  if (plan->kind == AQ_REPORT_KIND_LIST)
    {
      result = _aq_report_plan_new_result (plan);
      _aq_report_append_list_rows (result, plan, res, 0, PQntuples (res));
    }
  else
    result = pivot_result (plan, res);
  _aq_report_result_set_elapsed (result, (g_get_monotonic_time () - start) / 1000.0);
  if (note != NULL)
    _aq_report_result_set_period_note (result, g_steal_pointer (&note));
  return result;
}

typedef struct
{
  AqCatalog    *catalog;
  AqReportSpec *spec;
  GHashTable   *params;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->catalog);
  g_clear_object (&data->spec);
  g_clear_pointer (&data->params, g_hash_table_unref);
  g_free (data);
}

static GHashTable *
copy_params (GHashTable *params)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (params)
    {
      GHashTableIter iter;
      gpointer key, value;
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (copy, g_strdup (key), g_strdup (value));
    }
  return copy;
}

static gpointer
run_job (AqDb          *db,
         gpointer       task_data,
         GCancellable  *cancellable,
         GError       **error)
{
  RunData *data = task_data;

  return aq_report_run (db, data->catalog, data->spec, data->params, cancellable, error);
}

void
aq_report_run_async (const char          *conninfo,
                     AqCatalog           *catalog,
                     AqReportSpec        *spec,
                     GHashTable          *params,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  RunData *data = g_new0 (RunData, 1);

  data->catalog = g_object_ref (catalog);
  data->spec = aq_report_spec_copy (spec);
  data->params = copy_params (params);
  aq_db_job_run_async (conninfo, aq_report_run_async, run_job, data, (GDestroyNotify) run_data_free,
                       g_object_unref, cancellable, callback, user_data);
}

AqReportResult *
aq_report_run_finish (GAsyncResult  *result,
                      GError       **error)
{
  return aq_db_job_run_finish (result, aq_report_run_async, error);
}

/* ---- streaming -------------------------------------------------------------------------- */

gboolean
aq_report_run_stream (AqDb             *db,
                      AqCatalog        *catalog,
                      AqReportSpec     *spec,
                      GHashTable       *params,
                      AqReportRowFunc   row_func,
                      gpointer          user_data,
                      AqReportResult  **out_header,
                      GCancellable     *cancellable,
                      GError          **error)
{
  g_autoptr(AqReportPlan) plan = NULL;
  g_autoptr(AqReportResult) header = NULL;
  g_autoptr(PGresult) declared = NULL;
  g_autofree char *declare = NULL;
  g_autofree const char **cells = NULL;
  guint64 index = 0;
  gboolean ok = FALSE;
  gulong handler = 0;
  int ncols;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (row_func != NULL, FALSE);

  /* An export may take minutes: read-only, but without the interactive timeout. */
  if (!aq_db_exec (db, "BEGIN TRANSACTION READ ONLY; SET LOCAL statement_timeout = 0", error))
    return FALSE;
  plan = _aq_report_plan_for_run (db, catalog, spec, params, error);
  if (plan == NULL)
    goto out;
  header = _aq_report_plan_new_result (plan);
  if (plan->kind == AQ_REPORT_KIND_PIVOT)
    {
      /* A pivot is small: run it and hand out its rows (labels then the cells' values). */
      g_autoptr(AqReportResult) full = NULL;
      aq_db_rollback (db);
      full = aq_report_run (db, catalog, spec, params, cancellable, error);
      if (full == NULL)
        return FALSE;
      {
        guint nd = aq_report_result_get_n_row_dims (full);
        guint nc = aq_report_result_get_n_columns (full);
        g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

        for (guint r = 0; r < aq_report_result_get_n_rows (full); r++)
          {
            g_ptr_array_set_size (texts, 0);
            for (guint d = 0; d < nd; d++)
              g_ptr_array_add (texts, g_strdup (aq_report_result_get_row_label (full, r, d)));
            for (guint c = 0; c < nc; c++)
              {
                double v;
                char buf[G_ASCII_DTOSTR_BUF_SIZE];
                g_ptr_array_add (texts, aq_report_result_get_cell (full, r, c, &v)
                                        ? g_strdup (g_ascii_dtostr (buf, sizeof buf, v)) : NULL);
              }
            if (!row_func (full, r, (const char * const *) texts->pdata, user_data, error))
              return FALSE;
          }
        if (out_header)
          *out_header = g_object_ref (full);
        return TRUE;
      }
    }

  declare = g_strdup_printf ("DECLARE aq_report_stream NO SCROLL CURSOR FOR %s", plan->sql);
  declared = aq_db_query (db, declare, plan->params->len, _aq_report_plan_param_values (plan), error);
  if (declared == NULL)
    goto out;
  ncols = 2 * plan->row_dims->len + plan->values->len;
  cells = g_new0 (const char *, aq_report_result_get_n_row_dims (header)
                                + aq_report_result_get_n_columns (header) + 1);
  handler = aq_db_watch_cancellable (db, cancellable);
  for (;;)
    {
      g_autoptr(PGresult) chunk = NULL;
      int n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;
      chunk = aq_db_query (db, "FETCH " G_STRINGIFY (STREAM_CHUNK) " FROM aq_report_stream", 0,
                           NULL, error);
      if (chunk == NULL)
        goto out;
      n = PQntuples (chunk);
      g_assert (n == 0 || PQnfields (chunk) == ncols);
      for (int r = 0; r < n; r++)
        {
          guint k = 0;
          for (guint d = 0; d < plan->row_dims->len; d++)
            cells[k++] = label_of (plan->row_dims->pdata[d], chunk, r, 2 * d);
          for (guint i = 0; i < plan->values->len; i++)
            {
              int c = 2 * plan->row_dims->len + i;
              cells[k++] = PQgetisnull (chunk, r, c) ? NULL : PQgetvalue (chunk, r, c);
            }
          if (!row_func (header, index++, cells, user_data, error))
            goto out;
        }
      if (n < STREAM_CHUNK)
        break;
    }
  ok = TRUE;

out:
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (ok)
    ok = aq_db_commit (db, error);
  else
    aq_db_rollback (db);
  if (ok && out_header)
    *out_header = g_steal_pointer (&header);
  return ok;
}

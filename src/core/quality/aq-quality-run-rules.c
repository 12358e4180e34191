/* aq-quality-run-rules.c — the statements of a quality run
 *
 * Every column rule of one table is answered by one scan (the statement compiled in
 * aq-quality-compile.c), a referential rule too when its referenced key is unique (a LEFT
 * JOIN of that scan); on a large referenced table with both sides' keys indexed in one order
 * it is a merge anti-join of its own, else an anti-join of its own that keeps its failing
 * rows for the count and the samples alike (also run for the samples of a joined or merged
 * one that fails). Every other type (unique, freshness, volume, reconciliation, distribution,
 * custom) is one statement of its own, plus one for the samples of a failing rule (custom
 * SQL: its failing rows kept, counted and listed in the same statement). Split from
 * aq-quality-run.c, which plans and runs them.
 */
#define G_LOG_DOMAIN "aq-quality-run"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "aq-clock.h"
#include "aq-error.h"
#include "aq-quality-run-private.h"

/* ---- column rules: one scan a table ---- */

/* A referential rule's failing count as a merge anti-join of two index-only scans
 * (_aq_quality_ref_merge): PostgreSQL's costs prefer a hash of the referenced keys, measured
 * 4–8× slower (migration 053), so hash and nested-loop joins are off for this one statement, and
 * parallel workers too (each would read the whole referenced index again); the settings are
 * put back after it. */
static gboolean
merge_count (AqQualityRunContext  *ctx,
             const AqQualityRule  *rule,
             gint64               *count,
             GError              **error)
{
  g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
  g_autofree char *where = _aq_quality_where_clause (rule);
  g_autofree char *missing = _aq_quality_ref_missing (rule);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s AS __t WHERE %s AND %s",
                                          target, where, missing);
  g_autoptr(PGresult) saved = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) back = NULL;
  const char *p[3];

  saved = aq_db_query (ctx->db, "SELECT current_setting('enable_hashjoin'), "
                                "current_setting('enable_nestloop'), "
                                "current_setting('max_parallel_workers_per_gather')", 0, NULL,
                       error);
  if (saved == NULL
      || !aq_db_exec (ctx->db, "SET LOCAL enable_hashjoin = off; SET LOCAL enable_nestloop = off; "
                               "SET LOCAL max_parallel_workers_per_gather = 0", error))
    return FALSE;
  res = _aq_quality_query (ctx, sql, NULL, error);
  if (res == NULL)
    return FALSE;
  *count = _aq_quality_int_at (res, 0, 0);
  for (int i = 0; i < 3; i++)
    p[i] = PQgetvalue (saved, 0, i);
  back = aq_db_query (ctx->db, "SELECT set_config('enable_hashjoin', $1, true), "
                               "set_config('enable_nestloop', $2, true), "
                               "set_config('max_parallel_workers_per_gather', $3, true)", 3, p,
                      error);
  return back != NULL;
}

/* The set parts' results from the shared statement's rows (ordered by rule, then row). */
static gboolean
finish_parts (AqQualityRunContext  *ctx,
              GPtrArray            *parts,
              guint                 first_part,
              PGresult             *res,
              double                ms,
              GPtrArray            *results,
              GError              **error)
{
  int row = 0;

  for (guint j = 0; j < parts->len; j++)
    {
      const AqQualitySetPart *part = g_ptr_array_index (parts, j);
      g_autoptr(AqQualityResult) r = _aq_quality_result_new (part->rule);
      gint64 i = first_part + j;
      int measure_row = -1, from;

      while (row < PQntuples (res) && _aq_quality_int_at (res, row, 0) < i)
        row++;
      if (row < PQntuples (res) && _aq_quality_int_at (res, row, 0) == i
          && _aq_quality_int_at (res, row, 1) == 0)
        measure_row = row++;
      from = row;
      while (row < PQntuples (res) && _aq_quality_int_at (res, row, 0) == i)
        row++;
      if (measure_row < 0)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED,
                       _("The quality rule %s got no answer from its table's statement"),
                       part->rule->name);
          return FALSE;
        }
      if (!_aq_quality_finish_set_rule (ctx, part->rule, r, res, measure_row, 2, error))
        return FALSE;
      r->duration_ms = ms;
      _aq_quality_judge (part->rule, r);
      if (r->failing > 0 && ctx->options->max_samples > 0)
        _aq_quality_samples_from_rows (part->rule, r, res, 2, TRUE, from, row);
      g_ptr_array_add (results, g_steal_pointer (&r));
    }
  return TRUE;
}

/* The samples of a table's failing column rules (not referential: those come from their
 * anti-join): their first failing rows in key order, each rule's own. One rule: one statement
 * of its own; several: one scan for all of them, each row tried against the failing rules'
 * conditions and numbered within its rule (the phone rules of ods.billing_customer: one scan
 * where there were three). */
static gboolean
table_samples (AqQualityRunContext  *ctx,
               GPtrArray            *rules,
               GPtrArray            *results,
               GError              **error)
{
  const AqQualityRule *first;
  AqQualityParams params;
  const char *key;
  g_autofree char *target = NULL;
  g_autofree char *limit = g_strdup_printf ("%d", ctx->options->max_samples);
  g_autofree char *limit_p = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GString) any = g_string_new (NULL);
  g_autoptr(GString) which = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autoptr(PGresult) res = NULL;
  int row = 0;

  if (rules->len == 0)
    return TRUE;
  first = g_ptr_array_index (rules, 0);
  key = _aq_quality_key_expr (ctx, first, error);
  if (key == NULL)
    return FALSE;
  target = _aq_quality_target (first->layer, first->table);
  _aq_quality_params_init (&params);
  if (rules->len == 1)
    {
      g_autofree char *value = _aq_quality_value_expr (first);
      g_autofree char *where = _aq_quality_where_clause (first);
      g_autofree char *fail = _aq_quality_fail_condition (first, &params);

      limit_p = _aq_quality_param (&params, limit);
      sql = g_strdup_printf ("SELECT 0, %s, %s FROM %s AS __t WHERE %s AND (%s) ORDER BY 2 "
                             "LIMIT %s::int", key, value, target, where, fail, limit_p);
    }
  else
    {
      for (guint i = 0; i < rules->len; i++)
        {
          const AqQualityRule *rule = g_ptr_array_index (rules, i);
          g_autofree char *value = _aq_quality_value_expr (rule);
          g_autofree char *where = _aq_quality_where_clause (rule);
          g_autofree char *fail = _aq_quality_fail_condition (rule, &params);
          g_autofree char *again = _aq_quality_fail_condition (rule, &params);

          g_string_append_printf (any, "%s(%s AND (%s))", i ? "\n  OR " : "", where, fail);
          g_string_append_printf (which, "%sCASE WHEN %s AND (%s) THEN %u END", i ? ", " : "",
                                  where, again, i);
          g_string_append_printf (values, "%s%s", i ? ", " : "", value);
        }
      limit_p = _aq_quality_param (&params, limit);
      /* the rules a failing row fails, one row each (a set-returning select list, so the
       * key may be the row's ctid) */
      sql = g_strdup_printf ("SELECT __i, __k, __vs[__i + 1] FROM (SELECT __i, __k, __vs, "
                             "row_number() OVER (PARTITION BY __i ORDER BY __k) AS __rn FROM "
                             "(SELECT unnest(ARRAY[%s]) AS __i, %s AS __k, ARRAY[%s] AS __vs "
                             "FROM %s AS __t WHERE %s) __x WHERE __i IS NOT NULL) __y "
                             "WHERE __rn <= %s::int ORDER BY 1, __rn", which->str, key,
                             values->str, target, any->str, limit_p);
    }
  res = _aq_quality_query (ctx, sql, params.values, error);
  _aq_quality_params_clear (&params);
  if (res == NULL)
    return FALSE;
  for (guint i = 0; i < rules->len; i++)
    {
      int from = row;

      while (row < PQntuples (res) && _aq_quality_int_at (res, row, 0) == i)
        row++;
      _aq_quality_samples_from_rows (g_ptr_array_index (rules, i),
                                     g_ptr_array_index (results, i), res, 1, TRUE, from, row);
    }
  return TRUE;
}

gboolean
_aq_quality_run_column_rules (AqQualityRunContext  *ctx,
                              GPtrArray            *rules,
                              GPtrArray            *parts,
                              GPtrArray            *results,
                              GError              **error)
{
  AqQualityParams params;
  g_autofree char *sql = NULL;
  g_autofree gboolean *joined = g_new0 (gboolean, rules->len + 1);
  g_autofree gboolean *merged = g_new0 (gboolean, rules->len + 1);
  g_autofree gint64 *checked = g_new0 (gint64, rules->len + 1);
  g_autofree gint64 *failing = g_new0 (gint64, rules->len + 1);
  g_autoptr(PGresult) res = NULL;
  gboolean shared = parts != NULL && parts->len > 0;
  g_autoptr(GPtrArray) sampled = g_ptr_array_new ();
  g_autoptr(GPtrArray) sampled_results = g_ptr_array_new ();
  gint64 start = g_get_monotonic_time ();
  double ms;

  /* a referential rule whose referenced key is unique rides the scan (a LEFT JOIN) instead of
   * scanning the table again for an anti-join of its own */
  for (guint i = 0; i < rules->len; i++)
    {
      const AqQualityRule *rule = g_ptr_array_index (rules, i);
      int unique;

      if (!_aq_quality_rule_joins (rule))
        continue;
      /* a large referenced table with the keys of both sides indexed in one order: a merge
       * anti-join of its own beats a hash of every referenced key in the scan */
      unique = _aq_quality_ref_merge (ctx, rule, error);
      if (unique < 0)
        return FALSE;
      merged[i] = unique;
      if (merged[i])
        continue;
      unique = _aq_quality_ref_unique (ctx, rule, error);
      if (unique < 0)
        return FALSE;
      joined[i] = unique;
    }
  _aq_quality_params_init (&params);
  sql = shared ? _aq_quality_shared_sql (ctx, rules, joined, parts, &params)
               : _aq_quality_scan_sql (rules, joined, &params);
  res = _aq_quality_query (ctx, sql, params.values, error);
  _aq_quality_params_clear (&params);
  if (res == NULL)
    return FALSE;
  ms = (g_get_monotonic_time () - start) / 1000.0 / (rules->len + (shared ? parts->len : 0));
  for (guint i = 0; i < rules->len; i++)
    if (!shared)
      {
        checked[i] = _aq_quality_int_at (res, 0, 2 * i);
        failing[i] = _aq_quality_int_at (res, 0, 2 * i + 1);
      }
    else if ((int) i < PQntuples (res) && _aq_quality_int_at (res, i, 0) == i
             && _aq_quality_int_at (res, i, 1) == 0)
      {
        checked[i] = _aq_quality_int_at (res, i, 2);
        failing[i] = _aq_quality_int_at (res, i, 3);
      }
    else
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED,
                     _("The quality rule %s got no answer from its table's statement"),
                     ((AqQualityRule *) g_ptr_array_index (rules, i))->name);
        return FALSE;
      }
  if (shared && !finish_parts (ctx, parts, rules->len, res, ms, results, error))
    return FALSE;
  for (guint i = 0; i < rules->len; i++)
    {
      const AqQualityRule *rule = g_ptr_array_index (rules, i);
      AqQualityResult *r = _aq_quality_result_new (rule);

      r->checked = checked[i];
      r->failing = failing[i];
      r->duration_ms = ms;
      if (merged[i])
        {
          gint64 merge_start = g_get_monotonic_time ();

          if (!merge_count (ctx, rule, &r->failing, error))
            {
              aq_quality_result_free (r);
              return FALSE;
            }
          r->duration_ms += (g_get_monotonic_time () - merge_start) / 1000.0;
        }
      /* the anti-join: for a rule counted neither in the scan nor by a merge, or for the
       * samples of one that found failing rows */
      if (_aq_quality_rule_joins (rule)
          && ((!joined[i] && !merged[i]) || (r->failing > 0 && ctx->options->max_samples > 0)))
        {
          g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
          g_autofree char *where = _aq_quality_where_clause (rule);
          g_autofree char *missing = _aq_quality_ref_missing (rule);
          g_autofree char *value = _aq_quality_value_expr (rule);
          g_autofree char *count_sql = NULL;
          const char *key = ctx->options->max_samples > 0
                            ? _aq_quality_key_expr (ctx, rule, error) : "";
          gint64 anti_start = g_get_monotonic_time ();
          g_autoptr(PGresult) anti = NULL;

          /* the anti-join once: its failing rows kept (few, normally) for the count and the
           * samples alike — a second statement for the samples ran the whole anti-join again
           * (dw.fact_payment.payment_has_bill: a hash of every bill key, twice) */
          if (key == NULL)
            {
              aq_quality_result_free (r);
              return FALSE;
            }
          if (ctx->options->max_samples > 0)
            count_sql = g_strdup_printf ("WITH m AS MATERIALIZED (SELECT %s AS k, %s AS v "
                                         "FROM %s AS __t WHERE %s AND %s) SELECT c.n, s.k, s.v "
                                         "FROM (SELECT count(*) AS n FROM m) c LEFT JOIN "
                                         "LATERAL (SELECT k, v FROM m ORDER BY 1 LIMIT %d) s "
                                         "ON true", key, value, target, where, missing,
                                         ctx->options->max_samples);
          else
            count_sql = g_strdup_printf ("SELECT count(*) FROM %s AS __t WHERE %s AND %s",
                                         target, where, missing);
          anti = _aq_quality_query (ctx, count_sql, NULL, error);
          if (anti == NULL)
            {
              aq_quality_result_free (r);
              return FALSE;
            }
          r->failing = _aq_quality_int_at (anti, 0, 0);
          r->duration_ms += (g_get_monotonic_time () - anti_start) / 1000.0;
          if (ctx->options->max_samples > 0)
            _aq_quality_samples_from_result (rule, r, anti, 1, FALSE);
        }
      _aq_quality_judge (rule, r);
      g_ptr_array_add (results, r);
      if (r->failing > 0 && ctx->options->max_samples > 0 && !_aq_quality_rule_joins (rule))
        {
          g_ptr_array_add (sampled, (gpointer) rule);
          g_ptr_array_add (sampled_results, r);
        }
    }
  return table_samples (ctx, sampled, sampled_results, error);
}

/* ---- set rules: one statement each ---- */

const char *
_aq_quality_str_arg (JsonObject *o,
                     const char *name)
{
  return json_object_get_string_member_with_default (o, name, NULL);
}

char *
_aq_quality_side_sql (JsonObject *side,
                      const char *group_alias)
{
  g_autofree char *target = _aq_quality_target (_aq_quality_str_arg (side, "layer"), _aq_quality_str_arg (side, "table"));
  const char *group = _aq_quality_str_arg (side, "group_by");
  const char *filter = _aq_quality_str_arg (side, "filter");
  const char *measure = _aq_quality_str_arg (side, "measure");
  g_autoptr(GMatchInfo) match = NULL;
  static GRegex *distinct_re;
  static gsize once;

  if (g_once_init_enter (&once))
    {
      distinct_re = g_regex_new ("^\\s*count\\s*\\(\\s*distinct\\s+"
                                 "([A-Za-z_][A-Za-z0-9_]*)\\s*\\)\\s*$",
                                 G_REGEX_CASELESS, 0, NULL);
      g_once_init_leave (&once, 1);
    }
  /* count(DISTINCT x) per group sorts every row of the table; the distinct (x, group) pairs
   * found first, then counted, need no sort: hashed, or — x first — read in order from an
   * index on (x, …) (ods.billing_bill (bill_no, period): a Unique over an index-only scan
   * instead of a hash of 2.2 M pairs spilling to disk at 100,000 accounts) */
  if (g_regex_match (distinct_re, measure, 0, &match))
    {
      g_autofree char *column = g_match_info_fetch (match, 1);
      g_autofree char *quoted = aq_db_quote_ident (column);

      return g_strdup_printf ("SELECT %s, count(%s)::numeric AS v FROM (SELECT DISTINCT %s, %s "
                              "AS %s FROM %s WHERE (%s)) d GROUP BY 1", group_alias, quoted,
                              quoted, group ? group : "0", group_alias, target,
                              filter ? filter : "true");
    }
  return g_strdup_printf ("SELECT %s AS %s, (%s)::numeric AS v FROM %s WHERE (%s)%s",
                          group ? group : "0", group_alias, measure, target,
                          filter ? filter : "true", group ? " GROUP BY 1" : "");
}

/* A set rule's measure from row @row of @res, its values from column @first on as its own
 * statement answers them (checked, failing or age, measured or latest): the checked and failing
 * counts, the measured value, a freshness rule's sample, a volume rule's comparison with its
 * history. Used by the rule's own statement and by its table's shared one. */
gboolean
_aq_quality_finish_set_rule (AqQualityRunContext  *ctx,
                             const AqQualityRule  *rule,
                             AqQualityResult      *r,
                             PGresult             *res,
                             int                   row,
                             int                   first,
                             GError              **error)
{
  JsonObject *a = rule->args;
  const char *t = rule->type;
  int limit = ctx->options->max_samples;

  r->checked = _aq_quality_int_at (res, row, first);
  if (g_str_equal (t, "freshness"))
    {
      double age = PQgetisnull (res, row, first + 1)
                   ? INFINITY : g_ascii_strtod (PQgetvalue (res, row, first + 1), NULL);
      double sla = json_object_get_double_member (a, "max_age_days");

      r->checked = 1;
      r->failing = age > sla ? 1 : 0;
      r->measured = isinf (age) ? -1 : age;
      r->has_measured = TRUE;
      if (r->failing)
        {
          AqQualitySample *s = g_new0 (AqQualitySample, 1);

          s->row_key = g_strdup (_("latest"));
          s->value = g_strdup (PQgetisnull (res, row, first + 2)
                               ? "" : PQgetvalue (res, row, first + 2));
          g_ptr_array_add (r->samples, s);
          r->message = g_strdup_printf (_("the latest row is %.1f days old; the SLA is %g days"),
                                        age, sla);
        }
    }
  else if (g_str_equal (t, "volume") && !_aq_quality_str_arg (a, "group_by"))
    {
      gint64 n = r->checked;
      g_autoptr(GString) why = g_string_new (NULL);
      const char *bounds[] = { "last", "avg7", "avg30" };
      char rows[32];

      g_snprintf (rows, sizeof rows, "%" G_GINT64_FORMAT, n);
      r->measured = n;
      r->has_measured = TRUE;
      r->checked = 1;
      if (json_object_has_member (a, "min") && n < json_object_get_int_member (a, "min"))
        {
          g_autofree char *bound = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    json_object_get_int_member (a, "min"));

          g_string_append_printf (why, _("%s rows, fewer than %s; "), rows, bound);
        }
      if (json_object_has_member (a, "max") && n > json_object_get_int_member (a, "max"))
        {
          g_autofree char *bound = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                    json_object_get_int_member (a, "max"));

          g_string_append_printf (why, _("%s rows, more than %s; "), rows, bound);
        }
      /* against this rule's own history: the last run, the last 7 and 30 runs' average */
      for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
        {
          g_autofree char *member = g_strdup_printf ("max_change_%s", bounds[i]);
          double max_change = json_object_get_double_member_with_default (a, member, -1);
          const char *hp[2] = { rule->name, i == 0 ? "1" : i == 1 ? "7" : "30" };
          g_autoptr(PGresult) h = NULL;
          double ref;

          if (max_change < 0)
            continue;
          h = aq_db_query (ctx->db, "SELECT avg(measured) FROM (SELECT measured FROM "
                                    "meta.quality_result WHERE rule_name = $1 AND status <> "
                                    "'error' ORDER BY run_id DESC LIMIT $2::int) x", 2, hp, error);
          if (h == NULL)
            return FALSE;
          if (PQgetisnull (h, 0, 0))
            continue;
          ref = g_ascii_strtod (PQgetvalue (h, 0, 0), NULL);
          if (ref > 0 && fabs (n - ref) / ref > max_change)
            g_string_append_printf (why, _("%s rows against %.0f (%s), a change of %.0f%%; "),
                                    rows, ref, bounds[i], 100 * fabs (n - ref) / ref);
        }
      r->failing = why->len > 0 ? 1 : 0;
      if (why->len)
        {
          g_string_truncate (why, why->len - 2);
          r->message = g_string_free (g_steal_pointer (&why), FALSE);
        }
    }
  else if (g_str_equal (t, "custom"))
    {
      r->failing = _aq_quality_int_at (res, row, first + 1);
      if (r->failing > 0 && limit > 0)
        _aq_quality_samples_from_result (rule, r, res, first + 2, TRUE);
    }
  else
    {
      r->failing = _aq_quality_int_at (res, row, first + 1);
      if (PQnfields (res) > first + 2 && !PQgetisnull (res, row, first + 2))
        {
          r->measured = g_ascii_strtod (PQgetvalue (res, row, first + 2), NULL);
          r->has_measured = TRUE;
        }
    }
  return TRUE;
}

gboolean
_aq_quality_run_set_rule (AqQualityRunContext  *ctx,
                          const AqQualityRule  *rule,
                          GPtrArray            *results,
                          GError              **error)
{
  g_autoptr(AqQualityResult) r = _aq_quality_result_new (rule);
  JsonObject *a = rule->args;
  g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
  g_autofree char *where = _aq_quality_where_clause (rule);
  g_autofree char *sql = NULL;
  g_autofree char *samples_sql = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  gint64 start = g_get_monotonic_time ();
  int limit = ctx->options->max_samples;
  const char *t = rule->type;

  if (aq_quality_rule_is_column_rule (rule))
    {
      g_autoptr(GPtrArray) one = g_ptr_array_new ();

      g_ptr_array_add (one, (gpointer) rule);
      return _aq_quality_run_column_rules (ctx, one, NULL, results, error);
    }
  if (g_str_equal (t, "unique"))
    {
      g_autofree char *cols = NULL;
      JsonArray *array = json_object_get_array_member (a, "columns");
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *c = aq_db_quote_ident (json_array_get_string_element (array, i));

          g_string_append_printf (list, "%s%s", i ? ", " : "", c);
        }
      cols = g_string_free (g_steal_pointer (&list), FALSE);
      sql = g_strdup_printf ("SELECT coalesce(sum(n), 0), coalesce(sum(n - 1), 0) FROM ("
                             "SELECT count(*) AS n FROM %s WHERE %s GROUP BY %s) g",
                             target, where, cols);
      /* in the key's own order, not its text's: with an index on the key (ods.billing_bill's
       * (bill_no, period)) the groups stream in that order and the first duplicates end the
       * statement, instead of grouping the whole table a second time */
      samples_sql = g_strdup_printf ("SELECT concat_ws('|', %s), count(*)::text FROM %s "
                                     "WHERE %s GROUP BY %s HAVING count(*) > 1 ORDER BY %s "
                                     "LIMIT %d", cols, target, where, cols, cols, limit);
    }
  else if (g_str_equal (t, "freshness"))
    {
      g_autofree char *col = aq_db_quote_ident (_aq_quality_str_arg (a, "column"));
      g_autoptr(GDateTime) now = aq_clock_now_local ();

      g_ptr_array_add (values, g_date_time_format (now, "%Y-%m-%d %H:%M:%S"));
      sql = g_strdup_printf ("SELECT count(*), extract(epoch FROM $1::timestamp - "
                             "max(%s)::timestamp) / 86400.0, max(%s)::text FROM %s WHERE %s",
                             col, col, target, where);
    }
  else if (g_str_equal (t, "volume") && _aq_quality_str_arg (a, "group_by"))
    {
      const char *group = _aq_quality_str_arg (a, "group_by");
      const char *measure = _aq_quality_str_arg (a, "measure");
      const char *part = _aq_quality_str_arg (a, "partition_by");
      g_autofree char *g = NULL;
      g_autofree char *l = NULL;

      g_ptr_array_add (values, g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                           (a, "max_drop", 0.5)));
      g_ptr_array_add (values, g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                           (a, "min_before", 0)));
      /* each group (e.g. month) against the one before — within its partition (e.g. zone) when
       * one is given: a sudden drop in rows, or in a measure (e.g. sum(billed)); groups after
       * one under min_before are left out (a tiny zone's quiet month is no drop) */
      g = g_strdup_printf ("SELECT %s AS pk, %s AS k, (%s)::numeric AS n FROM %s WHERE %s "
                           "GROUP BY 1, 2", part ? part : "''", group,
                           measure ? measure : "count(*)", target, where);
      l = g_strdup_printf ("SELECT pk, k, n, lag(n) OVER (PARTITION BY pk ORDER BY k) AS p "
                           "FROM g");
      sql = g_strdup_printf ("WITH g AS (%s), l AS (%s) SELECT count(*), count(*) FILTER "
                             "(WHERE p > 0 AND p >= $2::numeric AND n < p * (1 - $1::numeric)),"
                             " sum(n) FROM l", g, l);
      samples_sql = g_strdup_printf ("WITH g AS (%s), l AS (%s) SELECT concat_ws(' ', "
                                     "nullif(pk::text, ''), k::text), n || ' (' || p || ')' "
                                     "FROM l WHERE p > 0 AND p >= $2::numeric AND "
                                     "n < p * (1 - $1::numeric) ORDER BY 1 LIMIT %d", g, l,
                                     limit);
    }
  else if (g_str_equal (t, "volume"))
    sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s", target, where);
  else if (g_str_equal (t, "reconciliation"))
    {
      g_autofree char *l = _aq_quality_side_sql (json_object_get_object_member (a, "left"),
                                                   "k");
      g_autofree char *rs = _aq_quality_side_sql (json_object_get_object_member (a, "right"),
                                                    "k");
      double tol = json_object_get_double_member_with_default (a, "tolerance", 0);
      double tol_share = json_object_get_double_member_with_default (a, "tolerance_share", 0);

      g_ptr_array_add (values, g_strdup_printf ("%.17g", tol));
      g_ptr_array_add (values, g_strdup_printf ("%.17g", tol_share));
      sql = g_strdup_printf ("WITH l AS (%s), r AS (%s), j AS (SELECT coalesce(l.k, r.k) AS k, "
                             "coalesce(l.v, 0) AS lv, coalesce(r.v, 0) AS rv FROM l FULL JOIN r "
                             "USING (k)) SELECT count(*), count(*) FILTER (WHERE abs(lv - rv) > "
                             "greatest($1::numeric, $2::numeric * abs(lv))), "
                             "coalesce(sum(abs(lv - rv)), 0) FROM j", l, rs);
      samples_sql = g_strdup_printf ("WITH l AS (%s), r AS (%s), j AS (SELECT coalesce(l.k, r.k) "
                                     "AS k, coalesce(l.v, 0) AS lv, coalesce(r.v, 0) AS rv FROM l "
                                     "FULL JOIN r USING (k)) SELECT k::text, lv || ' ≠ ' || rv "
                                     "FROM j WHERE abs(lv - rv) > greatest($1::numeric, "
                                     "$2::numeric * abs(lv)) ORDER BY 1 LIMIT %d", l, rs, limit);
    }
  else if (g_str_equal (t, "distribution"))
    {
      const char *group = _aq_quality_str_arg (a, "group_by");

      g_ptr_array_add (values, g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                           (a, "min_share", 0)));
      g_ptr_array_add (values, g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                           (a, "max_share", 1)));
      sql = g_strdup_printf ("WITH g AS (SELECT %s AS k, avg(CASE WHEN (%s) THEN 1.0 ELSE 0 END) "
                             "AS s FROM %s WHERE %s GROUP BY 1) SELECT count(*), count(*) FILTER "
                             "(WHERE s < $1::numeric OR s > $2::numeric), max(s) FROM g",
                             group ? group : "0", _aq_quality_str_arg (a, "condition"), target, where);
      samples_sql = g_strdup_printf ("WITH g AS (SELECT %s AS k, avg(CASE WHEN (%s) THEN 1.0 "
                                     "ELSE 0 END) AS s FROM %s WHERE %s GROUP BY 1) SELECT "
                                     "k::text, round(s, 4)::text FROM g WHERE s < $1::numeric OR "
                                     "s > $2::numeric ORDER BY 1 LIMIT %d",
                                     group ? group : "0", _aq_quality_str_arg (a, "condition"), target, where,
                                     limit);
    }
  else if (g_str_equal (t, "custom"))
    {
      const char *custom = _aq_quality_str_arg (a, "sql");

      /* the failing rows once: kept (few, normally), counted and the first listed in one
       * statement — a second one for the samples ran the query again (large_no_reads: two
       * more scans of the bills) */
      if (limit > 0)
        sql = g_strdup_printf ("WITH q AS MATERIALIZED (%s) SELECT (SELECT count(*) FROM %s "
                               "WHERE %s), c.n, s.* FROM (SELECT count(*) AS n FROM q) c "
                               "LEFT JOIN LATERAL (SELECT * FROM q ORDER BY 1 LIMIT %d) s "
                               "ON true", custom, target, where, limit);
      else
        sql = g_strdup_printf ("SELECT (SELECT count(*) FROM %s WHERE %s), "
                               "(SELECT count(*) FROM (%s) q)", target, where, custom);
    }
  else
    g_return_val_if_reached (FALSE);

  res = _aq_quality_query (ctx, sql, values, error);
  if (res == NULL)
    return FALSE;
  if (!_aq_quality_finish_set_rule (ctx, rule, r, res, 0, 0, error))
    return FALSE;
  r->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  _aq_quality_judge (rule, r);
  if (r->failing > 0 && samples_sql && limit > 0
      && !_aq_quality_add_samples (ctx, rule, r, samples_sql, values, error))
    return FALSE;
  g_ptr_array_add (results, g_steal_pointer (&r));
  return TRUE;
}


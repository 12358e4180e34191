/* aq-quality-run.c — running rules against the warehouse and keeping every result
 *
 * A run groups the column rules by table and asks each table once (aq-quality-compile.c);
 * the other types are one statement each. Everything is read in one READ ONLY transaction
 * with a statement timeout, cancellable through the connection. Only rules that fail get a
 * second, small query for their samples (up to max_samples rows, ordered by key so the same
 * data gives the same samples), masked as the customer pages mask them. The results are then
 * written in one transaction of their own: meta.quality_run, _result, _sample — passes too.
 *
 * The statements (one per table's column rules, one per other rule) are independent, so a run
 * spreads them over `parallel` connections: the caller's, plus pooled ones (aq_db_job) that
 * import the caller's exported snapshot, so every statement still reads the same instant of
 * the warehouse. A pipeline's gate (in_transaction) stays on its own transaction, alone.
 */
#define G_LOG_DOMAIN "aq-quality-run"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-phone.h"
#include "aq-quality-private.h"

typedef struct
{
  AqDb             *db;
  const AqQualityOptions *options;
  GCancellable     *cancellable;
  int               scans;
  GHashTable       *keys;   /* "layer.table" → key expression for samples */
} RunContext;

/* ---- auxiliary methods ---- */

void
_aq_quality_sample_free (AqQualitySample *sample)
{
  g_free (sample->row_key);
  g_free (sample->value);
  g_free (sample);
}

void
aq_quality_result_free (AqQualityResult *r)
{
  if (r == NULL)
    return;
  g_free (r->rule_name);
  g_free (r->layer);
  g_free (r->table);
  g_free (r->dimension);
  g_free (r->severity);
  g_free (r->status);
  g_free (r->message);
  g_clear_pointer (&r->samples, g_ptr_array_unref);
  g_free (r);
}

void
aq_quality_run_free (AqQualityRun *run)
{
  if (run == NULL)
    return;
  g_free (run->scope);
  g_free (run->status);
  g_clear_pointer (&run->started_at, g_date_time_unref);
  g_clear_pointer (&run->results, g_ptr_array_unref);
  g_free (run);
}

void
aq_quality_options_init (AqQualityOptions *options)
{
  memset (options, 0, sizeof *options);
  options->max_samples = AQ_QUALITY_DEFAULT_SAMPLES;
  options->timeout_ms = AQ_QUALITY_DEFAULT_TIMEOUT_MS;
  options->store = TRUE;
  options->trigger = "hand";
  options->parallel = AQ_QUALITY_DEFAULT_PARALLEL;
}

static AqQualityResult *
result_new (const AqQualityRule *rule)
{
  AqQualityResult *r = g_new0 (AqQualityResult, 1);

  r->run_id = -1;
  r->rule_name = g_strdup (rule->name);
  r->rule_version = rule->version;
  r->layer = g_strdup (rule->layer);
  r->table = g_strdup (rule->table);
  r->dimension = g_strdup (rule->dimension);
  r->severity = g_strdup (rule->severity);
  r->samples = g_ptr_array_new_with_free_func ((GDestroyNotify) _aq_quality_sample_free);
  return r;
}

/* pass, warn or fail from the failing count and the rule's thresholds */
static void
judge (const AqQualityRule *rule,
       AqQualityResult     *r)
{
  double m = rule->share ? (r->checked > 0 ? (double) r->failing / r->checked : 0)
                         : (double) r->failing;

  if (r->failing > 0 && g_str_equal (rule->severity, "fail") && m >= rule->fail_at)
    r->status = g_strdup ("fail");
  else if (r->failing > 0 && m >= MIN (rule->warn_at, rule->fail_at))
    r->status = g_strdup ("warn");
  else
    r->status = g_strdup ("pass");
  if (!r->has_measured)
    {
      r->measured = r->checked > 0 ? (double) r->failing / r->checked : 0;
      r->has_measured = TRUE;
    }
}

static PGresult *
query (RunContext   *ctx,
       const char   *sql,
       GPtrArray    *values,
       GError      **error)
{
  PGresult *res;

  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return NULL;
  ctx->scans++;
  res = aq_db_query (ctx->db, sql, values ? (int) values->len : 0,
                     values ? (const char * const *) values->pdata : NULL, error);
  if (res == NULL && g_cancellable_is_cancelled (ctx->cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (ctx->cancellable, error);
    }
  return res;
}

static gint64
int_at (PGresult *res,
        int       row,
        int       col)
{
  return PQgetisnull (res, row, col) ? 0 : g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

/* The key of a sample row: the table's primary key columns, joined with "|". */
static const char *
key_expr (RunContext          *ctx,
          const AqQualityRule *rule,
          GError             **error)
{
  g_autofree char *qualified = g_strdup_printf ("%s.%s", rule->layer, rule->table);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) expr = g_string_new (NULL);
  const char *params[1];
  const char *cached = g_hash_table_lookup (ctx->keys, qualified);

  if (cached)
    return cached;
  params[0] = qualified;
  res = aq_db_query (ctx->db,
                     "SELECT a.attname FROM pg_index i "
                     "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) "
                     "WHERE i.indrelid = to_regclass($1) AND i.indisprimary "
                     "ORDER BY array_position(i.indkey::int2[], a.attnum)", 1, params, error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autofree char *c = aq_db_quote_ident (PQgetvalue (res, i, 0));

      g_string_append_printf (expr, "%s%s::text", i ? ", " : "", c);
    }
  if (PQntuples (res) == 0)
    g_string_append (expr, "ctid::text");
  else if (PQntuples (res) > 1)
    {
      g_string_prepend (expr, "concat_ws('|', ");
      g_string_append_c (expr, ')');
    }
  g_hash_table_insert (ctx->keys, g_steal_pointer (&qualified),
                       g_string_free (g_steal_pointer (&expr), FALSE));
  return g_hash_table_lookup (ctx->keys, params[0]);
}

/* Masks a sample's value the way the customer pages do for an agent. */
static char *
mask_value (const AqQualityRule *rule,
            const char          *value)
{
  const char *mask = json_object_get_string_member_with_default (rule->args, "mask", NULL);
  const char *format = json_object_get_string_member_with_default (rule->args, "format", NULL);

  if (value == NULL)
    return NULL;
  if (mask == NULL && format && (g_str_equal (format, "mobile")
                                 || g_str_equal (format, "landline")))
    mask = "phone";
  if (mask == NULL && g_strcmp0 (format, "id_card") == 0)
    mask = "id_card";
  if (g_strcmp0 (mask, "phone") == 0)
    return aq_mask_phone (value, AQ_ROLE_AGENT);
  if (g_strcmp0 (mask, "name") == 0)
    return aq_mask_name (value, AQ_ROLE_AGENT);
  if (g_strcmp0 (mask, "id_card") == 0)
    return aq_mask_id_card (value, AQ_ROLE_AGENT);
  return g_strdup (value);
}

/* The samples in @res from column @first on: key, then values; a row whose key is NULL
 * (the LEFT JOIN of a count without failing rows) is none. */
static void
samples_from_result (const AqQualityRule *rule,
                     AqQualityResult     *r,
                     PGresult            *res,
                     int                  first)
{
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqQualitySample *s;
      g_autoptr(GString) value = g_string_new (NULL);

      if (first > 0 && PQgetisnull (res, i, first))
        continue;
      s = g_new0 (AqQualitySample, 1);
      s->row_key = PQgetisnull (res, i, first) ? NULL : g_strdup (PQgetvalue (res, i, first));
      /* custom SQL may answer several columns: the first is the key, the rest the values */
      for (int c = first + 1; c < PQnfields (res); c++)
        if (!PQgetisnull (res, i, c))
          {
            g_autofree char *v = mask_value (rule, PQgetvalue (res, i, c));

            g_string_append_printf (value, "%s%s", value->len ? " | " : "", v);
          }
      s->value = PQnfields (res) > first + 1 ? g_string_free (g_steal_pointer (&value), FALSE)
                                             : NULL;
      g_ptr_array_add (r->samples, s);
    }
}

static gboolean
add_samples (RunContext          *ctx,
             const AqQualityRule *rule,
             AqQualityResult     *r,
             const char          *sql,
             GPtrArray           *values,
             GError             **error)
{
  g_autoptr(PGresult) res = query (ctx, sql, values, error);

  if (res == NULL)
    return FALSE;
  samples_from_result (rule, r, res, 0);
  return TRUE;
}

static char *
where_clause (const AqQualityRule *rule)
{
  return g_strdup_printf ("(%s)", rule->filter ? rule->filter : "true");
}

/* ---- column rules: one scan a table ---- */

static gboolean
run_column_rules (RunContext *ctx,
                  GPtrArray  *rules,
                  GPtrArray  *results,
                  GError    **error)
{
  AqQualityParams params;
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  _aq_quality_params_init (&params);
  sql = _aq_quality_scan_sql (rules, &params);
  res = query (ctx, sql, params.values, error);
  _aq_quality_params_clear (&params);
  if (res == NULL)
    return FALSE;
  ms = (g_get_monotonic_time () - start) / 1000.0 / rules->len;
  for (guint i = 0; i < rules->len; i++)
    {
      const AqQualityRule *rule = g_ptr_array_index (rules, i);
      AqQualityResult *r = result_new (rule);

      r->checked = int_at (res, 0, 2 * i);
      r->failing = int_at (res, 0, 2 * i + 1);
      r->duration_ms = ms;
      if (_aq_quality_rule_joins (rule))
        {
          g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
          g_autofree char *where = where_clause (rule);
          g_autofree char *missing = _aq_quality_ref_missing (rule);
          g_autofree char *value = _aq_quality_value_expr (rule);
          g_autofree char *count_sql = NULL;
          const char *key = ctx->options->max_samples > 0 ? key_expr (ctx, rule, error) : "";
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
          anti = query (ctx, count_sql, NULL, error);
          if (anti == NULL)
            {
              aq_quality_result_free (r);
              return FALSE;
            }
          r->failing = int_at (anti, 0, 0);
          r->duration_ms += (g_get_monotonic_time () - anti_start) / 1000.0;
          if (ctx->options->max_samples > 0)
            samples_from_result (rule, r, anti, 1);
        }
      judge (rule, r);
      g_ptr_array_add (results, r);
      if (r->failing > 0 && ctx->options->max_samples > 0 && !_aq_quality_rule_joins (rule))
        {
          const char *key = key_expr (ctx, rule, error);
          g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
          g_autofree char *value = _aq_quality_value_expr (rule);
          g_autofree char *where = where_clause (rule);
          g_autofree char *fail = NULL;
          g_autofree char *sample_sql = NULL;
          g_autofree char *limit = g_strdup_printf ("%d", ctx->options->max_samples);
          g_autofree char *limit_p = NULL;

          if (key == NULL)
            return FALSE;
          _aq_quality_params_init (&params);
          fail = _aq_quality_fail_condition (rule, &params);
          limit_p = _aq_quality_param (&params, limit);
          sample_sql = g_strdup_printf ("SELECT %s, %s FROM %s AS __t WHERE %s AND (%s) "
                                        "ORDER BY 1 LIMIT %s::int", key, value, target, where,
                                        fail, limit_p);
          if (!add_samples (ctx, rule, r, sample_sql, params.values, error))
            {
              _aq_quality_params_clear (&params);
              return FALSE;
            }
          _aq_quality_params_clear (&params);
        }
    }
  return TRUE;
}

/* ---- set rules: one statement each ---- */

static const char *
str_arg (JsonObject *o,
         const char *name)
{
  return json_object_get_string_member_with_default (o, name, NULL);
}

static char *
side_sql (JsonObject *side,
          const char *group_alias)
{
  g_autofree char *target = _aq_quality_target (str_arg (side, "layer"), str_arg (side, "table"));
  const char *group = str_arg (side, "group_by");
  const char *filter = str_arg (side, "filter");
  const char *measure = str_arg (side, "measure");
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

static gboolean
run_set_rule (RunContext          *ctx,
              const AqQualityRule *rule,
              GPtrArray           *results,
              GError             **error)
{
  g_autoptr(AqQualityResult) r = result_new (rule);
  JsonObject *a = rule->args;
  g_autofree char *target = _aq_quality_target (rule->layer, rule->table);
  g_autofree char *where = where_clause (rule);
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
      return run_column_rules (ctx, one, results, error);
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
      g_autofree char *col = aq_db_quote_ident (str_arg (a, "column"));
      g_autoptr(GDateTime) now = aq_clock_now_local ();

      g_ptr_array_add (values, g_date_time_format (now, "%Y-%m-%d %H:%M:%S"));
      sql = g_strdup_printf ("SELECT count(*), extract(epoch FROM $1::timestamp - "
                             "max(%s)::timestamp) / 86400.0, max(%s)::text FROM %s WHERE %s",
                             col, col, target, where);
    }
  else if (g_str_equal (t, "volume") && str_arg (a, "group_by"))
    {
      const char *group = str_arg (a, "group_by");
      const char *measure = str_arg (a, "measure");
      const char *part = str_arg (a, "partition_by");
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
      g_autofree char *l = side_sql (json_object_get_object_member (a, "left"), "k");
      g_autofree char *rs = side_sql (json_object_get_object_member (a, "right"), "k");
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
      const char *group = str_arg (a, "group_by");

      g_ptr_array_add (values, g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                           (a, "min_share", 0)));
      g_ptr_array_add (values, g_strdup_printf ("%.17g", json_object_get_double_member_with_default
                                                           (a, "max_share", 1)));
      sql = g_strdup_printf ("WITH g AS (SELECT %s AS k, avg(CASE WHEN (%s) THEN 1.0 ELSE 0 END) "
                             "AS s FROM %s WHERE %s GROUP BY 1) SELECT count(*), count(*) FILTER "
                             "(WHERE s < $1::numeric OR s > $2::numeric), max(s) FROM g",
                             group ? group : "0", str_arg (a, "condition"), target, where);
      samples_sql = g_strdup_printf ("WITH g AS (SELECT %s AS k, avg(CASE WHEN (%s) THEN 1.0 "
                                     "ELSE 0 END) AS s FROM %s WHERE %s GROUP BY 1) SELECT "
                                     "k::text, round(s, 4)::text FROM g WHERE s < $1::numeric OR "
                                     "s > $2::numeric ORDER BY 1 LIMIT %d",
                                     group ? group : "0", str_arg (a, "condition"), target, where,
                                     limit);
    }
  else if (g_str_equal (t, "custom"))
    {
      const char *custom = str_arg (a, "sql");

      sql = g_strdup_printf ("SELECT (SELECT count(*) FROM %s WHERE %s), "
                             "(SELECT count(*) FROM (%s) q)", target, where, custom);
      samples_sql = g_strdup_printf ("SELECT * FROM (%s) q ORDER BY 1 LIMIT %d", custom, limit);
    }
  else
    g_return_val_if_reached (FALSE);

  res = query (ctx, sql, values, error);
  if (res == NULL)
    return FALSE;
  r->checked = int_at (res, 0, 0);
  if (g_str_equal (t, "freshness"))
    {
      double age = PQgetisnull (res, 0, 1) ? INFINITY : g_ascii_strtod (PQgetvalue (res, 0, 1),
                                                                        NULL);
      double sla = json_object_get_double_member (a, "max_age_days");

      r->checked = 1;
      r->failing = age > sla ? 1 : 0;
      r->measured = isinf (age) ? -1 : age;
      r->has_measured = TRUE;
      if (r->failing)
        {
          AqQualitySample *s = g_new0 (AqQualitySample, 1);

          s->row_key = g_strdup (_("latest"));
          s->value = g_strdup (PQgetisnull (res, 0, 2) ? "" : PQgetvalue (res, 0, 2));
          g_ptr_array_add (r->samples, s);
          r->message = g_strdup_printf (_("the latest row is %.1f days old; the SLA is %g days"),
                                        age, sla);
        }
    }
  else if (g_str_equal (t, "volume") && !str_arg (a, "group_by"))
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
  else
    {
      r->failing = int_at (res, 0, 1);
      if (PQnfields (res) > 2 && !PQgetisnull (res, 0, 2))
        {
          r->measured = g_ascii_strtod (PQgetvalue (res, 0, 2), NULL);
          r->has_measured = TRUE;
        }
    }
  r->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  judge (rule, r);
  if (r->failing > 0 && samples_sql && limit > 0
      && !add_samples (ctx, rule, r, samples_sql, values, error))
    return FALSE;
  g_ptr_array_add (results, g_steal_pointer (&r));
  return TRUE;
}

/* ---- storing ---- */

static const char *
rule_description (AqQualityRun    *run,
                  AqQualityResult *r)
{
  return r->message ? r->message : "";
}

/* An incident opens when a rule stops passing and closes when it passes again; each opening
 * and closing writes one alert to the outbox (meta.quality_alert), in the results' transaction,
 * so a rule failing night after night alerts once. */
static gboolean
raise_alerts (AqDb            *db,
              AqQualityRun    *run,
              AqQualityResult *r,
              const char      *detail,
              GError         **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run->run_id);
  g_autofree char *failing = g_strdup_printf ("%" G_GINT64_FORMAT, r->failing);
  g_autofree char *checked = g_strdup_printf ("%" G_GINT64_FORMAT, r->checked);
  g_autofree char *opened = g_strdup_printf (_("Data quality: rule “%s” (%s.%s) started failing: "
                                               "%s of %s rows. %s"), r->rule_name, r->layer,
                                             r->table, failing, checked, detail);
  g_autofree char *closed = g_strdup_printf (_("Data quality: rule “%s” (%s.%s) passes again."),
                                             r->rule_name, r->layer, r->table);
  const char *p[5] = { r->rule_name, id, r->status, opened, closed };
  g_autoptr(PGresult) res = NULL;

  if (g_str_equal (r->status, "error"))
    return TRUE;
  res = aq_db_query (db,
                     "WITH opened AS (INSERT INTO meta.quality_incident (rule_name, opened_run, "
                     "  opened_at) SELECT $1, $2::bigint, now() WHERE $3 IN ('warn', 'fail') "
                     "  ON CONFLICT (rule_name) DO NOTHING RETURNING rule_name), "
                     "closed AS (DELETE FROM meta.quality_incident WHERE rule_name = $1 "
                     "  AND $3 = 'pass' RETURNING rule_name) "
                     "INSERT INTO meta.quality_alert (rule_name, run_id, kind, body, "
                     "  idempotency_key) "
                     "SELECT $1, $2::bigint, 'failing', $4, 'quality:' || $1 || ':' || $2 || "
                     "  ':failing' FROM opened "
                     "UNION ALL SELECT $1, $2::bigint, 'resolved', $5, 'quality:' || $1 || ':' "
                     "  || $2 || ':resolved' FROM closed", 5, p, error);
  return res != NULL;
}

static gboolean
store_results (AqDb          *db,
               AqQualityRun  *run,
               GError       **error)
{
  char id[32], ms[64], scans[16], n[16];
  const char *p[6];
  g_autoptr(PGresult) res = NULL;

  g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, run->run_id);
  g_snprintf (ms, sizeof ms, "%.3f", run->duration_ms);
  g_snprintf (scans, sizeof scans, "%d", run->scans);
  g_snprintf (n, sizeof n, "%u", run->results->len);
  if (!aq_db_begin (db, error))
    return FALSE;
  p[0] = id; p[1] = run->status; p[2] = ms; p[3] = scans; p[4] = n;
  res = aq_db_query (db, "UPDATE meta.quality_run SET status = $2, duration_ms = $3, scans = $4, "
                         "rules = $5, finished_at = clock_timestamp() WHERE run_id = $1",
                     5, p, error);
  if (res == NULL)
    goto fail;
  g_clear_pointer (&res, PQclear);
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);
      char version[16], checked[32], failing[32], measured[64], dur[64];
      const char *rp[14];

      if (r->rule_version <= 0)
        continue;
      g_snprintf (version, sizeof version, "%d", r->rule_version);
      g_snprintf (checked, sizeof checked, "%" G_GINT64_FORMAT, r->checked);
      g_snprintf (failing, sizeof failing, "%" G_GINT64_FORMAT, r->failing);
      g_snprintf (measured, sizeof measured, "%.17g", r->measured);
      g_snprintf (dur, sizeof dur, "%.3f", r->duration_ms);
      rp[0] = id; rp[1] = r->rule_name; rp[2] = version; rp[3] = r->layer; rp[4] = r->table;
      rp[5] = r->dimension; rp[6] = r->severity; rp[7] = checked; rp[8] = failing;
      rp[9] = r->has_measured ? measured : NULL; rp[10] = r->status; rp[11] = r->message;
      rp[12] = dur;
      res = aq_db_query (db, "INSERT INTO meta.quality_result (run_id, rule_name, rule_version, "
                             "layer, table_name, dimension, severity, checked_rows, failing_rows, "
                             "measured, status, message, duration_ms) VALUES ($1, $2, $3, $4, $5, "
                             "$6, $7, $8, $9, $10, $11, $12, $13)", 13, rp, error);
      if (res == NULL)
        goto fail;
      g_clear_pointer (&res, PQclear);
      if (!raise_alerts (db, run, r, rule_description (run, r), error))
        goto fail;
      for (guint j = 0; j < r->samples->len; j++)
        {
          AqQualitySample *s = g_ptr_array_index (r->samples, j);
          char ord[16];
          const char *sp[5];

          g_snprintf (ord, sizeof ord, "%u", j + 1);
          sp[0] = id; sp[1] = r->rule_name; sp[2] = ord; sp[3] = s->row_key; sp[4] = s->value;
          res = aq_db_query (db, "INSERT INTO meta.quality_sample (run_id, rule_name, ord, "
                                 "row_key, value) VALUES ($1, $2, $3, $4, $5)", 5, sp, error);
          if (res == NULL)
            goto fail;
          g_clear_pointer (&res, PQclear);
        }
    }
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

/* ---- running ---- */

static int
compare_rules_by_table (gconstpointer a,
                        gconstpointer b)
{
  const AqQualityRule *ra = *(AqQualityRule * const *) a;
  const AqQualityRule *rb = *(AqQualityRule * const *) b;
  int c = g_strcmp0 (ra->layer, rb->layer);

  return c ? c : g_strcmp0 (ra->table, rb->table);
}

/* One statement's worth of work: a table's column rules, or one other rule. */
typedef struct
{
  GPtrArray *rules;
  gboolean   column_group;
} Unit;

static void
unit_free (Unit *unit)
{
  g_ptr_array_unref (unit->rules);
  g_free (unit);
}

static GPtrArray *
plan_units (RunContext *ctx,
            GPtrArray  *rules)
{
  GPtrArray *units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  guint i = 0;

  /* the tables' scans first: they are the long statements, so they start early */
  for (guint k = 0; k < rules->len; k++)
    {
      AqQualityRule *rule = g_ptr_array_index (rules, k);

      if (aq_quality_rule_is_column_rule (rule) && !ctx->options->one_query_per_rule)
        g_ptr_array_add (columns, rule);
    }
  g_ptr_array_sort (columns, compare_rules_by_table);
  while (i < columns->len)
    {
      Unit *unit = g_new0 (Unit, 1);
      AqQualityRule *first = g_ptr_array_index (columns, i);

      unit->rules = g_ptr_array_new ();
      unit->column_group = TRUE;
      while (i < columns->len && compare_rules_by_table (&first, &columns->pdata[i]) == 0)
        g_ptr_array_add (unit->rules, g_ptr_array_index (columns, i++));
      g_ptr_array_add (units, unit);
    }
  for (guint k = 0; k < rules->len; k++)
    {
      AqQualityRule *rule = g_ptr_array_index (rules, k);
      Unit *unit;

      if (aq_quality_rule_is_column_rule (rule) && !ctx->options->one_query_per_rule)
        continue;
      unit = g_new0 (Unit, 1);
      unit->rules = g_ptr_array_new ();
      g_ptr_array_add (unit->rules, rule);
      g_ptr_array_add (units, unit);
    }
  return units;
}

typedef struct
{
  GPtrArray   *units;
  gint         next;        /* atomic: the next unit to take */
  char        *snapshot;    /* exported by the caller's transaction */
  char        *timeout;     /* SET LOCAL statement_timeout = … */
  GCancellable *cancellable; /* cancelled by the user or by the first worker to fail */
  const char  *conninfo;    /* the caller's warehouse, for the pooled connections */
} Shared;

/* Takes units until none is left; stops at the first error. */
static gboolean
run_units (RunContext *ctx,
           Shared     *shared,
           GPtrArray  *results,
           GError    **error)
{
  for (;;)
    {
      int i = g_atomic_int_add (&shared->next, 1);
      Unit *unit;

      if (i >= (int) shared->units->len)
        return TRUE;
      unit = g_ptr_array_index (shared->units, i);
      if (!(unit->column_group
            ? run_column_rules (ctx, unit->rules, results, error)
            : run_set_rule (ctx, g_ptr_array_index (unit->rules, 0), results, error)))
        {
          g_cancellable_cancel (shared->cancellable);
          return FALSE;
        }
    }
}

typedef struct
{
  Shared                 *shared;
  const AqQualityOptions *options;
  GPtrArray              *results;
  GError                 *error;
  int                     scans;
  gboolean                started;
  GThread                *thread;
} Worker;

/* On a pooled connection: the caller's snapshot, then units. */
static gpointer
worker_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Worker *worker = data;
  RunContext ctx = { 0 };
  g_autofree char *import = NULL;
  gboolean ok;

  /* aq_db_job retries once on a dead pooled connection: units taken are not taken twice */
  if (worker->started)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_CONNECTION,
                           _("The warehouse connection was lost during the quality run"));
      return NULL;
    }
  worker->started = TRUE;
  import = g_strdup_printf ("SET TRANSACTION SNAPSHOT '%s'", worker->shared->snapshot);
  ctx.db = db;
  ctx.options = worker->options;
  ctx.cancellable = cancellable;
  ctx.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  ok = aq_db_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error)
       && aq_db_exec (db, import, error)
       && aq_db_exec (db, worker->shared->timeout, error)
       && run_units (&ctx, worker->shared, worker->results, error);
  if (ok)
    ok = aq_db_commit (db, error);
  else
    aq_db_rollback (db);
  if (!ok)
    g_cancellable_cancel (worker->shared->cancellable);
  worker->scans = ctx.scans;
  g_hash_table_unref (ctx.keys);
  return ok ? GINT_TO_POINTER (1) : NULL;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  aq_db_job_run (worker->shared->conninfo, worker_job, worker, worker->shared->cancellable,
                 &worker->error);
  return NULL;
}

static void
cancel_inner (GCancellable *outer,
              GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

/* A snapshot id as PostgreSQL prints it (hex groups and dashes): safe inside quotes. */
static gboolean
snapshot_ok (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

/* Runs every unit; with @parallel > 1, the caller's transaction (already open, REPEATABLE
 * READ) exports its snapshot and parallel − 1 pooled connections share the units with it. */
static gboolean
evaluate (RunContext *ctx,
          GPtrArray  *rules,
          GPtrArray  *results,
          int         parallel,
          const char *timeout,
          GError    **error)
{
  g_autoptr(GPtrArray) units = plan_units (ctx, rules);
  g_autoptr(GCancellable) inner = g_cancellable_new ();
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func (g_free);
  GCancellable *outer = ctx->cancellable;
  Shared shared = { 0 };
  gulong outer_handler = 0, inner_handler;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  shared.units = units;
  shared.cancellable = inner;
  shared.timeout = (char *) timeout;
  shared.conninfo = aq_db_get_conninfo (ctx->db);
  parallel = CLAMP (parallel, 1, 8);
  if (shared.conninfo == NULL)
    parallel = 1;
  if ((guint) parallel > units->len)
    parallel = MAX (units->len, 1);
  if (parallel > 1)
    {
      g_autofree char *snapshot = aq_db_query_string (ctx->db, "SELECT pg_export_snapshot()",
                                                      0, NULL, NULL);

      if (snapshot_ok (snapshot))
        shared.snapshot = g_steal_pointer (&snapshot);
      else
        parallel = 1;
    }
  if (outer != NULL)
    outer_handler = g_cancellable_connect (outer, G_CALLBACK (cancel_inner), inner, NULL);
  inner_handler = aq_db_watch_cancellable (ctx->db, inner);
  ctx->cancellable = inner;
  for (int i = 1; i < parallel; i++)
    {
      Worker *worker = g_new0 (Worker, 1);

      worker->shared = &shared;
      worker->options = ctx->options;
      worker->results = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_quality_result_free);
      worker->thread = g_thread_new ("aq-quality", worker_thread, worker);
      g_ptr_array_add (workers, worker);
    }
  ok = run_units (ctx, &shared, results, &local_error);
  for (guint i = 0; i < workers->len; i++)
    {
      Worker *worker = g_ptr_array_index (workers, i);

      g_thread_join (worker->thread);
      ctx->scans += worker->scans;
      for (guint k = 0; k < worker->results->len; k++)
        g_ptr_array_add (results, g_steal_pointer (&worker->results->pdata[k]));
      g_ptr_array_unref (worker->results);
      /* the first real error wins over the cancellations it caused */
      if (worker->error != NULL)
        {
          ok = FALSE;
          if (local_error == NULL
              || (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                  && !g_error_matches (worker->error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
            {
              g_clear_error (&local_error);
              local_error = g_steal_pointer (&worker->error);
            }
          g_clear_error (&worker->error);
        }
    }
  aq_db_unwatch_cancellable (ctx->db, inner, inner_handler);
  if (outer != NULL)
    g_cancellable_disconnect (outer, outer_handler);
  ctx->cancellable = outer;
  g_free (shared.snapshot);
  /* cancelled by the user: say so, whatever the statements answered */
  if (!ok && outer != NULL && g_cancellable_is_cancelled (outer))
    {
      g_clear_error (&local_error);
      g_cancellable_set_error_if_cancelled (outer, &local_error);
    }
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return ok;
}

static int
compare_results (gconstpointer a,
                 gconstpointer b)
{
  const AqQualityResult *ra = *(AqQualityResult * const *) a;
  const AqQualityResult *rb = *(AqQualityResult * const *) b;

  return g_strcmp0 (ra->rule_name, rb->rule_name);
}

AqQualityRun *
aq_quality_run_rules (AqDb                   *db,
                      GPtrArray              *rules,
                      const char             *scope,
                      const AqQualityOptions *options,
                      GCancellable           *cancellable,
                      GError                **error)
{
  g_autoptr(AqQualityRun) run = g_new0 (AqQualityRun, 1);
  AqQualityOptions defaults;
  RunContext ctx = { 0 };
  g_autofree char *timeout = NULL;
  gint64 start = g_get_monotonic_time ();
  gulong handler;
  gboolean ok;
  gboolean any_fail = FALSE, any_warn = FALSE;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (rules != NULL, NULL);

  if (options == NULL)
    {
      aq_quality_options_init (&defaults);
      options = &defaults;
    }
  run->scope = g_strdup (scope ? scope : "rules");
  run->started_at = aq_clock_now ();
  run->results = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_quality_result_free);
  ctx.db = db;
  ctx.options = options;
  ctx.cancellable = cancellable;
  ctx.keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  if (options->store)
    {
      g_autofree char *started = g_date_time_format_iso8601 (run->started_at);
      const char *p[3] = { run->scope, options->trigger ? options->trigger : "hand", started };
      g_autoptr(PGresult) res = aq_db_query (db, "INSERT INTO meta.quality_run (scope, trigger, "
                                                 "started_at, status) VALUES ($1, $2, $3, "
                                                 "'running') RETURNING run_id", 3, p, error);

      if (res == NULL)
        {
          g_hash_table_unref (ctx.keys);
          return NULL;
        }
      run->run_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
    }

  handler = aq_db_watch_cancellable (db, cancellable);
  /* the set rules group and hash millions of rows (unique keys, reconciliations, the
   * referenced keys of a join): room to do it in memory rather than in batches on disk */
  timeout = g_strdup_printf ("SET LOCAL statement_timeout = %d; SET LOCAL work_mem = '%s'",
                             MAX (options->timeout_ms, 1), AQ_QUALITY_WORK_MEM);
  if (options->in_transaction)
    ok = aq_db_exec (db, timeout, error)
         && evaluate (&ctx, rules, run->results, 1, timeout, error);
  else
    {
      ok = aq_db_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error);
      ok = ok && aq_db_exec (db, timeout, error);
      ok = ok && evaluate (&ctx, rules, run->results, options->parallel, timeout, error);
      if (ok)
        ok = aq_db_commit (db, error);
      else
        aq_db_rollback (db);
    }
  aq_db_unwatch_cancellable (db, cancellable, handler);
  g_hash_table_unref (ctx.keys);

  run->scans = ctx.scans;
  run->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_ptr_array_sort (run->results, compare_results);
  for (guint i = 0; i < run->results->len; i++)
    ((AqQualityResult *) g_ptr_array_index (run->results, i))->run_id = run->run_id;
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);

      any_fail |= g_str_equal (r->status, "fail");
      any_warn |= g_str_equal (r->status, "warn");
    }
  if (!ok)
    run->status = g_strdup (error && *error && g_error_matches (*error, G_IO_ERROR,
                                                                G_IO_ERROR_CANCELLED)
                            ? "cancelled" : "error");
  else
    run->status = g_strdup (any_fail ? "failed" : any_warn ? "warned" : "passed");

  if (options->store)
    {
      g_autoptr(GError) store_error = NULL;

      if (!ok)
        g_ptr_array_set_size (run->results, 0);
      if (!store_results (db, run, ok ? error : &store_error))
        return NULL;
    }
  if (!ok)
    return NULL;
  return g_steal_pointer (&run);
}

gboolean
aq_quality_run_has_failure (const AqQualityRun *run)
{
  return g_strcmp0 (run->status, "failed") == 0;
}

/* ---- JSON ---- */

JsonNode *
aq_quality_result_to_json (const AqQualityResult *r)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, r->run_id);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, r->rule_name);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, r->rule_version);
  json_builder_set_member_name (b, "layer");
  json_builder_add_string_value (b, r->layer);
  json_builder_set_member_name (b, "table");
  json_builder_add_string_value (b, r->table);
  json_builder_set_member_name (b, "dimension");
  json_builder_add_string_value (b, r->dimension);
  json_builder_set_member_name (b, "severity");
  json_builder_add_string_value (b, r->severity);
  json_builder_set_member_name (b, "checked");
  json_builder_add_int_value (b, r->checked);
  json_builder_set_member_name (b, "failing");
  json_builder_add_int_value (b, r->failing);
  json_builder_set_member_name (b, "measured");
  if (r->has_measured)
    json_builder_add_double_value (b, r->measured);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, r->status);
  if (r->message)
    {
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, r->message);
    }
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_double_value (b, r->duration_ms);
  json_builder_set_member_name (b, "samples");
  json_builder_begin_array (b);
  for (guint i = 0; r->samples && i < r->samples->len; i++)
    {
      AqQualitySample *s = g_ptr_array_index (r->samples, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "key");
      json_builder_add_string_value (b, s->row_key);
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, s->value);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
aq_quality_run_to_json (const AqQualityRun *run)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *started = run->started_at ? g_date_time_format_iso8601 (run->started_at)
                                             : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, run->run_id);
  json_builder_set_member_name (b, "scope");
  json_builder_add_string_value (b, run->scope);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, run->status);
  json_builder_set_member_name (b, "started_at");
  json_builder_add_string_value (b, started);
  json_builder_set_member_name (b, "scans");
  json_builder_add_int_value (b, run->scans);
  json_builder_set_member_name (b, "duration_ms");
  json_builder_add_double_value (b, run->duration_ms);
  json_builder_set_member_name (b, "results");
  json_builder_begin_array (b);
  for (guint i = 0; i < run->results->len; i++)
    json_builder_add_value (b, aq_quality_result_to_json (g_ptr_array_index (run->results, i)));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* aq-quality-run-shared.c — a table's set rules in its one statement
 *
 * The set rules that group or aggregate a table — a distribution per month, a volume (per
 * month, or the whole table), freshness (the latest date), one side of a reconciliation (a
 * count or a sum per month) — each read the whole table once on their own; on dw.fact_bill
 * six of them, 0.3–0.8 s each at 100,000 accounts. Here they ride the table's one scan with
 * its column rules: one statement per table,
 *
 *   WITH __a AS MATERIALIZED (
 *     SELECT <each grouping> AS __g<k>,                 -- period, to_char(period, …), …
 *            count(*) FILTER (WHERE <column rule>) …,   -- the column rules, as before
 *            count(*) FILTER (WHERE <part's filter>) AS __n<j>,
 *            <its aggregate> FILTER (WHERE <part's filter>) AS __v<j>
 *     FROM <table> AS __t <the column rules' joins> GROUP BY <every grouping>)
 *   <per rule: its own statement's last steps, over __a instead of the table>
 *
 * grouped by every grouping the parts ask for at once (a month and its text are one group
 * per month, so __a stays small), and each rule adds its groups up again by its own grouping
 * (a count or a sum of the partial counts or sums, the least of the least, …). A rule's last
 * steps are the same SQL as its own statement's (aq-quality-run-rules.c), so the answers are
 * the same: a distribution's share is sum()/count as avg() computes it; a group exists when a
 * row passes the part's filter. Only measures that add up exactly take part: count(*),
 * count(x), sum(x) of exact numbers, min(x), max(x) — count(DISTINCT x), avg or a sum of
 * floating-point numbers keep their own statement. A reconciliation's other side is read
 * inside the statement as before; the side taken is the one on the larger table.
 */
#define G_LOG_DOMAIN "aq-quality-run"

#include "config.h"

#include <string.h>

#include "aq-quality-run-private.h"

/* pg_type oids of float4 and float8: their sums depend on the order they are added in */
#define FLOAT4_OID 700
#define FLOAT8_OID 701

void
_aq_quality_set_part_free (AqQualitySetPart *part)
{
  g_free (part->layer);
  g_free (part->table);
  g_free (part);
}

/* An aggregate that adds up from groups — count(*), count(x), sum(x), min(x), max(x) —
 * split into its function (lower case) and argument; FALSE for anything else (count(DISTINCT
 * x), avg, an expression of aggregates, a FILTER or window after it). */
static gboolean
split_measure (const char  *measure,
               char       **fn_out,
               char       **arg_out)
{
  g_autofree char *m = g_strstrip (g_strdup (measure ? measure : "count(*)"));
  g_autofree char *fn = NULL;
  g_autofree char *arg = NULL;
  const char *open = strchr (m, '(');
  size_t len = strlen (m);
  gboolean quoted = FALSE;
  int depth = 0;

  if (open == NULL || len < 3 || m[len - 1] != ')')
    return FALSE;
  fn = g_ascii_strdown (m, open - m);
  g_strstrip (fn);
  if (!g_str_equal (fn, "count") && !g_str_equal (fn, "sum") && !g_str_equal (fn, "min")
      && !g_str_equal (fn, "max"))
    return FALSE;
  /* the parenthesis after the name closes at the very end, and nowhere before */
  for (const char *p = open; p < m + len; p++)
    {
      if (*p == '\'')
        quoted = !quoted;
      else if (quoted)
        continue;
      else if (*p == '(')
        depth++;
      else if (*p == ')' && --depth == 0 && p != m + len - 1)
        return FALSE;
    }
  if (depth != 0 || quoted)
    return FALSE;
  arg = g_strstrip (g_strndup (open + 1, m + len - 2 - open));
  if (*arg == '\0' || (g_str_equal (arg, "*") && !g_str_equal (fn, "count")))
    return FALSE;
  if ((g_ascii_strncasecmp (arg, "distinct", 8) == 0 || g_ascii_strncasecmp (arg, "all", 3) == 0)
      && (g_ascii_isspace (arg[g_ascii_strncasecmp (arg, "all", 3) == 0 ? 3 : 8])
          || arg[g_ascii_strncasecmp (arg, "all", 3) == 0 ? 3 : 8] == '('))
    return FALSE;
  *fn_out = g_steal_pointer (&fn);
  *arg_out = g_steal_pointer (&arg);
  return TRUE;
}

/* Whether @measure over layer.table adds up from groups exactly: 1, 0, −1 on error. A sum
 * asks the warehouse for its argument's type (no rows read). */
static int
adds_up (AqQualityRunContext  *ctx,
         const char           *layer,
         const char           *table,
         const char           *measure,
         GError              **error)
{
  g_autofree char *fn = NULL;
  g_autofree char *arg = NULL;
  g_autofree char *target = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;

  if (layer == NULL || table == NULL || !split_measure (measure, &fn, &arg))
    return 0;
  if (!g_str_equal (fn, "sum"))
    return 1;
  target = _aq_quality_target (layer, table);
  sql = g_strdup_printf ("SELECT (%s) FROM %s LIMIT 0", arg, target);
  res = aq_db_query (ctx->db, sql, 0, NULL, error);
  if (res == NULL)
    return -1;
  return PQftype (res, 0) != FLOAT4_OID && PQftype (res, 0) != FLOAT8_OID;
}

AqQualitySetPart *
_aq_quality_set_part (AqQualityRunContext  *ctx,
                      const AqQualityRule  *rule,
                      GError              **error)
{
  JsonObject *a = rule->args;
  const char *t = rule->type;
  AqQualitySetPart *part;
  int side = -1;

  if (ctx->options->one_query_per_rule || aq_quality_rule_is_column_rule (rule))
    return NULL;
  if (g_str_equal (t, "volume") && _aq_quality_str_arg (a, "group_by"))
    {
      int ok = adds_up (ctx, rule->layer, rule->table, _aq_quality_str_arg (a, "measure"),
                        error);

      if (ok <= 0)
        return NULL;
    }
  else if (g_str_equal (t, "reconciliation"))
    {
      gint64 rows[2] = { -1, -1 };

      for (int s = 0; s < 2; s++)
        {
          JsonObject *o = json_object_get_object_member (a, s ? "right" : "left");
          const char *layer = _aq_quality_str_arg (o, "layer");
          const char *table = _aq_quality_str_arg (o, "table");
          int ok = adds_up (ctx, layer, table, _aq_quality_str_arg (o, "measure"), error);

          if (ok < 0)
            return NULL;
          if (ok && !_aq_quality_table_rows (ctx, layer, table, &rows[s], error))
            return NULL;
          if (ok && (side < 0 || rows[s] > rows[side]))
            side = s;
        }
      if (side < 0)
        return NULL;
      part = g_new0 (AqQualitySetPart, 1);
      part->rule = rule;
      part->side = side;
      part->layer = g_strdup (_aq_quality_str_arg (json_object_get_object_member
                                                     (a, side ? "right" : "left"), "layer"));
      part->table = g_strdup (_aq_quality_str_arg (json_object_get_object_member
                                                     (a, side ? "right" : "left"), "table"));
      return part;
    }
  else if (!g_str_equal (t, "distribution") && !g_str_equal (t, "freshness")
           && !g_str_equal (t, "volume"))
    return NULL;
  part = g_new0 (AqQualitySetPart, 1);
  part->rule = rule;
  part->side = -1;
  part->layer = g_strdup (rule->layer);
  part->table = g_strdup (rule->table);
  return part;
}

/* ---- the statement ---- */

/* The place of @expr among the groupings, added when new. */
static guint
grouping (GPtrArray  *groupings,
          const char *expr)
{
  for (guint k = 0; k < groupings->len; k++)
    if (g_str_equal (g_ptr_array_index (groupings, k), expr))
      return k;
  g_ptr_array_add (groupings, g_strdup (expr));
  return groupings->len - 1;
}

/* A measure added up again from __a's groups. */
static char *
reaggregate (const char *fn,
             guint       j)
{
  if (g_str_equal (fn, "count"))
    return g_strdup_printf ("coalesce(sum(__v%u), 0)", j);
  return g_strdup_printf ("%s(__v%u)", g_str_equal (fn, "sum") ? "sum" : fn, j);
}

/* The samples' rows of rule @i: "(key, value)" pairs of @sql (ordered, limited) numbered. */
static char *
samples_branch (guint       i,
                const char *sql)
{
  return g_strdup_printf ("SELECT %u, row_number() OVER (ORDER BY x0, x1), x0, x1, NULL FROM "
                          "(%s) __s%u (x0, x1)", i, sql, i);
}

/* The part's aggregates appended to @aggs, and its rows' SQL returned. */
static char *
part_sql (const AqQualitySetPart *part,
          guint                   i,
          guint                   j,
          GPtrArray              *groupings,
          AqQualityParams        *params,
          int                     limit,
          GString                *aggs)
{
  const AqQualityRule *rule = part->rule;
  JsonObject *a = rule->args;
  const char *t = rule->type;
  const char *rule_filter = rule->filter ? rule->filter : "true";

  if (g_str_equal (t, "distribution"))
    {
      const char *group = _aq_quality_str_arg (a, "group_by");
      g_autofree char *plo = _aq_quality_number_param (params, a, "min_share", 0);
      g_autofree char *phi = _aq_quality_number_param (params, a, "max_share", 1);
      g_autofree char *g = NULL;
      g_autofree char *k = NULL;
      g_autofree char *samples = NULL;
      g_autofree char *sample_sql = NULL;

      g_string_append_printf (aggs, ",\n  count(*) FILTER (WHERE (%s)) AS __n%u,\n  "
                                    "sum(CASE WHEN (%s) THEN 1.0 ELSE 0 END) FILTER (WHERE (%s))"
                                    " AS __v%u", rule_filter, j,
                              _aq_quality_str_arg (a, "condition"), rule_filter, j);
      k = group ? g_strdup_printf ("__g%u", grouping (groupings, group)) : g_strdup ("0");
      /* avg() is sum / count, both numeric: the same division */
      g = g_strdup_printf ("SELECT %s AS k, sum(__v%u) / sum(__n%u) AS s FROM __a%s HAVING "
                           "sum(__n%u) > 0", k, j, j, group ? " GROUP BY 1" : "", j);
      sample_sql = g_strdup_printf ("SELECT k::text, round(s, 4)::text FROM g WHERE s < "
                                    "%s::numeric OR s > %s::numeric ORDER BY 1 LIMIT %d", plo,
                                    phi, limit);
      samples = limit > 0 ? samples_branch (i, sample_sql) : NULL;
      return g_strdup_printf ("WITH g AS (%s) SELECT %u, 0, count(*)::text, count(*) FILTER "
                              "(WHERE s < %s::numeric OR s > %s::numeric)::text, max(s)::text "
                              "FROM g%s%s", g, i, plo, phi, samples ? " UNION ALL " : "",
                              samples ? samples : "");
    }
  if (g_str_equal (t, "freshness"))
    {
      g_autofree char *col = aq_db_quote_ident (_aq_quality_str_arg (a, "column"));
      g_autofree char *now = _aq_quality_param (params, params->now_local);

      g_string_append_printf (aggs, ",\n  count(*) FILTER (WHERE (%s)) AS __n%u,\n  "
                                    "max(%s) FILTER (WHERE (%s)) AS __v%u", rule_filter, j, col,
                              rule_filter, j);
      return g_strdup_printf ("SELECT %u, 0, coalesce(sum(__n%u), 0)::text, (extract(epoch FROM "
                              "%s::timestamp - max(__v%u)::timestamp) / 86400.0)::text, "
                              "max(__v%u)::text FROM __a", i, j, now, j, j);
    }
  if (g_str_equal (t, "volume") && !_aq_quality_str_arg (a, "group_by"))
    {
      g_string_append_printf (aggs, ",\n  count(*) FILTER (WHERE (%s)) AS __n%u", rule_filter,
                              j);
      return g_strdup_printf ("SELECT %u, 0, coalesce(sum(__n%u), 0)::text, NULL, NULL FROM __a",
                              i, j);
    }
  if (g_str_equal (t, "volume"))
    {
      const char *part_by = _aq_quality_str_arg (a, "partition_by");
      g_autofree char *fn = NULL;
      g_autofree char *arg = NULL;
      g_autofree char *pdrop = _aq_quality_number_param (params, a, "max_drop", 0.5);
      g_autofree char *pbefore = _aq_quality_number_param (params, a, "min_before", 0);
      g_autofree char *pk = NULL;
      g_autofree char *k = NULL;
      g_autofree char *n = NULL;
      g_autofree char *fails = NULL;
      g_autofree char *samples = NULL;
      g_autofree char *sample_sql = NULL;

      if (!split_measure (_aq_quality_str_arg (a, "measure"), &fn, &arg))
        g_return_val_if_reached (NULL);
      g_string_append_printf (aggs, ",\n  count(*) FILTER (WHERE (%s)) AS __n%u,\n  "
                                    "%s(%s) FILTER (WHERE (%s)) AS __v%u", rule_filter, j, fn,
                              arg, rule_filter, j);
      pk = part_by ? g_strdup_printf ("__g%u", grouping (groupings, part_by)) : g_strdup ("''");
      k = g_strdup_printf ("__g%u", grouping (groupings, _aq_quality_str_arg (a, "group_by")));
      n = reaggregate (fn, j);
      fails = g_strdup_printf ("p > 0 AND p >= %s::numeric AND n < p * (1 - %s::numeric)",
                               pbefore, pdrop);
      sample_sql = g_strdup_printf ("SELECT concat_ws(' ', nullif(pk::text, ''), k::text), n || "
                                    "' (' || p || ')' FROM l WHERE %s ORDER BY 1 LIMIT %d",
                                    fails, limit);
      samples = limit > 0 ? samples_branch (i, sample_sql) : NULL;
      return g_strdup_printf ("WITH g AS (SELECT %s AS pk, %s AS k, (%s)::numeric AS n FROM __a "
                              "GROUP BY 1, 2 HAVING sum(__n%u) > 0), l AS (SELECT pk, k, n, "
                              "lag(n) OVER (PARTITION BY pk ORDER BY k) AS p FROM g) SELECT %u, "
                              "0, count(*)::text, count(*) FILTER (WHERE %s)::text, "
                              "sum(n)::text FROM l%s%s", pk, k, n, j, i, fails,
                              samples ? " UNION ALL " : "", samples ? samples : "");
    }
  if (g_str_equal (t, "reconciliation"))
    {
      JsonObject *shared = json_object_get_object_member (a, part->side ? "right" : "left");
      JsonObject *other = json_object_get_object_member (a, part->side ? "left" : "right");
      const char *group = _aq_quality_str_arg (shared, "group_by");
      const char *filter = _aq_quality_str_arg (shared, "filter");
      g_autofree char *fn = NULL;
      g_autofree char *arg = NULL;
      g_autofree char *ptol = _aq_quality_number_param (params, a, "tolerance", 0);
      g_autofree char *pshare = _aq_quality_number_param (params, a, "tolerance_share", 0);
      g_autofree char *v = NULL;
      g_autofree char *mine = NULL;
      g_autofree char *theirs = _aq_quality_side_sql (other, "k");
      g_autofree char *fails = NULL;
      g_autofree char *samples = NULL;
      g_autofree char *sample_sql = NULL;

      if (!split_measure (_aq_quality_str_arg (shared, "measure"), &fn, &arg))
        g_return_val_if_reached (NULL);
      if (filter == NULL)
        filter = "true";
      g_string_append_printf (aggs, ",\n  count(*) FILTER (WHERE (%s)) AS __n%u,\n  "
                                    "%s(%s) FILTER (WHERE (%s)) AS __v%u", filter, j, fn, arg,
                              filter, j);
      v = reaggregate (fn, j);
      /* grouped: the groups with rows, as GROUP BY finds them; whole: one row, always */
      if (group)
        mine = g_strdup_printf ("SELECT __g%u AS k, (%s)::numeric AS v FROM __a GROUP BY 1 "
                                "HAVING sum(__n%u) > 0", grouping (groupings, group), v, j);
      else
        mine = g_strdup_printf ("SELECT 0 AS k, (%s)::numeric AS v FROM __a", v);
      fails = g_strdup_printf ("abs(lv - rv) > greatest(%s::numeric, %s::numeric * abs(lv))",
                               ptol, pshare);
      sample_sql = g_strdup_printf ("SELECT k::text, lv || ' ≠ ' || rv FROM j WHERE %s "
                                    "ORDER BY 1 LIMIT %d", fails, limit);
      samples = limit > 0 ? samples_branch (i, sample_sql) : NULL;
      return g_strdup_printf ("WITH l AS (%s), r AS (%s), j AS (SELECT coalesce(l.k, r.k) AS k, "
                              "coalesce(l.v, 0) AS lv, coalesce(r.v, 0) AS rv FROM l FULL JOIN r "
                              "USING (k)) SELECT %u, 0, count(*)::text, count(*) FILTER (WHERE "
                              "%s)::text, coalesce(sum(abs(lv - rv)), 0)::text FROM j%s%s",
                              part->side ? theirs : mine, part->side ? mine : theirs, i, fails,
                              samples ? " UNION ALL " : "", samples ? samples : "");
    }
  g_return_val_if_reached (NULL);
}

/* A plain column name as written unquoted (folded to lower case by PostgreSQL). */
static gboolean
is_column (const char *expr)
{
  if (!g_ascii_isalpha (*expr) && *expr != '_')
    return FALSE;
  for (const char *p = expr; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* Whether every name @expr reads — outside string literals, not a function's name nor a
 * cast's type — is one of the plain @columns: then it is computed once per group of theirs,
 * not once per row (to_char(period, 'YYYYMM') on 3.3 M bills: a second). Anything it cannot
 * tell (a quoted or qualified name, a keyword) answers FALSE: grouped per row, as written. */
static gboolean
reads_only (const char *expr,
            GPtrArray  *columns)
{
  const char *p = expr;

  while (*p)
    {
      if (*p == '\'')
        {
          for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
            ;
          if (*p == '\0')
            return FALSE;
          p++;
        }
      else if (*p == '"' || (*p == '.' && !g_ascii_isdigit (p[1])))
        return FALSE;
      else if (g_ascii_isdigit (*p) || *p == '.')
        {
          while (g_ascii_isalnum (*p) || *p == '.')
            p++;
        }
      else if (g_ascii_isalpha (*p) || *p == '_')
        {
          const char *start = p;
          const char *before = start;
          const char *after;
          g_autofree char *name = NULL;
          gboolean found = FALSE;

          while (g_ascii_isalnum (*p) || *p == '_')
            p++;
          for (after = p; g_ascii_isspace (*after); after++)
            ;
          while (before > expr && g_ascii_isspace (before[-1]))
            before--;
          if (*after == '(' || (before - expr >= 2 && before[-1] == ':' && before[-2] == ':'))
            continue;  /* a function, a cast's type */
          name = g_ascii_strdown (start, p - start);
          for (guint k = 0; k < columns->len && !found; k++)
            found = g_ascii_strcasecmp (g_ptr_array_index (columns, k), name) == 0;
          if (!found)
            return FALSE;
        }
      else
        p++;
    }
  return TRUE;
}

char *
_aq_quality_shared_sql (AqQualityRunContext  *ctx,
                        GPtrArray            *columns,
                        const gboolean       *joined,
                        GPtrArray            *parts,
                        AqQualityParams      *params)
{
  const AqQualitySetPart *first = g_ptr_array_index (parts, 0);
  g_autofree char *target = _aq_quality_target (first->layer, first->table);
  g_autoptr(GPtrArray) groupings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) branches = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) aggs = g_string_new (NULL);
  g_autoptr(GString) joins = g_string_new (NULL);
  g_autoptr(GString) select = g_string_new (NULL);
  g_autoptr(GString) group_by = g_string_new (NULL);
  g_autoptr(GString) outer = g_string_new (NULL);
  g_autoptr(GPtrArray) columns_read = g_ptr_array_new ();
  guint grouped = 0;
  g_autoptr(GString) sql = g_string_new (NULL);
  int limit = ctx->options->max_samples;

  if (columns->len > 0)
    {
      g_autoptr(GString) sums = g_string_new (NULL);
      g_autoptr(GString) rows = g_string_new (NULL);

      _aq_quality_scan_columns (columns, joined, params, aggs, joins);
      /* the column rules' counts, one row each */
      for (guint i = 0; i < columns->len; i++)
        {
          g_string_append_printf (sums, "%scoalesce(sum(__c%u), 0)::text AS c%u, "
                                        "coalesce(sum(__f%u), 0)::text AS f%u", i ? ", " : "",
                                  i, i, i, i);
          g_string_append_printf (rows, "%s(%u, c%u, f%u)", i ? ", " : "", i, i, i);
        }
      g_ptr_array_add (branches, g_strdup_printf ("SELECT v.i, 0::bigint, v.x0, v.x1, "
                                                  "NULL::text FROM (SELECT %s FROM __a) s CROSS "
                                                  "JOIN LATERAL (VALUES %s) v (i, x0, x1)",
                                                  sums->str, rows->str));
    }
  else
    g_string_append (aggs, "count(*) AS __rows");
  for (guint j = 0; j < parts->len; j++)
    {
      char *branch = part_sql (g_ptr_array_index (parts, j), columns->len + j, j, groupings,
                               params, limit, aggs);

      g_ptr_array_add (branches, branch ? branch : g_strdup ("SELECT NULL, NULL, NULL, NULL, "
                                                             "NULL WHERE false"));
    }
  /* grouped by the plain columns and the expressions read per row; an expression of the plain
   * columns only is computed per group, outside */
  for (guint k = 0; k < groupings->len; k++)
    if (is_column (g_ptr_array_index (groupings, k)))
      g_ptr_array_add (columns_read, g_ptr_array_index (groupings, k));
  for (guint k = 0; k < groupings->len; k++)
    {
      const char *expr = g_ptr_array_index (groupings, k);

      if (is_column (expr))
        g_string_append_printf (outer, ", %s AS __g%u", expr, k);
      else if (reads_only (expr, columns_read))
        {
          g_string_append_printf (outer, ", (%s) AS __g%u", expr, k);
          continue;
        }
      if (is_column (expr))
        g_string_append_printf (select, "%s,\n  ", expr);
      else
        g_string_append_printf (select, "(%s) AS __g%u,\n  ", expr, k);
      g_string_append_printf (group_by, "%s%u", group_by->len ? ", " : "\nGROUP BY ", ++grouped);
    }
  g_string_append_printf (sql, "WITH __a AS MATERIALIZED (\nSELECT __b.*%s FROM (SELECT %s%s\n"
                               "FROM %s AS __t%s%s) __b)\nSELECT * FROM (", outer->str,
                          select->str, aggs->str, target, joins->str, group_by->str);
  for (guint b = 0; b < branches->len; b++)
    g_string_append_printf (sql, "%s(%s)", b ? "\nUNION ALL " : "",
                            (char *) g_ptr_array_index (branches, b));
  g_string_append (sql, ") __o (i, o, x0, x1, x2) ORDER BY 1, 2");
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* aq-quality-run.c — running rules against the warehouse
 *
 * A run groups the column rules by table and asks each table once (aq-quality-compile.c);
 * the other types are one statement each (both in aq-quality-run-rules.c). Everything is read
 * in one READ ONLY transaction with a statement timeout, cancellable through the connection.
 * Failing rows come back as samples (up to max_samples rows, ordered by key so the same data
 * gives the same samples), masked as the customer pages mask them. The results are then
 * written in one transaction of their own (aq-quality-run-store.c): meta.quality_run, _result,
 * _sample — passes too.
 *
 * The statements (one per table's column rules, one per other rule) are independent, so a run
 * spreads them over `parallel` connections: the caller's, plus pooled ones (aq_db_job) that
 * import the caller's exported snapshot, so every statement still reads the same instant of
 * the warehouse. A pipeline's gate (in_transaction) stays on its own transaction, alone.
 * This file holds the helpers the statements share, the plan, the workers and the entry point.
 */
#define G_LOG_DOMAIN "aq-quality-run"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-phone.h"
#include "aq-quality-run-private.h"

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

AqQualityResult *
_aq_quality_result_new (const AqQualityRule *rule)
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
void
_aq_quality_judge (const AqQualityRule *rule,
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

PGresult *
_aq_quality_query (AqQualityRunContext  *ctx,
                   const char           *sql,
                   GPtrArray            *values,
                   GError              **error)
{
  PGresult *res;
  gint64 start;

  if (g_cancellable_set_error_if_cancelled (ctx->cancellable, error))
    return NULL;
  ctx->scans++;
  start = g_get_monotonic_time ();
  res = aq_db_query (ctx->db, sql, values ? (int) values->len : 0,
                     values ? (const char * const *) values->pdata : NULL, error);
  /* G_MESSAGES_DEBUG=aq-quality-run: each statement with its time */
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN) == FALSE)
    {
      g_autoptr(GString) shown = g_string_new (NULL);

      for (guint i = 0; values && i < values->len; i++)
        g_string_append_printf (shown, "%s$%u = %s", i ? ", " : "", i + 1,
                                (char *) g_ptr_array_index (values, i));
      g_debug ("%.0f ms: %s -- %s", (g_get_monotonic_time () - start) / 1000.0, sql,
               shown->str);
    }
  if (res == NULL && g_cancellable_is_cancelled (ctx->cancellable))
    {
      g_clear_error (error);
      g_cancellable_set_error_if_cancelled (ctx->cancellable, error);
    }
  return res;
}

gint64
_aq_quality_int_at (PGresult *res,
                    int       row,
                    int       col)
{
  return PQgetisnull (res, row, col) ? 0 : g_ascii_strtoll (PQgetvalue (res, row, col), NULL, 10);
}

/* The key of a sample row: the table's primary key columns, joined with "|". */
const char *
_aq_quality_key_expr (AqQualityRunContext  *ctx,
                      const AqQualityRule  *rule,
                      GError              **error)
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

int
_aq_quality_ref_unique (AqQualityRunContext  *ctx,
                        const AqQualityRule  *rule,
                        GError              **error)
{
  JsonObject *r = json_object_get_object_member (rule->args, "ref");
  g_autoptr(JsonNode) columns = json_node_copy (json_object_get_member (r, "columns"));
  g_autofree char *names = json_to_string (columns, FALSE);
  g_autofree char *id = g_strdup_printf ("unique %s.%s %s", json_object_get_string_member (r,
                                                                                   "layer"),
                                         json_object_get_string_member (r, "table"), names);
  g_autofree char *qualified = NULL;
  g_autofree char *answer = NULL;
  const char *cached = g_hash_table_lookup (ctx->keys, id);
  const char *params[2];

  if (cached)
    return cached[0] == 't';
  if (JSON_NODE_HOLDS_VALUE (columns))  /* one column named as a string */
    {
      g_autoptr(JsonNode) one = json_node_new (JSON_NODE_ARRAY);

      json_node_take_array (one, json_array_new ());
      json_array_add_string_element (json_node_get_array (one), json_node_get_string (columns));
      g_free (names);
      names = json_to_string (one, FALSE);
    }
  {
    g_autofree char *l = aq_db_quote_ident (json_object_get_string_member (r, "layer"));
    g_autofree char *t = aq_db_quote_ident (json_object_get_string_member (r, "table"));

    qualified = g_strdup_printf ("%s.%s", l, t);
  }
  params[0] = qualified;
  params[1] = names;
  answer = aq_db_query_string (ctx->db,
                               "SELECT EXISTS (SELECT FROM pg_index i WHERE i.indrelid = "
                               "to_regclass($1) AND i.indisunique AND i.indisvalid "
                               "AND i.indimmediate AND i.indpred IS NULL AND "
                               "i.indexprs IS NULL AND NOT EXISTS (SELECT FROM pg_attribute a "
                               "WHERE a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey) AND "
                               "NOT a.attname = ANY (ARRAY (SELECT jsonb_array_elements_text"
                               "($2::jsonb)))))", 2, params, error);
  if (answer == NULL)
    return -1;
  g_hash_table_insert (ctx->keys, g_steal_pointer (&id), g_strdup (answer));
  return answer[0] == 't';
}

/* The leading columns of each valid plain btree index of @qualified, one string per index
 * with the names separated by \x1f. */
static PGresult *
btree_indexes (AqQualityRunContext  *ctx,
               const char           *qualified,
               GError              **error)
{
  const char *p[1] = { qualified };

  return aq_db_query (ctx->db,
                      "SELECT string_agg(a.attname, chr(31) ORDER BY k.ord) FROM pg_index i "
                      "JOIN pg_class c ON c.oid = i.indexrelid "
                      "JOIN pg_am am ON am.oid = c.relam AND am.amname = 'btree' "
                      "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
                      "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
                      "WHERE i.indrelid = to_regclass($1) AND i.indisvalid "
                      "AND i.indexprs IS NULL AND i.indpred IS NULL GROUP BY i.indexrelid",
                      1, p, error);
}

static char *
quoted_target (const char *layer,
               const char *table)
{
  g_autofree char *l = aq_db_quote_ident (layer);
  g_autofree char *t = aq_db_quote_ident (table);

  return g_strdup_printf ("%s.%s", l, t);
}

static GPtrArray *
name_list (JsonNode *node)
{
  GPtrArray *names = g_ptr_array_new ();

  if (JSON_NODE_HOLDS_ARRAY (node))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
      g_ptr_array_add (names, (gpointer) json_array_get_string_element (json_node_get_array (node),
                                                                        i));
  else
    g_ptr_array_add (names, (gpointer) json_node_get_string (node));
  return names;
}

gboolean
_aq_quality_table_rows (AqQualityRunContext  *ctx,
                        const char           *layer,
                        const char           *table,
                        gint64               *rows,
                        GError              **error)
{
  g_autofree char *qualified = quoted_target (layer, table);
  g_autofree char *id = g_strdup_printf ("rows %s", qualified);
  const char *cached = g_hash_table_lookup (ctx->keys, id);
  const char *p[1] = { qualified };
  char *answer;

  if (cached == NULL)
    {
      answer = aq_db_query_string (ctx->db, "SELECT coalesce((SELECT reltuples FROM pg_class "
                                            "WHERE oid = to_regclass($1)), -1)::bigint", 1, p,
                                   error);
      if (answer == NULL)
        return FALSE;
      g_hash_table_insert (ctx->keys, g_strdup (id), answer);
      cached = answer;
    }
  *rows = g_ascii_strtoll (cached, NULL, 10);
  return TRUE;
}

int
_aq_quality_ref_merge (AqQualityRunContext  *ctx,
                       const AqQualityRule  *rule,
                       GError              **error)
{
  JsonObject *r = json_object_get_object_member (rule->args, "ref");
  g_autoptr(GPtrArray) cols = name_list (json_object_get_member (rule->args, "columns"));
  g_autoptr(GPtrArray) rcols = name_list (json_object_get_member (r, "columns"));
  g_autofree char *target = quoted_target (rule->layer, rule->table);
  g_autofree char *ref = quoted_target (json_object_get_string_member (r, "layer"),
                                        json_object_get_string_member (r, "table"));
  g_autofree char *id = g_strdup_printf ("merge %s", rule->name);
  g_autoptr(PGresult) ti = NULL;
  g_autoptr(PGresult) ri = NULL;
  const char *cached = g_hash_table_lookup (ctx->keys, id);
  gint64 min_rows = ctx->options->merge_min_rows > 0 ? ctx->options->merge_min_rows
                                                     : AQ_QUALITY_MERGE_MIN_ROWS;
  gint64 ref_rows, own_rows;
  gboolean merge = FALSE;
  guint k = MIN (cols->len, rcols->len);

  if (cached)
    return cached[0] == 't';
  if (!_aq_quality_table_rows (ctx, json_object_get_string_member (r, "layer"),
                               json_object_get_string_member (r, "table"), &ref_rows, error)
      || !_aq_quality_table_rows (ctx, rule->layer, rule->table, &own_rows, error))
    return -1;
  /* both sides large: a few referencing rows (the open bills' settlements) are answered
   * faster by probing the referenced key's index for each than by reading all its keys */
  if (ref_rows >= min_rows && own_rows >= min_rows && k > 0)
    {
      if (!(ti = btree_indexes (ctx, target, error)) || !(ri = btree_indexes (ctx, ref, error)))
        return -1;
      /* an index of each side led by the rule's columns, matched pair by pair in one order */
      for (int i = 0; i < PQntuples (ti) && !merge; i++)
        {
          g_auto(GStrv) tn = g_strsplit (PQgetvalue (ti, i, 0), "\x1f", -1);
          g_autofree char **want = g_new0 (char *, k + 1);
          guint j;

          if (g_strv_length (tn) < k)
            continue;
          for (j = 0; j < k; j++)
            {
              guint c;

              for (c = 0; c < cols->len && g_strcmp0 (tn[j], cols->pdata[c]) != 0; c++)
                ;
              if (c == cols->len)
                break;
              want[j] = rcols->pdata[c];
            }
          if (j < k)
            continue;
          for (int m = 0; m < PQntuples (ri) && !merge; m++)
            {
              g_auto(GStrv) rn = g_strsplit (PQgetvalue (ri, m, 0), "\x1f", -1);

              merge = g_strv_length (rn) >= k;
              for (j = 0; merge && j < k; j++)
                merge = g_strcmp0 (rn[j], want[j]) == 0;
            }
        }
    }
  g_hash_table_insert (ctx->keys, g_steal_pointer (&id), g_strdup (merge ? "t" : "f"));
  return merge;
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
 * (the LEFT JOIN of a count without failing rows) is none unless @null_keys (the caller knows
 * there are failing rows: custom SQL may answer a NULL key). */
void
_aq_quality_samples_from_result (const AqQualityRule *rule,
                                 AqQualityResult     *r,
                                 PGresult            *res,
                                 int                  first,
                                 gboolean             null_keys)
{
  _aq_quality_samples_from_rows (rule, r, res, first, null_keys, 0, PQntuples (res));
}

/* The same from rows @from up to (not including) @to only. */
void
_aq_quality_samples_from_rows (const AqQualityRule *rule,
                               AqQualityResult     *r,
                               PGresult            *res,
                               int                  first,
                               gboolean             null_keys,
                               int                  from,
                               int                  to)
{
  for (int i = from; i < to; i++)
    {
      AqQualitySample *s;
      g_autoptr(GString) value = g_string_new (NULL);

      if (first > 0 && !null_keys && PQgetisnull (res, i, first))
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

gboolean
_aq_quality_add_samples (AqQualityRunContext  *ctx,
                         const AqQualityRule  *rule,
                         AqQualityResult      *r,
                         const char           *sql,
                         GPtrArray            *values,
                         GError              **error)
{
  g_autoptr(PGresult) res = _aq_quality_query (ctx, sql, values, error);

  if (res == NULL)
    return FALSE;
  _aq_quality_samples_from_result (rule, r, res, 0, TRUE);
  return TRUE;
}

char *
_aq_quality_where_clause (const AqQualityRule *rule)
{
  return g_strdup_printf ("(%s)", rule->filter ? rule->filter : "true");
}

/* ---- running ---- */

/* One statement's worth of work: a table's column rules and the set rules that ride its scan
 * (parts), or one other rule. */
typedef struct
{
  GPtrArray *rules;
  GPtrArray *parts;         /* AqQualitySetPart */
  gboolean   column_group;
  char      *layer;
  char      *table;
  gint64     rows;          /* its table's estimated rows: the larger ones start first */
} Unit;

static void
unit_free (Unit *unit)
{
  g_ptr_array_unref (unit->rules);
  g_clear_pointer (&unit->parts, g_ptr_array_unref);
  g_free (unit->layer);
  g_free (unit->table);
  g_free (unit);
}

static Unit *
table_unit (GHashTable *tables,
            GPtrArray  *units,
            const char *layer,
            const char *table)
{
  g_autofree char *id = g_strdup_printf ("%s\x1f%s", layer, table);
  Unit *unit = g_hash_table_lookup (tables, id);

  if (unit == NULL)
    {
      unit = g_new0 (Unit, 1);
      unit->rules = g_ptr_array_new ();
      unit->parts = g_ptr_array_new_with_free_func ((GDestroyNotify) _aq_quality_set_part_free);
      unit->column_group = TRUE;
      unit->layer = g_strdup (layer);
      unit->table = g_strdup (table);
      g_hash_table_insert (tables, g_steal_pointer (&id), unit);
      g_ptr_array_add (units, unit);
    }
  return unit;
}

static int
compare_units (gconstpointer a,
               gconstpointer b)
{
  const Unit *ua = *(Unit * const *) a;
  const Unit *ub = *(Unit * const *) b;
  int c;

  if (ua->rows != ub->rows)
    return ua->rows > ub->rows ? -1 : 1;
  if (ua->column_group != ub->column_group)
    return ua->column_group ? -1 : 1;
  if (!ua->column_group)
    return 0;
  c = g_strcmp0 (ua->layer, ub->layer);
  return c ? c : g_strcmp0 (ua->table, ub->table);
}

/* The units: a statement per table for its column rules and the set rules that ride its
 * scan (aq-quality-run-shared.c), then one per other rule. NULL on error. */
static GPtrArray *
plan_units (AqQualityRunContext  *ctx,
            GPtrArray            *rules,
            GError              **error)
{
  g_autoptr(GPtrArray) units = g_ptr_array_new_with_free_func ((GDestroyNotify) unit_free);
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) alone = g_ptr_array_new ();

  for (guint k = 0; k < rules->len; k++)
    {
      AqQualityRule *rule = g_ptr_array_index (rules, k);
      AqQualitySetPart *part;
      GError *local_error = NULL;

      if (ctx->options->one_query_per_rule)
        {
          g_ptr_array_add (alone, rule);
          continue;
        }
      if (aq_quality_rule_is_column_rule (rule))
        {
          g_ptr_array_add (table_unit (tables, units, rule->layer, rule->table)->rules, rule);
          continue;
        }
      part = _aq_quality_set_part (ctx, rule, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (part == NULL)
        g_ptr_array_add (alone, rule);
      else
        g_ptr_array_add (table_unit (tables, units, part->layer, part->table)->parts, part);
    }
  for (guint k = 0; k < alone->len; k++)
    {
      Unit *unit = g_new0 (Unit, 1);

      unit->rules = g_ptr_array_new ();
      g_ptr_array_add (unit->rules, g_ptr_array_index (alone, k));
      g_ptr_array_add (units, unit);
    }
  /* the statements on the largest tables first (by pg_class.reltuples), the tables' scans
   * before the rules alone on a table as large: the long statements start early, and the
   * connections end together instead of one of them starting a long scan last */
  for (guint k = 0; k < units->len; k++)
    {
      Unit *unit = g_ptr_array_index (units, k);
      const AqQualityRule *rule = unit->column_group ? NULL
                                                     : g_ptr_array_index (unit->rules, 0);
      gboolean ok = rule ? _aq_quality_table_rows (ctx, rule->layer, rule->table, &unit->rows,
                                                   error)
                         : _aq_quality_table_rows (ctx, unit->layer, unit->table, &unit->rows,
                                                   error);

      if (!ok)
        return NULL;
    }
  g_ptr_array_sort (units, compare_units);
  return g_steal_pointer (&units);
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
run_units (AqQualityRunContext  *ctx,
           Shared               *shared,
           GPtrArray            *results,
           GError              **error)
{
  for (;;)
    {
      int i = g_atomic_int_add (&shared->next, 1);
      Unit *unit;

      if (i >= (int) shared->units->len)
        return TRUE;
      unit = g_ptr_array_index (shared->units, i);
      if (!(unit->column_group
            ? _aq_quality_run_column_rules (ctx, unit->rules, unit->parts, results, error)
            : _aq_quality_run_set_rule (ctx, g_ptr_array_index (unit->rules, 0), results, error)))
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
  AqQualityRunContext ctx = { 0 };
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
evaluate (AqQualityRunContext  *ctx,
          GPtrArray            *rules,
          GPtrArray            *results,
          int                   parallel,
          const char           *timeout,
          GError              **error)
{
  g_autoptr(GPtrArray) units = plan_units (ctx, rules, error);
  g_autoptr(GCancellable) inner = g_cancellable_new ();
  g_autoptr(GPtrArray) workers = g_ptr_array_new_with_free_func (g_free);
  GCancellable *outer = ctx->cancellable;
  Shared shared = { 0 };
  gulong outer_handler = 0, inner_handler;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  if (units == NULL)
    return FALSE;
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
  AqQualityRunContext ctx = { 0 };
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
      if (!_aq_quality_store_results (db, run, ok ? error : &store_error))
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


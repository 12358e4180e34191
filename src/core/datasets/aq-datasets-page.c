/* aq-datasets-page.c — the data catalog's reading side: search, the tree, a table's and an
 * indicator's page, descriptions
 *
 * Reads are cheap on purpose: search is one indexed LIKE over a few thousand rows; a table's
 * page is catalog rows, pg_class estimates (never count(*)), three sample rows (personal data
 * masked) and the stored graph walked in memory. Building the catalog is aq-datasets.c.
 */
#define G_LOG_DOMAIN "aq-datasets"

#include "config.h"
#include <glib/gi18n.h>

#include <stdlib.h>
#include <string.h>

#include "aq-audit.h"
#include "aq-catalog.h"
#include "aq-clock.h"
#include "aq-datasets.h"
#include "aq-datasets-private.h"
#include "aq-error.h"
#include "aq-phone.h"

/* A sample or page read must never hold the panel: big tables answer from estimates. */
#define READ_TIMEOUT "SET LOCAL statement_timeout = '5s'"

/* ---- auxiliary methods ---- */

void
aq_dataset_hit_free (AqDatasetHit *hit)
{
  if (hit == NULL)
    return;
  g_free (hit->kind);
  g_free (hit->key);
  g_free (hit->title);
  g_free (hit->detail);
  g_free (hit->layer);
  g_free (hit);
}

static void
column_free (AqDatasetColumn *column)
{
  g_free (column->name);
  g_free (column->type);
  g_free (column->description);
  g_free (column->term);
  g_free (column->personal_data);
  g_strfreev (column->samples);
  g_free (column);
}

static void
link_free (AqDatasetLink *link)
{
  g_free (link->id);
  g_free (link->layer);
  g_free (link->via);
  g_free (link->next);
  g_free (link);
}

static void
quality_rule_free (AqDatasetQualityRule *rule)
{
  g_free (rule->rule_name);
  g_free (rule->status);
  g_free (rule->severity);
  g_free (rule->dimension);
  g_free (rule->message);
  g_free (rule);
}

void
aq_dataset_table_free (AqDatasetTable *table)
{
  if (table == NULL)
    return;
  g_free (table->key);
  g_free (table->layer);
  g_free (table->subject);
  g_free (table->subject_name);
  g_free (table->category);
  g_free (table->description);
  g_free (table->owner);
  g_free (table->steward);
  g_free (table->written_by);
  g_clear_pointer (&table->last_loaded_at, g_date_time_unref);
  g_clear_pointer (&table->columns, g_ptr_array_unref);
  g_clear_pointer (&table->used_by, g_ptr_array_unref);
  g_clear_pointer (&table->lineage, g_ptr_array_unref);
  g_clear_pointer (&table->quality_failing, g_ptr_array_unref);
  g_free (table);
}

static const char *
user_lang (void)
{
  const char * const *names = g_get_language_names ();

  return names[0] && g_str_has_prefix (names[0], "zh") ? "zh_CN" : "en";
}

static char *
escape_like (const char *text)
{
  GString *out = g_string_new (NULL);
  g_autofree char *lower = g_utf8_strdown (text, -1);

  for (const char *p = lower; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static GPtrArray *
hits_from_result (PGresult *result)
{
  GPtrArray *hits = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_dataset_hit_free);

  for (int i = 0; i < PQntuples (result); i++)
    {
      AqDatasetHit *hit = g_new0 (AqDatasetHit, 1);

      hit->kind = g_strdup (PQgetvalue (result, i, 0));
      hit->key = g_strdup (PQgetvalue (result, i, 1));
      hit->title = g_strdup (PQgetvalue (result, i, 2));
      hit->detail = g_strdup (PQgetvalue (result, i, 3));
      hit->layer = g_strdup (PQgetvalue (result, i, 4));
      hit->rank = g_ascii_strtoll (PQgetvalue (result, i, 5), NULL, 10);
      g_ptr_array_add (hits, hit);
    }
  return hits;
}

GPtrArray *
aq_datasets_search (AqDb          *db,
                    const char    *text,
                    guint          limit,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree char *pattern = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *limit_text = NULL;
  g_autoptr(PGresult) result = NULL;
  const char *params[3];
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  lower = g_utf8_strdown (g_strstrip (g_strdup (text)), -1);
  pattern = escape_like (lower);
  limit_text = g_strdup_printf ("%u", limit ? limit : 50);
  params[0] = pattern;
  params[1] = lower;
  params[2] = limit_text;
  handler = aq_db_watch_cancellable (db, cancellable);
  /* exact names first, then tables before their columns when equally used, then by use */
  result = aq_db_query_prepared (db,
                                 "SELECT kind, key, title, detail, layer, rank "
                                 "FROM meta.dataset_search "
                                 "WHERE haystack LIKE '%' || $1 || '%' "
                                 "ORDER BY (lower(key) = $2 OR lower(key) LIKE '%.' || $1 "
                                 "          OR lower(key) LIKE '%:' || $1) DESC, "
                                 "         rank DESC, kind <> 'table', length(key), key "
                                 "LIMIT $3::int", 3, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  return result ? hits_from_result (result) : NULL;
}

GPtrArray *
aq_datasets_list_tables (AqDb          *db,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *params[1] = { user_lang () };
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  handler = aq_db_watch_cancellable (db, cancellable);
  result = aq_db_query (db,
                        "SELECT 'table', t.table_schema || '.' || t.table_name, "
                        "       CASE WHEN $1 = 'zh_CN' THEN s.name_zh ELSE s.name_en END, "
                        "       t.layer || E'\\n' || t.subject_code || E'\\n' || t.category, "
                        "       t.layer, t.use_count * 10 + t.consumer_count "
                        "FROM meta.dataset_table t "
                        "JOIN meta.dataset_subject s USING (subject_code) "
                        "JOIN pg_namespace n ON n.nspname = t.table_schema "
                        "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name "
                        /* nearest to the people who read it first: marts, warehouse, raw */
                        "ORDER BY CASE t.layer WHEN 'dm' THEN 0 WHEN 'dw' THEN 1 "
                        "           WHEN 'ods' THEN 2 WHEN 'src' THEN 3 ELSE 4 END, "
                        "         s.position, t.category, t.table_schema, t.table_name",
                        1, params, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  return result ? hits_from_result (result) : NULL;
}

static char *
mask_sample (const char *value,
             const char *personal_data)
{
  g_autofree char *head = NULL;

  if (personal_data == NULL)
    return g_utf8_strlen (value, -1) > 40 ? g_strconcat (g_utf8_substring (value, 0, 39), "…",
                                                         NULL)
                                          : g_strdup (value);
  if (g_str_equal (personal_data, "phone"))
    return aq_mask_phone (value, AQ_ROLE_AGENT);
  if (g_str_equal (personal_data, "name"))
    return aq_mask_name (value, AQ_ROLE_AGENT);
  if (g_str_equal (personal_data, "id_card"))
    return aq_mask_id_card (value, AQ_ROLE_AGENT);
  if (g_str_equal (personal_data, "free_text"))
    return g_strdup ("•••");
  /* address, openid: the first few characters say what kind of value it is */
  head = g_utf8_substring (value, 0, MIN (4, g_utf8_strlen (value, -1)));
  return g_strconcat (head, "•••", NULL);
}

static gboolean
load_samples (AqDb            *db,
              AqDatasetTable  *table,
              const char      *schema,
              const char      *name,
              GError         **error)
{
  g_autofree char *qs = aq_db_quote_ident (schema);
  g_autofree char *qt = aq_db_quote_ident (name);
  g_autoptr(GString) sql = g_string_new ("SELECT ");
  g_autoptr(PGresult) result = NULL;

  for (guint i = 0; i < table->columns->len; i++)
    {
      AqDatasetColumn *column = g_ptr_array_index (table->columns, i);
      g_autofree char *qc = aq_db_quote_ident (column->name);

      if (i > 0)
        g_string_append (sql, ", ");
      if (g_str_has_prefix (column->type, "geometry") || g_str_equal (column->type, "bytea"))
        g_string_append (sql, "NULL::text");
      else
        g_string_append_printf (sql, "left(%s::text, 200)", qc);
    }
  g_string_append_printf (sql, " FROM %s.%s LIMIT 3", qs, qt);
  result = aq_db_query (db, sql->str, 0, NULL, error);
  if (result == NULL)
    return FALSE;
  for (guint i = 0; i < table->columns->len; i++)
    {
      AqDatasetColumn *column = g_ptr_array_index (table->columns, i);
      GStrvBuilder *builder = g_strv_builder_new ();

      for (int r = 0; r < PQntuples (result); r++)
        if (!PQgetisnull (result, r, i))
          {
            g_autofree char *masked = mask_sample (PQgetvalue (result, r, i),
                                                   column->personal_data);
            g_strv_builder_add (builder, masked);
          }
      column->samples = g_strv_builder_end (builder);
      g_strv_builder_unref (builder);
    }
  return TRUE;
}

/* Each rule's latest stored result (errors left out), as the Data Quality panel reads them,
 * then this table's: its score and the rules failing or warning now. */
static gboolean
load_quality (AqDb            *db,
              AqDatasetTable  *table,
              const char      *schema,
              const char      *name,
              GError         **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *params[2] = { schema, name };

  result = aq_db_query_prepared (db,
                                 "WITH latest AS (SELECT DISTINCT ON (rule_name) * "
                                 "  FROM meta.quality_result WHERE status <> 'error' "
                                 "  ORDER BY rule_name, run_id DESC) "
                                 "SELECT rule_name, status, severity, dimension, checked_rows, "
                                 "       failing_rows, coalesce(message, ''), run_id "
                                 "FROM latest WHERE layer = $1 AND table_name = $2 "
                                 "ORDER BY array_position(ARRAY['fail', 'warn', 'pass'], status),"
                                 "         failing_rows DESC, rule_name", 2, params, error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *status = PQgetvalue (result, i, 1);
      gint64 checked = g_ascii_strtoll (PQgetvalue (result, i, 4), NULL, 10);
      gint64 failing = g_ascii_strtoll (PQgetvalue (result, i, 5), NULL, 10);
      AqDatasetQualityRule *rule;

      table->quality_rules++;
      table->quality_checked += checked;
      table->quality_passing += checked - failing;
      if (g_str_equal (status, "pass"))
        continue;
      rule = g_new0 (AqDatasetQualityRule, 1);
      rule->rule_name = g_strdup (PQgetvalue (result, i, 0));
      rule->status = g_strdup (status);
      rule->severity = g_strdup (PQgetvalue (result, i, 2));
      rule->dimension = g_strdup (PQgetvalue (result, i, 3));
      rule->checked = checked;
      rule->failing = failing;
      rule->message = g_strdup (PQgetvalue (result, i, 6));
      rule->run_id = g_ascii_strtoll (PQgetvalue (result, i, 7), NULL, 10);
      g_ptr_array_add (table->quality_failing, rule);
    }
  table->quality_score = table->quality_checked > 0
                         ? 100.0 * table->quality_passing / table->quality_checked : 100.0;
  return TRUE;
}

static const char *
link_id_of (AqLineageNode *node)
{
  return node->table ? node->table : node->id;
}

static void
add_links (AqDatasetTable     *table,
           AqLineage          *lineage,
           AqLineageDirection  direction)
{
  g_autoptr(GPtrArray) hits = aq_lineage_walk (lineage, table->key, direction, 0);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < hits->len; i++)
    {
      AqLineageHit *hit = g_ptr_array_index (hits, i);
      const char *id = link_id_of (hit->node);
      AqDatasetLink *link;

      if (g_str_equal (id, table->key) || g_hash_table_contains (seen, id))
        continue;
      g_hash_table_add (seen, (gpointer) id);
      link = g_new0 (AqDatasetLink, 1);
      link->id = g_strdup (id);
      link->layer = g_strdup (hit->node->layer);
      link->distance = direction == AQ_LINEAGE_UPSTREAM ? -(int) hit->depth : (int) hit->depth;
      link->via = g_strdup_printf ("%s %s", hit->edge->via_kind, hit->edge->via_name);
      link->next = g_strdup (link_id_of (direction == AQ_LINEAGE_UPSTREAM ? hit->edge->to
                                                                           : hit->edge->from));
      g_ptr_array_add (table->lineage, link);
    }
}

AqDatasetTable *
aq_datasets_load_table (AqDb          *db,
                        const char    *key,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(AqDatasetTable) table = NULL;
  g_autoptr(PGresult) head = NULL;
  g_autoptr(PGresult) columns = NULL;
  g_autoptr(PGresult) run = NULL;
  g_autoptr(AqLineage) lineage = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;
  const char *params[4];
  gulong handler;
  gboolean ok = FALSE;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!_aq_datasets_split_key (key, &schema, &name, error))
    return NULL;
  params[0] = schema;
  params[1] = name;
  params[2] = user_lang ();
  params[3] = key;

  handler = aq_db_watch_cancellable (db, cancellable);
  if (!aq_db_exec (db, "BEGIN READ ONLY", error))
    goto out;
  if (!aq_db_exec (db, READ_TIMEOUT, error))
    goto rollback;
  head = aq_db_query_prepared (db,
                               "SELECT coalesce(t.layer, CASE WHEN n.nspname LIKE 'src\\_%' "
                               "         THEN 'src' ELSE n.nspname END), "
                               "       coalesce(t.subject_code, 'other'), "
                               "       CASE WHEN $3 = 'zh_CN' THEN s.name_zh ELSE s.name_en END, "
                               "       coalesce(t.category, ''), "
                               "       coalesce(tx.description, obj_description(c.oid, 'pg_class'),"
                               "                en.description, ''), "
                               "       coalesce(t.owner, ''), coalesce(t.steward, ''), "
                               "       c.reltuples::bigint, pg_total_relation_size(c.oid), "
                               "       t.written_by, coalesce(t.sla_hours, 0) "
                               "FROM pg_class c "
                               "JOIN pg_namespace n ON n.oid = c.relnamespace "
                               "LEFT JOIN meta.dataset_table t ON t.table_schema = n.nspname "
                               "  AND t.table_name = c.relname "
                               "LEFT JOIN meta.dataset_subject s "
                               "  ON s.subject_code = coalesce(t.subject_code, 'other') "
                               "LEFT JOIN meta.dataset_text tx ON tx.object = $4 AND tx.lang = $3 "
                               "LEFT JOIN meta.dataset_text en "
                               "  ON en.object = $4 AND en.lang = 'en' "
                               "WHERE n.nspname = $1 AND c.relname = $2 "
                               "  AND c.relkind IN ('r', 'p', 'v', 'm')",
                               4, params, error);
  if (head == NULL)
    goto rollback;
  if (PQntuples (head) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no table %s in the warehouse"),
                   key);
      goto rollback;
    }
  table = g_new0 (AqDatasetTable, 1);
  table->key = g_strdup (key);
  table->layer = g_strdup (PQgetvalue (head, 0, 0));
  table->subject = g_strdup (PQgetvalue (head, 0, 1));
  table->subject_name = g_strdup (PQgetvalue (head, 0, 2));
  table->category = g_strdup (PQgetvalue (head, 0, 3));
  table->description = g_strdup (PQgetvalue (head, 0, 4));
  table->owner = g_strdup (PQgetvalue (head, 0, 5));
  table->steward = g_strdup (PQgetvalue (head, 0, 6));
  table->row_estimate = g_ascii_strtoll (PQgetvalue (head, 0, 7), NULL, 10);
  table->size_bytes = g_ascii_strtoll (PQgetvalue (head, 0, 8), NULL, 10);
  table->written_by = PQgetisnull (head, 0, 9) ? NULL : g_strdup (PQgetvalue (head, 0, 9));
  table->sla_hours = atoi (PQgetvalue (head, 0, 10));
  table->columns = g_ptr_array_new_with_free_func ((GDestroyNotify) column_free);
  table->used_by = g_ptr_array_new_with_free_func (g_free);
  table->lineage = g_ptr_array_new_with_free_func ((GDestroyNotify) link_free);
  table->quality_failing = g_ptr_array_new_with_free_func ((GDestroyNotify) quality_rule_free);

  columns = aq_db_query_prepared (db,
                                  "SELECT a.attname, format_type(a.atttypid, a.atttypmod), "
                                  "       coalesce(tx.description, "
                                  "                col_description(c.oid, a.attnum), "
                                  "                en.description, ''), "
                                  "       CASE WHEN $3 = 'zh_CN' THEN g.name_zh "
                                  "            ELSE g.name_en END, "
                                  "       dc.personal_data "
                                  "FROM pg_class c "
                                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                  "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                                  "  AND NOT a.attisdropped "
                                  "LEFT JOIN meta.dataset_column dc ON dc.table_schema = n.nspname "
                                  "  AND dc.table_name = c.relname AND dc.column_name = a.attname "
                                  "LEFT JOIN meta.glossary_term g ON g.term_code = dc.term_code "
                                  "LEFT JOIN meta.dataset_text tx "
                                  "  ON tx.object = $4 || '.' || a.attname AND tx.lang = $3 "
                                  "LEFT JOIN meta.dataset_text en "
                                  "  ON en.object = $4 || '.' || a.attname AND en.lang = 'en' "
                                  "WHERE n.nspname = $1 AND c.relname = $2 "
                                  "ORDER BY a.attnum", 4, params, error);
  if (columns == NULL)
    goto rollback;
  for (int i = 0; i < PQntuples (columns); i++)
    {
      AqDatasetColumn *column = g_new0 (AqDatasetColumn, 1);

      column->name = g_strdup (PQgetvalue (columns, i, 0));
      column->type = g_strdup (PQgetvalue (columns, i, 1));
      column->description = g_strdup (PQgetvalue (columns, i, 2));
      column->term = PQgetisnull (columns, i, 3) ? NULL : g_strdup (PQgetvalue (columns, i, 3));
      column->personal_data = PQgetisnull (columns, i, 4) ? NULL
                                                          : g_strdup (PQgetvalue (columns, i, 4));
      g_ptr_array_add (table->columns, column);
    }
  if (!load_samples (db, table, schema, name, error))
    goto rollback;
  if (!load_quality (db, table, schema, name, error))
    goto rollback;

  if (table->written_by != NULL)
    {
      const char *run_params[1] = { table->written_by };

      run = aq_db_query_prepared (db,
                                  "SELECT run_id, extract(epoch FROM finished_at)::float8 "
                                  "FROM meta.pipeline_run "
                                  "WHERE pipeline = $1 AND status = 'succeeded' "
                                  "ORDER BY finished_at DESC LIMIT 1", 1, run_params, error);
      if (run == NULL)
        goto rollback;
      if (PQntuples (run) == 1)
        {
          g_autoptr(GDateTime) now = aq_clock_now ();

          table->last_run_id = g_ascii_strtoll (PQgetvalue (run, 0, 0), NULL, 10);
          table->last_loaded_at =
            g_date_time_new_from_unix_utc ((gint64) g_ascii_strtod (PQgetvalue (run, 0, 1),
                                                                    NULL));
          table->late = table->sla_hours > 0
                        && g_date_time_difference (now, table->last_loaded_at)
                           > (GTimeSpan) table->sla_hours * G_TIME_SPAN_HOUR;
        }
    }

  lineage = aq_datasets_load_lineage (db, cancellable, error);
  if (lineage == NULL)
    goto rollback;
  if (!aq_db_exec (db, "COMMIT", error))
    goto rollback;

  for (guint i = 0; i < table->columns->len; i++)
    {
      AqDatasetColumn *column = g_ptr_array_index (table->columns, i);
      g_autofree char *id = g_strconcat (key, ".", column->name, NULL);
      g_autoptr(GPtrArray) up = aq_lineage_walk (lineage, id, AQ_LINEAGE_UPSTREAM, 1);
      g_autoptr(GPtrArray) down = aq_lineage_walk (lineage, id, AQ_LINEAGE_DOWNSTREAM, 1);

      column->n_upstream = up->len;
      column->n_downstream = down->len;
    }
  add_links (table, lineage, AQ_LINEAGE_UPSTREAM);
  add_links (table, lineage, AQ_LINEAGE_DOWNSTREAM);
  {
    g_autoptr(GPtrArray) down = aq_lineage_walk (lineage, key, AQ_LINEAGE_DOWNSTREAM, 2);

    for (guint i = 0; i < down->len; i++)
      {
        AqLineageHit *hit = g_ptr_array_index (down, i);
        g_autofree char *use = NULL;

        if (hit->depth == 2 && hit->node->kind != AQ_LINEAGE_NODE_REPORT)
          continue;
        use = g_strdup_printf ("%s %s", hit->edge->via_kind, hit->edge->via_name);
        if (!g_ptr_array_find_with_equal_func (table->used_by, use, g_str_equal, NULL))
          g_ptr_array_add (table->used_by, g_steal_pointer (&use));
      }
  }

  /* one use, for ranking; a failure to count is not worth failing the page */
  {
    g_autoptr(PGresult) counted = aq_db_query_prepared (db,
                                                        "UPDATE meta.dataset_table "
                                                        "SET use_count = use_count + 1 "
                                                        "WHERE table_schema = $1 "
                                                        "  AND table_name = $2", 2, params,
                                                        NULL);
  }
  ok = TRUE;
  goto out;

rollback:
  aq_db_rollback (db);
out:
  aq_db_unwatch_cancellable (db, cancellable, handler);
  return ok ? g_steal_pointer (&table) : NULL;
}

JsonNode *
aq_datasets_load_indicator (AqDb          *db,
                            const char    *id,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(AqLineage) lineage = NULL;
  g_autoptr(GPtrArray) up = NULL;
  g_autoptr(GPtrArray) down = NULL;
  g_autofree char *node = NULL;
  AqIndicator *indicator;
  JsonObject *o;
  JsonArray *array;
  const char * const *dims;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (g_str_has_prefix (id, "indicator:"))
    id += strlen ("indicator:");
  catalog = aq_catalog_load (db, cancellable, error);
  if (catalog == NULL)
    return NULL;
  indicator = aq_catalog_lookup_indicator (catalog, id);
  if (indicator == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no indicator “%s”"), id);
      return NULL;
    }
  lineage = aq_datasets_load_lineage (db, cancellable, error);
  if (lineage == NULL)
    return NULL;
  node = g_strconcat ("indicator:", id, NULL);

  o = json_object_new ();
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "name_en", aq_indicator_get_name_en (indicator));
  json_object_set_string_member (o, "name_zh", aq_indicator_get_name_zh (indicator));
  json_object_set_string_member (o, "category", aq_indicator_get_category (indicator));
  json_object_set_string_member (o, "definition", aq_indicator_get_description (indicator));
  json_object_set_string_member (o, "formula", aq_indicator_get_formula (indicator));
  json_object_set_string_member (o, "aggregation",
                                 aq_aggregation_to_string (
                                   aq_indicator_get_aggregation (indicator)));
  json_object_set_string_member (o, "unit", aq_indicator_get_unit (indicator));
  json_object_set_string_member (o, "grain", aq_indicator_get_grain (indicator));
  array = json_array_new ();
  dims = aq_indicator_get_dimensions (indicator);
  for (guint i = 0; dims && dims[i]; i++)
    json_array_add_string_element (array, dims[i]);
  json_object_set_array_member (o, "dimensions", array);

  up = aq_lineage_walk (lineage, node, AQ_LINEAGE_UPSTREAM, 1);
  array = json_array_new ();
  for (guint i = 0; i < up->len; i++)
    json_array_add_string_element (array, ((AqLineageHit *) g_ptr_array_index (up, i))->node->id);
  json_object_set_array_member (o, "reads", array);
  down = aq_lineage_walk (lineage, node, AQ_LINEAGE_DOWNSTREAM, 1);
  array = json_array_new ();
  for (guint i = 0; i < down->len; i++)
    json_array_add_string_element (array,
                                   ((AqLineageHit *) g_ptr_array_index (down, i))->node->id);
  json_object_set_array_member (o, "shown_by", array);
  return json_node_init_object (json_node_alloc (), o);
}

gboolean
aq_datasets_set_table_info (AqDb        *db,
                            const char  *table,
                            const char  *subject,
                            const char  *category,
                            const char  *owner,
                            const char  *steward,
                            GError     **error)
{
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();
  const char *params[6];

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (table != NULL, FALSE);

  if (!_aq_datasets_split_key (table, &schema, &name, error))
    return FALSE;
  params[0] = schema;
  params[1] = name;
  params[2] = subject;
  params[3] = category;
  params[4] = owner;
  params[5] = steward;
  if (subject != NULL)
    {
      gint64 known = 0;

      if (!aq_db_query_int64 (db, "SELECT count(*) FROM meta.dataset_subject "
                              "WHERE subject_code = $1", 1, &subject, &known, error))
        return FALSE;
      if (known == 0)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                       _("There is no subject area “%s” (see meta.dataset_subject)"), subject);
          return FALSE;
        }
    }
  if (!aq_db_begin (db, error))
    return FALSE;
  result = aq_db_query (db,
                        "UPDATE meta.dataset_table "
                        "SET subject_code = coalesce($3, subject_code), "
                        "    category = coalesce($4, category), "
                        "    owner = coalesce($5, owner), "
                        "    steward = coalesce($6, steward) "
                        "WHERE table_schema = $1 AND table_name = $2", 6, params, error);
  if (result == NULL)
    goto fail;
  if (g_ascii_strtoll (PQcmdTuples (result), NULL, 10) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("There is no table %s in the catalog (a rebuild adds new tables)"), table);
      goto fail;
    }
  for (guint i = 2; i < G_N_ELEMENTS (params); i++)
    if (params[i] != NULL)
      json_object_set_string_member (detail, (const char *[]) { "", "", "subject", "category",
                                                                "owner", "steward" }[i],
                                     params[i]);
  if (!aq_audit_write (db, NULL, "catalog.table", table, detail, error))
    goto fail;
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

gboolean
aq_datasets_set_description (AqDb        *db,
                             const char  *table,
                             const char  *column,
                             const char  *lang,
                             const char  *text,
                             GError     **error)
{
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;
  g_autofree char *object = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(JsonObject) detail = json_object_new ();

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (table != NULL && lang != NULL && text != NULL, FALSE);

  if (!_aq_datasets_split_key (table, &schema, &name, error))
    return FALSE;
  object = column ? g_strconcat (table, ".", column, NULL) : g_strdup (table);
  if (!aq_db_begin (db, error))
    return FALSE;
  if (g_str_equal (lang, "en"))
    {
      /* COMMENT takes no parameters: format() quotes the values on the server */
      const char *params[4] = { schema, name, column ? column : text, text };
      g_autoptr(PGresult) statement = NULL;

      statement = column ? aq_db_query (db, "SELECT format('COMMENT ON COLUMN %I.%I.%I IS %L', "
                                        "$1::text, $2::text, $3::text, $4::text)",
                                        4, params, error)
                         : aq_db_query (db, "SELECT format('COMMENT ON TABLE %I.%I IS %L', "
                                        "$1::text, $2::text, $3::text)", 3, params, error);
      if (statement == NULL || !aq_db_exec (db, PQgetvalue (statement, 0, 0), error))
        goto fail;
    }
  else
    {
      const char *params[3] = { object, lang, text };

      result = aq_db_query (db,
                            "INSERT INTO meta.dataset_text (object, lang, description) "
                            "VALUES ($1, $2, $3) ON CONFLICT (object, lang) "
                            "DO UPDATE SET description = EXCLUDED.description",
                            3, params, error);
      if (result == NULL)
        goto fail;
    }
  {
    const char *params[2] = { object, text };
    g_autoptr(PGresult) search = aq_db_query (db,
                                              "UPDATE meta.dataset_search "
                                              "SET haystack = haystack || ' ' || lower($2) "
                                              "WHERE key = $1", 2, params, error);
    if (search == NULL)
      goto fail;
  }
  json_object_set_string_member (detail, "lang", lang);
  json_object_set_string_member (detail, "description", text);
  if (!aq_audit_write (db, NULL, "catalog.describe", object, detail, error))
    goto fail;
  return aq_db_commit (db, error);

fail:
  aq_db_rollback (db);
  return FALSE;
}

JsonNode *
aq_dataset_table_to_json (AqDatasetTable *table)
{
  JsonObject *o = json_object_new ();
  JsonArray *array;
  g_autofree char *loaded = NULL;

  g_return_val_if_fail (table != NULL, NULL);

  json_object_set_string_member (o, "table", table->key);
  json_object_set_string_member (o, "layer", table->layer);
  json_object_set_string_member (o, "subject", table->subject);
  json_object_set_string_member (o, "category", table->category);
  json_object_set_string_member (o, "description", table->description);
  json_object_set_string_member (o, "owner", table->owner);
  json_object_set_string_member (o, "steward", table->steward);
  json_object_set_int_member (o, "row_estimate", table->row_estimate);
  json_object_set_int_member (o, "size_bytes", table->size_bytes);
  json_object_set_string_member (o, "written_by", table->written_by);
  json_object_set_int_member (o, "last_run_id", table->last_run_id);
  loaded = table->last_loaded_at ? g_date_time_format_iso8601 (table->last_loaded_at) : NULL;
  json_object_set_string_member (o, "last_loaded_at", loaded);
  json_object_set_int_member (o, "sla_hours", table->sla_hours);
  json_object_set_boolean_member (o, "late", table->late);

  array = json_array_new ();
  for (guint i = 0; i < table->columns->len; i++)
    {
      AqDatasetColumn *c = g_ptr_array_index (table->columns, i);
      JsonObject *co = json_object_new ();
      JsonArray *samples = json_array_new ();

      json_object_set_string_member (co, "name", c->name);
      json_object_set_string_member (co, "type", c->type);
      json_object_set_string_member (co, "description", c->description);
      json_object_set_string_member (co, "term", c->term);
      json_object_set_string_member (co, "personal_data", c->personal_data);
      for (guint j = 0; c->samples && c->samples[j]; j++)
        json_array_add_string_element (samples, c->samples[j]);
      json_object_set_array_member (co, "samples", samples);
      json_object_set_int_member (co, "upstream", c->n_upstream);
      json_object_set_int_member (co, "downstream", c->n_downstream);
      json_array_add_object_element (array, co);
    }
  json_object_set_array_member (o, "columns", array);

  array = json_array_new ();
  for (guint i = 0; i < table->used_by->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (table->used_by, i));
  json_object_set_array_member (o, "used_by", array);

  array = json_array_new ();
  for (guint i = 0; i < table->lineage->len; i++)
    {
      AqDatasetLink *link = g_ptr_array_index (table->lineage, i);
      JsonObject *lo = json_object_new ();

      json_object_set_string_member (lo, "id", link->id);
      json_object_set_string_member (lo, "layer", link->layer);
      json_object_set_int_member (lo, "distance", link->distance);
      json_object_set_string_member (lo, "via", link->via);
      json_object_set_string_member (lo, "next", link->next);
      json_array_add_object_element (array, lo);
    }
  json_object_set_array_member (o, "lineage", array);

  if (table->quality_rules > 0)
    {
      JsonObject *qo = json_object_new ();

      json_object_set_int_member (qo, "rules", table->quality_rules);
      json_object_set_int_member (qo, "checked_rows", table->quality_checked);
      json_object_set_int_member (qo, "passing_rows", table->quality_passing);
      json_object_set_double_member (qo, "score", table->quality_score);
      array = json_array_new ();
      for (guint i = 0; i < table->quality_failing->len; i++)
        {
          AqDatasetQualityRule *rule = g_ptr_array_index (table->quality_failing, i);
          JsonObject *ro = json_object_new ();

          json_object_set_string_member (ro, "rule", rule->rule_name);
          json_object_set_string_member (ro, "status", rule->status);
          json_object_set_string_member (ro, "severity", rule->severity);
          json_object_set_string_member (ro, "dimension", rule->dimension);
          json_object_set_int_member (ro, "checked_rows", rule->checked);
          json_object_set_int_member (ro, "failing_rows", rule->failing);
          json_object_set_string_member (ro, "message", rule->message);
          json_object_set_int_member (ro, "run_id", rule->run_id);
          json_array_add_object_element (array, ro);
        }
      json_object_set_array_member (qo, "failing", array);
      json_object_set_object_member (o, "quality", qo);
    }
  else
    json_object_set_null_member (o, "quality");
  return json_node_init_object (json_node_alloc (), o);
}


/* aq-datasets.c — the data catalog's build side: from the definitions to meta.dataset_*
 *
 * The catalog is derived, not typed in: a rebuild reads the definitions (pipelines, indicator
 * catalog, reports, registered providers), builds the exact lineage (aq-lineage*.c), checks it
 * against the warehouse's own columns, and stores edges, table rows and a search index in one
 * transaction, so readers see the old catalog or the new one. What staff type in — owners,
 * stewards, categories, descriptions, personal-data flags — lives in meta.dataset_table /
 * _column / _text and COMMENTs, which a rebuild never overwrites. A digest of the definitions
 * and the warehouse's tables says when a rebuild is due. Reading is aq-datasets-page.c.
 */
#define G_LOG_DOMAIN "aq-datasets"

#include "config.h"
#include <glib/gi18n.h>

#include <stdlib.h>
#include <string.h>

#include "aq-catalog.h"
#include "aq-datasets.h"
#include "aq-datasets-private.h"
#include "aq-error.h"

/* ---- auxiliary methods ---- */

gboolean
_aq_datasets_split_key (const char  *key,
                        char       **schema,
                        char       **table,
                        GError     **error)
{
  const char *dot = strchr (key, '.');

  if (dot == NULL || dot == key || dot[1] == '\0' || strchr (dot + 1, '.'))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("“%s”: name a table as schema.table (e.g. dw.fact_bill)"), key);
      return FALSE;
    }
  *schema = g_strndup (key, dot - key);
  *table = g_strdup (dot + 1);
  return TRUE;
}

/* ---- the warehouse's columns ---- */

typedef struct
{
  GHashTable *columns;   /* "schema.table" → GPtrArray of char* (in order) */
  GHashTable *kinds;     /* "schema.table" → relkind as a string */
  GPtrArray  *tables;    /* char* keys in order */
} Warehouse;

static void
warehouse_clear (Warehouse *w)
{
  g_clear_pointer (&w->columns, g_hash_table_unref);
  g_clear_pointer (&w->kinds, g_hash_table_unref);
  g_clear_pointer (&w->tables, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Warehouse, warehouse_clear)

static gboolean
warehouse_load (AqDb       *db,
                Warehouse  *w,
                GError    **error)
{
  g_autoptr(PGresult) result = NULL;

  result = aq_db_query (db,
                        "SELECT n.nspname || '.' || c.relname, c.relkind::text, a.attname "
                        "FROM pg_class c "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace "
                        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                        "  AND NOT a.attisdropped "
                        "WHERE (n.nspname IN ('ods', 'dw', 'dm') OR n.nspname LIKE 'src\\_%') "
                        "  AND c.relkind IN ('r', 'p', 'v', 'm') "
                        "ORDER BY 1, a.attnum", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  w->columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_ptr_array_unref);
  w->kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  w->tables = g_ptr_array_new ();
  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *key = PQgetvalue (result, i, 0);
      GPtrArray *names = g_hash_table_lookup (w->columns, key);

      if (names == NULL)
        {
          char *k = g_strdup (key);

          names = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (w->columns, k, names);
          g_hash_table_insert (w->kinds, g_strdup (key), g_strdup (PQgetvalue (result, i, 1)));
          g_ptr_array_add (w->tables, k);
        }
      g_ptr_array_add (names, g_strdup (PQgetvalue (result, i, 2)));
    }
  return TRUE;
}

static char **
names_to_strv (GPtrArray *names)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **strv;

  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));
  strv = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return strv;
}

/* AqLineageColumnsFunc over the loaded warehouse. A family (a table input's "tables") takes
 * the columns of its newest member, and is registered under its own name so the check below
 * knows its columns. */
static char **
warehouse_columns (const char *schema,
                   const char *table,
                   const char *pattern,
                   gpointer    user_data)
{
  Warehouse *w = user_data;
  g_autofree char *key = g_strconcat (schema, ".", table, NULL);
  GPtrArray *names = g_hash_table_lookup (w->columns, key);

  if (names == NULL && pattern != NULL)
    {
      g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
      const char *newest = NULL;

      for (guint i = 0; regex && i < w->tables->len; i++)
        {
          const char *candidate = g_ptr_array_index (w->tables, i);
          gsize n = strlen (schema);

          if (strncmp (candidate, schema, n) == 0 && candidate[n] == '.'
              && g_regex_match (regex, candidate + n + 1, 0, NULL)
              && g_strcmp0 (candidate, newest) > 0)
            newest = candidate;
        }
      if (newest == NULL)
        return NULL;
      names = g_hash_table_lookup (w->columns, newest);
      {
        GPtrArray *copy = g_ptr_array_new_with_free_func (g_free);

        for (guint i = 0; i < names->len; i++)
          g_ptr_array_add (copy, g_strdup (g_ptr_array_index (names, i)));
        g_hash_table_insert (w->kinds, g_strdup (key), g_strdup ("family"));
        g_hash_table_insert (w->columns, g_strdup (key), copy);
        names = copy;
      }
    }
  return names ? names_to_strv (names) : NULL;
}

/* Every warehouse column a definition names must exist; every column of a table a pipeline
 * writes must have a declared origin (or be declared computed). */
static void
check_against_warehouse (AqLineage *lineage,
                         Warehouse *w,
                         GPtrArray *problems)
{
  GPtrArray *edges = aq_lineage_get_edges (lineage);
  g_autoptr(GHashTable) checked = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < edges->len; i++)
    {
      AqLineageEdge *edge = g_ptr_array_index (edges, i);
      AqLineageNode *ends[] = { edge->from, edge->to };

      if (g_str_equal (edge->via_kind, "pipeline") && edge->to->table)
        g_hash_table_add (written, g_strdup (edge->to->table));
      for (guint j = 0; j < G_N_ELEMENTS (ends); j++)
        {
          AqLineageNode *node = ends[j];
          GPtrArray *names;
          gboolean found = FALSE;

          if (node->table == NULL || !g_hash_table_add (checked, node))
            continue;
          names = g_hash_table_lookup (w->columns, node->table);
          if (names == NULL)
            {
              g_ptr_array_add (problems, g_strdup_printf (_("%s: named by %s %s, but there is no "
                                                          "such table in the warehouse"),
                                                          node->id, edge->via_kind,
                                                          edge->via_name));
              continue;
            }
          if (node->kind != AQ_LINEAGE_NODE_COLUMN)
            continue;
          for (guint k = 0; k < names->len && !found; k++)
            found = g_str_equal (g_ptr_array_index (names, k), node->column);
          if (!found)
            g_ptr_array_add (problems, g_strdup_printf (_("%s: named by %s %s, but %s has no such "
                                                        "column"), node->id, edge->via_kind,
                                                        edge->via_name, node->table));
        }
    }

  for (guint i = 0; i < w->tables->len; i++)
    {
      const char *table = g_ptr_array_index (w->tables, i);
      GPtrArray *names = g_hash_table_lookup (w->columns, table);

      if (!g_hash_table_contains (written, table))
        continue;
      for (guint k = 0; k < names->len; k++)
        {
          g_autofree char *id = g_strconcat (table, ".", g_ptr_array_index (names, k), NULL);

          if (aq_lineage_lookup (lineage, id) == NULL)
            g_ptr_array_add (problems, g_strdup_printf (_("%s: no definition says where it comes "
                                                        "from"), id));
        }
    }
}

/* The masked views (data/sql/010_roles.sql): each stands for the one dw or dm table it reads,
 * column for column by name. Read from the view's rewrite rule (pg_depend), not from its name;
 * a view over several tables, or with a column its base lacks, is a problem, not a guess. */
static gboolean
add_masked_views (AqDb       *db,
                  AqLineage  *lineage,
                  Warehouse  *w,
                  GPtrArray  *problems,
                  GError    **error)
{
  g_autoptr(PGresult) result = NULL;

  result = aq_db_query (db,
                        "SELECT vn.nspname || '.' || v.relname, "
                        "       string_agg(DISTINCT bn.nspname || '.' || b.relname, ', '), "
                        "       count(DISTINCT b.oid), "
                        "       (SELECT string_agg(a.attname, ',' ORDER BY a.attnum) "
                        "        FROM pg_attribute a WHERE a.attrelid = v.oid AND a.attnum > 0 "
                        "          AND NOT a.attisdropped) "
                        "FROM pg_class v "
                        "JOIN pg_namespace vn ON vn.oid = v.relnamespace "
                        "JOIN pg_rewrite r ON r.ev_class = v.oid "
                        "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass "
                        "  AND d.objid = r.oid AND d.refclassid = 'pg_class'::regclass "
                        "  AND d.refobjid <> v.oid "
                        "JOIN pg_class b ON b.oid = d.refobjid "
                        "JOIN pg_namespace bn ON bn.oid = b.relnamespace "
                        "WHERE vn.nspname = 'masked' AND v.relkind = 'v' "
                        "GROUP BY 1, v.oid ORDER BY 1", 0, NULL, error);
  if (result == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (result); i++)
    {
      const char *view = PQgetvalue (result, i, 0);
      const char *base = PQgetvalue (result, i, 1);
      g_auto(GStrv) columns = g_strsplit (PQgetvalue (result, i, 3), ",", -1);
      GPtrArray *names = g_hash_table_lookup (w->columns, base);
      gboolean exact = TRUE;

      if (atoi (PQgetvalue (result, i, 2)) != 1 || names == NULL)
        {
          g_ptr_array_add (problems, g_strdup_printf (_("%s: a masked view must read exactly one "
                                                      "warehouse table, but it reads %s"),
                                                      view, base));
          continue;
        }
      for (guint k = 0; columns[k]; k++)
        {
          gboolean found = FALSE;

          for (guint j = 0; j < names->len && !found; j++)
            found = g_str_equal (g_ptr_array_index (names, j), columns[k]);
          if (!found)
            {
              g_ptr_array_add (problems, g_strdup_printf (_("%s.%s: a masked view's column that "
                                                          "its base %s does not have"), view,
                                                          columns[k], base));
              exact = FALSE;
            }
        }
      if (exact)
        aq_lineage_set_view_base (lineage, view, base);
    }
  return TRUE;
}

/* ---- what the catalog is built from ---- */

static GPtrArray *
standard_pipelines (GError **error)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(GPtrArray) pipelines = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; names[i]; i++)
    {
      AqPipeline *pipeline = aq_pipeline_new_standard (names[i], error);

      if (pipeline == NULL)
        return NULL;
      g_ptr_array_add (pipelines, pipeline);
    }
  return g_steal_pointer (&pipelines);
}

/* A digest of everything a build reads: the pipelines' steps, the indicators, the reports and
 * the warehouse's tables and columns. Equal digests, equal catalogs. */
static char *
fingerprint (AqDb       *db,
             GPtrArray  *pipelines,
             Warehouse  *w,
             GError    **error)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(PGresult) result = NULL;

  for (guint i = 0; i < pipelines->len; i++)
    {
      AqPipeline *pipeline = g_ptr_array_index (pipelines, i);

      g_checksum_update (sum, (const guchar *) aq_pipeline_get_name (pipeline), -1);
      for (guint j = 0; j < aq_pipeline_get_n_steps (pipeline); j++)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (),
                                                            aq_pipeline_step_get_definition (
                                                              aq_pipeline_get_step (pipeline, j)));
          g_autofree char *text = json_to_string (node, FALSE);

          g_checksum_update (sum, (const guchar *) text, -1);
        }
    }
  result = aq_db_query (db,
                        "SELECT (SELECT coalesce(md5(string_agg(id || definition, ',' "
                        "          ORDER BY id)), '') FROM meta.indicator) || "
                        "       (SELECT coalesce(md5(string_agg(name || ':' || version || ':' "
                        "          || definition::text, ',' ORDER BY name)), '') FROM meta.report) || "
                        /* the published APIs (their provider adds them; issue 13) */
                        "       (SELECT coalesce(md5(string_agg(name || ':' || "
                        "          coalesce(published_version, 0), ',' ORDER BY name)), '') "
                        "        FROM meta.api)",
                        0, NULL, error);
  if (result == NULL)
    return NULL;
  g_checksum_update (sum, (const guchar *) PQgetvalue (result, 0, 0), -1);
  for (guint i = 0; i < w->tables->len; i++)
    {
      const char *table = g_ptr_array_index (w->tables, i);
      GPtrArray *names = g_hash_table_lookup (w->columns, table);

      g_checksum_update (sum, (const guchar *) table, -1);
      for (guint k = 0; k < names->len; k++)
        g_checksum_update (sum, (const guchar *) g_ptr_array_index (names, k), -1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

/* ---- building ---- */

AqLineage *
aq_datasets_build_lineage (AqDb          *db,
                           GPtrArray     *pipelines,
                           GPtrArray     *problems,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(AqLineage) lineage = aq_lineage_new ();
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(PGresult) reports = NULL;
  g_autoptr(GPtrArray) standard = NULL;
  g_auto(Warehouse) w = { 0 };

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  if (!warehouse_load (db, &w, error))
    return NULL;
  if (!add_masked_views (db, lineage, &w, problems, error))
    return NULL;

  if (pipelines == NULL)
    {
      standard = standard_pipelines (error);
      if (standard == NULL)
        return NULL;
      pipelines = standard;
    }
  for (guint i = 0; i < pipelines->len; i++)
    aq_lineage_add_pipeline (lineage, g_ptr_array_index (pipelines, i), warehouse_columns, &w,
                             problems);

  catalog = aq_catalog_load (db, cancellable, error);
  if (catalog == NULL)
    return NULL;
  aq_lineage_add_catalog (lineage, catalog, problems);

  reports = aq_db_query (db, "SELECT name, definition::text FROM meta.report ORDER BY name",
                         0, NULL, error);
  if (reports == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (reports); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, PQgetvalue (reports, i, 1), -1, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        aq_lineage_add_report (lineage, PQgetvalue (reports, i, 0),
                               json_node_get_object (json_parser_get_root (parser)));
      else
        g_ptr_array_add (problems, g_strdup_printf (_("report %s: its definition is not a JSON "
                                                    "object"), PQgetvalue (reports, i, 0)));
    }

  aq_lineage_run_providers (lineage, db, problems);
  check_against_warehouse (lineage, &w, problems);
  return g_steal_pointer (&lineage);
}


static const char *
layer_of_schema (const char *schema)
{
  return g_str_has_prefix (schema, "src_") ? "src" : schema;
}

static gboolean
write_edges (AqDb       *db,
             AqLineage  *lineage,
             GError    **error)
{
  GPtrArray *edges = aq_lineage_get_edges (lineage);
  g_autoptr(GString) row = g_string_new (NULL);

  if (!aq_db_exec (db, "DELETE FROM meta.dataset_lineage", error)
      || !aq_db_copy_begin (db, "COPY meta.dataset_lineage (from_node, to_node, via_kind, "
                            "via_name, via_step) FROM STDIN", error))
    return FALSE;
  for (guint i = 0; i < edges->len; i++)
    {
      AqLineageEdge *edge = g_ptr_array_index (edges, i);

      g_string_truncate (row, 0);
      aq_copy_append_value (row, edge->from->id);
      g_string_append_c (row, '\t');
      aq_copy_append_value (row, edge->to->id);
      g_string_append_c (row, '\t');
      aq_copy_append_value (row, edge->via_kind);
      g_string_append_c (row, '\t');
      aq_copy_append_value (row, edge->via_name);
      g_string_append_c (row, '\t');
      aq_copy_append_value (row, edge->via_step);
      g_string_append_c (row, '\n');
      if (!aq_db_copy_put (db, row->str, row->len, error))
        return FALSE;
    }
  return aq_db_copy_end (db, error);
}

/* The tables of the warehouse in meta.dataset_table (new ones with their subject area), with
 * the pipeline that writes each and how many things read it. */
static gboolean
write_tables (AqDb       *db,
              AqLineage  *lineage,
              Warehouse  *w,
              GError    **error)
{
  g_autoptr(GHashTable) writer = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) readers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_hash_table_unref);
  GPtrArray *edges = aq_lineage_get_edges (lineage);

  for (guint i = 0; i < edges->len; i++)
    {
      AqLineageEdge *edge = g_ptr_array_index (edges, i);
      const char *reader = edge->to->table ? edge->to->table : edge->to->id;
      GHashTable *set;

      if (g_str_equal (edge->via_kind, "pipeline") && edge->to->table
          && !g_hash_table_contains (writer, edge->to->table))
        g_hash_table_insert (writer, g_strdup (edge->to->table), g_strdup (edge->via_name));
      if (edge->from->table == NULL || g_strcmp0 (edge->from->table, reader) == 0)
        continue;
      set = g_hash_table_lookup (readers, edge->from->table);
      if (set == NULL)
        {
          set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (readers, g_strdup (edge->from->table), set);
        }
      g_hash_table_add (set, g_strdup (reader));
    }

  for (guint i = 0; i < w->tables->len; i++)
    {
      const char *key = g_ptr_array_index (w->tables, i);
      g_autofree char *schema = NULL;
      g_autofree char *table = NULL;
      g_autofree char *count = NULL;
      const char *subject;
      GHashTable *set = g_hash_table_lookup (readers, key);
      const char *params[6];
      g_autoptr(PGresult) result = NULL;

      if (!_aq_datasets_split_key (key, &schema, &table, error))
        return FALSE;
      subject = aq_naming_subject_of (schema, table);
      count = g_strdup_printf ("%u", set ? g_hash_table_size (set) : 0);
      params[0] = schema;
      params[1] = table;
      params[2] = layer_of_schema (schema);
      params[3] = subject ? subject : "other";
      params[4] = g_hash_table_lookup (writer, key);
      params[5] = count;
      result = aq_db_query_prepared (db,
                                     "INSERT INTO meta.dataset_table (table_schema, table_name, "
                                     "  layer, subject_code, written_by, consumer_count) "
                                     "VALUES ($1, $2, $3, $4, $5, $6::int) "
                                     "ON CONFLICT (table_schema, table_name) DO UPDATE "
                                     "SET written_by = EXCLUDED.written_by, "
                                     "    consumer_count = EXCLUDED.consumer_count",
                                     6, params, error);
      if (result == NULL)
        return FALSE;
    }
  return TRUE;
}

static const char *search_sql[] = {
  "DELETE FROM meta.dataset_search",

  "INSERT INTO meta.dataset_search (kind, key, title, detail, layer, haystack, rank) "
  "SELECT 'table', k.key, k.key, "
  "       coalesce(obj_description(c.oid, 'pg_class'), en.description, ''), t.layer, "
  "       lower(concat_ws(' ', k.key, obj_description(c.oid, 'pg_class'), en.description, "
  "                       zh.description, s.name_en, s.name_zh, t.category, t.owner)), "
  "       t.use_count * 10 + t.consumer_count "
  "FROM meta.dataset_table t "
  "CROSS JOIN LATERAL (SELECT t.table_schema || '.' || t.table_name AS key) k "
  "JOIN meta.dataset_subject s USING (subject_code) "
  "JOIN pg_namespace n ON n.nspname = t.table_schema "
  "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name "
  "LEFT JOIN meta.dataset_text en ON en.object = k.key AND en.lang = 'en' "
  "LEFT JOIN meta.dataset_text zh ON zh.object = k.key AND zh.lang = 'zh_CN'",

  "INSERT INTO meta.dataset_search (kind, key, title, detail, layer, haystack, rank) "
  "SELECT 'column', k.key, k.key, "
  "       coalesce(col_description(c.oid, a.attnum), en.description, ''), t.layer, "
  "       lower(concat_ws(' ', k.key, col_description(c.oid, a.attnum), en.description, "
  "                       zh.description, g.name_en, g.name_zh)), "
  "       t.use_count + (SELECT count(*) FROM meta.dataset_lineage l WHERE l.from_node = k.key) "
  "FROM meta.dataset_table t "
  "JOIN pg_namespace n ON n.nspname = t.table_schema "
  "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name "
  "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
  "CROSS JOIN LATERAL (SELECT t.table_schema || '.' || t.table_name || '.' || a.attname AS key) k "
  "LEFT JOIN meta.dataset_column dc ON dc.table_schema = t.table_schema "
  "  AND dc.table_name = t.table_name AND dc.column_name = a.attname "
  "LEFT JOIN meta.glossary_term g ON g.term_code = dc.term_code "
  "LEFT JOIN meta.dataset_text en ON en.object = k.key AND en.lang = 'en' "
  "LEFT JOIN meta.dataset_text zh ON zh.object = k.key AND zh.lang = 'zh_CN'",

  "INSERT INTO meta.dataset_search (kind, key, title, detail, layer, haystack, rank) "
  "SELECT 'indicator', 'indicator:' || i.id, i.name_en || ' · ' || i.name_zh, i.category, "
  "       'indicator', lower(concat_ws(' ', i.id, i.name_en, i.name_zh, i.category)), "
  "       10 + 10 * (SELECT count(*) FROM meta.dataset_lineage l "
  "                  WHERE l.from_node = 'indicator:' || i.id) "
  "FROM meta.indicator i",

  "INSERT INTO meta.dataset_search (kind, key, title, detail, layer, haystack, rank) "
  "SELECT 'report', 'report:' || r.name, r.title, r.description, 'report', "
  "       lower(concat_ws(' ', r.name, r.title, r.description)), 20 "
  "FROM meta.report r",

  "INSERT INTO meta.dataset_search (kind, key, title, detail, layer, haystack, rank) "
  "SELECT DISTINCT 'api', l.to_node, substr(l.to_node, 5), '', 'api', lower(l.to_node), 5 "
  "FROM meta.dataset_lineage l WHERE l.via_kind = 'api' AND l.to_node LIKE 'api:%'",
};

gboolean
aq_datasets_rebuild (AqDb             *db,
                     GPtrArray        *pipelines,
                     AqDatasetsBuild  *out_build,
                     GCancellable     *cancellable,
                     GError          **error)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(AqLineage) lineage = NULL;
  g_autoptr(JsonNode) problems_json = NULL;
  g_autofree char *problems_text = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *n_edges = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autoptr(GPtrArray) standard = NULL;
  g_autofree char *digest = NULL;
  g_auto(Warehouse) w = { 0 };
  const char *params[4];
  gulong handler;
  gboolean ok = FALSE;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  handler = aq_db_watch_cancellable (db, cancellable);
  if (pipelines == NULL)
    {
      standard = standard_pipelines (error);
      if (standard == NULL)
        goto out;
      pipelines = standard;
    }
  lineage = aq_datasets_build_lineage (db, pipelines, problems, cancellable, error);
  if (lineage == NULL || !warehouse_load (db, &w, error))
    goto out;
  digest = fingerprint (db, pipelines, &w, error);
  if (digest == NULL)
    goto out;

  {
    JsonArray *array = json_array_new ();

    for (guint i = 0; i < problems->len; i++)
      json_array_add_string_element (array, g_ptr_array_index (problems, i));
    problems_json = json_node_init_array (json_node_alloc (), array);
    json_array_unref (array);
    problems_text = json_to_string (problems_json, FALSE);
  }

  if (!aq_db_begin (db, error))
    goto out;
  if (!write_edges (db, lineage, error) || !write_tables (db, lineage, &w, error))
    {
      aq_db_rollback (db);
      goto out;
    }
  for (guint i = 0; i < G_N_ELEMENTS (search_sql); i++)
    if (!aq_db_exec (db, search_sql[i], error))
      {
        aq_db_rollback (db);
        goto out;
      }
  duration = g_strdup_printf ("%.1f", (g_get_monotonic_time () - start) / 1000.0);
  n_edges = g_strdup_printf ("%u", aq_lineage_get_edges (lineage)->len);
  params[0] = duration;
  params[1] = n_edges;
  params[2] = problems_text;
  params[3] = digest;
  result = aq_db_query (db,
                        "INSERT INTO meta.dataset_build (id, fingerprint, built_at, duration_ms, "
                        "  edges, problems) "
                        "VALUES (1, $4, now(), $1::float8, $2::int, $3::jsonb) "
                        "ON CONFLICT (id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
                        "  built_at = EXCLUDED.built_at, duration_ms = EXCLUDED.duration_ms, "
                        "  edges = EXCLUDED.edges, problems = EXCLUDED.problems",
                        4, params, error);
  if (result == NULL || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      goto out;
    }
  if (out_build != NULL)
    {
      out_build->tables = w.tables->len;
      out_build->columns = 0;
      for (guint i = 0; i < w.tables->len; i++)
        out_build->columns += ((GPtrArray *) g_hash_table_lookup (w.columns,
                                                                  g_ptr_array_index (w.tables,
                                                                                     i)))->len;
      out_build->edges = aq_lineage_get_edges (lineage)->len;
      out_build->problems = problems->len;
      out_build->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
    }
  ok = TRUE;

out:
  aq_db_unwatch_cancellable (db, cancellable, handler);
  return ok;
}

gboolean
aq_datasets_ensure_built (AqDb          *db,
                          gboolean      *out_rebuilt,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) pipelines = NULL;
  g_autoptr(PGresult) stored = NULL;
  g_autofree char *digest = NULL;
  g_auto(Warehouse) w = { 0 };

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (out_rebuilt)
    *out_rebuilt = FALSE;
  pipelines = standard_pipelines (error);
  if (pipelines == NULL || !warehouse_load (db, &w, error))
    return FALSE;
  digest = fingerprint (db, pipelines, &w, error);
  if (digest == NULL)
    return FALSE;
  stored = aq_db_query (db, "SELECT fingerprint FROM meta.dataset_build", 0, NULL, error);
  if (stored == NULL)
    return FALSE;
  if (PQntuples (stored) == 1 && g_str_equal (PQgetvalue (stored, 0, 0), digest))
    return TRUE;
  if (out_rebuilt)
    *out_rebuilt = TRUE;
  return aq_datasets_rebuild (db, pipelines, NULL, cancellable, error);
}

/* ---- reading ---- */

AqLineage *
aq_datasets_load_lineage (AqDb          *db,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  AqLineage *lineage;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  handler = aq_db_watch_cancellable (db, cancellable);
  result = aq_db_query (db, "SELECT from_node, to_node, via_kind, via_name, via_step "
                        "FROM meta.dataset_lineage", 0, NULL, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (result == NULL)
    return NULL;
  lineage = aq_lineage_new ();
  for (int i = 0; i < PQntuples (result); i++)
    aq_lineage_add_edge (lineage, PQgetvalue (result, i, 0), PQgetvalue (result, i, 1),
                         PQgetvalue (result, i, 2), PQgetvalue (result, i, 3),
                         PQgetvalue (result, i, 4));
  return lineage;
}

GPtrArray *
aq_datasets_load_problems (AqDb    *db,
                           GError **error)
{
  g_autoptr(PGresult) result = NULL;
  GPtrArray *problems;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  result = aq_db_query (db, "SELECT jsonb_array_elements_text(problems) FROM meta.dataset_build",
                        0, NULL, error);
  if (result == NULL)
    return NULL;
  problems = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (result); i++)
    g_ptr_array_add (problems, g_strdup (PQgetvalue (result, i, 0)));
  return problems;
}


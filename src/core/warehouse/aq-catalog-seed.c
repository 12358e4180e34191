/* aq-catalog-seed.c — writing the shipped catalog and standard reports into meta.*
 *
 * Runs after every migrate (aq_warehouse_prepare()): an update-else-insert per row in one
 * transaction, so running it twice changes nothing and a newer Aqueduct brings its newer definitions. Rows a warehouse
 * added itself (standard = false) are never touched; a user report that happens to carry a
 * standard report's name keeps it.
 */
#define G_LOG_DOMAIN "aq-catalog"

#include "config.h"
#include <glib/gi18n.h>

#include "aq-catalog-seed.h"

#include "aq-catalog-private.h"

#include <string.h>

#include "aq-error.h"
#include "aq-report-private.h"

#define REPORTS_RESOURCE_DIR "/org/aqueduct/Aqueduct/reports/"

JsonArray *_aq_catalog_builtin_array (const char *name, GError **error);

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

/* UPDATE, and INSERT when no row was updated; @n parameters shared by both. */
static gboolean
upsert (AqDb               *db,
        const char         *update_sql,
        const char         *insert_sql,
        int                 n,
        const char * const *params,
        GError            **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, update_sql, n, params, error);
  g_autoptr(PGresult) ins = NULL;

  if (res == NULL)
    return FALSE;
  if (strcmp (PQcmdTuples (res), "0") != 0)
    return TRUE;
  ins = aq_db_query (db, insert_sql, n, params, error);
  return ins != NULL;
}

static gboolean
seed_catalog (AqDb       *db,
              AqCatalog  *catalog,
              GError    **error)
{
  g_autoptr(JsonArray) dims = _aq_catalog_builtin_array ("dimensions.json", error);
  g_autoptr(JsonArray) sources = dims ? _aq_catalog_builtin_array ("sources.json", error) : NULL;
  g_autoptr(JsonArray) inds = sources ? _aq_catalog_builtin_array ("indicators.json", error) : NULL;

  if (inds == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (dims); i++)
    {
      JsonNode *node = json_array_get_element (dims, i);
      JsonObject *o = json_node_get_object (node);
      g_autofree char *def = to_text (node);
      g_autofree char *pos = g_strdup_printf ("%u", i);
      const char *params[] = {
        json_object_get_string_member (o, "id"), json_object_get_string_member (o, "name_zh"),
        json_object_get_string_member (o, "name_en"),
        json_object_get_string_member (o, "category"), json_object_get_string_member (o, "kind"),
        pos, def,
      };
      if (!upsert (db,
                   "UPDATE meta.dimension SET name_zh = $2, name_en = $3, category = $4,"
                   " kind = $5, position = $6::integer, definition = $7"
                   " WHERE id = $1 AND standard",
                   "INSERT INTO meta.dimension (id, name_zh, name_en, category, kind, position,"
                   " standard, definition) VALUES ($1, $2, $3, $4, $5, $6::integer, true, $7)",
                   G_N_ELEMENTS (params), params, error))
        return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (sources); i++)
    {
      JsonNode *node = json_array_get_element (sources, i);
      g_autofree char *def = to_text (node);
      const char *params[] = { json_object_get_string_member (json_node_get_object (node), "id"),
                               def };
      if (!upsert (db,
                   "UPDATE meta.catalog_source SET definition = $2 WHERE id = $1 AND standard",
                   "INSERT INTO meta.catalog_source (id, standard, definition)"
                   " VALUES ($1, true, $2)",
                   G_N_ELEMENTS (params), params, error))
        return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (inds); i++)
    {
      JsonNode *node = json_array_get_element (inds, i);
      JsonObject *o = json_node_get_object (node);
      const char *id = json_object_get_string_member (o, "id");
      AqIndicator *ind = aq_catalog_lookup_indicator (catalog, id);
      g_autofree char *def = to_text (node);
      g_autofree char *pos = g_strdup_printf ("%u", i);
      const char *params[] = {
        id, aq_indicator_get_name_zh (ind), aq_indicator_get_name_en (ind),
        aq_indicator_get_category (ind), aq_indicator_get_source (ind),
        aq_aggregation_to_string (aq_indicator_get_aggregation (ind)),
        aq_indicator_get_unit (ind), aq_indicator_get_number_format (ind), pos, def,
      };
      const char * const *cut = aq_indicator_get_dimensions (ind);
      g_autoptr(PGresult) del = NULL;

      if (!upsert (db,
                   "UPDATE meta.indicator SET name_zh = $2, name_en = $3, category = $4,"
                   " source_id = $5, aggregation = $6, unit = $7, format = $8,"
                   " position = $9::integer, definition = $10 WHERE id = $1 AND standard",
                   "INSERT INTO meta.indicator (id, name_zh, name_en, category, source_id,"
                   " aggregation, unit, format, position, standard, definition)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::integer, true, $10)",
                   G_N_ELEMENTS (params), params, error))
        return FALSE;
      del = aq_db_query (db, "DELETE FROM meta.indicator_dimension WHERE indicator_id = $1", 1,
                         &id, error);
      if (del == NULL)
        return FALSE;
      for (guint d = 0; cut[d]; d++)
        {
          const char *link[] = { id, cut[d] };
          g_autoptr(PGresult) ins =
            aq_db_query (db, "INSERT INTO meta.indicator_dimension (indicator_id, dimension_id)"
                             " VALUES ($1, $2)", 2, link, error);
          if (ins == NULL)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
seed_reports (AqDb       *db,
              AqCatalog  *catalog,
              GError    **error)
{
  g_auto(GStrv) names = g_resources_enumerate_children (REPORTS_RESOURCE_DIR,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

  for (guint i = 0; names && names[i]; i++)
    {
      g_autofree char *path = g_strconcat (REPORTS_RESOURCE_DIR, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
      g_autoptr(AqReportSpec) spec = NULL;
      g_autofree char *def = NULL;
      g_autofree char *version = NULL;
      const char *params[6];

      if (bytes == NULL)
        return FALSE;
      spec = aq_report_spec_new_from_data (g_bytes_get_data (bytes, NULL),
                                           g_bytes_get_size (bytes), error);
      if (spec == NULL || !aq_report_spec_validate (spec, catalog, error))
        {
          g_prefix_error (error, _("standard report %s: "), names[i]);
          return FALSE;
        }
      _aq_report_spec_set_standard (spec, TRUE);
      if (*aq_report_spec_get_author (spec) == '\0')
        aq_report_spec_set_author (spec, "aqueduct");
      def = aq_report_spec_to_data (spec, NULL);
      version = g_strdup_printf ("%d", MAX (aq_report_spec_get_version (spec), 1));
      params[0] = aq_report_spec_get_name (spec);
      params[1] = aq_report_spec_get_title (spec);
      params[2] = aq_report_spec_get_description (spec);
      params[3] = aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST ? "list" : "pivot";
      params[4] = def;
      params[5] = version;
      {
        g_autoptr(PGresult) res =
          aq_db_query (db, "UPDATE meta.report SET title = $2, description = $3, kind = $4,"
                           " definition = $5::jsonb, version = $6::integer, updated_at = now()"
                           " WHERE name = $1 AND standard AND definition <> $5::jsonb",
                       6, params, error);
        g_autoptr(PGresult) ins = NULL;

        if (res == NULL)
          return FALSE;
        ins = aq_db_query (db, "INSERT INTO meta.report (name, title, description, kind,"
                               " definition, author, version, standard)"
                               " SELECT $1, $2, $3, $4, $5::jsonb, 'aqueduct', $6::integer, true"
                               " WHERE NOT EXISTS (SELECT 1 FROM meta.report WHERE name = $1)",
                           6, params, error);
        if (ins == NULL)
          return FALSE;
      }
    }
  return TRUE;
}

gboolean
aq_catalog_seed (AqDb    *db,
                 GError **error)
{
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(PGresult) exists = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  exists = aq_db_query (db, "SELECT to_regclass('meta.report') IS NOT NULL", 0, NULL, error);
  if (exists == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return TRUE;   /* migration 005 not applied (yet) */
  catalog = aq_catalog_new_builtin (error);
  if (catalog == NULL)
    return FALSE;
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!seed_catalog (db, catalog, error) || !seed_reports (db, catalog, error)
      || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      g_prefix_error (error, _("Seeding the report catalog failed, nothing was changed: "));
      return FALSE;
    }
  return TRUE;
}

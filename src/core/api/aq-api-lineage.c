/* aq-api-lineage.c — every published API as a consumer in the data catalog's lineage
 *
 * The catalog (src/core/datasets) sits below the API market, so it cannot read the APIs
 * itself: it offers a provider hook, and this file registers one. The columns an API reads are
 * not guessed from its SQL text: its template (every optional clause on, each parameter a typed
 * NULL) is made a temporary view inside a savepoint that is rolled back, and PostgreSQL's own
 * dependency records (pg_depend, the ones that refuse to drop a column a view reads) say which
 * relations and columns it names. Views it reads (masked.*) stay views; the lineage maps them
 * onto their base tables. A relation read only as a whole (count(*)) becomes a table edge.
 */

#define G_LOG_DOMAIN "aq-api-lineage"

#include "config.h"

#include "aq-api-lineage.h"

#include <glib/gi18n-lib.h>

#include "aq-api.h"
#include "aq-json-reader.h"
#include "aq-lineage.h"

#define PROBE_VIEW "aq_api_lineage_probe"

static gboolean
begin_probe (AqDb      *db,
             gboolean  *savepoint,
             GError   **error)
{
  *savepoint = PQtransactionStatus (aq_db_get_conn (db)) == PQTRANS_INTRANS;
  return aq_db_exec (db, *savepoint ? "SAVEPOINT aq_api_lineage" : "BEGIN", error);
}

static void
end_probe (AqDb     *db,
           gboolean  savepoint)
{
  g_autoptr(GError) error = NULL;

  if (!aq_db_exec (db, savepoint ? "ROLLBACK TO SAVEPOINT aq_api_lineage; "
                                   "RELEASE SAVEPOINT aq_api_lineage" : "ROLLBACK", &error))
    g_warning ("could not end the lineage probe: %s", error->message);
}

/* The node ids @api reads (a GPtrArray of char*), from the probe view's dependencies. */
static GPtrArray *
api_reads (AqDb         *db,
           const AqApi  *api,
           GError      **error)
{
  g_autofree char *probe = aq_api_probe_sql (api);
  g_autofree char *create = NULL;
  g_autoptr(PGresult) deps = NULL;
  g_autoptr(GPtrArray) reads = g_ptr_array_new_with_free_func (g_free);
  gboolean savepoint;

  if (probe == NULL)
    return g_steal_pointer (&reads);
  create = g_strconcat ("CREATE TEMP VIEW " PROBE_VIEW " AS ", probe, NULL);
  if (!begin_probe (db, &savepoint, error))
    return NULL;
  if (!aq_db_exec (db, create, error))
    {
      end_probe (db, savepoint);
      return NULL;
    }
  /* per relation its columns, or "" when it is read only as a whole */
  deps = aq_db_query (db,
                      "SELECT n.nspname, c.relname, coalesce(string_agg(DISTINCT a.attname, ' ' "
                      "  ORDER BY a.attname) FILTER (WHERE d.refobjsubid > 0), '') "
                      "FROM pg_rewrite r "
                      "JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid "
                      " AND d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class "
                      "JOIN pg_class c ON c.oid = d.refobjid "
                      "JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "LEFT JOIN pg_attribute a ON a.attrelid = c.oid "
                      " AND a.attnum = d.refobjsubid "
                      "WHERE r.ev_class = 'pg_temp." PROBE_VIEW "'::regclass "
                      "GROUP BY n.nspname, c.relname ORDER BY 1, 2",
                      0, NULL, error);
  end_probe (db, savepoint);
  if (deps == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (deps); i++)
    {
      const char *schema = PQgetvalue (deps, i, 0);
      const char *table = PQgetvalue (deps, i, 1);
      g_auto(GStrv) columns = g_strsplit (PQgetvalue (deps, i, 2), " ", -1);
      gboolean any = FALSE;

      for (guint k = 0; columns[k]; k++)
        if (*columns[k] != '\0')
          {
            g_ptr_array_add (reads, g_strdup_printf ("%s.%s.%s", schema, table, columns[k]));
            any = TRUE;
          }
      if (!any)
        g_ptr_array_add (reads, g_strdup_printf ("%s.%s", schema, table));
    }
  return g_steal_pointer (&reads);
}

GPtrArray *
aq_api_lineage_reads (AqDb         *db,
                      const AqApi  *api,
                      GError      **error)
{
  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (api != NULL, NULL);

  return api_reads (db, api, error);
}

static void
provide (AqLineage *lineage,
         gpointer   db,
         GPtrArray *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) apis = NULL;

  apis = aq_db_query (db,
                      "SELECT a.name, a.category, a.title, a.description, a.kind, a.audience, "
                      "       v.version, v.definition::text "
                      "FROM meta.api a JOIN meta.api_version v ON v.api = a.name "
                      " AND v.version = a.published_version ORDER BY a.name",
                      0, NULL, &error);
  if (apis == NULL)
    {
      g_ptr_array_add (problems, g_strdup_printf (_("APIs: cannot be read: %s"),
                                                  error->message));
      return;
    }
  for (int i = 0; i < PQntuples (apis); i++)
    {
      const char *name = PQgetvalue (apis, i, 0);
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(AqApi) api = NULL;
      g_autoptr(GPtrArray) reads = NULL;

      g_clear_error (&error);
      root = aq_json_read (PQgetvalue (apis, i, 7), -1, AQ_JSON_LIMIT_NONE, &error);
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
        api = aq_api_new (name, PQgetvalue (apis, i, 1), PQgetvalue (apis, i, 2),
                          PQgetvalue (apis, i, 3), PQgetvalue (apis, i, 4),
                          PQgetvalue (apis, i, 5), atoi (PQgetvalue (apis, i, 6)),
                          json_node_get_object (root), &error);
      if (api != NULL && g_str_equal (api->kind, "sql"))
        reads = api_reads (db, api, &error);
      else if (api != NULL)
        reads = g_ptr_array_new_with_free_func (g_free);   /* forwarded: reads no table */
      if (reads == NULL)
        {
          g_ptr_array_add (problems,
                           g_strdup_printf (_("API %s: what it reads cannot be known: %s"),
                                            name, error ? error->message : ""));
          continue;
        }
      g_ptr_array_add (reads, NULL);
      aq_lineage_add_consumer (lineage, "api", name, (const char * const *) reads->pdata);
    }
}

void
aq_api_lineage_register (void)
{
  aq_lineage_register_provider (provide);
}

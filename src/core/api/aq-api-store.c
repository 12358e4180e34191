/* aq-api-store.c — the API market's tables (019_api.sql): what is published, who may call it
 *
 * The daemon reads everything it answers with in one read-only snapshot (the catalog) and
 * then never asks the warehouse before a call is signed, granted and within its quota. It
 * watches meta.api_state.generation, which triggers move on every change, to reload.
 * Publishing, apps and grant decisions write meta.audit_log in the same transaction as the
 * change, so a decision is never without its record. Calls are written in batches: one COPY
 * into a temporary table, then one INSERT into meta.api_call and one fold into the
 * per-minute rollup, never an INSERT per call.
 */
#define G_LOG_DOMAIN "aq-api"

#include "config.h"

#include "aq-api-store.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-audit.h"
#include "aq-clock.h"
#include "aq-error.h"
#include "aq-json-reader.h"

/* ---- auxiliary methods ---- */

void
aq_api_app_free (AqApiApp *app)
{
  if (app == NULL)
    return;
  g_free (app->app_key);
  g_free (app->name);
  if (app->secret)
    memset (app->secret, 0, strlen (app->secret));
  g_free (app->secret);
  g_free (app->description);
  g_free (app);
}

void
aq_api_grant_free (AqApiGrant *grant)
{
  if (grant == NULL)
    return;
  g_free (grant->app_key);
  g_free (grant->api);
  g_free (grant->status);
  g_free (grant->reason);
  g_free (grant->decided_by);
  g_free (grant);
}

void
aq_api_call_record_free (AqApiCallRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->app_key);
  g_free (record->api);
  g_free (record);
}

static char *
value_or_null (PGresult *res,
               int       row,
               int       col)
{
  return PQgetisnull (res, row, col) ? NULL : g_strdup (PQgetvalue (res, row, col));
}

static JsonObject *
parse_object (const char  *text,
              GError     **error)
{
  g_autoptr(JsonNode) node = aq_json_read (text, -1, AQ_JSON_LIMIT_DEFINITION, error);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("an API definition is a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
query_json (AqDb               *db,
            const char         *sql,
            int                 n_params,
            const char * const *params,
            GError            **error)
{
  g_autofree char *text = aq_db_query_string (db, sql, n_params, params, error);

  if (text == NULL)
    {
      if (error && *error == NULL)
        return json_node_new (JSON_NODE_NULL);
      return NULL;
    }
  return aq_json_read (text, -1, AQ_JSON_LIMIT_NONE, error);
}

/* The standard APIs' titles and descriptions are the utility's data, written in Chinese with
 * the English kept beside them (title_en, description_en; migration 029, the catalog's
 * pattern): a person reads the one of their language. */
static gboolean
user_reads_english (void)
{
  const char *const *languages = g_get_language_names ();

  return !(languages[0] && g_str_has_prefix (languages[0], "zh"));
}

static const char *
in_user_language (PGresult *res,
                  int       row,
                  int       column,
                  int       column_en)
{
  if (user_reads_english () && !PQgetisnull (res, row, column_en))
    return PQgetvalue (res, row, column_en);
  return PQgetvalue (res, row, column);
}

static AqApi *
api_from_row (PGresult  *res,
              int        row,
              GError   **error)
{
  g_autoptr(JsonObject) definition = parse_object (PQgetvalue (res, row, 7), error);

  if (definition == NULL)
    return NULL;
  return aq_api_new (PQgetvalue (res, row, 0), PQgetvalue (res, row, 1),
                     in_user_language (res, row, 2, 8), in_user_language (res, row, 3, 9),
                     PQgetvalue (res, row, 4), PQgetvalue (res, row, 5),
                     atoi (PQgetvalue (res, row, 6)), definition, error);
}

/* ---- the catalog ---- */

static char *
grant_key (const char *app_key,
           const char *api)
{
  return g_strconcat (app_key, "\n", api, NULL);
}

AqApiCatalog *
aq_api_catalog_ref (AqApiCatalog *catalog)
{
  g_atomic_ref_count_inc (&catalog->ref_count);
  return catalog;
}

void
aq_api_catalog_unref (AqApiCatalog *catalog)
{
  if (catalog == NULL || !g_atomic_ref_count_dec (&catalog->ref_count))
    return;
  g_hash_table_unref (catalog->apis);
  g_hash_table_unref (catalog->apps);
  g_hash_table_unref (catalog->grants);
  g_free (catalog);
}

const AqApiGrant *
aq_api_catalog_grant (AqApiCatalog *catalog,
                      const char   *app_key,
                      const char   *api)
{
  g_autofree char *key = grant_key (app_key, api);

  return g_hash_table_lookup (catalog->grants, key);
}

#define API_COLUMNS \
  "a.name, a.category, a.title, a.description, a.kind, a.audience, v.version, v.definition::text," \
  " a.title_en, a.description_en"

AqApiCatalog *
aq_api_catalog_load (AqDb    *db,
                     GError **error)
{
  g_autoptr(AqApiCatalog) catalog = g_new0 (AqApiCatalog, 1);
  g_autoptr(PGresult) apis = NULL;
  g_autoptr(PGresult) apps = NULL;
  g_autoptr(PGresult) grants = NULL;

  g_atomic_ref_count_init (&catalog->ref_count);
  catalog->apis = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) aq_api_unref);
  catalog->apps = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) aq_api_app_free);
  catalog->grants = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) aq_api_grant_free);

  /* one snapshot: the generation read is the one the rows belong to */
  if (!aq_db_exec (db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return NULL;
  if (!aq_db_query_int64 (db, "SELECT generation FROM meta.api_state", 0, NULL,
                          &catalog->generation, error)
      || (apis = aq_db_query (db, "SELECT " API_COLUMNS " FROM meta.api a"
                              " JOIN meta.api_version v ON v.api = a.name"
                              "  AND v.version = a.published_version", 0, NULL, error)) == NULL
      || (apps = aq_db_query (db, "SELECT app_key, name, secret, description, enabled"
                              " FROM meta.api_app", 0, NULL, error)) == NULL
      || (grants = aq_db_query (db, "SELECT app_key, api, status, reason, per_second, per_day,"
                                " coalesce((extract(epoch FROM expires_at) * 1000000)::bigint, 0),"
                                " decided_by FROM meta.api_grant", 0, NULL, error)) == NULL)
    {
      aq_db_rollback (db);
      return NULL;
    }
  aq_db_rollback (db);

  for (int i = 0; i < PQntuples (apis); i++)
    {
      g_autoptr(GError) local_error = NULL;
      AqApi *api = api_from_row (apis, i, &local_error);

      /* one broken definition must not take the others down */
      if (api == NULL)
        {
          g_warning ("API %s is not served: %s", PQgetvalue (apis, i, 0), local_error->message);
          continue;
        }
      g_hash_table_insert (catalog->apis, g_strdup (api->name), api);
    }
  for (int i = 0; i < PQntuples (apps); i++)
    {
      AqApiApp *app = g_new0 (AqApiApp, 1);

      app->app_key = g_strdup (PQgetvalue (apps, i, 0));
      app->name = g_strdup (PQgetvalue (apps, i, 1));
      app->secret = g_strdup (PQgetvalue (apps, i, 2));
      app->description = g_strdup (PQgetvalue (apps, i, 3));
      app->enabled = g_str_equal (PQgetvalue (apps, i, 4), "t");
      g_hash_table_insert (catalog->apps, g_strdup (app->app_key), app);
    }
  for (int i = 0; i < PQntuples (grants); i++)
    {
      AqApiGrant *grant = g_new0 (AqApiGrant, 1);

      grant->app_key = g_strdup (PQgetvalue (grants, i, 0));
      grant->api = g_strdup (PQgetvalue (grants, i, 1));
      grant->status = g_strdup (PQgetvalue (grants, i, 2));
      grant->reason = g_strdup (PQgetvalue (grants, i, 3));
      grant->per_second = atoi (PQgetvalue (grants, i, 4));
      grant->per_day = atoi (PQgetvalue (grants, i, 5));
      grant->expires_at = g_ascii_strtoll (PQgetvalue (grants, i, 6), NULL, 10);
      grant->decided_by = value_or_null (grants, i, 7);
      g_hash_table_insert (catalog->grants, grant_key (grant->app_key, grant->api), grant);
    }
  return g_steal_pointer (&catalog);
}

gboolean
aq_api_generation (AqDb    *db,
                   gint64  *out_generation,
                   GError **error)
{
  return aq_db_query_int64 (db, "SELECT generation FROM meta.api_state", 0, NULL,
                            out_generation, error);
}

/* ---- APIs and versions ---- */

JsonNode *
aq_api_list (AqDb    *db,
             GError **error)
{
  const char *english = user_reads_english () ? "t" : "f";

  return query_json (db,
    "SELECT coalesce(json_agg(json_build_object('name', a.name, 'category', a.category,"
    " 'title', CASE WHEN $1::boolean THEN coalesce(a.title_en, a.title) ELSE a.title END,"
    " 'description', CASE WHEN $1::boolean THEN coalesce(a.description_en, a.description)"
    "                ELSE a.description END, 'kind', a.kind, 'audience', a.audience,"
    " 'owner', a.owner, 'published_version', a.published_version,"
    " 'latest_version', (SELECT max(v.version) FROM meta.api_version v WHERE v.api = a.name),"
    " 'updated_at', a.updated_at) ORDER BY a.category, a.name), '[]')::text FROM meta.api a",
    1, &english, error);
}

AqApi *
aq_api_load (AqDb        *db,
             const char  *name,
             int          version,
             GError     **error)
{
  g_autofree char *version_text = g_strdup_printf ("%d", version);
  const char *params[] = { name, version_text };
  g_autoptr(PGresult) res = aq_db_query (db,
    "SELECT " API_COLUMNS " FROM meta.api a JOIN meta.api_version v ON v.api = a.name"
    " WHERE a.name = $1 AND v.version = CASE WHEN $2::int > 0 THEN $2::int"
    "  ELSE coalesce(a.published_version,"
    "                (SELECT max(w.version) FROM meta.api_version w WHERE w.api = a.name)) END",
    2, params, error);

  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   version > 0 ? _("API “%s” has no version %d") : _("There is no API “%s”"), name,
                   version);
      return NULL;
    }
  return api_from_row (res, 0, error);
}

JsonNode *
aq_api_versions (AqDb        *db,
                 const char  *name,
                 GError     **error)
{
  const char *params[] = { name };

  return query_json (db,
    "SELECT coalesce(json_agg(json_build_object('version', v.version, 'note', v.note,"
    " 'created_by', v.created_by, 'created_at', v.created_at,"
    " 'published', v.version = a.published_version, 'definition', v.definition)"
    " ORDER BY v.version), '[]')::text"
    " FROM meta.api_version v JOIN meta.api a ON a.name = v.api WHERE v.api = $1",
    1, params, error);
}

static gboolean
audit (AqDb        *db,
       const char  *action,
       const char  *object,
       JsonObject  *detail,
       GError     **error)
{
  g_autoptr(JsonObject) owned = detail ? detail : json_object_new ();

  return aq_audit_write (db, NULL, action, object, owned, error);
}

int
aq_api_publish (AqDb        *db,
                const char  *name,
                const char  *category,
                const char  *title,
                const char  *description,
                const char  *kind,
                JsonObject  *definition,
                const char  *note,
                GError     **error)
{
  g_autoptr(AqApi) api = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  g_autofree char *version_text = NULL;
  JsonObject *detail;
  gint64 version = 0;

  g_return_val_if_fail (name != NULL && definition != NULL, 0);

  api = aq_api_new (name, category, title, description, kind, "external", 1, definition,
                    error);
  if (api == NULL)
    return 0;
  json_node_set_object (node, definition);
  text = json_to_string (node, FALSE);

  if (!aq_db_begin (db, error))
    return 0;
  {
    const char *params[] = { name, category ? category : "other", title ? title : name,
                             description ? description : "", kind ? kind : "sql" };
    g_autoptr(PGresult) res = aq_db_query (db,
      "INSERT INTO meta.api (name, category, title, description, kind) VALUES ($1, $2, $3, $4, $5)"
      " ON CONFLICT (name) DO UPDATE SET category = EXCLUDED.category, title = EXCLUDED.title,"
      "  description = EXCLUDED.description, kind = EXCLUDED.kind, updated_at = now(),"
      /* a new title or description is written in one language: the kept English goes */
      "  title_en = CASE WHEN meta.api.title = EXCLUDED.title THEN meta.api.title_en END,"
      "  description_en = CASE WHEN meta.api.description = EXCLUDED.description"
      "                   THEN meta.api.description_en END",
      5, params, error);

    if (res == NULL)
      goto fail;
  }
  if (api->template)
    {
      /* the template must run as the API runs: as aq_api, read-only */
      g_autoptr(PGresult) res = NULL;

      if (!aq_db_exec (db, "SAVEPOINT api_check; SET LOCAL ROLE aq_api", error))
        goto fail;
      res = aq_api_check_run (db, api, error);
      if (res == NULL)
        {
          g_prefix_error (error, "API “%s”: the template does not run as aq_api: ", name);
          goto fail;
        }
      if (!aq_db_exec (db, "ROLLBACK TO SAVEPOINT api_check", error))
        goto fail;
    }
  {
    const char *params[] = { name, text, note };

    if (!aq_db_query_int64 (db,
          "INSERT INTO meta.api_version (api, version, definition, note)"
          " SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3 FROM meta.api_version"
          " WHERE api = $1 RETURNING version", 3, params, &version, error))
      goto fail;
  }
  version_text = g_strdup_printf ("%" G_GINT64_FORMAT, version);
  {
    const char *params[] = { name, version_text };
    g_autoptr(PGresult) res = aq_db_query (db,
      "UPDATE meta.api SET published_version = $2::int, updated_at = now() WHERE name = $1",
      2, params, error);

    if (res == NULL)
      goto fail;
  }
  detail = json_object_new ();
  json_object_set_int_member (detail, "version", version);
  if (note)
    json_object_set_string_member (detail, "note", note);
  if (!audit (db, "api.publish", name, detail, error) || !aq_db_commit (db, error))
    goto fail;
  return (int) version;

fail:
  aq_db_rollback (db);
  return 0;
}

gboolean
aq_api_rollback (AqDb        *db,
                 const char  *name,
                 int          version,
                 GError     **error)
{
  g_autofree char *version_text = g_strdup_printf ("%d", version);
  const char *params[] = { name, version_text };
  g_autoptr(PGresult) res = NULL;
  JsonObject *detail;

  if (!aq_db_begin (db, error))
    return FALSE;
  res = aq_db_query (db,
    "UPDATE meta.api a SET published_version = $2::int, updated_at = now()"
    " WHERE a.name = $1 AND EXISTS (SELECT 1 FROM meta.api_version v"
    "  WHERE v.api = $1 AND v.version = $2::int)", 2, params, error);
  if (res == NULL)
    goto fail;
  if (g_strcmp0 (PQcmdTuples (res), "1") != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("API “%s” has no version %d"), name,
                   version);
      goto fail;
    }
  detail = json_object_new ();
  json_object_set_int_member (detail, "version", version);
  if (!audit (db, "api.rollback", name, detail, error) || !aq_db_commit (db, error))
    goto fail;
  return TRUE;

fail:
  aq_db_rollback (db);
  return FALSE;
}

/* ---- apps ---- */

JsonNode *
aq_api_app_to_json (const AqApiApp *app)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "app_key", app->app_key);
  json_object_set_string_member (object, "name", app->name);
  json_object_set_string_member (object, "description", app->description);
  json_object_set_boolean_member (object, "enabled", app->enabled);
  if (app->secret)
    json_object_set_string_member (object, "secret", app->secret);
  json_node_take_object (node, object);
  return node;
}

AqApiApp *
aq_api_app_add (AqDb        *db,
                const char  *name,
                const char  *description,
                GError     **error)
{
  g_autoptr(AqApiApp) app = g_new0 (AqApiApp, 1);
  g_autofree char *key = aq_api_random_token (8);
  const char *params[4];
  g_autoptr(PGresult) res = NULL;
  JsonObject *detail;

  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  app->app_key = g_strconcat ("ak", key, NULL);
  app->name = g_strdup (name);
  app->secret = aq_api_random_token (32);
  app->description = g_strdup (description ? description : "");
  app->enabled = TRUE;
  params[0] = app->app_key;
  params[1] = app->name;
  params[2] = app->secret;
  params[3] = app->description;
  if (!aq_db_begin (db, error))
    return NULL;
  res = aq_db_query (db, "INSERT INTO meta.api_app (app_key, name, secret, description)"
                     " VALUES ($1, $2, $3, $4)", 4, params, error);
  detail = json_object_new ();
  json_object_set_string_member (detail, "app_key", app->app_key);
  if (res == NULL || !audit (db, "api.app.add", name, detail, error)
      || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return NULL;
    }
  return g_steal_pointer (&app);
}

GPtrArray *
aq_api_app_list (AqDb    *db,
                 GError **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, "SELECT app_key, name, description, enabled"
                                         " FROM meta.api_app ORDER BY name", 0, NULL, error);
  GPtrArray *apps;

  if (res == NULL)
    return NULL;
  apps = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_app_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqApiApp *app = g_new0 (AqApiApp, 1);

      app->app_key = g_strdup (PQgetvalue (res, i, 0));
      app->name = g_strdup (PQgetvalue (res, i, 1));
      app->description = g_strdup (PQgetvalue (res, i, 2));
      app->enabled = g_str_equal (PQgetvalue (res, i, 3), "t");
      g_ptr_array_add (apps, app);
    }
  return apps;
}

AqApiApp *
aq_api_app_find (AqDb        *db,
                 const char  *name_or_key,
                 GError     **error)
{
  const char *params[] = { name_or_key };
  g_autoptr(PGresult) res = aq_db_query (db, "SELECT app_key, name, description, enabled"
                                         " FROM meta.api_app WHERE app_key = $1 OR name = $1",
                                         1, params, error);
  AqApiApp *app;

  if (res == NULL)
    return NULL;
  if (PQntuples (res) != 1)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no app “%s”"), name_or_key);
      return NULL;
    }
  app = g_new0 (AqApiApp, 1);
  app->app_key = g_strdup (PQgetvalue (res, 0, 0));
  app->name = g_strdup (PQgetvalue (res, 0, 1));
  app->description = g_strdup (PQgetvalue (res, 0, 2));
  app->enabled = g_str_equal (PQgetvalue (res, 0, 3), "t");
  return app;
}

/* ---- grants ---- */

JsonNode *
aq_api_grant_to_json (const AqApiGrant *grant)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "app_key", grant->app_key);
  json_object_set_string_member (object, "api", grant->api);
  json_object_set_string_member (object, "status", grant->status);
  json_object_set_string_member (object, "reason", grant->reason);
  json_object_set_int_member (object, "per_second", grant->per_second);
  json_object_set_int_member (object, "per_day", grant->per_day);
  if (grant->expires_at > 0)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (grant->expires_at
                                                               / G_USEC_PER_SEC);
      g_autofree char *text = g_date_time_format_iso8601 (dt);

      json_object_set_string_member (object, "expires_at", text);
    }
  else
    json_object_set_null_member (object, "expires_at");
  if (grant->decided_by)
    json_object_set_string_member (object, "decided_by", grant->decided_by);
  json_node_take_object (node, object);
  return node;
}

static gboolean
check_api_exists (AqDb        *db,
                  const char  *api,
                  GError     **error)
{
  gint64 n = 0;
  const char *params[] = { api };

  if (!aq_db_query_int64 (db, "SELECT count(*) FROM meta.api WHERE name = $1", 1, params, &n,
                          error))
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no API “%s”"), api);
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_grant (AqDb        *db,
             const char  *app,
             const char  *api,
             const char  *status,
             guint        per_second,
             guint        per_day,
             gint64       expires_at,
             const char  *reason,
             GError     **error)
{
  g_autoptr(AqApiApp) found = aq_api_app_find (db, app, error);
  g_autofree char *ps = g_strdup_printf ("%u", per_second ? per_second : 20);
  g_autofree char *pd = g_strdup_printf ("%u", per_day ? per_day : 10000);
  g_autofree char *exp = expires_at > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, expires_at)
                                        : NULL;
  gboolean decision = !g_str_equal (status, "requested");
  const char *params[7];
  g_autoptr(PGresult) res = NULL;
  JsonObject *detail;
  g_autofree char *action = g_strconcat ("api.grant.", status, NULL);
  g_autofree char *object = NULL;

  if (found == NULL || !check_api_exists (db, api, error))
    return FALSE;
  params[0] = found->app_key;
  params[1] = api;
  params[2] = status;
  params[3] = reason ? reason : "";
  params[4] = ps;
  params[5] = pd;
  params[6] = exp;
  if (!aq_db_begin (db, error))
    return FALSE;
  res = aq_db_query (db, decision
    ? "INSERT INTO meta.api_grant AS g (app_key, api, status, reason, per_second, per_day,"
      "  expires_at, decided_by, decided_at)"
      " VALUES ($1, $2, $3, $4, $5::int, $6::int, to_timestamp($7::double precision / 1e6),"
      "  session_user, now())"
      " ON CONFLICT (app_key, api) DO UPDATE SET status = EXCLUDED.status,"
      "  reason = CASE WHEN EXCLUDED.reason = '' THEN g.reason ELSE EXCLUDED.reason END,"
      "  per_second = CASE WHEN EXCLUDED.status = 'approved' THEN EXCLUDED.per_second"
      "   ELSE g.per_second END,"
      "  per_day = CASE WHEN EXCLUDED.status = 'approved' THEN EXCLUDED.per_day"
      "   ELSE g.per_day END,"
      "  expires_at = CASE WHEN EXCLUDED.status = 'approved' THEN EXCLUDED.expires_at"
      "   ELSE g.expires_at END,"
      "  decided_by = session_user, decided_at = now()"
    : "INSERT INTO meta.api_grant AS g (app_key, api, status, reason, per_second, per_day,"
      "  expires_at)"
      " VALUES ($1, $2, $3, $4, $5::int, $6::int, to_timestamp($7::double precision / 1e6))"
      " ON CONFLICT (app_key, api) DO UPDATE SET status = EXCLUDED.status,"
      "  reason = EXCLUDED.reason, requested_at = now(), decided_by = NULL, decided_at = NULL",
    7, params, error);
  detail = json_object_new ();
  json_object_set_string_member (detail, "app", found->name);
  json_object_set_string_member (detail, "api", api);
  if (reason)
    json_object_set_string_member (detail, "reason", reason);
  if (g_str_equal (status, "approved"))
    {
      json_object_set_int_member (detail, "per_second", per_second);
      json_object_set_int_member (detail, "per_day", per_day);
      if (exp)
        json_object_set_string_member (detail, "expires_at_us", exp);
    }
  object = g_strconcat (found->app_key, "/", api, NULL);
  if (res == NULL || !audit (db, action, object, detail, error) || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_api_grant_request (AqDb        *db,
                      const char  *app,
                      const char  *api,
                      const char  *reason,
                      GError     **error)
{
  if (reason == NULL || *reason == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("An application for an API says why the app needs it"));
      return FALSE;
    }
  return write_grant (db, app, api, "requested", 0, 0, 0, reason, error);
}

gboolean
aq_api_grant_decide (AqDb        *db,
                     const char  *app,
                     const char  *api,
                     const char  *status,
                     guint        per_second,
                     guint        per_day,
                     gint64       expires_at,
                     const char  *reason,
                     GError     **error)
{
  g_return_val_if_fail (g_strcmp0 (status, "approved") == 0 || g_strcmp0 (status, "refused") == 0
                        || g_strcmp0 (status, "revoked") == 0, FALSE);
  return write_grant (db, app, api, status, per_second, per_day, expires_at, reason, error);
}

GPtrArray *
aq_api_grant_list (AqDb        *db,
                   const char  *app,
                   GError     **error)
{
  const char *params[] = { app };
  g_autoptr(PGresult) res = aq_db_query (db,
    "SELECT g.app_key, g.api, g.status, g.reason, g.per_second, g.per_day,"
    " coalesce((extract(epoch FROM g.expires_at) * 1000000)::bigint, 0), g.decided_by"
    " FROM meta.api_grant g JOIN meta.api_app a ON a.app_key = g.app_key"
    " WHERE $1::text IS NULL OR a.app_key = $1 OR a.name = $1 ORDER BY a.name, g.api",
    1, params, error);
  GPtrArray *grants;

  if (res == NULL)
    return NULL;
  grants = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_grant_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqApiGrant *grant = g_new0 (AqApiGrant, 1);

      grant->app_key = g_strdup (PQgetvalue (res, i, 0));
      grant->api = g_strdup (PQgetvalue (res, i, 1));
      grant->status = g_strdup (PQgetvalue (res, i, 2));
      grant->reason = g_strdup (PQgetvalue (res, i, 3));
      grant->per_second = atoi (PQgetvalue (res, i, 4));
      grant->per_day = atoi (PQgetvalue (res, i, 5));
      grant->expires_at = g_ascii_strtoll (PQgetvalue (res, i, 6), NULL, 10);
      grant->decided_by = value_or_null (res, i, 7);
      g_ptr_array_add (grants, grant);
    }
  return grants;
}

/* ---- the call log ---- */

gboolean
aq_api_log_write (AqDb       *db,
                  GPtrArray  *records,
                  GError    **error)
{
  g_autoptr(GString) rows = g_string_new (NULL);

  g_autoptr(GString) rollup = g_string_new (
    "INSERT INTO meta.api_call_minute AS m"
    " SELECT minute, api, app_key, count(*), count(*) FILTER (WHERE code <> 0),"
    "  sum(latency_us), ARRAY[");

  if (records->len == 0)
    return TRUE;
  /* the latency histogram: one count a bucket of meta.api_latency_bounds() */
  for (guint b = 0; b < 13; b++)
    g_string_append_printf (rollup, "%scount(*) FILTER (WHERE bucket = %u)::integer",
                            b ? ", " : "", b);
  g_string_append (rollup,
    "] FROM (SELECT date_trunc('minute', at) AS minute, api, app_key, code, latency_us,"
    "         width_bucket(latency_us / 1000.0, meta.api_latency_bounds()::numeric[]) AS bucket"
    "        FROM pg_temp.api_call_batch) c"
    " GROUP BY minute, api, app_key"
    " ON CONFLICT (minute, api, app_key) DO UPDATE"
    "  SET calls = m.calls + EXCLUDED.calls, errors = m.errors + EXCLUDED.errors,"
    "      latency_sum_us = m.latency_sum_us + EXCLUDED.latency_sum_us,"
    "      buckets = meta.api_add_buckets(m.buckets, EXCLUDED.buckets)");
  for (guint i = 0; i < records->len; i++)
    {
      AqApiCallRecord *r = g_ptr_array_index (records, i);
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (r->at / G_USEC_PER_SEC);
      g_autofree char *at = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");

      g_string_append_printf (rows, "%s.%06d+00\t", at, (int) (r->at % G_USEC_PER_SEC));
      aq_copy_append_value (rows, r->app_key ? r->app_key : "");
      g_string_append_c (rows, '\t');
      aq_copy_append_value (rows, r->api ? r->api : "");
      g_string_append_printf (rows, "\t%u\t%d\t%u\t%u\n", r->http, r->code, r->latency_us,
                              r->rows);
    }
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!aq_db_exec (db, "CREATE TEMPORARY TABLE IF NOT EXISTS api_call_batch"
                   " (LIKE meta.api_call) ON COMMIT DELETE ROWS", error)
      || !aq_db_copy_begin (db, "COPY pg_temp.api_call_batch (at, app_key, api, http, code,"
                            " latency_us, rows) FROM STDIN", error)
      || !aq_db_copy_put (db, rows->str, rows->len, error)
      || !aq_db_copy_end (db, error)
      || !aq_db_exec (db, "INSERT INTO meta.api_call SELECT * FROM pg_temp.api_call_batch",
                      error)
      || !aq_db_exec (db, rollup->str, error)
      || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

JsonNode *
aq_api_stats (AqDb    *db,
              gint64   since,
              GError **error)
{
  g_autofree char *since_text = g_strdup_printf ("%" G_GINT64_FORMAT, since);
  const char *params[] = { since_text };

  return query_json (db,
    "SELECT coalesce(json_agg(s ORDER BY s.calls DESC, s.api, s.app), '[]')::text FROM ("
    " SELECT c.api, c.app_key, coalesce(a.name, '') AS app, count(*) AS calls,"
    "  count(*) FILTER (WHERE c.code <> 0) AS errors,"
    "  round(avg(c.latency_us) / 1000.0, 3) AS avg_ms,"
    "  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY c.latency_us) / 1000.0)::numeric, 3)"
    "   AS p50_ms,"
    "  round((percentile_cont(0.95) WITHIN GROUP (ORDER BY c.latency_us) / 1000.0)::numeric, 3)"
    "   AS p95_ms,"
    "  round((percentile_cont(0.99) WITHIN GROUP (ORDER BY c.latency_us) / 1000.0)::numeric, 3)"
    "   AS p99_ms,"
    "  (SELECT json_object_agg(e.code, e.n) FROM (SELECT d.code, count(*) AS n"
    "    FROM meta.api_call d WHERE d.api = c.api AND d.app_key = c.app_key AND d.code <> 0"
    "     AND d.at >= to_timestamp($1::double precision / 1e6) GROUP BY d.code) e)"
    "   AS errors_by_code"
    " FROM meta.api_call c LEFT JOIN meta.api_app a ON a.app_key = c.app_key"
    " WHERE c.at >= to_timestamp($1::double precision / 1e6)"
    " GROUP BY c.api, c.app_key, a.name) s", 1, params, error);
}

/* ---- OpenAPI ---- */

static void
add_schema_for (JsonBuilder      *b,
                const AqApiParam *param)
{
  json_builder_begin_object (b);
  switch (param->type)
    {
    case AQ_API_PARAM_INTEGER:
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "integer");
      break;
    case AQ_API_PARAM_NUMERIC:
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "string");
      json_builder_set_member_name (b, "pattern");
      json_builder_add_string_value (b, "^-?[0-9]{1,15}(\\.[0-9]{1,6})?$");
      break;
    case AQ_API_PARAM_DATE:
    case AQ_API_PARAM_TIMESTAMP:
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "string");
      json_builder_set_member_name (b, "format");
      json_builder_add_string_value (b, param->type == AQ_API_PARAM_DATE ? "date" : "date-time");
      break;
    case AQ_API_PARAM_MONTH:
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "string");
      json_builder_set_member_name (b, "pattern");
      json_builder_add_string_value (b, "^[0-9]{4}-[0-9]{2}$");
      break;
    case AQ_API_PARAM_LIST:
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "array");
      json_builder_set_member_name (b, "maxItems");
      json_builder_add_int_value (b, param->max_items);
      json_builder_set_member_name (b, "items");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "string");
      if (param->values)
        {
          json_builder_set_member_name (b, "enum");
          json_builder_begin_array (b);
          for (guint i = 0; param->values[i]; i++)
            json_builder_add_string_value (b, param->values[i]);
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
      break;
    case AQ_API_PARAM_TEXT:
    case AQ_API_PARAM_ENUMERATION:
    default:
      json_builder_set_member_name (b, "type");
      json_builder_add_string_value (b, "string");
      if (param->values)
        {
          json_builder_set_member_name (b, "enum");
          json_builder_begin_array (b);
          for (guint i = 0; param->values[i]; i++)
            json_builder_add_string_value (b, param->values[i]);
          json_builder_end_array (b);
        }
      else
        {
          json_builder_set_member_name (b, "maxLength");
          json_builder_add_int_value (b, param->max_length);
        }
      break;
    }
  json_builder_end_object (b);
}

static void
add_query_param (JsonBuilder *b,
                 const char  *name,
                 const char  *description,
                 const char  *type)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "in");
  json_builder_add_string_value (b, "query");
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, description);
  json_builder_set_member_name (b, "schema");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, type);
  json_builder_end_object (b);
  json_builder_end_object (b);
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

JsonNode *
aq_api_openapi (AqDb        *db,
                const char  *app,
                GError     **error)
{
  g_autoptr(AqApiCatalog) catalog = aq_api_catalog_load (db, error);
  g_autoptr(AqApiApp) found = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  if (catalog == NULL)
    return NULL;
  if (app && (found = aq_api_app_find (db, app, error)) == NULL)
    return NULL;
  g_hash_table_iter_init (&iter, catalog->apis);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const AqApiGrant *grant = found ? aq_api_catalog_grant (catalog, found->app_key, key)
                                      : NULL;

      if (found == NULL || (grant && g_str_equal (grant->status, "approved")))
        g_ptr_array_add (names, key);
    }
  g_ptr_array_sort (names, compare_names);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "openapi");
  json_builder_add_string_value (b, "3.1.0");
  json_builder_set_member_name (b, "info");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, found ? found->name : "Aqueduct data APIs");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, AQ_VERSION);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b,
    "Sign every request: X-Aq-Key, X-Aq-Timestamp (unix seconds), X-Aq-Nonce (unique), "
    "X-Aq-Signature = hex HMAC-SHA256(secret, METHOD\\nPATH\\nQUERY\\nhex(SHA-256(body))"
    "\\nTIMESTAMP\\nNONCE). Answers are {code, message, data, page}; page.next is the cursor "
    "of the next page.");
  json_builder_end_object (b);
  json_builder_set_member_name (b, "components");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "securitySchemes");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "aqSignature");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "apiKey");
  json_builder_set_member_name (b, "in");
  json_builder_add_string_value (b, "header");
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "X-Aq-Signature");
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "security");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "aqSignature");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "paths");
  json_builder_begin_object (b);
  for (guint i = 0; i < names->len; i++)
    {
      AqApi *api = g_hash_table_lookup (catalog->apis, g_ptr_array_index (names, i));
      g_autofree char *path = g_strconcat ("/api/v1/", api->name, NULL);

      json_builder_set_member_name (b, path);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "get");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "operationId");
      json_builder_add_string_value (b, api->name);
      json_builder_set_member_name (b, "summary");
      json_builder_add_string_value (b, api->title);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, api->description);
      json_builder_set_member_name (b, "tags");
      json_builder_begin_array (b);
      json_builder_add_string_value (b, api->category);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "parameters");
      json_builder_begin_array (b);
      for (guint j = 0; j < api->params->len; j++)
        {
          AqApiParam *param = g_ptr_array_index (api->params, j);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, param->name);
          json_builder_set_member_name (b, "in");
          json_builder_add_string_value (b, "query");
          json_builder_set_member_name (b, "required");
          json_builder_add_boolean_value (b, param->required);
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, param->description ? param->description : "");
          if (param->type == AQ_API_PARAM_LIST)
            {
              json_builder_set_member_name (b, "style");
              json_builder_add_string_value (b, "form");
              json_builder_set_member_name (b, "explode");
              json_builder_add_boolean_value (b, FALSE);
            }
          json_builder_set_member_name (b, "schema");
          add_schema_for (b, param);
          json_builder_end_object (b);
        }
      if (api->template)
        {
          add_query_param (b, "page_size", "Rows a page (default 20, at most the API's limit)",
                           "integer");
          add_query_param (b, "cursor", "The previous page's page.next", "string");
          add_query_param (b, "count", "true: also the total number of rows", "boolean");
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "x-aq-version");
      json_builder_add_int_value (b, api->version);
      json_builder_set_member_name (b, "responses");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "200");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, "{code: 0, message, data: [rows], page: {rows, next}}");
      json_builder_end_object (b);
      json_builder_set_member_name (b, "default");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, "{code, message}: 400xx parameters, 401xx signature, "
                                     "403xx grant, 404xx unknown API, 429xx quota, 5xxxx "
                                     "warehouse or backend");
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

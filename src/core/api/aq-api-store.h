/* aq-api-store.h — the API market's tables: APIs and versions, apps, grants, calls */
#pragma once

#include "aq-api.h"

G_BEGIN_DECLS

typedef struct
{
  char     *app_key;
  char     *name;
  char     *secret;        /* NULL when the reader may not see it */
  char     *description;
  gboolean  enabled;
} AqApiApp;

typedef struct
{
  char   *app_key;
  char   *api;
  char   *status;          /* requested, approved, refused, revoked */
  char   *reason;
  guint   per_second;
  guint   per_day;
  gint64  expires_at;      /* unix µs; 0: never */
  char   *decided_by;
} AqApiGrant;

/* Everything the daemon needs to answer, read at once (immutable, shared by threads). */
typedef struct
{
  gatomicrefcount  ref_count;
  gint64           generation;
  GHashTable      *apis;     /* name → AqApi, published only */
  GHashTable      *apps;     /* app_key → AqApiApp */
  GHashTable      *grants;   /* "app_key\napi" → AqApiGrant */
} AqApiCatalog;

/* One call, as the daemon logs it. */
typedef struct
{
  gint64  at;              /* unix µs */
  char   *app_key;
  char   *api;
  guint   http;
  int     code;
  guint   latency_us;
  guint   rows;
} AqApiCallRecord;

void          aq_api_app_free        (AqApiApp        *app);
void          aq_api_grant_free      (AqApiGrant      *grant);
void          aq_api_call_record_free (AqApiCallRecord *record);

AqApiCatalog *aq_api_catalog_load    (AqDb            *db,
                                      GError         **error);
AqApiCatalog *aq_api_catalog_ref     (AqApiCatalog    *catalog);
void          aq_api_catalog_unref   (AqApiCatalog    *catalog);
const AqApiGrant *aq_api_catalog_grant (AqApiCatalog  *catalog,
                                        const char    *app_key,
                                        const char    *api);
gboolean      aq_api_generation      (AqDb            *db,
                                      gint64          *out_generation,
                                      GError         **error);

/* The market: every API with its published and latest version (JSON array). */
JsonNode     *aq_api_list            (AqDb            *db,
                                      GError         **error);
/* One API: its row, the definition of @version (0: the published one, else the latest). */
AqApi        *aq_api_load            (AqDb            *db,
                                      const char      *name,
                                      int              version,
                                      GError         **error);
JsonNode     *aq_api_versions        (AqDb            *db,
                                      const char      *name,
                                      GError         **error);
/* Checks @definition (it must compile), writes the next version and publishes it; returns
 * the version. The API row is created or its title, category and description updated.
 * Audited as api.publish. */
int           aq_api_publish         (AqDb            *db,
                                      const char      *name,
                                      const char      *category,
                                      const char      *title,
                                      const char      *description,
                                      const char      *kind,
                                      JsonObject      *definition,
                                      const char      *note,
                                      GError         **error);
/* Points the API at an earlier version (api.rollback). */
gboolean      aq_api_rollback        (AqDb            *db,
                                      const char      *name,
                                      int              version,
                                      GError         **error);

/* Apps: a new app gets a random AppKey and secret (shown once). Audited. */
AqApiApp     *aq_api_app_add         (AqDb            *db,
                                      const char      *name,
                                      const char      *description,
                                      GError         **error);
GPtrArray    *aq_api_app_list        (AqDb            *db,
                                      GError         **error);
/* An app by its name or key. */
AqApiApp     *aq_api_app_find        (AqDb            *db,
                                      const char      *name_or_key,
                                      GError         **error);

/* An app applies for an API with a reason (status requested). */
gboolean      aq_api_grant_request   (AqDb            *db,
                                      const char      *app,
                                      const char      *api,
                                      const char      *reason,
                                      GError         **error);
/* An owner approves (creating the grant when there was no application), with limits and an
 * expiry (0: none); refuses; or revokes. Each decision is audited (api.grant.STATUS). */
gboolean      aq_api_grant_decide    (AqDb            *db,
                                      const char      *app,
                                      const char      *api,
                                      const char      *status,
                                      guint            per_second,
                                      guint            per_day,
                                      gint64           expires_at,
                                      const char      *reason,
                                      GError         **error);
GPtrArray    *aq_api_grant_list      (AqDb            *db,
                                      const char      *app,
                                      GError         **error);

/* Writes a batch of calls with one COPY and folds them into the minutes. */
gboolean      aq_api_log_write       (AqDb            *db,
                                      GPtrArray       *records,
                                      GError         **error);
/* Per API and app since @since (unix µs): calls, errors, p50/p95/p99 latency (ms), errors by
 * code (JSON array). */
JsonNode     *aq_api_stats           (AqDb            *db,
                                      gint64           since,
                                      GError         **error);

/* OpenAPI 3.1 of the published APIs (only those @app_key holds an approved grant for, when
 * given). */
JsonNode     *aq_api_openapi         (AqDb            *db,
                                      const char      *app,
                                      GError         **error);

JsonNode     *aq_api_app_to_json     (const AqApiApp  *app);
JsonNode     *aq_api_grant_to_json   (const AqApiGrant *grant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiCatalog, aq_api_catalog_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiApp, aq_api_app_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiGrant, aq_api_grant_free)

G_END_DECLS

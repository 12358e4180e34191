/* aq-api-draft.h — an API being defined: its parameters found in the SQL, its definition
 * made from the author's choices, whether the login may publish (the panel's wizard) */
#pragma once

#include "aq-api.h"

G_BEGIN_DECLS

/* A parameter the SQL template names (:name), in the order it first appears. */
typedef struct
{
  char     *name;
  gboolean  optional;   /* every use sits inside a [[ … ]] clause */
} AqApiSqlParam;

void        aq_api_sql_param_free   (AqApiSqlParam *param);

/* The :name placeholders of @sql, read as the template parser reads them (quotes, comments
 * and :: casts skipped); the paging's own names (page_size, cursor, count) are left out.
 * Never fails: an unterminated quote ends the scan. */
GPtrArray  *aq_api_sql_params       (const char    *sql);

/* One parameter as the author set it. @default_text and @values_text are what was typed:
 * the default is kept as typed (an integer default as a number), the values split at commas. */
typedef struct
{
  const char     *name;
  AqApiParamType  type;
  gboolean        required;
  const char     *default_text;   /* NULL or "": none */
  const char     *values_text;    /* enumeration and list: "a, b, c" */
  const char     *description;
} AqApiDraftParam;

/* The definition JSON (as meta.api_version.definition holds it) for @sql with @params,
 * paged by @page_key of @page_key_type (NULL: "text"), at most @max_page_size rows a page.
 * Not checked: aq_api_new() does that. */
JsonObject *aq_api_draft_definition (const char            *sql,
                                     const AqApiDraftParam *params,
                                     guint                  n_params,
                                     const char            *page_key,
                                     const char            *page_key_type,
                                     guint                  max_page_size);

/* The definition of a forwarded API (kind "forward"): the business system's @url called with
 * @method (NULL: GET) and a timeout of @timeout_ms (0: 3,000), passed the declared @params
 * only; its JSON answer passed through, or its XML answer mapped by @xml_map ({records,
 * fields}, see aq-api-xml.h; NULL: the answer is JSON). Not checked: aq_api_new() does that
 * (the URL, the mapping). */
JsonObject *aq_api_forward_definition (const char            *url,
                                       const char            *method,
                                       guint                  timeout_ms,
                                       const AqApiDraftParam *params,
                                       guint                  n_params,
                                       JsonObject            *xml_map);

/* Whether the current login may publish APIs (a supervisor or a data engineer: the roles
 * meta.api's INSERT is granted to), asked of the warehouse. */
gboolean    aq_api_may_publish      (AqDb          *db,
                                     GError       **error);

/* The columns an API answers (its response fields), in order: the template with every
 * clause on and typed NULL parameters, run as aq_api with no rows in a read-only
 * transaction that is rolled back. NULL with @error when it does not run (a forwarded API:
 * an empty vector). */
GStrv       aq_api_response_fields  (AqDb          *db,
                                     const AqApi   *api,
                                     GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiSqlParam, aq_api_sql_param_free)

G_END_DECLS

/* aq-api.h — data APIs: definitions, bound parameters, keyset pages, signatures (issue 13) */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-api-xml.h"

G_BEGIN_DECLS

/* The answer's "code": 0 is success; the others say what the caller should change. The
 * hundreds are the HTTP status the daemon answers with. */
typedef enum
{
  AQ_API_OK = 0,
  AQ_API_BAD_PARAM = 40001,        /* a parameter is missing, of the wrong type or too long */
  AQ_API_BAD_PAGE = 40002,         /* page_size over the API's limit, or a bad cursor */
  AQ_API_UNSIGNED = 40101,         /* no AppKey, timestamp, nonce or signature */
  AQ_API_BAD_SIGNATURE = 40102,    /* the signature does not match the app's secret */
  AQ_API_STALE = 40103,            /* the timestamp is too far from the daemon's clock */
  AQ_API_REPLAYED = 40104,         /* the nonce was seen already */
  AQ_API_UNKNOWN_APP = 40105,      /* no such AppKey, or the app is disabled */
  AQ_API_NOT_GRANTED = 40301,      /* the app holds no approved grant for this API */
  AQ_API_GRANT_EXPIRED = 40302,    /* the grant has expired: apply again */
  AQ_API_UNKNOWN = 40401,          /* no published API of that name */
  AQ_API_TOO_LARGE = 41301,        /* the body is over the limit */
  AQ_API_URI_TOO_LONG = 41401,     /* the query string is over the limit */
  AQ_API_RATE_LIMITED = 42901,     /* over the grant's calls per second: retry in a moment */
  AQ_API_DAILY_QUOTA = 42902,      /* over the grant's calls per day: retry tomorrow */
  AQ_API_WAREHOUSE = 50001,        /* the warehouse failed the query */
  AQ_API_UNAVAILABLE = 50301,      /* the warehouse (or the backend) cannot be reached now */
  AQ_API_BACKEND = 50201,          /* a forwarded backend answered badly */
  AQ_API_BACKEND_OPEN = 50302,     /* the backend's circuit breaker is open */
  AQ_API_BACKEND_TIMEOUT = 50401,  /* the forwarded backend did not answer in time */
} AqApiCode;

#define AQ_API_ERROR (aq_api_error_quark ())
GQuark aq_api_error_quark (void);

/* The HTTP status for a code. */
guint aq_api_code_status (AqApiCode code);

typedef enum
{
  AQ_API_PARAM_TEXT,
  AQ_API_PARAM_INTEGER,
  AQ_API_PARAM_NUMERIC,
  AQ_API_PARAM_DATE,
  AQ_API_PARAM_MONTH,
  AQ_API_PARAM_TIMESTAMP,
  AQ_API_PARAM_ENUMERATION,
  AQ_API_PARAM_LIST,
} AqApiParamType;

const char *aq_api_param_type_to_string (AqApiParamType type);

typedef struct
{
  char           *name;
  AqApiParamType  type;
  gboolean        required;
  char           *description;
  GStrv           values;       /* enumeration and list: the values allowed (or NULL) */
  guint           max_length;   /* text and list items */
  guint           max_items;    /* list */
  GRegex         *pattern;      /* text: must match */
  gboolean        has_min, has_max;
  gint64          min, max;     /* integer */
  JsonNode       *default_value;
} AqApiParam;

typedef struct _AqApiTemplate AqApiTemplate;

/* A published (or draft) API, read from meta.api + meta.api_version. Immutable once made, so
 * the daemon's threads share it. */
typedef struct
{
  gatomicrefcount  ref_count;
  char            *name;
  char            *category;
  char            *title;
  char            *description;
  char            *kind;          /* "sql" or "forward" */
  char            *audience;      /* "external" or "internal" */
  int              version;
  JsonObject      *definition;
  GPtrArray       *params;        /* AqApiParam */
  char            *page_key;
  AqApiParamType   page_key_type;
  gboolean         page_desc;
  guint            max_page_size;
  AqApiTemplate   *template;
  /* forward */
  char            *forward_url;
  char            *forward_method;
  guint            timeout_ms;
  AqApiXmlMap     *xml_map;       /* the backend answers XML: mapped to JSON by this */
} AqApi;

#define AQ_API_DEFAULT_PAGE_SIZE 20
#define AQ_API_MAX_PAGE_SIZE     1000

AqApi      *aq_api_new         (const char  *name,
                                const char  *category,
                                const char  *title,
                                const char  *description,
                                const char  *kind,
                                const char  *audience,
                                int          version,
                                JsonObject  *definition,
                                GError     **error);
AqApi      *aq_api_ref         (AqApi       *api);
void        aq_api_unref       (AqApi       *api);
const AqApiParam *aq_api_find_param (const AqApi *api,
                                     const char  *name);

/* One call bound: the statement (parameters as $n, never spliced) and its values. */
typedef struct
{
  char      *sql;
  char      *count_sql;   /* when the total was asked for */
  GPtrArray *values;      /* char*, NULL for SQL NULL */
  guint      n_inner_values;  /* the template's own (the count's), before cursor and limit */
  guint      page_size;
} AqApiBound;

void        aq_api_bound_free  (AqApiBound  *bound);

/* Validates @input (name → string, number or array of strings; "page_size", "cursor" and
 * "count" are the paging's own) against @api's parameters and binds them. Errors are
 * AQ_API_ERROR with the code to answer. */
AqApiBound *aq_api_bind        (const AqApi *api,
                                JsonObject  *input,
                                GError     **error);

/* Runs the template with every clause on and no rows, as the session's role: whether it
 * would run at all (names, types, privileges). */
PGresult   *aq_api_check_run   (AqDb        *db,
                                const AqApi *api,
                                GError     **error);

/* The template with every clause on and each parameter a typed NULL: a statement with no
 * parameters that names every relation and column the API can read (its lineage). NULL for a
 * forwarded API. */
char       *aq_api_probe_sql   (const AqApi *api);
/* What a page of answer holds. */
typedef struct
{
  GString *data;      /* the JSON array of rows */
  guint    rows;
  char    *next;      /* the cursor of the next page, NULL on the last */
  gint64   total;     /* -1 when not asked */
} AqApiPage;

void        aq_api_page_free   (AqApiPage   *page);

/* Once per connection the APIs run on: the role aq_api (masked views only), read-only
 * transactions, a statement timeout of @timeout_ms. */
gboolean    aq_api_session_prepare (AqDb    *db,
                                    guint    timeout_ms,
                                    GError **error);

/* Runs @bound on @db (prepared once per connection and statement). */
AqApiPage  *aq_api_run         (AqDb        *db,
                                AqApiBound  *bound,
                                GError     **error);

/* Runs @api with @input as a caller gets it — as aq_api, in a read-only transaction that is
 * rolled back, so it suits a shared connection (aq_db_job) — and returns the answer
 * {code, message, data, page}, an error answer for bad parameters or a refused query. NULL
 * with @error only when the warehouse cannot be reached. For the panel's test console. */
char       *aq_api_try         (AqDb        *db,
                                const AqApi *api,
                                JsonObject  *input,
                                guint       *out_rows,
                                GError     **error);

/* {code, message, data, page}; @page may be NULL for an error. */
char       *aq_api_answer      (AqApiCode    code,
                                const char  *message,
                                AqApiPage   *page,
                                gsize       *out_len);

/* ---- signatures ---- */

/* The string signed: METHOD \n PATH \n QUERY \n hex(SHA-256(body)) \n TIMESTAMP \n NONCE. */
char       *aq_api_sign        (const char  *secret,
                                const char  *method,
                                const char  *path,
                                const char  *query,
                                const void  *body,
                                gsize        body_len,
                                const char  *timestamp,
                                const char  *nonce);
/* Constant-time comparison of two hex signatures. */
gboolean    aq_api_signature_equal (const char *a,
                                    const char *b);

/* A random token of @bytes bytes, hex (keys, secrets, nonces). */
char       *aq_api_random_token (guint bytes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApi, aq_api_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiBound, aq_api_bound_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiPage, aq_api_page_free)

G_END_DECLS

/* aq-api-service-private.h — for aq-api-service*.c only: the service's state and one call
 * in flight, shared by the checks and pool (aq-api-service.c) and forwarding
 * (aq-api-forward.c). */
#pragma once

#include "aq-api-service.h"

#include "aqueduct-core.h"
#include "aq-token-bucket.h"

G_BEGIN_DECLS

#define N_BUCKETS 13
#define MAX_NONCE_LENGTH 64
#define MAX_LOG_BACKLOG  200000   /* calls kept while the warehouse cannot take the log */

typedef struct
{
  AqTokenBucket bucket;
  double        rate;
  int           day;
  guint         used_today;
} Quota;

typedef struct
{
  guint64 buckets[N_BUCKETS];
  double  sum_seconds;
  guint64 count;
} Histogram;

typedef struct
{
  guint  failures;
  gint64 open_until;   /* monotonic µs */
} Breaker;

struct _AqApiService
{
  SoupServer    *server;
  char          *conninfo;
  gboolean       enabled;
  guint          pool_size;
  guint          reload_ms;
  gint64         window_s;
  gsize          max_body;
  gsize          max_query;
  guint          statement_timeout_ms;
  guint          breaker_failures;
  guint          breaker_open_ms;

  AqApiCatalog  *catalog;
  GThreadPool   *pool;
  GAsyncQueue   *idle;          /* AqDb ready to answer */
  gint           connections;   /* atomic: open ones */
  gint           warehouse_queries;  /* atomic */
  gint           warehouse_down;     /* atomic: the pool's last try failed to connect */

  GHashTable    *nonces;        /* "app\nnonce" → expiry (unix s) */
  GHashTable    *quotas;        /* "app\napi" → Quota */
  /* kept in the warehouse by the flush (026): what changed since the last one */
  GHashTable    *nonces_new;    /* "app\nnonce" → expiry (unix s) */
  GHashTable    *quota_new;     /* "app\napi\nYYYY-MM-DD" → calls (GUINT_TO_POINTER) */
  GHashTable    *breakers;      /* api → Breaker */
  GHashTable    *counters;      /* "api\tapp\tcode" → guint64 */
  GHashTable    *histograms;    /* api → Histogram */
  GHashTable    *backend_histograms;  /* forwarded api → Histogram of the backend's time */
  GHashTable    *overhead_histograms; /* forwarded api → Histogram of the daemon's own time */

  GPtrArray     *log;
  gboolean       flushing;
  gboolean       stopping;      /* aq_api_service_stop() began: no new call is taken */
  AqDb          *log_db;        /* the flush thread's */
  gboolean       reloading;
  AqDb          *meta_db;       /* the reload thread's */
  guint64        reloads;
  guint64        reload_failures;
  guint          reload_failing;  /* failures in a row */
  guint          reload_id;
  guint          flush_id;
  SoupSession   *session;
};

typedef struct
{
  AqApiService      *self;
  SoupServerMessage *msg;
  gint64             t0;
  char              *app_key;
  AqApi             *api;
  AqApiBound        *bound;
  AqApiPage         *page;
  AqApiCode          code;
  char              *message;
  GCancellable      *cancellable;
  guint              timeout_id;
  SoupMessage       *forward;
  gint64             forward_t0;   /* monotonic µs: sent to the business system */
  gint64             backend_us;   /* the business system's share of the latency */
} Call;

/* ---- auxiliary methods ---- */
/* Counts @latency_us in @api's histogram of @histograms (api → Histogram). */
void _aq_api_histogram_add (GHashTable *histograms,
                            const char *api,
                            gint64      latency_us);
/* Answers @call with its code and message (or page) and frees it (main thread). */
void _aq_api_call_finish (Call       *call);
/* Sets @call's code and message, then answers it. */
void _aq_api_call_refuse (Call       *call,
                          AqApiCode   code,
                          const char *message);
/* Sends @call to its API's business system (kind "forward"); answers it when done. */
void _aq_api_forward     (Call       *call,
                          GHashTable *query,
                          GBytes     *body);

G_END_DECLS

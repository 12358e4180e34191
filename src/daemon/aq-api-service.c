/* aq-api-service.c — aqueductd's data API face: /api/v1/NAME
 *
 * A call is checked in this order, all on the main thread and from memory, so that a refused
 * call never touches the warehouse: sizes (query string, body), the signature (AppKey known
 * and enabled, timestamp within the window, HMAC-SHA256 over method, path, query, the body's
 * hash, timestamp and nonce), the nonce not seen before (replays), the API published, the
 * app's grant approved and not expired, the grant's calls per second (token bucket) and per
 * day, the parameters (aq_api_bind: typed, always bound). Only then does a worker of the pool
 * run it, on one of at most [api] pool_size warehouse connections prepared as aq_api (masked
 * views only, read-only), each statement prepared once per connection.
 *
 * The catalog (APIs, apps, grants) is read in one snapshot and replaced whole when
 * meta.api_state.generation moves (checked every [api] reload_ms), so a publish, a grant or a
 * revoke takes effect without a restart and a call never sees half a change. Every call,
 * refused or answered, is counted for /metrics and buffered for meta.api_call, written once
 * a second in one batch (aq_api_log_write) by a thread of its own.
 *
 * Quotas and nonces outlive a restart (026_api_state.sql): the same flush adds the calls each
 * grant used since the last flush to the day's count and stores the nonces accepted — one COPY
 * and one statement per table a second, never a write per call — and the first catalog load
 * reads them back, before any call is answered. A clean stop flushes; a crash loses at most
 * the last second.
 *
 * Forwarded APIs (kind "forward") are in aq-api-forward.c.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-api-service-private.h"

#include <string.h>

static const double bucket_bounds_ms[N_BUCKETS - 1] = {
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000,
};

static void
call_free (Call *call)
{
  g_clear_object (&call->msg);
  g_free (call->app_key);
  g_clear_pointer (&call->api, aq_api_unref);
  g_clear_pointer (&call->bound, aq_api_bound_free);
  g_clear_pointer (&call->page, aq_api_page_free);
  g_free (call->message);
  g_clear_object (&call->cancellable);
  g_clear_object (&call->forward);
  g_free (call);
}

static gint64
now_unix_s (void)
{
  return aq_clock_now_unix_usec () / G_USEC_PER_SEC;
}

static int
today (void)
{
  g_autoptr(GDateTime) now = aq_clock_now_local ();
  int y, m, d;

  g_date_time_get_ymd (now, &y, &m, &d);
  return y * 10000 + m * 100 + d;
}

static char *
day_text (int day)
{
  return g_strdup_printf ("%04d-%02d-%02d", day / 10000, day / 100 % 100, day % 100);
}

/* Adds @calls to "@key" of a GUINT_TO_POINTER-valued table. */
static void
add_calls (GHashTable *table,
           const char *key,
           guint       calls)
{
  gpointer old = NULL;

  if (g_hash_table_lookup_extended (table, key, NULL, &old))
    g_hash_table_replace (table, g_strdup (key), GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + calls));
  else
    g_hash_table_insert (table, g_strdup (key), GUINT_TO_POINTER (calls));
}

void
_aq_api_histogram_add (GHashTable *histograms,
                       const char *api,
                       gint64      latency_us)
{
  Histogram *h = g_hash_table_lookup (histograms, api);
  double ms = latency_us / 1000.0;
  guint b = 0;

  if (h == NULL)
    {
      h = g_new0 (Histogram, 1);
      g_hash_table_insert (histograms, g_strdup (api), h);
    }
  while (b < N_BUCKETS - 1 && ms > bucket_bounds_ms[b])
    b++;
  h->buckets[b]++;
  h->sum_seconds += latency_us / 1e6;
  h->count++;
}

static void
count_call (AqApiService *self,
            Call         *call,
            guint         http,
            guint         latency_us,
            guint         rows)
{
  const char *api = call->api ? call->api->name : "";
  const char *app = call->app_key ? call->app_key : "";
  g_autofree char *key = g_strdup_printf ("%s\t%s\t%d", api, app, (int) call->code);
  guint64 *n = g_hash_table_lookup (self->counters, key);
  AqApiCallRecord *record;

  if (n == NULL)
    {
      n = g_new0 (guint64, 1);
      g_hash_table_insert (self->counters, g_steal_pointer (&key), n);
    }
  (*n)++;
  if (call->api)
    _aq_api_histogram_add (self->histograms, api, latency_us);
  /* what forwarding adds is a per-call difference: two histograms' quantiles do not subtract */
  if (call->api && call->backend_us > 0)
    _aq_api_histogram_add (self->overhead_histograms, api,
                           MAX ((gint64) latency_us - call->backend_us, 0));
  if (self->log->len >= MAX_LOG_BACKLOG)
    return;
  record = g_new0 (AqApiCallRecord, 1);
  record->at = aq_clock_now_unix_usec ();
  record->app_key = g_strdup (app);
  record->api = g_strdup (api);
  record->http = http;
  record->code = call->code;
  record->latency_us = latency_us;
  record->rows = rows;
  g_ptr_array_add (self->log, record);
}

/* Answers @call (main thread) and frees it. */
void
_aq_api_call_finish (Call *call)
{
  AqApiService *self = call->self;
  guint http = aq_api_code_status (call->code);
  gsize len = 0;
  char *body = aq_api_answer (call->code, call->message, call->code == AQ_API_OK ? call->page
                                                                                  : NULL, &len);
  guint latency = (guint) MIN (g_get_monotonic_time () - call->t0, G_MAXUINT);

  soup_server_message_set_status (call->msg, http, NULL);
  soup_server_message_set_response (call->msg, "application/json; charset=utf-8",
                                    SOUP_MEMORY_TAKE, body, len);
  count_call (self, call, http, latency, call->page ? call->page->rows : 0);
  call_free (call);
}

void
_aq_api_call_refuse (Call       *call,
                     AqApiCode   code,
                     const char *message)
{
  call->code = code;
  g_free (call->message);
  call->message = g_strdup (message);
  _aq_api_call_finish (call);
}

/* the checks' short name for it */
static void
refuse (Call       *call,
        AqApiCode   code,
        const char *message)
{
  _aq_api_call_refuse (call, code, message);
}

/* ---- the pool ---- */

static gboolean
worker_done_cb (gpointer data)
{
  Call *call = data;

  soup_server_message_unpause (call->msg);
  _aq_api_call_finish (call);
  return G_SOURCE_REMOVE;
}

/* A connection of the pool's, prepared as aq_api; NULL when the warehouse cannot be reached. */
static AqDb *
pool_open (AqApiService  *self,
           GError       **error)
{
  AqDb *db = aq_connection_open (self->conninfo, error);

  if (db && !aq_api_session_prepare (db, self->statement_timeout_ms, error))
    g_clear_object (&db);
  if (db)
    g_atomic_int_inc (&self->connections);
  return db;
}

/* Says once when the warehouse goes away and once when it is back, not once a call. */
static void
note_warehouse (AqApiService *self,
                gboolean      up,
                const GError *error)
{
  if (up && g_atomic_int_compare_and_exchange (&self->warehouse_down, 1, 0))
    g_message ("api: the warehouse answers again");
  else if (!up && g_atomic_int_compare_and_exchange (&self->warehouse_down, 0, 1))
    g_warning ("api: the warehouse cannot be reached (calls get 503 until it is back): %s",
               error ? error->message : "");
}

static void
worker (gpointer data,
        gpointer user_data)
{
  Call *call = data;
  AqApiService *self = user_data;
  g_autoptr(GError) error = NULL;
  AqDb *db = g_async_queue_try_pop (self->idle);
  gboolean reused = db != NULL;

  if (db == NULL)
    db = pool_open (self, &error);
  while (db != NULL)
    {
      g_atomic_int_inc (&self->warehouse_queries);
      call->page = aq_api_run (db, call->bound, &error);
      if (call->page || aq_db_is_ok (db))
        break;
      /* a broken connection is closed, not handed to the next call; one that broke while
       * idle in the pool (the warehouse restarted since) is replaced once: the statement is
       * read-only, so running it again is safe */
      g_atomic_int_add (&self->connections, -1);
      g_clear_object (&db);
      if (!reused)
        break;
      reused = FALSE;
      g_clear_error (&error);
      db = pool_open (self, &error);
    }
  if (call->page)
    note_warehouse (self, TRUE, NULL);
  else if (db == NULL)
    {
      note_warehouse (self, FALSE, error);
      call->code = AQ_API_UNAVAILABLE;
      call->message = g_strdup ("The warehouse cannot be reached now: retry in a moment");
    }
  else
    {
      g_warning ("api %s: %s", call->api->name, error->message);
      call->code = AQ_API_WAREHOUSE;
      call->message = g_strdup ("The warehouse could not answer this call (it is logged): "
                                "retry, or narrow it");
    }
  if (db)
    g_async_queue_push (self->idle, db);
  g_main_context_invoke (NULL, worker_done_cb, call);
}

/* ---- forwarding ---- */

static gboolean
check_signature (AqApiService      *self,
                 Call              *call,
                 SoupServerMessage *msg,
                 GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *key = soup_message_headers_get_one (headers, "X-Aq-Key");
  const char *timestamp = soup_message_headers_get_one (headers, "X-Aq-Timestamp");
  const char *nonce = soup_message_headers_get_one (headers, "X-Aq-Nonce");
  const char *signature = soup_message_headers_get_one (headers, "X-Aq-Signature");
  GUri *uri = soup_server_message_get_uri (msg);
  const AqApiApp *app;
  g_autofree char *expected = NULL;
  g_autofree char *nonce_key = NULL;
  gint64 ts;

  if (key == NULL || timestamp == NULL || nonce == NULL || signature == NULL)
    {
      refuse (call, AQ_API_UNSIGNED, "Sign the call: X-Aq-Key, X-Aq-Timestamp, X-Aq-Nonce and "
                                     "X-Aq-Signature are required");
      return FALSE;
    }
  app = g_hash_table_lookup (self->catalog->apps, key);
  if (app == NULL || !app->enabled)
    {
      refuse (call, AQ_API_UNKNOWN_APP, "Unknown or disabled AppKey");
      return FALSE;
    }
  call->app_key = g_strdup (app->app_key);
  if (!g_ascii_string_to_signed (timestamp, 10, 0, G_MAXINT64, &ts, NULL)
      || ABS (ts - now_unix_s ()) > self->window_s)
    {
      g_autofree char *message = g_strdup_printf (
        "X-Aq-Timestamp is not within %" G_GINT64_FORMAT " s of the server's clock (unix "
        "seconds): check the caller's clock", self->window_s);

      refuse (call, AQ_API_STALE, message);
      return FALSE;
    }
  if (strlen (nonce) < 8 || strlen (nonce) > MAX_NONCE_LENGTH)
    {
      refuse (call, AQ_API_UNSIGNED, "X-Aq-Nonce is 8 to 64 characters, new for every call");
      return FALSE;
    }
  expected = aq_api_sign (app->secret, soup_server_message_get_method (msg),
                          g_uri_get_path (uri), g_uri_get_query (uri),
                          body ? g_bytes_get_data (body, NULL) : NULL,
                          body ? g_bytes_get_size (body) : 0, timestamp, nonce);
  if (!aq_api_signature_equal (expected, signature))
    {
      refuse (call, AQ_API_BAD_SIGNATURE, "The signature does not match: sign METHOD\\nPATH\\n"
                                          "QUERY\\nhex(SHA-256(body))\\nTIMESTAMP\\nNONCE");
      return FALSE;
    }
  /* checked after the signature, so nobody can burn another app's nonces */
  nonce_key = g_strconcat (app->app_key, "\n", nonce, NULL);
  if (g_hash_table_contains (self->nonces, nonce_key))
    {
      refuse (call, AQ_API_REPLAYED, "This nonce was used already: every call needs a new one");
      return FALSE;
    }
  g_hash_table_insert (self->nonces_new, g_strdup (nonce_key),
                       (gpointer) (gintptr) (ts + self->window_s + 1));
  g_hash_table_insert (self->nonces, g_steal_pointer (&nonce_key),
                       (gpointer) (gintptr) (ts + self->window_s + 1));
  return TRUE;
}

static gboolean
check_grant (AqApiService *self,
             Call         *call)
{
  const AqApiGrant *grant = aq_api_catalog_grant (self->catalog, call->app_key, call->api->name);
  g_autofree char *key = NULL;
  Quota *quota;
  gint64 now = g_get_monotonic_time ();
  int day = today ();

  if (grant == NULL || !g_str_equal (grant->status, "approved"))
    {
      refuse (call, AQ_API_NOT_GRANTED, "This app holds no approved grant for this API: apply "
                                        "for it in the API market");
      return FALSE;
    }
  if (grant->expires_at > 0 && grant->expires_at <= aq_clock_now_unix_usec ())
    {
      refuse (call, AQ_API_GRANT_EXPIRED, "The grant has expired: apply again");
      return FALSE;
    }
  key = g_strconcat (call->app_key, "\n", call->api->name, NULL);
  quota = g_hash_table_lookup (self->quotas, key);
  if (quota == NULL)
    {
      quota = g_new0 (Quota, 1);
      g_hash_table_insert (self->quotas, g_steal_pointer (&key), quota);
    }
  if (quota->rate != grant->per_second)
    {
      aq_token_bucket_init (&quota->bucket, grant->per_second, now);
      quota->rate = grant->per_second;
    }
  if (quota->day != day)
    {
      quota->day = day;
      quota->used_today = 0;
    }
  if (quota->used_today >= grant->per_day)
    {
      refuse (call, AQ_API_DAILY_QUOTA, "The grant's calls for today are used up: retry "
                                        "tomorrow, or ask for a larger quota");
      return FALSE;
    }
  if (!aq_token_bucket_take (&quota->bucket, now))
    {
      refuse (call, AQ_API_RATE_LIMITED, "Over the grant's calls per second: retry in a moment");
      return FALSE;
    }
  quota->used_today++;
  {
    g_autofree char *date = day_text (day);
    g_autofree char *day_key = g_strconcat (call->app_key, "\n", call->api->name, "\n", date,
                                            NULL);

    add_calls (self->quota_new, day_key, 1);
  }
  return TRUE;
}

/* name → value from the query string, then the members of a JSON body */
static JsonObject *
read_input (AqApiService  *self,
            GHashTable    *query,
            GBytes        *body,
            GError       **error)
{
  g_autoptr(JsonObject) input = json_object_new ();
  GHashTableIter iter;
  gpointer key, value;

  if (query)
    {
      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        json_object_set_string_member (input, key, value);
    }
  if (body && g_bytes_get_size (body) > 0)
    {
      g_autoptr(JsonNode) node = aq_json_read (g_bytes_get_data (body, NULL),
                                               g_bytes_get_size (body), self->max_body, error);
      JsonObject *object;
      GList *members;

      if (node == NULL)
        return NULL;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_set_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM,
                       "The body is a JSON object of parameters");
          return NULL;
        }
      object = json_node_get_object (node);
      members = json_object_get_members (object);
      for (GList *l = members; l; l = l->next)
        json_object_set_member (input, l->data,
                                json_node_copy (json_object_get_member (object, l->data)));
      g_list_free (members);
    }
  return g_steal_pointer (&input);
}

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  AqApiService *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);

  /* refused before the body is read */
  if (length > (goffset) self->max_body)
    {
      g_autofree char *body = aq_api_answer (AQ_API_TOO_LARGE,
                                             "The body is over the limit", NULL, NULL);

      soup_server_message_set_status (msg, 413, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                        strlen (body));
    }
}

static void
api_cb (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  AqApiService *self = user_data;
  Call *call = g_new0 (Call, 1);
  GUri *uri = soup_server_message_get_uri (msg);
  const char *raw_query = g_uri_get_query (uri);
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  AqApi *api;

  call->self = self;
  call->msg = g_object_ref (msg);
  call->t0 = g_get_monotonic_time ();

  if (soup_server_message_get_status (msg) == 413)
    {
      call->code = AQ_API_TOO_LARGE;
      count_call (self, call, 413, 0, 0);
      call_free (call);
      return;
    }
  if (!self->enabled || self->catalog == NULL || self->stopping)
    {
      refuse (call, AQ_API_UNAVAILABLE, "The API service is starting or disabled");
      return;
    }
  if (raw_query && strlen (raw_query) > self->max_query)
    {
      refuse (call, AQ_API_URI_TOO_LONG, "The query string is over the limit: send the "
                                         "parameters as a JSON body (POST)");
      return;
    }
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  if (g_bytes_get_size (body) > self->max_body)
    {
      refuse (call, AQ_API_TOO_LARGE, "The body is over the limit");
      return;
    }
  if (g_strcmp0 (method, "GET") != 0 && g_strcmp0 (method, "POST") != 0)
    {
      refuse (call, AQ_API_BAD_PARAM, "Use GET (parameters in the query) or POST (a JSON body)");
      return;
    }
  if (!check_signature (self, call, msg, body))
    return;

  name = path + strlen ("/api/v1");
  if (*name == '/')
    name++;
  api = g_hash_table_lookup (self->catalog->apis, name);
  if (api == NULL)
    {
      refuse (call, AQ_API_UNKNOWN, "No published API of this name: see the market "
                                    "(aqueductctl api list)");
      return;
    }
  call->api = aq_api_ref (api);
  if (!check_grant (self, call))
    return;

  if (g_str_equal (api->kind, "forward"))
    {
      _aq_api_forward (call, query, body);
      return;
    }
  input = read_input (self, query, body, &error);
  if (input)
    call->bound = aq_api_bind (api, input, &error);
  if (call->bound == NULL)
    {
      refuse (call, error->domain == AQ_API_ERROR ? (AqApiCode) error->code : AQ_API_BAD_PARAM,
              error->message);
      return;
    }
  soup_server_message_pause (msg);
  g_thread_pool_push (self->pool, call, NULL);
}

/* ---- reload and log threads ---- */

/* What a reload brings back: a new catalog (or NULL: unchanged) and, on the first load only,
 * the state a previous run left in the warehouse. */
typedef struct
{
  AqApiCatalog *catalog;
  int           day;
  GHashTable   *quota_calls;   /* "app\napi" → calls on @day */
  GHashTable   *nonces;        /* "app\nnonce" → expiry */
} Reload;

static void
reload_free (Reload *reload)
{
  g_clear_pointer (&reload->catalog, aq_api_catalog_unref);
  g_clear_pointer (&reload->quota_calls, g_hash_table_unref);
  g_clear_pointer (&reload->nonces, g_hash_table_unref);
  g_free (reload);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AqApiService *self = task_data;
  g_autoptr(GError) error = NULL;
  gint64 current = self->catalog ? self->catalog->generation : -1;
  gint64 generation = 0;
  Reload *reload;

  if (self->meta_db && !aq_db_is_ok (self->meta_db))
    g_clear_object (&self->meta_db);
  if (self->meta_db == NULL)
    self->meta_db = aq_connection_open (self->conninfo, &error);
  if (self->meta_db == NULL
      || !aq_api_generation (self->meta_db, &generation, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (generation == current)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  reload = g_new0 (Reload, 1);
  if (current < 0)
    {
      g_autofree char *date = NULL;

      /* the first load: nothing is answered before the last run's quotas and nonces are in */
      reload->day = today ();
      date = day_text (reload->day);
      reload->quota_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      reload->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      if (!aq_api_state_read (self->meta_db, date, now_unix_s (), reload->quota_calls,
                              reload->nonces, &error))
        {
          reload_free (reload);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  reload->catalog = aq_api_catalog_load (self->meta_db, &error);
  if (reload->catalog == NULL)
    {
      reload_free (reload);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, reload, (GDestroyNotify) reload_free);
}

/* The counts and nonces a previous run stored, before the first call is answered. */
static void
restore_state (AqApiService *self,
               Reload       *reload)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, reload->nonces);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_replace (self->nonces, g_strdup (key), value);
  g_hash_table_iter_init (&iter, reload->quota_calls);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Quota *quota = g_hash_table_lookup (self->quotas, key);

      if (quota == NULL)
        {
          quota = g_new0 (Quota, 1);
          g_hash_table_insert (self->quotas, g_strdup (key), quota);
        }
      quota->day = reload->day;
      quota->used_today = GPOINTER_TO_UINT (value);
    }
  g_message ("api: restored %u nonces and %u quotas of the day",
             g_hash_table_size (reload->nonces), g_hash_table_size (reload->quota_calls));
}

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AqApiService *self = user_data;
  g_autoptr(GError) error = NULL;
  Reload *reload = g_task_propagate_pointer (G_TASK (result), &error);
  AqApiCatalog *catalog;

  self->reloading = FALSE;
  if (error)
    {
      /* said once a run of failures, not every reload_ms */
      if (self->reload_failing++ == 0)
        g_warning ("api: cannot read the API catalog (the last one read is kept): %s",
                   error->message);
      self->reload_failures++;
      return;
    }
  if (self->reload_failing)
    g_message ("api: the API catalog can be read again");
  self->reload_failing = 0;
  if (reload == NULL)
    return;
  if (reload->nonces)
    restore_state (self, reload);
  catalog = g_steal_pointer (&reload->catalog);
  reload_free (reload);
  g_clear_pointer (&self->catalog, aq_api_catalog_unref);
  self->catalog = catalog;
  self->reloads++;
  g_message ("api: catalog generation %" G_GINT64_FORMAT ": %u APIs, %u apps",
             catalog->generation, g_hash_table_size (catalog->apis),
             g_hash_table_size (catalog->apps));
}

static void
start_reload (AqApiService *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->reloading)
    return;
  self->reloading = TRUE;
  task = g_task_new (NULL, NULL, reload_done_cb, self);
  g_task_set_source_tag (task, start_reload);
  g_task_set_task_data (task, self, NULL);
  g_task_run_in_thread (task, reload_thread);
}

static gboolean
prune_nonces_cb (gpointer key,
                 gpointer value,
                 gpointer user_data)
{
  return (gint64) (gintptr) value < *(gint64 *) user_data;
}

static gboolean
reload_cb (gpointer user_data)
{
  AqApiService *self = user_data;
  gint64 now = now_unix_s ();

  g_hash_table_foreach_remove (self->nonces, prune_nonces_cb, &now);
  start_reload (self);
  return G_SOURCE_CONTINUE;
}

/* One flush: the calls to log, and the quota counts and nonces that changed since the last;
 * each part that could not be written goes back to wait for the next flush. */
typedef struct
{
  AqApiService *self;
  GPtrArray    *log;
  GHashTable   *quota_new;
  GHashTable   *nonces_new;
  gboolean      log_written;
  gboolean      state_written;
  GError       *error;
} Flush;

static void
flush_free (Flush *flush)
{
  g_clear_pointer (&flush->log, g_ptr_array_unref);
  g_clear_pointer (&flush->quota_new, g_hash_table_unref);
  g_clear_pointer (&flush->nonces_new, g_hash_table_unref);
  g_clear_error (&flush->error);
  g_free (flush);
}

static GHashTable *
new_calls_table (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Writes @flush's parts on @db (blocking; the flush thread, or the main thread at shutdown). */
static void
flush_write (Flush *flush,
             AqDb  *db)
{
  flush->log_written = flush->log->len == 0
                       || aq_api_log_write (db, flush->log, &flush->error);
  if (flush->error == NULL)
    flush->state_written = (g_hash_table_size (flush->quota_new) == 0
                            && g_hash_table_size (flush->nonces_new) == 0)
                           || aq_api_state_write (db, flush->quota_new, flush->nonces_new,
                                                  now_unix_s (), &flush->error);
}

static void
flush_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Flush *flush = task_data;
  AqApiService *self = flush->self;

  if (self->log_db && !aq_db_is_ok (self->log_db))
    g_clear_object (&self->log_db);
  if (self->log_db == NULL)
    self->log_db = aq_connection_open (self->conninfo, &flush->error);
  if (self->log_db)
    flush_write (flush, self->log_db);
  g_task_return_boolean (task, TRUE);
}

static void
flush_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  AqApiService *self = user_data;
  Flush *flush = g_task_get_task_data (G_TASK (result));
  gint64 now = now_unix_s ();
  GHashTableIter iter;
  gpointer key, value;

  self->flushing = FALSE;
  if (flush->error)
    g_warning ("api: call log or quotas not written (kept for the next try): %s",
               flush->error->message);
  if (!flush->log_written)
    {
      /* the batch goes back in front of what came since */
      g_ptr_array_extend_and_steal (flush->log, g_steal_pointer (&self->log));
      self->log = g_steal_pointer (&flush->log);
      if (self->log->len > MAX_LOG_BACKLOG)
        g_ptr_array_remove_range (self->log, MAX_LOG_BACKLOG, self->log->len - MAX_LOG_BACKLOG);
    }
  if (!flush->state_written)
    {
      g_hash_table_iter_init (&iter, flush->quota_new);
      while (g_hash_table_iter_next (&iter, &key, &value))
        add_calls (self->quota_new, key, GPOINTER_TO_UINT (value));
      g_hash_table_iter_init (&iter, flush->nonces_new);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if ((gint64) (gintptr) value >= now)
          g_hash_table_replace (self->nonces_new, g_strdup (key), value);
    }
}

/* Takes what waits to be written (main thread). */
static Flush *
flush_take (AqApiService *self)
{
  Flush *flush = g_new0 (Flush, 1);

  flush->self = self;
  flush->log = g_steal_pointer (&self->log);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_call_record_free);
  flush->quota_new = g_steal_pointer (&self->quota_new);
  self->quota_new = new_calls_table ();
  flush->nonces_new = g_steal_pointer (&self->nonces_new);
  self->nonces_new = new_calls_table ();
  return flush;
}

static gboolean
flush_cb (gpointer user_data)
{
  AqApiService *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->flushing || (self->log->len == 0 && g_hash_table_size (self->quota_new) == 0
                         && g_hash_table_size (self->nonces_new) == 0))
    return G_SOURCE_CONTINUE;
  self->flushing = TRUE;
  task = g_task_new (NULL, NULL, flush_done_cb, self);
  g_task_set_source_tag (task, flush_cb);
  g_task_set_task_data (task, flush_take (self), (GDestroyNotify) flush_free);
  g_task_run_in_thread (task, flush_thread);
  return G_SOURCE_CONTINUE;
}

/* ---- public API ---- */

AqApiService *
aq_api_service_new (SoupServer *server)
{
  AqApiService *self = g_new0 (AqApiService, 1);

  self->server = g_object_ref (server);
  self->enabled = TRUE;
  self->pool_size = 4;
  self->reload_ms = 1000;
  self->window_s = 300;
  self->max_body = 64 * 1024;
  self->max_query = 4096;
  self->statement_timeout_ms = 5000;
  self->breaker_failures = 5;
  self->breaker_open_ms = 10000;
  self->idle = g_async_queue_new ();
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->quotas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->quota_new = new_calls_table ();
  self->nonces_new = new_calls_table ();
  self->breakers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->histograms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->backend_histograms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->overhead_histograms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->log = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_api_call_record_free);
  self->session = soup_session_new_with_options ("max-conns-per-host", 64, "max-conns", 256,
                                                 NULL);
  soup_server_add_early_handler (server, "/api/v1", early_cb, self, NULL);
  soup_server_add_handler (server, "/api/v1", api_cb, self, NULL);
  return self;
}

/* [api] enabled, pool_size, reload_ms, timestamp_window, max_body, max_query,
 * statement_timeout_ms, breaker_failures, breaker_open_ms */
gboolean
aq_api_service_load_config (AqApiService  *self,
                            GKeyFile      *kf,
                            const char    *path,
                            GError       **error)
{
  static const struct { const char *key; gint64 min, max; } ints[] = {
    { "pool_size", 1, 64 }, { "reload_ms", 50, 3600000 }, { "timestamp_window", 1, 86400 },
    { "max_body", 16, 16 * 1024 * 1024 }, { "max_query", 16, 65536 },
    { "statement_timeout_ms", 10, 600000 }, { "breaker_failures", 1, 1000 },
    { "breaker_open_ms", 10, 3600000 },
  };

  if (!g_key_file_has_group (kf, "api"))
    return TRUE;
  if (g_key_file_has_key (kf, "api", "enabled", NULL))
    self->enabled = g_key_file_get_boolean (kf, "api", "enabled", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (ints); i++)
    {
      g_autoptr(GError) local_error = NULL;
      gint64 value;

      if (!g_key_file_has_key (kf, "api", ints[i].key, NULL))
        continue;
      value = g_key_file_get_int64 (kf, "api", ints[i].key, &local_error);
      if (local_error || value < ints[i].min || value > ints[i].max)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       "%s: [api] %s is a number from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT,
                       path, ints[i].key, ints[i].min, ints[i].max);
          return FALSE;
        }
      switch (i)
        {
        case 0: self->pool_size = value; break;
        case 1: self->reload_ms = value; break;
        case 2: self->window_s = value; break;
        case 3: self->max_body = value; break;
        case 4: self->max_query = value; break;
        case 5: self->statement_timeout_ms = value; break;
        case 6: self->breaker_failures = value; break;
        case 7: self->breaker_open_ms = value; break;
        default: g_assert_not_reached ();
        }
    }
  return TRUE;
}

void
aq_api_service_start (AqApiService *self,
                      const char   *conninfo)
{
  g_autoptr(GError) error = NULL;

  g_free (self->conninfo);
  self->conninfo = g_strdup (conninfo);
  if (!self->enabled)
    return;
  self->pool = g_thread_pool_new (worker, self, self->pool_size, FALSE, &error);
  g_assert_no_error (error);
  start_reload (self);
  self->reload_id = g_timeout_add (self->reload_ms, reload_cb, self);
  self->flush_id = g_timeout_add_seconds (1, flush_cb, self);
}

void
aq_api_service_stop (AqApiService *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  Flush *flush;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (self->stopping)      /* once: a second SIGTERM, or free after stop */
    return;
  self->stopping = TRUE;   /* calls from now on get 503 */
  g_clear_handle_id (&self->reload_id, g_source_remove);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->pool)
    {
      g_thread_pool_free (self->pool, FALSE, TRUE);
      self->pool = NULL;
    }
  /* a flush in progress ends first (what it could not write comes back to be written below),
   * and the calls the pool just finished are answered and counted; a catalog reload in
   * progress ends too: its thread uses this service, which the daemon frees once stopped */
  while ((self->flushing || self->reloading || g_main_context_pending (NULL))
         && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  if (self->flushing || (self->log->len == 0 && g_hash_table_size (self->quota_new) == 0
                         && g_hash_table_size (self->nonces_new) == 0))
    return;
  flush = flush_take (self);
  db = aq_connection_open (self->conninfo, &error);
  if (db)
    flush_write (flush, db);
  else
    flush->error = g_steal_pointer (&error);
  if (flush->error)
    g_warning ("api: %u calls, %u quota counts and %u nonces not kept at shutdown: %s",
               flush->log_written ? 0 : flush->log->len,
               flush->state_written ? 0 : g_hash_table_size (flush->quota_new),
               flush->state_written ? 0 : g_hash_table_size (flush->nonces_new),
               flush->error->message);
  flush_free (flush);
}

static void
append_counter_line (gpointer key,
                     gpointer value,
                     gpointer user_data)
{
  GString *text = user_data;
  g_auto(GStrv) parts = g_strsplit (key, "\t", 3);

  g_string_append_printf (text, "aqueduct_api_calls_total{api=\"%s\",app=\"%s\",code=\"%s\"} %"
                          G_GUINT64_FORMAT "\n", parts[0], parts[1], parts[2],
                          *(guint64 *) value);
}

typedef struct
{
  GString    *text;
  const char *metric;
} HistogramOut;

static void
append_histogram (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  HistogramOut *out = user_data;
  Histogram *h = value;
  guint64 cumulative = 0;

  for (guint b = 0; b < N_BUCKETS - 1; b++)
    {
      cumulative += h->buckets[b];
      g_string_append_printf (out->text, "%s_bucket{api=\"%s\",le=\"%g\"} %" G_GUINT64_FORMAT
                              "\n", out->metric, (char *) key, bucket_bounds_ms[b] / 1000.0,
                              cumulative);
    }
  g_string_append_printf (out->text, "%s_bucket{api=\"%s\",le=\"+Inf\"} %" G_GUINT64_FORMAT
                          "\n", out->metric, (char *) key, h->count);
  g_string_append_printf (out->text, "%s_sum{api=\"%s\"} %.6f\n", out->metric, (char *) key,
                          h->sum_seconds);
  g_string_append_printf (out->text, "%s_count{api=\"%s\"} %" G_GUINT64_FORMAT "\n",
                          out->metric, (char *) key, h->count);
}

void
aq_api_service_append_metrics (AqApiService *self,
                               GString      *text)
{
  g_string_append_printf (text,
    "# HELP aqueduct_api_catalog_generation The API catalog's generation being served.\n"
    "# TYPE aqueduct_api_catalog_generation gauge\n"
    "aqueduct_api_catalog_generation %" G_GINT64_FORMAT "\n"
    "# HELP aqueduct_api_published The APIs being served.\n"
    "# TYPE aqueduct_api_published gauge\n"
    "aqueduct_api_published %u\n"
    "# HELP aqueduct_api_warehouse_queries_total Calls that reached the warehouse.\n"
    "# TYPE aqueduct_api_warehouse_queries_total counter\n"
    "aqueduct_api_warehouse_queries_total %d\n"
    "# HELP aqueduct_api_pool_connections Open warehouse connections of the API pool.\n"
    "# TYPE aqueduct_api_pool_connections gauge\n"
    "aqueduct_api_pool_connections %d\n"
    "# HELP aqueduct_api_log_backlog Calls waiting to be written to meta.api_call.\n"
    "# TYPE aqueduct_api_log_backlog gauge\n"
    "aqueduct_api_log_backlog %u\n"
    "# HELP aqueduct_api_calls_total Calls by API, app and answer code.\n"
    "# TYPE aqueduct_api_calls_total counter\n",
    self->catalog ? self->catalog->generation : 0,
    self->catalog ? g_hash_table_size (self->catalog->apis) : 0,
    g_atomic_int_get (&self->warehouse_queries), g_atomic_int_get (&self->connections),
    self->log->len);
  g_hash_table_foreach (self->counters, append_counter_line, text);
  g_string_append (text,
    "# HELP aqueduct_api_latency_seconds Time to answer, by API.\n"
    "# TYPE aqueduct_api_latency_seconds histogram\n");
  g_hash_table_foreach (self->histograms, append_histogram,
                        &(HistogramOut) { text, "aqueduct_api_latency_seconds" });
  g_string_append (text,
    "# HELP aqueduct_api_backend_seconds Forwarded APIs: the wait for the business system, "
    "from sending to the whole answer read (the rest of the latency is the daemon's).\n"
    "# TYPE aqueduct_api_backend_seconds histogram\n");
  g_hash_table_foreach (self->backend_histograms, append_histogram,
                        &(HistogramOut) { text, "aqueduct_api_backend_seconds" });
  g_string_append (text,
    "# HELP aqueduct_api_forward_overhead_seconds Forwarded APIs: each call's time to answer "
    "minus its wait for the business system.\n"
    "# TYPE aqueduct_api_forward_overhead_seconds histogram\n");
  g_hash_table_foreach (self->overhead_histograms, append_histogram,
                        &(HistogramOut) { text, "aqueduct_api_forward_overhead_seconds" });
}

void
aq_api_service_free (AqApiService *self)
{
  AqDb *db;

  if (self == NULL)
    return;
  aq_api_service_stop (self);
  if (self->flushing || self->reloading)
    {
      /* still on a worker thread after the stop's wait (a warehouse that does not answer):
       * left to the process's exit rather than freed under the thread */
      g_warning ("api: a %s still runs at shutdown", self->flushing ? "flush" : "reload");
      return;
    }
  while ((db = g_async_queue_try_pop (self->idle)) != NULL)
    g_object_unref (db);
  g_async_queue_unref (self->idle);
  g_clear_pointer (&self->catalog, aq_api_catalog_unref);
  g_hash_table_unref (self->nonces);
  g_hash_table_unref (self->quotas);
  g_hash_table_unref (self->quota_new);
  g_hash_table_unref (self->nonces_new);
  g_hash_table_unref (self->breakers);
  g_hash_table_unref (self->counters);
  g_hash_table_unref (self->histograms);
  g_hash_table_unref (self->backend_histograms);
  g_hash_table_unref (self->overhead_histograms);
  g_ptr_array_unref (self->log);
  g_clear_object (&self->log_db);
  g_clear_object (&self->meta_db);
  g_clear_object (&self->session);
  g_clear_object (&self->server);
  g_free (self->conninfo);
  g_free (self);
}

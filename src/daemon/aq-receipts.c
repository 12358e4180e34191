/* aq-receipts.c — POST /receipts/NAME: the providers' delivery receipts
 *
 * Anyone who can reach the port can post here, so a receipt earns its way in, cheapest check
 * first, and nothing it sends can stall or crash the daemon:
 *
 *  1. after the headers only (an early handler): a known provider with a receipt-secret, POST,
 *     and a Content-Length within AQ_RECEIPT_MAX_BODY — a larger body is answered 413 unread;
 *     a chunked body is counted as it comes and not kept past the limit;
 *  2. on a worker thread (never the main loop, so /healthz answers meanwhile): the signature
 *     (HMAC-SHA256 of the raw body) or bearer secret compared in constant time (401), the
 *     body read by core (aq_receipt_parse: size and depth before json-glib, ids bounded; 400),
 *     then core's one statement (aq_outbox_apply_receipt), which refuses a receipt for a
 *     message another provider sent (403) and keeps one that came before the message was
 *     sent (202, applied when it is).
 *
 * A warehouse that cannot be reached is the only 503 (the provider keeps the receipt and
 * pushes it again); a statement the warehouse refused is 422 with a plain message, never the
 * raw error, so a provider does not retry a bad receipt forever.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-receipts.h"

#include <string.h>

#include "aqueduct-core.h"

typedef struct
{
  guint64 received;
  guint64 duplicate;
  guint64 unknown;
  guint64 invalid;
  guint64 refused;
  guint64 pending;
} ReceiptStats;

typedef struct
{
  char         *name;
  char         *secret;     /* NULL: receipts refused */
  GStrv         channels;   /* the channels this provider is the first to carry */
  ReceiptStats  stats;
} Endpoint;

struct _AqReceiptEndpoint
{
  SoupServer *server;
  char       *conninfo;
  GHashTable *endpoints;     /* name → Endpoint */
};

typedef enum
{
  VERDICT_OK,            /* result holds the warehouse's answer */
  VERDICT_UNAUTHORIZED,
  VERDICT_INVALID,
  VERDICT_UNAVAILABLE,
  VERDICT_REFUSED,       /* the warehouse refused the statement */
} Verdict;

typedef struct
{
  AqReceiptEndpoint *self;       /* on the main thread only: it may be gone at shutdown */
  char              *conninfo;   /* the worker's copy */
  char              *provider;
  char              *secret;
  GStrv              channels;
  GBytes            *body;
  char              *signature;   /* X-Aqueduct-Signature */
  char              *bearer;      /* Authorization: Bearer … */
  SoupServerMessage *msg;

  const AqReceipt   *receipt;     /* on the worker thread, while its statement runs */
  Verdict            verdict;
  AqReceiptResult    result;
  char              *message;
} Job;

/* The chunks of a body with no Content-Length, up to the limit. */
typedef struct
{
  GByteArray *data;
  gboolean    over;
} Body;

#define BODY_KEY "aq-receipt-body"

/* ---- auxiliary methods ---- */

static void
endpoint_free (Endpoint *e)
{
  g_free (e->name);
  if (e->secret)
    memset (e->secret, 0, strlen (e->secret));
  g_free (e->secret);
  g_strfreev (e->channels);
  g_free (e);
}

static void
body_free (Body *b)
{
  g_byte_array_unref (b->data);
  g_free (b);
}

static void
job_free (Job *job)
{
  g_free (job->conninfo);
  g_free (job->provider);
  g_free (job->secret);
  g_strfreev (job->channels);
  g_clear_pointer (&job->body, g_bytes_unref);
  g_free (job->signature);
  g_free (job->bearer);
  g_clear_object (&job->msg);
  g_free (job->message);
  g_free (job);
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *member,
              const char        *value)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, member);
  json_builder_add_string_value (b, value);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

/* Equal strings, in a time that does not depend on where they first differ. */
static gboolean
same_secret (const char *a,
             const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  guchar diff = la != lb;

  for (gsize i = 0; i < MAX (la, lb); i++)
    diff |= (guchar) (i < la ? g_ascii_tolower (a[i]) : 0)
            ^ (guchar) (i < lb ? g_ascii_tolower (b[i]) : 0);
  return diff == 0;
}

static gboolean
authentic (Job *job)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (job->body, &len);

  if (job->signature && g_str_has_prefix (job->signature, "sha256="))
    {
      g_autofree char *expected = g_compute_hmac_for_data (G_CHECKSUM_SHA256,
                                                           (const guchar *) job->secret,
                                                           strlen (job->secret),
                                                           (const guchar *) (data ? data : ""),
                                                           len);

      return same_secret (job->signature + strlen ("sha256="), expected);
    }
  /* a bearer secret is compared exactly (the HMAC's hex is compared caselessly) */
  if (job->bearer)
    {
      gsize la = strlen (job->bearer), lb = strlen (job->secret);
      guchar diff = la != lb;

      for (gsize i = 0; i < MAX (la, lb); i++)
        diff |= (guchar) (i < la ? job->bearer[i] : 0) ^ (guchar) (i < lb ? job->secret[i] : 0);
      return diff == 0;
    }
  return FALSE;
}

/* The provider's name from the path, with its endpoint; NULL when there is none. */
static Endpoint *
lookup (AqReceiptEndpoint *self,
        const char        *path)
{
  if (!g_str_has_prefix (path, "/receipts/"))
    return NULL;
  return g_hash_table_lookup (self->endpoints, path + strlen ("/receipts/"));
}

/* ---- the warehouse side (worker thread) ---- */

/* core's one statement, through aq_db_job_run(): a pooled connection (AqDbJobFunc) */
static gpointer
apply_job (AqDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Job *job = data;

  if (!aq_outbox_apply_receipt (db, job->provider, (const char * const *) job->channels,
                                job->receipt, &job->result, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
receipt_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_auto(AqReceipt) receipt = { 0 };
  gsize len = 0;
  const char *data;

  if (!authentic (job))
    {
      job->verdict = VERDICT_UNAUTHORIZED;
      job->message = g_strdup ("the receipt is not signed with this provider's secret: send "
                               "X-Aqueduct-Signature: sha256=HMAC-SHA256(secret, body)");
      g_task_return_boolean (task, TRUE);
      return;
    }
  data = g_bytes_get_data (job->body, &len);
  if (!aq_receipt_parse (data ? data : "", len, &receipt, &error))
    {
      job->verdict = VERDICT_INVALID;
      job->message = g_strdup (error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  job->receipt = &receipt;
  if (aq_db_job_run (job->conninfo, apply_job, job, cancellable, &error) != NULL)
    job->verdict = VERDICT_OK;
  else
    {
      /* the connection errors are the ones a later push may not meet: 503, not 422 */
      gboolean reachable = !g_error_matches (error, AQ_ERROR, AQ_ERROR_CONNECTION);

      g_warning ("receipt from %s not recorded: %s", job->provider, error->message);
      job->verdict = reachable ? VERDICT_REFUSED : VERDICT_UNAVAILABLE;
      job->message = g_strdup (reachable
                               ? "the warehouse could not record this receipt"
                               : "the warehouse cannot be reached: push the receipt again "
                                 "later");
    }
  job->receipt = NULL;
  g_task_return_boolean (task, TRUE);
}

/* ---- callbacks ---- */

static void
receipt_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Job *job = g_task_get_task_data (G_TASK (result));
  Endpoint *e = g_hash_table_lookup (job->self->endpoints, job->provider);
  ReceiptStats *stats = &e->stats;

  switch (job->verdict)
    {
    case VERDICT_UNAUTHORIZED:
      stats->refused++;
      respond_json (job->msg, SOUP_STATUS_UNAUTHORIZED, "error", job->message);
      break;
    case VERDICT_INVALID:
      stats->invalid++;
      respond_json (job->msg, SOUP_STATUS_BAD_REQUEST, "error", job->message);
      break;
    case VERDICT_REFUSED:
      stats->invalid++;
      respond_json (job->msg, SOUP_STATUS_UNPROCESSABLE_ENTITY, "error", job->message);
      break;
    case VERDICT_UNAVAILABLE:
      /* not 200: the provider keeps the receipt and pushes it again later */
      respond_json (job->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "error", job->message);
      break;
    case VERDICT_OK:
    default:
      switch (job->result)
        {
        case AQ_RECEIPT_UNKNOWN:
          /* perhaps the receipt overtook our own record of the provider's id: a later push
           * will find the message */
          stats->unknown++;
          respond_json (job->msg, SOUP_STATUS_NOT_FOUND, "error", "no such message");
          break;
        case AQ_RECEIPT_FOREIGN:
          stats->refused++;
          respond_json (job->msg, SOUP_STATUS_FORBIDDEN, "error",
                        "this message is not this provider's: nothing recorded");
          break;
        case AQ_RECEIPT_PENDING:
          stats->pending++;
          respond_json (job->msg, SOUP_STATUS_ACCEPTED, "result",
                        "kept until the message is sent");
          break;
        case AQ_RECEIPT_DUPLICATE:
          stats->duplicate++;
          respond_json (job->msg, SOUP_STATUS_OK, "result", "duplicate");
          break;
        case AQ_RECEIPT_APPLIED:
        default:
          respond_json (job->msg, SOUP_STATUS_OK, "result", "recorded");
          break;
        }
      break;
    }
  soup_server_message_unpause (job->msg);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  Body *body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (chunk, &len);

  if (body == NULL || body->over)
    return;
  if (body->data->len + len > AQ_RECEIPT_MAX_BODY)
    {
      /* what is left is read and dropped, the memory given back at once */
      body->over = TRUE;
      g_byte_array_set_size (body->data, 0);
      return;
    }
  g_byte_array_append (body->data, data, len);
}

/* After the headers, before the body. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  AqReceiptEndpoint *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Endpoint *e = lookup (self, path);
  goffset length;
  Body *body;

  if (e == NULL || soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    return;   /* the handler answers */
  length = soup_message_headers_get_content_length (headers);
  if (e->secret == NULL)
    {
      e->stats.received++;
      e->stats.refused++;
      respond_json (msg, SOUP_STATUS_FORBIDDEN, "error",
                    "receipts from this provider are not accepted: set receipt-secret in its "
                    "[provider.NAME] group");
      return;
    }
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && length > AQ_RECEIPT_MAX_BODY)
    {
      e->stats.received++;
      e->stats.invalid++;
      respond_json (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "error",
                    "a receipt is at most 256 KiB");
      return;
    }
  /* not accumulated by libsoup: got_chunk_cb keeps what is within the limit */
  body = g_new0 (Body, 1);
  body->data = g_byte_array_new ();
  g_object_set_data_full (G_OBJECT (msg), BODY_KEY, body, (GDestroyNotify) body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

static void
receipts_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  AqReceiptEndpoint *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  Endpoint *e = lookup (self, path);
  Body *body;
  const char *auth;
  g_autoptr(GTask) task = NULL;
  Job *job;

  if (soup_server_message_get_status (msg) != 0)
    return;   /* answered after the headers */
  if (e == NULL)
    {
      respond_json (msg, SOUP_STATUS_NOT_FOUND, "error",
                    "no such provider: POST to /receipts/NAME of a [provider.NAME]");
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      respond_json (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "error", "POST a receipt");
      return;
    }
  e->stats.received++;
  body = g_object_get_data (G_OBJECT (msg), BODY_KEY);
  if (body == NULL || body->over)
    {
      e->stats.invalid++;
      respond_json (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "error",
                    "a receipt is at most 256 KiB");
      return;
    }

  job = g_new0 (Job, 1);
  job->self = self;
  job->conninfo = g_strdup (self->conninfo);
  job->provider = g_strdup (e->name);
  job->secret = g_strdup (e->secret);
  job->channels = g_strdupv (e->channels);
  job->body = g_byte_array_free_to_bytes (g_byte_array_ref (body->data));
  job->signature = g_strdup (soup_message_headers_get_one (headers, "X-Aqueduct-Signature"));
  auth = soup_message_headers_get_one (headers, "Authorization");
  if (auth && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    job->bearer = g_strdup (auth + 7);
  job->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, receipt_done_cb, NULL);
  g_task_set_source_tag (task, receipts_cb);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, receipt_thread);
}

/* ---- public API ---- */

/* Takes the receipts of @config's providers on @server; the endpoint must outlive @server's
 * requests (the daemon frees it after the server). */
AqReceiptEndpoint *
aq_receipt_endpoint_new (SoupServer          *server,
                         const char          *conninfo,
                         const AqRelayConfig *config)
{
  AqReceiptEndpoint *self = g_new0 (AqReceiptEndpoint, 1);
  g_autoptr(GHashTable) taken = g_hash_table_new (g_str_hash, g_str_equal);

  self->server = g_object_ref (server);
  self->conninfo = g_strdup (conninfo);
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           (GDestroyNotify) endpoint_free);
  for (guint i = 0; i < config->providers->len; i++)
    {
      AqProviderConfig *p = g_ptr_array_index (config->providers, i);
      Endpoint *e = g_new0 (Endpoint, 1);
      g_autoptr(GStrvBuilder) channels = g_strv_builder_new ();

      e->name = g_strdup (p->name);
      e->secret = g_strdup (p->receipt_secret);
      /* the same rule as the relay's: a channel goes to the first provider that lists it */
      for (char **c = p->channels; *c; c++)
        if (!g_hash_table_contains (taken, *c))
          {
            g_hash_table_add (taken, *c);
            g_strv_builder_add (channels, *c);
          }
      e->channels = g_strv_builder_end (channels);
      if (e->secret == NULL)
        g_message ("receipts: [provider.%s] has no receipt-secret: its receipts are refused",
                   e->name);
      g_hash_table_insert (self->endpoints, e->name, e);
    }
  soup_server_add_early_handler (server, "/receipts", early_cb, self, NULL);
  soup_server_add_handler (server, "/receipts", receipts_cb, self, NULL);
  return self;
}

void
aq_receipt_endpoint_free (AqReceiptEndpoint *self)
{
  if (self == NULL)
    return;
  soup_server_remove_handler (self->server, "/receipts");
  g_object_unref (self->server);
  g_hash_table_unref (self->endpoints);
  g_free (self->conninfo);
  g_free (self);
}

void
aq_receipt_endpoint_append_metrics (AqReceiptEndpoint *self,
                                    GString           *text)
{
  static const struct { const char *name, *help; gsize offset; } counters[] = {
    { "received", "Receipts pushed by a provider, duplicates included.",
      G_STRUCT_OFFSET (ReceiptStats, received) },
    { "duplicate", "Receipts seen before and ignored.",
      G_STRUCT_OFFSET (ReceiptStats, duplicate) },
    { "unknown", "Receipts for no known message (answered 404 so the provider retries).",
      G_STRUCT_OFFSET (ReceiptStats, unknown) },
    { "invalid", "Receipts with a malformed or oversized body (answered 400, 413 or 422).",
      G_STRUCT_OFFSET (ReceiptStats, invalid) },
    { "refused", "Receipts not signed with the provider's secret, or for another provider's "
      "message (answered 401 or 403).", G_STRUCT_OFFSET (ReceiptStats, refused) },
    { "pending", "Receipts for messages not sent yet, kept until they are (answered 202).",
      G_STRUCT_OFFSET (ReceiptStats, pending) },
  };

  for (guint k = 0; k < G_N_ELEMENTS (counters); k++)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_string_append_printf (text, "# HELP aqueduct_notify_receipts_%s_total %s\n"
                              "# TYPE aqueduct_notify_receipts_%s_total counter\n",
                              counters[k].name, counters[k].help, counters[k].name);
      g_hash_table_iter_init (&iter, self->endpoints);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_string_append_printf (text, "aqueduct_notify_receipts_%s_total{provider=\"%s\"} %"
                                G_GUINT64_FORMAT "\n", counters[k].name, (char *) key,
                                G_STRUCT_MEMBER (guint64, &((Endpoint *) value)->stats,
                                                 counters[k].offset));
    }
}

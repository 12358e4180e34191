/* aq-provider.c — one configured provider: its HTTP session, rate limit and queue
 *
 * Messages wait in a queue until the token bucket and the concurrency limit let them go, then
 * are posted asynchronously, each with its own deadline (a hung provider must not hold a lease
 * forever). Every request carries the message's idempotency key as the Idempotency-Key header,
 * and each kind also puts it in the body, so a resend after a crash is recognisable.
 * The answer is classified here: transport errors, timeouts, 408, 429 and 5xx are worth a
 * later attempt; other non-2xx refuse the message for good; a 2xx is the kind's to read.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib/gi18n.h>

#include "aq-provider.h"

#include <libsoup/soup.h>

#include "aq-provider-kind.h"
#include "aq-token-bucket.h"

const double aq_latency_bounds[AQ_LATENCY_BUCKETS] = {
  0.01, 0.05, 0.1, 0.5, 1, 5, 30, 300, G_MAXDOUBLE
};

struct _AqProvider
{
  GObject                 parent_instance;
  const AqProviderConfig *config;   /* owned by the relay's configuration */
  const AqProviderKind   *kind;
  GUri                   *uri;
  SoupSession            *session;
  AqTokenBucket           bucket;
  GQueue                  waiting;
  guint                   in_flight;
  guint                   wake_id;
  AqProviderDoneFunc      done;
  gpointer                done_data;
  AqProviderStats         stats;
};

G_DEFINE_FINAL_TYPE (AqProvider, aq_provider, G_TYPE_OBJECT)

typedef struct
{
  AqProvider   *self;
  AqOutMessage *m;
  SoupMessage  *msg;
  GCancellable *deadline;
  guint         deadline_id;
  gboolean      timed_out;
} Request;

static void pump (AqProvider *self);

/* ---- auxiliary methods ---- */

static void
request_free (Request *r)
{
  if (r->deadline_id)
    g_source_remove (r->deadline_id);
  g_clear_object (&r->msg);
  g_clear_object (&r->deadline);
  g_clear_object (&r->self);
  g_free (r);
}

static char *
body_excerpt (GBytes *body)
{
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  g_autofree char *text = data ? g_strndup (data, MIN (len, 200)) : g_strdup ("");

  return g_utf8_make_valid (text, -1);
}

/* ---- callbacks ---- */

static gboolean
deadline_cb (gpointer user_data)
{
  Request *r = user_data;

  r->deadline_id = 0;
  r->timed_out = TRUE;
  g_cancellable_cancel (r->deadline);
  return G_SOURCE_REMOVE;
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *r = user_data;
  AqProvider *self = r->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  g_autofree char *provider_msg_id = NULL;
  g_autofree char *reason = NULL;
  AqSendOutcome outcome;
  guint status;

  if (body == NULL)
    {
      outcome = AQ_SEND_RETRY;
      if (r->timed_out)
        reason = g_strdup_printf (_("%s: no answer within %g s"), self->config->name,
                                  self->config->timeout);
      else
        reason = g_strdup_printf ("%s: %s", self->config->name, error->message);
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (status = soup_message_get_status (r->msg)))
    {
      g_autofree char *refusal = NULL;

      outcome = self->kind->decode (self->config, body, &provider_msg_id, &refusal);
      if (refusal)
        reason = g_strdup_printf ("%s: %s", self->config->name, refusal);
    }
  else
    {
      g_autofree char *excerpt = body_excerpt (body);

      outcome = (status >= 500 || status == 408 || status == 429) ? AQ_SEND_RETRY : AQ_SEND_FAIL;
      reason = g_strdup_printf ("%s: HTTP %u %s", self->config->name, status, excerpt);
    }

  self->in_flight--;
  self->done (self, g_steal_pointer (&r->m), outcome, provider_msg_id, reason, self->done_data);
  pump (self);
  request_free (r);
}

static gboolean
wake_cb (gpointer user_data)
{
  AqProvider *self = user_data;

  self->wake_id = 0;
  pump (self);
  return G_SOURCE_REMOVE;
}

/* ---- sending ---- */

static void
send_one (AqProvider   *self,
          AqOutMessage *m)
{
  Request *r = g_new0 (Request, 1);
  const char *content_type = NULL;
  g_autoptr(GBytes) body = self->kind->encode (self->config, m, &content_type);
  SoupMessageHeaders *headers;

  r->self = g_object_ref (self);
  r->m = m;
  r->msg = soup_message_new_from_uri ("POST", self->uri);
  /* libsoup opens a new connection for every POST unless told it is safe to resend: ours is,
   * that is what the idempotency key is for. Without this, 2,000 messages a second exhaust
   * the ephemeral ports in TIME_WAIT within seconds and requests stall. */
  soup_message_add_flags (r->msg, SOUP_MESSAGE_IDEMPOTENT);
  r->deadline = g_cancellable_new ();
  r->deadline_id = g_timeout_add ((guint) (self->config->timeout * 1000), deadline_cb, r);
  soup_message_set_request_body_from_bytes (r->msg, content_type, body);
  headers = soup_message_get_request_headers (r->msg);
  soup_message_headers_replace (headers, "Idempotency-Key", m->idempotency_key);
  for (char **h = self->config->headers; *h; h++)
    {
      g_auto(GStrv) pair = g_strsplit (*h, ":", 2);

      soup_message_headers_replace (headers, g_strstrip (pair[0]), g_strstrip (pair[1]));
    }
  self->in_flight++;
  soup_session_send_and_read_async (self->session, r->msg, G_PRIORITY_DEFAULT, r->deadline,
                                    send_cb, r);
}

static void
pump (AqProvider *self)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->waiting) && self->in_flight < self->config->concurrency)
    {
      if (!aq_token_bucket_take (&self->bucket, now))
        {
          if (self->wake_id == 0)
            self->wake_id = g_timeout_add (MAX (1, aq_token_bucket_wait_us (&self->bucket, now)
                                                   / 1000),
                                           wake_cb, self);
          return;
        }
      send_one (self, g_queue_pop_head (&self->waiting));
    }
}

/* ---- GObject overrides ---- */

static void
aq_provider_finalize (GObject *object)
{
  AqProvider *self = AQ_PROVIDER (object);

  g_clear_handle_id (&self->wake_id, g_source_remove);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) aq_out_message_free);
  g_clear_object (&self->session);
  g_clear_pointer (&self->uri, g_uri_unref);

  G_OBJECT_CLASS (aq_provider_parent_class)->finalize (object);
}

static void
aq_provider_class_init (AqProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_provider_finalize;
}

static void
aq_provider_init (AqProvider *self)
{
  g_queue_init (&self->waiting);
}

/* ---- public API ---- */

AqProvider *
aq_provider_new (const AqProviderConfig *config,
                 AqProviderDoneFunc      done,
                 gpointer                user_data)
{
  AqProvider *self = g_object_new (AQ_TYPE_PROVIDER, NULL);

  self->config = config;
  switch (config->type)
    {
    case AQ_PROVIDER_WEBHOOK: self->kind = &aq_provider_kind_webhook; break;
    case AQ_PROVIDER_SMS: self->kind = &aq_provider_kind_sms; break;
    case AQ_PROVIDER_WECHAT: self->kind = &aq_provider_kind_wechat; break;
    default: g_assert_not_reached ();
    }
  self->uri = g_uri_parse (config->url, SOUP_HTTP_URI_FLAGS, NULL);
  g_assert (self->uri != NULL);  /* checked when the configuration was read */
  self->session = soup_session_new_with_options ("max-conns", config->concurrency,
                                                 "max-conns-per-host", config->concurrency,
                                                 "user-agent", "aqueductd/" AQ_VERSION " ",
                                                 NULL);
  aq_token_bucket_init (&self->bucket, config->rate, g_get_monotonic_time ());
  self->done = done;
  self->done_data = user_data;
  return self;
}

const AqProviderConfig *
aq_provider_get_config (AqProvider *self)
{
  g_return_val_if_fail (AQ_IS_PROVIDER (self), NULL);
  return self->config;
}

AqProviderStats *
aq_provider_get_stats (AqProvider *self)
{
  g_return_val_if_fail (AQ_IS_PROVIDER (self), NULL);
  return &self->stats;
}

/* Queues @m (transfer full) to be posted when the rate limit allows. */
void
aq_provider_push (AqProvider   *self,
                  AqOutMessage *m)
{
  g_return_if_fail (AQ_IS_PROVIDER (self));
  g_queue_push_tail (&self->waiting, m);
  pump (self);
}

/* The messages not posted yet (transfer full): a stopping relay gives their leases back. */
GList *
aq_provider_take_waiting (AqProvider *self)
{
  GList *list;

  g_return_val_if_fail (AQ_IS_PROVIDER (self), NULL);
  list = self->waiting.head;
  g_queue_init (&self->waiting);
  return list;
}

guint
aq_provider_get_in_flight (AqProvider *self)
{
  g_return_val_if_fail (AQ_IS_PROVIDER (self), 0);
  return self->in_flight;
}

guint
aq_provider_get_waiting (AqProvider *self)
{
  g_return_val_if_fail (AQ_IS_PROVIDER (self), 0);
  return self->waiting.length;
}

void
aq_provider_observe_latency (AqProvider *self,
                             double      seconds)
{
  g_return_if_fail (AQ_IS_PROVIDER (self));
  for (guint i = 0; i < AQ_LATENCY_BUCKETS; i++)
    if (seconds <= aq_latency_bounds[i])
      self->stats.latency_buckets[i]++;
  self->stats.latency_sum += seconds;
  self->stats.latency_count++;
}

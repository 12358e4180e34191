/* aq-quality-alerts.c — aqueductd sending the quality alerts to the data team
 *
 * A quality run writes one alert when a rule starts failing and one when it passes again
 * (meta.quality_alert, see aq-quality-run.c). This sender, configured by [quality-alerts] in
 * aqueductd.conf, posts each of them once to the data team's channel: a webhook (JSON with
 * the rule, the kind, the text and the idempotency key, which also goes as the Idempotency-Key
 * header) or a WeChat Work (企业微信) group robot ({"msgtype": "text", …}, answered with
 * errcode 0). It runs on a thread of its own with its own connection and HTTP session: claim
 * the due alerts (locked, so two daemons never send one twice), send, record, commit. A 5xx,
 * a timeout or a refused connection is tried again after a growing wait; a 4xx (other than
 * 408 and 429) or the last allowed attempt gives up and keeps the error on the row. The HTTP
 * post itself and what counts as worth another attempt are core's (aq-webhook.c), shared with
 * the scheduler's dashboard deliveries.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-quality-alerts.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "aq-config-key.h"
#include "aq-webhook.h"
#include "aqueduct-core.h"

struct _AqQualityAlerts
{
  /* configuration, fixed once started */
  char     *url;
  AqWebhookChannel channel;
  char    **headers;
  double    timeout;
  guint     poll_interval_ms;
  guint     batch_size;
  guint     max_attempts;
  guint     backoff_base_ms;
  guint     backoff_cap_ms;
  char     *conninfo;

  GThread  *thread;
  GMutex    lock;
  GCond     cond;
  gboolean  stopping;

  /* counters, atomic */
  gint      sent;
  gint      retried;
  gint      given_up;
};

/* ---- auxiliary methods ---- */

static GBytes *
encode (AqQualityAlerts      *self,
        const AqQualityAlert *alert)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  char *text;

  if (self->channel == AQ_WEBHOOK_WECOM)
    return aq_webhook_wecom_text (alert->body);
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, alert->kind);
  json_builder_set_member_name (b, "rule");
  json_builder_add_string_value (b, alert->rule_name);
  json_builder_set_member_name (b, "run_id");
  json_builder_add_int_value (b, alert->run_id);
  json_builder_set_member_name (b, "text");
  json_builder_add_string_value (b, alert->body);
  json_builder_set_member_name (b, "idempotency_key");
  json_builder_add_string_value (b, alert->idempotency_key);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  text = json_to_string (root, FALSE);
  return g_bytes_new_take (text, strlen (text));
}

static AqWebhookOutcome
send_one (AqQualityAlerts      *self,
          SoupSession          *session,
          const AqQualityAlert *alert,
          char                **failure)
{
  g_autoptr(GBytes) body = encode (self, alert);

  return aq_webhook_post (session, self->url, self->channel,
                          (const char * const *) self->headers, alert->idempotency_key, body,
                          NULL, failure);
}

static guint
backoff_ms (AqQualityAlerts *self,
            int              attempts)
{
  guint64 wait = self->backoff_base_ms;

  for (int i = 0; i < attempts && wait < self->backoff_cap_ms; i++)
    wait *= 2;
  return (guint) MIN (wait, (guint64) self->backoff_cap_ms);
}

/* Claims the due alerts, sends each, records; returns how many were claimed. */
static int
deliver (AqQualityAlerts *self,
         AqDb            *db,
         SoupSession     *session,
         GError         **error)
{
  g_autoptr(GPtrArray) alerts = aq_quality_alerts_claim (db, self->batch_size, error);

  if (alerts == NULL)
    return -1;
  for (guint i = 0; i < alerts->len; i++)
    {
      AqQualityAlert *alert = g_ptr_array_index (alerts, i);
      g_autofree char *failure = NULL;
      AqWebhookOutcome outcome = send_one (self, session, alert, &failure);
      gboolean give_up = outcome == AQ_WEBHOOK_FAILED
                         || (guint) alert->attempts + 1 >= self->max_attempts;

      if (outcome == AQ_WEBHOOK_SENT)
        g_atomic_int_inc (&self->sent);
      else if (give_up)
        {
          g_atomic_int_inc (&self->given_up);
          g_warning ("quality alert %" G_GINT64_FORMAT " (%s): giving up: %s", alert->alert_id,
                     alert->rule_name, failure);
        }
      else
        g_atomic_int_inc (&self->retried);
      if (!aq_quality_alert_record (db, alert, outcome == AQ_WEBHOOK_SENT, failure,
                                    backoff_ms (self, alert->attempts), give_up, error))
        {
          aq_db_rollback (db);
          return -1;
        }
    }
  if (!aq_db_commit (db, error))
    return -1;
  return (int) alerts->len;
}

static gpointer
sender_thread (gpointer data)
{
  AqQualityAlerts *self = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(AqDb) db = NULL;

  g_main_context_push_thread_default (context);
  session = aq_webhook_session_new (self->timeout, "aqueductd/" AQ_VERSION " ");
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      int claimed = 0;
      gint64 until;

      g_mutex_lock (&self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);

      if (db == NULL || !aq_db_is_ok (db))
        {
          g_clear_object (&db);
          db = aq_connection_open (self->conninfo, &error);
        }
      if (db != NULL)
        claimed = deliver (self, db, session, &error);
      if (error != NULL)
        g_warning ("quality alerts: %s", error->message);

      /* a full batch: more may be waiting, go on at once */
      if (claimed >= (int) self->batch_size)
        continue;
      g_mutex_lock (&self->lock);
      until = g_get_monotonic_time () + (gint64) self->poll_interval_ms * 1000;
      while (!self->stopping)
        if (!g_cond_wait_until (&self->cond, &self->lock, until))
          break;
      g_mutex_unlock (&self->lock);
    }
  g_main_context_pop_thread_default (context);
  return NULL;
}

/* ---- public API ---- */

AqQualityAlerts *
aq_quality_alerts_new (void)
{
  AqQualityAlerts *self = g_new0 (AqQualityAlerts, 1);

  self->timeout = 10;
  self->poll_interval_ms = 5000;
  self->batch_size = 20;
  self->max_attempts = 8;
  self->backoff_base_ms = 1000;
  self->backoff_cap_ms = 600000;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  return self;
}

void
aq_quality_alerts_free (AqQualityAlerts *self)
{
  if (self == NULL)
    return;
  aq_quality_alerts_stop (self);
  g_free (self->url);
  g_strfreev (self->headers);
  g_free (self->conninfo);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

gboolean
aq_quality_alerts_load_config (AqQualityAlerts  *self,
                               GKeyFile         *kf,
                               const char       *path,
                               GError          **error)
{
  static const char G[] = "quality-alerts";
  g_autofree char *url = g_key_file_get_string (kf, G, "url", NULL);
  g_autofree char *type = g_key_file_get_string (kf, G, "type", NULL);

  if (url == NULL)
    return TRUE;
  if (!aq_webhook_channel_parse (type, &self->channel))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "%s: [quality-alerts] type must be webhook or wecom (got “%s”)", path, type);
      return FALSE;
    }
  if (!aq_webhook_url_valid (url))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "%s: [quality-alerts] url must be http:// or https:// (got “%s”)", path, url);
      return FALSE;
    }
  g_free (self->url);
  self->url = g_steal_pointer (&url);
  g_strfreev (self->headers);
  self->headers = g_key_file_get_string_list (kf, G, "headers", NULL, NULL);
  return aq_config_key_get_double (kf, path, G, "timeout", 0.1, 300, &self->timeout, error)
         && aq_config_key_get_uint (kf, path, G, "poll-interval-ms", 10, 3600000,
                                    &self->poll_interval_ms, error)
         && aq_config_key_get_uint (kf, path, G, "batch-size", 1, 1000, &self->batch_size, error)
         && aq_config_key_get_uint (kf, path, G, "max-attempts", 1, 100, &self->max_attempts,
                                    error)
         && aq_config_key_get_uint (kf, path, G, "backoff-base-ms", 1, 3600000,
                                    &self->backoff_base_ms, error)
         && aq_config_key_get_uint (kf, path, G, "backoff-cap-ms", 1, 86400000,
                                    &self->backoff_cap_ms, error);
}

void
aq_quality_alerts_start (AqQualityAlerts *self,
                         const char      *conninfo)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->thread == NULL);

  if (self->url == NULL)
    return;
  g_free (self->conninfo);
  self->conninfo = g_strdup (conninfo);
  self->stopping = FALSE;
  self->thread = g_thread_new ("quality-alerts", sender_thread, self);
}

void
aq_quality_alerts_stop (AqQualityAlerts *self)
{
  g_return_if_fail (self != NULL);

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);
  self->thread = NULL;
}

void
aq_quality_alerts_append_metrics (AqQualityAlerts *self,
                                  GString         *text)
{
  if (self->url == NULL)
    return;
  g_string_append_printf (text,
                          "# TYPE aqueduct_quality_alerts_total counter\n"
                          "aqueduct_quality_alerts_total{outcome=\"sent\"} %d\n"
                          "aqueduct_quality_alerts_total{outcome=\"retried\"} %d\n"
                          "aqueduct_quality_alerts_total{outcome=\"given_up\"} %d\n",
                          g_atomic_int_get (&self->sent), g_atomic_int_get (&self->retried),
                          g_atomic_int_get (&self->given_up));
}

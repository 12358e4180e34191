/* aq-relay.c — the outbox relay: claim, post, record
 *
 * All bookkeeping happens on the main context; the warehouse is touched by one worker task at
 * a time on the relay's own connection, so claims and writes never stall the HTTP server.
 * Results are collected while a statement runs and written together by the next one, which
 * batches them by itself under load. A claimed message is in one of three places: waiting in
 * its provider's queue, in flight, or a result not yet written; the next batch is claimed when
 * fewer than a batch are outstanding, so at most two batches are leased at once.
 *
 * Delivery is at least once: a relay killed between the provider's 200 and our write leaves
 * the lease to run out, and the next claimant posts the message again with the same
 * idempotency key, which is what lets the provider drop the copy. The statements are core's
 * (src/core/notify/aq-outbox.c): the daemon holds no SQL.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib/gi18n.h>

#include "aq-relay.h"

#include <math.h>
#include <unistd.h>

#include "aqueduct-core.h"
#include "aq-provider.h"
#include "aq-outbox.h"

typedef enum
{
  STATE_IDLE,
  STATE_RUNNING,
  STATE_STOPPING,
  STATE_STOPPED,
} RelayState;

struct _AqRelay
{
  GObject        parent_instance;
  char          *conninfo;
  AqRelayConfig *config;
  char          *owner;
  GPtrArray     *providers;       /* AqProvider */
  GHashTable    *by_channel;      /* channel → AqProvider (borrowed) */
  GStrv          channels;

  AqDb          *db;              /* only the one running task touches it */
  gboolean       db_busy;
  GPtrArray     *outcomes;        /* AqOutcome waiting to be written */
  guint          outstanding;     /* claimed: waiting at a provider or in flight */
  guint          poll_id;         /* the next claim, after a short one */
  guint          pause_id;        /* after a warehouse error: nothing until it fires */
  RelayState     state;
  GTask         *stop_task;

  gboolean       warehouse_ok;
  char          *last_error;
  gint64         last_claim_at;   /* real time */
  gint64         queue_depth;
  gint64         depth_at;        /* monotonic */
  guint64        claims;
  guint64        warehouse_errors;
};

G_DEFINE_FINAL_TYPE (AqRelay, aq_relay, G_TYPE_OBJECT)

typedef enum
{
  JOB_CLAIM,
  JOB_RECORD,
} JobKind;

typedef struct
{
  JobKind    kind;
  char      *owner;
  guint      lease_seconds;
  guint      limit;
  GStrv      channels;
  gboolean   measure_depth;
  GPtrArray *outcomes;   /* JOB_RECORD */
  GPtrArray *messages;   /* JOB_CLAIM result */
  gint64     depth;      /* -1: not measured */
  gint64     started_us;
} Job;

static void kick (AqRelay *self);

/* ---- auxiliary methods ---- */

static void
job_free (Job *job)
{
  g_free (job->owner);
  g_strfreev (job->channels);
  g_clear_pointer (&job->outcomes, g_ptr_array_unref);
  g_clear_pointer (&job->messages, g_ptr_array_unref);
  g_free (job);
}

static const char *
state_name (RelayState state)
{
  switch (state)
    {
    case STATE_IDLE: return "idle";
    case STATE_RUNNING: return "running";
    case STATE_STOPPING: return "stopping";
    case STATE_STOPPED: return "stopped";
    default: g_assert_not_reached ();
    }
}

/* Full jitter: anywhere between now and the exponential bound, so relays that failed
 * together do not come back together. */
static guint
backoff_ms (AqRelay *self,
            int      attempts)
{
  double bound = self->config->backoff_base_ms * pow (2.0, MAX (0, attempts - 1));

  bound = MIN (bound, (double) self->config->backoff_cap_ms);
  return (guint) (g_random_double () * bound);
}

static void
add_outcome (AqRelay       *self,
             gint64         message_id,
             AqOutcomeKind  kind,
             const char    *provider,
             const char    *provider_msg_id,
             char          *error)   /* transfer full */
{
  AqOutcome *o = g_new0 (AqOutcome, 1);

  o->message_id = message_id;
  o->kind = kind;
  o->provider = g_strdup (provider);
  o->provider_msg_id = g_strdup (provider_msg_id);
  o->error = error;
  g_ptr_array_add (self->outcomes, o);
}

static void
note_error (AqRelay      *self,
            const GError *error)
{
  self->warehouse_ok = FALSE;
  self->warehouse_errors++;
  /* the same error every poll interval is one line in the journal, not thousands */
  if (g_strcmp0 (self->last_error, error->message) != 0)
    g_warning ("relay: warehouse: %s", error->message);
  g_free (self->last_error);
  self->last_error = g_strdup (error->message);
}

static void
finish_stop (AqRelay *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->stop_task);

  self->state = STATE_STOPPED;
  g_message ("relay: stopped, every lease given back or settled");
  if (task)
    g_task_return_boolean (task, TRUE);
}

/* ---- the warehouse side (worker thread) ---- */

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  AqRelay *self = source_object;
  Job *job = task_data;
  g_autoptr(GError) error = NULL;

  if (self->db != NULL && !aq_db_is_ok (self->db))
    g_clear_object (&self->db);
  if (self->db == NULL)
    self->db = aq_connection_open (self->conninfo, &error);
  if (self->db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (job->kind == JOB_RECORD)
    {
      if (!aq_outbox_record (self->db, job->owner, job->outcomes, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    {
      job->messages = aq_outbox_claim (self->db, job->owner, job->lease_seconds, job->limit,
                                       (const char * const *) job->channels, &error);
      if (job->messages == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      job->depth = -1;
      if (job->measure_depth && !aq_outbox_queue_depth (self->db, &job->depth, NULL))
        job->depth = -1;
    }
  g_task_return_boolean (task, TRUE);
}

/* ---- callbacks ---- */

static gboolean
poll_cb (gpointer user_data)
{
  AqRelay *self = user_data;

  self->poll_id = 0;
  kick (self);
  return G_SOURCE_REMOVE;
}

static gboolean
pause_cb (gpointer user_data)
{
  AqRelay *self = user_data;

  self->pause_id = 0;
  kick (self);
  return G_SOURCE_REMOVE;
}

static void
provider_done_cb (AqProvider    *provider,
                  AqOutMessage  *m,
                  AqSendOutcome  outcome,
                  const char    *provider_msg_id,
                  const char    *error,
                  gpointer       user_data)
{
  g_autoptr(AqOutMessage) msg = m;
  AqRelay *self = user_data;
  AqProviderStats *stats = aq_provider_get_stats (provider);
  const char *name = aq_provider_get_config (provider)->name;

  self->outstanding--;
  if (outcome == AQ_SEND_OK)
    {
      stats->sent++;
      aq_provider_observe_latency (provider, msg->due_age
                                   + (g_get_monotonic_time () - msg->claimed_us) / 1e6);
      add_outcome (self, msg->message_id, AQ_OUTCOME_SENT, name, provider_msg_id, NULL);
    }
  else if (outcome == AQ_SEND_RETRY && msg->attempts < (int) self->config->max_attempts)
    {
      AqOutcome *o;

      stats->retried++;
      g_debug ("relay: message %" G_GINT64_FORMAT " attempt %d: %s", msg->message_id,
               msg->attempts, error);
      add_outcome (self, msg->message_id, AQ_OUTCOME_RETRY, name, NULL, g_strdup (error));
      o = g_ptr_array_index (self->outcomes, self->outcomes->len - 1);
      o->delay_ms = backoff_ms (self, msg->attempts);
    }
  else
    {
      char *reason = outcome == AQ_SEND_RETRY
                     ? g_strdup_printf (_("gave up after %d attempts: %s"), msg->attempts, error)
                     : g_strdup (error);

      stats->failed++;
      g_message ("relay: message %" G_GINT64_FORMAT " failed: %s", msg->message_id, reason);
      add_outcome (self, msg->message_id, AQ_OUTCOME_FAILED, name, NULL, reason);
    }
  kick (self);
}

static void
dispatch (AqRelay   *self,
          GPtrArray *messages)
{
  /* the counts at claim time miss this batch's own earlier messages to the same person */
  g_autoptr(GHashTable) in_batch = g_hash_table_new (g_str_hash, g_str_equal);
  guint limit = self->config->recipient_daily_limit;

  /* the providers take over the messages that go out */
  g_ptr_array_set_free_func (messages, NULL);
  for (guint i = 0; i < messages->len; i++)
    {
      AqOutMessage *m = g_ptr_array_index (messages, i);
      AqProvider *provider = g_hash_table_lookup (self->by_channel, m->channel);
      AqProviderStats *stats = aq_provider_get_stats (provider);
      guint earlier = GPOINTER_TO_UINT (g_hash_table_lookup (in_batch, m->recipient));

      stats->claimed++;
      if (limit > 0 && m->sent_today + earlier >= limit)
        {
          stats->failed++;
          add_outcome (self, m->message_id, AQ_OUTCOME_FAILED,
                       aq_provider_get_config (provider)->name, NULL,
                       g_strdup_printf (_("daily limit: %u messages to this recipient today "
                                        "already ([limits] recipient-daily-limit=%u)"),
                                        (guint) (m->sent_today + earlier), limit));
          aq_out_message_free (m);
          continue;
        }
      g_hash_table_insert (in_batch, m->recipient, GUINT_TO_POINTER (earlier + 1));
      self->outstanding++;
      aq_provider_push (provider, m);
    }
  g_ptr_array_set_size (messages, 0);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  AqRelay *self = AQ_RELAY (object);
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->db_busy = FALSE;
  g_debug ("relay: %s of %u took %.1f ms", job->kind == JOB_CLAIM ? "claim" : "record",
           job->kind == JOB_CLAIM ? job->limit : job->outcomes->len,
           (g_get_monotonic_time () - job->started_us) / 1e3);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      note_error (self, error);
      if (job->kind == JOB_RECORD)
        {
          if (self->state == STATE_STOPPING)
            g_warning ("relay: stopping without writing %u results: their leases run out "
                       "and the messages are posted again, with the same keys",
                       job->outcomes->len);
          else
            {
              /* put them back, in front of newer ones */
              g_ptr_array_extend_and_steal (job->outcomes, g_steal_pointer (&self->outcomes));
              self->outcomes = g_steal_pointer (&job->outcomes);
            }
        }
      g_clear_handle_id (&self->pause_id, g_source_remove);
      self->pause_id = g_timeout_add (MAX (1000, self->config->poll_interval_ms), pause_cb, self);
      kick (self);
      return;
    }

  self->warehouse_ok = TRUE;
  if (job->kind == JOB_CLAIM)
    {
      guint claimed = job->messages->len;

      self->claims++;
      self->last_claim_at = g_get_real_time ();
      if (job->depth >= 0)
        {
          self->queue_depth = job->depth;
          self->depth_at = g_get_monotonic_time ();
        }
      if (claimed > 0)
        g_debug ("relay: claimed %u", claimed);
      if (self->state == STATE_STOPPING)
        {
          /* the stop came while this claim ran: the batch goes straight back */
          for (guint i = 0; i < claimed; i++)
            {
              AqOutMessage *m = g_ptr_array_index (job->messages, i);

              add_outcome (self, m->message_id, AQ_OUTCOME_RELEASE, NULL, NULL, NULL);
            }
          kick (self);
          return;
        }
      dispatch (self, job->messages);
      /* a short batch means the due messages are used up: wait before asking again */
      if (claimed < job->limit && self->poll_id == 0)
        self->poll_id = g_timeout_add (self->config->poll_interval_ms, poll_cb, self);
    }
  kick (self);
}

static void
run_job (AqRelay *self,
         Job     *job)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, job_done_cb, NULL);

  g_task_set_source_tag (task, run_job);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  job->started_us = g_get_monotonic_time ();
  self->db_busy = TRUE;
  g_task_run_in_thread (task, job_thread);
}

/* Starts the next piece of warehouse work, if any is due: results first, then a claim. */
static void
kick (AqRelay *self)
{
  Job *job;

  if (self->db_busy || self->pause_id != 0 || self->state == STATE_STOPPED)
    {
      /* a stop waits for the pause too, unless there is nothing left to write */
      if (self->state == STATE_STOPPING && !self->db_busy && self->outstanding == 0)
        {
          if (self->outcomes->len > 0)
            g_warning ("relay: stopping without writing %u results (warehouse unreachable)",
                       self->outcomes->len);
          finish_stop (self);
        }
      return;
    }
  if (self->outcomes->len > 0)
    {
      job = g_new0 (Job, 1);
      job->kind = JOB_RECORD;
      job->owner = g_strdup (self->owner);
      job->outcomes = g_steal_pointer (&self->outcomes);
      self->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_outcome_free);
      run_job (self, job);
      return;
    }
  if (self->state == STATE_STOPPING)
    {
      if (self->outstanding == 0)
        finish_stop (self);
      return;
    }
  if (self->state != STATE_RUNNING || self->poll_id != 0
      || self->outstanding >= self->config->batch_size)
    return;

  job = g_new0 (Job, 1);
  job->kind = JOB_CLAIM;
  job->owner = g_strdup (self->owner);
  job->lease_seconds = self->config->lease_seconds;
  job->limit = self->config->batch_size;
  job->channels = g_strdupv (self->channels);
  job->measure_depth = g_get_monotonic_time () - self->depth_at > G_USEC_PER_SEC;
  run_job (self, job);
}

/* ---- GObject overrides ---- */

static void
aq_relay_finalize (GObject *object)
{
  AqRelay *self = AQ_RELAY (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_handle_id (&self->pause_id, g_source_remove);
  g_clear_pointer (&self->by_channel, g_hash_table_unref);
  g_clear_pointer (&self->providers, g_ptr_array_unref);
  g_clear_pointer (&self->outcomes, g_ptr_array_unref);
  g_clear_pointer (&self->config, aq_relay_config_free);
  g_clear_object (&self->db);
  g_strfreev (self->channels);
  g_free (self->conninfo);
  g_free (self->owner);
  g_free (self->last_error);

  G_OBJECT_CLASS (aq_relay_parent_class)->finalize (object);
}

static void
aq_relay_class_init (AqRelayClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_relay_finalize;
}

static void
aq_relay_init (AqRelay *self)
{
  self->outcomes = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_outcome_free);
  self->providers = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_channel = g_hash_table_new (g_str_hash, g_str_equal);
  self->depth_at = G_MININT64 / 2;
}

/* ---- public API ---- */

/* Takes @config. A channel goes to the first provider that lists it. */
AqRelay *
aq_relay_new (const char    *conninfo,
              AqRelayConfig *config)
{
  AqRelay *self = g_object_new (AQ_TYPE_RELAY, NULL);
  g_autoptr(GStrvBuilder) channels = g_strv_builder_new ();

  self->conninfo = g_strdup (conninfo);
  self->config = config;
  if (config->owner)
    self->owner = g_strdup (config->owner);
  else
    self->owner = g_strdup_printf ("%s:%d", g_get_host_name (), (int) getpid ());

  for (guint i = 0; i < config->providers->len; i++)
    {
      AqProviderConfig *pc = g_ptr_array_index (config->providers, i);
      AqProvider *provider = aq_provider_new (pc, provider_done_cb, self);

      g_ptr_array_add (self->providers, provider);
      for (char **c = pc->channels; *c; c++)
        if (!g_hash_table_contains (self->by_channel, *c))
          {
            g_hash_table_insert (self->by_channel, *c, provider);
            g_strv_builder_add (channels, *c);
          }
    }
  self->channels = g_strv_builder_end (channels);
  return self;
}

void
aq_relay_start (AqRelay *self)
{
  g_autofree char *channels = NULL;

  g_return_if_fail (AQ_IS_RELAY (self));
  g_return_if_fail (self->state == STATE_IDLE);

  if (self->providers->len == 0)
    {
      g_message ("relay: no [provider.…] configured, not relaying");
      return;
    }
  channels = g_strjoinv (",", self->channels);
  self->state = STATE_RUNNING;
  g_message ("relay: running as %s, channels %s", self->owner, channels);
  kick (self);
}

/* Stops claiming, gives back the leases of what was not posted yet, lets the requests in
 * flight finish (each within its provider's timeout) and writes their results. */
void
aq_relay_stop_async (AqRelay             *self,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_return_if_fail (AQ_IS_RELAY (self));
  g_task_set_source_tag (task, aq_relay_stop_async);

  if (self->state != STATE_RUNNING)
    {
      self->state = STATE_STOPPED;
      g_task_return_boolean (task, TRUE);
      return;
    }
  self->state = STATE_STOPPING;
  self->stop_task = g_steal_pointer (&task);
  g_clear_handle_id (&self->poll_id, g_source_remove);
  for (guint i = 0; i < self->providers->len; i++)
    {
      AqProvider *provider = g_ptr_array_index (self->providers, i);
      GList *waiting = aq_provider_take_waiting (provider);

      for (GList *l = waiting; l; l = l->next)
        {
          AqOutMessage *m = l->data;

          add_outcome (self, m->message_id, AQ_OUTCOME_RELEASE, NULL, NULL, NULL);
          self->outstanding--;
        }
      g_list_free_full (waiting, (GDestroyNotify) aq_out_message_free);
    }
  g_message ("relay: stopping: %u requests in flight, %u leases to give back",
             self->outstanding, self->outcomes->len);
  kick (self);
}

gboolean
aq_relay_stop_finish (AqRelay       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
aq_relay_get_state (AqRelay *self)
{
  g_return_val_if_fail (AQ_IS_RELAY (self), NULL);
  if (self->state == STATE_IDLE && self->providers->len == 0)
    return "disabled";
  return state_name (self->state);
}

const char *
aq_relay_get_owner (AqRelay *self)
{
  g_return_val_if_fail (AQ_IS_RELAY (self), NULL);
  return self->owner;
}

/* The relay's members of the /healthz answer. */
void
aq_relay_describe (AqRelay     *self,
                   JsonBuilder *b)
{
  guint in_flight = 0, waiting = 0;

  g_return_if_fail (AQ_IS_RELAY (self));
  for (guint i = 0; i < self->providers->len; i++)
    {
      in_flight += aq_provider_get_in_flight (g_ptr_array_index (self->providers, i));
      waiting += aq_provider_get_waiting (g_ptr_array_index (self->providers, i));
    }
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, aq_relay_get_state (self));
  json_builder_set_member_name (b, "owner");
  json_builder_add_string_value (b, self->owner);
  json_builder_set_member_name (b, "warehouse_ok");
  json_builder_add_boolean_value (b, self->warehouse_ok);
  json_builder_set_member_name (b, "in_flight");
  json_builder_add_int_value (b, in_flight);
  json_builder_set_member_name (b, "waiting");
  json_builder_add_int_value (b, waiting);
  json_builder_set_member_name (b, "queue_depth");
  json_builder_add_int_value (b, self->queue_depth);
  if (self->last_claim_at)
    {
      json_builder_set_member_name (b, "last_claim_seconds_ago");
      json_builder_add_double_value (b, (g_get_real_time () - self->last_claim_at) / 1e6);
    }
  if (self->last_error)
    {
      json_builder_set_member_name (b, "last_error");
      json_builder_add_string_value (b, self->last_error);
    }
  json_builder_end_object (b);
}

void
aq_relay_append_metrics (AqRelay *self,
                         GString *text)
{
  static const struct { const char *name, *help; gsize offset; } counters[] = {
    { "claimed", "Outbox messages claimed (leased) for a provider.",
      G_STRUCT_OFFSET (AqProviderStats, claimed) },
    { "sent", "Messages a provider accepted.", G_STRUCT_OFFSET (AqProviderStats, sent) },
    { "failed", "Messages given up on (refused, out of attempts, over the daily limit).",
      G_STRUCT_OFFSET (AqProviderStats, failed) },
    { "retried", "Attempts that failed and were scheduled again.",
      G_STRUCT_OFFSET (AqProviderStats, retried) },
  };

  g_return_if_fail (AQ_IS_RELAY (self));
  for (guint k = 0; k < G_N_ELEMENTS (counters); k++)
    {
      g_string_append_printf (text, "# HELP aqueduct_notify_messages_%s_total %s\n"
                              "# TYPE aqueduct_notify_messages_%s_total counter\n",
                              counters[k].name, counters[k].help, counters[k].name);
      for (guint i = 0; i < self->providers->len; i++)
        {
          AqProvider *p = g_ptr_array_index (self->providers, i);
          AqProviderStats *s = aq_provider_get_stats (p);

          g_string_append_printf (text,
                                  "aqueduct_notify_messages_%s_total{provider=\"%s\"} %"
                                  G_GUINT64_FORMAT "\n", counters[k].name,
                                  aq_provider_get_config (p)->name,
                                  G_STRUCT_MEMBER (guint64, s, counters[k].offset));
        }
    }
  g_string_append (text, "# HELP aqueduct_notify_in_flight Requests waiting for an answer.\n"
                         "# TYPE aqueduct_notify_in_flight gauge\n");
  for (guint i = 0; i < self->providers->len; i++)
    {
      AqProvider *p = g_ptr_array_index (self->providers, i);

      g_string_append_printf (text, "aqueduct_notify_in_flight{provider=\"%s\"} %u\n",
                              aq_provider_get_config (p)->name, aq_provider_get_in_flight (p));
    }
  g_string_append (text, "# HELP aqueduct_notify_relay_latency_seconds From a message being "
                         "due to its provider accepting it.\n"
                         "# TYPE aqueduct_notify_relay_latency_seconds histogram\n");
  for (guint i = 0; i < self->providers->len; i++)
    {
      AqProvider *p = g_ptr_array_index (self->providers, i);
      AqProviderStats *s = aq_provider_get_stats (p);
      const char *name = aq_provider_get_config (p)->name;

      for (guint b = 0; b < AQ_LATENCY_BUCKETS; b++)
        {
          char le[G_ASCII_DTOSTR_BUF_SIZE];

          if (b == AQ_LATENCY_BUCKETS - 1)
            g_strlcpy (le, "+Inf", sizeof le);
          else
            g_ascii_formatd (le, sizeof le, "%g", aq_latency_bounds[b]);
          g_string_append_printf (text, "aqueduct_notify_relay_latency_seconds_bucket"
                                  "{provider=\"%s\",le=\"%s\"} %" G_GUINT64_FORMAT "\n",
                                  name, le, s->latency_buckets[b]);
        }
      g_string_append_printf (text, "aqueduct_notify_relay_latency_seconds_sum{provider=\"%s\"}"
                              " %.6f\n", name, s->latency_sum);
      g_string_append_printf (text, "aqueduct_notify_relay_latency_seconds_count"
                              "{provider=\"%s\"} %" G_GUINT64_FORMAT "\n", name,
                              s->latency_count);
    }
  g_string_append_printf (text,
                          "# HELP aqueduct_notify_queue_depth Messages queued or being sent.\n"
                          "# TYPE aqueduct_notify_queue_depth gauge\n"
                          "aqueduct_notify_queue_depth %" G_GINT64_FORMAT "\n"
                          "# HELP aqueduct_notify_relay_up The relay is running.\n"
                          "# TYPE aqueduct_notify_relay_up gauge\n"
                          "aqueduct_notify_relay_up %d\n"
                          "# HELP aqueduct_notify_warehouse_errors_total Relay statements "
                          "that failed.\n"
                          "# TYPE aqueduct_notify_warehouse_errors_total counter\n"
                          "aqueduct_notify_warehouse_errors_total %" G_GUINT64_FORMAT "\n",
                          self->queue_depth, self->state == STATE_RUNNING,
                          self->warehouse_errors);
}

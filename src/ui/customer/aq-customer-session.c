/* aq-customer-session.c — the Customer 360 panel's own warehouse connection, on its own thread
 *
 * aq_customer_lookup_async() opens a connection per lookup. For a hotline that is the larger
 * part of the wait: a new server process has empty catalog caches and plans every statement
 * again (core prepares them per connection), ~70 ms of a ~85 ms lookup measured under load
 * (tests/bench/bench-customer-panel.c). The session keeps one connection open on one worker
 * thread and runs core's synchronous lookup and reveal there, one job at a time, in order; a
 * job cancelled while queued never runs. A connection that failed, or whose profile changed,
 * is dropped and the next job opens a new one, so a lost warehouse recovers by itself.
 * This holds no SQL: the statements are core's (aq-customer-360.c).
 */
#define G_LOG_DOMAIN "aq-customer-session"

#include "config.h"

#include "aq-customer-session.h"

#include "aq-connection.h"
#include "aq-error.h"

struct _AqCustomerSession
{
  GObject      parent_instance;

  GThreadPool *pool;
  /* owned by the pool's one thread */
  AqDb        *db;
  char        *db_profile;
};

G_DEFINE_FINAL_TYPE (AqCustomerSession, aq_customer_session, G_TYPE_OBJECT)

typedef enum
{
  JOB_LOOKUP,
  JOB_REVEAL,
} JobKind;

typedef struct
{
  JobKind        kind;
  char          *profile_url;
  AqCustomerKey  key;
  char          *text;        /* the key's text, or the account to reveal */
  AqRole         role;
  char          *actor;
  char          *reason;
} Job;

/* ---- auxiliary methods ---- */

static void
job_free (Job *job)
{
  g_free (job->profile_url);
  g_free (job->text);
  g_free (job->actor);
  g_free (job->reason);
  g_free (job);
}

/* Runs on the pool's thread. */
static AqDb *
ensure_db (AqCustomerSession  *self,
           const char         *profile_url,
           GError            **error)
{
  if (self->db != NULL
      && (g_strcmp0 (self->db_profile, profile_url) != 0 || !aq_db_is_ok (self->db)))
    g_clear_object (&self->db);
  if (self->db == NULL)
    {
      self->db = aq_connection_open (profile_url, error);
      g_free (self->db_profile);
      self->db_profile = g_strdup (profile_url);
    }
  return self->db;
}

/* Input errors leave the connection as good as it was; anything else may not. */
static gboolean
keeps_connection (const GError *error)
{
  return g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID)
         || g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND)
         || g_error_matches (error, AQ_ERROR, AQ_ERROR_PERMISSION);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  g_autoptr(GTask) task = data;
  AqCustomerSession *self = user_data;
  Job *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  AqDb *db;

  if (g_task_return_error_if_cancelled (task))
    return;
  /* a kept connection may have died while idle (a server restart, a network blip): that is
   * no failure of the lookup, which runs again once on a new connection */
  for (guint attempt = 0; attempt < 2; attempt++)
    {
      gboolean reused = self->db != NULL;

      g_clear_error (&error);
      db = ensure_db (self, job->profile_url, &error);
      if (db != NULL && job->kind == JOB_LOOKUP)
        result = aq_customer_lookup (db, job->key, job->text, job->role, job->actor,
                                     cancellable, &error);
      else if (db != NULL)
        result = aq_customer_reveal (db, job->text, AQ_ROLE_SUPERVISOR, job->actor,
                                     job->reason, cancellable, &error);
      if (result != NULL || !reused || !g_error_matches (error, AQ_ERROR, AQ_ERROR_CONNECTION))
        break;
      g_debug ("the kept connection failed (%s): once more on a new one", error->message);
      g_clear_object (&self->db);
    }

  if (result == NULL)
    {
      if (!keeps_connection (error))
        g_clear_object (&self->db);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else if (job->kind == JOB_LOOKUP)
    g_task_return_pointer (task, result, (GDestroyNotify) aq_customer_lookup_free);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) aq_customer_360_free);
}

static void
push (AqCustomerSession   *self,
      Job                 *job,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* the task holds the session, so the thread and its connection outlive every job */
  g_thread_pool_push (self->pool, task, NULL);
}

/* ---- GObject overrides ---- */

static void
aq_customer_session_finalize (GObject *object)
{
  AqCustomerSession *self = AQ_CUSTOMER_SESSION (object);

  /* every task held a reference: the pool is idle here, and its thread lets go of nothing */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_object (&self->db);
  g_clear_pointer (&self->db_profile, g_free);
  G_OBJECT_CLASS (aq_customer_session_parent_class)->finalize (object);
}

static void
aq_customer_session_class_init (AqCustomerSessionClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_customer_session_finalize;
}

static void
aq_customer_session_init (AqCustomerSession *self)
{
  /* one thread, exclusive: the connection is only ever used from it, one job at a time */
  self->pool = g_thread_pool_new (run_job, self, 1, TRUE, NULL);
}

/* ---- public API ---- */

AqCustomerSession *
aq_customer_session_new (void)
{
  return g_object_new (AQ_TYPE_CUSTOMER_SESSION, NULL);
}

/**
 * aq_customer_session_lookup_async:
 * @profile_url: (nullable): the warehouse, resolved as aq_connection_open() does
 *
 * aq_customer_lookup() on the session's connection and thread.
 */
void
aq_customer_session_lookup_async (AqCustomerSession   *self,
                                  const char          *profile_url,
                                  AqCustomerKey        key,
                                  const char          *text,
                                  AqRole               role,
                                  const char          *actor,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (AQ_IS_CUSTOMER_SESSION (self));
  g_return_if_fail (text != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_LOOKUP;
  job->profile_url = g_strdup (profile_url);
  job->key = key;
  job->text = g_strdup (text);
  job->role = role;
  job->actor = g_strdup (actor);
  push (self, job, aq_customer_session_lookup_async, cancellable, callback, user_data);
}

AqCustomerLookup *
aq_customer_session_lookup_finish (AqCustomerSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == aq_customer_session_lookup_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * aq_customer_session_reveal_async:
 * @reason: why; core refuses an empty one and writes it in the audit row
 *
 * aq_customer_reveal() as a supervisor, on the session's connection and thread.
 */
void
aq_customer_session_reveal_async (AqCustomerSession   *self,
                                  const char          *profile_url,
                                  const char          *account_id,
                                  const char          *actor,
                                  const char          *reason,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (AQ_IS_CUSTOMER_SESSION (self));
  g_return_if_fail (account_id != NULL);

  job = g_new0 (Job, 1);
  job->kind = JOB_REVEAL;
  job->profile_url = g_strdup (profile_url);
  job->text = g_strdup (account_id);
  job->actor = g_strdup (actor);
  job->reason = g_strdup (reason);
  push (self, job, aq_customer_session_reveal_async, cancellable, callback, user_data);
}

AqCustomer360 *
aq_customer_session_reveal_finish (AqCustomerSession  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == aq_customer_session_reveal_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

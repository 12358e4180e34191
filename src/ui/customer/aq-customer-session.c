/* aq-customer-session.c — the Customer 360 panel's way to the warehouse
 *
 * A connection per lookup would be the larger part of an agent's wait: a new server process
 * has empty catalog caches and plans every statement again (core prepares them per
 * connection), ~70 ms of a ~85 ms lookup measured under load (tests/bench/bench-customer-panel.c).
 * So the session runs core's synchronous lookup and reveal through aq_db_job_run_async(), on
 * a worker thread with a pooled connection that stays warm between callers; a job cancelled
 * before it starts never runs, and a newer search cancels the older (the panel does). A
 * pooled connection that died while idle (a server restart, a network blip) is replaced and
 * the lookup runs once more on the new one, so a lost warehouse recovers by itself and the
 * agent sees no error. Each job's task holds the session, as its callbacks expect.
 * This holds no SQL: the statements are core's (aq-customer-360.c).
 */
#define G_LOG_DOMAIN "aq-customer-session"

#include "config.h"

#include "aq-customer-session.h"

#include "aq-db-job.h"

struct _AqCustomerSession
{
  GObject parent_instance;
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
  g_free (job->text);
  g_free (job->actor);
  g_free (job->reason);
  g_free (job);
}

/* Runs on a worker thread with a pooled connection. */
static gpointer
run_job (AqDb          *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  Job *job = data;

  if (job->kind == JOB_LOOKUP)
    return aq_customer_lookup (db, job->key, job->text, job->role, job->actor, cancellable,
                               error);
  return aq_customer_reveal (db, job->text, AQ_ROLE_SUPERVISOR, job->actor, job->reason,
                             cancellable, error);
}

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gpointer value = aq_db_job_run_finish (result, run_job, &error);

  if (value == NULL)
    g_task_return_error (task, error);
  else if (g_task_get_source_tag (task) == aq_customer_session_lookup_async)
    g_task_return_pointer (task, value, (GDestroyNotify) aq_customer_lookup_free);
  else
    g_task_return_pointer (task, value, (GDestroyNotify) aq_customer_360_free);
}

static void
push (AqCustomerSession   *self,
      const char          *conninfo,
      Job                 *job,
      gpointer             source_tag,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  aq_db_job_run_async (conninfo, run_job, run_job, job, (GDestroyNotify) job_free,
                       job->kind == JOB_LOOKUP ? (GDestroyNotify) aq_customer_lookup_free
                                               : (GDestroyNotify) aq_customer_360_free,
                       cancellable, job_done_cb, task);
}

/* ---- GObject overrides ---- */

static void
aq_customer_session_class_init (AqCustomerSessionClass *klass)
{
}

static void
aq_customer_session_init (AqCustomerSession *self)
{
}

/* ---- public API ---- */

AqCustomerSession *
aq_customer_session_new (void)
{
  return g_object_new (AQ_TYPE_CUSTOMER_SESSION, NULL);
}

/**
 * aq_customer_session_lookup_async:
 * @conninfo: (nullable): the warehouse, resolved as aq_connection_resolve() does
 *
 * aq_customer_lookup() on a worker thread with a pooled connection.
 */
void
aq_customer_session_lookup_async (AqCustomerSession   *self,
                                  const char          *conninfo,
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
  job->key = key;
  job->text = g_strdup (text);
  job->role = role;
  job->actor = g_strdup (actor);
  push (self, conninfo, job, aq_customer_session_lookup_async, cancellable, callback, user_data);
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
 * aq_customer_reveal() as a supervisor, on a worker thread with a pooled connection.
 */
void
aq_customer_session_reveal_async (AqCustomerSession   *self,
                                  const char          *conninfo,
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
  job->text = g_strdup (account_id);
  job->actor = g_strdup (actor);
  job->reason = g_strdup (reason);
  push (self, conninfo, job, aq_customer_session_reveal_async, cancellable, callback, user_data);
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

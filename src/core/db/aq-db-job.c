/* aq-db-job.c — run one core function on a worker thread with a warehouse connection
 *
 * The one way from the main thread to the warehouse: aq_db_job_run_async() takes a
 * connection, runs one synchronous core function with it on a GTask worker thread, and
 * hands the result back to the caller's main context. Core modules build their _async/_finish
 * pairs on it; panels, the CLI and the daemon call those.
 *
 * Connections are kept in a small pool keyed by the resolved connection string, so a lookup
 * does not pay a connect (a new server process also has cold catalog caches and plans every
 * prepared statement again: ~70 ms of a ~85 ms Customer 360 lookup under load). A connection
 * goes back to the pool only when it is healthy and idle (no transaction left open, which an
 * input error leaves it, a lost connection does not) and its job was not cancelled; at most POOL_IDLE_MAX per warehouse wait there. A pooled connection
 * may have died while idle (a server restart, a network blip): a job that fails with a
 * connection error on a reused connection runs once more on a new one, which is what the
 * Customer 360 did on its own before. The function fails before anything commits in that case;
 * jobs are expected to do their work in one transaction.
 *
 * Cancelling the job's GCancellable reaches the server through PQcancel. libpq 15's PQcancel
 * blocks for a round trip, and a GCancellable's handlers run in the thread that cancels (the
 * main thread, usually), so the cancel request is sent from a short-lived thread of its own.
 * A cancelled job's connection is closed rather than pooled: its backend goes away at once and
 * no late cancel request can hit the next job on it.
 */
#define G_LOG_DOMAIN "aq-db-job"

#include "aq-db-job.h"

#include "aq-connection.h"
#include "aq-error.h"

/* Idle connections kept per warehouse: a panel's bursts (the 360's lookup and its reveal, the
 * outage map's layers) rarely run more than this many jobs at once. */
#define POOL_IDLE_MAX 4

static GMutex      pool_lock;
static GHashTable *pool;   /* resolved conninfo → GQueue of idle AqDb */

typedef struct
{
  gatomicrefcount  ref_count;
  GMutex           lock;
  AqDb            *db;          /* while the function runs; under lock */
  char            *conninfo;    /* as the caller gave it (nullable) */
  AqDbJobFunc      func;
  gpointer         data;
  GDestroyNotify   data_free;
  GDestroyNotify   result_free;
} Job;

/* ---- auxiliary methods ---- */

static Job *
job_ref (Job *job)
{
  g_atomic_ref_count_inc (&job->ref_count);
  return job;
}

static void
job_unref (Job *job)
{
  if (!g_atomic_ref_count_dec (&job->ref_count))
    return;
  g_assert (job->db == NULL);
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job->conninfo);
  g_mutex_clear (&job->lock);
  g_free (job);
}

/* Returns: (transfer full) (nullable): an idle connection to @key from the pool */
static AqDb *
pool_take (const char *key)
{
  AqDb *db = NULL;
  GQueue *queue;

  g_mutex_lock (&pool_lock);
  if (pool != NULL && (queue = g_hash_table_lookup (pool, key)) != NULL)
    db = g_queue_pop_head (queue);
  g_mutex_unlock (&pool_lock);
  return db;
}

/* Takes @db: pooled when it can serve the next job, closed otherwise. */
static void
pool_give (const char *key,
           AqDb       *db)
{
  GQueue *queue;

  if (!aq_db_is_ok (db)
      || PQtransactionStatus (aq_db_get_conn (db)) != PQTRANS_IDLE)
    {
      g_object_unref (db);
      return;
    }

  g_mutex_lock (&pool_lock);
  if (pool == NULL)
    pool = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if ((queue = g_hash_table_lookup (pool, key)) == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (pool, g_strdup (key), queue);
    }
  /* the most recently used first: its caches are the warmest */
  if (g_queue_get_length (queue) < POOL_IDLE_MAX)
    g_queue_push_head (queue, g_steal_pointer (&db));
  g_mutex_unlock (&pool_lock);

  g_clear_object (&db);
}

/* Closes the idle connections to @key. */
static void
pool_drop (const char *key)
{
  GQueue *queue = NULL;

  g_mutex_lock (&pool_lock);
  if (pool != NULL && (queue = g_hash_table_lookup (pool, key)) != NULL)
    g_hash_table_remove (pool, key);   /* frees the key, not the queue */
  g_mutex_unlock (&pool_lock);
  if (queue != NULL)
    g_queue_free_full (queue, g_object_unref);
}

static gpointer
cancel_thread (gpointer data)
{
  Job *job = data;

  /* under the lock: the worker cannot let go of the connection while the request is sent */
  g_mutex_lock (&job->lock);
  if (job->db != NULL)
    aq_db_cancel (job->db);
  g_mutex_unlock (&job->lock);
  job_unref (job);
  return NULL;
}

static void
cancelled_cb (GCancellable *cancellable,
              Job          *job)
{
  g_thread_unref (g_thread_new ("aq-db-cancel", cancel_thread, job_ref (job)));
}

static gpointer
job_run (Job           *job,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GError) local_error = NULL;
  gpointer result = NULL;
  gulong handler = 0;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  key = aq_connection_resolve (job->conninfo, error);
  if (key == NULL)
    return NULL;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), job_ref (job),
                                     (GDestroyNotify) job_unref);

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      /* the second attempt never takes a pooled connection: they may all be dead */
      g_autoptr(AqDb) db = attempt == 0 ? pool_take (key) : NULL;
      gboolean reused = db != NULL;

      g_clear_error (&local_error);
      if (db == NULL && (db = aq_db_connect (key, &local_error)) == NULL)
        break;
      if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        break;

      g_mutex_lock (&job->lock);
      job->db = g_object_ref (db);
      g_mutex_unlock (&job->lock);
      /* a cancel that came between the check above and here found no connection */
      if (!g_cancellable_set_error_if_cancelled (cancellable, &local_error))
        result = job->func (db, job->data, cancellable, &local_error);
      g_mutex_lock (&job->lock);
      g_clear_object (&job->db);
      g_mutex_unlock (&job->lock);

      /* a cancelled job's connection is closed; any other goes back if it can serve the
       * next job (an input error leaves it as good as it was, a lost one it does not) */
      if (!g_cancellable_is_cancelled (cancellable))
        pool_give (key, g_steal_pointer (&db));
      if (local_error == NULL || !reused
          || !g_error_matches (local_error, AQ_ERROR, AQ_ERROR_CONNECTION)
          || g_cancellable_is_cancelled (cancellable))
        break;
      g_debug ("a pooled connection failed (%s): once more on a new one",
               local_error->message);
      /* what killed it (a server restart, a network blip) most likely killed its siblings */
      pool_drop (key);
    }

  g_cancellable_disconnect (cancellable, handler);

  if (local_error != NULL)
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return result;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  gpointer result;

  result = job_run (job, cancellable, &error);
  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, result, job->result_free);
}

/* ---- public API ---- */

/**
 * aq_db_job_run_async:
 * @conninfo: (nullable): the warehouse, resolved as aq_connection_resolve() does
 *   ($AQUEDUCT_DATABASE_URL, then @conninfo, then the embedded warehouse)
 * @source_tag: the task's source tag, usually the caller's own _async function, which its
 *   _finish gives to aq_db_job_run_finish()
 * @func: the core function to run on a worker thread
 * @data: (transfer full): its data, freed with @data_free once the job is done
 * @result_free: (nullable): frees a result nobody took
 * @cancellable: (nullable): also cancels the running statement (PQcancel)
 *
 * Runs @func with a pooled connection on a worker thread; @callback gets the result in the
 * thread-default main context of the caller. Cancelled, it fails with G_IO_ERROR_CANCELLED.
 */
void
aq_db_job_run_async (const char          *conninfo,
                     gpointer             source_tag,
                     AqDbJobFunc          func,
                     gpointer             data,
                     GDestroyNotify       data_free,
                     GDestroyNotify       result_free,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (func != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  job = g_new0 (Job, 1);
  g_atomic_ref_count_init (&job->ref_count);
  g_mutex_init (&job->lock);
  job->conninfo = g_strdup (conninfo);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "aq_db_job");
  g_task_set_task_data (task, job, (GDestroyNotify) job_unref);
  g_task_run_in_thread (task, run_thread);
}

/**
 * aq_db_job_run_finish:
 *
 * Returns: (transfer full) (nullable): what the function returned; NULL with @error set when
 * it failed or was cancelled (NULL without an error is a NULL result)
 */
gpointer
aq_db_job_run_finish (GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * aq_db_job_run:
 *
 * The same, synchronously on the calling thread (a worker, the CLI, the daemon): a pooled
 * connection, cancel through PQcancel, the retry on a pooled connection that died.
 */
gpointer
aq_db_job_run (const char    *conninfo,
               AqDbJobFunc    func,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Job job = { 0 };
  gpointer result;

  g_return_val_if_fail (func != NULL, NULL);

  g_atomic_ref_count_init (&job.ref_count);
  g_mutex_init (&job.lock);
  job.conninfo = (char *) conninfo;
  job.func = func;
  job.data = data;
  result = job_run (&job, cancellable, error);
  /* a cancel thread may still hold the job: wait for it to let go (it holds the lock) */
  while (!g_atomic_ref_count_compare (&job.ref_count, 1))
    g_thread_yield ();
  g_mutex_clear (&job.lock);
  return result;
}

/* Returns: how many idle connections to @conninfo (resolved) the pool holds */
guint
aq_db_job_pool_count (const char *conninfo)
{
  g_autofree char *key = aq_connection_resolve (conninfo, NULL);
  GQueue *queue;
  guint n = 0;

  if (key == NULL)
    return 0;
  g_mutex_lock (&pool_lock);
  if (pool != NULL && (queue = g_hash_table_lookup (pool, key)) != NULL)
    n = g_queue_get_length (queue);
  g_mutex_unlock (&pool_lock);
  return n;
}

/* Closes every idle connection (a profile change, a test that drops its database). */
void
aq_db_job_pool_clear (void)
{
  g_autoptr(GHashTable) old = NULL;
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&pool_lock);
  old = g_steal_pointer (&pool);
  g_mutex_unlock (&pool_lock);
  if (old == NULL)
    return;
  g_hash_table_iter_init (&iter, old);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_queue_free_full (value, g_object_unref);
}

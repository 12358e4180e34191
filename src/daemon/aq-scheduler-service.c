/* aq-scheduler-service.c — aqueductd's job scheduler: ticks, worker threads, metrics
 *
 * A GMainLoop timer ticks every poll interval; a tick runs on a worker thread with the
 * scheduler's one connection and does, in order: recover runs whose lease ran out, queue due
 * occurrences, renew the leases of this daemon's runs, and claim due runs while slots are
 * free. Each claimed run executes on a thread of its own (aq_job_queue_execute keeps its
 * timeout) and records its end on a connection of its own. All the rules that make two
 * daemons and a SIGKILL safe live in the warehouse (src/core/scheduler/aq-job-queue.c); this
 * file only keeps time and threads. The lease is renewed every tick, so it can be short (a
 * dead daemon's runs are retried soon) while a run lasts as long as its timeout allows.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "aq-scheduler-service.h"

#include "aq-config-key.h"

#include <unistd.h>

#include "aqueduct-core.h"

typedef struct
{
  AqJobRun     *run;
  GCancellable *cancellable;
  gint64        started;     /* monotonic */
} Running;

struct _AqSchedulerService
{
  GObject       parent_instance;

  /* [scheduler] */
  gboolean      enabled;
  guint         poll_interval_ms;
  guint         lease_seconds;
  guint         max_running;
  char         *owner;

  char         *url;             /* as configured (NULL: the default warehouse) */
  char         *conninfo;        /* resolved by the first tick */
  guint         tick_source;
  gboolean      ticking;         /* a tick is on its worker thread */
  gboolean      stopping;
  GTask        *stop_task;
  AqDb         *db;              /* the ticks' connection; one tick at a time */

  GMutex        lock;            /* guards what follows */
  GHashTable   *running;         /* run id → Running */
  GPtrArray    *jobs;            /* AqJob, the last tick's snapshot for /metrics */
  guint64       ticks;
  guint64       tick_failures;
  guint64       succeeded;
  guint64       failed;
  guint64       released;        /* stopped with the daemon, back in the queue */
  guint64       lost;            /* results not recorded: the lease was lost */
  char         *last_error;
};

G_DEFINE_FINAL_TYPE (AqSchedulerService, aq_scheduler_service, G_TYPE_OBJECT)

static void maybe_finish_stop (AqSchedulerService *self);

/* ---- auxiliary methods ---- */

static void
running_free (Running *r)
{
  aq_job_run_free (r->run);
  g_object_unref (r->cancellable);
  g_free (r);
}

/* ---- a run ---- */

typedef struct
{
  AqSchedulerService *self;
  gint64              run_id;
  char               *status;
} RunEnd;

static gboolean
run_ended_cb (gpointer data)
{
  RunEnd *end = data;
  AqSchedulerService *self = end->self;

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->running, &end->run_id);
  g_mutex_unlock (&self->lock);
  maybe_finish_stop (self);
  g_object_unref (self);
  g_free (end->status);
  g_free (end);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  AqSchedulerService *self;
  AqJobRun           *run;      /* a copy's worth: owned by the Running entry */
  GCancellable       *cancellable;
} RunThread;

static gpointer
run_thread (gpointer data)
{
  RunThread *t = data;
  AqSchedulerService *self = t->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autofree char *log = NULL;
  g_autoptr(AqDb) db = NULL;
  const char *status;
  gboolean recorded = FALSE;
  RunEnd *end;

  g_message ("job %s: run %" G_GINT64_FORMAT " started (%s, attempt %d)", t->run->job_name,
             t->run->run_id, t->run->trigger, t->run->attempt);
  log = aq_job_queue_execute (t->run, self->conninfo, t->cancellable, &error);
  if (error == NULL)
    status = "succeeded";
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    status = "released";
  else
    status = "failed";

  /* a few tries: a result lost here makes the occurrence run again once the lease runs out */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      g_clear_error (&db_error);
      g_clear_object (&db);
      db = aq_db_connect (self->conninfo, &db_error);
      if (db == NULL)
        ;
      else if (g_str_equal (status, "released")
               ? aq_job_queue_release (db, self->owner, t->run->run_id, &recorded, &db_error)
               : aq_job_queue_finish (db, self->owner, t->run->run_id, status,
                                      error ? error->message : NULL, log, &recorded,
                                      &db_error))
        break;
      g_usleep (G_USEC_PER_SEC / 2);
    }
  g_mutex_lock (&self->lock);
  if (db_error || !recorded)
    self->lost++;
  else if (g_str_equal (status, "succeeded"))
    self->succeeded++;
  else if (g_str_equal (status, "failed"))
    self->failed++;
  else
    self->released++;
  g_mutex_unlock (&self->lock);
  if (db_error)
    g_warning ("job %s: run %" G_GINT64_FORMAT " %s but not recorded: %s", t->run->job_name,
               t->run->run_id, status, db_error->message);
  else if (!recorded)
    g_warning ("job %s: run %" G_GINT64_FORMAT " %s, but its lease was lost: another daemon "
               "took the occurrence over", t->run->job_name, t->run->run_id, status);
  else
    g_message ("job %s: run %" G_GINT64_FORMAT " %s%s%s", t->run->job_name, t->run->run_id,
               status, error ? ": " : "", error ? error->message : "");

  /* everything this thread holds goes before the main thread hears of the end: once it has,
   * the daemon may stop and exit under a thread still closing a connection */
  g_clear_object (&db);
  g_clear_error (&error);
  g_clear_error (&db_error);
  g_clear_pointer (&log, g_free);
  end = g_new0 (RunEnd, 1);
  end->self = t->self;   /* the reference the thread held */
  end->run_id = t->run->run_id;
  end->status = g_strdup (status);
  g_main_context_invoke (NULL, run_ended_cb, end);
  g_free (t);
  return NULL;
}

static void
start_run (AqSchedulerService *self,
           AqJobRun           *run)
{
  Running *r = g_new0 (Running, 1);
  RunThread *t = g_new0 (RunThread, 1);

  r->run = run;
  r->cancellable = g_cancellable_new ();
  r->started = g_get_monotonic_time ();
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->running, &r->run->run_id, r);
  g_mutex_unlock (&self->lock);
  if (self->stopping)
    g_cancellable_cancel (r->cancellable);
  t->self = g_object_ref (self);
  t->run = run;
  t->cancellable = r->cancellable;
  g_thread_unref (g_thread_new ("aq-job-run", run_thread, t));
}

/* ---- the tick ---- */

static GArray *
running_ids (AqSchedulerService *self,
             guint              *n_running)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);
  *n_running = g_hash_table_size (self->running);
  g_mutex_unlock (&self->lock);
  return ids;
}

static void
tick_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  AqSchedulerService *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GPtrArray) claimed = g_ptr_array_new ();
  g_autoptr(GPtrArray) jobs = NULL;
  guint n_running;

  if (self->db && !aq_db_is_ok (self->db))
    g_clear_object (&self->db);
  if (self->db == NULL && (self->db = aq_connection_open (self->url, &error)) == NULL)
    goto fail;
  if (self->conninfo == NULL)
    self->conninfo = g_strdup (aq_db_get_conninfo (self->db));

  /* renew first: a slow tick must not let our own leases run out */
  ids = running_ids (self, &n_running);
  if (!aq_job_queue_renew (self->db, self->owner, ids, self->lease_seconds, &error)
      || aq_job_queue_recover (self->db, &error) < 0
      || aq_job_queue_plan (self->db, &error) < 0)
    goto fail;
  while (n_running + claimed->len < self->max_running && !self->stopping)
    {
      AqJobRun *run = aq_job_queue_claim (self->db, self->owner, self->lease_seconds, 0, &error);

      if (run == NULL)
        break;
      g_ptr_array_add (claimed, run);
    }
  if (error)
    goto fail;
  jobs = aq_job_list (self->db, NULL);
  g_task_return_pointer (task, g_steal_pointer (&claimed), NULL);
  if (jobs)
    {
      g_mutex_lock (&self->lock);
      g_clear_pointer (&self->jobs, g_ptr_array_unref);
      self->jobs = g_steal_pointer (&jobs);
      g_mutex_unlock (&self->lock);
    }
  return;

fail:
  /* runs claimed before the failure still run; the error is reported */
  g_task_set_task_data (task, g_steal_pointer (&claimed), (GDestroyNotify) g_ptr_array_unref);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
tick_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  AqSchedulerService *self = AQ_SCHEDULER_SERVICE (object);
  g_autoptr(GError) error = NULL;
  GPtrArray *claimed = g_task_propagate_pointer (G_TASK (result), &error);

  self->ticking = FALSE;
  if (claimed == NULL)
    claimed = g_ptr_array_ref (g_task_get_task_data (G_TASK (result)));
  for (guint i = 0; i < claimed->len; i++)
    start_run (self, g_ptr_array_index (claimed, i));
  g_ptr_array_unref (claimed);

  g_mutex_lock (&self->lock);
  self->ticks++;
  if (error)
    {
      gboolean repeated = g_strcmp0 (self->last_error, error->message) == 0;

      self->tick_failures++;
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      g_mutex_unlock (&self->lock);
      if (!repeated)
        g_warning ("scheduler: %s", error->message);
    }
  else
    {
      g_clear_pointer (&self->last_error, g_free);
      g_mutex_unlock (&self->lock);
    }
  maybe_finish_stop (self);
}

static gboolean
tick_cb (gpointer user_data)
{
  AqSchedulerService *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->ticking || self->stopping)
    return G_SOURCE_CONTINUE;
  self->ticking = TRUE;
  task = g_task_new (self, NULL, tick_done_cb, NULL);
  g_task_set_source_tag (task, tick_cb);
  g_task_run_in_thread (task, tick_thread);
  return G_SOURCE_CONTINUE;
}

static void
maybe_finish_stop (AqSchedulerService *self)
{
  guint n;

  if (self->stop_task == NULL || self->ticking)
    return;
  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->running);
  g_mutex_unlock (&self->lock);
  if (n > 0)
    return;
  g_task_return_boolean (self->stop_task, TRUE);
  g_clear_object (&self->stop_task);
}

/* ---- GObject overrides ---- */

static void
aq_scheduler_service_finalize (GObject *object)
{
  AqSchedulerService *self = AQ_SCHEDULER_SERVICE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_object (&self->db);
  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_mutex_clear (&self->lock);
  g_free (self->owner);
  g_free (self->url);
  g_free (self->conninfo);
  g_free (self->last_error);

  G_OBJECT_CLASS (aq_scheduler_service_parent_class)->finalize (object);
}

static void
aq_scheduler_service_class_init (AqSchedulerServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_scheduler_service_finalize;
}

static void
aq_scheduler_service_init (AqSchedulerService *self)
{
  self->poll_interval_ms = 1000;
  self->lease_seconds = 60;
  self->max_running = 4;
  self->owner = g_strdup_printf ("%s:%d:scheduler", g_get_host_name (), (int) getpid ());
  g_mutex_init (&self->lock);
  self->running = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                         (GDestroyNotify) running_free);
}

/* ---- public API ---- */

AqSchedulerService *
aq_scheduler_service_new (void)
{
  return g_object_new (AQ_TYPE_SCHEDULER_SERVICE, NULL);
}

gboolean
aq_scheduler_service_load_config (AqSchedulerService  *self,
                                  GKeyFile            *kf,
                                  const char          *path,
                                  GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *owner = NULL;
  gboolean enabled;

  g_return_val_if_fail (AQ_IS_SCHEDULER_SERVICE (self), FALSE);

  enabled = g_key_file_get_boolean (kf, "scheduler", "enabled", &local_error);
  if (local_error == NULL)
    self->enabled = enabled;
  else if (!g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
           && !g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: [scheduler] enabled: %s"), path,
                   local_error->message);
      return FALSE;
    }
  if (!aq_config_key_get_uint (kf, path, "scheduler", "poll-interval-ms", 50, 60000,
                               &self->poll_interval_ms, error)
      || !aq_config_key_get_uint (kf, path, "scheduler", "lease-seconds", 2, 3600,
                                  &self->lease_seconds, error)
      || !aq_config_key_get_uint (kf, path, "scheduler", "max-running", 1, 256,
                                  &self->max_running, error))
    return FALSE;
  if (self->lease_seconds * 1000 < self->poll_interval_ms * 2)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [scheduler] lease-seconds must be at least two poll intervals (a lease "
                   "is renewed every tick)"), path);
      return FALSE;
    }
  owner = g_key_file_get_string (kf, "scheduler", "owner", NULL);
  if (owner && *owner)
    {
      g_free (self->owner);
      self->owner = g_steal_pointer (&owner);
    }
  return TRUE;
}

gboolean
aq_scheduler_service_is_enabled (AqSchedulerService *self)
{
  return self->enabled;
}

void
aq_scheduler_service_start (AqSchedulerService *self,
                            const char         *url)
{
  g_return_if_fail (AQ_IS_SCHEDULER_SERVICE (self));

  if (!self->enabled || self->tick_source != 0)
    return;
  g_free (self->url);
  self->url = g_strdup (url);
  g_message ("scheduler: ticking every %u ms as %s", self->poll_interval_ms, self->owner);
  self->tick_source = g_timeout_add (self->poll_interval_ms, tick_cb, self);
  tick_cb (self);
}

void
aq_scheduler_service_stop_async (AqSchedulerService  *self,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (AQ_IS_SCHEDULER_SERVICE (self));
  g_task_set_source_tag (task, aq_scheduler_service_stop_async);

  self->stopping = TRUE;
  g_clear_handle_id (&self->tick_source, g_source_remove);
  if (self->stop_task != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->running);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (((Running *) value)->cancellable);
  g_mutex_unlock (&self->lock);
  self->stop_task = g_steal_pointer (&task);
  maybe_finish_stop (self);
}

gboolean
aq_scheduler_service_stop_finish (AqSchedulerService  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
aq_scheduler_service_append_metrics (AqSchedulerService *self,
                                     GString            *text)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!self->enabled)
    return;
  g_string_append_printf (text,
                          "# HELP aqueduct_scheduler_running Job runs this daemon runs now.\n"
                          "# TYPE aqueduct_scheduler_running gauge\n"
                          "aqueduct_scheduler_running %u\n"
                          "# HELP aqueduct_scheduler_ticks_total Scheduler ticks, and those that "
                          "failed (warehouse unreachable).\n"
                          "# TYPE aqueduct_scheduler_ticks_total counter\n"
                          "aqueduct_scheduler_ticks_total %" G_GUINT64_FORMAT "\n"
                          "aqueduct_scheduler_tick_failures_total %" G_GUINT64_FORMAT "\n"
                          "# HELP aqueduct_scheduler_runs_total Runs this daemon ended, by "
                          "outcome.\n"
                          "# TYPE aqueduct_scheduler_runs_total counter\n"
                          "aqueduct_scheduler_runs_total{outcome=\"succeeded\"} %" G_GUINT64_FORMAT
                          "\n"
                          "aqueduct_scheduler_runs_total{outcome=\"failed\"} %"
                          G_GUINT64_FORMAT "\n"
                          "aqueduct_scheduler_runs_total{outcome=\"released\"} %"
                          G_GUINT64_FORMAT "\n"
                          "aqueduct_scheduler_runs_total{outcome=\"lost\"} %" G_GUINT64_FORMAT "\n",
                          g_hash_table_size (self->running), self->ticks, self->tick_failures,
                          self->succeeded, self->failed, self->released, self->lost);
  if (self->jobs == NULL)
    return;
  /* per job, from meta.job_run: every daemon's runs count */
  g_string_append (text, "# HELP aqueduct_job_last_success_timestamp_seconds When the job last "
                         "succeeded (0: never).\n"
                         "# TYPE aqueduct_job_last_success_timestamp_seconds gauge\n");
  for (guint i = 0; i < self->jobs->len; i++)
    {
      AqJob *job = g_ptr_array_index (self->jobs, i);

      g_string_append_printf (text, "aqueduct_job_last_success_timestamp_seconds{job=\"%s\"} %"
                              G_GINT64_FORMAT "\n", job->name,
                              job->last_success_at ? g_date_time_to_unix (job->last_success_at)
                                                   : 0);
    }
  g_string_append (text, "# HELP aqueduct_job_last_duration_seconds How long the job's last "
                         "finished run took.\n"
                         "# TYPE aqueduct_job_last_duration_seconds gauge\n");
  for (guint i = 0; i < self->jobs->len; i++)
    {
      AqJob *job = g_ptr_array_index (self->jobs, i);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (job->last_duration_s >= 0)
        g_string_append_printf (text, "aqueduct_job_last_duration_seconds{job=\"%s\"} %s\n",
                                job->name,
                                g_ascii_dtostr (buf, sizeof buf, job->last_duration_s));
    }
  g_string_append (text, "# HELP aqueduct_job_failures_total The job's failed and interrupted "
                         "runs.\n"
                         "# TYPE aqueduct_job_failures_total counter\n");
  for (guint i = 0; i < self->jobs->len; i++)
    {
      AqJob *job = g_ptr_array_index (self->jobs, i);

      g_string_append_printf (text, "aqueduct_job_failures_total{job=\"%s\"} %" G_GINT64_FORMAT
                              "\n", job->name, job->failures);
    }
  g_string_append (text, "# HELP aqueduct_job_queued Runs of the job waiting to start.\n"
                         "# TYPE aqueduct_job_queued gauge\n");
  for (guint i = 0; i < self->jobs->len; i++)
    {
      AqJob *job = g_ptr_array_index (self->jobs, i);

      g_string_append_printf (text, "aqueduct_job_queued{job=\"%s\"} %" G_GINT64_FORMAT "\n",
                              job->name, job->queued);
    }
}

void
aq_scheduler_service_describe (AqSchedulerService *self,
                               JsonBuilder        *b)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, !self->enabled ? "disabled"
                                    : self->last_error ? "failing" : "running");
  if (self->enabled)
    {
      json_builder_set_member_name (b, "owner");
      json_builder_add_string_value (b, self->owner);
      json_builder_set_member_name (b, "running");
      json_builder_add_int_value (b, g_hash_table_size (self->running));
      json_builder_set_member_name (b, "jobs");
      json_builder_add_int_value (b, self->jobs ? self->jobs->len : 0);
      if (self->last_error)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, self->last_error);
        }
    }
  json_builder_end_object (b);
}

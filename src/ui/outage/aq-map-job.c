/* aq-map-job.c — one core call for the outage map, on a worker thread with its own connection
 *
 * The panel picks zones, repairs areas, exports lists and opens its start-up area through core
 * functions that block on the warehouse: each runs here, off the main thread, on a connection
 * opened for it (libpq connections are not shared between threads). A cancelled job ends with
 * G_IO_ERROR_CANCELLED whatever it returned, so a callback can tell that its panel is gone.
 */
#define G_LOG_DOMAIN "aq-map-job"

#include "config.h"

#include "aq-map-job.h"

#include "aq-connection.h"

typedef struct
{
  char           *profile_url;
  AqMapJobFunc    func;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} Job;

static void
job_free (Job *job)
{
  g_free (job->profile_url);
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
job_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(AqDb) db = NULL;
  GError *error = NULL;
  gpointer result = NULL;

  db = aq_connection_open (job->profile_url, &error);
  if (db != NULL)
    result = job->func (db, job->data, cancellable, &error);
  if (result == NULL && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, job->result_free);
}

/**
 * aq_map_job_run:
 * @profile_url: (nullable): the warehouse, as aq_connection_open() takes it
 * @data: (transfer full): handed to @func, freed with @data_free
 * @result_free: frees a result nobody finished
 */
void
aq_map_job_run (const char          *profile_url,
                AqMapJobFunc         func,
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

  job = g_new0 (Job, 1);
  job->profile_url = g_strdup (profile_url);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->result_free = result_free;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, aq_map_job_run);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, job_thread);
}

/* Returns: (transfer full) (nullable): what the job's function returned */
gpointer
aq_map_job_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aq_map_job_run, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

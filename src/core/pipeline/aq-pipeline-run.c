/* aq-pipeline-run.c — the editor's run: off the main thread, cancellable, step by step
 *
 * A run is a batch job that sets its session up (temp buffers, work_mem) and may last
 * minutes, so it gets a connection of its own rather than one of aq_db_job's pooled ones,
 * which promise their next user a clean session. The runner's per-step reports are copied
 * and handed to the caller's main context, where a canvas updates its cards.
 */
#define G_LOG_DOMAIN "aq-pipeline-run"

#include "aq-pipeline-runner.h"

#include "aq-connection.h"
#include "aq-error.h"

typedef struct
{
  AqPipeline         *pipeline;
  char               *conninfo;
  GMainContext       *context;       /* the caller's */
  AqPipelineStepFunc  step_func;
  gpointer            step_data;
  GDestroyNotify      step_data_free;
  gint64              run_id;
} RunData;

typedef struct
{
  AqPipelineStepReport  report;
  char                 *step_id;
  char                 *error;
  RunData              *data;
  GTask                *task;        /* keeps @data alive until the report is delivered */
} Report;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->pipeline);
  g_free (data->conninfo);
  g_main_context_unref (data->context);
  if (data->step_data_free)
    data->step_data_free (data->step_data);
  g_free (data);
}

static void
report_free (Report *report)
{
  g_free (report->step_id);
  g_free (report->error);
  g_object_unref (report->task);
  g_free (report);
}

static gboolean
deliver_cb (gpointer user_data)
{
  Report *report = user_data;

  report->data->step_func (&report->report, report->data->step_data);
  return G_SOURCE_REMOVE;
}

/* On the worker thread: copy, and post to the caller's context. */
static void
step_cb (const AqPipelineStepReport *report,
         gpointer                    user_data)
{
  GTask *task = user_data;
  RunData *data = g_task_get_task_data (task);
  Report *copy = g_new0 (Report, 1);

  copy->report = *report;
  copy->report.step_id = copy->step_id = g_strdup (report->step_id);
  copy->report.error = copy->error = g_strdup (report->error);
  copy->data = data;
  copy->task = g_object_ref (task);
  g_main_context_invoke_full (data->context, G_PRIORITY_DEFAULT, deliver_cb, copy,
                              (GDestroyNotify) report_free);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqPipelineRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  db = aq_connection_open (data->conninfo, &error);
  if (db == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  runner = aq_pipeline_runner_new (data->pipeline, db);
  if (data->step_func)
    aq_pipeline_runner_set_step_func (runner, step_cb, task);
  ok = aq_pipeline_runner_validate (data->pipeline, NULL, &error)
       && aq_pipeline_runner_run (runner, cancellable, &error);
  data->run_id = aq_pipeline_runner_get_run_id (runner);
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * aq_pipeline_run_async:
 * @step_func: (nullable): told about each step as it starts and ends, in the caller's
 *   thread-default main context
 *
 * Runs @pipeline as aq_pipeline_runner_run_pipeline() does, on a worker thread with its own
 * connection to @conninfo (NULL: the embedded warehouse, as aq_connection_open()). Cancelling cancels the running statement; the run then rolls back
 * and every target stays as it was.
 */
void
aq_pipeline_run_async (AqPipeline          *pipeline,
                       const char          *conninfo,
                       AqPipelineStepFunc   step_func,
                       gpointer             step_data,
                       GDestroyNotify       step_data_free,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *data;

  g_return_if_fail (AQ_IS_PIPELINE (pipeline));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, aq_pipeline_run_async);
  data = g_new0 (RunData, 1);
  data->pipeline = g_object_ref (pipeline);
  data->conninfo = g_strdup (conninfo);
  data->context = g_main_context_ref_thread_default ();
  data->step_func = step_func;
  data->step_data = step_data;
  data->step_data_free = step_data_free;
  g_task_set_task_data (task, data, (GDestroyNotify) run_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run_thread);
}

/* @out_run_id: the meta.pipeline_run id, also when the run failed (0 if none was recorded). */
gboolean
aq_pipeline_run_finish (GAsyncResult  *result,
                        gint64        *out_run_id,
                        GError       **error)
{
  GTask *task = G_TASK (result);

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (task) == aq_pipeline_run_async, FALSE);

  if (out_run_id)
    *out_run_id = ((RunData *) g_task_get_task_data (task))->run_id;
  return g_task_propagate_boolean (task, error);
}

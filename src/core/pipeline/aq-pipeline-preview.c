/* aq-pipeline-preview.c — the first rows of one step's output, computed and rolled back
 *
 * A preview runs the step and the steps that feed it — nothing else: no output, no sql step,
 * no quality gate is ever among them, since those pass no rows — exactly as a run would, each
 * into its temp table (ON COMMIT DROP), inside one transaction as aq_data_engineer. It then
 * switches the transaction to read-only, reads the first rows and the column types of the
 * step's table, and rolls back: a preview leaves nothing behind, not even its temp tables,
 * and writes nothing but them. Steps whose SQL runs in the warehouse are not materialised
 * but made temp views (the runner's as_views), so reading the step's first rows computes
 * only what they need: a chain of selects, filters, calculators and lookups streams; an
 * aggregate or a sort still reads its whole input. Files and other connections' tables are
 * read into temp tables as in a run. A warehouse table input previewed on its own is not
 * materialised either: its temp table is created empty (its shape, as a check makes it) and
 * its query is read with a LIMIT. The row count is a count(*) given PREVIEW_COUNT_MS under a
 * statement timeout and a savepoint: when that is not enough the preview says the count is
 * unknown (n_rows −1) rather than wait; count(*) leaves the select list unevaluated (the
 * planner flattens the subquery). Asynchronously it
 * runs through aq_db_job on a pooled connection: only SET LOCAL and a rollback, so the
 * session stays as it was.
 */
#define G_LOG_DOMAIN "aq-pipeline-preview"

#include "config.h"

#include "aq-pipeline-preview.h"
#include "aq-pipeline-runner-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-db-job.h"
#include "aq-error.h"

/* How long a preview may spend counting its step's rows; past it the count is left out.
 * $AQUEDUCT_PREVIEW_COUNT_MS changes it (tests that compare counts on a loaded machine). */
#define PREVIEW_COUNT_MS 500

typedef struct
{
  AqPipeline *pipeline;
  char       *step_id;
  guint       limit;
} PreviewJob;

void
aq_pipeline_preview_free (AqPipelinePreview *preview)
{
  if (preview == NULL)
    return;
  g_free (preview->step_id);
  g_clear_pointer (&preview->columns, g_ptr_array_unref);
  g_clear_pointer (&preview->rows, g_ptr_array_unref);
  g_free (preview);
}

/* Returns: (nullable): the value as text, NULL for SQL NULL */
const char *
aq_pipeline_preview_get_value (AqPipelinePreview *preview,
                               guint              row,
                               guint              column)
{
  GPtrArray *values;

  g_return_val_if_fail (preview != NULL, NULL);
  g_return_val_if_fail (row < preview->rows->len, NULL);

  values = g_ptr_array_index (preview->rows, row);
  g_return_val_if_fail (column < values->len, NULL);
  return g_ptr_array_index (values, column);
}

static void
add_feeders (AqPipelineStep *step,
             GHashTable     *needed)
{
  GPtrArray *inputs = aq_pipeline_step_get_inputs (step);

  if (!g_hash_table_add (needed, step))
    return;
  for (guint i = 0; i < inputs->len; i++)
    add_feeders (g_ptr_array_index (inputs, i), needed);
}

/* A table input of the warehouse, previewed alone: read straight from its query. */
static gboolean
is_direct (AqPipelineStep *step)
{
  const char *connection = aq_pipeline_step_get_string (step, "connection");

  return aq_pipeline_step_get_kind (step) == AQ_PIPELINE_STEP_TABLE_INPUT
         && aq_pipeline_step_get_inputs (step)->len == 0
         && (connection == NULL || strcmp (connection, WAREHOUSE_CONNECTION) == 0);
}

/* The rows of @relation_or_query, counted within PREVIEW_COUNT_MS: -1 when that is not
 * enough (the count is then cancelled by the statement timeout and rolled back to a savepoint,
 * so the preview goes on); FALSE only for a cancelled preview or a broken transaction. */
static gboolean
count_rows (AqPipelineRunner  *self,
            const char        *from,
            GPtrArray         *params,
            gint64            *out_rows,
            GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", from);
  g_autoptr(GError) local = NULL;
  g_autoptr(PGresult) res = NULL;

  const char *env = g_getenv ("AQUEDUCT_PREVIEW_COUNT_MS");
  int budget = env ? atoi (env) : PREVIEW_COUNT_MS;
  g_autofree char *timeout = g_strdup_printf ("SET LOCAL statement_timeout = %d",
                                              MAX (budget, 1));

  *out_rows = -1;
  if (!aq_db_exec (self->db, "SAVEPOINT aq_preview_count", error)
      || !aq_db_exec (self->db, timeout, error))
    return FALSE;
  res = aq_db_query (self->db, sql, params ? (int) params->len : 0,
                     params ? (const char * const *) params->pdata : NULL, &local);
  if (res == NULL)
    {
      if (g_cancellable_is_cancelled (self->cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
          return FALSE;
        }
      g_debug ("preview: no row count within %d ms: %s", budget, local->message);
      return aq_db_exec (self->db, "ROLLBACK TO SAVEPOINT aq_preview_count", error);
    }
  *out_rows = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  return aq_db_exec (self->db, "SET LOCAL statement_timeout = 0", error)
         && aq_db_exec (self->db, "RELEASE SAVEPOINT aq_preview_count", error);
}

static AqPipelinePreview *
read_step (AqPipelineRunner  *self,
           AqPipelineStep    *step,
           guint              limit,
           gboolean           direct,
           GError           **error)
{
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *query = direct ? aq_pipeline_compiler_get_query (self->compiler, step, params)
                                  : NULL;
  g_autofree char *from = direct ? g_strdup_printf ("(\n%s\n) s", query) : g_strdup (relation);
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  gint64 n_rows;
  AqPipelinePreview *preview;

  if (!run_statement (self, step, self->db, "SET LOCAL transaction_read_only = on", NULL,
                      NULL, error))
    return NULL;
  /* the first rows, then their count when it is cheap: a view counts what it reads */
  sql = g_strdup_printf ("SELECT * FROM %s LIMIT %u", from, limit);
  if ((res = run_query (self, step, self->db, sql, direct ? params : NULL, error)) == NULL)
    return NULL;
  if (direct || self->as_views)
    {
      if (!count_rows (self, from, direct ? params : NULL, &n_rows, error))
        return NULL;
    }
  else
    n_rows = _aq_pipeline_runner_get_rows_out (self, step);
  preview = g_new0 (AqPipelinePreview, 1);
  preview->step_id = g_strdup (aq_pipeline_step_get_id (step));
  preview->columns = aq_pipeline_columns_copy (aq_pipeline_compiler_get_columns (self->compiler,
                                                                                step));
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  preview->n_rows = n_rows;
  for (int r = 0; r < PQntuples (res); r++)
    {
      GPtrArray *values = g_ptr_array_new_full (PQnfields (res), g_free);

      for (int c = 0; c < PQnfields (res); c++)
        g_ptr_array_add (values, PQgetisnull (res, r, c) ? NULL
                                                         : g_strdup (PQgetvalue (res, r, c)));
      g_ptr_array_add (preview->rows, values);
    }
  return preview;
}

/**
 * aq_pipeline_preview_step:
 * @limit: how many rows to read, at most (AQ_PIPELINE_PREVIEW_ROWS for the editor)
 *
 * Computes the output of the step @step_id (and of what feeds it), returns its first rows
 * and its column types, and rolls everything back. Blocks; @db must be idle (not in a
 * transaction). A step that passes no rows (an output, a sql step, a gate) has no preview:
 * %AQ_ERROR_INVALID.
 */
AqPipelinePreview *
aq_pipeline_preview_step (AqPipeline    *pipeline,
                          AqDb          *db,
                          const char    *step_id,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(AqPipelineRunner) runner = NULL;
  g_autoptr(GHashTable) needed = g_hash_table_new (NULL, NULL);
  AqPipelinePreview *preview = NULL;
  AqPipelineStep *step;
  GPtrArray *order;
  gint64 start = g_get_monotonic_time ();
  gulong handler;
  gboolean direct;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  if (!aq_pipeline_runner_validate (pipeline, NULL, error))
    return NULL;
  step = aq_pipeline_find_step (pipeline, step_id);
  if (step == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no step “%s”"), step_id);
      return NULL;
    }
  if (!aq_pipeline_step_passes_rows (step))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("“%s” passes no rows on: preview the step that feeds it"), step_id);
      return NULL;
    }
  if (PQtransactionStatus (aq_db_get_conn (db)) != PQTRANS_IDLE)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_FAILED,
                           "The connection is inside a transaction: a preview runs in its own");
      return NULL;
    }
  add_feeders (step, needed);
  order = aq_pipeline_get_order (pipeline, error);
  if (order == NULL)
    return NULL;

  runner = aq_pipeline_runner_new (pipeline, db);
  runner->cancellable = cancellable;
  handler = aq_db_watch_cancellable (db, cancellable);
  /* a direct input is only shaped (its temp table created empty), as a check does; the
   * other steps over the warehouse become views, so that the first rows are all that is read */
  direct = is_direct (step);
  _aq_pipeline_runner_set_with_data (runner, !direct);
  runner->as_views = !direct;
  ok = run_statement (runner, NULL, db, "BEGIN", NULL, NULL, error)
       && run_statement (runner, NULL, db, RUN_AS_DATA_ENGINEER, NULL, NULL, error)
       && run_statement (runner, NULL, db, "SET LOCAL work_mem = '" BATCH_WORK_MEM "'", NULL,
                         NULL, error);
  for (guint i = 0; ok && i < order->len; i++)
    if (g_hash_table_contains (needed, g_ptr_array_index (order, i)))
      ok = execute_step (runner, g_ptr_array_index (order, i), error);
  /* errors of the reads are the query's, as with data */
  _aq_pipeline_runner_set_with_data (runner, TRUE);
  if (ok)
    preview = read_step (runner, step, limit, direct, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  aq_db_rollback (db);
  runner->cancellable = NULL;
  if (preview)
    preview->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  return preview;
}

static void
preview_job_free (PreviewJob *job)
{
  g_clear_object (&job->pipeline);
  g_free (job->step_id);
  g_free (job);
}

static gpointer
preview_job (AqDb          *db,
             gpointer       data,
             GCancellable  *cancellable,
             GError       **error)
{
  PreviewJob *job = data;

  return aq_pipeline_preview_step (job->pipeline, db, job->step_id, job->limit, cancellable,
                                   error);
}

void
aq_pipeline_preview_step_async (AqPipeline          *pipeline,
                                const char          *conninfo,
                                const char          *step_id,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PreviewJob *job;

  g_return_if_fail (AQ_IS_PIPELINE (pipeline));
  g_return_if_fail (step_id != NULL);

  job = g_new0 (PreviewJob, 1);
  job->pipeline = g_object_ref (pipeline);
  job->step_id = g_strdup (step_id);
  job->limit = limit;
  aq_db_job_run_async (conninfo, aq_pipeline_preview_step_async, preview_job, job,
                       (GDestroyNotify) preview_job_free,
                       (GDestroyNotify) aq_pipeline_preview_free, cancellable, callback,
                       user_data);
}

AqPipelinePreview *
aq_pipeline_preview_step_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return aq_db_job_run_finish (result, aq_pipeline_preview_step_async, error);
}

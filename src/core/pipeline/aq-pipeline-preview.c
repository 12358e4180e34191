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
 * planner flattens the subquery).
 *
 * Sampled previews. An aggregate, a sort or a deduplicate reads its whole input before its
 * first row, and so does a table input whose SQL groups: at the default scale such a step
 * takes seconds. An automatic preview (the editor's) therefore gives the full computation
 * FULL_TRY_MS under a statement timeout (none when the planner's estimate is already far
 * past what that allows: FULL_COST_LIMIT); when that is not enough it rolls back and
 * computes the step again over a sample, as Kettle's and Talend's previews read the first
 * rows of an input: every table that a warehouse table input's SQL names is replaced by a
 * temp table of its first sample_rows rows (aq-pipeline-sample.c finds the names, the
 * runner's sample_query makes the samples), read in physical order (synchronize_seqscans
 * off, so always the same first rows). Lookups still read their whole table, so matches
 * stay matches. The preview then says it is over a sample, and how many rows the samples
 * held; its row count is the sample's. AQ_PIPELINE_PREVIEW_FULL computes everything however
 * long it takes (the editor's button, cancellable), AQ_PIPELINE_PREVIEW_SAMPLE always
 * samples (as a sample's tables are small, joins over them are hash joins: no nested loop
 * over one sample per row of another). $AQUEDUCT_PREVIEW_FULL_MS changes the time given to the
 * full computation (0: always a sample; tests that compare full results on a loaded machine
 * give it minutes), $AQUEDUCT_PREVIEW_SAMPLE_ROWS the sample's size. Asynchronously a preview
 * runs through aq_db_job on a pooled connection: only SET LOCAL and a rollback, so the session
 * stays as it was.
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
#include "aq-pipeline-sample.h"

/* How long a preview may spend counting its step's rows; past it the count is left out.
 * $AQUEDUCT_PREVIEW_COUNT_MS changes it (tests that compare counts on a loaded machine). */
#define PREVIEW_COUNT_MS 500
/* How long an automatic preview lets the full computation run before it takes a sample:
 * what is left of AQ_PIPELINE_PREVIEW_BUDGET_MS is for the sampled one. */
#define FULL_TRY_MS 500
/* …unless the planner already says the step is far too dear for that: an estimated cost
 * (PostgreSQL's units) past this goes over a sample at once. At the default scale the
 * standard inputs that take over a second to read estimate 80,000–670,000; those read in a
 * few hundred milliseconds at most 31,000. $AQUEDUCT_PREVIEW_COST_LIMIT changes it (0: off). */
#define FULL_COST_LIMIT 50000

typedef struct
{
  AqPipeline            *pipeline;
  char                  *step_id;
  guint                  limit;
  AqPipelinePreviewMode  mode;
} PreviewJob;

static int
env_int (const char *name,
         int         fallback)
{
  const char *value = g_getenv (name);

  return value && *value ? atoi (value) : fallback;
}

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
            int                budget,
            gint64            *out_rows,
            GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", from);
  g_autoptr(GError) local = NULL;
  g_autoptr(PGresult) res = NULL;
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
           int                count_budget,
           double             cost_limit,
           GError           **error)
{
  g_autofree char *relation = aq_pipeline_compiler_get_relation (self->compiler, step);
  g_autoptr(GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *query = direct ? aq_pipeline_compiler_get_query (self->compiler, step, params)
                                  : NULL;
  g_autofree char *from = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(PGresult) res = NULL;
  gint64 n_rows = -1;
  AqPipelinePreview *preview;

  /* a sampled direct input reads its query over the samples (made before read-only) */
  if (direct && self->sample_rows > 0)
    {
      char *sampled = sample_query (self, step, query, error);

      if (sampled == NULL)
        return NULL;
      g_free (query);
      query = sampled;
    }
  from = direct ? g_strdup_printf ("(\n%s\n) s", query) : g_strdup (relation);
  sql = g_strdup_printf ("SELECT * FROM %s LIMIT %u", from, limit);
  /* far too dear to try in full: as if the time had run out */
  if (cost_limit > 0)
    {
      g_autofree char *explain = g_strdup_printf ("EXPLAIN (FORMAT JSON) %s", sql);
      g_autoptr(PGresult) plan = run_query (self, step, self->db, explain,
                                            direct ? params : NULL, error);
      const char *total;
      double cost;

      if (plan == NULL)
        return NULL;
      total = strstr (PQgetvalue (plan, 0, 0), "\"Total Cost\":");
      cost = total ? g_ascii_strtod (total + strlen ("\"Total Cost\":"), NULL) : 0;
      if (cost > cost_limit)
        {
          self->timed_out = TRUE;
          g_set_error (error, AQ_ERROR, AQ_ERROR_QUERY, "estimated cost %.0f past %.0f", cost,
                       cost_limit);
          return NULL;
        }
    }
  if (!run_statement (self, step, self->db, "SET LOCAL transaction_read_only = on", NULL,
                      NULL, error))
    return NULL;
  /* the first rows, then their count when it is cheap: a view counts what it reads */
  if ((res = run_query (self, step, self->db, sql, direct ? params : NULL, error)) == NULL)
    return NULL;
  if (!direct && !self->as_views)
    n_rows = _aq_pipeline_runner_get_rows_out (self, step);
  else if (count_budget > 0
           && !count_rows (self, from, direct ? params : NULL, count_budget, &n_rows, error))
    return NULL;
  preview = g_new0 (AqPipelinePreview, 1);
  preview->step_id = g_strdup (aq_pipeline_step_get_id (step));
  preview->columns = aq_pipeline_columns_copy (aq_pipeline_compiler_get_columns (self->compiler,
                                                                                step));
  preview->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  preview->n_rows = n_rows;
  preview->sample_rows = self->n_samples > 0 ? self->sample_rows : 0;
  preview->n_sampled_tables = self->n_samples;
  preview->sample_input_rows = self->sample_input_rows;
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

/* One computation of the preview: over every input row (@sample_rows 0) or over samples,
 * its statements under @timeout_ms when not 0 (a statement past it sets *timed_out), the
 * count given @count_budget ms (≤ 0: no count). */
static AqPipelinePreview *
preview_once (AqPipeline      *pipeline,
              AqDb            *db,
              AqPipelineStep  *step,
              GHashTable      *needed,
              GPtrArray       *order,
              guint            limit,
              guint            sample_rows,
              int              timeout_ms,
              int              count_budget,
              double           cost_limit,
              GCancellable    *cancellable,
              gboolean        *timed_out,
              GError         **error)
{
  g_autoptr(AqPipelineRunner) runner = aq_pipeline_runner_new (pipeline, db);
  AqPipelinePreview *preview = NULL;
  gint64 start = g_get_monotonic_time ();
  gulong handler;
  gboolean direct;
  gboolean ok;

  runner->cancellable = cancellable;
  runner->sample_rows = sample_rows;
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
  /* a sample is a table's first rows, the same ones each time; samples have no statistics
   * and join poorly (first rows of one table, first rows of another), so that the planner,
   * reading only the first rows, would loop over one sample per row of another: every
   * sample is small, hash joins are always right */
  if (ok && sample_rows > 0)
    ok = run_statement (runner, NULL, db, "SET LOCAL synchronize_seqscans = off", NULL, NULL,
                        error)
         && run_statement (runner, NULL, db, "SET LOCAL enable_nestloop = off", NULL, NULL,
                           error);
  if (ok && timeout_ms > 0)
    {
      g_autofree char *timeout = g_strdup_printf ("SET LOCAL statement_timeout = %d",
                                                  timeout_ms);

      ok = run_statement (runner, NULL, db, timeout, NULL, NULL, error);
    }
  for (guint i = 0; ok && i < order->len; i++)
    if (g_hash_table_contains (needed, g_ptr_array_index (order, i)))
      ok = execute_step (runner, g_ptr_array_index (order, i), error);
  /* what is left of the time for the first rows */
  if (ok && timeout_ms > 0)
    {
      int left = timeout_ms - (int) ((g_get_monotonic_time () - start) / 1000);
      g_autofree char *timeout = g_strdup_printf ("SET LOCAL statement_timeout = %d",
                                                  MAX (left, 1));

      ok = run_statement (runner, NULL, db, timeout, NULL, NULL, error);
    }
  /* errors of the reads are the query's, as with data */
  _aq_pipeline_runner_set_with_data (runner, TRUE);
  if (ok)
    preview = read_step (runner, step, limit, direct, count_budget, cost_limit, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  aq_db_rollback (db);
  runner->cancellable = NULL;
  *timed_out = preview == NULL && runner->timed_out && !g_cancellable_is_cancelled (cancellable);
  if (preview)
    preview->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
  return preview;
}

/**
 * aq_pipeline_preview_step:
 * @limit: how many rows to read, at most (AQ_PIPELINE_PREVIEW_ROWS for the editor)
 *
 * aq_pipeline_preview_step_with_mode() with %AQ_PIPELINE_PREVIEW_AUTO: over every input
 * row when that fits the budget, else over a sample.
 */
AqPipelinePreview *
aq_pipeline_preview_step (AqPipeline    *pipeline,
                          AqDb          *db,
                          const char    *step_id,
                          guint          limit,
                          GCancellable  *cancellable,
                          GError       **error)
{
  return aq_pipeline_preview_step_with_mode (pipeline, db, step_id, limit,
                                             AQ_PIPELINE_PREVIEW_AUTO, 0, cancellable, error);
}

/**
 * aq_pipeline_preview_step_with_mode:
 * @limit: how many rows to read, at most (AQ_PIPELINE_PREVIEW_ROWS for the editor)
 * @sample_rows: the rows of each table a sample holds; 0 for
 *   $AQUEDUCT_PREVIEW_SAMPLE_ROWS or AQ_PIPELINE_PREVIEW_SAMPLE_ROWS
 *
 * Computes the output of the step @step_id (and of what feeds it), returns its first rows
 * and its column types, and rolls everything back. Blocks; @db must be idle (not in a
 * transaction). A step that passes no rows (an output, a sql step, a gate) has no preview:
 * %AQ_ERROR_INVALID. With %AQ_PIPELINE_PREVIEW_AUTO the full computation gets FULL_TRY_MS
 * and the preview goes over a sample past it; the preview's sample_rows says which it is.
 */
AqPipelinePreview *
aq_pipeline_preview_step_with_mode (AqPipeline            *pipeline,
                                    AqDb                  *db,
                                    const char            *step_id,
                                    guint                  limit,
                                    AqPipelinePreviewMode  mode,
                                    guint                  sample_rows,
                                    GCancellable          *cancellable,
                                    GError               **error)
{
  g_autoptr(GHashTable) needed = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) local = NULL;
  AqPipelinePreview *preview;
  AqPipelineStep *step;
  GPtrArray *order;
  gint64 start = g_get_monotonic_time ();
  gboolean explicit_count = g_getenv ("AQUEDUCT_PREVIEW_COUNT_MS") != NULL;
  int count_budget = env_int ("AQUEDUCT_PREVIEW_COUNT_MS", PREVIEW_COUNT_MS);
  int full_ms = env_int ("AQUEDUCT_PREVIEW_FULL_MS", FULL_TRY_MS);
  gboolean timed_out = FALSE;
  double tried_ms = 0;

  g_return_val_if_fail (AQ_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (step_id != NULL, NULL);

  if (sample_rows == 0)
    sample_rows = MAX (env_int ("AQUEDUCT_PREVIEW_SAMPLE_ROWS",
                                AQ_PIPELINE_PREVIEW_SAMPLE_ROWS), 1);
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

  if (mode == AQ_PIPELINE_PREVIEW_FULL)
    return preview_once (pipeline, db, step, needed, order, limit, 0, 0, count_budget, 0,
                         cancellable, &timed_out, error);
  if (mode == AQ_PIPELINE_PREVIEW_AUTO && full_ms > 0)
    {
      /* the count gets what the budget leaves, unless a count budget was asked for */
      int budget = explicit_count ? count_budget
                                  : MIN (count_budget, AQ_PIPELINE_PREVIEW_BUDGET_MS - 100);

      preview = preview_once (pipeline, db, step, needed, order, limit, 0, full_ms, budget,
                              env_int ("AQUEDUCT_PREVIEW_COST_LIMIT", FULL_COST_LIMIT),
                              cancellable, &timed_out, &local);
      if (preview || !timed_out)
        {
          if (local)
            g_propagate_error (error, g_steal_pointer (&local));
          return preview;
        }
      g_debug ("preview of %s: not within %d ms, over a sample of %u rows a table: %s",
               step_id, full_ms, sample_rows, local->message);
      tried_ms = (g_get_monotonic_time () - start) / 1000.0;
      if (!explicit_count)
        count_budget = MAX (AQ_PIPELINE_PREVIEW_BUDGET_MS - 100 - (int) tried_ms, 0);
    }
  preview = preview_once (pipeline, db, step, needed, order, limit, sample_rows, 0,
                          count_budget, 0, cancellable, &timed_out, error);
  if (preview)
    {
      preview->full_tried_ms = tried_ms;
      preview->duration_ms = (g_get_monotonic_time () - start) / 1000.0;
    }
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

  return aq_pipeline_preview_step_with_mode (job->pipeline, db, job->step_id, job->limit,
                                             job->mode, 0, cancellable, error);
}

void
aq_pipeline_preview_step_async (AqPipeline          *pipeline,
                                const char          *conninfo,
                                const char          *step_id,
                                guint                limit,
                                AqPipelinePreviewMode mode,
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
  job->mode = mode;
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

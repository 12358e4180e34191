/* aq-job-kinds.c — the job kinds built into the scheduler: pipeline, sql and quality
 *
 * "pipeline" runs one of the standard pipelines (data/pipelines/) by name through the
 * pipeline runner's public API: the runner's one transaction makes a retried run safe. "sql"
 * runs a statement (or a ;-separated script, as one implicit transaction) in the warehouse:
 * maintenance that needs no pipeline (ANALYZE, REFRESH MATERIALIZED VIEW, CALL …), and the
 * fast, observable kind the scheduler's own tests use. Whoever may write meta.job may make the
 * daemon run SQL as its role: grant meta.job accordingly (docs/OPERATIONS.md).
 */
#define G_LOG_DOMAIN "aq-job-kind"

#include "config.h"

#include "aq-job-kind.h"

#include <glib/gi18n-lib.h>

#include "aq-db.h"
#include "aq-error.h"
#include "aq-pipeline-runner.h"
#include "aq-pipeline.h"
#include "aq-quality.h"

/* ---- pipeline ---- */

static gboolean
pipeline_validate (const char  *target,
                   GError     **error)
{
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (target, error);

  if (pipeline == NULL)
    g_prefix_error (error, _("target: "));
  return pipeline != NULL;
}

static char *
pipeline_run (const char    *target,
              const char    *conninfo,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (target, error);
  g_autoptr(AqPipelineRunner) runner = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *run_id = NULL;
  gboolean ok;

  if (pipeline == NULL || (db = aq_db_connect (conninfo, error)) == NULL)
    return NULL;
  runner = aq_pipeline_runner_new (pipeline, db);
  ok = aq_pipeline_runner_run (runner, cancellable, error);
  run_id = g_strdup_printf ("%" G_GINT64_FORMAT, aq_pipeline_runner_get_run_id (runner));
  if (!ok)
    {
      if (aq_pipeline_runner_get_run_id (runner) > 0)
        g_prefix_error (error, _("pipeline run %s: "), run_id);
      return NULL;
    }
  return g_strdup_printf (_("pipeline %s: run %s succeeded (meta.pipeline_run has its steps)"),
                          target, run_id);
}

static const AqJobKind pipeline_kind = {
  .name = "pipeline",
  .description = N_("Runs a standard pipeline by name"),
  .validate = pipeline_validate,
  .run = pipeline_run,
};

/* ---- sql ---- */

static char *
sql_run (const char    *target,
         const char    *conninfo,
         GCancellable  *cancellable,
         GError       **error)
{
  g_autoptr(AqDb) db = aq_db_connect (conninfo, error);
  gulong handler;
  gboolean ok;

  if (db == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  handler = aq_db_watch_cancellable (db, cancellable);
  ok = aq_db_exec (db, target, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (!ok)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));
        }
      return NULL;
    }
  return g_strdup (_("statement done"));
}

static const AqJobKind sql_kind = {
  .name = "sql",
  .description = N_("Runs an SQL statement or script in the warehouse"),
  .validate = NULL,
  .run = sql_run,
};

/* ---- quality: a rule set, all in src/core/quality/aq-quality-job.c ---- */

static const AqJobKind quality_kind = {
  .name = "quality",
  .description = N_("Runs data-quality rule sets or rules; fails when a fail rule fails"),
  .validate = aq_quality_job_validate,
  .run = aq_quality_job_run,
};

void
_aq_job_kinds_register_builtin (void)
{
  aq_job_kind_register (&pipeline_kind);
  aq_job_kind_register (&sql_kind);
  aq_job_kind_register (&quality_kind);
}

/* aq-job-kinds.c — the job kinds built into the scheduler: pipeline, sql and quality
 *
 * "pipeline" runs a pipeline from the warehouse's pipeline store (meta.pipeline_version), never
 * the file on disk: "NAME" the latest version at the time of the run (what the editor saved
 * last), "NAME@N" version N pinned. The store is checked when the job is saved
 * (validate_db: the pipeline, and a pinned version, exist); a run of a pipeline removed since
 * fails with the same message. It goes through the pipeline runner's public API: the runner's
 * one transaction makes a retried run safe. "sql"
 * runs a statement (or a ;-separated script, as one implicit transaction) in the warehouse:
 * maintenance that needs no pipeline (ANALYZE, REFRESH MATERIALIZED VIEW, CALL …), and the
 * fast, observable kind the scheduler's own tests use. Whoever may write meta.job may make the
 * daemon run SQL as its role: grant meta.job accordingly (docs/OPERATIONS.md).
 */
#define G_LOG_DOMAIN "aq-job-kind"

#include "config.h"

#include "aq-job-kind.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>

#include "aq-db.h"
#include "aq-error.h"
#include "aq-pipeline-runner.h"
#include "aq-pipeline.h"
#include "aq-pipeline-store.h"
#include "aq-quality.h"

/* ---- pipeline ---- */

/* “NAME” (the latest stored version) or “NAME@N” (version N, pinned). */
static gboolean
parse_pipeline_target (const char  *target,
                       char       **name,
                       int         *version,
                       GError     **error)
{
  g_autoptr(GRegex) re = g_regex_new ("^([a-z][a-z0-9_]{0,62})(?:@([1-9][0-9]{0,8}))?$",
                                      0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *number = NULL;

  if (!g_regex_match (re, target, 0, &match))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("target: “%s” is not a pipeline name, or NAME@VERSION to pin a version"),
                   target);
      return FALSE;
    }
  *name = g_match_info_fetch (match, 1);
  number = g_match_info_fetch (match, 2);
  *version = number && *number ? atoi (number) : 0;
  return TRUE;
}

static gboolean
pipeline_validate (const char  *target,
                   GError     **error)
{
  g_autofree char *name = NULL;
  int version;

  return parse_pipeline_target (target, &name, &version, error);
}

/* The store has the pipeline (and the pinned version): what a run will load. */
static gboolean
pipeline_validate_db (const char  *target,
                      AqDb        *db,
                      GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  int version;

  if (!parse_pipeline_target (target, &name, &version, error))
    return FALSE;
  text = aq_pipeline_store_load (db, name, version, error);
  if (text == NULL)
    g_prefix_error (error, _("target: "));
  return text != NULL;
}

/* Runs the stored version, never the file: what the editor saved (or the version pinned). */
static char *
pipeline_run (const char    *target,
              const char    *conninfo,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autofree char *name = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(AqPipelineRunner) runner = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *run_id = NULL;
  int version;
  gboolean ok;

  if (!parse_pipeline_target (target, &name, &version, error)
      || (db = aq_db_connect (conninfo, error)) == NULL)
    return NULL;
  if (version == 0)
    {
      versions = aq_pipeline_store_versions (db, name, error);
      if (versions == NULL)
        return NULL;
      if (versions->len == 0)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                       _("There is no pipeline “%s” in the warehouse"), name);
          return NULL;
        }
      version = ((AqPipelineVersion *) g_ptr_array_index (versions, 0))->version;
    }
  pipeline = aq_pipeline_store_open (db, name, version, error);
  if (pipeline == NULL)
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
  return g_strdup_printf (_("pipeline %s version %d: run %s succeeded (meta.pipeline_run has "
                            "its steps)"), name, version, run_id);
}

static const AqJobKind pipeline_kind = {
  .name = "pipeline",
  .description = N_("Runs the latest stored version of a pipeline (NAME), or a pinned one "
                    "(NAME@VERSION)"),
  .validate = pipeline_validate,
  .run = pipeline_run,
  .validate_db = pipeline_validate_db,
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

/* aq-job-private.h — what aq-job.c and aq-job-queue.c share; for src/core/scheduler/ only */
#pragma once

#include "aq-job.h"

G_BEGIN_DECLS

#define _AQ_USEC(expr) "(extract(epoch FROM " expr ") * 1000000)::bigint"

/* The columns _aq_job_run_from_row() reads, over meta.job_run r joined with meta.job j. */
#define AQ_JOB_RUN_COLUMNS \
  "r.run_id, r.job_id, j.name, j.kind, j.target, j.timeout_seconds, " \
  _AQ_USEC ("r.scheduled_for") ", r.trigger, r.attempt, r.status, " \
  _AQ_USEC ("r.queued_at") ", " _AQ_USEC ("r.started_at") ", " _AQ_USEC ("r.finished_at") ", " \
  "r.error, r.log_excerpt, r.lease_owner, " _AQ_USEC ("r.lease_until")

AqJobRun   *_aq_job_run_from_row   (PGresult   *res,
                                    int         row);
/* now (aq_clock_now()) or @dt as a timestamptz parameter (transfer full) */
char       *_aq_job_time_param     (GDateTime  *dt);
GDateTime  *_aq_job_time_from_usec (PGresult   *res,
                                    int         row,
                                    int         column);
GTimeZone  *_aq_job_zone           (const char *identifier);
gboolean    _aq_job_is_unique_violation (GError *error);

G_END_DECLS

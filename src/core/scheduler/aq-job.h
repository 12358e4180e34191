/* aq-job.h — scheduled jobs (meta.job) and their runs (meta.job_run): define, list, history */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  gint64     job_id;
  char      *name;
  char      *kind;             /* a registered AqJobKind */
  char      *target;           /* what the kind runs, e.g. a pipeline's name */
  char      *schedule;         /* a cron expression (aq-cron.h), or NULL for a chain */
  char      *after_job;        /* runs after this job succeeded, or NULL */
  char      *time_zone;        /* the schedule's zone; NULL: aq_clock_zone() */
  gboolean   enabled;
  int        retries;          /* more attempts after a failed or interrupted one */
  int        backoff_seconds;  /* before retry n: backoff × 2^(n−1) */
  int        timeout_seconds;  /* a run longer than this is cancelled and fails */
  gboolean   no_overlap;       /* never two runs at once (the default) */

  /* read back by aq_job_list() */
  GDateTime *next_due_at;      /* the next scheduled occurrence; NULL for chains */
  gint64     last_run_id;      /* 0: never ran */
  char      *last_status;
  GDateTime *last_started_at;
  GDateTime *last_finished_at;
  char      *last_error;
  GDateTime *last_success_at;
  double     last_duration_s;  /* of the last finished run; -1 when none */
  gint64     failures;         /* failed and interrupted runs, all time */
  gint64     queued;           /* runs waiting now */
} AqJob;

typedef struct
{
  gint64     run_id;
  gint64     job_id;
  char      *job_name;
  char      *kind;
  char      *target;
  int        timeout_seconds;
  GDateTime *scheduled_for;
  char      *trigger;          /* schedule, chain, hand, backfill */
  int        attempt;
  char      *status;           /* queued, running, succeeded, failed, interrupted, cancelled */
  GDateTime *queued_at;
  GDateTime *started_at;
  GDateTime *finished_at;
  char      *error;
  char      *log_excerpt;
  char      *lease_owner;
  GDateTime *lease_until;
} AqJobRun;

#define AQ_JOB_DEFAULT_BACKOFF 60
#define AQ_JOB_DEFAULT_TIMEOUT 3600

AqJob      *aq_job_new             (const char  *name,
                                    const char  *kind,
                                    const char  *target);
void        aq_job_free            (AqJob       *job);
void        aq_job_run_free        (AqJobRun    *run);

/* Checks the fields without the warehouse: name, kind and target, the schedule parses (or a
 * chain names another job), the time zone exists, numbers in range. */
gboolean    aq_job_validate        (AqJob       *job,
                                    GError     **error);

/* Adds a job; its first occurrence is the schedule's next after now (no run for the past). */
gboolean    aq_job_add             (AqDb        *db,
                                    AqJob       *job,
                                    GError     **error);
/* Changes a job's definition in place (found by name; its runs stay). */
gboolean    aq_job_update          (AqDb        *db,
                                    AqJob       *job,
                                    GError     **error);
/* Removes a job and its runs; refused while another job is chained after it. */
gboolean    aq_job_remove          (AqDb        *db,
                                    const char  *name,
                                    GError     **error);
/* Disabling cancels its queued runs; enabling schedules from now on (no catch-up for the
 * disabled time). */
gboolean    aq_job_set_enabled     (AqDb        *db,
                                    const char  *name,
                                    gboolean     enabled,
                                    GError     **error);
/* Every job, by name, with its next and last runs (a GPtrArray of AqJob). */
GPtrArray  *aq_job_list            (AqDb        *db,
                                    GError     **error);
AqJob      *aq_job_get             (AqDb        *db,
                                    const char  *name,
                                    GError     **error);
/* The newest @limit runs, of one job or (@name NULL) of all; a GPtrArray of AqJobRun. */
GPtrArray  *aq_job_history         (AqDb        *db,
                                    const char  *name,
                                    guint        limit,
                                    GError     **error);

JsonNode   *aq_job_to_json         (AqJob       *job);
JsonNode   *aq_job_run_to_json     (AqJobRun    *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqJob, aq_job_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqJobRun, aq_job_run_free)

G_END_DECLS

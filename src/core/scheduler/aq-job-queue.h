/* aq-job-queue.h — the scheduler's steps on meta.job_run: plan, claim, renew, finish, recover
 *
 * Every step is one short statement or transaction against the warehouse, safe to run from
 * any number of daemons at once; "now" is aq_clock_now(), so tests pin it. A daemon's tick
 * is: recover, plan, renew its leases, claim while it has free slots; each claimed run is
 * executed on a worker thread and finished with its outcome.
 */
#pragma once

#include "aq-job.h"

G_BEGIN_DECLS

/* Marks running runs whose lease ran out as interrupted (the daemon running them died) and
 * queues their retries per policy. Returns how many, or -1 on error. */
int        aq_job_queue_recover (AqDb          *db,
                                 GError       **error);
/* Queues the due occurrence of every enabled scheduled job, at most one per job however many
 * were missed (the latest of them: catch-up at most once), and moves each job's cursor past
 * now. An occurrence is not queued while the job's previous scheduled run still waits.
 * Returns how many runs were queued, or -1 on error. */
int        aq_job_queue_plan    (AqDb          *db,
                                 GError       **error);
/* Queues a run of @name now, by hand (trigger "hand") or as a backfill of the occurrence
 * @scheduled_for (trigger "backfill"); returns its run id, or 0 on error. */
gint64     aq_job_queue_add     (AqDb          *db,
                                 const char    *name,
                                 const char    *trigger,
                                 GDateTime     *scheduled_for,
                                 GError       **error);
/* Claims the next due queued run (or, @run_id > 0, that one run) for @owner with a lease of
 * @lease_seconds. NULL with no error when nothing is due or another daemon took it. */
AqJobRun  *aq_job_queue_claim   (AqDb          *db,
                                 const char    *owner,
                                 guint          lease_seconds,
                                 gint64         run_id,
                                 GError       **error);
/* Extends the leases @owner holds on @run_ids (a gint64 array). */
gboolean   aq_job_queue_renew   (AqDb          *db,
                                 const char    *owner,
                                 GArray        *run_ids,
                                 guint          lease_seconds,
                                 GError       **error);
/* Records a run's end: @status succeeded, failed, interrupted or cancelled. A failed or
 * interrupted run queues its retry (after the backoff) while attempts remain; a succeeded one
 * queues the jobs chained after it. Only while @owner still holds the lease: *@recorded says
 * whether it did (FALSE: the lease was lost and another daemon took over the occurrence). */
gboolean   aq_job_queue_finish  (AqDb          *db,
                                 const char    *owner,
                                 gint64         run_id,
                                 const char    *status,
                                 const char    *error_text,
                                 const char    *log_excerpt,
                                 gboolean      *recorded,
                                 GError       **error);
/* Puts a run that @owner stopped before its end (the daemon is stopping) back in the queue,
 * as if never claimed; FALSE in *@recorded when the lease was lost meanwhile. */
gboolean   aq_job_queue_release (AqDb          *db,
                                 const char    *owner,
                                 gint64         run_id,
                                 gboolean      *recorded,
                                 GError       **error);
/* Runs @run's kind on this thread, cancelled after the job's timeout (an error saying so) or
 * when @cancellable is (G_IO_ERROR_CANCELLED). Returns the log excerpt. */
char      *aq_job_queue_execute (AqJobRun      *run,
                                 const char    *conninfo,
                                 GCancellable  *cancellable,
                                 GError       **error);
/* Runs @name now in this process (trigger hand): queue, claim, execute, finish. The lease
 * covers the timeout, as nobody renews it. *@out_run (optional) gets the finished run. */
gboolean   aq_job_queue_run_now (AqDb          *db,
                                 const char    *name,
                                 const char    *owner,
                                 GCancellable  *cancellable,
                                 AqJobRun     **out_run,
                                 GError       **error);

G_END_DECLS

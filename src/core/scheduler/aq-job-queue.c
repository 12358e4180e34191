/* aq-job-queue.c — the scheduler's steps on meta.job_run: plan, claim, renew, finish, recover
 *
 * Crash safety as the relay does it (src/daemon/aq-relay-store.c): a run is claimed in one
 * statement whose inner SELECT … FOR UPDATE SKIP LOCKED lets daemons claim side by side
 * without waiting on or taking each other's rows; the claim sets a lease that its daemon
 * renews every tick, so a daemon killed mid-run leaves a run whose lease runs out, and the next
 * tick of any daemon marks it interrupted and queues its retry. Three rules hold in the
 * database itself, not in a daemon's memory:
 *  - one occurrence, one run: queueing is INSERT … ON CONFLICT DO NOTHING on the unique
 *    (job, scheduled_for, trigger, attempt), so daemons that both see an occurrence due queue
 *    it once, and a retry or a chain is queued once however often its cause is recorded;
 *  - no overlap: the partial unique index job_run_one_running; a claim that would break it
 *    fails with a unique violation, which here means "another daemon just started this job";
 *  - a lost lease loses the result: finish writes only where this owner still holds the run.
 * Planning locks each due job's row (SKIP LOCKED: another daemon is planning it) and moves the
 * job's cursor past now, queueing only the latest missed occurrence: after downtime a
 * schedule catches up once. Backfill is explicit (aq_job_queue_add with "backfill").
 */
#define G_LOG_DOMAIN "aq-job-queue"

#include "config.h"

#include "aq-job-queue.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-cron.h"
#include "aq-error.h"
#include "aq-job-kind.h"
#include "aq-job-private.h"

/* A daemon down for years must not spin through every missed minute: past this many the
 * cursor jumps straight to the next occurrence after now. */
#define MAX_CATCH_UP_STEPS 100000
/* How much of a run's log meta.job_run keeps. */
#define LOG_EXCERPT_BYTES 4000

/* A failed or interrupted run's retry, after backoff × 2^(attempt−1), while attempts remain;
 * appended to a CTE named "ended" holding the ended runs. */
#define RETRY_SQL \
  " INSERT INTO meta.job_run (job_id, scheduled_for, trigger, attempt, exclusive, not_before," \
  "                           queued_at, parent_run_id)" \
  " SELECT e.job_id, e.scheduled_for, e.trigger, e.attempt + 1, e.exclusive," \
  "        $now::timestamptz + j.backoff_seconds * power (2, e.attempt - 1)" \
  "                            * interval '1 second'," \
  "        $now::timestamptz, e.parent_run_id" \
  "   FROM ended e JOIN meta.job j ON j.job_id = e.job_id" \
  "  WHERE e.status IN ('failed', 'interrupted') AND e.attempt <= j.retries AND j.enabled" \
  "     ON CONFLICT DO NOTHING"

static const char recover_sql[] =
  "WITH ended AS ("
  "  UPDATE meta.job_run r SET status = 'interrupted', finished_at = $now::timestamptz,"
  "         error = $2 || ' (' || r.lease_owner || ')', lease_until = NULL"
  "   WHERE r.run_id IN (SELECT q.run_id FROM meta.job_run q"
  "                       WHERE q.status = 'running' AND q.lease_until < $now::timestamptz"
  "                         FOR UPDATE SKIP LOCKED)"
  "  RETURNING r.*),"
  " retry AS (" RETRY_SQL " RETURNING 1)"
  " SELECT (SELECT count(*) FROM ended), (SELECT count(*) FROM retry)";

static const char finish_sql[] =
  "WITH ended AS ("
  "  UPDATE meta.job_run r SET status = $4, finished_at = $now::timestamptz, error = $5,"
  "         log_excerpt = $6, lease_until = NULL"
  "   WHERE r.run_id = $2 AND r.lease_owner = $3 AND r.status = 'running'"
  "  RETURNING r.*),"
  " retry AS (" RETRY_SQL " RETURNING 1),"
  " chain AS ("
  "  INSERT INTO meta.job_run (job_id, scheduled_for, trigger, attempt, exclusive, not_before,"
  "                            queued_at, parent_run_id)"
  "  SELECT c.job_id, e.scheduled_for, 'chain', 1, c.no_overlap, $now::timestamptz,"
  "         $now::timestamptz, e.run_id"
  "    FROM ended e JOIN meta.job p ON p.job_id = e.job_id"
  "    JOIN meta.job c ON c.after_job = p.name"
  "   WHERE e.status = 'succeeded' AND c.enabled"
  "      ON CONFLICT DO NOTHING RETURNING 1)"
  " SELECT (SELECT count(*) FROM ended), (SELECT count(*) FROM retry),"
  "        (SELECT count(*) FROM chain)";

static const char claim_sql[] =
  "UPDATE meta.job_run r SET status = 'running', started_at = $now::timestamptz,"
  "       lease_owner = $2, lease_until = $now::timestamptz + $3::int * interval '1 second'"
  "  FROM meta.job j"
  " WHERE j.job_id = r.job_id"
  "   AND r.run_id = (SELECT q.run_id"
  "                     FROM meta.job_run q JOIN meta.job qj ON qj.job_id = q.job_id"
  "                    WHERE q.status = 'queued' AND q.not_before <= $now::timestamptz"
  "                      AND qj.enabled AND ($4::bigint = 0 OR q.run_id = $4::bigint)"
  "                      AND NOT (q.exclusive AND EXISTS ("
  "                            SELECT 1 FROM meta.job_run o"
  "                             WHERE o.job_id = q.job_id AND o.status = 'running'"
  "                               AND o.exclusive))"
  "                    ORDER BY q.not_before, q.run_id"
  "                    LIMIT 1"
  "                      FOR UPDATE OF q SKIP LOCKED)"
  " RETURNING " AQ_JOB_RUN_COLUMNS;

static const char due_jobs_sql[] =
  "SELECT job_id, name, schedule, time_zone, " _AQ_USEC ("next_due_at") ","
  "       EXISTS (SELECT 1 FROM meta.job_run q WHERE q.job_id = j.job_id"
  "                  AND q.status = 'queued' AND q.trigger = 'schedule')"
  "  FROM meta.job j"
  " WHERE enabled AND schedule IS NOT NULL"
  "   AND (next_due_at IS NULL OR next_due_at <= $now::timestamptz)"
  "   FOR UPDATE SKIP LOCKED";

/* ---- auxiliary methods ---- */

/* The statements name now "$now": it is always parameter $1. */
static char *
with_now (const char *sql)
{
  g_autoptr(GString) s = g_string_new (sql);

  g_string_replace (s, "$now", "$1", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static char *
truncate_log (const char *log)
{
  const char *end;

  if (log == NULL || strlen (log) <= LOG_EXCERPT_BYTES)
    return g_strdup (log);
  end = g_utf8_find_prev_char (log, log + LOG_EXCERPT_BYTES);
  return g_strdup_printf ("%.*s…", (int) (end - log), log);
}

/* ---- public API ---- */

int
aq_job_queue_recover (AqDb    *db,
                      GError **error)
{
  g_autofree char *sql = with_now (recover_sql);
  g_autofree char *now = _aq_job_time_param (NULL);
  const char *params[] = {
    now, _("interrupted: the lease ran out, the daemon running it stopped"),
  };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), -1);

  res = aq_db_query (db, sql, 2, params, error);
  if (res == NULL)
    return -1;
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

int
aq_job_queue_plan (AqDb    *db,
                   GError **error)
{
  g_autoptr(GDateTime) now = aq_clock_now ();
  g_autofree char *now_text = _aq_job_time_param (now);
  g_autofree char *sql = with_now (due_jobs_sql);
  const char *params[] = { now_text };
  g_autoptr(PGresult) jobs = NULL;
  int queued = 0;

  g_return_val_if_fail (AQ_IS_DB (db), -1);

  if (!aq_db_begin (db, error))
    return -1;
  jobs = aq_db_query (db, sql, 1, params, error);
  if (jobs == NULL)
    goto fail;
  for (int i = 0; i < PQntuples (jobs); i++)
    {
      const char *job_id = PQgetvalue (jobs, i, 0);
      g_autoptr(GError) cron_error = NULL;
      g_autoptr(AqCron) cron = aq_cron_parse (PQgetvalue (jobs, i, 2), &cron_error);
      g_autoptr(GTimeZone) zone = _aq_job_zone (PQgetvalue (jobs, i, 3));
      g_autoptr(GDateTime) cursor = _aq_job_time_from_usec (jobs, i, 4);
      g_autoptr(GDateTime) occurrence = NULL;
      g_autoptr(GDateTime) next = NULL;
      gboolean waiting = g_str_equal (PQgetvalue (jobs, i, 5), "t");
      g_autofree char *next_text = NULL;
      g_autoptr(PGresult) res = NULL;

      if (cron == NULL || zone == NULL)
        {
          g_warning ("job %s is not planned: %s", PQgetvalue (jobs, i, 1),
                     cron_error ? cron_error->message : "unknown time zone");
          continue;
        }
      if (cursor)
        {
          /* the latest occurrence that is due: the one run a catch-up gets */
          guint steps = 0;

          occurrence = g_date_time_ref (cursor);
          next = aq_cron_next (cron, occurrence, zone);
          while (next && g_date_time_compare (next, now) <= 0 && ++steps < MAX_CATCH_UP_STEPS)
            {
              g_date_time_unref (occurrence);
              occurrence = g_steal_pointer (&next);
              next = aq_cron_next (cron, occurrence, zone);
            }
          if (next && g_date_time_compare (next, now) <= 0)
            {
              g_clear_pointer (&next, g_date_time_unref);
              next = aq_cron_next (cron, now, zone);
            }
        }
      else
        next = aq_cron_next (cron, now, zone);

      if (occurrence && !waiting)
        {
          g_autofree char *occurrence_text = _aq_job_time_param (occurrence);
          const char *insert_params[] = { now_text, job_id, occurrence_text };
          g_autofree char *insert_sql = with_now (
            "INSERT INTO meta.job_run (job_id, scheduled_for, trigger, attempt, exclusive,"
            "                          not_before, queued_at)"
            " SELECT job_id, $3, 'schedule', 1, no_overlap, $now::timestamptz,"
            "        $now::timestamptz"
            "   FROM meta.job WHERE job_id = $2"
            "     ON CONFLICT DO NOTHING RETURNING run_id");

          res = aq_db_query (db, insert_sql, 3, insert_params, error);
          if (res == NULL)
            goto fail;
          queued += PQntuples (res);
          g_clear_pointer (&res, PQclear);
        }
      next_text = next ? _aq_job_time_param (next) : NULL;
      {
        const char *update_params[] = { job_id, next_text };

        res = aq_db_query (db, "UPDATE meta.job SET next_due_at = $2 WHERE job_id = $1", 2,
                           update_params, error);
        if (res == NULL)
          goto fail;
      }
    }
  if (!aq_db_commit (db, error))
    goto fail;
  return queued;

fail:
  aq_db_rollback (db);
  return -1;
}

gint64
aq_job_queue_add (AqDb        *db,
                  const char  *name,
                  const char  *trigger,
                  GDateTime   *scheduled_for,
                  GError     **error)
{
  g_autofree char *now = _aq_job_time_param (NULL);
  g_autofree char *at = _aq_job_time_param (scheduled_for);
  g_autofree char *sql = with_now (
    "INSERT INTO meta.job_run (job_id, scheduled_for, trigger, attempt, exclusive, not_before,"
    "                          queued_at)"
    " SELECT job_id, $3, $4, 1, no_overlap, $now::timestamptz, $now::timestamptz"
    "   FROM meta.job WHERE name = $2"
    "     ON CONFLICT DO NOTHING RETURNING run_id");
  const char *params[] = { now, name, at, trigger };
  g_autoptr(PGresult) res = NULL;
  g_autoptr(AqJob) job = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), 0);
  g_return_val_if_fail (g_strcmp0 (trigger, "hand") == 0 || g_strcmp0 (trigger, "backfill") == 0,
                        0);

  if ((job = aq_job_get (db, name, error)) == NULL)
    return 0;
  res = aq_db_query (db, sql, 4, params, error);
  if (res == NULL)
    return 0;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Job “%s” has a %s run for that time already"), name, trigger);
      return 0;
    }
  return g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
}

AqJobRun *
aq_job_queue_claim (AqDb        *db,
                    const char  *owner,
                    guint        lease_seconds,
                    gint64       run_id,
                    GError     **error)
{
  g_autofree char *sql = with_now (claim_sql);
  g_autofree char *now = _aq_job_time_param (NULL);
  g_autofree char *lease = g_strdup_printf ("%u", lease_seconds);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *params[] = { now, owner, lease, id };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db) && owner != NULL, NULL);

  res = aq_db_query (db, sql, 4, params, &local_error);
  if (res == NULL)
    {
      /* another daemon started a run of the same job in the same instant */
      if (_aq_job_is_unique_violation (local_error))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (PQntuples (res) == 0)
    return NULL;
  return _aq_job_run_from_row (res, 0);
}

gboolean
aq_job_queue_renew (AqDb        *db,
                    const char  *owner,
                    GArray      *run_ids,
                    guint        lease_seconds,
                    GError     **error)
{
  g_autofree char *sql = with_now (
    "UPDATE meta.job_run SET lease_until = $now::timestamptz + $3::int * interval '1 second'"
    " WHERE lease_owner = $2 AND status = 'running' AND run_id = ANY ($4::bigint[])");
  g_autofree char *now = _aq_job_time_param (NULL);
  g_autofree char *lease = g_strdup_printf ("%u", lease_seconds);
  g_autoptr(GString) ids = g_string_new ("{");
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (run_ids == NULL || run_ids->len == 0)
    return TRUE;
  for (guint i = 0; i < run_ids->len; i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i ? "," : "",
                            g_array_index (run_ids, gint64, i));
  g_string_append_c (ids, '}');
  {
    const char *params[] = { now, owner, lease, ids->str };

    res = aq_db_query (db, sql, 4, params, error);
  }
  return res != NULL;
}

gboolean
aq_job_queue_finish (AqDb        *db,
                     const char  *owner,
                     gint64       run_id,
                     const char  *status,
                     const char  *error_text,
                     const char  *log_excerpt,
                     gboolean    *recorded,
                     GError     **error)
{
  g_autofree char *sql = with_now (finish_sql);
  g_autofree char *now = _aq_job_time_param (NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  g_autofree char *log = truncate_log (log_excerpt);
  const char *params[] = { now, id, owner, status, error_text, log };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  res = aq_db_query (db, sql, 6, params, error);
  if (res == NULL)
    return FALSE;
  if (recorded)
    *recorded = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10) > 0;
  return TRUE;
}

gboolean
aq_job_queue_release (AqDb        *db,
                      const char  *owner,
                      gint64       run_id,
                      gboolean    *recorded,
                      GError     **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *params[] = { id, owner };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  res = aq_db_query (db,
                     "UPDATE meta.job_run SET status = 'queued', started_at = NULL,"
                     "       lease_owner = NULL, lease_until = NULL"
                     " WHERE run_id = $1 AND lease_owner = $2 AND status = 'running'"
                     " RETURNING run_id", 2, params, error);
  if (res == NULL)
    return FALSE;
  if (recorded)
    *recorded = PQntuples (res) > 0;
  return TRUE;
}

/* ---- executing ---- */

typedef struct
{
  const AqJobKind *kind;
  char            *target;
  char            *conninfo;
  GCancellable    *cancellable;
  GMutex           lock;
  GCond            cond;
  gboolean         done;
  char            *log;
  GError          *error;
  int              refs;
} Execution;

static void
execution_unref (Execution *e)
{
  gboolean last;

  g_mutex_lock (&e->lock);
  last = --e->refs == 0;
  g_mutex_unlock (&e->lock);
  if (!last)
    return;
  g_free (e->target);
  g_free (e->conninfo);
  g_object_unref (e->cancellable);
  g_free (e->log);
  g_clear_error (&e->error);
  g_mutex_clear (&e->lock);
  g_cond_clear (&e->cond);
  g_free (e);
}

static gpointer
execution_thread (gpointer data)
{
  Execution *e = data;
  GError *error = NULL;
  char *log = e->kind->run (e->target, e->conninfo, e->cancellable, &error);

  g_mutex_lock (&e->lock);
  e->log = log;
  e->error = error;
  e->done = TRUE;
  g_cond_broadcast (&e->cond);
  g_mutex_unlock (&e->lock);
  execution_unref (e);
  return NULL;
}

static void
forward_cancel_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

char *
aq_job_queue_execute (AqJobRun      *run,
                      const char    *conninfo,
                      GCancellable  *cancellable,
                      GError       **error)
{
  const AqJobKind *kind;
  Execution *e;
  gint64 deadline;
  gboolean timed_out = FALSE;
  gulong handler = 0;
  char *log = NULL;

  g_return_val_if_fail (run != NULL && conninfo != NULL, NULL);

  kind = aq_job_kind_lookup (run->kind);
  if (kind == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Job “%s” has kind “%s”, which this program does not know"),
                   run->job_name, run->kind);
      return NULL;
    }
  e = g_new0 (Execution, 1);
  e->kind = kind;
  e->target = g_strdup (run->target);
  e->conninfo = g_strdup (conninfo);
  e->cancellable = g_cancellable_new ();
  e->refs = 2;
  g_mutex_init (&e->lock);
  g_cond_init (&e->cond);
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (forward_cancel_cb),
                                     g_object_ref (e->cancellable), g_object_unref);

  /* the kind runs on its own thread so this one can keep the time */
  g_thread_unref (g_thread_new ("aq-job", execution_thread, e));
  deadline = g_get_monotonic_time () + (gint64) MAX (run->timeout_seconds, 1) * G_USEC_PER_SEC;
  g_mutex_lock (&e->lock);
  while (!e->done)
    if (!g_cond_wait_until (&e->cond, &e->lock, deadline) && !e->done && !timed_out)
      {
        timed_out = TRUE;
        g_mutex_unlock (&e->lock);
        g_cancellable_cancel (e->cancellable);
        g_mutex_lock (&e->lock);
        deadline = G_MAXINT64;
      }
  g_mutex_unlock (&e->lock);
  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);

  if (timed_out)
    g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("timed out after %d s and was cancelled"),
                 run->timeout_seconds);
  else if (e->error)
    g_propagate_error (error, g_steal_pointer (&e->error));
  else
    log = g_steal_pointer (&e->log);
  if (!timed_out && error && *error == NULL && log == NULL)
    log = g_strdup ("");
  execution_unref (e);
  return log;
}

gboolean
aq_job_queue_run_now (AqDb          *db,
                      const char    *name,
                      const char    *owner,
                      GCancellable  *cancellable,
                      AqJobRun     **out_run,
                      GError       **error)
{
  g_autoptr(GDateTime) now = aq_clock_now ();
  g_autoptr(AqJobRun) run = NULL;
  g_autoptr(GError) run_error = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  const char *status;
  gboolean recorded = FALSE;
  gint64 run_id;
  g_autoptr(AqJob) job = aq_job_get (db, name, error);

  if (job == NULL)
    return FALSE;
  run_id = aq_job_queue_add (db, name, "hand", now, error);
  if (run_id == 0)
    return FALSE;
  /* nobody renews this lease: it covers the timeout, and a minute more to record the end */
  run = aq_job_queue_claim (db, owner, job->timeout_seconds + 60, run_id, error);
  if (run == NULL)
    {
      g_autofree char *fin = _aq_job_time_param (NULL);
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
      const char *params[] = {
        id, fin, job->enabled ? _("cancelled: the job was running already")
                              : _("cancelled: the job was disabled"),
      };
      g_autoptr(PGresult) res = NULL;

      if (error && *error)
        return FALSE;
      res = aq_db_query (db, "UPDATE meta.job_run SET status = 'cancelled', finished_at = $2,"
                             " error = $3 WHERE run_id = $1 AND status = 'queued'", 3, params,
                         error);
      if (res == NULL)
        return FALSE;
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED,
                   job->enabled ? _("Job “%s” is running already (it never overlaps itself):"
                                    " try again when it is done")
                                : _("Job “%s” is disabled: enable it first"), name);
      return FALSE;
    }
  log = aq_job_queue_execute (run, aq_db_get_conninfo (db), cancellable, &run_error);
  if (run_error == NULL)
    status = "succeeded";
  else if (g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    status = "cancelled";
  else
    status = "failed";
  if (!aq_job_queue_finish (db, owner, run->run_id, status,
                            run_error ? run_error->message : NULL, log, &recorded, error))
    return FALSE;
  if (out_run)
    {
      runs = aq_job_history (db, name, 20, error);
      if (runs == NULL)
        return FALSE;
      for (guint i = 0; i < runs->len; i++)
        if (((AqJobRun *) g_ptr_array_index (runs, i))->run_id == run->run_id)
          *out_run = g_ptr_array_steal_index (runs, i);
    }
  if (run_error)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&run_error),
                                  _("Job “%s” failed: "), name);
      return FALSE;
    }
  return TRUE;
}

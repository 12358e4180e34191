/* aq-job.c — scheduled jobs (meta.job) and their runs (meta.job_run): define, list, history
 *
 * A job is checked in C before it is stored (the schedule parses, the kind knows the target,
 * the zone exists), so the daemon never meets a job it cannot plan. Times travel as
 * microseconds since the epoch, both ways, so an occurrence read back is the very instant
 * that was stored (the unique key of meta.job_run depends on it). Reads run in read-only
 * transactions.
 */
#define G_LOG_DOMAIN "aq-job"

#include "config.h"

#include "aq-job.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-cron.h"
#include "aq-error.h"
#include "aq-job-kind.h"
#include "aq-job-private.h"

static const char list_sql[] =
  "SELECT j.job_id, j.name, j.kind, j.target, j.schedule, j.after_job, j.time_zone, j.enabled,"
  "       j.retries, j.backoff_seconds, j.timeout_seconds, j.no_overlap, "
  _AQ_USEC ("j.next_due_at") ","
  "       l.run_id, l.status, " _AQ_USEC ("l.started_at") ", " _AQ_USEC ("l.finished_at") ","
  "       l.error,"
  "       (SELECT " _AQ_USEC ("max(s.finished_at)") " FROM meta.job_run s"
  "         WHERE s.job_id = j.job_id AND s.status = 'succeeded'),"
  "       (SELECT extract(epoch FROM f.finished_at - f.started_at)::float8"
  "          FROM meta.job_run f"
  "         WHERE f.job_id = j.job_id AND f.finished_at IS NOT NULL AND f.started_at IS NOT NULL"
  "         ORDER BY f.finished_at DESC LIMIT 1),"
  "       (SELECT count(*) FROM meta.job_run x"
  "         WHERE x.job_id = j.job_id AND x.status IN ('failed', 'interrupted')),"
  "       (SELECT count(*) FROM meta.job_run q WHERE q.job_id = j.job_id AND q.status = 'queued')"
  "  FROM meta.job j"
  "  LEFT JOIN LATERAL (SELECT * FROM meta.job_run r"
  "                      WHERE r.job_id = j.job_id AND r.status <> 'queued'"
  "                      ORDER BY r.run_id DESC LIMIT 1) l ON true"
  " WHERE $1::text IS NULL OR j.name = $1"
  " ORDER BY j.name";

static const char history_sql[] =
  "SELECT " AQ_JOB_RUN_COLUMNS
  "  FROM meta.job_run r JOIN meta.job j ON j.job_id = r.job_id"
  " WHERE $1::text IS NULL OR j.name = $1"
  " ORDER BY r.run_id DESC"
  " LIMIT $2::int";

/* ---- auxiliary methods (shared through aq-job-private.h) ---- */

char *
_aq_job_time_param (GDateTime *dt)
{
  g_autoptr(GDateTime) now = dt ? g_date_time_ref (dt) : aq_clock_now ();

  return g_date_time_format_iso8601 (now);
}

GDateTime *
_aq_job_time_from_usec (PGresult *res,
                        int       row,
                        int       column)
{
  gint64 usec;
  g_autoptr(GDateTime) seconds = NULL;

  if (PQgetisnull (res, row, column))
    return NULL;
  usec = g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10);
  seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC
                                           - (usec % G_USEC_PER_SEC < 0 ? 1 : 0));
  return g_date_time_add (seconds, (usec % G_USEC_PER_SEC + G_USEC_PER_SEC) % G_USEC_PER_SEC);
}

GTimeZone *
_aq_job_zone (const char *identifier)
{
  if (identifier == NULL || identifier[0] == '\0')
    return aq_clock_zone ();
  return g_time_zone_new_identifier (identifier);
}

gboolean
_aq_job_is_unique_violation (GError *error)
{
  return error != NULL && strstr (error->message, "[23505]") != NULL;
}

static char *
string_or_null (PGresult *res,
                int       row,
                int       column)
{
  return PQgetisnull (res, row, column) ? NULL : g_strdup (PQgetvalue (res, row, column));
}

static gint64
int_value (PGresult *res,
           int       row,
           int       column)
{
  return PQgetisnull (res, row, column) ? 0
                                        : g_ascii_strtoll (PQgetvalue (res, row, column), NULL,
                                                           10);
}

AqJobRun *
_aq_job_run_from_row (PGresult *res,
                      int       row)
{
  AqJobRun *run = g_new0 (AqJobRun, 1);

  run->run_id = int_value (res, row, 0);
  run->job_id = int_value (res, row, 1);
  run->job_name = string_or_null (res, row, 2);
  run->kind = string_or_null (res, row, 3);
  run->target = string_or_null (res, row, 4);
  run->timeout_seconds = int_value (res, row, 5);
  run->scheduled_for = _aq_job_time_from_usec (res, row, 6);
  run->trigger = string_or_null (res, row, 7);
  run->attempt = int_value (res, row, 8);
  run->status = string_or_null (res, row, 9);
  run->queued_at = _aq_job_time_from_usec (res, row, 10);
  run->started_at = _aq_job_time_from_usec (res, row, 11);
  run->finished_at = _aq_job_time_from_usec (res, row, 12);
  run->error = string_or_null (res, row, 13);
  run->log_excerpt = string_or_null (res, row, 14);
  run->lease_owner = string_or_null (res, row, 15);
  run->lease_until = _aq_job_time_from_usec (res, row, 16);
  return run;
}

static PGresult *
read_query (AqDb                *db,
            const char          *sql,
            int                  n_params,
            const char * const  *params,
            GError             **error)
{
  PGresult *res;

  /* inside the caller's transaction (the Overview reads everything in one) */
  if (PQtransactionStatus (aq_db_get_conn (db)) != PQTRANS_IDLE)
    return aq_db_query (db, sql, n_params, params, error);
  if (!aq_db_exec (db, "BEGIN READ ONLY", error))
    return NULL;
  res = aq_db_query (db, sql, n_params, params, error);
  if (res == NULL)
    {
      aq_db_rollback (db);
      return NULL;
    }
  aq_db_commit (db, NULL);
  return res;
}

static gboolean
job_exists (AqDb        *db,
            const char  *name,
            gboolean    *exists,
            GError     **error)
{
  const char *params[] = { name };
  gint64 n = 0;

  if (!aq_db_query_int64 (db, "SELECT count(*) FROM meta.job WHERE name = $1", 1, params, &n,
                          error))
    return FALSE;
  *exists = n > 0;
  return TRUE;
}

static void
set_not_found (GError     **error,
               const char  *name)
{
  g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
               _("No job “%s”: see aqueductctl job list"), name);
}

/* ---- public API ---- */

AqJob *
aq_job_new (const char *name,
            const char *kind,
            const char *target)
{
  AqJob *job = g_new0 (AqJob, 1);

  job->name = g_strdup (name);
  job->kind = g_strdup (kind);
  job->target = g_strdup (target);
  job->enabled = TRUE;
  job->backoff_seconds = AQ_JOB_DEFAULT_BACKOFF;
  job->timeout_seconds = AQ_JOB_DEFAULT_TIMEOUT;
  job->no_overlap = TRUE;
  job->last_duration_s = -1;
  return job;
}

void
aq_job_free (AqJob *job)
{
  if (job == NULL)
    return;
  g_free (job->name);
  g_free (job->kind);
  g_free (job->target);
  g_free (job->schedule);
  g_free (job->after_job);
  g_free (job->time_zone);
  g_clear_pointer (&job->next_due_at, g_date_time_unref);
  g_free (job->last_status);
  g_clear_pointer (&job->last_started_at, g_date_time_unref);
  g_clear_pointer (&job->last_finished_at, g_date_time_unref);
  g_free (job->last_error);
  g_clear_pointer (&job->last_success_at, g_date_time_unref);
  g_free (job);
}

void
aq_job_run_free (AqJobRun *run)
{
  if (run == NULL)
    return;
  g_free (run->job_name);
  g_free (run->kind);
  g_free (run->target);
  g_clear_pointer (&run->scheduled_for, g_date_time_unref);
  g_free (run->trigger);
  g_free (run->status);
  g_clear_pointer (&run->queued_at, g_date_time_unref);
  g_clear_pointer (&run->started_at, g_date_time_unref);
  g_clear_pointer (&run->finished_at, g_date_time_unref);
  g_free (run->error);
  g_free (run->log_excerpt);
  g_free (run->lease_owner);
  g_clear_pointer (&run->lease_until, g_date_time_unref);
  g_free (run);
}

gboolean
aq_job_validate (AqJob   *job,
                 GError **error)
{
  g_autoptr(GRegex) name_re = g_regex_new ("^[A-Za-z0-9_.-]{1,64}$", 0, 0, NULL);

  g_return_val_if_fail (job != NULL, FALSE);

  if (job->name == NULL || !g_regex_match (name_re, job->name, 0, NULL))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("name: use 1 to 64 letters, digits, “_”, “.” or “-”"));
      return FALSE;
    }
  if (!aq_job_kind_validate (job->kind, job->target, error))
    return FALSE;
  if ((job->schedule == NULL) == (job->after_job == NULL))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("schedule: give either a cron schedule or the job it runs after"));
      return FALSE;
    }
  if (job->schedule)
    {
      g_autoptr(AqCron) cron = aq_cron_parse (job->schedule, error);

      if (cron == NULL)
        return FALSE;
    }
  if (job->after_job && g_strcmp0 (job->after_job, job->name) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("after: a job cannot run after itself"));
      return FALSE;
    }
  if (job->time_zone)
    {
      g_autoptr(GTimeZone) zone = _aq_job_zone (job->time_zone);

      if (zone == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("time zone: “%s” is not a zone identifier such as Asia/Shanghai"),
                       job->time_zone);
          return FALSE;
        }
    }
  if (job->retries < 0 || job->retries > 100)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("retries: from 0 to 100"));
      return FALSE;
    }
  if (job->backoff_seconds < 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("backoff: seconds, 0 or more"));
      return FALSE;
    }
  if (job->timeout_seconds <= 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("timeout: seconds, more than 0"));
      return FALSE;
    }
  return TRUE;
}

/* What aq_job_add and aq_job_update write besides the job's own strings, checked against the
 * warehouse: the zone's identifier, the next due time (NULL without a schedule, or for a
 * disabled job unless @due_when_disabled) and the numbers as text. */
typedef struct
{
  char *zone;
  char *next;
  char *retries;
  char *backoff;
  char *timeout;
} JobRow;

static void
job_row_clear (JobRow *row)
{
  g_free (row->zone);
  g_free (row->next);
  g_free (row->retries);
  g_free (row->backoff);
  g_free (row->timeout);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JobRow, job_row_clear)

static gboolean
job_row_prepare (AqDb      *db,
                 AqJob     *job,
                 gboolean   due_when_disabled,
                 JobRow    *row,
                 GError   **error)
{
  g_autoptr(GTimeZone) zone = _aq_job_zone (job->time_zone);
  gboolean exists;

  row->zone = g_strdup (g_time_zone_get_identifier (zone));
  if (job->schedule && (job->enabled || due_when_disabled))
    {
      g_autoptr(AqCron) cron = aq_cron_parse (job->schedule, NULL);
      g_autoptr(GDateTime) now = aq_clock_now ();
      g_autoptr(GDateTime) due = aq_cron_next (cron, now, zone);

      row->next = _aq_job_time_param (due);
    }
  if (job->after_job)
    {
      if (!job_exists (db, job->after_job, &exists, error))
        return FALSE;
      if (!exists)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                       _("after: no job “%s” to run after"), job->after_job);
          return FALSE;
        }
    }
  row->retries = g_strdup_printf ("%d", job->retries);
  row->backoff = g_strdup_printf ("%d", job->backoff_seconds);
  row->timeout = g_strdup_printf ("%d", job->timeout_seconds);
  return TRUE;
}

gboolean
aq_job_add (AqDb    *db,
            AqJob   *job,
            GError **error)
{
  g_auto(JobRow) row = { 0 };
  g_autoptr(PGresult) res = NULL;
  gboolean exists;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (!aq_job_validate (job, error)
      || !aq_job_kind_validate_db (job->kind, job->target, db, error))
    return FALSE;
  if (!job_exists (db, job->name, &exists, error))
    return FALSE;
  if (exists)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("name: a job “%s” exists already; remove it first"), job->name);
      return FALSE;
    }
  if (!job_row_prepare (db, job, TRUE, &row, error))
    return FALSE;
  {
    const char *params[] = {
      job->name, job->kind, job->target, job->schedule, job->after_job, row.zone,
      job->enabled ? "t" : "f", row.retries, row.backoff, row.timeout,
      job->no_overlap ? "t" : "f", row.next,
    };

    res = aq_db_query (db,
                       "INSERT INTO meta.job (name, kind, target, schedule, after_job, time_zone,"
                       "  enabled, retries, backoff_seconds, timeout_seconds, no_overlap,"
                       "  next_due_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                       " RETURNING job_id",
                       G_N_ELEMENTS (params), params, error);
  }
  if (res == NULL)
    return FALSE;
  job->job_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  return TRUE;
}

/* Changes a job's definition in place (its runs stay): kind, target, schedule or chain, zone,
 * enabled and the numbers. A new schedule is due at its next occurrence after now. */
gboolean
aq_job_update (AqDb    *db,
               AqJob   *job,
               GError **error)
{
  g_auto(JobRow) row = { 0 };
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (!aq_job_validate (job, error)
      || !aq_job_kind_validate_db (job->kind, job->target, db, error)
      || !job_row_prepare (db, job, FALSE, &row, error))
    return FALSE;
  {
    const char *params[] = {
      job->name, job->kind, job->target, job->schedule, job->after_job, row.zone,
      job->enabled ? "t" : "f", row.retries, row.backoff, row.timeout,
      job->no_overlap ? "t" : "f", row.next,
    };

    res = aq_db_query (db,
                       "UPDATE meta.job SET kind = $2, target = $3, schedule = $4,"
                       "  after_job = $5, time_zone = $6, enabled = $7, retries = $8,"
                       "  backoff_seconds = $9, timeout_seconds = $10, no_overlap = $11,"
                       "  next_due_at = $12"
                       " WHERE name = $1 RETURNING job_id",
                       G_N_ELEMENTS (params), params, error);
  }
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No job “%s”."), job->name);
      return FALSE;
    }
  job->job_id = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  return TRUE;
}

gboolean
aq_job_remove (AqDb        *db,
               const char  *name,
               GError     **error)
{
  const char *params[] = { name };
  g_autoptr(PGresult) chained = NULL;
  g_autoptr(PGresult) res = NULL;

  chained = aq_db_query (db, "SELECT string_agg(name, ', ' ORDER BY name) FROM meta.job"
                             " WHERE after_job = $1", 1, params, error);
  if (chained == NULL)
    return FALSE;
  if (!PQgetisnull (chained, 0, 0))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Job “%s” is not removed: %s run after it; remove those first"), name,
                   PQgetvalue (chained, 0, 0));
      return FALSE;
    }
  res = aq_db_query (db, "DELETE FROM meta.job WHERE name = $1 RETURNING job_id", 1, params,
                     error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      set_not_found (error, name);
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_job_set_enabled (AqDb        *db,
                    const char  *name,
                    gboolean     enabled,
                    GError     **error)
{
  g_autoptr(AqJob) job = aq_job_get (db, name, error);
  g_autofree char *now = _aq_job_time_param (NULL);
  g_autofree char *next = NULL;
  g_autoptr(PGresult) res = NULL;

  if (job == NULL)
    return FALSE;
  if (enabled && job->schedule)
    {
      g_autoptr(AqCron) cron = aq_cron_parse (job->schedule, error);
      g_autoptr(GTimeZone) zone = _aq_job_zone (job->time_zone);
      g_autoptr(GDateTime) at = aq_clock_now ();
      g_autoptr(GDateTime) due = NULL;

      if (cron == NULL)
        return FALSE;
      due = aq_cron_next (cron, at, zone ? zone : aq_clock_zone ());
      next = _aq_job_time_param (due);
    }
  if (!aq_db_begin (db, error))
    return FALSE;
  {
    const char *params[] = { name, enabled ? "t" : "f", next };

    res = aq_db_query (db,
                       "UPDATE meta.job SET enabled = $2,"
                       "  next_due_at = CASE WHEN $2 AND NOT enabled THEN $3::timestamptz"
                       "                     ELSE next_due_at END"
                       " WHERE name = $1", 3, params, error);
  }
  if (res && !enabled)
    {
      const char *params[] = { name, now, _("cancelled: the job was disabled") };

      g_clear_pointer (&res, PQclear);
      res = aq_db_query (db,
                         "UPDATE meta.job_run r SET status = 'cancelled', finished_at = $2,"
                         "  error = $3"
                         "  FROM meta.job j"
                         " WHERE j.job_id = r.job_id AND j.name = $1 AND r.status = 'queued'",
                         3, params, error);
    }
  if (res == NULL || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
load_jobs (AqDb        *db,
           const char  *name,
           GError     **error)
{
  const char *params[] = { name };
  g_autoptr(PGresult) res = read_query (db, list_sql, 1, params, error);
  g_autoptr(GPtrArray) jobs = NULL;

  if (res == NULL)
    return NULL;
  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_job_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqJob *job = aq_job_new (PQgetvalue (res, i, 1), PQgetvalue (res, i, 2),
                               PQgetvalue (res, i, 3));

      job->job_id = int_value (res, i, 0);
      job->schedule = string_or_null (res, i, 4);
      job->after_job = string_or_null (res, i, 5);
      job->time_zone = string_or_null (res, i, 6);
      job->enabled = g_str_equal (PQgetvalue (res, i, 7), "t");
      job->retries = int_value (res, i, 8);
      job->backoff_seconds = int_value (res, i, 9);
      job->timeout_seconds = int_value (res, i, 10);
      job->no_overlap = g_str_equal (PQgetvalue (res, i, 11), "t");
      job->next_due_at = _aq_job_time_from_usec (res, i, 12);
      job->last_run_id = int_value (res, i, 13);
      job->last_status = string_or_null (res, i, 14);
      job->last_started_at = _aq_job_time_from_usec (res, i, 15);
      job->last_finished_at = _aq_job_time_from_usec (res, i, 16);
      job->last_error = string_or_null (res, i, 17);
      job->last_success_at = _aq_job_time_from_usec (res, i, 18);
      job->last_duration_s = PQgetisnull (res, i, 19)
                             ? -1 : g_ascii_strtod (PQgetvalue (res, i, 19), NULL);
      job->failures = int_value (res, i, 20);
      job->queued = int_value (res, i, 21);
      if (!job->enabled || job->schedule == NULL)
        g_clear_pointer (&job->next_due_at, g_date_time_unref);
      g_ptr_array_add (jobs, job);
    }
  return g_steal_pointer (&jobs);
}

GPtrArray *
aq_job_list (AqDb    *db,
             GError **error)
{
  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  return load_jobs (db, NULL, error);
}

AqJob *
aq_job_get (AqDb        *db,
            const char  *name,
            GError     **error)
{
  g_autoptr(GPtrArray) jobs = NULL;

  g_return_val_if_fail (AQ_IS_DB (db) && name != NULL, NULL);
  jobs = load_jobs (db, name, error);
  if (jobs == NULL)
    return NULL;
  if (jobs->len == 0)
    {
      set_not_found (error, name);
      return NULL;
    }
  return g_ptr_array_steal_index (jobs, 0);
}

GPtrArray *
aq_job_history (AqDb        *db,
                const char  *name,
                guint        limit,
                GError     **error)
{
  g_autofree char *limit_text = g_strdup_printf ("%u", limit ? limit : 50);
  const char *params[] = { name, limit_text };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *runs;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  if (name)
    {
      gboolean exists;

      if (!job_exists (db, name, &exists, error))
        return NULL;
      if (!exists)
        {
          set_not_found (error, name);
          return NULL;
        }
    }
  res = read_query (db, history_sql, 2, params, error);
  if (res == NULL)
    return NULL;
  runs = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_job_run_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (runs, _aq_job_run_from_row (res, i));
  return runs;
}

/* ---- JSON ---- */

static void
add_string (JsonBuilder *b,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (b, member);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b,
          const char  *member,
          GDateTime   *value)
{
  g_autofree char *text = value ? g_date_time_format_iso8601 (value) : NULL;

  add_string (b, member, text);
}

static void
add_int (JsonBuilder *b,
         const char  *member,
         gint64       value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_int_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *member,
          gboolean     value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_boolean_value (b, value);
}

JsonNode *
aq_job_to_json (AqJob *job)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string (b, "name", job->name);
  add_string (b, "kind", job->kind);
  add_string (b, "target", job->target);
  add_string (b, "schedule", job->schedule);
  add_string (b, "after", job->after_job);
  add_string (b, "time_zone", job->time_zone);
  add_bool (b, "enabled", job->enabled);
  add_int (b, "retries", job->retries);
  add_int (b, "backoff_seconds", job->backoff_seconds);
  add_int (b, "timeout_seconds", job->timeout_seconds);
  add_bool (b, "no_overlap", job->no_overlap);
  add_time (b, "next_run", job->next_due_at);
  json_builder_set_member_name (b, "last_run");
  if (job->last_run_id == 0)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      add_int (b, "run_id", job->last_run_id);
      add_string (b, "status", job->last_status);
      add_time (b, "started_at", job->last_started_at);
      add_time (b, "finished_at", job->last_finished_at);
      add_string (b, "error", job->last_error);
      json_builder_end_object (b);
    }
  add_time (b, "last_success_at", job->last_success_at);
  json_builder_set_member_name (b, "last_duration_seconds");
  if (job->last_duration_s < 0)
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, job->last_duration_s);
  add_int (b, "failures", job->failures);
  add_int (b, "queued", job->queued);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

JsonNode *
aq_job_run_to_json (AqJobRun *run)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_int (b, "run_id", run->run_id);
  add_string (b, "job", run->job_name);
  add_time (b, "scheduled_for", run->scheduled_for);
  add_string (b, "trigger", run->trigger);
  add_int (b, "attempt", run->attempt);
  add_string (b, "status", run->status);
  add_time (b, "queued_at", run->queued_at);
  add_time (b, "started_at", run->started_at);
  add_time (b, "finished_at", run->finished_at);
  add_string (b, "error", run->error);
  add_string (b, "log", run->log_excerpt);
  add_string (b, "lease_owner", run->lease_owner);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

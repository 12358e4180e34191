/* test-scheduler.c — the job store and queue against the real warehouse, clock pinned
 *
 * Planning, catch-up after downtime, claims with leases, lost leases, retries with backoff,
 * chains and the no-overlap rule, each at pinned instants (aq_clock_pin), with two
 * connections standing in for two daemons. The daemon end to end is test-daemon-scheduler.c.
 */
#include "aq-test-util.h"

#include <string.h>

static AqDb *db;
static AqDb *db2;

static void
pin (const char *iso)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (at);
  aq_clock_pin (at);
}

static void
exec (AqDb       *on,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (on, sql, &error);
  g_assert_no_error (error);
}

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static void
add_job (const char *name,
         const char *kind,
         const char *target,
         const char *schedule,
         const char *after,
         int         retries)
{
  g_autoptr(AqJob) job = aq_job_new (name, kind, target);
  g_autoptr(GError) error = NULL;

  job->schedule = g_strdup (schedule);
  job->after_job = g_strdup (after);
  job->time_zone = g_strdup ("UTC");
  job->retries = retries;
  job->backoff_seconds = 30;
  job->timeout_seconds = 10;
  aq_job_add (db, job, &error);
  g_assert_no_error (error);
}

static void
reset (void)
{
  exec (db, "DELETE FROM meta.job_run; DELETE FROM meta.job WHERE after_job IS NOT NULL;"
            " DELETE FROM meta.job");
}

static char *
time_text (GDateTime *dt)
{
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static void
finish (AqJobRun   *run,
        const char *owner,
        const char *status,
        gboolean    expect_recorded)
{
  g_autoptr(GError) error = NULL;
  gboolean recorded = !expect_recorded;

  aq_job_queue_finish (db, owner, run->run_id, status, NULL, "log", &recorded, &error);
  g_assert_no_error (error);
  g_assert_cmpint (recorded, ==, expect_recorded);
}

/* ---- tests ---- */

static void
test_define (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJob) job = aq_job_new ("nightly", "pipeline", "ods_billing");
  g_autoptr(AqJob) got = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autofree char *next = NULL;
  static const struct { const char *name, *kind, *target, *schedule, *after, *message; } bad[] = {
    { "x y", "sql", "SELECT 1", "* * * * *", NULL, "name" },
    { "a", "nosuch", "SELECT 1", "* * * * *", NULL, "kind" },
    { "a", "pipeline", "no_such_pipeline", "* * * * *", NULL, "target" },
    { "a", "sql", "SELECT 1", "* * *", NULL, "five fields" },
    { "a", "sql", "SELECT 1", NULL, NULL, "either" },
    { "a", "sql", "SELECT 1", "* * * * *", "nightly", "either" },
    { "a", "sql", "SELECT 1", NULL, "nobody", "no job" },
    { "nightly", "sql", "SELECT 1", "* * * * *", NULL, "exists already" },
  };

  reset ();
  /* added at 10:00 in Shanghai: the first occurrence is 02:00 tomorrow there */
  pin ("2026-12-07T10:00:00+08:00");
  job->schedule = g_strdup ("0 2 * * *");
  aq_job_add (db, job, &error);
  g_assert_no_error (error);
  got = aq_job_get (db, "nightly", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (got->time_zone, ==, "Asia/Shanghai");
  next = time_text (got->next_due_at);
  g_assert_cmpstr (next, ==, "2026-12-07T18:00:00Z");
  g_assert_cmpint (got->last_run_id, ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(AqJob) b = aq_job_new (bad[i].name, bad[i].kind, bad[i].target);

      b->schedule = g_strdup (bad[i].schedule);
      b->after_job = g_strdup (bad[i].after);
      g_assert_false (aq_job_add (db, b, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("case %u: “%s” does not say “%s”", i, error->message, bad[i].message);
      g_clear_error (&error);
    }

  /* a chain keeps its parent */
  add_job ("after-nightly", "sql", "SELECT 1", NULL, "nightly", 0);
  g_assert_false (aq_job_remove (db, "nightly", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_job_remove (db, "nobody", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  jobs = aq_job_list (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2);
  g_assert_cmpstr (((AqJob *) jobs->pdata[0])->name, ==, "after-nightly");
  g_assert_null (((AqJob *) jobs->pdata[0])->next_due_at);
  g_assert_true (aq_job_remove (db, "after-nightly", &error));
  g_assert_true (aq_job_remove (db, "nightly", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job"), ==, 0);
  aq_clock_pin (NULL);
}

static void
test_plan_catch_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJobRun) run = NULL;
  g_autoptr(AqJob) job = NULL;
  g_autofree char *at = NULL;
  g_autofree char *next = NULL;

  reset ();
  pin ("2026-12-07T00:00:00Z");
  add_job ("every5", "sql", "SELECT 1", "*/5 * * * *", NULL, 0);

  /* one second before the occurrence: nothing; at it: one run; again: none more */
  pin ("2026-12-07T00:04:59Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 0);
  pin ("2026-12-07T00:05:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 1);
  g_assert_cmpint (aq_job_queue_plan (db2, &error), ==, 0);
  g_assert_no_error (error);
  run = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  at = time_text (run->scheduled_for);
  g_assert_cmpstr (at, ==, "2026-12-07T00:05:00Z");
  g_assert_cmpstr (run->trigger, ==, "schedule");
  g_assert_cmpint (run->attempt, ==, 1);
  finish (run, "A", "succeeded", TRUE);
  g_clear_pointer (&run, aq_job_run_free);
  g_clear_pointer (&at, g_free);

  /* an hour down (12 occurrences missed): one catch-up run, the latest, and the cursor past
   * now */
  pin ("2026-12-07T01:02:30Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 1);
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run"), ==, 2);
  run = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_nonnull (run);
  at = time_text (run->scheduled_for);
  g_assert_cmpstr (at, ==, "2026-12-07T01:00:00Z");
  job = aq_job_get (db, "every5", &error);
  next = time_text (job->next_due_at);
  g_assert_cmpstr (next, ==, "2026-12-07T01:05:00Z");

  /* while the catch-up run is still running, the next occurrence queues behind it (no
   * overlap); and while that one waits, a later one is not queued on top */
  pin ("2026-12-07T01:05:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 1);
  g_assert_null (aq_job_queue_claim (db2, "B", 60, 0, &error));
  g_assert_no_error (error);
  pin ("2026-12-07T01:10:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE status = 'queued'"), ==, 1);
  finish (run, "A", "succeeded", TRUE);
  g_clear_pointer (&run, aq_job_run_free);
  run = aq_job_queue_claim (db2, "B", 60, 0, &error);
  g_assert_nonnull (run);
  g_clear_pointer (&at, g_free);
  at = time_text (run->scheduled_for);
  g_assert_cmpstr (at, ==, "2026-12-07T01:05:00Z");
  finish (run, "B", "succeeded", TRUE);

  /* disabled: nothing planned; enabled again: from now on, no catch-up of the gap */
  g_assert_true (aq_job_set_enabled (db, "every5", FALSE, &error));
  pin ("2026-12-07T02:00:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 0);
  g_assert_true (aq_job_set_enabled (db, "every5", TRUE, &error));
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 0);
  pin ("2026-12-07T02:05:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 1);
  g_assert_no_error (error);
  aq_clock_pin (NULL);
}

static void
test_lease_retry (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJobRun) run = NULL;
  g_autoptr(AqJobRun) retry = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  reset ();
  pin ("2026-12-07T00:00:00Z");
  add_job ("flaky", "sql", "SELECT 1", "0 * * * *", NULL, 1);
  pin ("2026-12-07T01:00:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 1);
  run = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_nonnull (run);

  /* A renews at 01:00:50: at 01:01:30 the lease still holds */
  g_array_append_val (ids, run->run_id);
  pin ("2026-12-07T01:00:50Z");
  g_assert_true (aq_job_queue_renew (db, "A", ids, 60, &error));
  pin ("2026-12-07T01:01:30Z");
  g_assert_cmpint (aq_job_queue_recover (db2, &error), ==, 0);

  /* A dies; its lease runs out at 01:01:50: B marks the run interrupted and queues the
   * retry after the backoff (30 s) */
  pin ("2026-12-07T01:01:51Z");
  g_assert_cmpint (aq_job_queue_recover (db2, &error), ==, 1);
  g_assert_cmpint (aq_job_queue_recover (db2, &error), ==, 0);
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE status = 'interrupted'"
                          " AND error LIKE '%lease%(A)'"), ==, 1);
  g_assert_null (aq_job_queue_claim (db2, "B", 60, 0, &error));
  pin ("2026-12-07T01:02:21Z");
  retry = aq_job_queue_claim (db2, "B", 60, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (retry);
  g_assert_cmpint (retry->attempt, ==, 2);
  g_assert_true (g_date_time_equal (retry->scheduled_for, run->scheduled_for));

  /* A comes back and reports: too late, B owns the occurrence now */
  finish (run, "A", "succeeded", FALSE);
  /* B's attempt fails: no attempts left (retries = 1), no third */
  finish (retry, "B", "failed", TRUE);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run"), ==, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE status = 'succeeded'"), ==, 0);
  aq_clock_pin (NULL);
}

static void
test_no_overlap_skip_locked (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJobRun) a = NULL;
  g_autoptr(AqJobRun) b = NULL;
  g_autoptr(GDateTime) t1 = NULL;
  g_autoptr(GDateTime) t2 = NULL;
  gint64 id1, id2;
  g_autofree char *lock = NULL;

  reset ();
  pin ("2026-12-07T00:00:00Z");
  add_job ("solo", "sql", "SELECT 1", "0 0 1 1 *", NULL, 0);
  t1 = aq_clock_now ();
  id1 = aq_job_queue_add (db, "solo", "hand", t1, &error);
  t2 = g_date_time_add_seconds (t1, 1);
  id2 = aq_job_queue_add (db, "solo", "backfill", t2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id1, >, 0);
  g_assert_cmpint (id2, >, 0);
  /* the same occurrence twice: refused */
  g_assert_cmpint (aq_job_queue_add (db, "solo", "hand", t1, &error), ==, 0);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);

  /* a run locked by another transaction is skipped, not waited for */
  lock = g_strdup_printf ("BEGIN; SELECT 1 FROM meta.job_run WHERE run_id = %" G_GINT64_FORMAT
                          " FOR UPDATE", id1);
  exec (db2, lock);
  a = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (a);
  g_assert_cmpint (a->run_id, ==, id2);
  exec (db2, "ROLLBACK");

  /* the other run of the same job waits while this one runs */
  g_assert_null (aq_job_queue_claim (db2, "B", 60, 0, &error));
  g_assert_no_error (error);
  /* and the database itself refuses two running runs of one job */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE meta.job_run SET status = 'running'"
                                            " WHERE run_id = %" G_GINT64_FORMAT, id1);

    g_assert_false (aq_db_exec (db2, sql, &error));
    g_assert_nonnull (strstr (error->message, "job_run_one_running"));
    g_clear_error (&error);
  }
  finish (a, "A", "succeeded", TRUE);
  b = aq_job_queue_claim (db2, "B", 60, 0, &error);
  g_assert_nonnull (b);
  g_assert_cmpint (b->run_id, ==, id1);
  finish (b, "B", "cancelled", TRUE);
  aq_clock_pin (NULL);
}

static void
test_chain (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJobRun) parent = NULL;
  g_autoptr(AqJobRun) child = NULL;
  g_autoptr(AqJobRun) again = NULL;
  g_autoptr(AqJobRun) grandchild = NULL;

  reset ();
  pin ("2026-12-07T00:00:00Z");
  add_job ("load", "sql", "SELECT 1", "0 * * * *", NULL, 1);
  add_job ("cubes", "sql", "SELECT 1", NULL, "load", 0);
  add_job ("report", "sql", "SELECT 1", NULL, "cubes", 0);

  pin ("2026-12-07T01:00:00Z");
  g_assert_cmpint (aq_job_queue_plan (db, &error), ==, 1);
  parent = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_cmpstr (parent->job_name, ==, "load");
  /* a failure chains nothing; its retry does once it succeeds */
  finish (parent, "A", "failed", TRUE);
  g_assert_null (aq_job_queue_claim (db, "A", 60, 0, &error));
  pin ("2026-12-07T01:00:31Z");
  again = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_cmpint (again->attempt, ==, 2);
  finish (again, "A", "succeeded", TRUE);

  child = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (child);
  g_assert_cmpstr (child->job_name, ==, "cubes");
  g_assert_cmpstr (child->trigger, ==, "chain");
  g_assert_true (g_date_time_equal (child->scheduled_for, parent->scheduled_for));
  finish (child, "A", "succeeded", TRUE);
  /* recording the same end twice chains nothing more */
  finish (child, "A", "succeeded", FALSE);
  grandchild = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_cmpstr (grandchild->job_name, ==, "report");
  finish (grandchild, "A", "succeeded", TRUE);
  g_assert_null (aq_job_queue_claim (db, "A", 60, 0, &error));
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE trigger = 'chain'"), ==, 2);
  aq_clock_pin (NULL);
}

static void
test_run_now (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJobRun) run = NULL;
  g_autoptr(AqJobRun) failed = NULL;
  g_autoptr(AqJobRun) slow = NULL;
  g_autoptr(AqJobRun) chained = NULL;
  g_autoptr(AqJob) job = NULL;

  reset ();
  exec (db, "DROP TABLE IF EXISTS public.ticks; CREATE TABLE public.ticks (n int)");
  add_job ("tick", "sql", "INSERT INTO public.ticks VALUES (1)", "0 0 1 1 *", NULL, 0);
  add_job ("tock", "sql", "INSERT INTO public.ticks VALUES (2)", NULL, "tick", 0);
  add_job ("broken", "sql", "SELECT no_such_column FROM public.ticks", "0 0 1 1 *", NULL, 0);
  add_job ("slow", "sql", "SELECT pg_sleep(30)", "0 0 1 1 *", NULL, 0);
  exec (db, "UPDATE meta.job SET timeout_seconds = 1 WHERE name = 'slow'");

  g_assert_true (aq_job_queue_run_now (db, "tick", "ctl", NULL, &run, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (run->status, ==, "succeeded");
  g_assert_cmpstr (run->trigger, ==, "hand");
  g_assert_cmpint (count ("SELECT count(*) FROM public.ticks WHERE n = 1"), ==, 1);
  /* the chain is queued for a daemon, not run here */
  g_assert_cmpint (count ("SELECT count(*) FROM public.ticks WHERE n = 2"), ==, 0);
  chained = aq_job_queue_claim (db, "A", 60, 0, &error);
  g_assert_cmpstr (chained->job_name, ==, "tock");

  g_assert_false (aq_job_queue_run_now (db, "broken", "ctl", NULL, &failed, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no_such_column"));
  g_clear_error (&error);
  g_assert_cmpstr (failed->status, ==, "failed");
  g_assert_nonnull (strstr (failed->error, "no_such_column"));

  g_assert_false (aq_job_queue_run_now (db, "slow", "ctl", NULL, &slow, &error));
  g_assert_nonnull (strstr (error->message, "timed out"));
  g_clear_error (&error);
  g_assert_cmpstr (slow->status, ==, "failed");

  g_assert_false (aq_job_queue_run_now (db, "nobody", "ctl", NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  job = aq_job_get (db, "broken", &error);
  g_assert_cmpint (job->failures, ==, 1);
  g_assert_cmpstr (job->last_status, ==, "failed");
  g_assert_null (job->last_success_at);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *info = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new ("test_scheduler", TRUE);
  info = aq_test_conninfo ("test_scheduler");
  db2 = aq_db_connect (info, &error);
  g_assert_no_error (error);

  g_test_add_func ("/scheduler/define", test_define);
  g_test_add_func ("/scheduler/plan-catch-up", test_plan_catch_up);
  g_test_add_func ("/scheduler/lease-retry", test_lease_retry);
  g_test_add_func ("/scheduler/no-overlap-skip-locked", test_no_overlap_skip_locked);
  g_test_add_func ("/scheduler/chain", test_chain);
  g_test_add_func ("/scheduler/run-now", test_run_now);
  status = g_test_run ();
  g_clear_object (&db2);
  g_clear_object (&db);
  return status;
}

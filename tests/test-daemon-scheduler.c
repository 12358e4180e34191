/* test-daemon-scheduler.c — real aqueductd processes running scheduled jobs
 *
 * Jobs of the built-in "sql" kind on six-field (seconds) schedules, so a test sees several
 * occurrences in seconds; the daemons tick every 200 ms with 3-second leases. What is
 * asserted is read back from meta.job_run and from a table the jobs write: each occurrence
 * runs once, a chained job runs after its parent, a daemon killed with SIGKILL mid-run leaves
 * a run the next daemon marks interrupted and retries (one success per occurrence, no
 * overlap), and two daemons on one warehouse run each occurrence once. Every wait is for a
 * condition, with a deadline that fails the test with a message; nothing asserts on time.
 */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define DBNAME "test_daemon_scheduler"

static AqDb *db;
static char *database_url;

/* ---- the daemon ---- */

typedef AqTestDaemon Daemon;

static char *
write_config (const char *owner,
              guint       max_running)
{
  g_autofree char *name = g_strdup_printf ("aqueductd-scheduler-%s.conf", owner);
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autofree char *text = g_strdup_printf ("[scheduler]\n"
                                           "enabled=true\n"
                                           "poll-interval-ms=200\n"
                                           "lease-seconds=3\n"
                                           "max-running=%u\n"
                                           "owner=%s\n", max_running, owner);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

/* The jobs' clock is the real one here: AQUEDUCT_NOW is not passed on. */
static void
daemon_start (Daemon     *d,
              const char *owner,
              guint       max_running)
{
  g_autofree char *config = write_config (owner, max_running);
  const char *const env[] = { "AQUEDUCT_NOW", NULL, NULL };

  aq_test_daemon_start (d, database_url, config, env, FALSE);
}

static char *
http_get (Daemon     *d,
          const char *path)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (d->base, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = soup_session_send_and_read (session, msg, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
}

/* ---- the warehouse ---- */

static void
exec (const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

/* Waits until @sql answers at least @at_least; fails the test after @seconds. */
static void
wait_for (const char *sql,
          gint64      at_least,
          int         seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  gint64 n;

  while ((n = count (sql)) < at_least)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("after %d s, “%s” is %" G_GINT64_FORMAT ", not yet %" G_GINT64_FORMAT,
                 seconds, sql, n, at_least);
      g_usleep (50 * 1000);
    }
}

static void
add_job (const char *name,
         const char *target,
         const char *schedule,
         const char *after,
         int         retries)
{
  g_autoptr(AqJob) job = aq_job_new (name, "sql", target);
  g_autoptr(GError) error = NULL;

  job->schedule = g_strdup (schedule);
  job->after_job = g_strdup (after);
  job->time_zone = g_strdup ("UTC");
  job->retries = retries;
  job->backoff_seconds = 0;
  job->timeout_seconds = 30;
  aq_job_add (db, job, &error);
  g_assert_no_error (error);
}

static void
disable (const char *name)
{
  g_autoptr(GError) error = NULL;

  aq_job_set_enabled (db, name, FALSE, &error);
  g_assert_no_error (error);
}

static void
reset (void)
{
  exec ("DELETE FROM meta.job_run; DELETE FROM meta.job WHERE after_job IS NOT NULL;"
        " DELETE FROM meta.job;"
        " DROP TABLE IF EXISTS public.ticks;"
        " CREATE TABLE public.ticks (job text, at timestamptz DEFAULT clock_timestamp())");
}

/* No two runs of one job ran at once: each started after the one before it ended. */
static void
assert_no_overlap (const char *job)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM (SELECT r.started_at,"
    "   lag (r.finished_at) OVER (ORDER BY r.started_at) AS previous_end"
    "  FROM meta.job_run r JOIN meta.job j USING (job_id)"
    " WHERE j.name = '%s' AND r.started_at IS NOT NULL) s"
    " WHERE s.started_at < s.previous_end", job);

  g_assert_cmpint (count (sql), ==, 0);
}

/* Each occurrence of @job succeeded at most once, and at least @n of them did. */
static void
assert_once_per_occurrence (const char *job,
                            gint64      n)
{
  g_autofree char *dup = g_strdup_printf (
    "SELECT count(*) FROM (SELECT r.scheduled_for FROM meta.job_run r JOIN meta.job j"
    " USING (job_id) WHERE j.name = '%s' AND r.status = 'succeeded'"
    " GROUP BY r.scheduled_for HAVING count(*) > 1) d", job);
  g_autofree char *ok = g_strdup_printf (
    "SELECT count(*) FROM meta.job_run r JOIN meta.job j USING (job_id)"
    " WHERE j.name = '%s' AND r.status = 'succeeded'", job);

  g_assert_cmpint (count (dup), ==, 0);
  g_assert_cmpint (count (ok), >=, n);
}

/* Disables @jobs and waits until nothing is queued or running. */
static void
settle (const char *const *jobs)
{
  for (guint i = 0; jobs[i]; i++)
    disable (jobs[i]);
  /* a chain's runs are queued by its parent's end: wait for both */
  wait_for ("SELECT (count(*) = 0)::int FROM meta.job_run WHERE status IN ('running', 'queued')",
            1, 30);
}

/* ---- tests ---- */

static void
test_once_and_chain (void)
{
  Daemon d = { 0 };
  const char *jobs[] = { "beat", NULL };
  g_autofree char *metrics = NULL;
  g_autofree char *health = NULL;

  reset ();
  add_job ("beat", "INSERT INTO public.ticks (job) VALUES ('beat')", "*/2 * * * * *", NULL, 0);
  add_job ("after-beat", "INSERT INTO public.ticks (job) VALUES ('after')", NULL, "beat", 0);
  daemon_start (&d, "one", 4);
  wait_for ("SELECT count(*) FROM meta.job_run WHERE status = 'succeeded'"
            " AND job_id = (SELECT job_id FROM meta.job WHERE name = 'after-beat')", 3, 60);
  settle (jobs);

  metrics = http_get (&d, "/metrics");
  health = http_get (&d, "/healthz");
  aq_test_daemon_end (&d, SIGTERM);

  /* every occurrence once, on the schedule's even seconds; each run wrote its one row */
  assert_once_per_occurrence ("beat", 3);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run r JOIN meta.job j USING (job_id)"
                          " WHERE j.name = 'beat'"
                          "   AND extract(second FROM r.scheduled_for)::int % 2 <> 0"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM public.ticks WHERE job = 'beat'"), ==,
                   count ("SELECT count(*) FROM meta.job_run r JOIN meta.job j USING (job_id)"
                          " WHERE j.name = 'beat' AND r.status = 'succeeded'"));
  /* the chain: once per parent success, same occurrence, started after the parent ended */
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run c JOIN meta.job j USING (job_id)"
                          " WHERE j.name = 'after-beat' AND c.status = 'succeeded'"), ==,
                   count ("SELECT count(*) FROM meta.job_run r JOIN meta.job j USING (job_id)"
                          " WHERE j.name = 'beat' AND r.status = 'succeeded'"));
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run c JOIN meta.job_run p"
                          "   ON p.run_id = c.parent_run_id"
                          " WHERE c.trigger = 'chain' AND (c.scheduled_for <> p.scheduled_for"
                          "    OR c.started_at < p.finished_at OR p.status <> 'succeeded')"), ==,
                   0);
  g_assert_cmpint (count ("SELECT count(*) FROM public.ticks WHERE job = 'after'"), ==,
                   count ("SELECT count(*) FROM public.ticks WHERE job = 'beat'"));
  assert_no_overlap ("beat");
  assert_no_overlap ("after-beat");

  /* /metrics per job, /healthz with the scheduler */
  g_assert_nonnull (strstr (metrics, "aqueduct_job_failures_total{job=\"beat\"} 0\n"));
  g_assert_nonnull (strstr (metrics, "aqueduct_job_last_duration_seconds{job=\"beat\"} "));
  g_assert_null (strstr (metrics, "aqueduct_job_last_success_timestamp_seconds{job=\"beat\"} 0\n"));
  g_assert_nonnull (strstr (metrics, "aqueduct_job_last_success_timestamp_seconds{job=\"beat\"} "));
  g_assert_nonnull (strstr (metrics, "aqueduct_scheduler_runs_total{outcome=\"succeeded\"} "));
  g_assert_nonnull (strstr (health, "\"scheduler\":{\"state\":\"running\""));
}

static void
test_sigkill_restart (void)
{
  Daemon d = { 0 };
  const char *jobs[] = { "slow", NULL };

  reset ();
  add_job ("slow", "SELECT pg_sleep(1.5)", "*/3 * * * * *", NULL, 2);
  daemon_start (&d, "killed", 4);
  wait_for ("SELECT count(*) FROM meta.job_run WHERE status = 'running'", 1, 30);
  aq_test_daemon_end (&d, SIGKILL);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE status = 'running'"
                          " AND lease_owner = 'killed'"), ==, 1);

  /* the next daemon: the dead one's lease runs out, its run is interrupted and retried */
  daemon_start (&d, "restarted", 4);
  wait_for ("SELECT count(*) FROM meta.job_run WHERE status = 'interrupted'", 1, 30);
  wait_for ("SELECT count(*) FROM meta.job_run r JOIN meta.job_run i"
            "   ON i.scheduled_for = r.scheduled_for AND i.job_id = r.job_id"
            " WHERE i.status = 'interrupted' AND r.status = 'succeeded'", 1, 30);
  settle (jobs);
  aq_test_daemon_end (&d, SIGTERM);

  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE status = 'interrupted'"
                          " AND lease_owner = 'killed' AND error LIKE '%lease%'"), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run r JOIN meta.job_run i"
                          "   ON i.scheduled_for = r.scheduled_for AND i.job_id = r.job_id"
                          " WHERE i.status = 'interrupted' AND r.status = 'succeeded'"
                          "   AND r.attempt = i.attempt + 1 AND r.lease_owner = 'restarted'"),
                   ==, 1);
  assert_once_per_occurrence ("slow", 1);
  assert_no_overlap ("slow");
}

static void
test_two_daemons (void)
{
  Daemon a = { 0 }, b = { 0 };
  const char *jobs[] = { "pair", "pair2", NULL };

  reset ();
  add_job ("pair", "INSERT INTO public.ticks (job) VALUES ('pair')", "* * * * * *", NULL, 0);
  add_job ("pair2", "INSERT INTO public.ticks (job) VALUES ('pair2')", "* * * * * *", NULL, 0);
  /* one run at a time each: while one daemon runs one job's occurrence, the other daemon
   * takes the other job's */
  daemon_start (&a, "a", 1);
  daemon_start (&b, "b", 1);
  wait_for ("SELECT count(*) FROM meta.job_run WHERE status = 'succeeded'", 12, 60);
  settle (jobs);
  aq_test_daemon_end (&a, SIGTERM);
  aq_test_daemon_end (&b, SIGTERM);

  g_test_message ("runs by owner: a %" G_GINT64_FORMAT ", b %" G_GINT64_FORMAT,
                  count ("SELECT count(*) FROM meta.job_run WHERE lease_owner = 'a'"),
                  count ("SELECT count(*) FROM meta.job_run WHERE lease_owner = 'b'"));
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE lease_owner = 'a'"), >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE lease_owner = 'b'"), >, 0);
  for (guint i = 0; jobs[i]; i++)
    {
      g_autofree char *ticks = g_strdup_printf ("SELECT count(*) FROM public.ticks"
                                                " WHERE job = '%s'", jobs[i]);
      g_autofree char *runs = g_strdup_printf ("SELECT count(*) FROM meta.job_run r"
                                               " JOIN meta.job j USING (job_id)"
                                               " WHERE j.name = '%s'"
                                               "   AND r.status = 'succeeded'", jobs[i]);

      assert_once_per_occurrence (jobs[i], 1);
      assert_no_overlap (jobs[i]);
      /* the work itself happened once per run: no occurrence ran on both daemons */
      g_assert_cmpint (count (ticks), ==, count (runs));
    }
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job_run WHERE status <> 'succeeded'"
                          "   AND status <> 'cancelled'"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *admin_info = NULL;
  g_autoptr(AqDb) admin = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new (DBNAME, TRUE);
  database_url = aq_test_conninfo (DBNAME);
  g_test_add_func ("/daemon-scheduler/once-and-chain", test_once_and_chain);
  g_test_add_func ("/daemon-scheduler/sigkill-restart", test_sigkill_restart);
  g_test_add_func ("/daemon-scheduler/two-daemons", test_two_daemons);
  status = g_test_run ();

  g_clear_object (&db);
  admin_info = aq_test_conninfo ("postgres");
  admin = aq_db_connect (admin_info, &error);
  if (admin)
    aq_db_exec (admin, "DROP DATABASE IF EXISTS " DBNAME " WITH (FORCE)", NULL);
  g_free (database_url);
  return status;
}

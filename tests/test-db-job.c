/* test-db-job.c — one core function on a worker thread: its result, its error, its cancel,
 * and the pooled connection it runs on */
#include "aq-test-util.h"

#include <stdlib.h>
#include <string.h>

#define DBNAME "t_db_job"

typedef struct
{
  char          *sql;
  gint           pid;          /* the backend the function ran on, set before its query */
  gboolean       cancelled;    /* its query was stopped by the server (SQLSTATE 57014) */
} Probe;

static Probe *
probe_new (const char *sql)
{
  Probe *probe = g_new0 (Probe, 1);

  probe->sql = g_strdup (sql);
  return probe;
}

static void
probe_free (Probe *probe)
{
  g_free (probe->sql);
  g_free (probe);
}

/* Runs the probe's statement; returns the backend's pid as text. */
static gpointer
probe_func (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Probe *probe = data;
  g_autofree char *pid = aq_db_query_string (db, "SELECT pg_backend_pid()::text", 0, NULL,
                                             error);
  g_autoptr(PGresult) res = NULL;
  GError *local_error = NULL;

  if (pid == NULL)
    return NULL;
  g_atomic_int_set (&probe->pid, (gint) g_ascii_strtoll (pid, NULL, 10));
  if (probe->sql != NULL)
    {
      res = aq_db_query (db, probe->sql, 0, NULL, &local_error);
      if (res == NULL)
        {
          g_atomic_int_set (&probe->cancelled,
                            g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
          g_propagate_error (error, local_error);
          return NULL;
        }
    }
  return g_steal_pointer (&pid);
}

static gpointer
invalid_func (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "rows[0]: %s", (const char *) data);
  return NULL;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static char *
run_probe (const char    *conninfo,
           Probe         *probe,
           GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  aq_db_job_run_async (conninfo, run_probe, probe_func, probe, NULL, g_free, NULL, done_cb,
                       &result);
  return aq_db_job_run_finish (wait_for (&result), run_probe, error);
}

static void
test_runs (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (DBNAME, FALSE);
  g_autofree char *conninfo = aq_test_conninfo (DBNAME);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = NULL;
  Probe *probe = probe_new ("SELECT 1");

  aq_db_job_pool_clear ();
  aq_db_job_run_async (conninfo, run_probe, probe_func, probe, (GDestroyNotify) probe_free, g_free,
                       NULL, done_cb, &result);
  pid = aq_db_job_run_finish (wait_for (&result), run_probe, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pid);
  /* the pid is a live backend of this database, not ours */
  g_assert_cmpint (g_ascii_strtoll (pid, NULL, 10), !=,
                   aq_test_query_int64 (db, "SELECT pg_backend_pid()"));
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity"
                                            " WHERE pid = %s AND datname = '" DBNAME "'", pid);
    g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);
  }
}

static void
test_errors (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (DBNAME, FALSE);
  g_autofree char *conninfo = aq_test_conninfo (DBNAME);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = NULL;
  Probe *probe = probe_new ("SELECT * FROM no_such_table");

  /* the server's error, as the function got it */
  pid = run_probe (conninfo, probe, &error);
  g_assert_null (pid);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
  g_assert_nonnull (strstr (error->message, "no_such_table"));
  g_assert_nonnull (strstr (error->message, "42P01"));
  g_clear_error (&error);
  probe_free (probe);

  /* the function's own error, unchanged */
  aq_db_job_run_async (conninfo, run_probe, invalid_func, g_strdup ("no indicator"), g_free, NULL,
                       NULL, done_cb, &result);
  g_assert_null (aq_db_job_run_finish (wait_for (&result), run_probe, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "rows[0]: no indicator");
  g_clear_error (&error);
  g_clear_object (&result);

  /* a warehouse that is not there */
  aq_db_job_run_async ("host=/nonexistent dbname=x user=x", run_probe, invalid_func, NULL, NULL,
                       NULL, NULL, done_cb, &result);
  g_assert_null (aq_db_job_run_finish (wait_for (&result), run_probe, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_CONNECTION);
}

static gint64
backends (AqDb *db,
          gint  pid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity"
                                          " WHERE pid = %d", pid);
  return aq_test_query_int64 (db, sql);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (DBNAME, FALSE);
  g_autofree char *conninfo = aq_test_conninfo (DBNAME);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Probe *probe = probe_new ("SELECT pg_sleep(30)");
  gint pid;

  aq_db_job_pool_clear ();
  aq_db_job_run_async (conninfo, run_probe, probe_func, probe, NULL, g_free, cancellable, done_cb,
                       &result);
  /* cancel once the server runs the sleep (the main loop keeps turning meanwhile) */
  while (TRUE)
    {
      g_autofree char *sql = NULL;

      g_main_context_iteration (NULL, FALSE);
      if ((pid = g_atomic_int_get (&probe->pid)) == 0)
        continue;
      sql = g_strdup_printf ("SELECT count(*) FROM pg_stat_activity WHERE pid = %d"
                             " AND state = 'active' AND query LIKE '%%pg_sleep%%'", pid);
      if (aq_test_query_int64 (db, sql) == 1)
        break;
      g_usleep (2000);
    }
  g_idle_add (cancel_cb, cancellable);
  g_assert_null (aq_db_job_run_finish (wait_for (&result), run_probe, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* the server stopped the statement: it did not sleep its 30 s out */
  g_assert_true (g_atomic_int_get (&probe->cancelled));
  /* and the connection was closed, not pooled: its backend goes away */
  g_assert_cmpuint (aq_db_job_pool_count (conninfo), ==, 0);
  while (backends (db, pid) > 0)
    g_usleep (5000);
  g_assert_cmpint (backends (db, pid), ==, 0);
  probe_free (probe);

  /* cancelled before it starts, it never runs */
  g_clear_object (&result);
  g_clear_error (&error);
  probe = probe_new (NULL);
  aq_db_job_run_async (conninfo, run_probe, probe_func, probe, NULL, g_free, cancellable, done_cb,
                       &result);
  g_assert_null (aq_db_job_run_finish (wait_for (&result), run_probe, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_atomic_int_get (&probe->pid), ==, 0);
  probe_free (probe);
}

static void
test_pool (void)
{
  g_autoptr(AqDb) db = aq_test_db_new (DBNAME, FALSE);
  g_autofree char *conninfo = aq_test_conninfo (DBNAME);
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pid1 = NULL;
  g_autofree char *pid2 = NULL;
  g_autofree char *pid3 = NULL;
  g_autofree char *pid4 = NULL;
  g_autofree char *sql = NULL;
  Probe *probe1 = probe_new (NULL);
  Probe *probe2 = probe_new ("SELECT pg_sleep(0.2)");

  aq_db_job_pool_clear ();
  g_assert_cmpuint (aq_db_job_pool_count (conninfo), ==, 0);

  /* one after the other: the second job reuses the first one's connection */
  pid1 = run_probe (conninfo, probe1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (aq_db_job_pool_count (conninfo), ==, 1);
  pid2 = run_probe (conninfo, probe1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pid1, ==, pid2);
  g_assert_cmpuint (aq_db_job_pool_count (conninfo), ==, 1);
  g_clear_pointer (&pid1, g_free);
  g_clear_pointer (&pid2, g_free);

  /* at once: two connections, both kept afterwards */
  aq_db_job_run_async (conninfo, run_probe, probe_func, probe2, NULL, g_free, NULL, done_cb,
                       &first);
  while (g_atomic_int_get (&probe2->pid) == 0)
    g_usleep (1000);
  aq_db_job_run_async (conninfo, run_probe, probe_func, probe1, NULL, g_free, NULL, done_cb,
                       &second);
  pid1 = aq_db_job_run_finish (wait_for (&first), run_probe, &error);
  g_assert_no_error (error);
  pid2 = aq_db_job_run_finish (wait_for (&second), run_probe, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pid1, !=, pid2);
  g_assert_cmpuint (aq_db_job_pool_count (conninfo), ==, 2);

  /* pooled connections that died while idle: the job runs on a new one, without an error */
  sql = g_strdup_printf ("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                         " WHERE pid IN (%s, %s)", pid1, pid2);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 2);
  while (backends (db, atoi (pid1)) + backends (db, atoi (pid2)) > 0)
    g_usleep (5000);
  pid3 = run_probe (conninfo, probe1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pid3, !=, pid1);
  g_assert_cmpstr (pid3, !=, pid2);

  /* the synchronous form shares the pool */
  pid4 = aq_db_job_run (conninfo, probe_func, probe1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pid4, ==, pid3);

  aq_db_job_pool_clear ();
  g_assert_cmpuint (aq_db_job_pool_count (conninfo), ==, 0);
  probe_free (probe1);
  probe_free (probe2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* the jobs resolve their connection string as the app does: the environment would win */
  g_unsetenv ("AQUEDUCT_DATABASE_URL");
  g_test_add_func ("/db-job/runs", test_runs);
  g_test_add_func ("/db-job/errors", test_errors);
  g_test_add_func ("/db-job/cancel", test_cancel);
  g_test_add_func ("/db-job/pool", test_pool);
  return g_test_run ();
}

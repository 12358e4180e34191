/* bench-relay.c — how many messages a second aqueductd relays to a provider on loopback
 *
 *   builddir/tests/bench/bench-relay [MESSAGES] [RUNS]   (default 20000 messages, 3 runs)
 *
 * Each run puts MESSAGES queued messages in a fresh database of a throwaway cluster of its
 * own (under $AQ_TEST_STATE_DIR or /tmp; dropped at the end), starts the real aqueductd
 * ($AQUEDUCTD, else the one of this build) against a webhook provider in this process that
 * answers 200 at once, and times from the daemon's start until every message is recorded as
 * sent. Prints each run and the median. The provider shares the two cores with the daemon
 * and PostgreSQL, as a site's would not.
 */
#include "aq-test-util.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static guint requests;

static void
provider_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  static const char body[] = "{\"id\":\"ok\"}";

  g_atomic_int_inc (&requests);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    sizeof body - 1);
}

static gpointer
provider_thread (gpointer user_data)
{
  GMainContext *context = user_data;
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);
  return NULL;
}

static guint
provider_start (void)
{
  GMainContext *context = g_main_context_new ();
  SoupServer *server;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint port;

  g_main_context_push_thread_default (context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, "/send", provider_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("provider: %s", error->message);
  g_main_context_pop_thread_default (context);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  g_thread_new ("provider", provider_thread, context);
  return port;   /* the server lives as long as the process */
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
run_once (guint   port,
          guint   n,
          char   *config,
          double *daemon_cpu)
{
  g_autoptr(AqDb) db = aq_test_db_new ("bench_relay", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("bench_relay");
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *daemon = g_getenv ("AQUEDUCTD") ? g_getenv ("AQUEDUCTD") : AQUEDUCTD_PATH;
  const char *argv[] = { daemon, "--config", config, "--port", "0", NULL };
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL", conninfo,
                                         TRUE);
  g_autoptr(GError) error = NULL;
  const char *params[] = { count };
  gint64 start, end, pending = 1, sent = 0;
  struct rusage usage;
  GPid pid;
  int status;

  aq_db_exec (db, "INSERT INTO notify.campaign (campaign_id, kind, template, status)"
                  " VALUES (1, 'outage', 't', 'queued')", &error);
  g_assert_no_error (error);
  g_free (aq_db_query_string (db, "INSERT INTO notify.message"
                                  " (campaign_id, channel, recipient, body, idempotency_key)"
                                  " SELECT 1, 'sms', (13800000000 + g)::text,"
                                  "   '【自来水】因主管抢修，幸福里小区 11 月 26 日 9:00–17:00 停水，'"
                                  "   || '请提前储水。', 'bench-' || g"
                                  " FROM generate_series(1, $1::int) g RETURNING NULL",
                              1, params, &error));
  g_assert_no_error (error);
  aq_db_exec (db, "VACUUM ANALYZE notify.message", &error);
  g_assert_no_error (error);

  g_atomic_int_set (&requests, 0);
  start = g_get_monotonic_time ();
  g_spawn_async (NULL, (char **) argv, envp, G_SPAWN_DO_NOT_REAP_CHILD
                 | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, &error);
  g_assert_no_error (error);
  while (pending > 0)
    {
      g_usleep (50 * 1000);
      aq_db_query_int64 (db, "SELECT count(*) FROM notify.message"
                             " WHERE status IN ('queued', 'sending')", 0, NULL, &pending, &error);
      g_assert_no_error (error);
      if (g_get_monotonic_time () - start > 600 * G_USEC_PER_SEC)
        g_error ("not done after 10 minutes: %" G_GINT64_FORMAT " pending", pending);
    }
  end = g_get_monotonic_time ();
  aq_db_query_int64 (db, "SELECT count(*) FROM notify.message WHERE status = 'sent'", 0, NULL,
                     &sent, &error);
  g_assert_no_error (error);
  if (sent != n)
    fprintf (stderr, "note: %" G_GINT64_FORMAT " of %u messages sent\n", sent, n);
  kill (pid, SIGTERM);
  wait4 (pid, &status, 0, &usage);
  *daemon_cpu = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
                + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  g_spawn_close_pid (pid);
  if (requests != n)
    fprintf (stderr, "note: the provider saw %u requests for %u messages\n", requests, n);
  return n / ((end - start) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 20000;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 3;
  g_autoptr(GArray) rates = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *state = NULL;
  g_autofree char *config = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  setlocale (LC_ALL, "");
  if (n == 0 || runs == 0)
    {
      fprintf (stderr, "Usage: %s [MESSAGES] [RUNS]\n", argv[0]);
      return 2;
    }
  if (g_getenv ("AQ_TEST_STATE_DIR") == NULL)
    {
      state = g_dir_make_tmp ("aqbench-relay-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("AQ_TEST_STATE_DIR", state, TRUE);
    }
  aq_core_init ();
  port = provider_start ();
  config = g_build_filename (g_get_tmp_dir (), "bench-relay.conf", NULL);
  text = g_strdup_printf ("[relay]\nbatch-size=500\nlease-seconds=60\npoll-interval-ms=50\nmax-attempts=2\nbackoff-base-ms=10\nbackoff-cap-ms=50\n"
                          "[limits]\nrecipient-daily-limit=0\n"
                          "[provider.hook]\ntype=webhook\nurl=http://127.0.0.1:%u/send\n"
                          "timeout=2\nconcurrency=32\n", port);
  g_file_set_contents (config, text, -1, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < runs; i++)
    {
      double cpu = 0;
      double rate = run_once (port, n, config, &cpu);

      g_array_append_val (rates, rate);
      printf ("  relay %u messages run %u: %.0f messages/s (aqueductd used %.1f s of CPU)\n",
              n, i + 1, rate, cpu);
      fflush (stdout);
    }
  g_array_sort (rates, compare_double);
  printf ("relay to a loopback provider, %u messages: median %.0f messages/s (aim ≥ 2,000)\n",
          n, g_array_index (rates, double, runs / 2));
  aq_test_cluster_drop ();
  if (state)
    {
      g_autofree char *lock = g_build_filename (state, "aq-test-cluster.lock", NULL);

      g_unlink (lock);
      g_rmdir (state);
    }
  g_unlink (config);
  return 0;
}

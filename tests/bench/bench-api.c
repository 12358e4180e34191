/* bench-api.c — requests a second aqueductd answers on /api/v1, with p50/p95/p99, on loopback
 *
 *   builddir/tests/bench/bench-api [ACCOUNTS] [SECONDS] [CONCURRENCY] [MONTHS]
 *       (default 100000 accounts × 36 months, 10 s, 16 requests in flight)
 *
 * The measurements issue 13 asks for, on an otherwise idle machine (check `uptime` first):
 *   100k:  AQ_TEST_STATE_DIR=/var/tmp/aqbench builddir/tests/bench/bench-api 100000 30 16 13
 *   1 M:   AQ_TEST_STATE_DIR=/var/tmp/aqbench builddir/tests/bench/bench-api 1000000 30 16 13
 *          (builds 1 M accounts × 13 months first, which takes long: check the free disk),
 *          or on a warehouse already filled (e.g. the one `tests/bench/run --full` builds):
 *          AQUEDUCT_DATABASE_URL=postgresql://… builddir/tests/bench/bench-api 1000000 30 16
 * For each load it prints requests/s, p50, p95 and p99 as the generator saw them; then the
 * same figures inside the daemon (its call log: signature checked to answer written, over the
 * same seconds), and the generator's own ceiling (the same signed requests to a loopback
 * backend that answers at once): a generator figure near that ceiling measures the
 * generator, not the daemon. The load average is printed before and after each load.
 *
 * Against $AQUEDUCT_DATABASE_URL when set (a filled warehouse), else a demo warehouse of
 * ACCOUNTS built in a throwaway cluster of its own (dropped at the end). Starts the real
 * aqueductd ($AQUEDUCTD, else the one of this build), registers an app granted
 * bill_details (one account's bills, the point API of issue 13) without limits that would
 * bind, and drives it from this process: CONCURRENCY requests in flight on keep-alive
 * connections, each one signed (HMAC-SHA256 and a fresh nonce, as a caller must), over random
 * accounts. Then the same against a forwarded API whose backend is a loopback server here, and
 * that backend directly, for what forwarding adds. The load generator, the daemon and
 * PostgreSQL share the machine's cores.
 */
#include "aq-test-util.h"

#include <libsoup/soup.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct
{
  char   *label;
  char   *api;
  gint64  from_us, to_us;   /* real time */
} Window;

typedef struct
{
  SoupSession *session;
  char        *base;
  char        *path;
  char        *app_key;
  char        *secret;
  GPtrArray   *accounts;
  gint64       until;
  guint        in_flight;
  GArray      *latencies;   /* µs */
  guint        errors;
  gboolean     sign;
  GMainLoop   *loop;
  GPtrArray   *windows;     /* Window: the measured runs, for the daemon's figures */
} Load;

typedef struct
{
  Load        *load;
  SoupMessage *msg;
  gint64       t0;
} Request;

static void send_one (Load *load);

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Request *r = user_data;
  Load *load = r->load;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                              &error);
  gint64 latency = g_get_monotonic_time () - r->t0;

  if (body == NULL || soup_message_get_status (r->msg) != 200)
    load->errors++;
  else
    g_array_append_val (load->latencies, latency);
  g_object_unref (r->msg);
  g_free (r);
  load->in_flight--;
  if (g_get_monotonic_time () < load->until)
    send_one (load);
  else if (load->in_flight == 0)
    g_main_loop_quit (load->loop);
}

static void
send_one (Load *load)
{
  Request *r = g_new0 (Request, 1);
  const char *account = g_ptr_array_index (load->accounts,
                                           g_random_int_range (0, load->accounts->len));
  g_autofree char *query = g_strdup_printf ("account=%s", account);
  g_autofree char *uri = g_strconcat (load->base, load->path, "?", query, NULL);

  r->load = load;
  r->msg = soup_message_new ("GET", uri);
  if (load->sign)
    {
      SoupMessageHeaders *h = soup_message_get_request_headers (r->msg);
      g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_get_real_time () / G_USEC_PER_SEC);
      g_autofree char *nonce = aq_api_random_token (12);
      g_autofree char *sig = aq_api_sign (load->secret, "GET", load->path, query, NULL, 0, ts,
                                          nonce);

      soup_message_headers_replace (h, "X-Aq-Key", load->app_key);
      soup_message_headers_replace (h, "X-Aq-Timestamp", ts);
      soup_message_headers_replace (h, "X-Aq-Nonce", nonce);
      soup_message_headers_replace (h, "X-Aq-Signature", sig);
    }
  r->t0 = g_get_monotonic_time ();
  load->in_flight++;
  soup_session_send_and_read_async (load->session, r->msg, G_PRIORITY_DEFAULT, NULL, done_cb, r);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* nearest rank */
static double
rank_ms (GArray *sorted,
         double  q)
{
  guint n = sorted->len;
  guint k;

  if (n == 0)
    return 0;
  /* the smallest k with k / n >= q, as percentile_disc */
  k = (guint) (q * n);
  if ((double) k < q * n)
    k++;
  k = MIN (MAX (k, 1), n) - 1;
  return g_array_index (sorted, gint64, k) / 1000.0;
}

static void
print_loadavg (void)
{
  g_autofree char *text = NULL;
  double one, five, fifteen;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL)
      && sscanf (text, "%lf %lf %lf", &one, &five, &fifteen) == 3)
    printf ("  load average %.2f %.2f %.2f\n", one, five, fifteen);
}

static void
run_load (Load       *load,
          const char *label,
          double      seconds,
          guint       concurrency)
{
  gint64 start, real_start;
  double elapsed;
  guint n;

  load->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  load->errors = 0;
  load->loop = g_main_loop_new (NULL, FALSE);
  print_loadavg ();
  start = g_get_monotonic_time ();
  real_start = g_get_real_time ();
  load->until = start + (gint64) (seconds * G_USEC_PER_SEC);
  for (guint i = 0; i < concurrency; i++)
    send_one (load);
  g_main_loop_run (load->loop);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  n = load->latencies->len;
  g_array_sort (load->latencies, compare_gint64);
  printf ("%s, at the generator: %.0f requests/s over %.1f s, p50 %.2f ms, p95 %.2f ms,"
          " p99 %.2f ms, %u errors\n", label, n / elapsed, elapsed, rank_ms (load->latencies, 0.5),
          rank_ms (load->latencies, 0.95), rank_ms (load->latencies, 0.99), load->errors);
  print_loadavg ();
  fflush (stdout);
  if (load->sign && load->windows && g_str_has_prefix (load->path, "/api/v1/"))
    {
      Window *w = g_new0 (Window, 1);

      w->label = g_strdup (label);
      w->api = g_strdup (load->path + strlen ("/api/v1/"));
      w->from_us = real_start;
      w->to_us = g_get_real_time ();
      g_ptr_array_add (load->windows, w);
    }
  g_array_unref (load->latencies);
  g_main_loop_unref (load->loop);
}

/* ---- the forwarded API's backend: its own thread ---- */

static void
backend_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  static const char body[] = "{\"balance\":12.5}";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body,
                                    sizeof body - 1);
}

static gpointer
backend_thread (gpointer data)
{
  GAsyncQueue *ready = data;
  GMainContext *context = g_main_context_new ();
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (context);
  server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server, NULL, backend_cb, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_async_queue_push (ready, GUINT_TO_POINTER (g_uri_get_port (uris->data)));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  while (TRUE)
    g_main_context_iteration (context, TRUE);
  return NULL;
}

/* One sample of the daemon's /metrics (0 when absent). */
static double
metric_value (const char *base,
              const char *name)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base, "/metrics", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_autofree char *text = body ? g_strndup (g_bytes_get_data (body, NULL),
                                            g_bytes_get_size (body)) : NULL;
  g_autofree char *needle = g_strconcat ("\n", name, " ", NULL);
  const char *at = text ? strstr (text, needle) : NULL;

  return at ? g_ascii_strtod (at + strlen (needle), NULL) : 0;
}

/* What forwarding adds: the daemon's mean time for a forwarded call minus its mean wait for
 * the backend (both from /metrics, over the whole run). */
static void
print_forward_overhead (const char *base)
{
  double total = metric_value (base, "aqueduct_api_latency_seconds_sum{api=\"bench_forward\"}");
  double n = metric_value (base, "aqueduct_api_latency_seconds_count{api=\"bench_forward\"}");
  double wait = metric_value (base, "aqueduct_api_backend_seconds_sum{api=\"bench_forward\"}");
  double waits = metric_value (base, "aqueduct_api_backend_seconds_count{api=\"bench_forward\"}");

  if (n > 0 && waits > 0)
    printf ("in-daemon bench_forward mean %.2f ms, of which waiting for the backend %.2f ms:"
            " forwarding adds %.2f ms\n", total / n * 1000, wait / waits * 1000,
            (total / n - wait / waits) * 1000);
  fflush (stdout);
}

/* The daemon's own figures per measured load, from its call log over the same seconds
 * (latency there is signature checked to answer written): what the generator's figures add
 * to is the machine and the generator, not the daemon. */
static void
print_daemon_latency (AqDb       *db,
                      const char *app_key,
                      GPtrArray  *windows)
{
  g_usleep (2500 * 1000);   /* the call log's next flush */
  for (guint i = 0; i < windows->len; i++)
    {
      Window *w = g_ptr_array_index (windows, i);
      g_autofree char *from = g_strdup_printf ("%.6f", w->from_us / 1e6);
      g_autofree char *to = g_strdup_printf ("%.6f", w->to_us / 1e6);
      const char *params[] = { app_key, w->api, from, to };
      g_autoptr(GError) error = NULL;
      g_autoptr(PGresult) res = aq_db_query (db,
        "SELECT count(*),"
        " percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_us) / 1000.0,"
        " percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_us) / 1000.0,"
        " percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_us) / 1000.0,"
        " count(*) FILTER (WHERE code <> 0)"
        " FROM meta.api_call WHERE app_key = $1 AND api = $2"
        "  AND at >= to_timestamp($3::float8) AND at < to_timestamp($4::float8)",
        4, params, &error);

      g_assert_no_error (error);
      printf ("%s, in the daemon: %.0f requests/s, p50 %.2f ms, p95 %.2f ms, p99 %.2f ms,"
              " %s errors\n", w->label,
              g_ascii_strtod (PQgetvalue (res, 0, 0), NULL) / ((w->to_us - w->from_us) / 1e6),
              g_ascii_strtod (PQgetvalue (res, 0, 1), NULL),
              g_ascii_strtod (PQgetvalue (res, 0, 2), NULL),
              g_ascii_strtod (PQgetvalue (res, 0, 3), NULL), PQgetvalue (res, 0, 4));
    }
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  guint accounts = argc > 1 ? atoi (argv[1]) : 100000;
  double seconds = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 10;
  guint concurrency = argc > 3 ? atoi (argv[3]) : 16;
  guint months = argc > 4 ? atoi (argv[4]) : 36;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  g_autofree char *conninfo = NULL;
  g_autofree char *state = NULL;
  g_autofree char *config = NULL;
  g_autofree char *line = NULL;
  g_autofree char *fw = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqApiApp) app = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonObject) forward = NULL;
  g_autoptr(GAsyncQueue) ready = g_async_queue_new ();
  const char *daemon_path = g_getenv ("AQUEDUCTD") ? g_getenv ("AQUEDUCTD") : AQUEDUCTD_PATH;
  const char *dargv[] = { daemon_path, "--port", "0", "--config", NULL, NULL };
  g_auto(GStrv) envp = NULL;
  Load load = { 0 };
  GPid pid;
  int out_fd;
  int status;
  guint backend_port;

  setlocale (LC_ALL, "");
  if (accounts == 0 || seconds <= 0 || concurrency == 0 || months == 0)
    {
      fprintf (stderr, "Usage: %s [ACCOUNTS] [SECONDS] [CONCURRENCY] [MONTHS]\n", argv[0]);
      return 2;
    }
  aq_core_init ();
  if (url && *url)
    {
      conninfo = g_strdup (url);
      db = aq_db_connect (conninfo, &error);
      g_assert_no_error (error);
    }
  else
    {
      gint64 t0 = g_get_monotonic_time ();

      if (g_getenv ("AQ_TEST_STATE_DIR") == NULL)
        {
          state = g_dir_make_tmp ("aqbench-api-XXXXXX", &error);
          g_assert_no_error (error);
          g_setenv ("AQ_TEST_STATE_DIR", state, TRUE);
        }
      db = aq_test_demo_db_new ("bench_api", accounts, months);
      conninfo = aq_test_conninfo ("bench_api");
      printf ("demo warehouse of %u accounts × %u months built in %.0f s\n", accounts, months,
              (g_get_monotonic_time () - t0) / 1e6);
    }

  g_thread_unref (g_thread_new ("backend", backend_thread, ready));
  backend_port = GPOINTER_TO_UINT (g_async_queue_pop (ready));
  fw = g_strdup_printf ("{\"forward\": {\"url\": \"http://127.0.0.1:%u/balance\","
                        " \"timeout_ms\": 2000}, \"params\": [{\"name\": \"account\","
                        " \"type\": \"text\", \"required\": true}]}", backend_port);
  forward = aq_test_parse_object (fw);
  aq_api_publish (db, "bench_forward", "bench", "bench", "", "forward", forward, NULL, &error);
  g_assert_no_error (error);
  app = aq_api_app_add (db, "bench", "load generator", &error);
  if (app == NULL)   /* a second run on the same warehouse */
    {
      g_clear_error (&error);
      aq_db_exec (db, "DELETE FROM meta.api_app WHERE name = 'bench'", &error);
      g_assert_no_error (error);
      app = aq_api_app_add (db, "bench", "load generator", &error);
    }
  g_assert_no_error (error);
  aq_api_grant_decide (db, app->app_key, "bill_details", "approved", 1000000, 100000000, 0, NULL,
                       &error);
  g_assert_no_error (error);
  aq_api_grant_decide (db, app->app_key, "bench_forward", "approved", 1000000, 100000000, 0,
                       NULL, &error);
  g_assert_no_error (error);
  res = aq_db_query (db, "SELECT account_id FROM dw.dim_account ORDER BY random() LIMIT 10000",
                     0, NULL, &error);
  g_assert_no_error (error);
  load.accounts = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (load.accounts, g_strdup (PQgetvalue (res, i, 0)));

  config = g_build_filename (g_get_tmp_dir (), "bench-api.conf", NULL);
  g_file_set_contents (config, "[api]\npool_size=4\n", -1, &error);
  g_assert_no_error (error);
  dargv[4] = config;
  envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_spawn_async_with_pipes (NULL, (char **) dargv, envp, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  line = aq_test_read_line (out_fd, -1, 60, "aqueductd's “listening on” line");
  load.base = g_strndup (line + strlen ("listening on "),
                         strlen (line) - strlen ("listening on ") - 1);
  g_usleep (2 * G_USEC_PER_SEC);   /* the catalog's first load */

  load.session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 256,
                                                NULL);
  load.app_key = app->app_key;
  load.secret = app->secret;
  load.sign = TRUE;
  load.path = g_strdup ("/api/v1/bill_details");
  printf ("%u requests in flight, %.0f s a load, %u cores\n", concurrency, seconds,
          g_get_num_processors ());
  run_load (&load, "warm-up", 2, concurrency);
  load.windows = g_ptr_array_new ();
  run_load (&load, "bill_details (signed, one account's bills)", seconds, concurrency);
  g_free (load.path);
  load.path = g_strdup ("/api/v1/bench_forward");
  run_load (&load, "bench_forward (signed, forwarded to a loopback backend)", seconds,
            concurrency);
  print_forward_overhead (load.base);
  g_free (load.base);
  load.base = g_strdup_printf ("http://127.0.0.1:%u", backend_port);
  g_free (load.path);
  load.path = g_strdup ("/balance");
  /* signed as well: the generator's whole work per request, against a backend that costs
   * next to nothing */
  run_load (&load, "generator ceiling (signed, the loopback backend directly, no daemon)",
            seconds, concurrency);
  print_daemon_latency (db, app->app_key, load.windows);
  printf ("reference deployment (issue 13): 0.6 s average, 1.2 s for bills\n");

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  close (out_fd);
  g_unlink (config);
  g_clear_object (&db);
  if (state)
    {
      g_autofree char *lock = g_build_filename (state, "aq-test-cluster.lock", NULL);

      aq_test_cluster_drop ();
      g_unlink (lock);
      g_rmdir (state);
    }
  return 0;
}

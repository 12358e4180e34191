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
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* RUSAGE_THREAD */
#endif
#include "aq-test-util.h"

#include <libsoup/soup.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
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

/* One keep-alive connection of the generator, one request in flight on it. */
typedef struct
{
  int      fd;
  gboolean busy;
  gint64   t0;
  GString *in;
} Conn;

typedef struct
{
  guint16      port;
  char        *path;
  char        *app_key;
  char        *secret;
  char        *nonce_prefix;  /* random per run: nonces stay new across runs */
  guint64      nonce_serial;
  GPtrArray   *accounts;
  gint64       until;
  guint        in_flight;
  GArray      *latencies;   /* µs */
  guint        errors;
  gboolean     sign;
  int          epoll_fd;
  GPtrArray   *windows;     /* Window: the measured runs, for the daemon's figures */
  GPid         daemon_pid;
  Conn        *conns;
  guint        n_conns;
} Load;

/* ---- the generator: plain HTTP/1.1 on non-blocking sockets, one epoll loop ----
 *
 * It shares the two cores with the daemon and PostgreSQL, so it must cost little: no HTTP
 * library, one write and usually one read a request. What it must do as any caller does it
 * does: a fresh timestamp, nonce and HMAC-SHA256 signature for every request. */

static int
conn_open (Load *load)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (load->port) };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;

  g_assert_cmpint (fd, >=, 0);
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (connect (fd, (struct sockaddr *) &addr, sizeof addr) != 0)
    g_error ("connect to port %u: %s", load->port, g_strerror (errno));
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

static void
conn_watch (Load *load,
            Conn *conn)
{
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = conn };

  epoll_ctl (load->epoll_fd, EPOLL_CTL_ADD, conn->fd, &ev);
}

static void
conn_reopen (Load *load,
             Conn *conn)
{
  epoll_ctl (load->epoll_fd, EPOLL_CTL_DEL, conn->fd, NULL);
  close (conn->fd);
  conn->fd = conn_open (load);
  g_string_truncate (conn->in, 0);
  conn_watch (load, conn);
}

static void
send_one (Load *load,
          Conn *conn)
{
  const char *account = g_ptr_array_index (load->accounts,
                                           g_random_int_range (0, load->accounts->len));
  g_autofree char *query = g_strdup_printf ("account=%s", account);
  g_autoptr(GString) req = g_string_sized_new (512);
  gsize done = 0;

  g_string_append_printf (req, "GET %s?%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n", load->path, query,
                          load->port);
  if (load->sign)
    {
      g_autofree char *ts = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_get_real_time () / G_USEC_PER_SEC);
      g_autofree char *nonce = g_strdup_printf ("%s%" G_GINT64_MODIFIER "x", load->nonce_prefix,
                                                load->nonce_serial++);
      g_autofree char *sig = aq_api_sign (load->secret, "GET", load->path, query, NULL, 0, ts,
                                          nonce);

      g_string_append_printf (req, "X-Aq-Key: %s\r\nX-Aq-Timestamp: %s\r\nX-Aq-Nonce: %s\r\n"
                              "X-Aq-Signature: %s\r\n", load->app_key, ts, nonce, sig);
    }
  g_string_append (req, "\r\n");
  conn->t0 = g_get_monotonic_time ();
  while (done < req->len)
    {
      ssize_t n = write (conn->fd, req->str + done, req->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)   /* a request this small fits the socket's buffer: the peer is gone */
        {
          load->errors++;
          conn_reopen (load, conn);
          done = 0;
          conn->t0 = g_get_monotonic_time ();
          continue;
        }
      done += n;
    }
  conn->busy = TRUE;
  load->in_flight++;
}

/* The length of a whole response at the head of @in (0: not yet), its status in @status and
 * whether the server will close the connection after it. */
static gsize
response_length (GString  *in,
                 guint    *status,
                 gboolean *closes)
{
  const char *end = g_strstr_len (in->str, in->len, "\r\n\r\n");
  gsize head, length = 0;
  gboolean has_length = FALSE;

  if (end == NULL)
    return 0;
  head = end + 4 - in->str;
  *status = in->len > 12 ? (guint) g_ascii_strtoull (in->str + 9, NULL, 10) : 0;
  *closes = FALSE;
  for (const char *line = strstr (in->str, "\r\n") + 2; line < end;
       line = strstr (line, "\r\n") + 2)
    {
      if (g_ascii_strncasecmp (line, "Content-Length:", 15) == 0)
        {
          length = g_ascii_strtoull (line + 15, NULL, 10);
          has_length = TRUE;
        }
      else if (g_ascii_strncasecmp (line, "Connection: close", 17) == 0)
        *closes = TRUE;
    }
  if (!has_length)
    g_error ("a response without Content-Length: %.*s", (int) head, in->str);
  return in->len >= head + length ? head + length : 0;
}

static void
conn_readable (Load *load,
               Conn *conn)
{
  char buffer[65536];
  ssize_t n;
  gsize whole;
  guint status = 0;
  gboolean closes = FALSE;

  while ((n = read (conn->fd, buffer, sizeof buffer)) > 0)
    g_string_append_len (conn->in, buffer, n);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
    {
      /* closed under a request: an error, and a new connection */
      if (conn->busy)
        {
          load->errors++;
          load->in_flight--;
          conn->busy = FALSE;
        }
      conn_reopen (load, conn);
    }
  else if (conn->busy && (whole = response_length (conn->in, &status, &closes)) > 0)
    {
      gint64 latency = g_get_monotonic_time () - conn->t0;

      if (status == 200)
        g_array_append_val (load->latencies, latency);
      else
        load->errors++;
      g_string_erase (conn->in, 0, whole);
      conn->busy = FALSE;
      load->in_flight--;
      if (closes)
        conn_reopen (load, conn);
    }
  else
    return;
  if (!conn->busy && g_get_monotonic_time () < load->until)
    send_one (load, conn);
}

/* Waits for every request in flight (the generator's loop). */
static void
drain (Load *load)
{
  struct epoll_event events[64];
  gint64 last_progress = g_get_monotonic_time ();

  while (load->in_flight > 0)
    {
      int n = epoll_wait (load->epoll_fd, events, G_N_ELEMENTS (events), 1000);

      for (int i = 0; i < n; i++)
        conn_readable (load, events[i].data.ptr);
      if (n > 0)
        last_progress = g_get_monotonic_time ();
      else if (g_get_monotonic_time () - last_progress > 60 * G_USEC_PER_SEC)
        g_error ("no answer for 60 s (%u requests in flight)", load->in_flight);
    }
}

/* Opens the connections one by one, each answered once before the next is opened, outside
 * the measured time: sixteen connects at once overflow the server's accept queue and a dropped
 * handshake costs a second (the SYN-ACK is sent again after 1 s). */
static void
connect_all (Load  *load,
             guint  concurrency)
{
  load->epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  load->in_flight = 0;
  load->conns = g_new0 (Conn, concurrency);
  load->n_conns = concurrency;
  load->until = 0;
  for (guint i = 0; i < concurrency; i++)
    {
      load->conns[i].fd = conn_open (load);
      load->conns[i].in = g_string_sized_new (4096);
      conn_watch (load, &load->conns[i]);
      send_one (load, &load->conns[i]);
      drain (load);
    }
}

static void
generate (Load *load)
{
  for (guint i = 0; i < load->n_conns; i++)
    send_one (load, &load->conns[i]);
  drain (load);
  for (guint i = 0; i < load->n_conns; i++)
    {
      close (load->conns[i].fd);
      g_string_free (load->conns[i].in, TRUE);
    }
  g_clear_pointer (&load->conns, g_free);
  close (load->epoll_fd);
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

/* CPU seconds of process @pid (0: none), from /proc. */
static double
process_cpu_s (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  const char *after;
  unsigned long long utime, stime;

  if (pid <= 0 || !g_file_get_contents (path, &text, NULL, NULL)
      || (after = strrchr (text, ')')) == NULL
      || sscanf (after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
                 &stime) != 2)
    return 0;
  return (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

/* The machine's busy and total CPU seconds (all cores), from /proc/stat. */
static void
machine_cpu_s (double *busy,
               double *total)
{
  g_autofree char *text = NULL;
  unsigned long long v[8] = { 0 };
  double tick = sysconf (_SC_CLK_TCK);

  *busy = *total = 0;
  if (!g_file_get_contents ("/proc/stat", &text, NULL, NULL)
      || sscanf (text, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                 &v[4], &v[5], &v[6], &v[7]) != 8)
    return;
  for (guint i = 0; i < 8; i++)
    *total += v[i] / tick;
  *busy = *total - (v[3] + v[4]) / tick;   /* all but idle and iowait */
}

static double
thread_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_THREAD, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static void
run_load (Load       *load,
          const char *label,
          double      seconds,
          guint       concurrency)
{
  gint64 start, real_start;
  double elapsed;
  double gen0, daemon0, busy0, total0, busy1, total1, gen, daemon;
  guint n;

  load->latencies = g_array_new (FALSE, FALSE, sizeof (gint64));
  connect_all (load, concurrency);
  g_array_set_size (load->latencies, 0);
  load->errors = 0;
  print_loadavg ();
  start = g_get_monotonic_time ();
  real_start = g_get_real_time ();
  gen0 = thread_cpu_s ();
  daemon0 = process_cpu_s (load->daemon_pid);
  machine_cpu_s (&busy0, &total0);
  load->until = start + (gint64) (seconds * G_USEC_PER_SEC);
  generate (load);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  gen = thread_cpu_s () - gen0;
  daemon = process_cpu_s (load->daemon_pid) - daemon0;
  machine_cpu_s (&busy1, &total1);
  n = load->latencies->len;
  g_array_sort (load->latencies, compare_gint64);
  printf ("%s, at the generator: %.0f requests/s over %.1f s, p50 %.2f ms, p95 %.2f ms,"
          " p99 %.2f ms, %u errors\n", label, n / elapsed, elapsed, rank_ms (load->latencies, 0.5),
          rank_ms (load->latencies, 0.95), rank_ms (load->latencies, 0.99), load->errors);
  if (n > 0)
    printf ("  CPU a request: generator %.0f µs, daemon %.0f µs, the rest of the machine"
            " (PostgreSQL, the loopback backend, others) %.0f µs; the cores %.0f %% busy\n",
            gen / n * 1e6, daemon / n * 1e6,
            MAX (0, (busy1 - busy0) - gen - daemon) / n * 1e6,
            total1 > total0 ? (busy1 - busy0) / (total1 - total0) * 100 : 0);
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

  double within_1ms = metric_value (base, "aqueduct_api_forward_overhead_seconds_bucket"
                                          "{api=\"bench_forward\",le=\"0.001\"}");
  double within_2ms = metric_value (base, "aqueduct_api_forward_overhead_seconds_bucket"
                                          "{api=\"bench_forward\",le=\"0.002\"}");
  double overheads = metric_value (base, "aqueduct_api_forward_overhead_seconds_count"
                                         "{api=\"bench_forward\"}");

  if (n > 0 && waits > 0)
    printf ("in-daemon bench_forward mean %.2f ms, of which waiting for the backend %.2f ms:"
            " forwarding adds %.2f ms\n", total / n * 1000, wait / waits * 1000,
            (total / n - wait / waits) * 1000);
  /* p99 ≤ 2 ms holds when at least 99 % of the calls fall in the daemon's 2 ms bucket */
  if (overheads > 0)
    printf ("forwarding's own time per call (latency minus backend wait): %.2f %% of %.0f calls"
            " ≤ 1 ms, %.2f %% ≤ 2 ms\n", within_1ms / overheads * 100, overheads,
            within_2ms / overheads * 100);
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

static pid_t forward_to;

static void
forward_signal (int sig)
{
  if (forward_to > 0)
    kill (forward_to, SIGTERM);
}

/* In the daemon before exec: it stops (cleanly, flushing its log) when the bench dies. */
static void
daemon_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* What a run adds to a warehouse given by URL, removed at the end whatever happened: the
 * `bench` app (its grants go with it), the `bench_forward` API (versions and grants go with
 * it), the calls the daemon logged for them since the run began (meta.api_call and the
 * per-minute rollup), the quota counts and nonces it kept. The audit log keeps its records of
 * the publish, the app and the grants: it refuses deletes by design. */
static void
clean_warehouse (const char *url,
                 gint64      since_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_db_connect (url, &error);
  g_autofree char *key = NULL;
  g_autofree char *since = g_strdup_printf ("%.6f", since_us / 1e6 - 60);
  g_autoptr(PGresult) res = NULL;
  static const char *const deletes[] = {
    "DELETE FROM meta.api_call WHERE at >= to_timestamp($2::float8)"
    " AND (app_key = $1 OR api = 'bench_forward')",
    "DELETE FROM meta.api_call_minute WHERE minute >= date_trunc('minute',"
    " to_timestamp($2::float8)) AND (app_key = $1 OR api = 'bench_forward')",
    /* the others take the app's key alone ($2 is a no-op there: one parameter list) */
    "DELETE FROM meta.api_quota_day WHERE (app_key = $1 OR api = 'bench_forward')"
    " AND $2::text IS NOT NULL",
    "DELETE FROM meta.api_nonce WHERE app_key = $1 AND $2::text IS NOT NULL",
    "DELETE FROM meta.api_app WHERE app_key = $1 AND $2::text IS NOT NULL",
    "DELETE FROM meta.api WHERE name = 'bench_forward' AND $1::text IS NOT NULL"
    " AND $2::text IS NOT NULL",
  };
  guint64 removed[G_N_ELEMENTS (deletes)] = { 0 };

  if (db == NULL)
    {
      fprintf (stderr, "bench-api: cannot clean up (the warehouse does not answer): %s\n",
               error->message);
      return;
    }
  res = aq_db_query (db, "SELECT app_key FROM meta.api_app WHERE name = 'bench'", 0, NULL,
                     &error);
  key = res && PQntuples (res) == 1 ? g_strdup (PQgetvalue (res, 0, 0)) : g_strdup ("");
  if (res == NULL || !aq_db_exec (db, "BEGIN", &error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (deletes); i++)
    {
      const char *params[] = { key, since };
      g_autoptr(PGresult) del = aq_db_query (db, deletes[i], 2, params, &error);

      if (del == NULL)
        goto failed;
      removed[i] = g_ascii_strtoull (PQcmdTuples (del), NULL, 10);
    }
  if (!aq_db_commit (db, &error))
    goto failed;
  printf ("cleaned up: %" G_GUINT64_FORMAT " logged calls, %" G_GUINT64_FORMAT " minute rows,"
          " %" G_GUINT64_FORMAT " quota days, %" G_GUINT64_FORMAT " nonces, %" G_GUINT64_FORMAT
          " app (with its grants), %" G_GUINT64_FORMAT " API\n", removed[0], removed[1],
          removed[2], removed[3], removed[4], removed[5]);
  return;
failed:
  fprintf (stderr, "bench-api: cleaning up failed (run again to retry): %s\n", error->message);
}

/* The bench itself, in a child process (main() cleans up after it, however it ended). Writes
 * the daemon's pid to @pid_fd. */
static int
bench (guint       accounts,
       double      seconds,
       guint       concurrency,
       guint       months,
       const char *url,
       int         pid_fd)
{
  g_autofree char *conninfo = NULL;
  g_autofree char *config = NULL;
  g_autofree char *line = NULL;
  g_autofree char *fw = NULL;
  g_autofree char *base = NULL;
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

  aq_core_init ();
  if (url)
    {
      conninfo = g_strdup (url);
      db = aq_db_connect (conninfo, &error);
      g_assert_no_error (error);
    }
  else
    {
      gint64 t0 = g_get_monotonic_time ();

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
  if (app == NULL)   /* left by a run that could not clean up */
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
  load.nonce_prefix = aq_api_random_token (8);

  config = g_build_filename (g_get_tmp_dir (), "bench-api-XXXXXX.conf", NULL);
  {
    int fd = g_mkstemp (config);

    g_assert_cmpint (fd, >=, 0);
    close (fd);
  }
  g_file_set_contents (config, "[api]\npool_size=4\n", -1, &error);
  g_assert_no_error (error);
  dargv[4] = config;
  envp = g_environ_setenv (g_get_environ (), "AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  g_spawn_async_with_pipes (NULL, (char **) dargv, envp, G_SPAWN_DO_NOT_REAP_CHILD,
                            daemon_setup, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  if (write (pid_fd, &pid, sizeof pid) != sizeof pid)
    g_error ("cannot tell the parent the daemon's pid");
  load.daemon_pid = pid;
  line = aq_test_read_line (out_fd, -1, 60, "aqueductd's “listening on” line");
  base = g_strndup (line + strlen ("listening on "),
                    strlen (line) - strlen ("listening on ") - 1);
  load.port = (guint16) atoi (strrchr (base, ':') + 1);
  g_assert_cmpuint (load.port, >, 0);
  g_usleep (2 * G_USEC_PER_SEC);   /* the catalog's first load */

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
  print_forward_overhead (base);
  load.port = backend_port;
  g_free (load.path);
  load.path = g_strdup ("/balance");
  /* signed as well: the generator's whole work per request, against a backend that costs
   * next to nothing */
  load.daemon_pid = 0;
  run_load (&load, "generator ceiling (signed, the loopback backend directly, no daemon)",
            seconds, concurrency);
  print_daemon_latency (db, app->app_key, load.windows);
  printf ("reference deployment (issue 13): 0.6 s average, 1.2 s for bills\n");

  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  pid = 0;   /* reaped: nothing left for the parent to wait for */
  if (write (pid_fd, &pid, sizeof pid) != sizeof pid)
    g_error ("cannot tell the parent the daemon stopped");
  close (out_fd);
  g_unlink (config);
  return 0;
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
  g_autofree char *state = NULL;
  gint64 started = g_get_real_time ();
  int fds[2];
  pid_t child, daemon_pid = 0, said;
  int status = 0;

  setlocale (LC_ALL, "");
  if (accounts == 0 || seconds <= 0 || concurrency == 0 || months == 0)
    {
      fprintf (stderr, "Usage: %s [ACCOUNTS] [SECONDS] [CONCURRENCY] [MONTHS]\n", argv[0]);
      return 2;
    }
  if (url && *url == '\0')
    url = NULL;
  if (url == NULL && g_getenv ("AQ_TEST_STATE_DIR") == NULL)
    {
      g_autoptr(GError) error = NULL;

      state = g_dir_make_tmp ("aqbench-api-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("AQ_TEST_STATE_DIR", state, TRUE);
    }
  /* the daemon, orphaned when the bench dies, becomes ours: it is waited for (it flushes its
   * call log when stopping) before the warehouse is cleaned */
  prctl (PR_SET_CHILD_SUBREAPER, 1);
  if (pipe (fds) != 0)
    return 1;
  fflush (stdout);
  child = fork ();
  if (child < 0)
    return 1;
  if (child == 0)
    {
      close (fds[0]);
      _exit (bench (accounts, seconds, concurrency, months, url, fds[1]));
    }
  close (fds[1]);
  forward_to = child;
  signal (SIGINT, forward_signal);
  signal (SIGTERM, forward_signal);
  signal (SIGHUP, forward_signal);
  while (waitpid (child, &status, 0) < 0 && errno == EINTR)
    ;
  while (read (fds[0], &said, sizeof said) == sizeof said)
    daemon_pid = said;   /* the last word: 0 once the bench reaped it */
  if (daemon_pid > 0)
    {
      /* gone already when the bench ended well; else it got SIGTERM from daemon_setup's
       * death signal and stops cleanly, or is killed after 30 s */
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      kill (daemon_pid, SIGTERM);
      while (waitpid (daemon_pid, NULL, WNOHANG) == 0)
        {
          if (g_get_monotonic_time () > deadline)
            {
              kill (daemon_pid, SIGKILL);
              waitpid (daemon_pid, NULL, 0);
              break;
            }
          g_usleep (50000);
        }
    }
  close (fds[0]);
  aq_core_init ();
  if (url)
    clean_warehouse (url, started);
  if (state)
    {
      aq_test_cluster_drop ();
      g_autofree char *lock = g_build_filename (state, "aq-test-cluster.lock", NULL);

      g_unlink (lock);
      g_rmdir (state);
    }
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "bench-api: the bench failed (%s %d); the warehouse was cleaned up\n",
               WIFSIGNALED (status) ? "signal" : "exit status",
               WIFSIGNALED (status) ? WTERMSIG (status) : WEXITSTATUS (status));
      return 1;
    }
  return 0;
}

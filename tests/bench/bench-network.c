/* bench-network.c — how long burst isolation and the segment precompute take
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-network [BURSTS]
 *
 * On a filled warehouse (the demo at any scale): the dm_network pipeline is run once and timed
 * (the segments, the segment graph and the accounts on each segment, rebuilt in place: use a
 * copy, not a production warehouse), each step too, with the segments in C (its native
 * function); with AQ_BENCH_SQL_SEGMENTS=1 also migration 012's PL/pgSQL function, timed in a
 * transaction rolled back; the segment graph is loaded (timed); then BURSTS
 * (default 200) bursts on pipes drawn with a fixed seed are isolated, the walk alone and the
 * whole isolation with its affected accounts' summary (no polygon, as the CLI without --json
 * does), each once after 5 warm-ups; medians and 95th percentiles printed — and the same
 * bursts again with the communities and key customers counted from the accounts instead of
 * read from what the pipeline stored per segment (as before migration 035); then the valve
 * criticality of every valve (aq_network_criticality(), the whole pass), timed — and with
 * AQ_BENCH_REFERENCE=1 also by the plain rule that searches the whole network for what goes
 * dry (only for small networks: it grows with segments × valves), checked identical.
 *
 *   builddir/tests/bench/bench-network --shape 3000,100000,1000000 [--seed N]
 *
 * needs no database: builds the demo's network in memory for each number of accounts (as the
 * simulator writes it) and prints its size (pipes, valves, loops, dead ends, pressure zones)
 * and how long laying and joining it took. The load average is printed first: on a shared
 * machine the figures mean little without it.
 */
#include "aq-test-util.h"
#include "aq-simulator-topology.h"
#include "aq-network-private.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
quantile (GArray *values,
          double  q)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, (guint) (q * (values->len - 1)));
}

typedef struct
{
  double ms, walk, pipes, area, conflicts;
  gint64 pipe;
  guint  segments, pipes_n;
  gint64 accounts;
} Burst;

static int
compare_burst (gconstpointer a,
               gconstpointer b)
{
  const Burst *x = a, *y = b;

  return (x->ms < y->ms) - (x->ms > y->ms);
}

static void
die (GError *error)
{
  fprintf (stderr, "bench-network: %s\n", error->message);
  exit (1);
}

static int
print_shapes (const char *list,
              guint64     seed)
{
  g_auto(GStrv) counts = g_strsplit (list, ",", -1);

  printf ("%10s %9s %9s %8s %8s %8s %9s %6s %7s %9s %7s\n", "accounts", "pipes", "junctions",
          "valves", "closed", "broken", "dead ends", "loops", "zones", "km", "s");
  for (guint i = 0; counts[i] != NULL; i++)
    {
      AqSimNetworkShape sh;
      gint64 t0 = g_get_monotonic_time ();

      aq_sim_network_shape (seed, (guint) g_ascii_strtoull (counts[i], NULL, 10), &sh);
      printf ("%10s %9u %9u %8u %8u %8u %9u %6u %7u %9.1f %7.2f\n", counts[i], sh.pipes,
              sh.junctions, sh.valves, sh.closed_valves, sh.inoperable_valves, sh.dead_ends,
              sh.loops, sh.pressure_zones, sh.length_km, (g_get_monotonic_time () - t0) / 1e6);
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(AqNetwork) net = NULL;
  g_autoptr(PGresult) pipes = NULL;
  g_autoptr(GArray) walk_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) full_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) slow = g_array_new (FALSE, FALSE, sizeof (Burst));
  g_autoptr(GRand) rand = g_rand_new_with_seed (15);
  guint bursts = argc > 1 ? (guint) atoi (argv[1]) : 200;
  gint64 t0;
  gint64 accounts = 0;

  setlocale (LC_ALL, "");
  aq_core_init ();
  if (argc > 2 && g_str_equal (argv[1], "--shape"))
    return print_shapes (argv[2], argc > 4 && g_str_equal (argv[3], "--seed")
                                  ? g_ascii_strtoull (argv[4], NULL, 10) : 20180401);
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    die (error);

  {
    g_autofree char *load = NULL;

    if (g_file_get_contents ("/proc/loadavg", &load, NULL, NULL))
      printf ("load average: %s", load);
  }
  aq_network_register ();
  pipeline = aq_pipeline_new_standard ("dm_network", &error);
  if (pipeline == NULL)
    die (error);
  t0 = g_get_monotonic_time ();
  if (!aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL, &error))
    die (error);
  printf ("segment precompute (dm_network): %.2f s\n", (g_get_monotonic_time () - t0) / 1e6);
  {
    g_autoptr(PGresult) steps = aq_db_query (db,
      "SELECT step_id, duration_ms FROM meta.pipeline_step_run"
      " WHERE run_id = (SELECT max(run_id) FROM meta.pipeline_run WHERE pipeline = 'dm_network')"
      " ORDER BY duration_ms DESC", 0, NULL, NULL);

    for (int i = 0; steps && i < PQntuples (steps); i++)
      printf ("  step %s: %.2f s\n", PQgetvalue (steps, i, 0),
              g_ascii_strtod (PQgetvalue (steps, i, 1), NULL) / 1e3);
  }
  if (g_strcmp0 (g_getenv ("AQ_BENCH_SQL_SEGMENTS"), "1") == 0)
    {
      if (!aq_db_begin (db, &error))
        die (error);
      t0 = g_get_monotonic_time ();
      if (!aq_db_exec (db, "SELECT dm.network_build_segments()", &error))
        die (error);
      printf ("  the same segments by 012's PL/pgSQL: %.2f s\n",
              (g_get_monotonic_time () - t0) / 1e6);
      aq_db_rollback (db);
    }
  printf ("network: %" G_GINT64_FORMAT " pipes, %" G_GINT64_FORMAT " valves, %"
          G_GINT64_FORMAT " segments, %" G_GINT64_FORMAT " accounts\n",
          aq_test_query_int64 (db, "SELECT count(*) FROM dw.network_pipe"),
          aq_test_query_int64 (db, "SELECT count(*) FROM dw.network_valve"),
          aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_segment"),
          aq_test_query_int64 (db, "SELECT count(*) FROM dm.network_account"));

  t0 = g_get_monotonic_time ();
  net = aq_network_load (db, &error);
  if (net == NULL)
    die (error);
  printf ("segment graph load: %.1f ms\n", (g_get_monotonic_time () - t0) / 1e3);

  pipes = aq_db_query (db, "SELECT pipe_id FROM dw.network_pipe ORDER BY pipe_id", 0, NULL,
                       &error);
  if (pipes == NULL)
    die (error);
  for (guint b = 0; b < bursts + 5; b++)
    {
      gint64 pipe = g_ascii_strtoll (PQgetvalue (pipes, g_rand_int_range (rand, 0,
                                                 PQntuples (pipes)), 0), NULL, 10);
      g_autoptr(AqIsolation) iso = NULL;
      double ms;

      t0 = g_get_monotonic_time ();
      iso = aq_network_isolate (net, db, pipe, NULL, 0, FALSE, NULL, &error);
      ms = (g_get_monotonic_time () - t0) / 1e3;
      if (iso == NULL)
        die (error);
      if (b < 5)
        continue;
      g_array_append_val (full_ms, ms);
      g_array_append_val (walk_ms, iso->walk_ms);
      accounts += iso->area->accounts;
      {
        Burst one = { ms, iso->walk_ms, iso->pipes_ms, iso->area->elapsed_ms,
                      iso->conflicts_ms, pipe,
                      iso->isolated_segments->len + iso->dry_segments->len,
                      iso->isolated_pipes->len + iso->dry_pipes->len, iso->area->accounts };

        g_array_append_val (slow, one);
      }
    }
  /* what the tail is made of */
  g_array_sort (slow, compare_burst);
  printf ("slowest bursts: ms (walk + pipes + accounts + conflicts), segments, pipes, accounts\n");
  for (guint i = 0; i < MIN (slow->len, 8u); i++)
    {
      Burst *o = &g_array_index (slow, Burst, i);

      printf ("  pipe %" G_GINT64_FORMAT ": %.1f (%.2f + %.1f + %.1f + %.1f), %u, %u, %"
              G_GINT64_FORMAT "\n", o->pipe, o->ms, o->walk, o->pipes, o->area, o->conflicts,
              o->segments, o->pipes_n, o->accounts);
    }
  printf ("isolation walk: median %.3f ms, p95 %.3f ms\n", quantile (walk_ms, 0.5),
          quantile (walk_ms, 0.95));
  printf ("isolation with affected accounts: median %.1f ms, p95 %.1f ms "
          "(%u bursts, %.0f accounts each on average)\n",
          quantile (full_ms, 0.5), quantile (full_ms, 0.95), bursts,
          (double) accounts / MAX (bursts, 1u));

  /* the same bursts, communities and key customers counted from the accounts */
  g_rand_set_seed (rand, 15);
  g_array_set_size (full_ms, 0);
  aq_network_set_reference_figures (net, TRUE);
  for (guint b = 0; b < bursts + 5; b++)
    {
      gint64 pipe = g_ascii_strtoll (PQgetvalue (pipes, g_rand_int_range (rand, 0,
                                                 PQntuples (pipes)), 0), NULL, 10);
      g_autoptr(AqIsolation) iso = NULL;
      double ms;

      t0 = g_get_monotonic_time ();
      iso = aq_network_isolate (net, db, pipe, NULL, 0, FALSE, NULL, &error);
      ms = (g_get_monotonic_time () - t0) / 1e3;
      if (iso == NULL)
        die (error);
      if (b >= 5)
        g_array_append_val (full_ms, ms);
    }
  aq_network_set_reference_figures (net, FALSE);
  printf ("  the same, communities and key customers counted (before 035): median %.1f ms,"
          " p95 %.1f ms\n", quantile (full_ms, 0.5), quantile (full_ms, 0.95));

  {
    g_autoptr(GArray) crit = NULL;
    double seconds;

    t0 = g_get_monotonic_time ();
    crit = aq_network_criticality (net, 0);
    seconds = (g_get_monotonic_time () - t0) / 1e6;
    printf ("valve criticality, %u valves: %.2f s (worst: valve %" G_GINT64_FORMAT ", %"
            G_GINT64_FORMAT " more accounts)\n", crit->len, seconds,
            crit->len ? g_array_index (crit, AqValveCriticality, 0).valve_id : 0,
            crit->len ? g_array_index (crit, AqValveCriticality, 0).accounts : 0);
    if (g_strcmp0 (g_getenv ("AQ_BENCH_REFERENCE"), "1") == 0)
      {
        g_autoptr(GArray) ref = NULL;

        aq_network_set_reference_walk (net, TRUE);
        t0 = g_get_monotonic_time ();
        ref = aq_network_criticality (net, 0);
        printf ("valve criticality by the plain rule: %.2f s, %s\n",
                (g_get_monotonic_time () - t0) / 1e6,
                ref->len == crit->len && memcmp (ref->data, crit->data,
                                                 crit->len * sizeof (AqValveCriticality)) == 0
                ? "identical" : "DIFFERENT");
        aq_network_set_reference_walk (net, FALSE);
      }
  }
  return 0;
}

/* bench-customer-360.c — how long a hotline lookup by phone takes, search and full 360
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-customer-360
 *     [LOOKUPS [lookup|360|hot|dump]]
 *
 * LOOKUPS defaults to 500; the second argument runs only one of the two parts (for cold-cache
 * figures, each part right after its own restart and cache drop).
 *
 * 1. Picks LOOKUPS random mobiles known to the warehouse's dw.contact, looks each up through
 *    aq_customer_lookup() as an agent would (normalise, search, 360 when one account matches,
 *    audit row), and prints p50 / p95 / max in milliseconds. Everything runs in one transaction
 *    that is rolled back, so the warehouse keeps no audit rows of the run.
 * 2. The full 360 alone for 3 × LOOKUPS other random accounts, rotating between three ways of
 *    sending the core's statements (_aq_customer_360_statements()): aq_customer_360_load()
 *    (libpq pipeline mode, one round trip, rows to JSON in C), one round trip per statement
 *    (how the core did it before), and one statement that builds the whole JSON in SQL
 *    (json_agg over the same queries, parsed by json-glib; a prototype kept here to compare).
 *    Rotating keeps the three on the same share of a cold or warm cache.
 *
 * BENCH_SEED=S (a number between -1 and 1) picks the same random mobiles and accounts on every
 * run (setseed), so a second run right after a cold one reads the same pages warm.
 *
 * `… bench-customer-360 N hot` loads the 360 of N seeded random accounts 5 times each, as an
 * agent, and prints the p50 of the last 4 (every page in shared buffers) and of the first ones
 * apart, with the CPU time the client and the server process spent per 360 (getrusage; /proc
 * for the server, so only where the server runs on this machine; the wall time includes that
 * read): CPU time tells two builds apart under a load that blurs wall time.
 *
 * `… bench-customer-360 N dump` prints instead the 360 of N seeded random accounts, as an agent
 * and as a supervisor, one JSON line each (no audit row): two builds' outputs compared byte for
 * byte show that a change to the statements kept every answer.
 *
 * The warehouse must have been filled (`aqueductctl warehouse init --demo --scale 1000000` for
 * the 1 M figure).
 */
#include "aq-test-util.h"

#include "aq-customer-private.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* The core's statements in one that builds the JSON in SQL: header and profile as objects,
 * each section as {count, rows} with its rows in the section query's order. */
static char *
one_statement_sql (void)
{
  const char **names, **sql;
  guint n = _aq_customer_360_statements (&names, &sql);
  GString *s = g_string_new ("SELECT json_build_object(");

  for (guint i = 0; i < n; i++)
    {
      if (i < 2)
        g_string_append_printf (s, "%s'%s', (SELECT row_to_json(x) FROM (%s) x)",
                                i ? ", " : "", names[i], sql[i]);
      else
        g_string_append_printf (s, ", '%s', (SELECT json_build_object("
                                   "'count', coalesce(max(x.total), 0),"
                                   " 'rows', coalesce(json_agg(x), '[]')) FROM (%s) x)",
                                names[i], sql[i]);
    }
  g_string_append (s, ")::text");
  return g_string_free (s, FALSE);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_figures (const char *what,
               GArray     *ms)
{
  g_array_sort (ms, compare_double);
  printf ("%s: p50 %.2f ms, p95 %.2f ms, max %.2f ms\n", what,
          g_array_index (ms, double, ms->len / 2),
          g_array_index (ms, double, MIN (ms->len - 1, ms->len * 95 / 100)),
          g_array_index (ms, double, ms->len - 1));
}

static gboolean
fail (GError *error)
{
  fprintf (stderr, "%s\n", error->message);
  return FALSE;
}

/* aq_customer_360_load(): the statements in one pipeline, rows to JSON in C */
static gboolean
load_pipeline (AqDb       *db,
               const char *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCustomer360) view = aq_customer_360_load (db, account, AQ_ROLE_AGENT, NULL,
                                                        &error);

  return view ? TRUE : fail (error);
}

/* the way before: the same prepared statements, one round trip each (rows not turned into
 * JSON, which only flatters it) */
static gboolean
load_sequential (AqDb       *db,
                 const char *account)
{
  const char **names, **sql;
  guint n = _aq_customer_360_statements (&names, &sql);
  const char *params[] = { account };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(PGresult) res = aq_db_query_prepared (db, sql[i], 1, params, &error);

      if (res == NULL)
        return fail (error);
    }
  return TRUE;
}

/* the whole JSON built by the server, parsed by json-glib */
static gboolean
load_one_statement (AqDb       *db,
                    const char *account)
{
  static char *sql;
  const char *params[] = { account };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (sql == NULL)
    sql = one_statement_sql ();
  res = aq_db_query_prepared (db, sql, 1, params, &error);
  if (res == NULL)
    return fail (error);
  node = json_from_string (PQgetvalue (res, 0, 0), &error);
  return node ? TRUE : fail (error);
}

/* BENCH_SEED: the same random picks on every run. */
static void
seed_random (AqDb *db)
{
  const char *seed = g_getenv ("BENCH_SEED");
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { seed };

  if (seed == NULL || *seed == '\0')
    return;
  res = aq_db_query (db, "SELECT setseed($1::float8)", 1, params, &error);
  if (res == NULL)
    fprintf (stderr, "BENCH_SEED ignored: %s\n", error->message);
}

/* The full 360 alone, three ways, rotating over random accounts so that each way meets the
 * same share of a cold or warm cache. */
static int
bench_360 (AqDb  *db,
           guint  loads)
{
  static const struct
  {
    const char *what;
    gboolean  (*load) (AqDb *db, const char *account);
  } ways[] = {
    { "pipeline mode, one round trip (the core)", load_pipeline },
    { "one statement per section, one round trip each (before)", load_sequential },
    { "one statement building the JSON in SQL", load_one_statement },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *limit = g_strdup_printf ("%u", loads * (guint) G_N_ELEMENTS (ways));
  const char *params[] = { limit };
  GArray *ms[G_N_ELEMENTS (ways)];

  seed_random (db);
  res = aq_db_query (db, "SELECT account_id FROM dw.dim_account ORDER BY random() LIMIT $1::int",
                     1, params, &error);
  if (res == NULL)
    {
      fail (error);
      return 1;
    }
  for (guint w = 0; w < G_N_ELEMENTS (ways); w++)
    ms[w] = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < PQntuples (res); i++)
    {
      guint w = (guint) i % G_N_ELEMENTS (ways);
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      if (!ways[w].load (db, PQgetvalue (res, i, 0)))
        return 1;
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (ms[w], elapsed);
    }
  for (guint w = 0; w < G_N_ELEMENTS (ways); w++)
    {
      g_autofree char *what = g_strdup_printf ("%u full 360s by random account, %s",
                                               ms[w]->len, ways[w].what);

      print_figures (what, ms[w]);
      g_array_unref (ms[w]);
    }
  return 0;
}

/* user + system CPU seconds of process @pid (0: this one) */
static double
cpu_seconds (const char *pid)
{
  g_autofree char *path = NULL;
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (pid == NULL)
    {
      struct rusage usage;

      getrusage (RUSAGE_SELF, &usage);
      return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
             + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
    }
  path = g_strdup_printf ("/proc/%s/stat", pid);
  if (!g_file_get_contents (path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
    return 0;
  /* after "(comm)": state is field 3, utime 14, stime 15 */
  fields = g_strsplit (after + 2, " ", 14);
  if (g_strv_length (fields) < 14)
    return 0;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         / sysconf (_SC_CLK_TCK);
}

/* The 360s of @loads random accounts (BENCH_SEED), each 5 times: the last 4 are hot. */
static int
hot_360 (AqDb  *db,
         guint  loads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *limit = g_strdup_printf ("%u", loads);
  g_autofree char *backend = NULL;
  const char *params[] = { limit };
  double client = 0, server = 0;

  seed_random (db);
  backend = aq_db_query_string (db, "SELECT pg_backend_pid()::text", 0, NULL, &error);
  res = aq_db_query (db, "SELECT account_id FROM dw.dim_account ORDER BY random() LIMIT $1::int",
                     1, params, &error);
  if (res == NULL || backend == NULL)
    return fail (error), 1;
  for (int i = 0; i < PQntuples (res); i++)
    for (guint round = 0; round < 5; round++)
      {
        gint64 start = g_get_monotonic_time ();
        double c0 = cpu_seconds (NULL), s0 = cpu_seconds (backend);
        double elapsed;

        if (!load_pipeline (db, PQgetvalue (res, i, 0)))
          return 1;
        elapsed = (g_get_monotonic_time () - start) / 1000.0;
        if (round == 0)
          {
            g_array_append_val (first_ms, elapsed);
            continue;
          }
        client += cpu_seconds (NULL) - c0;
        server += cpu_seconds (backend) - s0;
        g_array_append_val (ms, elapsed);
      }
  printf ("%u hot 360s: client CPU %.3f ms, server CPU %.3f ms a 360; ", ms->len,
          client * 1000 / ms->len, server * 1000 / ms->len);
  print_figures ("wall", ms);
  print_figures ("  the first of each account's 5", first_ms);
  return 0;
}

/* The JSON of the 360s of @loads random accounts (BENCH_SEED), as each role sees them. */
static int
dump_360 (AqDb  *db,
          guint  loads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *limit = g_strdup_printf ("%u", loads);
  const char *params[] = { limit };
  const AqRole roles[] = { AQ_ROLE_AGENT, AQ_ROLE_SUPERVISOR };

  seed_random (db);
  res = aq_db_query (db, "SELECT account_id FROM dw.dim_account ORDER BY random() LIMIT $1::int",
                     1, params, &error);
  if (res == NULL)
    return fail (error), 1;
  for (int i = 0; i < PQntuples (res); i++)
    for (guint r = 0; r < G_N_ELEMENTS (roles); r++)
      {
        g_autoptr(AqCustomer360) view = aq_customer_360_load (db, PQgetvalue (res, i, 0),
                                                              roles[r], NULL, &error);
        g_autoptr(JsonNode) node = NULL;
        g_autofree char *text = NULL;

        if (view == NULL)
          return fail (error), 1;
        node = aq_customer_360_to_json (view);
        text = json_to_string (node, FALSE);
        printf ("%s\n", text);
      }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *limit = NULL;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  guint lookups = argc > 1 ? (guint) atoi (argv[1]) : 500;
  guint with_360 = 0;
  const char *part = argc > 2 ? argv[2] : "all";

  setlocale (LC_ALL, "");
  if (url == NULL || *url == '\0' || lookups == 0)
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [LOOKUPS [lookup|360|hot|dump]]\n",
               argv[0]);
      return 2;
    }
  aq_core_init ();
  db = aq_db_connect (url, &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }
  if (g_str_equal (part, "360"))
    return bench_360 (db, lookups);
  if (g_str_equal (part, "hot"))
    return hot_360 (db, lookups);
  if (g_str_equal (part, "dump"))
    return dump_360 (db, lookups);

  limit = g_strdup_printf ("%u", lookups);
  {
    const char *params[] = { limit };

    /* one sort of the contacts (a second at 1 M accounts) before the clock starts */
    seed_random (db);
    res = aq_db_query (db, "SELECT value FROM dw.contact WHERE kind = 'mobile'"
                           " ORDER BY random() LIMIT $1::int", 1, params, &error);
  }
  if (res == NULL || PQntuples (res) == 0)
    {
      fprintf (stderr, "No mobiles in dw.contact: %s\n", error ? error->message : "empty");
      return 1;
    }

  if (!aq_db_begin (db, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_autoptr(AqCustomerLookup) lookup = NULL;
      gint64 start = g_get_monotonic_time ();
      double elapsed;

      lookup = aq_customer_lookup (db, AQ_CUSTOMER_KEY_PHONE, PQgetvalue (res, i, 0),
                                   AQ_ROLE_AGENT, "bench", NULL, &error);
      elapsed = (g_get_monotonic_time () - start) / 1000.0;
      if (lookup == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          aq_db_rollback (db);
          return 1;
        }
      with_360 += lookup->view != NULL;
      g_array_append_val (ms, elapsed);
    }
  aq_db_rollback (db);

  {
    g_autofree char *what = g_strdup_printf ("%u lookups by phone (%u with the full 360)",
                                             ms->len, with_360);

    print_figures (what, ms);
  }
  return g_str_equal (part, "lookup") ? 0 : bench_360 (db, lookups);
}

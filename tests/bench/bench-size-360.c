/* bench-size-360.c — how many buffers a Customer 360 touches, statement by statement
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-size-360 [ACCOUNTS]
 *
 * For ACCOUNTS (default 200) accounts spread evenly over the key range, runs each of the 360's
 * statements (_aq_customer_360_statements(): header, profile and every section) under
 * EXPLAIN (ANALYZE, BUFFERS) and prints the shared buffers each touches (hits + reads, index and
 * heap; a buffer touched twice counts twice), averaged, and their sum. A cold 360 reads at most
 * that many pages from disk; how facts are laid out (account order) decides most of it. The
 * size section of docs/PERFORMANCE.md has the figures.
 */
#include "aq-test-util.h"

#include "aq-customer-private.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static const char buffers_fn[] =
  "CREATE FUNCTION pg_temp.buffers(q text, account text) RETURNS bigint LANGUAGE plpgsql AS $f$"
  " DECLARE plan json;"
  " BEGIN"
  "   EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ' || replace(q, '$1', quote_literal(account))"
  "     INTO plan;"
  "   RETURN (plan -> 0 -> 'Plan' ->> 'Shared Hit Blocks')::bigint"
  "          + (plan -> 0 -> 'Plan' ->> 'Shared Read Blocks')::bigint;"
  " END $f$";

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *n_accounts = NULL;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  guint accounts = argc > 1 ? (guint) atoi (argv[1]) : 200;
  const char **names, **sql;
  guint n;
  double total = 0;

  setlocale (LC_ALL, "");
  if (url == NULL || *url == '\0' || accounts == 0)
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [ACCOUNTS]\n", argv[0]);
      return 2;
    }
  aq_core_init ();
  db = aq_db_connect (url, &error);
  if (db == NULL || !aq_db_exec (db, buffers_fn, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }
  n_accounts = g_strdup_printf ("%u", accounts);
  {
    const char *params[] = { n_accounts };

    res = aq_db_query (db, "CREATE TEMP TABLE sample AS SELECT account_id FROM "
                           "(SELECT account_id, row_number() OVER (ORDER BY account_id) AS r "
                           " FROM dw.dim_account) a "
                           "WHERE r % greatest(1, (SELECT count(*) FROM dw.dim_account) / $1::int)"
                           " = 0 LIMIT $1::int", 1, params, &error);
  }
  if (res == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }
  n = _aq_customer_360_statements (&names, &sql);
  printf ("buffers a 360 touches, mean over %u accounts\n", accounts);
  for (guint i = 0; i < n; i++)
    {
      const char *params[] = { sql[i] };
      g_autoptr(PGresult) r = aq_db_query (db, "SELECT avg(pg_temp.buffers($1, account_id))"
                                              "::float8 FROM sample", 1, params, &error);
      double b;

      if (r == NULL)
        {
          fprintf (stderr, "%s: %s\n", names[i], error->message);
          return 4;
        }
      b = g_ascii_strtod (PQgetvalue (r, 0, 0), NULL);
      total += b;
      printf ("  %-14s %7.1f\n", names[i], b);
    }
  printf ("  %-14s %7.1f\n", "all", total);
  return 0;
}

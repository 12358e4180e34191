/* bench-customer-360.c — how long a hotline lookup by phone takes, search and full 360
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-customer-360 [LOOKUPS]  (default 500)
 *
 * Picks LOOKUPS random mobiles known to the warehouse's dw.contact, looks each up through
 * aq_customer_lookup() as an agent would (normalise, search, 360 when one account matches,
 * audit row), and prints p50 / p95 / max in milliseconds. Everything runs in one transaction
 * that is rolled back, so the warehouse keeps no audit rows of the run. The warehouse must have
 * been filled (`aqueductctl warehouse init --demo --scale 1000000` for the 1 M figure).
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
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

  setlocale (LC_ALL, "");
  if (url == NULL || *url == '\0' || lookups == 0)
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [LOOKUPS]\n", argv[0]);
      return 2;
    }
  aq_core_init ();
  db = aq_db_connect (url, &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }

  limit = g_strdup_printf ("%u", lookups);
  {
    const char *params[] = { limit };

    /* one sort of the contacts (a second at 1 M accounts) before the clock starts */
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

  g_array_sort (ms, compare_double);
  printf ("%u lookups by phone (%u with the full 360): p50 %.2f ms, p95 %.2f ms, max %.2f ms\n",
          ms->len, with_360, g_array_index (ms, double, ms->len / 2),
          g_array_index (ms, double, MIN (ms->len - 1, ms->len * 95 / 100)),
          g_array_index (ms, double, ms->len - 1));
  return 0;
}

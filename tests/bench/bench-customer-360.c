/* bench-customer-360.c — how long a hotline lookup by phone takes, search and full 360
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-customer-360 [LOOKUPS [lookup|360]]
 *
 * LOOKUPS defaults to 500; the second argument runs only one of the two parts (for cold-cache
 * figures, each part right after its own restart and cache drop).
 *
 * 1. Picks LOOKUPS random mobiles known to the warehouse's dw.contact, looks each up through
 *    aq_customer_lookup() as an agent would (normalise, search, 360 when one account matches,
 *    audit row), and prints p50 / p95 / max in milliseconds. Everything runs in one transaction
 *    that is rolled back, so the warehouse keeps no audit rows of the run.
 * 2. The full 360 alone for 2 × LOOKUPS other random accounts, alternating between the two ways
 *    of making it one round trip: aq_customer_360_load() (libpq pipeline mode, rows to JSON in
 *    C) and one statement that builds the whole JSON in SQL (json_agg over the same section
 *    queries, parsed by json-glib; a prototype kept here to compare, not what the core runs).
 *    Alternating keeps both on the same share of a cold or warm cache.
 *
 * The warehouse must have been filled (`aqueductctl warehouse init --demo --scale 1000000` for
 * the 1 M figure).
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#define SECTION(name, sql) \
  "'" name "', (SELECT json_build_object('count', coalesce(max(s.total), 0)," \
  " 'rows', coalesce(json_agg(s), '[]')) FROM (" sql ") s)"
#define CUSTOMER_OF_ACCOUNT "(SELECT customer_id FROM dw.dim_account WHERE account_id = $1)"
#define PREMISE_OF_ACCOUNT  "(SELECT premise_id FROM dw.dim_account WHERE account_id = $1)"

/* the same statements as aq-customer-360.c, in one */
static const char one_statement_sql[] =
  "SELECT json_build_object("
  " 'header', (SELECT row_to_json(h) FROM ("
  "   SELECT a.premise_id::text, a.account_id, a.customer_id, c.name, c.id_card, c.mobile,"
  "          c.landline, c.customer_type, a.status AS account_status, p.address,"
  "          a.community_code, cm.name AS community, a.dma3_code AS dma_zone, a.tariff_code,"
  "          t.name AS tariff, kc.name AS key_customer, kc.kind AS key_customer_kind,"
  "          a.meter_no"
  "   FROM dw.dim_account a"
  "   JOIN dw.dim_customer c ON c.customer_id = a.customer_id"
  "   JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
  "   LEFT JOIN dw.dim_community cm ON cm.community_code = a.community_code"
  "   LEFT JOIN dw.dim_tariff t ON t.tariff_code = a.tariff_code"
  "   LEFT JOIN LATERAL (SELECT name, kind FROM dw.dim_key_customer k"
  "                      WHERE k.account_id = a.account_id ORDER BY kc_id LIMIT 1) kc ON true"
  "   WHERE a.account_id = $1) h),"
  " 'profile', (SELECT row_to_json(x) FROM ("
  "   SELECT cp.*, (SELECT coalesce(sum(late_fee), 0) FROM dw.fact_payment"
  "                 WHERE account_id = $1) AS late_fees,"
  "          (SELECT wo_no || ' ' || created_at FROM dw.fact_work_order"
  "           WHERE account_id = $1 AND category = 'complaint'"
  "             AND status NOT IN ('closed', 'cancelled')"
  "           ORDER BY created_at DESC LIMIT 1) AS open_complaint"
  "   FROM (SELECT $1::text AS account_id) k"
  "   LEFT JOIN dm.customer_profile cp ON cp.account_id = k.account_id) x),"
  SECTION ("accounts",
    "SELECT count(*) OVER () AS total, a.account_id, a.status, a.opened_on, a.closed_on,"
    "       p.address, a.tariff_code, a.meter_no, m.size_dn AS meter_size_dn,"
    "       m.brand AS meter_brand, m.model AS meter_model,"
    "       m.installed_on AS meter_installed_on, m.status AS meter_status"
    " FROM dw.dim_account a"
    " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
    " LEFT JOIN dw.dim_meter m ON m.meter_no = a.meter_no"
    " WHERE a.customer_id = " CUSTOMER_OF_ACCOUNT
    " ORDER BY a.opened_on DESC, a.account_id DESC LIMIT 20") ","
  SECTION ("bills",
    "SELECT count(*) OVER () AS total, period, bill_no, read_date, prev_read, curr_read,"
    "       read_status, qty, water_fee, sewage_fee, amount, due_date"
    " FROM dw.fact_bill WHERE account_id = $1 ORDER BY period DESC LIMIT 60") ","
  SECTION ("payments",
    "SELECT count(*) OVER () AS total, pay_no, period, paid_at, amount, late_fee, channel,"
    "       days_late"
    " FROM dw.fact_payment WHERE account_id = $1 ORDER BY paid_at DESC, pay_no DESC LIMIT 50")
  ","
  SECTION ("readings",
    "SELECT count(*) OVER () AS total, period, read_date, curr_read, qty, read_status"
    " FROM dw.fact_reading WHERE account_id = $1 ORDER BY period DESC LIMIT 120") ","
  SECTION ("work_orders",
    "SELECT count(*) OVER () AS total, wo_no, category, priority, source, status, phone,"
    "       created_at, closed_at, sla_due_at,"
    "       CASE WHEN status = 'cancelled' THEN false"
    "            WHEN closed_at IS NOT NULL THEN closed_at > sla_due_at"
    "            ELSE localtimestamp > sla_due_at END AS overdue"
    " FROM dw.fact_work_order WHERE account_id = $1"
    " ORDER BY created_at DESC, wo_no DESC LIMIT 50") ","
  SECTION ("calls",
    "SELECT count(*) OVER () AS total, call_id, phone, started_at, ivr_path, wait_seconds,"
    "       talk_seconds, category, agent_id, wo_no"
    " FROM dw.fact_call WHERE customer_id = " CUSTOMER_OF_ACCOUNT
    " ORDER BY started_at DESC, call_id DESC LIMIT 50") ","
  SECTION ("sms",
    "SELECT count(*) OVER () AS total, msg_id, phone, template, batch_no, sent_at, status"
    " FROM dw.fact_sms WHERE account_id = $1 ORDER BY sent_at DESC, msg_id DESC LIMIT 50") ","
  SECTION ("installations",
    "SELECT count(*) OVER () AS total, app_no, applicant, phone, address, app_type, size_dn,"
    "       applied_on, status, finished_on, days_to_connect"
    " FROM dw.fact_installation WHERE account_id = $1"
    " ORDER BY applied_on DESC, app_no DESC LIMIT 20") ","
  SECTION ("outages",
    "SELECT count(*) OVER () AS total, o.outage_id, o.kind, o.reason, o.status, o.start_time,"
    "       o.end_time, o.restored_at"
    " FROM dw.fact_outage o JOIN dw.dim_premise p ON ST_Contains(o.geom, p.geom)"
    " WHERE p.premise_id = " PREMISE_OF_ACCOUNT
    " ORDER BY o.start_time DESC, o.outage_id DESC LIMIT 20")
  ")::text";

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

/* The full 360 alone, the core's way and the one-statement way, on alternate accounts. */
static int
bench_360 (AqDb  *db,
           guint  loads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) pipeline_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) statement_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *limit = g_strdup_printf ("%u", loads * 2);
  const char *params[] = { limit };

  res = aq_db_query (db, "SELECT account_id FROM dw.dim_account ORDER BY random() LIMIT $1::int",
                     1, params, &error);
  if (res == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *account[] = { PQgetvalue (res, i, 0) };
      gint64 start = g_get_monotonic_time ();

      if (i % 2 == 0)
        {
          g_autoptr(AqCustomer360) view = aq_customer_360_load (db, account[0], AQ_ROLE_AGENT,
                                                                NULL, &error);
          if (view == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          g_array_append_vals (pipeline_ms,
                               &(double) { (g_get_monotonic_time () - start) / 1000.0 }, 1);
        }
      else
        {
          g_autoptr(PGresult) one = aq_db_query_prepared (db, one_statement_sql, 1, account,
                                                          &error);
          g_autoptr(JsonNode) node = NULL;

          if (one == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          node = json_from_string (PQgetvalue (one, 0, 0), &error);
          if (node == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
          g_array_append_vals (statement_ms,
                               &(double) { (g_get_monotonic_time () - start) / 1000.0 }, 1);
        }
    }
  {
    g_autofree char *a = g_strdup_printf ("%u full 360s by random account, pipeline mode "
                                          "(the core)", pipeline_ms->len);
    g_autofree char *b = g_strdup_printf ("%u full 360s by random account, one JSON statement",
                                          statement_ms->len);

    print_figures (a, pipeline_ms);
    print_figures (b, statement_ms);
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
  if (g_str_equal (part, "360"))
    return bench_360 (db, lookups);

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

  {
    g_autofree char *what = g_strdup_printf ("%u lookups by phone (%u with the full 360)",
                                             ms->len, with_360);

    print_figures (what, ms);
  }
  return g_str_equal (part, "lookup") ? 0 : bench_360 (db, lookups);
}

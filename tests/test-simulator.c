/* test-simulator.c — the demo source systems: deterministic, complete, plausible, with every
 * planted anomaly really in the data, all or nothing, and driven end to end by the CLI */
#include "aq-test-util.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define ACCOUNTS 2000
#define MONTHS   24
#define SEED     424242

static AqDb *db_a;             /* SEED */
static AqDb *db_b;             /* SEED, then SEED + 1 */

/* ---- helpers ---- */

static gint64
query_int (AqDb       *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  aq_db_query_int64 (db, sql, 0, NULL, &value, &error);
  g_assert_no_error (error);
  return value;
}

static double
query_double (AqDb       *db,
              const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = aq_db_query_string (db, sql, 0, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (value);
  return g_ascii_strtod (value, NULL);
}

static void
exec (AqDb       *db,
      const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static gboolean
simulate (AqDb          *db,
          guint64        seed,
          guint          accounts,
          GCancellable  *cancellable,
          AqProgressFunc progress,
          GError       **error)
{
  AqSimulatorOptions options;

  aq_simulator_options_init (&options);
  options.accounts = accounts;
  options.months = MONTHS;
  options.seed = seed;
  return aq_simulator_run (db, &options, progress, cancellable, cancellable, error);
}

static AqDb *
simulated_db (const char *name)
{
  AqDb *db = aq_test_db_new (name, TRUE);
  g_autoptr(GError) error = NULL;

  simulate (db, SEED, ACCOUNTS, NULL, NULL, &error);
  g_assert_no_error (error);
  /* all the months' bills as one relation, for the checks */
  exec (db,
        "DO $$ BEGIN EXECUTE 'CREATE VIEW public.bills AS ' || (SELECT string_agg(format("
        "'SELECT * FROM src_billing.%I', table_name), ' UNION ALL ' ORDER BY table_name) "
        "FROM information_schema.tables WHERE table_schema = 'src_billing' "
        "AND table_name ~ '^bill_[0-9]{6}$'); END $$");
  return db;
}

static AqDb *
get_a (void)
{
  if (db_a == NULL)
    db_a = simulated_db ("t_sim_a");
  return db_a;
}

static AqDb *
get_b (void)
{
  if (db_b == NULL)
    db_b = simulated_db ("t_sim_b");
  return db_b;
}

static char **
source_tables (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = aq_db_query (db,
                                         "SELECT format('%I.%I', table_schema, table_name) "
                                         "FROM information_schema.tables "
                                         "WHERE table_schema LIKE 'src\\_%' "
                                         "AND table_type = 'BASE TABLE' ORDER BY 1",
                                         0, NULL, &error);
  GPtrArray *names = g_ptr_array_new ();

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (names, g_strdup (PQgetvalue (res, i, 0)));
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* An md5 of a table's whole content in a fixed order; the run's own row without its time. */
static char *
table_digest (AqDb       *db,
              const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  char *digest;

  if (strcmp (table, "src_truth.run") == 0)
    sql = g_strdup ("SELECT md5(string_agg((seed, accounts, months, first_period, last_period)"
                    "::text, E'\\n')) FROM src_truth.run");
  else
    sql = g_strdup_printf ("SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), "
                           "'')) FROM %s t", table);
  digest = aq_db_query_string (db, sql, 0, NULL, &error);
  g_assert_no_error (error);
  return digest;
}

static GHashTable *
digests (AqDb *db)
{
  g_auto(GStrv) tables = source_tables (db);
  GHashTable *result = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; tables[i]; i++)
    g_hash_table_insert (result, g_strdup (tables[i]), table_digest (db, tables[i]));
  return result;
}

/* ---- tests ---- */

static void
test_deterministic (void)
{
  g_autoptr(GHashTable) a = digests (get_a ());
  g_autoptr(GHashTable) b = digests (get_b ());
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  /* the source tables: 28 before the network's junction, source and service_connection,
   * then src_truth.work_order and the billing's late batch (src_truth.late_load), then the SMS
   * platform's templates (src_sms.sms_template) */
  g_assert_cmpuint (g_hash_table_size (a), ==, 34 + MONTHS);
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_test_message ("%s %s", (char *) key, (char *) value);
      g_assert_cmpstr (value, ==, g_hash_table_lookup (b, key));
    }
}

static void
test_seed_changes_data (void)
{
  static const char * const changing[] = {
    "src_billing.customer", "src_billing.account", "src_billing.payment",
    "src_billing.bill_202610", "src_gis.premise", "src_gis.community", "src_meter.meter",
    "src_sms.sms_log", "src_hotline.call_record", "src_workorder.work_order",
    "src_truth.anomaly",
  };
  AqDb *db = get_b ();
  g_autoptr(GHashTable) before = digests (db);
  g_autoptr(GError) error = NULL;

  simulate (db, SEED + 1, ACCOUNTS, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT seed FROM src_truth.run"), ==, SEED + 1);
  for (guint i = 0; i < G_N_ELEMENTS (changing); i++)
    {
      g_autofree char *now = table_digest (db, changing[i]);

      g_assert_cmpstr (now, !=, g_hash_table_lookup (before, changing[i]));
    }
}

static void
test_every_table_filled (void)
{
  AqDb *db = get_a ();
  g_auto(GStrv) tables = source_tables (db);
  guint n_bill_tables = 0;

  for (guint i = 0; tables[i]; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);
      gint64 rows;

      if (strcmp (tables[i], "src_billing.bill_template") == 0)
        continue;
      rows = query_int (db, sql);
      g_test_message ("%s: %" G_GINT64_FORMAT " rows", tables[i], rows);
      g_assert_cmpint (rows, >, 0);
      if (g_str_has_prefix (tables[i], "src_billing.bill_2"))
        n_bill_tables++;
    }
  g_assert_cmpuint (n_bill_tables, ==, MONTHS);

  /* one table for each month from 2024-11 to 2026-10, each holding only its own period */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM generate_series(date '2024-11-01', "
                              "date '2026-10-01', interval '1 month') m WHERE to_regclass("
                              "'src_billing.bill_' || to_char(m, 'YYYYMM')) IS NOT NULL"),
                   ==, MONTHS);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_billing.bill_202503 "
                              "WHERE period <> '202503'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_truth.run WHERE accounts = 2000 "
                              "AND months = 24 AND first_period = '202411' "
                              "AND last_period = '202610'"), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_billing.account"), ==, ACCOUNTS);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_namespace "
                              "WHERE nspname LIKE 'aqsim%'"), ==, 0);
}

static void
test_distributions (void)
{
  AqDb *db = get_a ();
  double v;

  /* account mix */
  v = query_double (db, "SELECT avg((cust_type = '01')::int) FROM src_billing.account");
  g_assert_cmpfloat (v, >, 0.90);
  g_assert_cmpfloat (v, <, 0.96);
  v = query_double (db, "SELECT avg((cust_type = '02')::int) FROM src_billing.account");
  g_assert_cmpfloat (v, >, 0.04);
  g_assert_cmpfloat (v, <, 0.09);

  /* residential consumption: median of the valid monthly reads */
  v = query_double (db, "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY qty) "
                    "FROM public.bills b JOIN src_billing.account a USING (acct_no) "
                    "WHERE a.cust_type = '01' AND b.read_status = '00' AND b.qty > 0");
  g_assert_cmpfloat (v, >=, 7);
  g_assert_cmpfloat (v, <=, 11);

  /* read statuses of residential bills */
  v = query_double (db, "SELECT avg((read_status = '00')::int) FROM public.bills b "
                    "JOIN src_billing.account a USING (acct_no) WHERE a.cust_type = '01'");
  g_assert_cmpfloat (v, >, 0.87);
  g_assert_cmpfloat (v, <, 0.95);
  v = query_double (db, "SELECT avg((read_status = '09')::int) FROM public.bills b "
                    "JOIN src_billing.account a USING (acct_no) WHERE a.cust_type = '01'");
  g_assert_cmpfloat (v, >, 0.01);
  g_assert_cmpfloat (v, <, 0.04);
  v = query_double (db, "SELECT avg((read_status IN ('01', '02'))::int) FROM public.bills b "
                    "JOIN src_billing.account a USING (acct_no) WHERE a.cust_type = '01'");
  g_assert_cmpfloat (v, >, 0.03);
  g_assert_cmpfloat (v, <, 0.08);
  v = query_double (db, "SELECT avg((read_status = '00' AND qty = 0)::int) FROM public.bills b "
                    "JOIN src_billing.account a USING (acct_no) WHERE a.cust_type = '01'");
  g_assert_cmpfloat (v, >, 0.05);
  g_assert_cmpfloat (v, <, 0.11);

  /* mobiles, however they were typed, on the accounts' customers (latest row of each) */
  v = query_double (db, "SELECT avg((regexp_replace(coalesce(c.mobile, ''), '\\D', '', 'g') "
                    "~ '^(86|0086)?1[3-9][0-9]{9}$')::int) FROM src_billing.account a "
                    "JOIN (SELECT DISTINCT ON (cust_no) * FROM src_billing.customer "
                    "ORDER BY cust_no, update_time DESC) c USING (cust_no)");
  g_assert_cmpfloat (v, >, 0.75);
  g_assert_cmpfloat (v, <, 0.85);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT mobile) FILTER (WHERE mobile ~ ' ') "
                              "+ count(DISTINCT mobile) FILTER (WHERE mobile LIKE '+86%') "
                              "FROM src_billing.customer"), >, 20);
  g_assert_cmpint (query_int (db, "SELECT count(*) - count(DISTINCT cust_no) "
                              "FROM src_billing.customer"), >, 0);
  v = query_double (db, "SELECT count(*)::float / (SELECT count(*) FROM src_billing.account) "
                    "FROM (SELECT DISTINCT cust_no FROM src_billing.customer) c");
  g_assert_cmpfloat (v, >, 0.90);
  g_assert_cmpfloat (v, <, 0.99);

  /* payment channels */
  v = query_double (db, "SELECT avg((channel = '03')::int) FROM src_billing.payment");
  g_assert_cmpfloat (v, >, 0.40);
  g_assert_cmpfloat (v, <, 0.50);
  v = query_double (db, "SELECT avg((channel = '04')::int) FROM src_billing.payment");
  g_assert_cmpfloat (v, >, 0.21);
  g_assert_cmpfloat (v, <, 0.29);
  v = query_double (db, "SELECT avg((channel = '02')::int) FROM src_billing.payment");
  g_assert_cmpfloat (v, >, 0.11);
  g_assert_cmpfloat (v, <, 0.19);
  v = query_double (db, "SELECT avg((channel = '01')::int) FROM src_billing.payment");
  g_assert_cmpfloat (v, >, 0.03);
  g_assert_cmpfloat (v, <, 0.07);

  /* arrears at the end of the last month: bills past due, not paid by then */
  exec (db, "CREATE TEMP TABLE overdue AS SELECT b.acct_no, count(*) AS n FROM public.bills b "
            "WHERE b.amount > 0 AND b.due_date < date '2026-10-31' AND NOT EXISTS ("
            "SELECT 1 FROM src_billing.payment p WHERE p.acct_no = b.acct_no "
            "AND p.period = b.period AND p.pay_time <= '2026-10-31 23:59:59') GROUP BY 1");
  v = query_double (db, "SELECT count(*)::float / (SELECT count(*) FROM src_billing.account "
                    "WHERE status <> '3') FROM overdue WHERE n >= 1");
  g_assert_cmpfloat (v, >, 0.035);
  g_assert_cmpfloat (v, <, 0.10);
  v = query_double (db, "SELECT count(*)::float / (SELECT count(*) FROM src_billing.account "
                    "WHERE status <> '3') FROM overdue WHERE n >= 3");
  g_assert_cmpfloat (v, >, 0.005);
  g_assert_cmpfloat (v, <, 0.03);
  v = query_double (db, "SELECT count(*)::float / (SELECT count(*) FROM src_billing.account "
                    "WHERE status <> '3') FROM overdue WHERE n >= 12");
  g_assert_cmpfloat (v, >, 0.001);
  g_assert_cmpfloat (v, <, 0.012);
}

/* The SMS log holds template codes and parameters (the texts are most of a platform's bytes);
 * src_sms.sms_text renders them: a bill notice says its bill's account, month, m³, amount and
 * due date, read here from the bill table, and every template renders without a placeholder. */
static void
test_sms_texts (void)
{
  AqDb *db = get_a ();

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_sms.sms_log l "
                              "WHERE template = 'BILL' AND params LIKE '%|2025|3|%'"), >, 500);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_sms.sms_log l "
                              "JOIN src_sms.sms_text t USING (msg_id) "
                              "WHERE l.template = 'BILL' AND l.params LIKE '%|2025|3|%' "
                              "AND NOT EXISTS (SELECT FROM src_billing.bill_202503 b "
                              "  WHERE b.acct_no = l.acct_no AND t.content = format("
                              "  '【榕城水务】尊敬的用户，您的户号%s 2025年3月用水%s吨，水费%s元，"
                              "请于%s月%s日前缴纳，如已缴费请忽略。', b.acct_no, b.qty, b.amount, "
                              "  extract(month FROM b.due_date), extract(day FROM b.due_date)))"),
                   ==, 0);
  /* every message renders, with no placeholder left and no parameter missing */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_sms.sms_text"), ==,
                   query_int (db, "SELECT count(*) FROM src_sms.sms_log"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_sms.sms_text t "
                              "JOIN src_sms.sms_log l USING (msg_id) "
                              "WHERE t.content ~ '[{}]' OR t.content IS NULL "
                              "OR coalesce(array_length(string_to_array(l.params, '|'), 1), 0) <> "
                              "  (SELECT count(*) FROM src_sms.sms_template s, "
                              "   regexp_matches(s.body, '\\{', 'g') WHERE s.template = l.template)"),
                   ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT template) FROM src_sms.sms_log"), ==, 5);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_sms.sms_text t "
                              "JOIN src_sms.sms_log l USING (msg_id) WHERE l.template = 'OUTG' "
                              "AND t.content LIKE '【榕城水务】因供水管道%至%一带%。'"), ==,
                   query_int (db, "SELECT count(*) FROM src_sms.sms_log WHERE template = 'OUTG'"));
}

static void
test_billing_consistency (void)
{
  AqDb *db = get_a ();

  /* valid reads add up; estimates, meter changes and the planted backward readings (one bill
   * each, billed at 0) are the only breaks in the chain */
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT (acct_no, period)) FROM public.bills "
                              "WHERE read_status IN ('00', '04') AND curr_read - prev_read <> qty"),
                   ==, query_int (db, "SELECT count(*) FROM src_truth.anomaly "
                                      "WHERE kind = 'read_backwards'"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM public.bills WHERE read_status "
                              "IN ('00', '04') AND curr_read - prev_read <> qty AND acct_no "
                              "NOT IN (SELECT acct_no FROM src_truth.anomaly "
                              "WHERE kind = 'read_backwards')"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM public.bills "
                              "WHERE tier1_qty + tier2_qty + tier3_qty <> qty "
                              "OR amount <> water_fee + sewage_fee OR qty < 0"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM public.bills b "
                              "JOIN src_billing.account a USING (acct_no) "
                              "WHERE a.cust_type = '01' AND (water_fee <> tier1_qty * 1.85 "
                              "+ tier2_qty * 2.78 + tier3_qty * 5.55 OR sewage_fee <> qty * 0.95 "
                              "OR tier1_qty > 20 OR tier2_qty > 15)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM (SELECT prev_read, lag(coalesce("
                              "curr_read, prev_read)) OVER (PARTITION BY acct_no ORDER BY period) "
                              "AS before FROM (SELECT DISTINCT * FROM public.bills) b) x "
                              "WHERE before IS NOT NULL AND prev_read <> before "
                              "AND prev_read <> 0"), ==, 0);
  /* a meter change is a CHG event whose reading is the old meter's last */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_meter.meter_event "
                              "WHERE event_type = 'CHG'"), >, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_billing.account a "
                              "JOIN src_meter.meter m ON m.meter_no = a.meter_no "
                              "WHERE m.acct_no <> a.acct_no"), ==, 0);
  /* the extract's quirks: a few duplicated bill rows */
  g_assert_cmpint (query_int (db, "SELECT count(*) - count(DISTINCT bill_no) "
                              "FROM public.bills"), <, 40);
  /* payments refer to bills */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_billing.payment p WHERE NOT EXISTS "
                              "(SELECT 1 FROM public.bills b WHERE b.acct_no = p.acct_no "
                              "AND b.period = p.period)"), ==, 0);
  /* connected applications created their accounts before they opened */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_install.application p "
                              "JOIN src_billing.account a USING (acct_no) "
                              "WHERE p.app_type = 'NEW' AND a.open_date <= p.finish_date"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_install.application "
                              "WHERE status = 'CNT' AND app_type = 'NEW' "
                              "AND acct_no IS NOT NULL"), >, 0);
}

static void
test_geography (void)
{
  AqDb *db = get_a ();

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.dma_zone WHERE level = 1"),
                   ==, 8);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.dma_zone WHERE level = 2"),
                   ==, 8);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.dma_zone WHERE level = 3"),
                   ==, 16);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.district"), ==, 6);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.community"), >=, 20);

  /* valid geometries everywhere */
  {
    static const char * const tables[] = {
      "dma_zone", "district", "river", "community", "outage", "pipe", "premise", "road",
    };

    for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM src_gis.%s "
                                                "WHERE NOT ST_IsValid(geom)", tables[i]);

        g_assert_cmpint (query_int (db, sql), ==, 0);
      }
  }

  /* DMA nesting: every zone below level 1 inside a parent one level up */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.dma_zone z "
                              "LEFT JOIN src_gis.dma_zone p ON p.zone_code = z.parent_code "
                              "WHERE (z.level = 1 AND z.parent_code IS NOT NULL) OR (z.level > 1 "
                              "AND (p.level IS DISTINCT FROM z.level - 1 "
                              "OR NOT ST_Within(z.geom, p.geom)))"), ==, 0);
  /* each level partitions the city: no overlaps, the same total area */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.dma_zone a "
                              "JOIN src_gis.dma_zone b ON a.level = b.level "
                              "AND a.zone_code < b.zone_code WHERE ST_Overlaps(a.geom, b.geom)"),
                   ==, 0);
  g_assert_cmpfloat (query_double (db, "SELECT max(a) / min(a) FROM (SELECT sum(ST_Area(geom)) "
                                   "AS a FROM src_gis.dma_zone GROUP BY level) x"), <, 1.000001);
  /* districts partition the land, the river the rest */
  g_assert_cmpfloat (fabs (query_double (db, "SELECT (SELECT sum(ST_Area(geom)) FROM "
                                         "src_gis.district) + (SELECT ST_Area(geom) FROM "
                                         "src_gis.river) - (SELECT sum(ST_Area(geom)) FROM "
                                         "src_gis.dma_zone WHERE level = 1)")), <, 1e-9);

  /* every premise in its level-3 zone; no community, no premise in the river */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.premise p "
                              "LEFT JOIN src_gis.dma_zone z ON z.zone_code = p.dma_zone_code "
                              "WHERE z.level IS DISTINCT FROM 3 "
                              "OR NOT ST_Within(p.geom, z.geom)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.community c, src_gis.river r "
                              "WHERE ST_Intersects(c.geom, r.geom)"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.premise c, src_gis.river r "
                              "WHERE ST_Intersects(c.geom, r.geom)"), ==, 0);
  /* flats lie in their community */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.premise p "
                              "JOIN src_gis.community c USING (community_code) "
                              "WHERE NOT ST_Within(p.geom, c.geom) OR p.room IS NULL"), ==, 0);
  /* near 26.08° N 119.30° E */
  g_assert_cmpfloat (query_double (db, "SELECT abs(ST_Y(ST_Centroid(ST_Collect(geom))) - 26.08) "
                                   "+ abs(ST_X(ST_Centroid(ST_Collect(geom))) - 119.30) "
                                   "FROM src_gis.dma_zone WHERE level = 1"), <, 0.01);

  /* NRW from the boundary meters: about 15 % overall, spread over the zones */
  exec (db, "CREATE TEMP TABLE nrw AS SELECT z.zone_code, 1 - coalesce(b.q, 0) / s.v AS nrw, "
            "s.v, b.q FROM src_gis.dma_zone z "
            "JOIN (SELECT m.zone_code, sum(m.flow_sign * i.volume) AS v FROM src_gis.dma_inflow i "
            "JOIN src_gis.boundary_meter m USING (meter_code) GROUP BY 1) s USING (zone_code) "
            "LEFT JOIN (SELECT p.dma_zone_code AS zone_code, sum(b.qty) AS q "
            "FROM (SELECT DISTINCT * FROM public.bills) b "
            "JOIN src_billing.account a USING (acct_no) "
            "JOIN src_gis.premise p USING (premise_id) GROUP BY 1) b USING (zone_code) "
            "WHERE z.level = 3");
  g_assert_cmpfloat (query_double (db, "SELECT 1 - sum(q) / sum(v) FROM nrw"), >, 0.08);
  g_assert_cmpfloat (query_double (db, "SELECT 1 - sum(q) / sum(v) FROM nrw"), <, 0.25);
  g_assert_cmpfloat (query_double (db, "SELECT min(nrw) FROM nrw"), >, 0.0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.boundary_meter "
                              "WHERE flow_sign = -1"), >, 0);
  /* a parent takes in at least what its children do */
  g_assert_cmpint (query_int (db, "WITH s AS (SELECT m.zone_code, sum(m.flow_sign * i.volume) v "
                              "FROM src_gis.dma_inflow i JOIN src_gis.boundary_meter m "
                              "USING (meter_code) GROUP BY 1) SELECT count(*) FROM "
                              "src_gis.dma_zone p JOIN s USING (zone_code) WHERE p.level < 3 "
                              "AND s.v < (SELECT sum(c.v) FROM src_gis.dma_zone z JOIN s c "
                              "USING (zone_code) WHERE z.parent_code = p.zone_code) - 1"), ==, 0);

  /* key customers on non-residential accounts; outages, the last ones still open */
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT kind) FROM src_gis.key_customer"), ==, 5);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.key_customer k "
                              "JOIN src_billing.account a USING (acct_no) "
                              "WHERE a.cust_type = '01'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.outage"), >=, 10);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.outage WHERE status = 'PLN' "
                              "AND start_time > '2026-11-01'"), >=, 1);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.outage WHERE status = 'ACT' "
                              "AND restored_at IS NULL"), >=, 1);
}

/* Every truth row, checked against the sources by a query of its own kind. */
static void
test_anomalies (void)
{
  static const struct
  {
    const char *kind;
    const char *verified;
  } checks[] = {
    { "zero_streak",
      /* the last N bills valid zero reads, the one before not, the account normal */
      "WITH t AS (SELECT acct_no, (regexp_match(detail, 'months=(\\d+)'))[1]::int AS n "
      "FROM src_truth.anomaly WHERE kind = 'zero_streak'), "
      "r AS (SELECT b.acct_no, b.read_status, b.qty, row_number() OVER (PARTITION BY b.acct_no "
      "ORDER BY b.period DESC) AS rn FROM (SELECT DISTINCT * FROM public.bills) b "
      "JOIN t USING (acct_no)) "
      "SELECT count(*) FROM (SELECT t.acct_no FROM t JOIN r USING (acct_no) "
      "JOIN src_billing.account a USING (acct_no) WHERE a.status = '1' AND t.n >= 6 "
      "GROUP BY t.acct_no, t.n HAVING bool_and(r.read_status = '00' AND r.qty = 0) "
      "FILTER (WHERE r.rn <= t.n) AND bool_or(r.qty > 0) FILTER (WHERE r.rn = t.n + 1) "
      "AND (SELECT max(period) FROM public.bills) = (regexp_match((SELECT detail FROM "
      "src_truth.anomaly x WHERE x.acct_no = t.acct_no AND x.kind = 'zero_streak'), "
      "'last=(\\d+)'))[1]) v" },
    { "never_read_spike",
      /* online, then at least two unread cycles, then a first read ≥ 5 × the normal month */
      "WITH t AS (SELECT acct_no FROM src_truth.anomaly WHERE kind = 'never_read_spike'), "
      "x AS (SELECT t.acct_no, (SELECT min(e.event_date) FROM src_meter.meter_event e "
      "WHERE e.acct_no = t.acct_no AND e.event_type = 'ONLN') AS onln, (SELECT min(b.period) "
      "FROM public.bills b WHERE b.acct_no = t.acct_no AND b.read_status = '00' AND b.qty > 0) "
      "AS first_read FROM t), "
      "y AS (SELECT x.*, (SELECT count(*) FROM public.bills b WHERE b.acct_no = x.acct_no "
      "AND b.period < x.first_read AND b.read_status = '09' AND b.qty = 0) AS unread, "
      "(SELECT count(*) FROM public.bills b WHERE b.acct_no = x.acct_no "
      "AND b.period < x.first_read) AS before, (SELECT max(qty) FROM public.bills b "
      "WHERE b.acct_no = x.acct_no AND b.period = x.first_read) AS spike, "
      "(SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY qty) FROM public.bills b "
      "WHERE b.acct_no = x.acct_no AND b.period > x.first_read AND b.read_status = '00' "
      "AND b.qty > 0) AS normal FROM x) "
      "SELECT count(*) FROM y WHERE onln IS NOT NULL AND to_char(onln, 'YYYYMM') <= first_read "
      "AND unread >= 2 AND unread = before AND spike >= 5 * normal" },
    { "demolished_active",
      /* the premise pulled down years ago, the account normal and still billed */
      "SELECT count(*) FROM src_truth.anomaly t JOIN src_billing.account a USING (acct_no) "
      "JOIN src_gis.premise p USING (premise_id) WHERE t.kind = 'demolished_active' "
      "AND p.status = 'D' AND p.demolished_on < date '2026-10-31' - 365 AND a.status = '1' "
      "AND EXISTS (SELECT 1 FROM src_billing.bill_202610 b WHERE b.acct_no = a.acct_no)" },
    { "missing_meter_paying",
      /* the meter removed or lost, payments for later periods still coming */
      "SELECT count(*) FROM src_truth.anomaly t JOIN src_billing.account a USING (acct_no) "
      "JOIN src_meter.meter m ON m.meter_no = a.meter_no WHERE t.kind = 'missing_meter_paying' "
      "AND m.status IN ('2', '3') AND EXISTS (SELECT 1 FROM src_meter.meter_event e "
      "WHERE e.meter_no = m.meter_no AND e.event_type IN ('RMV', 'LOST') "
      "AND e.event_date = m.status_date) AND (SELECT count(*) FROM src_billing.payment p "
      "WHERE p.acct_no = a.acct_no AND p.period > to_char(m.status_date, 'YYYYMM')) >= 3" },
    { "large_no_reads",
      /* DN ≥ 80, normal, and the last N ≥ 6 bills without a read */
      "WITH t AS (SELECT acct_no, (regexp_match(detail, 'months=(\\d+)'))[1]::int AS n "
      "FROM src_truth.anomaly WHERE kind = 'large_no_reads'), "
      "r AS (SELECT b.acct_no, b.read_status, b.qty, row_number() OVER (PARTITION BY b.acct_no "
      "ORDER BY b.period DESC) AS rn FROM (SELECT DISTINCT * FROM public.bills) b "
      "JOIN t USING (acct_no)) "
      "SELECT count(*) FROM (SELECT t.acct_no FROM t JOIN r USING (acct_no) "
      "JOIN src_billing.account a USING (acct_no) JOIN src_meter.meter m "
      "ON m.meter_no = a.meter_no WHERE a.status = '1' AND m.size_dn >= 80 AND t.n >= 6 "
      "GROUP BY t.acct_no, t.n HAVING bool_and(r.read_status IN ('09', '02') AND r.qty = 0) "
      "FILTER (WHERE r.rn <= t.n) AND count(*) FILTER (WHERE r.rn <= t.n) = t.n) v" },
    { "stopped_zero",
      /* normal, the last N bills stopped/faulty and billed 0, the one before not */
      "WITH t AS (SELECT acct_no, (regexp_match(detail, 'months=(\\d+)'))[1]::int AS n "
      "FROM src_truth.anomaly WHERE kind = 'stopped_zero'), "
      "r AS (SELECT b.acct_no, b.read_status, b.qty, row_number() OVER (PARTITION BY b.acct_no "
      "ORDER BY b.period DESC) AS rn FROM (SELECT DISTINCT * FROM public.bills) b "
      "JOIN t USING (acct_no)) "
      "SELECT count(*) FROM (SELECT t.acct_no FROM t JOIN r USING (acct_no) "
      "JOIN src_billing.account a USING (acct_no) WHERE a.status = '1' AND t.n >= 2 "
      "GROUP BY t.acct_no, t.n HAVING bool_and(r.read_status = '03' AND r.qty = 0) "
      "FILTER (WHERE r.rn <= t.n) AND count(*) FILTER (WHERE r.rn <= t.n) = t.n "
      "AND bool_and(r.read_status <> '03') FILTER (WHERE r.rn = t.n + 1)) v" },
    { "read_backwards",
      /* exactly one valid reading below the previous one, in the planted month */
      "SELECT count(*) FROM src_truth.anomaly t WHERE t.kind = 'read_backwards' "
      "AND (SELECT count(*) FROM (SELECT DISTINCT * FROM public.bills) b "
      "WHERE b.acct_no = t.acct_no AND b.read_status = '00' AND b.curr_read < b.prev_read) = 1 "
      "AND EXISTS (SELECT 1 FROM public.bills b WHERE b.acct_no = t.acct_no "
      "AND b.read_status = '00' AND b.curr_read < b.prev_read "
      "AND b.period = (regexp_match(t.detail, 'period=(\\d+)'))[1])" },
  };
  AqDb *db = get_a ();

  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT kind) FROM src_truth.anomaly"), ==,
                   G_N_ELEMENTS (checks));
  for (guint i = 0; i < G_N_ELEMENTS (checks); i++)
    {
      g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) FROM src_truth.anomaly "
                                                    "WHERE kind = '%s'", checks[i].kind);
      gint64 planted = query_int (db, count_sql);
      gint64 verified = query_int (db, checks[i].verified);

      g_test_message ("%s: %" G_GINT64_FORMAT " planted, %" G_GINT64_FORMAT " verified",
                      checks[i].kind, planted, verified);
      g_assert_cmpint (planted, >=, 3);
      g_assert_cmpint (verified, ==, planted);
    }

  /* zero streaks: about 0.5 % of the active accounts; the natural ones exist besides */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_truth.anomaly "
                              "WHERE kind = 'zero_streak'"), >=, 5);
  /* only the planted demolished premises still have a normal account */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_billing.account a "
                              "JOIN src_gis.premise p USING (premise_id) WHERE p.status = 'D' "
                              "AND a.status <> '3' AND a.acct_no NOT IN (SELECT acct_no "
                              "FROM src_truth.anomaly WHERE kind = 'demolished_active')"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_gis.premise WHERE status = 'D'"),
                   >, 10);
}

/* Reopened work orders: the planted ones are exactly those with a REOPEN step, each after a
 * CLOSE, dispatched again to the same team; every dispatch names its team. */
static void
test_reopened_orders (void)
{
  AqDb *db = get_a ();
  gint64 planted = query_int (db, "SELECT count(*) FROM src_truth.work_order "
                                  "WHERE kind = 'reopened'");

  g_test_message ("%" G_GINT64_FORMAT " reopened orders planted", planted);
  g_assert_cmpint (planted, >=, 3);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT wo_no) FROM "
                                  "src_workorder.work_order_step WHERE action = 'REOPEN'"),
                   ==, planted);
  /* each: a CLOSE before the REOPEN, the order closed again or dispatched again */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_truth.work_order t "
                                  "JOIN src_workorder.work_order o USING (wo_no) "
                                  "WHERE t.kind = 'reopened' AND o.status IN ('CLS', 'DSP') "
                                  "AND (SELECT min(seq) FROM src_workorder.work_order_step s "
                                  "WHERE s.wo_no = t.wo_no AND s.action = 'CLOSE') "
                                  "< (SELECT min(seq) FROM src_workorder.work_order_step s "
                                  "WHERE s.wo_no = t.wo_no AND s.action = 'REOPEN') "
                                  "AND (o.closed_at IS NULL) = (o.status = 'DSP') "
                                  "AND (SELECT count(DISTINCT team) FROM "
                                  "src_workorder.work_order_step s WHERE s.wo_no = t.wo_no "
                                  "AND s.action = 'DISPATCH') = 1 "
                                  "AND t.detail LIKE 'team=' || (SELECT max(team) FROM "
                                  "src_workorder.work_order_step s WHERE s.wo_no = t.wo_no "
                                  "AND s.action = 'DISPATCH') || ' %'"), ==, planted);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_workorder.work_order_step "
                                  "WHERE action = 'DISPATCH' AND team IS NULL"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(DISTINCT team) FROM "
                                  "src_workorder.work_order_step"), ==, 6);
}

static gboolean cancel_at_billing_seen;

static void
cancel_during_billing (double      fraction,
                       const char *message,
                       gpointer    user_data)
{
  if (fraction >= 0.3 && !g_cancellable_is_cancelled (user_data))
    {
      cancel_at_billing_seen = g_str_has_prefix (message, "Billing");
      g_cancellable_cancel (user_data);
    }
}

static void
test_cancel_leaves_data (void)
{
  AqDb *db = get_b ();
  g_autoptr(GHashTable) before = digests (db);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_false (simulate (db, SEED + 7, ACCOUNTS, cancellable, cancel_during_billing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_true (cancel_at_billing_seen);

  /* the previous run's data, untouched; nothing of the cancelled one */
  after = digests (db);
  g_assert_cmpuint (g_hash_table_size (after), ==, g_hash_table_size (before));
  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==, g_hash_table_lookup (after, key));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_namespace "
                              "WHERE nspname LIKE 'aqsim%'"), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM src_truth.run WHERE seed = "
                              G_STRINGIFY (SEED) " + 7"), ==, 0);
}

static void
test_cli (void)
{
  const char *ctl = g_getenv ("AQUEDUCTCTL");
  g_autoptr(AqDb) db = aq_test_db_new ("t_sim_cli", TRUE);
  g_autofree char *url = aq_test_conninfo ("t_sim_cli");
  const char *env[] = { "AQUEDUCT_DATABASE_URL", url, NULL };
  const char *argv[] = { ctl, "demo", "simulate", "--scale", "500", "--months", "13", "--json",
                         NULL };
  const char *bad_until[] = { ctl, "demo", "simulate", "--scale", "500", "--until", "2026-13",
                              NULL };
  const char *bad_until2[] = { ctl, "demo", "simulate", "--until", "next-month", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *root, *tables;
  g_autoptr(GList) members = NULL;
  int status = -1;
  guint n_bill_tables = 0;

  g_assert_nonnull (ctl);
  out = aq_test_run_command (argv, env, &status, &err);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "accounts"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (root, "months"), ==, 13);
  g_assert_cmpstr (json_object_get_string_member (root, "first_period"), ==, "202510");
  g_assert_cmpstr (json_object_get_string_member (root, "last_period"), ==, "202610");
  g_assert_cmpfloat (json_object_get_double_member (root, "seconds"), >, 0);
  tables = json_object_get_object_member (root, "tables");
  members = json_object_get_members (tables);
  for (GList *l = members; l; l = l->next)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", (char *) l->data);
      gint64 reported = json_object_get_int_member (tables, l->data);

      g_assert_cmpint (query_int (db, sql), ==, reported);
      g_assert_cmpint (reported, >, 0);
      if (g_str_has_prefix (l->data, "src_billing.bill_2"))
        n_bill_tables++;
    }
  g_assert_cmpuint (n_bill_tables, ==, 13);
  /* 27 tables before the network's junction, source and service_connection, then
   * src_truth.work_order and src_truth.late_load */
  g_assert_cmpuint (g_list_length (members), ==, 32 + 13);
  g_assert_cmpint (query_int (db, "SELECT accounts FROM src_truth.run"), ==, 500);

  /* a month that does not exist is a usage error, and nothing runs */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_run_command (bad_until, env, &status, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--until"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_run_command (bad_until2, env, &status, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpint (query_int (db, "SELECT accounts FROM src_truth.run"), ==, 500);
}

static void
test_options (void)
{
  AqSimulatorOptions options;
  g_autoptr(GError) error = NULL;

  aq_simulator_options_init (&options);
  g_assert_cmpuint (options.accounts, ==, 100000);
  g_assert_cmpuint (options.months, ==, 36);
  g_assert_cmpuint (options.seed, ==, 20180401);
  g_assert_cmpuint (options.last_year, ==, 2026);
  g_assert_cmpuint (options.last_month, ==, 10);
  g_assert_true (aq_simulator_options_check (&options, &error));
  g_assert_no_error (error);
  options.last_month = 13;
  g_assert_false (aq_simulator_options_check (&options, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  g_test_add_func ("/simulator/options", test_options);
  g_test_add_func ("/simulator/deterministic", test_deterministic);
  g_test_add_func ("/simulator/every-table-filled", test_every_table_filled);
  g_test_add_func ("/simulator/distributions", test_distributions);
  g_test_add_func ("/simulator/billing-consistency", test_billing_consistency);
  g_test_add_func ("/simulator/sms-texts", test_sms_texts);
  g_test_add_func ("/simulator/geography", test_geography);
  g_test_add_func ("/simulator/anomalies", test_anomalies);
  g_test_add_func ("/simulator/reopened-orders", test_reopened_orders);
  g_test_add_func ("/simulator/seed-changes-data", test_seed_changes_data);
  g_test_add_func ("/simulator/cancel-leaves-data", test_cancel_leaves_data);
  g_test_add_func ("/simulator/cli", test_cli);
  result = g_test_run ();
  g_clear_object (&db_a);
  g_clear_object (&db_b);
  return result;
}

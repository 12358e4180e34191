/* test-standard-pipelines.c — the standard pipelines' results against independent SQL over
 * the simulated sources: what ods, dw and dm hold must follow from src_* alone. */
#include "aq-test-util.h"

#include <string.h>

#include "aq-demo.h"
#include "aq-simulator.h"

static AqDb *db;

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static char *
text (const char *sql)
{
  return aq_test_query_string (db, sql);
}

/* Both queries must answer the same single value. */
#define assert_same(actual_sql, expected_sql)                   \
  G_STMT_START {                                                \
    g_autofree char *a_ = text (actual_sql);                    \
    g_autofree char *e_ = text (expected_sql);                  \
    g_assert_cmpstr (a_, ==, e_);                               \
  } G_STMT_END

static void
test_ods_merges_every_month (void)
{
  g_autofree char *sql = NULL;
  g_autoptr(GString) all = g_string_new ("SELECT ");
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;

  res = aq_db_query (db, "SELECT tablename FROM pg_tables WHERE schemaname = 'src_billing' "
                         "AND tablename ~ '^bill_[0-9]{6}$' ORDER BY 1", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), ==, 24);
  for (int i = 0; i < PQntuples (res); i++)
    g_string_append_printf (all, "%s(SELECT count(*) FROM src_billing.%s)", i ? " + " : "",
                            PQgetvalue (res, i, 0));
  /* ods is a landing window (migration 050): every extract row of the last three billing
   * periods, duplicates included, one batch id per row; the older ones live on in dw only
   * (/standard-pipelines/dw-bills counts dw.fact_bill against all 24 source months) */
  for (int i = 0; i < PQntuples (res) - 3; i++)
    g_string_append_printf (all, " - (SELECT count(*) FROM src_billing.%s)",
                            PQgetvalue (res, i, 0));
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_bill"), ==, count (all->str));
  g_assert_cmpint (count ("SELECT count(DISTINCT period) FROM ods.billing_bill"), ==, 3);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_bill WHERE batch_id IS NULL"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_customer"), ==,
                   count ("SELECT count(*) FROM src_billing.customer"));
  g_assert_cmpint (count ("SELECT count(*) FROM ods.gis_premise"), ==,
                   count ("SELECT count(*) FROM src_gis.premise"));
  /* ods keeps what the warehouse reads: every message sent and every payment of a bill
   * within the window, not the SMS parameters (the platform keeps them) nor the cashier */
#define WINDOW_START "(SELECT to_date(min(period), 'YYYYMM') FROM ods.billing_bill)"
  g_assert_cmpint (count ("SELECT count(*) FROM ods.sms_log"), ==,
                   count ("SELECT count(*) FROM src_sms.sms_log WHERE submit_time >= "
                          WINDOW_START));
  g_assert_cmpint (count ("SELECT count(*) FROM ods.sms_log"), >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_payment"), ==,
                   count ("SELECT count(*) FROM src_billing.payment WHERE to_date(period, "
                          "'YYYYMM') >= " WINDOW_START));
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_payment"), >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM information_schema.columns "
                          "WHERE table_schema = 'ods' AND (table_name, column_name) IN "
                          "(('sms_log', 'params'), ('sms_log', 'content'), "
                          "('billing_payment', 'operator'))"), ==, 0);
}

/* The landing window's setting and its guard, each case in a transaction rolled back. */
static void
test_ods_landing_window (void)
{
  g_autoptr(GError) error = NULL;
  gint64 bills = count ("SELECT count(*) FROM ods.billing_bill");
  gint64 messages = count ("SELECT count(*) FROM ods.sms_log");
  gint64 payments = count ("SELECT count(*) FROM ods.billing_payment");

  /* one period: the newest; everything retired is in dw */
  g_assert_true (aq_db_begin (db, &error));
  g_assert_true (aq_db_exec (db, "SET LOCAL aqueduct.ods_keep_months = '1'", &error));
  g_assert_cmpint (count ("SELECT sum(retired) FROM ods.retire_landed_months()"), >, 0);
  assert_same ("SELECT string_agg(DISTINCT period, ',') FROM ods.billing_bill",
               "SELECT to_char(max(period), 'YYYYMM') FROM dw.fact_bill");
  g_assert_cmpint (count ("SELECT count(*) FROM ods.sms_log WHERE submit_time < "
                          "(SELECT to_date(max(period), 'YYYYMM') FROM ods.billing_bill)"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_payment WHERE period < "
                          "(SELECT max(period) FROM ods.billing_bill)"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_bill"), <, bills);
  aq_db_rollback (db);

  /* dw_billing's watermark behind (as if its load had not run): no bill past it goes */
  g_assert_true (aq_db_begin (db, &error));
  g_assert_true (aq_db_exec (db, "SET LOCAL aqueduct.ods_keep_months = '1';"
                                 "UPDATE meta.pipeline_watermark SET value = (SELECT "
                                 "(to_date(max(period), 'YYYYMM') - interval '2 months')::date "
                                 "FROM ods.billing_bill) WHERE pipeline = 'dw_billing'", &error));
  count ("SELECT count(*) FROM ods.retire_landed_months()");
  g_assert_cmpint (count ("SELECT count(DISTINCT period) FROM ods.billing_bill"), ==, 2);
  aq_db_rollback (db);

  /* 0 keeps everything; the default (3) again retires nothing more */
  g_assert_true (aq_db_begin (db, &error));
  g_assert_true (aq_db_exec (db, "SET LOCAL aqueduct.ods_keep_months = '0'", &error));
  g_assert_cmpint (count ("SELECT count(*) FROM ods.retire_landed_months()"), ==, 0);
  g_assert_true (aq_db_exec (db, "RESET aqueduct.ods_keep_months", &error));
  g_assert_cmpint (count ("SELECT coalesce(sum(retired), 0) FROM ods.retire_landed_months()"),
                   ==, 0);
  aq_db_rollback (db);
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_bill"), ==, bills);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.sms_log"), ==, messages);
  g_assert_cmpint (count ("SELECT count(*) FROM ods.billing_payment"), ==, payments);
}

static void
test_dw_customers_and_contacts (void)
{
  /* duplicates resolved: one row per customer number, the latest update wins */
  g_assert_cmpint (count ("SELECT count(*) FROM dw.dim_customer"), ==,
                   count ("SELECT count(DISTINCT rtrim(cust_no)) FROM src_billing.customer"));
  g_assert_cmpint (count ("SELECT count(*) FROM dw.dim_customer d JOIN ("
                          "  SELECT DISTINCT ON (cust_no) rtrim(cust_no) AS id, btrim(cust_name) AS name"
                          "  FROM src_billing.customer ORDER BY cust_no, update_time DESC) s"
                          "  ON s.id = d.customer_id WHERE s.name <> d.name"), ==, 0);
  /* phones: every stored mobile is 11 digits starting with 1, every landline has an area code */
  g_assert_cmpint (count ("SELECT count(*) FROM dw.dim_customer WHERE mobile !~ '^1[3-9][0-9]{9}$'"),
                   ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM dw.contact WHERE kind = 'landline' AND value !~ '^0'"),
                   ==, 0);
  /* mixed raw formats of one number end as one contact value */
  g_assert_cmpint (count ("SELECT count(*) FROM src_billing.customer "
                          "WHERE mobile ~ '^(\\+86|0086)'"), >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM src_billing.customer c "
                          "WHERE mobile ~ '^(\\+86|0086)' AND NOT EXISTS ("
                          "  SELECT 1 FROM dw.contact k WHERE k.customer_id = rtrim(c.cust_no) "
                          "  AND k.value = right(regexp_replace(c.mobile, '[^0-9]', '', 'g'), 11))"),
                   ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM dw.dim_account"), ==,
                   count ("SELECT count(*) FROM src_billing.account"));
  /* accounts are placed in the zone of their premise */
  g_assert_cmpint (count ("SELECT count(*) FROM dw.dim_account a JOIN src_gis.premise p "
                          "ON p.premise_id = a.premise_id WHERE a.dma3_code <> p.dma_zone_code"),
                   ==, 0);
}

static void
test_dw_bills_and_payments (void)
{
  /* one bill per account and month */
  g_autoptr(GString) distinct = g_string_new ("SELECT count(*) FROM (");
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;

  res = aq_db_query (db, "SELECT tablename FROM pg_tables WHERE schemaname = 'src_billing' "
                         "AND tablename ~ '^bill_[0-9]{6}$' ORDER BY 1", 0, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    g_string_append_printf (distinct, "%sSELECT acct_no, period, qty FROM src_billing.%s",
                            i ? " UNION " : "", PQgetvalue (res, i, 0));
  g_string_append (distinct, ") b");
  g_assert_cmpint (count ("SELECT count(*) FROM dw.fact_bill"), ==, count (distinct->str));
  g_assert_cmpint (count ("SELECT count(*) FROM dw.fact_bill WHERE tier1_qty + tier2_qty + tier3_qty <> qty"),
                   ==, 0);

  assert_same ("SELECT count(*) || '/' || sum(amount) FROM dw.fact_payment",
               "SELECT count(*) || '/' || sum(amount) FROM src_billing.payment");
  assert_same ("SELECT count(*) FROM dw.fact_payment WHERE channel = 'wechat'",
               "SELECT count(*) FROM src_billing.payment WHERE channel = '03'");
  /* written account by account, so a 360 reads one account's payments and messages from a
   * page or two (24 months here: ≈ 24–40 rows an account, ≈ 60–75 rows a page; a short row
   * may land in an earlier page's free space); in time order they lay a page a row */
  g_assert_cmpint (count ("SELECT round(10 * avg(p))::bigint FROM (SELECT count(DISTINCT "
                          "(ctid::text::point)[0]) AS p FROM dw.fact_payment GROUP BY account_id) t"),
                   <=, 25);
  g_assert_cmpint (count ("SELECT round(10 * avg(p))::bigint FROM (SELECT count(DISTINCT "
                          "(ctid::text::point)[0]) AS p FROM dw.fact_sms "
                          "WHERE account_id IS NOT NULL GROUP BY account_id) t"), <=, 25);
  g_assert_cmpint (count ("SELECT count(DISTINCT account_id) FROM dw.fact_sms"), >, 500);
}

static void
test_dm_cubes (void)
{
  /* the cube adds up to the facts */
  assert_same ("SELECT sum(accounts) || '/' || sum(billed_qty) || '/' || sum(amount) "
               "FROM dm.cube_billing_monthly",
               "SELECT count(*) || '/' || sum(qty) || '/' || sum(amount) FROM dw.fact_bill");
  /* zones: system input volume of a zone and month from its own boundary meters */
  g_assert_cmpint (count ("SELECT count(*) FROM dm.cube_nrw_monthly"), >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM dm.cube_nrw_monthly n JOIN ("
                          "  SELECT m.zone_code, to_date(i.period, 'YYYYMM') AS period,"
                          "         sum(m.flow_sign * i.volume) AS siv"
                          "  FROM src_gis.dma_inflow i JOIN src_gis.boundary_meter m USING (meter_code)"
                          "  GROUP BY 1, 2) s ON s.zone_code = n.zone_code AND s.period = n.period "
                          "WHERE abs(n.siv - s.siv) > 0.05"), ==, 0);
  /* billed volume rolls up: every level holds all of it */
  g_assert_cmpint (count ("SELECT count(DISTINCT total) FROM ("
                          "  SELECT level, sum(billed) AS total FROM dm.cube_nrw_monthly GROUP BY level) t"),
                   ==, 1);
  /* a parent's input is its children's plus what enters it unmetered */
  g_assert_cmpint (count ("SELECT count(*) FROM ("
                          "  SELECT level, sum(siv) AS total FROM dm.cube_nrw_monthly GROUP BY level) a "
                          "JOIN (SELECT level, sum(siv) AS total FROM dm.cube_nrw_monthly GROUP BY level) b "
                          "ON b.level = a.level + 1 WHERE a.total < b.total"), ==, 0);
  assert_same ("SELECT sum(billed)::bigint FROM dm.cube_nrw_monthly WHERE level = 1",
               "SELECT sum(qty) FROM dw.fact_bill");
  /* a sane non-revenue water share city-wide */
  {
    g_autofree char *share = text ("SELECT round(1 - sum(billed) / sum(siv), 3) "
                                   "FROM dm.cube_nrw_monthly WHERE level = 1");
    double nrw = g_ascii_strtod (share, NULL);
    g_assert_cmpfloat (nrw, >, 0.03);
    g_assert_cmpfloat (nrw, <, 0.40);
  }
  assert_same ("SELECT sum(calls) FROM dm.cube_call_monthly",
               "SELECT count(*) FROM src_hotline.call_record");
}

static void
test_dm_profile_and_streaks (void)
{
  g_assert_cmpint (count ("SELECT count(*) FROM dm.customer_profile"), ==,
                   count ("SELECT count(*) FROM src_billing.account"));
  /* every planted zero streak is found, at least as long as planted, and current */
  g_assert_cmpint (count ("SELECT count(*) FROM src_truth.anomaly WHERE kind = 'zero_streak'"),
                   >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM src_truth.anomaly t "
                          "LEFT JOIN dm.customer_profile p ON p.account_id = rtrim(t.acct_no) "
                          "WHERE t.kind = 'zero_streak' AND (p.zero_streak IS NULL OR "
                          "  p.zero_streak < substring(t.detail FROM 'months=([0-9]+)')::int)"),
                   ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM dm.consumption_streak s "
                          "WHERE months <> (SELECT count(*) FROM dw.fact_bill b "
                          "  WHERE b.account_id = s.account_id AND b.period BETWEEN s.first_period "
                          "  AND s.last_period AND b.read_status = 'valid' AND b.qty = 0)"),
                   ==, 0);
  /* arrears: an independent sum of unpaid overdue bills */
  assert_same ("SELECT sum(arrears_amount) FROM dm.customer_profile",
               "SELECT round(coalesce(sum(b.amount - coalesce(p.paid, 0)), 0), 2) "
               "FROM dw.fact_bill b "
               "LEFT JOIN (SELECT account_id, period, sum(amount) AS paid FROM dw.fact_payment "
               "           GROUP BY 1, 2) p USING (account_id, period) "
               "WHERE b.due_date < (SELECT max(paid_at)::date FROM dw.fact_payment) "
               "  AND b.amount > coalesce(p.paid, 0) + 0.005");
  g_assert_cmpint (count ("SELECT count(*) FROM dm.customer_profile WHERE payment_habit = 'arrears' "
                          "AND overdue_months = 0"), ==, 0);
}

static void
test_runs_recorded (void)
{
  const char * const *names = aq_demo_standard_pipelines ();

  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_run WHERE status = 'succeeded'"),
                   ==, g_strv_length ((char **) names));
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_step_run s "
                          "JOIN meta.pipeline_run r USING (run_id) "
                          "WHERE r.pipeline = 'dw_billing' AND s.step_id = 'write_bill' "
                          "AND s.rows_in = (SELECT count(*) FROM dw.fact_bill)"), ==, 1);
}

/* dw.normalize_phone (060: a clean number returned at once) answers exactly what 011's
 * expression answers — taken verbatim from the 011 migration as compiled into the library —
 * for every number the demo's sources hold and for the forms a clean-number shortcut could
 * get wrong (prefixes, separators, other scripts' digits, near misses in length). */
static void
test_normalize_phone_fast_path (void)
{
  static const char inputs[] =
    "SELECT unnest(ARRAY['13800138000', '+86 138 0013 8000', '008613800138000', '8613800138000',"
    " '0591-87654321', '059187654321', '05918765432', '87654321', '2345678', '1380013800',"
    " '138001380001', '12800138000', '01234567890', '00591876543', ' 13800138000',"
    " E'13800138000\\n', '0591123456789', '05911234567890', '8612345678', '',"
    " '１３８００１３８０００', '٠١٣٨٠٠١٣٨٠٠٠', '(0591) 8765 4321', '86-0591-87654321', NULL])"
    " UNION ALL SELECT mobile FROM ods.billing_customer"
    " UNION ALL SELECT tel FROM ods.billing_customer"
    " UNION ALL SELECT ani FROM ods.hotline_call"
    " UNION ALL SELECT DISTINCT mobile FROM ods.sms_log"
    " UNION ALL SELECT caller_phone FROM ods.workorder_work_order"
    " UNION ALL SELECT phone FROM ods.install_application";
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes =
    g_resources_lookup_data ("/org/aqueduct/Aqueduct/sql/011_relay_trust.sql",
                             G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  const char *sql011;
  const char *from, *to;
  g_autofree char *body = NULL;
  g_autofree char *create = NULL;
  g_autofree char *differ = NULL;
  g_autofree char *shortcut = NULL;
  g_autofree char *total = NULL;

  g_assert_no_error (error);
  sql011 = g_bytes_get_data (bytes, NULL);
  from = strstr (sql011, "  SELECT coalesce(");
  g_assert_nonnull (from);
  to = strstr (from, "$$;");
  g_assert_nonnull (to);
  body = g_strndup (from, to - from);
  create = g_strdup_printf ("CREATE FUNCTION pg_temp.normalize_phone_011(raw text, "
                            "area_code text DEFAULT '0591') RETURNS text LANGUAGE sql "
                            "IMMUTABLE AS $f$%s$f$", body);
  aq_db_exec (db, create, &error);
  g_assert_no_error (error);

  differ = g_strdup_printf ("SELECT count(*) FROM (%s) i(x) WHERE dw.normalize_phone(x)"
                            " IS DISTINCT FROM pg_temp.normalize_phone_011(x)"
                            " OR dw.normalize_phone(x, '010')"
                            " IS DISTINCT FROM pg_temp.normalize_phone_011(x, '010')", inputs);
  shortcut = g_strdup_printf ("SELECT count(*) FROM (%s) i(x)"
                              " WHERE x ~ '^(1[3-9][0-9]{9}|0[1-9][0-9]{9,10})$'", inputs);
  total = g_strdup_printf ("SELECT count(*) FROM (%s) i(x)", inputs);
  g_assert_cmpint (count (differ), ==, 0);
  /* both ways were taken, by many */
  g_assert_cmpint (count (shortcut), >, 1000);
  g_assert_cmpint (count (total) - count (shortcut), >, 20);
  /* the two differ in what they do, not only in name: the old one is the full expression */
  g_assert_null (strstr (body, "CASE"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  db = aq_test_demo_db_new ("t_standard_pipelines", 3000, 24);

  g_test_add_func ("/standard-pipelines/ods", test_ods_merges_every_month);
  g_test_add_func ("/standard-pipelines/ods-landing-window", test_ods_landing_window);
  g_test_add_func ("/standard-pipelines/dw-customers", test_dw_customers_and_contacts);
  g_test_add_func ("/standard-pipelines/dw-bills", test_dw_bills_and_payments);
  g_test_add_func ("/standard-pipelines/dm-cubes", test_dm_cubes);
  g_test_add_func ("/standard-pipelines/dm-profile", test_dm_profile_and_streaks);
  g_test_add_func ("/standard-pipelines/runs", test_runs_recorded);
  g_test_add_func ("/standard-pipelines/normalize-phone-fast-path",
                   test_normalize_phone_fast_path);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

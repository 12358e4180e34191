/* test-migrations.c — migrations apply in order, once, and a failure leaves the schema alone */
#include "aq-test-util.h"

#include <string.h>

static void
test_migrations_fresh_and_repeated (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations", FALSE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = aq_migrations_list (&error);
  guint applied = 0;
  gint64 count = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (names), >=, 1);
  g_assert_cmpstr (names[0], ==, "001_foundation.sql");

  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, g_strv_length (names));

  aq_db_query_int64 (db, "SELECT count(*) FROM meta.migration", 0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, g_strv_length (names));

  /* the layers and PostGIS are there */
  aq_db_query_int64 (db,
                     "SELECT count(*) FROM pg_namespace WHERE nspname IN "
                     "('ods','dw','dm','meta','notify')", 0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 5);
  aq_db_query_int64 (db, "SELECT count(*) FROM pg_extension WHERE extname = 'postgis'", 0, NULL,
                     &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 1);

  /* a second run changes nothing */
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);
  aq_db_query_int64 (db, "SELECT count(*) FROM meta.migration", 0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, g_strv_length (names));
}

static void
test_migrations_failure_leaves_previous_state (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations_fail", FALSE);
  g_autoptr(GError) error = NULL;
  gint64 count = -1;

  /* Something in the way of the first migration: the schema "meta" has a table named
   * "connection" already, so 001 fails half-way, after it created other things. */
  aq_db_exec (db, "CREATE SCHEMA meta; CREATE TABLE meta.connection (x int)", &error);
  g_assert_no_error (error);

  g_assert_false (aq_migrations_apply (db, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "001_foundation.sql"));
  g_clear_error (&error);

  /* nothing of 001 stayed: no ods schema, no migration row */
  aq_db_query_int64 (db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'ods'", 0, NULL,
                     &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);
  aq_db_query_int64 (db, "SELECT count(*) FROM meta.migration", 0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);
}

/* 036 on a warehouse loaded before it: ods.sms_log's text and ods.billing_payment's cashier go,
 * with the text's personal-data mark; the other columns and rows stay. */
static void
test_migration_036_drops_ods_columns (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations_036", FALSE);
  g_autoptr(GError) error = NULL;
  guint applied = 0;
  gint64 count = 0;

  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  /* as the old ods pipelines created them, and the mark 014 set */
  aq_db_exec (db, "CREATE TABLE ods.sms_log (msg_id bigint, mobile varchar(30), "
                  "content varchar(300), status varchar(7));"
                  "INSERT INTO ods.sms_log VALUES (1, '13800000000', 'text', 'DELIVRD');"
                  "CREATE TABLE ods.billing_payment (pay_no bigint, amount numeric(12,2), "
                  "operator varchar(20));"
                  "INSERT INTO ods.billing_payment VALUES (7, 12.50, 'OP01');"
                  "INSERT INTO meta.dataset_column (table_schema, table_name, column_name, "
                  "personal_data) VALUES ('ods', 'sms_log', 'content', 'free_text') "
                  "ON CONFLICT DO NOTHING;"
                  "DELETE FROM meta.migration WHERE name = '036_size_ods_columns.sql'", &error);
  g_assert_no_error (error);

  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  aq_db_query_int64 (db, "SELECT count(*) FROM information_schema.columns "
                     "WHERE table_schema = 'ods' AND (table_name, column_name) IN "
                     "(('sms_log', 'content'), ('billing_payment', 'operator'))",
                     0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);
  aq_db_query_int64 (db, "SELECT count(*) FROM ods.sms_log s, ods.billing_payment p "
                     "WHERE s.mobile = '13800000000' AND s.status = 'DELIVRD' "
                     "AND p.pay_no = 7 AND p.amount = 12.50", 0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 1);
  aq_db_query_int64 (db, "SELECT count(*) FROM meta.dataset_column WHERE table_schema = 'ods' "
                     "AND table_name = 'sms_log' AND column_name = 'content'",
                     0, NULL, &count, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);
}

/* 051 on a warehouse whose dw.fact_sms has the old column order: fixed-width columns first,
 * the rows, the account index, the masked view and its grants kept; left alone while some other
 * view reads the table. */
static void
test_migration_051_fact_sms_order (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations_051", FALSE);
  g_autoptr(GError) error = NULL;
  guint applied = 0;

#define SENT_AT_ATTNUM "SELECT attnum FROM pg_attribute WHERE attrelid = 'dw.fact_sms'::regclass " \
                       "AND attname = 'sent_at'"
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (db, SENT_AT_ATTNUM), ==, 2);
  /* as 002 and 010 made them, with a view of someone else's on top */
  aq_db_exec (db, "DROP VIEW masked.fact_sms; DROP TABLE dw.fact_sms;"
                  "CREATE TABLE dw.fact_sms (msg_id bigint PRIMARY KEY, phone text, "
                  "account_id text, template text NOT NULL, batch_no text, "
                  "sent_at timestamp NOT NULL, status text NOT NULL);"
                  "CREATE INDEX fact_sms_account_idx ON dw.fact_sms (account_id);"
                  "INSERT INTO dw.fact_sms VALUES (2, '13800000002', 'A2', 'bill', NULL, "
                  "'2026-01-02 08:00', 'delivered'), (1, '13800000001', 'A1', 'arrears', 'B1', "
                  "'2026-01-01 09:30', 'expired');"
                  "CREATE VIEW masked.fact_sms WITH (security_barrier) AS SELECT msg_id, "
                  "masked.phone(phone) AS phone, account_id, template, batch_no, sent_at, status "
                  "FROM dw.fact_sms;"
                  "CREATE VIEW public.sms_elsewhere AS SELECT msg_id FROM dw.fact_sms;"
                  "DELETE FROM meta.migration WHERE name = '051_fact_sms_column_order.sql'",
              &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, SENT_AT_ATTNUM), ==, 6);

  aq_db_exec (db, "DROP VIEW public.sms_elsewhere;"
                  "DELETE FROM meta.migration WHERE name = '051_fact_sms_column_order.sql'",
              &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, SENT_AT_ATTNUM), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db,
                                        "SELECT count(*) FROM dw.fact_sms WHERE (msg_id, phone, "
                                        "account_id, template, batch_no, sent_at, status) IN ("
                                        "(2, '13800000002', 'A2', 'bill', NULL, "
                                        "'2026-01-02 08:00', 'delivered'), (1, '13800000001', "
                                        "'A1', 'arrears', 'B1', '2026-01-01 09:30', 'expired')) "
                                        "OR (msg_id = 2 AND batch_no IS NULL "
                                        "AND account_id = 'A2')"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db,
                                        "SELECT count(*) FROM pg_indexes WHERE schemaname = 'dw' "
                                        "AND tablename = 'fact_sms' AND indexname IN "
                                        "('fact_sms_pkey', 'fact_sms_account_idx')"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db,
                                        "SELECT count(*) FROM masked.fact_sms "
                                        "WHERE phone <> '13800000001' "
                                        "AND phone <> '13800000002'"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class "
                                        "WHERE relname = 'fact_sms_051'"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT has_table_privilege('aq_agent', "
                                        "'masked.fact_sms', 'SELECT')::int"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT (pg_get_userbyid(relowner) = "
                                        "'aq_data_engineer')::int FROM pg_class "
                                        "WHERE oid = 'dw.fact_sms'::regclass"), ==, 1);
#undef SENT_AT_ATTNUM
}

/* 061 on a warehouse whose SMS log was loaded before 050: its watermark becomes the newest
 * message held, so the next incremental load appends nothing twice; a watermark already there
 * stays, and a warehouse that never loaded the log gets none (its first load takes all). */
static void
test_migration_061_sms_log_watermark (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations_061", FALSE);
  g_autoptr(GError) error = NULL;
  guint applied = 0;
  gint64 count = -1;
  g_autofree char *value = NULL;

  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  aq_db_query_int64 (db, "SELECT count(*) FROM meta.pipeline_watermark", 0, NULL, &count,
                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 0);

  aq_db_exec (db, "CREATE TABLE ods.sms_log (msg_id bigint, mobile varchar(30));"
                  "INSERT INTO ods.sms_log VALUES (202311080000001, '13800000000'),"
                  " (202610310000405, '13900000000'), (202405010000007, '13700000000');"
                  "DELETE FROM meta.migration WHERE name = '061_sms_log_watermark.sql'", &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  value = aq_db_query_string (db, "SELECT value FROM meta.pipeline_watermark "
                              "WHERE pipeline = 'ods_service' AND step_id = 'read_sms_log'",
                              0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "202610310000405");

  aq_db_exec (db, "UPDATE meta.pipeline_watermark SET value = '202612010000001';"
                  "DELETE FROM meta.migration WHERE name = '061_sms_log_watermark.sql'", &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_clear_pointer (&value, g_free);
  value = aq_db_query_string (db, "SELECT value FROM meta.pipeline_watermark "
                              "WHERE pipeline = 'ods_service' AND step_id = 'read_sms_log'",
                              0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "202612010000001");
}

/* 062 on a warehouse loaded before it: dw.fact_bill_settlement's open bills (and only those)
 * move to dw.fact_bill_open, the month it had examined becomes the settle watermark, the old
 * table, its function and quality rule go (the rule's history stays), 053's month-first indexes
 * go and dw.fact_payment is keyed (account_id, period, pay_no). */
static void
test_migration_062_bill_open (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations_062", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  g_autofree char *key = NULL;
  guint applied = 0;

#define PKEY_OF(t) "SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i " \
                   "CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) " \
                   "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum " \
                   "WHERE i.indrelid = '" t "'::regclass AND i.indisprimary"
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  /* a fresh warehouse: the new shape, no watermark until the first load */
  key = aq_test_query_string (db, PKEY_OF ("dw.fact_bill_open"));
  g_assert_cmpstr (key, ==, "account_id,period");
  g_clear_pointer (&key, g_free);
  key = aq_test_query_string (db, PKEY_OF ("dw.fact_payment"));
  g_assert_cmpstr (key, ==, "account_id,period,pay_no");
  g_clear_pointer (&key, g_free);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_watermark"), ==,
                   0);

  /* as 052 and 053 left it, loaded: two open bills, two settled (one late) */
  aq_db_exec (db, "DROP TABLE dw.fact_bill_open; DROP FUNCTION dw.refresh_bill_open(bigint);"
                  "UPDATE meta.dataset_table SET table_name = 'fact_bill_settlement'"
                  " WHERE table_schema = 'dw' AND table_name = 'fact_bill_open';"
                  "CREATE TABLE dw.fact_bill_settlement (period date NOT NULL, account_id text"
                  " NOT NULL, amount numeric(12,2) NOT NULL, due_date date NOT NULL,"
                  " paid numeric(12,2) NOT NULL, settled_on date, days_late integer,"
                  " PRIMARY KEY (period, account_id));"
                  "CREATE INDEX fact_bill_settlement_open_idx ON dw.fact_bill_settlement"
                  " (account_id) WHERE amount > paid + 0.005;"
                  "CREATE FUNCTION dw.refresh_bill_settlement(since_pay_no bigint)"
                  " RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint';"
                  "INSERT INTO dw.fact_bill_settlement VALUES"
                  " ('2026-01-01', 'A1', 10.00, '2026-01-20', 10.00, '2026-01-18', -2),"
                  " ('2026-02-01', 'A1', 10.00, '2026-02-20', 4.00, NULL, NULL),"
                  " ('2026-02-01', 'A2', 5.00, '2026-02-20', 0, NULL, NULL),"
                  " ('2026-03-01', 'A2', 5.00, '2026-03-20', 5.00, '2026-03-25', 5);"
                  "CREATE INDEX fact_bill_period_account_idx ON dw.fact_bill (period, account_id);"
                  "ALTER TABLE dw.fact_payment DROP CONSTRAINT fact_payment_pkey,"
                  " ADD PRIMARY KEY (account_id, pay_no);"
                  "CREATE INDEX fact_payment_period_account_idx ON dw.fact_payment"
                  " (period, account_id);"
                  "INSERT INTO meta.quality_rule (rule_name, rule_set)"
                  " VALUES ('dw.fact_bill_settlement.settlement_bill', 'dw');"
                  "DELETE FROM meta.migration WHERE name = '062_bill_open.sql'", &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);

  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill_open"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db,
                                        "SELECT count(*) FROM dw.fact_bill_open WHERE "
                                        "(period, due_date, account_id, amount, paid) IN ("
                                        "('2026-02-01', '2026-02-20', 'A1', 10.00, 4.00), "
                                        "('2026-02-01', '2026-02-20', 'A2', 5.00, 0))"), ==, 2);
  value = aq_test_query_string (db, "SELECT value FROM meta.pipeline_watermark "
                                    "WHERE pipeline = 'dw_payment' AND step_id = 'settle'");
  g_assert_cmpstr (value, ==, "2026-03-01");
  key = aq_test_query_string (db, PKEY_OF ("dw.fact_bill_open"));
  g_assert_cmpstr (key, ==, "account_id,period");
  g_clear_pointer (&key, g_free);
  key = aq_test_query_string (db, PKEY_OF ("dw.fact_payment"));
  g_assert_cmpstr (key, ==, "account_id,period,pay_no");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class WHERE relname IN "
                                        "('fact_bill_settlement', 'fact_bill_period_account_idx',"
                                        " 'fact_payment_period_account_idx')"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_proc "
                                        "WHERE proname = 'refresh_bill_settlement'"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_table "
                                        "WHERE table_schema = 'dw' AND table_name IN "
                                        "('fact_bill_open', 'fact_bill_settlement')"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_table "
                                        "WHERE table_schema = 'dw' "
                                        "AND table_name = 'fact_bill_open'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.quality_rule WHERE "
                                        "rule_name = 'dw.fact_bill_settlement.settlement_bill' "
                                        "AND NOT enabled"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT (pg_get_userbyid(relowner) = "
                                        "'aq_data_engineer')::int FROM pg_class "
                                        "WHERE oid = 'dw.fact_bill_open'::regclass"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT has_table_privilege('aq_analyst', "
                                        "'dw.fact_bill_open', 'SELECT')::int"), ==, 1);
#undef PKEY_OF
}

/* 063 on a warehouse whose dw.fact_payment has the old column order: fixed-width columns first,
 * the rows, the key, the comments and the mining view over it (with its grants) kept; left
 * alone while some other view reads that view. */
static void
test_migration_063_fact_payment_order (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_migrations_063", FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  guint applied = 0;

#define PAY_NO_ATTNUM "SELECT attnum FROM pg_attribute " \
                      "WHERE attrelid = 'dw.fact_payment'::regclass AND attname = 'pay_no'"
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (db, PAY_NO_ATTNUM), ==, 1);
  /* as 002 and 062 left it, with two payments, and dm.meter_finding over it as 046 made it */
  aq_db_exec (db, "DO $$ DECLARE d text := pg_get_viewdef('dm.meter_finding'::regclass); BEGIN"
                  " DROP VIEW dm.meter_finding; DROP TABLE dw.fact_payment;"
                  " CREATE TABLE dw.fact_payment (account_id text NOT NULL, pay_no bigint"
                  "  NOT NULL, period date NOT NULL, paid_at timestamp NOT NULL, amount"
                  "  numeric(12,2) NOT NULL, late_fee numeric(12,2) NOT NULL, channel text"
                  "  NOT NULL, days_late integer, PRIMARY KEY (account_id, period, pay_no));"
                  " EXECUTE 'CREATE VIEW dm.meter_finding AS ' || d; END $$;"
                  "COMMENT ON TABLE dw.fact_payment IS 'Payments.';"
                  "COMMENT ON COLUMN dw.fact_payment.days_late IS 'Days late.';"
                  "INSERT INTO dw.fact_payment VALUES"
                  " ('A2', 20260105000002, '2026-01-01', '2026-01-05 10:00', 12.50, 0, 'bank', -15),"
                  " ('A1', 20260201000001, '2026-01-01', '2026-02-01 09:00', 8.00, 0.40,"
                  "  'wechat', NULL);"
                  "CREATE VIEW public.finding_elsewhere AS SELECT 1 AS x FROM dm.meter_finding;"
                  "DELETE FROM meta.migration WHERE name = '063_fact_payment_column_order.sql'",
              &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, PAY_NO_ATTNUM), ==, 2);

  aq_db_exec (db, "DROP VIEW public.finding_elsewhere;"
                  "DELETE FROM meta.migration WHERE name = '063_fact_payment_column_order.sql'",
              &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, PAY_NO_ATTNUM), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT attnum FROM pg_attribute WHERE attrelid = "
                                        "'dw.fact_payment'::regclass AND attname = 'channel'"),
                   ==, 8);
  g_assert_cmpint (aq_test_query_int64 (db,
                                        "SELECT count(*) FROM dw.fact_payment WHERE (account_id, "
                                        "pay_no, period, paid_at, amount, late_fee, channel) IN ("
                                        "('A2', 20260105000002, '2026-01-01', '2026-01-05 10:00', "
                                        "12.50, 0, 'bank'), ('A1', 20260201000001, '2026-01-01', "
                                        "'2026-02-01 09:00', 8.00, 0.40, 'wechat')) "
                                        "AND (days_late = -15 OR (account_id = 'A1' "
                                        "AND days_late IS NULL))"), ==, 2);
  key = aq_test_query_string (db, "SELECT string_agg(a.attname, ',' ORDER BY k.ord) "
                                  "FROM pg_index i CROSS JOIN LATERAL "
                                  "unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
                                  "JOIN pg_attribute a ON a.attrelid = i.indrelid "
                                  "AND a.attnum = k.attnum WHERE i.indrelid = "
                                  "'dw.fact_payment'::regclass AND i.indisprimary");
  g_assert_cmpstr (key, ==, "account_id,period,pay_no");
  /* the rows in key order: the first on the heap is A1's */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_payment "
                                        "WHERE ctid = '(0,1)' AND account_id = 'A1'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_description WHERE objoid = "
                                        "'dw.fact_payment'::regclass AND description IN "
                                        "('Payments.', 'Days late.')"), ==, 2);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dm.meter_finding "
                                        "WHERE false"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT has_table_privilege('aq_analyst', "
                                        "'dm.meter_finding', 'SELECT')::int"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT has_table_privilege('aq_agent', "
                                        "'dw.fact_payment', 'SELECT')::int"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT (pg_get_userbyid(relowner) = "
                                        "'aq_data_engineer')::int FROM pg_class "
                                        "WHERE oid = 'dw.fact_payment'::regclass"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class "
                                        "WHERE relname LIKE 'fact_payment_063%'"), ==, 0);
#undef PAY_NO_ATTNUM
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/migrations/fresh-and-repeated", test_migrations_fresh_and_repeated);
  g_test_add_func ("/migrations/036-drops-ods-columns", test_migration_036_drops_ods_columns);
  g_test_add_func ("/migrations/051-fact-sms-column-order", test_migration_051_fact_sms_order);
  g_test_add_func ("/migrations/061-sms-log-watermark", test_migration_061_sms_log_watermark);
  g_test_add_func ("/migrations/062-bill-open", test_migration_062_bill_open);
  g_test_add_func ("/migrations/063-fact-payment-column-order",
                   test_migration_063_fact_payment_order);
  g_test_add_func ("/migrations/failure-leaves-previous-state",
                   test_migrations_failure_leaves_previous_state);
  return g_test_run ();
}

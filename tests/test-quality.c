/* test-quality.c — data-quality rules against independent SQL and the simulator's planted truth
 *
 * Each rule type runs on a small fixture schema (qt) whose dirt is written here row by row,
 * and on the demo warehouse where its count is compared with a query written independently of
 * the compiler. The standard set runs on the demo warehouse: the rules that check planted
 * anomalies must find exactly the planted rows (src_truth.anomaly, or the sources' own
 * duplicates). Now is pinned, so "not in the future" and freshness never follow the wall clock.
 */
#include "aq-test-util.h"

#include <string.h>

static AqDb *db;

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static AqQualityRule *
rule_from (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  AqQualityRule *rule;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  rule = aq_quality_rule_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                        "test", &error);
  g_assert_no_error (error);
  return rule;
}

/* Runs the rules unstored and returns the run. */
static AqQualityRun *
run_rules (GPtrArray *rules,
           gboolean   batched)
{
  g_autoptr(GError) error = NULL;
  AqQualityOptions options;
  AqQualityRun *run;

  aq_quality_options_init (&options);
  options.store = FALSE;
  options.one_query_per_rule = !batched;
  run = aq_quality_run_rules (db, rules, "test", &options, NULL, &error);
  g_assert_no_error (error);
  return run;
}

static const AqQualityResult *
result_of (AqQualityRun *run,
           const char   *name)
{
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);

      if (g_str_equal (r->rule_name, name))
        return r;
    }
  g_error ("no result for %s", name);
  return NULL;
}

static gint64
failing_of (const char *json)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  g_autoptr(AqQualityRun) run = NULL;
  const AqQualityResult *r;

  g_ptr_array_add (rules, rule_from (json));
  run = run_rules (rules, TRUE);
  r = g_ptr_array_index (run->results, 0);
  g_assert_cmpstr (r->status, !=, "error");
  return r->failing;
}

#define RULE(type, table, args) \
  "{\"name\":\"t." type "\",\"layer\":\"qt\",\"table\":\"" table "\",\"type\":\"" type "\"," \
  "\"dimension\":\"validity\",\"args\":" args "}"

#define DW_RULE(type, table, args) \
  "{\"name\":\"d." type "\",\"layer\":\"dw\",\"table\":\"" table "\",\"type\":\"" type "\"," \
  "\"dimension\":\"validity\",\"args\":" args "}"

static void
setup_fixture (void)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db,
    "CREATE SCHEMA qt;"
    "CREATE TABLE qt.person (id int PRIMARY KEY, name text, mobile text, landline text,"
    "  id_card text, meter_no text, acct text, kind text, amount numeric, born date,"
    "  loaded_at timestamp, ref int, ref2 text);"
    "INSERT INTO qt.person VALUES"
    /* 1: clean */
    " (1, 'A', '13812345678', '059187654321', '11010519491231002X', 'AB2012345678',"
    "  '3500000001', 'x', 10, '1990-01-01', '2026-11-19 08:00', 1, 'a'),"
    /* 2: a landline in the mobile field, a bad check digit, a future birth */
    " (2, 'B', '059187654321', '87654321', '110105194912310021', 'AB201234567',"
    "  '3600000001', 'y', -5, '2027-01-01', '2026-11-19 09:00', 1, 'b'),"
    /* 3: nulls everywhere but the key; an orphan reference */
    " (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 9, 'z'),"
    /* 4: a duplicate name, an unknown kind, too large an amount */
    " (4, 'A', '+8613812345678', '0591-8765432', '11010519491231002x', 'ab2012345678',"
    "  '3500000002', 'q', 1000, '2026-11-20', '2026-11-20 11:00', 2, 'c');"
    "CREATE TABLE qt.kind (code text, dict text);"
    "INSERT INTO qt.kind VALUES ('x', 'K'), ('y', 'K'), ('q', 'OTHER');"
    "CREATE TABLE qt.ref (id int, tag text);"
    "INSERT INTO qt.ref VALUES (1, 'a'), (2, 'c'), (1, 'b');"
    "CREATE TABLE qt.monthly (m int, v int, zero boolean);"
    "INSERT INTO qt.monthly SELECT m, m * 10, m <= 2 AND g <= 1"
    "  FROM generate_series(1, 4) m, generate_series(1, 2) g;"
    "INSERT INTO qt.monthly SELECT 5, 0, false FROM generate_series(1, 8);"
    "CREATE TABLE qt.mirror (m int, v int);"
    "INSERT INTO qt.mirror SELECT m, v FROM qt.monthly WHERE m <> 3;"
    "INSERT INTO qt.mirror VALUES (3, 30), (3, 31);", &error);
  g_assert_no_error (error);
}

/* ---- each rule type ---- */

static void
test_types_fixture (void)
{
  g_assert_cmpint (failing_of (RULE ("not_null", "person", "{\"column\":\"name\"}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("unique", "person", "{\"columns\":[\"name\"]}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("unique", "person", "{\"columns\":[\"name\",\"kind\"]}")),
                   ==, 0);
  g_assert_cmpint (failing_of (RULE ("range", "person", "{\"column\":\"amount\",\"min\":0,"
                                                        "\"max\":100}")), ==, 2);
  /* now is pinned at 2026-11-20 12:00 in the utility's zone */
  g_assert_cmpint (failing_of (RULE ("range", "person", "{\"column\":\"born\",\"as\":\"date\","
                                                        "\"not_future\":true}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("pattern", "person", "{\"column\":\"mobile\","
                                                          "\"format\":\"mobile\"}")), ==, 2);
  g_assert_cmpint (failing_of (RULE ("pattern", "person", "{\"column\":\"landline\","
                                                          "\"format\":\"landline\"}")), ==, 2);
  /* row 2: a wrong check digit; row 4: a lower-case x, not the standard form */
  g_assert_cmpint (failing_of (RULE ("pattern", "person", "{\"column\":\"id_card\","
                                                          "\"format\":\"id_card\"}")), ==, 2);
  g_assert_cmpint (failing_of (RULE ("pattern", "person", "{\"column\":\"meter_no\","
                                                          "\"format\":\"meter_no\"}")), ==, 2);
  g_assert_cmpint (failing_of (RULE ("pattern", "person", "{\"column\":\"acct\","
                                                          "\"format\":\"account_no\"}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("pattern", "person", "{\"column\":\"name\","
                                                          "\"regex\":\"^[A-Z]$\"}")), ==, 0);
  g_assert_cmpint (failing_of (RULE ("accepted_values", "person", "{\"column\":\"kind\","
                                                                  "\"values\":[\"x\",\"y\"]}")),
                   ==, 1);
  g_assert_cmpint (failing_of (RULE ("accepted_values", "person", "{\"column\":\"kind\","
                                     "\"dictionary\":{\"layer\":\"qt\",\"table\":\"kind\","
                                     "\"column\":\"code\",\"type_column\":\"dict\","
                                     "\"type\":\"K\"}}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("referential", "person", "{\"columns\":[\"ref\"],"
                                     "\"ref\":{\"layer\":\"qt\",\"table\":\"ref\","
                                     "\"columns\":[\"id\"]}}")), ==, 1);
  /* two columns: (9, z) and (2, c)? (2, c) exists; (9, z) does not */
  g_assert_cmpint (failing_of (RULE ("referential", "person", "{\"columns\":[\"ref\",\"ref2\"],"
                                     "\"ref\":{\"layer\":\"qt\",\"table\":\"ref\","
                                     "\"columns\":[\"id\",\"tag\"]}}")), ==, 1);
  /* latest load 2026-11-20 11:00, now 12:00: one hour old */
  g_assert_cmpint (failing_of (RULE ("freshness", "person", "{\"column\":\"loaded_at\","
                                                            "\"max_age_days\":0.05}")), ==, 0);
  g_assert_cmpint (failing_of (RULE ("freshness", "person", "{\"column\":\"loaded_at\","
                                                            "\"max_age_days\":0.01}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("volume", "person", "{\"min\":1,\"max\":4}")), ==, 0);
  g_assert_cmpint (failing_of (RULE ("volume", "person", "{\"min\":5}")), ==, 1);
  /* months 1–4 have 2 rows each, month 5 has 8: no drop; drop from 5 is not there */
  g_assert_cmpint (failing_of (RULE ("volume", "monthly", "{\"group_by\":\"m\","
                                                          "\"max_drop\":0.1}")), ==, 0);
  /* month 2 without its zero row: half of month 1's */
  g_assert_cmpint (failing_of ("{\"name\":\"t.drop\",\"layer\":\"qt\",\"table\":\"monthly\","
                               "\"filter\":\"NOT (m = 2 AND zero)\",\"type\":\"volume\","
                               "\"dimension\":\"volume\",\"args\":{\"group_by\":\"m\","
                               "\"max_drop\":0.1}}"), ==, 1);
  /* month 3: 2 rows each side but sums 60 vs 61 */
  g_assert_cmpint (failing_of (RULE ("reconciliation", "monthly",
                                     "{\"left\":{\"layer\":\"qt\",\"table\":\"monthly\","
                                     "\"measure\":\"sum(v)\",\"group_by\":\"m\"},"
                                     "\"right\":{\"layer\":\"qt\",\"table\":\"mirror\","
                                     "\"measure\":\"sum(v)\",\"group_by\":\"m\"}}")), ==, 1);
  g_assert_cmpint (failing_of (RULE ("reconciliation", "monthly",
                                     "{\"left\":{\"layer\":\"qt\",\"table\":\"monthly\","
                                     "\"measure\":\"count(*)\",\"group_by\":\"m\"},"
                                     "\"right\":{\"layer\":\"qt\",\"table\":\"mirror\","
                                     "\"measure\":\"count(*)\",\"group_by\":\"m\"}}")), ==, 0);
  /* zero share: months 1 and 2 have 1 of 2 rows zero (0.5), the others none */
  g_assert_cmpint (failing_of (RULE ("distribution", "monthly",
                                     "{\"condition\":\"zero\",\"group_by\":\"m\","
                                     "\"max_share\":0.4}")), ==, 2);
  g_assert_cmpint (failing_of (RULE ("custom", "person",
                                     "{\"sql\":\"SELECT id FROM qt.person WHERE amount < 0\"}")),
                   ==, 1);
}

/* The same types on the demo warehouse, each against a query written independently. */
static void
test_types_demo (void)
{
  g_assert_cmpint (failing_of (DW_RULE ("not_null", "dim_account", "{\"column\":\"meter_no\"}")),
                   ==, count ("SELECT count(*) FROM dw.dim_account WHERE meter_no IS NULL"));
  g_assert_cmpint (failing_of ("{\"name\":\"o.u\",\"layer\":\"ods\",\"table\":\"billing_bill\","
                               "\"type\":\"unique\",\"dimension\":\"uniqueness\","
                               "\"args\":{\"columns\":[\"bill_no\"]}}"), ==,
                   count ("SELECT count(*) - count(DISTINCT bill_no) FROM ods.billing_bill"));
  g_assert_cmpint (failing_of (DW_RULE ("range", "fact_bill", "{\"column\":\"qty\",\"min\":1,"
                                                              "\"max\":30}")), ==,
                   count ("SELECT count(*) FROM dw.fact_bill WHERE qty NOT BETWEEN 1 AND 30"));
  g_assert_cmpint (failing_of (DW_RULE ("pattern", "dim_customer", "{\"column\":\"name\","
                                                                   "\"regex\":\"^王\"}")), ==,
                   count ("SELECT count(*) FROM dw.dim_customer WHERE name NOT LIKE '王%'"));
  g_assert_cmpint (failing_of (DW_RULE ("accepted_values", "fact_bill",
                                        "{\"column\":\"read_status\",\"values\":[\"valid\"]}")),
                   ==, count ("SELECT count(*) FROM dw.fact_bill WHERE read_status <> 'valid'"));
  g_assert_cmpint (failing_of (DW_RULE ("referential", "fact_payment",
                                        "{\"columns\":[\"account_id\",\"period\"],\"ref\":"
                                        "{\"layer\":\"dw\",\"table\":\"fact_bill\","
                                        "\"columns\":[\"account_id\",\"period\"]}}")), ==,
                   count ("SELECT count(*) FROM dw.fact_payment p LEFT JOIN dw.fact_bill b "
                          "USING (account_id, period) WHERE b.bill_no IS NULL"));
  g_assert_cmpint (failing_of (DW_RULE ("distribution", "fact_bill",
                                        "{\"condition\":\"read_status = 'estimated'\","
                                        "\"group_by\":\"period\",\"max_share\":0.02}")), ==,
                   count ("SELECT count(*) FROM (SELECT period FROM dw.fact_bill GROUP BY 1 "
                          "HAVING count(*) FILTER (WHERE read_status = 'estimated') "
                          "> 0.02 * count(*)) x"));
}

/* Column rules of one table: one statement, whatever their number (plus one anti-join per
 * referential rule). */
static void
test_one_scan (void)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  g_autoptr(AqQualityRun) batched = NULL;
  g_autoptr(AqQualityRun) single = NULL;

  g_ptr_array_add (rules, rule_from (DW_RULE ("not_null", "fact_bill", "{\"column\":\"qty\"}")));
  g_ptr_array_add (rules, rule_from ("{\"name\":\"d.r\",\"layer\":\"dw\",\"table\":\"fact_bill\","
                                     "\"type\":\"range\",\"dimension\":\"validity\","
                                     "\"args\":{\"column\":\"qty\",\"min\":0}}"));
  g_ptr_array_add (rules, rule_from ("{\"name\":\"d.a\",\"layer\":\"dw\",\"table\":\"fact_bill\","
                                     "\"type\":\"referential\",\"dimension\":\"consistency\","
                                     "\"args\":{\"columns\":[\"account_id\"],\"ref\":{\"layer\":"
                                     "\"dw\",\"table\":\"dim_account\",\"columns\":"
                                     "[\"account_id\"]}}}"));
  batched = run_rules (rules, TRUE);
  single = run_rules (rules, FALSE);
  /* the three rules share one scan: the referential rule's key is dim_account's primary key,
   * so it is a LEFT JOIN of that scan (a hash join that spills in batches where NOT IN's
   * hashed subplan stops fitting in memory); it passes, so no anti-join for samples */
  g_assert_cmpint (batched->scans, ==, 1);
  g_assert_cmpint (single->scans, ==, 3);
  for (guint i = 0; i < rules->len; i++)
    {
      AqQualityResult *a = g_ptr_array_index (batched->results, i);
      AqQualityResult *b = g_ptr_array_index (single->results, i);

      g_assert_cmpstr (a->rule_name, ==, b->rule_name);
      g_assert_cmpint (a->checked, ==, b->checked);
      g_assert_cmpint (a->failing, ==, b->failing);
      g_assert_cmpint (a->checked, ==, count ("SELECT count(*) FROM dw.fact_bill"));
    }
}

/* Samples: keys and offending values, phones masked. */
static void
test_samples_masked (void)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  g_autoptr(AqQualityRun) run = NULL;
  const AqQualityResult *r;
  AqQualitySample *s;

  g_ptr_array_add (rules, rule_from (RULE ("pattern", "person", "{\"column\":\"mobile\","
                                                                "\"format\":\"mobile\"}")));
  run = run_rules (rules, TRUE);
  r = result_of (run, "t.pattern");
  g_assert_cmpuint (r->samples->len, ==, 2);
  s = g_ptr_array_index (r->samples, 0);
  g_assert_cmpstr (s->row_key, ==, "2");
  g_assert_nonnull (strchr (s->value, '*'));
  g_assert_null (strstr (s->value, "87654321"));
}

/* A referential rule's count and samples come from one anti-join (its failing rows kept, then
 * counted and the first listed): the orphans by key with their values, in key order; a unique
 * rule's samples are its first duplicated keys in the key's order. */
static void
test_samples_one_statement (void)
{
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  g_autoptr(AqQualityRun) run = NULL;
  const AqQualityResult *r;
  AqQualitySample *s;
  /* the bills referenced only up to a month: the payments of later months are orphans */
  gint64 orphans = count ("SELECT count(*) FROM dw.fact_payment p WHERE NOT EXISTS (SELECT FROM "
                          "dw.fact_bill b WHERE b.account_id = p.account_id "
                          "AND b.period = p.period AND b.period < '2026-10-01')");

  g_ptr_array_add (rules, rule_from (RULE ("referential", "person", "{\"columns\":[\"ref\"],"
                                           "\"ref\":{\"layer\":\"qt\",\"table\":\"ref\","
                                           "\"columns\":[\"id\"]}}")));
  g_ptr_array_add (rules, rule_from ("{\"name\":\"d.orphan\",\"layer\":\"dw\",\"table\":"
                                     "\"fact_payment\",\"type\":\"referential\",\"dimension\":"
                                     "\"consistency\",\"args\":{\"columns\":[\"account_id\","
                                     "\"period\"],\"ref\":{\"layer\":\"dw\",\"table\":"
                                     "\"fact_bill\",\"columns\":[\"account_id\",\"period\"],"
                                     "\"filter\":\"period < '2026-10-01'\"}}}"));
  g_ptr_array_add (rules, rule_from (RULE ("unique", "ref", "{\"columns\":[\"id\"]}")));
  run = run_rules (rules, TRUE);

  r = result_of (run, "t.referential");
  g_assert_cmpint (r->failing, ==, 1);
  g_assert_cmpuint (r->samples->len, ==, 1);
  s = g_ptr_array_index (r->samples, 0);
  g_assert_cmpstr (s->row_key, ==, "3");
  g_assert_cmpstr (s->value, ==, "9");

  r = result_of (run, "d.orphan");
  g_assert_cmpint (orphans, >, 20);
  g_assert_cmpint (r->failing, ==, orphans);
  g_assert_cmpuint (r->samples->len, ==, MIN (orphans, 20));
  for (guint i = 0; i < r->samples->len; i++)
    {
      g_autofree char *sql = NULL;

      s = g_ptr_array_index (r->samples, i);
      if (i > 0)
        g_assert_cmpstr (((AqQualitySample *) g_ptr_array_index (r->samples, i - 1))->row_key,
                         <, s->row_key);
      sql = g_strdup_printf ("SELECT count(*) FROM dw.fact_payment p WHERE p.account_id = "
                             "split_part('%s', '|', 1) AND p.pay_no::text = split_part('%s', "
                             "'|', 3) AND NOT EXISTS (SELECT FROM dw.fact_bill b "
                             "WHERE b.account_id = p.account_id AND b.period = p.period "
                             "AND b.period < '2026-10-01')",
                             s->row_key, s->row_key);
      g_assert_cmpint (count (sql), ==, 1);
    }
  /* the same rule as a merge anti-join of the two primary keys, both led by (account_id,
   * period) (migration 062), as on a large warehouse: the count by an extra statement, the
   * same orphans listed */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AqQualityRun) merged = NULL;
    const AqQualityResult *m;
    AqQualityOptions options;

    aq_quality_options_init (&options);
    options.store = FALSE;
    options.merge_min_rows = 1;
    merged = aq_quality_run_rules (db, rules, "test", &options, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (merged->scans, >, run->scans);
    m = result_of (merged, "d.orphan");
    g_assert_cmpint (m->failing, ==, orphans);
    g_assert_cmpuint (m->samples->len, ==, r->samples->len);
    for (guint i = 0; i < m->samples->len; i++)
      g_assert_cmpstr (((AqQualitySample *) g_ptr_array_index (m->samples, i))->row_key, ==,
                       ((AqQualitySample *) g_ptr_array_index (r->samples, i))->row_key);
    g_assert_cmpint (result_of (merged, "t.referential")->failing, ==, 1);
  }

  /* qt.ref: id 1 twice */
  r = result_of (run, "t.unique");
  g_assert_cmpint (r->failing, ==, 1);
  g_assert_cmpuint (r->samples->len, ==, 1);
  s = g_ptr_array_index (r->samples, 0);
  g_assert_cmpstr (s->row_key, ==, "1");
  g_assert_cmpstr (s->value, ==, "2");
}

/* ---- the standard set against the planted truth ---- */

static void
test_standard_set (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = aq_quality_list_rules (db, &error);
  g_autoptr(AqQualityRun) run = NULL;
  g_autoptr(GHashTable) tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint column_rules = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (rules->len, >=, 60);
  /* every dw table and every dm mart has a rule */
  for (guint i = 0; i < rules->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (rules, i);

      g_hash_table_add (tables, g_strdup_printf ("%s.%s", r->layer, r->table));
      column_rules += aq_quality_rule_is_column_rule (r);
    }
  {
    g_autoptr(PGresult) res = aq_db_query (db, "SELECT schemaname || '.' || tablename FROM "
                                               "pg_tables WHERE schemaname IN ('dw', 'dm')",
                                           0, NULL, &error);

    g_assert_no_error (error);
    for (int i = 0; i < PQntuples (res); i++)
      if (!g_hash_table_contains (tables, PQgetvalue (res, i, 0)))
        g_error ("no standard rule checks %s", PQgetvalue (res, i, 0));
  }

  run = aq_quality_run_rules (db, rules, "all", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (run->results->len, ==, rules->len);
  /* fewer statements than rules: column rules share their table's scan */
  g_assert_cmpint (run->scans, <, (int) rules->len);
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *r = g_ptr_array_index (run->results, i);

      if (g_str_equal (r->status, "error"))
        g_error ("%s: %s", r->rule_name, r->message);
    }

  /* planted anomalies, exactly */
#define TRUTH(kind) "SELECT count(*) FROM src_truth.anomaly WHERE kind = '" kind "'"
  g_assert_cmpint (count (TRUTH ("demolished_active")), >, 0);
  g_assert_cmpint (result_of (run, "dw.dim_account.demolished_active")->failing, ==,
                   count (TRUTH ("demolished_active")));
  g_assert_cmpint (result_of (run, "dw.dim_account.large_no_reads")->failing, ==,
                   count ("SELECT count(*) FROM src_truth.anomaly WHERE kind = 'large_no_reads'"));
  g_assert_cmpint (result_of (run, "dw.dim_meter.missing_meter_paying")->failing, ==,
                   count ("SELECT count(*) FROM src_truth.anomaly "
                          "WHERE kind = 'missing_meter_paying'"));
  /* the extracts' own dirt, counted in the sources */
  g_assert_cmpint (result_of (run, "ods.billing_customer.customer_unique")->failing, ==,
                   count ("SELECT count(*) - count(DISTINCT cust_no) FROM src_billing.customer"));
  g_assert_cmpint (result_of (run, "ods.billing_customer.customer_unique")->failing, >, 0);
  g_assert_cmpint (result_of (run, "ods.billing_customer.mobile_empty_string")->failing, ==,
                   count ("SELECT count(*) FROM src_billing.customer WHERE mobile = ''"));
  /* the late batch: one reading book's bills of one month, every one of them entered
   * 18 days after its reading; found as that one batch with its bill count */
  g_assert_cmpint (count ("SELECT count(*) FROM src_truth.late_load"), ==, 1);
  g_assert_cmpint (count ("SELECT bills FROM src_truth.late_load"), >, 0);
  {
    const AqQualityResult *r = result_of (run, "ods.billing_bill.bill_batch_late");
    AqQualitySample *s;
    g_autofree char *key = aq_test_query_string (db, "SELECT period || ' ' || book_no "
                                                     "FROM src_truth.late_load");
    g_autofree char *bills = aq_test_query_string (db, "SELECT bills::text "
                                                       "FROM src_truth.late_load");
    g_autofree char *period = aq_test_query_string (db, "SELECT period FROM "
                                                        "src_truth.late_load");
    g_autofree char *whole = g_strdup_printf ("SELECT count(DISTINCT b.bill_no) FROM "
                                              "src_billing.bill_%s b JOIN src_billing.account a "
                                              "USING (acct_no) WHERE a.book_no = (SELECT book_no "
                                              "FROM src_truth.late_load)", period);

    g_assert_cmpint (r->failing, ==, count ("SELECT count(*) FROM src_truth.late_load"));
    g_assert_cmpstr (r->dimension, ==, "timeliness");
    g_assert_cmpuint (r->samples->len, ==, 1);
    s = g_ptr_array_index (r->samples, 0);
    g_assert_cmpstr (s->row_key, ==, key);
    g_assert_cmpstr (s->value, ==, bills);
    /* the whole batch was late, and nothing else moved: due dates follow the reading */
    g_assert_cmpint (count (whole), ==, count ("SELECT bills FROM src_truth.late_load"));
    g_assert_cmpint (count ("SELECT count(*) FROM dw.fact_bill WHERE due_date > "
                            "read_date + 34"), ==, 0);
  }
  /* the sudden drop (planted here on purpose: by default only from 10,000 accounts up): one
   * zone's billed volume falls to a sliver of the month before, found as that one zone-month
   * with the planted volumes, and no other */
  g_assert_cmpint (count ("SELECT count(*) FROM src_truth.volume_drop"), ==, 1);
  g_assert_cmpint (count ("SELECT bills_not_read FROM src_truth.volume_drop"), >, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM src_truth.volume_drop "
                          "WHERE qty * 10 < qty_before"), ==, 1);
  {
    const AqQualityResult *r = result_of (run, "dm.cube_nrw_monthly.nrw_zone_billed_drop");
    AqQualitySample *s;
    g_autofree char *key = aq_test_query_string (db, "SELECT zone_code || ' ' || "
                                                     "to_date(period, 'YYYYMM') "
                                                     "FROM src_truth.volume_drop");
    g_autofree char *value = aq_test_query_string (db, "SELECT qty || '.0 (' || qty_before "
                                                       "|| '.0)' FROM src_truth.volume_drop");

    g_assert_cmpstr (r->status, ==, "warn");
    g_assert_cmpint (r->failing, ==, count ("SELECT count(*) FROM src_truth.volume_drop"));
    g_assert_cmpstr (r->dimension, ==, "volume");
    g_assert_cmpuint (r->samples->len, ==, 1);
    s = g_ptr_array_index (r->samples, 0);
    g_assert_cmpstr (s->row_key, ==, key);
    g_assert_cmpstr (s->value, ==, value);
    /* the skipped bills are there, read as not read; the zone's inflow did not drop with them */
    g_assert_cmpint (count ("SELECT count(*) FROM dw.fact_bill b JOIN dw.dim_account a "
                            "USING (account_id), src_truth.volume_drop t "
                            "WHERE a.dma3_code = t.zone_code AND b.read_status = 'not_read' "
                            "AND b.period = to_date(t.period, 'YYYYMM')"), >=,
                     count ("SELECT bills_not_read FROM src_truth.volume_drop"));
    g_assert_cmpint (count ("SELECT count(*) FROM dm.cube_nrw_monthly n, src_truth.volume_drop t "
                            "WHERE n.zone_code = t.zone_code AND n.period = "
                            "to_date(t.period, 'YYYYMM') AND n.siv > 2 * n.billed"), ==, 1);
    /* the row counts did not move: the month-over-month bill count rule passes */
    g_assert_cmpint (result_of (run, "dw.fact_bill.bill_monthly_volume")->failing, ==, 0);
  }
  /* the extracts' small dirt, counted by the simulator as it wrote the sources (src_truth.dirt,
   * planted here on purpose: by default only from 10,000 accounts up) */
  {
    static const struct
    {
      const char *rule;
      const char *kind;
    } dirt[] = {
      { "ods.billing_customer.mobile_mixed_format", "mixed_format_mobile" },
      { "ods.billing_customer.mobile_is_mobile", "landline_in_mobile" },
      { "dw.dim_customer.customer_created_past", "future_create_date" },
      { "dw.dim_account.account_tariff", "tariff_outside_dictionary" },
      { "dw.dim_account.account_meter_known", "orphan_meter_no" },
      { "dw.fact_bill.bill_read_not_negative", "negative_reading" },
    };

    g_assert_cmpint (count ("SELECT count(*) FROM src_truth.dirt"), ==, G_N_ELEMENTS (dirt));
    for (guint i = 0; i < G_N_ELEMENTS (dirt); i++)
      {
        g_autofree char *sql = g_strdup_printf ("SELECT rows FROM src_truth.dirt "
                                                "WHERE kind = '%s'", dirt[i].kind);

        g_test_message ("%s: %" G_GINT64_FORMAT " planted, %" G_GINT64_FORMAT " found",
                        dirt[i].rule, count (sql), result_of (run, dirt[i].rule)->failing);
        g_assert_cmpint (count (sql), >, 0);
        g_assert_cmpint (result_of (run, dirt[i].rule)->failing, ==, count (sql));
      }
    /* the phones' samples are masked like every phone shown to an agent */
    for (guint i = 0; i < 2; i++)
      {
        const AqQualityResult *r = result_of (run, dirt[i].rule);

        g_assert_cmpuint (r->samples->len, >, 0);
        g_assert_nonnull (strstr (((AqQualitySample *) g_ptr_array_index (r->samples, 0))->value,
                                  "****"));
      }
  }
  /* reversed readings: each planted account's one backward read, billed as valid */
  g_assert_cmpint (count (TRUTH ("read_backwards")), >, 0);
  g_assert_cmpint (result_of (run, "dw.fact_bill.bill_reads_forward")->failing, ==,
                   count (TRUTH ("read_backwards")));
  /* the samples of a planted rule are the planted accounts */
  {
    const AqQualityResult *r = result_of (run, "dw.dim_account.demolished_active");
    AqQualitySample *s = g_ptr_array_index (r->samples, 0);
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM src_truth.anomaly WHERE "
                                            "kind = 'demolished_active' AND rtrim(acct_no) = '%s'",
                                            s->row_key);

    g_assert_cmpint (count (sql), ==, 1);
  }
  /* stored: passes too */
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_result WHERE run_id = "
                          "(SELECT max(run_id) FROM meta.quality_run)"), ==, rules->len);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_result WHERE status = 'pass'"), >, 0);
  (void) column_rules;
}

/* ---- set rules in their table's statement ---- */

static void
assert_same_result (const AqQualityResult *a,
                    const AqQualityResult *b)
{
  g_test_message ("%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT ", measured %.17g",
                  a->rule_name, a->failing, a->checked, a->measured);
  g_assert_cmpstr (a->rule_name, ==, b->rule_name);
  g_assert_cmpint (a->checked, ==, b->checked);
  g_assert_cmpint (a->failing, ==, b->failing);
  g_assert_cmpint (a->has_measured, ==, b->has_measured);
  g_assert_cmpfloat (a->measured, ==, b->measured);
  g_assert_cmpstr (a->status, ==, b->status);
  g_assert_cmpstr (a->message, ==, b->message);
  g_assert_cmpuint (a->samples->len, ==, b->samples->len);
  for (guint k = 0; k < a->samples->len; k++)
    {
      AqQualitySample *x = g_ptr_array_index (a->samples, k);
      AqQualitySample *y = g_ptr_array_index (b->samples, k);

      g_assert_cmpstr (x->row_key, ==, y->row_key);
      g_assert_cmpstr (x->value, ==, y->value);
    }
}

static gboolean
reads_fact_bill (AqQualityRule *r,
                 const char    *side)
{
  JsonObject *o = json_object_has_member (r->args, side)
                  ? json_object_get_object_member (r->args, side) : NULL;

  return o != NULL && g_strcmp0 (json_object_get_string_member (o, "table"), "fact_bill") == 0;
}

/* The set rules that group or aggregate a table (distribution, volume, freshness, a
 * reconciliation's side) ride its one statement, and a table's failing column rules share one
 * statement for their samples: each rule gives the same checked and failing counts, measured
 * value, status, message and samples as the rule alone, on every standard rule and on the
 * fixture's edge cases; dw.fact_bill's eight set rules are one statement; figures against
 * SQL written here. */
static void
test_shared_set_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = aq_quality_list_rules (db, &error);
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                             aq_quality_rule_free);
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(GPtrArray) bill = g_ptr_array_new ();
  g_autoptr(AqQualityRun) shared = NULL;
  g_autoptr(AqQualityRun) alone = NULL;
  g_autoptr(AqQualityRun) bill_run = NULL;
  static const char *fixture[] = {
    /* no row passes the filter: no groups, no share */
    "{\"name\":\"t.s.none\",\"layer\":\"qt\",\"table\":\"monthly\",\"filter\":\"false\","
    "\"type\":\"distribution\",\"dimension\":\"validity\",\"args\":{\"condition\":\"zero\","
    "\"group_by\":\"m\",\"max_share\":0.4}}",
    /* the whole table's share, and one that fails with its sample */
    RULE ("distribution", "monthly", "{\"condition\":\"zero\",\"max_share\":0.01}"),
    /* a sum on one side over no rows (NULL) against a count over all */
    "{\"name\":\"t.s.empty\",\"layer\":\"qt\",\"table\":\"monthly\",\"type\":\"reconciliation\","
    "\"dimension\":\"consistency\",\"args\":{\"left\":{\"layer\":\"qt\",\"table\":\"monthly\","
    "\"measure\":\"sum(v)\",\"filter\":\"m > 99\"},\"right\":{\"layer\":\"qt\",\"table\":"
    "\"mirror\",\"measure\":\"count(*)\"}}}",
    /* per month, one side filtered, the other's measure not one that adds up (read alone) */
    "{\"name\":\"t.s.months\",\"layer\":\"qt\",\"table\":\"monthly\",\"type\":\"reconciliation\","
    "\"dimension\":\"consistency\",\"args\":{\"left\":{\"layer\":\"qt\",\"table\":\"monthly\","
    "\"measure\":\"max(v)\",\"group_by\":\"m\",\"filter\":\"m <> 4\"},\"right\":{\"layer\":"
    "\"qt\",\"table\":\"mirror\",\"measure\":\"max(v) + 0\",\"group_by\":\"m\"}}}",
    /* a drop per partition, in a summed measure, after a filter */
    "{\"name\":\"t.s.drop\",\"layer\":\"qt\",\"table\":\"monthly\",\"filter\":\"m > 1\","
    "\"type\":\"volume\",\"dimension\":\"volume\",\"args\":{\"group_by\":\"m\","
    "\"partition_by\":\"zero\",\"measure\":\"sum(v)\",\"max_drop\":0.1}}",
    "{\"name\":\"t.s.fresh\",\"layer\":\"qt\",\"table\":\"person\",\"filter\":\"id < 3\","
    "\"type\":\"freshness\",\"dimension\":\"timeliness\",\"args\":{\"column\":\"loaded_at\","
    "\"max_age_days\":0.5}}",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (fixture); i++)
    {
      g_ptr_array_add (own, rule_from (fixture[i]));
      g_ptr_array_add (rules, g_ptr_array_index (own, i));
    }
  for (guint i = 0; i < all->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (all, i);

      g_ptr_array_add (rules, r);
      if (aq_quality_rule_is_column_rule (r) || g_str_equal (r->type, "custom")
          || g_str_equal (r->type, "unique"))
        continue;
      if (g_str_equal (r->table, "fact_bill") || reads_fact_bill (r, "left")
          || reads_fact_bill (r, "right"))
        g_ptr_array_add (bill, r);
    }
  shared = run_rules (rules, TRUE);
  alone = run_rules (rules, FALSE);
  g_assert_cmpuint (shared->results->len, ==, rules->len);
  g_assert_cmpuint (alone->results->len, ==, rules->len);
  for (guint i = 0; i < rules->len; i++)
    assert_same_result (g_ptr_array_index (shared->results, i),
                        g_ptr_array_index (alone->results, i));
  g_assert_cmpint (shared->scans, <, alone->scans);
  g_assert_cmpint (result_of (shared, "t.distribution")->failing, ==, 1);
  g_assert_cmpuint (result_of (shared, "t.distribution")->samples->len, ==, 1);
  g_assert_cmpint (result_of (shared, "t.s.none")->checked, ==, 0);
  g_assert_cmpint (result_of (shared, "t.s.empty")->failing, ==, 1);
  /* months 1, 2, 5 agree; 3 (30 vs 31) and 4 (filtered out on the left) do not */
  g_assert_cmpint (result_of (shared, "t.s.months")->failing, ==, 2);

  /* dw.fact_bill's six rules and the two dm reconciliations against it: one statement (the
   * other sides read inside it) */
  g_assert_cmpuint (bill->len, ==, 8);
  bill_run = run_rules (bill, TRUE);
  g_assert_cmpint (bill_run->scans, ==, 1);
  g_assert_cmpfloat (result_of (bill_run, "dw.fact_bill.bill_total_volume")->measured, ==,
                     count ("SELECT count(*) FROM dw.fact_bill"));
  g_assert_cmpint (result_of (bill_run, "dw.fact_bill.bill_estimated_share")->checked, ==,
                   count ("SELECT count(DISTINCT period) FROM dw.fact_bill"));
  {
    g_autofree char *share = aq_test_query_string (db, "SELECT max(e::numeric / n) FROM (SELECT "
                                                       "count(*) FILTER (WHERE read_status = "
                                                       "'estimated') AS e, count(*) AS n FROM "
                                                       "dw.fact_bill GROUP BY period) x");
    g_autofree char *age = aq_test_query_string (db, "SELECT (date '2026-11-20' + time '12:00' "
                                                     "- max(read_date)) FROM dw.fact_bill");

    g_assert_cmpfloat_with_epsilon (result_of (bill_run,
                                               "dw.fact_bill.bill_estimated_share")->measured,
                                    g_ascii_strtod (share, NULL), 1e-12);
    g_test_message ("latest reading %s before now", age);
    g_assert_cmpfloat_with_epsilon (result_of (bill_run, "dw.fact_bill.bill_fresh")->measured,
                                    count ("SELECT date '2026-11-20' - max(read_date) "
                                           "FROM dw.fact_bill") + 0.5, 1e-9);
  }
  g_assert_cmpint (result_of (bill_run, "dm.cube_billing_monthly.billing_vs_dw")->failing, ==,
                   count ("SELECT count(*) FROM (SELECT period, sum(billed_qty) AS q FROM "
                          "dm.cube_billing_monthly GROUP BY 1) c FULL JOIN (SELECT period, "
                          "sum(qty) AS q FROM dw.fact_bill GROUP BY 1) b USING (period) "
                          "WHERE c.q IS DISTINCT FROM b.q"));
  g_assert_cmpint (result_of (bill_run, "dw.fact_bill.bill_vs_ods")->checked, ==,
                   count ("SELECT count(*) FROM (SELECT period FROM ods.billing_bill UNION "
                          "SELECT to_char(period, 'YYYYMM') FROM dw.fact_bill WHERE period >= "
                          "(SELECT to_date(min(period), 'YYYYMM') FROM ods.billing_bill)) p"));
}

/* A referential rule is a merge anti-join only when both sides are large: a few referencing
 * rows probe the referenced key instead (a join in their table's scan); the same count. */
static void
test_merge_needs_both_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  AqQualityOptions options;
  gint64 bills = count ("SELECT reltuples::bigint FROM pg_class "
                        "WHERE oid = 'dw.fact_bill'::regclass");

  aq_db_exec (db, "CREATE TABLE qt.few_bills (account_id text, period date, "
                  "PRIMARY KEY (account_id, period));"
                  "INSERT INTO qt.few_bills SELECT account_id, period FROM dw.fact_bill "
                  "ORDER BY 1, 2 LIMIT 2;"
                  "INSERT INTO qt.few_bills VALUES ('nobody', '2001-01-01');"
                  "ANALYZE qt.few_bills", &error);
  g_assert_no_error (error);
  g_assert_cmpint (bills, >, 10);
  g_ptr_array_add (rules, rule_from (RULE ("referential", "few_bills",
                                           "{\"columns\":[\"account_id\",\"period\"],\"ref\":"
                                           "{\"layer\":\"dw\",\"table\":\"fact_bill\","
                                           "\"columns\":[\"account_id\",\"period\"]}}")));
  aq_quality_options_init (&options);
  options.store = FALSE;
  options.max_samples = 0;
  for (int large = 0; large < 2; large++)
    {
      g_autoptr(AqQualityRun) run = NULL;

      /* the bills are large either way; the three referencing rows only with 1 */
      options.merge_min_rows = large ? 1 : 10;
      run = aq_quality_run_rules (db, rules, "test", &options, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (result_of (run, "t.referential")->failing, ==, 1);
      /* merged: the scan, then the merge's count */
      g_assert_cmpint (run->scans, ==, large ? 2 : 1);
    }
}

/* ---- versions ---- */

static void
test_version_keeps_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = rule_from (RULE ("range", "person", "{\"column\":\"amount\","
                                                                      "\"min\":0,\"max\":100}"));
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(AqQualityRun) first = NULL;
  g_autoptr(AqQualityRun) second = NULL;
  g_autoptr(GPtrArray) history = NULL;
  g_autoptr(AqQualityRule) old = NULL;
  AqQualityResult *h;

  g_assert_true (aq_quality_save_rule (db, rule, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rule->version, ==, 1);
  /* the same definition again: no new version */
  g_assert_true (aq_quality_save_rule (db, rule, &error));
  g_assert_cmpint (rule->version, ==, 1);
  g_ptr_array_add (rules, rule);
  first = aq_quality_run_rules (db, rules, "t.range", NULL, NULL, &error);
  g_assert_no_error (error);

  json_object_set_int_member (rule->args, "max", 2000);
  g_assert_true (aq_quality_save_rule (db, rule, &error));
  g_assert_cmpint (rule->version, ==, 2);
  second = aq_quality_run_rules (db, rules, "t.range", NULL, NULL, &error);
  g_assert_no_error (error);

  history = aq_quality_rule_history (db, "t.range", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (history->len, ==, 2);
  h = g_ptr_array_index (history, 0);
  g_assert_cmpint (h->rule_version, ==, 2);
  g_assert_cmpint (h->failing, ==, 1);
  h = g_ptr_array_index (history, 1);
  g_assert_cmpint (h->rule_version, ==, 1);
  g_assert_cmpint (h->failing, ==, 2);
  g_assert_cmpint (h->run_id, ==, first->run_id);
  old = aq_quality_get_rule (db, "t.range", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (old->args, "max"), ==, 100);
}

/* Volume against the rule's own history: a jump from the last run fails. */
static void
test_volume_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = rule_from ("{\"name\":\"t.vol\",\"layer\":\"qt\","
                                             "\"table\":\"monthly\",\"type\":\"volume\","
                                             "\"dimension\":\"volume\",\"severity\":\"fail\","
                                             "\"args\":{\"max_change_last\":0.5}}");
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  g_autoptr(AqQualityRun) a = NULL;
  g_autoptr(AqQualityRun) b = NULL;

  g_assert_true (aq_quality_save_rule (db, rule, &error));
  g_ptr_array_add (rules, rule);
  a = aq_quality_run_rules (db, rules, "t.vol", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->status, ==, "passed");
  g_assert_cmpfloat (((AqQualityResult *) g_ptr_array_index (a->results, 0))->measured, ==, 16);
  aq_db_exec (db, "INSERT INTO qt.monthly SELECT 6, 0, false FROM generate_series(1, 20)", &error);
  g_assert_no_error (error);
  b = aq_quality_run_rules (db, rules, "t.vol", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (b->status, ==, "failed");
  g_assert_true (aq_quality_run_has_failure (b));
  aq_db_exec (db, "DELETE FROM qt.monthly WHERE m = 6", &error);
}

static void
test_cancel_and_validate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) rules = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               aq_quality_rule_free);
  g_autoptr(JsonParser) parser = json_parser_new ();
  AqQualityRun *run;
  AqQualityOptions options;
  AqQualityRule *bad;

  g_ptr_array_add (rules, rule_from (DW_RULE ("not_null", "fact_bill", "{\"column\":\"qty\"}")));
  g_cancellable_cancel (cancellable);
  aq_quality_options_init (&options);
  options.store = FALSE;
  run = aq_quality_run_rules (db, rules, "x", &options, cancellable, &error);
  g_assert_null (run);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  json_parser_load_from_data (parser, RULE ("range", "person", "{\"column\":\"a b\"}"), -1, NULL);
  bad = aq_quality_rule_new_from_json (json_node_get_object (json_parser_get_root (parser)),
                                       NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
}

static void
test_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(JsonNode) node = aq_quality_profile (db, "qt.person", &suggestions, NULL, &error);
  JsonObject *o;
  gboolean unique_id = FALSE;

  g_assert_no_error (error);
  o = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (o, "rows"), ==, 4);
  for (guint i = 0; i < suggestions->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (suggestions, i);

      unique_id |= g_str_equal (r->name, "qt.person.id_unique");
    }
  g_assert_true (unique_id);
  g_clear_pointer (&node, json_node_unref);
  node = aq_quality_profile (db, "qt.nothing", NULL, NULL, &error);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
}

static JsonObject *
profile_column (JsonNode   *profile,
                const char *name)
{
  JsonArray *columns = json_object_get_array_member (json_node_get_object (profile), "columns");

  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *c = json_array_get_object_element (columns, i);

      if (g_str_equal (json_object_get_string_member (c, "column"), name))
        return c;
    }
  g_assert_not_reached ();
}

/* "value:count,…" of a column's top values or patterns */
static char *
profile_top (JsonObject *column,
             const char *member)
{
  JsonArray *a = json_object_get_array_member (column, member);
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonObject *o = json_array_get_object_element (a, i);

      g_string_append_printf (s, "%s%s:%" G_GINT64_FORMAT, i ? "," : "",
                              json_object_get_string_member (o, "value"),
                              json_object_get_int_member (o, "count"));
    }
  return g_string_free (s, FALSE);
}

static AqQualityRule *
find_suggestion (GPtrArray  *suggestions,
                 const char *name)
{
  for (guint i = 0; i < suggestions->len; i++)
    if (g_str_equal (((AqQualityRule *) g_ptr_array_index (suggestions, i))->name, name))
      return g_ptr_array_index (suggestions, i);
  return NULL;
}

static void
profile_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static AqQualityProfile *
profile_async (const char    *table,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autofree char *conninfo = aq_test_conninfo ("t_quality");
  g_autoptr(GAsyncResult) result = NULL;

  aq_quality_profile_async (conninfo, table, cancellable, profile_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return aq_quality_profile_finish (result, error);
}

/* The profile's top values and shapes, the rules they suggest, on a worker and cancelled. */
static void
test_profile_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AqQualityProfile) p = profile_async ("qt.person", NULL, &error);
  g_autofree char *name_top = NULL, *name_shapes = NULL, *meter_shapes = NULL;
  g_autofree char *kind_top = NULL, *id_top = NULL;
  AqQualityRule *r;
  JsonArray *values;
  g_autoptr(AqQualityRun) run = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  AqQualityOptions options;

  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (p->profile), "rows"), ==,
                   4);
  name_top = profile_top (profile_column (p->profile, "name"), "top_values");
  name_shapes = profile_top (profile_column (p->profile, "name"), "patterns");
  meter_shapes = profile_top (profile_column (p->profile, "meter_no"), "patterns");
  kind_top = profile_top (profile_column (p->profile, "kind"), "top_values");
  id_top = profile_top (profile_column (p->profile, "id"), "top_values");
  g_assert_cmpstr (name_top, ==, "A:2,B:1");
  g_assert_cmpstr (name_shapes, ==, "A:3");
  /* ab2012345678 has the same shape as AB2012345678 */
  g_assert_cmpstr (meter_shapes, ==, "AA9999999999:2,AA999999999:1");
  g_assert_cmpstr (kind_top, ==, "");  /* every value different: no top values */
  g_assert_cmpstr (id_top, ==, "");
  g_assert_cmpint (json_object_get_int_member (profile_column (p->profile, "name"), "nulls"),
                   ==, 1);

  /* repeating codes → allowed values, all of them; one shape → its pattern */
  r = find_suggestion (p->suggestions, "qt.person.name_accepted_values");
  g_assert_nonnull (r);
  values = json_object_get_array_member (r->args, "values");
  g_assert_cmpuint (json_array_get_length (values), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (values, 0), ==, "A");
  g_assert_cmpstr (json_array_get_string_element (values, 1), ==, "B");
  r = find_suggestion (p->suggestions, "qt.person.name_pattern");
  g_assert_nonnull (r);
  g_assert_cmpstr (json_object_get_string_member (r->args, "regex"), ==, "^[A-Za-z]$");
  g_assert_null (find_suggestion (p->suggestions, "qt.person.meter_no_pattern")); /* 2 of 3 */
  g_assert_null (find_suggestion (p->suggestions, "qt.person.kind_accepted_values"));
  g_assert_nonnull (find_suggestion (p->suggestions, "qt.person.id_not_null"));
  g_assert_nonnull (find_suggestion (p->suggestions, "qt.person.amount_range"));

  /* every suggestion is a valid rule that passes on the table it was read from */
  for (guint i = 0; i < p->suggestions->len; i++)
    g_ptr_array_add (rules, g_ptr_array_index (p->suggestions, i));
  aq_quality_options_init (&options);
  options.store = FALSE;
  run = aq_quality_run_rules (db, rules, "profile", &options, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *res = g_ptr_array_index (run->results, i);

      if (res->failing != 0 || !g_str_equal (res->status, "pass"))
        g_error ("%s: %s, %" G_GINT64_FORMAT " failing %s", res->rule_name, res->status,
                 res->failing, res->message ? res->message : "");
    }

  g_cancellable_cancel (cancellable);
  g_clear_pointer (&p, aq_quality_profile_free);
  p = profile_async ("qt.person", cancellable, &error);
  g_assert_null (p);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  p = profile_async ("qt.nothing", NULL, &error);
  g_assert_null (p);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
}

/* Columns whose values cannot be compared (json, xml, point, bytea, PostGIS geometry; arrays of
 * them) are profiled for nulls only, with a note, never an error; comparable neighbours (jsonb,
 * an enum, int[]) keep their distinct counts. The suggestions still run and pass. */
static void
test_profile_uncomparable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(AqQualityProfile) p = NULL;
  g_autoptr(AqQualityRun) run = NULL;
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  AqQualityOptions options;
  static const char * const uncomparable[] = {
    "doc", "page", "spot", "blob", "shape", "docs", NULL
  };

  aq_db_exec (db,
    "CREATE TYPE qt.mood AS ENUM ('calm', 'busy');"
    "CREATE TABLE qt.blobs (id int, doc json, docb jsonb, page xml, spot point, blob bytea,"
    "  shape geometry(Point, 4326), docs json[], mood qt.mood, tags int[]);"
    "INSERT INTO qt.blobs VALUES"
    " (1, '{\"a\": 1}', '{\"a\": 1}', '<a/>', '(1,2)', '\\x00', "
    "  ST_SetSRID(ST_MakePoint(119.3, 26.1), 4326), ARRAY['{}'::json], 'calm', '{1,2}'),"
    " (2, '{\"a\": 1}', '{\"a\": 2}', '<b/>', '(1,2)', '\\x0102', NULL, NULL, 'busy', '{1}'),"
    " (3, '[]', NULL, NULL, NULL, NULL, "
    "  ST_SetSRID(ST_MakePoint(119.3, 26.1), 4326), ARRAY['[]'::json], 'calm', NULL);",
    &error);
  g_assert_no_error (error);

  node = aq_quality_profile (db, "qt.blobs", &suggestions, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  for (guint i = 0; uncomparable[i]; i++)
    {
      JsonObject *c = profile_column (node, uncomparable[i]);
      g_autofree char *top = profile_top (c, "top_values");

      g_test_message ("%s: %s", uncomparable[i], json_object_get_string_member (c, "note"));
      g_assert_true (json_object_has_member (c, "note"));
      g_assert_nonnull (strstr (json_object_get_string_member (c, "note"), "cannot be compared"));
      g_assert_true (json_node_is_null (json_object_get_member (c, "distinct")));
      g_assert_null (json_object_get_string_member (c, "min"));
      g_assert_cmpstr (top, ==, "");
    }
  /* nulls are still counted, against SQL */
  g_assert_cmpint (json_object_get_int_member (profile_column (node, "doc"), "nulls"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (profile_column (node, "page"), "nulls"), ==,
                   count ("SELECT count(*) FILTER (WHERE page IS NULL) FROM qt.blobs"));
  g_assert_cmpint (json_object_get_int_member (profile_column (node, "shape"), "nulls"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (profile_column (node, "shape"), "type"), ==,
                   "geometry");
  /* comparable neighbours keep their figures */
  g_assert_false (json_object_has_member (profile_column (node, "docb"), "note"));
  g_assert_cmpint (json_object_get_int_member (profile_column (node, "docb"), "distinct"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (profile_column (node, "mood"), "distinct"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (profile_column (node, "tags"), "distinct"), ==, 2);
  /* not null still suggested for a full json column; unique never for one */
  g_assert_nonnull (find_suggestion (suggestions, "qt.blobs.doc_not_null"));
  g_assert_null (find_suggestion (suggestions, "qt.blobs.doc_unique"));
  g_assert_nonnull (find_suggestion (suggestions, "qt.blobs.id_unique"));
  for (guint i = 0; i < suggestions->len; i++)
    g_ptr_array_add (rules, g_ptr_array_index (suggestions, i));
  aq_quality_options_init (&options);
  options.store = FALSE;
  run = aq_quality_run_rules (db, rules, "profile", &options, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < run->results->len; i++)
    {
      AqQualityResult *res = g_ptr_array_index (run->results, i);

      if (!g_str_equal (res->status, "pass"))
        g_error ("%s: %s %s", res->rule_name, res->status, res->message ? res->message : "");
    }
  /* the same on the worker the editor uses */
  p = profile_async ("qt.blobs", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (profile_column (p->profile, "page"), "note"));
}

/* The scheduler's kind "quality": a passing set succeeds, a failing fail rule fails the job. */
static void
test_job_kind (void)
{
  g_autoptr(GError) error = NULL;
  const AqJobKind *kind = aq_job_kind_lookup ("quality");
  g_autofree char *conninfo = aq_test_conninfo ("t_quality");
  g_autofree char *log = NULL;
  gint64 runs = count ("SELECT count(*) FROM meta.quality_run");

  g_assert_nonnull (kind);
  g_assert_true (aq_job_kind_validate ("quality", "dm, dw", &error));
  g_assert_false (aq_job_kind_validate ("quality", "no way!", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);

  log = kind->run ("dm", conninfo, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "quality run"));
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_run WHERE trigger = 'schedule'"),
                   ==, 1);
  g_clear_pointer (&log, g_free);
  /* t.vol (fail severity) fails against its own history once the table jumps */
  aq_db_exec (db, "INSERT INTO qt.monthly SELECT 7, 0, false FROM generate_series(1, 40)", NULL);
  log = kind->run ("t.vol", conninfo, NULL, &error);
  g_assert_null (log);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "t.vol"));
  aq_db_exec (db, "DELETE FROM qt.monthly WHERE m = 7", NULL);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_run"), ==, runs + 2);
}

/* A pipeline's quality gate: a fail rule failing rolls the whole run back. */
static AqPipeline *
gate_pipeline (const char *select)
{
  g_autofree char *json = g_strdup_printf (
    "{\"name\": \"gated\", \"steps\": ["
    " {\"id\": \"in\", \"type\": \"table_input\", \"sql\": \"%s\"},"
    " {\"id\": \"out\", \"type\": \"table_output\", \"table\": \"qt.loaded\","
    "  \"mode\": \"append\"},"
    " {\"id\": \"gate\", \"type\": \"quality_gate\", \"rules\": [\"t.gate_positive\"]}],"
    " \"edges\": [{\"from\": \"in\", \"to\": \"out\"}, {\"from\": \"out\", \"to\": \"gate\"}]}",
    select);
  g_autoptr(GError) error = NULL;
  AqPipeline *pipeline = aq_pipeline_new_from_data (json, -1, NULL, &error);

  g_assert_no_error (error);
  return pipeline;
}

static void
test_gate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = rule_from ("{\"name\":\"t.gate_positive\",\"layer\":\"qt\","
                                             "\"table\":\"loaded\",\"type\":\"range\","
                                             "\"dimension\":\"validity\",\"severity\":\"fail\","
                                             "\"description\":\"Loaded values are not negative.\","
                                             "\"args\":{\"column\":\"v\",\"min\":0}}");
  g_autoptr(AqPipeline) bad = NULL;
  g_autoptr(AqPipeline) good = NULL;
  g_autoptr(AqPipelineRunner) runner = NULL;

  /* pipelines run as the data engineers' role (010_roles.sql): the fixture is theirs */
  aq_db_exec (db, "CREATE TABLE qt.loaded (id int, v int); INSERT INTO qt.loaded VALUES (0, 1);"
                  "GRANT USAGE ON SCHEMA qt TO aq_data_engineer;"
                  "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON qt.loaded TO aq_data_engineer",
              &error);
  g_assert_no_error (error);
  g_assert_true (aq_quality_save_rule (db, rule, &error));

  bad = gate_pipeline ("SELECT g AS id, g - 3 AS v FROM generate_series(1, 5) g");
  runner = aq_pipeline_runner_new (bad, db);
  g_assert_false (aq_pipeline_runner_run (runner, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "t.gate_positive"));
  g_assert_nonnull (strstr (error->message, "Loaded values are not negative."));
  g_clear_error (&error);
  /* nothing half-loaded: the target is as it was */
  g_assert_cmpint (count ("SELECT count(*) FROM qt.loaded"), ==, 1);
  g_clear_object (&runner);

  good = gate_pipeline ("SELECT g AS id, g AS v FROM generate_series(1, 5) g");
  runner = aq_pipeline_runner_new (good, db);
  g_assert_true (aq_pipeline_runner_run (runner, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM qt.loaded"), ==, 6);
}

/* One alert when a rule starts failing, none while it keeps failing, one when it passes. */
static void
test_alerts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRule) rule = rule_from ("{\"name\":\"t.alert\",\"layer\":\"qt\","
                                             "\"table\":\"monthly\",\"type\":\"range\","
                                             "\"dimension\":\"validity\",\"severity\":\"fail\","
                                             "\"args\":{\"column\":\"v\",\"max\":100}}");
  g_autoptr(GPtrArray) rules = g_ptr_array_new ();
  const char *steps[] = { "pass", "fail", "fail", "pass", "pass" };

  g_assert_true (aq_quality_save_rule (db, rule, &error));
  g_ptr_array_add (rules, rule);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(AqQualityRun) run = NULL;

      if (i == 1)
        aq_db_exec (db, "INSERT INTO qt.monthly VALUES (9, 500, false)", NULL);
      if (i == 3)
        aq_db_exec (db, "DELETE FROM qt.monthly WHERE m = 9", NULL);
      run = aq_quality_run_rules (db, rules, "t.alert", NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (((AqQualityResult *) g_ptr_array_index (run->results, 0))->status, ==,
                       steps[i]);
    }
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_alert WHERE rule_name = 't.alert'"),
                   ==, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_alert WHERE rule_name = 't.alert' "
                          "AND kind = 'failing' AND body LIKE '%1 of 17 rows%'"), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_alert WHERE rule_name = 't.alert' "
                          "AND kind = 'resolved'"), ==, 1);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.quality_incident "
                          "WHERE rule_name = 't.alert'"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-20T12:00:00+08:00", NULL);
  int ret;

  g_test_init (&argc, &argv, NULL);
  aq_clock_pin (now);

  {
    /* the demo of aq_test_demo_db_new, with the sudden drop and the extracts' small dirt
     * planted: at this scale they are off by default, as other tests read figures they move */
    g_autoptr(GError) error = NULL;
    AqSimulatorOptions options;

    db = aq_test_db_new ("t_quality", TRUE);
    aq_simulator_options_init (&options);
    options.accounts = 2000;
    options.months = 24;
    options.sudden_drop = 1;
    options.dirt = 1;
    aq_simulator_run (db, &options, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
    aq_demo_run_pipelines (db, NULL, NULL, NULL, &error);
    g_assert_no_error (error);
  }
  setup_fixture ();

  g_test_add_func ("/quality/types/fixture", test_types_fixture);
  g_test_add_func ("/quality/types/demo", test_types_demo);
  g_test_add_func ("/quality/one-scan", test_one_scan);
  g_test_add_func ("/quality/samples-masked", test_samples_masked);
  g_test_add_func ("/quality/samples-one-statement", test_samples_one_statement);
  g_test_add_func ("/quality/standard-set", test_standard_set);
  g_test_add_func ("/quality/shared-set-rules", test_shared_set_rules);
  g_test_add_func ("/quality/merge-needs-both-large", test_merge_needs_both_large);
  g_test_add_func ("/quality/version-history", test_version_keeps_history);
  g_test_add_func ("/quality/volume-history", test_volume_history);
  g_test_add_func ("/quality/cancel-validate", test_cancel_and_validate);
  g_test_add_func ("/quality/profile", test_profile);
  g_test_add_func ("/quality/profile-async", test_profile_async);
  g_test_add_func ("/quality/profile-uncomparable", test_profile_uncomparable);
  g_test_add_func ("/quality/job-kind", test_job_kind);
  g_test_add_func ("/quality/gate", test_gate);
  g_test_add_func ("/quality/alerts", test_alerts);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

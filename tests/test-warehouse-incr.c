/* test-warehouse-incr.c — one more month: appended to the sources, loaded by the same pipelines
 *
 * A demo of N months planned one month ahead, with one month appended (aq_simulator_append) and
 * the standard pipelines run again, must equal a demo of N + 1 months built from nothing: the
 * sources table by table, then every ods, dw and dm table, each compared both ways with
 * EXCEPT ALL (so duplicates count) on every column but the load's own (batch id, load time).
 * The reference is built first and copied aside into the schema aqref; the appended one is
 * built in its place in the same database.
 */
#include "aq-test-util.h"

#include <stdlib.h>
#include <string.h>

#include "aq-demo.h"
#include "aq-error.h"
#include "aq-migrations.h"
#include "aq-pipeline-runner.h"
#include "aq-simulator.h"

#define ACCOUNTS 400
#define MONTHS   13

static AqDb *db;

/* Columns that say when and in which batch a row was loaded, not what it holds. */
static gboolean
load_column (const char *name)
{
  static const char * const names[] = {
    "batch_id", "load_time", "loaded_at", "created_at", "run_id", "refreshed_at", "updated_at_load",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

/* The tables of the compared schemas, "schema.table", in order. */
static GPtrArray *
tables_of (const char *schema_pattern)
{
  g_autoptr(GError) error = NULL;
  const char *values[] = { schema_pattern };
  g_autoptr(PGresult) res = aq_db_query (db,
                                         "SELECT n.nspname || '.' || c.relname "
                                         "FROM pg_class c JOIN pg_namespace n "
                                         "  ON n.oid = c.relnamespace "
                                         "WHERE c.relkind IN ('r', 'p', 'm') "
                                         "  AND NOT c.relispartition "
                                         "  AND n.nspname ~ $1 ORDER BY 1",
                                         1, values, &error);
  GPtrArray *tables = g_ptr_array_new_with_free_func (g_free);

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (tables, g_strdup (PQgetvalue (res, i, 0)));
  return tables;
}

/* "dw.fact_bill" → aqref."dw__fact_bill" */
static char *
aside_name (const char *table)
{
  g_autofree char *flat = g_strdup (table);
  g_autofree char *name = NULL;
  g_autofree char *quoted = NULL;
  char *dot = strchr (flat, '.');

  *dot = '\0';
  name = g_strconcat (flat, "__", dot + 1, NULL);
  quoted = aq_db_quote_ident (name);
  return g_strconcat ("aqref.", quoted, NULL);
}

/* Copies every table of the compared schemas into aqref. */
static void
set_aside (void)
{
  g_autoptr(GPtrArray) tables = tables_of ("^(src_|ods$|dw$|dm$)");
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, "DROP SCHEMA IF EXISTS aqref CASCADE; CREATE SCHEMA aqref", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autofree char *aside = aside_name (table);
      g_autofree char *sql = g_strdup_printf ("CREATE TABLE %s AS TABLE %s", aside, table);

      aq_db_exec (db, sql, &error);
      g_assert_no_error (error);
    }
}

/* The columns of @table that hold data, as a select list (geometries as text, so that
 * EXCEPT can compare them). */
static char *
data_columns (const char *table)
{
  g_autoptr(GError) error = NULL;
  const char *values[] = { table };
  g_autoptr(PGresult) res = aq_db_query (db,
                                         "SELECT a.attname, format_type(a.atttypid, NULL) "
                                         "FROM pg_attribute a "
                                         "WHERE a.attrelid = $1::regclass AND a.attnum > 0 "
                                         "  AND NOT a.attisdropped ORDER BY a.attnum",
                                         1, values, &error);
  g_autoptr(GString) list = g_string_new (NULL);

  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *name = PQgetvalue (res, i, 0);
      const char *type = PQgetvalue (res, i, 1);
      g_autofree char *quoted = aq_db_quote_ident (name);

      if (load_column (name))
        continue;
      if (list->len)
        g_string_append (list, ", ");
      if (strcmp (type, "geometry") == 0 || strcmp (type, "json") == 0)
        g_string_append_printf (list, "%s::text", quoted);
      else
        g_string_append (list, quoted);
    }
  return g_string_free (g_steal_pointer (&list), FALSE);
}

/* Rows in one and not the other, both ways, for every table of the schemas: 0 each; and
 * the same tables on both sides (@aside_pattern: their names in aqref). */
static void
assert_same_tables (const char *schema_pattern,
                    const char *aside_pattern)
{
  g_autoptr(GPtrArray) tables = tables_of (schema_pattern);
  g_autoptr(GString) differing = g_string_new (NULL);
  guint compared = 0;

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      g_autofree char *aside = aside_name (table);
      g_autofree char *columns = data_columns (table);
      g_autofree char *sql = g_strdup_printf (
        "SELECT (SELECT count(*) FROM (SELECT %s FROM %s EXCEPT ALL SELECT %s FROM %s) x)"
        "    || '/' || "
        "       (SELECT count(*) FROM (SELECT %s FROM %s EXCEPT ALL SELECT %s FROM %s) y)"
        "    || '/' || (SELECT count(*) FROM %s)",
        columns, table, columns, aside, columns, aside, columns, table, table);
      g_autofree char *found = aq_test_query_string (db, sql);

      compared++;
      if (!g_str_has_prefix (found, "0/0/"))
        g_string_append_printf (differing, "%s%s (appended-only/rebuilt-only/rows %s)",
                                differing->len ? ", " : "", table, found);
    }
  g_test_message ("%u tables compared", compared);
  g_assert_cmpuint (compared, >, 0);
  g_assert_cmpstr (differing->str, ==, "");

  {
    const char *values[] = { aside_pattern };
    g_autoptr(GError) error = NULL;
    g_autoptr(PGresult) res = aq_db_query (db, "SELECT count(*) FROM pg_tables "
                                               "WHERE schemaname = 'aqref' AND tablename ~ $1",
                                           1, values, &error);

    g_assert_no_error (error);
    g_assert_cmpint (atoi (PQgetvalue (res, 0, 0)), ==, tables->len);
  }
}

static void
build (guint    months,
       guint    ahead,
       guint    last_month)
{
  g_autoptr(GError) error = NULL;
  AqSimulatorOptions options;

  aq_simulator_options_init (&options);
  options.accounts = ACCOUNTS;
  options.months = months;
  options.ahead = ahead;
  options.last_year = 2026;
  options.last_month = last_month;
  aq_demo_build (db, &options, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* What appending to the reference (planned only to its last month) answered. */
static GError *refusal;
static gint64 refused_tables;

static void
test_refused_without_months_ahead (void)
{
  g_assert_error (refusal, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_cmpint (refused_tables, ==, 0);
}

static void
test_sources_equal_a_longer_simulation (void)
{
  assert_same_tables ("^src_", "^src_");
}

static void
test_layers_equal_a_rebuild (void)
{
  assert_same_tables ("^(ods|dw|dm)$", "^(ods|dw|dm)__");
}

/* The rows the last run of @pipeline's @step wrote. */
static gint64
last_rows_out (const char *pipeline,
               const char *step)
{
  g_autofree char *sql = g_strdup_printf ("SELECT s.rows_out FROM meta.pipeline_step_run s "
                                          "JOIN meta.pipeline_run r USING (run_id) "
                                          "WHERE r.pipeline = '%s' AND s.step_id = '%s' "
                                          "ORDER BY r.run_id DESC LIMIT 1", pipeline, step);

  return aq_test_query_int64 (db, sql);
}

/* The facts that load incrementally wrote only the new month's rows after the append. */
static void
test_facts_load_only_the_new_month (void)
{
  gint64 bills = aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill "
                                          "WHERE period = '2026-10-01'");
  gint64 payments = aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_payment "
                                             "WHERE paid_at >= '2026-10-01'");

  g_assert_cmpint (bills, >, 0);
  g_assert_cmpint (payments, >, 0);
  g_assert_cmpint (last_rows_out ("dw_billing", "write_bill"), ==, bills);
  g_assert_cmpint (last_rows_out ("dw_payment", "write_payment"), ==, payments);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill"), >, 10 * bills);
}

/* The two other extracts that only grow, hotline calls and meter events, land in ods by their
 * ids (a day-prefixed number): the append copied the new month's rows, nothing before it. */
static void
test_calls_and_events_land_only_the_new_month (void)
{
  gint64 calls = aq_test_query_int64 (db, "SELECT count(*) FROM src_hotline.call_record "
                                          "WHERE start_time >= '2026-10-01'");
  gint64 events = aq_test_query_int64 (db, "SELECT count(*) FROM src_meter.meter_event "
                                           "WHERE event_date >= '2026-10-01'");

  g_assert_cmpint (calls, >, 0);
  g_assert_cmpint (events, >, 0);
  g_assert_cmpint (last_rows_out ("ods_service", "write_hotline_call"), ==, calls);
  g_assert_cmpint (last_rows_out ("ods_meter", "write_meter_event"), ==, events);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM ods.hotline_call"), >,
                   5 * calls);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM ods.hotline_call"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_hotline.call_record"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM ods.meter_event"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_meter.meter_event"));
}

/* The SMS load is incremental too (ods_service and dw_service by msg_id), and ods keeps only
 * its landing window of the three fact extracts (migration 050) while dw keeps every month. */
static void
test_sms_and_landing_window (void)
{
  gint64 messages = aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_sms "
                                             "WHERE sent_at >= '2026-10-01'");

  g_assert_cmpint (messages, >, 0);
  g_assert_cmpint (last_rows_out ("dw_service", "write_sms"), ==, messages);
  g_assert_cmpint (last_rows_out ("ods_service", "write_sms_log"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_sms.sms_log "
                                            "WHERE submit_time >= '2026-10-01'"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(DISTINCT period) "
                                            "FROM ods.billing_bill"), ==, 3);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(DISTINCT period) "
                                            "FROM dw.fact_bill"), ==, MONTHS + 1);
}

/* dw.fact_bill_open holds what independent SQL finds: the bills their account's payments for
 * their month do not cover (within half a fen), each once with what was paid; none of the
 * others. (/warehouse-incr/layers compares it with the rebuild's too.) */
static void
test_open_bills_match_the_payments (void)
{
  static const char expected[] =
    "SELECT b.period, b.due_date, b.account_id, b.amount, coalesce(sum(p.amount), 0) AS paid"
    "  FROM dw.fact_bill b"
    "  LEFT JOIN dw.fact_payment p ON p.account_id = b.account_id AND p.period = b.period"
    " GROUP BY b.period, b.due_date, b.account_id, b.amount"
    " HAVING b.amount - coalesce(sum(p.amount), 0) > 0.005";
  static const char stored[] =
    "SELECT period, due_date, account_id, amount, paid FROM dw.fact_bill_open";
  g_autofree char *one = g_strdup_printf ("SELECT count(*) FROM (%s EXCEPT ALL %s) x",
                                          expected, stored);
  g_autofree char *other = g_strdup_printf ("SELECT count(*) FROM (%s EXCEPT ALL %s) x",
                                            stored, expected);
  gint64 open = aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill_open");

  /* some open (the comparison had something to compare), most not */
  g_assert_cmpint (open, >, 0);
  g_assert_cmpint (open * 4, <, aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill"));
  g_assert_cmpint (aq_test_query_int64 (db, one), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, other), ==, 0);
  /* open bills of an older month and of the new one */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill_open"
                                            " WHERE period < '2026-09-01'"), >, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill_open"
                                            " WHERE period = '2026-10-01'"), >, 0);
  /* the month examined last: the newest bills' */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.pipeline_watermark"
                                            " WHERE pipeline = 'dw_payment'"
                                            "   AND step_id = 'settle'"
                                            "   AND value = '2026-10-01'"), ==, 1);
}

/* The append's load rewrote the open bills among the new month's and the older bills the new
 * payments paid, nothing else (those rows carry the load's transaction id); and the bills open
 * before it that its payments settled left the table. */
static void
test_open_bills_load_only_what_changed (void)
{
  static const char touched[] =
    "SELECT account_id, period FROM dw.fact_bill WHERE period = '2026-10-01'"
    " UNION "
    "SELECT p.account_id, p.period FROM dw.fact_payment p"
    "  JOIN dw.fact_bill b USING (account_id, period)"
    " WHERE p.paid_at >= '2026-10-01'";
  g_autofree char *touched_open = g_strdup_printf (
    "SELECT count(*) FROM dw.fact_bill_open o"
    " WHERE (o.account_id, o.period) IN (%s)", touched);
  gint64 written = aq_test_query_int64 (db,
    "SELECT count(*) FROM dw.fact_bill_open"
    " WHERE xmin::text = (SELECT xmin::text FROM dw.fact_bill_open"
    "                      WHERE period = '2026-10-01' LIMIT 1)");
  /* open before the append (its payments from before the new month fall short), paid since */
  gint64 settled = aq_test_query_int64 (db,
    "SELECT count(*) FROM dw.fact_bill b"
    " WHERE b.period < '2026-10-01'"
    "   AND b.amount - (SELECT coalesce(sum(p.amount), 0) FROM dw.fact_payment p"
    "                    WHERE p.account_id = b.account_id AND p.period = b.period"
    "                      AND p.paid_at < '2026-10-01') > 0.005"
    "   AND NOT EXISTS (SELECT 1 FROM dw.fact_bill_open o"
    "                    WHERE o.account_id = b.account_id AND o.period = b.period)");

  g_assert_cmpint (written, >, 0);
  g_assert_cmpint (written, ==, aq_test_query_int64 (db, touched_open));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM dw.fact_bill_open"), >,
                   written);
  g_assert_cmpint (settled, >, 0);
}

/* A warehouse loaded before 059 holds every call and meter event in ods but has no watermark
 * for them: 059 sets each to the newest row held, and the next loads append nothing twice.
 * (Last: it runs the two ods pipelines again, which, with nothing new, changes no row.) */
static void
test_059_gives_loaded_warehouses_their_watermarks (void)
{
  g_autoptr(GError) error = NULL;
  guint applied = 0;

  aq_db_exec (db, "DELETE FROM meta.pipeline_watermark"
                  " WHERE (pipeline, step_id) IN (('ods_service', 'read_hotline_call'),"
                  "                               ('ods_meter', 'read_meter_event'));"
                  "DELETE FROM meta.migration WHERE name = '059_ods_call_event_watermarks.sql'",
              &error);
  g_assert_no_error (error);
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT value::bigint FROM meta.pipeline_watermark"
                                            " WHERE pipeline = 'ods_service'"
                                            "   AND step_id = 'read_hotline_call'"), ==,
                   aq_test_query_int64 (db, "SELECT max(call_id) FROM src_hotline.call_record"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT value::bigint FROM meta.pipeline_watermark"
                                            " WHERE pipeline = 'ods_meter'"
                                            "   AND step_id = 'read_meter_event'"), ==,
                   aq_test_query_int64 (db, "SELECT max(event_id) FROM src_meter.meter_event"));

  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "ods_service" : "ods_meter";
      g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (name, &error);

      g_assert_no_error (error);
      g_assert_true (aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL,
                                                      &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (last_rows_out ("ods_service", "write_hotline_call"), ==, 0);
  g_assert_cmpint (last_rows_out ("ods_meter", "write_meter_event"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM ods.hotline_call"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_hotline.call_record"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM ods.meter_event"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM src_meter.meter_event"));
}

/* The command line refuses what does not go together, before touching a warehouse. */
static void
test_cli_options (void)
{
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  int status = 0;

  g_free (aq_test_ctl (&status, &err, "demo", "simulate", "--append-month", "--scale", "500",
                       NULL));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "aqueductctl: --append-month takes its options"));
  g_free (aq_test_ctl (&status, &err2, "demo", "simulate", "--load", NULL));
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err2, "aqueductctl: --load goes with --append-month"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  AqSimulatorOptions appended;
  int ret;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new ("t_warehouse_incr", TRUE);

  /* the reference: N + 1 months from nothing, to 2026-10 */
  build (MONTHS + 1, 0, 10);
  set_aside ();
  g_assert_false (aq_simulator_append (db, &appended, NULL, NULL, NULL, NULL, &refusal));
  refused_tables = aq_test_query_int64 (db, "SELECT count(*) FROM pg_tables "
                                       "WHERE schemaname = 'src_billing' "
                                       "AND tablename = 'bill_202611'");

  /* N months to 2026-09 planned a month ahead, then 2026-10 appended and loaded */
  build (MONTHS, 1, 9);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_tables "
                                       "WHERE schemaname = 'src_billing' "
                                       "AND tablename = 'bill_202610'"), ==, 0);
  aq_simulator_append (db, &appended, NULL, NULL, NULL, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (appended.months, ==, MONTHS + 1);
  g_assert_cmpuint (appended.ahead, ==, 0);
  g_assert_cmpuint (appended.last_month, ==, 10);
  aq_demo_run_pipelines (db, NULL, NULL, NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/warehouse-incr/cli-options", test_cli_options);
  g_test_add_func ("/warehouse-incr/refused-without-months-ahead",
                   test_refused_without_months_ahead);
  g_test_add_func ("/warehouse-incr/sources", test_sources_equal_a_longer_simulation);
  g_test_add_func ("/warehouse-incr/layers", test_layers_equal_a_rebuild);
  g_test_add_func ("/warehouse-incr/facts-load-only-the-new-month",
                   test_facts_load_only_the_new_month);
  g_test_add_func ("/warehouse-incr/calls-and-events-land-only-the-new-month",
                   test_calls_and_events_land_only_the_new_month);
  g_test_add_func ("/warehouse-incr/sms-and-landing-window", test_sms_and_landing_window);
  g_test_add_func ("/warehouse-incr/open-bills", test_open_bills_match_the_payments);
  g_test_add_func ("/warehouse-incr/open-bills-load-only-what-changed",
                   test_open_bills_load_only_what_changed);
  g_test_add_func ("/warehouse-incr/059-watermarks-for-loaded-warehouses",
                   test_059_gives_loaded_warehouses_their_watermarks);
  ret = g_test_run ();
  g_clear_error (&refusal);
  g_clear_object (&db);
  return ret;
}

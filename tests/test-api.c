/* test-api.c — data APIs against the demo warehouse: templates bound (never spliced), the
 * standard APIs against independent SQL, keyset pages, masking, versions, grants, the call log
 *
 * The APIs run on a connection of their own prepared as the daemon prepares its pool
 * (aq_api_session_prepare: SET ROLE aq_api, read-only), so what is checked here is what a
 * caller gets.
 */
#include "aq-test-util.h"

#include <string.h>

static AqDb *db;       /* the owner's connection: independent SQL, publishing */
static AqDb *api_db;   /* as aq_api */
static char *account;  /* an account with bills, payments and a meter */

static JsonObject *
object_from (const char *json)
{
  return aq_test_parse_object (json);
}

/* Runs @name (published version) with @input; the answer's page, or NULL with @error. */
static AqApiPage *
call (const char  *name,
      const char  *input_json,
      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(AqApi) api = aq_api_load (db, name, 0, &local_error);
  g_autoptr(JsonObject) input = object_from (input_json);
  g_autoptr(AqApiBound) bound = NULL;

  g_assert_no_error (local_error);
  bound = aq_api_bind (api, input, error);
  if (bound == NULL)
    return NULL;
  return aq_api_run (api_db, bound, error);
}

static JsonArray *
rows_of (AqApiPage *page)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, page->data->str, page->data->len, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static gint64
total_of (const char *name,
          const char *input_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiPage) page = call (name, input_json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page->total;
}

static gint64
count_sql (const char *sql,
           const char *param)
{
  return aq_test_count1 (db, sql, param);
}

/* ---- templates ---- */

static AqApi *
api_from (const char *definition)
{
  g_autoptr(JsonObject) object = object_from (definition);
  g_autoptr(GError) error = NULL;
  AqApi *api = aq_api_new ("t", "test", "T", "", "sql", "external", 1, object, &error);

  g_assert_no_error (error);
  return api;
}

static void
test_template_bind (void)
{
  g_autoptr(AqApi) api = api_from (
    "{\"sql\": \"SELECT period, amount FROM dw.fact_bill WHERE account_id = :account"
    " AND ':not_a_param' <> '' [[AND period >= :from]] -- :comment\\n AND amount::text <> ''\","
    " \"params\": [{\"name\": \"account\", \"type\": \"text\", \"required\": true},"
    "              {\"name\": \"from\", \"type\": \"month\"}],"
    " \"page_key\": \"period\", \"page_key_type\": \"date\", \"max_page_size\": 50}");
  g_autoptr(JsonObject) without = object_from ("{\"account\": \"x'; DROP TABLE t; --\"}");
  g_autoptr(JsonObject) with = object_from ("{\"account\": \"A1\", \"from\": \"2026-03\","
                                            " \"page_size\": 7}");
  g_autoptr(JsonObject) too_big = object_from ("{\"account\": \"A1\", \"page_size\": 51}");
  g_autoptr(JsonObject) unknown = object_from ("{\"account\": \"A1\", \"form\": \"2026-03\"}");
  g_autoptr(JsonObject) missing = object_from ("{\"from\": \"2026-03\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiBound) a = aq_api_bind (api, without, &error);
  g_autoptr(AqApiBound) b = NULL;

  g_assert_no_error (error);
  /* the value is a parameter, never in the text; the optional clause is gone */
  g_assert_null (strstr (a->sql, "DROP"));
  g_assert_nonnull (strstr (a->sql, "account_id = ($1::text)"));
  g_assert_null (strstr (a->sql, "period >="));
  g_assert_nonnull (strstr (a->sql, "':not_a_param'"));
  g_assert_nonnull (strstr (a->sql, "amount::text"));
  g_assert_cmpstr (g_ptr_array_index (a->values, 0), ==, "x'; DROP TABLE t; --");
  g_assert_cmpuint (a->page_size, ==, 20);
  g_assert_cmpstr (g_ptr_array_index (a->values, 1), ==, "21");   /* one more: a next page? */

  b = aq_api_bind (api, with, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (b->sql, "period >= ($2::date)"));
  g_assert_cmpstr (g_ptr_array_index (b->values, 1), ==, "2026-03-01");
  g_assert_cmpuint (b->page_size, ==, 7);

  g_assert_null (aq_api_bind (api, too_big, &error));
  g_assert_error (error, AQ_API_ERROR, AQ_API_BAD_PAGE);
  g_clear_error (&error);
  g_assert_null (aq_api_bind (api, unknown, &error));
  g_assert_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM);
  g_clear_error (&error);
  g_assert_null (aq_api_bind (api, missing, &error));
  g_assert_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM);
}

static void
test_template_refused (void)
{
  static const char *bad[] = {
    /* undeclared parameter */
    "{\"sql\": \"SELECT 1 AS k WHERE :x = 1\", \"params\": [], \"page_key\": \"k\"}",
    /* an optional parameter outside [[ ]] would bind NULL silently */
    "{\"sql\": \"SELECT 1 AS k WHERE :x = 1\", \"params\": [{\"name\":\"x\",\"type\":\"text\"}],"
    " \"page_key\": \"k\"}",
    /* two statements */
    "{\"sql\": \"SELECT 1 AS k; DELETE FROM meta.api\", \"params\": [], \"page_key\": \"k\"}",
    /* positional parameters */
    "{\"sql\": \"SELECT $1 AS k\", \"params\": [], \"page_key\": \"k\"}",
    /* unknown type, unterminated quote, no page key */
    "{\"sql\": \"SELECT 1 AS k WHERE :x\", \"params\": [{\"name\":\"x\",\"type\":\"blob\"}],"
    " \"page_key\": \"k\"}",
    "{\"sql\": \"SELECT 'a AS k\", \"params\": [], \"page_key\": \"k\"}",
    "{\"sql\": \"SELECT 1 AS k\", \"params\": []}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonObject) object = object_from (bad[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(AqApi) api = aq_api_new ("t", "test", "T", "", "sql", "external", 1, object,
                                         &error);

      g_assert_null (api);
      g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    }
}

/* SQL meta-characters in every parameter type: refused by the type, or bound as data. */
static void
test_meta_characters (void)
{
  static const char *evil[] = {
    "'", "''; DROP TABLE meta.api; --", "\\", "1 OR 1=1", "$1", "); SELECT pg_sleep(10); --",
    "%", "_", "\"", "[[", ":account", "1e400", "2026-01-01'", "\xe6\xb0\xb4'--",
  };
  g_autoptr(AqApi) api = api_from (
    "{\"sql\": \"SELECT account_id, period FROM dw.fact_bill WHERE account_id = :t"
    " [[AND qty = :i]] [[AND amount = :n]] [[AND period = :d]] [[AND period = :m]]"
    " [[AND read_date >= :ts]] [[AND read_status = :e]] [[AND account_id = ANY(:l)]]\","
    " \"params\": [{\"name\": \"t\", \"type\": \"text\", \"required\": true},"
    "  {\"name\": \"i\", \"type\": \"integer\"}, {\"name\": \"n\", \"type\": \"numeric\"},"
    "  {\"name\": \"d\", \"type\": \"date\"}, {\"name\": \"m\", \"type\": \"month\"},"
    "  {\"name\": \"ts\", \"type\": \"timestamp\"},"
    "  {\"name\": \"e\", \"type\": \"enumeration\", \"values\": [\"valid\", \"estimated\"]},"
    "  {\"name\": \"l\", \"type\": \"list\"}],"
    " \"page_key\": \"period\", \"page_key_type\": \"date\"}");
  static const char *typed[] = { "i", "n", "d", "m", "ts", "e" };
  gint64 apis_before = count_sql ("SELECT count(*) FROM meta.api", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (evil); i++)
    {
      g_autoptr(JsonObject) input = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(AqApiBound) bound = NULL;
      g_autoptr(AqApiPage) page = NULL;
      JsonArray *list = json_array_new ();

      /* text and list: bound, the query runs and finds nothing */
      json_object_set_string_member (input, "t", evil[i]);
      json_array_add_string_element (list, evil[i]);
      json_array_add_string_element (list, account);
      json_object_set_array_member (input, "l", list);
      bound = aq_api_bind (api, input, &error);
      g_assert_no_error (error);
      g_assert_null (strstr (bound->sql, evil[i][0] == '\'' ? evil[i] : "DROP"));
      page = aq_api_run (api_db, bound, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->rows, ==, 0);

      /* every other type refuses it */
      for (guint j = 0; j < G_N_ELEMENTS (typed); j++)
        {
          g_autoptr(JsonObject) typed_input = json_object_new ();
          g_autoptr(AqApiBound) refused = NULL;

          json_object_set_string_member (typed_input, "t", account);
          json_object_set_string_member (typed_input, typed[j], evil[i]);
          refused = aq_api_bind (api, typed_input, &error);
          g_assert_null (refused);
          g_assert_error (error, AQ_API_ERROR, AQ_API_BAD_PARAM);
          g_clear_error (&error);
        }
    }
  g_assert_cmpint (count_sql ("SELECT count(*) FROM meta.api", NULL), ==, apis_before);
}

/* ---- the standard APIs ---- */

static void
test_standard_billing (void)
{
  g_autofree char *in = g_strdup_printf ("{\"account\": \"%s\", \"count\": true}", account);
  g_autofree char *year = aq_test_text1 (db, "SELECT extract(year FROM max(period))::int::text"
                                         " FROM dw.fact_bill WHERE account_id = $1", account);
  g_autofree char *in_year = g_strdup_printf ("{\"account\": \"%s\", \"year\": %s}", account,
                                              year);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiPage) summary = NULL;
  g_autoptr(JsonArray) rows = NULL;
  JsonObject *row;
  g_autofree char *expect_qty = NULL;
  g_autofree char *expect_owed = NULL;
  g_autoptr(AqApiPage) receivables = NULL;
  double owed = 0;

  g_assert_cmpint (total_of ("bill_details", in), ==,
                   count_sql ("SELECT count(*) FROM dw.fact_bill WHERE account_id = $1", account));
  g_assert_cmpint (total_of ("payments", in), ==,
                   count_sql ("SELECT count(*) FROM dw.fact_payment WHERE account_id = $1",
                              account));
  g_assert_cmpint (total_of ("withholding", in), ==,
                   count_sql ("SELECT count(*) FROM dw.fact_payment WHERE account_id = $1"
                              " AND channel = 'bank'", account));
  g_assert_cmpint (total_of ("meter_info", in), ==,
                   count_sql ("SELECT count(*) FROM dw.dim_meter WHERE account_id = $1",
                              account));
  g_assert_cmpint (total_of ("customer_profile", in), ==, 1);

  /* receivables: what is owed, summed independently */
  receivables = call ("bill_receivables", in, &error);
  g_assert_no_error (error);
  rows = rows_of (receivables);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    owed += json_object_get_double_member (json_array_get_object_element (rows, i), "owed");
  g_clear_pointer (&rows, json_array_unref);
  expect_owed = aq_test_text1 (db,
    "SELECT coalesce(sum(b.amount - coalesce(p.paid, 0)), 0)::text FROM dw.fact_bill b"
    " LEFT JOIN (SELECT period, sum(amount) AS paid FROM dw.fact_payment WHERE account_id = $1"
    "  GROUP BY period) p USING (period)"
    " WHERE b.account_id = $1 AND b.amount > coalesce(p.paid, 0)", account);
  g_assert_cmpfloat_with_epsilon (owed, g_ascii_strtod (expect_owed, NULL), 0.005);

  summary = call ("annual_bill_summary", in_year, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (summary->rows, ==, 1);
  rows = rows_of (summary);
  row = json_array_get_object_element (rows, 0);
  expect_qty = aq_test_text1 (db, "SELECT sum(qty)::text FROM dw.fact_bill WHERE account_id = $1"
                              " AND extract(year FROM period) = (SELECT extract(year FROM"
                              "  max(period)) FROM dw.fact_bill WHERE account_id = $1)", account);
  g_assert_cmpint (json_object_get_int_member (row, "total_qty"), ==,
                   g_ascii_strtoll (expect_qty, NULL, 10));
  g_assert_true (json_object_has_member (row, "credit_grade"));
  g_assert_true (json_object_has_member (row, "surcharge"));
}

static void
test_standard_nrw_and_city (void)
{
  g_autofree char *zone = aq_test_text1 (db, "SELECT level1_code FROM dw.dim_dma_zone"
                                         " WHERE level = 3 ORDER BY zone_code LIMIT 1", NULL);
  g_autofree char *month = aq_test_text1 (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                          " FROM dw.fact_bill", NULL);
  g_autofree char *in_zone = g_strdup_printf ("{\"zone\": \"%s\", \"count\": true}", zone);
  g_autofree char *in_zm = g_strdup_printf ("{\"zone\": \"%s\", \"month\": \"%s\","
                                            " \"count\": true}", zone, month);
  g_autofree char *in_level = g_strdup_printf ("{\"level\": \"1\", \"month\": \"%s\","
                                               " \"count\": true}", month);
  const char *zone_accounts =
    "SELECT count(*) FROM dw.dim_account a JOIN dw.dim_dma_zone z ON z.zone_code = a.dma3_code"
    " WHERE z.level1_code = $1";
  g_autofree char *with_month = g_strdup_printf (
    "SELECT count(*) FROM dw.dim_account a JOIN dw.dim_dma_zone z ON z.zone_code = a.dma3_code"
    " JOIN dw.fact_bill b ON b.account_id = a.account_id AND b.period = '%s-01'"
    " WHERE z.level1_code = $1", month);
  g_autofree char *level_sql = g_strdup_printf (
    "SELECT count(*) FROM dm.cube_nrw_monthly WHERE level = 1 AND period = '%s-01'", month);
  gint64 outages_expected = count_sql ("SELECT count(*) FROM dw.fact_outage"
                                       " WHERE status IN ('active', 'planned')", NULL);
  gint64 accounts = count_sql ("SELECT count(*) FROM dw.dim_account", NULL);

  g_assert_cmpint (total_of ("nrw_zone_accounts", in_zone), ==, count_sql (zone_accounts, zone));
  g_assert_cmpint (total_of ("nrw_zone_accounts", in_zone), >, 0);
  g_assert_cmpint (total_of ("nrw_zone_readings", in_zm), ==, count_sql (with_month, zone));
  g_assert_cmpint (total_of ("nrw_zone_volumes", in_level), ==, count_sql (level_sql, NULL));
  g_assert_cmpint (total_of ("outages", "{\"count\": true}"), ==, outages_expected);
  g_assert_cmpint (total_of ("outages", "{\"status\": \"finished\", \"count\": true}"), ==,
                   count_sql ("SELECT count(*) FROM dw.fact_outage WHERE status = 'finished'",
                              NULL));
  g_assert_cmpint (total_of ("customer_totals", "{\"count\": true}"), ==,
                   count_sql ("SELECT count(DISTINCT customer_type) FROM dw.dim_account", NULL));
  g_assert_cmpint (total_of ("hydraulic_accounts",
                             "{\"since\": \"2020-01-01T00:00:00+08:00\", \"count\": true}"), ==,
                   count_sql ("SELECT count(*) FROM dw.dim_account a JOIN dw.dim_customer c"
                              " ON c.customer_id = a.customer_id"
                              " WHERE c.updated_at >= '2020-01-01 00:00'", NULL));
  g_assert_cmpint (accounts, >, 0);
  g_assert_cmpint (total_of ("hydraulic_readings", "{\"since\": \"2000-01-01\", \"count\": true}"),
                   ==, count_sql ("SELECT count(*) FROM dw.fact_bill WHERE read_date IS NOT NULL",
                                  NULL));
  g_assert_cmpint (total_of ("hydraulic_zone_volumes", "{\"since\": \"2000-01\", \"count\": true}"),
                   ==, count_sql ("SELECT count(*) FROM dw.fact_dma_inflow", NULL));
  g_assert_cmpint (total_of ("work_orders",
                             "{\"since\": \"2000-01-01T00:00:00Z\", \"count\": true}"), ==,
                   count_sql ("SELECT count(*) FROM dw.fact_work_order", NULL));
}

/* The phone lookup finds the customer's accounts; the profile's mobile comes back masked. */
static void
test_standard_customer_masked (void)
{
  g_autofree char *phone = aq_test_text1 (db,
    "SELECT c.value FROM dw.contact c JOIN dw.dim_account a ON a.customer_id = c.customer_id"
    " WHERE c.kind = 'mobile' AND a.account_id = $1 LIMIT 1", account);
  g_autofree char *raw = aq_test_text1 (db, "SELECT mobile FROM dm.customer_profile"
                                        " WHERE account_id = $1", account);
  g_autofree char *in_phone = g_strdup_printf ("{\"phone\": \"%s\", \"count\": true}", phone);
  g_autofree char *in = g_strdup_printf ("{\"account\": \"%s\"}", account);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiPage) page = NULL;
  g_autoptr(JsonArray) rows = NULL;
  g_autoptr(AqApi) api = NULL;
  g_autoptr(JsonObject) personal = object_from (
    "{\"sql\": \"SELECT customer_id, mobile FROM dw.dim_customer WHERE customer_id = :c\","
    " \"params\": [{\"name\": \"c\", \"type\": \"text\", \"required\": true}],"
    " \"page_key\": \"customer_id\"}");

  g_assert_nonnull (phone);
  g_assert_cmpint (total_of ("customer_lookup", in_phone), ==,
                   count_sql ("SELECT count(*) FROM dw.dim_account WHERE customer_id IN"
                              " (SELECT customer_id FROM dw.contact WHERE value = $1)", phone));
  page = call ("customer_profile", in, &error);
  g_assert_no_error (error);
  rows = rows_of (page);
  if (raw)
    {
      const char *mobile = json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                          "mobile");

      g_assert_cmpstr (mobile, !=, raw);
      g_assert_nonnull (strstr (mobile, "****"));
    }
  g_assert_null (strstr (page->data->str, raw ? raw : "\x01"));

  /* an API that reads personal data unmasked is refused when published */
  g_assert_cmpint (aq_api_publish (db, "personal_leak", "test", "Leak", "", "sql", personal,
                                   NULL, &error), ==, 0);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (count_sql ("SELECT count(*) FROM meta.api WHERE name = 'personal_leak'",
                              NULL), ==, 0);
  /* and refused when run, whatever got into the table */
  api = aq_api_new ("personal_leak", "t", "t", "", "sql", "external", 1, personal, &error);
  g_assert_no_error (error);
  {
    g_autoptr(JsonObject) input = object_from ("{\"c\": \"x\"}");
    g_autoptr(AqApiBound) bound = aq_api_bind (api, input, &error);
    g_autoptr(AqApiPage) leak = NULL;

    g_assert_no_error (error);
    leak = aq_api_run (api_db, bound, &error);
    g_assert_null (leak);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  }
}

/* Keyset pages: every row once, in order, the last page without a next. */
static void
test_paging (void)
{
  gint64 expected = count_sql ("SELECT count(*) FROM dw.fact_bill WHERE account_id = $1",
                               account);
  g_autofree char *cursor = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;
  guint pages = 0;

  g_assert_cmpint (expected, >, 5);
  do
    {
      g_autofree char *in = cursor
        ? g_strdup_printf ("{\"account\": \"%s\", \"page_size\": 5, \"cursor\": \"%s\"}",
                           account, cursor)
        : g_strdup_printf ("{\"account\": \"%s\", \"page_size\": 5}", account);
      g_autoptr(GError) error = NULL;
      g_autoptr(AqApiPage) page = call ("bill_details", in, &error);
      g_autoptr(JsonArray) rows = NULL;

      g_assert_no_error (error);
      rows = rows_of (page);
      g_assert_cmpuint (page->rows, <=, 5);
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          const char *period = json_object_get_string_member (
            json_array_get_object_element (rows, i), "period");

          /* newest first */
          if (previous)
            g_assert_cmpstr (period, <, previous);
          g_free (previous);
          previous = g_strdup (period);
          g_assert_true (g_hash_table_add (seen, g_strdup (period)));
        }
      g_free (cursor);
      cursor = g_strdup (page->next);
      pages++;
    }
  while (cursor);
  g_assert_cmpint (g_hash_table_size (seen), ==, expected);
  g_assert_cmpuint (pages, ==, (expected + 4) / 5);
}

/* ---- versions, apps, grants, the log ---- */

static void
test_publish_and_grants (void)
{
  g_autoptr(JsonObject) v1 = object_from (
    "{\"sql\": \"SELECT zone_code, name FROM dw.dim_dma_zone WHERE level = :level\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true}],"
    " \"page_key\": \"zone_code\"}");
  g_autoptr(JsonObject) v2 = object_from (
    "{\"sql\": \"SELECT zone_code, name, parent_code FROM dw.dim_dma_zone WHERE level = :level\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true}],"
    " \"page_key\": \"zone_code\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiApp) app = NULL;
  g_autoptr(AqApiCatalog) catalog = NULL;
  g_autoptr(AqApi) loaded = NULL;
  const AqApiGrant *grant;
  gint64 audits = count_sql ("SELECT count(*) FROM meta.audit_log WHERE action LIKE 'api.%'",
                             NULL);

  g_assert_cmpint (aq_api_publish (db, "zones", "network", "Zones", "DMA zones", "sql", v1,
                                   "first", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (aq_api_publish (db, "zones", "network", "Zones", "DMA zones", "sql", v2,
                                   "parent too", &error), ==, 2);
  g_assert_no_error (error);
  loaded = aq_api_load (db, "zones", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (loaded->version, ==, 2);
  g_assert_true (aq_api_rollback (db, "zones", 1, &error));
  g_assert_no_error (error);
  g_clear_pointer (&loaded, aq_api_unref);
  loaded = aq_api_load (db, "zones", 0, &error);
  g_assert_cmpint (loaded->version, ==, 1);
  g_assert_false (aq_api_rollback (db, "zones", 9, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  app = aq_api_app_add (db, "wechat", "WeChat account", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (app->secret), ==, 64);
  g_assert_true (aq_api_grant_request (db, "wechat", "zones", "show zones to customers", &error));
  g_assert_no_error (error);
  g_assert_false (aq_api_grant_request (db, "wechat", "nothing", "why", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (aq_api_grant_decide (db, "wechat", "zones", "approved", 5, 100, 0, NULL,
                                      &error));
  g_assert_no_error (error);

  catalog = aq_api_catalog_load (db, &error);
  g_assert_no_error (error);
  g_assert_nonnull (g_hash_table_lookup (catalog->apis, "zones"));
  g_assert_nonnull (g_hash_table_lookup (catalog->apis, "bill_details"));
  grant = aq_api_catalog_grant (catalog, app->app_key, "zones");
  g_assert_nonnull (grant);
  g_assert_cmpstr (grant->status, ==, "approved");
  g_assert_cmpuint (grant->per_second, ==, 5);
  g_assert_cmpstr (grant->reason, ==, "show zones to customers");

  g_assert_true (aq_api_grant_decide (db, "wechat", "zones", "revoked", 0, 0, 0, "ended",
                                      &error));
  g_assert_cmpstr (aq_test_text1 (db, "SELECT status FROM meta.api_grant WHERE api = 'zones'",
                                  NULL), ==, "revoked");
  /* publish ×2, rollback, app, request, approve, revoke */
  g_assert_cmpint (count_sql ("SELECT count(*) FROM meta.audit_log WHERE action LIKE 'api.%'",
                              NULL), ==, audits + 7);
  g_assert_cmpint (count_sql ("SELECT count(*) FROM meta.audit_log"
                              " WHERE action = 'api.grant.approved'"
                              " AND detail->>'per_day' = '100'", NULL), ==, 1);
}

static void
test_call_log (void)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) aq_api_call_record_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = NULL;
  JsonObject *first;
  gint64 base = G_GINT64_CONSTANT (1790000000) * G_USEC_PER_SEC;   /* a fixed minute, not now */

  for (guint i = 0; i < 100; i++)
    {
      AqApiCallRecord *r = g_new0 (AqApiCallRecord, 1);

      r->at = base + i * 100000;   /* 10 s: one minute */
      r->app_key = g_strdup ("akloggertest");
      r->api = g_strdup ("bill_details");
      r->http = i < 90 ? 200 : 429;
      r->code = i < 90 ? 0 : AQ_API_RATE_LIMITED;
      r->latency_us = (i + 1) * 1000;   /* 1 … 100 ms */
      g_ptr_array_add (batch, r);
    }
  aq_api_log_write (db, batch, &error);
  g_assert_no_error (error);
  aq_api_log_write (db, batch, &error);   /* a second batch folds in */
  g_assert_no_error (error);
  g_assert_cmpint (count_sql ("SELECT count(*) FROM meta.api_call WHERE app_key = 'akloggertest'",
                              NULL), ==, 200);
  g_assert_cmpint (count_sql ("SELECT calls FROM meta.api_call_minute"
                              " WHERE app_key = 'akloggertest'", NULL), ==, 200);
  g_assert_cmpint (count_sql ("SELECT errors FROM meta.api_call_minute"
                              " WHERE app_key = 'akloggertest'", NULL), ==, 20);
  /* 1 ms goes to [1, 2); 100 ms to [100, 200) */
  g_assert_cmpint (count_sql ("SELECT (SELECT sum(b) FROM unnest(buckets) b)"
                              " FROM meta.api_call_minute WHERE app_key = 'akloggertest'",
                              NULL), ==, 200);
  g_assert_cmpint (count_sql ("SELECT buckets[8] FROM meta.api_call_minute"
                              " WHERE app_key = 'akloggertest'", NULL), ==, 2);

  stats = aq_api_stats (db, base, &error);
  g_assert_no_error (error);
  first = json_array_get_object_element (json_node_get_array (stats), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "app_key"), ==, "akloggertest");
  g_assert_cmpint (json_object_get_int_member (first, "calls"), ==, 200);
  g_assert_cmpint (json_object_get_int_member (first, "errors"), ==, 20);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (first, "p50_ms"), 50.5, 0.01);
}

static void
test_openapi (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) all = aq_api_openapi (db, NULL, &error);
  JsonObject *paths;
  JsonObject *get;

  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (all), "openapi"), ==,
                   "3.1.0");
  paths = json_object_get_object_member (json_node_get_object (all), "paths");
  g_assert_true (json_object_has_member (paths, "/api/v1/bill_details"));
  g_assert_true (json_object_has_member (paths, "/api/v1/outages"));
  get = json_object_get_object_member (json_object_get_object_member (paths,
                                                                      "/api/v1/bill_details"),
                                       "get");
  g_assert_cmpstr (json_object_get_string_member (get, "operationId"), ==, "bill_details");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (get, "parameters")),
                    ==, 3 + 3);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_demo_db_new ("t_api", 300, 13);
  conninfo = aq_test_conninfo ("t_api");
  api_db = aq_db_connect (conninfo, &error);
  g_assert_no_error (error);
  aq_api_session_prepare (api_db, 10000, &error);
  g_assert_no_error (error);
  account = aq_test_text1 (db, "SELECT a.account_id FROM dw.dim_account a"
                           " WHERE EXISTS (SELECT 1 FROM dw.fact_payment p"
                           "  WHERE p.account_id = a.account_id AND p.channel = 'bank')"
                           " AND EXISTS (SELECT 1 FROM dw.dim_meter m"
                           "  WHERE m.account_id = a.account_id)"
                           " AND EXISTS (SELECT 1 FROM dw.contact c"
                           "  WHERE c.customer_id = a.customer_id AND c.kind = 'mobile')"
                           " AND (SELECT count(*) FROM dw.fact_bill b"
                           "  WHERE b.account_id = a.account_id) >= 12"
                           " ORDER BY a.account_id LIMIT 1", NULL);
  g_assert_nonnull (account);

  g_test_add_func ("/api/template/bind", test_template_bind);
  g_test_add_func ("/api/template/refused", test_template_refused);
  g_test_add_func ("/api/params/meta-characters", test_meta_characters);
  g_test_add_func ("/api/standard/billing", test_standard_billing);
  g_test_add_func ("/api/standard/nrw-and-city", test_standard_nrw_and_city);
  g_test_add_func ("/api/standard/customer-masked", test_standard_customer_masked);
  g_test_add_func ("/api/paging/keyset", test_paging);
  g_test_add_func ("/api/publish-and-grants", test_publish_and_grants);
  g_test_add_func ("/api/call-log", test_call_log);
  g_test_add_func ("/api/openapi", test_openapi);
  status = g_test_run ();
  g_clear_object (&api_db);
  g_clear_object (&db);
  aq_test_drop_database ("t_api");
  g_free (account);
  return status;
}

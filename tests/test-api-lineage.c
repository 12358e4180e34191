/* test-api-lineage.c — the published APIs in the data catalog's lineage: every standard API
 * reads exactly the tables its SQL names, an API published in the test appears downstream of
 * the columns it reads and of no other, in the stored catalog and through aqueductctl */
#include "aq-test-util.h"

#include <string.h>

static AqDb *db;
static char *conninfo;

static gboolean
hits_contain (GPtrArray  *hits,
              const char *id)
{
  for (guint i = 0; i < hits->len; i++)
    if (g_str_equal (((AqLineageHit *) g_ptr_array_index (hits, i))->node->id, id))
      return TRUE;
  return FALSE;
}

static AqLineage *
build (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  AqLineage *lineage = aq_datasets_build_lineage (db, NULL, problems, NULL, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
  return lineage;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* "schema.table" of every relation the SQL text names (functions, "name(", left out). */
static char *
tables_in_sql (const char *sql)
{
  g_autoptr(GRegex) regex = g_regex_new ("\\b((?:dw|dm|ods|masked|src_[a-z_]+)\\.[a-z0-9_]+)"
                                         "\\b(?!\\s*\\()", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  g_regex_match (regex, sql, 0, &match);
  while (g_match_info_matches (match))
    {
      char *name = g_match_info_fetch (match, 1);

      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, name);
      else
        g_free (name);
      g_match_info_next (match, NULL);
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", (char *) g_ptr_array_index (names, i));
  return g_strdup (out->str);
}

static char *
tables_in_reads (GPtrArray *reads)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < reads->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (reads, i), ".", 3);
      char *name = g_strconcat (parts[0], ".", parts[1], NULL);

      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, name);
      else
        g_free (name);
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i ? " " : "", (char *) g_ptr_array_index (names, i));
  return g_strdup (out->str);
}

static gboolean
reads_contain (GPtrArray  *reads,
               const char *id)
{
  return g_ptr_array_find_with_equal_func (reads, id, g_str_equal, NULL);
}

static void
test_standard_apis (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) apis = aq_db_query (db, "SELECT name FROM meta.api WHERE kind = 'sql' "
                                          "AND published_version IS NOT NULL ORDER BY name",
                                          0, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (apis), >=, 15);
  for (int i = 0; i < PQntuples (apis); i++)
    {
      g_autoptr(AqApi) api = aq_api_load (db, PQgetvalue (apis, i, 0), 0, &error);
      g_autoptr(GPtrArray) reads = NULL;
      g_autofree char *from_sql = NULL;
      g_autofree char *from_reads = NULL;

      g_assert_no_error (error);
      reads = aq_api_lineage_reads (db, api, &error);
      g_assert_no_error (error);
      from_sql = tables_in_sql (json_object_get_string_member (api->definition, "sql"));
      from_reads = tables_in_reads (reads);
      g_test_message ("%s: %s", api->name, from_reads);
      g_assert_cmpstr (from_reads, ==, from_sql);

      if (g_str_equal (api->name, "bill_receivables"))
        {
          /* the columns, exactly: read ones in, others out */
          g_assert_true (reads_contain (reads, "dw.fact_bill.amount"));
          g_assert_true (reads_contain (reads, "dw.fact_bill.account_id"));
          g_assert_true (reads_contain (reads, "dw.fact_payment.amount"));
          g_assert_false (reads_contain (reads, "dw.fact_bill.qty"));
          g_assert_false (reads_contain (reads, "dw.fact_payment.late_fee"));
        }
      else if (g_str_equal (api->name, "customer_totals"))
        {
          g_assert_true (reads_contain (reads, "dw.dim_account.customer_type"));
          g_assert_true (reads_contain (reads, "dw.dim_account.status"));
          g_assert_false (reads_contain (reads, "dw.dim_account.meter_no"));
        }
    }
  /* nothing is left behind by the probe */
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM pg_class "
                                        "WHERE relname = 'aq_api_lineage_probe'"), ==, 0);
}

static void
test_published_downstream (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = aq_json_read ("{\"sql\": \"SELECT meter_no, brand FROM dw.dim_meter "
                                           "WHERE size_dn = :dn\", \"params\": [{\"name\": "
                                           "\"dn\", \"type\": \"integer\", \"required\": true}], "
                                           "\"page_key\": \"meter_no\", \"page_key_type\": "
                                           "\"text\", \"page_order\": \"asc\", "
                                           "\"max_page_size\": 100, \"example\": {}}",
                                           -1, AQ_JSON_LIMIT_NONE, &error);
  g_autoptr(AqLineage) before = NULL;
  g_autoptr(AqLineage) after = NULL;
  g_autoptr(GPtrArray) brand = NULL;
  g_autoptr(GPtrArray) status_down = NULL;
  g_autoptr(GPtrArray) up = NULL;
  g_autoptr(GPtrArray) arrears = NULL;
  g_autofree char *out = NULL;
  int status;
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

  g_assert_no_error (error);
  before = build ();
  g_assert_null (aq_lineage_lookup (before, "api:meter_brands"));
  /* a standard API reading a masked view sits downstream of the mart behind it */
  arrears = aq_lineage_walk (before, "dm.customer_profile.arrears_amount",
                             AQ_LINEAGE_DOWNSTREAM, 0);
  g_assert_true (hits_contain (arrears, "api:customer_profile"));
  g_assert_false (hits_contain (arrears, "api:meter_info"));

  g_assert_cmpint (aq_api_publish (db, "meter_brands", "meter", "Meter brands", "", "sql",
                                   json_node_get_object (root), "test", &error), ==, 1);
  g_assert_no_error (error);
  after = build ();
  brand = aq_lineage_walk (after, "dw.dim_meter.brand", AQ_LINEAGE_DOWNSTREAM, 0);
  status_down = aq_lineage_walk (after, "dw.dim_meter.status", AQ_LINEAGE_DOWNSTREAM, 0);
  up = aq_lineage_walk (after, "api:meter_brands", AQ_LINEAGE_UPSTREAM, 1);
  g_assert_true (hits_contain (brand, "api:meter_brands"));
  g_assert_false (hits_contain (status_down, "api:meter_brands"));   /* no false edge */
  g_assert_true (hits_contain (status_down, "api:meter_info"));
  g_assert_cmpuint (up->len, ==, 3);   /* meter_no, brand, size_dn */
  g_assert_true (hits_contain (up, "dw.dim_meter.size_dn"));

  /* the stored catalog and the CLI follow the publication */
  aq_test_ctl_set_env (env);
  out = aq_test_ctl (&status, NULL, "catalog", "lineage", "dw.dim_meter", "--down", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "api:meter_brands"));
  g_assert_nonnull (strstr (out, "api:meter_info"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_lineage "
                                        "WHERE to_node = 'api:meter_brands' AND via_kind = 'api'"),
                   ==, 3);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_lineage "
                                        "WHERE to_node = 'api:meter_brands' "
                                        "AND from_node = 'dw.dim_meter.status'"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  aq_api_lineage_register ();
  g_setenv ("LANGUAGE", "en", TRUE);
  db = aq_test_demo_db_new ("t_api_lineage", 200, 13);
  conninfo = aq_test_conninfo ("t_api_lineage");

  g_test_add_func ("/api-lineage/standard-apis", test_standard_apis);
  g_test_add_func ("/api-lineage/published-downstream", test_published_downstream);

  result = g_test_run ();
  g_clear_object (&db);
  g_free (conninfo);
  return result;
}

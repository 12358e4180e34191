/* test-cli-catalog.c — aqueductctl catalog search|show|lineage|lint|rebuild, end to end: the
 * real binary against a small demo warehouse, its JSON against the pipeline definitions and
 * SQL, its exit codes on bad input, on lint failures and on an unreachable warehouse */
#include "aq-test-util.h"

#include <stdarg.h>
#include <string.h>

static AqDb *db;
static char *conninfo;

static char *
ctl_env (const char  *url,
         int         *status,
         char       **err,
         const char  *first,
         va_list      args)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", url, "LC_ALL", "C.UTF-8", "LANGUAGE", "en",
                        NULL };

  return aq_test_ctl_valist (env, status, err, first, args);
}

static char *
ctl (int         *status,
     char       **err,
     const char  *first,
     ...)
{
  va_list args;
  char *out;

  va_start (args, first);
  out = ctl_env (conninfo, status, err, first, args);
  va_end (args);
  return out;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
nodes_contain (JsonArray  *nodes,
               const char *id,
               guint      *depth)
{
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *o = json_array_get_object_element (nodes, i);

      if (g_str_equal (json_object_get_string_member (o, "id"), id))
        {
          if (depth)
            *depth = json_object_get_int_member (o, "depth");
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_search_and_show (void)
{
  int status = -1;
  g_autofree char *out = ctl (&status, NULL, "catalog", "search", "fact_bill", "--json", NULL);
  g_autoptr(JsonNode) hits = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autoptr(JsonNode) indicator = NULL;
  g_autofree char *text = NULL;
  g_autofree char *err = NULL;
  JsonObject *o;
  JsonArray *reads;
  gboolean reads_profile = FALSE;

  g_assert_cmpint (status, ==, 0);
  hits = parse (out);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_node_get_array (hits), 0), "key"), ==, "dw.fact_bill");

  g_free (out);
  out = ctl (&status, NULL, "catalog", "show", "dw.fact_bill", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  shown = parse (out);
  o = json_node_get_object (shown);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (o, "columns")), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM information_schema.columns "
                                        "WHERE table_schema = 'dw' AND table_name = 'fact_bill'"));
  g_assert_cmpstr (json_object_get_string_member (o, "written_by"), ==, "dw_billing");
  g_assert_cmpint (json_object_get_int_member (o, "last_run_id"), ==,
                   aq_test_query_int64 (db, "SELECT max(run_id) FROM meta.pipeline_run "
                                        "WHERE pipeline = 'dw_billing' "
                                        "AND status = 'succeeded'"));
  g_assert_cmpstr (json_object_get_string_member (o, "subject"), ==, "billing");

  text = ctl (&status, NULL, "catalog", "show", "dw.fact_bill", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "Amount billed: water plus sewage charge"));

  g_free (out);
  out = ctl (&status, NULL, "catalog", "show", "indicator:arrears_amount", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  indicator = parse (out);
  reads = json_object_get_array_member (json_node_get_object (indicator), "reads");
  for (guint i = 0; i < json_array_get_length (reads); i++)
    reads_profile = reads_profile || g_str_equal (json_array_get_string_element (reads, i),
                                                  "dm.customer_profile.arrears_amount");
  g_assert_true (reads_profile);

  g_free (out);
  out = ctl (&status, &err, "catalog", "show", "dw.no_such", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no table dw.no_such"));
  g_free (out);
  out = ctl (&status, NULL, "catalog", "show", "nodot", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "frobnicate", NULL);
  g_assert_cmpint (status, ==, 2);
}

/* checked by hand against dm_profile.json, dw_payment.json (read_payment, settle) and
 * ods_billing.json */
static void
test_lineage (void)
{
  int status = -1;
  g_autofree char *out = ctl (&status, NULL, "catalog", "lineage",
                              "dm.customer_profile.arrears_amount", "--up", "--json", NULL);
  g_autoptr(JsonNode) up = NULL;
  g_autoptr(JsonNode) near = NULL;
  g_autoptr(JsonNode) down = NULL;
  JsonArray *nodes;
  guint depth = 0;

  g_assert_cmpint (status, ==, 0);
  up = parse (out);
  nodes = json_object_get_array_member (json_node_get_object (up), "nodes");
  /* arrears read what each bill was paid (dw_payment's settle step sums the payments) */
  g_assert_true (nodes_contain (nodes, "dw.fact_bill_open.paid", &depth));
  g_assert_cmpuint (depth, ==, 1);
  g_assert_true (nodes_contain (nodes, "dw.fact_payment.amount", &depth));
  g_assert_cmpuint (depth, ==, 2);
  g_assert_true (nodes_contain (nodes, "ods.billing_payment.amount", &depth));
  g_assert_cmpuint (depth, ==, 3);
  g_assert_true (nodes_contain (nodes, "src_billing.payment.amount", &depth));
  g_assert_cmpuint (depth, ==, 4);
  g_assert_true (nodes_contain (nodes, "src_billing.bill_YYYYMM.amount", NULL));
  g_assert_false (nodes_contain (nodes, "dw.fact_bill.qty", NULL));

  g_free (out);
  out = ctl (&status, NULL, "catalog", "lineage", "dm.customer_profile.arrears_amount", "--up",
             "--depth", "1", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  near = parse (out);
  nodes = json_object_get_array_member (json_node_get_object (near), "nodes");
  g_assert_cmpuint (json_array_get_length (nodes), ==, 4);
  g_assert_false (nodes_contain (nodes, "ods.billing_payment.amount", NULL));

  /* the impact of changing a source column */
  g_free (out);
  out = ctl (&status, NULL, "catalog", "lineage", "src_billing.payment.amount", "--down",
             "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  down = parse (out);
  nodes = json_object_get_array_member (json_node_get_object (down), "nodes");
  g_assert_true (nodes_contain (nodes, "dm.customer_profile.arrears_amount", NULL));
  g_assert_true (nodes_contain (nodes, "indicator:arrears_amount", NULL));
  g_assert_true (nodes_contain (nodes, "report:arrears_list", NULL));
  g_assert_false (nodes_contain (nodes, "src_billing.payment.amount", NULL));

  g_free (out);
  out = ctl (&status, NULL, "catalog", "lineage", "dm.customer_profile.arrears", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "lineage", "dw.fact_bill", "--up", "--down", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "lineage", "dw.fact_bill", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "← ods.billing_bill.amount"));
  g_assert_nonnull (strstr (out, "→ dm.cube_billing_monthly.amount"));
}

static void
test_lint (void)
{
  int status = -1;
  g_autofree char *out = ctl (&status, NULL, "catalog", "lint", "--json", NULL);
  g_autoptr(JsonNode) clean = NULL;
  g_autoptr(JsonNode) broken = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_assert_cmpint (status, ==, 0);
  clean = parse (out);
  o = json_node_get_object (clean);
  g_assert_cmpint (json_object_get_int_member (o, "failures"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "excepted"), ==, 19);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "lineage")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "layers")), ==, 0);

  g_assert_true (aq_db_exec (db, "CREATE TABLE dw.widget (active boolean)", &error));
  g_assert_no_error (error);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "lint", "--json", NULL);
  g_assert_true (aq_db_exec (db, "DROP TABLE dw.widget", &error));
  g_assert_cmpint (status, ==, 1);
  broken = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (broken), "failures"), ==, 2);

  g_free (out);
  out = ctl (&status, NULL, "catalog", "lint", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "0 violations, 19 declared exceptions"));
}

static void
test_rebuild (void)
{
  int status = -1;
  g_autofree char *out = ctl (&status, NULL, "catalog", "rebuild", "--json", NULL);
  g_autoptr(JsonNode) built = NULL;

  g_assert_cmpint (status, ==, 0);
  built = parse (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (built), "edges"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM meta.dataset_lineage"));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (built), "problems"), ==, 0);

}

/* what staff maintain: owner, steward, category (several levels), subject; descriptions */
static void
test_set_and_describe (void)
{
  int status = -1;
  g_autofree char *out = ctl (&status, NULL, "catalog", "set", "dw.fact_sms", "--owner",
                              "Customer service", "--steward", "Wang Li", "--category",
                              "Facts/Daily/Messages", "--subject", "service", NULL);
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *err = NULL;
  JsonObject *o;

  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "describe", "dw.fact_sms.status", "短信送达状态",
             "--lang", "zh_CN", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "describe", "dw.fact_sms", "SMS messages (edited)", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "show", "dw.fact_sms", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  shown = parse (out);
  o = json_node_get_object (shown);
  g_assert_cmpstr (json_object_get_string_member (o, "owner"), ==, "Customer service");
  g_assert_cmpstr (json_object_get_string_member (o, "steward"), ==, "Wang Li");
  g_assert_cmpstr (json_object_get_string_member (o, "category"), ==, "Facts/Daily/Messages");
  g_assert_cmpstr (json_object_get_string_member (o, "description"), ==,
                   "SMS messages (edited)");
  g_assert_cmpstr (aq_test_query_string (db, "SELECT description FROM meta.dataset_text "
                                         "WHERE object = 'dw.fact_sms.status' "
                                         "AND lang = 'zh_CN'"), ==, "短信送达状态");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.audit_log "
                                        "WHERE action = 'catalog.table' "
                                        "AND object = 'dw.fact_sms'"), ==, 1);

  g_free (out);
  out = ctl (&status, &err, "catalog", "set", "dw.fact_sms", "--subject", "nosuch", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no subject area"));
  g_free (out);
  out = ctl (&status, NULL, "catalog", "set", "dw.no_such", "--owner", "x", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl (&status, NULL, "catalog", "set", "dw.fact_sms", NULL);
  g_assert_cmpint (status, ==, 2);
}

static void
test_unreachable (void)
{
  const char *argv[] = { g_getenv ("AQUEDUCTCTL"), "catalog", "search", "bill", NULL };
  const char *env[] = { "AQUEDUCT_DATABASE_URL", "host=/nonexistent/socket dbname=x",
                        "LC_ALL", "C.UTF-8", NULL };
  int status = -1;
  g_autofree char *out = aq_test_run_command (argv, env, &status, NULL);

  g_assert_cmpint (status, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_demo_db_new ("t_cli_catalog", 300, 13);
  conninfo = aq_test_conninfo ("t_cli_catalog");

  g_test_add_func ("/cli/catalog/search-show", test_search_and_show);
  g_test_add_func ("/cli/catalog/lineage", test_lineage);
  g_test_add_func ("/cli/catalog/lint", test_lint);
  g_test_add_func ("/cli/catalog/rebuild", test_rebuild);
  g_test_add_func ("/cli/catalog/set-describe", test_set_and_describe);
  g_test_add_func ("/cli/catalog/unreachable", test_unreachable);

  result = g_test_run ();
  g_clear_object (&db);
  g_free (conninfo);
  return result;
}

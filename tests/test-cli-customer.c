/* test-cli-customer.c — aqueductctl customer lookup|reveal|audit, end to end: the real binary
 * against a small demo warehouse */
#include "aq-test-util.h"

#include <stdarg.h>
#include <string.h>

#include "aq-demo.h"
#include "aq-simulator.h"

static AqDb *db;
static char *conninfo;

static char *
sql_text (const char *sql)
{
  g_autoptr(GError) error = NULL;
  char *value = aq_db_query_string (db, sql, 0, NULL, &error);

  g_assert_no_error (error);
  return value;
}

/* a mobile of exactly one account, and that account */
static void
pick_phone (char **phone,
            char **account)
{
  g_autofree char *both = sql_text ("SELECT ct.value || ' ' || min(a.account_id)"
                                    " FROM dw.contact ct"
                                    " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
                                    " WHERE ct.kind = 'mobile' GROUP BY ct.value"
                                    " HAVING count(DISTINCT a.account_id) = 1 ORDER BY 1 LIMIT 1");
  g_auto(GStrv) parts = g_strsplit (both, " ", 2);

  *phone = g_strdup (parts[0]);
  *account = g_strdup (parts[1]);
}

/* ---- tests ---- */

static void
test_lookup_phone (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autofree char *messy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *masked = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonObject *customer;
  int status = -1;

  pick_phone (&phone, &account);
  messy = g_strdup_printf ("0086 %.3s-%.4s-%s ", phone, phone + 3, phone + 7);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", messy, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  answer = aq_test_parse_object (out);
  g_assert_cmpint (json_object_get_int_member (answer, "found"), ==, 1);
  customer = json_object_get_object_member (answer, "customer");
  g_assert_nonnull (customer);
  g_assert_cmpstr (json_object_get_string_member (customer, "account_id"), ==, account);
  /* the agent (the default role) never gets the full number, not even echoed back */
  g_assert_null (strstr (out, phone));
  masked = aq_mask_phone (phone, AQ_ROLE_AGENT);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (customer, "header"), "mobile"), ==, masked);

  /* a supervisor sees it */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", messy, "--role", "supervisor",
                     "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, phone));

  /* the text form shows the same account */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--search", account, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, account));
  /* sections in words, as Customer 360 titles them, not the codes --json keeps */
  g_assert_nonnull (strstr (out, "Bills"));
  g_assert_null (strstr (out, "\nbills "));
}

static void
test_bad_input (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = sql_text ("SELECT count(*) FROM meta.audit_log"
                                      " WHERE action = 'customer.lookup.rejected'");
  g_autofree char *after = NULL;
  g_autofree char *echo = NULL;
  int status = -1;

  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", "138-1234", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "“138-1234” is not a phone number"));
  /* refused, and still audited: the key kind and a masked echo */
  after = sql_text ("SELECT count(*) FROM meta.audit_log"
                    " WHERE action = 'customer.lookup.rejected'");
  g_assert_cmpint (g_ascii_strtoll (after, NULL, 10), ==, g_ascii_strtoll (before, NULL, 10) + 1);
  echo = sql_text ("SELECT detail->>'key' || ' ' || (detail->>'text') FROM meta.audit_log"
                   " WHERE action = 'customer.lookup.rejected' ORDER BY id DESC LIMIT 1");
  g_assert_cmpstr (echo, ==, "phone ****1234");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", "13812345678", "--account",
                     "1", NULL);
  g_assert_cmpint (status, ==, 2);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--account", "1", "--role", "admin",
                     NULL);
  g_assert_cmpint (status, ==, 2);
}

/* The CLI answers exactly what the core's lookup (the panel's) gives, member for member. */
static void
test_same_as_core (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonNode) cli = NULL;
  g_autoptr(JsonNode) core = NULL;
  g_autoptr(AqCustomerLookup) lookup = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  pick_phone (&phone, &account);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", phone, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  cli = json_from_string (out, &error);
  g_assert_no_error (error);

  lookup = aq_customer_lookup (db, AQ_CUSTOMER_KEY_PHONE, phone, AQ_ROLE_AGENT, "test", NULL,
                               &error);
  g_assert_no_error (error);
  g_assert_nonnull (lookup->view);
  core = aq_customer_lookup_to_json (lookup);
  if (!json_node_equal (cli, core))
    {
      g_autofree char *a = json_to_string (cli, TRUE);
      g_autofree char *b = json_to_string (core, TRUE);

      g_test_message ("CLI:\n%s\ncore:\n%s", a, b);
      g_assert_not_reached ();
    }
  /* and the whole reading history, which the panel's chart draws */
  g_assert_cmpint (json_array_get_length (aq_customer_360_get_rows (lookup->view, "readings")),
                   ==, aq_customer_360_get_count (lookup->view, "readings"));
}

static void
test_miss (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *none = sql_text ("SELECT count(*) FROM dw.contact WHERE value = '13000000001'");
  g_autoptr(JsonObject) answer = NULL;
  int status = -1;

  g_assert_cmpstr (none, ==, "0");
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", "130 0000 0001", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "no customer for phone 130****0001"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", "130 0000 0001", "--json",
                     NULL);
  g_assert_cmpint (status, ==, 0);
  answer = aq_test_parse_object (out);
  g_assert_cmpint (json_object_get_int_member (answer, "found"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answer, "candidates")),
                    ==, 0);
  g_assert_true (json_object_get_null_member (answer, "customer"));
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (answer, "searched"), "key"), ==, "phone");
}

static void
test_unreachable (void)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", "host=/nonexistent user=x dbname=x", NULL };
  const char *argv[] = { g_getenv ("AQUEDUCTCTL"), "customer", "lookup", "--account", "1",
                         NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = -1;

  out = aq_test_run_command (argv, env, &status, &err);
  g_assert_cmpint (status, ==, 3);
}

static void
test_audit (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *before = sql_text ("SELECT count(*) FROM meta.audit_log "
                                      "WHERE action = 'customer.lookup'");
  g_autofree char *after = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *newest;
  int status = -1;

  out = aq_test_ctl (&status, &err, "customer", "lookup", "--phone", "13000000001", NULL);
  g_assert_cmpint (status, ==, 0);
  after = sql_text ("SELECT count(*) FROM meta.audit_log WHERE action = 'customer.lookup'");
  g_assert_cmpint (g_ascii_strtoll (after, NULL, 10), ==, g_ascii_strtoll (before, NULL, 10) + 1);

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "audit", "--role", "agent", NULL);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "Only a supervisor"));

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "customer", "audit", "--limit", "1", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))),
                    ==, 1);
  newest = json_array_get_object_element (json_node_get_array (json_parser_get_root (parser)), 0);
  g_assert_cmpstr (json_object_get_string_member (newest, "action"), ==, "customer.lookup");
  g_assert_cmpstr (json_object_get_string_member (newest, "object"), ==, "13000000001");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_demo_db_new ("t_cli_customer", 3000, 24);
  conninfo = aq_test_conninfo ("t_cli_customer");
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

    aq_test_ctl_set_env (env);
  }

  g_test_add_func ("/cli/customer/lookup-phone", test_lookup_phone);
  g_test_add_func ("/cli/customer/bad-input", test_bad_input);
  g_test_add_func ("/cli/customer/same-as-core", test_same_as_core);
  g_test_add_func ("/cli/customer/miss", test_miss);
  g_test_add_func ("/cli/customer/unreachable", test_unreachable);
  g_test_add_func ("/cli/customer/audit", test_audit);
  status = g_test_run ();
  g_clear_object (&db);
  g_free (conninfo);
  return status;
}

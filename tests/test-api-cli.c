/* test-api-cli.c — aqueductctl api … end to end: the real binary against the test warehouse,
 * the market's list, versions and rollback, the test console, apps, grants, OpenAPI, stats */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static char *conninfo;
static AqDb *db;

static char *
ctl (int        *status,
     const char *first,
     ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, NULL, first, args);
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

static char *
write_file (const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

static void
test_market_and_versions (void)
{
  g_autofree char *v1 = write_file ("aq-api-zones.json",
    "{\"category\": \"network\", \"title\": \"Zones\", \"description\": \"DMA zones\","
    " \"sql\": \"SELECT zone_code, name FROM dw.dim_dma_zone WHERE level = :level\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true}],"
    " \"page_key\": \"zone_code\"}");
  g_autofree char *bad = write_file ("aq-api-bad.json",
    "{\"sql\": \"SELECT 1 AS k WHERE :nope = 1\", \"params\": [], \"page_key\": \"k\"}");
  int status = -1;
  char *out;
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) shown = NULL;
  gboolean found = FALSE;

  out = ctl (&status, "api", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  list = parse (out);
  g_free (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 17);
  for (guint i = 0; i < 17; i++)
    found |= g_str_equal (json_object_get_string_member (
      json_array_get_object_element (json_node_get_array (list), i), "name"), "bill_details");
  g_assert_true (found);

  out = ctl (&status, "api", "publish", "zones", "--file", v1, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "version 1 published"));
  g_free (out);
  out = ctl (&status, "api", "publish", "zones", "--file", v1, "--note", "again", NULL);
  g_assert_nonnull (strstr (out, "version 2 published"));
  g_free (out);
  out = ctl (&status, "api", "rollback", "zones", "--version", "1", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, "api", "show", "zones", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  shown = parse (out);
  g_free (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (shown), "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "category"), ==,
                   "network");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (shown), "versions")), ==, 2);

  out = ctl (&status, "api", "publish", "broken", "--file", bad, NULL);
  g_assert_cmpint (status, ==, 2);   /* a bad definition is bad input */
  g_free (out);
  out = ctl (&status, "api", "rollback", "zones", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl (&status, "api", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  g_unlink (v1);
  g_unlink (bad);
}

static void
test_console (void)
{
  int status = -1;
  char *out;
  g_autoptr(JsonNode) answer = NULL;
  gint64 zones = aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_dma_zone WHERE level = 1");

  out = ctl (&status, "api", "test", "zones", "level=1", NULL);
  g_assert_cmpint (status, ==, 0);
  answer = parse (out);
  g_free (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "code"), ==, 0);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (
    json_node_get_object (answer), "data")), ==, MIN (zones, 20));
  g_clear_pointer (&answer, json_node_unref);

  out = ctl (&status, "api", "test", "zones", "level='; DROP TABLE meta.api; --", NULL);
  g_assert_cmpint (status, ==, 1);
  answer = parse (out);
  g_free (out);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (answer), "code"), ==,
                   AQ_API_BAD_PARAM);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"), ==, 18);
}

static void
test_apps_and_grants (void)
{
  int status = -1;
  char *out;
  g_autoptr(JsonNode) app = NULL;
  g_autoptr(JsonNode) apps = NULL;
  g_autoptr(JsonNode) grants = NULL;
  g_autoptr(JsonNode) doc = NULL;
  g_autoptr(JsonNode) all = NULL;
  JsonObject *grant;

  out = ctl (&status, "api", "app-add", "crm", "--description", "the CRM", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  app = parse (out);
  g_free (out);
  g_assert_cmpuint (strlen (json_object_get_string_member (json_node_get_object (app), "secret")),
                    ==, 64);
  out = ctl (&status, "api", "apps", "--json", NULL);
  apps = parse (out);
  g_free (out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (apps)), ==, 1);
  /* the secret is shown once, not listed */
  g_assert_false (json_object_has_member (
    json_array_get_object_element (json_node_get_array (apps), 0), "secret"));

  out = ctl (&status, "api", "request", "crm", "zones", NULL);
  g_assert_cmpint (status, ==, 2);   /* an application says why */
  g_free (out);
  out = ctl (&status, "api", "request", "crm", "zones", "--reason", "zone pages", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, "api", "grant", "crm", "zones", "--per-second", "5", "--per-day", "50",
             "--expires", "2030-01-01T00:00:00+08:00", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, "api", "grants", "crm", "--json", NULL);
  grants = parse (out);
  g_free (out);
  grant = json_array_get_object_element (json_node_get_array (grants), 0);
  g_assert_cmpstr (json_object_get_string_member (grant, "status"), ==, "approved");
  g_assert_cmpint (json_object_get_int_member (grant, "per_day"), ==, 50);
  g_assert_cmpstr (json_object_get_string_member (grant, "reason"), ==, "zone pages");
  g_assert_cmpstr (json_object_get_string_member (grant, "expires_at"), ==,
                   "2029-12-31T16:00:00Z");

  out = ctl (&status, "api", "openapi", "crm", NULL);
  g_assert_cmpint (status, ==, 0);
  doc = parse (out);
  g_free (out);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (
    json_node_get_object (doc), "paths")), ==, 1);
  out = ctl (&status, "api", "revoke", "crm", "zones", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl (&status, "api", "openapi", NULL);
  all = parse (out);
  g_free (out);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (
    json_node_get_object (all), "paths")), ==, 18);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.audit_log"
                                        " WHERE action LIKE 'api.grant.%'"), ==, 3);

  out = ctl (&status, "api", "stats", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new ("t_api_cli", TRUE);
  conninfo = aq_test_conninfo ("t_api_cli");
  g_test_add_func ("/api-cli/market-and-versions", test_market_and_versions);
  g_test_add_func ("/api-cli/console", test_console);
  g_test_add_func ("/api-cli/apps-and-grants", test_apps_and_grants);
  status = g_test_run ();
  g_clear_object (&db);
  aq_test_drop_database ("t_api_cli");
  g_free (conninfo);
  return status;
}

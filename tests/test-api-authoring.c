/* test-api-authoring.c — defining, comparing and watching APIs (the API panel's core):
 * parameters found in a template, a draft's definition compiling, who may publish (asked of
 * the warehouse with three logins), the diff of two versions (core and `aqueductctl api diff`),
 * and the monitor over the per-minute rollup checked against independent SQL. Times are fixed
 * instants, never the clock. */
#include "aq-test-util.h"

#include <stdarg.h>
#include <string.h>

#define DB_NAME "t_api_authoring"

static AqDb *db;
static char *conninfo;

static void
test_sql_params (void)
{
  g_autoptr(GPtrArray) found = aq_api_sql_params (
    "SELECT zone_code, name::text, ':quoted' AS q -- :commented\n"
    " FROM dw.dim_dma_zone WHERE level = :level\n"
    " [[ AND name LIKE :prefix || '%' ]] [[ AND zone_code = ANY(:codes) ]]\n"
    " [[ AND level >= :level ]] AND :page_size IS NULL");
  AqApiSqlParam *p;

  g_assert_cmpuint (found->len, ==, 3);
  p = g_ptr_array_index (found, 0);
  g_assert_cmpstr (p->name, ==, "level");
  g_assert_false (p->optional);   /* also in a clause, but used outside one first */
  p = g_ptr_array_index (found, 1);
  g_assert_cmpstr (p->name, ==, "prefix");
  g_assert_true (p->optional);
  p = g_ptr_array_index (found, 2);
  g_assert_cmpstr (p->name, ==, "codes");
  g_assert_true (p->optional);
}

static void
test_draft_definition (void)
{
  const char *sql = "SELECT zone_code, name FROM dw.dim_dma_zone WHERE level = :level"
                    " [[ AND kind = :kind ]]";
  AqApiDraftParam params[] = {
    { "level", AQ_API_PARAM_INTEGER, FALSE, "2", NULL, "the zone level" },
    { "kind", AQ_API_PARAM_ENUMERATION, FALSE, NULL, "dma, district ,", NULL },
  };
  g_autoptr(JsonObject) definition = aq_api_draft_definition (sql, params, 2, "zone_code", NULL,
                                                              50);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApi) api = NULL;
  const AqApiParam *level, *kind;

  api = aq_api_new ("zones_draft", "network", "Zones", "", "sql", "external", 1, definition,
                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (api->max_page_size, ==, 50);
  g_assert_cmpstr (api->page_key, ==, "zone_code");
  level = aq_api_find_param (api, "level");
  g_assert_false (level->required);
  g_assert_cmpint (json_node_get_int (level->default_value), ==, 2);
  g_assert_cmpstr (level->description, ==, "the zone level");
  kind = aq_api_find_param (api, "kind");
  g_assert_cmpuint (g_strv_length (kind->values), ==, 2);
  g_assert_cmpstr (kind->values[1], ==, "district");

  /* an optional parameter with no default outside a clause: the compiler says so */
  params[0].default_text = NULL;
  g_clear_pointer (&definition, json_object_unref);
  definition = aq_api_draft_definition (sql, params, 2, "zone_code", NULL, 50);
  g_clear_pointer (&api, aq_api_unref);
  api = aq_api_new ("zones_draft", NULL, NULL, NULL, "sql", "external", 1, definition, &error);
  g_assert_null (api);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, ":level"));
}

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

static gboolean
may_publish_as (const char *login,
                const char *roles)
{
  g_autofree char *info = aq_test_login_conninfo (DB_NAME, login, roles);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) other = aq_db_connect (info, &error);
  gboolean may;

  g_assert_no_error (error);
  may = aq_api_may_publish (other, &error);
  g_assert_no_error (error);
  return may;
}

static void
test_may_publish (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (aq_api_may_publish (db, &error));
  g_assert_no_error (error);
  g_assert_false (may_publish_as ("aqaa_analyst", "analyst"));
  g_assert_false (may_publish_as ("aqaa_agent", "agent"));
  g_assert_true (may_publish_as ("aqaa_engineer", "data_engineer"));
  g_assert_true (may_publish_as ("aqaa_supervisor", "supervisor"));
}

static int
publish (const char *json,
         GError    **error)
{
  g_autoptr(JsonObject) definition = aq_test_parse_object (json);

  return aq_api_publish (db, "zones", "network", "Zones", "", "sql", definition, NULL, error);
}

static gboolean
array_has_name (JsonArray  *array,
                const char *name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && g_strcmp0 (json_object_get_string_member (json_node_get_object (node), "name"),
                        name) == 0)
        return TRUE;
      if (JSON_NODE_HOLDS_VALUE (node) && g_strcmp0 (json_node_get_string (node), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_diff (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(JsonObject) cli = NULL;
  JsonObject *params, *fields, *change;
  JsonArray *sql;
  guint plus = 0, minus = 0, same = 0;
  int status = -1;
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (publish (
    "{\"sql\": \"SELECT zone_code, name\\nFROM dw.dim_dma_zone\\nWHERE level = :level\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true},"
    "              {\"name\": \"unused\", \"type\": \"text\"}],"
    " \"page_key\": \"zone_code\"}", &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (publish (
    "{\"sql\": \"SELECT zone_code, name, level\\nFROM dw.dim_dma_zone\\nWHERE level = :level\\n"
    "[[ AND name LIKE :prefix ]]\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"default\": 1},"
    "              {\"name\": \"prefix\", \"type\": \"text\"}],"
    " \"page_key\": \"zone_code\"}", &error), ==, 2);
  g_assert_no_error (error);

  diff = aq_api_diff (db, "zones", 1, 2, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (diff, "sql_changed"));
  sql = json_object_get_array_member (diff, "sql");
  for (guint i = 0; i < json_array_get_length (sql); i++)
    {
      JsonObject *line = json_array_get_object_element (sql, i);
      const char *op = json_object_get_string_member (line, "op");

      plus += g_str_equal (op, "+");
      minus += g_str_equal (op, "-");
      same += g_str_equal (op, " ");
    }
  /* line 1 changed, lines 2 and 3 kept, one line added */
  g_assert_cmpuint (minus, ==, 1);
  g_assert_cmpuint (plus, ==, 2);
  g_assert_cmpuint (same, ==, 2);

  params = json_object_get_object_member (diff, "params");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (params, "added")), ==, 1);
  g_assert_true (array_has_name (json_object_get_array_member (params, "added"), "prefix"));
  g_assert_true (array_has_name (json_object_get_array_member (params, "removed"), "unused"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (params, "changed")),
                    ==, 1);
  change = json_array_get_object_element (json_object_get_array_member (params, "changed"), 0);
  g_assert_cmpstr (json_object_get_string_member (change, "name"), ==, "level");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (change, "from"),
                                                 "required"));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (change, "to"),
                                               "default"), ==, 1);

  fields = json_object_get_object_member (diff, "fields");
  g_assert_nonnull (fields);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fields, "added")), ==, 1);
  g_assert_true (array_has_name (json_object_get_array_member (fields, "added"), "level"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (fields, "removed")),
                    ==, 0);
  g_assert_false (json_object_has_member (diff, "paging"));

  /* the same through the CLI, and a version against itself shows nothing */
  out = ctl (&status, "api", "diff", "zones", "1", "2", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  cli = aq_test_parse_object (out);
  {
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), diff);
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), cli);

    g_assert_true (json_node_equal (a, b));
  }
  text = ctl (&status, "api", "diff", "zones", "1", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "+ prefix (text)"));
  g_assert_nonnull (strstr (text, "- unused (text)"));
  g_assert_nonnull (strstr (text, "+ [[ AND name LIKE :prefix ]]"));
  g_assert_nonnull (strstr (text, "\n  + level\n"));
  g_free (text);
  text = ctl (&status, "api", "diff", "zones", "2", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "SQL: unchanged"));
  g_free (text);
  text = ctl (&status, "api", "diff", "zones", "1", "9", NULL);
  g_assert_cmpint (status, !=, 0);
}

/* ---- the monitor ---- */

#define T0 G_GINT64_CONSTANT (1772359200)   /* 2026-03-01 10:00:00 UTC */

static void
add_call (GPtrArray  *batch,
          gint64      at_s,
          const char *app,
          const char *api,
          int         code,
          guint       latency_us)
{
  AqApiCallRecord *r = g_new0 (AqApiCallRecord, 1);

  r->at = at_s * G_USEC_PER_SEC;
  r->app_key = g_strdup (app);
  r->api = g_strdup (api);
  r->http = code ? 429 : 200;
  r->code = code;
  r->latency_us = latency_us;
  g_ptr_array_add (batch, r);
}

/* The quantile the rollup says, computed in SQL: the bucket where the running count reaches
 * q × total, linear inside it, 5000 in the last. */
static double
sql_quantile (const char *api,
              gint64      from_s,
              gint64      to_s,
              double      q)
{
  g_autofree char *from = g_strdup_printf ("%" G_GINT64_FORMAT, from_s);
  g_autofree char *to = g_strdup_printf ("%" G_GINT64_FORMAT, to_s);
  g_autofree char *qt = g_strdup_printf ("%.3f", q);
  const char *params[] = { from, to, api, qt };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = aq_db_query_string (db,
    "WITH h AS (SELECT u.i, sum(u.x)::numeric AS n FROM meta.api_call_minute c,"
    "   unnest(c.buckets) WITH ORDINALITY AS u(x, i)"
    "  WHERE c.minute >= to_timestamp($1::bigint) AND c.minute < to_timestamp($2::bigint)"
    "   AND ($3::text IS NULL OR c.api = $3) GROUP BY u.i),"
    " r AS (SELECT i, n, sum(n) OVER (ORDER BY i) AS upto, sum(n) OVER () AS total FROM h),"
    " b AS (SELECT meta.api_latency_bounds() AS a)"
    " SELECT coalesce((SELECT CASE WHEN r.i = 13 THEN 5000"
    "   ELSE coalesce(b.a[r.i - 1], 0) + (b.a[r.i] - coalesce(b.a[r.i - 1], 0))"
    "        * ($4::numeric * r.total - (r.upto - r.n)) / r.n END"
    "  FROM r, b WHERE r.n > 0 AND r.upto >= $4::numeric * r.total ORDER BY r.i LIMIT 1), 0)"
    "  ::text", 4, params, &error);

  g_assert_no_error (error);
  return g_ascii_strtod (text, NULL);
}

static void
test_monitor (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiApp) crm = aq_api_app_add (db, "crm", "", &error);
  g_autoptr(AqApiApp) wx = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) aq_api_call_record_free);
  g_autoptr(JsonObject) one = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonObject) coarse = NULL;
  JsonArray *series, *callers, *apis;
  gint64 buckets[AQ_API_N_BUCKETS] = { 0 };

  g_assert_no_error (error);
  wx = aq_api_app_add (db, "wechat", "", &error);
  g_assert_no_error (error);

  /* minute 0: crm 10 calls on zones 3..12 ms, 2 errors; wechat 5 calls 150 ms;
   * minute 2: wechat 20 calls on zones 0.5 ms; minute 3: crm 4 on bill_details 7 s, 1 error;
   * minute 70: outside the hour asked for */
  for (guint i = 0; i < 10; i++)
    add_call (batch, T0 + i, crm->app_key, "zones", i < 2 ? AQ_API_RATE_LIMITED : 0,
              3000 + i * 1000);
  for (guint i = 0; i < 5; i++)
    add_call (batch, T0 + 30 + i, wx->app_key, "zones", 0, 150000);
  for (guint i = 0; i < 20; i++)
    add_call (batch, T0 + 120 + i, wx->app_key, "zones", 0, 500);
  for (guint i = 0; i < 4; i++)
    add_call (batch, T0 + 180 + i, crm->app_key, "bill_details", i == 0 ? AQ_API_WAREHOUSE : 0,
              7000000);
  add_call (batch, T0 + 70 * 60, crm->app_key, "zones", 0, 1000);
  g_assert_true (aq_api_log_write (db, batch, &error));
  g_assert_no_error (error);

  one = aq_api_monitor (db, "zones", T0 * G_USEC_PER_SEC, (T0 + 3600) * G_USEC_PER_SEC, 1,
                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (one, "calls"), ==, 35);
  g_assert_cmpint (json_object_get_int_member (one, "calls"), ==, aq_test_query_int64 (db,
    "SELECT sum(calls) FROM meta.api_call_minute WHERE api = 'zones'"
    " AND minute >= to_timestamp(1772359200) AND minute < to_timestamp(1772362800)"));
  g_assert_cmpint (json_object_get_int_member (one, "errors"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "error_share"), 2.0 / 35,
                                  1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "p50_ms"),
                                  sql_quantile ("zones", T0, T0 + 3600, 0.5), 0.001);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "p95_ms"),
                                  sql_quantile ("zones", T0, T0 + 3600, 0.95), 0.001);
  series = json_object_get_array_member (one, "series");
  g_assert_cmpuint (json_array_get_length (series), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 0), "at"),
                   ==, T0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 0),
                                               "calls"), ==, 15);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
    json_array_get_object_element (series, 0), "p95_ms"),
    sql_quantile ("zones", T0, T0 + 60, 0.95), 0.001);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 1), "at"),
                   ==, T0 + 120);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
    json_array_get_object_element (series, 1), "p50_ms"),
    sql_quantile ("zones", T0 + 120, T0 + 180, 0.5), 0.001);
  callers = json_object_get_array_member (one, "top_callers");
  g_assert_cmpuint (json_array_get_length (callers), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (callers, 0),
                                                  "app"), ==, "wechat");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (callers, 0),
                                               "calls"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (callers, 1),
                                               "errors"), ==, 2);
  g_assert_false (json_object_has_member (one, "top_apis"));

  /* all APIs: the 7 s calls land in the last bucket; top APIs; 5-minute steps */
  all = aq_api_monitor (db, NULL, T0 * G_USEC_PER_SEC, (T0 + 3600) * G_USEC_PER_SEC, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (all, "calls"), ==, 39);
  g_assert_cmpint (json_object_get_int_member (all, "errors"), ==, 3);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (all, "p95_ms"),
                                  sql_quantile (NULL, T0, T0 + 3600, 0.95), 0.001);
  g_assert_cmpfloat (json_object_get_double_member (all, "p95_ms"), ==, 5000);
  series = json_object_get_array_member (all, "series");
  g_assert_cmpuint (json_array_get_length (series), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 0),
                                               "calls"), ==, 39);
  apis = json_object_get_array_member (all, "top_apis");
  g_assert_cmpuint (json_array_get_length (apis), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (apis, 0),
                                                  "api"), ==, "zones");
  callers = json_object_get_array_member (all, "top_callers");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (callers, 1),
                                               "calls"), ==, 14);

  /* a window with nothing */
  coarse = aq_api_monitor (db, "zones", (T0 - 7200) * G_USEC_PER_SEC, T0 * G_USEC_PER_SEC, 60,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (coarse, "calls"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (coarse, "p50_ms"), ==, 0);

  /* the quantile by hand: 10 calls in [2, 5) ms → p50 at 2 + 3 × 5/10 */
  buckets[2] = 10;
  g_assert_cmpfloat_with_epsilon (aq_api_buckets_quantile (buckets, 0.5), 3.5, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_db_new (DB_NAME, TRUE);
  conninfo = aq_test_conninfo (DB_NAME);
  g_test_add_func ("/api-authoring/sql-params", test_sql_params);
  g_test_add_func ("/api-authoring/draft-definition", test_draft_definition);
  g_test_add_func ("/api-authoring/may-publish", test_may_publish);
  g_test_add_func ("/api-authoring/diff", test_diff);
  g_test_add_func ("/api-authoring/monitor", test_monitor);
  status = g_test_run ();
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  g_free (conninfo);
  return status;
}

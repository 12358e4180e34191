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

/* ---- the pick-a-table path ---- */

static gboolean
listed (GPtrArray  *tables,
        const char *schema,
        const char *name)
{
  for (guint i = 0; i < tables->len; i++)
    {
      AqApiTable *t = g_ptr_array_index (tables, i);

      if (g_str_equal (t->schema, schema) && g_str_equal (t->name, name))
        return TRUE;
    }
  return FALSE;
}

static void
exec_ok (const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (aq_db_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
test_table_template (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = NULL;
  g_autoptr(GPtrArray) columns = NULL;
  g_autoptr(GPtrArray) params = NULL;
  g_autoptr(JsonObject) definition = NULL;
  g_autoptr(AqApi) api = NULL;
  g_autoptr(JsonObject) input = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *answer = NULL;
  g_autofree AqApiDraftParam *draft = NULL;
  const char *picked[] = { "size_dn", "id", "name", NULL };
  AqApiTableFilter filters[] = {
    { "name", AQ_API_OP_STARTS_WITH, FALSE },
    { "size_dn", AQ_API_OP_AT_LEAST, TRUE },
    { "id", AQ_API_OP_IN, FALSE },
    { "active", AQ_API_OP_EQUAL, FALSE },
  };
  guint rows = 0;
  AqApiColumn *column;
  AqApiTableParam *param;

  exec_ok ("CREATE TABLE dw.t_pick (id integer PRIMARY KEY, name text, size_dn integer,"
           " opened date, active boolean, secret text);"
           "INSERT INTO dw.t_pick VALUES (1, 'North 1', 20, '2020-01-01', true, 's'),"
           " (2, 'North 2', 15, '2020-02-01', true, 's'), (3, 'South 3', 25, NULL, false, 's'),"
           " (4, 'O''Brien; --', 40, '2021-01-01', true, 's'), (5, 'North 5', 50, NULL, NULL, 's');"
           "CREATE TABLE dw.t_hidden (id integer PRIMARY KEY);"
           /* the warehouse grants new dw tables to the readers (010): take that back */
           "REVOKE ALL ON dw.t_pick, dw.t_hidden FROM aq_api;"
           "GRANT SELECT (id, name, size_dn, opened, active) ON dw.t_pick TO aq_api");

  /* the warehouse decides what is offered: a column grant lists the table with those columns
   * only; no grant, not listed; dw.dim_customer only through its masked view */
  tables = aq_api_readable_tables (db, &error);
  g_assert_no_error (error);
  g_assert_true (listed (tables, "dw", "t_pick"));
  g_assert_false (listed (tables, "dw", "t_hidden"));
  g_assert_false (listed (tables, "dw", "dim_customer"));
  g_assert_true (listed (tables, "masked", "dim_customer"));
  g_assert_true (listed (tables, "dw", "dim_meter"));
  /* and every table offered reads, as aq_api, with every column offered */
  {
    g_autoptr(GPtrArray) selects = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < tables->len; i++)
      {
        AqApiTable *t = g_ptr_array_index (tables, i);
        g_autoptr(GPtrArray) cols = aq_api_table_columns (db, t->schema, t->name, &error);
        g_autoptr(GString) select = g_string_new ("SELECT ");

        g_assert_no_error (error);
        for (guint k = 0; k < cols->len; k++)
          {
            g_autofree char *q = aq_db_quote_ident (((AqApiColumn *) cols->pdata[k])->name);

            g_string_append_printf (select, "%s%s", k ? ", " : "", q);
          }
        g_string_append_printf (select, " FROM \"%s\".\"%s\" LIMIT 0", t->schema, t->name);
        g_ptr_array_add (selects, g_string_free (g_steal_pointer (&select), FALSE));
      }
    exec_ok ("BEGIN READ ONLY; SET LOCAL ROLE aq_api");
    for (guint i = 0; i < selects->len; i++)
      {
        g_autoptr(PGresult) res = aq_db_query (db, selects->pdata[i], 0, NULL, &error);

        g_assert_no_error (error);
      }
    aq_db_rollback (db);
  }

  columns = aq_api_table_columns (db, "dw", "t_pick", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (columns->len, ==, 5);   /* not secret */
  column = g_ptr_array_index (columns, 0);
  g_assert_cmpstr (column->name, ==, "id");
  g_assert_true (column->key);
  g_assert_cmpint (column->param_type, ==, AQ_API_PARAM_INTEGER);
  column = g_ptr_array_index (columns, 3);
  g_assert_cmpstr (column->name, ==, "opened");
  g_assert_cmpint (column->param_type, ==, AQ_API_PARAM_DATE);
  column = g_ptr_array_index (columns, 4);
  g_assert_false (column->native);

  sql = aq_api_table_template ("dw", "t_pick", columns, picked, filters, G_N_ELEMENTS (filters),
                               &params, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sql, ==,
                   "SELECT \"id\", \"name\", \"size_dn\"\n"
                   "FROM \"dw\".\"t_pick\"\n"
                   "WHERE \"size_dn\" >= :size_dn_from\n"
                   "[[ AND starts_with(\"name\", :name_prefix) ]]\n"
                   "[[ AND \"id\" = ANY (:id_in::integer[]) ]]\n"
                   "[[ AND \"active\"::text = :active ]]");
  g_assert_cmpuint (params->len, ==, 4);
  param = g_ptr_array_index (params, 0);
  g_assert_cmpstr (param->name, ==, "size_dn_from");
  g_assert_cmpint (param->type, ==, AQ_API_PARAM_INTEGER);
  g_assert_true (param->required);
  param = g_ptr_array_index (params, 2);
  g_assert_cmpstr (param->name, ==, "id_in");
  g_assert_cmpint (param->type, ==, AQ_API_PARAM_LIST);
  g_assert_false (param->required);

  /* what the scan finds is what the template declares */
  {
    g_autoptr(GPtrArray) found = aq_api_sql_params (sql);

    g_assert_cmpuint (found->len, ==, 4);
    g_assert_cmpstr (((AqApiSqlParam *) g_ptr_array_index (found, 3))->name, ==, "active");
    g_assert_true (((AqApiSqlParam *) g_ptr_array_index (found, 3))->optional);
  }

  /* it compiles and runs as aq_api, the values bound: against independent SQL */
  draft = g_new0 (AqApiDraftParam, params->len);
  for (guint i = 0; i < params->len; i++)
    {
      param = g_ptr_array_index (params, i);
      draft[i].name = param->name;
      draft[i].type = param->type;
      draft[i].required = param->required;
    }
  definition = aq_api_draft_definition (sql, draft, params->len, "id", "integer", 50);
  api = aq_api_new ("t_pick_api", "other", NULL, NULL, "sql", "external", 1, definition, &error);
  g_assert_no_error (error);
  input = aq_test_parse_object ("{\"size_dn_from\": \"20\", \"id_in\": [\"1\", \"3\", \"4\"],"
                                " \"name_prefix\": \"North\"}");
  answer = aq_api_try (db, api, input, &rows, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (answer, "\"code\":0"));
  g_assert_cmpuint (rows, ==, aq_test_query_int64 (db,
    "SELECT count(*) FROM dw.t_pick WHERE size_dn >= 20 AND id IN (1, 3, 4)"
    " AND name LIKE 'North%'"));
  g_assert_cmpuint (rows, ==, 1);
  g_clear_pointer (&answer, g_free);
  g_clear_pointer (&input, json_object_unref);
  /* meta-characters are data: the quote and the comment find their row */
  input = aq_test_parse_object ("{\"size_dn_from\": \"0\", \"name_prefix\": \"O'Brien; --\","
                                " \"active\": \"true\"}");
  answer = aq_api_try (db, api, input, &rows, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, 1);
  g_assert_nonnull (strstr (answer, "\"id\":4"));

  /* faults named */
  g_clear_pointer (&sql, g_free);
  filters[0] = (AqApiTableFilter) { "size_dn", AQ_API_OP_STARTS_WITH, FALSE };
  sql = aq_api_table_template ("dw", "t_pick", columns, picked, filters, 1, NULL, &error);
  g_assert_null (sql);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "size_dn"));
  g_clear_error (&error);
  {
    const char *secret[] = { "id", "secret", NULL };
    const char *none[] = { NULL };

    sql = aq_api_table_template ("dw", "t_pick", columns, secret, NULL, 0, NULL, &error);
    g_assert_null (sql);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "secret"));
    g_clear_error (&error);
    sql = aq_api_table_template ("dw", "t_pick", columns, none, NULL, 0, NULL, &error);
    g_assert_null (sql);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_clear_error (&error);
  }
  /* a column named like the paging's own gets a name of its own */
  {
    g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (
      (GDestroyNotify) aq_api_column_free);
    g_autoptr(GPtrArray) own_params = NULL;
    AqApiColumn *count = g_new0 (AqApiColumn, 1);
    const char *all[] = { "count", NULL };
    AqApiTableFilter twice[] = { { "count", AQ_API_OP_EQUAL, TRUE },
                                 { "count", AQ_API_OP_EQUAL, FALSE } };

    count->name = g_strdup ("count");
    count->sql_type = g_strdup ("bigint");
    count->param_type = AQ_API_PARAM_INTEGER;
    count->native = TRUE;
    g_ptr_array_add (own, count);
    sql = aq_api_table_template ("dm", "x", own, all, twice, 2, &own_params, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (((AqApiTableParam *) g_ptr_array_index (own_params, 0))->name, ==,
                     "count_2");
    g_assert_cmpstr (((AqApiTableParam *) g_ptr_array_index (own_params, 1))->name, ==,
                     "count_3");
  }

  /* a grant taken back: gone from the list, and its columns refused */
  exec_ok ("REVOKE SELECT (id, name, size_dn, opened, active) ON dw.t_pick FROM aq_api");
  g_clear_pointer (&tables, g_ptr_array_unref);
  tables = aq_api_readable_tables (db, &error);
  g_assert_no_error (error);
  g_assert_false (listed (tables, "dw", "t_pick"));
  g_clear_pointer (&columns, g_ptr_array_unref);
  columns = aq_api_table_columns (db, "dw", "t_pick", &error);
  g_assert_null (columns);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  exec_ok ("DROP TABLE dw.t_pick; DROP TABLE dw.t_hidden");
}

/* ---- the monitor ---- */

#define T0 G_GINT64_CONSTANT (1772359200)   /* 2026-03-01 10:00:00 UTC */

/* every call the test logs, as the test knows it: the truth the monitor is checked against */
typedef struct
{
  gint64  at_s;
  char   *api;
  char   *app;
  guint   latency_us;
} Logged;

static GArray *logged;

static void
add_call (GPtrArray  *batch,
          gint64      at_s,
          const char *app,
          const char *api,
          int         code,
          guint       latency_us)
{
  AqApiCallRecord *r = g_new0 (AqApiCallRecord, 1);
  Logged l = { at_s, g_strdup (api), g_strdup (app), latency_us };

  r->at = at_s * G_USEC_PER_SEC;
  r->app_key = g_strdup (app);
  r->api = g_strdup (api);
  r->http = code ? 429 : 200;
  r->code = code;
  r->latency_us = latency_us;
  g_ptr_array_add (batch, r);
  if (logged == NULL)
    logged = g_array_new (FALSE, FALSE, sizeof (Logged));
  g_array_append_val (logged, l);
}

/* The exact quantile of the latencies the test logged for @api (NULL: all) in the minutes
 * from @from_s to before @to_s: percentile_cont over those numbers, handed to PostgreSQL as
 * an array literal — not read from any table the monitor reads. */
static double
exact_quantile_of (const char *api,
                   const char *app,
                   gint64      from_s,
                   gint64      to_s,
                   double      q)
{
  g_autoptr(GString) array = g_string_new ("{");
  g_autofree char *qt = g_strdup_printf ("%.3f", q);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *params[] = { NULL, qt };

  for (guint i = 0; i < logged->len; i++)
    {
      Logged *l = &g_array_index (logged, Logged, i);
      gint64 minute = l->at_s - l->at_s % 60;

      if ((api == NULL || g_str_equal (api, l->api)) && (app == NULL || g_str_equal (app, l->app))
          && minute >= from_s && minute < to_s)
        g_string_append_printf (array, "%s%u", array->len > 1 ? "," : "", l->latency_us);
    }
  g_string_append_c (array, '}');
  params[0] = array->str;
  text = aq_db_query_string (db,
    "SELECT coalesce(round((percentile_cont($2::float8) WITHIN GROUP (ORDER BY x) / 1000.0)"
    "  ::numeric, 3), 0)::text FROM unnest($1::int[]) AS x", 2, params, &error);
  g_assert_no_error (error);
  return g_ascii_strtod (text, NULL);
}

static double
exact_quantile (const char *api,
                gint64      from_s,
                gint64      to_s,
                double      q)
{
  return exact_quantile_of (api, NULL, from_s, to_s, q);
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
                                  exact_quantile ("zones", T0, T0 + 3600, 0.5), 0.001);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "p95_ms"),
                                  exact_quantile ("zones", T0, T0 + 3600, 0.95), 0.001);
  /* where the histogram read 100–200 ms linearly, the calls say 150 */
  g_assert_cmpfloat (json_object_get_double_member (one, "p95_ms"), ==, 150);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (one, "p99_ms"),
                                  exact_quantile ("zones", T0, T0 + 3600, 0.99), 0.001);
  series = json_object_get_array_member (one, "series");
  g_assert_cmpuint (json_array_get_length (series), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 0), "at"),
                   ==, T0);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 0),
                                               "calls"), ==, 15);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
    json_array_get_object_element (series, 0), "p95_ms"),
    exact_quantile ("zones", T0, T0 + 60, 0.95), 0.001);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (series, 1), "at"),
                   ==, T0 + 120);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (
    json_array_get_object_element (series, 1), "p50_ms"),
    exact_quantile ("zones", T0 + 120, T0 + 180, 0.5), 0.001);
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
                                  exact_quantile (NULL, T0, T0 + 3600, 0.95), 0.001);
  /* the histogram's last bucket said 5000 ms; the four 7 s calls say 7000 */
  g_assert_cmpfloat (json_object_get_double_member (all, "p95_ms"), ==, 7000);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (all, "p99_ms"),
                                  exact_quantile (NULL, T0, T0 + 3600, 0.99), 0.001);
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

  /* `aqueductctl api stats` at 11:10 over the last 70 minutes (everything logged), per API and
   * app: its percentiles exact too */
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo,
                          "AQUEDUCT_NOW", "2026-03-01T11:10:00Z", NULL };
    int status = -1;
    g_autofree char *out = NULL;
    g_autoptr(JsonNode) stats = NULL;
    JsonArray *rows;
    guint checked = 0;

    aq_test_ctl_set_env (env);
    out = aq_test_ctl (&status, NULL, "api", "stats", "--minutes", "70", "--json", NULL);
    aq_test_ctl_set_env (NULL);
    g_assert_cmpint (status, ==, 0);
    stats = json_from_string (out, &error);
    g_assert_no_error (error);
    rows = json_node_get_array (stats);
    for (guint i = 0; i < json_array_get_length (rows); i++)
      {
        JsonObject *o = json_array_get_object_element (rows, i);
        const char *api = json_object_get_string_member (o, "api");
        const char *app = json_object_get_string_member (o, "app_key");

        if (!g_str_equal (api, "zones") && !g_str_equal (api, "bill_details"))
          continue;
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "p95_ms"),
                                        exact_quantile_of (api, app, T0, T0 + 4260, 0.95),
                                        0.001);
        g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "p99_ms"),
                                        exact_quantile_of (api, app, T0, T0 + 4260, 0.99),
                                        0.001);
        checked++;
      }
    /* zones from crm and wechat, bill_details from crm */
    g_assert_cmpuint (checked, ==, 3);
  }

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
  g_test_add_func ("/api-authoring/table-template", test_table_template);
  status = g_test_run ();
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  g_free (conninfo);
  return status;
}

/* test-api-panel.c — the Data API panel under Xvfb: the market lists what meta.api holds, an
 * API's documentation and console, a call answered as a caller gets it (rows against SQL),
 * a bad parameter answered with its code, the monitor showing the logged calls; the
 * Define-an-API wizard (fill, test, publish; a refused SQL stores nothing; a login that may
 * not publish sees no Publish), the versions page (diff, rollback) and the monitor's charts
 * and top callers. The clock is pinned: the calls are logged at fixed instants. */
#include "aq-test-util.h"
#include "aq-test-ui.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "aq-api-panel.h"
#include "aq-panel.h"
#include "aq-screenshot.h"
#include "aq-ui.h"
#include "aq-window.h"

#define DB_NAME "t_api_panel"

static AqDb *db;
static AqWindow *window;
static AqApiPanel *panel;
/* the latencies logged below (µs, by the unix second they were logged at): the monitor's
 * percentiles are checked against these */
static GArray *logged_at, *logged_latency;

/* percentile_cont of the logged latencies whose minute is in [@from_s, @to_s), in ms, as
 * PostgreSQL computes it over the numbers themselves (not over any table) */
static double
exact_quantile (double q,
                gint64 from_s,
                gint64 to_s)
{
  g_autoptr(GString) array = g_string_new ("{");
  g_autofree char *qt = g_strdup_printf ("%.3f", q);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  const char *params[] = { NULL, qt };

  for (guint i = 0; i < logged_at->len; i++)
    {
      gint64 at = g_array_index (logged_at, gint64, i);

      if (at - at % 60 >= from_s && at - at % 60 < to_s)
        g_string_append_printf (array, "%s%u", array->len > 1 ? "," : "",
                                g_array_index (logged_latency, guint, i));
    }
  g_string_append_c (array, '}');
  params[0] = array->str;
  text = aq_db_query_string (db,
    "SELECT round((percentile_cont($2::float8) WITHIN GROUP (ORDER BY x) / 1000.0)::numeric, 3)"
    "  ::text FROM unnest($1::int[]) AS x", 2, params, &error);
  g_assert_no_error (error);
  return g_ascii_strtod (text, NULL);
}

static gboolean
idle (gpointer data)
{
  return !aq_api_panel_get_busy (panel);
}

static gboolean
api_open (gpointer data)
{
  const AqApi *api = aq_api_panel_get_api (panel);

  return !aq_api_panel_get_busy (panel) && api && g_str_equal (api->name, data);
}

static gboolean
answered (gpointer data)
{
  return !aq_api_panel_get_busy (panel) && aq_api_panel_get_response (panel) != NULL;
}

/* docs/screenshots' name: with AQ_SCREENSHOT_SUFFIX (e.g. "-zh_CN", the test then keeps the
 * caller's locale) before the extension */
static char *
shot_path (const char *dir,
           const char *name)
{
  const char *suffix = g_getenv ("AQ_SCREENSHOT_SUFFIX");
  g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".png"));
  g_autofree char *file = g_strdup_printf ("%s%s.png", stem, suffix ? suffix : "");

  return g_build_filename (dir, file, NULL);
}

/* With AQ_SCREENSHOT_DIR set, the window as the test leaves it, for docs/screenshots. */
static void
shoot (const char *name)
{
  const char *dir = g_getenv ("AQ_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  /* twice: a page switched just now redraws its switcher on the next frame */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  path = shot_path (dir, name);
  aq_screenshot_save_png (GTK_WIDGET (window), path, &error);
  g_assert_no_error (error);
}

static void
test_market (void)
{
  g_assert_cmpuint (aq_api_panel_get_n_apis (panel), ==,
                    aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"));
  g_assert_cmpuint (aq_api_panel_get_n_apis (panel), ==, 17);
}

static void
test_console (void)
{
  g_autofree char *account = aq_test_query_string (db,
    "SELECT account_id FROM dw.fact_bill GROUP BY account_id HAVING count(*) >= 12"
    " ORDER BY account_id LIMIT 1");
  gint64 bills = aq_test_count1 (db, "SELECT count(*) FROM dw.fact_bill WHERE account_id = $1",
                                 account);

  aq_api_panel_select (panel, "bill_details");
  aq_test_wait_for (api_open, (gpointer) "bill_details", 30, "bill_details's page");
  g_assert_cmpuint (aq_api_panel_get_api (panel)->params->len, ==, 3);

  aq_api_panel_show_page (panel, "console");
  aq_api_panel_set_param (panel, "account", account);
  aq_api_panel_call (panel);
  aq_test_wait_for (answered, NULL, 30, "the console's answer");
  g_assert_nonnull (strstr (aq_api_panel_get_response (panel), "\"code\":0,"));
  g_assert_cmpuint (aq_api_panel_get_response_rows (panel), ==, MIN (bills, 20));
  shoot ("api-console.png");

  /* a bad month: the caller's error answer, not a crash or an empty page */
  aq_api_panel_set_param (panel, "from", "2026-13");
  aq_api_panel_call (panel);
  aq_test_wait_for (idle, NULL, 30, "the console's answer");
  if (strstr (aq_api_panel_get_response (panel), "\"code\":40001,") == NULL)
    g_printerr ("answer: %s\n", aq_api_panel_get_response (panel));
  g_assert_nonnull (strstr (aq_api_panel_get_response (panel), "\"code\":40001,"));
  g_assert_cmpuint (aq_api_panel_get_response_rows (panel), ==, 0);
}

static gboolean match_label (GtkWidget *widget, gconstpointer text);

/* ---- the wizard ---- */

static gboolean
wizard_idle (gpointer data)
{
  return !aq_api_wizard_get_busy (data);
}

static gboolean
api_version_open (gpointer data)
{
  const AqApi *api = aq_api_panel_get_api (panel);

  return !aq_api_panel_get_busy (panel) && api && g_str_equal (api->name, "meters_by_brand")
         && api->version == GPOINTER_TO_INT (data);
}

static void
shoot_window (GtkWidget  *widget,
              const char *name)
{
  const char *dir = g_getenv ("AQ_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    return;
  gtk_test_widget_wait_for_draw (widget);
  path = shot_path (dir, name);
  aq_screenshot_save_png (widget, path, &error);
  g_assert_no_error (error);
}

static void
test_wizard (void)
{
  AqApiWizard *wizard = aq_api_panel_define (panel, FALSE);
  g_autofree char *brand = aq_test_query_string (db,
    "SELECT brand FROM dw.dim_meter WHERE brand IS NOT NULL GROUP BY brand"
    " ORDER BY count(*) DESC, brand LIMIT 1");
  gint64 meters = aq_test_count1 (db, "SELECT count(*) FROM dw.dim_meter WHERE brand = $1",
                                  brand);
  g_auto(GStrv) params = NULL;
  g_autofree char *out = NULL;
  g_autoptr(JsonObject) shown = NULL;
  int status = -1;

  gtk_window_set_default_size (GTK_WINDOW (wizard), 1180, 860);
  gtk_window_present (GTK_WINDOW (wizard));
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard asking who may publish");
  g_assert_true (aq_api_wizard_get_can_publish (wizard));

  aq_api_wizard_set_fields (wizard, "meters_by_brand", "meter", "Meters by brand",
                            "Meters of one brand, optionally from a size up");
  aq_api_wizard_set_sql (wizard, "SELECT meter_no, brand, size_dn\nFROM dw.dim_meter\n"
                         "WHERE brand = :brand\n[[ AND size_dn >= :min_dn ]]");
  params = aq_api_wizard_get_params (wizard);
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  g_assert_cmpstr (params[0], ==, "brand");
  g_assert_cmpstr (params[1], ==, "min_dn");
  aq_api_wizard_set_param (wizard, "brand", AQ_API_PARAM_TEXT, TRUE, NULL, NULL, brand);
  aq_api_wizard_set_param (wizard, "min_dn", AQ_API_PARAM_INTEGER, FALSE, NULL, NULL, NULL);
  aq_api_wizard_set_page_key (wizard, "meter_no", AQ_API_PARAM_TEXT);

  aq_api_wizard_test (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "the trial");
  if (aq_api_wizard_get_failed (wizard))
    g_printerr ("trial: %s\n", aq_api_wizard_get_message (wizard));
  g_assert_false (aq_api_wizard_get_failed (wizard));
  g_assert_cmpuint (aq_api_wizard_get_rows (wizard), ==, MIN (meters, 20));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"
                                        " WHERE name = 'meters_by_brand'"), ==, 0);
  shoot_window (GTK_WIDGET (wizard), "api-wizard.png");

  aq_api_wizard_publish (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "publishing");
  g_assert_false (aq_api_wizard_get_failed (wizard));
  g_assert_cmpint (aq_api_wizard_get_published (wizard), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api_version"
                                        " WHERE api = 'meters_by_brand'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT published_version FROM meta.api"
                                        " WHERE name = 'meters_by_brand'"), ==, 1);
  out = aq_test_ctl (&status, NULL, "api", "show", "meters_by_brand", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  shown = aq_test_parse_object (out);
  g_assert_cmpint (json_object_get_int_member (shown, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (shown, "category"), ==, "meter");
  /* the panel reads the market again and opens the new API */
  aq_test_wait_for (api_version_open, GINT_TO_POINTER (1), 30, "the published API's page");
  g_assert_cmpuint (aq_api_panel_get_n_apis (panel), ==,
                    aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"));
  gtk_window_destroy (GTK_WINDOW (wizard));

  /* the next version from the API's page: prefilled, one more column */
  wizard = aq_api_panel_define (panel, TRUE);
  gtk_window_present (GTK_WINDOW (wizard));
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard");
  g_clear_pointer (&params, g_strfreev);
  params = aq_api_wizard_get_params (wizard);
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  aq_api_wizard_set_sql (wizard, "SELECT meter_no, brand, size_dn, status\nFROM dw.dim_meter\n"
                         "WHERE brand = :brand\n[[ AND size_dn >= :min_dn ]]");
  aq_api_wizard_set_param (wizard, "brand", AQ_API_PARAM_TEXT, TRUE, NULL, NULL, brand);
  aq_api_wizard_publish (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "publishing");
  g_assert_cmpint (aq_api_wizard_get_published (wizard), ==, 2);
  aq_test_wait_for (api_version_open, GINT_TO_POINTER (2), 30, "version 2's page");
  gtk_window_destroy (GTK_WINDOW (wizard));
}

static void
test_wizard_refused (void)
{
  AqApiWizard *wizard = aq_api_panel_define (panel, FALSE);

  gtk_window_present (GTK_WINDOW (wizard));
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard");
  aq_api_wizard_set_fields (wizard, "customer_ids", "customer", "Customer IDs", "");
  aq_api_wizard_set_sql (wizard, "SELECT customer_id, id_card FROM dw.dim_customer"
                         " WHERE customer_id = :customer_id");
  aq_api_wizard_set_param (wizard, "customer_id", AQ_API_PARAM_TEXT, TRUE, NULL, NULL, "x");
  aq_api_wizard_set_page_key (wizard, "customer_id", AQ_API_PARAM_TEXT);

  /* the trial runs as a caller would: the masked role may not read dw.dim_customer */
  aq_api_wizard_test (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "the trial");
  g_assert_true (aq_api_wizard_get_failed (wizard));
  g_assert_nonnull (strstr (aq_api_wizard_get_message (wizard), "dim_customer"));
  g_assert_cmpuint (aq_api_wizard_get_rows (wizard), ==, 0);

  aq_api_wizard_publish (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "publishing");
  g_assert_true (aq_api_wizard_get_failed (wizard));
  g_assert_nonnull (strstr (aq_api_wizard_get_message (wizard), "dim_customer"));
  g_assert_cmpint (aq_api_wizard_get_published (wizard), ==, 0);
  shoot_window (GTK_WIDGET (wizard), "api-wizard-refused.png");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api"
                                        " WHERE name = 'customer_ids'"), ==, 0);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api_version"
                                        " WHERE api = 'customer_ids'"), ==, 0);
  gtk_window_destroy (GTK_WINDOW (wizard));
}

static void
test_wizard_not_publisher (void)
{
  g_autofree char *owner = g_strdup (g_getenv ("AQUEDUCT_DATABASE_URL"));
  g_autofree char *analyst = aq_test_login_conninfo (DB_NAME, "aqap_analyst", "analyst");
  AqApiWizard *wizard;

  /* the jobs resolve the warehouse from the environment first */
  g_setenv ("AQUEDUCT_DATABASE_URL", analyst, TRUE);
  wizard = aq_api_wizard_new (NULL, analyst, NULL);
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard asking who may publish");
  g_setenv ("AQUEDUCT_DATABASE_URL", owner, TRUE);
  g_assert_false (aq_api_wizard_get_can_publish (wizard));
  gtk_window_destroy (GTK_WINDOW (wizard));
}

/* ---- the wizard's pick-a-table path ---- */

static void
test_wizard_table (void)
{
  AqApiWizard *wizard = aq_api_panel_define (panel, FALSE);
  g_autofree char *brand = aq_test_query_string (db,
    "SELECT brand FROM dw.dim_meter WHERE brand IS NOT NULL GROUP BY brand"
    " ORDER BY count(*) DESC, brand LIMIT 1");
  gint64 meters = aq_test_count1 (db, "SELECT count(*) FROM dw.dim_meter"
                                  " WHERE brand = $1 AND size_dn >= 20", brand);
  g_autofree char *last = aq_test_text1 (db, "SELECT max(meter_no) FROM dw.dim_meter"
                                         " WHERE brand = $1 AND size_dn >= 20", brand);
  const char *picked[] = { "meter_no", "brand", "size_dn", "installed_on", NULL };
  g_auto(GStrv) tables = NULL;
  g_auto(GStrv) columns = NULL;
  g_auto(GStrv) params = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApi) api = NULL;
  g_autoptr(JsonObject) input = json_object_new ();
  g_autofree char *answer = NULL;
  guint rows = 0;

  gtk_window_set_default_size (GTK_WINDOW (wizard), 1180, 900);
  gtk_window_present (GTK_WINDOW (wizard));
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard reading the tables");

  /* offered: what the warehouse lets aq_api read, nothing else */
  tables = aq_api_wizard_get_tables (wizard);
  g_assert_true (g_strv_contains ((const char * const *) tables, "dw.dim_meter"));
  g_assert_true (g_strv_contains ((const char * const *) tables, "masked.dim_customer"));
  g_assert_false (g_strv_contains ((const char * const *) tables, "dw.dim_customer"));
  g_assert_cmpuint (g_strv_length (tables), ==, aq_test_query_int64 (db,
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname IN ('dw', 'dm', 'masked') AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
    "  AND NOT c.relispartition AND has_schema_privilege('aq_api', n.oid, 'USAGE')"
    "  AND has_any_column_privilege('aq_api', c.oid, 'SELECT')"));
  g_assert_false (aq_api_wizard_pick_table (wizard, "dw.dim_customer"));

  g_assert_true (aq_api_wizard_pick_table (wizard, "dw.dim_meter"));
  aq_test_wait_for (wizard_idle, wizard, 30, "dw.dim_meter's columns");
  columns = aq_api_wizard_get_columns (wizard);
  g_assert_cmpuint (g_strv_length (columns), ==, aq_test_query_int64 (db,
    "SELECT count(*) FROM pg_attribute WHERE attrelid = 'dw.dim_meter'::regclass"
    " AND attnum > 0 AND NOT attisdropped"
    " AND has_column_privilege('aq_api', attrelid, attnum, 'SELECT')"));
  aq_api_wizard_set_columns (wizard, picked);
  aq_api_wizard_add_filter (wizard, "brand", AQ_API_OP_EQUAL, TRUE);
  aq_api_wizard_add_filter (wizard, "size_dn", AQ_API_OP_AT_LEAST, FALSE);
  sql = aq_api_wizard_get_sql (wizard);
  g_assert_cmpstr (sql, ==,
                   "SELECT \"meter_no\", \"size_dn\", \"brand\", \"installed_on\"\n"
                   "FROM \"dw\".\"dim_meter\"\n"
                   "WHERE \"brand\" = :brand\n"
                   "[[ AND \"size_dn\" >= :size_dn_from ]]");
  params = aq_api_wizard_get_params (wizard);
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  g_assert_cmpstr (params[1], ==, "size_dn_from");

  aq_api_wizard_set_fields (wizard, "meters_of_brand", "meter", "Meters of a brand", "");
  aq_api_wizard_set_param (wizard, "brand", AQ_API_PARAM_TEXT, TRUE, NULL, NULL, brand);
  aq_api_wizard_set_param (wizard, "size_dn_from", AQ_API_PARAM_INTEGER, FALSE, NULL, NULL,
                           "20");
  aq_api_wizard_set_paging (wizard, TRUE, 50);
  aq_api_wizard_test (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "the trial");
  if (aq_api_wizard_get_failed (wizard))
    g_printerr ("trial: %s\n", aq_api_wizard_get_message (wizard));
  g_assert_false (aq_api_wizard_get_failed (wizard));
  g_assert_cmpuint (aq_api_wizard_get_rows (wizard), ==, MIN (meters, 20));
  g_assert_cmpint (meters, >, 0);
  shoot_window (GTK_WIDGET (wizard), "api-wizard-table.png");

  aq_api_wizard_publish (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "publishing");
  g_assert_false (aq_api_wizard_get_failed (wizard));
  g_assert_cmpint (aq_api_wizard_get_published (wizard), ==, 1);
  gtk_window_destroy (GTK_WINDOW (wizard));

  /* stored with its paging: the newest meter first, 50 a page at most */
  api = aq_api_load (db, "meters_of_brand", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (api->page_key, ==, "meter_no");
  g_assert_true (api->page_desc);
  g_assert_cmpuint (api->max_page_size, ==, 50);
  json_object_set_string_member (input, "brand", brand);
  json_object_set_string_member (input, "size_dn_from", "20");
  answer = aq_api_try (db, api, input, &rows, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows, ==, MIN (meters, 20));
  {
    g_autofree char *first = g_strdup_printf ("[{\"meter_no\":\"%s\",", last);

    g_assert_nonnull (strstr (answer, first));
  }
}

/* ---- the wizard registering a business system's API ---- */

static void
test_wizard_forward (void)
{
  AqApiWizard *wizard = aq_api_panel_define (panel, FALSE);
  g_auto(GStrv) params = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApi) api = NULL;
  g_autofree char *conninfo = aq_test_conninfo (DB_NAME);

  gtk_window_set_default_size (GTK_WINDOW (wizard), 1180, 900);
  gtk_window_present (GTK_WINDOW (wizard));
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard");
  aq_api_wizard_set_fields (wizard, "legacy_bills", "billing", "Bills from the billing system",
                            "The billing system's own bill list, mapped from its XML");
  aq_api_wizard_set_forward (wizard, "http://127.0.0.1:9/bills", "POST", 1500, "account, month",
                             TRUE);
  params = aq_api_wizard_get_params (wizard);
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  g_assert_cmpstr (params[0], ==, "account");
  aq_api_wizard_set_param (wizard, "account", AQ_API_PARAM_TEXT, TRUE, NULL, NULL, NULL);
  aq_api_wizard_set_param (wizard, "month", AQ_API_PARAM_MONTH, FALSE, NULL, NULL, NULL);

  /* a mapping that is not one: named, nothing stored */
  aq_api_wizard_set_xml_map (wizard, "{\"records\": \"Bills/Bill\", \"fields\": 3}");
  aq_api_wizard_test (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "the check");
  g_assert_true (aq_api_wizard_get_failed (wizard));
  g_assert_nonnull (strstr (aq_api_wizard_get_message (wizard), "fields"));

  aq_api_wizard_set_xml_map (wizard,
    "{\"records\": \"Envelope/Body/Bills/Bill\",\n \"fields\": [\n"
    "  {\"name\": \"bill_no\", \"path\": \"@no\"},\n"
    "  {\"name\": \"amount\", \"path\": \"Amount\", \"type\": \"number\"}]}");
  aq_api_wizard_test (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "the check");
  if (aq_api_wizard_get_failed (wizard))
    g_printerr ("check: %s\n", aq_api_wizard_get_message (wizard));
  g_assert_false (aq_api_wizard_get_failed (wizard));
  shoot_window (GTK_WIDGET (wizard), "api-wizard-forward.png");

  aq_api_wizard_publish (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "publishing");
  g_assert_false (aq_api_wizard_get_failed (wizard));
  g_assert_cmpint (aq_api_wizard_get_published (wizard), ==, 1);
  gtk_window_destroy (GTK_WINDOW (wizard));

  api = aq_api_load (db, "legacy_bills", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (api->kind, ==, "forward");
  g_assert_cmpstr (api->forward_url, ==, "http://127.0.0.1:9/bills");
  g_assert_cmpstr (api->forward_method, ==, "POST");
  g_assert_cmpuint (api->timeout_ms, ==, 1500);
  g_assert_nonnull (api->xml_map);
  g_assert_true (((AqApiParam *) g_ptr_array_index (api->params, 0))->required);
  g_assert_cmpint (((AqApiParam *) g_ptr_array_index (api->params, 1))->type, ==,
                   AQ_API_PARAM_MONTH);

  /* its next version opens as a forward, prefilled */
  aq_panel_reload (AQ_PANEL (panel));
  aq_test_wait_for (idle, NULL, 30, "the market");
  wizard = aq_api_wizard_new (NULL, conninfo, api);
  aq_test_wait_for (wizard_idle, wizard, 30, "the wizard");
  g_clear_pointer (&params, g_strfreev);
  params = aq_api_wizard_get_params (wizard);
  g_assert_cmpuint (g_strv_length (params), ==, 2);
  aq_api_wizard_test (wizard);
  aq_test_wait_for (wizard_idle, wizard, 30, "the check");
  g_assert_false (aq_api_wizard_get_failed (wizard));
  gtk_window_destroy (GTK_WINDOW (wizard));
}

/* ---- versions ---- */

static gboolean
diffed (gpointer data)
{
  return !aq_api_panel_get_busy (panel) && aq_api_panel_get_diff_text (panel) != NULL;
}

static gboolean
zones_open (gpointer data)
{
  const AqApi *api = aq_api_panel_get_api (panel);

  return !aq_api_panel_get_busy (panel) && api && g_str_equal (api->name, "zones_v")
         && api->version == GPOINTER_TO_INT (data)
         && aq_api_panel_get_n_versions (panel) == 2;
}

static void
test_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) v1 = aq_test_parse_object (
    "{\"sql\": \"SELECT zone_code, name\\nFROM dw.dim_dma_zone\\nWHERE level = :level\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true}],"
    " \"page_key\": \"zone_code\"}");
  g_autoptr(JsonObject) v2 = aq_test_parse_object (
    "{\"sql\": \"SELECT zone_code, name, level\\nFROM dw.dim_dma_zone\\nWHERE level = :level\\n"
    "[[ AND name LIKE :prefix ]]\","
    " \"params\": [{\"name\": \"level\", \"type\": \"integer\", \"required\": true},"
    "              {\"name\": \"prefix\", \"type\": \"text\"}],"
    " \"page_key\": \"zone_code\"}");
  const char *text;

  g_assert_cmpint (aq_api_publish (db, "zones_v", "nrw", "Zones", "", "sql", v1, "first",
                                   &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpint (aq_api_publish (db, "zones_v", "nrw", "Zones", "", "sql", v2,
                                   "name prefix", &error), ==, 2);
  g_assert_no_error (error);
  aq_panel_reload (AQ_PANEL (panel));
  aq_test_wait_for (idle, NULL, 30, "the market");
  aq_api_panel_select (panel, "zones_v");
  aq_test_wait_for (zones_open, GINT_TO_POINTER (2), 30, "zones_v's versions");
  aq_api_panel_show_page (panel, "versions");

  aq_api_panel_diff (panel, 1, 2);
  aq_test_wait_for (diffed, NULL, 30, "the diff");
  text = aq_api_panel_get_diff_text (panel);
  g_assert_nonnull (strstr (text, "- SELECT zone_code, name\n"));
  g_assert_nonnull (strstr (text, "+ SELECT zone_code, name, level\n"));
  g_assert_nonnull (strstr (text, "+ prefix (text)"));
  g_assert_nonnull (strstr (text, "+ level\n"));
  shoot ("api-versions.png");

  aq_api_panel_rollback (panel, 1);
  aq_test_wait_for (zones_open, GINT_TO_POINTER (1), 30, "the rollback");
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT published_version FROM meta.api"
                                        " WHERE name = 'zones_v'"), ==, 1);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM meta.api_version"
                                        " WHERE api = 'zones_v'"), ==, 2);
}

/* ---- the monitor's charts ---- */

static gboolean
watched (gpointer data)
{
  JsonObject *w = aq_api_panel_get_watch (panel);

  return !aq_api_panel_get_busy (panel) && w
         && (data == NULL ? json_object_get_null_member (w, "api")
                          : g_strcmp0 (json_object_get_string_member (w, "api"), data) == 0);
}

static void
test_watch (void)
{
  JsonObject *w;
  JsonArray *callers;

  aq_api_panel_select (panel, "payments");
  aq_test_wait_for (api_open, (gpointer) "payments", 30, "payments' page");
  aq_api_panel_show_page (panel, "monitor");
  aq_api_panel_set_watch (panel, FALSE, 0);
  aq_test_wait_for (watched, NULL, 30, "the monitor over all APIs");
  w = aq_api_panel_get_watch (panel);
  /* the hour up to the pinned 10:30: the minutes 09:31 to 10:30 */
  g_assert_cmpint (json_object_get_int_member (w, "calls"), ==, aq_test_query_int64 (db,
    "SELECT sum(calls) FROM meta.api_call_minute"
    " WHERE minute >= '2026-11-20 09:31:00+00' AND minute < '2026-11-20 10:31:00+00'"));
  g_assert_cmpint (json_object_get_int_member (w, "errors"), ==, aq_test_query_int64 (db,
    "SELECT sum(errors) FROM meta.api_call_minute"
    " WHERE minute >= '2026-11-20 09:31:00+00' AND minute < '2026-11-20 10:31:00+00'"));
  g_assert_cmpint (json_object_get_int_member (w, "errors"), ==, 4 + 4);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (w, "series")), ==,
                    aq_test_query_int64 (db, "SELECT count(DISTINCT minute)"
                                         " FROM meta.api_call_minute"
                                         " WHERE minute >= '2026-11-20 09:31:00+00'"));
  callers = json_object_get_array_member (w, "top_callers");
  g_assert_cmpuint (json_array_get_length (callers), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (callers, 0),
                                                  "app"), ==, "crm");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (callers, 1),
                                                  "app"), ==, "wechat");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (callers, 1),
                                               "calls"), ==, 40);
  g_assert_nonnull (aq_test_find_widget (GTK_WIDGET (panel), match_label, "wechat"));
  /* the percentiles are the calls' own, not read off the histogram's buckets */
  {
    gint64 from = 1795167060, to = 1795170660;   /* 09:31 and 10:31 on 2026-11-20, UTC */
    g_autofree char *p95 = NULL;

    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (w, "p50_ms"),
                                    exact_quantile (0.5, from, to), 0.001);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (w, "p95_ms"),
                                    exact_quantile (0.95, from, to), 0.001);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (w, "p99_ms"),
                                    exact_quantile (0.99, from, to), 0.001);
    /* and the panel shows that figure */
    p95 = g_strdup_printf ("p95 %.1f ", exact_quantile (0.95, from, to));
    g_assert_nonnull (strstr (aq_api_panel_get_watch_summary (panel), p95));
  }
  shoot ("api-monitor.png");

  aq_api_panel_set_watch (panel, TRUE, 1);
  aq_test_wait_for (watched, (gpointer) "payments", 30, "the monitor of payments");
  w = aq_api_panel_get_watch (panel);
  g_assert_cmpint (json_object_get_int_member (w, "calls"), ==, 40);
  g_assert_cmpint (json_object_get_int_member (w, "step_minutes"), ==, 15);
  g_assert_false (json_object_has_member (w, "top_apis"));
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0;
}

static void
test_monitor (void)
{
  GtkWidget *grid = aq_test_find_widget (GTK_WIDGET (panel), aq_test_match_name, "api-monitor");

  aq_api_panel_show_page (panel, "monitor");
  g_assert_nonnull (grid);
  /* the logged calls: 40 of the WeChat app on payments, 4 of them errors */
  g_assert_nonnull (aq_test_find_widget (grid, match_label, "wechat"));
  g_assert_nonnull (aq_test_find_widget (grid, match_label, "40"));
  g_assert_nonnull (aq_test_find_widget (grid, match_label, "10.00 %"));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  g_autoptr(AqConnectionMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqApiApp) app = NULL;
  g_autoptr(AqApiApp) crm = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (
    (GDestroyNotify) aq_api_call_record_free);
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);
  if (g_getenv ("AQ_SCREENSHOT_SUFFIX") == NULL)
    g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  else
    {
      /* screenshots in the caller's language, from the build's catalogs */
      g_autofree char *localedir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "po",
                                                     NULL);

      setlocale (LC_ALL, "");
      bindtextdomain ("aqueduct", localedir);
      bind_textdomain_codeset ("aqueduct", "UTF-8");
      textdomain ("aqueduct");
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  aq_ui_init ();

  db = aq_test_demo_db_new (DB_NAME, 200, 13);
  {
    /* the calls below and the panel's "now" */
    g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 20, 10, 30, 0);

    aq_clock_pin (now);
  }
  app = aq_api_app_add (db, "wechat", "", &error);
  g_assert_no_error (error);
  logged_at = g_array_new (FALSE, FALSE, sizeof (gint64));
  logged_latency = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < 40; i++)
    {
      AqApiCallRecord *r = g_new0 (AqApiCallRecord, 1);

      r->at = aq_clock_now_unix_usec () - i * G_USEC_PER_SEC;
      r->app_key = g_strdup (app->app_key);
      r->api = g_strdup ("payments");
      r->http = i < 4 ? 429 : 200;
      r->code = i < 4 ? AQ_API_RATE_LIMITED : 0;
      r->latency_us = 1000 + i * 100;
      g_ptr_array_add (batch, r);
      g_array_append_val (logged_at, ((gint64) { r->at / G_USEC_PER_SEC }));
      g_array_append_val (logged_latency, r->latency_us);
    }
  /* and a CRM calling bills through the last hour, for the charts: 1 to 7 calls a minute */
  crm = aq_api_app_add (db, "crm", "", &error);
  g_assert_no_error (error);
  for (guint m = 1; m < 60; m++)
    for (guint k = 0; k <= m % 7; k++)
      {
        AqApiCallRecord *r = g_new0 (AqApiCallRecord, 1);

        r->at = aq_clock_now_unix_usec () - m * 60 * G_USEC_PER_SEC - k * G_USEC_PER_SEC;
        r->app_key = g_strdup (crm->app_key);
        r->api = g_strdup ("bill_details");
        r->http = m % 13 == 0 && k == 0 ? 500 : 200;
        r->code = m % 13 == 0 && k == 0 ? AQ_API_WAREHOUSE : 0;
        r->latency_us = 2000 + (m * 37 % 50) * 1000 + k * 3000;
        g_ptr_array_add (batch, r);
        g_array_append_val (logged_at, ((gint64) { r->at / G_USEC_PER_SEC }));
        g_array_append_val (logged_latency, r->latency_us);
      }
  aq_api_log_write (db, batch, &error);
  g_assert_no_error (error);

  monitor = aq_connection_monitor_new ();
  window = aq_window_new (NULL, monitor);
  aq_connection_monitor_set_conninfo (monitor, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));
  aq_window_show_panel (window, "api");
  panel = AQ_API_PANEL (aq_window_get_panel (window, "api"));
  aq_test_wait_for (idle, NULL, 60, "the market");

  g_test_add_func ("/api-panel/market", test_market);
  g_test_add_func ("/api-panel/console", test_console);
  g_test_add_func ("/api-panel/monitor", test_monitor);
  g_test_add_func ("/api-panel/wizard", test_wizard);
  g_test_add_func ("/api-panel/wizard-refused", test_wizard_refused);
  g_test_add_func ("/api-panel/wizard-not-publisher", test_wizard_not_publisher);
  g_test_add_func ("/api-panel/wizard-table", test_wizard_table);
  g_test_add_func ("/api-panel/wizard-forward", test_wizard_forward);
  g_test_add_func ("/api-panel/versions", test_versions);
  g_test_add_func ("/api-panel/watch", test_watch);
  ret = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  return ret;
}

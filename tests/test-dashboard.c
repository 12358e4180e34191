/* test-dashboard.c — the dashboard model, its JSON and versions, and the tiles' figures on a
 * small real demo warehouse, checked against independent SQL on the marts. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "aq-test-util.h"
#include "aqueduct-core.h"
#include "aq-dashboard.h"
#include "aq-dashboard-data.h"
#include "aq-dashboard-store.h"

static AqDb *db;
static AqCatalog *catalog;

static const char *shipped[] = {
  "marketing_cockpit", "service_cockpit", "operations_screen", "service_screen",
  "mining_reading", "mining_meters", "mining_work_orders", NULL
};

static AqDashboard *
shipped_dashboard (const char *name)
{
  g_autofree char *path = g_strdup_printf ("/org/aqueduct/Aqueduct/dashboards/%s.json", name);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);
  g_autoptr(GError) error = NULL;
  AqDashboard *dashboard;

  g_assert_nonnull (bytes);
  dashboard = aq_dashboard_new_from_data (g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return dashboard;
}

static void
test_json_round_trip (void)
{
  for (guint i = 0; shipped[i]; i++)
    {
      g_autoptr(AqDashboard) a = shipped_dashboard (shipped[i]);
      g_autofree char *text = aq_dashboard_to_data (a, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(AqDashboard) b = aq_dashboard_new_from_data (text, -1, &error);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (b->name, ==, shipped[i]);
      g_assert_cmpuint (b->tiles->len, ==, a->tiles->len);
      g_assert_cmpuint (b->tiles->len, >=, 8);
      again = aq_dashboard_to_data (b, NULL);
      g_assert_cmpstr (again, ==, text);
    }

  /* thresholds, target and period survive */
  {
    g_autoptr(AqDashboard) d = shipped_dashboard ("marketing_cockpit");
    AqDashboardTile *t = aq_dashboard_lookup_tile (d, "collection_rate");

    g_assert_nonnull (t);
    g_assert_true (t->has_thresholds);
    g_assert_cmpfloat (t->warning, ==, 0.95);
    g_assert_cmpfloat (t->alarm, ==, 0.9);
    g_assert_true (t->has_target);
    g_assert_cmpfloat (t->target, ==, 0.98);
    g_assert_cmpstr (aq_dashboard_tile_get_period (t, d), ==, "@latest");
    g_assert_cmpint (aq_dashboard_tile_get_refresh (t, d), ==, 300);
  }
}

static void
expect_invalid (const char *json,
                const char *message_start)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDashboard) d = aq_dashboard_new_from_data (json, -1, &error);

  g_assert_null (d);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  if (!g_str_has_prefix (error->message, message_start))
    g_error ("“%s” does not start with “%s”", error->message, message_start);
}

static void
test_json_invalid (void)
{
  expect_invalid ("[]", "A dashboard must be");
  expect_invalid ("{\"title\": \"x\"}", "name:");
  expect_invalid ("{\"name\": \"a\", \"kind\": \"wall\"}", "kind:");
  expect_invalid ("{\"name\": \"a\", \"tiles\": [{\"id\": \"t\", \"kind\": \"gauge\"}]}",
                  "tiles[0].kind:");
  expect_invalid ("{\"name\": \"a\", \"tiles\": [{\"id\": \"t\", \"kind\": \"kpi\"}]}",
                  "tiles[0].indicator:");
  expect_invalid ("{\"name\": \"a\", \"tiles\": [{\"id\": \"t\", \"kind\": \"chart\","
                  " \"report\": \"r\", \"chart\": \"donut\"}]}", "tiles[0].chart:");
  expect_invalid ("{\"name\": \"a\", \"tiles\": ["
                  "{\"id\": \"t\", \"kind\": \"kpi\", \"indicator\": \"calls\", \"x\": 0},"
                  "{\"id\": \"u\", \"kind\": \"kpi\", \"indicator\": \"calls\", \"x\": 1}]}",
                  "tiles[1]: overlaps tile “t”");
  expect_invalid ("{\"name\": \"a\", \"tiles\": ["
                  "{\"id\": \"t\", \"kind\": \"kpi\", \"indicator\": \"calls\", \"x\": 11}]}",
                  "tiles[0]: the tile does not fit");
  expect_invalid ("{\"name\": \"a\", \"tiles\": [{\"id\": \"t\", \"kind\": \"kpi\","
                  " \"indicator\": \"calls\", \"thresholds\": {\"warning\": 1}}]}",
                  "tiles[0].thresholds: needs both");
  expect_invalid ("{\"name\": \"a\", \"rows\": 0}", "rows:");
  /* nesting beyond the reader's limit is refused before json-glib sees it */
  {
    g_autoptr(GString) deep = g_string_new ("{\"name\": \"a\", \"x\": ");
    g_autoptr(GError) error = NULL;
    g_autoptr(AqDashboard) d = NULL;

    for (int i = 0; i < 1000; i++)
      g_string_append_c (deep, '[');
    d = aq_dashboard_new_from_data (deep->str, -1, &error);
    g_assert_null (d);
    g_assert_nonnull (error);
  }
}

static void
test_place (void)
{
  g_autoptr(AqDashboard) d = aq_dashboard_new ("p", AQ_DASHBOARD_COCKPIT);
  AqDashboardTile *a = aq_dashboard_tile_new ("a", AQ_TILE_KPI);
  AqDashboardTile *b = aq_dashboard_tile_new ("b", AQ_TILE_KPI);
  int x = -1, y = -1;

  a->indicator = g_strdup ("calls");
  b->indicator = g_strdup ("calls");
  g_ptr_array_add (d->tiles, a);
  g_assert_true (aq_dashboard_find_free (d, 3, 2, &x, &y));
  g_assert_cmpint (x, ==, 3);
  g_assert_cmpint (y, ==, 0);
  b->x = x;
  b->y = y;
  g_ptr_array_add (d->tiles, b);
  g_assert_true (aq_dashboard_validate (d, NULL));

  /* onto a: refused, nothing moves */
  g_assert_false (aq_dashboard_place_tile (d, "b", 1, 0, 3, 2));
  g_assert_cmpint (b->x, ==, 3);
  /* resize within the grid; beyond it is clamped */
  g_assert_true (aq_dashboard_place_tile (d, "b", 3, 0, 6, 4));
  g_assert_cmpint (b->w, ==, 6);
  g_assert_cmpint (b->h, ==, 4);
  g_assert_true (aq_dashboard_place_tile (d, "b", 20, 20, 4, 2));
  g_assert_cmpint (b->x, ==, 8);
  g_assert_cmpint (b->y, ==, 6);
  g_assert_true (aq_dashboard_validate (d, NULL));
  /* a full grid has no free place */
  g_assert_false (aq_dashboard_find_free (d, 12, 8, &x, &y));
}

static void
test_thresholds (void)
{
  g_autoptr(AqDashboardTile) lower_worse = aq_dashboard_tile_new ("c", AQ_TILE_KPI);
  g_autoptr(AqDashboardTile) higher_worse = aq_dashboard_tile_new ("n", AQ_TILE_KPI);

  g_assert_cmpint (aq_dashboard_tile_status (lower_worse, 0.5), ==, AQ_TILE_STATUS_NONE);
  lower_worse->has_thresholds = TRUE;
  lower_worse->warning = 0.95;
  lower_worse->alarm = 0.9;
  g_assert_cmpint (aq_dashboard_tile_status (lower_worse, 0.97), ==, AQ_TILE_STATUS_OK);
  g_assert_cmpint (aq_dashboard_tile_status (lower_worse, 0.95), ==, AQ_TILE_STATUS_WARNING);
  g_assert_cmpint (aq_dashboard_tile_status (lower_worse, 0.92), ==, AQ_TILE_STATUS_WARNING);
  g_assert_cmpint (aq_dashboard_tile_status (lower_worse, 0.9), ==, AQ_TILE_STATUS_ALARM);
  g_assert_cmpint (aq_dashboard_tile_status (lower_worse, NAN), ==, AQ_TILE_STATUS_NONE);

  higher_worse->has_thresholds = TRUE;
  higher_worse->warning = 0.15;
  higher_worse->alarm = 0.2;
  g_assert_cmpint (aq_dashboard_tile_status (higher_worse, 0.1), ==, AQ_TILE_STATUS_OK);
  g_assert_cmpint (aq_dashboard_tile_status (higher_worse, 0.17), ==, AQ_TILE_STATUS_WARNING);
  g_assert_cmpint (aq_dashboard_tile_status (higher_worse, 0.25), ==, AQ_TILE_STATUS_ALARM);
  g_assert_cmpstr (aq_tile_status_to_string (AQ_TILE_STATUS_ALARM), ==, "alarm");
}

static void
test_store_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(AqDashboard) mine = NULL;
  g_autoptr(AqDashboard) v1 = NULL;
  g_autoptr(AqDashboard) v2 = NULL;
  g_autoptr(AqDashboard) std = NULL;
  gint64 versions_before;

  /* the shipped ones were seeded by the warehouse's preparation */
  list = aq_dashboard_store_list (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, g_strv_length ((char **) shipped));
  for (guint i = 0; i < list->len; i++)
    {
      AqDashboardInfo *info = list->pdata[i];

      g_assert_true (info->standard);
      g_assert_true (g_strv_contains (shipped, info->name));
      g_assert_cmpint (info->version, ==, 1);
    }
  /* seeding again writes nothing */
  versions_before = aq_test_count1 (db, "SELECT count(*) FROM meta.dashboard_version", NULL);
  g_assert_true (aq_dashboard_store_seed (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM meta.dashboard_version", NULL), ==,
                   versions_before);

  /* a standard one cannot be overwritten or deleted */
  std = aq_dashboard_store_open (db, "marketing_cockpit", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (std->standard);
  g_assert_cmpstr (std->title, ==, "营销驾驶舱");
  g_assert_false (aq_dashboard_store_save (db, std, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (std->version, ==, 1);
  g_assert_false (aq_dashboard_store_delete (db, "marketing_cockpit", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);

  /* saved under a new name: version 1, then 2; version 1 stays readable */
  mine = aq_dashboard_copy (std);
  g_free (mine->name);
  mine->name = g_strdup ("my_cockpit");
  g_assert_true (aq_dashboard_store_save (db, mine, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mine->version, ==, 1);
  g_assert_false (mine->standard);
  g_assert_true (aq_dashboard_place_tile (mine, "applications", 10, 0, 2, 1));
  g_free (mine->title);
  mine->title = g_strdup ("我的驾驶舱");
  g_assert_true (aq_dashboard_store_save (db, mine, NULL, &error));
  g_assert_cmpint (mine->version, ==, 2);

  v1 = aq_dashboard_store_open (db, "my_cockpit", 1, NULL, &error);
  g_assert_no_error (error);
  v2 = aq_dashboard_store_open (db, "my_cockpit", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (v1->version, ==, 1);
  g_assert_cmpint (v2->version, ==, 2);
  g_assert_cmpstr (v1->title, ==, "营销驾驶舱");
  g_assert_cmpstr (v2->title, ==, "我的驾驶舱");
  g_assert_cmpint (aq_dashboard_lookup_tile (v1, "applications")->h, ==, 2);
  g_assert_cmpint (aq_dashboard_lookup_tile (v2, "applications")->h, ==, 1);
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM meta.dashboard_version"
                                       " WHERE name = 'my_cockpit'", NULL), ==, 2);

  g_assert_null (aq_dashboard_store_open (db, "my_cockpit", 7, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (aq_dashboard_store_delete (db, "my_cockpit", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM meta.dashboard_version"
                                       " WHERE name = 'my_cockpit'", NULL), ==, 0);
}

static double
sql_double (const char *sql)
{
  g_autofree char *text = aq_test_query_string (db, sql);

  g_assert_nonnull (text);
  return g_ascii_strtod (text, NULL);
}

static AqTileData *
fetch (AqDashboard     *d,
       AqDashboardTile *t)
{
  g_autoptr(GError) error = NULL;
  AqTileData *data = aq_tile_data_fetch (db, catalog, d, t, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (data);
  g_assert_nonnull (data->as_of);
  return data;
}

static void
test_kpi_values (void)
{
  g_autoptr(AqDashboard) d = aq_dashboard_new ("k", AQ_DASHBOARD_COCKPIT);
  g_autoptr(AqDashboardTile) qty = aq_dashboard_tile_new ("qty", AQ_TILE_KPI);
  g_autoptr(AqDashboardTile) rate = aq_dashboard_tile_new ("rate", AQ_TILE_KPI);
  g_autoptr(AqTileData) q = NULL;
  g_autoptr(AqTileData) r = NULL;
  g_autoptr(AqTileData) q_old = NULL;
  g_autofree char *latest = aq_test_query_string (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                                      " FROM dm.cube_billing_monthly");
  g_autofree char *text = NULL;
  double change, expected;

  qty->indicator = g_strdup ("billed_qty");
  q = fetch (d, qty);
  g_assert_cmpstr (q->period, ==, latest);
  g_assert_cmpstr (q->title, ==,
                   aq_indicator_get_name (aq_catalog_lookup_indicator (catalog, "billed_qty")));
  g_assert_cmpstr (q->unit, ==, "m³");
  g_assert_true (q->has_value);
  g_assert_cmpfloat (q->value, ==,
    sql_double ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly WHERE period ="
                " (SELECT max(period) FROM dm.cube_billing_monthly)"));
  g_assert_true (q->has_previous);
  g_assert_cmpfloat (q->previous, ==,
    sql_double ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly WHERE period ="
                " (SELECT max(period) - interval '1 month' FROM dm.cube_billing_monthly)"));
  g_assert_true (q->has_last_year);
  g_assert_cmpfloat (q->last_year, ==,
    sql_double ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly WHERE period ="
                " (SELECT max(period) - interval '12 months' FROM dm.cube_billing_monthly)"));
  g_assert_true (aq_tile_data_change (q, FALSE, &change));
  g_assert_cmpfloat_with_epsilon (change, (q->value - q->previous) / q->previous, 1e-12);
  g_assert_true (aq_tile_data_change (q, TRUE, &change));
  g_assert_cmpfloat_with_epsilon (change, (q->value - q->last_year) / q->last_year, 1e-12);
  /* the sparkline: 12 months ending with the period, each the month's sum */
  g_assert_cmpuint (q->spark->len, ==, AQ_TILE_SPARK_MONTHS);
  g_assert_cmpstr (q->spark_labels->pdata[AQ_TILE_SPARK_MONTHS - 1], ==, latest);
  g_assert_cmpfloat (g_array_index (q->spark, double, AQ_TILE_SPARK_MONTHS - 1), ==, q->value);
  g_assert_cmpfloat (g_array_index (q->spark, double, AQ_TILE_SPARK_MONTHS - 2), ==,
                     q->previous);
  expected = sql_double ("SELECT sum(billed_qty) FROM dm.cube_billing_monthly WHERE period ="
                         " (SELECT max(period) - interval '11 months'"
                         " FROM dm.cube_billing_monthly)");
  g_assert_cmpfloat (g_array_index (q->spark, double, 0), ==, expected);
  g_assert_cmpint (q->status, ==, AQ_TILE_STATUS_NONE);

  /* an explicit period: the month before the latest */
  g_free (qty->period);
  qty->period = g_strdup (q->spark_labels->pdata[AQ_TILE_SPARK_MONTHS - 2]);
  q_old = fetch (d, qty);
  g_assert_cmpstr (q_old->period, ==, qty->period);
  g_assert_cmpfloat (q_old->value, ==, q->previous);
  g_assert_true (q_old->has_value);

  /* a ratio, its change in points and its status */
  rate->indicator = g_strdup ("collection_rate");
  rate->has_thresholds = TRUE;
  rate->warning = 0.999;
  rate->alarm = 0.5;
  r = fetch (d, rate);
  g_assert_true (r->percent);
  expected = sql_double ("SELECT sum(paid_amount) / sum(amount) FROM dm.cube_billing_monthly"
                         " WHERE period = (SELECT max(period) FROM dm.cube_billing_monthly)");
  g_assert_cmpfloat_with_epsilon (r->value, expected, 1e-9);
  g_assert_true (aq_tile_data_change (r, FALSE, &change));
  g_assert_cmpfloat_with_epsilon (change, r->value - r->previous, 1e-12);
  g_assert_cmpint (r->status, ==, aq_dashboard_tile_status (rate, expected));
  g_assert_cmpint (r->status, ==, expected <= 0.5 ? AQ_TILE_STATUS_ALARM
                                  : expected <= 0.999 ? AQ_TILE_STATUS_WARNING
                                  : AQ_TILE_STATUS_OK);
  text = aq_tile_data_format_value (r);
  g_assert_true (g_str_has_suffix (text, "%"));

  /* the drill-through spec is the same report */
  {
    g_autoptr(AqReportSpec) spec = aq_tile_kpi_spec (catalog, rate, NULL);

    g_assert_nonnull (spec);
    g_assert_cmpuint (aq_report_spec_get_n_fields (spec, AQ_REPORT_ZONE_ROWS), ==, 1);
    g_assert_cmpstr (aq_report_spec_get_field (spec, AQ_REPORT_ZONE_VALUES, 0)->id, ==,
                     "collection_rate");
  }
}

static void
test_kpi_not_by_month (void)
{
  g_autoptr(AqDashboard) d = aq_dashboard_new ("k", AQ_DASHBOARD_COCKPIT);
  g_autoptr(AqDashboardTile) t = aq_dashboard_tile_new ("arrears", AQ_TILE_KPI);
  g_autoptr(AqTileData) data = NULL;
  g_autoptr(GError) error = NULL;
  double change;

  t->indicator = g_strdup ("arrears_amount");
  data = fetch (d, t);
  g_assert_true (data->has_value);
  g_assert_cmpfloat_with_epsilon (data->value,
    sql_double ("SELECT sum(arrears_amount) FROM dm.customer_profile"), 0.005);
  g_assert_null (data->period);
  g_assert_false (aq_tile_data_change (data, FALSE, &change));
  g_assert_cmpuint (data->spark->len, ==, 0);

  /* an unknown indicator fails with a message naming it */
  g_free (t->indicator);
  t->indicator = g_strdup ("no_such_thing");
  g_assert_null (aq_tile_data_fetch (db, catalog, d, t, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no_such_thing"));
}

static void
test_report_tiles (void)
{
  g_autoptr(AqDashboard) d = shipped_dashboard ("marketing_cockpit");
  g_autoptr(AqTileData) table = fetch (d, aq_dashboard_lookup_tile (d, "zone_nrw"));
  g_autoptr(AqTileData) pie = fetch (d, aq_dashboard_lookup_tile (d, "channel_mix"));
  guint details = 0;

  g_assert_cmpstr (table->title, ==, "分区产销差排名（前8）");
  g_assert_nonnull (table->result);
  for (guint r = 0; r < aq_report_result_get_n_rows (table->result); r++)
    details += aq_report_result_get_row_kind (table->result, r) == AQ_REPORT_ROW_DETAIL;
  g_assert_cmpint (details, ==,
                   aq_test_count1 (db, "SELECT count(DISTINCT zone_code) FROM dm.cube_nrw_monthly"
                                       " WHERE level = 3", NULL));
  g_assert_nonnull (pie->result);
  g_assert_cmpstr (pie->title, ==, "缴费渠道收入");
  g_assert_cmpuint (aq_report_result_get_n_rows (pie->result), >=, 3);
}

static void
fetch_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GPtrArray *done = user_data;
  g_autoptr(GError) error = NULL;
  AqTileData *data = aq_tile_data_fetch_finish (result, &error);

  g_assert_no_error (error);
  g_ptr_array_add (done, data);
}

static void
test_all_shipped_tiles_async (void)
{
  for (guint i = 0; shipped[i]; i++)
    {
      g_autoptr(AqDashboard) d = shipped_dashboard (shipped[i]);
      g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func (
        (GDestroyNotify) aq_tile_data_free);

      for (guint t = 0; t < d->tiles->len; t++)
        aq_tile_data_fetch_async (aq_db_get_conninfo (db), catalog, d, d->tiles->pdata[t],
                                  NULL, fetch_done_cb, done);
      while (done->len < d->tiles->len)
        g_main_context_iteration (NULL, TRUE);
      for (guint t = 0; t < done->len; t++)
        {
          AqTileData *data = done->pdata[t];

          if (data->kind == AQ_TILE_KPI)
            g_assert_true (data->has_value);
          else if (data->kind == AQ_TILE_CHART || data->kind == AQ_TILE_TABLE)
            g_assert_cmpuint (aq_report_result_get_n_rows (data->result), >, 0);
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();

  g_test_add_func ("/dashboard/json-round-trip", test_json_round_trip);
  g_test_add_func ("/dashboard/json-invalid", test_json_invalid);
  g_test_add_func ("/dashboard/place", test_place);
  g_test_add_func ("/dashboard/thresholds", test_thresholds);
  db = aq_test_demo_db_new ("t_dashboard", 1500, 14);
  catalog = aq_catalog_load (db, NULL, &error);
  g_assert_no_error (error);
  g_test_add_func ("/dashboard/store-versions", test_store_versions);
  g_test_add_func ("/dashboard/kpi-values", test_kpi_values);
  g_test_add_func ("/dashboard/kpi-not-by-month", test_kpi_not_by_month);
  g_test_add_func ("/dashboard/report-tiles", test_report_tiles);
  g_test_add_func ("/dashboard/all-shipped-tiles", test_all_shipped_tiles_async);
  ret = g_test_run ();
  g_clear_object (&catalog);
  g_clear_object (&db);
  aq_test_drop_database ("t_dashboard");
  return ret;
}

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
#include "aq-map-features.h"
#include "aq-tile-draw.h"
#include "aq-tile-paint.h"

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

/* ---- outages, notices, SMS and data quality as catalog indicators ---- */

static void
exec_sql (const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!aq_db_exec (db, sql, &error))
    g_error ("%s: %s", sql, error->message);
}

/* Outages of every status with known accounts, notices of a live and a cancelled campaign,
 * and quality results over two runs (a rule that passed after failing, one failing, one
 * warning, one whose latest run errored): each figure is known by construction too. */
static void
plant_outages_and_quality (void)
{
  exec_sql ("INSERT INTO notify.outage (outage_id, kind, reason, start_time, expected_end,"
            "  status, geom) SELECT id, kind, 'r' || id, '2026-03-01 08:00+08',"
            "  '2026-03-01 18:00+08', status,"
            "  ST_Multi((SELECT ST_Buffer(ST_Centroid(z.geom), 0.002) FROM dw.dim_dma_zone z"
            "            WHERE z.level = 3 ORDER BY z.zone_code OFFSET id - 9001 LIMIT 1))"
            " FROM (VALUES (9001, 'emergency', 'active'), (9002, 'planned', 'active'),"
            "              (9003, 'planned', 'planned'), (9004, 'planned', 'restored'),"
            "              (9005, 'emergency', 'cancelled')) v (id, kind, status)");
  /* 3 + 2 accounts now, 4 planned, 1 restored, 5 cancelled */
  exec_sql ("INSERT INTO notify.outage_account (outage_id, account_id)"
            " SELECT o.id, a.account_id FROM (VALUES (9001, 0, 3), (9002, 3, 2), (9003, 5, 4),"
            "   (9004, 9, 1), (9005, 10, 5)) o (id, off, n)"
            " CROSS JOIN LATERAL (SELECT account_id FROM dw.dim_account ORDER BY account_id"
            "                     OFFSET o.off LIMIT o.n) a");
  exec_sql ("INSERT INTO notify.campaign (campaign_id, outage_id, kind, template, status)"
            " VALUES (9101, 9001, 'outage', 't', 'queued'), (9102, 9005, 'outage', 't',"
            " 'cancelled')");
  exec_sql ("INSERT INTO notify.message (campaign_id, channel, recipient, body,"
            "  idempotency_key, status)"
            " SELECT c, ch, 'r' || i, 'b', 'k' || i, st FROM (VALUES"
            "  (9101, 'sms', 1, 'sent'), (9101, 'sms', 2, 'sent'), (9101, 'wechat', 3, 'sent'),"
            "  (9101, 'sms', 4, 'delivered'), (9101, 'sms', 5, 'delivered'),"
            "  (9101, 'sms', 6, 'failed'), (9101, 'sms', 7, 'queued'),"
            "  (9102, 'sms', 8, 'sent'), (9102, 'sms', 9, 'delivered')) v (c, ch, i, st)");
  exec_sql ("INSERT INTO meta.quality_rule (rule_name, rule_set)"
            " SELECT n, 't' FROM unnest(ARRAY['qa', 'qb', 'qc', 'qd']) n");
  exec_sql ("INSERT INTO meta.quality_rule_version (rule_name, version, definition)"
            " SELECT rule_name, 1, '{}' FROM meta.quality_rule WHERE rule_set = 't'");
  exec_sql ("INSERT INTO meta.quality_run (run_id, scope, started_at, status)"
            " VALUES (9201, 't', '2026-03-01', 'failed'), (9202, 't', '2026-03-02', 'failed')");
  exec_sql ("INSERT INTO meta.quality_result (run_id, rule_name, rule_version, layer,"
            "  table_name, dimension, severity, checked_rows, failing_rows, status, duration_ms)"
            " VALUES (9201, 'qa', 1, 'dw', 'a', 'validity', 'fail', 1000, 400, 'fail', 1),"
            "        (9202, 'qa', 1, 'dw', 'a', 'validity', 'fail', 1000, 0, 'pass', 1),"
            "        (9202, 'qb', 1, 'dw', 'b', 'completeness', 'fail', 500, 50, 'fail', 1),"
            "        (9201, 'qc', 1, 'ods', 'c', 'uniqueness', 'warn', 200, 2, 'warn', 1),"
            "        (9201, 'qd', 1, 'dm', 'd', 'validity', 'fail', 300, 0, 'pass', 1),"
            "        (9202, 'qd', 1, 'dm', 'd', 'validity', 'fail', 0, 0, 'error', 1)");
}

static double
kpi_value (const char *indicator)
{
  g_autoptr(AqDashboard) d = aq_dashboard_new ("k", AQ_DASHBOARD_COCKPIT);
  g_autoptr(AqDashboardTile) t = aq_dashboard_tile_new ("t", AQ_TILE_KPI);
  g_autoptr(AqTileData) data = NULL;

  t->indicator = g_strdup (indicator);
  data = fetch (d, t);
  g_assert_true (data->has_value);
  return data->value;
}

static void
test_outage_quality_indicators (void)
{
  g_autoptr(AqDashboard) d = aq_dashboard_new ("k", AQ_DASHBOARD_COCKPIT);
  g_autoptr(AqDashboardTile) sms = aq_dashboard_tile_new ("sms", AQ_TILE_KPI);
  g_autoptr(AqTileData) s = NULL;
  g_autofree char *latest = NULL;
  double expected;

  /* outages now: independent SQL over the dispatchers' tables, and the planted figures */
  g_assert_cmpfloat (kpi_value ("outages_active"), ==,
    sql_double ("SELECT count(*) FROM notify.outage WHERE status = 'active'"));
  g_assert_cmpfloat (kpi_value ("outages_active"), ==, 2);
  g_assert_cmpfloat (kpi_value ("outages_planned"), ==,
    sql_double ("SELECT count(*) FROM notify.outage WHERE status = 'planned'"));
  g_assert_cmpfloat (kpi_value ("outages_planned"), ==, 1);
  g_assert_cmpfloat (kpi_value ("outage_customers_now"), ==,
    sql_double ("SELECT count(*) FROM notify.outage_account oa"
                " JOIN notify.outage o ON o.outage_id = oa.outage_id WHERE o.status = 'active'"));
  g_assert_cmpfloat (kpi_value ("outage_customers_now"), ==, 5);
  g_assert_cmpfloat (kpi_value ("outage_customers_planned"), ==, 4);

  /* notices: the cancelled campaign's messages do not count */
  g_assert_cmpfloat (kpi_value ("notices_sent"), ==,
    sql_double ("SELECT count(*) FROM notify.message m JOIN notify.campaign c"
                " ON c.campaign_id = m.campaign_id"
                " WHERE c.status <> 'cancelled' AND m.status IN ('sent', 'delivered')"));
  g_assert_cmpfloat (kpi_value ("notices_sent"), ==, 5);
  g_assert_cmpfloat (kpi_value ("notices_failed"), ==, 1);
  g_assert_cmpfloat (kpi_value ("notices_pending"), ==, 1);

  /* quality: each rule's latest result that is not an error (qa passed after failing, qd's
   * error does not hide its pass) */
  g_assert_cmpfloat (kpi_value ("quality_rules"), ==, 4);
  g_assert_cmpfloat (kpi_value ("quality_failing_rules"), ==, 1);
  g_assert_cmpfloat (kpi_value ("quality_warning_rules"), ==, 1);
  g_assert_cmpfloat (kpi_value ("quality_failing_rows"), ==, 52);
  expected = sql_double ("WITH l AS (SELECT DISTINCT ON (rule_name) * FROM meta.quality_result"
                         " WHERE status <> 'error' ORDER BY rule_name, run_id DESC)"
                         " SELECT 100.0 * sum(checked_rows - failing_rows) / sum(checked_rows)"
                         " FROM l");
  g_assert_cmpfloat_with_epsilon (kpi_value ("quality_score"), expected, 1e-9);
  g_assert_cmpfloat_with_epsilon (expected, 100.0 * (2000 - 52) / 2000, 1e-9);

  /* SMS by month: the platform's log, the latest month and the one before */
  sms->indicator = g_strdup ("sms_sent");
  s = fetch (d, sms);
  latest = aq_test_query_string (db, "SELECT to_char(max(sent_at), 'YYYY-MM') FROM dw.fact_sms");
  g_assert_cmpstr (s->period, ==, latest);
  g_assert_true (s->has_value);
  g_assert_cmpfloat (s->value, >, 0);
  g_assert_cmpfloat (s->value, ==,
    sql_double ("SELECT count(*) FROM dw.fact_sms WHERE date_trunc('month', sent_at) ="
                " (SELECT date_trunc('month', max(sent_at)) FROM dw.fact_sms)"));
  g_assert_true (s->has_previous);
  g_assert_cmpfloat (s->previous, ==,
    sql_double ("SELECT count(*) FROM dw.fact_sms WHERE date_trunc('month', sent_at) ="
                " (SELECT date_trunc('month', max(sent_at)) - interval '1 month'"
                " FROM dw.fact_sms)"));
  expected = sql_double ("SELECT avg((status = 'delivered')::int) FROM dw.fact_sms"
                         " WHERE date_trunc('month', sent_at) ="
                         " (SELECT date_trunc('month', max(sent_at)) FROM dw.fact_sms)");
  g_assert_cmpfloat_with_epsilon (kpi_value ("sms_delivery_rate"), expected, 1e-9);
}

/* The map tile: every level-3 zone with its figure from the report engine (checked against
 * the NRW cube), and the outages active and planned; the alarm ticker's lines. Runs after the
 * outages and quality results are planted. */
static void
test_map_and_alarms (void)
{
  g_autoptr(AqDashboard) d = shipped_dashboard ("operations_screen");
  AqDashboardTile *map_tile = aq_dashboard_lookup_tile (d, "city_map");
  AqDashboardTile *alarm_tile = aq_dashboard_lookup_tile (d, "alarms");
  g_autoptr(AqTileData) map = NULL;
  g_autoptr(AqTileData) alarms = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;
  guint active = 0, planned = 0, n_alarms, n_expected;
  double wo_missed;

  g_assert_nonnull (map_tile);
  g_assert_cmpint (map_tile->kind, ==, AQ_TILE_MAP);
  map = fetch (d, map_tile);
  g_assert_nonnull (map->zones);
  g_assert_cmpint (map->zones->len, ==,
                   aq_test_count1 (db, "SELECT count(*) FROM dw.dim_dma_zone WHERE level = 3",
                                   NULL));
  g_assert_true (map->bounds[0] < map->bounds[2]);
  g_assert_true (map->bounds[1] < map->bounds[3]);
  g_assert_nonnull (map->zone_values);
  res = aq_db_query (db, "SELECT zone_code, (sum(siv) - sum(billed)) / sum(siv)"
                         " FROM dm.cube_nrw_monthly WHERE level = 3 AND period ="
                         " (SELECT max(period) FROM dm.cube_billing_monthly)"
                         " GROUP BY zone_code HAVING sum(siv) <> 0", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), >, 0);
  g_assert_cmpint (g_hash_table_size (map->zone_values), ==, PQntuples (res));
  for (int r = 0; r < PQntuples (res); r++)
    {
      double *v = g_hash_table_lookup (map->zone_values, PQgetvalue (res, r, 0));

      g_assert_nonnull (v);
      g_assert_cmpfloat_with_epsilon (*v, g_ascii_strtod (PQgetvalue (res, r, 1), NULL), 1e-9);
    }
  for (guint i = 0; i < map->outages->len; i++)
    {
      AqMapFeature *f = map->outages->pdata[i];

      active += f->layer == AQ_MAP_LAYER_OUTAGES_ACTIVE;
      planned += f->layer == AQ_MAP_LAYER_OUTAGES_PLANNED;
    }
  g_assert_cmpint (active, ==, aq_test_count1 (db, "SELECT count(*) FROM notify.outage"
                                                   " WHERE status = 'active'", NULL));
  g_assert_cmpint (planned, ==, aq_test_count1 (db, "SELECT count(*) FROM notify.outage"
                                                    " WHERE status = 'planned'", NULL));
  g_assert_cmpint (active, ==, 2);
  g_assert_cmpint (planned, ==, 1);

  /* the ticker: alarms (the emergency outage now, the failing rule) before warnings (the
   * planned outages newest first, the warning rule, the overdue work orders) */
  g_assert_nonnull (alarm_tile);
  alarms = fetch (d, alarm_tile);
  g_assert_nonnull (alarms->alarms);
  wo_missed = kpi_value ("wo_sla_missed");
  n_alarms = alarms->alarms->len;
  n_expected = aq_test_count1 (db, "SELECT count(*) FROM notify.outage"
                                   " WHERE status IN ('active', 'planned')", NULL)
               + aq_test_count1 (db, "SELECT count(*) FROM (SELECT DISTINCT ON (rule_name)"
                                     " status FROM meta.quality_result WHERE status <> 'error'"
                                     " ORDER BY rule_name, run_id DESC) l"
                                     " WHERE status IN ('fail', 'warn')", NULL)
               + (wo_missed > 0);
  g_assert_cmpuint (n_alarms, ==, n_expected);
  {
    static const struct { AqTileStatus severity; const char *kind; const char *needle; } want[] = {
      { AQ_TILE_STATUS_ALARM, "outage", "r9001" },
      { AQ_TILE_STATUS_ALARM, "quality", "qb" },
      { AQ_TILE_STATUS_WARNING, "outage", "r9003" },
      { AQ_TILE_STATUS_WARNING, "outage", "r9002" },
      { AQ_TILE_STATUS_WARNING, "quality", "qc" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (want); i++)
      {
        AqTileAlarm *a = alarms->alarms->pdata[i];

        g_assert_cmpint (a->severity, ==, want[i].severity);
        g_assert_cmpstr (a->kind, ==, want[i].kind);
        if (strstr (a->text, want[i].needle) == NULL)
          g_error ("alarm %u “%s” does not name %s", i, a->text, want[i].needle);
      }
    /* the emergency outage's customers, the failing rule's rows */
    g_assert_nonnull (strstr (((AqTileAlarm *) alarms->alarms->pdata[0])->text, " 3 "));
    g_assert_nonnull (strstr (((AqTileAlarm *) alarms->alarms->pdata[1])->text, "50"));
    if (wo_missed > 0)
      g_assert_cmpstr (((AqTileAlarm *) alarms->alarms->pdata[5])->kind, ==, "work_order");
  }
}

/* Complaint hot spots (客服驾驶舱): every complaint counted in the level-3 zone whose polygon
 * covers its account's premise point (dm.work_order_complaint, the catalog's complaint_count),
 * month by month, equals the raw sources' own record of the premise's zone
 * (src_workorder → src_billing.account → src_gis.premise.dma_zone_code); the shipped map tile
 * shows those figures per zone. */
static void
test_complaint_hotspots (void)
{
  g_autoptr(AqDashboard) d = shipped_dashboard ("service_cockpit");
  AqDashboardTile *tile = aq_dashboard_lookup_tile (d, "complaint_hotspots");
  g_autoptr(PGresult) months = NULL;
  g_autoptr(GError) error = NULL;
  double located = 0;
  gint64 raw_total;

  g_assert_nonnull (tile);
  g_assert_cmpint (tile->kind, ==, AQ_TILE_MAP);
  g_assert_cmpstr (tile->indicator, ==, "complaint_count");
  raw_total = aq_test_count1 (db, "SELECT count(*) FROM src_workorder.work_order w"
                                  " JOIN src_billing.account a ON a.acct_no = w.acct_no"
                                  " WHERE w.category = 'CMP'", NULL);
  g_assert_cmpint (raw_total, >, 0);
  months = aq_db_query (db, "SELECT to_char(period, 'YYYY-MM') FROM dm.cube_billing_monthly"
                            " GROUP BY period ORDER BY period", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (months), >, 1);
  for (int m = 0; m < PQntuples (months); m++)
    {
      const char *month = PQgetvalue (months, m, 0);
      g_autoptr(AqTileData) map = NULL;
      g_autoptr(PGresult) raw = NULL;
      const char *params[] = { month };

      g_free (tile->period);
      tile->period = g_strdup (month);
      map = fetch (d, tile);
      g_assert_nonnull (map->zones);
      g_assert_nonnull (map->zone_values);
      raw = aq_db_query (db, "SELECT btrim(p.dma_zone_code), count(*)"
                             " FROM src_workorder.work_order w"
                             " JOIN src_billing.account a ON a.acct_no = w.acct_no"
                             " JOIN src_gis.premise p ON p.premise_id = a.premise_id"
                             " WHERE w.category = 'CMP'"
                             "   AND to_char(w.created_at, 'YYYY-MM') = $1"
                             " GROUP BY 1", 1, params, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_hash_table_size (map->zone_values), ==, PQntuples (raw));
      for (int r = 0; r < PQntuples (raw); r++)
        {
          double *v = g_hash_table_lookup (map->zone_values, PQgetvalue (raw, r, 0));

          if (v == NULL)
            g_error ("%s: zone %s has %s complaints in the sources, none on the map", month,
                     PQgetvalue (raw, r, 0), PQgetvalue (raw, r, 1));
          g_assert_cmpfloat (*v, ==, g_ascii_strtod (PQgetvalue (raw, r, 1), NULL));
          located += *v;
        }
    }
  /* every complaint with an account is located, in one zone only */
  g_assert_cmpfloat (located, ==, (double) aq_test_count1 (db,
    "SELECT count(*) FROM src_workorder.work_order w"
    " JOIN src_billing.account a ON a.acct_no = w.acct_no WHERE w.category = 'CMP'"
    " AND w.created_at >= (SELECT min(period) FROM dm.cube_billing_monthly)"
    " AND w.created_at < (SELECT max(period) FROM dm.cube_billing_monthly)"
    "                    + interval '1 month'", NULL));
  g_assert_cmpfloat (located, >, 0);
}

/* Table tiles never cut a figure: every table tile of the shipped dashboards, drawn at its
 * size (a cockpit at 1600 × 900, a big screen on its 1920 × 1080 canvas), lays its columns out
 * so each shown figure fits its column at the text size used (the label column gives way). */
static void
test_table_figures_fit (void)
{
  static const char *names[] = { "marketing_cockpit", "service_cockpit", "operations_screen",
                                 "service_screen", "mining_reading", "mining_meters",
                                 "mining_work_orders", NULL };
  guint checked = 0;

  for (guint n = 0; names[n]; n++)
    {
      g_autoptr(AqDashboard) d = shipped_dashboard (names[n]);
      gboolean screen = d->kind == AQ_DASHBOARD_SCREEN;
      double width = screen ? 1920 : 1600, height = screen ? 1080 : 900;
      double cell_w = (width - 12.0 * (d->columns + 1)) / d->columns;
      double cell_h = (height - 12.0 * (d->rows + 1)) / d->rows;

      for (guint i = 0; i < d->tiles->len; i++)
        {
          AqDashboardTile *t = d->tiles->pdata[i];
          g_autoptr(AqTileData) data = NULL;
          AqTileTableLayout l = { 0 };
          AqTileDrawState state = { 0 };
          double w = t->w * cell_w + (t->w - 1) * 12, h = t->h * cell_h + (t->h - 1) * 12;
          cairo_surface_t *surface;
          cairo_t *cr;
          guint shown = 0;

          if (t->kind != AQ_TILE_TABLE)
            continue;
          data = fetch (d, t);
          surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) ceil (w),
                                                (int) ceil (h));
          cr = cairo_create (surface);
          state.tile = t;
          state.data = data;
          state.table_layout = &l;
          aq_tile_draw (cr, screen ? AQ_TILE_STYLE_SCREEN : AQ_TILE_STYLE_COCKPIT, &state, w, h);
          g_assert_cmpfloat (l.px, >, 0);
          g_assert_cmpfloat (l.label_w, >, 0);
          for (guint r = 0; r < aq_report_result_get_n_rows (data->result) && shown < l.n_rows;
               r++)
            {
              if (aq_report_result_get_n_row_dims (data->result) > 0
                  && aq_report_result_get_row_kind (data->result, r) != AQ_REPORT_ROW_DETAIL)
                continue;
              for (guint c = 0; c < l.n_cols; c++)
                {
                  const char *cell = aq_report_result_get_cell_text (data->result, r, c);
                  double need = aq_tile_paint_text_width (cr, cell, l.px, FALSE);

                  if (need > l.col_w[c] - l.gap + 1)
                    g_error ("%s/%s: “%s” needs %.1f px, its column has %.1f", names[n], t->id,
                             cell, need, l.col_w[c] - l.gap + 1);
                }
              shown++;
            }
          g_assert_cmpuint (shown, ==, l.n_rows);
          checked += shown > 0;
          cairo_destroy (cr);
          cairo_surface_destroy (surface);
        }
    }
  g_assert_cmpuint (checked, >=, 5);

  /* an empty list (a month without figures) keeps its label column's header whole, and says
   * it is empty */
  {
    g_autoptr(AqDashboard) d = shipped_dashboard ("marketing_cockpit");
    AqDashboardTile *t = aq_dashboard_lookup_tile (d, "zone_nrw");
    g_autoptr(AqTileData) data = NULL;
    AqTileTableLayout l = { 0 };
    AqTileDrawState state = { 0 };
    cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 800, 400);
    cairo_t *cr = cairo_create (surface);
    const char *header;

    g_free (t->period);
    t->period = g_strdup ("1990-01");
    data = fetch (d, t);
    state.tile = t;
    state.data = data;
    state.table_layout = &l;
    aq_tile_draw (cr, AQ_TILE_STYLE_COCKPIT, &state, 800, 400);
    g_assert_cmpuint (l.n_rows, ==, 0);
    g_assert_cmpuint (aq_report_result_get_n_row_dims (data->result), ==, 1);
    header = aq_report_result_get_row_dim_label (data->result, 0);
    g_assert_cmpstr (header, !=, "");
    g_assert_cmpfloat (l.label_w, >=, aq_tile_paint_text_width (cr, header, l.px, FALSE));
    cairo_destroy (cr);
    cairo_surface_destroy (surface);
  }
}

/* The tables the dm pipelines write for the cockpits' slow tiles (migration 057) equal an
 * independent computation from the rows they summarise, and the tiles that read them show the
 * same figures as the per-row indicators. */
static gint64
rows_differing (const char *a,
                const char *b)
{
  g_autofree char *sql = g_strdup_printf ("SELECT (SELECT count(*) FROM (%s EXCEPT ALL %s) x)"
                                          " + (SELECT count(*) FROM (%s EXCEPT ALL %s) y)",
                                          a, b, b, a);

  return aq_test_count1 (db, sql, NULL);
}

static void
test_stored_tiles (void)
{
  g_autoptr(AqDashboard) d = shipped_dashboard ("marketing_cockpit");
  g_autoptr(AqTileData) arrears = NULL;
  g_autoptr(AqTileData) overdue = NULL;
  double change;

  /* SMS per month, template and status */
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM dm.cube_sms_monthly", NULL), >, 1);
  g_assert_cmpint (rows_differing ("SELECT period, template, status, messages"
                                   " FROM dm.cube_sms_monthly",
                                   "SELECT date_trunc('month', sent_at)::date, template, status,"
                                   " count(*) FROM dw.fact_sms GROUP BY 1, 2, 3"), ==, 0);
  g_assert_cmpfloat (kpi_value ("sms_delivered"), ==,
    sql_double ("SELECT count(*) FROM dw.fact_sms WHERE status = 'delivered'"
                " AND date_trunc('month', sent_at) ="
                " (SELECT date_trunc('month', max(sent_at)) FROM dw.fact_sms)"));

  /* complaints located once per load: one row per complaint work order with an account, in
   * the zone the raw GIS gives its premise (the hot-spot test checks the counts per month) */
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM dm.work_order_complaint", NULL), >,
                   0);
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM dm.work_order_complaint", NULL), ==,
                   aq_test_count1 (db, "SELECT count(*) FROM dw.fact_work_order w"
                                       " JOIN dw.dim_account a ON a.account_id = w.account_id"
                                       " WHERE w.category = 'complaint'", NULL));

  /* the profile totals, and the two marketing tiles that read them */
  g_assert_cmpint (rows_differing ("SELECT district_code, customer_type, account_status, accounts,"
                                   " arrears_accounts, arrears_amount, overdue_months"
                                   " FROM dm.customer_profile_total",
                                   "SELECT coalesce(d.district_code, ''), p.customer_type,"
                                   " p.account_status, count(*),"
                                   " count(*) FILTER (WHERE p.arrears_amount > 0),"
                                   " sum(p.arrears_amount), sum(p.overdue_months)"
                                   " FROM dm.customer_profile p LEFT JOIN dw.dim_district d"
                                   " ON d.name = p.district_name GROUP BY 1, 2, 3"), ==, 0);
  g_assert_cmpfloat (sql_double ("SELECT sum(arrears_amount) FROM dm.customer_profile"), >, 0);
  arrears = fetch (d, aq_dashboard_lookup_tile (d, "arrears_amount"));
  g_assert_true (arrears->has_value);
  g_assert_cmpstr (arrears->title, ==, "欠费金额");
  g_assert_cmpfloat_with_epsilon (arrears->value,
    sql_double ("SELECT sum(arrears_amount) FROM dm.customer_profile"), 0.005);
  g_assert_cmpfloat_with_epsilon (arrears->value, kpi_value ("arrears_amount"), 0.005);
  g_assert_false (aq_tile_data_change (arrears, FALSE, &change));
  overdue = fetch (d, aq_dashboard_lookup_tile (d, "overdue_months"));
  g_assert_true (overdue->has_value);
  g_assert_cmpfloat_with_epsilon (overdue->value,
    sql_double ("SELECT avg(overdue_months) FROM dm.customer_profile"), 1e-9);
  g_assert_cmpfloat_with_epsilon (overdue->value, kpi_value ("overdue_months"), 1e-9);
}

/* ---- the work order timeliness tile: a compact report by category, and a pivot drawn with
 * its column dimension kept ---- */

/* 工单处理及时率 on 客服驾驶舱 and 客服实时: by category over the last 12 billing months, its
 * figures against independent SQL on the cube; both tiles show the same report. */
static void
test_wo_timeliness_tile (void)
{
  static const char *boards[] = { "service_cockpit", "service_screen" };
  g_autoptr(PGresult) last = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  {
    g_autoptr(GError) error = NULL;

    /* the @last12 window, computed here in SQL rather than by the report code */
    last = aq_db_query (db, "SELECT to_char(greatest(min(period), max(period)"
                            " - interval '11 months'), 'YYYY-MM-DD'),"
                            " to_char(max(period), 'YYYY-MM-DD') FROM dm.cube_billing_monthly",
                        0, NULL, &error);
    g_assert_no_error (error);
    from = g_strdup (PQgetvalue (last, 0, 0));
    to = g_strdup (PQgetvalue (last, 0, 1));
  }
  for (guint b = 0; b < G_N_ELEMENTS (boards); b++)
    {
      g_autoptr(AqDashboard) d = shipped_dashboard (boards[b]);
      AqDashboardTile *t = aq_dashboard_lookup_tile (d, "wo_timeliness");
      g_autoptr(AqTileData) data = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(PGresult) truth = NULL;
      const char *values[] = { from, to };
      AqReportResult *r;
      guint details = 0;

      g_assert_nonnull (t);
      g_assert_cmpint (t->kind, ==, AQ_TILE_TABLE);
      g_assert_cmpstr (t->report, ==, "wo_timeliness_by_category");
      data = fetch (d, t);
      r = data->result;
      /* one header level: no column dimension; 工单数, 工单处理及时率, 超时工单数 */
      g_assert_cmpuint (aq_report_result_get_n_header_levels (r), ==, 1);
      g_assert_cmpuint (aq_report_result_get_n_columns (r), ==, 3);
      g_assert_cmpstr (aq_report_result_get_column_indicator (r, 0), ==, "wo_created");
      g_assert_cmpstr (aq_report_result_get_column_indicator (r, 1), ==, "wo_timely_rate");
      g_assert_cmpstr (aq_report_result_get_column_indicator (r, 2), ==, "wo_sla_missed");
      truth = aq_db_query (db, "SELECT category, sum(created)::float8,"
                               " sum(sla_met)::float8 / nullif(sum(sla_met + sla_missed), 0),"
                               " sum(sla_missed)::float8"
                               " FROM dm.cube_work_order_monthly"
                               " WHERE period BETWEEN $1::date AND $2::date GROUP BY category",
                           2, values, &error);
      g_assert_no_error (error);
      g_assert_cmpint (PQntuples (truth), >=, 3);
      for (guint row = 0; row < aq_report_result_get_n_rows (r); row++)
        {
          const char *key;
          gboolean found = FALSE;

          if (aq_report_result_get_row_kind (r, row) != AQ_REPORT_ROW_DETAIL)
            continue;
          details++;
          key = aq_report_result_get_row_key (r, row, 0);
          for (int i = 0; i < PQntuples (truth); i++)
            {
              if (strcmp (PQgetvalue (truth, i, 0), key) != 0)
                continue;
              found = TRUE;
              for (guint c = 0; c < 3; c++)
                {
                  double v, want = g_ascii_strtod (PQgetvalue (truth, i, c + 1), NULL);

                  /* an empty ratio (nothing due yet) is an empty cell */
                  g_assert_cmpint (aq_report_result_get_cell (r, row, c, &v), ==,
                                   !PQgetisnull (truth, i, c + 1));
                  g_assert_cmpfloat_with_epsilon (v, want, 1e-9 * MAX (1, fabs (want)));
                }
            }
          if (!found)
            g_error ("%s: category “%s” is not in the cube", boards[b], key);
        }
      g_assert_cmpint (details, ==, PQntuples (truth));
    }
}

/* A table tile over a pivot with a column dimension (wo_timeliness: priorities across) keeps
 * the dimension's members in its column headers, whole, before the value's name. */
static void
test_table_column_dimension (void)
{
  g_autoptr(AqDashboard) d = aq_dashboard_new ("t", AQ_DASHBOARD_COCKPIT);
  g_autoptr(AqDashboardTile) t = aq_dashboard_tile_new ("pivot", AQ_TILE_TABLE);
  g_autoptr(AqTileData) data = NULL;
  AqTileTableLayout l = { 0 };
  AqTileDrawState state = { 0 };
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 780, 330);
  cairo_t *cr = cairo_create (surface);
  AqReportResult *r;

  t->report = g_strdup ("wo_timeliness");
  t->w = 6;
  t->h = 3;
  t->limit = 8;
  data = fetch (d, t);
  r = data->result;
  g_assert_cmpuint (aq_report_result_get_n_header_levels (r), ==, 2);
  state.tile = t;
  state.data = data;
  state.table_layout = &l;
  aq_tile_draw (cr, AQ_TILE_STYLE_COCKPIT, &state, 780, 330);
  g_assert_cmpuint (l.n_cols, >, 0);
  g_assert_cmpuint (l.n_rows, >, 0);
  for (guint c = 0; c < l.n_cols; c++)
    {
      const char *member = aq_report_result_get_column_header (r, c, 0);
      const char *value = aq_report_result_get_column_header (r, c, 1);
      g_autofree char *prefix = g_strdup_printf ("%s·", member);

      g_assert_nonnull (member);
      g_assert_nonnull (value);
      /* the priority first, then the value's name: "<priority>·工单数" */
      g_assert_true (g_str_has_prefix (l.header[c], prefix));
      g_assert_true (g_str_has_suffix (l.header[c], value));
      /* the member is drawn whole (only the value's name may be cut) */
      g_assert_cmpfloat (aq_tile_paint_text_width (cr, prefix, l.header_px[c], FALSE), <=,
                         l.col_w[c] - l.gap + 1);
    }
  /* two columns with the same value name tell their priorities apart */
  if (l.n_cols == 3)
    g_assert_cmpstr (l.header[0], !=, l.header[2]);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
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
  plant_outages_and_quality ();
  g_test_add_func ("/dashboard/store-versions", test_store_versions);
  g_test_add_func ("/dashboard/kpi-values", test_kpi_values);
  g_test_add_func ("/dashboard/kpi-not-by-month", test_kpi_not_by_month);
  g_test_add_func ("/dashboard/report-tiles", test_report_tiles);
  g_test_add_func ("/dashboard/all-shipped-tiles", test_all_shipped_tiles_async);
  g_test_add_func ("/dashboard/outage-quality-indicators", test_outage_quality_indicators);
  g_test_add_func ("/dashboard/map-and-alarms", test_map_and_alarms);
  g_test_add_func ("/dashboard/complaint-hotspots", test_complaint_hotspots);
  g_test_add_func ("/dashboard/table-figures-fit", test_table_figures_fit);
  g_test_add_func ("/dashboard/stored-tiles", test_stored_tiles);
  g_test_add_func ("/dashboard/wo-timeliness-tile", test_wo_timeliness_tile);
  g_test_add_func ("/dashboard/table-column-dimension", test_table_column_dimension);
  ret = g_test_run ();
  g_clear_object (&catalog);
  g_clear_object (&db);
  aq_test_drop_database ("t_dashboard");
  return ret;
}

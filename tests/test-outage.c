/* test-outage.c — shutoff areas, outages and their notices on a small real demo warehouse:
 * the analysis against independent PostGIS queries, bad and degenerate areas, the outage's
 * transaction, the outbox (each recipient once per channel, never twice), quiet hours, review
 * and the "water restored" notice */
#include "aq-test-util.h"

#include <string.h>

#include "aq-csv.h"

static AqDb *db;
/* The outages here are dated 2026-12-01: "now" is the day before, whatever the real date (a
 * planned outage dated in the past is refused). */
static GDateTime *base_now;
static AqDb *author, *reviewer;   /* two logins: a notice needs both */
static double min_lon, min_lat, max_lon, max_lat;   /* the premises' extent */

/* ---- helpers ---- */

static gint64
count_p (const char *sql,
         const char *p1,
         const char *p2)
{
  const char *params[] = { p1, p2 };
  g_autoptr(GError) error = NULL;
  gint64 value = -1;

  aq_db_query_int64 (db, sql, p2 ? 2 : p1 ? 1 : 0, params, &value, &error);
  g_assert_no_error (error);
  return value;
}

static char *
box_geojson (double x0, double y0, double x1, double y1)
{
  char a[4][G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (a[0], sizeof a[0], x0);
  g_ascii_dtostr (a[1], sizeof a[1], y0);
  g_ascii_dtostr (a[2], sizeof a[2], x1);
  g_ascii_dtostr (a[3], sizeof a[3], y1);
  return g_strdup_printf ("{\"type\":\"Polygon\",\"coordinates\":[[[%s,%s],[%s,%s],[%s,%s],"
                          "[%s,%s],[%s,%s]]]}",
                          a[0], a[1], a[2], a[1], a[2], a[3], a[0], a[3], a[0], a[1]);
}

/* The middle ninth of the city: a few hundred accounts at this scale. */
static AqGeometry *
middle_area (void)
{
  double w = (max_lon - min_lon) / 6, h = (max_lat - min_lat) / 6;
  double cx = (min_lon + max_lon) / 2, cy = (min_lat + max_lat) / 2;
  g_autofree char *text = box_geojson (cx - w, cy - h, cx + w, cy + h);
  g_autoptr(GError) error = NULL;
  AqGeometry *g = aq_geometry_new_from_geojson (text, &error);

  g_assert_no_error (error);
  return g;
}

/* The independent count: the whole polygon, ST_Covers, no subdivision, no CTE. */
#define INDEPENDENT_FROM \
  " FROM dw.dim_account a JOIN dw.dim_premise p ON p.premise_id = a.premise_id" \
  " JOIN dw.dim_customer c ON c.customer_id = a.customer_id" \
  " WHERE a.status <> 'closed' AND NOT p.demolished" \
  "   AND ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), p.geom)"

static void
assert_matches_independent (AqOutageArea *area,
                            const char   *geojson)
{
  g_autoptr(GError) error = NULL;
  const char *params[] = { geojson };
  g_autoptr(PGresult) res = NULL;
  gint64 in_communities = 0;

  g_assert_cmpint (area->accounts, ==, count_p ("SELECT count(*)" INDEPENDENT_FROM, geojson, NULL));
  g_assert_cmpint (area->reachable, ==,
                   count_p ("SELECT count(*)" INDEPENDENT_FROM
                            " AND (c.mobile IS NOT NULL OR c.wechat_openid IS NOT NULL)",
                            geojson, NULL));
  g_assert_cmpint (area->reachable_sms, ==,
                   count_p ("SELECT count(*)" INDEPENDENT_FROM " AND c.mobile IS NOT NULL",
                            geojson, NULL));
  g_assert_cmpint (area->sms_recipients, ==,
                   count_p ("SELECT count(DISTINCT c.mobile)" INDEPENDENT_FROM, geojson, NULL));
  g_assert_cmpint (area->wechat_recipients, ==,
                   count_p ("SELECT count(DISTINCT c.wechat_openid)" INDEPENDENT_FROM,
                            geojson, NULL));
  g_assert_cmpint (area->key_accounts, ==,
                   count_p ("SELECT count(*)" INDEPENDENT_FROM
                            " AND a.account_id IN (SELECT account_id FROM dw.dim_key_customer)",
                            geojson, NULL));
  g_assert_cmpint (area->scattered_accounts, ==,
                   count_p ("SELECT count(*)" INDEPENDENT_FROM
                            " AND a.community_code IS NULL"
                            " AND a.account_id NOT IN (SELECT account_id FROM dw.dim_key_customer)",
                            geojson, NULL));
  g_assert_cmpint (area->key_accounts + area->community_accounts + area->scattered_accounts, ==,
                   area->accounts);
  g_assert_cmpint (area->key_customers->len, ==,
                   count_p ("SELECT count(*) FROM dw.dim_key_customer k WHERE k.account_id IN"
                            " (SELECT a.account_id" INDEPENDENT_FROM ")", geojson, NULL));
  for (guint i = 1; i < area->key_customers->len; i++)
    {
      AqAreaKeyCustomer *prev = g_ptr_array_index (area->key_customers, i - 1);
      AqAreaKeyCustomer *k = g_ptr_array_index (area->key_customers, i);

      /* hospitals first */
      if (g_str_equal (k->kind, "hospital"))
        g_assert_cmpstr (prev->kind, ==, "hospital");
    }

  /* every community with affected accounts, with its count and reach */
  res = aq_db_query (db, "SELECT a.community_code, count(*),"
                         "  count(*) FILTER (WHERE c.mobile IS NOT NULL"
                         "                     OR c.wechat_openid IS NOT NULL)"
                         INDEPENDENT_FROM " AND a.community_code IS NOT NULL"
                         " GROUP BY 1 ORDER BY 1",
                     1, params, &error);
  g_assert_no_error (error);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *code = PQgetvalue (res, i, 0);
      gint64 n = g_ascii_strtoll (PQgetvalue (res, i, 1), NULL, 10);
      gint64 r = g_ascii_strtoll (PQgetvalue (res, i, 2), NULL, 10);
      AqAreaCommunity *found = NULL;

      for (guint j = 0; j < area->communities->len && !found; j++)
        {
          AqAreaCommunity *c = g_ptr_array_index (area->communities, j);

          if (g_str_equal (c->community_code, code))
            found = c;
        }
      g_assert_nonnull (found);
      g_assert_cmpint (found->accounts, ==, n);
      g_assert_cmpint (found->reachable, ==, r);
      g_assert_cmpint (found->accounts_total, >=, n);
      g_assert_true (found->needs_notice == (r < 0.8 * n));
      in_communities += n;
    }
  {
    gint64 listed = 0;

    for (guint j = 0; j < area->communities->len; j++)
      listed += ((AqAreaCommunity *) g_ptr_array_index (area->communities, j))->accounts;
    g_assert_cmpint (listed, ==, in_communities);
  }
}

static gint64
create_outage (const char       *kind,
               const AqGeometry *geometry)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 1, 1, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2026, 12, 1, 9, 0, 0);
  AqOutageSpec spec = { kind, "主管道维修", start, end, geometry, "dispatcher1" };
  g_autoptr(GError) error = NULL;
  gint64 id = aq_outage_create (db, &spec, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* ---- tests ---- */

static void
test_analysis (void)
{
  g_autoptr(AqGeometry) area_geom = middle_area ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AqOutageArea) area = aq_outage_area_analyze (db, area_geom, NULL, &error);
  g_autoptr(JsonNode) json = NULL;

  g_assert_no_error (error);
  g_test_message ("%" G_GINT64_FORMAT " accounts, %u communities, %u key customers",
                  area->accounts, area->communities->len, area->key_customers->len);
  g_assert_cmpint (area->accounts, >, 50);
  g_assert_cmpint (area->communities->len, >, 0);
  assert_matches_independent (area, area_geom->geojson);
  /* the simulator leaves some customers without any channel */
  g_assert_cmpint (area->reachable, <, area->accounts);

  json = aq_outage_area_to_json (area);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (json), "accounts"), ==,
                   area->accounts);
}

/* The analysis reads notify.area_point, derived from dw: a pipeline run that changed dw makes
 * the next analysis rebuild it, so the counts follow dw. */
static void
test_points_follow_pipelines (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AqOutageArea) before = aq_outage_area_analyze (db, g, NULL, &error);
  g_autoptr(AqOutageArea) after = NULL;
  g_autoptr(AqOutageArea) back = NULL;
  const char *params[] = { g->geojson };
  g_autofree char *account = NULL, *status = NULL;

  g_assert_no_error (error);
  account = aq_db_query_string (db, "SELECT a.account_id" INDEPENDENT_FROM
                                " ORDER BY a.account_id LIMIT 1", 1, params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  {
    const char *p[] = { account };

    status = aq_db_query_string (db, "SELECT status FROM dw.dim_account WHERE account_id = $1",
                                 1, p, &error);
    g_assert_no_error (error);
  }
  {
    const char *p[] = { account };
    g_autoptr(PGresult) res = aq_db_query (db, "UPDATE dw.dim_account SET status = 'closed'"
                                               " WHERE account_id = $1", 1, p, &error);
    g_assert_no_error (error);
  }
  g_assert_true (aq_db_exec (db, "INSERT INTO meta.pipeline_run (pipeline, status, finished_at)"
                                 " VALUES ('test', 'succeeded', clock_timestamp())", &error));
  after = aq_outage_area_analyze (db, g, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->accounts, ==, before->accounts - 1);
  assert_matches_independent (after, g->geojson);

  {
    const char *p[] = { account, status };
    g_autoptr(PGresult) res = aq_db_query (db, "UPDATE dw.dim_account SET status = $2"
                                               " WHERE account_id = $1", 2, p, &error);
    g_assert_no_error (error);
  }
  g_assert_true (aq_db_exec (db, "INSERT INTO meta.pipeline_run (pipeline, status, finished_at)"
                                 " VALUES ('test', 'succeeded', clock_timestamp())", &error));
  back = aq_outage_area_analyze (db, g, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (back->accounts, ==, before->accounts);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.area_point"), ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_account a"
                                            " JOIN dw.dim_premise p USING (premise_id)"
                                            " WHERE a.status <> 'closed' AND NOT p.demolished"));
}

static void
test_empty_and_river (void)
{
  g_autoptr(GError) error = NULL;
  /* far outside the city */
  g_autofree char *far = box_geojson (min_lon - 1.0, min_lat - 1.0, min_lon - 0.9, min_lat - 0.9);
  g_autoptr(AqGeometry) far_geom = aq_geometry_new_from_geojson (far, &error);
  g_autoptr(AqOutageArea) empty = NULL;
  g_autofree char *river = NULL;
  g_autoptr(AqGeometry) river_geom = NULL;
  g_autoptr(AqOutageArea) wet = NULL;

  g_assert_no_error (error);
  empty = aq_outage_area_analyze (db, far_geom, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (empty->accounts, ==, 0);
  g_assert_cmpint (empty->reachable, ==, 0);
  g_assert_cmpint (empty->sms_recipients, ==, 0);
  g_assert_cmpint (empty->communities->len, ==, 0);
  g_assert_cmpint (empty->key_customers->len, ==, 0);

  /* a small square inside the river: water, but no one to notify */
  river = aq_test_query_string (db,
                                "SELECT ST_AsGeoJSON(ST_Intersection(r.geom,"
                                "  ST_Buffer(ST_PointOnSurface(r.geom), 0.002, 'quad_segs=1')), 9)"
                                " FROM dw.gis_river r ORDER BY ST_Area(r.geom) DESC LIMIT 1");
  g_assert_nonnull (river);
  river_geom = aq_geometry_new_from_geojson (river, &error);
  g_assert_no_error (error);
  wet = aq_outage_area_analyze (db, river_geom, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wet->accounts, ==, 0);
  g_assert_cmpint (count_p ("SELECT count(*)" INDEPENDENT_FROM, river_geom->geojson, NULL), ==, 0);
}

static void
test_bow_tie (void)
{
  g_autoptr(GError) error = NULL;
  double w = (max_lon - min_lon) / 6, h = (max_lat - min_lat) / 6;
  double cx = (min_lon + max_lon) / 2, cy = (min_lat + max_lat) / 2;
  double ring[] = { cx - w, cy - h, cx + w, cy + h, cx + w, cy - h, cx - w, cy + h };
  g_autoptr(AqGeometry) bow = aq_geometry_new_from_ring (ring, 4, &error);
  g_autoptr(AqOutageArea) area = NULL;
  g_autoptr(AqGeometry) fixed = NULL;
  g_autofree char *where = NULL;
  gint64 before = count_p ("SELECT count(*) FROM notify.outage", NULL, NULL);

  /* statically fine: closed, four distinct vertices, in range */
  g_assert_no_error (error);

  area = aq_outage_area_analyze (db, bow, NULL, &error);
  g_assert_null (area);
  g_assert_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_INVALID);
  where = g_strdup_printf ("%.6f,%.6f", cx, cy);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "self-intersection"));
  g_assert_nonnull (strstr (error->message, where));
  g_clear_error (&error);

  /* nor can it become an outage */
  {
    g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 1, 1, 0, 0);
    g_autoptr(GDateTime) end = g_date_time_add_hours (start, 4);
    AqOutageSpec spec = { "emergency", "爆管", start, end, bow, NULL };

    g_assert_cmpint (aq_outage_create (db, &spec, &error), ==, 0);
    g_assert_error (error, AQ_GEOJSON_ERROR, AQ_GEOJSON_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (count_p ("SELECT count(*) FROM notify.outage", NULL, NULL), ==, before);
  }

  /* the repair: two triangles meeting at the crossing, and they analyse */
  fixed = aq_geometry_repair (db, bow, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fixed->n_polygons, ==, 2);
  g_assert_true (aq_geometry_check (db, fixed, &error));
  g_assert_no_error (error);
  area = aq_outage_area_analyze (db, fixed, NULL, &error);
  g_assert_no_error (error);
  assert_matches_independent (area, fixed->geojson);
  g_assert_cmpint (area->accounts, >, 0);
}

static void
test_static_checks (void)
{
  static const struct { const char *text; int code; } bad[] = {
    { "not json", AQ_GEOJSON_ERROR_PARSE },
    { "{\"coordinates\": []}", AQ_GEOJSON_ERROR_PARSE },
    { "{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", AQ_GEOJSON_ERROR_TYPE },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}",
      AQ_GEOJSON_ERROR_RING_OPEN },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[0,0],[1,0],[0,0]]]}",
      AQ_GEOJSON_ERROR_TOO_FEW },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,95],[0,0]]]}",
      AQ_GEOJSON_ERROR_RANGE },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[\"a\",0],[1,1],[0,0]]]}",
      AQ_GEOJSON_ERROR_PARSE },
    { "{\"type\":\"FeatureCollection\",\"features\":[]}", AQ_GEOJSON_ERROR_EMPTY },
    { "{\"type\":\"Feature\",\"geometry\":null}", AQ_GEOJSON_ERROR_EMPTY },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AqGeometry) g = aq_geometry_new_from_geojson (bad[i].text, &error);

      g_test_message ("%s → %s", bad[i].text, error ? error->message : "accepted");
      g_assert_null (g);
      g_assert_error (error, AQ_GEOJSON_ERROR, bad[i].code);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AqGeometry) g = aq_geometry_new_from_geojson (
      "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}", &error);

    g_assert_nonnull (strstr (error->message, "ring 1"));
  }
}

static void
test_round_trip (void)
{
  const char *text =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"name\":\"a\"},\"geometry\":"
    "{\"type\":\"Polygon\",\"coordinates\":[[[119.1,26.0],[119.3,26.0],[119.3,26.2],[119.1,26.2],"
    "[119.1,26.0]],[[119.15,26.05],[119.2,26.05],[119.2,26.1],[119.15,26.05]]]}},"
    "{\"type\":\"Feature\",\"properties\":null,\"geometry\":{\"type\":\"MultiPolygon\","
    "\"coordinates\":[[[[119.5,26.5],[119.6,26.5],[119.6,26.6],[119.5,26.5]]]]}}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(AqGeometry) g = aq_geometry_new_from_geojson (text, &error);
  g_autofree char *out = NULL, *feature = NULL;
  g_autoptr(AqGeometry) again = NULL, again2 = NULL;
  g_autoptr(JsonObject) props = json_object_new ();
  g_autofree char *from_db = NULL;
  g_autoptr(AqGeometry) back = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g->n_polygons, ==, 2);
  g_assert_cmpint (g->n_vertices, ==, 4 + 3 + 3);
  g_assert_cmpfloat (g->min_lon, ==, 119.1);
  g_assert_cmpfloat (g->max_lat, ==, 26.6);

  out = aq_geometry_to_geojson (g, FALSE, NULL);
  again = aq_geometry_new_from_geojson (out, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->geojson, ==, g->geojson);

  json_object_set_string_member (props, "reason", "检修");
  feature = aq_geometry_to_geojson (g, TRUE, props);
  g_assert_nonnull (strstr (feature, "\"Feature\""));
  g_assert_nonnull (strstr (feature, "检修"));
  again2 = aq_geometry_new_from_geojson (feature, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again2->geojson, ==, g->geojson);

  /* and through PostGIS: the same polygons and positions */
  {
    const char *params[] = { g->geojson };

    from_db = aq_db_query_string (db, "SELECT ST_AsGeoJSON(ST_GeomFromGeoJSON($1), 9)", 1,
                                  params, &error);
    g_assert_no_error (error);
  }
  back = aq_geometry_new_from_postgis (from_db, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->geojson, ==, g->geojson);
}

static void
test_zones_and_layers (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *zone = aq_test_query_string (db, "SELECT zone_code FROM dw.dim_dma_zone"
                                                    " WHERE level = 2 ORDER BY zone_code LIMIT 1");
  g_autofree char *community = aq_test_query_string (db, "SELECT community_code FROM"
                                                         " dw.dim_community ORDER BY 1 LIMIT 1");
  g_autoptr(AqGeometry) zg = aq_outage_area_for_zone (db, zone, &error);
  g_autoptr(AqGeometry) cg = NULL;
  g_autoptr(AqGeometry) none = NULL;
  g_autoptr(AqOutageArea) za = NULL;
  g_autoptr(GPtrArray) features = NULL;
  g_autoptr(JsonNode) json = NULL;
  AqMapQuery query = { .dma_level = 2 };

  g_assert_no_error (error);
  za = aq_outage_area_analyze (db, zg, NULL, &error);
  g_assert_no_error (error);
  assert_matches_independent (za, zg->geojson);
  g_assert_cmpint (za->accounts, >, 0);

  cg = aq_outage_area_for_community (db, community, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cg->n_polygons, ==, 1);
  none = aq_outage_area_for_zone (db, "NO-SUCH-ZONE", &error);
  g_assert_null (none);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    double x = (cg->min_lon + cg->max_lon) / 2, y = (cg->min_lat + cg->max_lat) / 2;
    g_autofree char *code = aq_outage_area_code_at (db, x, y, 2, &error);

    g_assert_no_error (error);
    g_assert_nonnull (code);
  }

  features = aq_map_features_load (db, AQ_MAP_LAYER_COMMUNITIES, min_lon - 1, min_lat - 1,
                                   max_lon + 1, max_lat + 1, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (features->len, ==, aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_community"));
  g_assert_cmpint (((AqMapFeature *) g_ptr_array_index (features, 0))->shape, ==,
                   AQ_MAP_SHAPE_POLYGON);
  g_clear_pointer (&features, g_ptr_array_unref);
  features = aq_map_features_load (db, AQ_MAP_LAYER_DMA_ZONES, min_lon - 1, min_lat - 1,
                                   max_lon + 1, max_lat + 1, &query, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (features->len, ==,
                   aq_test_query_int64 (db, "SELECT count(*) FROM dw.dim_dma_zone WHERE level = 2"));
  json = aq_map_features_to_json (features);
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (json_node_get_object (json),
                                                                        "features")), ==,
                   features->len);
  g_clear_pointer (&features, g_ptr_array_unref);
  features = aq_map_features_load (db, AQ_MAP_LAYER_VALVES, min_lon, min_lat,
                                   (min_lon + max_lon) / 2, (min_lat + max_lat) / 2,
                                   NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (features->len, ==,
                   count_p ("SELECT count(*) FROM dw.gis_valve WHERE geom && ST_MakeEnvelope("
                            "split_part($1, ',', 1)::float8, split_part($1, ',', 2)::float8,"
                            "split_part($1, ',', 3)::float8, split_part($1, ',', 4)::float8, 4326)",
                            g_strdup_printf ("%.17g,%.17g,%.17g,%.17g", min_lon, min_lat,
                                             (min_lon + max_lon) / 2, (min_lat + max_lat) / 2),
                            NULL));
  if (features->len > 0)
    g_assert_cmpint (((AqMapFeature *) g_ptr_array_index (features, 0))->shape, ==,
                     AQ_MAP_SHAPE_POINT);
  g_clear_pointer (&features, g_ptr_array_unref);
  {
    AqMapQuery mains = { .min_dn = 300, .tolerance = 0.0001 };

    features = aq_map_features_load (db, AQ_MAP_LAYER_MAINS, min_lon - 1, min_lat - 1,
                                     max_lon + 1, max_lat + 1, &mains, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (features->len, ==,
                     aq_test_query_int64 (db, "SELECT count(*) FROM dw.gis_pipe WHERE dn >= 300"));
    g_assert_cmpint (features->len, >, 0);
    for (guint i = 0; i < features->len; i++)
      {
        AqMapFeature *f = g_ptr_array_index (features, i);

        g_assert_cmpint (f->shape, ==, AQ_MAP_SHAPE_LINE);
        g_assert_cmpint (f->level, >=, 300);
        g_assert_cmpint (((GArray *) g_ptr_array_index (f->parts, 0))->len, >=, 4);
      }
  }
}

static void
test_csv (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(AqOutageArea) area = aq_outage_area_analyze (db, g, NULL, &error);
  g_autofree char *text = NULL;
  guint lines = 0;

  g_assert_no_error (error);
  g_assert_true (aq_outage_area_write_csv (db, g, out, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  for (const char *p = text; (p = strstr (p, "\r\n")) != NULL; p += 2)
    lines++;
  g_assert_cmpint (lines, ==, area->accounts + 1);
  /* no full mobile number leaves in the export */
  {
    const char *params[] = { g->geojson };
    g_autofree char *m = aq_db_query_string (db, "SELECT c.mobile" INDEPENDENT_FROM
                                             " AND c.mobile IS NOT NULL LIMIT 1",
                                             1, params, &error);
    g_assert_no_error (error);
    g_assert_nonnull (m);
    g_assert_null (strstr (text, m));
  }
}

static void
test_csv_fields (void)
{
  g_autoptr(GString) row = g_string_new (NULL);

  aq_csv_append (row, "福光佳园, 1栋", FALSE);
  aq_csv_append (row, "say \"hi\"", FALSE);
  aq_csv_append (row, "=HYPERLINK(\"x\")", FALSE);
  aq_csv_append (row, "-5", FALSE);
  aq_csv_append (row, NULL, FALSE);
  aq_csv_append (row, "plain", TRUE);
  g_assert_cmpstr (row->str, ==,
                   "\"福光佳园, 1栋\",\"say \"\"hi\"\"\",\"'=HYPERLINK(\"\"x\"\")\",'-5,,plain\r\n");
}

static void
analyzed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AqOutageArea **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = aq_outage_area_analyze_finish (result, &error);
  if (*out == NULL)
    {
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      *out = GINT_TO_POINTER (1);
    }
}

static void
test_async (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  AqOutageArea *first = NULL, *second = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqOutageArea) sync = aq_outage_area_analyze (db, g, NULL, &error);
  const char *conninfo = aq_db_get_conninfo (db);

  g_assert_no_error (error);
  g_cancellable_cancel (cancelled);
  aq_outage_area_analyze_async (conninfo, g, cancelled, analyzed_cb, &first);
  aq_outage_area_analyze_async (conninfo, g, NULL, analyzed_cb, &second);
  while (first == NULL || second == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (first == GINT_TO_POINTER (1));
  g_assert_true (second != GINT_TO_POINTER (1));
  g_assert_cmpint (second->accounts, ==, sync->accounts);
  g_assert_cmpint (second->communities->len, ==, sync->communities->len);
  aq_outage_area_free (second);
}

static void
store_result (GObject *source, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_outage_create (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AqOutageArea) area = aq_outage_area_analyze (db, g, NULL, &error);
  gint64 before = aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage");
  gint64 id;
  g_autoptr(AqOutage) outage = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char *ids = NULL;

  g_assert_no_error (error);
  id = create_outage ("planned", g);
  ids = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  outage = aq_outage_get (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outage->accounts, ==, area->accounts);
  g_assert_cmpstr (outage->status, ==, "planned");
  g_assert_cmpstr (outage->created_by, ==, "dispatcher1");
  g_assert_cmpint (g_date_time_get_hour (outage->start_time), ==,
                   g_date_time_get_hour (g_date_time_to_timezone (
                     g_date_time_new_utc (2026, 12, 1, 1, 0, 0),
                     g_date_time_get_timezone (outage->start_time))));
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.outage_account oa"
                            " JOIN dw.dim_account a USING (account_id)"
                            " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
                            " WHERE oa.outage_id = $1 AND NOT ST_Covers("
                            "  (SELECT geom FROM notify.outage WHERE outage_id = $1), p.geom)",
                            ids, NULL), ==, 0);
  list = aq_outage_list (db, "planned", &error);
  g_assert_no_error (error);
  g_assert_cmpint (list->len, >=, 1);

  /* on the map's planned-outages layer, as a polygon with its reason */
  {
    g_autoptr(GPtrArray) planned = aq_map_features_load (db, AQ_MAP_LAYER_OUTAGES_PLANNED,
                                                         min_lon, min_lat, max_lon, max_lat,
                                                         NULL, NULL, &error);
    gboolean found = FALSE;

    g_assert_no_error (error);
    for (guint i = 0; i < planned->len; i++)
      {
        AqMapFeature *f = g_ptr_array_index (planned, i);

        if (g_str_equal (f->id, ids))
          {
            found = TRUE;
            g_assert_cmpint (f->shape, ==, AQ_MAP_SHAPE_POLYGON);
            g_assert_cmpstr (f->name, ==, "主管道维修");
            g_assert_cmpstr (f->kind, ==, "planned");
          }
      }
    g_assert_true (found);
  }

  /* a bad field: named, nothing written */
  {
    g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 1, 1, 0, 0);
    AqOutageSpec spec = { "planned", "x", start, start, g, NULL };

    g_assert_cmpint (aq_outage_create (db, &spec, &error), ==, 0);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "expected end"));
    g_clear_error (&error);
    spec.kind = "scheduled";
    g_assert_cmpint (aq_outage_create (db, &spec, &error), ==, 0);
    g_assert_nonnull (strstr (error->message, "kind"));
    g_clear_error (&error);
  }

  /* a failure half-way (the account rows refused) leaves no outage behind */
  g_assert_true (aq_db_exec (db,
    "CREATE FUNCTION pg_temp.refuse() RETURNS trigger LANGUAGE plpgsql AS"
    " $$BEGIN RAISE EXCEPTION 'refused by the test'; END$$;"
    "CREATE TRIGGER refuse BEFORE INSERT ON notify.outage_account"
    " FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse()", &error));
  g_assert_no_error (error);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage"), ==, before + 1);
  {
    g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 1, 1, 0, 0);
    g_autoptr(GDateTime) end = g_date_time_add_hours (start, 2);
    AqOutageSpec spec = { "emergency", "爆管", start, end, g, NULL };

    g_assert_cmpint (aq_outage_create (db, &spec, &error), ==, 0);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "refused by the test"));
    g_clear_error (&error);
  }
  g_assert_true (aq_db_exec (db, "DROP TRIGGER refuse ON notify.outage_account", &error));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage"), ==, before + 1);

  /* the same through a thread, as the map panel saves it */
  {
    g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 12, 1, 1, 0, 0);
    g_autoptr(GDateTime) end = g_date_time_add_hours (start, 3);
    AqOutageSpec spec = { "planned", "异步", start, end, g, "dispatcher2" };
    g_autoptr(GAsyncResult) result = NULL;
    gint64 async_id;

    aq_outage_create_async (aq_db_get_conninfo (db), &spec, NULL, store_result, &result);
    while (result == NULL)
      g_main_context_iteration (NULL, TRUE);
    async_id = aq_outage_create_finish (result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (async_id, >, id);
    g_assert_cmpint (count_p ("SELECT count(*) FROM notify.outage_account WHERE outage_id = $1",
                              g_strdup_printf ("%" G_GINT64_FORMAT, async_id), NULL), ==,
                     area->accounts);
  }

  /* transitions */
  g_assert_true (aq_outage_activate (db, id, &error));
  g_assert_false (aq_outage_activate (db, id, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_outage_cancel (db, 999999, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* a planned outage dated in the past is refused (it would be notified as if ahead); one
   * already under way is an emergency, and an emergency may have begun before it is saved */
  {
    g_autoptr(GDateTime) start = g_date_time_add_days (base_now, -6);
    g_autoptr(GDateTime) end = g_date_time_add_days (base_now, 1);
    AqOutageSpec spec = { "planned", "六天前", start, end, g, NULL };
    gint64 id;

    g_assert_cmpint (aq_outage_create (db, &spec, &error), ==, 0);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "2026-11-24 16:00 is in the past"));
    g_clear_error (&error);
    spec.kind = "emergency";
    id = aq_outage_create (db, &spec, &error);
    g_assert_no_error (error);
    g_assert_true (aq_outage_cancel (db, id, &error));
    g_assert_no_error (error);
  }
}

static void
test_templates_and_quiet_hours (void)
{
  AqTemplateValues values = { "福光佳园", "2026-12-01 09:00", "2026-12-01 17:00", "{start}" };
  g_autofree char *text = aq_template_render ("{community}停水 {start}—{end}，因{reason}{x}",
                                              &values);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  AqQuietHours rule = { TRUE, 21, 8, tz };
  struct { int hour, minute; int day, want_hour; } cases[] = {
    { 22, 30, 2, 8 }, { 3, 0, 1, 8 }, { 12, 0, 1, 12 }, { 21, 0, 2, 8 }, { 8, 0, 1, 8 },
    { 20, 59, 1, 20 },
  };

  /* a value is not searched again for variables; an unknown one stays as typed */
  g_assert_cmpstr (text, ==, "福光佳园停水 2026-12-01 09:00—2026-12-01 17:00，因{start}{x}");
  g_assert_false (aq_template_check ("{x}", &error));
  g_assert_nonnull (strstr (error->message, "{x}"));
  g_clear_error (&error);
  g_assert_false (aq_template_check ("停水 {start", &error));
  g_clear_error (&error);
  g_assert_false (aq_template_check ("  ", &error));
  g_clear_error (&error);
  g_assert_true (aq_template_check (aq_template_default ("outage"), &error));
  g_assert_true (aq_template_check (aq_template_default ("restored"), &error));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 12, 1, cases[i].hour,
                                                  cases[i].minute, 0);
      g_autoptr(GDateTime) at = aq_quiet_hours_apply (&rule, now);

      g_assert_cmpint (g_date_time_get_day_of_month (at), ==, cases[i].day);
      g_assert_cmpint (g_date_time_get_hour (at), ==, cases[i].want_hour);
      if (cases[i].want_hour == 8 && cases[i].hour != 8)
        g_assert_cmpint (g_date_time_get_minute (at), ==, 0);
    }
  rule.enabled = FALSE;
  {
    g_autoptr(GDateTime) now = g_date_time_new (tz, 2026, 12, 1, 23, 0, 0);
    g_autoptr(GDateTime) at = aq_quiet_hours_apply (&rule, now);

    g_assert_true (g_date_time_equal (at, now));
  }
}

/* The recipients per channel as an independent query says. */
static gint64
expected_recipients (const char *outage_id,
                     const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(DISTINCT c.%s) FROM notify.outage_account oa"
                                          " JOIN dw.dim_account a USING (account_id)"
                                          " JOIN dw.dim_customer c USING (customer_id)"
                                          " WHERE oa.outage_id = $1", column);
  return count_p (sql, outage_id, NULL);
}

static void
test_notice (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  AqQuietHours rule = { TRUE, 21, 8, tz };
  g_autoptr(GDateTime) evening = g_date_time_new (tz, 2026, 11, 30, 22, 15, 0);
  /* what the clock says when the spec names no instant: the retry and the restored notice */
  g_autoptr(GDateTime) morning = g_date_time_new (tz, 2026, 12, 1, 10, 30, 0);
  gint64 outage_id = create_outage ("planned", g);
  g_autofree char *oid = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  const char *tmpl = "【自来水】因{reason}，{community}将于{start}至{end}停水，请储水。";
  AqCampaignSpec spec = { outage_id, "outage", tmpl, "agent1", "agent1", &rule, evening };
  gint64 messages_before = aq_test_query_int64 (db, "SELECT count(*) FROM notify.message");
  gint64 campaigns_before = aq_test_query_int64 (db, "SELECT count(*) FROM notify.campaign");
  gint64 campaign, restored;
  g_autofree char *cid = NULL, *rid = NULL;
  g_autoptr(AqCampaignStatus) status = NULL;
  g_autoptr(GPtrArray) preview = NULL;

  aq_clock_pin (morning);

  /* one login cannot write a notice already reviewed; nothing written */
  g_assert_cmpint (aq_campaign_create (db, &spec, &error), ==, 0);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.campaign"), ==,
                   campaigns_before);
  spec.template_text = "{recipient}";
  spec.reviewed_by = "agent2";
  g_assert_cmpint (aq_campaign_create (db, &spec, &error), ==, 0);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  spec.template_text = tmpl;
  spec.reviewed_by = NULL;

  /* the author writes a draft; the author cannot approve it, a second login can */
  campaign = aq_campaign_create (author, &spec, &error);
  g_assert_no_error (error);
  g_assert_false (aq_campaign_approve (author, campaign, NULL, NULL, &rule, evening, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (aq_campaign_approve (reviewer, campaign, NULL, NULL, &rule, evening, &error));
  g_assert_no_error (error);
  cid = g_strdup_printf ("%" G_GINT64_FORMAT, campaign);

  /* one message per distinct reachable recipient and channel */
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND channel = 'sms'", cid, NULL), ==,
                   expected_recipients (oid, "mobile"));
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND channel = 'wechat'", cid, NULL), ==,
                   expected_recipients (oid, "wechat_openid"));
  g_assert_cmpint (expected_recipients (oid, "mobile"), >, 0);
  g_assert_cmpint (count_p ("SELECT count(*) FROM (SELECT recipient FROM notify.message"
                            " WHERE campaign_id = $1 GROUP BY channel, recipient"
                            " HAVING count(*) > 1) d", cid, NULL), ==, 0);
  g_assert_cmpint (count_p ("SELECT count(DISTINCT idempotency_key) FROM notify.message"
                            " WHERE campaign_id = $1", cid, NULL), ==,
                   count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1",
                            cid, NULL));
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND (body LIKE '%{%' OR body NOT LIKE '%主管道维修%')",
                            cid, NULL), ==, 0);

  /* planned, queued at 22:15 local: nothing leaves before 08:00 the next morning */
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                            " AND not_before = '2026-12-01 08:00:00+08'", cid, NULL), ==, 1);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND next_attempt_at <> '2026-12-01 08:00:00+08'", cid, NULL), ==, 0);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                            " AND reviewed_at = '2026-11-30 22:15:00+08'"
                            " AND queued_at = '2026-11-30 22:15:00+08'", cid, NULL), ==, 1);

  /* a re-send writes nothing, and a second first notice is refused */
  g_assert_cmpint (aq_campaign_enqueue (db, campaign, &error), ==, 0);
  g_assert_no_error (error);
  {
    gint64 messages = aq_test_query_int64 (db, "SELECT count(*) FROM notify.message");
    gint64 campaigns = aq_test_query_int64 (db, "SELECT count(*) FROM notify.campaign");

    g_assert_cmpint (aq_campaign_create (db, &spec, &error), ==, 0);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "update"));
    g_clear_error (&error);
    g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.message"), ==,
                     messages);
    g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.campaign"), ==,
                     campaigns);
  }

  status = aq_campaign_get_status (db, campaign, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status->total, ==, aq_test_query_int64 (db, "SELECT count(*) FROM notify.message")
                                      - messages_before);
  g_assert_cmpint (status->queued, ==, status->total);
  g_assert_cmpint (status->sms + status->wechat, ==, status->total);
  g_assert_cmpstr (status->created_by, ==, "aqo_agent1");
  g_assert_cmpstr (status->reviewed_by, ==, "aqo_agent2");

  /* the preview renders as the outbox did */
  preview = aq_campaign_preview (db, outage_id, tmpl, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpint (preview->len, ==, MIN (5, status->total));
  {
    AqRecipient *r = g_ptr_array_index (preview, 0);
    const char *params[] = { cid, r->account_id, r->channel };
    g_autofree char *body = aq_db_query_string (db, "SELECT body FROM notify.message"
                                                " WHERE campaign_id = $1 AND account_id = $2"
                                                "   AND channel = $3", 3, params, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (r->body, ==, body);
    g_assert_cmpstr (r->channel, ==, "sms");
    g_assert_nonnull (strstr (r->recipient_masked, "****"));
  }

  /* progress and retry of the failed */
  {
    g_autofree char *sql = g_strdup_printf (
      "UPDATE notify.message SET status = 'failed', attempts = 5, last_error = 'x'"
      " WHERE message_id IN (SELECT message_id FROM notify.message WHERE campaign_id = %s"
      " ORDER BY message_id LIMIT 3);"
      "UPDATE notify.message SET status = 'delivered'"
      " WHERE message_id IN (SELECT message_id FROM notify.message WHERE campaign_id = %s"
      " AND status = 'queued' ORDER BY message_id LIMIT 2)", cid, cid);

    g_assert_true (aq_db_exec (db, sql, &error));
  }
  g_clear_pointer (&status, aq_campaign_status_free);
  status = aq_campaign_get_status (db, campaign, &error);
  g_assert_cmpint (status->failed, ==, 3);
  g_assert_cmpint (status->delivered, ==, 2);
  g_assert_cmpint (status->queued, ==, status->total - 5);
  g_assert_cmpint (aq_campaign_retry_failed (db, campaign, &error), ==, 3);
  /* due at once: at the clock's now, not at the server's (the others still wait for 08:00) */
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND status = 'queued' AND attempts = 0"
                            " AND next_attempt_at = '2026-12-01 10:30:00+08'", cid, NULL), ==, 3);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND status = 'queued'"
                            " AND next_attempt_at = '2026-12-01 08:00:00+08'", cid, NULL), ==,
                   status->total - 5);
  g_assert_cmpint (aq_campaign_retry_failed (db, campaign, &error), ==, 0);

  /* water restored: exactly the same (channel, recipient) pairs */
  {
    AqCampaignSpec again = { outage_id, "restored", aq_template_default ("restored"), NULL,
                             NULL, &rule, NULL };

    restored = aq_campaign_create (author, &again, &error);
    g_assert_no_error (error);
    g_assert_true (aq_campaign_approve (reviewer, restored, NULL, NULL, &rule, NULL, &error));
    g_assert_no_error (error);
  }
  rid = g_strdup_printf ("%" G_GINT64_FORMAT, restored);
  g_assert_cmpint (count_p ("SELECT count(*) FROM ((SELECT channel, recipient FROM notify.message"
                            " WHERE campaign_id = $1 EXCEPT SELECT channel, recipient"
                            " FROM notify.message WHERE campaign_id = $2) UNION ALL"
                            " (SELECT channel, recipient FROM notify.message WHERE campaign_id = $2"
                            " EXCEPT SELECT channel, recipient FROM notify.message"
                            " WHERE campaign_id = $1)) d", cid, rid), ==, 0);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1", rid,
                            NULL), ==, status->total);
  /* queued at the clock's 10:30, outside the quiet hours: due at once */
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                            " AND not_before IS NULL AND reviewed_at = '2026-12-01 10:30:00+08'",
                            rid, NULL), ==, 1);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                            " AND next_attempt_at = '2026-12-01 10:30:00+08'", rid, NULL), ==,
                   status->total);
  aq_clock_pin (base_now);
}

/* The outbox at pinned instants on both sides of each boundary, with the default rule in the
 * utility's zone (no rule, no instant passed: what the panel and the CLI do). Each notice is
 * an "update", which may go out any number of times. */
static void
test_quiet_hours_outbox (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GError) error = NULL;
  gint64 outage_id = create_outage ("planned", g);
  g_autofree char *oid = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  gint64 recipients = expected_recipients (oid, "mobile")
                      + expected_recipients (oid, "wechat_openid");
  struct { const char *zone, *now, *not_before; } cases[] = {
    /* Asia/Shanghai, UTC+8 all year */
    { NULL, "2026-10-15T07:59:00+08:00", "2026-10-15T08:00:00+08:00" },
    { NULL, "2026-10-15T08:00:00+08:00", NULL },
    { NULL, "2026-10-15T20:59:00+08:00", NULL },
    { NULL, "2026-10-15T21:00:00+08:00", "2026-10-16T08:00:00+08:00" },
    { NULL, "2026-10-15T23:59:00+08:00", "2026-10-16T08:00:00+08:00" },
    { NULL, "2026-10-16T00:00:00+08:00", "2026-10-16T08:00:00+08:00" },
    /* Europe/Berlin on the night its clocks go forward, and on the one they go back */
    { "Europe/Berlin", "2026-03-28T19:59:00Z", NULL },
    { "Europe/Berlin", "2026-03-28T20:00:00Z", "2026-03-29T06:00:00Z" },
    { "Europe/Berlin", "2026-03-29T05:59:00Z", "2026-03-29T06:00:00Z" },
    { "Europe/Berlin", "2026-03-29T06:00:00Z", NULL },
    { "Europe/Berlin", "2026-10-24T19:00:00Z", "2026-10-25T07:00:00Z" },
    { "Europe/Berlin", "2026-10-25T06:59:00Z", "2026-10-25T07:00:00Z" },
    { "Europe/Berlin", "2026-10-25T07:00:00Z", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (cases[i].now, NULL);
      /* written by one login, approved by another: the warehouse allows nothing else */
      AqCampaignSpec spec = { outage_id, "update", "{community}停水时间更新", "agent1", NULL,
                              NULL, NULL };
      gint64 campaign;
      g_autofree char *cid = NULL;
      const char *due = cases[i].not_before ? cases[i].not_before : cases[i].now;

      g_test_message ("%s %s", cases[i].zone ? cases[i].zone : "default zone", cases[i].now);
      if (cases[i].zone)
        g_setenv ("AQUEDUCT_TIME_ZONE", cases[i].zone, TRUE);
      aq_clock_pin (now);
      campaign = aq_campaign_create (author, &spec, &error);
      g_assert_no_error (error);
      aq_campaign_approve (reviewer, campaign, NULL, NULL, NULL, NULL, &error);
      aq_clock_pin (base_now);
      g_unsetenv ("AQUEDUCT_TIME_ZONE");
      g_assert_no_error (error);
      cid = g_strdup_printf ("%" G_GINT64_FORMAT, campaign);

      if (cases[i].not_before)
        g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                                  " AND not_before = $2::timestamptz", cid,
                                  cases[i].not_before), ==, 1);
      else
        g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                                  " AND not_before IS NULL", cid, NULL), ==, 1);
      /* every message is due exactly then: at the pinned now, or when the quiet ends */
      g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                                " AND next_attempt_at = $2::timestamptz", cid, due), ==,
                       recipients);
      g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1",
                                cid, NULL), ==, recipients);
    }

  /* a draft written at 20:59 and approved at 21:00: the approval's instant decides */
  {
    g_autoptr(GDateTime) written = g_date_time_new_from_iso8601 ("2026-10-15T20:59:00+08:00",
                                                                 NULL);
    g_autoptr(GDateTime) approved = g_date_time_new_from_iso8601 ("2026-10-15T21:00:00+08:00",
                                                                  NULL);
    AqCampaignSpec spec = { outage_id, "update", "{community}停水时间更新", "agent1", NULL,
                            NULL, NULL };
    gint64 draft;
    g_autofree char *did = NULL;

    aq_clock_pin (written);
    draft = aq_campaign_create (author, &spec, &error);
    g_assert_no_error (error);
    aq_clock_pin (approved);
    g_assert_true (aq_campaign_approve (reviewer, draft, NULL, NULL, NULL, NULL, &error));
    aq_clock_pin (base_now);
    g_assert_no_error (error);
    did = g_strdup_printf ("%" G_GINT64_FORMAT, draft);
    g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                              " AND not_before = '2026-10-16 08:00:00+08'"
                              " AND reviewed_at = '2026-10-15 21:00:00+08'", did, NULL), ==, 1);
    g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1"
                              " AND next_attempt_at = '2026-10-16 08:00:00+08'", did, NULL), ==,
                     recipients);
  }
}

static void
test_draft_and_emergency (void)
{
  g_autoptr(AqGeometry) g = middle_area ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+08:00");
  AqQuietHours rule = { TRUE, 21, 8, tz };
  g_autoptr(GDateTime) night = g_date_time_new (tz, 2026, 11, 30, 23, 40, 0);
  gint64 outage_id = create_outage ("emergency", g);
  g_autofree char *oid = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
  AqCampaignSpec spec = { outage_id, "outage", "{community}突发停水", "agent1", NULL, &rule, night };
  gint64 draft;
  g_autofree char *did = NULL;

  /* no "restored" before a first notice */
  {
    AqCampaignSpec r = { outage_id, "restored", "恢复供水", NULL, NULL, NULL, NULL };
    gint64 early = aq_campaign_create (author, &r, &error);

    g_assert_no_error (error);
    g_assert_false (aq_campaign_approve (reviewer, early, NULL, NULL, NULL, NULL, &error));
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_clear_error (&error);
  }

  draft = aq_campaign_create (db, &spec, &error);
  g_assert_no_error (error);
  did = g_strdup_printf ("%" G_GINT64_FORMAT, draft);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1", did,
                            NULL), ==, 0);
  g_assert_cmpint (aq_campaign_enqueue (db, draft, &error), ==, -1);
  g_clear_error (&error);
  g_assert_false (aq_campaign_approve (db, draft, "agent1", NULL, &rule, night, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (aq_campaign_approve (reviewer, draft, NULL, "{community}突发停水，抢修中",
                                      &rule, night, &error));
  g_assert_no_error (error);
  /* an emergency ignores the quiet hours */
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.campaign WHERE campaign_id = $1"
                            " AND not_before IS NULL AND status = 'queued'"
                            " AND template LIKE '%抢修中'", did, NULL), ==, 1);
  g_assert_cmpint (count_p ("SELECT count(*) FROM notify.message WHERE campaign_id = $1", did,
                            NULL), ==,
                   expected_recipients (oid, "mobile") + expected_recipients (oid, "wechat_openid"));
  g_assert_false (aq_campaign_approve (db, draft, "agent4", NULL, &rule, night, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  base_now = g_date_time_new_from_iso8601 ("2026-11-30T08:00:00Z", NULL);
  aq_clock_pin (base_now);
  db = aq_test_demo_db_new ("t_outage", 3000, 13);
  {
    g_autofree char *author_info = aq_test_login_conninfo ("t_outage", "aqo_agent1",
                                                           "dispatcher");
    g_autofree char *reviewer_info = aq_test_login_conninfo ("t_outage", "aqo_agent2",
                                                             "dispatcher,notice_reviewer");

    author = aq_db_connect (author_info, &error);
    g_assert_no_error (error);
    reviewer = aq_db_connect (reviewer_info, &error);
    g_assert_no_error (error);
  }
  res = aq_db_query (db, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)"
                         " FROM (SELECT ST_Extent(geom)::geometry AS e FROM dw.dim_premise) s",
                     0, NULL, &error);
  g_assert_no_error (error);
  min_lon = g_ascii_strtod (PQgetvalue (res, 0, 0), NULL);
  min_lat = g_ascii_strtod (PQgetvalue (res, 0, 1), NULL);
  max_lon = g_ascii_strtod (PQgetvalue (res, 0, 2), NULL);
  max_lat = g_ascii_strtod (PQgetvalue (res, 0, 3), NULL);

  g_test_add_func ("/outage/analysis", test_analysis);
  g_test_add_func ("/outage/points-follow-pipelines", test_points_follow_pipelines);
  g_test_add_func ("/outage/empty-and-river", test_empty_and_river);
  g_test_add_func ("/outage/bow-tie", test_bow_tie);
  g_test_add_func ("/outage/static-checks", test_static_checks);
  g_test_add_func ("/outage/round-trip", test_round_trip);
  g_test_add_func ("/outage/zones-and-layers", test_zones_and_layers);
  g_test_add_func ("/outage/csv", test_csv);
  g_test_add_func ("/outage/csv-fields", test_csv_fields);
  g_test_add_func ("/outage/async", test_async);
  g_test_add_func ("/outage/create", test_outage_create);
  g_test_add_func ("/outage/templates-and-quiet-hours", test_templates_and_quiet_hours);
  g_test_add_func ("/outage/notice", test_notice);
  g_test_add_func ("/outage/quiet-hours-outbox", test_quiet_hours_outbox);
  g_test_add_func ("/outage/draft-and-emergency", test_draft_and_emergency);
  return g_test_run ();
}

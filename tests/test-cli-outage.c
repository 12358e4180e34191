/* test-cli-outage.c — aqueductctl outage|notify end to end: the real binary against a small
 * demo warehouse; exact counts, bad areas refused with exit 2, a notice sent once */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static AqDb *db;
static char *conninfo;
static char *author_info, *reviewer_info;   /* a notice needs two logins */
static char *tmpdir;

static char *
ctl (int         *status,
     char       **err,
     const char  *first,
     ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, err, first, args);
  va_end (args);
  return out;
}

/* aqueductctl run as the login of @info */
static char *
ctl_as (const char  *info,
        int         *status,
        char       **err,
        const char  *first,
        ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", info, NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, err, first, args);
  va_end (args);
  return out;
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
write_file (const char *name,
            const char *text)
{
  char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* the middle ninth of the premises' extent, as a GeoJSON Feature */
static char *
middle_feature (void)
{
  return aq_test_query_string (db,
    "SELECT json_build_object('type', 'Feature', 'properties', json_build_object(),"
    "  'geometry', ST_AsGeoJSON(ST_MakeEnvelope("
    "    ST_XMin(e) + (ST_XMax(e) - ST_XMin(e)) / 3, ST_YMin(e) + (ST_YMax(e) - ST_YMin(e)) / 3,"
    "    ST_XMax(e) - (ST_XMax(e) - ST_XMin(e)) / 3, ST_YMax(e) - (ST_YMax(e) - ST_YMin(e)) / 3,"
    "    4326), 9)::json)::text"
    " FROM (SELECT ST_Extent(geom)::geometry AS e FROM dw.dim_premise) s");
}

static gint64
independent_accounts (const char *geojson_feature)
{
  const char *params[] = { geojson_feature };
  g_autoptr(GError) error = NULL;
  gint64 n = -1;

  aq_db_query_int64 (db,
                     "SELECT count(*) FROM dw.dim_account a"
                     " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
                     " WHERE a.status <> 'closed' AND NOT p.demolished AND ST_Covers("
                     "  ST_SetSRID(ST_GeomFromGeoJSON(($1::json ->> 'geometry')), 4326), p.geom)",
                     1, params, &n, &error);
  g_assert_no_error (error);
  return n;
}

static void
test_analyze (void)
{
  g_autofree char *feature = middle_feature ();
  g_autofree char *path = write_file ("area.geojson", feature);
  g_autofree char *csv = g_build_filename (tmpdir, "area.csv", NULL);
  g_autofree char *out = NULL, *err = NULL, *text = NULL, *csv_text = NULL;
  g_autoptr(JsonObject) result = NULL;
  int status;
  gint64 expected = independent_accounts (feature);

  out = ctl (&status, &err, "outage", "prepare", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "outage areas ready"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.area_point_state"), ==, 1);
  g_free (out);
  out = ctl (&status, &err, "outage", "analyze", "--geojson", path, "--json", "--csv", csv, NULL);
  g_assert_cmpint (status, ==, 0);
  result = parse_object (out);
  g_assert_cmpint (expected, >, 0);
  g_assert_cmpint (json_object_get_int_member (result, "accounts"), ==, expected);
  g_assert_cmpint (json_object_get_int_member (result, "key_accounts")
                   + json_object_get_int_member (result, "community_accounts")
                   + json_object_get_int_member (result, "scattered_accounts"), ==, expected);
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  {
    guint lines = 0;

    for (const char *p = csv_text; (p = strstr (p, "\r\n")) != NULL; p += 2)
      lines++;
    g_assert_cmpint (lines, ==, expected + 1);
  }

  text = ctl (&status, NULL, "outage", "analyze", "--geojson", path, NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("Accounts affected   %" G_GINT64_FORMAT, expected);

    g_assert_nonnull (strstr (text, line));
  }
}

static void
test_bad_areas (void)
{
  static const struct { const char *text; const char *says; } bad[] = {
    { "{\"type\":\"Polygon\",\"coordinates\":[[[119.2,26.0],[119.4,26.2],[119.4,26.0],"
      "[119.2,26.2],[119.2,26.0]]]}", "self-intersection at 119.300000,26.100000" },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[119.2,26.0],[119.4,26.2],[119.4,26.0]]]}",
      "not closed" },
    { "{\"type\":\"Point\",\"coordinates\":[119.2,26.0]}", "Point" },
    { "{\"type\":\"Polygon\",\"coordinates\":[[[119.2,26.0],[219.4,26.2],[119.4,26.0],"
      "[119.2,26.0]]]}", "out of range" },
    { "nonsense", "Not GeoJSON" },
  };
  gint64 outages = aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_file ("bad.geojson", bad[i].text);
      g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
      int status;

      out = ctl (&status, &err, "outage", "analyze", "--geojson", path, "--json", NULL);
      g_test_message ("%s", err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, bad[i].says));
      g_assert_cmpstr (out, ==, "");

      out2 = ctl (&status, &err2, "outage", "create", "--kind", "planned", "--reason", "x",
                  "--start", "2026-12-01T08:00", "--end", "2026-12-01 18:00",
                  "--geojson", path, NULL);
      g_assert_cmpint (status, ==, 2);
    }
  {
    g_autofree char *err = NULL, *out = NULL;
    int status;

    out = ctl (&status, &err, "outage", "analyze", "--geojson", "/nonexistent.geojson", NULL);
    g_assert_cmpint (status, ==, 2);
    out = (g_free (out), ctl (&status, &err, "outage", "analyze", NULL));
    g_assert_cmpint (status, ==, 2);
  }
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage"), ==, outages);
}

static void
test_create_and_notify (void)
{
  g_autofree char *zone = aq_test_query_string (db, "SELECT zone_code FROM dw.dim_dma_zone"
                                                    " WHERE level = 3 ORDER BY zone_code LIMIT 1");
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(JsonObject) outage = NULL, campaign = NULL, again = NULL;
  g_autofree char *oid = NULL, *cid = NULL, *sms = NULL, *wechat = NULL;
  g_autofree char *expect_sms = NULL, *expect_wechat = NULL;
  int status;
  gint64 total;

  out = ctl (&status, &err, "outage", "create", "--kind", "emergency", "--reason", "爆管抢修",
             "--start", "2026-12-01T08:00", "--end", "2026-12-01T18:00", "--zone", zone,
             "--by", "dispatcher1", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  outage = parse_object (out);
  oid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (outage, "outage_id"));
  g_assert_cmpint (json_object_get_int_member (outage, "accounts"), >, 0);

  g_free (out);
  out = ctl (&status, &err, "outage", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "爆管抢修"));

  /* the author writes a draft and may not approve it */
  g_free (out);
  g_free (err);
  out = ctl_as (author_info, &status, &err, "notify", "send", oid, "--template",
                "{community}停水，因{reason}", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  campaign = parse_object (out);
  cid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (campaign, "campaign_id"));
  g_clear_pointer (&campaign, json_object_unref);
  g_free (out);
  g_free (err);
  out = ctl_as (author_info, &status, &err, "notify", "approve", cid, NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "second person"));
  /* --author and --reviewer are gone: the warehouse knows who is who */
  g_free (out);
  g_free (err);
  out = ctl_as (author_info, &status, &err, "notify", "approve", cid, "--reviewer", "b", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  g_free (err);
  out = ctl (&status, &err, "notify", "send", oid, "--template", "{who}停水", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "{who}"));

  g_free (out);
  out = ctl_as (reviewer_info, &status, &err, "notify", "approve", cid, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  campaign = parse_object (out);
  cid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (campaign, "campaign_id"));
  total = json_object_get_int_member (campaign, "total");

  {
    g_autofree char *sql1 = g_strdup_printf (
      "SELECT count(DISTINCT c.mobile)::text FROM notify.outage_account oa"
      " JOIN dw.dim_account a USING (account_id) JOIN dw.dim_customer c USING (customer_id)"
      " WHERE oa.outage_id = %s", oid);
    g_autofree char *sql2 = g_strdup_printf (
      "SELECT count(DISTINCT c.wechat_openid)::text FROM notify.outage_account oa"
      " JOIN dw.dim_account a USING (account_id) JOIN dw.dim_customer c USING (customer_id)"
      " WHERE oa.outage_id = %s", oid);

    expect_sms = aq_test_query_string (db, sql1);
    expect_wechat = aq_test_query_string (db, sql2);
  }
  g_assert_cmpint (json_object_get_int_member (campaign, "sms"), ==, g_ascii_strtoll (expect_sms, NULL, 10));
  g_assert_cmpint (json_object_get_int_member (campaign, "wechat"), ==,
                   g_ascii_strtoll (expect_wechat, NULL, 10));
  g_assert_cmpint (json_object_get_int_member (campaign, "queued"), ==, total);
  g_assert_cmpint (total, >, 0);

  /* failures, then retry, then status */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE notify.message SET status = 'failed'"
                                            " WHERE campaign_id = %s AND channel = 'sms'", cid);
    g_autoptr(GError) error = NULL;

    g_assert_true (aq_db_exec (db, sql, &error));
  }
  g_free (out);
  out = ctl (&status, &err, "notify", "status", cid, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  again = parse_object (out);
  g_assert_cmpint (json_object_get_int_member (again, "failed"), ==,
                   g_ascii_strtoll (expect_sms, NULL, 10));
  g_free (out);
  out = ctl (&status, &err, "notify", "retry", cid, NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("%s failed messages queued again", expect_sms);

    g_assert_nonnull (strstr (out, line));
  }
  g_free (out);
  out = ctl (&status, &err, "notify", "status", cid, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "failed     0"));

  g_free (out);
  g_free (err);
  out = ctl (&status, &err, "notify", "status", "987654", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl (&status, NULL, "outage", "restore", oid, NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl_as (author_info, &status, NULL, "notify", "send", oid, "--kind", "restored",
                "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonObject) draft = parse_object (out);
    g_autofree char *rid = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            json_object_get_int_member (draft, "campaign_id"));

    g_free (out);
    out = ctl_as (reviewer_info, &status, NULL, "notify", "approve", rid, "--json", NULL);
    g_assert_cmpint (status, ==, 0);
  }
  {
    g_autoptr(JsonObject) restored = parse_object (out);

    g_assert_cmpint (json_object_get_int_member (restored, "total"), ==, total);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_demo_db_new ("t_cli_outage", 2000, 13);
  conninfo = aq_test_conninfo ("t_cli_outage");
  author_info = aq_test_login_conninfo ("t_cli_outage", "aqco_author", "dispatcher");
  reviewer_info = aq_test_login_conninfo ("t_cli_outage", "aqco_reviewer",
                                          "dispatcher,notice_reviewer");
  tmpdir = g_dir_make_tmp ("aq-cli-outage-XXXXXX", NULL);

  g_test_add_func ("/cli/outage/analyze", test_analyze);
  g_test_add_func ("/cli/outage/bad-areas", test_bad_areas);
  g_test_add_func ("/cli/outage/create-and-notify", test_create_and_notify);
  status = g_test_run ();
  {
    g_autofree char *area = g_build_filename (tmpdir, "area.geojson", NULL);
    g_autofree char *bad = g_build_filename (tmpdir, "bad.geojson", NULL);
    g_autofree char *csv = g_build_filename (tmpdir, "area.csv", NULL);

    g_unlink (area);
    g_unlink (bad);
    g_unlink (csv);
    g_rmdir (tmpdir);
  }
  g_clear_object (&db);
  g_free (conninfo);
  return status;
}

/* test-cli-outage.c — aqueductctl outage|notify end to end: the real binary against a small
 * demo warehouse; exact counts, bad areas refused with exit 2, a notice sent once */
#include "aq-test-util.h"

#include <math.h>

#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

static AqDb *db;
static char *conninfo;
static char *author_info, *reviewer_info;   /* a notice needs two logins */
static char *tmpdir;

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

  out = aq_test_ctl (&status, &err, "outage", "prepare", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "outage areas ready"));
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.area_point_state"), ==, 1);
  g_free (out);
  out = aq_test_ctl (&status, &err, "outage", "analyze", "--geojson", path, "--json", "--csv", csv,
                     NULL);
  g_assert_cmpint (status, ==, 0);
  result = aq_test_parse_object (out);
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

  text = aq_test_ctl (&status, NULL, "outage", "analyze", "--geojson", path, NULL);
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

      out = aq_test_ctl (&status, &err, "outage", "analyze", "--geojson", path, "--json", NULL);
      g_test_message ("%s", err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, bad[i].says));
      g_assert_cmpstr (out, ==, "");

      out2 = aq_test_ctl (&status, &err2, "outage", "create", "--kind", "planned", "--reason", "x",
                          "--start", "2026-12-01T08:00", "--end", "2026-12-01 18:00",
                          "--geojson", path, NULL);
      g_assert_cmpint (status, ==, 2);
    }
  {
    g_autofree char *err = NULL, *out = NULL;
    int status;

    out = aq_test_ctl (&status, &err, "outage", "analyze", "--geojson", "/nonexistent.geojson",
                       NULL);
    g_assert_cmpint (status, ==, 2);
    out = (g_free (out), aq_test_ctl (&status, &err, "outage", "analyze", NULL));
    g_assert_cmpint (status, ==, 2);
  }
  g_assert_cmpint (aq_test_query_int64 (db, "SELECT count(*) FROM notify.outage"), ==, outages);
}

/* Files made to crash a reader: 100,000 nested brackets (json-glib recursed until SIGSEGV),
 * a type that is not a string (a NULL dereference), a polygon of 60,000 vertices (it ran for
 * half a minute). Each is refused with exit 2 and a message that says why. */
static void
test_hostile_areas (void)
{
  g_autofree char *open = g_strnfill (100000, '[');
  g_autofree char *close = g_strnfill (100000, ']');
  g_autofree char *deep = g_strconcat (open, close, NULL);
  g_autoptr(GString) big = g_string_new ("{\"type\":\"Polygon\",\"coordinates\":[[");
  struct { const char *name; const char *text; const char *says; } bad[] = {
    { "deep.geojson", deep, "nests deeper than 128 levels" },
    { "type1.geojson", "{\"type\":1}", "\"type\" must be a string" },
    { "features.geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":[1]}]}",
      "\"type\" must be a string" },
    { "coordinates.geojson", "{\"type\":\"Polygon\",\"coordinates\":[[[\"a\",1]]]}",
      "not a number" },
    { "big.geojson", NULL, "more than 50000 positions" },
    { "huge.geojson", NULL, "is read: simplify it before importing" },
  };
  g_autoptr(GString) huge = g_string_new ("{\"type\":\"Polygon\",\"coordinates\":[[");

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (big, "[%.6f,%.6f],", 119.3 + 0.01 * cos (i * 2 * G_PI / 60000),
                            26.08 + 0.01 * sin (i * 2 * G_PI / 60000));
  g_string_append_printf (big, "[%.6f,26.080000]]]}", 119.31);
  bad[4].text = big->str;
  /* 300,000 vertices (7.5 MB): it ran 32 s; now refused before it is parsed */
  for (guint i = 0; i < 300000; i++)
    g_string_append_printf (huge, "[%.7f,%.7f],", 119.3 + 0.01 * cos (i * 2 * G_PI / 300000),
                            26.08 + 0.01 * sin (i * 2 * G_PI / 300000));
  g_string_append_printf (huge, "[%.7f,26.0800000]]]}", 119.31);
  bad[5].text = huge->str;
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *path = write_file (bad[i].name, bad[i].text);
      g_autofree char *out = NULL, *err = NULL;
      int status;

      out = aq_test_ctl (&status, &err, "outage", "analyze", "--geojson", path, NULL);
      g_test_message ("%s: %s", bad[i].name, err);
      g_assert_cmpint (status, ==, 2);
      g_assert_nonnull (strstr (err, bad[i].says));
      g_assert_cmpstr (out, ==, "");
    }
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

  out = aq_test_ctl (&status, &err, "outage", "create", "--kind", "emergency", "--reason", "爆管抢修",
                     "--start", "2026-12-01T08:00", "--end", "2026-12-01T18:00", "--zone", zone,
                     "--by", "dispatcher1", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  outage = aq_test_parse_object (out);
  oid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (outage, "outage_id"));
  g_assert_cmpint (json_object_get_int_member (outage, "accounts"), >, 0);

  g_free (out);
  out = aq_test_ctl (&status, &err, "outage", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "爆管抢修"));

  /* the author writes a draft and may not approve it */
  g_free (out);
  g_free (err);
  out = ctl_as (author_info, &status, &err, "notify", "send", oid, "--template",
                "{community}停水，因{reason}", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  campaign = aq_test_parse_object (out);
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
  out = aq_test_ctl (&status, &err, "notify", "send", oid, "--template", "{who}停水", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "{who}"));

  g_free (out);
  out = ctl_as (reviewer_info, &status, &err, "notify", "approve", cid, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  campaign = aq_test_parse_object (out);
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
  out = aq_test_ctl (&status, &err, "notify", "status", cid, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  again = aq_test_parse_object (out);
  g_assert_cmpint (json_object_get_int_member (again, "failed"), ==,
                   g_ascii_strtoll (expect_sms, NULL, 10));
  g_free (out);
  out = aq_test_ctl (&status, &err, "notify", "retry", cid, NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autofree char *line = g_strdup_printf ("%s failed messages queued again", expect_sms);

    g_assert_nonnull (strstr (out, line));
  }
  g_free (out);
  out = aq_test_ctl (&status, &err, "notify", "status", cid, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "failed     0"));

  g_free (out);
  g_free (err);
  out = aq_test_ctl (&status, &err, "notify", "status", "987654", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = aq_test_ctl (&status, NULL, "outage", "restore", oid, NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (out);
  out = ctl_as (author_info, &status, NULL, "notify", "send", oid, "--kind", "restored",
                "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  {
    g_autoptr(JsonObject) draft = aq_test_parse_object (out);
    g_autofree char *rid = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            json_object_get_int_member (draft, "campaign_id"));

    g_free (out);
    out = ctl_as (reviewer_info, &status, NULL, "notify", "approve", rid, "--json", NULL);
    g_assert_cmpint (status, ==, 0);
  }
  {
    g_autoptr(JsonObject) restored = aq_test_parse_object (out);

    g_assert_cmpint (json_object_get_int_member (restored, "total"), ==, total);
  }
}

/* aqueductctl at a pinned instant (AQUEDUCT_NOW): the times it reads and the quiet hours it
 * decides are the utility's (Asia/Shanghai), whatever the machine's clock and TZ say. */
static char *
ctl_at (const char  *info,
        const char  *now,
        int         *status,
        const char  *first,
        ...)
{
  const char *env[] = { "AQUEDUCT_DATABASE_URL", info, "AQUEDUCT_NOW", now,
                        "AQUEDUCT_TIME_ZONE", "", NULL };
  va_list args;
  char *out;

  va_start (args, first);
  out = aq_test_ctl_valist (env, status, NULL, first, args);
  va_end (args);
  return out;
}

static void
test_pinned_clock (void)
{
  g_autofree char *zone = aq_test_query_string (db, "SELECT zone_code FROM dw.dim_dma_zone"
                                                    " WHERE level = 3 ORDER BY zone_code LIMIT 1");
  g_autofree char *out = NULL, *oid = NULL, *sql = NULL, *cid = NULL;
  g_autoptr(JsonObject) outage = NULL, first = NULL;
  int status;

  /* a typed time is the utility's local time: 09:00 in Shanghai is 01:00 UTC */
  out = ctl_at (conninfo, "2026-11-30T20:59:00+08:00", &status, "outage", "create", "--kind", "planned",
                "--reason", "阀门更换", "--start", "2026-12-01 09:00", "--end", "2026-12-01 17:00",
                "--zone", zone, "--by", "dispatcher1", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  outage = aq_test_parse_object (out);
  oid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (outage, "outage_id"));
  sql = g_strdup_printf ("SELECT count(*) FROM notify.outage WHERE outage_id = %s"
                         " AND start_time = '2026-12-01 01:00:00Z'", oid);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);

  /* 20:59 in Shanghai: approved then, it leaves at once (a draft by one login, approved by
   * another) */
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T20:50:00+08:00", &status, "notify", "send", oid,
                "--template", "{community}停水", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  first = aq_test_parse_object (out);
  cid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (first, "campaign_id"));
  g_free (out);
  out = ctl_at (reviewer_info, "2026-11-30T20:59:00+08:00", &status, "notify", "approve", cid,
                NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, "nothing leaves before"));
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM notify.message WHERE campaign_id = %s"
                         " AND next_attempt_at <> '2026-11-30 12:59:00Z'", cid);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 0);

  /* 21:00 in Shanghai (13:00 UTC): nothing leaves before 08:00 there */
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T12:50:00Z", &status, "notify", "send", oid, "--kind",
                "update", "--template", "{community}停水时间更新", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&first, json_object_unref);
  first = aq_test_parse_object (out);
  g_free (cid);
  cid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (first, "campaign_id"));
  g_free (out);
  out = ctl_at (reviewer_info, "2026-11-30T13:00:00Z", &status, "notify", "approve", cid, NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "nothing leaves before 2026-12-01 08:00"));
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM notify.campaign WHERE outage_id = %s"
                         " AND kind = 'update' AND not_before = '2026-12-01 00:00:00Z'", oid);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);
}

/* Notices follow their outage: a reviewer (never the author) rejects a draft; cancelling the
 * outage withdraws every message not yet sent and says how many had left; a cancelled notice
 * cannot be cancelled again. */
static void
test_cancel_withdraws (void)
{
  g_autofree char *zone = aq_test_query_string (db, "SELECT zone_code FROM dw.dim_dma_zone"
                                                    " WHERE level = 3 ORDER BY zone_code"
                                                    " OFFSET 1 LIMIT 1");
  g_autofree char *out = NULL, *oid = NULL, *cid = NULL, *uid = NULL, *sql = NULL;
  g_autoptr(JsonObject) outage = NULL, first = NULL, update = NULL, cancelled = NULL;
  gint64 total;
  int status;

  /* dated six days ago: refused, nothing to notify */
  out = ctl_at (conninfo, "2026-11-30T10:00:00+08:00", &status, "outage", "create", "--kind",
                "planned", "--reason", "管道抢修", "--start", "2026-11-24 09:00", "--end",
                "2026-12-01 17:00", "--zone", zone, "--json", NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl_at (conninfo, "2026-11-30T10:00:00+08:00", &status, "outage", "create", "--kind",
                "planned", "--reason", "管道抢修", "--start", "2026-12-01 09:00", "--end",
                "2026-12-01 17:00", "--zone", zone, "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  outage = aq_test_parse_object (out);
  oid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (outage, "outage_id"));
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T10:00:00+08:00", &status, "notify", "send", oid,
                "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  first = aq_test_parse_object (out);
  cid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (first, "campaign_id"));
  g_free (out);
  out = ctl_at (reviewer_info, "2026-11-30T10:01:00+08:00", &status, "notify", "approve", cid,
                NULL);
  g_assert_cmpint (status, ==, 0);
  sql = g_strdup_printf ("SELECT count(*) FROM notify.message WHERE campaign_id = %s", cid);
  total = aq_test_query_int64 (db, sql);
  g_assert_cmpint (total, >, 3);

  /* a second notice: its author cannot reject it, a reviewer can; nothing is queued */
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T10:02:00+08:00", &status, "notify", "send", oid,
                "--kind", "update", "--template", "{community}停水时间更新", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  update = aq_test_parse_object (out);
  uid = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (update, "campaign_id"));
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T10:03:00+08:00", &status, "notify", "reject", uid, NULL);
  g_assert_cmpint (status, ==, 2);
  g_free (out);
  out = ctl_at (reviewer_info, "2026-11-30T10:03:00+08:00", &status, "notify", "reject", uid,
                NULL);
  g_assert_cmpint (status, ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM notify.campaign c WHERE campaign_id = %s"
                         " AND status = 'rejected' AND reviewed_by = 'aqco_reviewer'"
                         " AND NOT EXISTS (SELECT 1 FROM notify.message m"
                         "                 WHERE m.campaign_id = c.campaign_id)", uid);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);

  /* three messages have left; cancelling the outage withdraws the rest */
  g_free (sql);
  sql = g_strdup_printf ("UPDATE notify.message SET status = 'sent', sent_at = now()"
                         " WHERE message_id IN (SELECT message_id FROM notify.message"
                         " WHERE campaign_id = %s ORDER BY message_id LIMIT 3)", cid);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (aq_db_exec (db, sql, &error));
    g_assert_no_error (error);
  }
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T11:00:00+08:00", &status, "outage", "cancel", oid,
                "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  cancelled = aq_test_parse_object (out);
  g_assert_cmpint (json_object_get_int_member (cancelled, "withdrawn"), ==, total - 3);
  g_assert_cmpint (json_object_get_int_member (cancelled, "already_sent"), ==, 3);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM notify.message WHERE campaign_id = %s"
                         " AND status IN ('queued', 'sending')", cid);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 0);
  g_free (sql);
  sql = g_strdup_printf ("SELECT count(*) FROM notify.campaign WHERE campaign_id = %s"
                         " AND status = 'cancelled'", cid);
  g_assert_cmpint (aq_test_query_int64 (db, sql), ==, 1);

  /* the text says the same, and a cancelled notice is not cancelled twice */
  g_free (out);
  out = ctl_at (author_info, "2026-11-30T11:00:00+08:00", &status, "notify", "cancel", cid,
                NULL);
  g_assert_cmpint (status, !=, 0);
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
  {
    /* the outages here are dated 2026-12-01: "now" is the day before */
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo,
                          "AQUEDUCT_NOW", "2026-11-30T08:00:00+08:00", NULL };

    aq_test_ctl_set_env (env);
  }
  tmpdir = g_dir_make_tmp ("aq-cli-outage-XXXXXX", NULL);

  g_test_add_func ("/cli/outage/analyze", test_analyze);
  g_test_add_func ("/cli/outage/bad-areas", test_bad_areas);
  g_test_add_func ("/cli/outage/hostile-areas", test_hostile_areas);
  g_test_add_func ("/cli/outage/create-and-notify", test_create_and_notify);
  g_test_add_func ("/cli/outage/pinned-clock", test_pinned_clock);
  g_test_add_func ("/cli/outage/cancel-withdraws", test_cancel_withdraws);
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

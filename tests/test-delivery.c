/* test-delivery.c — a scheduled delivery through the real aqueductctl: the job writes its
 * file (rows as the report has them), skips when the report is empty, and both runs are
 * recorded in meta.job_run; bad targets are refused when the job is added. Dashboards are
 * drawn headless into PNG/PDF files or posted to a webhook this test runs
 * (aq_test_http_server_new). */
#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "aq-test-util.h"
#include "aqueduct-core.h"

#define DB_NAME "t_delivery"

static char *conninfo;
static AqDb *db;

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

static guint
count_files (const char *folder)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  guint n = 0;

  while (dir && g_dir_read_name (dir))
    n++;
  return n;
}

static void
test_delivery_writes_and_skips (void)
{
  g_autofree char *folder = g_dir_make_tmp ("aq-delivery-XXXXXX", NULL);
  g_autofree char *target = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *log = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 expected;
  int status = -1;

  /* accounts with arrears of at least 1 yuan, as the list's own condition has it */
  expected = aq_test_count1 (db, "SELECT count(*) FROM dm.customer_profile"
                                 " WHERE arrears_amount >= 1 AND arrears_amount > 0", NULL);
  g_assert_cmpint (expected, >, 0);
  target = g_strdup_printf ("{\"report\": \"arrears_list\", \"format\": \"csv\", \"folder\": \"%s\","
                            " \"only_if_not_empty\": true, \"params\": {\"min_amount\": \"1\"}}",
                            folder);
  out = ctl (&status, &err, "job", "add", "arrears-daily", "--kind", "delivery", "--target",
             target, "--schedule", "0 7 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "arrears-daily", NULL);
  g_assert_cmpint (status, ==, 0);

  log = aq_test_text1 (db, "SELECT r.status || ' ' || r.log_excerpt FROM meta.job_run r"
                           " JOIN meta.job j USING (job_id) WHERE j.name = $1"
                           " ORDER BY run_id DESC LIMIT 1", "arrears-daily");
  g_assert_true (g_str_has_prefix (log, "succeeded delivered "));
  path = g_strdup (strstr (log, " to ") + 4);
  g_assert_true (g_str_has_prefix (path, folder));
  g_assert_true (g_str_has_suffix (path, ".csv"));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  /* the header block, then one line per account */
  g_assert_cmpuint (g_strv_length (lines), >=, (guint) expected + 1);
  {
    g_autofree char *n = g_strdup_printf ("delivered %" G_GINT64_FORMAT " rows", expected);

    g_assert_nonnull (strstr (log, n));
  }
  g_assert_cmpuint (count_files (folder), ==, 1);

  /* nobody owes a hundred million: nothing is written, the run says so and still succeeds */
  empty = g_strdup_printf ("{\"report\": \"arrears_list\", \"format\": \"xlsx\", \"folder\": \"%s\","
                           " \"only_if_not_empty\": true,"
                           " \"params\": {\"min_amount\": \"100000000\"}}", folder);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "add", "arrears-empty", "--kind", "delivery", "--target",
             empty, "--schedule", "0 7 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "arrears-empty", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&log, g_free);
  log = aq_test_text1 (db, "SELECT r.status || ' ' || r.log_excerpt FROM meta.job_run r"
                           " JOIN meta.job j USING (job_id) WHERE j.name = $1"
                           " ORDER BY run_id DESC LIMIT 1", "arrears-empty");
  g_assert_true (g_str_has_prefix (log, "succeeded skipped: arrears_list is empty"));
  g_assert_cmpuint (count_files (folder), ==, 1);

  g_unlink (path);
  g_rmdir (folder);
}

/* The last run's log of job @name. */
static char *
last_log (const char *name)
{
  return aq_test_text1 (db, "SELECT r.status || ' ' || r.log_excerpt FROM meta.job_run r"
                            " JOIN meta.job j USING (job_id) WHERE j.name = $1"
                            " ORDER BY run_id DESC LIMIT 1", name);
}

static guint
count_pdf_pages (const char *contents,
                 gsize       length)
{
  guint n = 0;

  /* every page object says "/Type /Page" (the page tree says "/Type /Pages"); the file has
   * binary streams, so no string function that stops at a NUL */
  for (gsize i = 0; i + 12 <= length; i++)
    if (memcmp (contents + i, "/Type /Page", 11) == 0)
      n += contents[i + 11] != 's';
  return n;
}

/* A dashboard drawn headless by the daemon's job runner (here aqueductctl job run, with no
 * display): the PNG has the size asked for and more than the background in it; a PDF of two
 * cockpits has two pages. */
static void
test_delivery_dashboard (void)
{
  g_autofree char *folder = g_dir_make_tmp ("aq-delivery-XXXXXX", NULL);
  g_autofree char *png_target = NULL;
  g_autofree char *pdf_target = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *log = NULL;
  g_autofree char *contents = NULL;
  const char *path;
  cairo_surface_t *png;
  gsize length = 0;
  int status = -1;

  png_target = g_strdup_printf ("{\"dashboard\": \"operations_screen\", \"format\": \"png\","
                                " \"folder\": \"%s\", \"width\": 960, \"height\": 540}", folder);
  out = ctl (&status, &err, "job", "add", "screen-png", "--kind", "delivery", "--target",
             png_target, "--schedule", "*/15 * * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "screen-png", NULL);
  g_assert_cmpint (status, ==, 0);
  log = last_log ("screen-png");
  if (!g_str_has_prefix (log, "succeeded delivered 1 dashboard (10 tiles) to "))
    g_error ("unexpected log: %s", log);
  path = strstr (log, " to ") + 4;
  g_assert_true (g_str_has_prefix (path, folder));
  g_assert_true (g_str_has_suffix (path, ".png"));
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 960);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, 540);
  {
    const guchar *px = cairo_image_surface_get_data (png);
    int stride = cairo_image_surface_get_stride (png);
    guint32 corner = *(const guint32 *) px & 0xffffff;
    guint differ = 0;

    for (int y = 0; y < 540; y++)
      for (int x = 0; x < 960; x++)
        differ += (*(const guint32 *) (px + y * stride + 4 * x) & 0xffffff) != corner;
    /* the tiles' cards and their figures cover most of the page */
    g_assert_cmpuint (differ, >, 960 * 540 / 2);
  }
  cairo_surface_destroy (png);
  g_unlink (path);

  pdf_target = g_strdup_printf ("{\"dashboards\": [\"marketing_cockpit\", \"service_cockpit\"],"
                                " \"format\": \"pdf\", \"folder\": \"%s\"}", folder);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "add", "cockpits-pdf", "--kind", "delivery", "--target",
             pdf_target, "--schedule", "0 7 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "cockpits-pdf", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&log, g_free);
  log = last_log ("cockpits-pdf");
  if (!g_str_has_prefix (log, "succeeded delivered 2 dashboards"))
    g_error ("unexpected log: %s", log);
  path = strstr (log, " to ") + 4;
  g_assert_true (g_str_has_suffix (path, ".pdf"));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (count_pdf_pages (contents, length), ==, 2);
  g_unlink (path);
  g_assert_cmpuint (count_files (folder), ==, 0);
  g_rmdir (folder);
}

/* ---- a webhook receiver on loopback (aq_test_http_server_new) ---- */

static void
answer_cb (AqTestRequest *r,
           gpointer       user_data)
{
  if (g_str_equal (r->path, "/flaky") && r->nth == 1)
    r->status = 503;
  else if (g_str_equal (r->path, "/reject"))
    r->status = 400;
}

/* The @i-th request the receiver had (valid until it is freed). */
static AqTestRequest *
request_at (AqTestHttpServer *rc,
            guint             i)
{
  g_autoptr(GPtrArray) requests = aq_test_http_server_requests (rc);

  g_assert_cmpuint (i, <, requests->len);
  return g_ptr_array_index (requests, i);
}

static cairo_status_t
read_cb (void          *closure,
         unsigned char *data,
         unsigned int   length)
{
  GBytes **rest = closure;
  gsize size = g_bytes_get_size (*rest);
  GBytes *tail;

  if (length > size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, g_bytes_get_data (*rest, NULL), length);
  tail = g_bytes_new_from_bytes (*rest, length, size - length);
  g_bytes_unref (*rest);
  *rest = tail;
  return CAIRO_STATUS_SUCCESS;
}

/* The KPI tile @id of the posted document's first dashboard. */
static JsonObject *
posted_tile (JsonObject *doc,
             const char *id)
{
  JsonArray *dashboards = json_object_get_array_member (doc, "dashboards");
  JsonArray *tiles = json_object_get_array_member (json_array_get_object_element (dashboards, 0),
                                                   "tiles");

  for (guint i = 0; i < json_array_get_length (tiles); i++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (tiles, i),
                                                    "id"), id))
      return json_array_get_object_element (tiles, i);
  g_error ("no tile %s in the posted document", id);
  return NULL;
}

/* A cockpit delivered to a webhook by the scheduler's job (aqueductctl job run, a real
 * process, posting to a real HTTP server): one POST with the idempotency key and the
 * configured header; the KPI figures equal independent SQL over the billing cube at the
 * warehouse's last month (and the month before); the PNG in base64 is the cockpit's size. A
 * receiver answering 503 once gets the same document again (same key) and the run succeeds; a
 * 400 fails the run, and the job history says why. */
static void
test_delivery_webhook (void)
{
  AqTestHttpServer *rc = aq_test_http_server_new (answer_cb, NULL);
  g_autofree char *target = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *log = NULL;
  g_autofree char *latest = aq_test_text1 (db, "SELECT to_char(max(period), 'YYYY-MM')"
                                               " FROM dm.cube_billing_monthly", NULL);
  g_autofree char *expected_qty = NULL;
  g_autofree char *expected_prev = NULL;
  g_autofree char *expected_rate = NULL;
  g_autofree guchar *png = NULL;
  GBytes *rest;
  cairo_surface_t *image;
  JsonObject *doc, *tile, *file;
  gsize png_length = 0;
  int status = -1;

  target = g_strdup_printf ("{\"dashboard\": \"marketing_cockpit\", \"webhook\":"
                            " \"http://127.0.0.1:%u/hook\", \"headers\":"
                            " [\"Authorization: Bearer t0ken\"]}",
                            aq_test_http_server_get_port (rc));
  out = ctl (&status, &err, "job", "add", "cockpit-hook", "--kind", "delivery", "--target",
             target, "--schedule", "0 7 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "cockpit-hook", NULL);
  g_assert_cmpint (status, ==, 0);
  log = last_log ("cockpit-hook");
  if (!g_str_has_prefix (log, "succeeded delivered 1 dashboard (11 tiles) to http://127.0.0.1:"))
    g_error ("unexpected log: %s", log);

  g_assert_cmpuint (aq_test_http_server_count (rc), ==, 1);
  g_assert_true (g_str_has_prefix (request_at (rc, 0)->idempotency_key,
                                   "dashboard:marketing_cockpit:"));
  g_assert_cmpstr (request_at (rc, 0)->authorization, ==, "Bearer t0ken");
  doc = aq_test_parse_object (request_at (rc, 0)->text);
  g_assert_cmpstr (json_object_get_string_member (doc, "kind"), ==, "dashboard");
  g_assert_cmpstr (json_object_get_string_member (doc, "idempotency_key"), ==,
                   request_at (rc, 0)->idempotency_key);

  /* billed volume and the collection rate at the last month, against the cube itself */
  expected_qty = aq_test_text1 (db, "SELECT sum(billed_qty)::float8::text FROM dm.cube_billing_monthly"
                                    " WHERE to_char(period, 'YYYY-MM') = $1", latest);
  expected_prev = aq_test_text1 (db, "SELECT sum(billed_qty)::float8::text"
                                     " FROM dm.cube_billing_monthly WHERE period ="
                                     " to_date($1, 'YYYY-MM') - interval '1 month'", latest);
  expected_rate = aq_test_text1 (db, "SELECT (sum(paid_amount) / sum(amount))::float8::text"
                                     " FROM dm.cube_billing_monthly"
                                     " WHERE to_char(period, 'YYYY-MM') = $1", latest);
  tile = posted_tile (doc, "billed_qty");
  g_assert_cmpstr (json_object_get_string_member (tile, "kind"), ==, "kpi");
  g_assert_cmpstr (json_object_get_string_member (tile, "period"), ==, latest);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (tile, "value"),
                                  g_ascii_strtod (expected_qty, NULL), 0.01);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (tile, "previous"),
                                  g_ascii_strtod (expected_prev, NULL), 0.01);
  g_assert_cmpstr (json_object_get_string_member (tile, "unit"), !=, "");
  tile = posted_tile (doc, "collection_rate");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (tile, "value"),
                                  g_ascii_strtod (expected_rate, NULL), 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (tile, "target"), 0.98, 1e-9);
  /* the status follows the thresholds (warning 0.95, alarm 0.9) */
  g_assert_cmpstr (json_object_get_string_member (tile, "status"), ==,
                   g_ascii_strtod (expected_rate, NULL) < 0.9 ? "alarm"
                   : g_ascii_strtod (expected_rate, NULL) < 0.95 ? "warning" : "ok");
  tile = posted_tile (doc, "channel_mix");
  g_assert_cmpstr (json_object_get_string_member (tile, "kind"), ==, "chart");
  g_assert_false (json_object_has_member (tile, "value"));

  file = json_object_get_object_member (doc, "file");
  g_assert_cmpstr (json_object_get_string_member (file, "content_type"), ==, "image/png");
  g_assert_false (json_object_has_member (file, "path"));
  png = g_base64_decode (json_object_get_string_member (file, "base64"), &png_length);
  rest = g_bytes_new (png, png_length);
  image = cairo_image_surface_create_from_png_stream (read_cb, &rest);
  g_assert_cmpint (cairo_surface_status (image), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (image), ==, 1600);
  g_assert_cmpint (cairo_image_surface_get_height (image), ==, 900);
  cairo_surface_destroy (image);
  g_bytes_unref (rest);
  json_object_unref (doc);

  /* 503 once: posted again with the same key, the run succeeds */
  g_clear_pointer (&target, g_free);
  target = g_strdup_printf ("{\"dashboard\": \"service_cockpit\", \"webhook\":"
                            " \"http://127.0.0.1:%u/flaky\"}", aq_test_http_server_get_port (rc));
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "add", "service-hook", "--kind", "delivery", "--target",
             target, "--schedule", "0 7 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "service-hook", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&log, g_free);
  log = last_log ("service-hook");
  g_assert_true (g_str_has_prefix (log, "succeeded delivered 1 dashboard"));
  g_assert_cmpuint (aq_test_http_server_count (rc), ==, 3);
  g_assert_cmpstr (request_at (rc, 1)->idempotency_key, ==, request_at (rc, 2)->idempotency_key);
  g_assert_cmpstr (request_at (rc, 1)->text, ==, request_at (rc, 2)->text);

  /* 400: the run fails and says so */
  g_clear_pointer (&target, g_free);
  target = g_strdup_printf ("{\"dashboard\": \"service_cockpit\", \"webhook\":"
                            " \"http://127.0.0.1:%u/reject\"}", aq_test_http_server_get_port (rc));
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "add", "reject-hook", "--kind", "delivery", "--target",
             target, "--schedule", "0 7 * * *", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  out = ctl (&status, &err, "job", "run", "reject-hook", NULL);
  g_assert_cmpint (status, !=, 0);
  g_clear_pointer (&log, g_free);
  log = aq_test_text1 (db, "SELECT r.status || ' ' || r.error FROM meta.job_run r"
                           " JOIN meta.job j USING (job_id) WHERE j.name = $1"
                           " ORDER BY run_id DESC LIMIT 1", "reject-hook");
  g_assert_nonnull (log);
  g_assert_true (g_str_has_prefix (log, "failed webhook http://127.0.0.1:"));
  g_assert_nonnull (strstr (log, "HTTP 400"));
  g_assert_cmpuint (aq_test_http_server_count (rc), ==, 4);
  aq_test_http_server_free (rc);
}

static void
test_delivery_invalid (void)
{
  static const char *bad[] = {
    "not json",
    "{\"format\": \"csv\", \"folder\": \"/tmp\"}",
    "{\"report\": \"r\", \"format\": \"pdf\", \"folder\": \"/tmp\"}",
    "{\"report\": \"r\", \"folder\": \"relative/dir\"}",
    "{\"dashboard\": \"operations_screen\", \"format\": \"xlsx\", \"folder\": \"/tmp\"}",
    "{\"dashboards\": [\"a\", \"b\"], \"format\": \"png\", \"folder\": \"/tmp\"}",
    "{\"dashboard\": \"a\", \"folder\": \"/tmp\", \"width\": 100000}",
    "{\"dashboard\": \"a\", \"webhook\": \"ftp://example.org/x\"}",
    "{\"dashboard\": \"a\", \"webhook\": \"http://127.0.0.1:9/\", \"headers\": [\"nocolon\"]}",
    NULL
  };

  for (guint i = 0; bad[i]; i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int status = -1;

      out = ctl (&status, &err, "job", "add", "bad-delivery", "--kind", "delivery", "--target",
                 bad[i], "--schedule", "0 7 * * *", NULL);
      g_assert_cmpint (status, ==, 2);
    }
  g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM meta.job WHERE name = $1",
                                   "bad-delivery"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  db = aq_test_demo_db_new (DB_NAME, 600, 13);
  conninfo = aq_test_conninfo (DB_NAME);

  g_test_add_func ("/delivery/writes-and-skips", test_delivery_writes_and_skips);
  g_test_add_func ("/delivery/invalid", test_delivery_invalid);
  g_test_add_func ("/delivery/dashboard", test_delivery_dashboard);
  g_test_add_func ("/delivery/webhook", test_delivery_webhook);
  ret = g_test_run ();

  g_clear_object (&db);
  aq_test_drop_database (DB_NAME);
  g_free (conninfo);
  return ret;
}

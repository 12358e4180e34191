/* test-overview.c — the dashboard's numbers are the warehouse's */
#include "aq-test-util.h"

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static gint64
count_tables (AqDb       *db,
              const char *schema)
{
  g_autoptr(GError) error = NULL;
  const char *params[] = { schema };
  gint64 n = -1;

  aq_db_query_int64 (db, "SELECT count(*) FROM pg_tables WHERE schemaname = $1", 1, params, &n,
                     &error);
  g_assert_no_error (error);
  return n;
}

static void
test_overview_layers_and_runs (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_overview", TRUE);
  g_autofree char *conninfo = aq_test_conninfo ("t_overview");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AqOverview) overview = NULL;
  g_autoptr(GError) error = NULL;
  AqOverviewLayer *layer;
  AqOverviewRun *run;

  aq_db_exec (db,
              "CREATE SCHEMA src_billing;"
              "CREATE TABLE src_billing.bill_202401 AS SELECT generate_series(1, 500) AS id;"
              "CREATE TABLE src_billing.bill_202402 AS SELECT generate_series(1, 700) AS id;"
              "CREATE TABLE ods.reading (id int);"
              "INSERT INTO ods.reading SELECT generate_series(1, 1234);"
              "ANALYZE src_billing.bill_202401, src_billing.bill_202402, ods.reading;"
              "INSERT INTO meta.pipeline_run (pipeline, started_at, finished_at, status,"
              "                               rows_written)"
              "  VALUES ('ods_reading', now() - interval '2 hours', now() - interval '1 hour',"
              "          'succeeded', 1234),"
              "         ('dw_bill', now() - interval '10 minutes', NULL, 'running', NULL);",
              &error);
  g_assert_no_error (error);

  aq_overview_load_async (conninfo, NULL, load_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  overview = aq_overview_load_finish (result, &error);
  g_assert_no_error (error);

  g_assert_true (g_str_has_prefix (overview->health->description, "t_overview@"));

  /* flow order: sources, ods, dw, dm — layers with no table are listed too */
  g_assert_cmpuint (overview->layers->len, ==, 4);
  layer = g_ptr_array_index (overview->layers, 0);
  g_assert_cmpstr (layer->schema, ==, "src_billing");
  g_assert_cmpuint (layer->n_tables, ==, 2);
  g_assert_cmpint (layer->approx_rows, ==, 1200);
  layer = aq_overview_find_layer (overview, "ods");
  g_assert_cmpuint (layer->n_tables, ==, 1);
  g_assert_cmpint (layer->approx_rows, ==, 1234);
  /* the migrations made dw's tables; no pipeline has filled them */
  layer = aq_overview_find_layer (overview, "dw");
  g_assert_cmpint (layer->n_tables, ==, count_tables (db, "dw"));
  g_assert_cmpint (layer->n_tables, >, 10);
  g_assert_cmpint (layer->approx_rows, ==, 0);
  g_assert_null (aq_overview_find_layer (overview, "meta"));

  g_assert_true (overview->has_run_log);
  g_assert_cmpuint (overview->runs->len, ==, 2);
  run = g_ptr_array_index (overview->runs, 0);
  g_assert_cmpstr (run->pipeline, ==, "dw_bill");
  g_assert_cmpstr (run->status, ==, "running");
  g_assert_null (run->finished_at);
  g_assert_cmpint (run->rows_written, ==, -1);
  run = g_ptr_array_index (overview->runs, 1);
  g_assert_cmpstr (run->pipeline, ==, "ods_reading");
  g_assert_cmpint (run->rows_written, ==, 1234);
  g_assert_nonnull (run->finished_at);
  g_assert_cmpint (g_date_time_difference (run->finished_at, run->started_at), ==,
                   G_TIME_SPAN_HOUR);
}

/* The scheduler's jobs with their next and last runs, read in the overview's transaction. */
static void
test_overview_jobs (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_overview_jobs", TRUE);
  g_autoptr(AqOverview) overview = NULL;
  g_autoptr(AqOverview) empty = NULL;
  g_autoptr(AqJob) nightly = aq_job_new ("nightly", "pipeline", "ods_billing");
  g_autoptr(AqJob) cubes = aq_job_new ("cubes", "pipeline", "dm_cubes");
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 ("2026-12-07T10:00:00+08:00", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *next = NULL;
  AqJob *job;

  empty = aq_overview_load (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (empty->jobs->len, ==, 0);

  aq_clock_pin (at);
  nightly->schedule = g_strdup ("30 1 * * *");
  aq_job_add (db, nightly, &error);
  g_assert_no_error (error);
  cubes->after_job = g_strdup ("nightly");
  aq_job_add (db, cubes, &error);
  g_assert_no_error (error);
  aq_db_exec (db,
              "INSERT INTO meta.job_run (job_id, scheduled_for, trigger, status, not_before,"
              "                          queued_at, started_at, finished_at, error)"
              " SELECT job_id, '2026-12-07T01:30:00+08', 'schedule', 'failed', now(), now(),"
              "        '2026-12-07T01:30:00+08', '2026-12-07T01:31:00+08', 'boom'"
              "   FROM meta.job WHERE name = 'nightly'", &error);
  g_assert_no_error (error);
  aq_clock_pin (NULL);

  overview = aq_overview_load (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->jobs->len, ==, 2);
  job = g_ptr_array_index (overview->jobs, 0);
  g_assert_cmpstr (job->name, ==, "cubes");
  g_assert_null (job->next_due_at);
  g_assert_cmpstr (job->after_job, ==, "nightly");
  g_assert_cmpint (job->last_run_id, ==, 0);
  job = g_ptr_array_index (overview->jobs, 1);
  g_assert_cmpstr (job->name, ==, "nightly");
  next = g_date_time_format_iso8601 (job->next_due_at);
  g_assert_cmpstr (next, ==, "2026-12-07T17:30:00Z");
  g_assert_cmpstr (job->last_status, ==, "failed");
  g_assert_cmpstr (job->last_error, ==, "boom");
  g_assert_cmpint (job->failures, ==, 1);
  g_assert_cmpfloat (job->last_duration_s, ==, 60.0);
}

static void
test_overview_unmigrated (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_overview_bare", FALSE);
  g_autoptr(AqOverview) overview = NULL;
  g_autoptr(GError) error = NULL;

  overview = aq_overview_load (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overview->layers->len, ==, 0);
  g_assert_false (overview->has_run_log);
  g_assert_cmpuint (overview->runs->len, ==, 0);
  g_assert_cmpuint (overview->jobs->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/overview/layers-and-runs", test_overview_layers_and_runs);
  g_test_add_func ("/overview/unmigrated", test_overview_unmigrated);
  g_test_add_func ("/overview/jobs", test_overview_jobs);
  return g_test_run ();
}

/* test-backfill.c — backfills over months, a failure and its resume, a cascade; the graph
 *
 * Three small pipelines live in the store and chain through staging tables: ods_bft writes
 * staging.bft_ods (three rows per month, stamped with the backfill's month), dw_bft sums that
 * month into staging.bft_dw, dm_bft doubles it into staging.bft_dm. ods_bft divides by zero in
 * 2026-02 while staging.bft_fail has a row: the injected failure. Every figure is checked
 * against the tables the runs wrote and against meta.backfill_*; months of different tests do
 * not overlap, so no test depends on another one's rows. The graph is checked on the standard
 * pipelines (ods → dw → dm, found from their SQL) and with a scheduled job's next run. An
 * incremental pipeline is backfilled by watermark windows (staging.bfw_*): each month's rows
 * exactly, its watermark untouched.
 */
#include "aq-test-util.h"

#include <string.h>

static AqDb *db;

static const char *ODS =
  "{\"name\": \"ods_bft\", \"steps\": ["
  " {\"id\": \"read\", \"type\": \"table_input\", \"sql\": ["
  "  \"SELECT current_setting('aqueduct.period') AS period, n,\","
  "  \"  current_setting('aqueduct.period_start')::date AS first_day,\","
  "  \"  current_setting('aqueduct.period_end')::date AS next_first_day,\","
  "  \"  10 / CASE WHEN current_setting('aqueduct.period') = '2026-02'\","
  "  \"            AND EXISTS (SELECT 1 FROM staging.bft_fail) THEN 0 ELSE 1 END AS ten\","
  "  \"FROM generate_series(1, 3) n\"]},"
  " {\"id\": \"write\", \"type\": \"table_output\", \"table\": \"staging.bft_ods\","
  "  \"create\": true}],"
  " \"edges\": [{\"from\": \"read\", \"to\": \"write\"}]}";

static const char *DW =
  "{\"name\": \"dw_bft\", \"steps\": ["
  " {\"id\": \"read\", \"type\": \"table_input\", \"sql\": \"SELECT period, sum(n) AS total"
  " FROM staging.bft_ods WHERE period = current_setting('aqueduct.period') GROUP BY period\"},"
  " {\"id\": \"write\", \"type\": \"table_output\", \"table\": \"staging.bft_dw\","
  "  \"create\": true}],"
  " \"edges\": [{\"from\": \"read\", \"to\": \"write\"}]}";

static const char *DM =
  "{\"name\": \"dm_bft\", \"steps\": ["
  " {\"id\": \"read\", \"type\": \"table_input\", \"sql\": \"SELECT period, total * 2 AS doubled"
  " FROM staging.bft_dw WHERE period = current_setting('aqueduct.period')\"},"
  " {\"id\": \"write\", \"type\": \"table_output\", \"table\": \"staging.bft_dm\","
  "  \"create\": true}],"
  " \"edges\": [{\"from\": \"read\", \"to\": \"write\"}]}";

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

static void
exec (const char *sql)
{
  g_autoptr(GError) error = NULL;

  aq_db_exec (db, sql, &error);
  g_assert_no_error (error);
}

static char *
step_status (gint64      id,
             const char *period,
             const char *pipeline)
{
  g_autofree char *sql = g_strdup_printf ("SELECT status || '/' || attempts"
                                          " FROM meta.backfill_step WHERE backfill_id = %"
                                          G_GINT64_FORMAT " AND period = '%s-01'"
                                          " AND pipeline = '%s'", id, period, pipeline);

  return aq_test_query_string (db, sql);
}

static void
count_progress (double      fraction,
                const char *message,
                gpointer    user_data)
{
  GPtrArray *messages = user_data;

  g_assert_true (fraction >= 0.0 && fraction <= 1.0);
  g_ptr_array_add (messages, g_strdup (message));
}

/* ---- a failure in the second of three months, resumed ---- */

static void
test_fail_resume (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *s1 = NULL, *s2 = NULL, *s3 = NULL;
  g_autofree char *run_error = NULL;
  gint64 id = 0, resumed = 0;

  exec ("INSERT INTO staging.bft_fail VALUES (1)");
  g_assert_false (aq_backfill_run (db, "ods_bft", "2026-01", "2026-03", AQ_BACKFILL_NONE,
                                   count_progress, messages, NULL, &id, &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2026-02"));
  g_assert_nonnull (strstr (error->message, "division by zero"));
  g_clear_error (&error);
  g_assert_cmpint (id, >, 0);

  s1 = step_status (id, "2026-01", "ods_bft");
  s2 = step_status (id, "2026-02", "ods_bft");
  s3 = step_status (id, "2026-03", "ods_bft");
  g_assert_cmpstr (s1, ==, "succeeded/1");
  g_assert_cmpstr (s2, ==, "failed/1");
  g_assert_cmpstr (s3, ==, "pending/0");
  run_error = aq_test_query_string (db, "SELECT status || ': ' || error FROM meta.backfill_run"
                                        " ORDER BY backfill_id DESC LIMIT 1");
  g_assert_true (g_str_has_prefix (run_error, "failed: 2026-02, ods_bft: "));
  /* the first month loaded; the failed run left nothing behind */
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bft_ods WHERE period = '2026-01'"
                          " AND first_day = '2026-01-01' AND next_first_day = '2026-02-01'"),
                   ==, 3);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bft_ods"
                          " WHERE period IN ('2026-02', '2026-03')"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_run WHERE pipeline = 'ods_bft'"
                          " AND status = 'failed' AND error LIKE '%division by zero%'"), >=, 1);
  g_assert_cmpuint (messages->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (messages, 1), ==, "2026-02: ods_bft (2 of 3)");
  /* the session's settings are cleared after a backfill */
  g_assert_cmpint (count ("SELECT length(current_setting('aqueduct.period'))"), ==, 0);

  /* the cause fixed, the resume starts at the failed month and runs nothing twice */
  exec ("DELETE FROM staging.bft_fail");
  g_ptr_array_set_size (messages, 0);
  g_assert_true (aq_backfill_run (db, "ods_bft", "2026-01", "2026-03", AQ_BACKFILL_RESUME,
                                  count_progress, messages, NULL, &resumed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (resumed, ==, id);
  g_assert_cmpstr (g_ptr_array_index (messages, 0), ==, "2026-02: ods_bft (2 of 3)");
  g_clear_pointer (&s1, g_free);
  g_clear_pointer (&s2, g_free);
  g_clear_pointer (&s3, g_free);
  s1 = step_status (id, "2026-01", "ods_bft");
  s2 = step_status (id, "2026-02", "ods_bft");
  s3 = step_status (id, "2026-03", "ods_bft");
  g_assert_cmpstr (s1, ==, "succeeded/1");
  g_assert_cmpstr (s2, ==, "succeeded/2");
  g_assert_cmpstr (s3, ==, "succeeded/1");
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bft_ods"
                          " WHERE period BETWEEN '2026-01' AND '2026-03'"), ==, 9);
  g_assert_cmpint (count ("SELECT count(DISTINCT period) FROM staging.bft_ods"
                          " WHERE period BETWEEN '2026-01' AND '2026-03'"), ==, 3);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.backfill_run WHERE pipeline = 'ods_bft'"
                          " AND status = 'succeeded' AND resumed_at IS NOT NULL"
                          " AND error IS NULL"), ==, 1);

  /* nothing is left to resume */
  g_assert_false (aq_backfill_run (db, "ods_bft", "2026-01", "2026-03", AQ_BACKFILL_RESUME,
                                   NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
}

/* ---- a cascade to the downstream pipelines ---- */

static void
test_cascade (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonArray *steps;
  const char *expected[] = { "2026-04 ods_bft", "2026-04 dw_bft", "2026-04 dm_bft",
                             "2026-05 ods_bft", "2026-05 dw_bft", "2026-05 dm_bft" };
  gint64 id = 0;

  g_assert_true (aq_backfill_run (db, "ods_bft", "2026-04", "2026-05", AQ_BACKFILL_CASCADE,
                                  NULL, NULL, NULL, &id, &error));
  g_assert_no_error (error);
  record = aq_backfill_get (db, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "succeeded");
  g_assert_true (json_object_get_boolean_member (record, "cascade"));
  steps = json_object_get_array_member (record, "steps");
  g_assert_cmpuint (json_array_get_length (steps), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      JsonObject *step = json_array_get_object_element (steps, i);
      g_autofree char *what = g_strdup_printf ("%s %s",
                                               json_object_get_string_member (step, "period"),
                                               json_object_get_string_member (step, "pipeline"));

      g_assert_cmpstr (what, ==, expected[i]);
      g_assert_cmpstr (json_object_get_string_member (step, "status"), ==, "succeeded");
      g_assert_cmpint (json_object_get_int_member (step, "run_id"), >, 0);
    }
  node = json_node_init_object (json_node_alloc (), record);
  text = json_to_string (node, FALSE);
  g_test_message ("%s", text);

  /* each layer saw its own month only: 1 + 2 + 3 = 6, doubled 12 */
  g_assert_cmpint (count ("SELECT total FROM staging.bft_dw WHERE period = '2026-04'"), ==, 6);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bft_dm"
                          " WHERE period IN ('2026-04', '2026-05') AND doubled = 12"), ==, 2);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bft_dm"
                          " WHERE period BETWEEN '2026-01' AND '2026-03'"), ==, 0);
}

/* ---- cancel ---- */

static void
test_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *status = NULL;
  gint64 id = 0, resumed = 0;

  g_cancellable_cancel (cancellable);
  g_assert_false (aq_backfill_run (db, "dw_bft", "2026-06", "2026-07", AQ_BACKFILL_NONE, NULL,
                                   NULL, cancellable, &id, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  status = aq_test_query_string (db, "SELECT string_agg(status, ',' ORDER BY ord)"
                                     " FROM meta.backfill_step WHERE backfill_id ="
                                     " (SELECT max(backfill_id) FROM meta.backfill_run)");
  g_assert_cmpstr (status, ==, "cancelled,pending");
  g_assert_true (aq_backfill_run (db, "dw_bft", "2026-06", "2026-07", AQ_BACKFILL_RESUME, NULL,
                                  NULL, NULL, &resumed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (resumed, ==, id);

  /* what is not a plan */
  g_assert_false (aq_backfill_run (db, "dw_bft", "2026-07", "2026-06", AQ_BACKFILL_NONE, NULL,
                                   NULL, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_backfill_run (db, "dw_bft", "2026-13", "2027-01", AQ_BACKFILL_NONE, NULL,
                                   NULL, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_backfill_run (db, "no_such", "2026-01", "2026-01", AQ_BACKFILL_NONE, NULL,
                                   NULL, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
}

/* ---- the graph ---- */

static gboolean
has (GPtrArray  *names,
     const char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      return TRUE;
  return FALSE;
}

static void
test_graph_standard (void)
{
  g_autoptr(GHashTable) definitions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                             g_free);
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(AqPipelineDeps) graph = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  AqPipelineDep *node;

  for (guint i = 0; names[i]; i++)
    g_hash_table_insert (definitions, names[i], aq_pipeline_store_dup_standard (names[i], NULL));
  graph = aq_pipeline_deps_new_from_definitions (definitions, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (graph->nodes->len, ==, g_strv_length (names));

  /* every node comes after everything it reads from; ods read only the sources */
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      node = g_ptr_array_index (graph->nodes, i);
      for (guint u = 0; u < node->upstream->len; u++)
        g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (node->upstream, u)));
      if (g_str_equal (node->layer, "ods"))
        g_assert_cmpuint (node->upstream->len, ==, 0);
      else
        g_assert_cmpuint (node->upstream->len, >, 0);
      g_hash_table_add (seen, node->name);
    }
  node = aq_pipeline_deps_find (graph, "dw_billing");
  g_assert_true (has (node->upstream, "ods_billing"));
  g_assert_true (has (node->writes, "dw.fact_bill"));
  g_assert_true (has (node->downstream, "dw_payment"));   /* it joins dw.fact_bill */
  g_assert_true (has (node->downstream, "dm_cubes"));
  node = aq_pipeline_deps_find (graph, "dm_cubes");
  g_assert_cmpuint (node->downstream->len, ==, 0);
  g_assert_false (has (node->upstream, "dm_cubes"));
}

static void
test_graph_load (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-20T12:00:00+08:00", NULL);
  g_autoptr(AqJob) job = aq_job_new ("t_graph_ods_meter", "pipeline", "ods_meter");
  g_autoptr(AqPipelineDeps) graph = NULL;
  g_autoptr(GPtrArray) down = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *text = NULL;
  AqPipelineDep *node;

  aq_clock_pin (now);
  job->schedule = g_strdup ("0 2 * * *");
  aq_job_add (db, job, &error);
  g_assert_no_error (error);
  /* a run of dw_bft that this test makes itself */
  g_assert_true (aq_backfill_run (db, "dw_bft", "2026-09", "2026-09", AQ_BACKFILL_NONE, NULL,
                                  NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  graph = aq_pipeline_deps_load (db, &error);
  g_assert_no_error (error);
  node = aq_pipeline_deps_find (graph, "ods_meter");
  g_assert_cmpstr (node->next_job, ==, "t_graph_ods_meter");
  g_assert_nonnull (node->next_run_at);
  g_assert_cmpint (g_date_time_to_unix (node->next_run_at), ==,
                   g_date_time_to_unix (now) + 14 * 3600);   /* 02:00 the next day, +08 */
  g_assert_cmpint (node->version, ==, 1);
  node = aq_pipeline_deps_find (graph, "dw_bft");
  g_assert_cmpstr (node->last_status, ==, "succeeded");
  g_assert_cmpint (node->last_run_id, ==,
                   count ("SELECT max(run_id) FROM meta.pipeline_run WHERE pipeline = 'dw_bft'"));
  g_assert_cmpint (node->version, ==, 1);
  g_assert_true (has (node->upstream, "ods_bft"));

  down = aq_pipeline_deps_downstream (graph, "ods_bft");
  g_assert_cmpuint (down->len, ==, 2);
  g_assert_cmpstr (((AqPipelineDep *) g_ptr_array_index (down, 0))->name, ==, "dw_bft");
  g_assert_cmpstr (((AqPipelineDep *) g_ptr_array_index (down, 1))->name, ==, "dm_bft");

  json = aq_pipeline_deps_to_json (graph);
  text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (text, "\"next_run\":{\"job\":\"t_graph_ods_meter\","
                                  "\"at\":\"2026-11-21T02:00:00+08\""));
  aq_clock_pin (NULL);
}

/* ---- the CLI ---- */

static void
test_cli (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *nodes;
  gboolean found = FALSE;
  int status = -1;

  out = aq_test_ctl (&status, &err, "pipeline", "backfill", "dw_bft", "--from", "2026-10",
                     "--to", "2026-11", "--cascade", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  record = aq_test_parse_object (out);
  g_assert_cmpstr (json_object_get_string_member (record, "status"), ==, "succeeded");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (record, "steps")), ==,
                    4);   /* dw_bft and dm_bft, two months */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = aq_test_ctl (&status, &err, "pipeline", "backfill", "dw_bft", "--from", "2026-10",
                     "--to", "2026-11", "--resume", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "no failed or cancelled backfill"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "pipeline", "backfill", "dw_bft", "--from", "2026-10", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = aq_test_ctl (&status, &err, "pipeline", "graph", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  nodes = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);

      if (!g_str_equal (json_object_get_string_member (node, "name"), "dm_bft"))
        continue;
      found = TRUE;
      g_assert_cmpstr (json_array_get_string_element (
                         json_object_get_array_member (node, "upstream"), 0), ==, "dw_bft");
      g_assert_cmpstr (json_object_get_string_member (
                         json_object_get_object_member (node, "last_run"), "status"), ==,
                       "succeeded");
    }
  g_assert_true (found);
  g_clear_pointer (&out, g_free);
  out = aq_test_ctl (&status, NULL, "pipeline", "graph", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "dm_bft"));
}

/* ---- watermark windows ---- */

static const char *WM =
  "{\"name\": \"wm_bfw\", \"steps\": ["
  " {\"id\": \"read\", \"type\": \"table_input\","
  "  \"sql\": \"SELECT id, ts, v FROM staging.bfw_src\","
  "  \"watermark\": {\"column\": \"ts\"}},"
  " {\"id\": \"write\", \"type\": \"table_output\", \"table\": \"staging.bfw_out\","
  "  \"create\": true}],"
  " \"edges\": [{\"from\": \"read\", \"to\": \"write\"}]}";

/* Rows the output has that the source's window has not, plus the other way round. */
static gint64
window_difference (const char *from,
                   const char *to)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT (SELECT count(*) FROM (SELECT id, ts, v FROM staging.bfw_out"
    "  WHERE ts >= '%s' AND ts < '%s' EXCEPT ALL SELECT id, ts, v FROM staging.bfw_src"
    "  WHERE ts >= '%s' AND ts < '%s') a)"
    " + (SELECT count(*) FROM (SELECT id, ts, v FROM staging.bfw_src"
    "  WHERE ts >= '%s' AND ts < '%s' EXCEPT ALL SELECT id, ts, v FROM staging.bfw_out) b)",
    from, to, from, to, from, to);

  return count (sql);
}

/* A backfill by watermark windows: an incremental pipeline that has loaded everything (its
 * watermark at the newest row) backfilled for 2025-11..2025-12 loads exactly the rows of each
 * month — one run per month, each in the run history — and leaves the watermark where it was;
 * without windows the same backfill loads nothing new (the watermark filters it all out). */
static void
test_watermark_windows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = NULL;
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *watermark = NULL;
  g_autofree char *after = NULL;
  gint64 id = 0, runs_before;

  /* every 7 hours from October to January: months of different lengths and boundaries */
  exec ("CREATE TABLE staging.bfw_src AS SELECT i AS id,"
        " timestamp '2025-10-01 03:00' + (i * interval '7 hours') AS ts, i % 13 AS v"
        " FROM generate_series(0, 420) i");
  g_assert_true (aq_pipeline_store_save (db, "wm_bfw", WM, NULL, NULL, &error));
  g_assert_no_error (error);
  pipeline = aq_pipeline_new_from_data (WM, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_runner_run_pipeline (pipeline, db, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bfw_out"), ==, 421);
  watermark = aq_test_query_string (db, "SELECT value FROM meta.pipeline_watermark"
                                        " WHERE pipeline = 'wm_bfw'");
  g_assert_nonnull (watermark);

  /* without windows: the stored watermark leaves nothing to load */
  exec ("TRUNCATE staging.bfw_out");
  g_assert_true (aq_backfill_run (db, "wm_bfw", "2025-11", "2025-12", AQ_BACKFILL_NONE, NULL,
                                  NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bfw_out"), ==, 0);

  /* with windows: exactly November's and December's rows, one run each */
  runs_before = count ("SELECT count(*) FROM meta.pipeline_run WHERE pipeline = 'wm_bfw'");
  g_assert_true (aq_backfill_run (db, "wm_bfw", "2025-11", "2025-12", AQ_BACKFILL_WINDOWS,
                                  count_progress, messages, NULL, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bfw_out"), ==,
                   count ("SELECT count(*) FROM staging.bfw_src"
                          " WHERE ts >= '2025-11-01' AND ts < '2026-01-01'"));
  g_assert_cmpint (window_difference ("2025-11-01", "2025-12-01"), ==, 0);
  g_assert_cmpint (window_difference ("2025-12-01", "2026-01-01"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM staging.bfw_out WHERE ts < '2025-11-01'"
                          " OR ts >= '2026-01-01'"), ==, 0);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_run WHERE pipeline = 'wm_bfw'"),
                   ==, runs_before + 2);
  /* each month's run wrote that month's rows, in the run history */
  {
    g_autofree char *sql = g_strdup_printf (
      "SELECT count(*) FROM meta.backfill_step s JOIN meta.pipeline_run r USING (run_id)"
      " WHERE s.backfill_id = %" G_GINT64_FORMAT " AND s.status = 'succeeded'"
      " AND r.status = 'succeeded' AND r.rows_written = (SELECT count(*)"
      "  FROM staging.bfw_src WHERE ts >= s.period AND ts < s.period + interval '1 month')", id);

    g_assert_cmpint (count (sql), ==, 2);
  }
  g_assert_cmpuint (messages->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (messages, 1), ==, "2025-12: wm_bfw (2 of 2)");
  after = aq_test_query_string (db, "SELECT value FROM meta.pipeline_watermark"
                                    " WHERE pipeline = 'wm_bfw'");
  g_assert_cmpstr (after, ==, watermark);

  /* the CLI's --windows: October alone */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = -1;

    exec ("TRUNCATE staging.bfw_out");
    out = aq_test_ctl (&status, &err, "pipeline", "backfill", "wm_bfw", "--from", "2025-10",
                       "--to", "2025-10", "--windows", NULL);
    g_test_message ("%s%s", out, err);
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpint (count ("SELECT count(*) FROM staging.bfw_out"), ==,
                     count ("SELECT count(*) FROM staging.bfw_src WHERE ts < '2025-11-01'"));
    g_assert_cmpint (window_difference ("2025-10-01", "2025-11-01"), ==, 0);
  }

  /* a window needs a query on the warehouse: another connection is refused at once */
  {
    g_autoptr(AqPipeline) remote = aq_pipeline_new_from_data (
      "{\"name\": \"wm_remote\", \"steps\": [{\"id\": \"read\", \"type\": \"table_input\","
      " \"connection\": \"elsewhere\", \"sql\": \"SELECT 1 AS ts\","
      " \"watermark\": {\"column\": \"ts\"}}], \"edges\": []}", -1, NULL, &error);

    g_assert_no_error (error);
    g_assert_false (aq_backfill_window_pipeline (remote, &error));
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_db_new ("t_backfill", TRUE);
  conninfo = aq_test_conninfo ("t_backfill");
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

    aq_test_ctl_set_env (env);
  }
  exec ("CREATE TABLE staging.bft_fail (x integer)");
  aq_pipeline_store_save (db, "ods_bft", ODS, NULL, NULL, &error);
  g_assert_no_error (error);
  aq_pipeline_store_save (db, "dw_bft", DW, NULL, NULL, &error);
  g_assert_no_error (error);
  aq_pipeline_store_save (db, "dm_bft", DM, NULL, NULL, &error);
  g_assert_no_error (error);
  /* the tables the downstream ones read exist before any test runs them */
  g_assert_true (aq_backfill_run (db, "ods_bft", "2025-12", "2025-12", AQ_BACKFILL_CASCADE, NULL,
                                  NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  g_test_add_func ("/backfill/fail-resume", test_fail_resume);
  g_test_add_func ("/backfill/cascade", test_cascade);
  g_test_add_func ("/backfill/cancel", test_cancel);
  g_test_add_func ("/pipeline-deps/standard", test_graph_standard);
  g_test_add_func ("/pipeline-deps/load", test_graph_load);
  g_test_add_func ("/backfill/cli", test_cli);
  g_test_add_func ("/backfill/watermark-windows", test_watermark_windows);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

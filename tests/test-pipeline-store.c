/* test-pipeline-store.c — pipelines in meta.pipeline: versions, restore, grants, diff
 *
 * Against the real warehouse: the standard pipelines are version 1 of each after the warehouse
 * is prepared (byte for byte the shipped files, and preparing again adds nothing); every save is
 * a version with its author and comment; a restore is a new version; an analyst reads but
 * cannot save; a data engineer's saves carry the login's name. The diff is checked step by
 * step and member by member on two versions read back from the store; the CLI verbs run the
 * real aqueductctl. The scheduler's "pipeline" kind runs what the store holds (the latest, or
 * a pinned version), checked against the store when the job is saved; `pipeline history`
 * prints meta.pipeline_run.
 */
#include "aq-test-util.h"

#include <glib/gstdio.h>
#include <string.h>

static AqDb *db;

static const char *V1 =
  "{\"name\": \"t_store\", \"steps\": ["
  " {\"id\": \"read\", \"type\": \"table_input\", \"connection\": \"warehouse\","
  "  \"sql\": \"SELECT 1 AS a\"},"
  " {\"id\": \"write\", \"type\": \"table_output\", \"table\": \"staging.t_store\","
  "  \"mode\": \"replace\"}],"
  " \"edges\": [{\"from\": \"read\", \"to\": \"write\"}]}";

static const char *V2 =
  "{\"name\": \"t_store\", \"description\": \"with a filter\", \"steps\": ["
  " {\"id\": \"read\", \"type\": \"table_input\", \"connection\": \"warehouse\","
  "  \"sql\": \"SELECT 1 AS a, 2 AS b\", \"position\": {\"x\": 10, \"y\": 20}},"
  " {\"id\": \"keep\", \"type\": \"filter\", \"condition\": \"a > 0\"},"
  " {\"id\": \"write\", \"type\": \"table_output\", \"table\": \"staging.t_store\"}],"
  " \"edges\": [{\"from\": \"read\", \"to\": \"keep\"}, {\"from\": \"keep\", \"to\": \"write\"}]}";

static gint64
count (const char *sql)
{
  return aq_test_query_int64 (db, sql);
}

/* ---- the standard pipelines ---- */

static void
test_standard_seeded (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before;

  g_assert_cmpuint (g_strv_length (names), >=, 14);
  list = aq_pipeline_store_list (db, &error);
  g_assert_no_error (error);
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *file = aq_pipeline_store_dup_standard (names[i], &error);
      g_autofree char *stored = aq_pipeline_store_load (db, names[i], 1, &error);
      gboolean listed = FALSE;

      g_assert_no_error (error);
      g_assert_cmpstr (stored, ==, file);
      for (guint j = 0; j < list->len; j++)
        {
          AqPipelineVersion *v = g_ptr_array_index (list, j);

          if (g_str_equal (v->name, names[i]))
            {
              listed = TRUE;
              g_assert_cmpint (v->version, ==, 1);
              g_autofree char *comment = g_strdup_printf ("data/pipelines/%s.json", names[i]);

              g_assert_cmpstr (v->comment, ==, comment);
            }
        }
      g_assert_true (listed);
    }

  /* preparing again writes nothing */
  before = count ("SELECT count(*) FROM meta.pipeline_version");
  aq_warehouse_prepare (db, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_version"), ==, before);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline"), ==, g_strv_length (names));
}

/* ---- versions ---- */

static void
test_save_load_versions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *login = aq_test_query_string (db, "SELECT session_user");
  g_autofree char *latest = NULL;
  g_autofree char *second = NULL;
  AqPipelineVersion *v;
  int version = 0;

  g_assert_true (aq_pipeline_store_save (db, "t_store", V1, "first", &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 1);
  g_assert_true (aq_pipeline_store_save (db, "t_store", V2, "a filter", &version, &error));
  g_assert_cmpint (version, ==, 2);
  g_assert_true (aq_pipeline_store_save (db, "t_store", V2, NULL, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 3);

  latest = aq_pipeline_store_load (db, "t_store", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (latest, ==, V2);
  second = aq_pipeline_store_load (db, "t_store", 1, &error);
  g_assert_cmpstr (second, ==, V1);

  versions = aq_pipeline_store_versions (db, "t_store", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (versions->len, ==, 3);
  v = g_ptr_array_index (versions, 0);
  g_assert_cmpint (v->version, ==, 3);
  g_assert_cmpint (v->n_versions, ==, 3);
  g_assert_null (v->comment);
  v = g_ptr_array_index (versions, 1);
  g_assert_cmpint (v->version, ==, 2);
  g_assert_cmpstr (v->comment, ==, "a filter");
  g_assert_cmpstr (v->author, ==, login);
  g_assert_nonnull (v->created_at);
  g_assert_cmpint (v->restored_from, ==, 0);

  /* what is not there */
  g_assert_null (aq_pipeline_store_load (db, "t_store", 9, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (aq_pipeline_store_load (db, "t_nothing", 0, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (aq_pipeline_store_versions (db, "t_nothing", &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* what is refused adds no version */
  g_assert_false (aq_pipeline_store_save (db, "t_store", "{\"steps\": [", NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_pipeline_store_save (db, "t_store", "{\"name\": \"other\"}", NULL, NULL,
                                          &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (aq_pipeline_store_save (db, "bad name;", V1, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_version WHERE name = 't_store'"),
                   ==, 3);
  g_assert_cmpint (count ("SELECT latest_version FROM meta.pipeline WHERE name = 't_store'"),
                   ==, 3);
}

/* V1 or V2 under another name */
static char *
renamed (const char *text,
         const char *name)
{
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, "\"t_store\"", name, 1);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_restore (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *v1 = renamed (V1, "\"t_restore\"");
  g_autofree char *v2 = renamed (V2, "\"t_restore\"");
  g_autofree char *latest = NULL;
  AqPipelineVersion *v;
  int version = 0;

  aq_pipeline_store_save (db, "t_restore", v1, NULL, NULL, &error);
  g_assert_no_error (error);
  aq_pipeline_store_save (db, "t_restore", v2, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_store_restore (db, "t_restore", 1, NULL, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 3);
  latest = aq_pipeline_store_load (db, "t_restore", 0, &error);
  g_assert_cmpstr (latest, ==, v1);
  versions = aq_pipeline_store_versions (db, "t_restore", &error);
  v = g_ptr_array_index (versions, 0);
  g_assert_cmpint (v->version, ==, 3);
  g_assert_cmpint (v->restored_from, ==, 1);
  g_assert_cmpstr (v->comment, ==, "restored version 1");

  g_assert_false (aq_pipeline_store_restore (db, "t_restore", 7, NULL, NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
}

/* ---- grants ---- */

static void
test_grants (void)
{
  g_autofree char *analyst_info = aq_test_login_conninfo ("t_pipeline_store", "aqt_ps_analyst",
                                                          "analyst");
  g_autofree char *eng_info = aq_test_login_conninfo ("t_pipeline_store", "aqt_ps_eng",
                                                      "data_engineer");
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) analyst = aq_db_connect (analyst_info, &error);
  g_autoptr(AqDb) eng = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  g_autofree char *text = NULL;
  g_autofree char *v2 = renamed (V2, "\"t_grants\"");
  int version = 0;

  g_assert_no_error (error);
  list = aq_pipeline_store_list (analyst, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >=, 14);
  aq_pipeline_store_save (db, "t_grants", v2, NULL, NULL, &error);
  g_assert_no_error (error);
  text = aq_pipeline_store_load (analyst, "t_grants", 1, &error);
  g_assert_cmpstr (text, ==, v2);
  g_assert_false (aq_pipeline_store_save (analyst, "t_grants", v2, "analyst", NULL, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);

  eng = aq_db_connect (eng_info, &error);
  g_assert_no_error (error);
  g_assert_true (aq_pipeline_store_save (eng, "t_grants", v2, "engineer", &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, 2);
  versions = aq_pipeline_store_versions (analyst, "t_grants", &error);
  g_assert_cmpint (((AqPipelineVersion *) g_ptr_array_index (versions, 0))->version, ==,
                   version);
  g_assert_cmpstr (((AqPipelineVersion *) g_ptr_array_index (versions, 0))->author, ==,
                   "aqt_ps_eng");
}

/* ---- diff ---- */

static void
test_diff (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = renamed (V1, "\"t_diff\"");
  g_autofree char *v2 = renamed (V2, "\"t_diff\"");
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *json_text = NULL;
  const char *expected[] = {
    "pipeline: “description” added: \"with a filter\"",
    "step “read” (table_input): “sql” \"SELECT 1 AS a\" → \"SELECT 1 AS a, 2 AS b\"",
    "step “read” (table_input): “position” added: {\"x\":10,\"y\":20}",
    "step “keep” (filter) added",
    "step “write” (table_output): “mode” removed (was \"replace\")",
    "edge read → keep added",
    "edge keep → write added",
    "edge read → write removed",
  };

  aq_pipeline_store_save (db, "t_diff", v1, NULL, NULL, &error);
  g_assert_no_error (error);
  aq_pipeline_store_save (db, "t_diff", v2, NULL, NULL, &error);
  g_assert_no_error (error);
  old_text = aq_pipeline_store_load (db, "t_diff", 1, &error);
  new_text = aq_pipeline_store_load (db, "t_diff", 2, &error);
  g_assert_no_error (error);

  changes = aq_pipeline_diff (old_text, new_text, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *line = aq_pipeline_change_describe (g_ptr_array_index (changes, i));

      g_test_message ("%s", line);
      g_assert_cmpuint (i, <, G_N_ELEMENTS (expected));
      g_assert_cmpstr (line, ==, expected[i]);
    }
  g_assert_cmpuint (changes->len, ==, G_N_ELEMENTS (expected));

  json = aq_pipeline_diff_to_json (changes);
  json_text = json_to_string (json, FALSE);
  g_assert_nonnull (strstr (json_text, "{\"change\":\"step_member\",\"step\":\"write\","
                                       "\"type\":\"table_output\",\"member\":\"mode\","
                                       "\"old\":\"replace\",\"new\":null}"));

  /* a version against itself, and member order inside an object, change nothing */
  none = aq_pipeline_diff (new_text, "{\"steps\": [], \"name\": \"t_diff\"}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 6);   /* description, 3 steps, 2 edges removed */
  g_clear_pointer (&none, g_ptr_array_unref);
  none = aq_pipeline_diff ("{\"a\": {\"x\": 1, \"y\": 2}}", "{\"a\": {\"y\": 2, \"x\": 1}}",
                           &error);
  g_assert_cmpuint (none->len, ==, 0);
  g_clear_pointer (&none, g_ptr_array_unref);

  g_assert_null (aq_pipeline_diff ("[1]", new_text, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
}

/* ---- the CLI ---- */

static void
test_cli (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("aq-pipeline-store-XXXXXX", NULL);
  g_autofree char *v1_path = g_build_filename (tmp, "v1.json", NULL);
  g_autofree char *v2_path = g_build_filename (tmp, "v2.json", NULL);
  g_autofree char *v1 = renamed (V1, "\"t_cli\"");
  g_autofree char *v2 = renamed (V2, "\"t_cli\"");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *latest = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *versions;
  int status = -1;

  g_assert_true (g_file_set_contents (v1_path, v1, -1, NULL));
  g_assert_true (g_file_set_contents (v2_path, v2, -1, NULL));
  out = aq_test_ctl (&status, &err, "pipeline", "save", "t_cli", v1_path, "--comment", "first",
                     NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "Saved pipeline t_cli as version 1\n");
  g_clear_pointer (&out, g_free);
  out = aq_test_ctl (&status, NULL, "pipeline", "save", "t_cli", v2_path, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, NULL, "pipeline", "versions", "t_cli", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  versions = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (versions), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (versions, 1),
                                               "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (versions, 1),
                                                  "comment"), ==, "first");
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, NULL, "pipeline", "diff", "t_cli", "1", "2", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "step “keep” (filter) added\n"));
  g_assert_nonnull (strstr (out, "edge read → write removed\n"));
  g_clear_pointer (&out, g_free);

  out = aq_test_ctl (&status, NULL, "pipeline", "restore", "t_cli", "1", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "Restored version 1 of pipeline t_cli as version 3\n");
  latest = aq_pipeline_store_load (db, "t_cli", 0, &error);
  g_assert_cmpstr (latest, ==, v1);
  g_clear_pointer (&out, g_free);

  /* what is not there, what is not a version */
  out = aq_test_ctl (&status, NULL, "pipeline", "versions", "t_nothing", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  out = aq_test_ctl (&status, NULL, "pipeline", "diff", "t_cli", "1", "x", NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free);
  /* the older verbs still work next to the new ones */
  out = aq_test_ctl (&status, NULL, "pipeline", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);

  g_remove (v1_path);
  g_remove (v2_path);
  g_rmdir (tmp);
}

/* ---- the scheduler's "pipeline" kind ---- */

static char *
sched_version (int n)
{
  return g_strdup_printf ("{\"name\": \"t_sched\", \"steps\": ["
                          " {\"id\": \"read\", \"type\": \"table_input\","
                          "  \"sql\": \"SELECT %d AS n\"},"
                          " {\"id\": \"write\", \"type\": \"table_output\","
                          "  \"table\": \"staging.t_sched\", \"mode\": \"replace\","
                          "  \"create\": true}],"
                          " \"edges\": [{\"from\": \"read\", \"to\": \"write\"}]}", n);
}

static void
save_sched (int n)
{
  g_autofree char *text = sched_version (n);
  g_autoptr(GError) error = NULL;
  int version = 0;

  g_assert_true (aq_pipeline_store_save (db, "t_sched", text, NULL, &version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (version, ==, n);
}

/* Runs the kind as the daemon's worker does; returns the log excerpt. */
static char *
run_kind (const char  *target,
          GError     **error)
{
  const AqJobKind *kind = aq_job_kind_lookup ("pipeline");
  g_autofree char *conninfo = aq_test_conninfo ("t_pipeline_store");

  g_assert_nonnull (kind);
  return kind->run (target, conninfo, NULL, error);
}

static void
test_scheduled_job (void)
{
  static const struct { const char *target, *message; } bad[] = {
    { "t_nosuch", "no pipeline" },
    { "t_sched@9", "no version 9" },
    { "T Sched", "not a pipeline name" },
    { "t_sched@0", "not a pipeline name" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AqJob) job = aq_job_new ("t-sched-nightly", "pipeline", "t_sched");
  g_autoptr(AqJob) pinned = aq_job_new ("t-sched-pinned", "pipeline", "t_sched@1");
  g_autofree char *log = NULL;

  save_sched (1);
  save_sched (2);

  /* saved against the store: the pipeline and a pinned version must be there */
  job->schedule = g_strdup ("0 2 * * *");
  g_assert_true (aq_job_add (db, job, &error));
  g_assert_no_error (error);
  pinned->schedule = g_strdup ("0 3 * * *");
  g_assert_true (aq_job_add (db, pinned, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(AqJob) b = aq_job_new ("t-sched-bad", "pipeline", bad[i].target);

      b->schedule = g_strdup ("0 2 * * *");
      g_assert_false (aq_job_add (db, b, &error));
      g_assert_nonnull (error);
      if (strstr (error->message, bad[i].message) == NULL
          || !g_str_has_prefix (error->message, "target"))
        g_error ("%s: “%s” does not say “%s”", bad[i].target, error->message, bad[i].message);
      g_clear_error (&error);
    }
  g_assert_cmpint (count ("SELECT count(*) FROM meta.job WHERE name = 't-sched-bad'"), ==, 0);

  /* the latest version runs, not a file: version 2 writes 2 */
  log = run_kind ("t_sched", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "version 2"));
  g_assert_cmpint (count ("SELECT n FROM staging.t_sched"), ==, 2);
  g_clear_pointer (&log, g_free);

  /* a pinned version stays pinned */
  log = run_kind ("t_sched@1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "version 1"));
  g_assert_cmpint (count ("SELECT n FROM staging.t_sched"), ==, 1);
  g_clear_pointer (&log, g_free);

  /* a new version saved (as the editor's Ctrl+S does) is what the next run takes */
  save_sched (3);
  log = run_kind ("t_sched", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (log, "version 3"));
  g_assert_cmpint (count ("SELECT n FROM staging.t_sched"), ==, 3);
  g_assert_cmpint (count ("SELECT count(*) FROM meta.pipeline_run WHERE pipeline = 't_sched'"
                          " AND status = 'succeeded'"), ==, 3);
  g_clear_pointer (&log, g_free);

  /* a pipeline gone from the store since the job was saved fails with the store's message */
  log = run_kind ("t_gone", &error);
  g_assert_null (log);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* `pipeline history`: the three runs, newest first, as meta.pipeline_run has them */
  {
    g_autofree char *out = NULL;
    g_autoptr(JsonParser) parser = json_parser_new ();
    JsonArray *runs;
    int status = -1;

    out = aq_test_ctl (&status, NULL, "pipeline", "history", "t_sched", "--json", NULL);
    g_assert_cmpint (status, ==, 0);
    json_parser_load_from_data (parser, out, -1, &error);
    g_assert_no_error (error);
    runs = json_node_get_array (json_parser_get_root (parser));
    g_assert_cmpuint (json_array_get_length (runs), ==, 3);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (runs, 0),
                                                 "run_id"), ==,
                     count ("SELECT max(run_id) FROM meta.pipeline_run"
                            " WHERE pipeline = 't_sched'"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                        json_array_get_object_element (runs, 2), "steps")), ==, 2);
    g_clear_pointer (&out, g_free);
    out = aq_test_ctl (&status, NULL, "pipeline", "history", "t_sched", "--limit", "1", NULL);
    g_assert_cmpint (status, ==, 0);
    g_assert_nonnull (strstr (out, "read=1 write=1"));
    g_assert_nonnull (strstr (out, "succeeded"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  db = aq_test_db_new ("t_pipeline_store", TRUE);
  conninfo = aq_test_conninfo ("t_pipeline_store");
  {
    const char *env[] = { "AQUEDUCT_DATABASE_URL", conninfo, NULL };

    aq_test_ctl_set_env (env);
  }

  g_test_add_func ("/pipeline-store/standard-seeded", test_standard_seeded);
  g_test_add_func ("/pipeline-store/save-load-versions", test_save_load_versions);
  g_test_add_func ("/pipeline-store/restore", test_restore);
  g_test_add_func ("/pipeline-store/grants", test_grants);
  g_test_add_func ("/pipeline-store/diff", test_diff);
  g_test_add_func ("/pipeline-store/cli", test_cli);
  g_test_add_func ("/pipeline-store/scheduled-job", test_scheduled_job);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

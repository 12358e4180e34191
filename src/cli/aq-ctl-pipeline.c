/* aq-ctl-pipeline.c — aqueductctl pipeline list|validate|run */
#include "config.h"

#include <string.h>

#include "aq-ctl.h"

#define USAGE "pipeline list [--json] | validate NAME|FILE [--json] | run NAME|FILE [--json]"

static gboolean opt_json;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "Answer in JSON", NULL },
  { NULL }
};

/* ---- auxiliary methods ---- */

/* A path names a file; a bare name, one of the standard pipelines. */
static AqPipeline *
load_pipeline (const char  *what,
               GError     **error)
{
  if (strchr (what, '/') || g_str_has_suffix (what, ".json")
      || g_file_test (what, G_FILE_TEST_EXISTS))
    return aq_pipeline_new_from_file (what, error);
  return aq_pipeline_new_standard (what, error);
}

static void
add_nullable_string (JsonBuilder *b,
                     const char  *member,
                     PGresult    *res,
                     int          row,
                     int          column)
{
  json_builder_set_member_name (b, member);
  if (PQgetisnull (res, row, column))
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, PQgetvalue (res, row, column));
}

static void
add_nullable_int (JsonBuilder *b,
                  const char  *member,
                  PGresult    *res,
                  int          row,
                  int          column)
{
  json_builder_set_member_name (b, member);
  if (PQgetisnull (res, row, column))
    json_builder_add_null_value (b);
  else
    json_builder_add_int_value (b, g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10));
}

static void
add_nullable_double (JsonBuilder *b,
                     const char  *member,
                     PGresult    *res,
                     int          row,
                     int          column)
{
  json_builder_set_member_name (b, member);
  if (PQgetisnull (res, row, column))
    json_builder_add_null_value (b);
  else
    json_builder_add_double_value (b, g_ascii_strtod (PQgetvalue (res, row, column), NULL));
}

static const char *
value_or (PGresult   *res,
          int         row,
          int         column,
          const char *fallback)
{
  return PQgetisnull (res, row, column) ? fallback : PQgetvalue (res, row, column);
}

/* ---- list ---- */

static int
pipeline_list (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(GError) db_error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &db_error);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GHashTable) last = g_hash_table_new (g_str_hash, g_str_equal);

  if (db)
    {
      g_autoptr(GError) error = NULL;

      res = aq_db_query (db,
                         "SELECT DISTINCT ON (pipeline) pipeline, run_id, status,"
                         " to_char(started_at, 'YYYY-MM-DD HH24:MI:SS'),"
                         " round(extract(epoch FROM finished_at - started_at) * 1000),"
                         " rows_written, error"
                         " FROM meta.pipeline_run ORDER BY pipeline, run_id DESC",
                         0, NULL, &error);
      if (res == NULL)
        return aq_ctl_fail (error);
      for (int i = 0; i < PQntuples (res); i++)
        g_hash_table_insert (last, PQgetvalue (res, i, 0), GINT_TO_POINTER (i + 1));
    }
  else
    g_printerr ("aqueductctl: the last runs are unknown: %s\n", db_error->message);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; names[i]; i++)
        {
          g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (names[i], NULL);
          int row = GPOINTER_TO_INT (g_hash_table_lookup (last, names[i])) - 1;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, names[i]);
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, pipeline ? aq_pipeline_get_description (pipeline)
                                                     : NULL);
          json_builder_set_member_name (b, "last_run");
          if (row < 0)
            json_builder_add_null_value (b);
          else
            {
              json_builder_begin_object (b);
              add_nullable_int (b, "run_id", res, row, 1);
              add_nullable_string (b, "status", res, row, 2);
              add_nullable_string (b, "started_at", res, row, 3);
              add_nullable_double (b, "duration_ms", res, row, 4);
              add_nullable_int (b, "rows_written", res, row, 5);
              add_nullable_string (b, "error", res, row, 6);
              json_builder_end_object (b);
            }
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }

  if (names[0] == NULL)
    {
      g_print ("No standard pipelines are bundled.\n");
      return AQ_CTL_OK;
    }
  g_print ("%-28s %-19s  %-10s %12s\n", "PIPELINE", "LAST RUN", "STATUS", "ROWS");
  for (guint i = 0; names[i]; i++)
    {
      int row = GPOINTER_TO_INT (g_hash_table_lookup (last, names[i])) - 1;

      if (row < 0)
        g_print ("%-28s %-19s  %-10s %12s\n", names[i], db ? "never" : "?", "", "");
      else
        g_print ("%-28s %-19s  %-10s %12s\n", names[i], PQgetvalue (res, row, 3),
                 PQgetvalue (res, row, 2), value_or (res, row, 5, ""));
    }
  return AQ_CTL_OK;
}

/* ---- validate ---- */

static void
print_validation_json (const char *what,
                       gboolean    valid,
                       gboolean    with_db,
                       const char *error,
                       const char *note)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pipeline");
  json_builder_add_string_value (b, what);
  json_builder_set_member_name (b, "valid");
  json_builder_add_boolean_value (b, valid);
  json_builder_set_member_name (b, "checked_against_warehouse");
  json_builder_add_boolean_value (b, with_db);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, error);
  json_builder_set_member_name (b, "note");
  json_builder_add_string_value (b, note);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  aq_ctl_print_json (root);
}

static int
pipeline_validate (const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autoptr(AqPipeline) pipeline = load_pipeline (what, &error);
  g_autoptr(AqDb) db = NULL;
  g_autofree char *note = NULL;

  if (pipeline == NULL)
    {
      if (opt_json)
        print_validation_json (what, FALSE, FALSE, error->message, NULL);
      return aq_ctl_fail (error);
    }

  /* the static checks need no warehouse, and without one they still say a lot */
  if (aq_pipeline_runner_validate (pipeline, NULL, &error))
    {
      db = aq_connection_open (NULL, &db_error);
      if (db == NULL)
        note = g_strdup_printf ("static checks only: the warehouse is unreachable (%s)",
                                db_error->message);
    }
  if (error == NULL && db != NULL)
    aq_pipeline_runner_validate (pipeline, db, &error);
  if (error)
    {
      if (opt_json)
        print_validation_json (what, FALSE, db != NULL, error->message, note);
      if (note)
        g_printerr ("aqueductctl: %s\n", note);
      return aq_ctl_fail (error);
    }

  if (opt_json)
    print_validation_json (what, TRUE, db != NULL, NULL, note);
  else if (db)
    g_print ("Pipeline %s is valid (checked against the warehouse)\n",
             aq_pipeline_get_name (pipeline));
  else
    g_print ("Pipeline %s passes the static checks; %s\n", aq_pipeline_get_name (pipeline),
             note);
  return AQ_CTL_OK;
}

/* ---- run ---- */

/* The steps' records, in the order the pipeline runs them. */
static void
report_run (AqPipeline *pipeline,
            AqDb       *db,
            gint64      run_id)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  const char *params[] = { id };
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) run = NULL;
  g_autoptr(PGresult) steps = NULL;
  GPtrArray *order = aq_pipeline_get_order (pipeline, NULL);

  run = aq_db_query (db,
                     "SELECT status, rows_written, error,"
                     " extract(epoch FROM finished_at - started_at) * 1000"
                     " FROM meta.pipeline_run WHERE run_id = $1", 1, params, &error);
  if (run)
    steps = aq_db_query (db,
                         "SELECT step_id, step_type, rows_in, rows_out, duration_ms, error"
                         " FROM meta.pipeline_step_run WHERE run_id = $1", 1, params, &error);
  if (steps == NULL || PQntuples (run) != 1)
    {
      g_printerr ("aqueductctl: cannot read back run %s: %s\n", id,
                  error ? error->message : "it is not recorded");
      return;
    }

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "run_id");
      json_builder_add_int_value (b, run_id);
      json_builder_set_member_name (b, "pipeline");
      json_builder_add_string_value (b, aq_pipeline_get_name (pipeline));
      add_nullable_string (b, "status", run, 0, 0);
      add_nullable_int (b, "rows_written", run, 0, 1);
      add_nullable_string (b, "error", run, 0, 2);
      add_nullable_double (b, "duration_ms", run, 0, 3);
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint i = 0; order && i < order->len; i++)
        for (int r = 0; r < PQntuples (steps); r++)
          {
            if (strcmp (PQgetvalue (steps, r, 0),
                        aq_pipeline_step_get_id (g_ptr_array_index (order, i))) != 0)
              continue;
            json_builder_begin_object (b);
            add_nullable_string (b, "id", steps, r, 0);
            add_nullable_string (b, "type", steps, r, 1);
            add_nullable_int (b, "rows_in", steps, r, 2);
            add_nullable_int (b, "rows_out", steps, r, 3);
            add_nullable_double (b, "duration_ms", steps, r, 4);
            add_nullable_string (b, "error", steps, r, 5);
            json_builder_end_object (b);
          }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
      return;
    }

  g_print ("Run %s of %s %s: %s rows written in %.1f s\n", id, aq_pipeline_get_name (pipeline),
           PQgetvalue (run, 0, 0), value_or (run, 0, 1, "0"),
           g_ascii_strtod (value_or (run, 0, 3, "0"), NULL) / 1000.0);
  for (guint i = 0; order && i < order->len; i++)
    for (int r = 0; r < PQntuples (steps); r++)
      {
        g_autofree char *label = NULL;

        if (strcmp (PQgetvalue (steps, r, 0),
                    aq_pipeline_step_get_id (g_ptr_array_index (order, i))) != 0)
          continue;
        label = g_strdup_printf ("%s (%s)", PQgetvalue (steps, r, 0), PQgetvalue (steps, r, 1));
        g_print ("  %-36s %12s → %-12s %9.1f ms%s%s\n", label, value_or (steps, r, 2, "-"),
                 value_or (steps, r, 3, "-"), g_ascii_strtod (value_or (steps, r, 4, "0"), NULL),
                 PQgetisnull (steps, r, 5) ? "" : "  FAILED: ", value_or (steps, r, 5, ""));
      }
}

static int
pipeline_run (const char *what)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqPipeline) pipeline = load_pipeline (what, &error);
  g_autoptr(AqDb) db = NULL;
  gint64 run_id = 0;
  gboolean ok;

  if (pipeline == NULL)
    return aq_ctl_fail (error);
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);

  ok = aq_pipeline_runner_run_pipeline (pipeline, db, aq_ctl_progress, NULL, aq_ctl_cancellable (),
                                        &run_id, &error);
  aq_ctl_progress_done ();
  if (run_id > 0)
    report_run (pipeline, db, run_id);
  if (!ok)
    return aq_ctl_fail (error);
  return AQ_CTL_OK;
}

/* ---- public API ---- */

int
aq_ctl_pipeline (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("list | validate|run NAME|FILE");
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];

  if (strcmp (verb, "list") == 0 && argc == 2)
    return pipeline_list ();
  if (strcmp (verb, "validate") == 0 && argc == 3)
    return pipeline_validate (argv[2]);
  if (strcmp (verb, "run") == 0 && argc == 3)
    return pipeline_run (argv[2]);
  return aq_ctl_usage (USAGE, "unknown pipeline command or wrong number of arguments");
}

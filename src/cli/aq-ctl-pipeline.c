/* aq-ctl-pipeline.c — aqueductctl pipeline list|validate|run|history */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("pipeline list [--json] | validate NAME|FILE [--json] | run NAME|FILE [--json] |" \
                " history NAME [--limit N] [--json]")

static gboolean opt_json;
static int opt_limit = 20;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("history: at most N runs, the newest"),
    "N" },
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

/* A member of a history record (aq-pipeline-history.h) as text: @fallback when null. */
static char *
member_text (JsonObject *object,
             const char *member,
             const char *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (fallback);
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      char buffer[G_ASCII_DTOSTR_BUF_SIZE];

      return g_strdup (g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
    }
  return g_strdup (json_node_get_string (node));
}

static double
member_double (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node == NULL || JSON_NODE_HOLDS_NULL (node) ? 0.0 : json_node_get_double (node);
}

static void
add_member (JsonBuilder *b,
            JsonObject  *object,
            const char  *member)
{
  JsonNode *node = json_object_get_member (object, member);

  json_builder_set_member_name (b, member);
  if (node == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_value (b, json_node_copy (node));
}

/* ---- list ---- */

static int
pipeline_list (void)
{
  g_auto(GStrv) names = aq_pipeline_list_standard ();
  g_autoptr(GError) db_error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &db_error);
  g_autoptr(JsonObject) last = NULL;

  if (db)
    {
      g_autoptr(GError) error = NULL;

      last = aq_pipeline_history_last_runs (db, &error);
      if (last == NULL)
        return aq_ctl_fail (error);
    }
  else
    g_printerr (_("aqueductctl: the last runs are unknown: %s\n"), db_error->message);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; names[i]; i++)
        {
          g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (names[i], NULL);
          JsonObject *run = last && json_object_has_member (last, names[i])
                            ? json_object_get_object_member (last, names[i]) : NULL;

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, names[i]);
          json_builder_set_member_name (b, "description");
          json_builder_add_string_value (b, pipeline ? aq_pipeline_get_description (pipeline)
                                                     : NULL);
          json_builder_set_member_name (b, "last_run");
          if (run == NULL)
            json_builder_add_null_value (b);
          else
            json_builder_add_value (b, json_node_init_object (json_node_alloc (), run));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }

  if (names[0] == NULL)
    {
      g_print (_("No standard pipelines are bundled.\n"));
      return AQ_CTL_OK;
    }
  g_print ("%-28s %-19s  %-10s %12s\n", _("PIPELINE"), _("LAST RUN"), _("STATUS"), _("ROWS"));
  for (guint i = 0; names[i]; i++)
    {
      JsonObject *run = last && json_object_has_member (last, names[i])
                        ? json_object_get_object_member (last, names[i]) : NULL;
      g_autofree char *started = run ? member_text (run, "started_at", "") : NULL;
      g_autofree char *status = run ? member_text (run, "status", "") : NULL;
      g_autofree char *rows = run ? member_text (run, "rows_written", "") : NULL;

      if (run == NULL)
        g_print ("%-28s %-19s  %-10s %12s\n", names[i], db ? "never" : "?", "", "");
      else
        g_print ("%-28s %-19s  %-10s %12s\n", names[i], started, status, rows);
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
        note = g_strdup_printf (_("static checks only: the warehouse is unreachable (%s)"),
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
    g_print (_("Pipeline %s is valid (checked against the warehouse)\n"),
             aq_pipeline_get_name (pipeline));
  else
    g_print (_("Pipeline %s passes the static checks; %s\n"), aq_pipeline_get_name (pipeline),
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
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) run = aq_pipeline_history_get_run (db, run_id, &error);
  JsonArray *steps;
  GPtrArray *order = aq_pipeline_get_order (pipeline, NULL);

  if (run == NULL)
    {
      g_printerr (_("aqueductctl: cannot read back run %s: %s\n"), id, error->message);
      return;
    }
  steps = json_object_get_array_member (run, "steps");

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "run_id");
      json_builder_add_int_value (b, run_id);
      json_builder_set_member_name (b, "pipeline");
      json_builder_add_string_value (b, aq_pipeline_get_name (pipeline));
      add_member (b, run, "status");
      add_member (b, run, "rows_written");
      add_member (b, run, "error");
      add_member (b, run, "duration_ms");
      json_builder_set_member_name (b, "steps");
      json_builder_begin_array (b);
      for (guint i = 0; order && i < order->len; i++)
        for (guint r = 0; r < json_array_get_length (steps); r++)
          {
            JsonObject *step = json_array_get_object_element (steps, r);

            if (g_strcmp0 (json_object_get_string_member (step, "id"),
                           aq_pipeline_step_get_id (g_ptr_array_index (order, i))) != 0)
              continue;
            json_builder_begin_object (b);
            add_member (b, step, "id");
            add_member (b, step, "type");
            add_member (b, step, "rows_in");
            add_member (b, step, "rows_out");
            add_member (b, step, "duration_ms");
            add_member (b, step, "error");
            json_builder_end_object (b);
          }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
      return;
    }

  {
    g_autofree char *status = member_text (run, "status", "");
    g_autofree char *rows = member_text (run, "rows_written", "0");

    g_print (_("Run %s of %s %s: %s rows written in %.1f s\n"), id, aq_pipeline_get_name (pipeline),
             status, rows, member_double (run, "duration_ms") / 1000.0);
  }
  for (guint i = 0; order && i < order->len; i++)
    for (guint r = 0; r < json_array_get_length (steps); r++)
      {
        JsonObject *step = json_array_get_object_element (steps, r);
        g_autofree char *step_id = member_text (step, "id", "");
        g_autofree char *type = member_text (step, "type", "");
        g_autofree char *rows_in = member_text (step, "rows_in", "-");
        g_autofree char *rows_out = member_text (step, "rows_out", "-");
        g_autofree char *failed = member_text (step, "error", NULL);
        g_autofree char *label = NULL;

        if (strcmp (step_id, aq_pipeline_step_get_id (g_ptr_array_index (order, i))) != 0)
          continue;
        label = g_strdup_printf ("%s (%s)", step_id, type);
        g_print ("  %-36s %12s → %-12s %9.1f ms%s%s\n", label, rows_in, rows_out,
                 member_double (step, "duration_ms"), failed ? _("  FAILED: ") : "",
                 failed ? failed : "");
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

/* ---- history ---- */

/* The newest runs of @name as meta.pipeline_run recorded them, each with its steps' rows out. */
static int
pipeline_history (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  g_autoptr(JsonArray) runs = NULL;

  if (db == NULL)
    return aq_ctl_fail (error);
  if (opt_limit <= 0)
    return aq_ctl_usage (USAGE, _("--limit takes a positive number"));
  runs = aq_pipeline_history_runs (db, name, opt_limit, &error);
  if (runs == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_array (json_node_alloc (), runs);

      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  if (json_array_get_length (runs) == 0)
    {
      g_print (_("Pipeline %s has not run.\n"), name);
      return AQ_CTL_OK;
    }
  g_print ("%8s  %-19s  %-10s %-8s %10s %12s  %s\n", _("RUN"), _("STARTED"), _("STATUS"),
           _("VERSION"), _("SECONDS"), _("ROWS"), _("ROWS OUT BY STEP"));
  for (guint i = 0; i < json_array_get_length (runs); i++)
    {
      JsonObject *run = json_array_get_object_element (runs, i);
      JsonArray *steps = json_object_get_array_member (run, "steps");
      g_autofree char *id = member_text (run, "run_id", "");
      g_autofree char *started = member_text (run, "started_at", "");
      g_autofree char *status = member_text (run, "status", "");
      g_autofree char *rows = member_text (run, "rows_written", "-");
      g_autoptr(GString) by_step = g_string_new (NULL);
      g_autofree char *version = NULL;

      /* the stored version it ran (`pipeline show NAME --run ID` prints the definition) */
      if (json_object_get_boolean_member_with_default (run, "definition_kept", FALSE))
        version = g_strdup (C_("pipeline run version", "unsaved"));
      else
        version = member_text (run, "version", "-");

      for (guint k = 0; k < json_array_get_length (steps); k++)
        {
          JsonObject *step = json_array_get_object_element (steps, k);
          g_autofree char *step_id = member_text (step, "id", "");
          g_autofree char *out = member_text (step, "rows_out", "-");

          g_string_append_printf (by_step, "%s%s=%s", k ? " " : "", step_id, out);
        }
      g_print ("%8s  %-19s  %-10s %-8s %10.2f %12s  %s\n", id, started, status, version,
               member_double (run, "duration_ms") / 1000.0, rows, by_step->str);
    }
  return AQ_CTL_OK;
}

/* ---- public API ---- */

int
aq_ctl_pipeline (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  const char *verb;
  int code = 0;

  if (argc >= 2 && aq_ctl_pipeline_store_handles (argv[1]))
    return aq_ctl_pipeline_store (argc, argv);
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
  if (strcmp (verb, "history") == 0 && argc == 3)
    return pipeline_history (argv[2]);
  return aq_ctl_usage (USAGE, _("unknown pipeline command or wrong number of arguments"));
}

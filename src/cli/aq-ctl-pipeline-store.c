/* aq-ctl-pipeline-store.c — aqueductctl pipeline save|versions|show|diff|restore|backfill|
 * graph|import-ktr
 *
 * The pipeline commands that work on the store in meta (versions, restore), on many runs at
 * once (backfill, the dependency graph) or on a Kettle file. aq-ctl-pipeline.c hands these
 * verbs here before it parses its own options, since they take options of their own.
 */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE \
  "pipeline save NAME FILE [--comment TEXT] | versions NAME [--json]\n" \
  "       | show NAME [--version N | --run ID]\n" \
  "       | diff NAME V1 V2 [--json] | restore NAME V [--comment TEXT]\n" \
  "       | backfill NAME --from YYYY-MM --to YYYY-MM [--cascade] [--resume]\n" \
  "         [--windows] [--json]\n" \
  "       | graph [--json]\n" \
  "       | import-ktr FILE.ktr [-o FILE.json] [--connection KETTLE=OURS]… [--partial]"

static gboolean opt_json;
static char *opt_comment;
static char *opt_from;
static char *opt_to;
static gboolean opt_cascade;
static gboolean opt_resume;
static gboolean opt_windows;
static char *opt_output;
static char **opt_connections;
static gboolean opt_partial;
static int opt_version;
static gint64 opt_run;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "comment", 0, 0, G_OPTION_ARG_STRING, &opt_comment, N_("What changed"), N_("TEXT") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &opt_from, N_("The first month"), "YYYY-MM" },
  { "to", 0, 0, G_OPTION_ARG_STRING, &opt_to, N_("The last month"), "YYYY-MM" },
  { "cascade", 0, 0, G_OPTION_ARG_NONE, &opt_cascade, N_("Also run the pipelines downstream"),
    NULL },
  { "resume", 0, 0, G_OPTION_ARG_NONE, &opt_resume,
    N_("Continue the last failed backfill from where it stopped"), NULL },
  { "windows", 0, 0, G_OPTION_ARG_NONE, &opt_windows,
    N_("Each month is a window on the inputs' watermark column"), NULL },
  { "output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output, N_("Write the pipeline here"),
    N_("FILE") },
  { "connection", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_connections,
    N_("Map a Kettle connection onto an existing one"), "KETTLE=OURS" },
  { "partial", 0, 0, G_OPTION_ARG_NONE, &opt_partial,
    N_("Write the pipeline even when some steps cannot be mapped"), NULL },
  { "version", 0, 0, G_OPTION_ARG_INT, &opt_version, N_("show: this stored version"), "N" },
  { "run", 0, 0, G_OPTION_ARG_INT64, &opt_run, N_("show: the definition this run used"),
    N_("ID") },
  { NULL }
};

static const char * const verbs[] = {
  "save", "versions", "show", "diff", "restore", "backfill", "graph", "import-ktr", NULL
};

/* ---- auxiliary methods ---- */

static gboolean
parse_version (const char *text,
               int        *out)
{
  guint64 v = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT, &v, NULL))
    return FALSE;
  *out = (int) v;
  return TRUE;
}

static AqDb *
open_db (int *code)
{
  g_autoptr(GError) error = NULL;
  AqDb *db = aq_connection_open (NULL, &error);

  if (db == NULL)
    *code = aq_ctl_fail (error);
  return db;
}

static char *
format_time (GDateTime *t)
{
  return t ? g_date_time_format (t, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* ---- save, versions, diff, restore ---- */

static int
pipeline_save (const char *name,
               const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  int version = 0;
  int code = 0;

  if (!g_file_get_contents (path, &text, &length, &error))
    return aq_ctl_fail (error);
  if (strlen (text) != length)
    return aq_ctl_usage (USAGE, _("the file holds a NUL byte: it is not a pipeline"));
  db = open_db (&code);
  if (db == NULL)
    return code;
  if (!aq_pipeline_store_save (db, name, text, opt_comment, &version, &error))
    return aq_ctl_fail (error);
  g_print (_("Saved pipeline %s as version %d\n"), name, version);
  return AQ_CTL_OK;
}

/* Prints a definition as it was saved, or as a run ran it (migration 042), however the pipeline
 * was edited since. */
static int
pipeline_show (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *text = NULL;
  g_autofree char *ran = NULL;
  int code = 0;

  if (opt_version < 0 || opt_run < 0 || (opt_version > 0 && opt_run > 0))
    return aq_ctl_usage (USAGE, _("show takes --version N or --run ID, not both"));
  db = open_db (&code);
  if (db == NULL)
    return code;
  if (opt_run > 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, opt_run);
      int version = 0;

      text = aq_pipeline_history_run_definition (db, opt_run, &ran, &version, &error);
      if (text == NULL)
        return aq_ctl_fail (error);
      if (strcmp (ran, name) != 0)
        {
          g_printerr (_("Run %s ran pipeline %s, not %s\n"), id, ran, name);
          return AQ_CTL_USAGE;
        }
      if (version > 0)
        g_printerr (_("Run %s ran version %d of %s\n"), id, version, name);
      else
        g_printerr (_("Run %s ran a definition of %s that was never saved\n"), id, name);
    }
  else
    {
      text = aq_pipeline_store_load (db, name, opt_version, &error);
      if (text == NULL)
        return aq_ctl_fail (error);
    }
  g_print ("%s%s", text, g_str_has_suffix (text, "\n") ? "" : "\n");
  return AQ_CTL_OK;
}

static int
pipeline_versions (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) versions = NULL;
  int code = 0;

  db = open_db (&code);
  if (db == NULL)
    return code;
  versions = aq_pipeline_store_versions (db, name, &error);
  if (versions == NULL)
    return aq_ctl_fail (error);

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < versions->len; i++)
        {
          AqPipelineVersion *v = g_ptr_array_index (versions, i);
          g_autofree char *at = g_date_time_format_iso8601 (v->created_at);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "version");
          json_builder_add_int_value (b, v->version);
          json_builder_set_member_name (b, "author");
          json_builder_add_string_value (b, v->author);
          json_builder_set_member_name (b, "saved_at");
          json_builder_add_string_value (b, at);
          json_builder_set_member_name (b, "comment");
          json_builder_add_string_value (b, v->comment);
          json_builder_set_member_name (b, "restored_from");
          if (v->restored_from > 0)
            json_builder_add_int_value (b, v->restored_from);
          else
            json_builder_add_null_value (b);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }

  g_print ("%-8s %-16s  %-16s %s\n", _("VERSION"), _("SAVED"), _("AUTHOR"), _("COMMENT"));
  for (guint i = 0; i < versions->len; i++)
    {
      AqPipelineVersion *v = g_ptr_array_index (versions, i);
      g_autofree char *at = format_time (v->created_at);

      g_print ("%-8d %-16s  %-16s %s\n", v->version, at, v->author,
               v->comment ? v->comment : "");
    }
  return AQ_CTL_OK;
}

static int
pipeline_diff (const char *name,
               const char *first,
               const char *second)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;
  int v1, v2, code = 0;

  if (!parse_version (first, &v1) || !parse_version (second, &v2))
    return aq_ctl_usage (USAGE, _("a version is a number: 1, 2, …"));
  db = open_db (&code);
  if (db == NULL)
    return code;
  old_text = aq_pipeline_store_load (db, name, v1, &error);
  if (old_text)
    new_text = aq_pipeline_store_load (db, name, v2, &error);
  if (new_text)
    changes = aq_pipeline_diff (old_text, new_text, &error);
  if (changes == NULL)
    return aq_ctl_fail (error);

  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_pipeline_diff_to_json (changes);

      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  if (changes->len == 0)
    g_print (_("Versions %d and %d of %s are the same pipeline\n"), v1, v2, name);
  for (guint i = 0; i < changes->len; i++)
    {
      g_autofree char *line = aq_pipeline_change_describe (g_ptr_array_index (changes, i));

      g_print ("%s\n", line);
    }
  return AQ_CTL_OK;
}

static int
pipeline_restore (const char *name,
                  const char *which)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  int version, restored = 0, code = 0;

  if (!parse_version (which, &version))
    return aq_ctl_usage (USAGE, _("a version is a number: 1, 2, …"));
  db = open_db (&code);
  if (db == NULL)
    return code;
  if (!aq_pipeline_store_restore (db, name, version, opt_comment, &restored, &error))
    return aq_ctl_fail (error);
  g_print (_("Restored version %d of pipeline %s as version %d\n"), version, name, restored);
  return AQ_CTL_OK;
}

/* ---- backfill ---- */

static int
pipeline_backfill (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(JsonObject) record = NULL;
  AqBackfillFlags flags = AQ_BACKFILL_NONE;
  gint64 id = 0;
  gboolean ok;
  int code = 0;

  if (opt_from == NULL || opt_to == NULL)
    return aq_ctl_usage (USAGE, _("a backfill needs --from and --to"));
  if (opt_cascade)
    flags |= AQ_BACKFILL_CASCADE;
  if (opt_resume)
    flags |= AQ_BACKFILL_RESUME;
  if (opt_windows)
    flags |= AQ_BACKFILL_WINDOWS;
  db = open_db (&code);
  if (db == NULL)
    return code;

  ok = aq_backfill_run (db, name, opt_from, opt_to, flags, aq_ctl_progress, NULL,
                        aq_ctl_cancellable (), &id, &error);
  aq_ctl_progress_done ();
  if (id > 0)
    record = aq_backfill_get (db, id, &read_error);
  if (record && opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), record);

      aq_ctl_print_json (root);
    }
  else if (record)
    {
      JsonArray *steps = json_object_get_array_member (record, "steps");

      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);

      g_print (_("Backfill %s of %s, %s to %s: %s\n"), id_text, name, opt_from, opt_to,
               json_object_get_string_member (record, "status"));
      for (guint i = 0; i < json_array_get_length (steps); i++)
        {
          JsonObject *step = json_array_get_object_element (steps, i);
          JsonNode *run = json_object_get_member (step, "run_id");
          g_autofree char *run_text = JSON_NODE_HOLDS_NULL (run)
                                      ? g_strdup ("-")
                                      : g_strdup_printf ("%" G_GINT64_FORMAT,
                                                         json_node_get_int (run));

          g_print ("  %s  %-24s %-10s %s %s\n", json_object_get_string_member (step, "period"),
                   json_object_get_string_member (step, "pipeline"),
                   json_object_get_string_member (step, "status"), _("run"), run_text);
        }
    }
  if (!ok)
    return aq_ctl_fail (error);
  return AQ_CTL_OK;
}

/* ---- graph ---- */

static int
pipeline_graph (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqPipelineDeps) graph = NULL;
  g_autoptr(GTimeZone) zone = aq_clock_zone ();
  int code = 0;

  db = open_db (&code);
  if (db == NULL)
    return code;
  graph = aq_pipeline_deps_load (db, &error);
  if (graph == NULL)
    return aq_ctl_fail (error);

  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_pipeline_deps_to_json (graph);

      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  g_print ("%-16s %-10s %-19s  %-16s %s\n", _("PIPELINE"), _("LAST RUN"), "", _("NEXT RUN"),
           _("AFTER"));
  for (guint i = 0; i < graph->nodes->len; i++)
    {
      AqPipelineDep *node = g_ptr_array_index (graph->nodes, i);
      g_autofree char *upstream = NULL;
      g_autofree char *next = NULL;

      g_ptr_array_add (node->upstream, NULL);
      upstream = g_strjoinv (", ", (char **) node->upstream->pdata);
      g_ptr_array_remove_index (node->upstream, node->upstream->len - 1);
      if (node->next_run_at)
        {
          g_autoptr(GDateTime) local = g_date_time_to_timezone (node->next_run_at, zone);

          next = g_date_time_format (local, "%Y-%m-%d %H:%M");
        }
      else if (node->next_after)
        next = g_strdup_printf (_("after %s"), node->next_after);
      g_print ("%-16s %-10s %-19s  %-16s %s\n", node->name,
               node->last_status ? node->last_status : _("never"),
               node->last_started_at ? node->last_started_at : "", next ? next : "-",
               upstream);
    }
  return AQ_CTL_OK;
}

/* ---- import-ktr ---- */

static int
pipeline_import_ktr (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(AqKtrImport) import = NULL;

  for (guint i = 0; opt_connections && opt_connections[i]; i++)
    {
      const char *eq = strchr (opt_connections[i], '=');

      if (eq == NULL || eq == opt_connections[i] || eq[1] == '\0')
        return aq_ctl_usage (USAGE, _("--connection takes KETTLE_NAME=OUR_NAME"));
      g_hash_table_replace (map, g_strndup (opt_connections[i], eq - opt_connections[i]),
                            g_strdup (eq + 1));
    }
  import = aq_ktr_import_file (path, map, &error);
  if (import == NULL)
    return aq_ctl_fail (error);

  for (guint i = 0; i < import->connections->len; i++)
    {
      AqKtrConnection *c = g_ptr_array_index (import->connections, i);

      if (c->mapped)
        g_printerr (_("connection “%s” → “%s”\n"), c->kettle_name, c->name);
      else
        g_printerr (_("connection “%s” (%s%s%s) stays a named connection “%s”: add it to "
                      "meta.connection, its password is not imported\n"), c->kettle_name,
                    c->database, c->url ? ", " : "", c->url ? c->url : "", c->name);
    }
  for (guint i = 0; i < import->notes->len; i++)
    g_printerr ("%s\n", (char *) g_ptr_array_index (import->notes, i));
  for (guint i = 0; i < import->unmapped->len; i++)
    {
      AqKtrUnmapped *u = g_ptr_array_index (import->unmapped, i);

      g_printerr (_("not mapped: step “%s” (%s): %s\n"), u->name, u->type, u->why);
    }
  if (import->unmapped->len > 0 && !opt_partial)
    {
      g_printerr (ngettext ("aqueductctl: %u step cannot be mapped; nothing was written "
                            "(--partial writes the rest)\n",
                            "aqueductctl: %u steps cannot be mapped; nothing was written "
                            "(--partial writes the rest)\n", import->unmapped->len),
                  import->unmapped->len);
      return AQ_CTL_USAGE;
    }

  if (opt_output)
    {
      if (!g_file_set_contents (opt_output, import->json, -1, &error))
        return aq_ctl_fail (error);
      g_printerr (_("Wrote pipeline %s (%u of %u steps) to %s\n"), import->name,
                  import->n_steps - import->unmapped->len, import->n_steps, opt_output);
    }
  else
    g_print ("%s\n", import->json);
  return AQ_CTL_OK;
}

/* ---- public API ---- */

gboolean
aq_ctl_pipeline_store_handles (const char *verb)
{
  return verb && g_strv_contains (verbs, verb);
}

int
aq_ctl_pipeline_store (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (
    "save|versions|show|diff|restore|backfill|graph|import-ktr …");
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];

  if (strcmp (verb, "save") == 0 && argc == 4)
    return pipeline_save (argv[2], argv[3]);
  if (strcmp (verb, "versions") == 0 && argc == 3)
    return pipeline_versions (argv[2]);
  if (strcmp (verb, "show") == 0 && argc == 3)
    return pipeline_show (argv[2]);
  if (strcmp (verb, "diff") == 0 && argc == 5)
    return pipeline_diff (argv[2], argv[3], argv[4]);
  if (strcmp (verb, "restore") == 0 && argc == 4)
    return pipeline_restore (argv[2], argv[3]);
  if (strcmp (verb, "backfill") == 0 && argc == 3)
    return pipeline_backfill (argv[2]);
  if (strcmp (verb, "graph") == 0 && argc == 2)
    return pipeline_graph ();
  if (strcmp (verb, "import-ktr") == 0 && argc == 3)
    return pipeline_import_ktr (argv[2]);
  return aq_ctl_usage (USAGE, _("wrong number of arguments"));
}

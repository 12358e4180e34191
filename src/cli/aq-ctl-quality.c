/* aq-ctl-quality.c — aqueductctl quality list|run|results|history|profile
 *
 * Data-quality rules from the command line; all SQL is in core (src/core/quality/). `run`
 * answers with exit code 1 when a fail-severity rule fails, so a script can use it as a guard
 * ("run the marts only if the dw rules pass"); 2 is bad input, 3 an unreachable warehouse.
 */
#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_(\
  "quality list [--json]\n" \
  "       | quality run [SET|RULE…] [--samples N] [--timeout SECONDS] [--json]\n" \
  "       | quality results [--run N] [--json]\n" \
  "       | quality history RULE [--limit N] [--json]\n" \
  "       | quality profile TABLE [--json]")

static gboolean opt_json;
static gint64 opt_run;
static int opt_limit = 30;
static int opt_samples = AQ_QUALITY_DEFAULT_SAMPLES;
static int opt_timeout = AQ_QUALITY_DEFAULT_TIMEOUT_MS / 1000;
static gboolean opt_per_rule;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "run", 0, 0, G_OPTION_ARG_INT64, &opt_run, N_("The run to show (default: the latest)"), "N" },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("Results to show (30)"), "N" },
  { "samples", 0, 0, G_OPTION_ARG_INT, &opt_samples, N_("Failing rows kept per rule (20)"), "N" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout, N_("Statement timeout (300)"), "SECONDS" },
  { "one-query-per-rule", 0, 0, G_OPTION_ARG_NONE, &opt_per_rule,
    N_("Do not batch column rules into one scan (for comparison)"), NULL },
  { NULL }
};

static void
print_result (const AqQualityResult *r)
{
  g_print (_("%-5s %-48s %10" PRId64 " of %-10" PRId64 " v%d%s%s\n"),
           r->status, r->rule_name, r->failing, r->checked, r->rule_version,
           r->message ? "  " : "", r->message ? r->message : "");
}

static int
print_run (const AqQualityRun *run)
{
  guint counts[4] = { 0 };

  if (opt_json)
    {
      g_autoptr(JsonNode) node = aq_quality_run_to_json (run);

      aq_ctl_print_json (node);
    }
  else
    {
      for (guint i = 0; i < run->results->len; i++)
        {
          const AqQualityResult *r = g_ptr_array_index (run->results, i);

          print_result (r);
          counts[g_str_equal (r->status, "pass") ? 0 : g_str_equal (r->status, "warn") ? 1
                 : g_str_equal (r->status, "fail") ? 2 : 3]++;
        }
      g_print (_("run %" PRId64 " %s: %u passed, %u warned, %u failed, %u errors; "
               "%d statements, %.0f ms\n"), run->run_id, run->status, counts[0], counts[1],
               counts[2], counts[3], run->scans, run->duration_ms);
    }
  return aq_quality_run_has_failure (run) ? AQ_CTL_FAILED : AQ_CTL_OK;
}

/* ---- verbs ---- */

static int
quality_list (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = aq_quality_list_rules (db, &error);

  if (rules == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < rules->len; i++)
        json_array_add_object_element (array,
                                       aq_quality_rule_to_json (g_ptr_array_index (rules, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < rules->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (rules, i);
      g_autofree char *words = aq_quality_rule_explain (r);

      g_print ("%-48s %-15s %-12s %-4s v%d  %s\n", r->name, r->type, r->dimension, r->severity,
               r->version, words);
    }
  return AQ_CTL_OK;
}

static int
quality_run (AqDb               *db,
             const char * const *names)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rules = aq_quality_select_rules (db, names, &error);
  g_autoptr(AqQualityRun) run = NULL;
  g_autofree char *scope = NULL;
  AqQualityOptions options;

  if (rules == NULL)
    return aq_ctl_fail (error);
  if (opt_samples < 0 || opt_timeout <= 0)
    return aq_ctl_usage (USAGE, _("--samples is 0 or more, --timeout a positive number"));
  aq_quality_options_init (&options);
  options.max_samples = opt_samples;
  options.timeout_ms = opt_timeout * 1000;
  options.one_query_per_rule = opt_per_rule;
  scope = names && names[0] ? g_strjoinv (" ", (char **) names) : g_strdup ("all");
  run = aq_quality_run_rules (db, rules, scope, &options, aq_ctl_cancellable (), &error);
  if (run == NULL)
    return aq_ctl_fail (error);
  return print_run (run);
}

static int
quality_results (AqDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqQualityRun) run = aq_quality_load_run (db, opt_run, &error);

  if (run == NULL)
    return aq_ctl_fail (error);
  return print_run (run);
}

static int
quality_history (AqDb       *db,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = NULL;

  if (opt_limit <= 0)
    return aq_ctl_usage (USAGE, _("--limit is a positive number"));
  results = aq_quality_rule_history (db, name, opt_limit, &error);
  if (results == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < results->len; i++)
        json_array_add_element (array,
                                aq_quality_result_to_json (g_ptr_array_index (results, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < results->len; i++)
    {
      const AqQualityResult *r = g_ptr_array_index (results, i);

      g_print (_("run %-6" PRId64 " "), r->run_id);
      print_result (r);
    }
  return AQ_CTL_OK;
}

static int
quality_profile (AqDb       *db,
                 const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) suggestions = NULL;
  g_autoptr(JsonNode) node = aq_quality_profile (db, table, &suggestions, aq_ctl_cancellable (),
                                                 &error);
  JsonArray *columns;

  if (node == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      aq_ctl_print_json (node);
      return AQ_CTL_OK;
    }
  g_print (_("%s: %" PRId64 " rows\n"), table,
           json_object_get_int_member (json_node_get_object (node), "rows"));
  columns = json_object_get_array_member (json_node_get_object (node), "columns");
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonObject *c = json_array_get_object_element (columns, i);
      const char *min = json_object_get_string_member_with_default (c, "min", NULL);
      const char *max = json_object_get_string_member_with_default (c, "max", NULL);
      const char *format = json_object_get_string_member_with_default (c, "format", NULL);

      if (json_object_has_member (c, "note"))
        {
          g_print (_("  %-20s %-28s nulls %5.1f%%  (%s)\n"),
                   json_object_get_string_member (c, "column"),
                   json_object_get_string_member (c, "type"),
                   100 * json_object_get_double_member (c, "null_share"),
                   json_object_get_string_member (c, "note"));
          continue;
        }
      g_print (_("  %-20s %-28s nulls %5.1f%%  distinct %-9" PRId64 " %s … %s%s%s\n"),
               json_object_get_string_member (c, "column"),
               json_object_get_string_member (c, "type"),
               100 * json_object_get_double_member (c, "null_share"),
               json_object_get_int_member (c, "distinct"), min ? min : "-", max ? max : "-",
               format ? _("  format ") : "", format ? format : "");
      for (guint k = 0; k < 2; k++)
        {
          JsonArray *a = json_object_get_array_member (c, k == 0 ? "top_values" : "patterns");
          g_autoptr(GString) line = g_string_new (NULL);

          for (guint v = 0; v < MIN (5, json_array_get_length (a)); v++)
            {
              JsonObject *o = json_array_get_object_element (a, v);

              g_string_append_printf (line, "%s%s (%" PRId64 ")", v ? ", " : "",
                                      json_object_get_string_member (o, "value"),
                                      json_object_get_int_member (o, "count"));
            }
          if (line->len > 0)
            g_print (k == 0 ? _("      top values: %s\n") : _("      patterns: %s\n"), line->str);
        }
    }
  g_print (_("suggested rules:\n"));
  for (guint i = 0; i < suggestions->len; i++)
    {
      AqQualityRule *r = g_ptr_array_index (suggestions, i);

      g_print ("  %s (%s)\n", r->name, r->type);
    }
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_quality (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (USAGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];
  if ((strcmp (verb, "list") == 0 || strcmp (verb, "results") == 0) && argc != 2)
    return aq_ctl_usage (USAGE, NULL);
  if ((strcmp (verb, "history") == 0 || strcmp (verb, "profile") == 0) && argc != 3)
    return aq_ctl_usage (USAGE, NULL);
  if (strcmp (verb, "list") != 0 && strcmp (verb, "run") != 0 && strcmp (verb, "results") != 0
      && strcmp (verb, "history") != 0 && strcmp (verb, "profile") != 0)
    return aq_ctl_usage (USAGE, NULL);

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (strcmp (verb, "list") == 0)
    return quality_list (db);
  if (strcmp (verb, "run") == 0)
    return quality_run (db, (const char * const *) argv + 2);
  if (strcmp (verb, "results") == 0)
    return quality_results (db);
  if (strcmp (verb, "history") == 0)
    return quality_history (db, argv[2]);
  return quality_profile (db, argv[2]);
}

/* aq-ctl-report.c — aqueductctl report list|show|run|catalog
 *
 * The same core calls as the report designer: a definition from meta.report (by name) or a
 * JSON file, parameters as --param name=value, checked and typed by the core so a bad value is
 * named exactly. Output: an aligned table, or --json. Each output is one function below, so
 * another format is one more option and one more branch in report_output().
 */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"
#include "aq-report-period.h"
#include "aq-ctl-report-export.h"

#define USAGE N_("report list [--json] | show NAME [--json] | " \
              "run NAME|FILE [--param NAME=VALUE …] [--xlsx OUT] [--csv OUT] [--json] | " \
              "catalog [--search TEXT] [--json]")

static gboolean opt_json;
static char **opt_params;
static char *opt_search;
static char *opt_xlsx;
static char *opt_csv;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "param", 'p', 0, G_OPTION_ARG_STRING_ARRAY, &opt_params,
    N_("A report parameter (repeatable)"), "NAME=VALUE" },
  { "search", 0, 0, G_OPTION_ARG_STRING, &opt_search,
    N_("Only catalog entries whose name or id contains TEXT"), "TEXT" },
  { "xlsx", 0, 0, G_OPTION_ARG_FILENAME, &opt_xlsx, N_("Write the result as an Excel file"),
    "OUT" },
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv, N_("Write the result as CSV (UTF-8)"), "OUT" },
  { NULL }
};

/* ---- auxiliary methods ---- */

static GHashTable *
parse_params (GError **error)
{
  g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; opt_params && opt_params[i]; i++)
    {
      const char *eq = strchr (opt_params[i], '=');

      if (eq == NULL || eq == opt_params[i])
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("--param “%s”: write it as NAME=VALUE"), opt_params[i]);
          return NULL;
        }
      g_hash_table_insert (params, g_strndup (opt_params[i], eq - opt_params[i]),
                           g_strdup (eq + 1));
    }
  return g_steal_pointer (&params);
}

/* A definition file when the argument names one, else a saved report. */
static AqReportSpec *
load_spec (AqDb        *db,
           const char  *name,
           GError     **error)
{
  if (g_str_has_suffix (name, ".json") || strchr (name, '/')
      || g_file_test (name, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (name);
      return aq_report_spec_new_from_file (file, error);
    }
  return aq_report_store_open (db, name, aq_ctl_cancellable (), error);
}

static void
print_params (AqReportSpec *spec)
{
  GPtrArray *params = aq_report_spec_get_params (spec);

  for (guint i = 0; i < params->len; i++)
    {
      AqReportParam *p = g_ptr_array_index (params, i);

      g_print (_("  --param %s=…   %s (%s%s%s)\n"), p->name, p->label,
               aq_report_param_type_to_string (p->type),
               p->default_value ? _(", default ") : _(", required"),
               p->default_value ? (*p->default_value ? p->default_value : _("all")) : "");
    }
}

/* ---- subcommands ---- */

static int
report_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  g_autoptr(GPtrArray) list = NULL;

  if (db == NULL)
    return aq_ctl_fail (error);
  list = aq_report_store_list (db, aq_ctl_cancellable (), &error);
  if (list == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_array (json_node_alloc (), json_array_new ());
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < list->len; i++)
        {
          AqReportInfo *info = g_ptr_array_index (list, i);
          JsonObject *o = json_object_new ();
          g_autofree char *updated = info->updated_at ? g_date_time_format_iso8601 (info->updated_at)
                                                      : NULL;

          json_object_set_string_member (o, "name", info->name);
          json_object_set_string_member (o, "title", info->title);
          json_object_set_string_member (o, "description", info->description);
          json_object_set_string_member (o, "kind", info->kind);
          json_object_set_string_member (o, "author", info->author);
          json_object_set_int_member (o, "version", info->version);
          json_object_set_boolean_member (o, "standard", info->standard);
          json_object_set_string_member (o, "updated_at", updated);
          json_array_add_object_element (array, o);
        }
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < list->len; i++)
    {
      AqReportInfo *info = g_ptr_array_index (list, i);

      g_print ("%-22s %-5s v%-3d %-9s %s\n", info->name, info->kind, info->version,
               info->standard ? C_("report author", "standard") : info->author, info->title);
    }
  return AQ_CTL_OK;
}

static int
report_show (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  g_autoptr(AqReportSpec) spec = NULL;

  if (db == NULL)
    return aq_ctl_fail (error);
  spec = load_spec (db, name, &error);
  if (spec == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_report_spec_to_json (spec);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  g_print ("%s — %s\n", aq_report_spec_get_name (spec), aq_report_spec_get_title (spec));
  if (*aq_report_spec_get_description (spec))
    g_print ("%s\n", aq_report_spec_get_description (spec));
  g_print (_("%s, version %d by %s\n"),
           aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST ? C_("report kind", "list")
                                                                 : C_("report kind", "pivot"),
           aq_report_spec_get_version (spec), aq_report_spec_get_author (spec));
  for (guint z = 0; z < AQ_REPORT_N_ZONES; z++)
    {
      guint n = aq_report_spec_get_n_fields (spec, z);
      if (n == 0)
        continue;
      g_print ("%-8s", aq_report_zone_to_string (z));
      for (guint i = 0; i < n; i++)
        {
          const AqReportField *f = aq_report_spec_get_field (spec, z, i);
          g_print (" %s%s%s", f->id, f->calc ? ":" : "",
                   f->calc ? aq_report_calc_to_string (f->calc) : "");
        }
      g_print ("\n");
    }
  if (aq_report_spec_get_params (spec)->len)
    {
      g_print (_("parameters:\n"));
      print_params (spec);
    }
  return AQ_CTL_OK;
}

static int
report_output (AqReportResult *result)
{
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_report_result_to_json (result);
      aq_ctl_print_json (root);
    }
  else
    {
      g_autofree char *text = aq_report_result_to_text (result);
      g_print ("%s", text);
    }
  return AQ_CTL_OK;
}

static int
report_run (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = parse_params (&error);
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(AqReportResult) result = NULL;

  if (params == NULL)
    return aq_ctl_fail (error);
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  spec = load_spec (db, name, &error);
  if (spec == NULL)
    return aq_ctl_fail (error);
  catalog = aq_catalog_load (db, aq_ctl_cancellable (), &error);
  if (catalog == NULL)
    return aq_ctl_fail (error);
  if (opt_xlsx || opt_csv)
    return aq_ctl_report_export (db, catalog, spec, params, opt_xlsx, opt_csv, opt_json);
  result = aq_report_run (db, catalog, spec, params, aq_ctl_cancellable (), &error);
  if (result == NULL)
    return aq_ctl_fail (error);
  /* months without data are said on stderr, so stdout (and --json) stays the result */
  if (aq_report_result_get_period_note (result))
    g_printerr ("%s\n", aq_report_result_get_period_note (result));
  return report_output (result);
}

static int
report_catalog (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  g_autoptr(AqCatalog) catalog = NULL;
  g_autoptr(GListModel) inds = NULL;
  g_autoptr(GListModel) dims = NULL;

  if (db == NULL)
    return aq_ctl_fail (error);
  catalog = aq_catalog_load (db, aq_ctl_cancellable (), &error);
  if (catalog == NULL)
    return aq_ctl_fail (error);
  if (opt_json && opt_search == NULL)
    {
      g_autoptr(JsonNode) root = aq_catalog_to_json (catalog);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  inds = aq_catalog_search_indicators (catalog, opt_search);
  dims = aq_catalog_search_dimensions (catalog, opt_search);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_catalog_to_json (catalog);
      JsonObject *o = json_node_get_object (root);
      JsonArray *fi = json_array_new (), *fd = json_array_new ();
      JsonArray *ai = json_object_get_array_member (o, "indicators");
      JsonArray *ad = json_object_get_array_member (o, "dimensions");

      for (guint i = 0; i < json_array_get_length (ai); i++)
        {
          JsonObject *e = json_array_get_object_element (ai, i);
          const char *id = json_object_get_string_member (e, "id");
          if (aq_indicator_matches (aq_catalog_lookup_indicator (catalog, id), opt_search))
            json_array_add_object_element (fi, json_object_ref (e));
        }
      for (guint i = 0; i < json_array_get_length (ad); i++)
        {
          JsonObject *e = json_array_get_object_element (ad, i);
          const char *id = json_object_get_string_member (e, "id");
          if (aq_dimension_matches (aq_catalog_lookup_dimension (catalog, id), opt_search))
            json_array_add_object_element (fd, json_object_ref (e));
        }
      json_object_set_array_member (o, "indicators", fi);
      json_object_set_array_member (o, "dimensions", fd);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  g_print (_("Indicators\n"));
  for (guint i = 0; i < g_list_model_get_n_items (inds); i++)
    {
      g_autoptr(AqIndicator) ind = g_list_model_get_item (inds, i);
      g_print ("  %-24s %-8s %-14s %s (%s)\n", aq_indicator_get_id (ind),
               aq_aggregation_to_string (aq_indicator_get_aggregation (ind)),
               aq_indicator_get_category (ind), aq_indicator_get_name (ind),
               aq_indicator_get_unit (ind));
    }
  g_print (_("Dimensions\n"));
  for (guint i = 0; i < g_list_model_get_n_items (dims); i++)
    {
      g_autoptr(AqDimension) dim = g_list_model_get_item (dims, i);
      g_print ("  %-24s %-9s %s\n", aq_dimension_get_id (dim),
               aq_dimension_kind_to_string (aq_dimension_get_kind (dim)),
               aq_dimension_get_name (dim));
    }
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_report (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];
  if (strcmp (verb, "list") == 0 && argc == 2)
    return report_list ();
  if (strcmp (verb, "show") == 0 && argc == 3)
    return report_show (argv[2]);
  if (strcmp (verb, "run") == 0 && argc == 3)
    return report_run (argv[2]);
  if (strcmp (verb, "catalog") == 0 && argc == 2)
    return report_catalog ();
  return aq_ctl_usage (USAGE, NULL);
}

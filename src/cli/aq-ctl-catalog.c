/* aq-ctl-catalog.c — aqueductctl catalog search|show|lineage|lint|rebuild
 *
 * The data catalog from the command line: the same core calls as the panel. The catalog is
 * rebuilt first whenever its definitions or the warehouse's tables changed since the last
 * build (aq_datasets_ensure_built), so answers never describe an older warehouse.
 * Exit codes: 0 ok (lint: clean), 1 lint found violations, 2 bad input, 3 unreachable.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("catalog search TEXT [--json] | show TABLE|indicator:ID [--json] | " \
              "lineage TABLE[.COLUMN]|indicator:ID [--up|--down] [--depth N] [--json] | " \
              "lint [--json] | rebuild [--json] | " \
              "set TABLE [--subject S] [--category A/B] [--owner O] [--steward S] | " \
              "describe TABLE[.COLUMN] TEXT [--lang zh_CN]")

static gboolean opt_json;
static gboolean opt_up;
static gboolean opt_down;
static int opt_depth;
static int opt_limit = 20;
static char *opt_subject;
static char *opt_category;
static char *opt_owner;
static char *opt_steward;
static char *opt_lang;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "up", 0, 0, G_OPTION_ARG_NONE, &opt_up, N_("Lineage: where it comes from"), NULL },
  { "down", 0, 0, G_OPTION_ARG_NONE, &opt_down, N_("Lineage: what reads it (impact of a change)"),
    NULL },
  { "depth", 0, 0, G_OPTION_ARG_INT, &opt_depth, N_("Lineage: at most N steps (0: all)"), "N" },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("Search: at most N hits"), "N" },
  { "subject", 0, 0, G_OPTION_ARG_STRING, &opt_subject, N_("Set: the subject area"), "CODE" },
  { "category", 0, 0, G_OPTION_ARG_STRING, &opt_category, N_("Set: the category path"), "A/B" },
  { "owner", 0, 0, G_OPTION_ARG_STRING, &opt_owner, N_("Set: the owner"), "WHO" },
  { "steward", 0, 0, G_OPTION_ARG_STRING, &opt_steward, N_("Set: the data steward"), "WHO" },
  { "lang", 0, 0, G_OPTION_ARG_STRING, &opt_lang, N_("Describe: the language (default en)"),
    "LANG" },
  { NULL }
};

/* ---- auxiliary methods ---- */

static AqDb *
open_catalog (int *exit_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);

  if (db == NULL || !aq_datasets_ensure_built (db, NULL, aq_ctl_cancellable (), &error))
    {
      *exit_code = aq_ctl_fail (error);
      return NULL;
    }
  return g_steal_pointer (&db);
}

/* ---- subcommands ---- */

static int
catalog_search (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(AqDb) db = NULL;
  int code = AQ_CTL_OK;

  db = open_catalog (&code);
  if (db == NULL)
    return code;
  hits = aq_datasets_search (db, text, MAX (opt_limit, 1), aq_ctl_cancellable (), &error);
  if (hits == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_array (json_node_alloc (), json_array_new ());

      for (guint i = 0; i < hits->len; i++)
        {
          AqDatasetHit *hit = g_ptr_array_index (hits, i);
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "kind", hit->kind);
          json_object_set_string_member (o, "key", hit->key);
          json_object_set_string_member (o, "title", hit->title);
          json_object_set_string_member (o, "detail", hit->detail);
          json_object_set_string_member (o, "layer", hit->layer);
          json_object_set_int_member (o, "rank", hit->rank);
          json_array_add_object_element (json_node_get_array (root), o);
        }
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  for (guint i = 0; i < hits->len; i++)
    {
      AqDatasetHit *hit = g_ptr_array_index (hits, i);

      g_print ("%-9s %-45s %s\n", hit->kind, hit->key, hit->detail);
    }
  if (hits->len == 0)
    g_print (_("Nothing in the catalog matches “%s”.\n"), text);
  return AQ_CTL_OK;
}

static char *
format_size (gint64 bytes)
{
  return g_format_size ((guint64) MAX (bytes, 0));
}

static int
catalog_show (const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqDatasetTable) table = NULL;
  g_autofree char *size = NULL;
  g_autofree char *loaded = NULL;
  int code = AQ_CTL_OK;

  db = open_catalog (&code);
  if (db == NULL)
    return code;

  if (g_str_has_prefix (key, "indicator:"))
    {
      g_autoptr(JsonNode) node = aq_datasets_load_indicator (db, key, aq_ctl_cancellable (),
                                                             &error);
      JsonObject *o;

      if (node == NULL)
        return g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND)
               ? aq_ctl_usage (USAGE, error->message) : aq_ctl_fail (error);
      if (opt_json)
        {
          aq_ctl_print_json (node);
          return AQ_CTL_OK;
        }
      o = json_node_get_object (node);
      g_print ("%s — %s · %s\n", json_object_get_string_member (o, "id"),
               json_object_get_string_member (o, "name_en"),
               json_object_get_string_member (o, "name_zh"));
      g_print (_("  category    %s\n  definition  %s\n  formula     %s\n  grain       %s\n"),
               json_object_get_string_member (o, "category"),
               json_object_get_string_member (o, "definition"),
               json_object_get_string_member (o, "formula"),
               json_object_get_string_member (o, "grain"));
      for (const char *const *m = (const char *const[]) { "dimensions", "reads", "shown_by", NULL };
           *m; m++)
        {
          JsonArray *array = json_object_get_array_member (o, *m);

          g_print ("  %-11s", *m[0] == 'd' ? _("dimensions") : *m[0] == 'r' ? _("reads")
                                                                    : _("shown by"));
          for (guint i = 0; i < json_array_get_length (array); i++)
            g_print (" %s", json_array_get_string_element (array, i));
          g_print ("\n");
        }
      return AQ_CTL_OK;
    }

  table = aq_datasets_load_table (db, key, aq_ctl_cancellable (), &error);
  if (table == NULL)
    return g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND)
           || g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID)
           ? aq_ctl_usage (USAGE, error->message) : aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) node = aq_dataset_table_to_json (table);

      aq_ctl_print_json (node);
      return AQ_CTL_OK;
    }
  size = format_size (table->size_bytes);
  loaded = table->last_loaded_at ? g_date_time_format_iso8601 (table->last_loaded_at)
                                 : g_strdup (_("never"));
  g_print ("%s (%s · %s%s%s)\n  %s\n", table->key, table->layer, table->subject_name,
           *table->category ? " · " : "", table->category, table->description);
  g_print (_("  owner %s · steward %s\n"), *table->owner ? table->owner : "—",
           *table->steward ? table->steward : "—");
  g_print (_("  ≈ %" PRId64 " rows, %s; loaded by %s, run %" PRId64
           " at %s%s\n"), MAX (table->row_estimate, 0), size,
           table->written_by ? table->written_by : "—", table->last_run_id, loaded,
           table->late ? _(" — LATE against its SLA") : "");
  if (table->quality_rules > 0)
    {
      g_print (ngettext ("  quality %.1f over %u rule", "  quality %.1f over %u rules",
                         table->quality_rules),
               table->quality_score, table->quality_rules);
      for (guint i = 0; i < table->quality_failing->len; i++)
        {
          AqDatasetQualityRule *rule = g_ptr_array_index (table->quality_failing, i);

          g_print (_("%s %s %s (%" PRId64 " rows)"), i ? "," : _("; failing:"),
                   rule->rule_name, rule->status, rule->failing);
        }
      g_print ("\n");
    }
  else
    g_print (_("  quality: no rule has checked it yet\n"));
  g_print ("\n");
  for (guint i = 0; i < table->columns->len; i++)
    {
      AqDatasetColumn *c = g_ptr_array_index (table->columns, i);
      g_autofree char *samples = c->samples ? g_strjoinv (", ", c->samples) : g_strdup ("");

      g_print ("  %-22s %-24s %s%s%s%s\n", c->name, c->type, c->description,
               c->personal_data ? _(" [personal: ") : "", c->personal_data ? c->personal_data : "",
               c->personal_data ? "]" : "");
      if (*samples)
        g_print (_("  %-22s e.g. %s\n"), "", samples);
    }
  g_print (_("\n  used by:"));
  for (guint i = 0; i < table->used_by->len; i++)
    g_print ("%s %s", i ? "," : "", (char *) g_ptr_array_index (table->used_by, i));
  g_print ("\n");
  return AQ_CTL_OK;
}

static void
lineage_hits (JsonArray          *array,
              GPtrArray          *hits,
              AqLineageDirection  direction)
{
  for (guint i = 0; i < hits->len; i++)
    {
      AqLineageHit *hit = g_ptr_array_index (hits, i);
      AqLineageNode *other = direction == AQ_LINEAGE_UPSTREAM ? hit->edge->to : hit->edge->from;

      if (array != NULL)
        {
          JsonObject *o = json_object_new ();

          json_object_set_string_member (o, "id", hit->node->id);
          json_object_set_string_member (o, "layer", hit->node->layer);
          json_object_set_string_member (o, "direction",
                                         direction == AQ_LINEAGE_UPSTREAM ? "up" : "down");
          json_object_set_int_member (o, "depth", hit->depth);
          json_object_set_string_member (o, direction == AQ_LINEAGE_UPSTREAM ? "feeds" : "reads",
                                         other->id);
          json_object_set_string_member (o, "via_kind", hit->edge->via_kind);
          json_object_set_string_member (o, "via_name", hit->edge->via_name);
          json_object_set_string_member (o, "via_step", hit->edge->via_step);
          json_array_add_object_element (array, o);
        }
      else
        g_print ("%*s%s %-*s %s %s%s%s\n", 2 * (int) hit->depth, "",
                 direction == AQ_LINEAGE_UPSTREAM ? "←" : "→",
                 MAX (8, 50 - 2 * (int) hit->depth), hit->node->id,
                 hit->edge->via_kind, hit->edge->via_name,
                 *hit->edge->via_step ? ", step " : "", hit->edge->via_step);
    }
}

static int
catalog_lineage (const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqLineage) lineage = NULL;
  g_autoptr(GPtrArray) up = NULL;
  g_autoptr(GPtrArray) down = NULL;
  gboolean both = !opt_up && !opt_down;
  int code = AQ_CTL_OK;

  if (opt_depth < 0)
    return aq_ctl_usage (USAGE, _("--depth: a number of steps, 0 for all"));
  db = open_catalog (&code);
  if (db == NULL)
    return code;
  lineage = aq_datasets_load_lineage (db, aq_ctl_cancellable (), &error);
  if (lineage == NULL)
    return aq_ctl_fail (error);
  if (aq_lineage_lookup (lineage, id) == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is in no lineage: name a table "
                                                  "(dw.fact_bill), a column "
                                                  "(dw.fact_bill.amount), indicator:ID or "
                                                  "report:NAME"), id);

      return aq_ctl_usage (USAGE, message);
    }
  if (opt_up || both)
    up = aq_lineage_walk (lineage, id, AQ_LINEAGE_UPSTREAM, opt_depth);
  if (opt_down || both)
    down = aq_lineage_walk (lineage, id, AQ_LINEAGE_DOWNSTREAM, opt_depth);

  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), json_object_new ());
      JsonObject *o = json_node_get_object (root);
      JsonArray *nodes = json_array_new ();

      json_object_set_string_member (o, "node", id);
      json_object_set_string_member (o, "direction", both ? "both" : opt_up ? "up" : "down");
      json_object_set_int_member (o, "depth", opt_depth);
      if (up)
        lineage_hits (nodes, up, AQ_LINEAGE_UPSTREAM);
      if (down)
        lineage_hits (nodes, down, AQ_LINEAGE_DOWNSTREAM);
      json_object_set_array_member (o, "nodes", nodes);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  g_print ("%s\n", id);
  if (up)
    lineage_hits (NULL, up, AQ_LINEAGE_UPSTREAM);
  if (down)
    lineage_hits (NULL, down, AQ_LINEAGE_DOWNSTREAM);
  return AQ_CTL_OK;
}

static int
catalog_lint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) naming = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GPtrArray) layers = NULL;
  g_autoptr(AqLineage) lineage = NULL;
  guint failures = 0;
  guint excepted = 0;
  int code = AQ_CTL_OK;

  db = open_catalog (&code);
  if (db == NULL)
    return code;
  naming = aq_naming_lint (db, NULL, aq_ctl_cancellable (), &error);
  if (naming == NULL)
    return aq_ctl_fail (error);
  problems = aq_datasets_load_problems (db, &error);
  if (problems == NULL)
    return aq_ctl_fail (error);
  lineage = aq_datasets_load_lineage (db, aq_ctl_cancellable (), &error);
  if (lineage == NULL)
    return aq_ctl_fail (error);
  layers = aq_lineage_check_layers (lineage);

  for (guint i = 0; i < naming->len; i++)
    {
      AqNamingViolation *v = g_ptr_array_index (naming, i);

      if (v->exception)
        excepted++;
      else
        failures++;
    }
  failures += problems->len + layers->len;

  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), json_object_new ());
      JsonObject *o = json_node_get_object (root);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < naming->len; i++)
        {
          AqNamingViolation *v = g_ptr_array_index (naming, i);
          JsonObject *n = json_object_new ();

          json_object_set_string_member (n, "object", v->object);
          json_object_set_string_member (n, "rule", v->rule);
          json_object_set_string_member (n, "message", v->message);
          json_object_set_string_member (n, "suggestion", v->suggestion);
          json_object_set_string_member (n, "exception", v->exception);
          json_array_add_object_element (array, n);
        }
      json_object_set_array_member (o, "naming", array);
      array = json_array_new ();
      for (guint i = 0; i < problems->len; i++)
        json_array_add_string_element (array, g_ptr_array_index (problems, i));
      json_object_set_array_member (o, "lineage", array);
      array = json_array_new ();
      for (guint i = 0; i < layers->len; i++)
        {
          AqLayerViolation *v = g_ptr_array_index (layers, i);
          JsonObject *n = json_object_new ();

          json_object_set_string_member (n, "rule", v->rule);
          json_object_set_string_member (n, "from", v->from);
          json_object_set_string_member (n, "to", v->to);
          json_object_set_string_member (n, "via", v->via);
          json_object_set_string_member (n, "message", v->message);
          json_array_add_object_element (array, n);
        }
      json_object_set_array_member (o, "layers", array);
      json_object_set_int_member (o, "failures", failures);
      json_object_set_int_member (o, "excepted", excepted);
      aq_ctl_print_json (root);
      return failures ? AQ_CTL_FAILED : AQ_CTL_OK;
    }

  for (guint i = 0; i < naming->len; i++)
    {
      AqNamingViolation *v = g_ptr_array_index (naming, i);

      g_print ("%s %-16s %s%s%s%s%s\n", v->exception ? _("excepted") : _("naming  "), v->rule,
               v->message, v->suggestion ? " → " : "", v->suggestion ? v->suggestion : "",
               v->exception ? " — " : "", v->exception ? v->exception : "");
    }
  for (guint i = 0; i < problems->len; i++)
    g_print (_("lineage  %s\n"), (char *) g_ptr_array_index (problems, i));
  for (guint i = 0; i < layers->len; i++)
    g_print (_("layers   %s\n"), ((AqLayerViolation *) g_ptr_array_index (layers, i))->message);
  g_print (ngettext ("%u violation, ", "%u violations, ", failures), failures);
  g_print (ngettext ("%u declared exception\n", "%u declared exceptions\n", excepted), excepted);
  return failures ? AQ_CTL_FAILED : AQ_CTL_OK;
}

static int
catalog_rebuild (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  AqDatasetsBuild build = { 0 };

  if (db == NULL)
    return aq_ctl_fail (error);
  if (!aq_datasets_rebuild (db, NULL, &build, aq_ctl_cancellable (), &error))
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), json_object_new ());
      JsonObject *o = json_node_get_object (root);

      json_object_set_int_member (o, "tables", build.tables);
      json_object_set_int_member (o, "columns", build.columns);
      json_object_set_int_member (o, "edges", build.edges);
      json_object_set_int_member (o, "problems", build.problems);
      json_object_set_double_member (o, "duration_ms", build.duration_ms);
      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }
  g_print (_("catalog rebuilt: %u tables, %u columns, %u lineage edges, %u problems in %.0f ms\n"),
           build.tables, build.columns, build.edges, build.problems, build.duration_ms);
  return AQ_CTL_OK;
}

static int
catalog_set (const char *table)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  int code = AQ_CTL_OK;

  if (!opt_subject && !opt_category && !opt_owner && !opt_steward)
    return aq_ctl_usage (USAGE, _("set what? --subject, --category, --owner or --steward"));
  db = open_catalog (&code);
  if (db == NULL)
    return code;
  if (!aq_datasets_set_table_info (db, table, opt_subject, opt_category, opt_owner, opt_steward,
                                   &error))
    return g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND)
           || g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID)
           ? aq_ctl_usage (USAGE, error->message) : aq_ctl_fail (error);
  g_print (_("%s updated\n"), table);
  return AQ_CTL_OK;
}

static int
catalog_describe (const char *object,
                  const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  const char *first = strchr (object, '.');
  const char *second = first ? strchr (first + 1, '.') : NULL;
  g_autofree char *table = second ? g_strndup (object, second - object) : g_strdup (object);
  int code = AQ_CTL_OK;

  db = open_catalog (&code);
  if (db == NULL)
    return code;
  if (!aq_datasets_set_description (db, table, second ? second + 1 : NULL,
                                    opt_lang ? opt_lang : "en", text, &error))
    return g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID)
           ? aq_ctl_usage (USAGE, error->message) : aq_ctl_fail (error);
  g_print (_("%s described\n"), object);
  return AQ_CTL_OK;
}

int
aq_ctl_catalog (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  int exit_code;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &exit_code))
    return exit_code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, _("which catalog command?"));
  if (opt_up && opt_down)
    return aq_ctl_usage (USAGE, _("--up or --down, not both (neither: both directions)"));

  if (g_str_equal (argv[1], "search") && argc == 3)
    return catalog_search (argv[2]);
  if (g_str_equal (argv[1], "show") && argc == 3)
    return catalog_show (argv[2]);
  if (g_str_equal (argv[1], "lineage") && argc == 3)
    return catalog_lineage (argv[2]);
  if (g_str_equal (argv[1], "lint") && argc == 2)
    return catalog_lint ();
  if (g_str_equal (argv[1], "rebuild") && argc == 2)
    return catalog_rebuild ();
  if (g_str_equal (argv[1], "set") && argc == 3)
    return catalog_set (argv[2]);
  if (g_str_equal (argv[1], "describe") && argc == 4)
    return catalog_describe (argv[2], argv[3]);
  return aq_ctl_usage (USAGE, _("unknown catalog command or wrong number of arguments"));
}

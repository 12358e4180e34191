/* aq-ctl-outage.c — aqueductctl outage analyze|create|list|restore|cancel
 *
 * The same core calls as the map panel. A bad area (not GeoJSON, an open ring, a ring that
 * crosses itself) is bad input: exit 2 with the message that names the place, and no count.
 */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-ctl.h"

#define USAGE N_("outage analyze (--geojson FILE | --zone CODE | --community CODE) [--csv OUT] " \
              "[--json] | create --kind planned|emergency --reason TEXT --start TIME " \
              "--end TIME (--geojson FILE | --zone CODE | --community CODE) [--by NAME] " \
              "[--json] | list [--status S] [--json] | restore ID | cancel ID | activate ID | " \
              "prepare")

static char *opt_geojson;
static char *opt_zone;
static char *opt_community;
static char *opt_csv;
static char *opt_kind;
static char *opt_reason;
static char *opt_start;
static char *opt_end;
static char *opt_status;
static char *opt_by;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "geojson", 0, 0, G_OPTION_ARG_FILENAME, &opt_geojson, N_("The area as a GeoJSON file"),
    "FILE" },
  { "zone", 0, 0, G_OPTION_ARG_STRING, &opt_zone, N_("A DMA zone (any level) as the area"),
    "CODE" },
  { "community", 0, 0, G_OPTION_ARG_STRING, &opt_community, N_("A community as the area"), "CODE" },
  { "csv", 0, 0, G_OPTION_ARG_FILENAME, &opt_csv, N_("Write the affected accounts here"), "OUT" },
  { "kind", 0, 0, G_OPTION_ARG_STRING, &opt_kind, N_("planned or emergency"), "KIND" },
  { "reason", 0, 0, G_OPTION_ARG_STRING, &opt_reason, N_("Why the water is off"), "TEXT" },
  { "start", 0, 0, G_OPTION_ARG_STRING, &opt_start, N_("Start, e.g. 2026-12-01T08:00"), "TIME" },
  { "end", 0, 0, G_OPTION_ARG_STRING, &opt_end, N_("Expected end"), "TIME" },
  { "status", 0, 0, G_OPTION_ARG_STRING, &opt_status, N_("planned, active, restored, cancelled"),
    "S" },
  { "by", 0, 0, G_OPTION_ARG_STRING, &opt_by, N_("Who creates the outage"), "NAME" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { NULL }
};

/* ---- auxiliary methods ---- */

/* Area errors are the input's fault: exit 2 like any other bad input. */
static int
fail (GError *error)
{
  if (error->domain == AQ_GEOJSON_ERROR)
    {
      g_printerr ("aqueductctl: %s\n", error->message);
      return AQ_CTL_USAGE;
    }
  return aq_ctl_fail (error);
}

static GDateTime *
parse_time (const char  *field,
            const char  *text,
            GError     **error)
{
  g_autofree char *iso = g_strdup (text ? text : "");
  g_autoptr(GTimeZone) local = aq_clock_zone ();
  GDateTime *time;

  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  time = g_date_time_new_from_iso8601 (iso, local);
  if (time == NULL && strlen (iso) == 16)
    {
      g_autofree char *with_seconds = g_strconcat (iso, ":00", NULL);

      time = g_date_time_new_from_iso8601 (with_seconds, local);
    }
  if (time == NULL)
    g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                 _("%s: “%s” is not a time; write 2026-12-01T08:00 (local) or with an offset"),
                 field, text ? text : "");
  return time;
}

static AqGeometry *
read_area (AqDb    *db,
           GError **error)
{
  guint given = (opt_geojson != NULL) + (opt_zone != NULL) + (opt_community != NULL);
  g_autofree char *text = NULL;

  if (given != 1)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("give exactly one of --geojson, --zone, --community"));
      return NULL;
    }
  if (opt_zone)
    return aq_outage_area_for_zone (db, opt_zone, error);
  if (opt_community)
    return aq_outage_area_for_community (db, opt_community, error);
  if (!g_file_get_contents (opt_geojson, &text, NULL, error))
    {
      (*error)->domain = AQ_ERROR;
      (*error)->code = AQ_ERROR_INVALID;
      return NULL;
    }
  return aq_geometry_new_from_geojson (text, error);
}

static void
print_area (AqOutageArea *area)
{
  g_print (_("Accounts affected   %" PRId64 "\n"), area->accounts);
  g_print (_("  key (重点用户)      %" PRId64 "\n"), area->key_accounts);
  g_print (_("  community (小区用户) %" PRId64 "\n"), area->community_accounts);
  g_print (_("  scattered (散户)    %" PRId64 "\n"), area->scattered_accounts);
  g_print (_("Reachable           %" PRId64 " (SMS %" PRId64 ", WeChat %"
           PRId64 ")\n"), area->reachable, area->reachable_sms, area->reachable_wechat);
  g_print (_("Unreachable         %" PRId64 "\n"), area->accounts - area->reachable);
  g_print (_("A notice sends      %" PRId64 " SMS, %" PRId64 " WeChat\n"),
           area->sms_recipients, area->wechat_recipients);
  if (area->key_customers->len > 0)
    {
      g_print (_("\nKey customers\n"));
      for (guint i = 0; i < area->key_customers->len; i++)
        {
          AqAreaKeyCustomer *k = g_ptr_array_index (area->key_customers, i);

          g_print ("  %-16s %-12s %s%s\n", k->kind, k->account_id, k->name,
                   k->reachable ? "" : _("  (unreachable)"));
        }
    }
  if (area->communities->len > 0)
    {
      g_print (_("\nCommunities (%u; %" PRId64 " need a posted notice or a call)\n"),
               area->communities->len, area->notice_communities);
      for (guint i = 0; i < area->communities->len; i++)
        {
          AqAreaCommunity *c = g_ptr_array_index (area->communities, i);

          g_print (_("  %-10s %-16s %5" PRId64 "/%-5" PRId64
                   " reachable %5" PRId64 " %s%s%s\n"),
                   c->community_code, c->name, c->accounts, c->accounts_total, c->reachable,
                   c->inside ? _("inside") : _("cut"),
                   c->needs_notice ? _("  NOTICE: ") : "",
                   c->needs_notice ? (c->property_phone ? c->property_phone : _("post a notice"))
                                   : "");
        }
    }
}

static void
print_outage (AqOutage *o)
{
  g_autofree char *start = aq_template_format_time (o->start_time);
  g_autofree char *end = aq_template_format_time (o->expected_end);

  g_print (_("%-6" PRId64 " %-9s %-9s %s → %s  %6" PRId64 " accounts  %s\n"),
           o->outage_id, o->kind, o->status, start, end, o->accounts, o->reason);
}

/* ---- verbs ---- */

static int
outage_analyze (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqGeometry) geometry = NULL;
  g_autoptr(AqOutageArea) area = NULL;

  /* a file that is not an area is bad input whether or not the warehouse is up */
  if (opt_geojson)
    {
      geometry = read_area (NULL, &error);
      if (geometry == NULL)
        return fail (error);
    }
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (geometry == NULL && (geometry = read_area (db, &error)) == NULL)
    return fail (error);
  area = aq_outage_area_analyze (db, geometry, aq_ctl_cancellable (), &error);
  if (area == NULL)
    return fail (error);
  if (opt_csv)
    {
      g_autoptr(GFile) file = g_file_new_for_path (opt_csv);
      g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                         NULL, &error);

      if (out == NULL
          || !aq_outage_area_write_csv (db, geometry, G_OUTPUT_STREAM (out),
                                        aq_ctl_cancellable (), &error)
          || !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
        return fail (error);
    }
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_outage_area_to_json (area);

      aq_ctl_print_json (root);
    }
  else
    print_area (area);
  return AQ_CTL_OK;
}

static int
outage_create (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqGeometry) geometry = NULL;
  g_autoptr(GDateTime) start = NULL, end = NULL;
  g_autoptr(AqOutage) outage = NULL;
  AqOutageSpec spec = { 0 };
  gint64 id;

  if (opt_kind == NULL || opt_reason == NULL || opt_start == NULL || opt_end == NULL)
    return aq_ctl_usage (USAGE, _("create needs --kind, --reason, --start and --end"));
  if ((start = parse_time ("--start", opt_start, &error)) == NULL
      || (end = parse_time ("--end", opt_end, &error)) == NULL)
    return fail (error);
  if (opt_geojson && (geometry = read_area (NULL, &error)) == NULL)
    return fail (error);
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (geometry == NULL && (geometry = read_area (db, &error)) == NULL)
    return fail (error);

  spec.kind = opt_kind;
  spec.reason = opt_reason;
  spec.start_time = start;
  spec.expected_end = end;
  spec.geometry = geometry;
  spec.created_by = opt_by;
  id = aq_outage_create (db, &spec, &error);
  if (id == 0)
    return fail (error);
  outage = aq_outage_get (db, id, &error);
  if (outage == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_outage_to_json (outage);

      aq_ctl_print_json (root);
    }
  else
    {
      g_print (_("outage %" PRId64 " created\n"), id);
      print_outage (outage);
    }
  return AQ_CTL_OK;
}

static int
outage_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  g_autoptr(GPtrArray) list = NULL;

  if (db == NULL)
    return aq_ctl_fail (error);
  list = aq_outage_list (db, opt_status, &error);
  if (list == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        {
          JsonNode *node = aq_outage_to_json (g_ptr_array_index (list, i));

          /* the list is for scripts and tables: the polygons are in `outage get` */
          json_object_remove_member (json_node_get_object (node), "geometry");
          json_array_add_element (array, node);
        }
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
    }
  else
    for (guint i = 0; i < list->len; i++)
      print_outage (g_ptr_array_index (list, i));
  return AQ_CTL_OK;
}

static int
outage_transition (const char *verb,
                   const char *id_text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  char *end = NULL;
  gint64 id = g_ascii_strtoll (id_text, &end, 10);
  gint64 withdrawn = 0, sent = 0;
  gboolean ok;

  if (id <= 0 || *end != '\0')
    return aq_ctl_usage (USAGE, _("an outage id is a positive number"));
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (strcmp (verb, "restore") == 0)
    ok = aq_outage_mark_restored (db, id, NULL, &error);
  else if (strcmp (verb, "cancel") == 0)
    ok = aq_outage_cancel_counted (db, id, &withdrawn, &sent, &error);
  else
    ok = aq_outage_activate (db, id, &error);
  if (!ok)
    return fail (error);
  if (!(opt_json && strcmp (verb, "cancel") == 0))
    g_print (strcmp (verb, "restore") == 0 ? _("outage %" PRId64 " restored\n")
             : strcmp (verb, "cancel") == 0 ? _("outage %" PRId64 " cancelled\n")
             : _("outage %" PRId64 " active\n"), id);
  /* its notices followed it: say what will not go out and what already did */
  if (strcmp (verb, "cancel") == 0)
    aq_ctl_print_withdrawn ("outage_id", id, withdrawn, sent, opt_json);
  return AQ_CTL_OK;
}

/* After the nightly loads, so the first dispatcher of the day does not wait for the rebuild. */
static int
outage_prepare (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  gint64 start = g_get_monotonic_time ();

  if (db == NULL)
    return aq_ctl_fail (error);
  if (!aq_outage_area_prepare (db, &error))
    return aq_ctl_fail (error);
  g_print (_("outage areas ready (%.1f s)\n"), (g_get_monotonic_time () - start) / 1e6);
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_outage (int    argc,
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
  if (strcmp (verb, "analyze") == 0 && argc == 2)
    return outage_analyze ();
  if (strcmp (verb, "create") == 0 && argc == 2)
    return outage_create ();
  if (strcmp (verb, "list") == 0 && argc == 2)
    return outage_list ();
  if (strcmp (verb, "prepare") == 0 && argc == 2)
    return outage_prepare ();
  if ((strcmp (verb, "restore") == 0 || strcmp (verb, "cancel") == 0
       || strcmp (verb, "activate") == 0) && argc == 3)
    return outage_transition (verb, argv[2]);
  return aq_ctl_usage (USAGE, NULL);
}

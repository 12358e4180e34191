/* aq-ctl-network.c — aqueductctl network isolate|create-outage|criticality
 *
 * The same core calls as the map's Valves tool. An unknown pipe or valve is bad input: exit 2
 * with a message naming it, and no answer.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("network isolate --pipe ID [--inoperable V1,V2] [--json] | " \
              "create-outage --pipe ID [--inoperable V1,V2] [--reason TEXT] [--start TIME] " \
              "[--hours N] [--by NAME] [--json] | criticality [--limit N] [--json]")

static gint64 opt_pipe;
static char *opt_inoperable;
static char *opt_reason;
static char *opt_start;
static int opt_hours = 6;
static int opt_limit = 20;
static char *opt_by;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "pipe", 0, 0, G_OPTION_ARG_INT64, &opt_pipe, N_("The burst pipe"), "ID" },
  { "inoperable", 0, 0, G_OPTION_ARG_STRING, &opt_inoperable,
    N_("Valves that will not close, comma-separated"), "V1,V2" },
  { "reason", 0, 0, G_OPTION_ARG_STRING, &opt_reason, N_("Why the water is off"), "TEXT" },
  { "start", 0, 0, G_OPTION_ARG_STRING, &opt_start, N_("Start (default now)"), "TIME" },
  { "hours", 0, 0, G_OPTION_ARG_INT, &opt_hours, N_("Expected hours until restored (default 6)"),
    "N" },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("How many valves to list (default 20)"), "N" },
  { "by", 0, 0, G_OPTION_ARG_STRING, &opt_by, N_("Who creates the outage"), "NAME" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { NULL }
};

/* ---- auxiliary methods ---- */

/* An unknown pipe or valve is the input's fault. */
static int
fail (GError *error)
{
  if (g_error_matches (error, AQ_ERROR, AQ_ERROR_NOT_FOUND)
      || g_error_matches (error, AQ_ERROR, AQ_ERROR_INVALID))
    {
      g_printerr ("aqueductctl: %s\n", error->message);
      return AQ_CTL_USAGE;
    }
  return aq_ctl_fail (error);
}

static GArray *
parse_valves (const char  *text,
              GError     **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = g_strsplit (text ? text : "", ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *end = NULL;
      gint64 id;

      g_strstrip (parts[i]);
      if (*parts[i] == '\0')
        continue;
      id = g_ascii_strtoll (parts[i], &end, 10);
      if (id <= 0 || *end != '\0')
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("--inoperable: “%s” is not a valve id"), parts[i]);
          return NULL;
        }
      g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

static void
print_ids (const char *label,
           GArray     *ids)
{
  g_print ("%-20s %u", label, ids->len);
  for (guint i = 0; i < ids->len && i < 40; i++)
    g_print ("%s%" G_GINT64_FORMAT, i ? ", " : ": ", g_array_index (ids, gint64, i));
  g_print ("%s\n", ids->len > 40 ? ", …" : "");
}

static void
print_isolation (AqIsolation *iso)
{
  AqOutageArea *area = iso->area;

  g_print (_("Burst on pipe %" PRId64 " (segment %d)\n"), iso->pipe_id, iso->segment_id);
  print_ids (_("Valves to close"), iso->close_valves);
  if (iso->stuck_valves->len > 0)
    print_ids (_("Passed over (stuck)"), iso->stuck_valves);
  g_print ("%-20s %u (%.0f m)\n", _("Isolated pipes"), iso->isolated_pipes->len,
           iso->isolated_length_m);
  g_print ("%-20s %u (%.0f m)\n", _("Cut off from supply"), iso->dry_pipes->len,
           iso->dry_length_m);
  g_print (_("Accounts affected    %" PRId64 " (key %" PRId64 ", community %"
           PRId64 ", scattered %" PRId64 ")\n"), area->accounts,
           area->key_accounts, area->community_accounts, area->scattered_accounts);
  g_print (_("Reachable            %" PRId64 " (SMS %" PRId64 ", WeChat %"
           PRId64 ")\n"), area->reachable, area->reachable_sms, area->reachable_wechat);
  for (guint i = 0; i < area->key_customers->len; i++)
    {
      AqAreaKeyCustomer *k = g_ptr_array_index (area->key_customers, i);

      g_print (_("  key: %-14s %-12s %s\n"), k->kind, k->account_id, k->name);
    }
  for (guint i = 0; i < area->communities->len; i++)
    {
      AqAreaCommunity *c = g_ptr_array_index (area->communities, i);

      g_print (_("  community: %-10s %-16s %" PRId64 "/%" PRId64 "%s\n"),
               c->community_code, c->name, c->accounts, c->accounts_total,
               c->needs_notice ? _("  (needs a posted notice)") : "");
    }
  for (guint i = 0; i < iso->conflicts->len; i++)
    {
      AqNetworkConflict *c = g_ptr_array_index (iso->conflicts, i);

      g_print (_("  conflict: outage %" PRId64 " (%s, %s) shares %" PRId64
               " accounts%s  %s\n"), c->outage_id, c->kind, c->status, c->shared_accounts,
               c->area_overlaps ? _(", areas overlap") : "", c->reason);
    }
  g_print (_("Computed in %.1f ms (walk %.2f ms)\n"), iso->elapsed_ms, iso->walk_ms);
}

static AqIsolation *
isolate (AqDb     *db,
         gboolean  with_polygon,
         GError  **error)
{
  g_autoptr(GArray) stuck = NULL;
  g_autoptr(AqNetwork) network = NULL;

  stuck = parse_valves (opt_inoperable, error);
  if (stuck == NULL)
    return NULL;
  network = aq_network_load (db, error);
  if (network == NULL)
    return NULL;
  return aq_network_isolate (network, db, opt_pipe, (const gint64 *) stuck->data, stuck->len,
                             with_polygon, aq_ctl_cancellable (), error);
}

/* ---- verbs ---- */

static int
network_isolate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqIsolation) iso = NULL;

  if (opt_pipe <= 0)
    return aq_ctl_usage (USAGE, _("isolate needs --pipe ID (a positive number)"));
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  iso = isolate (db, opt_json, &error);
  if (iso == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_isolation_to_json (iso);

      aq_ctl_print_json (root);
    }
  else
    print_isolation (iso);
  return AQ_CTL_OK;
}

static int
network_create_outage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqIsolation) iso = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GDateTime) start = NULL, end = NULL;
  g_autoptr(AqOutage) outage = NULL;
  g_autofree char *reason = NULL;
  AqOutageSpec spec = { 0 };
  gint64 id;

  if (opt_pipe <= 0)
    return aq_ctl_usage (USAGE, _("create-outage needs --pipe ID (a positive number)"));
  if (opt_hours <= 0)
    return aq_ctl_usage (USAGE, _("--hours must be positive"));
  if (opt_start)
    {
      g_autoptr(GTimeZone) zone = aq_clock_zone ();

      start = g_date_time_new_from_iso8601 (opt_start, zone);
      if (start == NULL)
        return aq_ctl_usage (USAGE, _("--start: write 2026-12-01T08:00:00 (local) or with an "
                                    "offset"));
    }
  else
    start = aq_clock_now ();
  end = g_date_time_add_hours (start, opt_hours);

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  iso = isolate (db, TRUE, &error);
  if (iso == NULL)
    return fail (error);
  accounts = aq_isolation_account_ids (iso, db, &error);
  if (accounts == NULL)
    return fail (error);
  g_ptr_array_add (accounts, NULL);

  reason = opt_reason ? g_strdup (opt_reason)
                      : g_strdup_printf ("管道爆管抢修（管段 %" G_GINT64_FORMAT "）", opt_pipe);
  spec.kind = "emergency";
  spec.reason = reason;
  spec.start_time = start;
  spec.expected_end = end;
  spec.geometry = iso->polygon;
  spec.created_by = opt_by;
  spec.account_ids = (const char * const *) accounts->pdata;
  id = aq_outage_create (db, &spec, &error);
  if (id == 0)
    return fail (error);
  outage = aq_outage_get (db, id, &error);
  if (outage == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_outage_to_json (outage);

      json_object_set_member (json_node_get_object (root), "isolation",
                              aq_isolation_to_json (iso));
      aq_ctl_print_json (root);
    }
  else
    g_print (_("outage %" PRId64 " created: %" PRId64 " accounts, valves to "
             "close %u\n"), id, outage->accounts, iso->close_valves->len);
  return AQ_CTL_OK;
}

static int
network_criticality (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqNetwork) network = NULL;
  g_autoptr(GArray) list = NULL;

  if (opt_limit < 0)
    return aq_ctl_usage (USAGE, _("--limit must not be negative"));
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  network = aq_network_load (db, &error);
  if (network == NULL)
    return fail (error);
  list = aq_network_criticality (network, (guint) opt_limit);
  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          AqValveCriticality *c = &g_array_index (list, AqValveCriticality, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "valve_id");
          json_builder_add_int_value (b, c->valve_id);
          json_builder_set_member_name (b, "accounts");
          json_builder_add_int_value (b, c->accounts);
          json_builder_set_member_name (b, "segments");
          json_builder_add_int_value (b, c->segments);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
    }
  else
    {
      g_print ("%-10s %10s %9s\n", _("valve"), _("+accounts"), _("+segments"));
      for (guint i = 0; i < list->len; i++)
        {
          AqValveCriticality *c = &g_array_index (list, AqValveCriticality, i);

          g_print ("%-10" G_GINT64_FORMAT " %10" G_GINT64_FORMAT " %9" G_GINT64_FORMAT "\n",
                   c->valve_id, c->accounts, c->segments);
        }
    }
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_network (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];
  if (strcmp (verb, "isolate") == 0)
    return network_isolate ();
  if (strcmp (verb, "create-outage") == 0)
    return network_create_outage ();
  if (strcmp (verb, "criticality") == 0)
    return network_criticality ();
  return aq_ctl_usage (USAGE, NULL);
}

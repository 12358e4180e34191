/* aq-ctl-notify.c — aqueductctl notify send|approve|reject|cancel|status|retry|list
 *
 * A notice needs two people, and the warehouse knows who they are: send writes a draft whose
 * author is the login; `notify approve` by a second login (the warehouse refuses the author)
 * queues it and writes its whole outbox in one transaction; `notify reject` refuses it.
 * `notify cancel` withdraws every message not yet sent and says how many had already left.
 */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("notify send OUTAGE_ID [--template TEXT|@FILE] [--kind outage|update|restored] " \
              "[--quiet-hours 21-8|off] [--json] | " \
              "approve CAMPAIGN [--template TEXT|@FILE] | reject CAMPAIGN | " \
              "cancel CAMPAIGN [--json] | " \
              "status CAMPAIGN [--json] | retry CAMPAIGN | list OUTAGE_ID [--json]")

static char *opt_template;
static char *opt_kind;
static char *opt_quiet;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "template", 0, 0, G_OPTION_ARG_STRING, &opt_template,
    N_("The message with {community} {start} {end} {reason}, or @FILE"), "T" },
  { "kind", 0, 0, G_OPTION_ARG_STRING, &opt_kind, N_("outage (default), update or restored"), "K" },
  { "quiet-hours", 0, 0, G_OPTION_ARG_STRING, &opt_quiet,
    N_("Planned outages: no messages in these hours (default 21-8), or off"), "H-H" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { NULL }
};

/* ---- auxiliary methods ---- */

static int
fail (GError *error)
{
  if (g_error_matches (error, AQ_ERROR, AQ_ERROR_PERMISSION))
    {
      g_printerr ("aqueductctl: %s\n", error->message);
      return AQ_CTL_USAGE;
    }
  return aq_ctl_fail (error);
}

static gboolean
parse_id (const char *text,
          gint64     *out)
{
  char *end = NULL;

  *out = g_ascii_strtoll (text, &end, 10);
  return *out > 0 && end && *end == '\0';
}

static char *
read_template (GError **error)
{
  char *text = NULL;

  if (opt_template == NULL)
    return g_strdup (aq_template_default (opt_kind ? opt_kind : "outage"));
  if (opt_template[0] != '@')
    return g_strdup (opt_template);
  if (!g_file_get_contents (opt_template + 1, &text, NULL, error))
    {
      (*error)->domain = AQ_ERROR;
      (*error)->code = AQ_ERROR_INVALID;
      return NULL;
    }
  return g_strchomp (text);
}

static gboolean
parse_quiet (AqQuietHours  *rule,
             GError       **error)
{
  int start, end;
  char extra;

  aq_quiet_hours_init_default (rule);
  if (opt_quiet == NULL)
    return TRUE;
  if (g_str_equal (opt_quiet, "off"))
    {
      rule->enabled = FALSE;
      return TRUE;
    }
  if (sscanf (opt_quiet, "%d-%d%c", &start, &end, &extra) != 2
      || start < 0 || start > 23 || end < 0 || end > 23)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("--quiet-hours: “%s” is not START-END in hours (21-8) or off"), opt_quiet);
      return FALSE;
    }
  rule->start_hour = start;
  rule->end_hour = end;
  return TRUE;
}

static void
print_status (AqCampaignStatus *s)
{
  g_print (_("campaign %" PRId64 " (%s, outage %" PRId64 "): %s\n"),
           s->campaign_id, s->kind, s->outage_id, s->status);
  g_print (_("written by %s, reviewed by %s\n"), s->created_by,
           s->reviewed_by ? s->reviewed_by : _("(nobody yet)"));
  if (s->not_before)
    {
      g_autofree char *at = aq_template_format_time (s->not_before);

      g_print (_("quiet hours: nothing leaves before %s\n"), at);
    }
  g_print (_("messages %" PRId64 " (SMS %" PRId64 ", WeChat %" PRId64
           ")\n"), s->total, s->sms, s->wechat);
  g_print (_("  queued     %" PRId64 "\n  sending    %" PRId64
           "\n  sent       %" PRId64 "\n  delivered  %" PRId64
           "\n  failed     %" PRId64 "\n"),
           s->queued, s->sending, s->sent, s->delivered, s->failed);
}

static int
show_status (AqDb   *db,
             gint64  campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCampaignStatus) status = aq_campaign_get_status (db, campaign_id, &error);

  if (status == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_campaign_status_to_json (status);

      aq_ctl_print_json (root);
    }
  else
    print_status (status);
  return AQ_CTL_OK;
}

/* ---- verbs ---- */

static int
notify_send (gint64 outage_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *text = NULL;
  AqQuietHours rule;
  AqCampaignSpec spec = { 0 };
  gint64 id;

  if ((text = read_template (&error)) == NULL || !aq_template_check (text, &error)
      || !parse_quiet (&rule, &error))
    return fail (error);
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  spec.outage_id = outage_id;
  spec.kind = opt_kind ? opt_kind : "outage";
  spec.template_text = text;
  spec.quiet_hours = &rule;
  id = aq_campaign_create (db, &spec, &error);
  if (id == 0)
    return fail (error);
  if (!opt_json)
    g_print (_("draft campaign %" PRId64 ": a second login approves it with\n"
             "  aqueductctl notify approve %" PRId64 "\n"), id, id);
  return show_status (db, id);
}

static int
notify_approve (gint64 campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autofree char *text = NULL;
  AqQuietHours rule;

  if (opt_template && ((text = read_template (&error)) == NULL))
    return fail (error);
  if (!parse_quiet (&rule, &error))
    return fail (error);
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  if (!aq_campaign_approve (db, campaign_id, NULL, text, &rule, NULL, &error))
    return fail (error);
  return show_status (db, campaign_id);
}

static int
notify_retry (gint64 campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  gint64 n;

  if (db == NULL)
    return aq_ctl_fail (error);
  n = aq_campaign_retry_failed (db, campaign_id, &error);
  if (n < 0)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "campaign_id", campaign_id);
      json_object_set_int_member (o, "requeued", n);
      json_node_take_object (root, o);
      aq_ctl_print_json (root);
    }
  else
    g_print (ngettext ("%" PRId64 " failed message queued again\n",
                       "%" PRId64 " failed messages queued again\n", n), n);
  return AQ_CTL_OK;
}

static int
notify_reject (gint64 campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);

  if (db == NULL)
    return aq_ctl_fail (error);
  if (!aq_campaign_reject (db, campaign_id, &error))
    return fail (error);
  return show_status (db, campaign_id);
}

/* Prints what a cancellation withdrew; shared with `outage cancel`. */
void
aq_ctl_print_withdrawn (const char *what,
                        gint64      id,
                        gint64      withdrawn,
                        gint64      sent,
                        gboolean    json)
{
  g_autofree char *w = g_strdup_printf ("%" G_GINT64_FORMAT, withdrawn);
  g_autofree char *s = g_strdup_printf ("%" G_GINT64_FORMAT, sent);

  if (json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, what, id);
      json_object_set_int_member (o, "withdrawn", withdrawn);
      json_object_set_int_member (o, "already_sent", sent);
      json_node_take_object (root, o);
      aq_ctl_print_json (root);
      return;
    }
  /* Translators: %s is a number of messages */
  g_print (ngettext ("%s message withdrawn: it will not be sent.\n",
                     "%s messages withdrawn: they will not be sent.\n", withdrawn), w);
  if (sent > 0)
    /* Translators: %s is a number of messages; the command stays as it is */
    g_print (ngettext ("%s message had already been sent: send a correction with "
                       "“aqueductctl notify send OUTAGE_ID --kind update”.\n",
                       "%s messages had already been sent: send a correction with "
                       "“aqueductctl notify send OUTAGE_ID --kind update”.\n", sent), s);
}

static int
notify_cancel (gint64 campaign_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  gint64 withdrawn = 0, sent = 0;

  if (db == NULL)
    return aq_ctl_fail (error);
  if (!aq_campaign_cancel (db, campaign_id, &withdrawn, &sent, &error))
    return fail (error);
  if (!opt_json)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign_id);

      /* Translators: %s is a campaign's number */
      g_print (_("Campaign %s cancelled.\n"), id);
    }
  aq_ctl_print_withdrawn ("campaign_id", campaign_id, withdrawn, sent, opt_json);
  return AQ_CTL_OK;
}

static int
notify_list (gint64 outage_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (NULL, &error);
  g_autoptr(GPtrArray) list = NULL;

  if (db == NULL)
    return aq_ctl_fail (error);
  list = aq_campaign_list (db, outage_id, &error);
  if (list == NULL)
    return fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < list->len; i++)
        json_array_add_element (array, aq_campaign_status_to_json (g_ptr_array_index (list, i)));
      json_node_take_array (root, array);
      aq_ctl_print_json (root);
    }
  else
    for (guint i = 0; i < list->len; i++)
      {
        AqCampaignStatus *s = g_ptr_array_index (list, i);

        g_print (_("%-6" PRId64 " %-9s %-7s %6" PRId64 " messages, %"
                 PRId64 " delivered, %" PRId64 " failed\n"),
                 s->campaign_id, s->kind, s->status, s->total, s->delivered, s->failed);
      }
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_notify (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  const char *verb;
  gint64 id;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 3)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];
  if (!parse_id (argv[2], &id))
    return aq_ctl_usage (USAGE, _("an outage or campaign id is a positive number"));
  if (strcmp (verb, "send") == 0)
    return notify_send (id);
  if (strcmp (verb, "approve") == 0)
    return notify_approve (id);
  if (strcmp (verb, "reject") == 0)
    return notify_reject (id);
  if (strcmp (verb, "cancel") == 0)
    return notify_cancel (id);
  if (strcmp (verb, "status") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AqDb) db = aq_connection_open (NULL, &error);

      if (db == NULL)
        return aq_ctl_fail (error);
      return show_status (db, id);
    }
  if (strcmp (verb, "retry") == 0)
    return notify_retry (id);
  if (strcmp (verb, "list") == 0)
    return notify_list (id);
  return aq_ctl_usage (USAGE, NULL);
}

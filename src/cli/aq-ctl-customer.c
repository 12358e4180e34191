/* aq-ctl-customer.c — aqueductctl customer lookup|reveal|audit
 *
 * The same core calls as the customer panel, so a script sees exactly what an agent sees,
 * masking and audit rows included. What the login may see is the warehouse's to decide: an
 * unmasked lookup, a reveal or the audit log asked for by a login without the supervisor role
 * is refused there (the tables are not granted), whatever the command line says. Nothing
 * found is an answer, not a failure: exit 0, "no customer for …" (and "found": 0 in JSON).
 * Codes are printed in words (the same labels as Customer 360); --json keeps the codes.
 */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("customer lookup --phone P | --customer C | --account A | --search TEXT " \
              "[--role agent|supervisor] [--json] | " \
              "reveal ACCOUNT --reason TEXT [--json] | audit [--limit N] [--json]")

static char *opt_phone;
static char *opt_customer;
static char *opt_account;
static char *opt_search;
static char *opt_role;
static char *opt_reason;
static int opt_limit;
static gboolean opt_json;

static GOptionEntry entries[] = {
  { "phone", 0, 0, G_OPTION_ARG_STRING, &opt_phone, N_("A phone in any form"), "P" },
  { "customer", 0, 0, G_OPTION_ARG_STRING, &opt_customer, N_("A customer number"), "C" },
  { "account", 0, 0, G_OPTION_ARG_STRING, &opt_account, N_("An account or meter number"), "A" },
  { "search", 0, 0, G_OPTION_ARG_STRING, &opt_search,
    N_("Any of these, a name or address fragment, or the last 4 digits and a community"), "TEXT" },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role,
    N_("agent (default: masked) or supervisor (unmasked: the warehouse allows it only to a "
    "supervisor's login)"), "ROLE" },
  { "reason", 0, 0, G_OPTION_ARG_STRING, &opt_reason, N_("Why a reveal is needed"), "TEXT" },
  { "limit", 0, 0, G_OPTION_ARG_INT, &opt_limit, N_("Audit rows to show (default 100)"), "N" },
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { NULL }
};

/* ---- auxiliary methods ---- */

static const char *
member_or (JsonObject *object,
           const char *member,
           const char *fallback)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

/* @text followed by spaces up to @width columns on a terminal (a Chinese character takes
 * two), so translated labels still line up */
static void
print_padded (const char *text,
              guint       width)
{
  guint used = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    used += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  g_print ("%s%*s", text, used < width ? (int) (width - used) : 1, "");
}

/* The header's codes ("residential", "normal", "hospital") in words, as Customer 360 shows
 * them (aq-customer-labels.c); --json keeps the codes. */
static const char *
header_label (JsonObject *header,
              const char *member,
              const char *fallback)
{
  return aq_label_value (NULL, member, member_or (header, member, fallback));
}

static void
print_360 (AqCustomer360 *view)
{
  static const char *const names[] = { AQ_CUSTOMER_360_SECTIONS };
  JsonObject *h = view->header;

  g_print ("%s  %s  (%s, %s)\n", member_or (h, "name", "?"), member_or (h, "mobile", ""),
           header_label (h, "customer_type", "?"), header_label (h, "account_status", "?"));
  g_print (_("Account %s  customer %s  meter %s\n"), view->account_id, view->customer_id,
           member_or (h, "meter_no", "-"));
  g_print (_("Address   %s\n"), member_or (h, "address", "-"));
  g_print (_("Community %s   zone %s   tariff %s\n"), member_or (h, "community", "-"),
           member_or (h, "dma_zone", "-"), member_or (h, "tariff", "-"));
  if (member_or (h, "key_customer_kind", NULL))
    g_print (_("Key customer: %s (%s)\n"), member_or (h, "key_customer", "?"),
             header_label (h, "key_customer_kind", "?"));
  for (guint i = 0; i < json_array_get_length (view->alerts); i++)
    g_print ("! %s\n", member_or (json_array_get_object_element (view->alerts, i), "text", ""));
  g_print ("\n");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      print_padded (aq_label_section (names[i]), 14);
      g_print ("%" G_GINT64_FORMAT "\n", aq_customer_360_get_count (view, names[i]));
    }
  g_print ("\n");
  for (guint i = 0; i < json_array_get_length (view->tags); i++)
    {
      JsonObject *tag = json_array_get_object_element (view->tags, i);
      const char *code = member_or (tag, "tag", "");
      const char *value = member_or (tag, "value", NULL);
      g_autofree char *shown = NULL;

      if (value != NULL)
        /* Translators: a profile tag and its value: "Payment habit: Pays on time" */
        shown = g_strdup_printf (_("%s: %s"), aq_label_tag (code),
                                 aq_label_value (NULL, code, value));
      else
        shown = g_strdup (aq_label_tag (code));
      print_padded (shown, 26);
      g_print ("%s\n", member_or (tag, "text", ""));
    }
}

/* What was searched, in words (the key's code is for --json). */
static const char *
key_label (AqCustomerKey key)
{
  switch (key)
    {
    case AQ_CUSTOMER_KEY_PHONE:
      return C_("searched by", "phone");
    case AQ_CUSTOMER_KEY_CUSTOMER:
      return C_("searched by", "customer");
    case AQ_CUSTOMER_KEY_ACCOUNT:
      return C_("searched by", "account");
    case AQ_CUSTOMER_KEY_PHONE_TAIL:
      return C_("searched by", "phone ending");
    case AQ_CUSTOMER_KEY_TEXT:
    default:
      return C_("searched by", "text");
    }
}

static void
print_candidates (JsonArray *candidates)
{
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *c = json_array_get_object_element (candidates, i);

      print_padded (member_or (c, "account_id", ""), 13);
      print_padded (member_or (c, "name", ""), 9);
      print_padded (member_or (c, "phone", "-"), 15);
      print_padded (header_label (c, "account_status", ""), 9);
      g_print ("%s\n", member_or (c, "address", ""));
    }
}

static int
customer_lookup (AqRole role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCustomerLookup) lookup = NULL;
  AqCustomerKey key;
  const char *text;
  guint given = (opt_phone != NULL) + (opt_customer != NULL) + (opt_account != NULL)
                + (opt_search != NULL);
  guint found;

  if (given != 1)
    return aq_ctl_usage (USAGE, _("give exactly one of --phone, --customer, --account, --search"));
  if (opt_phone)
    key = AQ_CUSTOMER_KEY_PHONE, text = opt_phone;
  else if (opt_customer)
    key = AQ_CUSTOMER_KEY_CUSTOMER, text = opt_customer;
  else if (opt_account)
    key = AQ_CUSTOMER_KEY_ACCOUNT, text = opt_account;
  else
    key = AQ_CUSTOMER_KEY_SEARCH, text = opt_search;

  /* the core refuses a bad key and audits the attempt; without a warehouse, a phone that is
   * no phone is still bad input (exit 2), not an unreachable server */
  db = aq_connection_open (NULL, &error);
  if (db == NULL && key == AQ_CUSTOMER_KEY_PHONE)
    {
      g_autofree char *normalized = aq_phone_normalize (text, NULL);

      if (normalized == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a phone number: give a mobile (11 digits, +86 "
                             "allowed) or a landline with or without its area code"), text);
          return aq_ctl_usage (USAGE, message);
        }
    }
  if (db == NULL)
    return aq_ctl_fail (error);
  lookup = aq_customer_lookup (db, key, text, role, NULL, aq_ctl_cancellable (), &error);
  if (lookup == NULL)
    return aq_ctl_fail (error);

  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_customer_lookup_to_json (lookup);

      aq_ctl_print_json (root);
      return AQ_CTL_OK;
    }

  found = json_array_get_length (lookup->matches->candidates);
  if (found == 0)
    {
      g_autoptr(JsonNode) root = aq_customer_lookup_to_json (lookup);
      JsonObject *searched = json_object_get_object_member (json_node_get_object (root),
                                                            "searched");

      g_print (_("no customer for %s %s\n"), key_label (lookup->matches->key),
               member_or (searched, "value", text));
    }
  else if (lookup->view)
    print_360 (lookup->view);
  else
    {
      g_print (_("%u accounts match; look one up with --account:\n"), found);
      print_candidates (lookup->matches->candidates);
    }
  return AQ_CTL_OK;
}

static int
customer_reveal (AqRole      role,
                 const char *account)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqCustomer360) view = NULL;

  if (opt_reason == NULL)
    return aq_ctl_usage (USAGE, _("reveal needs --reason"));
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  view = aq_customer_reveal (db, account, role, NULL, opt_reason, aq_ctl_cancellable (), &error);
  if (view == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = aq_customer_360_to_json (view);

      aq_ctl_print_json (root);
    }
  else
    print_360 (view);
  return AQ_CTL_OK;
}

static int
customer_audit (AqRole role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  entries = aq_audit_list (db, role, NULL, opt_limit > 0 ? (guint) opt_limit : 100, &error);
  if (entries == NULL)
    return aq_ctl_fail (error);
  if (opt_json)
    {
      g_autoptr(JsonNode) root = json_node_init_array (json_node_alloc (), json_array_new ());
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < entries->len; i++)
        json_array_add_element (array, aq_audit_entry_to_json (g_ptr_array_index (entries, i)));
      aq_ctl_print_json (root);
    }
  else
    for (guint i = 0; i < entries->len; i++)
      {
        AqAuditEntry *e = g_ptr_array_index (entries, i);

        g_print ("%s  %-10s %-16s %s\n", e->at, e->actor, e->action, e->object ? e->object : "");
      }
  return AQ_CTL_OK;
}

/* ---- command ---- */

int
aq_ctl_customer (int    argc,
                 char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  AqRole role = AQ_ROLE_AGENT;
  const char *verb;
  int code = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  verb = argv[1];
  if (opt_role && !aq_role_from_string (opt_role, &role))
    return aq_ctl_usage (USAGE, _("--role is agent or supervisor"));

  if (strcmp (verb, "lookup") == 0 && argc == 2)
    return customer_lookup (role);
  /* reveal and the audit log are a supervisor's: say so even without --role */
  if (strcmp (verb, "reveal") == 0 && argc == 3)
    return customer_reveal (opt_role ? role : AQ_ROLE_SUPERVISOR, argv[2]);
  if (strcmp (verb, "audit") == 0 && argc == 2)
    return customer_audit (opt_role ? role : AQ_ROLE_SUPERVISOR);
  return aq_ctl_usage (USAGE, NULL);
}

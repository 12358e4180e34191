/* aq-customer-labels.c — the warehouse's codes ("on_time", "wechat") in the user's words
 *
 * The dw layer keeps stable English codes (see the comments in data/sql/002_dw.sql and
 * 003_dm.sql) so that SQL, the CLI's JSON and reports can rely on them; what a person reads
 * is translated here, in one place, so every panel says "估抄" for 'estimated' the same way.
 * The same code can mean different things by column ('closed' for an account and for a work
 * order), hence the translation context per column. A code not listed here is shown as it is:
 * new codes appear in the warehouse before they appear in a translation.
 * It lives in core (no GTK) so that Customer 360, `aqueductctl customer lookup` and the
 * exports all read the same words; src/ui/common/aq-labels.h only includes this header.
 */
#define G_LOG_DOMAIN "aq-customer-labels"

#include "config.h"

#include "aq-customer-labels.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-clock.h"

typedef struct
{
  const char *key;
  const char *label;
} Label;

typedef struct
{
  const char *section;   /* NULL: any section */
  const char *column;
  const char *context;
  const char *value;
  const char *label;
} ValueLabel;

static const Label sections[] = {
  { "timeline", N_("Timeline") },
  { "accounts", N_("Accounts") },
  { "bills", N_("Bills") },
  { "payments", N_("Payments") },
  { "readings", N_("Readings") },
  { "work_orders", N_("Work Orders") },
  { "calls", N_("Calls") },
  { "sms", N_("Text Messages") },
  { "installations", N_("Installations") },
  { "outages", N_("Outages") },
};

static const Label kinds[] = {
  { "account", N_("Account") },
  { "bill", N_("Bill") },
  { "payment", N_("Payment") },
  { "reading", N_("Reading") },
  { "work_order", N_("Work order") },
  { "call", N_("Call") },
  { "sms", N_("Text message") },
  { "installation", N_("Installation") },
  { "outage", N_("Outage") },
};

static const Label columns[] = {
  { "account_id", N_("Account") },
  { "status", N_("Status") },
  { "opened_on", N_("Opened") },
  { "closed_on", N_("Closed") },
  { "address", N_("Address") },
  { "tariff_code", N_("Tariff") },
  { "meter_no", N_("Meter") },
  { "meter_size_dn", N_("Size (DN)") },
  { "meter_brand", N_("Brand") },
  { "meter_model", N_("Model") },
  { "meter_installed_on", N_("Meter installed") },
  { "meter_status", N_("Meter status") },
  { "period", N_("Period") },
  { "bill_no", N_("Bill no.") },
  { "read_date", N_("Read on") },
  { "prev_read", N_("Previous") },
  { "curr_read", N_("Meter reading") },
  { "read_status", N_("Read status") },
  { "qty", N_("m³") },
  { "tiers", N_("Tiers (m³ × price)") },
  /* Translators: a bill column marking a bill that also bills earlier unread months */
  { "catch_up", N_("Catch-up") },
  { "water_fee", N_("Water fee") },
  { "sewage_fee", N_("Sewage fee") },
  { "amount", N_("Amount") },
  { "due_date", N_("Due") },
  { "pay_no", N_("Payment no.") },
  { "paid_at", N_("Paid at") },
  { "late_fee", N_("Late fee") },
  { "channel", N_("Channel") },
  { "days_late", N_("Days late") },
  { "wo_no", N_("Work order") },
  { "category", N_("Category") },
  { "priority", N_("Priority") },
  { "source", N_("Source") },
  { "phone", N_("Phone") },
  { "created_at", N_("Created") },
  { "closed_at", N_("Closed at") },
  { "sla_due_at", N_("Due by (SLA)") },
  { "overdue", N_("Overdue") },
  { "call_id", N_("Call") },
  { "started_at", N_("Started") },
  { "ivr_path", N_("IVR path") },
  { "wait_seconds", N_("Wait (s)") },
  { "talk_seconds", N_("Talk (s)") },
  { "agent_id", N_("Agent") },
  { "msg_id", N_("Message") },
  { "template", N_("Template") },
  { "batch_no", N_("Batch") },
  { "sent_at", N_("Sent") },
  { "app_no", N_("Application") },
  { "applicant", N_("Applicant") },
  { "app_type", N_("Type") },
  { "size_dn", N_("Size (DN)") },
  { "applied_on", N_("Applied") },
  { "finished_on", N_("Finished") },
  { "days_to_connect", N_("Days to connect") },
  { "outage_id", N_("Outage") },
  { "kind", N_("Kind") },
  { "reason", N_("Reason") },
  { "start_time", N_("Start") },
  { "end_time", N_("Expected end") },
  { "restored_at", N_("Restored") },
  { "time", N_("Time") },
  { "summary", N_("What") },
};

static const Label tags[] = {
  { "payment_habit", N_("Payment habit") },
  { "preferred_channel", N_("Preferred channel") },
  { "consumption_level", N_("Consumption") },
  { "trend", N_("Trend") },
  { "zero_streak", N_("Months without consumption") },
  { "spike", N_("Spike") },
  { "contact_frequency", N_("Contacts in 12 months") },
};

#define ANY NULL

static const ValueLabel values[] = {
  { ANY, "customer_type", "customer type", "residential", NC_("customer type", "Residential") },
  { ANY, "customer_type", "customer type", "non_residential",
    NC_("customer type", "Non-residential") },
  { ANY, "customer_type", "customer type", "special", NC_("customer type", "Special") },
  { ANY, "customer_type", "customer type", "construction", NC_("customer type", "Construction") },

  { ANY, "account_status", "account status", "normal", NC_("account status", "Normal") },
  { ANY, "account_status", "account status", "suspended", NC_("account status", "Suspended") },
  { ANY, "account_status", "account status", "closed", NC_("account status", "Closed") },
  { ANY, "account_status", "account status", "vacant", NC_("account status", "Vacant") },
  { "accounts", "status", "account status", "normal", NC_("account status", "Normal") },
  { "accounts", "status", "account status", "suspended", NC_("account status", "Suspended") },
  { "accounts", "status", "account status", "closed", NC_("account status", "Closed") },
  { "accounts", "status", "account status", "vacant", NC_("account status", "Vacant") },

  { ANY, "meter_status", "meter status", "in_use", NC_("meter status", "In use") },
  { ANY, "meter_status", "meter status", "removed", NC_("meter status", "Removed") },
  { ANY, "meter_status", "meter status", "lost", NC_("meter status", "Lost") },
  { ANY, "meter_status", "meter status", "faulty", NC_("meter status", "Faulty") },

  { ANY, "read_status", "read status", "valid", NC_("read status", "Read") },
  { ANY, "read_status", "read status", "estimated", NC_("read status", "Estimated") },
  { ANY, "read_status", "read status", "no_access", NC_("read status", "No access") },
  { ANY, "read_status", "read status", "stopped", NC_("read status", "Meter stopped") },
  { ANY, "read_status", "read status", "abnormal", NC_("read status", "Abnormal") },
  { ANY, "read_status", "read status", "not_read", NC_("read status", "Not read") },

  { ANY, "channel", "payment channel", "counter", NC_("payment channel", "Counter") },
  { ANY, "channel", "payment channel", "bank", NC_("payment channel", "Bank") },
  { ANY, "channel", "payment channel", "wechat", NC_("payment channel", "WeChat") },
  { ANY, "channel", "payment channel", "alipay", NC_("payment channel", "Alipay") },
  { ANY, "channel", "payment channel", "online", NC_("payment channel", "Online") },
  { ANY, "channel", "payment channel", "other", NC_("payment channel", "Other") },

  { ANY, "category", "service category", "repair", NC_("service category", "Repair") },
  { ANY, "category", "service category", "no_water", NC_("service category", "No water") },
  { ANY, "category", "service category", "billing", NC_("service category", "Billing") },
  { ANY, "category", "service category", "meter", NC_("service category", "Meter") },
  { ANY, "category", "service category", "business", NC_("service category", "Business") },
  { ANY, "category", "service category", "quality", NC_("service category", "Water quality") },
  { ANY, "category", "service category", "complaint", NC_("service category", "Complaint") },
  { ANY, "category", "service category", "secondary_supply",
    NC_("service category", "Secondary supply") },
  { ANY, "category", "service category", "other", NC_("service category", "Other") },
  { ANY, "category", "service category", "inquiry", NC_("service category", "Inquiry") },

  { "work_orders", "status", "work order status", "open", NC_("work order status", "Open") },
  { "work_orders", "status", "work order status", "dispatched",
    NC_("work order status", "Dispatched") },
  { "work_orders", "status", "work order status", "on_site", NC_("work order status", "On site") },
  { "work_orders", "status", "work order status", "closed", NC_("work order status", "Closed") },
  { "work_orders", "status", "work order status", "cancelled",
    NC_("work order status", "Cancelled") },
  { "work_orders", "source", "work order source", "hotline", NC_("work order source", "Hotline") },
  { "work_orders", "source", "work order source", "app", NC_("work order source", "App") },
  { "work_orders", "source", "work order source", "walkin", NC_("work order source", "Walk-in") },
  { "work_orders", "source", "work order source", "patrol", NC_("work order source", "Patrol") },

  { "sms", "template", "text message template", "bill", NC_("text message template", "Bill") },
  { "sms", "template", "text message template", "arrears",
    NC_("text message template", "Arrears reminder") },
  { "sms", "template", "text message template", "outage",
    NC_("text message template", "Outage notice") },
  { "sms", "template", "text message template", "payment",
    NC_("text message template", "Payment received") },
  { "sms", "template", "text message template", "other", NC_("text message template", "Other") },
  { "sms", "status", "text message status", "delivered",
    NC_("text message status", "Delivered") },
  { "sms", "status", "text message status", "undelivered",
    NC_("text message status", "Not delivered") },
  { "sms", "status", "text message status", "expired", NC_("text message status", "Expired") },
  { "sms", "status", "text message status", "rejected", NC_("text message status", "Rejected") },

  { "installations", "app_type", "installation type", "new", NC_("installation type", "New") },
  { "installations", "app_type", "installation type", "enlarge",
    NC_("installation type", "Larger meter") },
  { "installations", "app_type", "installation type", "relocate",
    NC_("installation type", "Relocation") },
  { "installations", "status", "installation status", "accepted",
    NC_("installation status", "Accepted") },
  { "installations", "status", "installation status", "surveyed",
    NC_("installation status", "Surveyed") },
  { "installations", "status", "installation status", "designed",
    NC_("installation status", "Designed") },
  { "installations", "status", "installation status", "constructed",
    NC_("installation status", "Constructed") },
  { "installations", "status", "installation status", "connected",
    NC_("installation status", "Connected") },
  { "installations", "status", "installation status", "cancelled",
    NC_("installation status", "Cancelled") },

  { "outages", "kind", "outage kind", "planned", NC_("outage kind", "Planned") },
  { "outages", "kind", "outage kind", "emergency", NC_("outage kind", "Emergency") },
  { "outages", "status", "outage status", "planned", NC_("outage status", "Planned") },
  { "outages", "status", "outage status", "active", NC_("outage status", "Under way") },
  { "outages", "status", "outage status", "finished", NC_("outage status", "Restored") },
  { "outages", "status", "outage status", "restored", NC_("outage status", "Restored") },
  { "outages", "status", "outage status", "cancelled", NC_("outage status", "Cancelled") },
  { "outages", "source", "outage source", "warehouse",
    NC_("outage source", "Source systems") },
  { "outages", "source", "outage source", "dispatch", NC_("outage source", "Dispatcher") },

  { ANY, "key_customer_kind", "key customer kind", "hospital",
    NC_("key customer kind", "Hospital") },
  { ANY, "key_customer_kind", "key customer kind", "school", NC_("key customer kind", "School") },
  { ANY, "key_customer_kind", "key customer kind", "kindergarten",
    NC_("key customer kind", "Kindergarten") },
  { ANY, "key_customer_kind", "key customer kind", "hotel", NC_("key customer kind", "Hotel") },
  { ANY, "key_customer_kind", "key customer kind", "large_consumer",
    NC_("key customer kind", "Large consumer") },

  { ANY, "payment_habit", "payment habit", "on_time", NC_("payment habit", "Pays on time") },
  { ANY, "payment_habit", "payment habit", "late", NC_("payment habit", "Often late") },
  { ANY, "payment_habit", "payment habit", "arrears", NC_("payment habit", "In arrears") },
  { ANY, "preferred_channel", "payment channel", "counter", NC_("payment channel", "Counter") },
  { ANY, "preferred_channel", "payment channel", "bank", NC_("payment channel", "Bank") },
  { ANY, "preferred_channel", "payment channel", "wechat", NC_("payment channel", "WeChat") },
  { ANY, "preferred_channel", "payment channel", "alipay", NC_("payment channel", "Alipay") },
  { ANY, "preferred_channel", "payment channel", "online", NC_("payment channel", "Online") },
  { ANY, "preferred_channel", "payment channel", "other", NC_("payment channel", "Other") },
  { ANY, "consumption_level", "consumption level", "low", NC_("consumption level", "Low") },
  { ANY, "consumption_level", "consumption level", "normal", NC_("consumption level", "Normal") },
  { ANY, "consumption_level", "consumption level", "high", NC_("consumption level", "High") },
  { ANY, "trend", "consumption trend", "rising", NC_("consumption trend", "Rising") },
  { ANY, "trend", "consumption trend", "stable", NC_("consumption trend", "Stable") },
  { ANY, "trend", "consumption trend", "falling", NC_("consumption trend", "Falling") },
  { ANY, "spike", "spike", "true", NC_("spike", "Yes") },
  { ANY, "spike", "spike", "false", NC_("spike", "No") },
};

/* ---- auxiliary methods ---- */

static const char *
find (const Label *labels,
      gsize        n,
      const char  *key)
{
  for (gsize i = 0; key && i < n; i++)
    if (g_str_equal (labels[i].key, key))
      return _(labels[i].label);
  return key;
}

/* "in 3 h" / "overdue by 2 d": what an agent tells a caller about an open work order */
static char *
sla_countdown (const char *due)
{
  g_autofree char *iso = g_strdup (due);
  g_autoptr(GTimeZone) local = aq_clock_zone ();
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = aq_clock_now_local ();
  GTimeSpan left;
  gint64 minutes;

  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  when = g_date_time_new_from_iso8601 (iso, local);
  if (when == NULL)
    return NULL;
  left = g_date_time_difference (when, now);
  minutes = ABS (left) / G_TIME_SPAN_MINUTE;
  if (left >= 0)
    {
      if (minutes < 120)
        /* Translators: an open work order's time left before its deadline, in minutes */
        return g_strdup_printf (_("in %d min"), (int) minutes);
      if (minutes < 48 * 60)
        /* Translators: time left before a work order's deadline, in hours */
        return g_strdup_printf (_("in %d h"), (int) (minutes / 60));
      /* Translators: time left before a work order's deadline, in days */
      return g_strdup_printf (_("in %d d"), (int) (minutes / (24 * 60)));
    }
  if (minutes < 120)
    /* Translators: how long an open work order is past its deadline, in minutes */
    return g_strdup_printf (_("overdue by %d min"), (int) minutes);
  if (minutes < 48 * 60)
    /* Translators: how long an open work order is past its deadline, in hours */
    return g_strdup_printf (_("overdue by %d h"), (int) (minutes / 60));
  /* Translators: how long an open work order is past its deadline, in days */
  return g_strdup_printf (_("overdue by %d d"), (int) (minutes / (24 * 60)));
}

static gboolean
work_order_open (JsonObject *row)
{
  const char *status = json_object_get_string_member_with_default (row, "status", NULL);

  return status != NULL && !g_str_equal (status, "closed") && !g_str_equal (status, "cancelled");
}

/* ---- public API ---- */

/* Returns: a 360 section's title ("bills" → "Bills"), or @section itself */
const char *
aq_label_section (const char *section)
{
  return find (sections, G_N_ELEMENTS (sections), section);
}

/* Returns: a timeline event kind's name ("work_order" → "Work order") */
const char *
aq_label_kind (const char *kind)
{
  return find (kinds, G_N_ELEMENTS (kinds), kind);
}

/* Returns: a section column's title ("read_status" → "Read status") */
const char *
aq_label_column (const char *column)
{
  return find (columns, G_N_ELEMENTS (columns), column);
}

/* Returns: a profile tag's name ("payment_habit" → "Payment habit") */
const char *
aq_label_tag (const char *tag)
{
  return find (tags, G_N_ELEMENTS (tags), tag);
}

/**
 * aq_label_value:
 * @section: (nullable): the 360 section the value comes from; %NULL for the header or a tag
 * @column: the column (or tag) that holds it
 * @value: (nullable): the code
 *
 * Returns: (nullable): what the code means to a person, or @value itself when it has no label
 */
const char *
aq_label_value (const char *section,
                const char *column,
                const char *value)
{
  if (value == NULL || column == NULL)
    return value;
  for (gsize i = 0; i < G_N_ELEMENTS (values); i++)
    if ((values[i].section == NULL || g_strcmp0 (values[i].section, section) == 0)
        && g_str_equal (values[i].column, column) && g_str_equal (values[i].value, value))
      return g_dpgettext2 (GETTEXT_PACKAGE, values[i].context, values[i].label);
  return value;
}

/* Returns: whether @column of @row is a number, which tables align to the right */
gboolean
aq_label_is_number (JsonObject *row,
                    const char *column)
{
  JsonNode *node;
  GType type;

  if (row == NULL || !json_object_has_member (row, column))
    return FALSE;
  node = json_object_get_member (row, column);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/**
 * aq_label_cell:
 * @section: (nullable): the section @row belongs to
 *
 * One value of a row as a table shows it: codes translated, money with two decimals,
 * booleans as yes/no, null as the empty string; an open work order's deadline with the time
 * left or overdue, counted from now.
 *
 * Returns: (transfer full): the text
 */
char *
aq_label_cell (const char *section,
               JsonObject *row,
               const char *column)
{
  JsonNode *node;
  GType type;

  if (row == NULL || !json_object_has_member (row, column))
    return g_strdup ("");
  node = json_object_get_member (row, column);
  if (JSON_NODE_HOLDS_NULL (node) || !JSON_NODE_HOLDS_VALUE (node))
    return g_strdup ("");
  type = json_node_get_value_type (node);
  if (type == G_TYPE_STRING && g_strcmp0 (section, "work_orders") == 0
      && g_str_equal (column, "sla_due_at") && work_order_open (row))
    {
      const char *due = json_node_get_string (node);
      g_autofree char *countdown = sla_countdown (due);

      return countdown ? g_strdup_printf ("%s (%s)", due, countdown) : g_strdup (due);
    }
  if (type == G_TYPE_STRING)
    return g_strdup (aq_label_value (section, column, json_node_get_string (node)));
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return g_strdup_printf ("%.2f", json_node_get_double (node));
  /* a bill that catches up unread months is marked; the others stay blank */
  if (type == G_TYPE_BOOLEAN && g_str_equal (column, "catch_up"))
    return g_strdup (json_node_get_boolean (node) ? C_("catch up", "Yes") : "");
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? _("yes") : _("no"));
  return g_strdup ("");
}

/* aq-customer-timeline.c — every dated row of a customer 360, merged newest first
 *
 * Pure data: the input is the 360 as aq_customer_360_to_json() writes it (its "sections"), the
 * output an array of events, each naming its kind, its section, the row's index there, the
 * time it is sorted by and the row itself (shared, not copied). No SQL: the sections already
 * hold what the agent may see, masked as they are, so the timeline can never show more.
 *
 * Times are compared as text: every section's time column is an ISO date or timestamp as
 * PostgreSQL writes them ("2026-10-07", "2026-10-07 10:23:00"), which sort as text do. A date
 * sorts before the timestamps of its own day, which is what "newest first" means for a bill
 * read that day and a call taken in the afternoon.
 */
#define G_LOG_DOMAIN "aq-customer-timeline"

#include "config.h"

#include "aq-customer-timeline.h"

#include <string.h>

/* The order of AqTimelineKind's bits; "time" is the column an event is dated by, "fallback"
 * the one used when it is null (a bill not read yet still has its period). */
static const struct
{
  const char *name;
  const char *section;
  const char *time;
  const char *fallback;
} kinds[AQ_TIMELINE_N_KINDS] = {
  { "account", "accounts", "opened_on", NULL },
  { "bill", "bills", "read_date", "period" },
  { "payment", "payments", "paid_at", NULL },
  { "reading", "readings", "read_date", "period" },
  { "work_order", "work_orders", "created_at", NULL },
  { "call", "calls", "started_at", NULL },
  { "sms", "sms", "sent_at", NULL },
  { "installation", "installations", "applied_on", NULL },
  { "outage", "outages", "start_time", NULL },
};

typedef struct
{
  const char *time;
  guint       kind;   /* the index in kinds[] */
  guint       index;
  JsonObject *row;
} Event;

/* ---- auxiliary methods ---- */

static guint
kind_index (AqTimelineKind kind)
{
  for (guint i = 0; i < AQ_TIMELINE_N_KINDS; i++)
    if ((guint) kind == 1u << i)
      return i;
  return G_MAXUINT;
}

static const char *
row_time (JsonObject *row,
          guint       kind)
{
  const char *members[] = { kinds[kind].time, kinds[kind].fallback };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node;

      if (members[i] == NULL || !json_object_has_member (row, members[i]))
        continue;
      node = json_object_get_member (row, members[i]);
      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        return json_node_get_string (node);
    }
  return "";
}

/* Newest first; then the sections' order, then each section's own order (newest first too). */
static gint
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Event *x = a;
  const Event *y = b;
  int by_time = strcmp (y->time, x->time);

  if (by_time != 0)
    return by_time;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* ---- public API ---- */

const char *
aq_timeline_kind_to_string (AqTimelineKind kind)
{
  guint i = kind_index (kind);

  return i < AQ_TIMELINE_N_KINDS ? kinds[i].name : NULL;
}

/* Returns: the kind named @name ("bill", "work_order"…), 0 for none */
AqTimelineKind
aq_timeline_kind_from_string (const char *name)
{
  for (guint i = 0; name && i < AQ_TIMELINE_N_KINDS; i++)
    if (g_str_equal (name, kinds[i].name))
      return 1u << i;
  return 0;
}

/* Returns: the 360 section the events of @kind come from */
const char *
aq_timeline_kind_section (AqTimelineKind kind)
{
  guint i = kind_index (kind);

  return i < AQ_TIMELINE_N_KINDS ? kinds[i].section : NULL;
}

/* Returns: the column of @kind's section its events are dated by */
const char *
aq_timeline_kind_time_member (AqTimelineKind kind)
{
  guint i = kind_index (kind);

  return i < AQ_TIMELINE_N_KINDS ? kinds[i].time : NULL;
}

/* Returns: the @n-th kind in the sections' order, 0 past the last */
AqTimelineKind
aq_timeline_kind_nth (guint n)
{
  return n < AQ_TIMELINE_N_KINDS ? 1u << n : 0;
}

/**
 * aq_customer_timeline_build:
 * @customer: a 360 as aq_customer_360_to_json() makes it (a "sections" member)
 * @kinds: a mask of #AqTimelineKind: the kinds to keep
 *
 * Every row of the sections of @kinds becomes one event:
 * `{kind, section, index, time, row}`; a row without a time keeps its place at the end.
 *
 * Returns: (transfer full): the events, newest first
 */
JsonArray *
aq_customer_timeline_build (JsonObject *customer,
                            guint       kinds_mask)
{
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (Event));
  JsonObject *sections;
  JsonArray *out;

  g_return_val_if_fail (customer != NULL, NULL);

  out = json_array_new ();
  if (!json_object_has_member (customer, "sections"))
    return out;
  sections = json_object_get_object_member (customer, "sections");
  if (sections == NULL)
    return out;

  for (guint k = 0; k < AQ_TIMELINE_N_KINDS; k++)
    {
      JsonObject *section;
      JsonArray *rows;

      if (!(kinds_mask & (1u << k)) || !json_object_has_member (sections, kinds[k].section))
        continue;
      section = json_object_get_object_member (sections, kinds[k].section);
      rows = section && json_object_has_member (section, "rows")
             ? json_object_get_array_member (section, "rows") : NULL;
      for (guint i = 0; rows && i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          Event event = { row ? row_time (row, k) : "", k, i, row };

          if (row != NULL)
            g_array_append_val (events, event);
        }
    }
  g_array_sort (events, compare_events);

  for (guint i = 0; i < events->len; i++)
    {
      Event *event = &g_array_index (events, Event, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "kind", kinds[event->kind].name);
      json_object_set_string_member (object, "section", kinds[event->kind].section);
      json_object_set_int_member (object, "index", event->index);
      if (*event->time != '\0')
        json_object_set_string_member (object, "time", event->time);
      else
        json_object_set_null_member (object, "time");
      json_object_set_object_member (object, "row", json_object_ref (event->row));
      json_array_add_object_element (out, object);
    }
  return out;
}

/* Returns: how many of @events are of one of @kinds */
guint
aq_customer_timeline_count (JsonArray *events,
                            guint      kinds_mask)
{
  guint n = 0;

  g_return_val_if_fail (events != NULL, 0);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (kinds_mask & aq_timeline_kind_from_string (json_object_get_string_member (event,
                                                                                   "kind")))
        n++;
    }
  return n;
}

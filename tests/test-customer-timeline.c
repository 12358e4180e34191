/* test-customer-timeline.c — the merged, newest-first timeline of a 360: on hand-made JSON
 * (ties, fallbacks, rows without a time, filters) and on a real 360 of a small demo warehouse
 * (every row of every section once, in time order, each kind counted as SQL counts it) */
#include "aq-test-util.h"

#include <string.h>

#include "aq-customer-timeline.h"

static AqDb *db;

/* The shared asserting helpers, on this test's warehouse. */
#define text1(sql, param) aq_test_text1 (db, sql, param)
#define count1(sql, param) aq_test_count1 (db, sql, param)

static const char *
event_kind (JsonArray *events,
            guint      i)
{
  return json_object_get_string_member (json_array_get_object_element (events, i), "kind");
}

static const char *
event_time (JsonArray *events,
            guint      i)
{
  JsonObject *event = json_array_get_object_element (events, i);

  return json_object_get_null_member (event, "time") ? NULL
         : json_object_get_string_member (event, "time");
}

/* ---- tests ---- */

static void
test_hand_made (void)
{
  g_autoptr(JsonObject) customer = aq_test_parse_object (
    "{\"account_id\": \"A1\", \"sections\": {"
    " \"bills\": {\"count\": 2, \"rows\": ["
    "   {\"period\": \"2026-10-01\", \"read_date\": \"2026-10-07\", \"amount\": 16.8},"
    "   {\"period\": \"2026-09-01\", \"read_date\": null, \"amount\": 14.0}]},"
    " \"payments\": {\"count\": 1, \"rows\": ["
    "   {\"pay_no\": 7, \"paid_at\": \"2026-10-07 09:30:00\", \"amount\": 16.8}]},"
    " \"readings\": {\"count\": 2, \"rows\": ["
    "   {\"period\": \"2026-10-01\", \"read_date\": \"2026-10-07\", \"qty\": 6},"
    "   {\"period\": \"2026-09-01\", \"read_date\": null, \"qty\": 0}]},"
    " \"calls\": {\"count\": 2, \"rows\": ["
    "   {\"call_id\": 2, \"started_at\": \"2026-11-02 15:00:00\"},"
    "   {\"call_id\": 1, \"started_at\": null}]},"
    " \"sms\": {\"count\": 0, \"rows\": []},"
    " \"unknown\": {\"count\": 1, \"rows\": [{\"x\": 1}]}"
    "}}");
  g_autoptr(JsonArray) all = aq_customer_timeline_build (customer, AQ_TIMELINE_ALL);
  g_autoptr(JsonArray) money = aq_customer_timeline_build (customer,
                                                           AQ_TIMELINE_BILL | AQ_TIMELINE_PAYMENT);
  g_autoptr(JsonObject) empty = aq_test_parse_object ("{\"sections\": {}}");
  g_autoptr(JsonArray) none = aq_customer_timeline_build (empty, AQ_TIMELINE_ALL);
  const char *expected[][2] = {
    { "call", "2026-11-02 15:00:00" },
    { "payment", "2026-10-07 09:30:00" },
    /* same day, a date: after the timestamp; bills before readings, as the sections go */
    { "bill", "2026-10-07" },
    { "reading", "2026-10-07" },
    /* no read date: the period dates them */
    { "bill", "2026-09-01" },
    { "reading", "2026-09-01" },
    /* no time at all: last */
    { "call", NULL },
  };
  JsonObject *first;

  g_assert_cmpuint (json_array_get_length (all), ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (event_kind (all, i), ==, expected[i][0]);
      g_assert_cmpstr (event_time (all, i), ==, expected[i][1]);
    }
  /* each event holds its row and says where it came from */
  first = json_array_get_object_element (all, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "section"), ==, "calls");
  g_assert_cmpint (json_object_get_int_member (first, "index"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "row"),
                                               "call_id"), ==, 2);

  g_assert_cmpuint (json_array_get_length (money), ==, 3);
  g_assert_cmpuint (aq_customer_timeline_count (all, AQ_TIMELINE_CALL), ==, 2);
  g_assert_cmpuint (aq_customer_timeline_count (all, AQ_TIMELINE_BILL | AQ_TIMELINE_READING),
                    ==, 4);
  g_assert_cmpuint (aq_customer_timeline_count (money, AQ_TIMELINE_CALL), ==, 0);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);

  g_assert_cmpstr (aq_timeline_kind_to_string (AQ_TIMELINE_WORK_ORDER), ==, "work_order");
  g_assert_cmpuint (aq_timeline_kind_from_string ("sms"), ==, AQ_TIMELINE_SMS);
  g_assert_cmpuint (aq_timeline_kind_from_string ("nonsense"), ==, 0);
  g_assert_cmpstr (aq_timeline_kind_section (AQ_TIMELINE_OUTAGE), ==, "outages");
  g_assert_cmpuint (aq_timeline_kind_nth (AQ_TIMELINE_N_KINDS), ==, 0);
  g_assert_cmpstr (aq_timeline_kind_to_string (aq_timeline_kind_nth (0)), ==, "account");
}

/* A real 360: every section row of the kinds asked for appears once, newest first. */
static void
test_real_360 (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCustomer360) view = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonArray) events = NULL;
  g_autoptr(JsonArray) service = NULL;
  g_autofree char *account = NULL;
  guint sum = 0;

  /* the account with the most calls and work orders, so every kind has a chance to show */
  account = text1 ("SELECT a.account_id FROM dw.dim_account a"
                                  " ORDER BY (SELECT count(*) FROM dw.fact_call c"
                                  "           WHERE c.customer_id = a.customer_id)"
                                  "        + (SELECT count(*) FROM dw.fact_work_order w"
                                  "           WHERE w.account_id = a.account_id)"
                                  "        + (SELECT count(*) FROM dw.fact_payment p"
                                  "           WHERE p.account_id = a.account_id) DESC,"
                                  "          a.account_id LIMIT 1", NULL);
  view = aq_customer_360_load (db, account, AQ_ROLE_AGENT, NULL, &error);
  g_assert_no_error (error);
  node = aq_customer_360_to_json (view);
  events = aq_customer_timeline_build (json_node_get_object (node), AQ_TIMELINE_ALL);

  for (guint k = 0; k < AQ_TIMELINE_N_KINDS; k++)
    {
      AqTimelineKind kind = aq_timeline_kind_nth (k);
      JsonArray *rows = aq_customer_360_get_rows (view, aq_timeline_kind_section (kind));

      g_assert_nonnull (rows);
      sum += json_array_get_length (rows);
      g_assert_cmpuint (aq_customer_timeline_count (events, kind), ==,
                        json_array_get_length (rows));
    }
  g_assert_cmpuint (sum, >, 30);
  g_assert_cmpuint (json_array_get_length (events), ==, sum);

  for (guint i = 1; i < json_array_get_length (events); i++)
    {
      const char *before = event_time (events, i - 1);
      const char *after = event_time (events, i);

      if (after != NULL)
        {
          g_assert_nonnull (before);
          g_assert_cmpint (strcmp (before, after), >=, 0);
        }
    }

  /* against SQL: the payments and the calls the warehouse holds for this account */
  g_assert_cmpint (aq_customer_timeline_count (events, AQ_TIMELINE_PAYMENT), ==,
                   MIN (50, count1 ("SELECT count(*) FROM dw.fact_payment WHERE account_id = $1",
                                    account)));
  g_assert_cmpint (aq_customer_timeline_count (events, AQ_TIMELINE_CALL), ==,
                   MIN (50, count1 ("SELECT count(*) FROM dw.fact_call c"
                                       " JOIN dw.dim_account a USING (customer_id)"
                                       " WHERE a.account_id = $1", account)));
  /* the newest payment is where SQL's newest paid_at is, among the payments */
  if (aq_customer_timeline_count (events, AQ_TIMELINE_PAYMENT) > 0)
    {
      g_autofree char *newest = text1 ("SELECT max(paid_at)::text FROM dw.fact_payment"
                                       " WHERE account_id = $1", account);
      for (guint i = 0; i < json_array_get_length (events); i++)
        if (g_str_equal (event_kind (events, i), "payment"))
          {
            g_assert_cmpstr (event_time (events, i), ==, newest);
            break;
          }
    }

  /* a filter keeps only its kinds, in the same order */
  service = aq_customer_timeline_build (json_node_get_object (node),
                                        AQ_TIMELINE_WORK_ORDER | AQ_TIMELINE_CALL);
  g_assert_cmpuint (json_array_get_length (service), ==,
                    aq_customer_timeline_count (events,
                                                AQ_TIMELINE_WORK_ORDER | AQ_TIMELINE_CALL));
  for (guint i = 0; i < json_array_get_length (service); i++)
    g_assert_true (g_str_equal (event_kind (service, i), "work_order")
                   || g_str_equal (event_kind (service, i), "call"));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/customer-timeline/hand-made", test_hand_made);
  db = aq_test_demo_db_new ("t_customer_timeline", 2000, 18);
  g_test_add_func ("/customer-timeline/real-360", test_real_360);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

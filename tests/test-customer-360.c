/* test-customer-360.c — the customer search and 360 on a small real demo warehouse: every key
 * kind, each section's count and newest row against independent SQL, masking by role, and the
 * audit rows every lookup leaves */
#include "aq-test-util.h"

#include <stdlib.h>
#include <string.h>

#include "aq-customer-private.h"
#include "aq-db-pipeline.h"
#include "aq-demo.h"
#include "aq-simulator.h"

static AqDb *db;

/* The shared asserting helpers, on this test's warehouse. */
#define text1(sql, param) aq_test_text1 (db, sql, param)
#define count1(sql, param) aq_test_count1 (db, sql, param)

static char *
member_text (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return g_strdup (json_node_get_string (node));
}

static char *
to_json (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* The section's count and its newest row's key, as the 360 says and as SQL says. */
static void
check_section (AqCustomer360 *view,
               const char    *section,
               const char    *param,
               const char    *from_where,
               const char    *key,
               const char    *order)
{
  g_autofree char *count_sql = g_strdup_printf ("SELECT count(*) %s", from_where);
  g_autofree char *newest_sql = g_strdup_printf ("SELECT %s::text %s ORDER BY %s LIMIT 1",
                                                 key, from_where, order);
  g_autofree char *newest = text1 (newest_sql, param);
  gint64 expected = count1 (count_sql, param);
  JsonArray *rows = aq_customer_360_get_rows (view, section);
  const char *member = strchr (key, '.') ? strchr (key, '.') + 1 : key;

  g_test_message ("section %s", section);
  g_assert_cmpint (aq_customer_360_get_count (view, section), ==, expected);
  g_assert_nonnull (rows);
  g_assert_cmpint (json_array_get_length (rows), <=, expected);
  if (expected == 0)
    g_assert_cmpint (json_array_get_length (rows), ==, 0);
  else
    {
      g_autofree char *first = member_text (json_array_get_object_element (rows, 0), member);

      g_assert_cmpstr (first, ==, newest);
    }
}

static AqCustomerLookup *
lookup (AqCustomerKey  key,
        const char    *text,
        AqRole         role)
{
  g_autoptr(GError) error = NULL;
  AqCustomerLookup *result = aq_customer_lookup (db, key, text, role, "test", NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

/* A mobile that belongs to one customer with one account, the busiest such account. */
static void
pick_single_phone (char **out_phone,
                   char **out_account)
{
  const char *sql =
    "SELECT ct.value || ' ' || min(a.account_id) FROM dw.contact ct"
    " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
    " WHERE ct.kind = 'mobile'"
    " GROUP BY ct.value HAVING count(DISTINCT a.account_id) = 1"
    " ORDER BY (SELECT count(*) FROM dw.fact_work_order w WHERE w.account_id = min(a.account_id))"
    "        + (SELECT count(*) FROM dw.fact_call c WHERE c.customer_id = min(a.customer_id))"
    "        DESC, 1 LIMIT 1";
  g_autofree char *both = text1 (sql, NULL);
  g_auto(GStrv) parts = g_strsplit (both, " ", 2);

  *out_phone = g_strdup (parts[0]);
  *out_account = g_strdup (parts[1]);
}

/* '13812345678' → '+86 138-1234 5678' */
static char *
messy (const char *mobile)
{
  return g_strdup_printf ("+86 %.3s-%.4s %s", mobile, mobile + 3, mobile + 7);
}

/* ---- tests ---- */

static void
test_phone_360 (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autofree char *typed = NULL;
  g_autofree char *customer = NULL;
  g_autofree char *premise = NULL;
  g_autoptr(AqCustomerLookup) result = NULL;
  AqCustomer360 *view;
  JsonObject *candidate;

  pick_single_phone (&phone, &account);
  typed = messy (phone);
  result = lookup (AQ_CUSTOMER_KEY_PHONE, typed, AQ_ROLE_SUPERVISOR);
  g_assert_cmpint (result->matches->key, ==, AQ_CUSTOMER_KEY_PHONE);
  g_assert_cmpstr (result->matches->value, ==, phone);
  g_assert_cmpint (json_array_get_length (result->matches->candidates), ==, 1);
  candidate = json_array_get_object_element (result->matches->candidates, 0);
  g_assert_cmpstr (json_object_get_string_member (candidate, "account_id"), ==, account);
  g_assert_cmpstr (json_object_get_string_member (candidate, "phone"), ==, phone);

  view = result->view;
  g_assert_nonnull (view);
  g_assert_cmpstr (view->account_id, ==, account);
  customer = text1 ("SELECT customer_id FROM dw.dim_account WHERE account_id = $1", account);
  premise = text1 ("SELECT premise_id::text FROM dw.dim_account WHERE account_id = $1", account);
  g_assert_cmpstr (view->customer_id, ==, customer);

  /* the header against the dimensions */
  {
    g_autofree char *name = text1 ("SELECT name FROM dw.dim_customer WHERE customer_id = $1",
                                   customer);
    g_autofree char *address = text1 ("SELECT p.address FROM dw.dim_account a JOIN "
                                      "dw.dim_premise p USING (premise_id) "
                                      "WHERE a.account_id = $1", account);
    g_autofree char *zone = text1 ("SELECT dma3_code FROM dw.dim_account WHERE account_id = $1",
                                   account);

    g_assert_cmpstr (json_object_get_string_member (view->header, "name"), ==, name);
    g_assert_cmpstr (json_object_get_string_member (view->header, "address"), ==, address);
    g_assert_cmpstr (json_object_get_string_member (view->header, "dma_zone"), ==, zone);
    g_assert_cmpstr (json_object_get_string_member (view->header, "mobile"), ==, phone);
  }

  check_section (view, "accounts", customer, "FROM dw.dim_account WHERE customer_id = $1",
                 "account_id", "opened_on DESC, account_id DESC");
  check_section (view, "bills", account, "FROM dw.fact_bill WHERE account_id = $1",
                 "period", "period DESC");
  check_section (view, "payments", account, "FROM dw.fact_payment WHERE account_id = $1",
                 "pay_no", "paid_at DESC, pay_no DESC");
  check_section (view, "readings", account, "FROM dw.fact_bill WHERE account_id = $1",
                 "period", "period DESC");
  check_section (view, "work_orders", account, "FROM dw.fact_work_order WHERE account_id = $1",
                 "wo_no", "created_at DESC, wo_no DESC");
  check_section (view, "calls", customer, "FROM dw.fact_call WHERE customer_id = $1",
                 "call_id", "started_at DESC, call_id DESC");
  check_section (view, "sms", account, "FROM dw.fact_sms WHERE account_id = $1",
                 "msg_id", "sent_at DESC, msg_id DESC");
  check_section (view, "installations", account,
                 "FROM dw.fact_installation WHERE account_id = $1",
                 "app_no", "applied_on DESC, app_no DESC");
  check_section (view, "outages", premise,
                 "FROM dw.fact_outage o JOIN dw.dim_premise p ON ST_Contains(o.geom, p.geom) "
                 "WHERE p.premise_id = $1::bigint",
                 "o.outage_id", "o.start_time DESC, o.outage_id DESC");
  /* the test picked an account with history: the comparisons above were not all of zeros */
  g_assert_cmpint (aq_customer_360_get_count (view, "work_orders")
                   + aq_customer_360_get_count (view, "calls"), >, 0);
  g_assert_cmpint (aq_customer_360_get_count (view, "bills"), >, 0);

  /* balance: late fees over all payments, arrears from the profile */
  {
    g_autofree char *fees = text1 ("SELECT coalesce(sum(late_fee), 0)::float8::text "
                                   "FROM dw.fact_payment WHERE account_id = $1", account);
    g_autofree char *months = text1 ("SELECT overdue_months FROM dm.customer_profile "
                                     "WHERE account_id = $1", account);

    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (view->balance, "late_fees"),
                                    g_ascii_strtod (fees, NULL), 0.005);
    g_assert_cmpint (json_object_get_int_member (view->balance, "overdue_months"), ==,
                     g_ascii_strtoll (months, NULL, 10));
  }
  /* "data as of": the last successful load, in the utility's zone, minutes */
  {
    g_autoptr(GTimeZone) zone = aq_clock_zone ();
    g_autofree char *zone_name = g_strdup (g_time_zone_get_identifier (zone));
    g_autofree char *as_of = text1 ("SELECT to_char(max(finished_at) AT TIME ZONE $1,"
                                    " 'YYYY-MM-DD HH24:MI') FROM meta.pipeline_run"
                                    " WHERE status = 'succeeded'", zone_name);

    g_assert_nonnull (as_of);
    g_assert_cmpstr (json_object_get_string_member (view->balance, "data_as_of"), ==, as_of);
  }

  /* the tier split adds up to the bill's m³, and a bill is marked as catching up exactly when
   * the month before it was not read */
  {
    JsonArray *bills = aq_customer_360_get_rows (view, "bills");
    guint n = json_array_get_length (bills);

    for (guint i = 0; i < n; i++)
      {
        JsonObject *bill = json_array_get_object_element (bills, i);
        gint64 qty = json_object_get_int_member (bill, "qty");
        gint64 sum = 0;

        if (qty > 0)
          {
            g_auto(GStrv) parts = g_strsplit (json_object_get_string_member (bill, "tiers"),
                                              " + ", -1);

            for (guint k = 0; parts[k]; k++)
              {
                g_assert_nonnull (strstr (parts[k], "×"));
                sum += g_ascii_strtoll (parts[k], NULL, 10);
              }
            g_assert_cmpint (sum, ==, qty);
          }
        if (i + 1 < n)
          {
            JsonObject *older = json_array_get_object_element (bills, i + 1);
            gboolean catches = g_str_equal (json_object_get_string_member (bill, "read_status"),
                                            "valid")
                               && !g_str_equal (json_object_get_string_member (older,
                                                                               "read_status"),
                                                "valid");

            g_assert_cmpint (json_object_get_boolean_member (bill, "catch_up"), ==, catches);
          }
      }
  }

  /* bounded: never more rows than the section's limit */
  g_assert_cmpint (json_array_get_length (aq_customer_360_get_rows (view, "bills")), <=, 60);
  /* the readings chart draws the whole history (up to 10 years), not the newest page of it */
  g_assert_cmpint (json_array_get_length (aq_customer_360_get_rows (view, "readings")), ==,
                   aq_customer_360_get_count (view, "readings"));

  /* the profile's seven tags, each explained */
  g_assert_cmpint (json_array_get_length (view->tags), ==, 7);
  for (guint i = 0; i < json_array_get_length (view->tags); i++)
    {
      JsonObject *tag = json_array_get_object_element (view->tags, i);

      g_assert_cmpuint (strlen (json_object_get_string_member (tag, "text")), >, 0);
    }
  {
    g_autofree char *habit = text1 ("SELECT payment_habit FROM dm.customer_profile "
                                    "WHERE account_id = $1", account);
    JsonObject *first = json_array_get_object_element (view->tags, 0);

    g_assert_cmpstr (json_object_get_string_member (first, "tag"), ==, "payment_habit");
    g_assert_cmpstr (json_object_get_string_member (first, "value"), ==, habit);
  }
}

static gboolean
has_alert (AqCustomer360 *view,
           const char    *kind,
           JsonObject   **out_alert)
{
  for (guint i = 0; i < json_array_get_length (view->alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (view->alerts, i);

      if (g_str_equal (json_object_get_string_member (alert, "kind"), kind))
        {
          if (out_alert)
            *out_alert = alert;
          return TRUE;
        }
    }
  return FALSE;
}

static void
test_alerts (void)
{
  g_autofree char *arrears = text1 ("SELECT account_id FROM dm.customer_profile "
                                    "WHERE arrears_amount > 0 ORDER BY account_id LIMIT 1", NULL);
  g_autofree char *clean = text1 ("SELECT account_id FROM dm.customer_profile "
                                  "WHERE arrears_amount = 0 AND zero_streak < 6 AND NOT spike "
                                  "ORDER BY account_id LIMIT 1", NULL);
  g_autofree char *streak = text1 ("SELECT account_id FROM dm.customer_profile "
                                   "WHERE zero_streak >= 6 ORDER BY account_id LIMIT 1", NULL);
  g_autofree char *outage = text1 ("SELECT a.account_id || ' ' || o.end_time FROM dw.dim_account a"
                                   " JOIN dw.dim_premise p USING (premise_id)"
                                   " JOIN dw.fact_outage o ON ST_Contains(o.geom, p.geom)"
                                   " WHERE o.status IN ('planned', 'active')"
                                   " ORDER BY 1 LIMIT 1", NULL);
  JsonObject *alert = NULL;

  g_assert_nonnull (arrears);
  {
    g_autoptr(AqCustomerLookup) r = lookup (AQ_CUSTOMER_KEY_ACCOUNT, arrears, AQ_ROLE_AGENT);
    g_autofree char *amount = text1 ("SELECT arrears_amount::float8::text FROM "
                                     "dm.customer_profile WHERE account_id = $1", arrears);

    g_assert_true (has_alert (r->view, "arrears", &alert));
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (alert, "amount"),
                                    g_ascii_strtod (amount, NULL), 0.005);
  }
  g_assert_nonnull (clean);
  {
    g_autoptr(AqCustomerLookup) r = lookup (AQ_CUSTOMER_KEY_ACCOUNT, clean, AQ_ROLE_AGENT);

    g_assert_false (has_alert (r->view, "arrears", NULL));
    g_assert_false (has_alert (r->view, "anomaly", NULL));
  }
  if (streak)
    {
      g_autoptr(AqCustomerLookup) r = lookup (AQ_CUSTOMER_KEY_ACCOUNT, streak, AQ_ROLE_AGENT);

      g_assert_true (has_alert (r->view, "anomaly", NULL));
    }
  if (outage)
    {
      g_auto(GStrv) parts = g_strsplit (outage, " ", 2);
      g_autoptr(AqCustomerLookup) r = lookup (AQ_CUSTOMER_KEY_ACCOUNT, parts[0], AQ_ROLE_AGENT);

      g_assert_true (has_alert (r->view, "outage", &alert));
      g_assert_cmpstr (json_object_get_string_member (alert, "expected_restoration"), ==,
                       parts[1]);
    }
  else
    g_test_message ("no planned or active outage covers an account in this warehouse");
}

/* Outages a dispatcher drew (notify.outage, 006_notify.sql) reach the alert and the section
 * through notify.outage_account; a cancelled one does not. Rolled back at the end. */
static void
test_dispatch_outage (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autofree char *active_id = NULL;
  g_autofree char *planned_id = NULL;
  g_autofree char *cancelled_id = NULL;
  g_autofree char *passed_id = NULL;
  g_autoptr(AqCustomerLookup) r = NULL;
  g_autoptr(GError) error = NULL;
  const char *insert =
    "WITH o AS (INSERT INTO notify.outage (kind, reason, start_time, expected_end, status, geom)"
    "           SELECT $2, $3, $4::timestamptz, $5::timestamptz, $6,"
    "                  ST_Multi(ST_Buffer(p.geom, 0.001))"
    "           FROM dw.dim_account a JOIN dw.dim_premise p USING (premise_id)"
    "           WHERE a.account_id = $1 RETURNING outage_id)"
    " INSERT INTO notify.outage_account (outage_id, account_id)"
    " SELECT outage_id, $1 FROM o RETURNING outage_id::text";
  gint64 warehouse_count;
  JsonObject *alert = NULL;
  JsonArray *rows;
  gboolean seen_active = FALSE;

  pick_single_phone (&phone, &account);
  warehouse_count = count1 ("SELECT count(*) FROM dw.fact_outage o JOIN dw.dim_premise p"
                            " ON ST_Contains(o.geom, p.geom) JOIN dw.dim_account a"
                            " USING (premise_id) WHERE a.account_id = $1", account);

  g_assert_true (aq_db_begin (db, &error));
  g_assert_no_error (error);
  {
    const char *active[] = { account, "emergency", "main burst on the test street",
                             "2020-01-01 06:00", "2031-01-01 18:00", "active" };
    const char *planned[] = { account, "planned", "valve replacement",
                              "2030-06-01 08:00", "2030-06-01 16:00", "planned" };
    const char *cancelled[] = { account, "planned", "called off",
                                "2030-07-01 08:00", "2030-07-01 16:00", "cancelled" };
    /* planned, and its window has passed: no longer announced as planned */
    const char *passed[] = { account, "planned", "meter chamber works",
                             "2020-03-01 08:00", "2020-03-01 16:00", "planned" };

    active_id = aq_db_query_string (db, insert, 6, active, &error);
    g_assert_no_error (error);
    planned_id = aq_db_query_string (db, insert, 6, planned, &error);
    g_assert_no_error (error);
    cancelled_id = aq_db_query_string (db, insert, 6, cancelled, &error);
    g_assert_no_error (error);
    passed_id = aq_db_query_string (db, insert, 6, passed, &error);
    g_assert_no_error (error);
  }

  r = lookup (AQ_CUSTOMER_KEY_ACCOUNT, account, AQ_ROLE_AGENT);
  g_assert_nonnull (r->view);
  g_assert_cmpint (aq_customer_360_get_count (r->view, "outages"), ==, warehouse_count + 3);
  rows = aq_customer_360_get_rows (r->view, "outages");
  /* newest first: the planned one starts latest; the cancelled one is nowhere */
  {
    JsonObject *first = json_array_get_object_element (rows, 0);

    g_assert_cmpint (json_object_get_int_member (first, "outage_id"), ==,
                     g_ascii_strtoll (planned_id, NULL, 10));
    g_assert_cmpstr (json_object_get_string_member (first, "source"), ==, "dispatch");
    g_assert_cmpstr (json_object_get_string_member (first, "end_time"), ==,
                     "2030-06-01 16:00:00");
  }
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (!g_str_equal (json_object_get_string_member (row, "source"), "dispatch"))
        continue;
      g_assert_cmpint (json_object_get_int_member (row, "outage_id"), !=,
                       g_ascii_strtoll (cancelled_id, NULL, 10));
      seen_active |= json_object_get_int_member (row, "outage_id")
                     == g_ascii_strtoll (active_id, NULL, 10);
    }
  g_assert_true (seen_active);

  /* both the outage under way and the planned one are alerts, with their restoration times */
  {
    guint dispatch_alerts = 0;

    for (guint i = 0; i < json_array_get_length (r->view->alerts); i++)
      {
        alert = json_array_get_object_element (r->view->alerts, i);
        if (!g_str_equal (json_object_get_string_member (alert, "kind"), "outage")
            || !g_str_equal (json_object_get_string_member (alert, "source"), "dispatch"))
          continue;
        dispatch_alerts++;
        if (json_object_get_int_member (alert, "outage_id") == g_ascii_strtoll (active_id,
                                                                                 NULL, 10))
          {
            g_assert_cmpstr (json_object_get_string_member (alert, "status"), ==, "active");
            g_assert_cmpstr (json_object_get_string_member (alert, "expected_restoration"), ==,
                             "2031-01-01 18:00:00");
            g_assert_nonnull (strstr (json_object_get_string_member (alert, "text"),
                                      "main burst on the test street"));
          }
        else if (json_object_get_int_member (alert, "outage_id")
                 == g_ascii_strtoll (passed_id, NULL, 10))
          {
            g_assert_cmpstr (json_object_get_string_member (alert, "status"), ==, "passed");
            g_assert_null (strstr (json_object_get_string_member (alert, "text"), "Planned"));
            g_assert_nonnull (strstr (json_object_get_string_member (alert, "text"),
                                      "not marked restored"));
          }
        else
          {
            g_assert_cmpint (json_object_get_int_member (alert, "outage_id"), ==,
                             g_ascii_strtoll (planned_id, NULL, 10));
            g_assert_cmpstr (json_object_get_string_member (alert, "status"), ==, "planned");
            g_assert_nonnull (strstr (json_object_get_string_member (alert, "text"),
                                      "Planned outage"));
          }
      }
    g_assert_cmpuint (dispatch_alerts, ==, 3);
  }
  aq_db_rollback (db);
  g_assert_cmpint (count1 ("SELECT count(*) FROM notify.outage WHERE outage_id = $1::bigint",
                           active_id), ==, 0);
}

/* "碧水公寓 1901" is a room in a community (before today it was read as a phone tail only),
 * and a search cut at the limit says how many matched in all. */
static void
test_room_and_total (void)
{
  g_autofree char *found = text1 ("SELECT cm.name || ' ' || p.room || ' ' || a.account_id"
                                  " FROM dw.dim_account a"
                                  " JOIN dw.dim_premise p USING (premise_id)"
                                  " JOIN dw.dim_community cm ON cm.community_code = a.community_code"
                                  " WHERE p.room ~ '^[0-9]{4}$' AND a.status = 'normal'"
                                  " ORDER BY a.account_id LIMIT 1", NULL);
  g_auto(GStrv) parts = NULL;
  g_autofree char *text = NULL;
  g_autofree char *busiest = text1 ("SELECT cm.name FROM dw.dim_community cm"
                                    " WHERE (SELECT count(*) FROM dw.dim_account a"
                                    "        JOIN dw.dim_premise p USING (premise_id)"
                                    "        WHERE p.address LIKE '%' || cm.name || '%') > 50"
                                    " ORDER BY 1 LIMIT 1", NULL);

  g_assert_nonnull (found);
  parts = g_strsplit (found, " ", 3);
  text = g_strdup_printf ("%s %s", parts[0], parts[1]);
  {
    g_autoptr(AqCustomerLookup) r = lookup (AQ_CUSTOMER_KEY_SEARCH, text, AQ_ROLE_AGENT);
    JsonArray *c = r->matches->candidates;
    gboolean seen = FALSE;

    g_assert_cmpuint (json_array_get_length (c), >, 0);
    for (guint i = 0; i < json_array_get_length (c); i++)
      seen |= g_str_equal (json_object_get_string_member (json_array_get_object_element (c, i),
                                                           "account_id"), parts[2]);
    g_assert_true (seen);
    g_assert_cmpint (r->matches->total, ==, json_array_get_length (c));
    /* the room is what was meant: its accounts come before any phone tail */
    {
      const char *first = json_object_get_string_member (json_array_get_object_element (c, 0),
                                                         "account_id");
      g_autofree char *room = text1 ("SELECT p.room FROM dw.dim_account a"
                                     " JOIN dw.dim_premise p USING (premise_id)"
                                     " WHERE a.account_id = $1", first);

      g_assert_cmpstr (room, ==, parts[1]);
    }
  }
  if (busiest != NULL)
    {
      g_autoptr(AqCustomerLookup) r = lookup (AQ_CUSTOMER_KEY_TEXT, busiest, AQ_ROLE_AGENT);
      gint64 all = count1 ("SELECT count(*) FROM dw.dim_account a"
                           " JOIN dw.dim_premise p USING (premise_id)"
                           " WHERE p.address LIKE '%' || $1 || '%'", busiest);

      g_assert_cmpuint (json_array_get_length (r->matches->candidates), ==,
                        AQ_CUSTOMER_SEARCH_LIMIT);
      g_assert_cmpint (r->matches->total, >=, all);
      g_assert_cmpint (r->matches->total, >, AQ_CUSTOMER_SEARCH_LIMIT);
    }
  else
    g_test_message ("no community with more than 50 accounts in this warehouse");
}

static void
test_shared_phone (void)
{
  g_autofree char *phone = text1 ("SELECT ct.value FROM dw.contact ct"
                                  " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
                                  " WHERE ct.kind = 'mobile' GROUP BY ct.value"
                                  " HAVING count(DISTINCT a.account_id) > 1 ORDER BY 1 LIMIT 1",
                                  NULL);
  gint64 expected;
  g_autoptr(AqCustomerLookup) r = NULL;

  g_assert_nonnull (phone);
  expected = count1 ("SELECT count(DISTINCT a.account_id) FROM dw.contact ct"
                     " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
                     " WHERE ct.value = $1", phone);
  r = lookup (AQ_CUSTOMER_KEY_SEARCH, phone, AQ_ROLE_AGENT);
  g_assert_cmpint (r->matches->key, ==, AQ_CUSTOMER_KEY_PHONE);
  g_assert_cmpint (json_array_get_length (r->matches->candidates), ==, MIN (expected, 50));
  g_assert_null (r->view);
}

static void
test_every_key (void)
{
  g_autofree char *account = text1 ("SELECT account_id FROM dw.dim_account a WHERE meter_no IS "
                                    "NOT NULL AND community_code IS NOT NULL AND (SELECT count(*)"
                                    " FROM dw.dim_account b WHERE b.customer_id = a.customer_id)"
                                    " = 1 ORDER BY account_id LIMIT 1", NULL);
  g_autofree char *customer = text1 ("SELECT customer_id FROM dw.dim_account "
                                     "WHERE account_id = $1", account);
  g_autofree char *meter = text1 ("SELECT meter_no FROM dw.dim_account WHERE account_id = $1",
                                  account);
  g_autofree char *name = text1 ("SELECT name FROM dw.dim_customer WHERE customer_id = $1",
                                 customer);
  g_autofree char *tail = text1 ("SELECT right(value, 4) || ' ' || cm.name FROM dw.contact ct"
                                 " JOIN dw.dim_account a ON a.customer_id = ct.customer_id"
                                 " JOIN dw.dim_community cm ON cm.community_code = a.community_code"
                                 " WHERE a.account_id = $1 ORDER BY value LIMIT 1", account);
  const struct
  {
    AqCustomerKey key;
    const char *text;
    AqCustomerKey as;
    gboolean only;  /* exactly this one account */
  } rows[] = {
    { AQ_CUSTOMER_KEY_ACCOUNT, account, AQ_CUSTOMER_KEY_ACCOUNT, TRUE },
    { AQ_CUSTOMER_KEY_ACCOUNT, meter, AQ_CUSTOMER_KEY_ACCOUNT, TRUE },
    { AQ_CUSTOMER_KEY_CUSTOMER, customer, AQ_CUSTOMER_KEY_CUSTOMER, TRUE },
    { AQ_CUSTOMER_KEY_SEARCH, account, AQ_CUSTOMER_KEY_ACCOUNT, TRUE },
    { AQ_CUSTOMER_KEY_SEARCH, meter, AQ_CUSTOMER_KEY_ACCOUNT, TRUE },
    /* eight digits like a local landline, but a customer number first */
    { AQ_CUSTOMER_KEY_SEARCH, customer, AQ_CUSTOMER_KEY_CUSTOMER, TRUE },
    { AQ_CUSTOMER_KEY_TEXT, name, AQ_CUSTOMER_KEY_TEXT, FALSE },
    { AQ_CUSTOMER_KEY_SEARCH, name, AQ_CUSTOMER_KEY_TEXT, FALSE },
    { AQ_CUSTOMER_KEY_PHONE_TAIL, tail, AQ_CUSTOMER_KEY_PHONE_TAIL, FALSE },
    { AQ_CUSTOMER_KEY_SEARCH, tail, AQ_CUSTOMER_KEY_PHONE_TAIL, FALSE },
  };

  g_assert_nonnull (account);
  g_assert_nonnull (tail);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(AqCustomerLookup) r = lookup (rows[i].key, rows[i].text, AQ_ROLE_SUPERVISOR);
      JsonArray *candidates = r->matches->candidates;
      gboolean found = FALSE;

      g_test_message ("%s as %s", rows[i].text, aq_customer_key_to_string (rows[i].key));
      g_assert_cmpint (r->matches->key, ==, rows[i].as);
      for (guint j = 0; j < json_array_get_length (candidates); j++)
        found |= g_str_equal (json_object_get_string_member (
                                json_array_get_object_element (candidates, j), "account_id"),
                              account);
      g_assert_true (found);
      if (rows[i].only)
        {
          g_assert_cmpint (json_array_get_length (candidates), ==, 1);
          g_assert_nonnull (r->view);
          g_assert_cmpstr (r->view->account_id, ==, account);
        }
    }
}

static void
test_miss_and_bad_input (void)
{
  g_autoptr(AqCustomerLookup) r = NULL;
  g_autoptr(GError) error = NULL;
  AqCustomerLookup *bad;

  g_assert_cmpint (count1 ("SELECT count(*) FROM dw.contact WHERE value = '13000000001'", NULL),
                   ==, 0);
  r = lookup (AQ_CUSTOMER_KEY_PHONE, "130-0000-0001", AQ_ROLE_AGENT);
  g_assert_cmpint (json_array_get_length (r->matches->candidates), ==, 0);
  g_assert_null (r->view);
  /* the "no customer" echo of a phone is a phone: masked for the agent like any other */
  g_assert_cmpstr (r->matches->value, ==, "130****0001");
  g_assert_cmpstr (r->matches->text, ==, "130****0001");
  g_clear_pointer (&r, aq_customer_lookup_free);
  r = lookup (AQ_CUSTOMER_KEY_PHONE, "130-0000-0001", AQ_ROLE_SUPERVISOR);
  g_assert_cmpstr (r->matches->value, ==, "13000000001");
  g_assert_cmpstr (r->matches->text, ==, "130-0000-0001");

  /* rejected keys are refused, and still leave an audit row with a masked echo */
  {
    gint64 before = count1 ("SELECT count(*) FROM meta.audit_log"
                            " WHERE action = 'customer.lookup.rejected'", NULL);
    g_autoptr(GPtrArray) entries = NULL;
    AqAuditEntry *entry;

    bad = aq_customer_lookup (db, AQ_CUSTOMER_KEY_PHONE, "12345", AQ_ROLE_AGENT, "test-bad",
                              NULL, &error);
    g_assert_null (bad);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_clear_error (&error);
    bad = aq_customer_lookup (db, AQ_CUSTOMER_KEY_TEXT, "张", AQ_ROLE_AGENT, "test-bad", NULL,
                              &error);
    g_assert_null (bad);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpint (count1 ("SELECT count(*) FROM meta.audit_log"
                             " WHERE action = 'customer.lookup.rejected'", NULL), ==, before + 2);

    entries = aq_audit_list (db, AQ_ROLE_SUPERVISOR, "customer.lookup.rejected", 2, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, ==, 2);
    entry = g_ptr_array_index (entries, 0);
    /* the warehouse writes the login, not what the client claims */
    g_assert_cmpstr (entry->actor, ==, "aqueduct");
    g_assert_null (entry->object);
    g_assert_cmpstr (json_object_get_string_member (entry->detail, "key"), ==, "text");
    g_assert_cmpstr (json_object_get_string_member (entry->detail, "text"), ==, "*");
    entry = g_ptr_array_index (entries, 1);
    g_assert_cmpstr (json_object_get_string_member (entry->detail, "key"), ==, "phone");
    g_assert_cmpstr (json_object_get_string_member (entry->detail, "text"), ==, "****45");
    g_assert_cmpstr (json_object_get_string_member (entry->detail, "role"), ==, "agent");
  }
}

static void
test_masking (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id_card = NULL;
  g_autofree char *agent_text = NULL;
  g_autofree char *supervisor_text = NULL;
  g_autofree char *masked_phone = NULL;
  g_autoptr(AqCustomerLookup) agent = NULL;
  g_autoptr(AqCustomerLookup) supervisor = NULL;
  g_autoptr(JsonNode) agent_json = NULL;
  g_autoptr(JsonNode) supervisor_json = NULL;

  pick_single_phone (&phone, &account);
  name = text1 ("SELECT c.name FROM dw.dim_account a JOIN dw.dim_customer c USING (customer_id)"
                " WHERE a.account_id = $1", account);
  id_card = text1 ("SELECT c.id_card FROM dw.dim_account a JOIN dw.dim_customer c "
                   "USING (customer_id) WHERE a.account_id = $1", account);
  masked_phone = aq_mask_phone (phone, AQ_ROLE_AGENT);

  agent = lookup (AQ_CUSTOMER_KEY_PHONE, phone, AQ_ROLE_AGENT);
  agent_json = aq_customer_lookup_to_json (agent);
  agent_text = to_json (agent_json);
  g_assert_null (strstr (agent_text, phone));
  g_assert_null (strstr (agent_text, name));
  if (id_card)
    g_assert_null (strstr (agent_text, id_card));
  g_assert_nonnull (strstr (agent_text, masked_phone));
  /* the lookup's own echo is masked too: the agent typed it, the JSON need not repeat it */
  g_assert_cmpstr (json_object_get_string_member (agent->view->header, "mobile"), ==,
                   masked_phone);

  supervisor = lookup (AQ_CUSTOMER_KEY_PHONE, phone, AQ_ROLE_SUPERVISOR);
  supervisor_json = aq_customer_lookup_to_json (supervisor);
  supervisor_text = to_json (supervisor_json);
  g_assert_nonnull (strstr (supervisor_text, phone));
  g_assert_nonnull (strstr (supervisor_text, name));

  /* a name typed by the agent is a name: the candidates, the echo and the audit row mask it */
  {
    g_autofree char *masked_name = aq_mask_name (name, AQ_ROLE_AGENT);
    g_autoptr(AqCustomerLookup) by_name = lookup (AQ_CUSTOMER_KEY_TEXT, name, AQ_ROLE_AGENT);
    g_autoptr(AqCustomerLookup) by_name_sup = NULL;
    g_autoptr(JsonNode) node = aq_customer_lookup_to_json (by_name);
    g_autofree char *json = to_json (node);
    g_autoptr(GPtrArray) entries = NULL;
    g_autoptr(GError) error = NULL;
    AqAuditEntry *entry;
    g_autofree char *audit_json = NULL;
    g_autoptr(JsonNode) detail = NULL;

    g_assert_cmpuint (json_array_get_length (by_name->matches->candidates), >, 0);
    g_assert_null (strstr (json, name));
    g_assert_cmpstr (by_name->matches->text, ==, masked_name);
    g_assert_cmpstr (by_name->matches->value, ==, masked_name);
    entries = aq_audit_list (db, AQ_ROLE_SUPERVISOR, "customer.lookup", 1, &error);
    g_assert_no_error (error);
    entry = g_ptr_array_index (entries, 0);
    detail = json_node_init_object (json_node_alloc (), entry->detail);
    audit_json = to_json (detail);
    g_assert_null (strstr (audit_json, name));
    g_assert_cmpstr (entry->object, ==, masked_name);
    g_assert_cmpstr (json_object_get_string_member (entry->detail, "text"), ==, masked_name);

    /* an address fragment that found premises is no name and stays as typed */
    by_name_sup = lookup (AQ_CUSTOMER_KEY_TEXT, name, AQ_ROLE_SUPERVISOR);
    g_assert_cmpstr (by_name_sup->matches->text, ==, name);
  }
  {
    g_autofree char *street = text1 ("SELECT substr(p.address, 1, 6) FROM dw.dim_account a"
                                     " JOIN dw.dim_premise p USING (premise_id)"
                                     " WHERE a.account_id = $1", account);
    g_autoptr(AqCustomerLookup) by_address = lookup (AQ_CUSTOMER_KEY_TEXT, street,
                                                     AQ_ROLE_AGENT);

    g_assert_cmpstr (by_address->matches->text, ==, street);
  }
}

static void
test_reveal (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqCustomer360) view = NULL;
  gint64 before, after;

  pick_single_phone (&phone, &account);
  before = count1 ("SELECT count(*) FROM meta.audit_log WHERE action = 'customer.reveal'", NULL);

  view = aq_customer_reveal (db, account, AQ_ROLE_AGENT, "agent7", "curious", NULL, &error);
  g_assert_null (view);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);
  view = aq_customer_reveal (db, account, AQ_ROLE_SUPERVISOR, "lead1", "  ", NULL, &error);
  g_assert_null (view);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count1 ("SELECT count(*) FROM meta.audit_log "
                           "WHERE action = 'customer.reveal'", NULL), ==, before);

  view = aq_customer_reveal (db, account, AQ_ROLE_SUPERVISOR, "lead1",
                             "caller disputes the name on the bill", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (view->header, "mobile"), ==, phone);
  after = count1 ("SELECT count(*) FROM meta.audit_log WHERE action = 'customer.reveal'", NULL);
  g_assert_cmpint (after, ==, before + 1);
  {
    g_autofree char *row = text1 ("SELECT actor || '|' || object || '|' || (detail->>'reason')"
                                  " FROM meta.audit_log WHERE action = 'customer.reveal'"
                                  " ORDER BY id DESC LIMIT 1", NULL);
    /* the login revealed it, whatever the client called itself ("lead1") */
    g_autofree char *expected = g_strdup_printf ("aqueduct|%s|caller disputes the name on the bill",
                                                 account);

    g_assert_cmpstr (row, ==, expected);
  }
}

static void
test_audit (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autofree char *typed = NULL;
  g_autoptr(AqCustomerLookup) r = NULL;
  g_autoptr(AqCustomerLookup) miss = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  AqAuditEntry *entry;
  gint64 before;

  pick_single_phone (&phone, &account);
  typed = messy (phone);
  before = count1 ("SELECT count(*) FROM meta.audit_log WHERE action = 'customer.lookup'", NULL);
  r = lookup (AQ_CUSTOMER_KEY_PHONE, typed, AQ_ROLE_AGENT);
  miss = lookup (AQ_CUSTOMER_KEY_PHONE, "13000000001", AQ_ROLE_AGENT);
  g_assert_cmpint (count1 ("SELECT count(*) FROM meta.audit_log "
                           "WHERE action = 'customer.lookup'", NULL), ==, before + 2);

  g_assert_null (aq_audit_list (db, AQ_ROLE_AGENT, NULL, 10, &error));
  g_assert_error (error, AQ_ERROR, AQ_ERROR_PERMISSION);
  g_clear_error (&error);

  entries = aq_audit_list (db, AQ_ROLE_SUPERVISOR, "customer.lookup", 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  /* newest first: the miss, then the hit */
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->object, ==, "13000000001");
  g_assert_cmpint (json_object_get_int_member (entry->detail, "found"), ==, 0);
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->actor, ==, "aqueduct");
  g_assert_cmpstr (entry->action, ==, "customer.lookup");
  g_assert_cmpstr (entry->object, ==, phone);
  g_assert_cmpstr (json_object_get_string_member (entry->detail, "key"), ==, "phone");
  /* the object keeps the number for a supervisor's search; the echo is masked as the agent
   * saw it */
  {
    g_autofree char *masked = aq_mask_phone (phone, AQ_ROLE_AGENT);

    g_assert_cmpstr (json_object_get_string_member (entry->detail, "text"), ==, masked);
  }
  g_assert_cmpstr (json_object_get_string_member (entry->detail, "account_id"), ==, account);
  g_assert_cmpint (json_object_get_int_member (entry->detail, "found"), ==, 1);
}

/* the text search reads both sides through trigram indexes (004_customer_360.sql) */
static void
test_indexes (void)
{
  g_assert_cmpint (count1 ("SELECT count(*) FROM pg_indexes WHERE schemaname = 'dw' AND indexname"
                           " IN ('dim_premise_address_trgm_idx', 'dim_customer_name_trgm_idx',"
                           "     'dim_key_customer_account_idx', 'contact_value_reverse_idx')",
                           NULL), ==, 4);
}

/* a prepared statement answers for each new value, and a bad one fails like aq_db_query() */
static void
test_prepared (void)
{
  static const char sql[] = "SELECT count(*) FROM dw.dim_account WHERE customer_id = $1";
  g_autofree char *a = text1 ("SELECT customer_id FROM dw.dim_account ORDER BY 1 LIMIT 1", NULL);
  g_autofree char *b = text1 ("SELECT customer_id FROM dw.dim_account ORDER BY 1 DESC LIMIT 1",
                              NULL);
  const char *customers[] = { a, b, "no such customer", a };
  g_autoptr(GError) error = NULL;
  PGresult *res;

  for (guint i = 0; i < G_N_ELEMENTS (customers); i++)
    {
      const char *params[] = { customers[i] };
      g_autofree char *expected = text1 ("SELECT count(*) FROM dw.dim_account "
                                         "WHERE customer_id = $1", customers[i]);

      res = aq_db_query_prepared (db, sql, 1, params, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, expected);
      PQclear (res);
    }
  res = aq_db_query_prepared (db, "SELECT no_such_column FROM dw.dim_account", 0, NULL, &error);
  g_assert_null (res);
  g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
}

/* the pipeline answers statement by statement; a failure in the middle fails the whole batch
 * and leaves the connection usable */
static void
test_pipeline (void)
{
  g_autofree char *a = text1 ("SELECT customer_id FROM dw.dim_account ORDER BY 1 LIMIT 1", NULL);
  g_autofree char *expected = text1 ("SELECT count(*) FROM dw.dim_account WHERE customer_id = $1",
                                     a);
  const char *params[] = { a };
  const AqDbStatement good[] = {
    { "SELECT count(*) FROM dw.dim_account WHERE customer_id = $1", 1, params },
    { "SELECT $1::text || '!'", 1, params },
  };
  const AqDbStatement bad[] = {
    good[0],
    { "SELECT no_such_column FROM dw.dim_account WHERE customer_id = $1", 1, params },
    good[1],
  };
  PGresult *results[3] = { NULL, };
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *bang = g_strconcat (a, "!", NULL);

      g_assert_true (aq_db_query_pipeline (db, good, G_N_ELEMENTS (good), results, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (PQgetvalue (results[0], 0, 0), ==, expected);
      g_assert_cmpstr (PQgetvalue (results[1], 0, 0), ==, bang);
      g_clear_pointer (&results[0], PQclear);
      g_clear_pointer (&results[1], PQclear);

      g_assert_false (aq_db_query_pipeline (db, bad, G_N_ELEMENTS (bad), results, &error));
      g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
      g_assert_nonnull (strstr (error->message, "no_such_column"));
      g_clear_error (&error);
      for (guint i = 0; i < G_N_ELEMENTS (results); i++)
        g_assert_null (results[i]);
      /* back in ordinary mode, outside any aborted transaction */
      g_assert_cmpint (count1 ("SELECT count(*) FROM dw.dim_account WHERE customer_id = $1", a),
                       ==, g_ascii_strtoll (expected, NULL, 10));
    }
}

/* An account with more history than the bills section shows: 60 bills, the newest, and every
 * reading up to 120 months, both counting all, against SQL on dw.fact_bill and
 * dw.fact_reading (the 360 reads both sections with one statement). */
static void
test_long_history (void)
{
  g_autofree char *account = text1 ("SELECT account_id FROM dw.fact_bill GROUP BY 1"
                                    " ORDER BY count(*) DESC, 1 LIMIT 1", NULL);
  g_autofree char *oldest = text1 ("SELECT min(period)::text FROM dw.fact_bill"
                                   " WHERE account_id = $1", account);
  g_autofree char *bill_nos = NULL;
  g_autofree char *readings = NULL;
  g_autoptr(GString) seen_bills = g_string_new (NULL);
  g_autoptr(GString) seen_readings = g_string_new (NULL);
  g_autoptr(AqCustomer360) view = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  gint64 total;

  /* six copies of the account's bills, each further back */
  {
    const char *params[] = { account };
    g_autoptr(PGresult) res = aq_db_query (db,
      "INSERT INTO dw.fact_bill SELECT b.account_id,"
      "  (b.period - make_interval(years => 3 * k))::date, b.bill_no + 1000000000000 * k,"
      "  (b.read_date - make_interval(years => 3 * k))::date,"
      "  b.prev_read, b.curr_read, b.read_status, b.qty, b.tier1_qty, b.tier2_qty, b.tier3_qty,"
      "  b.water_fee, b.sewage_fee, b.amount, (b.due_date - make_interval(years => 3 * k))::date"
      " FROM dw.fact_bill b, generate_series(1, 6) k WHERE b.account_id = $1", 1, params, &error);

    g_assert_no_error (error);
  }
  total = count1 ("SELECT count(*) FROM dw.fact_reading WHERE account_id = $1", account);
  g_assert_cmpint (total, >, 120);
  bill_nos = text1 ("SELECT string_agg(bill_no::text, ',' ORDER BY period DESC) FROM"
                    " (SELECT * FROM dw.fact_bill WHERE account_id = $1"
                    "  ORDER BY period DESC LIMIT 60) b", account);
  readings = text1 ("SELECT string_agg(concat_ws('|', period, read_date, curr_read, qty,"
                    "                            read_status), ',' ORDER BY period DESC) FROM"
                    " (SELECT * FROM dw.fact_reading WHERE account_id = $1"
                    "  ORDER BY period DESC LIMIT 120) r", account);

  view = aq_customer_360_load (db, account, AQ_ROLE_AGENT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (aq_customer_360_get_count (view, "bills"), ==, total);
  g_assert_cmpint (aq_customer_360_get_count (view, "readings"), ==, total);

  rows = aq_customer_360_get_rows (view, "bills");
  g_assert_cmpuint (json_array_get_length (rows), ==, 60);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      g_autofree char *no = member_text (json_array_get_object_element (rows, i), "bill_no");

      g_string_append_printf (seen_bills, "%s%s", i ? "," : "", no);
    }
  g_assert_cmpstr (seen_bills->str, ==, bill_nos);

  rows = aq_customer_360_get_rows (view, "readings");
  g_assert_cmpuint (json_array_get_length (rows), ==, 120);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      static const char *const columns[] = {
        "period", "read_date", "curr_read", "qty", "read_status",
      };
      gboolean first = TRUE;

      /* the reading's own columns, in dw.fact_reading's order, and no bill column */
      g_assert_cmpuint (json_object_get_size (row), ==, G_N_ELEMENTS (columns));
      g_string_append (seen_readings, i ? "," : "");
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        {
          g_autofree char *value = member_text (row, columns[c]);

          if (value == NULL)
            continue;
          g_string_append_printf (seen_readings, "%s%s", first ? "" : "|", value);
          first = FALSE;
        }
    }
  g_assert_cmpstr (seen_readings->str, ==, readings);

  {
    const char *params[] = { account, oldest };
    g_autoptr(PGresult) res = aq_db_query (db, "DELETE FROM dw.fact_bill WHERE account_id = $1"
                                               " AND period < $2::date", 2, params, &error);

    g_assert_no_error (error);
  }
}

/* "Data as of" reads the newest succeeded run from migration 065's index, not every run
 * (meta.pipeline_run keeps thousands a year): with sequential scans priced out, the profile
 * statement's plan probes the index, and what it says is the newest succeeded run's end. */
static void
test_data_as_of_index (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) probe = aq_db_connect (aq_db_get_conninfo (db), &error);
  const char **names, **sql;
  guint n = _aq_customer_360_statements (&names, &sql);
  g_autofree char *account = text1 ("SELECT account_id FROM dw.dim_account ORDER BY 1 LIMIT 1",
                                    NULL);
  g_autofree char *explain = NULL;
  g_autofree char *plan = NULL;
  const char *params[] = { account };
  const char *profile = NULL;

  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    if (g_str_equal (names[i], "profile"))
      profile = sql[i];
  g_assert_nonnull (profile);
  g_assert_true (aq_db_exec (probe, "BEGIN; SET LOCAL enable_seqscan = off", &error));
  g_assert_no_error (error);
  explain = g_strconcat ("EXPLAIN (COSTS OFF) ", profile, NULL);
  {
    g_autoptr(PGresult) res = aq_db_query (probe, explain, 1, params, &error);
    g_autoptr(GString) text = g_string_new (NULL);

    g_assert_no_error (error);
    for (int r = 0; r < PQntuples (res); r++)
      g_string_append_printf (text, "%s\n", PQgetvalue (res, r, 0));
    plan = g_string_free (g_steal_pointer (&text), FALSE);
  }
  g_test_message ("%s", plan);
  g_assert_nonnull (strstr (plan, "pipeline_run_succeeded_idx"));
  g_assert_null (strstr (plan, "Seq Scan on pipeline_run"));
  aq_db_rollback (probe);
}

/* A phone's customers are planned as the few they are (065), not as 1,000 rows: at that size
 * the lookup's candidate query hashed every community at each lookup. */
static void
test_phone_rows_estimate (void)
{
  g_autoptr(GError) error = NULL;
  const char *params[] = { "13800000000" };
  g_autoptr(PGresult) res = aq_db_query (db, "EXPLAIN (FORMAT JSON) SELECT a.account_id"
                                             " FROM dw.dim_account a WHERE a.customer_id IN"
                                             " (SELECT masked.customers_with_contact($1))",
                                         1, params, &error);
  g_autoptr(JsonNode) plan = NULL;
  double rows;

  g_assert_no_error (error);
  plan = json_from_string (PQgetvalue (res, 0, 0), &error);
  g_assert_no_error (error);
  rows = json_object_get_double_member (
    json_object_get_object_member (
      json_array_get_object_element (json_node_get_array (plan), 0), "Plan"), "Plan Rows");
  g_test_message ("candidates estimated: %.0f", rows);
  g_assert_cmpfloat (rows, <=, 10);
}

/* One statement of a 360 fails in the middle of the pipeline (here the SMS section, for one
 * account only): that 360 and its lookup fail with the server's error and leave no audit row,
 * and the next 360s on the same connection, of that account as a supervisor and of another
 * account as an agent, are read in full and exactly as before. */
static void
test_pipeline_failure_360 (void)
{
  g_autofree char *bad = text1 ("SELECT account_id FROM dw.fact_sms WHERE account_id IS NOT NULL"
                                " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1", NULL);
  g_autofree char *good = text1 ("SELECT account_id FROM dw.fact_sms WHERE account_id <> $1"
                                 " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1", bad);
  g_autofree char *view_sql = text1 ("SELECT pg_get_viewdef('masked.fact_sms'::regclass)", NULL);
  g_autofree char *restore = g_strdup_printf ("CREATE OR REPLACE VIEW masked.fact_sms"
                                              " WITH (security_barrier) AS %s", view_sql);
  g_autofree char *poison = NULL;
  g_autofree char *good_before = NULL;
  g_autofree char *good_after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2031-06-01T10:00:00+08:00", NULL);
  gint64 audit_rows;

  g_assert_nonnull (bad);
  g_assert_nonnull (good);
  /* the two JSONs compared must not straddle an outage's or an order's deadline */
  aq_clock_pin (now);
  {
    g_autoptr(AqCustomer360) view = aq_customer_360_load (db, good, AQ_ROLE_AGENT, NULL, &error);
    g_autoptr(JsonNode) node = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (aq_customer_360_get_count (view, "sms"), >, 0);
    node = aq_customer_360_to_json (view);
    good_before = to_json (node);
  }

  /* the same view, whose phone column divides by zero on the bad account's rows alone */
  {
    const char *params[] = { bad };

    poison = text1 ("SELECT 'CREATE OR REPLACE VIEW masked.fact_sms WITH (security_barrier) AS '"
                    " || replace(pg_get_viewdef('masked.fact_sms'::regclass),"
                    "   'masked.phone(fact_sms.phone)',"
                    "   format('masked.phone(CASE WHEN fact_sms.account_id = %L THEN (1 / ("
                    "length(fact_sms.account_id) - length(fact_sms.account_id)))::text"
                    " ELSE fact_sms.phone END)', $1::text))", params[0]);
    g_assert_nonnull (strstr (poison, "CASE WHEN"));
  }
  g_assert_true (aq_db_exec (db, poison, &error));
  g_assert_no_error (error);

  audit_rows = count1 ("SELECT count(*) FROM meta.audit_log", NULL);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(AqCustomer360) failed = aq_customer_360_load (db, bad, AQ_ROLE_AGENT, NULL,
                                                              &error);
      g_autoptr(AqCustomerLookup) failed_lookup = NULL;
      g_autoptr(AqCustomer360) supervisor = NULL;
      g_autoptr(AqCustomer360) other = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_assert_null (failed);
      g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
      g_assert_nonnull (strstr (error->message, "division by zero"));
      g_clear_error (&error);

      /* the lookup's audit row goes in the same round trip: it is not written either */
      failed_lookup = aq_customer_lookup (db, AQ_CUSTOMER_KEY_ACCOUNT, bad, AQ_ROLE_AGENT, "test",
                                          NULL, &error);
      g_assert_null (failed_lookup);
      g_assert_error (error, AQ_ERROR, AQ_ERROR_QUERY);
      g_clear_error (&error);
      g_assert_cmpint (count1 ("SELECT count(*) FROM meta.audit_log", NULL), ==, audit_rows);

      /* the connection is usable: a supervisor reads the table, not the view */
      supervisor = aq_customer_360_load (db, bad, AQ_ROLE_SUPERVISOR, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (aq_customer_360_get_count (supervisor, "sms"), ==,
                       count1 ("SELECT count(*) FROM dw.fact_sms WHERE account_id = $1", bad));
      other = aq_customer_360_load (db, good, AQ_ROLE_AGENT, NULL, &error);
      g_assert_no_error (error);
      node = aq_customer_360_to_json (other);
      g_free (good_after);
      good_after = to_json (node);
      g_assert_cmpstr (good_after, ==, good_before);
    }

  g_assert_true (aq_db_exec (db, restore, &error));
  g_assert_no_error (error);
  {
    g_autoptr(AqCustomer360) view = aq_customer_360_load (db, bad, AQ_ROLE_AGENT, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpint (aq_customer_360_get_count (view, "sms"), ==,
                     count1 ("SELECT count(*) FROM dw.fact_sms WHERE account_id = $1", bad));
  }
  aq_clock_pin (NULL);
}

static void
lookup_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AqCustomerLookup **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = aq_customer_lookup_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  g_autoptr(AqCustomerLookup) r = NULL;

  pick_single_phone (&phone, &account);
  aq_customer_lookup_async (aq_db_get_conninfo (db), AQ_CUSTOMER_KEY_PHONE, phone,
                            AQ_ROLE_AGENT, NULL, NULL, lookup_done_cb, &r);
  while (r == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (r->view);
  g_assert_cmpstr (r->view->account_id, ==, account);
}

/* An open work order's "overdue" at pinned instants a minute either side of its deadline
 * (kept as local time in the utility's zone), whatever the machine's and the server's clocks
 * and zones say; a closed one keeps what its closing decided. */
static void
test_overdue_pinned (void)
{
  g_autofree char *account = text1 ("SELECT account_id FROM dw.dim_account"
                                    " ORDER BY account_id LIMIT 1", NULL);
  struct { const char *now; gboolean open_overdue; } cases[] = {
    { "2031-06-01T09:59:00+08:00", FALSE },
    { "2031-06-01T10:00:00+08:00", FALSE },
    { "2031-06-01T10:00:01+08:00", TRUE },
    { "2031-06-01T02:01:00Z", TRUE },
  };
  g_autoptr(GError) error = NULL;

  /* created in the future, so they are the account's newest rows */
  {
    const char *params[] = { account };
    g_autoptr(PGresult) res = aq_db_query (db,
      "INSERT INTO dw.fact_work_order (wo_no, account_id, category, priority, source,"
      "  created_at, closed_at, status, sla_due_at)"
      " VALUES ('T-OPEN', $1, 'repair', 1, 'hotline', '2031-06-01 08:00', NULL, 'dispatched',"
      "         '2031-06-01 10:00'),"
      "        ('T-LATE', $1, 'repair', 1, 'hotline', '2031-06-01 07:00', '2031-06-01 11:00',"
      "         'closed', '2031-06-01 10:00')", 1, params, &error);

    g_assert_no_error (error);
  }
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (cases[i].now, NULL);
      g_autoptr(AqCustomer360) view = NULL;
      JsonArray *rows;
      guint seen = 0;

      aq_clock_pin (now);
      view = aq_customer_360_load (db, account, AQ_ROLE_SUPERVISOR, NULL, &error);
      aq_clock_pin (NULL);
      g_assert_no_error (error);
      rows = aq_customer_360_get_rows (view, "work_orders");
      for (guint r = 0; r < json_array_get_length (rows); r++)
        {
          JsonObject *row = json_array_get_object_element (rows, r);
          const char *wo = json_object_get_string_member (row, "wo_no");

          if (g_str_equal (wo, "T-OPEN"))
            {
              g_test_message ("%s: overdue %d", cases[i].now,
                              json_object_get_boolean_member (row, "overdue"));
              g_assert_cmpint (json_object_get_boolean_member (row, "overdue"), ==,
                               cases[i].open_overdue);
              seen++;
            }
          else if (g_str_equal (wo, "T-LATE"))
            {
              g_assert_true (json_object_get_boolean_member (row, "overdue"));
              seen++;
            }
        }
      g_assert_cmpuint (seen, ==, 2);
    }
  g_assert_true (aq_db_exec (db, "DELETE FROM dw.fact_work_order WHERE wo_no LIKE 'T-%'",
                             &error));
}

/* An agent reads the masked customer view, a security_barrier view: a lookup must still probe
 * it by key and never read every customer (at 1 M customers that was 0.3–1.2 s a lookup).
 * With sequential scans priced out, a plan that has no other way shows up in the scan counts. */
static void
test_agent_probes_by_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) probe = aq_db_connect (aq_db_get_conninfo (db), &error);
  g_autofree char *phone = NULL;
  g_autofree char *account = NULL;
  PGresult *res;

  g_assert_no_error (error);
  pick_single_phone (&phone, &account);
  g_assert_true (aq_db_exec (probe, "BEGIN; SET LOCAL enable_seqscan = off", &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(AqCustomerLookup) by_phone =
        aq_customer_lookup (probe, AQ_CUSTOMER_KEY_PHONE, phone, AQ_ROLE_AGENT, "test", NULL,
                            &error);
      g_autoptr(AqCustomerLookup) by_account =
        aq_customer_lookup (probe, AQ_CUSTOMER_KEY_ACCOUNT, account, AQ_ROLE_AGENT, "test", NULL,
                            &error);

      g_assert_no_error (error);
      g_assert_nonnull (by_phone);
      g_assert_nonnull (by_account);
    }
  res = aq_db_query (probe, "SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables"
                            " WHERE relid = 'dw.dim_customer'::regclass", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (PQgetvalue (res, 0, 0), ==, "0");
  g_assert_cmpint (atoi (PQgetvalue (res, 0, 1)), >=, 4);
  PQclear (res);
  g_assert_true (aq_db_exec (probe, "ROLLBACK", &error));
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  db = aq_test_demo_db_new ("t_customer_360", 3000, 24);

  g_test_add_func ("/customer-360/phone", test_phone_360);
  g_test_add_func ("/customer-360/alerts", test_alerts);
  g_test_add_func ("/customer-360/dispatch-outage", test_dispatch_outage);
  g_test_add_func ("/customer-360/shared-phone", test_shared_phone);
  g_test_add_func ("/customer-360/room-and-total", test_room_and_total);
  g_test_add_func ("/customer-360/every-key", test_every_key);
  g_test_add_func ("/customer-360/miss", test_miss_and_bad_input);
  g_test_add_func ("/customer-360/masking", test_masking);
  g_test_add_func ("/customer-360/reveal", test_reveal);
  g_test_add_func ("/customer-360/audit", test_audit);
  g_test_add_func ("/customer-360/async", test_async);
  g_test_add_func ("/customer-360/indexes", test_indexes);
  g_test_add_func ("/customer-360/prepared", test_prepared);
  g_test_add_func ("/customer-360/pipeline", test_pipeline);
  g_test_add_func ("/customer-360/pipeline-failure", test_pipeline_failure_360);
  g_test_add_func ("/customer-360/long-history", test_long_history);
  g_test_add_func ("/customer-360/data-as-of-index", test_data_as_of_index);
  g_test_add_func ("/customer-360/phone-rows-estimate", test_phone_rows_estimate);
  g_test_add_func ("/customer-360/overdue-pinned", test_overdue_pinned);
  g_test_add_func ("/customer-360/agent-probes-by-key", test_agent_probes_by_key);
  ret = g_test_run ();
  g_clear_object (&db);
  return ret;
}

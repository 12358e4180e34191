/* aq-customer-360.c — everything about one account a hotline agent needs on one screen
 *
 * One query for the header, one for the profile and alerts, one per section (the bills' also
 * gives the readings, the payments' also the late fees), all sent in one round trip (libpq
 * pipeline mode): each reads an index on the account, the customer or the premise, and each
 * section's rows are bounded while count(*) OVER () still gives the total, so the screen costs
 * the same for a customer with ten years of history as for a new one.
 * Masking is the warehouse's: unless revealing, the statements read the masked views (see
 * _aq_customer_sql() in aq-customer-search.c), and every lookup and reveal writes its
 * meta.audit_log row, whose actor the warehouse sets to the login.
 */
#define G_LOG_DOMAIN "aq-customer-360"

#include "config.h"

#include "aq-customer-360.h"
#include "aq-customer-labels.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-audit.h"
#include "aq-clock.h"
#include "aq-db-job.h"
#include "aq-customer-private.h"
#include "aq-db-pipeline.h"
#include "aq-error.h"

/* The customer and the premise come from the account inside each statement (an index probe),
 * so that every statement takes the account alone and all of them go in one round trip. */
#define CUSTOMER_OF_ACCOUNT "(SELECT customer_id FROM dw.dim_account WHERE account_id = $1)"
#define PREMISE_OF_ACCOUNT  "(SELECT premise_id FROM dw.dim_account WHERE account_id = $1)"

/* Every query's first column is the section's total; ties are broken so "newest" is one row.
 * A section's rows are its columns from `first` on (1 unless said), at most `limit` of them
 * (0: all the statement returns). */
static const struct
{
  const char *name;
  const char *sql;
  int         first;
  int         limit;
} sections[] = {
  { "accounts",
    "SELECT count(*) OVER () AS total, a.account_id, a.status, a.opened_on, a.closed_on,"
    "       p.address, a.tariff_code, a.meter_no, m.size_dn AS meter_size_dn,"
    "       m.brand AS meter_brand, m.model AS meter_model,"
    "       m.installed_on AS meter_installed_on, m.status AS meter_status"
    " FROM dw.dim_account a"
    " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
    " LEFT JOIN dw.dim_meter m ON m.meter_no = a.meter_no"
    " WHERE a.customer_id = " CUSTOMER_OF_ACCOUNT
    " ORDER BY a.opened_on DESC, a.account_id DESC LIMIT 20", 1, 0 },
  /* with the tier split (m³ × price per tier, at the account's tariff) and whether the bill
   * catches up months that were not read (the agents' two questions about a high bill). The
   * section shows the newest 60; the statement reads up to 120 months, since the readings
   * section is the same rows' meter columns (dw.fact_reading is a view over dw.fact_bill):
   * one statement, one walk of the account's bills, for both. */
  { "bills",
    "SELECT count(*) OVER () AS total, b.period, b.bill_no, b.read_date, b.prev_read,"
    "       b.curr_read, b.read_status, b.qty,"
    "       nullif(concat_ws(' + ',"
    "         CASE WHEN b.tier1_qty > 0 THEN b.tier1_qty || '×' || t.price1 END,"
    "         CASE WHEN b.tier2_qty > 0 THEN b.tier2_qty || '×' || t.price2 END,"
    "         CASE WHEN b.tier3_qty > 0 THEN b.tier3_qty || '×' || t.price3 END), '') AS tiers,"
    "       b.water_fee, b.sewage_fee, b.amount, b.due_date,"
    "       (b.read_status = 'valid'"
    "        AND lag(b.read_status) OVER (ORDER BY b.period) IS DISTINCT FROM 'valid'"
    "        AND lag(b.period) OVER (ORDER BY b.period) IS NOT NULL) AS catch_up"
    " FROM dw.fact_bill b"
    " JOIN dw.dim_account a ON a.account_id = b.account_id"
    " LEFT JOIN dw.dim_tariff t ON t.tariff_code = a.tariff_code"
    " WHERE b.account_id = $1 ORDER BY b.period DESC LIMIT 120", 1, 60 },
  /* with the late fees of all the account's payments, for the balance */
  { "payments",
    "SELECT count(*) OVER () AS total, sum(late_fee) OVER () AS late_fees, pay_no, period,"
    "       paid_at, amount, late_fee, channel, days_late"
    " FROM dw.fact_payment WHERE account_id = $1 ORDER BY paid_at DESC, pay_no DESC LIMIT 50",
    2, 0 },
  { "work_orders",
    /* an open order's overdue is decided by open_orders_overdue(), against aq_clock */
    "SELECT count(*) OVER () AS total, wo_no, category, priority, source, status, phone,"
    "       created_at, closed_at, sla_due_at,"
    "       CASE WHEN status = 'cancelled' THEN false"
    "            WHEN closed_at IS NOT NULL THEN closed_at > sla_due_at"
    "            ELSE NULL::boolean END AS overdue"
    " FROM dw.fact_work_order WHERE account_id = $1"
    " ORDER BY created_at DESC, wo_no DESC LIMIT 50", 1, 0 },
  { "calls",
    "SELECT count(*) OVER () AS total, call_id, phone, started_at, ivr_path, wait_seconds,"
    "       talk_seconds, category, agent_id, wo_no"
    " FROM dw.fact_call WHERE customer_id = " CUSTOMER_OF_ACCOUNT
    " ORDER BY started_at DESC, call_id DESC LIMIT 50", 1, 0 },
  { "sms",
    "SELECT count(*) OVER () AS total, msg_id, phone, template, batch_no, sent_at, status"
    " FROM dw.fact_sms WHERE account_id = $1 ORDER BY sent_at DESC, msg_id DESC LIMIT 50",
    1, 0 },
  { "installations",
    "SELECT count(*) OVER () AS total, app_no, applicant, phone, address, app_type, size_dn,"
    "       applied_on, status, finished_on, days_to_connect"
    " FROM dw.fact_installation WHERE account_id = $1"
    " ORDER BY applied_on DESC, app_no DESC LIMIT 20", 1, 0 },
  /* the warehouse's outage history by geometry, and the outages dispatchers drew in Aqueduct
   * (006_notify.sql) by the accounts fixed when each was saved; a cancelled one never happened */
  { "outages",
    "SELECT count(*) OVER () AS total, o.outage_id, o.kind, o.reason, o.status, o.start_time,"
    "       o.end_time, o.restored_at, o.source"
    " FROM (SELECT f.outage_id::bigint, f.kind, f.reason, f.status, f.start_time, f.end_time,"
    "              f.restored_at, 'warehouse' AS source"
    "       FROM dw.fact_outage f JOIN dw.dim_premise p ON ST_Contains(f.geom, p.geom)"
    "       WHERE p.premise_id = " PREMISE_OF_ACCOUNT
    "       UNION ALL"
    "       SELECT n.outage_id, n.kind, n.reason, n.status, n.start_time::timestamp,"
    "              n.expected_end::timestamp, n.restored_at::timestamp, 'dispatch'"
    "       FROM notify.outage_account oa JOIN notify.outage n ON n.outage_id = oa.outage_id"
    "       WHERE oa.account_id = $1 AND n.status <> 'cancelled') o"
    " ORDER BY o.start_time DESC, o.outage_id DESC LIMIT 20", 1, 0 },
};

/* The readings section: these columns of the bills statement, all its rows (up to 120). */
static const char *const reading_columns[] = {
  "period", "read_date", "curr_read", "qty", "read_status",
};

typedef struct
{
  AqCustomerKey  key;
  char          *text;
  AqRole         role;
  char          *actor;
} LookupData;

/* ---- auxiliary methods ---- */

static void
lookup_data_free (LookupData *data)
{
  g_free (data->text);
  g_free (data->actor);
  g_free (data);
}

static const char *
value_or_null (PGresult *res,
               int       row,
               int       column)
{
  return PQgetisnull (res, row, column) ? NULL : PQgetvalue (res, row, column);
}

static void
add_alert (AqCustomer360 *view,
           const char    *kind,
           char          *text,
           JsonObject    *extra)
{
  JsonObject *alert = extra ? extra : json_object_new ();

  json_object_set_string_member (alert, "kind", kind);
  json_object_set_string_member (alert, "text", text);
  json_array_add_object_element (view->alerts, alert);
  g_free (text);
}

static void
add_tag (AqCustomer360 *view,
         const char    *tag,
         const char    *value,
         char          *text)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "tag", tag);
  if (value)
    json_object_set_string_member (object, "value", value);
  else
    json_object_set_null_member (object, "value");
  json_object_set_string_member (object, "text", text);
  json_array_add_object_element (view->tags, object);
  g_free (text);
}

static const char *
habit_text (const char *habit)
{
  if (g_strcmp0 (habit, "on_time") == 0)
    return _("Pays by the due date");
  if (g_strcmp0 (habit, "late") == 0)
    return _("Often pays after the due date");
  return _("Has unpaid bills past their due date");
}

static const char header_sql[] =
  "SELECT a.premise_id::text, a.account_id, a.customer_id, c.name,"
  "       c.id_card, c.mobile, c.landline, c.customer_type,"
  "       a.status AS account_status, p.address, a.community_code,"
  "       cm.name AS community, a.dma3_code AS dma_zone, a.tariff_code,"
  "       t.name AS tariff, kc.name AS key_customer,"
  "       kc.kind AS key_customer_kind, a.meter_no"
  " FROM dw.dim_account a"
  AQ_CUSTOMER_OF_ACCOUNT ("a")
  " JOIN dw.dim_premise p ON p.premise_id = a.premise_id"
  " LEFT JOIN dw.dim_community cm ON cm.community_code = a.community_code"
  " LEFT JOIN dw.dim_tariff t ON t.tariff_code = a.tariff_code"
  " LEFT JOIN LATERAL (SELECT name, kind FROM dw.dim_key_customer k"
  "                    WHERE k.account_id = a.account_id"
  "                    ORDER BY kc_id LIMIT 1) kc ON true"
  " WHERE a.account_id = $1";

static const char profile_sql[] =
  "SELECT cp.payment_habit, cp.preferred_channel, cp.consumption_level,"
  "       cp.avg_qty_12m, cp.median_qty_peer, cp.trend, cp.zero_streak,"
  "       cp.spike, cp.arrears_amount, cp.overdue_months, cp.calls_12m,"
  "       cp.work_orders_12m,"
  "       (SELECT wo_no || ' ' || created_at FROM dw.fact_work_order"
  "        WHERE account_id = $1 AND category = 'complaint'"
  "          AND status NOT IN ('closed', 'cancelled')"
  "        ORDER BY created_at DESC LIMIT 1) AS open_complaint,"
  "       (SELECT extract(epoch FROM max(finished_at))::bigint FROM meta.pipeline_run"
  "        WHERE status = 'succeeded') AS data_as_of"
  " FROM (SELECT $1::text AS account_id) k"
  " LEFT JOIN dm.customer_profile cp ON cp.account_id = k.account_id";

/* The tags and the alerts that come from dm.customer_profile, with the facts behind each;
 * @late_fees is the sum over the account's payments, which their section's statement adds up. */
static void
read_profile (PGresult      *res,
              const char    *late_fees,
              AqCustomer360 *view,
              GTimeZone     *zone)
{
  const char *habit, *channel, *level, *trend;
  double avg, median, arrears;
  int zero_streak, overdue, calls, orders;
  gboolean spike;

  view->balance = json_object_new ();
  json_object_set_double_member (view->balance, "late_fees", g_ascii_strtod (late_fees, NULL));
  /* "data as of": the last load that succeeded, in the utility's time */
  if (!PQgetisnull (res, 0, 13))
    {
      g_autoptr(GDateTime) utc =
        g_date_time_new_from_unix_utc (g_ascii_strtoll (PQgetvalue (res, 0, 13), NULL, 10));
      g_autoptr(GDateTime) local = utc ? g_date_time_to_timezone (utc, zone) : NULL;
      g_autofree char *text = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : NULL;

      if (text != NULL)
        json_object_set_string_member (view->balance, "data_as_of", text);
    }
  if (!PQgetisnull (res, 0, 12))
    {
      g_auto(GStrv) parts = g_strsplit (PQgetvalue (res, 0, 12), " ", 2);
      JsonObject *extra = json_object_new ();

      json_object_set_string_member (extra, "wo_no", parts[0]);
      json_object_set_string_member (extra, "created_at", parts[1]);
      add_alert (view, "complaint",
                 g_strdup_printf (_("Open complaint %s since %s"), parts[0], parts[1]), extra);
    }

  /* no profile yet (the dm pipelines have not run since the account opened): no tags */
  if (PQgetisnull (res, 0, 0))
    {
      json_object_set_null_member (view->balance, "arrears_amount");
      json_object_set_null_member (view->balance, "overdue_months");
      return;
    }

  habit = PQgetvalue (res, 0, 0);
  channel = value_or_null (res, 0, 1);
  level = value_or_null (res, 0, 2);
  avg = g_ascii_strtod (PQgetvalue (res, 0, 3), NULL);
  median = g_ascii_strtod (PQgetvalue (res, 0, 4), NULL);
  trend = value_or_null (res, 0, 5);
  zero_streak = atoi (PQgetvalue (res, 0, 6));
  spike = PQgetvalue (res, 0, 7)[0] == 't';
  arrears = g_ascii_strtod (PQgetvalue (res, 0, 8), NULL);
  overdue = atoi (PQgetvalue (res, 0, 9));
  calls = atoi (PQgetvalue (res, 0, 10));
  orders = atoi (PQgetvalue (res, 0, 11));

  json_object_set_double_member (view->balance, "arrears_amount", arrears);
  json_object_set_int_member (view->balance, "overdue_months", overdue);

  if (arrears > 0)
    {
      JsonObject *extra = json_object_new ();

      json_object_set_double_member (extra, "amount", arrears);
      json_object_set_int_member (extra, "overdue_months", overdue);
      add_alert (view, "arrears",
                 /* Translators: %.2f is an amount in yuan, %d a number of months */
                 g_strdup_printf (ngettext ("Owes %.2f yuan over %d overdue month",
                                            "Owes %.2f yuan over %d overdue months", overdue),
                                  arrears, overdue),
                 extra);
    }
  if (zero_streak >= 6 || spike)
    {
      JsonObject *extra = json_object_new ();

      json_object_set_int_member (extra, "zero_streak", zero_streak);
      json_object_set_boolean_member (extra, "spike", spike);
      add_alert (view, "anomaly",
                 spike ? g_strdup (_("The last reading is over 5 times the 12-month median"))
                       : g_strdup_printf (ngettext ("No consumption for %d month in a row",
                                                    "No consumption for %d months in a row",
                                                    zero_streak), zero_streak),
                 extra);
    }

  add_tag (view, "payment_habit", habit, g_strdup (habit_text (habit)));
  add_tag (view, "preferred_channel", channel,
           channel ? g_strdup_printf (_("Pays mostly by %s"),
                                      aq_label_value (NULL, "preferred_channel", channel))
                   : g_strdup (_("No payment yet")));
  add_tag (view, "consumption_level", level,
           g_strdup_printf (_("%.1f m³ a month over 12 months; the peer median is %.1f m³"),
                            avg, median));
  add_tag (view, "trend", trend,
           trend ? g_strdup_printf (_("The last 6 months against the 6 before: %s"),
                                    aq_label_value (NULL, "trend", trend))
                 : g_strdup (_("Too little history for a trend")));
  {
    g_autofree char *months = g_strdup_printf ("%d", zero_streak);

    add_tag (view, "zero_streak", months,
             zero_streak > 0
             ? g_strdup_printf (ngettext ("%d month without consumption, up to the last bill",
                                          "%d months in a row without consumption, up to the "
                                          "last bill", zero_streak),
                                zero_streak)
             : g_strdup (_("The last bill had consumption")));
  }
  add_tag (view, "spike", spike ? "true" : "false",
           spike ? g_strdup (_("The last reading is over 5 times the 12-month median"))
                 : g_strdup (_("The last reading is in line with the past year")));
  {
    g_autofree char *contacts = g_strdup_printf ("%d", calls + orders);

    add_tag (view, "contact_frequency", contacts,
             g_strdup_printf (_("%d hotline calls and %d work orders in the last 12 months"),
                              calls, orders));
  }
}

static void
read_section (PGresult      *res,
              AqCustomer360 *view,
              guint          i)
{
  JsonObject *section;
  JsonArray *rows;

  section = json_object_new ();
  rows = json_array_new ();
  for (int r = 0; r < PQntuples (res) && (sections[i].limit == 0 || r < sections[i].limit); r++)
    json_array_add_object_element (rows, _aq_customer_row_to_json (res, r, sections[i].first,
                                                                   view->role));
  json_object_set_int_member (section, "count",
                              PQntuples (res) ? g_ascii_strtoll (PQgetvalue (res, 0, 0),
                                                                 NULL, 10) : 0);
  json_object_set_array_member (section, "rows", rows);
  json_object_set_object_member (view->sections, sections[i].name, section);
}

/* The readings section from the bills statement's rows: the same count and every row, with
 * the meter's columns only. */
static void
read_readings (PGresult      *res,
               AqCustomer360 *view)
{
  int columns[G_N_ELEMENTS (reading_columns)];
  JsonObject *section = json_object_new ();
  JsonArray *rows = json_array_new ();

  for (guint c = 0; c < G_N_ELEMENTS (reading_columns); c++)
    columns[c] = PQfnumber (res, reading_columns[c]);
  for (int r = 0; r < PQntuples (res); r++)
    json_array_add_object_element (rows,
                                   _aq_customer_row_columns_to_json (res, r, columns,
                                                                     G_N_ELEMENTS (columns),
                                                                     view->role));
  json_object_set_int_member (section, "count",
                              PQntuples (res) ? g_ascii_strtoll (PQgetvalue (res, 0, 0),
                                                                 NULL, 10) : 0);
  json_object_set_array_member (section, "rows", rows);
  json_object_set_object_member (view->sections, "readings", section);
}

/* An open work order is overdue when its deadline (local time in the utility's zone, as the
 * warehouse keeps it) has passed: decided here with aq_clock, not with the server's clock
 * and session time zone, so it is the same answer on every machine and testable. */
static void
open_orders_overdue (AqCustomer360 *view,
                     GTimeZone     *zone,
                     GDateTime     *now)
{
  JsonArray *rows = aq_customer_360_get_rows (view, "work_orders");

  for (guint i = 0; rows && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_autofree char *due = NULL;
      g_autoptr(GDateTime) when = NULL;

      if (!json_object_get_null_member (row, "overdue")
          || json_object_get_null_member (row, "sla_due_at"))
        continue;
      due = g_strdup (json_object_get_string_member (row, "sla_due_at"));
      if (strlen (due) > 10 && due[10] == ' ')
        due[10] = 'T';
      when = g_date_time_new_from_iso8601 (due, zone);
      if (when != NULL)
        json_object_set_boolean_member (row, "overdue", g_date_time_compare (now, when) > 0);
    }
}

/* A local time as the warehouse keeps it ("2026-12-01 16:00:00", the utility's zone). */
static GDateTime *
parse_local (const char *text,
             GTimeZone  *zone)
{
  g_autofree char *iso = NULL;

  if (text == NULL || strlen (text) < 16)
    return NULL;
  iso = g_strdup (text);
  if (iso[10] == ' ')
    iso[10] = 'T';
  return g_date_time_new_from_iso8601 (iso, zone);
}

/* An outage planned or under way over the address is what the caller most likely rings about.
 * What it says follows aq_clock, not the stored status alone: a planned outage whose start
 * has come is under way, and one whose window has passed is no longer "planned" but an outage
 * dispatch has not marked restored (status "passed"). */
static void
add_outage_alerts (AqCustomer360 *view,
                   GTimeZone     *zone,
                   GDateTime     *now)
{
  JsonArray *rows = aq_customer_360_get_rows (view, "outages");

  for (guint i = 0; rows && i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *status = json_object_get_string_member (row, "status");

      if (g_strcmp0 (status, "planned") == 0 || g_strcmp0 (status, "active") == 0)
        {
          JsonObject *extra = json_object_new ();
          const char *start = json_object_get_string_member (row, "start_time");
          const char *end = json_object_get_string_member (row, "end_time");
          const char *reason = json_object_get_string_member (row, "reason");
          g_autoptr(GDateTime) start_at = parse_local (start, zone);
          g_autoptr(GDateTime) end_at = parse_local (end, zone);
          const char *effective = status;
          char *text;

          if (end_at != NULL && g_date_time_compare (now, end_at) >= 0)
            effective = "passed";
          else if (start_at != NULL && g_date_time_compare (now, start_at) >= 0)
            effective = "active";

          json_object_set_int_member (extra, "outage_id",
                                      json_object_get_int_member (row, "outage_id"));
          json_object_set_string_member (extra, "source",
                                         json_object_get_string_member (row, "source"));
          json_object_set_string_member (extra, "status", effective);
          json_object_set_string_member (extra, "start_time", start);
          json_object_set_string_member (extra, "expected_restoration", end);
          if (g_str_equal (effective, "passed"))
            /* Translators: %s are the outage's start, its expected end and its reason */
            text = g_strdup_printf (_("Outage from %s to %s (%s) should be over, but it is not "
                                      "marked restored: check with dispatch"),
                                    start, end, reason);
          else if (g_str_equal (effective, "active"))
            text = g_strdup_printf (_("No water at this address now (%s); expected back "
                                      "by %s"), reason, end);
          else
            text = g_strdup_printf (_("Planned outage from %s to %s (%s)"), start, end, reason);
          add_alert (view, "outage", text, extra);
        }
    }
}

/* The utility's zone (aq_clock_zone()). GLib shares a zone only while a reference to it lives
 * and maps its tzfile again for every new one: an mmap, page faults and a munmap whose TLB
 * shootdown stops the other core too, a third of a hot 360's client time when the 360 did it
 * three times. The last zone is kept, so the next 360 finds it. */
static GTimeZone *
utility_zone (void)
{
  static GTimeZone *kept;
  GTimeZone *zone = aq_clock_zone ();
  GTimeZone *old = g_atomic_pointer_exchange (&kept, g_time_zone_ref (zone));

  if (old != NULL)
    g_time_zone_unref (old);
  return zone;
}

static gpointer
lookup_job (AqDb          *db,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  LookupData *data = task_data;

  return aq_customer_lookup (db, data->key, data->text, data->role, data->actor, cancellable,
                             error);
}

/* The 360 of one account; @also (nullable) is one more statement sent in the same round trip
 * (the lookup's audit row), after the reads. */
static AqCustomer360 *
load_view (AqDb                *db,
           const char          *account_id,
           AqRole               role,
           const AqDbStatement *also,
           GCancellable        *cancellable,
           GError             **error)
{
  const char *params[] = { account_id };
  AqDbStatement statements[3 + G_N_ELEMENTS (sections)];
  PGresult *results[3 + G_N_ELEMENTS (sections)] = { NULL, };
  guint n_statements = 2 + G_N_ELEMENTS (sections);
  g_autoptr(AqCustomer360) view = NULL;
  gboolean ok;
  gulong handler;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  /* an agent's statements read the masked views, a supervisor's the tables */
  statements[0] = (AqDbStatement) { _aq_customer_sql (header_sql, role), 1, params };
  statements[1] = (AqDbStatement) { _aq_customer_sql (profile_sql, role), 1, params };
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    statements[2 + i] = (AqDbStatement) { _aq_customer_sql (sections[i].sql, role), 1, params };
  if (also)
    statements[n_statements++] = *also;

  /* one round trip: at 1 M accounts the statements' own work is a few index probes each */
  handler = aq_db_watch_cancellable (db, cancellable);
  ok = aq_db_query_pipeline (db, statements, n_statements, results, error);
  aq_db_unwatch_cancellable (db, cancellable, handler);
  if (!ok)
    return NULL;

  if (PQntuples (results[0]) == 0)
    g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No account “%s”"), account_id);
  else
    {
      g_autoptr(GTimeZone) zone = utility_zone ();
      g_autoptr(GDateTime) now = aq_clock_now ();
      PGresult *bills = NULL;
      PGresult *payments = NULL;

      view = g_new0 (AqCustomer360, 1);
      view->role = role;
      view->account_id = g_strdup (PQgetvalue (results[0], 0, 1));
      view->customer_id = g_strdup (PQgetvalue (results[0], 0, 2));
      view->header = _aq_customer_row_to_json (results[0], 0, 1, role);
      view->alerts = json_array_new ();
      view->sections = json_object_new ();
      view->tags = json_array_new ();

      for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
        if (g_str_equal (sections[i].name, "bills"))
          bills = results[2 + i];
        else if (g_str_equal (sections[i].name, "payments"))
          payments = results[2 + i];
      read_profile (results[1], PQntuples (payments) ? PQgetvalue (payments, 0, 1) : "0", view,
                    zone);
      for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
        {
          read_section (results[2 + i], view, i);
          /* the readings after the payments, where the 360 has always listed them */
          if (results[2 + i] == payments)
            read_readings (bills, view);
        }
      open_orders_overdue (view, zone, now);
      add_outage_alerts (view, zone, now);
    }

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    PQclear (results[i]);
  return g_steal_pointer (&view);
}

/* ---- private API ---- */

/* What aq_customer_360_load() sends, each taking the account as $1: for the benchmark, which
 * compares ways of sending them. Returns how many; the arrays are static. */
guint
_aq_customer_360_statements (const char ***names,
                             const char ***sql)
{
  static const char *n[2 + G_N_ELEMENTS (sections)];
  static const char *q[2 + G_N_ELEMENTS (sections)];

  n[0] = "header";
  q[0] = header_sql;
  n[1] = "profile";
  q[1] = profile_sql;
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      n[2 + i] = sections[i].name;
      q[2 + i] = sections[i].sql;
    }
  *names = n;
  *sql = q;
  return G_N_ELEMENTS (n);
}

/* ---- public API ---- */

void
aq_customer_360_free (AqCustomer360 *view)
{
  if (view == NULL)
    return;
  g_free (view->account_id);
  g_free (view->customer_id);
  g_clear_pointer (&view->header, json_object_unref);
  g_clear_pointer (&view->alerts, json_array_unref);
  g_clear_pointer (&view->balance, json_object_unref);
  g_clear_pointer (&view->sections, json_object_unref);
  g_clear_pointer (&view->tags, json_array_unref);
  g_free (view);
}

/**
 * aq_customer_360_load:
 * @account_id: the account, as a search candidate names it
 * @role: what personal data the result may hold
 *
 * Reads the 360 of one account. Writes no audit row: aq_customer_lookup() and
 * aq_customer_reveal() do, and are what callers use.
 *
 * Returns: (transfer full): the 360, or %NULL with %AQ_ERROR_NOT_FOUND for no such account
 */
AqCustomer360 *
aq_customer_360_load (AqDb          *db,
                      const char    *account_id,
                      AqRole         role,
                      GCancellable  *cancellable,
                      GError       **error)
{
  return load_view (db, account_id, role, NULL, cancellable, error);
}

/**
 * aq_customer_360_get_count:
 *
 * Returns: how many rows @section has in all (its rows are bounded), -1 for no such section
 */
gint64
aq_customer_360_get_count (AqCustomer360 *view,
                           const char    *section)
{
  JsonObject *object;

  g_return_val_if_fail (view != NULL, -1);

  object = json_object_has_member (view->sections, section)
           ? json_object_get_object_member (view->sections, section) : NULL;
  return object ? json_object_get_int_member (object, "count") : -1;
}

/**
 * aq_customer_360_get_rows:
 *
 * Returns: (transfer none) (nullable): the newest rows of @section, newest first
 */
JsonArray *
aq_customer_360_get_rows (AqCustomer360 *view,
                          const char    *section)
{
  JsonObject *object;

  g_return_val_if_fail (view != NULL, NULL);

  object = json_object_has_member (view->sections, section)
           ? json_object_get_object_member (view->sections, section) : NULL;
  return object ? json_object_get_array_member (object, "rows") : NULL;
}

JsonNode *
aq_customer_360_to_json (AqCustomer360 *view)
{
  JsonObject *root;

  g_return_val_if_fail (view != NULL, NULL);

  root = json_object_new ();
  json_object_set_string_member (root, "role", aq_role_to_string (view->role));
  json_object_set_string_member (root, "account_id", view->account_id);
  json_object_set_string_member (root, "customer_id", view->customer_id);
  json_object_set_object_member (root, "header", json_object_ref (view->header));
  json_object_set_array_member (root, "alerts", json_array_ref (view->alerts));
  json_object_set_object_member (root, "balance", json_object_ref (view->balance));
  json_object_set_object_member (root, "sections", json_object_ref (view->sections));
  json_object_set_array_member (root, "tags", json_array_ref (view->tags));
  return json_node_init_object (json_node_alloc (), root);
}

/**
 * aq_customer_reveal:
 * @role: must be %AQ_ROLE_SUPERVISOR
 * @actor: (nullable): who; %NULL means the database user
 * @reason: why the full data is needed; kept in the audit row
 *
 * The unmasked 360, for a supervisor who says why. The audit row is written before the data
 * is read, so no reveal goes unrecorded.
 *
 * Returns: (transfer full): the unmasked 360
 */
AqCustomer360 *
aq_customer_reveal (AqDb          *db,
                    const char    *account_id,
                    AqRole         role,
                    const char    *actor,
                    const char    *reason,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(JsonObject) detail = NULL;
  g_autofree char *why = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (account_id != NULL, NULL);

  why = g_strstrip (g_strdup (reason ? reason : ""));
  if (role != AQ_ROLE_SUPERVISOR)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("Only a supervisor may reveal a customer's personal data"));
      return NULL;
    }
  if (*why == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Say why the customer's personal data is needed"));
      return NULL;
    }

  detail = json_object_new ();
  json_object_set_string_member (detail, "reason", why);
  json_object_set_string_member (detail, "role", aq_role_to_string (role));
  if (!aq_audit_write (db, actor, "customer.reveal", account_id, detail, error))
    return NULL;
  return aq_customer_360_load (db, account_id, AQ_ROLE_SUPERVISOR, cancellable, error);
}

void
aq_customer_lookup_free (AqCustomerLookup *lookup)
{
  if (lookup == NULL)
    return;
  g_clear_pointer (&lookup->matches, aq_customer_matches_free);
  g_clear_pointer (&lookup->view, aq_customer_360_free);
  g_free (lookup);
}

/**
 * aq_customer_lookup:
 * @key: what @text is, or %AQ_CUSTOMER_KEY_SEARCH to guess
 * @text: what the agent typed
 * @role: masks personal data in everything returned
 * @actor: (nullable): who, for the audit row; %NULL means the database user
 *
 * What the panel and `aqueductctl customer lookup` do: search, and when exactly one account
 * matches, load its 360. Writes one 'customer.lookup' audit row whatever was found, and one
 * 'customer.lookup.rejected' row (key kind and masked echo) when @text is no key.
 *
 * Returns: (transfer full): the lookup; %NULL with %AQ_ERROR_INVALID when @text is no key
 */
AqCustomerLookup *
aq_customer_lookup (AqDb          *db,
                    AqCustomerKey  key,
                    const char    *text,
                    AqRole         role,
                    const char    *actor,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(AqCustomerLookup) lookup = NULL;
  g_autoptr(JsonObject) detail = NULL;
  g_autofree char *value = NULL;
  AqCustomerKey searched_as = key;
  const char *object;
  GError *local_error = NULL;
  JsonArray *candidates;
  guint n;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  lookup = g_new0 (AqCustomerLookup, 1);
  lookup->role = role;
  lookup->matches = _aq_customer_search (db, key, text, role, &searched_as, &value,
                                         cancellable, &local_error);
  if (lookup->matches == NULL)
    {
      /* what an agent tried counts as much as what was found: a rejected key leaves its row
       * too, with only a masked echo since it may be anything that was pasted */
      if (g_error_matches (local_error, AQ_ERROR, AQ_ERROR_INVALID))
        {
          g_autofree char *echo = _aq_customer_mask_echo (searched_as, text, FALSE, role);
          g_autoptr(GError) audit_error = NULL;

          detail = json_object_new ();
          json_object_set_string_member (detail, "key", aq_customer_key_to_string (searched_as));
          json_object_set_string_member (detail, "text", echo);
          json_object_set_string_member (detail, "role", aq_role_to_string (role));
          json_object_set_string_member (detail, "error", "invalid");
          if (!aq_audit_write (db, actor, "customer.lookup.rejected", NULL, detail,
                               &audit_error))
            {
              g_clear_error (&local_error);
              g_propagate_error (error, g_steal_pointer (&audit_error));
              return NULL;
            }
        }
      g_propagate_error (error, local_error);
      return NULL;
    }

  candidates = lookup->matches->candidates;
  n = json_array_get_length (candidates);

  detail = json_object_new ();
  json_object_set_string_member (detail, "key", aq_customer_key_to_string (lookup->matches->key));
  json_object_set_string_member (detail, "text", lookup->matches->text);
  json_object_set_string_member (detail, "role", aq_role_to_string (role));
  json_object_set_int_member (detail, "found", n);
  if (n > 0)
    {
      JsonArray *accounts = json_array_new ();
      JsonObject *first = json_array_get_object_element (candidates, 0);

      for (guint i = 0; i < n; i++)
        json_array_add_string_element (accounts,
                                       json_object_get_string_member (
                                         json_array_get_object_element (candidates, i),
                                         "account_id"));
      json_object_set_array_member (detail, "accounts", accounts);
      json_object_set_string_member (detail, "customer_id",
                                     json_object_get_string_member (first, "customer_id"));
    }
  if (n == 1)
    json_object_set_string_member (detail, "account_id",
                                   json_object_get_string_member (
                                     json_array_get_object_element (candidates, 0),
                                     "account_id"));

  /* the object is the exact key (a phone in full), so a supervisor can tell who looked a
   * number up; a name fragment stays masked as the agent saw it echoed */
  object = lookup->matches->key == AQ_CUSTOMER_KEY_TEXT ? lookup->matches->value : value;
  if (n == 1)
    {
      /* the audit row goes in the 360's round trip: both happen or neither does */
      const char *audit_params[4];
      AqDbStatement audit;
      g_autofree char *detail_text = aq_audit_statement (actor, "customer.lookup", object,
                                                         detail, audit_params, &audit);

      lookup->view = load_view (db, json_object_get_string_member (detail, "account_id"), role,
                                &audit, cancellable, error);
      if (lookup->view == NULL)
        return NULL;
    }
  else if (!aq_audit_write (db, actor, "customer.lookup", object, detail, error))
    return NULL;
  return g_steal_pointer (&lookup);
}

/**
 * aq_customer_lookup_async:
 * @conninfo: (nullable): the warehouse, resolved as aq_connection_resolve() does
 *
 * aq_customer_lookup() on a worker thread with a pooled connection (aq-db-job.c).
 */
void
aq_customer_lookup_async (const char          *conninfo,
                          AqCustomerKey        key,
                          const char          *text,
                          AqRole               role,
                          const char          *actor,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  LookupData *data;

  g_return_if_fail (text != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LookupData, 1);
  data->key = key;
  data->text = g_strdup (text);
  data->role = role;
  data->actor = g_strdup (actor);
  aq_db_job_run_async (conninfo, aq_customer_lookup_async, lookup_job, data,
                       (GDestroyNotify) lookup_data_free, (GDestroyNotify) aq_customer_lookup_free,
                       cancellable, callback, user_data);
}

AqCustomerLookup *
aq_customer_lookup_finish (GAsyncResult  *result,
                           GError       **error)
{
  return aq_db_job_run_finish (result, aq_customer_lookup_async, error);
}

/**
 * aq_customer_lookup_to_json:
 *
 * What `aqueductctl customer lookup --json` prints: what was searched, the candidates, and the
 * 360 when there was exactly one ("customer": null otherwise).
 */
JsonNode *
aq_customer_lookup_to_json (AqCustomerLookup *lookup)
{
  JsonObject *root;
  JsonObject *searched;

  g_return_val_if_fail (lookup != NULL, NULL);

  searched = json_object_new ();
  json_object_set_string_member (searched, "key",
                                 aq_customer_key_to_string (lookup->matches->key));
  /* the echoes come masked by role from the search */
  json_object_set_string_member (searched, "text", lookup->matches->text);
  json_object_set_string_member (searched, "value", lookup->matches->value);

  root = json_object_new ();
  json_object_set_object_member (root, "searched", searched);
  json_object_set_string_member (root, "role", aq_role_to_string (lookup->role));
  json_object_set_int_member (root, "found", json_array_get_length (lookup->matches->candidates));
  json_object_set_int_member (root, "total", lookup->matches->total);
  json_object_set_array_member (root, "candidates", json_array_ref (lookup->matches->candidates));
  if (lookup->view)
    json_object_set_member (root, "customer", aq_customer_360_to_json (lookup->view));
  else
    json_object_set_null_member (root, "customer");
  return json_node_init_object (json_node_alloc (), root);
}

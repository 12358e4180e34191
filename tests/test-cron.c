/* test-cron.c — cron parsing and next occurrences at pinned instants
 *
 * Every case is an instant given with its offset, a schedule, a zone and the expected next
 * occurrences in UTC: month ends, Feb 29, both sides of a boundary, and the two DST
 * transitions of Europe/Berlin and America/New_York in 2026 (spring: the skipped hour runs
 * once at the end of the gap; autumn: the repeated hour runs once, unless the hour is "*").
 * Nothing here reads the machine's clock or time zone.
 */
#include "aq-test-util.h"

#include <string.h>

typedef struct
{
  const char *zone;
  const char *schedule;
  const char *after;
  const char *expected[4];   /* the next occurrences in a row, UTC, NULL-terminated */
} Case;

static const Case cases[] = {
  /* steps, ranges and lists (UTC) */
  { "UTC", "*/5 * * * *", "2026-01-01T00:02:30Z",
    { "2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:15:00Z" } },
  { "UTC", "*/5 * * * *", "2026-01-01T00:05:00Z", { "2026-01-01T00:10:00Z" } },
  { "UTC", "0 9-17/4 * * *", "2026-01-01T10:00:00Z",
    { "2026-01-01T13:00:00Z", "2026-01-01T17:00:00Z", "2026-01-02T09:00:00Z" } },
  { "UTC", "15,45 * * * *", "2026-01-01T10:16:00Z",
    { "2026-01-01T10:45:00Z", "2026-01-01T11:15:00Z" } },
  { "UTC", "0 0 * * 1-5", "2026-01-02T12:00:00Z",      /* Friday → Monday */
    { "2026-01-05T00:00:00Z", "2026-01-06T00:00:00Z" } },
  { "UTC", "10/20 * * * *", "2026-01-01T00:00:00Z",
    { "2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z",
      "2026-01-01T01:10:00Z" } },
  /* month ends, Feb 29, years */
  { "UTC", "0 0 31 * *", "2026-04-01T00:00:00Z",
    { "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z" } },
  { "UTC", "0 12 29 2 *", "2026-03-01T00:00:00Z",
    { "2028-02-29T12:00:00Z", "2032-02-29T12:00:00Z" } },
  { "UTC", "59 23 28-31 feb *", "2028-02-28T23:59:00Z", { "2028-02-29T23:59:00Z",
                                                          "2029-02-28T23:59:00Z" } },
  { "UTC", "@yearly", "2026-12-31T23:59:59Z", { "2027-01-01T00:00:00Z" } },
  /* day of month OR day of week when both are restricted: the 13th or a Friday */
  { "UTC", "0 0 13 * fri", "2026-01-01T00:00:00Z",
    { "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z" } },
  { "UTC", "0 0 * * 7", "2026-01-01T00:00:00Z", { "2026-01-04T00:00:00Z" } },
  /* seconds first (six fields) */
  { "UTC", "*/2 * * * * *", "2026-01-01T00:00:01Z",
    { "2026-01-01T00:00:02Z", "2026-01-01T00:00:04Z" } },
  /* Asia/Shanghai (no DST): both sides of 08:00 and of midnight local */
  { "Asia/Shanghai", "0 8 * * *", "2026-06-30T07:59:59+08:00", { "2026-06-30T00:00:00Z" } },
  { "Asia/Shanghai", "0 8 * * *", "2026-06-30T08:00:00+08:00", { "2026-07-01T00:00:00Z" } },
  { "Asia/Shanghai", "@daily", "2026-12-07T16:00:00+08:00", { "2026-12-07T16:00:00Z" } },
  { "Asia/Shanghai", "@daily", "2026-12-07T23:59:59+08:00", { "2026-12-07T16:00:00Z" } },
  { "Asia/Shanghai", "@daily", "2026-12-08T00:00:00+08:00", { "2026-12-08T16:00:00Z" } },
  { "Asia/Shanghai", "30 8 * * mon", "2026-12-07T09:00:00+08:00", { "2026-12-14T00:30:00Z" } },
  /* Europe/Berlin, spring forward 2026-03-29 02:00 CET → 03:00 CEST (01:00Z) */
  { "Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00Z",
    { "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z" } },
  { "Europe/Berlin", "*/15 * * * *", "2026-03-29T00:50:00Z",
    { "2026-03-29T01:00:00Z", "2026-03-29T01:15:00Z" } },
  { "Europe/Berlin", "0 1 * * *", "2026-03-28T12:00:00Z",
    { "2026-03-29T00:00:00Z", "2026-03-29T23:00:00Z" } },
  /* Europe/Berlin, fall back 2026-10-25 03:00 CEST → 02:00 CET (01:00Z): 02:xx twice */
  { "Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00Z",
    { "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z" } },
  { "Europe/Berlin", "*/30 * * * *", "2026-10-25T00:15:00Z",
    { "2026-10-25T00:30:00Z", "2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z",
      "2026-10-25T02:00:00Z" } },
  { "Europe/Berlin", "0 * * * *", "2026-10-25T00:45:00Z",
    { "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z" } },
  /* America/New_York: 2026-03-08 02:00 EST → 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT →
   * 01:00 EST (06:00Z) */
  { "America/New_York", "30 2 * * *", "2026-03-08T00:00:00-05:00",
    { "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z" } },
  { "America/New_York", "30 1 * * *", "2026-11-01T00:00:00-04:00",
    { "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z" } },
  { "America/New_York", "0 0 1 * *", "2026-10-15T12:00:00Z",
    { "2026-11-01T04:00:00Z", "2026-12-01T05:00:00Z" } },
};

static void
test_next (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(AqCron) cron = aq_cron_parse (c->schedule, &error);
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (c->zone);
      g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (c->after, NULL);

      g_assert_no_error (error);
      g_assert_nonnull (zone);
      g_assert_nonnull (at);
      for (guint k = 0; k < G_N_ELEMENTS (c->expected) && c->expected[k]; k++)
        {
          g_autoptr(GDateTime) next = aq_cron_next (cron, at, zone);
          g_autofree char *got = NULL;

          g_assert_nonnull (next);
          got = g_date_time_format (next, "%Y-%m-%dT%H:%M:%SZ");
          if (g_strcmp0 (got, c->expected[k]) != 0)
            g_error ("“%s” in %s after %s, occurrence %u: got %s, expected %s", c->schedule,
                     c->zone, c->after, k + 1, got, c->expected[k]);
          g_date_time_unref (at);
          at = g_steal_pointer (&next);
        }
    }
}

static void
test_bad_input (void)
{
  static const struct { const char *schedule, *message; } bad[] = {
    { "", "five fields" },
    { "* * * *", "five fields" },
    { "* * * * * * *", "five fields" },
    { "60 * * * *", "minute" },
    { "* 24 * * *", "hour" },
    { "* * 0 * *", "day of month" },
    { "* * * 13 *", "month" },
    { "* * * * 8", "day of week" },
    { "*/0 * * * *", "step" },
    { "5-3 * * * *", "backwards" },
    { "a * * * *", "minute" },
    { "1,,2 * * * *", "minute" },
    { "0 0 31 2 *", "never occurs" },
    { "0 0 * * funday", "day of week" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AqCron) cron = aq_cron_parse (bad[i].schedule, &error);

      g_assert_null (cron);
      g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
      if (strstr (error->message, bad[i].message) == NULL)
        g_error ("“%s”: “%s” does not say “%s”", bad[i].schedule, error->message,
                 bad[i].message);
    }
}

static void
test_forms (void)
{
  g_autoptr(AqCron) five = aq_cron_parse ("  0 3 * * *  ", NULL);
  g_autoptr(AqCron) six = aq_cron_parse ("*/3 * * * * *", NULL);
  g_autoptr(AqCron) named = aq_cron_parse ("0 0 1 JAN-mar SUN", NULL);

  g_assert_nonnull (five);
  g_assert_false (aq_cron_has_seconds (five));
  g_assert_cmpstr (aq_cron_get_expression (five), ==, "0 3 * * *");
  g_assert_nonnull (six);
  g_assert_true (aq_cron_has_seconds (six));
  g_assert_nonnull (named);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cron/next", test_next);
  g_test_add_func ("/cron/bad-input", test_bad_input);
  g_test_add_func ("/cron/forms", test_forms);
  return g_test_run ();
}

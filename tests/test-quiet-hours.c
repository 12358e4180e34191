/* test-quiet-hours.c — the clock core reads and the quiet hours it decides, at pinned instants
 *
 * Every case names its instant in UTC and the answer in UTC, so nothing here depends on the
 * machine's clock or time zone (the suite is run under TZ=UTC, Asia/Shanghai and
 * America/New_York to prove it). Each boundary is tested on both sides: 07:59/08:00 and
 * 20:59/21:00 local, across midnight and the year's end, in a zone without DST
 * (Asia/Shanghai, the default utility zone) and in one with it (Europe/Berlin on the nights
 * its clocks change). The outbox at these instants is tested in test-outage.c.
 */
#include "aq-test-util.h"

#include <string.h>

#include "aq-clock.h"
#include "aq-template.h"

typedef struct
{
  const char *now;     /* the instant a notice is queued, UTC */
  const char *want;    /* the earliest it may leave, UTC; NULL: at once */
  const char *why;
} Case;

static GDateTime *
utc (const char *iso)
{
  GDateTime *t = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (t);
  return t;
}

/* Runs @cases against @rule; the answer must be exactly the wanted instant. */
static void
check_cases (const AqQuietHours *rule,
             const Case         *cases,
             guint               n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GDateTime) now = utc (cases[i].now);
      g_autoptr(GDateTime) want = utc (cases[i].want ? cases[i].want : cases[i].now);
      g_autoptr(GDateTime) at = aq_quiet_hours_apply (rule, now);
      g_autofree char *got = g_date_time_format_iso8601 (at);
      g_autofree char *wanted = g_date_time_format_iso8601 (want);

      g_test_message ("%s -> %s (%s)", cases[i].now, got, cases[i].why);
      if (!g_date_time_equal (at, want))
        g_error ("queued at %s (%s): may leave at %s, wanted %s", cases[i].now, cases[i].why,
                 got, wanted);
      /* never earlier than queued */
      g_assert_cmpint (g_date_time_compare (at, now), >=, 0);
    }
}

/* ---- the clock ---- */

static void
test_clock_pin (void)
{
  g_autoptr(GDateTime) instant = utc ("2026-10-15T12:59:30+08:00");
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) real = NULL;

  aq_clock_pin (instant);
  g_assert_true (aq_clock_is_pinned ());
  now = aq_clock_now ();
  g_assert_true (g_date_time_equal (now, instant));
  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 0);
  g_assert_cmpint (aq_clock_now_unix_usec (), ==, g_date_time_to_unix (instant) * G_USEC_PER_SEC);

  /* the utility's zone, not the machine's: Asia/Shanghai unless configured */
  g_unsetenv ("AQUEDUCT_TIME_ZONE");
  local = aq_clock_now_local ();
  g_assert_cmpint (g_date_time_get_hour (local), ==, 12);
  g_assert_cmpint (g_date_time_get_utc_offset (local), ==, 8 * G_TIME_SPAN_HOUR);
  g_clear_pointer (&local, g_date_time_unref);
  g_setenv ("AQUEDUCT_TIME_ZONE", "Europe/Berlin", TRUE);
  local = aq_clock_now_local ();
  g_assert_cmpint (g_date_time_get_hour (local), ==, 6);     /* CEST, UTC+2 */
  g_assert_cmpint (g_date_time_get_utc_offset (local), ==, 2 * G_TIME_SPAN_HOUR);
  g_unsetenv ("AQUEDUCT_TIME_ZONE");

  aq_clock_pin (NULL);
  g_assert_false (aq_clock_is_pinned ());
  real = aq_clock_now ();
  g_assert_false (g_date_time_equal (real, instant));
}

/* AQUEDUCT_NOW pins a whole process: the way tests run aqueductctl and aqueductd. */
static void
test_clock_env (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GDateTime) now = aq_clock_now ();
      g_autoptr(GDateTime) local = aq_clock_now_local ();
      g_autofree char *text = g_date_time_format_iso8601 (now);
      g_autofree char *local_text = g_date_time_format (local, "%F %T %z");

      g_print ("now=%s local=%s pinned=%d\n", text, local_text, aq_clock_is_pinned ());
      return;
    }
  /* the child is a fresh process of this test: it reads its environment at the first ask */
  g_setenv ("AQUEDUCT_NOW", "2026-03-29T01:59:59+01:00", TRUE);
  g_setenv ("AQUEDUCT_TIME_ZONE", "Europe/Berlin", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("AQUEDUCT_NOW");
  g_unsetenv ("AQUEDUCT_TIME_ZONE");
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*now=2026-03-29T00:59:59Z local=2026-03-29 01:59:59 +0100 "
                             "pinned=1*");
}

/* ---- the rule in a zone without DST ---- */

static void
test_shanghai (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  AqQuietHours rule = { TRUE, 21, 8, tz };
  /* Shanghai is UTC+8 all year: 08:00 local is 00:00Z, 21:00 local is 13:00Z */
  const Case cases[] = {
    { "2026-10-15T07:59:00+08:00", "2026-10-15T08:00:00+08:00", "07:59: quiet until 08:00" },
    { "2026-10-15T07:59:59.999+08:00", "2026-10-15T08:00:00+08:00", "the last instant" },
    { "2026-10-15T08:00:00+08:00", NULL, "08:00: no longer quiet" },
    { "2026-10-15T12:00:00+08:00", NULL, "midday" },
    { "2026-10-15T20:59:00+08:00", NULL, "20:59: not yet quiet" },
    { "2026-10-15T20:59:59.999+08:00", NULL, "the last instant before 21:00" },
    { "2026-10-15T21:00:00+08:00", "2026-10-16T08:00:00+08:00", "21:00: the next morning" },
    { "2026-10-15T23:59:59+08:00", "2026-10-16T08:00:00+08:00", "before midnight" },
    { "2026-10-16T00:00:00+08:00", "2026-10-16T08:00:00+08:00", "midnight: this morning" },
    { "2026-10-16T03:00:00+08:00", "2026-10-16T08:00:00+08:00", "after midnight" },
    /* the local evening is still the UTC afternoon: the day is the local one */
    { "2026-10-15T13:00:00Z", "2026-10-16T00:00:00Z", "21:00 local = 13:00 UTC" },
    { "2026-10-15T15:59:59Z", "2026-10-16T00:00:00Z", "23:59 local, 15:59 UTC" },
    { "2026-10-15T16:00:00Z", "2026-10-16T00:00:00Z", "00:00 local, the UTC day before" },
    { "2026-10-15T23:59:00Z", "2026-10-16T00:00:00Z", "07:59 local" },
    { "2026-10-16T00:00:00Z", NULL, "08:00 local" },
    /* across the month's and the year's end, and a leap day */
    { "2026-10-31T22:00:00+08:00", "2026-11-01T08:00:00+08:00", "the month's end" },
    { "2026-12-31T21:00:00+08:00", "2027-01-01T08:00:00+08:00", "the year's end" },
    { "2028-02-28T21:30:00+08:00", "2028-02-29T08:00:00+08:00", "into a leap day" },
    { "2028-02-29T21:30:00+08:00", "2028-03-01T08:00:00+08:00", "out of a leap day" },
  };

  check_cases (&rule, cases, G_N_ELEMENTS (cases));
}

/* The default rule in the default zone: what the outbox uses when nobody configures one. */
static void
test_default_zone (void)
{
  AqQuietHours rule;
  const Case cases[] = {
    { "2026-10-15T12:59:00Z", NULL, "20:59 in Shanghai, whatever TZ says" },
    { "2026-10-15T13:00:00Z", "2026-10-16T00:00:00Z", "21:00 in Shanghai" },
    { "2026-10-15T23:59:00Z", "2026-10-16T00:00:00Z", "07:59 in Shanghai" },
    { "2026-10-16T00:00:00Z", NULL, "08:00 in Shanghai" },
  };
  const Case berlin[] = {
    { "2026-10-15T18:59:00Z", NULL, "20:59 CEST" },
    { "2026-10-15T19:00:00Z", "2026-10-16T06:00:00Z", "21:00 CEST" },
  };

  aq_quiet_hours_init_default (&rule);
  g_assert_true (rule.enabled);
  g_assert_cmpint (rule.start_hour, ==, 21);
  g_assert_cmpint (rule.end_hour, ==, 8);
  g_assert_null (rule.tz);
  g_unsetenv ("AQUEDUCT_TIME_ZONE");
  check_cases (&rule, cases, G_N_ELEMENTS (cases));
  g_setenv ("AQUEDUCT_TIME_ZONE", "Europe/Berlin", TRUE);
  check_cases (&rule, berlin, G_N_ELEMENTS (berlin));
  g_unsetenv ("AQUEDUCT_TIME_ZONE");
}

/* ---- the rule in a zone with DST, on the nights its clocks change ---- */

static void
test_berlin_spring (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  AqQuietHours rule = { TRUE, 21, 8, tz };
  AqQuietHours early = { TRUE, 21, 2, tz };
  /* 2026-03-29 02:00 CET (01:00Z) the clocks jump to 03:00 CEST: the night is an hour short */
  const Case cases[] = {
    { "2026-03-28T19:59:00Z", NULL, "20:59 CET" },
    { "2026-03-28T20:00:00Z", "2026-03-29T06:00:00Z", "21:00 CET, leaves 08:00 CEST" },
    { "2026-03-28T22:59:59Z", "2026-03-29T06:00:00Z", "23:59 CET" },
    { "2026-03-28T23:00:00Z", "2026-03-29T06:00:00Z", "00:00 CET" },
    { "2026-03-29T00:59:59Z", "2026-03-29T06:00:00Z", "01:59:59 CET, just before the jump" },
    { "2026-03-29T01:00:00Z", "2026-03-29T06:00:00Z", "03:00 CEST, just after" },
    { "2026-03-29T05:59:00Z", "2026-03-29T06:00:00Z", "07:59 CEST" },
    { "2026-03-29T06:00:00Z", NULL, "08:00 CEST" },
    { "2026-03-29T18:59:00Z", NULL, "20:59 CEST" },
    { "2026-03-29T19:00:00Z", "2026-03-30T06:00:00Z", "21:00 CEST" },
  };
  /* quiet until 02:00, an hour that does not exist that night: the first instant after it */
  const Case skipped[] = {
    { "2026-03-28T22:00:00Z", "2026-03-29T01:00:00Z", "23:00 CET, until the missing 02:00" },
    { "2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z", "01:59 CET" },
    { "2026-03-29T01:00:00Z", NULL, "03:00 CEST: past the end" },
  };

  check_cases (&rule, cases, G_N_ELEMENTS (cases));
  check_cases (&early, skipped, G_N_ELEMENTS (skipped));
}

static void
test_berlin_autumn (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  AqQuietHours rule = { TRUE, 21, 8, tz };
  /* 2026-10-25 03:00 CEST (01:00Z) the clocks go back to 02:00 CET: 02:xx happens twice */
  const Case cases[] = {
    { "2026-10-24T18:59:00Z", NULL, "20:59 CEST" },
    { "2026-10-24T19:00:00Z", "2026-10-25T07:00:00Z", "21:00 CEST, leaves 08:00 CET" },
    { "2026-10-25T00:30:00Z", "2026-10-25T07:00:00Z", "02:30 CEST, the first one" },
    { "2026-10-25T01:30:00Z", "2026-10-25T07:00:00Z", "02:30 CET, the second one" },
    { "2026-10-25T06:59:00Z", "2026-10-25T07:00:00Z", "07:59 CET" },
    { "2026-10-25T07:00:00Z", NULL, "08:00 CET" },
    { "2026-10-25T19:59:00Z", NULL, "20:59 CET" },
    { "2026-10-25T20:00:00Z", "2026-10-26T07:00:00Z", "21:00 CET" },
  };

  check_cases (&rule, cases, G_N_ELEMENTS (cases));
}

/* A window within one day, an empty one, and the rule switched off. */
static void
test_other_rules (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  AqQuietHours noon = { TRUE, 12, 14, tz };
  AqQuietHours empty = { TRUE, 8, 8, tz };
  AqQuietHours off = { FALSE, 21, 8, tz };
  const Case noon_cases[] = {
    { "2026-10-15T11:59:00+08:00", NULL, "11:59" },
    { "2026-10-15T12:00:00+08:00", "2026-10-15T14:00:00+08:00", "12:00" },
    { "2026-10-15T13:59:00+08:00", "2026-10-15T14:00:00+08:00", "13:59" },
    { "2026-10-15T14:00:00+08:00", NULL, "14:00" },
    { "2026-10-15T23:00:00+08:00", NULL, "23:00" },
  };
  const Case always[] = {
    { "2026-10-15T23:00:00+08:00", NULL, "night" },
    { "2026-10-15T03:00:00+08:00", NULL, "small hours" },
  };

  check_cases (&noon, noon_cases, G_N_ELEMENTS (noon_cases));
  check_cases (&empty, always, G_N_ELEMENTS (always));
  check_cases (&off, always, G_N_ELEMENTS (always));
}

/* {start}/{end} read in the utility's zone, whatever the machine's TZ. */
static void
test_format_time (void)
{
  g_autoptr(GDateTime) t = utc ("2026-12-01T01:00:00Z");
  g_autofree char *shanghai = NULL, *berlin = NULL;

  g_unsetenv ("AQUEDUCT_TIME_ZONE");
  shanghai = aq_template_format_time (t);
  g_assert_cmpstr (shanghai, ==, "2026-12-01 09:00");
  g_setenv ("AQUEDUCT_TIME_ZONE", "Europe/Berlin", TRUE);
  berlin = aq_template_format_time (t);
  g_assert_cmpstr (berlin, ==, "2026-12-01 02:00");
  g_unsetenv ("AQUEDUCT_TIME_ZONE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/clock/pin", test_clock_pin);
  g_test_add_func ("/clock/env", test_clock_env);
  g_test_add_func ("/quiet-hours/shanghai", test_shanghai);
  g_test_add_func ("/quiet-hours/default-zone", test_default_zone);
  g_test_add_func ("/quiet-hours/berlin-spring", test_berlin_spring);
  g_test_add_func ("/quiet-hours/berlin-autumn", test_berlin_autumn);
  g_test_add_func ("/quiet-hours/other-rules", test_other_rules);
  g_test_add_func ("/quiet-hours/format-time", test_format_time);
  return g_test_run ();
}

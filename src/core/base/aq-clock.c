/* aq-clock.c — the one place core asks "what time is it"
 *
 * Behaviour that depends on the hour (quiet hours, schedules, "overdue") must be testable on
 * both sides of every boundary, and a suite must pass at any hour in any time zone. So core
 * code takes now from here, and a test pins it — in-process with aq_clock_pin(), or for a
 * child process (the CLI, the daemon) with AQUEDUCT_NOW in its environment.
 */
#define G_LOG_DOMAIN "aq-clock"

#include "aq-clock.h"

static GMutex clock_lock;
static GDateTime *pinned;          /* (nullable) UTC */
static gboolean env_read;

static void
read_env_locked (void)
{
  const char *value;

  if (env_read)
    return;
  env_read = TRUE;
  value = g_getenv ("AQUEDUCT_NOW");
  if (value == NULL || *value == '\0')
    return;
  {
    g_autoptr(GDateTime) instant = g_date_time_new_from_iso8601 (value, NULL);

    if (instant == NULL)
      g_warning ("AQUEDUCT_NOW=%s is not an ISO 8601 instant with an offset; using the real clock",
                 value);
    else
      pinned = g_date_time_to_utc (instant);
  }
}

GDateTime *
aq_clock_now (void)
{
  GDateTime *now = NULL;

  g_mutex_lock (&clock_lock);
  read_env_locked ();
  if (pinned != NULL)
    now = g_date_time_ref (pinned);
  g_mutex_unlock (&clock_lock);
  return now != NULL ? now : g_date_time_new_now_utc ();
}

gint64
aq_clock_now_unix_usec (void)
{
  g_autoptr(GDateTime) now = aq_clock_now ();

  return g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
}

void
aq_clock_pin (GDateTime *instant)
{
  g_mutex_lock (&clock_lock);
  env_read = TRUE;
  g_clear_pointer (&pinned, g_date_time_unref);
  if (instant != NULL)
    pinned = g_date_time_to_utc (instant);
  g_mutex_unlock (&clock_lock);
}

gboolean
aq_clock_is_pinned (void)
{
  gboolean is_pinned;

  g_mutex_lock (&clock_lock);
  read_env_locked ();
  is_pinned = pinned != NULL;
  g_mutex_unlock (&clock_lock);
  return is_pinned;
}

GTimeZone *
aq_clock_zone (void)
{
  const char *id = g_getenv ("AQUEDUCT_TIME_ZONE");
  GTimeZone *zone;

  if (id == NULL || *id == '\0')
    id = "Asia/Shanghai";
  zone = g_time_zone_new_identifier (id);
  if (zone == NULL)
    {
      g_warning ("AQUEDUCT_TIME_ZONE=%s is not a known time zone; using Asia/Shanghai", id);
      zone = g_time_zone_new_identifier ("Asia/Shanghai");
    }
  /* A machine without tzdata still answers: China has kept UTC+8 without DST since 1991. */
  return zone != NULL ? zone : g_time_zone_new_offset (8 * 3600);
}

GDateTime *
aq_clock_now_local (void)
{
  g_autoptr(GDateTime) now = aq_clock_now ();
  g_autoptr(GTimeZone) zone = aq_clock_zone ();

  return g_date_time_to_timezone (now, zone);
}

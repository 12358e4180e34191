/* aq-cron.c — cron expressions and their next occurrence in a time zone
 *
 * The search runs in two steps. First, on naive wall-clock time (plain calendar arithmetic,
 * no zone), the next local time whose fields match — jumping whole months, days, hours and
 * minutes that cannot match, so a yearly schedule costs a few hundred steps, not a year of
 * minutes. Then each matching local time is mapped to the instants it names in the zone: none
 * (skipped by a spring-forward gap: the instant the gap ends), one, or two (a repeated autumn
 * hour). Because a repeated hour makes local order and instant order disagree, the search
 * starts three hours of wall time before @after and keeps the earliest instant after @after,
 * stopping once later local times cannot name an earlier instant. The DST rules are in
 * aq-cron.h and docs/OPERATIONS.md.
 */
#define G_LOG_DOMAIN "aq-cron"

#include "config.h"

#include "aq-cron.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-error.h"

#define SEARCH_YEARS 30
#define LOOKBACK_SECONDS (3 * 3600)

struct _AqCron
{
  char    *expression;
  gboolean has_seconds;
  guint64  seconds;    /* bit n: second n */
  guint64  minutes;
  guint32  hours;
  guint32  days;       /* bits 1..31 */
  guint16  months;     /* bits 1..12 */
  guint8   weekdays;   /* bits 0..6, Sunday 0 */
  gboolean days_star;  /* the day-of-month field starts with "*" */
  gboolean weekdays_star;
  gboolean hours_all;
};

typedef struct
{
  const char *name;
  guint       min, max;
  const char *const *names;   /* names[i] means min + i */
} FieldSpec;

static const char *const month_names[] = {
  "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", NULL
};
static const char *const weekday_names[] = {
  "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

/* ---- calendar arithmetic on naive seconds (Howard Hinnant's civil algorithms) ---- */

static gint64
days_from_civil (gint64 y,
                 guint  m,
                 guint  d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64  z,
                 gint64 *y,
                 guint  *m,
                 guint  *d)
{
  gint64 era, doe, yoe, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2);
}

static guint
days_in_month (gint64 y,
               guint  m)
{
  static const guint n[] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

  return m == 2 && leap ? 29 : n[m];
}

typedef struct
{
  gint64 year;
  guint  month, day, hour, minute, second;
} Wall;

static gint64
wall_to_naive (const Wall *w)
{
  return days_from_civil (w->year, w->month, w->day) * 86400
         + w->hour * 3600 + w->minute * 60 + w->second;
}

static void
wall_from_naive (gint64  t,
                 Wall   *w)
{
  gint64 days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  gint64 rest = t - days * 86400;

  civil_from_days (days, &w->year, &w->month, &w->day);
  w->hour = rest / 3600;
  w->minute = rest / 60 % 60;
  w->second = rest % 60;
}

/* ---- parsing ---- */

static gboolean
parse_value (const FieldSpec  *spec,
             const char       *text,
             guint            *out,
             GError          **error)
{
  char *end = NULL;
  guint64 v;

  if (spec->names)
    for (guint i = 0; spec->names[i]; i++)
      if (g_ascii_strcasecmp (text, spec->names[i]) == 0)
        {
          *out = spec->min + i;
          return TRUE;
        }
  if (!g_ascii_isdigit (text[0])
      || (v = g_ascii_strtoull (text, &end, 10), *end != '\0')
      || v < spec->min || v > spec->max)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: “%s” is not a value from %u to %u"), _(spec->name), text, spec->min,
                   spec->max);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

/* One field: a list of *, N, N-M, with an optional /STEP. */
static gboolean
parse_field (const FieldSpec  *spec,
             const char       *text,
             guint64          *out_bits,
             gboolean         *out_star,
             GError          **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);

  *out_bits = 0;
  *out_star = text[0] == '*';
  for (guint i = 0; items[i]; i++)
    {
      g_auto(GStrv) step_parts = NULL;
      const char *range;
      guint lo, hi, step = 1;

      if (items[i][0] == '\0' || items[i][0] == '/')
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: “%s” has an empty item"),
                       _(spec->name), text);
          return FALSE;
        }
      step_parts = g_strsplit (items[i], "/", 2);
      range = step_parts[0];

      if (step_parts[1])
        {
          char *end = NULL;
          guint64 s = g_ascii_strtoull (step_parts[1], &end, 10);

          if (!g_ascii_isdigit (step_parts[1][0]) || *end != '\0' || s == 0
              || s > spec->max - spec->min + 1)
            {
              g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("%s: “%s” is not a step from 1 to %u"), _(spec->name),
                           step_parts[1], spec->max - spec->min + 1);
              return FALSE;
            }
          step = s;
        }
      if (g_str_equal (range, "*"))
        {
          lo = spec->min;
          hi = spec->max;
        }
      else
        {
          const char *dash = strchr (range, '-');

          if (dash)
            {
              g_autofree char *first = g_strndup (range, dash - range);

              if (!parse_value (spec, first, &lo, error) || !parse_value (spec, dash + 1, &hi,
                                                                          error))
                return FALSE;
              if (hi < lo)
                {
                  g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                               _("%s: the range “%s” runs backwards"), _(spec->name), range);
                  return FALSE;
                }
            }
          else
            {
              if (!parse_value (spec, range, &lo, error))
                return FALSE;
              /* "N/S": from N to the end, as Vixie cron reads it */
              hi = step_parts[1] ? spec->max : lo;
            }
        }
      for (guint v = lo; v <= hi; v += step)
        *out_bits |= G_GUINT64_CONSTANT (1) << v;
    }
  return TRUE;
}

static const char *
expand_macro (const char *expression)
{
  static const struct { const char *macro, *fields; } macros[] = {
    { "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" }, { "@monthly", "0 0 1 * *" },
    { "@weekly", "0 0 * * 0" }, { "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
    { "@hourly", "0 * * * *" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (macros); i++)
    if (g_ascii_strcasecmp (expression, macros[i].macro) == 0)
      return macros[i].fields;
  return NULL;
}

AqCron *
aq_cron_parse (const char  *expression,
               GError     **error)
{
  static const FieldSpec specs[] = {
    { N_("second"), 0, 59, NULL },
    { N_("minute"), 0, 59, NULL },
    { N_("hour"), 0, 23, NULL },
    { N_("day of month"), 1, 31, NULL },
    { N_("month"), 1, 12, month_names },
    { N_("day of week"), 0, 7, weekday_names },
  };
  g_autoptr(AqCron) cron = NULL;
  g_autofree char *stripped = NULL;
  g_auto(GStrv) fields = NULL;
  const char *macro;
  guint64 bits[6];
  gboolean star[6];
  guint n, first;

  g_return_val_if_fail (expression != NULL, NULL);

  stripped = g_strstrip (g_strdup (expression));
  macro = expand_macro (stripped);
  fields = g_regex_split_simple ("\\s+", macro ? macro : stripped, 0, 0);
  n = stripped[0] ? g_strv_length (fields) : 0;
  if (n != 5 && n != 6)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("“%s” is not a cron schedule: give five fields (minute hour day-of-month "
                     "month day-of-week), six with seconds first, or @hourly, @daily, @weekly, "
                     "@monthly, @yearly"), expression);
      return NULL;
    }
  first = n == 6 ? 0 : 1;
  bits[0] = 1;   /* five fields: at second 0 */
  for (guint i = 0; i < n; i++)
    if (!parse_field (&specs[first + i], fields[i], &bits[first + i], &star[first + i], error))
      {
        g_prefix_error (error, _("Schedule “%s”: "), expression);
        return NULL;
      }

  cron = g_new0 (AqCron, 1);
  cron->expression = g_strdup (stripped);
  cron->has_seconds = n == 6;
  cron->seconds = bits[0];
  cron->minutes = bits[1];
  cron->hours = bits[2];
  cron->days = bits[3];
  cron->months = bits[4];
  cron->weekdays = (bits[5] | (bits[5] >> 7)) & 0x7f;   /* 7 is Sunday too */
  cron->days_star = star[3];
  cron->weekdays_star = star[5];
  cron->hours_all = cron->hours == 0xffffff;

  /* a schedule that can never happen ("0 0 31 2 *") is a mistake worth saying at once */
  {
    g_autoptr(GDateTime) origin = g_date_time_new_from_unix_utc (0);
    g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
    g_autoptr(GDateTime) next = aq_cron_next (cron, origin, utc);

    if (next == NULL)
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("Schedule “%s” never occurs: check the day of month against the month"),
                     expression);
        return NULL;
      }
  }
  return g_steal_pointer (&cron);
}

void
aq_cron_free (AqCron *cron)
{
  if (cron == NULL)
    return;
  g_free (cron->expression);
  g_free (cron);
}

const char *
aq_cron_get_expression (AqCron *cron)
{
  return cron->expression;
}

gboolean
aq_cron_has_seconds (AqCron *cron)
{
  return cron->has_seconds;
}

/* ---- the search on wall-clock time ---- */

static gboolean
day_matches (AqCron     *cron,
             const Wall *w)
{
  gint64 days = days_from_civil (w->year, w->month, w->day);
  guint weekday = ((days + 4) % 7 + 7) % 7;   /* 1970-01-01 was a Thursday */
  gboolean dom = (cron->days >> w->day) & 1;
  gboolean dow = (cron->weekdays >> weekday) & 1;

  if (cron->days_star || cron->weekdays_star)
    return dom && dow;
  return dom || dow;
}

/* The first matching naive wall time > @t; FALSE past the search horizon. */
static gboolean
wall_next (AqCron *cron,
           gint64  t,
           gint64 *out)
{
  Wall w;
  gint64 horizon_year;

  t = cron->has_seconds ? t + 1 : (t >= 0 ? t / 60 : (t - 59) / 60) * 60 + 60;
  wall_from_naive (t, &w);
  horizon_year = w.year + SEARCH_YEARS;
  while (w.year <= horizon_year)
    {
      if (!((cron->months >> w.month) & 1))
        {
          w.day = 1, w.hour = w.minute = w.second = 0;
          if (++w.month > 12)
            w.month = 1, w.year++;
          continue;
        }
      if (!day_matches (cron, &w))
        {
          w.hour = w.minute = w.second = 0;
          if (++w.day > days_in_month (w.year, w.month))
            {
              w.day = 1;
              if (++w.month > 12)
                w.month = 1, w.year++;
            }
          continue;
        }
      if (!((cron->hours >> w.hour) & 1))
        {
          w.minute = w.second = 0;
          if (++w.hour == 24)
            {
              w.hour = 0;
              wall_from_naive (wall_to_naive (&w) + 86400, &w);
            }
          continue;
        }
      if (!((cron->minutes >> w.minute) & 1))
        {
          w.second = 0;
          if (++w.minute == 60)
            wall_from_naive (wall_to_naive (&w), &w);
          continue;
        }
      if (!((cron->seconds >> w.second) & 1))
        {
          if (++w.second == 60)
            wall_from_naive (wall_to_naive (&w), &w);
          continue;
        }
      *out = wall_to_naive (&w);
      return TRUE;
    }
  return FALSE;
}

/* ---- from wall-clock time to instants ---- */

static gint32
offset_at (GTimeZone *zone,
           gint64     instant)
{
  int interval = g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, instant);

  return g_time_zone_get_offset (zone, interval);
}

/* The instants that wall time @t names in @zone, ascending; returns how many (1 or 2). */
static guint
instants_of (AqCron    *cron,
             GTimeZone *zone,
             gint64     t,
             gint64     out[2])
{
  gint32 before = offset_at (zone, t - 86400);
  gint32 after = offset_at (zone, t + 86400);
  gint32 offsets[2] = { MAX (before, after), MIN (before, after) };
  guint n = 0;

  for (guint i = 0; i < (before == after ? 1u : 2u); i++)
    if (offset_at (zone, t - offsets[i]) == offsets[i])
      out[n++] = t - offsets[i];
  if (n == 0)
    {
      /* skipped by a gap: the first instant with the later offset */
      gint64 lo = t - MAX (before, after), hi = t - MIN (before, after);

      while (hi - lo > 1)
        {
          gint64 mid = lo + (hi - lo) / 2;

          if (offset_at (zone, mid) == after)
            hi = mid;
          else
            lo = mid;
        }
      out[n++] = hi;
    }
  if (n == 2 && !cron->hours_all)
    n = 1;   /* a repeated hour counts once, in its first pass */
  return n;
}

static int
interval_at (GTimeZone *zone,
             gint64     instant)
{
  return g_time_zone_find_interval (zone, G_TIME_TYPE_UNIVERSAL, instant);
}

GDateTime *
aq_cron_next (AqCron    *cron,
              GDateTime *after,
              GTimeZone *zone)
{
  gint64 a, t, best = G_MAXINT64;
  gboolean steady;

  g_return_val_if_fail (cron != NULL && after != NULL && zone != NULL, NULL);

  /* no transition near @after: wall order is instant order, no look back needed */
  a = g_date_time_to_unix (after);
  steady = interval_at (zone, a - 86400) == interval_at (zone, a + 86400);
  t = a + offset_at (zone, a) - (steady ? 0 : LOOKBACK_SECONDS);
  while (wall_next (cron, t, &t))
    {
      gint64 instants[2];
      guint n = instants_of (cron, zone, t, instants);

      for (guint i = 0; i < n; i++)
        if (instants[i] > a && instants[i] < best)
          best = instants[i];
      if (best == G_MAXINT64)
        continue;
      /* done when no transition lies between @after and the best found (then no later wall
       * time names an earlier instant), or when the wall times have run far enough past it
       * that none can: a later wall time names an instant of at least wall − the largest
       * offset around */
      if (interval_at (zone, a - 86400) == interval_at (zone, best + 86400)
          || t - LOOKBACK_SECONDS > best + MAX (offset_at (zone, best - 86400),
                                                offset_at (zone, best + 86400)))
        break;
    }
  if (best == G_MAXINT64)
    return NULL;
  return g_date_time_new_from_unix_utc (best);
}

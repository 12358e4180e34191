/* aq-day.h — calendar arithmetic on day numbers, without GDate's cost */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Days since 1970-01-01 (proleptic Gregorian); seconds since 1970-01-01 00:00 local time of
 * the data (no time zone: the source systems store plain timestamps). */
gint32  aq_day_from_civil     (int     year,
                               int     month,
                               int     day);
void    aq_day_to_civil       (gint32  day,
                               int    *year,
                               int    *month,
                               int    *mday);
int     aq_day_of_week        (gint32  day);   /* 0 Sunday … 6 Saturday */
int     aq_days_in_month      (int     year,
                               int     month);

/* A month as one number, year × 12 + month − 1, so months add and subtract. */
static inline int
aq_month_index (int year,
                int month)
{
  return year * 12 + month - 1;
}

static inline int
aq_month_year (int index)
{
  return index / 12;
}

static inline int
aq_month_month (int index)
{
  return index % 12 + 1;
}

static inline int
aq_month_of_day (gint32 day)
{
  int y, m, d;

  aq_day_to_civil (day, &y, &m, &d);
  return aq_month_index (y, m);
}

static inline gint32
aq_month_first_day (int index)
{
  return aq_day_from_civil (aq_month_year (index), aq_month_month (index), 1);
}

G_END_DECLS

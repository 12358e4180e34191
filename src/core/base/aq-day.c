/* aq-day.c — calendar arithmetic on day numbers
 *
 * The simulator handles a few hundred million dates; these are Howard Hinnant's branch-light
 * civil-date conversions, exact for every Gregorian date.
 */
#define G_LOG_DOMAIN "aq-day"

#include "aq-day.h"

gint32
aq_day_from_civil (int year,
                   int month,
                   int day)
{
  int y = year - (month <= 2);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned) (y - era * 400);
  unsigned doy = (153 * (unsigned) (month + (month > 2 ? -3 : 9)) + 2) / 5 + (unsigned) day - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + (int) doe - 719468;
}

void
aq_day_to_civil (gint32  day,
                 int    *year,
                 int    *month,
                 int    *mday)
{
  gint32 z = day + 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned) (z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;

  *year = (int) yoe + era * 400 + (m <= 2);
  *month = (int) m;
  *mday = (int) (doy - (153 * mp + 2) / 5 + 1);
}

int
aq_day_of_week (gint32 day)
{
  int w = (int) ((day + 4) % 7);

  return w < 0 ? w + 7 : w;
}

int
aq_days_in_month (int year,
                   int month)
{
  static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

  if (month == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
    return 29;
  return days[month - 1];
}

/* aq-simulator-text.c — numbers, money and dates into text, without printf
 *
 * Addresses, SMS texts and detail strings carry numbers by the million; the printf family
 * parses its format each time, these helpers just emit digits.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

void
aq_sim_append_uint (GString *out,
                    guint64  value)
{
  char buf[24];
  int n = 0;

  do
    {
      buf[sizeof buf - 1 - n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  g_string_append_len (out, buf + sizeof buf - n, n);
}

/* At least @width digits, zero-padded. */
void
aq_sim_append_padded (GString *out,
                      guint64  value,
                      guint    width)
{
  char buf[24];
  guint n = 0;

  do
    {
      buf[sizeof buf - 1 - n++] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0 || n < width);
  g_string_append_len (out, buf + sizeof buf - n, n);
}

/* 1234.50 from 123450 */
void
aq_sim_append_money (GString *out,
                     gint64   cents)
{
  if (cents < 0)
    {
      g_string_append_c (out, '-');
      cents = -cents;
    }
  aq_sim_append_uint (out, (guint64) cents / 100);
  g_string_append_c (out, '.');
  aq_sim_append_padded (out, (guint64) cents % 100, 2);
}

/* YYYY-MM-DD */
void
aq_sim_append_date (GString *out,
                    gint32   day)
{
  int y, m, d;

  aq_day_to_civil (day, &y, &m, &d);
  aq_sim_append_padded (out, (guint64) y, 4);
  g_string_append_c (out, '-');
  aq_sim_append_padded (out, (guint64) m, 2);
  g_string_append_c (out, '-');
  aq_sim_append_padded (out, (guint64) d, 2);
}

/* YYYYMM */
void
aq_sim_append_period (GString *out,
                      int      month)
{
  aq_sim_append_padded (out, (guint64) aq_month_year (month), 4);
  aq_sim_append_padded (out, (guint64) aq_month_month (month), 2);
}

/* HH:MM */
void
aq_sim_append_time (GString *out,
                    gint64   seconds)
{
  gint64 s = seconds % 86400;

  if (s < 0)
    s += 86400;
  aq_sim_append_padded (out, (guint64) (s / 3600), 2);
  g_string_append_c (out, ':');
  aq_sim_append_padded (out, (guint64) (s / 60 % 60), 2);
}

/* YYYYMM into @buf (at least 7 bytes). */
char *
aq_sim_period_string (int   month,
                      char *buf)
{
  int y = aq_month_year (month), m = aq_month_month (month);

  buf[0] = (char) ('0' + y / 1000 % 10);
  buf[1] = (char) ('0' + y / 100 % 10);
  buf[2] = (char) ('0' + y / 10 % 10);
  buf[3] = (char) ('0' + y % 10);
  buf[4] = (char) ('0' + m / 10);
  buf[5] = (char) ('0' + m % 10);
  buf[6] = '\0';
  return buf;
}

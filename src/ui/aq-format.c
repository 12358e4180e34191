/* aq-format.c — numbers and times the way the user's locale writes them */
#include "config.h"

#include "aq-format.h"

/* A count with the locale's digit grouping: "1,234,567" (en_US), "1234567" (C). */
char *
aq_format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

/* The locale's date and the time to the minute, in local time. */
char *
aq_format_date_time (GDateTime *date_time)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (date_time != NULL, NULL);

  local = g_date_time_to_local (date_time);
  return g_date_time_format (local, "%x %H:%M");
}

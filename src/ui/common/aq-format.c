/* aq-format.c — numbers and times the way the user's locale writes them */
#define G_LOG_DOMAIN "aq-format"

#include "config.h"

#include "aq-format.h"

#include <locale.h>
#include <string.h>

#include "aq-clock.h"

/* A count with the locale's digit grouping: "1,234,567" (en_US, zh_CN), "1.234.567" (de_DE).
 * The C locale, which is no one's choice but what an unconfigured session has, groups nothing;
 * there the counts get commas too, since "3765802" is hard to read at a glance. */
char *
aq_format_count (gint64 count)
{
  const char *sep = localeconv ()->thousands_sep;
  g_autofree char *digits = NULL;
  GString *s;
  gsize len;

  if (sep != NULL && *sep != '\0')
    return g_strdup_printf ("%'" G_GINT64_FORMAT, count);

  digits = g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) ABS (count));
  len = strlen (digits);
  s = g_string_new (count < 0 ? "-" : NULL);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

/* The locale's date and the time to the minute, in local time. The C locale's date is
 * "11/25/24", which nobody here reads without doubt: there it is ISO 8601. */
char *
aq_format_date_time (GDateTime *date_time)
{
  const char *locale = setlocale (LC_TIME, NULL);
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  gboolean c_locale;

  g_return_val_if_fail (date_time != NULL, NULL);

  c_locale = locale == NULL || g_str_equal (locale, "C") || g_str_has_prefix (locale, "C.")
             || g_str_equal (locale, "POSIX");
  zone = aq_clock_zone ();
  local = g_date_time_to_timezone (date_time, zone);
  return g_date_time_format (local, c_locale ? "%Y-%m-%d %H:%M" : "%x %H:%M");
}

/* libpq's messages come in lines with tabs ("…failed: No such file or directory\n\tIs the
 * server running…"): in a label, one line of single spaces reads better. */
char *
aq_format_one_line (const char *text)
{
  GString *s;
  gboolean space = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  s = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        {
          space = s->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (s, ' ');
      space = FALSE;
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

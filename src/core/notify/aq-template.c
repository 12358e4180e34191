/* aq-template.c — a notice's text: {community}, {start}, {end}, {reason}, and the quiet hours
 *
 * Rendering is one pass over the template, here and (split at {community}) for the outbox's
 * INSERT … SELECT in aq-campaign.c, so the preview and the sent text cannot differ.
 */
#define G_LOG_DOMAIN "aq-template"

#include "config.h"

#include "aq-template.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-clock.h"
#include "aq-error.h"
#include "aq-template-private.h"

static const char *const variables[] = { "community", "start", "end", "reason" };

/* ---- auxiliary methods ---- */

static gboolean
is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (; *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

static const char *
value_of (const AqTemplateValues *values,
          const char             *name,
          gsize                   len)
{
  const char *found[] = { values->community, values->start, values->end, values->reason };

  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    if (strlen (variables[i]) == len && strncmp (variables[i], name, len) == 0)
      return found[i] ? found[i] : "";
  return NULL;
}

/* One pass over the template: a value is never searched for variables itself, so a reason
 * typed as "{start}" stays as typed. With @pieces, {community} ends a piece instead. */
char *
aq_template_render_pieces (const char             *template_text,
        const AqTemplateValues *values,
        GPtrArray              *pieces)
{
  GString *out = g_string_new (NULL);
  const char *p = template_text;

  while (*p)
    {
      const char *close;
      const char *value;

      if (*p != '{' || (close = strchr (p + 1, '}')) == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (pieces && close - p - 1 == strlen ("community")
          && strncmp (p + 1, "community", close - p - 1) == 0)
        {
          g_ptr_array_add (pieces, g_string_free (out, FALSE));
          out = g_string_new (NULL);
          p = close + 1;
          continue;
        }
      value = value_of (values, p + 1, close - p - 1);
      if (value == NULL)
        {
          g_string_append_c (out, *p++);
          continue;
        }
      g_string_append (out, value);
      p = close + 1;
    }
  if (pieces)
    {
      g_ptr_array_add (pieces, g_string_free (out, FALSE));
      return NULL;
    }
  return g_string_free (out, FALSE);
}

/* ---- public methods ---- */

char *
aq_template_render (const char             *template_text,
                    const AqTemplateValues *values)
{
  g_return_val_if_fail (template_text != NULL, NULL);
  g_return_val_if_fail (values != NULL, NULL);
  return aq_template_render_pieces (template_text, values, NULL);
}

gboolean
aq_template_check (const char  *template_text,
                   GError     **error)
{
  AqTemplateValues none = { 0 };

  if (is_blank (template_text))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("template: the message is empty"));
      return FALSE;
    }
  for (const char *p = template_text; (p = strchr (p, '{')) != NULL; p++)
    {
      const char *close = strchr (p + 1, '}');
      const char *next_open = strchr (p + 1, '{');

      if (close == NULL || (next_open && next_open < close))
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("template: a “{” is not closed by “}”"));
          return FALSE;
        }
      if (value_of (&none, p + 1, close - p - 1) == NULL)
        {
          g_autofree char *name = g_strndup (p + 1, close - p - 1);

          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("template: unknown variable {%s}; use {community}, {start}, {end} or "
                         "{reason}"), name);
          return FALSE;
        }
    }
  return TRUE;
}

char *
aq_template_format_time (GDateTime *time)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  zone = aq_clock_zone ();
  local = g_date_time_to_timezone (time, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

const char *
aq_template_default (const char *kind)
{
  if (g_strcmp0 (kind, "restored") == 0)
    return _("[Water Supply] Water supply to {community} has been restored. Thank you for your "
             "patience.");
  return _("[Water Supply] Because of {reason}, water to {community} will be off from {start} "
           "until about {end}. Please store water in advance.");
}

void
aq_quiet_hours_init_default (AqQuietHours *rule)
{
  rule->enabled = TRUE;
  rule->start_hour = 21;
  rule->end_hour = 8;
  rule->tz = NULL;
}

GDateTime *
aq_quiet_hours_apply (const AqQuietHours *rule,
                      GDateTime          *now)
{
  g_autoptr(GTimeZone) zone = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) day = NULL;
  gboolean quiet, wraps;
  int hour;

  g_return_val_if_fail (rule != NULL && now != NULL, NULL);
  if (!rule->enabled || rule->start_hour == rule->end_hour)
    return g_date_time_ref (now);

  /* the utility's hours, never the machine's: a server in UTC keeps the city's evening */
  zone = rule->tz ? g_time_zone_ref (rule->tz) : aq_clock_zone ();
  local = g_date_time_to_timezone (now, zone);
  hour = g_date_time_get_hour (local);
  wraps = rule->start_hour > rule->end_hour;
  quiet = wraps ? (hour >= rule->start_hour || hour < rule->end_hour)
                : (hour >= rule->start_hour && hour < rule->end_hour);
  if (!quiet)
    return g_date_time_ref (now);

  /* after the evening start the quiet ends tomorrow morning, after midnight this morning; the
   * day is counted in local days, so a DST change that night moves the instant, not the hour
   * (an end hour that a spring change skips becomes the first instant after the gap) */
  day = (wraps && hour >= rule->start_hour) ? g_date_time_add_days (local, 1)
                                            : g_date_time_ref (local);
  return g_date_time_new (g_date_time_get_timezone (local), g_date_time_get_year (day),
                          g_date_time_get_month (day), g_date_time_get_day_of_month (day),
                          rule->end_hour, 0, 0);
}

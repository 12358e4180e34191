/* aq-template.h — a notice's text: {community}, {start}, {end}, {reason}, and the quiet hours */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Template variables: {community}, {start}, {end}, {reason}; anything else is kept as
 * typed. {start}/{end} read "2026-11-26 08:00" in the utility's time zone (aq_clock_zone()).
 * {community} is the community of the recipient's first affected account (by account id),
 * else its district's name. */
typedef struct
{
  const char *community;
  const char *start;
  const char *end;
  const char *reason;
} AqTemplateValues;

char     *aq_template_render         (const char             *template_text,
                                      const AqTemplateValues *values);
/* FALSE and AQ_ERROR_INVALID naming an unknown {variable} or an unclosed brace. */
gboolean  aq_template_check          (const char             *template_text,
                                      GError                **error);
char     *aq_template_format_time    (GDateTime              *time);
/* A default text for a kind ("outage", "restored"), translated. */
const char *aq_template_default      (const char             *kind);

/* Planned outages only: nothing leaves from start_hour:00 (inclusive) until end_hour:00
 * (exclusive), local time in @tz. */
typedef struct
{
  gboolean   enabled;
  int        start_hour;    /* 21 */
  int        end_hour;      /* 8 */
  GTimeZone *tz;            /* (nullable): the utility's zone, aq_clock_zone() */
} AqQuietHours;

void       aq_quiet_hours_init_default (AqQuietHours        *rule);
/* The earliest time a message may leave when queued at @now (@now itself when outside); the
 * caller passes now (aq_clock_now() in core), so the rule is tested at pinned instants. */
GDateTime *aq_quiet_hours_apply        (const AqQuietHours  *rule,
                                        GDateTime           *now);

G_END_DECLS

/* aq-clock.h — the one place core asks "what time is it", so tests can pin the answer */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Now, in UTC (transfer full). The real clock, unless pinned: by aq_clock_pin() in a test, or
 * for a whole process by AQUEDUCT_NOW (an ISO 8601 instant with its offset, e.g.
 * "2026-10-15T07:59:00+08:00"), so tests can run the CLI and the daemon at a chosen instant. */
GDateTime *aq_clock_now           (void);
gint64     aq_clock_now_unix_usec (void);

/* Pins now to @instant (NULL: the real clock again). For tests. */
void       aq_clock_pin           (GDateTime  *instant);
gboolean   aq_clock_is_pinned     (void);

/* The utility's time zone, in which quiet hours, schedules and "today" are meant: the
 * AQUEDUCT_TIME_ZONE identifier (e.g. "Asia/Shanghai"), else Asia/Shanghai — never the
 * machine's TZ, so a notice's quiet hours do not move with the server's settings. */
GTimeZone *aq_clock_zone          (void);
/* Now in the utility's time zone (transfer full). */
GDateTime *aq_clock_now_local     (void);

G_END_DECLS

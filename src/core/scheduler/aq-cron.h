/* aq-cron.h — cron expressions and their next occurrence in a time zone */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AqCron AqCron;

/* Parses "MIN HOUR DOM MON DOW" (5 fields), or "SEC MIN HOUR DOM MON DOW" (6 fields: seconds
 * first, for tests and for sub-minute work), or a macro: @hourly, @daily (@midnight), @weekly,
 * @monthly, @yearly (@annually). A field is "*", "N", "N-M", a step "*∕S", "N-M∕S" or "N∕S",
 * or a comma-separated list of these; months and weekdays also by name (jan…dec, sun…sat);
 * weekday 0 and 7 are both Sunday. When both day of month and day of week are restricted, a
 * day matching either counts (as in every cron). Errors are AQ_ERROR_INVALID and name the
 * field. */
AqCron     *aq_cron_parse          (const char  *expression,
                                    GError     **error);
void        aq_cron_free           (AqCron      *cron);
const char *aq_cron_get_expression (AqCron      *cron);
gboolean    aq_cron_has_seconds    (AqCron      *cron);

/* The first occurrence strictly after @after, as a UTC instant (transfer full), with the
 * fields read as wall-clock time in @zone. Daylight-saving time:
 *  - a local time that does not exist (the hour skipped in spring) runs at the first instant
 *    after the gap, once, however many occurrences fell into the gap;
 *  - a local time that exists twice (the hour repeated in autumn) runs in the first pass
 *    only — unless the hour field is "*": such a schedule is about elapsed time, and runs in
 *    both passes.
 * NULL when it never occurs again within 30 years (e.g. "0 0 30 2 *"). */
GDateTime  *aq_cron_next           (AqCron      *cron,
                                    GDateTime   *after,
                                    GTimeZone   *zone);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqCron, aq_cron_free)

G_END_DECLS

/* aq-delivery.h — scheduled deliveries: a report written to a folder, as a scheduler job kind */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Registers the "delivery" job kind with the scheduler (idempotent). The programs that run
 * or define jobs (aqueductctl, aqueductd) call it once at start.
 *
 * A delivery's target is JSON:
 *   {"report": "arrears_list", "format": "csv" | "xlsx", "folder": "/srv/reports",
 *    "only_if_not_empty": true, "params": {"n": "6"}}
 * A run writes FOLDER/REPORT-YYYYMMDD-HHMMSS.EXT (the utility's local time) through a
 * temporary file renamed into place, so a reader never sees half a file; an empty report
 * with only_if_not_empty writes nothing and says so in the run's log. */
void      aq_delivery_register (void);

gboolean  aq_delivery_validate (const char    *target,
                                GError       **error);
char     *aq_delivery_run      (const char    *target,
                                const char    *conninfo,
                                GCancellable  *cancellable,
                                GError       **error);

G_END_DECLS

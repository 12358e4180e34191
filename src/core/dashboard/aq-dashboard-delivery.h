/* aq-dashboard-delivery.h — a dashboard delivered as a PNG or PDF to a folder or a webhook */
#pragma once

#include <cairo.h>
#include <gio/gio.h>

#include "aq-dashboard.h"

G_BEGIN_DECLS

/* A delivery target naming a dashboard instead of a report:
 *   {"dashboard": "operations_screen", "format": "png" | "pdf", "folder": "/srv/screens",
 *    "width": 1920, "height": 1080}
 * or {"dashboards": ["marketing_cockpit", "service_cockpit"], "format": "pdf", …} for a PDF
 * of one page per dashboard. The size defaults to the dashboard's canvas (1920×1080 for a big
 * screen, 1600×900 for a cockpit). A run writes FOLDER/NAME-YYYYMMDD-HHMMSS.png|pdf (the
 * first dashboard's name). With "webhook": "https://…" (and optional "headers":
 * ["Authorization: Bearer …"]) the run also — or, without "folder", only — posts
 *   {"kind": "dashboard", "delivered_at", "idempotency_key", "dashboards": [{"name", "title",
 *    "tiles": [{"id", "kind", "title", "indicator", "period", "value", "text", "unit",
 *    "previous", "last_year", "change_previous", "change_last_year", "target", "status"}]}],
 *    "file": {"name", "content_type", "path"?, "base64"}}
 * (KPI tiles carry the figures; other tiles their id, kind and title; a tile without figures
 * its "error"). */
gboolean  aq_dashboard_delivery_wanted   (const char    *target);
gboolean  aq_dashboard_delivery_validate (const char    *target,
                                          GError       **error);
char     *aq_dashboard_delivery_run      (const char    *target,
                                          const char    *conninfo,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Draws @dashboard's tiles on its grid into (0, 0, width, height): @data and @errors hold one
 * AqTileData* / message (both nullable) per tile, in the tiles' order. */
void      aq_dashboard_paint             (cairo_t            *cr,
                                          const AqDashboard  *dashboard,
                                          GPtrArray          *data,
                                          GPtrArray          *errors,
                                          double              width,
                                          double              height);

G_END_DECLS

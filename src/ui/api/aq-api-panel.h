/* aq-api-panel.h — the Data API panel: the market by category, an API's documentation, the
 * test console, the monitor of calls */
#pragma once

#include <gtk/gtk.h>

#include "aqueduct-core.h"
#include "aq-api-wizard.h"

G_BEGIN_DECLS

#define AQ_TYPE_API_PANEL (aq_api_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqApiPanel, aq_api_panel, AQ, API_PANEL, GtkWidget)

/* For tests and screenshots. */
gboolean     aq_api_panel_get_busy      (AqApiPanel *self);
guint        aq_api_panel_get_n_apis    (AqApiPanel *self);
/* Opens an API's page (its documentation and console); "" while none. */
void         aq_api_panel_select        (AqApiPanel *self,
                                         const char *name);
const AqApi *aq_api_panel_get_api       (AqApiPanel *self);
/* Fills a console field, calls, reads the answer. */
void         aq_api_panel_set_param     (AqApiPanel *self,
                                         const char *name,
                                         const char *value);
void         aq_api_panel_call          (AqApiPanel *self);
const char  *aq_api_panel_get_response  (AqApiPanel *self);
guint        aq_api_panel_get_response_rows (AqApiPanel *self);
/* Shows a page: "docs", "console", "versions" or "monitor". */
void         aq_api_panel_show_page     (AqApiPanel *self,
                                         const char *page);

/* Whether the warehouse lets the login publish (and roll back). */
gboolean     aq_api_panel_get_may_publish (AqApiPanel *self);
/* Opens the Define-an-API window: a new API, or the next version of the open one. */
AqApiWizard *aq_api_panel_define         (AqApiPanel *self,
                                          gboolean    new_version);
/* The versions page: how many versions the open API has, the diff of two of them (shown on
 * the page; its text), a rollback. */
guint        aq_api_panel_get_n_versions  (AqApiPanel *self);
void         aq_api_panel_diff            (AqApiPanel *self,
                                           int         v1,
                                           int         v2);
const char  *aq_api_panel_get_diff_text   (AqApiPanel *self);
void         aq_api_panel_rollback        (AqApiPanel *self,
                                           int         version);
/* The monitor: the open API or all (@this_api FALSE), over the last hour, day or week
 * (@window 0, 1, 2); its figures as aq_api_monitor() answered. */
void         aq_api_panel_set_watch       (AqApiPanel *self,
                                           gboolean    this_api,
                                           guint       window);
JsonObject  *aq_api_panel_get_watch       (AqApiPanel *self);
/* The line the monitor shows its figures in (calls, errors, p50/p95/p99). */
const char  *aq_api_panel_get_watch_summary (AqApiPanel *self);

G_END_DECLS

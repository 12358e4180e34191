/* aq-api-panel.h — the Data API panel: the market by category, an API's documentation, the
 * test console, the monitor of calls */
#pragma once

#include <gtk/gtk.h>

#include "aqueduct-core.h"

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
/* Shows a page: "docs", "console" or "monitor". */
void         aq_api_panel_show_page     (AqApiPanel *self,
                                         const char *page);

G_END_DECLS

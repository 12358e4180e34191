/* aq-quality-panel.h — the Data Quality panel: scores, trends, failing rules, a rule's page,
 * the rule editor */
#pragma once

#include <gtk/gtk.h>

#include "aqueduct-core.h"

G_BEGIN_DECLS

#define AQ_TYPE_QUALITY_PANEL (aq_quality_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqQualityPanel, aq_quality_panel, AQ, QUALITY_PANEL, GtkWidget)

/* What is on screen, for tests (NULL until loaded). */
const AqQualityDashboard *aq_quality_panel_get_dashboard (AqQualityPanel *self);
const AqQualityRulePage  *aq_quality_panel_get_rule_page (AqQualityPanel *self);
/* The last "test now" or run result, NULL before one. */
const AqQualityRun       *aq_quality_panel_get_last_run  (AqQualityPanel *self);
const char               *aq_quality_panel_get_page      (AqQualityPanel *self);
gboolean                  aq_quality_panel_get_busy      (AqQualityPanel *self);
void                      aq_quality_panel_open_rule     (AqQualityPanel *self,
                                                          const char     *rule_name);

G_END_DECLS

/* aq-quality-panel.h — data quality rules and their results (not available yet) */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AQ_TYPE_QUALITY_PANEL (aq_quality_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqQualityPanel, aq_quality_panel, AQ, QUALITY_PANEL, GtkWidget)

G_END_DECLS

/* aq-pipeline-panel.h — the pipeline designer and its runs (not available yet) */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE_PANEL (aq_pipeline_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelinePanel, aq_pipeline_panel, AQ, PIPELINE_PANEL, GtkWidget)

G_END_DECLS

/* aq-pipeline-panel.h — the Pipelines panel: the pipeline editor */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "aq-pipeline-graph.h"
#include "aq-pipeline-preview.h"

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE_PANEL (aq_pipeline_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelinePanel, aq_pipeline_panel, AQ, PIPELINE_PANEL, GtkWidget)

gboolean           aq_pipeline_panel_open_standard (AqPipelinePanel  *self,
                                                    const char       *name,
                                                    GError          **error);
void               aq_pipeline_panel_set_graph     (AqPipelinePanel  *self,
                                                    AqPipelineGraph  *graph);
AqPipelineGraph   *aq_pipeline_panel_get_graph     (AqPipelinePanel  *self);
GtkWidget         *aq_pipeline_panel_get_canvas    (AqPipelinePanel  *self);
GtkWidget         *aq_pipeline_panel_get_form      (AqPipelinePanel  *self);
GPtrArray         *aq_pipeline_panel_get_problems  (AqPipelinePanel  *self);
AqPipelinePreview *aq_pipeline_panel_get_preview   (AqPipelinePanel  *self);
gboolean           aq_pipeline_panel_is_busy       (AqPipelinePanel  *self);
const char        *aq_pipeline_panel_get_run_text  (AqPipelinePanel  *self);
const char        *aq_pipeline_panel_get_preview_text (AqPipelinePanel *self);
const char        *aq_pipeline_panel_get_preview_sample_text (AqPipelinePanel *self);
gboolean           aq_pipeline_panel_is_previewing_full (AqPipelinePanel *self);
const char        *aq_pipeline_panel_get_dropdown_name (AqPipelinePanel *self);
void               aq_pipeline_panel_list_versions (AqPipelinePanel  *self);
GPtrArray         *aq_pipeline_panel_get_versions  (AqPipelinePanel  *self);
int                aq_pipeline_panel_get_shown_version (AqPipelinePanel *self);
GPtrArray         *aq_pipeline_panel_get_changes   (AqPipelinePanel  *self);
const char        *aq_pipeline_panel_get_version_text (AqPipelinePanel *self);
void               aq_pipeline_panel_load_history  (AqPipelinePanel  *self);
void               aq_pipeline_panel_show_history  (AqPipelinePanel  *self);
JsonArray         *aq_pipeline_panel_get_runs      (AqPipelinePanel  *self);
void               aq_pipeline_panel_show_run      (AqPipelinePanel  *self,
                                                    gint64            run_id);
gint64             aq_pipeline_panel_get_shown_run (AqPipelinePanel  *self);
gint64             aq_pipeline_panel_get_definition_run (AqPipelinePanel *self);
void               aq_pipeline_panel_get_chart_marks (AqPipelinePanel *self,
                                                      guint          *duration,
                                                      guint          *rows);
void               aq_pipeline_panel_show_dependencies (AqPipelinePanel *self);
GStrv              aq_pipeline_panel_get_dependencies (AqPipelinePanel *self,
                                                       gboolean         downstream);
gboolean           aq_pipeline_panel_activate_dependency (AqPipelinePanel *self,
                                                          const char      *name);
const char        *aq_pipeline_panel_get_dependencies_text (AqPipelinePanel *self);
gboolean           aq_pipeline_panel_can_schedule  (AqPipelinePanel  *self);
GtkWidget         *aq_pipeline_panel_get_schedule_dialog (AqPipelinePanel *self);
GtkWidget         *aq_pipeline_panel_get_backfill_dialog (AqPipelinePanel *self);
gboolean           aq_pipeline_panel_import_ktr    (AqPipelinePanel  *self,
                                                    const char       *path,
                                                    char            **out_summary,
                                                    GError          **error);

G_END_DECLS

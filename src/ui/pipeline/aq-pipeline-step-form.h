/* aq-pipeline-step-form.h — the form of one step, generated from the step schema */
#pragma once

#include <gtk/gtk.h>

#include "aq-pipeline-graph.h"

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE_STEP_FORM (aq_pipeline_step_form_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineStepForm, aq_pipeline_step_form, AQ, PIPELINE_STEP_FORM, GtkWidget)

GtkWidget  *aq_pipeline_step_form_new          (void);
void        aq_pipeline_step_form_set_step     (AqPipelineStepForm *self,
                                                AqPipelineGraph    *graph,
                                                const char         *step_id,
                                                const char * const *input_columns);
const char *aq_pipeline_step_form_get_step     (AqPipelineStepForm *self);
gboolean    aq_pipeline_step_form_is_editing   (AqPipelineStepForm *self);
void        aq_pipeline_step_form_set_problems (AqPipelineStepForm *self,
                                                GPtrArray          *problems);
GtkWidget  *aq_pipeline_step_form_get_editor   (AqPipelineStepForm *self,
                                                const char         *member);
const char *aq_pipeline_step_form_get_error    (AqPipelineStepForm *self,
                                                const char         *member);

G_END_DECLS

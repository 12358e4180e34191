/* aq-pipeline-private.h — what the pipeline model, compiler and runner share */
#pragma once

#include "aq-pipeline-step.h"

G_BEGIN_DECLS

/* The graph owns the steps; a step's inputs point back into it. */
void   _aq_pipeline_step_clear_inputs (AqPipelineStep *self);
void   _aq_pipeline_step_add_input    (AqPipelineStep *self,
                                       AqPipelineStep *input);

G_END_DECLS

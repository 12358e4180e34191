/* aq-pipeline-runner.h — runs a pipeline in one transaction and records the run */
#pragma once

#include "aq-pipeline.h"

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE_RUNNER (aq_pipeline_runner_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineRunner, aq_pipeline_runner, AQ, PIPELINE_RUNNER, GObject)

/* The entry points: check a pipeline, or check and run it once. */
gboolean          aq_pipeline_runner_validate     (AqPipeline        *pipeline,
                                                   AqDb              *db,
                                                   GError           **error);
gboolean          aq_pipeline_runner_run_pipeline (AqPipeline        *pipeline,
                                                   AqDb              *db,
                                                   AqProgressFunc     progress,
                                                   gpointer           user_data,
                                                   GCancellable      *cancellable,
                                                   gint64            *out_run_id,
                                                   GError           **error);

AqPipelineRunner *aq_pipeline_runner_new          (AqPipeline        *pipeline,
                                                   AqDb              *db);
void              aq_pipeline_runner_set_progress (AqPipelineRunner  *self,
                                                   AqProgressFunc     progress,
                                                   gpointer           user_data);
gboolean          aq_pipeline_runner_check        (AqPipelineRunner  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gboolean          aq_pipeline_runner_run          (AqPipelineRunner  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gint64            aq_pipeline_runner_get_run_id   (AqPipelineRunner  *self);

G_END_DECLS

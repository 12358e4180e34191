/* aq-pipeline-runner.h — runs a pipeline in one transaction and records the run */
#pragma once

#include "aq-pipeline.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_PIPELINE_STEP_STARTED,
  AQ_PIPELINE_STEP_FINISHED,
  AQ_PIPELINE_STEP_FAILED,
} AqPipelineStepState;

/* What a run says about one step as it starts and ends; -1 for figures it has not. */
typedef struct
{
  const char          *step_id;
  AqPipelineStepState  state;
  gint64               rows_in;
  gint64               rows_out;
  double               duration_ms;
  const char          *error;      /* FAILED only */
} AqPipelineStepReport;

typedef void (*AqPipelineStepFunc) (const AqPipelineStepReport *report,
                                    gpointer                    user_data);

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
void              aq_pipeline_runner_set_step_func (AqPipelineRunner *self,
                                                    AqPipelineStepFunc func,
                                                    gpointer          user_data);
gboolean          aq_pipeline_runner_check        (AqPipelineRunner  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gboolean          aq_pipeline_runner_run          (AqPipelineRunner  *self,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gint64            aq_pipeline_runner_get_run_id   (AqPipelineRunner  *self);

/* The editor's run: on a connection of its own, off the main thread; @step_func is called in
 * the thread-default main context of the caller. */
void              aq_pipeline_run_async           (AqPipeline        *pipeline,
                                                   const char        *conninfo,
                                                   AqPipelineStepFunc step_func,
                                                   gpointer           step_data,
                                                   GDestroyNotify     step_data_free,
                                                   GCancellable      *cancellable,
                                                   GAsyncReadyCallback callback,
                                                   gpointer           user_data);
gboolean          aq_pipeline_run_finish          (GAsyncResult      *result,
                                                   gint64            *out_run_id,
                                                   GError           **error);

G_END_DECLS

/* aq-pipeline-preview.h — the first rows of one step's output, computed and rolled back */
#pragma once

#include "aq-pipeline.h"
#include "aq-pipeline-compiler.h"

G_BEGIN_DECLS

/* What the editor shows of a step: enough to see the shape, little enough to draw at once. */
#define AQ_PIPELINE_PREVIEW_ROWS 200

typedef struct
{
  char       *step_id;
  GPtrArray  *columns;      /* (element-type AqPipelineColumn) with their types */
  GPtrArray  *rows;         /* (element-type GPtrArray of utf8, NULL for SQL NULL) */
  gint64      n_rows;       /* every row of the step's output, -1 if unknown */
  double      duration_ms;  /* computing the step and what feeds it */
} AqPipelinePreview;

void               aq_pipeline_preview_free        (AqPipelinePreview  *preview);
const char        *aq_pipeline_preview_get_value   (AqPipelinePreview  *preview,
                                                    guint               row,
                                                    guint               column);

AqPipelinePreview *aq_pipeline_preview_step        (AqPipeline         *pipeline,
                                                    AqDb               *db,
                                                    const char         *step_id,
                                                    guint               limit,
                                                    GCancellable       *cancellable,
                                                    GError            **error);
void               aq_pipeline_preview_step_async  (AqPipeline         *pipeline,
                                                    const char         *conninfo,
                                                    const char         *step_id,
                                                    guint               limit,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
AqPipelinePreview *aq_pipeline_preview_step_finish (GAsyncResult       *result,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelinePreview, aq_pipeline_preview_free)

G_END_DECLS

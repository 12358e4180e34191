/* aq-pipeline-preview.h — the first rows of one step's output, computed and rolled back */
#pragma once

#include "aq-pipeline.h"
#include "aq-pipeline-compiler.h"

G_BEGIN_DECLS

/* What the editor shows of a step: enough to see the shape, little enough to draw at once. */
#define AQ_PIPELINE_PREVIEW_ROWS 200
/* What a preview should take, at most, at the default scale: an automatic preview whose full
 * computation would take longer goes over a sample of its inputs instead. */
#define AQ_PIPELINE_PREVIEW_BUDGET_MS 1000

typedef enum
{
  AQ_PIPELINE_PREVIEW_AUTO,     /* every input row when that fits the budget, else a sample */
  AQ_PIPELINE_PREVIEW_FULL,     /* every input row, however long it takes */
  AQ_PIPELINE_PREVIEW_SAMPLE,   /* the first rows of each table the inputs read */
} AqPipelinePreviewMode;

typedef struct
{
  char       *step_id;
  GPtrArray  *columns;      /* (element-type AqPipelineColumn) with their types */
  GPtrArray  *rows;         /* (element-type GPtrArray of utf8, NULL for SQL NULL) */
  gint64      n_rows;       /* every row of the step's output (of the sample's, when
                             * sampled), -1 if unknown */
  double      duration_ms;  /* computing the step and what feeds it */
  guint       sample_rows;  /* 0: over every input row; else read at most this many rows
                             * of each table the step's inputs name */
  guint       n_sampled_tables;   /* how many tables were sampled */
  gint64      sample_input_rows;  /* the rows the samples hold, together */
  double      full_tried_ms;      /* an automatic preview: the time given to the full one
                                   * before it went over a sample; 0 */
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
AqPipelinePreview *aq_pipeline_preview_step_with_mode (AqPipeline            *pipeline,
                                                       AqDb                  *db,
                                                       const char            *step_id,
                                                       guint                  limit,
                                                       AqPipelinePreviewMode  mode,
                                                       guint                  sample_rows,
                                                       GCancellable          *cancellable,
                                                       GError               **error);
void               aq_pipeline_preview_step_async  (AqPipeline         *pipeline,
                                                    const char         *conninfo,
                                                    const char         *step_id,
                                                    guint               limit,
                                                    AqPipelinePreviewMode mode,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
AqPipelinePreview *aq_pipeline_preview_step_finish (GAsyncResult       *result,
                                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelinePreview, aq_pipeline_preview_free)

G_END_DECLS

/* aq-pipeline-backfill-dialog.h — the editor's Backfill… dialog: a pipeline run once per month */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE_BACKFILL_DIALOG (aq_pipeline_backfill_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineBackfillDialog, aq_pipeline_backfill_dialog, AQ,
                      PIPELINE_BACKFILL_DIALOG, AdwWindow)

typedef enum
{
  AQ_BACKFILL_OPTION_CASCADE,
  AQ_BACKFILL_OPTION_WINDOWS,
  AQ_BACKFILL_OPTION_RESUME,
} AqBackfillOption;

GtkWidget   *aq_pipeline_backfill_dialog_new          (GtkWindow                *parent,
                                                       const char               *conninfo,
                                                       const char               *pipeline,
                                                       gboolean                  has_watermark);
void         aq_pipeline_backfill_dialog_set_range    (AqPipelineBackfillDialog *self,
                                                       const char               *from_month,
                                                       const char               *to_month);
void         aq_pipeline_backfill_dialog_set_option   (AqPipelineBackfillDialog *self,
                                                       AqBackfillOption          option,
                                                       gboolean                  on);
gboolean     aq_pipeline_backfill_dialog_get_option   (AqPipelineBackfillDialog *self,
                                                       AqBackfillOption          option);
void         aq_pipeline_backfill_dialog_start        (AqPipelineBackfillDialog *self);
void         aq_pipeline_backfill_dialog_cancel       (AqPipelineBackfillDialog *self);
gboolean     aq_pipeline_backfill_dialog_is_running   (AqPipelineBackfillDialog *self);
const char  *aq_pipeline_backfill_dialog_get_status   (AqPipelineBackfillDialog *self);
char       **aq_pipeline_backfill_dialog_get_results  (AqPipelineBackfillDialog *self);
guint        aq_pipeline_backfill_dialog_get_n_progress (AqPipelineBackfillDialog *self);

G_END_DECLS

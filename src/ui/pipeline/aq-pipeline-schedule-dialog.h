/* aq-pipeline-schedule-dialog.h — the editor's Schedule… dialog: a scheduler job for a pipeline */
#pragma once

#include <adwaita.h>

#include "aq-job.h"

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE_SCHEDULE_DIALOG (aq_pipeline_schedule_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineScheduleDialog, aq_pipeline_schedule_dialog, AQ,
                      PIPELINE_SCHEDULE_DIALOG, AdwWindow)

typedef enum
{
  AQ_SCHEDULE_FIELD_NAME,
  AQ_SCHEDULE_FIELD_SCHEDULE,
  AQ_SCHEDULE_FIELD_AFTER,
  AQ_SCHEDULE_FIELD_TIME_ZONE,
} AqScheduleField;

GtkWidget  *aq_pipeline_schedule_dialog_new           (GtkWindow                *parent,
                                                       const char               *conninfo,
                                                       const char               *pipeline,
                                                       const AqJob              *existing);
GtkEditable *aq_pipeline_schedule_dialog_get_field    (AqPipelineScheduleDialog *self,
                                                       AqScheduleField           field);
void        aq_pipeline_schedule_dialog_set_chained   (AqPipelineScheduleDialog *self,
                                                       gboolean                  chained);
void        aq_pipeline_schedule_dialog_set_enabled   (AqPipelineScheduleDialog *self,
                                                       gboolean                  enabled);
const char *aq_pipeline_schedule_dialog_get_next_text (AqPipelineScheduleDialog *self);
const char *aq_pipeline_schedule_dialog_get_error_text (AqPipelineScheduleDialog *self);
gboolean    aq_pipeline_schedule_dialog_is_editing    (AqPipelineScheduleDialog *self);
gboolean    aq_pipeline_schedule_dialog_is_busy       (AqPipelineScheduleDialog *self);
void        aq_pipeline_schedule_dialog_save          (AqPipelineScheduleDialog *self);

G_END_DECLS

/* aq-pipeline-step.h — one step of a pipeline graph */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_PIPELINE_STEP_UNKNOWN,
  AQ_PIPELINE_STEP_TABLE_INPUT,
  AQ_PIPELINE_STEP_CSV_INPUT,
  AQ_PIPELINE_STEP_JSON_INPUT,
  AQ_PIPELINE_STEP_SELECT,
  AQ_PIPELINE_STEP_FILTER,
  AQ_PIPELINE_STEP_CALCULATOR,
  AQ_PIPELINE_STEP_VALUE_MAPPING,
  AQ_PIPELINE_STEP_LOOKUP,
  AQ_PIPELINE_STEP_DEDUPLICATE,
  AQ_PIPELINE_STEP_AGGREGATE,
  AQ_PIPELINE_STEP_UNION,
  AQ_PIPELINE_STEP_TABLE_OUTPUT,
  AQ_PIPELINE_STEP_SQL,
  AQ_PIPELINE_STEP_QUALITY_GATE,  /* runs named quality rules; a failing fail rule stops the run */
} AqPipelineStepKind;

#define AQ_TYPE_PIPELINE_STEP (aq_pipeline_step_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineStep, aq_pipeline_step, AQ, PIPELINE_STEP, GObject)

AqPipelineStepKind  aq_pipeline_step_kind_from_name  (const char      *name);
const char         *aq_pipeline_step_kind_to_name    (AqPipelineStepKind kind);

AqPipelineStep     *aq_pipeline_step_new             (JsonObject      *definition,
                                                      guint            index);
const char         *aq_pipeline_step_get_id          (AqPipelineStep  *self);
AqPipelineStepKind  aq_pipeline_step_get_kind        (AqPipelineStep  *self);
const char         *aq_pipeline_step_get_kind_name   (AqPipelineStep  *self);
guint               aq_pipeline_step_get_index       (AqPipelineStep  *self);
JsonObject         *aq_pipeline_step_get_definition  (AqPipelineStep  *self);
gboolean            aq_pipeline_step_is_input        (AqPipelineStep  *self);
gboolean            aq_pipeline_step_is_output       (AqPipelineStep  *self);
gboolean            aq_pipeline_step_passes_rows     (AqPipelineStep  *self);
guint               aq_pipeline_step_get_min_inputs  (AqPipelineStep  *self);
guint               aq_pipeline_step_get_max_inputs  (AqPipelineStep  *self);
GPtrArray          *aq_pipeline_step_get_inputs      (AqPipelineStep  *self);

const char         *aq_pipeline_step_get_string      (AqPipelineStep  *self,
                                                      const char      *member);
gboolean            aq_pipeline_step_get_boolean     (AqPipelineStep  *self,
                                                      const char      *member,
                                                      gboolean         default_value);
JsonArray          *aq_pipeline_step_get_array       (AqPipelineStep  *self,
                                                      const char      *member);
JsonObject         *aq_pipeline_step_get_object      (AqPipelineStep  *self,
                                                      const char      *member);
char              **aq_pipeline_step_dup_strv        (AqPipelineStep  *self,
                                                      const char      *member);

gboolean            aq_pipeline_step_check_fields    (AqPipelineStep  *self,
                                                      GError         **error);

gboolean aq_pipeline_step_fail       (AqPipelineStep  *step,
                                      int              code,
                                      GError         **error,
                                      const char      *format,
                                      ...) G_GNUC_PRINTF (4, 5);
char    *aq_pipeline_json_value_text (JsonNode        *node);

G_END_DECLS

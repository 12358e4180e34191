/* aq-pipeline-diff.h — what changed between two versions of a pipeline, step by step */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_PIPELINE_CHANGE_MEMBER,        /* a member of the pipeline itself (description…) */
  AQ_PIPELINE_CHANGE_STEP_ADDED,
  AQ_PIPELINE_CHANGE_STEP_REMOVED,
  AQ_PIPELINE_CHANGE_STEP_MEMBER,   /* a member of a step that is in both */
  AQ_PIPELINE_CHANGE_EDGE_ADDED,
  AQ_PIPELINE_CHANGE_EDGE_REMOVED,
} AqPipelineChangeKind;

typedef struct
{
  AqPipelineChangeKind  kind;
  char                 *step_id;    /* step changes; an edge's “from” */
  char                 *step_type;  /* step changes: the type in the newer version (or old) */
  char                 *member;     /* member changes; an edge's “to” for edges */
  char                 *old_value;  /* member changes: compact JSON, NULL when it was absent */
  char                 *new_value;  /* member changes: compact JSON, NULL when it is absent */
} AqPipelineChange;

void        aq_pipeline_change_free     (AqPipelineChange  *change);
char       *aq_pipeline_change_describe (const AqPipelineChange *change);
const char *aq_pipeline_change_kind_to_name (AqPipelineChangeKind kind);

GPtrArray  *aq_pipeline_diff            (const char        *old_json,
                                         const char        *new_json,
                                         GError           **error);
JsonNode   *aq_pipeline_diff_to_json    (GPtrArray         *changes);

G_END_DECLS

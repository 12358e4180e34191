/* aq-pipeline-validate.h — every problem of a pipeline at once, each pinned to step and member */
#pragma once

#include "aq-pipeline-graph.h"

G_BEGIN_DECLS

typedef struct
{
  char *step_id;   /* NULL for the pipeline as a whole */
  char *member;    /* the top-level member that is wrong, or NULL for the step as a whole */
  char *message;   /* translated; names the item (“column 2 of “columns””) where it helps */
} AqPipelineProblem;

void        aq_pipeline_problem_free     (AqPipelineProblem *problem);

GPtrArray  *aq_pipeline_validate_graph   (AqPipelineGraph   *graph);
guint       aq_pipeline_problems_count_for (GPtrArray       *problems,
                                            const char      *step_id,
                                            const char      *member);
const char *aq_pipeline_problems_first_for (GPtrArray       *problems,
                                            const char      *step_id,
                                            const char      *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelineProblem, aq_pipeline_problem_free)

G_END_DECLS

/* aq-pipeline.h — a pipeline: a graph of steps that loads the warehouse */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"
#include "aq-pipeline-step.h"
#include "aq-progress.h"

G_BEGIN_DECLS

#define AQ_TYPE_PIPELINE (aq_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (AqPipeline, aq_pipeline, AQ, PIPELINE, GObject)

AqPipeline     *aq_pipeline_new_from_data   (const char      *json,
                                             gssize           len,
                                             const char      *base_dir,
                                             GError         **error);
AqPipeline     *aq_pipeline_new_from_node   (JsonNode        *root,
                                             const char      *base_dir,
                                             GError         **error);
AqPipeline     *aq_pipeline_new_from_file   (const char      *path,
                                             GError         **error);
AqPipeline     *aq_pipeline_new_standard    (const char      *name,
                                             GError         **error);
char          **aq_pipeline_list_standard   (void);

const char     *aq_pipeline_get_name        (AqPipeline      *self);
const char     *aq_pipeline_get_description (AqPipeline      *self);
const char     *aq_pipeline_get_base_dir    (AqPipeline      *self);
const char     *aq_pipeline_get_source      (AqPipeline      *self);
guint           aq_pipeline_get_n_steps     (AqPipeline      *self);
AqPipelineStep *aq_pipeline_get_step        (AqPipeline      *self,
                                             guint            index);
AqPipelineStep *aq_pipeline_find_step       (AqPipeline      *self,
                                             const char      *id);
GPtrArray      *aq_pipeline_get_order       (AqPipeline      *self,
                                             GError         **error);
GPtrArray      *aq_pipeline_get_consumers   (AqPipeline      *self,
                                             AqPipelineStep  *step);
char           *aq_pipeline_resolve_path    (AqPipeline      *self,
                                             const char      *path);

G_END_DECLS

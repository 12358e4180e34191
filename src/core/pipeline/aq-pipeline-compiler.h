/* aq-pipeline-compiler.h — pipeline steps as SQL, and the columns that flow between them */
#pragma once

#include "aq-pipeline.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *type;   /* as format_type() spells it; NULL when it cannot be known without the warehouse */
} AqPipelineColumn;

AqPipelineColumn   *aq_pipeline_column_new            (const char         *name,
                                                       const char         *type);
void                aq_pipeline_column_free           (AqPipelineColumn   *column);
GPtrArray          *aq_pipeline_columns_copy          (GPtrArray          *columns);
AqPipelineColumn   *aq_pipeline_columns_find          (GPtrArray          *columns,
                                                       const char         *name);
char               *aq_pipeline_columns_to_string     (GPtrArray          *columns);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelineColumn, aq_pipeline_column_free)

gboolean            aq_pipeline_types_compatible      (const char         *a,
                                                       const char         *b);
char               *aq_pipeline_quote_table           (const char         *name);

#define AQ_TYPE_PIPELINE_COMPILER (aq_pipeline_compiler_get_type ())
G_DECLARE_FINAL_TYPE (AqPipelineCompiler, aq_pipeline_compiler, AQ, PIPELINE_COMPILER, GObject)

AqPipelineCompiler *aq_pipeline_compiler_new          (AqPipeline         *pipeline);
gboolean            aq_pipeline_compiler_check        (AqPipelineCompiler *self,
                                                       GError            **error);
gboolean            aq_pipeline_compiler_check_step   (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step,
                                                       GError            **error);
GPtrArray          *aq_pipeline_compiler_get_columns  (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step);
GPtrArray          *aq_pipeline_compiler_get_input_columns (AqPipelineCompiler *self,
                                                            AqPipelineStep     *step);
void                aq_pipeline_compiler_set_columns  (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step,
                                                       GPtrArray          *columns);
void                aq_pipeline_compiler_set_table_family (AqPipelineCompiler *self,
                                                          AqPipelineStep     *step,
                                                          const char * const *tables);
void                aq_pipeline_compiler_set_watermark (AqPipelineCompiler *self,
                                                        AqPipelineStep     *step,
                                                        const char         *value);

const char         *aq_pipeline_compiler_get_watermark (AqPipelineCompiler *self,
                                                        AqPipelineStep     *step);

char               *aq_pipeline_compiler_get_relation (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_query    (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step,
                                                       GPtrArray          *params);
char               *aq_pipeline_compiler_get_source_describe (AqPipelineCompiler *self,
                                                              AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_source_copy (AqPipelineCompiler *self,
                                                          AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_staging  (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_copy_in  (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_create_table (AqPipelineCompiler *self,
                                                           AqPipelineStep     *step);
GPtrArray          *aq_pipeline_compiler_get_create_indexes (AqPipelineCompiler *self,
                                                             AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_truncate (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step);
char               *aq_pipeline_compiler_get_insert   (AqPipelineCompiler *self,
                                                       AqPipelineStep     *step);

G_END_DECLS

/* aq-pipeline-store.h — pipelines kept in meta.pipeline with every version */
#pragma once

#include "aq-db.h"
#include "aq-pipeline.h"

G_BEGIN_DECLS

/* One saved version of a pipeline, as aq_pipeline_store_list() and
 * aq_pipeline_store_versions() read it back. */
typedef struct
{
  char      *name;
  int        version;        /* 1, 2, …; in a list, the latest one */
  int        n_versions;     /* how many versions the pipeline has */
  char      *author;         /* the login that saved it (session_user) */
  GDateTime *created_at;     /* in aq_clock_zone() */
  char      *comment;        /* NULL when none was given */
  int        restored_from;  /* 0, or the version this one restored */
} AqPipelineVersion;

void                aq_pipeline_version_free           (AqPipelineVersion  *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelineVersion, aq_pipeline_version_free)

gboolean            aq_pipeline_store_save             (AqDb               *db,
                                                        const char         *name,
                                                        const char         *json_text,
                                                        const char         *comment,
                                                        int                *out_version,
                                                        GError            **error);
void                aq_pipeline_store_save_async       (const char         *conninfo,
                                                        const char         *name,
                                                        const char         *json_text,
                                                        const char         *comment,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
int                 aq_pipeline_store_save_finish      (GAsyncResult       *result,
                                                        GError            **error);
char               *aq_pipeline_store_load             (AqDb               *db,
                                                        const char         *name,
                                                        int                 version,
                                                        GError            **error);
AqPipeline         *aq_pipeline_store_open             (AqDb               *db,
                                                        const char         *name,
                                                        int                 version,
                                                        GError            **error);
GPtrArray          *aq_pipeline_store_list             (AqDb               *db,
                                                        GError            **error);
GPtrArray          *aq_pipeline_store_versions         (AqDb               *db,
                                                        const char         *name,
                                                        GError            **error);
gboolean            aq_pipeline_store_restore          (AqDb               *db,
                                                        const char         *name,
                                                        int                 version,
                                                        const char         *comment,
                                                        int                *out_version,
                                                        GError            **error);
gboolean            aq_pipeline_store_seed_standard    (AqDb               *db,
                                                        guint              *n_seeded,
                                                        GError            **error);
char               *aq_pipeline_store_dup_standard     (const char         *name,
                                                        GError            **error);

G_END_DECLS

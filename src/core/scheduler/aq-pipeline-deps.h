/* aq-pipeline-deps.h — all pipelines as one dependency graph, with last and next runs */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  char       *name;
  char       *description;
  char       *layer;         /* "ods", "dw", "dm" (the name's prefix), or "" */
  int         version;       /* the latest stored version; 0: only a standard file */
  GPtrArray  *writes;        /* (element-type utf8) the tables its outputs write, lower case */
  GPtrArray  *upstream;      /* (element-type utf8) pipelines whose tables it reads */
  GPtrArray  *downstream;    /* (element-type utf8) pipelines that read its tables */

  /* aq_pipeline_deps_load() only */
  gint64      last_run_id;   /* 0: never ran */
  char       *last_status;
  char       *last_started_at;
  char       *next_job;      /* the scheduler job that runs it, or NULL */
  GDateTime  *next_run_at;   /* its next occurrence; NULL for none or a chain */
  char       *next_after;    /* a chain: runs after this job */
} AqPipelineDep;

typedef struct
{
  GPtrArray  *nodes;         /* (element-type AqPipelineDep) upstream first: ods → dw → dm */
  GHashTable *by_name;
} AqPipelineDeps;

AqPipelineDeps *aq_pipeline_deps_new_from_definitions (GHashTable      *definitions,
                                                       GError         **error);
AqPipelineDeps *aq_pipeline_deps_load                 (AqDb            *db,
                                                       GError         **error);
void            aq_pipeline_deps_free                 (AqPipelineDeps  *graph);
AqPipelineDep  *aq_pipeline_deps_find                 (AqPipelineDeps  *graph,
                                                       const char      *name);
GPtrArray      *aq_pipeline_deps_downstream           (AqPipelineDeps  *graph,
                                                       const char      *name);
JsonNode       *aq_pipeline_deps_to_json              (AqPipelineDeps  *graph);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqPipelineDeps, aq_pipeline_deps_free)

G_END_DECLS

/* aq-pipeline-history.h — what meta.pipeline_run and meta.pipeline_step_run recorded */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

JsonObject *aq_pipeline_history_last_runs (AqDb     *db,
                                           GError  **error);
JsonObject *aq_pipeline_history_get_run   (AqDb     *db,
                                           gint64    run_id,
                                           GError  **error);

JsonArray  *aq_pipeline_history_runs     (AqDb        *db,
                                         const char  *pipeline,
                                         guint        limit,
                                         GError     **error);
char       *aq_pipeline_history_run_definition (AqDb     *db,
                                                gint64    run_id,
                                                char    **out_pipeline,
                                                int      *out_version,
                                                GError  **error);

G_END_DECLS

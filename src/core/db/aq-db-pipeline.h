/* aq-db-pipeline.h — several prepared statements in one round trip */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  const char         *sql;       /* a constant statement, like aq_db_query_prepared()'s */
  int                 n_params;
  const char * const *params;
} AqDbStatement;

gboolean aq_db_query_pipeline (AqDb                *db,
                               const AqDbStatement *statements,
                               guint                n_statements,
                               PGresult           **results,
                               GError             **error);

G_END_DECLS

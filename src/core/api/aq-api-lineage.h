/* aq-api-lineage.h — the published APIs in the data catalog's lineage (issues 13 and 16) */
#pragma once

#include "aq-api.h"

G_BEGIN_DECLS

/* The lineage node ids @api reads: "schema.table.column", or "schema.table" for a relation
 * read only as a whole (element-type utf8) (transfer full), from PostgreSQL's dependencies of
 * its template. Needs a connection that may create a temporary view (rolled back). */
GPtrArray *aq_api_lineage_reads    (AqDb         *db,
                                    const AqApi  *api,
                                    GError      **error);

/* Registers the lineage provider that adds every published API downstream of what it reads.
 * Once at startup, next to aq_core_init. */
void       aq_api_lineage_register (void);

G_END_DECLS

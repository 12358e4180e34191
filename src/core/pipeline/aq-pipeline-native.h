/* aq-pipeline-native.h — a sql step's work done by C code the program registered */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

/* Does what the step's statements do. Runs on the pipeline run's connection, inside its
 * transaction (no COMMIT or ROLLBACK), as the run's role. @out_rows: what it wrote, or -1. */
typedef gboolean (*AqPipelineNativeFunc) (AqDb          *db,
                                          GCancellable  *cancellable,
                                          gint64        *out_rows,
                                          GError       **error);

/* Once at startup, by the module that provides @name (aq_network_register(), say). */
void                 aq_pipeline_native_register (const char           *name,
                                                  AqPipelineNativeFunc  func);
/* NULL when this program has not registered @name. */
AqPipelineNativeFunc aq_pipeline_native_lookup   (const char           *name);

G_END_DECLS

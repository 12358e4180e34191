/* aq-demo.h — the demo warehouse: simulated sources, then the standard pipelines */
#pragma once

#include "aq-db.h"
#include "aq-progress.h"
#include "aq-simulator.h"

G_BEGIN_DECLS

const char * const *aq_demo_standard_pipelines (void);
gboolean            aq_demo_exists             (AqDb                 *db,
                                                gboolean             *out_exists,
                                                GError              **error);
gboolean            aq_demo_build              (AqDb                 *db,
                                                const AqSimulatorOptions *options,
                                                AqProgressFunc        progress,
                                                gpointer              user_data,
                                                GCancellable         *cancellable,
                                                GError              **error);
gboolean            aq_demo_run_pipelines      (AqDb                 *db,
                                                AqProgressFunc        progress,
                                                gpointer              user_data,
                                                GCancellable         *cancellable,
                                                GError              **error);

G_END_DECLS

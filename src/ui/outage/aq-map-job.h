/* aq-map-job.h — one core call for the outage map, on a worker thread with its own connection */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

/* Runs on the worker thread. Returns: the result, or NULL with @error set (NULL without an
 * error is a NULL result). */
typedef gpointer (*AqMapJobFunc) (AqDb          *db,
                                  gpointer       data,
                                  GCancellable  *cancellable,
                                  GError       **error);

void     aq_map_job_run    (const char          *profile_url,
                            AqMapJobFunc         func,
                            gpointer             data,
                            GDestroyNotify       data_free,
                            GDestroyNotify       result_free,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
gpointer aq_map_job_finish (GAsyncResult        *result,
                            GError             **error);

G_END_DECLS

/* aq-db-job.h — run one core function on a worker thread with a warehouse connection */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

/**
 * AqDbJobFunc:
 * @db: a connection of its own for the duration of the call
 * @data: the job's data
 * @cancellable: (nullable): cancelling it also cancels the statement running on @db
 *
 * Runs on a worker thread. Returns the job's result (NULL is a valid result when @error is
 * not set). It must leave the session as it found it: no transaction left open, no
 * session-level SET, so that the next job can reuse the connection.
 */
typedef gpointer (*AqDbJobFunc) (AqDb          *db,
                                 gpointer       data,
                                 GCancellable  *cancellable,
                                 GError       **error);

void     aq_db_job_run_async  (const char          *conninfo,
                               gpointer             source_tag,
                               AqDbJobFunc          func,
                               gpointer             data,
                               GDestroyNotify       data_free,
                               GDestroyNotify       result_free,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gpointer aq_db_job_run_finish (GAsyncResult        *result,
                               gpointer             source_tag,
                               GError             **error);

gpointer aq_db_job_run        (const char          *conninfo,
                               AqDbJobFunc          func,
                               gpointer             data,
                               GCancellable        *cancellable,
                               GError             **error);

guint    aq_db_job_pool_count (const char          *conninfo);
void     aq_db_job_pool_clear (void);

G_END_DECLS

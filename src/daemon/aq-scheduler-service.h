/* aq-scheduler-service.h — aqueductd's job scheduler: ticks, worker threads, metrics */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define AQ_TYPE_SCHEDULER_SERVICE (aq_scheduler_service_get_type ())
G_DECLARE_FINAL_TYPE (AqSchedulerService, aq_scheduler_service, AQ, SCHEDULER_SERVICE, GObject)

AqSchedulerService *aq_scheduler_service_new            (void);
/* Reads [scheduler] (data/aqueductd.conf documents the keys). */
gboolean            aq_scheduler_service_load_config    (AqSchedulerService  *self,
                                                         GKeyFile            *kf,
                                                         const char          *path,
                                                         GError             **error);
gboolean            aq_scheduler_service_is_enabled     (AqSchedulerService  *self);
/* Starts ticking, if [scheduler] enabled=true. */
void                aq_scheduler_service_start          (AqSchedulerService  *self,
                                                         const char          *url);
/* Stops ticking and cancels the runs in progress; they go back to the queue (a kind's work
 * is transactional) and start again on the next daemon that ticks. */
void                aq_scheduler_service_stop_async     (AqSchedulerService  *self,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gboolean            aq_scheduler_service_stop_finish    (AqSchedulerService  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                aq_scheduler_service_append_metrics (AqSchedulerService  *self,
                                                         GString             *text);
void                aq_scheduler_service_describe       (AqSchedulerService  *self,
                                                         JsonBuilder         *b);

G_END_DECLS

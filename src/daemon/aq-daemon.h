/* aq-daemon.h — aqueductd: the headless service's HTTP face */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AQ_TYPE_DAEMON (aq_daemon_get_type ())
G_DECLARE_FINAL_TYPE (AqDaemon, aq_daemon, AQ, DAEMON, GObject)

AqDaemon *aq_daemon_new             (const char  *conninfo);
gboolean  aq_daemon_load_config     (AqDaemon    *self,
                                     const char  *path,
                                     GError     **error);
gboolean  aq_daemon_listen          (AqDaemon    *self,
                                     const char  *address,
                                     guint        port,
                                     GError     **error);
void      aq_daemon_start           (AqDaemon    *self);
void      aq_daemon_shutdown_async  (AqDaemon            *self,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean  aq_daemon_shutdown_finish (AqDaemon      *self,
                                     GAsyncResult  *result,
                                     GError       **error);
guint     aq_daemon_get_port        (AqDaemon    *self);
const char *aq_daemon_get_address   (AqDaemon    *self);

G_END_DECLS

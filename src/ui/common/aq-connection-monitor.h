/* aq-connection-monitor.h — keeps asking whether the warehouse answers */
#pragma once

#include <gio/gio.h>

#include "aqueduct-core.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_CONNECTION_STATE_CONNECTING,    /* no answer yet for the current profile */
  AQ_CONNECTION_STATE_HEALTHY,
  AQ_CONNECTION_STATE_UNREACHABLE,
} AqConnectionState;

#define AQ_TYPE_CONNECTION_STATE (aq_connection_state_get_type ())
GType aq_connection_state_get_type (void) G_GNUC_CONST;

#define AQ_TYPE_CONNECTION_MONITOR (aq_connection_monitor_get_type ())
G_DECLARE_FINAL_TYPE (AqConnectionMonitor, aq_connection_monitor, AQ, CONNECTION_MONITOR,
                      GObject)

AqConnectionMonitor  *aq_connection_monitor_new             (void);
void                  aq_connection_monitor_set_conninfo    (AqConnectionMonitor *self,
                                                             const char          *conninfo);
const char           *aq_connection_monitor_get_conninfo    (AqConnectionMonitor *self);
AqConnectionState     aq_connection_monitor_get_state       (AqConnectionMonitor *self);
const AqHealthReport *aq_connection_monitor_get_report      (AqConnectionMonitor *self);
const char           *aq_connection_monitor_get_error       (AqConnectionMonitor *self);
GDateTime            *aq_connection_monitor_get_checked_at  (AqConnectionMonitor *self);
guint                 aq_connection_monitor_get_interval    (AqConnectionMonitor *self);
void                  aq_connection_monitor_set_interval    (AqConnectionMonitor *self,
                                                             guint                interval_ms);
void                  aq_connection_monitor_check_now       (AqConnectionMonitor *self);

G_END_DECLS

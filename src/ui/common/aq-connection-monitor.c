/* aq-connection-monitor.c — keeps asking whether the warehouse answers
 *
 * One health check at a time, on a worker thread, then a pause of "interval" before the next.
 * Panels do not poll: they listen to "connected", emitted whenever the warehouse answers after
 * it did not (or after the profile changed), which is when what they show may be stale.
 */
#define G_LOG_DOMAIN "aq-connection-monitor"

#include "config.h"

#include "aq-connection-monitor.h"

#include "aq-clock.h"
#include "aq-format.h"

#define DEFAULT_INTERVAL_MS 5000

struct _AqConnectionMonitor
{
  GObject            parent_instance;

  char              *conninfo;   /* holds the password: memory only */
  AqConnectionState  state;
  AqHealthReport    *report;
  char              *error;
  GDateTime         *checked_at;
  guint              interval;

  GCancellable      *cancellable;   /* of the check in flight, NULL when none is */
  guint              timeout_id;
  guint              started : 1;
};

G_DEFINE_ENUM_TYPE (AqConnectionState, aq_connection_state,
                    G_DEFINE_ENUM_VALUE (AQ_CONNECTION_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (AQ_CONNECTION_STATE_HEALTHY, "healthy"),
                    G_DEFINE_ENUM_VALUE (AQ_CONNECTION_STATE_UNREACHABLE, "unreachable"))

G_DEFINE_FINAL_TYPE (AqConnectionMonitor, aq_connection_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNINFO,
  PROP_STATE,
  PROP_REPORT,
  PROP_ERROR,
  PROP_INTERVAL,
  N_PROPS
};

enum {
  CONNECTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_check (AqConnectionMonitor *self);

/* ---- auxiliary methods ---- */

/* g_set_str() arrived in GLib 2.76; Debian 12 has 2.74. */
static gboolean
replace_str (char       **str,
             const char  *value)
{
  if (g_strcmp0 (*str, value) == 0)
    return FALSE;
  g_free (*str);
  *str = g_strdup (value);
  return TRUE;
}

static void
set_state (AqConnectionMonitor *self,
           AqConnectionState    state)
{
  AqConnectionState old = self->state;

  if (old == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (state == AQ_CONNECTION_STATE_HEALTHY)
    g_signal_emit (self, signals[CONNECTED], 0);
}

static void
set_error (AqConnectionMonitor *self,
           const char          *error)
{
  if (replace_str (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
set_report (AqConnectionMonitor *self,
            AqHealthReport      *report)
{
  g_clear_pointer (&self->report, aq_health_report_free);
  self->report = report;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPORT]);
}

static gboolean
timeout_cb (gpointer user_data)
{
  AqConnectionMonitor *self = user_data;

  self->timeout_id = 0;
  start_check (self);
  return G_SOURCE_REMOVE;
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(AqConnectionMonitor) self = user_data;
  g_autoptr(AqHealthReport) report = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  report = aq_health_check_finish (result, &error);

  /* A check of a profile that has since been replaced, or of a monitor being disposed. */
  if (g_cancellable_is_cancelled (cancellable))
    return;
  g_clear_object (&self->cancellable);

  g_clear_pointer (&self->checked_at, g_date_time_unref);
  self->checked_at = aq_clock_now_local ();

  if (report != NULL)
    {
      set_report (self, g_steal_pointer (&report));
      set_error (self, NULL);
      set_state (self, AQ_CONNECTION_STATE_HEALTHY);
    }
  else
    {
      g_autofree char *message = aq_format_one_line (error->message);

      g_debug ("Health check failed: %s", error->message);
      set_error (self, message);
      set_state (self, AQ_CONNECTION_STATE_UNREACHABLE);
    }

  self->timeout_id = g_timeout_add (self->interval, timeout_cb, self);
}

static void
start_check (AqConnectionMonitor *self)
{
  g_assert (AQ_IS_CONNECTION_MONITOR (self));

  if (self->cancellable != NULL)
    return;
  g_clear_handle_id (&self->timeout_id, g_source_remove);

  self->started = TRUE;
  self->cancellable = g_cancellable_new ();
  aq_health_check_async (self->conninfo, AQ_HEALTH_CHECK_DEFAULT, self->cancellable,
                         check_cb, g_object_ref (self));
}

static void
cancel_check (AqConnectionMonitor *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

/* ---- GObject overrides ---- */

static void
aq_connection_monitor_dispose (GObject *object)
{
  AqConnectionMonitor *self = AQ_CONNECTION_MONITOR (object);

  cancel_check (self);

  G_OBJECT_CLASS (aq_connection_monitor_parent_class)->dispose (object);
}

static void
aq_connection_monitor_finalize (GObject *object)
{
  AqConnectionMonitor *self = AQ_CONNECTION_MONITOR (object);

  g_clear_pointer (&self->conninfo, g_free);
  g_clear_pointer (&self->report, aq_health_report_free);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->checked_at, g_date_time_unref);

  G_OBJECT_CLASS (aq_connection_monitor_parent_class)->finalize (object);
}

static void
aq_connection_monitor_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AqConnectionMonitor *self = AQ_CONNECTION_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      g_value_set_string (value, self->conninfo);
      break;

    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_REPORT:
      g_value_set_boxed (value, self->report);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_connection_monitor_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AqConnectionMonitor *self = AQ_CONNECTION_MONITOR (object);

  switch (prop_id)
    {
    case PROP_CONNINFO:
      aq_connection_monitor_set_conninfo (self, g_value_get_string (value));
      break;

    case PROP_INTERVAL:
      aq_connection_monitor_set_interval (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
aq_connection_monitor_class_init (AqConnectionMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = aq_connection_monitor_dispose;
  object_class->finalize = aq_connection_monitor_finalize;
  object_class->get_property = aq_connection_monitor_get_property;
  object_class->set_property = aq_connection_monitor_set_property;

  /* Write-only in spirit: it may hold a password, so nothing displays it. */
  properties[PROP_CONNINFO] =
    g_param_spec_string ("conninfo", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       AQ_TYPE_CONNECTION_STATE,
                       AQ_CONNECTION_STATE_CONNECTING,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_REPORT] =
    g_param_spec_boxed ("report", NULL, NULL,
                        AQ_TYPE_HEALTH_REPORT,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       50, G_MAXUINT, DEFAULT_INTERVAL_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AqConnectionMonitor::connected:
   *
   * The warehouse answers after it did not, or after the profile changed.
   */
  signals[CONNECTED] =
    g_signal_new ("connected",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
aq_connection_monitor_init (AqConnectionMonitor *self)
{
  self->interval = DEFAULT_INTERVAL_MS;
  self->state = AQ_CONNECTION_STATE_CONNECTING;
}

/* ---- public API ---- */

AqConnectionMonitor *
aq_connection_monitor_new (void)
{
  return g_object_new (AQ_TYPE_CONNECTION_MONITOR, NULL);
}

/**
 * aq_connection_monitor_set_conninfo:
 * @conninfo: (nullable): as for aq_connection_open(); NULL for the embedded warehouse
 *
 * Switches to another profile and checks it at once; the first call starts the monitoring.
 */
void
aq_connection_monitor_set_conninfo (AqConnectionMonitor *self,
                                    const char          *conninfo)
{
  g_return_if_fail (AQ_IS_CONNECTION_MONITOR (self));

  if (!replace_str (&self->conninfo, conninfo) && self->started)
    return;

  cancel_check (self);
  set_report (self, NULL);
  set_error (self, NULL);
  set_state (self, AQ_CONNECTION_STATE_CONNECTING);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNINFO]);
  start_check (self);
}

const char *
aq_connection_monitor_get_conninfo (AqConnectionMonitor *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (self), NULL);
  return self->conninfo;
}

AqConnectionState
aq_connection_monitor_get_state (AqConnectionMonitor *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (self), AQ_CONNECTION_STATE_CONNECTING);
  return self->state;
}

/* Returns: (nullable): what the last successful check of this profile found */
const AqHealthReport *
aq_connection_monitor_get_report (AqConnectionMonitor *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (self), NULL);
  return self->report;
}

/* Returns: (nullable): why the last check failed, NULL when it did not */
const char *
aq_connection_monitor_get_error (AqConnectionMonitor *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (self), NULL);
  return self->error;
}

/* Returns: (nullable): when the last check finished */
GDateTime *
aq_connection_monitor_get_checked_at (AqConnectionMonitor *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (self), NULL);
  return self->checked_at;
}

guint
aq_connection_monitor_get_interval (AqConnectionMonitor *self)
{
  g_return_val_if_fail (AQ_IS_CONNECTION_MONITOR (self), 0);
  return self->interval;
}

/* The pause between two checks, in milliseconds; it applies from the next pause on. */
void
aq_connection_monitor_set_interval (AqConnectionMonitor *self,
                                    guint                interval_ms)
{
  g_return_if_fail (AQ_IS_CONNECTION_MONITOR (self));

  if (self->interval == interval_ms)
    return;
  self->interval = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

/* Checks now instead of after the pause ("Retry"); nothing happens while a check runs. */
void
aq_connection_monitor_check_now (AqConnectionMonitor *self)
{
  g_return_if_fail (AQ_IS_CONNECTION_MONITOR (self));
  start_check (self);
}

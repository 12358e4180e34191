/* aq-daemon.c — aqueductd: the headless service's HTTP face
 *
 * /healthz answers whether the warehouse is reachable now (each request checks, on a worker
 * thread, so a slow warehouse never stalls the other requests) and how the relay is doing;
 * /metrics gives Prometheus the counters; /receipts/PROVIDER takes the providers' delivery
 * receipts. The notification relay (aq-relay.c) runs in this process when providers are
 * configured, and the job scheduler (aq-scheduler-service.c) when [scheduler] enables it.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib/gi18n.h>

#include "aq-daemon.h"

#include <libsoup/soup.h>

#include "aqueduct-core.h"
#include "aq-api-service.h"
#include "aq-receipts.h"
#include "aq-relay.h"
#include "aq-scheduler-service.h"
#include "aq-quality-alerts.h"

struct _AqDaemon
{
  GObject        parent_instance;
  SoupServer    *server;
  char          *conninfo;
  char          *address;
  guint          port;
  gint64         started_at;
  AqRelayConfig *relay_config;   /* until the relay takes it */
  AqRelay       *relay;
  AqSchedulerService *scheduler;
  AqQualityAlerts *quality_alerts;  /* [quality-alerts]: aq-quality-alerts.c */
  AqReceiptEndpoint *receipts;  /* once started: /receipts/NAME (aq-receipts.c) */
  AqApiService  *api;            /* /api/v1/… (aq-api-service.c) */

  /* written on the main thread only */
  guint64     checks;
  guint64     failures;
  gboolean    last_ok;
  gint64      last_database_size;
};

G_DEFINE_FINAL_TYPE (AqDaemon, aq_daemon, G_TYPE_OBJECT)

/* ---- auxiliary methods ---- */

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* ---- health ---- */

static void
health_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AqDaemon *self = source_object;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = aq_connection_open (self->conninfo, &error);
  AqHealthReport *report = NULL;

  if (db != NULL)
    report = aq_health_check (db, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, report, (GDestroyNotify) aq_health_report_free);
}

static void
health_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  AqDaemon *self = AQ_DAEMON (object);
  g_autoptr(SoupServerMessage) msg = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqHealthReport) report = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  self->checks++;
  self->last_ok = report != NULL;
  if (report == NULL)
    {
      self->failures++;
      g_warning ("health check failed: %s", error->message);
    }
  else
    self->last_database_size = report->database_size;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, report ? "ok" : "unavailable");
  if (report)
    {
      json_builder_set_member_name (b, "warehouse");
      json_builder_add_string_value (b, report->description);
      json_builder_set_member_name (b, "server_version");
      json_builder_add_string_value (b, report->server_version);
    }
  else
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error->message);
    }
  json_builder_set_member_name (b, "relay");
  if (self->relay)
    aq_relay_describe (self->relay, b);
  else
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, "disabled");
      json_builder_end_object (b);
    }
  json_builder_set_member_name (b, "scheduler");
  aq_scheduler_service_describe (self->scheduler, b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);

  soup_server_message_set_status (msg, report ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE,
                                  NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
  soup_server_message_unpause (msg);
}

static void
healthz_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  AqDaemon *self = user_data;
  g_autoptr(GTask) task = NULL;

  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, health_done_cb, g_object_ref (msg));
  g_task_set_source_tag (task, healthz_cb);
  g_task_run_in_thread (task, health_thread);
}

static void
metrics_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  AqDaemon *self = user_data;
  g_autoptr(GString) text = g_string_new (NULL);

  g_string_append_printf (text,
                          "# HELP aqueduct_up The daemon is running.\n"
                          "# TYPE aqueduct_up gauge\n"
                          "aqueduct_up 1\n"
                          "# HELP aqueduct_start_time_seconds When the daemon started.\n"
                          "# TYPE aqueduct_start_time_seconds gauge\n"
                          "aqueduct_start_time_seconds %" G_GINT64_FORMAT "\n"
                          "# HELP aqueduct_warehouse_up The last health check reached it.\n"
                          "# TYPE aqueduct_warehouse_up gauge\n"
                          "aqueduct_warehouse_up %d\n"
                          "# HELP aqueduct_health_checks_total Health checks run.\n"
                          "# TYPE aqueduct_health_checks_total counter\n"
                          "aqueduct_health_checks_total %" G_GUINT64_FORMAT "\n"
                          "# HELP aqueduct_health_check_failures_total Health checks that failed.\n"
                          "# TYPE aqueduct_health_check_failures_total counter\n"
                          "aqueduct_health_check_failures_total %" G_GUINT64_FORMAT "\n"
                          "# HELP aqueduct_warehouse_database_bytes The database's size.\n"
                          "# TYPE aqueduct_warehouse_database_bytes gauge\n"
                          "aqueduct_warehouse_database_bytes %" G_GINT64_FORMAT "\n",
                          self->started_at / G_USEC_PER_SEC, self->last_ok ? 1 : 0,
                          self->checks, self->failures, self->last_database_size);
  if (self->relay)
    aq_relay_append_metrics (self->relay, text);
  if (self->receipts)
    aq_receipt_endpoint_append_metrics (self->receipts, text);
  aq_scheduler_service_append_metrics (self->scheduler, text);
  aq_api_service_append_metrics (self->api, text);
  aq_quality_alerts_append_metrics (self->quality_alerts, text);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4", SOUP_MEMORY_COPY,
                                    text->str, text->len);
}

static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  static const char body[] = "not found: try /healthz, /metrics or POST /receipts/PROVIDER\n";

  soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, body,
                                    sizeof body - 1);
}

/* ---- GObject overrides ---- */

static void
aq_daemon_finalize (GObject *object)
{
  AqDaemon *self = AQ_DAEMON (object);

  if (self->server)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->receipts, aq_receipt_endpoint_free);
  g_clear_pointer (&self->api, aq_api_service_free);
  g_clear_object (&self->relay);
  g_clear_object (&self->scheduler);
  g_clear_pointer (&self->quality_alerts, aq_quality_alerts_free);
  g_clear_pointer (&self->relay_config, aq_relay_config_free);
  g_free (self->conninfo);
  g_free (self->address);

  G_OBJECT_CLASS (aq_daemon_parent_class)->finalize (object);
}

static void
aq_daemon_class_init (AqDaemonClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_daemon_finalize;
}

static void
aq_daemon_init (AqDaemon *self)
{
  self->started_at = g_get_real_time ();
  self->address = g_strdup ("127.0.0.1");
  self->port = 8089;
  self->server = soup_server_new ("server-header", "aqueductd/" AQ_VERSION " ", NULL);
  soup_server_add_handler (self->server, "/healthz", healthz_cb, self, NULL);
  soup_server_add_handler (self->server, "/metrics", metrics_cb, self, NULL);
  self->relay_config = aq_relay_config_new ();
  self->scheduler = aq_scheduler_service_new ();
  self->api = aq_api_service_new (self->server);
  self->quality_alerts = aq_quality_alerts_new ();
  soup_server_add_handler (self->server, NULL, not_found_cb, self, NULL);
}

/* ---- public API ---- */

AqDaemon *
aq_daemon_new (const char *conninfo)
{
  AqDaemon *self = g_object_new (AQ_TYPE_DAEMON, NULL);

  self->conninfo = g_strdup (conninfo);
  return self;
}

/**
 * aq_daemon_load_config:
 *
 * A key file: [daemon] address, port; [warehouse] url; the relay's [relay], [limits] and
 * [provider.NAME] (aq-relay-config.c). $AQUEDUCT_DATABASE_URL still wins over the url, as
 * everywhere.
 */
gboolean
aq_daemon_load_config (AqDaemon    *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autofree char *address = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) local_error = NULL;
  int port;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, _("Cannot read %s: "), path);
      return FALSE;
    }
  address = g_key_file_get_string (kf, "daemon", "address", NULL);
  if (address)
    replace_string (&self->address, address);
  port = g_key_file_get_integer (kf, "daemon", "port", &local_error);
  if (local_error == NULL)
    {
      if (port < 0 || port > 65535)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: port %d is out of range"), path,
                       port);
          return FALSE;
        }
      self->port = port;
    }
  else if (!g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
           && !g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, "%s: %s", path, local_error->message);
      return FALSE;
    }
  url = g_key_file_get_string (kf, "warehouse", "url", NULL);
  if (url)
    replace_string (&self->conninfo, url);
  return aq_relay_config_load (self->relay_config, kf, path, error)
         && aq_scheduler_service_load_config (self->scheduler, kf, path, error)
         && aq_api_service_load_config (self->api, kf, path, error)
         && aq_quality_alerts_load_config (self->quality_alerts, kf, path, error);
}

/* Starts the relay (if providers are configured) and takes their receipts. */
void
aq_daemon_start (AqDaemon *self)
{
  g_return_if_fail (AQ_IS_DAEMON (self));
  g_return_if_fail (self->relay == NULL);

  self->receipts = aq_receipt_endpoint_new (self->server, self->conninfo, self->relay_config);
  self->relay = aq_relay_new (self->conninfo, g_steal_pointer (&self->relay_config));
  aq_relay_start (self->relay);
  aq_scheduler_service_start (self->scheduler, self->conninfo);
  aq_api_service_start (self->api, self->conninfo);
  aq_quality_alerts_start (self->quality_alerts, self->conninfo);
}

static void
relay_stopped_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!aq_relay_stop_finish (AQ_RELAY (object), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
scheduler_stopped_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AqDaemon *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!aq_scheduler_service_stop_finish (AQ_SCHEDULER_SERVICE (object), result, &error))
    g_warning ("scheduler: %s", error->message);
  if (self->relay == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  aq_relay_stop_async (self->relay, relay_stopped_cb, g_steal_pointer (&task));
}

/* Stops the scheduler (runs in progress go back to the queue), then the relay gracefully:
 * requests in flight finish, unposted leases go back. */
void
aq_daemon_shutdown_async (AqDaemon            *self,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_return_if_fail (AQ_IS_DAEMON (self));
  g_task_set_source_tag (task, aq_daemon_shutdown_async);
  aq_api_service_stop (self->api);
  aq_quality_alerts_stop (self->quality_alerts);
  aq_scheduler_service_stop_async (self->scheduler, scheduler_stopped_cb,
                                   g_steal_pointer (&task));
}

gboolean
aq_daemon_shutdown_finish (AqDaemon      *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Listens on @address:@port (@port 0: any free port, see aq_daemon_get_port()). */
gboolean
aq_daemon_listen (AqDaemon    *self,
                  const char  *address,
                  guint        port,
                  GError     **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  GSList *uris;

  if (address)
    replace_string (&self->address, address);
  if (port != G_MAXUINT)
    self->port = port;
  inet = g_inet_address_new_from_string (self->address);
  if (inet == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("“%s” is not an IP address"),
                   self->address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, self->port);
  if (!soup_server_listen (self->server, sockaddr, 0, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  if (uris)
    self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
aq_daemon_get_port (AqDaemon *self)
{
  return self->port;
}

const char *
aq_daemon_get_address (AqDaemon *self)
{
  return self->address;
}

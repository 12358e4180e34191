/* aq-api-forward.c — aqueductd's forwarded APIs (kind "forward"): the business system's URL
 * called with the declared parameters only, under the same keys, grants, limits and logs as
 * a warehouse API. A timeout cancels the request; after [api] breaker_failures failures in a
 * row the API's breaker opens for breaker_open_ms and calls are refused at once (503) instead
 * of piling up on a dead system. A backend that answers XML is mapped to JSON by the API's
 * declared mapping (aq-api-xml.c); one whose answer does not fit gets 502 with the reason.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include "aq-api-service-private.h"

#include <string.h>

static Breaker *
breaker_for (AqApiService *self,
             const char   *api)
{
  Breaker *breaker = g_hash_table_lookup (self->breakers, api);

  if (breaker == NULL)
    {
      breaker = g_new0 (Breaker, 1);
      g_hash_table_insert (self->breakers, g_strdup (api), breaker);
    }
  return breaker;
}

static gboolean
forward_timeout_cb (gpointer data)
{
  Call *call = data;

  call->timeout_id = 0;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

static void
forward_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Call *call = user_data;
  AqApiService *self = call->self;
  Breaker *breaker = breaker_for (self, call->api->name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               &error);
  guint status = soup_message_get_status (call->forward);
  gboolean failed = TRUE;

  g_clear_handle_id (&call->timeout_id, g_source_remove);
  call->backend_us = g_get_monotonic_time () - call->forward_t0;
  _aq_api_histogram_add (self->backend_histograms, call->api->name, call->backend_us);
  soup_server_message_unpause (call->msg);
  if (bytes == NULL)
    {
      gboolean timeout = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      call->code = timeout ? AQ_API_BACKEND_TIMEOUT : AQ_API_BACKEND;
      call->message = g_strdup (timeout ? "The business system did not answer in time"
                                        : "The business system cannot be reached");
    }
  else if (status >= 200 && status < 300 && call->api->xml_map)
    {
      g_autoptr(GError) xml_error = NULL;
      guint rows = 0;
      GString *json = aq_api_xml_to_json (call->api->xml_map, g_bytes_get_data (bytes, NULL),
                                          g_bytes_get_size (bytes), &rows, &xml_error);

      if (json == NULL)
        {
          /* the system answered: a bad answer is its fault, but not a sign it is down */
          call->code = AQ_API_BACKEND;
          call->message = g_strdup (xml_error->message);
        }
      else
        {
          call->page = g_new0 (AqApiPage, 1);
          call->page->data = json;
          call->page->total = -1;
          call->page->rows = rows;
          call->code = AQ_API_OK;
        }
      failed = FALSE;
    }
  else if (status >= 200 && status < 300)
    {
      g_autoptr(GError) json_error = NULL;
      g_autoptr(JsonNode) node = aq_json_read (g_bytes_get_data (bytes, NULL),
                                               g_bytes_get_size (bytes), AQ_JSON_LIMIT_ANSWER,
                                               &json_error);

      if (node == NULL)
        {
          call->code = AQ_API_BACKEND;
          call->message = g_strdup ("The business system's answer is not JSON");
        }
      else
        {
          call->page = g_new0 (AqApiPage, 1);
          call->page->data = g_string_new_len (g_bytes_get_data (bytes, NULL),
                                               g_bytes_get_size (bytes));
          call->page->total = -1;
          call->page->rows = JSON_NODE_HOLDS_ARRAY (node)
                             ? json_array_get_length (json_node_get_array (node)) : 1;
          call->code = AQ_API_OK;
          failed = FALSE;
        }
    }
  else
    {
      call->code = AQ_API_BACKEND;
      call->message = g_strdup_printf ("The business system answered HTTP %u", status);
      failed = status >= 500;
    }

  if (failed)
    {
      breaker->failures++;
      if (breaker->failures >= self->breaker_failures)
        {
          breaker->open_until = g_get_monotonic_time () + self->breaker_open_ms * 1000;
          /* after the pause one more failure opens it again; a success closes it */
          breaker->failures = self->breaker_failures - 1;
          g_message ("api %s: breaker open for %u ms", call->api->name, self->breaker_open_ms);
        }
    }
  else
    breaker->failures = 0;
  _aq_api_call_finish (call);
}

void
_aq_api_forward (Call       *call,
         GHashTable *query,
         GBytes     *body)
{
  AqApiService *self = call->self;
  Breaker *breaker = breaker_for (self, call->api->name);
  g_autoptr(GHashTable) pass = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *encoded = NULL;
  g_autofree char *url = NULL;

  if (breaker->open_until > g_get_monotonic_time ())
    {
      _aq_api_call_refuse (call, AQ_API_BACKEND_OPEN,
              "The business system is failing; calls are paused for a moment");
      return;
    }
  /* only the declared fields go on */
  for (guint i = 0; query && i < call->api->params->len; i++)
    {
      AqApiParam *param = g_ptr_array_index (call->api->params, i);
      const char *value = g_hash_table_lookup (query, param->name);

      if (value)
        g_hash_table_insert (pass, param->name, (gpointer) value);
    }
  encoded = soup_form_encode_hash (pass);
  url = *encoded ? g_strconcat (call->api->forward_url,
                                strchr (call->api->forward_url, '?') ? "&" : "?", encoded, NULL)
                 : g_strdup (call->api->forward_url);
  call->forward = soup_message_new (call->api->forward_method, url);
  if (call->forward == NULL)
    {
      _aq_api_call_refuse (call, AQ_API_BACKEND, "The API's backend URL is not valid");
      return;
    }
  if (body && g_bytes_get_size (body) > 0)
    soup_message_set_request_body_from_bytes (call->forward, "application/json", body);
  call->cancellable = g_cancellable_new ();
  call->timeout_id = g_timeout_add (call->api->timeout_ms, forward_timeout_cb, call);
  soup_server_message_pause (call->msg);
  call->forward_t0 = g_get_monotonic_time ();
  soup_session_send_and_read_async (self->session, call->forward, G_PRIORITY_DEFAULT,
                                    call->cancellable, forward_done_cb, call);
}

/* ---- checking a call ---- */


/* aq-relay-config.c — the gateway's settings: [relay], [limits] and [provider.NAME]
 *
 * Every key is optional except a provider's type and url; a wrong value names its group and
 * key so an operator finds it in the file. data/aqueductd.conf documents each key.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "aq-relay-config.h"

#include "aq-config-key.h"

#include <string.h>

#include <glib/gi18n.h>

#include "aqueduct-core.h"

/* ---- auxiliary methods ---- */

static void
provider_config_free (AqProviderConfig *p)
{
  g_free (p->name);
  g_free (p->url);
  g_strfreev (p->channels);
  g_strfreev (p->headers);
  g_free (p->sign);
  g_free (p->template_code);
  g_free (p->template_id);
  g_free (p->data_key);
  if (p->receipt_secret)
    memset (p->receipt_secret, 0, strlen (p->receipt_secret));
  g_free (p->receipt_secret);
  g_free (p);
}

static gboolean
load_provider (AqRelayConfig  *config,
               GKeyFile       *kf,
               const char     *path,
               const char     *group,
               GError        **error)
{
  AqProviderConfig *p = g_new0 (AqProviderConfig, 1);
  g_autofree char *type = g_key_file_get_string (kf, group, "type", NULL);
  g_autofree char *headers = NULL;

  p->name = g_strdup (group + strlen ("provider."));
  p->timeout = 10;
  p->concurrency = 16;
  g_ptr_array_add (config->providers, p);

  /* the name goes into a URL path and a metrics label */
  if (*p->name == '\0' || strspn (p->name, "abcdefghijklmnopqrstuvwxyz"
                                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
                          != strlen (p->name))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [%s] needs a name of letters, digits, “_” and “-” after “provider.”"),
                   path, group);
      return FALSE;
    }
  if (g_strcmp0 (type, "webhook") == 0)
    p->type = AQ_PROVIDER_WEBHOOK;
  else if (g_strcmp0 (type, "sms") == 0)
    p->type = AQ_PROVIDER_SMS;
  else if (g_strcmp0 (type, "wechat") == 0)
    p->type = AQ_PROVIDER_WECHAT;
  else
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [%s] type must be webhook, sms or wechat (got “%s”)"), path, group,
                   type ? type : "");
      return FALSE;
    }

  p->url = g_key_file_get_string (kf, group, "url", NULL);
  if (p->url == NULL || !g_uri_is_valid (p->url, G_URI_FLAGS_NONE, NULL)
      || !(g_str_has_prefix (p->url, "http://") || g_str_has_prefix (p->url, "https://")))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: [%s] url must be an http(s) URL"),
                   path, group);
      return FALSE;
    }
  if (!aq_config_key_get_double (kf, path, group, "timeout", 0.1, 600, &p->timeout, error)
      || !aq_config_key_get_double (kf, path, group, "rate", 0, 1e6, &p->rate, error)
      || !aq_config_key_get_uint (kf, path, group, "concurrency", 1, 1024, &p->concurrency,
                                  error))
    return FALSE;

  p->channels = g_key_file_get_string_list (kf, group, "channels", NULL, NULL);
  if (p->channels == NULL)
    {
      const char *def[] = { p->type == AQ_PROVIDER_WECHAT ? "wechat" : "sms", NULL };

      /* a webhook carries whatever it is given; sms and wechat their own channel */
      if (p->type == AQ_PROVIDER_WEBHOOK)
        p->channels = g_strsplit ("sms;wechat", ";", -1);
      else
        p->channels = g_strdupv ((char **) def);
    }
  for (char **c = p->channels; *c; c++)
    if (!g_str_equal (*c, "sms") && !g_str_equal (*c, "wechat"))
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("%s: [%s] channels: “%s” is not sms or wechat"), path, group, *c);
        return FALSE;
      }

  headers = g_key_file_get_string (kf, group, "headers", NULL);
  p->headers = headers ? g_strsplit (headers, ";", -1) : g_new0 (char *, 1);
  for (char **h = p->headers; *h; h++)
    if (strchr (*h, ':') == NULL)
      {
        g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                     _("%s: [%s] headers: “%s” is not “Name: value”"), path, group, *h);
        return FALSE;
      }
  p->sign = g_key_file_get_string (kf, group, "sign", NULL);
  p->template_code = g_key_file_get_string (kf, group, "template", NULL);
  p->template_id = g_key_file_get_string (kf, group, "template-id", NULL);
  p->data_key = g_key_file_get_string (kf, group, "data-key", NULL);
  if (p->data_key == NULL)
    p->data_key = g_strdup ("content");
  p->receipt_secret = g_key_file_get_string (kf, group, "receipt-secret", NULL);
  if (p->receipt_secret && strlen (p->receipt_secret) < 16)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [%s] receipt-secret must be at least 16 characters"), path, group);
      return FALSE;
    }
  if (p->type == AQ_PROVIDER_WECHAT && p->template_id == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [%s] a wechat provider needs template-id"),
                   path, group);
      return FALSE;
    }
  return TRUE;
}

/* ---- public API ---- */

AqRelayConfig *
aq_relay_config_new (void)
{
  AqRelayConfig *config = g_new0 (AqRelayConfig, 1);

  config->batch_size = 200;
  config->lease_seconds = 300;
  config->max_attempts = 8;
  config->backoff_base_ms = 1000;
  config->backoff_cap_ms = 600000;
  config->poll_interval_ms = 1000;
  config->recipient_daily_limit = 20;
  config->providers = g_ptr_array_new_with_free_func ((GDestroyNotify) provider_config_free);
  return config;
}

void
aq_relay_config_free (AqRelayConfig *config)
{
  if (config == NULL)
    return;
  g_ptr_array_unref (config->providers);
  g_free (config->owner);
  g_free (config);
}

gboolean
aq_relay_config_load (AqRelayConfig  *config,
                      GKeyFile       *kf,
                      const char     *path,
                      GError        **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (kf, NULL);
  g_autofree char *owner = NULL;

  if (!aq_config_key_get_uint (kf, path, "relay", "batch-size", 1, 10000, &config->batch_size,
                               error)
      || !aq_config_key_get_uint (kf, path, "relay", "lease-seconds", 1, 86400,
                                  &config->lease_seconds, error)
      || !aq_config_key_get_uint (kf, path, "relay", "max-attempts", 1, 1000,
                                  &config->max_attempts, error)
      || !aq_config_key_get_uint (kf, path, "relay", "backoff-base-ms", 1, 86400000,
                                  &config->backoff_base_ms, error)
      || !aq_config_key_get_uint (kf, path, "relay", "backoff-cap-ms", 1, 86400000,
                                  &config->backoff_cap_ms, error)
      || !aq_config_key_get_uint (kf, path, "relay", "poll-interval-ms", 10, 3600000,
                                  &config->poll_interval_ms, error)
      || !aq_config_key_get_uint (kf, path, "limits", "recipient-daily-limit", 0, 1000000,
                                  &config->recipient_daily_limit, error))
    return FALSE;
  if (config->backoff_cap_ms < config->backoff_base_ms)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [relay] backoff-cap-ms must not be below backoff-base-ms"), path);
      return FALSE;
    }
  owner = g_key_file_get_string (kf, "relay", "owner", NULL);
  if (owner)
    {
      g_free (config->owner);
      config->owner = g_steal_pointer (&owner);
    }

  for (guint i = 0; groups[i]; i++)
    if (g_str_has_prefix (groups[i], "provider.")
        && !load_provider (config, kf, path, groups[i], error))
      return FALSE;
  for (guint i = 0; i < config->providers->len; i++)
    {
      AqProviderConfig *p = g_ptr_array_index (config->providers, i);

      /* a lease must outlive the request it covers, or a slow answer gets the message sent
       * again by another relay */
      if (p->timeout * 2 > config->lease_seconds)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("%s: [relay] lease-seconds=%u must be at least twice [provider.%s] "
                       "timeout=%g"), path, config->lease_seconds, p->name, p->timeout);
          return FALSE;
        }
      /* a batch at the provider's rate takes batch-size / rate seconds to leave: a shorter
       * lease runs out under the relay's feet and it claims its own messages again */
      if (p->rate > 0 && (double) config->batch_size / p->rate > config->lease_seconds)
        {
          /* Translators: a daemon configuration error; the keys in [] stay as they are */
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("%s: [relay] lease-seconds=%u is shorter than batch-size=%u at "
                         "[provider.%s] rate=%g (%.0f s): raise lease-seconds or lower "
                         "batch-size"),
                       path, config->lease_seconds, config->batch_size, p->name, p->rate,
                       (double) config->batch_size / p->rate);
          return FALSE;
        }
    }
  return TRUE;
}

const char *
aq_provider_type_to_string (AqProviderType type)
{
  switch (type)
    {
    case AQ_PROVIDER_WEBHOOK: return "webhook";
    case AQ_PROVIDER_SMS: return "sms";
    case AQ_PROVIDER_WECHAT: return "wechat";
    default: g_assert_not_reached ();
    }
}

/* aq-relay-config.h — the gateway's settings: [relay], [limits] and [provider.NAME] */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_PROVIDER_WEBHOOK,
  AQ_PROVIDER_SMS,
  AQ_PROVIDER_WECHAT,
} AqProviderType;

typedef struct
{
  char           *name;
  AqProviderType  type;
  char           *url;
  double          timeout;       /* seconds for one request, connect to last byte */
  double          rate;          /* messages per second; 0: no limit */
  guint           concurrency;   /* requests in flight at once */
  char          **channels;      /* which of the outbox's channels this provider carries */
  char          **headers;       /* "Name: value" sent with every request */
  char           *sign;          /* sms: the registered signature */
  char           *template_code; /* sms: the vendor's template code */
  char           *template_id;   /* wechat: the template message's id */
  char           *data_key;      /* wechat: the template field the text goes in */
  char           *receipt_secret; /* what its receipts are signed (HMAC) or sent with; NULL:
                                  * its receipts are refused */
} AqProviderConfig;

typedef struct
{
  guint      batch_size;
  guint      lease_seconds;
  guint      max_attempts;
  guint      backoff_base_ms;
  guint      backoff_cap_ms;
  guint      poll_interval_ms;
  guint      recipient_daily_limit;  /* 0: no limit */
  char      *owner;                  /* lease owner name; default host:pid */
  GPtrArray *providers;              /* AqProviderConfig */
} AqRelayConfig;

AqRelayConfig *aq_relay_config_new  (void);
void           aq_relay_config_free (AqRelayConfig *config);
gboolean       aq_relay_config_load (AqRelayConfig *config,
                                     GKeyFile      *kf,
                                     const char    *path,
                                     GError       **error);
const char    *aq_provider_type_to_string (AqProviderType type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqRelayConfig, aq_relay_config_free)

G_END_DECLS

/* aq-provider.h — one configured provider: its HTTP session, rate limit and queue */
#pragma once

#include <gio/gio.h>

#include "aq-out-message.h"
#include "aq-relay-config.h"

G_BEGIN_DECLS

#define AQ_LATENCY_BUCKETS 9
extern const double aq_latency_bounds[AQ_LATENCY_BUCKETS];  /* seconds; the last is +Inf */

/* What /metrics shows of a provider; the relay counts, the provider only holds them. */
typedef struct
{
  guint64 claimed;
  guint64 sent;
  guint64 failed;
  guint64 retried;
  guint64 latency_buckets[AQ_LATENCY_BUCKETS];  /* cumulative, as Prometheus wants */
  double  latency_sum;
  guint64 latency_count;
} AqProviderStats;

#define AQ_TYPE_PROVIDER (aq_provider_get_type ())
G_DECLARE_FINAL_TYPE (AqProvider, aq_provider, AQ, PROVIDER, GObject)

/* Called on the main context for every message pushed, once: @m is handed back. */
typedef void (*AqProviderDoneFunc) (AqProvider    *provider,
                                    AqOutMessage  *m,
                                    AqSendOutcome  outcome,
                                    const char    *provider_msg_id,
                                    const char    *error,
                                    gpointer       user_data);

AqProvider             *aq_provider_new          (const AqProviderConfig *config,
                                                  AqProviderDoneFunc      done,
                                                  gpointer                user_data);
const AqProviderConfig *aq_provider_get_config   (AqProvider             *self);
AqProviderStats        *aq_provider_get_stats    (AqProvider             *self);
void                    aq_provider_push         (AqProvider             *self,
                                                  AqOutMessage           *m);
GList                  *aq_provider_take_waiting (AqProvider             *self);
guint                   aq_provider_get_in_flight (AqProvider            *self);
guint                   aq_provider_get_waiting  (AqProvider             *self);
void                    aq_provider_observe_latency (AqProvider          *self,
                                                     double               seconds);

G_END_DECLS

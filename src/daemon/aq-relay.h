/* aq-relay.h — the outbox relay: claim, post, record */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-relay-config.h"

G_BEGIN_DECLS

#define AQ_TYPE_RELAY (aq_relay_get_type ())
G_DECLARE_FINAL_TYPE (AqRelay, aq_relay, AQ, RELAY, GObject)

AqRelay    *aq_relay_new            (const char          *conninfo,
                                     AqRelayConfig       *config);
void        aq_relay_start          (AqRelay             *self);
void        aq_relay_stop_async     (AqRelay             *self,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean    aq_relay_stop_finish    (AqRelay             *self,
                                     GAsyncResult        *result,
                                     GError             **error);
const char *aq_relay_get_state      (AqRelay             *self);
const char *aq_relay_get_owner      (AqRelay             *self);
void        aq_relay_describe       (AqRelay             *self,
                                     JsonBuilder         *builder);
void        aq_relay_append_metrics (AqRelay             *self,
                                     GString             *text);

G_END_DECLS

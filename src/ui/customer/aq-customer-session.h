/* aq-customer-session.h — the Customer 360 panel's way to the warehouse */
#pragma once

#include <gio/gio.h>

#include "aq-customer-360.h"

G_BEGIN_DECLS

#define AQ_TYPE_CUSTOMER_SESSION (aq_customer_session_get_type ())
G_DECLARE_FINAL_TYPE (AqCustomerSession, aq_customer_session, AQ, CUSTOMER_SESSION, GObject)

AqCustomerSession *aq_customer_session_new           (void);
void               aq_customer_session_lookup_async  (AqCustomerSession   *self,
                                                      const char          *conninfo,
                                                      AqCustomerKey        key,
                                                      const char          *text,
                                                      AqRole               role,
                                                      const char          *actor,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AqCustomerLookup  *aq_customer_session_lookup_finish (AqCustomerSession   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void               aq_customer_session_reveal_async  (AqCustomerSession   *self,
                                                      const char          *conninfo,
                                                      const char          *account_id,
                                                      const char          *actor,
                                                      const char          *reason,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
AqCustomer360     *aq_customer_session_reveal_finish (AqCustomerSession   *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS

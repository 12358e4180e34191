/* aq-customer-private.h — what the customer search and the 360 share */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "aq-customer-search.h"
#include "aq-phone.h"

G_BEGIN_DECLS

JsonObject *_aq_customer_row_to_json (PGresult *res,
                                      int       row,
                                      int       first_column,
                                      AqRole    role);

char       *_aq_customer_mask_echo   (AqCustomerKey   key,
                                      const char     *text,
                                      gboolean        names_customer,
                                      AqRole          role);
AqCustomerMatches *_aq_customer_search (AqDb           *db,
                                        AqCustomerKey   key,
                                        const char     *text,
                                        AqRole          role,
                                        AqCustomerKey  *out_key,
                                        char          **out_value,
                                        GCancellable   *cancellable,
                                        GError        **error);
const char *_aq_customer_sql          (const char     *sql,
                                       AqRole          role);
guint       _aq_customer_360_statements (const char ***names,
                                         const char ***sql);

G_END_DECLS

/* aq-customer-private.h — what the customer search and the 360 share */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "aq-phone.h"

G_BEGIN_DECLS

JsonObject *_aq_customer_row_to_json (PGresult *res,
                                      int       row,
                                      int       first_column,
                                      AqRole    role);

G_END_DECLS

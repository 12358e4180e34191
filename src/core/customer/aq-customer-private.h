/* aq-customer-private.h — what the customer search and the 360 share */
#pragma once

#include <json-glib/json-glib.h>
#include <libpq-fe.h>

#include "aq-customer-search.h"
#include "aq-phone.h"

G_BEGIN_DECLS

/* The customer of account @a as `c`. Not a plain join: for everyone but a supervisor
 * _aq_customer_sql() turns dw.dim_customer into a security_barrier view, and PostgreSQL cannot
 * probe such a view by a join key — it hashes all of it (0.3 s a lookup at 1 M customers).
 * A lateral subquery kept apart by OFFSET 0 takes the key as a parameter, which a leakproof
 * equality carries into the view: one index probe either way. */
#define AQ_CUSTOMER_OF_ACCOUNT(a)                                                       \
  " JOIN LATERAL (SELECT * FROM dw.dim_customer WHERE customer_id = " a ".customer_id" \
  "               OFFSET 0) c ON true"

JsonObject *_aq_customer_row_to_json (PGresult *res,
                                      int       row,
                                      int       first_column,
                                      AqRole    role);

JsonObject *_aq_customer_row_columns_to_json (PGresult  *res,
                                              int        row,
                                              const int *columns,
                                              guint      n_columns,
                                              AqRole     role);

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

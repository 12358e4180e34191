/* aq-customer-360.h — everything about one account a hotline agent needs on one screen */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-customer-search.h"
#include "aq-db.h"
#include "aq-phone.h"

G_BEGIN_DECLS

/* The sections, each newest first and bounded; its "count" says how many there are in all. */
#define AQ_CUSTOMER_360_SECTIONS \
  "accounts", "bills", "payments", "readings", "work_orders", "calls", "sms", \
  "installations", "outages"

typedef struct
{
  AqRole      role;
  char       *account_id;
  char       *customer_id;
  JsonObject *header;    /* name, id_card, mobile, landline (masked by role), customer_type,
                          * account_status, address, community, dma_zone, tariff_code, tariff,
                          * key_customer, key_customer_kind */
  JsonArray  *alerts;    /* {kind: arrears|outage|complaint|anomaly, text, …} */
  JsonObject *balance;   /* arrears_amount, overdue_months, late_fees */
  JsonObject *sections;  /* name → {count, rows: [...]} */
  JsonArray  *tags;      /* {tag, value, text}: the profile and why */
} AqCustomer360;

typedef struct
{
  AqRole             role;
  AqCustomerMatches *matches;
  AqCustomer360     *view;     /* (nullable): the 360 when exactly one account matched */
} AqCustomerLookup;

void               aq_customer_360_free          (AqCustomer360       *view);
AqCustomer360     *aq_customer_360_load          (AqDb                *db,
                                                  const char          *account_id,
                                                  AqRole               role,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
gint64             aq_customer_360_get_count     (AqCustomer360       *view,
                                                  const char          *section);
JsonArray         *aq_customer_360_get_rows      (AqCustomer360       *view,
                                                  const char          *section);
JsonNode          *aq_customer_360_to_json       (AqCustomer360       *view);
AqCustomer360     *aq_customer_reveal            (AqDb                *db,
                                                  const char          *account_id,
                                                  AqRole               role,
                                                  const char          *actor,
                                                  const char          *reason,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

void               aq_customer_lookup_free       (AqCustomerLookup    *lookup);
AqCustomerLookup  *aq_customer_lookup            (AqDb                *db,
                                                  AqCustomerKey        key,
                                                  const char          *text,
                                                  AqRole               role,
                                                  const char          *actor,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
void               aq_customer_lookup_async      (const char          *conninfo,
                                                  AqCustomerKey        key,
                                                  const char          *text,
                                                  AqRole               role,
                                                  const char          *actor,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AqCustomerLookup  *aq_customer_lookup_finish     (GAsyncResult        *result,
                                                  GError             **error);
JsonNode          *aq_customer_lookup_to_json    (AqCustomerLookup    *lookup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqCustomer360, aq_customer_360_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqCustomerLookup, aq_customer_lookup_free)

G_END_DECLS

/* aq-customer-search.h — from one search string to the accounts it may mean */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-phone.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_CUSTOMER_KEY_SEARCH,      /* free text: which key it is, is guessed */
  AQ_CUSTOMER_KEY_PHONE,       /* any form of a mobile or landline */
  AQ_CUSTOMER_KEY_CUSTOMER,    /* a customer number */
  AQ_CUSTOMER_KEY_ACCOUNT,     /* an account or a meter number */
  AQ_CUSTOMER_KEY_TEXT,        /* a fragment of a name or an address */
  AQ_CUSTOMER_KEY_PHONE_TAIL,  /* the last 4 digits of a phone and a community or building */
} AqCustomerKey;

/* At most this many candidates come back: a longer list helps no agent. */
#define AQ_CUSTOMER_SEARCH_LIMIT 50

typedef struct
{
  AqCustomerKey  key;         /* what the text was searched as (never _SEARCH) */
  char          *text;        /* the search string as given, masked by role */
  char          *value;       /* what was looked up: the normalised phone, the trimmed
                               * number…, masked by role */
  JsonArray     *candidates;  /* objects: account_id, customer_id, name, phone, address,
                               * community, account_status, customer_type; masked by role */
  gint64         total;       /* how many matched, of which at most the limit are candidates */
} AqCustomerMatches;

const char        *aq_customer_key_to_string (AqCustomerKey       key);
void               aq_customer_matches_free  (AqCustomerMatches  *matches);
AqCustomerMatches *aq_customer_search        (AqDb               *db,
                                              AqCustomerKey       key,
                                              const char         *text,
                                              AqRole              role,
                                              GCancellable       *cancellable,
                                              GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqCustomerMatches, aq_customer_matches_free)

G_END_DECLS

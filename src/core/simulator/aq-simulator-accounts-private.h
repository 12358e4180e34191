/* aq-simulator-accounts-private.h — what aq-simulator-accounts*.c share
 *
 * The customers and accounts are planned in aq-simulator-accounts.c and written into the
 * simulated source systems by aq-simulator-accounts-write.c. Nothing else includes this header.
 */
#pragma once

#include "aq-simulator-private.h"

G_BEGIN_DECLS

/* The files call these by their short names; the symbols carry the private prefix. */
#define format_cust_no _aq_sim_accounts_format_cust_no

/* aq-simulator-accounts.c */
void format_cust_no (char    *buf,
                     guint32  customer);

G_END_DECLS

/* aq-network-private.h — what tests may switch in the network's walk */
#pragma once

#include "aq-network.h"

G_BEGIN_DECLS

void  aq_network_set_reference_walk  (AqNetwork *network,
                                      gboolean   reference);

G_END_DECLS

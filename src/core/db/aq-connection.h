/* aq-connection.h — which warehouse to talk to */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

char *aq_connection_resolve          (const char  *conninfo,
                                      GError     **error);
char *aq_connection_resolve_embedded (GError     **error);
AqDb *aq_connection_open             (const char  *conninfo,
                                      GError     **error);

G_END_DECLS

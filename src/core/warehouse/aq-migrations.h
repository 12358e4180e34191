/* aq-migrations.h — numbered schema migrations */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

char   **aq_migrations_list  (GError  **error);
gboolean aq_migrations_apply (AqDb     *db,
                              guint    *n_applied,
                              GError  **error);

G_END_DECLS

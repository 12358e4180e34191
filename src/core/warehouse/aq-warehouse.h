/* aq-warehouse.h — a warehouse made ready for this Aqueduct: migrated, then seeded */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

gboolean aq_warehouse_prepare (AqDb     *db,
                               guint    *n_migrations_applied,
                               GError  **error);

G_END_DECLS

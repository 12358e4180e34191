/* aq-migrations.h — numbered schema migrations */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

/* The advisory lock that keeps two processes from migrating (or seeding) at once. */
#define AQ_MIGRATIONS_LOCK_KEY "4242001"

/* The runner's own bookkeeping, made before the first migration (no ';' after the table). */
#define AQ_MIGRATIONS_BOOKKEEPING_SQL \
  "CREATE SCHEMA IF NOT EXISTS meta;\n" \
  "CREATE TABLE IF NOT EXISTS meta.migration (\n" \
  "  name text PRIMARY KEY,\n" \
  "  applied_at timestamptz NOT NULL DEFAULT now())"

char   **aq_migrations_list  (GError  **error);
gboolean aq_migrations_apply (AqDb     *db,
                              guint    *n_applied,
                              GError  **error);

G_END_DECLS

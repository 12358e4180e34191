/* aq-warehouse.c — a warehouse made ready for this Aqueduct: migrated, then seeded
 *
 * The warehouse floor is the one place that knows both the schema (aq-migrations.c) and what
 * ships inside it (aq-catalog-seed.c): migrations only migrate, and the shipped indicator
 * catalog, standard reports, standard pipelines (as version 1 in the pipeline store) and shipped
 * dashboards are written after them, under the same advisory lock, so two
 * processes preparing one warehouse at once neither migrate nor seed twice.
 */
#define G_LOG_DOMAIN "aq-warehouse"

#include "config.h"

#include "aq-warehouse.h"

#include "aq-catalog-seed.h"
#include "aq-dashboard-store.h"
#include "aq-migrations.h"
#include "aq-pipeline-store.h"

/**
 * aq_warehouse_prepare:
 * @n_migrations_applied: (out) (optional): how many migrations ran now
 *
 * Applies the migrations not yet applied, then writes the shipped catalog and standard reports
 * (idempotent). Running it again changes nothing. What `aqueductctl warehouse init` and
 * `aqueductctl migrate` do.
 */
gboolean
aq_warehouse_prepare (AqDb     *db,
                      guint    *n_migrations_applied,
                      GError  **error)
{
  g_autoptr(PGresult) lock = NULL;
  g_autoptr(PGresult) unlock = NULL;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (n_migrations_applied)
    *n_migrations_applied = 0;
  /* session-level advisory locks nest: aq_migrations_apply() takes (and drops) it again */
  lock = aq_db_query (db, "SELECT pg_advisory_lock(" AQ_MIGRATIONS_LOCK_KEY ")", 0, NULL, error);
  if (lock == NULL)
    return FALSE;
  ok = aq_migrations_apply (db, n_migrations_applied, error)
       && aq_catalog_seed (db, error)
       && aq_pipeline_store_seed_standard (db, NULL, error)
       && aq_dashboard_store_seed (db, error);
  unlock = aq_db_query (db, "SELECT pg_advisory_unlock(" AQ_MIGRATIONS_LOCK_KEY ")", 0, NULL,
                        NULL);
  return ok;
}

/* aq-migrations.c — numbered schema migrations
 *
 * The files of data/sql/ are compiled into the library as resources and applied in name
 * order, each in its own transaction together with its row in meta.migration, so a failed
 * migration leaves the schema exactly as the previous one left it. An advisory lock keeps two
 * processes from migrating at once. Migrations only migrate: what a warehouse holds besides its
 * schema (the shipped catalog) is written by aq_warehouse_prepare() after them.
 */
#define G_LOG_DOMAIN "aq-migrations"

#include "aq-migrations.h"
#include <glib/gi18n.h>

#include "aq-error.h"

#define SQL_RESOURCE_DIR "/org/aqueduct/Aqueduct/sql/"
#define MIGRATION_LOCK_KEY AQ_MIGRATIONS_LOCK_KEY

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The migration file names, in the order they apply. */
char **
aq_migrations_list (GError **error)
{
  g_auto(GStrv) names = g_resources_enumerate_children (SQL_RESOURCE_DIR,
                                                        G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();

  if (names == NULL)
    return NULL;
  for (guint i = 0; names[i]; i++)
    if (g_str_has_suffix (names[i], ".sql"))
      g_ptr_array_add (sorted, g_strdup (names[i]));
  g_ptr_array_sort (sorted, compare_names);
  g_ptr_array_add (sorted, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&sorted), FALSE);
}

static gboolean
apply_one (AqDb        *db,
           const char  *name,
           GError     **error)
{
  g_autofree char *path = g_strconcat (SQL_RESOURCE_DIR, name, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sql = NULL;
  const char *params[] = { name };
  g_autoptr(PGresult) res = NULL;

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  sql = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  if (!aq_db_begin (db, error))
    return FALSE;
  if (!aq_db_exec (db, sql, error)
      || !(res = aq_db_query (db, "INSERT INTO meta.migration (name) VALUES ($1)", 1, params,
                              error))
      || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      g_prefix_error (error, _("Migration %s failed, the warehouse is unchanged: "), name);
      if (error && *error && (*error)->domain == AQ_ERROR)
        (*error)->code = AQ_ERROR_MIGRATION;
      return FALSE;
    }
  return TRUE;
}

/**
 * aq_migrations_apply:
 * @n_applied: (out) (optional): how many migrations ran now
 *
 * Applies every migration not yet recorded in meta.migration. Running it again changes nothing.
 */
gboolean
aq_migrations_apply (AqDb     *db,
                     guint    *n_applied,
                     GError  **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(PGresult) lock = NULL;
  guint applied = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  if (n_applied)
    *n_applied = 0;
  names = aq_migrations_list (error);
  if (names == NULL)
    return FALSE;

  if (!aq_db_exec (db, AQ_MIGRATIONS_BOOKKEEPING_SQL, error))
    return FALSE;

  lock = aq_db_query (db, "SELECT pg_advisory_lock(" MIGRATION_LOCK_KEY ")", 0, NULL, error);
  if (lock == NULL)
    return FALSE;

  res = aq_db_query (db, "SELECT name FROM meta.migration", 0, NULL, error);
  if (res == NULL)
    goto out;
  for (int i = 0; i < PQntuples (res); i++)
    g_hash_table_add (done, g_strdup (PQgetvalue (res, i, 0)));

  for (guint i = 0; names[i]; i++)
    {
      if (g_hash_table_contains (done, names[i]))
        continue;
      g_debug ("applying %s", names[i]);
      if (!apply_one (db, names[i], error))
        goto out;
      applied++;
    }
  /* Every job's grants cover the tables migrations made (010_roles.sql); it also runs on
   * each CREATE TABLE, this catches what an ALTER changed. */
  {
    g_autoptr(PGresult) grants = NULL;

    grants = aq_db_query (db, "SELECT meta.grant_roles()"
                              " WHERE to_regproc('meta.grant_roles') IS NOT NULL",
                          0, NULL, error);
    ok = grants != NULL;
  }

out:
  {
    g_autoptr(PGresult) unlock = aq_db_query (db, "SELECT pg_advisory_unlock(" MIGRATION_LOCK_KEY ")",
                                              0, NULL, NULL);
  }
  if (n_applied)
    *n_applied = applied;
  return ok;
}

/* aq-dashboard-store.c — meta.dashboard and meta.dashboard_version (data/sql/020_dashboards.sql)
 *
 * Saving is one transaction: the row is locked (or inserted), its version bumped and the
 * definition kept in dashboard_version, so two designers saving at once get versions n and
 * n + 1, never the same one. The stored definition carries its version and standard flag, so
 * what is read back is exactly what was saved. Reads run in read-only transactions.
 */
#define G_LOG_DOMAIN "aq-dashboard-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "aq-dashboard-store.h"
#include "aq-db-job.h"
#include "aq-error.h"

#define DASHBOARDS_RESOURCE_DIR "/org/aqueduct/Aqueduct/dashboards/"

void
aq_dashboard_info_free (AqDashboardInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->title);
  g_free (info);
}

static gboolean
begin_read_only (AqDb    *db,
                 GError **error)
{
  return aq_db_exec (db, "BEGIN READ ONLY", error);
}

GPtrArray *
aq_dashboard_store_list (AqDb          *db,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (
    (GDestroyNotify) aq_dashboard_info_free);
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  res = aq_db_query (db, "SELECT name, title, kind, version, standard FROM meta.dashboard"
                         " ORDER BY standard DESC, name", 0, NULL, error);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    {
      AqDashboardInfo *info = g_new0 (AqDashboardInfo, 1);

      info->name = g_strdup (PQgetvalue (res, r, 0));
      info->title = g_strdup (PQgetvalue (res, r, 1));
      info->kind = strcmp (PQgetvalue (res, r, 2), "screen") == 0 ? AQ_DASHBOARD_SCREEN
                                                                   : AQ_DASHBOARD_COCKPIT;
      info->version = atoi (PQgetvalue (res, r, 3));
      info->standard = strcmp (PQgetvalue (res, r, 4), "t") == 0;
      g_ptr_array_add (list, info);
    }
  return g_steal_pointer (&list);
}

AqDashboard *
aq_dashboard_store_open (AqDb          *db,
                         const char    *name,
                         int            version,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(PGresult) res = NULL;
  g_autofree char *v = g_strdup_printf ("%d", version);
  const char *params[] = { name, v };
  AqDashboard *dashboard;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (!begin_read_only (db, error))
    return NULL;
  if (version <= 0)
    res = aq_db_query (db, "SELECT definition::text, version, standard FROM meta.dashboard"
                           " WHERE name = $1", 1, params, error);
  else
    res = aq_db_query (db, "SELECT v.definition::text, v.version, d.standard"
                           " FROM meta.dashboard_version v JOIN meta.dashboard d USING (name)"
                           " WHERE v.name = $1 AND v.version = $2::integer", 2, params, error);
  if (res == NULL || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      return NULL;
    }
  if (PQntuples (res) == 0)
    {
      if (version <= 0)
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No dashboard is named “%s”"),
                     name);
      else
        g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                     _("Dashboard “%s” has no version %d"), name, version);
      return NULL;
    }
  dashboard = aq_dashboard_new_from_data (PQgetvalue (res, 0, 0), -1, error);
  if (dashboard == NULL)
    {
      g_prefix_error (error, _("Dashboard “%s”: "), name);
      return NULL;
    }
  dashboard->version = atoi (PQgetvalue (res, 0, 1));
  dashboard->standard = strcmp (PQgetvalue (res, 0, 2), "t") == 0;
  return dashboard;
}

/* Saves inside the caller's transaction; @standard marks a shipped one. */
static gboolean
save_in_transaction (AqDb         *db,
                     AqDashboard  *dashboard,
                     gboolean      standard,
                     GError      **error)
{
  g_autoptr(PGresult) cur = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *def = NULL;
  g_autofree char *version = NULL;
  int next = 1;
  const char *params[6];

  params[0] = dashboard->name;
  cur = aq_db_query (db, "SELECT version, standard FROM meta.dashboard WHERE name = $1"
                         " FOR UPDATE", 1, params, error);
  if (cur == NULL)
    return FALSE;
  if (PQntuples (cur) > 0)
    {
      if (!standard && strcmp (PQgetvalue (cur, 0, 1), "t") == 0)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                       _("“%s” is a standard dashboard: save your changes under a new name"),
                       dashboard->name);
          return FALSE;
        }
      next = atoi (PQgetvalue (cur, 0, 0)) + 1;
    }
  dashboard->version = next;
  dashboard->standard = standard;
  def = aq_dashboard_to_data (dashboard, NULL);
  version = g_strdup_printf ("%d", next);
  params[1] = dashboard->title ? dashboard->title : "";
  params[2] = dashboard->kind == AQ_DASHBOARD_SCREEN ? "screen" : "cockpit";
  params[3] = version;
  params[4] = def;
  params[5] = standard ? "t" : "f";
  res = aq_db_query (db, "INSERT INTO meta.dashboard (name, title, kind, version, definition,"
                         " standard) VALUES ($1, $2, $3, $4::integer, $5::jsonb, $6::boolean)"
                         " ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title,"
                         " kind = EXCLUDED.kind, version = EXCLUDED.version,"
                         " definition = EXCLUDED.definition, author = current_user,"
                         " updated_at = now()", 6, params, error);
  if (res == NULL)
    return FALSE;
  g_clear_pointer (&res, PQclear);
  params[1] = version;
  params[2] = def;
  res = aq_db_query (db, "INSERT INTO meta.dashboard_version (name, version, definition)"
                         " VALUES ($1, $2::integer, $3::jsonb)", 3, params, error);
  return res != NULL;
}

gboolean
aq_dashboard_store_save (AqDb          *db,
                         AqDashboard   *dashboard,
                         GCancellable  *cancellable,
                         GError       **error)
{
  int old_version;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (dashboard != NULL, FALSE);

  if (!aq_dashboard_validate (dashboard, error))
    return FALSE;
  old_version = dashboard->version;
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!save_in_transaction (db, dashboard, FALSE, error) || !aq_db_commit (db, error))
    {
      aq_db_rollback (db);
      dashboard->version = old_version;
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_dashboard_store_delete (AqDb          *db,
                           const char    *name,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(PGresult) res = NULL;
  const char *params[] = { name };

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  res = aq_db_query (db, "SELECT standard FROM meta.dashboard WHERE name = $1", 1, params,
                     error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("No dashboard is named “%s”"), name);
      return FALSE;
    }
  if (strcmp (PQgetvalue (res, 0, 0), "t") == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("“%s” is a standard dashboard and cannot be deleted"), name);
      return FALSE;
    }
  g_clear_pointer (&res, PQclear);
  res = aq_db_query (db, "DELETE FROM meta.dashboard WHERE name = $1 AND NOT standard", 1,
                     params, error);
  return res != NULL;
}

gboolean
aq_dashboard_store_seed (AqDb    *db,
                         GError **error)
{
  g_auto(GStrv) names = NULL;
  g_autoptr(PGresult) exists = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  exists = aq_db_query (db, "SELECT to_regclass('meta.dashboard') IS NOT NULL", 0, NULL,
                        error);
  if (exists == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (exists, 0, 0), "t") != 0)
    return TRUE;   /* migration 020 not applied (yet) */
  names = g_resources_enumerate_children (DASHBOARDS_RESOURCE_DIR,
                                          G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (!aq_db_begin (db, error))
    return FALSE;
  for (guint i = 0; names && names[i]; i++)
    {
      g_autofree char *path = g_strconcat (DASHBOARDS_RESOURCE_DIR, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                         error);
      g_autoptr(AqDashboard) shipped = NULL;
      g_autoptr(PGresult) cur = NULL;
      g_autofree char *def = NULL;
      const char *params[2];

      if (bytes == NULL)
        goto failed;
      shipped = aq_dashboard_new_from_data (g_bytes_get_data (bytes, NULL),
                                            g_bytes_get_size (bytes), error);
      if (shipped == NULL)
        {
          g_prefix_error (error, "standard dashboard %s: ", names[i]);
          goto failed;
        }
      /* compare without the version: the shipped file's version is not the stored one */
      shipped->standard = TRUE;
      params[0] = shipped->name;
      cur = aq_db_query (db, "SELECT definition::text FROM meta.dashboard WHERE name = $1",
                         1, params, error);
      if (cur == NULL)
        goto failed;
      if (PQntuples (cur) > 0)
        {
          g_autoptr(AqDashboard) stored = aq_dashboard_new_from_data (PQgetvalue (cur, 0, 0),
                                                                      -1, NULL);
          g_autofree char *a = NULL;

          if (stored)
            {
              stored->version = shipped->version = 0;
              a = aq_dashboard_to_data (stored, NULL);
              def = aq_dashboard_to_data (shipped, NULL);
              if (strcmp (a, def) == 0)
                continue;
            }
        }
      if (!save_in_transaction (db, shipped, TRUE, error))
        goto failed;
    }
  return aq_db_commit (db, error);

failed:
  aq_db_rollback (db);
  g_prefix_error (error, "Seeding the shipped dashboards failed, nothing was changed: ");
  return FALSE;
}

/* ---- async ----------------------------------------------------------------------------- */

static gpointer
list_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return aq_dashboard_store_list (db, cancellable, error);
}

void
aq_dashboard_store_list_async (const char          *conninfo,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_dashboard_store_list_async, list_job, NULL, NULL,
                       (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
aq_dashboard_store_list_finish (GAsyncResult  *result,
                                GError       **error)
{
  return aq_db_job_run_finish (result, aq_dashboard_store_list_async, error);
}

static gpointer
open_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  return aq_dashboard_store_open (db, data, 0, cancellable, error);
}

void
aq_dashboard_store_open_async (const char          *conninfo,
                               const char          *name,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_dashboard_store_open_async, open_job, g_strdup (name),
                       g_free, (GDestroyNotify) aq_dashboard_free, cancellable, callback,
                       user_data);
}

AqDashboard *
aq_dashboard_store_open_finish (GAsyncResult  *result,
                                GError       **error)
{
  return aq_db_job_run_finish (result, aq_dashboard_store_open_async, error);
}

static gpointer
save_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  AqDashboard *dashboard = data;

  if (!aq_dashboard_store_save (db, dashboard, cancellable, error))
    return NULL;
  return GINT_TO_POINTER (dashboard->version);
}

void
aq_dashboard_store_save_async (const char          *conninfo,
                               AqDashboard         *dashboard,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  aq_db_job_run_async (conninfo, aq_dashboard_store_save_async, save_job,
                       aq_dashboard_copy (dashboard), (GDestroyNotify) aq_dashboard_free, NULL,
                       cancellable, callback, user_data);
}

gboolean
aq_dashboard_store_save_finish (GAsyncResult  *result,
                                int           *out_version,
                                GError       **error)
{
  g_autoptr(GError) local = NULL;
  int version = GPOINTER_TO_INT (aq_db_job_run_finish (result, aq_dashboard_store_save_async,
                                                       &local));

  if (local)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (out_version)
    *out_version = version;
  return TRUE;
}

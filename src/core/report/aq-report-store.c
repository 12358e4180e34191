/* aq-report-store.c — report definitions saved in meta.report
 *
 * A save is one statement (an UPDATE that bumps the version, else an INSERT), so two people
 * saving the same report each get their own version number. Standard reports belong to
 * Aqueduct: they are rewritten by the seeding step and refuse user saves and deletes.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-store.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-db-job.h"
#include "aq-error.h"
#include "aq-report-private.h"

AqReportInfo *
aq_report_info_copy (const AqReportInfo *info)
{
  AqReportInfo *copy = g_memdup2 (info, sizeof *info);

  copy->name = g_strdup (info->name);
  copy->title = g_strdup (info->title);
  copy->description = g_strdup (info->description);
  copy->kind = g_strdup (info->kind);
  copy->author = g_strdup (info->author);
  copy->created_at = info->created_at ? g_date_time_ref (info->created_at) : NULL;
  copy->updated_at = info->updated_at ? g_date_time_ref (info->updated_at) : NULL;
  return copy;
}

void
aq_report_info_free (AqReportInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->title);
  g_free (info->description);
  g_free (info->kind);
  g_free (info->author);
  g_clear_pointer (&info->created_at, g_date_time_unref);
  g_clear_pointer (&info->updated_at, g_date_time_unref);
  g_free (info);
}

G_DEFINE_BOXED_TYPE (AqReportInfo, aq_report_info, aq_report_info_copy, aq_report_info_free)

static GDateTime *
parse_time (const char *text)
{
  g_autofree char *iso = g_strdup (text);
  /* PostgreSQL's "2026-11-25 03:00:00.123+00" → ISO 8601 */
  if (strlen (iso) > 10 && iso[10] == ' ')
    iso[10] = 'T';
  if (g_str_has_suffix (iso, "+00"))
    {
      g_autofree char *z = g_strconcat (iso, ":00", NULL);
      return g_date_time_new_from_iso8601 (z, NULL);
    }
  return g_date_time_new_from_iso8601 (iso, NULL);
}

GPtrArray *
aq_report_store_list (AqDb          *db,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(PGresult) res = NULL;
  GPtrArray *list;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  res = aq_db_query (db, "SELECT name, title, description, kind, author, version, standard,"
                         " created_at AT TIME ZONE 'UTC', updated_at AT TIME ZONE 'UTC'"
                         " FROM meta.report ORDER BY standard DESC, name", 0, NULL, error);
  if (res == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_report_info_free);
  for (int r = 0; r < PQntuples (res); r++)
    {
      AqReportInfo *info = g_new0 (AqReportInfo, 1);
      g_autofree char *created = g_strconcat (PQgetvalue (res, r, 7), "Z", NULL);
      g_autofree char *updated = g_strconcat (PQgetvalue (res, r, 8), "Z", NULL);

      info->name = g_strdup (PQgetvalue (res, r, 0));
      info->title = g_strdup (PQgetvalue (res, r, 1));
      info->description = g_strdup (PQgetvalue (res, r, 2));
      info->kind = g_strdup (PQgetvalue (res, r, 3));
      info->author = g_strdup (PQgetvalue (res, r, 4));
      info->version = atoi (PQgetvalue (res, r, 5));
      info->standard = strcmp (PQgetvalue (res, r, 6), "t") == 0;
      info->created_at = parse_time (created);
      info->updated_at = parse_time (updated);
      g_ptr_array_add (list, info);
    }
  return list;
}

AqReportSpec *
aq_report_store_open (AqDb          *db,
                      const char    *name,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(PGresult) res = NULL;
  AqReportSpec *spec;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  res = aq_db_query (db, "SELECT definition::text, author, version, standard FROM meta.report"
                         " WHERE name = $1", 1, &name, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("There is no report “%s”; “aqueductctl report list” shows them"), name);
      return NULL;
    }
  spec = aq_report_spec_new_from_data (PQgetvalue (res, 0, 0), -1, error);
  if (spec == NULL)
    {
      g_prefix_error (error, _("Report “%s” is stored damaged: "), name);
      return NULL;
    }
  /* The row is the truth for who saved it last and which version it is. */
  aq_report_spec_set_name (spec, name);
  aq_report_spec_set_author (spec, PQgetvalue (res, 0, 1));
  aq_report_spec_set_version (spec, atoi (PQgetvalue (res, 0, 2)));
  _aq_report_spec_set_standard (spec, strcmp (PQgetvalue (res, 0, 3), "t") == 0);
  return spec;
}

static gboolean
check_not_standard (AqDb        *db,
                    const char  *name,
                    gboolean     must_exist,
                    GError     **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, "SELECT standard FROM meta.report WHERE name = $1",
                                         1, &name, error);

  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    {
      if (must_exist)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND, _("There is no report “%s”"), name);
          return FALSE;
        }
      return TRUE;
    }
  if (strcmp (PQgetvalue (res, 0, 0), "t") == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_PERMISSION,
                   _("“%s” is a standard report and cannot be changed; save a copy under "
                     "another name"), name);
      return FALSE;
    }
  return TRUE;
}

gboolean
aq_report_store_save (AqDb          *db,
                      AqReportSpec  *spec,
                      const char    *author,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(AqReportSpec) copy = NULL;
  g_autofree char *def = NULL;
  g_autoptr(PGresult) res = NULL;
  const char *name;
  const char *params[6];

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), FALSE);

  name = aq_report_spec_get_name (spec);
  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, _("name: a report needs a name"));
      return FALSE;
    }
  if (author == NULL || *author == '\0')
    author = g_get_user_name ();
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!aq_db_begin (db, error))
    return FALSE;
  if (!check_not_standard (db, name, FALSE, error))
    goto fail;
  copy = aq_report_spec_copy (spec);
  _aq_report_spec_set_standard (copy, FALSE);
  aq_report_spec_set_author (copy, author);
  def = aq_report_spec_to_data (copy, NULL);
  params[0] = name;
  params[1] = aq_report_spec_get_title (spec);
  params[2] = aq_report_spec_get_description (spec);
  params[3] = aq_report_spec_get_kind (spec) == AQ_REPORT_KIND_LIST ? "list" : "pivot";
  params[4] = def;
  params[5] = author;
  res = aq_db_query (db, "UPDATE meta.report SET title = $2, description = $3, kind = $4,"
                         " definition = $5::jsonb, author = $6, version = version + 1,"
                         " updated_at = now() WHERE name = $1 AND NOT standard RETURNING version",
                     6, params, error);
  if (res == NULL)
    goto fail;
  if (PQntuples (res) == 0)
    {
      g_clear_pointer (&res, PQclear);
      res = aq_db_query (db, "INSERT INTO meta.report (name, title, description, kind,"
                             " definition, author, version) VALUES ($1, $2, $3, $4, $5::jsonb,"
                             " $6, 1) RETURNING version", 6, params, error);
      if (res == NULL)
        goto fail;
    }
  if (!aq_db_commit (db, error))
    return FALSE;
  aq_report_spec_set_version (spec, atoi (PQgetvalue (res, 0, 0)));
  aq_report_spec_set_author (spec, author);
  return TRUE;

fail:
  aq_db_rollback (db);
  return FALSE;
}

gboolean
aq_report_store_duplicate (AqDb          *db,
                           const char    *name,
                           const char    *new_name,
                           const char    *author,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(AqReportSpec) spec = NULL;
  g_autoptr(PGresult) exists = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (new_name == NULL || *new_name == '\0')
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID, _("name: the copy needs a name"));
      return FALSE;
    }
  spec = aq_report_store_open (db, name, cancellable, error);
  if (spec == NULL)
    return FALSE;
  exists = aq_db_query (db, "SELECT 1 FROM meta.report WHERE name = $1", 1, &new_name, error);
  if (exists == NULL)
    return FALSE;
  if (PQntuples (exists) > 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("name: a report “%s” exists already"), new_name);
      return FALSE;
    }
  aq_report_spec_set_name (spec, new_name);
  aq_report_spec_set_version (spec, 0);
  return aq_report_store_save (db, spec, author, cancellable, error);
}

gboolean
aq_report_store_delete (AqDb          *db,
                        const char    *name,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(PGresult) res = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (!check_not_standard (db, name, TRUE, error))
    return FALSE;
  res = aq_db_query (db, "DELETE FROM meta.report WHERE name = $1 AND NOT standard", 1, &name,
                     error);
  return res != NULL;
}

/* ---- async: one worker, one connection per call ----------------------------------------- */

typedef enum { OP_LIST, OP_OPEN, OP_SAVE, OP_DUPLICATE, OP_DELETE } Op;

typedef struct
{
  Op            op;
  char         *conninfo;
  char         *name;
  char         *new_name;
  char         *author;
  AqReportSpec *spec;
} StoreData;

static void
store_data_free (StoreData *d)
{
  g_free (d->conninfo);
  g_free (d->name);
  g_free (d->new_name);
  g_free (d->author);
  g_clear_object (&d->spec);
  g_free (d);
}

static gpointer
store_job (AqDb          *db,
           gpointer       task_data,
           GCancellable  *cancellable,
           GError       **error)
{
  StoreData *d = task_data;

  switch (d->op)
    {
    case OP_LIST:
      return aq_report_store_list (db, cancellable, error);
    case OP_OPEN:
      return aq_report_store_open (db, d->name, cancellable, error);
    case OP_SAVE:
      {
        int version;

        if (!aq_report_store_save (db, d->spec, d->author, cancellable, error))
          return NULL;
        version = aq_report_spec_get_version (d->spec);
        return g_memdup2 (&version, sizeof version);
      }
    case OP_DUPLICATE:
      return aq_report_store_duplicate (db, d->name, d->new_name, d->author, cancellable,
                                        error)
             ? GINT_TO_POINTER (TRUE) : NULL;
    case OP_DELETE:
    default:
      return aq_report_store_delete (db, d->name, cancellable, error)
             ? GINT_TO_POINTER (TRUE) : NULL;
    }
}

static void
store_start (StoreData           *d,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GDestroyNotify result_free = NULL;
  g_autofree char *conninfo = g_steal_pointer (&d->conninfo);

  switch (d->op)
    {
    case OP_LIST: result_free = (GDestroyNotify) g_ptr_array_unref; break;
    case OP_OPEN: result_free = g_object_unref; break;
    case OP_SAVE: result_free = g_free; break;
    case OP_DUPLICATE:
    case OP_DELETE:
    default: break;
    }
  aq_db_job_run_async (conninfo, source_tag, store_job, d, (GDestroyNotify) store_data_free,
                       result_free, cancellable, callback, user_data);
}

static StoreData *
store_data (Op          op,
            const char *conninfo)
{
  StoreData *d = g_new0 (StoreData, 1);

  d->op = op;
  d->conninfo = g_strdup (conninfo);
  return d;
}

void
aq_report_store_list_async (const char          *conninfo,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  store_start (store_data (OP_LIST, conninfo), aq_report_store_list_async, cancellable,
               callback, user_data);
}

GPtrArray *
aq_report_store_list_finish (GAsyncResult  *result,
                             GError       **error)
{
  return aq_db_job_run_finish (result, aq_report_store_list_async, error);
}

void
aq_report_store_open_async (const char          *conninfo,
                            const char          *name,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  StoreData *d = store_data (OP_OPEN, conninfo);

  d->name = g_strdup (name);
  store_start (d, aq_report_store_open_async, cancellable, callback, user_data);
}

AqReportSpec *
aq_report_store_open_finish (GAsyncResult  *result,
                             GError       **error)
{
  return aq_db_job_run_finish (result, aq_report_store_open_async, error);
}

void
aq_report_store_save_async (const char          *conninfo,
                            AqReportSpec        *spec,
                            const char          *author,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  StoreData *d = store_data (OP_SAVE, conninfo);

  d->spec = aq_report_spec_copy (spec);
  d->author = g_strdup (author);
  store_start (d, aq_report_store_save_async, cancellable, callback, user_data);
}

gboolean
aq_report_store_save_finish (GAsyncResult  *result,
                             int           *out_version,
                             GError       **error)
{
  g_autofree int *version = aq_db_job_run_finish (result, aq_report_store_save_async, error);

  if (version == NULL)
    return FALSE;
  if (out_version)
    *out_version = *version;
  return TRUE;
}

void
aq_report_store_duplicate_async (const char          *conninfo,
                                 const char          *name,
                                 const char          *new_name,
                                 const char          *author,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  StoreData *d = store_data (OP_DUPLICATE, conninfo);

  d->name = g_strdup (name);
  d->new_name = g_strdup (new_name);
  d->author = g_strdup (author);
  store_start (d, aq_report_store_duplicate_async, cancellable, callback, user_data);
}

gboolean
aq_report_store_duplicate_finish (GAsyncResult  *result,
                                  GError       **error)
{
  return aq_db_job_run_finish (result, aq_report_store_duplicate_async, error) != NULL;
}

void
aq_report_store_delete_async (const char          *conninfo,
                              const char          *name,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  StoreData *d = store_data (OP_DELETE, conninfo);

  d->name = g_strdup (name);
  store_start (d, aq_report_store_delete_async, cancellable, callback, user_data);
}

gboolean
aq_report_store_delete_finish (GAsyncResult  *result,
                               GError       **error)
{
  return aq_db_job_run_finish (result, aq_report_store_delete_async, error) != NULL;
}

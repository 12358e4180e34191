/* aq-datasets-async.c — the data catalog's calls on a worker thread, for the panel
 *
 * Each call runs its blocking core function through aq_db_job_run_async() (the panel holds no
 * connection): a pooled connection on a worker thread, the cancellable reaching the running
 * statement through PQcancel. The writes return TRUE as a non-NULL pointer.
 */
#define G_LOG_DOMAIN "aq-datasets"

#include "config.h"

#include "aq-datasets.h"
#include "aq-db-job.h"

/* ---- jobs ---- */

typedef struct
{
  char *text;
  char *table;
  char *column;
  char *lang;
  char *category;
  char *owner;
  char *steward;
} Job;

static void
job_free (Job *job)
{
  g_free (job->text);
  g_free (job->table);
  g_free (job->column);
  g_free (job->lang);
  g_free (job->category);
  g_free (job->owner);
  g_free (job->steward);
  g_free (job);
}

static gpointer
search_job (AqDb          *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  Job *job = data;

  return aq_datasets_search (db, job->text, 50, cancellable, error);
}

static gpointer
list_job (AqDb          *db,
          gpointer       data,
          GCancellable  *cancellable,
          GError       **error)
{
  if (!aq_datasets_ensure_built (db, NULL, cancellable, error))
    return NULL;
  return aq_datasets_list_tables (db, cancellable, error);
}

static gpointer
table_job (AqDb          *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  Job *job = data;

  return aq_datasets_load_table (db, job->table, cancellable, error);
}

static gpointer
indicator_job (AqDb          *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  Job *job = data;

  return aq_datasets_load_indicator (db, job->text, cancellable, error);
}

static gpointer
table_info_job (AqDb          *db,
                gpointer       data,
                GCancellable  *cancellable,
                GError       **error)
{
  Job *job = data;

  if (!aq_datasets_set_table_info (db, job->table, NULL, job->category, job->owner,
                                   job->steward, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
describe_job (AqDb          *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  Job *job = data;

  if (!aq_datasets_set_description (db, job->table, job->column, job->lang, job->text, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
run_job (const char          *conninfo,
         gpointer             tag,
         Job                 *job,
         AqDbJobFunc          func,
         GDestroyNotify       result_free,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  aq_db_job_run_async (conninfo, tag, func, job, (GDestroyNotify) job_free, result_free,
                       cancellable, callback, user_data);
}

void
aq_datasets_search_async (const char          *conninfo,
                          const char          *text,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Job *job;

  g_return_if_fail (text != NULL);

  job = g_new0 (Job, 1);

  job->text = g_strdup (text);
  run_job (conninfo, aq_datasets_search_async, job, search_job,
           (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
aq_datasets_search_finish (GAsyncResult  *result,
                           GError       **error)
{
  return aq_db_job_run_finish (result, aq_datasets_search_async, error);
}

void
aq_datasets_list_tables_async (const char          *conninfo,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  run_job (conninfo, aq_datasets_list_tables_async, job, list_job,
           (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

GPtrArray *
aq_datasets_list_tables_finish (GAsyncResult  *result,
                                GError       **error)
{
  return aq_db_job_run_finish (result, aq_datasets_list_tables_async, error);
}

void
aq_datasets_load_table_async (const char          *conninfo,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (key != NULL);

  job = g_new0 (Job, 1);

  job->table = g_strdup (key);
  run_job (conninfo, aq_datasets_load_table_async, job, table_job,
           (GDestroyNotify) aq_dataset_table_free, cancellable, callback, user_data);
}

AqDatasetTable *
aq_datasets_load_table_finish (GAsyncResult  *result,
                               GError       **error)
{
  return aq_db_job_run_finish (result, aq_datasets_load_table_async, error);
}

void
aq_datasets_load_indicator_async (const char          *conninfo,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (id != NULL);

  job = g_new0 (Job, 1);

  job->text = g_strdup (id);
  run_job (conninfo, aq_datasets_load_indicator_async, job, indicator_job,
           (GDestroyNotify) json_node_unref, cancellable, callback, user_data);
}

JsonNode *
aq_datasets_load_indicator_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return aq_db_job_run_finish (result, aq_datasets_load_indicator_async, error);
}

void
aq_datasets_set_description_async (const char          *conninfo,
                                   const char          *table,
                                   const char          *column,
                                   const char          *lang,
                                   const char          *text,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Job *job;

  g_return_if_fail (table != NULL && lang != NULL && text != NULL);

  job = g_new0 (Job, 1);

  job->table = g_strdup (table);
  job->column = g_strdup (column);
  job->lang = g_strdup (lang);
  job->text = g_strdup (text);
  run_job (conninfo, aq_datasets_set_description_async, job, describe_job, NULL, cancellable,
           callback, user_data);
}

gboolean
aq_datasets_set_description_finish (GAsyncResult  *result,
                                    GError       **error)
{
  return aq_db_job_run_finish (result, aq_datasets_set_description_async, error) != NULL;
}

void
aq_datasets_set_table_info_async (const char          *conninfo,
                                  const char          *table,
                                  const char          *category,
                                  const char          *owner,
                                  const char          *steward,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job;

  g_return_if_fail (table != NULL);

  job = g_new0 (Job, 1);

  job->table = g_strdup (table);
  job->category = g_strdup (category);
  job->owner = g_strdup (owner);
  job->steward = g_strdup (steward);
  run_job (conninfo, aq_datasets_set_table_info_async, job, table_info_job, NULL, cancellable,
           callback, user_data);
}

gboolean
aq_datasets_set_table_info_finish (GAsyncResult  *result,
                                   GError       **error)
{
  return aq_db_job_run_finish (result, aq_datasets_set_table_info_async, error) != NULL;
}

/* aq-datasets-async.c — the data catalog's calls on a worker thread, for the panel
 *
 * Each call opens its own connection on a GTask thread (the panel holds none), runs the
 * blocking core function and returns its result; the cancellable reaches the running
 * statement through aq_db_watch_cancellable().
 */
#define G_LOG_DOMAIN "aq-datasets"

#include "config.h"

#include "aq-connection.h"
#include "aq-datasets.h"

/* ---- worker threads ---- */

typedef struct
{
  char *conninfo;
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
  g_free (job->conninfo);
  g_free (job->text);
  g_free (job->table);
  g_free (job->column);
  g_free (job->lang);
  g_free (job->category);
  g_free (job->owner);
  g_free (job->steward);
  g_free (job);
}

static AqDb *
job_connect (Job      *job,
             GError  **error)
{
  return aq_connection_open (job->conninfo, error);
}

static void
search_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = job_connect (job, &error);
  GPtrArray *hits = db ? aq_datasets_search (db, job->text, 50, cancellable, &error) : NULL;

  if (hits == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = job_connect (job, &error);
  GPtrArray *hits = NULL;

  if (db && aq_datasets_ensure_built (db, NULL, cancellable, &error))
    hits = aq_datasets_list_tables (db, cancellable, &error);

  if (hits == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, hits, (GDestroyNotify) g_ptr_array_unref);
}

static void
table_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = job_connect (job, &error);
  AqDatasetTable *table = db ? aq_datasets_load_table (db, job->table, cancellable, &error) : NULL;

  if (table == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, table, (GDestroyNotify) aq_dataset_table_free);
}

static void
indicator_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = job_connect (job, &error);
  JsonNode *node = db ? aq_datasets_load_indicator (db, job->text, cancellable, &error) : NULL;

  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

static void
table_info_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = job_connect (job, &error);

  if (db && aq_datasets_set_table_info (db, job->table, NULL, job->category, job->owner,
                                        job->steward, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
describe_thread (GTask        *task,
                 gpointer      source,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = job_connect (job, &error);

  if (db && aq_datasets_set_description (db, job->table, job->column, job->lang, job->text,
                                         &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
run_job (gpointer             tag,
         Job                 *job,
         GTaskThreadFunc      func,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, func);
}

void
aq_datasets_search_async (const char          *conninfo,
                          const char          *text,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (text != NULL);

  job->conninfo = g_strdup (conninfo);
  job->text = g_strdup (text);
  run_job (aq_datasets_search_async, job, search_thread, cancellable, callback, user_data);
}

GPtrArray *
aq_datasets_search_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aq_datasets_search_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
aq_datasets_list_tables_async (const char          *conninfo,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  job->conninfo = g_strdup (conninfo);
  run_job (aq_datasets_list_tables_async, job, list_thread, cancellable, callback, user_data);
}

GPtrArray *
aq_datasets_list_tables_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aq_datasets_list_tables_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
aq_datasets_load_table_async (const char          *conninfo,
                              const char          *key,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (key != NULL);

  job->conninfo = g_strdup (conninfo);
  job->table = g_strdup (key);
  run_job (aq_datasets_load_table_async, job, table_thread, cancellable, callback, user_data);
}

AqDatasetTable *
aq_datasets_load_table_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == aq_datasets_load_table_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
aq_datasets_load_indicator_async (const char          *conninfo,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (id != NULL);

  job->conninfo = g_strdup (conninfo);
  job->text = g_strdup (id);
  run_job (aq_datasets_load_indicator_async, job, indicator_thread, cancellable, callback,
           user_data);
}

JsonNode *
aq_datasets_load_indicator_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == aq_datasets_load_indicator_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (table != NULL && lang != NULL && text != NULL);

  job->conninfo = g_strdup (conninfo);
  job->table = g_strdup (table);
  job->column = g_strdup (column);
  job->lang = g_strdup (lang);
  job->text = g_strdup (text);
  run_job (aq_datasets_set_description_async, job, describe_thread, cancellable, callback,
           user_data);
}

gboolean
aq_datasets_set_description_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == aq_datasets_set_description_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  Job *job = g_new0 (Job, 1);

  g_return_if_fail (table != NULL);

  job->conninfo = g_strdup (conninfo);
  job->table = g_strdup (table);
  job->category = g_strdup (category);
  job->owner = g_strdup (owner);
  job->steward = g_strdup (steward);
  run_job (aq_datasets_set_table_info_async, job, table_info_thread, cancellable, callback,
           user_data);
}

gboolean
aq_datasets_set_table_info_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == aq_datasets_set_table_info_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

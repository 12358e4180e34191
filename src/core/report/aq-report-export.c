/* aq-report-export.c — a list report run once into Excel and/or CSV files
 *
 * Two threads and a fixed pool of row batches: the worker runs the report's stream and
 * copies each row into the current batch; full batches go to the caller's thread, which
 * writes them and hands them back. With N_BATCHES × BATCH_ROWS rows in flight at most, memory
 * stays constant however long the list is. When writing fails, the worker is cancelled and
 * the writer keeps returning batches until the worker has stopped, so neither ever waits on
 * the other forever.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-export.h"

#include <string.h>

#include "aq-db-job.h"
#include "aq-audit.h"
#include "aq-report-csv.h"
#include "aq-report-xlsx.h"

#define BATCH_ROWS 2048
#define N_BATCHES  6

typedef struct
{
  GByteArray *bytes;     /* the cells' text, each NUL-terminated */
  GArray     *offsets;   /* gint64 per cell into bytes, -1 for SQL NULL */
  guint       n_rows;
  guint64     first_row;
} Batch;

typedef struct
{
  AqDb           *db;
  AqCatalog      *catalog;
  AqReportSpec   *spec;
  GHashTable     *params;
  GCancellable   *cancellable;
  GAsyncQueue    *free_batches;
  GAsyncQueue    *full_batches;
  Batch          *current;
  AqReportResult *header;        /* from the first row, for the writer */
  AqReportResult *final_header;  /* from the run, also when no row came */
  guint           n_cells;
  gboolean        ok;
  GError         *error;
} Pipe;

/* Pushed after the last batch. */
static Batch end_of_rows;

/* ---- auxiliary methods ---- */

static Batch *
batch_new (void)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->bytes = g_byte_array_sized_new (BATCH_ROWS * 128);
  batch->offsets = g_array_new (FALSE, FALSE, sizeof (gint64));
  return batch;
}

static void
batch_free (gpointer data)
{
  Batch *batch = data;

  if (batch == &end_of_rows)
    return;
  g_byte_array_unref (batch->bytes);
  g_array_unref (batch->offsets);
  g_free (batch);
}

static void
batch_reset (Batch *batch)
{
  g_byte_array_set_size (batch->bytes, 0);
  g_array_set_size (batch->offsets, 0);
  batch->n_rows = 0;
}

/* ---- the worker: the report's rows into batches ---- */

static gboolean
row_cb (AqReportResult     *header,
        guint64             row_index,
        const char * const *cells,
        gpointer            user_data,
        GError            **error)
{
  Pipe *pipe = user_data;
  Batch *batch = pipe->current;

  if (g_cancellable_set_error_if_cancelled (pipe->cancellable, error))
    return FALSE;
  if (pipe->header == NULL)
    {
      pipe->header = g_object_ref (header);
      pipe->n_cells = aq_report_result_get_n_row_dims (header)
                      + aq_report_result_get_n_columns (header);
    }
  if (batch == NULL)
    {
      batch = pipe->current = g_async_queue_pop (pipe->free_batches);
      batch->first_row = row_index;
    }
  for (guint i = 0; i < pipe->n_cells; i++)
    {
      gint64 offset = cells[i] ? (gint64) batch->bytes->len : -1;

      if (cells[i])
        g_byte_array_append (batch->bytes, (const guint8 *) cells[i], strlen (cells[i]) + 1);
      g_array_append_val (batch->offsets, offset);
    }
  if (++batch->n_rows == BATCH_ROWS)
    {
      g_async_queue_push (pipe->full_batches, batch);
      pipe->current = NULL;
    }
  return TRUE;
}

static gpointer
produce (gpointer data)
{
  Pipe *pipe = data;

  pipe->ok = aq_report_run_stream (pipe->db, pipe->catalog, pipe->spec, pipe->params, row_cb,
                                   pipe, &pipe->final_header, pipe->cancellable, &pipe->error);
  if (pipe->current && pipe->current->n_rows > 0)
    g_async_queue_push (pipe->full_batches, pipe->current);
  else if (pipe->current)
    g_async_queue_push (pipe->free_batches, pipe->current);
  pipe->current = NULL;
  g_async_queue_push (pipe->full_batches, &end_of_rows);
  return NULL;
}

/* ---- the caller's thread: batches into the files ---- */

static gboolean
write_batch (Pipe               *pipe,
             Batch              *batch,
             AqReportXlsxStream *xlsx,
             AqReportCsvStream  *csv,
             GError            **error)
{
  g_autofree const char **cells = g_new0 (const char *, MAX (pipe->n_cells, 1));

  for (guint row = 0; row < batch->n_rows; row++)
    {
      for (guint i = 0; i < pipe->n_cells; i++)
        {
          gint64 offset = g_array_index (batch->offsets, gint64, row * pipe->n_cells + i);
          cells[i] = offset < 0 ? NULL : (const char *) batch->bytes->data + offset;
        }
      if (xlsx && !aq_report_xlsx_stream_add_row (pipe->header, batch->first_row + row, cells,
                                                  xlsx, error))
        return FALSE;
      if (csv && !aq_report_csv_stream_add_row (pipe->header, batch->first_row + row, cells,
                                                csv, error))
        return FALSE;
    }
  return TRUE;
}

static void
cancel_cb (GCancellable *outer,
           gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

gboolean
aq_report_export_list (AqDb          *db,
                       AqCatalog     *catalog,
                       AqReportSpec  *spec,
                       GHashTable    *params,
                       const char    *xlsx_path,
                       const char    *csv_path,
                       guint64       *n_rows,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(AqReportXlsxStream) xlsx = NULL;
  g_autoptr(AqReportCsvStream) csv = NULL;
  g_autoptr(GCancellable) inner = g_cancellable_new ();
  g_autoptr(GAsyncQueue) free_batches = g_async_queue_new_full (batch_free);
  g_autoptr(GAsyncQueue) full_batches = g_async_queue_new_full (batch_free);
  g_autoptr(GError) write_error = NULL;
  Pipe pipe = { db, catalog, spec, params, inner, free_batches, full_batches };
  gulong handler = 0;
  gboolean ok;
  GThread *worker;
  Batch *batch;

  g_return_val_if_fail (xlsx_path != NULL || csv_path != NULL, FALSE);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), FALSE);

  /* Both files exist as temporaries before the query runs: a bad path fails at once. */
  if ((xlsx_path && (xlsx = aq_report_xlsx_stream_new (xlsx_path, error)) == NULL)
      || (csv_path && (csv = aq_report_csv_stream_new (csv_path, error)) == NULL))
    return FALSE;
  for (guint i = 0; i < N_BATCHES; i++)
    g_async_queue_push (free_batches, batch_new ());
  if (cancellable)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (cancel_cb), inner, NULL);

  worker = g_thread_new ("report-export", produce, &pipe);
  while ((batch = g_async_queue_pop (full_batches)) != &end_of_rows)
    {
      if (write_error == NULL && !write_batch (&pipe, batch, xlsx, csv, &write_error))
        g_cancellable_cancel (inner);
      batch_reset (batch);
      g_async_queue_push (free_batches, batch);
    }
  g_thread_join (worker);
  if (cancellable)
    g_cancellable_disconnect (cancellable, handler);

  if (write_error)
    {
      ok = FALSE;
      g_propagate_error (error, g_steal_pointer (&write_error));
    }
  else if (!pipe.ok)
    {
      ok = FALSE;
      g_propagate_error (error, g_steal_pointer (&pipe.error));
    }
  else
    {
      AqReportResult *header = pipe.final_header ? pipe.final_header : pipe.header;
      guint64 rows = xlsx ? aq_report_xlsx_stream_get_n_rows (xlsx)
                          : aq_report_csv_stream_get_n_rows (csv);
      g_autoptr(JsonObject) detail = json_object_new ();

      /* a list names customers: who took which rows out is kept, before any file exists
       * under its name (the warehouse writes the login as the actor) */
      json_object_set_int_member (detail, "rows", (gint64) rows);
      json_object_set_string_member (detail, "format",
                                     xlsx && csv ? "xlsx+csv" : xlsx ? "xlsx" : "csv");
      ok = aq_audit_write (db, NULL, "report.export", aq_report_spec_get_name (spec),
                           detail, error)
           && (xlsx == NULL || aq_report_xlsx_stream_finish (xlsx, header, error))
           && (csv == NULL || aq_report_csv_stream_finish (csv, header, error));
      if (ok && n_rows)
        *n_rows = xlsx ? aq_report_xlsx_stream_get_n_rows (xlsx)
                       : aq_report_csv_stream_get_n_rows (csv);
    }
  g_clear_error (&pipe.error);
  g_clear_object (&pipe.header);
  g_clear_object (&pipe.final_header);
  return ok;
}

/* ---- async, for the designer ---- */

typedef struct
{
  char           *conninfo;
  AqCatalog      *catalog;
  AqReportSpec   *spec;
  GHashTable     *params;
  AqReportResult *result;
  char           *xlsx_path;
  char           *csv_path;
  guint64         n_rows;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_free (data->conninfo);
  g_clear_object (&data->catalog);
  g_clear_object (&data->spec);
  g_clear_pointer (&data->params, g_hash_table_unref);
  g_clear_object (&data->result);
  g_free (data->xlsx_path);
  g_free (data->csv_path);
  g_free (data);
}

/* Writes a result already read: files only, no connection. */
static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ExportData *data = task_data;
  g_autoptr(GError) error = NULL;
  guint64 n_rows = aq_report_result_get_n_rows (data->result);

  if ((data->xlsx_path == NULL || aq_report_write_xlsx (data->result, data->xlsx_path, &error))
      && (data->csv_path == NULL || aq_report_write_csv (data->result, data->csv_path, &error)))
    g_task_return_pointer (task, g_memdup2 (&n_rows, sizeof n_rows), g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Reads and writes in batches on a pooled connection. Returns: the rows written, boxed */
static gpointer
export_job (AqDb          *db,
            gpointer       task_data,
            GCancellable  *cancellable,
            GError       **error)
{
  ExportData *data = task_data;

  if (!aq_report_export_list (db, data->catalog, data->spec, data->params, data->xlsx_path,
                              data->csv_path, &data->n_rows, cancellable, error))
    return NULL;
  return g_memdup2 (&data->n_rows, sizeof data->n_rows);
}

void
aq_report_export_async (const char          *conninfo,
                        AqCatalog           *catalog,
                        AqReportSpec        *spec,
                        GHashTable          *params,
                        AqReportResult      *result,
                        const char          *xlsx_path,
                        const char          *csv_path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  ExportData *data;

  g_return_if_fail (xlsx_path != NULL || csv_path != NULL);
  g_return_if_fail (result != NULL || (conninfo != NULL && AQ_IS_CATALOG (catalog)
                                       && AQ_IS_REPORT_SPEC (spec)));

  data = g_new0 (ExportData, 1);
  data->catalog = catalog ? g_object_ref (catalog) : NULL;
  data->spec = spec ? aq_report_spec_copy (spec) : NULL;
  if (params)
    {
      GHashTableIter iter;
      gpointer key, value;

      data->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (data->params, g_strdup (key), g_strdup (value));
    }
  data->result = result ? g_object_ref (result) : NULL;
  data->xlsx_path = g_strdup (xlsx_path);
  data->csv_path = g_strdup (csv_path);
  if (result != NULL)
    {
      g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

      g_task_set_source_tag (task, write_thread);
      g_task_set_task_data (task, data, (GDestroyNotify) export_data_free);
      g_task_run_in_thread (task, write_thread);
    }
  else
    aq_db_job_run_async (conninfo, aq_report_export_async, export_job, data,
                         (GDestroyNotify) export_data_free, g_free, cancellable, callback,
                         user_data);
}

gboolean
aq_report_export_finish (GAsyncResult  *result,
                         guint64       *n_rows,
                         GError       **error)
{
  g_autofree guint64 *written = NULL;

  if (g_task_get_source_tag (G_TASK (result)) == write_thread)
    written = g_task_propagate_pointer (G_TASK (result), error);
  else
    written = aq_db_job_run_finish (result, aq_report_export_async, error);
  if (written == NULL)
    return FALSE;
  if (n_rows)
    *n_rows = *written;
  return TRUE;
}

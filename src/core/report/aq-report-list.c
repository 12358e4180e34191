/* aq-report-list.c — a big list report held in the warehouse, read a page at a time
 *
 * The rows are materialised once in a holdable scroll cursor (DECLARE … SCROLL CURSOR WITH
 * HOLD, filled at COMMIT) on the list's own connection; a page is MOVE ABSOLUTE + FETCH, whose
 * cost does not grow with the offset the way OFFSET would. The client holds one page; the grid
 * asks for the pages it shows.
 */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report-list.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-report-private.h"

struct _AqReportList
{
  GObject         parent_instance;
  GMutex          lock;
  AqDb           *db;
  AqReportPlan   *plan;
  AqReportResult *header;
  guint64         n_rows;
};

G_DEFINE_FINAL_TYPE (AqReportList, aq_report_list, G_TYPE_OBJECT)

static void
aq_report_list_finalize (GObject *object)
{
  AqReportList *self = AQ_REPORT_LIST (object);

  aq_report_list_close (self);
  g_clear_pointer (&self->plan, _aq_report_plan_free);
  g_clear_object (&self->header);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (aq_report_list_parent_class)->finalize (object);
}

static void
aq_report_list_class_init (AqReportListClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = aq_report_list_finalize;
}

static void
aq_report_list_init (AqReportList *self)
{
  g_mutex_init (&self->lock);
}

AqReportList *
aq_report_list_open (const char    *conninfo,
                     AqCatalog     *catalog,
                     AqReportSpec  *spec,
                     GHashTable    *params,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(AqReportList) self = g_object_new (AQ_TYPE_REPORT_LIST, NULL);
  g_autofree char *declare = NULL;
  g_autoptr(PGresult) declared = NULL;
  g_autoptr(PGresult) moved = NULL;
  gulong handler;
  gboolean ok;

  g_return_val_if_fail (AQ_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (AQ_IS_REPORT_SPEC (spec), NULL);

  if (aq_report_spec_get_kind (spec) != AQ_REPORT_KIND_LIST)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("kind: only a list report can be paged; run a pivot"));
      return NULL;
    }
  self->db = aq_db_connect (conninfo, error);
  if (self->db == NULL)
    return NULL;
  if (!_aq_report_begin_read_only (self->db, error))
    return NULL;
  self->plan = _aq_report_plan_for_run (self->db, catalog, spec, params, error);
  if (self->plan == NULL)
    {
      aq_db_rollback (self->db);
      return NULL;
    }
  self->header = _aq_report_plan_new_result (self->plan);
  declare = g_strdup_printf ("DECLARE aq_report_list SCROLL CURSOR WITH HOLD FOR %s",
                             self->plan->sql);
  handler = aq_db_watch_cancellable (self->db, cancellable);
  declared = aq_db_query (self->db, declare, self->plan->params->len,
                          _aq_report_plan_param_values (self->plan), error);
  /* The query runs here: a holdable cursor is filled when its transaction commits. */
  ok = declared != NULL && aq_db_commit (self->db, error);
  if (ok)
    {
      moved = aq_db_query (self->db, "MOVE FORWARD ALL IN aq_report_list", 0, NULL, error);
      ok = moved != NULL;
    }
  aq_db_unwatch_cancellable (self->db, cancellable, handler);
  if (!ok)
    {
      aq_db_rollback (self->db);
      if (g_cancellable_is_cancelled (cancellable))
        {
          g_clear_error (error);
          g_cancellable_set_error_if_cancelled (cancellable, error);
        }
      return NULL;
    }
  self->n_rows = g_ascii_strtoull (PQcmdTuples (moved), NULL, 10);
  return g_steal_pointer (&self);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  gpointer *data = task_data;
  GError *error = NULL;
  AqReportList *list = aq_report_list_open (data[0], data[1], data[2], data[3], cancellable,
                                            &error);

  if (list)
    g_task_return_pointer (task, list, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
open_data_free (gpointer *data)
{
  g_free (data[0]);
  g_object_unref (data[1]);
  g_object_unref (data[2]);
  g_clear_pointer (&data[3], g_hash_table_unref);
  g_free (data);
}

void
aq_report_list_open_async (const char          *conninfo,
                           AqCatalog           *catalog,
                           AqReportSpec        *spec,
                           GHashTable          *params,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  gpointer *data = g_new0 (gpointer, 4);

  data[0] = g_strdup (conninfo);
  data[1] = g_object_ref (catalog);
  data[2] = aq_report_spec_copy (spec);
  if (params)
    {
      GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer k, v;
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_hash_table_insert (copy, g_strdup (k), g_strdup (v));
      data[3] = copy;
    }
  g_task_set_source_tag (task, aq_report_list_open_async);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  g_task_run_in_thread (task, open_thread);
}

AqReportList *
aq_report_list_open_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

guint64
aq_report_list_get_n_rows (AqReportList *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_LIST (self), 0);
  return self->n_rows;
}

AqReportResult *
aq_report_list_get_header (AqReportList *self)
{
  g_return_val_if_fail (AQ_IS_REPORT_LIST (self), NULL);
  return self->header;
}

AqReportResult *
aq_report_list_fetch (AqReportList  *self,
                      guint64        offset,
                      guint          n,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(PGresult) moved = NULL;
  g_autoptr(PGresult) rows = NULL;
  g_autofree char *move = NULL;
  g_autofree char *fetch = NULL;
  AqReportResult *page;
  gulong handler;

  g_return_val_if_fail (AQ_IS_REPORT_LIST (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->db == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_FAILED, _("The list is closed"));
      return NULL;
    }
  /* ABSOLUTE k leaves the cursor on row k, so FETCH returns k + 1 …; 0 is before the first. */
  move = g_strdup_printf ("MOVE ABSOLUTE %" G_GUINT64_FORMAT " IN aq_report_list", offset);
  fetch = g_strdup_printf ("FETCH FORWARD %u FROM aq_report_list", n);
  handler = aq_db_watch_cancellable (self->db, cancellable);
  moved = aq_db_query (self->db, move, 0, NULL, error);
  if (moved)
    rows = aq_db_query (self->db, fetch, 0, NULL, error);
  aq_db_unwatch_cancellable (self->db, cancellable, handler);
  if (rows == NULL)
    {
      g_mutex_unlock (&self->lock);
      return NULL;
    }
  page = _aq_report_result_new_like (self->header);
  _aq_report_append_list_rows (page, self->plan, rows, 0, PQntuples (rows));
  g_mutex_unlock (&self->lock);
  return page;
}

void
aq_report_list_close (AqReportList *self)
{
  g_return_if_fail (AQ_IS_REPORT_LIST (self));

  g_mutex_lock (&self->lock);
  if (self->db)
    {
      g_autoptr(PGresult) closed = aq_db_query (self->db, "CLOSE aq_report_list", 0, NULL, NULL);
      g_clear_object (&self->db);
    }
  g_mutex_unlock (&self->lock);
}

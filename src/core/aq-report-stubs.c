/* aq-report-stubs.c — temporary: the parts of the report API not written yet */
#define G_LOG_DOMAIN "aq-report"

#include "config.h"

#include "aq-report.h"
#include "aq-report-private.h"
#include "aq-error.h"

static gboolean
not_yet (GError **error)
{
  g_set_error_literal (error, AQ_ERROR, AQ_ERROR_FAILED, "not implemented yet");
  return FALSE;
}

gboolean aq_catalog_seed (AqDb *db, GError **error) { return TRUE; }

gboolean aq_report_spec_validate (AqReportSpec *s, AqCatalog *c, GError **error) { return not_yet (error); }
GHashTable *aq_report_spec_resolve_params (AqReportSpec *s, GHashTable *v, GError **error) { not_yet (error); return NULL; }

void aq_report_query_free (AqReportQuery *q) { if (!q) return; g_free (q->sql); g_ptr_array_unref (q->params); g_free (q); }
AqReportQuery *aq_report_compile (AqCatalog *c, AqReportSpec *s, GHashTable *p, GError **error) { not_yet (error); return NULL; }
AqReportResult *aq_report_run (AqDb *db, AqCatalog *c, AqReportSpec *s, GHashTable *p, GCancellable *cc, GError **error) { not_yet (error); return NULL; }
void aq_report_run_async (const char *ci, AqCatalog *c, AqReportSpec *s, GHashTable *p, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud)
{ g_task_report_new_error (NULL, cb, ud, aq_report_run_async, AQ_ERROR, AQ_ERROR_FAILED, "not implemented yet"); }
AqReportResult *aq_report_run_finish (GAsyncResult *r, GError **error) { return g_task_propagate_pointer (G_TASK (r), error); }
gboolean aq_report_run_stream (AqDb *db, AqCatalog *c, AqReportSpec *s, GHashTable *p, AqReportRowFunc f, gpointer ud, AqReportResult **h, GCancellable *cc, GError **error) { return not_yet (error); }
AqReportSpec *aq_report_drill_spec (AqCatalog *c, AqReportSpec *s, AqReportResult *r, guint row, guint col, GError **error) { not_yet (error); return NULL; }

struct _AqReportList { GObject parent_instance; };
G_DEFINE_FINAL_TYPE (AqReportList, aq_report_list, G_TYPE_OBJECT)
static void aq_report_list_class_init (AqReportListClass *k) {}
static void aq_report_list_init (AqReportList *s) {}
AqReportList *aq_report_list_open (const char *ci, AqCatalog *c, AqReportSpec *s, GHashTable *p, GCancellable *cc, GError **error) { not_yet (error); return NULL; }
void aq_report_list_open_async (const char *ci, AqCatalog *c, AqReportSpec *s, GHashTable *p, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud)
{ g_task_report_new_error (NULL, cb, ud, aq_report_list_open_async, AQ_ERROR, AQ_ERROR_FAILED, "not implemented yet"); }
AqReportList *aq_report_list_open_finish (GAsyncResult *r, GError **error) { return g_task_propagate_pointer (G_TASK (r), error); }
guint64 aq_report_list_get_n_rows (AqReportList *s) { return 0; }
AqReportResult *aq_report_list_get_header (AqReportList *s) { return NULL; }
AqReportResult *aq_report_list_fetch (AqReportList *s, guint64 o, guint n, GCancellable *cc, GError **error) { not_yet (error); return NULL; }
void aq_report_list_close (AqReportList *s) {}

AqReportInfo *aq_report_info_copy (const AqReportInfo *i) { AqReportInfo *c = g_memdup2 (i, sizeof *i); c->name = g_strdup (i->name); c->title = g_strdup (i->title); c->description = g_strdup (i->description); c->kind = g_strdup (i->kind); c->author = g_strdup (i->author); c->created_at = i->created_at ? g_date_time_ref (i->created_at) : NULL; c->updated_at = i->updated_at ? g_date_time_ref (i->updated_at) : NULL; return c; }
void aq_report_info_free (AqReportInfo *i) { if (!i) return; g_free (i->name); g_free (i->title); g_free (i->description); g_free (i->kind); g_free (i->author); g_clear_pointer (&i->created_at, g_date_time_unref); g_clear_pointer (&i->updated_at, g_date_time_unref); g_free (i); }
G_DEFINE_BOXED_TYPE (AqReportInfo, aq_report_info, aq_report_info_copy, aq_report_info_free)
GPtrArray *aq_report_store_list (AqDb *db, GCancellable *cc, GError **error) { not_yet (error); return NULL; }
AqReportSpec *aq_report_store_open (AqDb *db, const char *n, GCancellable *cc, GError **error) { not_yet (error); return NULL; }
gboolean aq_report_store_save (AqDb *db, AqReportSpec *s, const char *a, GCancellable *cc, GError **error) { return not_yet (error); }
gboolean aq_report_store_duplicate (AqDb *db, const char *n, const char *nn, const char *a, GCancellable *cc, GError **error) { return not_yet (error); }
gboolean aq_report_store_delete (AqDb *db, const char *n, GCancellable *cc, GError **error) { return not_yet (error); }
#define ASYNC_STUB(fn) g_task_report_new_error (NULL, cb, ud, fn, AQ_ERROR, AQ_ERROR_FAILED, "not implemented yet")
void aq_report_store_list_async (const char *ci, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud) { ASYNC_STUB (aq_report_store_list_async); }
GPtrArray *aq_report_store_list_finish (GAsyncResult *r, GError **error) { return g_task_propagate_pointer (G_TASK (r), error); }
void aq_report_store_open_async (const char *ci, const char *n, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud) { ASYNC_STUB (aq_report_store_open_async); }
AqReportSpec *aq_report_store_open_finish (GAsyncResult *r, GError **error) { return g_task_propagate_pointer (G_TASK (r), error); }
void aq_report_store_save_async (const char *ci, AqReportSpec *s, const char *a, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud) { ASYNC_STUB (aq_report_store_save_async); }
gboolean aq_report_store_save_finish (GAsyncResult *r, int *v, GError **error) { return g_task_propagate_boolean (G_TASK (r), error); }
void aq_report_store_duplicate_async (const char *ci, const char *n, const char *nn, const char *a, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud) { ASYNC_STUB (aq_report_store_duplicate_async); }
gboolean aq_report_store_duplicate_finish (GAsyncResult *r, GError **error) { return g_task_propagate_boolean (G_TASK (r), error); }
void aq_report_store_delete_async (const char *ci, const char *n, GCancellable *cc, GAsyncReadyCallback cb, gpointer ud) { ASYNC_STUB (aq_report_store_delete_async); }
gboolean aq_report_store_delete_finish (GAsyncResult *r, GError **error) { return g_task_propagate_boolean (G_TASK (r), error); }

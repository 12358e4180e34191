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


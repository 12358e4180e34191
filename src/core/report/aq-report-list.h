/* aq-report-list.h — a big list report held in the warehouse, read a page at a time
 *
 * For the virtualized grid: open it on a worker thread, then fetch pages (also from worker
 * threads; calls are serialised inside). The rows stay in the warehouse (a holdable cursor on
 * its own connection) until the list is closed or finalized; memory in the client is one
 * page.
 */
#pragma once

#include <gio/gio.h>

#include "aq-catalog.h"
#include "aq-report-result.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

#define AQ_TYPE_REPORT_LIST (aq_report_list_get_type ())
G_DECLARE_FINAL_TYPE (AqReportList, aq_report_list, AQ, REPORT_LIST, GObject)

/* Blocking: runs the list report (spec kind LIST) and keeps its rows. */
AqReportList   *aq_report_list_open         (const char          *conninfo,
                                             AqCatalog           *catalog,
                                             AqReportSpec        *spec,
                                             GHashTable          *params,
                                             GCancellable        *cancellable,
                                             GError             **error);
void            aq_report_list_open_async   (const char          *conninfo,
                                             AqCatalog           *catalog,
                                             AqReportSpec        *spec,
                                             GHashTable          *params,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
AqReportList   *aq_report_list_open_finish  (GAsyncResult        *result,
                                             GError             **error);

guint64         aq_report_list_get_n_rows   (AqReportList        *self);
/* (transfer none): title, parameter lines and columns, no rows. */
AqReportResult *aq_report_list_get_header   (AqReportList        *self);
/* (transfer full): rows [@offset, @offset + @n) (fewer at the end) as a result whose row 0
 * is row @offset. Thread-safe; blocking. */
AqReportResult *aq_report_list_fetch        (AqReportList        *self,
                                             guint64              offset,
                                             guint                n,
                                             GCancellable        *cancellable,
                                             GError             **error);
/* Releases the warehouse side now (also done on finalize). */
void            aq_report_list_close        (AqReportList        *self);

G_END_DECLS

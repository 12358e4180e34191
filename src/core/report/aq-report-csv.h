/* aq-report-csv.h — a report as CSV: RFC 4180, UTF-8 with a byte-order mark (so Excel reads
 * Chinese correctly), CRLF line ends
 *
 * The table only, no title block: the header rows (one per header level), then the rows, the
 * subtotal and total rows labelled as in Excel. Numbers are plain (no grouping) and rounded as
 * their format shows them, percentages as fractions. Writing is atomic as for Excel.
 */
#pragma once

#include "aq-report.h"

G_BEGIN_DECLS

gboolean            aq_report_write_csv           (AqReportResult      *result,
                                                   const char          *path,
                                                   GError             **error);
/* As AqReportXlsxStream: add_row() is an AqReportRowFunc, the stream its user_data. */
typedef struct _AqReportCsvStream AqReportCsvStream;

AqReportCsvStream  *aq_report_csv_stream_new      (const char          *path,
                                                   GError             **error);
gboolean            aq_report_csv_stream_add_row  (AqReportResult      *header,
                                                   guint64              row_index,
                                                   const char * const  *cells,
                                                   gpointer             stream,
                                                   GError             **error);
gboolean            aq_report_csv_stream_finish   (AqReportCsvStream   *self,
                                                   AqReportResult      *header,
                                                   GError             **error);
guint64             aq_report_csv_stream_get_n_rows (AqReportCsvStream *self);
void                aq_report_csv_stream_free     (AqReportCsvStream   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportCsvStream, aq_report_csv_stream_free)

G_END_DECLS

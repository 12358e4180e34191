/* aq-report-spec-private.h — what aq-report-spec.c and aq-report-spec-json.c share
 *
 * The report definition is one GObject in two files: the object and its accessors
 * (aq-report-spec.c), and its JSON (aq-report-spec-json.c). Nothing else includes this header.
 */
#pragma once

#include "aq-report-spec.h"

G_BEGIN_DECLS

struct _AqReportSpec
{
  GObject       parent_instance;
  AqReportKind  kind;
  char         *name;
  char         *title;
  char         *description;
  char         *author;
  int           version;
  gboolean      standard;
  gboolean      subtotals;
  gboolean      totals;
  guint64       limit;
  GPtrArray    *zones[AQ_REPORT_N_ZONES];   /* AqReportField */
  GPtrArray    *params;                     /* AqReportParam */
  GPtrArray    *sorts;                      /* AqReportSort */
  GPtrArray    *formats;                    /* AqReportFormatRule */
};

G_END_DECLS

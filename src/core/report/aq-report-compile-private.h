/* aq-report-compile-private.h — what the list and pivot halves of the compiler share */
#pragma once

#include "aq-report-private.h"

G_BEGIN_DECLS

typedef struct
{
  AqCatalog     *catalog;
  AqReportSpec  *spec;
  GHashTable    *params;       /* name → checked value */
  AqReportPlan  *plan;
  GPtrArray     *sources;      /* AqCatalogSource, distinct, in value order */
} AqReportCompiler;

/* "$n::type" for a new parameter holding @value. */
char               *_aq_report_bind            (AqReportCompiler   *c,
                                                const char         *value,
                                                const char         *type);
/* The key expression of @dim in @source, its month shifted forward by @shift months. */
char               *_aq_report_dim_expr        (AqCatalogSource    *source,
                                                const char         *dim,
                                                guint               shift);
/* Appends " AND …" for every filter of the spec that applies to @source. */
gboolean            _aq_report_append_filters  (AqReportCompiler   *c,
                                                AqCatalogSource    *source,
                                                guint               shift,
                                                GString            *where,
                                                GError            **error);
/* Appends ", key::text, label" and the LEFT JOIN the label needs. */
void                _aq_report_append_key_label (AqDimension       *dim,
                                                const char         *key,
                                                const char         *alias,
                                                GString            *select,
                                                GString            *joins);
/* A CASE giving the custom (or the fixed code list's) order of @key, or NULL. */
char               *_aq_report_custom_order    (AqReportCompiler   *c,
                                                const char         *key,
                                                const AqReportSort *sort,
                                                AqDimension        *dim);
const AqReportSort *_aq_report_dimension_sort  (AqReportSpec       *spec,
                                                const char         *dim);
const AqReportSort *_aq_report_value_sort      (AqReportSpec       *spec);

gboolean            _aq_report_compile_pivot   (AqReportCompiler   *c,
                                                GError            **error);

G_END_DECLS

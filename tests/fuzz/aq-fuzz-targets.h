/* aq-fuzz-targets.h — the entry points the fuzzers and the corpus replay share */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each reads @data (any bytes) as its reader would and aborts when an invariant breaks;
 * a crash, a sanitizer report or an abort is a finding. Always returns 0. */
int aq_fuzz_phone       (const guint8 *data, gsize size);
int aq_fuzz_geojson     (const guint8 *data, gsize size);
int aq_fuzz_report_spec (const guint8 *data, gsize size);
int aq_fuzz_pipeline    (const guint8 *data, gsize size);
int aq_fuzz_receipt     (const guint8 *data, gsize size);
int aq_fuzz_ktr         (const guint8 *data, gsize size);
int aq_fuzz_api_xml     (const guint8 *data, gsize size);

typedef int (*AqFuzzTarget) (const guint8 *data, gsize size);

/* The target of a harness by its name (the corpus folder's): phone, geojson, report-spec,
 * pipeline, receipt, ktr, api-xml; NULL for another name. */
AqFuzzTarget aq_fuzz_target_lookup (const char *name);

G_END_DECLS

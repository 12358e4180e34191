/* aq-quality-private.h — what the quality module's files share; for src/core/quality/ only */
#pragma once

#include "aq-quality.h"

G_BEGIN_DECLS

/* The parameters of one statement being compiled: values never enter the SQL text. */
typedef struct
{
  GPtrArray *values;   /* char *, $1 is values[0] */
  char      *now_local; /* "YYYY-MM-DD HH:MM:SS" in the utility's zone, from aq_clock */
} AqQualityParams;

void   _aq_quality_params_init    (AqQualityParams *params);
void   _aq_quality_params_clear   (AqQualityParams *params);
/* Adds @value and returns its placeholder "$n" (transfer full). */
char  *_aq_quality_param          (AqQualityParams *params,
                                   const char      *value);
/* The number argument @name of @args (or @fallback) as a parameter, exact ("%.17g"). */
char  *_aq_quality_number_param   (AqQualityParams *params,
                                   JsonObject      *args,
                                   const char      *name,
                                   double           fallback);

/* a row of run_id, rule_name, rule_version, layer, table_name, dimension, severity, checked_rows,
 * failing_rows, measured, status, message, duration_ms */
AqQualityResult *_aq_quality_result_from_row (PGresult *res,
                                              int       row);
void   _aq_quality_sample_free    (AqQualitySample *sample);
char  *_aq_quality_target         (const char      *layer,
                                   const char      *table);
/* A column rule's condition true for a failing row (rows outside the filter excluded by the
 * caller), and the offending value as text for samples. */
char  *_aq_quality_fail_condition (const AqQualityRule *rule,
                                   AqQualityParams *params);
char  *_aq_quality_value_expr     (const AqQualityRule *rule);
/* One statement answering every column rule of one table: per rule a checked and a failing
 * count (columns 2i and 2i+1), in one scan. A referential rule with @joined[i] (its
 * referenced columns are unique there) is counted in that scan through a LEFT JOIN; without
 * (@joined NULL or FALSE) its failing count there is a placeholder 0. */
/* The same statement's select list ("… AS __c<i>, … AS __f<i>") and LEFT JOINs, appended. */
void   _aq_quality_scan_columns   (GPtrArray       *rules,
                                   const gboolean  *joined,
                                   AqQualityParams *params,
                                   GString         *select,
                                   GString         *joins);
char  *_aq_quality_scan_sql       (GPtrArray       *rules,
                                   const gboolean  *joined,
                                   AqQualityParams *params);
/* Referential rules' failing rows (and, when not joined into the scan, their count) come
 * from an anti-join of their own (NOT EXISTS, the target read as "__t"). */
gboolean _aq_quality_rule_joins          (const AqQualityRule *rule);
char    *_aq_quality_ref_missing         (const AqQualityRule *rule);

G_END_DECLS

/* aq-report-spec.h — a report definition: layout, parameters, sorting, calculations, formats
 *
 * The JSON form (stored in meta.report.definition, read by `aqueductctl report run FILE`) is
 * described in docs/REPORTS.md. Every id in a spec names a catalog entry; nothing in a spec is
 * ever pasted into SQL except through the catalog (identifiers) or as a parameter (values).
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-catalog.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_REPORT_KIND_PIVOT,   /* aggregated, with subtotals and totals */
  AQ_REPORT_KIND_LIST,    /* detail rows (one per account, bill …), streamed or paged */
} AqReportKind;

typedef enum
{
  AQ_REPORT_ZONE_ROWS,      /* dimension ids */
  AQ_REPORT_ZONE_COLUMNS,   /* dimension ids (pivot only) */
  AQ_REPORT_ZONE_VALUES,    /* indicator ids, each with an optional calculation */
  AQ_REPORT_ZONE_FILTERS,   /* dimension ids with an operator and values, or a condition */
} AqReportZone;
#define AQ_REPORT_N_ZONES 4

typedef enum
{
  AQ_REPORT_CALC_NONE,
  AQ_REPORT_CALC_SHARE_OF_TOTAL,  /* the value / the same value's total over the rows */
  AQ_REPORT_CALC_MOM,             /* change against the previous month, as a ratio */
  AQ_REPORT_CALC_YOY,             /* change against the same month a year before */
  AQ_REPORT_CALC_RANK,            /* 1 = largest, among the rows of the same group */
} AqReportCalc;

typedef enum
{
  AQ_REPORT_FILTER_IN,        /* values: members (or "$param") */
  AQ_REPORT_FILTER_NOT_IN,
  AQ_REPORT_FILTER_BETWEEN,   /* values: [from, to] or ["$range_param"] */
  AQ_REPORT_FILTER_GE,
  AQ_REPORT_FILTER_LE,
  AQ_REPORT_FILTER_CONDITION, /* id names a catalog condition; values are its arguments */
} AqReportFilterOp;

typedef enum
{
  AQ_REPORT_PARAM_MONTH,        /* "2024-03" */
  AQ_REPORT_PARAM_MONTH_RANGE,  /* "2024-01..2024-06" */
  AQ_REPORT_PARAM_DATE_RANGE,   /* "2024-01-01..2024-03-31" */
  AQ_REPORT_PARAM_DISTRICT,     /* a district code */
  AQ_REPORT_PARAM_INTEGER,      /* with min and max */
  AQ_REPORT_PARAM_TEXT,
  AQ_REPORT_PARAM_MEMBER,       /* a member of the dimension named by `dimension` */
} AqReportParamType;

typedef enum
{
  AQ_REPORT_SORT_DIMENSION,     /* by the dimension's key (or its custom order) */
  AQ_REPORT_SORT_VALUE,         /* by a value column; within groups when `within_groups` */
} AqReportSortBy;

/* One entry of a zone. Values in a filter starting with "$" name a parameter ("$$" for a
 * literal "$"). */
typedef struct
{
  char             *id;       /* dimension, indicator or condition id */
  AqReportCalc      calc;     /* values zone only */
  AqReportFilterOp  op;       /* filters zone only */
  char            **values;   /* filters zone only (NULL-terminated) */
  char             *label;    /* (nullable) overrides the catalog name in headers */
} AqReportField;

typedef struct
{
  char              *name;           /* as referenced by "$name" and by --param name=… */
  AqReportParamType  type;
  char              *label;          /* shown in the parameter block and the widgets */
  char              *default_value;  /* (nullable): then the parameter is required */
  char              *dimension;      /* (nullable): for AQ_REPORT_PARAM_MEMBER */
  gint64             min, max;       /* for AQ_REPORT_PARAM_INTEGER (min ≤ max; 0,0 = none) */
} AqReportParam;

typedef struct
{
  AqReportSortBy  by;
  char           *dimension;     /* SORT_DIMENSION: a dimension of rows or columns */
  guint           value_index;   /* SORT_VALUE: index into the values zone */
  gboolean        descending;
  gboolean        within_groups; /* SORT_VALUE: keep the row groups, sort inside each */
  char          **custom_order;  /* (nullable) SORT_DIMENSION: member keys first in this order */
} AqReportSort;

typedef struct
{
  guint   value_index;   /* index into the values zone */
  char   *op;            /* "<", "<=", ">", ">=", "=", "!=" */
  double  threshold;     /* compared with the cell as stored (0.05 for 5 %) */
  char   *color;         /* "#rrggbb" */
} AqReportFormatRule;

GType          aq_report_field_get_type        (void) G_GNUC_CONST;
AqReportField *aq_report_field_new             (const char          *id);
AqReportField *aq_report_field_copy            (const AqReportField *field);
void           aq_report_field_free            (AqReportField       *field);
GType          aq_report_param_get_type        (void) G_GNUC_CONST;
AqReportParam *aq_report_param_copy            (const AqReportParam *param);
void           aq_report_param_free            (AqReportParam       *param);
GType          aq_report_sort_get_type         (void) G_GNUC_CONST;
AqReportSort  *aq_report_sort_copy             (const AqReportSort  *sort);
void           aq_report_sort_free             (AqReportSort        *sort);
GType          aq_report_format_rule_get_type  (void) G_GNUC_CONST;
AqReportFormatRule *aq_report_format_rule_copy (const AqReportFormatRule *rule);
void           aq_report_format_rule_free      (AqReportFormatRule  *rule);

#define AQ_TYPE_REPORT_SPEC (aq_report_spec_get_type ())
G_DECLARE_FINAL_TYPE (AqReportSpec, aq_report_spec, AQ, REPORT_SPEC, GObject)

/* Every change emits ::changed (no arguments), so a designer can rerun and push undo. */
AqReportSpec  *aq_report_spec_new              (AqReportKind         kind);
AqReportSpec  *aq_report_spec_copy             (AqReportSpec        *self);
/* Parses the JSON form; fails with AQ_ERROR_INVALID naming the field ("values[2].calc: …").
 * Structure only: ids are checked against a catalog by aq_report_spec_validate(). */
AqReportSpec  *aq_report_spec_new_from_json    (JsonNode            *node,
                                                GError             **error);
AqReportSpec  *aq_report_spec_new_from_data    (const char          *json,
                                                gssize               length,
                                                GError             **error);
AqReportSpec  *aq_report_spec_new_from_file    (GFile               *file,
                                                GError             **error);
JsonNode      *aq_report_spec_to_json          (AqReportSpec        *self);
char          *aq_report_spec_to_data          (AqReportSpec        *self,
                                                gsize               *length);

AqReportKind   aq_report_spec_get_kind         (AqReportSpec        *self);
void           aq_report_spec_set_kind         (AqReportSpec        *self,
                                                AqReportKind         kind);
const char    *aq_report_spec_get_name         (AqReportSpec        *self);
void           aq_report_spec_set_name         (AqReportSpec        *self,
                                                const char          *name);
const char    *aq_report_spec_get_title        (AqReportSpec        *self);
void           aq_report_spec_set_title        (AqReportSpec        *self,
                                                const char          *title);
const char    *aq_report_spec_get_description  (AqReportSpec        *self);
void           aq_report_spec_set_description  (AqReportSpec        *self,
                                                const char          *description);
const char    *aq_report_spec_get_author       (AqReportSpec        *self);
void           aq_report_spec_set_author       (AqReportSpec        *self,
                                                const char          *author);
int            aq_report_spec_get_version      (AqReportSpec        *self);
void           aq_report_spec_set_version      (AqReportSpec        *self,
                                                int                  version);
gboolean       aq_report_spec_get_standard     (AqReportSpec        *self);
/* Subtotal rows per row level and total row/columns (both default TRUE for pivots). */
gboolean       aq_report_spec_get_subtotals    (AqReportSpec        *self);
void           aq_report_spec_set_subtotals    (AqReportSpec        *self,
                                                gboolean             subtotals);
gboolean       aq_report_spec_get_totals       (AqReportSpec        *self);
void           aq_report_spec_set_totals       (AqReportSpec        *self,
                                                gboolean             totals);
/* The row limit of a list (0 = none); pivots ignore it. */
guint64        aq_report_spec_get_limit        (AqReportSpec        *self);
void           aq_report_spec_set_limit        (AqReportSpec        *self,
                                                guint64              limit);

/* Zones. @position -1 appends. Indices are 0-based. */
guint          aq_report_spec_get_n_fields     (AqReportSpec        *self,
                                                AqReportZone         zone);
const AqReportField *aq_report_spec_get_field  (AqReportSpec        *self,
                                                AqReportZone         zone,
                                                guint                index);
void           aq_report_spec_add_field        (AqReportSpec        *self,
                                                AqReportZone         zone,
                                                const AqReportField *field,
                                                int                  position);
/* Convenience: a field with just @id (calc none, filter op IN with no values). */
void           aq_report_spec_add              (AqReportSpec        *self,
                                                AqReportZone         zone,
                                                const char          *id,
                                                int                  position);
void           aq_report_spec_replace_field    (AqReportSpec        *self,
                                                AqReportZone         zone,
                                                guint                index,
                                                const AqReportField *field);
void           aq_report_spec_remove_field     (AqReportSpec        *self,
                                                AqReportZone         zone,
                                                guint                index);
/* Moves within a zone or between zones (rows ↔ columns ↔ filters for dimensions). */
void           aq_report_spec_move_field       (AqReportSpec        *self,
                                                AqReportZone         from_zone,
                                                guint                from_index,
                                                AqReportZone         to_zone,
                                                int                  to_position);
void           aq_report_spec_set_value_calc   (AqReportSpec        *self,
                                                guint                value_index,
                                                AqReportCalc         calc);

/* Parameters, sorting, conditional formats: (element-type …) (transfer none). */
GPtrArray     *aq_report_spec_get_params       (AqReportSpec        *self);
const AqReportParam *aq_report_spec_lookup_param (AqReportSpec      *self,
                                                const char          *name);
void           aq_report_spec_add_param        (AqReportSpec        *self,
                                                const AqReportParam *param);
void           aq_report_spec_remove_param     (AqReportSpec        *self,
                                                const char          *name);
GPtrArray     *aq_report_spec_get_sorts        (AqReportSpec        *self);
void           aq_report_spec_add_sort         (AqReportSpec        *self,
                                                const AqReportSort  *sort);
void           aq_report_spec_clear_sorts      (AqReportSpec        *self);
GPtrArray     *aq_report_spec_get_format_rules (AqReportSpec        *self);
void           aq_report_spec_add_format_rule  (AqReportSpec        *self,
                                                const AqReportFormatRule *rule);
void           aq_report_spec_clear_format_rules (AqReportSpec      *self);

/* Checks the spec against @catalog: every id known and in the right zone, every indicator
 * cut only by dimensions it allows (the error names both), parameters well-typed and
 * referenced ones declared, sort and format indices in range, list/pivot rules. Fails with
 * AQ_ERROR_INVALID and a message starting with the field's path, e.g.
 * "rows[1]: indicator “nrw_rate” cannot be cut by dimension “channel”". */
gboolean       aq_report_spec_validate         (AqReportSpec        *self,
                                                AqCatalog           *catalog,
                                                GError             **error);
/* Checks run-time parameter values (name → text) against the declared types and fills in
 * defaults: (transfer full) the complete name → value table, or NULL with AQ_ERROR_INVALID
 * naming the parameter ("parameter “n”: “abc” is not an integer"). Unknown names fail too. */
GHashTable    *aq_report_spec_resolve_params   (AqReportSpec        *self,
                                                GHashTable          *values,
                                                GError             **error);

const char    *aq_report_zone_to_string        (AqReportZone         zone);
gboolean       aq_report_zone_from_string      (const char          *text,
                                                AqReportZone        *zone);
const char    *aq_report_calc_to_string        (AqReportCalc         calc);
gboolean       aq_report_calc_from_string      (const char          *text,
                                                AqReportCalc        *calc);
const char    *aq_report_param_type_to_string  (AqReportParamType    type);
gboolean       aq_report_param_type_from_string (const char         *text,
                                                AqReportParamType   *type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportField, aq_report_field_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportParam, aq_report_param_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportSort, aq_report_sort_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportFormatRule, aq_report_format_rule_free)

G_END_DECLS

/* aq-catalog-private.h — the catalog's SQL side, for the report compiler only
 *
 * Everything here comes from the catalog (shipped JSON or meta.*), never from a spec: these
 * strings are the only identifiers and expressions that reach a report's SQL.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-catalog.h"

G_BEGIN_DECLS

typedef struct
{
  char       *id;
  char       *from_sql;     /* "dm.cube_billing_monthly c" */
  char       *grain;
  char       *detail;       /* (nullable) the list source a drill-down goes to; "self" */
  char      **detail_rows;  /* the drill-down list's columns (dimension ids) */
  char      **detail_values; /* its values (indicator ids); empty: the cell's own indicator */
  GHashTable *dims;         /* dimension id → key expression over the source */
} AqCatalogSource;

/* A named predicate with typed arguments, referenced by a filter of op CONDITION.
 * sql uses {1}, {2} … for the arguments (bound as parameters, cast by type). */
typedef struct
{
  char  *id;
  char  *name_zh;
  char  *name_en;
  char  *source;
  char  *sql;
  char **arg_names;
  char **arg_types;         /* "month" | "integer" | "numeric" | "text" | "date" */
} AqCatalogCondition;

AqIndicator        *_aq_indicator_new_from_json  (JsonObject  *object,
                                                  GError     **error);
const char         *_aq_indicator_get_expr       (AqIndicator *self);   /* sum/count: per row */
const char         *_aq_indicator_get_numerator  (AqIndicator *self);   /* ratio/avg */
const char         *_aq_indicator_get_denominator (AqIndicator *self);  /* ratio/avg */
const char         *_aq_indicator_get_description_zh (AqIndicator *self);
const char         *_aq_indicator_get_description_en (AqIndicator *self);
void                _aq_indicator_set_source     (AqIndicator *self,
                                                  const char  *from_sql,
                                                  const char  *grain,
                                                  const char * const *dims);
JsonObject         *_aq_indicator_to_json        (AqIndicator *self);

AqDimension        *_aq_dimension_new_from_json  (JsonObject  *object,
                                                  GError     **error);
/* The SQL type of the key ("date", "text", "integer"), for casting filter values. */
const char         *_aq_dimension_get_key_type   (AqDimension *self);
/* (nullable) label lookup: table, key column, label column. */
const char         *_aq_dimension_get_label_table  (AqDimension *self);
const char         *_aq_dimension_get_label_key    (AqDimension *self);
const char         *_aq_dimension_get_label_column (AqDimension *self);
/* (nullable) an expression over {k} giving the label, e.g. "to_char({k}, 'YYYY-MM')". */
const char         *_aq_dimension_get_label_expr (AqDimension *self);
/* (nullable) "SELECT key, label FROM … ORDER BY …" for small dimensions. */
const char         *_aq_dimension_get_members_sql (AqDimension *self);
void                _aq_dimension_set_members    (AqDimension *self,
                                                  GPtrArray   *members);
JsonObject         *_aq_dimension_to_json        (AqDimension *self);

AqCatalogSource    *_aq_catalog_lookup_source    (AqCatalog   *self,
                                                  const char  *id);
AqCatalogCondition *_aq_catalog_lookup_condition (AqCatalog   *self,
                                                  const char  *id);
/* (transfer none) (nullable): the key expression of @dimension in @source. */
const char         *_aq_catalog_source_dim_expr  (AqCatalogSource *source,
                                                  const char      *dimension);

void                _aq_dimension_member_free    (AqDimensionMember *member);

/* Picks zh or en by LC_MESSAGES. */
gboolean            _aq_catalog_locale_is_zh     (void);

G_END_DECLS

/* aq-api-table.h — an API picked from a table: the tables and columns the aq_api role may
 * read, and the SQL template the wizard writes from the author's picks (issue 13) */
#pragma once

#include "aq-api.h"

G_BEGIN_DECLS

/* A table or view of dw, dm or masked that aq_api may SELECT from. */
typedef struct
{
  char     *schema;
  char     *name;
  gboolean  view;
  char     *comment;    /* the table's COMMENT, "" when none */
} AqApiTable;

void        aq_api_table_free        (AqApiTable *table);

/* The tables and views of dw, dm and masked that aq_api may read (has_table_privilege(), or
 * a grant on some of its columns), by schema and name. Asked of the warehouse, so a grant
 * added later shows up at once. */
GPtrArray  *aq_api_readable_tables   (AqDb        *db,
                                      GError     **error);

/* A column of such a table that aq_api may read. */
typedef struct
{
  char           *name;
  char           *sql_type;    /* format_type() without the modifier: "bigint", "date" … */
  AqApiParamType  param_type;  /* the type a filter on it is bound as */
  gboolean        native;      /* compared as its own type; otherwise as ::text */
  gboolean        key;         /* the table's one-column primary key */
} AqApiColumn;

void        aq_api_column_free       (AqApiColumn *column);

/* The columns of @schema.@table that aq_api may read (has_column_privilege), in the table's
 * order. An error (AQ_ERROR_NOT_FOUND) when aq_api may read no such table. */
GPtrArray  *aq_api_table_columns     (AqDb        *db,
                                      const char  *schema,
                                      const char  *table,
                                      GError     **error);

/* What a filter compares. */
typedef enum
{
  AQ_API_OP_EQUAL,
  AQ_API_OP_NOT_EQUAL,
  AQ_API_OP_LESS,
  AQ_API_OP_AT_MOST,
  AQ_API_OP_GREATER,
  AQ_API_OP_AT_LEAST,
  AQ_API_OP_STARTS_WITH,   /* text only */
  AQ_API_OP_IN,            /* a list parameter */
} AqApiFilterOp;

#define AQ_API_N_OPS (AQ_API_OP_IN + 1)

/* The operator as the template writes it ("=", "starts with", "in"). */
const char *aq_api_filter_op_symbol  (AqApiFilterOp op);

typedef struct
{
  const char    *column;
  AqApiFilterOp  op;
  gboolean       required;   /* otherwise its clause sits in [[ … ]] */
} AqApiTableFilter;

/* A parameter the template names, as the wizard should declare it. */
typedef struct
{
  char           *name;
  AqApiParamType  type;
  gboolean        required;
} AqApiTableParam;

void        aq_api_table_param_free  (AqApiTableParam *param);

/* The SQL template that answers @selected columns (names of @columns, in @columns' order) of
 * @schema.@table, filtered by @filters — one parameter each, named after its column
 * (“size_dn_from” for ≥, “brand_prefix” for starts with …, unique) — every identifier quoted,
 * every value a :parameter. @out_params gets the parameters (AqApiTableParam) in the
 * template's order. AQ_ERROR_INVALID naming the fault: no column picked, a name that is not a
 * column, starts with on a column that is not text. */
char       *aq_api_table_template    (const char              *schema,
                                      const char              *table,
                                      GPtrArray               *columns,
                                      const char * const      *selected,
                                      const AqApiTableFilter  *filters,
                                      guint                    n_filters,
                                      GPtrArray              **out_params,
                                      GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiTable, aq_api_table_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiColumn, aq_api_column_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiTableParam, aq_api_table_param_free)

G_END_DECLS

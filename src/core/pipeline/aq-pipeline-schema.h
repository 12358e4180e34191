/* aq-pipeline-schema.h — what each step type has: members, their kinds, which are required */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_PIPELINE_MEMBER_TEXT,      /* a string */
  AQ_PIPELINE_MEMBER_SQL,       /* a string of SQL (a statement, a condition, an expression) */
  AQ_PIPELINE_MEMBER_TABLE,     /* “schema.table” */
  AQ_PIPELINE_MEMBER_CHOICE,    /* one of @choices */
  AQ_PIPELINE_MEMBER_BOOLEAN,
  AQ_PIPELINE_MEMBER_COLUMN,    /* the name of a column flowing into the step */
  AQ_PIPELINE_MEMBER_COLUMNS,   /* a list of such names */
  AQ_PIPELINE_MEMBER_TYPE,      /* a PostgreSQL type name */
  AQ_PIPELINE_MEMBER_STRINGS,   /* a list of strings that are not columns (rule names) */
  AQ_PIPELINE_MEMBER_LIST,      /* a list of objects, each with the members @items */
  AQ_PIPELINE_MEMBER_OBJECT,    /* one object with the members @items */
  AQ_PIPELINE_MEMBER_MAPPING,   /* an object of value: replacement */
  AQ_PIPELINE_MEMBER_SCALAR,    /* a string, number, boolean or null */
  AQ_PIPELINE_MEMBER_JSON,      /* anything; checked by the engine (index lists) */
} AqPipelineMemberKind;

typedef struct _AqPipelineMember AqPipelineMember;

struct _AqPipelineMember
{
  const char              *name;       /* NULL ends a list of members */
  AqPipelineMemberKind     kind;
  gboolean                 required;
  gboolean                 allow_empty; /* lists: may be [] */
  const char              *label;      /* N_(): translate with _() */
  const char * const      *choices;    /* CHOICE: NULL-terminated */
  const AqPipelineMember  *items;      /* LIST and OBJECT: the members of each object */
};

typedef struct
{
  const char              *type;        /* as written in the JSON: "table_input" */
  const char              *label;       /* N_() */
  const char              *icon_name;
  const char              *key_member;  /* the setting a card shows */
  guint                    min_inputs;  /* steps whose rows it reads */
  guint                    max_inputs;
  gboolean                 passes_rows; /* whether another step can read its rows */
  const AqPipelineMember  *members;
} AqPipelineStepSchema;

const AqPipelineStepSchema *aq_pipeline_schema_lookup     (const char             *type);
const AqPipelineStepSchema *aq_pipeline_schema_get_all    (guint                  *n_types);
const AqPipelineMember     *aq_pipeline_schema_get_member (const AqPipelineStepSchema *schema,
                                                           const char             *name);
gboolean                    aq_pipeline_schema_is_type_name (const char           *type);

G_END_DECLS

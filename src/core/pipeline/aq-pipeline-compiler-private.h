/* aq-pipeline-compiler-private.h — what the compiler's files share (aq-pipeline-compiler*.c)
 *
 * The compiler is one GObject in two files: aq-pipeline-compiler.c (columns, types and the
 * checks of what flows between steps) and aq-pipeline-compiler-sql.c (the statements each
 * step compiles to). Nothing outside them includes this header.
 */
#pragma once

#include "aq-pipeline-compiler.h"

G_BEGIN_DECLS

struct _AqPipelineCompiler
{
  GObject     parent_instance;
  AqPipeline *pipeline;
  GPtrArray  *columns;      /* per step index: (element-type AqPipelineColumn), or NULL */
  GPtrArray  *watermarks;   /* per step index: the last loaded value, or NULL */
  GPtrArray  *sources;      /* per step index: a table family input's expanded SQL, or NULL */
};

/* The files call these by their short names; the symbols carry the private prefix. */
#define sql_literal _aq_pipeline_compiler_sql_literal
#define strip_statement _aq_pipeline_compiler_strip_statement
#define append_ident _aq_pipeline_compiler_append_ident
#define append_ident_list _aq_pipeline_compiler_append_ident_list
#define column_names _aq_pipeline_compiler_column_names
#define member_string _aq_pipeline_compiler_member_string
#define add_param _aq_pipeline_compiler_add_param

/* aq-pipeline-compiler.c */
char *sql_literal (const char *value);
char *strip_statement (const char *sql);
void append_ident (GString    *sql,
                   const char *prefix,
                   const char *name);
void append_ident_list (GString            *sql,
                        const char         *prefix,
                        const char * const *names);
char **column_names (GPtrArray *columns);
const char *member_string (JsonObject *object,
                           const char *member);
char *add_param (GPtrArray  *params,
                 const char *value);

G_END_DECLS

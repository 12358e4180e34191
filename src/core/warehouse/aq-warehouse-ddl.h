/* aq-warehouse-ddl.h — the migrations as DDL for Greenplum 7 / Cloudberry or Citus */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  AQ_DDL_TARGET_GREENPLUM,   /* Greenplum 7 and Apache Cloudberry: DISTRIBUTED BY / REPLICATED */
  AQ_DDL_TARGET_CITUS,       /* create_distributed_table / create_reference_table */
} AqDdlTarget;

typedef enum
{
  AQ_DDL_DISTRIBUTED,        /* hash-distributed by AqDdlTable.column */
  AQ_DDL_REPLICATED,         /* a copy on every node: Greenplum REPLICATED, Citus reference */
  AQ_DDL_LOCAL,              /* operational (meta, notify): Greenplum REPLICATED, Citus stays
                              * on the coordinator */
} AqDdlPlacement;

typedef struct
{
  char          *schema;
  char          *name;
  char          *file;       /* the migration that creates it */
  GPtrArray     *columns;    /* char *, in order */
  GPtrArray     *keys;       /* GStrv each: the primary key first when there is one, then every
                              * unique constraint and unique index (an expression as written) */
  gboolean       dropped;    /* a later migration drops it */
  AqDdlPlacement placement;
  char          *column;     /* the distribution column when DISTRIBUTED */
  char          *wanted;     /* account_id / customer_id when a key without it forced another
                              * choice (column) or replication; NULL when the rule held */
} AqDdlTable;

void        aq_ddl_table_free          (AqDdlTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqDdlTable, aq_ddl_table_free)

typedef struct
{
  char *file;
  guint line;
  char *construct;           /* as listed by aq_warehouse_ddl_newer_constructs() */
  char *since;               /* the PostgreSQL version that introduced it, e.g. "15" */
} AqDdlFinding;

void        aq_ddl_finding_free        (AqDdlFinding *finding);

gboolean    aq_warehouse_ddl_parse_target (const char  *name,
                                           AqDdlTarget *target,
                                           GError     **error);
const char *aq_warehouse_ddl_target_name  (AqDdlTarget  target);

/* Every table the migrations create, in creation order, with its placement (AqDdlTable *). */
GPtrArray  *aq_warehouse_ddl_tables       (GError     **error);
/* Both from the given texts, for tests: @names and @texts are parallel, NULL-terminated. */
GPtrArray  *aq_warehouse_ddl_tables_from  (const char * const *names,
                                           const char * const *texts);

/* The migrations, in order, with the target's distribution clauses added. */
char       *aq_warehouse_ddl_print        (AqDdlTarget  target,
                                           GError     **error);

/* The constructs newer than PostgreSQL 12 (Greenplum 7's base) looked for, as
 * "construct|since" strings; and where the migrations use any (AqDdlFinding *). */
const char * const *aq_warehouse_ddl_newer_constructs (void);
GPtrArray  *aq_warehouse_ddl_check_portable (GError **error);
GPtrArray  *aq_warehouse_ddl_check_portable_from (const char * const *names,
                                                  const char * const *texts);

G_END_DECLS

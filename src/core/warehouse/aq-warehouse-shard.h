/* aq-warehouse-shard.h — the big account-grain tables hash-partitioned across PostgreSQL shards */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

/* The tables aq_warehouse_shard() moves by default: every dw/dm table the distribution rule
 * (aq-warehouse-ddl.h) distributes by account_id, as "schema.name". */
char   **aq_warehouse_shard_candidates (GError             **error);

/* Moves @tables (NULL: the candidates) of the warehouse behind @db into tables partitioned by
 * hash of account_id whose partitions are postgres_fdw foreign tables on @shard_conninfos (one
 * partition per shard, async_capable), with the same columns, indexes, grants and the views
 * over them; turns on partitionwise aggregates and joins for the database. Needs a superuser
 * (servers, user mappings). @n_rows (optional): rows moved. */
gboolean aq_warehouse_shard          (AqDb                *db,
                                      const char * const  *shard_conninfos,
                                      const char * const  *tables,
                                      gint64              *n_rows,
                                      GError             **error);

G_END_DECLS

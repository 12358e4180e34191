/* aq-warehouse-shard.c — the big account-grain tables hash-partitioned across PostgreSQL shards
 *
 * What can be run on plain PostgreSQL when one machine is outgrown: each big table distributed
 * by account_id (the rule of aq-warehouse-ddl.c, so its keys hold account_id and each shard can
 * enforce them alone) becomes a table PARTITION BY HASH (account_id) whose partitions are
 * postgres_fdw foreign tables, one per shard server (async_capable, so an Append over them
 * scans the shards at once; with enable_partitionwise_aggregate/join the planner pushes a
 * GROUP BY or a join of two such tables down to each shard). The coordinator keeps every other
 * table, the catalog and the views; the views over a moved table are re-created as they were,
 * with their grants, so every query reads the same names. The shard's table has the same
 * columns and indexes (its primary key included); the coordinator's partitioned table has none
 * (PostgreSQL builds no index on a foreign partition).
 *
 * The moves run in one coordinator transaction; each shard's DDL commits on its own
 * connection, so a failed move leaves the coordinator as it was and the shards with empty
 * tables a second run replaces. A test-bench and small-site tool, not an online migration.
 */
#define G_LOG_DOMAIN "aq-warehouse-shard"

#include "aq-warehouse-shard.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-error.h"
#include "aq-warehouse-ddl.h"

char **
aq_warehouse_shard_candidates (GError **error)
{
  g_autoptr(GPtrArray) tables = aq_warehouse_ddl_tables (error);
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  if (tables == NULL)
    return NULL;
  for (guint i = 0; i < tables->len; i++)
    {
      AqDdlTable *t = tables->pdata[i];

      if (!t->dropped && t->placement == AQ_DDL_DISTRIBUTED
          && g_strcmp0 (t->column, "account_id") == 0)
        {
          g_autofree char *name = g_strdup_printf ("%s.%s", t->schema, t->name);

          g_strv_builder_add (out, name);
        }
    }
  return g_strv_builder_end (out);
}

/* Runs every statement a query generated (one per row, first column). */
static gboolean
run_generated (AqDb               *db,
               const char         *sql,
               int                 n_params,
               const char * const *params,
               GError            **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, sql, n_params, params, error);

  if (res == NULL)
    return FALSE;
  for (int r = 0; r < PQntuples (res); r++)
    if (!PQgetisnull (res, r, 0) && !aq_db_exec (db, PQgetvalue (res, r, 0), error))
      return FALSE;
  return TRUE;
}

/* The GRANT statements that give @oid's (a table or view's) current table and column
 * privileges to @name, as text lines. */
static const char grants_sql[] =
  "SELECT format('GRANT %s ON %s TO %s%s', a.privilege_type, $2::text, "
  "              CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) "
  "              END, CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) "
  "FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = $1::oid "
  "UNION ALL "
  "SELECT format('GRANT %s (%I) ON %s TO %s%s', a.privilege_type, t.attname, $2::text, "
  "              CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) "
  "              END, CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END) "
  "FROM pg_attribute t, aclexplode(t.attacl) a "
  "WHERE t.attrelid = $1::oid AND t.attnum > 0 AND NOT t.attisdropped "
  "UNION ALL "
  "SELECT format('COMMENT ON %s %s IS %L', CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, "
  "              $2::text, d.description) "
  "FROM pg_class c JOIN pg_description d ON d.objoid = c.oid AND d.objsubid = 0 "
  "WHERE c.oid = $1::oid "
  "UNION ALL "
  "SELECT format('COMMENT ON COLUMN %s.%I IS %L', $2::text, t.attname, d.description) "
  "FROM pg_attribute t JOIN pg_description d ON d.objoid = t.attrelid AND d.objsubid = t.attnum "
  "WHERE t.attrelid = $1::oid";

/* Revokes whatever a new relation @name got (the event trigger of 010_roles grants by rule)
 * so that @grants (from grants_sql on the old one) make its privileges exactly the old ones. */
static gboolean
restore_grants (AqDb       *db,
                const char *name,
                PGresult   *grants,
                GError    **error)
{
  const char *params[] = { name };

  if (!run_generated (db,
                      "SELECT format('REVOKE ALL ON %s FROM %s', $1::text, "
                      "  CASE a.grantee WHEN 0 THEN 'PUBLIC' "
                      "       ELSE quote_ident(pg_get_userbyid(a.grantee)) END) "
                      "FROM pg_class c, aclexplode(c.relacl) a "
                      "WHERE c.oid = $1::regclass AND a.grantee <> c.relowner "
                      "GROUP BY a.grantee", 1, params, error))
    return FALSE;
  for (int r = 0; r < PQntuples (grants); r++)
    if (!aq_db_exec (db, PQgetvalue (grants, r, 0), error))
      return FALSE;
  return TRUE;
}

typedef struct
{
  char     *name;       /* quoted schema.name */
  char     *create;     /* CREATE VIEW … */
  char     *owner;
  PGresult *grants;
} SavedView;

static void
saved_view_free (gpointer data)
{
  SavedView *v = data;

  g_free (v->name);
  g_free (v->create);
  g_free (v->owner);
  PQclear (v->grants);
  g_free (v);
}

/* Every view that reads @regclasses (directly or through other views), oldest first. */
static GPtrArray *
save_views (AqDb        *db,
            const char  *regclasses,   /* a text[] literal of the tables */
            GError     **error)
{
  const char *params[] = { regclasses };
  g_autoptr(GPtrArray) views = g_ptr_array_new_with_free_func (saved_view_free);
  g_autoptr(PGresult) res = NULL;

  res = aq_db_query (db,
                     "WITH RECURSIVE dep (oid) AS ("
                     "  SELECT r.ev_class FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid "
                     "  WHERE d.classid = 'pg_rewrite'::regclass "
                     "    AND d.refobjid = ANY (SELECT t::regclass::oid FROM unnest($1::text[]) t) "
                     "    AND r.ev_class <> d.refobjid "
                     "  UNION "
                     "  SELECT r.ev_class FROM dep JOIN pg_depend d ON d.refobjid = dep.oid "
                     "    AND d.classid = 'pg_rewrite'::regclass "
                     "  JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class <> dep.oid) "
                     "SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relkind, "
                     "  format('CREATE VIEW %I.%I%s AS %s', n.nspname, c.relname, "
                     "         CASE WHEN c.reloptions IS NOT NULL "
                     "              THEN ' WITH (' || array_to_string(c.reloptions, ', ') || ')' "
                     "              ELSE '' END, pg_get_viewdef(c.oid)), "
                     "  quote_ident(pg_get_userbyid(c.relowner)) "
                     "FROM (SELECT DISTINCT oid FROM dep) x JOIN pg_class c ON c.oid = x.oid "
                     "JOIN pg_namespace n ON n.oid = c.relnamespace ORDER BY c.oid",
                     1, params, error);
  if (res == NULL)
    return NULL;
  for (int r = 0; r < PQntuples (res); r++)
    {
      SavedView *v = g_new0 (SavedView, 1);
      const char *gparams[2] = { PQgetvalue (res, r, 0), PQgetvalue (res, r, 1) };

      g_ptr_array_add (views, v);
      if (strcmp (PQgetvalue (res, r, 2), "v") != 0)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                       _("%s reads a table to be sharded and is not a plain view"),
                       PQgetvalue (res, r, 1));
          return NULL;
        }
      v->name = g_strdup (PQgetvalue (res, r, 1));
      v->create = g_strdup (PQgetvalue (res, r, 3));
      v->owner = g_strdup (PQgetvalue (res, r, 4));
      v->grants = aq_db_query (db, grants_sql, 2, gparams, error);
      if (v->grants == NULL)
        return NULL;
    }
  return g_steal_pointer (&views);
}

static gboolean
connect_shards (const char * const *conninfos,
                GPtrArray          *shards,
                GError            **error)
{
  for (guint i = 0; conninfos[i]; i++)
    {
      AqDb *shard = aq_db_connect (conninfos[i], error);

      if (shard == NULL)
        {
          g_prefix_error (error, _("Shard %u cannot be reached: "), i + 1);
          return FALSE;
        }
      g_ptr_array_add (shards, shard);
    }
  return TRUE;
}

/* A foreign server and a user mapping per shard, from its conninfo. */
static gboolean
create_servers (AqDb               *db,
                const char * const *conninfos,
                GError            **error)
{
  if (!aq_db_exec (db, "CREATE EXTENSION IF NOT EXISTS postgres_fdw", error))
    return FALSE;
  for (guint i = 0; conninfos[i]; i++)
    {
      g_autofree char *server = g_strdup_printf ("aq_shard_%u", i);
      g_autofree char *drop = g_strdup_printf ("DROP SERVER IF EXISTS %s CASCADE", server);
      g_autoptr(GString) options = g_string_new ("async_capable 'true', fetch_size '10000', "
                                                 "batch_size '1000'");
      g_autoptr(GString) mapping = g_string_new ("password_required 'false'");
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) args = g_string_new (NULL);
      g_autofree char *sql = NULL;
      g_autofree char *stmt = NULL;
      char *perr = NULL;
      PQconninfoOption *opts = PQconninfoParse (conninfos[i], &perr);

      if (opts == NULL)
        {
          g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Shard %u: %s"), i + 1,
                       perr ? perr : "");
          PQfreemem (perr);
          return FALSE;
        }
      g_ptr_array_add (values, g_strdup (server));
      for (PQconninfoOption *o = opts; o->keyword; o++)
        {
          gboolean server_opt = g_strv_contains ((const char *[]) { "host", "hostaddr", "port",
                                                                    "dbname", "sslmode", NULL },
                                                 o->keyword);
          gboolean user_opt = g_strv_contains ((const char *[]) { "user", "password", NULL },
                                               o->keyword);

          if (o->val == NULL || *o->val == '\0' || !(server_opt || user_opt))
            continue;
          g_ptr_array_add (values, g_strdup (o->val));
          /* every value by its position in format(): $1 is the server's name */
          g_string_append_printf (server_opt ? options : mapping, ", %s %%%u$L", o->keyword,
                                  values->len);
        }
      PQconninfoFree (opts);
      if (!aq_db_exec (db, drop, error))
        return FALSE;
      for (guint k = 0; k < values->len; k++)
        g_string_append_printf (args, ", $%u::text", k + 1);
      sql = g_strdup_printf ("SELECT format($fmt$CREATE SERVER %%1$I FOREIGN DATA WRAPPER "
                             "postgres_fdw OPTIONS (%s); CREATE USER MAPPING FOR PUBLIC SERVER "
                             "%%1$I OPTIONS (%s)$fmt$%s)", options->str, mapping->str, args->str);
      stmt = aq_db_query_string (db, sql, values->len,
                                 (const char * const *) values->pdata, error);
      if (stmt == NULL || !aq_db_exec (db, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* The shard's own copy of @table's shape: columns, NOT NULL, every index (the key included). */
static gboolean
create_on_shards (AqDb       *db,
                  GPtrArray  *shards,
                  const char *table,
                  GError    **error)
{
  const char *params[] = { table };
  g_autofree char *columns = NULL;
  g_autoptr(PGresult) indexes = NULL;
  g_autoptr(PGresult) extensions = NULL;

  columns = aq_db_query_string (db,
                                "SELECT string_agg(format('%I %s%s', attname, "
                                "  format_type(atttypid, atttypmod), "
                                "  CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END), ', ' "
                                "  ORDER BY attnum) "
                                "FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 "
                                "  AND NOT attisdropped", 1, params, error);
  if (columns == NULL)
    return FALSE;
  indexes = aq_db_query (db, "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
                             "WHERE indrelid = $1::regclass ORDER BY indisprimary DESC, indexrelid",
                         1, params, error);
  extensions = aq_db_query (db, "SELECT format('CREATE EXTENSION IF NOT EXISTS %I', extname) "
                                "FROM pg_extension WHERE extname IN ('postgis', 'pg_trgm')",
                            0, NULL, error);
  if (indexes == NULL || extensions == NULL)
    return FALSE;
  for (guint s = 0; s < shards->len; s++)
    {
      AqDb *shard = shards->pdata[s];
      g_autofree char *schema = NULL;
      g_autofree char *ddl = NULL;

      schema = aq_db_query_string (db, "SELECT format('CREATE SCHEMA IF NOT EXISTS %I', "
                                       "  relnamespace::regnamespace::text) "
                                       "FROM pg_class WHERE oid = $1::regclass",
                                   1, params, error);
      ddl = g_strdup_printf ("DROP TABLE IF EXISTS %s; CREATE TABLE %s (%s)", table, table,
                             columns);
      if (schema == NULL || !aq_db_exec (shard, schema, error))
        return FALSE;
      for (int r = 0; r < PQntuples (extensions); r++)
        if (!aq_db_exec (shard, PQgetvalue (extensions, r, 0), error))
          return FALSE;
      if (!aq_db_exec (shard, ddl, error))
        return FALSE;
      for (int r = 0; r < PQntuples (indexes); r++)
        if (!aq_db_exec (shard, PQgetvalue (indexes, r, 0), error))
          return FALSE;
    }
  return TRUE;
}

/* Within the coordinator's transaction: @table becomes a hash-partitioned table over the
 * shards, its rows moved, its privileges and comments as before. */
static gboolean
move_table (AqDb       *db,
            guint       n_shards,
            const char *table,
            gint64     *n_rows,
            GError    **error)
{
  const char *params[] = { table };
  g_autoptr(PGresult) info = NULL;
  g_autoptr(PGresult) grants = NULL;
  g_autofree char *old = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *parent = NULL;
  const char *schema, *name, *owner;

  info = aq_db_query (db, "SELECT n.nspname, c.relname, quote_ident(pg_get_userbyid(c.relowner)),"
                          "  c.oid, c.relkind "
                          "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                          "WHERE c.oid = $1::regclass", 1, params, error);
  if (info == NULL)
    return FALSE;
  if (strcmp (PQgetvalue (info, 0, 4), "r") != 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s is not a plain table (is it sharded already?)"), table);
      return FALSE;
    }
  schema = PQgetvalue (info, 0, 0);
  name = PQgetvalue (info, 0, 1);
  owner = PQgetvalue (info, 0, 2);
  {
    const char *gparams[] = { PQgetvalue (info, 0, 3), table };

    grants = aq_db_query (db, grants_sql, 2, gparams, error);
    if (grants == NULL)
      return FALSE;
  }
  {
    g_autofree char *qs = aq_db_quote_ident (schema);
    g_autofree char *qold = NULL;
    g_autofree char *oldname = g_strdup_printf ("%s_unsharded", name);

    qold = aq_db_quote_ident (oldname);
    old = g_strdup_printf ("%s.%s", qs, qold);
    sql = g_strdup_printf ("ALTER TABLE %s RENAME TO %s; "
                           "CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS) "
                           "PARTITION BY HASH (account_id); ALTER TABLE %s OWNER TO %s",
                           table, qold, table, old, table, owner);
  }
  if (!aq_db_exec (db, sql, error))
    return FALSE;
  for (guint s = 0; s < n_shards; s++)
    {
      g_autofree char *part = g_strdup_printf ("%s_shard%u", name, s);
      g_autofree char *modulus = g_strdup_printf ("%u", n_shards);
      g_autofree char *remainder = g_strdup_printf ("%u", s);
      g_autofree char *server = g_strdup_printf ("aq_shard_%u", s);
      g_autofree char *stmt = NULL;

      stmt = aq_db_query_string (db,
                                 "SELECT format('CREATE FOREIGN TABLE %I.%I PARTITION OF %I.%I "
                                 "FOR VALUES WITH (MODULUS %s, REMAINDER %s) SERVER %I "
                                 "OPTIONS (schema_name %L, table_name %L)', "
                                 "$1::text, $3::text, $1::text, $2::text, $4::int, $5::int, "
                                 "$6::text, $1::text, $2::text)",
                                 6, (const char *[]) { schema, name, part, modulus, remainder,
                                                       server }, error);
      if (stmt == NULL || !aq_db_exec (db, stmt, error))
        return FALSE;
    }
  /* straight into each shard's partition, so postgres_fdw batches the rows (batch_size); no
   * RETURNING, which would send them one by one */
  parent = aq_db_query_string (db, "SELECT $1::regclass::oid", 1, params, error);
  if (parent == NULL)
    return FALSE;
  for (guint s = 0; s < n_shards; s++)
    {
      g_autofree char *insert = NULL;
      g_autofree char *qpart = NULL;
      g_autofree char *part = g_strdup_printf ("%s_shard%u", name, s);
      g_autofree char *qs = aq_db_quote_ident (schema);
      g_autoptr(PGresult) res = NULL;

      qpart = aq_db_quote_ident (part);
      insert = g_strdup_printf ("INSERT INTO %s.%s SELECT * FROM %s "
                                "WHERE satisfies_hash_partition(%s::oid, %u, %u, account_id)",
                                qs, qpart, old, parent, n_shards, s);
      res = aq_db_query (db, insert, 0, NULL, error);
      if (res == NULL)
        return FALSE;
      if (n_rows)
        *n_rows += g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
    }
  g_free (sql);
  sql = g_strdup_printf ("DROP TABLE %s", old);
  if (!aq_db_exec (db, sql, error) || !restore_grants (db, table, grants, error))
    return FALSE;
  return TRUE;
}

gboolean
aq_warehouse_shard (AqDb                *db,
                    const char * const  *shard_conninfos,
                    const char * const  *tables,
                    gint64              *n_rows,
                    GError             **error)
{
  g_auto(GStrv) candidates = NULL;
  g_autoptr(GPtrArray) shards = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) views = NULL;
  g_autoptr(GString) array = g_string_new ("{");
  g_autofree char *database = NULL;
  g_autofree char *settings = NULL;
  guint n_shards = shard_conninfos ? g_strv_length ((char **) shard_conninfos) : 0;

  if (n_rows)
    *n_rows = 0;
  if (n_shards < 2)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Sharding needs at least two shards"));
      return FALSE;
    }
  if (tables == NULL)
    {
      candidates = aq_warehouse_shard_candidates (error);
      if (candidates == NULL)
        return FALSE;
      tables = (const char * const *) candidates;
    }
  for (guint i = 0; tables[i]; i++)
    g_string_append_printf (array, "%s\"%s\"", i ? "," : "", tables[i]);
  g_string_append_c (array, '}');

  if (!connect_shards (shard_conninfos, shards, error))
    return FALSE;
  for (guint i = 0; tables[i]; i++)
    if (!create_on_shards (db, shards, tables[i], error))
      return FALSE;

  if (!aq_db_begin (db, error))
    return FALSE;
  if (!create_servers (db, shard_conninfos, error)
      || (views = save_views (db, array->str, error)) == NULL)
    goto fail;
  for (guint v = views->len; v > 0; v--)
    {
      g_autofree char *drop = g_strdup_printf ("DROP VIEW %s",
                                               ((SavedView *) views->pdata[v - 1])->name);

      if (!aq_db_exec (db, drop, error))
        goto fail;
    }
  for (guint i = 0; tables[i]; i++)
    if (!move_table (db, n_shards, tables[i], n_rows, error))
      goto fail;
  for (guint v = 0; v < views->len; v++)
    {
      SavedView *view = views->pdata[v];
      g_autofree char *owner = g_strdup_printf ("ALTER VIEW %s OWNER TO %s", view->name,
                                                view->owner);

      if (!aq_db_exec (db, view->create, error) || !aq_db_exec (db, owner, error)
          || !restore_grants (db, view->name, view->grants, error))
        goto fail;
    }
  database = aq_db_query_string (db, "SELECT quote_ident(current_database())", 0, NULL, error);
  if (database == NULL)
    goto fail;
  settings = g_strdup_printf ("ALTER DATABASE %s SET enable_partitionwise_aggregate = on; "
                              "ALTER DATABASE %s SET enable_partitionwise_join = on; "
                              "SET enable_partitionwise_aggregate = on; "
                              "SET enable_partitionwise_join = on",
                              database, database);
  if (!aq_db_exec (db, settings, error) || !aq_db_commit (db, error))
    goto fail;

  /* statistics: the shards' own, then the coordinator's samples through the servers */
  for (guint i = 0; tables[i]; i++)
    {
      g_autofree char *analyze = g_strdup_printf ("ANALYZE %s", tables[i]);

      for (guint s = 0; s < shards->len; s++)
        if (!aq_db_exec (shards->pdata[s], analyze, error))
          return FALSE;
      if (!aq_db_exec (db, analyze, error))
        return FALSE;
    }
  return TRUE;

fail:
  aq_db_rollback (db);
  g_prefix_error (error, _("Sharding failed, the warehouse is unchanged: "));
  return FALSE;
}

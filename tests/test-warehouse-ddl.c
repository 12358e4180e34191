/* test-warehouse-ddl.c — `warehouse ddl` for Greenplum / Citus: the placement rule, every key
 * holding its distribution column (checked against a migrated warehouse's own catalog, not the
 * parser), no syntax newer than PostgreSQL 12 in the migrations, and the CLI */
#include "aq-test-util.h"

#include <stdlib.h>
#include <string.h>

static AqDdlTable *
find (GPtrArray  *tables,
      const char *schema,
      const char *name)
{
  for (guint i = 0; i < tables->len; i++)
    {
      AqDdlTable *t = tables->pdata[i];

      if (!t->dropped && strcmp (t->schema, schema) == 0 && strcmp (t->name, name) == 0)
        return t;
    }
  return NULL;
}

/* The parser on a made-up migration: keys, later ALTERs and renames, comments and strings. */
static void
test_parse_synthetic (void)
{
  const char *names[] = { "001_a.sql", "002_b.sql", NULL };
  const char *texts[] = {
    "-- CREATE TABLE dw.in_comment (account_id text PRIMARY KEY);\n"
    "CREATE TABLE dw.a (account_id text NOT NULL, x int, note text DEFAULT 'a;b',\n"
    "  PRIMARY KEY (account_id, x));\n"
    "CREATE TABLE dw.b (id bigint PRIMARY KEY, account_id text);\n"
    "CREATE TABLE dw.c (code text PRIMARY KEY, name text CHECK (name <> ''));\n"
    "CREATE TABLE dm.d (customer_id text NOT NULL, k int, j int);\n"
    "CREATE UNIQUE INDEX d_k_idx ON dm.d (k, j);\n"
    "CREATE TABLE meta.m (id int PRIMARY KEY, account_id text);\n"
    "DO $$ BEGIN EXECUTE 'CREATE TABLE dw.in_string (x int)'; END $$;\n"
    "CREATE TABLE dw.gone (account_id text);\n",
    "ALTER TABLE dw.b DROP CONSTRAINT b_pkey, ADD PRIMARY KEY (account_id, id);\n"
    "ALTER TABLE dw.c RENAME TO c2;\n"
    "ALTER TABLE dw.c2 ADD COLUMN customer_id text;\n"
    "DROP TABLE IF EXISTS dw.gone;\n"
    "CREATE TABLE dw.e (customer_id text, u text UNIQUE, v text, CONSTRAINT e_v UNIQUE (v));\n",
    NULL };
  g_autoptr(GPtrArray) tables = aq_warehouse_ddl_tables_from (names, texts);
  AqDdlTable *t;

  g_assert_cmpuint (tables->len, ==, 7);   /* a b c d m gone e; nothing from comment/string */
  g_assert_null (find (tables, "dw", "in_comment"));
  g_assert_null (find (tables, "dw", "in_string"));
  g_assert_null (find (tables, "dw", "gone"));

  t = find (tables, "dw", "a");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->columns->len, ==, 3);
  g_assert_cmpint (t->placement, ==, AQ_DDL_DISTRIBUTED);
  g_assert_cmpstr (t->column, ==, "account_id");
  g_assert_null (t->wanted);

  /* the key moved by a later migration: the final key decides */
  t = find (tables, "dw", "b");
  g_assert_cmpuint (t->keys->len, ==, 1);
  g_assert_cmpint (t->placement, ==, AQ_DDL_DISTRIBUTED);
  g_assert_cmpstr (t->column, ==, "account_id");

  /* renamed, then given a customer_id its key (code) lacks: distributed by the key */
  g_assert_null (find (tables, "dw", "c"));
  t = find (tables, "dw", "c2");
  g_assert_nonnull (t);
  g_assert_cmpint (t->placement, ==, AQ_DDL_DISTRIBUTED);
  g_assert_cmpstr (t->column, ==, "code");
  g_assert_cmpstr (t->wanted, ==, "customer_id");

  /* a unique index without customer_id: the first column every key holds */
  t = find (tables, "dm", "d");
  g_assert_cmpint (t->placement, ==, AQ_DDL_DISTRIBUTED);
  g_assert_cmpstr (t->column, ==, "k");
  g_assert_cmpstr (t->wanted, ==, "customer_id");

  /* two unique keys sharing no column: replicated */
  t = find (tables, "dw", "e");
  g_assert_cmpuint (t->keys->len, ==, 2);
  g_assert_cmpint (t->placement, ==, AQ_DDL_REPLICATED);
  g_assert_cmpstr (t->wanted, ==, "customer_id");

  t = find (tables, "meta", "m");
  g_assert_cmpint (t->placement, ==, AQ_DDL_LOCAL);
}

static void
test_portable_scanner (void)
{
  const char *names[] = { "x.sql", NULL };
  const char *texts[] = {
    "-- MERGE INTO in a comment is fine\n"
    "SELECT 'NULLS NOT DISTINCT in a string is fine';\n"
    "MERGE INTO dw.t USING s ON true WHEN MATCHED THEN DO NOTHING;\n"
    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT regexp_count('a', 'a') $$;\n"
    "CREATE UNIQUE INDEX ON dw.t (a) NULLS NOT DISTINCT;\n",
    NULL };
  g_autoptr(GPtrArray) findings = aq_warehouse_ddl_check_portable_from (names, texts);
  guint lines = 0;

  g_assert_cmpuint (findings->len, ==, 3);
  for (guint i = 0; i < findings->len; i++)
    {
      AqDdlFinding *f = findings->pdata[i];

      g_assert_cmpstr (f->file, ==, "x.sql");
      lines |= 1u << f->line;
      if (f->line == 3)
        g_assert_cmpstr (f->construct, ==, "MERGE");
    }
  g_assert_cmpuint (lines, ==, (1u << 3) | (1u << 4) | (1u << 5));
}

/* The real migrations use nothing newer than PostgreSQL 14 (Cloudberry's base, Citus runs on
 * 15 and later); what needs 13 or 14 is listed (Greenplum 7 is 12: the DDL adds pgcrypto for
 * gen_random_uuid). */
static void
test_migrations_portable (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = aq_warehouse_ddl_check_portable (&error);
  const char * const *list = aq_warehouse_ddl_newer_constructs ();
  g_autoptr(GString) checked = g_string_new (NULL);
  guint n_15 = 0;

  g_assert_no_error (error);
  for (guint i = 0; list[i]; i++)
    g_string_append_printf (checked, "%s%s", i ? "; " : "", list[i]);
  g_test_message ("constructs checked (name|since): %s", checked->str);
  g_assert_cmpuint (g_strv_length ((char **) list), >=, 25);
  for (guint i = 0; i < findings->len; i++)
    {
      AqDdlFinding *f = findings->pdata[i];

      g_test_message ("%s:%u uses %s (PostgreSQL %s)", f->file, f->line, f->construct, f->since);
      if (atoi (f->since) >= 15)
        n_15++;
    }
  g_assert_cmpuint (n_15, ==, 0);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* "a,b" sorted, an expression as <expr> */
static char *
key_string (char **cols)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  for (char **c = cols; *c; c++)
    g_ptr_array_add (parts, strpbrk (*c, "( ") ? "<expr>" : *c);
  g_ptr_array_sort (parts, compare_strings);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (",", (char **) parts->pdata);
}

/* What the parser follows through the migrations is what a migrated warehouse holds (dw, dm),
 * and on that catalog every distributed table's keys hold its column. */
static void
test_keys_against_catalog (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_warehouse_ddl", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = aq_warehouse_ddl_tables (&error);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GString) exceptions = g_string_new (NULL);
  guint n_dw_dm = 0;
  guint n_distributed = 0;
  guint n_replicated = 0;

  g_assert_no_error (error);
  res = aq_db_query (db,
                     "SELECT n.nspname, c.relname, "
                     "  (SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_attribute "
                     "   WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped), "
                     "  coalesce((SELECT string_agg(k, ';' ORDER BY k COLLATE \"C\") FROM ("
                     "    SELECT concat_ws(',', (SELECT string_agg(a.attname, ',' "
                     "                                             ORDER BY a.attname) "
                     "                           FROM unnest(i.indkey) ik "
                     "                           JOIN pg_attribute a ON a.attrelid = c.oid "
                     "                                              AND a.attnum = ik), "
                     "                          CASE WHEN i.indexprs IS NOT NULL "
                     "                               THEN '<expr>' END) AS k "
                     "    FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique) s), '') "
                     "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname IN ('dw', 'dm') AND c.relkind IN ('r', 'p') "
                     "  AND NOT c.relispartition "
                     "ORDER BY 1, 2", 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (PQntuples (res), >, 30);

  for (int r = 0; r < PQntuples (res); r++)
    {
      const char *schema = PQgetvalue (res, r, 0);
      const char *name = PQgetvalue (res, r, 1);
      const char *cols = PQgetvalue (res, r, 2);
      const char *keys = PQgetvalue (res, r, 3);
      AqDdlTable *t = find (tables, schema, name);
      g_autoptr(GPtrArray) parsed_cols = g_ptr_array_new ();
      g_autoptr(GPtrArray) parsed_keys = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *parsed_cols_s = NULL;
      g_autofree char *parsed_keys_s = NULL;
      g_auto(GStrv) catalog_keys = *keys ? g_strsplit (keys, ";", -1) : g_new0 (char *, 1);
      gboolean has_account = FALSE;
      gboolean has_customer = FALSE;

      if (t == NULL)
        g_error ("%s.%s is in the warehouse but not followed through the migrations",
                 schema, name);
      for (guint i = 0; i < t->columns->len; i++)
        g_ptr_array_add (parsed_cols, t->columns->pdata[i]);
      g_ptr_array_sort (parsed_cols, compare_strings);
      g_ptr_array_add (parsed_cols, NULL);
      parsed_cols_s = g_strjoinv (",", (char **) parsed_cols->pdata);
      if (g_strcmp0 (parsed_cols_s, cols) != 0)
        g_error ("%s.%s: columns %s in the warehouse, %s parsed", schema, name, cols,
                 parsed_cols_s);
      for (guint i = 0; i < t->keys->len; i++)
        g_ptr_array_add (parsed_keys, key_string (t->keys->pdata[i]));
      g_ptr_array_sort (parsed_keys, compare_strings);
      g_ptr_array_add (parsed_keys, NULL);
      parsed_keys_s = g_strjoinv (";", (char **) parsed_keys->pdata);
      if (g_strcmp0 (parsed_keys_s, keys) != 0)
        g_error ("%s.%s: keys %s in the warehouse, %s parsed", schema, name, keys,
                 parsed_keys_s);

      /* the rule, from the catalog alone */
      {
        g_auto(GStrv) split = g_strsplit (cols, ",", -1);

        has_account = g_strv_contains ((const char * const *) split, "account_id");
        has_customer = g_strv_contains ((const char * const *) split, "customer_id");
      }
      if (t->placement == AQ_DDL_DISTRIBUTED)
        {
          n_distributed++;
          for (char **k = catalog_keys; *k; k++)
            {
              g_auto(GStrv) kc = g_strsplit (*k, ",", -1);

              if (!g_strv_contains ((const char * const *) kc, t->column))
                g_error ("%s.%s is distributed by %s but its key (%s) lacks it", schema, name,
                         t->column, *k);
            }
          if (t->wanted == NULL)
            g_assert_cmpstr (t->column, ==, has_account ? "account_id" : "customer_id");
        }
      else
        {
          g_assert_cmpint (t->placement, ==, AQ_DDL_REPLICATED);
          n_replicated++;
          if (t->wanted == NULL)
            g_assert_false (has_account || has_customer);
        }
      if (t->wanted)
        {
          gboolean every = TRUE;

          /* an exception only when the catalog's keys really lack the wanted column */
          for (char **k = catalog_keys; *k; k++)
            {
              g_auto(GStrv) kc = g_strsplit (*k, ",", -1);

              every &= g_strv_contains ((const char * const *) kc, t->wanted);
            }
          g_assert_false (every);
          g_assert_cmpstr (t->wanted, ==, has_account ? "account_id" : "customer_id");
          g_string_append_printf (exceptions, "\n  %s.%s: %s not in key (%s) → %s %s", schema,
                                  name, t->wanted, keys,
                                  t->placement == AQ_DDL_DISTRIBUTED ? "distributed by"
                                                                     : "replicated",
                                  t->column ? t->column : "");
        }
      n_dw_dm++;
    }
  g_test_message ("%u dw/dm tables: %u distributed, %u replicated; keys without the rule's "
                  "column:%s", n_dw_dm, n_distributed, n_replicated, exceptions->str);

  /* and nothing parsed that the warehouse does not hold */
  for (guint i = 0; i < tables->len; i++)
    {
      AqDdlTable *t = tables->pdata[i];
      gboolean seen = FALSE;

      if (t->dropped || (strcmp (t->schema, "dw") != 0 && strcmp (t->schema, "dm") != 0))
        continue;
      for (int r = 0; r < PQntuples (res) && !seen; r++)
        seen = strcmp (PQgetvalue (res, r, 0), t->schema) == 0
               && strcmp (PQgetvalue (res, r, 1), t->name) == 0;
      if (!seen)
        g_error ("%s.%s parsed but not in the warehouse", t->schema, t->name);
    }
  /* the facts the 360 and the reports read by account are distributed by it */
  g_assert_cmpstr (find (tables, "dw", "fact_bill")->column, ==, "account_id");
  g_assert_cmpstr (find (tables, "dw", "fact_payment")->column, ==, "account_id");
  g_assert_cmpstr (find (tables, "dw", "dim_account")->column, ==, "account_id");
  g_assert_cmpint (find (tables, "dw", "dim_tariff")->placement, ==, AQ_DDL_REPLICATED);
}

/* The Citus DDL runs as it is printed, in one transaction, on PostgreSQL with the two Citus
 * functions stubbed to record their calls: one call per dw/dm table, as placed, and the
 * warehouse it makes is one `migrate` finds complete. */
static void
test_citus_applies (void)
{
  g_autoptr(AqDb) db = aq_test_db_new ("t_warehouse_ddl_citus", FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = aq_warehouse_ddl_tables (&error);
  g_autofree char *ddl = aq_warehouse_ddl_print (AQ_DDL_TARGET_CITUS, &error);
  g_autoptr(GString) script = NULL;
  const char *ext = "CREATE EXTENSION IF NOT EXISTS citus;";
  guint applied = 99;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (ddl, ext));
  script = g_string_new (ddl);
  g_string_replace (script, ext,
                    "CREATE TABLE public.placement (tbl regclass, col text);"
                    "CREATE FUNCTION create_distributed_table(t regclass, c text) RETURNS void "
                    "LANGUAGE sql AS $$ INSERT INTO public.placement VALUES (t, c) $$;"
                    "CREATE FUNCTION create_reference_table(t regclass) RETURNS void "
                    "LANGUAGE sql AS $$ INSERT INTO public.placement VALUES (t, NULL) $$;", 1);
  g_assert_true (aq_db_begin (db, &error));
  aq_db_exec (db, script->str, &error);
  g_assert_no_error (error);
  g_assert_true (aq_db_commit (db, &error));

  for (guint i = 0; i < tables->len; i++)
    {
      AqDdlTable *t = tables->pdata[i];
      g_autofree char *name = g_strdup_printf ("%s.%s", t->schema, t->name);
      g_autofree char *col = NULL;

      if (t->dropped)
        continue;
      if (t->placement == AQ_DDL_LOCAL)
        {
          g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM public.placement "
                                               "WHERE tbl = $1::regclass", name), ==, 0);
          continue;
        }
      g_assert_cmpint (aq_test_count1 (db, "SELECT count(*) FROM public.placement "
                                           "WHERE tbl = $1::regclass", name), ==, 1);
      col = aq_test_text1 (db, "SELECT coalesce(col, '(reference)') FROM public.placement "
                               "WHERE tbl = $1::regclass", name);
      g_assert_cmpstr (col, ==, t->placement == AQ_DDL_DISTRIBUTED ? t->column : "(reference)");
    }
  aq_migrations_apply (db, &applied, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (applied, ==, 0);
}

static guint
count_substr (const char *hay,
              const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (hay, needle); p; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
test_cli (void)
{
  const char *env_en[] = { "LANGUAGE", "en", "LC_ALL", "C.UTF-8", NULL };
  const char *env_zh[] = { "LANGUAGE", "zh_CN", "LANG", "zh_CN.UTF-8", "LC_ALL", "zh_CN.UTF-8",
                           NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) tables = aq_warehouse_ddl_tables (&error);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint n_created = 0;
  guint n_distributed = 0;
  guint n_replicated = 0;
  int status = -1;

  g_assert_no_error (error);
  for (guint i = 0; i < tables->len; i++)
    {
      AqDdlTable *t = tables->pdata[i];

      n_created++;
      n_distributed += t->placement == AQ_DDL_DISTRIBUTED;
      n_replicated += t->placement == AQ_DDL_REPLICATED;
    }

  aq_test_ctl_set_env (env_en);
  out = aq_test_ctl (&status, &err, "warehouse", "ddl", "--profile", "greenplum", NULL);
  g_assert_cmpint (status, ==, 0);
  /* one clause per CREATE TABLE, inside its statement */
  g_assert_cmpuint (count_substr (out, "\nDISTRIBUTED BY ("), ==, n_distributed);
  /* … and the runner's meta.migration */
  g_assert_cmpuint (count_substr (out, "\nDISTRIBUTED REPLICATED;"), ==,
                    n_created - n_distributed + 1);
  g_assert_nonnull (strstr (out, "  PRIMARY KEY (account_id, period)\n)\nDISTRIBUTED BY "
                                 "(account_id);"));
  g_assert_nonnull (strstr (out, "-- ==== 002_dw.sql ===="));
  g_assert_null (strstr (out, "SELECT create_distributed_table"));
  /* a migration that recreates a table distributes it again only where Citus is there (051):
   * on Greenplum the call is guarded and never runs */
  g_assert_cmpuint (count_substr (out, "create_distributed_table("), ==,
                    count_substr (out, "PERFORM create_distributed_table("));
  g_assert_cmpuint (count_substr (out, "PERFORM create_distributed_table("), <=,
                    count_substr (out, "IF to_regproc('create_distributed_table') IS NOT NULL"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  out = aq_test_ctl (&status, &err, "warehouse", "ddl", "--profile", "citus", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "CREATE EXTENSION IF NOT EXISTS citus;"));
  g_assert_cmpuint (count_substr (out, "SELECT create_distributed_table('"), ==, n_distributed);
  g_assert_cmpuint (count_substr (out, "SELECT create_reference_table('"), ==, n_replicated);
  g_assert_nonnull (strstr (out, "SELECT create_distributed_table('dw.fact_bill', "
                                 "'account_id');"));
  g_assert_nonnull (strstr (out, "SELECT create_reference_table('dw.dim_tariff');"));
  g_assert_null (strstr (out, "\nDISTRIBUTED BY ("));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a profile that does not exist, in both languages */
  out = aq_test_ctl (&status, &err, "warehouse", "ddl", "--profile", "oracle", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "Unknown DDL profile “oracle”"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  out = aq_test_ctl (&status, &err, "warehouse", "ddl", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "--profile"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  aq_test_ctl_set_env (env_zh);
  out = aq_test_ctl (&status, &err, "warehouse", "ddl", "--profile", "oracle", NULL);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "未知的 DDL 目标“oracle”"));
  aq_test_ctl_set_env (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  aq_core_init ();
  g_test_add_func ("/warehouse-ddl/parse-synthetic", test_parse_synthetic);
  g_test_add_func ("/warehouse-ddl/portable-scanner", test_portable_scanner);
  g_test_add_func ("/warehouse-ddl/migrations-portable", test_migrations_portable);
  g_test_add_func ("/warehouse-ddl/keys-against-catalog", test_keys_against_catalog);
  g_test_add_func ("/warehouse-ddl/citus-applies", test_citus_applies);
  g_test_add_func ("/warehouse-ddl/cli", test_cli);
  return g_test_run ();
}

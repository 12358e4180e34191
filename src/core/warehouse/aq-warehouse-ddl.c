/* aq-warehouse-ddl.c — the migrations as DDL for Greenplum 7 / Cloudberry or Citus
 *
 * When one machine is outgrown the same migrations go onto an MPP or sharded PostgreSQL. This
 * reads data/sql (the compiled-in migration files, nothing hand-copied) with a small lexer that
 * knows comments, quotes and dollar quotes, follows every table through CREATE TABLE, unique
 * indexes, ALTER TABLE (columns, keys, renames) and DROP TABLE, and places each by the rule in
 * the head comment of 002_dw.sql: in dw and dm, tables with an account_id are distributed by it,
 * then tables with a customer_id by that, the rest (small dimensions) replicated; meta and notify
 * are operational (Greenplum replicates them, Citus keeps them on the coordinator). Both targets
 * need every primary key and unique key of a distributed table to contain its distribution
 * column; where one does not, the table is distributed by a column every key holds (or
 * replicated) and `wanted` says what the rule asked for. It also looks for syntax newer than
 * PostgreSQL 12 (Greenplum 7's base) so the SQL stays portable.
 */
#define G_LOG_DOMAIN "aq-warehouse-ddl"

#include "aq-warehouse-ddl.h"

#include <glib/gi18n.h>
#include <string.h>

#include "aq-error.h"
#include "aq-migrations.h"

#define SQL_RESOURCE_DIR "/org/aqueduct/Aqueduct/sql/"

void
aq_ddl_table_free (AqDdlTable *table)
{
  if (table == NULL)
    return;
  g_free (table->schema);
  g_free (table->name);
  g_free (table->file);
  g_ptr_array_unref (table->columns);
  g_ptr_array_unref (table->keys);
  g_free (table->column);
  g_free (table->wanted);
  g_free (table);
}

void
aq_ddl_finding_free (AqDdlFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->file);
  g_free (finding->construct);
  g_free (finding->since);
  g_free (finding);
}

gboolean
aq_warehouse_ddl_parse_target (const char  *name,
                               AqDdlTarget *target,
                               GError     **error)
{
  if (g_strcmp0 (name, "greenplum") == 0 || g_strcmp0 (name, "cloudberry") == 0)
    *target = AQ_DDL_TARGET_GREENPLUM;
  else if (g_strcmp0 (name, "citus") == 0)
    *target = AQ_DDL_TARGET_CITUS;
  else
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("Unknown DDL profile “%s”: use greenplum (also for Cloudberry) or citus"),
                   name ? name : "");
      return FALSE;
    }
  return TRUE;
}

const char *
aq_warehouse_ddl_target_name (AqDdlTarget target)
{
  return target == AQ_DDL_TARGET_CITUS ? "citus" : "greenplum";
}

/* ---- the lexer ------------------------------------------------------------------------- */

/* @text with comments and the insides of string literals blanked (same length, newlines kept),
 * so keywords are found only in code; and where each top-level statement ends (its ';'). */
static char *
blank_text (const char *text,
            GArray     *ends)
{
  char *code = g_strdup (text);
  gsize n = strlen (text);
  g_autofree char *dollar = NULL;   /* the open dollar-quote tag, e.g. "$$" or "$body$" */
  gsize i = 0;

  while (i < n)
    {
      char c = code[i];

      if (c == '-' && i + 1 < n && code[i + 1] == '-')
        {
          while (i < n && code[i] != '\n')
            code[i++] = ' ';
        }
      else if (c == '/' && i + 1 < n && code[i + 1] == '*')
        {
          int depth = 0;

          do
            {
              if (code[i] == '/' && i + 1 < n && code[i + 1] == '*')
                {
                  depth++;
                  code[i++] = ' ';
                }
              else if (code[i] == '*' && i + 1 < n && code[i + 1] == '/')
                {
                  depth--;
                  code[i++] = ' ';
                }
              if (code[i] != '\n')
                code[i] = ' ';
              i++;
            }
          while (i < n && depth > 0);
        }
      else if (c == '\'')
        {
          i++;
          while (i < n)
            {
              if (code[i] == '\'' && i + 1 < n && code[i + 1] == '\'')
                {
                  code[i] = code[i + 1] = ' ';
                  i += 2;
                }
              else if (code[i] == '\'')
                break;
              else
                {
                  if (code[i] != '\n')
                    code[i] = ' ';
                  i++;
                }
            }
          i++;
        }
      else if (c == '"')
        {
          i++;
          while (i < n && code[i] != '"')
            i++;
          i++;
        }
      else if (c == '$' && (i == 0 || !(g_ascii_isalnum (code[i - 1]) || code[i - 1] == '_')))
        {
          gsize j = i + 1;

          while (j < n && (g_ascii_isalnum (code[j]) || code[j] == '_'))
            j++;
          if (j < n && code[j] == '$' && !g_ascii_isdigit (code[i + 1]))
            {
              g_autofree char *tag = g_strndup (code + i, j - i + 1);

              if (dollar == NULL)
                dollar = g_steal_pointer (&tag);
              else if (strcmp (dollar, tag) == 0)
                g_clear_pointer (&dollar, g_free);
              i = j + 1;
            }
          else
            i++;
        }
      else
        {
          if (c == ';' && dollar == NULL && ends)
            {
              gsize end = i;
              g_array_append_val (ends, end);
            }
          i++;
        }
    }
  return code;
}

static const char *
skip_ws (const char *p)
{
  while (*p && g_ascii_isspace (*p))
    p++;
  return p;
}

/* Consumes the keyword @kw (case-insensitive, a whole word) at *p after white space. */
static gboolean
eat (const char **p,
     const char  *kw)
{
  const char *q = skip_ws (*p);
  gsize len = strlen (kw);

  if (g_ascii_strncasecmp (q, kw, len) != 0
      || g_ascii_isalnum (q[len]) || q[len] == '_')
    return FALSE;
  *p = q + len;
  return TRUE;
}

/* "IF EXISTS" / "IF NOT EXISTS" when it is there. */
static void
eat_if_exists (const char **p,
               gboolean     not_exists)
{
  const char *q = *p;

  if (eat (&q, "IF") && (!not_exists || eat (&q, "NOT")) && eat (&q, "EXISTS"))
    *p = q;
}

/* One identifier, unquoted ones folded to lower case; NULL when there is none. */
static char *
read_ident (const char **p)
{
  const char *q = skip_ws (*p);
  const char *start;

  if (*q == '"')
    {
      start = ++q;
      while (*q && *q != '"')
        q++;
      *p = *q ? q + 1 : q;
      return g_strndup (start, q - start);
    }
  start = q;
  while (g_ascii_isalnum (*q) || *q == '_' || *q == '$')
    q++;
  if (q == start)
    return NULL;
  *p = q;
  return g_ascii_strdown (start, q - start);
}

/* schema.name (public when unqualified) */
static gboolean
read_qualified (const char **p,
                char       **schema,
                char       **name)
{
  g_autofree char *first = read_ident (p);

  if (first == NULL)
    return FALSE;
  if (**p == '.')
    {
      (*p)++;
      *name = read_ident (p);
      if (*name == NULL)
        return FALSE;
      *schema = g_steal_pointer (&first);
    }
  else
    {
      *schema = g_strdup ("public");
      *name = g_steal_pointer (&first);
    }
  return TRUE;
}

/* The ')' matching the '(' at @open, or NULL. */
static const char *
close_paren (const char *open)
{
  int depth = 0;

  for (const char *q = open; *q; q++)
    {
      if (*q == '(')
        depth++;
      else if (*q == ')' && --depth == 0)
        return q;
    }
  return NULL;
}

/* The elements between @start and @end separated by top-level commas, trimmed. */
static GPtrArray *
split_commas (const char *start,
              const char *end)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *from = start;
  int depth = 0;

  for (const char *q = start; q <= end; q++)
    {
      if (q < end && *q == '(')
        depth++;
      else if (q < end && *q == ')')
        depth--;
      else if (q == end || (*q == ',' && depth == 0))
        {
          g_autofree char *part = g_strndup (from, q - from);

          g_strstrip (part);
          if (*part)
            g_ptr_array_add (parts, g_steal_pointer (&part));
          from = q + 1;
        }
    }
  return parts;
}

/* "(a, b)" at *p → { "a", "b" }; an element that is not a plain column (an expression) is kept
 * as written, so it never equals a distribution column. */
static GStrv
read_column_list (const char **p)
{
  const char *open = skip_ws (*p);
  const char *close;
  g_autoptr(GPtrArray) parts = NULL;
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  if (*open != '(' || (close = close_paren (open)) == NULL)
    return NULL;
  parts = split_commas (open + 1, close);
  for (guint i = 0; i < parts->len; i++)
    {
      const char *q = parts->pdata[i];
      g_autofree char *ident = read_ident (&q);

      q = skip_ws (q);
      if (ident && *q != '(')
        g_strv_builder_add (out, ident);
      else
        g_strv_builder_add (out, parts->pdata[i]);
    }
  *p = close + 1;
  return g_strv_builder_end (out);
}

/* ---- following the tables ---------------------------------------------------------------- */

typedef struct
{
  AqDdlTable *table;
  GPtrArray  *key_names;      /* constraint or index name per key, parallel to table->keys */
} Tracked;

typedef struct
{
  guint       file;
  gsize       end;            /* offset of the statement's ';' in the file */
  AqDdlTable *table;
  char       *created_as;     /* schema.name when created */
} Creation;

typedef struct
{
  GPtrArray *tables;          /* AqDdlTable *, owned */
  GPtrArray *tracked;         /* Tracked *, parallel */
  GArray    *creations;       /* Creation */
} Model;

static void
creation_clear (gpointer data)
{
  g_free (((Creation *) data)->created_as);
}

static void
tracked_free (gpointer data)
{
  Tracked *t = data;

  g_ptr_array_unref (t->key_names);
  g_free (t);
}

static Tracked *
find_table (Model      *model,
            const char *schema,
            const char *name)
{
  for (guint i = model->tracked->len; i > 0; i--)
    {
      Tracked *t = model->tracked->pdata[i - 1];

      if (!t->table->dropped && strcmp (t->table->schema, schema) == 0
          && strcmp (t->table->name, name) == 0)
        return t;
    }
  return NULL;
}

static void
add_key (Tracked    *t,
         GStrv       cols,
         const char *key_name,
         gboolean    primary)
{
  if (cols == NULL)
    return;
  if (primary)
    {
      g_ptr_array_insert (t->table->keys, 0, cols);
      g_ptr_array_insert (t->key_names, 0, g_strdup (key_name));
    }
  else
    {
      g_ptr_array_add (t->table->keys, cols);
      g_ptr_array_add (t->key_names, g_strdup (key_name));
    }
}

static void
drop_key_named (Tracked    *t,
                const char *key_name)
{
  for (guint i = 0; i < t->key_names->len; i++)
    if (g_strcmp0 (t->key_names->pdata[i], key_name) == 0)
      {
        g_ptr_array_remove_index (t->table->keys, i);
        g_ptr_array_remove_index (t->key_names, i);
        return;
      }
}

static gboolean
has_column (AqDdlTable *table,
            const char *column)
{
  for (guint i = 0; i < table->columns->len; i++)
    if (strcmp (table->columns->pdata[i], column) == 0)
      return TRUE;
  return FALSE;
}

/* "[CONSTRAINT name] PRIMARY KEY (…)" / "UNIQUE [NULLS [NOT] DISTINCT] (…)" at *p. */
static gboolean
read_table_constraint (const char **p,
                       Tracked     *t,
                       const char  *default_name)
{
  const char *q = *p;
  g_autofree char *name = NULL;

  if (eat (&q, "CONSTRAINT"))
    name = read_ident (&q);
  if (eat (&q, "PRIMARY"))
    {
      if (!eat (&q, "KEY"))
        return FALSE;
      add_key (t, read_column_list (&q), name ? name : default_name, TRUE);
    }
  else if (eat (&q, "UNIQUE"))
    {
      if (eat (&q, "NULLS"))
        {
          eat (&q, "NOT");
          eat (&q, "DISTINCT");
        }
      add_key (t, read_column_list (&q), name, FALSE);
    }
  else
    return FALSE;
  *p = q;
  return TRUE;
}

/* A column definition: its name, and a key when it says PRIMARY KEY or UNIQUE. */
static void
read_column_def (const char *def,
                 Tracked    *t)
{
  const char *q = def;
  g_autofree char *column = read_ident (&q);
  g_autofree char *upper = NULL;

  if (column == NULL)
    return;
  g_ptr_array_add (t->table->columns, g_strdup (column));
  upper = g_ascii_strup (q, -1);
  if (g_regex_match_simple ("\\bPRIMARY\\s+KEY\\b", upper, 0, 0))
    {
      g_autofree char *key_name = g_strdup_printf ("%s_pkey", t->table->name);
      GStrv cols = g_new0 (char *, 2);

      cols[0] = g_strdup (column);
      add_key (t, cols, key_name, TRUE);
    }
  if (g_regex_match_simple ("\\bUNIQUE\\b", upper, 0, 0))
    {
      g_autofree char *key_name = g_strdup_printf ("%s_%s_key", t->table->name, column);
      GStrv cols = g_new0 (char *, 2);

      cols[0] = g_strdup (column);
      add_key (t, cols, key_name, FALSE);
    }
}

static void
create_table (Model       *model,
              const char  *file,
              guint        file_index,
              gsize        end,
              const char  *p)
{
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;
  const char *close;
  g_autoptr(GPtrArray) elems = NULL;
  AqDdlTable *table;
  Tracked *t;
  Creation c;

  eat_if_exists (&p, TRUE);
  if (!read_qualified (&p, &schema, &name))
    return;
  p = skip_ws (p);
  /* CREATE TABLE … AS and PARTITION OF have no column list: the first is not in the
   * migrations, the second inherits its parent's distribution */
  if (*p != '(' || (close = close_paren (p)) == NULL)
    return;

  table = g_new0 (AqDdlTable, 1);
  table->schema = g_steal_pointer (&schema);
  table->name = g_steal_pointer (&name);
  table->file = g_strdup (file);
  table->columns = g_ptr_array_new_with_free_func (g_free);
  table->keys = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  t = g_new0 (Tracked, 1);
  t->table = table;
  t->key_names = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (model->tables, table);
  g_ptr_array_add (model->tracked, t);

  elems = split_commas (p + 1, close);
  for (guint i = 0; i < elems->len; i++)
    {
      const char *e = elems->pdata[i];
      const char *q = e;
      g_autofree char *pkey = g_strdup_printf ("%s_pkey", table->name);

      if (read_table_constraint (&q, t, pkey))
        continue;
      q = e;
      if (eat (&q, "CONSTRAINT") || eat (&q, "CHECK") || eat (&q, "FOREIGN")
          || eat (&q, "EXCLUDE") || eat (&q, "LIKE"))
        continue;
      read_column_def (e, t);
    }

  c.file = file_index;
  c.end = end;
  c.table = table;
  c.created_as = g_strdup_printf ("%s.%s", table->schema, table->name);
  g_array_append_val (model->creations, c);
}

static void
create_unique_index (Model      *model,
                     const char *p)
{
  g_autofree char *index = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;
  Tracked *t;

  eat (&p, "CONCURRENTLY");
  eat_if_exists (&p, TRUE);
  if (!eat (&p, "ON"))
    {
      index = read_ident (&p);
      if (!eat (&p, "ON"))
        return;
    }
  eat (&p, "ONLY");
  if (!read_qualified (&p, &schema, &name) || (t = find_table (model, schema, name)) == NULL)
    return;
  if (eat (&p, "USING"))
    g_free (read_ident (&p));
  add_key (t, read_column_list (&p), index, FALSE);
}

static void
alter_table (Model      *model,
             const char *p)
{
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;
  const char *end = p + strlen (p);
  g_autoptr(GPtrArray) actions = NULL;
  Tracked *t;

  eat_if_exists (&p, FALSE);
  eat (&p, "ONLY");
  if (!read_qualified (&p, &schema, &name) || (t = find_table (model, schema, name)) == NULL)
    return;
  actions = split_commas (p, end);
  for (guint i = 0; i < actions->len; i++)
    {
      const char *q = actions->pdata[i];
      g_autofree char *pkey = g_strdup_printf ("%s_pkey", t->table->name);

      if (eat (&q, "ADD"))
        {
          const char *r = q;

          if (read_table_constraint (&r, t, pkey))
            continue;
          r = q;
          if (eat (&r, "CONSTRAINT") || eat (&r, "CHECK") || eat (&r, "FOREIGN")
              || eat (&r, "EXCLUDE"))
            continue;
          eat (&q, "COLUMN");
          eat_if_exists (&q, TRUE);
          read_column_def (q, t);
        }
      else if (eat (&q, "DROP"))
        {
          if (eat (&q, "CONSTRAINT"))
            {
              g_autofree char *key_name = NULL;

              eat_if_exists (&q, FALSE);
              key_name = read_ident (&q);
              drop_key_named (t, key_name);
            }
          else
            {
              g_autofree char *column = NULL;

              eat (&q, "COLUMN");
              eat_if_exists (&q, FALSE);
              column = read_ident (&q);
              for (guint k = 0; column && k < t->table->columns->len; k++)
                if (strcmp (t->table->columns->pdata[k], column) == 0)
                  g_ptr_array_remove_index (t->table->columns, k);
              /* PostgreSQL drops the keys that held it */
              for (guint k = t->table->keys->len; column && k > 0; k--)
                if (g_strv_contains (t->table->keys->pdata[k - 1], column))
                  {
                    g_ptr_array_remove_index (t->table->keys, k - 1);
                    g_ptr_array_remove_index (t->key_names, k - 1);
                  }
            }
        }
      else if (eat (&q, "RENAME"))
        {
          if (eat (&q, "TO"))
            {
              g_free (t->table->name);
              t->table->name = read_ident (&q);
            }
          else if (eat (&q, "CONSTRAINT"))
            ;
          else
            {
              g_autofree char *from = NULL;
              g_autofree char *to = NULL;

              eat (&q, "COLUMN");
              from = read_ident (&q);
              if (from == NULL || !eat (&q, "TO") || (to = read_ident (&q)) == NULL)
                continue;
              for (guint k = 0; k < t->table->columns->len; k++)
                if (strcmp (t->table->columns->pdata[k], from) == 0)
                  {
                    g_free (t->table->columns->pdata[k]);
                    t->table->columns->pdata[k] = g_strdup (to);
                  }
              for (guint k = 0; k < t->table->keys->len; k++)
                for (char **col = t->table->keys->pdata[k]; *col; col++)
                  if (strcmp (*col, from) == 0)
                    {
                      g_free (*col);
                      *col = g_strdup (to);
                    }
            }
        }
      else if (eat (&q, "SET") && eat (&q, "SCHEMA"))
        {
          g_free (t->table->schema);
          t->table->schema = read_ident (&q);
        }
    }
}

static void
drop_table (Model      *model,
            const char *p)
{
  const char *end = p + strlen (p);
  g_autoptr(GPtrArray) names = NULL;

  eat_if_exists (&p, FALSE);
  names = split_commas (p, end);
  for (guint i = 0; i < names->len; i++)
    {
      const char *q = names->pdata[i];
      g_autofree char *schema = NULL;
      g_autofree char *name = NULL;
      Tracked *t;

      if (read_qualified (&q, &schema, &name) && (t = find_table (model, schema, name)))
        t->table->dropped = TRUE;
    }
}

static void
drop_index (Model      *model,
            const char *p)
{
  g_autofree char *schema = NULL;
  g_autofree char *name = NULL;

  eat (&p, "CONCURRENTLY");
  eat_if_exists (&p, FALSE);
  if (!read_qualified (&p, &schema, &name))
    return;
  for (guint i = 0; i < model->tracked->len; i++)
    {
      Tracked *t = model->tracked->pdata[i];

      if (!t->table->dropped && strcmp (t->table->schema, schema) == 0)
        drop_key_named (t, name);
    }
}

static gboolean
every_key_has (AqDdlTable *table,
               const char *column)
{
  for (guint i = 0; i < table->keys->len; i++)
    if (!g_strv_contains (table->keys->pdata[i], column))
      return FALSE;
  return TRUE;
}

/* The rule of 002_dw.sql's head comment, checked against the keys. */
static void
place (AqDdlTable *table)
{
  const char *grain = NULL;

  if (strcmp (table->schema, "dw") != 0 && strcmp (table->schema, "dm") != 0)
    {
      table->placement = AQ_DDL_LOCAL;
      return;
    }
  if (has_column (table, "account_id"))
    grain = "account_id";
  else if (has_column (table, "customer_id"))
    grain = "customer_id";
  if (grain == NULL)
    {
      table->placement = AQ_DDL_REPLICATED;
      return;
    }
  if (every_key_has (table, grain))
    {
      table->placement = AQ_DDL_DISTRIBUTED;
      table->column = g_strdup (grain);
      return;
    }
  /* a key without the grain column: a column every key holds, in the first key's order */
  table->wanted = g_strdup (grain);
  for (char **col = table->keys->pdata[0]; *col; col++)
    if (has_column (table, *col) && every_key_has (table, *col))
      {
        table->placement = AQ_DDL_DISTRIBUTED;
        table->column = g_strdup (*col);
        return;
      }
  table->placement = AQ_DDL_REPLICATED;
}

static void
model_read (Model              *model,
            const char * const *names,
            const char * const *texts)
{
  for (guint f = 0; names[f]; f++)
    {
      g_autoptr(GArray) ends = g_array_new (FALSE, FALSE, sizeof (gsize));
      g_autofree char *code = blank_text (texts[f], ends);
      gsize start = 0;

      for (guint s = 0; s < ends->len; s++)
        {
          gsize end = g_array_index (ends, gsize, s);
          g_autofree char *stmt = g_strndup (code + start, end - start);
          const char *p = stmt;

          start = end + 1;
          if (eat (&p, "CREATE"))
            {
              const char *q = p;

              if (eat (&q, "UNLOGGED"))
                p = q;
              if (eat (&p, "TABLE"))
                create_table (model, names[f], f, end, p);
              else if (eat (&p, "UNIQUE") && eat (&p, "INDEX"))
                create_unique_index (model, p);
            }
          else if (eat (&p, "ALTER"))
            {
              if (eat (&p, "TABLE"))
                alter_table (model, p);
            }
          else if (eat (&p, "DROP"))
            {
              if (eat (&p, "TABLE"))
                drop_table (model, p);
              else if (eat (&p, "INDEX"))
                drop_index (model, p);
            }
        }
    }
  for (guint i = 0; i < model->tables->len; i++)
    place (model->tables->pdata[i]);
}

static void
model_init (Model *model)
{
  model->tables = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_ddl_table_free);
  model->tracked = g_ptr_array_new_with_free_func (tracked_free);
  model->creations = g_array_new (FALSE, FALSE, sizeof (Creation));
  g_array_set_clear_func (model->creations, creation_clear);
}

static void
model_clear (Model *model)
{
  g_array_unref (model->creations);
  g_ptr_array_unref (model->tracked);
  g_ptr_array_unref (model->tables);
}

/* The migration files' names and texts, in order. */
static gboolean
load_migrations (GStrv   *names_out,
                 GStrv   *texts_out,
                 GError **error)
{
  g_auto(GStrv) names = aq_migrations_list (error);
  g_autoptr(GStrvBuilder) texts = g_strv_builder_new ();

  if (names == NULL)
    return FALSE;
  for (guint i = 0; names[i]; i++)
    {
      g_autofree char *path = g_strconcat (SQL_RESOURCE_DIR, names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE,
                                                         error);

      if (bytes == NULL)
        return FALSE;
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL),
                                         g_bytes_get_size (bytes));

      g_strv_builder_add (texts, text);
    }
  *names_out = g_steal_pointer (&names);
  *texts_out = g_strv_builder_end (texts);
  return TRUE;
}

GPtrArray *
aq_warehouse_ddl_tables_from (const char * const *names,
                              const char * const *texts)
{
  Model model;
  GPtrArray *tables;

  model_init (&model);
  model_read (&model, names, texts);
  tables = g_ptr_array_ref (model.tables);
  model_clear (&model);
  return tables;
}

GPtrArray *
aq_warehouse_ddl_tables (GError **error)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) texts = NULL;

  if (!load_migrations (&names, &texts, error))
    return NULL;
  return aq_warehouse_ddl_tables_from ((const char * const *) names,
                                       (const char * const *) texts);
}

static void
append_placement (GString     *out,
                  AqDdlTarget  target,
                  Creation    *c,
                  gboolean     before_semicolon)
{
  AqDdlTable *t = c->table;

  if (target == AQ_DDL_TARGET_GREENPLUM && before_semicolon)
    {
      if (t->placement == AQ_DDL_DISTRIBUTED)
        g_string_append_printf (out, "\nDISTRIBUTED BY (%s)", t->column);
      else
        g_string_append (out, "\nDISTRIBUTED REPLICATED");
      return;
    }
  if (before_semicolon)
    return;
  if (t->wanted)
    {
      g_autoptr(GString) keys = g_string_new (NULL);

      for (guint k = 0; k < t->keys->len; k++)
        {
          g_autofree char *joined = g_strjoinv (", ", t->keys->pdata[k]);

          g_string_append_printf (keys, "%s(%s)", k ? ", " : "", joined);
        }
      g_string_append_printf (out, "\n-- %s: %s is not in every key (%s), so %s", c->created_as,
                              t->wanted, keys->str,
                              t->placement == AQ_DDL_DISTRIBUTED ? "distributed by the key"
                                                                 : "replicated");
    }
  if (target == AQ_DDL_TARGET_CITUS)
    {
      if (t->placement == AQ_DDL_DISTRIBUTED)
        g_string_append_printf (out, "\nSELECT create_distributed_table('%s', '%s');",
                                c->created_as, t->column);
      else if (t->placement == AQ_DDL_REPLICATED)
        g_string_append_printf (out, "\nSELECT create_reference_table('%s');", c->created_as);
      else
        g_string_append (out, "\n-- operational: stays on the coordinator");
    }
}

char *
aq_warehouse_ddl_print (AqDdlTarget  target,
                        GError     **error)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) texts = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  Model model;
  guint next = 0;

  if (!load_migrations (&names, &texts, error))
    return NULL;
  model_init (&model);
  model_read (&model, (const char * const *) names, (const char * const *) texts);

  if (target == AQ_DDL_TARGET_GREENPLUM)
    g_string_append (out, "-- Aqueduct warehouse DDL for Greenplum 7 / Apache Cloudberry, from "
                          "the migrations.\n-- dw and dm: account-grain tables DISTRIBUTED BY "
                          "(account_id), customer tables by customer_id,\n-- small dimensions "
                          "REPLICATED; meta and notify (operational) REPLICATED.\n"
                          "-- Greenplum 7 is PostgreSQL 12: gen_random_uuid() comes from "
                          "pgcrypto there.\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\n");
  else
    g_string_append (out, "-- Aqueduct warehouse DDL for Citus, from the migrations.\n-- dw and "
                          "dm: account-grain tables distributed by account_id, customer tables "
                          "by customer_id,\n-- small dimensions reference tables; meta and "
                          "notify (operational) stay on the coordinator.\n"
                          "CREATE EXTENSION IF NOT EXISTS citus;\n");

  /* the runner's bookkeeping, and each file's row in it after the file: `aqueductctl migrate`
   * then finds every migration applied */
  g_string_append_printf (out, "\n-- ==== the migrations' bookkeeping ====\n%s%s;\n",
                          AQ_MIGRATIONS_BOOKKEEPING_SQL,
                          target == AQ_DDL_TARGET_GREENPLUM ? "\nDISTRIBUTED REPLICATED" : "");
  for (guint f = 0; names[f]; f++)
    {
      const char *text = texts[f];
      gsize at = 0;

      if (f > 0)
        g_string_append_printf (out, "\nINSERT INTO meta.migration (name) VALUES ('%s');\n",
                                names[f - 1]);
      g_string_append_printf (out, "\n-- ==== %s ====\n", names[f]);
      for (; next < model.creations->len; next++)
        {
          Creation *c = &g_array_index (model.creations, Creation, next);

          if (c->file != f)
            break;
          g_string_append_len (out, text + at, c->end - at);
          append_placement (out, target, c, TRUE);
          g_string_append_c (out, ';');
          append_placement (out, target, c, FALSE);
          at = c->end + 1;
        }
      g_string_append (out, text + at);
      if (names[f + 1] == NULL)
        g_string_append_printf (out, "\nINSERT INTO meta.migration (name) VALUES ('%s');\n",
                                names[f]);
    }
  model_clear (&model);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* ---- portability --------------------------------------------------------------------------- */

/* construct | since | pattern (case-insensitive, on code without comments or string texts) */
static const char * const newer[][3] = {
  { "MERGE", "15", "\\bMERGE\\s+INTO\\b" },
  { "NULLS NOT DISTINCT", "15", "\\bNULLS\\s+NOT\\s+DISTINCT\\b" },
  { "security_invoker views", "15", "\\bsecurity_invoker\\b" },
  { "GRANT … ON PARAMETER", "15", "\\bON\\s+PARAMETER\\b" },
  { "publication FOR TABLES IN SCHEMA", "15", "\\bTABLES\\s+IN\\s+SCHEMA\\b" },
  { "regexp_count/instr/like/substr", "15", "\\bregexp_(count|instr|like|substr)\\s*\\(" },
  { "pg_checkpoint role", "15", "\\bpg_checkpoint\\b" },
  { "ANY_VALUE", "16", "\\bany_value\\s*\\(" },
  { "IS JSON", "16", "\\bIS\\s+(NOT\\s+)?JSON\\b" },
  { "JSON_ARRAYAGG/JSON_OBJECTAGG", "16", "\\bjson_(arrayagg|objectagg)\\s*\\(" },
  { "BEGIN ATOMIC function bodies", "14", "\\bBEGIN\\s+ATOMIC\\b" },
  { "CREATE OR REPLACE TRIGGER", "14", "\\bCREATE\\s+OR\\s+REPLACE\\s+TRIGGER\\b" },
  { "SEARCH DEPTH/BREADTH FIRST", "14", "\\bSEARCH\\s+(DEPTH|BREADTH)\\s+FIRST\\b" },
  { "CYCLE … SET in recursive queries", "14", "\\bCYCLE\\s+\\w+(\\s*,\\s*\\w+)*\\s+SET\\b" },
  { "multiranges and range_agg", "14", "\\b(range_agg|range_intersect_agg|\\w*multirange)\\b" },
  { "string_to_table", "14", "\\bstring_to_table\\s*\\(" },
  { "date_bin", "14", "\\bdate_bin\\s*\\(" },
  { "bit_count", "14", "\\bbit_count\\s*\\(" },
  { "unistr", "14", "\\bunistr\\s*\\(" },
  { "trim_array", "14", "\\btrim_array\\s*\\(" },
  { "column COMPRESSION", "14", "\\bCOMPRESSION\\s+(pglz|lz4|default)\\b" },
  { "DETACH PARTITION … CONCURRENTLY", "14", "\\bDETACH\\s+PARTITION\\s+\\S+\\s+CONCURRENTLY\\b" },
  { "pg_read_all_data/pg_write_all_data/pg_database_owner", "14",
    "\\b(pg_read_all_data|pg_write_all_data|pg_database_owner)\\b" },
  { "jsonb subscripting", "14", "\\b(?!array\\b)\\w+\\s*\\[\\s*'" },
  { "FETCH … WITH TIES", "13", "\\bWITH\\s+TIES\\b" },
  { "trim_scale/min_scale", "13", "\\b(trim_scale|min_scale)\\s*\\(" },
  { "DROP EXPRESSION", "13", "\\bDROP\\s+EXPRESSION\\b" },
  { "gen_random_uuid without pgcrypto", "13", "\\bgen_random_uuid\\s*\\(" },
};

const char * const *
aq_warehouse_ddl_newer_constructs (void)
{
  static char *list[G_N_ELEMENTS (newer) + 1];
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      for (guint i = 0; i < G_N_ELEMENTS (newer); i++)
        list[i] = g_strdup_printf ("%s|%s", newer[i][0], newer[i][1]);
      g_once_init_leave (&ready, 1);
    }
  return (const char * const *) list;
}

GPtrArray *
aq_warehouse_ddl_check_portable_from (const char * const *names,
                                      const char * const *texts)
{
  GPtrArray *findings = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_ddl_finding_free);

  for (guint f = 0; names[f]; f++)
    {
      g_autofree char *code = blank_text (texts[f], NULL);

      for (guint i = 0; i < G_N_ELEMENTS (newer); i++)
        {
          g_autoptr(GRegex) re = g_regex_new (newer[i][2], G_REGEX_CASELESS, 0, NULL);
          g_autoptr(GMatchInfo) match = NULL;

          g_regex_match (re, code, 0, &match);
          while (g_match_info_matches (match))
            {
              AqDdlFinding *finding = g_new0 (AqDdlFinding, 1);
              int start = 0;

              g_match_info_fetch_pos (match, 0, &start, NULL);
              finding->file = g_strdup (names[f]);
              finding->line = 1;
              for (int k = 0; k < start; k++)
                finding->line += code[k] == '\n';
              finding->construct = g_strdup (newer[i][0]);
              finding->since = g_strdup (newer[i][1]);
              g_ptr_array_add (findings, finding);
              g_match_info_next (match, NULL);
            }
        }
    }
  return findings;
}

GPtrArray *
aq_warehouse_ddl_check_portable (GError **error)
{
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) texts = NULL;

  if (!load_migrations (&names, &texts, error))
    return NULL;
  return aq_warehouse_ddl_check_portable_from ((const char * const *) names,
                                               (const char * const *) texts);
}

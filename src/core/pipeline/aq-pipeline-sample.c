/* aq-pipeline-sample.c — the tables a step's SQL names, and the SQL over samples of them
 *
 * A sampled preview reads, instead of each table a table input's SQL names, a temp table
 * holding that table's first rows (aq-pipeline-preview.c makes them). Here is the text side
 * of it, without a connection: a small SQL lexer that skips what is not code (strings,
 * quoted identifiers, dollar quotes, comments) and finds every schema-qualified name that
 * could be a relation (schema.table, neither a function call nor a cast nor part of a
 * three-part name), and the rewrite that puts a sample's name where the server said a name
 * was a table. A reference without an alias gets the table's own name as its alias, so that
 * `fact_bill.period` still means the same. Unqualified names are left alone (they would read
 * the whole table: the standard pipelines qualify every table).
 */
#define G_LOG_DOMAIN "aq-pipeline"

#include "config.h"

#include "aq-pipeline-sample.h"

#include <string.h>

typedef enum
{
  TOKEN_IDENT,
  TOKEN_DOT,
  TOKEN_CAST,    /* :: */
  TOKEN_OPEN,    /* ( */
  TOKEN_OTHER,   /* strings, numbers, parameters, punctuation */
} TokenKind;

typedef struct
{
  TokenKind kind;
  gsize     start;
  gsize     end;
  gboolean  quoted;
} Token;

static void
sql_name_free (AqSqlName *name)
{
  g_free (name->name);
  g_free (name);
}

static gboolean
ident_start (unsigned char c)
{
  return g_ascii_isalpha (c) || c == '_' || c >= 0x80;
}

static gboolean
ident_char (unsigned char c)
{
  return ident_start (c) || g_ascii_isdigit (c) || c == '$';
}

/* Past a '…' string starting at @p (on the quote); backslashes escape with E'…'. */
static const char *
skip_string (const char *p,
             gboolean    backslashes)
{
  for (p++; *p; p++)
    {
      if (backslashes && *p == '\\' && p[1])
        p++;
      else if (*p == '\'')
        {
          if (p[1] != '\'')
            return p + 1;
          p++;
        }
    }
  return p;
}

/* Past a $tag$…$tag$ string starting at @p, or NULL when @p starts no dollar quote. */
static const char *
skip_dollar (const char *p)
{
  const char *q = p + 1;
  g_autofree char *tag = NULL;
  const char *end;

  if (g_ascii_isdigit (*q))
    return NULL;
  while (*q && *q != '$')
    {
      if (!ident_char ((unsigned char) *q) || *q == '$')
        return NULL;
      q++;
    }
  if (*q != '$')
    return NULL;
  tag = g_strndup (p, q + 1 - p);
  end = strstr (q + 1, tag);
  return end ? end + strlen (tag) : q + 1 + strlen (q + 1);
}

static GArray *
tokenize (const char *sql)
{
  GArray *tokens = g_array_new (FALSE, FALSE, sizeof (Token));
  const char *p = sql;

  while (*p)
    {
      unsigned char c = *p;
      Token token = { TOKEN_OTHER, p - sql, 0, FALSE };
      const char *next;

      if (g_ascii_isspace (c))
        {
          p++;
          continue;
        }
      if (c == '-' && p[1] == '-')
        {
          while (*p && *p != '\n')
            p++;
          continue;
        }
      if (c == '/' && p[1] == '*')
        {
          int depth = 0;

          while (*p)
            {
              if (p[0] == '/' && p[1] == '*')
                depth++, p += 2;
              else if (p[0] == '*' && p[1] == '/')
                {
                  p += 2;
                  if (--depth == 0)
                    break;
                }
              else
                p++;
            }
          continue;
        }
      if (c == '\'')
        p = skip_string (p, FALSE);
      else if (c == '"')
        {
          for (p++; *p; p++)
            if (*p == '"')
              {
                if (p[1] != '"')
                  break;
                p++;
              }
          if (*p)
            p++;
          token.kind = TOKEN_IDENT;
          token.quoted = TRUE;
        }
      else if (c == '$' && (next = skip_dollar (p)) != NULL)
        p = next;
      else if (ident_start (c))
        {
          const char *start = p;

          while (ident_char ((unsigned char) *p))
            p++;
          /* E'…', B'…', X'…', N'…', U&'…': a string with a prefix */
          if (*p == '\'' && p - start == 1)
            p = skip_string (p, *start == 'e' || *start == 'E');
          else if (*p == '&' && p[1] == '\'' && p - start == 1 && (*start == 'u' || *start == 'U'))
            p = skip_string (p + 1, FALSE);
          else
            token.kind = TOKEN_IDENT;
        }
      else if (g_ascii_isdigit (c))
        {
          while (g_ascii_isalnum (*p) || *p == '.' || *p == '_')
            p++;
        }
      else if (c == ':' && p[1] == ':')
        {
          token.kind = TOKEN_CAST;
          p += 2;
        }
      else
        {
          token.kind = c == '.' ? TOKEN_DOT : c == '(' ? TOKEN_OPEN : TOKEN_OTHER;
          p++;
        }
      token.end = p - sql;
      g_array_append_val (tokens, token);
    }
  return tokens;
}

/* Words after a table that are not its alias. */
static gboolean
is_clause_word (const char *sql,
                const Token *token)
{
  static const char * const words[] = {
    "where", "join", "inner", "left", "right", "full", "cross", "natural", "on", "using",
    "group", "order", "having", "limit", "offset", "union", "except", "intersect", "window",
    "fetch", "for", "returning", "tablesample", "into", "set", "values", "select", "from",
    "and", "or", "then", "else", "end", "when", "is", "in", "not", "like", "lateral", NULL
  };
  gsize length = token->end - token->start;

  if (token->quoted)
    return FALSE;
  for (guint i = 0; words[i]; i++)
    if (strlen (words[i]) == length && g_ascii_strncasecmp (sql + token->start, words[i],
                                                             length) == 0)
      return TRUE;
  return FALSE;
}

/**
 * aq_pipeline_sample_find_names:
 *
 * Returns: (transfer full) (element-type AqSqlName): every schema-qualified name in @sql
 *   that could name a relation, in the order they appear
 */
GPtrArray *
aq_pipeline_sample_find_names (const char *sql)
{
  GPtrArray *names = g_ptr_array_new_with_free_func ((GDestroyNotify) sql_name_free);
  g_autoptr(GArray) tokens = tokenize (sql);

  for (guint i = 0; i + 2 < tokens->len; i++)
    {
      Token *schema = &g_array_index (tokens, Token, i);
      Token *dot = &g_array_index (tokens, Token, i + 1);
      Token *table = &g_array_index (tokens, Token, i + 2);
      Token *before = i > 0 ? &g_array_index (tokens, Token, i - 1) : NULL;
      Token *after = i + 3 < tokens->len ? &g_array_index (tokens, Token, i + 3) : NULL;
      AqSqlName *name;

      if (schema->kind != TOKEN_IDENT || dot->kind != TOKEN_DOT || table->kind != TOKEN_IDENT)
        continue;
      if ((before && (before->kind == TOKEN_DOT || before->kind == TOKEN_CAST))
          || (after && (after->kind == TOKEN_DOT || after->kind == TOKEN_OPEN)))
        continue;
      name = g_new0 (AqSqlName, 1);
      name->start = schema->start;
      name->end = table->end;
      name->name = g_strndup (sql + schema->start, table->end - schema->start);
      name->table_start = table->start;
      name->aliased = after && after->kind == TOKEN_IDENT && !is_clause_word (sql, after);
      g_ptr_array_add (names, name);
      i += 2;
    }
  return names;
}

/**
 * aq_pipeline_sample_rewrite:
 * @names: (element-type AqSqlName): from aq_pipeline_sample_find_names (@sql)
 * @samples: a name as written → the relation to read instead; names not in it stay
 *
 * Returns: (transfer full): @sql reading the samples
 */
char *
aq_pipeline_sample_rewrite (const char *sql,
                            GPtrArray  *names,
                            GHashTable *samples)
{
  GString *out = g_string_new (NULL);
  gsize at = 0;

  for (guint i = 0; i < names->len; i++)
    {
      AqSqlName *name = g_ptr_array_index (names, i);
      const char *sample = g_hash_table_lookup (samples, name->name);

      if (sample == NULL)
        continue;
      g_string_append_len (out, sql + at, name->start - at);
      g_string_append (out, sample);
      if (!name->aliased)
        {
          g_string_append (out, " AS ");
          g_string_append_len (out, sql + name->table_start, name->end - name->table_start);
        }
      at = name->end;
    }
  g_string_append (out, sql + at);
  return g_string_free (out, FALSE);
}

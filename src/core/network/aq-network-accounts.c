/* aq-network-accounts.c — who is on each valve segment, computed in C for the dm_network pipeline
 *
 * After the segments (aq-network-segments.c), the pipeline's "accounts" step maps every
 * account to its premise's service connection's segment (dm.network_account), counts what
 * each segment holds (dm.network_segment: pipes, length, sources, premises, open accounts) and
 * who is on it by the outage analysis's rule (dm.valve_segment_community,
 * dm.valve_segment_key_customer, migration 035). Its statements do that in three passes over
 * the accounts with joins, sorts and an UPDATE per figure — a minute at 10^6 accounts. This is
 * the step's native function "network_accounts": one read of the accounts with what the rule
 * needs (COPY out, streamed), one pass in memory, and COPY back, on the run's connection and
 * in its transaction. The rows are the statements' own (the tests compare them on hand-made
 * cases and the demo); dm.network_account is written in segment order as they write it, so an
 * isolation reads a segment's accounts from a page or two.
 */
#define G_LOG_DOMAIN "aq-network-accounts"

#include "config.h"

#include "aq-network.h"

#include <stdlib.h>
#include <string.h>

#include "aq-error.h"

/* flags of an account */
enum
{
  ACC_OPEN      = 1 << 0,   /* status <> 'closed' */
  ACC_STANDING  = 1 << 1,   /* its premise exists and is not demolished */
  ACC_CUSTOMER  = 1 << 2,   /* its customer exists */
  ACC_REACHABLE = 1 << 3,   /* the customer has a mobile or a WeChat openid */
  ACC_KEY       = 1 << 4,   /* a key customer's account */
};

typedef struct
{
  const char *account_id;   /* in the chunk */
  gint64      premise_id;
  gint64      pipe_id;
  gint        segment;      /* 0: no service connection or its pipe has no segment */
  guint       community;    /* index + 1 into the codes, 0: none */
  guint8      flags;
} Account;

typedef struct
{
  gint   segment;
  guint  community;
  guint8 reachable;
} Counted;

typedef struct
{
  GArray       *accounts;      /* Account */
  GStringChunk *chunk;
  GHashTable   *community;     /* code (in the chunk) → index + 1 */
  GPtrArray    *codes;         /* index → code */
  GArray       *totals;        /* gint64 per community: its open accounts */
} Read;

/* ---- COPY text format ---- */

/* Splits a COPY text line in place into at most @max fields, decoding backslash escapes;
 * NULL for \N. Returns how many there were. */
static guint
split_line (char  *line,
            gsize  len,
            char **fields,
            guint  max)
{
  guint n = 0;
  char *p = line, *end = line + len;

  if (len > 0 && end[-1] == '\n')
    *--end = '\0';
  while (n < max)
    {
      char *start = p, *out = p;

      while (p < end && *p != '\t')
        {
          if (*p == '\\' && p + 1 < end)
            {
              p++;
              switch (*p)
                {
                case 'N': if (out == start && (p + 1 == end || p[1] == '\t')) start = NULL;
                          break;
                case 't': *out++ = '\t'; break;
                case 'n': *out++ = '\n'; break;
                case 'r': *out++ = '\r'; break;
                case 'b': *out++ = '\b'; break;
                case 'f': *out++ = '\f'; break;
                case 'v': *out++ = '\v'; break;
                default: *out++ = *p; break;
                }
              p++;
              continue;
            }
          *out++ = *p++;
        }
      if (start)
        *out = '\0';
      fields[n++] = start;
      if (p >= end)
        break;
      *p++ = '\0';
    }
  return n;
}

typedef gboolean (*LineFunc) (char *line, gsize len, gpointer user_data, GError **error);

/* Runs `COPY (…) TO STDOUT` and hands each line to @func. */
static gboolean
copy_out (AqDb          *db,
          const char    *sql,
          LineFunc       func,
          gpointer       user_data,
          GCancellable  *cancellable,
          GError       **error)
{
  PGconn *conn = aq_db_get_conn (db);
  g_autoptr(PGresult) res = NULL;
  gulong handler;
  gboolean ok = TRUE;
  char *buf;
  int len;

  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COPY_OUT)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_QUERY, "%s", PQerrorMessage (conn));
      return FALSE;
    }
  g_clear_pointer (&res, PQclear);
  handler = aq_db_watch_cancellable (db, cancellable);
  while ((len = PQgetCopyData (conn, &buf, 0)) > 0)
    {
      if (ok && !func (buf, (gsize) len, user_data, error))
        {
          ok = FALSE;
          aq_db_cancel (db);
        }
      PQfreemem (buf);
    }
  aq_db_unwatch_cancellable (db, cancellable, handler);
  /* the command's own end (an error when it failed or was cancelled) */
  while ((res = PQgetResult (conn)) != NULL)
    {
      if (ok && PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          if (!g_cancellable_set_error_if_cancelled (cancellable, error))
            g_set_error (error, AQ_ERROR, AQ_ERROR_QUERY, "%s", PQresultErrorMessage (res));
          ok = FALSE;
        }
      g_clear_pointer (&res, PQclear);
    }
  return ok;
}

/* Sends @rows (text COPY lines) into @table_and_columns. */
static gboolean
copy_in (AqDb        *db,
         const char  *table_and_columns,
         GString     *rows,
         GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("COPY %s FROM STDIN", table_and_columns);

  return aq_db_copy_begin (db, sql, error)
         && aq_db_copy_put (db, rows->str, rows->len, error)
         && aq_db_copy_end (db, error);
}

static gint64
int_at (PGresult *res,
        int       row,
        int       column)
{
  return g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10);
}

/* ---- the accounts ---- */

#define ACCOUNTS_SQL \
  "COPY (SELECT a.account_id, a.premise_id, sc.pipe_id, ps.segment_id, a.status <> 'closed'," \
  "             a.community_code, p.demolished IS FALSE, c.customer_id IS NOT NULL," \
  "             c.mobile IS NOT NULL OR c.wechat_openid IS NOT NULL, k.account_id IS NOT NULL" \
  "      FROM dw.dim_account a" \
  "      LEFT JOIN dw.service_connection sc ON sc.premise_id = a.premise_id" \
  "      LEFT JOIN dm.network_pipe_segment ps ON ps.pipe_id = sc.pipe_id" \
  "      LEFT JOIN dw.dim_premise p ON p.premise_id = a.premise_id" \
  "      LEFT JOIN dw.dim_customer c ON c.customer_id = a.customer_id" \
  "      LEFT JOIN (SELECT DISTINCT account_id FROM dw.dim_key_customer) k" \
  "        ON k.account_id = a.account_id) TO STDOUT"

static gboolean
read_account (char     *line,
              gsize     len,
              gpointer  user_data,
              GError  **error)
{
  Read *r = user_data;
  char *f[10];
  Account acc = { 0 };

  if (split_line (line, len, f, G_N_ELEMENTS (f)) != G_N_ELEMENTS (f) || f[0] == NULL)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, "unexpected account row");
      return FALSE;
    }
  acc.account_id = g_string_chunk_insert (r->chunk, f[0]);
  acc.premise_id = f[1] ? g_ascii_strtoll (f[1], NULL, 10) : 0;
  acc.pipe_id = f[2] ? g_ascii_strtoll (f[2], NULL, 10) : 0;
  acc.segment = f[3] && f[2] ? (gint) g_ascii_strtoll (f[3], NULL, 10) : 0;
  acc.flags = (f[4] && f[4][0] == 't' ? ACC_OPEN : 0)
              | (f[6][0] == 't' ? ACC_STANDING : 0)
              | (f[7][0] == 't' ? ACC_CUSTOMER : 0)
              | (f[8][0] == 't' ? ACC_REACHABLE : 0)
              | (f[9][0] == 't' ? ACC_KEY : 0);
  if (f[5] != NULL)
    {
      guint index = GPOINTER_TO_UINT (g_hash_table_lookup (r->community, f[5]));

      if (index == 0)
        {
          char *code = g_string_chunk_insert_const (r->chunk, f[5]);
          gint64 zero = 0;

          g_ptr_array_add (r->codes, code);
          g_array_append_val (r->totals, zero);
          index = r->codes->len;
          g_hash_table_insert (r->community, code, GUINT_TO_POINTER (index));
        }
      acc.community = index;
      /* every open account of the community, mapped to a segment or not */
      if (acc.flags & ACC_OPEN)
        g_array_index (r->totals, gint64, index - 1)++;
    }
  g_array_append_val (r->accounts, acc);
  return TRUE;
}

static int
compare_account (const void *a,
                 const void *b)
{
  const Account *x = a, *y = b;

  if (x->segment != y->segment)
    return x->segment < y->segment ? -1 : 1;
  return strcmp (x->account_id, y->account_id);
}

static int
compare_counted (const void *a,
                 const void *b)
{
  const Counted *x = a, *y = b;

  if (x->segment != y->segment)
    return x->segment < y->segment ? -1 : 1;
  return x->community < y->community ? -1 : x->community > y->community;
}

/* ---- the segments' figures ---- */

typedef struct
{
  gint64 pipes;
  char  *length_m;   /* the sum as PostgreSQL printed it, NULL: 0 */
  gint64 sources;
  gint64 premises;
  gint64 accounts;
} Figures;

/* Reads "segment_id, value[, value]" rows into @fig by @what. */
static gboolean
read_figures (AqDb        *db,
              const char  *sql,
              Figures     *fig,
              gint         max_segment,
              guint        what,
              GError     **error)
{
  g_autoptr(PGresult) res = aq_db_query (db, sql, 0, NULL, error);

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 s = int_at (res, i, 0);

      if (s < 1 || s > max_segment)
        continue;
      switch (what)
        {
        case 0:
          fig[s].pipes = int_at (res, i, 1);
          g_free (fig[s].length_m);
          fig[s].length_m = g_strdup (PQgetvalue (res, i, 2));
          break;
        case 1:
          fig[s].sources = int_at (res, i, 1);
          break;
        default:
          fig[s].premises = int_at (res, i, 1);
          break;
        }
    }
  return TRUE;
}

/**
 * aq_network_map_accounts:
 * @out_rows: (out) (optional): how many accounts are on a segment
 *
 * Fills dm.network_account, the figures of dm.network_segment, dm.valve_segment_community and
 * dm.valve_segment_key_customer from dw and the segments, in the caller's transaction: what
 * the dm_network pipeline's "accounts" step's statements do, in one pass.
 */
gboolean
aq_network_map_accounts (AqDb          *db,
                         GCancellable  *cancellable,
                         gint64        *out_rows,
                         GError       **error)
{
  g_autoptr(PGresult) segs = NULL, keys = NULL;
  g_autoptr(GArray) accounts = g_array_new (FALSE, FALSE, sizeof (Account));
  g_autoptr(GArray) counted = g_array_new (FALSE, FALSE, sizeof (Counted));
  g_autoptr(GHashTable) community = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) key_accounts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  g_autoptr(GArray) totals = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GString) rows = NULL;
  g_autofree Figures *fig = NULL;
  GStringChunk *chunk = g_string_chunk_new (1 << 20);
  Read r = { accounts, chunk, community, codes, totals };
  gint max_segment = 0;
  gint64 mapped = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  segs = aq_db_query (db, "SELECT segment_id FROM dm.network_segment ORDER BY segment_id",
                      0, NULL, error);
  if (segs == NULL)
    goto out;
  max_segment = PQntuples (segs) ? (gint) int_at (segs, PQntuples (segs) - 1, 0) : 0;
  fig = g_new0 (Figures, MAX (max_segment, 0) + 1);

  /* what each segment holds besides its accounts */
  if (!read_figures (db, "SELECT ps.segment_id, count(*), sum(p.length_m)"
                         " FROM dm.network_pipe_segment ps"
                         " JOIN dw.network_pipe p ON p.pipe_id = ps.pipe_id"
                         " GROUP BY ps.segment_id", fig, max_segment, 0, error)
      || !read_figures (db, "SELECT ns.segment_id, count(*) FROM dw.network_source src"
                            " JOIN dm.network_node_segment ns ON ns.node_id = src.node_id"
                            " GROUP BY ns.segment_id", fig, max_segment, 1, error)
      /* a premise has one service connection (its key): counting them counts premises */
      || !read_figures (db, "SELECT ps.segment_id, count(*) FROM dw.service_connection sc"
                            " JOIN dm.network_pipe_segment ps ON ps.pipe_id = sc.pipe_id"
                            " GROUP BY ps.segment_id", fig, max_segment, 2, error))
    goto out;

  if (!copy_out (db, ACCOUNTS_SQL, read_account, &r, cancellable, error))
    goto out;
  keys = aq_db_query (db, "SELECT kc_id, account_id, name, kind, ST_X(geom), ST_Y(geom)"
                          " FROM dw.dim_key_customer ORDER BY kc_id", 0, NULL, error);
  if (keys == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  /* accounts in segment order, as the statements write them; then who is counted */
  qsort (accounts->data, accounts->len, sizeof (Account), compare_account);
  for (guint i = 0; i < accounts->len; i++)
    {
      Account *a = &g_array_index (accounts, Account, i);

      if (a->segment == 0)
        continue;
      if (a->segment <= max_segment && (a->flags & ACC_OPEN))
        fig[a->segment].accounts++;
      if ((a->flags & ACC_KEY))
        g_hash_table_insert (key_accounts, (gpointer) a->account_id, a);
      if ((a->flags & (ACC_OPEN | ACC_STANDING | ACC_CUSTOMER))
          == (ACC_OPEN | ACC_STANDING | ACC_CUSTOMER) && a->community != 0)
        {
          Counted c = { a->segment, a->community, (a->flags & ACC_REACHABLE) != 0 };

          g_array_append_val (counted, c);
        }
    }
  qsort (counted->data, counted->len, sizeof (Counted), compare_counted);

  if (!aq_db_exec (db, "TRUNCATE dm.network_account, dm.valve_segment_community,"
                       " dm.valve_segment_key_customer, dm.network_segment", error))
    goto out;

  rows = g_string_sized_new (1 << 22);
  if (!aq_db_copy_begin (db, "COPY dm.network_account (account_id, premise_id, pipe_id,"
                             " segment_id) FROM STDIN", error))
    goto out;
  for (guint i = 0; i < accounts->len; i++)
    {
      Account *a = &g_array_index (accounts, Account, i);

      if (a->segment == 0)
        continue;
      mapped++;
      aq_copy_append_value (rows, a->account_id);
      g_string_append_printf (rows, "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%d\n",
                              a->premise_id, a->pipe_id, a->segment);
      if (rows->len > (1 << 22) - 256)
        {
          if (!aq_db_copy_put (db, rows->str, rows->len, error))
            goto out;
          g_string_truncate (rows, 0);
        }
    }
  if (!aq_db_copy_put (db, rows->str, rows->len, error) || !aq_db_copy_end (db, error))
    goto out;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    goto out;

  g_string_truncate (rows, 0);
  for (gint s = 0; s < PQntuples (segs); s++)
    {
      gint id = (gint) int_at (segs, s, 0);
      Figures *f = id >= 1 && id <= max_segment ? &fig[id] : &fig[0];

      g_string_append_printf (rows, "%d\t%" G_GINT64_FORMAT "\t%s\t%" G_GINT64_FORMAT "\t%"
                              G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\n", id, f->pipes,
                              f->length_m ? f->length_m : "0", f->sources, f->premises,
                              f->accounts);
    }
  if (!copy_in (db, "dm.network_segment (segment_id, pipes, length_m, sources, premises,"
                    " accounts)", rows, error))
    goto out;

  g_string_truncate (rows, 0);
  for (guint i = 0; i < counted->len;)
    {
      Counted *c = &g_array_index (counted, Counted, i);
      gint64 n = 0, reachable = 0;
      guint j = i;

      for (; j < counted->len; j++)
        {
          Counted *d = &g_array_index (counted, Counted, j);

          if (d->segment != c->segment || d->community != c->community)
            break;
          n++;
          reachable += d->reachable;
        }
      g_string_append_printf (rows, "%d\t", c->segment);
      aq_copy_append_value (rows, g_ptr_array_index (codes, c->community - 1));
      g_string_append_printf (rows, "\t%" G_GINT64_FORMAT "\t%" G_GINT64_FORMAT "\t%"
                              G_GINT64_FORMAT "\n", n, reachable,
                              g_array_index (totals, gint64, c->community - 1));
      i = j;
    }
  if (!copy_in (db, "dm.valve_segment_community (segment_id, community_code, accounts,"
                    " reachable, accounts_total)", rows, error))
    goto out;

  g_string_truncate (rows, 0);
  for (int i = 0; i < PQntuples (keys); i++)
    {
      Account *a = g_hash_table_lookup (key_accounts, PQgetvalue (keys, i, 1));

      if (a == NULL || (a->flags & (ACC_OPEN | ACC_STANDING | ACC_CUSTOMER))
                       != (ACC_OPEN | ACC_STANDING | ACC_CUSTOMER))
        continue;
      g_string_append_printf (rows, "%d\t%s\t", a->segment, PQgetvalue (keys, i, 0));
      aq_copy_append_value (rows, PQgetvalue (keys, i, 1));
      g_string_append_c (rows, '\t');
      aq_copy_append_value (rows, PQgetvalue (keys, i, 2));
      g_string_append_c (rows, '\t');
      aq_copy_append_value (rows, PQgetvalue (keys, i, 3));
      g_string_append_printf (rows, "\t%s\t%s\t%s\n", (a->flags & ACC_REACHABLE) ? "t" : "f",
                              PQgetvalue (keys, i, 4), PQgetvalue (keys, i, 5));
    }
  if (!copy_in (db, "dm.valve_segment_key_customer (segment_id, kc_id, account_id, name, kind,"
                    " is_reachable, lon, lat)", rows, error))
    goto out;

  ok = aq_db_exec (db, "ANALYZE dm.network_segment; ANALYZE dm.network_segment_valve;"
                       " ANALYZE dm.network_account; ANALYZE dm.valve_segment_community;"
                       " ANALYZE dm.valve_segment_key_customer", error);
  if (ok && out_rows)
    *out_rows = mapped;

out:
  for (gint s = 0; fig && s <= max_segment; s++)
    g_free (fig[s].length_m);
  g_string_chunk_free (chunk);
  return ok;
}

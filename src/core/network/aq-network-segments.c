/* aq-network-segments.c — the valve segments, computed in C for the dm_network pipeline
 *
 * A valve segment is what stays connected when every valve is closed: junctions and pipes
 * joined wherever a pipe meets a junction without a valve between them (migration 012). The
 * pipeline's "segments" step names the native function "network_segments" (see
 * aq-pipeline-native.c); this is it. It reads the junctions, pipes and valves once, runs a
 * union-find over them in memory and writes the four tables back with COPY, on the run's
 * connection and in its transaction. Migration 012's dm.network_build_segments() did the same
 * in PL/pgSQL, element by element, which took minutes at 10^5 pipes; it stays in the schema as
 * the reference the tests compare with (the same rows, segment numbers included).
 *
 * Numbering, as 012's: junctions are elements 0..N-1 in node_id order, pipes N..N+P-1 in
 * pipe_id order; a union keeps the smaller root, so each set's root is its smallest element,
 * and segments are numbered 1, 2, … in the order of their roots.
 */
#define G_LOG_DOMAIN "aq-network-segments"

#include "config.h"

#include "aq-network.h"

#include <stdlib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-pipeline-native.h"

typedef struct
{
  gint64  pipe_id;
  gint64  from_node;
  gint64  to_node;
  guint8  valved;      /* bit 0: a valve at from_node, bit 1: at to_node */
} Pipe;

static int
compare_int64 (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_pipe_key (const void *key,
                  const void *member)
{
  gint64 x = *(const gint64 *) key, y = ((const Pipe *) member)->pipe_id;

  return x < y ? -1 : x > y;
}

/* The index of @id in the ascending @ids, or -1. */
static gint64
find_node (const gint64 *ids,
           gsize         n,
           gint64        id)
{
  const gint64 *hit = bsearch (&id, ids, n, sizeof (gint64), compare_int64);

  return hit ? hit - ids : -1;
}

static guint32
find_root (guint32 *parent,
           guint32  a)
{
  while (parent[a] != a)
    {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
  return a;
}

static void
unite (guint32 *parent,
       guint32  a,
       guint32  b)
{
  a = find_root (parent, a);
  b = find_root (parent, b);
  if (a < b)
    parent[b] = a;
  else if (b < a)
    parent[a] = b;
}

static gint64
int_at (PGresult *res,
        int       row,
        int       column)
{
  return g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10);
}

/* Sends @rows (text COPY lines) into @table's @columns. */
static gboolean
copy_rows (AqDb        *db,
           const char  *table_and_columns,
           GString     *rows,
           GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("COPY %s FROM STDIN", table_and_columns);

  return aq_db_copy_begin (db, sql, error)
         && aq_db_copy_put (db, rows->str, rows->len, error)
         && aq_db_copy_end (db, error);
}

/**
 * aq_network_build_segments:
 * @out_segments: (out) (optional): how many segments there are
 *
 * Fills dm.network_node_segment, network_pipe_segment, network_segment_valve and
 * network_segment (its figures zero: the pipeline's later steps count them) from dw, in the
 * caller's transaction. The same rows as migration 012's dm.network_build_segments().
 */
gboolean
aq_network_build_segments (AqDb          *db,
                           GCancellable  *cancellable,
                           gint64        *out_segments,
                           GError       **error)
{
  g_autoptr(PGresult) nodes = NULL, pipes = NULL, valves = NULL;
  g_autofree gint64 *node_ids = NULL;
  g_autofree Pipe *pipe = NULL;
  g_autofree guint32 *parent = NULL;
  g_autofree gint *segment = NULL;
  g_autoptr(GString) rows = NULL;
  gsize n_nodes, n_pipes, n;
  gint n_segments = 0;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);

  nodes = aq_db_query (db, "SELECT node_id FROM dw.network_node ORDER BY node_id", 0, NULL,
                       error);
  if (nodes == NULL)
    return FALSE;
  pipes = aq_db_query (db, "SELECT pipe_id, from_node, to_node FROM dw.network_pipe"
                           " ORDER BY pipe_id", 0, NULL, error);
  if (pipes == NULL)
    return FALSE;
  valves = aq_db_query (db, "SELECT valve_id, pipe_id, node_id, status, operable"
                            " FROM dw.network_valve ORDER BY valve_id", 0, NULL, error);
  if (valves == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  n_nodes = PQntuples (nodes);
  n_pipes = PQntuples (pipes);
  n = n_nodes + n_pipes;
  node_ids = g_new (gint64, n_nodes + 1);
  for (gsize i = 0; i < n_nodes; i++)
    node_ids[i] = int_at (nodes, (int) i, 0);
  pipe = g_new0 (Pipe, n_pipes + 1);
  for (gsize i = 0; i < n_pipes; i++)
    {
      pipe[i].pipe_id = int_at (pipes, (int) i, 0);
      pipe[i].from_node = int_at (pipes, (int) i, 1);
      pipe[i].to_node = int_at (pipes, (int) i, 2);
    }
  g_clear_pointer (&nodes, PQclear);
  g_clear_pointer (&pipes, PQclear);

  /* a valve cuts its pipe from the junction it sits at (at either end if both are that one) */
  for (int v = 0; v < PQntuples (valves); v++)
    {
      gint64 pipe_id = int_at (valves, v, 1), node_id = int_at (valves, v, 2);
      Pipe *p = bsearch (&pipe_id, pipe, n_pipes, sizeof (Pipe), compare_pipe_key);

      if (p == NULL)
        continue;
      if (p->from_node == node_id)
        p->valved |= 1;
      if (p->to_node == node_id)
        p->valved |= 2;
    }

  parent = g_new (guint32, n + 1);
  for (gsize i = 0; i < n; i++)
    parent[i] = (guint32) i;
  for (gsize i = 0; i < n_pipes; i++)
    {
      guint32 self = (guint32) (n_nodes + i);
      gint64 from = (pipe[i].valved & 1) ? -1 : find_node (node_ids, n_nodes, pipe[i].from_node);
      gint64 to = (pipe[i].valved & 2) ? -1 : find_node (node_ids, n_nodes, pipe[i].to_node);

      if (from >= 0)
        unite (parent, self, (guint32) from);
      if (to >= 0)
        unite (parent, self, (guint32) to);
    }
  /* roots are the smallest elements: numbering them in element order is 012's dense_rank */
  segment = g_new0 (gint, n + 1);
  for (gsize i = 0; i < n; i++)
    {
      guint32 r = find_root (parent, (guint32) i);

      segment[i] = r == i ? ++n_segments : segment[r];
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!aq_db_exec (db, "TRUNCATE dm.network_node_segment, dm.network_pipe_segment,"
                       " dm.network_segment_valve, dm.network_segment", error))
    return FALSE;

  rows = g_string_sized_new (n_nodes * 16 + 64);
  for (gsize i = 0; i < n_nodes; i++)
    g_string_append_printf (rows, "%" G_GINT64_FORMAT "\t%d\n", node_ids[i], segment[i]);
  if (!copy_rows (db, "dm.network_node_segment (node_id, segment_id)", rows, error))
    return FALSE;

  g_string_truncate (rows, 0);
  for (gsize i = 0; i < n_pipes; i++)
    g_string_append_printf (rows, "%" G_GINT64_FORMAT "\t%d\n", pipe[i].pipe_id,
                            segment[n_nodes + i]);
  if (!copy_rows (db, "dm.network_pipe_segment (pipe_id, segment_id)", rows, error))
    return FALSE;

  /* valves whose pipe and junction both exist, as 012's joins */
  g_string_truncate (rows, 0);
  for (int v = 0; v < PQntuples (valves); v++)
    {
      gint64 pipe_id = int_at (valves, v, 1);
      gint64 node = find_node (node_ids, n_nodes, int_at (valves, v, 2));
      Pipe *p = bsearch (&pipe_id, pipe, n_pipes, sizeof (Pipe), compare_pipe_key);

      if (p == NULL || node < 0)
        continue;
      g_string_append_printf (rows, "%s\t%d\t%d\t", PQgetvalue (valves, v, 0),
                              segment[n_nodes + (p - pipe)], segment[node]);
      aq_copy_append_value (rows, PQgetvalue (valves, v, 3));
      g_string_append_printf (rows, "\t%s\n", PQgetvalue (valves, v, 4));
    }
  if (!copy_rows (db, "dm.network_segment_valve (valve_id, pipe_segment, node_segment, status,"
                      " operable)", rows, error))
    return FALSE;

  g_string_truncate (rows, 0);
  for (gint s = 1; s <= n_segments; s++)
    g_string_append_printf (rows, "%d\t0\t0\t0\t0\t0\n", s);
  if (!copy_rows (db, "dm.network_segment (segment_id, pipes, length_m, sources, premises,"
                      " accounts)", rows, error))
    return FALSE;

  if (out_segments)
    *out_segments = n_segments;
  return TRUE;
}

static gboolean
native_accounts (AqDb          *db,
                 GCancellable  *cancellable,
                 gint64        *out_rows,
                 GError       **error)
{
  return aq_network_map_accounts (db, cancellable, out_rows, error);
}

static gboolean
native_segments (AqDb          *db,
                 GCancellable  *cancellable,
                 gint64        *out_rows,
                 GError       **error)
{
  return aq_network_build_segments (db, cancellable, out_rows, error);
}

/**
 * aq_network_register:
 *
 * Once at startup in every program that runs pipelines: provides the dm_network pipeline's
 * native functions "network_segments" and "network_accounts".
 */
void
aq_network_register (void)
{
  aq_pipeline_native_register ("network_segments", native_segments);
  aq_pipeline_native_register ("network_accounts", native_accounts);
}

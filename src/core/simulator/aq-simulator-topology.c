/* aq-simulator-topology.c — the laid pipes joined into a network: junctions, valves,
 * sources, and a service connection from every premise to its nearest main
 *
 * aq-simulator-network.c lays pipes as a drawing would: street mains cut into pieces, a ring
 * round each community, a riser line per building. Here they become a graph the way a GIS
 * editor's "snap and split" makes one: a pipe end that lies on another pipe (a T, a bank road
 * met by a street) splits that pipe there, ends that coincide become one junction, and each
 * community is fed from the nearest street main by one or two connectors (two make a loop).
 *
 * Valves sit at a pipe's end next to a junction, as utilities fit them at tees and crosses:
 * most street ends at a crossing, every community connector at the main, most risers at the
 * ring. The city is cut into three pressure zones (south of the river, the north-west, the
 * north-east) by normally closed valves on the pipes that cross a zone boundary; each zone is
 * one connected network fed by a plant outlet and a tank. A few valves are known to be stuck
 * open (status X). Everything is drawn from the seeded streams, so a seed gives one network.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-topology.h"

#include <math.h>
#include <string.h>

#define INDEX_CELL      100.0   /* metres: the spatial index's cell */
#define SNAP_TOLERANCE  3.0     /* an end this close to a pipe joins it (bank roads are drawn
                                 * as chords of a curve the streets end on) */
#define END_TOLERANCE   0.5     /* a joint this close to a pipe's end is that end */
#define VALVE_SETBACK   3.0     /* metres from the junction to the valve */

/* ---- a spatial index of pipe segments ---- */

typedef struct
{
  guint32 pipe;
  guint32 k;                   /* segment k: points k and k + 1 */
} SegRef;

typedef struct
{
  guint    nx, ny;
  guint32 *start;              /* nx × ny + 1 */
  SegRef  *items;
} SegIndex;

static void
cell_range (SegIndex *ix,
            double    x0,
            double    y0,
            double    x1,
            double    y1,
            int      *cx0,
            int      *cy0,
            int      *cx1,
            int      *cy1)
{
  *cx0 = CLAMP ((int) floor (MIN (x0, x1) / INDEX_CELL), 0, (int) ix->nx - 1);
  *cx1 = CLAMP ((int) floor (MAX (x0, x1) / INDEX_CELL), 0, (int) ix->nx - 1);
  *cy0 = CLAMP ((int) floor (MIN (y0, y1) / INDEX_CELL), 0, (int) ix->ny - 1);
  *cy1 = CLAMP ((int) floor (MAX (y0, y1) / INDEX_CELL), 0, (int) ix->ny - 1);
}

static void
index_build (SegIndex *ix,
             GArray   *pipes,
             GArray   *points)
{
  const double *pt = (const double *) points->data;
  g_autofree guint32 *fill = NULL;

  ix->nx = (guint) (AQ_SIM_WIDTH / INDEX_CELL) + 2;
  ix->ny = (guint) (AQ_SIM_HEIGHT / INDEX_CELL) + 2;
  ix->start = g_new0 (guint32, ix->nx * ix->ny + 1);
  fill = g_new0 (guint32, ix->nx * ix->ny);
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < pipes->len; i++)
        {
          const AqSimPipe *p = &g_array_index (pipes, AqSimPipe, i);

          for (guint k = 0; k + 1 < p->n_points; k++)
            {
              const double *a = &pt[2 * (p->first_point + k)];
              int cx0, cy0, cx1, cy1;

              cell_range (ix, a[0], a[1], a[2], a[3], &cx0, &cy0, &cx1, &cy1);
              for (int cy = cy0; cy <= cy1; cy++)
                for (int cx = cx0; cx <= cx1; cx++)
                  {
                    guint c = (guint) cy * ix->nx + (guint) cx;

                    if (pass == 0)
                      ix->start[c + 1]++;
                    else
                      ix->items[ix->start[c] + fill[c]++] = (SegRef) { i, k };
                  }
            }
        }
      if (pass == 0)
        {
          for (guint c = 0; c < ix->nx * ix->ny; c++)
            ix->start[c + 1] += ix->start[c];
          ix->items = g_new (SegRef, MAX (ix->start[ix->nx * ix->ny], 1u));
        }
    }
}

static void
index_clear (SegIndex *ix)
{
  g_free (ix->start);
  g_free (ix->items);
}

/* The point of segment (@a, @b) nearest to (@x, @y): its parameter and distance. */
static double
project (const double *a,
         double        x,
         double        y,
         double       *t,
         double       *px,
         double       *py)
{
  double dx = a[2] - a[0], dy = a[3] - a[1], l2 = dx * dx + dy * dy;

  *t = l2 > 0 ? CLAMP (((x - a[0]) * dx + (y - a[1]) * dy) / l2, 0.0, 1.0) : 0.0;
  *px = a[0] + *t * dx;
  *py = a[1] + *t * dy;
  return hypot (x - *px, y - *py);
}

typedef struct
{
  guint32 pipe, k;
  double  t, x, y, dist;
} Hit;

/* The nearest segment to (@x, @y) of a pipe whose kind is in @kinds (a bit mask), searching
 * out to @max_dist. FALSE when none is that close. */
static gboolean
index_nearest (SegIndex *ix,
               GArray   *pipes,
               GArray   *points,
               double    x,
               double    y,
               guint     kinds,
               double    max_dist,
               Hit      *hit)
{
  const double *pt = (const double *) points->data;
  int ccx = (int) floor (x / INDEX_CELL), ccy = (int) floor (y / INDEX_CELL);
  int max_ring = (int) ceil (max_dist / INDEX_CELL) + 1;

  hit->dist = G_MAXDOUBLE;
  for (int ring = 0; ring <= max_ring; ring++)
    {
      /* everything within (ring − 1) cells of the point's cell has been seen */
      if (hit->dist <= (ring - 1) * INDEX_CELL)
        break;
      for (int cy = ccy - ring; cy <= ccy + ring; cy++)
        for (int cx = ccx - ring; cx <= ccx + ring; cx++)
          {
            guint c;

            if (MAX (ABS (cx - ccx), ABS (cy - ccy)) != ring
                || cx < 0 || cy < 0 || cx >= (int) ix->nx || cy >= (int) ix->ny)
              continue;
            c = (guint) cy * ix->nx + (guint) cx;
            for (guint32 s = ix->start[c]; s < ix->start[c + 1]; s++)
              {
                const SegRef *ref = &ix->items[s];
                const AqSimPipe *p = &g_array_index (pipes, AqSimPipe, ref->pipe);
                double t, px, py, d;

                if (!(kinds & (1u << p->kind)))
                  continue;
                d = project (&pt[2 * (p->first_point + ref->k)], x, y, &t, &px, &py);
                if (d < hit->dist)
                  *hit = (Hit) { ref->pipe, ref->k, t, px, py, d };
              }
          }
    }
  return hit->dist <= max_dist;
}

/* ---- joining ---- */

typedef struct
{
  guint32 pipe;
  double  pos;                 /* segment index + parameter along it */
  double  x, y;
} Split;

static int
compare_splits (gconstpointer a,
                gconstpointer b)
{
  const Split *x = a, *y = b;

  if (x->pipe != y->pipe)
    return x->pipe < y->pipe ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static double
polyline_length (const double *pt,
                 guint         n)
{
  double len = 0;

  for (guint k = 0; k + 1 < n; k++)
    len += hypot (pt[2 * k + 2] - pt[2 * k], pt[2 * k + 3] - pt[2 * k + 1]);
  return len;
}

/* Feeds for each community: from its south-west corner, and for most also from the
 * north-east one, to the nearest street main. */
static void
add_connectors (AqSim  *sim,
                GArray *pipes,
                GArray *points)
{
  SegIndex ix = { 0 };

  index_build (&ix, pipes, points);
  for (guint c = 0; c < sim->n_communities; c++)
    {
      const AqSimCommunity *cm = &sim->communities[c];
      AqRandom r;
      guint n_feeds;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_PIPE, AQ_SIM_SUB (c, 3));
      n_feeds = aq_random_chance (&r, 0.7) ? 2 : 1;
      for (guint f = 0; f < n_feeds; f++)
        {
          double cx = cm->quad[f == 0 ? 0 : 4], cy = cm->quad[f == 0 ? 1 : 5];
          Hit hit;
          AqSimPipe p = { 0 };

          if (!index_nearest (&ix, pipes, points, cx, cy, 1u << AQ_SIM_PIPE_STREET, 2000.0,
                              &hit))
            continue;
          aq_sim_pipe_attributes (&r, cm->n_premises > 300 ? 200 : 150, 0, &p);
          p.kind = AQ_SIM_PIPE_CONNECTOR;
          p.first_point = points->len / 2;
          p.n_points = 2;
          g_array_append_vals (points, ((double[]) { hit.x, hit.y, cx, cy }), 4);
          g_array_append_val (pipes, p);
        }
    }
  index_clear (&ix);
}

/* Every pipe end that lies on another pipe's inside splits that pipe there; the end moves
 * onto the pipe so that the two share the point exactly. */
static void
node_pipes (GArray *pipes,
            GArray *points)
{
  g_autoptr(GArray) splits = g_array_new (FALSE, FALSE, sizeof (Split));
  g_autoptr(GArray) out_pipes = g_array_new (FALSE, FALSE, sizeof (AqSimPipe));
  g_autoptr(GArray) out_points = g_array_new (FALSE, FALSE, sizeof (double));
  SegIndex ix = { 0 };
  guint n = pipes->len;

  index_build (&ix, pipes, points);
  for (guint i = 0; i < n; i++)
    for (guint e = 0; e < 2; e++)
      {
        const AqSimPipe *p = &g_array_index (pipes, AqSimPipe, i);
        double *end = &g_array_index (points, double,
                                      2 * (p->first_point + (e ? p->n_points - 1u : 0)));
        int cx0, cy0, cx1, cy1;

        cell_range (&ix, end[0] - SNAP_TOLERANCE, end[1] - SNAP_TOLERANCE,
                    end[0] + SNAP_TOLERANCE, end[1] + SNAP_TOLERANCE, &cx0, &cy0, &cx1, &cy1);
        for (int cy = cy0; cy <= cy1; cy++)
          for (int cx = cx0; cx <= cx1; cx++)
            {
              guint c = (guint) cy * ix.nx + (guint) cx;

              for (guint32 s = ix.start[c]; s < ix.start[c + 1]; s++)
                {
                  const SegRef *ref = &ix.items[s];
                  const AqSimPipe *q = &g_array_index (pipes, AqSimPipe, ref->pipe);
                  const double *qp = &g_array_index (points, double, 2 * q->first_point);
                  double t, px, py, d, along, len;

                  if (ref->pipe == i)
                    continue;
                  d = project (&qp[2 * ref->k], end[0], end[1], &t, &px, &py);
                  if (d > SNAP_TOLERANCE)
                    continue;
                  /* near one of q's ends: the ends meet, there is nothing to split */
                  along = polyline_length (qp, ref->k + 1)
                          + t * hypot (qp[2 * ref->k + 2] - qp[2 * ref->k],
                                       qp[2 * ref->k + 3] - qp[2 * ref->k + 1]);
                  len = polyline_length (qp, q->n_points);
                  if (along < END_TOLERANCE || along > len - END_TOLERANCE)
                    {
                      const double *qe = along < END_TOLERANCE ? &qp[0]
                                                                : &qp[2 * (q->n_points - 1u)];

                      if (hypot (qe[0] - end[0], qe[1] - end[1]) <= SNAP_TOLERANCE)
                        {
                          end[0] = qe[0];
                          end[1] = qe[1];
                        }
                      continue;
                    }
                  end[0] = px;
                  end[1] = py;
                  g_array_append_val (splits, ((Split) { ref->pipe, ref->k + t, px, py }));
                }
            }
      }
  index_clear (&ix);

  g_array_sort (splits, compare_splits);
  for (guint i = 0, s = 0; i < n; i++)
    {
      const AqSimPipe *p = &g_array_index (pipes, AqSimPipe, i);
      const double *pt = &g_array_index (points, double, 2 * p->first_point);
      AqSimPipe piece = *p;
      double last_pos = -1;

      piece.first_point = out_points->len / 2;
      g_array_append_vals (out_points, pt, 2);
      for (guint k = 0; k + 1 < p->n_points; k++)
        {
          for (; s < splits->len && g_array_index (splits, Split, s).pipe == i
                 && g_array_index (splits, Split, s).pos < k + 1; s++)
            {
              const Split *sp = &g_array_index (splits, Split, s);

              if (sp->pos - last_pos < 1e-6)
                continue;
              last_pos = sp->pos;
              g_array_append_vals (out_points, &sp->x, 2);
              piece.n_points = (guint16) (out_points->len / 2 - piece.first_point);
              g_array_append_val (out_pipes, piece);
              piece.first_point = out_points->len / 2;
              g_array_append_vals (out_points, &sp->x, 2);
            }
          g_array_append_vals (out_points, &pt[2 * k + 2], 2);
        }
      for (; s < splits->len && g_array_index (splits, Split, s).pipe == i; s++)
        ;
      piece.n_points = (guint16) (out_points->len / 2 - piece.first_point);
      g_array_append_val (out_pipes, piece);
    }

  /* drop what the splitting left without length (a split at a vertex) */
  g_array_set_size (pipes, 0);
  g_array_set_size (points, 0);
  for (guint i = 0; i < out_pipes->len; i++)
    {
      AqSimPipe p = g_array_index (out_pipes, AqSimPipe, i);
      const double *pt = &g_array_index (out_points, double, 2 * p.first_point);
      g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint k = 0; k < p.n_points; k++)
        if (k == 0 || hypot (pt[2 * k] - g_array_index (kept, double, kept->len - 2),
                             pt[2 * k + 1] - g_array_index (kept, double, kept->len - 1)) > 1e-6)
          g_array_append_vals (kept, &pt[2 * k], 2);
      if (kept->len < 4)
        continue;
      p.first_point = points->len / 2;
      p.n_points = (guint16) (kept->len / 2);
      p.length = polyline_length ((const double *) kept->data, p.n_points);
      g_array_append_vals (points, kept->data, kept->len);
      g_array_append_val (pipes, p);
    }
}

#define NODE_CELL 0.5     /* metres: ends closer than this are one junction */

static guint64
cell_key (gint64 cx,
          gint64 cy)
{
  return (guint64) cx << 32 | (guint32) cy;
}

/* Ends within NODE_CELL of each other are one junction (the splitting leaves the ends that
 * meet a few rounding errors apart, never more). */
static void
make_junctions (AqSimTopology *topo)
{
  g_autoptr(GHashTable) cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                                       NULL);

  for (guint i = 0; i < topo->pipes->len; i++)
    {
      AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);

      for (guint e = 0; e < 2; e++)
        {
          const double *xy = &g_array_index (topo->points, double,
                                             2 * (p->first_point + (e ? p->n_points - 1u : 0)));
          gint64 cx = (gint64) floor (xy[0] / NODE_CELL), cy = (gint64) floor (xy[1] / NODE_CELL);
          gint64 node = -1;

          for (gint64 dy = -1; dy <= 1 && node < 0; dy++)
            for (gint64 dx = -1; dx <= 1 && node < 0; dx++)
              {
                guint64 key = cell_key (cx + dx, cy + dy);
                gpointer found = g_hash_table_lookup (cells, &key);

                if (found)
                  {
                    guint32 v = GPOINTER_TO_UINT (found) - 1;
                    const double *at = &g_array_index (topo->nodes, double, 2 * v);

                    if (hypot (at[0] - xy[0], at[1] - xy[1]) < NODE_CELL)
                      node = v;
                  }
              }
          if (node < 0)
            {
              guint64 *key = g_new (guint64, 1);

              node = topo->nodes->len / 2;
              g_array_append_vals (topo->nodes, xy, 2);
              *key = cell_key (cx, cy);
              g_hash_table_insert (cells, key, GUINT_TO_POINTER ((guint) node + 1));
            }
          if (e)
            p->to = (guint32) node;
          else
            p->from = (guint32) node;
        }
    }

  /* a pipe whose ends met is no pipe */
  for (guint i = topo->pipes->len; i-- > 0;)
    if (g_array_index (topo->pipes, AqSimPipe, i).from == g_array_index (topo->pipes, AqSimPipe,
                                                                        i).to)
      g_array_remove_index (topo->pipes, i);
}

/* ---- valves, zones and sources ---- */

static void
valve_point (AqSimTopology *topo,
             guint32        pipe,
             guint32        node,
             double        *x,
             double        *y)
{
  const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, pipe);
  const double *pt = &g_array_index (topo->points, double, 2 * p->first_point);
  const double *a, *b;
  double len, f;

  if (node == p->from)
    a = &pt[0], b = &pt[2];
  else
    a = &pt[2 * (p->n_points - 1u)], b = &pt[2 * (p->n_points - 2u)];
  len = hypot (b[0] - a[0], b[1] - a[1]);
  f = len > 0 ? MIN (VALVE_SETBACK, len * 0.25) / len : 0;
  *x = a[0] + f * (b[0] - a[0]);
  *y = a[1] + f * (b[1] - a[1]);
}

/* Pressure zones grow with the city: south of the river one (three at 1 M accounts), north of
 * it two (six at 1 M), side by side, split at streets. */
static guint
zones_south (AqSim *sim)
{
  return MIN (1u + (guint) floor (sim->scale * 2.0), 4u);
}

static guint
zones_north (AqSim *sim)
{
  return MIN (2u + (guint) floor (sim->scale * 4.0), 8u);
}

static guint
pressure_zone (AqSim        *sim,
               const double *xy)
{
  gboolean south = xy[1] < aq_sim_river_center (xy[0]);
  guint n = south ? zones_south (sim) : zones_north (sim), k = 0;

  while (k + 1 < n && xy[0] >= sim->col_x[sim->n_cols * (k + 1) / n])
    k++;
  return south ? k : zones_south (sim) + k;
}

static void
place_valves_and_sources (AqSim         *sim,
                          AqSimTopology *topo)
{
  guint n_nodes = topo->nodes->len / 2, n_pipes = topo->pipes->len;
  g_autofree guint32 *degree = g_new0 (guint32, n_nodes);
  g_autofree guint32 *adj_start = g_new0 (guint32, n_nodes + 1);
  g_autofree guint32 *adj = g_new (guint32, 2 * n_pipes + 1);
  g_autofree guint32 *fill = g_new0 (guint32, n_nodes);
  g_autofree guint8 *zone = g_new (guint8, n_nodes);
  g_autofree guint8 *street = g_new0 (guint8, n_nodes);
  g_autofree guint16 *max_dn = g_new0 (guint16, n_nodes);
  g_autofree gint32 *valve_at = g_new (gint32, 2 * n_pipes + 1);   /* per pipe end */
  g_autofree guint32 *queue = g_new (guint32, n_nodes + 1);
  guint n_zones = zones_south (sim) + zones_north (sim);
  const double *nodes = (const double *) topo->nodes->data;
  guint head = 0, tail = 0;

  for (guint i = 0; i < n_pipes; i++)
    {
      const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);

      degree[p->from]++;
      degree[p->to]++;
      adj_start[p->from + 1]++;
      adj_start[p->to + 1]++;
      if (p->kind == AQ_SIM_PIPE_STREET)
        street[p->from] = street[p->to] = 1;
      max_dn[p->from] = MAX (max_dn[p->from], p->dn);
      max_dn[p->to] = MAX (max_dn[p->to], p->dn);
    }
  for (guint v = 0; v < n_nodes; v++)
    adj_start[v + 1] += adj_start[v];
  for (guint i = 0; i < n_pipes; i++)
    {
      const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);

      adj[adj_start[p->from] + fill[p->from]++] = i;
      adj[adj_start[p->to] + fill[p->to]++] = i;
    }

  /* valves where utilities fit them */
  for (guint i = 0; i < n_pipes; i++)
    {
      const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_PIPE, AQ_SIM_SUB (i, 2));
      for (guint e = 0; e < 2; e++)
        {
          guint32 node = e ? p->to : p->from, other = e ? p->from : p->to;
          double chance;

          valve_at[2 * i + e] = -1;
          switch (p->kind)
            {
            case AQ_SIM_PIPE_STREET:
              chance = degree[node] >= 3 ? 0.8 : degree[node] == 2 ? 0.12 : 0.0;
              break;
            case AQ_SIM_PIPE_CONNECTOR:
              chance = street[node] && !street[other] ? 1.0 : 0.0;
              break;
            case AQ_SIM_PIPE_LATERAL:
              chance = degree[node] >= 2 ? 0.8 : 0.0;
              break;
            case AQ_SIM_PIPE_LANE:
              chance = street[node] ? 0.9 : degree[node] >= 3 ? 0.3 : 0.0;
              break;
            default:
              chance = degree[node] >= 3 ? 0.3 : 0.0;
              break;
            }
          if (aq_random_chance (&r, chance))
            {
              AqSimValve v = { i, node, 0, 0, aq_random_chance (&r, 0.04) ? 'X' : 'O' };

              valve_point (topo, i, node, &v.x, &v.y);
              valve_at[2 * i + e] = (gint32) topo->valves->len;
              g_array_append_val (topo->valves, v);
            }
        }
    }

  /* pressure zones: street junctions by where they lie, the rest by what feeds them */
  for (guint v = 0; v < n_nodes; v++)
    {
      zone[v] = 255;
      if (street[v])
        {
          zone[v] = (guint8) pressure_zone (sim, &nodes[2 * v]);
          queue[tail++] = v;
        }
    }
  while (head < tail)
    {
      guint32 v = queue[head++];

      for (guint32 a = adj_start[v]; a < adj_start[v + 1]; a++)
        {
          const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, adj[a]);
          guint32 w = p->from == v ? p->to : p->from;

          if (zone[w] == 255)
            {
              zone[w] = zone[v];
              queue[tail++] = w;
            }
        }
    }
  for (guint i = 0; i < n_pipes; i++)
    {
      const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);

      if (zone[p->from] == zone[p->to])
        continue;
      if (valve_at[2 * i + 1] >= 0)
        g_array_index (topo->valves, AqSimValve, valve_at[2 * i + 1]).status = 'C';
      else
        {
          AqSimValve v = { i, p->to, 0, 0, 'C' };

          valve_point (topo, i, p->to, &v.x, &v.y);
          g_array_append_val (topo->valves, v);
        }
    }

  /* a plant outlet on the zone's biggest main, westmost, and a tank on it, eastmost */
  {
    static const char * const plants[] = { "城南水厂出厂", "西区水厂出厂", "东区水厂出厂" };
    static const char * const tanks[] = { "南区高位水池", "西区调蓄水池", "东区高位水池" };

    for (guint z = 0; z < n_zones; z++)
      {
        gint64 plant = -1, tank = -1;
        const char *plant_name = z < 3 ? plants[z] : NULL, *tank_name = z < 3 ? tanks[z] : NULL;

        for (guint v = 0; v < n_nodes; v++)
          {
            if (zone[v] != z || !street[v] || degree[v] < 3)
              continue;
            if (plant < 0 || max_dn[v] > max_dn[plant]
                || (max_dn[v] == max_dn[plant] && nodes[2 * v] < nodes[2 * plant]))
              plant = v;
            if (tank < 0 || max_dn[v] > max_dn[tank]
                || (max_dn[v] == max_dn[tank] && nodes[2 * v] > nodes[2 * tank]))
              tank = v;
          }
        if (plant < 0)
          continue;
        if (n_zones != 3)
          {
            g_autofree char *p = g_strdup_printf ("%u号加压区水厂出厂", z + 1);
            g_autofree char *t = g_strdup_printf ("%u号加压区调蓄水池", z + 1);

            plant_name = aq_sim_intern (sim, p);
            tank_name = aq_sim_intern (sim, t);
          }
        g_array_append_val (topo->sources,
                            ((AqSimSource) { (guint32) plant, "PLANT", plant_name }));
        if (tank != plant)
          g_array_append_val (topo->sources,
                              ((AqSimSource) { (guint32) tank, "TANK", tank_name }));
      }
  }
}

static void
connect_premises (AqSim         *sim,
                  AqSimTopology *topo)
{
  SegIndex ix = { 0 };

  topo->premise_pipe = g_new (guint32, MAX (sim->n_premises, 1u));
  topo->premise_tap = g_new (float, MAX (sim->n_premises, 1u));
  index_build (&ix, topo->pipes, topo->points);
  for (guint i = 0; i < sim->n_premises; i++)
    {
      const AqSimPremise *pr = &sim->premises[i];
      Hit hit;

      /* not the connectors: a connector is a feed, not a main anyone taps */
      if (!index_nearest (&ix, topo->pipes, topo->points, pr->x, pr->y,
                          ~(1u << AQ_SIM_PIPE_CONNECTOR), 20000.0, &hit))
        index_nearest (&ix, topo->pipes, topo->points, pr->x, pr->y, ~0u, 40000.0, &hit);
      topo->premise_pipe[i] = hit.pipe;
      topo->premise_tap[i] = (float) hit.dist;
    }
  index_clear (&ix);
}

/* ---- public ---- */

void
aq_sim_pipe_attributes (AqRandom  *r,
                        guint16    dn,
                        double     age_bias,
                        AqSimPipe *p)
{
  double u = aq_random_double (r);

  p->dn = dn;
  if (dn >= 600)
    p->material = u < 0.4 ? 3 : u < 0.8 ? 2 : 0;
  else if (dn >= 300)
    p->material = u < 0.6 ? 0 : u < 0.9 ? 2 : 4;
  else
    p->material = u < 0.45 ? 0 : u < 0.75 ? 1 : 4;
  switch (p->material)
    {
    case 4: p->year = (guint16) aq_random_range (r, 1965, 1995); break;
    case 3: p->year = (guint16) aq_random_range (r, 1990, 2015); break;
    case 1: p->year = (guint16) aq_random_range (r, 2005, 2025); break;
    case 2: p->year = (guint16) aq_random_range (r, 1975, 2020); break;
    default:
      p->year = (guint16) aq_sim_clamp (aq_random_range (r, 1995, 2025) - (int) (age_bias * 8),
                                        1990, 2025);
      break;
    }
}

/**
 * aq_sim_topology_build:
 *
 * Joins the laid pipes (@pipes, @points: taken over) into @topo's network.
 */
void
aq_sim_topology_build (AqSim         *sim,
                       GArray        *pipes,
                       GArray        *points,
                       AqSimTopology *topo)
{
  memset (topo, 0, sizeof *topo);
  topo->pipes = g_array_ref (pipes);
  topo->points = g_array_ref (points);
  topo->nodes = g_array_new (FALSE, FALSE, sizeof (double));
  topo->valves = g_array_new (FALSE, FALSE, sizeof (AqSimValve));
  topo->sources = g_array_new (FALSE, FALSE, sizeof (AqSimSource));

  add_connectors (sim, topo->pipes, topo->points);
  node_pipes (topo->pipes, topo->points);
  make_junctions (topo);
  place_valves_and_sources (sim, topo);
  connect_premises (sim, topo);
}

void
aq_sim_topology_clear (AqSimTopology *topo)
{
  g_clear_pointer (&topo->pipes, g_array_unref);
  g_clear_pointer (&topo->points, g_array_unref);
  g_clear_pointer (&topo->nodes, g_array_unref);
  g_clear_pointer (&topo->valves, g_array_unref);
  g_clear_pointer (&topo->sources, g_array_unref);
  g_clear_pointer (&topo->premise_pipe, g_free);
  g_clear_pointer (&topo->premise_tap, g_free);
}

/**
 * aq_sim_topology_write:
 *
 * Writes src_gis.junction, pipe, valve, source and service_connection.
 */
gboolean
aq_sim_topology_write (AqSim         *sim,
                       AqSimTopology *topo,
                       GError       **error)
{
  static const char * const materials[] = { "DI", "PE", "STEEL", "PCCP", "CI" };
  const double *nodes = (const double *) topo->nodes->data;
  AqCopyWriter *w;
  g_autofree double *xy = NULL;
  guint max_points = 2;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES, "src_gis.junction (node_id, geom)", error);
  if (w == NULL)
    return FALSE;
  for (guint v = 0; v < topo->nodes->len / 2; v++)
    {
      aq_copy_writer_row (w, 2);
      aq_copy_writer_int64 (w, v + 1);
      aq_copy_writer_point (w, AQ_SIM_SRID, aq_sim_lon (nodes[2 * v]),
                            aq_sim_lat (nodes[2 * v + 1]));
      aq_copy_writer_end_row (w);
    }
  if (!aq_sim_copy_end (sim, w, "src_gis.junction", error))
    return FALSE;

  for (guint i = 0; i < topo->pipes->len; i++)
    max_points = MAX (max_points, g_array_index (topo->pipes, AqSimPipe, i).n_points);
  xy = g_new (double, 2 * max_points);
  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                   "src_gis.pipe (pipe_id, dn, material, install_year, from_node, to_node, "
                   "length_m, geom)", error);
  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < topo->pipes->len; i++)
    {
      const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);
      const double *pt = &g_array_index (topo->points, double, 2 * p->first_point);

      for (guint k = 0; k < p->n_points; k++)
        {
          xy[2 * k] = aq_sim_lon (pt[2 * k]);
          xy[2 * k + 1] = aq_sim_lat (pt[2 * k + 1]);
        }
      aq_copy_writer_row (w, 8);
      aq_copy_writer_int64 (w, i + 1);
      aq_copy_writer_int16 (w, (gint16) p->dn);
      aq_copy_writer_text (w, materials[p->material], -1);
      aq_copy_writer_int16 (w, (gint16) p->year);
      aq_copy_writer_int64 (w, p->from + 1);
      aq_copy_writer_int64 (w, p->to + 1);
      aq_copy_writer_numeric (w, (gint64) llround (p->length * 10.0), 1);
      aq_copy_writer_linestring (w, AQ_SIM_SRID, xy, p->n_points);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  if (!aq_sim_copy_end (sim, w, "src_gis.pipe", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                   "src_gis.valve (valve_id, dn, status, pipe_id, node_id, geom)", error);
  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < topo->valves->len; i++)
    {
      const AqSimValve *v = &g_array_index (topo->valves, AqSimValve, i);

      aq_copy_writer_row (w, 6);
      aq_copy_writer_int64 (w, i + 1);
      aq_copy_writer_int16 (w, (gint16) g_array_index (topo->pipes, AqSimPipe, v->pipe).dn);
      aq_copy_writer_text (w, &v->status, 1);
      aq_copy_writer_int64 (w, v->pipe + 1);
      aq_copy_writer_int64 (w, v->node + 1);
      aq_copy_writer_point (w, AQ_SIM_SRID, aq_sim_lon (v->x), aq_sim_lat (v->y));
      aq_copy_writer_end_row (w);
    }
  if (!aq_sim_copy_end (sim, w, "src_gis.valve", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                   "src_gis.source (source_id, kind, name, node_id, geom)", error);
  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < topo->sources->len; i++)
    {
      const AqSimSource *s = &g_array_index (topo->sources, AqSimSource, i);

      aq_copy_writer_row (w, 5);
      aq_copy_writer_int32 (w, (gint32) i + 1);
      aq_copy_writer_text (w, s->kind, -1);
      aq_copy_writer_text (w, s->name, -1);
      aq_copy_writer_int64 (w, s->node + 1);
      aq_copy_writer_point (w, AQ_SIM_SRID, aq_sim_lon (nodes[2 * s->node]),
                            aq_sim_lat (nodes[2 * s->node + 1]));
      aq_copy_writer_end_row (w);
    }
  if (!aq_sim_copy_end (sim, w, "src_gis.source", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                   "src_gis.service_connection (premise_id, pipe_id, length_m)", error);
  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < sim->n_premises; i++)
    {
      aq_copy_writer_row (w, 3);
      aq_copy_writer_int64 (w, i + 1);
      aq_copy_writer_int64 (w, topo->premise_pipe[i] + 1);
      aq_copy_writer_numeric (w, (gint64) llround (topo->premise_tap[i] * 10.0), 1);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_gis.service_connection", error);
}

static guint32
uf_find (guint32 *parent,
         guint32  v)
{
  while (parent[v] != v)
    v = parent[v] = parent[parent[v]];
  return v;
}

/* Components of the pipes, leaving out those with a valve of status @cut (0: none). */
static guint
count_components (AqSimTopology *topo,
                  char           cut)
{
  guint n_nodes = topo->nodes->len / 2, n = n_nodes;
  g_autofree guint32 *parent = g_new (guint32, MAX (n_nodes, 1u));
  g_autofree guint8 *cut_pipe = g_new0 (guint8, MAX (topo->pipes->len, 1u));

  for (guint v = 0; v < n_nodes; v++)
    parent[v] = v;
  for (guint i = 0; cut && i < topo->valves->len; i++)
    if (g_array_index (topo->valves, AqSimValve, i).status == cut)
      cut_pipe[g_array_index (topo->valves, AqSimValve, i).pipe] = 1;
  for (guint i = 0; i < topo->pipes->len; i++)
    {
      const AqSimPipe *p = &g_array_index (topo->pipes, AqSimPipe, i);
      guint32 a = uf_find (parent, p->from), b = uf_find (parent, p->to);

      if (cut_pipe[i] || a == b)
        continue;
      parent[a] = b;
      n--;
    }
  return n;
}

/**
 * aq_sim_network_shape:
 *
 * Builds the demo's network for (@seed, @n_accounts) in memory, as the simulator would write
 * it, and counts what it is made of.
 */
void
aq_sim_network_shape (guint64            seed,
                      guint              n_accounts,
                      AqSimNetworkShape *shape)
{
  AqSim sim = { 0 };
  g_autoptr(GArray) pipes = g_array_new (FALSE, FALSE, sizeof (AqSimPipe));
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree guint32 *degree = NULL;
  AqSimTopology topo;
  guint n_nodes;

  memset (shape, 0, sizeof *shape);
  sim.seed = seed;
  sim.n_accounts = n_accounts;
  sim.scale = n_accounts / 1e6;
  sim.strings = g_string_chunk_new (64 * 1024);
  aq_sim_geo_build (&sim);
  aq_sim_network_lay (&sim, pipes, points);
  aq_sim_topology_build (&sim, pipes, points, &topo);

  n_nodes = topo.nodes->len / 2;
  degree = g_new0 (guint32, MAX (n_nodes, 1u));
  shape->pipes = topo.pipes->len;
  shape->junctions = n_nodes;
  shape->valves = topo.valves->len;
  shape->sources = topo.sources->len;
  shape->premises = sim.n_premises;
  for (guint i = 0; i < topo.pipes->len; i++)
    {
      const AqSimPipe *p = &g_array_index (topo.pipes, AqSimPipe, i);

      degree[p->from]++;
      degree[p->to]++;
      shape->length_km += p->length / 1000.0;
    }
  for (guint v = 0; v < n_nodes; v++)
    shape->dead_ends += degree[v] == 1;
  for (guint i = 0; i < topo.valves->len; i++)
    {
      char st = g_array_index (topo.valves, AqSimValve, i).status;

      shape->closed_valves += st == 'C';
      shape->inoperable_valves += st == 'X';
    }
  shape->components = count_components (&topo, 0);
  shape->pressure_zones = count_components (&topo, 'C');
  shape->loops = shape->pipes + shape->components - shape->junctions;

  aq_sim_topology_clear (&topo);
  g_string_chunk_free (sim.strings);
  g_free (sim.lines);
  g_free (sim.col_x);
  g_free (sim.row_y);
  g_free (sim.col_line);
  g_free (sim.row_line);
  g_free (sim.cell_district);
  g_free (sim.slots);
  g_free (sim.communities);
  g_free (sim.companies);
  g_free (sim.company_phones);
  g_free (sim.premises);
}

/* aq-simulator-network.c — the network on the map: mains, valves, DMA boundary meters and
 * their monthly volumes, key customers, and the shutoffs the dispatch desk drew
 *
 * Mains run under every street (transmission mains under the arterials that cross the river
 * and along the banks), ring mains round each community. Each level-3 zone takes its water
 * through one to three metered inlets; some pass part of it on to a neighbour through a
 * metered transfer. A zone's monthly input is what its accounts were billed divided by
 * (1 − its non-revenue share), so NRW computed from these tables comes out as drawn.
 * The laid pipes are joined into a network (junctions, valves, sources, service connections)
 * in aq-simulator-topology.c.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-topology.h"

#include <math.h>
#include <string.h>

#define PIPE_PIECE   220.0
#define GRID_CELL    100.0

/* ---- premises by location, for outage polygons ---- */

typedef struct
{
  guint     nx, ny;
  guint32  *start;     /* nx × ny + 1 */
  guint32  *items;     /* premise indices */
} Grid;

static void
grid_build (AqSim *sim,
            Grid  *g)
{
  guint n = sim->n_premises;
  g_autofree guint32 *fill = NULL;

  g->nx = (guint) (AQ_SIM_WIDTH / GRID_CELL) + 1;
  g->ny = (guint) (AQ_SIM_HEIGHT / GRID_CELL) + 1;
  g->start = g_new0 (guint32, g->nx * g->ny + 1);
  g->items = g_new (guint32, MAX (n, 1u));
  fill = g_new0 (guint32, g->nx * g->ny);
  for (guint i = 0; i < n; i++)
    {
      guint cx = (guint) (sim->premises[i].x / GRID_CELL);
      guint cy = (guint) (sim->premises[i].y / GRID_CELL);

      g->start[cy * g->nx + cx + 1]++;
    }
  for (guint c = 0; c < g->nx * g->ny; c++)
    g->start[c + 1] += g->start[c];
  for (guint i = 0; i < n; i++)
    {
      guint cx = (guint) (sim->premises[i].x / GRID_CELL);
      guint cy = (guint) (sim->premises[i].y / GRID_CELL);
      guint c = cy * g->nx + cx;

      g->items[g->start[c] + fill[c]++] = i;
    }
}

static void
grid_clear (Grid *g)
{
  g_free (g->start);
  g_free (g->items);
}

/* Accounts open on @day at premises within @radius of (@x, @y). */
static guint
count_within (AqSim  *sim,
              Grid   *g,
              double  x,
              double  y,
              double  radius,
              gint32  day)
{
  int x0 = MAX (0, (int) ((x - radius) / GRID_CELL));
  int x1 = MIN ((int) g->nx - 1, (int) ((x + radius) / GRID_CELL));
  int y0 = MAX (0, (int) ((y - radius) / GRID_CELL));
  int y1 = MIN ((int) g->ny - 1, (int) ((y + radius) / GRID_CELL));
  guint n = 0;

  for (int cy = y0; cy <= y1; cy++)
    for (int cx = x0; cx <= x1; cx++)
      for (guint32 k = g->start[cy * g->nx + cx]; k < g->start[cy * g->nx + cx + 1]; k++)
        {
          const AqSimPremise *p = &sim->premises[g->items[k]];

          if (p->account != AQ_SIM_NONE && aq_sim_account_active (&sim->accounts[p->account], day)
              && (p->x - x) * (p->x - x) + (p->y - y) * (p->y - y) <= radius * radius)
            n++;
        }
  return n;
}

static gboolean
inside_polygon (const double *poly,
                guint         n,
                double        x,
                double        y)
{
  gboolean in = FALSE;

  for (guint i = 0, j = n - 1; i < n; j = i++)
    {
      double xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];

      if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
        in = !in;
    }
  return in;
}

/* ---- outages ---- */

static void
build_outage (AqSim       *sim,
              Grid        *g,
              guint        o,
              AqSimOutage *out,
              GArray      *affected)
{
  AqRandom r;
  gint32 day;
  double target, radius = 60.0, rot;
  const AqSimPremise *center = NULL;
  int x0, x1, y0, y1;
  double minx = G_MAXDOUBLE, maxx = -G_MAXDOUBLE, miny = G_MAXDOUBLE, maxy = -G_MAXDOUBLE;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_OUTAGE, o);
  day = aq_sim_seconds_day (out->start);
  for (guint t = 0; t < 40 && center == NULL; t++)
    {
      const AqSimPremise *p = &sim->premises[aq_random_below (&r, sim->n_premises)];

      if (p->account != AQ_SIM_NONE && aq_sim_account_active (&sim->accounts[p->account], day))
        center = p;
    }
  if (center == NULL)
    center = &sim->premises[aq_random_below (&r, sim->n_premises)];
  out->center_premise = (guint32) (center - sim->premises);

  target = out->kind == 'P' ? aq_random_uniform (&r, 300, 2000) : aq_random_uniform (&r, 50, 1000);
  target = MAX (5.0, target * sim->scale);
  while (radius < 1500.0 && count_within (sim, g, center->x, center->y, radius, day) < target)
    radius *= 1.25;

  rot = aq_random_uniform (&r, 0, G_PI / 4);
  for (guint v = 0; v < 8; v++)
    {
      double a = rot + v * G_PI / 4, rr = radius * aq_random_uniform (&r, 1.1, 1.35);

      out->poly[2 * v] = center->x + rr * cos (a);
      out->poly[2 * v + 1] = center->y + rr * sin (a);
      minx = MIN (minx, out->poly[2 * v]);
      maxx = MAX (maxx, out->poly[2 * v]);
      miny = MIN (miny, out->poly[2 * v + 1]);
      maxy = MAX (maxy, out->poly[2 * v + 1]);
    }
  out->dn = (guint16) aq_random_pick (&r, ((const guint16[]) { 100, 150, 200, 300, 400 }));
  out->cause = (guint8) aq_random_below (&r, 4);

  out->first_affected = affected->len;
  x0 = MAX (0, (int) (minx / GRID_CELL));
  x1 = MIN ((int) g->nx - 1, (int) (maxx / GRID_CELL));
  y0 = MAX (0, (int) (miny / GRID_CELL));
  y1 = MIN ((int) g->ny - 1, (int) (maxy / GRID_CELL));
  for (int cy = y0; cy <= y1; cy++)
    for (int cx = x0; cx <= x1; cx++)
      for (guint32 k = g->start[cy * g->nx + cx]; k < g->start[cy * g->nx + cx + 1]; k++)
        {
          const AqSimPremise *p = &sim->premises[g->items[k]];

          if (p->account != AQ_SIM_NONE && aq_sim_account_active (&sim->accounts[p->account], day)
              && inside_polygon (out->poly, 8, p->x, p->y))
            g_array_append_val (affected, p->account);
        }
  out->n_affected = affected->len - out->first_affected;
}

static int
compare_outages (gconstpointer a,
                 gconstpointer b)
{
  const AqSimOutage *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->kind < y->kind ? -1 : x->kind > y->kind;
}

static void
build_outages (AqSim *sim)
{
  guint n_p = (guint) floor (1000.0 * sim->scale * sim->n_months / 12.0 + 0.5);
  guint n_e = (guint) floor (800.0 * sim->scale * sim->n_months / 12.0 + 0.5);
  g_autoptr(GArray) affected = g_array_new (FALSE, FALSE, sizeof (guint32));
  Grid g = { 0 };
  guint n;

  n_p = MAX (n_p, 6u);
  n_e = MAX (n_e, 4u);
  n = n_p + n_e;
  sim->n_outages = n;
  sim->outages = g_new0 (AqSimOutage, n);
  for (guint o = 0; o < n; o++)
    {
      AqSimOutage *out = &sim->outages[o];
      AqRandom r;
      gint32 day;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_OUTAGE, AQ_SIM_SUB (o, 1));
      out->kind = o < n_p ? 'P' : 'E';
      day = sim->first_day + (gint32) aq_random_below (&r, (guint32) (sim->now_day - 2
                                                                      - sim->first_day));
      if (out->kind == 'P')
        {
          out->start = aq_sim_day_seconds (day) + (aq_random_chance (&r, 0.6) ? 22 : 8) * 3600;
          out->end = out->start + (gint64) aq_random_range (&r, 4, 24) * 3600;
          out->restored = out->end + aq_random_range (&r, -1800, 5400);
          strcpy (out->status, aq_random_chance (&r, 0.03) ? "CAN" : "FIN");
        }
      else
        {
          out->start = aq_sim_day_seconds (day) + aq_random_below (&r, 86400);
          out->end = out->start + (gint64) aq_random_range (&r, 2, 12) * 3600;
          out->restored = out->end + aq_random_range (&r, -3600, 3600);
          strcpy (out->status, "FIN");
        }
      if (strcmp (out->status, "CAN") == 0)
        out->restored = 0;
    }

  /* what is happening as the data ends: a planned night job under way, a burst being
   * repaired, and a planned shutoff announced for later this week */
  {
    AqSimOutage *a = &sim->outages[n - 3], *e = &sim->outages[n - 2], *p = &sim->outages[n - 1];
    gint64 midnight = aq_sim_day_seconds (sim->now_day);

    a->kind = 'P';
    a->start = midnight + 22 * 3600;
    a->end = a->start + 8 * 3600;
    a->restored = 0;
    strcpy (a->status, "ACT");
    e->kind = 'E';
    e->start = sim->now - 3 * 3600;
    e->end = sim->now + 3 * 3600;
    e->restored = 0;
    strcpy (e->status, "ACT");
    p->kind = 'P';
    p->start = midnight + 3 * 86400 + 22 * 3600;
    p->end = p->start + 6 * 3600;
    p->restored = 0;
    strcpy (p->status, "PLN");
  }
  qsort (sim->outages, n, sizeof *sim->outages, compare_outages);

  grid_build (sim, &g);
  for (guint o = 0; o < n; o++)
    build_outage (sim, &g, o, &sim->outages[o], affected);
  grid_clear (&g);
  sim->outage_accounts = (guint32 *) g_array_free (g_steal_pointer (&affected), FALSE);
}

/* ---- boundary meters ---- */

/* A point on the side of cell (@c, @r) facing @side (0 south, 1 east, 2 north, 3 west). */
static void
cell_side_point (AqSim  *sim,
                 guint   c,
                 guint   r,
                 guint   side,
                 double *x,
                 double *y)
{
  double xm = (sim->col_x[c] + sim->col_x[c + 1]) / 2;

  switch (side)
    {
    case 0:
      *x = xm;
      *y = aq_sim_row_bottom (sim, r, xm);
      break;
    case 2:
      *x = xm;
      *y = aq_sim_row_bottom (sim, r + 1, xm);
      break;
    default:
      *x = sim->col_x[side == 1 ? c + 1 : c];
      *y = (aq_sim_row_bottom (sim, r, *x) + aq_sim_row_bottom (sim, r + 1, *x)) / 2;
      break;
    }
}

static void
add_boundary_meter (GArray   *meters,
                    guint32   zone,
                    gint8     sign,
                    double    x,
                    double    y,
                    double    share,
                    guint32   pair)
{
  AqSimBoundaryMeter m = { { 0 } };
  g_autoptr(GString) code = g_string_new ("BM");

  aq_sim_append_padded (code, meters->len + 1, 6);
  memcpy (m.code, code->str, code->len + 1);
  m.zone = zone;
  m.sign = sign;
  m.x = x;
  m.y = y;
  m.share = share;
  m.pair = pair;
  g_array_append_val (meters, m);
}

/* An inlet somewhere on the zone's outline, but not in the river. */
static void
zone_inlet (AqSim           *sim,
            const AqSimZone *z,
            AqRandom        *r,
            double          *x,
            double          *y)
{
  for (guint t = 0; t < 16; t++)
    {
      guint side = aq_random_below (r, 4);
      guint c, rr;

      if ((side == 0 && z->r0 == sim->river_row) || (side == 2 && z->r1 == sim->river_row))
        continue;
      c = side == 1 ? z->c1 - 1u : side == 3 ? z->c0 : z->c0 + aq_random_below (r, z->c1 - z->c0);
      rr = side == 0 ? z->r0 : side == 2 ? z->r1 - 1u : z->r0 + aq_random_below (r, z->r1 - z->r0);
      if ((side == 1 || side == 3) && (rr == sim->river_row || rr + 1 == sim->river_row))
        continue;
      cell_side_point (sim, c, rr, side, x, y);
      return;
    }
  cell_side_point (sim, z->c0, z->r0, 3, x, y);
}

static void
build_boundary_meters (AqSim *sim)
{
  g_autoptr(GArray) meters = g_array_new (FALSE, FALSE, sizeof (AqSimBoundaryMeter));
  g_autofree gboolean *receiving = g_new0 (gboolean, sim->n_zones);

  for (guint zi = 0; zi < sim->n_zones; zi++)
    {
      const AqSimZone *z = &sim->zones[zi];
      AqRandom r;
      guint n_in;
      double w[3], total = 0;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_BOUNDARY, zi);
      n_in = z->level == 3 ? 1 + aq_random_chance (&r, 0.6) + aq_random_chance (&r, 0.15) : 2;
      for (guint k = 0; k < n_in; k++)
        total += (w[k] = aq_random_uniform (&r, 0.5, 1.5));
      for (guint k = 0; k < n_in; k++)
        {
          double x, y;

          zone_inlet (sim, z, &r, &x, &y);
          add_boundary_meter (meters, zi, 1, x, y, w[k] / total, AQ_SIM_NONE);
        }

      /* a transfer on to a neighbour of the same parent, through a meter each side lists */
      if (z->level == 3 && aq_random_chance (&r, 0.3))
        {
          static const guint sides[] = { 1, 2, 0, 3 };
          gboolean done = FALSE;

          for (guint s = 0; s < G_N_ELEMENTS (sides) && !done; s++)
            {
              guint side = sides[s];
              gboolean vertical = side == 1 || side == 3;
              guint len = vertical ? z->r1 - z->r0 : z->c1 - z->c0;

              if ((side == 0 && (z->r0 == 0 || z->r0 == sim->river_row))
                  || (side == 1 && z->c1 >= sim->n_cols)
                  || (side == 2 && (z->r1 >= sim->n_rows || z->r1 == sim->river_row))
                  || (side == 3 && z->c0 == 0))
                continue;
              for (guint k = 0; k < len && !done; k++)
                {
                  guint c = side == 1 ? z->c1 - 1u : side == 3 ? z->c0 : z->c0 + k;
                  guint rr = side == 0 ? z->r0 : side == 2 ? z->r1 - 1u : z->r0 + k;
                  guint nc = side == 1 ? c + 1 : side == 3 ? c - 1 : c;
                  guint nr = side == 0 ? rr - 1 : side == 2 ? rr + 1 : rr;
                  guint32 other = sim->cell_zone[nc * sim->n_rows + nr];
                  double x, y, share;

                  /* the sides of the river's cells are partly in the water */
                  if (other == zi || receiving[other] || sim->zones[other].parent != z->parent
                      || (vertical && (rr == sim->river_row || rr + 1 == sim->river_row)))
                    continue;
                  share = aq_random_uniform (&r, 0.1, 0.3);
                  cell_side_point (sim, c, rr, side, &x, &y);
                  add_boundary_meter (meters, zi, -1, x, y, share, meters->len + 1);
                  add_boundary_meter (meters, other, 1, x, y, share, meters->len - 1);
                  receiving[other] = TRUE;
                  done = TRUE;
                }
            }
        }
    }
  sim->n_boundary_meters = meters->len;
  sim->boundary_meters = (AqSimBoundaryMeter *) g_array_free (g_steal_pointer (&meters), FALSE);
}

/**
 * aq_sim_network_build:
 *
 * Places the boundary meters and the outages (which need the accounts).
 */
void
aq_sim_network_build (AqSim *sim)
{
  build_boundary_meters (sim);
  build_outages (sim);
}

/* ---- pipes and valves ---- */

static void
add_pipe_piece (AqSim   *sim,
                GArray  *pipes,
                GArray  *points,
                const double *xy,
                guint    n,
                guint16  dn,
                guint8   kind)
{
  AqSimPipe p = { 0 };
  AqRandom r;
  double cx = xy[0], cy = xy[1];

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_PIPE, pipes->len);
  aq_sim_pipe_attributes (&r, dn, exp (-((cx - 7000) * (cx - 7000) + (cy - 8200) * (cy - 8200))
                                / (2 * 3000.0 * 3000.0)), &p);
  p.kind = kind;
  p.first_point = points->len / 2;
  p.n_points = (guint16) n;
  g_array_append_vals (points, xy, 2 * n);
  g_array_append_val (pipes, p);
}

/* a straight stretch, cut into pieces of at most PIPE_PIECE */
static void
add_straight (AqSim   *sim,
              GArray  *pipes,
              GArray  *points,
              double   x0,
              double   y0,
              double   x1,
              double   y1,
              guint16  dn,
              guint8   kind)
{
  double len = hypot (x1 - x0, y1 - y0);
  guint n = MAX (1u, (guint) ceil (len / PIPE_PIECE));

  for (guint k = 0; k < n; k++)
    {
      double xy[4] = { x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n,
                       x0 + (x1 - x0) * (k + 1) / n, y0 + (y1 - y0) * (k + 1) / n };

      add_pipe_piece (sim, pipes, points, xy, 2, dn, kind);
    }
}

/* Lane mains: a block of stand-alone premises (a free slot) is served by lanes run in from
 * the street it faces, one for every LANE_PREMISES premises in it, so that the mains grow with
 * the accounts as a real city's do. A lane ends at the block's far edge (a dead end) unless the
 * block faces streets on both sides (it runs through: a loop); in half the blocks with several
 * lanes a back lane joins their far ends (more loops). */
#define LANE_PREMISES  10
#define LANE_MAX       8
#define LANE_REACH     60.0    /* metres: a block this close to a street main faces it */

static gboolean
street_main_at (AqSim  *sim,
                gboolean horizontal,
                guint    boundary,
                double  *pos)
{
  if (horizontal)
    {
      if (boundary == sim->river_row || sim->row_line[boundary] == AQ_SIM_NONE)
        return FALSE;
      *pos = sim->row_y[boundary];
    }
  else
    {
      if (sim->col_line[boundary] == AQ_SIM_NONE)
        return FALSE;
      *pos = sim->col_x[boundary];
    }
  return TRUE;
}

static void
lay_lanes (AqSim  *sim,
           GArray *pipes,
           GArray *points)
{
  g_autofree guint32 *in_slot = g_new0 (guint32, MAX (sim->n_slots, 1u));
  g_autofree guint32 *cell_first = g_new (guint32, sim->n_cols * sim->n_rows + 1);

  /* the slots of a cell are contiguous */
  for (guint c = 0; c < sim->n_cols * sim->n_rows + 1; c++)
    cell_first[c] = AQ_SIM_NONE;
  for (guint s = sim->n_slots; s-- > 0;)
    cell_first[sim->slots[s].col * sim->n_rows + sim->slots[s].row] = s;
  for (guint i = 0; i < sim->n_premises; i++)
    {
      const AqSimPremise *pr = &sim->premises[i];
      guint cell = pr->col * sim->n_rows + pr->row;

      if (pr->community != AQ_SIM_NONE || cell_first[cell] == AQ_SIM_NONE)
        continue;
      for (guint s = cell_first[cell]; s < sim->n_slots && sim->slots[s].col == pr->col
                                       && sim->slots[s].row == pr->row; s++)
        {
          const AqSimRect *rc = &sim->slots[s].rect;

          if (sim->slots[s].community == AQ_SIM_NONE && pr->x >= rc->x0 && pr->x <= rc->x1
              && pr->y >= rc->y0 && pr->y <= rc->y1)
            {
              in_slot[s]++;
              break;
            }
        }
    }

  for (guint s = 0; s < sim->n_slots; s++)
    {
      const AqSimSlot *sl = &sim->slots[s];
      const AqSimRect *rc = &sl->rect;
      guint n = MIN ((in_slot[s] + LANE_PREMISES / 2) / LANE_PREMISES, (guint) LANE_MAX);
      double lo = 0, hi = 0;
      gboolean has_lo, has_hi, horizontal;
      AqRandom r;
      guint16 dn;

      if (sl->community != AQ_SIM_NONE || n == 0)
        continue;
      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_PIPE, AQ_SIM_SUB (s, 4));
      dn = aq_random_chance (&r, 0.3) ? 150 : 100;
      /* lanes run north–south off a street south or north of the block, else east–west */
      for (guint pass = 0; pass < 2; pass++)
        {
          horizontal = pass == 0;
          has_lo = street_main_at (sim, horizontal, horizontal ? sl->row : sl->col, &lo)
                   && (horizontal ? rc->y0 - lo : rc->x0 - lo) < LANE_REACH;
          has_hi = street_main_at (sim, horizontal, horizontal ? sl->row + 1u : sl->col + 1u,
                                   &hi)
                   && (horizontal ? hi - rc->y1 : hi - rc->x1) < LANE_REACH;
          if (has_lo || has_hi)
            break;
        }
      if (!has_lo && !has_hi)
        continue;
      {
        double a0 = horizontal ? rc->x0 : rc->y0, a1 = horizontal ? rc->x1 : rc->y1;
        double from = has_lo ? lo : hi;
        double to = has_lo && has_hi ? hi : has_lo ? (horizontal ? rc->y1 : rc->x1) - 4.0
                                                   : (horizontal ? rc->y0 : rc->x0) + 4.0;

        for (guint k = 0; k < n; k++)
          {
            double a = a0 + (k + 0.5) * (a1 - a0) / n;

            if (horizontal)
              add_straight (sim, pipes, points, a, from, a, to, dn, AQ_SIM_PIPE_LANE);
            else
              add_straight (sim, pipes, points, from, a, to, a, dn, AQ_SIM_PIPE_LANE);
          }
        if (n >= 2 && !(has_lo && has_hi) && aq_random_chance (&r, 0.5))
          {
            double b0 = a0 + 0.5 * (a1 - a0) / n, b1 = a0 + (n - 0.5) * (a1 - a0) / n;

            if (horizontal)
              add_straight (sim, pipes, points, b0, to, b1, to, 100, AQ_SIM_PIPE_LANE);
            else
              add_straight (sim, pipes, points, to, b0, to, b1, 100, AQ_SIM_PIPE_LANE);
          }
      }
    }
}

static void
build_pipes (AqSim  *sim,
             GArray *pipes,
             GArray *points)
{
  for (guint li = 0; li < sim->n_lines; li++)
    {
      const AqSimLine *line = &sim->lines[li];
      AqRandom r;
      guint16 dn;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_PIPE, AQ_SIM_SUB (li, 1));
      if (line->road_class == 1 && (line->bridge || line->orientation >= AQ_SIM_LINE_NORTH_BANK))
        dn = aq_random_pick (&r, ((const guint16[]) { 800, 1000, 1200 }));
      else if (line->road_class == 1)
        dn = aq_random_pick (&r, ((const guint16[]) { 400, 500, 600 }));
      else if (line->road_class == 2)
        dn = aq_random_pick (&r, ((const guint16[]) { 300, 400 }));
      else
        dn = aq_random_pick (&r, ((const guint16[]) { 100, 150, 200 }));

      if (line->orientation == AQ_SIM_LINE_VERTICAL)
        {
          double x = line->pos, south_end = aq_sim_river_lower (x) - 70.0;
          double north_start = aq_sim_river_upper (x) + 70.0, y = 0;

          for (guint b = 1; b <= sim->n_rows; b++)
            {
              double next = b == sim->river_row ? south_end
                            : b == sim->n_rows ? AQ_SIM_HEIGHT : sim->row_y[b];

              if (b == sim->river_row)
                {
                  add_straight (sim, pipes, points, x, y, x, south_end, dn,
                                AQ_SIM_PIPE_STREET);
                  if (line->bridge)
                    add_straight (sim, pipes, points, x, south_end, x, north_start, dn,
                                  AQ_SIM_PIPE_STREET);
                  y = north_start;
                  continue;
                }
              add_straight (sim, pipes, points, x, y, x, next, dn, AQ_SIM_PIPE_STREET);
              y = next;
            }
        }
      else if (line->orientation == AQ_SIM_LINE_HORIZONTAL)
        {
          for (guint b = 1; b <= sim->n_cols; b++)
            add_straight (sim, pipes, points, sim->col_x[b - 1], line->pos, sim->col_x[b],
                          line->pos, dn, AQ_SIM_PIPE_STREET);
        }
      else
        {
          gboolean north = line->orientation == AQ_SIM_LINE_NORTH_BANK;

          for (double x = 0; x < AQ_SIM_WIDTH; x += 200.0)
            {
              double xy[6];

              for (guint k = 0; k < 3; k++)
                {
                  double px = MIN (x + 100.0 * k, AQ_SIM_WIDTH);

                  xy[2 * k] = px;
                  xy[2 * k + 1] = north ? aq_sim_river_upper (px) + 70
                                        : aq_sim_river_lower (px) - 70;
                }
              add_pipe_piece (sim, pipes, points, xy, 3, dn, AQ_SIM_PIPE_STREET);
            }
        }
    }

  for (guint c = 0; c < sim->n_communities; c++)
    {
      const AqSimCommunity *cm = &sim->communities[c];
      guint16 dn = cm->n_premises > 300 ? 150 : 100;
      guint nb = cm->n_buildings, cols = (guint) ceil (sqrt ((double) nb));
      guint rows = (nb + cols - 1) / cols;

      for (guint k = 0; k < 4; k++)
        add_straight (sim, pipes, points, cm->quad[2 * k], cm->quad[2 * k + 1],
                      cm->quad[(2 * k + 2) % 8], cm->quad[(2 * k + 3) % 8], dn,
                      AQ_SIM_PIPE_RING);
      for (guint b = 0; b < nb; b++)
        {
          double bx = cm->core.x0 + (b % cols + 0.5) * (cm->core.x1 - cm->core.x0) / cols;
          double by = cm->core.y0 + (b / cols + 0.5) * (cm->core.y1 - cm->core.y0) / rows;
          double t = (bx - cm->quad[0]) / (cm->quad[2] - cm->quad[0]);
          double to_y = cm->quad[1] + t * (cm->quad[3] - cm->quad[1]);

          /* down to the building in front, the front row's to the ring's south side: each
           * riser line joins the one before it, and the first joins the ring main */
          if (b >= cols)
            to_y = cm->core.y0 + (b / cols - 0.5) * (cm->core.y1 - cm->core.y0) / rows;
          add_straight (sim, pipes, points, bx, by, bx, to_y, 100, AQ_SIM_PIPE_LATERAL);
        }
    }

  /* last, so that the pipes above draw the same numbers whatever the lanes are */
  lay_lanes (sim, pipes, points);
}

void
aq_sim_network_lay (AqSim  *sim,
                    GArray *pipes,
                    GArray *points)
{
  build_pipes (sim, pipes, points);
}

static gboolean
write_pipes_and_valves (AqSim   *sim,
                        GError **error)
{
  g_autoptr(GArray) pipes = g_array_new (FALSE, FALSE, sizeof (AqSimPipe));
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));
  AqSimTopology topo;
  gboolean ok;

  build_pipes (sim, pipes, points);
  aq_sim_topology_build (sim, pipes, points, &topo);
  ok = aq_sim_topology_write (sim, &topo, error);
  aq_sim_topology_clear (&topo);
  return ok;
}

/* ---- the rest of the map ---- */

static gboolean
write_key_customers (AqSim   *sim,
                     GError **error)
{
  static const char * const kinds[] = { NULL, "HOSP", "SCHL", "KIND", "HOTL", "LARG" };
  AqCopyWriter *w = NULL;
  g_autoptr(GString) name = g_string_new (NULL);
  gint32 id = 0;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                    "src_gis.key_customer (kc_id, name, kind, acct_no, geom)", error);

  if (w == NULL)

    return FALSE;
  for (guint32 i = 0; i < sim->n_accounts; i++)
    {
      const AqSimAccount *a = &sim->accounts[i];
      const AqSimPremise *p = &sim->premises[a->premise];
      char acct[12];

      if (a->key_kind == AQ_SIM_KEY_NONE)
        continue;
      g_string_truncate (name, 0);
      aq_sim_customer_name (sim, a->customer, name);
      aq_sim_format_acct_no (acct, i);
      aq_copy_writer_row (w, 5);
      aq_copy_writer_int32 (w, ++id);
      aq_copy_writer_text (w, name->str, (gssize) name->len);
      aq_copy_writer_text (w, kinds[a->key_kind], 4);
      aq_copy_writer_text (w, acct, 10);
      aq_copy_writer_point (w, AQ_SIM_SRID, aq_sim_lon (p->x), aq_sim_lat (p->y));
      aq_copy_writer_end_row (w);
    }
  return aq_sim_copy_end (sim, w, "src_gis.key_customer", error);
}

static gboolean
write_outages (AqSim   *sim,
               GError **error)
{
  static const char * const planned[] = {
    "管道改造施工", "阀门更换", "新建管道碰口", "二次供水设施清洗",
  };
  static const char * const emergency[] = {
    "管道爆管抢修", "供水管道漏水抢修", "阀门故障抢修", "施工挖断管道抢修",
  };
  AqCopyWriter *w = NULL;
  g_autoptr(GString) reason = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                    "src_gis.outage (outage_id, kind, reason, start_time, end_time, "
                    "restored_at, status, geom)", error);

  if (w == NULL)

    return FALSE;
  for (guint o = 0; o < sim->n_outages; o++)
    {
      const AqSimOutage *out = &sim->outages[o];
      const AqSimPremise *center = &sim->premises[out->center_premise];
      char kind[2] = { (char) out->kind, 0 };
      const char *status = out->status;
      gint64 restored = out->restored;
      double xy[16];

      /* as it stands at the extract: the plan may reach further */
      if ((out->kind == 'P' ? out->start - 7 * 86400 : out->start) > sim->now)
        continue;     /* not planned yet, or not happened */
      if (strcmp (status, "CAN") != 0 && out->start > sim->now)
        status = "PLN", restored = 0;
      else if (strcmp (status, "CAN") != 0 && (restored == 0 || restored > sim->now))
        status = "ACT", restored = 0;

      g_string_truncate (reason, 0);
      g_string_append (reason, sim->lines[center->line].name);
      if (center->community != AQ_SIM_NONE && out->cause == 3 && out->kind == 'P')
        {
          g_string_append (reason, sim->communities[center->community].name);
          g_string_append (reason, planned[3]);
        }
      else
        {
          g_string_append (reason, "DN");
          aq_sim_append_uint (reason, out->dn);
          g_string_append (reason, out->kind == 'P' ? planned[out->cause % 3]
                                                    : emergency[out->cause]);
        }
      for (guint v = 0; v < 8; v++)
        {
          xy[2 * v] = aq_sim_lon (out->poly[2 * v]);
          xy[2 * v + 1] = aq_sim_lat (out->poly[2 * v + 1]);
        }
      aq_copy_writer_row (w, 8);
      aq_copy_writer_int32 (w, (gint32) o + 1);
      aq_copy_writer_text (w, kind, 1);
      aq_copy_writer_text (w, reason->str, (gssize) reason->len);
      aq_copy_writer_timestamp (w, out->start);
      aq_copy_writer_timestamp (w, out->end);
      if (restored)
        aq_copy_writer_timestamp (w, restored);
      else
        aq_copy_writer_null (w);
      aq_copy_writer_text (w, status, -1);
      aq_copy_writer_polygon (w, AQ_SIM_SRID, xy, 8);
      aq_copy_writer_end_row (w);
    }
  return aq_sim_copy_end (sim, w, "src_gis.outage", error);
}

static gboolean
write_boundary_meters (AqSim   *sim,
                       GError **error)
{
  AqCopyWriter *w = NULL;

  w = aq_sim_copy (sim, AQ_SIM_LANE_MESSAGES,
                   "src_gis.boundary_meter (meter_code, zone_code, flow_sign, geom)", error);
  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < sim->n_boundary_meters; i++)
    {
      const AqSimBoundaryMeter *m = &sim->boundary_meters[i];

      aq_copy_writer_row (w, 4);
      aq_copy_writer_text (w, m->code, -1);
      aq_copy_writer_text (w, sim->zones[m->zone].code, -1);
      aq_copy_writer_int16 (w, m->sign);
      aq_copy_writer_point (w, AQ_SIM_SRID, aq_sim_lon (m->x), aq_sim_lat (m->y));
      aq_copy_writer_end_row (w);
    }
  return aq_sim_copy_end (sim, w, "src_gis.boundary_meter", error);
}

/**
 * aq_sim_network_write:
 *
 * Writes pipes, valves, boundary meters, key customers and outages.
 */
gboolean
aq_sim_network_write (AqSim   *sim,
                      GError **error)
{
  return write_boundary_meters (sim, error)
         && write_pipes_and_valves (sim, error)
         && write_key_customers (sim, error)
         && write_outages (sim, error);
}

/**
 * aq_sim_network_write_inflow:
 *
 * Writes src_gis.dma_inflow from the billed volumes: a level-3 zone's input is its billed
 * volume over (1 − NRW); a parent's is its children's plus a little unmetered use. Transfers
 * pass a share of the receiving zone's input, counted out of the giver and into the taker.
 */
gboolean
aq_sim_network_write_inflow (AqSim   *sim,
                             GError **error)
{
  AqCopyWriter *w = NULL;
  guint M = sim->n_months;
  g_autofree double *siv = g_new0 (double, (gsize) sim->n_zones * M);
  g_autofree double *own = g_new0 (double, (gsize) sim->n_zones * M);
  g_autofree double *transfer = g_new0 (double, (gsize) sim->n_boundary_meters * M);

  /* level 3 from the bills; then each parent from its children */
  for (guint z = sim->first_l3; z < sim->n_zones; z++)
    for (guint k = 0; k < M; k++)
      {
        AqRandom r;
        double billed = (double) sim->zone_billed[(gsize) (z - sim->first_l3) * M + k];

        aq_random_init (&r, sim->seed, AQ_SIM_STREAM_INFLOW, (guint64) z << 12 | k);
        siv[(gsize) z * M + k] = billed > 0
          ? billed / (1.0 - sim->zones[z].nrw) * (1.0 + 0.02 * aq_random_normal (&r))
          : aq_random_uniform (&r, 30, 80);
      }
  /* children come after their parents: walking back, a zone is complete when reached */
  for (guint z = sim->n_zones; z-- > 0;)
    for (guint k = 0; k < M; k++)
      {
        if (sim->zones[z].level < 3)
          siv[(gsize) z * M + k] *= 1.0 + sim->zones[z].unmetered;
        if (sim->zones[z].parent != AQ_SIM_NONE)
          siv[(gsize) sim->zones[z].parent * M + k] += siv[(gsize) z * M + k];
      }

  /* what flows through the inlets: the zone's input, plus what it passes on, minus what it
   * receives through transfers */
  for (guint z = 0; z < sim->n_zones; z++)
    for (guint k = 0; k < M; k++)
      own[(gsize) z * M + k] = siv[(gsize) z * M + k];
  for (guint i = 0; i < sim->n_boundary_meters; i++)
    {
      const AqSimBoundaryMeter *m = &sim->boundary_meters[i];

      if (m->pair == AQ_SIM_NONE || m->sign > 0)
        continue;
      for (guint k = 0; k < M; k++)
        {
          guint32 taker = sim->boundary_meters[m->pair].zone;
          double v = m->share * siv[(gsize) taker * M + k];

          transfer[(gsize) i * M + k] = v;
          transfer[(gsize) m->pair * M + k] = v;
          own[(gsize) m->zone * M + k] += v;
          own[(gsize) taker * M + k] -= v;
        }
    }

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_gis.dma_inflow (meter_code, period, volume)", error);

  if (w == NULL)

    return FALSE;
  for (guint i = 0; i < sim->n_boundary_meters; i++)
    {
      const AqSimBoundaryMeter *m = &sim->boundary_meters[i];

      for (guint k = 0; k < M; k++)
        {
          char period[8];
          double v = m->pair != AQ_SIM_NONE ? transfer[(gsize) i * M + k]
                                            : m->share * own[(gsize) m->zone * M + k];

          aq_copy_writer_row (w, 3);
          aq_copy_writer_text (w, m->code, -1);
          aq_copy_writer_text (w, aq_sim_period_string (sim->first_month + (int) k, period), 6);
          aq_copy_writer_numeric (w, (gint64) floor (v * 10.0 + 0.5), 1);
          aq_copy_writer_end_row (w);
        }
    }
  return aq_sim_copy_end (sim, w, "src_gis.dma_inflow", error);
}

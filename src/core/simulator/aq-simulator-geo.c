/* aq-simulator-geo.c — the city: river, streets, districts, communities, premises, DMA zones
 *
 * A 16 × 14 km city around 26.08°N 119.30°E, worked out in metres and turned into WGS 84 only
 * when written. The Min meanders west to east through the south; a street grid (arterials
 * every 1.5 km, secondary and branch streets between) cuts the land into cells, and every
 * boundary the data needs runs along a street or the river's centre line: communities sit
 * inside cells, set back from the streets; DMA zones are rectangles of cells, so a premise's
 * zone follows from its cell and no point ever lies near a zone boundary. Street positions are
 * multiples of 50 m and curves are sampled at multiples of 50 m, so neighbouring polygons
 * share their vertices exactly.
 *
 * The streets and the river are the same for every seed; communities and premises are not.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"
#include "aq-simulator-geo-private.h"

#include <math.h>
#include <string.h>

/* ---- the river ---- */

double
aq_sim_river_center (double x)
{
  return 3200.0 + 380.0 * sin (2 * G_PI * x / 9500.0 + 0.6)
         + 140.0 * sin (2 * G_PI * x / 3700.0 + 1.3);
}

static double
river_half_width (double x)
{
  return 250.0 + 50.0 * sin (2 * G_PI * x / 6000.0 + 0.4);
}

double
aq_sim_river_upper (double x)
{
  return aq_sim_river_center (x) + river_half_width (x);
}

double
aq_sim_river_lower (double x)
{
  return aq_sim_river_center (x) - river_half_width (x);
}

/* the extreme of a bank road over [x0, x1], sampled finely enough for a setback of metres */
static double
bank_road_extreme (double   x0,
                   double   x1,
                   gboolean north)
{
  double best = north ? -G_MAXDOUBLE : G_MAXDOUBLE;

  for (double x = x0;; x += 10.0)
    {
      double xx = MIN (x, x1);
      double y = north ? aq_sim_river_upper (xx) + BANK_ROAD : aq_sim_river_lower (xx) - BANK_ROAD;

      best = north ? MAX (best, y) : MIN (best, y);
      if (xx >= x1)
        break;
    }
  return best;
}

/* ---- streets ---- */

static const char * const vertical_arterials[] = {
  "五四路", "八一七路", "湖东路", "杨桥路", "工业路", "白马路", "六一路", "华林路", "福飞路",
  "温泉路", "鼓屏路",
};
static const char * const vertical_secondaries[] = {
  "东街", "东大路", "茶亭街", "乌山路", "达道路", "西洪路", "铜盘路", "斗池路", "岳峰路",
  "福马路",
};
static const char * const north_arterials[] = {
  "国货路", "古田路", "北环路", "二环路", "三环路", "福新路", "晋安路",
};
static const char * const north_secondaries[] = {
  "树兜路", "连江路", "鼓东路", "塔头路", "津泰路", "长乐路",
};
static const char * const south_names[] = {
  "盘屿路", "首山路", "则徐大道", "金山大道", "建新路",
};

static double
snap (double v)
{
  return floor (v / SNAP + 0.5) * SNAP;
}

static guint
add_line (GArray     *lines,
          const char *name,
          double      pos,
          guint8      orientation,
          guint8      road_class,
          gboolean    bridge)
{
  AqSimLine line = { name, pos, orientation, road_class, bridge };

  g_array_append_val (lines, line);
  return lines->len - 1;
}

static const char *
unique_street_name (AqSim      *sim,
                    AqRandom   *r,
                    GHashTable *used)
{
  g_autoptr(GString) name = g_string_new (NULL);
  const char *result;

  do
    {
      g_string_truncate (name, 0);
      aq_sim_street_name (r, name);
    }
  while (g_hash_table_contains (used, name->str));
  result = aq_sim_intern (sim, name->str);
  g_hash_table_add (used, (gpointer) result);
  return result;
}

static guint8
class_of (guint k,
          guint offset)
{
  switch ((k + offset) % 4)
    {
    case 0: return 1;
    case 2: return 2;
    default: return 3;
    }
}

static void
build_lines (AqSim *sim)
{
  g_autoptr(GArray) lines = g_array_new (FALSE, FALSE, sizeof (AqSimLine));
  g_autoptr(GArray) cols = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) col_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) row_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GHashTable) used = g_hash_table_new (g_str_hash, g_str_equal);
  double south_limit = bank_road_extreme (0, AQ_SIM_WIDTH, FALSE) - 250.0;
  double north_start = ceil ((bank_road_extreme (0, AQ_SIM_WIDTH, TRUE) + 250.0) / SNAP) * SNAP;
  guint none = AQ_SIM_NONE, li;
  double edge = 0, nan_value = NAN;
  AqRandom r;
  guint k, n_arterial = 0, n_secondary = 0;

  aq_random_init (&r, CITY_SEED, AQ_SIM_STREAM_CITY, 0);
  for (guint i = 0; i < G_N_ELEMENTS (vertical_arterials); i++)
    g_hash_table_add (used, (gpointer) vertical_arterials[i]);

  /* west to east */
  g_array_append_val (cols, edge);
  g_array_append_val (col_lines, none);
  for (k = 0; 500.0 + LINE_STEP * k <= AQ_SIM_WIDTH - 500.0; k++)
    {
      guint8 klass = class_of (k, 0);
      double x = 500.0 + LINE_STEP * k;
      const char *name;

      if (klass == 3)
        x += SNAP * (aq_random_range (&r, -1, 1));
      x = snap (x);
      if (klass == 1 && n_arterial < G_N_ELEMENTS (vertical_arterials))
        name = vertical_arterials[n_arterial++];
      else if (klass == 2 && n_secondary < G_N_ELEMENTS (vertical_secondaries))
        name = vertical_secondaries[n_secondary++];
      else
        name = unique_street_name (sim, &r, used);
      li = add_line (lines, name, x, AQ_SIM_LINE_VERTICAL, klass, klass == 1 && k % 8 == 0);
      g_array_append_val (cols, x);
      g_array_append_val (col_lines, li);
    }
  edge = AQ_SIM_WIDTH;
  g_array_append_val (cols, edge);
  g_array_append_val (col_lines, none);

  /* south to north: south of the river, the river's centre line, north of it */
  edge = 0;
  g_array_append_val (rows, edge);
  g_array_append_val (row_lines, none);
  n_arterial = 0;
  for (k = 0; 350.0 + LINE_STEP * k <= south_limit; k++)
    {
      guint8 klass = class_of (k, 2);
      double y = snap (350.0 + LINE_STEP * k);
      const char *name = k < G_N_ELEMENTS (south_names) && klass < 3
                         ? south_names[n_arterial++] : unique_street_name (sim, &r, used);

      li = add_line (lines, name, y, AQ_SIM_LINE_HORIZONTAL, klass, FALSE);
      g_array_append_val (rows, y);
      g_array_append_val (row_lines, li);
    }
  sim->river_row = rows->len;
  g_array_append_val (rows, nan_value);
  g_array_append_val (row_lines, none);
  n_arterial = n_secondary = 0;
  for (k = 0; north_start + LINE_STEP * k <= AQ_SIM_HEIGHT - 300.0; k++)
    {
      guint8 klass = class_of (k, 0);
      double y = north_start + LINE_STEP * k;
      const char *name;

      if (klass == 3)
        y += SNAP * (aq_random_range (&r, -1, 1));
      y = snap (y);
      if (klass == 1 && n_arterial < G_N_ELEMENTS (north_arterials))
        name = north_arterials[n_arterial++];
      else if (klass == 2 && n_secondary < G_N_ELEMENTS (north_secondaries))
        name = north_secondaries[n_secondary++];
      else
        name = unique_street_name (sim, &r, used);
      li = add_line (lines, name, y, AQ_SIM_LINE_HORIZONTAL, klass, FALSE);
      g_array_append_val (rows, y);
      g_array_append_val (row_lines, li);
    }
  edge = AQ_SIM_HEIGHT;
  g_array_append_val (rows, edge);
  g_array_append_val (row_lines, none);

  sim->north_bank_line = add_line (lines, "北江滨大道", 0, AQ_SIM_LINE_NORTH_BANK, 1, FALSE);
  sim->south_bank_line = add_line (lines, "南江滨大道", 0, AQ_SIM_LINE_SOUTH_BANK, 1, FALSE);

  sim->n_lines = lines->len;
  sim->lines = (AqSimLine *) g_array_free (g_steal_pointer (&lines), FALSE);
  sim->n_cols = cols->len - 1;
  sim->col_x = (double *) g_array_free (g_steal_pointer (&cols), FALSE);
  sim->col_line = (guint *) g_array_free (g_steal_pointer (&col_lines), FALSE);
  sim->n_rows = rows->len - 1;
  sim->row_y = (double *) g_array_free (g_steal_pointer (&rows), FALSE);
  sim->row_line = (guint *) g_array_free (g_steal_pointer (&row_lines), FALSE);
}

/* The y of row boundary @row at @x: a street, a city edge or the river's centre line. */
double
aq_sim_row_bottom (AqSim  *sim,
                   guint   row,
                   double  x)
{
  if (row == sim->river_row)
    return aq_sim_river_center (x);
  return sim->row_y[row];
}

static double
setback (AqSim *sim,
         guint  line)
{
  if (line == AQ_SIM_NONE)
    return 20.0;
  switch (sim->lines[line].road_class)
    {
    case 1: return 30.0;
    case 2: return 22.0;
    default: return 15.0;
    }
}

/* The buildable part of a cell: away from its streets and, next to the river, from the bank
 * road. FALSE when too small to build on. */
static gboolean
cell_land (AqSim     *sim,
           guint      c,
           guint      r,
           AqSimRect *out)
{
  double x0 = sim->col_x[c] + setback (sim, sim->col_line[c]);
  double x1 = sim->col_x[c + 1] - setback (sim, sim->col_line[c + 1]);
  double y0, y1;

  if (r == sim->river_row)
    y0 = bank_road_extreme (x0, x1, TRUE) + 30.0;
  else
    y0 = sim->row_y[r] + setback (sim, sim->row_line[r]);
  if (r + 1 == sim->river_row)
    y1 = bank_road_extreme (x0, x1, FALSE) - 30.0;
  else
    y1 = sim->row_y[r + 1] - setback (sim, sim->row_line[r + 1]);

  out->x0 = x0;
  out->x1 = x1;
  out->y0 = y0;
  out->y1 = y1;
  return x1 - x0 >= 60.0 && y1 - y0 >= 60.0;
}

/* ---- districts ---- */

static guint
row_near (AqSim  *sim,
          double  y)
{
  guint best = sim->river_row + 1;

  for (guint i = sim->river_row + 1; i < sim->n_rows; i++)
    if (fabs (sim->row_y[i] - y) < fabs (sim->row_y[best] - y))
      best = i;
  return best;
}

/* 0 鼓楼 1 台江 2 仓山 3 晋安 4 马尾 5 城南 */
static guint8
district_of_cell (AqSim *sim,
                  guint  c,
                  guint  r)
{
  gboolean east = sim->col_x[c] >= DISTRICT_SPLIT_X;

  if (r < sim->river_row)
    return east ? 5 : 2;
  if (east)
    return r >= sim->district_row_east ? 3 : 4;
  return r >= sim->district_row_west ? 0 : 1;
}

/* ---- the address of a point: the nearest street of its cell ---- */

static void
nearest_street (AqSim   *sim,
                guint    c,
                guint    r,
                double   x,
                double   y,
                guint16 *line,
                guint16 *number)
{
  double best = G_MAXDOUBLE, along = 0;
  gboolean odd = FALSE;

#define CONSIDER(l, dist, pos, side) \
  G_STMT_START { if ((l) != AQ_SIM_NONE && (dist) < best) \
    { best = (dist); *line = (guint16) (l); along = (pos); odd = (side); } } G_STMT_END

  CONSIDER (sim->col_line[c], x - sim->col_x[c], y, TRUE);
  CONSIDER (sim->col_line[c + 1], sim->col_x[c + 1] - x, y, FALSE);
  if (r == sim->river_row)
    CONSIDER (sim->north_bank_line, y - aq_sim_river_upper (x) - BANK_ROAD, x, TRUE);
  else
    CONSIDER (sim->row_line[r], y - sim->row_y[r], x, TRUE);
  if (r + 1 == sim->river_row)
    CONSIDER (sim->south_bank_line, aq_sim_river_lower (x) - BANK_ROAD - y, x, FALSE);
  else
    CONSIDER (sim->row_line[r + 1], sim->row_y[r + 1] - y, x, FALSE);
#undef CONSIDER

  *number = (guint16) (2 * (guint) (along / 24.0) + (odd ? 1 : 2));
}

/* "五四路123号" or "五四路123号 金山花园3栋2单元501" */
void
aq_sim_premise_address (AqSim   *sim,
                        guint32  premise,
                        GString *out)
{
  const AqSimPremise *p = &sim->premises[premise];

  if (p->community != AQ_SIM_NONE)
    {
      const AqSimCommunity *cm = &sim->communities[p->community];

      g_string_append (out, sim->lines[cm->line].name);
      aq_sim_append_uint (out, cm->number);
      g_string_append (out, "号 ");
      g_string_append (out, cm->name);
      aq_sim_append_uint (out, p->building);
      g_string_append (out, "栋");
      aq_sim_append_uint (out, p->unit);
      g_string_append (out, "单元");
      aq_sim_append_uint (out, p->room);
      return;
    }
  g_string_append (out, sim->lines[p->line].name);
  aq_sim_append_uint (out, p->number);
  g_string_append (out, "号");
}

/* ---- slots, communities and premises ---- */

static double
density (double x,
         double y)
{
  double d1 = ((x - 7000) * (x - 7000) + (y - 8200) * (y - 8200)) / (2 * 3000.0 * 3000.0);
  double d2 = ((x - 4500) * (x - 4500) + (y - 1300) * (y - 1300)) / (2 * 2200.0 * 2200.0);
  double d3 = ((x - 12500) * (x - 12500) + (y - 6000) * (y - 6000)) / (2 * 2000.0 * 2000.0);

  return 0.12 + exp (-d1) + 0.6 * exp (-d2) + 0.45 * exp (-d3);
}

static void
build_slots (AqSim *sim)
{
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (AqSimSlot));

  /* north to south, west to east: premise ids and reading routes follow this order */
  for (guint rr = sim->n_rows; rr-- > 0;)
    for (guint c = 0; c < sim->n_cols; c++)
      {
        AqSimRect land;
        guint nx, ny;
        double w, h;

        if (!cell_land (sim, c, rr, &land))
          continue;
        w = land.x1 - land.x0;
        h = land.y1 - land.y0;
        nx = w >= 170.0 ? 2 : 1;
        ny = h >= 170.0 ? 2 : 1;
        for (guint j = ny; j-- > 0;)
          for (guint i = 0; i < nx; i++)
            {
              AqSimSlot s = { { 0 } };

              s.rect.x0 = land.x0 + i * w / nx + (i > 0 ? 7.0 : 0.0);
              s.rect.x1 = land.x0 + (i + 1) * w / nx - (i + 1 < nx ? 7.0 : 0.0);
              s.rect.y0 = land.y0 + j * h / ny + (j > 0 ? 7.0 : 0.0);
              s.rect.y1 = land.y0 + (j + 1) * h / ny - (j + 1 < ny ? 7.0 : 0.0);
              s.col = (guint16) c;
              s.row = (guint16) rr;
              s.community = AQ_SIM_NONE;
              s.weight = density ((s.rect.x0 + s.rect.x1) / 2, (s.rect.y0 + s.rect.y1) / 2);
              g_array_append_val (slots, s);
            }
      }
  sim->n_slots = slots->len;
  sim->slots = (AqSimSlot *) g_array_free (g_steal_pointer (&slots), FALSE);
}

int
compare_keyed (gconstpointer a,
               gconstpointer b)
{
  const KeyedIndex *ka = a, *kb = b;

  if (ka->key != kb->key)
    return ka->key < kb->key ? -1 : 1;
  return ka->index < kb->index ? -1 : ka->index > kb->index;
}

static int
compare_uint32 (gconstpointer a,
                gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;

  return x < y ? -1 : x > y;
}

/* How many flats each community holds: a lognormal share of all flats, at least a few. */
static void
share_flats (AqSim  *sim,
             guint32 *flats)
{
  guint n = sim->n_communities;
  g_autofree double *w = g_new (double, n);
  g_autofree KeyedIndex *rest = g_new (KeyedIndex, n);
  guint min_flats = MIN (40u, sim->n_flats / (2 * n));
  guint64 spread = sim->n_flats - (guint64) min_flats * n, given = 0;
  double total = 0;

  for (guint i = 0; i < n; i++)
    {
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_COMMUNITY, (guint64) i << 8 | 1);
      w[i] = aq_random_lognormal (&r, 1.0, 0.45);
      total += w[i];
    }
  for (guint i = 0; i < n; i++)
    {
      double exact = spread * w[i] / total;

      flats[i] = min_flats + (guint32) exact;
      given += (guint32) exact;
      rest[i].key = -(exact - floor (exact));
      rest[i].index = i;
    }
  qsort (rest, n, sizeof *rest, compare_keyed);
  for (guint i = 0; given < spread; i = (i + 1) % n, given++)
    flats[rest[i].index]++;
}

static void
build_community (AqSim          *sim,
                 guint           index,
                 guint32         slot,
                 guint32         n_flats,
                 GHashTable     *names)
{
  AqSimCommunity *cm = &sim->communities[index];
  const AqSimSlot *s = &sim->slots[slot];
  g_autoptr(GString) name = g_string_new (NULL);
  double w = s->rect.x1 - s->rect.x0, h = s->rect.y1 - s->rect.y0;
  double fw = 0, fh = 0, qx0, qy0, qx1, qy1, qw, qh;
  guint per_building, phase = 1;
  AqRandom r;

  aq_random_init (&r, sim->seed, AQ_SIM_STREAM_COMMUNITY, index);
  fw = aq_random_uniform (&r, 0.6, 0.95);
  fh = aq_random_uniform (&r, 0.6, 0.95);
  qw = w * fw;
  qh = h * fh;
  qx0 = s->rect.x0 + aq_random_uniform (&r, 0, w - qw);
  qy0 = s->rect.y0 + aq_random_uniform (&r, 0, h - qh);
  qx1 = qx0 + qw;
  qy1 = qy0 + qh;

  /* each corner moves inwards within its own quarter: the quad stays simple */
  cm->quad[0] = qx0 + qw * aq_random_uniform (&r, 0, 0.12);
  cm->quad[1] = qy0 + qh * aq_random_uniform (&r, 0, 0.12);
  cm->quad[2] = qx1 - qw * aq_random_uniform (&r, 0, 0.12);
  cm->quad[3] = qy0 + qh * aq_random_uniform (&r, 0, 0.12);
  cm->quad[4] = qx1 - qw * aq_random_uniform (&r, 0, 0.12);
  cm->quad[5] = qy1 - qh * aq_random_uniform (&r, 0, 0.12);
  cm->quad[6] = qx0 + qw * aq_random_uniform (&r, 0, 0.12);
  cm->quad[7] = qy1 - qh * aq_random_uniform (&r, 0, 0.12);
  cm->core.x0 = qx0 + 0.2 * qw;
  cm->core.x1 = qx1 - 0.2 * qw;
  cm->core.y0 = qy0 + 0.2 * qh;
  cm->core.y1 = qy1 - 0.2 * qh;

  aq_sim_community_name (&r, name);
  while (g_hash_table_contains (names, name->str))
    {
      static const char * const phases[] = { "二期", "三期", "四期", "五期", "六期" };

      if (phase <= G_N_ELEMENTS (phases))
        {
          if (phase > 1)
            g_string_truncate (name, name->len - strlen (phases[phase - 2]));
          g_string_append (name, phases[phase - 1]);
          phase++;
        }
      else
        {
          g_string_truncate (name, 0);
          aq_sim_community_name (&r, name);
          phase = 1;
        }
    }
  cm->name = aq_sim_intern (sim, name->str);
  g_hash_table_add (names, (gpointer) cm->name);

  cm->slot = slot;
  cm->district = sim->cell_district[s->col * sim->n_rows + s->row];
  cm->company = (guint16) aq_random_below (&r, sim->n_companies);
  cm->build_year = (guint16) aq_random_range (&r, 1983, 2023);
  cm->units = (guint8) aq_random_range (&r, 1, 3);
  if (cm->build_year < 1998)
    cm->floors = (guint8) aq_random_range (&r, 6, 7);
  else if (cm->build_year < 2008)
    cm->floors = (guint8) aq_random_pick (&r, ((const int[]) { 7, 8, 11, 12, 18 }));
  else
    cm->floors = (guint8) aq_random_range (&r, 18, 33);
  per_building = cm->units * cm->floors * 2u;
  cm->n_buildings = (guint16) MAX (1u, (n_flats + per_building - 1) / per_building);
  cm->n_premises = n_flats;
  nearest_street (sim, s->col, s->row, (qx0 + qx1) / 2, (qy0 + qy1) / 2, &cm->line, &cm->number);
}

static void
place_flats (AqSim  *sim,
             guint   index,
             guint32 first)
{
  AqSimCommunity *cm = &sim->communities[index];
  const AqSimSlot *s = &sim->slots[cm->slot];
  guint nb = cm->n_buildings;
  guint cols = (guint) ceil (sqrt ((double) nb)), rows = (nb + cols - 1) / cols;
  guint32 p = first;

  cm->first_premise = first;
  for (guint b = 0; b < nb && p < first + cm->n_premises; b++)
    {
      double bx = cm->core.x0 + (b % cols + 0.5) * (cm->core.x1 - cm->core.x0) / cols;
      double by = cm->core.y0 + (b / cols + 0.5) * (cm->core.y1 - cm->core.y0) / rows;

      for (guint u = 1; u <= cm->units; u++)
        for (guint f = 1; f <= cm->floors; f++)
          for (guint d = 1; d <= 2 && p < first + cm->n_premises; d++)
            {
              AqSimPremise *pr = &sim->premises[p++];

              pr->x = bx;
              pr->y = by;
              pr->community = index;
              pr->account = AQ_SIM_NONE;
              pr->demolished_day = AQ_SIM_NEVER;
              pr->col = s->col;
              pr->row = s->row;
              pr->district = cm->district;
              pr->line = cm->line;
              pr->number = cm->number;
              pr->building = (guint8) (b + 1);
              pr->unit = (guint8) u;
              pr->room = (guint16) (f * 100 + d);
            }
    }
}

typedef struct
{
  guint32 slot;
  double  x, y;
} Spot;

static int
compare_spots (gconstpointer a,
               gconstpointer b)
{
  const Spot *sa = a, *sb = b;

  if (sa->slot != sb->slot)
    return sa->slot < sb->slot ? -1 : 1;
  if (sa->x != sb->x)
    return sa->x < sb->x ? -1 : 1;
  return sa->y < sb->y ? -1 : sa->y > sb->y;
}

static void
place_standalone (AqSim  *sim,
                  guint32 first,
                  guint32 count)
{
  g_autofree double *cdf = g_new (double, sim->n_slots);
  g_autofree Spot *spots = g_new (Spot, MAX (count, 1u));
  double total = 0;

  for (guint i = 0; i < sim->n_slots; i++)
    {
      /* shops and workshops crowd where communities are not */
      if (sim->slots[i].community == AQ_SIM_NONE)
        total += sim->slots[i].weight;
      else
        total += 0.02 * sim->slots[i].weight;
      cdf[i] = total;
    }
  for (guint32 j = 0; j < count; j++)
    {
      AqRandom r;
      double u;
      guint lo = 0, hi = sim->n_slots - 1;
      const AqSimRect *rect;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_STANDALONE, j);
      u = aq_random_double (&r) * total;
      while (lo < hi)
        {
          guint mid = (lo + hi) / 2;

          if (cdf[mid] <= u)
            lo = mid + 1;
          else
            hi = mid;
        }
      rect = &sim->slots[lo].rect;
      spots[j].slot = lo;
      if (sim->slots[lo].community == AQ_SIM_NONE)
        {
          spots[j].x = aq_random_uniform (&r, rect->x0 + 6, rect->x1 - 6);
          spots[j].y = aq_random_uniform (&r, rect->y0 + 6, rect->y1 - 6);
        }
      else
        {
          /* a shop on the community's edge: in the gap between the quad and the slot */
          const AqSimCommunity *cm = &sim->communities[sim->slots[lo].community];
          double qy0 = MIN (cm->quad[1], cm->quad[3]);

          spots[j].x = aq_random_uniform (&r, rect->x0 + 3, rect->x1 - 3);
          if (qy0 - rect->y0 > 6.0)
            spots[j].y = aq_random_uniform (&r, rect->y0 + 2, qy0 - 2);
          else
            {
              spots[j].x = cm->core.x0;
              spots[j].y = cm->core.y0;
            }
        }
    }
  qsort (spots, count, sizeof *spots, compare_spots);
  for (guint32 j = 0; j < count; j++)
    {
      AqSimPremise *pr = &sim->premises[first + j];
      const AqSimSlot *s = &sim->slots[spots[j].slot];

      pr->x = spots[j].x;
      pr->y = spots[j].y;
      pr->community = AQ_SIM_NONE;
      pr->account = AQ_SIM_NONE;
      pr->demolished_day = AQ_SIM_NEVER;
      pr->col = s->col;
      pr->row = s->row;
      pr->district = sim->cell_district[s->col * sim->n_rows + s->row];
      nearest_street (sim, s->col, s->row, pr->x, pr->y, &pr->line, &pr->number);
    }
}

/**
 * aq_sim_geo_build:
 *
 * Lays out the streets, picks the communities' sites and fills them with flats, and scatters
 * the stand-alone premises: ~1.05 premises per account, 12 % of them stand-alone.
 */
void
aq_sim_geo_build (AqSim *sim)
{
  g_autofree KeyedIndex *keys = NULL;
  g_autofree guint32 *chosen = NULL;
  g_autofree guint32 *flats = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_standalone;
  guint32 p = 0;

  build_lines (sim);
  sim->district_row_west = row_near (sim, 6500.0);
  sim->district_row_east = row_near (sim, 7500.0);
  sim->cell_district = g_new (guint8, sim->n_cols * sim->n_rows);
  for (guint c = 0; c < sim->n_cols; c++)
    for (guint r = 0; r < sim->n_rows; r++)
      sim->cell_district[c * sim->n_rows + r] = district_of_cell (sim, c, r);

  build_slots (sim);

  sim->n_premises = (guint) ceil (1.05 * sim->n_accounts);
  n_standalone = (guint) floor (0.12 * sim->n_premises + 0.5);
  sim->n_flats = sim->n_premises - n_standalone;
  sim->n_communities = MAX (20u, (guint) floor (sim->n_accounts / 300.0 + 0.5));
  sim->n_communities = MIN (sim->n_communities, sim->n_slots * 7 / 10);
  sim->n_communities = MIN (sim->n_communities, MAX (1u, sim->n_flats));

  /* property companies: one for every few communities */
  sim->n_companies = MAX (5u, sim->n_communities / 6);
  sim->companies = g_new (const char *, sim->n_companies);
  sim->company_phones = g_new (const char *, sim->n_companies);
  for (guint i = 0; i < sim->n_companies; i++)
    {
      g_autoptr(GString) s = g_string_new (NULL);
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_COMPANY, i);
      aq_sim_property_company (&r, s);
      sim->companies[i] = aq_sim_intern (sim, s->str);
      g_string_truncate (s, 0);
      if (aq_random_chance (&r, 0.7))
        g_string_append (s, "0591-");
      g_string_append_c (s, aq_random_chance (&r, 0.7) ? '8' : '2');
      aq_sim_append_padded (s, aq_random_below (&r, 10000000), 7);
      sim->company_phones[i] = aq_sim_intern (sim, s->str);
    }

  /* communities take the most built-up slots: an exponential race weighted by density */
  keys = g_new (KeyedIndex, sim->n_slots);
  for (guint i = 0; i < sim->n_slots; i++)
    {
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_SLOT, i);
      keys[i].key = aq_random_exponential (&r, 1.0) / sim->slots[i].weight;
      keys[i].index = i;
    }
  qsort (keys, sim->n_slots, sizeof *keys, compare_keyed);
  chosen = g_new (guint32, sim->n_communities);
  for (guint i = 0; i < sim->n_communities; i++)
    chosen[i] = keys[i].index;
  qsort (chosen, sim->n_communities, sizeof *chosen, compare_uint32);

  sim->communities = g_new0 (AqSimCommunity, sim->n_communities);
  sim->premises = g_new0 (AqSimPremise, sim->n_premises);
  flats = g_new (guint32, sim->n_communities);
  share_flats (sim, flats);
  for (guint i = 0; i < sim->n_communities; i++)
    {
      sim->slots[chosen[i]].community = i;
      build_community (sim, i, chosen[i], flats[i], names);
      place_flats (sim, i, p);
      p += flats[i];
    }
  g_assert (p == sim->n_flats);
  place_standalone (sim, p, n_standalone);
}

/* aq-simulator-geo-zones.c — the city's DMA zones
 *
 * Zones are rectangles of street cells, cut by bisecting the city until each holds about the
 * accounts a zone of its level should, so a premise's zone follows from its cell and no point
 * lies near a zone boundary (see aq-simulator-geo.c).
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-geo-private.h"

#include <math.h>
#include <string.h>

/* ---- DMA zones ---- */

typedef struct
{
  guint c0, c1, r0, r1;
} Box;

static gint64
box_weight (AqSim        *sim,
            const gint64 *prefix,
            Box           b)
{
  guint stride = sim->n_rows + 1;

  return prefix[b.c1 * stride + b.r1] - prefix[b.c0 * stride + b.r1]
         - prefix[b.c1 * stride + b.r0] + prefix[b.c0 * stride + b.r0];
}

static double
row_mid_y (AqSim *sim,
           guint  row)
{
  return row == sim->river_row ? 3200.0 : sim->row_y[row];
}

/* Cuts @b into @n boxes of about equal weight, along streets (or the river), preferring to cut
 * the longer side. A box too small to cut yields fewer boxes. */
static void
bisect (AqSim        *sim,
        const gint64 *prefix,
        Box           b,
        guint         n,
        GArray       *out)
{
  guint n1 = n / 2, n2 = n - n1;
  double target = (double) n1 / n, best_cost = G_MAXDOUBLE;
  double width = sim->col_x[b.c1] - sim->col_x[b.c0];
  double height = row_mid_y (sim, b.r1) - row_mid_y (sim, b.r0);
  gint64 total = box_weight (sim, prefix, b);
  Box best_low = b, best_high = b;

  if (n <= 1)
    {
      g_array_append_val (out, b);
      return;
    }
  for (guint axis = 0; axis < 2; axis++)
    {
      guint lo = axis == 0 ? b.c0 : b.r0, hi = axis == 0 ? b.c1 : b.r1;
      gboolean shorter = axis == 0 ? width < height : height < width;

      for (guint k = lo + 1; k < hi; k++)
        {
          Box low = b, high = b;
          double f, cost;
          guint cells_low, cells_high;

          if (axis == 0)
            low.c1 = high.c0 = k;
          else
            low.r1 = high.r0 = k;
          cells_low = (low.c1 - low.c0) * (low.r1 - low.r0);
          cells_high = (high.c1 - high.c0) * (high.r1 - high.r0);
          f = total > 0 ? (double) box_weight (sim, prefix, low) / total
                        : (double) (k - lo) / (hi - lo);
          cost = fabs (f - target) + (shorter ? 0.08 : 0.0);
          if (cells_low < n1 || cells_high < n2)
            cost += 10.0;
          if (cost < best_cost)
            {
              best_cost = cost;
              best_low = low;
              best_high = high;
            }
        }
    }
  if (best_cost == G_MAXDOUBLE)
    {
      g_array_append_val (out, b);
      return;
    }
  bisect (sim, prefix, best_low, n1, out);
  bisect (sim, prefix, best_high, n2, out);
}

/* Splits @total among @k parts in proportion to @weights, each getting at least @min_each. */
static void
allocate (const gint64 *weights,
          guint         k,
          guint         total,
          guint         min_each,
          guint        *out)
{
  g_autofree KeyedIndex *rest = g_new (KeyedIndex, k);
  gint64 w = 0;
  guint spread = total > k * min_each ? total - k * min_each : 0, given = 0;

  for (guint i = 0; i < k; i++)
    w += weights[i];
  for (guint i = 0; i < k; i++)
    {
      double exact = w > 0 ? (double) spread * weights[i] / w : (double) spread / k;

      out[i] = min_each + (guint) exact;
      given += (guint) exact;
      rest[i].key = -(exact - floor (exact));
      rest[i].index = i;
    }
  qsort (rest, k, sizeof *rest, compare_keyed);
  for (guint i = 0; given < spread; i = (i + 1) % k, given++)
    out[rest[i].index]++;
}

static void
add_zones (AqSim        *sim,
           GArray       *zones,
           const gint64 *prefix,
           GArray       *boxes,
           guint         level,
           guint32       parent)
{
  for (guint i = 0; i < boxes->len; i++)
    {
      Box b = g_array_index (boxes, Box, i);
      AqSimZone z = { { 0 } };
      g_autoptr(GString) name = g_string_new (NULL);
      guint cc = (b.c0 + b.c1) / 2, cr = (b.r0 + b.r1) / 2;
      guint8 district = sim->cell_district[cc * sim->n_rows + cr];

      z.level = (guint8) level;
      z.parent = parent;
      z.c0 = (guint16) b.c0;
      z.c1 = (guint16) b.c1;
      z.r0 = (guint16) b.r0;
      z.r1 = (guint16) b.r1;
      z.weight = box_weight (sim, prefix, b);
      if (parent == AQ_SIM_NONE)
        {
          g_string_append (name, "Z");
          aq_sim_append_padded (name, i + 1, 2);
          memcpy (z.code, name->str, name->len + 1);
        }
      else
        {
          g_string_append (name, g_array_index (zones, AqSimZone, parent).code);
          g_string_append_c (name, '-');
          aq_sim_append_padded (name, i + 1, 2);
          memcpy (z.code, name->str, name->len + 1);
        }
      g_string_truncate (name, 0);
      if (level == 3)
        {
          guint line = sim->col_line[b.c0] != AQ_SIM_NONE ? sim->col_line[b.c0]
                       : sim->col_line[b.c1] != AQ_SIM_NONE ? sim->col_line[b.c1] : 0;

          g_string_append (name, sim->lines[line].name);
          g_string_append (name, "计量区");
        }
      else
        {
          g_string_append (name, aq_sim_district_names[district]);
          g_string_append (name, level == 1 ? "一级计量区" : "二级计量区");
        }
      aq_sim_append_padded (name, i + 1, 2);
      z.name = aq_sim_intern (sim, name->str);
      g_array_append_val (zones, z);
    }
}

/**
 * aq_sim_geo_build_zones:
 *
 * DMA zones: 8 at level 1 partitioning the city, max(8, accounts/20 000) at level 2 and
 * max(2 × level 2, accounts/1 430) at level 3, each level cut from its parents by weighted
 * bisection of their cells so that zones hold similar numbers of premises.
 */
void
aq_sim_geo_build_zones (AqSim *sim)
{
  guint stride = sim->n_rows + 1;
  g_autofree gint64 *prefix = g_new0 (gint64, (sim->n_cols + 1) * stride);
  g_autoptr(GArray) zones = g_array_new (FALSE, TRUE, sizeof (AqSimZone));
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (Box));
  guint n_l2 = MAX (8u, (guint) floor (sim->n_accounts / 20000.0 + 0.5));
  guint n_l3, n_l1;
  Box city = { 0, sim->n_cols, 0, sim->n_rows };

  sim->cell_premises = g_new0 (guint32, sim->n_cols * sim->n_rows);
  for (guint i = 0; i < sim->n_premises; i++)
    sim->cell_premises[sim->premises[i].col * sim->n_rows + sim->premises[i].row]++;
  for (guint c = 0; c < sim->n_cols; c++)
    for (guint r = 0; r < sim->n_rows; r++)
      prefix[(c + 1) * stride + r + 1] = prefix[c * stride + r + 1] + prefix[(c + 1) * stride + r]
                                         - prefix[c * stride + r]
                                         + sim->cell_premises[c * sim->n_rows + r];

  bisect (sim, prefix, city, 8, boxes);
  add_zones (sim, zones, prefix, boxes, 1, AQ_SIM_NONE);
  n_l1 = zones->len;
  n_l2 = MAX (n_l2, n_l1);
  n_l3 = MAX (2 * n_l2, (guint) floor (sim->n_accounts / 1430.0 + 0.5));

  for (guint level = 2; level <= 3; level++)
    {
      guint first = level == 2 ? 0 : sim->first_l2;
      guint last = zones->len;
      guint total = level == 2 ? n_l2 : n_l3;
      g_autofree gint64 *w = g_new (gint64, last - first);
      g_autofree guint *n = g_new (guint, last - first);

      if (level == 2)
        sim->first_l2 = zones->len;
      else
        sim->first_l3 = zones->len;
      for (guint i = first; i < last; i++)
        w[i - first] = g_array_index (zones, AqSimZone, i).weight;
      allocate (w, last - first, total, level == 2 ? 1 : 2, n);
      for (guint i = first; i < last; i++)
        {
          const AqSimZone *pz = &g_array_index (zones, AqSimZone, i);
          Box b = { pz->c0, pz->c1, pz->r0, pz->r1 };

          g_array_set_size (boxes, 0);
          bisect (sim, prefix, b, n[i - first], boxes);
          add_zones (sim, zones, prefix, boxes, level, i);
        }
    }

  sim->n_zones = zones->len;
  sim->zones = (AqSimZone *) g_array_free (g_steal_pointer (&zones), FALSE);

  sim->cell_zone = g_new (guint32, sim->n_cols * sim->n_rows);
  for (guint z = sim->first_l3; z < sim->n_zones; z++)
    for (guint c = sim->zones[z].c0; c < sim->zones[z].c1; c++)
      for (guint r = sim->zones[z].r0; r < sim->zones[z].r1; r++)
        sim->cell_zone[c * sim->n_rows + r] = z;
  for (guint i = 0; i < sim->n_premises; i++)
    sim->premises[i].zone = sim->cell_zone[sim->premises[i].col * sim->n_rows
                                           + sim->premises[i].row];

  for (guint z = 0; z < sim->n_zones; z++)
    {
      AqSimZone *zone = &sim->zones[z];
      AqRandom r;

      aq_random_init (&r, sim->seed, AQ_SIM_STREAM_ZONE, z);
      if (zone->level == 3)
        {
          /* ≈ 15 % overall; a few zones lose more than 40 % */
          if (aq_random_chance (&r, 0.04))
            zone->nrw = aq_random_uniform (&r, 0.40, 0.52);
          else
            zone->nrw = aq_sim_clamp (aq_random_lognormal (&r, 0.092, 0.55), 0.03, 0.35);
        }
      else
        zone->unmetered = aq_random_uniform (&r, 0.005, 0.025);
    }
}

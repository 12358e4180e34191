/* aq-simulator-geo-write.c — the city written into the simulated GIS
 *
 * Districts, the river, roads, DMA zones, communities and premises go into src_gis as WGS 84
 * geometries; the city is worked out in metres (aq-simulator-geo.c) and turned into degrees
 * only here.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-geo-private.h"

#include <math.h>
#include <string.h>

/* ---- writing ---- */

/* The outline of a box of cells, counter-clockwise, with the river's centre line sampled at
 * every multiple of 50 m so that zones on either side share the same vertices. */
static void
box_ring (AqSim  *sim,
          guint   c0,
          guint   c1,
          guint   r0,
          guint   r1,
          GArray *xy)
{
  double x0 = sim->col_x[c0], x1 = sim->col_x[c1];

  g_array_set_size (xy, 0);
#define ADD(px, py) G_STMT_START { double _p[2] = { aq_sim_lon (px), aq_sim_lat (py) }; \
                                   g_array_append_vals (xy, _p, 2); } G_STMT_END
  if (r0 == sim->river_row)
    for (int i = (int) (x0 / SNAP); i <= (int) (x1 / SNAP); i++)
      ADD (i * SNAP, aq_sim_river_center (i * SNAP));
  else
    {
      ADD (x0, sim->row_y[r0]);
      ADD (x1, sim->row_y[r0]);
    }
  if (r1 == sim->river_row)
    for (int i = (int) (x1 / SNAP); i >= (int) (x0 / SNAP); i--)
      ADD (i * SNAP, aq_sim_river_center (i * SNAP));
  else
    {
      ADD (x1, sim->row_y[r1]);
      ADD (x0, sim->row_y[r1]);
    }
#undef ADD
}

static void
add_point (GArray *xy,
           double  x,
           double  y)
{
  double p[2] = { aq_sim_lon (x), aq_sim_lat (y) };

  g_array_append_vals (xy, p, 2);
}

/* a bank between two multiples of 50 m, west to east or back */
static void
add_bank (GArray  *xy,
          gboolean upper,
          double   from,
          double   to)
{
  int a = (int) (from / SNAP), b = (int) (to / SNAP), step = a <= b ? 1 : -1;

  for (int i = a;; i += step)
    {
      double x = i * SNAP;

      add_point (xy, x, upper ? aq_sim_river_upper (x) : aq_sim_river_lower (x));
      if (i == b)
        break;
    }
}

static gboolean
write_districts_and_river (AqSim   *sim,
                           GError **error)
{
  AqCopyWriter *w = NULL;
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  double y_west = sim->row_y[sim->district_row_west], y_east = sim->row_y[sim->district_row_east];
  double xs = DISTRICT_SPLIT_X, W = AQ_SIM_WIDTH, H = AQ_SIM_HEIGHT;

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_gis.district (district_code, name, geom)", error);

  if (w == NULL)

    return FALSE;
  for (guint d = 0; d < 6; d++)
    {
      g_array_set_size (xy, 0);
      switch (d)
        {
        case 0:
          add_point (xy, 0, y_west); add_point (xy, xs, y_west);
          add_point (xy, xs, H); add_point (xy, 0, H);
          break;
        case 1:
          add_bank (xy, TRUE, 0, xs);
          add_point (xy, xs, y_west); add_point (xy, 0, y_west);
          break;
        case 2:
          add_point (xy, 0, 0); add_point (xy, xs, 0);
          add_bank (xy, FALSE, xs, 0);
          break;
        case 3:
          add_point (xy, xs, y_east); add_point (xy, W, y_east);
          add_point (xy, W, H); add_point (xy, xs, H);
          break;
        case 4:
          add_bank (xy, TRUE, xs, W);
          add_point (xy, W, y_east); add_point (xy, xs, y_east);
          break;
        default:
          add_point (xy, xs, 0); add_point (xy, W, 0);
          add_bank (xy, FALSE, W, xs);
          break;
        }
      aq_copy_writer_row (w, 3);
      aq_copy_writer_text (w, aq_sim_district_codes[d], -1);
      aq_copy_writer_text (w, aq_sim_district_names[d], -1);
      aq_copy_writer_multipolygon (w, AQ_SIM_SRID, (double *) xy->data, xy->len / 2);
      aq_copy_writer_end_row (w);
    }
  if (!aq_sim_copy_end (sim, w, "src_gis.district", error))
    return FALSE;

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_gis.river (river_id, name, geom)", error);

  if (w == NULL)

    return FALSE;
  g_array_set_size (xy, 0);
  add_bank (xy, TRUE, 0, W);
  add_bank (xy, FALSE, W, 0);
  aq_copy_writer_row (w, 3);
  aq_copy_writer_int32 (w, 1);
  aq_copy_writer_text (w, "闽江", -1);
  aq_copy_writer_multipolygon (w, AQ_SIM_SRID, (double *) xy->data, xy->len / 2);
  aq_copy_writer_end_row (w);
  return aq_sim_copy_end (sim, w, "src_gis.river", error);
}

static void
write_road (AqCopyWriter    *w,
            gint32          *road_id,
            const AqSimLine *line,
            GArray          *xy)
{
  aq_copy_writer_row (w, 4);
  aq_copy_writer_int32 (w, ++*road_id);
  aq_copy_writer_text (w, line->name, -1);
  aq_copy_writer_int16 (w, line->road_class);
  aq_copy_writer_linestring (w, AQ_SIM_SRID, (double *) xy->data, xy->len / 2);
  aq_copy_writer_end_row (w);
}

static gboolean
write_roads (AqSim   *sim,
             GError **error)
{
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));
  AqCopyWriter *w = NULL;
  gint32 road_id = 0;

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_gis.road (road_id, name, road_class, geom)", error);

  if (w == NULL)

    return FALSE;
  for (guint i = 0; i < sim->n_lines; i++)
    {
      const AqSimLine *line = &sim->lines[i];

      g_array_set_size (xy, 0);
      switch (line->orientation)
        {
        case AQ_SIM_LINE_VERTICAL:
          if (line->bridge)
            {
              add_point (xy, line->pos, 0);
              add_point (xy, line->pos, AQ_SIM_HEIGHT);
              write_road (w, &road_id, line, xy);
            }
          else
            {
              /* the street stops at the bank roads on either side of the river */
              add_point (xy, line->pos, 0);
              add_point (xy, line->pos, aq_sim_river_lower (line->pos) - BANK_ROAD);
              write_road (w, &road_id, line, xy);
              g_array_set_size (xy, 0);
              add_point (xy, line->pos, aq_sim_river_upper (line->pos) + BANK_ROAD);
              add_point (xy, line->pos, AQ_SIM_HEIGHT);
              write_road (w, &road_id, line, xy);
            }
          break;
        case AQ_SIM_LINE_HORIZONTAL:
          add_point (xy, 0, line->pos);
          add_point (xy, AQ_SIM_WIDTH, line->pos);
          write_road (w, &road_id, line, xy);
          break;
        default:
          for (double x = 0; x <= AQ_SIM_WIDTH; x += 100.0)
            add_point (xy, x, line->orientation == AQ_SIM_LINE_NORTH_BANK
                              ? aq_sim_river_upper (x) + BANK_ROAD
                              : aq_sim_river_lower (x) - BANK_ROAD);
          write_road (w, &road_id, line, xy);
          break;
        }
    }
  return aq_sim_copy_end (sim, w, "src_gis.road", error);
}

static gboolean
write_zones (AqSim   *sim,
             GError **error)
{
  AqCopyWriter *w = NULL;
  g_autoptr(GArray) xy = g_array_new (FALSE, FALSE, sizeof (double));

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                   "src_gis.dma_zone (zone_code, level, parent_code, name, geom)", error);
  if (w == NULL)
    return FALSE;
  for (guint z = 0; z < sim->n_zones; z++)
    {
      const AqSimZone *zone = &sim->zones[z];

      box_ring (sim, zone->c0, zone->c1, zone->r0, zone->r1, xy);
      aq_copy_writer_row (w, 5);
      aq_copy_writer_text (w, zone->code, -1);
      aq_copy_writer_int16 (w, zone->level);
      aq_copy_writer_text (w, zone->parent == AQ_SIM_NONE ? NULL : sim->zones[zone->parent].code,
                           -1);
      aq_copy_writer_text (w, zone->name, -1);
      aq_copy_writer_multipolygon (w, AQ_SIM_SRID, (double *) xy->data, xy->len / 2);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_gis.dma_zone", error);
}

static void
community_code (guint  index,
                char  *buf)
{
  g_autoptr(GString) s = g_string_new ("XQ");

  aq_sim_append_padded (s, index + 1, 6);
  memcpy (buf, s->str, s->len + 1);
}

static gboolean
write_communities (AqSim   *sim,
                   GError **error)
{
  AqCopyWriter *w = NULL;

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_gis.community (community_code, name, district_code, "
                    "property_company, property_phone, master_meter_no, geom)", error);

  if (w == NULL)

    return FALSE;
  for (guint i = 0; i < sim->n_communities; i++)
    {
      const AqSimCommunity *cm = &sim->communities[i];
      double xy[8];
      char code[12], meter[16];

      for (guint k = 0; k < 4; k++)
        {
          xy[2 * k] = aq_sim_lon (cm->quad[2 * k]);
          xy[2 * k + 1] = aq_sim_lat (cm->quad[2 * k + 1]);
        }
      community_code (i, code);
      aq_sim_format_meter_no (sim, cm->master_meter, meter);
      aq_copy_writer_row (w, 7);
      aq_copy_writer_text (w, code, -1);
      aq_copy_writer_text (w, cm->name, -1);
      aq_copy_writer_text (w, aq_sim_district_codes[cm->district], -1);
      aq_copy_writer_text (w, sim->companies[cm->company], -1);
      aq_copy_writer_text (w, sim->company_phones[cm->company], -1);
      aq_copy_writer_text (w, meter, -1);
      aq_copy_writer_polygon (w, AQ_SIM_SRID, xy, 4);
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_gis.community", error);
}

static gboolean
write_premises (AqSim   *sim,
                GError **error)
{
  AqCopyWriter *w = NULL;
  g_autoptr(GString) s = g_string_new (NULL);

  w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS,
                    "src_gis.premise (premise_id, community_code, address, building, "
                    "unit, room, dma_zone_code, status, demolished_on, geom)", error);

  if (w == NULL)

    return FALSE;
  for (guint i = 0; i < sim->n_premises; i++)
    {
      const AqSimPremise *p = &sim->premises[i];
      char code[12], num[8];

      aq_copy_writer_row (w, 10);
      aq_copy_writer_int64 (w, i + 1);
      if (p->community != AQ_SIM_NONE)
        {
          community_code (p->community, code);
          aq_copy_writer_text (w, code, -1);
        }
      else
        aq_copy_writer_null (w);
      g_string_truncate (s, 0);
      aq_sim_premise_address (sim, i, s);
      aq_copy_writer_text (w, s->str, (gssize) s->len);
      if (p->community != AQ_SIM_NONE)
        {
          g_string_truncate (s, 0);
          aq_sim_append_uint (s, p->building);
          aq_copy_writer_text (w, s->str, (gssize) s->len);
          g_string_truncate (s, 0);
          aq_sim_append_uint (s, p->unit);
          aq_copy_writer_text (w, s->str, (gssize) s->len);
          g_string_truncate (s, 0);
          aq_sim_append_uint (s, p->room);
          memcpy (num, s->str, s->len + 1);
          aq_copy_writer_text (w, num, -1);
        }
      else
        {
          aq_copy_writer_null (w);
          aq_copy_writer_null (w);
          aq_copy_writer_null (w);
        }
      aq_copy_writer_text (w, sim->zones[p->zone].code, -1);
      aq_copy_writer_text (w, p->demolished_day == AQ_SIM_NEVER ? "N" : "D", 1);
      if (p->demolished_day == AQ_SIM_NEVER)
        aq_copy_writer_null (w);
      else
        aq_copy_writer_date (w, p->demolished_day);
      aq_copy_writer_point (w, AQ_SIM_SRID, aq_sim_lon (p->x), aq_sim_lat (p->y));
      if (!aq_copy_writer_end_row (w))
        break;
    }
  return aq_sim_copy_end (sim, w, "src_gis.premise", error);
}

/**
 * aq_sim_geo_write:
 *
 * Writes src_gis.district, river, road, dma_zone, community and premise.
 */
gboolean
aq_sim_geo_write (AqSim   *sim,
                  GError **error)
{
  return write_districts_and_river (sim, error)
         && write_roads (sim, error)
         && write_zones (sim, error)
         && write_communities (sim, error)
         && write_premises (sim, error);
}

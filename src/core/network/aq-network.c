/* aq-network.c — burst isolation on the valve segments: which valves to close, who loses water
 *
 * The dm_network pipeline has cut the network at its valves into segments and kept the
 * segment graph (every valve joins two segments). That graph is small — a segment holds a few
 * pipes — so it is read once into arrays and every question after that is a walk in memory:
 *
 *   1. the burst pipe's segment is shut in by the open valves on its boundary; a valve that
 *      will not close (inoperable in the GIS, or found stuck on site and said so) is passed
 *      over and the walk goes on to the next ring of valves behind it;
 *   2. with those valves closed, the segments still joined to a source (plant outlet, tank)
 *      through open valves keep their water; the others that had it before go dry too.
 *
 * Then one query counts who is on the isolated and dry segments, by the outage analysis's own
 * rule and summary (aq-outage-area-private.h), so a burst and a drawn area read the same.
 * Giswater's mincut floods the pipe graph with UPDATEs; EPA WNTR precomputes segments as here.
 */
#define G_LOG_DOMAIN "aq-network"

#include "config.h"

#include "aq-network.h"
#include "aq-network-private.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "aq-error.h"
#include "aq-outage-area-private.h"

/* ~40 m round the dry pipes at this latitude: where their service lines run */
#define POLYGON_BUFFER_DEGREES 0.0004

/* The affected accounts: those on the segments $1, by the outage analysis's rule (from
 * notify.area_point, or from dw when it cannot be built). */
#define POINTS_CTE \
  "WITH area AS (SELECT NULL::geometry AS g)," \
  " acc AS (SELECT ap.account_id, ap.customer_id, ap.community_code, ap.district_code," \
  "                ap.premise_id, ap.is_key, ap.mobile, ap.openid," \
  "                (ap.mobile IS NOT NULL OR ap.openid IS NOT NULL) AS reachable" \
  "         FROM dm.network_account na" \
  "         JOIN notify.area_point ap ON ap.account_id = na.account_id" \
  "         WHERE na.segment_id = ANY ($1::integer[]))"
#define LIVE_CTE \
  "WITH area AS (SELECT NULL::geometry AS g)," \
  " acc AS (" AQ_AFFECTED_ACCOUNTS_LIVE_ROWS ( \
  "   AND a.account_id IN (SELECT account_id FROM dm.network_account" \
  "                        WHERE segment_id = ANY ($1::integer[]))") ")"

/* The outage analysis's tagged rows (aq-outage-area.c): the totals over the accounts (the
 * distinct mobiles and openids are not a sum over segments), the communities and the key
 * customers as the dm_network pipeline stored them per segment (migration 035). */
#define STORED_SQL(cte) \
  cte \
  " SELECT 't', NULL, NULL, NULL, NULL," \
  "        count(*), count(*) FILTER (WHERE is_key)," \
  "        count(*) FILTER (WHERE NOT is_key AND community_code IS NOT NULL)," \
  "        count(*) FILTER (WHERE reachable)," \
  "        count(*) FILTER (WHERE mobile IS NOT NULL)," \
  "        count(*) FILTER (WHERE openid IS NOT NULL)," \
  "        count(DISTINCT mobile COLLATE \"C\")," \
  "        NULL::boolean, NULL::float8, NULL::float8, count(DISTINCT openid COLLATE \"C\")" \
  " FROM acc" \
  " UNION ALL" \
  " SELECT 'c', cm.community_code, cm.name, cm.property_company, cm.property_phone," \
  "        sum(sc.accounts), sum(sc.reachable), min(sc.accounts_total)," \
  "        NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL" \
  " FROM dm.valve_segment_community sc" \
  " JOIN dw.dim_community cm ON cm.community_code = sc.community_code" \
  " WHERE sc.segment_id = ANY ($1::integer[])" \
  " GROUP BY cm.community_code, cm.name, cm.property_company, cm.property_phone" \
  " UNION ALL" \
  " SELECT 'k', account_id, name, kind, NULL, kc_id, NULL, NULL, NULL, NULL, NULL, NULL," \
  "        is_reachable, lon, lat, NULL" \
  " FROM dm.valve_segment_key_customer WHERE segment_id = ANY ($1::integer[])"


/* ---- auxiliary methods ---- */

static gint64
value_int (PGresult *res,
           int       row,
           int       column)
{
  return g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10);
}

static char *
int_array_literal (GArray *a,
                   GArray *b)
{
  GString *s = g_string_new ("{");

  for (guint k = 0; k < 2; k++)
    {
      GArray *arr = k ? b : a;

      for (guint i = 0; arr && i < arr->len; i++)
        g_string_append_printf (s, "%s%d", s->len > 1 ? "," : "", g_array_index (arr, gint, i));
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
conflict_free (AqNetworkConflict *c)
{
  g_free (c->kind);
  g_free (c->status);
  g_free (c->reason);
  g_free (c);
}

static AqIsolation *
isolation_new (void)
{
  AqIsolation *iso = g_new0 (AqIsolation, 1);

  iso->close_valves = g_array_new (FALSE, FALSE, sizeof (gint64));
  iso->stuck_valves = g_array_new (FALSE, FALSE, sizeof (gint64));
  iso->isolated_segments = g_array_new (FALSE, FALSE, sizeof (gint));
  iso->dry_segments = g_array_new (FALSE, FALSE, sizeof (gint));
  iso->isolated_pipes = g_array_new (FALSE, FALSE, sizeof (gint64));
  iso->dry_pipes = g_array_new (FALSE, FALSE, sizeof (gint64));
  iso->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) conflict_free);
  return iso;
}

static gboolean
stuck_marks (AqNetwork     *net,
             const gint64  *inoperable,
             guint          n_inoperable,
             guint8       **out,
             GError       **error)
{
  *out = g_new0 (guint8, net->n_valves + 1);
  for (guint i = 0; i < n_inoperable; i++)
    {
      gpointer found = g_hash_table_lookup (net->valve_index, &inoperable[i]);

      if (found == NULL)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, inoperable[i]);

          g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                       _("There is no valve %s in the network"), number);
          g_clear_pointer (out, g_free);
          return FALSE;
        }
      (*out)[GPOINTER_TO_UINT (found) - 1] = 1;
    }
  return TRUE;
}

/* Planned and active outages sharing accounts with the affected segments, or whose area
 * meets the affected pipes' (buffered like the map's polygon). */
static gboolean
find_conflicts (AqDb         *db,
                AqIsolation  *iso,
                const char   *segments,
                GError      **error)
{
  const char *params[] = { segments };
  g_autoptr(PGresult) res = NULL;
  g_autofree char *sql = g_strdup_printf (
    "WITH hit AS (SELECT ST_Buffer(ST_Collect(p.geom), %g, 'quad_segs=2') AS g"
    "             FROM dm.network_pipe_segment ps"
    "             JOIN dw.network_pipe p ON p.pipe_id = ps.pipe_id"
    "             WHERE ps.segment_id = ANY ($1::integer[])),"
    " shared AS (SELECT oa.outage_id, count(*) AS n FROM notify.outage_account oa"
    "            JOIN dm.network_account na ON na.account_id = oa.account_id"
    "            WHERE na.segment_id = ANY ($1::integer[]) GROUP BY oa.outage_id)"
    " SELECT o.outage_id, o.kind, o.status, o.reason, coalesce(s.n, 0),"
    "        coalesce(ST_Intersects(o.geom, hit.g), false)"
    " FROM notify.outage o CROSS JOIN hit LEFT JOIN shared s ON s.outage_id = o.outage_id"
    " WHERE o.status IN ('planned', 'active')"
    "   AND (s.n IS NOT NULL OR ST_Intersects(o.geom, hit.g))"
    " ORDER BY coalesce(s.n, 0) DESC, o.outage_id", POLYGON_BUFFER_DEGREES);

  res = aq_db_query_prepared (db, sql, 1, params, error);
  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqNetworkConflict *c = g_new0 (AqNetworkConflict, 1);

      c->outage_id = value_int (res, i, 0);
      c->kind = g_strdup (PQgetvalue (res, i, 1));
      c->status = g_strdup (PQgetvalue (res, i, 2));
      c->reason = g_strdup (PQgetvalue (res, i, 3));
      c->shared_accounts = value_int (res, i, 4);
      c->area_overlaps = PQgetvalue (res, i, 5)[0] == 't';
      g_ptr_array_add (iso->conflicts, c);
    }
  return TRUE;
}

/* ---- public methods ---- */

/**
 * aq_network_load:
 *
 * Reads the segment graph that the dm_network pipeline built. AQ_ERROR_FAILED, saying which
 * pipelines to run, when it has not run yet (a state of the warehouse, not bad input).
 */
AqNetwork *
aq_network_load (AqDb    *db,
                 GError **error)
{
  g_autoptr(AqNetwork) net = g_new0 (AqNetwork, 1);
  g_autoptr(PGresult) seg = NULL, valves = NULL, pipes = NULL;
  g_autofree guint32 *fill = NULL;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  seg = aq_db_query (db, "SELECT segment_id, sources > 0, accounts FROM dm.network_segment"
                         " ORDER BY segment_id", 0, NULL, error);
  if (seg == NULL)
    return NULL;
  if (PQntuples (seg) == 0)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED,
                   _("The warehouse holds no water network yet: run the pipelines dw_network "
                     "and dm_network"));
      return NULL;
    }
  valves = aq_db_query (db, "SELECT valve_id, pipe_segment, node_segment, status = 'closed',"
                            " operable FROM dm.network_segment_valve ORDER BY valve_id",
                        0, NULL, error);
  if (valves == NULL)
    return NULL;
  pipes = aq_db_query (db, "SELECT pipe_id, segment_id FROM dm.network_pipe_segment",
                       0, NULL, error);
  if (pipes == NULL)
    return NULL;

  net->n_segments = (guint) value_int (seg, PQntuples (seg) - 1, 0);
  net->has_source = g_new0 (guint8, net->n_segments + 1);
  net->accounts = g_new0 (gint64, net->n_segments + 1);
  for (int i = 0; i < PQntuples (seg); i++)
    {
      gint64 s = value_int (seg, i, 0);

      net->has_source[s] = PQgetvalue (seg, i, 1)[0] == 't';
      net->accounts[s] = value_int (seg, i, 2);
    }

  net->n_valves = (guint) PQntuples (valves);
  net->valve_id = g_new (gint64, net->n_valves + 1);
  net->side_a = g_new (gint, net->n_valves + 1);
  net->side_b = g_new (gint, net->n_valves + 1);
  net->closed = g_new (guint8, net->n_valves + 1);
  net->operable = g_new (guint8, net->n_valves + 1);
  net->valve_index = g_hash_table_new (g_int64_hash, g_int64_equal);
  net->adj_start = g_new0 (guint32, net->n_segments + 2);
  for (guint v = 0; v < net->n_valves; v++)
    {
      net->valve_id[v] = value_int (valves, (int) v, 0);
      net->side_a[v] = (gint) value_int (valves, (int) v, 1);
      net->side_b[v] = (gint) value_int (valves, (int) v, 2);
      net->closed[v] = PQgetvalue (valves, (int) v, 3)[0] == 't';
      net->operable[v] = PQgetvalue (valves, (int) v, 4)[0] == 't';
      g_hash_table_insert (net->valve_index, &net->valve_id[v], GUINT_TO_POINTER (v + 1));
      if (net->side_a[v] != net->side_b[v])
        {
          net->adj_start[net->side_a[v] + 1]++;
          net->adj_start[net->side_b[v] + 1]++;
        }
    }
  for (guint s = 0; s <= net->n_segments; s++)
    net->adj_start[s + 1] += net->adj_start[s];
  net->adj = g_new (guint32, net->adj_start[net->n_segments + 1] + 1);
  fill = g_new0 (guint32, net->n_segments + 1);
  for (guint v = 0; v < net->n_valves; v++)
    if (net->side_a[v] != net->side_b[v])
      {
        gint a = net->side_a[v], b = net->side_b[v];

        net->adj[net->adj_start[a] + fill[a]++] = v;
        net->adj[net->adj_start[b] + fill[b]++] = v;
      }

  net->pipe_keys = g_new (gint64, PQntuples (pipes) + 1);
  net->pipe_segment = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (int i = 0; i < PQntuples (pipes); i++)
    {
      net->pipe_keys[i] = value_int (pipes, i, 0);
      g_hash_table_insert (net->pipe_segment, &net->pipe_keys[i],
                           GINT_TO_POINTER ((gint) value_int (pipes, i, 1)));
    }

  net->supplied = _aq_network_supply_walk (net, NULL, NULL);

  /* pressure zones: components through the valves open in their normal position */
  {
    g_autofree guint32 *queue = g_new (guint32, net->n_segments + 1);

    net->zone = g_new0 (guint32, net->n_segments + 1);
    net->zone_sources = g_new0 (gint64, net->n_segments + 2);
    for (guint s = 1; s <= net->n_segments; s++)
      {
        guint head = 0, tail = 0;

        if (net->zone[s] != 0)
          continue;
        net->zone[s] = ++net->n_zones;
        queue[tail++] = s;
        while (head < tail)
          {
            guint32 u = queue[head++];

            net->zone_sources[net->n_zones] += net->has_source[u];
            for (guint32 k = net->adj_start[u]; k < net->adj_start[u + 1]; k++)
              {
                guint32 v = net->adj[k];
                gint t = net->side_a[v] == (gint) u ? net->side_b[v] : net->side_a[v];

                if (net->closed[v] || net->zone[t] != 0)
                  continue;
                net->zone[t] = net->n_zones;
                queue[tail++] = (guint32) t;
              }
          }
      }
  }
  return g_steal_pointer (&net);
}

void
aq_network_free (AqNetwork *net)
{
  if (net == NULL)
    return;
  g_free (net->has_source);
  g_free (net->accounts);
  g_free (net->supplied);
  g_free (net->valve_id);
  g_free (net->side_a);
  g_free (net->side_b);
  g_free (net->closed);
  g_free (net->operable);
  g_free (net->adj_start);
  g_free (net->adj);
  g_free (net->zone);
  g_free (net->zone_sources);
  g_free (net->pipe_keys);
  g_clear_pointer (&net->pipe_segment, g_hash_table_unref);
  g_clear_pointer (&net->valve_index, g_hash_table_unref);
  g_free (net);
}

guint
aq_network_get_n_segments (AqNetwork *net)
{
  return net->n_segments;
}

guint
aq_network_get_n_valves (AqNetwork *net)
{
  return net->n_valves;
}

gboolean
aq_network_has_pipe (AqNetwork *net,
                     gint64     pipe_id)
{
  return g_hash_table_contains (net->pipe_segment, &pipe_id);
}

gboolean
aq_network_has_valve (AqNetwork *net,
                      gint64     valve_id)
{
  return g_hash_table_contains (net->valve_index, &valve_id);
}

AqIsolation *
aq_network_isolate_segments (AqNetwork     *net,
                             gint64         pipe_id,
                             const gint64  *inoperable,
                             guint          n_inoperable,
                             GError       **error)
{
  g_autoptr(AqIsolation) iso = NULL;
  g_autofree guint8 *stuck = NULL;
  g_autoptr(AqNetworkWalker) w = NULL;
  gpointer found;
  gint64 started = g_get_monotonic_time ();

  g_return_val_if_fail (net != NULL, NULL);

  found = g_hash_table_lookup (net->pipe_segment, &pipe_id);
  if (found == NULL)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, pipe_id);

      g_set_error (error, AQ_ERROR, AQ_ERROR_NOT_FOUND,
                   _("There is no pipe %s in the network"), number);
      return NULL;
    }
  if (!stuck_marks (net, inoperable, n_inoperable, &stuck, error))
    return NULL;
  iso = isolation_new ();
  iso->pipe_id = pipe_id;
  iso->segment_id = GPOINTER_TO_INT (found);
  w = _aq_network_walker_new (net);
  _aq_network_walk (net, w, iso->segment_id, stuck, iso);
  iso->walk_ms = (g_get_monotonic_time () - started) / 1000.0;
  return g_steal_pointer (&iso);
}

/**
 * aq_network_isolate:
 *
 * The valves to close for a burst on @pipe_id, what they shut in, what goes dry, and who is
 * affected (by the outage area's rule: open accounts on standing premises).
 */
AqIsolation *
aq_network_isolate (AqNetwork     *net,
                    AqDb          *db,
                    gint64         pipe_id,
                    const gint64  *inoperable,
                    guint          n_inoperable,
                    gboolean       with_polygon,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(AqIsolation) iso = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *isolated = NULL, *both = NULL;
  gint64 started = g_get_monotonic_time ();
  gboolean points;

  g_return_val_if_fail (AQ_IS_DB (db), NULL);

  iso = aq_network_isolate_segments (net, pipe_id, inoperable, n_inoperable, error);
  if (iso == NULL)
    return NULL;
  isolated = int_array_literal (iso->isolated_segments, NULL);
  both = int_array_literal (iso->isolated_segments, iso->dry_segments);

  {
    const char *params[] = { isolated, both };
    gint64 t0 = g_get_monotonic_time ();

    res = aq_db_query_prepared (db,
                       "SELECT p.pipe_id, p.length_m, ps.segment_id = ANY ($1::integer[])"
                       " FROM dm.network_pipe_segment ps"
                       " JOIN dw.network_pipe p ON p.pipe_id = ps.pipe_id"
                       " WHERE ps.segment_id = ANY ($2::integer[]) ORDER BY p.pipe_id",
                       2, params, error);
    if (res == NULL)
      return NULL;
    for (int i = 0; i < PQntuples (res); i++)
      {
        gint64 id = value_int (res, i, 0);
        double len = g_ascii_strtod (PQgetvalue (res, i, 1), NULL);

        if (PQgetvalue (res, i, 2)[0] == 't')
          {
            g_array_append_val (iso->isolated_pipes, id);
            iso->isolated_length_m += len;
          }
        else
          {
            g_array_append_val (iso->dry_pipes, id);
            iso->dry_length_m += len;
          }
      }
    g_clear_pointer (&res, PQclear);
    iso->pipes_ms = (g_get_monotonic_time () - t0) / 1000.0;
  }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  points = aq_outage_area_ensure_points (db);
  {
    const char *params[] = { both };

    if (net->reference_figures)
      iso->area = aq_outage_area_analyze_with (db, points ? POINTS_CTE : LIVE_CTE, 1, params,
                                               cancellable, error);
    else
      {
        gint64 t0 = g_get_monotonic_time ();
        gulong handler = aq_db_watch_cancellable (db, cancellable);

        /* one plan per connection: the segments' list is all that changes */
        res = aq_db_query_prepared (db, points ? STORED_SQL (POINTS_CTE)
                                               : STORED_SQL (LIVE_CTE), 1, params, error);
        aq_db_unwatch_cancellable (db, cancellable, handler);
        if (g_cancellable_is_cancelled (cancellable))
          {
            g_clear_error (error);
            g_cancellable_set_error_if_cancelled (cancellable, error);
            return NULL;
          }
        if (res == NULL)
          return NULL;
        iso->area = aq_outage_area_new_from_result (res);
        iso->area->elapsed_ms = (g_get_monotonic_time () - t0) / 1000.0;
        g_clear_pointer (&res, PQclear);
      }
    if (iso->area == NULL)
      return NULL;
    /* no polygon to be inside of: a community is inside when all of it is cut off */
    for (guint i = 0; i < iso->area->communities->len; i++)
      {
        AqAreaCommunity *c = g_ptr_array_index (iso->area->communities, i);

        c->inside = c->accounts > 0 && c->accounts >= c->accounts_total;
      }
  }

  if (with_polygon && (iso->isolated_pipes->len + iso->dry_pipes->len) > 0)
    {
      const char *params[] = { both };
      g_autofree char *text = NULL;
      g_autofree char *sql = g_strdup_printf (
        "SELECT ST_AsGeoJSON(ST_Multi(ST_Buffer(ST_Collect(p.geom), %g, 'quad_segs=2')), 7)"
        " FROM dm.network_pipe_segment ps JOIN dw.network_pipe p ON p.pipe_id = ps.pipe_id"
        " WHERE ps.segment_id = ANY ($1::integer[])", POLYGON_BUFFER_DEGREES);

      text = aq_db_query_string (db, sql, 1, params, error);
      if (text == NULL)
        return NULL;
      iso->polygon = aq_geometry_new_from_postgis (text, error);
      if (iso->polygon == NULL)
        return NULL;
    }
  {
    gint64 t0 = g_get_monotonic_time ();

    if (!find_conflicts (db, iso, both, error))
      return NULL;
    iso->conflicts_ms = (g_get_monotonic_time () - t0) / 1000.0;
  }
  iso->elapsed_ms = (g_get_monotonic_time () - started) / 1000.0 + iso->walk_ms;
  return g_steal_pointer (&iso);
}

GPtrArray *
aq_isolation_account_ids (AqIsolation  *iso,
                          AqDb         *db,
                          GError      **error)
{
  g_autofree char *both = int_array_literal (iso->isolated_segments, iso->dry_segments);
  const char *params[] = { both };
  g_autoptr(PGresult) res = NULL;
  GPtrArray *ids;

  res = aq_db_query (db,
                     aq_outage_area_ensure_points (db)
                       ? "SELECT ap.account_id FROM dm.network_account na"
                         " JOIN notify.area_point ap ON ap.account_id = na.account_id"
                         " WHERE na.segment_id = ANY ($1::integer[]) ORDER BY 1"
                       : "SELECT account_id FROM (" AQ_AFFECTED_ACCOUNTS_LIVE_ROWS (
                         "   AND a.account_id IN (SELECT account_id FROM dm.network_account"
                         "                        WHERE segment_id = ANY ($1::integer[]))")
                         ") live ORDER BY 1",
                     1, params, error);
  if (res == NULL)
    return NULL;
  ids = g_ptr_array_new_full (PQntuples (res) + 1, g_free);
  for (int i = 0; i < PQntuples (res); i++)
    g_ptr_array_add (ids, g_strdup (PQgetvalue (res, i, 0)));
  return ids;
}

void
aq_isolation_free (AqIsolation *iso)
{
  if (iso == NULL)
    return;
  g_clear_pointer (&iso->close_valves, g_array_unref);
  g_clear_pointer (&iso->stuck_valves, g_array_unref);
  g_clear_pointer (&iso->isolated_segments, g_array_unref);
  g_clear_pointer (&iso->dry_segments, g_array_unref);
  g_clear_pointer (&iso->isolated_pipes, g_array_unref);
  g_clear_pointer (&iso->dry_pipes, g_array_unref);
  g_clear_pointer (&iso->area, aq_outage_area_free);
  g_clear_pointer (&iso->polygon, aq_geometry_free);
  g_clear_pointer (&iso->conflicts, g_ptr_array_unref);
  g_clear_pointer (&iso->close_points, g_array_unref);
  g_clear_pointer (&iso->stuck_points, g_array_unref);
  g_clear_pointer (&iso->isolated_paths, g_ptr_array_unref);
  g_clear_pointer (&iso->dry_paths, g_ptr_array_unref);
  g_free (iso);
}

gint64
aq_network_pipe_at (AqDb     *db,
                    double    lon,
                    double    lat,
                    double    max_metres,
                    GError  **error)
{
  g_autofree char *lon_text = g_strdup_printf ("%.8f", lon);
  g_autofree char *lat_text = g_strdup_printf ("%.8f", lat);
  g_autofree char *max_text = g_strdup_printf ("%.1f", max_metres);
  const char *params[] = { lon_text, lat_text, max_text };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;

  /* the index finds the nearest few in degrees; the metres decide */
  id = aq_db_query_string (db,
                           "SELECT pipe_id FROM (SELECT pipe_id, geom FROM dw.network_pipe"
                           "  ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 8) n"
                           " WHERE ST_DWithin(geom::geography,"
                           "   ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography, $3::float8)"
                           " ORDER BY ST_Distance(geom::geography,"
                           "   ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography), pipe_id LIMIT 1",
                           3, params, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return id ? g_ascii_strtoll (id, NULL, 10) : 0;
}

static char *
id_array_literal (GArray *a)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < a->len; i++)
    g_string_append_printf (s, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (a, gint64, i));
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static gboolean
load_points (AqDb     *db,
             GArray   *ids,
             GArray  **out,
             GError  **error)
{
  g_autofree char *literal = id_array_literal (ids);
  const char *params[] = { literal };
  g_autoptr(PGresult) res = aq_db_query (db, "SELECT valve_id, ST_X(geom), ST_Y(geom)"
                                             " FROM dw.network_valve"
                                             " WHERE valve_id = ANY ($1::bigint[])"
                                             " ORDER BY valve_id", 1, params, error);

  if (res == NULL)
    return FALSE;
  *out = g_array_new (FALSE, FALSE, sizeof (AqNetworkPoint));
  for (int i = 0; i < PQntuples (res); i++)
    {
      AqNetworkPoint p = { value_int (res, i, 0), g_ascii_strtod (PQgetvalue (res, i, 1), NULL),
                           g_ascii_strtod (PQgetvalue (res, i, 2), NULL) };

      g_array_append_val (*out, p);
    }
  return TRUE;
}

static gboolean
load_paths (AqDb       *db,
            GArray     *ids,
            GPtrArray **out,
            GError    **error)
{
  g_autofree char *literal = id_array_literal (ids);
  const char *params[] = { literal };
  g_autoptr(PGresult) res = aq_db_query (db, "SELECT p.pipe_id, d.path[1], ST_X(d.geom),"
                                             " ST_Y(d.geom)"
                                             " FROM dw.network_pipe p,"
                                             " LATERAL ST_DumpPoints(p.geom) d"
                                             " WHERE p.pipe_id = ANY ($1::bigint[])"
                                             " ORDER BY p.pipe_id, d.path[1]",
                                         1, params, error);
  GArray *path = NULL;
  gint64 last = -1;

  if (res == NULL)
    return FALSE;
  *out = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  for (int i = 0; i < PQntuples (res); i++)
    {
      gint64 id = value_int (res, i, 0);
      double xy[2] = { g_ascii_strtod (PQgetvalue (res, i, 2), NULL),
                       g_ascii_strtod (PQgetvalue (res, i, 3), NULL) };

      if (id != last)
        {
          path = g_array_new (FALSE, FALSE, sizeof (double));
          g_ptr_array_add (*out, path);
          last = id;
        }
      g_array_append_vals (path, xy, 2);
    }
  return TRUE;
}

gboolean
aq_isolation_load_shapes (AqIsolation  *iso,
                          AqDb         *db,
                          GError      **error)
{
  g_clear_pointer (&iso->close_points, g_array_unref);
  g_clear_pointer (&iso->stuck_points, g_array_unref);
  g_clear_pointer (&iso->isolated_paths, g_ptr_array_unref);
  g_clear_pointer (&iso->dry_paths, g_ptr_array_unref);
  return load_points (db, iso->close_valves, &iso->close_points, error)
         && load_points (db, iso->stuck_valves, &iso->stuck_points, error)
         && load_paths (db, iso->isolated_pipes, &iso->isolated_paths, error)
         && load_paths (db, iso->dry_pipes, &iso->dry_paths, error);
}

static void
add_ids (JsonBuilder *b,
         const char  *name,
         GArray      *a,
         gboolean     wide)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < a->len; i++)
    json_builder_add_int_value (b, wide ? g_array_index (a, gint64, i)
                                        : g_array_index (a, gint, i));
  json_builder_end_array (b);
}

JsonNode *
aq_isolation_to_json (AqIsolation *iso)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "pipe_id");
  json_builder_add_int_value (b, iso->pipe_id);
  json_builder_set_member_name (b, "segment_id");
  json_builder_add_int_value (b, iso->segment_id);
  add_ids (b, "close_valves", iso->close_valves, TRUE);
  add_ids (b, "stuck_valves", iso->stuck_valves, TRUE);
  add_ids (b, "isolated_segments", iso->isolated_segments, FALSE);
  add_ids (b, "dry_segments", iso->dry_segments, FALSE);
  add_ids (b, "isolated_pipes", iso->isolated_pipes, TRUE);
  add_ids (b, "dry_pipes", iso->dry_pipes, TRUE);
  json_builder_set_member_name (b, "isolated_length_m");
  json_builder_add_double_value (b, iso->isolated_length_m);
  json_builder_set_member_name (b, "dry_length_m");
  json_builder_add_double_value (b, iso->dry_length_m);
  if (iso->area)
    {
      json_builder_set_member_name (b, "affected");
      json_builder_add_value (b, aq_outage_area_to_json (iso->area));
    }
  if (iso->polygon)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      if (json_parser_load_from_data (parser, iso->polygon->geojson, -1, NULL))
        {
          json_builder_set_member_name (b, "polygon");
          json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
        }
    }
  json_builder_set_member_name (b, "conflicts");
  json_builder_begin_array (b);
  for (guint i = 0; iso->conflicts && i < iso->conflicts->len; i++)
    {
      AqNetworkConflict *c = g_ptr_array_index (iso->conflicts, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "outage_id");
      json_builder_add_int_value (b, c->outage_id);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, c->kind);
      json_builder_set_member_name (b, "status");
      json_builder_add_string_value (b, c->status);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, c->reason);
      json_builder_set_member_name (b, "shared_accounts");
      json_builder_add_int_value (b, c->shared_accounts);
      json_builder_set_member_name (b, "area_overlaps");
      json_builder_add_boolean_value (b, c->area_overlaps);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "walk_ms");
  json_builder_add_double_value (b, iso->walk_ms);
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_double_value (b, iso->elapsed_ms);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* ---- valve criticality ---- */

static void
isolation_reset (AqIsolation *iso)
{
  g_array_set_size (iso->close_valves, 0);
  g_array_set_size (iso->stuck_valves, 0);
  g_array_set_size (iso->isolated_segments, 0);
  g_array_set_size (iso->dry_segments, 0);
}

static gint64
affected_accounts (AqNetwork   *net,
                   AqIsolation *iso)
{
  gint64 n = 0;

  for (guint i = 0; i < iso->isolated_segments->len; i++)
    n += net->accounts[g_array_index (iso->isolated_segments, gint, i)];
  for (guint i = 0; i < iso->dry_segments->len; i++)
    n += net->accounts[g_array_index (iso->dry_segments, gint, i)];
  return n;
}

static int
compare_criticality (gconstpointer a,
                     gconstpointer b)
{
  const AqValveCriticality *x = a, *y = b;

  if (x->accounts != y->accounts)
    return x->accounts > y->accounts ? -1 : 1;
  if (x->segments != y->segments)
    return x->segments > y->segments ? -1 : 1;
  return x->valve_id < y->valve_id ? -1 : x->valve_id > y->valve_id;
}

/**
 * aq_network_criticality:
 *
 * For each open, operable valve and each of its two sides: a burst in that side's segment
 * with the valve closing, then with it stuck; the difference in accounts without water is
 * what the valve is worth. One walk per segment for the baselines, two per valve after;
 * each walk is local (see "the walk" above), so the whole pass grows with the valves, not
 * with valves × segments.
 */
GArray *
aq_network_criticality (AqNetwork *net,
                        guint      limit)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (AqValveCriticality));
  g_autofree gint64 *base_accounts = g_new0 (gint64, net->n_segments + 1);
  g_autofree gint64 *base_segments = g_new0 (gint64, net->n_segments + 1);
  g_autofree guint8 *stuck = g_new0 (guint8, net->n_valves + 1);
  g_autofree guint8 *needed = g_new0 (guint8, net->n_segments + 1);
  g_autoptr(AqNetworkWalker) w = _aq_network_walker_new (net);
  g_autoptr(AqIsolation) iso = isolation_new ();

  /* the baselines: a burst in each segment next to a valve that counts, every valve closing */
  for (guint v = 0; v < net->n_valves; v++)
    if (!net->closed[v] && net->operable[v] && net->side_a[v] != net->side_b[v])
      needed[net->side_a[v]] = needed[net->side_b[v]] = 1;
  for (guint s = 1; s <= net->n_segments; s++)
    {
      if (!needed[s])
        continue;
      isolation_reset (iso);
      _aq_network_walk (net, w, (gint) s, NULL, iso);
      base_accounts[s] = affected_accounts (net, iso);
      base_segments[s] = iso->isolated_segments->len + iso->dry_segments->len;
    }
  for (guint v = 0; v < net->n_valves; v++)
    {
      AqValveCriticality c = { net->valve_id[v], 0, 0 };

      if (net->closed[v] || !net->operable[v] || net->side_a[v] == net->side_b[v])
        continue;
      stuck[v] = 1;
      for (guint k = 0; k < 2; k++)
        {
          gint s = k ? net->side_b[v] : net->side_a[v];
          gint64 accounts, segments;

          isolation_reset (iso);
          _aq_network_walk (net, w, s, stuck, iso);
          accounts = affected_accounts (net, iso) - base_accounts[s];
          segments = (gint64) (iso->isolated_segments->len + iso->dry_segments->len)
                     - base_segments[s];
          if (accounts > c.accounts || (accounts == c.accounts && segments > c.segments))
            {
              c.accounts = accounts;
              c.segments = segments;
            }
        }
      stuck[v] = 0;
      g_array_append_val (out, c);
    }
  g_array_sort (out, compare_criticality);
  if (limit > 0 && out->len > limit)
    g_array_set_size (out, limit);
  return out;
}

/**
 * aq_network_set_reference_walk:
 *
 * Tests only: find what goes dry by a search over the whole network (the plain, slow rule)
 * instead of the local one, to compare the two.
 */
void
aq_network_set_reference_walk (AqNetwork *net,
                               gboolean   reference)
{
  net->reference_walk = reference;
}

/**
 * aq_network_set_reference_figures:
 *
 * Tests only: count an isolation's communities and key customers from its accounts, as a
 * drawn area's analysis does, instead of reading what the pipeline stored per segment.
 */
void
aq_network_set_reference_figures (AqNetwork *net,
                                  gboolean   reference)
{
  net->reference_figures = reference;
}

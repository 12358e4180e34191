/* aq-network-walk.c — the walk over the segment graph: what a burst shuts in, what goes dry
 *
 * Split from aq-network.c (which loads the graph and answers with queries) so that each stays
 * readable: here is everything that runs in memory for one burst, shared by isolation and by
 * valve criticality through aq-network-private.h.
 */
#define G_LOG_DOMAIN "aq-network"

#include "aq-network-private.h"

#include <string.h>

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static int
compare_int (gconstpointer a,
             gconstpointer b)
{
  gint x = *(const gint *) a, y = *(const gint *) b;

  return x < y ? -1 : x > y;
}

/* Breadth-first from every source segment not @blocked_segment, through the valves open in
 * their normal position and not @closed_now: the segments that keep their water. */
guint8 *
_aq_network_supply_walk (AqNetwork    *net,
                         const guint8 *blocked_segment,
                         const guint8 *closed_now)
{
  guint8 *reach = g_new0 (guint8, net->n_segments + 1);
  g_autofree guint32 *queue = g_new (guint32, net->n_segments + 1);
  guint head = 0, tail = 0;

  for (guint s = 1; s <= net->n_segments; s++)
    if (net->has_source[s] && !(blocked_segment && blocked_segment[s]))
      {
        reach[s] = 1;
        queue[tail++] = s;
      }
  while (head < tail)
    {
      guint32 s = queue[head++];

      for (guint32 k = net->adj_start[s]; k < net->adj_start[s + 1]; k++)
        {
          guint32 v = net->adj[k];
          gint t = net->side_a[v] == (gint) s ? net->side_b[v] : net->side_a[v];

          if (net->closed[v] || (closed_now && closed_now[v]) || reach[t]
              || (blocked_segment && blocked_segment[t]))
            continue;
          reach[t] = 1;
          queue[tail++] = (guint32) t;
        }
    }
  return reach;
}

/* ---- the walk ----
 *
 * A walk touches a few segments round the burst, so it must not cost anything in proportion
 * to the whole network: its marks live in a Walker whose arrays are cleared by bumping a
 * stamp, and "what goes dry" is found locally. Removing the shut-in segments I from the graph
 * of normally open valves leaves, in each pressure zone (a component of that graph), pieces
 * each touching I; breadth-first searches from I's neighbours run in lockstep, merging when
 * they meet, until at most one piece per zone is still growing. The finished pieces are small
 * and counted exactly; the one still growing holds the zone's sources less those in I and in
 * the finished pieces. A piece without a source goes dry. So the cost is about the size of
 * the second-largest piece, not of the network (the reference, supply_walk() over everything,
 * stays for tests: aq_network_set_reference_walk()). */

typedef struct
{
  guint32 parent;              /* union-find over regions */
  guint32 zone;
  guint32 pending;             /* at the root: member regions still growing */
  gint64  sources;             /* at the root: source segments in the set */
  GArray *members;             /* guint32 segments: the region's queue, all it visited */
  guint   head;
} Region;

struct _AqNetworkWalker
{
  guint32  stamp;
  guint32 *in;                 /* per segment: == stamp when shut in */
  guint32 *owned;              /* per segment: == stamp when a region holds it */
  guint32 *owner;              /* per segment: that region */
  guint32 *seen;               /* per valve: == stamp once on the ring */
  guint32 *closing;            /* per valve: == stamp when to be closed */
  guint32 *queue;              /* segments shut in */
  GArray  *regions;            /* Region */
  guint    n_regions;
  guint32 *zone_open;          /* per zone of I: sets still growing */
  gint64  *zone_used;          /* per zone of I: sources in I and in finished sets */
};

AqNetworkWalker *
_aq_network_walker_new (AqNetwork *net)
{
  AqNetworkWalker *w = g_new0 (AqNetworkWalker, 1);

  w->in = g_new0 (guint32, net->n_segments + 1);
  w->owned = g_new0 (guint32, net->n_segments + 1);
  w->owner = g_new0 (guint32, net->n_segments + 1);
  w->seen = g_new0 (guint32, net->n_valves + 1);
  w->closing = g_new0 (guint32, net->n_valves + 1);
  w->queue = g_new (guint32, net->n_segments + 1);
  w->regions = g_array_new (FALSE, TRUE, sizeof (Region));
  w->zone_open = g_new0 (guint32, net->n_zones + 1);
  w->zone_used = g_new0 (gint64, net->n_zones + 1);
  return w;
}

void
_aq_network_walker_free (AqNetworkWalker *w)
{
  for (guint i = 0; i < w->regions->len; i++)
    g_clear_pointer (&g_array_index (w->regions, Region, i).members, g_array_unref);
  g_array_unref (w->regions);
  g_free (w->in);
  g_free (w->owned);
  g_free (w->owner);
  g_free (w->seen);
  g_free (w->closing);
  g_free (w->queue);
  g_free (w->zone_open);
  g_free (w->zone_used);
  g_free (w);
}

static void
walker_begin (AqNetwork       *net,
              AqNetworkWalker *w)
{
  if (++w->stamp == 0)
    {
      memset (w->in, 0, sizeof (guint32) * (net->n_segments + 1));
      memset (w->owned, 0, sizeof (guint32) * (net->n_segments + 1));
      memset (w->seen, 0, sizeof (guint32) * (net->n_valves + 1));
      memset (w->closing, 0, sizeof (guint32) * (net->n_valves + 1));
      w->stamp = 1;
    }
  w->n_regions = 0;
}

static guint32
region_root (AqNetworkWalker *w,
             guint32          r)
{
  Region *rs = (Region *) w->regions->data;

  while (rs[r].parent != r)
    r = rs[r].parent = rs[rs[r].parent].parent;
  return r;
}

static void
region_start (AqNetwork       *net,
              AqNetworkWalker *w,
              guint32          t)
{
  Region *r;

  if (w->n_regions == w->regions->len)
    g_array_set_size (w->regions, w->regions->len + 1);
  r = &g_array_index (w->regions, Region, w->n_regions);
  if (r->members == NULL)
    r->members = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_set_size (r->members, 0);
  g_array_append_val (r->members, t);
  r->head = 0;
  r->parent = w->n_regions;
  r->zone = net->zone[t];
  r->pending = 1;
  r->sources = net->has_source[t];
  w->owned[t] = w->stamp;
  w->owner[t] = w->n_regions;
  w->zone_open[r->zone]++;
  w->n_regions++;
}

/* One step of region @ri's search: expands its next segment. FALSE once it has none. */
static gboolean
region_step (AqNetwork       *net,
             AqNetworkWalker *w,
             guint32          ri)
{
  Region *r = &g_array_index (w->regions, Region, ri);
  guint32 s;

  if (r->head >= r->members->len)
    return FALSE;
  s = g_array_index (r->members, guint32, r->head++);
  for (guint32 k = net->adj_start[s]; k < net->adj_start[s + 1]; k++)
    {
      guint32 v = net->adj[k];
      gint t = net->side_a[v] == (gint) s ? net->side_b[v] : net->side_a[v];

      if (net->closed[v] || w->in[t] == w->stamp)
        continue;
      if (w->owned[t] != w->stamp)
        {
          Region *root = &g_array_index (w->regions, Region, region_root (w, ri));

          w->owned[t] = w->stamp;
          w->owner[t] = ri;
          root->sources += net->has_source[t];
          g_array_append_val (r->members, ((guint32) { (guint32) t }));
        }
      else
        {
          guint32 a = region_root (w, ri), b = region_root (w, w->owner[t]);

          if (a != b)
            {
              Region *ra = &g_array_index (w->regions, Region, a);
              Region *rb = &g_array_index (w->regions, Region, b);

              /* both are growing (a finished set has claimed all it touches) */
              rb->parent = a;
              ra->pending += rb->pending;
              ra->sources += rb->sources;
              w->zone_open[ra->zone]--;
            }
        }
    }
  if (r->head >= r->members->len)
    {
      Region *root = &g_array_index (w->regions, Region, region_root (w, ri));

      if (--root->pending == 0)
        {
          w->zone_open[root->zone]--;
          w->zone_used[root->zone] += root->sources;
        }
    }
  return TRUE;
}

/* The segments that go dry once the shut-in ones (w->queue[0 .. n_in)) are cut out. */
static void
dry_local (AqNetwork       *net,
           AqNetworkWalker *w,
           guint            n_in,
           AqIsolation     *iso)
{
  gboolean busy = TRUE;

  /* the pieces lie in the zones of I (joined to it through open valves): their counters */
  for (guint i = 0; i < n_in; i++)
    {
      w->zone_open[net->zone[w->queue[i]]] = 0;
      w->zone_used[net->zone[w->queue[i]]] = 0;
    }
  for (guint i = 0; i < n_in; i++)
    w->zone_used[net->zone[w->queue[i]]] += net->has_source[w->queue[i]];
  for (guint i = 0; i < n_in; i++)
    {
      guint32 s = w->queue[i];

      for (guint32 k = net->adj_start[s]; k < net->adj_start[s + 1]; k++)
        {
          guint32 v = net->adj[k];
          gint t = net->side_a[v] == (gint) s ? net->side_b[v] : net->side_a[v];

          if (net->closed[v] || w->in[t] == w->stamp || w->owned[t] == w->stamp)
            continue;
          region_start (net, w, (guint32) t);
        }
    }

  /* in lockstep until at most one set per zone grows */
  while (busy)
    {
      busy = FALSE;
      for (guint32 ri = 0; ri < w->n_regions; ri++)
        {
          Region *r = &g_array_index (w->regions, Region, ri);

          if (w->zone_open[r->zone] <= 1 || r->head >= r->members->len)
            continue;
          region_step (net, w, ri);
          busy = TRUE;
        }
    }

  /* a set still growing holds what its zone's sources leave; one without a source grows on
   * to the end, all of it dry */
  for (guint32 ri = 0; ri < w->n_regions; ri++)
    {
      guint32 root = region_root (w, ri);
      Region *rr = &g_array_index (w->regions, Region, root);

      if (rr->pending > 0 && net->zone_sources[rr->zone] - w->zone_used[rr->zone] <= 0)
        {
          for (guint32 rj = 0; rj < w->n_regions; rj++)
            if (region_root (w, rj) == root)
              while (region_step (net, w, rj))
                ;
        }
    }
  for (guint32 ri = 0; ri < w->n_regions; ri++)
    {
      guint32 root = region_root (w, ri);
      Region *rr = &g_array_index (w->regions, Region, root);
      Region *r = &g_array_index (w->regions, Region, ri);

      if (rr->pending > 0 || rr->sources > 0 || net->zone_sources[rr->zone] == 0)
        continue;
      for (guint i = 0; i < r->members->len; i++)
        g_array_append_val (iso->dry_segments,
                            ((gint) { (gint) g_array_index (r->members, guint32, i) }));
    }
  g_array_sort (iso->dry_segments, compare_int);
}

/* The walk itself: @stuck marks (per valve index) the valves said not to close. */
void
_aq_network_walk (AqNetwork       *net,
                  AqNetworkWalker *w,
                  gint             start,
                  const guint8    *stuck,
                  AqIsolation     *iso)
{
  guint head = 0, tail = 0;

  walker_begin (net, w);
  w->in[start] = w->stamp;
  w->queue[tail++] = (guint32) start;
  while (head < tail)
    {
      guint32 s = w->queue[head++];

      for (guint32 k = net->adj_start[s]; k < net->adj_start[s + 1]; k++)
        {
          guint32 v = net->adj[k];
          gint t = net->side_a[v] == (gint) s ? net->side_b[v] : net->side_a[v];

          if (net->closed[v] || (net->operable[v] && !(stuck && stuck[v]))
              || w->in[t] == w->stamp)
            continue;
          w->in[t] = w->stamp;
          w->queue[tail++] = (guint32) t;
        }
    }

  /* the ring round what the walk shut in */
  for (guint i = 0; i < tail; i++)
    {
      guint32 s = w->queue[i];

      g_array_append_val (iso->isolated_segments, ((gint) { (gint) s }));
      for (guint32 k = net->adj_start[s]; k < net->adj_start[s + 1]; k++)
        {
          guint32 v = net->adj[k];
          gint t = net->side_a[v] == (gint) s ? net->side_b[v] : net->side_a[v];

          if (w->seen[v] == w->stamp || net->closed[v])
            continue;
          w->seen[v] = w->stamp;
          if (!net->operable[v] || (stuck && stuck[v]))
            g_array_append_val (iso->stuck_valves, net->valve_id[v]);
          else if (w->in[t] != w->stamp)
            {
              w->closing[v] = w->stamp;
              g_array_append_val (iso->close_valves, net->valve_id[v]);
            }
        }
    }

  if (net->reference_walk)
    {
      g_autofree guint8 *in = g_new0 (guint8, net->n_segments + 1);
      g_autofree guint8 *closing = g_new0 (guint8, net->n_valves + 1);
      g_autofree guint8 *reach = NULL;

      for (guint i = 0; i < tail; i++)
        in[w->queue[i]] = 1;
      for (guint v = 0; v < net->n_valves; v++)
        closing[v] = w->closing[v] == w->stamp;
      reach = _aq_network_supply_walk (net, in, closing);
      for (guint s = 1; s <= net->n_segments; s++)
        if (net->supplied[s] && !reach[s] && !in[s])
          g_array_append_val (iso->dry_segments, ((gint) { (gint) s }));
    }
  else
    dry_local (net, w, tail, iso);
  g_array_sort (iso->close_valves, compare_int64);
  g_array_sort (iso->stuck_valves, compare_int64);
}

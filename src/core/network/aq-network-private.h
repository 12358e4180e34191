/* aq-network-private.h — the segment graph in memory, shared by aq-network.c (loading,
 * queries, criticality) and aq-network-walk.c (the walk); and what tests may switch */
#pragma once

#include "aq-network.h"

G_BEGIN_DECLS

struct _AqNetwork
{
  guint       n_segments;      /* segment ids run 1..n_segments */
  guint8     *has_source;
  gint64     *accounts;        /* open accounts on the segment */
  guint8     *supplied;        /* joined to a source with every valve in its normal position */

  guint       n_valves;
  gint64     *valve_id;
  gint       *side_a;          /* the pipe's segment */
  gint       *side_b;          /* the junction's segment */
  guint8     *closed;          /* closed in its normal position */
  guint8     *operable;

  guint32    *adj_start;       /* per segment: the valves on its boundary (a ≠ b) */
  guint32    *adj;

  guint       n_zones;         /* components through the normally open valves */
  guint32    *zone;            /* per segment */
  gint64     *zone_sources;    /* per zone: source segments */
  gboolean    reference_walk;  /* what goes dry by a walk over everything (tests) */
  gboolean    reference_figures; /* who is affected counted from the accounts (tests) */

  gint64     *pipe_keys;
  GHashTable *pipe_segment;    /* pipe id → segment id */
  GHashTable *valve_index;     /* valve id → index + 1 */
};

/* Scratch space for walks (one per thread), cleared by a stamp: see aq-network-walk.c. */
typedef struct _AqNetworkWalker AqNetworkWalker;

AqNetworkWalker *_aq_network_walker_new   (AqNetwork       *network);
void             _aq_network_walker_free  (AqNetworkWalker *walker);
/* The segments still fed from a source with @blocked_segment out and @closed_now closed. */
guint8          *_aq_network_supply_walk  (AqNetwork       *network,
                                           const guint8    *blocked_segment,
                                           const guint8    *closed_now);
/* A burst in segment @start with @stuck (per valve index, nullable) said not to close: fills
 * @isolation's valves to close, stuck valves, isolated and dry segments. */
void             _aq_network_walk         (AqNetwork       *network,
                                           AqNetworkWalker *walker,
                                           gint             start,
                                           const guint8    *stuck,
                                           AqIsolation     *isolation);

/* Tests: what goes dry by the plain search over the whole network, to compare. */
void  aq_network_set_reference_walk  (AqNetwork *network,
                                      gboolean   reference);
/* Tests: an isolation's communities and key customers counted from its accounts, as a drawn
 * area's are, instead of read from what the pipeline stored per segment. */
void  aq_network_set_reference_figures (AqNetwork *network,
                                        gboolean   reference);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqNetworkWalker, _aq_network_walker_free)

G_END_DECLS

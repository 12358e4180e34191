/* aq-simulator-topology.h — the water network as a graph, shared by aq-simulator-network.c
 * (which lays the pipes) and aq-simulator-topology.c (which joins them). Simulator only. */
#pragma once

#include "aq-simulator-private.h"

/* what a pipe is for: it decides where valves sit */
enum
{
  AQ_SIM_PIPE_STREET,      /* a main under a street or a bank road */
  AQ_SIM_PIPE_RING,        /* a community's ring main */
  AQ_SIM_PIPE_LATERAL,     /* a building's riser line off the ring */
  AQ_SIM_PIPE_CONNECTOR,   /* a community's feed off the street main */
  AQ_SIM_PIPE_LANE,        /* a lane main off the street into a block of stand-alone premises */
};

typedef struct
{
  guint32 first_point;     /* into the points array (pairs of metres) */
  guint16 n_points;
  guint16 dn;
  guint16 year;
  guint8  material;
  guint8  kind;
  guint32 from, to;        /* junctions, after aq_sim_topology_build() */
  double  length;          /* metres */
} AqSimPipe;

typedef struct
{
  guint32 pipe;
  guint32 node;            /* the end of the pipe it sits at */
  double  x, y;
  char    status;          /* O open, C closed (a pressure-zone boundary), X inoperable */
} AqSimValve;

typedef struct
{
  guint32     node;
  const char *kind;        /* PLANT or TANK */
  const char *name;
} AqSimSource;

typedef struct
{
  GArray   *pipes;         /* AqSimPipe, noded: they meet only at their ends */
  GArray   *points;        /* double */
  GArray   *nodes;         /* double pairs */
  GArray   *valves;        /* AqSimValve */
  GArray   *sources;       /* AqSimSource */
  guint32  *premise_pipe;  /* the main each premise's service connection taps */
  float    *premise_tap;   /* the service connection's length, metres */
} AqSimTopology;

/* Lays the pipes (not yet joined): street mains, community rings and risers, lane mains. */
void  aq_sim_network_lay      (AqSim         *sim,
                               GArray        *pipes,
                               GArray        *points);
void  aq_sim_pipe_attributes  (AqRandom      *r,
                               guint16        dn,
                               double         age_bias,
                               AqSimPipe     *p);
/* Takes @pipes and @points (laid, not joined) and joins them into @topo. */
void  aq_sim_topology_build   (AqSim         *sim,
                               GArray        *pipes,
                               GArray        *points,
                               AqSimTopology *topo);
void  aq_sim_topology_clear   (AqSimTopology *topo);
gboolean aq_sim_topology_write (AqSim        *sim,
                                AqSimTopology *topo,
                                GError      **error);

/* What the network of a demo of @n_accounts looks like, built in memory without a database
 * (for tests and the benchmark): the city, the communities and premises, the laid and joined
 * pipes. */
typedef struct
{
  guint  pipes, junctions, valves, closed_valves, inoperable_valves;
  guint  dead_ends;        /* junctions with one pipe */
  guint  loops;            /* independent cycles: pipes − junctions + components */
  guint  components;       /* of the pipes, every valve open */
  guint  pressure_zones;   /* components with the normally closed valves closed */
  guint  sources;
  guint  premises;
  double length_km;
} AqSimNetworkShape;

void  aq_sim_network_shape    (guint64            seed,
                               guint              n_accounts,
                               AqSimNetworkShape *shape);

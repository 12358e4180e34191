/* aq-network.h — the water network's valve segments in memory, and burst isolation */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-geojson.h"
#include "aq-outage-area.h"

G_BEGIN_DECLS

/* The segment graph (dm.network_segment, dm.network_segment_valve) and the pipes' segments,
 * read once: every isolation after that is a walk in memory plus one query for who is on the
 * segments it finds. Immutable once loaded: threads may share one. */
typedef struct _AqNetwork AqNetwork;

/* A valve on the map. */
typedef struct
{
  gint64 valve_id;
  double lon, lat;
} AqNetworkPoint;

/* Another planned or active outage that this one would overlap. */
typedef struct
{
  gint64  outage_id;
  char   *kind;                     /* planned, emergency */
  char   *status;                   /* planned, active */
  char   *reason;
  gint64  shared_accounts;          /* its accounts that this burst also cuts off */
  gboolean area_overlaps;           /* its area meets the burst's affected pipes' area */
} AqNetworkConflict;

typedef struct
{
  gint64        pipe_id;            /* the burst */
  gint          segment_id;         /* the burst pipe's segment */
  GArray       *close_valves;       /* gint64, ascending: open, operable valves to close */
  GArray       *stuck_valves;       /* gint64: valves on the way that will not close
                                     * (inoperable in the GIS, or said so), passed over */
  GArray       *isolated_segments;  /* gint: what the closed valves shut in */
  GArray       *dry_segments;       /* gint: cut off from every source by the closing */
  GArray       *isolated_pipes;     /* gint64, ascending */
  GArray       *dry_pipes;          /* gint64, ascending */
  double        isolated_length_m;
  double        dry_length_m;
  AqOutageArea *area;               /* who loses water: isolated and dry segments' accounts */
  AqGeometry   *polygon;            /* (nullable): the shaded area for the map */
  GPtrArray    *conflicts;          /* AqNetworkConflict*: other outages it overlaps */
  /* what the map draws, after aq_isolation_load_shapes(): */
  GArray       *close_points;       /* AqNetworkPoint, the valves to close */
  GArray       *stuck_points;       /* AqNetworkPoint, the valves passed over */
  GPtrArray    *isolated_paths;     /* GArray of doubles, lon/lat pairs: one per pipe */
  GPtrArray    *dry_paths;
  double        walk_ms;            /* the walk over the segment graph */
  double        pipes_ms;           /* reading the isolated and dry pipes */
  double        conflicts_ms;       /* finding the outages it overlaps */
  double        elapsed_ms;         /* everything, queries included */
} AqIsolation;

typedef struct
{
  gint64 valve_id;
  gint64 accounts;                  /* more accounts without water if it will not close */
  gint64 segments;                  /* more segments */
} AqValveCriticality;

AqNetwork   *aq_network_load            (AqDb               *db,
                                         GError            **error);
void         aq_network_free            (AqNetwork          *network);
guint        aq_network_get_n_segments  (AqNetwork          *network);
guint        aq_network_get_n_valves    (AqNetwork          *network);
gboolean     aq_network_has_pipe        (AqNetwork          *network,
                                         gint64              pipe_id);
gboolean     aq_network_has_valve       (AqNetwork          *network,
                                         gint64              valve_id);

/* A burst on @pipe_id with @inoperable (n_inoperable valve ids, nullable) said not to close.
 * AQ_ERROR_NOT_FOUND names an unknown pipe or valve. @with_polygon: also the map's area. */
AqIsolation *aq_network_isolate         (AqNetwork          *network,
                                         AqDb               *db,
                                         gint64              pipe_id,
                                         const gint64       *inoperable,
                                         guint               n_inoperable,
                                         gboolean            with_polygon,
                                         GCancellable       *cancellable,
                                         GError            **error);
/* The walk alone, no query: segments and valves (for benchmarks and criticality). */
AqIsolation *aq_network_isolate_segments (AqNetwork         *network,
                                          gint64             pipe_id,
                                          const gint64      *inoperable,
                                          guint              n_inoperable,
                                          GError           **error);
/* The pipe nearest to @lon, @lat within @max_metres: what a click picks. 0 (no error) when
 * none is that close. */
gint64       aq_network_pipe_at         (AqDb               *db,
                                         double              lon,
                                         double              lat,
                                         double              max_metres,
                                         GError            **error);
/* Fills the isolation's points and paths for the map. */
gboolean     aq_isolation_load_shapes   (AqIsolation        *isolation,
                                         AqDb               *db,
                                         GError            **error);
/* The affected accounts' ids, ascending (the same rule as the area's counts). */
GPtrArray   *aq_isolation_account_ids   (AqIsolation        *isolation,
                                         AqDb               *db,
                                         GError            **error);
void         aq_isolation_free          (AqIsolation        *isolation);
JsonNode    *aq_isolation_to_json       (AqIsolation        *isolation);

/* For each open, operable valve: how many more accounts lose water when a burst next to it
 * finds it will not close (the worse of its two sides). Worst first, at most @limit (0: all). */
GArray      *aq_network_criticality     (AqNetwork          *network,
                                         guint               limit);

/* The valve segments from dw into dm in the caller's transaction (aq-network-segments.c):
 * what the dm_network pipeline's "segments" step does. */
gboolean     aq_network_build_segments  (AqDb               *db,
                                         GCancellable       *cancellable,
                                         gint64             *out_segments,
                                         GError            **error);
/* Who is on each segment, from dw and the segments, in the caller's transaction
 * (aq-network-accounts.c): what the dm_network pipeline's "accounts" step does. */
gboolean     aq_network_map_accounts    (AqDb               *db,
                                         GCancellable       *cancellable,
                                         gint64             *out_rows,
                                         GError            **error);
/* Once at startup where pipelines run: provides those steps' native functions. */
void         aq_network_register        (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqNetwork, aq_network_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqIsolation, aq_isolation_free)

G_END_DECLS

/* aq-network-features.h — the water network's pipes, valves and sources, read by box */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_NETWORK_FEATURE_PIPE,    /* dw.network_pipe */
  AQ_NETWORK_FEATURE_VALVE,   /* dw.network_valve */
  AQ_NETWORK_FEATURE_SOURCE,  /* dw.network_source */
  AQ_NETWORK_FEATURE_N_KINDS
} AqNetworkFeatureKind;

typedef struct
{
  AqNetworkFeatureKind  kind;
  gint64                id;
  int                   dn;       /* pipe or valve DN; 0 for a source */
  char                 *status;   /* pipe: material; valve: open, closed or broken (not
                                   * operable); source: plant or tank */
  char                 *name;     /* (nullable): a source's name */
  GArray               *coords;   /* double: lon,lat interleaved; one pair for a point */
  int                   year;     /* a pipe's install year (0: unknown or not a pipe) */
  gint64                pipe_id;  /* a pipe's own id, a valve's pipe; 0 for a source */
} AqNetworkFeature;

void       aq_network_feature_free    (AqNetworkFeature      *feature);
/* AqNetworkFeature* of @kind whose geometry's box meets the box (the && operator), pipes of
 * DN ≥ @min_dn only, lines simplified by @tolerance degrees (0: none), at most @limit
 * (0: 50,000). */
GPtrArray *aq_network_features_load   (AqDb                  *db,
                                       AqNetworkFeatureKind   kind,
                                       double                 min_lon,
                                       double                 min_lat,
                                       double                 max_lon,
                                       double                 max_lat,
                                       int                    min_dn,
                                       double                 tolerance,
                                       guint                  limit,
                                       GCancellable          *cancellable,
                                       GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqNetworkFeature, aq_network_feature_free)

G_END_DECLS

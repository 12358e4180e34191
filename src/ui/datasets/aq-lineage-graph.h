/* aq-lineage-graph.h — a table's lineage drawn as a graph: sources left, consumers right */
#pragma once

#include <gtk/gtk.h>

#include "aq-datasets.h"

G_BEGIN_DECLS

#define AQ_TYPE_LINEAGE_GRAPH (aq_lineage_graph_get_type ())
G_DECLARE_FINAL_TYPE (AqLineageGraph, aq_lineage_graph, AQ, LINEAGE_GRAPH, GtkWidget)

GtkWidget *aq_lineage_graph_new       (void);
/* Copies what it draws from @table (NULL: nothing). */
void       aq_lineage_graph_set_table (AqLineageGraph       *self,
                                       const AqDatasetTable *table);
guint      aq_lineage_graph_get_n_nodes (AqLineageGraph     *self);
gboolean   aq_lineage_graph_has_node  (AqLineageGraph       *self,
                                       const char           *id);
/* The one drawing function: screen, PNG or PDF. */
void       aq_lineage_graph_draw      (AqLineageGraph       *self,
                                       cairo_t              *cr,
                                       int                   width,
                                       int                   height);

G_END_DECLS

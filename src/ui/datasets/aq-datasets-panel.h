/* aq-datasets-panel.h — the data catalog: the tree, search, a table's and an indicator's page */
#pragma once

#include <gtk/gtk.h>

#include "aq-connection-monitor.h"
#include "aq-datasets.h"
#include "aq-lineage-graph.h"

G_BEGIN_DECLS

#define AQ_TYPE_DATASETS_PANEL (aq_datasets_panel_get_type ())
G_DECLARE_FINAL_TYPE (AqDatasetsPanel, aq_datasets_panel, AQ, DATASETS_PANEL, GtkWidget)

AqConnectionMonitor  *aq_datasets_panel_get_monitor (AqDatasetsPanel     *self);
void                  aq_datasets_panel_set_monitor (AqDatasetsPanel     *self,
                                                     AqConnectionMonitor *monitor);
/* Types @text into the search (empty: the tree again). */
void                  aq_datasets_panel_search      (AqDatasetsPanel     *self,
                                                     const char          *text);
/* Opens "schema.table", "schema.table.column" (its table) or "indicator:ID". */
void                  aq_datasets_panel_open        (AqDatasetsPanel     *self,
                                                     const char          *key);
/* (nullable): the table page's data, when one is shown */
const AqDatasetTable *aq_datasets_panel_get_table   (AqDatasetsPanel     *self);
AqLineageGraph       *aq_datasets_panel_get_graph   (AqDatasetsPanel     *self);
GtkListBox           *aq_datasets_panel_get_list    (AqDatasetsPanel     *self);
GtkGrid              *aq_datasets_panel_get_columns_grid (AqDatasetsPanel *self);
/* "tree", "search" or "" while loading: what the list shows */
const char           *aq_datasets_panel_get_list_mode (AqDatasetsPanel   *self);

G_END_DECLS

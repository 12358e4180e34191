/* aq-catalog.h — the indicator catalog: what a report can show and how it can be cut */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-catalog-dimension.h"
#include "aq-catalog-indicator.h"
#include "aq-db.h"

G_BEGIN_DECLS

/* The top of the catalog tree, in display order. */
#define AQ_CATALOG_CATEGORIES "水表", "用户档案", "抄表", "计费", "工单", "报装", "话务", \
                              "收费", "产销差", "停水通知", "数据质量"

#define AQ_TYPE_CATALOG (aq_catalog_get_type ())
G_DECLARE_FINAL_TYPE (AqCatalog, aq_catalog, AQ, CATALOG, GObject)

/* From meta.indicator / meta.dimension / meta.catalog_source, with the members of the small
 * dimensions. Blocking: call it from a worker thread or use the _async variant. */
AqCatalog   *aq_catalog_load                 (AqDb                *db,
                                              GCancellable        *cancellable,
                                              GError             **error);
/* @conninfo: a libpq conninfo or URL; the worker opens its own connection. */
void         aq_catalog_load_async           (const char          *conninfo,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
AqCatalog   *aq_catalog_load_finish          (GAsyncResult        *result,
                                              GError             **error);
/* The catalog as shipped (the JSON files of data/catalog/ compiled into the library), no members:
 * validation and compiling without a warehouse. */
AqCatalog   *aq_catalog_new_builtin          (GError             **error);

/* (element-type AqIndicator) / (element-type AqDimension) (transfer none): in catalog order
 * (category, then as listed); a GListModel so a GtkTreeListModel can show it directly. */
GListModel  *aq_catalog_get_indicators       (AqCatalog           *self);
GListModel  *aq_catalog_get_dimensions       (AqCatalog           *self);

/* (transfer none) (nullable) */
AqIndicator *aq_catalog_lookup_indicator     (AqCatalog           *self,
                                              const char          *id);
AqDimension *aq_catalog_lookup_dimension     (AqCatalog           *self,
                                              const char          *id);

/* (transfer full): the indicators / dimensions whose id, zh or en name, or category contains
 * @text (case-insensitive); all of them for an empty text. */
GListModel  *aq_catalog_search_indicators    (AqCatalog           *self,
                                              const char          *text);
GListModel  *aq_catalog_search_dimensions    (AqCatalog           *self,
                                              const char          *text);

/* (transfer full): the catalog as JSON ({"indicators": […], "dimensions": […]}) for the CLI. */
JsonNode    *aq_catalog_to_json              (AqCatalog           *self);

G_END_DECLS

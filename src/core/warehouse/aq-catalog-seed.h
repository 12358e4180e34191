/* aq-catalog-seed.h — the shipped indicator catalog and standard reports written into meta.* */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

/* Writes the shipped catalog and the standard reports into meta.*; idempotent, called by
 * aq_warehouse_prepare() after the migrations. User reports are never touched. */
gboolean aq_catalog_seed (AqDb    *db,
                          GError **error);

G_END_DECLS

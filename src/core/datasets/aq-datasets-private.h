/* aq-datasets-private.h — what the catalog's build and read sides share (aq-datasets*.c only) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "schema.table" → its parts; AQ_ERROR_INVALID for anything else. */
gboolean _aq_datasets_split_key (const char  *key,
                                 char       **schema,
                                 char       **table,
                                 GError     **error);

G_END_DECLS

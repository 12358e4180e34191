/* aq-api-state.h — what aqueductd keeps across a restart: the day's calls per grant and the
 * nonces still inside the timestamp window (026_api_state.sql) */
#pragma once

#include "aq-db.h"

G_BEGIN_DECLS

/* Adds @quota_calls ("APP\nAPI\nYYYY-MM-DD" → calls, GUINT_TO_POINTER) to the stored day
 * counts, stores @nonces ("APP\nNONCE" → expiry in unix seconds, GINT_TO_POINTER of a gintptr)
 * and drops stored nonces that expired before @now_unix — in one transaction, with one COPY
 * and one statement per table, whatever the number of calls. Either table may be empty. */
gboolean aq_api_state_write (AqDb        *db,
                             GHashTable  *quota_calls,
                             GHashTable  *nonces,
                             gint64       now_unix,
                             GError     **error);

/* Reads the calls of @day ("YYYY-MM-DD") into @quota_calls ("APP\nAPI" → calls) and the nonces
 * that expire at or after @now_unix into @nonces ("APP\nNONCE" → expiry), in one read-only
 * snapshot. The tables take newly allocated keys. */
gboolean aq_api_state_read  (AqDb        *db,
                             const char  *day,
                             gint64       now_unix,
                             GHashTable  *quota_calls,
                             GHashTable  *nonces,
                             GError     **error);

G_END_DECLS

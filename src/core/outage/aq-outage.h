/* aq-outage.h — a water outage: planned or emergency, its area and the accounts it affects */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-geojson.h"

G_BEGIN_DECLS

typedef struct
{
  const char       *kind;           /* "planned" or "emergency" */
  const char       *reason;         /* not empty */
  GDateTime        *start_time;
  GDateTime        *expected_end;   /* after start_time */
  const AqGeometry *geometry;       /* checked in the warehouse before anything is written */
  const char       *created_by;     /* (nullable): current_user */
  /* (nullable): exactly these accounts (a network isolation's), not those in the area; the
   * area is then only what the map draws */
  const char * const *account_ids;
} AqOutageSpec;

typedef struct
{
  gint64      outage_id;
  char       *kind;
  char       *reason;
  char       *status;           /* planned, active, restored, cancelled */
  GDateTime  *start_time;
  GDateTime  *expected_end;
  GDateTime  *restored_at;      /* (nullable) */
  char       *created_by;
  GDateTime  *created_at;
  gint64      accounts;         /* rows in notify.outage_account */
  gint64      campaigns;
  AqGeometry *geometry;
} AqOutage;

void       aq_outage_free          (AqOutage           *outage);

/* notify.outage and its notify.outage_account rows in one transaction; a bad field is
 * AQ_ERROR_INVALID naming it, an invalid area an AQ_GEOJSON_ERROR; on any failure nothing is
 * written. Returns the outage id (> 0), 0 on error. */
gint64     aq_outage_create        (AqDb               *db,
                                    const AqOutageSpec *spec,
                                    GError            **error);
/* The same in a thread on its own connection (@spec is copied); the id, 0 on error. */
void       aq_outage_create_async  (const char         *conninfo,
                                    const AqOutageSpec *spec,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data);
gint64     aq_outage_create_finish (GAsyncResult       *result,
                                    GError            **error);
AqOutage  *aq_outage_get           (AqDb               *db,
                                    gint64              outage_id,
                                    GError            **error);
/* AqOutage*, newest start first; @status (nullable) filters ("planned", "active", …). */
GPtrArray *aq_outage_list          (AqDb               *db,
                                    const char         *status,
                                    GError            **error);
/* planned → active; planned/active → restored (@when nullable: now) or cancelled.
 * AQ_ERROR_INVALID for another transition, AQ_ERROR_NOT_FOUND for no such outage. */
gboolean   aq_outage_activate      (AqDb               *db,
                                    gint64              outage_id,
                                    GError            **error);
gboolean   aq_outage_mark_restored (AqDb               *db,
                                    gint64              outage_id,
                                    GDateTime          *when,
                                    GError            **error);
gboolean   aq_outage_cancel        (AqDb               *db,
                                    gint64              outage_id,
                                    GError            **error);
/* The same, and its notices follow (the warehouse withdraws every message not yet sent, by
 * trigger, in the same transaction): @withdrawn is how many will not go out, @sent how many
 * had already left (sending, sent or delivered) and may need a correction notice. */
gboolean   aq_outage_cancel_counted (AqDb              *db,
                                    gint64              outage_id,
                                    gint64             *withdrawn,
                                    gint64             *sent,
                                    GError            **error);
JsonNode  *aq_outage_to_json       (AqOutage           *outage);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqOutage, aq_outage_free)

G_END_DECLS

/* aq-audit.h — who read or changed what: meta.audit_log */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"
#include "aq-db-pipeline.h"
#include "aq-phone.h"

G_BEGIN_DECLS

typedef struct
{
  gint64      id;
  char       *at;      /* ISO 8601 with the time zone */
  char       *actor;
  char       *action;  /* 'customer.lookup', 'customer.lookup.rejected', 'customer.reveal' */
  char       *object;  /* the key searched, the account revealed */
  JsonObject *detail;
} AqAuditEntry;

void      aq_audit_entry_free (AqAuditEntry   *entry);

gboolean  aq_audit_write      (AqDb           *db,
                               const char     *actor,
                               const char     *action,
                               const char     *object,
                               JsonObject     *detail,
                               GError        **error);
char     *aq_audit_statement  (const char     *actor,
                               const char     *action,
                               const char     *object,
                               JsonObject     *detail,
                               const char    **params,
                               AqDbStatement  *statement);
GPtrArray *aq_audit_list      (AqDb           *db,
                               AqRole          role,
                               const char     *action,
                               guint           limit,
                               GError        **error);
JsonNode  *aq_audit_entry_to_json (const AqAuditEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqAuditEntry, aq_audit_entry_free)

G_END_DECLS

/* aq-health.h — is the warehouse there, and what is it */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef enum
{
  AQ_HEALTH_CHECK_DEFAULT = 0,
  /* Connect to the profile as given: no $AQUEDUCT_DATABASE_URL, and a NULL profile means the
   * embedded warehouse. What a "Test connection" button wants. */
  AQ_HEALTH_CHECK_EXACT   = 1 << 0,
} AqHealthCheckFlags;

typedef struct
{
  char     *description;     /* "aqueduct@/var/lib/aqueduct/warehouse", "dw@db.example:5432" */
  char     *server_version;  /* "15.20" */
  char     *name;            /* the database's name, for a header: "aqueduct", "dw" */
  gint64    database_size;   /* bytes */
  gboolean  has_demo_data;   /* simulated source systems (src_* schemas) are there */
  gboolean  has_dw;          /* the pipelines have filled the dw layer */
} AqHealthReport;

#define AQ_TYPE_HEALTH_REPORT (aq_health_report_get_type ())

GType           aq_health_report_get_type (void) G_GNUC_CONST;
AqHealthReport *aq_health_report_copy     (const AqHealthReport  *report);
void            aq_health_report_free     (AqHealthReport        *report);

AqHealthReport *aq_health_check           (AqDb                  *db,
                                           GCancellable          *cancellable,
                                           GError               **error);
void            aq_health_check_async     (const char            *conninfo,
                                           AqHealthCheckFlags     flags,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
AqHealthReport *aq_health_check_finish    (GAsyncResult          *result,
                                           GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqHealthReport, aq_health_report_free)

G_END_DECLS

/* aq-dashboard-store.h — dashboards saved in meta.dashboard, every version kept */
#pragma once

#include <gio/gio.h>

#include "aq-dashboard.h"
#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  char            *name;
  char            *title;
  AqDashboardKind  kind;
  int              version;
  gboolean         standard;
} AqDashboardInfo;

void             aq_dashboard_info_free      (AqDashboardInfo *info);

/* (element-type AqDashboardInfo): standard ones first, then by name. */
GPtrArray       *aq_dashboard_store_list     (AqDb          *db,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* The current version (@version 0) or an older one. AQ_ERROR_NOT_FOUND for an unknown name
 * or version. */
AqDashboard     *aq_dashboard_store_open     (AqDb          *db,
                                              const char    *name,
                                              int            version,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* Validates, then saves @dashboard as a new version (1 for a new name), written back into
 * @dashboard->version. AQ_ERROR_PERMISSION for the name of a standard dashboard. */
gboolean         aq_dashboard_store_save     (AqDb          *db,
                                              AqDashboard   *dashboard,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* AQ_ERROR_PERMISSION for a standard dashboard, AQ_ERROR_NOT_FOUND for an unknown one. */
gboolean         aq_dashboard_store_delete   (AqDb          *db,
                                              const char    *name,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* Writes the shipped dashboards (data/dashboards/NAME.json, compiled in) as standard ones:
 * a new version only where the shipped definition changed. Idempotent; called by
 * aq_warehouse_prepare(). Does nothing before migration 020. */
gboolean         aq_dashboard_store_seed     (AqDb          *db,
                                              GError       **error);

void             aq_dashboard_store_list_async  (const char          *conninfo,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray       *aq_dashboard_store_list_finish (GAsyncResult        *result,
                                                 GError             **error);
void             aq_dashboard_store_open_async  (const char          *conninfo,
                                                 const char          *name,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
AqDashboard     *aq_dashboard_store_open_finish (GAsyncResult        *result,
                                                 GError             **error);
/* @dashboard is copied; the saved version is in *out_version. */
void             aq_dashboard_store_save_async  (const char          *conninfo,
                                                 AqDashboard         *dashboard,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         aq_dashboard_store_save_finish (GAsyncResult        *result,
                                                 int                 *out_version,
                                                 GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqDashboardInfo, aq_dashboard_info_free)

G_END_DECLS

/* aq-report-store.h — report definitions saved in meta.report */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"
#include "aq-report-spec.h"

G_BEGIN_DECLS

typedef struct
{
  char      *name;        /* unique key */
  char      *title;
  char      *description;
  char      *kind;        /* "pivot" | "list" */
  char      *author;
  int        version;
  gboolean   standard;    /* shipped with Aqueduct: cannot be overwritten or deleted */
  GDateTime *created_at;
  GDateTime *updated_at;
} AqReportInfo;

GType         aq_report_info_get_type      (void) G_GNUC_CONST;
AqReportInfo *aq_report_info_copy          (const AqReportInfo *info);
void          aq_report_info_free          (AqReportInfo       *info);

/* (element-type AqReportInfo): standard reports first, then by name. */
GPtrArray    *aq_report_store_list         (AqDb          *db,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* AQ_ERROR_NOT_FOUND for an unknown name. */
AqReportSpec *aq_report_store_open         (AqDb          *db,
                                            const char    *name,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Inserts or updates the definition under the spec's name, as @author; the stored version
 * is incremented (1 for a new one) and written back into @spec. AQ_ERROR_PERMISSION for the
 * name of a standard report, AQ_ERROR_INVALID for a spec without a name. */
gboolean      aq_report_store_save         (AqDb          *db,
                                            AqReportSpec  *spec,
                                            const char    *author,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Copies @name to @new_name (version 1, by @author); AQ_ERROR_INVALID if @new_name exists. */
gboolean      aq_report_store_duplicate    (AqDb          *db,
                                            const char    *name,
                                            const char    *new_name,
                                            const char    *author,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* AQ_ERROR_PERMISSION for a standard report, AQ_ERROR_NOT_FOUND for an unknown one. */
gboolean      aq_report_store_delete       (AqDb          *db,
                                            const char    *name,
                                            GCancellable  *cancellable,
                                            GError       **error);

/* The same, off the calling thread, each on its own connection from @conninfo. The
 * _finish functions return what the blocking calls return (a GPtrArray, a spec, TRUE). */
void          aq_report_store_list_async   (const char          *conninfo,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray    *aq_report_store_list_finish  (GAsyncResult        *result,
                                            GError             **error);
void          aq_report_store_open_async   (const char          *conninfo,
                                            const char          *name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
AqReportSpec *aq_report_store_open_finish  (GAsyncResult        *result,
                                            GError             **error);
/* @spec is copied; on success the new version is in the finish's out value. */
void          aq_report_store_save_async   (const char          *conninfo,
                                            AqReportSpec        *spec,
                                            const char          *author,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      aq_report_store_save_finish  (GAsyncResult        *result,
                                            int                 *out_version,
                                            GError             **error);
void          aq_report_store_duplicate_async (const char       *conninfo,
                                            const char          *name,
                                            const char          *new_name,
                                            const char          *author,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      aq_report_store_duplicate_finish (GAsyncResult    *result,
                                            GError             **error);
void          aq_report_store_delete_async (const char          *conninfo,
                                            const char          *name,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      aq_report_store_delete_finish (GAsyncResult       *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqReportInfo, aq_report_info_free)

G_END_DECLS

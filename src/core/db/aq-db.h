/* aq-db.h — one connection to the warehouse */
#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

#define AQ_TYPE_DB (aq_db_get_type ())
G_DECLARE_FINAL_TYPE (AqDb, aq_db, AQ, DB, GObject)

AqDb       *aq_db_connect             (const char    *conninfo,
                                       GError       **error);
const char *aq_db_get_conninfo        (AqDb          *self);
PGconn     *aq_db_get_conn            (AqDb          *self);
gboolean    aq_db_is_ok               (AqDb          *self);
char       *aq_db_describe            (AqDb          *self);

gboolean    aq_db_exec                (AqDb          *self,
                                       const char    *sql,
                                       GError       **error);
PGresult   *aq_db_query               (AqDb          *self,
                                       const char    *sql,
                                       int            n_params,
                                       const char * const *params,
                                       GError       **error);
PGresult   *aq_db_query_prepared      (AqDb          *self,
                                       const char    *sql,
                                       int            n_params,
                                       const char * const *params,
                                       GError       **error);
char       *aq_db_query_string        (AqDb          *self,
                                       const char    *sql,
                                       int            n_params,
                                       const char * const *params,
                                       GError       **error);
gboolean    aq_db_query_int64         (AqDb          *self,
                                       const char    *sql,
                                       int            n_params,
                                       const char * const *params,
                                       gint64        *out_value,
                                       GError       **error);

gboolean    aq_db_begin               (AqDb          *self,
                                       GError       **error);
gboolean    aq_db_commit              (AqDb          *self,
                                       GError       **error);
void        aq_db_rollback            (AqDb          *self);

gboolean    aq_db_copy_begin          (AqDb          *self,
                                       const char    *copy_sql,
                                       GError       **error);
gboolean    aq_db_copy_put            (AqDb          *self,
                                       const char    *data,
                                       gsize          len,
                                       GError       **error);
gboolean    aq_db_copy_end            (AqDb          *self,
                                       GError       **error);

void        aq_db_cancel              (AqDb          *self);
gulong      aq_db_watch_cancellable   (AqDb          *self,
                                       GCancellable  *cancellable);
void        aq_db_unwatch_cancellable (AqDb          *self,
                                       GCancellable  *cancellable,
                                       gulong         handler_id);

char       *aq_db_quote_ident         (const char    *ident);
void        aq_copy_append_value      (GString       *row,
                                       const char    *value);

G_END_DECLS

/* aq-local-warehouse.h — the embedded PostgreSQL + PostGIS cluster */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define AQ_TYPE_LOCAL_WAREHOUSE (aq_local_warehouse_get_type ())
G_DECLARE_FINAL_TYPE (AqLocalWarehouse, aq_local_warehouse, AQ, LOCAL_WAREHOUSE, GObject)

AqLocalWarehouse *aq_local_warehouse_new            (const char        *dir);
AqLocalWarehouse *aq_local_warehouse_new_default    (void);
char             *aq_local_warehouse_default_dir    (void);

const char       *aq_local_warehouse_get_dir        (AqLocalWarehouse  *self);
void              aq_local_warehouse_set_throwaway  (AqLocalWarehouse  *self,
                                                     gboolean           throwaway);
gboolean          aq_local_warehouse_is_initialized (AqLocalWarehouse  *self);
gboolean          aq_local_warehouse_is_running     (AqLocalWarehouse  *self,
                                                     GPid              *out_pid);
gboolean          aq_local_warehouse_create         (AqLocalWarehouse  *self,
                                                     GError           **error);
gboolean          aq_local_warehouse_start          (AqLocalWarehouse  *self,
                                                     GError           **error);
gboolean          aq_local_warehouse_stop           (AqLocalWarehouse  *self,
                                                     GError           **error);
gboolean          aq_local_warehouse_destroy        (AqLocalWarehouse  *self,
                                                     GError           **error);
gboolean          aq_local_warehouse_ensure_database (AqLocalWarehouse *self,
                                                      const char       *dbname,
                                                      GError          **error);
char             *aq_local_warehouse_get_conninfo   (AqLocalWarehouse  *self,
                                                     const char        *dbname);
char             *aq_local_warehouse_get_login_conninfo (AqLocalWarehouse *self,
                                                        const char       *login,
                                                        const char       *dbname);
char             *aq_local_warehouse_get_init_login (AqLocalWarehouse *self);
gboolean          aq_local_warehouse_map_os_user    (AqLocalWarehouse  *self,
                                                     const char        *os_user,
                                                     const char        *login,
                                                     gboolean           add,
                                                     GError           **error);
char             *aq_local_warehouse_get_url        (AqLocalWarehouse  *self,
                                                     const char        *dbname);
gint64            aq_local_warehouse_get_disk_size  (AqLocalWarehouse  *self);

G_END_DECLS

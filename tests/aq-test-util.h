/* aq-test-util.h — the throwaway warehouse every test of a run shares */
#pragma once

#include <stdarg.h>

#include "aqueduct-core.h"

G_BEGIN_DECLS

char *aq_test_cluster_ensure   (void);
void  aq_test_cluster_drop     (void);
char *aq_test_conninfo         (const char *dbname);
char *aq_test_login_conninfo   (const char *dbname,
                                const char *login,
                                const char *roles);
AqDb *aq_test_db_new           (const char *dbname,
                                gboolean    migrate);
gint64 aq_test_query_int64     (AqDb       *db,
                                const char *sql);
char *aq_test_query_string     (AqDb       *db,
                                const char *sql);
AqDb *aq_test_demo_db_new      (const char *dbname,
                                guint       accounts,
                                guint       months);
char *aq_test_run_command      (const char *const *argv,
                                const char *const *env,
                                int        *exit_status,
                                char      **err_out);
char *aq_test_ctl_valist       (const char *const *env,
                                int        *exit_status,
                                char      **err_out,
                                const char *first,
                                va_list     args);
char *aq_test_read_line        (int         fd,
                                int         err_fd,
                                guint       seconds,
                                const char *what);
void  aq_test_ctl_set_env       (const char *const *env);
char *aq_test_ctl              (int        *exit_status,
                                char      **err_out,
                                const char *first,
                                ...) G_GNUC_NULL_TERMINATED;

/* Small asserting helpers the tests share (each fails the test when the warehouse or the
 * text does not answer). */
JsonObject *aq_test_parse_object (const char *text);
char       *aq_test_text1        (AqDb       *db,
                                  const char *sql,
                                  const char *param);
gint64      aq_test_count1       (AqDb       *db,
                                  const char *sql,
                                  const char *param);
void        aq_test_drop_database (const char *name);

G_END_DECLS

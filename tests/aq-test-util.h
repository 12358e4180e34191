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

/* aqueductd as a real process: started with --port 0 (and --config @config when given),
 * @database_url as AQUEDUCT_DATABASE_URL and @env's NAME, VALUE pairs (NULL-terminated; a
 * NULL value unsets), killed with the test if it dies. */
typedef struct
{
  GPid  pid;
  int   out_fd;
  int   err_fd;     /* the daemon's stderr when captured, else -1 */
  char *base;       /* http://127.0.0.1:PORT */
} AqTestDaemon;

void  aq_test_daemon_start     (AqTestDaemon      *daemon,
                                const char        *database_url,
                                const char        *config,
                                const char *const *env,
                                gboolean           capture_stderr);
void  aq_test_daemon_end       (AqTestDaemon      *daemon,
                                int                sig);

/* An HTTP server on loopback, on a thread of its own, recording every request and answering
 * as its AqTestAnswerFunc says: a webhook receiver or a provider for the daemon's tests. */
typedef struct
{
  char  *method;
  char  *path;
  char  *idempotency_key;   /* the Idempotency-Key header, or NULL */
  char  *authorization;     /* the Authorization header, or NULL */
  GBytes *body;
  char  *text;              /* the body as a string */
  guint  nth;               /* 1 for the first request on this path, 2 for the next… */
  /* the answer: 200 with "{}" at once, unless the answer function says otherwise */
  guint  status;
  char  *answer;            /* NULL: no body */
  guint  delay_ms;
} AqTestRequest;

/* Runs on the server's thread; sets @request's status, answer and delay_ms. */
typedef void (*AqTestAnswerFunc) (AqTestRequest *request,
                                  gpointer       user_data);

typedef struct _AqTestHttpServer AqTestHttpServer;

AqTestHttpServer *aq_test_http_server_new      (AqTestAnswerFunc  answer,
                                                gpointer          user_data);
guint             aq_test_http_server_get_port (AqTestHttpServer *server);
guint             aq_test_http_server_count    (AqTestHttpServer *server);
GPtrArray        *aq_test_http_server_requests (AqTestHttpServer *server);
void              aq_test_http_server_wait     (AqTestHttpServer *server,
                                                guint             n,
                                                guint             seconds,
                                                const char       *what);
void              aq_test_http_server_free     (AqTestHttpServer *server);

G_END_DECLS

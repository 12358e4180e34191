/* aq-users.h — logins, the jobs they hold, and what the current login may do */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

/* The group roles of 010_roles.sql, as flags. */
typedef enum
{
  AQ_JOB_NONE            = 0,
  AQ_JOB_AGENT           = 1 << 0,
  AQ_JOB_SUPERVISOR      = 1 << 1,
  AQ_JOB_ANALYST         = 1 << 2,
  AQ_JOB_DISPATCHER      = 1 << 3,
  AQ_JOB_NOTICE_REVIEWER = 1 << 4,
  AQ_JOB_DATA_ENGINEER   = 1 << 5,
  AQ_JOB_OPERATOR        = 1 << 6,
  AQ_JOB_API             = 1 << 7,
} AqJob;

#define AQ_JOB_ALL ((AqJob) 0xff)

typedef struct
{
  char     *name;
  AqJob     jobs;     /* the groups it is a direct member of */
  gboolean  admin;    /* may add and remove logins (CREATEROLE or superuser) */
  gboolean  can_login;
} AqUser;

void        aq_user_free            (AqUser       *user);

const char *aq_job_to_string        (AqJob         job);
gboolean    aq_jobs_from_string     (const char   *text,
                                     AqJob        *out_jobs,
                                     GError      **error);
char       *aq_jobs_to_string       (AqJob         jobs);

AqJob       aq_users_current_jobs   (AqDb         *db,
                                     char        **out_login,
                                     GError      **error);
gboolean    aq_users_add            (AqDb         *db,
                                     const char   *name,
                                     AqJob         jobs,
                                     gboolean      admin,
                                     GError      **error);
gboolean    aq_users_remove         (AqDb         *db,
                                     const char   *name,
                                     GError      **error);
GPtrArray  *aq_users_list           (AqDb         *db,
                                     GError      **error);
JsonNode   *aq_user_to_json         (const AqUser *user);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqUser, aq_user_free)

G_END_DECLS

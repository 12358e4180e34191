/* aq-users.h — logins, the jobs they hold, and what the current login may do */
#pragma once

#include <json-glib/json-glib.h>

#include "aq-db.h"

G_BEGIN_DECLS

/* The group roles of 010_roles.sql, as flags. */
typedef enum
{
  AQ_JOB_ROLE_NONE            = 0,
  AQ_JOB_ROLE_AGENT           = 1 << 0,
  AQ_JOB_ROLE_SUPERVISOR      = 1 << 1,
  AQ_JOB_ROLE_ANALYST         = 1 << 2,
  AQ_JOB_ROLE_DISPATCHER      = 1 << 3,
  AQ_JOB_ROLE_NOTICE_REVIEWER = 1 << 4,
  AQ_JOB_ROLE_DATA_ENGINEER   = 1 << 5,
  AQ_JOB_ROLE_OPERATOR        = 1 << 6,
  AQ_JOB_ROLE_API             = 1 << 7,
} AqJobRole;

#define AQ_JOB_ROLE_ALL ((AqJobRole) 0xff)

typedef struct
{
  char     *name;
  AqJobRole     jobs;     /* the groups it is a direct member of */
  gboolean  admin;    /* may add and remove logins (CREATEROLE or superuser) */
  gboolean  can_login;
} AqUser;

void        aq_user_free            (AqUser       *user);

const char *aq_job_role_to_string        (AqJobRole         job);
gboolean    aq_job_roles_from_string     (const char   *text,
                                     AqJobRole        *out_jobs,
                                     GError      **error);
char       *aq_job_roles_to_string       (AqJobRole         jobs);

AqJobRole       aq_users_current_job_roles   (AqDb         *db,
                                     char        **out_login,
                                     GError      **error);
gboolean    aq_users_add            (AqDb         *db,
                                     const char   *name,
                                     AqJobRole         jobs,
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

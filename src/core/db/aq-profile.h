/* aq-profile.h — a connection profile: the parts of a PostgreSQL URL, without the password */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct
{
  char  *host;      /* NULL: libpq's default (the local socket) */
  guint  port;      /* 0: libpq's default */
  char  *dbname;    /* NULL: libpq's default (the user's name) */
  char  *user;      /* NULL: the login name */
  char  *sslmode;   /* NULL: libpq's default ("prefer") */
} AqProfile;

#define AQ_TYPE_PROFILE (aq_profile_get_type ())

GType      aq_profile_get_type       (void) G_GNUC_CONST;
AqProfile *aq_profile_new            (void);
AqProfile *aq_profile_new_from_url   (const char       *url,
                                      GError          **error);
AqProfile *aq_profile_copy           (const AqProfile  *profile);
void       aq_profile_free           (AqProfile        *profile);
char      *aq_profile_to_url         (const AqProfile  *profile);

char      *aq_profile_conninfo       (const char       *url,
                                      const char       *password,
                                      GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqProfile, aq_profile_free)

G_END_DECLS

/* aq-config-key.h — one key of aqueductd.conf, read the same way in every group */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean aq_config_key_get_uint   (GKeyFile    *kf,
                                   const char  *path,
                                   const char  *group,
                                   const char  *key,
                                   guint        min,
                                   guint        max,
                                   guint       *value,
                                   GError     **error);
gboolean aq_config_key_get_double (GKeyFile    *kf,
                                   const char  *path,
                                   const char  *group,
                                   const char  *key,
                                   double       min,
                                   double       max,
                                   double      *value,
                                   GError     **error);

G_END_DECLS

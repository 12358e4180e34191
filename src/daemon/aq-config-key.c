/* aq-config-key.c — one key of aqueductd.conf, read the same way in every group
 *
 * The relay's [relay], [limits] and [provider.NAME], the [scheduler] and the [quality-alerts]
 * sender all read their numbers here: an absent key (or group) keeps the default, a value
 * that is not a number or is out of its range is an error naming the file, the group and the
 * key, so an operator finds it.
 */
#define G_LOG_DOMAIN "aqueductd"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "aq-config-key.h"

#include "aqueduct-core.h"

/* After a g_key_file_get_…(): whether a value was read. When not, *ok says whether that is
 * fine (the key or its group is absent: the default stays) or an error (set in @error). */
static gboolean
was_read (const GError  *local_error,
          const char    *path,
          const char    *group,
          const char    *key,
          gboolean      *ok,
          GError       **error)
{
  if (local_error == NULL)
    return TRUE;
  *ok = g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
        || g_error_matches (local_error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND);
  if (!*ok)
    /* Translators: the file, the group, the key and why its value is not taken */
    g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: [%s] %s: %s"), path, group, key,
                 local_error->message);
  return FALSE;
}

/* An unsigned integer key within [min, max]; absent keeps *value. */
gboolean
aq_config_key_get_uint (GKeyFile    *kf,
                        const char  *path,
                        const char  *group,
                        const char  *key,
                        guint        min,
                        guint        max,
                        guint       *value,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 v = g_key_file_get_int64 (kf, group, key, &local_error);
  gboolean ok;

  if (!was_read (local_error, path, group, key, &ok, error))
    return ok;
  if (v < min || v > max)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   _("%s: [%s] %s=%" PRId64 " is out of range (%u–%u)"), path, group, key,
                   v, min, max);
      return FALSE;
    }
  *value = (guint) v;
  return TRUE;
}

/* A number within [min, max]; absent keeps *value. */
gboolean
aq_config_key_get_double (GKeyFile    *kf,
                          const char  *path,
                          const char  *group,
                          const char  *key,
                          double       min,
                          double       max,
                          double      *value,
                          GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  double v = g_key_file_get_double (kf, group, key, &local_error);
  gboolean ok;

  if (!was_read (local_error, path, group, key, &ok, error))
    return ok;
  if (!(v >= min && v <= max))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("%s: [%s] %s=%g is out of range (%g–%g)"),
                   path, group, key, v, min, max);
      return FALSE;
    }
  *value = v;
  return TRUE;
}

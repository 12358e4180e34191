/* aq-job-kind.c — the registry of job kinds
 *
 * A plain name → kind table behind a mutex: kinds register once at start (the built-in ones
 * on first use), the scheduler's worker threads look them up.
 */
#define G_LOG_DOMAIN "aq-job-kind"

#include "config.h"

#include "aq-job-kind.h"

#include <glib/gi18n-lib.h>

#include "aq-error.h"

static GMutex      kinds_lock;
static GHashTable *kinds;   /* name → const AqJobKind * */

static void
ensure_kinds (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      g_mutex_lock (&kinds_lock);
      kinds = g_hash_table_new (g_str_hash, g_str_equal);
      g_mutex_unlock (&kinds_lock);
      _aq_job_kinds_register_builtin ();
      g_once_init_leave (&once, 1);
    }
}

void
aq_job_kind_register (const AqJobKind *kind)
{
  g_return_if_fail (kind != NULL && kind->name != NULL && kind->run != NULL);

  if (kinds == NULL)
    ensure_kinds ();
  g_mutex_lock (&kinds_lock);
  g_hash_table_insert (kinds, (gpointer) kind->name, (gpointer) kind);
  g_mutex_unlock (&kinds_lock);
}

const AqJobKind *
aq_job_kind_lookup (const char *name)
{
  const AqJobKind *kind;

  ensure_kinds ();
  g_mutex_lock (&kinds_lock);
  kind = name ? g_hash_table_lookup (kinds, name) : NULL;
  g_mutex_unlock (&kinds_lock);
  return kind;
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

char **
aq_job_kind_list (void)
{
  g_autofree const char **names = NULL;
  char **copy;

  ensure_kinds ();
  g_mutex_lock (&kinds_lock);
  names = (const char **) g_hash_table_get_keys_as_array (kinds, NULL);
  g_mutex_unlock (&kinds_lock);
  copy = g_strdupv ((char **) names);
  g_qsort_with_data (copy, g_strv_length (copy), sizeof (char *),
                     compare_names, NULL);
  return copy;
}

gboolean
aq_job_kind_validate (const char  *kind,
                      const char  *target,
                      GError     **error)
{
  const AqJobKind *k = aq_job_kind_lookup (kind);

  if (k == NULL)
    {
      g_auto(GStrv) names = aq_job_kind_list ();
      g_autofree char *known = g_strjoinv (", ", names);

      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("kind: “%s” is not a job kind (%s)"),
                   kind ? kind : "", known);
      return FALSE;
    }
  if (target == NULL || target[0] == '\0')
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("target: say what the job runs"));
      return FALSE;
    }
  return k->validate == NULL || k->validate (target, error);
}

/* aq_job_kind_validate(), then the kind's check against the warehouse @db, if it has one. */
gboolean
aq_job_kind_validate_db (const char  *kind,
                         const char  *target,
                         AqDb        *db,
                         GError     **error)
{
  const AqJobKind *k;

  if (!aq_job_kind_validate (kind, target, error))
    return FALSE;
  k = aq_job_kind_lookup (kind);
  return k->validate_db == NULL || k->validate_db (target, db, error);
}

/* aq-connection.c — which warehouse to talk to
 *
 * In order: $AQUEDUCT_DATABASE_URL, a conninfo (keyword/value or URL) the caller has (the
 * app's preferences), and the embedded warehouse, which must be running. Every core API names
 * this string `conninfo`, libpq's word; NULL means "the default warehouse".
 */
#define G_LOG_DOMAIN "aq-connection"

#include "aq-connection.h"
#include <glib/gi18n.h>

#include "aq-error.h"
#include "aq-local-warehouse.h"

/* The embedded warehouse's conninfo, when it exists and runs; the environment plays no part.
 * A person connects as their own login (peer authentication), never as the owner: what they
 * may do is what their login's roles allow. */
char *
aq_connection_resolve_embedded (GError **error)
{
  g_autoptr(AqLocalWarehouse) local = aq_local_warehouse_new_default ();

  if (!aq_local_warehouse_is_initialized (local))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_CONNECTION,
                   _("There is no warehouse in %s yet: run “aqueductctl warehouse init --demo”, "
                   "or set AQUEDUCT_DATABASE_URL"),
                   aq_local_warehouse_get_dir (local));
      return NULL;
    }
  if (!aq_local_warehouse_is_running (local, NULL))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_CONNECTION,
                   _("The embedded warehouse in %s is not running: "
                   "run “aqueductctl warehouse start”"),
                   aq_local_warehouse_get_dir (local));
      return NULL;
    }
  return aq_local_warehouse_get_login_conninfo (local, NULL, NULL);
}

char *
aq_connection_resolve (const char  *conninfo,
                       GError     **error)
{
  const char *env = g_getenv ("AQUEDUCT_DATABASE_URL");

  if (env && *env)
    return g_strdup (env);
  if (conninfo && *conninfo)
    return g_strdup (conninfo);
  return aq_connection_resolve_embedded (error);
}

AqDb *
aq_connection_open (const char  *conninfo,
                    GError     **error)
{
  g_autofree char *resolved = aq_connection_resolve (conninfo, error);

  if (resolved == NULL)
    return NULL;
  return aq_db_connect (resolved, error);
}

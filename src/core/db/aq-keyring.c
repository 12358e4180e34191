/* aq-keyring.c — warehouse passwords in the user's keyring, never in a file
 *
 * One secret per profile URL (which itself holds no password). Only the asynchronous libsecret
 * calls are used: the keyring may have to be unlocked by the user, and a window must not freeze
 * while it asks.
 */
#define G_LOG_DOMAIN "aq-keyring"

#include "config.h"

#include "aq-keyring.h"

#include <glib/gi18n-lib.h>

const SecretSchema *
aq_keyring_get_schema (void)
{
  static const SecretSchema schema = {
    "org.aqueduct.Aqueduct.Connection", SECRET_SCHEMA_NONE,
    {
      { "url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

void
aq_keyring_store_async (const char          *url,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *label = NULL;

  g_return_if_fail (url != NULL);
  g_return_if_fail (password != NULL);

  /* The label is what the user sees in Passwords and Keys. */
  label = g_strdup_printf (_("Aqueduct warehouse %s"), url);
  secret_password_store (aq_keyring_get_schema (), SECRET_COLLECTION_DEFAULT, label, password,
                         cancellable, callback, user_data, "url", url, NULL);
}

gboolean
aq_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return secret_password_store_finish (result, error);
}

void
aq_keyring_lookup_async (const char          *url,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (url != NULL);

  secret_password_lookup (aq_keyring_get_schema (), cancellable, callback, user_data,
                          "url", url, NULL);
}

/* Returns: (nullable): the password, or NULL without an error when none is stored. */
char *
aq_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return secret_password_lookup_finish (result, error);
}

void
aq_keyring_clear_async (const char          *url,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (url != NULL);

  secret_password_clear (aq_keyring_get_schema (), cancellable, callback, user_data,
                         "url", url, NULL);
}

gboolean
aq_keyring_clear_finish (GAsyncResult  *result,
                         GError       **error)
{
  return secret_password_clear_finish (result, error);
}

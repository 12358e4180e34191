/* aq-keyring.h — warehouse passwords in the user's keyring, never in a file */
#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

const SecretSchema *aq_keyring_get_schema      (void);

void                aq_keyring_store_async     (const char           *url,
                                                const char           *password,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean            aq_keyring_store_finish    (GAsyncResult         *result,
                                                GError              **error);
void                aq_keyring_lookup_async    (const char           *url,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
char               *aq_keyring_lookup_finish   (GAsyncResult         *result,
                                                GError              **error);
void                aq_keyring_clear_async     (const char           *url,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
gboolean            aq_keyring_clear_finish    (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS

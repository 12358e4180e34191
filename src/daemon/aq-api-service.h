/* aq-api-service.h — aqueductd's /api/v1/…: signed, granted, limited, pooled, logged */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _AqApiService AqApiService;

AqApiService *aq_api_service_new            (SoupServer    *server);
gboolean      aq_api_service_load_config    (AqApiService  *self,
                                             GKeyFile      *kf,
                                             const char    *path,
                                             GError       **error);
void          aq_api_service_start          (AqApiService  *self,
                                             const char    *conninfo);
/* Writes the calls still buffered (blocking: at shutdown). */
void          aq_api_service_stop           (AqApiService  *self);
void          aq_api_service_append_metrics (AqApiService  *self,
                                             GString       *text);
void          aq_api_service_free           (AqApiService  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqApiService, aq_api_service_free)

G_END_DECLS

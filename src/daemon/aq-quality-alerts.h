/* aq-quality-alerts.h — aqueductd sending the quality alerts to the data team */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AqQualityAlerts AqQualityAlerts;

AqQualityAlerts *aq_quality_alerts_new          (void);
void             aq_quality_alerts_free         (AqQualityAlerts  *self);
/* Reads [quality-alerts] (data/aqueductd.conf documents the keys); no url: disabled. */
gboolean         aq_quality_alerts_load_config  (AqQualityAlerts  *self,
                                                 GKeyFile         *kf,
                                                 const char       *path,
                                                 GError          **error);
/* Starts sending from @conninfo's meta.quality_alert, if configured. */
void             aq_quality_alerts_start        (AqQualityAlerts  *self,
                                                 const char       *conninfo);
/* Stops after the send in flight (blocks at most one request's timeout). */
void             aq_quality_alerts_stop         (AqQualityAlerts  *self);
/* The counters for /metrics. */
void             aq_quality_alerts_append_metrics (AqQualityAlerts *self,
                                                   GString         *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqQualityAlerts, aq_quality_alerts_free)

G_END_DECLS

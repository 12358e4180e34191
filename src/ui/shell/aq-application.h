/* aq-application.h — the Aqueduct application: windows, actions, command line */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_APPLICATION (aq_application_get_type ())
G_DECLARE_FINAL_TYPE (AqApplication, aq_application, AQ, APPLICATION, AdwApplication)

AqApplication *aq_application_new             (void);
int            aq_application_get_exit_status (AqApplication *self);

G_END_DECLS

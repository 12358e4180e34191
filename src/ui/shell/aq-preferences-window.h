/* aq-preferences-window.h — the connection profile: embedded warehouse or a server */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define AQ_TYPE_PREFERENCES_WINDOW (aq_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AqPreferencesWindow, aq_preferences_window, AQ, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

AqPreferencesWindow *aq_preferences_window_new (GtkWindow *transient_for,
                                                GSettings *settings);

G_END_DECLS

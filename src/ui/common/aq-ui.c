/* aq-ui.c — set-up of the UI library
 *
 * The templates travel as a resource inside the static library; a static library drops an
 * object nobody references, so the resource is registered here by hand, once. Tests call this
 * before building widgets, the application at start.
 */
#define G_LOG_DOMAIN "aq-ui"

#include "config.h"

#include "aq-ui.h"

#include <gio/gio.h>

#include "aq-ui-resources.h"
#include "aqueduct-core.h"

void
aq_ui_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      aq_core_init ();
      aq_api_lineage_register ();
      aq_network_register ();
      aq_ui_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}

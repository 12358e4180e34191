/* aq-core.c — library set-up
 *
 * The migrations and standard pipelines travel inside the library as resources. A static
 * library drops an object nobody references, so they are registered here by hand, once.
 */
#define G_LOG_DOMAIN "aq-core"

#include "aq-core.h"

#include <gio/gio.h>

#include "aq-core-resources.h"

void
aq_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      aq_core_register_resource ();
      g_once_init_leave (&initialized, 1);
    }
}

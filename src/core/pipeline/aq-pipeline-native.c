/* aq-pipeline-native.c — a sql step's work done by C code the program registered
 *
 * A sql step may name "native": a function in the program itself that does the same work as
 * the step's statements, faster. When the running program provides it, it runs instead of the
 * statements, on the run's connection and in its transaction; a program that does not (a
 * script, an old build) runs the statements, with the same result. It is for work SQL does
 * badly — the network's valve segments are a union-find over 10^5 pipes, a second in C and
 * a minute in PL/pgSQL — while the pipeline keeps its place in the dependency graph, its
 * history and its lineage. Core's pipeline knows none of these functions: the module that
 * provides one registers it once at startup, like the scheduler's job kinds.
 */
#define G_LOG_DOMAIN "aq-pipeline-native"

#include "config.h"

#include "aq-pipeline-native.h"

static GMutex lock;
static GHashTable *natives;   /* name → AqPipelineNativeFunc */

void
aq_pipeline_native_register (const char           *name,
                             AqPipelineNativeFunc  func)
{
  g_return_if_fail (name != NULL && func != NULL);

  g_mutex_lock (&lock);
  if (natives == NULL)
    natives = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_replace (natives, g_strdup (name), (gpointer) func);
  g_mutex_unlock (&lock);
}

AqPipelineNativeFunc
aq_pipeline_native_lookup (const char *name)
{
  AqPipelineNativeFunc func = NULL;

  g_mutex_lock (&lock);
  if (natives)
    func = (AqPipelineNativeFunc) g_hash_table_lookup (natives, name);
  g_mutex_unlock (&lock);
  return func;
}

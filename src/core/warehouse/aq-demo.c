/* aq-demo.c — the demo warehouse: simulated sources, then the standard pipelines
 *
 * The simulator writes only the src_* schemas; everything in ods, dw and dm comes from the
 * standard pipelines, run here in dependency order: the same path a real deployment's data
 * takes, so the demo proves the pipelines rather than bypassing them.
 */
#define G_LOG_DOMAIN "aq-demo"

#include "aq-demo.h"
#include <glib/gi18n.h>

#include "aq-error.h"
#include "aq-network.h"
#include "aq-pipeline-runner.h"

/* Sources before the layers that read them: ods, then dw dimensions before facts, then dm. */
static const char * const standard_order[] = {
  "ods_billing", "ods_meter", "ods_service", "ods_gis",
  "dw_geo", "dw_network", "dw_customer", "dw_billing", "dw_payment", "dw_service",
  "dm_streaks", "dm_profile", "dm_cubes", "dm_network",
  NULL
};

/* How much of a whole demo build each part takes, for one progress bar over both. */
#define SIMULATION_SHARE 0.4

typedef struct
{
  AqProgressFunc  progress;
  gpointer        user_data;
  double          start;
  double          span;
  const char     *prefix;
} ScaledProgress;

static void
scaled_progress_cb (double      fraction,
                    const char *message,
                    gpointer    user_data)
{
  ScaledProgress *sp = user_data;
  g_autofree char *text = NULL;

  if (sp->progress == NULL)
    return;
  text = sp->prefix ? g_strdup_printf ("%s: %s", sp->prefix, message ? message : "")
                    : g_strdup (message);
  sp->progress (fraction < 0 ? -1 : sp->start + sp->span * fraction, text, sp->user_data);
}

const char * const *
aq_demo_standard_pipelines (void)
{
  return standard_order;
}

/* The demo exists when the simulator ran and the pipelines built the profile mart. */
gboolean
aq_demo_exists (AqDb      *db,
                gboolean  *out_exists,
                GError   **error)
{
  g_autofree char *found = NULL;
  g_autoptr(GError) local_error = NULL;

  found = aq_db_query_string (db,
                              "SELECT 1 WHERE to_regclass('src_truth.run') IS NOT NULL "
                              "AND EXISTS (SELECT 1 FROM dm.customer_profile)",
                              0, NULL, &local_error);
  if (local_error)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_exists = found != NULL;
  return TRUE;
}

/* ods tables are the pipelines' own (created from the sources' shape) and load
 * incrementally: a new simulation starts them, and their watermarks, from nothing. */
static gboolean
reset_ods (AqDb     *db,
           GError  **error)
{
  return aq_db_exec (db,
                     "DO $$ DECLARE t record; BEGIN "
                     "FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'ods' LOOP "
                     "EXECUTE format('DROP TABLE ods.%I', t.tablename); END LOOP; END $$;"
                     "DELETE FROM meta.pipeline_watermark",
                     error);
}

/* Runs every standard pipeline in order; stops at the first failure, whose pipeline left
 * its targets as they were. */
gboolean
aq_demo_run_pipelines (AqDb            *db,
                       AqProgressFunc   progress,
                       gpointer         user_data,
                       GCancellable    *cancellable,
                       GError         **error)
{
  guint n = g_strv_length ((char **) standard_order);

  aq_network_register ();
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AqPipeline) pipeline = aq_pipeline_new_standard (standard_order[i], error);
      ScaledProgress sp = { progress, user_data, (double) i / n, 1.0 / n, standard_order[i] };

      if (pipeline == NULL
          || !aq_pipeline_runner_run_pipeline (pipeline, db, scaled_progress_cb, &sp, cancellable,
                                               NULL, error))
        {
          g_prefix_error (error, _("Pipeline %s: "), standard_order[i]);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
aq_demo_build (AqDb                     *db,
               const AqSimulatorOptions *options,
               AqProgressFunc        progress,
               gpointer              user_data,
               GCancellable         *cancellable,
               GError              **error)
{
  ScaledProgress sim_progress = { progress, user_data, 0, SIMULATION_SHARE, NULL };
  ScaledProgress run_progress = { progress, user_data, SIMULATION_SHARE, 1 - SIMULATION_SHARE,
                                  NULL };

  if (!aq_simulator_run (db, options, scaled_progress_cb, &sim_progress, cancellable, error))
    return FALSE;
  if (!reset_ods (db, error))
    return FALSE;
  return aq_demo_run_pipelines (db, scaled_progress_cb, &run_progress, cancellable, error);
}

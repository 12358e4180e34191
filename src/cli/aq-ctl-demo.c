/* aq-ctl-demo.c — aqueductctl demo simulate: fill the src_* schemas with a simulated utility */
#define G_LOG_DOMAIN "aqueductctl"

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>
#include <string.h>

#include "aq-ctl.h"

#define USAGE N_("demo simulate [--scale ACCOUNTS] [--months N] [--seed S] [--until YYYY-MM] " \
              "[--ahead N] [--json] | demo simulate --append-month [--load] [--json]")

static gboolean opt_json;
static int opt_scale = 100000;
static int opt_months = 36;
static gint64 opt_seed = 20180401;
static char *opt_until;
static int opt_ahead;
static gboolean opt_append;
static gboolean opt_load;

static GOptionEntry entries[] = {
  { "json", 0, 0, G_OPTION_ARG_NONE, &opt_json, N_("Answer in JSON"), NULL },
  { "scale", 0, 0, G_OPTION_ARG_INT, &opt_scale, N_("Accounts (default 100000)"), "N" },
  { "months", 0, 0, G_OPTION_ARG_INT, &opt_months, N_("Months of history (default 36)"), "N" },
  { "seed", 0, 0, G_OPTION_ARG_INT64, &opt_seed, N_("Random seed (default 20180401)"), "S" },
  { "until", 0, 0, G_OPTION_ARG_STRING, &opt_until, N_("The last billed month (default 2026-10)"),
    "YYYY-MM" },
  { "ahead", 0, 0, G_OPTION_ARG_INT, &opt_ahead,
    N_("Months planned beyond the last one, room to append later (default 0)"), "N" },
  { "append-month", 0, 0, G_OPTION_ARG_NONE, &opt_append,
    N_("Let the simulated sources run on for one more month"), NULL },
  { "load", 0, 0, G_OPTION_ARG_NONE, &opt_load,
    N_("After appending, load the new month with the standard pipelines"), NULL },
  { NULL }
};

/* "2026-10" → 2026, 10; nothing else is accepted. */
static gboolean
parse_month (const char *text,
             guint      *year,
             guint      *month)
{
  if (text == NULL || strlen (text) != 7 || text[4] != '-')
    return FALSE;
  for (guint i = 0; i < 7; i++)
    if (i != 4 && !g_ascii_isdigit (text[i]))
      return FALSE;
  *year = (guint) g_ascii_strtoull (text, NULL, 10);
  *month = (guint) g_ascii_strtoull (text + 5, NULL, 10);
  return *month >= 1 && *month <= 12;
}

static void
print_result (const AqSimulatorOptions *options,
              GPtrArray                *counts,
              double                    seconds,
              double                    load_seconds)
{
  gint64 total = 0;
  int first = (int) (options->last_year * 12 + options->last_month - 1) - (int) options->months + 1;
  g_autofree char *first_period = g_strdup_printf ("%04d%02d", first / 12, first % 12 + 1);
  g_autofree char *last_period = g_strdup_printf ("%04u%02u", options->last_year,
                                                  options->last_month);

  for (guint i = 0; i < counts->len; i++)
    total += ((AqSimulatorCount *) g_ptr_array_index (counts, i))->rows;

  if (opt_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "seed");
      json_builder_add_int_value (b, (gint64) options->seed);
      json_builder_set_member_name (b, "accounts");
      json_builder_add_int_value (b, options->accounts);
      json_builder_set_member_name (b, "months");
      json_builder_add_int_value (b, options->months);
      json_builder_set_member_name (b, "first_period");
      json_builder_add_string_value (b, first_period);
      json_builder_set_member_name (b, "last_period");
      json_builder_add_string_value (b, last_period);
      json_builder_set_member_name (b, "months_ahead");
      json_builder_add_int_value (b, options->ahead);
      json_builder_set_member_name (b, "appended");
      json_builder_add_boolean_value (b, opt_append);
      json_builder_set_member_name (b, "seconds");
      json_builder_add_double_value (b, seconds);
      if (load_seconds >= 0)
        {
          json_builder_set_member_name (b, "load_seconds");
          json_builder_add_double_value (b, load_seconds);
        }
      json_builder_set_member_name (b, "rows");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "tables");
      json_builder_begin_object (b);
      for (guint i = 0; i < counts->len; i++)
        {
          AqSimulatorCount *c = g_ptr_array_index (counts, i);

          json_builder_set_member_name (b, c->table);
          json_builder_add_int_value (b, c->rows);
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      aq_ctl_print_json (root);
      return;
    }
  if (opt_append)
    g_print (_("Appended %.4s-%.2s to the sources (%u accounts, now %u months, %u more planned): "
             "%" PRId64 " rows in %u tables, %.1f s\n"),
             last_period, last_period + 4, options->accounts, options->months, options->ahead,
             total, counts->len, seconds);
  else
    g_print (_("Simulated %u accounts over %u months (%.4s-%.2s to %.4s-%.2s): "
             "%" PRId64 " rows in %u tables, %.1f s\n"),
             options->accounts, options->months, first_period, first_period + 4, last_period,
             last_period + 4, total, counts->len, seconds);
  if (load_seconds >= 0)
    g_print (_("Loaded by the standard pipelines in %.1f s\n"), load_seconds);
}

/* One more month into the live sources, then (--load) through the pipelines. */
static int
demo_append (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GTimer) timer = NULL;
  AqSimulatorOptions options;
  double simulated, loaded = -1;

  if (opt_until || opt_ahead || opt_seed != 20180401 || opt_scale != 100000 || opt_months != 36)
    return aq_ctl_usage (USAGE, _("--append-month takes its options from the demo it appends "
                                  "to"));
  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);
  timer = g_timer_new ();
  if (!aq_simulator_append (db, &options, aq_ctl_progress, NULL, aq_ctl_cancellable (), &counts,
                            &error))
    return aq_ctl_fail (error);
  simulated = g_timer_elapsed (timer, NULL);
  if (opt_load)
    {
      g_timer_start (timer);
      if (!aq_demo_run_pipelines (db, aq_ctl_progress, NULL, aq_ctl_cancellable (), &error))
        return aq_ctl_fail (error);
      loaded = g_timer_elapsed (timer, NULL);
    }
  aq_ctl_progress_done ();
  print_result (&options, counts, simulated, loaded);
  return AQ_CTL_OK;
}

static int
demo_simulate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(GPtrArray) counts = NULL;
  g_autoptr(GTimer) timer = NULL;
  AqSimulatorOptions options;

  aq_simulator_options_init (&options);
  if (opt_until && !parse_month (opt_until, &options.last_year, &options.last_month))
    return aq_ctl_usage (USAGE, _("--until wants a month as YYYY-MM, such as 2026-10"));
  if (opt_scale <= 0 || opt_months <= 0 || opt_seed < 0)
    return aq_ctl_usage (USAGE, _("--scale, --months and --seed must be positive"));
  options.accounts = (guint) opt_scale;
  options.months = (guint) opt_months;
  options.seed = (guint64) opt_seed;
  if (opt_ahead < 0 || opt_load)
    return aq_ctl_usage (USAGE, opt_load ? _("--load goes with --append-month")
                                         : _("--ahead must not be negative"));
  options.ahead = (guint) opt_ahead;
  if (!aq_simulator_options_check (&options, &error))
    return aq_ctl_fail (error);

  db = aq_connection_open (NULL, &error);
  if (db == NULL)
    return aq_ctl_fail (error);

  timer = g_timer_new ();
  if (!aq_simulator_run_full (db, &options, aq_ctl_progress, NULL, aq_ctl_cancellable (),
                              &counts, &error))
    return aq_ctl_fail (error);
  aq_ctl_progress_done ();
  print_result (&options, counts, g_timer_elapsed (timer, NULL), -1);
  return AQ_CTL_OK;
}

int
aq_ctl_demo (int    argc,
             char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (USAGE);
  int code = 0;

  g_option_context_set_summary (context, N_("Fill the src_* schemas with a simulated water "
                                "utility's source systems (the same options give the same data)."));
  g_option_context_add_main_entries (context, entries, NULL);
  if (!aq_ctl_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return aq_ctl_usage (USAGE, NULL);
  if (strcmp (argv[1], "simulate") == 0)
    return opt_append ? demo_append () : demo_simulate ();
  return aq_ctl_usage (USAGE, _("unknown demo command"));
}

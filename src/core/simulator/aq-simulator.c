/* aq-simulator.c — the demo source systems: a simulated water utility's legacy databases
 *
 * Builds the utility in memory (aq-simulator-geo.c, -accounts.c, -meters.c, -network.c), then
 * writes the src_* schemas through binary COPY: the GIS, customers and accounts, a bill table
 * per month with its payments and SMS (aq-simulator-billing.c, -sms.c), meters, work orders
 * and calls (aq-simulator-service.c), and the ground truth of the planted anomalies.
 *
 * One backend alone cannot take the rows as fast as they are made, so the loads run on three
 * connections at once (lanes), each in one transaction over its own tables. They fill a copy
 * of the schemas under staging names (aqsim_next_*), created by the schema's own DDL; only
 * when every lane has committed does one short transaction drop the old src_* schemas and
 * rename the new ones into place. A failed or cancelled run drops the staging schemas and
 * leaves the previous demo data exactly as it was, readable all along. Primary keys are taken
 * off while loading and put back at the end, which is much cheaper than maintaining them row
 * by row.
 */
#define G_LOG_DOMAIN "aq-simulator"

#include "aq-simulator-private.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aq-core.h"
#include "aq-error.h"

#define SCHEMA_RESOURCE "/org/aqueduct/Aqueduct/demo/src-schema.sql"
#define LIVE_PREFIX     "src_"
#define STAGE_PREFIX    "aqsim_next_"
#define M_PER_DEG_LAT   110790.0      /* at 26° N */
#define M_PER_DEG_LON   99986.0       /* 111 320 × cos 26.08° */
#define CENTER_LON      119.30
#define CENTER_LAT      26.08

/* ---- helpers the generators share ---- */

/* Local metres to degrees, rounded to 1e-7° (1 cm) so that text renderings stay short and a
 * vertex shared by two polygons is the same double in both. */
double
aq_sim_lon (double x)
{
  return floor ((CENTER_LON + (x - AQ_SIM_WIDTH / 2) / M_PER_DEG_LON) * 1e7 + 0.5) / 1e7;
}

double
aq_sim_lat (double y)
{
  return floor ((CENTER_LAT + (y - AQ_SIM_HEIGHT / 2) / M_PER_DEG_LAT) * 1e7 + 0.5) / 1e7;
}

const char *
aq_sim_intern (AqSim      *sim,
               const char *text)
{
  return g_string_chunk_insert_const (sim->strings, text);
}

/* The next number of the day @day in a per-day sequence (ids that read like dates). */
guint32
aq_sim_next_id (AqSim   *sim,
                guint32 *counters,
                gint32   day)
{
  gint64 i = (gint64) day - sim->counter_base;

  g_assert (i >= 0 && i < sim->n_counter_days);
  return ++counters[i];
}

void
aq_sim_progress (AqSim      *sim,
                 double      fraction,
                 const char *message)
{
  if (sim->progress)
    sim->progress (sim->progress_from + sim->progress_span * CLAMP (fraction, 0.0, 1.0), message,
                   sim->progress_data);
}

static void
phase (AqSim      *sim,
       double      from,
       double      to,
       const char *message)
{
  g_debug ("%.2f s: %s", g_timer_elapsed (sim->timer, NULL), message);
  sim->progress_from = from;
  sim->progress_span = to - from;
  aq_sim_progress (sim, 0, message);
}

/* FALSE, with @error set, once the run is cancelled. */
gboolean
aq_sim_check_cancelled (AqSim   *sim,
                        GError **error)
{
  return !g_cancellable_set_error_if_cancelled (sim->cancellable, error);
}

/* @sql with every src_* schema name turned into its staging name. */
static char *
staged (const char *sql)
{
  GString *out = g_string_sized_new (strlen (sql) + 64);

  for (const char *p = sql; *p; p++)
    {
      if (g_str_has_prefix (p, LIVE_PREFIX)
          && (p == sql || !(g_ascii_isalnum (p[-1]) || p[-1] == '_')))
        {
          g_string_append (out, STAGE_PREFIX);
          p += strlen (LIVE_PREFIX) - 1;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Queues @sql (written with the src_* names) on @lane. */
void
aq_sim_exec (AqSim      *sim,
             guint       lane,
             const char *sql)
{
  g_autofree char *real = sim->append ? g_strdup (sql) : staged (sql);

  aq_copy_writer_exec (sim->lanes[lane].writer, real);
}

/**
 * aq_sim_copy:
 * @target: "src_schema.table (col, …)"
 *
 * Starts a COPY into @target on @lane and returns the lane's writer for its rows, or NULL
 * once the run has failed. A table is truncated the first time its lane loads it, which makes
 * it new in the lane's transaction, so COPY may freeze its rows.
 */
AqCopyWriter *
aq_sim_copy (AqSim       *sim,
             guint        lane,
             const char  *target,
             GError     **error)
{
  AqSimLane *l = &sim->lanes[lane];
  g_autofree char *table = g_strndup (target, strcspn (target, " ("));
  g_autofree char *real = sim->append ? g_strdup (target) : staged (target);

  if (!g_hash_table_contains (l->tables, table) && sim->append && aq_sim_growing (table))
    g_hash_table_add (l->tables, g_steal_pointer (&table));
  else if (!g_hash_table_contains (l->tables, table))
    {
      g_autofree char *truncate = g_strconcat ("TRUNCATE ", table, NULL);

      aq_sim_exec (sim, lane, truncate);
      g_hash_table_add (l->tables, g_steal_pointer (&table));
    }
  if (!aq_copy_writer_begin (l->writer, real, error))
    return NULL;
  return l->writer;
}

/* Whether @table grows by appended rows when a month is appended (the others are written
 * again whole, the bill tables of the months before are left as they are). */
gboolean
aq_sim_growing (const char *table)
{
  static const char * const growing[] = {
    "src_billing.payment", "src_sms.sms_log", "src_hotline.call_record",
    "src_meter.meter_event",
  };

  for (guint i = 0; i < G_N_ELEMENTS (growing); i++)
    if (strcmp (table, growing[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Ends the COPY of @writer into @table and adds its rows to the run's counts. */
gboolean
aq_sim_copy_end (AqSim         *sim,
                 AqCopyWriter  *writer,
                 const char    *table,
                 GError       **error)
{
  gint64 rows = 0;

  if (!aq_copy_writer_end (writer, &rows, error))
    return FALSE;
  for (guint i = 0; i < sim->counts->len; i++)
    {
      AqSimulatorCount *c = g_ptr_array_index (sim->counts, i);

      if (strcmp (c->table, table) == 0)
        {
          c->rows += rows;
          return TRUE;
        }
    }
  {
    AqSimulatorCount *c = g_new0 (AqSimulatorCount, 1);

    c->table = g_strdup (table);
    c->rows = rows;
    g_ptr_array_add (sim->counts, c);
  }
  return TRUE;
}

/* ---- schemas, keys, lanes ---- */

typedef struct
{
  char *table;               /* src_schema.table */
  char *name;
  char *definition;
} Key;

static void
key_free (Key *key)
{
  g_free (key->table);
  g_free (key->name);
  g_free (key->definition);
  g_free (key);
}

/* The schemas the DDL creates, in its order. */
static char **
ddl_schemas (const char *ddl)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (const char *p = strstr (ddl, "CREATE SCHEMA "); p; p = strstr (p + 1, "CREATE SCHEMA "))
    {
      const char *name = p + strlen ("CREATE SCHEMA ");

      g_ptr_array_add (names, g_strndup (name, strspn (name, "abcdefghijklmnopqrstuvwxyz"
                                                             "0123456789_")));
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* Creates the staging schemas with the schema's DDL and takes their primary keys off (the
 * loads are faster without), returning what is needed to put them back. */
static GPtrArray *
create_staging (AqDb        *db,
                const char  *ddl,
                GError     **error)
{
  g_autofree char *real = staged (ddl);
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);

  /* the DDL's DROP … CASCADE would list every object it drops */
  if (!aq_db_begin (db, error)
      || !aq_db_exec (db, "SET LOCAL client_min_messages = warning", error)
      || !aq_db_exec (db, real, error))
    return NULL;
  res = aq_db_query (db,
                     "SELECT n.nspname, c.relname, con.conname, pg_get_constraintdef(con.oid) "
                     "FROM pg_constraint con "
                     "JOIN pg_class c ON c.oid = con.conrelid "
                     "JOIN pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE con.contype = 'p' AND n.nspname LIKE 'aqsim\\_next\\_%' "
                     "ORDER BY 1, 2", 0, NULL, error);
  if (res == NULL)
    return NULL;
  for (int i = 0; i < PQntuples (res); i++)
    {
      Key *key = g_new0 (Key, 1);
      g_autofree char *table = aq_db_quote_ident (PQgetvalue (res, i, 1));
      g_autofree char *schema = aq_db_quote_ident (PQgetvalue (res, i, 0));
      g_autofree char *name = aq_db_quote_ident (PQgetvalue (res, i, 2));
      g_autofree char *sql = g_strdup_printf ("ALTER TABLE %s.%s DROP CONSTRAINT %s", schema,
                                              table, name);

      key->table = g_strconcat (LIVE_PREFIX, PQgetvalue (res, i, 0) + strlen (STAGE_PREFIX),
                                ".", PQgetvalue (res, i, 1), NULL);
      key->name = g_strdup (PQgetvalue (res, i, 2));
      key->definition = g_strdup (PQgetvalue (res, i, 3));
      g_ptr_array_add (keys, key);
      if (!aq_db_exec (db, sql, error))
        return NULL;
    }
  if (!aq_db_commit (db, error))
    return NULL;
  return g_steal_pointer (&keys);
}

static void
drop_staging (AqSim *sim)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN; SET LOCAL client_min_messages = warning; "
                                         "DROP SCHEMA IF EXISTS ");

  for (guint i = 0; sim->schemas[i]; i++)
    {
      g_autofree char *real = staged (sim->schemas[i]);

      g_string_append_printf (sql, "%s%s", i ? ", " : "", real);
    }
  g_string_append (sql, " CASCADE; COMMIT");
  aq_db_rollback (sim->db);
  if (!aq_db_exec (sim->db, sql->str, NULL))
    {
      aq_db_rollback (sim->db);
      g_warning ("Could not drop the demo's staging schemas");
    }
}

/* Replaces the src_* schemas by the staging ones in one short transaction. */
static gboolean
swap_in (AqSim   *sim,
         GError **error)
{
  g_autoptr(GString) sql = g_string_new ("BEGIN; SET LOCAL client_min_messages = warning; "
                                         "DROP SCHEMA IF EXISTS ");

  for (guint i = 0; sim->schemas[i]; i++)
    g_string_append_printf (sql, "%s%s", i ? ", " : "", sim->schemas[i]);
  g_string_append (sql, " CASCADE;");
  for (guint i = 0; sim->schemas[i]; i++)
    {
      g_autofree char *real = staged (sim->schemas[i]);

      g_string_append_printf (sql, " ALTER SCHEMA %s RENAME TO %s;", real, sim->schemas[i]);
    }
  g_string_append (sql, " COMMIT");
  if (!aq_db_exec (sim->db, sql->str, error))
    {
      aq_db_rollback (sim->db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
open_lanes (AqSim   *sim,
            GError **error)
{
  for (guint l = 0; l < AQ_SIM_N_LANES; l++)
    {
      AqSimLane *lane = &sim->lanes[l];

      lane->db = aq_db_connect (aq_db_get_conninfo (sim->db), error);
      if (lane->db == NULL)
        return FALSE;
      lane->watch = aq_db_watch_cancellable (lane->db, sim->cancellable);
      lane->writer = aq_copy_writer_new (lane->db, sim->cancellable);
      aq_copy_writer_set_freeze (lane->writer, !sim->append);
      lane->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      aq_copy_writer_exec (lane->writer, "BEGIN");
    }
  return TRUE;
}

/* Stops the lanes; their transactions roll back unless they committed. */
static void
close_lanes (AqSim *sim)
{
  for (guint l = 0; l < AQ_SIM_N_LANES; l++)
    {
      AqSimLane *lane = &sim->lanes[l];

      g_clear_pointer (&lane->writer, aq_copy_writer_free);
      if (lane->db)
        {
          aq_db_rollback (lane->db);
          aq_db_unwatch_cancellable (lane->db, sim->cancellable, lane->watch);
        }
      g_clear_object (&lane->db);
      g_clear_pointer (&lane->tables, g_hash_table_unref);
    }
}

typedef struct
{
  char   *sql;
  double  cost;             /* seconds, roughly, on the machine this was tuned on */
} Job;

static int
compare_jobs (gconstpointer a,
              gconstpointer b)
{
  const Job *x = a, *y = b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return strcmp (x->sql, y->sql);
}

static gint64
rows_of (AqSim      *sim,
         const char *table)
{
  for (guint i = 0; i < sim->counts->len; i++)
    {
      AqSimulatorCount *c = g_ptr_array_index (sim->counts, i);

      if (strcmp (c->table, table) == 0)
        return c->rows;
    }
  return 0;
}

/* The lanes commit what they loaded (still under the staging names, so nobody sees it yet);
 * then the primary keys and the statistics are built on all three connections at once, the
 * largest jobs first, each to the least busy lane. */
static gboolean
finish_lanes (AqSim     *sim,
              GPtrArray *keys,
              GError   **error)
{
  g_autoptr(GArray) jobs = g_array_new (FALSE, FALSE, sizeof (Job));
  double load[AQ_SIM_N_LANES] = { 0 };

  /* every lane's tables must be committed before another lane builds keys on them */
  for (guint l = 0; l < AQ_SIM_N_LANES; l++)
    aq_copy_writer_exec (sim->lanes[l].writer, "COMMIT");
  for (guint l = 0; l < AQ_SIM_N_LANES; l++)
    if (!aq_copy_writer_sync (sim->lanes[l].writer, error))
      return FALSE;

  for (guint i = 0; i < keys->len; i++)
    {
      Key *key = g_ptr_array_index (keys, i);
      g_autofree char *name = aq_db_quote_ident (key->name);
      Job job = { g_strdup_printf ("ALTER TABLE %s ADD CONSTRAINT %s %s", key->table, name,
                                   key->definition),
                  0.01 + 2.5e-7 * rows_of (sim, key->table) };

      g_array_append_val (jobs, job);
    }
  for (guint i = 0; i < sim->counts->len; i++)
    {
      AqSimulatorCount *c = g_ptr_array_index (sim->counts, i);
      Job job = { g_strconcat ("ANALYZE ", c->table, NULL),
                  0.01 + 4e-6 * MIN (c->rows, 30000) };

      g_array_append_val (jobs, job);
    }
  g_array_sort (jobs, compare_jobs);
  for (guint j = 0; j < jobs->len; j++)
    {
      Job *job = &g_array_index (jobs, Job, j);
      guint best = 0;

      for (guint l = 1; l < AQ_SIM_N_LANES; l++)
        if (load[l] < load[best])
          best = l;
      load[best] += job->cost;
      aq_sim_exec (sim, best, job->sql);
      g_free (job->sql);
    }

  for (guint l = 0; l < AQ_SIM_N_LANES; l++)
    {
      aq_sim_progress (sim, (double) l / AQ_SIM_N_LANES, "Building keys, gathering statistics");
      if (!aq_copy_writer_sync (sim->lanes[l].writer, error))
        return FALSE;
    }
  return TRUE;
}

/* The run's own row, through COPY so that created_at takes its default. */
static gboolean
record_run (AqSim   *sim,
            GError **error)
{
  AqCopyWriter *w;
  char first[8], last[8];

  if (!(w = aq_sim_copy (sim, AQ_SIM_LANE_BILLS, "src_truth.run (seed, accounts, months, "
                         "first_period, last_period, months_ahead)", error)))
    return FALSE;
  aq_copy_writer_row (w, 6);
  aq_copy_writer_int64 (w, (gint64) sim->seed);
  aq_copy_writer_int32 (w, (gint32) sim->n_accounts);
  aq_copy_writer_int32 (w, (gint32) sim->n_months);
  aq_copy_writer_text (w, aq_sim_period_string (sim->first_month, first), 6);
  aq_copy_writer_text (w, aq_sim_period_string (sim->last_month, last), 6);
  aq_copy_writer_int32 (w, (gint32) (sim->plan_months - sim->n_months));
  aq_copy_writer_end_row (w);
  return aq_sim_copy_end (sim, w, "src_truth.run", error);
}

static void
sim_clear (AqSim *sim)
{
  close_lanes (sim);
  g_clear_pointer (&sim->counts, g_ptr_array_unref);
  g_clear_pointer (&sim->timer, g_timer_destroy);
  g_clear_pointer (&sim->schemas, g_strfreev);
  if (sim->strings)
    g_string_chunk_free (sim->strings);
  g_free (sim->lines);
  g_free (sim->col_x);
  g_free (sim->row_y);
  g_free (sim->col_line);
  g_free (sim->row_line);
  g_free (sim->cell_district);
  g_free (sim->cell_zone);
  g_free (sim->cell_premises);
  g_free (sim->slots);
  g_free (sim->communities);
  g_free (sim->companies);
  g_free (sim->company_phones);
  g_free (sim->premises);
  g_free (sim->zones);
  g_free (sim->boundary_meters);
  g_free (sim->outages);
  g_free (sim->outage_accounts);
  g_free (sim->apps);
  g_free (sim->customers);
  g_free (sim->accounts);
  g_free (sim->meters);
  g_free (sim->staff);
  g_free (sim->zone_billed);
  g_free (sim->pay_seq);
  g_free (sim->sms_seq);
  g_free (sim->event_seq);
}

/* ---- appending ---- */

static char *
bill_table (AqSim *sim,
            int    k)
{
  char period[8];

  return g_strconcat ("src_billing.bill_", aq_sim_period_string (sim->first_month + k, period),
                      NULL);
}

/* The bill tables of the months after @since_month up to the extract's @n_months. */
static gboolean
create_new_bill_tables (AqSim   *sim,
                        guint    n_months,
                        GError **error)
{
  for (int k = sim->since_month + 1; k < (int) n_months; k++)
    {
      g_autofree char *table = bill_table (sim, k);
      g_autofree char *sql = g_strdup_printf ("CREATE TABLE %s (LIKE src_billing.bill_template)",
                                              table);

      if (!aq_db_exec (sim->db, sql, error))
        return FALSE;
    }
  return TRUE;
}

static void
drop_new_bill_tables (AqSim *sim)
{
  for (int k = sim->since_month + 1; k < (int) sim->n_months; k++)
    {
      g_autofree char *table = bill_table (sim, k);
      g_autofree char *sql = g_strdup_printf ("DROP TABLE IF EXISTS %s", table);

      aq_db_rollback (sim->db);
      if (!aq_db_exec (sim->db, sql, NULL))
        g_warning ("Could not drop %s after a failed append", table);
    }
}

/* ---- public API ---- */

void
aq_simulator_options_init (AqSimulatorOptions *options)
{
  g_return_if_fail (options != NULL);

  options->accounts = 100000;
  options->months = 36;
  options->seed = 20180401;
  options->last_year = 2026;
  options->last_month = 10;
  options->sudden_drop = -1;
  options->ahead = 0;
  options->dirt = -1;
}

/* Whether the options describe a run the simulator can do; says what is wrong if not. */
gboolean
aq_simulator_options_check (const AqSimulatorOptions  *options,
                            GError                   **error)
{
  g_return_val_if_fail (options != NULL, FALSE);

  /* the date-like ids (a day's payments, messages, calls) have room for 5 M accounts */
  if (options->accounts < 100 || options->accounts > 5000000)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "The demo needs between 100 and 5 000 000 accounts, not %u", options->accounts);
      return FALSE;
    }
  if (options->months < 13 || options->months > 120)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "The demo covers 13 to 120 months, not %u", options->months);
      return FALSE;
    }
  if (options->ahead > 120 - options->months)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "The demo plans at most 120 months, not %u and %u ahead", options->months,
                   options->ahead);
      return FALSE;
    }
  if (options->last_month < 1 || options->last_month > 12 || options->last_year < 2000
      || options->last_year > 2100)
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID,
                   "The last billed month must be between 2000-01 and 2100-12, not %u-%02u",
                   options->last_year, options->last_month);
      return FALSE;
    }
  return TRUE;
}

void
aq_simulator_count_free (AqSimulatorCount *count)
{
  if (count == NULL)
    return;
  g_free (count->table);
  g_free (count);
}

gboolean
aq_simulator_run (AqDb                     *db,
                  const AqSimulatorOptions *options,
                  AqProgressFunc            progress,
                  gpointer                  user_data,
                  GCancellable             *cancellable,
                  GError                  **error)
{
  return aq_simulator_run_full (db, options, progress, user_data, cancellable, NULL, error);
}

/* One run: a whole new demo (@since_month < 0), or the months after @since_month appended
 * to the live one (see aq_simulator_append). */
static gboolean
simulate (AqDb                     *db,
          const AqSimulatorOptions *options,
          int                       since_month,
          AqProgressFunc            progress,
          gpointer                  user_data,
          GCancellable             *cancellable,
          GPtrArray               **counts,
          GError                  **error)
{
  AqSim sim = { 0 };
  g_autoptr(GBytes) ddl = NULL;
  g_autoptr(GPtrArray) keys = NULL;
  g_autofree char *ddl_text = NULL;
  gboolean ok = FALSE, staging = FALSE;
  gulong watch = 0;

  if (!aq_simulator_options_check (options, error))
    return FALSE;
  aq_core_init ();
  ddl = g_resources_lookup_data (SCHEMA_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (ddl == NULL)
    return FALSE;
  ddl_text = g_strndup (g_bytes_get_data (ddl, NULL), g_bytes_get_size (ddl));

  sim.db = db;
  sim.cancellable = cancellable;
  sim.progress = progress;
  sim.progress_data = user_data;
  sim.seed = options->seed;
  sim.n_accounts = options->accounts;
  sim.n_months = sim.plan_months = options->months + options->ahead;
  sim.scale = options->accounts / 1e6;
  sim.last_month = sim.plan_last_month
    = aq_month_index ((int) options->last_year, (int) options->last_month) + (int) options->ahead;
  sim.first_month = sim.last_month - (int) sim.n_months + 1;
  sim.append = since_month >= 0;
  if (sim.append)
    {
      sim.since_month = since_month - sim.first_month;
      sim.since_day = aq_month_first_day (since_month + 1) - 1;
      sim.since = aq_sim_day_seconds (sim.since_day) + 86399;
    }
  sim.sudden_drop = options->sudden_drop > 0
                    || (options->sudden_drop < 0 && options->accounts >= AQ_SIM_DROP_MIN_ACCOUNTS);
  sim.dirt = options->dirt > 0
             || (options->dirt < 0 && options->accounts >= AQ_SIM_DROP_MIN_ACCOUNTS);
  sim.first_day = aq_month_first_day (sim.first_month);
  sim.now_day = aq_month_first_day (sim.last_month + 1) - 1;
  sim.now = aq_sim_day_seconds (sim.now_day) + 86399;
  sim.counter_base = aq_day_from_civil (1980, 1, 1);
  sim.n_counter_days = (guint) (sim.now_day - sim.counter_base + 2);
  sim.pay_seq = g_new0 (guint32, sim.n_counter_days);
  sim.sms_seq = g_new0 (guint32, sim.n_counter_days);
  sim.event_seq = g_new0 (guint32, sim.n_counter_days);
  sim.strings = g_string_chunk_new (64 * 1024);
  sim.counts = g_ptr_array_new_with_free_func ((GDestroyNotify) aq_simulator_count_free);
  sim.schemas = ddl_schemas (ddl_text);
  sim.timer = g_timer_new ();

  watch = aq_db_watch_cancellable (db, cancellable);
  phase (&sim, 0.0, 0.02, "Creating the source schemas");
  if (sim.append)
    {
      /* the new months' bill tables, made before the lanes start: a CREATE TABLE in a lane
       * waits on the other lanes' TRUNCATEs of the same schema */
      keys = g_ptr_array_new_with_free_func ((GDestroyNotify) key_free);
      if (!create_new_bill_tables (&sim, options->months, error))
        goto out;
    }
  else
    {
      staging = TRUE;
      if (!(keys = create_staging (db, ddl_text, error)))
        goto out;
    }
  if (sim.dirt)
    {
      /* src_truth.dirt, before the lanes start too (aq-simulator-dirt.c) */
      g_autofree char *dirt = sim.append ? g_strdup (AQ_SIM_DIRT_DDL) : staged (AQ_SIM_DIRT_DDL);

      if (!aq_db_exec (db, dirt, error))
        goto out;
    }
  if (!open_lanes (&sim, error) || !aq_sim_check_cancelled (&sim, error))
    goto out;

  phase (&sim, 0.02, 0.05, "Laying out the city");
  aq_sim_geo_build (&sim);
  aq_sim_geo_build_zones (&sim);
  aq_sim_progress (&sim, 0.4, "Planning customers and accounts");
  aq_sim_accounts_build (&sim);
  aq_sim_progress (&sim, 0.8, "Placing meters and outages");
  aq_sim_network_build (&sim);
  if (!aq_sim_check_cancelled (&sim, error))
    goto out;

  /* built to the plan's end; written to the extract's */
  sim.n_months = options->months;
  sim.last_month = sim.plan_last_month - (int) options->ahead;
  sim.now_day = aq_month_first_day (sim.last_month + 1) - 1;
  sim.now = aq_sim_day_seconds (sim.now_day) + 86399;

  phase (&sim, 0.05, 0.08, "Writing the map, customers and accounts");
  if (!aq_sim_geo_write (&sim, error)
      || !aq_sim_network_write (&sim, error)
      || !aq_sim_accounts_write (&sim, error))
    goto out;

  phase (&sim, 0.08, 0.80, "Billing");
  if (!aq_sim_billing_write (&sim, error))
    goto out;

  phase (&sim, 0.80, 0.84, "Writing meters, DMA volumes and the ground truth");
  if (!aq_sim_network_write_inflow (&sim, error)
      || !aq_sim_meters_write (&sim, error)
      || !aq_sim_truth_write (&sim, error)
      || !aq_sim_dirt_write (&sim, error)
      || !record_run (&sim, error))
    goto out;

  phase (&sim, 0.84, 0.90, "Writing work orders and calls");
  if (!aq_sim_service_write (&sim, error))
    goto out;

  phase (&sim, 0.90, 0.99, "Building keys, gathering statistics");
  if (!finish_lanes (&sim, keys, error) || !aq_sim_check_cancelled (&sim, error))
    goto out;
  phase (&sim, 0.99, 1.0, "Putting the new data in place");
  if (!sim.append && !swap_in (&sim, error))
    goto out;
  staging = FALSE;
  ok = TRUE;
  g_debug ("%.2f s: done", g_timer_elapsed (sim.timer, NULL));
  aq_sim_progress (&sim, 1.0, "Done");

out:
  close_lanes (&sim);
  if (staging)
    drop_staging (&sim);
  if (!ok && sim.append)
    drop_new_bill_tables (&sim);
  if (!ok && g_cancellable_is_cancelled (cancellable))
    {
      /* whichever lane noticed first, and how, the reason is the same */
      g_clear_error (error);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                           "Cancelled: the demo data is as it was");
    }
  else if (!ok && !sim.append)
    g_prefix_error (error, "The demo data was not (re)built: ");
  else if (!ok)
    g_prefix_error (error, _("The month was not appended: "));
  aq_db_unwatch_cancellable (db, cancellable, watch);
  if (ok && counts)
    *counts = g_ptr_array_ref (sim.counts);
  sim_clear (&sim);
  return ok;
}

/**
 * aq_simulator_run_full:
 * @counts: (out) (optional): the rows written per table, as #AqSimulatorCount
 *
 * Replaces the src_* schemas with a simulated utility of @options->accounts accounts over
 * @options->months months ending with the month @options->last_year-@options->last_month,
 * planned @options->ahead months further (room for aq_simulator_append). The same options
 * always give the same data (src_truth.run.created_at aside). All or nothing: on failure or
 * cancellation the src_* schemas are as they were. Blocks; besides @db it opens three
 * connections of its own to the same database for the loads.
 */
gboolean
aq_simulator_run_full (AqDb                     *db,
                       const AqSimulatorOptions *options,
                       AqProgressFunc            progress,
                       gpointer                  user_data,
                       GCancellable             *cancellable,
                       GPtrArray               **counts,
                       GError                  **error)
{
  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  return simulate (db, options, -1, progress, user_data, cancellable, counts, error);
}

/**
 * aq_simulator_append:
 * @options: (out): the options of the demo as it is after the append
 *
 * Lets the simulated source systems run on for one more month, as if they had: a new bill
 * table, the month's payments, messages, calls and meter events appended, customers,
 * accounts, meters, applications and work orders as they stand at the new month's end. The
 * sources are then the same as a new demo of one month more with one month less ahead
 * (tests/warehouse-incr.c compares them table by table). Needs a demo simulated with months
 * ahead (src_truth.run.months_ahead). The lanes commit one after the other: a failure while
 * committing can leave a month half appended, and a new simulate is the way back.
 */
gboolean
aq_simulator_append (AqDb                *db,
                     AqSimulatorOptions  *options,
                     AqProgressFunc       progress,
                     gpointer             user_data,
                     GCancellable        *cancellable,
                     GPtrArray          **counts,
                     GError             **error)
{
  g_autoptr(PGresult) res = NULL;
  int last;

  g_return_val_if_fail (AQ_IS_DB (db), FALSE);
  g_return_val_if_fail (options != NULL, FALSE);

  res = aq_db_query (db,
                     "SELECT seed, accounts, months, last_period, "
                     "       coalesce((to_jsonb(r) ->> 'months_ahead')::int, 0) "
                     "FROM src_truth.run r", 0, NULL, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) != 1)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("There is no simulated demo to append a month to: run "
                             "“demo simulate” first"));
      return FALSE;
    }
  if (atoi (PQgetvalue (res, 0, 4)) < 1)
    {
      g_set_error_literal (error, AQ_ERROR, AQ_ERROR_INVALID,
                           _("The demo was planned only as far as its last month: simulate it "
                             "again with months ahead (--ahead N) to append months to it"));
      return FALSE;
    }
  aq_simulator_options_init (options);
  options->seed = g_ascii_strtoull (PQgetvalue (res, 0, 0), NULL, 10);
  options->accounts = (guint) atoi (PQgetvalue (res, 0, 1));
  options->months = (guint) atoi (PQgetvalue (res, 0, 2)) + 1;
  options->ahead = (guint) atoi (PQgetvalue (res, 0, 4)) - 1;
  last = atoi (PQgetvalue (res, 0, 3));
  last = aq_month_index (last / 100, last % 100);
  options->last_year = (guint) aq_month_year (last + 1);
  options->last_month = (guint) aq_month_month (last + 1);
  return simulate (db, options, last, progress, user_data, cancellable, counts, error);
}

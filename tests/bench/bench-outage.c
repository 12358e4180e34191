/* bench-outage.c — how long the analysis of a shutoff area and the enqueueing of its notice take
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-outage [SHARE] [MESSAGES]
 *
 * SHARE (default 0.10): the analysis runs on a square in the middle of the city grown until it
 * holds about that share of the accounts (10,000 at 100k, 100,000 at 1 M); 1 warm-up then 7
 * timed runs of aq_outage_area_analyze(), the median printed.
 * MESSAGES (default 100000): a second square is grown until a notice to it makes about that
 * many messages (SMS + WeChat recipients); an outage is saved on it and its reviewed notice
 * created with aq_campaign_create() (campaign + outbox in one transaction) 3 times, each timed
 * and then deleted, the median printed. The outage is deleted at the end: use a copy of a
 * warehouse, not a production one.
 */
#include "aq-test-util.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static double min_lon, min_lat, max_lon, max_lat;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return g_array_index (values, double, values->len / 2);
}

static AqGeometry *
square (double fraction)
{
  double cx = (min_lon + max_lon) / 2, cy = (min_lat + max_lat) / 2;
  double w = (max_lon - min_lon) / 2 * fraction, h = (max_lat - min_lat) / 2 * fraction;
  double ring[] = { cx - w, cy - h, cx + w, cy - h, cx + w, cy + h, cx - w, cy + h };

  return aq_geometry_new_from_ring (ring, 4, NULL);
}

/* The square (by bisection on its size) whose measure is closest to @target. */
static AqGeometry *
grow (AqDb    *db,
      gboolean messages,
      gint64   target,
      gint64  *got)
{
  double lo = 0.0, hi = 1.2;
  AqGeometry *best = NULL;
  gint64 best_diff = G_MAXINT64;

  for (int i = 0; i < 14; i++)
    {
      double mid = (lo + hi) / 2;
      g_autoptr(AqGeometry) g = square (mid);
      g_autoptr(GError) error = NULL;
      g_autoptr(AqOutageArea) area = aq_outage_area_analyze (db, g, NULL, &error);
      gint64 value;

      if (area == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          exit (1);
        }
      value = messages ? area->sms_recipients + area->wechat_recipients : area->accounts;
      if (ABS (value - target) < best_diff)
        {
          best_diff = ABS (value - target);
          aq_geometry_free (best);
          best = aq_geometry_copy (g);
          *got = value;
        }
      if (value < target)
        lo = mid;
      else
        hi = mid;
      if (best_diff < target / 200)
        break;
    }
  return best;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autoptr(GArray) analysis_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) enqueue_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(AqGeometry) area_geom = NULL, notice_geom = NULL;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  double share = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 0.10;
  gint64 messages = argc > 2 ? g_ascii_strtoll (argv[2], NULL, 10) : 100000;
  gint64 total = 0, accounts = 0, recipients = 0, outage_id;
  gint64 counted = 0;

  setlocale (LC_ALL, "");
  if (url == NULL || *url == '\0' || share <= 0 || share > 1 || messages <= 0)
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [SHARE] [MESSAGES]\n", argv[0]);
      return 2;
    }
  aq_core_init ();
  db = aq_db_connect (url, &error);
  if (db == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 3;
    }
  res = aq_db_query (db, "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e),"
                         "  (SELECT count(*) FROM dw.dim_account WHERE status <> 'closed')"
                         " FROM (SELECT ST_Extent(geom)::geometry AS e FROM dw.dim_premise) s",
                     0, NULL, &error);
  if (res == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  min_lon = g_ascii_strtod (PQgetvalue (res, 0, 0), NULL);
  min_lat = g_ascii_strtod (PQgetvalue (res, 0, 1), NULL);
  max_lon = g_ascii_strtod (PQgetvalue (res, 0, 2), NULL);
  max_lat = g_ascii_strtod (PQgetvalue (res, 0, 3), NULL);
  total = g_ascii_strtoll (PQgetvalue (res, 0, 4), NULL, 10);

  /* the analysis */
  area_geom = grow (db, FALSE, (gint64) (total * share), &accounts);
  for (int i = 0; i < 8; i++)
    {
      g_autoptr(AqOutageArea) area = NULL;
      gint64 start = g_get_monotonic_time ();
      double ms;

      area = aq_outage_area_analyze (db, area_geom, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (area == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      counted = area->accounts;
      if (i > 0)
        g_array_append_val (analysis_ms, ms);
    }
  median (analysis_ms);  /* sorts: min and max below */
  printf ("outage analysis, %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT
          " accounts in the area: median %.1f ms of %u runs (min %.1f, max %.1f)\n",
          counted, total, (median (analysis_ms)), analysis_ms->len,
          g_array_index (analysis_ms, double, 0),
          g_array_index (analysis_ms, double, analysis_ms->len - 1));

  /* the enqueueing, on an outbox without dead rows of earlier runs */
  aq_db_exec (db, "VACUUM notify.message", NULL);
  notice_geom = grow (db, TRUE, messages, &recipients);
  {
    g_autoptr(GDateTime) start = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) end = g_date_time_add_hours (start, 8);
    AqOutageSpec spec = { "emergency", "bench", start, end, notice_geom, "bench" };
    gint64 t0 = g_get_monotonic_time ();

    outage_id = aq_outage_create (db, &spec, &error);
    if (outage_id == 0)
      {
        fprintf (stderr, "%s\n", error->message);
        return 1;
      }
    printf ("outage saved with its accounts in %.0f ms\n", (g_get_monotonic_time () - t0) / 1000.0);
  }
  for (int i = 0; i < 3; i++)
    {
      AqCampaignSpec spec = { outage_id, "outage", aq_template_default ("outage"), "bench-a",
                              "bench-b", NULL, NULL };
      gint64 start = g_get_monotonic_time (), campaign;
      double ms;
      g_autofree char *id = NULL;
      gint64 written = 0;

      campaign = aq_campaign_create (db, &spec, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (campaign == 0)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      g_array_append_val (enqueue_ms, ms);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, campaign);
      {
        const char *params[] = { id };

        aq_db_query_int64 (db, "SELECT count(*) FROM notify.message WHERE campaign_id = $1", 1,
                           params, &written, NULL);
        printf ("  run %d: %" G_GINT64_FORMAT " messages in %.0f ms\n", i + 1, written, ms);
        g_clear_pointer (&res, PQclear);
        res = aq_db_query (db, "DELETE FROM notify.message WHERE campaign_id = $1", 1, params, NULL);
        g_clear_pointer (&res, PQclear);
        res = aq_db_query (db, "DELETE FROM notify.campaign WHERE campaign_id = $1", 1, params, NULL);
        /* each run starts from an outbox without the last one's dead rows in its indexes */
        aq_db_exec (db, "VACUUM notify.message", NULL);
      }
    }
  {
    g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, outage_id);
    const char *params[] = { id };

    g_clear_pointer (&res, PQclear);
    res = aq_db_query (db, "DELETE FROM notify.outage WHERE outage_id = $1", 1, params, NULL);
  }
  printf ("enqueueing a notice of %" G_GINT64_FORMAT " messages (campaign + outbox, one"
          " transaction): median %.0f ms of %u runs\n",
          recipients, median (enqueue_ms), enqueue_ms->len);
  return 0;
}

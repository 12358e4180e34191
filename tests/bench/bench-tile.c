/* bench-tile.c — how long the offline basemap takes to draw one tile, uncached
 *
 *   AQUEDUCT_DATABASE_URL=… builddir/tests/bench/bench-tile [TILES_PER_ZOOM] [--dump DIR]
 *
 * Takes TILES_PER_ZOOM (default 12) tiles at each zoom 12…17 spread over the districts' extent
 * (the city), renders each three times through aq_tile_renderer_render() without a cache (the
 * SQL, the drawing and the PNG encoding: what a first visit costs) and prints the median per
 * zoom and over all tiles, in milliseconds. --dump writes the tiles as z-x-y.png to look at.
 */
#include "aq-test-util.h"
#include "aq-tile-renderer.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  return values->len == 0 ? 0 : g_array_index (values, double, values->len / 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AqDb) db = NULL;
  g_autoptr(AqTileRenderer) renderer = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *extent = NULL;
  const char *url = g_getenv ("AQUEDUCT_DATABASE_URL");
  const char *dump = NULL;
  guint per_zoom = 12;
  double lon0, lat0, lon1, lat1;

  setlocale (LC_ALL, "");
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--dump") && i + 1 < argc)
      dump = argv[++i];
    else
      per_zoom = (guint) atoi (argv[i]);
  if (url == NULL || *url == '\0' || per_zoom == 0)
    {
      fprintf (stderr, "Usage: AQUEDUCT_DATABASE_URL=… %s [TILES_PER_ZOOM] [--dump DIR]\n",
               argv[0]);
      return 2;
    }
  aq_core_init ();
  db = aq_db_connect (url, &error);
  if (db != NULL)
    extent = aq_db_query_string (db, "SELECT ST_XMin(e) || ' ' || ST_YMin(e) || ' ' ||"
                                     " ST_XMax(e) || ' ' || ST_YMax(e)"
                                     " FROM (SELECT ST_Extent(geom) AS e FROM dw.dim_district) s",
                                 0, NULL, &error);
  if (extent == NULL || sscanf (extent, "%lf %lf %lf %lf", &lon0, &lat0, &lon1, &lat1) != 4)
    {
      fprintf (stderr, "%s\n", error ? error->message : "The warehouse has no districts.");
      return 3;
    }

  renderer = aq_tile_renderer_new (url, NULL);
  /* one tile first: the connection and the prepared statement are not what is measured */
  g_bytes_unref (aq_tile_renderer_render (renderer, 12, 0, 0, 1, NULL, NULL));

  printf ("machine: %u cores; city extent %.4f,%.4f – %.4f,%.4f\n", g_get_num_processors (),
          lon0, lat0, lon1, lat1);
  for (guint zoom = 12; zoom <= 17; zoom++)
    {
      g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
      double tx0, ty0, tx1, ty1;
      guint nx, ny, n, bytes = 0;

      aq_tile_lon_lat_to_tile (lon0, lat1, zoom, &tx0, &ty0);
      aq_tile_lon_lat_to_tile (lon1, lat0, zoom, &tx1, &ty1);
      nx = (guint) tx1 - (guint) tx0 + 1;
      ny = (guint) ty1 - (guint) ty0 + 1;
      n = MIN (per_zoom, nx * ny);
      for (guint i = 0; i < n; i++)
        {
          /* spread evenly over the extent's tiles (a stride through the grid) */
          guint k = (guint) ((double) i * nx * ny / n);
          guint x = (guint) tx0 + k % nx;
          guint y = (guint) ty0 + k / nx;
          g_autoptr(GArray) runs = g_array_new (FALSE, FALSE, sizeof (double));

          for (guint r = 0; r < 3; r++)
            {
              gint64 start = g_get_monotonic_time ();
              g_autoptr(GBytes) png = aq_tile_renderer_render (renderer, zoom, x, y, 1,
                                                               NULL, &error);
              double t = (g_get_monotonic_time () - start) / 1000.0;

              if (png == NULL)
                {
                  fprintf (stderr, "%u/%u/%u: %s\n", zoom, x, y, error->message);
                  return 4;
                }
              bytes = g_bytes_get_size (png);
              g_array_append_val (runs, t);
              if (dump != NULL && r == 0)
                {
                  g_autofree char *name = g_strdup_printf ("%s/%u-%u-%u.png", dump, zoom, x, y);

                  g_file_set_contents (name, g_bytes_get_data (png, NULL), bytes, NULL);
                }
            }
          {
            double m = median (runs);

            g_array_append_val (ms, m);
            g_array_append_val (all, m);
          }
        }
      {
        double m = median (ms);

        printf ("  zoom %u: %u tiles (of %u over the city), median %.1f ms, max %.1f ms, "
                "last tile %u bytes\n", zoom, n, nx * ny, m,
                g_array_index (ms, double, ms->len - 1), bytes);
      }
    }
  printf ("basemap tile, uncached, zooms 12–17: median %.1f ms over %u tiles (aim ≤ 30 ms)\n",
          median (all), all->len);
  return 0;
}

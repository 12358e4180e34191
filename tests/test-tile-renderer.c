/* test-tile-renderer.c — the offline basemap's tiles, drawn from a small real demo warehouse
 *
 * A tile over the city is a PNG of the right size with the city on it (many colours, and the
 * river's colour where the warehouse says the river is); a tile far away is one colour; a
 * second request is read from the cache, byte for byte the same; a new dw_geo run changes
 * the cache key.
 */
#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "aq-test-util.h"
#include "aq-tile-renderer.h"

#define DB_NAME "t_tile_renderer"

static AqDb *db;
static char *cache_dir;

/* ---- helpers ---- */

typedef struct
{
  const guint8 *data;
  gsize         left;
} PngSource;

static cairo_status_t
png_read (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngSource *source = closure;

  if (source->left < length)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, source->data, length);
  source->data += length;
  source->left -= length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
decode (GBytes *png)
{
  PngSource source;
  cairo_surface_t *surface;

  source.data = g_bytes_get_data (png, &source.left);
  g_assert_cmpuint (source.left, >, 8);
  g_assert_cmpmem (source.data, 8, "\x89PNG\r\n\x1a\n", 8);
  surface = cairo_image_surface_create_from_png_stream (png_read, &source);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + 4 * x) & 0xffffff;
}

static guint
count_colours (cairo_surface_t *surface)
{
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);

  cairo_surface_flush (surface);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      g_hash_table_add (colours, GUINT_TO_POINTER (pixel (surface, x, y)));
  return g_hash_table_size (colours);
}

static GBytes *
render (AqTileRenderer *renderer,
        guint           zoom,
        guint           x,
        guint           y,
        guint           scale)
{
  g_autoptr(GError) error = NULL;
  GBytes *png = aq_tile_renderer_render (renderer, zoom, x, y, scale, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (png);
  return png;
}

/* ---- tests ---- */

static void
test_city_tile (void)
{
  g_autoptr(AqTileRenderer) renderer = aq_tile_renderer_new (NULL, NULL);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) png2x = NULL;
  g_autofree char *river = NULL;
  cairo_surface_t *surface;
  double lon, lat, tx, ty;
  guint zoom = 15;

  /* a point well inside the river, from the warehouse itself */
  river = aq_test_query_string (db, "SELECT ST_X(p) || ' ' || ST_Y(p) FROM"
                                    " (SELECT ST_PointOnSurface(ST_Buffer(geom, -0.001)) AS p"
                                    "  FROM dw.gis_river LIMIT 1) s");
  g_assert_nonnull (river);
  g_assert_cmpint (sscanf (river, "%lf %lf", &lon, &lat), ==, 2);
  aq_tile_lon_lat_to_tile (lon, lat, zoom, &tx, &ty);

  png = render (renderer, zoom, (guint) tx, (guint) ty, 1);
  surface = decode (png);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 256);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 256);
  g_assert_cmpuint (count_colours (surface), >, 3);
  /* the river's blue where the river is (0.67, 0.83, 0.87 in the renderer) */
  {
    guint32 c = pixel (surface, (int) ((tx - (guint) tx) * 256), (int) ((ty - (guint) ty) * 256));
    guint r = (c >> 16) & 0xff, g = (c >> 8) & 0xff, b = c & 0xff;

    g_assert_cmpuint (b, >, r);
    g_assert_cmpuint (g, >, r);
  }
  cairo_surface_destroy (surface);

  png2x = render (renderer, zoom, (guint) tx, (guint) ty, 2);
  surface = decode (png2x);
  g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 512);
  g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 512);
  cairo_surface_destroy (surface);

  /* x beyond 2^zoom is refused, not drawn */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) none = aq_tile_renderer_render (renderer, 3, 8, 0, 1, NULL, &error);

    g_assert_null (none);
    g_assert_error (error, AQ_ERROR, AQ_ERROR_INVALID);
  }
}

static void
test_far_tile_blank (void)
{
  g_autoptr(AqTileRenderer) renderer = aq_tile_renderer_new (NULL, NULL);
  g_autoptr(GBytes) png = NULL;
  cairo_surface_t *surface;
  double tx, ty;

  /* the Gulf of Guinea, at the city's zoom */
  aq_tile_lon_lat_to_tile (0.5, 0.5, 15, &tx, &ty);
  png = render (renderer, 15, (guint) tx, (guint) ty, 1);
  surface = decode (png);
  g_assert_cmpuint (count_colours (surface), ==, 1);
  cairo_surface_destroy (surface);
}

static void
test_cache (void)
{
  g_autoptr(AqTileRenderer) renderer = aq_tile_renderer_new (NULL, cache_dir);
  g_autoptr(AqTileRenderer) again = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) third = NULL;
  g_autofree char *path = NULL;
  g_autofree char *path2 = NULL;
  g_autoptr(GError) error = NULL;
  double tx, ty;

  aq_tile_lon_lat_to_tile (119.30, 26.08, 14, &tx, &ty);
  path = aq_tile_renderer_get_cache_path (renderer, 14, (guint) tx, (guint) ty, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, cache_dir));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  first = render (renderer, 14, (guint) tx, (guint) ty, 1);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* a different renderer (as after a restart) reads the file: the same bytes */
  again = aq_tile_renderer_new (NULL, cache_dir);
  second = render (again, 14, (guint) tx, (guint) ty, 1);
  g_assert_true (g_bytes_equal (first, second));

  /* the file is what is served: change it and the change comes back */
  g_assert_true (g_file_set_contents (path, "\x89PNG\r\n\x1a\nnot really", 18, NULL));
  g_clear_object (&again);
  again = aq_tile_renderer_new (NULL, cache_dir);
  third = render (again, 14, (guint) tx, (guint) ty, 1);
  g_assert_cmpuint (g_bytes_get_size (third), ==, 18);

  /* a new run of the GIS pipeline gives the tiles a new key */
  g_assert_true (aq_db_exec (db, "INSERT INTO meta.pipeline_run (pipeline, status, finished_at)"
                                 " VALUES ('dw_geo', 'succeeded', clock_timestamp())", &error));
  g_assert_no_error (error);
  g_clear_object (&again);
  again = aq_tile_renderer_new (NULL, cache_dir);
  path2 = aq_tile_renderer_get_cache_path (again, 14, (guint) tx, (guint) ty, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, !=, path2);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *conninfo = NULL;
  int ret;

  conninfo = aq_test_conninfo (DB_NAME);
  g_setenv ("AQUEDUCT_DATABASE_URL", conninfo, TRUE);

  g_test_init (&argc, &argv, NULL);
  aq_core_init ();

  cache_dir = g_dir_make_tmp ("aq-tiles-XXXXXX", NULL);
  g_assert_nonnull (cache_dir);
  db = aq_test_demo_db_new (DB_NAME, 2000, 13);

  g_test_add_func ("/tile-renderer/city", test_city_tile);
  g_test_add_func ("/tile-renderer/far-away-is-blank", test_far_tile_blank);
  g_test_add_func ("/tile-renderer/cache", test_cache);
  ret = g_test_run ();
  g_clear_object (&db);
  remove_tree (cache_dir);
  g_free (cache_dir);
  return ret;
}

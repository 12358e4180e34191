/* test-fuzz-corpus.c — every file of tests/fuzz/corpus/<harness>/ through its harness
 *
 * The seeds and every input a fuzzer found a crash with, replayed by the normal build through
 * the entry points the libFuzzer harnesses use (aq-fuzz-targets.c): a reader that crashes,
 * warns or breaks an invariant on any of them again fails here.
 */
#include "aq-fuzz-targets.h"

#include <gio/gio.h>

static void
replay (gconstpointer data)
{
  const char *name = data;
  AqFuzzTarget target = aq_fuzz_target_lookup (name);
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", name, NULL);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(GError) error = NULL;
  const char *file;
  guint n = 0;

  g_assert_nonnull (target);
  listing = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((file = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, file, NULL);
      g_autofree char *contents = NULL;
      gsize size = 0;

      g_file_get_contents (path, &contents, &size, &error);
      g_assert_no_error (error);
      g_test_message ("%s/%s (%" G_GSIZE_FORMAT " bytes)", name, file, size);
      target ((const guint8 *) contents, size);
      n++;
    }
  g_test_message ("%u inputs replayed through %s", n, name);
  /* seeds at least: an empty folder would make this test pass by doing nothing */
  g_assert_cmpuint (n, >=, 5);
}

int
main (int   argc,
      char *argv[])
{
  static const char *names[] = { "phone", "geojson", "report-spec", "pipeline", "receipt",
                                 "ktr", "api-xml" };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strconcat ("/fuzz-corpus/", names[i], NULL);

      g_test_add_data_func (path, names[i], replay);
    }
  return g_test_run ();
}

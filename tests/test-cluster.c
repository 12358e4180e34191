/* test-cluster.c — the suite's first and last test: create, then drop, the shared cluster */
#include "aq-test-util.h"

#include <string.h>

int
main (int   argc,
      char *argv[])
{
  if (argc > 1 && strcmp (argv[1], "drop") == 0)
    {
      aq_test_cluster_drop ();
      return 0;
    }
  g_free (aq_test_cluster_ensure ());
  return 0;
}

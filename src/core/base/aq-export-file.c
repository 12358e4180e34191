/* aq-export-file.c — an export written atomically
 *
 * The temporary file sits in the target's own folder so the final rename is atomic (same
 * file system) and a reader never sees half a workbook; it is hidden (a leading dot) so a
 * file manager does not offer it while it grows.
 */
#define G_LOG_DOMAIN "aq-export-file"

#include "config.h"

#include "aq-export-file.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aq-error.h"

struct _AqExportFile
{
  char     *path;
  char     *temp_path;
  gboolean  committed;
};

AqExportFile *
aq_export_file_new (const char  *path,
                    GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *temp = NULL;
  AqExportFile *self;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  if (*path == '\0' || g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("“%s” is not a file name to export to"),
                   path);
      return NULL;
    }
  dir = g_path_get_dirname (path);
  base = g_path_get_basename (path);
  temp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  fd = g_mkstemp (temp);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, AQ_ERROR, AQ_ERROR_INVALID, _("Cannot write the export “%s”: %s"),
                   path, g_strerror (saved));
      return NULL;
    }
  close (fd);
  self = g_new0 (AqExportFile, 1);
  self->path = g_strdup (path);
  self->temp_path = g_steal_pointer (&temp);
  return self;
}

const char *
aq_export_file_get_temp_path (AqExportFile *self)
{
  return self->temp_path;
}

const char *
aq_export_file_get_path (AqExportFile *self)
{
  return self->path;
}

gboolean
aq_export_file_commit (AqExportFile  *self,
                       GError       **error)
{
  /* mkstemp made it 0600, and so it stays: an export can hold customers' personal data, which
   * other users of the machine must not read. */
  if (g_chmod (self->temp_path, 0600) != 0 || g_rename (self->temp_path, self->path) != 0)
    {
      int saved = errno;

      g_set_error (error, AQ_ERROR, AQ_ERROR_FAILED, _("Cannot write the export “%s”: %s"),
                   self->path, g_strerror (saved));
      return FALSE;
    }
  self->committed = TRUE;
  return TRUE;
}

void
aq_export_file_free (AqExportFile *self)
{
  if (self == NULL)
    return;
  if (!self->committed)
    g_unlink (self->temp_path);
  g_free (self->path);
  g_free (self->temp_path);
  g_free (self);
}

guint
aq_export_display_width (const char *text)
{
  guint width = 0;

  if (text == NULL)
    return 0;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

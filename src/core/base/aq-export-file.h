/* aq-export-file.h — an export written atomically: a temporary file beside the target,
 * renamed over it only when complete */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AqExportFile AqExportFile;

/* Creates the temporary file (empty, closed) in @path's folder: fails now, naming @path, when
 * the folder is missing or not writable, before any work is done. */
AqExportFile *aq_export_file_new          (const char    *path,
                                           GError       **error);
const char   *aq_export_file_get_temp_path (AqExportFile *self);
const char   *aq_export_file_get_path      (AqExportFile *self);
/* Gives the file the usual permissions (0666 less the umask) and renames it over the target. */
gboolean      aq_export_file_commit       (AqExportFile  *self,
                                           GError       **error);
/* Removes the temporary file unless committed. */
void          aq_export_file_free         (AqExportFile  *self);

/* How many columns @text takes in a spreadsheet or a terminal: CJK and fullwidth count 2. */
guint         aq_export_display_width     (const char    *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqExportFile, aq_export_file_free)

G_END_DECLS

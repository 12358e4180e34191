/* aq-ktr-import.h — a Kettle/PDI transformation (.ktr) read into one of our pipelines */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* a .ktr larger than this is refused before it is parsed (real ones are tens of KB) */
#define AQ_KTR_MAX_BYTES (8 * 1024 * 1024)

typedef struct
{
  char *name;   /* the Kettle step's name */
  char *type;   /* its Kettle type, e.g. "ScriptValueMod" */
  char *why;    /* why it was not mapped */
} AqKtrUnmapped;

typedef struct
{
  char       *kettle_name;  /* the <connection>'s name */
  char       *name;         /* the connection the pipeline names: mapped, or the same name */
  char       *database;     /* Kettle's type, e.g. POSTGRESQL */
  char       *url;          /* a libpq URL without password, NULL for non-PostgreSQL types */
  gboolean    mapped;       /* --connection mapped it onto an existing connection */
} AqKtrConnection;

typedef struct
{
  char       *name;         /* the pipeline's name (the transformation's, made an identifier) */
  char       *json;         /* the pipeline, pretty JSON */
  GPtrArray  *unmapped;     /* (element-type AqKtrUnmapped) in the file's order */
  GPtrArray  *connections;  /* (element-type AqKtrConnection) the ones the steps use */
  GPtrArray  *notes;        /* (element-type utf8) what was approximated, e.g. disabled hops */
  guint       n_steps;      /* Kettle steps read */
} AqKtrImport;

void         aq_ktr_import_free (AqKtrImport  *import);
AqKtrImport *aq_ktr_import_data (const char   *data,
                                 gsize         length,
                                 GHashTable   *connection_map,
                                 GError      **error);
AqKtrImport *aq_ktr_import_file (const char   *path,
                                 GHashTable   *connection_map,
                                 GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AqKtrImport, aq_ktr_import_free)

G_END_DECLS

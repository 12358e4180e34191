/* aq-ktr-import-private.h — what aq-ktr-import.c and aq-ktr-import-steps.c share; no one else */
#pragma once

#include <json-glib/json-glib.h>
#include <libxml/tree.h>

#include "aq-ktr-import.h"

G_BEGIN_DECLS

/* One Kettle step while it is imported. */
typedef struct
{
  xmlNode    *node;
  char       *name;          /* Kettle's */
  char       *type;
  char       *entry;         /* our step that takes its input rows */
  char       *exit;          /* our step that gives its output rows (the same for most) */
  gboolean    has_position;
  int         x, y;
  gboolean    unmapped;
  gboolean    absorbed;      /* became part of another step (a stream lookup's table) */
  char       *false_to;      /* a filter: the Kettle step its false rows go to */
  char       *false_id;      /* … and our negated filter that gives them */
  char       *lookup_from;   /* a stream lookup: the Kettle step of its lookup stream */
  const char *append_tail;   /* an append: the Kettle step whose rows come second */
} KtrStep;

typedef struct
{
  xmlNode      *root;
  GHashTable   *connection_map;
  GPtrArray    *ksteps;      /* (element-type KtrStep) in the file's order */
  GHashTable   *by_name;     /* Kettle name → KtrStep */
  GHashTable   *ids;         /* our ids taken */
  JsonArray    *steps;
  JsonArray    *edges;
  AqKtrImport  *result;
} KtrContext;

xmlNode    *_aq_ktr_child        (xmlNode     *node,
                                  const char  *name);
char       *_aq_ktr_text         (xmlNode     *node,
                                  const char  *name);
gboolean    _aq_ktr_flag         (xmlNode     *node,
                                  const char  *name);
char       *_aq_ktr_identifier   (const char  *name,
                                  const char  *fallback);
char       *_aq_ktr_unique_id    (KtrContext  *ctx,
                                  const char  *base);
void        _aq_ktr_note         (KtrContext  *ctx,
                                  const char  *format,
                                  ...) G_GNUC_PRINTF (2, 3);
JsonObject *_aq_ktr_add_step     (KtrContext  *ctx,
                                  KtrStep     *ks,
                                  const char  *id,
                                  const char  *type,
                                  int          dx);
void        _aq_ktr_add_edge     (KtrContext  *ctx,
                                  const char  *from,
                                  const char  *to);
const char *_aq_ktr_connection   (KtrContext  *ctx,
                                  const char  *kettle_name);

/* aq-ktr-import-steps.c */
void        _aq_ktr_prepare_step (KtrContext  *ctx,
                                  KtrStep     *ks);
char       *_aq_ktr_map_step     (KtrContext  *ctx,
                                  KtrStep     *ks);

G_END_DECLS

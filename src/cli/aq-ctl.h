/* aq-ctl.h — what the aqueductctl commands share */
#pragma once

#include <json-glib/json-glib.h>

#include "aqueduct-core.h"

G_BEGIN_DECLS

/* Exit codes scripts can act on. */
enum
{
  AQ_CTL_OK = 0,
  AQ_CTL_FAILED = 1,      /* the work failed; the warehouse is as it was */
  AQ_CTL_USAGE = 2,       /* bad command line or bad input file */
  AQ_CTL_UNAVAILABLE = 3, /* the warehouse cannot be reached */
};

typedef int (*AqCtlCommand) (int argc, char **argv);

int  aq_ctl_warehouse    (int argc, char **argv);
int  aq_ctl_migrate      (int argc, char **argv);
int  aq_ctl_demo         (int argc, char **argv);
int  aq_ctl_pipeline     (int argc, char **argv);
int  aq_ctl_customer     (int argc, char **argv);
int  aq_ctl_report       (int argc, char **argv);
int  aq_ctl_outage       (int argc, char **argv);
int  aq_ctl_notify       (int argc, char **argv);
int  aq_ctl_job          (int argc, char **argv);
int  aq_ctl_user         (int argc, char **argv);
int  aq_ctl_network      (int argc, char **argv);
int  aq_ctl_catalog      (int argc, char **argv);
int  aq_ctl_quality      (int argc, char **argv);
/* aq-ctl-pipeline-store.c: the pipeline verbs on the store, backfills, the graph, Kettle */
gboolean aq_ctl_pipeline_store_handles (const char *verb);
int  aq_ctl_pipeline_store (int argc, char **argv);
int  aq_ctl_api          (int argc, char **argv);

int  aq_ctl_fail         (GError      *error);
int  aq_ctl_usage        (const char  *usage,
                          const char  *message);
gboolean aq_ctl_parse    (GOptionContext *context,
                          int            *argc,
                          char         ***argv,
                          int            *exit_code);
void aq_ctl_print_json   (JsonNode    *node);
void aq_ctl_progress     (double       fraction,
                          const char  *message,
                          gpointer     user_data);
void aq_ctl_progress_done (void);
GCancellable *aq_ctl_cancellable (void);
/* aq-ctl-notify.c: what a cancelled notice or outage withdrew, and what had already left */
void aq_ctl_print_withdrawn (const char *what,
                             gint64      id,
                             gint64      withdrawn,
                             gint64      sent,
                             gboolean    json);

G_END_DECLS

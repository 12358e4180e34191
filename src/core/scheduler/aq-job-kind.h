/* aq-job-kind.h — what a scheduled job can do: the small interface new kinds implement
 *
 * A kind has a name (meta.job.kind), checks a target before a job is saved, and runs a
 * target on a worker thread with a connection string of its own. The scheduler knows kinds
 * only through this registry: quality rule sets, report deliveries or dashboard snapshots add
 * a kind by calling aq_job_kind_register() from their own module, touching nothing here.
 */
#pragma once

#include <gio/gio.h>

#include "aq-db.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;          /* as stored in meta.job.kind, e.g. "pipeline" */
  const char *description;   /* N_(): one line for `aqueductctl job kinds` and the panel */

  /* Whether @target means something to this kind (e.g. a known pipeline); NULL: any
   * non-empty target. Errors are AQ_ERROR_INVALID or AQ_ERROR_NOT_FOUND. */
  gboolean  (*validate) (const char    *target,
                         GError       **error);

  /* Runs @target against the warehouse at @conninfo, on the calling (worker) thread, until
   * done or @cancellable is cancelled (then fail with G_IO_ERROR_CANCELLED, leaving the
   * warehouse as it was if the kind can). Returns a short log excerpt for meta.job_run
   * (transfer full). A run may be repeated after a crash: a kind should be idempotent. */
  char     *(*run)      (const char    *target,
                         const char    *conninfo,
                         GCancellable  *cancellable,
                         GError       **error);

  /* Optional: checks @target against the warehouse a job is saved in (aq_job_add), e.g. that
   * a stored pipeline exists. NULL: validate alone decides. */
  gboolean  (*validate_db) (const char  *target,
                            AqDb        *db,
                            GError     **error);
} AqJobKind;

/* Registers @kind (static storage; a later registration of the same name replaces it). */
void             aq_job_kind_register (const AqJobKind  *kind);
const AqJobKind *aq_job_kind_lookup   (const char       *name);
/* The registered kinds' names, sorted (transfer full). */
char           **aq_job_kind_list     (void);
gboolean         aq_job_kind_validate (const char       *kind,
                                       const char       *target,
                                       GError          **error);
gboolean         aq_job_kind_validate_db (const char    *kind,
                                          const char    *target,
                                          AqDb          *db,
                                          GError       **error);

/* The built-in kinds (aq-job-kinds.c): registered on first use of the registry. */
void             _aq_job_kinds_register_builtin (void);

G_END_DECLS

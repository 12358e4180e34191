/* aqueduct-core.h — everything of libaqueduct that is not drawing */
#pragma once

#include "aq-core.h"
#include "aq-connection.h"
#include "aq-db.h"
#include "aq-error.h"
#include "aq-health.h"
#include "aq-keyring.h"
#include "aq-local-warehouse.h"
#include "aq-migrations.h"
#include "aq-overview.h"
#include "aq-pipeline-compiler.h"
#include "aq-pipeline-runner.h"
#include "aq-pipeline-step.h"
#include "aq-pipeline.h"
#include "aq-profile.h"
#include "aq-progress.h"

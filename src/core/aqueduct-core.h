/* aqueduct-core.h — everything of libaqueduct that is not drawing */
#pragma once

#include "aq-core.h"
#include "aq-connection.h"
#include "aq-copy-writer.h"
#include "aq-day.h"
#include "aq-db.h"
#include "aq-error.h"
#include "aq-local-warehouse.h"
#include "aq-migrations.h"
#include "aq-progress.h"
#include "aq-random.h"
#include "aq-simulator.h"

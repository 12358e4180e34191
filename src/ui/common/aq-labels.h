/* aq-labels.h — kept for the panels that include it: the labels live in core now
 * (src/core/customer/aq-customer-labels.h), shared with the CLI and the exports. */
#pragma once

#include "aq-customer-labels.h"

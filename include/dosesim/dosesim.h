/**
 * @file dosesim.h
 * @brief Everything of libdosesim: include this one header.
 */
#ifndef DOSESIM_H
#define DOSESIM_H

#include "dosesim/accuracy.h"
#include "dosesim/backfill.h"
#include "dosesim/control.h"
#include "dosesim/csv.h"
#include "dosesim/design.h"
#include "dosesim/engine.h"
#include "dosesim/enrol.h"
#include "dosesim/error.h"
#include "dosesim/exact.h"
#include "dosesim/fileio.h"
#include "dosesim/interval.h"
#include "dosesim/key.h"
#include "dosesim/listing.h"
#include "dosesim/markup.h"
#include "dosesim/oc.h"
#include "dosesim/optimise.h"
#include "dosesim/paths.h"
#include "dosesim/presets.h"
#include "dosesim/report.h"
#include "dosesim/rng.h"
#include "dosesim/rolling_six.h"
#include "dosesim/sampler.h"
#include "dosesim/scenario.h"
#include "dosesim/schema.h"
#include "dosesim/sha256.h"
#include "dosesim/shard.h"
#include "dosesim/stages.h"
#include "dosesim/tally.h"
#include "dosesim/text.h"
#include "dosesim/timing.h"
#include "dosesim/tree.h"
#include "dosesim/version.h"

#endif

/* The engine's private side, shared by its core (engine.c) and the single
 * traced trial (trace.c). */
#ifndef DOSESIM_ENGINE_INTERNAL_H
#define DOSESIM_ENGINE_INTERNAL_H

#include "dosesim/engine.h"

/* One trial the direct way, by the design's family, its counts left in
 * worker->trial; each cohort or event recorded if trace is given; *rp2d is the
 * RP2D level, -1 for none. Returns 0; DS_ERR_BAD_PARAM if the design reached a
 * state its rules cannot handle; DS_ERR_NOMEM; DS_ERR_OVERFLOW from the calendar. */
int ds_engine_simulate_trial(const ds_engine_t *self, ds_rng_t *rng, ds_worker_t *worker,
                             ds_trace_t *trace, int *rp2d);

#endif

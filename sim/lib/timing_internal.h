/* timing.c's private side, for its own tests (tests/test_timing.c): the
 * event loop alone, without the scan that stands in for it when nobody leaves
 * early, so that the tests can hold the two to the same calendar. */
#ifndef DOSESIM_TIMING_INTERNAL_H
#define DOSESIM_TIMING_INTERNAL_H

#include "dosesim/timing.h"

/** ds_calendar_cohort, always by the event loop. */
int ds_calendar_cohort_by_events(ds_calendar_t *calendar, const ds_timing_t *timing,
                                 ds_cohort_rule_t rule, int level, int n, int dlt, gsl_rng *rng,
                                 ds_cohort_log_t *log);

#endif

/* A single trial, told cohort by cohort (or event by event): replayed from
 * the start of its block, with the same draws as any run containing it. */
#include "dosesim/engine.h"

#include <stdlib.h>
#include <string.h>

#include "engine_internal.h"

void ds_trace_free(ds_trace_t *trace)
{
    for (int i = 0; trace->cohorts != NULL && i < trace->n_cohorts; i++) {
        ds_cohort_log_free(&trace->cohorts[i].calendar);
    }
    free(trace->cohorts);
    free(trace->backfilled);
    ds_event_log_free(&trace->events);
    memset(trace, 0, sizeof(*trace));
}

/* Count a patient of a cohort log into a standing at day t. */
static void stand(ds_standing_t *s, const ds_patient_log_t *p, double t)
{
    s->treated++;
    if (p->outcome > t) {
        s->pending++;
    } else if (p->fate == DS_PATIENT_LEAVES) {
        s->nonevaluable++;
    } else {
        s->evaluable++;
        s->dlts += p->fate == DS_PATIENT_DLT;
    }
}

/* Each cohort's standing at its decision, from the logs of the cohorts at its
 * level so far: an outcome known on the day of the decision counts, as the
 * calendar counted it. */
static void standings(ds_trace_t *trace)
{
    for (int k = 0; k < trace->n_cohorts; k++) {
        ds_traced_cohort_t *c = &trace->cohorts[k];
        ds_standing_t *own = &c->cohort_at_decision, *level = &c->level_at_decision;
        memset(own, 0, sizeof(*own));
        memset(level, 0, sizeof(*level));
        if (!trace->timed) {
            *own = (ds_standing_t){.treated = c->n, .evaluable = c->n, .dlts = c->dlt};
            *level = (ds_standing_t){.treated = c->level_patients,
                                     .evaluable = c->level_patients,
                                     .dlts = c->level_dlts};
            continue;
        }
        const double t = c->calendar.decided;
        for (int i = 0; i < c->calendar.n_patients; i++) {
            stand(own, &c->calendar.patients[i], t);
        }
        for (int j = 0; j <= k; j++) {
            const ds_cohort_log_t *log = &trace->cohorts[j].calendar;
            for (int i = 0; trace->cohorts[j].level == c->level && i < log->n_patients; i++) {
                stand(level, &log->patients[i], t);
            }
        }
        level->vacant = c->level_patients - level->evaluable - level->pending;
    }
}

int ds_engine_trace(const ds_engine_t *self, uint64_t seed, uint64_t trial, ds_trace_t *trace)
{
    memset(trace, 0, sizeof(*trace));
    if (trial >= DS_MAX_TRIALS) {
        return DS_ERR_BAD_PARAM;
    }
    ds_worker_t worker;
    int ret = ds_worker_init(&worker, self, false);
    if (ret != 0) {
        return ret;
    }
    /* The trial's block, from its start: the trials before it use up their draws. */
    const uint64_t block = trial / DS_BLOCK_TRIALS;
    ds_rng_t rng;
    ds_rng_seed(&rng, seed, block);
    if (worker.timing_rng != NULL) {
        ds_engine_timing_stream(ds_rng_of_gsl(worker.timing_rng), seed, block);
    }
    int rp2d = -1;
    for (uint64_t i = block * DS_BLOCK_TRIALS; i <= trial && ret == 0; i++) {
        ret = ds_engine_simulate_trial(self, &rng, &worker, i == trial ? trace : NULL, &rp2d);
    }
    if (ret == 0) {
        trace->trial = trial;
        trace->rp2d = rp2d;
        trace->state = worker.trial;
        trace->timed = worker.timing_rng != NULL;
        trace->calendar = worker.calendar;
        standings(trace);
    }
    if (ret == 0 && self->timing.backfill_max > 0) {
        const ds_backfill_t *b = &worker.backfill;
        trace->backfills = true;
        trace->backfilled = malloc(((size_t)b->n_patients + 1u) * sizeof(*trace->backfilled));
        ret = trace->backfilled == NULL ? DS_ERR_NOMEM : 0;
        for (int i = 0; ret == 0 && i < b->n_patients; i++) {
            trace->backfilled[i] = b->patients[i];
        }
        trace->n_backfilled = ret == 0 ? b->n_patients : 0;
        for (int d = 0; d < self->n_levels; d++) {
            trace->backfill_closed[d] = b->closed[d];
            trace->backfill_closed_on[d] = b->closed_on[d];
        }
    }
    ds_worker_free(&worker);
    return ret;
}

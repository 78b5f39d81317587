/* Trials that enrol one patient at a time, on calendar time: the events are
 * arrivals (enrolled if the design takes a patient, else turned away) and
 * outcomes, taken in time order; after each the design says what comes next. */
#include "dosesim/enrol.h"

#include <stdlib.h>
#include <string.h>

#include "log_room.h"

void ds_event_log_free(ds_event_log_t *log)
{
    free(log->events);
    memset(log, 0, sizeof(*log));
}

static int log_event(ds_event_log_t *log, const ds_event_t *event)
{
    if (log == NULL) {
        return 0;
    }
    if (ds_log_room((void **)&log->events, log->n_events, &log->cap_events, sizeof(*log->events)) !=
        0) {
        return DS_ERR_NOMEM;
    }
    log->events[log->n_events++] = *event;
    return 0;
}

/* A patient in the DLT window whose outcome is not yet known. */
struct ds_pending {
    int level;
    int patient;
    ds_patient_fate_t fate;
    double at;
};

int ds_enrol_init(ds_enrol_t *self, const ds_design_t *design, int n_levels)
{
    /* A level holds at most the full count, pending or not. */
    self->cap = ds_design_full_count(design) * n_levels;
    self->pending = malloc((size_t)self->cap * sizeof(*self->pending));
    if (self->pending == NULL) {
        self->cap = 0;
        return DS_ERR_NOMEM;
    }
    return 0;
}

void ds_enrol_free(ds_enrol_t *self)
{
    free(self->pending);
    memset(self, 0, sizeof(*self));
}

int ds_enrol_trial(ds_enrol_t *self, const ds_design_t *design, const ds_timing_t *timing,
                   int n_levels, const double *p_dlt, const ds_sampler_t *sampler, ds_rng_t *rng,
                   gsl_rng *timing_rng, ds_trial_t *trial, ds_calendar_t *calendar,
                   ds_event_log_t *log, int *rp2d)
{
    ds_pending_t *pending = self->pending;
    int n_pending = 0, n_enrolled = 0;
    ds_calendar_start(calendar, n_levels);
    ds_action_t next = ds_design_start(design, trial, n_levels);
    double clock = 0.0;
    double next_arrival = -1.0; /* none drawn */
    double idle_from = 0.0;     /* since when arrivals are turned away, while they are */
    bool idle = false;
    while (next.kind == DS_ACTION_TREAT || next.kind == DS_ACTION_WAIT) {
        const bool open = next.kind == DS_ACTION_TREAT;
        if (open && next_arrival < 0.0) {
            /* Memorylessness: the wait for the next arrival may start now. */
            if (idle) {
                calendar->idle_days += clock - idle_from;
                idle = false;
            }
            next_arrival = ds_calendar_next_arrival(timing, clock, timing_rng);
        } else if (!open && !idle) {
            next_arrival = -1.0; /* it would be turned away; drawn afresh on reopening */
            idle = true;
            idle_from = clock;
        }
        int first = -1;
        for (int i = 0; i < n_pending; i++) {
            if (first < 0 || pending[i].at < pending[first].at) {
                first = i;
            }
        }
        ds_event_t event = {0};
        if (open && (first < 0 || next_arrival <= pending[first].at)) {
            const int level = next.level;
            if (n_pending == self->cap || level < 0 || level >= n_levels || next.n != 1) {
                return DS_ERR_BAD_PARAM;
            }
            clock = next_arrival;
            next_arrival = -1.0;
            const bool dlt = ds_sampler_patient_dlt(sampler, level, ds_rng_next(rng));
            ds_pending_t *patient = &pending[n_pending++];
            double delay = 0.0;
            patient->level = level;
            patient->patient = ++n_enrolled;
            patient->fate = ds_calendar_patient_fate(timing, p_dlt[level], dlt, timing_rng, &delay);
            patient->at = clock + delay;
            ds_trial_enrol(trial, level);
            ds_calendar_count_patient(calendar, level, patient->fate);
            event = (ds_event_t){.kind = DS_EVENT_ENROL,
                                 .patient = patient->patient,
                                 .level = level,
                                 .fate = patient->fate,
                                 .outcome_day = patient->at};
        } else if (first >= 0) {
            const ds_pending_t done = pending[first];
            pending[first] = pending[--n_pending];
            clock = done.at;
            ds_trial_outcome(trial, done.level, done.fate == DS_PATIENT_DLT,
                             done.fate != DS_PATIENT_LEAVES);
            event = (ds_event_t){.kind = DS_EVENT_OUTCOME,
                                 .patient = done.patient,
                                 .level = done.level,
                                 .fate = done.fate,
                                 .outcome_day = done.at};
        } else {
            return DS_ERR_BAD_PARAM; /* waiting with nobody pending: the rules are stuck */
        }
        next = ds_design_next(design, trial);
        event.day = clock;
        event.patients = trial->patients[event.level];
        event.dlts = trial->dlts[event.level];
        event.pending = trial->pending[event.level];
        event.treated = trial->treated[event.level];
        event.nonevaluable = trial->nonevaluable[event.level];
        event.next = next;
        if (log_event(log, &event) != 0) {
            return DS_ERR_NOMEM;
        }
    }
    if (next.kind != DS_ACTION_SELECT && next.kind != DS_ACTION_STOP) {
        return DS_ERR_BAD_PARAM;
    }
    if (idle) {
        calendar->idle_days += clock - idle_from;
    }
    /* The trial is decided; those still in their window go on to their outcome
     * (the calendar counted those who will leave early when they were enrolled). */
    for (int i = 0; i < n_pending; i++) {
        ds_trial_outcome(trial, pending[i].level, pending[i].fate == DS_PATIENT_DLT,
                         pending[i].fate != DS_PATIENT_LEAVES);
    }
    calendar->clock = clock;
    *rp2d = next.kind == DS_ACTION_SELECT ? next.level : -1;
    return ds_calendar_finish(calendar, timing, timing_rng);
}

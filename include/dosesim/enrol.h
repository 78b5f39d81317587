/**
 * @file enrol.h
 * @brief Trials of design families that enrol one patient at a time
 *        (ds_family_t.one_at_a_time, such as the rolling six), on calendar time.
 *
 * Patients arrive as a Poisson process and are enrolled one at a time as the
 * design directs (ds_design_next: TREAT one, or WAIT); arrivals while it
 * waits are turned away. Each patient's outcome is one draw from the block's
 * stream through the sampler (ds_sampler_patient_dlt); their times, and
 * whether they leave early, come from the calendar (ds_calendar_patient_fate)
 * on the timing stream. Patients still in their window at the final decision
 * count with the outcome they go on to have (followed to the end of their own
 * window, as with cohorts: timing.h), so that at the end treated = evaluable +
 * not evaluable.
 */
#ifndef DOSESIM_ENROL_H
#define DOSESIM_ENROL_H

#include <gsl/gsl_rng.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/rng.h"
#include "dosesim/sampler.h"
#include "dosesim/timing.h"

/** What a traced event was. */
typedef enum {
    DS_EVENT_ENROL = 1, /**< a patient was enrolled */
    DS_EVENT_OUTCOME    /**< an enrolled patient's outcome became known */
} ds_event_kind_t;

/** One event of a trial that enrols one at a time, as traces show it. */
typedef struct {
    ds_event_kind_t kind;
    double day;
    int patient; /**< 1-based, in order of enrolment */
    int level;
    ds_patient_fate_t fate; /**< what the patient will do (ENROL) or did (OUTCOME) */
    double outcome_day;     /**< when that happens */
    /** At the level, after the event, as ds_trial_t counts them: patients (the
     *  table's count: treated and not known to be non-evaluable), DLTs, those
     *  pending, all treated, and those who left early (treated = patients +
     *  nonevaluable; evaluable so far: patients - pending). */
    int patients, dlts, pending, treated, nonevaluable;
    ds_action_t next; /**< the rules' action after the event */
} ds_event_t;

/** A trial's events, for a trace. */
typedef struct {
    int n_events;
    int cap_events;
    ds_event_t *events;
} ds_event_log_t;

/** Free a log's events (the struct itself is the caller's). */
void ds_event_log_free(ds_event_log_t *log);

typedef struct ds_pending ds_pending_t;

/** Room for the patients of a trial still in their window: at most the
 *  design's full count at each level. */
typedef struct {
    int cap;
    ds_pending_t *pending; /**< [cap] */
} ds_enrol_t;

/**
 * @brief Room for trials of design over n_levels levels. Safe to free
 *        whatever it returns.
 * @return 0; DS_ERR_NOMEM.
 */
int ds_enrol_init(ds_enrol_t *self, const ds_design_t *design, int n_levels) DS_WARN_UNUSED;

/** Free the room (the struct itself is the caller's). */
void ds_enrol_free(ds_enrol_t *self);

/**
 * @brief One trial, from day 0 to its final decision, in self's room.
 * @param p_dlt [n_levels], for the departure probability
 * @param log if not NULL (a trace), every event is recorded in it
 * @param rp2d the RP2D level, or -1 for none
 * @return 0; DS_ERR_BAD_PARAM if the rules reached a state they cannot
 *         handle; DS_ERR_NOMEM; DS_ERR_OVERFLOW as ds_calendar_finish.
 */
int ds_enrol_trial(ds_enrol_t *self, const ds_design_t *design, const ds_timing_t *timing,
                   int n_levels, const double *p_dlt, const ds_sampler_t *sampler, ds_rng_t *rng,
                   gsl_rng *timing_rng, ds_trial_t *trial, ds_calendar_t *calendar,
                   ds_event_log_t *log, int *rp2d) DS_WARN_UNUSED;

#endif

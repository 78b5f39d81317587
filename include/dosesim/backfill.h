/**
 * @file backfill.h
 * @brief Backfill cohorts on calendar time: patients who would be turned away
 *        while the escalation waits are treated at a lower dose already cleared.
 *
 * The rules (--backfill-max M), after BF-BOIN (Zhao, Yuan, Korn & Freidlin,
 * Clin Cancer Res 2024;30:673-679) and crmPack's backfill (an opening rule, a
 * maximum per dose, the highest open dose first):
 * - who: a patient who arrives while every place of the escalation's cohort
 *   is taken (one the calendar would turn away, timing.h);
 * - where: the highest dose open for backfill. A dose is open while it is
 *   below the cohort's dose, the escalation has treated it and has not found
 *   it (or a dose below it) too toxic, fewer than M patients were backfilled
 *   there, and it has not been closed; with no dose open the patient is
 *   turned away;
 * - their outcome: a DLT with the dose's p_dlt (for an evaluable patient),
 *   at an onset in the window, or leaving early, as any patient enrolled one
 *   at a time (ds_calendar_patient_fate); they are not replaced;
 * - closing: a backfilled dose closes at the first moment its pooled counts
 *   (the escalation's, as its decisions recorded them, plus the backfilled
 *   patients' outcomes known by then) show it too toxic by the family's own
 *   bound (ds_family_t.pooled_too_toxic): for the stage tables, the rate that
 *   marks a dose too toxic on the full count (one DLT in three or more for
 *   the 3+3, its 2 of 6); for the interval designs, the decision table's
 *   de-escalation boundary (BOIN's lambda_d). A closed dose stays closed;
 * - the escalation reacts at its next decision to the lowest dose closed
 *   since (ds_family_t.backfill_closed). The stage tables find it too toxic
 *   and move as after any dose found too toxic (ds_moves_down: the dose below
 *   is the RP2D on its full count, or is confirmed, or there is none), doses
 *   above it closed to the escalation too. The interval designs' next cohort,
 *   if it was to be at that dose or above, goes to the dose below it (the
 *   lowest stays), as BOIN de-escalates; nothing is eliminated but by the
 *   design's own rule;
 * - what the rules read: the stage tables' rules read only their own cohorts,
 *   so that a trial in which no dose closes escalates as it would without
 *   backfill. The interval designs pool (BF-BOIN): every decision and the
 *   final selection read the dose's escalation and backfilled outcomes known
 *   by then (ds_trial_t.backfilled_patients); --max-n counts the escalation's
 *   cohorts only, --n-earlystop the pooled patients at the dose;
 * - the end: when the escalation names an RP2D, enrolment stops and the
 *   decision waits for every backfilled patient's outcome; then the interval
 *   designs take their final decision again on every outcome, and a dose
 *   closed meanwhile makes the escalation react as above (the trial may treat
 *   again). Arrivals while it waits are turned away.
 * Backfilled patients count in the trial's patients, DLTs and per-dose counts,
 * and after an RP2D in its duration (a trial without one ends at its last
 * decision; they are followed up for the counts only). Every draw of the
 * backfill comes from the timing stream.
 *
 * BF-BOIN opens a dose to backfill once it has shown a response too; here a
 * cleared dose opens without one (the escalation draws no responses).
 * The rolling six does not backfill in this version, nor a decision table of
 * one's own (its rows end at its largest n); an interval design backfills at
 * most 64 - --max-n patients a dose (the tables' rows).
 */
#ifndef DOSESIM_BACKFILL_H
#define DOSESIM_BACKFILL_H

#include <stdbool.h>

#include <gsl/gsl_rng.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/timing.h"

/** One backfilled patient. */
typedef struct {
    int level;
    ds_patient_fate_t fate;
    double enrolled; /**< day of enrolment */
    double outcome;  /**< day the outcome is known (the DLT, the window's end, leaving) */
    bool known;      /**< the outcome is in the known counts */
} ds_backfilled_t;

/** A trial's backfill so far, and room for it. */
typedef struct {
    int max_per_level; /**< --backfill-max */
    int n_levels;
    int n_patients;
    ds_backfilled_t *patients;         /**< [n_levels * max_per_level], in order of enrolment */
    int *unknown; /**< [n_levels * max_per_level] the patients whose outcome is to come */
    int n_unknown;
    int at[DS_MAX_LEVELS];             /**< patients backfilled at each level */
    int dlts_at[DS_MAX_LEVELS];        /**< their DLTs, those to come included */
    int known_patients[DS_MAX_LEVELS]; /**< of them, evaluable with the outcome known */
    int known_dlts[DS_MAX_LEVELS];     /**< ... and of those, DLTs */
    bool closed[DS_MAX_LEVELS];        /**< closed to backfill (found too toxic pooled) */
    bool acted_on[DS_MAX_LEVELS];      /**< closed, and the escalation has reacted */
    double closed_on[DS_MAX_LEVELS];   /**< the day it closed (where closed) */
    int n_closings;                    /**< times the escalation reacted to a closed dose */
    /* what the last ds_backfill_decide did (for traces): */
    int reacted_to;                    /**< the closed dose the escalation reacted to, or -1 */
    bool waited;                       /**< an RP2D waited for the backfilled outcomes */
    ds_stretch_log_t idle;             /**< the current cohort's idle stretches */
} ds_backfill_t;

/**
 * @brief Whether the design can backfill as timing asks (none asked: yes).
 * @return 0, or DS_ERR_BAD_PARAM with diag's field "--backfill-max".
 */
int ds_backfill_check(const ds_timing_t *timing, const ds_design_t *design,
                      ds_diag_t *diag) DS_WARN_UNUSED;

/** The largest sample size of a trial of design over n_levels levels with
 *  this calendar's backfill: the design's, and a full backfill at every level but the top. */
int ds_backfill_max_patients(const ds_timing_t *timing, const ds_design_t *design, int n_levels);

/**
 * @brief Room for trials over n_levels levels with at most max_per_level
 *        backfilled per dose. Safe to free whatever it returns.
 * @return 0; DS_ERR_BAD_PARAM; DS_ERR_NOMEM.
 */
int ds_backfill_init(ds_backfill_t *self, int n_levels, int max_per_level) DS_WARN_UNUSED;

/** Free the room (the struct itself is the caller's). */
void ds_backfill_free(ds_backfill_t *self);

/** Begin a trial, after ds_design_start and ds_calendar_start: the calendar
 *  then records its idle stretches here, and the trial's backfilled counts
 *  (ds_trial_t.backfilled_patients) are these. */
void ds_backfill_start(ds_backfill_t *self, ds_calendar_t *calendar, ds_trial_t *trial);

/** The backfilled outcomes known by day `until`, in time order, each DLT
 *  checked against the dose's pooled bound as it comes: at a cohort's
 *  decision, before the cohort is recorded and the rules are asked. */
void ds_backfill_advance(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                         double until);

/**
 * @brief The arrivals on a cohort's idle stretches (after ds_calendar_cohort,
 *        before the cohort is recorded in trial): each backfilled at the
 *        highest open dose below level, or turned away.
 * @param p_dlt [n_levels] the scenario's DLT probabilities
 * @return 0 (the stretches are then forgotten).
 */
int ds_backfill_cohort(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                       int level, const double *p_dlt, const ds_timing_t *timing,
                       ds_calendar_t *calendar, gsl_rng *rng) DS_WARN_UNUSED;

/**
 * @brief At an escalation decision (the cohort recorded in trial, `next` the
 *        rules' action, calendar->clock the decision's day): the outcomes
 *        known by then, the doses they close, and the escalation's reaction;
 *        at a final RP2D, the wait for every backfilled outcome (and the
 *        reaction to what it shows).
 * @return the action the trial takes.
 */
ds_action_t ds_backfill_decide(ds_backfill_t *self, const ds_design_t *design, ds_trial_t *trial,
                               ds_action_t next, const ds_timing_t *timing, ds_calendar_t *calendar,
                               gsl_rng *rng);

/** At the end of the trial, after ds_calendar_count_trial: the backfilled DLTs
 *  into its counts (and the trial's backfilled counts let go: they are in them). */
void ds_backfill_count_trial(const ds_backfill_t *self, ds_trial_t *trial);

#endif

/**
 * @file timing.h
 * @brief Calendar time: accrual, the DLT window, DLT onset, non-evaluable
 *        patients, and when each decision is taken.
 *
 * The conduct rules, per cohort of n at a dose:
 * - the cohort opens when the previous decision is taken (the first at day 0);
 * - patients arrive as a Poisson process (accrual per 30 days) and are enrolled
 *   one at a time, each into a free place of the cohort; arrivals while no place
 *   is free are turned away (counted);
 * - of the n places, the cohort's DLT count (drawn exactly as without timing)
 *   are DLT places, chosen at random: their patient has a DLT at a time within
 *   the window (uniform, or a Weibull with scale = window truncated to it);
 * - a patient without a DLT leaves early with probability `dropout`, at a
 *   uniform time within the window, and is not evaluable: the place is free
 *   again for the next arrival; otherwise they complete the window;
 * - the decision is taken at the first moment at which every place has had a
 *   patient and the outcome can no longer change what the rules do
 *   (ds_cohort_rule_settled: at the second DLT at a 3+3 dose, say, or when
 *   the last patient completes the window); the next cohort opens then;
 * - the trial ends at its final decision.
 * p_dlt is thus the probability of a DLT for an evaluable patient, and the
 * selections and sample sizes are those of the same trials without timing.
 * All random times come from GSL's samplers (exponential, flat, Weibull,
 * Poisson) on a PCG32 stream of their own.
 */
#ifndef DOSESIM_TIMING_H
#define DOSESIM_TIMING_H

#include <stdbool.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "dosesim/design.h"
#include "dosesim/error.h"

/** How the time of a DLT within the window is distributed. */
typedef enum {
    DS_ONSET_UNIFORM = 0, /**< uniform on the window */
    DS_ONSET_WEIBULL = 1  /**< Weibull(shape, scale = window), truncated to the window */
} ds_onset_t;

/** The calendar model; `on` is false unless an accrual rate is given. */
typedef struct {
    bool on;
    double window_days;    /**< the DLT window (default 21) */
    double accrual_per_30; /**< patients arriving per 30 days */
    ds_onset_t onset;
    double weibull_shape;
    double dropout; /**< probability that a patient without a DLT leaves early */
    /** Run every cohort through the event loop, even where a scan gives the same
     *  calendar (when nobody leaves early): the reference the scan is tested against. */
    bool event_loop_only;
} ds_timing_t;

/* Limits of the options, checked by ds_timing_check. */
#define DS_MIN_WINDOW_DAYS 0.01
#define DS_MAX_WINDOW_DAYS 3650.0
#define DS_MIN_ACCRUAL 0.01
#define DS_MAX_ACCRUAL 100000.0
#define DS_MIN_WEIBULL_SHAPE 0.05
#define DS_MAX_WEIBULL_SHAPE 50.0
#define DS_MAX_DROPOUT 0.99

/** A trial's calendar so far. */
typedef struct {
    double clock;      /**< days: when the current cohort opened; at the end, the duration */
    double idle_days;  /**< days on which an arriving patient would find no free place */
    uint32_t enrolled; /**< patients enrolled, the replaced ones included */
    uint32_t nonevaluable;
    uint32_t turned_away;
} ds_calendar_t;

/** What happened to an enrolled patient (for traces). */
typedef enum {
    DS_PATIENT_DLT = 1,   /**< had a DLT */
    DS_PATIENT_COMPLETES, /**< completed the window without a DLT */
    DS_PATIENT_LEAVES     /**< left early without a DLT: not evaluable */
} ds_patient_fate_t;

/** One enrolled patient of a cohort. */
typedef struct {
    int place;       /**< the cohort's place (0-based) the patient took */
    double enrolled; /**< day of enrolment */
    ds_patient_fate_t fate;
    double outcome; /**< day of the DLT, of completing, or of leaving */
} ds_patient_log_t;

/** A cohort's calendar in detail, as traces show it. */
typedef struct {
    double opened, decided; /**< days */
    int n_patients;
    int cap_patients;
    ds_patient_log_t *patients; /**< [n_patients], in order of enrolment */
} ds_cohort_log_t;

/** Free a cohort log's patients (the struct itself is the caller's). */
void ds_cohort_log_free(ds_cohort_log_t *log);

/** Timing off, a 21-day window, uniform onset, no dropout. */
void ds_timing_init(ds_timing_t *self);

/** Check the options' ranges; diag names the option. */
int ds_timing_check(const ds_timing_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** "uniform" or "weibull:SHAPE" (shortest form of the shape), into buf. */
void ds_timing_onset_name(const ds_timing_t *self, char *buf, size_t size);

/** Whether two calendar models are the same (for merging shards). */
bool ds_timing_equal(const ds_timing_t *a, const ds_timing_t *b);

/** Begin a trial's calendar at day 0. */
void ds_calendar_start(ds_calendar_t *calendar);

/**
 * @brief Run one cohort's calendar: n patients with dlt DLTs, decided by `rule`
 *        (ds_design_cohort_rule); moves calendar->clock to the decision. If log
 *        is not NULL (a trace), every patient enrolled is recorded in it too.
 * @return 0; DS_ERR_BAD_PARAM if n is above DS_MAX_PATIENTS_PER_LEVEL; DS_ERR_NOMEM.
 */
int ds_calendar_cohort(ds_calendar_t *calendar, const ds_timing_t *timing, ds_cohort_rule_t rule,
                       int n, int dlt, gsl_rng *rng, ds_cohort_log_t *log) DS_WARN_UNUSED;

/** Close the trial's calendar: draw the number of patients turned away. */
void ds_calendar_finish(ds_calendar_t *calendar, const ds_timing_t *timing, gsl_rng *rng);

#endif

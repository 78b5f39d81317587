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
 * - places still open at a decision that did not find the dose too toxic (a
 *   patient still in the window, or nobody yet after a departure) are
 *   carried: when the trial treats the dose again, such a place counts again
 *   as unknown until its outcome arrives, so a later decision there waits for
 *   it if it could change that decision (designs whose bands span several DLT
 *   counts, such as A+B with C < D; the 3+3 decides with patients in the
 *   window only when it ends the trial or leaves the dose as too toxic). A
 *   carried patient who leaves early is not evaluable, like any other: the
 *   place goes to the next arrival once the cohort's own places have had
 *   their first patients;
 * - the trial ends at its final decision. Every patient is followed to the
 *   end of their own window for the counts (not for the duration): one still
 *   in the window at a decision is evaluable if they go on to have a DLT
 *   (counted) or complete the window, and not evaluable if they go on to
 *   leave early; their place, which the decision did not need, is then
 *   left without an evaluable patient.
 * p_dlt is thus the probability of a DLT for an evaluable patient, and the
 * selections and DLT counts are those of the same trials without timing; so
 * are the patients the rules count (ds_trial_t.patients), but for places left
 * that way.
 * All random times come from GSL on a PCG32 stream of their own: uniforms
 * (and the logarithm of their product for a few arrivals' waits, else the
 * Gamma sampler), the exponential sampler for replacements, the Weibull
 * quantile function for DLT onsets, and the Poisson sampler for the patients
 * turned away.
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
    /** Backfill (backfill.h): at most this many patients backfilled per dose; 0: none. */
    int backfill_max;
} ds_timing_t;

/** The period an accrual rate counts arrivals over: --accrual is patients per 30 days. */
#define DS_ACCRUAL_DAYS 30.0

/* Limits of the options, checked by ds_timing_check. */
#define DS_MIN_WINDOW_DAYS 0.01
#define DS_MAX_WINDOW_DAYS 3650.0
#define DS_MIN_ACCRUAL 0.01
#define DS_MAX_ACCRUAL 100000.0
#define DS_MIN_WEIBULL_SHAPE 0.05
#define DS_MAX_WEIBULL_SHAPE 50.0
#define DS_MAX_DROPOUT 0.99
#define DS_MAX_BACKFILL 60
/** Most patients at one level of a trial: a design's, and a full backfill (backfill.h). */
#define DS_MAX_PATIENTS_AT_LEVEL (DS_MAX_PATIENTS_PER_LEVEL + DS_MAX_BACKFILL)

/** Longest trial the tallies hold exactly: 2^32 - 1 thousandths of a day (11,759
 *  years), so that a square fits 64 bits; longer ones fail with DS_ERR_OVERFLOW. */
#define DS_MAX_DURATION_DAYS 4294967.295

/** What happened to an enrolled patient (for traces). */
typedef enum {
    DS_PATIENT_DLT = 1,   /**< had a DLT */
    DS_PATIENT_COMPLETES, /**< completed the window without a DLT */
    DS_PATIENT_LEAVES     /**< left early without a DLT: not evaluable */
} ds_patient_fate_t;

/** A place of a decided cohort still open at its decision: a patient in the
 *  DLT window, or (fate DS_PATIENT_LEAVES, at no later than the decision) a
 *  place whose patient left early with nobody after them yet. */
typedef struct {
    int level;
    int patient;            /**< 1-based, in order of enrolment (the last in the place) */
    ds_patient_fate_t fate; /**< the outcome to come */
    double at;              /**< day the outcome is known (for a vacant place: passed) */
} ds_carried_t;

/** A stretch of days on which every place of a cohort was taken: arrivals then
 *  find no place in the escalation (turned away, or backfilled: backfill.h). */
typedef struct {
    double from, to;
} ds_stretch_t;

/** The stretches of one cohort, in time order, where the caller wants them. */
typedef struct {
    int n_stretches;
    int cap_stretches;
    ds_stretch_t *stretches;
} ds_stretch_log_t;

/** Most places carried at once (ds_calendar_cohort fails with DS_ERR_OVERFLOW beyond). */
#define DS_MAX_CARRIED 256

/**
 * @brief A trial's calendar so far.
 *
 * Every patient enrolled is counted at enrolment, in enrolled and at their
 * level, and if they will leave the window early without a DLT (their fate
 * is drawn then), in nonevaluable too: the counts of a trial followed to the
 * end of every patient's window, so that at its end enrolled = evaluable +
 * nonevaluable, per level and in total (ds_calendar_count_trial).
 */
typedef struct {
    double clock;          /**< days: when the current cohort opened; at the end, the duration */
    double idle_days;      /**< days on which an arriving patient would find no free place */
    uint32_t enrolled;     /**< patients enrolled (treated), the replaced ones included */
    uint32_t nonevaluable; /**< of them, those who leave the window early without a DLT */
    uint64_t turned_away;
    uint32_t backfilled; /**< of the enrolled, those backfilled (backfill.h) */
    int n_levels;        /**< levels of the per-level counts (ds_calendar_start) */
    /** [n_levels] enrolled, per level: the patients treated there. */
    uint32_t enrolled_at[DS_MAX_LEVELS];
    /** [n_levels] nonevaluable, per level. */
    uint32_t nonevaluable_at[DS_MAX_LEVELS];
    int n_carried;
    /** [n_carried] open places: patients whose outcomes are after clock, and vacant places */
    ds_carried_t carried[DS_MAX_CARRIED];
    /** If not NULL, each cohort's stretches of idle_days are appended to it
     *  (ds_calendar_start sets it NULL; backfill.h sets it after). */
    ds_stretch_log_t *idle;
} ds_calendar_t;

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
    /** Outcomes of earlier cohorts' patients at the dose (carried, see above)
     *  that came while this cohort was open, up to its decision. */
    int n_earlier;
    int cap_earlier;
    ds_carried_t *earlier;
} ds_cohort_log_t;

/** Free a cohort log's patients (the struct itself is the caller's). */
void ds_cohort_log_free(ds_cohort_log_t *log);

/** The DLT window when none is given, in days. */
#define DS_DEFAULT_WINDOW_DAYS 21.0

/** Timing off, a DS_DEFAULT_WINDOW_DAYS window, uniform onset, no dropout. */
void ds_timing_set_defaults(ds_timing_t *self);

/** Check the options' ranges; diag names the option. */
int ds_timing_check(const ds_timing_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** "uniform" or "weibull:SHAPE" (shortest form of the shape), into buf. */
void ds_timing_onset_name(const ds_timing_t *self, char *buf, size_t size);

/** Whether two calendar models are the same (for merging shards). */
bool ds_timing_equal(const ds_timing_t *a, const ds_timing_t *b);

/** Begin a trial's calendar at day 0, over n_levels levels (1..DS_MAX_LEVELS). */
void ds_calendar_start(ds_calendar_t *calendar, int n_levels);

/**
 * @brief Run one cohort's calendar: n patients at level with dlt DLTs, decided
 *        by `rule` (ds_design_cohort_rule); moves calendar->clock to the
 *        decision. If log is not NULL (a trace), every patient enrolled is
 *        recorded in it too.
 * @return 0; DS_ERR_BAD_PARAM if level is not below the calendar's n_levels,
 *         or n, or n with the places carried at the level, is above
 *         DS_MAX_PATIENTS_PER_LEVEL; DS_ERR_OVERFLOW if more than
 *         DS_MAX_CARRIED places would be carried; DS_ERR_NOMEM.
 */
int ds_calendar_cohort(ds_calendar_t *calendar, const ds_timing_t *timing, ds_cohort_rule_t rule,
                       int level, int n, int dlt, gsl_rng *rng,
                       ds_cohort_log_t *log) DS_WARN_UNUSED;

/**
 * @brief Close the trial's calendar: draw the number of patients turned away
 *        (with backfill, counted one by one already: backfill.h).
 * @return 0; DS_ERR_OVERFLOW if the trial lasted more than DS_MAX_DURATION_DAYS
 *         (its tally could not be exact).
 */
int ds_calendar_finish(ds_calendar_t *calendar, const ds_timing_t *timing,
                       gsl_rng *rng) DS_WARN_UNUSED;

/**
 * @brief The counts of a finished trial of a family that treats whole cohorts,
 *        from its calendar: trial->treated[] and nonevaluable[] are the
 *        calendar's, and patients[] (n_total) the evaluable patients,
 *        treated - nonevaluable. They were each cohort's places
 *        (ds_trial_record); the difference is the places whose last patient
 *        was in the window at the decision and then left early.
 */
void ds_calendar_count_trial(const ds_calendar_t *calendar, ds_trial_t *trial);

/** Count a patient enrolled at level, whose fate is drawn (by the cohort
 *  calendar, or for patients enrolled one at a time by enrol.h): in enrolled,
 *  and in nonevaluable if they will leave early; in total and at the level. */
void ds_calendar_count_patient(ds_calendar_t *calendar, int level, ds_patient_fate_t fate);

/* ---- patients enrolled one at a time (enrol.h runs such trials) ---- */

/** The day of the next arrival after `from` (arrivals are memoryless: from any moment). */
double ds_calendar_next_arrival(const ds_timing_t *timing, double from, gsl_rng *rng);

/**
 * @brief What a patient enrolled at a dose with this p_dlt will do, and how
 *        many days after enrolment: with dropout q they leave early (not
 *        evaluable, at a uniform time in the window) with probability
 *        (1 - p) q / (1 - p q), the mix of the cohort model, so that p_dlt is
 *        the probability of a DLT for an evaluable patient there too; else a
 *        DLT if dlt (drawn by the sampler), at its onset; else the window completed.
 */
ds_patient_fate_t ds_calendar_patient_fate(const ds_timing_t *timing, double p_dlt, bool dlt,
                                           gsl_rng *rng, double *delay);

#endif

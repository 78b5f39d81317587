/* Calendar time of a trial: a small discrete-event simulation per cohort, and
 * the times of patients enrolled one at a time (enrol.c runs those trials).
 * Arrivals form a Poisson process, so the wait for the next one is exponential
 * from any moment, drawn or not: a drawn arrival later than an event stays
 * valid after it (memorylessness), and arrivals while no place is free are
 * counted at the end as one Poisson draw over all such time. */
#include "dosesim/timing.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "dosesim/schema.h"
#include "dosesim/text.h"
#include "log_room.h"
#include "timing_internal.h"

void ds_timing_set_defaults(ds_timing_t *self)
{
    memset(self, 0, sizeof(*self));
    self->window_days = DS_DEFAULT_WINDOW_DAYS;
    self->onset = DS_ONSET_UNIFORM;
    self->weibull_shape = 1.0;
}

int ds_timing_check(const ds_timing_t *self, ds_diag_t *diag)
{
    if (!(self->window_days >= DS_MIN_WINDOW_DAYS && self->window_days <= DS_MAX_WINDOW_DAYS)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--window", "%g days is outside %g..%g",
                           self->window_days, DS_MIN_WINDOW_DAYS, DS_MAX_WINDOW_DAYS);
    }
    if (self->on &&
        !(self->accrual_per_30 >= DS_MIN_ACCRUAL && self->accrual_per_30 <= DS_MAX_ACCRUAL)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--accrual",
                           "%g patients per 30 days is outside %g..%g", self->accrual_per_30,
                           DS_MIN_ACCRUAL, DS_MAX_ACCRUAL);
    }
    if (self->onset == DS_ONSET_WEIBULL && !(self->weibull_shape >= DS_MIN_WEIBULL_SHAPE &&
                                             self->weibull_shape <= DS_MAX_WEIBULL_SHAPE)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--dlt-onset",
                           "Weibull shape %g is outside %g..%g", self->weibull_shape,
                           DS_MIN_WEIBULL_SHAPE, DS_MAX_WEIBULL_SHAPE);
    }
    if (!(self->backfill_max >= 0 && self->backfill_max <= DS_MAX_BACKFILL)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--backfill-max",
                           "%d patients per dose is outside 0..%d", self->backfill_max,
                           DS_MAX_BACKFILL);
    }
    if (self->backfill_max > 0 && !self->on) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--backfill-max",
                           "needs --accrual: backfill fills the days on which the escalation "
                           "has no place, on calendar time");
    }
    if (!(self->dropout >= 0.0 && self->dropout <= DS_MAX_DROPOUT)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--dropout",
                           "%g is outside 0..%g (at 1 no patient would ever be evaluable)",
                           self->dropout, DS_MAX_DROPOUT);
    }
    return 0;
}

void ds_timing_onset_name(const ds_timing_t *self, char *buf, size_t size)
{
    if (self->onset == DS_ONSET_WEIBULL) {
        char shape[DS_DOUBLE_CHARS];
        ds_format_double(self->weibull_shape, shape);
        snprintf(buf, size, DS_ONSET_WEIBULL_NAME ":%s", shape);
    } else {
        snprintf(buf, size, DS_ONSET_UNIFORM_NAME);
    }
}

bool ds_timing_equal(const ds_timing_t *a, const ds_timing_t *b)
{
    if (a->on != b->on) {
        return false;
    }
    return !a->on || (a->window_days == b->window_days && a->accrual_per_30 == b->accrual_per_30 &&
                      a->onset == b->onset && a->dropout == b->dropout &&
                      a->backfill_max == b->backfill_max &&
                      (a->onset != DS_ONSET_WEIBULL || a->weibull_shape == b->weibull_shape));
}

void ds_calendar_start(ds_calendar_t *calendar, int n_levels)
{
    /* Field by field: the carried places are read only up to n_carried, the
     * per-level counts up to n_levels. */
    calendar->clock = 0.0;
    calendar->idle_days = 0.0;
    calendar->enrolled = 0;
    calendar->nonevaluable = 0;
    calendar->turned_away = 0;
    calendar->backfilled = 0;
    calendar->idle = NULL;
    calendar->n_levels = n_levels < 0 ? 0 : n_levels > DS_MAX_LEVELS ? DS_MAX_LEVELS : n_levels;
    memset(calendar->enrolled_at, 0, (size_t)calendar->n_levels * sizeof(uint32_t));
    memset(calendar->nonevaluable_at, 0, (size_t)calendar->n_levels * sizeof(uint32_t));
    calendar->n_carried = 0;
}

void ds_calendar_count_patient(ds_calendar_t *calendar, int level, ds_patient_fate_t fate)
{
    const uint32_t leaves = fate == DS_PATIENT_LEAVES;
    calendar->enrolled++;
    calendar->nonevaluable += leaves;
    calendar->enrolled_at[level]++;
    calendar->nonevaluable_at[level] += leaves;
}

void ds_calendar_count_trial(const ds_calendar_t *calendar, ds_trial_t *trial)
{
    trial->n_total = 0;
    trial->n_treated = 0;
    trial->n_nonevaluable = 0;
    for (int d = 0; d < trial->n_levels; d++) {
        const bool counted = d < calendar->n_levels;
        trial->treated[d] = counted ? (int)calendar->enrolled_at[d] : 0;
        trial->nonevaluable[d] = counted ? (int)calendar->nonevaluable_at[d] : 0;
        trial->patients[d] = trial->treated[d] - trial->nonevaluable[d];
        trial->n_total += trial->patients[d];
        trial->n_treated += trial->treated[d];
        trial->n_nonevaluable += trial->nonevaluable[d];
    }
}

/* Days from..to on which every place is taken: counted, and kept where the
 * caller asked for the stretches (backfill). */
static int note_idle(ds_calendar_t *calendar, double from, double to)
{
    calendar->idle_days += to - from;
    ds_stretch_log_t *log = calendar->idle;
    if (log == NULL || !(to > from)) {
        return 0;
    }
    if (ds_log_room((void **)&log->stretches, log->n_stretches, &log->cap_stretches,
                    sizeof(*log->stretches)) != 0) {
        return DS_ERR_NOMEM;
    }
    log->stretches[log->n_stretches++] = (ds_stretch_t){.from = from, .to = to};
    return 0;
}

static double dlt_onset(const ds_timing_t *t, gsl_rng *rng)
{
    if (t->onset == DS_ONSET_UNIFORM) {
        return gsl_ran_flat(rng, 0.0, t->window_days);
    }
    /* Truncated to the window by inversion, GSL's Weibull quantile at a uniform
     * below F(window) = 1 - 1/e (whatever the shape): exact, and one draw where
     * rejection would take 1.58 on average. */
    double u = gsl_rng_uniform(rng) * (1.0 - exp(-1.0));
    return gsl_cdf_weibull_Pinv(u, t->window_days, t->weibull_shape);
}

/* What the patient now in a place will do next (the log's names, and none). */
enum {
    FATE_NONE = 0,
    FATE_DLT = DS_PATIENT_DLT,
    FATE_COMPLETE = DS_PATIENT_COMPLETES,
    FATE_DROPOUT = DS_PATIENT_LEAVES
};

void ds_cohort_log_free(ds_cohort_log_t *log)
{
    free(log->patients);
    free(log->earlier);
    memset(log, 0, sizeof(*log));
}

/* Record an earlier cohort's outcome in a trace's log (a no-op without one). */
static int log_earlier(ds_cohort_log_t *log, const ds_carried_t *outcome)
{
    if (log == NULL) {
        return 0;
    }
    if (ds_log_room((void **)&log->earlier, log->n_earlier, &log->cap_earlier,
                    sizeof(*log->earlier)) != 0) {
        return DS_ERR_NOMEM;
    }
    log->earlier[log->n_earlier++] = *outcome;
    return 0;
}

/* Whether a cohort's places still open at its decision are carried to the
 * dose's next decisions: unless the dose is found too toxic, never treated again. */
static bool carries(ds_cohort_rule_t rule, int dlt)
{
    return ds_cohort_rule_band(rule, dlt) != 2;
}

/* Keep a place open at a decision for the dose's next ones: its patient in
 * the window, or (fate: leaves, at: passed) vacant. */
static int carry(ds_calendar_t *calendar, int level, int patient, int fate, double at)
{
    if (calendar->n_carried == DS_MAX_CARRIED) {
        return DS_ERR_OVERFLOW;
    }
    calendar->carried[calendar->n_carried++] = (ds_carried_t){
        .level = level, .patient = patient, .fate = (ds_patient_fate_t)fate, .at = at};
    return 0;
}

/* As a cohort opens: DLTs and completions known by now are in the counts
 * already, so they are forgotten; the level's other open places move to mine
 * (the cohort waits on them, and fills those left vacant). A place whose
 * patient leaves early stays open until someone takes it: vacant places of
 * other levels are kept, in case the trial treats their dose again. */
static int take_carried(ds_calendar_t *calendar, int level, ds_carried_t *mine)
{
    int kept = 0, n_mine = 0;
    for (int i = 0; i < calendar->n_carried; i++) {
        const ds_carried_t c = calendar->carried[i];
        if (c.at <= calendar->clock && c.fate != DS_PATIENT_LEAVES) {
            continue;
        }
        if (c.level == level) {
            mine[n_mine++] = c;
        } else {
            calendar->carried[kept++] = c;
        }
    }
    calendar->n_carried = kept;
    return n_mine;
}

/* Record an enrolment in a trace's log (a no-op without one). */
static int log_patient(ds_cohort_log_t *log, int place, double enrolled, int fate, double outcome)
{
    if (log == NULL) {
        return 0;
    }
    if (ds_log_room((void **)&log->patients, log->n_patients, &log->cap_patients,
                    sizeof(*log->patients)) != 0) {
        return DS_ERR_NOMEM;
    }
    log->patients[log->n_patients++] = (ds_patient_log_t){
        .place = place, .enrolled = enrolled, .fate = (ds_patient_fate_t)fate, .outcome = outcome};
    return 0;
}

/* The first n arrivals after `from`, in order. The n-th is a sum of n
 * exponential gaps, Gamma(n): for a few patients -log of a product of n
 * uniforms (Erlang's form, one logarithm), else GSL's Gamma sampler. Given
 * it, the others are uniform on the way there, a property of the Poisson
 * process: one logarithm per cohort instead of one per patient. */
static void first_arrivals(double from, int n, double mean_gap, gsl_rng *rng, double *at)
{
    double last;
    if (n <= 8) {
        double product = 1.0; /* at least 2^-256: no underflow */
        for (int i = 0; i < n; i++) {
            product *= gsl_rng_uniform_pos(rng);
        }
        last = -mean_gap * log(product);
    } else {
        last = gsl_ran_gamma(rng, (double)n, mean_gap);
    }
    for (int i = 0; i + 1 < n; i++) {
        double u = last * gsl_rng_uniform(rng);
        int j = i;
        for (; j > 0 && at[j - 1] > u; j--) {
            at[j] = at[j - 1];
        }
        at[j] = u;
    }
    at[n - 1] = last;
    for (int i = 0; i < n; i++) {
        at[i] += from;
    }
}

/* A patient's fate in a place, drawn when they are enrolled. */
static void draw_fate(const ds_timing_t *timing, bool dlt_place, gsl_rng *rng, int *fate,
                      double *delay)
{
    if (dlt_place) {
        *fate = FATE_DLT;
        *delay = dlt_onset(timing, rng);
    } else if (timing->dropout > 0.0 && gsl_rng_uniform(rng) < timing->dropout) {
        *fate = FATE_DROPOUT;
        *delay = gsl_ran_flat(rng, 0.0, timing->window_days);
    } else {
        *fate = FATE_COMPLETE;
        *delay = timing->window_days;
    }
}

/* When no first patient leaves early, every place keeps its first patient: the
 * decision is the first of (the last arrival, each later outcome, in time
 * order) at which the outcome is settled. The event loop below would give the
 * same calendar; this is a scan. */
static int cohort_without_departures(ds_calendar_t *calendar, ds_cohort_rule_t rule, int level,
                                     int n, int dlt, const int *fate, const double *delay,
                                     const double *first)
{
    double done[DS_MAX_PATIENTS_PER_LEVEL]; /* when each outcome is known, in time order */
    bool was_dlt[DS_MAX_PATIENTS_PER_LEVEL];
    for (int i = 0; i < n; i++) {
        double at = first[i] + delay[i];
        int j = i;
        for (; j > 0 && done[j - 1] > at; j--) {
            done[j] = done[j - 1];
            was_dlt[j] = was_dlt[j - 1];
        }
        done[j] = at;
        was_dlt[j] = fate[i] == FATE_DLT;
    }
    const double last_arrival = first[n - 1];
    int k = 0, seen = 0;
    for (; k < n && done[k] <= last_arrival; k++) {
        seen += was_dlt[k];
    }
    double decision = last_arrival;
    for (; !ds_cohort_rule_settled(rule, seen, n - k); k++) {
        decision = done[k];
        seen += was_dlt[k];
    }
    /* place j's patient is the j-th (the escalation's patients are numbered apart
     * from the backfilled: backfill.h) */
    const int first_number = (int)(calendar->enrolled - calendar->backfilled) + 1;
    /* Nobody leaves early here: every patient is evaluable. */
    calendar->enrolled += (uint32_t)n;
    calendar->enrolled_at[level] += (uint32_t)n;
    calendar->clock = decision;
    if (note_idle(calendar, last_arrival, decision) != 0) { /* every place taken */
        return DS_ERR_NOMEM;
    }
    for (int j = 0; j < n && carries(rule, dlt); j++) {
        if (first[j] + delay[j] > decision &&
            carry(calendar, level, first_number + j, fate[j], first[j] + delay[j]) != 0) {
            return DS_ERR_OVERFLOW;
        }
    }
    return 0;
}

/* One cohort's calendar; the scan may stand in for the event loop where it
 * gives the same calendar (scan_allowed false: the event loop always, the
 * reference the scan is tested against). */
static int cohort_calendar(ds_calendar_t *calendar, const ds_timing_t *timing,
                           ds_cohort_rule_t rule, int level, int n, int dlt, gsl_rng *rng,
                           ds_cohort_log_t *log, bool scan_allowed)
{
    enum { MAX = DS_MAX_PATIENTS_PER_LEVEL };
    if (n < 1 || n > MAX || dlt < 0 || dlt > n || level < 0 || level >= calendar->n_levels) {
        return DS_ERR_BAD_PARAM;
    }
    ds_carried_t mine[DS_MAX_CARRIED]; /* earlier places at the level, still open */
    const int n_mine = take_carried(calendar, level, mine);
    if (n + n_mine > MAX) {
        return DS_ERR_BAD_PARAM; /* more patients at a level than a design can have */
    }
    const double mean_gap = DS_ACCRUAL_DAYS / timing->accrual_per_30; /* days between arrivals */
    bool dlt_place[MAX];     /* the places whose patients have a DLT (earlier ones: below) */
    double first[MAX];       /* the first n arrivals: one for each place */
    int first_fate[MAX];     /* what the first patient of each place does ... */
    double first_delay[MAX]; /* ... and how long after enrolment */

    /* Which places hold the DLTs: a random dlt of the n (partial Fisher-Yates). */
    int order[MAX];
    for (int j = 0; j < n; j++) {
        order[j] = j;
        dlt_place[j] = dlt == n;
    }
    for (int k = 0; k < dlt && dlt < n; k++) {
        int j = k + (int)gsl_rng_uniform_int(rng, (unsigned long)(n - k));
        int swap = order[k];
        order[k] = order[j];
        order[j] = swap;
        dlt_place[order[k]] = true;
    }
    first_arrivals(calendar->clock, n, mean_gap, rng, first);
    bool departures = false;
    for (int j = 0; j < n; j++) {
        draw_fate(timing, dlt_place[j], rng, &first_fate[j], &first_delay[j]);
        departures |= first_fate[j] == FATE_DROPOUT;
    }
    if (log != NULL) {
        log->opened = calendar->clock;
    }
    if (!departures && n_mine == 0 && scan_allowed) {
        int ret = cohort_without_departures(calendar, rule, level, n, dlt, first_fate, first_delay,
                                            first);
        for (int j = 0; j < n && ret == 0; j++) {
            ret = log_patient(log, j, first[j], first_fate[j], first[j] + first_delay[j]);
        }
        if (log != NULL) {
            log->decided = calendar->clock;
        }
        return ret;
    }

    /* Someone leaves early, or earlier places at the dose are still open: an
     * event loop over arrivals, outcomes and departures. Places n.. are the
     * earlier ones (their patients in the window, or vacant); the rule counts
     * their DLTs as this cohort's, and waits for a vacant one's next patient
     * as for any place, if it could change the decision. */
    int fate[MAX];
    double fate_at[MAX];
    int number[MAX];   /* each place's patient, numbered in order of enrolment */
    bool earlier[MAX]; /* the place still holds an earlier cohort's patient */
    bool waiting[MAX]; /* the place is in the queue */
    int queue[MAX];    /* places waiting for a patient, first come first served */
    int queue_head = 0, queue_len = n, n_first = 0;
    int n_started = 0, seen = 0, resolved = 0;
    const int n_places = n + n_mine;
    ds_cohort_rule_t with_earlier = rule;
    for (int j = 0; j < n; j++) {
        queue[j] = j;
        fate[j] = FATE_NONE;
        earlier[j] = false;
        waiting[j] = true;
    }
    for (int i = 0; i < n_mine; i++) {
        const int j = n + i;
        const bool dlt_to_come = mine[i].fate == DS_PATIENT_DLT;
        dlt_place[j] = dlt_to_come; /* a place of a patient without a DLT has none */
        number[j] = mine[i].patient;
        earlier[j] = true;
        waiting[j] = false;
        if (mine[i].fate == DS_PATIENT_LEAVES && mine[i].at <= calendar->clock) {
            fate[j] = FATE_NONE; /* vacant: after the cohort's own places, the next arrival */
            queue[queue_len++] = j;
            earlier[j] = false;
            waiting[j] = true;
        } else {
            fate[j] = (int)mine[i].fate;
            fate_at[j] = mine[i].at;
        }
        with_earlier.esc_max += dlt_to_come;
        with_earlier.tox_min += dlt_to_come;
    }
    double clock = calendar->clock;
    double next_arrival = -1.0; /* none drawn */
    double idle_from = -1.0;    /* since when every place is taken, if they are */
    for (;;) {
        int place = -1;
        double event_at = INFINITY;
        for (int j = 0; j < n_places; j++) {
            if (fate[j] != FATE_NONE && fate_at[j] < event_at) {
                event_at = fate_at[j];
                place = j;
            }
        }
        if (queue_len > 0) {
            if (next_arrival < 0.0) {
                /* The first n arrivals fill the n places; replacements come after them. */
                next_arrival =
                    n_first < n ? first[n_first] : clock + gsl_ran_exponential(rng, mean_gap);
            }
            if (next_arrival <= event_at) {
                /* The next arrival fills the place that has waited longest. */
                clock = next_arrival;
                next_arrival = -1.0;
                int j = queue[queue_head];
                queue_head = (queue_head + 1) % MAX;
                queue_len--;
                number[j] = (int)(calendar->enrolled - calendar->backfilled) + 1;
                earlier[j] = false;
                waiting[j] = false;
                if (queue_len == 0) {
                    idle_from = clock; /* every place taken: arrivals are turned away */
                }
                double delay;
                if (n_first < n) {
                    /* Places fill in order the first time round: place j's first patient. */
                    fate[j] = first_fate[j];
                    delay = first_delay[j];
                    n_first++;
                    n_started++;
                } else {
                    draw_fate(timing, dlt_place[j], rng, &fate[j], &delay);
                }
                ds_calendar_count_patient(calendar, level, (ds_patient_fate_t)fate[j]);
                fate_at[j] = clock + delay;
                if (log_patient(log, j, clock, fate[j], fate_at[j]) != 0) {
                    return DS_ERR_NOMEM;
                }
            } else {
                clock = event_at; /* the drawn arrival stays valid (memorylessness) */
            }
        } else if (place >= 0) {
            clock = event_at;
        } else {
            break; /* cannot happen: with nothing pending the outcome is settled */
        }
        if (place >= n && earlier[place] && clock == event_at &&
            log_earlier(log, &mine[place - n]) != 0) {
            return DS_ERR_NOMEM;
        }
        if (place >= 0 && clock == event_at) {
            switch (fate[place]) {
            case FATE_DLT:
                seen++;
                resolved++;
                break;
            case FATE_COMPLETE:
                resolved++;
                break;
            default: /* FATE_DROPOUT: not evaluable (counted at enrolment); the place
                      * waits for the next arrival */
                earlier[place] = false;
                waiting[place] = true;
                if (queue_len == 0 && note_idle(calendar, idle_from, clock) != 0) {
                    return DS_ERR_NOMEM; /* one subtraction per stretch */
                }
                queue[(queue_head + queue_len) % MAX] = place;
                queue_len++;
                break;
            }
            fate[place] = FATE_NONE;
        }
        if (n_started == n && ds_cohort_rule_settled(with_earlier, seen, n_places - resolved)) {
            break;
        }
    }
    if (queue_len == 0 && note_idle(calendar, idle_from, clock) != 0) {
        return DS_ERR_NOMEM;
    }
    if (log != NULL) {
        log->decided = clock;
    }
    /* The places still open may be carried: patients still in the window
     * (those who will leave early were counted as not evaluable when they
     * were enrolled), and places waiting for a patient, vacant. */
    calendar->clock = clock;
    if (carries(rule, dlt)) {
        for (int j = 0; j < n_places; j++) {
            if ((fate[j] != FATE_NONE || waiting[j]) &&
                carry(calendar, level, number[j], waiting[j] ? FATE_DROPOUT : fate[j],
                      waiting[j] ? clock : fate_at[j]) != 0) {
                return DS_ERR_OVERFLOW;
            }
        }
    }
    return 0;
}

int ds_calendar_cohort(ds_calendar_t *calendar, const ds_timing_t *timing, ds_cohort_rule_t rule,
                       int level, int n, int dlt, gsl_rng *rng, ds_cohort_log_t *log)
{
    return cohort_calendar(calendar, timing, rule, level, n, dlt, rng, log, true);
}

int ds_calendar_cohort_by_events(ds_calendar_t *calendar, const ds_timing_t *timing,
                                 ds_cohort_rule_t rule, int level, int n, int dlt, gsl_rng *rng,
                                 ds_cohort_log_t *log)
{
    return cohort_calendar(calendar, timing, rule, level, n, dlt, rng, log, false);
}

int ds_calendar_finish(ds_calendar_t *calendar, const ds_timing_t *timing, gsl_rng *rng)
{
    if (!(calendar->clock <= DS_MAX_DURATION_DAYS)) {
        return DS_ERR_OVERFLOW;
    }
    if (timing->backfill_max > 0) {
        return 0; /* every arrival on an idle day was met one by one (backfill.c) */
    }
    /* A sum of Poisson counts is a Poisson count: means of at most 2^30 each,
     * as GSL's sampler returns an unsigned int (and loops beyond 2^32). */
    const double chunk = 1073741824.0;
    double mean = calendar->idle_days * timing->accrual_per_30 / DS_ACCRUAL_DAYS;
    calendar->turned_away = 0;
    for (; mean > chunk; mean -= chunk) {
        calendar->turned_away += gsl_ran_poisson(rng, chunk);
    }
    calendar->turned_away += mean > 0.0 ? gsl_ran_poisson(rng, mean) : 0u;
    return 0;
}

/* ---- patients enrolled one at a time ---- */

double ds_calendar_next_arrival(const ds_timing_t *timing, double from, gsl_rng *rng)
{
    return from + gsl_ran_exponential(rng, DS_ACCRUAL_DAYS / timing->accrual_per_30);
}

ds_patient_fate_t ds_calendar_patient_fate(const ds_timing_t *timing, double p_dlt, bool dlt,
                                           gsl_rng *rng, double *delay)
{
    /* Leaving early with probability (1 - p) q / (1 - p q) for dropout q: the
     * mix of DLTs, completions and departures of the cohort model, so that
     * p_dlt is the probability of a DLT for an evaluable patient here too. */
    const double q = timing->dropout;
    const double leave = q > 0.0 ? (1.0 - p_dlt) * q / (1.0 - p_dlt * q) : 0.0;
    if (leave > 0.0 && gsl_rng_uniform(rng) < leave) {
        *delay = gsl_ran_flat(rng, 0.0, timing->window_days);
        return DS_PATIENT_LEAVES;
    }
    if (dlt) {
        *delay = dlt_onset(timing, rng);
        return DS_PATIENT_DLT;
    }
    *delay = timing->window_days;
    return DS_PATIENT_COMPLETES;
}

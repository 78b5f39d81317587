/* Backfill cohorts on calendar time (the rules: backfill.h). The escalation's
 * calendar is the cohort calendar's (timing.c), which is independent of the
 * backfill: it says on which days every place was taken, and this module
 * meets the arrivals of those days one by one (a Poisson process restarted at
 * each stretch, by memorylessness). */
#include "dosesim/backfill.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dosesim/interval.h"

int ds_backfill_check(const ds_timing_t *timing, const ds_design_t *design, ds_diag_t *diag)
{
    if (timing->backfill_max == 0) {
        return 0;
    }
    if (!ds_design_backfills(design)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--backfill-max",
                           "%s does not backfill in this version (%s); backfill runs beside the "
                           "stage-table designs (3+3, 3+3+3, ab:..., --rules) and the interval "
                           "designs (boin, i3+3, mtpi2, keyboard)",
                           design->name, design->family->title);
    }
    const ds_interval_rules_t *r = &design->interval;
    if (r->kind == DS_INTERVAL_TABLE) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--backfill-max",
                           "a decision table of your own (--decision-table) has rows only up to "
                           "its largest n; the counts pooled with backfilled patients need more");
    }
    if (r->kind != DS_INTERVAL_NONE &&
        r->max_n + timing->backfill_max > DS_MAX_PATIENTS_PER_LEVEL) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--backfill-max",
                           "%d with --max-n %d could pool more than %d patients at a dose; at "
                           "most %d",
                           timing->backfill_max, r->max_n, DS_MAX_PATIENTS_PER_LEVEL,
                           DS_MAX_PATIENTS_PER_LEVEL - r->max_n);
    }
    return 0;
}

int ds_backfill_max_patients(const ds_timing_t *timing, const ds_design_t *design, int n_levels)
{
    return ds_design_max_patients(design, n_levels) + (n_levels - 1) * timing->backfill_max;
}

int ds_backfill_init(ds_backfill_t *self, int n_levels, int max_per_level)
{
    memset(self, 0, sizeof(*self));
    if (n_levels < 1 || n_levels > DS_MAX_LEVELS || max_per_level < 1 ||
        max_per_level > DS_MAX_BACKFILL) {
        return DS_ERR_BAD_PARAM;
    }
    self->n_levels = n_levels;
    self->max_per_level = max_per_level;
    const size_t room = (size_t)n_levels * (size_t)max_per_level;
    self->patients = malloc(room * sizeof(*self->patients));
    self->unknown = malloc(room * sizeof(*self->unknown));
    return self->patients == NULL || self->unknown == NULL ? DS_ERR_NOMEM : 0;
}

void ds_backfill_free(ds_backfill_t *self)
{
    free(self->patients);
    free(self->unknown);
    free(self->idle.stretches);
    memset(self, 0, sizeof(*self));
}

void ds_backfill_start(ds_backfill_t *self, ds_calendar_t *calendar, ds_trial_t *trial)
{
    const size_t levels = (size_t)self->n_levels;
    self->n_patients = 0;
    self->n_unknown = 0;
    self->n_closings = 0;
    memset(self->at, 0, levels * sizeof(self->at[0]));
    memset(self->dlts_at, 0, levels * sizeof(self->dlts_at[0]));
    memset(self->known_patients, 0, levels * sizeof(self->known_patients[0]));
    memset(self->known_dlts, 0, levels * sizeof(self->known_dlts[0]));
    memset(self->closed, 0, levels * sizeof(self->closed[0]));
    memset(self->acted_on, 0, levels * sizeof(self->acted_on[0]));
    self->idle.n_stretches = 0;
    calendar->idle = &self->idle;
    /* what a pooling family reads (the others' rules ignore them) */
    trial->backfilled_patients = self->known_patients;
    trial->backfilled_dlts = self->known_dlts;
}

/* Close the level on day `at` if its pooled counts now show it too toxic. */
static void check_level(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                        int level, double at)
{
    if (!self->closed[level] && self->at[level] > 0 &&
        design->family->pooled_too_toxic(design,
                                         trial->patients[level] + self->known_patients[level],
                                         trial->dlts[level] + self->known_dlts[level])) {
        self->closed[level] = true;
        self->closed_on[level] = at;
    }
}

/* The backfilled outcomes up to day `until`, in time order, each DLT checked
 * as it comes (only a DLT can raise a dose's pooled rate). */
void ds_backfill_advance(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                         double until)
{
    for (;;) {
        int at = -1; /* in unknown[] */
        for (int k = 0; k < self->n_unknown; k++) {
            const ds_backfilled_t *p = &self->patients[self->unknown[k]];
            if (p->outcome <= until &&
                (at < 0 || p->outcome < self->patients[self->unknown[at]].outcome)) {
                at = k;
            }
        }
        if (at < 0) {
            return;
        }
        ds_backfilled_t *next = &self->patients[self->unknown[at]];
        self->unknown[at] = self->unknown[--self->n_unknown];
        next->known = true;
        if (next->fate == DS_PATIENT_LEAVES) {
            continue; /* not evaluable */
        }
        self->known_patients[next->level]++;
        if (next->fate == DS_PATIENT_DLT) {
            self->known_dlts[next->level]++;
            check_level(self, design, trial, next->level, next->outcome);
        }
    }
}

/* The highest dose open for backfill while the escalation treats `level`; -1 for none. */
static int open_dose(const ds_backfill_t *self, const ds_trial_t *trial, int level)
{
    const int top = level - 1 < trial->highest_allowed ? level - 1 : trial->highest_allowed;
    for (int d = top; d >= 0; d--) {
        if (trial->patients[d] > 0 && !self->closed[d] && self->at[d] < self->max_per_level) {
            return d;
        }
    }
    return -1;
}

/* Arrivals over days of which none can be backfilled: one Poisson count. */
static void turn_away(ds_calendar_t *calendar, const ds_timing_t *timing, double days, gsl_rng *rng)
{
    if (days > 0.0) {
        calendar->turned_away +=
            gsl_ran_poisson(rng, days * timing->accrual_per_30 / DS_ACCRUAL_DAYS);
    }
}

int ds_backfill_cohort(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                       int level, const double *p_dlt, const ds_timing_t *timing,
                       ds_calendar_t *calendar, gsl_rng *rng)
{
    const double mean_gap = DS_ACCRUAL_DAYS / timing->accrual_per_30;
    /* Doses only close during a cohort, and fill: once none is open, none opens until it ends. */
    bool none_open = false;
    for (int s = 0; s < self->idle.n_stretches; s++) {
        const ds_stretch_t stretch = self->idle.stretches[s];
        if (none_open) {
            turn_away(calendar, timing, stretch.to - stretch.from, rng);
            continue;
        }
        for (double t = stretch.from + gsl_ran_exponential(rng, mean_gap); t < stretch.to;
             t += gsl_ran_exponential(rng, mean_gap)) {
            ds_backfill_advance(self, design, trial, t);
            const int d = open_dose(self, trial, level);
            if (d < 0) {
                calendar->turned_away++;
                turn_away(calendar, timing, stretch.to - t, rng);
                none_open = true;
                break;
            }
            const bool dlt = gsl_rng_uniform(rng) < p_dlt[d];
            double delay = 0.0;
            const ds_patient_fate_t fate =
                ds_calendar_patient_fate(timing, p_dlt[d], dlt, rng, &delay);
            self->unknown[self->n_unknown++] = self->n_patients;
            self->patients[self->n_patients++] = (ds_backfilled_t){
                .level = d, .fate = fate, .enrolled = t, .outcome = t + delay, .known = false};
            self->at[d]++;
            self->dlts_at[d] += fate == DS_PATIENT_DLT;
            ds_calendar_count_patient(calendar, d, fate);
            calendar->backfilled++;
        }
    }
    self->idle.n_stretches = 0;
    return 0;
}

/* The escalation's reaction to the lowest dose closed since it last reacted
 * (and still allowed): the family's move (ds_family_t.backfill_closed); the
 * doses above it, closed too, need no move of their own. */
static ds_action_t react(ds_backfill_t *self, const ds_design_t *design, ds_trial_t *trial,
                         ds_action_t next)
{
    int closed = 0;
    for (; closed <= trial->highest_allowed && !(self->closed[closed] && !self->acted_on[closed]);
         closed++) {
    }
    if (closed > trial->highest_allowed) {
        return next;
    }
    for (int d = closed; d < self->n_levels; d++) {
        self->acted_on[d] |= self->closed[d];
    }
    self->n_closings++;
    self->reacted_to = closed;
    return design->family->backfill_closed(design, trial, closed, next);
}

ds_action_t ds_backfill_decide(ds_backfill_t *self, const ds_design_t *design, ds_trial_t *trial,
                               ds_action_t next, const ds_timing_t *timing, ds_calendar_t *calendar,
                               gsl_rng *rng)
{
    self->reacted_to = -1;
    self->waited = false;
    ds_backfill_advance(self, design, trial, calendar->clock);
    for (int d = 0; d < self->n_levels; d++) {
        check_level(self, design, trial, d, calendar->clock); /* the escalation's counts grew */
    }
    next = react(self, design, trial, next);
    if (next.kind != DS_ACTION_SELECT) {
        return next;
    }
    double last = calendar->clock;
    for (int i = 0; i < self->n_patients; i++) {
        if (self->patients[i].outcome > last) {
            last = self->patients[i].outcome;
        }
    }
    if (!(last > calendar->clock)) {
        return next;
    }
    /* The RP2D waits for every backfilled outcome; nobody is enrolled meanwhile. */
    self->waited = true;
    turn_away(calendar, timing, last - calendar->clock, rng);
    calendar->idle_days += last - calendar->clock;
    calendar->clock = last;
    ds_backfill_advance(self, design, trial, last);
    for (int d = 0; d < self->n_levels; d++) {
        check_level(self, design, trial, d, last);
    }
    if (design->family->pools_backfill) {
        next = ds_design_next(design, trial); /* its final decision, on every outcome */
    }
    return react(self, design, trial, next);
}

void ds_backfill_count_trial(const ds_backfill_t *self, ds_trial_t *trial)
{
    trial->backfilled_patients = NULL; /* in the counts from now on */
    trial->backfilled_dlts = NULL;
    for (int d = 0; d < self->n_levels && d < trial->n_levels; d++) {
        trial->dlts[d] += self->dlts_at[d];
        trial->dlt_total += self->dlts_at[d];
    }
}

/* Backfill cohorts on calendar time (the rules: backfill.h). The escalation's
 * calendar is the cohort calendar's (timing.c), which is independent of the
 * backfill: it says on which days every place was taken, and this module
 * meets the arrivals of those days one by one (a Poisson process restarted at
 * each stretch, by memorylessness). */
#include "dosesim/backfill.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

int ds_backfill_check(const ds_timing_t *timing, const ds_design_t *design, ds_diag_t *diag)
{
    if (timing->backfill_max > 0 && !design->family->backfills) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--backfill-max",
                           "%s does not backfill in this version (%s); backfill runs beside the "
                           "stage-table designs: 3+3, 3+3+3, ab:..., --rules",
                           design->name, design->family->title);
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
    self->patients = malloc((size_t)n_levels * (size_t)max_per_level * sizeof(*self->patients));
    return self->patients == NULL ? DS_ERR_NOMEM : 0;
}

void ds_backfill_free(ds_backfill_t *self)
{
    free(self->patients);
    free(self->idle.stretches);
    memset(self, 0, sizeof(*self));
}

void ds_backfill_start(ds_backfill_t *self, ds_calendar_t *calendar)
{
    const size_t levels = (size_t)self->n_levels;
    self->n_patients = 0;
    self->n_closings = 0;
    memset(self->at, 0, levels * sizeof(self->at[0]));
    memset(self->dlts_at, 0, levels * sizeof(self->dlts_at[0]));
    memset(self->known_patients, 0, levels * sizeof(self->known_patients[0]));
    memset(self->known_dlts, 0, levels * sizeof(self->known_dlts[0]));
    memset(self->closed, 0, levels * sizeof(self->closed[0]));
    self->idle.n_stretches = 0;
    calendar->idle = &self->idle;
}

/* Close the level if its pooled counts now show it too toxic. */
static void check_level(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                        int level)
{
    if (!self->closed[level] && self->at[level] > 0 &&
        ds_design_pooled_too_toxic(design, trial->patients[level] + self->known_patients[level],
                                   trial->dlts[level] + self->known_dlts[level])) {
        self->closed[level] = true;
    }
}

/* The backfilled outcomes up to day `until`, in time order, each DLT checked
 * as it comes (only a DLT can raise a dose's pooled rate). */
static void advance(ds_backfill_t *self, const ds_design_t *design, const ds_trial_t *trial,
                    double until)
{
    for (;;) {
        ds_backfilled_t *next = NULL;
        for (int i = 0; i < self->n_patients; i++) {
            ds_backfilled_t *p = &self->patients[i];
            if (!p->known && p->outcome <= until && (next == NULL || p->outcome < next->outcome)) {
                next = p;
            }
        }
        if (next == NULL) {
            return;
        }
        next->known = true;
        if (next->fate == DS_PATIENT_LEAVES) {
            continue; /* not evaluable */
        }
        self->known_patients[next->level]++;
        if (next->fate == DS_PATIENT_DLT) {
            self->known_dlts[next->level]++;
            check_level(self, design, trial, next->level);
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
            advance(self, design, trial, t);
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

/* The escalation's reaction to the lowest closed dose it still allows. */
static ds_action_t react(ds_backfill_t *self, const ds_design_t *design, ds_trial_t *trial,
                         ds_action_t next)
{
    int closed = 0;
    for (; closed <= trial->highest_allowed && !self->closed[closed]; closed++) {
    }
    if (closed > trial->highest_allowed) {
        return next;
    }
    self->n_closings++;
    if ((next.kind == DS_ACTION_TREAT || next.kind == DS_ACTION_SELECT) && next.level >= closed) {
        return ds_moves_down(design, trial, closed - 1);
    }
    trial->highest_allowed = closed - 1; /* the escalation is below it: it never goes back up */
    return next;
}

ds_action_t ds_backfill_decide(ds_backfill_t *self, const ds_design_t *design, ds_trial_t *trial,
                               ds_action_t next, const ds_timing_t *timing, ds_calendar_t *calendar,
                               gsl_rng *rng)
{
    advance(self, design, trial, calendar->clock);
    for (int d = 0; d < self->n_levels; d++) {
        check_level(self, design, trial, d); /* the escalation's own counts may have grown */
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
    turn_away(calendar, timing, last - calendar->clock, rng);
    calendar->idle_days += last - calendar->clock;
    calendar->clock = last;
    advance(self, design, trial, last);
    return react(self, design, trial, next);
}

void ds_backfill_count_trial(const ds_backfill_t *self, ds_trial_t *trial)
{
    for (int d = 0; d < self->n_levels && d < trial->n_levels; d++) {
        trial->dlts[d] += self->dlts_at[d];
        trial->dlt_total += self->dlts_at[d];
    }
}

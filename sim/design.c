/* The rule-based dose-escalation designs (3+3 and its table-driven relatives)
 * as one state machine: every other module asks ds_design_next() what to do.
 *
 * 3+3 rules (Storer 1989; Lin & Shih 2001 for the A+B family and its tables):
 * treat 3; 0/3 escalate, 1/3 treat 3 more, >=2/3 too toxic; of 6, <=1 escalate,
 * >=2 too toxic. A too-toxic dose is never given again and the next lower dose
 * is considered: with de-escalation it must rest on the full count (6), without
 * it is taken as it stands. */
#include "dosesim/design.h"

#include <stdio.h>
#include <string.h>

void ds_design_init_3plus3(ds_design_t *self)
{
    memset(self, 0, sizeof(*self));
    snprintf(self->name, sizeof(self->name), "3+3");
    self->n_stages = 2;
    self->stages[0] = (ds_stage_t){.n_cum = 3, .esc_max = 0, .tox_min = 2};
    self->stages[1] = (ds_stage_t){.n_cum = 6, .esc_max = 1, .tox_min = 2};
    self->deescalate = true;
    self->top_dose = DS_TOP_EXPAND;
    self->start_level = 0;
}

int ds_design_check(const ds_design_t *self, int n_levels, ds_diag_t *diag)
{
    if (self->n_stages < 1 || self->n_stages > DS_MAX_STAGES) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                           "a design needs 1 to %d stages, not %d", DS_MAX_STAGES, self->n_stages);
    }
    int previous_n = 0;
    for (int s = 0; s < self->n_stages; s++) {
        const ds_stage_t *st = &self->stages[s];
        if (st->n_cum <= previous_n || st->n_cum > DS_MAX_PATIENTS_PER_LEVEL) {
            return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                               "stage %d: cumulative patients must grow and stay within %d", s + 1,
                               DS_MAX_PATIENTS_PER_LEVEL);
        }
        if (st->esc_max < -1 || st->esc_max >= st->tox_min || st->tox_min > st->n_cum + 1) {
            return ds_diag_set(
                diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                "stage %d: need -1 <= escalate-at-most < too-toxic-from <= patients + 1", s + 1);
        }
        previous_n = st->n_cum;
    }
    const ds_stage_t *last = &self->stages[self->n_stages - 1];
    if (last->tox_min != last->esc_max + 1) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                           "the last stage must decide: too toxic from exactly one DLT above the "
                           "escalation bound");
    }
    if (n_levels < 1 || n_levels > DS_MAX_LEVELS) {
        return ds_diag_set(diag, DS_ERR_TOO_MANY_LEVELS, NULL, 0, "dose_level",
                           "%d dose levels; dosesim handles 1 to %d", n_levels, DS_MAX_LEVELS);
    }
    if (self->start_level < 0 || self->start_level >= n_levels) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--start",
                           "start level %d is not one of the %d dose levels", self->start_level + 1,
                           n_levels);
    }
    return 0;
}

int ds_design_max_patients(const ds_design_t *self, int n_levels)
{
    return n_levels * self->stages[self->n_stages - 1].n_cum;
}

int ds_design_max_cohort(const ds_design_t *self)
{
    int largest = self->stages[0].n_cum;
    for (int s = 1; s < self->n_stages; s++) {
        int step = self->stages[s].n_cum - self->stages[s - 1].n_cum;
        largest = step > largest ? step : largest;
    }
    return largest;
}

const char *ds_top_dose_name(ds_top_dose_t top_dose)
{
    return top_dose == DS_TOP_ACCEPT ? "accept" : "expand";
}

static ds_action_t action(ds_action_kind_t kind, int level, int n, ds_why_t why)
{
    return (ds_action_t){.kind = kind, .level = level, .n = n, .why = why};
}

ds_action_t ds_design_start(const ds_design_t *self, ds_trial_t *trial, int n_levels)
{
    trial->n_levels = n_levels;
    trial->current = self->start_level;
    trial->highest_allowed = n_levels - 1;
    trial->n_total = 0;
    trial->dlt_total = 0;
    /* Millions of trials start per second: for the usual few levels clear a
     * fixed-size block, which the compiler turns into a few stores, not a call. */
    if (n_levels <= 8) {
        memset(trial->patients, 0, 8 * sizeof(trial->patients[0]));
        memset(trial->dlts, 0, 8 * sizeof(trial->dlts[0]));
    } else {
        memset(trial->patients, 0, (size_t)n_levels * sizeof(trial->patients[0]));
        memset(trial->dlts, 0, (size_t)n_levels * sizeof(trial->dlts[0]));
    }
    return action(DS_ACTION_TREAT, self->start_level, self->stages[0].n_cum, DS_WHY_START);
}

/* The stage a dose has completed, from its patient count; -1 if the count is
 * not a stage boundary (a state the rules never produce). */
static int completed_stage(const ds_design_t *self, int patients)
{
    for (int s = 0; s < self->n_stages; s++) {
        if (self->stages[s].n_cum == patients) {
            return s;
        }
    }
    return -1;
}

static ds_action_t treat_next_stage(const ds_design_t *self, int level, int stage, ds_why_t why)
{
    return action(DS_ACTION_TREAT, level, self->stages[stage + 1].n_cum - self->stages[stage].n_cum,
                  why);
}

/* Whether, when the dose above `level` is found too toxic, the rules take
 * `level` as the RP2D at once: without de-escalation any dose given, with it a
 * dose on its full count. A dose never given gets a fresh cohort instead. */
static bool lower_taken_at_once(const ds_design_t *self, const ds_trial_t *trial, int level)
{
    if (trial->patients[level] == 0) {
        return false;
    }
    return !self->deescalate || completed_stage(self, trial->patients[level]) == self->n_stages - 1;
}

/* The dose above `level` was found too toxic: what becomes of this one. */
static ds_action_t consider_lower(const ds_design_t *self, ds_trial_t *trial, int level)
{
    if (level < 0) {
        return action(DS_ACTION_STOP, -1, 0, DS_WHY_NONE_BELOW);
    }
    trial->current = level;
    if (lower_taken_at_once(self, trial, level)) {
        return action(DS_ACTION_SELECT, level, 0,
                      self->deescalate ? DS_WHY_LOWER_COMPLETE : DS_WHY_LOWER_AS_IS);
    }
    if (trial->patients[level] == 0) {
        /* The trial started above this dose; no rule can pick a dose nobody received. */
        return action(DS_ACTION_TREAT, level, self->stages[0].n_cum, DS_WHY_LOWER_FRESH);
    }
    int stage = completed_stage(self, trial->patients[level]);
    if (stage < 0) {
        return action(DS_ACTION_INVALID, level, 0, DS_WHY_BAD_STATE);
    }
    return treat_next_stage(self, level, stage, DS_WHY_LOWER_CONFIRM);
}

int ds_design_lowest_readable(const ds_design_t *self, const ds_trial_t *trial)
{
    /* A descent from the current dose stops at the first lower dose taken at
     * once; the doses below it are never reached. Escalation never goes back
     * below the current dose either. */
    for (int level = trial->current - 1; level > 0; level--) {
        if (lower_taken_at_once(self, trial, level)) {
            return level;
        }
    }
    return 0;
}

/* The rule of the stage a dose completes, in terms of the cumulative DLTs
 * already counted there (prior): the one place a stage's bounds are read. */
static ds_cohort_rule_t rule_after(const ds_stage_t *stage, int prior)
{
    return (ds_cohort_rule_t){.esc_max = stage->esc_max - prior, .tox_min = stage->tox_min - prior};
}

ds_cohort_rule_t ds_design_cohort_rule(const ds_design_t *self, const ds_trial_t *before, int level,
                                       int n)
{
    int stage = completed_stage(self, before->patients[level] + n);
    if (stage < 0) {
        return (ds_cohort_rule_t){.esc_max = -1,
                                  .tox_min = 0}; /* a state the rules never produce */
    }
    return rule_after(&self->stages[stage], before->dlts[level]);
}

ds_action_t ds_design_next(const ds_design_t *self, ds_trial_t *trial)
{
    const int level = trial->current;
    const int stage = completed_stage(self, trial->patients[level]);
    if (stage < 0) {
        return action(DS_ACTION_INVALID, level, 0, DS_WHY_BAD_STATE);
    }
    const int way = ds_cohort_rule_band(rule_after(&self->stages[stage], 0), trial->dlts[level]);
    if (way == 2) {
        trial->highest_allowed = level - 1;
        return consider_lower(self, trial, level - 1);
    }
    if (way == 1) {
        return treat_next_stage(self, level, stage, DS_WHY_EXPAND);
    }
    /* The escalation rule is met. */
    if (level < trial->highest_allowed) {
        trial->current = level + 1;
        if (trial->patients[level + 1] != 0) {
            return action(DS_ACTION_INVALID, level + 1, 0, DS_WHY_BAD_STATE);
        }
        return action(DS_ACTION_TREAT, level + 1, self->stages[0].n_cum, DS_WHY_ESCALATE);
    }
    if (stage == self->n_stages - 1) {
        return action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_COMPLETE);
    }
    if (self->top_dose == DS_TOP_ACCEPT) {
        return action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_ACCEPT);
    }
    return treat_next_stage(self, level, stage, DS_WHY_TOP_EXPAND);
}

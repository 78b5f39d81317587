/* The one design interface: the checks of a design; ds_design_start and
 * ds_design_next, which hand the trial to its family; and the moves every
 * family shares after its verdict on a dose, written once here. The families'
 * own rules are in their modules (stages.c, rolling_six.c); the registry of
 * families and presets is presets.c. */
#include "dosesim/design.h"

#include <stdio.h>
#include <string.h>

#include "dosesim/schema.h"

int ds_design_check_stage(const ds_design_t *self, int s, ds_diag_t *diag)
{
    const ds_stage_t *st = &self->stages[s];
    const int previous_n = s > 0 ? self->stages[s - 1].n_cum : 0;
    if (st->n_cum <= previous_n || st->n_cum > DS_MAX_PATIENTS_PER_LEVEL) {
        if (s == 0) {
            return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, DS_RULES_PATIENTS,
                               "stage 1: %d patients; it needs 1 to %d", st->n_cum,
                               DS_MAX_PATIENTS_PER_LEVEL);
        }
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, DS_RULES_PATIENTS,
                           "stage %d: %d patients; the count is cumulative, so it needs more "
                           "than stage %d's %d (and at most %d)",
                           s + 1, st->n_cum, s, previous_n, DS_MAX_PATIENTS_PER_LEVEL);
    }
    if (st->esc_max < -1 || st->esc_max >= st->n_cum) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, DS_RULES_ESCALATE,
                           "stage %d: %d is outside -1..%d (-1: never escalate)", s + 1,
                           st->esc_max, st->n_cum - 1);
    }
    if (st->tox_min <= st->esc_max || st->tox_min > st->n_cum + 1) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, DS_RULES_TOO_TOXIC,
                           "stage %d: %d is outside %d..%d (above escalate_at_most; %d: never "
                           "too toxic)",
                           s + 1, st->tox_min, st->esc_max + 1, st->n_cum + 1, st->n_cum + 1);
    }
    if (s == self->n_stages - 1 && st->tox_min != st->esc_max + 1) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, DS_RULES_TOO_TOXIC,
                           "stage %d is the last, so it must decide: too_toxic_from must be "
                           "escalate_at_most + 1 = %d",
                           s + 1, st->esc_max + 1);
    }
    return 0;
}

int ds_design_check(const ds_design_t *self, int n_levels, ds_diag_t *diag)
{
    if (self->n_stages < 1 || self->n_stages > DS_MAX_STAGES) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                           "a design needs 1 to %d stages, not %d", DS_MAX_STAGES, self->n_stages);
    }
    for (int s = 0; s < self->n_stages; s++) {
        int ret = ds_design_check_stage(self, s, diag);
        if (ret != 0) {
            return ret;
        }
    }
    if (n_levels < 1 || n_levels > DS_MAX_LEVELS) {
        return ds_diag_set(diag, DS_ERR_TOO_MANY_LEVELS, NULL, 0, DS_SCENARIO_COL_LEVEL,
                           "%d dose levels; dosesim handles 1 to %d", n_levels, DS_MAX_LEVELS);
    }
    if (self->start_level < 0 || self->start_level >= n_levels) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--start",
                           "start level %d is not one of the %d dose levels", self->start_level + 1,
                           n_levels);
    }
    if (self->family == NULL) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design", "the design has no rules");
    }
    /* What the drivers rely on: cohorts come with the rule their DLTs meet
     * (the calendar and the tree read it); one at a time needs calendar time. */
    const ds_family_t *f = self->family;
    if (f->name == NULL || f->title == NULL || f->verdict == NULL || f->more == NULL ||
        f->first_cohort == NULL || (f->needs_calendar && f->calendar_reason == NULL) ||
        (!f->one_at_a_time && f->cohort_rule == NULL) || (f->one_at_a_time && !f->needs_calendar) ||
        (f->enumerable && f->one_at_a_time)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                           "the design family '%s' does not declare what dosesim needs of it",
                           f->name != NULL ? f->name : "");
    }
    return self->family->check != NULL ? self->family->check(self, n_levels, diag) : 0;
}

int ds_design_max_patients(const ds_design_t *self, int n_levels)
{
    if (self->family != NULL && self->family->max_patients != NULL) {
        return self->family->max_patients(self, n_levels);
    }
    return n_levels * self->stages[self->n_stages - 1].n_cum;
}

bool ds_stages_pooled_too_toxic(const ds_design_t *design, int patients, int dlts)
{
    const ds_stage_t *last = &design->stages[design->n_stages - 1];
    return patients > 0 && (long)dlts * last->n_cum >= (long)last->tox_min * patients;
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

bool ds_design_same_table(const ds_design_t *a, const ds_design_t *b)
{
    if (a->family != b->family || a->n_stages != b->n_stages) {
        return false;
    }
    for (int s = 0; s < a->n_stages; s++) {
        if (a->stages[s].n_cum != b->stages[s].n_cum ||
            a->stages[s].esc_max != b->stages[s].esc_max ||
            a->stages[s].tox_min != b->stages[s].tox_min) {
            return false;
        }
    }
    return true;
}

const char *ds_top_dose_name(ds_top_dose_t top_dose)
{
    return top_dose == DS_TOP_ACCEPT ? DS_TOP_DOSE_ACCEPT_NAME : DS_TOP_DOSE_EXPAND_NAME;
}

ds_action_t ds_design_start(const ds_design_t *self, ds_trial_t *trial, int n_levels)
{
    trial->n_levels = n_levels;
    trial->current = self->start_level;
    trial->highest_allowed = n_levels - 1;
    trial->n_total = 0;
    trial->dlt_total = 0;
    trial->n_treated = 0;
    trial->n_nonevaluable = 0;
    trial->backfilled_patients = NULL;
    trial->backfilled_dlts = NULL;
    /* Millions of trials start per second: for the usual few levels clear a
     * fixed-size block, which the compiler turns into a few stores, not a call. */
    if (n_levels <= 8) {
        memset(trial->patients, 0, 8 * sizeof(trial->patients[0]));
        memset(trial->dlts, 0, 8 * sizeof(trial->dlts[0]));
        memset(trial->pending, 0, 8 * sizeof(trial->pending[0]));
        memset(trial->treated, 0, 8 * sizeof(trial->treated[0]));
        memset(trial->nonevaluable, 0, 8 * sizeof(trial->nonevaluable[0]));
    } else {
        memset(trial->patients, 0, (size_t)n_levels * sizeof(trial->patients[0]));
        memset(trial->dlts, 0, (size_t)n_levels * sizeof(trial->dlts[0]));
        memset(trial->pending, 0, (size_t)n_levels * sizeof(trial->pending[0]));
        memset(trial->treated, 0, (size_t)n_levels * sizeof(trial->treated[0]));
        memset(trial->nonevaluable, 0, (size_t)n_levels * sizeof(trial->nonevaluable[0]));
    }
    return ds_action_make(DS_ACTION_TREAT, self->start_level, self->family->first_cohort(self),
                          DS_WHY_START);
}

ds_action_t ds_design_next(const ds_design_t *self, ds_trial_t *trial)
{
    if (self->family->next != NULL) {
        return self->family->next(self, trial);
    }
    return ds_moves_after(self, trial, self->family->verdict(self, trial, trial->current));
}

int ds_design_lowest_readable(const ds_design_t *self, const ds_trial_t *trial)
{
    /* A descent from the current dose stops at the first lower dose taken at
     * once; the doses below it are never reached. Escalation never goes back
     * below the current dose either. */
    for (int level = trial->current - 1; level > 0; level--) {
        if (ds_moves_taken_at_once(self, trial, level)) {
            return level;
        }
    }
    return 0;
}

/* ---- the moves every family shares ----
 *
 * After the verdict on a dose (Storer 1989 for the 3+3; Lin & Shih 2001 for
 * the A+B family; Skolnik et al. 2008 for the rolling six, which moves the
 * same way): a too-toxic dose is never given again and the next lower dose is
 * considered; with de-escalation a lower dose must rest on the full count,
 * without it is taken as it stands; the highest dose allowed, meeting the
 * escalation rule early, is expanded or (--top-dose accept) taken as it stands. */

bool ds_moves_taken_at_once(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    if (trial->patients[level] == 0) {
        return false;
    }
    return !design->deescalate ||
           (trial->patients[level] == ds_design_full_count(design) &&
            design->family->verdict(design, trial, level) == DS_BAND_ESCALATE);
}

bool ds_moves_returned_to(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    /* Doses at or above the start were reached by escalation before any dose
     * was found too toxic; a dose below the start is new after the
     * de-escalation and is accepted as any highest dose allowed is. */
    return design->deescalate && trial->highest_allowed < trial->n_levels - 1 &&
           level >= design->start_level;
}

ds_action_t ds_moves_down(const ds_design_t *design, ds_trial_t *trial, int level)
{
    trial->highest_allowed = level;
    /* A lower dose that now shows too many DLTs (outcomes that came in after
     * the trial left it, one at a time) is too toxic as well. */
    for (; level >= 0 && design->family->verdict(design, trial, level) == DS_BAND_TOO_TOXIC;
         level--) {
        trial->highest_allowed = level - 1;
    }
    if (level < 0) {
        return ds_action_make(DS_ACTION_STOP, -1, 0, DS_WHY_NONE_BELOW);
    }
    trial->current = level;
    if (ds_moves_taken_at_once(design, trial, level)) {
        return ds_action_make(DS_ACTION_SELECT, level, 0,
                              design->deescalate ? DS_WHY_LOWER_COMPLETE : DS_WHY_LOWER_AS_IS);
    }
    if (trial->patients[level] == 0) {
        /* The trial started above this dose; no rule can pick a dose nobody received. */
        return ds_action_make(DS_ACTION_TREAT, level, design->family->first_cohort(design),
                              DS_WHY_LOWER_FRESH);
    }
    return design->family->more(design, trial, level, DS_WHY_LOWER_CONFIRM);
}

ds_action_t ds_moves_after(const ds_design_t *design, ds_trial_t *trial, ds_band_t verdict)
{
    const int level = trial->current;
    switch (verdict) {
    case DS_BAND_TOO_TOXIC:
        return ds_moves_down(design, trial, level - 1);
    case DS_BAND_MORE:
        return design->family->more(design, trial, level, DS_WHY_EXPAND);
    case DS_BAND_ESCALATE:
        break;
    default:
        return ds_action_make(DS_ACTION_INVALID, level, 0, DS_WHY_BAD_STATE);
    }
    if (level < trial->highest_allowed) {
        trial->current = level + 1;
        if (trial->patients[level + 1] != 0) {
            return ds_action_make(DS_ACTION_INVALID, level + 1, 0, DS_WHY_BAD_STATE);
        }
        return ds_action_make(DS_ACTION_TREAT, level + 1, design->family->first_cohort(design),
                              DS_WHY_ESCALATE);
    }
    if (trial->patients[level] == ds_design_full_count(design)) {
        return ds_action_make(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_COMPLETE);
    }
    if (design->top_dose == DS_TOP_ACCEPT && !ds_moves_returned_to(design, trial, level)) {
        return ds_action_make(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_ACCEPT);
    }
    return design->family->more(design, trial, level, DS_WHY_TOP_EXPAND);
}

ds_action_t ds_moves_backfill_closed(const ds_design_t *design, ds_trial_t *trial, int level,
                                     ds_action_t next)
{
    if ((next.kind == DS_ACTION_TREAT || next.kind == DS_ACTION_SELECT) && next.level >= level) {
        return ds_moves_down(design, trial, level - 1);
    }
    if (trial->highest_allowed >= level) {
        trial->highest_allowed = level - 1; /* the escalation is below it: it never goes up to it */
    }
    return next;
}

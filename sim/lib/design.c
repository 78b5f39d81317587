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

/* The rule-file columns a stage's numbers come from, so that a refusal can name one. */
#define FIELD_PATIENTS "patients"
#define FIELD_ESCALATE "escalate_at_most"
#define FIELD_TOXIC "too_toxic_from"

int ds_design_check_stage(const ds_design_t *self, int s, ds_diag_t *diag)
{
    const ds_stage_t *st = &self->stages[s];
    const int previous_n = s > 0 ? self->stages[s - 1].n_cum : 0;
    if (st->n_cum <= previous_n || st->n_cum > DS_MAX_PATIENTS_PER_LEVEL) {
        if (s == 0) {
            return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, FIELD_PATIENTS,
                               "stage 1: %d patients; it needs 1 to %d", st->n_cum,
                               DS_MAX_PATIENTS_PER_LEVEL);
        }
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, FIELD_PATIENTS,
                           "stage %d: %d patients; the count is cumulative, so it needs more "
                           "than stage %d's %d (and at most %d)",
                           s + 1, st->n_cum, s, previous_n, DS_MAX_PATIENTS_PER_LEVEL);
    }
    if (st->esc_max < -1 || st->esc_max >= st->n_cum) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, FIELD_ESCALATE,
                           "stage %d: %d is outside -1..%d (-1: never escalate)", s + 1,
                           st->esc_max, st->n_cum - 1);
    }
    if (st->tox_min <= st->esc_max || st->tox_min > st->n_cum + 1) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, FIELD_TOXIC,
                           "stage %d: %d is outside %d..%d (above escalate_at_most; %d: never "
                           "too toxic)",
                           s + 1, st->tox_min, st->esc_max + 1, st->n_cum + 1, st->n_cum + 1);
    }
    if (s == self->n_stages - 1 && st->tox_min != st->esc_max + 1) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, FIELD_TOXIC,
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

/* ---- presets ---- */

/* Name, conduct and table; the options stay. */
static void set_rules(ds_design_t *self, const char *name, ds_conduct_t conduct,
                      const ds_stage_t *stages, int n_stages)
{
    snprintf(self->name, sizeof(self->name), "%s", name);
    self->conduct = conduct;
    self->n_stages = n_stages;
    memset(self->stages, 0, sizeof(self->stages));
    memcpy(self->stages, stages, (size_t)n_stages * sizeof(stages[0]));
}

static const ds_stage_t table_3plus3[] = {{.n_cum = 3, .esc_max = 0, .tox_min = 2},
                                          {.n_cum = 6, .esc_max = 1, .tox_min = 2}};
/* Hansen et al. (2014): as the 3+3, but 2/6 brings a third cohort; of 9, <= 2 escalate. */
static const ds_stage_t table_3plus3plus3[] = {{.n_cum = 3, .esc_max = 0, .tox_min = 2},
                                               {.n_cum = 6, .esc_max = 1, .tox_min = 3},
                                               {.n_cum = 9, .esc_max = 2, .tox_min = 3}};

void ds_design_init_3plus3(ds_design_t *self)
{
    memset(self, 0, sizeof(*self));
    set_rules(self, "3+3", DS_CONDUCT_COHORTS, table_3plus3, 2);
    self->deescalate = true;
    self->top_dose = DS_TOP_EXPAND;
    self->start_level = 0;
}

int ds_design_ab(ds_design_t *self, int a, int b, int c, int d, int e, ds_diag_t *diag)
{
    if (a < 1 || b < 1 || a + b > DS_MAX_PATIENTS_PER_LEVEL) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                           "ab:%d,%d,...: need A >= 1, B >= 1 and A + B <= %d", a, b,
                           DS_MAX_PATIENTS_PER_LEVEL);
    }
    if (!(1 <= c && c <= d && d <= a && d <= e && e < a + b)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                           "ab:%d,%d,%d,%d,%d: need 1 <= C <= D <= A and D <= E < A + B", a, b, c,
                           d, e);
    }
    /* Escalate on fewer than C of A, too toxic on more than D, else B more;
     * of A + B, escalate on at most E. */
    const ds_stage_t stages[] = {{.n_cum = a, .esc_max = c - 1, .tox_min = d + 1},
                                 {.n_cum = a + b, .esc_max = e, .tox_min = e + 1}};
    char name[DS_MAX_DESIGN_NAME];
    snprintf(name, sizeof(name), "ab:%d,%d,%d,%d,%d", a, b, c, d, e);
    set_rules(self, name, DS_CONDUCT_COHORTS, stages, 2);
    return 0;
}

/* "A,B,C,D,E": five whole numbers of at most three digits. */
static bool parse_ab(const char *text, int *v)
{
    for (int i = 0; i < 5; i++) {
        int digits = 0, value = 0;
        for (; text[0] >= '0' && text[0] <= '9' && digits < 4; text++, digits++) {
            value = 10 * value + (text[0] - '0');
        }
        if (digits == 0 || digits > 3 || text[0] != (i < 4 ? ',' : '\0')) {
            return false;
        }
        v[i] = value;
        text += i < 4;
    }
    return true;
}

int ds_design_preset(ds_design_t *self, const char *spec, ds_diag_t *diag)
{
    if (strcmp(spec, "3+3") == 0) {
        set_rules(self, "3+3", DS_CONDUCT_COHORTS, table_3plus3, 2);
        return 0;
    }
    if (strcmp(spec, "3+3+3") == 0) {
        set_rules(self, "3+3+3", DS_CONDUCT_COHORTS, table_3plus3plus3, 3);
        return 0;
    }
    if (strcmp(spec, "rolling6") == 0) {
        /* Its decisions are ds_rolling_six_decision's; the 3+3's table gives its counts. */
        set_rules(self, "rolling6", DS_CONDUCT_ROLLING_SIX, table_3plus3, 2);
        return 0;
    }
    if (strncmp(spec, "ab:", 3) == 0) {
        int v[5];
        if (!parse_ab(spec + 3, v)) {
            return ds_diag_set(
                diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                "'%.40s' is not ab:A,B,C,D,E (five whole numbers, e.g. ab:3,3,1,1,1)", spec);
        }
        return ds_design_ab(self, v[0], v[1], v[2], v[3], v[4], diag);
    }
    return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                       "'%.40s' is not one of 3+3, 3+3+3, ab:A,B,C,D,E, rolling6", spec);
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

bool ds_design_same_table(const ds_design_t *a, const ds_design_t *b)
{
    if (a->conduct != b->conduct || a->n_stages != b->n_stages) {
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

const char *ds_conduct_name(ds_conduct_t conduct)
{
    return conduct == DS_CONDUCT_ROLLING_SIX ? "rolling6" : "cohorts";
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
    /* Under de-escalation a dose the trial comes back to, below one found too
     * toxic, rests on its last stage, as lower_taken_at_once asks of it. Doses
     * at or above the start were reached by escalation before any came back;
     * a dose below the start is new after the de-escalation and is accepted
     * as any highest dose allowed is. */
    const bool returned_to = self->deescalate && trial->highest_allowed < trial->n_levels - 1 &&
                             level >= self->start_level;
    if (self->top_dose == DS_TOP_ACCEPT && !returned_to) {
        return action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_ACCEPT);
    }
    return treat_next_stage(self, level, stage, DS_WHY_TOP_EXPAND);
}

/* ---- the rolling six ---- */

ds_rolling_decision_t ds_rolling_six_decision(int enrolled, int dlts, int pending)
{
    const int clear = enrolled - dlts - pending; /* completed the window without a DLT */
    if (dlts >= 2) {
        return DS_ROLLING_DEESCALATE;
    }
    /* Escalate on 0 DLTs with everyone enrolled evaluated (3 to 6 of them), or
     * with six enrolled, on at most one DLT with five cleared: whatever the
     * last pending patient shows, the dose would pass the 3+3's rule. */
    if ((dlts == 0 && pending == 0 && enrolled >= 3) || (enrolled == 6 && clear >= 5)) {
        return DS_ROLLING_ESCALATE;
    }
    return enrolled >= 6 ? DS_ROLLING_SUSPEND : DS_ROLLING_SAME;
}

ds_action_t ds_rolling_start(const ds_design_t *self, ds_rolling_trial_t *r, int n_levels)
{
    ds_design_start(self, &r->trial, n_levels);
    memset(r->pending, 0, (size_t)n_levels * sizeof(r->pending[0]));
    r->confirming = false;
    return action(DS_ACTION_TREAT, self->start_level, 1, DS_WHY_START);
}

static ds_rolling_decision_t rolling_decision_at(const ds_rolling_trial_t *r, int level)
{
    return ds_rolling_six_decision(r->trial.patients[level], r->trial.dlts[level],
                                   r->pending[level]);
}

/* The dose above `level` was found too toxic: go down to the first dose the
 * rules can still use. TREAT or INVALID (kind) means "carry on at
 * trial.current", with `why` for the next enrolment there. */
static ds_action_t rolling_consider_lower(const ds_design_t *self, ds_rolling_trial_t *r, int level)
{
    ds_trial_t *t = &r->trial;
    /* A dose below that now shows two DLTs is too toxic as well. Under
     * Skolnik's table this cannot happen (a dose is left with at most one
     * patient pending, and then with no DLT), but the rules do not rest on it. */
    for (; level >= 0 && rolling_decision_at(r, level) == DS_ROLLING_DEESCALATE; level--) {
        t->highest_allowed = level - 1;
    }
    if (level < 0) {
        return action(DS_ACTION_STOP, -1, 0, DS_WHY_NONE_BELOW);
    }
    t->current = level;
    r->confirming = false;
    if (t->patients[level] == 0) {
        return action(DS_ACTION_TREAT, level, 1, DS_WHY_LOWER_FRESH);
    }
    if (!self->deescalate) {
        return action(DS_ACTION_SELECT, level, 0, DS_WHY_LOWER_AS_IS);
    }
    if (t->patients[level] == 6 && rolling_decision_at(r, level) == DS_ROLLING_ESCALATE) {
        return action(DS_ACTION_SELECT, level, 0, DS_WHY_LOWER_COMPLETE);
    }
    r->confirming = true; /* it must rest on six, as with the 3+3 */
    return action(DS_ACTION_TREAT, level, 1, DS_WHY_LOWER_CONFIRM);
}

ds_action_t ds_rolling_next(const ds_design_t *self, ds_rolling_trial_t *r)
{
    ds_trial_t *t = &r->trial;
    ds_why_t why = DS_WHY_SAME;
    /* Each pass either ends, or moves the current dose once (up to a fresh one,
     * or down): at most 2 * n_levels passes. */
    for (int pass = 0; pass <= 2 * t->n_levels; pass++) {
        const int level = t->current;
        const int n = t->patients[level];
        const ds_rolling_decision_t decision = rolling_decision_at(r, level);
        if (decision == DS_ROLLING_DEESCALATE) {
            t->highest_allowed = level - 1;
            ds_action_t lower = rolling_consider_lower(self, r, level - 1);
            if (lower.kind != DS_ACTION_TREAT) {
                return lower;
            }
            why = lower.why;
            continue;
        }
        if (decision == DS_ROLLING_ESCALATE && level < t->highest_allowed) {
            if (t->patients[level + 1] != 0) {
                return action(DS_ACTION_INVALID, level + 1, 0, DS_WHY_BAD_STATE);
            }
            t->current = level + 1;
            r->confirming = false;
            why = DS_WHY_ESCALATE;
            continue;
        }
        if (decision == DS_ROLLING_ESCALATE) { /* at the highest dose still allowed */
            if (n == 6) {
                return action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_COMPLETE);
            }
            if (self->top_dose == DS_TOP_ACCEPT && !r->confirming) {
                return action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_ACCEPT);
            }
            why = r->confirming ? DS_WHY_LOWER_CONFIRM : DS_WHY_TOP_EXPAND;
        }
        if (n >= 6) {
            return action(DS_ACTION_WAIT, level, 0, DS_WHY_SUSPEND);
        }
        if (why == DS_WHY_SAME && r->confirming) {
            why = DS_WHY_LOWER_CONFIRM;
        }
        return action(DS_ACTION_TREAT, level, 1, why);
    }
    return action(DS_ACTION_INVALID, t->current, 0, DS_WHY_BAD_STATE);
}

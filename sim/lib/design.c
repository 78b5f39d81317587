/* The one design interface: the registry of design families and their
 * presets, the checks of a design, and ds_design_start/ds_design_next, which
 * hand the trial to its family. The rules themselves are in the families'
 * modules (stages.c, rolling_six.c) and the moves they share (escalation.c). */
#include "dosesim/design.h"

#include <stdio.h>
#include <string.h>

#include "family.h"

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
    if (self->family == NULL) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design", "the design has no rules");
    }
    return self->family->check != NULL ? self->family->check(self, n_levels, diag) : 0;
}

/* ---- presets ---- */

/* Name, family and table; the options stay. */
static void set_rules(ds_design_t *self, const char *name, const ds_family_t *family,
                      const ds_stage_t *stages, int n_stages)
{
    snprintf(self->name, sizeof(self->name), "%s", name);
    self->family = family;
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

void ds_design_set_3plus3(ds_design_t *self)
{
    memset(self, 0, sizeof(*self));
    set_rules(self, "3+3", &ds_family_stages, table_3plus3, 2);
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
    set_rules(self, name, &ds_family_stages, stages, 2);
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
        set_rules(self, "3+3", &ds_family_stages, table_3plus3, 2);
        return 0;
    }
    if (strcmp(spec, "3+3+3") == 0) {
        set_rules(self, "3+3+3", &ds_family_stages, table_3plus3plus3, 3);
        return 0;
    }
    if (strcmp(spec, "rolling6") == 0) {
        /* Its decisions are Skolnik's table; the 3+3's table gives its counts. */
        set_rules(self, "rolling6", &ds_family_rolling_six, table_3plus3, 2);
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

const ds_family_t *ds_family_by_name(const char *name)
{
    /* The registry: a new family is one more entry. */
    static const ds_family_t *const families[] = {&ds_family_stages, &ds_family_rolling_six};
    for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
        if (strcmp(families[i]->name, name) == 0) {
            return families[i];
        }
    }
    return NULL;
}

const char *ds_top_dose_name(ds_top_dose_t top_dose)
{
    return top_dose == DS_TOP_ACCEPT ? "accept" : "expand";
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
        memset(trial->pending, 0, 8 * sizeof(trial->pending[0]));
    } else {
        memset(trial->patients, 0, (size_t)n_levels * sizeof(trial->patients[0]));
        memset(trial->dlts, 0, (size_t)n_levels * sizeof(trial->dlts[0]));
        memset(trial->pending, 0, (size_t)n_levels * sizeof(trial->pending[0]));
    }
    return ds_action(DS_ACTION_TREAT, self->start_level, self->family->first_cohort(self),
                     DS_WHY_START);
}

ds_action_t ds_design_next(const ds_design_t *self, ds_trial_t *trial)
{
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

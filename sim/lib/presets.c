/* The registry of design families and the named designs (presets): a new
 * family is one entry in ds_family_by_name and, if it has a name of its own,
 * one in ds_design_preset. */
#include "dosesim/presets.h"
#include "dosesim/accuracy.h"
#include "dosesim/interval.h"

#include <stdio.h>
#include <string.h>

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
    set_rules(self, DS_DEFAULT_DESIGN, &ds_family_stages, table_3plus3, 2);
    self->deescalate = true;
    self->top_dose = DS_TOP_EXPAND;
    self->start_level = 0;
}

int ds_design_set_ab(ds_design_t *self, int a, int b, int c, int d, int e, ds_diag_t *diag)
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
    if (strcmp(spec, DS_DEFAULT_DESIGN) == 0) {
        set_rules(self, DS_DEFAULT_DESIGN, &ds_family_stages, table_3plus3, 2);
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
    ds_interval_kind_t kind = ds_interval_kind_by_name(spec);
    if (kind != DS_INTERVAL_NONE) {
        /* At the default target; the program sets the target and the options
         * and builds it again (ds_interval_build). */
        ds_interval_set(self, kind, DS_TARGET_DEFAULT);
        return ds_interval_build(self, diag);
    }
    if (strncmp(spec, "ab:", 3) == 0) {
        int v[5];
        if (!parse_ab(spec + 3, v)) {
            return ds_diag_set(
                diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                "'%.40s' is not ab:A,B,C,D,E (five whole numbers, e.g. ab:3,3,1,1,1)", spec);
        }
        return ds_design_set_ab(self, v[0], v[1], v[2], v[3], v[4], diag);
    }
    return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                       "'%.40s' is not one of 3+3, 3+3+3, ab:A,B,C,D,E, rolling6, boin, i3+3, "
                       "mtpi2, keyboard",
                       spec);
}

/* The registry: a new family is one more entry. */
static const ds_family_t *const families[] = {&ds_family_stages, &ds_family_rolling_six,
                                              &ds_family_interval};
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

void ds_family_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < N_FAMILIES && used < size; i++) {
        const char *between = i == 0 ? "" : i + 1 == N_FAMILIES ? " or " : ", ";
        int n = snprintf(buf + used, size - used, "%s%s", between, families[i]->name);
        used += n > 0 ? (size_t)n : 0u;
    }
}

const ds_family_t *ds_family_by_name(const char *name)
{
    for (size_t i = 0; i < N_FAMILIES; i++) {
        if (strcmp(families[i]->name, name) == 0) {
            return families[i];
        }
    }
    return NULL;
}

/* The interval designs (interval.h): their decision tables, the conduct they
 * share (R BOIN 2.7.2's get.oc) and the selection at the end (its
 * select.mtd), behind the one design interface. Users' decision tables are
 * read here too. The exact calculation is interval_exact.c. */
#include "dosesim/interval.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/csv.h"
#include "dosesim/fileio.h"
#include "dosesim/schema.h"
#include "dosesim/text.h"

static const char *const kind_names[] = {"", "boin", "i3+3", "mtpi2", "keyboard", "table"};

ds_interval_kind_t ds_interval_kind_by_name(const char *name)
{
    for (int k = DS_INTERVAL_BOIN; k <= DS_INTERVAL_KEYBOARD; k++) {
        if (strcmp(name, kind_names[k]) == 0) {
            return (ds_interval_kind_t)k;
        }
    }
    return DS_INTERVAL_NONE;
}

const char *ds_interval_kind_name(ds_interval_kind_t kind)
{
    return kind >= DS_INTERVAL_BOIN && kind <= DS_INTERVAL_TABLE ? kind_names[kind] : "";
}

void ds_interval_set(ds_design_t *design, ds_interval_kind_t kind, double target)
{
    ds_interval_rules_t *r = &design->interval;
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    r->cohort_size = DS_INTERVAL_DEFAULT_COHORT;
    r->max_n = DS_INTERVAL_DEFAULT_MAX_N;
    r->n_earlystop = DS_INTERVAL_DEFAULT_EARLYSTOP;
    r->target = target;
    r->p_saf = 0.6 * target;
    r->p_tox = 1.4 * target;
    r->lo = target - DS_INTERVAL_DEFAULT_MARGIN;
    r->hi = target + DS_INTERVAL_DEFAULT_MARGIN;
    r->cutoff_eli = DS_INTERVAL_DEFAULT_CUTOFF;
    r->offset = DS_INTERVAL_DEFAULT_OFFSET;
    design->family = &ds_family_interval;
    /* The shared fields the drivers read: one stage of one cohort (the largest
     * cohort, the first cohort); the family's own moves read the rest. */
    design->n_stages = 1;
    memset(design->stages, 0, sizeof(design->stages));
    design->stages[0] = (ds_stage_t){.n_cum = r->cohort_size, .esc_max = 0, .tox_min = 1};
    snprintf(design->name, sizeof(design->name), "%s", kind_names[kind]);
}

/* P(p > target | y DLTs of n) under a Beta(1, 1) prior, as R's 1 - pbeta(). */
/* The built tables' rows: every count a dose can hold, beyond --max-n too,
 * for the counts pooled with backfilled patients (backfill.h). */
#define TABLE_ROWS DS_MAX_PATIENTS_PER_LEVEL

static double posterior_above(double target, int y, int n)
{
    return 1.0 - gsl_cdf_beta_P(target, y + 1.0, n - y + 1.0);
}

/* The elimination and --extrasafe rows, from the posterior (n >= 3 only, as
 * BOIN's get.boundary: below three patients no dose is eliminated). */
static void posterior_rows(ds_interval_rules_t *r)
{
    for (int n = 1; n <= TABLE_ROWS; n++) {
        r->elim_min[n] = r->stop_min[n] = (signed char)(n + 1);
        if (n < 3) {
            continue;
        }
        for (int y = n; y >= 1; y--) {
            double above = posterior_above(r->target, y, n);
            if (above > r->cutoff_eli) {
                r->elim_min[n] = (signed char)y;
            }
            if (above > r->cutoff_eli - r->offset) {
                r->stop_min[n] = (signed char)y;
            }
        }
    }
}

/* BOIN (Liu & Yuan 2015), as get.boundary computes it. */
static void boin_rows(ds_interval_rules_t *r)
{
    const double t = r->target, s = r->p_saf, x = r->p_tox;
    r->lambda_e = log((1 - s) / (1 - t)) / log(t * (1 - s) / (s * (1 - t)));
    r->lambda_d = log((1 - t) / (1 - x)) / log(x * (1 - t) / (t * (1 - x)));
    for (int n = 1; n <= TABLE_ROWS; n++) {
        const double e = r->lambda_e * n, d = r->lambda_d * n;
        r->esc_max[n] = (signed char)floor(e);
        /* y >= ceil(lambda_d n), one more where lambda_d n is a whole number */
        double dmin = fabs(round(d) - d) < 1e-12 ? round(d) + 1 : ceil(d);
        r->deesc_min[n] = (signed char)(dmin < n + 1 ? dmin : n + 1);
    }
}

/* i3+3 (Liu, Wang & Ji 2020): y/n below the interval escalates, inside stays;
 * above de-escalates unless (y - 1)/n is below the interval (then stays). */
static void i3p3_rows(ds_interval_rules_t *r)
{
    for (int n = 1; n <= TABLE_ROWS; n++) {
        r->esc_max[n] = -1;
        r->deesc_min[n] = (signed char)(n + 1);
        for (int y = n; y >= 0; y--) {
            const double rate = (double)y / n;
            if (rate < r->lo) {
                r->esc_max[n] = (signed char)(r->esc_max[n] < y ? y : r->esc_max[n]);
            } else if (rate > r->hi && !((double)(y - 1) / n < r->lo)) {
                r->deesc_min[n] = (signed char)y;
            }
        }
    }
}

/* mTPI-2 (Guo et al. 2017) and Keyboard (Yan, Mandrekar & Yuan 2017): the unit
 * interval cut into keys of the equivalence interval's width from its ends
 * outwards; the keys at 0 and 1 are what is left and their probabilities are
 * scaled by (width / their width) (the unit probability mass of mTPI-2, the
 * compensation of the Keyboard package 0.1.3's get.boundary.kb); the key of
 * the largest posterior probability under Beta(1, 1), the highest one on a
 * tie, below, at or above the target key: escalate, stay, de-escalate. */
static void key_rows(ds_interval_rules_t *r)
{
    const double width = r->hi - r->lo;
    double keys[2 * 64 + 4];
    int n_below = 0;
    while (r->lo - (n_below + 1) * width > 0 && n_below < 60) {
        n_below++;
    }
    n_below++; /* the last one reaches 0 */
    int n_above = 0;
    while (r->hi + (n_above + 1) * width < 1 && n_above < 60) {
        n_above++;
    }
    n_above++;
    int n_keys = 0;
    for (int i = n_below; i >= 1; i--) {
        double at = r->lo - i * width;
        keys[n_keys++] = at < 0 ? 0 : at;
    }
    const int target_key = n_keys; /* the key [lo, hi] starts here */
    keys[n_keys++] = r->lo;
    keys[n_keys++] = r->hi;
    for (int i = 1; i <= n_above; i++) {
        double at = r->hi + i * width;
        keys[n_keys++] = at > 1 ? 1 : at;
    }
    const int n_intervals = n_keys - 1;
    for (int n = 1; n <= TABLE_ROWS; n++) {
        r->esc_max[n] = -1;
        r->deesc_min[n] = (signed char)(n + 1);
        for (int y = 0; y <= n; y++) {
            double best = -1.0;
            int best_key = 0;
            for (int i = 0; i < n_intervals; i++) {
                double scale =
                    (i == 0 || i == n_intervals - 1) ? width / (keys[i + 1] - keys[i]) : 1.0;
                double mass = (gsl_cdf_beta_P(keys[i + 1], y + 1.0, n - y + 1.0) -
                               gsl_cdf_beta_P(keys[i], y + 1.0, n - y + 1.0)) *
                              scale;
                if (mass >= best) {
                    best = mass;
                    best_key = i;
                }
            }
            if (best_key < target_key) {
                r->esc_max[n] = (signed char)y;
            } else if (best_key > target_key && r->deesc_min[n] == n + 1) {
                r->deesc_min[n] = (signed char)y;
            }
        }
    }
}

/* The name: the --design word, then every option that is not its default. */
static void make_name(ds_design_t *design)
{
    const ds_interval_rules_t *r = &design->interval;
    char options[DS_MAX_DESIGN_NAME - 16] = ""; /* room for the word and brackets */
    size_t used = 0;
#define ADD(...)                                                                                   \
    do {                                                                                           \
        int k_ = snprintf(options + used, sizeof(options) - used, __VA_ARGS__);                    \
        used += k_ > 0 && (size_t)k_ < sizeof(options) - used ? (size_t)k_ : 0u;                   \
    } while (0)
    char a[DS_DOUBLE_CHARS], b[DS_DOUBLE_CHARS];
    if (r->max_n != DS_INTERVAL_DEFAULT_MAX_N) {
        ADD(",max_n=%d", r->max_n);
    }
    if (r->cohort_size != DS_INTERVAL_DEFAULT_COHORT) {
        ADD(",cohort=%d", r->cohort_size);
    }
    if (r->n_earlystop != DS_INTERVAL_DEFAULT_EARLYSTOP) {
        ADD(",n_earlystop=%d", r->n_earlystop);
    }
    if (r->kind == DS_INTERVAL_BOIN &&
        (fabs(r->p_saf - 0.6 * r->target) > 1e-12 || fabs(r->p_tox - 1.4 * r->target) > 1e-12)) {
        ds_format_double(r->p_saf, a);
        ds_format_double(r->p_tox, b);
        ADD(",p_saf=%s,p_tox=%s", a, b);
    }
    if ((r->kind == DS_INTERVAL_I3P3 || r->kind == DS_INTERVAL_MTPI2 ||
         r->kind == DS_INTERVAL_KEYBOARD) &&
        (fabs(r->lo - (r->target - DS_INTERVAL_DEFAULT_MARGIN)) > 1e-12 ||
         fabs(r->hi - (r->target + DS_INTERVAL_DEFAULT_MARGIN)) > 1e-12)) {
        ds_format_double(r->lo, a);
        ds_format_double(r->hi, b);
        ADD(",interval=%s-%s", a, b);
    }
    if (r->kind != DS_INTERVAL_TABLE && r->cutoff_eli != DS_INTERVAL_DEFAULT_CUTOFF) {
        ds_format_double(r->cutoff_eli, a);
        ADD(",elimination_cutoff=%s", a);
    }
    if (r->extrasafe) {
        ADD(",extrasafe");
    }
    if (r->bound_mtd) {
        ADD(",bound_mtd");
    }
#undef ADD
    if (r->kind == DS_INTERVAL_TABLE) {
        return; /* named "table:<file>" by the reader; options in the key columns */
    }
    if (used == 0) {
        snprintf(design->name, sizeof(design->name), "%s", kind_names[r->kind]);
    } else {
        snprintf(design->name, sizeof(design->name), "%s(%s)", kind_names[r->kind], options + 1);
    }
}

static int bad(ds_diag_t *diag, const char *field, const char *fmt, double a, double b)
{
    return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, field, fmt, a, b);
}

int ds_interval_build(ds_design_t *design, ds_diag_t *diag)
{
    ds_interval_rules_t *r = &design->interval;
    const double t = r->target;
    if (r->kind < DS_INTERVAL_BOIN || r->kind > DS_INTERVAL_TABLE) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design", "not an interval design");
    }
    if (r->cohort_size < 1 || r->cohort_size > DS_MAX_PATIENTS_PER_LEVEL) {
        return bad(diag, "--cohort-size", "%g patients per cohort; it needs 1 to %g",
                   r->cohort_size, DS_MAX_PATIENTS_PER_LEVEL);
    }
    if (r->max_n < r->cohort_size || r->max_n > DS_MAX_PATIENTS_PER_LEVEL ||
        r->max_n % r->cohort_size != 0) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--max-n",
                           "%d patients: the trial's largest size must be a multiple of the "
                           "cohort size %d, from %d to %d",
                           r->max_n, r->cohort_size, r->cohort_size,
                           DS_MAX_PATIENTS_PER_LEVEL - DS_MAX_PATIENTS_PER_LEVEL % r->cohort_size);
    }
    if (r->n_earlystop < 1) {
        return bad(diag, "--n-earlystop", "%g: it needs a positive number of patients",
                   r->n_earlystop, 0);
    }
    if (!(t >= 0.05 && t <= 0.6)) {
        return bad(diag, "--target", "%g: the interval designs need a target in 0.05..0.6", t, 0);
    }
    if (r->kind != DS_INTERVAL_TABLE &&
        !(r->cutoff_eli > 0.5 && r->cutoff_eli < 1 && r->cutoff_eli - r->offset > 0.5)) {
        return bad(diag, "--elimination-cutoff",
                   "%g: it needs a probability above 0.5 (and above %g with --extrasafe) and "
                   "below 1",
                   r->cutoff_eli, 0.5 + r->offset);
    }
    if (r->kind == DS_INTERVAL_BOIN) {
        /* get.boundary's own checks */
        if (!(r->p_saf > 0 && t - r->p_saf >= 0.1 * t - 1e-12)) {
            return bad(diag, "--p-saf",
                       "%g: the rate deemed safe must be above 0 and below the target %g by "
                       "at least a tenth of it",
                       r->p_saf, t);
        }
        if (!(r->p_tox < 1 && r->p_tox - t >= 0.1 * t - 1e-12)) {
            return bad(diag, "--p-tox",
                       "%g: the rate deemed toxic must be below 1 and above the target %g by "
                       "at least a tenth of it",
                       r->p_tox, t);
        }
    } else if (r->bound_mtd) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--bound-mtd",
                           "--bound-mtd bounds BOIN's selection by its lambda_d; %s has none",
                           kind_names[r->kind]);
    }
    if (r->kind == DS_INTERVAL_I3P3 || r->kind == DS_INTERVAL_MTPI2 ||
        r->kind == DS_INTERVAL_KEYBOARD) {
        if (!(r->lo > 0 && r->lo < t && t < r->hi && r->hi < 1)) {
            return bad(diag, "--interval",
                       "%g,%g: the equivalence interval needs 0 < LO < target < HI < 1", r->lo,
                       r->hi);
        }
        if (r->kind != DS_INTERVAL_I3P3 && r->hi - r->lo < 0.02) {
            return bad(diag, "--interval",
                       "%g,%g: keys narrower than 0.02 (more than 50 across the unit interval) "
                       "are not kept",
                       r->lo, r->hi);
        }
    }
    switch (r->kind) {
    case DS_INTERVAL_BOIN:
        boin_rows(r);
        break;
    case DS_INTERVAL_I3P3:
        i3p3_rows(r);
        break;
    case DS_INTERVAL_MTPI2:
    case DS_INTERVAL_KEYBOARD:
        key_rows(r);
        break;
    default:
        break; /* a user's table is read with its rows */
    }
    if (r->kind != DS_INTERVAL_TABLE) {
        posterior_rows(r);
        for (int n = 1; n <= TABLE_ROWS; n++) {
            /* the de-escalation count is capped at the elimination count */
            if (r->deesc_min[n] > r->elim_min[n]) {
                r->deesc_min[n] = r->elim_min[n];
            }
        }
    } else if (r->extrasafe) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--extrasafe",
                           "--extrasafe stops on a posterior; a user's decision table has none");
    }
    design->stages[0] = (ds_stage_t){.n_cum = r->cohort_size, .esc_max = 0, .tox_min = 1};
    design->n_stages = 1;
    design->family = &ds_family_interval;
    make_name(design);
    return 0;
}

/* One option of a name, "key=value" or a flag, into r; false if it is not one. */
static bool name_option(ds_interval_rules_t *r, const char *key, size_t key_len, const char *value)
{
#define IS(word) (key_len == sizeof(word) - 1 && strncmp(key, word, key_len) == 0)
    char *end = NULL;
    if (value == NULL) {
        if (IS("extrasafe")) {
            r->extrasafe = true;
            return true;
        }
        if (IS("bound_mtd")) {
            r->bound_mtd = true;
            return true;
        }
        return false;
    }
    if (IS("max_n") || IS("cohort") || IS("n_earlystop")) {
        long v = strtol(value, &end, 10);
        if (end == value || (*end != ',' && *end != ')') || v < 1 || v > 1000) {
            return false;
        }
        *(IS("max_n") ? &r->max_n : IS("cohort") ? &r->cohort_size : &r->n_earlystop) = (int)v;
        return true;
    }
    if (IS("p_saf") || IS("p_tox") || IS("elimination_cutoff")) {
        double v = strtod(value, &end);
        if (end == value || (*end != ',' && *end != ')')) {
            return false;
        }
        *(IS("p_saf") ? &r->p_saf : IS("p_tox") ? &r->p_tox : &r->cutoff_eli) = v;
        return true;
    }
    if (IS("interval")) {
        r->lo = strtod(value, &end);
        if (end == value || *end != '-') {
            return false;
        }
        const char *hi = end + 1;
        r->hi = strtod(hi, &end);
        return end != hi && (*end == ',' || *end == ')');
    }
    return false;
#undef IS
}

int ds_interval_from_name(ds_design_t *design, const char *name, double target, ds_diag_t *diag)
{
    char word[16];
    const size_t word_len = strcspn(name, "(");
    if (word_len >= sizeof(word)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design", "not an interval design");
    }
    memcpy(word, name, word_len);
    word[word_len] = '\0';
    const ds_interval_kind_t kind = ds_interval_kind_by_name(word);
    if (kind == DS_INTERVAL_NONE) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design", "not an interval design");
    }
    ds_design_t built = *design;
    ds_interval_set(&built, kind, target);
    const char *at = name + word_len;
    if (*at == '(') {
        const size_t len = strlen(at);
        if (len < 3 || at[len - 1] != ')') {
            return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                               "'%.60s' is not an interval design's name", name);
        }
        for (at++; *at != ')';) {
            const size_t key_len = strcspn(at, "=,)");
            const char *value = at[key_len] == '=' ? at + key_len + 1 : NULL;
            if (!name_option(&built.interval, at, key_len, value)) {
                return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                                   "'%.60s' is not an interval design's name", name);
            }
            at += strcspn(at, ",)");
            at += *at == ',';
        }
    } else if (*at != '\0') {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design", "not an interval design");
    }
    int ret = ds_interval_build(&built, diag);
    if (ret == 0 && strcmp(built.name, name) != 0) {
        ret = ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "design",
                          "'%.60s' is not the name dosesim gives that design ('%s')", name,
                          built.name);
    }
    if (ret == 0) {
        *design = built;
    }
    return ret;
}

/* ---- the conduct ---- */

typedef enum { DECIDE_ESCALATE, DECIDE_STAY, DECIDE_DEESCALATE } decision_t;

static decision_t decide(const ds_interval_rules_t *r, int n, int y)
{
    return y <= r->esc_max[n]     ? DECIDE_ESCALATE
           : y >= r->deesc_min[n] ? DECIDE_DEESCALATE
                                  : DECIDE_STAY;
}

/* Pool adjacent violators, weights w, in place (the isotonic regression). */
static void pava(double *x, const double *w, int n)
{
    double value[DS_MAX_LEVELS], weight[DS_MAX_LEVELS];
    int size[DS_MAX_LEVELS];
    int blocks = 0;
    for (int i = 0; i < n; i++) {
        value[blocks] = x[i];
        weight[blocks] = w[i];
        size[blocks] = 1;
        blocks++;
        while (blocks > 1 && value[blocks - 2] > value[blocks - 1]) {
            const double sum = weight[blocks - 2] + weight[blocks - 1];
            value[blocks - 2] =
                (value[blocks - 2] * weight[blocks - 2] + value[blocks - 1] * weight[blocks - 1]) /
                sum;
            weight[blocks - 2] = sum;
            size[blocks - 2] += size[blocks - 1];
            blocks--;
        }
    }
    for (int b = 0, i = 0; b < blocks; b++) {
        for (int k = 0; k < size[b]; k++) {
            x[i++] = value[b];
        }
    }
}

int ds_interval_select(const ds_design_t *design, const int *patients, const int *dlts,
                       int n_levels)
{
    const ds_interval_rules_t *r = &design->interval;
    int admissible = n_levels; /* levels from the first eliminated one up are out */
    for (int d = 0; d < n_levels; d++) {
        if (patients[d] >= 3 && dlts[d] >= r->elim_min[patients[d]]) {
            admissible = d;
            break;
        }
    }
    if (r->extrasafe && patients[0] >= 3 && dlts[0] >= r->stop_min[patients[0]]) {
        admissible = 0;
    }
    double phat[DS_MAX_LEVELS], weight[DS_MAX_LEVELS];
    int level_of[DS_MAX_LEVELS];
    int k = 0;
    for (int d = 0; d < admissible; d++) {
        if (patients[d] == 0) {
            continue;
        }
        const double y = dlts[d] + 0.05, n = patients[d] + 0.1;
        phat[k] = y / n;
        weight[k] = 1.0 / (y * (patients[d] - dlts[d] + 0.05) / (n * n * (n + 1)));
        level_of[k++] = d;
    }
    if (admissible == 0 || k == 0) {
        return -1;
    }
    pava(phat, weight, k);
    int best = -1;
    double best_gap = INFINITY;
    for (int i = 0; i < k; i++) {
        const double estimate = phat[i] + (i + 1) * 1e-10; /* as select.mtd: ties to the lower */
        if (r->bound_mtd && estimate > r->lambda_d) {
            break; /* the estimates rise: the rest are above too */
        }
        const double gap = fabs(estimate - r->target);
        if (gap < best_gap) {
            best_gap = gap;
            best = i;
        }
    }
    return best < 0 ? -1 : level_of[best];
}

/* The trial ends: the selection from its counts (with backfill, pooled). */
static ds_action_t end_of_trial(const ds_design_t *design, const ds_trial_t *trial)
{
    int patients[DS_MAX_LEVELS], dlts[DS_MAX_LEVELS];
    for (int d = 0; d < trial->n_levels; d++) {
        patients[d] = ds_trial_pooled_patients(trial, d);
        dlts[d] = ds_trial_pooled_dlts(trial, d);
    }
    int mtd = ds_interval_select(design, patients, dlts, trial->n_levels);
    return mtd < 0 ? ds_action_make(DS_ACTION_STOP, -1, 0, DS_WHY_END_NONE)
                   : ds_action_make(DS_ACTION_SELECT, mtd, 0, DS_WHY_END_SELECT);
}

static ds_action_t interval_next(const ds_design_t *design, ds_trial_t *trial)
{
    const ds_interval_rules_t *r = &design->interval;
    const int d = trial->current, own = trial->patients[d];
    /* the decision reads the dose's every known outcome, the backfilled too
     * (BF-BOIN's pooling); the trial's size, --max-n, counts its cohorts */
    const int n = ds_trial_pooled_patients(trial, d), y = ds_trial_pooled_dlts(trial, d);
    const int top = trial->n_levels - 1;
    if (own < 1 || own > r->max_n || trial->n_total > r->max_n || n > DS_MAX_PATIENTS_PER_LEVEL) {
        return ds_action_make(DS_ACTION_INVALID, d, 0, DS_WHY_BAD_STATE);
    }
    if (trial->n_total + r->cohort_size > r->max_n) {
        return end_of_trial(design, trial);
    }
    if (n >= 3 && y >= r->elim_min[n]) {
        if (trial->highest_allowed > d - 1) {
            trial->highest_allowed = d - 1;
        }
        if (d == 0) {
            return ds_action_make(DS_ACTION_STOP, -1, 0, DS_WHY_LOWEST_ELIMINATED);
        }
    }
    if (r->extrasafe && d == 0 && n >= 3 && r->elim_min[n] <= n && y >= r->stop_min[n]) {
        return ds_action_make(DS_ACTION_STOP, -1, 0, DS_WHY_LOWEST_ELIMINATED);
    }
    const decision_t decision = decide(r, n, y);
    const bool blocked = d == top || trial->highest_allowed < d + 1;
    if (n >= r->n_earlystop &&
        (decision == DECIDE_STAY || (d == 0 && decision == DECIDE_DEESCALATE) ||
         (blocked && decision == DECIDE_ESCALATE))) {
        return end_of_trial(design, trial);
    }
    if (decision == DECIDE_ESCALATE && !blocked) {
        trial->current = d + 1;
        return ds_action_make(DS_ACTION_TREAT, d + 1, r->cohort_size, DS_WHY_ESCALATE);
    }
    if (decision == DECIDE_DEESCALATE && d > 0) {
        trial->current = d - 1;
        return ds_action_make(DS_ACTION_TREAT, d - 1, r->cohort_size,
                              trial->highest_allowed < d ? DS_WHY_ELIMINATE : DS_WHY_DEESCALATE);
    }
    return ds_action_make(DS_ACTION_TREAT, d, r->cohort_size, DS_WHY_STAY);
}

/* Backfill (backfill.h): a dose whose pooled counts would make the design
 * de-escalate from it (BOIN's lambda_d) closes to backfill ... */
static bool interval_pooled_too_toxic(const ds_design_t *design, int patients, int dlts)
{
    return patients >= 1 && patients <= DS_MAX_PATIENTS_PER_LEVEL &&
           decide(&design->interval, patients, dlts) == DECIDE_DEESCALATE;
}

/* ... and the escalation, if its next cohort was to be at that dose or above,
 * de-escalates to the dose below it (at the lowest, stays there), as it would
 * from the dose itself; a dose is eliminated only by the design's own rule,
 * on the pooled counts. A trial that has ended selects on them. */
static ds_action_t interval_backfill_closed(const ds_design_t *design, ds_trial_t *trial, int level,
                                            ds_action_t next)
{
    if (next.kind != DS_ACTION_TREAT || next.level < level) {
        return next;
    }
    const int below = level > 0 ? level - 1 : 0;
    trial->current = below;
    return ds_action_make(DS_ACTION_TREAT, below, design->interval.cohort_size, DS_WHY_DEESCALATE);
}

/* The shared interface's questions, answered in the interval designs' terms
 * (the family's own moves, interval_next, are what the drivers follow). */
static ds_band_t interval_verdict(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    const int n = trial->patients[level];
    if (n < 1 || n > design->interval.max_n) {
        return DS_BAND_UNREACHABLE;
    }
    switch (decide(&design->interval, n, trial->dlts[level])) {
    case DECIDE_ESCALATE:
        return DS_BAND_ESCALATE;
    case DECIDE_STAY:
        return DS_BAND_MORE;
    default:
        return DS_BAND_TOO_TOXIC;
    }
}

static ds_action_t interval_more(const ds_design_t *design, const ds_trial_t *trial, int level,
                                 ds_why_t why)
{
    (void)trial;
    return ds_action_make(DS_ACTION_TREAT, level, design->interval.cohort_size, why);
}

static int interval_first_cohort(const ds_design_t *design)
{
    return design->interval.cohort_size;
}

/* A cohort is decided on the exact counts, so only once every outcome is in. */
static ds_cohort_rule_t interval_cohort_rule(const ds_design_t *design, const ds_trial_t *before,
                                             int level, int n)
{
    (void)design;
    (void)before;
    (void)level;
    return (ds_cohort_rule_t){.esc_max = -1, .tox_min = n + 1, .every_outcome = true};
}

static int interval_max_patients(const ds_design_t *design, int n_levels)
{
    (void)n_levels;
    return design->interval.max_n;
}

static int interval_check(const ds_design_t *design, int n_levels, ds_diag_t *diag)
{
    (void)n_levels;
    const ds_interval_rules_t *r = &design->interval;
    if (r->kind == DS_INTERVAL_NONE || r->cohort_size < 1 || r->max_n < r->cohort_size ||
        r->max_n > DS_MAX_PATIENTS_PER_LEVEL || r->max_n % r->cohort_size != 0) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                           "the interval design '%s' was not built", design->name);
    }
    return 0;
}

const ds_family_t ds_family_interval = {
    .name = "interval",
    .title = "the interval designs",
    .calendar_reason = NULL,
    .enumerable = false,
    .one_at_a_time = false,
    .needs_calendar = false,
    .check = interval_check,
    .first_cohort = interval_first_cohort,
    .verdict = interval_verdict,
    .more = interval_more,
    .cohort_rule = interval_cohort_rule,
    .next = interval_next,
    .max_patients = interval_max_patients,
    .exact = true,
    .pooled_too_toxic = interval_pooled_too_toxic,
    .backfill_closed = interval_backfill_closed,
    .pools_backfill = true,
};

/* ---- users' decision tables ---- */

/* Three layouts, told apart by the header: a row per (n, dlts) with its
 * decision (LONG); a row per n with its boundaries, as dosesim table --format
 * csv writes (BOUNDS); or a grid as mTPI's tables are printed, a row per DLT
 * count and a column per n (GRID). */
enum { LAYOUT_UNKNOWN, LAYOUT_LONG, LAYOUT_BOUNDS, LAYOUT_GRID };

enum { COL_N, COL_DLTS, COL_DECISION, N_COLS };
static const char *const column_names[N_COLS] = {DS_DTABLE_PATIENTS, DS_DTABLE_DLTS,
                                                 DS_DTABLE_DECISION};
enum { B_N, B_ESC, B_DEESC, B_ELIM, B_DESIGN, B_TARGET, B_STOP, N_BOUNDS };
static const char *const bound_names[N_BOUNDS] = {
    DS_DTABLE_PATIENTS,       DS_DTABLE_ESCALATE_AT_MOST, DS_DTABLE_DEESCALATE_FROM,
    DS_DTABLE_ELIMINATE_FROM, DS_DTABLE_DESIGN,           DS_DTABLE_TARGET,
    DS_DTABLE_STOP_FROM};
static const char *const grid_names[] = {DS_DTABLE_DLTS};

enum { CELL_NONE = 0, CELL_E, CELL_S, CELL_D, CELL_DU };
static const char *const cell_words[] = {"", "E", "S", "D", "DU"};

typedef struct {
    ds_csv_table_t table;
    ds_diag_t *diag;
    int layout;
    int cohort;
    double target;                               /* the run's, which a target column must match */
    int grid_n[DS_CSV_MAX_COLUMNS];              /* GRID: each column's n (0: the dlts column) */
    bool grid_y[DS_MAX_PATIENTS_PER_LEVEL + 1];  /* GRID: the DLT counts given */
    bool bound_n[DS_MAX_PATIENTS_PER_LEVEL + 1]; /* BOUNDS: the n given */
    unsigned char cell[DS_MAX_PATIENTS_PER_LEVEL + 1][DS_MAX_PATIENTS_PER_LEVEL + 1];
    long line[DS_MAX_PATIENTS_PER_LEVEL + 1][DS_MAX_PATIENTS_PER_LEVEL + 1];
    int largest_n;
    int n_rows;
} table_reader_t;

static bool header_has(const ds_csv_record_t *rec, const char *name)
{
    for (int i = 0; i < rec->n_fields; i++) {
        if (strcmp(rec->fields[i], name) == 0) {
            return true;
        }
    }
    return false;
}

static int table_header(table_reader_t *r, const ds_csv_record_t *rec)
{
    if (header_has(rec, DS_DTABLE_ESCALATE_AT_MOST)) {
        r->layout = LAYOUT_BOUNDS;
        r->table.names = bound_names;
        r->table.n_names = N_BOUNDS;
        r->table.n_optional = 3; /* design, target, stop_from */
        r->table.max_value = DS_MAX_DESIGN_NAME;
    } else if (header_has(rec, DS_DTABLE_DLTS) && !header_has(rec, DS_DTABLE_PATIENTS) &&
               !header_has(rec, DS_DTABLE_DECISION)) {
        r->layout = LAYOUT_GRID;
        r->table.names = grid_names;
        r->table.n_names = 1;
        r->table.keep_unknown = true;
    } else {
        r->layout = LAYOUT_LONG;
    }
    int ret = ds_csv_table_header(&r->table, rec, r->diag);
    for (int i = 0; ret == 0 && r->layout == LAYOUT_GRID && i < r->table.n_columns; i++) {
        if (r->table.role[i] != DS_CSV_UNKNOWN) {
            continue;
        }
        uint64_t n = 0;
        if (!ds_parse_u64(rec->fields[i], &n) || n < 1 || n > DS_MAX_PATIENTS_PER_LEVEL) {
            return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, rec->fields[i],
                               "a column of the grid is a number of patients, 1 to %d; the "
                               "first is " DS_DTABLE_DLTS " (the DLTs of each row)",
                               DS_MAX_PATIENTS_PER_LEVEL);
        }
        for (int j = 0; j < i; j++) {
            if (r->grid_n[j] == (int)n) {
                return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, rec->fields[i],
                                   "n = %d is given twice", (int)n);
            }
        }
        r->grid_n[i] = (int)n;
    }
    return ret;
}

/* One decision into the table, unless the trial never has n at a dose (a
 * grid or a row of boundaries may list every n, as published tables do). */
static int put_cell(table_reader_t *r, long line, const char *field, int n, int y, int word)
{
    if (r->cell[n][y] != CELL_NONE) {
        return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, line, field,
                           "n = %d, %d DLTs is given twice (first on line %ld)", n, y,
                           r->line[n][y]);
    }
    if (r->layout != LAYOUT_LONG && n % r->cohort != 0) {
        return 0;
    }
    r->cell[n][y] = (unsigned char)word;
    r->line[n][y] = line;
    r->largest_n = n > r->largest_n ? n : r->largest_n;
    return 0;
}

static int decision_word(table_reader_t *r, long line, const char *field, const char *text,
                         int *word)
{
    for (int w = CELL_E; w <= CELL_DU; w++) {
        if (strcmp(text, cell_words[w]) == 0) {
            *word = w;
            return 0;
        }
    }
    char why[96];
    const char *problem = ds_text_problem(text, strlen(text), why, sizeof(why));
    if (problem != NULL) {
        return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, line, field, "%s", problem);
    }
    return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, line, field,
                       "'%.40s' is not E, S, D or DU (escalate, stay, de-escalate, "
                       "de-escalate and eliminate)",
                       text);
}

/* A boundary cell: a count in lo..hi, or empty for never (the value never). */
static int bound_cell(table_reader_t *r, long line, int role, const char *text, int lo, int hi,
                      int never, int *out)
{
    if (text == NULL || text[0] == '\0') {
        *out = never;
        return 0;
    }
    return ds_csv_table_int(&r->table, line, role, text, lo, hi, out, r->diag);
}

static int bounds_row(table_reader_t *r, const ds_csv_record_t *rec, const char **value)
{
    int n = 0, esc = 0, deesc = 0, elim = 0;
    int ret = ds_csv_table_int(&r->table, rec->line, B_N, value[B_N], 1, DS_MAX_PATIENTS_PER_LEVEL,
                               &n, r->diag);
    if (ret == 0 && r->bound_n[n]) {
        ret = ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, DS_DTABLE_PATIENTS,
                          "n = %d is given twice", n);
    }
    if (ret == 0) {
        ret = bound_cell(r, rec->line, B_ESC, value[B_ESC], 0, n, -1, &esc);
    }
    if (ret == 0) {
        ret = bound_cell(r, rec->line, B_DEESC, value[B_DEESC], 1, n, n + 1, &deesc);
    }
    if (ret == 0) {
        ret = bound_cell(r, rec->line, B_ELIM, value[B_ELIM], 1, n, n + 1, &elim);
    }
    if (ret != 0) {
        return ret;
    }
    r->bound_n[n] = true;
    if (value[B_STOP] != NULL && value[B_STOP][0] != '\0') {
        return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, DS_DTABLE_STOP_FROM,
                           "--extrasafe's stop rests on a posterior; a decision table of your "
                           "own has none (leave the column empty)");
    }
    double target = 0.0;
    if (value[B_TARGET] != NULL && value[B_TARGET][0] != '\0' &&
        (!ds_parse_double(value[B_TARGET], &target) || fabs(target - r->target) > 1e-12)) {
        char run[DS_DOUBLE_CHARS];
        ds_format_double(r->target, run);
        return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, DS_DTABLE_TARGET,
                           "'%.20s': the table was made for another target than this run's "
                           "%s (give --target, or leave the column empty)",
                           value[B_TARGET], run);
    }
    if (esc >= deesc) {
        return ds_diag_set(
            r->diag, DS_ERR_PARSE, r->table.path, rec->line, DS_DTABLE_DEESCALATE_FROM,
            "n = %d: de-escalating from %d DLTs, but escalating with up to %d", n, deesc, esc);
    }
    if (deesc > elim) {
        return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line,
                           DS_DTABLE_ELIMINATE_FROM,
                           "n = %d: eliminating from %d DLTs, but de-escalating only from %d "
                           "(an eliminated dose is left)",
                           n, elim, deesc);
    }
    for (int y = 0; ret == 0 && y <= n; y++) {
        const int word = y <= esc ? CELL_E : y >= elim ? CELL_DU : y >= deesc ? CELL_D : CELL_S;
        ret = put_cell(r, rec->line, DS_DTABLE_PATIENTS, n, y, word);
    }
    return ret;
}

static int grid_row(table_reader_t *r, const ds_csv_record_t *rec, const char **value)
{
    int y = 0;
    int ret = ds_csv_table_int(&r->table, rec->line, 0, value[0], 0, DS_MAX_PATIENTS_PER_LEVEL, &y,
                               r->diag);
    if (ret == 0 && r->grid_y[y]) {
        ret = ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, DS_DTABLE_DLTS,
                          "%d DLTs is given twice", y);
    }
    for (int i = 0; ret == 0 && i < rec->n_fields; i++) {
        const int n = r->grid_n[i];
        const char *text = rec->fields[i];
        int word = CELL_NONE;
        if (n == 0 || text[0] == '\0') {
            continue; /* the dlts column; an empty cell (y > n, or missing) */
        }
        char field[24];
        snprintf(field, sizeof(field), "%d", n);
        ret = decision_word(r, rec->line, field, text, &word);
        if (ret == 0 && y > n) {
            ret = ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, field,
                              "%d DLTs among %d patients: the cell must be empty", y, n);
        }
        if (ret == 0) {
            ret = put_cell(r, rec->line, field, n, y, word);
        }
    }
    if (ret == 0) {
        r->grid_y[y] = true;
    }
    return ret;
}

static int table_record(void *ctx, const ds_csv_record_t *rec)
{
    table_reader_t *r = ctx;
    if (r->table.n_columns == 0) {
        return table_header(r, rec);
    }
    const char *value[N_BOUNDS] = {NULL};
    int ret = ds_csv_table_row(&r->table, rec, value, r->diag);
    if (ret == 0) {
        r->n_rows++;
    }
    if (ret != 0 || r->layout == LAYOUT_BOUNDS) {
        return ret != 0 ? ret : bounds_row(r, rec, value);
    }
    if (r->layout == LAYOUT_GRID) {
        return grid_row(r, rec, value);
    }
    int n = 0, y = 0, word = CELL_NONE;
    ret = ds_csv_table_int(&r->table, rec->line, COL_N, value[COL_N], 1, DS_MAX_PATIENTS_PER_LEVEL,
                           &n, r->diag);
    if (ret == 0) {
        ret = ds_csv_table_int(&r->table, rec->line, COL_DLTS, value[COL_DLTS], 0, n, &y, r->diag);
    }
    if (ret == 0) {
        ret = decision_word(r, rec->line, DS_DTABLE_DECISION, value[COL_DECISION], &word);
    }
    if (ret == 0) {
        ret = put_cell(r, rec->line, DS_DTABLE_DLTS, n, y, word);
    }
    return ret;
}

int ds_interval_parse_table(ds_design_t *design, const char *path, const char *text, size_t len,
                            ds_diag_t *diag)
{
    table_reader_t *r = calloc(1, sizeof(*r));
    if (r == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    r->table =
        (ds_csv_table_t){.path = path, .names = column_names, .n_names = N_COLS, .max_value = 16};
    r->diag = diag;
    ds_diag_clear(diag);
    ds_interval_rules_t *rules = &design->interval;
    const int cohort = rules->cohort_size > 0 ? rules->cohort_size : 1;
    r->cohort = cohort;
    r->target = rules->target;
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    int ret = 0;
    if (base[0] == '\0') {
        ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                          "the path names no file (it names the design in the results)");
    } else if (strlen(base) + sizeof(DS_INTERVAL_TABLE_PREFIX) > sizeof(design->name)) {
        ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                          "the file name is longer than %zu bytes (it names the design in the "
                          "results)",
                          sizeof(design->name) - sizeof(DS_INTERVAL_TABLE_PREFIX));
    }
    if (ret == 0) {
        ret = ds_csv_read(path, text, len, table_record, r, diag);
    }
    if (ret == 0 && r->table.n_columns == 0) {
        ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                          "the file is empty; expected a header line " DS_DECISION_TABLE_HEADER
                          " and a row per patients and DLTs (or " DS_DTABLE_PATIENTS
                          "," DS_DTABLE_ESCALATE_AT_MOST "," DS_DTABLE_DEESCALATE_FROM
                          "," DS_DTABLE_ELIMINATE_FROM " and a row per n, or a grid " DS_DTABLE_DLTS
                          ",3,6,... and a row per DLT count)");
    }
    if (ret == 0 && r->n_rows == 0) {
        ret = ds_diag_set(diag, DS_ERR_PARSE, path, 1, "", "the file has a header but no rows");
    }
    if (ret == 0 && r->largest_n == 0) {
        ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, DS_DTABLE_PATIENTS,
                          "no row is at a number of patients the trial reaches (multiples of "
                          "the cohort size %d, --cohort-size)",
                          cohort);
    }
    /* Every n the trial can reach (multiples of the cohort size up to the
     * largest given) with every DLT count; the decisions in order. */
    for (int n = 1; ret == 0 && n <= r->largest_n; n++) {
        const bool reached = n % cohort == 0;
        for (int y = 0; ret == 0 && y <= n; y++) {
            if (reached && r->cell[n][y] == CELL_NONE) {
                ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, DS_DTABLE_DLTS,
                                  "n = %d patients with %d DLTs is missing: a cohort of %d "
                                  "reaches every multiple of %d up to the largest n, %d",
                                  n, y, cohort, cohort, r->largest_n);
            } else if (!reached && r->cell[n][y] != CELL_NONE) {
                ret = ds_diag_set(diag, DS_ERR_PARSE, path, r->line[n][y], DS_DTABLE_PATIENTS,
                                  "n = %d is not a multiple of the cohort size %d "
                                  "(--cohort-size): the trial never has that many at a dose",
                                  n, cohort);
            } else if (reached && y > 0 && r->cell[n][y] < r->cell[n][y - 1]) {
                ret = ds_diag_set(diag, DS_ERR_PARSE, path, r->line[n][y], DS_DTABLE_DECISION,
                                  "n = %d: %s at %d DLTs after %s at %d: the decisions must go "
                                  "E, S, D, DU as the DLTs rise",
                                  n, cell_words[r->cell[n][y]], y, cell_words[r->cell[n][y - 1]],
                                  y - 1);
            } else if (reached && n < 3 && r->cell[n][y] == CELL_DU) {
                ret = ds_diag_set(diag, DS_ERR_PARSE, path, r->line[n][y], DS_DTABLE_DECISION,
                                  "n = %d: DU below 3 patients; doses are eliminated from 3 "
                                  "patients on (BOIN's conduct): use D",
                                  n);
            }
        }
    }
    if (ret == 0) {
        if (rules->max_n == 0) {
            rules->max_n = r->largest_n;
        }
        if (rules->max_n > r->largest_n) {
            ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, DS_DTABLE_PATIENTS,
                              "the table stops at n = %d, but --max-n is %d", r->largest_n,
                              rules->max_n);
        }
    }
    if (ret == 0) {
        rules->kind = DS_INTERVAL_TABLE;
        rules->table_n = r->largest_n;
        for (int n = 1; n <= DS_MAX_PATIENTS_PER_LEVEL; n++) {
            rules->esc_max[n] = -1;
            rules->deesc_min[n] = rules->elim_min[n] = rules->stop_min[n] = (signed char)(n + 1);
            for (int y = n; n <= r->largest_n && y >= 0; y--) {
                const int c = r->cell[n][y];
                if (c == CELL_E && rules->esc_max[n] < y) {
                    rules->esc_max[n] = (signed char)y;
                }
                if (c >= CELL_D) {
                    rules->deesc_min[n] = (signed char)y;
                }
                if (c == CELL_DU) {
                    rules->elim_min[n] = (signed char)y;
                }
            }
        }
        snprintf(design->name, sizeof(design->name), DS_INTERVAL_TABLE_PREFIX "%s", base);
    }
    free(r);
    return ret;
}

char *ds_interval_table_csv(const ds_interval_rules_t *rules, size_t *len)
{
    const int cohort = rules->cohort_size > 0 ? rules->cohort_size : 1;
    /* A row is at most "64,64,DU\n": 9 bytes. */
    size_t size = sizeof(DS_DECISION_TABLE_HEADER "\n") +
                  10 * (size_t)(DS_MAX_PATIENTS_PER_LEVEL + 1) * (DS_MAX_PATIENTS_PER_LEVEL + 1);
    char *text = malloc(size);
    if (text == NULL) {
        return NULL;
    }
    size_t at = (size_t)snprintf(text, size, "%s\n", DS_DECISION_TABLE_HEADER);
    for (int n = cohort; n <= rules->table_n && n <= DS_MAX_PATIENTS_PER_LEVEL; n += cohort) {
        for (int y = 0; y <= n; y++) {
            const int word = y <= rules->esc_max[n]     ? CELL_E
                             : y >= rules->elim_min[n]  ? CELL_DU
                             : y >= rules->deesc_min[n] ? CELL_D
                                                        : CELL_S;
            at += (size_t)snprintf(text + at, size - at, "%d,%d,%s\n", n, y, cell_words[word]);
        }
    }
    *len = at;
    return text;
}

int ds_interval_load_table(ds_design_t *design, const char *path, ds_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    int ret = ds_read_file(path, DS_MAX_DECISION_TABLE_BYTES, 0, &text, &len, diag);
    if (ret == 0) {
        ret = ds_interval_parse_table(design, path, text, len, diag);
    }
    free(text);
    return ret;
}

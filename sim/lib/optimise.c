/* Response as a second outcome and the randomised dose-optimisation stage
 * (optimise.h): the optimal dose by its rule, the stage's choice given the
 * RP2D by exact sums over its arms' outcomes, and the characteristics that
 * follow from the escalation's. */
#include "dosesim/optimise.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "dosesim/rng.h"
#include "dosesim/timing.h"

const ds_optimise_t ds_optimise_defaults = {
    .n_per_arm = 0, .delta = DS_DEFAULT_DELTA, .response_days = DS_DEFAULT_RESPONSE_DAYS};

void ds_optimise_set_defaults(ds_optimise_t *self)
{
    *self = ds_optimise_defaults;
}

int ds_optimise_check(const ds_optimise_t *self, ds_diag_t *diag)
{
    if (self->n_per_arm < 0 || self->n_per_arm > DS_MAX_ARM_PATIENTS) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--optimise",
                           "%d patients per arm is outside 0..%d", self->n_per_arm,
                           DS_MAX_ARM_PATIENTS);
    }
    if (!(self->delta >= 0.0 && self->delta <= 1.0)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--delta",
                           "the margin in response rate must lie in [0, 1]");
    }
    if (!(self->response_days > 0.0 && self->response_days <= DS_MAX_RESPONSE_DAYS)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--response-days",
                           "the response assessment must be after day 0 and by day %g",
                           DS_MAX_RESPONSE_DAYS);
    }
    return 0;
}

int ds_optimal_level(const ds_scenario_t *scenario, double target_hi, double delta)
{
    if (scenario->p_response == NULL) {
        return -1;
    }
    /* the lowest acceptable dose that no acceptable dose above it beats by delta or more,
     * to within DS_TARGET_EPS (0.4 against 0.3 at delta 0.1 beats it, as written) */
    for (int d = 0; d < scenario->n_levels; d++) {
        if (scenario->p_dlt[d] > target_hi + DS_TARGET_EPS) {
            continue;
        }
        bool beaten = false;
        for (int e = d + 1; e < scenario->n_levels && !beaten; e++) {
            beaten = scenario->p_dlt[e] <= target_hi + DS_TARGET_EPS &&
                     scenario->p_response[e] >= scenario->p_response[d] + delta - DS_TARGET_EPS;
        }
        if (!beaten) {
            return d;
        }
    }
    return -1;
}

void ds_optimise_cells(const ds_scenario_t *scenario, int level, double dropout, double cells[4])
{
    const double p = scenario->p_dlt[level];
    const double r = scenario->p_response != NULL ? scenario->p_response[level] : 0.0;
    const double both = ds_scenario_p_dlt_and_response(scenario, level);
    const double response_only = fmax(r - both, 0.0);
    cells[0] = both;
    cells[1] = fmax(p - both, 0.0);
    cells[2] = response_only * (1.0 - dropout); /* who leaves early is not assessed */
    cells[3] = fmax(1.0 - p - r + both, 0.0) + response_only * dropout;
}

/* x within [0, 1] (a NaN stays one). */
static double unit(double x)
{
    return x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
}

/* Margins as whole patients; the hair keeps 0.1 x 20 = 2 a whole 2. */
int ds_optimise_margin(const ds_optimise_t *opt)
{
    return (int)ceil(opt->delta * opt->n_per_arm - 1e-9);
}

int ds_optimise_most_dlts(const ds_optimise_t *opt, double target_hi)
{
    return (int)floor(target_hi * opt->n_per_arm + 1e-9);
}

double ds_optimise_prob_higher(const ds_scenario_t *scenario, int rp2d, const ds_optimise_t *opt,
                               double target_hi, double dropout)
{
    const int n = opt->n_per_arm;
    if (rp2d < 1 || rp2d >= scenario->n_levels || n <= 0) {
        return 0.0;
    }
    double hi[4], lo[4];
    ds_optimise_cells(scenario, rp2d, dropout, hi);
    ds_optimise_cells(scenario, rp2d - 1, dropout, lo);
    const double p_dlt = hi[0] + hi[1];
    /* given a DLTs in the higher arm, its responses are Bin(a, P(R | DLT)) + Bin(n - a, P(R | no
     * DLT)) */
    /* clamped: at the joint table's bounds a ratio may round to 1 + 2^-52, where
     * GSL's binomial gives NaN */
    const double r_given_dlt = unit(p_dlt > 0.0 ? hi[0] / p_dlt : 0.0);
    const double r_given_none = unit(p_dlt < 1.0 ? hi[2] / (1.0 - p_dlt) : 0.0);
    const double r_lower = unit(lo[0] + lo[2]);
    const unsigned un = (unsigned)n;
    const int margin = ds_optimise_margin(opt);
    const int most_dlts = ds_optimise_most_dlts(opt, target_hi);
    double *dlt_part = malloc((size_t)(n + 1) * sizeof(double));
    double *none_part = malloc((size_t)(n + 1) * sizeof(double));
    double *lower_cdf = malloc((size_t)(n + 1) * sizeof(double));
    if (dlt_part == NULL || none_part == NULL || lower_cdf == NULL) {
        free(dlt_part);
        free(none_part);
        free(lower_cdf);
        return NAN;
    }
    for (int j = 0; j <= n; j++) {
        lower_cdf[j] = gsl_cdf_binomial_P((unsigned)j, r_lower, un);
    }
    double total = 0.0;
    for (int a = 0; a <= n && a <= most_dlts; a++) {
        const double p_a = gsl_ran_binomial_pdf((unsigned)a, p_dlt, un);
        if (p_a == 0.0) {
            continue;
        }
        for (int i = 0; i <= a; i++) {
            dlt_part[i] = gsl_ran_binomial_pdf((unsigned)i, r_given_dlt, (unsigned)a);
        }
        for (int j = 0; j <= n - a; j++) {
            none_part[j] = gsl_ran_binomial_pdf((unsigned)j, r_given_none, (unsigned)(n - a));
        }
        /* P(responses = b | a DLTs), b = i + j; the higher dose stays if the lower
         * arm has at most b - margin */
        double given_a = 0.0;
        for (int i = 0; i <= a; i++) {
            if (dlt_part[i] == 0.0) {
                continue;
            }
            for (int j = 0; j <= n - a; j++) {
                const int most_lower = i + j - margin;
                if (most_lower >= 0) {
                    given_a +=
                        dlt_part[i] * none_part[j] * lower_cdf[most_lower > n ? n : most_lower];
                }
            }
        }
        total += p_a * given_a;
    }
    free(dlt_part);
    free(none_part);
    free(lower_cdf);
    return isnan(total) ? NAN : unit(total); /* a NaN is said, not hidden as 0 */
}

void ds_optimise_oc_clear(ds_optimise_oc_t *self)
{
    memset(self, 0, sizeof(*self));
}

void ds_optimise_oc_free(ds_optimise_oc_t *self)
{
    free(self->prob_final);
    free(self->prob_final_se);
    free(self->mean_response);
    free(self->mean_randomised);
    ds_optimise_oc_clear(self);
}

/* An estimator sum_r p_r g_r of Monte Carlo's p_r (the RP2D's frequencies, r =
 * -1 for none) and exact g_r: its value and, for Monte Carlo, its standard error. */
typedef struct {
    double sum, sum_sq;
} mix_t;

static void mix_add(mix_t *m, double p, double g)
{
    m->sum += p * g;
    m->sum_sq += p * g * g;
}

static double mix_se(const mix_t *m, const ds_oc_t *oc)
{
    if (oc->method == DS_METHOD_EXACT || oc->n_trials == 0) {
        return 0.0;
    }
    return sqrt(fmax(m->sum_sq - m->sum * m->sum, 0.0) / (double)oc->n_trials);
}

int ds_optimise_oc_compute(ds_optimise_oc_t *self, const ds_scenario_t *scenario, const ds_oc_t *oc,
                           const ds_optimise_t *opt, const ds_target_t *target,
                           const ds_timing_t *timing)
{
    ds_optimise_oc_clear(self);
    const int k = scenario->n_levels;
    if (scenario->p_response == NULL || oc->n_levels != k) {
        return DS_ERR_BAD_PARAM;
    }
    self->n_levels = k;
    self->prob_final = calloc((size_t)k, sizeof(double));
    self->prob_final_se = calloc((size_t)k, sizeof(double));
    self->mean_response = calloc((size_t)k, sizeof(double));
    self->mean_randomised = calloc((size_t)k, sizeof(double));
    /* [k + 1]: P(final = d | RP2D = r), r = -1 (none) first */
    double *stay = calloc((size_t)k, sizeof(double));
    if (self->prob_final == NULL || self->prob_final_se == NULL || self->mean_response == NULL ||
        self->mean_randomised == NULL || stay == NULL) {
        free(stay);
        ds_optimise_oc_free(self);
        return DS_ERR_NOMEM;
    }
    const bool timed = timing != NULL && timing->on;
    const double dropout = timed ? timing->dropout : 0.0;
    const int n = opt->n_per_arm;
    self->optimal = ds_optimal_level(scenario, target->hi, opt->delta);
    for (int r = 0; r < k; r++) {
        /* the chance the stage keeps the RP2D r; an RP2D at the lowest dose has no stage */
        stay[r] =
            n > 0 && r >= 1 ? ds_optimise_prob_higher(scenario, r, opt, target->hi, dropout) : 1.0;
        if (isnan(stay[r])) { /* out of memory (or a sum gone wrong: never hidden) */
            free(stay);
            ds_optimise_oc_free(self);
            return DS_ERR_NOMEM;
        }
    }
    /* P(final = d | RP2D = r): stay[r] at d = r, 1 - stay[r] at d = r - 1 */
#define FINAL_GIVEN(d, r) ((r) == (d) ? stay[r] : (r) == (d) + 1 ? 1.0 - stay[r] : 0.0)
    for (int d = 0; d < k; d++) {
        mix_t m = {0.0, 0.0};
        for (int r = 0; r < k; r++) {
            mix_add(&m, oc->prob_rp2d[r], FINAL_GIVEN(d, r));
        }
        self->prob_final[d] = m.sum;
        self->prob_final_se[d] = mix_se(&m, oc);
    }
    self->prob_final_none = oc->prob_none;
    self->prob_final_none_se = oc->prob_none_se;
    mix_t optimal = {0.0, 0.0}, above = {0.0, 0.0};
    const int opt_level = self->optimal;
    mix_add(&optimal, oc->prob_none, opt_level < 0 ? 1.0 : 0.0);
    mix_add(&above, oc->prob_none, 0.0);
    for (int r = 0; r < k; r++) {
        double at = 0.0, higher = 0.0;
        for (int d = 0; d < k; d++) {
            const double g = FINAL_GIVEN(d, r);
            at += d == opt_level ? g : 0.0;
            higher += d > opt_level ? g : 0.0; /* with no optimal dose (-1), any dose */
        }
        mix_add(&optimal, oc->prob_rp2d[r], at);
        mix_add(&above, oc->prob_rp2d[r], higher);
    }
#undef FINAL_GIVEN
    self->prob_optimal = optimal.sum;
    self->prob_optimal_se = mix_se(&optimal, oc);
    self->prob_above = above.sum;
    self->prob_above_se = mix_se(&above, oc);
    double p_stage = 0.0;
    for (int d = 0; d < k; d++) {
        double cells[4];
        ds_optimise_cells(scenario, d, 0.0, cells);
        const double p_dlt = cells[0] + cells[1];
        const double r_dlt = unit(p_dlt > 0.0 ? cells[0] / p_dlt : 0.0);
        const double r_none = unit(p_dlt < 1.0 ? cells[2] / (1.0 - p_dlt) : 0.0);
        self->mean_response[d] =
            r_dlt * oc->mean_dlt[d] + r_none * fmax(oc->mean_evaluable[d] - oc->mean_dlt[d], 0.0);
        if (n > 0) {
            const double as_higher = d >= 1 ? oc->prob_rp2d[d] : 0.0;
            const double as_lower = d + 1 < k ? oc->prob_rp2d[d + 1] : 0.0;
            self->mean_randomised[d] = n * (as_higher + as_lower);
            p_stage += as_higher;
        }
    }
    self->mean_randomised_total = 2.0 * n * p_stage;
    self->timed = timed;
    if (timed && n > 0) {
        const double wait = 2.0 * n * DS_ACCRUAL_DAYS / timing->accrual_per_30;
        self->mean_stage_days = p_stage * (wait + fmax(timing->window_days, opt->response_days));
    }
    free(stay);
    return 0;
}

void ds_optimise_stage_stream(ds_rng_t *rng, uint64_t seed, uint64_t trial)
{
    ds_rng_seed_apart(rng, seed, DS_STAGE_STREAM + trial);
}

/* One arm of n patients: each patient's cell by one uniform against the cells' running sum. */
static void draw_arm(ds_rng_t *rng, const double cells[4], int n, int *dlts, int *responses)
{
    *dlts = 0;
    *responses = 0;
    for (int i = 0; i < n; i++) {
        const double u = ds_rng_uniform(rng);
        const int cell = u < cells[0]                         ? 0
                         : u < cells[0] + cells[1]            ? 1
                         : u < cells[0] + cells[1] + cells[2] ? 2
                                                              : 3;
        *dlts += cell <= 1;
        *responses += cell == 0 || cell == 2;
    }
}

int ds_optimise_simulate_trial(ds_stage_trial_t *out, const ds_scenario_t *scenario, int rp2d,
                               const ds_optimise_t *opt, double target_hi,
                               const ds_timing_t *timing, uint64_t seed, uint64_t trial)
{
    memset(out, 0, sizeof(*out));
    out->final_level = rp2d;
    const int n = opt->n_per_arm;
    if (n <= 0 || rp2d < 1 || rp2d >= scenario->n_levels) {
        return 0; /* no stage: the RP2D (or none) is final as it is */
    }
    if (scenario->p_response == NULL) {
        return DS_ERR_BAD_PARAM;
    }
    const bool timed = timing != NULL && timing->on;
    const double dropout = timed ? timing->dropout : 0.0;
    ds_gsl_pcg32_t stream;
    gsl_rng *r = ds_gsl_pcg32_bind(&stream);
    ds_rng_t *rng = ds_rng_of_gsl(r);
    ds_optimise_stage_stream(rng, seed, trial);
    double hi[4], lo[4];
    ds_optimise_cells(scenario, rp2d, dropout, hi);
    ds_optimise_cells(scenario, rp2d - 1, dropout, lo);
    out->n_randomised = 2 * n;
    draw_arm(rng, hi, n, &out->n_dlt_rp2d, &out->n_response_rp2d);
    draw_arm(rng, lo, n, &out->n_dlt_below, &out->n_response_below);
    out->final_level = ds_optimise_keeps_rp2d(opt, target_hi, out->n_dlt_rp2d, out->n_response_rp2d,
                                              out->n_response_below)
                           ? rp2d
                           : rp2d - 1;
    if (timed) {
        out->days = gsl_ran_gamma(r, 2.0 * n, DS_ACCRUAL_DAYS / timing->accrual_per_30) +
                    fmax(timing->window_days, opt->response_days);
    }
    return 0;
}

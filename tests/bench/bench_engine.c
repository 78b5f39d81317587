/* Speed of dosesim's engine: trials per second, one thread, on the two-dose
 * scenario p = (0.10, 0.25) with the default 3+3 rules, the case the yardstick
 * (limit.c) hand-specialises. It times the engine as `dosesim run` uses it
 * (the compiled decision tree) and, for designs too large for a tree, the
 * direct way; then the exact calculator on 2, 6 and 12 levels under each of
 * the four rule options. Run by `make bench` (tests/bench/bench.sh).
 * usage: bench_engine TRIALS */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_randist.h>

#include "dosesim/dosesim.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Trials per second over all blocks with one worker; fills oc. */
static double time_run(const ds_engine_t *engine, bool use_tree, uint64_t trials, ds_oc_t *oc)
{
    ds_tally_t tally;
    ds_worker_t worker;
    double rate = -1.0;
    if (ds_engine_tally_init(engine, &tally) != 0 ||
        ds_worker_init(&worker, engine, use_tree) != 0) {
        return rate;
    }
    double t0 = now();
    int ret = 0;
    for (uint64_t b = 0; b < ds_engine_n_blocks(trials) && ret == 0; b++) {
        ret = ds_worker_run_block(&worker, 1, trials, b, &tally, NULL, NULL);
    }
    ret = ret != 0 ? ret : ds_worker_flush(&worker, &tally);
    double t1 = now();
    if (ret == 0 && ds_oc_from_tally(oc, &tally) == 0) {
        rate = (double)trials / (t1 - t0);
    }
    ds_worker_free(&worker);
    ds_tally_free(&tally);
    return rate;
}

/* Milliseconds per exact calculation over n_levels levels, the slowest of
 * the four rule options, each timed over enough repetitions to last 50 ms. */
static double time_exact(int n_levels)
{
    double p[DS_MAX_LEVELS];
    char text[DS_MAX_LEVELS][8];
    char *labels[DS_MAX_LEVELS];
    char name[] = "exact";
    for (int d = 0; d < n_levels; d++) {
        p[d] = 0.05 + 0.5 * d / n_levels;
        snprintf(text[d], sizeof(text[d]), "L%d", d + 1);
        labels[d] = text[d];
    }
    ds_scenario_t scenario = {.name = name, .n_levels = n_levels, .labels = labels, .p_dlt = p};
    double slowest = 0.0;
    for (int option = 0; option < 4; option++) {
        ds_design_t design;
        ds_oc_t oc;
        ds_diag_t diag;
        ds_design_set_3plus3(&design);
        design.deescalate = (option & 1) == 0;
        design.top_dose = option & 2 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
        int reps = 0;
        double t0 = now(), t1 = t0;
        while (t1 - t0 < 0.05) {
            if (ds_exact_oc(&scenario, &design, &oc, &diag) != 0) {
                return -1.0;
            }
            ds_oc_free(&oc);
            reps++;
            t1 = now();
        }
        double ms = (t1 - t0) * 1e3 / reps;
        slowest = ms > slowest ? ms : slowest;
    }
    return slowest;
}

/* Nanoseconds per trial of the draws no timed 3+3 trial can do without, and
 * nothing else: for each cohort the wait for its 3 arrivals (Gamma(3), at its
 * cheapest: three GSL uniforms and one logarithm) and for each trial the
 * Poisson count of patients turned away (GSL's sampler). cohorts and
 * turned_away are the timed run's means per trial. */
static double time_gsl_floor(double cohorts, double turned_away, uint64_t trials)
{
    gsl_rng *rng = gsl_rng_alloc(ds_gsl_rng_pcg32);
    if (rng == NULL) {
        return -1.0;
    }
    ds_engine_timing_stream(ds_rng_of_gsl(rng), 1, 0);
    double sink = 0.0; /* used, so that the compiler keeps every draw */
    double t0 = now();
    for (uint64_t i = 0; i < trials; i++) {
        /* floor((i + 1) c) - floor(i c) cohorts: c per trial on average */
        int n = (int)((double)(i + 1) * cohorts) - (int)((double)i * cohorts);
        for (int k = 0; k < n; k++) {
            sink -=
                log(gsl_rng_uniform_pos(rng) * gsl_rng_uniform_pos(rng) * gsl_rng_uniform_pos(rng));
        }
        sink += gsl_ran_poisson(rng, turned_away);
    }
    double t1 = now();
    gsl_rng_free(rng);
    return sink > 0.0 ? (t1 - t0) * 1e9 / (double)trials : -1.0;
}

/* The same floor with the draws made here on PCG32, inline: each wait as
 * -log of a product of three uniforms, the Poisson count by inversion. What
 * samplers of dosesim's own could save over GSL's, measured. */
static double time_own_floor(double cohorts, double turned_away, uint64_t trials)
{
    ds_rng_t rng;
    ds_engine_timing_stream(&rng, 1, 0);
    const double e_mean = exp(-turned_away);
    double sink = 0.0;
    double t0 = now();
    for (uint64_t i = 0; i < trials; i++) {
        int n = (int)((double)(i + 1) * cohorts) - (int)((double)i * cohorts);
        for (int k = 0; k < n; k++) {
            double product = 1.0;
            for (int j = 0; j < 3; j++) {
                product *= ((double)ds_rng_next(&rng) + 0.5) * (1.0 / 4294967296.0);
            }
            sink -= log(product);
        }
        double u = ds_rng_uniform(&rng), p = e_mean, cdf = p;
        unsigned count = 0;
        while (u > cdf && count < 1000) {
            count++;
            p *= turned_away / count;
            cdf += p;
        }
        sink += count;
    }
    double t1 = now();
    return sink > 0.0 ? (t1 - t0) * 1e9 / (double)trials : -1.0;
}

/* Milliseconds per exact calculation of an interval design of this kind at
 * target 0.3, over enough repetitions to last 50 ms. */
static double time_interval_exact(ds_interval_kind_t kind, const double *p, int n_levels,
                                  int max_n)
{
    char text[DS_MAX_LEVELS][8];
    char *labels[DS_MAX_LEVELS];
    char name[] = "exact";
    for (int d = 0; d < n_levels; d++) {
        snprintf(text[d], sizeof(text[d]), "L%d", d + 1);
        labels[d] = text[d];
    }
    ds_scenario_t scenario = {
        .name = name, .n_levels = n_levels, .labels = labels, .p_dlt = (double *)p};
    ds_design_t design;
    ds_diag_t diag;
    ds_design_set_3plus3(&design);
    ds_interval_set(&design, kind, 0.3);
    design.interval.max_n = max_n;
    if (ds_interval_build(&design, &diag) != 0) {
        return -1.0;
    }
    int reps = 0;
    double t0 = now(), t1 = t0;
    while (t1 - t0 < 0.05) {
        ds_oc_t oc;
        if (ds_exact_oc(&scenario, &design, &oc, &diag) != 0) {
            return -1.0;
        }
        ds_oc_free(&oc);
        reps++;
        t1 = now();
    }
    return (t1 - t0) * 1e3 / reps;
}

/* The interval designs: exact at 2 doses up to 18 patients and 5 doses up to
 * 30 (BOIN's get.oc example), and Monte Carlo trials per second on one core
 * (5 doses, 30 patients), beside the 3+3's rate on the two-dose scenario. */
static int bench_interval(uint64_t trials, double rate_3plus3)
{
    static const double two[] = {0.10, 0.25};
    static const double five[] = {0.10, 0.25, 0.40, 0.55, 0.70};
    for (int kind = DS_INTERVAL_BOIN; kind <= DS_INTERVAL_KEYBOARD; kind++) {
        const ds_interval_kind_t k = (ds_interval_kind_t)kind;
        double ms2 = time_interval_exact(k, two, 2, 18), ms5 = time_interval_exact(k, five, 5, 30);
        char name[] = "bench", *labels[] = {"1", "2", "3", "4", "5"};
        ds_scenario_t scenario = {
            .name = name, .n_levels = 5, .labels = labels, .p_dlt = (double *)five};
        ds_design_t design;
        ds_engine_t engine;
        ds_oc_t oc;
        ds_diag_t diag;
        ds_design_set_3plus3(&design);
        ds_interval_set(&design, k, 0.3);
        if (ms2 < 0 || ms5 < 0 || ds_interval_build(&design, &diag) != 0 ||
            ds_engine_init(&engine, &scenario, &design, NULL, &diag) != 0 ||
            ds_oc_init(&oc, engine.n_levels, engine.max_n) != 0) {
            fprintf(stderr, "bench_engine: %s set-up failed\n", ds_interval_kind_name(k));
            return 1;
        }
        double rate = time_run(&engine, false, trials / 10, &oc);
        printf("interval %s: exact 2 doses/18 patients %.4f ms, 5 doses/30 patients %.3f ms "
               "(targets: under 1 ms and 1 s); MC %.4g trials/s (5 doses, 30 patients) = %.3f "
               "of the 3+3's engine on two doses\n",
               ds_interval_kind_name(k), ms2, ms5, rate, rate / rate_3plus3);
        ds_oc_free(&oc);
        ds_engine_free(&engine);
    }
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t trials = argc > 1 ? strtoull(argv[1], NULL, 10) : 25000000u;
    char name[] = "bench", label1[] = "100 mg", label2[] = "200 mg";
    char *labels[] = {label1, label2};
    double p[] = {0.10, 0.25};
    ds_scenario_t scenario = {.name = name, .n_levels = 2, .labels = labels, .p_dlt = p};
    ds_design_t design;
    ds_engine_t engine;
    ds_oc_t oc;
    ds_diag_t diag;

    ds_design_set_3plus3(&design);
    if (ds_engine_init(&engine, &scenario, &design, NULL, &diag) != 0 ||
        ds_oc_init(&oc, engine.n_levels, engine.max_n) != 0) {
        fprintf(stderr, "bench_engine: set-up failed\n");
        return 1;
    }
    double direct = time_run(&engine, false, trials / 4, &oc);
    double tree = time_run(&engine, true, trials, &oc);
    if (tree < 0 || direct < 0) {
        fprintf(stderr, "bench_engine: run failed\n");
        return 1;
    }
    printf("engine trials/s: %.4g  (direct way, for designs too large for a tree: %.4g)\n", tree,
           direct);
    printf("engine: %" PRIu64 " trials  P(200)=%.4f P(100)=%.4f none=%.4f EN=%.4f\n", trials,
           oc.prob_rp2d[1], oc.prob_rp2d[0], oc.prob_none, oc.mean_n);
    /* Calendar time on the same scenario: the make run settings. */
    ds_engine_t timed;
    ds_oc_t timed_oc;
    ds_timing_t timing;
    ds_timing_set_defaults(&timing);
    timing.on = true;
    timing.accrual_per_30 = 3.0;
    timing.dropout = 0.05;
    timing.onset = DS_ONSET_WEIBULL;
    timing.weibull_shape = 2.0;
    if (ds_engine_init(&timed, &scenario, &design, &timing, &diag) != 0 ||
        ds_oc_init(&timed_oc, timed.n_levels, timed.max_n) != 0) {
        fprintf(stderr, "bench_engine: timed set-up failed\n");
        return 1;
    }
    double timed_rate = time_run(&timed, true, trials / 10, &timed_oc);
    printf("timing: %.4g trials/s with calendar time (accrual 3/30 days, dropout 0.05, "
           "onset weibull:2; mean %.1f days) = %.3f of the engine without it, %.3f of its "
           "direct way (target >= 0.25)\n",
           timed_rate, timed_oc.mean_duration_days, timed_rate / tree, timed_rate / direct);
    double floor_ns = time_gsl_floor(timed_oc.mean_n / 3.0, timed_oc.mean_turned_away, trials / 10);
    printf("timing floor: GSL's draws alone (%.2f arrival waits, one Poisson per trial) take "
           "%.0f ns per trial; with nothing else a timed trial could reach %.3f of the engine "
           "without timing\n",
           timed_oc.mean_n / 3.0, floor_ns, 1.0 / (1.0 + floor_ns * 1e-9 * tree));
    double own_ns = time_own_floor(timed_oc.mean_n / 3.0, timed_oc.mean_turned_away, trials / 10);
    printf("timing floor, own samplers: the same draws inline on PCG32 (a Poisson count by "
           "inversion) take %.0f ns per trial: at most %.3f of the engine without timing\n",
           own_ns, 1.0 / (1.0 + own_ns * 1e-9 * tree));
    ds_oc_free(&timed_oc);
    ds_engine_free(&timed);
    /* The other designs on the same scenario: tables with the tree, the rolling
     * six (patient by patient) on the same calendar. */
    static const char *const specs[] = {"3+3+3", "ab:4,4,1,2,2", "rolling6"};
    for (size_t k = 0; k < sizeof(specs) / sizeof(specs[0]); k++) {
        ds_design_t other = design;
        ds_engine_t e;
        ds_oc_t other_oc;
        bool rolling = k == 2;
        if (ds_design_preset(&other, specs[k], &diag) != 0 ||
            ds_engine_init(&e, &scenario, &other, rolling ? &timing : NULL, &diag) != 0 ||
            ds_oc_init(&other_oc, e.n_levels, e.max_n) != 0) {
            fprintf(stderr, "bench_engine: %s set-up failed\n", specs[k]);
            return 1;
        }
        double rate = time_run(&e, true, rolling ? trials / 10 : trials / 2, &other_oc);
        if (rolling) {
            printf("design %s: %.4g trials/s (with the calendar above) = %.2f of the timed 3+3 "
                   "(target >= 0.5)\n",
                   specs[k], rate, rate / timed_rate);
        } else {
            printf("design %s: %.4g trials/s\n", specs[k], rate);
        }
        ds_oc_free(&other_oc);
        ds_engine_free(&e);
    }
    printf("exact: 2 levels %.4f ms, 6 levels %.4f ms, 12 levels %.4f ms "
           "(per scenario, slowest of the four rule options)\n",
           time_exact(2), time_exact(6), time_exact(12));
    if (bench_interval(trials, tree) != 0) {
        return 1;
    }
    ds_oc_free(&oc);
    ds_engine_free(&engine);
    return 0;
}

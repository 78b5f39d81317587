/* Backfill (backfill.h): the engine's trials against an independent
 * simulation written here patient by patient, event by event (its own 3+3,
 * its own Poisson arrivals on GSL's Mersenne twister, no cohort calendar, no
 * idle stretches), within 4 standard errors; counts that add up in every
 * trial; nothing changed without backfill; and the options refused where
 * backfill does not run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "dosesim/dosesim.h"
#include "testlib.h"
#include "testrun.h"

#define MAX_REF_PATIENTS 512

/* ---- the reference: one 3+3 trial with backfill, event by event ---- */

typedef enum { REF_COMPLETES, REF_DLT, REF_LEAVES } ref_fate_t;

typedef struct {
    int level;
    bool backfilled;
    bool dlt;
    ref_fate_t fate;
    int cohort, place; /* an escalation patient's (cohort from 1) */
    double outcome;    /* day the outcome is known */
    bool known;
} ref_patient_t;

typedef struct {
    int rp2d; /* -1: none */
    double duration;
    int treated, backfilled, dlts, turned_away, leavers;
    bool reacted; /* the escalation reacted to a closed dose */
} ref_result_t;

typedef struct {
    const double *p;
    int n_levels, max_backfill;
    double mean_gap, window, dropout;
    gsl_rng *rng;
    ref_patient_t patients[MAX_REF_PATIENTS];
    int n_patients;
    int pending[MAX_REF_PATIENTS]; /* the patients whose outcome is still to come */
    int n_pending, bf_pending;
    int esc_n[DS_MAX_LEVELS], esc_y[DS_MAX_LEVELS]; /* decided cohorts only */
    int bf_n[DS_MAX_LEVELS], bf_known_n[DS_MAX_LEVELS], bf_known_y[DS_MAX_LEVELS];
    bool closed[DS_MAX_LEVELS];
    bool acted[DS_MAX_LEVELS]; /* BOIN: closed, and reacted to */
    int highest;
    /* BOIN (NULL: the 3+3): its decision table, and its selection at the end */
    const ds_design_t *boin;
    /* the open cohort: its places, each a DLT place (its patient has a DLT)
     * or not (each patient may leave early, and the place waits for the next
     * arrival), as timing.h's cohort model has them */
    int level, size, filled, seen, known, drawn; /* filled: places that had a patient */
    int cohort;                                  /* from 1 */
    bool dlt_place[DS_MAX_PATIENTS_PER_LEVEL];
    int vacant[DS_MAX_PATIENTS_PER_LEVEL], n_vacant; /* places waiting, first come first */
} ref_t;

/* The 3+3's band for y DLTs among n (3 or 6) at a dose: 0 escalate, 1 three more, 2 too toxic. */
static int band_3p3(int n, int y)
{
    if (n == 3) {
        return y == 0 ? 0 : y == 1 ? 1 : 2;
    }
    return y <= 1 ? 0 : 2;
}

typedef enum { REF_TREAT, REF_SELECT, REF_STOP } ref_kind_t;
typedef struct {
    ref_kind_t kind;
    int level;
} ref_action_t;

/* Storer's moves after a dose is found too toxic: the dose below rests on 6, or gets 3 more. */
static ref_action_t ref_down(ref_t *r, int level)
{
    r->highest = level;
    if (level < 0) {
        return (ref_action_t){REF_STOP, -1};
    }
    return (ref_action_t){r->esc_n[level] == 6 ? REF_SELECT : REF_TREAT, level};
}

static ref_action_t ref_after_cohort(ref_t *r)
{
    const int c = r->level;
    switch (band_3p3(r->esc_n[c], r->esc_y[c])) {
    case 0:
        if (c < r->highest) {
            return (ref_action_t){REF_TREAT, c + 1};
        }
        return (ref_action_t){r->esc_n[c] == 6 ? REF_SELECT : REF_TREAT, c};
    case 1:
        return (ref_action_t){REF_TREAT, c};
    default:
        return ref_down(r, c - 1);
    }
}

/* BOIN as BF-BOIN runs it, on the pooled counts: the decision table's
 * boundaries (ds_interval_build's, held to R's BOIN elsewhere) and the
 * selection (ds_interval_select, held to BOIN's select.mtd elsewhere) are the
 * library's; the conduct around them is written here. */
static ref_action_t ref_boin_select(const ref_t *r)
{
    int n[DS_MAX_LEVELS], y[DS_MAX_LEVELS];
    for (int d = 0; d < r->n_levels; d++) {
        n[d] = r->esc_n[d] + r->bf_known_n[d];
        y[d] = r->esc_y[d] + r->bf_known_y[d];
    }
    const int mtd = ds_interval_select(r->boin, n, y, r->n_levels);
    return (ref_action_t){mtd < 0 ? REF_STOP : REF_SELECT, mtd};
}

static ref_action_t ref_boin_next(ref_t *r)
{
    const ds_interval_rules_t *t = &r->boin->interval;
    const int c = r->level, top = r->n_levels - 1;
    const int n = r->esc_n[c] + r->bf_known_n[c], y = r->esc_y[c] + r->bf_known_y[c];
    int cohorts = 0;
    for (int d = 0; d < r->n_levels; d++) {
        cohorts += r->esc_n[d];
    }
    if (cohorts + t->cohort_size > t->max_n) {
        return ref_boin_select(r);
    }
    if (n >= 3 && y >= t->elim_min[n]) {
        r->highest = r->highest < c - 1 ? r->highest : c - 1;
        if (c == 0) {
            return (ref_action_t){REF_STOP, -1};
        }
    }
    const bool up = y <= t->esc_max[n], down = !up && y >= t->deesc_min[n];
    const bool blocked = c == top || r->highest < c + 1;
    if (n >= t->n_earlystop && ((!up && !down) || (c == 0 && down) || (blocked && up))) {
        return ref_boin_select(r);
    }
    if (up && !blocked) {
        return (ref_action_t){REF_TREAT, c + 1};
    }
    if (down && c > 0) {
        return (ref_action_t){REF_TREAT, c - 1};
    }
    return (ref_action_t){REF_TREAT, c};
}

static void ref_check(ref_t *r, int d)
{
    if (r->boin != NULL) {
        const int n = r->esc_n[d] + r->bf_known_n[d], y = r->esc_y[d] + r->bf_known_y[d];
        if (r->bf_n[d] > 0 && n > 0 && y >= r->boin->interval.deesc_min[n]) {
            r->closed[d] = true; /* BOIN would de-escalate from it */
        }
        return;
    }
    const int n = r->esc_n[d] + r->bf_known_n[d], y = r->esc_y[d] + r->bf_known_y[d];
    if (r->bf_n[d] > 0 && n > 0 && 3 * y >= n) { /* one DLT in three or more */
        r->closed[d] = true;
    }
}

static ref_action_t ref_react(ref_t *r, ref_action_t a, ref_result_t *out)
{
    if (r->boin != NULL) {
        for (int b = 0; b <= r->highest; b++) {
            if (r->closed[b] && !r->acted[b]) {
                for (int d = b; d < r->n_levels; d++) {
                    r->acted[d] = r->acted[d] || r->closed[d];
                }
                out->reacted = true;
                if (a.kind == REF_TREAT && a.level >= b) {
                    return (ref_action_t){REF_TREAT, b > 0 ? b - 1 : 0};
                }
                return a;
            }
        }
        return a;
    }
    for (int b = 0; b <= r->highest; b++) {
        if (r->closed[b]) {
            out->reacted = true;
            if (a.kind != REF_STOP && a.level >= b) {
                return ref_down(r, b - 1);
            }
            r->highest = b - 1;
            return a;
        }
    }
    return a;
}

/* Whether a backfilled patient's outcome is still to come. */
static bool ref_backfill_pending(const ref_t *r)
{
    return r->bf_pending > 0;
}

/* The earliest unknown outcome (of anyone), or -1. */
static int ref_next_outcome(const ref_t *r)
{
    int best = -1;
    for (int k = 0; k < r->n_pending; k++) {
        const int i = r->pending[k];
        if (best < 0 || r->patients[i].outcome < r->patients[best].outcome) {
            best = i;
        }
    }
    return best;
}

/* Patient i's outcome is known now. */
static void ref_learn(ref_t *r, int i)
{
    r->patients[i].known = true;
    r->bf_pending -= r->patients[i].backfilled;
    for (int k = 0; k < r->n_pending; k++) {
        if (r->pending[k] == i) {
            r->pending[k] = r->pending[--r->n_pending];
            break;
        }
    }
}

/* A patient enrolled on day t: at a place of the cohort (place >= 0), or backfilled. */
static void ref_enrol(ref_t *r, int level, int place, double t)
{
    ref_patient_t *p = &r->patients[r->n_patients++];
    p->level = level;
    p->backfilled = place < 0;
    p->cohort = place < 0 ? 0 : r->cohort;
    p->place = place;
    const double q = r->dropout, pd = r->p[level];
    if (place >= 0) {
        /* a DLT place's patient has the DLT; another's may leave */
        p->fate = r->dlt_place[place]                      ? REF_DLT
                  : q > 0.0 && gsl_rng_uniform(r->rng) < q ? REF_LEAVES
                                                           : REF_COMPLETES;
    } else {
        /* leaving with probability (1 - p)q / (1 - pq): p_dlt is the rate among the evaluable */
        const double leave = q > 0.0 ? (1.0 - pd) * q / (1.0 - pd * q) : 0.0;
        p->fate = leave > 0.0 && gsl_rng_uniform(r->rng) < leave ? REF_LEAVES
                  : gsl_rng_uniform(r->rng) < pd                 ? REF_DLT
                                                                 : REF_COMPLETES;
    }
    p->dlt = p->fate == REF_DLT;
    p->outcome = t + (p->fate == REF_COMPLETES ? r->window : gsl_ran_flat(r->rng, 0.0, r->window));
    p->known = false;
    r->pending[r->n_pending++] = r->n_patients - 1;
    r->bf_pending += p->backfilled;
}

static void ref_open_cohort(ref_t *r, int level)
{
    r->level = level;
    r->size = r->boin != NULL ? r->boin->interval.cohort_size : 3;
    r->filled = r->seen = r->known = r->drawn = 0;
    r->cohort++;
    r->n_vacant = r->size;
    for (int j = 0; j < r->size; j++) {
        r->dlt_place[j] = gsl_rng_uniform(r->rng) < r->p[level];
        r->drawn += r->dlt_place[j];
        r->vacant[j] = j;
    }
}

static void ref_trial(ref_t *r, ref_result_t *out)
{
    memset(out, 0, sizeof(*out));
    r->n_patients = r->n_pending = r->bf_pending = r->cohort = 0;
    for (int d = 0; d < r->n_levels; d++) {
        r->esc_n[d] = r->esc_y[d] = r->bf_n[d] = r->bf_known_n[d] = r->bf_known_y[d] = 0;
        r->closed[d] = r->acted[d] = false;
    }
    r->highest = r->n_levels - 1;
    ref_open_cohort(r, 0);
    bool waiting = false; /* the RP2D named, waiting for the backfilled outcomes */
    ref_action_t final = {REF_STOP, -1};
    double t = 0.0;
    double arrival = gsl_ran_exponential(r->rng, r->mean_gap);
    for (;;) {
        const int o = ref_next_outcome(r);
        if (waiting && !ref_backfill_pending(r)) {
            if (r->boin != NULL) {
                for (int d = 0; d < r->n_levels; d++) {
                    ref_check(r, d);
                }
                final = ref_boin_next(r); /* the final decision again, on every outcome */
            }
            final = ref_react(r, final, out);
            if (final.kind != REF_TREAT) {
                break;
            }
            waiting = false;
            ref_open_cohort(r, final.level);
            continue;
        }
        if (o >= 0 && r->patients[o].outcome < arrival) {
            ref_patient_t *p = &r->patients[o];
            t = p->outcome;
            ref_learn(r, o);
            if (p->backfilled) {
                r->bf_known_n[p->level] += p->fate != REF_LEAVES; /* the evaluable */
                r->bf_known_y[p->level] += p->dlt;
                if (p->dlt) {
                    ref_check(r, p->level);
                }
            } else if (!waiting && p->cohort == r->cohort) {
                if (p->fate == REF_LEAVES) {
                    r->vacant[r->n_vacant++] = p->place; /* for the next arrival */
                } else {
                    r->known++; /* the place's outcome */
                    r->seen += p->dlt;
                }
            }
        } else {
            t = arrival;
            arrival = t + gsl_ran_exponential(r->rng, r->mean_gap);
            if (!waiting && r->n_vacant > 0) {
                const int place = r->vacant[0];
                memmove(r->vacant, r->vacant + 1, (size_t)(r->n_vacant - 1) * sizeof(int));
                r->n_vacant--;
                r->filled += r->filled < r->size; /* the first time round, places in order */
                ref_enrol(r, r->level, place, t);
            } else {
                int b = -1;
                for (int d = (r->level - 1 < r->highest ? r->level - 1 : r->highest);
                     !waiting && d >= 0; d--) {
                    if (r->esc_n[d] > 0 && !r->closed[d] && r->bf_n[d] < r->max_backfill) {
                        b = d;
                        break;
                    }
                }
                if (b >= 0) {
                    ref_enrol(r, b, -1, t);
                    r->bf_n[b]++;
                } else {
                    out->turned_away++;
                }
            }
        }
        if (waiting || r->filled < r->size) {
            continue;
        }
        /* the 3+3's cohort is decided once no pending outcome could change its
         * band, BOIN's once every outcome is in */
        const int n_after = r->esc_n[r->level] + r->size, prior = r->esc_y[r->level];
        const int pending = r->size - r->known;
        if (r->boin != NULL ? pending > 0
                            : band_3p3(n_after, prior + r->seen) !=
                                  band_3p3(n_after, prior + r->seen + pending)) {
            continue;
        }
        r->esc_n[r->level] = n_after;
        r->esc_y[r->level] = prior + r->drawn;
        ref_action_t a = r->boin != NULL ? ref_boin_next(r) : ref_after_cohort(r);
        for (int d = 0; d < r->n_levels; d++) {
            ref_check(r, d);
        }
        a = ref_react(r, a, out);
        if (a.kind == REF_STOP) {
            final = a;
            break;
        }
        if (a.kind == REF_SELECT) {
            final = a;
            waiting = true;
            continue;
        }
        ref_open_cohort(r, a.level);
    }
    out->rp2d = final.kind == REF_SELECT ? final.level : -1;
    out->duration = t;
    for (int i = 0; i < r->n_patients; i++) {
        out->treated++;
        out->backfilled += r->patients[i].backfilled;
        out->dlts += r->patients[i].dlt;
        out->leavers += r->patients[i].fate == REF_LEAVES;
    }
}

/* ---- the comparison ---- */

typedef struct {
    double sum, sum_sq;
} moments_t;

static void add(moments_t *m, double x)
{
    m->sum += x;
    m->sum_sq += x * x;
}

/* Engine's mean (over n_engine trials) against the reference's (n_ref), in
 * standard errors of their difference, the variance estimated from the reference. */
static void check_mean(const char *what, double engine_mean, uint64_t n_engine,
                       const moments_t *ref, uint64_t n_ref)
{
    const double mean = ref->sum / (double)n_ref;
    const double var = ref->sum_sq / (double)n_ref - mean * mean;
    const double se = sqrt(fmax(var, 1e-300) * (1.0 / (double)n_engine + 1.0 / (double)n_ref));
    CHECK_MSG(fabs(engine_mean - mean) <= 4.0 * se,
              "%s: engine %.6f vs event-by-event %.6f, %.2f standard errors (se %.3g)", what,
              engine_mean, mean, fabs(engine_mean - mean) / se, se);
}

/* Per-trial bookkeeping of the engine's trials: the counts add up. */
typedef struct {
    int max_backfill, n_levels;
    bool dropout; /* patients who leave early are replaced: cohorts may take more than 3 */
    uint64_t trials, bad, backfilled_trials;
} count_check_t;

static int check_trial_counts(void *ctx, uint64_t trial, const ds_trial_t *state, int rp2d,
                              const ds_calendar_t *calendar)
{
    (void)trial;
    (void)rp2d;
    count_check_t *c = ctx;
    int treated = 0, evaluable = 0;
    for (int d = 0; d < state->n_levels; d++) {
        treated += state->treated[d];
        evaluable += state->patients[d];
    }
    const int escalation = (int)calendar->enrolled - (int)calendar->backfilled;
    /* without dropout every escalation patient fills one place of a cohort of 3
     * (nobody is backfilled at the top dose); at most M are backfilled at each other */
    const bool in_threes =
        c->dropout || (escalation % 3 == 0 && state->treated[c->n_levels - 1] % 3 == 0);
    const bool ok = treated == state->n_treated && (uint32_t)treated == calendar->enrolled &&
                    evaluable == state->n_total && escalation >= 3 && in_threes &&
                    treated == evaluable + state->n_nonevaluable &&
                    (int)calendar->backfilled <= c->max_backfill * (c->n_levels - 1);
    c->bad += !ok;
    c->trials++;
    c->backfilled_trials += calendar->backfilled > 0;
    return 0;
}

typedef struct {
    const char *name;
    int n_levels;
    double p[4];
    double accrual;
    int max_backfill;
    const char *interval; /* an interval design at target 0.25, 30 patients in cohorts of 3
                             ("boin", "i3+3"); NULL: the 3+3 */
    double dropout;
} bf_case_t;

static void check_case(const bf_case_t *k, uint64_t seed, uint64_t n_trials)
{
    test_scenario_t f;
    const ds_scenario_t *sc = test_scenario(&f, k->p, k->n_levels);
    ds_diag_t diag;
    ds_design_t design_3p3;
    ds_design_set_3plus3(&design_3p3);
    if (k->interval != NULL && !CHECK(ds_design_preset(&design_3p3, k->interval, &diag) == 0)) {
        return;
    }
    const ds_design_t *design = &design_3p3;
    ds_timing_t timing;
    ds_timing_set_defaults(&timing);
    timing.on = true;
    timing.accrual_per_30 = k->accrual;
    timing.backfill_max = k->max_backfill;
    timing.dropout = k->dropout;

    ds_engine_t engine;
    if (!CHECK(ds_engine_init(&engine, sc, design, &timing, &diag) == 0)) {
        return;
    }
    ds_tally_t tally;
    ds_tally_clear(&tally);
    count_check_t counts = {
        .max_backfill = k->max_backfill, .n_levels = k->n_levels, .dropout = k->dropout > 0.0};
    ds_oc_t oc;
    ds_oc_clear(&oc);
    int ret = ds_engine_tally_init(&engine, &tally);
    if (ret == 0) {
        ret = ds_engine_run_blocks(&engine, seed, n_trials, 0, ds_engine_n_blocks(n_trials), &tally,
                                   check_trial_counts, &counts);
    }
    if (ret == 0) {
        ret = ds_oc_init(&oc, k->n_levels, engine.max_n);
    }
    if (ret == 0) {
        ret = ds_oc_from_tally(&oc, &tally);
    }
    CHECK_MSG(ret == 0, "%s: engine run failed: %s", k->name, ds_strerror(ret));
    CHECK_MSG(counts.bad == 0 && counts.trials == n_trials,
              "%s: %llu of %llu trials whose counts do not add up", k->name,
              (unsigned long long)counts.bad, (unsigned long long)counts.trials);
    CHECK_MSG(ds_tally_counts_agree(&tally), "%s: treated = evaluable + not evaluable", k->name);

    static ref_t r; /* large: not on the stack */
    r.p = k->p;
    r.n_levels = k->n_levels;
    r.max_backfill = k->max_backfill;
    r.mean_gap = DS_ACCRUAL_DAYS / k->accrual;
    r.window = DS_DEFAULT_WINDOW_DAYS;
    r.boin = k->interval != NULL ? design : NULL;
    r.dropout = k->dropout;
    r.rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r.rng, (unsigned long)seed);
    moments_t rp2d[DS_MAX_LEVELS + 1] = {{0}}, treated = {0}, backfilled = {0}, dlts = {0},
                                   duration = {0}, away = {0}, leavers = {0};
    uint64_t reacted = 0;
    for (uint64_t i = 0; i < n_trials && ret == 0; i++) {
        ref_result_t t;
        ref_trial(&r, &t);
        for (int d = -1; d < k->n_levels; d++) {
            add(&rp2d[d + 1], t.rp2d == d);
        }
        add(&treated, t.treated);
        add(&backfilled, t.backfilled);
        add(&dlts, t.dlts);
        add(&duration, t.duration);
        add(&away, t.turned_away);
        add(&leavers, t.leavers);
        reacted += t.reacted;
    }
    gsl_rng_free(r.rng);

    char what[96];
    snprintf(what, sizeof(what), "%s P(no RP2D)", k->name);
    check_mean(what, oc.prob_none, n_trials, &rp2d[0], n_trials);
    for (int d = 0; d < k->n_levels; d++) {
        snprintf(what, sizeof(what), "%s P(RP2D = level %d)", k->name, d + 1);
        check_mean(what, oc.prob_rp2d[d], n_trials, &rp2d[d + 1], n_trials);
    }
    snprintf(what, sizeof(what), "%s mean treated", k->name);
    check_mean(what, oc.mean_treated_total, n_trials, &treated, n_trials);
    snprintf(what, sizeof(what), "%s mean backfilled", k->name);
    check_mean(what, oc.mean_backfilled, n_trials, &backfilled, n_trials);
    snprintf(what, sizeof(what), "%s mean DLTs", k->name);
    check_mean(what, oc.mean_dlt_total, n_trials, &dlts, n_trials);
    snprintf(what, sizeof(what), "%s mean duration", k->name);
    check_mean(what, oc.mean_duration_days, n_trials, &duration, n_trials);
    snprintf(what, sizeof(what), "%s mean turned away", k->name);
    check_mean(what, oc.mean_turned_away, n_trials, &away, n_trials);
    if (k->dropout > 0.0) {
        snprintf(what, sizeof(what), "%s mean not evaluable", k->name);
        check_mean(what, oc.mean_nonevaluable, n_trials, &leavers, n_trials);
    }
    /* the comparison means something only if backfill happened, and closings too */
    CHECK_MSG(backfilled.sum > 0.5 * (double)n_trials && counts.backfilled_trials > n_trials / 4,
              "%s: backfill hardly ran (%.3f a trial)", k->name, backfilled.sum / (double)n_trials);
    CHECK_MSG((double)reacted > 0.01 * (double)n_trials,
              "%s: the escalation reacted to a closed dose in only %llu trials", k->name,
              (unsigned long long)reacted);
    ds_oc_free(&oc);
    ds_tally_free(&tally);
    ds_engine_free(&engine);
}

/* The 3+3, BOIN and i3+3, with and without dropout (replaced in the
 * escalation's places, not among the backfilled), 100,000 trials each (engine
 * seed 20261203 + case, the reference's Mersenne twister seeded alike), every
 * probability and mean within 4 standard errors. */
static void test_agrees_with_event_by_event(void)
{
    static const bf_case_t cases[] = {
        {"tifcemalimab expected", 2, {0.10, 0.25}, 3.0, 6, NULL, 0.0},
        {"four doses", 4, {0.05, 0.15, 0.30, 0.45}, 6.0, 10, NULL, 0.0},
        {"toxic early, fast accrual", 3, {0.25, 0.35, 0.50}, 12.0, 12, NULL, 0.0},
        {"four doses, dropout 0.3", 4, {0.05, 0.15, 0.30, 0.45}, 6.0, 10, NULL, 0.3},
        {"BOIN, tifcemalimab expected", 2, {0.10, 0.25}, 3.0, 6, "boin", 0.0},
        {"BOIN, four doses", 4, {0.05, 0.15, 0.30, 0.45}, 6.0, 10, "boin", 0.0},
        {"BOIN, toxic early, fast accrual", 3, {0.25, 0.35, 0.50}, 12.0, 12, "boin", 0.0},
        {"BOIN, four doses, dropout 0.3", 4, {0.05, 0.15, 0.30, 0.45}, 6.0, 10, "boin", 0.3},
        {"i3+3, toxic early", 3, {0.25, 0.35, 0.50}, 12.0, 12, "i3+3", 0.0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        check_case(&cases[i], 20261203u + i, 100000u);
    }
}

/* The same seed, the same bytes: one thread or two, whole or in three shards
 * merged; the per-trial CSV's n_backfilled adds up to summary.csv's mean;
 * optimisation.csv's overall patients are escalation + backfill + randomised;
 * a run asked for no backfill (--backfill-max 0) is the run without the option. */
static void test_reproducible_and_accounted(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    enum { ROOM = 4400 };
    char one[ROOM], two[ROOM], shards[ROOM], merged[ROOM], trials[ROOM], plain[ROOM], zero[ROOM];
    snprintf(one, sizeof(one), "%s/one", dir);
    snprintf(two, sizeof(two), "%s/two", dir);
    snprintf(shards, sizeof(shards), "%s/shards", dir);
    snprintf(merged, sizeof(merged), "%s/merged", dir);
    snprintf(trials, sizeof(trials), "%s/trials.csv", dir);
    snprintf(plain, sizeof(plain), "%s/plain", dir);
    snprintf(zero, sizeof(zero), "%s/zero", dir);
#define BACKFILL_RUN                                                                               \
    "run", "scenarios/tifcemalimab_response.csv", "--accrual", "3", "--backfill-max", "6",         \
        "--optimise", "20", "--trials", "20000", "--seed", "11", "--quiet"
    run_t r;
    run((const char *[]){BACKFILL_RUN, "--threads", "1", "--trials-csv", trials, "--out", one,
                         NULL},
        &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    run((const char *[]){BACKFILL_RUN, "--threads", "2", "--out", two, NULL}, &r);
    run_free(&r);
    static const char *const parts[] = {"1/3", "2/3", "3/3"};
    for (int i = 0; i < 3; i++) {
        run((const char *[]){BACKFILL_RUN, "--shard", parts[i], "--out", shards, NULL}, &r);
        CHECK_MSG(r.status == 0, "shard %s: %s", parts[i], r.err);
        run_free(&r);
    }
    run((const char *[]){"merge", shards, "--out", merged, "--quiet", NULL}, &r);
    CHECK_MSG(r.status == 0, "merge: %s", r.err);
    run_free(&r);
    static const char *const files[] = {"summary.csv", "doses.csv", "sample_size.csv",
                                        "duration.csv", "optimisation.csv"};
    for (size_t k = 0; k < 5; k++) {
        char a[ROOM + 32], b[ROOM + 32], c[ROOM + 32];
        snprintf(a, sizeof(a), "%s/%s", one, files[k]);
        snprintf(b, sizeof(b), "%s/%s", two, files[k]);
        snprintf(c, sizeof(c), "%s/%s", merged, files[k]);
        CHECK_MSG(same_file(a, b), "%s: one thread and two differ", files[k]);
        CHECK_MSG(same_file(a, c), "%s: the merged shards differ", files[k]);
    }
    /* the per-trial rows against the summary, scenario by scenario */
    table_t summary, per_trial, opt;
    char path[ROOM + 32];
    snprintf(path, sizeof(path), "%s/summary.csv", one);
    const bool have_summary = table_load(&summary, path);
    const bool have_trials = table_load(&per_trial, trials);
    snprintf(path, sizeof(path), "%s/optimisation.csv", one);
    const bool have_opt = table_load(&opt, path);
    if (CHECK(have_summary && have_trials && have_opt)) {
        for (int s = 0; s < summary.n_rows; s++) {
            const char *name = table_cell(&summary, s, "scenario");
            double backfilled = 0.0, treated = 0.0;
            int n = 0;
            for (int i = 0; i < per_trial.n_rows; i++) {
                if (strcmp(table_cell(&per_trial, i, "scenario"), name) == 0) {
                    backfilled += table_number(&per_trial, i, "n_backfilled");
                    treated += table_number(&per_trial, i, "n_treated");
                    n++;
                }
            }
            CHECK_INT_EQ(n, 20000);
            CHECK_NEAR(backfilled / n, table_number(&summary, s, "mean_n_backfilled"), 1e-12);
            CHECK_NEAR(treated / n, table_number(&summary, s, "mean_n_treated"), 1e-12);
            CHECK_MSG(backfilled > 0.0, "%s: nobody backfilled", name);
        }
        for (int i = 0; i < opt.n_rows; i++) {
            const double overall = table_number(&opt, i, "mean_n_overall");
            const double sum = table_number(&opt, i, "mean_n_escalation") +
                               table_number(&opt, i, "mean_n_backfilled") +
                               table_number(&opt, i, "mean_n_randomised");
            CHECK_NEAR(overall, sum, 1e-9 * overall);
        }
    }
    if (have_summary) {
        table_free(&summary);
    }
    if (have_trials) {
        table_free(&per_trial);
    }
    if (have_opt) {
        table_free(&opt);
    }
    /* --backfill-max 0 is no backfill: the same bytes, run_id and all */
    run((const char *[]){"run", "scenarios/tifcemalimab.csv", "--accrual", "3", "--trials", "5000",
                         "--out", plain, "--quiet", NULL},
        &r);
    run_free(&r);
    run((const char *[]){"run", "scenarios/tifcemalimab.csv", "--accrual", "3", "--trials", "5000",
                         "--backfill-max", "0", "--out", zero, "--quiet", NULL},
        &r);
    run_free(&r);
    for (size_t k = 0; k < 5; k++) {
        char a[ROOM + 32], b[ROOM + 32];
        snprintf(a, sizeof(a), "%s/%s", plain, files[k]);
        snprintf(b, sizeof(b), "%s/%s", zero, files[k]);
        CHECK_MSG(same_file(a, b), "%s: --backfill-max 0 changed it", files[k]);
    }
#undef BACKFILL_RUN
    test_remove_dir(dir);
}

/* compare's table gives each set's backfilled patients ("-" for a set without
 * backfill), report's stage table the same beside the stage. */
static void test_compare_and_report_show_it(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    enum { ROOM = 4400 };
    char plain[ROOM], filled[ROOM], cmp[ROOM], rep[ROOM], path[ROOM + 32];
    snprintf(plain, sizeof(plain), "%s/plain", dir);
    snprintf(filled, sizeof(filled), "%s/filled", dir);
    snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
    snprintf(rep, sizeof(rep), "%s/report.md", dir);
    run_t r;
    run((const char *[]){"run", "scenarios/tifcemalimab_response.csv", "--accrual", "3", "--trials",
                         "5000", "--scenario", "flat", "--out", plain, "--quiet", NULL},
        &r);
    run_free(&r);
    run((const char *[]){"run", "scenarios/tifcemalimab_response.csv", "--accrual", "3",
                         "--backfill-max", "6", "--trials", "5000", "--scenario", "flat", "--out",
                         filled, "--quiet", NULL},
        &r);
    run_free(&r);
    table_t summary;
    snprintf(path, sizeof(path), "%s/summary.csv", filled);
    if (!CHECK(table_load(&summary, path))) {
        test_remove_dir(dir);
        return;
    }
    char mean[32], in_report[48];
    snprintf(mean, sizeof(mean), "%.2f", table_number(&summary, 0, "mean_n_backfilled"));
    snprintf(in_report, sizeof(in_report), "| none (%s) |", mean);
    table_free(&summary);
    run((const char *[]){"compare", plain, filled, "--out", cmp, "--format", "svg", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    CHECK_MSG(strstr(r.out, "backfilled") != NULL && strstr(r.out, mean) != NULL &&
                  strstr(r.out, "          -") != NULL,
              "compare's table: %s", r.out);
    run_free(&r);
    run((const char *[]){"report", plain, filled, "--out", rep, "--format", "md", NULL}, &r);
    CHECK_MSG(r.status == 0, "%s", r.err);
    run_free(&r);
    char *text = test_read_file(rep, NULL);
    CHECK_MSG(text != NULL && strstr(text, "randomised (backfilled)") != NULL &&
                  strstr(text, in_report) != NULL,
              "report: no '%s' in\n%s", in_report, text != NULL ? text : "(none)");
    free(text);
    test_remove_dir(dir);
}

/* The largest trials backfill allows run, and merge: 100 doses with 60 a dose,
 * a 2-dose A+B of 64 a dose with 60 (sample sizes beyond 64 a level), their
 * shards merged into the single run's bytes. */
static void test_largest_trials(void)
{
    char *dir = test_temp_dir();
    if (!CHECK(dir != NULL)) {
        return;
    }
    enum { ROOM = 4400 };
    static const char *const designs[][3] = {
        {"tests/data/hundred_levels.csv", "3+3", "2000"},
        {"scenarios/tifcemalimab.csv", "ab:32,32,1,1,1", "20000"}};
    for (int k = 0; k < 2; k++) {
        char single[ROOM], shards[ROOM], merged[ROOM];
        snprintf(single, sizeof(single), "%s/single%d", dir, k);
        snprintf(shards, sizeof(shards), "%s/shards%d", dir, k);
        snprintf(merged, sizeof(merged), "%s/merged%d", dir, k);
#define LARGEST_RUN                                                                                \
    "run", designs[k][0], "--design", designs[k][1], "--accrual", "3", "--backfill-max", "60",     \
        "--trials", designs[k][2], "--seed", "5", "--quiet"
        run_t r;
        run((const char *[]){LARGEST_RUN, "--out", single, NULL}, &r);
        CHECK_MSG(r.status == 0, "%s: %s", designs[k][1], r.err);
        run_free(&r);
        run((const char *[]){LARGEST_RUN, "--shard", "1/2", "--out", shards, NULL}, &r);
        run_free(&r);
        run((const char *[]){LARGEST_RUN, "--shard", "2/2", "--out", shards, NULL}, &r);
        run_free(&r);
#undef LARGEST_RUN
        run((const char *[]){"merge", shards, "--out", merged, "--quiet", NULL}, &r);
        CHECK_MSG(r.status == 0, "merge %s: %s", designs[k][1], r.err);
        run_free(&r);
        char a[ROOM + 32], b[ROOM + 32];
        snprintf(a, sizeof(a), "%s/sample_size.csv", single);
        snprintf(b, sizeof(b), "%s/sample_size.csv", merged);
        CHECK_MSG(same_file(a, b), "%s: the merged shards differ", designs[k][1]);
    }
    test_remove_dir(dir);
}

/* The pooled counts of an interval design with backfill reach past --max-n:
 * the rows its tables hold there are the rows the same design holds when its
 * --max-n reaches them (where they are held to R's packages elsewhere), for
 * every built kind. */
static void test_rows_past_max_n(void)
{
    static const char *const kinds[] = {"boin", "i3+3", "mtpi2", "keyboard"};
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        ds_design_t small, large;
        ds_diag_t diag;
        if (!CHECK(ds_design_preset(&small, kinds[k], &diag) == 0)) {
            continue;
        }
        large = small;
        large.interval.max_n = 63;
        if (!CHECK_MSG(ds_interval_build(&large, &diag) == 0, "%s: %s", kinds[k], diag.message)) {
            continue;
        }
        CHECK_INT_EQ(small.interval.max_n, 30);
        int differ = 0;
        for (int n = 1; n <= 63; n++) {
            const ds_interval_rules_t *a = &small.interval, *b = &large.interval;
            differ += a->esc_max[n] != b->esc_max[n] || a->deesc_min[n] != b->deesc_min[n] ||
                      a->elim_min[n] != b->elim_min[n] || a->stop_min[n] != b->stop_min[n];
        }
        CHECK_MSG(differ == 0, "%s: %d rows of 63 differ", kinds[k], differ);
    }
}

const test_case_t backfill_tests[] = {
    {"rows_past_max_n", test_rows_past_max_n},
    {"largest_trials", test_largest_trials},
    {"compare_and_report_show_it", test_compare_and_report_show_it},
    {"agrees_with_event_by_event", test_agrees_with_event_by_event},
    {"reproducible_and_accounted", test_reproducible_and_accounted},
    {NULL, NULL},
};

/* The Monte Carlo engine: cohort outcomes drawn from PCG32, one stream per
 * block of trials, fed either to the design's state machine directly or down
 * the decision tree compiled from it. */
#include "dosesim/engine.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "dosesim/exact.h"

/* thresholds[(level * (max_cohort + 1) + n) * stride + k] is
 * round(2^32 * P(X <= k)) for X ~ binomial(n, p_level), k = 0..n-1: a 32-bit
 * uniform u gives X = #{k : u >= threshold_k}. Held in 64 bits so that
 * P(X <= k) = 1 is 2^32, which no u reaches (p = 0 gives no DLT, exactly).
 * Entries k >= n are UINT64_MAX, so counting over the whole stride is the same. */
#define FAST_STRIDE 4
static size_t threshold_index(const ds_engine_t *self, int level, int n)
{
    return ((size_t)level * ((size_t)self->max_cohort + 1u) + (size_t)n) * (size_t)self->stride;
}

/* The DLTs in a cohort of n whose draw is u: the one place outcomes are drawn. */
static inline int cohort_dlts(const ds_engine_t *self, const uint64_t *t, int n, uint64_t u)
{
    if (self->stride == FAST_STRIDE) {
        /* Cohorts of up to 4 (the 3+3's): four compares, no loop. */
        return (u >= t[0]) + (u >= t[1]) + (u >= t[2]) + (u >= t[3]);
    }
    int dlt = 0;
    for (int k = 0; k < n; k++) {
        dlt += u >= t[k];
    }
    return dlt;
}

static int fill_thresholds(ds_engine_t *self)
{
    size_t len = threshold_index(self, self->n_levels, 0);
    self->thresholds = malloc(len * sizeof(*self->thresholds));
    self->patient_threshold = malloc((size_t)self->n_levels * sizeof(*self->patient_threshold));
    if (self->thresholds == NULL || self->patient_threshold == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int level = 0; level < self->n_levels; level++) {
        double p = self->scenario->p_dlt[level];
        for (int n = 0; n <= self->max_cohort; n++) {
            uint64_t *t = self->thresholds + threshold_index(self, level, n);
            for (int k = 0; k < self->stride; k++) {
                t[k] = UINT64_MAX;
            }
            double cdf = 0.0;
            for (int k = 0; k < n; k++) {
                cdf += gsl_ran_binomial_pdf((unsigned int)k, p, (unsigned int)n);
                double scaled = nearbyint(cdf * 4294967296.0);
                t[k] = scaled >= 4294967296.0 ? UINT64_C(1) << 32 : (uint64_t)scaled;
            }
        }
        /* A cohort of one: its single threshold, P(no DLT). */
        self->patient_threshold[level] = self->thresholds[threshold_index(self, level, 1)];
    }
    return 0;
}

/* ---- the decision tree ---- */

#define LEAF UINT32_MAX
#define TREE_TOO_BIG 1 /* a visitor's private "stop": the tree will not be used */

typedef struct {
    ds_engine_t *engine;
    uint32_t cap_nodes;
    uint32_t cap_edges;
    uint32_t *parent_at_depth; /* [max_n + 1] */
} tree_builder_t;

static void tree_free(ds_tree_t *tree)
{
    free(tree->nodes);
    free(tree->edges);
    free(tree->rules);
    memset(tree, 0, sizeof(*tree));
}

static int grow(void **array, size_t element, uint32_t cap)
{
    void *grown = realloc(*array, (size_t)cap * element);
    if (grown == NULL) {
        return DS_ERR_NOMEM;
    }
    *array = grown;
    return 0;
}

static int tree_reserve(tree_builder_t *b, uint32_t nodes, uint32_t edges)
{
    ds_tree_t *t = &b->engine->tree;
    int ret = 0;
    if (nodes > b->cap_nodes) {
        uint32_t cap = b->cap_nodes == 0 ? 1024u : 2u * b->cap_nodes;
        ret = grow((void **)&t->nodes, sizeof(*t->nodes), cap);
        ret = ret != 0 ? ret : grow((void **)&t->rules, sizeof(*t->rules), cap);
        b->cap_nodes = ret == 0 ? cap : b->cap_nodes;
    }
    while (ret == 0 && edges > b->cap_edges) {
        uint32_t cap = b->cap_edges == 0 ? 4096u : 2u * b->cap_edges;
        ret = grow((void **)&t->edges, sizeof(*t->edges), cap);
        b->cap_edges = ret == 0 ? cap : b->cap_edges;
    }
    return ret;
}

/* Nodes are numbered in the walk's order, parents before children, which
 * ds_worker_flush relies on. */
static int tree_enter(void *ctx, const ds_path_node_t *node)
{
    tree_builder_t *b = ctx;
    ds_tree_t *t = &b->engine->tree;
    if (t->n_nodes >= DS_ENGINE_TREE_MAX_NODES) {
        return TREE_TOO_BIG;
    }
    const bool treat = node->action.kind == DS_ACTION_TREAT;
    const uint32_t edges = treat ? t->n_edges + (uint32_t)node->action.n + 1u : t->n_edges;
    int ret = tree_reserve(b, t->n_nodes + 1u, edges);
    if (ret != 0) {
        return ret;
    }
    uint32_t id = t->n_nodes++;
    if (node->depth > 0) {
        uint32_t parent = b->parent_at_depth[node->depth - 1];
        t->edges[t->nodes[parent].next + (uint32_t)node->dlt] = id;
    }
    ds_tree_node_t *nd = &t->nodes[id];
    if (treat) {
        nd->cdf_at = (uint32_t)threshold_index(b->engine, node->action.level, node->action.n);
        nd->next = t->n_edges;
        nd->level = (int16_t)node->action.level;
        nd->size = (int16_t)node->action.n;
        t->rules[id] = ds_design_cohort_rule(b->engine->design, node->trial, node->action.level,
                                             node->action.n);
        t->n_edges = edges;
        b->parent_at_depth[node->depth] = id;
    } else {
        nd->cdf_at = LEAF;
        nd->next = t->n_leaves++;
        nd->level = (int16_t)(node->action.kind == DS_ACTION_SELECT ? node->action.level : -1);
        nd->size = (int16_t)node->trial->n_total;
    }
    return 0;
}

static int compile_tree(ds_engine_t *self)
{
    tree_builder_t b = {.engine = self};
    b.parent_at_depth = malloc(((size_t)self->max_n + 1u) * sizeof(*b.parent_at_depth));
    if (b.parent_at_depth == NULL) {
        return DS_ERR_NOMEM;
    }
    ds_path_visitor_t visitor = {.enter = tree_enter, .leave = NULL, .ctx = &b};
    int ret = ds_paths_walk(self->scenario, self->design, &visitor);
    free(b.parent_at_depth);
    if (ret == TREE_TOO_BIG) {
        tree_free(&self->tree); /* too large to pay off: run trials the direct way */
        return 0;
    }
    if (ret != 0) {
        tree_free(&self->tree);
        return ret;
    }
    self->have_tree = true;
    return 0;
}

/* ---- the engine ---- */

void ds_engine_init_empty(ds_engine_t *self)
{
    memset(self, 0, sizeof(*self));
}

void ds_engine_free(ds_engine_t *self)
{
    free(self->thresholds);
    free(self->patient_threshold);
    tree_free(&self->tree);
    ds_engine_init_empty(self);
}

int ds_engine_init(ds_engine_t *self, const ds_scenario_t *scenario, const ds_design_t *design,
                   const ds_timing_t *timing, ds_diag_t *diag)
{
    ds_engine_init_empty(self);
    ds_timing_init(&self->timing);
    if (timing != NULL) {
        self->timing = *timing;
    }
    int ret = ds_design_check(design, scenario->n_levels, diag);
    if (ret == 0) {
        ret = ds_timing_check(&self->timing, diag);
    }
    if (ret == 0 && design->conduct == DS_CONDUCT_ROLLING_SIX && !self->timing.on) {
        ret = ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                          "the rolling six needs calendar time (an accrual rate)");
    }
    if (ret != 0) {
        return ret;
    }
    self->scenario = scenario;
    self->design = design;
    self->n_levels = scenario->n_levels;
    self->max_cohort = ds_design_max_cohort(design);
    self->max_n = ds_design_max_patients(design, scenario->n_levels);
    self->stride = self->max_cohort > FAST_STRIDE ? self->max_cohort : FAST_STRIDE;
    ret = fill_thresholds(self);
    if (ret == 0 && design->conduct == DS_CONDUCT_COHORTS) {
        ret = compile_tree(self);
    }
    if (ret != 0) {
        ds_engine_free(self);
        return ds_diag_set(diag, ret, NULL, 0, "", "preparing scenario '%s': %s", scenario->name,
                           ds_strerror(ret));
    }
    return 0;
}

void ds_engine_failure(const ds_engine_t *self, int ret, ds_diag_t *diag)
{
    if (ret == DS_ERR_OVERFLOW && self->timing.on) {
        ds_diag_set(diag, ret, NULL, 0, "",
                    "simulating scenario '%s': a trial's calendar went past what dosesim counts "
                    "exactly (a trial longer than %.0f days, or more than %d patients of decided "
                    "cohorts still in their DLT windows): the calendar options are too extreme",
                    self->scenario->name, floor(DS_MAX_DURATION_DAYS), DS_MAX_CARRIED);
        return;
    }
    ds_diag_set(diag, ret, NULL, 0, "", "simulating scenario '%s': %s", self->scenario->name,
                ds_strerror(ret));
}

int ds_engine_tally_init(const ds_engine_t *self, ds_tally_t *tally)
{
    return ds_tally_init(tally, self->n_levels, self->max_n, self->timing.on);
}

uint64_t ds_engine_n_blocks(uint64_t n_trials)
{
    return n_trials / DS_BLOCK_TRIALS + (n_trials % DS_BLOCK_TRIALS != 0u);
}

/* ---- workers ---- */

void ds_worker_init_empty(ds_worker_t *self)
{
    memset(self, 0, sizeof(*self));
}

void ds_worker_free(ds_worker_t *self)
{
    free(self->leaf_count);
    free(self->subtree);
    if (self->timing_rng != NULL) {
        gsl_rng_free(self->timing_rng);
    }
    ds_worker_init_empty(self);
}

int ds_worker_init(ds_worker_t *self, const ds_engine_t *engine, bool use_tree)
{
    ds_worker_init_empty(self);
    self->engine = engine;
    self->use_tree = use_tree && engine->have_tree;
    if (engine->timing.on) {
        self->timing_rng = gsl_rng_alloc(ds_gsl_rng_pcg32);
        if (self->timing_rng == NULL) {
            return DS_ERR_NOMEM;
        }
    }
    if (self->use_tree) {
        self->leaf_count = calloc(engine->tree.n_leaves, sizeof(*self->leaf_count));
        self->subtree = malloc(engine->tree.n_nodes * sizeof(*self->subtree));
        if (self->leaf_count == NULL || self->subtree == NULL) {
            ds_worker_free(self);
            return DS_ERR_NOMEM;
        }
    }
    return 0;
}

/* A new cohort record at the end of a trace; NULL when out of memory. */
static ds_traced_cohort_t *trace_cohort(ds_trace_t *trace)
{
    if (trace->n_cohorts == trace->cap_cohorts) {
        int cap = trace->cap_cohorts == 0 ? 16 : 2 * trace->cap_cohorts;
        ds_traced_cohort_t *grown = realloc(trace->cohorts, (size_t)cap * sizeof(*grown));
        if (grown == NULL) {
            return NULL;
        }
        trace->cohorts = grown;
        trace->cap_cohorts = cap;
    }
    ds_traced_cohort_t *c = &trace->cohorts[trace->n_cohorts++];
    memset(c, 0, sizeof(*c));
    return c;
}

/* One trial the direct way, with its calendar if timing_rng is given, each
 * cohort recorded if trace is given; *rp2d is the RP2D level, -1 for none.
 * Returns 0; DS_ERR_BAD_PARAM if the design reached a state its rules cannot
 * handle; DS_ERR_NOMEM; DS_ERR_OVERFLOW from the calendar. */
static int simulate_cohorts(const ds_engine_t *self, ds_rng_t *rng, ds_trial_t *trial,
                            gsl_rng *timing_rng, ds_calendar_t *calendar, ds_trace_t *trace,
                            int *rp2d)
{
    ds_action_t next = ds_design_start(self->design, trial, self->n_levels);
    if (timing_rng != NULL) {
        ds_calendar_start(calendar);
    }
    while (next.kind == DS_ACTION_TREAT) {
        const uint64_t *t = self->thresholds + threshold_index(self, next.level, next.n);
        int dlt = cohort_dlts(self, t, next.n, ds_rng_next(rng));
        ds_traced_cohort_t *record = trace != NULL ? trace_cohort(trace) : NULL;
        if (trace != NULL && record == NULL) {
            return DS_ERR_NOMEM;
        }
        if (timing_rng != NULL) {
            int ret = ds_calendar_cohort(
                calendar, &self->timing,
                ds_design_cohort_rule(self->design, trial, next.level, next.n), next.level, next.n,
                dlt, timing_rng, record != NULL ? &record->calendar : NULL);
            if (ret != 0) {
                return ret;
            }
        }
        ds_trial_record(trial, next.level, next.n, dlt);
        ds_action_t after = ds_design_next(self->design, trial);
        if (record != NULL) {
            record->level = next.level;
            record->n = next.n;
            record->dlt = dlt;
            record->level_patients = trial->patients[next.level];
            record->level_dlts = trial->dlts[next.level];
            record->next = after;
        }
        next = after;
    }
    if (next.kind != DS_ACTION_SELECT && next.kind != DS_ACTION_STOP) {
        return DS_ERR_BAD_PARAM;
    }
    *rp2d = next.kind == DS_ACTION_SELECT ? next.level : -1;
    return timing_rng != NULL ? ds_calendar_finish(calendar, &self->timing, timing_rng) : 0;
}

/* One trial the direct way, by the design's conduct; *state is where its
 * counts are. Returns as simulate_cohorts. */
static int simulate_trial(const ds_engine_t *self, ds_rng_t *rng, ds_worker_t *worker,
                          ds_trace_t *trace, const ds_trial_t **state, int *rp2d)
{
    if (self->design->conduct == DS_CONDUCT_ROLLING_SIX) {
        *state = &worker->rolling.trial;
        return ds_calendar_rolling_six(
            &worker->calendar, &self->timing, self->design, self->n_levels, self->scenario->p_dlt,
            self->patient_threshold, rng, worker->timing_rng, &worker->rolling,
            trace != NULL ? &trace->rolling : NULL, rp2d);
    }
    *state = &worker->trial;
    return simulate_cohorts(self, rng, &worker->trial, worker->timing_rng, &worker->calendar, trace,
                            rp2d);
}

/* One trial down the tree: the same draws, in the same order, as simulate_cohorts. */
static inline uint32_t walk_tree(const ds_engine_t *self, ds_rng_t *rng)
{
    const ds_tree_node_t *node = &self->tree.nodes[0];
    while (node->cdf_at != LEAF) {
        int dlt = cohort_dlts(self, self->thresholds + node->cdf_at, node->size, ds_rng_next(rng));
        node = &self->tree.nodes[self->tree.edges[node->next + (uint32_t)dlt]];
    }
    return node->next;
}

/* walk_tree with the trial's calendar, cohort by cohort: the same draws, in
 * the same order, on both streams, as simulate_cohorts. */
static int walk_tree_timed(const ds_engine_t *self, ds_rng_t *rng, gsl_rng *timing_rng,
                           ds_calendar_t *calendar, uint32_t *leaf)
{
    const ds_tree_t *tree = &self->tree;
    uint32_t id = 0;
    ds_calendar_start(calendar);
    while (tree->nodes[id].cdf_at != LEAF) {
        const ds_tree_node_t *node = &tree->nodes[id];
        int dlt = cohort_dlts(self, self->thresholds + node->cdf_at, node->size, ds_rng_next(rng));
        int ret = ds_calendar_cohort(calendar, &self->timing, tree->rules[id], node->level,
                                     node->size, dlt, timing_rng, NULL);
        if (ret != 0) {
            return ret;
        }
        id = tree->edges[node->next + (uint32_t)dlt];
    }
    *leaf = tree->nodes[id].next;
    return ds_calendar_finish(calendar, &self->timing, timing_rng);
}

int ds_worker_run_block(ds_worker_t *self, uint64_t seed, uint64_t n_trials, uint64_t block,
                        ds_tally_t *tally, ds_trial_fn on_trial, void *ctx)
{
    const ds_engine_t *engine = self->engine;
    if (n_trials > DS_MAX_TRIALS || block >= ds_engine_n_blocks(n_trials) ||
        tally->n_levels != engine->n_levels || tally->max_n != engine->max_n ||
        tally->timed != engine->timing.on) {
        return DS_ERR_BAD_PARAM;
    }
    ds_rng_t rng;
    ds_rng_seed(&rng, seed, block);
    if (self->timing_rng != NULL) {
        ds_rng_seed(ds_rng_of_gsl(self->timing_rng), seed, DS_TIMING_STREAM + block);
    }
    uint64_t begin = block * DS_BLOCK_TRIALS;
    uint64_t end = n_trials - begin > DS_BLOCK_TRIALS ? begin + DS_BLOCK_TRIALS : n_trials;
    if (self->use_tree && on_trial == NULL) {
        if (self->timing_rng == NULL) {
            for (uint64_t i = begin; i < end; i++) {
                self->leaf_count[walk_tree(engine, &rng)]++;
            }
            return 0;
        }
        for (uint64_t i = begin; i < end; i++) {
            uint32_t leaf = 0;
            int ret = walk_tree_timed(engine, &rng, self->timing_rng, &self->calendar, &leaf);
            if (ret != 0) {
                return ret;
            }
            self->leaf_count[leaf]++;
            ds_tally_add_calendar(tally, &self->calendar);
        }
        return 0;
    }
    const ds_calendar_t *calendar = self->timing_rng != NULL ? &self->calendar : NULL;
    for (uint64_t i = begin; i < end; i++) {
        const ds_trial_t *state = NULL;
        int rp2d = -1;
        int failed = simulate_trial(engine, &rng, self, NULL, &state, &rp2d);
        if (failed != 0) {
            return failed;
        }
        ds_tally_add_trial(tally, state, rp2d);
        if (calendar != NULL) {
            ds_tally_add_calendar(tally, calendar);
        }
        if (on_trial != NULL) {
            int ret = on_trial(ctx, i, state, rp2d, calendar);
            if (ret != 0) {
                return ret;
            }
        }
    }
    return 0;
}

int ds_worker_flush(ds_worker_t *self, ds_tally_t *tally)
{
    if (!self->use_tree) {
        return 0;
    }
    const ds_tree_t *t = &self->engine->tree;
    uint64_t *c = tally->count;
    uint64_t *patients = c + ds_tally_patients_at(tally);
    uint64_t *dlts = c + ds_tally_dlts_at(tally);
    uint64_t *hist = c + ds_tally_hist_at(tally);
    /* Children come after their parents, so one backward pass gives every
     * node the number of trials that passed through it. */
    for (uint32_t i = t->n_nodes; i-- > 0;) {
        const ds_tree_node_t *nd = &t->nodes[i];
        if (nd->cdf_at == LEAF) {
            uint64_t trials = self->leaf_count[nd->next];
            self->subtree[i] = trials;
            c[DS_TALLY_TRIALS] += trials;
            c[DS_TALLY_RP2D + 1 + nd->level] += trials;
            hist[nd->size] += trials;
            continue;
        }
        uint64_t through = 0;
        uint64_t dlt_sum = 0;
        for (int dlt = 0; dlt <= nd->size; dlt++) {
            uint64_t child = self->subtree[t->edges[nd->next + (uint32_t)dlt]];
            through += child;
            dlt_sum += (uint64_t)dlt * child;
        }
        self->subtree[i] = through;
        patients[nd->level] += (uint64_t)nd->size * through;
        dlts[nd->level] += dlt_sum;
    }
    memset(self->leaf_count, 0, t->n_leaves * sizeof(*self->leaf_count));
    return 0;
}

int ds_engine_run_blocks(const ds_engine_t *self, uint64_t seed, uint64_t n_trials,
                         uint64_t first_block, uint64_t end_block, ds_tally_t *tally,
                         ds_trial_fn on_trial, void *ctx)
{
    ds_worker_t worker;
    int ret = ds_worker_init(&worker, self, true);
    for (uint64_t block = first_block; block < end_block && ret == 0; block++) {
        ret = ds_worker_run_block(&worker, seed, n_trials, block, tally, on_trial, ctx);
    }
    if (ret == 0) {
        ret = ds_worker_flush(&worker, tally);
    }
    ds_worker_free(&worker);
    return ret;
}

/* ---- a single trial, told cohort by cohort ---- */

void ds_trace_free(ds_trace_t *trace)
{
    for (int i = 0; trace->cohorts != NULL && i < trace->n_cohorts; i++) {
        ds_cohort_log_free(&trace->cohorts[i].calendar);
    }
    free(trace->cohorts);
    ds_rolling_log_free(&trace->rolling);
    memset(trace, 0, sizeof(*trace));
}

int ds_engine_trace(const ds_engine_t *self, uint64_t seed, uint64_t trial, ds_trace_t *trace)
{
    memset(trace, 0, sizeof(*trace));
    if (trial >= DS_MAX_TRIALS) {
        return DS_ERR_BAD_PARAM;
    }
    ds_worker_t worker;
    int ret = ds_worker_init(&worker, self, false);
    if (ret != 0) {
        return ret;
    }
    /* The trial's block, from its start: the trials before it use up their draws. */
    const uint64_t block = trial / DS_BLOCK_TRIALS;
    ds_rng_t rng;
    ds_rng_seed(&rng, seed, block);
    if (worker.timing_rng != NULL) {
        ds_rng_seed(ds_rng_of_gsl(worker.timing_rng), seed, DS_TIMING_STREAM + block);
    }
    int rp2d = -1;
    const ds_trial_t *state = NULL;
    for (uint64_t i = block * DS_BLOCK_TRIALS; i <= trial && ret == 0; i++) {
        ret = simulate_trial(self, &rng, &worker, i == trial ? trace : NULL, &state, &rp2d);
    }
    if (ret == 0) {
        trace->trial = trial;
        trace->rp2d = rp2d;
        trace->state = *state;
        trace->timed = worker.timing_rng != NULL;
        trace->calendar = worker.calendar;
    }
    ds_worker_free(&worker);
    return ret;
}

/* ---- threads ---- */

typedef struct {
    const ds_engine_t *engine;
    uint64_t seed;
    uint64_t n_trials;
    uint64_t end_block;
    atomic_uint_fast64_t next_block; /* the next block nobody has taken */
} shared_run_t;

typedef struct {
    shared_run_t *shared;
    ds_tally_t tally;
    int ret;
} thread_run_t;

static void *run_thread(void *arg)
{
    thread_run_t *t = arg;
    shared_run_t *shared = t->shared;
    ds_worker_t worker;
    t->ret = ds_worker_init(&worker, shared->engine, true);
    while (t->ret == 0) {
        uint64_t block = atomic_fetch_add(&shared->next_block, 1u);
        if (block >= shared->end_block) {
            break;
        }
        t->ret = ds_worker_run_block(&worker, shared->seed, shared->n_trials, block, &t->tally,
                                     NULL, NULL);
    }
    if (t->ret == 0) {
        t->ret = ds_worker_flush(&worker, &t->tally);
    }
    ds_worker_free(&worker);
    return NULL;
}

int ds_engine_run_threads(const ds_engine_t *self, uint64_t seed, uint64_t n_trials,
                          uint64_t first_block, uint64_t end_block, int n_threads,
                          ds_tally_t *tally)
{
    if (n_threads < 1 || n_threads > DS_MAX_THREADS || first_block > end_block) {
        return DS_ERR_BAD_PARAM;
    }
    if (n_threads == 1) {
        return ds_engine_run_blocks(self, seed, n_trials, first_block, end_block, tally, NULL,
                                    NULL);
    }
    shared_run_t shared = {
        .engine = self, .seed = seed, .n_trials = n_trials, .end_block = end_block};
    atomic_init(&shared.next_block, first_block);
    thread_run_t *runs = calloc((size_t)n_threads, sizeof(*runs));
    pthread_t *threads = calloc((size_t)n_threads, sizeof(*threads));
    int ret = runs == NULL || threads == NULL ? DS_ERR_NOMEM : 0;
    int started = 0;
    for (; ret == 0 && started < n_threads; started++) {
        runs[started].shared = &shared;
        ret = ds_engine_tally_init(self, &runs[started].tally);
        if (ret == 0 && pthread_create(&threads[started], NULL, run_thread, &runs[started]) != 0) {
            ds_tally_free(&runs[started].tally);
            ret = DS_ERR_THREAD;
        }
        if (ret != 0) {
            /* Stop the others early: mark every block taken. */
            atomic_store(&shared.next_block, end_block);
            break;
        }
    }
    for (int i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
        if (ret == 0) {
            ret = runs[i].ret;
        }
        if (ret == 0) {
            ret = ds_tally_merge(tally, &runs[i].tally);
        }
        ds_tally_free(&runs[i].tally);
    }
    free(runs);
    free(threads);
    return ret;
}

int ds_engine_simulate(const ds_scenario_t *scenario, const ds_design_t *design,
                       const ds_timing_t *timing, uint64_t seed, uint64_t n_trials, int n_threads,
                       ds_oc_t *oc, ds_tally_t *tally, ds_diag_t *diag)
{
    ds_engine_t engine;
    ds_tally_t own;
    ds_tally_t *t = tally != NULL ? tally : &own;
    ds_tally_init_empty(t);
    ds_oc_init_empty(oc);
    int ret = ds_engine_init(&engine, scenario, design, timing, diag);
    if (ret != 0) {
        return ret;
    }
    ret = ds_engine_tally_init(&engine, t);
    if (ret == 0) {
        ret = ds_engine_run_threads(&engine, seed, n_trials, 0, ds_engine_n_blocks(n_trials),
                                    n_threads, t);
    }
    if (ret == 0) {
        ret = ds_oc_init(oc, engine.n_levels, engine.max_n);
    }
    if (ret == 0) {
        ret = ds_oc_from_tally(oc, t);
    }
    if (ret != 0) {
        ds_oc_free(oc);
        ds_engine_failure(&engine, ret, diag);
    }
    if (t == &own || ret != 0) {
        ds_tally_free(t);
    }
    ds_engine_free(&engine);
    return ret;
}

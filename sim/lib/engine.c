/* The Monte Carlo engine's core: outcomes drawn through the sampler from
 * PCG32, one stream per block of trials, fed either to the design's state
 * machine directly or down the decision tree compiled from it; workers that
 * run blocks. Threads are threads.c's, single traced trials trace.c's. */
#include "dosesim/engine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/control.h"
#include "dosesim/enrol.h"
#include "engine_internal.h"
#include "log_room.h"

/* ---- the engine ---- */

void ds_engine_free(ds_engine_t *self)
{
    ds_sampler_free(&self->sampler);
    ds_tree_free(&self->tree);
    memset(self, 0, sizeof(*self));
}

int ds_engine_init(ds_engine_t *self, const ds_scenario_t *scenario, const ds_design_t *design,
                   const ds_timing_t *timing, ds_diag_t *diag)
{
    memset(self, 0, sizeof(*self));
    ds_timing_set_defaults(&self->timing);
    if (timing != NULL) {
        self->timing = *timing;
    }
    int ret = ds_design_check(design, scenario->n_levels, diag);
    if (ret == 0) {
        ret = ds_timing_check(&self->timing, diag);
    }
    if (ret == 0 && design->family->needs_calendar && !self->timing.on) {
        ret = ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                          "%s needs calendar time (an accrual rate)", design->family->title);
    }
    if (ret == 0) {
        ret = ds_backfill_check(&self->timing, design, diag);
    }
    if (ret != 0) {
        return ret;
    }
    self->scenario = scenario;
    self->design = design;
    self->n_levels = scenario->n_levels;
    self->max_cohort = ds_design_max_cohort(design);
    self->max_n = ds_design_max_patients(design, scenario->n_levels);
    ret = ds_sampler_init(&self->sampler, scenario, self->max_cohort);
    if (ret == 0 && design->family->enumerable && self->timing.backfill_max == 0) {
        /* (with backfill the escalation's path depends on the backfilled outcomes) */
        ret = ds_tree_compile(&self->tree, scenario, design, &self->sampler, self->max_n,
                              &self->have_tree);
    }
    self->max_n = ds_backfill_max_patients(&self->timing, design, self->n_levels);
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

uint64_t ds_engine_block_trials(uint64_t n_trials, uint64_t block)
{
    const uint64_t begin = block * DS_BLOCK_TRIALS;
    if (begin >= n_trials) {
        return 0u;
    }
    const uint64_t left = n_trials - begin;
    return left < DS_BLOCK_TRIALS ? left : DS_BLOCK_TRIALS;
}

/* ---- workers ---- */

void ds_worker_free(ds_worker_t *self)
{
    free(self->leaf_count);
    free(self->subtree);
    free(self->path);
    free(self->vacant);
    free(self->size_from);
    free(self->size_to);
    ds_enrol_free(&self->enrol);
    ds_backfill_free(&self->backfill);
    memset(self, 0, sizeof(*self));
}

int ds_worker_init(ds_worker_t *self, const ds_engine_t *engine, bool use_tree)
{
    memset(self, 0, sizeof(*self));
    self->engine = engine;
    self->use_tree = use_tree && engine->have_tree;
    if (engine->timing.on) {
        self->timing_rng = ds_gsl_pcg32_bind(&self->timing_stream);
    }
    if (engine->design->family->one_at_a_time &&
        ds_enrol_init(&self->enrol, engine->design, engine->n_levels) != 0) {
        ds_worker_free(self);
        return DS_ERR_NOMEM;
    }
    if (engine->timing.backfill_max > 0 &&
        ds_backfill_init(&self->backfill, engine->n_levels, engine->timing.backfill_max) != 0) {
        ds_worker_free(self);
        return DS_ERR_NOMEM;
    }
    if (self->use_tree) {
        self->leaf_count = calloc(engine->tree.n_leaves, sizeof(*self->leaf_count));
        self->subtree = malloc(engine->tree.n_nodes * sizeof(*self->subtree));
        if (self->leaf_count == NULL || self->subtree == NULL) {
            ds_worker_free(self);
            return DS_ERR_NOMEM;
        }
    }
    if (self->use_tree && engine->timing.on) {
        const size_t sizes = (size_t)engine->max_n + 1u;
        self->path = malloc(sizes * sizeof(*self->path)); /* a cohort has a patient at least */
        self->vacant = calloc((size_t)engine->n_levels, sizeof(*self->vacant));
        self->size_from = calloc(sizes, sizeof(*self->size_from));
        self->size_to = calloc(sizes, sizeof(*self->size_to));
        if (self->path == NULL || self->vacant == NULL || self->size_from == NULL ||
            self->size_to == NULL) {
            ds_worker_free(self);
            return DS_ERR_NOMEM;
        }
    }
    return 0;
}

/* A new cohort record at the end of a trace; NULL when out of memory. */
static ds_traced_cohort_t *trace_cohort(ds_trace_t *trace)
{
    if (ds_log_room((void **)&trace->cohorts, trace->n_cohorts, &trace->cap_cohorts,
                    sizeof(*trace->cohorts)) != 0) {
        return NULL;
    }
    ds_traced_cohort_t *c = &trace->cohorts[trace->n_cohorts++];
    memset(c, 0, sizeof(*c));
    return c;
}

void ds_engine_timing_stream(ds_rng_t *rng, uint64_t seed, uint64_t block)
{
    ds_rng_seed_apart(rng, seed, DS_TIMING_STREAM + block);
}

/* One trial the direct way, with its calendar if timing_rng is given, each
 * cohort recorded if trace is given; *rp2d is the RP2D level, -1 for none.
 * Returns 0; DS_ERR_BAD_PARAM if the design reached a state its rules cannot
 * handle; DS_ERR_NOMEM; DS_ERR_OVERFLOW from the calendar. */
static int simulate_cohorts(const ds_engine_t *self, ds_rng_t *rng, ds_trial_t *trial,
                            gsl_rng *timing_rng, ds_calendar_t *calendar, ds_backfill_t *backfill,
                            ds_trace_t *trace, int *rp2d)
{
    ds_action_t next = ds_design_start(self->design, trial, self->n_levels);
    if (timing_rng != NULL) {
        ds_calendar_start(calendar, self->n_levels);
    }
    if (backfill != NULL) {
        ds_backfill_start(backfill, calendar, trial);
    }
    while (next.kind == DS_ACTION_TREAT) {
        int dlt =
            ds_sampler_dlts(&self->sampler, ds_sampler_offset(&self->sampler, next.level, next.n),
                            next.n, ds_rng_next(rng));
        ds_traced_cohort_t *record = trace != NULL ? trace_cohort(trace) : NULL;
        if (trace != NULL && record == NULL) {
            return DS_ERR_NOMEM;
        }
        if (timing_rng != NULL) {
            int ret = ds_calendar_cohort(
                calendar, &self->timing,
                ds_design_cohort_rule(self->design, trial, next.level, next.n), next.level, next.n,
                dlt, timing_rng, record != NULL ? &record->calendar : NULL);
            if (ret == 0 && backfill != NULL) {
                ret =
                    ds_backfill_cohort(backfill, self->design, trial, next.level,
                                       self->scenario->p_dlt, &self->timing, calendar, timing_rng);
                /* what is known of the backfilled patients by the decision */
                ds_backfill_advance(backfill, self->design, trial, calendar->clock);
            }
            if (ret != 0) {
                return ret;
            }
        }
        ds_trial_record(trial, next.level, next.n, dlt);
        const ds_action_t rules_next = ds_design_next(self->design, trial);
        const double decided_on = timing_rng != NULL ? calendar->clock : 0.0;
        ds_action_t after = rules_next;
        if (backfill != NULL) {
            after = ds_backfill_decide(backfill, self->design, trial, after, &self->timing,
                                       calendar, timing_rng);
        }
        if (record != NULL) {
            record->level = next.level;
            record->n = next.n;
            record->dlt = dlt;
            record->level_patients = trial->patients[next.level];
            record->level_dlts = trial->dlts[next.level];
            record->next = after;
            record->rules_next = rules_next;
            record->changed_on = timing_rng != NULL ? calendar->clock : decided_on;
            record->closed_level = backfill != NULL ? backfill->reacted_to : -1;
            record->waited = backfill != NULL && backfill->waited;
        }
        next = after;
    }
    if (next.kind != DS_ACTION_SELECT && next.kind != DS_ACTION_STOP) {
        return DS_ERR_BAD_PARAM;
    }
    *rp2d = next.kind == DS_ACTION_SELECT ? next.level : -1;
    if (timing_rng == NULL) {
        return 0;
    }
    /* Everyone followed up: places whose last patient left early are not evaluable. */
    ds_calendar_count_trial(calendar, trial);
    if (backfill != NULL) {
        ds_backfill_count_trial(backfill, trial);
    }
    return ds_calendar_finish(calendar, &self->timing, timing_rng);
}

int ds_engine_simulate_trial(const ds_engine_t *self, ds_rng_t *rng, ds_worker_t *worker,
                             ds_trace_t *trace, int *rp2d)
{
    if (self->design->family->one_at_a_time) {
        return ds_enrol_trial(&worker->enrol, self->design, &self->timing, self->n_levels,
                              self->scenario->p_dlt, &self->sampler, rng, worker->timing_rng,
                              &worker->trial, &worker->calendar,
                              trace != NULL ? &trace->events : NULL, rp2d);
    }
    return simulate_cohorts(self, rng, &worker->trial, worker->timing_rng, &worker->calendar,
                            self->timing.backfill_max > 0 ? &worker->backfill : NULL, trace, rp2d);
}

/* One trial down the tree: the same draws, in the same order, as simulate_cohorts. */
static inline uint32_t walk_tree(const ds_engine_t *self, ds_rng_t *rng)
{
    const ds_tree_node_t *node = &self->tree.nodes[0];
    while (node->cdf_at != DS_TREE_LEAF) {
        int dlt = ds_sampler_dlts(&self->sampler, node->cdf_at, node->size, ds_rng_next(rng));
        node = &self->tree.nodes[self->tree.edges[node->next + (uint32_t)dlt]];
    }
    return node->next;
}

/* The leaf's counts, patients per level and the sample size, are each
 * cohort's places; a timed trial may end with fewer evaluable patients (a
 * place whose last patient was in the window at the decision and then left).
 * Its differences are kept in the worker until the flush adds the leaves. */
static void count_vacant_places(ds_worker_t *self, int depth, int n_total)
{
    const ds_tree_t *tree = &self->engine->tree;
    const ds_calendar_t *calendar = &self->calendar;
    const int evaluable = (int)(calendar->enrolled - calendar->nonevaluable);
    int places[DS_MAX_LEVELS] = {0};
    for (int k = 0; k < depth; k++) {
        places[tree->nodes[self->path[k]].level] += tree->nodes[self->path[k]].size;
    }
    for (int d = 0; d < self->engine->n_levels; d++) {
        const int at_level = (int)(calendar->enrolled_at[d] - calendar->nonevaluable_at[d]);
        self->vacant[d] += (uint64_t)(places[d] - at_level);
    }
    self->size_from[n_total]++;
    self->size_to[evaluable]++;
}

/* walk_tree with the trial's calendar, cohort by cohort: the same draws, in
 * the same order, on both streams, as simulate_cohorts. */
static int walk_tree_timed(ds_worker_t *self, ds_rng_t *rng, uint32_t *leaf)
{
    const ds_engine_t *engine = self->engine;
    const ds_tree_t *tree = &engine->tree;
    ds_calendar_t *calendar = &self->calendar;
    uint32_t id = 0;
    int depth = 0;
    ds_calendar_start(calendar, engine->n_levels);
    while (tree->nodes[id].cdf_at != DS_TREE_LEAF) {
        const ds_tree_node_t *node = &tree->nodes[id];
        int dlt = ds_sampler_dlts(&engine->sampler, node->cdf_at, node->size, ds_rng_next(rng));
        int ret = ds_calendar_cohort(calendar, &engine->timing, tree->rules[id], node->level,
                                     node->size, dlt, self->timing_rng, NULL);
        if (ret != 0) {
            return ret;
        }
        self->path[depth++] = id;
        id = tree->edges[node->next + (uint32_t)dlt];
    }
    const ds_tree_node_t *end = &tree->nodes[id];
    *leaf = end->next;
    if (calendar->enrolled - calendar->nonevaluable != (uint32_t)end->size) {
        count_vacant_places(self, depth, end->size);
    }
    return ds_calendar_finish(calendar, &engine->timing, self->timing_rng);
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
        ds_engine_timing_stream(ds_rng_of_gsl(self->timing_rng), seed, block);
    }
    const uint64_t begin = block * DS_BLOCK_TRIALS;
    const uint64_t end = begin + ds_engine_block_trials(n_trials, block);
    if (self->use_tree && on_trial == NULL) {
        if (self->timing_rng == NULL) {
            for (uint64_t i = begin; i < end; i++) {
                self->leaf_count[walk_tree(engine, &rng)]++;
            }
            return 0;
        }
        for (uint64_t i = begin; i < end; i++) {
            uint32_t leaf = 0;
            int ret = walk_tree_timed(self, &rng, &leaf);
            if (ret != 0) {
                return ret;
            }
            self->leaf_count[leaf]++;
            ds_tally_add_calendar(tally, &self->calendar);
            /* A leaf holds places; a timed trial's patients treated (replacements
             * of those who left early included) are its calendar's. */
            int treated[DS_MAX_LEVELS];
            for (int d = 0; d < engine->n_levels; d++) {
                treated[d] = (int)self->calendar.enrolled_at[d];
            }
            ds_tally_add_exposure(tally, treated, 1u);
        }
        ds_tally_normalize(tally); /* carry the sums of squares counted a trial at a time */
        return 0;
    }
    const ds_calendar_t *calendar = self->timing_rng != NULL ? &self->calendar : NULL;
    const ds_trial_t *state = &self->trial;
    for (uint64_t i = begin; i < end; i++) {
        int rp2d = -1;
        int failed = ds_engine_simulate_trial(engine, &rng, self, NULL, &rp2d);
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
                ds_tally_normalize(tally);
                return ret;
            }
        }
    }
    ds_tally_normalize(tally); /* carry the sums of squares counted a trial at a time */
    return 0;
}

/* The accuracy counters of the trials that ended at a leaf, from its patient counts. */
static void add_leaf_exposure(ds_tally_t *tally, const ds_tree_t *t, uint32_t leaf, uint64_t trials)
{
    int patients[DS_MAX_LEVELS];
    const uint8_t *counts = t->leaf_patients + (size_t)leaf * (size_t)t->n_levels;
    for (int d = 0; d < t->n_levels; d++) {
        patients[d] = counts[d];
    }
    ds_tally_add_exposure(tally, patients, trials);
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
        if (nd->cdf_at == DS_TREE_LEAF) {
            uint64_t trials = self->leaf_count[nd->next];
            self->subtree[i] = trials;
            c[DS_TALLY_TRIALS] += trials;
            c[DS_TALLY_RP2D + 1 + nd->level] += trials;
            hist[nd->size] += trials;
            if (trials > 0 && self->timing_rng == NULL) { /* timed: counted per trial */
                add_leaf_exposure(tally, t, nd->next, trials);
            }
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
    if (self->vacant != NULL) {
        /* Timed trials with places left without an evaluable patient, counted
         * at their leaves by places: now by their evaluable patients. */
        const size_t sizes = (size_t)self->engine->max_n + 1u;
        for (int d = 0; d < self->engine->n_levels; d++) {
            patients[d] -= self->vacant[d];
        }
        for (size_t n = 0; n < sizes; n++) {
            hist[n] = hist[n] - self->size_from[n] + self->size_to[n];
        }
        memset(self->vacant, 0, (size_t)self->engine->n_levels * sizeof(*self->vacant));
        memset(self->size_from, 0, sizes * sizeof(*self->size_from));
        memset(self->size_to, 0, sizes * sizeof(*self->size_to));
    }
    ds_tally_normalize(tally); /* leaves of one trial add their squares uncarried */
    return 0;
}

int ds_engine_run_blocks(const ds_engine_t *self, uint64_t seed, uint64_t n_trials,
                         uint64_t first_block, uint64_t end_block, ds_tally_t *tally,
                         ds_trial_fn on_trial, void *ctx)
{
    ds_worker_t worker;
    int ret = ds_worker_init(&worker, self, true);
    for (uint64_t block = first_block; block < end_block && ret == 0; block++) {
        ret = ds_control_stop_requested()
                  ? DS_ERR_INTERRUPTED
                  : ds_worker_run_block(&worker, seed, n_trials, block, tally, on_trial, ctx);
        if (ret == 0) {
            ds_control_add_trials(ds_engine_block_trials(n_trials, block));
        }
    }
    if (ret == 0) {
        ret = ds_worker_flush(&worker, tally);
    }
    ds_worker_free(&worker);
    return ret;
}

/* Threads: each takes the next block nobody has taken and keeps its own
 * tally; the tallies are added at the end, so the result is the same, counter
 * for counter, for any number of threads. And the whole simulation in one
 * call, on threads. */
#include "dosesim/control.h"
#include "dosesim/engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

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
        t->ret = ds_control_stop_requested()
                     ? DS_ERR_INTERRUPTED
                     : ds_worker_run_block(&worker, shared->seed, shared->n_trials, block,
                                           &t->tally, NULL, NULL);
        if (t->ret == 0) {
            ds_control_add_trials(ds_engine_block_trials(shared->n_trials, block));
        }
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
    ds_tally_clear(t);
    ds_oc_clear(oc);
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

/* Exact operating characteristics of the interval designs: a forward pass,
 * cohort by cohort, over the distinct states of a trial, each with its
 * probability. A state is what the rules read: the patients and DLTs at every
 * dose, the current dose and the highest dose not eliminated. Two paths that
 * reach the same state are merged into one (their probabilities added), so
 * the work is the number of distinct states, never the number of paths. The
 * rules themselves are the design's own (ds_design_next), as for the Monte
 * Carlo engine; a finished trial's counts give the selection and the moments. */
#include "dosesim/interval.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/tally.h"
#include "dosesim/text.h"

#include "binomial.h"

/* One layer of states: keys (key_len bytes each) and probabilities, with an
 * open-addressing index. */
typedef struct {
    size_t key_len;
    uint8_t *keys;
    double *prob;
    size_t n, cap;
    uint32_t *slot; /* index + 1 of the state in a slot; 0 for empty */
    size_t n_slots; /* a power of two, at least twice cap */
} layer_t;

static void layer_free(layer_t *l)
{
    free(l->keys);
    free(l->prob);
    free(l->slot);
    memset(l, 0, sizeof(*l));
}

static void layer_clear(layer_t *l)
{
    l->n = 0;
    if (l->slot != NULL) {
        memset(l->slot, 0, l->n_slots * sizeof(*l->slot));
    }
}

/* Memory one layer may take (keys, probabilities, index): past it the exact
 * calculation stops with DS_ERR_OVERFLOW rather than take the machine's memory
 * (12 doses and 54 patients need about 150 MB in all; 63 patients, 1.7 GB). */
#define LAYER_MAX_BYTES (512u * 1024u * 1024u)

static int layer_grow(layer_t *l)
{
    size_t cap = l->cap == 0 ? 1024 : 2 * l->cap;
    if (cap > UINT32_MAX / 4 ||
        cap * (l->key_len + sizeof(double) + 4 * sizeof(uint32_t)) > LAYER_MAX_BYTES) {
        return DS_ERR_OVERFLOW;
    }
    uint8_t *keys = realloc(l->keys, cap * l->key_len);
    if (keys == NULL) {
        return DS_ERR_NOMEM;
    }
    l->keys = keys;
    double *prob = realloc(l->prob, cap * sizeof(*prob));
    if (prob == NULL) {
        return DS_ERR_NOMEM;
    }
    l->prob = prob;
    size_t n_slots = 4 * cap;
    uint32_t *slot = calloc(n_slots, sizeof(*slot));
    if (slot == NULL) {
        return DS_ERR_NOMEM;
    }
    free(l->slot);
    l->slot = slot;
    l->n_slots = n_slots;
    l->cap = cap;
    for (size_t i = 0; i < l->n; i++) { /* index the states anew */
        size_t at = ds_hash64(l->keys + i * l->key_len, l->key_len, 0) & (n_slots - 1);
        while (l->slot[at] != 0) {
            at = (at + 1) & (n_slots - 1);
        }
        l->slot[at] = (uint32_t)(i + 1);
    }
    return 0;
}

/* Add prob to the state key, a new one if it is not there yet. */
static int layer_add(layer_t *l, const uint8_t *key, double prob)
{
    if (l->n == l->cap) {
        int ret = layer_grow(l);
        if (ret != 0) {
            return ret;
        }
    }
    size_t at = ds_hash64(key, l->key_len, 0) & (l->n_slots - 1);
    for (; l->slot[at] != 0; at = (at + 1) & (l->n_slots - 1)) {
        const size_t i = l->slot[at] - 1u;
        if (memcmp(l->keys + i * l->key_len, key, l->key_len) == 0) {
            l->prob[i] += prob;
            return 0;
        }
    }
    memcpy(l->keys + l->n * l->key_len, key, l->key_len);
    l->prob[l->n] = prob;
    l->slot[at] = (uint32_t)(++l->n);
    return 0;
}

/* A state's key: current, highest allowed + 1, then cohorts and DLTs per dose. */
static void key_of(const ds_trial_t *t, int cohort, uint8_t *key)
{
    key[0] = (uint8_t)t->current;
    key[1] = (uint8_t)(t->highest_allowed + 1);
    for (int d = 0; d < t->n_levels; d++) {
        key[2 + 2 * d] = (uint8_t)(t->patients[d] / cohort);
        key[3 + 2 * d] = (uint8_t)t->dlts[d];
    }
}

static void trial_of(const uint8_t *key, int n_levels, int cohort, ds_trial_t *t)
{
    t->n_levels = n_levels;
    t->current = key[0];
    t->highest_allowed = (int)key[1] - 1;
    t->n_total = t->dlt_total = 0;
    for (int d = 0; d < n_levels; d++) {
        t->patients[d] = t->treated[d] = key[2 + 2 * d] * cohort;
        t->dlts[d] = key[3 + 2 * d];
        t->pending[d] = t->nonevaluable[d] = 0;
        t->n_total += t->patients[d];
        t->dlt_total += t->dlts[d];
    }
    t->n_treated = t->n_total;
    t->n_nonevaluable = 0;
}

/* A finished trial of probability prob. */
static void add_final(ds_oc_t *oc, const ds_trial_t *t, ds_action_t end, double prob)
{
    if (end.kind == DS_ACTION_SELECT) {
        oc->prob_rp2d[end.level] += prob;
    } else {
        oc->prob_none += prob;
    }
    for (int d = 0; d < t->n_levels; d++) {
        oc->mean_patients[d] += prob * t->patients[d];
        oc->mean_dlt[d] += prob * t->dlts[d];
    }
    oc->n_prob[t->n_total] += prob;
    ds_oc_add_final_counts(oc, ds_trial_exposure(t), prob);
}

/* The forward pass: with oc, the characteristics; without, the number of
 * paths of positive probability into *paths (each state carrying its count of
 * paths instead of its probability), stopped past limit. */
static int forward(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                   uint64_t limit, double *paths)
{
    const int n_levels = scenario->n_levels, cohort = design->interval.cohort_size;
    pmf_table_t pmf = {0};
    layer_t now = {.key_len = 2 + 2 * (size_t)n_levels}, next = {.key_len = now.key_len};
    uint8_t *key = malloc(now.key_len);
    ds_trial_t *trial = malloc(sizeof(*trial));
    int ret = key == NULL || trial == NULL ? DS_ERR_NOMEM : pmf_init(&pmf, scenario, design);
    if (ret == 0 && oc != NULL) {
        ret = ds_oc_init(oc, n_levels, ds_design_max_patients(design, n_levels));
    }
    if (ret == 0) {
        ds_action_t first = ds_design_start(design, trial, n_levels);
        key_of(trial, cohort, key);
        ret = first.kind == DS_ACTION_TREAT && first.n == cohort ? layer_add(&now, key, 1.0)
                                                                 : DS_ERR_BAD_PARAM;
    }
    double ended = 0.0; /* paths that ended */
    /* Each layer holds the states before one more cohort, at their current dose. */
    while (ret == 0 && now.n > 0 && (oc != NULL || ended <= (double)limit)) {
        layer_clear(&next);
        for (size_t i = 0; i < now.n && ret == 0; i++) {
            const uint8_t *state = now.keys + i * now.key_len;
            const int level = state[0];
            const double *p = pmf_at(&pmf, level, cohort);
            for (int x = 0; x <= cohort && ret == 0; x++) {
                if (p[x] == 0.0) {
                    continue;
                }
                const double weight = now.prob[i] * (oc != NULL ? p[x] : 1.0);
                trial_of(state, n_levels, cohort, trial);
                ds_trial_record(trial, level, cohort, x);
                ds_action_t action = ds_design_next(design, trial);
                if (action.kind == DS_ACTION_TREAT && action.n == cohort &&
                    action.level == trial->current) {
                    key_of(trial, cohort, key);
                    ret = layer_add(&next, key, weight);
                } else if (action.kind == DS_ACTION_SELECT || action.kind == DS_ACTION_STOP) {
                    if (oc != NULL) {
                        add_final(oc, trial, action, weight);
                    } else {
                        ended += weight;
                    }
                } else {
                    ret = DS_ERR_BAD_PARAM; /* the rules reached a state they cannot handle */
                }
            }
        }
        layer_t swap = now;
        now = next;
        next = swap;
    }
    if (paths != NULL) {
        *paths = now.n > 0 ? (double)limit + 1.0 : ended; /* stopped early: past the limit */
    }
    layer_free(&now);
    layer_free(&next);
    pmf_free(&pmf);
    free(key);
    free(trial);
    return ret;
}

int ds_interval_paths_count(const ds_scenario_t *scenario, const ds_design_t *design,
                            uint64_t limit, uint64_t *count)
{
    *count = 0;
    int ret = ds_design_check(design, scenario->n_levels, NULL);
    if (ret == 0 && !ds_design_is_interval(design)) {
        ret = DS_ERR_BAD_PARAM;
    }
    double paths = 0.0;
    if (ret == 0) {
        ret = forward(scenario, design, NULL, limit, &paths);
    }
    if (ret == 0) {
        *count = paths > (double)limit ? limit + 1u : (uint64_t)paths;
    }
    return ret;
}

int ds_interval_exact_oc(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                         ds_diag_t *diag)
{
    ds_oc_clear(oc);
    int ret = ds_design_check(design, scenario->n_levels, diag);
    if (ret != 0) {
        return ret;
    }
    if (!ds_design_is_interval(design)) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design", "%s is not an interval design",
                           design->name);
    }
    const int n_levels = scenario->n_levels;
    ret = forward(scenario, design, oc, 0, NULL);
    if (ret == DS_ERR_OVERFLOW) {
        ds_oc_free(oc);
        return ds_diag_set(diag, ret, NULL, 0, "",
                           "exact calculation for scenario '%s': more distinct trial states "
                           "than dosesim keeps (%u MiB a cohort; %d doses, %d patients): "
                           "simulate it with dosesim run, or lower --max-n",
                           scenario->name, LAYER_MAX_BYTES >> 20, n_levels,
                           design->interval.max_n);
    }
    if (ret != 0) {
        ds_oc_free(oc);
        return ds_diag_set(diag, ret, NULL, 0, "", "exact calculation for scenario '%s': %s",
                           scenario->name, ds_strerror(ret));
    }
    ds_oc_finish_exact(oc);
    return 0;
}

/* Exact operating characteristics: a memoised recursion over the states the
 * rules can tell apart, driven through the one design interface, with the
 * state updated and undone in place, then a second pass over the graph it
 * walked for what depends on a whole trial's patient counts (shares above a
 * cut, second moments); and its slow referee, the sum over every path of the
 * walk (paths.c). The path count of `dosesim paths` uses the same memo. */
#include "dosesim/exact.h"
#include "dosesim/interval.h"
#include "dosesim/paths.h"
#include "dosesim/text.h"

#include "binomial.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The checks every entry point makes: the design fits the scenario, and its
 * family can be enumerated (its trials come in cohorts decided by their DLTs). */
static int check_enumerable(const ds_scenario_t *scenario, const ds_design_t *design,
                            ds_diag_t *diag)
{
    int ret = ds_design_check(design, scenario->n_levels, diag);
    if (ret == 0 && design->family->one_at_a_time) {
        ret = ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                          "%s cannot be enumerated exactly: its patients come one at a time, "
                          "on calendar time",
                          design->name);
    }
    return ret;
}

/* ---- exact characteristics, summed over every path ---- */

/* Each node is reached by one cohort: it counts with the node's probability,
 * and each leaf is one possible trial. Nothing cleverer than the definition. */
static int add_path_node(void *ctx, const ds_path_node_t *node)
{
    ds_oc_t *oc = ctx;
    if (node->depth > 0) {
        oc->mean_patients[node->level] += node->prob * node->n;
        oc->mean_dlt[node->level] += node->prob * node->dlt;
    }
    if (node->action.kind == DS_ACTION_SELECT) {
        oc->prob_rp2d[node->action.level] += node->prob;
    } else if (node->action.kind == DS_ACTION_STOP) {
        oc->prob_none += node->prob;
    }
    if (node->action.kind != DS_ACTION_TREAT) {
        oc->n_prob[node->trial->n_total] += node->prob;
        ds_oc_add_final_counts(oc, ds_trial_exposure(node->trial), node->prob);
    }
    return 0;
}

int ds_exact_oc_by_paths(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                         ds_diag_t *diag)
{
    ds_oc_clear(oc);
    int ret = check_enumerable(scenario, design, diag);
    if (ret != 0) {
        return ret;
    }
    ret = ds_oc_init(oc, scenario->n_levels, ds_design_max_patients(design, scenario->n_levels));
    if (ret == 0) {
        ds_path_visitor_t visitor = {.enter = add_path_node, .leave = NULL, .ctx = oc};
        ret = ds_paths_walk(scenario, design, &visitor);
    }
    if (ret != 0) {
        ds_oc_free(oc);
        return ds_diag_set(diag, ret, NULL, 0, "", "exact calculation for scenario '%s': %s",
                           scenario->name, ds_strerror(ret));
    }
    ds_oc_finish_exact(oc);
    return 0;
}

/* ---- exact characteristics by memoised recursion ----
 *
 * value(S) holds what happens from a state S on, given S: the probability of
 * each final decision, the expected patients and DLTs still to come at each
 * level, and the distribution of the patients still to come. S is a state just
 * after a cohort, before the rules act. Two states with the same current and
 * highest allowed level and the same counts from ds_design_lowest_readable()
 * up lead to the same futures, so they share one value: this turns the
 * exponential tree into a few thousand states at 12 levels. */

typedef struct {
    uint64_t hash;
    size_t key_at; /* offset in keys */
    uint32_t key_len;
    uint32_t state; /* index of its value; UINT32_MAX for an empty slot */
} memo_slot_t;

/* The graph the walk of exact characteristics went through, for the second
 * pass: each state's cohort and its outcomes' states with their probabilities. */
typedef struct {
    int level;      /* the cohort's level; -1 for a final decision */
    int n;          /* its patients */
    size_t edge_at; /* its outcomes: edges[edge_at .. edge_at + n_edges) */
    uint32_t n_edges;
} memo_node_t;

typedef struct {
    uint32_t child;
    double weight; /* the outcome's binomial probability */
} memo_edge_t;

typedef struct {
    const ds_design_t *design;
    const ds_scenario_t *scenario;
    pmf_table_t pmf;
    ds_trial_t trial;
    int n_levels;
    int step;       /* every sample size is a multiple of it (3 for the 3+3) */
    int n_slots;    /* sample sizes 0, step, 2 step, ..., max_n */
    size_t stride;  /* doubles per value: decisions, patients, DLTs, sample sizes */
    double *values; /* [n_states * stride] */
    size_t n_states, cap_states;
    uint8_t *keys;
    size_t keys_used, keys_cap;
    memo_slot_t *table;
    size_t table_cap; /* a power of two */
    /* The graph (exact characteristics only): nodes[n_states], edges, and the
     * states in the order they were completed, every child before its parents. */
    memo_node_t *nodes;
    size_t cap_nodes;
    memo_edge_t *edges;
    size_t n_edges, cap_edges;
    uint32_t *order;
    size_t n_order, cap_order;
} memo_t;

/* Where the parts of a value sit within its stride. */
#define DECISION(v) (v) /* [n_levels + 1]: none, then each level */
#define PATIENTS(m, v) ((v) + (m)->n_levels + 1)
#define DLTS(m, v) ((v) + 2 * (m)->n_levels + 1)
#define SIZES(m, v) ((v) + 3 * (m)->n_levels + 1)

#define KEY_MAX (3 + 2 * DS_MAX_LEVELS)
#define MEMO_MAX_BYTES ((size_t)1 << 30) /* beyond this, exact refuses: use Monte Carlo */

static size_t make_key(const memo_t *m, uint8_t *key)
{
    const ds_trial_t *t = &m->trial;
    const int lowest = ds_design_lowest_readable(m->design, t);
    size_t len = 0;
    key[len++] = (uint8_t)t->current;
    key[len++] = (uint8_t)t->highest_allowed;
    key[len++] = (uint8_t)lowest;
    for (int d = lowest; d <= t->highest_allowed; d++) {
        key[len++] = (uint8_t)t->patients[d];
        key[len++] = (uint8_t)t->dlts[d];
    }
    return len;
}

static memo_slot_t *find_slot(const memo_t *m, const uint8_t *key, size_t len, uint64_t hash)
{
    size_t mask = m->table_cap - 1u;
    for (size_t i = hash & mask;; i = (i + 1u) & mask) {
        memo_slot_t *slot = &m->table[i];
        if (slot->state == UINT32_MAX || (slot->hash == hash && slot->key_len == len &&
                                          memcmp(m->keys + slot->key_at, key, len) == 0)) {
            return slot;
        }
    }
}

static int grow_table(memo_t *m)
{
    size_t cap = m->table_cap == 0 ? 1024u : 2u * m->table_cap;
    memo_slot_t *table = malloc(cap * sizeof(*table));
    if (table == NULL) {
        return DS_ERR_NOMEM;
    }
    for (size_t i = 0; i < cap; i++) {
        table[i].state = UINT32_MAX;
    }
    memo_slot_t *old = m->table;
    size_t old_cap = m->table_cap;
    m->table = table;
    m->table_cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (old[i].state != UINT32_MAX) {
            *find_slot(m, m->keys + old[i].key_at, old[i].key_len, old[i].hash) = old[i];
        }
    }
    free(old);
    return 0;
}

static int remember(memo_t *m, const uint8_t *key, size_t len, uint64_t hash, size_t state)
{
    if (2u * (m->n_states + 1u) > m->table_cap && grow_table(m) != 0) {
        return DS_ERR_NOMEM;
    }
    if (m->keys_used + len > m->keys_cap) {
        size_t cap = m->keys_cap == 0 ? 65536u : 2u * m->keys_cap;
        uint8_t *keys = realloc(m->keys, cap);
        if (keys == NULL) {
            return DS_ERR_NOMEM;
        }
        m->keys = keys;
        m->keys_cap = cap;
    }
    memcpy(m->keys + m->keys_used, key, len);
    *find_slot(m, key, len, hash) = (memo_slot_t){
        .hash = hash, .key_at = m->keys_used, .key_len = (uint32_t)len, .state = (uint32_t)state};
    m->keys_used += len;
    return 0;
}

/* A new, zeroed value; its index, or -1 when out of memory or past MEMO_MAX_BYTES. */
static long new_value(memo_t *m)
{
    if (m->n_states == m->cap_states) {
        size_t cap = m->cap_states == 0 ? 256u : 2u * m->cap_states;
        if (cap * m->stride * sizeof(double) > MEMO_MAX_BYTES || cap >= UINT32_MAX) {
            return -1;
        }
        double *values = realloc(m->values, cap * m->stride * sizeof(double));
        if (values == NULL) {
            return -1;
        }
        m->values = values;
        m->cap_states = cap;
    }
    memset(m->values + m->n_states * m->stride, 0, m->stride * sizeof(double));
    return (long)m->n_states++;
}

static long value_of(memo_t *m);

/* The index of the value of the state in m->trial if it is known, else -1 with
 * the state's key, its length and hash made for remember(). */
static long recall(const memo_t *m, uint8_t key[KEY_MAX], size_t *len, uint64_t *hash)
{
    *len = make_key(m, key);
    *hash = ds_hash64(key, *len, DS_HASH_START);
    if (m->table_cap > 0) {
        const memo_slot_t *slot = find_slot(m, key, *len, *hash);
        if (slot->state != UINT32_MAX) {
            return slot->state;
        }
    }
    return -1;
}

/* Grow an array of `size`-byte elements to hold `need` of them. */
static int room_for(void **array, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) {
        return 0;
    }
    size_t grown_cap = *cap == 0 ? 1024u : 2u * *cap;
    while (grown_cap < need) {
        grown_cap *= 2u;
    }
    void *grown = realloc(*array, grown_cap * size);
    if (grown == NULL) {
        return DS_ERR_NOMEM;
    }
    *array = grown;
    *cap = grown_cap;
    return 0;
}

/* Note a completed state in the graph: its cohort (level -1: a final
 * decision) and its outcomes, after which it comes in the completion order. */
static int remember_node(memo_t *m, size_t state, int level, int n, const memo_edge_t *outcomes,
                         uint32_t n_outcomes)
{
    if (room_for((void **)&m->nodes, &m->cap_nodes, m->n_states, sizeof(*m->nodes)) != 0 ||
        room_for((void **)&m->edges, &m->cap_edges, m->n_edges + n_outcomes, sizeof(*m->edges)) !=
            0 ||
        room_for((void **)&m->order, &m->cap_order, m->n_order + 1u, sizeof(*m->order)) != 0) {
        return DS_ERR_NOMEM;
    }
    m->nodes[state] =
        (memo_node_t){.level = level, .n = n, .edge_at = m->n_edges, .n_edges = n_outcomes};
    if (n_outcomes > 0) {
        memcpy(m->edges + m->n_edges, outcomes, n_outcomes * sizeof(*outcomes));
    }
    m->n_edges += n_outcomes;
    m->order[m->n_order++] = (uint32_t)state;
    return 0;
}

/* The value of a state whose next action is to treat a cohort: each outcome's
 * value, weighted by its binomial probability, plus the cohort itself. */
static int combine_outcomes(memo_t *m, size_t into, const ds_action_t *a)
{
    const double *pmf = pmf_at(&m->pmf, a->level, a->n);
    const int current = m->trial.current;
    const int highest = m->trial.highest_allowed;
    const int shift = a->n / m->step;
    memo_edge_t outcomes[DS_MAX_PATIENTS_PER_LEVEL + 1];
    uint32_t n_outcomes = 0;
    for (int dlt = 0; dlt <= a->n; dlt++) {
        if (pmf[dlt] == 0.0) {
            continue; /* an impossible outcome adds nothing (p = 0 or 1) */
        }
        ds_trial_record(&m->trial, a->level, a->n, dlt);
        long child = value_of(m);
        ds_trial_record(&m->trial, a->level, -a->n, -dlt);
        m->trial.current = current;
        m->trial.highest_allowed = highest;
        if (child < 0) {
            return (int)child;
        }
        outcomes[n_outcomes++] = (memo_edge_t){.child = (uint32_t)child, .weight = pmf[dlt]};
        /* Pointers only now: the recursion may have moved the values. */
        double *v = m->values + into * m->stride;
        const double *c = m->values + (size_t)child * m->stride;
        const double w = pmf[dlt];
        for (int j = 0; j < 3 * m->n_levels + 1; j++) {
            v[j] += w * c[j]; /* decisions, patients and DLTs to come */
        }
        DLTS(m, v)[a->level] += w * dlt;
        for (int k = 0; k + shift < m->n_slots; k++) {
            SIZES(m, v)[k + shift] += w * SIZES(m, c)[k];
        }
    }
    PATIENTS(m, m->values + into * m->stride)[a->level] += a->n;
    return remember_node(m, into, a->level, a->n, outcomes, n_outcomes);
}

/* What a memoised walk adds at a state: a cohort's outcomes (each child's value,
 * weighted as the walk needs), or a final decision; into values[into]. */
typedef struct {
    int (*cohort)(void *ctx, size_t into, const ds_action_t *a);
    int (*decision)(memo_t *m, size_t into, const ds_action_t *a);
    void *ctx;
} memo_walk_t;

/* The value of the state in m->trial (left as it was found), computed once
 * whatever the walk: its index, or a negative DS_ERR_*. */
static long memo_state(memo_t *m, const memo_walk_t *walk)
{
    uint8_t key[KEY_MAX];
    size_t len = 0;
    uint64_t hash = 0;
    long known = recall(m, key, &len, &hash);
    if (known >= 0) {
        return known;
    }
    const int current = m->trial.current;
    const int highest = m->trial.highest_allowed;
    ds_action_t a = ds_design_next(m->design, &m->trial);
    long index = new_value(m);
    int ret = index < 0 ? DS_ERR_NOMEM : 0;
    if (ret == 0 && a.kind == DS_ACTION_TREAT) {
        ret = walk->cohort(walk->ctx, (size_t)index, &a);
    } else if (ret == 0 && a.kind != DS_ACTION_INVALID) {
        ret = walk->decision(m, (size_t)index, &a);
    } else if (ret == 0) {
        ret = DS_ERR_BAD_PARAM;
    }
    m->trial.current = current;
    m->trial.highest_allowed = highest;
    if (ret == 0) {
        ret = remember(m, key, len, hash, (size_t)index);
    }
    return ret == 0 ? index : ret;
}

static int cohort_value(void *ctx, size_t into, const ds_action_t *a)
{
    return combine_outcomes(ctx, into, a);
}

static int decision_value(memo_t *m, size_t into, const ds_action_t *a)
{
    double *v = m->values + into * m->stride;
    DECISION(v)[a->kind == DS_ACTION_SELECT ? a->level + 1 : 0] = 1.0;
    SIZES(m, v)[0] = 1.0;
    return remember_node(m, into, -1, 0, NULL, 0);
}

/* The value of the state in m->trial: its index, or a negative DS_ERR_*. */
static long value_of(memo_t *m)
{
    const memo_walk_t walk = {.cohort = cohort_value, .decision = decision_value, .ctx = m};
    return memo_state(m, &walk);
}

/* ---- counting the paths ----
 *
 * The number of possible trials (paths of positive probability) below a state
 * depends on the state only through what the rules can read, as value(S) does,
 * so the same memo counts them in the same few states. The count stops as soon
 * as it passes the limit: a count only grows towards the root. */

typedef struct {
    memo_t memo; /* values of one double: the paths below the state */
    uint64_t limit;
    bool over;
} counter_t;

static long count_of(counter_t *c);

/* The paths below a state whose next action is a, into values[into]. */
static int count_outcomes(counter_t *c, size_t into, const ds_action_t *a)
{
    memo_t *m = &c->memo;
    const double *pmf = pmf_at(&m->pmf, a->level, a->n);
    const int current = m->trial.current;
    const int highest = m->trial.highest_allowed;
    for (int dlt = 0; dlt <= a->n && !c->over; dlt++) {
        if (pmf[dlt] == 0.0) {
            continue; /* impossible: no path */
        }
        ds_trial_record(&m->trial, a->level, a->n, dlt);
        long child = count_of(c);
        ds_trial_record(&m->trial, a->level, -a->n, -dlt);
        m->trial.current = current;
        m->trial.highest_allowed = highest;
        if (child < 0) {
            return (int)child;
        }
        m->values[into] += m->values[child];
        c->over |= m->values[into] > (double)c->limit;
    }
    return 0;
}

static int cohort_count(void *ctx, size_t into, const ds_action_t *a)
{
    return count_outcomes(ctx, into, a);
}

static int decision_count(memo_t *m, size_t into, const ds_action_t *a)
{
    (void)a;
    m->values[into] = 1.0; /* a final decision: one path */
    return 0;
}

static long count_of(counter_t *c)
{
    const memo_walk_t walk = {.cohort = cohort_count, .decision = decision_count, .ctx = c};
    return memo_state(&c->memo, &walk);
}

int ds_paths_count(const ds_scenario_t *scenario, const ds_design_t *design, uint64_t limit,
                   uint64_t *count)
{
    if (ds_design_is_interval(design)) {
        return ds_interval_paths_count(scenario, design, limit, count);
    }
    counter_t c = {.memo = {.design = design,
                            .scenario = scenario,
                            .n_levels = scenario->n_levels,
                            .stride = 1},
                   .limit = limit};
    *count = 0;
    int ret = check_enumerable(scenario, design, NULL);
    if (ret == 0) {
        ret = pmf_init(&c.memo.pmf, scenario, design);
    }
    if (ret == 0) {
        ds_action_t first = ds_design_start(design, &c.memo.trial, scenario->n_levels);
        long root = new_value(&c.memo);
        ret = root < 0 ? DS_ERR_NOMEM : count_outcomes(&c, (size_t)root, &first);
        if (ret == 0) {
            double n = c.memo.values[root];
            *count = c.over || n > (double)limit ? limit + 1u : (uint64_t)n;
        }
    }
    pmf_free(&c.memo.pmf);
    free(c.memo.values);
    free(c.memo.keys);
    free(c.memo.table);
    return ret;
}

/* ---- the second pass: shares above a cut, second moments ----
 *
 * Whether a trial's patients at levels >= m are more than 60% of its N
 * patients (5 A > 3 N, with A above the cut and B = N - A below: 2A - 3B > 0;
 * more than 80%: A - 4B > 0) depends on every patient of the trial, also on
 * those below ds_design_lowest_readable(), which the memo forgets. It does
 * depend on them only through a sum, D = 2A - 3B (or A - 4B), of what came
 * before a state and what comes after it; and what comes after depends on the
 * state alone. So each state gets the distribution of D over its future, for
 * every cut with patients still to come on both sides of it ("live" cuts; for
 * the others the future's D is a multiple of its sample size, whose
 * distribution the memo holds), and the root's gives P(D > 0). Likewise the
 * second moments: E[(x + F)^2] = x^2 + 2x E[F] + E[F^2] for a cohort's x
 * patients and the future F after it. The pass goes through the walk's graph
 * children first, and frees a state's part once its last parent has read it.
 * Counts are in steps (m->step patients). */

/* One distribution of D: P(D = first + i) at values[i], i < len. */
typedef struct {
    size_t at; /* values = block + at */
    int first, len;
} dist_t;

typedef struct {
    int lo, hi;    /* lowest and highest level the future may treat (lo > hi: none) */
    int least;     /* fewest steps still to come ... */
    int reach;     /* ... and most */
    uint32_t refs; /* parents that have not read it yet */
    double *block; /* its future's moments and distributions, until they have */
    dist_t *dists; /* [2 (hi - lo)]: per live cut lo + 1 .. hi, 60% then 80% */
} future_t;

/* Where a future's moments sit in its block: squares above and below each
 * cut, at each dose; the distributions follow. */
#define SQ_ABOVE(b) (b)
#define SQ_BELOW(b, n) ((b) + (n) + 1)
#define SQ_AT(b, n) ((b) + 2 * (n) + 2)
#define MOMENTS(n) (3u * (size_t)(n) + 2u)

static bool is_live(const future_t *f, int cut)
{
    return f->lo < cut && cut <= f->hi;
}

static const dist_t *dist_of(const future_t *f, int cut, int which)
{
    return &f->dists[2 * (cut - f->lo - 1) + which];
}

/* What D gains per step on the cohort's side of a cut: 60% (which 0) or 80%. */
static int per_step(int which, bool above)
{
    return which == 0 ? (above ? 2 : -3) : (above ? 1 : -4);
}

/* The values D may take over child c's future, shifted by delta: [*lo, *hi]. */
static void future_d_range(const future_t *c, int cut, int which, int delta, int *lo, int *hi)
{
    if (is_live(c, cut)) {
        const dist_t *d = dist_of(c, cut, which);
        *lo = d->first + delta;
        *hi = d->first + d->len - 1 + delta;
        return;
    }
    /* Every patient still to come on one side: D is a multiple of the sample size. */
    const int k = per_step(which, cut <= c->lo);
    *lo = (k > 0 ? k * c->least : k * c->reach) + delta;
    *hi = (k > 0 ? k * c->reach : k * c->least) + delta;
}

/* Add w times the distribution of D over child c's future, shifted by delta, into out. */
static void add_future_d(const memo_t *m, const future_t *c, size_t child, int cut, int which,
                         double w, int delta, const dist_t *out, double *block)
{
    double *to = block + out->at - out->first + delta;
    if (is_live(c, cut)) {
        const dist_t *d = dist_of(c, cut, which);
        const double *from = c->block + d->at;
        to += d->first;
        for (int i = 0; i < d->len; i++) {
            to[i] += w * from[i];
        }
        return;
    }
    const int k = per_step(which, cut <= c->lo);
    const double *sizes = SIZES(m, m->values + child * m->stride);
    for (int size = c->least; size <= c->reach; size++) {
        to[k * size] += w * sizes[size];
    }
}

/* The future of state s from its children's (all done). */
static int future_of(const memo_t *m, future_t *futures, size_t s)
{
    const memo_node_t *node = &m->nodes[s];
    future_t *f = &futures[s];
    const int n = m->n_levels;
    f->lo = INT32_MAX;
    f->hi = -1;
    if (node->level < 0) {
        return 0; /* a final decision: nothing to come */
    }
    const memo_edge_t *edges = m->edges + node->edge_at;
    const int a = node->n / m->step, level = node->level;
    f->lo = f->hi = level;
    f->least = INT32_MAX;
    for (uint32_t e = 0; e < node->n_edges; e++) {
        const future_t *c = &futures[edges[e].child];
        f->lo = c->lo < f->lo ? c->lo : f->lo;
        f->hi = c->hi > f->hi ? c->hi : f->hi;
        f->least = c->least < f->least ? c->least : f->least;
        f->reach = c->reach > f->reach ? c->reach : f->reach;
    }
    f->least += a;
    f->reach += a;
    /* Each live cut's distributions cover what the children's, shifted, cover. */
    const int live = f->hi - f->lo;
    f->dists = malloc((2u * (size_t)live + 1u) * sizeof(*f->dists));
    if (f->dists == NULL) {
        return DS_ERR_NOMEM;
    }
    size_t used = MOMENTS(n);
    for (int cut = f->lo + 1; cut <= f->hi; cut++) {
        for (int which = 0; which < 2; which++) {
            const int delta = per_step(which, level >= cut) * a;
            int lo = INT32_MAX, hi = INT32_MIN;
            for (uint32_t e = 0; e < node->n_edges; e++) {
                int c_lo = 0, c_hi = 0;
                future_d_range(&futures[edges[e].child], cut, which, delta, &c_lo, &c_hi);
                lo = c_lo < lo ? c_lo : lo;
                hi = c_hi > hi ? c_hi : hi;
            }
            f->dists[2 * (cut - f->lo - 1) + which] =
                (dist_t){.at = used, .first = lo, .len = hi - lo + 1};
            used += (size_t)(hi - lo + 1);
        }
    }
    f->block = calloc(used, sizeof(double));
    if (f->block == NULL) {
        return DS_ERR_NOMEM;
    }
    double *b = f->block;
    for (uint32_t e = 0; e < node->n_edges; e++) {
        const size_t child = edges[e].child;
        const future_t *c = &futures[child];
        const double w = edges[e].weight;
        const double *mean = PATIENTS(m, m->values + child * m->stride);
        const double *cb = c->block; /* NULL for a final decision: moments 0 */
        /* The child's future patients above each cut, and its moments. */
        double to_come = 0.0, above = 0.0;
        for (int d = 0; d < n; d++) {
            to_come += mean[d];
        }
        for (int cut = n; cut >= 0; cut--) {
            above += cut < n ? mean[cut] : 0.0;
            const double x = level >= cut ? node->n : 0.0, y = node->n - x;
            SQ_ABOVE(b)
            [cut] += w * (x * x + 2.0 * x * above + (cb != NULL ? SQ_ABOVE(cb)[cut] : 0.0));
            SQ_BELOW(b, n)
            [cut] += w * (y * y + 2.0 * y * (to_come - above) +
                          (cb != NULL ? SQ_BELOW(cb, n)[cut] : 0.0));
        }
        for (int d = 0; d < n && cb != NULL; d++) {
            SQ_AT(b, n)[d] += w * SQ_AT(cb, n)[d];
        }
        SQ_AT(b, n)[level] += w * ((double)node->n * node->n + 2.0 * node->n * mean[level]);
        for (int cut = f->lo + 1; cut <= f->hi; cut++) {
            for (int which = 0; which < 2; which++) {
                add_future_d(m, c, child, cut, which, w, per_step(which, level >= cut) * a,
                             dist_of(f, cut, which), b);
            }
        }
    }
    return 0;
}

/* P(D > 0) over a state's future at a cut: the share is above 60% (which 0) or 80%. */
static double prob_positive(const memo_t *m, const future_t *f, size_t s, int cut, int which)
{
    double p = 0.0;
    if (is_live(f, cut)) {
        const dist_t *d = dist_of(f, cut, which);
        for (int i = 0; i < d->len; i++) {
            p += d->first + i > 0 ? f->block[d->at + (size_t)i] : 0.0;
        }
    } else if (cut <= f->lo) {
        const double *sizes = SIZES(m, m->values + s * m->stride);
        for (int size = f->least > 1 ? f->least : 1; size <= f->reach; size++) {
            p += sizes[size]; /* every patient above the cut: D > 0 unless there are none */
        }
    }
    return p; /* every patient below: never */
}

/* The second pass, into oc: P(shares above 60% and 80%) at every cut, and the
 * second moments. 0, or DS_ERR_NOMEM. */
static int second_pass(const memo_t *m, size_t root, ds_oc_t *oc)
{
    const int n = m->n_levels;
    future_t *futures = calloc(m->n_states, sizeof(*futures));
    if (futures == NULL) {
        return DS_ERR_NOMEM;
    }
    for (size_t e = 0; e < m->n_edges; e++) {
        futures[m->edges[e].child].refs++;
    }
    int ret = 0;
    for (size_t k = 0; k < m->n_order && ret == 0; k++) {
        const size_t s = m->order[k];
        ret = future_of(m, futures, s);
        const memo_node_t *node = &m->nodes[s];
        for (uint32_t e = 0; e < node->n_edges; e++) {
            future_t *c = &futures[m->edges[node->edge_at + e].child];
            if (--c->refs == 0) {
                free(c->block);
                free(c->dists);
                c->block = NULL;
                c->dists = NULL;
            }
        }
    }
    const future_t *f = &futures[root];
    for (int cut = 0; cut <= n && ret == 0; cut++) {
        oc->mean_sq_above[cut] = SQ_ABOVE(f->block)[cut];
        oc->mean_sq_below[cut] = SQ_BELOW(f->block, n)[cut];
        oc->prob_above_60[cut] = prob_positive(m, f, root, cut, 0);
        oc->prob_above_80[cut] = prob_positive(m, f, root, cut, 1);
    }
    for (int d = 0; d < n && ret == 0; d++) {
        oc->mean_sq_at[d] = SQ_AT(f->block, n)[d];
    }
    for (size_t s = 0; s < m->n_states; s++) {
        free(futures[s].block);
        free(futures[s].dists);
    }
    free(futures);
    return ret;
}

static int gcd(int a, int b)
{
    while (b != 0) {
        int r = a % b;
        a = b;
        b = r;
    }
    return a;
}

int ds_exact_oc(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                ds_diag_t *diag)
{
    if (ds_design_is_interval(design)) {
        return ds_interval_exact_oc(scenario, design, oc, diag); /* states merged forward */
    }
    memo_t m = {.design = design, .scenario = scenario, .n_levels = scenario->n_levels};
    ds_oc_clear(oc);
    int ret = check_enumerable(scenario, design, diag);
    if (ret != 0) {
        return ret;
    }
    const int max_n = ds_design_max_patients(design, scenario->n_levels);
    m.step = design->stages[0].n_cum;
    for (int s = 1; s < design->n_stages; s++) {
        m.step = gcd(m.step, design->stages[s].n_cum - design->stages[s - 1].n_cum);
    }
    m.n_slots = max_n / m.step + 1;
    m.stride = 3u * (size_t)m.n_levels + 1u + (size_t)m.n_slots;
    ret = pmf_init(&m.pmf, scenario, design);
    if (ret == 0) {
        ret = ds_oc_init(oc, scenario->n_levels, max_n);
    }
    long root = -1;
    if (ret == 0) {
        /* The first cohort has no state before it to remember: combine it directly. */
        ds_action_t first = ds_design_start(design, &m.trial, scenario->n_levels);
        root = new_value(&m);
        ret = root < 0 ? DS_ERR_NOMEM : combine_outcomes(&m, (size_t)root, &first);
    }
    if (ret == 0) {
        const double *v = m.values + (size_t)root * m.stride;
        oc->prob_none = DECISION(v)[0];
        for (int d = 0; d < m.n_levels; d++) {
            oc->prob_rp2d[d] = DECISION(v)[d + 1];
            oc->mean_patients[d] = PATIENTS(&m, v)[d];
            oc->mean_dlt[d] = DLTS(&m, v)[d];
        }
        for (int k = 0; k < m.n_slots; k++) {
            oc->n_prob[k * m.step] = SIZES(&m, v)[k];
        }
        ret = second_pass(&m, (size_t)root, oc);
    }
    if (ret == 0) {
        ds_oc_finish_exact(oc);
    } else {
        ds_oc_free(oc);
        ds_diag_set(diag, ret, NULL, 0, "", "exact calculation for scenario '%s': %s%s",
                    scenario->name, ds_strerror(ret),
                    ret == DS_ERR_NOMEM ? " (too many states; use dosesim run)" : "");
    }
    pmf_free(&m.pmf);
    free(m.values);
    free(m.keys);
    free(m.table);
    free(m.nodes);
    free(m.edges);
    free(m.order);
    return ret;
}

/* The decision tree of an enumerable design, compiled once per scenario from
 * the same rules by the path walk (paths.c), ready for the engine to sample:
 * one 12-byte node load and one draw per cohort. */
#include "dosesim/tree.h"

#include <stdlib.h>
#include <string.h>

#include "dosesim/paths.h"
#include "dosesim/tally.h"

#define TREE_TOO_BIG 1 /* a visitor's private "stop": the tree will not be used */

typedef struct {
    ds_tree_t *tree;
    const ds_design_t *design;
    const ds_sampler_t *sampler;
    uint32_t cap_nodes;
    uint32_t cap_edges;
    uint32_t cap_leaves;
    uint32_t *parent_at_depth; /* [max_n + 1] */
} tree_builder_t;

void ds_tree_free(ds_tree_t *tree)
{
    free(tree->nodes);
    free(tree->edges);
    free(tree->rules);
    free(tree->leaf_patients);
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
    ds_tree_t *t = b->tree;
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
    ds_tree_t *t = b->tree;
    if (t->n_nodes >= DS_TREE_MAX_NODES) {
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
        nd->cdf_at = ds_sampler_offset(b->sampler, node->action.level, node->action.n);
        nd->next = t->n_edges;
        nd->level = (int16_t)node->action.level;
        nd->size = (int16_t)node->action.n;
        t->rules[id] =
            ds_design_cohort_rule(b->design, node->trial, node->action.level, node->action.n);
        t->n_edges = edges;
        b->parent_at_depth[node->depth] = id;
    } else {
        if (t->n_leaves >= b->cap_leaves) {
            uint32_t cap = b->cap_leaves == 0 ? 1024u : 2u * b->cap_leaves;
            ret = grow((void **)&t->leaf_patients, (size_t)t->n_levels, cap);
            if (ret != 0) {
                return ret;
            }
            b->cap_leaves = cap;
        }
        const int *patients = ds_trial_exposure(node->trial);
        uint8_t *leaf = t->leaf_patients + (size_t)t->n_leaves * (size_t)t->n_levels;
        for (int d = 0; d < t->n_levels; d++) {
            leaf[d] = (uint8_t)patients[d]; /* at most DS_MAX_PATIENTS_PER_LEVEL */
        }
        nd->cdf_at = DS_TREE_LEAF;
        nd->next = t->n_leaves++;
        nd->level = (int16_t)(node->action.kind == DS_ACTION_SELECT ? node->action.level : -1);
        nd->size = (int16_t)node->trial->n_total;
    }
    return 0;
}

int ds_tree_compile(ds_tree_t *self, const ds_scenario_t *scenario, const ds_design_t *design,
                    const ds_sampler_t *sampler, int max_n, bool *fits)
{
    memset(self, 0, sizeof(*self));
    *fits = false;
    self->n_levels = scenario->n_levels;
    tree_builder_t b = {.tree = self, .design = design, .sampler = sampler};
    b.parent_at_depth = malloc(((size_t)max_n + 1u) * sizeof(*b.parent_at_depth));
    if (b.parent_at_depth == NULL) {
        return DS_ERR_NOMEM;
    }
    ds_path_visitor_t visitor = {.enter = tree_enter, .leave = NULL, .ctx = &b};
    int ret = ds_paths_walk(scenario, design, &visitor);
    free(b.parent_at_depth);
    if (ret == TREE_TOO_BIG) {
        ds_tree_free(self); /* too large to pay off: trials run the direct way */
        return 0;
    }
    if (ret != 0) {
        ds_tree_free(self);
        return ret;
    }
    *fits = true;
    return 0;
}

/**
 * @file tree.h
 * @brief The decision tree of an enumerable design, compiled for sampling.
 *
 * Compiled once per scenario by walking the design's paths (paths.h): the
 * engine then runs a trial as a walk from the root, one draw per cohort
 * (ds_sampler_dlts) choosing the child, and counts the leaves reached. With
 * calendar time, each node also holds its cohort's rule (ds_tree_t.rules), all
 * the calendar needs of the trial's state.
 */
#ifndef DOSESIM_TREE_H
#define DOSESIM_TREE_H

#include <stdbool.h>
#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/sampler.h"
#include "dosesim/scenario.h"

/** Largest decision tree compiled (about 11 levels of the 3+3). */
#define DS_TREE_MAX_NODES (1u << 18)

/** ds_tree_node_t.cdf_at of a leaf. */
#define DS_TREE_LEAF UINT32_MAX

/** A node of the compiled decision tree (one 12-byte load per cohort). */
typedef struct {
    uint32_t cdf_at; /**< TREAT: the cohort's ds_sampler_offset; leaf: DS_TREE_LEAF */
    uint32_t next;   /**< TREAT: first edge (the child after 0 DLTs); leaf: its number */
    int16_t level;   /**< TREAT: level treated; leaf: RP2D level or -1 */
    int16_t size;    /**< TREAT: cohort size; leaf: the trial's total patients */
} ds_tree_node_t;

/** The decision tree of a design over a scenario's levels, ready to sample. */
typedef struct {
    uint32_t n_nodes;
    uint32_t n_leaves;
    uint32_t n_edges;
    ds_tree_node_t *nodes; /**< [n_nodes], parents before children */
    uint32_t *edges;       /**< [n_edges] child node of each (node, DLTs) */
    /** [n_nodes] for TREAT nodes, the rule its cohort's DLTs meet: all the
     *  calendar needs to know of the trial's state (kept apart from nodes, so
     *  that untimed walks load 12 bytes per cohort, not 20). */
    ds_cohort_rule_t *rules;
    int n_levels;
    /** [n_leaves * n_levels] each leaf's per-dose patient counts (ds_trial_exposure), for
     *  the accuracy counters the engine adds per leaf (ds_tally_add_exposure). */
    uint8_t *leaf_patients;
} ds_tree_t;

/**
 * @brief Compile the tree of an enumerable design over the scenario's levels,
 *        for trials of at most max_n patients, with offsets into sampler's
 *        tables. *fits is false (and the tree empty) when it would have more
 *        than DS_TREE_MAX_NODES nodes. Safe to free whatever it returns.
 * @return 0; DS_ERR_BAD_PARAM (as ds_paths_walk); DS_ERR_NOMEM.
 */
int ds_tree_compile(ds_tree_t *self, const ds_scenario_t *scenario, const ds_design_t *design,
                    const ds_sampler_t *sampler, int max_n, bool *fits) DS_WARN_UNUSED;

/** Free the tree; the struct then holds nothing. */
void ds_tree_free(ds_tree_t *self);

#endif

/**
 * @file paths.h
 * @brief Every possible course of a trial: the walk over a design's decision tree.
 *
 * The decision tree of an enumerable design (ds_family_t.enumerable): each
 * node is a state the rules act on; a node whose action is DS_ACTION_TREAT has
 * one child per possible number of DLTs in that cohort (0..n, in that order);
 * SELECT and STOP nodes are leaves, one per possible trial. ds_paths_walk()
 * visits it depth first with each node's probability (the product of its
 * cohorts' binomial probabilities, from gsl_ran_binomial_pdf). The Monte Carlo
 * engine compiles its sampling tree with it (tree.h), `dosesim paths` lists
 * its leaves, and ds_exact_oc_by_paths() sums over them.
 */
#ifndef DOSESIM_PATHS_H
#define DOSESIM_PATHS_H

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/scenario.h"

/** A node of the decision tree, as the walk shows it to a visitor. */
typedef struct {
    const ds_trial_t *trial; /**< the state, after the cohorts on the way here */
    ds_action_t action;      /**< what the rules do next in this state */
    int depth;               /**< cohorts on the way here */
    int level, n, dlt;       /**< the cohort that led here (when depth > 0) */
    double prob;             /**< probability that a trial passes through this node */
} ds_path_node_t;

/** What the walk calls; a non-zero return stops the walk and is returned by it. */
typedef struct {
    /** Called for every node, parents before children. */
    int (*enter)(void *ctx, const ds_path_node_t *node);
    /** Called after a TREAT node's children; may be NULL. */
    int (*leave)(void *ctx, const ds_path_node_t *node);
    void *ctx;
} ds_path_visitor_t;

/**
 * @brief Walk every path of the design over the scenario's levels.
 *
 * Paths of probability 0 (a DLT at p = 0, say) are walked too.
 * @return 0; DS_ERR_BAD_PARAM if the design is invalid for the scenario,
 *         enrols one patient at a time (the rolling six), or reaches a state its rules cannot handle; DS_ERR_NOMEM; or a
 *         visitor's non-zero return.
 */
int ds_paths_walk(const ds_scenario_t *scenario, const ds_design_t *design,
                  const ds_path_visitor_t *visitor) DS_WARN_UNUSED;

#endif

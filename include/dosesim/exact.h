/**
 * @file exact.h
 * @brief Every possible course of a trial, by walking all cohort outcomes
 *        through the rules of design.c.
 *
 * ds_paths_walk() visits the decision tree of a design depth first: each node
 * is a state the rules act on; a node whose action is DS_ACTION_TREAT has one
 * child per possible number of DLTs in that cohort (0..n, in that order);
 * SELECT and STOP nodes are leaves, one per possible trial. The Monte Carlo
 * engine compiles its sampling tree with it, the exact calculator weighs the
 * leaves by their binomial probabilities, and `dosesim paths` lists them.
 */
#ifndef DOSESIM_EXACT_H
#define DOSESIM_EXACT_H

#include "dosesim/design.h"
#include "dosesim/error.h"

/** A node of the decision tree, as the walk shows it to a visitor. */
typedef struct {
    const ds_trial_t *trial; /**< the state, after the cohorts on the way here */
    ds_action_t action;      /**< what the rules do next in this state */
    int depth;               /**< cohorts on the way here */
    int level, n, dlt;       /**< the cohort that led here (when depth > 0) */
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
 * @brief Walk every path of the design over n_levels levels.
 * @return 0; DS_ERR_BAD_PARAM if the design is invalid for n_levels or reaches
 *         a state its rules cannot handle; or a visitor's non-zero return.
 */
int ds_paths_walk(const ds_design_t *design, int n_levels,
                  const ds_path_visitor_t *visitor) DS_WARN_UNUSED;

#endif

/**
 * @file exact.h
 * @brief Exact operating characteristics, and every possible course of a
 *        trial, by walking all cohort outcomes through the rules of design.c.
 *
 * The decision tree of a design: each node is a state the rules act on; a
 * node whose action is DS_ACTION_TREAT has one child per possible number of
 * DLTs in that cohort (0..n, in that order); SELECT and STOP nodes are leaves,
 * one per possible trial. ds_paths_walk() visits it depth first with each
 * node's probability (the product of its cohorts' binomial probabilities,
 * from gsl_ran_binomial_pdf). The Monte Carlo engine compiles its sampling
 * tree with it and `dosesim paths` lists its leaves.
 *
 * ds_exact_oc() computes the same characteristics as summing over the leaves,
 * but treats states that differ only in what the rules can no longer read
 * (ds_design_lowest_readable()) as one, so its work grows with the square of
 * the number of levels instead of exponentially.
 */
#ifndef DOSESIM_EXACT_H
#define DOSESIM_EXACT_H

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/oc.h"
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
 * @return 0; DS_ERR_BAD_PARAM if the design is invalid for the scenario or
 *         reaches a state its rules cannot handle; DS_ERR_NOMEM; or a
 *         visitor's non-zero return.
 */
int ds_paths_walk(const ds_scenario_t *scenario, const ds_design_t *design,
                  const ds_path_visitor_t *visitor) DS_WARN_UNUSED;

/**
 * @brief The number of possible trials (paths of positive probability, the
 *        rows `dosesim paths` writes), counted over the states the rules can
 *        tell apart as ds_exact_oc() does, so in milliseconds however many there
 *        are. The count stops past limit: *count is then limit + 1.
 * @return 0; DS_ERR_BAD_PARAM (the design does not fit the scenario);
 *         DS_ERR_NOMEM (more states than the memory allows).
 */
int ds_paths_count(const ds_scenario_t *scenario, const ds_design_t *design, uint64_t limit,
                   uint64_t *count) DS_WARN_UNUSED;

/**
 * @brief Exact operating characteristics of a design under a scenario.
 *
 * Fills oc (initialised here; free it with ds_oc_free) with method DS_METHOD_EXACT.
 * @return 0; DS_ERR_BAD_PARAM with the reason in diag; DS_ERR_NOMEM.
 */
int ds_exact_oc(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief The same characteristics summed over every path of ds_paths_walk():
 *        slower (exponential in the levels), and the referee of ds_exact_oc().
 */
int ds_exact_oc_by_paths(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                         ds_diag_t *diag) DS_WARN_UNUSED;

#endif

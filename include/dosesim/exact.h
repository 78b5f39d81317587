/**
 * @file exact.h
 * @brief Exact operating characteristics of the enumerable design families
 *        (ds_family_t.enumerable), through the one design interface.
 *
 * ds_exact_oc() computes the same characteristics as summing over the leaves
 * of the decision tree (paths.h), but treats states that differ only in what
 * the rules can no longer read (ds_design_lowest_readable()) as one, so its
 * work grows with the square of the number of levels instead of exponentially.
 */
#ifndef DOSESIM_EXACT_H
#define DOSESIM_EXACT_H

#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"

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

/* The walk over every path of a design: every sequence of cohort outcomes,
 * driven through the one design interface, depth first, with the state
 * updated and undone in place (no copies: the walk visits hundreds of
 * thousands of nodes at 12 levels). The engine compiles its decision tree
 * with it, `dosesim paths` lists its leaves, and exact.c's slow referee sums
 * over them. */
#include "dosesim/paths.h"

#include "binomial.h"

typedef struct {
    const ds_design_t *design;
    const ds_path_visitor_t *visitor;
    pmf_table_t pmf;
    ds_trial_t trial;
} walker_t;

static int walk(walker_t *w, ds_path_node_t *node)
{
    if (node->action.kind == DS_ACTION_INVALID) {
        return DS_ERR_BAD_PARAM;
    }
    int ret = w->visitor->enter(w->visitor->ctx, node);
    if (ret != 0 || node->action.kind != DS_ACTION_TREAT) {
        return ret;
    }
    const int level = node->action.level;
    const int n = node->action.n;
    const double *pmf = pmf_at(&w->pmf, level, n);
    const int saved_current = w->trial.current;
    const int saved_highest = w->trial.highest_allowed;
    for (int dlt = 0; dlt <= n && ret == 0; dlt++) {
        ds_trial_record(&w->trial, level, n, dlt);
        ds_path_node_t child = {
            .trial = &w->trial,
            .action = ds_design_next(w->design, &w->trial),
            .depth = node->depth + 1,
            .level = level,
            .n = n,
            .dlt = dlt,
            .prob = node->prob * pmf[dlt],
        };
        ret = walk(w, &child);
        ds_trial_record(&w->trial, level, -n, -dlt);
        w->trial.current = saved_current;
        w->trial.highest_allowed = saved_highest;
    }
    if (ret == 0 && w->visitor->leave != NULL) {
        ret = w->visitor->leave(w->visitor->ctx, node);
    }
    return ret;
}

int ds_paths_walk(const ds_scenario_t *scenario, const ds_design_t *design,
                  const ds_path_visitor_t *visitor)
{
    walker_t w = {.design = design, .visitor = visitor};
    int ret = ds_design_check(design, scenario->n_levels, NULL);
    if (ret == 0 && design->family->one_at_a_time) {
        ret = DS_ERR_BAD_PARAM; /* its trials do not come in cohorts decided by their DLTs */
    }
    if (ret == 0) {
        ret = pmf_init(&w.pmf, scenario, design);
    }
    if (ret == 0) {
        ds_path_node_t root = {
            .trial = &w.trial,
            .action = ds_design_start(design, &w.trial, scenario->n_levels),
            .level = -1,
            .prob = 1.0,
        };
        ret = walk(&w, &root);
    }
    pmf_free(&w.pmf);
    return ret;
}

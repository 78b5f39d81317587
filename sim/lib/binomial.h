/* For the modules that sum over cohort outcomes (paths.c, exact.c): the
 * binomial probabilities of every cohort's DLT count, from GSL, in one table. */
#ifndef DOSESIM_BINOMIAL_H
#define DOSESIM_BINOMIAL_H

#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/scenario.h"

typedef struct {
    int max_cohort;
    double *prob; /* [level][n][dlt]: binomial(n, p_level) probabilities */
} pmf_table_t;

static inline const double *pmf_at(const pmf_table_t *t, int level, int n)
{
    size_t width = (size_t)t->max_cohort + 1u;
    return t->prob + ((size_t)level * width + (size_t)n) * width;
}

static inline int pmf_init(pmf_table_t *t, const ds_scenario_t *scenario, const ds_design_t *design)
{
    t->max_cohort = ds_design_max_cohort(design);
    size_t width = (size_t)t->max_cohort + 1u;
    t->prob = calloc((size_t)scenario->n_levels * width * width, sizeof(double));
    if (t->prob == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int level = 0; level < scenario->n_levels; level++) {
        for (int n = 1; n <= t->max_cohort; n++) {
            double *row = t->prob + ((size_t)level * width + (size_t)n) * width;
            for (int x = 0; x <= n; x++) {
                row[x] =
                    gsl_ran_binomial_pdf((unsigned int)x, scenario->p_dlt[level], (unsigned int)n);
            }
        }
    }
    return 0;
}

static inline void pmf_free(pmf_table_t *t)
{
    free(t->prob);
    t->prob = NULL;
}

#endif

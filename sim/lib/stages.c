/* The stage-table family: the 3+3 (Storer 1989), the 3+3+3 (Hansen et al.
 * 2014), Lin & Shih's (2001) A+B and users' tables. A dose is treated stage by
 * stage in cohorts; after each, the cumulative DLTs there meet the stage's
 * escalation or too-toxic count, or lead to the next stage. */
#include "dosesim/stages.h"

/* The stage a dose has completed, from its patient count; -1 if the count is
 * not a stage boundary (a state the rules never produce). */
static int completed_stage(const ds_design_t *design, int patients)
{
    for (int s = 0; s < design->n_stages; s++) {
        if (design->stages[s].n_cum == patients) {
            return s;
        }
    }
    return -1;
}

/* The rule of the stage a dose completes, in terms of the cumulative DLTs
 * already counted there (prior): the one place a stage's bounds are read. */
static ds_cohort_rule_t rule_after(const ds_stage_t *stage, int prior)
{
    return (ds_cohort_rule_t){.esc_max = stage->esc_max - prior, .tox_min = stage->tox_min - prior};
}

static ds_cohort_rule_t stages_cohort_rule(const ds_design_t *design, const ds_trial_t *before,
                                           int level, int n)
{
    int stage = completed_stage(design, before->patients[level] + n);
    if (stage < 0) {
        return (ds_cohort_rule_t){.esc_max = -1, .tox_min = 0}; /* never produced by the rules */
    }
    return rule_after(&design->stages[stage], before->dlts[level]);
}

static ds_band_t stages_verdict(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    int stage = completed_stage(design, trial->patients[level]);
    if (stage < 0) {
        return DS_BAND_UNREACHABLE;
    }
    return ds_cohort_rule_band(rule_after(&design->stages[stage], 0), trial->dlts[level]);
}

static int stages_first_cohort(const ds_design_t *design)
{
    return design->stages[0].n_cum;
}

/* The next stage at the dose. */
static ds_action_t stages_more(const ds_design_t *design, const ds_trial_t *trial, int level,
                               ds_why_t why)
{
    int stage = completed_stage(design, trial->patients[level]);
    if (stage < 0 || stage == design->n_stages - 1) {
        return ds_action_make(DS_ACTION_INVALID, level, 0, DS_WHY_BAD_STATE);
    }
    return ds_action_make(DS_ACTION_TREAT, level,
                          design->stages[stage + 1].n_cum - design->stages[stage].n_cum, why);
}

const ds_family_t ds_family_stages = {
    .name = "cohorts",
    .title = "the stage tables",
    .calendar_reason = NULL,
    .enumerable = true,
    .one_at_a_time = false,
    .needs_calendar = false,
    .check = NULL,
    .first_cohort = stages_first_cohort,
    .verdict = stages_verdict,
    .more = stages_more,
    .cohort_rule = stages_cohort_rule,
    .exact = true,
    .pooled_too_toxic = ds_stages_pooled_too_toxic,
    .backfill_closed = ds_moves_backfill_closed,
    .pools_backfill = false,
};

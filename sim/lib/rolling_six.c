/* The rolling six (Skolnik JM et al., J Clin Oncol 2008;26:190-195): patients
 * are enrolled one at a time at a dose, up to the full count, while earlier
 * ones are still in their DLT window, by the paper's Table 1. Its counts come
 * from the design's two-stage table, the 3+3's (3 and 6 patients, too toxic
 * from 2 DLTs), which the paper's table is written for. */
#include "dosesim/rolling_six.h"

ds_rolling_decision_t ds_rolling_six_decide(const ds_design_t *design, int enrolled, int dlts,
                                            int pending)
{
    const ds_stage_t *first = &design->stages[0];
    const ds_stage_t *last = &design->stages[design->n_stages - 1];
    const int full = last->n_cum;
    if (dlts >= last->tox_min) {
        return DS_ROLLING_DEESCALATE;
    }
    /* Escalate with at least the first stage's count enrolled, all evaluated
     * and within the first stage's escalation rule (for the 3+3: no DLT in 3
     * to 6), or with the full count enrolled when whatever the pending
     * patients show, the dose passes the last stage's rule (for the 3+3: six
     * enrolled, at most one DLT or pending). */
    if ((dlts <= first->esc_max && pending == 0 && enrolled >= first->n_cum) ||
        (enrolled == full && dlts + pending <= last->esc_max)) {
        return DS_ROLLING_ESCALATE;
    }
    return enrolled >= full ? DS_ROLLING_SUSPEND : DS_ROLLING_SAME;
}

static ds_band_t rolling_verdict(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    switch (ds_rolling_six_decide(design, trial->patients[level], trial->dlts[level],
                                  trial->pending[level])) {
    case DS_ROLLING_DEESCALATE:
        return DS_BAND_TOO_TOXIC;
    case DS_ROLLING_ESCALATE:
        return DS_BAND_ESCALATE;
    default:
        return DS_BAND_MORE;
    }
}

static int rolling_first_cohort(const ds_design_t *design)
{
    (void)design;
    return 1; /* one patient at a time */
}

/* The next patient at the dose, or none until an outcome is known. */
static ds_action_t rolling_more(const ds_design_t *design, const ds_trial_t *trial, int level,
                                ds_why_t why)
{
    if (trial->patients[level] >= ds_design_full_count(design)) {
        return ds_action_make(DS_ACTION_WAIT, level, 0, DS_WHY_SUSPEND);
    }
    if (ds_moves_returned_to(design, trial, level)) {
        why = DS_WHY_LOWER_CONFIRM; /* it must rest on the full count, as with the 3+3 */
    } else if (why == DS_WHY_EXPAND) {
        why = DS_WHY_SAME;
    }
    return ds_action_make(DS_ACTION_TREAT, level, 1, why);
}

static int rolling_check(const ds_design_t *design, int n_levels, ds_diag_t *diag)
{
    (void)n_levels;
    /* Its table reads two stages: the first's count and escalation rule, and
     * the full count with the last stage's rule; a dose is too toxic from the
     * same count of DLTs at either, as in the 3+3, since the table does not
     * ask which stage a dose is at. */
    if (design->n_stages != 2) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                           "the rolling six reads a two-stage table, not %d stages",
                           design->n_stages);
    }
    if (design->stages[0].tox_min != design->stages[1].tox_min) {
        return ds_diag_set(diag, DS_ERR_BAD_PARAM, NULL, 0, "--design",
                           "the rolling six needs one too-toxic count for both stages, not %d "
                           "and %d",
                           design->stages[0].tox_min, design->stages[1].tox_min);
    }
    return 0;
}

const ds_family_t ds_family_rolling_six = {
    .name = "rolling6",
    .title = "the rolling six",
    .calendar_reason = "enrols patients while others are still in their DLT window",
    .enumerable = false,
    .one_at_a_time = true,
    .needs_calendar = true,
    .check = rolling_check,
    .first_cohort = rolling_first_cohort,
    .verdict = rolling_verdict,
    .more = rolling_more,
    .cohort_rule = NULL,
};

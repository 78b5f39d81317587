/* The moves every design family shares, after the verdict on a dose (Storer
 * 1989 for the 3+3; Lin & Shih 2001 for the A+B family; Skolnik et al. 2008
 * for the rolling six, which moves the same way): a too-toxic dose is never
 * given again and the next lower dose is considered; with de-escalation a
 * lower dose must rest on the full count, without it is taken as it stands;
 * the highest dose allowed, meeting the escalation rule early, is expanded or
 * (--top-dose accept) taken as it stands. */
#include "family.h"

bool ds_moves_taken_at_once(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    if (trial->patients[level] == 0) {
        return false;
    }
    return !design->deescalate ||
           (trial->patients[level] == ds_design_full_count(design) &&
            design->family->verdict(design, trial, level) == DS_BAND_ESCALATE);
}

bool ds_moves_returned_to(const ds_design_t *design, const ds_trial_t *trial, int level)
{
    /* Doses at or above the start were reached by escalation before any dose
     * was found too toxic; a dose below the start is new after the
     * de-escalation and is accepted as any highest dose allowed is. */
    return design->deescalate && trial->highest_allowed < trial->n_levels - 1 &&
           level >= design->start_level;
}

ds_action_t ds_moves_down(const ds_design_t *design, ds_trial_t *trial, int level)
{
    trial->highest_allowed = level;
    /* A lower dose that now shows too many DLTs (outcomes that came in after
     * the trial left it, one at a time) is too toxic as well. */
    for (; level >= 0 &&
           design->family->verdict(design, trial, level) == DS_BAND_TOO_TOXIC;
         level--) {
        trial->highest_allowed = level - 1;
    }
    if (level < 0) {
        return ds_action(DS_ACTION_STOP, -1, 0, DS_WHY_NONE_BELOW);
    }
    trial->current = level;
    if (ds_moves_taken_at_once(design, trial, level)) {
        return ds_action(DS_ACTION_SELECT, level, 0,
                         design->deescalate ? DS_WHY_LOWER_COMPLETE : DS_WHY_LOWER_AS_IS);
    }
    if (trial->patients[level] == 0) {
        /* The trial started above this dose; no rule can pick a dose nobody received. */
        return ds_action(DS_ACTION_TREAT, level, design->family->first_cohort(design),
                         DS_WHY_LOWER_FRESH);
    }
    return design->family->more(design, trial, level, DS_WHY_LOWER_CONFIRM);
}

ds_action_t ds_moves_after(const ds_design_t *design, ds_trial_t *trial, ds_band_t verdict)
{
    const int level = trial->current;
    switch (verdict) {
    case DS_BAND_TOO_TOXIC:
        return ds_moves_down(design, trial, level - 1);
    case DS_BAND_MORE:
        return design->family->more(design, trial, level, DS_WHY_EXPAND);
    case DS_BAND_ESCALATE:
        break;
    default:
        return ds_action(DS_ACTION_INVALID, level, 0, DS_WHY_BAD_STATE);
    }
    if (level < trial->highest_allowed) {
        trial->current = level + 1;
        if (trial->patients[level + 1] != 0) {
            return ds_action(DS_ACTION_INVALID, level + 1, 0, DS_WHY_BAD_STATE);
        }
        return ds_action(DS_ACTION_TREAT, level + 1, design->family->first_cohort(design),
                         DS_WHY_ESCALATE);
    }
    if (trial->patients[level] == ds_design_full_count(design)) {
        return ds_action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_COMPLETE);
    }
    if (design->top_dose == DS_TOP_ACCEPT && !ds_moves_returned_to(design, trial, level)) {
        return ds_action(DS_ACTION_SELECT, level, 0, DS_WHY_TOP_ACCEPT);
    }
    return design->family->more(design, trial, level, DS_WHY_TOP_EXPAND);
}

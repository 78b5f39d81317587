/* For the design families' modules only (stages.c, rolling_six.c and those to
 * come): the moves every family shares, written once in escalation.c. The
 * public side of a family is ds_family_t in dosesim/design.h. */
#ifndef DOSESIM_FAMILY_H
#define DOSESIM_FAMILY_H

#include "dosesim/design.h"

static inline ds_action_t ds_action(ds_action_kind_t kind, int level, int n, ds_why_t why)
{
    return (ds_action_t){.kind = kind, .level = level, .n = n, .why = why};
}

/**
 * The moves after the verdict on the current dose:
 * - too toxic: that dose and all above are closed; the next lower one is
 *   considered (ds_moves_down);
 * - escalation rule met below the highest dose allowed: a fresh cohort at the
 *   next dose;
 * - escalation rule met at the highest dose allowed: the RP2D on the full
 *   count; early, accepted as it stands (--top-dose accept) unless the trial
 *   returned to it, else expanded;
 * - more: the family's next patients there.
 */
ds_action_t ds_moves_after(const ds_design_t *design, ds_trial_t *trial, ds_band_t verdict);

/** The dose above `level` was found too toxic: close it and every dose above,
 *  and say what becomes of `level` (and, if it too is too toxic now, below). */
ds_action_t ds_moves_down(const ds_design_t *design, ds_trial_t *trial, int level);

/** Whether, when the dose above `level` is found too toxic, the rules take
 *  `level` as the RP2D at once: without de-escalation any dose given, with it a
 *  dose that passes on its full count. */
bool ds_moves_taken_at_once(const ds_design_t *design, const ds_trial_t *trial, int level);

/** Whether the trial came back to `level` after a dose above it was too toxic,
 *  so that under de-escalation it must rest on the full count. */
bool ds_moves_returned_to(const ds_design_t *design, const ds_trial_t *trial, int level);

#endif

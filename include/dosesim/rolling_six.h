/**
 * @file rolling_six.h
 * @brief The rolling six (Skolnik et al. 2008) as a design family.
 */
#ifndef DOSESIM_ROLLING_SIX_H
#define DOSESIM_ROLLING_SIX_H

#include "dosesim/design.h"

/** The family: enrols one at a time, on calendar time only. */
extern const ds_family_t ds_family_rolling_six;

/** The rolling six's decision for the next patient, by the state of the current dose:
 *  the published table's four words (the family's verdict folds SAME and SUSPEND
 *  into DS_BAND_MORE; its next patient is then none while the full count is enrolled). */
typedef enum {
    DS_ROLLING_SAME = 0,   /**< enrol the next patient at the same dose */
    DS_ROLLING_ESCALATE,   /**< the escalation rule is met */
    DS_ROLLING_DEESCALATE, /**< the too-toxic count of DLTs (two in the 3+3) */
    DS_ROLLING_SUSPEND     /**< the full count (six) enrolled, too many outcomes pending:
                                enrol nobody */
} ds_rolling_decision_t;

/**
 * @brief Skolnik et al.'s (2008) decision table, Table 1, with its counts read
 *        from the design's stage table (the 3+3's: 3, 6, two DLTs too toxic):
 *        by the patients enrolled at the dose (evaluable or still in their
 *        window), the DLTs among them and the pending ones (in the window, no
 *        DLT yet). Fewer than two enrolled (before the table's first row): the
 *        same dose.
 */
ds_rolling_decision_t ds_rolling_six_decide(const ds_design_t *design, int enrolled, int dlts,
                                            int pending);

#endif

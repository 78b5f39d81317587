/**
 * @file stages.h
 * @brief The stage-table family: the 3+3, the 3+3+3, Lin & Shih's A+B and
 *        users' rule tables (rules.c reads them).
 */
#ifndef DOSESIM_STAGES_H
#define DOSESIM_STAGES_H

#include "dosesim/design.h"

/** The family: cohorts by the stage table; enumerable. */
extern const ds_family_t ds_family_stages;

#endif

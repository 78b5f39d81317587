/**
 * @file presets.h
 * @brief The registry of design families, and the designs dosesim knows by name.
 */
#ifndef DOSESIM_PRESETS_H
#define DOSESIM_PRESETS_H

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/rolling_six.h"
#include "dosesim/stages.h"

/** The design run when none is named (--design), and its name in the CSVs. */
#define DS_DEFAULT_DESIGN "3+3"

/** The family shards call name ("cohorts", "rolling6"), or NULL. */
const ds_family_t *ds_family_by_name(const char *name);

/** The families' names for a message, "cohorts or rolling6", into buf (cut to size). */
void ds_family_names(char *buf, size_t size);

/** Set the textbook 3+3 with the default options: de-escalation, expand the top dose, start lowest.
 */
void ds_design_set_3plus3(ds_design_t *self);

/**
 * @brief Set the rules by name: "3+3", "3+3+3", "ab:A,B,C,D,E" or "rolling6"
 *        (name, family and stage table; the options are left as they are), or
 *        an interval design "boin", "i3+3", "mtpi2", "keyboard" with its
 *        defaults at the default target (interval.h: ds_interval_set and
 *        ds_interval_build set another target and options).
 * @return 0; DS_ERR_BAD_PARAM with the reason in diag (field "--design").
 */
int ds_design_preset(ds_design_t *self, const char *spec, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Lin & Shih's A+B design: treat A; escalate on fewer than C DLTs, too
 *        toxic on more than D, else treat B more; of A+B, escalate on at most E
 *        DLTs, too toxic on more. Needs 1 <= C <= D <= A, D <= E < A+B, B >= 1.
 *        ab:3,3,1,1,1 is the 3+3.
 */
int ds_design_set_ab(ds_design_t *self, int a, int b, int c, int d, int e,
                     ds_diag_t *diag) DS_WARN_UNUSED;

#endif

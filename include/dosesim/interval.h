/**
 * @file interval.h
 * @brief The interval designs, one family behind the one design interface:
 *        BOIN (Liu & Yuan 2015), i3+3 (Liu, Wang & Ji 2020), mTPI-2 (Guo et
 *        al. 2017), Keyboard (Yan, Mandrekar & Yuan 2017) and users' decision
 *        tables.
 *
 * Each is a decision table on (patients, DLTs) at the current dose
 * (ds_interval_rules_t in design.h): escalate, stay, de-escalate, or
 * de-escalate and eliminate the dose with every dose above it. What the
 * designs share is the conduct of R BOIN 2.7.2's get.oc, written once here:
 *  1. cohorts of cohort_size at the current dose, starting at the start level;
 *  2. once max_n patients are treated, the trial ends and a dose is selected;
 *  3. otherwise, with n >= 3 patients at the dose and y >= elim_min[n] DLTs,
 *     the dose and every dose above it are eliminated; at the lowest dose the
 *     trial stops with no MTD; with --extrasafe it also stops when the lowest
 *     dose has y >= stop_min[n] (posterior > cutoff - offset);
 *  4. with n >= n_earlystop at the dose, the trial ends if the decision would
 *     keep it there (stay; de-escalate at the lowest dose; escalate at the
 *     highest dose or below an eliminated one);
 *  5. escalate (unless at the top or the next dose is eliminated), de-escalate
 *     (unless at the lowest dose), or stay;
 *  6. the selection (BOIN's select.mtd): doses eliminated by their counts are
 *     excluded; of the treated doses left, isotonic regression (pool adjacent
 *     violators, weights 1/variance) of (y + 0.05)/(n + 0.1), plus i * 1e-10
 *     at the i-th, and the dose whose estimate is closest to the target,
 *     the lowest on a tie; with --bound-mtd only doses whose estimate is at
 *     most lambda_d.
 */
#ifndef DOSESIM_INTERVAL_H
#define DOSESIM_INTERVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"

/** The family: shards call it "interval". */
extern const ds_family_t ds_family_interval;

/** Defaults of the options (BOIN 2.7.2's). */
#define DS_INTERVAL_DEFAULT_COHORT 3
#define DS_INTERVAL_DEFAULT_MAX_N 30
#define DS_INTERVAL_DEFAULT_EARLYSTOP 100
#define DS_INTERVAL_DEFAULT_CUTOFF 0.95
#define DS_INTERVAL_DEFAULT_OFFSET 0.05
/** i3+3, mTPI-2, Keyboard: the equivalence interval is target -/+ this by default. */
#define DS_INTERVAL_DEFAULT_MARGIN 0.05

/** How a user's decision table is named: this, then its file's name. */
#define DS_INTERVAL_TABLE_PREFIX "table:"

/** Most bytes of a decision-table file. */
#define DS_MAX_DECISION_TABLE_BYTES (1L << 20)

/** The kind a --design name calls ("boin", "i3+3", "mtpi2", "keyboard"), or DS_INTERVAL_NONE. */
ds_interval_kind_t ds_interval_kind_by_name(const char *name);

/** The --design word of a kind ("boin", ...; "table" for a user's table). */
const char *ds_interval_kind_name(ds_interval_kind_t kind);

/**
 * @brief Make design an interval design of this kind with the default options
 *        for the target (p_saf 0.6 T, p_tox 1.4 T, interval T -/+ 0.05); the
 *        caller may change the options, then calls ds_interval_build.
 */
void ds_interval_set(ds_design_t *design, ds_interval_kind_t kind, double target);

/**
 * @brief Check the options and build the decision table and the design's name
 *        (its --design word and every option that is not the default, e.g.
 *        "boin(max_n=18)"). A user's table (DS_INTERVAL_TABLE) must have been
 *        read first (ds_interval_parse_table).
 * @return 0, or DS_ERR_BAD_PARAM with the option at fault in diag's field.
 */
int ds_interval_build(ds_design_t *design, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief The design a results file names ("boin", "i3+3(max_n=18)": the names
 *        ds_interval_build gives), at its target: set and built, so that the
 *        table is the one the run used. A user's table ("table:FILE") cannot be
 *        rebuilt from its name.
 * @return 0; DS_ERR_BAD_PARAM if the name is not one ds_interval_build gives.
 */
int ds_interval_from_name(ds_design_t *design, const char *name, double target,
                          ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Read a user's decision table, CSV with the header
 *        DS_DECISION_TABLE_HEADER (schema.h; columns in any order): a row per
 *        (n, dlts) with the decision E, S, D or DU, for every n that is a
 *        multiple of the cohort size up to the largest, and every dlts 0..n.
 *        Refused with file, line and field when a cell is not a count or a
 *        decision, a pair is missing or given twice, or the decisions are not
 *        in order (E, then S, then D, then DU as the DLTs rise), or a dose is
 *        eliminated below n = 3. Sets kind, the table, and max_n (the largest n)
 *        unless max_n is already set.
 * @return 0; DS_ERR_IO; DS_ERR_PARSE with file, line and column in diag; DS_ERR_NOMEM.
 */
int ds_interval_parse_table(ds_design_t *design, const char *path, const char *text, size_t len,
                            ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief A user's table (DS_INTERVAL_TABLE) as the CSV text
 *        ds_interval_parse_table reads back to the same table: a row per
 *        (n, dlts) for n = cohort, 2 cohort, ... table_n. What a shard records.
 * @return the text (NUL-terminated, malloc'ed; *len its bytes), or NULL when
 *         out of memory.
 */
char *ds_interval_table_csv(const ds_interval_rules_t *rules, size_t *len);

/** ds_interval_parse_table on a file (at most DS_MAX_DECISION_TABLE_BYTES). */
int ds_interval_load_table(ds_design_t *design, const char *path, ds_diag_t *diag) DS_WARN_UNUSED;

/** Whether a design is an interval design. */
static inline bool ds_design_is_interval(const ds_design_t *design)
{
    return design->interval.kind != DS_INTERVAL_NONE;
}

/**
 * @brief The selection at the end of a trial (step 6 above) from its counts:
 *        the selected level (0-based), or -1 for no MTD.
 */
int ds_interval_select(const ds_design_t *design, const int *patients, const int *dlts,
                       int n_levels);

/**
 * @brief Exact operating characteristics of an interval design: a forward pass
 *        over the trial's states after each cohort (the counts at every dose
 *        and the current dose; the eliminated doses follow from the counts),
 *        equal states merged, so its work is the number of distinct states,
 *        not of paths. Called by ds_exact_oc for the interval family.
 * @return 0; DS_ERR_BAD_PARAM with the reason in diag; DS_ERR_NOMEM.
 */
int ds_interval_exact_oc(const ds_scenario_t *scenario, const ds_design_t *design, ds_oc_t *oc,
                         ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief The number of paths of positive probability (the rows `dosesim paths`
 *        lists), by the same forward pass counting paths instead of
 *        probabilities; stops past limit (*count is then limit + 1).
 * @return 0; DS_ERR_BAD_PARAM; DS_ERR_NOMEM; DS_ERR_OVERFLOW (too many states).
 */
int ds_interval_paths_count(const ds_scenario_t *scenario, const ds_design_t *design,
                            uint64_t limit, uint64_t *count) DS_WARN_UNUSED;

#endif

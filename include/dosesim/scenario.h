/**
 * @file scenario.h
 * @brief Scenarios (true DLT probabilities per dose level) and their CSV files.
 *
 * A scenario file is long-format CSV with a header naming the four columns
 * scenario,dose_level,dose_label,p_dlt (in any order), one row per scenario
 * and dose level. Levels run 1..K within each scenario, rows in any order;
 * p_dlt is the probability of a DLT within the DLT window, in [0, 1].
 * Quoted fields, CRLF line ends and a UTF-8 byte-order mark are accepted; so
 * is tab-separated text (a header with tabs and no commas), not semicolons.
 *
 * Two more columns may be given: dose_amount (a finite positive number on
 * every row, rising strictly with the level within each scenario) and
 * dose_unit (text, as labels are). A second outcome, objective response, may
 * be given too: p_response (a probability on every row) and, with it, at most
 * one of response_dlt_or (the odds ratio between DLT and response at the
 * dose, finite and positive) and p_dlt_and_response (P(DLT and response),
 * which must fit the row's p_dlt and p_response: in [max(0, p_dlt +
 * p_response - 1), min(p_dlt, p_response)]); without either, the two are
 * independent. Columns of any other name are allowed and
 * not used: their names are listed in ds_scenario_file_t (names unique, text
 * without control characters), their cells are not read. Column names are
 * exact: one that differs from a known one only in case or spaces is refused.
 * Columns are named in schema.h ("Input files").
 */
#ifndef DOSESIM_SCENARIO_H
#define DOSESIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dosesim/error.h"

/** A p_dlt_and_response this far outside the bounds its margins allow is
 *  rounding (0.1 + 0.9 - 1 is 1e-16 in binary), and is taken as the bound. */
#define DS_JOINT_EPS 1e-12

/** Longest scenario name or dose label, in bytes. */
#define DS_MAX_NAME 256
/** Largest scenario file read, in bytes. */
#define DS_MAX_FILE_BYTES (64L * 1024L * 1024L)

/** How DLT and response go together at each dose of a scenario. */
typedef enum {
    DS_ASSOCIATION_INDEPENDENT = 0, /**< P(DLT and response) = p_dlt p_response */
    DS_ASSOCIATION_ODDS_RATIO,      /**< association[] holds the odds ratios */
    DS_ASSOCIATION_JOINT            /**< association[] holds P(DLT and response) */
} ds_association_t;

/** One scenario: a true DLT probability for each dose level. */
typedef struct {
    char *name;
    int n_levels;
    char **labels; /**< [n_levels] dose labels */
    double *p_dlt; /**< [n_levels] DLT probabilities within the window */
    long line;     /**< line of the scenario's first row, for messages */
    /** [n_levels] the doses as numbers (the dose_amount column), strictly
     *  increasing; NULL when the file has no such column. */
    double *dose_amount;
    /** [n_levels] the doses' units (the dose_unit column); NULL when the file has none. */
    char **dose_units;
    /** The scenario's position among its file's scenarios, from 1, in the
     *  order of their first rows (results' scenario_order); 0 for a scenario
     *  that did not come from a scenario file. */
    int order;
    /** [n_levels] probabilities of an objective response (the p_response
     *  column); NULL when the file has none (nor then the two below). */
    double *p_response;
    ds_association_t association;
    /** [n_levels] the odds ratios or joint probabilities, as association says;
     *  NULL when independent. */
    double *association_value;
} ds_scenario_t;

/** The scenarios of one file, in the order of their first row. */
typedef struct {
    char *path;
    uint64_t
        content_hash; /**< ds_hash64 of the file's bytes: tells files apart whatever their names */
    int n_scenarios;
    ds_scenario_t *scenarios;
    /** [n_ignored_columns] the names of the header's columns that dosesim does
     *  not use (notes, sources, ...), in the header's order, for the program
     *  to mention: UTF-8 text without control characters, unique. */
    char **ignored_columns;
    int n_ignored_columns;
    /** The file's delimiter: ',' or '\t' (tab-separated). */
    char delimiter;
} ds_scenario_file_t;

/** Empty a scenario file so that ds_scenario_file_free() is always safe. */
void ds_scenario_file_init(ds_scenario_file_t *self);

/**
 * @brief Read and check a scenario file.
 * @return 0; DS_ERR_IO if it cannot be read; DS_ERR_PARSE (or DS_ERR_TOO_MANY_LEVELS)
 *         with file, line and field in diag; DS_ERR_NOMEM.
 */
int ds_scenario_file_load(ds_scenario_file_t *self, const char *path,
                          ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Parse scenario CSV from memory; path is used in messages only.
 */
int ds_scenario_file_parse(ds_scenario_file_t *self, const char *path, const char *text, size_t len,
                           ds_diag_t *diag) DS_WARN_UNUSED;

/** Free everything a scenario file holds. */
void ds_scenario_file_free(ds_scenario_file_t *self);

/** The scenario with this name, or NULL. */
const ds_scenario_t *ds_scenario_file_find(const ds_scenario_file_t *self, const char *name);

/**
 * @brief P(DLT and response) at a level (0-based) of a scenario with
 *        p_response: from the odds ratio by Plackett's formula, as given, or
 *        p_dlt p_response; always within the bounds p_dlt and p_response allow.
 */
double ds_scenario_p_dlt_and_response(const ds_scenario_t *scenario, int level);

/** P(DLT and response) of a 2x2 table with margins p_dlt and p_response and this
 *  odds ratio (Plackett 1965): the root of (1 - a - b + x) x = psi (a - x)(b - x) in range. */
double ds_joint_from_odds_ratio(double p_dlt, double p_response, double odds_ratio);

/** True if p_dlt never decreases with the dose level. */
bool ds_scenario_is_monotone(const ds_scenario_t *scenario);

#endif

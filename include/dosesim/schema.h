/**
 * @file schema.h
 * @brief The names of what dosesim writes and reads: file names, the result
 *        contract (every table's columns, with their types and meaning), the
 *        words some columns hold, and the columns of the input files
 *        (scenario files and rule tables). Each is written here once; the
 *        writers (report.c, listing.c, the program's compare) and the readers
 *        (scenario.c, rules.c, the program's plot and compare) use these names.
 *
 * The contract (version DS_CONTRACT_VERSION):
 * - Every result table starts with the same identifying columns (the key,
 *   ds_schema_key_columns): run_id, the scenario and its order, the design,
 *   method, rule options, trials, seed, calendar settings and target, so
 *   that any two files stack or join safely. No key cell is ever empty.
 * - One naming rule: a count of patients or DLTs is n_<what>; a probability
 *   prob_<event>; statistics of a per-trial quantity are mean_, sd_, min_,
 *   max_, p10_, p50_, p90_ before its name; a quantity at one dose ends in
 *   _at_dose (doses.csv), the same quantity per trial has no ending
 *   (summary.csv); a Monte Carlo standard error ends in _se, an interval's
 *   ends in _lo and _hi.
 * - P(no RP2D) is the dose_level 0 row ("none") of the long dose tables.
 *
 * schema.c holds each column's type and description; `dosesim schema`
 * prints them as results/SCHEMA.csv, which README.md's column tables and a
 * test of every written file are checked against. A name changed here
 * changes the files dosesim writes.
 */
#ifndef DOSESIM_SCHEMA_H
#define DOSESIM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

/** The result contract's version (README "Result files"); part of every run_id. */
#define DS_CONTRACT_VERSION "2"

/** @name Folders and file names */
/**@{*/
/** Where commands write by default: DS_RESULTS_DIR/<scenario file stem>/. */
#define DS_RESULTS_DIR "results"
/** The default subfolder of exact's result set (so that it never replaces run's). */
#define DS_EXACT_SUBDIR "exact"
/** The default subfolder of run --shard's shard files. */
#define DS_SHARDS_SUBDIR "shards"
/** merge's default folder beside the shards' (unless they are in DS_SHARDS_SUBDIR). */
#define DS_MERGED_SUBDIR "merged"
/** Where compare writes by default. */
#define DS_COMPARISON_DIR DS_RESULTS_DIR "/comparison"

/** The result set of run, exact and merge (report.h writes it). */
#define DS_SUMMARY_FILE "summary.csv"
#define DS_DOSES_FILE "doses.csv"
#define DS_SAMPLE_SIZE_FILE "sample_size.csv"
#define DS_DURATION_FILE "duration.csv"
#define DS_OPTIMISATION_FILE "optimisation.csv"

/** The files of a result set, in the order they are written. */
enum {
    DS_RESULT_SUMMARY,
    DS_RESULT_DOSES,
    DS_RESULT_SAMPLE_SIZE,
    DS_RESULT_DURATION,
    DS_RESULT_OPTIMISATION,
    DS_RESULT_FILES
};
/** [DS_RESULT_FILES]: the names of a result set's files, by their enum. */
extern const char *const ds_result_file_names[DS_RESULT_FILES];

/** The ending of every CSV file dosesim writes. */
#define DS_CSV_SUFFIX ".csv"
/** paths writes, by default, PREFIX<scenario>.csv; sweep PREFIX<scenario>_vary-<LEVEL|all>.csv
 *  (the scenario made a safe name). */
#define DS_PATHS_FILE_PREFIX "paths_"
#define DS_SWEEP_FILE_PREFIX "sweep_"
#define DS_SWEEP_FILE_VARY "_vary-"

/**
 * A shard file of run --shard I/N is named DS_SHARD_FILE_PREFIX I
 * DS_SHARD_FILE_OF N DS_CSV_SUFFIX ("shard-2-of-8.csv"); merge finds shard
 * files in a folder by that pattern, DS_SHARD_FILE_PATTERN in messages.
 */
#define DS_SHARD_FILE_PREFIX "shard-"
#define DS_SHARD_FILE_OF "-of-"
#define DS_SHARD_FILE_PATTERN DS_SHARD_FILE_PREFIX "I" DS_SHARD_FILE_OF "N" DS_CSV_SUFFIX

/** compare's table, and the stem of its figure (FIGURE.FORMAT). */
#define DS_COMPARISON_FILE "comparison" DS_CSV_SUFFIX
#define DS_COMPARISON_FIGURE "comparison"
/** The stems of the figures plot draws from a result set (FIGURE.FORMAT). */
#define DS_SELECTION_FIGURE "selection"
#define DS_SAMPLE_SIZE_FIGURE "sample_size"
#define DS_DURATION_FIGURE "duration"
/**@}*/

/**
 * @name CSV columns
 * One name per quantity, whichever file it stands in (the naming rule above).
 */
/**@{*/
/* the key: the first columns of every result table, in this order */
#define DS_COL_RUN_ID "run_id"
#define DS_COL_SCENARIO "scenario"
#define DS_COL_SCENARIO_ORDER "scenario_order"
#define DS_COL_DESIGN "design"
#define DS_COL_METHOD "method" /**< DS_METHOD_MC_NAME or DS_METHOD_EXACT_NAME */
#define DS_COL_DEESCALATE "deescalate" /**< DS_YES or DS_NO */
#define DS_COL_TOP_DOSE "top_dose"     /**< DS_TOP_DOSE_EXPAND_NAME or DS_TOP_DOSE_ACCEPT_NAME */
#define DS_COL_START_LEVEL "start_level"
#define DS_COL_N_TRIALS "n_trials"
#define DS_COL_SEED "seed"
#define DS_COL_WINDOW_DAYS "window_days"
#define DS_COL_ACCRUAL_PER_30_DAYS "accrual_per_30_days"
#define DS_COL_DLT_ONSET "dlt_onset"
#define DS_COL_DROPOUT "dropout"
#define DS_COL_TARGET "target"
#define DS_COL_TARGET_LO "target_lo"
#define DS_COL_TARGET_HI "target_hi"
/* summary.csv: a row per scenario; quantities per trial */
#define DS_COL_N_LEVELS "n_levels"
#define DS_COL_TRUE_MTD_LEVEL "true_mtd_level"
#define DS_COL_TRUE_MTD_LABEL "true_mtd_label"
#define DS_COL_PROB_NO_RP2D "prob_no_rp2d"
#define DS_COL_PROB_NO_RP2D_SE "prob_no_rp2d_se"
#define DS_COL_PROB_NO_RP2D_LO "prob_no_rp2d_lo"
#define DS_COL_PROB_NO_RP2D_HI "prob_no_rp2d_hi"
#define DS_COL_PROB_CORRECT_SELECTION "prob_correct_selection"
#define DS_COL_PROB_CORRECT_SELECTION_SE "prob_correct_selection_se"
#define DS_COL_PROB_SELECT_ABOVE "prob_select_above"
#define DS_COL_PROB_SELECT_ABOVE_SE "prob_select_above_se"
#define DS_COL_PROB_SELECT_BELOW "prob_select_below"
#define DS_COL_PROB_SELECT_BELOW_SE "prob_select_below_se"
#define DS_COL_PROB_NO_RP2D_DESPITE_ACCEPTABLE "prob_no_rp2d_despite_acceptable"
#define DS_COL_PROB_NO_RP2D_DESPITE_ACCEPTABLE_SE "prob_no_rp2d_despite_acceptable_se"
#define DS_COL_MEAN_N_TREATED "mean_n_treated"
#define DS_COL_MEAN_N_EVALUABLE "mean_n_evaluable"
#define DS_COL_MEAN_N_EVALUABLE_SE "mean_n_evaluable_se"
#define DS_COL_SD_N_EVALUABLE "sd_n_evaluable"
#define DS_COL_MIN_N_EVALUABLE "min_n_evaluable"
#define DS_COL_MAX_N_EVALUABLE "max_n_evaluable"
#define DS_COL_P10_N_EVALUABLE "p10_n_evaluable"
#define DS_COL_P50_N_EVALUABLE "p50_n_evaluable"
#define DS_COL_P90_N_EVALUABLE "p90_n_evaluable"
#define DS_COL_MEAN_N_NONEVALUABLE "mean_n_nonevaluable"
#define DS_COL_MEAN_N_DLT "mean_n_dlt"
#define DS_COL_MEAN_N_TREATED_AT_MTD "mean_n_treated_at_mtd"
#define DS_COL_MEAN_N_TREATED_AT_MTD_SE "mean_n_treated_at_mtd_se"
#define DS_COL_MEAN_N_TREATED_BELOW_MTD "mean_n_treated_below_mtd"
#define DS_COL_MEAN_N_TREATED_BELOW_MTD_SE "mean_n_treated_below_mtd_se"
#define DS_COL_MEAN_N_TREATED_ABOVE_MTD "mean_n_treated_above_mtd"
#define DS_COL_MEAN_N_TREATED_ABOVE_MTD_SE "mean_n_treated_above_mtd_se"
#define DS_COL_PROB_OVER_60PCT_ABOVE_MTD "prob_over_60pct_above_mtd"
#define DS_COL_PROB_OVER_60PCT_ABOVE_MTD_SE "prob_over_60pct_above_mtd_se"
#define DS_COL_PROB_OVER_80PCT_ABOVE_MTD "prob_over_80pct_above_mtd"
#define DS_COL_PROB_OVER_80PCT_ABOVE_MTD_SE "prob_over_80pct_above_mtd_se"
#define DS_COL_MEAN_DURATION_DAYS "mean_duration_days"
#define DS_COL_SD_DURATION_DAYS "sd_duration_days"
#define DS_COL_P10_DURATION_DAYS "p10_duration_days"
#define DS_COL_P50_DURATION_DAYS "p50_duration_days"
#define DS_COL_P90_DURATION_DAYS "p90_duration_days"
#define DS_COL_MEAN_N_TURNED_AWAY "mean_n_turned_away"
#define DS_COL_MEAN_N_BACKFILLED "mean_n_backfilled"
#define DS_COL_MEAN_N_BACKFILLED_SE "mean_n_backfilled_se"
#define DS_COL_BACKFILL_MAX "backfill_max"
/* doses.csv: a row per scenario and dose, and the none row (level 0) */
#define DS_COL_DOSE_LEVEL "dose_level"
#define DS_COL_DOSE_LABEL "dose_label"
#define DS_COL_DOSE_AMOUNT "dose_amount"
#define DS_COL_DOSE_UNIT "dose_unit"
#define DS_COL_P_DLT "p_dlt"
#define DS_COL_TRUE_MTD "true_mtd" /**< DS_YES or DS_NO */
#define DS_COL_PROB_RP2D "prob_rp2d"
#define DS_COL_PROB_RP2D_SE "prob_rp2d_se"
#define DS_COL_PROB_RP2D_LO "prob_rp2d_lo"
#define DS_COL_PROB_RP2D_HI "prob_rp2d_hi"
#define DS_COL_MEAN_N_TREATED_AT_DOSE "mean_n_treated_at_dose"
#define DS_COL_MEAN_N_EVALUABLE_AT_DOSE "mean_n_evaluable_at_dose"
#define DS_COL_MEAN_N_DLT_AT_DOSE "mean_n_dlt_at_dose"
/* sample_size.csv and duration.csv */
#define DS_COL_N_TREATED "n_treated"
#define DS_COL_PROB "prob"
#define DS_COL_DAYS_FROM "days_from"
#define DS_COL_DAYS_TO "days_to"
/* the per-trial CSV (run --trials-csv) */
#define DS_COL_TRIAL "trial"
#define DS_COL_RP2D_LEVEL "rp2d_level"
#define DS_COL_RP2D_LABEL "rp2d_label"
#define DS_COL_N_EVALUABLE "n_evaluable"
#define DS_COL_N_NONEVALUABLE "n_nonevaluable"
#define DS_COL_N_DLT "n_dlt"
#define DS_COL_DURATION_DAYS "duration_days"
#define DS_COL_N_TURNED_AWAY "n_turned_away"
#define DS_COL_N_BACKFILLED "n_backfilled"
/* the trial's randomised stage (--optimise), simulated per trial */
#define DS_COL_N_RANDOMISED "n_randomised"
#define DS_COL_STAGE_N_DLT_RP2D "stage_n_dlt_rp2d"
#define DS_COL_STAGE_N_RESPONSE_RP2D "stage_n_response_rp2d"
#define DS_COL_STAGE_N_DLT_BELOW "stage_n_dlt_below"
#define DS_COL_STAGE_N_RESPONSE_BELOW "stage_n_response_below"
#define DS_COL_FINAL_LEVEL "final_level"
#define DS_COL_FINAL_LABEL "final_label"
#define DS_COL_STAGE_DAYS "stage_days"
/** Per-level columns of the per-trial CSV: these stems, then the level from 1
 *  (n_treated_at_dose_1, ...); SCHEMA.csv writes the level as DS_COL_LEVEL_MARK. */
#define DS_COL_N_TREATED_AT_DOSE_ "n_treated_at_dose_"
#define DS_COL_N_EVALUABLE_AT_DOSE_ "n_evaluable_at_dose_"
#define DS_COL_N_DLT_AT_DOSE_ "n_dlt_at_dose_"
#define DS_COL_LEVEL_MARK "{level}"
/* the dose-path CSV (paths) */
#define DS_COL_PATH "path"
#define DS_COL_COHORTS "cohorts"
/* the sweep CSV */
#define DS_COL_SWEEP_VARY "sweep_vary" /**< a dose level, or DS_VARY_ALL */
#define DS_COL_SWEEP_VALUE "sweep_value"
/* comparison.csv */
#define DS_COL_FOLDER "folder"
/* optimisation.csv: a row per scenario with p_response and dose, and the none
 * row (level 0); the scenario's values after the dose's (optimise.h) */
#define DS_COL_P_RESPONSE "p_response"
#define DS_COL_P_DLT_AND_RESPONSE "p_dlt_and_response"
#define DS_COL_TRUE_OPTIMAL "true_optimal" /**< DS_YES or DS_NO */
#define DS_COL_MEAN_N_RESPONSE_AT_DOSE "mean_n_response_at_dose"
#define DS_COL_RESPONSE_RATE_AT_DOSE "response_rate_at_dose"
#define DS_COL_MEAN_N_RANDOMISED_AT_DOSE "mean_n_randomised_at_dose"
#define DS_COL_PROB_FINAL "prob_final"
#define DS_COL_PROB_FINAL_SE "prob_final_se"
#define DS_COL_OPTIMISE_N_PER_ARM "optimise_n_per_arm"
#define DS_COL_OPTIMISE_DELTA "optimise_delta"
#define DS_COL_RESPONSE_DAYS "response_days"
#define DS_COL_TRUE_OPTIMAL_LEVEL "true_optimal_level"
#define DS_COL_TRUE_OPTIMAL_LABEL "true_optimal_label"
#define DS_COL_PROB_SELECT_OPTIMAL "prob_select_optimal"
#define DS_COL_PROB_SELECT_OPTIMAL_SE "prob_select_optimal_se"
#define DS_COL_PROB_SELECT_ABOVE_OPTIMAL "prob_select_above_optimal"
#define DS_COL_PROB_SELECT_ABOVE_OPTIMAL_SE "prob_select_above_optimal_se"
#define DS_COL_MEAN_N_ESCALATION "mean_n_escalation"
#define DS_COL_MEAN_N_RANDOMISED "mean_n_randomised"
#define DS_COL_MEAN_N_OVERALL "mean_n_overall"
#define DS_COL_MEAN_STAGE_DAYS "mean_stage_days"
#define DS_COL_MEAN_OVERALL_DAYS "mean_overall_days"
/* the trace CSV (trace --format csv): a row per event of one trial */
#define DS_COL_EVENT "event" /**< a DS_TRACE_* word */
#define DS_COL_DAY "day"
#define DS_COL_COHORT "cohort"
#define DS_COL_PATIENT "patient"
#define DS_COL_N_TREATED_IN_COHORT "n_treated_in_cohort"
#define DS_COL_N_DLT_IN_COHORT "n_dlt_in_cohort"
#define DS_COL_N_TREATED_AT_DOSE "n_treated_at_dose"
#define DS_COL_N_EVALUABLE_AT_DOSE "n_evaluable_at_dose"
#define DS_COL_N_PENDING_AT_DOSE "n_pending_at_dose"
#define DS_COL_N_DLT_AT_DOSE "n_dlt_at_dose"
#define DS_COL_NEXT_ACTION "next_action" /**< a DS_NEXT_* word */
#define DS_COL_NEXT_LEVEL "next_level"
#define DS_COL_NEXT_LABEL "next_label"
#define DS_COL_NEXT_N "next_n"
#define DS_COL_REASON "reason"
/**@}*/

/** @name Words that columns hold */
/**@{*/
#define DS_METHOD_MC_NAME "mc"
#define DS_METHOD_EXACT_NAME "exact"
#define DS_YES "yes"
#define DS_NO "no"
#define DS_TOP_DOSE_EXPAND_NAME "expand"
#define DS_TOP_DOSE_ACCEPT_NAME "accept"
/** The DLT onset's words (--dlt-onset uniform|weibull:SHAPE; the dlt_onset
 *  column holds "uniform", "weibull:SHAPE", or DS_ONSET_NONE_NAME when
 *  calendar time was not simulated). */
#define DS_ONSET_UNIFORM_NAME "uniform"
#define DS_ONSET_WEIBULL_NAME "weibull"
#define DS_ONSET_NONE_NAME "none"
/** A sweep's vary column when every p_dlt is scaled. */
#define DS_VARY_ALL "all"
/** The dose_label (and true_mtd_label, rp2d_label) of "no dose": level 0. */
#define DS_NO_DOSE_LABEL "none"
/** The trace CSV's events: a cohort treated and its outcomes (without
 *  calendar time), a patient enrolled, a DLT, a window completed, a patient
 *  leaving early, a cohort's decision (with calendar time). */
#define DS_TRACE_COHORT "cohort"
#define DS_TRACE_ENROL "enrol"
#define DS_TRACE_DLT "dlt"
#define DS_TRACE_COMPLETE "complete"
#define DS_TRACE_LEAVE "leave"
#define DS_TRACE_DECISION "decision"
#define DS_TRACE_BACKFILL "backfill" /**< a patient backfilled at a lower dose (backfill.h) */
#define DS_TRACE_CLOSE "close"       /**< a backfilled dose closed to backfill */
/** The trace CSV's next actions: treat patients at a dose, wait for outcomes
 *  (enrol nobody), select the RP2D, stop with none. */
#define DS_NEXT_TREAT "treat"
#define DS_NEXT_WAIT "wait"
#define DS_NEXT_SELECT "select"
#define DS_NEXT_STOP "stop"
/** A run_id: this letter (so that no reader takes it for a number), then 16 hex digits. */
#define DS_RUN_ID_PREFIX "r"
#define DS_RUN_ID_HEX_DIGITS 16
#define DS_RUN_ID_CHARS (1 + DS_RUN_ID_HEX_DIGITS + 1)
/** The largest seed: 2^53 - 1, so that R and pandas read every seed exactly. */
#define DS_MAX_SEED 9007199254740991ULL
/**@}*/

/**
 * @name The contract, machine-readable
 * Each column's type and meaning, and each table's columns in order.
 */
/**@{*/
typedef enum {
    DS_TYPE_TEXT,        /**< any text (CSV-quoted when it must be) */
    DS_TYPE_INTEGER,     /**< a whole number, written without exponent */
    DS_TYPE_NUMBER,      /**< a finite number, in the shortest form that reads back */
    DS_TYPE_PROBABILITY, /**< a number in [0, 1] */
    DS_TYPE_YES_NO,      /**< DS_YES or DS_NO */
    DS_TYPE_RUN_ID,      /**< DS_RUN_ID_PREFIX and DS_RUN_ID_HEX_DIGITS lower-case hex digits */
    DS_N_TYPES
} ds_column_type_t;

/** [DS_N_TYPES]: the type's word in SCHEMA.csv. */
extern const char *const ds_column_type_names[DS_N_TYPES];

typedef struct {
    const char *name;        /**< a DS_COL_* name; per-level stems end in DS_COL_LEVEL_MARK */
    ds_column_type_t type;
    const char *empty_when;  /**< when the cell is empty, or NULL: never */
    const char *description; /**< one sentence, for SCHEMA.csv and README.md */
} ds_column_t;

typedef enum {
    DS_TABLE_SUMMARY,
    DS_TABLE_DOSES,
    DS_TABLE_SAMPLE_SIZE,
    DS_TABLE_DURATION,
    DS_TABLE_OPTIMISATION,
    DS_TABLE_TRIALS,
    DS_TABLE_PATHS,
    DS_TABLE_SWEEP,
    DS_TABLE_COMPARISON,
    DS_TABLE_TRACE,
    DS_N_TABLES
} ds_table_id_t;

typedef struct {
    const char *name;        /**< the table's name in SCHEMA.csv: "summary" */
    const char *files;       /**< its file name or pattern: "summary.csv", "sweep_*.csv" */
    const char *description; /**< what a row is */
    const ds_column_t *const *columns; /**< in the order written, the key first */
    size_t n_columns;
    bool per_level;          /**< columns named with DS_COL_LEVEL_MARK repeat for each level */
} ds_table_schema_t;

/** The key's columns (the first of every table), and their number. */
extern const ds_column_t *const ds_schema_key_columns[];
#define DS_KEY_COLUMNS 17

/** A table of the contract. */
const ds_table_schema_t *ds_schema_table(ds_table_id_t table);

/** The contract's column of this name in any table, or NULL; with per_level, a
 *  per-level column's name too (its stem and a level: n_treated_at_dose_2). */
const ds_column_t *ds_schema_column(const char *name, bool per_level);

/** A table's header names, without the per-level columns (for ds_csv_names). */
size_t ds_schema_names(ds_table_id_t table, const char **names, size_t room);
/**@}*/

/**
 * @name Input files
 * A scenario file's header names these columns, in any order (scenario.c):
 * the first four always, dose_amount and dose_unit if the file gives them.
 * Columns of other names are allowed and not used (ds_scenario_file_t lists them).
 */
/**@{*/
#define DS_SCENARIO_COL_SCENARIO DS_COL_SCENARIO
#define DS_SCENARIO_COL_LEVEL DS_COL_DOSE_LEVEL
#define DS_SCENARIO_COL_LABEL DS_COL_DOSE_LABEL
#define DS_SCENARIO_COL_P_DLT DS_COL_P_DLT
/** Optional: the dose as a number, finite and positive, rising with the level. */
#define DS_SCENARIO_COL_DOSE_AMOUNT "dose_amount"
/** Optional: the unit of the dose ("mg", "mg/kg"), text as labels are. */
#define DS_SCENARIO_COL_DOSE_UNIT "dose_unit"
/** Optional: the probability of an objective response (CR or PR) at the
 *  response assessment (--response-days), in [0, 1] (optimise.h). */
#define DS_SCENARIO_COL_P_RESPONSE "p_response"
/** Optional, with p_response, one of the two: how DLT and response go
 *  together at the dose, as an odds ratio (finite, > 0; 1: independent) or as
 *  P(DLT and response), which with p_dlt and p_response fixes the 2x2 table. */
#define DS_SCENARIO_COL_RESPONSE_DLT_OR "response_dlt_or"
#define DS_SCENARIO_COL_P_DLT_AND_RESPONSE "p_dlt_and_response"
/** The header line, in the order messages suggest. */
#define DS_SCENARIO_HEADER                                                                         \
    DS_SCENARIO_COL_SCENARIO "," DS_SCENARIO_COL_LEVEL "," DS_SCENARIO_COL_LABEL                   \
                             "," DS_SCENARIO_COL_P_DLT

/** A rule table's columns (rules.c; design.c's stage checks name them). */
#define DS_RULES_STAGE "stage"
#define DS_RULES_PATIENTS "patients"
#define DS_RULES_ESCALATE "escalate_at_most"
#define DS_RULES_TOO_TOXIC "too_toxic_from"
/** The header line, in the order messages suggest. */
#define DS_RULES_HEADER                                                                            \
    DS_RULES_STAGE "," DS_RULES_PATIENTS "," DS_RULES_ESCALATE "," DS_RULES_TOO_TOXIC
/**@}*/

/* Users' decision tables for the interval designs (--decision-table, interval.c). */
#define DS_DTABLE_PATIENTS "n"
#define DS_DTABLE_DLTS "dlts"
#define DS_DTABLE_DECISION "decision"
#define DS_DECISION_TABLE_HEADER DS_DTABLE_PATIENTS "," DS_DTABLE_DLTS "," DS_DTABLE_DECISION
/* The boundaries of a decision table, a row per n (what dosesim table --format
 * csv writes, and reads back as a --decision-table): */
#define DS_DTABLE_DESIGN "design"
#define DS_DTABLE_TARGET "target"
#define DS_DTABLE_ESCALATE_AT_MOST "escalate_at_most"
#define DS_DTABLE_DEESCALATE_FROM "deescalate_from"
#define DS_DTABLE_ELIMINATE_FROM "eliminate_from"
#define DS_DTABLE_STOP_FROM "stop_from"

#endif

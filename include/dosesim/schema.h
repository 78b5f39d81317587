/**
 * @file schema.h
 * @brief The names of what dosesim writes and reads: file names, CSV column
 *        names, the words some columns hold, and the columns of the input
 *        files (scenario files and rule tables). Each is written here once;
 *        the writers (report.c, the program's commands) and the readers
 *        (scenario.c, rules.c, the program's plot and compare) use these names.
 *
 * README.md documents every file and column. A name changed here changes the
 * files dosesim writes: outputs of earlier runs would no longer read back.
 * schema.c holds the one list code walks (ds_result_file_names).
 */
#ifndef DOSESIM_SCHEMA_H
#define DOSESIM_SCHEMA_H

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

/** The files of a result set, in the order they are written. */
enum {
    DS_RESULT_SUMMARY,
    DS_RESULT_DOSES,
    DS_RESULT_SAMPLE_SIZE,
    DS_RESULT_DURATION,
    DS_RESULT_FILES
};
/** [DS_RESULT_FILES]: the names of a result set's files, by their enum. */
extern const char *const ds_result_file_names[DS_RESULT_FILES];

/** The ending of every CSV file dosesim writes. */
#define DS_CSV_SUFFIX ".csv"
/** paths and sweep write, by default, PREFIX<scenario>.csv (the scenario made a safe name). */
#define DS_PATHS_FILE_PREFIX "paths_"
#define DS_SWEEP_FILE_PREFIX "sweep_"

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
 * One name per column, whichever file it stands in: "scenario" is the first
 * column of every result file, "mean_n" means the same in summary.csv, a
 * sweep and a comparison.
 */
/**@{*/
#define DS_COL_SCENARIO "scenario"
#define DS_COL_METHOD "method" /**< DS_METHOD_MC_NAME or DS_METHOD_EXACT_NAME */
#define DS_COL_DESIGN "design"
#define DS_COL_DEESCALATE "deescalate" /**< DS_YES or DS_NO */
#define DS_COL_TOP_DOSE "top_dose"     /**< DS_TOP_DOSE_EXPAND_NAME or DS_TOP_DOSE_ACCEPT_NAME */
#define DS_COL_START_LEVEL "start_level"
#define DS_COL_N_LEVELS "n_levels"
#define DS_COL_N_TRIALS "n_trials"
#define DS_COL_SEED "seed"
#define DS_COL_PROB_NO_RP2D "prob_no_rp2d"
#define DS_COL_PROB_NO_RP2D_SE "prob_no_rp2d_se"
#define DS_COL_PROB_NO_RP2D_LO "prob_no_rp2d_lo"
#define DS_COL_PROB_NO_RP2D_HI "prob_no_rp2d_hi"
#define DS_COL_MEAN_N "mean_n"
#define DS_COL_MEAN_N_SE "mean_n_se"
#define DS_COL_SD_N "sd_n"
#define DS_COL_MIN_N "min_n"
#define DS_COL_MAX_N "max_n"
#define DS_COL_N_P10 "n_p10"
#define DS_COL_N_P50 "n_p50"
#define DS_COL_N_P90 "n_p90"
#define DS_COL_MEAN_DLT "mean_dlt"
#define DS_COL_OVERDOSE_LIMIT "overdose_limit"
#define DS_COL_PROB_RP2D_OVERDOSE "prob_rp2d_overdose"
#define DS_COL_MEAN_N_OVERDOSE "mean_n_overdose"
#define DS_COL_TRUE_MTD_LEVEL "true_mtd_level"
#define DS_COL_PROB_RP2D_TRUE_MTD "prob_rp2d_true_mtd"
/* summary.csv's calendar columns (empty unless calendar time was simulated) */
#define DS_COL_WINDOW_DAYS "window_days"
#define DS_COL_ACCRUAL_PER_30_DAYS "accrual_per_30_days"
#define DS_COL_DLT_ONSET "dlt_onset"
#define DS_COL_DROPOUT "dropout"
#define DS_COL_MEAN_DURATION_DAYS "mean_duration_days"
#define DS_COL_SD_DURATION_DAYS "sd_duration_days"
#define DS_COL_DURATION_P10 "duration_p10"
#define DS_COL_DURATION_P50 "duration_p50"
#define DS_COL_DURATION_P90 "duration_p90"
#define DS_COL_MEAN_ENROLLED "mean_enrolled"
#define DS_COL_MEAN_NONEVALUABLE "mean_nonevaluable"
#define DS_COL_MEAN_TURNED_AWAY "mean_turned_away"
/* doses.csv (its first four are the scenario file's columns too) */
#define DS_COL_DOSE_LEVEL "dose_level"
#define DS_COL_DOSE_LABEL "dose_label"
#define DS_COL_P_DLT "p_dlt"
#define DS_COL_PROB_RP2D "prob_rp2d"
#define DS_COL_PROB_RP2D_SE "prob_rp2d_se"
#define DS_COL_PROB_RP2D_LO "prob_rp2d_lo"
#define DS_COL_PROB_RP2D_HI "prob_rp2d_hi"
#define DS_COL_MEAN_PATIENTS "mean_patients"
/* sample_size.csv and duration.csv */
#define DS_COL_N "n"
#define DS_COL_PROB "prob"
#define DS_COL_DAYS_FROM "days_from"
#define DS_COL_DAYS_TO "days_to"
/* the per-trial CSV (run --trials-csv) */
#define DS_COL_TRIAL "trial"
#define DS_COL_RP2D_LEVEL "rp2d_level"
#define DS_COL_N_TOTAL "n_total"
#define DS_COL_N_DLT "n_dlt"
#define DS_COL_DURATION_DAYS "duration_days"
#define DS_COL_ENROLLED "enrolled"
#define DS_COL_NONEVALUABLE "nonevaluable"
#define DS_COL_TURNED_AWAY "turned_away"
/** Per-level columns: this prefix and the level, from 1 (n_1, dlt_1, prob_rp2d_1, ...). */
#define DS_COL_N_AT_LEVEL "n_"
#define DS_COL_DLT_AT_LEVEL "dlt_"
#define DS_COL_PROB_RP2D_AT_LEVEL DS_COL_PROB_RP2D "_"
/* the dose-path CSV (paths) */
#define DS_COL_PATH "path"
#define DS_COL_PROBABILITY "probability"
#define DS_COL_COHORTS "cohorts"
/* the sweep CSV */
#define DS_COL_VARY "vary" /**< a dose level, or DS_VARY_ALL */
#define DS_COL_VALUE "value"
/* comparison.csv */
#define DS_COL_FOLDER "folder"
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
 *  column holds "uniform" or "weibull:SHAPE"). */
#define DS_ONSET_UNIFORM_NAME "uniform"
#define DS_ONSET_WEIBULL_NAME "weibull"
/** A sweep's vary column when every p_dlt is scaled. */
#define DS_VARY_ALL "all"
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

#endif

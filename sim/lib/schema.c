/* The result contract: every column's type and meaning, and every table's
 * columns in the order written. The writers take their headers from here,
 * `dosesim schema` prints it as results/SCHEMA.csv, and the tests check every
 * written file and README.md's column tables against it. */
#include "dosesim/schema.h"

#include <string.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

const char *const ds_result_file_names[DS_RESULT_FILES] = {
    DS_SUMMARY_FILE, DS_DOSES_FILE, DS_SAMPLE_SIZE_FILE, DS_DURATION_FILE, DS_OPTIMISATION_FILE};

const char *const ds_column_type_names[DS_N_TYPES] = {
    [DS_TYPE_TEXT] = "text",
    [DS_TYPE_INTEGER] = "integer",
    [DS_TYPE_NUMBER] = "number",
    [DS_TYPE_PROBABILITY] = "probability",
    [DS_TYPE_YES_NO] = "yes_no",
    [DS_TYPE_RUN_ID] = "run_id",
};

/* When cells are empty, said once each. */
#define UNTIMED "calendar time was not simulated"
#define NO_BACKFILL "no backfill (--backfill-max)"
#define NONE_ROW "the none row (dose_level 0)"
#define NO_STAGE "there is no randomised stage (no --optimise)"
#define NO_STAGE_IN_TRIAL                                                                          \
    "no stage in the trial: no --optimise, or an RP2D at the lowest dose or none"
#define NO_MTD_STOP "there is no true MTD and some dose is below target_lo"
#define NONE_ACCEPTABLE "no dose is in the target interval"
#define NOT_GIVEN "the scenario file has no such column, and on the none row"

#define COLUMN(id, col_name, col_type, when, text)                                                 \
    static const ds_column_t id = {                                                                \
        .name = col_name, .type = col_type, .empty_when = when, .description = text}

/* ---- the key ---- */
COLUMN(c_run_id, DS_COL_RUN_ID, DS_TYPE_RUN_ID, NULL,
       "the run: a hash of the dosesim version, the command, the scenarios' contents and every "
       "option that changes a number; the same in every file of one run, however it was split");
COLUMN(c_scenario, DS_COL_SCENARIO, DS_TYPE_TEXT, NULL, "the scenario's name, as in its file");
COLUMN(c_scenario_order, DS_COL_SCENARIO_ORDER, DS_TYPE_INTEGER, NULL,
       "the scenario's place in its file, from 1, in the order of first rows");
COLUMN(c_design, DS_COL_DESIGN, DS_TYPE_TEXT, NULL,
       "the rules: 3+3, 3+3+3, ab:A,B,C,D,E, rolling6, or rules:FILE (a --rules table)");
COLUMN(c_method, DS_COL_METHOD, DS_TYPE_TEXT, NULL,
       "exact (every path summed) or mc (Monte Carlo)");
COLUMN(c_deescalate, DS_COL_DEESCALATE, DS_TYPE_YES_NO, NULL,
       "--deescalate: yes, a lower dose becomes the RP2D only on its full count");
COLUMN(c_top_dose, DS_COL_TOP_DOSE, DS_TYPE_TEXT, NULL,
       "--top-dose: expand (the top dose gets the next stage) or accept");
COLUMN(c_start_level, DS_COL_START_LEVEL, DS_TYPE_INTEGER, NULL, "--start: the first dose level");
COLUMN(c_n_trials, DS_COL_N_TRIALS, DS_TYPE_INTEGER, NULL,
       "Monte Carlo trials; 0 for exact results");
COLUMN(c_seed, DS_COL_SEED, DS_TYPE_INTEGER, NULL,
       "the Monte Carlo seed (below 2^53, so every reader holds it exactly); 0 for exact results");
COLUMN(c_window_days, DS_COL_WINDOW_DAYS, DS_TYPE_NUMBER, NULL,
       "--window: the DLT window in days (the design's, whether or not calendar time was "
       "simulated)");
COLUMN(c_accrual, DS_COL_ACCRUAL_PER_30_DAYS, DS_TYPE_NUMBER, NULL,
       "--accrual: patients arriving per 30 days; 0 when calendar time was not simulated");
COLUMN(c_dlt_onset, DS_COL_DLT_ONSET, DS_TYPE_TEXT, NULL,
       "--dlt-onset: uniform or weibull:SHAPE; none when calendar time was not simulated");
COLUMN(c_dropout, DS_COL_DROPOUT, DS_TYPE_PROBABILITY, NULL,
       "--dropout: probability that a patient without a DLT leaves early; 0 when calendar time "
       "was not simulated");
COLUMN(c_target, DS_COL_TARGET, DS_TYPE_PROBABILITY, NULL,
       "--target: the target DLT probability the accuracy columns are judged by");
COLUMN(c_target_lo, DS_COL_TARGET_LO, DS_TYPE_PROBABILITY, NULL,
       "--target-interval: lower end of the acceptable DLT probabilities");
COLUMN(c_target_hi, DS_COL_TARGET_HI, DS_TYPE_PROBABILITY, NULL,
       "--target-interval: upper end; a dose with p_dlt above it is an overdose");

#define KEY_COLUMNS                                                                                \
    &c_run_id, &c_scenario, &c_scenario_order, &c_design, &c_method, &c_deescalate, &c_top_dose,   \
        &c_start_level, &c_n_trials, &c_seed, &c_window_days, &c_accrual, &c_dlt_onset,            \
        &c_dropout, &c_target, &c_target_lo, &c_target_hi

const ds_column_t *const ds_schema_key_columns[] = {KEY_COLUMNS};
_Static_assert(N_ELEMENTS(ds_schema_key_columns) == DS_KEY_COLUMNS, "DS_KEY_COLUMNS");

/* ---- summary: per scenario, quantities per trial ---- */
COLUMN(c_n_levels, DS_COL_N_LEVELS, DS_TYPE_INTEGER, NULL, "the scenario's number of doses");
COLUMN(c_true_mtd_level, DS_COL_TRUE_MTD_LEVEL, DS_TYPE_INTEGER, NULL,
       "the true MTD: the dose with p_dlt in [target_lo, target_hi] closest to target (the lower "
       "on a tie); 0 if no dose is in the interval");
COLUMN(c_true_mtd_label, DS_COL_TRUE_MTD_LABEL, DS_TYPE_TEXT, NULL,
       "the true MTD's dose label; none for level 0");
COLUMN(c_prob_no_rp2d, DS_COL_PROB_NO_RP2D, DS_TYPE_PROBABILITY, NULL,
       "probability that the trial names no RP2D");
COLUMN(c_prob_no_rp2d_se, DS_COL_PROB_NO_RP2D_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error, sqrt(p(1-p)/n_trials); 0 for exact");
COLUMN(c_prob_no_rp2d_lo, DS_COL_PROB_NO_RP2D_LO, DS_TYPE_PROBABILITY, NULL,
       "lower end of its 95% Wilson interval (the value itself for exact)");
COLUMN(c_prob_no_rp2d_hi, DS_COL_PROB_NO_RP2D_HI, DS_TYPE_PROBABILITY, NULL,
       "upper end of its 95% Wilson interval");
COLUMN(c_pcs, DS_COL_PROB_CORRECT_SELECTION, DS_TYPE_PROBABILITY, NO_MTD_STOP,
       "P(correct selection): P(RP2D = true MTD); with no true MTD and every dose above "
       "target_hi, P(no RP2D)");
COLUMN(c_pcs_se, DS_COL_PROB_CORRECT_SELECTION_SE, DS_TYPE_NUMBER, NO_MTD_STOP,
       "its Monte Carlo standard error");
COLUMN(c_select_above, DS_COL_PROB_SELECT_ABOVE, DS_TYPE_PROBABILITY, NULL,
       "probability that the RP2D's p_dlt is above target_hi (an overdose)");
COLUMN(c_select_above_se, DS_COL_PROB_SELECT_ABOVE_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_select_below, DS_COL_PROB_SELECT_BELOW, DS_TYPE_PROBABILITY, NULL,
       "probability that the RP2D's p_dlt is below target_lo");
COLUMN(c_select_below_se, DS_COL_PROB_SELECT_BELOW_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_wrong_stop, DS_COL_PROB_NO_RP2D_DESPITE_ACCEPTABLE, DS_TYPE_PROBABILITY, NONE_ACCEPTABLE,
       "P(no RP2D) when some dose is in the target interval");
COLUMN(c_wrong_stop_se, DS_COL_PROB_NO_RP2D_DESPITE_ACCEPTABLE_SE, DS_TYPE_NUMBER, NONE_ACCEPTABLE,
       "its Monte Carlo standard error");
COLUMN(c_mean_n_treated, DS_COL_MEAN_N_TREATED, DS_TYPE_NUMBER, NULL,
       "mean patients treated per trial (everyone enrolled, evaluable or not): the sample "
       "size");
COLUMN(c_mean_n_evaluable, DS_COL_MEAN_N_EVALUABLE, DS_TYPE_NUMBER, NULL,
       "mean evaluable patients per trial, whose DLT outcome counted (what the rules rested "
       "on); without --dropout, every patient treated");
COLUMN(c_mean_n_evaluable_se, DS_COL_MEAN_N_EVALUABLE_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error, sd_n_evaluable/sqrt(n_trials); 0 for exact");
COLUMN(c_sd_n_evaluable, DS_COL_SD_N_EVALUABLE, DS_TYPE_NUMBER, NULL,
       "standard deviation of the evaluable patients per trial");
COLUMN(c_min_n_evaluable, DS_COL_MIN_N_EVALUABLE, DS_TYPE_INTEGER, NULL,
       "fewest evaluable patients in a trial (with positive probability)");
COLUMN(c_max_n_evaluable, DS_COL_MAX_N_EVALUABLE, DS_TYPE_INTEGER, NULL,
       "most evaluable patients in a trial (with positive probability)");
COLUMN(c_p10_n_evaluable, DS_COL_P10_N_EVALUABLE, DS_TYPE_INTEGER, NULL,
       "10% quantile of the evaluable patients per trial (sample_size.csv's distribution)");
COLUMN(c_p50_n_evaluable, DS_COL_P50_N_EVALUABLE, DS_TYPE_INTEGER, NULL, "their median");
COLUMN(c_p90_n_evaluable, DS_COL_P90_N_EVALUABLE, DS_TYPE_INTEGER, NULL, "their 90% quantile");
COLUMN(c_mean_n_nonevaluable, DS_COL_MEAN_N_NONEVALUABLE, DS_TYPE_NUMBER, NULL,
       "mean patients per trial who left early without a DLT (mean_n_treated - "
       "mean_n_evaluable; 0 without --dropout)");
COLUMN(c_mean_n_dlt, DS_COL_MEAN_N_DLT, DS_TYPE_NUMBER, NULL, "mean DLTs per trial");
COLUMN(c_at_mtd, DS_COL_MEAN_N_TREATED_AT_MTD, DS_TYPE_NUMBER, NULL,
       "mean patients per trial treated at the true MTD (0 with none)");
COLUMN(c_at_mtd_se, DS_COL_MEAN_N_TREATED_AT_MTD_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_below_mtd, DS_COL_MEAN_N_TREATED_BELOW_MTD, DS_TYPE_NUMBER, NULL,
       "mean patients per trial treated below the true MTD (with none: below the first dose "
       "above target_hi)");
COLUMN(c_below_mtd_se, DS_COL_MEAN_N_TREATED_BELOW_MTD_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_above_mtd, DS_COL_MEAN_N_TREATED_ABOVE_MTD, DS_TYPE_NUMBER, NULL,
       "mean patients per trial treated above the true MTD (with none: from the first dose "
       "above target_hi up)");
COLUMN(c_above_mtd_se, DS_COL_MEAN_N_TREATED_ABOVE_MTD_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_over60, DS_COL_PROB_OVER_60PCT_ABOVE_MTD, DS_TYPE_PROBABILITY, NULL,
       "probability that more than 60% of a trial's patients are treated above the true MTD");
COLUMN(c_over60_se, DS_COL_PROB_OVER_60PCT_ABOVE_MTD_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_over80, DS_COL_PROB_OVER_80PCT_ABOVE_MTD, DS_TYPE_PROBABILITY, NULL,
       "probability that more than 80% of a trial's patients are treated above the true MTD");
COLUMN(c_over80_se, DS_COL_PROB_OVER_80PCT_ABOVE_MTD_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error");
COLUMN(c_mean_duration, DS_COL_MEAN_DURATION_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "mean days from the first patient's arrival to the decision");
COLUMN(c_sd_duration, DS_COL_SD_DURATION_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "standard deviation of the duration, in days");
COLUMN(c_p10_duration, DS_COL_P10_DURATION_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "10% quantile of the duration in days (to within 0.05%)");
COLUMN(c_p50_duration, DS_COL_P50_DURATION_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "median duration in days (to within 0.05%)");
COLUMN(c_p90_duration, DS_COL_P90_DURATION_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "90% quantile of the duration in days (to within 0.05%)");
COLUMN(c_mean_turned_away, DS_COL_MEAN_N_TURNED_AWAY, DS_TYPE_NUMBER, UNTIMED,
       "mean arrivals per trial turned away because no place was open");
COLUMN(c_mean_backfilled, DS_COL_MEAN_N_BACKFILLED, DS_TYPE_NUMBER, NO_BACKFILL,
       "mean patients per trial backfilled at a lower dose (of mean_n_treated)");
COLUMN(c_mean_backfilled_se, DS_COL_MEAN_N_BACKFILLED_SE, DS_TYPE_NUMBER, NO_BACKFILL,
       "its Monte Carlo standard error");
COLUMN(c_backfill_max, DS_COL_BACKFILL_MAX, DS_TYPE_INTEGER, NULL,
       "--backfill-max: at most this many patients backfilled at a dose; 0: no backfill");

#define SUMMARY_VALUES                                                                             \
    &c_n_levels, &c_true_mtd_level, &c_true_mtd_label, &c_prob_no_rp2d, &c_prob_no_rp2d_se,        \
        &c_prob_no_rp2d_lo, &c_prob_no_rp2d_hi, &c_pcs, &c_pcs_se, &c_select_above,                \
        &c_select_above_se, &c_select_below, &c_select_below_se, &c_wrong_stop, &c_wrong_stop_se,  \
        &c_mean_n_treated, &c_mean_n_evaluable, &c_mean_n_evaluable_se, &c_sd_n_evaluable,         \
        &c_min_n_evaluable, &c_max_n_evaluable, &c_p10_n_evaluable, &c_p50_n_evaluable,            \
        &c_p90_n_evaluable, &c_mean_n_nonevaluable, &c_mean_n_dlt, &c_at_mtd, &c_at_mtd_se,        \
        &c_below_mtd, &c_below_mtd_se, &c_above_mtd, &c_above_mtd_se, &c_over60, &c_over60_se,     \
        &c_over80, &c_over80_se, &c_mean_duration, &c_sd_duration, &c_p10_duration,                \
        &c_p50_duration, &c_p90_duration, &c_mean_turned_away, &c_mean_backfilled,                 \
        &c_mean_backfilled_se, &c_backfill_max

/* ---- doses: per scenario and dose, the none row first ---- */
COLUMN(c_dose_level, DS_COL_DOSE_LEVEL, DS_TYPE_INTEGER, NULL,
       "the dose level, from 1; 0 is the none row: no RP2D");
COLUMN(c_dose_label, DS_COL_DOSE_LABEL, DS_TYPE_TEXT, NULL,
       "the dose's label from the scenario file; none for level 0");
COLUMN(c_dose_amount, DS_COL_DOSE_AMOUNT, DS_TYPE_NUMBER, NOT_GIVEN,
       "the numeric dose, from the scenario file's dose_amount column");
COLUMN(c_dose_unit, DS_COL_DOSE_UNIT, DS_TYPE_TEXT, NOT_GIVEN,
       "its unit, from the scenario file's dose_unit column");
COLUMN(c_p_dlt, DS_COL_P_DLT, DS_TYPE_PROBABILITY, NONE_ROW,
       "the true DLT probability within the window");
COLUMN(c_true_mtd, DS_COL_TRUE_MTD, DS_TYPE_YES_NO, NULL,
       "yes on the true MTD's row (on the none row when there is no true MTD)");
COLUMN(c_prob_rp2d, DS_COL_PROB_RP2D, DS_TYPE_PROBABILITY, NULL,
       "probability that this dose is the RP2D (for the none row: that there is none)");
COLUMN(c_prob_rp2d_se, DS_COL_PROB_RP2D_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error; 0 for exact");
COLUMN(c_prob_rp2d_lo, DS_COL_PROB_RP2D_LO, DS_TYPE_PROBABILITY, NULL,
       "lower end of its 95% Wilson interval");
COLUMN(c_prob_rp2d_hi, DS_COL_PROB_RP2D_HI, DS_TYPE_PROBABILITY, NULL,
       "upper end of its 95% Wilson interval");
COLUMN(c_mean_n_treated_at_dose, DS_COL_MEAN_N_TREATED_AT_DOSE, DS_TYPE_NUMBER, NONE_ROW,
       "mean patients per trial treated at this dose");
COLUMN(c_mean_n_evaluable_at_dose, DS_COL_MEAN_N_EVALUABLE_AT_DOSE, DS_TYPE_NUMBER, NONE_ROW,
       "mean evaluable patients per trial at this dose");
COLUMN(c_mean_n_dlt_at_dose, DS_COL_MEAN_N_DLT_AT_DOSE, DS_TYPE_NUMBER, NONE_ROW,
       "mean DLTs per trial at this dose");

#define DOSE_VALUES                                                                                \
    &c_dose_level, &c_dose_label, &c_dose_amount, &c_dose_unit, &c_p_dlt, &c_true_mtd,             \
        &c_prob_rp2d, &c_prob_rp2d_se, &c_prob_rp2d_lo, &c_prob_rp2d_hi,                           \
        &c_mean_n_treated_at_dose, &c_mean_n_evaluable_at_dose, &c_mean_n_dlt_at_dose

/* ---- sample_size, duration ---- */
COLUMN(c_n_evaluable, DS_COL_N_EVALUABLE, DS_TYPE_INTEGER, NULL,
       "evaluable patients in a trial (without --dropout, every patient treated)");
COLUMN(c_prob_n, DS_COL_PROB, DS_TYPE_PROBABILITY, NULL,
       "probability of the row's value (rows of probability 0 are left out)");
COLUMN(c_days_from, DS_COL_DAYS_FROM, DS_TYPE_NUMBER, NULL,
       "the duration bin's start, in days (bins grow by 0.1%)");
COLUMN(c_days_to, DS_COL_DAYS_TO, DS_TYPE_NUMBER, NULL, "the bin's end, in days");

/* ---- trials: per trial ---- */
COLUMN(c_trial, DS_COL_TRIAL, DS_TYPE_INTEGER, NULL,
       "the trial's number, from 1 (dosesim trace --trial tells it)");
COLUMN(c_rp2d_level, DS_COL_RP2D_LEVEL, DS_TYPE_INTEGER, NULL, "the RP2D's level; 0 for none");
COLUMN(c_rp2d_label, DS_COL_RP2D_LABEL, DS_TYPE_TEXT, NULL, "the RP2D's label; none for level 0");
COLUMN(c_trial_n_treated, DS_COL_N_TREATED, DS_TYPE_INTEGER, NULL,
       "patients treated (everyone enrolled)");
COLUMN(c_trial_n_evaluable, DS_COL_N_EVALUABLE, DS_TYPE_INTEGER, NULL,
       "patients whose DLT outcome counted");
COLUMN(c_trial_n_nonevaluable, DS_COL_N_NONEVALUABLE, DS_TYPE_INTEGER, NULL,
       "patients who left early without a DLT (n_treated - n_evaluable)");
COLUMN(c_trial_n_dlt, DS_COL_N_DLT, DS_TYPE_INTEGER, NULL, "DLTs");
COLUMN(c_duration_days, DS_COL_DURATION_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "days from the trial's opening (day 0) to the decision");
COLUMN(c_turned_away, DS_COL_N_TURNED_AWAY, DS_TYPE_INTEGER, UNTIMED,
       "arrivals turned away because no place was open");
COLUMN(c_backfilled, DS_COL_N_BACKFILLED, DS_TYPE_INTEGER, NO_BACKFILL,
       "of n_treated, patients backfilled at a lower dose");
COLUMN(c_trial_randomised, DS_COL_N_RANDOMISED, DS_TYPE_INTEGER, NO_STAGE,
       "patients randomised in the stage: 2 x N (--optimise N, optimisation.csv's "
       "optimise_n_per_arm) when the RP2D is above the lowest dose, else 0 (not in n_treated, "
       "which counts the escalation's and the backfilled)");
COLUMN(c_stage_dlt_rp2d, DS_COL_STAGE_N_DLT_RP2D, DS_TYPE_INTEGER, NO_STAGE_IN_TRIAL,
       "DLTs in the stage's arm at the RP2D");
COLUMN(c_stage_response_rp2d, DS_COL_STAGE_N_RESPONSE_RP2D, DS_TYPE_INTEGER, NO_STAGE_IN_TRIAL,
       "responses in the stage's arm at the RP2D, by intention to treat: a patient who leaves "
       "early (always without a DLT) counts as without a response");
COLUMN(c_stage_dlt_below, DS_COL_STAGE_N_DLT_BELOW, DS_TYPE_INTEGER, NO_STAGE_IN_TRIAL,
       "DLTs in the stage's arm at the dose below the RP2D");
COLUMN(c_stage_response_below, DS_COL_STAGE_N_RESPONSE_BELOW, DS_TYPE_INTEGER, NO_STAGE_IN_TRIAL,
       "responses in the stage's arm at the dose below the RP2D, by intention to treat");
COLUMN(c_final_level, DS_COL_FINAL_LEVEL, DS_TYPE_INTEGER, NO_STAGE,
       "the final recommended dose's level after the stage, by its rule on the arms' counts "
       "(optimisation.csv's optimise_delta and target_hi); the RP2D's without a stage; 0 for "
       "none");
COLUMN(c_final_label, DS_COL_FINAL_LABEL, DS_TYPE_TEXT, NO_STAGE,
       "the final recommended dose's label; none for level 0");
COLUMN(c_stage_days, DS_COL_STAGE_DAYS, DS_TYPE_NUMBER, NO_STAGE " or " UNTIMED,
       "days the stage adds after the decision: its 2 x N arrivals, then the longer of the DLT "
       "window and optimisation.csv's response_days (0 when the trial has no stage)");
COLUMN(c_treated_at, DS_COL_N_TREATED_AT_DOSE_ DS_COL_LEVEL_MARK, DS_TYPE_INTEGER,
       "the scenario has fewer levels than the file's widest",
       "patients treated at that level");
COLUMN(c_evaluable_at, DS_COL_N_EVALUABLE_AT_DOSE_ DS_COL_LEVEL_MARK, DS_TYPE_INTEGER,
       "the scenario has fewer levels than the file's widest", "evaluable patients at that level");
COLUMN(c_dlt_at, DS_COL_N_DLT_AT_DOSE_ DS_COL_LEVEL_MARK, DS_TYPE_INTEGER,
       "the scenario has fewer levels than the file's widest", "DLTs at that level");

/* ---- paths: per dose path ---- */
COLUMN(c_path, DS_COL_PATH, DS_TYPE_INTEGER, NULL, "the path's number, from 1");
COLUMN(c_path_prob, DS_COL_PROB, DS_TYPE_PROBABILITY, NULL, "the path's probability");
COLUMN(c_cohorts, DS_COL_COHORTS, DS_TYPE_TEXT, NULL,
       "the cohorts in order, LEVEL:DLTS/PATIENTS, separated by spaces");

/* ---- sweep, comparison ---- */
COLUMN(c_sweep_vary, DS_COL_SWEEP_VARY, DS_TYPE_TEXT, NULL,
       "--vary: the dose level whose p_dlt takes the value, or all (every p_dlt times the value, "
       "capped at 1)");
COLUMN(c_sweep_value, DS_COL_SWEEP_VALUE, DS_TYPE_NUMBER, NULL,
       "the grid's value at this point (p_dlt holds each dose's probability there)");
COLUMN(c_folder, DS_COL_FOLDER, DS_TYPE_TEXT, NULL, "the result folder the row was read from");

/* ---- optimisation: per scenario with p_response and dose (optimise.h) ---- */
COLUMN(c_opt_level, DS_COL_DOSE_LEVEL, DS_TYPE_INTEGER, NULL,
       "the dose level, from 1; 0 is the none row: no final dose");
COLUMN(c_p_response, DS_COL_P_RESPONSE, DS_TYPE_PROBABILITY, NONE_ROW,
       "the true probability of an objective response, from the scenario file");
COLUMN(c_p_dlt_and_response, DS_COL_P_DLT_AND_RESPONSE, DS_TYPE_PROBABILITY, NONE_ROW,
       "the true P(DLT and response): from response_dlt_or or p_dlt_and_response, else "
       "p_dlt x p_response");
COLUMN(c_true_optimal, DS_COL_TRUE_OPTIMAL, DS_TYPE_YES_NO, NULL,
       "yes on the truly optimal dose's row: of the doses with p_dlt <= target_hi, the lowest "
       "that none above it beats by optimise_delta or more in p_response (on the none row "
       "when no dose is acceptable)");
COLUMN(c_mean_n_response_at_dose, DS_COL_MEAN_N_RESPONSE_AT_DOSE, DS_TYPE_NUMBER, NONE_ROW,
       "mean responses per trial among the evaluable patients at this dose (the escalation's "
       "and the backfilled)");
COLUMN(c_response_rate_at_dose, DS_COL_RESPONSE_RATE_AT_DOSE, DS_TYPE_PROBABILITY,
       "the none row, and where no patient is expected at the dose",
       "mean_n_response_at_dose over mean_n_evaluable_at_dose (doses.csv)");
COLUMN(c_mean_n_randomised_at_dose, DS_COL_MEAN_N_RANDOMISED_AT_DOSE, DS_TYPE_NUMBER, NONE_ROW,
       "mean patients per trial randomised to this dose in the stage (0 without --optimise)");
COLUMN(c_prob_final, DS_COL_PROB_FINAL, DS_TYPE_PROBABILITY, NULL,
       "probability that this is the final recommended dose, after the stage (without "
       "--optimise, the RP2D's; for the none row: that there is none)");
COLUMN(c_prob_final_se, DS_COL_PROB_FINAL_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error (the stage is exact given the RP2D); 0 for exact");
COLUMN(c_optimise_n, DS_COL_OPTIMISE_N_PER_ARM, DS_TYPE_INTEGER, NULL,
       "--optimise: patients randomised to the RP2D and to the dose below it; 0: no stage");
COLUMN(c_optimise_delta, DS_COL_OPTIMISE_DELTA, DS_TYPE_PROBABILITY, NULL,
       "--delta: the margin in response rate by which the higher dose must win (default 0.1)");
COLUMN(c_response_days, DS_COL_RESPONSE_DAYS, DS_TYPE_NUMBER, NULL,
       "--response-days: when response is assessed, days after the first dose (default 42)");
COLUMN(c_true_optimal_level, DS_COL_TRUE_OPTIMAL_LEVEL, DS_TYPE_INTEGER, NULL,
       "the truly optimal dose's level; 0 when no dose is acceptable");
COLUMN(c_true_optimal_label, DS_COL_TRUE_OPTIMAL_LABEL, DS_TYPE_TEXT, NULL,
       "its label; none for level 0");
COLUMN(c_prob_select_optimal, DS_COL_PROB_SELECT_OPTIMAL, DS_TYPE_PROBABILITY, NULL,
       "probability that the final dose is the optimal one (no dose, when none is acceptable)");
COLUMN(c_prob_select_optimal_se, DS_COL_PROB_SELECT_OPTIMAL_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error; 0 for exact");
COLUMN(c_prob_select_above_optimal, DS_COL_PROB_SELECT_ABOVE_OPTIMAL, DS_TYPE_PROBABILITY, NULL,
       "probability that the final dose is above the optimal one (any dose, when none is "
       "acceptable)");
COLUMN(c_prob_select_above_optimal_se, DS_COL_PROB_SELECT_ABOVE_OPTIMAL_SE, DS_TYPE_NUMBER, NULL,
       "its Monte Carlo standard error; 0 for exact");
COLUMN(c_mean_n_escalation, DS_COL_MEAN_N_ESCALATION, DS_TYPE_NUMBER, NULL,
       "mean patients per trial treated in the escalation's cohorts (summary.csv's "
       "mean_n_treated - mean_n_backfilled)");
COLUMN(c_opt_mean_n_backfilled, DS_COL_MEAN_N_BACKFILLED, DS_TYPE_NUMBER, NO_BACKFILL,
       "mean patients per trial backfilled (summary.csv's)");
COLUMN(c_mean_n_randomised, DS_COL_MEAN_N_RANDOMISED, DS_TYPE_NUMBER, NULL,
       "mean patients per trial randomised in the stage: 2 optimise_n_per_arm whenever the "
       "RP2D is above the lowest dose");
COLUMN(c_mean_n_overall, DS_COL_MEAN_N_OVERALL, DS_TYPE_NUMBER, NULL,
       "mean_n_escalation + mean_n_backfilled + mean_n_randomised");
COLUMN(c_mean_stage_days, DS_COL_MEAN_STAGE_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "mean days per trial the stage adds: its 2 optimise_n_per_arm arrivals, then the longer "
       "of the DLT window and response_days");
COLUMN(c_mean_overall_days, DS_COL_MEAN_OVERALL_DAYS, DS_TYPE_NUMBER, UNTIMED,
       "summary.csv's mean_duration_days + mean_stage_days");

#define OPTIMISATION_DOSE_VALUES                                                                   \
    &c_opt_level, &c_dose_label, &c_p_response, &c_p_dlt_and_response, &c_true_optimal,            \
        &c_mean_n_response_at_dose, &c_response_rate_at_dose, &c_mean_n_randomised_at_dose,        \
        &c_prob_final, &c_prob_final_se
#define OPTIMISATION_SCENARIO_VALUES                                                               \
    &c_optimise_n, &c_optimise_delta, &c_response_days, &c_true_optimal_level,                     \
        &c_true_optimal_label, &c_prob_select_optimal, &c_prob_select_optimal_se,                  \
        &c_prob_select_above_optimal, &c_prob_select_above_optimal_se, &c_mean_n_escalation,       \
        &c_opt_mean_n_backfilled, &c_mean_n_randomised, &c_mean_n_overall, &c_mean_stage_days,     \
        &c_mean_overall_days

/* comparison.csv's share of optimisation.csv: empty for a folder without its rows */
#define NOT_OPTIMISED "the folder's set has no optimisation.csv rows for the scenario"
COLUMN(c_cmp_true_optimal, DS_COL_TRUE_OPTIMAL, DS_TYPE_YES_NO, NOT_OPTIMISED,
       "optimisation.csv's: yes on the truly optimal dose's row");
COLUMN(c_cmp_prob_final, DS_COL_PROB_FINAL, DS_TYPE_PROBABILITY, NOT_OPTIMISED,
       "optimisation.csv's: probability that this is the final recommended dose");
COLUMN(c_cmp_prob_final_se, DS_COL_PROB_FINAL_SE, DS_TYPE_NUMBER, NOT_OPTIMISED,
       "its Monte Carlo standard error; 0 for exact");
COLUMN(c_cmp_optimise_n, DS_COL_OPTIMISE_N_PER_ARM, DS_TYPE_INTEGER, NOT_OPTIMISED,
       "optimisation.csv's: patients randomised a dose; 0: no stage");
COLUMN(c_cmp_prob_select_optimal, DS_COL_PROB_SELECT_OPTIMAL, DS_TYPE_PROBABILITY, NOT_OPTIMISED,
       "optimisation.csv's: probability that the final dose is the optimal one");
COLUMN(c_cmp_prob_select_above_optimal, DS_COL_PROB_SELECT_ABOVE_OPTIMAL, DS_TYPE_PROBABILITY,
       NOT_OPTIMISED, "optimisation.csv's: probability that it is above the optimal one");
COLUMN(c_cmp_mean_n_overall, DS_COL_MEAN_N_OVERALL, DS_TYPE_NUMBER, NOT_OPTIMISED,
       "optimisation.csv's: mean patients per trial, escalation, backfill and stage");
COLUMN(c_cmp_mean_overall_days, DS_COL_MEAN_OVERALL_DAYS, DS_TYPE_NUMBER,
       NOT_OPTIMISED " (or calendar time was not simulated)",
       "optimisation.csv's: mean days per trial, escalation and stage");
#define COMPARISON_OPTIMISATION_VALUES                                                             \
    &c_cmp_true_optimal, &c_cmp_prob_final, &c_cmp_prob_final_se, &c_cmp_optimise_n,               \
        &c_cmp_prob_select_optimal, &c_cmp_prob_select_above_optimal, &c_cmp_mean_n_overall,       \
        &c_cmp_mean_overall_days

/* ---- trace: per event of one trial ---- */
#define NOT_DECISION                                                                               \
    "the rules did not act on the row (a patient's event under a design that decides on whole "    \
    "cohorts, or an outcome after the trial ended)"
COLUMN(c_trace_trial, DS_COL_TRIAL, DS_TYPE_INTEGER, NULL,
       "the trial's number, from 1, as in run --trials-csv");
COLUMN(c_event, DS_COL_EVENT, DS_TYPE_TEXT, NULL,
       "what happened: cohort (a cohort treated, its outcomes known at once: no calendar time), "
       "enrol, dlt, complete (the window without a DLT), leave (early, without a DLT: not "
       "evaluable), decision (a cohort's, on calendar time), backfill (a patient backfilled at "
       "a lower dose, --backfill-max) or close (the dose closed to backfill)");
COLUMN(c_day, DS_COL_DAY, DS_TYPE_NUMBER, UNTIMED,
       "the day it happened, from the trial's opening (day 0; rows are in order of day; an outcome "
       "after "
       "the trial's last decision comes after it)");
COLUMN(c_cohort, DS_COL_COHORT, DS_TYPE_INTEGER,
       "the design enrols one patient at a time, or the row is a backfilled patient's or a "
       "closing",
       "the cohort, from 1");
COLUMN(c_patient, DS_COL_PATIENT, DS_TYPE_INTEGER, "the row is a whole cohort's or a closing",
       "the patient, from 1, in order of enrolment (the backfilled after the escalation's, in "
       "theirs)");
COLUMN(c_event_level, DS_COL_DOSE_LEVEL, DS_TYPE_INTEGER, NULL, "the dose level, from 1");
COLUMN(c_event_label, DS_COL_DOSE_LABEL, DS_TYPE_TEXT, NULL, "the dose's label");
COLUMN(c_n_treated_in_cohort, DS_COL_N_TREATED_IN_COHORT, DS_TYPE_INTEGER,
       "the row is not a cohort's (or the design enrols one at a time)",
       "the cohort's patients treated by its decision");
COLUMN(c_n_dlt_in_cohort, DS_COL_N_DLT_IN_COHORT, DS_TYPE_INTEGER,
       "the row is not a cohort's (or the design enrols one at a time)",
       "the DLTs among them known by its decision");
COLUMN(c_n_treated_at_dose, DS_COL_N_TREATED_AT_DOSE, DS_TYPE_INTEGER, NOT_DECISION,
       "patients treated at the dose so far, as the rules counted them");
COLUMN(c_n_evaluable_at_dose, DS_COL_N_EVALUABLE_AT_DOSE, DS_TYPE_INTEGER, NOT_DECISION,
       "of them, those with an outcome known: a DLT, or the window completed");
COLUMN(c_n_pending_at_dose, DS_COL_N_PENDING_AT_DOSE, DS_TYPE_INTEGER, NOT_DECISION,
       "of them, those still in the window");
COLUMN(c_n_dlt_at_dose, DS_COL_N_DLT_AT_DOSE, DS_TYPE_INTEGER, NOT_DECISION,
       "DLTs known at the dose so far");
COLUMN(c_next_action, DS_COL_NEXT_ACTION, DS_TYPE_TEXT, NOT_DECISION,
       "what the rules did next: treat, wait (enrol nobody until an outcome is known), select "
       "(the RP2D; the trial ends) or stop (no RP2D; the trial ends)");
COLUMN(c_next_level, DS_COL_NEXT_LEVEL, DS_TYPE_INTEGER, NOT_DECISION,
       "the dose level of the next action (the RP2D's for select); 0 for stop");
COLUMN(c_next_label, DS_COL_NEXT_LABEL, DS_TYPE_TEXT, NOT_DECISION, "its label; none for stop");
COLUMN(c_next_n, DS_COL_NEXT_N, DS_TYPE_INTEGER, "the row is not a decision to treat",
       "patients to treat next");
COLUMN(c_reason, DS_COL_REASON, DS_TYPE_TEXT, NOT_DECISION,
       "the next action and its reason, in words, as the text trace says them");

static const ds_column_t *const summary_columns[] = {KEY_COLUMNS, SUMMARY_VALUES};
static const ds_column_t *const doses_columns[] = {KEY_COLUMNS, DOSE_VALUES};
static const ds_column_t *const sample_size_columns[] = {KEY_COLUMNS, &c_n_evaluable, &c_prob_n};
static const ds_column_t *const duration_columns[] = {KEY_COLUMNS, &c_days_from, &c_days_to,
                                                      &c_prob_n};
static const ds_column_t *const optimisation_columns[] = {KEY_COLUMNS, OPTIMISATION_DOSE_VALUES,
                                                          OPTIMISATION_SCENARIO_VALUES};
static const ds_column_t *const trials_columns[] = {KEY_COLUMNS,
                                                    &c_trial,
                                                    &c_rp2d_level,
                                                    &c_rp2d_label,
                                                    &c_trial_n_treated,
                                                    &c_trial_n_evaluable,
                                                    &c_trial_n_nonevaluable,
                                                    &c_trial_n_dlt,
                                                    &c_duration_days,
                                                    &c_turned_away,
                                                    &c_backfilled,
                                                    &c_trial_randomised,
                                                    &c_stage_dlt_rp2d,
                                                    &c_stage_response_rp2d,
                                                    &c_stage_dlt_below,
                                                    &c_stage_response_below,
                                                    &c_final_level,
                                                    &c_final_label,
                                                    &c_stage_days,
                                                    &c_treated_at,
                                                    &c_evaluable_at,
                                                    &c_dlt_at};
static const ds_column_t *const paths_columns[] = {
    KEY_COLUMNS,   &c_path,         &c_path_prob,        &c_trial_n_treated,
    &c_trial_n_dlt, &c_rp2d_level, &c_rp2d_label, &c_cohorts};
static const ds_column_t *const sweep_columns[] = {KEY_COLUMNS, &c_sweep_vary, &c_sweep_value,
                                                   DOSE_VALUES, SUMMARY_VALUES};
static const ds_column_t *const comparison_columns[] = {
    KEY_COLUMNS, &c_folder, DOSE_VALUES, SUMMARY_VALUES, COMPARISON_OPTIMISATION_VALUES};
static const ds_column_t *const trace_columns[] = {KEY_COLUMNS,
                                                   &c_trace_trial,
                                                   &c_event,
                                                   &c_day,
                                                   &c_cohort,
                                                   &c_patient,
                                                   &c_event_level,
                                                   &c_event_label,
                                                   &c_n_treated_in_cohort,
                                                   &c_n_dlt_in_cohort,
                                                   &c_n_treated_at_dose,
                                                   &c_n_evaluable_at_dose,
                                                   &c_n_pending_at_dose,
                                                   &c_n_dlt_at_dose,
                                                   &c_next_action,
                                                   &c_next_level,
                                                   &c_next_label,
                                                   &c_next_n,
                                                   &c_reason};

#define TABLE(table_name, file_names, text, list, levels)                                          \
    {                                                                                              \
        .name = table_name, .files = file_names, .description = text, .columns = list,             \
        .n_columns = N_ELEMENTS(list), .per_level = levels                                         \
    }

static const ds_table_schema_t tables[DS_N_TABLES] = {
    [DS_TABLE_SUMMARY] =
        TABLE("summary", DS_SUMMARY_FILE, "a row per scenario", summary_columns, false),
    [DS_TABLE_DOSES] = TABLE("doses", DS_DOSES_FILE,
                             "a row per scenario and dose, after its none row (dose_level 0)",
                             doses_columns, false),
    [DS_TABLE_SAMPLE_SIZE] =
        TABLE("sample_size", DS_SAMPLE_SIZE_FILE,
              "a row per scenario and number of evaluable patients", sample_size_columns, false),
    [DS_TABLE_DURATION] = TABLE("duration", DS_DURATION_FILE,
                                "a row per scenario and duration bin (no rows when untimed)",
                                duration_columns, false),
    [DS_TABLE_OPTIMISATION] = TABLE(
        "optimisation", DS_OPTIMISATION_FILE,
        "a row per scenario with p_response and dose, after its none row (dose_level 0), then "
        "the scenario's values; no rows when no scenario gives p_response",
        optimisation_columns, false),
    [DS_TABLE_TRIALS] = TABLE("trials", "run --trials-csv FILE",
                              "a row per simulated trial; the last three columns repeat for each "
                              "level, {level} its number",
                              trials_columns, true),
    [DS_TABLE_PATHS] = TABLE("paths", DS_PATHS_FILE_PREFIX "*" DS_CSV_SUFFIX,
                             "a row per possible trial (dose path)", paths_columns, false),
    [DS_TABLE_SWEEP] = TABLE("sweep", DS_SWEEP_FILE_PREFIX "*" DS_CSV_SUFFIX,
                             "a row per grid point and dose (doses.csv's columns, then "
                             "summary.csv's for the point)",
                             sweep_columns, false),
    [DS_TABLE_COMPARISON] =
        TABLE("comparison", DS_COMPARISON_FILE,
              "a row per folder, scenario and dose: the folder's doses.csv row, "
              "its scenario's summary.csv values, and some of its "
              "optimisation.csv row's",
              comparison_columns, false),
    [DS_TABLE_TRACE] =
        TABLE("trace", "trace --format csv",
              "a row per event of one trial (n_trials is 1: the trial told)", trace_columns, false),
};

const ds_table_schema_t *ds_schema_table(ds_table_id_t table)
{
    return (unsigned)table < DS_N_TABLES ? &tables[table] : NULL;
}

size_t ds_schema_names(ds_table_id_t table, const char **names, size_t room)
{
    const ds_table_schema_t *t = ds_schema_table(table);
    size_t n = 0;
    for (size_t k = 0; t != NULL && k < t->n_columns; k++) {
        if (strstr(t->columns[k]->name, DS_COL_LEVEL_MARK) != NULL) {
            continue;
        }
        if (n < room) {
            names[n] = t->columns[k]->name;
        }
        n++;
    }
    return n;
}

const ds_column_t *ds_schema_column(const char *name, bool per_level)
{
    for (int t = 0; t < DS_N_TABLES; t++) {
        for (size_t k = 0; k < tables[t].n_columns; k++) {
            if (strcmp(tables[t].columns[k]->name, name) == 0) {
                return tables[t].columns[k];
            }
        }
    }
    for (int t = 0; per_level && t < DS_N_TABLES; t++) {
        for (size_t k = 0; k < tables[t].n_columns; k++) {
            const char *col = tables[t].columns[k]->name;
            const char *mark = strstr(col, DS_COL_LEVEL_MARK);
            const size_t stem = mark != NULL ? (size_t)(mark - col) : 0;
            if (mark != NULL && strncmp(col, name, stem) == 0 && name[stem] != '\0' &&
                strspn(name + stem, "0123456789") == strlen(name + stem)) {
                return tables[t].columns[k];
            }
        }
    }
    return NULL;
}

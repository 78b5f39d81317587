/**
 * @file report.h
 * @brief The result set: summary.csv, doses.csv, sample_size.csv and
 *        duration.csv (the CSVs written a row at a time are listing.h's).
 *
 * Every file is written through fileio.h: into a temporary file that has no
 * name until it is complete, published whole (a result set as a whole, under
 * its folder's lock), so a failed run leaves no half-written result. Text
 * fields are quoted by libcsv where needed; numbers are printed in the shortest
 * form that reads back to the same double (at most 17 significant digits).
 */
#ifndef DOSESIM_REPORT_H
#define DOSESIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "dosesim/csv.h"
#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/fileio.h"
#include "dosesim/key.h"
#include "dosesim/optimise.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"
#include "dosesim/schema.h"
#include "dosesim/timing.h"

/** Characteristics of one scenario, ready to report. */
typedef struct {
    const ds_scenario_t *scenario;
    const ds_oc_t *oc;
} ds_result_t;

/** A result set being written into one folder. */
typedef struct {
    ds_outfile_t files[DS_RESULT_FILES];
} ds_report_t;

/** Zero a result set, so that ds_report_discard() is always safe. */
void ds_report_init(ds_report_t *self);

/**
 * @brief Write the result set of dir (initialised here) into temporary files,
 *        complete and synced, but not yet published: see ds_report_publish.
 *
 * Every file's columns are schema.h's (DS_TABLE_SUMMARY, ...), each row
 * starting with key's cells. duration.csv has rows only when calendar time
 * was simulated; it is written either way, so that every set has every file.
 * @return 0; DS_ERR_IO with the file and the reason in diag; DS_ERR_REFUSED
 *         (a name in dir is not a regular file); DS_ERR_NOMEM. On failure
 *         nothing is left of it.
 */
int ds_report_write(ds_report_t *self, const char *dir, const ds_run_key_t *key,
                    const ds_result_t *results, int n_results, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief ds_report_write a result at a time, so that a file of many scenarios
 *        needs no result held: begin (the files opened, in temporary names,
 *        and their headers), add each result's rows, end (every file
 *        finished). On failure nothing is left of it.
 */
int ds_report_begin(ds_report_t *self, const char *dir, ds_diag_t *diag) DS_WARN_UNUSED;
void ds_report_add(ds_report_t *self, const ds_run_key_t *key, const ds_result_t *result);
int ds_report_end(ds_report_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Publish the set as a whole into its folder (which must exist); discards it either way. */
int ds_report_publish(ds_report_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Drop an unpublished set: nothing of it is left. */
void ds_report_discard(ds_report_t *self);

/** The cells of summary.csv after the key (its SUMMARY values), for one result. */
void ds_report_summary_values(ds_csv_row_t *row, const ds_run_key_t *key, const ds_result_t *r);

/** The cells of one doses.csv row after the key: level 0 is the none row, else 1..n_levels. */
void ds_report_dose_values(ds_csv_row_t *row, const ds_run_key_t *key, const ds_result_t *r,
                           int level);

/** The stage's and the response's characteristics of one result with p_response
 *  (optimisation.csv's numbers), under the key's options, target and calendar:
 *  as ds_optimise_oc_compute. */
int ds_report_optimise_oc(const ds_run_key_t *key, const ds_result_t *r,
                          ds_optimise_oc_t *out) DS_WARN_UNUSED;

/** A table's header line (schema.h), with its per-level columns for n_levels levels. */
void ds_report_header(FILE *file, ds_table_id_t table, int n_levels);

#endif

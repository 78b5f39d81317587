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

#include "dosesim/design.h"
#include "dosesim/error.h"
#include "dosesim/fileio.h"
#include "dosesim/oc.h"
#include "dosesim/scenario.h"
#include "dosesim/schema.h"
#include "dosesim/timing.h"

/** Characteristics of one scenario, ready to report. */
typedef struct {
    const ds_scenario_t *scenario;
    const ds_oc_t *oc;
} ds_result_t;

/** What the results were obtained with, written beside them. */
typedef struct {
    const ds_design_t *design;
    uint64_t seed;             /**< Monte Carlo seed (left empty for exact results) */
    double overdose_limit;     /**< doses with p_dlt above it count as overdoses */
    const ds_timing_t *timing; /**< the calendar model, or NULL (written only when timed) */
} ds_run_info_t;

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
 * duration.csv (scenario, days_from, days_to, prob: the distribution of the
 * trial's duration over the tally's bins, 0.1% wide, empty ones left out) has
 * rows only when calendar time was simulated; it is written either way, so
 * that every set has every file.
 * @return 0; DS_ERR_IO with the file and the reason in diag; DS_ERR_REFUSED
 *         (a name in dir is not a regular file); DS_ERR_NOMEM. On failure
 *         nothing is left of it.
 */
int ds_report_write(ds_report_t *self, const char *dir, const ds_run_info_t *info,
                    const ds_result_t *results, int n_results, ds_diag_t *diag) DS_WARN_UNUSED;

/** Publish the set as a whole into its folder (which must exist); discards it either way. */
int ds_report_publish(ds_report_t *self, ds_diag_t *diag) DS_WARN_UNUSED;

/** Drop an unpublished set: nothing of it is left. */
void ds_report_discard(ds_report_t *self);

#endif

/**
 * @file shard.h
 * @brief Partial results: the integer tallies of a share of a run's blocks,
 *        with everything needed to check that shards belong together.
 *
 * `dosesim run --shard I/N` runs blocks [floor((I-1)B/N), floor(IB/N)) of the
 * run's B blocks and writes a shard file; `dosesim merge` adds N of them. A
 * shard file is CSV, one record per line, first field naming the record:
 *
 *     dosesim_shard,5                        (format 1 had no CONDUCT, 2 no sha256, 3 no
 *                                             patients treated per level in timed tallies
 *                                             nor accuracy counters; 4 no scenario order,
 *                                             amounts or units, and an overdose_limit)
 *     shard,I,N
 *     blocks,FIRST,END
 *     scenario_file,PATH,CONTENT_HASH        (16 hex digits, ds_hash64 of the file)
 *     n_trials,N
 *     seed,S
 *     design,NAME,CONDUCT,DEESCALATE,TOP_DOSE,START
 *                                            (cohorts|rolling6, yes|no, expand|accept, from 1)
 *     stages,N_CUM,ESC_MAX,TOX_MIN,...       (the rule table, a triple per stage)
 *     timing,on|off,WINDOW,ACCRUAL,ONSET,SHAPE,DROPOUT   (the calendar model)
 *     scenarios,COUNT
 *     then per scenario:
 *       scenario,NAME,N_LEVELS,MAX_N,ORDER,HAS_AMOUNTS,HAS_UNITS (0 or 1 each)
 *       dose,LEVEL,LABEL,P_DLT,AMOUNT,UNIT   (one per level, in order; empty without)
 *       tally,LEN,COUNT_0,...,COUNT_LEN-1     (ds_tally_t's counters, wide ones normalised;
 *                                             they must add up: ds_tally_counts_agree; the accuracy counters know no target)
 *     end
 *     sha256,HEX                             (SHA-256 of every byte before this line)
 *
 * The checksum finds a shard edited or damaged after it was written (it is a
 * check of integrity, not a signature: whoever edits a shard on purpose can
 * compute it again; merge's other checks then still compare the shards with
 * one another).
 */
#ifndef DOSESIM_SHARD_H
#define DOSESIM_SHARD_H

#include <stdint.h>

#include "dosesim/design.h"
#include "dosesim/optimise.h"
#include "dosesim/error.h"
#include "dosesim/scenario.h"
#include "dosesim/tally.h"
#include "dosesim/timing.h"

/** Version of the shard file format written, and the only one read: 7 since
 *  the calendar stream was seeded apart (engine.h), so that a timed shard of
 *  format 6, drawn on the old stream, is never merged with new ones. */
#define DS_SHARD_FORMAT 7
/** The last record: the SHA-256 of the file before it. */
#define DS_SHARD_CHECKSUM_RECORD "sha256"
/** Longest scenario-file path a shard records, in bytes. */
#define DS_SHARD_MAX_PATH 4096
/** Largest shard file read, in bytes. */
#define DS_SHARD_MAX_BYTES (256L * 1024L * 1024L)
/** Most shards a run may be split into. */
#define DS_MAX_SHARDS 1000000u

/** A shard: what was run, and its tallies (one per scenario, in the run's order). */
typedef struct {
    uint32_t index; /**< I of --shard I/N, from 1 */
    uint32_t count; /**< N */
    uint64_t first_block, end_block;
    uint64_t n_trials;
    uint64_t seed;
    ds_design_t design;
    ds_timing_t timing;
    /** The randomised stage's options (optimise.h): written, in an optimise
     *  record, only when some scenario gives p_response; else the defaults. */
    ds_optimise_t optimise;
    const char *scenario_path;
    uint64_t scenario_hash;
    int n_scenarios;
    const ds_scenario_t **scenarios; /**< [n_scenarios] */
    ds_tally_t *tallies;             /**< [n_scenarios] */
    ds_scenario_file_t owned;        /**< the scenarios' copies, when read from a file */
} ds_shard_t;

/** The blocks [*first, *end) of shard index (from 1) of count in a run of n_trials. */
void ds_shard_blocks(uint64_t n_trials, uint32_t index, uint32_t count, uint64_t *first,
                     uint64_t *end);

/** Write a shard file (all or nothing, as every dosesim output). */
int ds_shard_write(const ds_shard_t *self, const char *path, ds_diag_t *diag) DS_WARN_UNUSED;

/**
 * @brief Read a shard file, checking its checksum, then record by record
 *        (flags: ds_read_file's, DS_READ_IN_FOLDER for a file found in a folder).
 * @return 0; DS_ERR_IO; DS_ERR_PARSE with file, line and field in diag; DS_ERR_NOMEM.
 *         Free with ds_shard_free() whatever the result.
 */
int ds_shard_read(ds_shard_t *self, const char *path, unsigned flags,
                  ds_diag_t *diag) DS_WARN_UNUSED;

/** Parse shard text from memory (its checksum first); path is used in messages only. */
int ds_shard_parse(ds_shard_t *self, const char *path, const char *text, size_t len,
                   ds_diag_t *diag) DS_WARN_UNUSED;

/** Free what ds_shard_read() or ds_shard_parse() allocated. */
void ds_shard_free(ds_shard_t *self);

/**
 * @brief Whether shard b belongs to the same run as shard a: the scenario file,
 *        seed, trials, design, calendar, shard count, and every scenario's name,
 *        levels, labels and p_dlt.
 * @return 0, or DS_ERR_INCOMPATIBLE with what differs in diag, naming path_b as
 *         the one that differs and path_a for what it was compared with.
 */
int ds_shard_check_compatible(const ds_shard_t *a, const char *path_a, const ds_shard_t *b,
                              const char *path_b, ds_diag_t *diag) DS_WARN_UNUSED;

#endif

/* Shard files: a share of a run's tallies, written so that a merge can prove
 * the shards belong together and add up to the whole run. The reader checks
 * every record and names the file, line and record of anything wrong: shard
 * files travel between machines and may be truncated, mixed up or edited. */
#include "dosesim/presets.h"
#include "dosesim/shard.h"

#include "dosesim/backfill.h"
#include "dosesim/interval.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/engine.h"
#include "dosesim/fileio.h"
#include "dosesim/csv.h"
#include "dosesim/schema.h"
#include "dosesim/sha256.h"
#include "dosesim/text.h"

void ds_shard_blocks(uint64_t n_trials, uint32_t index, uint32_t count, uint64_t *first,
                     uint64_t *end)
{
    uint64_t blocks = ds_engine_n_blocks(n_trials);
    /* blocks * index < 2^53 / 4096 * 10^6 < 2^64 */
    *first = blocks * (index - 1u) / count;
    *end = blocks * index / count;
}

/* Trials in blocks [first, end) of a run of n_trials. */
static uint64_t trials_in_blocks(uint64_t n_trials, uint64_t first, uint64_t end)
{
    uint64_t lo = first * DS_BLOCK_TRIALS, hi = end * DS_BLOCK_TRIALS;
    lo = lo < n_trials ? lo : n_trials;
    hi = hi < n_trials ? hi : n_trials;
    return hi - lo;
}

/* The records of a shard, in the order written and read; their first cells. */
enum {
    REC_FORMAT,
    REC_SHARD,
    REC_BLOCKS,
    REC_SCENARIO_FILE,
    REC_N_TRIALS,
    REC_SEED,
    REC_DESIGN,
    REC_DECISIONS, /* a user's decision table only */
    REC_STAGES,
    REC_TIMING,
    REC_SCENARIOS,
    REC_SCENARIO, /* or end, once all are read */
    REC_DOSE,
    REC_TALLY,
    REC_NOTHING, /* "end" read: nothing may follow */
};
static const char *const record_names[] = {
    "dosesim_shard", "shard",    "blocks",    "scenario_file", "n_trials",
    "seed",          "design",   "decisions", "stages",        "timing",
    "scenarios",     "scenario", "dose",      "tally",         "end",
};

#define TIMING_ON "on"
#define TIMING_OFF "off"
/* Written between timing and scenarios when a scenario gives p_response (so
 * that shards without one are the bytes they always were). */
#define OPTIMISE_RECORD "optimise"

/* Whether any scenario of the shard gives a second outcome. */
static bool any_response(const ds_shard_t *self)
{
    for (int k = 0; k < self->n_scenarios; k++) {
        if (self->scenarios[k]->p_response != NULL) {
            return true;
        }
    }
    return false;
}

/* ---- writing ---- */

/* The records of a shard, as text, into file; false when out of memory. */
static bool write_records(const ds_shard_t *self, FILE *file)
{
    ds_csv_row_t w = {.file = file, .at_start = true};
    const ds_design_t *d = &self->design;
    char hash[17];
    snprintf(hash, sizeof(hash), "%016" PRIx64, self->scenario_hash);
    fprintf(file, "%s,%d\n", record_names[REC_FORMAT], DS_SHARD_FORMAT);
    fprintf(file, "%s,%" PRIu32 ",%" PRIu32 "\n", record_names[REC_SHARD], self->index,
            self->count);
    fprintf(file, "%s,%" PRIu64 ",%" PRIu64 "\n", record_names[REC_BLOCKS], self->first_block,
            self->end_block);
    ds_csv_text(&w, record_names[REC_SCENARIO_FILE]);
    ds_csv_text(&w, self->scenario_path);
    ds_csv_text(&w, hash);
    ds_csv_end(&w);
    fprintf(file, "%s,%" PRIu64 "\n%s,%" PRIu64 "\n", record_names[REC_N_TRIALS], self->n_trials,
            record_names[REC_SEED], self->seed);
    ds_csv_text(&w, record_names[REC_DESIGN]);
    ds_csv_text(&w, d->name);
    ds_csv_text(&w, d->family->name);
    ds_csv_text(&w, d->deescalate ? DS_YES : DS_NO);
    ds_csv_text(&w, ds_top_dose_name(d->top_dose));
    ds_csv_int(&w, d->start_level + 1);
    if (ds_design_is_interval(d)) {
        /* An interval design is its name (every option) at its target. */
        ds_csv_double(&w, d->interval.target);
    }
    ds_csv_end(&w);
    if (d->interval.kind == DS_INTERVAL_TABLE) {
        /* A user's table is not rebuilt from its name: the shard carries it,
         * as the CSV its reader reads, with the options that go with it. */
        size_t table_len = 0;
        char *table = ds_interval_table_csv(&d->interval, &table_len);
        if (table == NULL) {
            return false;
        }
        ds_csv_text(&w, record_names[REC_DECISIONS]);
        ds_csv_int(&w, d->interval.cohort_size);
        ds_csv_int(&w, d->interval.n_earlystop);
        ds_csv_int(&w, d->interval.max_n);
        ds_csv_text(&w, table);
        ds_csv_end(&w);
        free(table);
    }
    ds_csv_text(&w, record_names[REC_STAGES]);
    for (int s = 0; s < d->n_stages; s++) {
        ds_csv_int(&w, d->stages[s].n_cum);
        ds_csv_int(&w, d->stages[s].esc_max);
        ds_csv_int(&w, d->stages[s].tox_min);
    }
    ds_csv_end(&w);
    const ds_timing_t *timing = &self->timing;
    ds_csv_text(&w, record_names[REC_TIMING]);
    ds_csv_text(&w, timing->on ? TIMING_ON : TIMING_OFF);
    ds_csv_double(&w, timing->window_days);
    ds_csv_double(&w, timing->accrual_per_30);
    ds_csv_text(&w,
                timing->onset == DS_ONSET_WEIBULL ? DS_ONSET_WEIBULL_NAME : DS_ONSET_UNIFORM_NAME);
    ds_csv_double(&w, timing->weibull_shape);
    ds_csv_double(&w, timing->dropout);
    ds_csv_int(&w, timing->backfill_max);
    ds_csv_end(&w);
    if (any_response(self)) {
        ds_csv_text(&w, OPTIMISE_RECORD);
        ds_csv_int(&w, self->optimise.n_per_arm);
        ds_csv_double(&w, self->optimise.delta);
        ds_csv_double(&w, self->optimise.response_days);
        ds_csv_end(&w);
    }
    fprintf(file, "%s,%d\n", record_names[REC_SCENARIOS], self->n_scenarios);
    for (int k = 0; k < self->n_scenarios; k++) {
        const ds_scenario_t *sc = self->scenarios[k];
        const ds_tally_t *t = &self->tallies[k];
        ds_csv_text(&w, record_names[REC_SCENARIO]);
        ds_csv_text(&w, sc->name);
        ds_csv_int(&w, sc->n_levels);
        ds_csv_int(&w, t->max_n);
        /* What the results carry of the scenario file (and its run_id hashes). */
        ds_csv_int(&w, sc->order);
        ds_csv_int(&w, sc->dose_amount != NULL);
        ds_csv_int(&w, sc->dose_units != NULL);
        if (sc->p_response != NULL) {
            /* an eighth field: the response's association, 1 + ds_association_t */
            ds_csv_int(&w, 1 + (int)sc->association);
        }
        ds_csv_end(&w);
        for (int level = 0; level < sc->n_levels; level++) {
            ds_csv_text(&w, record_names[REC_DOSE]);
            ds_csv_int(&w, level + 1);
            ds_csv_text(&w, sc->labels[level]);
            ds_csv_double(&w, sc->p_dlt[level]);
            if (sc->dose_amount != NULL) {
                ds_csv_double(&w, sc->dose_amount[level]);
            } else {
                ds_csv_empty(&w);
            }
            ds_csv_text(&w, sc->dose_units != NULL ? sc->dose_units[level] : "");
            if (sc->p_response != NULL) {
                ds_csv_double(&w, sc->p_response[level]);
                if (sc->association_value != NULL) {
                    ds_csv_double(&w, sc->association_value[level]);
                } else {
                    ds_csv_empty(&w);
                }
            }
            ds_csv_end(&w);
        }
        ds_csv_text(&w, record_names[REC_TALLY]);
        ds_csv_u64(&w, t->len);
        for (size_t i = 0; i < t->len; i++) {
            ds_csv_u64(&w, t->count[i]);
        }
        ds_csv_end(&w);
    }
    fprintf(file, "%s\n", record_names[REC_NOTHING]);
    return true;
}

int ds_shard_write(const ds_shard_t *self, const char *path, ds_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    FILE *memory = open_memstream(&text, &len);
    if (memory == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    const bool written = write_records(self, memory);
    if (fclose(memory) != 0 || text == NULL || !written) {
        free(text);
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    /* The checksum of every byte before it: merge finds a shard changed since. */
    char hex[DS_SHA256_HEX_CHARS + 1];
    ds_sha256_hex(text, len, hex);
    ds_outfile_t out;
    int ret = ds_outfile_open(&out, path, 0, diag);
    if (ret == 0) {
        fwrite(text, 1, len, out.file);
        fprintf(out.file, "%s,%s\n", DS_SHARD_CHECKSUM_RECORD, hex);
        ret = ds_outfile_commit(&out, diag);
    }
    ds_outfile_discard(&out);
    free(text);
    return ret;
}

/* ---- reading ---- */

/* The records of a shard file, in the order they must come. */
#define MAX_SCENARIOS_IN_SHARD 100000

typedef struct {
    ds_shard_t *shard;
    const char *path;
    ds_diag_t *diag;
    int err;
    int expect;
    int declared_scenarios;
    int scenario;   /* the scenario being read */
    int next_level; /* the dose record expected next */
    bool optimise_read;
} shard_reader_t;

static int bad(shard_reader_t *r, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int bad(shard_reader_t *r, long line, const char *field, const char *fmt, ...)
{
    char message[DS_DIAG_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    r->err = ds_diag_set(r->diag, DS_ERR_PARSE, r->path, line, field, "%s", message);
    return r->err;
}

/* A whole number in [lo, hi] from field i of the record. */
static int get_u64(shard_reader_t *r, const ds_csv_record_t *rec, int i, uint64_t lo, uint64_t hi,
                   uint64_t *out)
{
    const char *key = rec->fields[0];
    if (!ds_parse_u64(rec->fields[i], out)) {
        return bad(r, rec->line, key, "'%.40s' is not a whole number", rec->fields[i]);
    }
    if (*out < lo || *out > hi) {
        return bad(r, rec->line, key, "%" PRIu64 " is outside %" PRIu64 "..%" PRIu64, *out, lo, hi);
    }
    return 0;
}

static int get_int(shard_reader_t *r, const ds_csv_record_t *rec, int i, int lo, int hi, int *out)
{
    uint64_t value = 0;
    if (lo >= 0) {
        int ret = get_u64(r, rec, i, (uint64_t)lo, (uint64_t)hi, &value);
        *out = (int)value;
        return ret;
    }
    /* -1 is a valid escalation bound: "never escalate at this stage". */
    if (strcmp(rec->fields[i], "-1") == 0 && lo <= -1) {
        *out = -1;
        return 0;
    }
    int ret = get_u64(r, rec, i, 0, (uint64_t)hi, &value);
    *out = (int)value;
    return ret;
}

static int get_probability(shard_reader_t *r, const ds_csv_record_t *rec, int i, double *out)
{
    if (!ds_parse_double(rec->fields[i], out) || *out < 0.0 || *out > 1.0) {
        return bad(r, rec->line, rec->fields[0], "'%.40s' is not a probability in [0, 1]",
                   rec->fields[i]);
    }
    return 0;
}

static char *copy_text(shard_reader_t *r, const ds_csv_record_t *rec, int i, size_t max_len)
{
    char why[200];
    if (rec->lengths[i] == 0 || rec->lengths[i] > max_len) {
        bad(r, rec->line, rec->fields[0], "field %d is empty or longer than %zu bytes", i + 1,
            max_len);
        return NULL;
    }
    if (ds_text_problem(rec->fields[i], rec->lengths[i], why, sizeof(why)) != NULL) {
        bad(r, rec->line, rec->fields[0], "field %d %s", i + 1, why);
        return NULL;
    }
    char *copy = malloc(rec->lengths[i] + 1);
    if (copy == NULL) {
        r->err = ds_diag_set(r->diag, DS_ERR_NOMEM, r->path, rec->line, "", "out of memory");
        return NULL;
    }
    memcpy(copy, rec->fields[i], rec->lengths[i] + 1);
    return copy;
}

static int read_header_record(shard_reader_t *r, const ds_csv_record_t *rec)
{
    ds_shard_t *s = r->shard;
    uint64_t a = 0, b = 0;
    int start = 0;
    switch (r->expect) {
    case REC_FORMAT:
        if (get_u64(r, rec, 1, 1, UINT32_MAX, &a) != 0) {
            return r->err;
        }
        if (a != DS_SHARD_FORMAT) {
            return bad(r, rec->line, rec->fields[0],
                       "format %" PRIu64 "; this dosesim reads format %d (run the shards again "
                       "with this version)",
                       a, DS_SHARD_FORMAT);
        }
        return 0;
    case REC_SHARD:
        if (get_u64(r, rec, 2, 1, DS_MAX_SHARDS, &b) != 0 || get_u64(r, rec, 1, 1, b, &a) != 0) {
            return r->err;
        }
        s->index = (uint32_t)a;
        s->count = (uint32_t)b;
        return 0;
    case REC_BLOCKS:
        if (get_u64(r, rec, 1, 0, UINT64_MAX, &s->first_block) != 0 ||
            get_u64(r, rec, 2, s->first_block, UINT64_MAX, &s->end_block) != 0) {
            return r->err;
        }
        return 0;
    case REC_SCENARIO_FILE: {
        s->owned.path = copy_text(r, rec, 1, DS_SHARD_MAX_PATH);
        s->scenario_path = s->owned.path;
        const char *hex = rec->fields[2];
        char *end = NULL;
        if (s->owned.path == NULL) {
            return r->err;
        }
        if (strlen(hex) != 16 || strspn(hex, "0123456789abcdef") != 16) {
            return bad(r, rec->line, rec->fields[0], "'%.40s' is not 16 hexadecimal digits", hex);
        }
        s->scenario_hash = strtoull(hex, &end, 16);
        s->owned.content_hash = s->scenario_hash;
        return 0;
    }
    case REC_N_TRIALS:
        if (get_u64(r, rec, 1, 1, DS_MAX_TRIALS, &s->n_trials) != 0) {
            return r->err;
        }
        ds_shard_blocks(s->n_trials, s->index, s->count, &a, &b);
        if (a != s->first_block || b != s->end_block) {
            return bad(r, rec->line, "blocks",
                       "shard %" PRIu32 "/%" PRIu32 " of %" PRIu64 " trials runs blocks %" PRIu64
                       "..%" PRIu64 ", not %" PRIu64 "..%" PRIu64,
                       s->index, s->count, s->n_trials, a, b, s->first_block, s->end_block);
        }
        return 0;
    case REC_SEED:
        return get_u64(r, rec, 1, 0, UINT64_MAX, &s->seed);
    case REC_DESIGN:
        if (rec->n_fields != 6 && rec->n_fields != 7) {
            return bad(r, rec->line, rec->fields[0],
                       "%d fields, expected 6 (7 for an interval "
                       "design: its target)",
                       rec->n_fields);
        }
        if (rec->lengths[1] == 0 || rec->lengths[1] >= sizeof(s->design.name)) {
            return bad(r, rec->line, rec->fields[0], "the design name is empty or too long");
        }
        memcpy(s->design.name, rec->fields[1], rec->lengths[1] + 1);
        s->design.family = ds_family_by_name(rec->fields[2]);
        if (s->design.family == NULL) {
            char names[128];
            ds_family_names(names, sizeof(names));
            return bad(r, rec->line, rec->fields[0], "conduct '%.20s' is not %s", rec->fields[2],
                       names);
        }
        if (strcmp(rec->fields[3], DS_YES) != 0 && strcmp(rec->fields[3], DS_NO) != 0) {
            return bad(r, rec->line, rec->fields[0], "de-escalation '%.20s' is not yes or no",
                       rec->fields[3]);
        }
        s->design.deescalate = strcmp(rec->fields[3], DS_YES) == 0;
        if (strcmp(rec->fields[4], DS_TOP_DOSE_EXPAND_NAME) != 0 &&
            strcmp(rec->fields[4], DS_TOP_DOSE_ACCEPT_NAME) != 0) {
            return bad(r, rec->line, rec->fields[0], "top dose '%.20s' is not expand or accept",
                       rec->fields[4]);
        }
        s->design.top_dose =
            strcmp(rec->fields[4], DS_TOP_DOSE_ACCEPT_NAME) == 0 ? DS_TOP_ACCEPT : DS_TOP_EXPAND;
        if (get_int(r, rec, 5, 1, DS_MAX_LEVELS, &start) != 0) {
            return r->err;
        }
        s->design.start_level = start - 1;
        if ((s->design.family == &ds_family_interval) != (rec->n_fields == 7)) {
            return bad(r, rec->line, rec->fields[0],
                       "an interval design records its target, and only an interval design");
        }
        if (rec->n_fields == 7) {
            double target = 0.0;
            ds_diag_t why;
            const bool user_table = strncmp(s->design.name, DS_INTERVAL_TABLE_PREFIX,
                                            strlen(DS_INTERVAL_TABLE_PREFIX)) == 0;
            if (ds_parse_double(rec->fields[6], &target) && user_table) {
                /* built from the decisions record that follows, which checks the name */
                char recorded[sizeof(s->design.name)];
                memcpy(recorded, s->design.name, sizeof(recorded));
                ds_interval_set(&s->design, DS_INTERVAL_TABLE, target);
                memcpy(s->design.name, recorded, sizeof(recorded));
            } else if (!ds_parse_double(rec->fields[6], &target) ||
                       ds_interval_from_name(&s->design, s->design.name, target, &why) != 0) {
                return bad(r, rec->line, rec->fields[0],
                           "'%.60s' at target '%.20s' is not an interval design dosesim builds",
                           s->design.name, rec->fields[6]);
            }
        }
        return 0;
    case REC_DECISIONS: {
        ds_interval_rules_t *rules = &s->design.interval;
        ds_diag_t why;
        /* A copy: the reader writes the design's name from the path it is given. */
        char recorded[sizeof(s->design.name)];
        memcpy(recorded, s->design.name, sizeof(recorded));
        const char *name = recorded + strlen(DS_INTERVAL_TABLE_PREFIX);
        if (get_int(r, rec, 1, 1, DS_MAX_PATIENTS_PER_LEVEL, &rules->cohort_size) != 0 ||
            get_int(r, rec, 2, 1, INT_MAX, &rules->n_earlystop) != 0 ||
            get_int(r, rec, 3, 1, DS_MAX_PATIENTS_PER_LEVEL, &rules->max_n) != 0) {
            return r->err;
        }
        if (ds_interval_parse_table(&s->design, name, rec->fields[4], rec->lengths[4], &why) != 0 ||
            ds_interval_build(&s->design, &why) != 0) {
            return bad(r, rec->line, rec->fields[0],
                       "the decision table it records (its line %ld, field '%s'): %s", why.line,
                       why.field, why.message);
        }
        if (strcmp(recorded, s->design.name) != 0) {
            return bad(r, rec->line, rec->fields[0], "the design '%.60s' is not named by a file",
                       recorded);
        }
        return 0;
    }
    case REC_STAGES:
        if ((rec->n_fields - 1) % 3 != 0 || rec->n_fields < 4 ||
            rec->n_fields > 1 + 3 * DS_MAX_STAGES) {
            return bad(r, rec->line, rec->fields[0], "expected 1 to %d triples of numbers",
                       DS_MAX_STAGES);
        }
        s->design.n_stages = (rec->n_fields - 1) / 3;
        for (int k = 0; k < s->design.n_stages; k++) {
            ds_stage_t *st = &s->design.stages[k];
            if (get_int(r, rec, 1 + 3 * k, 1, DS_MAX_PATIENTS_PER_LEVEL, &st->n_cum) != 0 ||
                get_int(r, rec, 2 + 3 * k, -1, DS_MAX_PATIENTS_PER_LEVEL, &st->esc_max) != 0 ||
                get_int(r, rec, 3 + 3 * k, 0, DS_MAX_PATIENTS_PER_LEVEL + 1, &st->tox_min) != 0) {
                return r->err;
            }
        }
        if (s->design.family == &ds_family_interval &&
            (s->design.n_stages != 1 ||
             s->design.stages[0].n_cum != s->design.interval.cohort_size)) {
            return bad(r, rec->line, rec->fields[0],
                       "an interval design's one stage is its cohort of %d",
                       s->design.interval.cohort_size);
        }
        return 0;
    case REC_TIMING: {
        ds_timing_t *t = &s->timing;
        ds_timing_set_defaults(t);
        if ((strcmp(rec->fields[1], TIMING_ON) != 0 && strcmp(rec->fields[1], TIMING_OFF) != 0) ||
            (strcmp(rec->fields[4], DS_ONSET_UNIFORM_NAME) != 0 &&
             strcmp(rec->fields[4], DS_ONSET_WEIBULL_NAME) != 0) ||
            !ds_parse_double(rec->fields[2], &t->window_days) ||
            !ds_parse_double(rec->fields[3], &t->accrual_per_30) ||
            !ds_parse_double(rec->fields[5], &t->weibull_shape) ||
            !ds_parse_double(rec->fields[6], &t->dropout)) {
            return bad(r, rec->line, rec->fields[0],
                       "expected on|off, window, accrual, "
                       "uniform|weibull, shape, dropout, backfill_max");
        }
        if (get_int(r, rec, 7, 0, DS_MAX_BACKFILL, &t->backfill_max) != 0) {
            return r->err;
        }
        t->on = strcmp(rec->fields[1], TIMING_ON) == 0;
        t->onset = strcmp(rec->fields[4], DS_ONSET_WEIBULL_NAME) == 0 ? DS_ONSET_WEIBULL
                                                                      : DS_ONSET_UNIFORM;
        ds_diag_t why;
        if (ds_timing_check(t, &why) != 0 || ds_backfill_check(t, &s->design, &why) != 0) {
            return bad(r, rec->line, rec->fields[0], "%s: %s", why.field, why.message);
        }
        return 0;
    }
    case REC_SCENARIOS: {
        int count = 0;
        if (get_int(r, rec, 1, 1, MAX_SCENARIOS_IN_SHARD, &count) != 0) {
            return r->err;
        }
        r->declared_scenarios = count;
        s->owned.scenarios = calloc((size_t)count, sizeof(*s->owned.scenarios));
        s->scenarios = calloc((size_t)count, sizeof(*s->scenarios));
        s->tallies = calloc((size_t)count, sizeof(*s->tallies));
        if (s->owned.scenarios == NULL || s->scenarios == NULL || s->tallies == NULL) {
            r->err = ds_diag_set(r->diag, DS_ERR_NOMEM, r->path, rec->line, "", "out of memory");
        }
        return r->err;
    }
    default:
        return bad(r, rec->line, "", "internal: unexpected state");
    }
}

/* How many fields each record has (0: any number, checked by its reader). */
static int fields_of(int expect)
{
    /* design: 6 or 7 fields */
    static const int counts[] = {2, 3, 3, 3, 2, 2, 0, 5, 0, 8, 2, 7, 6, 0, 1};
    return counts[expect];
}

/* Whether wide counter a (normalised limbs, least significant first) is at least b. */
static bool wide_at_least(const uint64_t *a, const uint64_t *b)
{
    for (int i = DS_WIDE_LIMBS - 1; i >= 0; i--) {
        if (a[i] != b[i]) {
            return a[i] > b[i];
        }
    }
    return true;
}

/* Whether a tally's accuracy counters (ds_tally_add_exposure) agree with its
 * trials and sample sizes, as any honest count does: at cut 0 every patient is
 * above (more than 60% and 80% of any trial that has one), at the last cut
 * none; fewer trials pass 80% than 60%, and fewer at each higher cut; the
 * squares of all patients, above cut 0 and below the last, are the same sum.
 * They count patients treated (ds_trial_exposure), the histogram evaluable
 * ones: without calendar time the two are one, so that sum is the histogram's
 * sum of n^2 and the trials with patients those with n > 0; with it a trial
 * treats at least its evaluable patients (those who left early are replaced),
 * so the sum is at least the histogram's, and the trials with patients at
 * least those with n > 0. Another check against corruption. */
static bool accuracy_counters_fit(const ds_tally_t *t)
{
    const uint64_t *c = t->count;
    const uint64_t *over60 = c + ds_tally_share_at(t, DS_SHARE_60);
    const uint64_t *over80 = c + ds_tally_share_at(t, DS_SHARE_80);
    const uint64_t *hist = c + ds_tally_hist_at(t);
    const uint64_t trials = c[DS_TALLY_TRIALS];
    const uint64_t with_patients = trials - hist[0];
    const int last = t->n_levels;
    bool fit =
        over60[0] == over80[0] && over60[last] == 0 && over80[last] == 0 &&
        (t->timed ? over60[0] >= with_patients && over60[0] <= trials : over60[0] == with_patients);
    for (int m = 0; fit && m < last; m++) {
        fit = over80[m] <= over60[m] && over60[m + 1] <= over60[m] && over80[m + 1] <= over80[m];
    }
    uint64_t all_sq[DS_WIDE_LIMBS] = {0};
    for (int k = 1; k <= t->max_n; k++) {
        ds_tally_wide_add_product(all_sq, hist[k], (uint64_t)k * (uint64_t)k);
    }
    const uint64_t *all_above = c + ds_tally_square_at(t, DS_SQUARE_ABOVE, 0);
    const uint64_t *all_below = c + ds_tally_square_at(t, DS_SQUARE_BELOW, last);
    const uint64_t *none_above = c + ds_tally_square_at(t, DS_SQUARE_ABOVE, last);
    const uint64_t *none_below = c + ds_tally_square_at(t, DS_SQUARE_BELOW, 0);
    for (int i = 0; fit && i < DS_WIDE_LIMBS; i++) {
        fit = all_above[i] == all_below[i] && (t->timed || all_above[i] == all_sq[i]) &&
              none_above[i] == 0 && none_below[i] == 0;
    }
    return fit && wide_at_least(all_above, all_sq);
}

/* A dose record's p_response and association (fields 6 and 7), checked as a
 * scenario file's are. */
static int read_dose_response(shard_reader_t *r, const ds_csv_record_t *rec, ds_scenario_t *sc,
                              int level)
{
    if (get_probability(r, rec, 6, &sc->p_response[level]) != 0) {
        return r->err;
    }
    if (sc->association_value == NULL) {
        return rec->lengths[7] == 0
                   ? 0
                   : bad(r, rec->line, rec->fields[0], "an association for a scenario without one");
    }
    double *value = &sc->association_value[level];
    if (!ds_parse_double(rec->fields[7], value) || !isfinite(*value)) {
        return bad(r, rec->line, rec->fields[0], "'%.40s' is not a number", rec->fields[7]);
    }
    const double p = sc->p_dlt[level], q = sc->p_response[level];
    const bool fits = sc->association == DS_ASSOCIATION_ODDS_RATIO
                          ? *value > 0.0
                          : *value >= fmax(0.0, p + q - 1.0) - DS_JOINT_EPS &&
                                *value <= fmin(p, q) + DS_JOINT_EPS;
    return fits ? 0
                : bad(r, rec->line, rec->fields[0],
                      "'%.40s' is not an association the scenario "
                      "file could give",
                      rec->fields[7]);
}

static int read_scenario_records(shard_reader_t *r, const ds_csv_record_t *rec)
{
    ds_shard_t *s = r->shard;
    if (r->expect == REC_SCENARIO) {
        ds_scenario_t *sc = &s->owned.scenarios[r->scenario];
        int n_levels = 0, max_n = 0;
        s->owned.n_scenarios = r->scenario + 1; /* counted first, so an error frees what it has */
        sc->name = copy_text(r, rec, 1, DS_MAX_NAME);
        if (sc->name == NULL || get_int(r, rec, 2, 1, DS_MAX_LEVELS, &n_levels) != 0) {
            return r->err;
        }
        int ret = ds_design_check(&s->design, n_levels, r->diag);
        if (ret != 0) {
            return bad(r, rec->line, "design", "%s (with %d levels)", r->diag->message, n_levels);
        }
        if (get_int(r, rec, 3, 0, INT32_MAX, &max_n) != 0) {
            return r->err;
        }
        if (max_n != ds_backfill_max_patients(&s->timing, &s->design, n_levels)) {
            return bad(r, rec->line, rec->fields[0],
                       "largest sample size %d does not fit the design over %d levels", max_n,
                       n_levels);
        }
        int order = 0, has_amounts = 0, has_units = 0, response = 0;
        if (get_int(r, rec, 4, 0, INT32_MAX, &order) != 0 ||
            get_int(r, rec, 5, 0, 1, &has_amounts) != 0 ||
            get_int(r, rec, 6, 0, 1, &has_units) != 0 ||
            (rec->n_fields == 8 && get_int(r, rec, 7, 1, 3, &response) != 0)) {
            return r->err;
        }
        if (response != 0 && !r->optimise_read) {
            return bad(r, rec->line, rec->fields[0],
                       "a scenario with response rates in a shard without an '%s' record",
                       OPTIMISE_RECORD);
        }
        sc->order = order;
        if (response != 0) {
            sc->association = (ds_association_t)(response - 1);
            sc->p_response = calloc((size_t)n_levels, sizeof(double));
            const bool associated = sc->association != DS_ASSOCIATION_INDEPENDENT;
            sc->association_value = associated ? calloc((size_t)n_levels, sizeof(double)) : NULL;
            if (sc->p_response == NULL || (associated && sc->association_value == NULL)) {
                return r->err = ds_diag_set(r->diag, DS_ERR_NOMEM, r->path, rec->line, "",
                                            "out of memory");
            }
        }
        sc->labels = calloc((size_t)n_levels, sizeof(*sc->labels));
        sc->p_dlt = calloc((size_t)n_levels, sizeof(*sc->p_dlt));
        sc->dose_amount = has_amounts ? calloc((size_t)n_levels, sizeof(double)) : NULL;
        sc->dose_units = has_units ? calloc((size_t)n_levels, sizeof(char *)) : NULL;
        if (sc->labels == NULL || sc->p_dlt == NULL || (has_amounts && sc->dose_amount == NULL) ||
            (has_units && sc->dose_units == NULL)) {
            return r->err =
                       ds_diag_set(r->diag, DS_ERR_NOMEM, r->path, rec->line, "", "out of memory");
        }
        sc->n_levels = n_levels;
        sc->line = rec->line;
        s->scenarios[r->scenario] = sc;
        ret = ds_tally_init(&s->tallies[r->scenario], n_levels, max_n, s->timing.on);
        if (ret != 0) {
            return r->err = ds_diag_set(r->diag, ret, r->path, rec->line, "", "out of memory");
        }
        s->n_scenarios = r->scenario + 1;
        r->next_level = 0;
        r->expect = REC_DOSE;
        return 0;
    }
    ds_scenario_t *sc = &s->owned.scenarios[r->scenario];
    if (r->expect == REC_DOSE) {
        int level = 0;
        if (get_int(r, rec, 1, r->next_level + 1, r->next_level + 1, &level) != 0) {
            return r->err;
        }
        sc->labels[r->next_level] = copy_text(r, rec, 2, DS_MAX_NAME);
        if (sc->labels[r->next_level] == NULL ||
            get_probability(r, rec, 3, &sc->p_dlt[r->next_level]) != 0) {
            return r->err;
        }
        if (sc->dose_amount != NULL) {
            double *amount = &sc->dose_amount[r->next_level];
            if (!ds_parse_double(rec->fields[4], amount) || !(*amount > 0.0) || isinf(*amount)) {
                return bad(r, rec->line, rec->fields[0], "'%.40s' is not a positive dose amount",
                           rec->fields[4]);
            }
        } else if (rec->lengths[4] != 0) {
            return bad(r, rec->line, rec->fields[0], "a dose amount in a scenario without them");
        }
        if (sc->dose_units != NULL) {
            sc->dose_units[r->next_level] = copy_text(r, rec, 5, DS_MAX_NAME);
            if (sc->dose_units[r->next_level] == NULL) {
                return r->err;
            }
        } else if (rec->lengths[5] != 0) {
            return bad(r, rec->line, rec->fields[0], "a dose unit in a scenario without them");
        }
        if ((sc->p_response != NULL) != (rec->n_fields == 8)) {
            return bad(r, rec->line, rec->fields[0], "%d fields, expected %d", rec->n_fields,
                       sc->p_response != NULL ? 8 : 6);
        }
        if (sc->p_response != NULL && read_dose_response(r, rec, sc, r->next_level) != 0) {
            return r->err;
        }
        r->next_level++;
        r->expect = r->next_level == sc->n_levels ? REC_TALLY : REC_DOSE;
        return 0;
    }
    /* REC_TALLY */
    ds_tally_t *t = &s->tallies[r->scenario];
    uint64_t len = 0;
    if (rec->n_fields < 2 || get_u64(r, rec, 1, t->len, t->len, &len) != 0) {
        return r->err != 0 ? r->err
                           : bad(r, rec->line, record_names[REC_TALLY], "no counter count");
    }
    if ((uint64_t)rec->n_fields != 2u + len) {
        return bad(r, rec->line, record_names[REC_TALLY], "%d counters, expected %" PRIu64,
                   rec->n_fields - 2, len);
    }
    for (size_t i = 0; i < t->len; i++) {
        if (get_u64(r, rec, 2 + (int)i, 0, UINT64_MAX, &t->count[i]) != 0) {
            return r->err;
        }
    }
    ds_tally_normalize(t);
    /* The counts must describe the shard's trials: a check against corruption. */
    uint64_t trials = trials_in_blocks(s->n_trials, s->first_block, s->end_block);
    uint64_t decided = 0, sized = 0;
    for (int k = 0; k <= t->n_levels; k++) {
        decided += t->count[DS_TALLY_RP2D + k];
    }
    for (int n = 0; n <= t->max_n; n++) {
        sized += t->count[ds_tally_hist_at(t) + (size_t)n];
    }
    uint64_t timed = trials;
    if (t->timed) {
        timed = 0;
        for (int k = 0; k < DS_DURATION_BINS; k++) {
            timed += t->count[ds_tally_duration_hist_at(t) + (size_t)k];
        }
    }
    if (t->count[DS_TALLY_TRIALS] != trials || decided != trials || sized != trials ||
        timed != trials) {
        return bad(r, rec->line, record_names[REC_TALLY],
                   "the counters do not add up to the shard's %" PRIu64 " trials", trials);
    }
    if (!ds_tally_counts_agree(t)) {
        return bad(r, rec->line, record_names[REC_TALLY],
                   "the patient counters do not add up (treated = evaluable + not evaluable)");
    }
    if (!accuracy_counters_fit(t)) {
        return bad(r, rec->line, record_names[REC_TALLY],
                   "the accuracy counters do not agree with one another");
    }
    r->scenario++;
    r->expect = REC_SCENARIO;
    return 0;
}

/* The optimise record: the stage's options, checked as the command line's. */
static int read_optimise_record(shard_reader_t *r, const ds_csv_record_t *rec)
{
    ds_optimise_t *o = &r->shard->optimise;
    int n = 0;
    if (rec->n_fields != 4) {
        return bad(r, rec->line, OPTIMISE_RECORD, "%d fields, expected 4", rec->n_fields);
    }
    if (get_int(r, rec, 1, 0, DS_MAX_ARM_PATIENTS, &n) != 0) {
        return r->err;
    }
    o->n_per_arm = n;
    ds_diag_t why;
    if (!ds_parse_double(rec->fields[2], &o->delta) ||
        !ds_parse_double(rec->fields[3], &o->response_days) || ds_optimise_check(o, &why) != 0) {
        return bad(r, rec->line, OPTIMISE_RECORD, "expected patients a dose, delta, response days");
    }
    r->optimise_read = true;
    return 0;
}

static int on_shard_record(void *ctx, const ds_csv_record_t *rec)
{
    shard_reader_t *r = ctx;
    const char *key = rec->fields[0];
    bool at_end = r->expect == REC_SCENARIO && r->scenario == r->declared_scenarios;
    const char *wanted = at_end ? record_names[REC_NOTHING] : record_names[r->expect];
    if (r->expect == REC_NOTHING) {
        return bad(r, rec->line, "", "a record after 'end'");
    }
    if (r->expect == REC_SCENARIOS && !r->optimise_read && strcmp(key, OPTIMISE_RECORD) == 0) {
        return read_optimise_record(r, rec);
    }
    if (strcmp(key, wanted) != 0) {
        return bad(r, rec->line, "", "expected a '%s' record, found '%.40s'", wanted,
                   strlen(key) == rec->lengths[0] ? key : "?");
    }
    int fields = at_end ? 1 : fields_of(r->expect);
    /* a scenario record may carry its response's association, a dose record its response */
    if ((r->expect == REC_SCENARIO && rec->n_fields == 8) ||
        (r->expect == REC_DOSE && rec->n_fields == 8)) {
        fields = 8;
    }
    if (fields != 0 && rec->n_fields != fields) {
        return bad(r, rec->line, key, "%d fields, expected %d", rec->n_fields, fields);
    }
    if (at_end) {
        r->expect = REC_NOTHING;
        return 0;
    }
    if (r->expect >= REC_SCENARIO) {
        return read_scenario_records(r, rec);
    }
    int ret = read_header_record(r, rec);
    if (ret == 0) {
        r->expect++;
        if (r->expect == REC_DECISIONS && r->shard->design.interval.kind != DS_INTERVAL_TABLE) {
            r->expect++; /* only a user's decision table has the record */
        }
    }
    return ret;
}

void ds_shard_free(ds_shard_t *self)
{
    for (int k = 0; self->tallies != NULL && k < self->n_scenarios; k++) {
        ds_tally_free(&self->tallies[k]);
    }
    free(self->tallies);
    free(self->scenarios);
    ds_scenario_file_free(&self->owned);
    memset(self, 0, sizeof(*self));
}

/* The bytes the checksum covers, after checking it: 0 with *covered, or an error. */
static int check_checksum(const char *path, const char *text, size_t len, size_t *covered,
                          ds_diag_t *diag)
{
    const size_t record = strlen(DS_SHARD_CHECKSUM_RECORD);
    size_t end = len;
    while (end > 0 && (text[end - 1] == '\n' || text[end - 1] == '\r')) {
        end--;
    }
    size_t start = end;
    while (start > 0 && text[start - 1] != '\n') {
        start--;
    }
    const char *line = text + start;
    size_t line_len = end - start;
    bool hex_digits =
        line_len == record + 1 + DS_SHA256_HEX_CHARS; /* the text need not end in a NUL */
    for (size_t i = record + 1; hex_digits && i < line_len; i++) {
        hex_digits = (line[i] >= '0' && line[i] <= '9') || (line[i] >= 'a' && line[i] <= 'f');
    }
    if (!hex_digits || memcmp(line, DS_SHARD_CHECKSUM_RECORD, record) != 0 || line[record] != ',') {
        return ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                           "the file does not end with its '%s' record (a truncated copy, or "
                           "a shard of another dosesim version?)",
                           DS_SHARD_CHECKSUM_RECORD);
    }
    char hex[DS_SHA256_HEX_CHARS + 1];
    ds_sha256_hex(text, start, hex);
    if (memcmp(hex, line + record + 1, DS_SHA256_HEX_CHARS) != 0) {
        long line_number = 1;
        for (size_t i = 0; i < start; i++) {
            line_number += text[i] == '\n';
        }
        return ds_diag_set(diag, DS_ERR_PARSE, path, line_number, DS_SHARD_CHECKSUM_RECORD,
                           "the checksum does not match the records above it: the shard was "
                           "changed after dosesim wrote it (edited, or damaged in a copy)");
    }
    *covered = start;
    return 0;
}

int ds_shard_parse(ds_shard_t *self, const char *path, const char *text, size_t len,
                   ds_diag_t *diag)
{
    shard_reader_t r = {.shard = self, .path = path, .diag = diag};
    memset(self, 0, sizeof(*self));
    ds_optimise_set_defaults(&self->optimise);
    ds_diag_clear(diag);
    size_t covered = 0;
    int ret = check_checksum(path, text, len, &covered, diag);
    if (ret != 0) {
        return ret;
    }
    ret = ds_csv_read(path, text, covered, on_shard_record, &r, diag);
    if (ret == 0 && r.expect != REC_NOTHING) {
        ret = ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                          "the file ends before its 'end' record (a truncated copy?)");
    }
    return ret;
}

int ds_shard_read(ds_shard_t *self, const char *path, unsigned flags, ds_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    memset(self, 0, sizeof(*self));
    int ret = ds_read_file(path, DS_SHARD_MAX_BYTES, flags, &text, &len, diag);
    if (ret == 0) {
        ret = ds_shard_parse(self, path, text, len, diag);
    }
    free(text);
    return ret;
}

/* ---- compatibility ---- */

/* The interval designs' options and tables, field by field (no padding compared). */
static bool same_interval(const ds_interval_rules_t *a, const ds_interval_rules_t *b)
{
    return a->kind == b->kind && a->cohort_size == b->cohort_size && a->max_n == b->max_n &&
           a->n_earlystop == b->n_earlystop && a->target == b->target && a->p_saf == b->p_saf &&
           a->p_tox == b->p_tox && a->lo == b->lo && a->hi == b->hi &&
           a->cutoff_eli == b->cutoff_eli && a->offset == b->offset &&
           a->extrasafe == b->extrasafe && a->bound_mtd == b->bound_mtd &&
           a->table_n == b->table_n && memcmp(a->esc_max, b->esc_max, sizeof(a->esc_max)) == 0 &&
           memcmp(a->deesc_min, b->deesc_min, sizeof(a->deesc_min)) == 0 &&
           memcmp(a->elim_min, b->elim_min, sizeof(a->elim_min)) == 0 &&
           memcmp(a->stop_min, b->stop_min, sizeof(a->stop_min)) == 0;
}

static bool same_design(const ds_design_t *a, const ds_design_t *b)
{
    return strcmp(a->name, b->name) == 0 && a->deescalate == b->deescalate &&
           a->top_dose == b->top_dose && a->start_level == b->start_level &&
           ds_design_same_table(a, b) && same_interval(&a->interval, &b->interval);
}

int ds_shard_check_compatible(const ds_shard_t *a, const char *path_a, const ds_shard_t *b,
                              const char *path_b, ds_diag_t *diag)
{
    const int err = DS_ERR_INCOMPATIBLE;
    if (a->scenario_hash != b->scenario_hash && strcmp(a->scenario_path, b->scenario_path) == 0) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "the scenario file %s changed between the shards (its contents differ "
                           "from those %s was run on)",
                           b->scenario_path, path_a);
    }
    if (a->scenario_hash != b->scenario_hash) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "comes from another scenario file (%s; %s was run on %s, or its "
                           "contents differ)",
                           b->scenario_path, path_a, a->scenario_path);
    }
    if (a->seed != b->seed) {
        return ds_diag_set(diag, err, path_b, 0, "", "has seed %" PRIu64 ", where %s has %" PRIu64,
                           b->seed, path_a, a->seed);
    }
    if (a->n_trials != b->n_trials) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "is part of a run of %" PRIu64 " trials, %s of %" PRIu64, b->n_trials,
                           path_a, a->n_trials);
    }
    if (!same_design(&a->design, &b->design)) {
        return ds_diag_set(
            diag, err, path_b, 0, "",
            "was run with other design options (%s, de-escalation %s, top dose %s, start %d; "
            "%s: %s, %s, %s, %d)",
            b->design.name, b->design.deescalate ? DS_YES : DS_NO,
            ds_top_dose_name(b->design.top_dose), b->design.start_level + 1, path_a, a->design.name,
            a->design.deescalate ? DS_YES : DS_NO, ds_top_dose_name(a->design.top_dose),
            a->design.start_level + 1);
    }
    /* the stage's options count where there is a response (only then written) */
    if ((any_response(a) || any_response(b)) &&
        (a->optimise.n_per_arm != b->optimise.n_per_arm || a->optimise.delta != b->optimise.delta ||
         a->optimise.response_days != b->optimise.response_days)) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "was run with other --optimise, --delta or --response-days than %s",
                           path_a);
    }
    if (!ds_timing_equal(&a->timing, &b->timing)) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "was run with other calendar-time options (--accrual, --window, "
                           "--dlt-onset, --dropout, --backfill-max) than %s",
                           path_a);
    }
    if (a->count != b->count) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "is one of %" PRIu32 " shards, %s one of %" PRIu32, b->count, path_a,
                           a->count);
    }
    if (a->n_scenarios != b->n_scenarios) {
        return ds_diag_set(diag, err, path_b, 0, "",
                           "covers %d scenarios, %s %d (--scenario differs)", b->n_scenarios,
                           path_a, a->n_scenarios);
    }
    /* The scenarios themselves: the hash says the file is the same, but a shard
     * edited and given a new checksum could still say otherwise. */
    for (int k = 0; k < a->n_scenarios; k++) {
        const ds_scenario_t *x = a->scenarios[k], *y = b->scenarios[k];
        if (strcmp(x->name, y->name) != 0) {
            return ds_diag_set(diag, err, path_b, y->line, "scenario",
                               "scenario %d is '%s', in %s '%s' (--scenario differs)", k + 1,
                               y->name, path_a, x->name);
        }
        if (x->n_levels != y->n_levels || a->tallies[k].max_n != b->tallies[k].max_n) {
            return ds_diag_set(diag, err, path_b, y->line, "scenario",
                               "scenario '%s' has %d dose levels, in %s %d", y->name, y->n_levels,
                               path_a, x->n_levels);
        }
        const bool responses_differ =
            (x->p_response != NULL) != (y->p_response != NULL) || x->association != y->association;
        for (int d = 0; !responses_differ && x->p_response != NULL && d < x->n_levels; d++) {
            if (x->p_response[d] != y->p_response[d] ||
                (x->association_value != NULL &&
                 x->association_value[d] != y->association_value[d])) {
                return ds_diag_set(diag, err, path_b, y->line + 1 + d, record_names[REC_DOSE],
                                   "scenario '%s', level %d has other response rates than in %s",
                                   y->name, d + 1, path_a);
            }
        }
        if (responses_differ) {
            return ds_diag_set(diag, err, path_b, y->line, "scenario",
                               "scenario '%s' gives its response otherwise than in %s", y->name,
                               path_a);
        }
        for (int d = 0; d < x->n_levels; d++) {
            if (strcmp(x->labels[d], y->labels[d]) != 0 || x->p_dlt[d] != y->p_dlt[d]) {
                return ds_diag_set(diag, err, path_b, y->line + 1 + d, record_names[REC_DOSE],
                                   "scenario '%s', level %d is '%s' with p_dlt %g; in %s '%s' "
                                   "with %g",
                                   y->name, d + 1, y->labels[d], y->p_dlt[d], path_a, x->labels[d],
                                   x->p_dlt[d]);
            }
        }
    }
    return 0;
}

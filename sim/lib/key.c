/* The key columns and the run_id (key.h). The run_id's text is written field
 * by field with lengths, so that no two different runs give the same text. */
#include "dosesim/key.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dosesim/version.h"
#include "dosesim/sha256.h"

/* Feeds the hash a labelled field: "name=<length>:<bytes>\n". */
static void hash_text(ds_sha256_t *h, const char *name, const char *text)
{
    char head[64];
    int n = snprintf(head, sizeof(head), "%s=%zu:", name, strlen(text));
    ds_sha256_update(h, head, (size_t)n);
    ds_sha256_update(h, text, strlen(text));
    ds_sha256_update(h, "\n", 1);
}

/* Numbers in C's hex form: exact, and the same on every machine. */
static void hash_double(ds_sha256_t *h, const char *name, double x)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%a", x);
    hash_text(h, name, buf);
}

static void hash_u64(ds_sha256_t *h, const char *name, uint64_t x)
{
    char buf[32];
    snprintf(buf, sizeof(buf), "%" PRIu64, x);
    hash_text(h, name, buf);
}

bool ds_run_key_timed(const ds_run_key_t *self)
{
    return self->timing != NULL && self->timing->on;
}

void ds_run_key_init(ds_run_key_t *self, const char *kind, const ds_design_t *design,
                     ds_method_t method, uint64_t n_trials, uint64_t seed,
                     const ds_timing_t *timing, double target, double target_lo,
                     double target_hi, const ds_scenario_t *const *scenarios, int n_scenarios)
{
    ds_run_key_init_optimise(self, kind, design, method, n_trials, seed, timing, NULL, target,
                             target_lo, target_hi, scenarios, n_scenarios);
}

/* Whether any of the scenarios gives a second outcome (then the stage's options count). */
static bool any_response(const ds_scenario_t *const *scenarios, int n_scenarios)
{
    for (int s = 0; s < n_scenarios; s++) {
        if (scenarios[s]->p_response != NULL) {
            return true;
        }
    }
    return false;
}

void ds_run_key_init_optimise(ds_run_key_t *self, const char *kind, const ds_design_t *design,
                              ds_method_t method, uint64_t n_trials, uint64_t seed,
                              const ds_timing_t *timing, const ds_optimise_t *optimise,
                              double target, double target_lo, double target_hi,
                              const ds_scenario_t *const *scenarios, int n_scenarios)
{
    *self = (ds_run_key_t){.design = design,
                           .optimise = optimise,
                           .method = method,
                           .n_trials = method == DS_METHOD_MC ? n_trials : 0,
                           .seed = method == DS_METHOD_MC ? seed : 0,
                           .timing = timing,
                           .target = target,
                           .target_lo = target_lo,
                           .target_hi = target_hi};
    ds_sha256_t h;
    ds_sha256_init(&h);
    hash_text(&h, "dosesim", DS_VERSION);
    hash_text(&h, "contract", DS_CONTRACT_VERSION);
    hash_text(&h, "kind", kind);
    hash_text(&h, "method", ds_method_name(method));
    hash_text(&h, "family", design->family->name);
    hash_text(&h, "design", design->name);
    for (int k = 0; k < design->n_stages; k++) {
        hash_u64(&h, "n_cum", (uint64_t)design->stages[k].n_cum);
        hash_u64(&h, "esc_max", (uint64_t)design->stages[k].esc_max);
        hash_u64(&h, "tox_min", (uint64_t)design->stages[k].tox_min);
    }
    if (design->interval.kind != DS_INTERVAL_NONE) {
        /* Every option and the whole decision table (a user's table is named
         * by its file only). */
        const ds_interval_rules_t *r = &design->interval;
        hash_u64(&h, "interval_kind", (uint64_t)r->kind);
        hash_u64(&h, "cohort_size", (uint64_t)r->cohort_size);
        hash_u64(&h, "max_n", (uint64_t)r->max_n);
        hash_u64(&h, "n_earlystop", (uint64_t)r->n_earlystop);
        hash_u64(&h, "extrasafe", r->extrasafe);
        hash_u64(&h, "bound_mtd", r->bound_mtd);
        for (int n = 1; n <= r->max_n; n++) {
            hash_u64(&h, "esc_max", (uint64_t)(r->esc_max[n] + 1));
            hash_u64(&h, "deesc_min", (uint64_t)r->deesc_min[n]);
            hash_u64(&h, "elim_min", (uint64_t)r->elim_min[n]);
            hash_u64(&h, "stop_min", (uint64_t)r->stop_min[n]);
        }
    }
    hash_u64(&h, "deescalate", design->deescalate);
    hash_u64(&h, "top_dose", (uint64_t)design->top_dose);
    hash_u64(&h, "start", (uint64_t)design->start_level);
    hash_u64(&h, "n_trials", self->n_trials);
    hash_u64(&h, "seed", self->seed);
    if (ds_run_key_timed(self)) {
        char onset[64];
        ds_timing_onset_name(timing, onset, sizeof(onset));
        hash_double(&h, "window", timing->window_days);
        hash_double(&h, "accrual", timing->accrual_per_30);
        hash_text(&h, "onset", onset);
        hash_double(&h, "dropout", timing->dropout);
        if (timing->backfill_max > 0) { /* runs without backfill keep their run_id */
            hash_u64(&h, "backfill_max", (uint64_t)timing->backfill_max);
        }
    } else {
        hash_text(&h, "calendar", "off");
    }
    /* the stage counts only where there is a response to compare: runs without
     * one keep the run_id they always had */
    if (optimise != NULL && any_response(scenarios, n_scenarios)) {
        hash_u64(&h, "optimise_n_per_arm", (uint64_t)optimise->n_per_arm);
        hash_double(&h, "optimise_delta", optimise->delta);
        hash_double(&h, "response_days", optimise->response_days);
    }
    hash_double(&h, "target", target);
    hash_double(&h, "target_lo", target_lo);
    hash_double(&h, "target_hi", target_hi);
    for (int s = 0; s < n_scenarios; s++) {
        const ds_scenario_t *sc = scenarios[s];
        hash_text(&h, "scenario", sc->name);
        hash_u64(&h, "order", (uint64_t)sc->order);
        hash_u64(&h, "levels", (uint64_t)sc->n_levels);
        for (int d = 0; d < sc->n_levels; d++) {
            hash_text(&h, "label", sc->labels[d]);
            hash_double(&h, "p_dlt", sc->p_dlt[d]);
            if (sc->dose_amount != NULL) {
                hash_double(&h, "amount", sc->dose_amount[d]);
            }
            if (sc->dose_units != NULL) {
                hash_text(&h, "unit", sc->dose_units[d]);
            }
            /* the second outcome, when given: the joint table it makes */
            if (sc->p_response != NULL) {
                hash_double(&h, "p_response", sc->p_response[d]);
                hash_double(&h, "p_dlt_and_response", ds_scenario_p_dlt_and_response(sc, d));
            }
        }
    }
    uint8_t digest[DS_SHA256_BYTES];
    ds_sha256_final(&h, digest);
    static const char hex[] = "0123456789abcdef";
    char *out = self->run_id;
    memcpy(out, DS_RUN_ID_PREFIX, strlen(DS_RUN_ID_PREFIX));
    out += strlen(DS_RUN_ID_PREFIX);
    for (int k = 0; k < DS_RUN_ID_HEX_DIGITS / 2; k++) {
        *out++ = hex[digest[k] >> 4];
        *out++ = hex[digest[k] & 15];
    }
    *out = '\0';
}

void ds_run_key_cells(ds_csv_row_t *w, const ds_run_key_t *self, const ds_scenario_t *scenario)
{
    const ds_design_t *design = self->design;
    ds_csv_text(w, self->run_id);
    ds_csv_text(w, scenario->name);
    ds_csv_int(w, scenario->order);
    ds_csv_text(w, design->name);
    ds_csv_text(w, ds_method_name(self->method));
    ds_csv_text(w, design->deescalate ? DS_YES : DS_NO);
    ds_csv_text(w, ds_top_dose_name(design->top_dose));
    ds_csv_int(w, design->start_level + 1);
    ds_csv_u64(w, self->n_trials);
    ds_csv_u64(w, self->seed);
    if (ds_run_key_timed(self)) {
        char onset[64];
        ds_timing_onset_name(self->timing, onset, sizeof(onset));
        ds_csv_double(w, self->timing->window_days);
        ds_csv_double(w, self->timing->accrual_per_30);
        ds_csv_text(w, onset);
        ds_csv_double(w, self->timing->dropout);
    } else {
        /* The design's window stands whether or not calendar time was simulated. */
        ds_csv_double(w, self->timing != NULL ? self->timing->window_days : DS_DEFAULT_WINDOW_DAYS);
        ds_csv_double(w, 0.0);
        ds_csv_text(w, DS_ONSET_NONE_NAME);
        ds_csv_double(w, 0.0);
    }
    ds_csv_double(w, self->target);
    ds_csv_double(w, self->target_lo);
    ds_csv_double(w, self->target_hi);
}

bool ds_run_key_backfills(const ds_run_key_t *self)
{
    return ds_run_key_timed(self) && self->timing->backfill_max > 0;
}

const ds_optimise_t *ds_run_key_optimise(const ds_run_key_t *self)
{
    return self->optimise != NULL ? self->optimise : &ds_optimise_defaults;
}

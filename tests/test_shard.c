/* Shard files: block shares that tile the run, a faithful round trip, a file
 * changed after it was written refused by its checksum, every kind of damage
 * (given a fresh checksum, as a careful editor would) refused with its line and
 * record, and each incompatibility named, on the shard that differs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/dosesim.h"
#include "testlib.h"

static void test_blocks_tile_the_run(void)
{
    static const uint64_t trials[] = {1, 4096, 4097, 1000000, 123456789};
    static const uint32_t counts[] = {1, 2, 3, 7, 100, 1000};
    for (size_t t = 0; t < sizeof(trials) / sizeof(trials[0]); t++) {
        for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
            uint64_t expected_first = 0, first = 0, end = 0;
            for (uint32_t i = 1; i <= counts[c]; i++) {
                ds_shard_blocks(trials[t], i, counts[c], &first, &end);
                CHECK(first == expected_first && end >= first);
                expected_first = end;
            }
            CHECK(end == ds_engine_n_blocks(trials[t]));
        }
    }
}

typedef struct {
    char *dir;
    char path[4200];
    ds_scenario_file_t file;
    const ds_scenario_t *scenarios[2];
    ds_tally_t tallies[2];
    ds_shard_t shard;
} fixture_t;

/* Shard 2 of 3 of a 50000-trial run of two scenarios, written to a temporary file. */
static bool make_fixture(fixture_t *f)
{
    ds_diag_t diag;
    memset(f, 0, sizeof(*f));
    const char *text = "scenario,dose_level,dose_label,p_dlt\n"
                       "a,1,\"10 mg, \"\"IV\"\"\",0.1\na,2,20 mg,0.3\n"
                       "b,1,10 mg,0.2\nb,2,20 mg,0.45\nb,3,40 mg,0.6\n";
    f->dir = test_temp_dir();
    if (f->dir == NULL ||
        ds_scenario_file_parse(&f->file, "s.csv", text, strlen(text), &diag) != 0) {
        return false;
    }
    f->shard = (ds_shard_t){.index = 2,
                            .count = 3,
                            .n_trials = 50000,
                            .seed = 99,
                            .scenario_path = f->file.path,
                            .scenario_hash = f->file.content_hash,
                            .n_scenarios = 2,
                            .scenarios = f->scenarios,
                            .tallies = f->tallies};
    ds_design_set_3plus3(&f->shard.design);
    f->shard.design.top_dose = DS_TOP_ACCEPT;
    ds_timing_set_defaults(&f->shard.timing);
    ds_shard_blocks(50000, 2, 3, &f->shard.first_block, &f->shard.end_block);
    for (int k = 0; k < 2; k++) {
        ds_engine_t engine;
        f->scenarios[k] = &f->file.scenarios[k];
        if (ds_engine_init(&engine, f->scenarios[k], &f->shard.design, NULL, &diag) != 0 ||
            ds_engine_tally_init(&engine, &f->tallies[k]) != 0 ||
            ds_engine_run_blocks(&engine, 99, 50000, f->shard.first_block, f->shard.end_block,
                                 &f->tallies[k], NULL, NULL) != 0) {
            return false;
        }
        ds_engine_free(&engine);
    }
    snprintf(f->path, sizeof(f->path), "%s/shard-2-of-3.csv", f->dir);
    return ds_shard_write(&f->shard, f->path, &diag) == 0;
}

static void free_fixture(fixture_t *f)
{
    for (int k = 0; k < 2; k++) {
        ds_tally_free(&f->tallies[k]);
    }
    ds_scenario_file_free(&f->file);
    test_remove_dir(f->dir);
}

static void test_round_trip(void)
{
    fixture_t f;
    ds_shard_t back;
    ds_diag_t diag;
    if (!CHECK(make_fixture(&f))) {
        free_fixture(&f);
        return;
    }
    if (CHECK_INT_EQ_RET(ds_shard_read(&back, f.path, 0, &diag), 0)) {
        CHECK(back.index == 2 && back.count == 3 && back.n_trials == 50000 && back.seed == 99);
        CHECK(back.first_block == f.shard.first_block && back.end_block == f.shard.end_block);
        CHECK(back.scenario_hash == f.file.content_hash);
        CHECK_STR_EQ(back.scenario_path, "s.csv");
        CHECK(back.design.top_dose == DS_TOP_ACCEPT && back.design.deescalate &&
              back.design.n_stages == 2 && back.design.stages[1].n_cum == 6);
        CHECK_INT_EQ(back.n_scenarios, 2);
        CHECK_STR_EQ(back.scenarios[0]->labels[0], "10 mg, \"IV\"");
        CHECK(back.scenarios[1]->n_levels == 3 && back.scenarios[1]->p_dlt[1] == 0.45);
        for (int k = 0; k < 2; k++) {
            CHECK(back.tallies[k].len == f.tallies[k].len &&
                  memcmp(back.tallies[k].count, f.tallies[k].count,
                         f.tallies[k].len * sizeof(uint64_t)) == 0);
        }
        CHECK_INT_EQ(ds_shard_check_compatible(&f.shard, "a", &back, f.path, &diag), 0);
    }
    ds_shard_free(&back);
    free_fixture(&f);
}

typedef struct {
    const char *what;
    const char *find;    /* text to replace in a good shard file ... */
    const char *replace; /* ... with this */
    long line;           /* the line the error must name (0: none) */
    const char *field;
} damage_t;

static const damage_t damages[] = {
    {"newer format", "dosesim_shard,7\n", "dosesim_shard,8\n", 1, "dosesim_shard"},
    {"older format", "dosesim_shard,7\n", "dosesim_shard,6\n", 1, "dosesim_shard"},
    {"not a shard file", "dosesim_shard,7\n", "scenario,dose_level\n", 1, ""},
    {"index above count", "shard,2,3\n", "shard,4,3\n", 2, "shard"},
    {"blocks of another shard", "blocks,4,", "blocks,5,", 5, "blocks"},
    {"hash not hexadecimal", ",s.csv,", ",s.csv,xyz", 4, "scenario_file"},
    {"seed not a number", "seed,99\n", "seed,ninety-nine\n", 6, "seed"},
    {"no seed record", "seed,99\n", "", 6, ""},
    {"bad de-escalation", "design,3+3,cohorts,yes,", "design,3+3,cohorts,maybe,", 7, "design"},
    {"bad conduct", "design,3+3,cohorts,", "design,3+3,rolling,", 7, "design"},
    {"a target for a design of the 3+3 family", "design,3+3,cohorts,yes,accept,1\n",
     "design,3+3,cohorts,yes,accept,1,0.3\n", 7, "design"},
    {"an interval design without its target", "design,3+3,cohorts,yes,accept,1\n",
     "design,boin,interval,yes,accept,1\n", 7, "design"},
    {"an interval design dosesim does not build", "design,3+3,cohorts,yes,accept,1\n",
     "design,boin(max_n=31),interval,yes,accept,1,0.3\n", 7, "design"},
    {"an interval design's stage not its cohort", "design,3+3,cohorts,yes,accept,1\n",
     "design,boin,interval,yes,accept,1,0.3\n", 8, "stages"},
    {"bad stage table", "stages,3,0,2,6,1,2\n", "stages,3,0,2,6,1\n", 8, "stages"},
    {"probability above 1", "dose,2,20 mg,0.3,", "dose,2,20 mg,1.3,", 13, "dose"},
    {"level out of order", "dose,2,20 mg,0.3,", "dose,3,20 mg,0.3,", 13, "dose"},
    {"counters changed", "tally,59,", "tally,59,1", 14, "tally"},
    {"too few counters", "tally,59,", "tally,60,", 14, "tally"},
    {"truncated", "end\n", "", 0, ""},
    {"record after end", "end\n", "end\nend\n", 21, ""},
    {"bad calendar", "timing,off,21,", "timing,maybe,21,", 9, "timing"},
    {"calendar out of range", "timing,off,21,", "timing,off,-2,", 9, "timing"},
    {"control bytes", "scenario,a,", "scenario,\x01\x02,", 11, "scenario"},
    {"invalid UTF-8", "scenario,a,", "scenario,a\xff\xfe,", 11, "scenario"},
    {"a C1 control", "dose,2,20 mg,", "dose,2,20\xc2\x9bmg,", 13, "dose"},
};

static char *replace_once(const char *text, const char *find, const char *with)
{
    const char *at = strstr(text, find);
    if (at == NULL) {
        return NULL;
    }
    size_t size = strlen(text) - strlen(find) + strlen(with) + 1;
    char *out = malloc(size);
    if (out != NULL) {
        snprintf(out, size, "%.*s%s%s", (int)(at - text), text, with, at + strlen(find));
    }
    return out;
}

static void test_damaged_files(void)
{
    fixture_t f;
    if (!CHECK(make_fixture(&f))) {
        free_fixture(&f);
        return;
    }
    char *good = test_read_file(f.path, NULL);
    for (size_t i = 0; good != NULL && i < sizeof(damages) / sizeof(damages[0]); i++) {
        const damage_t *d = &damages[i];
        char *edited = replace_once(good, d->find, d->replace);
        ds_shard_t shard;
        ds_diag_t diag;
        if (!CHECK_MSG(edited != NULL, "%s: '%s' not in the file", d->what, d->find)) {
            continue;
        }
        /* As it is: the checksum no longer matches, which names the checksum's line. */
        int ret = ds_shard_parse(&shard, "bad.csv", edited, strlen(edited), &diag);
        CHECK_MSG(ret == DS_ERR_PARSE && strstr(diag.message, "checksum") != NULL &&
                      strcmp(diag.field, "sha256") == 0,
                  "%s, unchecksummed: returned %d (%s)", d->what, ret, diag.message);
        ds_shard_free(&shard);
        char *text = test_with_new_checksum(edited);
        free(edited);
        if (!CHECK(text != NULL)) {
            continue;
        }
        ret = ds_shard_parse(&shard, "bad.csv", text, strlen(text), &diag);
        CHECK_MSG(ret == DS_ERR_PARSE, "%s: returned %d (%s)", d->what, ret, diag.message);
        CHECK_MSG(d->line == 0 || diag.line == d->line, "%s: line %ld, expected %ld (%s)", d->what,
                  diag.line, d->line, diag.message);
        CHECK_MSG(strcmp(diag.field, d->field) == 0 || d->line == 0,
                  "%s: field '%s', expected '%s' (%s)", d->what, diag.field, d->field,
                  diag.message);
        CHECK_MSG(strcmp(diag.path, "bad.csv") == 0, "%s: path '%s'", d->what, diag.path);
        ds_shard_free(&shard);
        free(text);
    }
    free(good);
    free_fixture(&f);
}

/* The text with counter `index` of its first tally record (2 levels, 59 counters) one more. */
static char *bump_counter(const char *text, int index)
{
    const char *record = strstr(text, "\ntally,59,");
    if (record == NULL) {
        return NULL;
    }
    const char *at = record + strlen("\ntally,59,");
    for (int k = 0; k < index; k++) {
        at = strchr(at, ',') + 1;
    }
    char *end = NULL;
    unsigned long long value = strtoull(at, &end, 10);
    size_t size = strlen(text) + 32;
    char *out = malloc(size);
    if (out != NULL) {
        snprintf(out, size, "%.*s%llu%s", (int)(at - text), text, value + 1, end);
    }
    return out;
}

/* The accuracy counters must agree with one another: one of them changed (and
 * the checksum made anew) is refused, naming the record. In a 2-level tally:
 * share above 60% at cut 0 (counter 21) and at the last cut (23), above 80% at
 * cut 0 (24), the squares above cut 0 (27, their first limb), below cut 0 (39),
 * below the last cut (47). */
static void test_accuracy_counters_checked(void)
{
    fixture_t f;
    if (!CHECK(make_fixture(&f))) {
        free_fixture(&f);
        return;
    }
    char *good = test_read_file(f.path, NULL);
    static const int counters[] = {21, 23, 24, 27, 39, 47};
    for (size_t i = 0; good != NULL && i < sizeof(counters) / sizeof(counters[0]); i++) {
        char *edited = bump_counter(good, counters[i]);
        char *text = edited != NULL ? test_with_new_checksum(edited) : NULL;
        ds_shard_t shard;
        ds_diag_t diag;
        if (CHECK_MSG(text != NULL, "counter %d", counters[i])) {
            int ret = ds_shard_parse(&shard, "bad.csv", text, strlen(text), &diag);
            CHECK_MSG(ret == DS_ERR_PARSE && diag.line == 14 && strcmp(diag.field, "tally") == 0 &&
                          strstr(diag.message, "accuracy counters") != NULL,
                      "counter %d: returned %d (%s)", counters[i], ret, diag.message);
            ds_shard_free(&shard);
        }
        free(edited);
        free(text);
    }
    free(good);
    free_fixture(&f);
}

/* The checksum: a file cut short, one without its record, a record of the
 * wrong form; and that the checksum covers every byte before it. */
static void test_checksum(void)
{
    fixture_t f;
    ds_diag_t diag;
    ds_shard_t shard;
    if (!CHECK(make_fixture(&f))) {
        free_fixture(&f);
        return;
    }
    size_t len = 0;
    char *good = test_read_file(f.path, &len);
    if (!CHECK(good != NULL)) {
        free_fixture(&f);
        return;
    }
    const char *record = strstr(good, "\nsha256,");
    CHECK(record != NULL && strlen(record) == 1 + 7 + DS_SHA256_HEX_CHARS + 1);
    char hex[DS_SHA256_HEX_CHARS + 1];
    ds_sha256_hex(good, (size_t)(record - good) + 1, hex);
    CHECK(record != NULL && strncmp(record + 8, hex, DS_SHA256_HEX_CHARS) == 0);
    CHECK_INT_EQ(ds_shard_parse(&shard, "s", good, len, &diag), 0);
    ds_shard_free(&shard);
    /* Every byte counts: flip one anywhere before the record. */
    for (size_t at = 0; record != NULL && at < (size_t)(record - good); at += 97) {
        good[at] ^= 0x20;
        int ret = ds_shard_parse(&shard, "s", good, len, &diag);
        CHECK_MSG(ret == DS_ERR_PARSE && strcmp(diag.field, "sha256") == 0,
                  "byte %zu flipped: %d %s", at, ret, diag.message);
        ds_shard_free(&shard);
        good[at] ^= 0x20;
    }
    CHECK_INT_EQ(ds_shard_parse(&shard, "s", good, len - 20, &diag), DS_ERR_PARSE);
    CHECK(strstr(diag.message, "does not end with its 'sha256' record") != NULL);
    ds_shard_free(&shard);
    CHECK_INT_EQ(ds_shard_parse(&shard, "s", good, (size_t)(record - good) + 1, &diag),
                 DS_ERR_PARSE);
    ds_shard_free(&shard);
    free(good);
    free_fixture(&f);
}

/* Three shards of a run, each written to its file and read back, merge into
 * the tally of the whole run, counter for counter, with the accuracy counters
 * too: so the characteristics and every target's accuracy measures from them
 * are the same bytes; with calendar time and without, for a target the shards
 * never saw. */
static void test_merge_equals_whole(void)
{
    char *dir = test_temp_dir();
    test_scenario_t o;
    const ds_scenario_t *sc = test_scenario(&o, (double[]){0.05, 0.25, 0.13, 0.5}, 4);
    const uint64_t n_trials = 7 * DS_BLOCK_TRIALS + 11;
    for (int timed = 0; timed < 2 && dir != NULL; timed++) {
        ds_design_t design;
        ds_timing_t timing;
        ds_engine_t engine;
        ds_tally_t whole, merged;
        ds_diag_t diag;
        ds_design_set_3plus3(&design);
        ds_timing_set_defaults(&timing);
        timing.on = timed;
        timing.accrual_per_30 = 3.0;
        timing.dropout = 0.1;
        if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, sc, &design, &timing, &diag), 0)) {
            continue;
        }
        CHECK_INT_EQ(ds_engine_tally_init(&engine, &whole), 0);
        CHECK_INT_EQ(ds_engine_tally_init(&engine, &merged), 0);
        CHECK_INT_EQ(ds_engine_run_blocks(&engine, 5, n_trials, 0, ds_engine_n_blocks(n_trials),
                                          &whole, NULL, NULL),
                     0);
        for (uint32_t i = 1; i <= 3; i++) {
            ds_tally_t part;
            ds_shard_t shard = {.index = i,
                                .count = 3,
                                .n_trials = n_trials,
                                .seed = 5,
                                .design = design,
                                .timing = timing,
                                .scenario_path = "s.csv",
                                .n_scenarios = 1,
                                .scenarios = &sc,
                                .tallies = &part};
            ds_shard_t back;
            char path[4300];
            snprintf(path, sizeof(path), "%s/shard-%u-of-3.csv", dir, i);
            ds_shard_blocks(n_trials, i, 3, &shard.first_block, &shard.end_block);
            CHECK_INT_EQ(ds_engine_tally_init(&engine, &part), 0);
            CHECK_INT_EQ(ds_engine_run_blocks(&engine, 5, n_trials, shard.first_block,
                                              shard.end_block, &part, NULL, NULL),
                         0);
            CHECK_INT_EQ(ds_shard_write(&shard, path, &diag), 0);
            if (CHECK_INT_EQ_RET(ds_shard_read(&back, path, 0, &diag), 0)) {
                CHECK_INT_EQ(ds_tally_merge(&merged, &back.tallies[0]), 0);
            }
            ds_shard_free(&back);
            ds_tally_free(&part);
        }
        CHECK_MSG(whole.len == merged.len &&
                      memcmp(whole.count, merged.count, whole.len * sizeof(uint64_t)) == 0,
                  "timed %d: the merged shards differ from the whole run", timed);
        ds_oc_t a, b;
        ds_accuracy_t x, y;
        ds_target_t target = {.target = 0.2, .lo = 0.12, .hi = 0.3};
        CHECK_INT_EQ(ds_oc_init(&a, engine.n_levels, engine.max_n), 0);
        CHECK_INT_EQ(ds_oc_init(&b, engine.n_levels, engine.max_n), 0);
        CHECK_INT_EQ(ds_oc_from_tally(&a, &whole), 0);
        CHECK_INT_EQ(ds_oc_from_tally(&b, &merged), 0);
        CHECK_INT_EQ(ds_accuracy_from_oc(&x, &a, sc, &target, &diag), 0);
        CHECK_INT_EQ(ds_accuracy_from_oc(&y, &b, sc, &target, &diag), 0);
        CHECK(x.true_mtd == 1 && x.prob_over_60 > 0.0 && x.mean_above_se > 0.0);
        CHECK(memcmp(&x, &y, sizeof(x)) == 0);
        for (int m = 0; m <= engine.n_levels; m++) {
            CHECK(a.prob_above_60[m] == b.prob_above_60[m] &&
                  a.mean_sq_above[m] == b.mean_sq_above[m] &&
                  a.mean_sq_below[m] == b.mean_sq_below[m]);
        }
        ds_oc_free(&a);
        ds_oc_free(&b);
        ds_tally_free(&whole);
        ds_tally_free(&merged);
        ds_engine_free(&engine);
    }
    test_remove_dir(dir);
}

static void test_incompatible(void)
{
    fixture_t f;
    ds_diag_t diag;
    if (!CHECK(make_fixture(&f))) {
        free_fixture(&f);
        return;
    }
    const ds_shard_t *a = &f.shard;
    ds_shard_t b = f.shard;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), 0);
    b.seed = 100;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "seed 100") != NULL && strcmp(diag.path, "b") == 0);
    b = f.shard;
    b.n_trials = 60000;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "60000 trials") != NULL);
    b = f.shard;
    b.design.deescalate = false;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "design options") != NULL);
    b = f.shard;
    b.design.stages[0].tox_min = 3;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    b = f.shard;
    b.scenario_hash ^= 1; /* the same file, edited between the shards */
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "changed between the shards") != NULL);
    char other_path[] = "other.csv";
    b.scenario_path = other_path;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "another scenario file (other.csv; a was run on") != NULL);
    b = f.shard;
    b.count = 4;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "one of 4 shards") != NULL);
    b = f.shard;
    b.n_scenarios = 1;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "covers 1 scenarios, a 2") != NULL);
    b = f.shard;
    b.timing.on = true;
    b.timing.accrual_per_30 = 3;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "calendar-time options") != NULL);
    /* What each scenario holds, beyond what the file's hash vouches for: a label,
     * a p_dlt, a name; the message names b, the shard that differs, and its line. */
    ds_scenario_t edited = *f.scenarios[1];
    double p[3] = {0.2, 0.45, 0.61};
    char *labels[3] = {f.scenarios[1]->labels[0], f.scenarios[1]->labels[1], "40 mg"};
    edited.p_dlt = p;
    edited.labels = labels;
    const ds_scenario_t *scenarios[2] = {f.scenarios[0], &edited};
    b = f.shard;
    b.scenarios = scenarios;
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "level 3 is '40 mg' with p_dlt 0.61; in a '40 mg' with 0.6") !=
              NULL &&
          strcmp(diag.path, "b") == 0 && strcmp(diag.field, "dose") == 0);
    p[2] = 0.6;
    labels[2] = "40mg";
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "'40mg'") != NULL);
    labels[2] = f.scenarios[1]->labels[2];
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), 0);
    edited.name = "c";
    CHECK_INT_EQ(ds_shard_check_compatible(a, "a", &b, "b", &diag), DS_ERR_INCOMPATIBLE);
    CHECK(strstr(diag.message, "scenario 2 is 'c'") != NULL);
    free_fixture(&f);
}

/* With calendar time and dropout, the shards of a run, each written to its
 * file and read back, merge to the run's tally counter for counter: the
 * patients treated at each level (those not evaluable included) as much as
 * the evaluable ones, so that the merged characteristics are the run's. A
 * shard whose patient counters do not add up (treated = evaluable + not
 * evaluable), given a fresh checksum, is refused. An A+B design (places stay
 * open across decisions) on scenario b of the fixture, 11 blocks and a bit,
 * seed 31, three shards merged in another order. */
static void test_timed_merge_reproduces_run(void)
{
    fixture_t f;
    if (!CHECK(make_fixture(&f))) {
        free_fixture(&f);
        return;
    }
    const uint64_t n = 11 * DS_BLOCK_TRIALS + 123;
    ds_design_t design;
    ds_timing_t timing;
    ds_engine_t engine;
    ds_diag_t diag;
    ds_tally_t whole, merged, parts[3];
    ds_shard_t shard = f.shard;
    ds_design_set_3plus3(&design);
    CHECK_INT_EQ(ds_design_preset(&design, "ab:4,4,1,2,2", &diag), 0);
    ds_timing_set_defaults(&timing);
    timing.on = true;
    timing.accrual_per_30 = 4.0;
    timing.dropout = 0.3;
    const ds_scenario_t *sc = f.scenarios[1];
    if (!CHECK_INT_EQ_RET(ds_engine_init(&engine, sc, &design, &timing, &diag), 0)) {
        free_fixture(&f);
        return;
    }
    CHECK(ds_engine_tally_init(&engine, &whole) == 0 &&
          ds_engine_tally_init(&engine, &merged) == 0);
    CHECK(ds_engine_run_blocks(&engine, 31, n, 0, ds_engine_n_blocks(n), &whole, NULL, NULL) == 0);
    CHECK(ds_tally_counts_agree(&whole));
    shard.design = design;
    shard.timing = timing;
    shard.n_trials = n;
    shard.seed = 31;
    shard.count = 3;
    shard.n_scenarios = 1;
    shard.scenarios = &sc;
    for (uint32_t i = 1; i <= 3; i++) {
        char path[4300];
        ds_shard_t back;
        ds_tally_t *part = &parts[i - 1];
        shard.index = i;
        ds_shard_blocks(n, i, 3, &shard.first_block, &shard.end_block);
        CHECK(ds_engine_tally_init(&engine, part) == 0 &&
              ds_engine_run_blocks(&engine, 31, n, shard.first_block, shard.end_block, part, NULL,
                                   NULL) == 0);
        shard.tallies = part;
        snprintf(path, sizeof(path), "%s/timed-%u.csv", f.dir, i);
        if (CHECK_INT_EQ_RET(ds_shard_write(&shard, path, &diag), 0) &&
            CHECK_INT_EQ_RET(ds_shard_read(&back, path, 0, &diag), 0)) {
            CHECK(back.tallies[0].len == part->len &&
                  memcmp(back.tallies[0].count, part->count, part->len * sizeof(uint64_t)) == 0);
            ds_tally_reset(part);
            CHECK(ds_tally_merge(part, &back.tallies[0]) == 0);
        }
        ds_shard_free(&back);
        if (i == 2) {
            /* One patient treated more at level 1 than the evaluable and not
             * evaluable ones: refused, though the checksum is made anew. */
            char *good = test_read_file(path, NULL);
            char *tally = good != NULL ? strstr(good, "\ntally,") : NULL;
            char *cell = tally;
            for (size_t k = 0; cell != NULL && k < 2 + ds_tally_treated_at(part, 0); k++) {
                cell = strchr(cell + 1, ',');
            }
            if (CHECK(cell != NULL)) {
                char *end = NULL;
                unsigned long long limb = strtoull(cell + 1, &end, 10);
                char edited_cell[32];
                snprintf(edited_cell, sizeof(edited_cell), ",%llu", limb + 1);
                size_t size = strlen(good) + 32;
                char *edited = malloc(size);
                if (CHECK(edited != NULL)) {
                    snprintf(edited, size, "%.*s%s%s", (int)(cell - good), good, edited_cell, end);
                    char *text = test_with_new_checksum(edited);
                    ds_shard_t bad_shard;
                    CHECK(text != NULL && ds_shard_parse(&bad_shard, "bad.csv", text, strlen(text),
                                                         &diag) == DS_ERR_PARSE);
                    CHECK_MSG(strstr(diag.message, "patient counters do not add up") != NULL &&
                                  strcmp(diag.field, "tally") == 0,
                              "%s", diag.message);
                    ds_shard_free(&bad_shard);
                    free(text);
                }
                free(edited);
            }
            free(good);
        }
    }
    for (int k = 2; k >= 0; k--) {
        CHECK(ds_tally_merge(&merged, &parts[k]) == 0);
        ds_tally_free(&parts[k]);
    }
    CHECK_MSG(merged.len == whole.len &&
                  memcmp(merged.count, whole.count, whole.len * sizeof(uint64_t)) == 0,
              "the merged shards are not the run");
    ds_oc_t a, b;
    if (CHECK(ds_oc_init(&a, sc->n_levels, engine.max_n) == 0 &&
              ds_oc_init(&b, sc->n_levels, engine.max_n) == 0 &&
              ds_oc_from_tally(&a, &whole) == 0 && ds_oc_from_tally(&b, &merged) == 0)) {
        bool fewer = false;
        for (int d = 0; d < sc->n_levels; d++) {
            CHECK(a.mean_treated[d] == b.mean_treated[d] &&
                  a.mean_evaluable[d] == b.mean_evaluable[d]);
            fewer |= a.mean_evaluable[d] < a.mean_treated[d];
        }
        CHECK(fewer && a.mean_treated_total == b.mean_treated_total &&
              a.mean_evaluable_total == b.mean_evaluable_total);
    }
    ds_oc_free(&a);
    ds_oc_free(&b);
    ds_tally_free(&whole);
    ds_tally_free(&merged);
    ds_engine_free(&engine);
    free_fixture(&f);
}

const test_case_t shard_tests[] = {
    {"blocks_tile_the_run", test_blocks_tile_the_run},
    {"round_trip", test_round_trip},
    {"damaged_files", test_damaged_files},
    {"accuracy_counters_checked", test_accuracy_counters_checked},
    {"checksum", test_checksum},
    {"merge_equals_whole", test_merge_equals_whole},
    {"incompatible", test_incompatible},
    {"timed_merge_reproduces_run", test_timed_merge_reproduces_run},
    {NULL, NULL},
};

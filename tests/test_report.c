/* The CSV writers: number format, quoting, column lists, a result set that
 * always has every file, and files that are complete or absent, never
 * half-written. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/presets.h"
#include "dosesim/listing.h"
#include "dosesim/report.h"
#include "dosesim/text.h"
#include "testlib.h"

static void test_format_double(void)
{
    static const double values[] = {0.1,   1.0 / 3.0, 0.1 + 0.2, 1e-300, 123456789.0,
                                    0.513, 2.0 / 7.0, 1e22,      5e-324, 0.999999999999};
    char buf[DS_DOUBLE_CHARS];
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        ds_format_double(values[i], buf);
        CHECK_MSG(strtod(buf, NULL) == values[i], "%s does not read back as %.17g", buf, values[i]);
    }
    ds_format_double(0.1, buf);
    CHECK_STR_EQ(buf, "0.1");
    ds_format_double(0.1 + 0.2, buf);
    CHECK_STR_EQ(buf, "0.30000000000000004");
    ds_format_double(123456789.0, buf);
    CHECK_STR_EQ(buf, "123456789");
    ds_format_double(0.0, buf);
    CHECK_STR_EQ(buf, "0");
    ds_format_double(-0.0, buf);
    CHECK_STR_EQ(buf, "0");
    /* Whole numbers with fewer significant digits than their own: %g's
     * shortest form is 3e+01; the shortest that reads back as text is 30. */
    static const struct {
        double x;
        const char *text;
    } whole[] = {
        {30.0, "30"},    {10.0, "10"},    {100.0, "100"}, {-20.0, "-20"}, {1e14, "100000000000000"},
        {1e15, "1e+15"}, {1e-5, "1e-05"}, {2.5e3, "2500"}};
    for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++) {
        ds_format_double(whole[i].x, buf);
        CHECK_MSG(strcmp(buf, whole[i].text) == 0, "%.17g printed as %s, not %s", whole[i].x, buf,
                  whole[i].text);
    }
}

/* Entries in a folder, hidden ones (temporary files) included. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    if (d == NULL) {
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return n;
}

/* Write the result set of dir and publish it. */
static int write_report(const char *dir, const ds_run_key_t *key, const ds_result_t *result,
                        ds_diag_t *diag)
{
    ds_report_t report;
    int ret = ds_report_write(&report, dir, key, result, 1, diag);
    return ret != 0 ? ret : ds_report_publish(&report, diag);
}

static char *path_in(const char *dir, const char *name)
{
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    if (path != NULL) {
        sprintf(path, "%s/%s", dir, name);
    }
    return path;
}

typedef struct {
    ds_scenario_t scenario;
    double p[2];
    char *labels[2];
    char label1[32], label2[32], name[32];
    ds_oc_t oc;
} fixture_t;

static int make_fixture(fixture_t *f, ds_method_t method)
{
    memset(f, 0, sizeof(*f));
    strcpy(f->name, "with, comma");
    f->scenario.order = 1;
    strcpy(f->label1, "100 mg, \"IV\"");
    strcpy(f->label2, "200 mg");
    f->labels[0] = f->label1;
    f->labels[1] = f->label2;
    f->p[0] = 0.1;
    f->p[1] = 0.3;
    f->scenario = (ds_scenario_t){
        .name = f->name, .n_levels = 2, .labels = f->labels, .p_dlt = f->p, .order = 3};
    int ret = ds_oc_init(&f->oc, 2, 12);
    if (ret != 0) {
        return ret;
    }
    f->oc.prob_none = 0.25;
    f->oc.prob_rp2d[0] = 0.5;
    f->oc.prob_rp2d[1] = 0.25;
    f->oc.n_prob[3] = 0.5;
    f->oc.n_prob[9] = 0.5;
    ds_oc_finish_exact(&f->oc);
    f->oc.method = method;
    f->oc.n_trials = method == DS_METHOD_MC ? 1000 : 0;
    return 0;
}

static void test_report_files(void)
{
    char *dir = test_temp_dir();
    fixture_t f;
    ds_design_t design;
    ds_diag_t diag;
    if (!CHECK(dir != NULL) || !CHECK_INT_EQ_RET(make_fixture(&f, DS_METHOD_MC), 0)) {
        test_remove_dir(dir);
        return;
    }
    ds_design_set_3plus3(&design);
    const ds_scenario_t *const one[1] = {&f.scenario};
    ds_run_key_t key;
    ds_run_key_init(&key, DS_KEY_KIND_RESULTS, &design, DS_METHOD_MC, 1000, 77, NULL, 0.25, 0.15,
                    0.35, one, 1);
    ds_result_t result = {.scenario = &f.scenario, .oc = &f.oc};
    CHECK_INT_EQ(write_report(dir, &key, &result, &diag), 0);
    CHECK_INT_EQ(count_entries(dir), 6); /* the five files and the folder's lock */
    /* Every row starts with the key: the run, the scenario (quoted), its order,
     * the design, trials and seed, no calendar, the target. */
    char key_cells[256];
    snprintf(key_cells, sizeof(key_cells),
             "%s,\"with, comma\",3,3+3,mc,yes,expand,1,1000,77,21,0,none,0,0.25,0.15,0.35,",
             key.run_id);

    char *path = path_in(dir, "summary.csv");
    char *text = test_read_file(path, NULL);
    if (CHECK(text != NULL)) {
        const char *header =
            "run_id,scenario,scenario_order,design,method,deescalate,top_dose,start_level,n_trials,"
            "seed,window_days,accrual_per_30_days,dlt_onset,dropout,target,target_lo,target_hi,"
            "n_levels,true_mtd_level,true_mtd_label,prob_no_rp2d,prob_no_rp2d_se,prob_no_rp2d_lo,"
            "prob_no_rp2d_hi,prob_correct_selection,prob_correct_selection_se,prob_select_above,"
            "prob_select_above_se,prob_select_below,prob_select_below_se,"
            "prob_no_rp2d_despite_acceptable,prob_no_rp2d_despite_acceptable_se,mean_n_treated,"
            "mean_n_evaluable,mean_n_evaluable_se,sd_n_evaluable,min_n_evaluable,max_n_evaluable,"
            "p10_n_evaluable,p50_n_evaluable,p90_n_evaluable,mean_n_nonevaluable,mean_n_dlt,"
            "mean_n_treated_at_mtd,mean_n_treated_at_mtd_se,mean_n_treated_below_mtd,"
            "mean_n_treated_below_mtd_se,mean_n_treated_above_mtd,mean_n_treated_above_mtd_se,"
            "prob_over_60pct_above_mtd,prob_over_60pct_above_mtd_se,prob_over_80pct_above_mtd,"
            "prob_over_80pct_above_mtd_se,mean_duration_days,sd_duration_days,p10_duration_days,"
            "p50_duration_days,p90_duration_days,mean_n_turned_away,mean_n_backfilled,"
            "mean_n_backfilled_se,backfill_max\n";
        CHECK(strncmp(text, header, strlen(header)) == 0);
        CHECK(strncmp(text + strlen(header), key_cells, strlen(key_cells)) == 0);
        /* 200 mg (0.3) is the true MTD of [0.15, 0.35] around 0.25: level 2. */
        CHECK_MSG(strstr(text, ",2,2,200 mg,0.25,0,0.25,0.25,") != NULL, "%s", text);
    }
    free(text);
    free(path);

    path = path_in(dir, "doses.csv");
    text = test_read_file(path, NULL);
    if (CHECK(text != NULL)) {
        /* The none row first (no amount, unit or p_dlt), then each dose, its
         * label quoted as CSV quotes it. */
        char none_row[512], first[512], second[512];
        snprintf(none_row, sizeof(none_row), "\n%s0,none,,,,no,0.25,0,0.25,0.25,,,\n", key_cells);
        snprintf(first, sizeof(first),
                 "\n%s1,\"100 mg, \"\"IV\"\"\",,,0.1,no,0.5,0,0.5,0.5,0,0,0\n", key_cells);
        snprintf(second, sizeof(second), "\n%s2,200 mg,,,0.3,yes,0.25,0,0.25,0.25,0,0,0\n",
                 key_cells);
        CHECK_MSG(strstr(text, none_row) != NULL, "no none row like %s in\n%s", none_row, text);
        CHECK_MSG(strstr(text, first) != NULL, "no row like %s in\n%s", first, text);
        CHECK_MSG(strstr(text, second) != NULL, "no row like %s in\n%s", second, text);
    }
    free(text);
    free(path);

    path = path_in(dir, "sample_size.csv");
    text = test_read_file(path, NULL);
    if (CHECK(text != NULL)) {
        char rows[1024];
        snprintf(rows, sizeof(rows), "\n%s3,0.5\n%s9,0.5\n", key_cells, key_cells);
        CHECK_MSG(strstr(text, rows) != NULL, "%s", text);
    }
    free(text);
    free(path);

    /* Untimed: duration.csv has its header only, so an old one never stays beside the set. */
    path = path_in(dir, "duration.csv");
    text = test_read_file(path, NULL);
    CHECK(text != NULL && strchr(text, '\n') != NULL && strchr(text, '\n')[1] == '\0');
    free(text);
    free(path);

    /* Exact results: n_trials and seed 0, never empty, and another run_id. */
    f.oc.method = DS_METHOD_EXACT;
    ds_run_key_t exact_key;
    ds_run_key_init(&exact_key, DS_KEY_KIND_RESULTS, &design, DS_METHOD_EXACT, 1000, 77, NULL, 0.25,
                    0.15, 0.35, one, 1);
    CHECK(strcmp(exact_key.run_id, key.run_id) != 0);
    CHECK_INT_EQ(write_report(dir, &exact_key, &result, &diag), 0);
    path = path_in(dir, "summary.csv");
    text = test_read_file(path, NULL);
    if (CHECK(text != NULL)) {
        CHECK(strstr(text, ",\"with, comma\",3,3+3,exact,yes,expand,1,0,0,21,0,none,0,") != NULL);
    }
    free(text);
    free(path);
    CHECK_INT_EQ(count_entries(dir), 6);
    ds_oc_free(&f.oc);
    test_remove_dir(dir);
}

static void test_report_failure_leaves_nothing(void)
{
    char *dir = test_temp_dir();
    fixture_t f;
    ds_design_t design;
    ds_diag_t diag;
    if (!CHECK(dir != NULL) || !CHECK_INT_EQ_RET(make_fixture(&f, DS_METHOD_MC), 0)) {
        test_remove_dir(dir);
        return;
    }
    ds_design_set_3plus3(&design);
    const ds_scenario_t *const one[1] = {&f.scenario};
    ds_run_key_t info;
    ds_run_key_init(&info, DS_KEY_KIND_RESULTS, &design, DS_METHOD_MC, 1000, 1, NULL, 0.25, 0.15,
                    0.35, one, 1);
    ds_result_t result = {.scenario = &f.scenario, .oc = &f.oc};
    /* A folder that cannot exist: one of its parents is a file. */
    char *file = path_in(dir, "plain-file");
    char *below = path_in(file, "out");
    CHECK(test_write_file(file, "x"));
    ds_report_t report;
    CHECK_INT_EQ(ds_report_write(&report, below, &info, &result, 1, &diag), DS_ERR_REFUSED);
    CHECK_MSG(strstr(diag.path, "plain-file") != NULL &&
                  strstr(diag.message, "not a folder") != NULL,
              "%s: %s", diag.path, diag.message);
    ds_report_discard(&report); /* safe after a failure */
    CHECK_INT_EQ(count_entries(dir), 1);
    /* A set whose folder is missing at publishing: nothing is made or left. */
    char *missing = path_in(dir, "missing");
    CHECK_INT_EQ(ds_report_write(&report, missing, &info, &result, 1, &diag), 0);
    CHECK_INT_EQ(count_entries(dir), 1); /* nothing named while it is written */
    CHECK_INT_EQ(ds_report_publish(&report, &diag), DS_ERR_IO);
    CHECK_INT_EQ(count_entries(dir), 1);
    free(missing);
    free(file);
    free(below);
    ds_oc_free(&f.oc);
    test_remove_dir(dir);
}

static void test_trial_writer(void)
{
    char *dir = test_temp_dir();
    ds_trial_writer_t w;
    ds_diag_t diag;
    ds_trial_t trial;
    if (!CHECK(dir != NULL)) {
        return;
    }
    memset(&trial, 0, sizeof(trial));
    trial.n_levels = 1;
    trial.patients[0] = 6; /* evaluable */
    trial.treated[0] = 7;  /* one left early */
    trial.nonevaluable[0] = 1;
    trial.dlts[0] = 1;
    trial.n_total = 6;
    trial.n_treated = 7;
    trial.n_nonevaluable = 1;
    trial.dlt_total = 1;
    char label[] = "100 mg";
    char *labels[1] = {label};
    double p[1] = {0.2};
    ds_scenario_t scenario = {.name = "s", .n_levels = 1, .labels = labels, .p_dlt = p, .order = 1};
    const ds_scenario_t *const one[1] = {&scenario};
    ds_design_t design;
    ds_design_set_3plus3(&design);
    ds_run_key_t key;
    ds_run_key_init(&key, DS_KEY_KIND_RESULTS, &design, DS_METHOD_MC, 2, 9, NULL, 0.25, 0.15, 0.35,
                    one, 1);
    char *path = path_in(dir, "trials.csv");
    CHECK_INT_EQ(ds_trial_writer_open(&w, path, 2, &key, &diag), 0);
    ds_calendar_t calendar = {.clock = 48.0004, .turned_away = 20};
    CHECK_INT_EQ(ds_trial_writer_add(&w, &scenario, 0, &trial, 0, NULL), 0);
    CHECK_INT_EQ(ds_trial_writer_add(&w, &scenario, 1, &trial, -1, &calendar), 0);
    CHECK_INT_EQ(ds_trial_writer_commit(&w, &diag), 0);
    char *text = test_read_file(path, NULL);
    char want[2048];
    snprintf(
        want, sizeof(want),
        "run_id,scenario,scenario_order,design,method,deescalate,top_dose,start_level,"
        "n_trials,seed,window_days,accrual_per_30_days,dlt_onset,dropout,target,target_lo,"
        "target_hi,trial,rp2d_level,rp2d_label,n_treated,n_evaluable,n_nonevaluable,n_dlt,"
        "duration_days,n_turned_away,n_backfilled,n_randomised,stage_n_dlt_rp2d,"
        "stage_n_response_rp2d,stage_n_dlt_below,stage_n_response_below,final_level,final_label,"
        "stage_days,n_treated_at_dose_1,n_evaluable_at_dose_1,"
        "n_dlt_at_dose_1,n_treated_at_dose_2,n_evaluable_at_dose_2,n_dlt_at_dose_2\n"
        "%s,s,1,3+3,mc,yes,expand,1,2,9,21,0,none,0,0.25,0.15,0.35,1,1,100 mg,7,6,1,1,,,,"
        ",,,,,,,,7,6,1,,,\n"
        "%s,s,1,3+3,mc,yes,expand,1,2,9,21,0,none,0,0.25,0.15,0.35,2,0,none,7,6,1,1,48.000,20,,"
        ",,,,,,,,7,6,1,,,\n",
        key.run_id, key.run_id);
    CHECK_STR_EQ(text, want);
    free(text);
    CHECK_INT_EQ(ds_trial_writer_open(&w, path, 1, &key, &diag), 0);
    ds_trial_writer_abort(&w); /* the committed file stays as it was */
    CHECK_INT_EQ(count_entries(dir), 1);
    text = test_read_file(path, NULL);
    CHECK(text != NULL && strncmp(text, "run_id,scenario,", 16) == 0 && strlen(text) > 100);
    free(text);
    free(path);
    test_remove_dir(dir);
}

const test_case_t report_tests[] = {
    {"format_double", test_format_double},
    {"report_files", test_report_files},
    {"report_failure_leaves_nothing", test_report_failure_leaves_nothing},
    {"trial_writer", test_trial_writer},
    {NULL, NULL},
};

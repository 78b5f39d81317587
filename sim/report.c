/* CSV writers. Column lists live here, once; README.md documents each column. */
#include "dosesim/report.h"

#include "dosesim/tally.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

int ds_make_dirs(const char *dir, ds_diag_t *diag)
{
    size_t len = strlen(dir);
    char *path = malloc(len + 1);
    if (path == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, dir, 0, "", "out of memory");
    }
    memcpy(path, dir, len + 1);
    int ret = 0;
    for (size_t i = 1; i <= len && ret == 0; i++) {
        if (path[i] == '/' || path[i] == '\0') {
            char saved = path[i];
            path[i] = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                ret = ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot create folder: %s",
                                  strerror(errno));
            }
            path[i] = saved;
        }
    }
    struct stat st;
    if (ret == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        ret = ds_diag_set(diag, DS_ERR_IO, dir, 0, "", "is not a folder");
    }
    free(path);
    return ret;
}

/* ---- atomic files ---- */

bool ds_atomic_temp_path(const char *path, long pid, int attempt, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash != NULL ? (size_t)(slash - path) + 1u : 0u;
    int len =
        snprintf(buf, size, "%.*s.%s.tmp-%ld-%d", (int)dir_len, path, path + dir_len, pid, attempt);
    return len >= 0 && (size_t)len < size;
}

static char *join_temp_name(const char *path, long pid, int attempt)
{
    size_t size = strlen(path) + 64u;
    char *tmp = malloc(size);
    if (tmp != NULL && !ds_atomic_temp_path(path, pid, attempt, tmp, size)) {
        free(tmp);
        tmp = NULL;
    }
    return tmp;
}

int ds_atomic_open(ds_atomic_file_t *self, const char *path, ds_diag_t *diag)
{
    memset(self, 0, sizeof(*self));
    self->path = malloc(strlen(path) + 1);
    if (self->path == NULL) {
        return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
    }
    strcpy(self->path, path);
    /* O_EXCL with a fresh suffix rather than mkstemp: the file gets the usual
     * permissions (0666 less the umask), not mkstemp's 0600. */
    for (int attempt = 0; attempt < 1000; attempt++) {
        self->tmp_path = join_temp_name(path, (long)getpid(), attempt);
        if (self->tmp_path == NULL) {
            ds_atomic_discard(self);
            return ds_diag_set(diag, DS_ERR_NOMEM, path, 0, "", "out of memory");
        }
        int fd = open(self->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            self->file = fdopen(fd, "w");
            if (self->file == NULL) {
                close(fd);
                unlink(self->tmp_path);
                break;
            }
            return 0;
        }
        if (errno != EEXIST) {
            break;
        }
        free(self->tmp_path);
        self->tmp_path = NULL;
    }
    int saved = errno;
    free(self->tmp_path);
    self->tmp_path = NULL;
    ds_diag_set(diag, DS_ERR_IO, path, 0, "", "cannot write: %s", strerror(saved));
    ds_atomic_discard(self);
    return DS_ERR_IO;
}

int ds_atomic_close(ds_atomic_file_t *self, ds_diag_t *diag)
{
    if (self->file == NULL) {
        return 0;
    }
    bool failed =
        ferror(self->file) != 0 || fflush(self->file) != 0 || fsync(fileno(self->file)) != 0;
    int saved = errno;
    if (fclose(self->file) != 0 && !failed) {
        failed = true;
        saved = errno;
    }
    self->file = NULL;
    if (failed) {
        return ds_diag_set(diag, DS_ERR_IO, self->path, 0, "", "cannot write: %s",
                           saved != 0 ? strerror(saved) : "write error");
    }
    return 0;
}

int ds_atomic_commit(ds_atomic_file_t *self, ds_diag_t *diag)
{
    int ret = ds_atomic_close(self, diag);
    if (ret == 0 && rename(self->tmp_path, self->path) != 0) {
        ret = ds_diag_set(diag, DS_ERR_IO, self->path, 0, "", "cannot rename into place: %s",
                          strerror(errno));
    }
    if (ret == 0) {
        free(self->tmp_path);
        self->tmp_path = NULL; /* renamed: nothing left to remove */
    }
    ds_atomic_discard(self);
    return ret;
}

void ds_atomic_discard(ds_atomic_file_t *self)
{
    if (self->file != NULL) {
        fclose(self->file);
    }
    if (self->tmp_path != NULL) {
        unlink(self->tmp_path);
    }
    free(self->tmp_path);
    free(self->path);
    memset(self, 0, sizeof(*self));
}

/* ---- rows ---- */

static void cell_begin(ds_csv_row_t *w)
{
    if (!w->at_start) {
        fputc(',', w->file);
    }
    w->at_start = false;
}

void ds_csv_text(ds_csv_row_t *w, const char *text)
{
    cell_begin(w);
    size_t len = strlen(text);
    bool needs_quotes =
        strpbrk(text, ",\"\r\n") != NULL || (len > 0 && (text[0] == ' ' || text[len - 1] == ' '));
    if (needs_quotes) {
        csv_fwrite(w->file, text, len);
    } else {
        fputs(text, w->file);
    }
}

void ds_csv_double(ds_csv_row_t *w, double x)
{
    char buf[DS_DOUBLE_CHARS];
    ds_format_double(x, buf);
    cell_begin(w);
    fputs(buf, w->file);
}

void ds_csv_int(ds_csv_row_t *w, long long x)
{
    cell_begin(w);
    fprintf(w->file, "%lld", x);
}

void ds_csv_u64(ds_csv_row_t *w, uint64_t x)
{
    cell_begin(w);
    fprintf(w->file, "%" PRIu64, x);
}

void ds_csv_empty(ds_csv_row_t *w)
{
    cell_begin(w);
}

void ds_csv_end(ds_csv_row_t *w)
{
    fputc('\n', w->file);
    w->at_start = true;
}

static void write_columns(FILE *file, const char *const *columns, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(file, "%s%s", i > 0 ? "," : "", columns[i]);
    }
}

static void write_header(FILE *file, const char *const *columns, size_t n)
{
    write_columns(file, columns, n);
    fputc('\n', file);
}

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const summary_columns[] = {
    "scenario",
    "method",
    "design",
    "deescalate",
    "top_dose",
    "start_level",
    "n_levels",
    "n_trials",
    "seed",
    "prob_no_rp2d",
    "prob_no_rp2d_se",
    "prob_no_rp2d_lo",
    "prob_no_rp2d_hi",
    "mean_n",
    "mean_n_se",
    "sd_n",
    "min_n",
    "max_n",
    "n_p10",
    "n_p50",
    "n_p90",
    "mean_dlt",
    "overdose_limit",
    "prob_rp2d_overdose",
    "mean_n_overdose",
    "true_mtd_level",
    "prob_rp2d_true_mtd",
};

/* summary.csv goes on with these, empty unless calendar time was simulated. */
static const char *const timing_columns[] = {
    "window_days",        "accrual_per_30_days", "dlt_onset",         "dropout",
    "mean_duration_days", "sd_duration_days",    "duration_p10",      "duration_p50",
    "duration_p90",       "mean_enrolled",       "mean_nonevaluable", "mean_turned_away",
};

static const char *const doses_columns[] = {
    "scenario",     "dose_level",   "dose_label",   "p_dlt",         "prob_rp2d",
    "prob_rp2d_se", "prob_rp2d_lo", "prob_rp2d_hi", "mean_patients", "mean_dlt",
};

static const char *const sample_size_columns[] = {"scenario", "n", "prob"};

static const char *method_name(ds_method_t method)
{
    return method == DS_METHOD_EXACT ? "exact" : "mc";
}

static void write_summary_row(ds_csv_row_t *w, const ds_run_info_t *info, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    const ds_design_t *design = info->design;
    ds_overdose_t over;
    ds_oc_overdose(oc, r->scenario, info->overdose_limit, &over);
    ds_csv_text(w, r->scenario->name);
    ds_csv_text(w, method_name(oc->method));
    ds_csv_text(w, design->name);
    ds_csv_text(w, design->deescalate ? "yes" : "no");
    ds_csv_text(w, ds_top_dose_name(design->top_dose));
    ds_csv_int(w, design->start_level + 1);
    ds_csv_int(w, oc->n_levels);
    if (oc->method == DS_METHOD_MC) {
        ds_csv_u64(w, oc->n_trials);
        ds_csv_u64(w, info->seed);
    } else {
        ds_csv_empty(w);
        ds_csv_empty(w);
    }
    ds_csv_double(w, oc->prob_none);
    ds_csv_double(w, oc->prob_none_se);
    ds_csv_double(w, oc->prob_none_lo);
    ds_csv_double(w, oc->prob_none_hi);
    ds_csv_double(w, oc->mean_n);
    ds_csv_double(w, oc->mean_n_se);
    ds_csv_double(w, oc->sd_n);
    ds_csv_int(w, oc->min_n);
    ds_csv_int(w, oc->max_n_seen);
    ds_csv_int(w, oc->n_p10);
    ds_csv_int(w, oc->n_p50);
    ds_csv_int(w, oc->n_p90);
    ds_csv_double(w, oc->mean_dlt_total);
    ds_csv_double(w, over.limit);
    ds_csv_double(w, over.prob_rp2d_overdose);
    ds_csv_double(w, over.mean_n_overdose);
    ds_csv_int(w, over.true_mtd + 1);
    ds_csv_double(w, over.prob_rp2d_true_mtd);
    if (oc->timed && info->timing != NULL) {
        char onset[64];
        ds_timing_onset_name(info->timing, onset, sizeof(onset));
        ds_csv_double(w, info->timing->window_days);
        ds_csv_double(w, info->timing->accrual_per_30);
        ds_csv_text(w, onset);
        ds_csv_double(w, info->timing->dropout);
        ds_csv_double(w, oc->mean_duration_days);
        ds_csv_double(w, oc->sd_duration_days);
        ds_csv_double(w, oc->duration_p10);
        ds_csv_double(w, oc->duration_p50);
        ds_csv_double(w, oc->duration_p90);
        ds_csv_double(w, oc->mean_enrolled);
        ds_csv_double(w, oc->mean_nonevaluable);
        ds_csv_double(w, oc->mean_turned_away);
    } else {
        for (size_t k = 0; k < N_ELEMENTS(timing_columns); k++) {
            ds_csv_empty(w);
        }
    }
    ds_csv_end(w);
}

static void write_dose_rows(ds_csv_row_t *w, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int d = 0; d < oc->n_levels; d++) {
        ds_csv_text(w, r->scenario->name);
        ds_csv_int(w, d + 1);
        ds_csv_text(w, r->scenario->labels[d]);
        ds_csv_double(w, r->scenario->p_dlt[d]);
        ds_csv_double(w, oc->prob_rp2d[d]);
        ds_csv_double(w, oc->prob_rp2d_se[d]);
        ds_csv_double(w, oc->prob_rp2d_lo[d]);
        ds_csv_double(w, oc->prob_rp2d_hi[d]);
        ds_csv_double(w, oc->mean_patients[d]);
        ds_csv_double(w, oc->mean_dlt[d]);
        ds_csv_end(w);
    }
}

static void write_sample_size_rows(ds_csv_row_t *w, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int n = 0; n <= oc->max_n; n++) {
        if (oc->n_prob[n] > 0.0) {
            ds_csv_text(w, r->scenario->name);
            ds_csv_int(w, n);
            ds_csv_double(w, oc->n_prob[n]);
            ds_csv_end(w);
        }
    }
}

static char *join_path(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2u;
    char *path = malloc(size);
    if (path != NULL) {
        snprintf(path, size, "%s/%s", dir, name);
    }
    return path;
}

enum { OUT_SUMMARY, OUT_DOSES, OUT_SAMPLE_SIZE, OUT_DURATION, N_OUTPUTS };
static const char *const output_names[N_OUTPUTS] = {"summary.csv", "doses.csv", "sample_size.csv",
                                                    "duration.csv"};

static void write_duration_rows(ds_csv_row_t *w, const ds_result_t *r)
{
    const ds_oc_t *oc = r->oc;
    for (int k = 0; oc->timed && k < DS_DURATION_BINS; k++) {
        if (oc->duration_prob[k] > 0.0) {
            ds_csv_text(w, r->scenario->name);
            ds_csv_double(w,
                          k == 0 ? 0.0 : DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, k));
            ds_csv_double(w, DS_DURATION_BIN_BASE_DAYS * pow(DS_DURATION_BIN_RATIO, k + 1));
            ds_csv_double(w, oc->duration_prob[k]);
            ds_csv_end(w);
        }
    }
}

int ds_report_write(const char *dir, const ds_run_info_t *info, const ds_result_t *results,
                    int n_results, ds_diag_t *diag)
{
    int ret = 0;
    ds_atomic_file_t out[N_OUTPUTS];
    memset(out, 0, sizeof(out));
    bool timed = false;
    for (int i = 0; i < n_results; i++) {
        timed |= results[i].oc->timed;
    }
    const int n_outputs = timed ? N_OUTPUTS : OUT_DURATION;

    for (int k = 0; k < n_outputs && ret == 0; k++) {
        char *path = join_path(dir, output_names[k]);
        if (path == NULL) {
            ret = ds_diag_set(diag, DS_ERR_NOMEM, dir, 0, "", "out of memory");
            break;
        }
        ret = ds_atomic_open(&out[k], path, diag);
        free(path);
    }
    if (ret != 0) {
        goto out;
    }
    write_columns(out[OUT_SUMMARY].file, summary_columns, N_ELEMENTS(summary_columns));
    fputc(',', out[OUT_SUMMARY].file);
    write_header(out[OUT_SUMMARY].file, timing_columns, N_ELEMENTS(timing_columns));
    write_header(out[OUT_DOSES].file, doses_columns, N_ELEMENTS(doses_columns));
    write_header(out[OUT_SAMPLE_SIZE].file, sample_size_columns, N_ELEMENTS(sample_size_columns));
    if (timed) {
        fputs("scenario,days_from,days_to,prob\n", out[OUT_DURATION].file);
    }
    for (int i = 0; i < n_results; i++) {
        ds_csv_row_t w = {.file = out[OUT_SUMMARY].file, .at_start = true};
        write_summary_row(&w, info, &results[i]);
        w = (ds_csv_row_t){.file = out[OUT_DOSES].file, .at_start = true};
        write_dose_rows(&w, &results[i]);
        w = (ds_csv_row_t){.file = out[OUT_SAMPLE_SIZE].file, .at_start = true};
        write_sample_size_rows(&w, &results[i]);
        if (timed) {
            w = (ds_csv_row_t){.file = out[OUT_DURATION].file, .at_start = true};
            write_duration_rows(&w, &results[i]);
        }
    }
    /* All complete before any is renamed, so that a full disk or a write error
     * replaces nothing. The renames themselves are one at a time: one that fails
     * part-way (a folder in a file's place, say) can leave a mixed set. */
    for (int k = 0; k < n_outputs && ret == 0; k++) {
        ret = ds_atomic_close(&out[k], diag);
    }
    for (int k = 0; k < n_outputs && ret == 0; k++) {
        ret = ds_atomic_commit(&out[k], diag); /* each commit releases its file's names */
    }
    if (ret == 0 && !timed) {
        /* A timed run's durations must not outlive it beside an untimed one's results. */
        char *stale = join_path(dir, output_names[OUT_DURATION]);
        if (stale != NULL) {
            unlink(stale);
            free(stale);
        }
    }
out:
    for (int k = 0; k < N_OUTPUTS; k++) {
        ds_atomic_discard(&out[k]);
    }
    return ret;
}

/* ---- per-trial rows ---- */

int ds_trial_writer_open(ds_trial_writer_t *self, const char *path, int n_levels, ds_diag_t *diag)
{
    memset(self, 0, sizeof(*self));
    int ret = ds_atomic_open(&self->out, path, diag);
    if (ret != 0) {
        return ret;
    }
    self->n_levels = n_levels;
    FILE *f = self->out.file;
    fputs("scenario,trial,rp2d_level,n_total,n_dlt,duration_days,enrolled,nonevaluable,"
          "turned_away",
          f);
    for (int d = 1; d <= n_levels; d++) {
        fprintf(f, ",n_%d,dlt_%d", d, d);
    }
    fputc('\n', f);
    return 0;
}

int ds_trial_writer_add(ds_trial_writer_t *self, const char *scenario, uint64_t trial,
                        const ds_trial_t *state, int rp2d, const ds_calendar_t *calendar)
{
    ds_csv_row_t w = {.file = self->out.file, .at_start = true};
    if (state->n_levels > self->n_levels) {
        return DS_ERR_BAD_PARAM;
    }
    ds_csv_text(&w, scenario);
    ds_csv_u64(&w, trial + 1u);
    ds_csv_int(&w, rp2d + 1);
    ds_csv_int(&w, state->n_total);
    ds_csv_int(&w, state->dlt_total);
    if (calendar != NULL) {
        char days[32];
        ds_format_duration(calendar->clock, days, sizeof(days));
        ds_csv_text(&w, days);
        ds_csv_int(&w, calendar->enrolled);
        ds_csv_int(&w, calendar->nonevaluable);
        ds_csv_int(&w, (long long)calendar->turned_away);
    } else {
        for (int k = 0; k < 4; k++) {
            ds_csv_empty(&w);
        }
    }
    for (int d = 0; d < self->n_levels; d++) {
        if (d < state->n_levels) {
            ds_csv_int(&w, state->patients[d]);
            ds_csv_int(&w, state->dlts[d]);
        } else {
            ds_csv_empty(&w);
            ds_csv_empty(&w);
        }
    }
    ds_csv_end(&w);
    if (ferror(w.file)) {
        self->error = self->error != 0 ? self->error : errno != 0 ? errno : EIO;
        return DS_ERR_IO;
    }
    return 0;
}

int ds_trial_writer_failure(const ds_trial_writer_t *self, ds_diag_t *diag)
{
    return ds_diag_set(diag, DS_ERR_IO, self->out.path, 0, "", "cannot write: %s",
                       strerror(self->error != 0 ? self->error : EIO));
}

int ds_trial_writer_close(ds_trial_writer_t *self, ds_diag_t *diag)
{
    return ds_atomic_close(&self->out, diag);
}

int ds_trial_writer_commit(ds_trial_writer_t *self, ds_diag_t *diag)
{
    return ds_atomic_commit(&self->out, diag);
}

void ds_trial_writer_abort(ds_trial_writer_t *self)
{
    ds_atomic_discard(&self->out);
}

/* ---- dose paths ---- */

int ds_path_csv_open(ds_atomic_file_t *out, const char *path, ds_diag_t *diag)
{
    int ret = ds_atomic_open(out, path, diag);
    if (ret == 0) {
        fputs("path,probability,n_total,n_dlt,rp2d_level,cohorts\n", out->file);
    }
    return ret;
}

int ds_path_csv_add(ds_atomic_file_t *out, uint64_t number, double prob, const ds_trial_t *trial,
                    int rp2d, const ds_cohort_t *cohorts, int n_cohorts)
{
    ds_csv_row_t w = {.file = out->file, .at_start = true};
    ds_csv_u64(&w, number);
    ds_csv_double(&w, prob);
    ds_csv_int(&w, trial->n_total);
    ds_csv_int(&w, trial->dlt_total);
    ds_csv_int(&w, rp2d + 1);
    cell_begin(&w);
    for (int i = 0; i < n_cohorts; i++) {
        fprintf(w.file, "%s%d:%d/%d", i > 0 ? " " : "", cohorts[i].level + 1, cohorts[i].dlt,
                cohorts[i].n);
    }
    ds_csv_end(&w);
    return ferror(w.file) ? DS_ERR_IO : 0;
}

/* ---- sweeps ---- */

int ds_sweep_csv_open(ds_atomic_file_t *out, const char *path, ds_diag_t *diag)
{
    int ret = ds_atomic_open(out, path, diag);
    if (ret == 0) {
        fputs(
            "scenario,vary,value,dose_level,dose_label,p_dlt,prob_rp2d,prob_no_rp2d,mean_n,method,"
            "design,deescalate,top_dose,start_level,mean_duration_days,sd_duration_days,"
            "duration_p10,duration_p50,duration_p90\n",
            out->file);
    }
    return ret;
}

int ds_sweep_csv_add(ds_atomic_file_t *out, const ds_scenario_t *swept, const char *vary,
                     double value, const ds_oc_t *oc, const ds_design_t *design)
{
    ds_csv_row_t w = {.file = out->file, .at_start = true};
    for (int d = 0; d < swept->n_levels; d++) {
        ds_csv_text(&w, swept->name);
        ds_csv_text(&w, vary);
        ds_csv_double(&w, value);
        ds_csv_int(&w, d + 1);
        ds_csv_text(&w, swept->labels[d]);
        ds_csv_double(&w, swept->p_dlt[d]);
        ds_csv_double(&w, oc->prob_rp2d[d]);
        ds_csv_double(&w, oc->prob_none);
        ds_csv_double(&w, oc->mean_n);
        ds_csv_text(&w, method_name(oc->method));
        ds_csv_text(&w, design->name);
        ds_csv_text(&w, design->deescalate ? "yes" : "no");
        ds_csv_text(&w, ds_top_dose_name(design->top_dose));
        ds_csv_int(&w, design->start_level + 1);
        if (oc->timed) {
            ds_csv_double(&w, oc->mean_duration_days);
            ds_csv_double(&w, oc->sd_duration_days);
            ds_csv_double(&w, oc->duration_p10);
            ds_csv_double(&w, oc->duration_p50);
            ds_csv_double(&w, oc->duration_p90);
        } else {
            for (int k = 0; k < 5; k++) {
                ds_csv_empty(&w);
            }
        }
        ds_csv_end(&w);
    }
    return ferror(w.file) ? DS_ERR_IO : 0;
}

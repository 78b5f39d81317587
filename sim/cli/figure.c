/* Tables read back from dosesim's CSVs, checked cell by cell, and figures
 * published all or nothing: what plot and compare share. */
#include "figure.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "dosesim/csv.h"

const char *const cli_result_figures[] = {DS_SELECTION_FIGURE, DS_SAMPLE_SIZE_FIGURE,
                                          DS_DURATION_FIGURE, NULL};

/* ---- how dosesim's CSVs read back ---- */

static const char *const methods[] = {DS_METHOD_MC_NAME, DS_METHOD_EXACT_NAME, NULL};
static const char *const yes_no[] = {DS_YES, DS_NO, NULL};
static const char *const top_doses[] = {DS_TOP_DOSE_EXPAND_NAME, DS_TOP_DOSE_ACCEPT_NAME, NULL};
#define WORD(name, words)                                                                          \
    {                                                                                              \
        name, CLI_CELL_WORD, 0, 0, false, words                                                    \
    }
#define NAME(name)                                                                                 \
    {                                                                                              \
        name, CLI_CELL_NAME, 0, 0, false, NULL                                                     \
    }
#define LEVEL(name)                                                                                \
    {                                                                                              \
        name, CLI_CELL_INT, 1, DS_MAX_LEVELS, false, NULL                                          \
    }
#define NUMBER(name, lo, hi)                                                                       \
    {                                                                                              \
        name, CLI_CELL_NUMBER, lo, hi, false, NULL                                                 \
    }
#define OPTIONAL(name, lo, hi)                                                                     \
    {                                                                                              \
        name, CLI_CELL_NUMBER, lo, hi, true, NULL                                                  \
    }
#define PROBABILITY(name) NUMBER(name, 0.0, 1.0)
#define END                                                                                        \
    {                                                                                              \
        NULL, 0, 0, 0, false, NULL                                                                 \
    }

/* What plot and compare read of each table (schema.h's contract has every
 * column; a test checks these names are its own), with the ranges they rely on. */
const cli_column_t cli_summary_columns[] = {
    NAME(DS_COL_SCENARIO),
    WORD(DS_COL_METHOD, methods),
    NAME(DS_COL_DESIGN),
    WORD(DS_COL_DEESCALATE, yes_no),
    WORD(DS_COL_TOP_DOSE, top_doses),
    LEVEL(DS_COL_START_LEVEL),
    {DS_COL_N_TRIALS, CLI_CELL_INT, 0, 9007199254740991.0, false, NULL},
    NUMBER(DS_COL_WINDOW_DAYS, DS_MIN_WINDOW_DAYS, DS_MAX_WINDOW_DAYS),
    NUMBER(DS_COL_ACCRUAL_PER_30_DAYS, 0.0, DS_MAX_ACCRUAL),
    {DS_COL_DLT_ONSET, CLI_CELL_TEXT, 0, 0, false, NULL},
    PROBABILITY(DS_COL_DROPOUT),
    PROBABILITY(DS_COL_TARGET),
    PROBABILITY(DS_COL_TARGET_LO),
    PROBABILITY(DS_COL_TARGET_HI),
    {DS_COL_TRUE_MTD_LEVEL, CLI_CELL_INT, 0, DS_MAX_LEVELS, false, NULL},
    NAME(DS_COL_TRUE_MTD_LABEL),
    PROBABILITY(DS_COL_PROB_NO_RP2D),
    PROBABILITY(DS_COL_PROB_NO_RP2D_LO),
    PROBABILITY(DS_COL_PROB_NO_RP2D_HI),
    {DS_COL_PROB_CORRECT_SELECTION, CLI_CELL_NUMBER, 0.0, 1.0, true, NULL},
    PROBABILITY(DS_COL_PROB_SELECT_ABOVE),
    NUMBER(DS_COL_MEAN_N_TREATED, 0.0, 1e7),
    NUMBER(DS_COL_SD_N_EVALUABLE, 0.0, 1e7),
    NUMBER(DS_COL_MEAN_N_DLT, 0.0, 1e7),
    OPTIONAL(DS_COL_MEAN_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    OPTIONAL(DS_COL_P50_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    OPTIONAL(DS_COL_MEAN_N_TURNED_AWAY, 0.0, 1e18),
    OPTIONAL(DS_COL_MEAN_N_BACKFILLED, 0.0, 1e7),
    END,
};
/* The none row (dose_level 0) has no p_dlt; the index (cli_dose_index) leaves it out. */
const cli_column_t cli_doses_columns[] = {
    NAME(DS_COL_SCENARIO),
    {DS_COL_DOSE_LEVEL, CLI_CELL_INT, 0, DS_MAX_LEVELS, false, NULL},
    NAME(DS_COL_DOSE_LABEL),
    OPTIONAL(DS_COL_P_DLT, 0.0, 1.0),
    WORD(DS_COL_TRUE_MTD, yes_no),
    PROBABILITY(DS_COL_PROB_RP2D),
    PROBABILITY(DS_COL_PROB_RP2D_LO),
    PROBABILITY(DS_COL_PROB_RP2D_HI),
    END,
};
/* What compare reads of optimisation.csv (optimise.h). */
const cli_column_t cli_optimisation_columns[] = {
    NAME(DS_COL_SCENARIO),
    {DS_COL_DOSE_LEVEL, CLI_CELL_INT, 0, DS_MAX_LEVELS, false, NULL},
    OPTIONAL(DS_COL_P_RESPONSE, 0.0, 1.0),
    OPTIONAL(DS_COL_P_DLT_AND_RESPONSE, 0.0, 1.0),
    PROBABILITY(DS_COL_OPTIMISE_DELTA),
    WORD(DS_COL_TRUE_OPTIMAL, yes_no),
    PROBABILITY(DS_COL_PROB_FINAL),
    NUMBER(DS_COL_PROB_FINAL_SE, 0.0, 1.0),
    {DS_COL_OPTIMISE_N_PER_ARM, CLI_CELL_INT, 0, DS_MAX_ARM_PATIENTS, false, NULL},
    PROBABILITY(DS_COL_PROB_SELECT_OPTIMAL),
    PROBABILITY(DS_COL_PROB_SELECT_ABOVE_OPTIMAL),
    NUMBER(DS_COL_MEAN_N_OVERALL, 0.0, 1e7),
    OPTIONAL(DS_COL_MEAN_N_BACKFILLED, 0.0, 1e7),
    OPTIONAL(DS_COL_MEAN_OVERALL_DAYS, 0.0, 4.0 * DS_MAX_DURATION_DAYS),
    END,
};
const cli_column_t cli_sample_size_columns[] = {
    NAME(DS_COL_SCENARIO),
    {DS_COL_N_EVALUABLE, CLI_CELL_INT, 0, DS_MAX_LEVELS *DS_MAX_PATIENTS_AT_LEVEL, false, NULL},
    PROBABILITY(DS_COL_PROB),
    END,
};
const cli_column_t cli_duration_columns[] = {
    NAME(DS_COL_SCENARIO),
    NUMBER(DS_COL_DAYS_FROM, 0.0, DS_MAX_DURATION_DAYS),
    NUMBER(DS_COL_DAYS_TO, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    PROBABILITY(DS_COL_PROB),
    END,
};
/* A sweep's rows are doses.csv's and summary.csv's at each point, with the key. */
const cli_column_t cli_sweep_columns[] = {
    NAME(DS_COL_SCENARIO),
    WORD(DS_COL_METHOD, methods),
    NAME(DS_COL_DESIGN),
    WORD(DS_COL_DEESCALATE, yes_no),
    WORD(DS_COL_TOP_DOSE, top_doses),
    LEVEL(DS_COL_START_LEVEL),
    {DS_COL_N_TRIALS, CLI_CELL_INT, 0, 9007199254740991.0, false, NULL},
    NUMBER(DS_COL_WINDOW_DAYS, DS_MIN_WINDOW_DAYS, DS_MAX_WINDOW_DAYS),
    NUMBER(DS_COL_ACCRUAL_PER_30_DAYS, 0.0, DS_MAX_ACCRUAL),
    {DS_COL_DLT_ONSET, CLI_CELL_TEXT, 0, 0, false, NULL},
    PROBABILITY(DS_COL_DROPOUT),
    PROBABILITY(DS_COL_TARGET),
    PROBABILITY(DS_COL_TARGET_LO),
    PROBABILITY(DS_COL_TARGET_HI),
    NAME(DS_COL_SWEEP_VARY),
    NUMBER(DS_COL_SWEEP_VALUE, 0.0, 1e6),
    {DS_COL_DOSE_LEVEL, CLI_CELL_INT, 0, DS_MAX_LEVELS, false, NULL},
    NAME(DS_COL_DOSE_LABEL),
    OPTIONAL(DS_COL_P_DLT, 0.0, 1.0),
    WORD(DS_COL_TRUE_MTD, yes_no),
    PROBABILITY(DS_COL_PROB_RP2D),
    PROBABILITY(DS_COL_PROB_RP2D_LO),
    PROBABILITY(DS_COL_PROB_RP2D_HI),
    PROBABILITY(DS_COL_PROB_NO_RP2D),
    NUMBER(DS_COL_MEAN_N_TREATED, 0.0, 1e7),
    OPTIONAL(DS_COL_MEAN_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    END,
};

/* What report reads (its tables' every number and word), as schema.h's
 * contract says each may be: a column that may be empty there (the accuracy
 * columns, the calendar's, the none row's) is optional here. */
#define RUN_ID(name)                                                                               \
    {                                                                                              \
        name, CLI_CELL_TEXT, 0, 0, false, NULL                                                     \
    }
#define COUNT(name, hi)                                                                            \
    {                                                                                              \
        name, CLI_CELL_INT, 0, hi, false, NULL                                                     \
    }
#define OPTIONAL_PROBABILITY(name) OPTIONAL(name, 0.0, 1.0)
#define KEY_COLUMNS                                                                                \
    RUN_ID(DS_COL_RUN_ID), NAME(DS_COL_SCENARIO), COUNT(DS_COL_SCENARIO_ORDER, 1e9),               \
        NAME(DS_COL_DESIGN), WORD(DS_COL_METHOD, methods), WORD(DS_COL_DEESCALATE, yes_no),        \
        WORD(DS_COL_TOP_DOSE, top_doses), LEVEL(DS_COL_START_LEVEL),                               \
        COUNT(DS_COL_N_TRIALS, 9007199254740991.0), COUNT(DS_COL_SEED, 9007199254740991.0),        \
        NUMBER(DS_COL_WINDOW_DAYS, DS_MIN_WINDOW_DAYS, DS_MAX_WINDOW_DAYS),                        \
        NUMBER(DS_COL_ACCRUAL_PER_30_DAYS, 0.0, DS_MAX_ACCRUAL),                                   \
        {DS_COL_DLT_ONSET, CLI_CELL_NAME, 0, 0, false, NULL}, PROBABILITY(DS_COL_DROPOUT),         \
        PROBABILITY(DS_COL_TARGET), PROBABILITY(DS_COL_TARGET_LO), PROBABILITY(DS_COL_TARGET_HI)
const cli_column_t cli_report_summary_columns[] = {
    KEY_COLUMNS,
    LEVEL(DS_COL_N_LEVELS),
    COUNT(DS_COL_TRUE_MTD_LEVEL, DS_MAX_LEVELS),
    NAME(DS_COL_TRUE_MTD_LABEL),
    PROBABILITY(DS_COL_PROB_NO_RP2D),
    PROBABILITY(DS_COL_PROB_NO_RP2D_LO),
    PROBABILITY(DS_COL_PROB_NO_RP2D_HI),
    OPTIONAL_PROBABILITY(DS_COL_PROB_CORRECT_SELECTION),
    PROBABILITY(DS_COL_PROB_SELECT_ABOVE),
    PROBABILITY(DS_COL_PROB_SELECT_BELOW),
    OPTIONAL_PROBABILITY(DS_COL_PROB_NO_RP2D_DESPITE_ACCEPTABLE),
    NUMBER(DS_COL_MEAN_N_TREATED, 0.0, 1e7),
    NUMBER(DS_COL_SD_N_EVALUABLE, 0.0, 1e7),
    COUNT(DS_COL_P50_N_EVALUABLE, 1e7),
    NUMBER(DS_COL_MEAN_N_DLT, 0.0, 1e7),
    OPTIONAL(DS_COL_MEAN_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    OPTIONAL(DS_COL_P10_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    OPTIONAL(DS_COL_P50_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    OPTIONAL(DS_COL_P90_DURATION_DAYS, 0.0, 2.0 * DS_MAX_DURATION_DAYS),
    END,
};
const cli_column_t cli_report_doses_columns[] = {
    KEY_COLUMNS,
    {DS_COL_DOSE_LEVEL, CLI_CELL_INT, 0, DS_MAX_LEVELS, false, NULL},
    NAME(DS_COL_DOSE_LABEL),
    OPTIONAL_PROBABILITY(DS_COL_P_DLT),
    WORD(DS_COL_TRUE_MTD, yes_no),
    PROBABILITY(DS_COL_PROB_RP2D),
    PROBABILITY(DS_COL_PROB_RP2D_LO),
    PROBABILITY(DS_COL_PROB_RP2D_HI),
    OPTIONAL(DS_COL_MEAN_N_TREATED_AT_DOSE, 0.0, 1e7),
    OPTIONAL(DS_COL_MEAN_N_DLT_AT_DOSE, 0.0, 1e7),
    END,
};

typedef struct {
    cli_table_t *table;
    long line;
} table_reader_t;

static void free_fields(char **fields, int n)
{
    for (int i = 0; i < n; i++) {
        free(fields[i]);
    }
    free(fields);
}

static int add_record(void *ctx, const ds_csv_record_t *rec)
{
    table_reader_t *r = ctx;
    cli_table_t *t = r->table;
    r->line = rec->line;
    char **copy = calloc((size_t)rec->n_fields, sizeof(*copy));
    if (copy == NULL) {
        return DS_ERR_NOMEM;
    }
    for (int i = 0; i < rec->n_fields; i++) {
        copy[i] = rec->fields[i];
        rec->fields[i] = NULL; /* taken over (the reader frees what it still holds) */
    }
    if (t->names == NULL) {
        t->names = copy;
        t->n_cols = rec->n_fields;
        return 0;
    }
    if (rec->n_fields != t->n_cols) {
        free_fields(copy, rec->n_fields);
        return DS_ERR_PARSE;
    }
    if (t->n_rows == t->cap_rows) {
        int cap = t->cap_rows == 0 ? 64 : 2 * t->cap_rows;
        char ***grown = realloc(t->cells, (size_t)cap * sizeof(*grown));
        long *lines = grown != NULL ? realloc(t->lines, (size_t)cap * sizeof(*lines)) : NULL;
        if (grown != NULL) {
            t->cells = grown;
        }
        if (lines == NULL) {
            free_fields(copy, rec->n_fields);
            return DS_ERR_NOMEM;
        }
        t->lines = lines;
        t->cap_rows = cap;
    }
    t->lines[t->n_rows] = rec->line;
    t->cells[t->n_rows++] = copy;
    return 0;
}

void cli_table_free(cli_table_t *t)
{
    for (int r = 0; r < t->n_rows; r++) {
        free_fields(t->cells[r], t->n_cols);
    }
    if (t->names != NULL) {
        free_fields(t->names, t->n_cols);
    }
    free(t->cells);
    free(t->lines);
    free(t->path);
    memset(t, 0, sizeof(*t));
}

static int column(const cli_table_t *t, const char *name)
{
    for (int c = 0; c < t->n_cols; c++) {
        if (strcmp(t->names[c], name) == 0) {
            return c;
        }
    }
    return -1;
}

/* One cell as its column says it must read; false after saying why. */
static bool cell_ok(const cli_table_t *t, const char *cmd, int row, const cli_column_t *col,
                    const char *text)
{
    size_t len = strlen(text);
    long line = t->lines[row];
    char why[200];
    if (len == 0 && (col->may_be_empty || col->kind == CLI_CELL_TEXT)) {
        return true;
    }
    if (ds_text_problem(text, len, why, sizeof(why)) != NULL) {
        cli_error(cmd, "%s:%ld: field '%s': %s", t->path, line, col->name, why);
        return false;
    }
    double x = 0.0;
    switch (col->kind) {
    case CLI_CELL_NAME:
        if (len == 0 || len > DS_MAX_NAME) {
            cli_error(cmd, "%s:%ld: field '%s': %s", t->path, line, col->name,
                      len == 0 ? "is empty" : "is longer than a name may be");
            return false;
        }
        return true;
    case CLI_CELL_TEXT:
        if (len > CLI_MAX_TEXT_CELL) {
            cli_error(cmd, "%s:%ld: field '%s': is too long", t->path, line, col->name);
            return false;
        }
        return true;
    case CLI_CELL_WORD:
        for (int i = 0; col->words[i] != NULL; i++) {
            if (strcmp(text, col->words[i]) == 0) {
                return true;
            }
        }
        cli_error(cmd, "%s:%ld: field '%s': '%.40s' is not a value dosesim writes there", t->path,
                  line, col->name, text);
        return false;
    case CLI_CELL_INT:
        if (!ds_parse_double(text, &x) || x != floor(x) || strpbrk(text, ".eE") != NULL) {
            cli_error(cmd, "%s:%ld: field '%s': '%.40s' is not a whole number", t->path, line,
                      col->name, text);
            return false;
        }
        break;
    case CLI_CELL_NUMBER:
        if (!ds_parse_double(text, &x)) {
            cli_error(cmd, "%s:%ld: field '%s': '%.40s' is not a number", t->path, line, col->name,
                      text);
            return false;
        }
        break;
    }
    if (!(x >= col->lo && x <= col->hi)) {
        cli_error(cmd, "%s:%ld: field '%s': %.40s is outside %g..%g", t->path, line, col->name,
                  text, col->lo, col->hi);
        return false;
    }
    return true;
}

/* A cell as the contract types it (schema.c): so that every cell of a file
 * read back is checked, not only those that are drawn. false after saying why. */
static bool contract_cell_ok(const cli_table_t *t, const char *cmd, int row,
                             const ds_column_t *col, const char *text)
{
    const size_t len = strlen(text);
    const long line = t->lines[row];
    char why[200];
    double x = 0.0;
    if (len == 0) {
        if (col->empty_when != NULL) {
            return true;
        }
        cli_error(cmd, "%s:%ld: field '%s': is empty, which dosesim never writes there", t->path,
                  line, col->name);
        return false;
    }
    if (ds_text_problem(text, len, why, sizeof(why)) != NULL || len > CLI_MAX_TEXT_CELL) {
        cli_error(cmd, "%s:%ld: field '%s': %s", t->path, line, col->name,
                  len > CLI_MAX_TEXT_CELL ? "is too long" : why);
        return false;
    }
    bool ok = true;
    switch (col->type) {
    case DS_TYPE_TEXT:
        break;
    case DS_TYPE_RUN_ID:
        ok = len == strlen(DS_RUN_ID_PREFIX) + DS_RUN_ID_HEX_DIGITS &&
             strncmp(text, DS_RUN_ID_PREFIX, strlen(DS_RUN_ID_PREFIX)) == 0 &&
             strspn(text + strlen(DS_RUN_ID_PREFIX), "0123456789abcdef") == DS_RUN_ID_HEX_DIGITS;
        break;
    case DS_TYPE_YES_NO:
        ok = strcmp(text, DS_YES) == 0 || strcmp(text, DS_NO) == 0;
        break;
    case DS_TYPE_INTEGER:
        ok = ds_parse_double(text, &x) && x == floor(x) && strpbrk(text, ".eE") == NULL &&
             fabs(x) <= 9007199254740991.0;
        break;
    case DS_TYPE_NUMBER:
        ok = ds_parse_double(text, &x) && isfinite(x);
        break;
    case DS_TYPE_PROBABILITY:
        ok = ds_parse_double(text, &x) && x >= 0.0 && x <= 1.0;
        break;
    default:
        ok = false;
        break;
    }
    if (!ok) {
        cli_error(cmd, "%s:%ld: field '%s': '%.40s' is not a %s, as dosesim writes there",
                  t->path, line, col->name, text, ds_column_type_names[col->type]);
    }
    return ok;
}

static bool table_ok(const cli_table_t *t, const char *cmd, const cli_column_t *columns)
{
    /* Every column: one of the contract's, and each cell as the contract types
     * it; then what the command reads, with the ranges it relies on. */
    for (int c = 0; c < t->n_cols; c++) {
        const ds_column_t *col = ds_schema_column(t->names[c], false);
        if (col == NULL) {
            cli_error(cmd, "%s: column '%.40s' is not one dosesim writes (results/SCHEMA.csv)",
                      t->path, t->names[c]);
            return false;
        }
        for (int r = 0; r < t->n_rows; r++) {
            if (!contract_cell_ok(t, cmd, r, col, t->cells[r][c])) {
                return false;
            }
        }
    }
    for (int k = 0; columns[k].name != NULL; k++) {
        int c = column(t, columns[k].name);
        if (c < 0) {
            cli_error(cmd, "%s: no column '%s': not a dosesim results file of this version",
                      t->path, columns[k].name);
            return false;
        }
        for (int r = 0; r < t->n_rows; r++) {
            if (!cell_ok(t, cmd, r, &columns[k], t->cells[r][c])) {
                return false;
            }
        }
    }
    return true;
}

int cli_table_parse(cli_table_t *t, const char *cmd, const char *path, const char *text, size_t len,
                    const cli_column_t *columns)
{
    ds_diag_t diag;
    memset(t, 0, sizeof(*t));
    t->path = malloc(strlen(path) + 1);
    if (t->path == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    strcpy(t->path, path);
    ds_diag_clear(&diag);
    table_reader_t reader = {.table = t};
    int ret = ds_csv_read(path, text, len, add_record, &reader, &diag);
    if (ret != 0 || t->n_cols == 0) {
        if (diag.message[0] != '\0') {
            cli_diag_error(cmd, &diag);
        } else if (ret == DS_ERR_NOMEM) {
            cli_error(cmd, "%s: out of memory", path);
        } else {
            if (t->n_cols == 0) {
                cli_error(cmd, "%s: not a dosesim results file (empty)", path);
            } else {
                cli_error(cmd,
                          "%s:%ld: not a dosesim results file (a row of another length "
                          "than the header)",
                          path, reader.line);
            }
        }
        cli_table_free(t);
        return -1;
    }
    if (!table_ok(t, cmd, columns)) {
        cli_table_free(t);
        return -1;
    }
    return 0;
}

int cli_table_read(cli_table_t *t, const char *cmd, const char *dir, const char *name,
                   const cli_column_t *columns)
{
    char path[CLI_PATH_CHARS];
    char *text = NULL;
    size_t len = 0;
    ds_diag_t diag;
    struct stat st;
    memset(t, 0, sizeof(*t));
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (lstat(path, &st) != 0) {
        return 1;
    }
    if (ds_read_file(path, DS_MAX_FILE_BYTES, DS_READ_IN_FOLDER, &text, &len, &diag) != 0) {
        cli_diag_error(cmd, &diag);
        return -1;
    }
    int ret = cli_table_parse(t, cmd, path, text, len, columns);
    free(text);
    return ret;
}

const char *cli_table_cell(const cli_table_t *t, int row, const char *name)
{
    int c = column(t, name);
    return c >= 0 && row >= 0 && row < t->n_rows ? t->cells[row][c] : "";
}

double cli_table_number(const cli_table_t *t, int row, const char *name)
{
    double x;
    return ds_parse_double(cli_table_cell(t, row, name), &x) ? x : NAN;
}

int cli_read_text(const char *cmd, const char *dir, const char *name, cli_text_file_t *file,
                  char **owned)
{
    ds_diag_t diag;
    char *path = malloc(strlen(dir) + strlen(name) + 2);
    *owned = NULL;
    memset(file, 0, sizeof(*file));
    if (path == NULL) {
        cli_error(cmd, "out of memory");
        return -1;
    }
    sprintf(path, "%s/%s", dir, name);
    file->path = path;
    struct stat st;
    if (lstat(path, &st) != 0 && errno == ENOENT) {
        return 0;
    }
    if (ds_read_file(path, DS_MAX_FILE_BYTES, DS_READ_IN_FOLDER, owned, &file->len, &diag) != 0) {
        cli_diag_error(cmd, &diag);
        return -1;
    }
    file->text = *owned;
    return 0;
}

/* ---- doses by scenario and level ---- */

typedef struct {
    const char *name;
    int index;
} named_t;

static int compare_named(const void *a, const void *b)
{
    return strcmp(((const named_t *)a)->name, ((const named_t *)b)->name);
}

/* The summary's scenarios sorted by name, after checking none appears twice;
 * NULL after saying why. */
static named_t *sorted_scenarios(const char *cmd, const cli_table_t *summary)
{
    const int n = summary->n_rows;
    named_t *names = calloc((size_t)n + 1, sizeof(*names));
    if (names == NULL) {
        cli_error(cmd, "out of memory");
        return NULL;
    }
    for (int s = 0; s < n; s++) {
        names[s] = (named_t){cli_table_cell(summary, s, DS_COL_SCENARIO), s};
    }
    qsort(names, (size_t)n, sizeof(*names), compare_named);
    for (int s = 1; s < n; s++) {
        if (strcmp(names[s].name, names[s - 1].name) == 0) {
            int later = names[s].index > names[s - 1].index ? names[s].index : names[s - 1].index;
            cli_error(cmd, "%s:%ld: field 'scenario': '%s' appears twice", summary->path,
                      summary->lines[later], names[s].name);
            free(names);
            return NULL;
        }
    }
    return names;
}

int *cli_scenario_of_rows(const cli_table_t *t, const char *cmd, const cli_table_t *summary)
{
    named_t *names = sorted_scenarios(cmd, summary);
    int *of = names != NULL ? malloc(((size_t)t->n_rows + 1) * sizeof(int)) : NULL;
    if (names != NULL && of == NULL) {
        cli_error(cmd, "out of memory");
    }
    for (int r = 0; of != NULL && r < t->n_rows; r++) {
        named_t key = {cli_table_cell(t, r, DS_COL_SCENARIO), 0};
        const named_t *found =
            bsearch(&key, names, (size_t)summary->n_rows, sizeof(*names), compare_named);
        if (found == NULL) {
            cli_error(cmd, "%s:%ld: field 'scenario': '%s' is not a scenario of %s", t->path,
                      t->lines[r], key.name, summary->path);
            free(of);
            of = NULL;
            break;
        }
        of[r] = found->index;
    }
    free(names);
    return of;
}

int cli_dose_index(cli_dose_index_t *index, const char *cmd, const cli_table_t *summary,
                   const cli_table_t *doses)
{
    memset(index, 0, sizeof(*index));
    const int n = summary->n_rows;
    named_t *names = sorted_scenarios(cmd, summary);
    if (names == NULL) {
        return -1;
    }
    for (int r = 0; r < doses->n_rows; r++) {
        int level = (int)cli_table_number(doses, r, DS_COL_DOSE_LEVEL);
        index->max_levels = level > index->max_levels ? level : index->max_levels;
    }
    index->n_scenarios = n;
    index->rows = malloc(((size_t)n * (size_t)index->max_levels + 1) * sizeof(int));
    if (index->rows == NULL) {
        free(names);
        cli_error(cmd, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < (size_t)n * (size_t)index->max_levels; i++) {
        index->rows[i] = -1;
    }
    int ret = 0;
    for (int r = 0; r < doses->n_rows && ret == 0; r++) {
        named_t key = {cli_table_cell(doses, r, DS_COL_SCENARIO), 0};
        const named_t *found = bsearch(&key, names, (size_t)n, sizeof(*names), compare_named);
        int level = (int)cli_table_number(doses, r, DS_COL_DOSE_LEVEL);
        if (found == NULL) {
            cli_error(cmd, "%s:%ld: field 'scenario': '%s' is not a scenario of %s", doses->path,
                      doses->lines[r], key.name, summary->path);
            ret = -1;
            break;
        }
        if (level == 0) {
            continue; /* the none row: its numbers are summary.csv's too */
        }
        int *slot =
            &index->rows[(size_t)found->index * (size_t)index->max_levels + (size_t)level - 1];
        if (*slot >= 0) {
            cli_error(cmd, "%s:%ld: field 'dose_level': level %d of '%s' appears twice",
                      doses->path, doses->lines[r], level, key.name);
            ret = -1;
        }
        *slot = r;
    }
    for (int s = 0; s < n && ret == 0; s++) {
        int k = cli_dose_levels(index, s);
        for (int level = k + 1; level <= index->max_levels; level++) {
            if (cli_dose_row(index, s, level) >= 0) {
                cli_error(cmd, "%s: scenario '%s' has dose level %d but no level %d", doses->path,
                          cli_table_cell(summary, s, DS_COL_SCENARIO), level, k + 1);
                ret = -1;
                break;
            }
        }
        if (ret == 0 && k == 0) {
            cli_error(cmd, "%s: scenario '%s' has no doses", doses->path,
                      cli_table_cell(summary, s, DS_COL_SCENARIO));
            ret = -1;
        }
        int mtd = (int)cli_table_number(summary, s, DS_COL_TRUE_MTD_LEVEL);
        if (ret == 0 && mtd > k) {
            cli_error(cmd, "%s:%ld: field 'true_mtd_level': %d, but scenario '%s' has %d doses",
                      summary->path, summary->lines[s], mtd,
                      cli_table_cell(summary, s, DS_COL_SCENARIO), k);
            ret = -1;
        }
    }
    /* The true MTD's row says yes (the none row when there is none), as the
     * summary's true_mtd_level says: the figures mark it. */
    for (int r = 0; r < doses->n_rows && ret == 0; r++) {
        named_t key = {cli_table_cell(doses, r, DS_COL_SCENARIO), 0};
        const named_t *found = bsearch(&key, names, (size_t)n, sizeof(*names), compare_named);
        int level = (int)cli_table_number(doses, r, DS_COL_DOSE_LEVEL);
        int mtd = (int)cli_table_number(summary, found->index, DS_COL_TRUE_MTD_LEVEL);
        bool yes = strcmp(cli_table_cell(doses, r, DS_COL_TRUE_MTD), DS_YES) == 0;
        if (yes != (level == mtd)) {
            cli_error(cmd,
                      "%s:%ld: field 'true_mtd': '%s' at level %d of '%s', where %s has "
                      "true_mtd_level %d",
                      doses->path, doses->lines[r], yes ? DS_YES : DS_NO, level, key.name,
                      summary->path, mtd);
            ret = -1;
        }
    }
    free(names);
    if (ret != 0) {
        cli_dose_index_free(index);
    }
    return ret;
}

void cli_dose_index_free(cli_dose_index_t *index)
{
    free(index->rows);
    memset(index, 0, sizeof(*index));
}

int cli_dose_row(const cli_dose_index_t *index, int s, int level)
{
    if (s < 0 || s >= index->n_scenarios || level < 1 || level > index->max_levels) {
        return -1;
    }
    return index->rows[(size_t)s * (size_t)index->max_levels + (size_t)level - 1];
}

int cli_dose_levels(const cli_dose_index_t *index, int s)
{
    int k = 0;
    while (cli_dose_row(index, s, k + 1) >= 0) {
        k++;
    }
    return k;
}

/* ---- what the figures share ---- */

bool cli_target_of(const cli_table_t *t, int row, double *target, double *lo, double *hi)
{
    *target = cli_table_number(t, row, DS_COL_TARGET);
    *lo = cli_table_number(t, row, DS_COL_TARGET_LO);
    *hi = cli_table_number(t, row, DS_COL_TARGET_HI);
    return (*target > 0.0 || *hi > 0.0) && *lo <= *hi;
}

bool cli_timed(const cli_table_t *t, int row)
{
    return cli_table_number(t, row, DS_COL_ACCRUAL_PER_30_DAYS) > 0.0 &&
           strcmp(cli_table_cell(t, row, DS_COL_DLT_ONSET), DS_ONSET_NONE_NAME) != 0;
}

void cli_put_count(char *out, size_t room, const char *digits)
{
    size_t n = strlen(digits), at = 0;
    for (size_t i = 0; i < n && at + 2 < room; i++) {
        out[at++] = digits[i];
        if ((n - 1 - i) % 3 == 0 && i + 1 < n && digits[i] >= '0' && digits[i] <= '9') {
            out[at++] = ',';
        }
    }
    out[at] = '\0';
}

int cli_put_caption(FILE *gp, const cli_table_t *t, double bottom, double line_height,
                    bool with_target)
{
    int lines = 0;
    double target, lo, hi;
    if (with_target && cli_target_of(t, 0, &target, &lo, &hi)) {
        char text[200];
        snprintf(text, sizeof(text),
                 "target DLT rate %.3g, acceptable %.3g to %.3g: the true MTD is the dose in that "
                 "interval closest to the target",
                 target, lo, hi);
        fprintf(gp, "set label 103 ");
        cli_gp_str(gp, text);
        fprintf(gp, " at screen 0.5, screen %.4f center\n", bottom + lines++ * line_height);
    }
    fputs("set label 102 ", gp);
    bool mc = strcmp(cli_table_cell(t, 0, DS_COL_METHOD), DS_METHOD_MC_NAME) == 0;
    cli_gp_join(gp, mc ? "Monte Carlo, " : "exact (every path summed)", true);
    if (mc) {
        char count[64];
        cli_put_count(count, sizeof(count), cli_table_cell(t, 0, DS_COL_N_TRIALS));
        cli_gp_join(gp, count, false);
        cli_gp_join(gp, " trials", false);
    }
    if (cli_timed(t, 0)) {
        cli_gp_join(gp, "; calendar: ", false);
        cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_ACCRUAL_PER_30_DAYS), false);
        cli_gp_join(gp, " patients per 30 days, ", false);
        cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_WINDOW_DAYS), false);
        cli_gp_join(gp, "-day DLT window, DLT onset ", false);
        cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_DLT_ONSET), false);
        cli_gp_join(gp, ", dropout ", false);
        cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_DROPOUT), false);
    }
    fprintf(gp, " at screen 0.5, screen %.4f center\nset label 101 ",
            bottom + lines++ * line_height);
    cli_gp_join(gp, "rules: ", true);
    cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_DESIGN), false);
    cli_gp_join(gp, ", de-escalation ", false);
    cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_DEESCALATE), false);
    cli_gp_join(gp, ", top dose ", false);
    cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_TOP_DOSE), false);
    cli_gp_join(gp, ", start at level ", false);
    cli_gp_join(gp, cli_table_cell(t, 0, DS_COL_START_LEVEL), false);
    fprintf(gp, " at screen 0.5, screen %.4f center\n", bottom + lines++ * line_height);
    return lines;
}

cli_time_unit_t cli_time_unit(double longest_days)
{
    return longest_days > 120.0 ? (cli_time_unit_t){365.25 / 12.0, "months"}
                                : (cli_time_unit_t){1.0, "days"};
}

double cli_nice_step(double span, int n)
{
    if (!(span > 0.0) || n < 1) {
        return 1.0;
    }
    double raw = span / n, power = pow(10.0, floor(log10(raw)));
    static const double steps[] = {1.0, 2.0, 2.5, 5.0, 10.0};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        if (steps[i] * power >= raw) {
            return steps[i] * power;
        }
    }
    return 10.0 * power;
}

/* ---- figures ---- */

void cli_figures_init(cli_figures_t *figs, const char *command, const char *out_dir,
                      cli_gp_format_t format)
{
    memset(figs, 0, sizeof(*figs));
    figs->command = command;
    figs->out_dir = out_dir;
    figs->format = format;
    for (size_t k = 0; k < sizeof(figs->files) / sizeof(figs->files[0]); k++) {
        ds_outfile_init(&figs->files[k]);
    }
}

int cli_figure_begin(cli_figures_t *figs, const char *name, int width, int height)
{
    if (figs->n >= (int)(sizeof(figs->files) / sizeof(figs->files[0]))) {
        cli_error(figs->command, "too many figures at once");
        return EXIT_RUN_FAILED;
    }
    char *k_name = figs->names[figs->n];
    snprintf(k_name, sizeof(figs->names[0]), "%s.%s", name, cli_gp_format_names[figs->format]);
    if (cli_gp_begin(&figs->gp, figs->format, width, height) != 0) {
        cli_error(figs->command, "out of memory");
        return EXIT_RUN_FAILED;
    }
    return 0;
}

int cli_figure_end(cli_figures_t *figs)
{
    int k = figs->n;
    if (figs->scripts != NULL) {
        fprintf(figs->scripts, "# %s\n%s", figs->names[k], cli_gp_script(&figs->gp));
        cli_gp_free(&figs->gp);
        return 0;
    }
    char path[4400];
    snprintf(path, sizeof(path), "%s/%s", figs->out_dir, figs->names[k]);
    int status = cli_outfile_open(figs->command, &figs->files[k], path, 0);
    if (status == 0) {
        figs->n++;
        status = cli_gp_render(&figs->gp, figs->command, &figs->files[k], figs->names[k]);
    }
    cli_gp_free(&figs->gp);
    return status;
}

int cli_figures_publish(cli_figures_t *figs, FILE *say)
{
    ds_outfile_t *files[24];
    for (int k = 0; k < figs->n; k++) {
        files[k] = &figs->files[k];
    }
    int status = cli_stdout_check(figs->command);
    if (status == 0) {
        status = cli_publish(figs->command, files, figs->n, DS_PUBLISH_SET, NULL);
    }
    if (status != 0) {
        cli_figures_abandon(figs);
        return status;
    }
    for (int k = 0; k < figs->n; k++) {
        fprintf(say, "wrote %s/%s\n", figs->out_dir, figs->names[k]);
    }
    figs->n = 0;
    return 0;
}

void cli_figures_abandon(cli_figures_t *figs)
{
    for (size_t k = 0; k < sizeof(figs->files) / sizeof(figs->files[0]); k++) {
        ds_outfile_discard(&figs->files[k]);
    }
    cli_gp_free(&figs->gp);
    figs->n = 0;
}

/* ---- optimisation.csv's rows (compare, report) ---- */

int cli_optimisation_row(const cli_table_t *o, const char *scenario, int level)
{
    for (int r = 0; r < o->n_rows; r++) {
        if (strcmp(cli_table_cell(o, r, DS_COL_SCENARIO), scenario) == 0 &&
            (level < 0 || (int)cli_table_number(o, r, DS_COL_DOSE_LEVEL) == level)) {
            return r;
        }
    }
    return -1;
}

bool cli_same_response(const char *cmd, const cli_table_t *a, const cli_table_t *b)
{
    static const char *const truth[] = {DS_COL_P_RESPONSE, DS_COL_P_DLT_AND_RESPONSE,
                                        DS_COL_OPTIMISE_DELTA};
    for (int x = 0; x < a->n_rows; x++) {
        const int y = cli_optimisation_row(b, cli_table_cell(a, x, DS_COL_SCENARIO),
                                           (int)cli_table_number(a, x, DS_COL_DOSE_LEVEL));
        for (size_t c = 0; y >= 0 && c < sizeof(truth) / sizeof(truth[0]); c++) {
            const char *p = cli_table_cell(a, x, truth[c]);
            const char *q = cli_table_cell(b, y, truth[c]);
            if (strcmp(p, q) != 0) {
                cli_error(cmd,
                          "%s:%ld: field '%s': %s, where %s has %s: the final doses of other "
                          "response assumptions are not comparable",
                          b->path, b->lines[y], truth[c], q, a->path, p);
                return false;
            }
        }
    }
    return true;
}

/* Rule tables of the user's own: a CSV row per stage, read with the same
 * reader and header rules as scenario files, and checked stage by stage by
 * the design's own check, so that a refusal names the file, line and column. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/csv.h"
#include "dosesim/presets.h"
#include "dosesim/fileio.h"
#include "dosesim/schema.h"

enum { COL_STAGE, COL_PATIENTS, COL_ESCALATE, COL_TOXIC, N_COLS };
static const char *const column_names[N_COLS] = {DS_RULES_STAGE, DS_RULES_PATIENTS,
                                                 DS_RULES_ESCALATE, DS_RULES_TOO_TOXIC};

typedef struct {
    ds_csv_table_t table;
    ds_design_t *design;
    ds_diag_t *diag;
    long line_of_stage[DS_MAX_STAGES];
    long last_line;
} rules_reader_t;

/* A whole number in [lo, hi] (ds_csv_table_int; the design's check says what
 * the value must be). */
static int parse_int(rules_reader_t *r, long line, int column, const char *text, int lo, int hi,
                     int *out)
{
    return ds_csv_table_int(&r->table, line, column, text, lo, hi, out, r->diag);
}

static int on_record(void *ctx, const ds_csv_record_t *rec)
{
    rules_reader_t *r = ctx;
    if (r->table.n_columns == 0) {
        return ds_csv_table_header(&r->table, rec, r->diag);
    }
    const char *value[N_COLS] = {NULL};
    int ret = ds_csv_table_row(&r->table, rec, value, r->diag);
    if (ret != 0) {
        return ret;
    }
    ds_design_t *d = r->design;
    int stage = 0;
    ret = parse_int(r, rec->line, COL_STAGE, value[COL_STAGE], 1, DS_MAX_STAGES, &stage);
    if (ret != 0) {
        return ret;
    }
    if (stage != d->n_stages + 1) {
        return ds_diag_set(r->diag, DS_ERR_PARSE, r->table.path, rec->line, DS_RULES_STAGE,
                           "stage %d where stage %d was expected; stages run 1, 2, ... in order",
                           stage, d->n_stages + 1);
    }
    ds_stage_t *st = &d->stages[d->n_stages];
    enum { BIG = 2 * DS_MAX_PATIENTS_PER_LEVEL };
    ret = parse_int(r, rec->line, COL_PATIENTS, value[COL_PATIENTS], -BIG, BIG, &st->n_cum);
    if (ret == 0) {
        ret = parse_int(r, rec->line, COL_ESCALATE, value[COL_ESCALATE], -BIG, BIG, &st->esc_max);
    }
    if (ret == 0) {
        ret = parse_int(r, rec->line, COL_TOXIC, value[COL_TOXIC], -BIG, BIG, &st->tox_min);
    }
    r->line_of_stage[d->n_stages++] = rec->line;
    r->last_line = rec->line;
    return ret;
}

int ds_design_parse_rules(ds_design_t *self, const char *path, const char *text, size_t len,
                          ds_diag_t *diag)
{
    ds_design_t parsed = *self; /* the options stay; self changes only on success */
    parsed.n_stages = 0;
    memset(parsed.stages, 0, sizeof(parsed.stages));
    rules_reader_t r = {
        .table = {.path = path, .names = column_names, .n_names = N_COLS, .max_value = 32},
        .design = &parsed,
        .diag = diag};
    ds_diag_clear(diag);
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    if (strlen(base) + sizeof("rules:") > sizeof(parsed.name)) {
        return ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                           "the file name is longer than %zu bytes (it names the design in "
                           "the results)",
                           sizeof(parsed.name) - sizeof("rules:"));
    }
    int ret = ds_csv_read(path, text, len, on_record, &r, diag);
    if (ret != 0) {
        return ret;
    }
    if (r.table.n_columns == 0) {
        return ds_diag_set(diag, DS_ERR_PARSE, path, 0, "",
                           "the file is empty; expected a header line " DS_RULES_HEADER
                           " and a row per stage");
    }
    if (parsed.n_stages == 0) {
        return ds_diag_set(diag, DS_ERR_PARSE, path, 1, "", "the file has a header but no stages");
    }
    for (int s = 0; s < parsed.n_stages; s++) {
        ds_diag_t why;
        if (ds_design_check_stage(&parsed, s, &why) != 0) {
            return ds_diag_set(diag, DS_ERR_PARSE, path, r.line_of_stage[s], why.field, "%s",
                               why.message);
        }
    }
    snprintf(parsed.name, sizeof(parsed.name), "rules:%s", base);
    parsed.family = &ds_family_stages;
    *self = parsed;
    return 0;
}

int ds_design_load_rules(ds_design_t *self, const char *path, ds_diag_t *diag)
{
    char *text = NULL;
    size_t len = 0;
    int ret = ds_read_file(path, DS_MAX_RULES_FILE_BYTES, 0, &text, &len, diag);
    if (ret == 0) {
        ret = ds_design_parse_rules(self, path, text, len, diag);
    }
    free(text);
    return ret;
}

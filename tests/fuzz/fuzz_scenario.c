/* libFuzzer target: the scenario-file parser. Any input must be refused with a
 * diagnostic or accepted with scenarios that keep the format's promises. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/dosesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_scenario_file_t file;
    ds_diag_t diag;
    int ret = ds_scenario_file_parse(&file, "fuzz.csv", (const char *)data, size, &diag);
    if (ret != 0) {
        /* Refused: with words, and nothing left allocated. */
        if (diag.message[0] == '\0' || file.scenarios != NULL || file.n_scenarios != 0) {
            abort();
        }
        return 0;
    }
    /* The columns not used: named, unique, text that is safe to print. */
    if ((file.n_ignored_columns == 0) != (file.ignored_columns == NULL) ||
        (file.delimiter != ',' && file.delimiter != '\t')) {
        abort();
    }
    for (int i = 0; i < file.n_ignored_columns; i++) {
        const char *name = file.ignored_columns[i];
        size_t len = strlen(name);
        char why[200];
        if (len == 0 || len > DS_MAX_NAME || ds_text_problem(name, len, why, sizeof(why)) != NULL) {
            abort();
        }
        for (int j = 0; j < i; j++) {
            if (strcmp(file.ignored_columns[j], name) == 0) {
                abort();
            }
        }
    }
    for (int k = 0; k < file.n_scenarios; k++) {
        const ds_scenario_t *sc = &file.scenarios[k];
        if (sc->name[0] == '\0' || sc->n_levels < 1 || sc->n_levels > DS_MAX_LEVELS ||
            strlen(sc->name) > DS_MAX_NAME || sc->order != k + 1 ||
            (sc->dose_amount == NULL) != (file.scenarios[0].dose_amount == NULL) ||
            (sc->dose_units == NULL) != (file.scenarios[0].dose_units == NULL)) {
            abort();
        }
        for (int d = 0; d < sc->n_levels; d++) {
            if (!(sc->p_dlt[d] >= 0.0 && sc->p_dlt[d] <= 1.0) || sc->labels[d][0] == '\0') {
                abort();
            }
            /* Amounts finite, positive, rising with the level; units text as labels are. */
            if (sc->dose_amount != NULL &&
                (!isfinite(sc->dose_amount[d]) || !(sc->dose_amount[d] > 0.0) ||
                 (d > 0 && !(sc->dose_amount[d] > sc->dose_amount[d - 1])))) {
                abort();
            }
            if (sc->dose_units != NULL &&
                (sc->dose_units[d][0] == '\0' || strlen(sc->dose_units[d]) > DS_MAX_NAME)) {
                abort();
            }
        }
    }
    ds_scenario_file_free(&file);
    return 0;
}

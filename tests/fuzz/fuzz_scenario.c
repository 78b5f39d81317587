/* libFuzzer target: the scenario-file parser. Any input must be refused with a
 * diagnostic or accepted with scenarios that keep the format's promises. */
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
    for (int k = 0; k < file.n_scenarios; k++) {
        const ds_scenario_t *sc = &file.scenarios[k];
        if (sc->name[0] == '\0' || sc->n_levels < 1 || sc->n_levels > DS_MAX_LEVELS ||
            strlen(sc->name) > DS_MAX_NAME) {
            abort();
        }
        for (int d = 0; d < sc->n_levels; d++) {
            if (!(sc->p_dlt[d] >= 0.0 && sc->p_dlt[d] <= 1.0) || sc->labels[d][0] == '\0') {
                abort();
            }
        }
    }
    ds_scenario_file_free(&file);
    return 0;
}

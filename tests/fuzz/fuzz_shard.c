/* libFuzzer target: the shard reader used by dosesim merge. Any input must be
 * refused with a diagnostic, or give a shard that belongs with itself and
 * whose tallies add up. */
#include <stdint.h>
#include <stdlib.h>

#include "dosesim/dosesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_shard_t shard;
    ds_diag_t diag;
    int ret = ds_shard_parse(&shard, "fuzz.csv", (const char *)data, size, &diag);
    if (ret != 0 && diag.message[0] == '\0') {
        abort();
    }
    if (ret == 0) {
        if (ds_shard_check_compatible(&shard, &shard, "fuzz.csv", &diag) != 0) {
            abort();
        }
        for (int k = 0; k < shard.n_scenarios; k++) {
            ds_tally_t copy;
            if (ds_tally_init(&copy, shard.tallies[k].n_levels, shard.tallies[k].max_n,
                              shard.tallies[k].timed) == 0) {
                int merged = ds_tally_merge(&copy, &shard.tallies[k]);
                if (merged != 0 && merged != DS_ERR_OVERFLOW) {
                    abort();
                }
                ds_oc_t oc;
                if (merged == 0 && ds_oc_init(&oc, copy.n_levels, copy.max_n) == 0) {
                    if (ds_oc_from_tally(&oc, &copy) != 0 && copy.count[DS_TALLY_TRIALS] > 0) {
                        abort(); /* a tally of some trials always has characteristics */
                    }
                    ds_oc_free(&oc);
                }
                ds_tally_free(&copy);
            }
        }
    }
    ds_shard_free(&shard);
    return 0;
}

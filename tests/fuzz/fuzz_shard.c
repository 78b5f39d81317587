/* libFuzzer target: the shard reader used by dosesim merge. Any input must be
 * refused with a diagnostic, or give a shard that belongs with itself and
 * whose tallies add up. A shard ends with the SHA-256 of its records, which
 * random input almost never has: the input is given one (as if written by
 * dosesim) and also tried as it is, so that the records' reader is explored. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dosesim/dosesim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void try_shard(const char *text, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    try_shard((const char *)data, size);
    char *signed_text = malloc(size + DS_SHA256_HEX_CHARS + 16);
    if (signed_text != NULL) {
        memcpy(signed_text, data, size);
        size_t len = size;
        if (len > 0 && signed_text[len - 1] != '\n') {
            signed_text[len++] = '\n';
        }
        char hex[DS_SHA256_HEX_CHARS + 1];
        ds_sha256_hex(signed_text, len, hex);
        len += (size_t)snprintf(signed_text + len, DS_SHA256_HEX_CHARS + 16, "sha256,%s\n", hex);
        try_shard(signed_text, len);
        free(signed_text);
    }
    return 0;
}

static void try_shard(const char *text, size_t size)
{
    ds_shard_t shard;
    ds_diag_t diag;
    int ret = ds_shard_parse(&shard, "fuzz.csv", text, size, &diag);
    if (ret != 0 && diag.message[0] == '\0') {
        abort();
    }
    if (ret == 0) {
        if (ds_shard_check_compatible(&shard, "fuzz.csv", &shard, "fuzz.csv", &diag) != 0) {
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
}

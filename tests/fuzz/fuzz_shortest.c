/* libFuzzer target: the shortest formatter (ds_format_double, Ryu) on any
 * double the input's first 8 bytes make, against the rule it replaced
 * (tests/shortest_oracle.h): the same bytes, or fewer digits that read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../shortest_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t bits = 0;
    memcpy(&bits, data, size < sizeof(bits) ? size : sizeof(bits));
    double x = 0;
    memcpy(&x, &bits, sizeof(x));
    char fast[DS_DOUBLE_CHARS], slow[DS_DOUBLE_CHARS];
    if (oracle_judge(x, fast, slow) == ORACLE_WRONG) {
        abort();
    }
    return 0;
}

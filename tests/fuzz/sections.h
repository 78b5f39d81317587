/* Fuzz inputs that stand for several files: the files one after another, each
 * ended by a form feed (which no file dosesim reads may hold). */
#ifndef DOSESIM_FUZZ_SECTIONS_H
#define DOSESIM_FUZZ_SECTIONS_H

#include <stddef.h>
#include <string.h>

/* Cut data into at most max sections (the last runs to the end): their number. */
static inline int fuzz_sections(const char *data, size_t size, const char **at, size_t *len,
                                int max)
{
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < max; i++) {
        if (i == size || (data[i] == '\f' && n < max - 1)) {
            at[n] = data + start;
            len[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    return n;
}

#endif

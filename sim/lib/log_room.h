/* For the modules that keep trace logs (timing.c, enrol.c, engine.c): room for
 * one more item in a growing array. */
#ifndef DOSESIM_LOG_ROOM_H
#define DOSESIM_LOG_ROOM_H

#include <stdlib.h>

#include "dosesim/error.h"

/* Room for one more item in an array of *cap items, n in use (doubling from
 * 8): 0 or DS_ERR_NOMEM (the array is then as it was). */
static inline int ds_log_room(void **items, int n, int *cap, size_t item_size)
{
    if (n < *cap) {
        return 0;
    }
    int grown_cap = *cap == 0 ? 8 : 2 * *cap;
    void *grown = realloc(*items, (size_t)grown_cap * item_size);
    if (grown == NULL) {
        return DS_ERR_NOMEM;
    }
    *items = grown;
    *cap = grown_cap;
    return 0;
}

#endif

/* Integer tallies: the only thing threads, ranks and shards ever exchange. */
#include "dosesim/tally.h"

#include <stdlib.h>
#include <string.h>

void ds_tally_init_empty(ds_tally_t *self)
{
    memset(self, 0, sizeof(*self));
}

int ds_tally_init(ds_tally_t *self, int n_levels, int max_n)
{
    ds_tally_init_empty(self);
    if (n_levels < 1 || n_levels > DS_MAX_LEVELS || max_n < 0) {
        return DS_ERR_BAD_PARAM;
    }
    self->n_levels = n_levels;
    self->max_n = max_n;
    self->len = ds_tally_hist_at(self) + (size_t)max_n + 1u;
    self->count = calloc(self->len, sizeof(*self->count));
    if (self->count == NULL) {
        ds_tally_init_empty(self);
        return DS_ERR_NOMEM;
    }
    return 0;
}

void ds_tally_free(ds_tally_t *self)
{
    free(self->count);
    ds_tally_init_empty(self);
}

void ds_tally_clear(ds_tally_t *self)
{
    if (self->count != NULL) {
        memset(self->count, 0, self->len * sizeof(*self->count));
    }
}

int ds_tally_merge(ds_tally_t *dst, const ds_tally_t *src)
{
    if (dst->n_levels != src->n_levels || dst->max_n != src->max_n || dst->len != src->len) {
        return DS_ERR_INCOMPATIBLE;
    }
    for (size_t i = 0; i < dst->len; i++) {
        uint64_t sum;
        if (__builtin_add_overflow(dst->count[i], src->count[i], &sum)) {
            return DS_ERR_OVERFLOW;
        }
    }
    for (size_t i = 0; i < dst->len; i++) {
        dst->count[i] += src->count[i];
    }
    return 0;
}

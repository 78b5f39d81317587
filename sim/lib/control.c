/* A run's control from outside it (control.h): two atomics, read and written
 * from any thread. */
#include "dosesim/control.h"

#include <stdatomic.h>

static atomic_bool stop_requested;
static atomic_uint_fast64_t trials_done;

void ds_control_reset(void)
{
    atomic_store(&stop_requested, false);
    atomic_store(&trials_done, 0u);
}

void ds_control_request_stop(void)
{
    atomic_store(&stop_requested, true);
}

bool ds_control_stop_requested(void)
{
    return atomic_load_explicit(&stop_requested, memory_order_relaxed);
}

void ds_control_add_trials(uint64_t n)
{
    atomic_fetch_add_explicit(&trials_done, n, memory_order_relaxed);
}

uint64_t ds_control_trials_done(void)
{
    return atomic_load_explicit(&trials_done, memory_order_relaxed);
}

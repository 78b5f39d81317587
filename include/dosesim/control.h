/**
 * @file control.h
 * @brief A run's control from outside it: a request to stop, and progress.
 *
 * A program embedding the library (the R package) runs a long simulation on a
 * thread of its own and, from another, asks it to stop (an interrupt) or reads
 * how far it is. The simulation checks the request before each block of
 * DS_BLOCK_TRIALS trials (engine.h) and returns DS_ERR_INTERRUPTED, freeing
 * what it holds on the way out, as on any error. This is the library's one
 * piece of mutable global state: an interrupt has no other way into a run
 * already under way. The program dosesim never asks; its signals end it.
 */
#ifndef DOSESIM_CONTROL_H
#define DOSESIM_CONTROL_H

#include <stdbool.h>
#include <stdint.h>

/** Forget an earlier request and set the count of trials done to 0. */
void ds_control_reset(void);

/** Ask every simulation under way, and any started before the next reset, to stop. */
void ds_control_request_stop(void);

/** Whether a stop was asked for (what each block checks first). */
bool ds_control_stop_requested(void);

/** Count n more trials simulated (each block adds its own when done). */
void ds_control_add_trials(uint64_t n);

/** Trials simulated since the last reset, by every thread. */
uint64_t ds_control_trials_done(void);

#endif

/**
 * @file version.h
 * @brief dosesim's version: part of every run_id (key.h), and what --help says.
 *        A header of its own, so that the library can name its version without
 *        the header of everything (dosesim.h) above it.
 */
#ifndef DOSESIM_VERSION_H
#define DOSESIM_VERSION_H

#define DS_VERSION "0.3.0"

#endif

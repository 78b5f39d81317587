/* The processes of a run: one, or MPI ranks when built with `make MPI=1`
 * (DS_WITH_MPI). Every rank runs the same command on the same input; run
 * shares the blocks out, the ranks agree on success at fixed points (so an
 * error on one rank never leaves the others waiting), and rank 0 adds up the
 * integer tallies and writes. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "cmd.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sched.h>
#include <unistd.h>

#ifdef DS_WITH_MPI
#include <mpi.h>
#endif

void cli_cluster_start(int *argc, char ***argv, cli_cluster_t *self)
{
    self->rank = 0;
    self->size = 1;
#ifdef DS_WITH_MPI
    int provided = 0;
    /* Only the main thread calls MPI; worker threads never do. */
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank(MPI_COMM_WORLD, &self->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &self->size);
#else
    (void)argc;
    (void)argv;
#endif
}

int cli_cluster_check_launch(const cli_cluster_t *self)
{
#ifndef DS_WITH_MPI
    /* Started by mpirun (OpenMPI, or a PMI launcher such as srun) with several
     * ranks, a build without MPI would run the whole job once per rank. */
    static const char *const size_variables[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"};
    for (size_t i = 0; i < sizeof(size_variables) / sizeof(size_variables[0]); i++) {
        const char *size = getenv(size_variables[i]);
        if (size != NULL && atoi(size) > 1) {
            fprintf(cli_messages(),
                    "dosesim: started as one of %s MPI processes, but this dosesim was built "
                    "without MPI; build it with `make MPI=1` (or run it without mpirun)\n",
                    size);
            return EXIT_BAD_INPUT;
        }
    }
#endif
    (void)self;
    return 0;
}

void cli_cluster_stop(const cli_cluster_t *self)
{
    (void)self;
#ifdef DS_WITH_MPI
    MPI_Finalize();
#endif
}

int cli_cluster_agree(const cli_cluster_t *self, int status)
{
    int worst = status;
#ifdef DS_WITH_MPI
    if (self->size > 1) {
        MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    }
#else
    (void)self;
#endif
    return worst;
}

int cli_cluster_sum(const cli_cluster_t *self, uint64_t *counts, size_t n)
{
#ifdef DS_WITH_MPI
    /* Integer sums, so the order in which ranks are added does not matter. */
    for (size_t done = 0; self->size > 1 && done < n;) {
        int chunk = n - done > (size_t)INT_MAX ? INT_MAX : (int)(n - done);
        int ret = self->rank == 0 ? MPI_Reduce(MPI_IN_PLACE, counts + done, chunk, MPI_UINT64_T,
                                               MPI_SUM, 0, MPI_COMM_WORLD)
                                  : MPI_Reduce(counts + done, NULL, chunk, MPI_UINT64_T, MPI_SUM, 0,
                                               MPI_COMM_WORLD);
        if (ret != MPI_SUCCESS) {
            return EXIT_RUN_FAILED;
        }
        done += (size_t)chunk;
    }
#else
    (void)self;
    (void)counts;
    (void)n;
#endif
    return 0;
}

int cli_available_cpus(void)
{
    /* The CPUs this process may run on (a batch system or mpirun may have
     * bound it to a few), not all the machine has. */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
        return CPU_COUNT(&set);
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? (int)(online < DS_MAX_THREADS ? online : DS_MAX_THREADS) : 1;
}

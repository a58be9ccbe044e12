/* mpi_check: the smallest MPI program that proves a job was wired together and measures its link.
 * Every rank prints its rank, the communicator size and its host; rank 0 adds an allreduce result
 * and, with two or more ranks, the bandwidth from rank 0 to rank 1 measured as OSU's osu_bw does
 * (a window of non-blocking sends of one message size, then an acknowledgement), so the figure can be
 * judged against osu_bw references. After MPI_Finalize each rank says so: a crash after that line is
 * a crash at teardown. Built with -DMPI_CHECK_CUDA the buffers are device memory (cudaMalloc), for
 * GPU-aware MPI. runbooks/lib/py/mpi.py reads these lines; keep the formats in step with it. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef MPI_CHECK_CUDA
#include <cuda_runtime.h>
#define BUFFERS "device"
#else
#define BUFFERS "host"
#endif

enum { MESSAGE_BYTES = 1 << 22, WINDOW = 16, WARMUP = 2, ITERATIONS = 10 };

static char *alloc_buffer(size_t bytes) {
  char *buffer = NULL;
#ifdef MPI_CHECK_CUDA
  if (cudaMalloc((void **)&buffer, bytes) != cudaSuccess) buffer = NULL;
#else
  buffer = malloc(bytes);
  if (buffer != NULL) memset(buffer, 1, bytes);
#endif
  if (buffer == NULL) MPI_Abort(MPI_COMM_WORLD, 2);
  return buffer;
}

static void free_buffer(char *buffer) {
#ifdef MPI_CHECK_CUDA
  cudaFree(buffer);
#else
  free(buffer);
#endif
}

/* Seconds rank 0 took to send ITERATIONS windows of WINDOW messages to rank 1. */
static double bandwidth_seconds(int rank) {
  char *buffer = alloc_buffer((size_t)MESSAGE_BYTES * WINDOW);
  MPI_Request requests[WINDOW];
  MPI_Status statuses[WINDOW];
  char ack = 0;
  double start = 0;
  for (int i = 0; i < WARMUP + ITERATIONS; i++) {
    if (i == WARMUP) {
      MPI_Barrier(MPI_COMM_WORLD);
      start = MPI_Wtime();
    }
    if (rank == 0) {
      for (int w = 0; w < WINDOW; w++)
        MPI_Isend(buffer + (size_t)w * MESSAGE_BYTES, MESSAGE_BYTES, MPI_CHAR, 1, 1, MPI_COMM_WORLD, &requests[w]);
      MPI_Waitall(WINDOW, requests, statuses);
      MPI_Recv(&ack, 1, MPI_CHAR, 1, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      for (int w = 0; w < WINDOW; w++)
        MPI_Irecv(buffer + (size_t)w * MESSAGE_BYTES, MESSAGE_BYTES, MPI_CHAR, 0, 1, MPI_COMM_WORLD, &requests[w]);
      MPI_Waitall(WINDOW, requests, statuses);
      MPI_Send(&ack, 1, MPI_CHAR, 0, 2, MPI_COMM_WORLD);
    }
  }
  double seconds = MPI_Wtime() - start;
  free_buffer(buffer);
  return seconds;
}

int main(int argc, char **argv) {
  int rank, size, name_length;
  char host[MPI_MAX_PROCESSOR_NAME];
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Get_processor_name(host, &name_length);
  printf("mpi_check rank=%d size=%d host=%s buffers=%s\n", rank, size, host, BUFFERS);
  fflush(stdout);

  long mine = rank, sum = 0;
  MPI_Allreduce(&mine, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) printf("mpi_check allreduce sum=%ld expected=%ld\n", sum, (long)size * (size - 1) / 2);

  if (size >= 2) {
    double seconds = bandwidth_seconds(rank);
    if (rank == 0)
      printf("mpi_check bandwidth bytes=%d window=%d iterations=%d seconds=%.6f MBps=%.1f\n", MESSAGE_BYTES, WINDOW, ITERATIONS, seconds,
             (double)MESSAGE_BYTES * WINDOW * ITERATIONS / seconds / 1e6);
  }
  fflush(stdout);
  MPI_Finalize();
  printf("mpi_check finalized rank=%d\n", rank);
  fflush(stdout);
  return 0;
}

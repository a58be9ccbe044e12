/* mpi_check: the smallest MPI program that proves a job was wired together.
 * Every rank prints its rank, the communicator size and its host; rank 0 adds an allreduce
 * result and, with two or more ranks, a ping-pong bandwidth between ranks 0 and 1.
 * runbooks/lib/verify_mpi.py reads these lines; keep the formats in step with it. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MESSAGE_BYTES = 1 << 22, ITERATIONS = 50 };

static double pingpong(int rank) {
  char *buffer = malloc(MESSAGE_BYTES);
  if (buffer == NULL) MPI_Abort(MPI_COMM_WORLD, 2);
  memset(buffer, rank, MESSAGE_BYTES);
  MPI_Barrier(MPI_COMM_WORLD);
  double start = MPI_Wtime();
  for (int i = 0; i < ITERATIONS; i++) {
    if (rank == 0) {
      MPI_Send(buffer, MESSAGE_BYTES, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
      MPI_Recv(buffer, MESSAGE_BYTES, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      MPI_Recv(buffer, MESSAGE_BYTES, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(buffer, MESSAGE_BYTES, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
    }
  }
  double seconds = MPI_Wtime() - start;
  free(buffer);
  return seconds;
}

int main(int argc, char **argv) {
  int rank, size, name_length;
  char host[MPI_MAX_PROCESSOR_NAME];
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Get_processor_name(host, &name_length);
  printf("mpi_check rank=%d size=%d host=%s\n", rank, size, host);
  fflush(stdout);

  long mine = rank, sum = 0;
  MPI_Allreduce(&mine, &sum, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
  if (rank == 0) printf("mpi_check allreduce sum=%ld expected=%ld\n", sum, (long)size * (size - 1) / 2);

  if (size >= 2) {
    double seconds = pingpong(rank);
    /* Each iteration moves the message there and back. */
    if (rank == 0)
      printf("mpi_check pingpong bytes=%d iterations=%d seconds=%.6f bandwidth_MBps=%.1f\n", MESSAGE_BYTES, ITERATIONS, seconds,
             2.0 * ITERATIONS * MESSAGE_BYTES / seconds / 1e6);
  }
  MPI_Finalize();
  return 0;
}

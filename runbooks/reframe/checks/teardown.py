"""Teardown checks: programs of the stack end cleanly, with no task killed at exit and no core file.

The seed's stack crashed in MPI_Finalize and at NCCL's exit when the CXI provider had loaded a
second libcurl; these checks run a whole program to its end under srun and judge only how it ends.
"""

import os
import sys

import reframe as rfm
import reframe.utility.sanity as sn
from reframe.core.builtins import run_after, sanity_function, variable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from stack_checks import RUNBOOKS, CleanExit, SlurmMpiPlugin, StackCheck, StackRunCheck  # noqa: E402


@rfm.simple_test
class MpiTeardownClean(SlurmMpiPlugin, CleanExit, StackCheck, rfm.RegressionTest):
    """An MPI program built with the stack's compiler wrapper runs on two nodes, forms one communicator and exits 0 on every task, with no core file.

    Builds runbooks/src/mpi_check.c with the environment's cc (the view's mpicc) in a job, so the
    image is mounted as it is for the run. Fails when a task is killed at exit (the seed's
    segfault in MPI_Finalize), when srun fails, or when the tasks were not wired together."""

    valid_systems = ['+remote']
    valid_prog_environs = ['+uenv +mpi']
    time_limit = '10m'
    tags = {'uenv-kb'}
    maintainers = ['uenv-cxi-kb']
    sourcesdir = os.path.join(RUNBOOKS, 'src')
    sourcepath = 'mpi_check.c'
    build_system = 'SingleSource'
    build_locally = False
    executable = './mpi_check'
    # Host buffers only: set explicitly, so cray-mpich's GPU support does not depend on the caller's environment.
    env_vars = {'MPICH_GPU_SUPPORT_ENABLED': '0'}
    #: Nodes and tasks per node (a one-node cluster: -S num_nodes=1 -S tasks_per_node=2).
    num_nodes = variable(int, value=2)
    tasks_per_node = variable(int, value=1)

    @run_after('init')
    def shape(self):
        self.num_tasks_per_node = self.tasks_per_node
        self.num_tasks = self.num_nodes * self.tasks_per_node

    @sanity_function
    def exits_cleanly(self):
        ranks = sn.extractall(rf'^mpi_check rank=(\d+) size={self.num_tasks} ', self.stdout, 1)
        return sn.all([
            # The build ran as a job: where the scheduler cannot report its exit code (squeue), say it here.
            sn.assert_true(sn.path_exists(os.path.join(self.stagedir, 'mpi_check')),
                           msg='the build made no mpi_check: see rfm_build.err in the stage directory'),
            self.clean_exit(),
            sn.assert_eq(sn.count_uniq(ranks), self.num_tasks,
                         msg=f'{{0}} task(s) reported one communicator of {self.num_tasks}: check the Slurm MPI plugin'),
        ])


@rfm.simple_test
class NcclTeardownClean(SlurmMpiPlugin, CleanExit, StackRunCheck):
    """A short NCCL program (all_reduce_perf up to 8 MiB) on every GPU of a node exits 0 on every task, with no core file.

    Fails when a task is killed at exit (the seed's teardown crash with the CXI provider loaded).
    Skipped where the partition has no GPU."""

    valid_prog_environs = ['+uenv +nccl-tests']
    executable = 'all_reduce_perf'
    executable_opts = ['-b', '8', '-e', '8M', '-f', '2', '-g', '1']

    @run_after('setup')
    def one_task_per_gpu(self):
        gpus = self.skip_without_gpu()
        self.num_tasks_per_node = gpus
        self.num_tasks = gpus

    @sanity_function
    def exits_cleanly(self):
        return sn.all([self.clean_exit(),
                       sn.assert_found(r'Out of bounds values\s*:\s*0\s*OK', self.stdout, msg='nccl-tests found wrong results')])

"""NCCL checks: nccl-tests between two nodes of four GPUs, over Slingshot through the aws-ofi-nccl plugin.

The benchmarks come from the image (the recipe's nccl-tests, selected by the environment feature
'nccl-tests', as cscs-reframe-tests selects them); one task per GPU, with the NCCL and libfabric
settings of runbooks/data/nccl.env and NCCL_DEBUG=INFO for the proof of the network path.
"""

import os
import sys

import reframe as rfm
import reframe.utility.sanity as sn
from reframe.core.builtins import performance_function, run_after, sanity_function

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from stack_checks import ReferencedPerformance, SlurmMpiPlugin, StackRunCheck, nccl_settings  # noqa: E402


class NcclCheck(SlurmMpiPlugin, ReferencedPerformance, StackRunCheck):
    valid_prog_environs = ['+uenv +nccl-tests']
    metric = 'busbw'
    message_bytes = 1073741824
    default_tasks_per_node = 4
    postrun_cmds = ['echo "srun exit status: $?"']

    @run_after('setup')
    def one_task_per_gpu(self):
        self.skip_without_gpu()
        self.executable_opts = ['-b', str(self.message_bytes), '-e', str(self.message_bytes), '-g', '1']
        self.env_vars.update(nccl_settings())
        self.env_vars['NCCL_DEBUG'] = 'INFO'

    @sanity_function
    def one_communicator_over_cxi(self):
        ranks = sn.extractall(r'^#\s+Rank\s+(\d+)\s', self.stdout, 1)
        return sn.all([
            sn.assert_eq(self.status_line('srun'), 0, msg='srun exited with status {0}'),
            sn.assert_eq(sn.count_uniq(ranks), self.num_tasks,
                         msg=f'{{0}} rank(s) joined the communicator, {self.num_tasks} tasks ran: the ranks were not wired together'),
            sn.assert_found(r'NET/OFI Selected [pP]rovider is cxi', self.stdout,
                            msg='no NCCL_DEBUG proof that aws-ofi-nccl chose the cxi provider (NCCL may have fallen back to sockets)'),
            sn.assert_found(r'Out of bounds values\s*:\s*0\s*OK', self.stdout, msg='nccl-tests found wrong results'),
        ])

    @performance_function('GB/s')
    def busbw(self):
        return sn.extractsingle(r'#\s*Avg bus bandwidth\s*:\s*([\d.]+)', self.stdout, 1, float)


@rfm.simple_test
class NcclAllReduce(NcclCheck):
    """Eight GPUs on two nodes form one NCCL communicator over Slingshot and all-reduce 1 GiB at the network's bus bandwidth (all_reduce_perf).

    Fails when a rank is missing from the communicator, when NCCL_DEBUG shows no cxi provider chosen by
    aws-ofi-nccl, on wrong results, or outside the system's reference. Skipped where the partition
    has no GPU."""

    executable = 'all_reduce_perf'
    reference_name = 'nccl_all_reduce'


@rfm.simple_test
class NcclSendRecv(NcclCheck):
    """Eight GPUs on two nodes exchange 1 GiB point to point over Slingshot at the network's bus bandwidth (sendrecv_perf).

    Fails like the all-reduce check; skipped where the partition has no GPU."""

    executable = 'sendrecv_perf'
    reference_name = 'nccl_sendrecv'

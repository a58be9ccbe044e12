"""OSU point-to-point checks: bandwidth and latency between two nodes with the stack's MPI.

The benchmarks come from the image (the recipe's osu-micro-benchmarks, selected by the environment
feature 'osu-micro-benchmarks', as cscs-reframe-tests selects them); each runs one task per node.
"""

import os
import sys

import reframe as rfm
import reframe.utility.sanity as sn
from reframe.core.builtins import performance_function, run_after, sanity_function

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from stack_checks import ReferencedPerformance, SlurmMpiPlugin, StackRunCheck  # noqa: E402


class OsuCheck(SlurmMpiPlugin, ReferencedPerformance, StackRunCheck):
    valid_prog_environs = ['+uenv +osu-micro-benchmarks']
    postrun_cmds = ['echo "srun exit status: $?"']
    env_vars = {'MPICH_GPU_SUPPORT_ENABLED': '0'}

    @sanity_function
    def osu_completed(self):
        return sn.all([
            sn.assert_eq(self.status_line('srun'), 0, msg='srun exited with status {0}'),
            sn.assert_found(rf'^{self.message_bytes}\s+[\d.]+\s*$', self.stdout,
                            msg=f'{self.executable} printed no result for {self.message_bytes} B'),
        ])

    def result(self):
        return sn.extractsingle(rf'^{self.message_bytes}\s+([\d.]+)\s*$', self.stdout, 1, float)


class DeviceBuffers(rfm.RegressionTestPlugin):
    """Buffers in GPU memory: cray-mpich's GPU support on, OSU's `-d cuda D D`."""

    @run_after('init')
    def device_buffers(self):
        self.executable_opts = ['-d', 'cuda', 'D', 'D']
        self.env_vars['MPICH_GPU_SUPPORT_ENABLED'] = '1'

    @run_after('setup')
    def need_gpu(self):
        self.skip_without_gpu()


@rfm.simple_test
class OsuBandwidthHost(OsuCheck):
    """Two nodes exchange host-memory messages at the network's bandwidth through the stack's MPI (osu_bw).

    Fails when a task does not finish, when osu_bw prints no result at the reference's message size
    (4 MiB), or when the bandwidth is below the system's reference."""

    executable = 'osu_bw'
    reference_name = 'osu_bw'
    metric = 'bandwidth'

    @performance_function('MB/s')
    def bandwidth(self):
        return self.result()


@rfm.simple_test
class OsuLatencyHost(OsuCheck):
    """Two nodes exchange host-memory messages within the network's latency through the stack's MPI (osu_latency).

    Fails when a task does not finish, when osu_latency prints no result at the reference's message
    size (4 MiB), or when the latency is above the system's reference."""

    executable = 'osu_latency'
    reference_name = 'osu_latency'
    metric = 'latency'

    @performance_function('us')
    def latency(self):
        return self.result()


@rfm.simple_test
class OsuBandwidthDevice(DeviceBuffers, OsuBandwidthHost):
    """Two nodes exchange GPU-memory messages at the network's bandwidth through the stack's MPI with GPU support (osu_bw -d cuda D D).

    Proves cray-mpich's GPU transport layer is linked and works; skipped where the partition has no GPU."""

    reference_name = 'osu_bw_device'


@rfm.simple_test
class OsuLatencyDevice(DeviceBuffers, OsuLatencyHost):
    """Two nodes exchange GPU-memory messages within the network's latency through the stack's MPI with GPU support (osu_latency -d cuda D D).

    Skipped where the partition has no GPU."""

    reference_name = 'osu_latency_device'

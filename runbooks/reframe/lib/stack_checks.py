"""What the stack's ReFrame checks share: the image, the Slurm MPI plugin, skips, and references.

Checks select the image's environments by feature ('+uenv', set by config/stack_site.py for every
image in CSCS_RFM_UENV) and run on partitions with the 'remote' feature, as cscs-reframe-tests' do.
"""

import inspect
import os
import shlex

import reframe as rfm
import reframe.core.runtime as rt
import reframe.utility.sanity as sn
from reframe.core.builtins import run_after, run_before, variable
from reframe.core.logging import getlogger

import stack_references

RUNBOOKS = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..'))
VERIFY_STACK = os.path.join(RUNBOOKS, 'verify-stack.sh')
NCCL_ENV = os.path.join(RUNBOOKS, 'data', 'nccl.env')

# The environment feature naming the stack's MPI decides srun's PMI plugin; cray-mpich (the stack's)
# needs cray_shasta on HPE Cray EX, Debian's MPICH pmi2, Open MPI pmix.
MPI_PLUGINS = (('cray-mpich', 'cray_shasta'), ('mpich', 'pmi2'), ('openmpi', 'pmix'))
DEFAULT_MPI_PLUGIN = 'cray_shasta'


def mpi_plugin(features):
    """srun's --mpi value for an environment with these features (cray_shasta unless it names another MPI)."""
    for feature, plugin in MPI_PLUGINS:
        if feature in features:
            return plugin
    return DEFAULT_MPI_PLUGIN


class StackCheck(rfm.RegressionTestPlugin):
    """What every check has: its docstring as what it proves, its references in its description."""

    #: What a pass proves: the first paragraph of the class docstring (the site shows it).
    proves = variable(str, value='')
    #: When it fails and when it is skipped: the rest of the class docstring.
    details = variable(str, value='')
    #: The line that says how the check judges performance, or that it does not.
    references_text = variable(str, value='none (pass or fail on sanity alone)')

    @run_after('init')
    def describe_check(self):
        paragraphs = (inspect.getdoc(type(self)) or '').split('\n\n')
        self.proves = ' '.join(paragraphs[0].split())
        self.details = ' '.join(' '.join(paragraphs[1:]).split())
        self.descr = f'{self.proves} References: {self.references_text}'

    def describe_references(self, text):
        self.references_text = text
        self.descr = f'{self.proves} References: {text}'

    def skip_without_gpu(self):
        gpus = self.current_partition.select_devices('gpu')
        self.skip_if(not gpus, f'no GPU in partition {self.current_partition.fullname} (its configuration declares no gpu device)')
        return gpus[0].num_devices or 1

    def skip_without_cxi(self):
        nics = self.current_partition.extras.get('cxi_nics', 0)
        self.skip_if(not nics, f'no Slingshot (CXI) NIC in partition {self.current_partition.fullname} (extras.cxi_nics)')
        return nics

    def image_args(self):
        """verify-stack.sh's options that find the stack: on a 'uenv' partition the job already has the
        image mounted (--uenv); elsewhere verify-stack.sh mounts it for the run (--image)."""
        extras = self.current_environ.extras
        mount = extras.get('uenv_mount', '/user-environment')
        if 'uenv' in self.current_partition.features:
            return ['--store', mount]
        return ['--image', extras['uenv_image'], '--store', mount]

    def status_line(self, name):
        """The exit status a job script command printed with `echo "NAME exit status: $?"`."""
        return sn.extractsingle(rf'^{name} exit status: (\d+)$', self.stdout, 1, int)


class StackRunCheck(StackCheck, rfm.RunOnlyRegressionTest):
    """Base of the checks that run programs of the image: one image environment, a compute-node partition."""

    valid_systems = ['+remote']
    valid_prog_environs = ['+uenv']
    sourcesdir = None
    num_tasks = 1
    num_tasks_per_node = 1
    time_limit = '10m'
    tags = {'uenv-kb'}
    maintainers = ['uenv-cxi-kb']


class SlurmMpiPlugin(rfm.RegressionTestPlugin):
    """Adds srun's --mpi=PLUGIN for the environment's MPI (see MPI_PLUGINS)."""

    @run_after('setup')
    def set_mpi_plugin(self):
        if self.job.launcher.registered_name == 'srun':
            self.job.launcher.options += [f'--mpi={mpi_plugin(self.current_environ.features)}']


class ReferencedPerformance(rfm.RegressionTestPlugin):
    """Performance judged against runbooks/data/performance-references.json.

    A check names its entry (reference_name) and metric. Every partition of the system whose
    extras.performance_references names a system of the file gets that system's figure; the entry's
    nodes and tasks_per_node set the job's shape (default_nodes x default_tasks_per_node without one).
    """

    reference_name = variable(str)
    metric = variable(str)
    message_bytes = variable(int, value=4194304)
    default_nodes = variable(int, value=2)
    default_tasks_per_node = variable(int, value=1)
    reference_entry = variable(dict, type(None), value=None)

    # Last, so that a check's own init hooks (e.g. from a parameter) have named its entry.
    @run_after('init', always_last=True)
    def load_references(self):
        systems = stack_references.load()
        reference, described = {}, []
        for part in rt.runtime().system.partitions:
            system = part.extras.get('performance_references')
            found = stack_references.entry(systems, system, self.reference_name)
            if found is not None:
                reference[part.fullname] = {self.metric: stack_references.reframe_tuple(found)}
                described.append(f'{part.fullname} ({system}): {self.metric} {stack_references.describe(found)}')
        # One assignment: ReFrame turns the dict into a scoped one, where item assignment means something else.
        self.reference = reference
        self.describe_references('; '.join(described) or f'none for this system ({self.reference_name}: value recorded, not judged)')

    @run_after('setup')
    def shape_from_reference(self):
        system = self.current_partition.extras.get('performance_references')
        found = stack_references.entry(stack_references.load(), system, self.reference_name)
        self.reference_entry = found
        if found is None:
            getlogger().warning(f'{self.display_name}: no reference for {self.current_partition.fullname} in '
                                f'{stack_references.references_file()} ({self.reference_name}): the value is recorded, not judged')
            self.num_tasks_per_node = self.default_tasks_per_node
            self.num_tasks = self.default_nodes * self.default_tasks_per_node
        else:
            self.message_bytes = found['message_bytes'] or self.message_bytes
            self.num_tasks_per_node = found['tasks_per_node']
            self.num_tasks = found['nodes'] * found['tasks_per_node']

    @run_before('performance')
    def require_reference_unit(self):
        if self.reference_entry is not None:
            unit = self.reference_entry['unit']
            expected = self.perf_variables[self.metric].unit
            if unit != expected:
                raise ValueError(f'{stack_references.references_file()}: {self.reference_name}.unit is {unit!r}, '
                                 f'but {self.display_name} measures {expected!r}')


def nccl_settings(path=NCCL_ENV):
    """The NAME=VALUE settings of runbooks/data/nccl.env (format: NAME=VALUE # SOURCE; verify-stack.sh
    reads the same file), values quoted for the job script."""
    settings = {}
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            if ' # ' not in line:
                raise ValueError(f'{path}:{number}: every setting needs a source: NAME=VALUE # SOURCE')
            name, sep, value = line.split(' # ', 1)[0].partition('=')
            if not sep or not name.isidentifier() or not value:
                raise ValueError(f'{path}:{number}: expected NAME=VALUE')
            settings[name] = shlex.quote(value)
    return settings


class CleanExit(rfm.RegressionTestPlugin):
    """Sanity for the teardown checks: srun's status, no task killed by a signal, no core file."""

    @run_after('setup')
    def report_exit(self):
        self.postrun_cmds = ['echo "srun exit status: $?"',
                             'echo "core files: $(find . -maxdepth 1 -name \'core*\' | wc -l)"']

    def clean_exit(self):
        return sn.all([
            sn.assert_not_found(r'Segmentation fault|signal \d+|[Cc]ore dumped|Aborted', self.stderr,
                                msg='a task was killed by a signal (see the job\'s stderr): the teardown crash'),
            sn.assert_eq(self.status_line('srun'), 0, msg='srun exited with status {0}'),
            sn.assert_eq(sn.extractsingle(r'^core files: (\d+)$', self.stdout, 1, int), 0,
                         msg='{0} core file(s) in the stage directory'),
        ])

"""ReFrame site configuration for the one-node Slurm that tests/reframe starts on loopback.

Debian's MPICH stands in for cray-mpich (its environment carries the feature 'mpich', so the checks
launch with `srun --mpi=pmi2`); there is no uenv Slurm plugin, GPU or Slingshot NIC here, so the
partition has no 'uenv' feature (the checks mount the image themselves where they need it), no devices
and no cxi_nics, and the GPU and fabric checks skip with that reason. The scheduler is 'squeue':
this Slurm keeps no accounting, which ReFrame's 'slurm' scheduler polls. SLURM_CONF names the cluster.
Its performance references (system 'local-slurm') are test data, tests/reframe/fixtures/local-slurm-references.json,
given with run.sh --references: runbooks/data/performance-references.json holds only sourced figures.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stack_site  # noqa: E402

ENVIRONMENTS = stack_site.uenv_environments()

site_configuration = {
    'systems': [{
        'name': 'local-slurm',
        'descr': 'One-node Slurm on loopback (tests)',
        'hostnames': ['.*'],
        'modules_system': 'nomod',
        'partitions': [{
            'name': 'debug',
            'descr': 'The test cluster\'s only partition',
            'scheduler': 'squeue',
            'launcher': 'srun',
            'access': ['--partition=debug'],
            'environs': ['builtin'] + [e['name'] for e in ENVIRONMENTS],
            'time_limit': '5m',
            'max_jobs': 2,
            'features': ['remote'],
            'extras': {'performance_references': 'local-slurm'},
        }],
    }],
    'environments': ENVIRONMENTS,
    'logging': stack_site.logging_config(),
}

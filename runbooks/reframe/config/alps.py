"""ReFrame site configuration for the stack's checks on the Alps GH200 systems (Daint, Clariden, Santis).

Partitions follow cscs-reframe-tests' (config/systems/daint.py, clariden.py, santis.py at
https://github.com/eth-cscs/cscs-reframe-tests/tree/2f813557625e1294b277a698338f82f398bea7b8/config/systems):
'normal' is the GH200 partition, 4 GPUs of arch sm_90 per node, with the 'uenv' feature, so an
environment of the image (CSCS_RFM_UENV, see stack_site.py) adds `--uenv` and `--view` to each job.
Use: reframe -C runbooks/reframe/config/alps.py -c runbooks/reframe/checks -R -r (or runbooks/reframe/run.sh).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import stack_site  # noqa: E402


def _system(name, descr):
    return {
        'name': name,
        'descr': descr,
        'hostnames': [name],
        'modules_system': 'nomod',
        'partitions': [
            {
                'name': 'login',
                'descr': 'Login nodes',
                'scheduler': 'local',
                'launcher': 'local',
                'environs': ['builtin'],
                'time_limit': '10m',
            },
            {
                'name': 'normal',
                'descr': 'GH200 compute nodes',
                'scheduler': 'slurm',
                'launcher': 'srun',
                'environs': ['builtin'] + [e['name'] for e in ENVIRONMENTS],
                'time_limit': '10m',
                'features': ['remote', 'gpu', 'nvgpu', 'uenv'],
                'devices': [{'type': 'gpu', 'arch': 'sm_90', 'num_devices': 4}],
                'resources': stack_site.uenv_resources(),
                # cxi_nics: Slingshot NICs per node (cscs-reframe-tests' cxi_stat_hsn.py expects hsn0-3 on
                # these nodes); performance_references: the system's entry in performance-references.json.
                'extras': {'cxi_nics': 4, 'performance_references': 'alps-gh200'},
            },
        ],
    }


ENVIRONMENTS = stack_site.uenv_environments()

site_configuration = {
    'systems': [
        _system('daint', 'Alps Daint (GH200)'),
        _system('clariden', 'Alps Clariden (GH200)'),
        _system('santis', 'Alps Santis (GH200)'),
    ],
    'environments': ENVIRONMENTS,
    'logging': stack_site.logging_config(),
}

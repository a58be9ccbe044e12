"""What both site configurations share: the stack's images as ReFrame environments, and logging.

Images are named the way cscs-reframe-tests names them, so one command line serves both suites:
CSCS_RFM_UENV=IMAGE[@MOUNT][,IMAGE[@MOUNT]...], each IMAGE a squashfs file with the stackinator
metadata beside it (IMAGE's directory/meta/extra/reframe.yaml; the recipe's extra/reframe.yaml).
Each top-level entry of that file becomes an environment named DIR_ENTRY (DIR: the name of the
image's directory), with its features plus 'uenv', its compilers, its 'activation' commands, and the
resources a 'uenv' partition turns into `--uenv=IMAGE[:MOUNT]` and `--view=VIEWS`.
UENV_KB_RFM_VIEW overrides the views of every environment (run.sh --view).
"""

import json
import os

import yaml
from reframe.core.exceptions import ConfigError

UENV_ENV = 'CSCS_RFM_UENV'
VIEW_ENV = 'UENV_KB_RFM_VIEW'
DEFAULT_MOUNT = '/user-environment'
_ENV_FIELDS = ('features', 'cc', 'cxx', 'ftn', 'cflags', 'cxxflags', 'fflags', 'ldflags', 'env_vars', 'extras')


def _mount_of(image, mount):
    """The mount point: @MOUNT, else meta/env.json's "mount" when the image has one, else /user-environment."""
    if mount:
        return mount
    try:
        with open(os.path.join(os.path.dirname(image), 'meta', 'env.json'), encoding='utf-8') as f:
            found = json.load(f).get('mount')
    except (OSError, ValueError, AttributeError):
        found = None
    return found if isinstance(found, str) and found.startswith('/') else DEFAULT_MOUNT


def _environment(image, mount, label, name, spec, meta):
    if not isinstance(spec, dict):
        raise ConfigError(f'{meta}: {name}: must be a map of environment settings')
    env = {k: spec[k] for k in _ENV_FIELDS if k in spec}
    features = env.get('features', [])
    if isinstance(features, str):
        features = [features]
    env['features'] = list(features) + ['uenv']
    activation = spec.get('activation', [])
    if isinstance(activation, str):
        activation = [f'source {activation}']
    if not isinstance(activation, list):
        raise ConfigError(f'{meta}: {name}.activation: must be a list of commands')
    env['prepare_cmds'] = activation
    views = os.environ.get(VIEW_ENV) or ','.join(spec.get('views', []))
    extras = dict(env.get('extras', {}))
    extras.update({'uenv_image': image, 'uenv_mount': mount})
    env['extras'] = extras
    env['name'] = f'{label}_{name}'
    env['resources'] = {'uenv': {'file': image, 'mount': mount, 'uenv': f'{image}:{mount}'}}
    if views:
        env['resources']['uenv_views'] = {'views': views}
    return env


def uenv_environments():
    """The environments of every image in CSCS_RFM_UENV (none when it is unset)."""
    spec = os.environ.get(UENV_ENV, '')
    environments, names = [], {}
    for item in filter(None, spec.split(',')):
        image, _, mount = item.partition('@')
        image = os.path.abspath(image)
        if not os.path.isfile(image):
            raise ConfigError(f'{UENV_ENV}: {image}: no such squashfs file (give the path of the image, e.g. store.squashfs)')
        meta = os.path.join(os.path.dirname(image), 'meta', 'extra', 'reframe.yaml')
        try:
            with open(meta, encoding='utf-8') as f:
                entries = yaml.safe_load(f)
        except OSError as e:
            raise ConfigError(f'{UENV_ENV}: {image}: cannot read its metadata {meta}: {e.strerror}') from e
        except yaml.YAMLError as e:
            raise ConfigError(f'{meta}: not YAML: {e}') from e
        if not isinstance(entries, dict) or not entries:
            raise ConfigError(f'{meta}: must map environment names to their settings')
        label = os.path.basename(os.path.dirname(image)) or 'uenv'
        if label in names:
            raise ConfigError(f'{UENV_ENV}: {image} and {names[label]} are both in a directory named {label}: '
                              'environment names would collide; put each image in a directory of its own name')
        names[label] = image
        for name, settings in entries.items():
            environments.append(_environment(image, _mount_of(image, mount), label, str(name), settings, meta))
    return environments


def uenv_resources():
    """The partition resources that turn an environment's image and views into Slurm options
    (the uenv Slurm plugin's --uenv and --view)."""
    return [{'name': 'uenv', 'options': ['--uenv={uenv}']},
            {'name': 'uenv_views', 'options': ['--view={views}']}]


LOG_ENV = 'UENV_KB_RFM_LOG'


def logging_config():
    """ReFrame's own log (UENV_KB_RFM_LOG, default ./reframe.log; run.sh puts it in the run's new directory,
    or /dev/null for --list, so no file of the caller's is overwritten), and one performance log per check
    under --perflogdir."""
    return [{
        'handlers': [{'type': 'file', 'name': os.environ.get(LOG_ENV) or 'reframe.log', 'level': 'debug2', 'append': False}],
        'handlers_perflog': [{
            'type': 'filelog',
            'prefix': '%(check_system)s/%(check_partition)s',
            'level': 'info',
            'format': '%(check_job_completion_time)s|%(check_display_name)s|%(check_system)s:%(check_partition)s|'
                      '%(check_environ)s|%(check_perfvalues)s',
            'format_perfvars': '%(check_perf_var)s=%(check_perf_value)s|%(check_perf_unit)s|'
                               '%(check_perf_ref)s|%(check_perf_lower_thres)s|%(check_perf_upper_thres)s|%(check_perf_result)s|',
            'append': True,
        }],
    }]

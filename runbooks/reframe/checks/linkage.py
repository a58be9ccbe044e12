"""Linkage checks: the image's libraries resolve inside the store, and a stack program loads one copy of each.

Both wrap runbooks/verify-stack.sh (the audit and the runtime trace), so the rules live in one place:
runbooks/lib/verify_audit.py and verify_runtime.py, with the allow-list runbooks/data/system-libraries.allow.
"""

import fnmatch
import json
import os
import sys

import reframe as rfm
import reframe.utility.sanity as sn
import reframe.utility.typecheck as typ
from reframe.core.builtins import run_after, sanity_function, variable

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from stack_checks import VERIFY_STACK, StackRunCheck  # noqa: E402


class VerifyStackCheck(StackRunCheck):
    """Runs one verify-stack.sh check on a compute node and passes when it does."""

    verify = variable(str)

    @run_after('setup')
    def run_verify_stack(self):
        self.executable = VERIFY_STACK
        self.executable_opts = [self.verify] + self.image_args() + ['--json', f'{self.verify}.json'] + self.verify_args()
        self.postrun_cmds = ['echo "verify-stack.sh exit status: $?"']
        self.keep_files = [f'{self.verify}.json']

    def verify_args(self):
        return []

    # verify-stack.sh's exit status is its verdict (0 pass or skipped, 1 the stack fails, 2 bad usage);
    # its findings are in the job's output and in the JSON report kept beside it.
    @sanity_function
    def verify_passed(self):
        return sn.assert_eq(self.status_line('verify-stack.sh'), 0,
                            msg=f'verify-stack.sh {self.verify} exited with status {{0}} (1: the stack fails the check, '
                                f'2: bad usage); its findings are in the output and in {self.verify}.json')


@sn.deferrable
def missing_libraries(report, patterns):
    """The patterns no library of the audit report matches (by soname or file name)."""
    with open(report, encoding='utf-8') as f:
        objects = json.load(f).get('objects', [])
    names = {o.get('soname') for o in objects} | {os.path.basename(o.get('path', '')) for o in objects}
    return [p for p in patterns if not fnmatch.filter([n for n in names if n], p)]


@rfm.simple_test
class StoreLinkageAudit(VerifyStackCheck):
    """Every ELF file of the image resolves each library it needs inside the store or on the allow-list (verify-stack.sh audit), and the image ships libfabric, cray-mpich, NCCL and the aws-ofi-nccl plugin.

    Fails on a library resolved from the OS and not allowed (the system CUDA, the system libcurl),
    one that resolves nowhere, one soname shipped twice, and when one of the network libraries is not
    in the image at all (expected_libraries)."""

    verify = 'audit'
    #: Libraries the image must ship (globs on soname or file name): libfabric, cray-mpich, NCCL, aws-ofi-nccl.
    expected_libraries = variable(typ.List[str], value=['libfabric.so*', 'libmpi*.so*', 'libnccl.so*', 'libnccl-net*.so*'])

    @sanity_function
    def verify_passed(self):
        return sn.all([
            super().verify_passed(),
            sn.assert_false(missing_libraries(os.path.join(self.stagedir, 'audit.json'), self.expected_libraries),
                            msg='the image ships no library matching {0}: is this the stack\'s image?'),
        ])


@rfm.simple_test
class SingleLibcurlAtRuntime(VerifyStackCheck):
    """A stack program run under the loader's trace loads every library once and from the store, and exits cleanly (verify-stack.sh runtime).

    By default it traces the stack's fi_info, which loads the CXI provider: the seed's provider also
    loaded the OS's libcurl next to the stack's, and crashed at exit. `-S trace_command=PROGRAM ARGS`
    traces another program of the image."""

    verify = 'runtime'
    #: The program to trace and its arguments; empty for verify-stack.sh's default (the store's fi_info).
    trace_command = variable(typ.List[str], value=[])

    def verify_args(self):
        return ['--'] + self.trace_command if self.trace_command else []

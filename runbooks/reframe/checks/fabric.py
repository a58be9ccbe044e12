"""Fabric check: the stack's libfabric sees every Slingshot NIC of the node, with GPU memory support."""

import os
import sys

import reframe as rfm
import reframe.utility.sanity as sn
from reframe.core.builtins import run_after, sanity_function

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from stack_checks import StackRunCheck  # noqa: E402


@rfm.simple_test
class CxiFabricDomains(StackRunCheck):
    """The stack's fi_info lists the cxi provider on every Slingshot NIC of a compute node (cxi0 to cxiN-1), with FI_HMEM (GPU memory).

    Fails when a NIC is missing from the provider, when libfabric was built without GPU memory
    support (no FI_HMEM: a libfabric built without CUDA), or when fi_info is not
    the view's. Skipped where the partition declares no CXI NIC (extras.cxi_nics)."""

    valid_prog_environs = ['+uenv']
    executable = 'bash'

    @run_after('setup')
    def list_domains(self):
        self.nics = self.skip_without_cxi()
        self.executable_opts = ['-c', "'command -v fi_info; fi_info -p cxi; echo \"fi_info exit status: $?\"; "
                                "fi_info -p cxi -c FI_HMEM >/dev/null; echo \"fi_info FI_HMEM exit status: $?\"'"]

    @sanity_function
    def all_domains_with_hmem(self):
        mount = self.current_environ.extras.get('uenv_mount', '/user-environment')
        domains = sn.extractall(r'^\s*domain:\s*(cxi\d+)', self.stdout, 1)
        return sn.all([
            sn.assert_found(rf'^{mount}/', self.stdout, msg=f'fi_info is not the stack\'s (not under {mount}): check --view'),
            sn.assert_eq(self.status_line('fi_info'), 0, msg='fi_info -p cxi exited with status {0}'),
            sn.assert_eq(sn.count_uniq(domains), self.nics,
                         msg=f'fi_info -p cxi lists {{0}} cxi domain(s), the node has {self.nics} NICs'),
            sn.assert_eq(self.status_line('fi_info FI_HMEM'), 0,
                         msg='fi_info -p cxi -c FI_HMEM exited with status {0}: libfabric without GPU memory support'),
        ])

"""Which libfabric provider an MPI or NCCL run used: one rule each for verify-stack.sh (mpi.py, nccl.py)
and the ReFrame OSU and NCCL checks (runbooks/reframe/lib/stack_checks.py, checks/nccl.py).

MPI: cray-mpich with MPICH_OFI_VERBOSE=1 reports the provider it selected during MPI_Init. We found no
public, pinnable copy of the exact wording, so the pattern accepts any MPICH or OFI line that names a
provider (our inference); a name may list several providers joined by ';' (libfabric's layering).

NCCL with NCCL_DEBUG=INFO: CSCS's NCCL check requires the provider line; cscs-docs shows the plugin line
when NCCL loaded aws-ofi-nccl:
https://github.com/eth-cscs/cscs-reframe-tests/blob/2f813557625e1294b277a698338f82f398bea7b8/checks/microbenchmarks/xccl/xccl_tests.py#L94-L101
https://github.com/eth-cscs/cscs-docs/blob/80abed138e7cc52ebf6703b82ed02520ab9bf92f/docs/software/communication/nccl.md#L136-L140
"""

import re
from typing import Iterable, List

# Inline flags, so that ReFrame's sanity functions (which take a pattern string) read it the same way.
MPICH_PROVIDER_PATTERN = r"(?im)^.*\b(?:MPICH|OFI)\b.*\bprovider\b[^A-Za-z0-9]*(?:is\s+)?([A-Za-z0-9_;]+).*$"
_MPICH_PROVIDER = re.compile(MPICH_PROVIDER_PATTERN)


def mpich_providers(text: str) -> List[str]:
    """The provider names the MPICH/OFI lines of text name, sorted, each once (as printed, ';' kept)."""
    return sorted(set(_MPICH_PROVIDER.findall(text)))


def names_provider(provider: str, names: Iterable[str]) -> bool:
    """Whether provider is one of names, or one layer of a ';'-joined name."""
    return provider in {p for name in names for p in name.split(";")}


NCCL_PROVIDER_PATTERN = r"NCCL INFO NET/OFI Selected [pP]rovider is ([A-Za-z0-9_;]+)"
NCCL_PLUGIN_PATTERN = r"NCCL INFO Using network AWS Libfabric"


def nccl_provider_proven(provider: str, names: Iterable[str]) -> bool:
    """Whether NCCL's NET/OFI lines selected provider and nothing else (another provider on some rank is no proof)."""
    return sorted(set(names)) == [provider]

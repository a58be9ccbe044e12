"""Which libfabric provider an MPI run used, from cray-mpich's MPICH_OFI_VERBOSE=1 output: one rule for
verify-stack.sh mpi (mpi.py) and the ReFrame OSU checks (runbooks/reframe/lib/stack_checks.py).

cray-mpich with MPICH_OFI_VERBOSE=1 reports the provider it selected during MPI_Init. We found no
public, pinnable copy of the exact wording, so the pattern accepts any MPICH or OFI line that names a
provider (our inference); a name may list several providers joined by ';' (libfabric's layering).
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

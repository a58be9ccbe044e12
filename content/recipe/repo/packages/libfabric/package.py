# Override of Spack's builtin libfabric (Spack develop-2025-01-05 API).
#
# What it changes: with +cuda, libfabric is configured with --enable-cuda-dlopen, and a new
# +gdrcopy variant adds --with-gdrcopy=<prefix> --enable-gdrcopy-dlopen. Both libraries are then
# dlopened at run time instead of linked.
# Why: linked this way, libfabric picked up the system's CUDA instead of the stack's (seen with ldd).
# The builtin package has no gdrcopy or dlopen variants in January 2025.
# Upstream: configure options https://github.com/ofiwg/libfabric/blob/v2.0.0/configure.ac#L702-L760
# and #L970-L1010; Spack gained `gdrcopy` (spack-packages PR #1641) and `cuda_dlopen`/`gdrcopy_dlopen`
# (spack-packages PR #2736) only later.
from spack.package import *
from spack.pkg.builtin.libfabric import Libfabric as BuiltinLibfabric


class Libfabric(BuiltinLibfabric):
    variant("gdrcopy", default=False, description="Use gdrcopy (dlopened) for GPU memory copies")
    depends_on("gdrcopy", when="+gdrcopy")
    conflicts("+gdrcopy", when="~cuda", msg="gdrcopy needs +cuda")

    def configure_args(self):
        args = super().configure_args()
        if self.spec.satisfies("+cuda"):
            args.append("--enable-cuda-dlopen")
        if self.spec.satisfies("+gdrcopy"):
            args.append(f"--with-gdrcopy={self.spec['gdrcopy'].prefix}")
            args.append("--enable-gdrcopy-dlopen")
        return args

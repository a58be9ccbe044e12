# Override of Spack's builtin libfuse (Spack develop-2025-01-05 API).
#
# What it changes: applies fix_aarch64_compile.patch to libfuse 2.x on aarch64.
# Why: libcxi needs libfuse 2 (its configure fails with fuse 3), and libfuse 2.9.9 does not
# compile on aarch64: include/fuse_kernel.h #defines __s64 and friends as the <stdint.h> types,
# which clash with the kernel headers' own typedefs. libfuse 3 is fixed (libfuse commit 6b02a70).
# The patch is ours and minimal: it swaps the <sys/types.h> include and the five #defines for
# <linux/types.h>, which provides those types. Upstream Spack instead backports the whole
# fuse_kernel.h of libfuse commit 6b02a70, applied when="@:2 target=aarch64:" in
# https://github.com/spack/spack/pull/47846 (merged 2025-03-20, after develop-2025-01-05).
# Drop this override once the stack moves to a Spack that contains that PR.
from spack.package import *
from spack.pkg.builtin.libfuse import Libfuse as BuiltinLibfuse


class Libfuse(BuiltinLibfuse):
    patch("fix_aarch64_compile.patch", when="@:2 target=aarch64:")

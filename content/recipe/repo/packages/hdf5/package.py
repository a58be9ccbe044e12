# Override of Spack's builtin hdf5 (Spack develop-2025-01-05 API).
#
# What it changes: adds the variant `direct-vfd` (default off), mapped to the CMake option
# HDF5_ENABLE_DIRECT_VFD, so the recipe can ask for `hdf5 +direct-vfd` (the O_DIRECT virtual
# file driver). Nothing else differs from the builtin package.
# Why: an HPE engineer asked for this variant (as the stack's README records); the builtin package
# has no such variant, then or now.
# The builtin package it extends (no direct-vfd variant):
# https://github.com/spack/spack-packages/blob/f55ddabdb0d022ec74582873659db588c73fcac6/repos/builtin/packages/hdf5/package.py
# Same change in the CSCS pytorch recipe:
# https://github.com/eth-cscs/alps-uenv/blob/01a092a4d86e51393ed36c179449398fef5434e1/recipes/pytorch/v2.6.0/gh200/repo/packages/hdf5/package.py#L120
# Not needed for the network layer; kept for the optional environment.
from spack.package import *
from spack.pkg.builtin.hdf5 import Hdf5 as BuiltinHdf5


class Hdf5(BuiltinHdf5):
    variant("direct-vfd", default=False, description="Enable the O_DIRECT virtual file driver")

    def cmake_args(self):
        args = super().cmake_args()
        args.append(self.define_from_variant("HDF5_ENABLE_DIRECT_VFD", "direct-vfd"))
        return args

# Override of Spack's builtin faiss (Spack develop-2025-01-05 API).
#
# What it changes: the CMake builder installs the Python bindings with
# spack.build_systems.python.PythonPipBuilder, fully qualified, instead of `python.PythonPipBuilder`.
# Why: since https://github.com/spack/spack/pull/47260 the builtin imports the module as `python`
# (`from spack.build_systems import ..., python`), and `faiss +python` does not install with that
# name (likely, not confirmed: at build time Spack injects a `python` executable into the package
# module, which shadows the module alias). Upstream fixed it much later by importing PythonPipBuilder directly:
# https://github.com/spack/spack-packages/issues/4022, https://github.com/spack/spack-packages/pull/4024
# Not needed for the network layer; kept for the optional environment.
import os

import spack.build_systems.cmake
import spack.build_systems.python
from spack.package import *
# Spack looks a package's builders up by class name in the package's own module, so both are here.
from spack.pkg.builtin.faiss import AutotoolsBuilder  # noqa: F401
from spack.pkg.builtin.faiss import CMakeBuilder as BuiltinCMakeBuilder
from spack.pkg.builtin.faiss import Faiss as BuiltinFaiss


class Faiss(BuiltinFaiss):
    pass


class _FaissPythonBindings(spack.build_systems.python.PythonPipBuilder):
    """pip-installs faiss/python from the CMake build tree."""

    def __init__(self, pkg, build_dirname):
        spack.build_systems.python.PythonPipBuilder.__init__(self, pkg)
        self.build_dirname = build_dirname

    @property
    def build_directory(self):
        return os.path.join(self.pkg.stage.path, self.build_dirname, "faiss", "python")


class CMakeBuilder(BuiltinCMakeBuilder):
    def install(self, pkg, spec, prefix):
        # Skip the builtin install (the broken name); do the plain CMake install, then the bindings.
        spack.build_systems.cmake.CMakeBuilder.install(self, pkg, spec, prefix)
        if spec.satisfies("+python"):
            _FaissPythonBindings(pkg, self.build_dirname).install(pkg, spec, prefix)

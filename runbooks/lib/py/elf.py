"""ELF dynamic sections and the dynamic loader's search, read with the standard library only.

Login nodes have python3 but no pip packages, so this reads the program headers with `struct`
instead of pyelftools, and resolves sonames the way glibc's ld.so does (dl-load.c) instead of
running `ldd` once per file: DT_RPATH (ignored when DT_RUNPATH exists) of the object and of its
loader chain up to the root, DT_RUNPATH, /etc/ld.so.cache, then the default directories.
LD_LIBRARY_PATH is deliberately not used: a stack must work in a clean environment.
"""

import os
import struct
import subprocess
from typing import Dict, FrozenSet, List, Optional, Tuple

PT_LOAD, PT_DYNAMIC, PT_INTERP = 1, 2, 3
DT_NULL, DT_NEEDED, DT_STRTAB, DT_STRSZ, DT_SONAME, DT_RPATH, DT_RUNPATH = 0, 1, 5, 10, 14, 15, 29
DT_FLAGS_1, DF_1_NODEFLIB = 0x6FFFFFFB, 0x800
ET_EXEC, ET_DYN = 2, 3
EM_386, EM_X86_64, EM_AARCH64 = 3, 62, 183

# ldconfig -p tags each cache entry with the ABI it serves; only matching entries are candidates.
_CACHE_ABI = {(2, EM_X86_64): "x86-64", (2, EM_AARCH64): "AArch64", (1, EM_386): ""}
# The loader ldd uses for a shared library that has no PT_INTERP of its own.
_DEFAULT_INTERP = {(2, EM_X86_64): "/lib64/ld-linux-x86-64.so.2", (2, EM_AARCH64): "/lib/ld-linux-aarch64.so.1"}


class NotElf(Exception):
    """The file is not an ELF object we can read (too short, wrong magic, truncated headers)."""


class ElfInfo:
    """What the loader reads from one ELF file (a plain class: Python 3.6 has no dataclasses)."""

    def __init__(self, path: str, elf_class: int, data: int, machine: int, etype: int) -> None:
        self.path = path
        self.elf_class = elf_class  # 1 = 32-bit, 2 = 64-bit
        self.data = data  # 1 = little endian, 2 = big endian
        self.machine = machine
        self.etype = etype
        self.interp = None  # type: Optional[str]
        self.soname = None  # type: Optional[str]
        self.needed = []  # type: List[str]
        self.rpath = []  # type: List[str]
        self.runpath = []  # type: List[str]
        self.nodeflib = False
        self.dynamic = False

    @property
    def abi(self) -> Tuple[int, int, int]:
        return (self.elf_class, self.data, self.machine)


def read_elf(path: str) -> ElfInfo:
    """Reads only the headers, the dynamic segment and its string table (a few KiB per file)."""
    with open(path, "rb") as f:
        ident = f.read(64)
        if len(ident) < 52 or ident[:4] != b"\x7fELF":
            raise NotElf(path)
        cls, data = ident[4], ident[5]
        if cls not in (1, 2) or data not in (1, 2):
            raise NotElf(path)
        end = "<" if data == 1 else ">"
        if cls == 2:
            etype, machine, _v, _entry, phoff, _shoff, _fl, _eh, phentsize, phnum = struct.unpack_from(end + "HHIQQQIHHH", ident, 16)
            ph_fmt, dyn_fmt = end + "IIQQQQQQ", end + "qQ"
        else:
            etype, machine, _v, _entry, phoff, _shoff, _fl, _eh, phentsize, phnum = struct.unpack_from(end + "HHIIIIIHHH", ident, 16)
            ph_fmt, dyn_fmt = end + "IIIIIIII", end + "iI"
        info = ElfInfo(path, cls, data, machine, etype)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
        if len(table) < phentsize * phnum:
            raise NotElf(path)
        loads, dyn = [], None
        for i in range(phnum):
            fields = struct.unpack_from(ph_fmt, table, i * phentsize)
            if cls == 2:
                p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = fields[:6]
            else:
                p_type, p_offset, p_vaddr, _paddr, p_filesz = fields[:5]
            if p_type == PT_LOAD:
                loads.append((p_vaddr, p_filesz, p_offset))
            elif p_type == PT_DYNAMIC:
                dyn = (p_offset, p_filesz)
            elif p_type == PT_INTERP:
                f.seek(p_offset)
                info.interp = f.read(p_filesz).split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
        if dyn is None:
            return info
        info.dynamic = True
        f.seek(dyn[0])
        raw = f.read(dyn[1])
        size = struct.calcsize(dyn_fmt)
        entries = []
        strtab = strsz = None
        for off in range(0, len(raw) - size + 1, size):
            tag, val = struct.unpack_from(dyn_fmt, raw, off)
            if tag == DT_NULL:
                break
            if tag == DT_STRTAB:
                strtab = val
            elif tag == DT_STRSZ:
                strsz = val
            elif tag == DT_FLAGS_1:
                info.nodeflib = bool(val & DF_1_NODEFLIB)
            entries.append((tag, val))
        if strtab is None or strsz is None:
            return info
        # DT_STRTAB is a virtual address: map it to a file offset through the PT_LOAD segment holding it.
        str_off = next((o + strtab - v for v, sz, o in loads if v <= strtab < v + sz), None)
        if str_off is None:
            raise NotElf(path)
        f.seek(str_off)
        strings = f.read(strsz)

    def string(at: int) -> str:
        return strings[at : strings.index(b"\0", at)].decode("utf-8", "surrogateescape")

    for tag, val in entries:
        if tag == DT_NEEDED:
            info.needed.append(string(val))
        elif tag == DT_SONAME:
            info.soname = string(val)
        elif tag == DT_RPATH:
            info.rpath = [p for p in string(val).split(":") if p]
        elif tag == DT_RUNPATH:
            info.runpath = [p for p in string(val).split(":") if p]
    if info.runpath:
        info.rpath = []  # glibc ignores DT_RPATH when DT_RUNPATH is present (get-dynamic-info.h)
    return info


def read_ld_cache() -> List[Tuple[str, str, str]]:
    """(soname, abi tag, path) from `ldconfig -p`, in the cache's preference order."""
    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig"):
        try:
            out = subprocess.run([ldconfig, "-p"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True, check=True).stdout
            break
        except (OSError, subprocess.CalledProcessError):
            continue
    else:
        return []
    entries = []
    for line in out.splitlines()[1:]:
        name, sep, path = line.strip().partition(" => ")
        if not sep or " (" not in name:
            continue
        soname, tags = name.split(" (", 1)
        flags = tags.rstrip(")").split(",")
        entries.append((soname, flags[1] if len(flags) > 1 else "", path))
    return entries


def default_dirs(machine: int) -> List[str]:
    """The loader's built-in directories: `ld.so --help` prints them (glibc >= 2.33); else the FHS defaults."""
    interp = _DEFAULT_INTERP.get((2, machine))
    if interp and os.path.exists(interp):
        try:
            out = subprocess.run([interp, "--help"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, universal_newlines=True, timeout=10).stdout
            dirs = [l.strip().split(" (system search path)")[0] for l in out.splitlines() if "(system search path)" in l]
            if dirs:
                return dirs
        except (OSError, subprocess.SubprocessError):
            pass
    return ["/lib64", "/usr/lib64", "/lib", "/usr/lib"]


class Resolver:
    """Finds the file the loader would map for a DT_NEEDED name, with every file read at most once."""

    def __init__(self) -> None:
        self._info: Dict[str, Optional[ElfInfo]] = {}
        self._listing: Dict[str, FrozenSet[str]] = {}
        self._cache: Optional[List[Tuple[str, str, str]]] = None
        self._defaults: Dict[int, List[str]] = {}

    def info(self, path: str) -> Optional[ElfInfo]:
        if path not in self._info:
            try:
                self._info[path] = read_elf(path)
            except (OSError, NotElf, struct.error, ValueError):
                self._info[path] = None
        return self._info[path]

    def _exists(self, directory: str, name: str) -> bool:
        # One listdir per directory replaces a stat per (directory, name) probe.
        if directory not in self._listing:
            try:
                self._listing[directory] = frozenset(os.listdir(directory))
            except OSError:
                self._listing[directory] = frozenset()
        return name in self._listing[directory]

    def _compatible(self, path: str, abi: Tuple[int, int, int]) -> bool:
        info = self.info(path)
        return info is not None and info.abi == abi and info.etype == ET_DYN

    def _expand(self, entry: str, origin_of: ElfInfo) -> str:
        origin = os.path.dirname(origin_of.path)
        for token in ("${ORIGIN}", "$ORIGIN"):
            entry = entry.replace(token, origin)
        lib = "lib64" if origin_of.elf_class == 2 else "lib"
        for token in ("${LIB}", "$LIB"):
            entry = entry.replace(token, lib)
        return entry.rstrip("/") or "/"

    def _search(self, name: str, dirs: List[str], origin_of: ElfInfo, abi) -> Optional[str]:
        for d in dirs:
            d = self._expand(d, origin_of)
            if self._exists(d, name):
                cand = f"{d}/{name}" if d != "/" else f"/{name}"
                if self._compatible(cand, abi):
                    return cand
        return None

    def ld_cache(self) -> List[Tuple[str, str, str]]:
        if self._cache is None:
            self._cache = read_ld_cache()
        return self._cache

    def resolve(self, name: str, loader: ElfInfo, chain: List[ElfInfo]) -> Optional[str]:
        """Path for `name` needed by `loader`; `chain` is loader's loader, … up to the root (dl-load.c order)."""
        abi = loader.abi
        if "/" in name:
            return name if self._compatible(name, abi) else None
        if not loader.runpath:
            seen = set()
            for obj in [loader, *chain]:
                if obj.path in seen or not obj.rpath:
                    continue
                seen.add(obj.path)
                found = self._search(name, obj.rpath, obj, abi)
                if found:
                    return found
        if loader.runpath:
            found = self._search(name, loader.runpath, loader, abi)
            if found:
                return found
        if loader.nodeflib:
            return None
        tag = _CACHE_ABI.get((loader.elf_class, loader.machine))
        for soname, flag, path in self.ld_cache():
            if soname == name and (tag is None or flag == tag) and self._compatible(path, abi):
                return path
        if loader.machine not in self._defaults:
            self._defaults[loader.machine] = default_dirs(loader.machine)
        return self._search(name, self._defaults[loader.machine], loader, abi)

    def closure(self, root: ElfInfo) -> List[Tuple[str, Optional[str]]]:
        """What `ldd root` lists: every object loaded breadth-first, once, as (first name, path or None).

        The loader itself and the vDSO are left out, as ldd prints them without "=>".
        """
        interp = root.interp or _DEFAULT_INTERP.get((root.elf_class, root.machine))
        interp_info = self.info(interp) if interp else None
        loaded_names: Dict[str, int] = {}  # requested name or soname -> index in objects
        objects: List[Tuple[str, Optional[str], Optional[ElfInfo], List[ElfInfo]]] = []
        by_file: Dict[Tuple[int, int], int] = {}
        if root.soname:
            loaded_names[root.soname] = -1
        if interp_info is not None:
            loaded_names[interp] = -1
            if interp_info.soname:
                loaded_names[interp_info.soname] = -1
        queue: List[Tuple[ElfInfo, List[ElfInfo]]] = [(root, [])]
        while queue:
            obj, chain = queue.pop(0)
            for name in obj.needed:
                if name in loaded_names:
                    continue
                path = self.resolve(name, obj, chain)
                if path is None:
                    loaded_names[name] = len(objects)
                    objects.append((name, None, None, []))
                    continue
                try:
                    st = os.stat(path)
                    ident = (st.st_dev, st.st_ino)
                except OSError:
                    ident = None
                if ident in by_file:  # the same file under another name: the loader maps it once
                    loaded_names[name] = by_file[ident]
                    continue
                info = self.info(path)
                index = len(objects)
                loaded_names[name] = index
                if info is not None and info.soname:
                    loaded_names.setdefault(info.soname, index)
                if ident is not None:
                    by_file[ident] = index
                objects.append((name, path, info, [obj, *chain]))
                if info is not None:
                    queue.append((info, [obj, *chain]))
        return [(name, path) for name, path, _info, _chain in objects]

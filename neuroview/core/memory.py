"""How much memory a new buffer may take, checked before a header's declared size is allocated.

A header can declare more voxels than the machine holds (a 21 MB ``.nii.gz`` inflating to 22 GB).
Readers call :func:`require_memory` with the size the header declares before reading or
decompressing anything, so a lying or simply too big file is one clear error, not a machine
brought down by swapping, an OOM kill or an internal ``MemoryError``.
"""

from __future__ import annotations

import os
from typing import Optional

from .errors import LoadError


def _meminfo_available() -> Optional[int]:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _address_space_left() -> Optional[int]:
    """What ``RLIMIT_AS`` (ulimit -v) still allows this process, if it is limited."""
    try:
        import resource  # not on Windows
        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        used = 0
    return max(0, soft - used)


def available_bytes() -> Optional[int]:
    """Bytes a new buffer can take now (physical memory available, and the address-space limit
    where there is one); ``None`` where the system does not tell."""
    limits = [v for v in (_meminfo_available(), _address_space_left()) if v is not None]
    return min(limits) if limits else None


def format_bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def require_memory(nbytes: int, path=None, what: str = "the image") -> None:
    """Refuse to allocate ``nbytes`` when the machine cannot hold them."""
    available = available_bytes()
    if available is not None and nbytes > available:
        raise LoadError(f"{what} needs {format_bytes(nbytes)} of memory, only "
                        f"{format_bytes(available)} is available", path=path,
                        hint="if the header is right, open it on a machine with more memory")

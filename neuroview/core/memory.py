"""How much memory a new buffer may take, checked before a header's declared size is allocated.

A header can declare more voxels than the machine holds (a 21 MB ``.nii.gz`` inflating to 22 GB).
Readers call :func:`require_memory` with the size the header declares before reading or
decompressing anything, so a lying or simply too big file is one clear error, not a machine
brought down by swapping, an OOM kill or an internal ``MemoryError``.

What is available is the least of the memory the system says is available (``MemAvailable``),
what ``ulimit -v`` still allows, and the cap a user sets in ``NEUROVIEW_MEMORY_LIMIT`` (bytes, or
a number with ``K``, ``M``, ``G`` or ``T``: ``NEUROVIEW_MEMORY_LIMIT=8G``), e.g. to keep a shared
server's other jobs alive.
"""

from __future__ import annotations

import os
import re
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


LIMIT_VARIABLE = "NEUROVIEW_MEMORY_LIMIT"
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}


def parse_size(text: str) -> int:
    """``"8G"``, ``"512M"``, ``"1.5g"``, ``"1000000"``: bytes. ValueError if it is not a size."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?)\s*([KMGT]?)(?:i?B)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"{text!r} is not a size (e.g. 8G, 512M or a number of bytes)")
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def configured_limit() -> Optional[int]:
    """The cap set in ``NEUROVIEW_MEMORY_LIMIT``, if any; a value that is not a size is an
    error naming the variable, not silently ignored."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return None
    try:
        return parse_size(text)
    except ValueError as exc:
        raise LoadError(f"{LIMIT_VARIABLE}: {exc}") from None


def available_bytes() -> Optional[int]:
    """Bytes a new buffer can take now (physical memory available, the address-space limit and
    ``NEUROVIEW_MEMORY_LIMIT`` where set); ``None`` where nothing tells."""
    limits = [v for v in (_meminfo_available(), _address_space_left(), configured_limit())
              if v is not None]
    return min(limits) if limits else None


def format_bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def format_byte_pair(first: int, second: int) -> tuple[str, str]:
    """Two byte counts in words, exact where rounded they read the same (a header declaring 2000
    bytes of voxels where the file holds 1999 read ``2.0 kB`` and ``2.0 kB``: no difference)."""
    rounded = format_bytes(first), format_bytes(second)
    return rounded if rounded[0] != rounded[1] else (f"{first} bytes", f"{second} bytes")


def require_memory(nbytes: int, path=None, what: str = "the image") -> None:
    """Refuse to allocate ``nbytes`` when the machine cannot hold them."""
    available = available_bytes()
    if available is not None and nbytes > available:
        raise LoadError(f"{what} needs {format_bytes(nbytes)} of memory, only "
                        f"{format_bytes(available)} is available", path=path,
                        hint="if the header is right, open it on a machine with more memory")

"""Reading a DICOM instance from or for a PACS with a bound, like the loader reads files.

What a server sends is not trusted: a C-STORE or WADO-RS answer may be far bigger than the memory
left, or be a Deflated Explicit VR Little Endian dataset of a few kilobytes that inflates to
gigabytes when pydicom reads it. Every ``dcmread`` of ``io.pacs`` goes through :func:`read_instance`
(or :func:`check_instance` where the bytes are only stored), which refuses such an instance with
one :class:`PacsError` line naming where it came from, before pydicom holds it:

- the instance may take at most half the memory available (``core.memory``: the system's
  available memory, ``ulimit -v`` and ``NEUROVIEW_MEMORY_LIMIT``), as the loader's deflated-DICOM
  bound (``io.compressed``);
- a deflated dataset is inflated once into nothing, 1 MiB at a time, to count its size against
  the same bound (:func:`io.compressed.check_deflated_stream`);
- values of more than ``DEFER_SIZE`` bytes in a file are left on disk until used (as the loader).
"""

from __future__ import annotations

import io
import os
from typing import Optional, Union

from ...core.errors import LoadError
from ...core.memory import available_bytes, format_bytes
from ..compressed import check_deflated_stream
from .config import PacsError

DEFER_SIZE = 4096
"""Values bigger than this stay in the file until read (pydicom's ``defer_size``)."""

MORE_MEMORY = "if it is right, read it on a machine with more memory (or raise NEUROVIEW_MEMORY_LIMIT)"
Source = Union[bytes, bytearray, memoryview, str, os.PathLike]


def instance_limit() -> Optional[int]:
    """The most bytes one instance may take, raw or inflated: half the memory available (pydicom
    holds the raw and the decoded dataset at once); ``None`` where nothing tells."""
    available = available_bytes()
    return None if available is None else available // 2


def check_instance(data: Source, source: str, limit: Optional[int] = None) -> None:
    """Refuse an instance (its bytes, or a file) bigger than ``limit`` (default
    :func:`instance_limit`) or whose deflated dataset inflates past it. ``source`` names where it
    came from (a server and the instance's UID, or a file) in the error."""
    limit = instance_limit() if limit is None else limit
    in_memory = isinstance(data, (bytes, bytearray, memoryview))
    try:
        size = len(data) if in_memory else os.path.getsize(data)
    except OSError as exc:
        raise PacsError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    if limit is not None and size > limit:
        raise PacsError(f"{source}: a DICOM instance of {format_bytes(size)}, more than the "
                        f"{format_bytes(limit)} neuroview reads with the memory available",
                        hint=MORE_MEMORY)
    try:
        if in_memory:
            check_deflated_stream(io.BytesIO(data), source, limit)
        else:
            with open(data, "rb") as handle:
                check_deflated_stream(handle, source, limit)
    except LoadError as exc:
        raise PacsError(f"{source}: {exc.message}", hint=MORE_MEMORY) from None
    except OSError as exc:
        raise PacsError(f"{source}: cannot be read ({exc.strerror or exc})") from None


def read_instance(data: Source, source: str, limit: Optional[int] = None, **dcmread_options):
    """``pydicom.dcmread`` of an instance's bytes or file after :func:`check_instance`;
    ``dcmread_options`` (``stop_before_pixels``, ``specific_tags``) go to pydicom. pydicom's own
    errors (not DICOM, truncated) pass through for the caller to name."""
    import pydicom

    check_instance(data, source, limit)
    if isinstance(data, (bytes, bytearray, memoryview)):
        return pydicom.dcmread(io.BytesIO(data), **dcmread_options)
    dcmread_options.setdefault("defer_size", DEFER_SIZE)
    return pydicom.dcmread(data, **dcmread_options)

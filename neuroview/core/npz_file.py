"""A ``.npz`` file as ``np.savez_compressed`` writes it (one deflated ``.npy`` member per array,
read back by ``np.load``), written a chunk of an array's memory at a time, at :data:`LEVEL`.

``np.savez_compressed`` copies each array whole into a ``bytes`` object first (``tobytes``, which
holds Python's interpreter lock: 10-45 ms for a 256^3 label map on the shared 2-core test
machine) and deflates it in one call. Here nothing is copied: each chunk is a view of the
array's memory, and zlib's CRC and deflate let go of the lock while they work, so the GUI thread
runs between and beside the chunks while a worker writes the crash journal's base or a model's
proposal; a cancel token is looked at between chunks."""

from __future__ import annotations

import zipfile
from typing import BinaryIO, Optional

import numpy as np

from .jobs import CancelToken, check

CHUNK_BYTES = 4 << 20
"""Bytes of an array deflated between two looks at the cancel token (about 0.1 s of deflate)."""

LEVEL = 1
"""zlib's fastest level, as nibabel's for ``.nii.gz`` (``np.savez_compressed``: 6): a 256^3 label
map of two balls in 32 ms of CPU against 67 ms (216 KiB against 90 KiB), one with a model's
ragged edges in 41 ms against 178 ms (1.0 MiB against 0.6 MiB). A worker compressing takes a
core from the GUI thread on a 2-core machine: the shorter, the fewer strokes it slows."""


def write_npz(handle: BinaryIO, arrays: dict, cancel: Optional[CancelToken] = None) -> None:
    """``arrays`` (name -> array) into the open binary file ``handle``, as
    ``np.savez_compressed(handle, **arrays)`` does; ``cancel``: ``Cancelled`` between chunks."""
    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, allowZip64=True,
                         compresslevel=LEVEL) as archive:
        for name, array in arrays.items():
            _write_npy(archive, name + ".npy", array, cancel)


def _write_npy(archive: zipfile.ZipFile, name: str, array, cancel: Optional[CancelToken]) -> None:
    """``array`` as the ``.npy`` member ``name`` of ``archive``, a chunk at a time."""
    from numpy.lib import format as npy

    array = np.asanyarray(array)
    header = npy.header_data_from_array_1_0(array)
    data = array.T if header["fortran_order"] else np.ascontiguousarray(array)
    raw = data.reshape(-1).view(np.uint8)
    with archive.open(name, "w", force_zip64=True) as member:
        npy.write_array_header_1_0(member, header)
        for start in range(0, raw.size, CHUNK_BYTES):
            check(cancel)
            member.write(raw[start:start + CHUNK_BYTES])
    check(cancel)

"""A NIfTI file's stored voxels a chunk at a time, in the order the file holds them (i fastest):
inflated from a ``.nii.gz`` a chunk at a time, or sliced from nibabel's memory map of a ``.nii``.
What scales voxels into float (:mod:`.nifti_scaling`) reads them so, and never holds the stored
image whole beside the scaled one."""

from __future__ import annotations

import gzip
from typing import Iterator, Optional

import numpy as np

CHUNK_BYTES = 1 << 18
"""Stored bytes read at a time (256 KiB: the scaled chunk and its temporaries are 2-8 times
that, whatever the image's size)."""


def gzip_voxels_at(img, path: str) -> Optional[tuple[np.dtype, int]]:
    """``(stored dtype, offset of the voxels)`` of a single-file ``.nii.gz`` whose voxels can be
    inflated straight from the stream; None where they cannot (another format, a structured
    type, no offset known)."""
    import nibabel as nib

    if not (isinstance(img, (nib.Nifti1Image, nib.Nifti2Image)) and path.lower().endswith(".gz")):
        return None
    dtype, offset = img.header.get_data_dtype(), getattr(img.dataobj, "offset", None)
    if dtype.hasobject or dtype.fields is not None or not img.shape or offset is None:
        return None
    return dtype, int(offset)   # (the header copy nibabel keeps says 0: the proxy's offset)


def stored_chunks(img, path: str) -> Optional[Iterator[np.ndarray]]:
    """The stored voxels of ``img`` (unscaled, native byte order) in file order, one flat chunk of
    about :data:`CHUNK_BYTES` at a time; None where the file is neither a ``.nii.gz``
    (:func:`gzip_voxels_at`) nor memory-mapped by nibabel. A stream that ends before the header's
    voxels raises ``EOFError``."""
    at = gzip_voxels_at(img, path)
    if at is not None:
        return _inflated(path, *at, int(np.prod(img.shape)))
    if path.lower().endswith((".gz", ".mgz")):
        return None
    stored = np.asanyarray(img.dataobj.get_unscaled())
    if not isinstance(stored, np.memmap):
        return None
    return _sliced(stored.reshape(-1, order="F"))


def _inflated(path: str, dtype: np.dtype, offset: int, count: int) -> Iterator[np.ndarray]:
    per_chunk = max(1, CHUNK_BYTES // dtype.itemsize)
    buffer = np.empty(min(per_chunk, count), dtype=dtype)
    raw = memoryview(buffer).cast("B")
    with gzip.open(path, "rb") as handle:
        handle.seek(offset)
        done = 0
        while done < count:
            n = min(per_chunk, count - done)
            want, got = n * dtype.itemsize, 0
            while got < want:
                read = handle.readinto(raw[got:want])
                if not read:
                    raise EOFError(f"the data ends after {done * dtype.itemsize + got} of "
                                   f"{count * dtype.itemsize} bytes")
                got += read
            chunk = buffer[:n]
            yield chunk if dtype.isnative else chunk.astype(dtype.newbyteorder("="))
            done += n


def _sliced(flat: np.ndarray) -> Iterator[np.ndarray]:
    per_chunk = max(1, CHUNK_BYTES // flat.dtype.itemsize)
    for start in range(0, flat.size, per_chunk):
        chunk = flat[start:start + per_chunk]
        yield chunk if chunk.dtype.isnative else chunk.astype(chunk.dtype.newbyteorder("="))

"""The key that names an image's workspace (``core.journal``): every voxel of it, hashed.

:func:`image_key` hashes the shape, dtype, affine (to 4 decimals) and **every voxel** with
SHA-256 (the hash CPUs compute in hardware: on this project's machines 1.5 GB/s, twice blake2b;
``xxhash`` is not installed), in Fortran order (i fastest, as NIfTI stores them), slab by slab
along k: a memory-mapped image is read where it lies, ``SLAB_BYTES`` at a time, never copied whole.
Its 40 hex digits are the workspace folder's name.

The voxels hashed are those **the file stores**, before any rule that changes how they read: a CT
NIfTI's or NRRD's padding read as air (``core.ct_padding``, given as ``padding``) is hashed with the
file's number, slab by slab. Until session 34 the key hashed the voxels as read, so each change of
such a rule (session 33: a CT NIfTI's padding, session 34: a CT NRRD's) gave a padded CT another
key, and its crash journal was no longer offered. A rule added later must keep what it replaced
(as ``Padding`` does) and be given here, or it changes the key again. The keys older neuroviews
gave an image are looked up too (``Volume.older_keys``).

:func:`sampled_key` is the key of neuroview before session 33 (32 hex digits): shape, dtype,
affine and 4,096 voxels, so a copy of an image with a 4x4x4 block changed had the same key and was
offered the first image's edits. Workspaces written then carry it; it is kept only to find them,
and a restore from one says that the image could not be checked voxel for voxel.
"""

from __future__ import annotations

import hashlib
from typing import Optional

import numpy as np

from .errors import Cancelled

KEY_LENGTH = 40
"""Hex digits of :func:`image_key` (a sampled key has 32: the length tells them apart)."""
SAMPLED_KEY_LENGTH = 32
SLAB_BYTES = 16 * 1024 * 1024
"""Voxels hashed at a time (a slab of whole k slices, at least one)."""


def _geometry(digest, array: np.ndarray, ijk_to_ras: np.ndarray) -> None:
    digest.update(repr(tuple(array.shape)).encode())
    digest.update(str(array.dtype).encode())
    digest.update(np.round(np.asarray(ijk_to_ras, dtype=float), 4).tobytes())


def image_key(array: np.ndarray, ijk_to_ras: np.ndarray, cancel=None, padding=None) -> str:
    """The workspace key of a 3D image: its geometry and every voxel (see the module's text).
    ``cancel`` (a ``CancelToken``): looked at between slabs, ``Cancelled`` raised. ``padding``
    (a ``core.ct_padding.Padding`` found in ``array``): hashed with the file's number."""
    digest = hashlib.sha256(b"neuroview image key 3\0")
    _geometry(digest, array, ijk_to_ras)
    if array.size:
        slices = array.shape[-1]
        per_slice = max(1, array.nbytes // max(slices, 1))
        step = max(1, SLAB_BYTES // per_slice)
        for k in range(0, slices, step):
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            part = array[..., k:k + step] if padding is None else \
                padding.restored_slab(array, k, k + step)
            slab = np.asfortranarray(part)
            digest.update(memoryview(slab.T).cast("B"))   # slab.T: C order, the bytes of slab's F order
    return digest.hexdigest()[:KEY_LENGTH]


def sampled_key(array: np.ndarray, ijk_to_ras: np.ndarray, samples: int = 4096,
                padding=None) -> str:
    """The key of workspaces written before session 33: geometry and a strided sample of
    ``samples`` voxels (fancy indexing: no copy of a memory-mapped array); ``padding``: as
    :func:`image_key`'s."""
    digest = hashlib.sha256()
    _geometry(digest, array, ijk_to_ras)
    size = int(np.prod(array.shape))
    if size:
        flat = np.unique(np.linspace(0, size - 1, num=min(samples, size)).astype(np.int64))
        index = np.unravel_index(flat, array.shape)
        values = np.asarray(array[index])
        if padding is not None:
            values = padding.restored_at(array, index, values)
        digest.update(np.ascontiguousarray(values).tobytes())
    return digest.hexdigest()[:SAMPLED_KEY_LENGTH]


def is_sampled(key: Optional[str]) -> bool:
    """A key written before session 33 (:func:`sampled_key`)."""
    return isinstance(key, str) and len(key) == SAMPLED_KEY_LENGTH

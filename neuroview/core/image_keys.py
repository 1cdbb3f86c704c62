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
and a restore from one says that the image could not be checked voxel for voxel. A DICOM series'
padding read as a number then (before session 32) gave its image another sampled key, kept by
the reader as :class:`SampleAsRead`.
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from .errors import Cancelled

KEY_LENGTH = 40
"""Hex digits of :func:`image_key` (a sampled key has 32: the length tells them apart)."""
SAMPLED_KEY_LENGTH = 32
SLAB_BYTES = 16 * 1024 * 1024
"""Voxels hashed at a time (a slab of whole k slices, at least one)."""


def _geometry(digest, shape: tuple, dtype: np.dtype, ijk_to_ras: np.ndarray) -> None:
    digest.update(repr(tuple(shape)).encode())
    digest.update(str(dtype).encode())
    digest.update(np.round(np.asarray(ijk_to_ras, dtype=float), 4).tobytes())


def image_key(array: np.ndarray, ijk_to_ras: np.ndarray, cancel=None, padding=None) -> str:
    """The workspace key of a 3D image: its geometry and every voxel (see the module's text).
    ``cancel`` (a ``CancelToken``): looked at between slabs, ``Cancelled`` raised. ``padding``
    (a ``core.ct_padding.Padding`` found in ``array``): hashed with the file's number."""
    digest = hashlib.sha256(b"neuroview image key 3\0")
    _geometry(digest, array.shape, array.dtype, ijk_to_ras)
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


def time_points_key(first: str, array: np.ndarray, samples: int = 4096) -> str:
    """The workspace key of a 4D image (time points on the last axis): ``first``, the
    :func:`image_key` of time point 1, with the 4D shape and ``samples`` voxels of **every** time
    point (:func:`sample_index` of one time point, read at all of them at once: 4,096 x 40 values
    for a 40-frame run, no copy of a memory-mapped array). Until session 50 a 4D image's key was
    ``first`` alone, so two runs with the same first volume (a DCE's pre-contrast, a BOLD's
    first volume) shared their kept labels journal, measurements and views."""
    digest = hashlib.sha256(b"neuroview time points key 1\0")
    digest.update(first.encode())
    digest.update(repr(tuple(array.shape)).encode())
    index = sample_index(array.shape[:3], samples)
    if array.size:
        digest.update(np.ascontiguousarray(array[index]).tobytes())   # (samples, time points)
    return digest.hexdigest()[:KEY_LENGTH]


def sample_index(shape: tuple, samples: int = 4096) -> tuple:
    """The voxels :func:`sampled_key` reads in an image of ``shape``: ``samples`` evenly strided
    over its C-ordered flat index, as arrays of indices (one per axis; empty for an empty shape)."""
    size = int(np.prod(shape))
    flat = np.unique(np.linspace(0, size - 1, num=min(samples, size)).astype(np.int64)) if size \
        else np.zeros(0, dtype=np.int64)
    return np.unravel_index(flat, tuple(shape))


def sampled_key(array: np.ndarray, ijk_to_ras: np.ndarray, samples: int = 4096,
                padding=None) -> str:
    """The key of workspaces written before session 33: geometry and a strided sample of
    ``samples`` voxels (fancy indexing: no copy of a memory-mapped array); ``padding``: as
    :func:`image_key`'s."""
    index = sample_index(array.shape, samples)
    values = np.asarray(array[index])
    if padding is not None:
        values = padding.restored_at(array, index, values)
    return key_of_sample(values, array.shape, array.dtype, ijk_to_ras)


def key_of_sample(values: np.ndarray, shape: tuple, dtype, ijk_to_ras: np.ndarray) -> str:
    """:func:`sampled_key` of an image of ``shape`` and ``dtype`` whose sampled voxels
    (:func:`sample_index`) hold ``values``."""
    digest = hashlib.sha256()
    _geometry(digest, shape, np.dtype(dtype), ijk_to_ras)
    if values.size:
        digest.update(np.ascontiguousarray(values, dtype=dtype).tobytes())
    return digest.hexdigest()[:SAMPLED_KEY_LENGTH]


@dataclass(frozen=True)
class SampleAsRead:
    """The voxels :func:`sampled_key` reads in time point 1 of an image, as an older neuroview's
    reader gave them where today's reads them otherwise, and the dtype it gave the image: a DICOM
    series' padding, read as air since session 32, was its rescaled number before (-3024 HU for
    GE's -2000 stored; 62512 HU for an unsigned 63536, which made the image int32). Its
    :meth:`key` is the key that neuroview named the image's workspace by."""

    values: np.ndarray
    dtype: np.dtype
    array_ref: weakref.ref = field(repr=False, compare=False)
    """The array (time points included) these values were read for."""

    def key(self, array: np.ndarray, ijk_to_ras: np.ndarray) -> Optional[str]:
        """The older key of ``array``'s image, or ``None`` when ``array`` is not the very array
        read (one resampled since, or another image's)."""
        if self.array_ref() is not array:
            return None
        shape = array.shape[:3]
        return key_of_sample(self.values, shape, self.dtype, ijk_to_ras)


def is_sampled(key: Optional[str]) -> bool:
    """A key written before session 33 (:func:`sampled_key`)."""
    return isinstance(key, str) and len(key) == SAMPLED_KEY_LENGTH

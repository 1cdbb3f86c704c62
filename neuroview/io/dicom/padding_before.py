"""A series' padding as neuroview read it before session 32, where it now reads as air (``.padding``).

That neuroview rescaled a padded stored value as any other: GE's -2000 stored read -3024 HU, an
unsigned 63536 read 62512 HU (and the image was int32 for it), and a fractional rescale gave its
float. Its workspaces (crash journals) are named by the sampled key of those voxels
(``core.image_keys.sampled_key``): the reader keeps the 4,096 voxels that key reads, as that
neuroview gave them, so that such a journal is offered again (``Volume.older_keys``). The values
are taken while the frames are read, before the padding is replaced, and nothing else is kept.
"""

from __future__ import annotations

import weakref
from typing import Callable, Optional

import numpy as np

from ...core.image_keys import SampleAsRead, sample_index


class PaddingBefore:
    """The sampled voxels of time point 1 of a series being read, as read before session 32."""

    def __init__(self, shape: tuple, dtype: np.dtype):
        """``shape``: the image's 3 spatial axes, slices along the last (as read, never resampled);
        ``dtype``: the array's it is read into."""
        self.index = sample_index(shape)
        self.values = np.zeros(self.index[0].size, dtype=dtype)   # (threads fill it, slice by slice)
        self._in_slice = {int(k): np.flatnonzero(self.index[2] == k) for k in np.unique(self.index[2])}

    @classmethod
    def of(cls, out: np.ndarray, padding, resampled: bool, samples: int) -> Optional["PaddingBefore"]:
        """One for a series read into ``out`` whose ``padding`` (stored range) may be replaced, or
        ``None`` where nothing is to be kept: no padding, a colour image, or slices resampled
        after reading (its sampled voxels are then not those read)."""
        if padding is None or resampled or samples > 1:
            return None
        return cls(out.shape[:3], out.dtype)

    def take_slice(self, k: int, target: np.ndarray) -> None:
        """Keep the sampled voxels of slice ``k`` of time point 1 from ``target`` (that slice, as
        rescaled before its padding is marked): a float series' frames are read one by one."""
        at = self._in_slice.get(int(k))
        if at is not None:
            self.values[at] = target[self.index[0][at], self.index[1][at]]

    def take_stored(self, out: np.ndarray) -> None:
        """Keep the sampled voxels of time point 1 of ``out``, every frame read and none replaced
        (the stored integers, rescaled by :meth:`rescaled` as that neuroview rescaled them)."""
        frame = out if out.ndim == 3 else out[..., 0]
        self.values = np.asarray(frame[self.index])

    def rescaled(self, rescale: Callable[[np.ndarray], np.ndarray]) -> None:
        """Rescale the kept stored values with ``rescale`` (the reader's own, on an array of one
        column): the values and the dtype that neuroview gave them."""
        column = np.array(self.values).reshape(-1, 1, 1)
        self.values = np.asarray(rescale(column)).reshape(-1)

    def record(self, array: np.ndarray) -> SampleAsRead:
        """The values kept, for the image read into ``array`` (its final array)."""
        return SampleAsRead(self.values, self.values.dtype, weakref.ref(array))

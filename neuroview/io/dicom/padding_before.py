"""A series' padding as neuroview read it before session 32, where it now reads as air (``.padding``).

That neuroview rescaled a padded stored value as any other: GE's -2000 stored read -3024 HU, an
unsigned 63536 read 62512 HU (and the image was int32 for it), and a fractional rescale gave its
float. Its workspaces (crash journals) are named by the sampled key of those voxels
(``core.image_keys.sampled_key``): the reader keeps the 4,096 voxels that key reads, as that
neuroview gave them, so that such a journal is offered again (``Volume.older_keys``). The values
are taken while the frames are read, before the padding is replaced, and nothing else is kept;
where slices are resampled onto an even grid (a missing slice), the two acquired voxels each
sampled one lies between, mixed as ``.uneven`` mixes them.
"""

from __future__ import annotations

import weakref
from typing import Callable, Optional

import numpy as np

from ...core.image_keys import SampleAsRead, sample_index
from .uneven import between, slice_sources


class PaddingBefore:
    """The sampled voxels of time point 1 of a series being read, as read before session 32."""

    def __init__(self, shape: tuple, dtype: np.dtype, resample: Optional[tuple] = None):
        """``shape``: the image's 3 spatial axes as read (slices along the last); ``dtype``: the
        array's it is read into; ``resample``: the plan's ``(offsets, target)`` where its slices
        are resampled after reading (uneven spacing, a missing slice), else ``None``."""
        if resample is None:
            self.index = sample_index(shape)
            self._weight, sources = None, self.index[2]
        else:
            self.index = sample_index(shape[:2] + (len(resample[1]),))
            lower, upper, weight = (a[self.index[2]] for a in slice_sources(*resample))
            self._weight, sources = weight, np.concatenate([lower, upper])
        copies = len(sources) // max(len(self.index[0]), 1)
        self._at = (np.tile(self.index[0], copies), np.tile(self.index[1], copies), sources)
        """Where the values are read: each sampled voxel, or the two acquired ones it is resampled from."""
        self.values = np.zeros(len(sources), dtype=dtype)   # (threads fill it, slice by slice)
        order = np.argsort(sources, kind="stable")
        slices, starts = np.unique(sources[order], return_index=True)
        self._in_slice = dict(zip(slices.tolist(), np.split(order, starts[1:])))

    @classmethod
    def of(cls, out: np.ndarray, padding, resample: Optional[tuple],
           samples: int) -> Optional["PaddingBefore"]:
        """One for a series read into ``out`` whose ``padding`` (stored range) may be replaced, or
        ``None`` where nothing is to be kept: no padding, or a colour image."""
        if padding is None or samples > 1:
            return None
        return cls(out.shape[:3], out.dtype, resample)

    def take_slice(self, k: int, target: np.ndarray) -> None:
        """Keep the values wanted from acquired slice ``k`` of time point 1, ``target`` (that
        slice, as rescaled before its padding is marked): a float series' frames are read one by
        one."""
        at = self._in_slice.get(int(k))
        if at is not None:
            self.values[at] = target[self._at[0][at], self._at[1][at]]

    def take_stored(self, out: np.ndarray) -> None:
        """Keep the values wanted from time point 1 of ``out``, every frame read and none
        replaced (the stored integers, rescaled by :meth:`rescaled` as that neuroview did)."""
        frame = out if out.ndim == 3 else out[..., 0]
        self.values = np.asarray(frame[self._at])

    def rescaled(self, rescale: Callable[[np.ndarray], np.ndarray]) -> None:
        """Rescale the kept stored values with ``rescale`` (the reader's own, on an array of one
        column): the values and the dtype that neuroview gave them."""
        column = np.array(self.values).reshape(-1, 1, 1)
        self.values = np.asarray(rescale(column)).reshape(-1)

    def record(self, array: np.ndarray) -> SampleAsRead:
        """The sampled values, for the image read into ``array`` (its final array): resampled as
        the reader resamples slices (``.uneven.resample_slices``) where it does."""
        values = self.values
        if self._weight is not None:
            n = len(self._weight)
            dtype = values.dtype if values.dtype.kind in "iu" else np.dtype(np.float32)
            values = between(values[:n], values[n:], self._weight).astype(dtype)
        return SampleAsRead(values, values.dtype, weakref.ref(array))
